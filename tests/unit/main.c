#include <stdlib.h>
#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(yaml_suite());
    srunner_add_suite(sr, json_suite());
    srunner_add_suite(sr, text_suite());
    srunner_add_suite(sr, emit_suite());
    srunner_add_suite(sr, diag_suite());
    srunner_add_suite(sr, config_suite());
    srunner_add_suite(sr, schema_suite());
    srunner_add_suite(sr, serialize_suite());
    srunner_add_suite(sr, hardening_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
