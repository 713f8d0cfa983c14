/* The getting-started program: parse a file, print a few fields, or every
 * diagnostic when it is invalid. usage: first FILE */
#include <stdio.h>
#include <dstackcfg/dstackcfg.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    dcfg_config *cfg = NULL;
    dcfg_diags *diags = NULL;
    dcfg_status st = dcfg_config_parse_file(&cfg, &diags, argv[1], NULL);
    if (st == DCFG_OK) {
        const char *image = dcfg_config_image(cfg);
        printf("port %u, image %s\n", dcfg_config_port(cfg), image ? image : "(dstack's base image)");
        /* any value by path, laid out as the canonical JSON */
        printf("cpu cores at least %lld\n", (long long)dcfg_value_int(dcfg_config_get(cfg, "resources.cpu.count.min")));
    }
    for (size_t i = 0; i < dcfg_diags_count(diags); i++) {
        char *line = NULL;
        if (dcfg_diag_format(&line, dcfg_diags_at(diags, i), dcfg_diags_source(diags)) == DCFG_OK)
            fprintf(stderr, "%s\n", line);
        dcfg_free(line);
    }
    dcfg_config_free(cfg);
    dcfg_diags_free(diags);
    return st == DCFG_OK ? 0 : 1;
}
