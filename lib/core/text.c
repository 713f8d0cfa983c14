/* Text helpers: Python/pydantic float text, scalars both writers share, UTF-8
 * validation, edit distance. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/core.h"

int dcfg__put_common_scalar(dcfg__buf *b, const dcfg__node *n)
{
    switch ((dcfg__ntype)n->type) {
    case DCFG__NULL:
        dcfg__buf_puts(b, "null");
        return 1;
    case DCFG__BOOL:
        dcfg__buf_puts(b, n->v.b ? "true" : "false");
        return 1;
    case DCFG__INT:
        if ((n->flags & DCFG__NF_BIGINT) && n->str)
            dcfg__buf_putn(b, n->str, n->len);
        else
            dcfg__buf_put_int(b, n->v.i);
        return 1;
    default:
        return 0;
    }
}

/* ---- floats ----------------------------------------------------------------
 * Both writers start from the shortest decimal digit string that reads back as
 * the same double (what Python's repr and pydantic's serializer both use) and
 * differ only in layout. */

typedef struct sdigits {
    char d[20]; /* significant digits, no leading zero (except for 0.0) */
    int n;      /* number of digits */
    int exp;    /* value = d[0].d[1..n) * 10^exp */
} sdigits;

/* Reads "%.*e" output back into digits and exponent. The decimal point is
 * whatever the current locale made it; it is skipped, never interpreted. */
static void split_e(sdigits *sd, const char *s)
{
    sd->n = 0;
    if (*s == '-')
        s++;
    for (; *s && *s != 'e' && *s != 'E'; s++)
        if (*s >= '0' && *s <= '9' && sd->n < (int)sizeof sd->d - 1)
            sd->d[sd->n++] = *s;
    sd->d[sd->n] = '\0';
    sd->exp = *s ? atoi(s + 1) : 0;
}

/* Digits as "DDDDe<exp>" without a decimal point, so strtod needs no locale. */
static int round_trips(const sdigits *sd, double x)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%se%d", sd->d, sd->exp - (sd->n - 1));
    return strtod(tmp, NULL) == x;
}

/* Adds (+1) or subtracts (-1) one unit in the last digit; 0 when the digit
 * count would change (then the neighbour has another length and is skipped). */
static int step_last(sdigits *out, const sdigits *in, int dir)
{
    *out = *in;
    int i = out->n - 1;
    if (dir > 0) {
        while (i >= 0 && out->d[i] == '9')
            out->d[i--] = '0';
        if (i < 0)
            return 0;
        out->d[i]++;
    } else {
        while (i >= 0 && out->d[i] == '0')
            out->d[i--] = '9';
        if (i < 0 || (i == 0 && out->d[0] == '1' && out->n > 1))
            return 0;
        out->d[i]--;
    }
    return 1;
}

/* The digits of x when x is the double nearest to r / 10^m for an integer r
 * below 10^15: two decimals of at most 15 significant digits never read as
 * one double (DBL_DIG), so the one with the smallest m is the shortest form.
 * r and 10^m are exact doubles and their quotient is correctly rounded, so
 * r / 10^m == x is the read-back test. Most floats in a configuration are of
 * this kind; 0 for the others. */
static int short_decimal(sdigits *sd, double x)
{
    static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                  1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17 };
    for (int m = 0; m < (int)(sizeof p10 / sizeof *p10); m++) {
        double t = x * p10[m];
        if (t >= 1e15)
            return 0;
        double r = (double)(long long)(t + 0.5);
        if (r == 0.0 || r / p10[m] != x)
            continue;
        char tmp[20], *q = tmp + sizeof tmp;
        for (long long v = (long long)r; v; v /= 10)
            *--q = (char)('0' + v % 10);
        sd->n = (int)(tmp + sizeof tmp - q);
        memcpy(sd->d, q, (size_t)sd->n);
        sd->exp = sd->n - 1 - m;
        return 1;
    }
    return 0;
}

/* The same for any x, by printing and reading back at each precision. */
static void printed_shortest(sdigits *sd, double x)
{
    char tmp[48];
    int saved_errno = errno; /* strtod sets ERANGE for subnormals */
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, x);
        split_e(sd, tmp);
        if (round_trips(sd, x))
            goto out;
        /* Near a power of two the rounding interval is lopsided: the nearest
         * prec-digit decimal may miss while a neighbour still reads back. At
         * most one can: the decimals that read back form an interval around
         * x, and the nearest one lies between both neighbours. */
        sdigits alt;
        for (int dir = -1; dir <= 1; dir += 2)
            if (step_last(&alt, sd, dir) && round_trips(&alt, x)) {
                *sd = alt;
                goto out;
            }
    }
    snprintf(tmp, sizeof tmp, "%.16e", x);
    split_e(sd, tmp);
out:
    errno = saved_errno;
}

/* Shortest round-trip digits of |x| (finite, non-zero). */
static void shortest(sdigits *sd, double x)
{
    if (!short_decimal(sd, x))
        printed_shortest(sd, x);
    while (sd->n > 1 && sd->d[sd->n - 1] == '0')
        sd->n--;
    sd->d[sd->n] = '\0';
}

/* Lays the digits out. Fixed notation when lo_exp <= exp < 16; otherwise
 * mantissa 'e' sign exponent with at least min_exp_digits digits. */
static size_t layout(char *buf, double f, int lo_exp, int min_exp_digits)
{
    char *p = buf;
    if (signbit(f))
        *p++ = '-';
    if (f == 0.0) {
        memcpy(p, "0.0", 4);
        return (size_t)(p - buf) + 3;
    }
    double a = fabs(f);
    if (a >= 1.0 && a < 9007199254740992.0 && a == (double)(long long)a) {
        /* a whole number below 2^53: its digits are the shortest form */
        return (size_t)(p - buf) + (size_t)sprintf(p, "%lld.0", (long long)a);
    }
    sdigits sd;
    shortest(&sd, a);
    if (sd.exp >= lo_exp && sd.exp < 16) {
        if (sd.exp >= 0) {
            for (int i = 0; i <= sd.exp; i++)
                *p++ = i < sd.n ? sd.d[i] : '0';
            *p++ = '.';
            if (sd.n > sd.exp + 1)
                for (int i = sd.exp + 1; i < sd.n; i++)
                    *p++ = sd.d[i];
            else
                *p++ = '0';
        } else {
            *p++ = '0';
            *p++ = '.';
            for (int i = -1; i > sd.exp; i--)
                *p++ = '0';
            for (int i = 0; i < sd.n; i++)
                *p++ = sd.d[i];
        }
        *p = '\0';
    } else {
        *p++ = sd.d[0];
        if (sd.n > 1) {
            *p++ = '.';
            for (int i = 1; i < sd.n; i++)
                *p++ = sd.d[i];
        }
        int e = sd.exp;
        *p++ = 'e';
        *p++ = e < 0 ? '-' : '+';
        p += sprintf(p, "%0*d", min_exp_digits, e < 0 ? -e : e);
    }
    return (size_t)(p - buf);
}

size_t dcfg__int_repr(char *buf, long long v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    size_t n = (size_t)(tmp + sizeof tmp - p);
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

size_t dcfg__float_repr(char *buf, double f)
{
    const char *s = NULL;
    if (isnan(f))
        s = "nan";
    else if (isinf(f))
        s = f < 0 ? "-inf" : "inf";
    if (s) {
        size_t n = strlen(s);
        memcpy(buf, s, n + 1);
        return n;
    }
    return layout(buf, f, -4, 2);
}

size_t dcfg__float_json(char *buf, double f)
{
    if (!isfinite(f)) {
        memcpy(buf, "null", 5);
        return 4;
    }
    return layout(buf, f, -5, 1);
}

/* ---- UTF-8 ----------------------------------------------------------------- */

size_t dcfg__utf8_decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    unsigned c = s[i];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, v = c & 0x07, min = 0x10000;
    else
        goto bad; /* continuation byte, C0/C1, F5..FF */
    if (len - i < n)
        goto bad; /* truncated */
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            goto bad;
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        goto bad; /* overlong, beyond Unicode, surrogate */
    *cp = v;
    return n;
bad:
    *cp = c;
    return 0;
}

uint32_t dcfg__utf8_surrogate(const unsigned char *s, size_t len, size_t i)
{
    if (len - i < 3 || s[i] != 0xED || (s[i + 1] & 0xE0) != 0xA0 || (s[i + 2] & 0xC0) != 0x80)
        return 0;
    return 0xD000u | (uint32_t)(s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
}

int dcfg__utf8_valid(const char *str, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = dcfg__utf8_decode(s, len, i, &cp);
        if (!n) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

/* ---- edit distance ----------------------------------------------------------
 * Optimal string alignment (Levenshtein plus adjacent transpositions, no
 * substring edited twice), over bytes. Only a diagonal band of half-width
 * k = min(cap, longer length) is computed: cells outside it exceed cap anyway.
 * k is clamped to ED_MAXK, so for inputs longer than that with a cap above it,
 * distances over ED_MAXK come back as ED_MAXK + 1. */

enum { ED_MAXK = 255, ED_W = 2 * ED_MAXK + 3 };

unsigned dcfg__edit_distance(const char *a, const char *b, unsigned cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (cap >= (unsigned)-1)
        cap = (unsigned)-1 - 1;
    /* Common prefix and suffix never change the distance. */
    while (la && lb && *a == *b) {
        a++, b++;
        la--, lb--;
    }
    while (la && lb && a[la - 1] == b[lb - 1])
        la--, lb--;
    size_t longer = la > lb ? la : lb;
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > cap)
        return cap + 1;
    if (la == 0 || lb == 0)
        return (unsigned)diff;

    size_t k = cap < longer ? cap : longer;
    if (k > ED_MAXK)
        k = ED_MAXK;
    if (diff > k)
        return k + 1 > cap ? cap + 1 : (unsigned)(k + 1);
    const unsigned inf = (unsigned)k + 1;
    const size_t w = 2 * k + 3; /* band cells 1..2k+1; 0 and 2k+2 are sentinels */
    unsigned rows[3][ED_W];
    unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

    /* Cell (i, j) lives at index j - i + k + 1. */
    for (size_t t = 0; t < w; t++)
        prev[t] = prev2[t] = inf;
    for (size_t j = 0; j <= lb && j <= k; j++)
        prev[j + k + 1] = (unsigned)j;

    for (size_t i = 1; i <= la; i++) {
        for (size_t t = 0; t < w; t++)
            cur[t] = inf;
        size_t jlo = i > k ? i - k : 0;
        size_t jhi = i + k < lb ? i + k : lb;
        unsigned rowmin = inf;
        for (size_t j = jlo; j <= jhi; j++) {
            size_t idx = j + k + 1 - i;
            unsigned v;
            if (j == 0) {
                v = (unsigned)i;
            } else {
                v = prev[idx] + (a[i - 1] != b[j - 1]);
                if (prev[idx + 1] + 1 < v)
                    v = prev[idx + 1] + 1;
                if (cur[idx - 1] + 1 < v)
                    v = cur[idx - 1] + 1;
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                    prev2[idx] + 1 < v)
                    v = prev2[idx] + 1;
            }
            if (v > inf)
                v = inf;
            cur[idx] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin >= inf)
            return inf > cap ? cap + 1 : inf;
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    unsigned d = prev[lb + k + 1 - la];
    return d > cap ? cap + 1 : d;
}

void dcfg__json_string(dcfg__buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    /* bytes JSON needs escaped: '"', '\\' and the controls; 0xED may start a lone surrogate */
    static const unsigned char needs_escape[256] = {
        [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
        [0x08] = 1, [0x09] = 1, [0x0A] = 1, [0x0B] = 1, [0x0C] = 1, [0x0D] = 1, [0x0E] = 1, [0x0F] = 1,
        [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
        [0x18] = 1, [0x19] = 1, [0x1A] = 1, [0x1B] = 1, [0x1C] = 1, [0x1D] = 1, [0x1E] = 1, [0x1F] = 1,
        ['"'] = 1, ['\\'] = 1, [0xED] = 1,
    };
    dcfg__buf_putc(b, '"');
    size_t run = 0; /* start of the pending stretch copied verbatim */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape[c])
            continue;
        const char *esc = NULL;
        char u[7];
        if (c == '"')
            esc = "\\\"";
        else if (c == '\\')
            esc = "\\\\";
        else if (c < 0x20) {
            switch (c) {
            case '\n': esc = "\\n"; break;
            case '\t': esc = "\\t"; break;
            case '\r': esc = "\\r"; break;
            case '\b': esc = "\\b"; break;
            case '\f': esc = "\\f"; break;
            default:
                memcpy(u, "\\u00", 4);
                u[4] = hex[c >> 4];
                u[5] = hex[c & 0xF];
                u[6] = '\0';
                esc = u;
            }
        } else {
            /* a lone surrogate: \udd00, as Python's json.dumps writes one */
            uint32_t cp = dcfg__utf8_surrogate((const unsigned char *)s, len, i);
            if (!cp)
                continue;
            memcpy(u, "\\u", 2);
            for (int d = 0; d < 4; d++)
                u[2 + d] = hex[(cp >> (12 - 4 * d)) & 0xF];
            u[6] = '\0';
            dcfg__buf_putn(b, s + run, i - run);
            dcfg__buf_puts(b, u);
            run = i + 3;
            i += 2;
            continue;
        }
        dcfg__buf_putn(b, s + run, i - run);
        dcfg__buf_puts(b, esc);
        run = i + 1;
    }
    dcfg__buf_putn(b, s + run, len - run);
    dcfg__buf_putc(b, '"');
}
