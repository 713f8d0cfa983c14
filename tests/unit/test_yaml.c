#include "suites.h"
#include "internal.h"

START_TEST(yaml_placeholder) { ck_assert_int_eq(1, 1); }
END_TEST

Suite *yaml_suite(void)
{
    Suite *s = suite_create("yaml");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, yaml_placeholder);
    suite_add_tcase(s, tc);
    return s;
}
