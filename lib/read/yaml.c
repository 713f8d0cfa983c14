/* YAML front end: libfyaml's event parser -> dcfg__node tree, typed and shaped
 * exactly like PyYAML's yaml.safe_load (YAML 1.1), which is what dstack uses.
 *
 * The tree is built from events with an explicit stack (no recursion, no
 * fy_document), every node and string lives in ld->arena, and all limits
 * (input size, scalar size, depth, nodes after alias expansion) are enforced
 * here because libfyaml has no knobs for them. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfyaml.h>
#include "read/read.h"

/* A plain `<<` (YAML 1.1 merge key) while its mapping is being built. Such
 * keys are removed when the mapping is complete, so the bit never escapes. */
#define NF_MERGE 0x80u
_Static_assert((NF_MERGE & (DCFG__NF_QUOTED | DCFG__NF_BIGINT | DCFG__NF_TIMESTAMP)) == 0,
               "NF_MERGE must not collide with DCFG__NF_*");

/* Python 3.11+ refuses int() of more than 4300 decimal digits, and so does
 * PyYAML on such a scalar; bigger results could not be printed either. */
#define MAX_INT_DIGITS 4300

/* ======================================================================
 * YAML 1.1 scalar resolution (PyYAML Resolver + SafeConstructor)
 * ====================================================================== */

typedef enum res {
    RES_OK = 0,
    RES_NO_CONSTRUCTOR, /* `=` (tag:yaml.org,2002:value) or `<<` (merge) outside a key */
    RES_BAD_INT,        /* matches the int pattern but int() fails, e.g. 0b_ */
    RES_BAD_FLOAT,
    RES_BAD_BOOL,
    RES_BAD_TIMESTAMP,  /* e.g. 2024-13-01: datetime() raises */
    RES_TOO_BIG,        /* more than MAX_INT_DIGITS digits */
    RES_NOMEM
} res;

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int hex_val(int c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

static int text_is(const char *s, size_t len, const char *lit)
{
    for (size_t i = 0; i < len; i++)
        if (lit[i] != s[i] || !lit[i])
            return 0;
    return lit[len] == '\0';
}

static int text_is_any(const char *s, size_t len, const char *const *lits)
{
    for (; *lits; lits++)
        if (text_is(s, len, *lits))
            return 1;
    return 0;
}

static const char *const null_words[] = { "~", "null", "Null", "NULL", NULL };
static const char *const true_words[] = { "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL };
static const char *const false_words[] = { "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL };

/* ---- arbitrary-precision integers (base 1e9 limbs, little-endian) ---- */

#define BIG_BASE 1000000000u
#define BIG_LIMBS ((MAX_INT_DIGITS + 8) / 9 + 2)

typedef struct big {
    uint32_t d[BIG_LIMBS];
    size_t n; /* limbs in use; 0 means zero */
} big;

/* b = b * mul + add; mul <= BIG_BASE. -1 when the number grows past BIG_LIMBS. */
static int big_muladd(big *b, uint32_t mul, uint32_t add)
{
    uint64_t carry = add;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->d[i] * mul + carry;
        b->d[i] = (uint32_t)(t % BIG_BASE);
        carry = t / BIG_BASE;
    }
    while (carry) {
        if (b->n == BIG_LIMBS)
            return -1;
        b->d[b->n++] = (uint32_t)(carry % BIG_BASE);
        carry /= BIG_BASE;
    }
    return 0;
}

static int big_add(big *a, const big *b)
{
    uint32_t carry = 0;
    size_t n = a->n > b->n ? a->n : b->n;
    for (size_t i = 0; i < n || carry; i++) {
        if (i == a->n) {
            if (a->n == BIG_LIMBS)
                return -1;
            a->d[a->n++] = 0;
        }
        uint32_t t = a->d[i] + (i < b->n ? b->d[i] : 0) + carry;
        carry = t >= BIG_BASE;
        a->d[i] = carry ? t - BIG_BASE : t;
    }
    return 0;
}

static size_t big_digits(const big *b)
{
    if (!b->n)
        return 1;
    size_t digits = (b->n - 1) * 9;
    for (uint32_t top = b->d[b->n - 1]; top; top /= 10)
        digits++;
    return digits;
}

/* Digits of one base (2, 8, 10 or 16), no sign, no underscores, at least one digit. */
static res big_parse(big *b, const char *s, size_t len, unsigned base)
{
    if (!len)
        return RES_BAD_INT;
    if (base == 10 && len > MAX_INT_DIGITS)
        return RES_TOO_BIG;
    b->n = 0;
    uint32_t mul = 1, acc = 0;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        unsigned v;
        if (is_digit(c))
            v = (unsigned)(c - '0');
        else if (base == 16 && is_hex(c))
            v = (unsigned)hex_val(c);
        else
            return RES_BAD_INT;
        if (v >= base)
            return RES_BAD_INT;
        if ((uint64_t)mul * base > BIG_BASE) {
            if (big_muladd(b, mul, acc))
                return RES_TOO_BIG;
            mul = 1;
            acc = 0;
        }
        mul *= base;
        acc = acc * base + v;
    }
    if (big_muladd(b, mul, acc))
        return RES_TOO_BIG;
    return big_digits(b) > MAX_INT_DIGITS ? RES_TOO_BIG : RES_OK;
}

/* Canonical decimal text into buf (room for MAX_INT_DIGITS + 20); returns its length. */
static size_t big_format(char *buf, const big *b, int neg)
{
    size_t k = 0;
    if (!b->n) {
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    if (neg)
        buf[k++] = '-';
    k += (size_t)sprintf(buf + k, "%u", (unsigned)b->d[b->n - 1]);
    for (size_t i = b->n - 1; i-- > 0;)
        k += (size_t)sprintf(buf + k, "%09u", (unsigned)b->d[i]);
    return k;
}

/* 1 and *out set when sign*b fits in long long. */
static int big_to_ll(const big *b, int neg, long long *out)
{
    if (b->n > 3 || (b->n == 3 && b->d[2] > 9))
        return 0;
    uint64_t mag = 0;
    for (size_t i = b->n; i-- > 0;)
        mag = mag * BIG_BASE + b->d[i];
    if (!neg && mag <= (uint64_t)LLONG_MAX) {
        *out = (long long)mag;
        return 1;
    }
    if (neg && mag <= (uint64_t)LLONG_MAX + 1u) {
        *out = mag == (uint64_t)LLONG_MAX + 1u ? LLONG_MIN : -(long long)mag;
        return 1;
    }
    return 0;
}

/* ---- patterns (PyYAML 6 resolver regexes, matched by hand) ---- */

/* `:[0-5]?[0-9]` groups up to the end or up to a '.', starting at s[i] == ':'.
 * Returns the index after the last group, or 0 when a group is malformed. */
static size_t sexa_groups(const char *s, size_t len, size_t i)
{
    while (i < len && s[i] == ':') {
        size_t j = i + 1, k = j;
        while (k < len && is_digit((unsigned char)s[k]))
            k++;
        if (k - j == 0 || k - j > 2 || (k - j == 2 && s[j] > '5'))
            return 0;
        i = k;
    }
    return i;
}

static int all_of(const char *s, size_t len, int (*pred)(int))
{
    for (size_t i = 0; i < len; i++)
        if (!pred((unsigned char)s[i]))
            return 0;
    return 1;
}

static int is_bin_u(int c) { return c == '0' || c == '1' || c == '_'; }
static int is_oct_u(int c) { return (c >= '0' && c <= '7') || c == '_'; }
static int is_dec_u(int c) { return is_digit(c) || c == '_'; }
static int is_hex_u(int c) { return is_hex(c) || c == '_'; }

/* ^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+
 *    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$ */
static int match_int(const char *s, size_t len)
{
    size_t i = (len && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    const char *t = s + i;
    size_t n = len - i;
    if (!n || !is_digit((unsigned char)t[0]))
        return 0;
    if (t[0] == '0') {
        if (n == 1)
            return 1;
        if (t[1] == 'b')
            return n > 2 && all_of(t + 2, n - 2, is_bin_u);
        if (t[1] == 'x')
            return n > 2 && all_of(t + 2, n - 2, is_hex_u);
        return all_of(t + 1, n - 1, is_oct_u);
    }
    size_t k = 1;
    while (k < n && is_dec_u((unsigned char)t[k]))
        k++;
    if (k == n)
        return 1;
    return t[k] == ':' && sexa_groups(t, n, k) == n;
}

/* ^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
 *    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
 *    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
 *    |[-+]?\.(?:inf|Inf|INF)
 *    |\.(?:nan|NaN|NAN))$ */
static int match_exp(const char *s, size_t len, size_t i)
{
    if (i == len)
        return 1;
    if ((s[i] != 'e' && s[i] != 'E') || i + 2 > len || (s[i + 1] != '-' && s[i + 1] != '+'))
        return 0;
    return i + 2 < len && all_of(s + i + 2, len - i - 2, is_digit);
}

static int match_float(const char *s, size_t len)
{
    if (!len)
        return 0;
    if (s[0] == '.') {
        static const char *const nan_inf[] = { ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", NULL };
        if (text_is_any(s, len, nan_inf))
            return 1;
        if (len < 2 || !is_digit((unsigned char)s[1]))
            return 0;
        size_t i = 2;
        while (i < len && is_dec_u((unsigned char)s[i]))
            i++;
        return match_exp(s, len, i);
    }
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i < len && s[i] == '.') {
        static const char *const infs[] = { ".inf", ".Inf", ".INF", NULL };
        return text_is_any(s + i, len - i, infs);
    }
    if (i == len || !is_digit((unsigned char)s[i]))
        return 0;
    i++;
    while (i < len && is_dec_u((unsigned char)s[i]))
        i++;
    if (i < len && s[i] == ':') {
        i = sexa_groups(s, len, i);
        if (!i || i == len || s[i] != '.')
            return 0;
        return all_of(s + i + 1, len - i - 1, is_dec_u);
    }
    if (i == len || s[i] != '.')
        return 0;
    i++;
    while (i < len && is_dec_u((unsigned char)s[i]))
        i++;
    return match_exp(s, len, i);
}

typedef struct tstamp {
    int year, month, day, has_time, hour, minute, second, tz_sign, tz_hour, tz_minute;
} tstamp;

static int digits_at(const char *s, size_t len, size_t *i, size_t min, size_t max, int *out)
{
    size_t k = 0;
    int v = 0;
    while (k < max && *i + k < len && is_digit((unsigned char)s[*i + k])) {
        v = v * 10 + (s[*i + k] - '0');
        k++;
    }
    if (k < min)
        return 0;
    *i += k;
    *out = v;
    return 1;
}

/* PyYAML's timestamp resolver regex; fills *ts from its groups. */
static int match_timestamp(const char *s, size_t len, tstamp *ts)
{
    size_t i = 0;
    memset(ts, 0, sizeof *ts);
    if (len == 10) {
        /* [0-9]{4}-[0-9]{2}-[0-9]{2} */
        for (size_t k = 0; k < 10; k++)
            if (k == 4 || k == 7 ? s[k] != '-' : !is_digit((unsigned char)s[k]))
                return 0;
        ts->year = atoi(s);
        ts->month = (s[5] - '0') * 10 + (s[6] - '0');
        ts->day = (s[8] - '0') * 10 + (s[9] - '0');
        return 1;
    }
    if (!digits_at(s, len, &i, 4, 4, &ts->year) || i >= len || s[i++] != '-' ||
        !digits_at(s, len, &i, 1, 2, &ts->month) || i >= len || s[i++] != '-' ||
        !digits_at(s, len, &i, 1, 2, &ts->day) || i >= len)
        return 0;
    if (s[i] == 'T' || s[i] == 't') {
        i++;
    } else if (s[i] == ' ' || s[i] == '\t') {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
    } else {
        return 0;
    }
    if (!digits_at(s, len, &i, 1, 2, &ts->hour) || i >= len || s[i++] != ':' ||
        !digits_at(s, len, &i, 2, 2, &ts->minute) || i >= len || s[i++] != ':' ||
        !digits_at(s, len, &i, 2, 2, &ts->second))
        return 0;
    ts->has_time = 1;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit((unsigned char)s[i]))
            i++;
    }
    if (i == len)
        return 1;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len && s[i] == 'Z')
        return i + 1 == len;
    if (i >= len || (s[i] != '-' && s[i] != '+'))
        return 0;
    ts->tz_sign = s[i++] == '-' ? -1 : 1;
    if (!digits_at(s, len, &i, 1, 2, &ts->tz_hour))
        return 0;
    if (i < len && s[i] == ':') {
        i++;
        if (!digits_at(s, len, &i, 2, 2, &ts->tz_minute))
            return 0;
    }
    return i == len;
}

/* What Python's datetime.date/datetime/timezone accept. */
static int timestamp_valid(const tstamp *ts)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (ts->year < 1 || ts->month < 1 || ts->month > 12 || ts->day < 1)
        return 0;
    int leap = (ts->year % 4 == 0 && ts->year % 100 != 0) || ts->year % 400 == 0;
    int dim = mdays[ts->month - 1] + (ts->month == 2 && leap);
    if (ts->day > dim)
        return 0;
    if (!ts->has_time)
        return 1;
    if (ts->hour > 23 || ts->minute > 59 || ts->second > 59)
        return 0;
    return !ts->tz_sign || ts->tz_hour * 60 + ts->tz_minute < 24 * 60;
}

/* ---- number construction (Python int()/float() on PyYAML's cleaned text) ---- */

/* Scratch copy of a scalar: on the stack when small, else from the allocator. */
typedef struct scratch {
    const dcfg_allocator *al;
    char *p;
    char small[128];
} scratch;

/* Copy of s without '_'; NULL on OOM. */
static char *strip_underscores(scratch *sc, const char *s, size_t len, size_t *out_len)
{
    sc->p = len < sizeof sc->small ? sc->small : dcfg__malloc(sc->al, len + 1);
    if (!sc->p)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != '_')
            sc->p[k++] = s[i];
    sc->p[k] = '\0';
    *out_len = k;
    return sc->p;
}

static void scratch_free(scratch *sc)
{
    if (sc->p && sc->p != sc->small)
        dcfg__free(sc->al, sc->p);
    sc->p = NULL;
}

static int is_py_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

static void trim_space(const char **s, size_t *len)
{
    while (*len && is_py_space((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_py_space((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

/* Python int(text, base) for base 2, 8, 10, 16 (whitespace, one sign, and the
 * optional 0b/0o/0x prefix of that base). Sets *neg. */
static res py_int(big *b, int *neg, const char *s, size_t len, unsigned base)
{
    trim_space(&s, &len);
    *neg = 0;
    if (len && (s[0] == '-' || s[0] == '+')) {
        *neg = s[0] == '-';
        s++;
        len--;
    }
    if (len >= 2 && s[0] == '0' && base != 10) {
        char p = (char)(s[1] | 0x20);
        if ((base == 2 && p == 'b') || (base == 8 && p == 'o') || (base == 16 && p == 'x')) {
            s += 2;
            len -= 2;
        }
    }
    return big_parse(b, s, len, base);
}

typedef struct intval {
    int big;        /* outside long long: text holds it */
    long long i;
    size_t text_len;
    char text[MAX_INT_DIGITS + 24]; /* canonical decimal text when big */
} intval;

/* SafeConstructor.construct_yaml_int on raw scalar text. */
static res construct_int(const dcfg_allocator *al, const char *raw, size_t raw_len, intval *out)
{
    size_t len;
    scratch sc;
    sc.al = al;
    char *v = strip_underscores(&sc, raw, raw_len, &len);
    if (!v)
        return RES_NOMEM;
    big bigs[2];
    big *b = &bigs[0], *part = &bigs[1];
    res r = RES_BAD_INT;
    int neg = 0, inner_neg = 0;
    out->big = 0;
    out->i = 0;
    out->text_len = 0;
    const char *s = v;
    if (!len)
        goto done; /* value[0] raises IndexError */
    if (s[0] == '-')
        neg = 1;
    if (s[0] == '-' || s[0] == '+') {
        s++;
        len--;
    }
    if (len == 1 && s[0] == '0') {
        b->n = 0;
        r = RES_OK;
    } else if (len >= 2 && s[0] == '0' && s[1] == 'b') {
        r = py_int(b, &inner_neg, s + 2, len - 2, 2);
    } else if (len >= 2 && s[0] == '0' && s[1] == 'x') {
        r = py_int(b, &inner_neg, s + 2, len - 2, 16);
    } else if (len && s[0] == '0') {
        r = py_int(b, &inner_neg, s, len, 8);
    } else if (memchr(s, ':', len)) {
        /* sexagesimal: Horner over int(part) of each ':'-separated part */
        const char *p = s, *end = s + len;
        b->n = 0;
        r = RES_OK;
        for (int first = 1; r == RES_OK; first = 0) {
            const char *q = memchr(p, ':', (size_t)(end - p));
            size_t plen = q ? (size_t)(q - p) : (size_t)(end - p);
            int pneg;
            r = py_int(part, &pneg, p, plen, 10);
            if (r == RES_OK && pneg && part->n)
                r = RES_BAD_INT; /* int("-5") parts: not worth supporting */
            if (r == RES_OK && !first && big_muladd(b, 60, 0))
                r = RES_TOO_BIG;
            if (r == RES_OK && big_add(b, part))
                r = RES_TOO_BIG;
            if (!q)
                break;
            p = q + 1;
        }
        if (r == RES_OK && big_digits(b) > MAX_INT_DIGITS)
            r = RES_TOO_BIG;
    } else {
        r = py_int(b, &inner_neg, s, len, 10);
    }
    if (r != RES_OK)
        goto done;
    neg ^= inner_neg;
    if (!b->n)
        neg = 0;
    if (big_to_ll(b, neg, &out->i))
        goto done;
    out->big = 1;
    out->text_len = big_format(out->text, b, neg);
done:
    scratch_free(&sc);
    return r;
}

/* Decimal mantissa (digits with at most one '.', at least one digit) times
 * 10^exp10, correctly rounded, independent of the current locale. */
static double dec_to_double(const char *m, size_t mlen, long exp10)
{
    char buf[840];
    size_t k = 0;
    long dexp = 0;
    int seen_dot = 0, nonzero = 0, sticky = 0;
    for (size_t i = 0; i < mlen; i++) {
        char c = m[i];
        if (c == '.') {
            seen_dot = 1;
            continue;
        }
        if (!nonzero && c == '0') {
            if (seen_dot)
                dexp--;
            continue;
        }
        nonzero = 1;
        if (k < 780) {
            buf[k++] = c;
            if (seen_dot)
                dexp--;
        } else {
            if (c != '0')
                sticky = 1;
            if (!seen_dot)
                dexp++;
        }
    }
    if (!k)
        return 0.0;
    if (sticky) {
        buf[k++] = '1';
        dexp--;
    }
    long e = dexp + exp10;
    if (e > 100000)
        return HUGE_VAL;
    if (e < -100000)
        return 0.0;
    snprintf(buf + k, sizeof buf - k, "e%ld", e);
    return strtod(buf, NULL); /* only digits and an exponent: no radix character involved */
}

/* Python float(text): whitespace, sign, inf/infinity/nan, decimal with exponent. */
static res py_float(const char *s, size_t len, double *out)
{
    trim_space(&s, &len);
    int neg = 0;
    if (len && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s++;
        len--;
    }
    char low[9] = { 0 };
    if (len <= 8) {
        for (size_t i = 0; i < len; i++)
            low[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] | 0x20 : s[i]);
        if (text_is(low, len, "inf") || text_is(low, len, "infinity")) {
            *out = neg ? -HUGE_VAL : HUGE_VAL;
            return RES_OK;
        }
        if (text_is(low, len, "nan")) {
            *out = NAN;
            return RES_OK;
        }
    }
    size_t i = 0, digits = 0;
    while (i < len && is_digit((unsigned char)s[i])) {
        i++;
        digits++;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit((unsigned char)s[i])) {
            i++;
            digits++;
        }
    }
    if (!digits)
        return RES_BAD_FLOAT;
    size_t mlen = i;
    long exp10 = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        if (i == len)
            return RES_BAD_FLOAT;
        while (i < len && is_digit((unsigned char)s[i])) {
            if (exp10 < 1000000)
                exp10 = exp10 * 10 + (s[i] - '0');
            i++;
        }
        if (eneg)
            exp10 = -exp10;
    }
    if (i != len)
        return RES_BAD_FLOAT;
    double d = dec_to_double(s, mlen, exp10);
    *out = neg ? -d : d;
    return RES_OK;
}

/* SafeConstructor.construct_yaml_float on raw scalar text. */
static res construct_float(const dcfg_allocator *al, const char *raw, size_t raw_len, double *out)
{
    size_t len;
    scratch sc;
    sc.al = al;
    char *v = strip_underscores(&sc, raw, raw_len, &len);
    if (!v)
        return RES_NOMEM;
    for (size_t i = 0; i < len; i++)
        if (v[i] >= 'A' && v[i] <= 'Z')
            v[i] = (char)(v[i] | 0x20);
    res r = RES_BAD_FLOAT;
    const char *s = v;
    double sign = 1.0;
    if (!len)
        goto done;
    if (s[0] == '-')
        sign = -1.0;
    if (s[0] == '-' || s[0] == '+') {
        s++;
        len--;
    }
    if (text_is(s, len, ".inf")) {
        *out = sign * HUGE_VAL;
        r = RES_OK;
    } else if (text_is(s, len, ".nan")) {
        *out = NAN;
        r = RES_OK;
    } else if (memchr(s, ':', len)) {
        /* parts summed from the last one: value += part * 60^k */
        double value = 0.0, base = 1.0;
        const char *end = s + len, *q = end;
        r = RES_OK;
        while (r == RES_OK) {
            const char *p = q;
            while (p > s && p[-1] != ':')
                p--;
            double part;
            r = py_float(p, (size_t)(q - p), &part);
            if (r != RES_OK)
                break;
            value += part * base;
            base *= 60.0;
            if (p == s)
                break;
            q = p - 1;
        }
        *out = sign * value;
    } else {
        double d;
        r = py_float(s, len, &d);
        if (r == RES_OK)
            *out = sign * d;
    }
done:
    scratch_free(&sc);
    return r;
}

/* ---- resolution entry points ---- */

/* Replaces n->str by the canonical decimal text of a big integer. With an
 * arena the text is copied there; without one it is written in place when it
 * fits (the string must then be writable, as arena strings are). */
static res set_bigint(dcfg__node *n, const intval *iv, dcfg__arena *arena)
{
    n->type = DCFG__INT;
    n->flags = (unsigned char)(n->flags | DCFG__NF_BIGINT);
    n->v.i = 0;
    if (n->len == iv->text_len && memcmp(n->str, iv->text, iv->text_len) == 0)
        return RES_OK;
    if (arena) {
        char *p = dcfg__arena_strndup(arena, iv->text, iv->text_len);
        if (!p)
            return RES_NOMEM;
        n->str = p;
    } else if (iv->text_len <= n->len) {
        char *p = (char *)(uintptr_t)n->str;
        memcpy(p, iv->text, iv->text_len);
        p[iv->text_len] = '\0';
    } else {
        return RES_TOO_BIG;
    }
    n->len = iv->text_len;
    return RES_OK;
}

static const dcfg_allocator *arena_al(const dcfg__arena *arena)
{
    return arena ? arena->al : &dcfg__default_allocator;
}

static res apply_int(dcfg__node *n, dcfg__arena *arena)
{
    intval iv;
    res r = construct_int(arena_al(arena), n->str, n->len, &iv);
    if (r == RES_OK) {
        if (iv.big) {
            r = set_bigint(n, &iv, arena);
        } else {
            n->type = DCFG__INT;
            n->v.i = iv.i;
        }
    }
    return r;
}

static res apply_float(dcfg__node *n, dcfg__arena *arena)
{
    double d = 0.0;
    res r = construct_float(arena_al(arena), n->str, n->len, &d);
    if (r == RES_OK) {
        n->type = DCFG__FLOAT;
        n->v.f = d;
    }
    return r;
}

static res resolve_plain(dcfg__node *n, dcfg__arena *arena)
{
    const char *s = n->str ? n->str : "";
    size_t len = n->str ? n->len : 0;
    tstamp ts;

    n->flags = (unsigned char)(n->flags & ~(DCFG__NF_BIGINT | DCFG__NF_TIMESTAMP));
    n->type = DCFG__STR;
    /* PyYAML picks candidate resolvers by the first character */
    if (len && !strchr("~nNyYtTfFoO-+0123456789.<=", s[0]))
        return RES_OK;
    if (len > 5 && !strchr("-+0123456789.", s[0]))
        return RES_OK;
    if (len == 0 || text_is_any(s, len, null_words)) {
        n->type = DCFG__NULL;
        return RES_OK;
    }
    if (text_is_any(s, len, true_words) || text_is_any(s, len, false_words)) {
        n->type = DCFG__BOOL;
        n->v.b = text_is_any(s, len, true_words);
        return RES_OK;
    }
    if (match_float(s, len))
        return apply_float(n, arena);
    if (match_int(s, len))
        return apply_int(n, arena);
    if (text_is(s, len, "<<") || text_is(s, len, "="))
        return RES_NO_CONSTRUCTOR;
    n->type = DCFG__STR;
    if (match_timestamp(s, len, &ts)) {
        if (!timestamp_valid(&ts))
            return RES_BAD_TIMESTAMP;
        n->flags = (unsigned char)(n->flags | DCFG__NF_TIMESTAMP);
    }
    return RES_OK;
}

int dcfg__yaml11_resolve(dcfg__node *n)
{
    return resolve_plain(n, NULL) == RES_OK ? 0 : -1;
}

/* JSON typing of a plain scalar in JSON mode (libfyaml has already checked the syntax). */
static res resolve_json(dcfg__node *n, dcfg__arena *arena)
{
    const char *s = n->str;
    size_t len = n->len, i = 0;
    if (text_is(s, len, "null")) {
        n->type = DCFG__NULL;
        return RES_OK;
    }
    if (text_is(s, len, "true") || text_is(s, len, "false")) {
        n->type = DCFG__BOOL;
        n->v.b = s[0] == 't';
        return RES_OK;
    }
    if (i < len && s[i] == '-')
        i++;
    size_t int_start = i;
    while (i < len && is_digit((unsigned char)s[i]))
        i++;
    if (i == int_start)
        return resolve_plain(n, arena);
    if (i == len) {
        if (s[int_start] == '0' && len - int_start > 1)
            return resolve_plain(n, arena);
        return apply_int(n, arena);
    }
    double d;
    if (py_float(s, len, &d) != RES_OK)
        return resolve_plain(n, arena);
    n->type = DCFG__FLOAT;
    n->v.f = d;
    return RES_OK;
}

/* ======================================================================
 * Input checks before libfyaml sees the text
 * ====================================================================== */

/* One UTF-8 sequence at s[i]: its length (1-4) and code point, 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned c = s[i];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len - i < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        unsigned cc = s[i + k];
        if ((cc & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (cc & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* PyYAML Reader.NON_PRINTABLE complement. */
static int printable(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
           (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* 1-based line and column (in characters) of byte offset `pos`. */
static void pos_to_linecol(const char *data, size_t len, size_t pos, unsigned *line, unsigned *col)
{
    unsigned l = 1, c = 1;
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (; i < pos && i < len; i++) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 >= len || data[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* ======================================================================
 * The loader
 * ====================================================================== */

typedef struct frame {
    unsigned char kind;  /* DCFG__MAP or DCFG__SEQ */
    unsigned char block; /* block style (indentation matters) */
    unsigned line, col;
    size_t base;         /* first item on the item stack */
    size_t count0;       /* node count before this collection */
    size_t bytes0;       /* scalar bytes before this collection */
    unsigned height;     /* highest child height */
    size_t anchor;       /* anchor slot, or NO_ANCHOR */
} frame;

#define NO_ANCHOR ((size_t)-1)

typedef struct anchor {
    const char *name;
    size_t len;
    dcfg__node *node;    /* NULL while its collection is being built */
    size_t size;         /* nodes after alias expansion */
    size_t bytes;        /* scalar bytes after alias expansion */
    unsigned height;     /* nesting levels below and including it (0 for scalars) */
    unsigned line, col;
} anchor;

typedef struct loader {
    dcfg__load *ld;
    const dcfg_allocator *al;
    const char *data;
    size_t len;
    int json;

    frame *frames;
    size_t nframes, cframes;
    dcfg__node **items;
    size_t nitems, citems;
    anchor *anchors;
    size_t nanchors, canchors;
    size_t *ahash;       /* open addressing over anchors: slot index + 1, 0 = empty */
    size_t cahash;

    /* scratch for building mappings */
    dcfg__node **first_own;
    size_t cfirst_own;
    size_t *khash;
    size_t ckhash;
    dcfg__node **srcs;
    size_t csrcs;

    size_t count;        /* nodes so far, aliases counted with their full size */
    size_t bytes;        /* scalar bytes so far (keys too), aliases counted in full */
    dcfg__node *root;
    int have_root;
    unsigned ndocs;
    dcfg_status status;  /* first fatal problem */
    int failed_dups;     /* strict duplicates: keep going, fail at the end */

    int have_prev;       /* end of the previous event (libfyaml's 0-based mark) */
    size_t prev_pos;
    unsigned prev_line, prev_col;

    struct fy_token_iter *tit; /* reused for every scalar's text */
    dcfg__buf text;      /* the current scalar's text, NUL-terminated */

    size_t tab_cursor;   /* tab check: everything before this offset was checked */
    size_t tab_range_end;
} loader;

/* ---- small helpers ---- */

static int grow(loader *lo, void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / elem)
            return -1;
        c *= 2;
    }
    void *q = dcfg__realloc(lo->al, *p, c * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static void fail(loader *lo, dcfg_status st)
{
    if (lo->status == DCFG_OK)
        lo->status = st;
}

static void add_diag(loader *lo, dcfg_severity sev, dcfg_diag_code code, const char *path,
                     unsigned line, unsigned col, unsigned rl, unsigned rc, const char *fmt, ...)
    DCFG__PRINTF(9, 10);

static void add_diag(loader *lo, dcfg_severity sev, dcfg_diag_code code, const char *path,
                     unsigned line, unsigned col, unsigned rl, unsigned rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dcfg__diag_vadd(lo->ld->diags, sev, code, path, line, col, rl, rc, fmt, ap);
    va_end(ap);
}

/* Appends s[0..len) for a message: quoted, escaped, shortened. */
static void put_quoted(dcfg__buf *b, const char *s, size_t len)
{
    size_t max = 60;
    dcfg__buf_putc(b, '"');
    for (size_t i = 0; i < len && i < max; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            dcfg__buf_printf(b, "\\%c", ch);
        else if (ch == '\n')
            dcfg__buf_puts(b, "\\n");
        else if (ch == '\t')
            dcfg__buf_puts(b, "\\t");
        else if (ch < 0x20 || ch == 0x7f)
            dcfg__buf_printf(b, "\\x%02x", ch);
        else
            dcfg__buf_putc(b, (char)ch);
    }
    dcfg__buf_puts(b, len > max ? "...\"" : "\"");
}

static const char *kind_name(const dcfg__node *n)
{
    switch ((dcfg__ntype)n->type) {
    case DCFG__MAP: return "mapping";
    case DCFG__SEQ: return "sequence";
    default: return "scalar";
    }
}

/* Key as written, for paths and messages. */
static void put_key(dcfg__buf *b, const dcfg__node *k, int quote)
{
    if (k->type == DCFG__STR && quote)
        put_quoted(b, k->str, k->len);
    else if (k->str && k->type != DCFG__MAP && k->type != DCFG__SEQ)
        dcfg__buf_putn(b, k->str, k->len);
    else if (k->type == DCFG__NULL)
        dcfg__buf_puts(b, "null");
    else
        dcfg__buf_puts(b, "?");
}

static void path_seg(loader *lo, dcfg__buf *b, const frame *f, size_t count)
{
    if (f->kind == DCFG__SEQ) {
        dcfg__buf_printf(b, "[%zu]", count);
    } else if (count % 2 == 1) {
        if (b->len)
            dcfg__buf_putc(b, '.');
        put_key(b, lo->items[f->base + count - 1], 0);
    }
}

/* User path of the innermost open collection; with `pending`, of the next
 * child to be added to it. Caller frees with dcfg__free. NULL on OOM. */
static char *make_path(loader *lo, int pending)
{
    dcfg__buf b;
    dcfg__buf_init(&b, lo->al);
    dcfg__buf_puts(&b, "");
    for (size_t i = 1; i < lo->nframes; i++)
        path_seg(lo, &b, &lo->frames[i - 1], lo->frames[i].base - lo->frames[i - 1].base);
    if (pending && lo->nframes) {
        const frame *top = &lo->frames[lo->nframes - 1];
        path_seg(lo, &b, top, lo->nitems - top->base);
    }
    return dcfg__buf_take(&b);
}

/* A construction error (PyYAML would raise) at a node, with the path of the pending child. */
static void construct_error(loader *lo, unsigned line, unsigned col, int pending, const char *fmt, ...)
    DCFG__PRINTF(5, 6);

static void construct_error(loader *lo, unsigned line, unsigned col, int pending, const char *fmt, ...)
{
    char *path = make_path(lo, pending);
    va_list ap;
    va_start(ap, fmt);
    dcfg__diag_vadd(lo->ld->diags, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, path ? path : "", line, col, 0, 0,
                    fmt, ap);
    va_end(ap);
    dcfg__free(lo->al, path);
    fail(lo, path ? DCFG_ESYNTAX : DCFG_ENOMEM);
}

static void limit_error(loader *lo, unsigned line, unsigned col, const char *fmt, ...) DCFG__PRINTF(4, 5);

static void limit_error(loader *lo, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dcfg__diag_vadd(lo->ld->diags, DCFG_SEVERITY_ERROR, DCFG_DIAG_LIMIT, "", line, col, 0, 0, fmt, ap);
    va_end(ap);
    fail(lo, DCFG_ELIMIT);
}

/* Adds n nodes to the budget; 0, or -1 after reporting. */
static int budget(loader *lo, size_t n, unsigned line, unsigned col)
{
    size_t max = lo->ld->limits.max_nodes;
    if (max && (n > max || lo->count > max - n)) {
        limit_error(lo, line, col, "alias expansion / document too large: more than %zu nodes", max);
        return -1;
    }
    lo->count += n;
    return 0;
}

/* Adds n bytes of scalar text to the budget. Without aliases the text never
 * exceeds the input, so the input limit also bounds what aliases expand to
 * (a 1 MiB string aliased 100000 times must not become 100 GB of output). */
static int budget_bytes(loader *lo, size_t n, unsigned line, unsigned col)
{
    size_t max = lo->ld->limits.max_input_bytes;
    if (max && (n > max || lo->bytes > max - n)) {
        limit_error(lo, line, col, "alias expansion / document too large: more than %zu bytes of text", max);
        return -1;
    }
    lo->bytes += n;
    return 0;
}

/* ---- positions ---- */

static void advance_mark(const char *data, size_t from, size_t to, unsigned *line, unsigned *col)
{
    for (size_t i = from; i < to; i++) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '\n' || (ch == '\r' && data[i + 1] != '\n')) {
            (*line)++;
            *col = 0;
        } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
            (*col)++;
        }
    }
}

/* Offset of a block scalar's `|`/`>` indicator between the previous event and
 * its content, or `to` when not found. */
static size_t find_block_indicator(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        char c = s[i];
        int after_space = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r';
        if (c == '#' && after_space) {
            while (i < to && s[i] != '\n' && s[i] != '\r')
                i++;
        } else if ((c == '|' || c == '>') && after_space) {
            return i;
        }
    }
    return to;
}

/* Length of a block scalar's text once its final line breaks are what PyYAML
 * makes of the source, for a scalar that runs to the end of an input without
 * a final line break: libfyaml adds a break there that the input does not have.
 * Clip keeps one break when the last content line has one, keep all breaks
 * after the last content line, strip none. */
static size_t block_eof_len(loader *lo, struct fy_event *e, const char *text, size_t len)
{
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    const char *s = lo->data;
    if (lo->json || !sm || !em || !lo->have_prev || em->input_pos < lo->len || !lo->len || s[lo->len - 1] == '\n' ||
        s[lo->len - 1] == '\r' || sm->input_pos > lo->len || lo->prev_pos >= sm->input_pos)
        return len;
    size_t at = find_block_indicator(s, lo->prev_pos, sm->input_pos);
    if (at >= sm->input_pos)
        return len;
    char chomp = 0;
    for (size_t i = at + 1; i < sm->input_pos && (s[i] == '+' || s[i] == '-' || is_digit((unsigned char)s[i])); i++)
        if (s[i] == '+' || s[i] == '-')
            chomp = s[i];
    /* indentation: the first line with a non-space character */
    size_t indent = 0, i = sm->input_pos;
    int found = 0;
    while (i < lo->len && !found) {
        size_t k = 0;
        while (i + k < lo->len && s[i + k] == ' ')
            k++;
        if (i + k < lo->len && s[i + k] != '\n' && s[i + k] != '\r') {
            indent = k;
            found = 1;
        }
        while (i < lo->len && s[i] != '\n' && s[i] != '\r')
            i++;
        i++;
    }
    /* line breaks after the last line that holds content (more than the indentation) */
    size_t breaks = 0, line_start = sm->input_pos;
    for (i = sm->input_pos; i <= lo->len; i++) {
        if (i < lo->len && s[i] != '\n' && s[i] != '\r')
            continue;
        size_t k = 0;
        while (line_start + k < i && s[line_start + k] == ' ')
            k++;
        if (found && (line_start + k < i || k > indent))
            breaks = 0; /* a content line; its own break is counted below */
        if (i < lo->len)
            breaks++;
        line_start = i + 1;
    }
    size_t want = chomp == '-' ? 0 : chomp == '+' ? breaks : (breaks && found ? 1 : 0);
    size_t have = 0;
    while (have < len && text[len - 1 - have] == '\n')
        have++;
    return have > want ? len - (have - want) : len;
}

/* 1-based position of a node from its event. */
static void event_pos(loader *lo, struct fy_event *e, unsigned *line, unsigned *col)
{
    const struct fy_mark *m = fy_event_start_mark(e);
    if (!m) {
        *line = lo->have_prev ? lo->prev_line + 1 : 1;
        *col = lo->have_prev ? lo->prev_col + 1 : 1;
        return;
    }
    *line = (unsigned)m->line + 1;
    *col = (unsigned)m->column + 1;
    if (e->type == FYET_ALIAS && m->input_pos > 0 && m->input_pos <= lo->len && lo->data[m->input_pos - 1] == '*' &&
        *col > 1)
        (*col)--; /* libfyaml marks the name; the alias starts at its `*` */
    if (e->type != FYET_SCALAR)
        return;
    enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
    if (style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) {
        /* libfyaml marks the content; the node starts at the opening quote */
        char q = style == FYSS_SINGLE_QUOTED ? '\'' : '"';
        if (m->input_pos > 0 && m->input_pos <= lo->len && lo->data[m->input_pos - 1] == q && *col > 1)
            (*col)--;
    } else if ((style == FYSS_LITERAL || style == FYSS_FOLDED) && lo->have_prev && lo->prev_pos < m->input_pos &&
               m->input_pos <= lo->len) {
        /* libfyaml marks the first content line; the node starts at its indicator */
        size_t at = find_block_indicator(lo->data, lo->prev_pos, m->input_pos);
        if (at < m->input_pos) {
            unsigned l = lo->prev_line, c = lo->prev_col;
            advance_mark(lo->data, lo->prev_pos, at, &l, &c);
            *line = l + 1;
            *col = c + 1;
        }
    }
}

/* ---- tabs: PyYAML only allows them inside quoted and block scalars and comments ---- */

static void tab_error(loader *lo, size_t pos)
{
    unsigned line, col;
    pos_to_linecol(lo->data, lo->len, pos, &line, &col);
    add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, col, 0, 0,
             "found a tab character where YAML does not allow one; hint: tabs may only appear "
             "inside quoted or block scalars and comments, use spaces for indentation and separation");
    fail(lo, DCFG_ESYNTAX);
}

/* Checks data[tab_cursor .. to) outside scalars; returns -1 after reporting. */
static int tab_scan(loader *lo, size_t to)
{
    const char *s = lo->data;
    if (to > lo->len)
        to = lo->len;
    for (size_t i = lo->tab_cursor; i < to; i++) {
        char c = s[i];
        if (c == '\t') {
            tab_error(lo, i);
            return -1;
        }
        if (c == '#' && (i == 0 || i == lo->tab_range_end || s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '\r')) {
            while (i < to && s[i] != '\n' && s[i] != '\r')
                i++;
        }
    }
    if (to > lo->tab_cursor)
        lo->tab_cursor = to;
    return 0;
}

/* Block scalar content [from, to): tabs are content, except inside the
 * indentation (before the column of the first non-empty line). */
static int tab_scan_block(loader *lo, size_t from, size_t to)
{
    const char *s = lo->data;
    size_t indent = 0, i = from;
    int found = 0;
    while (i < to && !found) {
        size_t k = 0;
        while (i + k < to && s[i + k] == ' ')
            k++;
        if (i + k < to && s[i + k] != '\n' && s[i + k] != '\r') {
            indent = k;
            found = 1;
            break;
        }
        while (i < to && s[i] != '\n')
            i++;
        i++;
    }
    for (i = from; i < to;) {
        size_t k = 0;
        while (i + k < to && k < indent && s[i + k] == ' ')
            k++;
        if (i + k < to && k < indent && s[i + k] == '\t') {
            tab_error(lo, i + k);
            return -1;
        }
        while (i < to && s[i] != '\n')
            i++;
        i++;
    }
    return 0;
}

/* A quoted or block scalar event: check before it, then skip its content. */
static int tab_skip_scalar(loader *lo, struct fy_event *e)
{
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    if (!sm || !em)
        return 0;
    enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
    size_t a = sm->input_pos, b = em->input_pos;
    if (style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) {
        if (a > 0)
            a--;
        b++;
        if (tab_scan(lo, a))
            return -1;
    } else {
        if (tab_scan(lo, a) || tab_scan_block(lo, a, b < lo->len ? b : lo->len))
            return -1;
    }
    if (b > lo->tab_cursor) {
        lo->tab_cursor = b;
        lo->tab_range_end = b;
    }
    return 0;
}

/* ---- anchors ---- */

static size_t name_hash(const char *s, size_t len)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static size_t anchor_find(loader *lo, const char *name, size_t len)
{
    if (!lo->cahash)
        return NO_ANCHOR;
    size_t mask = lo->cahash - 1;
    for (size_t h = name_hash(name, len) & mask;; h = (h + 1) & mask) {
        size_t v = lo->ahash[h];
        if (!v)
            return NO_ANCHOR;
        anchor *a = &lo->anchors[v - 1];
        if (a->len == len && memcmp(a->name, name, len) == 0)
            return v - 1;
    }
}

static int anchor_rehash(loader *lo, size_t cap)
{
    size_t *t = dcfg__malloc(lo->al, cap * sizeof *t);
    if (!t)
        return -1;
    memset(t, 0, cap * sizeof *t);
    for (size_t i = 0; i < lo->nanchors; i++) {
        size_t h = name_hash(lo->anchors[i].name, lo->anchors[i].len) & (cap - 1);
        while (t[h])
            h = (h + 1) & (cap - 1);
        t[h] = i + 1;
    }
    dcfg__free(lo->al, lo->ahash);
    lo->ahash = t;
    lo->cahash = cap;
    return 0;
}

/* Registers the anchor of an event (node NULL for a collection in progress).
 * Returns its slot, NO_ANCHOR when none, or NO_ANCHOR - 1 after an error. */
static size_t anchor_define(loader *lo, struct fy_token *tok, dcfg__node *node)
{
    if (!tok)
        return NO_ANCHOR;
    size_t len;
    const char *name = fy_token_get_text(tok, &len);
    const struct fy_mark *m = fy_token_start_mark(tok);
    unsigned line = m ? (unsigned)m->line + 1 : 0, col = m ? (unsigned)m->column + 1 : 0;
    if (m && m->input_pos > 0 && m->input_pos <= lo->len && lo->data[m->input_pos - 1] == '&' && col > 1)
        col--; /* at the `&` */
    if (!name) {
        fail(lo, DCFG_ENOMEM);
        return NO_ANCHOR - 1;
    }
    size_t prev = anchor_find(lo, name, len);
    if (prev != NO_ANCHOR) {
        /* PyYAML's composer: "found duplicate anchor" */
        construct_error(lo, line, col, 1, "found duplicate anchor \"%.*s\" (first at line %u)", (int)(len > 60 ? 60 : len),
                        name, lo->anchors[prev].line);
        return NO_ANCHOR - 1;
    }
    if (grow(lo, (void **)&lo->anchors, &lo->canchors, lo->nanchors + 1, sizeof *lo->anchors) ||
        ((lo->nanchors + 1) * 2 > lo->cahash && anchor_rehash(lo, lo->cahash ? lo->cahash * 2 : 64))) {
        fail(lo, DCFG_ENOMEM);
        return NO_ANCHOR - 1;
    }
    anchor *a = &lo->anchors[lo->nanchors];
    a->name = dcfg__arena_strndup(lo->ld->arena, name, len);
    if (!a->name) {
        fail(lo, DCFG_ENOMEM);
        return NO_ANCHOR - 1;
    }
    a->len = len;
    a->node = node;
    a->size = 1;
    a->bytes = node ? node->len : 0;
    a->height = 0;
    a->line = line;
    a->col = col;
    size_t h = name_hash(name, len) & (lo->cahash - 1);
    while (lo->ahash[h])
        h = (h + 1) & (lo->cahash - 1);
    lo->ahash[h] = ++lo->nanchors;
    return lo->nanchors - 1;
}

/* Block scalar lines must be indented more than the enclosing block
 * collection. libfyaml sometimes takes less indented lines as content (and
 * then returns wrong text); PyYAML ends the scalar there, so `b: |` followed
 * by a sibling key is an empty string for it. Report instead of guessing. */
static int check_block_indent(loader *lo, struct fy_event *e)
{
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    if (!lo->nframes || lo->json || !sm || !em)
        return 0;
    const frame *top = &lo->frames[lo->nframes - 1];
    if (!top->block)
        return 0;
    const char *s = lo->data;
    size_t end = em->input_pos < lo->len ? em->input_pos : lo->len;
    size_t i = sm->input_pos;
    unsigned line = (unsigned)sm->line;
    while (i < end) {
        size_t k = 0;
        while (i + k < end && s[i + k] == ' ')
            k++;
        if (i + k < end && s[i + k] != '\n' && s[i + k] != '\r') {
            if (k >= top->col)
                return 0; /* indented more than the collection's column */
            add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line + 1, (unsigned)k + 1, 0, 0,
                     "block scalar lines must be indented more than column %u; hint: indent the text "
                     "below `|`/`>`, or write \"\" for an empty value",
                     top->col);
            fail(lo, DCFG_ESYNTAX);
            return -1;
        }
        while (i < end && s[i] != '\n')
            i++;
        i++;
        line++;
    }
    return 0;
}

/* ---- adding children ---- */

/* A value on a line below its key in a block mapping must be indented more
 * than the key (an indentless `- ` list may sit at the key's column). libfyaml
 * takes `key:\nvalue` at the end of a mapping as the key's value; PyYAML
 * stops there ("could not find expected ':'"). */
static int check_value_indent(loader *lo, unsigned line, unsigned col, int block_seq)
{
    if (!lo->nframes || lo->json)
        return 0;
    const frame *top = &lo->frames[lo->nframes - 1];
    if (top->kind != DCFG__MAP || !top->block || (lo->nitems - top->base) % 2 == 0 || !lo->have_prev ||
        line <= lo->prev_line + 1)
        return 0;
    if (block_seq ? col >= top->col : col > top->col)
        return 0;
    dcfg__buf b;
    dcfg__buf_init(&b, lo->al);
    put_key(&b, lo->items[lo->nitems - 1], 1);
    char *path = make_path(lo, 0);
    if (b.oom || !path) {
        fail(lo, DCFG_ENOMEM);
    } else {
        add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, path, line, col, 0, 0,
                 "could not find expected ':' (the value of key %s must be indented more than the key); hint: "
                 "indent the value, or write it on the key's line",
                 b.p);
        fail(lo, DCFG_ESYNTAX);
    }
    dcfg__buf_free(&b);
    dcfg__free(lo->al, path);
    return -1;
}

static int in_key_position(const loader *lo)
{
    if (!lo->nframes)
        return 0;
    const frame *top = &lo->frames[lo->nframes - 1];
    return top->kind == DCFG__MAP && (lo->nitems - top->base) % 2 == 0;
}

static int add_child(loader *lo, dcfg__node *n, unsigned height)
{
    if (!lo->nframes) {
        lo->root = n;
        lo->have_root = 1;
        return 0;
    }
    if (grow(lo, (void **)&lo->items, &lo->citems, lo->nitems + 1, sizeof *lo->items)) {
        fail(lo, DCFG_ENOMEM);
        return -1;
    }
    lo->items[lo->nitems++] = n;
    frame *top = &lo->frames[lo->nframes - 1];
    if (height > top->height)
        top->height = height;
    return 0;
}

/* ---- tags ---- */

#define YAML_TAG "tag:yaml.org,2002:"

/* The part after tag:yaml.org,2002: or NULL. */
static const char *std_tag(const char *tag, size_t len, size_t *slen)
{
    size_t p = sizeof YAML_TAG - 1;
    if (len < p || memcmp(tag, YAML_TAG, p) != 0)
        return NULL;
    *slen = len - p;
    return tag + p;
}

/* Tag text of an event, NULL when untagged or `!` (non-specific: resolve as plain). */
static const char *event_tag(struct fy_event *e, size_t *len)
{
    struct fy_token *t = fy_event_get_tag_token(e);
    if (!t)
        return NULL;
    const char *s = fy_token_get_text(t, len);
    if (!s || (*len == 1 && s[0] == '!'))
        return NULL;
    return s;
}

static int event_has_bang_tag(struct fy_event *e)
{
    struct fy_token *t = fy_event_get_tag_token(e);
    size_t len;
    const char *s = t ? fy_token_get_text(t, &len) : NULL;
    return s && len == 1 && s[0] == '!';
}

/* Where an event's tag is written (PyYAML reports tag problems there). */
static void tag_pos(struct fy_event *e, unsigned *line, unsigned *col)
{
    struct fy_token *t = fy_event_get_tag_token(e);
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (m) {
        *line = (unsigned)m->line + 1;
        *col = (unsigned)m->column + 1;
    }
}

static void no_constructor(loader *lo, unsigned line, unsigned col, const char *tag, size_t len)
{
    construct_error(lo, line, col, 1, "could not determine a constructor for the tag '%.*s'", (int)(len > 200 ? 200 : len),
                    tag);
}

/* Explicit tag on a collection: 0 when fine. */
static int check_collection_tag(loader *lo, struct fy_event *e, int is_map, unsigned line, unsigned col)
{
    size_t len, slen;
    const char *tag = event_tag(e, &len);
    if (!tag)
        return 0;
    const char *st = std_tag(tag, len, &slen);
    if (st && text_is(st, slen, is_map ? "map" : "seq"))
        return 0;
    tag_pos(e, &line, &col);
    if (st && (text_is(st, slen, "map") || text_is(st, slen, "seq"))) {
        construct_error(lo, line, col, 1, "expected a %s node, but found %s", is_map ? "sequence" : "mapping",
                        is_map ? "mapping" : "sequence");
    } else if (st && (text_is(st, slen, "str") || text_is(st, slen, "int") || text_is(st, slen, "float") ||
                      text_is(st, slen, "bool") || text_is(st, slen, "null") || text_is(st, slen, "binary") ||
                      text_is(st, slen, "timestamp"))) {
        construct_error(lo, line, col, 1, "expected a scalar node, but found %s (tag !!%.*s)",
                        is_map ? "mapping" : "sequence", (int)slen, st);
    } else if (st && (text_is(st, slen, "set") || text_is(st, slen, "omap") || text_is(st, slen, "pairs"))) {
        construct_error(lo, line, col, 1, "the tag !!%.*s is not supported in a service configuration", (int)slen, st);
    } else {
        no_constructor(lo, line, col, tag, len);
    }
    return -1;
}

/* ---- events ---- */

/* A key left out before its `:` (libfyaml makes it null; PyYAML's parser
 * stops: "expected <block end>, but found ':'"). An explicit `? ` key is fine. */
static int empty_implicit_key(loader *lo)
{
    if (!lo->have_prev)
        return 0;
    const char *s = lo->data;
    size_t i = lo->prev_pos;
    while (i < lo->len) {
        char c = s[i];
        if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' || s[i - 1] == '\r')) {
            while (i < lo->len && s[i] != '\n' && s[i] != '\r')
                i++;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '{' || c == '[') {
            i++;
        } else {
            break;
        }
    }
    if (i >= lo->len || s[i] != ':')
        return 0;
    unsigned line = lo->prev_line, col = lo->prev_col;
    advance_mark(s, lo->prev_pos, i, &line, &col);
    add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line + 1, col + 1, 0, 0,
             "found ':' without a key before it; hint: write the key, or quote a value that starts with ':'");
    fail(lo, DCFG_ESYNTAX);
    return 1;
}

static void res_error(loader *lo, res r, const dcfg__node *n, unsigned line, unsigned col, const char *what)
{
    dcfg__buf b;
    dcfg__buf_init(&b, lo->al);
    put_quoted(&b, n->str, n->len);
    const char *q = b.oom ? "" : b.p;
    if (b.oom)
        r = RES_NOMEM;
    switch (r) {
    case RES_NOMEM: fail(lo, DCFG_ENOMEM); break;
    case RES_TOO_BIG:
        construct_error(lo, line, col, 1, "integer %s has more than %d digits", q, MAX_INT_DIGITS);
        break;
    case RES_BAD_TIMESTAMP:
        construct_error(lo, line, col, 1, "invalid date/time %s", q);
        break;
    case RES_NO_CONSTRUCTOR:
        no_constructor(lo, line, col, n->str[0] == '<' ? YAML_TAG "merge" : YAML_TAG "value",
                       n->str[0] == '<' ? sizeof YAML_TAG "merge" - 1 : sizeof YAML_TAG "value" - 1);
        break;
    default:
        construct_error(lo, line, col, 1, "cannot convert %s to %s", q, what);
        break;
    }
    dcfg__buf_free(&b);
}

static int on_scalar_text(loader *lo, struct fy_event *e, const char *text, size_t len, unsigned line, unsigned col);

/* libfyaml 0.7.12 gets runs of '' in single-quoted scalars wrong (extra
 * quotes, and a leaked buffer; fixed upstream after 0.7.12), so such scalars
 * are read here from the source, as PyYAML's scanner does. Returns 1 with
 * the text in *b, 0 to let libfyaml do it (no '', a line break other than
 * CR/LF, or marks that don't frame the content), -1 on OOM. */
static int single_quoted_text(loader *lo, struct fy_event *e, dcfg__buf *b)
{
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    if (!sm || !em || sm->input_pos < 1 || em->input_pos < sm->input_pos || em->input_pos >= lo->len ||
        lo->data[sm->input_pos - 1] != '\'' || lo->data[em->input_pos] != '\'')
        return 0;
    const char *s = lo->data + sm->input_pos;
    size_t n = em->input_pos - sm->input_pos, i = 0;
    int doubled = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '\'') {
            if (k + 1 >= n || s[k + 1] != '\'')
                return 0; /* a lone quote inside: the marks are not what they seem */
            doubled = 1;
            k++;
        } else if ((c == 0xC2 && k + 1 < n && (unsigned char)s[k + 1] == 0x85) ||
                   (c == 0xE2 && k + 2 < n && (unsigned char)s[k + 1] == 0x80 &&
                    ((unsigned char)s[k + 2] == 0xA8 || (unsigned char)s[k + 2] == 0xA9))) {
            return 0; /* NEL, LS, PS: PyYAML folds these its own way */
        }
    }
    if (!doubled)
        return 0;
    while (i < n) {
        char c = s[i];
        if (c == '\'') {
            dcfg__buf_putc(b, '\'');
            i += 2;
        } else if (c == ' ' || c == '\t') {
            size_t j = i;
            while (j < n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (j == n || (s[j] != '\r' && s[j] != '\n'))
                dcfg__buf_putn(b, s + i, j - i); /* trailing blanks of a line are dropped */
            i = j;
        } else if (c == '\r' || c == '\n') {
            size_t breaks = 0;
            while (i < n) {
                if (s[i] == '\r' || s[i] == '\n') {
                    i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
                    breaks++;
                } else if (s[i] == ' ' || s[i] == '\t') {
                    i++;
                } else {
                    break;
                }
            }
            if (breaks == 1)
                dcfg__buf_putc(b, ' ');
            for (size_t k = 1; k < breaks; k++)
                dcfg__buf_putc(b, '\n');
        } else {
            dcfg__buf_putc(b, c);
            i++;
        }
    }
    dcfg__buf_putc(b, '\0');
    return b->oom ? -1 : 1;
}

/* A scalar's text, chunk by chunk. fy_token_get_text() of libfyaml 0.7.12
 * sizes its buffer by the scanner's estimate, which is wrong for some
 * malformed block scalars: the text then ends in uninitialized bytes. */
static int token_text(loader *lo, struct fy_token *t, dcfg__buf *b)
{
    if (!lo->tit && !(lo->tit = fy_token_iter_create(NULL)))
        return -1;
    fy_token_iter_start(t, lo->tit);
    const struct fy_iter_chunk *ic = NULL;
    int err = 0;
    while ((ic = fy_token_iter_chunk_next(lo->tit, ic, &err)) != NULL)
        dcfg__buf_putn(b, ic->str, ic->len);
    fy_token_iter_finish(lo->tit); /* frees the chunks, so the iterator can start again */
    /* err: libfyaml gave up on the text; what it produced so far is what
     * PyYAML reads (`|2` followed by a shorter blank line is "") */
    (void)err;
    dcfg__buf_putc(b, '\0');
    return b->oom ? -1 : 1;
}

static int on_scalar(loader *lo, struct fy_event *e)
{
    unsigned line, col;
    event_pos(lo, e, &line, &col);
    dcfg__buf_truncate(&lo->text, 0);
    int got = fy_token_scalar_style(e->scalar.value) == FYSS_SINGLE_QUOTED ? single_quoted_text(lo, e, &lo->text) : 0;
    if (!got)
        got = token_text(lo, e->scalar.value, &lo->text);
    if (got < 0) {
        fail(lo, DCFG_ENOMEM);
        return -1;
    }
    return on_scalar_text(lo, e, lo->text.p, lo->text.len - 1, line, col);
}

static int on_scalar_text(loader *lo, struct fy_event *e, const char *text, size_t len, unsigned line, unsigned col)
{
    size_t maxs = lo->ld->limits.max_string_bytes;
    if (maxs && len > maxs) {
        limit_error(lo, line, col, "scalar of %zu bytes exceeds the limit of %zu bytes", len, maxs);
        return -1;
    }
    enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
    if (style == FYSS_LITERAL || style == FYSS_FOLDED)
        len = block_eof_len(lo, e, text, len);
    if (style == FYSS_PLAIN && len == 0 && !fy_event_start_mark(e) && !lo->nframes) {
        line = 1; /* empty document */
        col = 1;
    }
    if (!lo->json && style != FYSS_PLAIN && tab_skip_scalar(lo, e))
        return -1;
    if (style == FYSS_PLAIN && len == 0 && !fy_event_start_mark(e) && in_key_position(lo) &&
        !fy_event_get_tag_token(e) && !fy_event_get_anchor_token(e) && empty_implicit_key(lo))
        return -1;
    if (fy_event_start_mark(e) && check_value_indent(lo, line, col, 0))
        return -1;
    if ((style == FYSS_LITERAL || style == FYSS_FOLDED) && check_block_indent(lo, e))
        return -1;
    if (budget(lo, 1, line, col) || budget_bytes(lo, len, line, col))
        return -1;

    dcfg__node *n = dcfg__mk_str(lo->ld->arena, text, len);
    if (!n) {
        fail(lo, DCFG_ENOMEM);
        return -1;
    }
    n->line = line;
    n->col = col;
    int key = in_key_position(lo);
    int quoted = style != FYSS_PLAIN;
    size_t tlen, slen;
    const char *tag = event_tag(e, &tlen);
    res r = RES_OK;

    if (!tag) {
        if (quoted && !event_has_bang_tag(e)) {
            n->flags = DCFG__NF_QUOTED;
        } else if (lo->json) {
            r = resolve_json(n, lo->ld->arena);
        } else if (text_is(text, len, "<<") && key) {
            n->flags = NF_MERGE;
        } else if (text_is(text, len, "=") && key) {
            /* flatten_mapping turns a `=` key into a string */
        } else {
            r = resolve_plain(n, lo->ld->arena);
            if (r == RES_OK && quoted && n->type == DCFG__STR)
                n->flags = (unsigned char)(n->flags | DCFG__NF_QUOTED);
        }
        if (r != RES_OK) {
            res_error(lo, r, n, line, col, r == RES_BAD_FLOAT ? "a float" : "an integer");
            return -1;
        }
    } else {
        const char *st = std_tag(tag, tlen, &slen);
        tag_pos(e, &line, &col); /* for errors; n keeps the value's position */
        if (!st) {
            no_constructor(lo, line, col, tag, tlen);
            return -1;
        }
        if (text_is(st, slen, "str")) {
            if (quoted)
                n->flags = DCFG__NF_QUOTED;
        } else if (text_is(st, slen, "null")) {
            n->type = DCFG__NULL;
        } else if (text_is(st, slen, "bool")) {
            char low[6];
            size_t k = 0;
            for (; k < len && k < 5; k++)
                low[k] = (char)((text[k] >= 'A' && text[k] <= 'Z') ? text[k] | 0x20 : text[k]);
            static const char *const t_words[] = { "yes", "true", "on", NULL };
            static const char *const f_words[] = { "no", "false", "off", NULL };
            if (len <= 5 && (text_is_any(low, k, t_words) || text_is_any(low, k, f_words))) {
                n->type = DCFG__BOOL;
                n->v.b = text_is_any(low, k, t_words);
            } else {
                res_error(lo, RES_BAD_BOOL, n, line, col, "a boolean (tag !!bool)");
                return -1;
            }
        } else if (text_is(st, slen, "int")) {
            r = apply_int(n, lo->ld->arena);
            if (r != RES_OK) {
                res_error(lo, r, n, line, col, "an integer (tag !!int)");
                return -1;
            }
        } else if (text_is(st, slen, "float")) {
            r = apply_float(n, lo->ld->arena);
            if (r != RES_OK) {
                res_error(lo, r, n, line, col, "a float (tag !!float)");
                return -1;
            }
        } else if (text_is(st, slen, "timestamp")) {
            tstamp ts;
            if (!match_timestamp(text, len, &ts) || !timestamp_valid(&ts)) {
                res_error(lo, RES_BAD_TIMESTAMP, n, line, col, "a timestamp");
                return -1;
            }
            n->flags = DCFG__NF_TIMESTAMP;
        } else if (text_is(st, slen, "merge") && key) {
            n->flags = NF_MERGE;
        } else if (text_is(st, slen, "value") && key) {
            /* a string key, as flatten_mapping makes it */
        } else if (text_is(st, slen, "map") || text_is(st, slen, "seq")) {
            construct_error(lo, line, col, 1, "expected a %s node, but found scalar",
                            st[0] == 'm' ? "mapping" : "sequence");
            return -1;
        } else if (text_is(st, slen, "binary")) {
            construct_error(lo, line, col, 1, "the tag !!binary is not supported in a service configuration");
            return -1;
        } else {
            no_constructor(lo, line, col, tag, tlen);
            return -1;
        }
    }

    size_t slot = anchor_define(lo, fy_event_get_anchor_token(e), n);
    if (slot == NO_ANCHOR - 1)
        return -1;
    return add_child(lo, n, 0);
}

static int on_alias(loader *lo, struct fy_event *e)
{
    unsigned line, col;
    event_pos(lo, e, &line, &col);
    size_t len;
    const char *name = fy_token_get_text(e->alias.anchor, &len);
    if (!name) {
        fail(lo, DCFG_ENOMEM);
        return -1;
    }
    if (check_value_indent(lo, line, col, 0))
        return -1;
    size_t slot = anchor_find(lo, name, len);
    int shown = (int)(len > 60 ? 60 : len);
    if (slot == NO_ANCHOR) {
        construct_error(lo, line, col, 1, "found undefined alias \"%.*s\"", shown, name);
        return -1;
    }
    const anchor *a = &lo->anchors[slot];
    if (!a->node) {
        construct_error(lo, line, col, 1,
                        "alias \"%.*s\" refers to a collection that contains it (recursive structures are not supported)",
                        shown, name);
        return -1;
    }
    if ((a->node->flags & NF_MERGE) && !in_key_position(lo)) {
        no_constructor(lo, line, col, YAML_TAG "merge", sizeof YAML_TAG "merge" - 1);
        return -1;
    }
    if (a->height && in_key_position(lo)) {
        construct_error(lo, line, col, 1, "found unhashable key (a %s)", kind_name(a->node));
        return -1;
    }
    unsigned maxd = lo->ld->limits.max_depth;
    if (maxd && a->height && lo->nframes + a->height > maxd) {
        limit_error(lo, line, col, "alias \"%.*s\" nests deeper than %u levels", shown, name, maxd);
        return -1;
    }
    if (budget(lo, a->size, line, col) || budget_bytes(lo, a->bytes, line, col))
        return -1;
    return add_child(lo, a->node, a->height);
}

static int on_collection_start(loader *lo, struct fy_event *e, int is_map)
{
    unsigned line, col;
    event_pos(lo, e, &line, &col);
    unsigned maxd = lo->ld->limits.max_depth;
    if (maxd && lo->nframes >= maxd) {
        limit_error(lo, line, col, "nesting deeper than %u levels", maxd);
        return -1;
    }
    int block = fy_event_get_node_style(e) != FYNS_FLOW;
    if (check_value_indent(lo, line, col, block && !is_map))
        return -1;
    if (in_key_position(lo)) {
        /* PyYAML: "found unhashable key" (lists and dicts cannot be dict keys) */
        construct_error(lo, line, col, 1, "found unhashable key (a %s)", is_map ? "mapping" : "sequence");
        return -1;
    }
    if (check_collection_tag(lo, e, is_map, line, col) || budget(lo, 1, line, col))
        return -1;
    size_t slot = anchor_define(lo, fy_event_get_anchor_token(e), NULL);
    if (slot == NO_ANCHOR - 1)
        return -1;
    if (grow(lo, (void **)&lo->frames, &lo->cframes, lo->nframes + 1, sizeof *lo->frames)) {
        fail(lo, DCFG_ENOMEM);
        return -1;
    }
    frame *f = &lo->frames[lo->nframes++];
    f->kind = is_map ? DCFG__MAP : DCFG__SEQ;
    f->block = (unsigned char)block;
    f->line = line;
    f->col = col;
    f->base = lo->nitems;
    f->count0 = lo->count - 1;
    f->bytes0 = lo->bytes;
    f->height = 0;
    f->anchor = slot;
    return 0;
}

/* ---- mapping keys: Python dict semantics ---- */

/* Numeric view of a key: 0 not numeric, 1 int64 (*i), 2 big int (text), 3 double (*f). */
static int key_num(const dcfg__node *k, long long *i, double *f)
{
    switch ((dcfg__ntype)k->type) {
    case DCFG__BOOL: *i = k->v.b; return 1;
    case DCFG__INT:
        if (k->flags & DCFG__NF_BIGINT)
            return 2;
        *i = k->v.i;
        return 1;
    case DCFG__FLOAT: *f = k->v.f; return 3;
    default: return 0;
    }
}

/* An integral double outside int64 as exact decimal text (buf of 400 bytes). */
static int dbl_big_text(double f, char *buf, size_t cap)
{
    if (!isfinite(f) || f != floor(f) || (f >= -9223372036854775808.0 && f < 9223372036854775808.0))
        return 0;
    snprintf(buf, cap, "%.0f", f);
    return 1;
}

static int keys_equal(const dcfg__node *a, const dcfg__node *b)
{
    if (a == b)
        return 1;
    long long ia = 0, ib = 0;
    double fa = 0, fb = 0;
    int na = key_num(a, &ia, &fa), nb = key_num(b, &ib, &fb);
    if (na || nb) {
        if (!na || !nb)
            return 0;
        if (na > nb) { /* order so that na <= nb */
            const dcfg__node *tn = a; a = b; b = tn;
            long long ti = ia; ia = ib; ib = ti;
            double tf = fa; fa = fb; fb = tf;
            int t = na; na = nb; nb = t;
        }
        if (na == 1 && nb == 1)
            return ia == ib;
        if (na == 1 && nb == 3)
            return fb == floor(fb) && fb >= -9223372036854775808.0 && fb < 9223372036854775808.0 &&
                   (long long)fb == ia;
        if (na == 2 && nb == 2)
            return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
        if (na == 2 && nb == 3) {
            char buf[400];
            return dbl_big_text(fb, buf, sizeof buf) && strlen(buf) == a->len && memcmp(buf, a->str, a->len) == 0;
        }
        if (na == 3 && nb == 3)
            return fa == fb || (isnan(fa) && isnan(fb)); /* PyYAML's .nan is one shared object */
        return 0;
    }
    if (a->type != b->type)
        return 0;
    if (a->type == DCFG__NULL)
        return 1;
    if (a->type == DCFG__STR)
        return (a->flags & DCFG__NF_TIMESTAMP) == (b->flags & DCFG__NF_TIMESTAMP) && a->len == b->len &&
               memcmp(a->str, b->str, a->len) == 0;
    return 0;
}

static size_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53u;
    x ^= x >> 33;
    return (size_t)x;
}

static size_t key_hash(const dcfg__node *k)
{
    long long i = 0;
    double f = 0;
    char buf[400];
    switch (key_num(k, &i, &f)) {
    case 1: return mix64((uint64_t)i);
    case 2: return name_hash(k->str, k->len);
    case 3:
        if (isnan(f))
            return 0x7ff8;
        if (f == floor(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0)
            return mix64((uint64_t)(long long)f);
        if (dbl_big_text(f, buf, sizeof buf))
            return name_hash(buf, strlen(buf));
        {
            uint64_t bits;
            memcpy(&bits, &f, sizeof bits);
            return mix64(bits);
        }
    default: break;
    }
    if (k->type == DCFG__STR)
        return name_hash(k->str, k->len) ^ ((k->flags & DCFG__NF_TIMESTAMP) ? 0x5bd1e995u : 0);
    return 0x9e3779b9u;
}

typedef struct mapbuild {
    dcfg__node *map;
    size_t mask;  /* hash table mask, 0 when scanning linearly */
} mapbuild;

static size_t map_find(loader *lo, const mapbuild *mb, const dcfg__node *k, size_t *hslot)
{
    dcfg__node *m = mb->map;
    if (!mb->mask) {
        for (size_t i = 0; i < m->n; i++)
            if (keys_equal(DCFG__KEY(m, i), k))
                return i;
        return NO_ANCHOR;
    }
    for (size_t h = key_hash(k) & mb->mask;; h = (h + 1) & mb->mask) {
        size_t v = lo->khash[h];
        if (!v) {
            *hslot = h;
            return NO_ANCHOR;
        }
        if (keys_equal(DCFG__KEY(m, v - 1), k))
            return v - 1;
    }
}

static void report_duplicate(loader *lo, const dcfg__node *k, const dcfg__node *first)
{
    int strict = (lo->ld->flags & DCFG_PARSE_STRICT_DUPLICATES) != 0;
    char *path = make_path(lo, 0);
    dcfg__buf b;
    dcfg__buf_init(&b, lo->al);
    put_key(&b, k, 1);
    if (!path || b.oom) {
        fail(lo, DCFG_ENOMEM);
    } else {
        add_diag(lo, strict ? DCFG_SEVERITY_ERROR : DCFG_SEVERITY_WARNING, DCFG_DIAG_DUPLICATE_KEY, path, k->line,
                 k->col, first->line, first->col, "duplicate key %s (first at line %u)%s", b.p, first->line,
                 strict ? "" : "; the last value is used");
        if (strict)
            lo->failed_dups = 1;
    }
    dcfg__buf_free(&b);
    dcfg__free(lo->al, path);
}

/* One pair into the mapping being built: a new key is appended, a known one
 * keeps its place and takes the value (Python dict assignment). */
static void map_insert(loader *lo, mapbuild *mb, dcfg__node *k, dcfg__node *v, int own)
{
    size_t hslot = 0;
    size_t i = map_find(lo, mb, k, &hslot);
    if (i != NO_ANCHOR) {
        DCFG__VAL(mb->map, i) = v;
        if (own) {
            if (lo->first_own[i])
                report_duplicate(lo, k, lo->first_own[i]);
            else
                lo->first_own[i] = k;
        }
        return;
    }
    i = mb->map->n;
    dcfg__map_put(mb->map, k, v);
    lo->first_own[i] = own ? k : NULL;
    if (mb->mask)
        lo->khash[hslot] = i + 1;
}

/* SafeConstructor.flatten_mapping + construct_mapping over the pairs on the item stack. */
static dcfg__node *build_map(loader *lo, const frame *f)
{
    size_t npairs = (lo->nitems - f->base) / 2;
    dcfg__node **kv = npairs ? lo->items + f->base : NULL; /* items is NULL before the first one */
    size_t nsrc = 0, total = 0;

    for (size_t p = 0; p < npairs; p++) {
        if (!(kv[2 * p]->flags & NF_MERGE)) {
            total++;
            continue;
        }
        dcfg__node *v = kv[2 * p + 1];
        if (v->type == DCFG__MAP) {
            if (grow(lo, (void **)&lo->srcs, &lo->csrcs, nsrc + 1, sizeof *lo->srcs))
                goto oom;
            lo->srcs[nsrc++] = v;
            total += v->n;
        } else if (v->type == DCFG__SEQ) {
            if (grow(lo, (void **)&lo->srcs, &lo->csrcs, nsrc + v->n, sizeof *lo->srcs))
                goto oom;
            for (size_t j = v->n; j-- > 0;) { /* PyYAML reverses the list: earlier mappings win */
                dcfg__node *sub = v->kids[j];
                if (sub->type != DCFG__MAP) {
                    construct_error(lo, sub->line, sub->col, 0,
                                    "expected a mapping for merging, but found %s", kind_name(sub));
                    return NULL;
                }
                lo->srcs[nsrc++] = sub;
                total += sub->n;
            }
        } else {
            construct_error(lo, v->line, v->col, 0,
                            "expected a mapping or list of mappings for merging, but found %s", kind_name(v));
            return NULL;
        }
    }

    mapbuild mb = { dcfg__mk_map(lo->ld->arena, total), 0 };
    if (!mb.map || grow(lo, (void **)&lo->first_own, &lo->cfirst_own, total, sizeof *lo->first_own))
        goto oom;
    if (total > 8) {
        size_t cap = 16;
        while (cap < total * 2)
            cap *= 2;
        if (grow(lo, (void **)&lo->khash, &lo->ckhash, cap, sizeof *lo->khash))
            goto oom;
        memset(lo->khash, 0, cap * sizeof *lo->khash);
        mb.mask = cap - 1;
    }
    for (size_t s = 0; s < nsrc; s++) {
        const dcfg__node *src = lo->srcs[s];
        for (size_t j = 0; j < src->n; j++)
            map_insert(lo, &mb, DCFG__KEY(src, j), DCFG__VAL(src, j), 0);
    }
    for (size_t p = 0; p < npairs; p++)
        if (!(kv[2 * p]->flags & NF_MERGE))
            map_insert(lo, &mb, kv[2 * p], kv[2 * p + 1], 1);
    return mb.map;
oom:
    fail(lo, DCFG_ENOMEM);
    return NULL;
}

static int on_collection_end(loader *lo)
{
    frame *f = &lo->frames[lo->nframes - 1];
    dcfg__node *n;
    if (f->kind == DCFG__SEQ) {
        size_t cnt = lo->nitems - f->base;
        n = dcfg__mk_seq(lo->ld->arena, cnt);
        if (!n) {
            fail(lo, DCFG_ENOMEM);
            return -1;
        }
        for (size_t i = 0; i < cnt; i++)
            dcfg__seq_push(n, lo->items[f->base + i]);
    } else {
        n = build_map(lo, f);
        if (!n)
            return -1;
    }
    n->line = f->line;
    n->col = f->col;
    unsigned height = f->height + 1;
    size_t size = lo->count - f->count0;
    if (f->anchor != NO_ANCHOR) {
        anchor *a = &lo->anchors[f->anchor];
        a->node = n;
        a->size = size;
        a->bytes = lo->bytes - f->bytes0;
        a->height = height;
    }
    lo->nitems = f->base;
    lo->nframes--;
    return add_child(lo, n, height);
}

static int on_document_start(loader *lo, struct fy_parser *fyp, struct fy_event *e)
{
    if (++lo->ndocs == 1)
        return 0;
    unsigned line, col;
    const struct fy_mark *m = fy_event_start_mark(e);
    struct fy_event *next = NULL;
    if (!m) { /* an implicit start has no mark in 0.7.12: use its first content */
        next = fy_parser_parse(fyp);
        m = next ? fy_event_start_mark(next) : NULL;
    }
    if (m) {
        line = (unsigned)m->line + 1;
        col = (unsigned)m->column + 1;
    } else {
        line = lo->have_prev ? lo->prev_line + 1 : 0;
        col = lo->have_prev ? lo->prev_col + 1 : 0;
    }
    if (next)
        fy_parser_event_free(fyp, next);
    add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, col, 0, 0,
             "expected a single document in the stream, but found another document");
    fail(lo, DCFG_ESYNTAX);
    return -1;
}

/* ---- libfyaml errors ---- */

static void hint_for(loader *lo, const struct fy_diag_error *de, dcfg__buf *b)
{
    const char *msg = de->msg ? de->msg : "";
    if (strstr(msg, "tab")) {
        dcfg__buf_puts(b, "; hint: YAML does not allow tabs for indentation, use spaces");
        return;
    }
    if (strstr(msg, "multiline plain key") || strstr(msg, "indendation") || strstr(msg, "indentation") ||
        strstr(msg, "end of block")) {
        /* a tab at the start of the next line shows up as an indentation problem */
        size_t pos = 0;
        unsigned l = 1;
        while (pos < lo->len && l < (unsigned)de->line + 1) {
            if (lo->data[pos] == '\n')
                l++;
            pos++;
        }
        while (pos < lo->len && lo->data[pos] == ' ')
            pos++;
        if (pos < lo->len && lo->data[pos] == '\t')
            dcfg__buf_puts(b, "; hint: YAML does not allow tabs for indentation, use spaces");
        else
            dcfg__buf_puts(b, "; hint: check the indentation: keys of one mapping and items of one list must "
                              "start in the same column, and a value cannot continue on a more indented line "
                              "with a new key");
        return;
    }
    if (strstr(msg, "nested block mapping on the same line"))
        dcfg__buf_puts(b, "; hint: quote values that contain \": \"");
    else if (strstr(msg, "without closing quote"))
        dcfg__buf_puts(b, "; hint: the string is missing its closing quote");
    else if (strstr(msg, "without a closing bracket") || strstr(msg, "missing comma") ||
             strstr(msg, "without a closing brace"))
        dcfg__buf_puts(b, "; hint: a [ or { is never closed");
    else if (strstr(msg, "cannot start with") && !lo->json)
        dcfg__buf_puts(b, "; hint: quote the value");
}

static void report_parser_errors(loader *lo, struct fy_diag *diag)
{
    void *it = NULL;
    struct fy_diag_error *de;
    int any = 0;
    while ((de = fy_diag_errors_iterate(diag, &it)) != NULL) {
        if (de->type < FYET_ERROR)
            continue;
        dcfg__buf b;
        dcfg__buf_init(&b, lo->al);
        dcfg__buf_puts(&b, de->msg ? de->msg : "invalid YAML");
        hint_for(lo, de, &b);
        if (b.oom)
            fail(lo, DCFG_ENOMEM);
        else
            add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", de->line > 0 ? (unsigned)de->line : 0,
                     de->column > 0 ? (unsigned)de->column : 0, 0, 0, "%s", b.p);
        dcfg__buf_free(&b);
        any = 1;
    }
    if (!any)
        add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", 0, 0, 0, 0,
                 lo->json ? "invalid JSON" : "invalid YAML");
    fail(lo, DCFG_ESYNTAX);
}

/* ---- pre-checks ---- */

static int check_encoding(loader *lo)
{
    const unsigned char *s = (const unsigned char *)lo->data;
    size_t len = lo->len;
    for (size_t i = 0; i < len;) {
        if (s[i] >= 0x20 && s[i] < 0x7F) {
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t n = utf8_decode(s, len, i, &cp);
        if (n && printable(cp)) {
            i += n;
            continue;
        }
        unsigned line, col;
        pos_to_linecol(lo->data, len, i, &line, &col);
        if (!n)
            add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_ENCODING, "", line, col, 0, 0,
                     "invalid UTF-8 (byte 0x%02X); hint: save the file as UTF-8", s[i]);
        else if (cp == 0)
            add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_ENCODING, "", line, col, 0, 0,
                     "unacceptable character U+0000 (NUL): special characters are not allowed");
        else
            add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_ENCODING, "", line, col, 0, 0,
                     "unacceptable character U+%04X: special characters are not allowed", (unsigned)cp);
        fail(lo, DCFG_ESYNTAX);
        return -1;
    }
    return 0;
}

/* libfyaml queues every token of a flow collection that might be a simple
 * key until the line ends, so a one-line `[[[[...` or `[1,1,1,...` costs it
 * hundreds of bytes per token before the first event arrives. This lexical
 * pass finds flow nesting and flow entries beyond the limits first. It only
 * approximates YAML (it errs towards counting too little). */
static int check_flow(loader *lo)
{
    const char *s = lo->data;
    size_t len = lo->len, i = 0, commas = 0;
    unsigned depth = 0, maxd = lo->ld->limits.max_depth;
    size_t maxn = lo->ld->limits.max_nodes;
    int tok_start = 1, in_plain = 0, block_pending = 0;
    size_t line_indent = 0, block_indent = 0;

    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len) {
        char c = s[i];
        if (c == '\n' || c == '\r') {
            i++;
            tok_start = 1;
            in_plain = 0;
            size_t k = 0;
            while (i + k < len && s[i + k] == ' ')
                k++;
            line_indent = k;
            if (block_pending && depth == 0) {
                /* skip block scalar content: blank or more indented lines */
                for (;;) {
                    size_t j = i, ind = 0;
                    while (j < len && s[j] == ' ') {
                        j++;
                        ind++;
                    }
                    int blank = j >= len || s[j] == '\n' || s[j] == '\r';
                    if (j >= len || (!blank && ind <= block_indent))
                        break;
                    while (j < len && s[j] != '\n')
                        j++;
                    i = j < len ? j + 1 : j;
                }
                k = 0;
                while (i + k < len && s[i + k] == ' ')
                    k++;
                line_indent = k;
            }
            block_pending = 0;
            continue;
        }
        if (c == ' ' || c == '\t') {
            tok_start = 1;
            i++;
            continue;
        }
        if (c == '#' && tok_start) {
            while (i < len && s[i] != '\n' && s[i] != '\r')
                i++;
            continue;
        }
        if (depth == 0 && in_plain) {
            if (c == ':' && (i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '\n' || s[i + 1] == '\r'))
                in_plain = 0;
            tok_start = 0;
            i++;
            continue;
        }
        if (tok_start && (c == '"' || c == '\'')) {
            for (i++; i < len; i++) {
                if (c == '"' && s[i] == '\\') {
                    i++;
                } else if (s[i] == c) {
                    if (c == '\'' && i + 1 < len && s[i + 1] == '\'') {
                        i++;
                        continue;
                    }
                    break;
                }
            }
            i++;
            tok_start = 0;
            continue;
        }
        if (c == '[' || c == '{') {
            if (depth > 0 || tok_start) {
                if (maxd && ++depth > maxd) {
                    unsigned line, col;
                    pos_to_linecol(s, len, i, &line, &col);
                    limit_error(lo, line, col, "nesting deeper than %u levels", maxd);
                    return -1;
                }
                tok_start = 1;
                i++;
                continue;
            }
        } else if (depth > 0) {
            if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && maxn && ++commas > maxn) {
                unsigned line, col;
                pos_to_linecol(s, len, i, &line, &col);
                limit_error(lo, line, col, "alias expansion / document too large: more than %zu nodes", maxn);
                return -1;
            }
            tok_start = c == ',' || c == ':' || c == ']' || c == '}';
            i++;
            continue;
        } else if (tok_start) {
            int next_blank = i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '\n' || s[i + 1] == '\r';
            if ((c == '|' || c == '>')) {
                block_pending = 1;
                block_indent = line_indent;
            } else if ((c == '-' || c == '?' || c == ':') && next_blank) {
                /* indicator */
            } else if (c == '&' || c == '!' || c == '*') {
                while (i < len && s[i] != ' ' && s[i] != '\n' && s[i] != '\r')
                    i++;
                continue;
            } else if (!block_pending) {
                in_plain = 1;
            }
        }
        tok_start = 0;
        i++;
    }
    return 0;
}

/* ---- driver ---- */

static void sink(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

static void run_parser(loader *lo, struct fy_parser *fyp, struct fy_diag *diag)
{
    struct fy_event *e;
    while ((e = fy_parser_parse(fyp)) != NULL) {
        int rc = 0, done = 0;
        switch (e->type) {
        case FYET_DOCUMENT_START: rc = on_document_start(lo, fyp, e); break;
        case FYET_MAPPING_START: rc = on_collection_start(lo, e, 1); break;
        case FYET_SEQUENCE_START: rc = on_collection_start(lo, e, 0); break;
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END: rc = on_collection_end(lo); break;
        case FYET_SCALAR: rc = on_scalar(lo, e); break;
        case FYET_ALIAS: rc = on_alias(lo, e); break;
        case FYET_STREAM_END: done = 1; break;
        default: break;
        }
        const struct fy_mark *em = fy_event_end_mark(e);
        if (em) {
            lo->have_prev = 1;
            lo->prev_pos = em->input_pos;
            lo->prev_line = (unsigned)em->line;
            lo->prev_col = (unsigned)em->column;
        }
        fy_parser_event_free(fyp, e);
        if (rc || lo->status != DCFG_OK || done)
            break;
    }
    if (lo->status != DCFG_OK)
        return;
    if (fy_parser_get_stream_error(fyp)) {
        report_parser_errors(lo, diag);
        return;
    }
    if (!lo->json)
        tab_scan(lo, lo->len);
}

dcfg_status dcfg__yaml_load(dcfg__node **root, const char *data, size_t len, dcfg__load *ld, int json)
{
    loader lo;
    struct fy_diag *diag = NULL;
    struct fy_parser *fyp = NULL;
    char *crlf_copy = NULL;

    memset(&lo, 0, sizeof lo);
    lo.ld = ld;
    lo.al = ld->arena->al;
    dcfg__buf_init(&lo.text, lo.al);
    lo.data = data ? data : "";
    lo.len = data ? len : 0;
    lo.json = json;
    lo.status = DCFG_OK;
    *root = NULL;

    if (ld->limits.max_input_bytes && lo.len > ld->limits.max_input_bytes) {
        limit_error(&lo, 0, 0, "input of %zu bytes exceeds the limit of %zu bytes", lo.len,
                    ld->limits.max_input_bytes);
        goto out;
    }
    if (check_encoding(&lo))
        goto out;
    if (memchr(lo.data, '\r', lo.len)) {
        /* CRLF -> LF (same lines and columns): libfyaml 0.7.12 mis-folds a
         * quoted scalar whose closing quote follows a CRLF ("x\r\n" gives "x\n") */
        crlf_copy = dcfg__malloc(lo.al, lo.len);
        if (!crlf_copy) {
            fail(&lo, DCFG_ENOMEM);
            goto out;
        }
        size_t k = 0;
        for (size_t i = 0; i < lo.len; i++)
            if (lo.data[i] != '\r' || i + 1 >= lo.len || lo.data[i + 1] != '\n')
                crlf_copy[k++] = lo.data[i];
        lo.data = crlf_copy;
        lo.len = k;
    }
    if (check_flow(&lo))
        goto out;

    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.output_fn = sink;
    dc.user = NULL;
    dc.colorize = false;
    diag = fy_diag_create(&dc);
    if (!diag) {
        fail(&lo, DCFG_ENOMEM);
        goto out;
    }
    fy_diag_set_collect_errors(diag, true);

    struct fy_parse_cfg pc;
    memset(&pc, 0, sizeof pc);
    /* PyYAML ignores indentation inside flow collections and quoted scalars */
    pc.flags = (enum fy_parse_cfg_flags)(FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT | FYPCF_SLOPPY_FLOW_INDENTATION |
                                         (json ? FYPCF_JSON_FORCE : (FYPCF_DEFAULT_VERSION_1_1 | FYPCF_JSON_NONE)));
    pc.diag = diag;
    fyp = fy_parser_create(&pc);
    if (!fyp || fy_parser_set_string(fyp, lo.data, lo.len)) {
        fail(&lo, DCFG_ENOMEM);
        goto out;
    }
    run_parser(&lo, fyp, diag);
    if (lo.status == DCFG_OK && !lo.have_root) {
        /* empty stream */
        lo.root = dcfg__mk(ld->arena, DCFG__NULL);
        if (!lo.root)
            fail(&lo, DCFG_ENOMEM);
        else
            lo.root->line = lo.root->col = 1;
    }
    if (lo.status == DCFG_OK && lo.failed_dups)
        lo.status = DCFG_ESYNTAX;

out:
    if (fyp)
        fy_parser_destroy(fyp);
    if (diag)
        fy_diag_destroy(diag);
    dcfg__free(lo.al, lo.frames);
    dcfg__free(lo.al, lo.items);
    dcfg__free(lo.al, lo.anchors);
    dcfg__free(lo.al, lo.ahash);
    dcfg__free(lo.al, lo.first_own);
    dcfg__free(lo.al, lo.khash);
    dcfg__free(lo.al, lo.srcs);
    dcfg__free(lo.al, crlf_copy);
    if (lo.tit)
        fy_token_iter_destroy(lo.tit);
    dcfg__buf_free(&lo.text);
    if (dcfg__diags_oom(ld->diags))
        lo.status = DCFG_ENOMEM;
    if (lo.status == DCFG_OK)
        *root = lo.root;
    return lo.status;
}
