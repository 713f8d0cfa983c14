/* Python's int() and float() on the text PyYAML's SafeConstructor hands them:
 * construct_yaml_int (underscores dropped, 0b/0o/0x and 0-leading octal,
 * sexagesimal 1:30, exact integers of any size up to Python's 4300-digit
 * limit, kept as canonical decimal text when they do not fit long long) and
 * construct_yaml_float (.inf/.nan, sexagesimal, correctly rounded decimal). */
#include "read/yaml_loader.h"

#define BIG_BASE 1000000000u
#define BIG_LIMBS ((DCFG__MAX_INT_DIGITS + 8) / 9 + 2)

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
static dcfg__yaml_res big_parse(big *b, const char *s, size_t len, unsigned base)
{
    if (!len)
        return DCFG__RES_BAD_INT;
    if (base == 10 && len > DCFG__MAX_INT_DIGITS)
        return DCFG__RES_TOO_BIG;
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
            return DCFG__RES_BAD_INT;
        if (v >= base)
            return DCFG__RES_BAD_INT;
        if ((uint64_t)mul * base > BIG_BASE) {
            if (big_muladd(b, mul, acc))
                return DCFG__RES_TOO_BIG;
            mul = 1;
            acc = 0;
        }
        mul *= base;
        acc = acc * base + v;
    }
    if (big_muladd(b, mul, acc))
        return DCFG__RES_TOO_BIG;
    return big_digits(b) > DCFG__MAX_INT_DIGITS ? DCFG__RES_TOO_BIG : DCFG__RES_OK;
}

/* Canonical decimal text into buf (room for DCFG__MAX_INT_DIGITS + 20); returns its length. */
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
static dcfg__yaml_res py_int(big *b, int *neg, const char *s, size_t len, unsigned base)
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

/* SafeConstructor.construct_yaml_int on raw scalar text. */
dcfg__yaml_res dcfg__yaml_construct_int(const dcfg_allocator *al, const char *raw, size_t raw_len,
                                        dcfg__yaml_intval *out)
{
    size_t len;
    scratch sc;
    sc.al = al;
    char *v = strip_underscores(&sc, raw, raw_len, &len);
    if (!v)
        return DCFG__RES_NOMEM;
    big bigs[2];
    big *b = &bigs[0], *part = &bigs[1];
    dcfg__yaml_res r = DCFG__RES_BAD_INT;
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
        r = DCFG__RES_OK;
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
        r = DCFG__RES_OK;
        for (int first = 1; r == DCFG__RES_OK; first = 0) {
            const char *q = memchr(p, ':', (size_t)(end - p));
            size_t plen = q ? (size_t)(q - p) : (size_t)(end - p);
            int pneg;
            r = py_int(part, &pneg, p, plen, 10);
            if (r == DCFG__RES_OK && pneg && part->n)
                r = DCFG__RES_BAD_INT; /* int("-5") parts: not worth supporting */
            if (r == DCFG__RES_OK && !first && big_muladd(b, 60, 0))
                r = DCFG__RES_TOO_BIG;
            if (r == DCFG__RES_OK && big_add(b, part))
                r = DCFG__RES_TOO_BIG;
            if (!q)
                break;
            p = q + 1;
        }
        if (r == DCFG__RES_OK && big_digits(b) > DCFG__MAX_INT_DIGITS)
            r = DCFG__RES_TOO_BIG;
    } else {
        r = py_int(b, &inner_neg, s, len, 10);
    }
    if (r != DCFG__RES_OK)
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
dcfg__yaml_res dcfg__yaml_py_float(const char *s, size_t len, double *out)
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
        if (dcfg__yaml_text_is(low, len, "inf") || dcfg__yaml_text_is(low, len, "infinity")) {
            *out = neg ? -HUGE_VAL : HUGE_VAL;
            return DCFG__RES_OK;
        }
        if (dcfg__yaml_text_is(low, len, "nan")) {
            *out = NAN;
            return DCFG__RES_OK;
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
        return DCFG__RES_BAD_FLOAT;
    size_t mlen = i;
    long exp10 = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        if (i == len)
            return DCFG__RES_BAD_FLOAT;
        while (i < len && is_digit((unsigned char)s[i])) {
            if (exp10 < 1000000)
                exp10 = exp10 * 10 + (s[i] - '0');
            i++;
        }
        if (eneg)
            exp10 = -exp10;
    }
    if (i != len)
        return DCFG__RES_BAD_FLOAT;
    double d = dec_to_double(s, mlen, exp10);
    *out = neg ? -d : d;
    return DCFG__RES_OK;
}

/* SafeConstructor.construct_yaml_float on raw scalar text. */
dcfg__yaml_res dcfg__yaml_construct_float(const dcfg_allocator *al, const char *raw, size_t raw_len, double *out)
{
    size_t len;
    scratch sc;
    sc.al = al;
    char *v = strip_underscores(&sc, raw, raw_len, &len);
    if (!v)
        return DCFG__RES_NOMEM;
    for (size_t i = 0; i < len; i++)
        if (v[i] >= 'A' && v[i] <= 'Z')
            v[i] = (char)(v[i] | 0x20);
    dcfg__yaml_res r = DCFG__RES_BAD_FLOAT;
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
    if (dcfg__yaml_text_is(s, len, ".inf")) {
        *out = sign * HUGE_VAL;
        r = DCFG__RES_OK;
    } else if (dcfg__yaml_text_is(s, len, ".nan")) {
        *out = NAN;
        r = DCFG__RES_OK;
    } else if (memchr(s, ':', len)) {
        /* parts summed from the last one: value += part * 60^k */
        double value = 0.0, base = 1.0;
        const char *end = s + len, *q = end;
        r = DCFG__RES_OK;
        while (r == DCFG__RES_OK) {
            const char *p = q;
            while (p > s && p[-1] != ':')
                p--;
            double part;
            r = dcfg__yaml_py_float(p, (size_t)(q - p), &part);
            if (r != DCFG__RES_OK)
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
        r = dcfg__yaml_py_float(s, len, &d);
        if (r == DCFG__RES_OK)
            *out = sign * d;
    }
done:
    scratch_free(&sc);
    return r;
}
