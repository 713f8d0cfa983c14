/* The JSON Schema and explain texts made from the field tables. */
#include <string.h>
#include "suites.h"
#include "counting_alloc.h"
#include "write/write.h"

START_TEST(schema_both_drafts_resolve_every_reference)
{
    static const struct { dcfg_schema_draft d; const char *schema, *defs, *ref; } drafts[] = {
        { DCFG_SCHEMA_DRAFT_2020_12, "https://json-schema.org/draft/2020-12/schema", "\"$defs\"", "\"#/$defs/gpu\"" },
        { DCFG_SCHEMA_DRAFT_07, "http://json-schema.org/draft-07/schema#", "\"definitions\"", "\"#/definitions/gpu\"" },
    };
    for (size_t i = 0; i < 2; i++) {
        char *s = NULL;
        size_t len = 0;
        ck_assert_int_eq(dcfg_schema_json(&s, &len, drafts[i].d, NULL), DCFG_OK);
        ck_assert_uint_eq(strlen(s), len);
        ck_assert_ptr_nonnull(strstr(s, drafts[i].schema));
        ck_assert_ptr_nonnull(strstr(s, drafts[i].defs));
        ck_assert_ptr_nonnull(strstr(s, drafts[i].ref));
        ck_assert_ptr_null(strstr(s, "'@")); /* every relaxed reference was rewritten */
        ck_assert_ptr_nonnull(strstr(s, "\"additionalProperties\": false"));
        dcfg_free(s);
    }
    char *s = NULL;
    ck_assert_int_eq(dcfg_schema_json(&s, NULL, (dcfg_schema_draft)7, NULL), DCFG_EUSAGE);
    ck_assert_int_eq(dcfg_schema_json(NULL, NULL, DCFG_SCHEMA_DRAFT_07, NULL), DCFG_EUSAGE);
}
END_TEST

/* Every field of every object schema explains, with a type and a default. */
START_TEST(every_table_field_explains)
{
    const dcfg__schema *all[64];
    size_t n = dcfg__object_schemas(all, 64);
    ck_assert_uint_gt(n, 20);
    for (const dcfg__field *f = dcfg__service_schema.fields; f->key; f++) {
        char *s = NULL;
        ck_assert_int_eq(dcfg_explain(&s, f->key, NULL), DCFG_OK);
        ck_assert_ptr_nonnull(strstr(s, "TYPE:"));
        ck_assert_ptr_nonnull(strstr(s, "\nDEFAULT:"));
        ck_assert_ptr_nonnull(strstr(s, "EFFECTIVE DEFAULT:"));
        dcfg_free(s);
    }
}
END_TEST

START_TEST(explain_paths_examples_and_defaults)
{
    char *s = NULL;
    ck_assert_int_eq(dcfg_explain(&s, "resources.gpu", NULL), DCFG_OK);
    ck_assert_ptr_nonnull(strstr(s, "TYPE:     gpu\n"));
    ck_assert_ptr_nonnull(strstr(s, "  gpu: \"A100:80GB:2\"\n"));
    ck_assert_ptr_nonnull(strstr(s, "  gpu: {\"name\":[\"A100\",\"H100\"],\"memory\":\"80GB\",\"count\":\"1..2\"}\n"));
    ck_assert_ptr_nonnull(strstr(s, "DEFAULT:  0..\n"));
    dcfg_free(s);
    ck_assert_int_eq(dcfg_explain(&s, "replicas[].scaling", NULL), DCFG_OK);
    ck_assert_ptr_nonnull(strstr(s, "(in replica group)"));
    ck_assert_ptr_nonnull(strstr(s, "`scaling` is required when `replicas` is a range"));
    ck_assert_ptr_nonnull(strstr(s, "FIELDS (scaling):"));
    dcfg_free(s);
    ck_assert_int_eq(dcfg_explain(&s, "https", NULL), DCFG_OK);
    ck_assert_ptr_nonnull(strstr(s, "EFFECTIVE DEFAULT: true\n"));
    dcfg_free(s);
    ck_assert_int_eq(dcfg_explain(&s, "probes[0].timeout", NULL), DCFG_OK);
    ck_assert_ptr_nonnull(strstr(s, "EFFECTIVE DEFAULT: 10\n"));
    dcfg_free(s);
    ck_assert_int_eq(dcfg_explain(&s, "resources.gpus", NULL), DCFG_EINVALID);
    ck_assert_ptr_nonnull(strstr(s, "no such field"));
    dcfg_free(s);
    ck_assert_int_eq(dcfg_explain(&s, "port[", NULL), DCFG_EINVALID);
    dcfg_free(s);
    ck_assert_int_eq(dcfg_explain(&s, NULL, NULL), DCFG_EUSAGE);
}
END_TEST

/* Each allocation failing in turn gives DCFG_ENOMEM and leaks nothing. */
START_TEST(schema_and_explain_survive_every_failed_allocation)
{
    for (int which = 0; which < 2; which++) {
        ca_counter c0 = { 0 };
        dcfg_allocator al = ca_allocator(&c0);
        char *s = NULL;
        dcfg_status st = which ? dcfg_explain(&s, "resources.gpu", &al) : dcfg_schema_json(&s, NULL, DCFG_SCHEMA_DRAFT_07, &al);
        ck_assert_int_eq(st, DCFG_OK);
        dcfg_free(s);
        size_t total = c0.calls, step = total / 300 + 1;
        for (size_t k = 1; k <= total; k += step) {
            ca_counter c = { 0 };
            c.fail_at = k;
            al = ca_allocator(&c);
            s = NULL;
            st = which ? dcfg_explain(&s, "resources.gpu", &al) : dcfg_schema_json(&s, NULL, DCFG_SCHEMA_DRAFT_07, &al);
            ck_assert_msg(st == DCFG_ENOMEM, "allocation %zu of %zu: status %d", k, total, st);
            ck_assert_ptr_null(s);
            ck_assert_uint_eq(c.live, 0);
        }
    }
}
END_TEST

Suite *describe_suite(void)
{
    Suite *s = suite_create("describe");
    TCase *tc = tcase_create("describe");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, schema_both_drafts_resolve_every_reference);
    tcase_add_test(tc, every_table_field_explains);
    tcase_add_test(tc, explain_paths_examples_and_defaults);
    tcase_add_test(tc, schema_and_explain_survive_every_failed_allocation);
    suite_add_tcase(s, tc);
    return s;
}
