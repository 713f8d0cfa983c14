/* Runs the hardening suite alone, for the build of the library with
 * DCFG_ARENA_EXACT (one arena chunk per allocation) made in fuzz/meson.build. */
#include <stdlib.h>
#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(hardening_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
