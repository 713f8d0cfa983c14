/* dstackcfg check: every problem of every file, as text (stderr) or JSON (stdout). */
#include <errno.h>
#include <string.h>
#include "cli.h"

int cmd_check(int argc, char **argv)
{
    cli_common co = { DCFG_FORMAT_AUTO, 0 };
    int json = 0, github = 0, sarif = 0, first_file = -1;
    for (int i = 0; i < argc; i++) {
        int r = cli_common_option(&co, argc, argv, &i);
        if (r < 0)
            goto usage;
        if (r)
            continue;
        if (!strcmp(argv[i], "--format") && i + 1 < argc) {
            const char *v = argv[++i];
            json = github = sarif = 0;
            if (!strcmp(v, "json"))
                json = 1;
            else if (!strcmp(v, "github"))
                github = 1;
            else if (!strcmp(v, "sarif"))
                sarif = 1;
            else if (strcmp(v, "text"))
                goto usage;
        } else {
            if ((first_file = cli_first_operand(argv, i)) < 0)
                goto usage;
            break;
        }
    }
    if (first_file < 0 || first_file >= argc)
        goto usage;

    int status = EXIT_VALID, printed = 0, sarif_first = 1;
    if (json)
        fputc('[', stdout);
    if (sarif)
        cli_sarif_begin();
    for (int i = first_file; i < argc; i++) {
        dcfg_config *cfg = NULL;
        dcfg_diags *diags = NULL;
        dcfg_status st = cli_parse(&co, argv[i], &cfg, &diags);
        if (st == DCFG_EIO || st == DCFG_ENOMEM || st == DCFG_EUSAGE) {
            fprintf(stderr, "dstackcfg: %s: %s\n", argv[i], st == DCFG_EIO ? strerror(errno) : dcfg_status_string(st));
            status = EXIT_USAGE;
        } else {
            if (st != DCFG_OK && status == EXIT_VALID)
                status = EXIT_INVALID;
            if (json) {
                char *text = NULL;
                if (dcfg_diags_to_json(&text, diags) == DCFG_OK && strlen(text) > 2) {
                    /* splice this file's array into the combined one */
                    text[strlen(text) - 1] = '\0';
                    fputs(printed ? "," : "", stdout);
                    fputs(text + 1, stdout);
                    printed = 1;
                }
                dcfg_free(text);
            } else if (github) {
                cli_print_github(diags);
            } else if (sarif) {
                cli_sarif_results(diags, &sarif_first);
            } else {
                cli_print_diags(diags);
            }
        }
        dcfg_config_free(cfg);
        dcfg_diags_free(diags);
    }
    if (json)
        fputs("]\n", stdout);
    if (sarif)
        cli_sarif_end();
    return status;
usage:
    cli_usage(stderr);
    return EXIT_USAGE;
}
