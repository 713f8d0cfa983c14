/* PyYAML's implicit resolver (YAML 1.1): which plain scalars become null,
 * bool, int, float or timestamp, matched by hand against PyYAML 6's regexes
 * and first-character table, and the JSON typing used in libfyaml's JSON mode.
 * The numbers themselves are built in py_number.c. */
#include "read/yaml_loader.h"

int dcfg__yaml_text_is(const char *s, size_t len, const char *lit)
{
    for (size_t i = 0; i < len; i++)
        if (lit[i] != s[i] || !lit[i])
            return 0;
    return lit[len] == '\0';
}

int dcfg__yaml_text_is_any(const char *s, size_t len, const char *const *lits)
{
    if (!len)
        return 0; /* no list holds "" */
    for (; *lits; lits++)
        if ((*lits)[0] == s[0] && dcfg__yaml_text_is(s, len, *lits))
            return 1;
    return 0;
}

static const char *const null_words[] = { "~", "null", "Null", "NULL", NULL };
static const char *const true_words[] = { "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL };
static const char *const false_words[] = { "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL };

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
        if (dcfg__yaml_text_is_any(s, len, nan_inf))
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
        return dcfg__yaml_text_is_any(s + i, len - i, infs);
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
int dcfg__yaml_match_timestamp(const char *s, size_t len, dcfg__yaml_tstamp *ts)
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
int dcfg__yaml_timestamp_valid(const dcfg__yaml_tstamp *ts)
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

/* ---- resolution entry points ---- */

/* Replaces n->str by the canonical decimal text of a big integer. With an
 * arena the text is copied there; without one it is written in place when it
 * fits (the string must then be writable, as arena strings are). */
static dcfg__yaml_res set_bigint(dcfg__node *n, const dcfg__yaml_intval *iv, dcfg__arena *arena)
{
    n->type = DCFG__INT;
    n->flags = (unsigned char)(n->flags | DCFG__NF_BIGINT);
    n->v.i = 0;
    if (n->len == iv->text_len && memcmp(n->str, iv->text, iv->text_len) == 0)
        return DCFG__RES_OK;
    if (arena) {
        char *p = dcfg__arena_strndup(arena, iv->text, iv->text_len);
        if (!p)
            return DCFG__RES_NOMEM;
        n->str = p;
    } else if (iv->text_len <= n->len) {
        char *p = (char *)(uintptr_t)n->str;
        memcpy(p, iv->text, iv->text_len);
        p[iv->text_len] = '\0';
    } else {
        return DCFG__RES_TOO_BIG;
    }
    n->len = iv->text_len;
    return DCFG__RES_OK;
}

static const dcfg_allocator *arena_al(const dcfg__arena *arena)
{
    return arena ? arena->al : &dcfg__default_allocator;
}

dcfg__yaml_res dcfg__yaml_apply_int(dcfg__node *n, dcfg__arena *arena)
{
    dcfg__yaml_intval iv;
    dcfg__yaml_res r = dcfg__yaml_construct_int(arena_al(arena), n->str, n->len, &iv);
    if (r == DCFG__RES_OK) {
        if (iv.big) {
            r = set_bigint(n, &iv, arena);
        } else {
            n->type = DCFG__INT;
            n->v.i = iv.i;
        }
    }
    return r;
}

dcfg__yaml_res dcfg__yaml_apply_float(dcfg__node *n, dcfg__arena *arena)
{
    double d = 0.0;
    dcfg__yaml_res r = dcfg__yaml_construct_float(arena_al(arena), n->str, n->len, &d);
    if (r == DCFG__RES_OK) {
        n->type = DCFG__FLOAT;
        n->v.f = d;
    }
    return r;
}

/* First characters of PyYAML 6's implicit resolvers: null and bool words,
 * numbers and timestamps, the merge and value keys. */
enum { START_WORD = 1, START_NUMBER, START_OTHER };
static const unsigned char resolver_start[256] = {
    ['n'] = START_WORD, ['N'] = START_WORD, ['y'] = START_WORD, ['Y'] = START_WORD, ['t'] = START_WORD,
    ['T'] = START_WORD, ['f'] = START_WORD, ['F'] = START_WORD, ['o'] = START_WORD, ['O'] = START_WORD,
    ['-'] = START_NUMBER, ['+'] = START_NUMBER, ['.'] = START_NUMBER, ['0'] = START_NUMBER, ['1'] = START_NUMBER,
    ['2'] = START_NUMBER, ['3'] = START_NUMBER, ['4'] = START_NUMBER, ['5'] = START_NUMBER, ['6'] = START_NUMBER,
    ['7'] = START_NUMBER, ['8'] = START_NUMBER, ['9'] = START_NUMBER,
    ['~'] = START_OTHER, ['<'] = START_OTHER, ['='] = START_OTHER,
};

dcfg__yaml_res dcfg__yaml_resolve_plain(dcfg__node *n, dcfg__arena *arena)
{
    const char *s = n->str ? n->str : "";
    size_t len = n->str ? n->len : 0;
    dcfg__yaml_tstamp ts;

    n->flags = (unsigned char)(n->flags & ~(DCFG__NF_BIGINT | DCFG__NF_TIMESTAMP));
    n->type = DCFG__STR;
    /* PyYAML picks candidate resolvers by the first character */
    unsigned char start = len ? resolver_start[(unsigned char)s[0]] : 0;
    if (len && !start)
        return DCFG__RES_OK;
    if (len > 5 && start != START_NUMBER)
        return DCFG__RES_OK;
    /* plain decimal digits without a leading 0: only the int resolver matches
     * (floats need a '.', timestamps a '-', sexagesimals a ':') */
    long long v;
    if (len && s[0] != '0' && dcfg__short_digits(s, len, &v)) {
        n->type = DCFG__INT;
        n->v.i = v;
        return DCFG__RES_OK;
    }
    if (len == 0 || dcfg__yaml_text_is_any(s, len, null_words)) {
        n->type = DCFG__NULL;
        return DCFG__RES_OK;
    }
    int is_true = dcfg__yaml_text_is_any(s, len, true_words);
    if (is_true || dcfg__yaml_text_is_any(s, len, false_words)) {
        n->type = DCFG__BOOL;
        n->v.b = is_true;
        return DCFG__RES_OK;
    }
    if (start == START_WORD)
        return DCFG__RES_OK; /* only the null and bool words start with a letter */
    if (match_float(s, len))
        return dcfg__yaml_apply_float(n, arena);
    if (match_int(s, len))
        return dcfg__yaml_apply_int(n, arena);
    if (dcfg__yaml_text_is(s, len, "<<") || dcfg__yaml_text_is(s, len, "="))
        return DCFG__RES_NO_CONSTRUCTOR;
    n->type = DCFG__STR;
    if (dcfg__yaml_match_timestamp(s, len, &ts)) {
        if (!dcfg__yaml_timestamp_valid(&ts))
            return DCFG__RES_BAD_TIMESTAMP;
        n->flags = (unsigned char)(n->flags | DCFG__NF_TIMESTAMP);
    }
    return DCFG__RES_OK;
}

int dcfg__yaml11_resolve(dcfg__node *n)
{
    return dcfg__yaml_resolve_plain(n, NULL) == DCFG__RES_OK ? 0 : -1;
}

/* JSON typing of a plain scalar in JSON mode (libfyaml has already checked the syntax). */
dcfg__yaml_res dcfg__yaml_resolve_json(dcfg__node *n, dcfg__arena *arena)
{
    const char *s = n->str;
    size_t len = n->len, i = 0;
    if (dcfg__yaml_text_is(s, len, "null")) {
        n->type = DCFG__NULL;
        return DCFG__RES_OK;
    }
    if (dcfg__yaml_text_is(s, len, "true") || dcfg__yaml_text_is(s, len, "false")) {
        n->type = DCFG__BOOL;
        n->v.b = s[0] == 't';
        return DCFG__RES_OK;
    }
    if (i < len && s[i] == '-')
        i++;
    size_t int_start = i;
    while (i < len && is_digit((unsigned char)s[i]))
        i++;
    if (i == int_start)
        return dcfg__yaml_resolve_plain(n, arena);
    if (i == len) {
        if (s[int_start] == '0' && len - int_start > 1)
            return dcfg__yaml_resolve_plain(n, arena);
        return dcfg__yaml_apply_int(n, arena);
    }
    double d;
    if (dcfg__yaml_py_float(s, len, &d) != DCFG__RES_OK)
        return dcfg__yaml_resolve_plain(n, arena);
    n->type = DCFG__FLOAT;
    n->v.f = d;
    return DCFG__RES_OK;
}
