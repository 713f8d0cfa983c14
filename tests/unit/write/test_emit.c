#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "config_impl.h"

/* Emits n and compares with want (length included, so NULs count). */
static void expect_emit(const dcfg__node *n, unsigned flags, const char *want, size_t want_len)
{
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    ck_assert_int_eq(dcfg__emit_json(&b, n, flags), DCFG_OK);
    ck_assert_ptr_nonnull(b.p);
    ck_assert_msg(b.len == want_len && memcmp(b.p, want, want_len) == 0, "got [%s], want [%s]", b.p,
                  want);
    dcfg__buf_free(&b);
}
#define EXPECT(n, flags, lit) expect_emit(n, flags, lit, sizeof lit - 1)

static dcfg__node *kv(dcfg__arena *a, dcfg__node *map, const char *key, dcfg__node *val)
{
    dcfg__map_put(map, dcfg__mk_strz(a, key), val);
    return map;
}

/* The tree pydantic dumped for the expected texts below:
 * {"port": {"local_port": 80, "container_port": 8000}, "rate_limits": [], "env": {},
 *  "scaling": {"target": 10.0, "rps": 0.016666666666666666, "tiny": 1e-7},
 *  "list": [1, [2, []], {"k": None}], "flags": [True, False]} */
static dcfg__node *sample(dcfg__arena *a)
{
    dcfg__node *root = dcfg__mk_map(a, 6);
    dcfg__node *port = dcfg__mk_map(a, 2);
    kv(a, port, "local_port", dcfg__mk_int(a, 80));
    kv(a, port, "container_port", dcfg__mk_int(a, 8000));
    kv(a, root, "port", port);
    kv(a, root, "rate_limits", dcfg__mk_seq(a, 0));
    kv(a, root, "env", dcfg__mk_map(a, 0));
    dcfg__node *sc = dcfg__mk_map(a, 3);
    kv(a, sc, "target", dcfg__mk_float(a, 10.0));
    kv(a, sc, "rps", dcfg__mk_float(a, 1.0 / 60));
    kv(a, sc, "tiny", dcfg__mk_float(a, 1e-7));
    kv(a, root, "scaling", sc);
    dcfg__node *list = dcfg__mk_seq(a, 3), *inner = dcfg__mk_seq(a, 2), *km = dcfg__mk_map(a, 1);
    dcfg__seq_push(inner, dcfg__mk_int(a, 2));
    dcfg__seq_push(inner, dcfg__mk_seq(a, 0));
    kv(a, km, "k", dcfg__mk(a, DCFG__NULL));
    dcfg__seq_push(list, dcfg__mk_int(a, 1));
    dcfg__seq_push(list, inner);
    dcfg__seq_push(list, km);
    kv(a, root, "list", list);
    dcfg__node *flags = dcfg__mk_seq(a, 2);
    dcfg__seq_push(flags, dcfg__mk_bool(a, 1));
    dcfg__seq_push(flags, dcfg__mk_bool(a, 0));
    kv(a, root, "flags", flags);
    return root;
}

START_TEST(emit_compact_like_model_dump_json)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    EXPECT(sample(&a), 0,
           "{\"port\":{\"local_port\":80,\"container_port\":8000},\"rate_limits\":[],\"env\":{},"
           "\"scaling\":{\"target\":10.0,\"rps\":0.016666666666666666,\"tiny\":1e-7},"
           "\"list\":[1,[2,[]],{\"k\":null}],\"flags\":[true,false]}");
    dcfg__arena_free(&a);
}
END_TEST

START_TEST(emit_pretty_two_space_indent)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    EXPECT(sample(&a), DCFG_EMIT_PRETTY,
           "{\n"
           "  \"port\": {\n"
           "    \"local_port\": 80,\n"
           "    \"container_port\": 8000\n"
           "  },\n"
           "  \"rate_limits\": [],\n"
           "  \"env\": {},\n"
           "  \"scaling\": {\n"
           "    \"target\": 10.0,\n"
           "    \"rps\": 0.016666666666666666,\n"
           "    \"tiny\": 1e-7\n"
           "  },\n"
           "  \"list\": [\n"
           "    1,\n"
           "    [\n"
           "      2,\n"
           "      []\n"
           "    ],\n"
           "    {\n"
           "      \"k\": null\n"
           "    }\n"
           "  ],\n"
           "  \"flags\": [\n"
           "    true,\n"
           "    false\n"
           "  ]\n"
           "}\n");
    dcfg__arena_free(&a);
}
END_TEST

START_TEST(emit_scalars)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    EXPECT(dcfg__mk(&a, DCFG__NULL), 0, "null");
    EXPECT(dcfg__mk(&a, DCFG__NULL), DCFG_EMIT_PRETTY, "null\n");
    EXPECT(NULL, 0, "null");
    EXPECT(dcfg__mk_bool(&a, 1), 0, "true");
    EXPECT(dcfg__mk_bool(&a, 0), 0, "false");
    EXPECT(dcfg__mk_int(&a, 0), 0, "0");
    EXPECT(dcfg__mk_int(&a, -42), 0, "-42");
    EXPECT(dcfg__mk_int(&a, 9223372036854775807LL), 0, "9223372036854775807");
    EXPECT(dcfg__mk_int(&a, -9223372036854775807LL - 1), 0, "-9223372036854775808");
    EXPECT(dcfg__mk_float(&a, 8.0), 0, "8.0");
    EXPECT(dcfg__mk_float(&a, 1024.0), 0, "1024.0");
    EXPECT(dcfg__mk_float(&a, 0.1), 0, "0.1");
    EXPECT(dcfg__mk_float(&a, 1e-5), 0, "0.00001");
    EXPECT(dcfg__mk_float(&a, 1e16), 0, "1e+16");
    EXPECT(dcfg__mk_float(&a, -0.0), 0, "-0.0");
    EXPECT(dcfg__mk_float(&a, INFINITY), 0, "null");
    EXPECT(dcfg__mk_float(&a, NAN), 0, "null");
    EXPECT(dcfg__mk_strz(&a, ""), 0, "\"\"");
    EXPECT(dcfg__mk_strz(&a, "service"), DCFG_EMIT_PRETTY, "\"service\"\n");

    /* integers outside int64 are written from their text */
    dcfg__node *big = dcfg__mk_int(&a, 0);
    big->flags |= DCFG__NF_BIGINT;
    big->str = "123456789012345678901234567890";
    big->len = strlen(big->str);
    EXPECT(big, 0, "123456789012345678901234567890");
    dcfg__node *seq = dcfg__mk_seq(&a, 1);
    dcfg__seq_push(seq, big);
    EXPECT(seq, 0, "[123456789012345678901234567890]");
    dcfg__arena_free(&a);
}
END_TEST

START_TEST(emit_string_escapes)
{
    /* pydantic: "a\"b\\c\n\t\r\b\f\u0001\u001f<DEL>é<U+2028>\u0000" */
    static const char raw[] = "a\"b\\c\n\t\r\b\f\x01\x1f\x7f\xc3\xa9\xe2\x80\xa8\0/";
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__node *s = dcfg__mk_str(&a, raw, sizeof raw - 1);
    EXPECT(s, 0, "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\xc3\xa9\xe2\x80\xa8\\u0000/\"");
    static const char ctl[] = "\x0b\x0e\x10\x1b";
    EXPECT(dcfg__mk_str(&a, ctl, sizeof ctl - 1), 0, "\"\\u000b\\u000e\\u0010\\u001b\"");
    /* a lone surrogate (from a YAML escape) as Python's json.dumps writes it; 0xED otherwise is text */
    static const char sur[] = "\xed\xb4\x80-\xed\x9f\xbf-\xed\xa0\x80\xed\xbf\xbf";
    EXPECT(dcfg__mk_str(&a, sur, sizeof sur - 1), 0, "\"\\udd00-\xed\x9f\xbf-\\ud800\\udfff\"");
    /* keys are escaped the same way */
    dcfg__node *m = dcfg__mk_map(&a, 1);
    kv(&a, m, "k\"\n", dcfg__mk_strz(&a, "v"));
    EXPECT(m, 0, "{\"k\\\"\\n\":\"v\"}");
    EXPECT(m, DCFG_EMIT_PRETTY, "{\n  \"k\\\"\\n\": \"v\"\n}\n");
    dcfg__arena_free(&a);
}
END_TEST

START_TEST(emit_non_string_keys)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__node *m = dcfg__mk_map(&a, 3);
    dcfg__map_put(m, dcfg__mk_int(&a, 1), dcfg__mk_strz(&a, "x"));
    dcfg__map_put(m, dcfg__mk_bool(&a, 1), dcfg__mk_int(&a, 2));
    dcfg__map_put(m, dcfg__mk(&a, DCFG__NULL), dcfg__mk_int(&a, 3));
    EXPECT(m, 0, "{\"1\":\"x\",\"true\":2,\"null\":3}");
    dcfg__arena_free(&a);
}
END_TEST

/* Compact JSON loaded and emitted again comes back byte for byte. */
START_TEST(emit_round_trips_loaded_json)
{
    static const char doc[] =
        "{\"type\":\"service\",\"port\":8000,\"env\":{\"Z\":\"1\",\"A\":\"\\u0000\\n\"},"
        "\"resources\":{\"memory\":{\"min\":8.0,\"max\":null},\"disk\":{\"size\":{\"min\":200.5,\"max\":1e+16}}},"
        "\"rps\":0.016666666666666666,\"ok\":[true,false,null,-1,[],{}],\"u\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\"}";
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__load ld;
    memset(&ld, 0, sizeof ld);
    ld.arena = &a;
    ld.diags = dcfg__diags_new(&dcfg__default_allocator, NULL);
    dcfg__node *root = NULL;
    ck_assert_int_eq(dcfg__json_load(&root, doc, sizeof doc - 1, &ld), DCFG_OK);
    EXPECT(root, 0, doc);
    dcfg_diags_free(ld.diags);
    dcfg__arena_free(&a);
}
END_TEST

/* Appends to what the buffer already holds. */
START_TEST(emit_appends)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    dcfg__buf_puts(&b, "x=");
    ck_assert_int_eq(dcfg__emit_json(&b, dcfg__mk_int(&a, 5), 0), DCFG_OK);
    ck_assert_str_eq(b.p, "x=5");
    dcfg__buf_free(&b);
    dcfg__arena_free(&a);
}
END_TEST

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

START_TEST(emit_out_of_memory)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__node *root = sample(&a);
    /* non-string keys take a temporary buffer, so include one */
    dcfg__node *m = dcfg__mk_map(&a, 2);
    dcfg__map_put(m, dcfg__mk_int(&a, 7), root);
    int ok = 0;
    for (long n = 0; n < 40 && !ok; n++) {
        failing st = { n };
        dcfg_allocator al = { f_malloc, f_realloc, f_free, &st };
        dcfg__buf b;
        dcfg__buf_init(&b, &al);
        dcfg_status rc = dcfg__emit_json(&b, m, DCFG_EMIT_PRETTY);
        if (rc == DCFG_OK)
            ok = 1;
        else
            ck_assert_int_eq(rc, DCFG_ENOMEM);
        dcfg__buf_free(&b);
    }
    ck_assert_int_eq(ok, 1);
    dcfg__arena_free(&a);
}
END_TEST

Suite *emit_suite(void)
{
    Suite *s = suite_create("emit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, emit_compact_like_model_dump_json);
    tcase_add_test(tc, emit_pretty_two_space_indent);
    tcase_add_test(tc, emit_scalars);
    tcase_add_test(tc, emit_string_escapes);
    tcase_add_test(tc, emit_non_string_keys);
    tcase_add_test(tc, emit_round_trips_loaded_json);
    tcase_add_test(tc, emit_appends);
    tcase_add_test(tc, emit_out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}
