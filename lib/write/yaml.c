/* YAML text of a node tree, block style, for people and for dstack.
 *
 * What comes out must load back to the very same tree under PyYAML's
 * safe_load (YAML 1.1, what dstack uses) and under YAML 1.2 readers:
 *   - a string is written plain only when no reader would retype it
 *     ("3.10", "off", "yes", "null", "1:30", "2024-01-01" are quoted) and the
 *     plain syntax is unambiguous; otherwise double-quoted with escapes;
 *   - a string with line breaks becomes a literal block scalar (`|`, `|-`,
 *     `|+`, with an indentation indicator when its first line is indented)
 *     when that is exact, so commands and chat templates stay readable;
 *   - floats always have a '.' before any exponent (PyYAML reads "1e+20" as a
 *     string), non-finite floats are .inf/-.inf/.nan;
 *   - mappings and lists are indented by two spaces, empty ones are {} and [].
 * Key order is the tree's order, so output is deterministic. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "write/write.h"

/* ---- what a reader would make of a plain scalar ------------------------------ */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static int text_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* Words some reader gives a non-string meaning: YAML 1.1 booleans (also the
 * single letters of the 1.1 spec, which PyYAML leaves alone), YAML 1.1/1.2
 * nulls, the merge key and PyYAML's `=` value key. */
static const char *const special_words[] = {
    "y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE",
    "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    "~", "null", "Null", "NULL", "<<", "=", NULL,
};

/* [-+]? at s[*i] */
static void skip_sign(const char *s, size_t n, size_t *i)
{
    if (*i < n && (s[*i] == '-' || s[*i] == '+'))
        (*i)++;
}

/* Length of the run at s[i] of characters in class `cls` or in `extra` (e.g. "_"). */
static size_t span(const char *s, size_t n, size_t i, const char *extra, int (*cls)(int))
{
    size_t k = i;
    while (k < n && (cls((unsigned char)s[k]) || (extra && s[k] && strchr(extra, s[k]))))
        k++;
    return k - i;
}

static int is_bin(int c) { return c == '0' || c == '1'; }
static int is_oct(int c) { return c >= '0' && c <= '7'; }

/* (?::[0-5]?[0-9])+ from i to the end, or up to a '.' when stop_dot; returns end index or 0 */
static size_t sexagesimal_tail(const char *s, size_t n, size_t i, int stop_dot)
{
    size_t groups = 0;
    while (i < n && s[i] == ':') {
        i++;
        if (i + 1 < n && s[i] >= '0' && s[i] <= '5' && is_digit((unsigned char)s[i + 1]) &&
            (i + 2 == n || s[i + 2] == ':' || (stop_dot && s[i + 2] == '.')))
            i += 2;
        else if (i < n && is_digit((unsigned char)s[i]) &&
                 (i + 1 == n || s[i + 1] == ':' || (stop_dot && s[i + 1] == '.')))
            i += 1;
        else
            return 0;
        groups++;
    }
    return groups ? i : 0;
}

/* PyYAML's int resolver (YAML 1.1). */
static int yaml11_int(const char *s, size_t n)
{
    size_t i = 0;
    skip_sign(s, n, &i);
    if (i >= n)
        return 0;
    if (n - i > 2 && s[i] == '0' && s[i + 1] == 'b')
        return span(s, n, i + 2, "_", is_bin) == n - i - 2;
    if (n - i > 2 && s[i] == '0' && s[i + 1] == 'x')
        return span(s, n, i + 2, "_", is_hex) == n - i - 2;
    if (s[i] == '0')
        return n - i == 1 || span(s, n, i + 1, "_", is_oct) == n - i - 1;
    if (s[i] < '1' || s[i] > '9')
        return 0;
    size_t k = i + 1 + span(s, n, i + 1, "_", is_digit);
    if (k == n)
        return 1;
    return s[k] == ':' && sexagesimal_tail(s, n, k, 0) == n;
}

/* PyYAML's float resolver (YAML 1.1). */
static int yaml11_float(const char *s, size_t n)
{
    size_t i = 0;
    if (text_is(s, n, ".nan") || text_is(s, n, ".NaN") || text_is(s, n, ".NAN"))
        return 1;
    skip_sign(s, n, &i);
    if (text_is(s + i, n - i, ".inf") || text_is(s + i, n - i, ".Inf") || text_is(s + i, n - i, ".INF"))
        return 1;
    size_t k;
    if (i < n && is_digit((unsigned char)s[i])) {
        k = i + 1 + span(s, n, i + 1, "_", is_digit);
        if (k < n && s[k] == ':') { /* [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]* */
            size_t e = sexagesimal_tail(s, n, k, 1);
            if (!e || e >= n || s[e] != '.')
                return 0;
            return e + 1 + span(s, n, e + 1, "_", is_digit) == n;
        }
        if (k >= n || s[k] != '.')
            return 0;
        k++;
        k += span(s, n, k, "_", is_digit);
    } else if (i == 0 && i + 1 < n && s[i] == '.' && is_digit((unsigned char)s[i + 1])) {
        k = i + 1 + span(s, n, i + 1, "_", is_digit);
    } else {
        return 0;
    }
    if (k == n)
        return 1;
    if (s[k] != 'e' && s[k] != 'E')
        return 0;
    k++;
    if (k >= n || (s[k] != '-' && s[k] != '+'))
        return 0;
    k++;
    size_t d = span(s, n, k, NULL, is_digit);
    return d > 0 && k + d == n;
}

/* YAML 1.1 timestamps all start with four digits and a dash: quote all of those. */
static int yaml11_timestamp_like(const char *s, size_t n)
{
    return n >= 5 && is_digit((unsigned char)s[0]) && is_digit((unsigned char)s[1]) &&
           is_digit((unsigned char)s[2]) && is_digit((unsigned char)s[3]) && s[4] == '-';
}

/* YAML 1.2 core schema int and float. */
static int yaml12_number(const char *s, size_t n)
{
    size_t i = 0;
    if (n > 2 && s[0] == '0' && s[1] == 'o')
        return span(s, n, 2, NULL, is_oct) == n - 2;
    if (n > 2 && s[0] == '0' && s[1] == 'x')
        return span(s, n, 2, NULL, is_hex) == n - 2;
    if (text_is(s, n, ".nan") || text_is(s, n, ".NaN") || text_is(s, n, ".NAN"))
        return 1;
    skip_sign(s, n, &i);
    if (text_is(s + i, n - i, ".inf") || text_is(s + i, n - i, ".Inf") || text_is(s + i, n - i, ".INF"))
        return 1;
    size_t d = span(s, n, i, NULL, is_digit);
    size_t k = i + d;
    if (k < n && s[k] == '.') {
        size_t f = span(s, n, k + 1, NULL, is_digit);
        if (!d && !f)
            return 0;
        k += 1 + f;
    } else if (!d) {
        return 0;
    }
    if (k == n)
        return 1;
    if (s[k] != 'e' && s[k] != 'E')
        return 0;
    k++;
    skip_sign(s, n, &k);
    size_t e = span(s, n, k, NULL, is_digit);
    return e > 0 && k + e == n;
}

int dcfg__yaml_retypes(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    for (size_t i = 0; special_words[i]; i++)
        if (text_is(s, n, special_words[i]))
            return 1;
    return yaml11_int(s, n) || yaml11_float(s, n) || yaml11_timestamp_like(s, n) || yaml12_number(s, n);
}

/* ---- characters ---------------------------------------------------------------- */

/* Characters that must be escaped: C0 controls (a caller decides about \n
 * and \t), DEL, C1 controls (NEL is a YAML 1.1 line break), the Unicode line
 * and paragraph separators, BOM and the non-characters PyYAML's reader rejects. */
static int needs_escape(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

int dcfg__yaml_plain_ok(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0 || dcfg__yaml_retypes(str, n))
        return 0;
    if (s[0] == ' ' || s[n - 1] == ' ')
        return 0;
    if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0])) {
        /* "-x" is a plain scalar; a lone "-", "- x" or "---" is not */
        if (s[0] != '-' || n < 2 || s[1] == ' ' || s[1] == '-')
            return 0;
    }
    if (n >= 3 && !memcmp(s, "...", 3))
        return 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = dcfg__utf8_decode(s, n, i, &cp);
        if (!k || needs_escape(cp))
            return 0;
        if (cp == ':' && (i + 1 == n || s[i + 1] == ' '))
            return 0;
        if (cp == '#' && i > 0 && s[i - 1] == ' ')
            return 0;
        i += k;
    }
    return 1;
}

/* A literal block scalar reproduces s exactly: there is a line break and some
 * non-empty line, nothing needs escaping, and no line ends in white space
 * (which a reader may trim or take for indentation). */
static int literal_ok(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    int has_break = 0, has_text = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = dcfg__utf8_decode(s, n, i, &cp);
        if (!k)
            return 0;
        if (cp == '\n') {
            if (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
                return 0;
            has_break = 1;
        } else if (cp == '\t') {
            has_text = 1;
        } else if (needs_escape(cp)) {
            return 0;
        } else {
            has_text = 1;
        }
        i += k;
    }
    if (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        return 0;
    return has_break && has_text;
}

/* ---- writers -------------------------------------------------------------------- */

static void indent_to(dcfg__buf *b, unsigned n)
{
    static const char spaces[] = "                                ";
    while (n > 32) {
        dcfg__buf_putn(b, spaces, 32);
        n -= 32;
    }
    dcfg__buf_putn(b, spaces, n);
}

static void put_double_quoted(dcfg__buf *b, const char *str, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)str;
    dcfg__buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        uint32_t cp = dcfg__utf8_surrogate(s, n, i);
        char esc[12];
        if (cp) {
            /* a lone surrogate (from a YAML escape): PyYAML reads "\uDD00" back as one */
            esc[0] = '\\', esc[1] = 'u';
            for (int d = 0; d < 4; d++)
                esc[2 + d] = hex[(cp >> (12 - 4 * d)) & 0xF];
            dcfg__buf_putn(b, esc, 6);
            i += 3;
            continue;
        }
        size_t k = dcfg__utf8_decode(s, n, i, &cp);
        const char *e = NULL;
        switch (cp) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case 0: e = "\\0"; break;
        case 7: e = "\\a"; break;
        case 8: e = "\\b"; break;
        case 9: e = "\\t"; break;
        case 10: e = "\\n"; break;
        case 11: e = "\\v"; break;
        case 12: e = "\\f"; break;
        case 13: e = "\\r"; break;
        case 27: e = "\\e"; break;
        case 0x85: e = "\\N"; break;
        case 0x2028: e = "\\L"; break;
        case 0x2029: e = "\\P"; break;
        default:
            if (!k || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
                /* a byte that is no valid UTF-8 is written as the code point of the same value */
                esc[0] = '\\', esc[1] = 'x', esc[2] = hex[(cp >> 4) & 0xF], esc[3] = hex[cp & 0xF], esc[4] = 0;
                e = esc;
            } else if (needs_escape(cp)) {
                esc[0] = '\\', esc[1] = 'u';
                for (int d = 0; d < 4; d++)
                    esc[2 + d] = hex[(cp >> (12 - 4 * d)) & 0xF];
                esc[6] = 0;
                e = esc;
            }
        }
        if (e)
            dcfg__buf_puts(b, e);
        else
            dcfg__buf_putn(b, str + i, k);
        i += k ? k : 1;
    }
    dcfg__buf_putc(b, '"');
}

/* A literal block scalar whose content lines are indented to `indent`. */
static void put_literal(dcfg__buf *b, const char *s, size_t n, unsigned indent, unsigned parent)
{
    size_t trailing = 0;
    while (trailing < n && s[n - 1 - trailing] == '\n')
        trailing++;
    size_t body = n - trailing;
    size_t first = 0; /* first non-empty line */
    while (first < body && s[first] == '\n')
        first++;
    dcfg__buf_putc(b, '|');
    if (first < body && s[first] == ' ')
        dcfg__buf_printf(b, "%u", indent - parent);
    if (trailing == 0)
        dcfg__buf_putc(b, '-');
    else if (trailing > 1)
        dcfg__buf_putc(b, '+');
    dcfg__buf_putc(b, '\n');
    size_t start = 0;
    while (start <= body) {
        const char *nl = memchr(s + start, '\n', body - start);
        size_t end = nl ? (size_t)(nl - s) : body;
        if (end > start) {
            indent_to(b, indent);
            dcfg__buf_putn(b, s + start, end - start);
        }
        dcfg__buf_putc(b, '\n');
        start = end + 1;
    }
    for (size_t i = 1; i < trailing; i++)
        dcfg__buf_putc(b, '\n');
}

/* Float text PyYAML and YAML 1.2 readers both take for the same float. */
static void put_float(dcfg__buf *b, double f)
{
    char tmp[40];
    if (isnan(f)) {
        dcfg__buf_puts(b, ".nan");
        return;
    }
    if (isinf(f)) {
        dcfg__buf_puts(b, f < 0 ? "-.inf" : ".inf");
        return;
    }
    size_t n = dcfg__float_repr(tmp, f);
    char *e = memchr(tmp, 'e', n);
    if (e && !memchr(tmp, '.', (size_t)(e - tmp))) {
        /* "1e+20" -> "1.0e+20" */
        dcfg__buf_putn(b, tmp, (size_t)(e - tmp));
        dcfg__buf_puts(b, ".0");
        dcfg__buf_puts(b, e);
        return;
    }
    dcfg__buf_putn(b, tmp, n);
}

/* Text of a non-string scalar used as a mapping key (written as a string). */
static const char *key_text(const dcfg__node *k, char *tmp, size_t *len)
{
    switch ((dcfg__ntype)k->type) {
    case DCFG__STR:
        *len = k->str ? k->len : 0;
        return k->str ? k->str : "";
    case DCFG__INT:
        if ((k->flags & DCFG__NF_BIGINT) && k->str) {
            *len = k->len;
            return k->str;
        }
        *len = (size_t)snprintf(tmp, 40, "%lld", k->v.i);
        return tmp;
    case DCFG__FLOAT:
        *len = dcfg__float_repr(tmp, k->v.f);
        return tmp;
    case DCFG__BOOL:
        *len = k->v.b ? 4 : 5;
        return k->v.b ? "true" : "false";
    default:
        *len = 4;
        return "null";
    }
}

/* PyYAML only takes single-line simple keys of up to 1024 characters. */
enum { MAX_SIMPLE_KEY = 1000 };

/* Writes a scalar (or an empty collection); returns 1 when it ended the line
 * itself (a literal block scalar does). */
static int put_scalar(dcfg__buf *b, const dcfg__node *n, unsigned indent, unsigned parent)
{
    if (dcfg__put_common_scalar(b, n))
        return 0;
    switch ((dcfg__ntype)n->type) {
    case DCFG__FLOAT:
        put_float(b, n->v.f);
        break;
    case DCFG__STR: {
        const char *s = n->str ? n->str : "";
        size_t len = n->str ? n->len : 0;
        if (dcfg__yaml_plain_ok(s, len))
            dcfg__buf_putn(b, s, len);
        else if (memchr(s, '\n', len) && literal_ok(s, len)) {
            put_literal(b, s, len, indent, parent);
            return 1;
        } else
            put_double_quoted(b, s, len);
        break;
    }
    case DCFG__MAP:
        dcfg__buf_puts(b, "{}");
        break;
    case DCFG__SEQ:
        dcfg__buf_puts(b, "[]");
        break;
    case DCFG__NULL:
    case DCFG__BOOL:
    case DCFG__INT:
        break; /* dcfg__put_common_scalar */
    }
    return 0;
}

static const dcfg__node null_node = { .type = DCFG__NULL };

static int is_block(const dcfg__node *n)
{
    return n && (n->type == DCFG__MAP || n->type == DCFG__SEQ) && n->n > 0;
}

static void put_node(dcfg__buf *b, const dcfg__node *n, unsigned col, int inline_first);

/* Items of a list, each "- " at column `col`; the first one continues the
 * current line when inline_first. */
static void put_seq(dcfg__buf *b, const dcfg__node *n, unsigned col, int inline_first)
{
    for (size_t i = 0; i < n->n && !b->oom; i++) {
        if (i || !inline_first)
            indent_to(b, col);
        dcfg__buf_puts(b, "- ");
        const dcfg__node *item = n->kids[i];
        if (is_block(item)) {
            put_node(b, item, col + 2, 1);
        } else {
            if (!put_scalar(b, item ? item : &null_node, col + 2, col))
                dcfg__buf_putc(b, '\n');
        }
    }
}

static void put_key(dcfg__buf *b, const dcfg__node *k, unsigned col)
{
    char tmp[40];
    size_t len;
    const char *s = key_text(k ? k : &null_node, tmp, &len);
    int plain = dcfg__yaml_plain_ok(s, len) && (!k || k->type == DCFG__STR);
    if (len > MAX_SIMPLE_KEY) {
        /* explicit key: "? key" then ": value" on the next line */
        dcfg__buf_puts(b, "? ");
        put_double_quoted(b, s, len);
        dcfg__buf_putc(b, '\n');
        indent_to(b, col);
        return;
    }
    if (plain)
        dcfg__buf_putn(b, s, len);
    else
        put_double_quoted(b, s, len);
}

static void put_map(dcfg__buf *b, const dcfg__node *n, unsigned col, int inline_first)
{
    for (size_t i = 0; i < n->n && !b->oom; i++) {
        if (i || !inline_first)
            indent_to(b, col);
        put_key(b, DCFG__KEY(n, i), col);
        const dcfg__node *v = DCFG__VAL(n, i);
        dcfg__buf_putc(b, ':');
        if (is_block(v)) {
            dcfg__buf_putc(b, '\n');
            put_node(b, v, col + 2, 0);
        } else {
            dcfg__buf_putc(b, ' ');
            if (!put_scalar(b, v ? v : &null_node, col + 2, col))
                dcfg__buf_putc(b, '\n');
        }
    }
}

static void put_node(dcfg__buf *b, const dcfg__node *n, unsigned col, int inline_first)
{
    if (n->type == DCFG__MAP)
        put_map(b, n, col, inline_first);
    else
        put_seq(b, n, col, inline_first);
}

dcfg_status dcfg__emit_yaml(dcfg__buf *out, const dcfg__node *root, unsigned flags)
{
    (void)flags;
    if (!root)
        return DCFG_EUSAGE;
    if (is_block(root)) {
        put_node(out, root, 0, 0);
    } else {
        if (!put_scalar(out, root, 2, 0))
            dcfg__buf_putc(out, '\n');
    }
    return out->oom ? DCFG_ENOMEM : DCFG_OK;
}
