#ifndef DCFG_TEST_SUITES_H
#define DCFG_TEST_SUITES_H
#include <check.h>
Suite *yaml_suite(void);
Suite *json_suite(void);
Suite *text_suite(void);
Suite *emit_suite(void);
Suite *config_suite(void);
Suite *schema_suite(void);
Suite *hints_suite(void);
Suite *describe_suite(void);
Suite *diag_suite(void);
Suite *hardening_suite(void);
Suite *serialize_suite(void);
Suite *diff_suite(void);
#endif
