/* dstackcfg: the command users run in CI and pre-commit hooks. */
#include <string.h>
#include "cli.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        cli_usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        cli_usage(stdout);
        return EXIT_VALID;
    }
    if (!strcmp(cmd, "--version")) {
        printf("dstackcfg %s (follows dstack %s)\n", dcfg_version_string(), dcfg_dstack_version());
        return EXIT_VALID;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            cli_usage(stdout);
            return EXIT_VALID;
        }
    }
    if (!strcmp(cmd, "check"))
        return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "normalize"))
        return cmd_normalize(argc - 2, argv + 2);
    if (!strcmp(cmd, "fmt"))
        return cmd_fmt(argc - 2, argv + 2);
    if (!strcmp(cmd, "diff"))
        return cmd_diff(argc - 2, argv + 2);
    if (!strcmp(cmd, "schema"))
        return cmd_schema(argc - 2, argv + 2);
    if (!strcmp(cmd, "explain"))
        return cmd_explain(argc - 2, argv + 2);
    fprintf(stderr, "dstackcfg: unknown command '%s'\n", cmd);
    cli_usage(stderr);
    return EXIT_USAGE;
}
