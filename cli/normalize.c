/* dstackcfg normalize: the configuration in one of its views, as JSON or YAML. */
#include <errno.h>
#include <string.h>
#include "cli.h"

int cli_parse_view(const char *v, dcfg_view *out)
{
    if (!strcmp(v, "dstack"))
        *out = DCFG_VIEW_DSTACK;
    else if (!strcmp(v, "effective"))
        *out = DCFG_VIEW_EFFECTIVE;
    else if (!strcmp(v, "minimal"))
        *out = DCFG_VIEW_MINIMAL;
    else
        return -1;
    return 0;
}

int cmd_normalize(int argc, char **argv)
{
    cli_common co = { DCFG_FORMAT_AUTO, 0 };
    const char *file = NULL;
    unsigned emit_flags = DCFG_EMIT_PRETTY;
    dcfg_view view = DCFG_VIEW_DSTACK;
    dcfg_format out_format = DCFG_FORMAT_JSON;
    int only_files = 0;
    for (int i = 0; i < argc; i++) {
        if (!only_files) {
            int r = cli_common_option(&co, argc, argv, &i);
            if (r < 0)
                goto usage;
            if (r)
                continue;
        }
        const char *a = argv[i];
        if (only_files || (a[0] != '-' || !a[1])) {
            if (file)
                goto usage;
            file = a;
        } else if (!strcmp(a, "--")) {
            only_files = 1;
        } else if (!strcmp(a, "--compact")) {
            emit_flags &= ~DCFG_EMIT_PRETTY;
        } else if (!strcmp(a, "--view") || !strncmp(a, "--view=", 7)) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v || cli_parse_view(v, &view))
                goto usage;
        } else if (!strcmp(a, "--output-format") || !strncmp(a, "--output-format=", 16)) {
            const char *v = a[15] == '=' ? a + 16 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                goto usage;
            if (!strcmp(v, "json"))
                out_format = DCFG_FORMAT_JSON;
            else if (!strcmp(v, "yaml"))
                out_format = DCFG_FORMAT_YAML;
            else
                goto usage;
        } else {
            goto usage;
        }
    }
    if (!file)
        goto usage;

    dcfg_config *cfg = NULL;
    dcfg_diags *diags = NULL;
    dcfg_status st = cli_parse(&co, file, &cfg, &diags);
    if (st == DCFG_EIO || st == DCFG_ENOMEM || st == DCFG_EUSAGE) {
        fprintf(stderr, "dstackcfg: %s: %s\n", file, st == DCFG_EIO ? strerror(errno) : dcfg_status_string(st));
        dcfg_diags_free(diags);
        return EXIT_USAGE;
    }
    cli_print_diags(diags);
    dcfg_diags_free(diags);
    if (st != DCFG_OK)
        return EXIT_INVALID;
    char *text = NULL;
    size_t len = 0;
    st = dcfg_config_emit(&text, &len, cfg, view, out_format, emit_flags);
    dcfg_config_free(cfg);
    if (st != DCFG_OK) {
        fprintf(stderr, "dstackcfg: %s: %s\n", file, dcfg_status_string(st));
        return EXIT_USAGE;
    }
    fwrite(text, 1, len, stdout);
    if (!len || text[len - 1] != '\n')
        fputc('\n', stdout);
    dcfg_free(text);
    return fflush(stdout) ? EXIT_USAGE : EXIT_VALID;
usage:
    cli_usage(stderr);
    return EXIT_USAGE;
}
