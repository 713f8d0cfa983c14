/* dstackcfg normalize: the configuration as dstack's canonical JSON. */
#include <errno.h>
#include <string.h>
#include "cli.h"

int cmd_normalize(int argc, char **argv)
{
    cli_common co = { DCFG_FORMAT_AUTO, 0 };
    const char *file = NULL;
    unsigned emit_flags = DCFG_EMIT_PRETTY;
    for (int i = 0; i < argc; i++) {
        int r = cli_common_option(&co, argc, argv, &i);
        if (r < 0)
            goto usage;
        if (r)
            continue;
        if (!strcmp(argv[i], "--compact"))
            emit_flags &= ~DCFG_EMIT_PRETTY;
        else if (argv[i][0] == '-' && argv[i][1])
            goto usage;
        else if (file)
            goto usage;
        else
            file = argv[i];
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
    st = dcfg_config_emit(&text, &len, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, emit_flags);
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
