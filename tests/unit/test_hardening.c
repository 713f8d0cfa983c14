#include "suites.h"
#include "internal.h"

START_TEST(hardening_placeholder) { ck_assert_int_eq(1, 1); }
END_TEST

Suite *hardening_suite(void)
{
    Suite *s = suite_create("hardening");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, hardening_placeholder);
    suite_add_tcase(s, tc);
    return s;
}
