#include "suites.h"
#include "internal.h"

START_TEST(serialize_placeholder) { ck_assert_int_eq(1, 1); }
END_TEST

Suite *serialize_suite(void)
{
    Suite *s = suite_create("serialize");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, serialize_placeholder);
    suite_add_tcase(s, tc);
    return s;
}
