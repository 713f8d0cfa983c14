/* dstackcfg schema: the JSON Schema of a service configuration. */
#include <string.h>
#include "cli.h"

int cmd_schema(int argc, char **argv)
{
    dcfg_schema_draft draft = DCFG_SCHEMA_DRAFT_2020_12;
    for (int i = 0; i < argc; i++) {
        const char *v = NULL;
        if (!strcmp(argv[i], "--draft") && i + 1 < argc)
            v = argv[++i];
        else if (!strncmp(argv[i], "--draft=", 8))
            v = argv[i] + 8;
        if (v && !strcmp(v, "2020-12"))
            draft = DCFG_SCHEMA_DRAFT_2020_12;
        else if (v && (!strcmp(v, "07") || !strcmp(v, "7") || !strcmp(v, "draft-07")))
            draft = DCFG_SCHEMA_DRAFT_07;
        else {
            fprintf(stderr, "dstackcfg schema: %s '%s'; use --draft 2020-12 or --draft 07\n",
                    v ? "unknown draft" : "unexpected argument", v ? v : argv[i]);
            return EXIT_USAGE;
        }
    }
    char *text = NULL;
    size_t len = 0;
    dcfg_status st = dcfg_schema_json(&text, &len, draft, NULL);
    if (st != DCFG_OK) {
        fprintf(stderr, "dstackcfg schema: %s\n", dcfg_status_string(st));
        return EXIT_USAGE;
    }
    fwrite(text, 1, len, stdout);
    dcfg_free(text);
    return EXIT_VALID;
}
