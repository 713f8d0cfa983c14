/* Hints for keys from other tools: every row of the table reaches its diagnostic. */
#include <stdio.h>
#include <string.h>
#include "suites.h"
#include "schema/schema.h"
#include <dstackcfg/dstackcfg.h>

/* The one diagnostic at `path`, or NULL. */
static const dcfg_diag *diag_at(const dcfg_diags *d, const char *path)
{
    for (size_t i = 0; i < dcfg_diags_count(d); i++)
        if (!strcmp(dcfg_diag_path(dcfg_diags_at(d, i)), path))
            return dcfg_diags_at(d, i);
    return NULL;
}

START_TEST(every_hint_row_reaches_its_diagnostic)
{
    const dcfg__key_hint *h = &dcfg__key_hints[_i];
    char src[512], path[128], want[512];
    const char *value = h->when_mapping ? "{name: x}" : "1";
    if (!strcmp(h->object, "service")) {
        snprintf(src, sizeof src, "type: service\nport: 80\ncommands: [x]\n%s: %s\n", h->key, value);
        snprintf(path, sizeof path, "%s", h->key);
    } else {
        ck_assert_str_eq(h->object, "resources"); /* the rows' objects this test knows how to reach */
        snprintf(src, sizeof src, "type: service\nport: 80\ncommands: [x]\nresources:\n  %s: %s\n", h->key, value);
        snprintf(path, sizeof path, "resources.%s", h->key);
    }
    snprintf(want, sizeof want, "%s; %s", h->when_mapping ? "expected a string, got a mapping" : "unknown field",
             h->hint);
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    ck_assert_int_eq(dcfg_config_parse(&cfg, &d, src, strlen(src), NULL), DCFG_EINVALID);
    const dcfg_diag *g = diag_at(d, path);
    ck_assert_msg(g != NULL, "no diagnostic at %s", path);
    ck_assert_int_eq(dcfg_diag_code_of(g), h->when_mapping ? DCFG_DIAG_WRONG_TYPE : DCFG_DIAG_UNKNOWN_FIELD);
    ck_assert_str_eq(dcfg_diag_message(g), want);
    dcfg_diags_free(d);
}
END_TEST

START_TEST(hint_beats_near_spelling_and_others_keep_it)
{
    static const char src[] = "type: service\nport: 80\ncommands: [x]\nbackend: aws\nimgae: x\n";
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    ck_assert_int_eq(dcfg_config_parse(&cfg, &d, src, sizeof src - 1, NULL), DCFG_EINVALID);
    ck_assert_str_eq(dcfg_diag_message(diag_at(d, "backend")), "unknown field; dstack takes a list: backends: [aws, gcp]");
    ck_assert_str_eq(dcfg_diag_message(diag_at(d, "imgae")), "unknown field; did you mean \"image\"?");
    dcfg_diags_free(d);
}
END_TEST

static size_t hint_count(void)
{
    size_t n = 0;
    while (dcfg__key_hints[n].object)
        n++;
    return n;
}

Suite *hints_suite(void)
{
    Suite *s = suite_create("hints");
    TCase *tc = tcase_create("hints");
    tcase_add_loop_test(tc, every_hint_row_reaches_its_diagnostic, 0, (int)hint_count());
    tcase_add_test(tc, hint_beats_near_spelling_and_others_keep_it);
    suite_add_tcase(s, tc);
    return s;
}
