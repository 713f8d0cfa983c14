/* Scalar coercions as pydantic's lax mode applies them to the loaded tree. */
#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema/schema.h"

static int py_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static void trim(const char **s, size_t *len)
{
    while (*len && py_space(**s))
        (*s)++, (*len)--;
    while (*len && py_space((*s)[*len - 1]))
        (*len)--;
}

int dcfg__all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return len > 0;
}

/* Digits with single '_' between digits, into a value; 0 ok, 2 bad, 3 overflow. */
static int digits_value(const char *s, size_t len, int neg, long long *out)
{
    unsigned long long v = 0, lim = neg ? 9223372036854775808ull : 9223372036854775807ull;
    int overflow = 0;
    if (!len || s[0] == '_' || s[len - 1] == '_')
        return 2;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '_') {
            if (s[i + 1] == '_')
                return 2;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return 2;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (lim - d) / 10)
            overflow = 1;
        else
            v = v * 10 + d;
    }
    if (overflow)
        return 3;
    *out = neg ? (long long)(0 - v) : (long long)v;
    return 0;
}

int dcfg__py_int(const char *s, size_t len, long long *out)
{
    trim(&s, &len);
    int neg = 0;
    if (len && (*s == '+' || *s == '-')) {
        neg = *s == '-';
        s++, len--;
    }
    int rc = digits_value(s, len, neg, out);
    return rc == 0 ? 0 : 2;
}

int dcfg__py_float(const char *s, size_t len, double *out)
{
    char tmp[128];
    trim(&s, &len);
    if (!len || len >= sizeof tmp)
        return 2;
    long long v;
    if (len <= 15 && dcfg__short_digits(s, len, &v)) {
        /* plain digits: exact in a double, strtod not needed */
        *out = (double)v;
        return 0;
    }
    size_t j = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '_') {
            /* Python allows single underscores between digits */
            if (!i || i + 1 >= len || !isdigit((unsigned char)s[i - 1]) || !isdigit((unsigned char)s[i + 1]))
                return 2;
            continue;
        }
        tmp[j++] = (char)tolower((unsigned char)s[i]);
    }
    tmp[j] = '\0';
    const char *p = tmp;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (!strcmp(p, "inf") || !strcmp(p, "infinity")) {
        *out = neg ? -INFINITY : INFINITY;
        return 0;
    }
    if (!strcmp(p, "nan")) {
        *out = NAN;
        return 0;
    }
    /* [digits][.digits][e[+-]digits], at least one mantissa digit */
    const char *q = p;
    int mant = 0;
    while (isdigit((unsigned char)*q))
        q++, mant = 1;
    if (*q == '.') {
        q++;
        while (isdigit((unsigned char)*q))
            q++, mant = 1;
    }
    if (!mant)
        return 2;
    if (*q == 'e') {
        q++;
        if (*q == '+' || *q == '-')
            q++;
        if (!isdigit((unsigned char)*q))
            return 2;
        while (isdigit((unsigned char)*q))
            q++;
    }
    if (*q)
        return 2;
    errno = 0;
    *out = strtod(tmp, NULL);
    return 0;
}

int dcfg__try_int(const dcfg__node *n, long long *out)
{
    switch ((dcfg__ntype)n->type) {
    case DCFG__INT:
        if (n->flags & DCFG__NF_BIGINT)
            return 2;
        *out = n->v.i;
        return 0;
    case DCFG__BOOL:
        *out = n->v.b;
        return 0;
    case DCFG__FLOAT:
        if (!isfinite(n->v.f) || n->v.f != floor(n->v.f) || fabs(n->v.f) >= 9.2233720368547758e18)
            return 2;
        *out = (long long)n->v.f;
        return 0;
    case DCFG__STR: {
        if (n->flags & DCFG__NF_NOT_TEXT)
            return 1;
        const char *s = n->str;
        size_t len = n->len;
        trim(&s, &len);
        /* pydantic also takes a fraction of zeros: "5.00" */
        const char *dot = memchr(s, '.', len);
        if (dot) {
            size_t rest = len - (size_t)(dot - s);
            if (rest < 2)
                return 2;
            for (size_t i = 1; i < rest; i++)
                if (dot[i] != '0')
                    return 2;
            len = (size_t)(dot - s);
        }
        return dcfg__py_int(s, len, out) ? 2 : 0;
    }
    default:
        return 1;
    }
}

int dcfg__try_float(const dcfg__node *n, double *out)
{
    switch ((dcfg__ntype)n->type) {
    case DCFG__INT:
        *out = n->flags & DCFG__NF_BIGINT ? strtod(n->str, NULL) : (double)n->v.i;
        return 0;
    case DCFG__FLOAT:
        *out = n->v.f;
        return 0;
    case DCFG__BOOL:
        *out = n->v.b ? 1.0 : 0.0;
        return 0;
    case DCFG__STR:
        if (n->flags & DCFG__NF_NOT_TEXT)
            return 1;
        return dcfg__py_float(n->str, n->len, out) ? 2 : 0;
    default:
        return 1;
    }
}

int dcfg__try_bool(const dcfg__node *n, int *out)
{
    static const char *const yes[] = { "true", "yes", "on", "t", "y", "1" };
    static const char *const no[] = { "false", "no", "off", "f", "n", "0" };
    switch ((dcfg__ntype)n->type) {
    case DCFG__BOOL:
        *out = n->v.b;
        return 0;
    case DCFG__INT:
        if (n->flags & DCFG__NF_BIGINT || (n->v.i != 0 && n->v.i != 1))
            return 2;
        *out = (int)n->v.i;
        return 0;
    case DCFG__FLOAT:
        if (n->v.f != 0.0 && n->v.f != 1.0)
            return 2;
        *out = n->v.f == 1.0;
        return 0;
    case DCFG__STR: {
        if (n->flags & DCFG__NF_NOT_TEXT || n->len > 5)
            return n->flags & DCFG__NF_NOT_TEXT ? 1 : 2;
        char low[6] = { 0 };
        for (size_t i = 0; i < n->len; i++)
            low[i] = (char)tolower((unsigned char)n->str[i]);
        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
            if (!strcmp(low, yes[i])) {
                *out = 1;
                return 0;
            }
            if (!strcmp(low, no[i])) {
                *out = 0;
                return 0;
            }
        }
        return 2;
    }
    default:
        return 1;
    }
}

int dcfg__try_str(dcfg__vctx *c, const dcfg__node *n, const char **s, size_t *len)
{
    char tmp[40];
    switch ((dcfg__ntype)n->type) {
    case DCFG__STR:
        if (n->flags & DCFG__NF_NOT_TEXT)
            return 1;
        *s = n->str;
        *len = n->len;
        return 0;
    case DCFG__INT:
        if (n->flags & DCFG__NF_BIGINT) {
            *s = n->str;
            *len = n->len;
            return 0;
        }
        *len = dcfg__int_repr(tmp, n->v.i);
        break;
    case DCFG__FLOAT:
        *len = dcfg__float_repr(tmp, n->v.f);
        break;
    default:
        return 1;
    }
    *s = dcfg__arena_strndup(c->arena, tmp, *len);
    return *s ? 0 : 3;
}

int dcfg__want_int(dcfg__vctx *c, const dcfg__node *n, long long *out)
{
    int rc = dcfg__try_int(n, out);
    if (rc == 1)
        dcfg__err(c, n, DCFG_DIAG_WRONG_TYPE, "expected an integer, got %s", dcfg__describe(n));
    else if (rc == 2 && n->type == DCFG__FLOAT)
        dcfg__err(c, n, DCFG_DIAG_INVALID_VALUE, "expected an integer, got a number with a fractional part (%s)",
                  dcfg__show(c, n));
    else if (rc == 2 && n->type == DCFG__INT)
        dcfg__err(c, n, DCFG_DIAG_INVALID_VALUE, "integer %s is out of range", dcfg__show(c, n));
    else if (rc == 2)
        dcfg__err(c, n, DCFG_DIAG_INVALID_VALUE, "expected an integer, got %s", dcfg__show(c, n));
    return rc ? -1 : 0;
}

int dcfg__want_float(dcfg__vctx *c, const dcfg__node *n, double *out)
{
    int rc = dcfg__try_float(n, out);
    if (rc == 1)
        dcfg__err(c, n, DCFG_DIAG_WRONG_TYPE, "expected a number, got %s", dcfg__describe(n));
    else if (rc == 2)
        dcfg__err(c, n, DCFG_DIAG_INVALID_VALUE, "expected a number, got %s", dcfg__show(c, n));
    return rc ? -1 : 0;
}

int dcfg__want_bool(dcfg__vctx *c, const dcfg__node *n, int *out)
{
    int rc = dcfg__try_bool(n, out);
    if (rc == 1)
        dcfg__err(c, n, DCFG_DIAG_WRONG_TYPE, "expected a boolean, got %s", dcfg__describe(n));
    else if (rc == 2)
        dcfg__err(c, n, DCFG_DIAG_INVALID_VALUE, "expected a boolean (true or false), got %s",
                  dcfg__show(c, n));
    return rc ? -1 : 0;
}

int dcfg__want_str(dcfg__vctx *c, const dcfg__node *n, const char **s, size_t *len)
{
    int rc = dcfg__try_str(c, n, s, len);
    if (rc == 1)
        dcfg__err(c, n, DCFG_DIAG_WRONG_TYPE, "expected a string, got %s", dcfg__describe(n));
    return rc ? -1 : 0;
}

/* ---- Python's unbounded integers ----------------------------------------- */

dcfg__node *dcfg__mk_bigint(dcfg__arena *a, const char *text)
{
    dcfg__node *n = dcfg__mk_strz(a, text);
    if (n) {
        n->type = DCFG__INT;
        n->flags = DCFG__NF_BIGINT;
        /* saturated, so it still orders right against every 64-bit value */
        n->v.i = text[0] == '-' ? LLONG_MIN : LLONG_MAX;
    }
    return n;
}

/* Canonical decimal text of an integer string (sign, digits with single '_'
 * between digits, surrounding whitespace; with allow_fraction also ".000").
 * 0 ok, 2 not an integer, -1 out of memory. */
int dcfg__int_text(dcfg__arena *a, const char *s, size_t len, int allow_fraction, char **out)
{
    trim(&s, &len);
    const char *dot = memchr(s, '.', len);
    if (dot) {
        size_t rest = len - (size_t)(dot - s);
        if (!allow_fraction || rest < 2)
            return 2;
        for (size_t i = 1; i < rest; i++)
            if (dot[i] != '0')
                return 2;
        len = (size_t)(dot - s);
    }
    int neg = len && s[0] == '-';
    if (len && (s[0] == '-' || s[0] == '+'))
        s++, len--;
    if (!len || s[0] == '_' || s[len - 1] == '_')
        return 2;
    char *t = dcfg__arena_alloc(a, len + 2);
    if (!t)
        return -1;
    size_t n = 0;
    if (neg)
        t[n++] = '-';
    size_t start = n;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '_' && s[i + 1] != '_')
            continue;
        if (s[i] < '0' || s[i] > '9')
            return 2;
        if (n == start && s[i] == '0')
            continue; /* leading zeros */
        t[n++] = s[i];
    }
    if (n == start)
        t[n++] = '0', neg = 0, t[0] = '0', n = 1;
    t[n] = '\0';
    *out = t;
    return 0;
}

/* An INT node for canonical text: plain when it fits 64 bits. */
static dcfg__node *int_from_text(dcfg__arena *a, const char *t)
{
    long long v;
    if (!dcfg__py_int(t, strlen(t), &v))
        return dcfg__mk_int(a, v);
    return dcfg__mk_bigint(a, t);
}

dcfg__node *dcfg__int_from_double(dcfg__arena *a, double f)
{
    char tmp[400];
    f = trunc(f);
    if (fabs(f) < 9.2233720368547758e18)
        return dcfg__mk_int(a, (long long)f);
    snprintf(tmp, sizeof tmp, "%.0f", f); /* exact: integral doubles print exactly */
    return dcfg__mk_bigint(a, tmp);
}

int dcfg__try_int_node(dcfg__vctx *c, const dcfg__node *n, dcfg__node **out)
{
    long long v;
    int rc = dcfg__try_int(n, &v);
    if (rc == 0) {
        *out = dcfg__mk_int(c->arena, v);
        return *out ? 0 : 3;
    }
    if (n->type == DCFG__INT && (n->flags & DCFG__NF_BIGINT)) {
        *out = dcfg__mk_bigint(c->arena, n->str);
        return *out ? 0 : 3;
    }
    /* pydantic turns a float into an int only within 64 bits */
    if (n->type == DCFG__STR && rc == 2) {
        char *t;
        int r = dcfg__int_text(c->arena, n->str, n->len, 1, &t);
        if (r)
            return r < 0 ? 3 : 2;
        *out = int_from_text(c->arena, t);
        return *out ? 0 : 3;
    }
    return rc;
}

int dcfg__want_int_node(dcfg__vctx *c, const dcfg__node *n, dcfg__node **out)
{
    int rc = dcfg__try_int_node(c, n, out);
    if (rc == 1)
        dcfg__err(c, n, DCFG_DIAG_WRONG_TYPE, "expected an integer, got %s", dcfg__describe(n));
    else if (rc == 2 && n->type == DCFG__FLOAT && n->v.f == floor(n->v.f))
        dcfg__err(c, n, DCFG_DIAG_INVALID_VALUE, "the number %s is too large for an integer", dcfg__show(c, n));
    else if (rc == 2 && n->type == DCFG__FLOAT)
        dcfg__err(c, n, DCFG_DIAG_INVALID_VALUE, "expected an integer, got a number with a fractional part (%s)",
                  dcfg__show(c, n));
    else if (rc == 2)
        dcfg__err(c, n, DCFG_DIAG_INVALID_VALUE, "expected an integer, got %s", dcfg__show(c, n));
    return rc ? -1 : 0;
}

int dcfg__int_sign(const dcfg__node *n)
{
    if (n->flags & DCFG__NF_BIGINT)
        return n->str[0] == '-' ? -1 : 1;
    return n->v.i < 0 ? -1 : n->v.i > 0;
}

int dcfg__int_cmp(const dcfg__node *a, const dcfg__node *b)
{
    int abig = (a->flags & DCFG__NF_BIGINT) != 0, bbig = (b->flags & DCFG__NF_BIGINT) != 0;
    if (!abig || !bbig)
        return a->v.i < b->v.i ? -1 : a->v.i > b->v.i; /* saturation orders a big one right */
    int neg = a->str[0] == '-';
    if (neg != (b->str[0] == '-'))
        return neg ? -1 : 1;
    size_t al = strlen(a->str), bl = strlen(b->str);
    int mag = al != bl ? (al < bl ? -1 : 1) : strcmp(a->str, b->str);
    mag = mag < 0 ? -1 : mag > 0;
    return neg ? -mag : mag;
}

/* text * m for canonical decimal text and a small positive m. */
dcfg__node *dcfg__int_mul_small(dcfg__arena *a, const char *text, unsigned m)
{
    size_t len = strlen(text);
    int neg = text[0] == '-';
    const char *d = text + neg;
    size_t nd = len - (size_t)neg;
    char *t = dcfg__arena_alloc(a, nd + 12);
    if (!t)
        return NULL;
    /* right to left into the end of t */
    size_t pos = nd + 11;
    t[pos] = '\0';
    unsigned long long carry = 0;
    for (size_t i = nd; i-- > 0;) {
        carry += (unsigned long long)(d[i] - '0') * m;
        t[--pos] = (char)('0' + carry % 10);
        carry /= 10;
    }
    while (carry) {
        t[--pos] = (char)('0' + carry % 10);
        carry /= 10;
    }
    while (t[pos] == '0' && t[pos + 1])
        pos++;
    if (neg && strcmp(t + pos, "0"))
        t[--pos] = '-';
    return int_from_text(a, t + pos);
}

int dcfg__pattern_str(dcfg__vctx *c, const dcfg__node *at, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (dcfg__utf8_surrogate((const unsigned char *)s, len, i)) {
            dcfg__err(c, at, DCFG_DIAG_WRONG_TYPE,
                      "expected text, got %s, which holds a lone surrogate (dstack checks this field's pattern on "
                      "UTF-8, which cannot hold one)", dcfg__show(c, at));
            return -1;
        }
    return 0;
}

const char *dcfg__dict_key(dcfg__vctx *c, const char *s, size_t *len)
{
    size_t n = *len, extra = 0;
    for (size_t i = 0; i < n; i++)
        if (dcfg__utf8_surrogate((const unsigned char *)s, n, i))
            extra += 6, i += 2; /* 3 bytes become 3 U+FFFD of 3 bytes each */
    if (!extra)
        return s;
    char *t = dcfg__arena_alloc(c->arena, n + extra + 1);
    if (!t)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (dcfg__utf8_surrogate((const unsigned char *)s, n, i)) {
            for (int r = 0; r < 3; r++)
                memcpy(t + k, "\xEF\xBF\xBD", 3), k += 3;
            i += 2;
        } else {
            t[k++] = s[i];
        }
    }
    t[k] = '\0';
    *len = k;
    return t;
}
