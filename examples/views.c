/* Convert a configuration between views and formats: dstack's canonical
 * JSON, the effective view (server-side defaults resolved) as YAML, and the
 * minimal YAML that `dstackcfg fmt` writes. usage: views FILE */
#include <stdio.h>
#include <dstackcfg/dstackcfg.h>

static int show(const dcfg_config *cfg, const char *title, dcfg_view view, dcfg_format format)
{
    char *text = NULL;
    dcfg_status st = dcfg_config_emit(&text, NULL, cfg, view, format, DCFG_EMIT_PRETTY);
    if (st == DCFG_OK)
        printf("--- %s\n%s%s", title, text, format == DCFG_FORMAT_JSON ? "\n" : "");
    dcfg_free(text);
    return st == DCFG_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    dcfg_config *cfg = NULL;
    dcfg_diags *diags = NULL;
    int rc = 1;
    if (dcfg_config_parse_file(&cfg, &diags, argv[1], NULL) == DCFG_OK)
        rc = show(cfg, "dstack (JSON)", DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON) |
             show(cfg, "effective (YAML)", DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_YAML) |
             show(cfg, "minimal (YAML)", DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
    else
        fprintf(stderr, "%s: invalid (%zu problems; dstackcfg check lists them)\n", argv[1], dcfg_diags_error_count(diags));
    dcfg_config_free(cfg);
    dcfg_diags_free(diags);
    return rc;
}
