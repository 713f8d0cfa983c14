/* One runner for the unit suites, grouped by library stage: `unit-tests STAGE`
 * runs that stage's suites (core, read, schema, write, api), no argument all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suites.h"

typedef struct stage {
    const char *name;
    Suite *(*suites[3])(void);
} stage;

static const stage stages[] = {
    { "core", { text_suite, diag_suite, NULL } },
    { "read", { yaml_suite, json_suite, NULL } },
    { "schema", { schema_suite, hints_suite, NULL } },
    { "write", { emit_suite, serialize_suite, describe_suite } },
    { "api", { config_suite, hardening_suite, diff_suite } },
};

int main(int argc, char **argv)
{
    SRunner *sr = NULL;
    for (size_t i = 0; i < sizeof stages / sizeof *stages; i++) {
        if (argc > 1 && strcmp(argv[1], stages[i].name))
            continue;
        for (size_t j = 0; j < 3 && stages[i].suites[j]; j++) {
            if (!sr)
                sr = srunner_create(stages[i].suites[j]());
            else
                srunner_add_suite(sr, stages[i].suites[j]());
        }
    }
    if (!sr) {
        fprintf(stderr, "unit-tests: no stage %s (core, read, schema, write, api)\n", argv[1]);
        return EXIT_FAILURE;
    }
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
