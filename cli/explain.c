/* dstackcfg explain PATH: one field of the format, from the field tables. */
#include "cli.h"

int cmd_explain(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') {
        fputs("usage: dstackcfg explain PATH   (e.g. port, resources.gpu, replicas[].scaling)\n", stderr);
        return EXIT_USAGE;
    }
    char *text = NULL;
    dcfg_status st = dcfg_explain(&text, argv[0], NULL);
    if (st == DCFG_OK)
        fputs(text, stdout);
    else if (st == DCFG_EINVALID)
        fprintf(stderr, "dstackcfg explain: %s", text);
    else
        fprintf(stderr, "dstackcfg explain: %s\n", dcfg_status_string(st));
    dcfg_free(text);
    return st == DCFG_OK ? EXIT_VALID : st == DCFG_EINVALID ? EXIT_INVALID : EXIT_USAGE;
}
