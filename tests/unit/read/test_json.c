#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "read/read.h"

/* One load with its arena and diagnostics; limits 0 = unlimited. */
typedef struct jfix {
    dcfg__arena arena;
    dcfg__load ld;
    dcfg__node *root;
} jfix;

static void jfix_init(jfix *f)
{
    memset(f, 0, sizeof *f);
    dcfg__arena_init(&f->arena, &dcfg__default_allocator);
    f->ld.arena = &f->arena;
    f->ld.diags = dcfg__diags_new(&dcfg__default_allocator, "t.json");
    ck_assert_ptr_nonnull(f->ld.diags);
}

static void jfix_free(jfix *f)
{
    dcfg_diags_free(f->ld.diags);
    dcfg__arena_free(&f->arena);
}

static dcfg_status load(jfix *f, const char *s)
{
    f->root = (dcfg__node *)&f->root; /* must be reset */
    dcfg_status rc = dcfg__json_load(&f->root, s, strlen(s), &f->ld);
    if (rc != DCFG_OK)
        ck_assert_ptr_null(f->root);
    else
        ck_assert_ptr_nonnull(f->root);
    return rc;
}

/* Loads s and expects the "fall back to libfyaml" answer: ESYNTAX, no diagnostics. */
static void expect_fallback(const char *s, size_t len)
{
    jfix f;
    jfix_init(&f);
    dcfg__node *root = NULL;
    ck_assert_int_eq(dcfg__json_load(&root, s, len, &f.ld), DCFG_ESYNTAX);
    ck_assert_ptr_null(root);
    ck_assert_uint_eq(dcfg_diags_count(f.ld.diags), 0);
    jfix_free(&f);
}
#define FALLBACK(lit) expect_fallback(lit, sizeof lit - 1)

START_TEST(json_scalar_types)
{
    jfix f;
    jfix_init(&f);
    ck_assert_int_eq(load(&f, "{\"i\": 80, \"neg\": -9223372036854775808, \"f\": 2.5, \"e\": 1E2,"
                              " \"s\": \"x\", \"t\": true, \"no\": false, \"n\": null, \"z\": -0}"),
                     DCFG_OK);
    const dcfg__node *r = f.root, *v;
    ck_assert_int_eq(r->type, DCFG__MAP);
    ck_assert_uint_eq(r->n, 9);
    ck_assert_uint_eq(r->line, 0);
    ck_assert_uint_eq(r->col, 0);

    v = dcfg__map_get(r, "i");
    ck_assert_int_eq(v->type, DCFG__INT);
    ck_assert_int_eq(v->v.i, 80);
    ck_assert_uint_eq(v->flags, 0);
    v = dcfg__map_get(r, "neg");
    ck_assert_int_eq(v->type, DCFG__INT);
    ck_assert(v->v.i == -9223372036854775807LL - 1);
    v = dcfg__map_get(r, "f");
    ck_assert_int_eq(v->type, DCFG__FLOAT);
    ck_assert_double_eq(v->v.f, 2.5);
    v = dcfg__map_get(r, "e");
    ck_assert_int_eq(v->type, DCFG__FLOAT);
    ck_assert_double_eq(v->v.f, 100.0);
    v = dcfg__map_get(r, "s");
    ck_assert_int_eq(v->type, DCFG__STR);
    ck_assert_str_eq(v->str, "x");
    ck_assert_uint_eq(v->len, 1);
    ck_assert_uint_eq(v->flags & DCFG__NF_QUOTED, DCFG__NF_QUOTED);
    v = dcfg__map_get(r, "t");
    ck_assert_int_eq(v->type, DCFG__BOOL);
    ck_assert_int_eq(v->v.b, 1);
    v = dcfg__map_get(r, "no");
    ck_assert_int_eq(v->type, DCFG__BOOL);
    ck_assert_int_eq(v->v.b, 0);
    v = dcfg__map_get(r, "n");
    ck_assert_int_eq(v->type, DCFG__NULL);
    v = dcfg__map_get(r, "z");
    ck_assert_int_eq(v->type, DCFG__INT);
    ck_assert_int_eq(v->v.i, 0);
    /* keys are quoted strings too */
    ck_assert_int_eq(DCFG__KEY(r, 0)->type, DCFG__STR);
    ck_assert_uint_eq(DCFG__KEY(r, 0)->flags & DCFG__NF_QUOTED, DCFG__NF_QUOTED);
    ck_assert_uint_eq(dcfg_diags_count(f.ld.diags), 0);
    jfix_free(&f);
}
END_TEST

START_TEST(json_top_level_values)
{
    jfix f;
    jfix_init(&f);
    ck_assert_int_eq(load(&f, " 42 "), DCFG_OK);
    ck_assert_int_eq(f.root->type, DCFG__INT);
    ck_assert_int_eq(f.root->v.i, 42);
    ck_assert_int_eq(load(&f, "[1, \"a\", [], {}]"), DCFG_OK);
    ck_assert_int_eq(f.root->type, DCFG__SEQ);
    ck_assert_uint_eq(f.root->n, 4);
    ck_assert_int_eq(f.root->kids[0]->type, DCFG__INT);
    ck_assert_int_eq(f.root->kids[1]->type, DCFG__STR);
    ck_assert_int_eq(f.root->kids[2]->type, DCFG__SEQ);
    ck_assert_uint_eq(f.root->kids[2]->n, 0);
    ck_assert_int_eq(f.root->kids[3]->type, DCFG__MAP);
    ck_assert_uint_eq(f.root->kids[3]->n, 0);
    ck_assert_int_eq(load(&f, "null"), DCFG_OK);
    ck_assert_int_eq(f.root->type, DCFG__NULL);
    jfix_free(&f);
}
END_TEST

START_TEST(json_keeps_key_order)
{
    /* more keys than jansson's initial hash table, in an order no hash gives */
    char doc[4096];
    size_t n = 0;
    doc[n++] = '{';
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "%s\"k%03d\": %d", i ? "," : "", (i * 37) % 100, i);
    doc[n++] = '}';
    doc[n] = '\0';
    jfix f;
    jfix_init(&f);
    ck_assert_int_eq(load(&f, doc), DCFG_OK);
    ck_assert_uint_eq(f.root->n, 100);
    for (size_t i = 0; i < 100; i++) {
        char key[8];
        snprintf(key, sizeof key, "k%03d", (int)(i * 37) % 100);
        ck_assert_str_eq(DCFG__KEY(f.root, i)->str, key);
        ck_assert_int_eq(DCFG__VAL(f.root, i)->v.i, (long long)i);
    }
    ck_assert_int_eq(load(&f, "{\"port\": 80, \"type\": \"service\", \"env\": {\"Z\": \"1\", \"A\": \"2\"}}"),
                     DCFG_OK);
    ck_assert_str_eq(DCFG__KEY(f.root, 0)->str, "port");
    ck_assert_str_eq(DCFG__KEY(f.root, 1)->str, "type");
    ck_assert_str_eq(DCFG__KEY(f.root, 2)->str, "env");
    const dcfg__node *env = dcfg__map_get(f.root, "env");
    ck_assert_str_eq(DCFG__KEY(env, 0)->str, "Z");
    ck_assert_str_eq(DCFG__KEY(env, 1)->str, "A");
    jfix_free(&f);
}
END_TEST

START_TEST(json_nesting)
{
    jfix f;
    jfix_init(&f);
    ck_assert_int_eq(load(&f, "{\"probes\": [{\"url\": \"/h\", \"headers\": [{\"name\": \"a\"}]}]}"),
                     DCFG_OK);
    const dcfg__node *probes = dcfg__map_get(f.root, "probes");
    ck_assert_int_eq(probes->type, DCFG__SEQ);
    ck_assert_uint_eq(probes->n, 1);
    const dcfg__node *p0 = probes->kids[0];
    ck_assert_str_eq(dcfg__map_get(p0, "url")->str, "/h");
    const dcfg__node *h = dcfg__map_get(p0, "headers");
    ck_assert(dcfg__node_is_str(dcfg__map_get(h->kids[0], "name"), "a"));
    jfix_free(&f);
}
END_TEST

START_TEST(json_string_contents)
{
    jfix f;
    jfix_init(&f);
    ck_assert_int_eq(load(&f, "[\"a\\u0000b\", \"caf\\u00e9\", \"\\ud83d\\ude00\", \"\\\"\\\\\\/\\n\\t\", "
                              "\"\xc3\xa9t\xc3\xa9\", \"\"]"),
                     DCFG_OK);
    const dcfg__node *const *k = (const dcfg__node *const *)f.root->kids;
    ck_assert_uint_eq(k[0]->len, 3);
    ck_assert_mem_eq(k[0]->str, "a\0b", 4); /* NUL inside, NUL-terminated */
    ck_assert_str_eq(k[1]->str, "caf\xc3\xa9");
    ck_assert_str_eq(k[2]->str, "\xf0\x9f\x98\x80");
    ck_assert_str_eq(k[3]->str, "\"\\/\n\t");
    ck_assert_str_eq(k[4]->str, "\xc3\xa9t\xc3\xa9");
    ck_assert_uint_eq(k[5]->len, 0);
    ck_assert_str_eq(k[5]->str, "");
    jfix_free(&f);
}
END_TEST

START_TEST(json_input_need_not_be_terminated)
{
    static const char buf[] = "{\"a\": 1}garbage";
    jfix f;
    jfix_init(&f);
    ck_assert_int_eq(dcfg__json_load(&f.root, buf, 8, &f.ld), DCFG_OK);
    ck_assert_int_eq(dcfg__map_get(f.root, "a")->v.i, 1);
    jfix_free(&f);
    FALLBACK("{\"a\": 1}garbage");
}
END_TEST

/* Everything jansson refuses goes back to the caller without a diagnostic. */
START_TEST(json_errors_ask_for_fallback)
{
    FALLBACK("");
    FALLBACK("   ");
    FALLBACK("{");
    FALLBACK("{\"a\": }");
    FALLBACK("[1, 2,]");
    FALLBACK("{\"a\": 1} x");
    FALLBACK("1 2");
    FALLBACK("{'a': 1}");
    FALLBACK("{a: 1}");
    FALLBACK("{\"port\": 80, \"port\": 8000}");        /* duplicate key */
    FALLBACK("{\"n\": 9223372036854775808}");         /* beyond int64 */
    FALLBACK("{\"n\": 123456789012345678901234567890}");
    FALLBACK("{\"n\": -9223372036854775809}");
    FALLBACK("{\"f\": 1e400}");                        /* real overflow */
    FALLBACK("\"\\ud800\"");                          /* lone surrogate escape */
    FALLBACK("\"a\tb\"");                             /* raw control character */
    FALLBACK("{\"a\\u0000b\": 1}");                   /* NUL in a key */
    FALLBACK("\xef\xbb\xbf{}");                       /* BOM */
    FALLBACK("{} # comment");
    FALLBACK("{\"a\": 1}\0");                         /* raw NUL after the document */

    /* deeper than jansson's fixed 2048 levels */
    char *deep = malloc(2 * 2049);
    ck_assert_ptr_nonnull(deep);
    memset(deep, '[', 2049);
    memset(deep + 2049, ']', 2049);
    expect_fallback(deep, 2 * 2049);
    free(deep);
}
END_TEST

/* Invalid UTF-8 is left to the libfyaml pass, which reports it with a position
 * (jansson checks strictly: overlongs, surrogates, > U+10FFFF, truncation). */
START_TEST(json_invalid_utf8_asks_for_fallback)
{
    FALLBACK("{\"a\": \"x\",\r\n \"b\": \"\xc3\xa9\xff\"}");
    FALLBACK("[\"\xed\xa0\x80\"]");      /* U+D800 encoded directly */
    FALLBACK("[\"\xc0\xaf\"]");           /* overlong '/' */
    FALLBACK("[\"\xe0\x80\xaf\"]");       /* overlong 3-byte */
    FALLBACK("[\"\xf4\x90\x80\x80\"]");   /* above U+10FFFF */
    FALLBACK("[\"\xc3\"]");               /* truncated */
    FALLBACK("[\"\x80\"]");               /* lone continuation */
    FALLBACK("\xff");                      /* outside any string */
}
END_TEST

static const dcfg_diag *only_limit_diag(jfix *f)
{
    ck_assert_uint_eq(dcfg_diags_count(f->ld.diags), 1);
    const dcfg_diag *g = dcfg_diags_at(f->ld.diags, 0);
    ck_assert_int_eq(dcfg_diag_code_of(g), DCFG_DIAG_LIMIT);
    ck_assert_int_eq(dcfg_diag_severity(g), DCFG_SEVERITY_ERROR);
    return g;
}

START_TEST(json_limit_input_size)
{
    jfix f;
    jfix_init(&f);
    f.ld.limits.max_input_bytes = 10;
    ck_assert_int_eq(load(&f, "[1, 2, 3]"), DCFG_OK);   /* 9 bytes */
    ck_assert_int_eq(load(&f, "[1, 2, 33]"), DCFG_OK);  /* 10 bytes */
    ck_assert_int_eq(load(&f, "[1, 2, 333]"), DCFG_ELIMIT);
    const dcfg_diag *g = only_limit_diag(&f);
    ck_assert_str_eq(dcfg_diag_path(g), "");
    ck_assert_ptr_nonnull(strstr(dcfg_diag_message(g), "10"));
    jfix_free(&f);

    /* the size limit comes before anything else, syntax errors included */
    jfix_init(&f);
    f.ld.limits.max_input_bytes = 2;
    ck_assert_int_eq(load(&f, "{{{"), DCFG_ELIMIT);
    only_limit_diag(&f);
    jfix_free(&f);
}
END_TEST

START_TEST(json_limit_depth)
{
    jfix f;
    jfix_init(&f);
    f.ld.limits.max_depth = 3;
    ck_assert_int_eq(load(&f, "{\"a\": [{\"b\": 1}]}"), DCFG_OK); /* 3 levels */
    ck_assert_int_eq(load(&f, "[[[\"scalars do not count\"]]]"), DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(f.ld.diags), 0);
    ck_assert_int_eq(load(&f, "{\"a\": [1, {\"b\": {}}]}"), DCFG_ELIMIT);
    const dcfg_diag *g = only_limit_diag(&f);
    ck_assert_str_eq(dcfg_diag_path(g), "a[1].b");
    ck_assert_uint_eq(dcfg_diag_line(g), 0);
    ck_assert_ptr_nonnull(strstr(dcfg_diag_message(g), "3"));
    jfix_free(&f);

    jfix_init(&f);
    f.ld.limits.max_depth = 2;
    ck_assert_int_eq(load(&f, "[[[1]]]"), DCFG_ELIMIT);
    ck_assert_str_eq(dcfg_diag_path(only_limit_diag(&f)), "[0][0]");
    jfix_free(&f);
}
END_TEST

START_TEST(json_limit_nodes)
{
    jfix f;
    jfix_init(&f);
    f.ld.limits.max_nodes = 5; /* every key and value is a node */
    ck_assert_int_eq(load(&f, "{\"a\": 1, \"b\": 2}"), DCFG_OK);
    ck_assert_int_eq(load(&f, "[1, 2, 3, 4]"), DCFG_OK);
    ck_assert_int_eq(load(&f, "[1, 2, 3, 4, 5]"), DCFG_ELIMIT);
    ck_assert_str_eq(dcfg_diag_path(only_limit_diag(&f)), "[4]");
    jfix_free(&f);

    jfix_init(&f);
    f.ld.limits.max_nodes = 5;
    ck_assert_int_eq(load(&f, "{\"a\": 1, \"b\": [true]}"), DCFG_ELIMIT);
    ck_assert_str_eq(dcfg_diag_path(only_limit_diag(&f)), "b[0]");
    jfix_free(&f);
}
END_TEST

START_TEST(json_limit_string_length)
{
    jfix f;
    jfix_init(&f);
    f.ld.limits.max_string_bytes = 4;
    ck_assert_int_eq(load(&f, "{\"abcd\": \"wxyz\", \"e\": \"\\u00e9\\u00e9\"}"), DCFG_OK);
    ck_assert_int_eq(load(&f, "{\"ok\": {\"s\": \"\\u00e9\\u00e9x\"}}"), DCFG_ELIMIT); /* 5 bytes */
    ck_assert_str_eq(dcfg_diag_path(only_limit_diag(&f)), "ok.s");
    jfix_free(&f);

    /* keys count too */
    jfix_init(&f);
    f.ld.limits.max_string_bytes = 4;
    ck_assert_int_eq(load(&f, "{\"a\": {\"abcde\": 1}}"), DCFG_ELIMIT);
    ck_assert_str_eq(dcfg_diag_path(only_limit_diag(&f)), "a.abcde");
    jfix_free(&f);
}
END_TEST

/* Allocator that fails every allocation from the Nth on. */
typedef struct failing {
    long left;
} failing;
static void *f_malloc(size_t n, void *u)
{
    failing *st = u;
    return st->left-- > 0 ? malloc(n) : NULL;
}
static void *f_realloc(void *p, size_t n, void *u)
{
    failing *st = u;
    return st->left-- > 0 ? realloc(p, n) : NULL;
}
static void f_free(void *p, void *u)
{
    (void)u;
    free(p);
}

START_TEST(json_out_of_memory)
{
    static const char doc[] = "{\"a\": [1, 2.5, \"three\", {\"four\": null}], \"b\": true}";
    int ok = 0;
    for (long n = 0; n < 50 && !ok; n++) {
        failing st = { n };
        dcfg_allocator al = { f_malloc, f_realloc, f_free, &st };
        dcfg__arena arena;
        dcfg__arena_init(&arena, &al);
        dcfg__load ld;
        memset(&ld, 0, sizeof ld);
        ld.arena = &arena;
        ld.diags = dcfg__diags_new(&dcfg__default_allocator, NULL);
        dcfg__node *root = NULL;
        dcfg_status rc = dcfg__json_load(&root, doc, sizeof doc - 1, &ld);
        if (rc == DCFG_OK) {
            ok = 1;
            ck_assert_ptr_nonnull(root);
        } else {
            ck_assert_int_eq(rc, DCFG_ENOMEM);
            ck_assert_ptr_null(root);
        }
        dcfg_diags_free(ld.diags);
        dcfg__arena_free(&arena);
    }
    ck_assert_int_eq(ok, 1);
}
END_TEST

Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, json_scalar_types);
    tcase_add_test(tc, json_top_level_values);
    tcase_add_test(tc, json_keeps_key_order);
    tcase_add_test(tc, json_nesting);
    tcase_add_test(tc, json_string_contents);
    tcase_add_test(tc, json_input_need_not_be_terminated);
    tcase_add_test(tc, json_errors_ask_for_fallback);
    tcase_add_test(tc, json_invalid_utf8_asks_for_fallback);
    tcase_add_test(tc, json_limit_input_size);
    tcase_add_test(tc, json_limit_depth);
    tcase_add_test(tc, json_limit_nodes);
    tcase_add_test(tc, json_limit_string_length);
    tcase_add_test(tc, json_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}
