/* YAML front end (lib/read/yaml_*.c): typing, positions, anchors, merges,
 * duplicate keys, limits and error reporting, checked against what PyYAML's
 * yaml.safe_load produces. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "suites.h"
#include "read/read.h"

/* ---- fixture ------------------------------------------------------------ */

static dcfg__arena arena;
static dcfg_diags *diags;
static dcfg__load ld;
static dcfg__node *root;

static void setup(void)
{
    dcfg__arena_init(&arena, &dcfg__default_allocator);
    diags = dcfg__diags_new(&dcfg__default_allocator, "<test>");
    ck_assert_ptr_nonnull(diags);
    ld.arena = &arena;
    ld.diags = diags;
    ld.limits.max_input_bytes = 16u << 20;
    ld.limits.max_depth = 64;
    ld.limits.max_nodes = 100000;
    ld.limits.max_string_bytes = 1u << 20;
    ld.flags = 0;
    root = NULL;
}

static void teardown(void)
{
    dcfg_diags_free(diags);
    dcfg__arena_free(&arena);
}

static dcfg_status load_n(const char *src, size_t len)
{
    dcfg__diags_clear(diags);
    root = (dcfg__node *)&root; /* must be overwritten */
    dcfg_status st = dcfg__yaml_load(&root, src, len, &ld, 0);
    if (st != DCFG_OK)
        ck_assert_ptr_null(root);
    else
        ck_assert_ptr_nonnull(root);
    return st;
}

static dcfg_status load(const char *src) { return load_n(src, strlen(src)); }

static dcfg_status load_json(const char *src)
{
    dcfg__diags_clear(diags);
    root = NULL;
    return dcfg__yaml_load(&root, src, strlen(src), &ld, 1);
}

static const dcfg__node *get(const dcfg__node *m, const char *key)
{
    const dcfg__node *v = dcfg__map_get(m, key);
    ck_assert_msg(v != NULL, "missing key %s", key);
    return v;
}

static const dcfg_diag *diag0(void)
{
    ck_assert_uint_ge(dcfg_diags_count(diags), 1);
    return dcfg_diags_at(diags, 0);
}

static void assert_diag(const dcfg_diag *g, dcfg_diag_code code, dcfg_severity sev, unsigned line, unsigned col)
{
    ck_assert_int_eq(dcfg_diag_code_of(g), code);
    ck_assert_int_eq(dcfg_diag_severity(g), sev);
    ck_assert_uint_eq(dcfg_diag_line(g), line);
    ck_assert_uint_eq(dcfg_diag_column(g), col);
}

static void assert_msg_has(const dcfg_diag *g, const char *needle)
{
    ck_assert_msg(strstr(dcfg_diag_message(g), needle) != NULL, "message \"%s\" lacks \"%s\"",
                  dcfg_diag_message(g), needle);
}

/* Documents the reader must refuse with a syntax error at line:col, whose
 * message contains `needle` (NULL: any message). */
typedef struct syntax_case {
    const char *src;
    unsigned line, col;
} syntax_case;

static void assert_refused(const syntax_case *cases, size_t n, const char *needle)
{
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(load(cases[i].src) == DCFG_ESYNTAX, "accepted: %s", cases[i].src);
        assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, cases[i].line, cases[i].col);
        if (needle)
            assert_msg_has(diag0(), needle);
    }
}

static void assert_pos(const dcfg__node *n, unsigned line, unsigned col)
{
    ck_assert_ptr_nonnull(n);
    ck_assert_uint_eq(n->line, line);
    ck_assert_uint_eq(n->col, col);
}

static int is_str(const dcfg__node *n, const char *s) { return dcfg__node_is_str(n, s); }

/* Loads "v: TEXT" and returns the value node. */
static const dcfg__node *scalar(const char *text)
{
    char buf[256];
    snprintf(buf, sizeof buf, "v: %s\n", text);
    ck_assert_msg(load(buf) == DCFG_OK, "load failed for %s", text);
    ck_assert_uint_eq(dcfg_diags_count(diags), 0);
    return get(root, "v");
}

/* ---- scalar typing ------------------------------------------------------ */

typedef struct scalar_case {
    const char *text;
    dcfg__ntype type;
    long long i; /* INT, BOOL */
    double f;    /* FLOAT */
} scalar_case;

static const scalar_case typing[] = {
    /* null */
    { "~", DCFG__NULL, 0, 0 }, { "null", DCFG__NULL, 0, 0 }, { "Null", DCFG__NULL, 0, 0 },
    { "NULL", DCFG__NULL, 0, 0 }, { "", DCFG__NULL, 0, 0 }, { "nULL", DCFG__STR, 0, 0 },
    { "none", DCFG__STR, 0, 0 },
    /* bool: YAML 1.1 words, three spellings each; y/n are strings */
    { "yes", DCFG__BOOL, 1, 0 }, { "Yes", DCFG__BOOL, 1, 0 }, { "YES", DCFG__BOOL, 1, 0 },
    { "no", DCFG__BOOL, 0, 0 }, { "No", DCFG__BOOL, 0, 0 }, { "NO", DCFG__BOOL, 0, 0 },
    { "true", DCFG__BOOL, 1, 0 }, { "True", DCFG__BOOL, 1, 0 }, { "TRUE", DCFG__BOOL, 1, 0 },
    { "false", DCFG__BOOL, 0, 0 }, { "False", DCFG__BOOL, 0, 0 }, { "FALSE", DCFG__BOOL, 0, 0 },
    { "on", DCFG__BOOL, 1, 0 }, { "On", DCFG__BOOL, 1, 0 }, { "ON", DCFG__BOOL, 1, 0 },
    { "off", DCFG__BOOL, 0, 0 }, { "Off", DCFG__BOOL, 0, 0 }, { "OFF", DCFG__BOOL, 0, 0 },
    { "y", DCFG__STR, 0, 0 }, { "n", DCFG__STR, 0, 0 }, { "Y", DCFG__STR, 0, 0 },
    { "yEs", DCFG__STR, 0, 0 }, { "oN", DCFG__STR, 0, 0 },
    /* int */
    { "0", DCFG__INT, 0, 0 }, { "-0", DCFG__INT, 0, 0 }, { "+12", DCFG__INT, 12, 0 },
    { "-12", DCFG__INT, -12, 0 }, { "010", DCFG__INT, 8, 0 }, { "-010", DCFG__INT, -8, 0 },
    { "0777", DCFG__INT, 511, 0 }, { "08", DCFG__STR, 0, 0 }, { "09", DCFG__STR, 0, 0 },
    { "0o10", DCFG__STR, 0, 0 }, { "1_000", DCFG__INT, 1000, 0 }, { "1__0", DCFG__INT, 10, 0 },
    { "_1", DCFG__STR, 0, 0 }, { "0_", DCFG__INT, 0, 0 }, { "0b101", DCFG__INT, 5, 0 },
    { "-0b11", DCFG__INT, -3, 0 }, { "0b1_0", DCFG__INT, 2, 0 }, { "0x1F", DCFG__INT, 31, 0 },
    { "0x1f", DCFG__INT, 31, 0 }, { "-0x1F", DCFG__INT, -31, 0 }, { "0X1F", DCFG__STR, 0, 0 },
    { "0xg", DCFG__STR, 0, 0 }, { "1:30", DCFG__INT, 90, 0 }, { "190:20:30", DCFG__INT, 685230, 0 },
    { "-1:30", DCFG__INT, -90, 0 }, { "1:5", DCFG__INT, 65, 0 }, { "1:60", DCFG__STR, 0, 0 },
    { "0:30", DCFG__STR, 0, 0 }, { "1_0:30", DCFG__INT, 630, 0 },
    { "9223372036854775807", DCFG__INT, LLONG_MAX, 0 },
    { "-9223372036854775808", DCFG__INT, LLONG_MIN, 0 },
    /* float: needs a dot; exponent needs a sign */
    { "1.5", DCFG__FLOAT, 0, 1.5 }, { ".5", DCFG__FLOAT, 0, 0.5 }, { "1.", DCFG__FLOAT, 0, 1.0 },
    { "-1.", DCFG__FLOAT, 0, -1.0 }, { "+.5", DCFG__STR, 0, 0 }, { "-.5", DCFG__STR, 0, 0 },
    { "3.10", DCFG__FLOAT, 0, 3.1 }, { "1.10", DCFG__FLOAT, 0, 1.1 }, { "1.0e+3", DCFG__FLOAT, 0, 1000.0 },
    { "1.e+3", DCFG__FLOAT, 0, 1000.0 }, { "1.5E-2", DCFG__FLOAT, 0, 0.015 }, { "1e3", DCFG__STR, 0, 0 },
    { "1E3", DCFG__STR, 0, 0 }, { "1.0e3", DCFG__STR, 0, 0 }, { "1_0.5", DCFG__FLOAT, 0, 10.5 },
    { "1:30.5", DCFG__FLOAT, 0, 90.5 }, { "-1:30.5", DCFG__FLOAT, 0, -90.5 }, { "1:30.", DCFG__FLOAT, 0, 90.0 },
    { "._", DCFG__STR, 0, 0 }, { "._5", DCFG__STR, 0, 0 }, { ".5_", DCFG__FLOAT, 0, 0.5 },
    { "00.5", DCFG__FLOAT, 0, 0.5 }, { "0.1", DCFG__FLOAT, 0, 0.1 },
    { "1.7976931348623157e+308", DCFG__FLOAT, 0, 1.7976931348623157e+308 },
    { "2.2250738585072014e-308", DCFG__FLOAT, 0, 2.2250738585072014e-308 },
    { ".inf", DCFG__FLOAT, 0, HUGE_VAL }, { "+.inf", DCFG__FLOAT, 0, HUGE_VAL }, { "-.Inf", DCFG__FLOAT, 0, -HUGE_VAL },
    { ".INF", DCFG__FLOAT, 0, HUGE_VAL }, { ".iNf", DCFG__STR, 0, 0 }, { "inf", DCFG__STR, 0, 0 },
    { "1.8e+308", DCFG__FLOAT, 0, HUGE_VAL },
    /* strings */
    { "abc", DCFG__STR, 0, 0 }, { "1a", DCFG__STR, 0, 0 }, { "=x", DCFG__STR, 0, 0 },
    { "<<x", DCFG__STR, 0, 0 }, { "1:2:3:4:5", DCFG__INT, 13403045, 0 }, { "2024-1-1", DCFG__STR, 0, 0 },
    { "v1.2.3", DCFG__STR, 0, 0 }, { "1.2.3", DCFG__STR, 0, 0 }, { "0x", DCFG__STR, 0, 0 },
};

START_TEST(scalar_typing_table)
{
    const scalar_case *c = &typing[_i];
    const dcfg__node *n = scalar(c->text);
    ck_assert_msg(n->type == c->type, "%s: type %d, expected %d", c->text, n->type, c->type);
    ck_assert_msg(!(n->flags & DCFG__NF_QUOTED), "%s: plain scalar flagged quoted", c->text);
    /* source text is kept for every type */
    ck_assert_uint_eq(n->len, strlen(c->text));
    ck_assert_str_eq(n->str, c->text);
    switch (c->type) {
    case DCFG__BOOL: ck_assert_int_eq(n->v.b, (int)c->i); break;
    case DCFG__INT:
        ck_assert(!(n->flags & DCFG__NF_BIGINT));
        ck_assert_msg(n->v.i == c->i, "%s: %lld != %lld", c->text, n->v.i, c->i);
        break;
    case DCFG__FLOAT: ck_assert_msg(n->v.f == c->f, "%s: %.17g != %.17g", c->text, n->v.f, c->f); break;
    case DCFG__STR: ck_assert(!(n->flags & DCFG__NF_TIMESTAMP)); break;
    default: break;
    }
}
END_TEST

START_TEST(floats_special)
{
    const dcfg__node *n = scalar(".nan");
    ck_assert_int_eq(n->type, DCFG__FLOAT);
    ck_assert(isnan(n->v.f));
    n = scalar(".NaN");
    ck_assert(isnan(n->v.f));
    n = scalar(".NAN");
    ck_assert(isnan(n->v.f));
    ck_assert_int_eq(scalar(".Nan")->type, DCFG__STR);
    n = scalar("-0.0");
    ck_assert_int_eq(n->type, DCFG__FLOAT);
    ck_assert(n->v.f == 0.0 && signbit(n->v.f));
    /* correctly rounded even with long mantissas */
    n = scalar("0.1000000000000000055511151231257827021181583404541015625");
    ck_assert(n->v.f == 0.1);
    n = scalar("2.4703282292062328e-324");
    ck_assert(n->v.f > 0.0);
    n = scalar("2.4703282292062327e-324");
    ck_assert(n->v.f == 0.0);
}
END_TEST

START_TEST(timestamps_are_flagged_strings)
{
    static const char *const yes[] = {
        "2024-01-01", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43Z",
        "2001-1-4 1:59:43", "2024-02-29",
    };
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        const dcfg__node *n = scalar(yes[i]);
        ck_assert_int_eq(n->type, DCFG__STR);
        ck_assert_msg(n->flags & DCFG__NF_TIMESTAMP, "%s not a timestamp", yes[i]);
        ck_assert_str_eq(n->str, yes[i]);
    }
    /* not timestamps */
    ck_assert(!(scalar("2024-1-1")->flags & DCFG__NF_TIMESTAMP));
    ck_assert(!(scalar("'2024-01-01'")->flags & DCFG__NF_TIMESTAMP));
    ck_assert(!(scalar("!!str 2024-01-01")->flags & DCFG__NF_TIMESTAMP));
    ck_assert(scalar("!!timestamp 2024-01-01")->flags & DCFG__NF_TIMESTAMP);
    /* datetime() rejects these, so does PyYAML */
    ck_assert_int_eq(load("v: 2024-13-01\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("v: 2023-02-29\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("v: 2001-12-14T25:00:00\n"), DCFG_ESYNTAX);
}
END_TEST

START_TEST(resolve_direct)
{
    dcfg__node *n = dcfg__mk_strz(&arena, "0x1F");
    ck_assert_int_eq(dcfg__yaml11_resolve(n), 0);
    ck_assert_int_eq(n->type, DCFG__INT);
    ck_assert_int_eq(n->v.i, 31);
    ck_assert_str_eq(n->str, "0x1F");

    n = dcfg__mk_strz(&arena, "off");
    ck_assert_int_eq(dcfg__yaml11_resolve(n), 0);
    ck_assert_int_eq(n->type, DCFG__BOOL);
    ck_assert_int_eq(n->v.b, 0);

    n = dcfg__mk_strz(&arena, "");
    ck_assert_int_eq(dcfg__yaml11_resolve(n), 0);
    ck_assert_int_eq(n->type, DCFG__NULL);

    /* no safe constructor, or int()/datetime() fails in PyYAML */
    static const char *const fail[] = { "=", "<<", "0b_", "0x_", "-0b_", "2024-13-01" };
    for (size_t i = 0; i < sizeof fail / sizeof *fail; i++)
        ck_assert_msg(dcfg__yaml11_resolve(dcfg__mk_strz(&arena, fail[i])) == -1, "%s resolved", fail[i]);

    /* big integers: canonical decimal text replaces str */
    n = dcfg__mk_strz(&arena, "0777777777777777777777777");
    ck_assert_int_eq(dcfg__yaml11_resolve(n), 0);
    ck_assert_int_eq(n->type, DCFG__INT);
    ck_assert(n->flags & DCFG__NF_BIGINT);
    ck_assert_str_eq(n->str, "4722366482869645213695");
    ck_assert_uint_eq(n->len, strlen("4722366482869645213695"));
}
END_TEST

START_TEST(big_integers)
{
    static const struct { const char *in, *out; } big[] = {
        { "123456789012345678901234567890", "123456789012345678901234567890" },
        { "-123456789012345678901234567890", "-123456789012345678901234567890" },
        { "+123_456_789_012_345_678_901", "123456789012345678901" },
        { "9223372036854775808", "9223372036854775808" },
        { "-9223372036854775809", "-9223372036854775809" },
        { "0xFFFFFFFFFFFFFFFFFFFF", "1208925819614629174706175" },
        { "-0x1_0000_0000_0000_0000", "-18446744073709551616" },
        { "0b10000000000000000000000000000000000000000000000000000000000000000", "18446744073709551616" },
        { "0777777777777777777777777", "4722366482869645213695" },
        { "123456789012345678901234567890:59", "7407407340740740734074074073459" },
    };
    for (size_t i = 0; i < sizeof big / sizeof *big; i++) {
        const dcfg__node *n = scalar(big[i].in);
        ck_assert_int_eq(n->type, DCFG__INT);
        ck_assert_msg(n->flags & DCFG__NF_BIGINT, "%s not big", big[i].in);
        ck_assert_str_eq(n->str, big[i].out);
        ck_assert_uint_eq(n->len, strlen(big[i].out));
    }
    /* Python refuses int() of more than 4300 decimal digits */
    char *src = malloc(4400);
    ck_assert_ptr_nonnull(src);
    memcpy(src, "v: ", 3);
    memset(src + 3, '7', 4300);
    src[4303] = '\0';
    ck_assert_int_eq(load(src), DCFG_OK);
    ck_assert_uint_eq(get(root, "v")->len, 4300);
    memset(src + 3, '7', 4301);
    src[4304] = '\0';
    ck_assert_int_eq(load(src), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 1, 4);
    free(src);
}
END_TEST

START_TEST(explicit_tags)
{
    const dcfg__node *n = scalar("!!str 12");
    ck_assert(is_str(n, "12"));
    n = scalar("!!str ~");
    ck_assert(is_str(n, "~"));
    n = scalar("!!int '12'");
    ck_assert_int_eq(n->type, DCFG__INT);
    ck_assert_int_eq(n->v.i, 12);
    n = scalar("!!int \"0o17\""); /* int('0o17', 8) */
    ck_assert_int_eq(n->v.i, 15);
    n = scalar("!!float 1e3");
    ck_assert_int_eq(n->type, DCFG__FLOAT);
    ck_assert(n->v.f == 1000.0);
    n = scalar("!!float '12'");
    ck_assert(n->type == DCFG__FLOAT && n->v.f == 12.0);
    n = scalar("!!bool TrUe");
    ck_assert(n->type == DCFG__BOOL && n->v.b == 1);
    n = scalar("!!null foo"); /* construct_yaml_null ignores the text */
    ck_assert_int_eq(n->type, DCFG__NULL);
    n = scalar("! 12"); /* non-specific tag: resolved like a plain scalar, even quoted */
    ck_assert(n->type == DCFG__INT && n->v.i == 12);
    n = scalar("! '12'");
    ck_assert(n->type == DCFG__INT && n->v.i == 12);
    n = scalar("!<tag:yaml.org,2002:int> 7");
    ck_assert(n->type == DCFG__INT && n->v.i == 7);
    ck_assert_int_eq(load("v: !!map {a: 1}\nw: !!seq [1]\n"), DCFG_OK);
    ck_assert_int_eq(get(root, "v")->type, DCFG__MAP);
    ck_assert_int_eq(get(root, "w")->type, DCFG__SEQ);

    static const char *const bad[] = {
        "v: !!int x\n", "v: !!int 1.0\n", "v: !!int 08\n", "v: !!float 0x10\n", "v: !!float ''\n",
        "v: !!bool y\n", "v: !!bool ''\n", "v: !!seq {a: 1}\n", "v: !!map [1]\n", "v: !!str [1]\n",
        "v: !!int {a: 1}\n", "v: !!map x\n", "v: !!timestamp foo\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(load(bad[i]) == DCFG_ESYNTAX, "accepted %s", bad[i]);
        ck_assert_int_eq(dcfg_diag_code_of(diag0()), DCFG_DIAG_SYNTAX);
        ck_assert_str_eq(dcfg_diag_path(diag0()), "v");
    }
}
END_TEST

START_TEST(unknown_tags_are_errors)
{
    ck_assert_int_eq(load("a: 1\nb: !foo 1\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 4);
    assert_msg_has(diag0(), "could not determine a constructor for the tag '!foo'");
    ck_assert_str_eq(dcfg_diag_path(diag0()), "b");

    ck_assert_int_eq(load("x: !!python/object:os.system {}\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "tag:yaml.org,2002:python/object:os.system");
    ck_assert_int_eq(load("- !custom [1]\n"), DCFG_ESYNTAX);
    ck_assert_str_eq(dcfg_diag_path(diag0()), "[0]");
}
END_TEST

START_TEST(binary_is_bytes_as_base64_decodebytes_reads_it)
{
    ck_assert_int_eq(load("x: !!binary aGk=\n"), DCFG_OK);
    const dcfg__node *v = DCFG__VAL(root, 0);
    ck_assert(v->type == DCFG__STR && (v->flags & DCFG__NF_BINARY) && v->len == 2 && !memcmp(v->str, "hi", 2));
    /* characters outside the alphabet are skipped; input after the closing padding is ignored */
    ck_assert_int_eq(load("x: !!binary |\n  aG\n  k=?? trailing\n"), DCFG_OK);
    ck_assert_uint_eq(DCFG__VAL(root, 0)->len, 2);
    ck_assert_int_eq(load("x: !!binary aGk\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "Incorrect padding");
    ck_assert_int_eq(load("x: !!binary aGk=a\n"), DCFG_OK);
    ck_assert_int_eq(load("x: !!binary aGlhY\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "number of data characters (5) cannot be 1 more than a multiple of 4");
    ck_assert_int_eq(load("x: !!binary \"aGk\u00e9=\"\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "failed to convert base64 data into ascii");
    /* bytes and str keys differ, as in a Python dict */
    ck_assert_int_eq(load("{!!binary YQ==: 1, a: 2}\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 2);
    ck_assert_uint_eq(dcfg_diags_count(diags), 0);
}
END_TEST

START_TEST(value_and_merge_scalars)
{
    /* `=` has no safe constructor as a value, but is a string key */
    ck_assert_int_eq(load("a: =\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "tag:yaml.org,2002:value");
    ck_assert_int_eq(load("=: 1\n"), DCFG_OK);
    ck_assert(is_str(DCFG__KEY(root, 0), "="));
    /* `<<` outside a key */
    ck_assert_int_eq(load("a: <<\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "tag:yaml.org,2002:merge");
    ck_assert_int_eq(load("[<<]\n"), DCFG_ESYNTAX);
    /* quoted, it is just a string */
    ck_assert_int_eq(load("'<<': {a: 1}\nb: '<<'\n"), DCFG_OK);
    ck_assert(is_str(DCFG__KEY(root, 0), "<<"));
    ck_assert(is_str(get(root, "b"), "<<"));
}
END_TEST

/* ---- quoting, block scalars, content --------------------------------- */

START_TEST(quoted_vs_plain)
{
    ck_assert_int_eq(load("a: \"123\"\nb: '1.5'\nc: 123\nd: \"yes\"\ne: ''\nf: \"\"\ng: ~\nh: '~'\n"), DCFG_OK);
    const dcfg__node *a = get(root, "a");
    ck_assert(is_str(a, "123"));
    ck_assert(a->flags & DCFG__NF_QUOTED);
    ck_assert(is_str(get(root, "b"), "1.5"));
    ck_assert(get(root, "b")->flags & DCFG__NF_QUOTED);
    ck_assert_int_eq(get(root, "c")->type, DCFG__INT);
    ck_assert(!(get(root, "c")->flags & DCFG__NF_QUOTED));
    ck_assert(is_str(get(root, "d"), "yes"));
    ck_assert(is_str(get(root, "e"), ""));
    ck_assert(get(root, "e")->flags & DCFG__NF_QUOTED);
    ck_assert(is_str(get(root, "f"), ""));
    ck_assert_int_eq(get(root, "g")->type, DCFG__NULL);
    ck_assert(is_str(get(root, "h"), "~"));
    /* keys are typed too */
    ck_assert(DCFG__KEY(root, 0)->type == DCFG__STR && !(DCFG__KEY(root, 0)->flags & DCFG__NF_QUOTED));
}
END_TEST

START_TEST(escapes_and_nul_content)
{
    ck_assert_int_eq(load("a: \"x\\0y\"\nb: \"\\u00e9\\t\\x41\"\nc: 'it''s'\nd: \"a\n  b\"\n"), DCFG_OK);
    const dcfg__node *a = get(root, "a");
    ck_assert_uint_eq(a->len, 3);
    ck_assert(memcmp(a->str, "x\0y", 4) == 0);
    ck_assert(is_str(get(root, "b"), "\xc3\xa9\tA"));
    ck_assert(is_str(get(root, "c"), "it's"));
    ck_assert(is_str(get(root, "d"), "a b"));
}
END_TEST

START_TEST(lone_surrogate_escapes)
{
    /* PyYAML makes "\udd00" a lone surrogate: kept as generalized UTF-8 */
    ck_assert_int_eq(load("a: \"x\\udd00y\"\nb: [\"\\U0000DC00\", \"\\ud800\\ud800\"]\n"
                          "c: \"\\ude00\\ud83d\"\nd: \"\\ud83d\\ude00 \\ud83d\\U0000de00\"\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "x\xed\xb4\x80y"));
    ck_assert(is_str(get(root, "b")->kids[0], "\xed\xb0\x80"));
    ck_assert(is_str(get(root, "b")->kids[1], "\xed\xa0\x80\xed\xa0\x80"));
    ck_assert(is_str(get(root, "c"), "\xed\xb8\x80\xed\xa0\xbd")); /* low then high: two */
    /* a pair written as two escapes is one character */
    ck_assert(is_str(get(root, "d"), "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80"));
    /* in keys, across lines, in JSON mode; other styles keep the backslash */
    ck_assert_int_eq(load("\"k\\udd00\": 1\ne: \"one\n  \\udd00 two\"\nf: \\udd00\ng: '\\udd00'\n"), DCFG_OK);
    ck_assert_int_eq(get(root, "k\xed\xb4\x80")->v.i, 1);
    ck_assert(is_str(get(root, "e"), "one \xed\xb4\x80 two"));
    ck_assert(is_str(get(root, "f"), "\\udd00"));
    ck_assert(is_str(get(root, "g"), "\\udd00"));
    ck_assert_int_eq(load_json("{\"a\": \"\\udd00\", \"b\": [\"\\ud800x\"]}"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "\xed\xb4\x80"));
    ck_assert(is_str(get(root, "b")->kids[0], "\xed\xa0\x80x"));
    /* one per key, many keys */
    char buf[1024];
    size_t n = 0;
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "k%d: \"\\ud8%02x\"\n", i, i);
    ck_assert_int_eq(load(buf), DCFG_OK);
    ck_assert(is_str(get(root, "k19"), "\xed\xa0\x93"));
    /* raw surrogate bytes are still invalid UTF-8; bad escapes still refused */
    ck_assert_int_eq(load("a: \"\xed\xb4\x80\"\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(dcfg_diag_code_of(diag0()), DCFG_DIAG_ENCODING);
    ck_assert_int_eq(load("a: \"\\ud80\"\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("a: \"\\U00110000\"\n"), DCFG_ESYNTAX);
}
END_TEST

START_TEST(block_scalars)
{
    ck_assert_int_eq(load("a: |\n  x\n  y\nb: >\n  x\n  y\n\n  z\nc: |-\n  x\nd: |+\n  x\n\ne: >-\n  long\n  line\n"
                          "f: |\n    indented\n  less\n"),
                     DCFG_ESYNTAX); /* `less` is below the block's indentation and not a key */
    ck_assert_int_eq(load("a: |\n  x\n  y\nb: >\n  x\n  y\n\n  z\nc: |-\n  x\nd: |+\n  x\n\ne: >-\n  long\n  line\n"),
                     DCFG_OK);
    ck_assert(is_str(get(root, "a"), "x\ny\n"));
    ck_assert(get(root, "a")->flags & DCFG__NF_QUOTED);
    ck_assert(is_str(get(root, "b"), "x y\nz\n"));
    ck_assert(is_str(get(root, "c"), "x"));
    ck_assert(is_str(get(root, "d"), "x\n\n"));
    ck_assert(is_str(get(root, "e"), "long line"));
    /* a block scalar is never typed */
    ck_assert_int_eq(load("a: |\n  123\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "123\n"));
    /* at the end of an input without a final line break, PyYAML keeps none */
    ck_assert_int_eq(load("a: |\n  x\n  y"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "x\ny"));
    ck_assert_int_eq(load("- >\n a\n b"), DCFG_OK);
    ck_assert(is_str(root->kids[0], "a b"));
    ck_assert_int_eq(load("a: |\n  x\n  "), DCFG_OK); /* trailing blank line: its break stays */
    ck_assert(is_str(get(root, "a"), "x\n"));
    ck_assert_int_eq(load("a: |+\n  x"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "x"));
    ck_assert_int_eq(load("a: >+\n  x\n\n  "), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "x\n\n"));
    ck_assert_int_eq(load("a: |+\n  "), DCFG_OK);
    ck_assert(is_str(get(root, "a"), ""));
}
END_TEST

/* libfyaml 0.7.12 ends a block scalar whose indicator is not on its
 * collection's line at once when the text is indented less than the
 * indicator; such scalars are read from the source as PyYAML reads them */
START_TEST(block_scalars_indented_less_than_their_indicator)
{
    ck_assert_int_eq(load("!!float |-\n       2.5\n"), DCFG_OK); /* yaml.dump of a tagged document */
    ck_assert_int_eq(root->type, DCFG__FLOAT);
    ck_assert(root->v.f == 2.5);
    ck_assert_int_eq(load("!!int >-\r\n    -7\r\n...\r\n"), DCFG_OK);
    ck_assert_int_eq(root->type, DCFG__INT);
    ck_assert_int_eq(load("!!null >-\n   null\n"), DCFG_OK);
    ck_assert_int_eq(root->type, DCFG__NULL);
    ck_assert_int_eq(load("a:\n  !!str |\n   2.5\nb:\n    >-\n  x\n\n  y\n   z\n  w\nc: 1\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "2.5\n"));
    ck_assert(get(root, "a")->flags & DCFG__NF_QUOTED);
    ck_assert(is_str(get(root, "b"), "x\ny\n z\nw"));
    assert_pos(get(root, "b"), 5, 5); /* at the indicator */
    ck_assert_int_eq(get(root, "c")->v.i, 1);
    ck_assert_int_eq(load("-\n  &x |+\n x\n\n- *x\n"), DCFG_OK);
    ck_assert(is_str(root->kids[0], "x\n\n"));
    ck_assert(root->kids[1] == root->kids[0]);
    ck_assert_int_eq(load("a:\n  |\n \tx\nb: 1\n"), DCFG_OK); /* a tab after the indentation is text */
    ck_assert(is_str(get(root, "a"), "\tx\n"));
    ck_assert_int_eq(load("a:\n  |\nx\n"), DCFG_ESYNTAX); /* not indented past the mapping */
    ck_assert_int_eq(load("a:\n  |\n x\n  y\n z: 1\n"), DCFG_OK); /* every line is text */
    ck_assert(is_str(get(root, "a"), "x\n y\nz: 1\n"));
}
END_TEST

/* an empty block scalar whose spaces-only lines are followed by a less
 * indented comment: PyYAML reads "" (libfyaml 0.7.12 refuses it) */
START_TEST(empty_block_scalar_then_less_indented_comment)
{
    ck_assert_int_eq(load("a: >\n \n  \n   \n # comment\nb: 1\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), ""));
    ck_assert_int_eq(get(root, "b")->v.i, 1);
    ck_assert_int_eq(load("- |+\n   \n\n # c\n- x\n"), DCFG_OK); /* keep: the blank lines' breaks */
    ck_assert(is_str(root->kids[0], "\n\n"));
    ck_assert(is_str(root->kids[1], "x"));
    ck_assert_int_eq(load("\"k |\": |\r\n   \r\n # c\r\n"), DCFG_OK); /* a `|` in a quoted key before it */
    ck_assert(is_str(get(root, "k |"), ""));
    assert_pos(get(root, "k |"), 1, 8);
}
END_TEST

/* NEL, LS and PS are line breaks for PyYAML, so a block scalar line that
 * starts with one is a leading blank line, not text at column 1 */
START_TEST(block_scalars_with_nel_ls_ps_breaks)
{
    ck_assert_int_eq(load("a: |\n\xe2\x80\xa8 x\nb: >-\n\xc2\x85 y\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "\xe2\x80\xa8x\n"));
    ck_assert(is_str(get(root, "b"), "\ny"));
    ck_assert_int_eq(load("- - >2-\n\xe2\x80\xa9     x\n"), DCFG_OK); /* explicit indentation, nested */
    ck_assert(is_str(root->kids[0]->kids[0], "\xe2\x80\xa9 x"));
    ck_assert_int_eq(load("|\n\xe2\x80\xa8 x\n"), DCFG_OK); /* the whole document */
    ck_assert(is_str(root, "\xe2\x80\xa8x\n"));
    ck_assert_int_eq(load("a: |\n x\n\xe2\x80\xa8"), DCFG_OK); /* the input ends in an LS: a final break */
    ck_assert(is_str(get(root, "a"), "x\n"));
    ck_assert_int_eq(load("a: |\n\xe2\x80\xa8x\n"), DCFG_ESYNTAX); /* text at column 1 after the LS */
}
END_TEST

START_TEST(plain_multiline_and_empty_values)
{
    ck_assert_int_eq(load("a: multi\n  line\n  plain\nb:\nc: \n- \n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("a: multi\n  line\n  plain\nb:\nc: \nd: [a, , b]\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("a: multi\n  line\n  plain\nb:\nc: \nd: {x: , y}\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "multi line plain"));
    ck_assert_int_eq(get(root, "b")->type, DCFG__NULL);
    ck_assert_int_eq(get(root, "c")->type, DCFG__NULL);
    const dcfg__node *d = get(root, "d");
    ck_assert_uint_eq(d->n, 2);
    ck_assert_int_eq(DCFG__VAL(d, 0)->type, DCFG__NULL);
    ck_assert(is_str(DCFG__KEY(d, 1), "y"));
    ck_assert_int_eq(DCFG__VAL(d, 1)->type, DCFG__NULL);
    /* an empty value still has a position on its line */
    ck_assert_uint_eq(get(root, "b")->line, 4);
}
END_TEST

/* ---- positions ----------------------------------------------------------- */

START_TEST(positions)
{
    static const char src[] =
        "name: app\n"                  /* 1 */
        "port: 8000\n"                 /* 2 */
        "env:\n"                       /* 3 */
        "  - A=1\n"                    /* 4 */
        "  - \"B=2\"\n"                /* 5 */
        "resources:\n"                 /* 6 */
        "  gpu: {name: A100, n: 2}\n"  /* 7 */
        "commands: |\n"                /* 8 */
        "  echo hi\n"                  /* 9 */
        "q: 'x'\n"                     /* 10 */
        "list: [1, [2]]\n"             /* 11 */
        "k\xc3\xa9y: \xc3\xa9t\xc3\xa9\n"; /* 12: columns count characters */
    ck_assert_int_eq(load(src), DCFG_OK);
    assert_pos(root, 1, 1);
    assert_pos(DCFG__KEY(root, 0), 1, 1);
    assert_pos(get(root, "name"), 1, 7);
    assert_pos(DCFG__KEY(root, 1), 2, 1);
    assert_pos(get(root, "port"), 2, 7);
    const dcfg__node *env = get(root, "env");
    assert_pos(env, 4, 3);
    assert_pos(env->kids[0], 4, 5);
    assert_pos(env->kids[1], 5, 5); /* at the opening quote */
    const dcfg__node *res = get(root, "resources");
    assert_pos(res, 7, 3);
    const dcfg__node *gpu = get(res, "gpu");
    assert_pos(gpu, 7, 8);
    assert_pos(DCFG__KEY(gpu, 0), 7, 9);
    assert_pos(DCFG__VAL(gpu, 0), 7, 15);
    assert_pos(DCFG__VAL(gpu, 1), 7, 24);
    assert_pos(get(root, "commands"), 8, 11); /* at the `|` */
    assert_pos(get(root, "q"), 10, 4);
    const dcfg__node *list = get(root, "list");
    assert_pos(list, 11, 7);
    assert_pos(list->kids[1], 11, 11);
    assert_pos(list->kids[1]->kids[0], 11, 12);
    assert_pos(DCFG__KEY(root, 7), 12, 1);
    assert_pos(DCFG__VAL(root, 7), 12, 6);
}
END_TEST

START_TEST(positions_crlf_and_bom)
{
    ck_assert_int_eq(load("\xEF\xBB\xBF" "a: 1\r\nb: \"x\"\r\nc: |\r\n  t\r\n"), DCFG_OK);
    assert_pos(DCFG__KEY(root, 0), 1, 1);
    assert_pos(get(root, "b"), 2, 4);
    ck_assert(is_str(get(root, "b"), "x"));
    assert_pos(get(root, "c"), 3, 4);
    ck_assert(is_str(get(root, "c"), "t\n")); /* no \r in content */
    ck_assert_int_eq(get(root, "a")->v.i, 1);
}
END_TEST

/* ---- anchors, aliases, merges ------------------------------------------- */

START_TEST(aliases_share_nodes)
{
    ck_assert_int_eq(load("a: &x {p: [1, 2]}\nb: *x\nc: &s str\nd: *s\n"), DCFG_OK);
    ck_assert_ptr_eq(get(root, "a"), get(root, "b"));
    ck_assert_ptr_eq(get(root, "c"), get(root, "d"));
    ck_assert(is_str(get(root, "d"), "str"));
    assert_pos(get(root, "b"), 1, 7); /* the anchored node's own position */
}
END_TEST

START_TEST(alias_errors)
{
    ck_assert_int_eq(load("a: 1\nb: *nope\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 4);
    assert_msg_has(diag0(), "found undefined alias");
    ck_assert_str_eq(dcfg_diag_path(diag0()), "b");
    /* recursive: the anchored collection is not complete yet */
    ck_assert_int_eq(load("a: &x [1, *x]\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 1, 11);
    ck_assert_int_eq(load("a: &x {b: {c: *x}}\n"), DCFG_ESYNTAX);
    /* PyYAML's composer rejects a second anchor of the same name */
    ck_assert_int_eq(load("a: &x 1\nb: &x 2\nc: *x\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 4);
    assert_msg_has(diag0(), "duplicate anchor");
}
END_TEST

/* PyYAML's anchor names: ASCII letters, digits, '-' and '_' only, then a
 * blank or one of `?:,]}%@` and a backtick. */
START_TEST(anchor_names_as_pyyaml_scans_them)
{
    static const syntax_case bad[] = {
        { "a: &x\xc3\xa9 v\n", 1, 6 },
        { "- &\xf0\x9f\x98\x80 x\n", 1, 4 },
        { "k: &a%x\n", 1, 6 },               /* PyYAML: '%' cannot start any token */
        { "k: &a.x\n", 1, 6 },
    };
    assert_refused(bad, sizeof bad / sizeof *bad, "PyYAML takes only ASCII letters, digits, '-' and '_'");
    /* libfyaml ends the name at '[' and '{' too; PyYAML refuses them after it */
    static const syntax_case followed[] = {
        { "k: &a[x]\n", 1, 6 },
        { "k: &a{x: 1}\n", 1, 6 },
        { "&a x: 1\nk: [*a[x]]\n", 2, 7 },
    };
    assert_refused(followed, sizeof followed / sizeof *followed, "PyYAML wants a space, ':', ',', ']' or '}'");
    ck_assert_int_eq(load("- &A-b_9 x\n- *A-b_9\n"), DCFG_OK);
    ck_assert(is_str(root->kids[1], "x"));
}
END_TEST

/* PyYAML ends a name at ':' and '?', where libfyaml reads on: a value
 * indicator (`*a: w`, `{*a:2}`, `&a: x`) or a plain scalar in block context
 * (`&an:chor value` is ":chor value", `&a?x` is "?x"). */
START_TEST(anchor_and_alias_names_end_at_colon_and_question_mark)
{
    ck_assert_int_eq(load("key: &an:chor value\nother: *an\n"), DCFG_OK);
    ck_assert(is_str(get(root, "key"), ":chor value"));
    ck_assert_ptr_eq(get(root, "other"), get(root, "key"));
    assert_pos(get(root, "key"), 1, 9); /* at its text, as for any anchored scalar */
    ck_assert_int_eq(load("&a a: b\n*a: w\n"), DCFG_OK); /* PyYAML test data duplicate-mapping-key */
    ck_assert_uint_eq(root->n, 1);
    ck_assert(is_str(get(root, "a"), "w"));
    ck_assert_int_eq(load("a: &a b\nc:\n  *a: d\n  e: *a\n"), DCFG_OK);
    ck_assert(is_str(get(get(root, "c"), "b"), "d"));
    ck_assert_int_eq(load("- &a b\n- *a:\n    c\n"), DCFG_OK);
    ck_assert(is_str(get(root->kids[1], "b"), "c"));
    ck_assert_int_eq(load("x: &a b\ny: {*a:2, *a: 3}\nz: [*a:4, *a:]\n"), DCFG_OK);
    ck_assert_int_eq(get(get(root, "y"), "b")->v.i, 3);
    ck_assert_int_eq(get(get(root, "z")->kids[0], "b")->v.i, 4);
    ck_assert_int_eq(get(get(root, "z")->kids[1], "b")->type, DCFG__NULL);
    /* an anchor before a value indicator: an empty (null) key */
    ck_assert_int_eq(load("&a: x\n"), DCFG_OK);
    ck_assert_int_eq(root->kids[0]->type, DCFG__NULL);
    assert_pos(root->kids[0], 1, 1);
    ck_assert_int_eq(load("[&ab:x, {&c: y}]\n"), DCFG_OK);
    ck_assert_int_eq(root->kids[0]->kids[0]->type, DCFG__NULL);
    ck_assert_int_eq(root->kids[1]->kids[0]->type, DCFG__NULL);
    ck_assert_int_eq(load("!!str &a: x\nb: *a\n"), DCFG_OK);
    ck_assert(is_str(get(root, "b"), ""));
    /* an anchor before a plain scalar starting with ':' or '?' */
    ck_assert_int_eq(load("&a:x y: 1\nb: *a\n"), DCFG_OK);
    ck_assert(is_str(get(root, "b"), ":x y"));
    ck_assert_int_eq(load("a: !!str &a?x\nb: *a\n"), DCFG_OK);
    ck_assert(is_str(get(root, "b"), "?x"));
    ck_assert_int_eq(load("a: &a:x\n  more\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), ":x more"));
    /* what PyYAML refuses there */
    static const syntax_case bad[] = {
        { "- &a b\n- *a:x\n", 2, 5 },       /* an alias, then a scalar */
        { "&a x: 1\nk: *a?\n", 2, 6 },
        { "k: &a? x\n", 1, 6 },              /* a key indicator after the anchor */
        { "[&a?x]\n", 1, 4 },
        { "&a x: 1\nk: *a:\n", 2, 6 },      /* mapping values are not allowed here */
        { "&a: key: &a value\n", 1, 8 },
        { "&a x: 1\n&b *a: x\n", 2, 4 },    /* an alias with an anchor */
    };
    assert_refused(bad, sizeof bad / sizeof *bad, NULL);
    ck_assert_int_eq(load("*a: w\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 1, 1);
    assert_msg_has(diag0(), "undefined alias \"a\"");
    /* a name-like text that is no name stays as it is */
    ck_assert_int_eq(load("a: b *c: d\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("a: \"*c: d\"\nb: '&e: f' # *g: h\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "*c: d"));
    ck_assert(is_str(get(root, "b"), "&e: f"));
}
END_TEST

/* A line starting with '%' is a directive where a token may start, and text
 * inside a scalar going on over it (PyYAML's check_directive). */
START_TEST(percent_lines_as_pyyaml_scans_them)
{
    ck_assert_int_eq(load("---\nscalar\n%YAML 1.2\n"), DCFG_OK); /* yaml-test-suite XLQ9 */
    ck_assert(is_str(root, "scalar %YAML 1.2"));
    ck_assert_int_eq(load("%YAML 1.1\n---\nscalar\n\n%x  y\nmore\n"), DCFG_OK);
    ck_assert(is_str(root, "scalar\n%x  y more"));
    ck_assert_int_eq(load("a: [b\n%c, d]\ne: {f: g\n%h}\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a")->kids[0], "b %c"));
    ck_assert(is_str(get(get(root, "e"), "f"), "g %h"));
    ck_assert_int_eq(load("a: \"b\n%c\"\nd: 'e\n%f'\ng: h\n %i\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "b %c"));
    ck_assert(is_str(get(root, "d"), "e %f"));
    ck_assert(is_str(get(root, "g"), "h %i"));
    /* anywhere else a directive, which ends the one document */
    static const syntax_case bad[] = {
        { "a: b\n%c\n", 2, 1 },
        { "- a\n%b\n", 2, 1 },
        { "k: |\n  x\n%y\n", 3, 1 },
        { "a: 1\n%b: 2\n", 2, 1 },
        { "[a,\n%b]\n", 2, 1 },
        { "? a\n%b\n", 2, 1 },
        { "[a]\n%b\n", 2, 1 },
        { "k: {a: [b\n%c  ,\n%d]}\n", 3, 1 },
    };
    assert_refused(bad, sizeof bad / sizeof *bad, "is a directive");
    /* directives opening a stream want a document, even when the stream ends */
    static const syntax_case no_document[] = {
        { "%foo\n", 2, 1 },
        { "%foo : bar\n# c\n", 3, 1 },
        { "%YAML 1.1", 1, 10 },
    };
    assert_refused(no_document, sizeof no_document / sizeof *no_document, "after the directives");
    ck_assert_int_eq(load("%foo\n---\n"), DCFG_OK);
}
END_TEST

/* Flow collections: PyYAML ends plain scalars at '?', never starts them
 * with ':', and wants an implicit key's ':' on the key's first line. */
START_TEST(flow_scalars_and_keys_as_pyyaml_scans_them)
{
    static const syntax_case bad[] = {
        { "[a?b]\n", 1, 3 },
        { "{a: b?c}\n", 1, 6 },
        { "{x: :x}\n", 1, 5 },
        { "[:x]\n", 1, 2 },
        { "[?foo]\n", 1, 2 },                /* PyYAML: [{foo: null}] */
        { "{ foo\n  : bar }\n", 2, 3 },
        { "{ \"foo\"\n  :bar }\n", 2, 3 },
        { "{\"multi\n line\": value}\n", 2, 7 },
        { "- { a\n  b: c }\n", 2, 4 },
        { "{'a'\n: 1}\n", 2, 1 },
        { "[!!str, a]\n", 1, 7 },           /* PyYAML's tag is "!!str," */
        { "{\n  foo : !!str,\n  !!str : bar,\n}\n", 2, 14 },
    };
    assert_refused(bad, sizeof bad / sizeof *bad, NULL);
    /* what PyYAML takes: explicit keys over lines, values over lines, `?key` as a key indicator */
    ck_assert_int_eq(load("{ ? a\n  b : c }\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a b"), "c"));
    ck_assert_int_eq(load("{ ? !!str \"a\"\n  : b }\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "b"));
    ck_assert_int_eq(load("{ a: b\n c }\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "b c"));
    ck_assert_int_eq(load("{?foo: bar}\n"), DCFG_OK);
    ck_assert(is_str(get(root, "foo"), "bar"));
    ck_assert_int_eq(load("{a:b, c: d?}\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("{a:b, \"c\" : d}\n"), DCFG_OK);
    ck_assert_int_eq(get(root, "a:b")->type, DCFG__NULL);
    /* a `-` before `,`, `]` or `}` is the plain scalar "-" (libfyaml refuses it) */
    ck_assert_int_eq(load("[-, -]\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 2);
    ck_assert(is_str(root->kids[0], "-") && is_str(root->kids[1], "-"));
    ck_assert_int_eq(load("a: {-: -, b: [-]}\r\n"), DCFG_OK);
    ck_assert(is_str(get(get(root, "a"), "-"), "-"));
    ck_assert(is_str(get(get(root, "a"), "b")->kids[0], "-"));
    assert_pos(get(get(root, "a"), "b")->kids[0], 1, 15);
    ck_assert_int_eq(load("[&d -, *d, \"\t\"]\n"), DCFG_OK);
    ck_assert(root->kids[0] == root->kids[1]);
    ck_assert_int_eq(load("[- a]\n"), DCFG_ESYNTAX); /* `- ` is an entry indicator there: PyYAML's error too */
}
END_TEST

/* PyYAML takes a comment wherever a token may start (libfyaml wants a space
 * before '#'); a `...` before any content is its error. */
START_TEST(comments_and_document_ends_as_pyyaml_reads_them)
{
    ck_assert_int_eq(load("[ a, b, ]#c\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 2);
    ck_assert_int_eq(load("[ a,#c\n  b ]\n"), DCFG_OK);
    ck_assert(is_str(root->kids[1], "b"));
    ck_assert_int_eq(load("k: \"v\"#c\nj: 'w'#d\nm: {a: b}#e\n"), DCFG_OK);
    ck_assert(is_str(get(root, "j"), "w"));
    ck_assert(is_str(get(root, "m")->kids[1], "b"));
    ck_assert_int_eq(load("k: v#c\n"), DCFG_OK); /* inside a plain scalar '#' is text */
    ck_assert(is_str(get(root, "k"), "v#c"));
    ck_assert_int_eq(load("k: >#c\n  text\n"), DCFG_ESYNTAX); /* a block scalar header takes no such comment */
    static const syntax_case ends[] = { { "...\n", 1, 1 }, { "# c\n...\n", 2, 1 }, { "\n\n... # c\n", 3, 1 } };
    assert_refused(ends, sizeof ends / sizeof *ends, "<document end>");
    /* a block scalar that is the document: PyYAML's minimum indentation is 1 */
    ck_assert_int_eq(load("--- >\nline1\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 1);
    ck_assert_int_eq(load("--- >\n line1\n line2\n"), DCFG_OK);
    ck_assert(is_str(root, "line1 line2\n"));
    ck_assert_int_eq(load("---\n...\n"), DCFG_OK);
    ck_assert_int_eq(load("a\n...\n...\n"), DCFG_OK);
    ck_assert(is_str(root, "a"));
}
END_TEST

/* The keys of map m, in order, joined with ',', and values as integers. */
static void assert_map(const dcfg__node *m, const char *keys, const long long *vals)
{
    char buf[256] = "";
    ck_assert_int_eq(m->type, DCFG__MAP);
    for (size_t i = 0; i < m->n; i++) {
        if (i)
            strcat(buf, ",");
        strncat(buf, DCFG__KEY(m, i)->str, DCFG__KEY(m, i)->len);
        ck_assert_int_eq(DCFG__VAL(m, i)->type, DCFG__INT);
        ck_assert_msg(DCFG__VAL(m, i)->v.i == vals[i], "value %zu: %lld != %lld", i, DCFG__VAL(m, i)->v.i, vals[i]);
    }
    ck_assert_str_eq(buf, keys);
}

START_TEST(merge_keys)
{
    /* own keys override merged ones; merged pairs come first */
    ck_assert_int_eq(load("base: &b {x: 1, y: 2}\nm:\n  y: 3\n  <<: *b\n"), DCFG_OK);
    assert_map(get(root, "m"), "x,y", (const long long[]){ 1, 3 });
    /* list (PyYAML 6.0.4): the mappings first to last, keys in first-seen order;
     * of keys that are one object (one-character text) the first is kept, of
     * others the last value wins */
    ck_assert_int_eq(load("a: &a {x: 1, z: 1}\nb: &b {x: 2, y: 2}\nm:\n  <<: [*a, *b]\n  w: 0\n"), DCFG_OK);
    assert_map(get(root, "m"), "x,z,y,w", (const long long[]){ 1, 1, 2, 0 });
    ck_assert_int_eq(load("a: &a {xa: 1, za: 1}\nb: &b {xa: 2, ya: 2}\nm:\n  <<: [*a, *b]\n  w: 0\n"), DCFG_OK);
    assert_map(get(root, "m"), "xa,za,ya,w", (const long long[]){ 2, 1, 2, 0 });
    ck_assert_int_eq(load("m: {<<: [{x: 1}, {r: 10}]}\n"), DCFG_OK);
    assert_map(get(root, "m"), "x,r", (const long long[]){ 1, 10 });
    /* 1 and "1" are one text object, 1 and 1.0 are not (then 1.0's value wins) */
    ck_assert_int_eq(load("m: {<<: [{1: 1}, {\"1\": 2}]}\nn: {<<: [{1: 1}, {1.0: 2}]}\n"), DCFG_OK);
    ck_assert_uint_eq(get(root, "m")->n, 1);
    ck_assert_int_eq(DCFG__KEY(get(root, "m"), 0)->type, DCFG__INT);
    ck_assert_int_eq(DCFG__VAL(get(root, "m"), 0)->v.i, 1);
    ck_assert_uint_eq(get(root, "n")->n, 1);
    ck_assert_int_eq(DCFG__KEY(get(root, "n"), 0)->type, DCFG__INT);
    ck_assert_int_eq(DCFG__VAL(get(root, "n"), 0)->v.i, 2);
    /* two merge keys: processed in order, the same rule across them */
    ck_assert_int_eq(load("a: &a {x: 1}\nb: &b {x: 2, q: 5}\nm:\n  <<: *a\n  <<: *b\n"), DCFG_OK);
    assert_map(get(root, "m"), "x,q", (const long long[]){ 1, 5 });
    ck_assert_uint_eq(dcfg_diags_count(diags), 0);
    /* nested merge inside a merged mapping: its flattened pairs are merged
     * (q, x: 7, x: 1), the first x wins there, the last in the mapping itself */
    ck_assert_int_eq(load("a: &a {x: 1, <<: {q: 9, x: 7}}\nm:\n  <<: *a\n  k: 1\n"), DCFG_OK);
    assert_map(get(root, "a"), "q,x", (const long long[]){ 9, 1 });
    assert_map(get(root, "m"), "q,x,k", (const long long[]){ 9, 7, 1 });
    ck_assert_int_eq(load("a: &a {xy: 1, <<: {q: 9, xy: 7}}\nm:\n  <<: *a\n  k: 1\n"), DCFG_OK);
    assert_map(get(root, "m"), "q,xy,k", (const long long[]){ 9, 1, 1 });
    /* a mapping with a duplicate key is merged with both pairs */
    ck_assert_int_eq(load("a: &a {x: 1, x: 2, yz: 1, yz: 2}\nm: {<<: *a}\n"), DCFG_OK);
    assert_map(get(root, "m"), "x,yz", (const long long[]){ 1, 2 });
    /* inline mapping, flow style, empty list, tagged merge key */
    ck_assert_int_eq(load("m: {<<: {a: 1}, b: 2}\nn: {<<: [], c: 3}\n? !!merge x\n: {d: 4}\n"), DCFG_OK);
    assert_map(get(root, "m"), "a,b", (const long long[]){ 1, 2 });
    assert_map(get(root, "n"), "c", (const long long[]){ 3 });
    ck_assert_int_eq(get(root, "d")->v.i, 4);
    /* merges in list items keep positions of the merged nodes */
    ck_assert_int_eq(load("x: &x {a: 1}\nl:\n  - <<: *x\n    b: 2\n"), DCFG_OK);
    const dcfg__node *item = get(root, "l")->kids[0];
    assert_map(item, "a,b", (const long long[]){ 1, 2 });
    assert_pos(DCFG__KEY(item, 0), 1, 8);
}
END_TEST

START_TEST(merge_errors)
{
    ck_assert_int_eq(load("m:\n  <<: 1\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 7);
    assert_msg_has(diag0(), "expected a mapping or list of mappings for merging");
    ck_assert_str_eq(dcfg_diag_path(diag0()), "m");
    ck_assert_int_eq(load("m:\n  <<: [{a: 1}, [2]]\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "expected a mapping for merging");
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 16);
    ck_assert_int_eq(load("m:\n  <<:\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("s: &s x\nm:\n  <<: *s\n"), DCFG_ESYNTAX);
}
END_TEST

/* ---- !!set, !!omap, !!pairs ------------------------------------------------ */

START_TEST(set_tag)
{
    /* the keys of the dict (1, 1.0 and true are one member), in document order */
    ck_assert_int_eq(load("s: !!set {b, a, 1, 1.0, true, b}\n"), DCFG_OK);
    const dcfg__node *s = get(root, "s");
    ck_assert_int_eq(s->type, DCFG__SEQ);
    ck_assert(s->flags & DCFG__NF_SET);
    ck_assert_uint_eq(s->n, 3);
    ck_assert(is_str(s->kids[0], "b"));
    ck_assert(is_str(s->kids[1], "a"));
    ck_assert_int_eq(s->kids[2]->type, DCFG__INT);
    assert_pos(s, 1, 10);
    /* values are dropped; merge keys are flattened first */
    ck_assert_int_eq(load("b: &b {x: 1}\ns: !!set {<<: *b, y: [1]}\ne: !!set {}\n"), DCFG_OK);
    ck_assert_uint_eq(get(root, "s")->n, 2);
    ck_assert(is_str(get(root, "s")->kids[0], "x"));
    ck_assert_uint_eq(get(root, "e")->n, 0);
    /* a merge of a set reads its mapping, values included */
    ck_assert_int_eq(load("s: &s !!set {a: 1, b}\nm: {<<: *s}\nl: {<<: [*s]}\n"), DCFG_OK);
    ck_assert_uint_eq(get(root, "m")->n, 2);
    ck_assert_int_eq(get(get(root, "m"), "a")->v.i, 1);
    ck_assert_int_eq(get(get(root, "m"), "b")->type, DCFG__NULL);
    ck_assert_uint_eq(get(root, "l")->n, 2);
    /* not on a sequence or scalar; a set is no key */
    static const char *const bad[] = { "s: !!set [a]\n", "s: !!set a\n", "? !!set {a}\n: 1\n" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(load(bad[i]) == DCFG_ESYNTAX, "accepted %s", bad[i]);
    ck_assert_int_eq(load("s: !!set [a]\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "expected a mapping node, but found sequence");
}
END_TEST

START_TEST(omap_and_pairs_tags)
{
    /* a list of (key, value) tuples, duplicates kept */
    ck_assert_int_eq(load("o: !!omap [a: 1, b: 2, a: 3]\np: !!pairs\n  - x: [1]\n"), DCFG_OK);
    const dcfg__node *o = get(root, "o");
    ck_assert_int_eq(o->type, DCFG__SEQ);
    ck_assert(!(o->flags & (DCFG__NF_SET | DCFG__NF_TUPLE)));
    ck_assert_uint_eq(o->n, 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(o->kids[i]->type, DCFG__SEQ);
        ck_assert(o->kids[i]->flags & DCFG__NF_TUPLE);
        ck_assert_uint_eq(o->kids[i]->n, 2);
    }
    ck_assert(is_str(o->kids[2]->kids[0], "a"));
    ck_assert_int_eq(o->kids[2]->kids[1]->v.i, 3);
    ck_assert_int_eq(get(root, "p")->kids[0]->kids[1]->type, DCFG__SEQ);
    ck_assert_uint_eq(dcfg_diags_count(diags), 0);
    /* a list or a mapping is fine as a tuple's key */
    ck_assert_int_eq(load("p: !!pairs [[a]: b]\n"), DCFG_OK);
    ck_assert_int_eq(get(root, "p")->kids[0]->kids[0]->type, DCFG__SEQ);
    /* a merge reads the items as the one-pair mappings they are */
    ck_assert_int_eq(load("o: &o !!omap [x: 1, y: 2]\nm: {<<: *o, y: 3}\n"), DCFG_OK);
    assert_map(get(root, "m"), "x,y", (const long long[]){ 1, 3 });
    /* an alias to a mapping built before is read flattened */
    ck_assert_int_eq(load("m: &m {<<: {a: 1}}\no: !!omap [*m]\n"), DCFG_OK);
    ck_assert(is_str(get(root, "o")->kids[0]->kids[0], "a"));
    struct { const char *src, *msg; } bad[] = {
        { "o: !!omap {a: 1}\n", "expected a sequence, but found mapping" },
        { "o: !!pairs a\n", "expected a sequence node, but found scalar" },
        { "o: !!omap [[a]]\n", "expected a mapping of length 1, but found sequence" },
        { "o: !!omap [{a: 1, b: 2}]\n", "expected a single mapping item, but found 2 items" },
        { "o: !!omap [{a: 1, a: 2}]\n", "expected a single mapping item, but found 2 items" },
        { "o: !!pairs [{<<: {a: 1}}]\n", "tag:yaml.org,2002:merge" },
        { "o: &o !!omap [a: 1]\nm: {<<: [*o]}\n", "expected a mapping for merging, but found sequence" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(load(bad[i].src) == DCFG_ESYNTAX, "accepted %s", bad[i].src);
        assert_msg_has(dcfg_diags_at(diags, dcfg_diags_count(diags) - 1), bad[i].msg); /* after a duplicate's warning */
    }
}
END_TEST

/* ---- duplicate keys ----------------------------------------------------- */

START_TEST(duplicate_keys_last_value_first_position)
{
    ck_assert_int_eq(load("type: service\nport: 80\nname: x\nport: 8000\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 3);
    ck_assert(is_str(DCFG__KEY(root, 1), "port"));
    assert_pos(DCFG__KEY(root, 1), 2, 1);
    ck_assert_int_eq(DCFG__VAL(root, 1)->v.i, 8000);
    ck_assert(is_str(DCFG__KEY(root, 2), "name"));
    ck_assert_uint_eq(dcfg_diags_count(diags), 1);
    const dcfg_diag *g = diag0();
    assert_diag(g, DCFG_DIAG_DUPLICATE_KEY, DCFG_SEVERITY_WARNING, 4, 1);
    ck_assert_uint_eq(dcfg_diag_related_line(g), 2);
    ck_assert_uint_eq(dcfg_diag_related_column(g), 1);
    ck_assert_str_eq(dcfg_diag_path(g), "");
    ck_assert_str_eq(dcfg_diag_message(g), "duplicate key \"port\" (first at line 2); the last value is used");
    ck_assert_uint_eq(dcfg_diags_error_count(diags), 0);
}
END_TEST

START_TEST(duplicate_keys_three_times_and_paths)
{
    ck_assert_int_eq(load("resources:\n  gpu:\n    name: A\n    count: 1\n    name: B\n    name: C\n"
                          "replicas:\n  - x: 1\n  - {y: 1, y: 2}\nenv: {1: {a: 1, a: 2}}\n"),
                     DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(diags), 4);
    dcfg__diags_sort(diags);
    const dcfg_diag *g = dcfg_diags_at(diags, 0);
    assert_diag(g, DCFG_DIAG_DUPLICATE_KEY, DCFG_SEVERITY_WARNING, 5, 5);
    ck_assert_str_eq(dcfg_diag_path(g), "resources.gpu");
    ck_assert_uint_eq(dcfg_diag_related_line(g), 3);
    g = dcfg_diags_at(diags, 1);
    assert_diag(g, DCFG_DIAG_DUPLICATE_KEY, DCFG_SEVERITY_WARNING, 6, 5);
    ck_assert_uint_eq(dcfg_diag_related_line(g), 3); /* still the first one */
    g = dcfg_diags_at(diags, 2);
    assert_diag(g, DCFG_DIAG_DUPLICATE_KEY, DCFG_SEVERITY_WARNING, 9, 12);
    ck_assert_str_eq(dcfg_diag_path(g), "replicas[1]");
    ck_assert_uint_eq(dcfg_diag_related_column(g), 6);
    g = dcfg_diags_at(diags, 3);
    ck_assert_str_eq(dcfg_diag_path(g), "env.1");
    const dcfg__node *gpu = get(get(root, "resources"), "gpu");
    ck_assert_uint_eq(gpu->n, 2);
    ck_assert(is_str(get(gpu, "name"), "C"));
    ck_assert(is_str(DCFG__KEY(gpu, 0), "name"));
}
END_TEST

START_TEST(duplicate_keys_strict)
{
    ld.flags = DCFG_PARSE_STRICT_DUPLICATES;
    ck_assert_int_eq(load("a: 1\nb: {c: 1, c: 2}\na: 2\n"), DCFG_ESYNTAX);
    ck_assert_uint_eq(dcfg_diags_count(diags), 2); /* every duplicate is reported */
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(diags, i)), DCFG_DIAG_DUPLICATE_KEY);
        ck_assert_int_eq(dcfg_diag_severity(dcfg_diags_at(diags, i)), DCFG_SEVERITY_ERROR);
    }
    ck_assert_int_eq(load("a: 1\nb: 2\n"), DCFG_OK);
}
END_TEST

START_TEST(duplicate_keys_python_equality)
{
    /* 1 == 1.0 == True: one entry, first key object, last value */
    ck_assert_int_eq(load("1: a\n1.0: b\ntrue: c\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 1);
    ck_assert_int_eq(DCFG__KEY(root, 0)->type, DCFG__INT);
    ck_assert(is_str(DCFG__VAL(root, 0), "c"));
    ck_assert_uint_eq(dcfg_diags_count(diags), 2);
    ck_assert_int_eq(load("0: a\nfalse: b\n0.0: c\n-0.0: d\n0x0: e\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 1);
    ck_assert(is_str(DCFG__VAL(root, 0), "e"));
    ck_assert_int_eq(load("0x10: a\n16: b\n020: c\n0b10000: d\n16.0: e\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 1);
    /* a string never equals a number; null equals null */
    ck_assert_int_eq(load("1: a\n'1': b\n~: c\nnull: d\n2024-01-01: e\n'2024-01-01': f\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 5);
    ck_assert_uint_eq(dcfg_diags_count(diags), 1);
    ck_assert_int_eq(DCFG__KEY(root, 2)->type, DCFG__NULL);
    ck_assert(is_str(DCFG__VAL(root, 2), "d"));
    /* big integers against big integral floats */
    ck_assert_int_eq(load("18446744073709551616: a\n1.8446744073709552e+19: b\n18446744073709551617: c\n"), DCFG_OK);
    ck_assert_uint_eq(root->n, 2);
    ck_assert(is_str(DCFG__VAL(root, 0), "b"));
    /* many keys (hashed path) */
    char src[8192] = "";
    for (int i = 0; i < 300; i++)
        sprintf(src + strlen(src), "k%d: %d\n", i % 200, i);
    ck_assert_int_eq(load(src), DCFG_OK);
    ck_assert_uint_eq(root->n, 200);
    ck_assert_uint_eq(dcfg_diags_count(diags), 100);
    ck_assert_int_eq(get(root, "k5")->v.i, 205);
    ck_assert(is_str(DCFG__KEY(root, 5), "k5"));
}
END_TEST

START_TEST(merge_duplicates_not_reported)
{
    ck_assert_int_eq(load("a: &a {x: 1, y: 1}\nb: &b {x: 2}\nm:\n  <<: [*a, *b]\n  <<: *b\n  y: 5\n"), DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(diags), 0);
    assert_map(get(root, "m"), "x,y", (const long long[]){ 1, 5 });
    ck_assert_int_eq(load("a: &a {xa: 1, y: 1}\nb: &b {xa: 2}\nm:\n  <<: [*a, *b]\n  <<: *b\n  y: 5\n"), DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(diags), 0);
    assert_map(get(root, "m"), "xa,y", (const long long[]){ 2, 5 });
    /* but two explicit keys still are, even when one overrides a merged key */
    ck_assert_int_eq(load("a: &a {x: 1}\nm:\n  <<: *a\n  x: 2\n  x: 3\n"), DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(diags), 1);
    ck_assert_uint_eq(dcfg_diag_line(diag0()), 5);
    ck_assert_uint_eq(dcfg_diag_related_line(diag0()), 4);
    ck_assert_str_eq(dcfg_diag_path(diag0()), "m");
    assert_map(get(root, "m"), "x", (const long long[]){ 3 });
}
END_TEST

START_TEST(unhashable_keys)
{
    static const char *const bad[] = { "? [a]\n: 1\n", "[a]: 1\n", "{a: 1}: 2\n", "? - a\n: 1\n",
                                       "a: &k [1]\n*k : 2\n" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(load(bad[i]) == DCFG_ESYNTAX, "accepted %s", bad[i]);
        assert_msg_has(diag0(), "unhashable key");
    }
    ck_assert_uint_eq(dcfg_diag_column(diag0()), 1);
}
END_TEST

/* ---- limits ---------------------------------------------------------------- */

static double seconds_since(clock_t t0) { return (double)(clock() - t0) / CLOCKS_PER_SEC; }

START_TEST(billion_laughs)
{
    static const char src[] =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    clock_t t0 = clock();
    ck_assert_int_eq(load(src), DCFG_ELIMIT);
    ck_assert(seconds_since(t0) < 0.5);
    ck_assert_uint_eq(dcfg_diags_count(diags), 1);
    assert_diag(diag0(), DCFG_DIAG_LIMIT, DCFG_SEVERITY_ERROR, 6, 8);
    assert_msg_has(diag0(), "alias expansion / document too large");
    ck_assert_uint_lt(arena.total, 1u << 20);
    /* the same shape within budget loads */
    ck_assert_int_eq(load("a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\n"), DCFG_OK);
    ld.limits.max_nodes = 10; /* 1 + 1 + 3 + 1 + 1 + 3 + ... */
    ck_assert_int_eq(load("a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\n"), DCFG_ELIMIT);
}
END_TEST

START_TEST(deep_nesting)
{
    size_t n = 1000000;
    char *src = malloc(2 * n + 1);
    ck_assert_ptr_nonnull(src);
    memset(src, '[', n);
    memset(src + n, ']', n);
    src[2 * n] = '\0';
    clock_t t0 = clock();
    ck_assert_int_eq(load_n(src, n), DCFG_ELIMIT); /* unclosed */
    ck_assert_int_eq(load_n(src, 2 * n), DCFG_ELIMIT);
    ck_assert(seconds_since(t0) < 0.5);
    assert_diag(diag0(), DCFG_DIAG_LIMIT, DCFG_SEVERITY_ERROR, 1, 65);
    for (size_t i = 0; i < n / 4; i++)
        memcpy(src + 4 * i, "{a: ", 4);
    ck_assert_int_eq(load_n(src, n), DCFG_ELIMIT);
    ck_assert_uint_eq(dcfg_diag_column(diag0()), 257);
    for (size_t i = 0; i < n / 2; i++)
        memcpy(src + 2 * i, "- ", 2);
    ck_assert_int_eq(load_n(src, n), DCFG_ELIMIT);
    ck_assert_uint_eq(dcfg_diag_column(diag0()), 129);
    ck_assert(seconds_since(t0) < 1.0);
    free(src);

    /* exactly at the limit */
    char buf[300];
    memset(buf, '[', 64);
    memset(buf + 64, ']', 64);
    ck_assert_int_eq(load_n(buf, 128), DCFG_OK);
    memset(buf, '[', 65);
    memset(buf + 65, ']', 65);
    ck_assert_int_eq(load_n(buf, 130), DCFG_ELIMIT);
    /* block nesting */
    ld.limits.max_depth = 3;
    ck_assert_int_eq(load("a:\n  b:\n    c: 1\n"), DCFG_OK);
    ck_assert_int_eq(load("a:\n  b:\n    c:\n      d: 1\n"), DCFG_ELIMIT);
    assert_diag(diag0(), DCFG_DIAG_LIMIT, DCFG_SEVERITY_ERROR, 4, 7);
    /* aliases count with the height of what they refer to */
    ck_assert_int_eq(load("a: &a [[1]]\nb: *a\n"), DCFG_OK);
    ck_assert_int_eq(load("a: &a [[1]]\nb: [*a]\n"), DCFG_ELIMIT);
}
END_TEST

START_TEST(wide_flow_is_bounded)
{
    size_t n = 400000;
    char *src = malloc(2 * n + 4);
    ck_assert_ptr_nonnull(src);
    src[0] = '[';
    for (size_t i = 0; i < n; i++)
        memcpy(src + 1 + 2 * i, "1,", 2);
    src[2 * n] = ']';
    clock_t t0 = clock();
    ck_assert_int_eq(load_n(src, 2 * n + 1), DCFG_ELIMIT);
    ck_assert(seconds_since(t0) < 0.5);
    free(src);
}
END_TEST

START_TEST(size_limits)
{
    ld.limits.max_input_bytes = 10;
    ck_assert_int_eq(load("a: 1234567890\n"), DCFG_ELIMIT);
    ck_assert_int_eq(dcfg_diag_code_of(diag0()), DCFG_DIAG_LIMIT);
    ck_assert_int_eq(load("a: 1\n"), DCFG_OK);
    ld.limits.max_input_bytes = 1000;
    ld.limits.max_string_bytes = 5;
    ck_assert_int_eq(load("a: 12345\nb: '12345'\n"), DCFG_OK);
    ck_assert_int_eq(load("a: 12345\nb: '123456'\n"), DCFG_ELIMIT);
    assert_diag(diag0(), DCFG_DIAG_LIMIT, DCFG_SEVERITY_ERROR, 2, 4);
    ck_assert_int_eq(load("abcdef: 1\n"), DCFG_ELIMIT);
    ld.limits.max_nodes = 5; /* map, 2 keys, 2 values */
    ck_assert_int_eq(load("a: 1\nb: 2\n"), DCFG_OK);
    ck_assert_int_eq(load("a: 1\nb: 2\nc: 3\n"), DCFG_ELIMIT);
    ck_assert_int_eq(load("[1, 2, 3, 4, 5, 6, 7]"), DCFG_ELIMIT);
}
END_TEST

/* ---- documents ------------------------------------------------------------ */

START_TEST(multi_document)
{
    ck_assert_int_eq(load("a: 1\n---\nb: 2\n"), DCFG_ESYNTAX);
    ck_assert_uint_eq(dcfg_diags_count(diags), 1);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 1);
    assert_msg_has(diag0(), "expected a single document in the stream");
    ck_assert_int_eq(load("a: 1\n...\nb: 2\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 3, 1);
    ck_assert_int_eq(load("a: 1\n---\n"), DCFG_ESYNTAX);
    /* one document, with markers */
    ck_assert_int_eq(load("---\na: 1\n...\n"), DCFG_OK);
    ck_assert_int_eq(load("%YAML 1.1\n---\na: 1\n"), DCFG_OK);
    ck_assert_int_eq(get(root, "a")->v.i, 1);
}
END_TEST

START_TEST(empty_documents)
{
    static const char *const empty[] = { "", "\n", "# only a comment\n", "---\n", "--- \n...\n", "\xEF\xBB\xBF" };
    for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
        ck_assert_int_eq(load(empty[i]), DCFG_OK);
        ck_assert_int_eq(root->type, DCFG__NULL);
        assert_pos(root, 1, 1);
        ck_assert_uint_eq(dcfg_diags_count(diags), 0);
    }
    ck_assert_int_eq(load_n(NULL, 0), DCFG_OK);
    ck_assert_int_eq(root->type, DCFG__NULL);
    /* a scalar document */
    ck_assert_int_eq(load("--- |\n  text\n"), DCFG_OK);
    ck_assert(is_str(root, "text\n"));
}
END_TEST

/* ---- encoding --------------------------------------------------------------- */

START_TEST(invalid_utf8)
{
    ck_assert_int_eq(load("a: 1\nb: x\xff\n"), DCFG_ESYNTAX);
    ck_assert_uint_eq(dcfg_diags_count(diags), 1);
    assert_diag(diag0(), DCFG_DIAG_ENCODING, DCFG_SEVERITY_ERROR, 2, 5);
    assert_msg_has(diag0(), "0xFF");
    static const char *const bad[] = {
        "a: \xc3\n",             /* truncated */
        "a: \xc0\xaf\n",         /* overlong */
        "a: \xed\xa0\x80\n",     /* surrogate */
        "a: \xf4\x90\x80\x80\n", /* beyond U+10FFFF */
        "a: \x80\n",             /* lone continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(load(bad[i]), DCFG_ESYNTAX);
        assert_diag(diag0(), DCFG_DIAG_ENCODING, DCFG_SEVERITY_ERROR, 1, 4);
    }
    /* the column counts characters */
    ck_assert_int_eq(load("\xc3\xa9\xc3\xa9: \xff"), DCFG_ESYNTAX);
    ck_assert_uint_eq(dcfg_diag_column(diag0()), 5);
}
END_TEST

/* Every byte that is neither printable ASCII nor a tab or line break is
 * found at every offset of a long plain run (which is tested eight bytes at
 * a time), at its own column. */
START_TEST(bad_bytes_found_at_every_offset)
{
    char src[32];
    for (int b = 0; b < 256; b++) {
        if ((b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n' || b == '\r')
            continue;
        for (size_t at = 0; at < 17; at++) {
            memcpy(src, "a: xxxxxxxxxxxxxxxxxxxxxxxx\n", 29);
            src[3 + at] = (char)b;
            ck_assert_int_eq(load_n(src, 28), DCFG_ESYNTAX);
            assert_diag(diag0(), DCFG_DIAG_ENCODING, DCFG_SEVERITY_ERROR, 1, (unsigned)(4 + at));
        }
    }
    ck_assert_int_eq(load("a: xxxxxxxxxxxxxxxxxxxxxx~}{|b\nc: \"\txxxxxxxxxxxxxxx\"\r\n"), DCFG_OK);
}
END_TEST

START_TEST(non_printable_characters)
{
    ck_assert_int_eq(load_n("a: x\0y\n", 7), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_ENCODING, DCFG_SEVERITY_ERROR, 1, 5);
    assert_msg_has(diag0(), "U+0000");
    static const struct { const char *src; const char *cp; } bad[] = {
        { "a: \x07\n", "U+0007" },         { "a: \x7f\n", "U+007F" },
        { "a: \xc2\x80\n", "U+0080" },     { "a: \xef\xbf\xbe\n", "U+FFFE" },
        { "a: \"\x1b[0m\"\n", "U+001B" }, { "a: \x0c\n", "U+000C" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_int_eq(load(bad[i].src), DCFG_ESYNTAX);
        ck_assert_int_eq(dcfg_diag_code_of(diag0()), DCFG_DIAG_ENCODING);
        assert_msg_has(diag0(), bad[i].cp);
    }
    /* allowed: NEL, NBSP, BMP, astral, BOM */
    ck_assert_int_eq(load("a: \"x\xc2\xa0y \xe2\x82\xac \xf0\x9f\x98\x80\"\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "x\xc2\xa0y \xe2\x82\xac \xf0\x9f\x98\x80"));
}
END_TEST

/* UTF-8 text as UTF-16 (little or big endian) behind a BOM, in buf; its length. */
static size_t utf16(char *buf, size_t cap, const char *utf8, int le)
{
    size_t n = 0, len = strlen(utf8);
    unsigned units[2];
    for (size_t i = 0; i < len;) {
        uint32_t cp = (unsigned char)utf8[i];
        size_t k = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        if (k > 1)
            cp &= 0x3Fu >> (k - 1);
        for (size_t j = 1; j < k; j++)
            cp = cp << 6 | ((unsigned char)utf8[i + j] & 0x3F);
        i += k;
        size_t nu = 1;
        units[0] = cp;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (size_t u = 0; u < nu; u++) {
            ck_assert_uint_lt(n + 2, cap);
            buf[n++] = (char)(le ? units[u] & 0xFF : units[u] >> 8);
            buf[n++] = (char)(le ? units[u] >> 8 : units[u] & 0xFF);
        }
    }
    return n;
}

START_TEST(utf16_with_a_bom)
{
    char buf[256];
    for (int le = 0; le < 2; le++) {
        /* PyYAML decodes bytes behind FF FE / FE FF as UTF-16; positions count characters */
        size_t n = utf16(buf, sizeof buf, "\xEF\xBB\xBF" "a: 1\nb: \xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80\nc: [x, \"\\u00e9\"]\n", le);
        ck_assert_int_eq(load_n(buf, n), DCFG_OK);
        ck_assert_int_eq(get(root, "a")->v.i, 1);
        ck_assert(is_str(get(root, "b"), "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80"));
        assert_pos(get(root, "c"), 3, 4);
        ck_assert(is_str(get(root, "c")->kids[1], "\xc3\xa9"));
        /* errors found after decoding are placed in characters */
        n = utf16(buf, sizeof buf, "\xEF\xBB\xBF" "\xf0\x9f\x98\x80: x\n\xc3\xa9: \x07\n", le);
        ck_assert_int_eq(load_n(buf, n), DCFG_ESYNTAX);
        assert_diag(diag0(), DCFG_DIAG_ENCODING, DCFG_SEVERITY_ERROR, 2, 4);
        assert_msg_has(diag0(), "U+0007");
        n = utf16(buf, sizeof buf, "\xEF\xBB\xBF" "a: [1,\n", le);
        ck_assert_int_eq(load_n(buf, n), DCFG_ESYNTAX);
        ck_assert_int_eq(dcfg_diag_code_of(diag0()), DCFG_DIAG_SYNTAX);
        /* the strict codec's errors: unpaired surrogates, an odd last byte */
        static const struct { const char *tail; size_t len; const char *needle; unsigned col; } bad[] = {
            { "\x00\xD8" "x\x00", 4, "0xD800", 4 },  /* high, then not a low */
            { "\x3D\xD8", 2, "0xD83D", 4 },          /* high at the end */
            { "\x00\xDC", 2, "0xDC00", 4 },          /* low alone */
            { "x", 1, "odd number of bytes", 4 },
        };
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
            n = utf16(buf, sizeof buf, "\xEF\xBB\xBF" "a: 1\n\xc3\xa9: ", le);
            for (size_t j = 0; j < bad[i].len; j++)
                buf[n + j] = bad[i].tail[le || bad[i].len % 2 ? j : j ^ 1];
            ck_assert_int_eq(load_n(buf, n + bad[i].len), DCFG_ESYNTAX);
            assert_diag(diag0(), DCFG_DIAG_ENCODING, DCFG_SEVERITY_ERROR, 2, bad[i].col);
            assert_msg_has(diag0(), "UTF-16");
            assert_msg_has(diag0(), bad[i].needle);
        }
        /* without a BOM, or behind a UTF-8 one, it is UTF-8 with NULs, as in PyYAML */
        n = utf16(buf, sizeof buf, "a: 1\n", le);
        ck_assert_int_eq(load_n(buf + 2, n - 2), DCFG_ESYNTAX);
        ck_assert_int_eq(dcfg_diag_code_of(diag0()), DCFG_DIAG_ENCODING);
        memcpy(buf, "\xEF\xBB\xBF", 3);
        n = utf16(buf + 3, sizeof buf - 3, "a: 1\n", le);
        ck_assert_int_eq(load_n(buf, n + 3), DCFG_ESYNTAX);
        /* JSON is UTF-8 */
        n = utf16(buf, sizeof buf, "\xEF\xBB\xBF{\"a\": 1}", le);
        dcfg__diags_clear(diags);
        ck_assert_int_eq(dcfg__yaml_load(&root, buf, n, &ld, 1), DCFG_ESYNTAX);
        ck_assert_int_eq(dcfg_diag_code_of(diag0()), DCFG_DIAG_ENCODING);
        /* the input limit is on the bytes given, not on their UTF-8 */
        n = utf16(buf, sizeof buf, "\xEF\xBB\xBF" "a: \xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\n", le);
        ld.limits.max_input_bytes = n;
        ck_assert_int_eq(load_n(buf, n), DCFG_OK);
        ld.limits.max_input_bytes = n - 1;
        ck_assert_int_eq(load_n(buf, n), DCFG_ELIMIT);
        ld.limits.max_input_bytes = 16u << 20;
    }
}
END_TEST

/* ---- syntax errors ------------------------------------------------------------ */

START_TEST(tabs)
{
    ck_assert_int_eq(load("a:\n\tb: 1\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 1);
    assert_msg_has(diag0(), "hint");
    assert_msg_has(diag0(), "tab");
    ck_assert_str_eq(dcfg_diag_path(diag0()), "");
    /* PyYAML also rejects tabs as separators, which libfyaml accepts */
    static const syntax_case bad[] = {
        { "a:\t1\n", 1, 3 },       { "a: 1\t# c\n", 1, 5 }, { "a: 1 \t\n", 1, 6 },  { "- \ta\n", 1, 3 },
        { "a: [1,\t2]\n", 1, 7 }, { "a: x\ty\n", 1, 5 },   { "a: 1\n\t\nb: 2\n", 2, 1 },
        { "a: |\n  x\n\t\n  y\n", 3, 1 },
    };
    assert_refused(bad, sizeof bad / sizeof *bad, "tab");
    /* inside quotes, block scalars and comments they are content */
    ck_assert_int_eq(load("a: \"x\ty\"\nb: 'x\ty'\nc: |\n  x\n  \ty\n# \tcomment\nd: 1 # a\tb\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "x\ty"));
    ck_assert(is_str(get(root, "c"), "x\n\ty\n"));
    ck_assert_int_eq(get(root, "d")->v.i, 1);
}
END_TEST

START_TEST(truncated_and_malformed)
{
    static const char *const bad[] = {
        "a: [1, 2\n", "a: [1, 2", "a: {b: 1\n", "a: \"abc\n", "a: \"abc", "a: 'abc", "[", "{", "[[[", "{\"a\":",
        "a: b: c\n", "a:\n  - 1\n - 2\n", "key: value\n  other: 1\n", "a: @x\n", "a: `x\n", "- a\nb: 1\n",
        "a: \"\\q\"\n", "&", "*", "a: [1, 2]]\n", "a: }\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(load(bad[i]) == DCFG_ESYNTAX, "accepted %s", bad[i]);
        const dcfg_diag *g = diag0();
        ck_assert_int_eq(dcfg_diag_code_of(g), DCFG_DIAG_SYNTAX);
        ck_assert_int_eq(dcfg_diag_severity(g), DCFG_SEVERITY_ERROR);
        ck_assert_uint_gt(dcfg_diag_line(g), 0);
        ck_assert_str_eq(dcfg_diag_path(g), "");
        ck_assert_uint_gt(strlen(dcfg_diag_message(g)), 5);
    }
    ck_assert_int_eq(load("a: [1, 2\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 1);
    ck_assert_int_eq(load("a: \"abc"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "closing quote");
    ck_assert_int_eq(load("cmd: echo a: b\n"), DCFG_ESYNTAX);
    assert_msg_has(diag0(), "hint");
}
END_TEST

START_TEST(where_libfyaml_is_laxer_than_pyyaml)
{
    /* a value on the next line must be indented more than its key */
    ck_assert_int_eq(load("type: service\ncommands:\npython app.py\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 3, 1);
    assert_msg_has(diag0(), "\"commands\"");
    ck_assert_int_eq(load("a:\n  b:\n  c\n"), DCFG_ESYNTAX);
    ck_assert_str_eq(dcfg_diag_path(diag0()), "a");
    ck_assert_int_eq(load("a:\n[1]\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("a:\n- 1\nb:\n  c\n"), DCFG_OK); /* indentless list; indented scalar */
    ck_assert_int_eq(get(root, "a")->kids[0]->v.i, 1);
    ck_assert(is_str(get(root, "b"), "c"));
    /* a key left out */
    ck_assert_int_eq(load("a: 1\n: 2\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 2, 1);
    ck_assert_int_eq(load("{a: 1, : 2}"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("? \n: 2\n"), DCFG_OK); /* explicit empty key is null */
    ck_assert_int_eq(DCFG__KEY(root, 0)->type, DCFG__NULL);
    /* block scalar text must be indented below its parent */
    ck_assert_int_eq(load("a:\n  b: |\n  c: 1\n"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 3, 3);
    ck_assert_int_eq(load("c:\n  - |\n  python x\n"), DCFG_ESYNTAX);
    ck_assert_int_eq(load("a: |\nb: 1\n"), DCFG_OK); /* empty block scalar, then a sibling */
    ck_assert(is_str(get(root, "a"), ""));
    ck_assert_int_eq(get(root, "b")->v.i, 1);
    /* PyYAML ignores indentation inside quoted scalars and flow collections */
    ck_assert_int_eq(load("x:\n  y: \"a\nb\"\n  z: [1,\n2]\n"), DCFG_OK);
    ck_assert(is_str(get(get(root, "x"), "y"), "a b"));
    ck_assert_uint_eq(get(get(root, "x"), "z")->n, 2);
    /* CRLF before a closing quote folds like LF */
    ck_assert_int_eq(load("a: \"3.11\r\n\"\r\nb: 1\r\n"), DCFG_OK);
    ck_assert(is_str(get(root, "a"), "3.11 "));
    assert_pos(DCFG__KEY(root, 1), 3, 1);
}
END_TEST

/* ---- JSON mode -------------------------------------------------------------- */

START_TEST(json_mode)
{
    ck_assert_int_eq(load_json("{\"type\": \"service\",\n \"port\": 80, \"x\": [1.5, 1e3, -0, true, null, \"y\"],"
                               " \"big\": 123456789012345678901234567890}"),
                     DCFG_OK);
    assert_pos(root, 1, 1);
    assert_pos(DCFG__KEY(root, 0), 1, 2);
    ck_assert(DCFG__KEY(root, 0)->flags & DCFG__NF_QUOTED);
    assert_pos(get(root, "type"), 1, 10);
    assert_pos(DCFG__KEY(root, 1), 2, 2);
    assert_pos(get(root, "port"), 2, 10);
    ck_assert_int_eq(get(root, "port")->v.i, 80);
    const dcfg__node *x = get(root, "x");
    assert_pos(x, 2, 19);
    ck_assert(x->kids[0]->type == DCFG__FLOAT && x->kids[0]->v.f == 1.5);
    ck_assert(x->kids[1]->type == DCFG__FLOAT && x->kids[1]->v.f == 1000.0); /* JSON number */
    ck_assert(x->kids[2]->type == DCFG__INT && x->kids[2]->v.i == 0);
    ck_assert(x->kids[3]->type == DCFG__BOOL && x->kids[3]->v.b == 1);
    ck_assert_int_eq(x->kids[4]->type, DCFG__NULL);
    ck_assert(is_str(x->kids[5], "y"));
    ck_assert(get(root, "big")->flags & DCFG__NF_BIGINT);
    /* tabs are JSON whitespace */
    ck_assert_int_eq(load_json("{\"a\":\t1}"), DCFG_OK);

    static const char *const bad[] = {
        "{a: 1}", "{'a': 1}", "{\"a\": 1,}", "[1, 2,]", "{\"a\": 1} # c", "{\"a\": yes}", "{\"a\": 01}",
        "{\"a\": .5}", "{\"a\": &x 1}", "{\"a\": !!int \"1\"}", "{\"a\": \"x\ty\"}", "", "{\"a\": 1}\n{\"b\": 2}",
        "{\"a\": [1, 2}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(load_json(bad[i]) == DCFG_ESYNTAX, "accepted %s", bad[i]);
        ck_assert_int_eq(dcfg_diag_code_of(diag0()), DCFG_DIAG_SYNTAX);
        ck_assert_ptr_null(root);
    }
    ck_assert_int_eq(load_json("{a: 1}"), DCFG_ESYNTAX);
    assert_diag(diag0(), DCFG_DIAG_SYNTAX, DCFG_SEVERITY_ERROR, 1, 2);
    ck_assert_int_eq(load_json("{\"a\": 1,\n \"b\": 2,}"), DCFG_ESYNTAX);
    ck_assert_uint_eq(dcfg_diag_line(diag0()), 2);

    /* duplicates: last value, first position, warning */
    ck_assert_int_eq(load_json("{\"port\": 80, \"port\": 8000}"), DCFG_OK);
    ck_assert_uint_eq(root->n, 1);
    ck_assert_int_eq(DCFG__VAL(root, 0)->v.i, 8000);
    assert_diag(diag0(), DCFG_DIAG_DUPLICATE_KEY, DCFG_SEVERITY_WARNING, 1, 14);
}
END_TEST

/* ---- allocation failures -------------------------------------------------------- */

static long alloc_calls, alloc_fail_at, alloc_live;
static void *t_malloc(size_t n, void *u)
{
    (void)u;
    if (++alloc_calls == alloc_fail_at)
        return NULL;
    void *p = malloc(n);
    alloc_live += p != NULL;
    return p;
}
static void *t_realloc(void *p, size_t n, void *u)
{
    (void)u;
    if (++alloc_calls == alloc_fail_at)
        return NULL;
    void *q = realloc(p, n);
    alloc_live += q && !p;
    return q;
}
static void t_free(void *p, void *u)
{
    (void)u;
    alloc_live -= p != NULL;
    free(p);
}
static const dcfg_allocator failing = { t_malloc, t_realloc, t_free, NULL };

static dcfg_status load_failing_n(const char *src, size_t len, int json)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &failing);
    dcfg_diags *d = dcfg__diags_new(&failing, "<oom>");
    if (!d)
        return DCFG_ENOMEM;
    dcfg__load l = ld;
    l.arena = &a;
    l.diags = d;
    dcfg__node *r = NULL;
    dcfg_status st = dcfg__yaml_load(&r, src, len, &l, json);
    dcfg_diags_free(d);
    dcfg__arena_free(&a);
    return st;
}

static dcfg_status load_failing(const char *src, int json) { return load_failing_n(src, strlen(src), json); }

START_TEST(allocation_failures)
{
    static const struct { const char *src; int json; dcfg_status ok; } docs[] = {
        { "a: &a {x: 1, y: [1, \"s\"]}\nm:\n  <<: *a\n  k: 1\n  k: 2\n  big: 123456789012345678901234567890\n"
          "n: {p: 1, q: 2, r: 3, s: 4, t: 5, u: 6, v: 7, w: 8, x: 9, y: 10, p: 0}\nl: |\n  t\n",
          0, DCFG_OK },
        { "a: *nope\n", 0, DCFG_ESYNTAX },
        { "a: [1, 2\n", 0, DCFG_ESYNTAX },
        { "a:\t1\n", 0, DCFG_ESYNTAX },
        { "a: !!int x\n", 0, DCFG_ESYNTAX },
        { "{\"a\": [1, 2], \"a\": 3}", 1, DCFG_OK },
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        alloc_fail_at = 0;
        alloc_calls = alloc_live = 0;
        ck_assert_int_eq(load_failing(docs[i].src, docs[i].json), docs[i].ok);
        ck_assert_int_eq(alloc_live, 0);
        long total = alloc_calls;
        ck_assert_int_gt(total, 2);
        for (long k = 1; k <= total; k++) {
            alloc_fail_at = k;
            alloc_calls = alloc_live = 0;
            ck_assert_msg(load_failing(docs[i].src, docs[i].json) == DCFG_ENOMEM, "doc %zu, failing alloc %ld", i, k);
            ck_assert_int_eq(alloc_live, 0);
        }
    }
    /* UTF-16: read after decoding, and refused */
    static const struct { const char *src; size_t len; dcfg_status ok; } wide[] = {
        { "\xFF\xFE" "a\0:\0 \0[\0x\0]\0\n\0", 16, DCFG_OK },
        { "\xFE\xFF" "\0a\0:\0 \xDC\0", 10, DCFG_ESYNTAX },
    };
    for (size_t i = 0; i < sizeof wide / sizeof *wide; i++) {
        alloc_fail_at = 0;
        alloc_calls = alloc_live = 0;
        ck_assert_int_eq(load_failing_n(wide[i].src, wide[i].len, 0), wide[i].ok);
        long total = alloc_calls;
        for (long k = 1; k <= total; k++) {
            alloc_fail_at = k;
            alloc_calls = alloc_live = 0;
            ck_assert_msg(load_failing_n(wide[i].src, wide[i].len, 0) == DCFG_ENOMEM, "wide %zu, failing alloc %ld", i, k);
            ck_assert_int_eq(alloc_live, 0);
        }
    }
}
END_TEST

START_TEST(success_leaves_only_warnings)
{
    ck_assert_int_eq(load("a: 1\na: 2\nb: [x, y]\n"), DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(diags), 1);
    ck_assert_uint_eq(dcfg_diags_error_count(diags), 0);
    ck_assert_uint_eq(root->n, 2);
}
END_TEST

Suite *yaml_suite(void)
{
    Suite *s = suite_create("yaml");
    TCase *tc = tcase_create("scalars");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, scalar_typing_table, 0, (int)(sizeof typing / sizeof *typing));
    tcase_add_test(tc, floats_special);
    tcase_add_test(tc, timestamps_are_flagged_strings);
    tcase_add_test(tc, resolve_direct);
    tcase_add_test(tc, big_integers);
    tcase_add_test(tc, explicit_tags);
    tcase_add_test(tc, unknown_tags_are_errors);
    tcase_add_test(tc, binary_is_bytes_as_base64_decodebytes_reads_it);
    tcase_add_test(tc, value_and_merge_scalars);
    tcase_add_test(tc, quoted_vs_plain);
    tcase_add_test(tc, escapes_and_nul_content);
    tcase_add_test(tc, lone_surrogate_escapes);
    tcase_add_test(tc, block_scalars);
    tcase_add_test(tc, block_scalars_with_nel_ls_ps_breaks);
    tcase_add_test(tc, empty_block_scalar_then_less_indented_comment);
    tcase_add_test(tc, block_scalars_indented_less_than_their_indicator);
    tcase_add_test(tc, plain_multiline_and_empty_values);
    suite_add_tcase(s, tc);

    tc = tcase_create("structure");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, positions);
    tcase_add_test(tc, positions_crlf_and_bom);
    tcase_add_test(tc, aliases_share_nodes);
    tcase_add_test(tc, alias_errors);
    tcase_add_test(tc, anchor_names_as_pyyaml_scans_them);
    tcase_add_test(tc, anchor_and_alias_names_end_at_colon_and_question_mark);
    tcase_add_test(tc, percent_lines_as_pyyaml_scans_them);
    tcase_add_test(tc, flow_scalars_and_keys_as_pyyaml_scans_them);
    tcase_add_test(tc, comments_and_document_ends_as_pyyaml_reads_them);
    tcase_add_test(tc, merge_keys);
    tcase_add_test(tc, merge_errors);
    tcase_add_test(tc, set_tag);
    tcase_add_test(tc, omap_and_pairs_tags);
    tcase_add_test(tc, duplicate_keys_last_value_first_position);
    tcase_add_test(tc, duplicate_keys_three_times_and_paths);
    tcase_add_test(tc, duplicate_keys_strict);
    tcase_add_test(tc, duplicate_keys_python_equality);
    tcase_add_test(tc, merge_duplicates_not_reported);
    tcase_add_test(tc, unhashable_keys);
    tcase_add_test(tc, multi_document);
    tcase_add_test(tc, empty_documents);
    tcase_add_test(tc, success_leaves_only_warnings);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, billion_laughs);
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, wide_flow_is_bounded);
    tcase_add_test(tc, size_limits);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, invalid_utf8);
    tcase_add_test(tc, non_printable_characters);
    tcase_add_test(tc, bad_bytes_found_at_every_offset);
    tcase_add_test(tc, utf16_with_a_bom);
    tcase_add_test(tc, tabs);
    tcase_add_test(tc, truncated_and_malformed);
    tcase_add_test(tc, where_libfyaml_is_laxer_than_pyyaml);
    tcase_add_test(tc, json_mode);
    suite_add_tcase(s, tc);
    return s;
}
