#include <locale.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "core/core.h"

/* Expected texts computed with Python 3 / pydantic 2.13:
 * repr(x) and RootModel[float](x).model_dump_json(). */
static const struct {
    double x;
    const char *repr, *json;
} floats[] = {
    { 0.1, "0.1", "0.1" },
    { 1e+16, "1e+16", "1e+16" },
    { 1e-05, "1e-05", "0.00001" },
    { 0.0001, "0.0001", "0.0001" },
    { 123.456, "123.456", "123.456" },
    { 0.3333333333333333, "0.3333333333333333", "0.3333333333333333" },
    { 5e-324, "5e-324", "5e-324" },
    { 1.7976931348623157e+308, "1.7976931348623157e+308", "1.7976931348623157e+308" },
    { -0.0, "-0.0", "-0.0" },
    { 0.0, "0.0", "0.0" },
    { 80.0, "80.0", "80.0" },
    { 1024.0, "1024.0", "1024.0" },
    { 0.016666666666666666, "0.016666666666666666", "0.016666666666666666" },
    { 1e-07, "1e-07", "1e-7" },
    { 1.5e-05, "1.5e-05", "0.000015" },
    { 9.99e-06, "9.99e-06", "9.99e-6" },
    { 2.5e-06, "2.5e-06", "2.5e-6" },
    { 1000000000000000.0, "1000000000000000.0", "1000000000000000.0" },
    { 9999999999999998.0, "9999999999999998.0", "9999999999999998.0" },
    { 123456789012345.0, "123456789012345.0", "123456789012345.0" },
    { 1234567890123456.8, "1234567890123456.8", "1234567890123456.8" },
    { 1e+17, "1e+17", "1e+17" },
    { 1e+22, "1e+22", "1e+22" },
    { 1e+23, "1e+23", "1e+23" },
    { -1.5e+300, "-1.5e+300", "-1.5e+300" },
    { 1.5e-323, "1.5e-323", "1.5e-323" },
    { 1e-323, "1e-323", "1e-323" },
    { 2.2250738585072014e-308, "2.2250738585072014e-308", "2.2250738585072014e-308" },
    { 8.98846567431158e+307, "8.98846567431158e+307", "8.98846567431158e+307" },
    { 1.152921504606847e+18, "1.152921504606847e+18", "1.152921504606847e+18" },
    { 9007199254740994.0, "9007199254740994.0", "9007199254740994.0" },
    { 0.5, "0.5", "0.5" },
    { -2.5, "-2.5", "-2.5" },
    { 1e-10, "1e-10", "1e-10" },
    { 3.14159, "3.14159", "3.14159" },
    { 0.6666666666666666, "0.6666666666666666", "0.6666666666666666" },
    { 100.0, "100.0", "100.0" },
    /* whole numbers: below 2**53 laid out from their integer digits */
    { 1.0, "1.0", "1.0" },
    { -7.0, "-7.0", "-7.0" },
    { 1e15, "1000000000000000.0", "1000000000000000.0" },
    { 9007199254740991.0, "9007199254740991.0", "9007199254740991.0" },
    { 9007199254740992.0, "9007199254740992.0", "9007199254740992.0" },
    { 1e16, "1e+16", "1e+16" },
    { 1.1, "1.1", "1.1" },
    { 3.1, "3.1", "3.1" },
    { 8.0, "8.0", "8.0" },
    { 0.3, "0.3", "0.3" },
    { 0.30000000000000004, "0.30000000000000004", "0.30000000000000004" },
    { 1e+100, "1e+100", "1e+100" },
    { 1.2345e-300, "1.2345e-300", "1.2345e-300" },
    { 4.35, "4.35", "4.35" },
    { 1.5372286728091293e+17, "1.5372286728091293e+17", "1.5372286728091293e+17" },
    { -0.0001, "-0.0001", "-0.0001" },
    { -1e-05, "-1e-05", "-0.00001" },
    /* powers of two whose nearest 16-digit decimal does not read back,
     * while its upper neighbour does (2**405, 2**-957) */
    { 8.263199609878108e+121, "8.263199609878108e+121", "8.263199609878108e+121" },
    { 8.209073602596753e-289, "8.209073602596753e-289", "8.209073602596753e-289" },
};

START_TEST(float_repr_matches_python)
{
    char buf[32];
    for (size_t i = 0; i < sizeof floats / sizeof *floats; i++) {
        size_t n = dcfg__float_repr(buf, floats[i].x);
        ck_assert_msg(strcmp(buf, floats[i].repr) == 0, "repr #%zu: got %s, want %s", i, buf,
                      floats[i].repr);
        ck_assert_uint_eq(n, strlen(floats[i].repr));
    }
}
END_TEST

START_TEST(buffer_integers_match_printf)
{
    const long long values[] = { 0, 1, -1, 9, 10, -10, 123456789, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        char want[32];
        snprintf(want, sizeof want, "%lld", values[i]);
        dcfg__buf b;
        dcfg__buf_init(&b, &dcfg__default_allocator);
        dcfg__buf_putc(&b, '[');
        dcfg__buf_put_int(&b, values[i]);
        ck_assert_msg(!b.oom && b.len == strlen(want) + 1 && strcmp(b.p + 1, want) == 0, "got %s, want %s",
                      b.p ? b.p + 1 : "(null)", want);
        dcfg__buf_free(&b);
    }
}
END_TEST

START_TEST(float_json_matches_pydantic)
{
    char buf[32];
    for (size_t i = 0; i < sizeof floats / sizeof *floats; i++) {
        size_t n = dcfg__float_json(buf, floats[i].x);
        ck_assert_msg(strcmp(buf, floats[i].json) == 0, "json #%zu: got %s, want %s", i, buf,
                      floats[i].json);
        ck_assert_uint_eq(n, strlen(floats[i].json));
    }
}
END_TEST

START_TEST(float_non_finite)
{
    char buf[32];
    ck_assert_uint_eq(dcfg__float_repr(buf, INFINITY), 3);
    ck_assert_str_eq(buf, "inf");
    dcfg__float_repr(buf, -INFINITY);
    ck_assert_str_eq(buf, "-inf");
    dcfg__float_repr(buf, NAN);
    ck_assert_str_eq(buf, "nan");
    dcfg__float_repr(buf, -NAN);
    ck_assert_str_eq(buf, "nan");
    ck_assert_uint_eq(dcfg__float_json(buf, INFINITY), 4);
    ck_assert_str_eq(buf, "null");
    dcfg__float_json(buf, -INFINITY);
    ck_assert_str_eq(buf, "null");
    dcfg__float_json(buf, NAN);
    ck_assert_str_eq(buf, "null");
}
END_TEST

/* Every output must read back (in the C locale) as the same double. */
START_TEST(float_round_trips)
{
    char buf[32];
    unsigned long long s = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double x;
        memcpy(&x, &s, sizeof x);
        if (!isfinite(x))
            continue;
        ck_assert_uint_lt(dcfg__float_repr(buf, x), 32);
        ck_assert(strtod(buf, NULL) == x);
        ck_assert_uint_lt(dcfg__float_json(buf, x), 32);
        ck_assert(strtod(buf, NULL) == x);
    }
}
END_TEST

/* A float read from a decimal of at most 15 significant digits is written
 * as those digits (the shortest form: no other such decimal reads as the
 * same double), at every scale: the case the writer takes without printing. */
START_TEST(float_repr_of_short_decimals_is_their_digits)
{
    char text[48], buf[32];
    unsigned long long s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 100000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        int ndig = 1 + (int)(s % 15);
        unsigned long long r = (s >> 8) % 1000000000000000ull;
        while (r >= 10 && (int)snprintf(text, sizeof text, "%llu", r) > ndig)
            r /= 10;
        if (r % 10 == 0)
            r++;
        int m = (int)((s >> 4) % 24) - 3; /* also scales beyond the table, and whole numbers */
        snprintf(text, sizeof text, "%llue%d", r, -m);
        double x = strtod(text, NULL);
        dcfg__float_repr(buf, x);
        ck_assert_msg(strtod(buf, NULL) == x, "%s: %s does not read back", text, buf);
        char digits[32], want[32];
        size_t k = 0;
        for (const char *p = buf; *p && *p != 'e' && k < sizeof digits - 1; p++)
            if (*p >= '0' && *p <= '9' && (k || *p != '0'))
                digits[k++] = *p;
        while (k > 1 && digits[k - 1] == '0')
            k--; /* whole numbers end in ".0" */
        digits[k] = '\0';
        snprintf(want, sizeof want, "%llu", r);
        ck_assert_msg(strcmp(digits, want) == 0, "%s: wrote %s", text, buf);
    }
}
END_TEST

/* A locale with a decimal comma must not leak into the text. */
START_TEST(float_ignores_locale)
{
    static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8" };
    char saved[64];
    snprintf(saved, sizeof saved, "%s", setlocale(LC_NUMERIC, NULL));
    const char *set = NULL;
    for (size_t i = 0; i < sizeof names / sizeof *names && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    char buf[32];
    dcfg__float_repr(buf, 1.5);
    ck_assert_str_eq(buf, "1.5");
    dcfg__float_repr(buf, 2.5e-7);
    ck_assert_str_eq(buf, "2.5e-07");
    dcfg__float_json(buf, 0.016666666666666666);
    ck_assert_str_eq(buf, "0.016666666666666666");
    setlocale(LC_NUMERIC, saved);
}
END_TEST

/* ---- UTF-8 -------------------------------------------------------------- */

static int valid(const char *s, size_t len, size_t *bad)
{
    *bad = (size_t)-1;
    return dcfg__utf8_valid(s, len, bad);
}

START_TEST(utf8_accepts_valid_text)
{
    size_t bad;
    ck_assert_int_eq(valid("", 0, &bad), 1);
    ck_assert_int_eq(valid("plain ascii", 11, &bad), 1);
    ck_assert_int_eq(valid("a\0b", 3, &bad), 1); /* NUL is valid UTF-8 */
    ck_assert_int_eq(valid("\x7f", 1, &bad), 1);
    ck_assert_int_eq(valid("\xc2\x80", 2, &bad), 1);          /* U+0080 */
    ck_assert_int_eq(valid("caf\xc3\xa9", 5, &bad), 1);       /* é */
    ck_assert_int_eq(valid("\xe0\xa0\x80", 3, &bad), 1);      /* U+0800 */
    ck_assert_int_eq(valid("\xe2\x82\xac", 3, &bad), 1);      /* € */
    ck_assert_int_eq(valid("\xed\x9f\xbf", 3, &bad), 1);      /* U+D7FF */
    ck_assert_int_eq(valid("\xee\x80\x80", 3, &bad), 1);      /* U+E000 */
    ck_assert_int_eq(valid("\xef\xbf\xbf", 3, &bad), 1);      /* U+FFFF */
    ck_assert_int_eq(valid("\xf0\x90\x80\x80", 4, &bad), 1);  /* U+10000 */
    ck_assert_int_eq(valid("\xf0\x9f\x98\x80", 4, &bad), 1);  /* 😀 */
    ck_assert_int_eq(valid("\xf4\x8f\xbf\xbf", 4, &bad), 1);  /* U+10FFFF */
    ck_assert_uint_eq(bad, (size_t)-1);
    /* length is honoured: a bad byte just past len does not count */
    ck_assert_int_eq(valid("ok\xff", 2, &bad), 1);
    ck_assert_int_eq(dcfg__utf8_valid("x\xff", 2, NULL), 0);
}
END_TEST

START_TEST(utf8_rejects_invalid_text)
{
    static const struct {
        const char *s;
        size_t len, bad;
    } cases[] = {
        { "\x80", 1, 0 },                  /* lone continuation */
        { "ab\xbf", 3, 2 },
        { "\xc0\x80", 2, 0 },              /* overlong NUL */
        { "\xc1\xbf", 2, 0 },              /* overlong */
        { "\xe0\x80\x80", 3, 0 },          /* overlong 3-byte */
        { "\xe0\x9f\xbf", 3, 0 },
        { "\xf0\x80\x80\x80", 4, 0 },      /* overlong 4-byte */
        { "\xf0\x8f\xbf\xbf", 4, 0 },
        { "x\xed\xa0\x80", 4, 1 },         /* U+D800 surrogate */
        { "\xed\xbf\xbf", 3, 0 },          /* U+DFFF */
        { "\xf4\x90\x80\x80", 4, 0 },      /* U+110000 */
        { "\xf5\x80\x80\x80", 4, 0 },
        { "\xff", 1, 0 },
        { "\xfe", 1, 0 },
        { "abc\xc3", 4, 3 },               /* truncated at end */
        { "\xe2\x82", 2, 0 },
        { "\xf0\x9f\x98", 3, 0 },
        { "\xc3\x41", 2, 0 },              /* bad continuation */
        { "\xe2\x28\xa1", 3, 0 },
        { "\xf0\x9f\x28\x80", 4, 0 },
        { "ok \xc3\xa9 \xe9t\xe9", 9, 6 }, /* Latin-1 after valid text */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t bad;
        ck_assert_msg(valid(cases[i].s, cases[i].len, &bad) == 0, "case %zu accepted", i);
        ck_assert_msg(bad == cases[i].bad, "case %zu: bad at %zu, want %zu", i, bad, cases[i].bad);
    }
}
END_TEST

/* ---- edit distance -------------------------------------------------------- */

START_TEST(edit_distance_basics)
{
    ck_assert_uint_eq(dcfg__edit_distance("", "", 3), 0);
    ck_assert_uint_eq(dcfg__edit_distance("port", "port", 3), 0);
    ck_assert_uint_eq(dcfg__edit_distance("gpus", "gpu", 3), 1);    /* deletion */
    ck_assert_uint_eq(dcfg__edit_distance("gpu", "gpus", 3), 1);    /* insertion */
    ck_assert_uint_eq(dcfg__edit_distance("pert", "port", 3), 1);   /* substitution */
    ck_assert_uint_eq(dcfg__edit_distance("prot", "port", 3), 1);   /* transposition */
    ck_assert_uint_eq(dcfg__edit_distance("ab", "ba", 3), 1);
    ck_assert_uint_eq(dcfg__edit_distance("kitten", "sitting", 5), 3);
    ck_assert_uint_eq(dcfg__edit_distance("replcias", "replicas", 3), 1);
    ck_assert_uint_eq(dcfg__edit_distance("imgae", "image", 3), 1);
    ck_assert_uint_eq(dcfg__edit_distance("abc", "", 5), 3);
    ck_assert_uint_eq(dcfg__edit_distance("", "abcd", 9), 4);
    /* optimal string alignment, not unrestricted Damerau: "ca" -> "abc" is 3, not 2 */
    ck_assert_uint_eq(dcfg__edit_distance("ca", "abc", 5), 3);
    /* bytes, case-sensitive */
    ck_assert_uint_eq(dcfg__edit_distance("Port", "port", 3), 1);
    ck_assert_uint_eq(dcfg__edit_distance("caf\xc3\xa9", "cafe", 3), 2);
}
END_TEST

START_TEST(edit_distance_is_capped)
{
    ck_assert_uint_eq(dcfg__edit_distance("kitten", "sitting", 2), 3);
    ck_assert_uint_eq(dcfg__edit_distance("kitten", "sitting", 1), 2);
    ck_assert_uint_eq(dcfg__edit_distance("kitten", "sitting", 0), 1);
    ck_assert_uint_eq(dcfg__edit_distance("a", "b", 0), 1);
    ck_assert_uint_eq(dcfg__edit_distance("a", "a", 0), 0);
    ck_assert_uint_eq(dcfg__edit_distance("environment", "env", 2), 3);
    ck_assert_uint_eq(dcfg__edit_distance("abcdefgh", "hgfedcba", 2), 3);
    ck_assert_uint_eq(dcfg__edit_distance("x", "y", (unsigned)-1), 1);

    /* long strings stay cheap and exact within the cap */
    char a[2001], b[2001];
    memset(a, 'x', 2000);
    memcpy(b, a, 2000);
    a[2000] = b[2000] = '\0';
    b[1000] = 'y';
    b[1500] = 'z';
    ck_assert_uint_eq(dcfg__edit_distance(a, b, 3), 2);
    ck_assert_uint_eq(dcfg__edit_distance(a, b, 1), 2);
    b[1999] = '\0';
    ck_assert_uint_eq(dcfg__edit_distance(a, b, 10), 3);
}
END_TEST

/* dcfg__first_equal agrees with dcfg__node_equal: 0.0 and -0.0, every NaN,
 * int 1 and string "1" apart, big integers by text, maps by content. */
START_TEST(first_equal_matches_node_equal)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__node *seq = dcfg__mk_seq(&a, 12);
    dcfg__node *big1 = dcfg__mk_strz(&a, "123456789012345678901234567890");
    dcfg__node *big2 = dcfg__mk_strz(&a, "123456789012345678901234567890");
    big1->type = big2->type = DCFG__INT;
    big1->flags = big2->flags = DCFG__NF_BIGINT;
    dcfg__node *m1 = dcfg__mk_map(&a, 1), *m2 = dcfg__mk_map(&a, 1);
    dcfg__map_put(m1, dcfg__mk_strz(&a, "url"), dcfg__mk_strz(&a, "/a"));
    dcfg__map_put(m2, dcfg__mk_strz(&a, "url"), dcfg__mk_strz(&a, "/a"));
    dcfg__node *items[] = { dcfg__mk_float(&a, 0.0), dcfg__mk_float(&a, -0.0), dcfg__mk_float(&a, NAN),
                            dcfg__mk_float(&a, NAN), dcfg__mk_int(&a, 1), dcfg__mk_strz(&a, "1"),
                            dcfg__mk_int(&a, 1), big1, big2, m1, m2, dcfg__mk(&a, DCFG__NULL) };
    static const size_t want[] = { 0, 0, 2, 2, 4, 5, 4, 7, 7, 9, 9, 11 };
    for (size_t i = 0; i < 12; i++)
        dcfg__seq_push(seq, items[i]);
    size_t *first = dcfg__first_equal(&dcfg__default_allocator, seq, -1);
    ck_assert_ptr_nonnull(first);
    for (size_t i = 0; i < 12; i++) {
        ck_assert_uint_eq(first[i], want[i]);
        for (size_t j = 0; j <= i; j++) /* the smallest equal index, as a pairwise scan finds it */
            if (dcfg__node_equal(items[i], items[j])) {
                ck_assert_uint_eq(first[i], j);
                break;
            }
    }
    dcfg__free(&dcfg__default_allocator, first);
    /* by field: the url value of each map */
    dcfg__node *maps = dcfg__mk_seq(&a, 2);
    dcfg__seq_push(maps, m1);
    dcfg__seq_push(maps, m2);
    first = dcfg__first_equal(&dcfg__default_allocator, maps, 0);
    ck_assert_uint_eq(first[0], 0);
    ck_assert_uint_eq(first[1], 0);
    dcfg__free(&dcfg__default_allocator, first);
    dcfg__arena_free(&a);
}
END_TEST

Suite *text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, float_repr_matches_python);
    tcase_add_test(tc, float_json_matches_pydantic);
    tcase_add_test(tc, buffer_integers_match_printf);
    tcase_add_test(tc, float_non_finite);
    tcase_add_test(tc, float_round_trips);
    tcase_add_test(tc, float_repr_of_short_decimals_is_their_digits);
    tcase_add_test(tc, float_ignores_locale);
    tcase_add_test(tc, utf8_accepts_valid_text);
    tcase_add_test(tc, utf8_rejects_invalid_text);
    tcase_add_test(tc, edit_distance_basics);
    tcase_add_test(tc, edit_distance_is_capped);
    tcase_add_test(tc, first_equal_matches_node_equal);
    suite_add_tcase(s, tc);
    return s;
}
