/* Diagnostics list: ordering, formatting, JSON. */
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "core/core.h"

START_TEST(sorted_by_position_unknown_last_stable)
{
    dcfg_diags *d = dcfg__diags_new(&dcfg__default_allocator, "f.yml");
    dcfg__diag_add(d, DCFG_SEVERITY_ERROR, DCFG_DIAG_CONFLICT, "", 0, 0, 0, 0, "whole document");
    dcfg__diag_add(d, DCFG_SEVERITY_ERROR, DCFG_DIAG_REQUIRED, "b", 5, 1, 0, 0, "second");
    dcfg__diag_add(d, DCFG_SEVERITY_WARNING, DCFG_DIAG_DUPLICATE_KEY, "a", 2, 3, 1, 1, "first %d", 1);
    dcfg__diag_add(d, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "c", 5, 1, 0, 0, "third");
    dcfg__diags_sort(d);
    ck_assert_uint_eq(dcfg_diags_count(d), 4);
    ck_assert_uint_eq(dcfg_diags_error_count(d), 3);
    ck_assert_str_eq(dcfg_diag_message(dcfg_diags_at(d, 0)), "first 1");
    ck_assert_str_eq(dcfg_diag_message(dcfg_diags_at(d, 1)), "second");
    ck_assert_str_eq(dcfg_diag_message(dcfg_diags_at(d, 2)), "third");
    ck_assert_str_eq(dcfg_diag_message(dcfg_diags_at(d, 3)), "whole document");
    ck_assert_uint_eq(dcfg_diag_related_line(dcfg_diags_at(d, 0)), 1);
    ck_assert_ptr_null(dcfg_diags_at(d, 4));
    dcfg_diags_free(d);
}
END_TEST

START_TEST(format_line)
{
    dcfg_diags *d = dcfg__diags_new(&dcfg__default_allocator, NULL);
    dcfg__diag_add(d, DCFG_SEVERITY_ERROR, DCFG_DIAG_UNKNOWN_FIELD, "resources.gpus", 12, 3, 0, 0,
                   "unknown field; did you mean \"gpu\"?");
    dcfg__diag_add(d, DCFG_SEVERITY_WARNING, DCFG_DIAG_WRONG_TYPE, "", 1, 1, 0, 0, "empty");
    char *s = NULL;
    ck_assert_int_eq(dcfg_diag_format(&s, dcfg_diags_at(d, 0), "svc.yml"), DCFG_OK);
    ck_assert_str_eq(s, "svc.yml:12:3: error: resources.gpus: unknown field; did you mean \"gpu\"? [unknown-field]");
    dcfg_free(s);
    ck_assert_int_eq(dcfg_diag_format(&s, dcfg_diags_at(d, 1), dcfg_diags_source(d)), DCFG_OK);
    ck_assert_str_eq(s, "<input>:1:1: warning: empty [wrong-type]");
    dcfg_free(s);
    ck_assert_int_eq(dcfg_diags_to_json(&s, d), DCFG_OK);
    ck_assert_str_eq(s, "[{\"source\":\"<input>\",\"line\":12,\"column\":3,\"severity\":\"error\","
                        "\"code\":\"unknown-field\",\"path\":\"resources.gpus\","
                        "\"message\":\"unknown field; did you mean \\\"gpu\\\"?\"},"
                        "{\"source\":\"<input>\",\"line\":1,\"column\":1,\"severity\":\"warning\","
                        "\"code\":\"wrong-type\",\"path\":\"\",\"message\":\"empty\"}]");
    dcfg_free(s);
    dcfg_diags_free(d);
}
END_TEST

START_TEST(code_names_are_stable)
{
    ck_assert_str_eq(dcfg_diag_code_name(DCFG_DIAG_SYNTAX), "syntax");
    ck_assert_str_eq(dcfg_diag_code_name(DCFG_DIAG_UNKNOWN_FIELD), "unknown-field");
    ck_assert_str_eq(dcfg_diag_code_name(DCFG_DIAG_DUPLICATE_KEY), "duplicate-key");
    ck_assert_str_eq(dcfg_diag_code_name(DCFG_DIAG_NOT_SERVICE), "not-a-service");
    ck_assert_str_eq(dcfg_diag_code_name((dcfg_diag_code)999), "unknown");
    ck_assert_str_eq(dcfg_status_string(DCFG_EINVALID), "invalid configuration");
}
END_TEST

Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, sorted_by_position_unknown_last_stable);
    tcase_add_test(tc, format_line);
    tcase_add_test(tc, code_names_are_stable);
    suite_add_tcase(s, tc);
    return s;
}
