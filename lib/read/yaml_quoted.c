/* Single- and double-quoted scalars read from the source, as PyYAML's
 * scan_flow_scalar does: escapes, escaped line breaks (which also drop the
 * next line's indentation), folding of line breaks and of NEL, LS and PS,
 * and blanks before a break. libfyaml 0.7.12 differs on several of these
 * (an escaped backslash right before an escaped line break gains a space;
 * '' runs gain quotes), so its text is used only when the source cannot be
 * read here (marks that do not frame the content, a document marker inside,
 * an escape PyYAML rejects): then it reports what it reports. */
#include "read/yaml_loader.h"

#include <string.h>

/* Length of the line break at s[i] (CR LF, CR, LF, NEL, LS, PS), 0 if none:
 * PyYAML's Reader takes all of them as line breaks, in every context. */
size_t dcfg__yaml_break_len(const unsigned char *s, size_t n, size_t i)
{
    if (s[i] == '\r')
        return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    if (s[i] == '\n')
        return 1;
    if (s[i] == 0xC2 && i + 1 < n && s[i + 1] == 0x85)
        return 2;
    if (s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
        return 3;
    return 0;
}

/* scan_line_break: LS and PS stay themselves, the others become LF. */
static size_t put_break(dcfg__buf *b, const unsigned char *s, size_t n, size_t i, int *is_lf)
{
    size_t k = dcfg__yaml_break_len(s, n, i);
    *is_lf = k != 3;
    if (k == 3)
        dcfg__buf_putn(b, (const char *)s + i, 3);
    else
        dcfg__buf_putc(b, '\n');
    return i + k;
}

static int is_blank_or_break(const unsigned char *s, size_t n, size_t i)
{
    return s[i] == ' ' || s[i] == '\t' || dcfg__yaml_break_len(s, n, i);
}

/* scan_flow_scalar_breaks: the breaks (and indentation) after a line break.
 * Returns the new position, or (size_t)-1 on a document marker. */
static size_t flow_breaks(dcfg__buf *b, const unsigned char *s, size_t n, size_t i, size_t *count)
{
    *count = 0;
    for (;;) {
        /* at s[n] is the closing quote, which is no separator's end */
        if (i + 3 < n && (!memcmp(s + i, "---", 3) || !memcmp(s + i, "...", 3)) && is_blank_or_break(s, n, i + 3))
            return (size_t)-1;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i >= n || !dcfg__yaml_break_len(s, n, i))
            return i;
        int lf;
        i = put_break(b, s, n, i, &lf);
        (*count)++;
    }
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void put_utf8(dcfg__buf *b, unsigned long cp)
{
    char u[4];
    size_t k;
    if (cp < 0x80) {
        u[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    dcfg__buf_putn(b, u, k);
}

/* The code point of the \u or \U escape at s[i] (its backslash), or -1. */
static long hex_escape_at(const unsigned char *s, size_t n, size_t i)
{
    if (i + 1 >= n || s[i] != '\\' || (s[i + 1] != 'u' && s[i + 1] != 'U'))
        return -1;
    size_t digits = s[i + 1] == 'u' ? 4 : 8;
    long cp = 0;
    for (size_t k = 0; k < digits; k++) {
        int v = i + 2 + k < n ? hex_value(s[i + 2 + k]) : -1;
        if (v < 0 || cp > 0x10FFFF)
            return -1;
        cp = cp << 4 | v;
    }
    return cp;
}

/* One escape after a backslash at s[i - 1]; returns the next position, or
 * (size_t)-1 for what is left to libfyaml (unknown escape, bad digits, a
 * code point beyond U+10FFFF). */
static size_t escape(dcfg__buf *b, const unsigned char *s, size_t n, size_t i)
{
    static const char from[] = "0abt\tnvfre \"\\/";
    static const char to[] = "\0\a\b\t\t\n\v\f\r\x1b \"\\/";
    if (i >= n)
        return (size_t)-1;
    const char *hit = s[i] ? strchr(from, s[i]) : NULL;
    if (hit) {
        dcfg__buf_putc(b, to[hit - from]);
        return i + 1;
    }
    switch (s[i]) {
    case 'N': put_utf8(b, 0x85); return i + 1;
    case '_': put_utf8(b, 0xA0); return i + 1;
    case 'L': put_utf8(b, 0x2028); return i + 1;
    case 'P': put_utf8(b, 0x2029); return i + 1;
    case 'x': case 'u': case 'U': {
        size_t digits = s[i] == 'x' ? 2 : s[i] == 'u' ? 4 : 8;
        unsigned long cp = 0;
        i++;
        for (size_t k = 0; k < digits; k++) {
            int v = i + k < n ? hex_value(s[i + k]) : -1;
            if (v < 0)
                return (size_t)-1;
            cp = cp << 4 | (unsigned long)v;
        }
        if (cp > 0x10FFFF)
            return (size_t)-1;
        i += digits;
        long low = cp >= 0xD800 && cp <= 0xDBFF ? hex_escape_at(s, n, i) : -1;
        if (low >= 0xDC00 && low <= 0xDFFF) {
            /* a pair written as two escapes is one character (as in JSON) */
            put_utf8(b, 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)low - 0xDC00));
            return i + (s[i + 1] == 'u' ? 6 : 10);
        }
        /* PyYAML makes any other surrogate escape a lone surrogate in its
         * str: kept as its generalized UTF-8 (ED A0..BF xx), which the
         * writers escape again */
        put_utf8(b, cp);
        return i;
    }
    default: break;
    }
    size_t k = dcfg__yaml_break_len(s, n, i);
    if (!k)
        return (size_t)-1;
    size_t count;
    return flow_breaks(b, s, n, i + k, &count); /* an escaped break: the next line's blanks go too */
}

static int is_special(unsigned char c)
{
    return c == '\'' || c == '"' || c == '\\' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xC2 ||
           c == 0xE2 || c == 0;
}

/* The content between the quotes, s[0..n), of a scalar in style dq (double)
 * or single. Returns 1 with the text, 0 to leave it to libfyaml. */
static int scan(dcfg__buf *b, const unsigned char *s, size_t n, int dq)
{
    size_t i = 0;
    for (;;) {
        /* scan_flow_scalar_non_spaces */
        for (;;) {
            size_t j = i;
            while (j < n && (!is_special(s[j]) || ((s[j] == 0xC2 || s[j] == 0xE2) && !dcfg__yaml_break_len(s, n, j))))
                j++;
            dcfg__buf_putn(b, (const char *)s + i, j - i);
            i = j;
            if (i >= n)
                return 1;
            unsigned char c = s[i];
            if (c == 0)
                return 0;
            if (!dq && c == '\'') {
                if (i + 1 >= n || s[i + 1] != '\'')
                    return 0; /* a lone quote inside: the marks are not what they seem */
                dcfg__buf_putc(b, '\'');
                i += 2;
            } else if ((dq && c == '\'') || (!dq && (c == '"' || c == '\\'))) {
                dcfg__buf_putc(b, (char)c);
                i++;
            } else if (dq && c == '"') {
                return 0;
            } else if (dq && c == '\\') {
                if ((i = escape(b, s, n, i + 1)) == (size_t)-1)
                    return 0;
            } else {
                break;
            }
        }
        /* scan_flow_scalar_spaces */
        size_t j = i;
        while (j < n && (s[j] == ' ' || s[j] == '\t'))
            j++;
        if (j < n && dcfg__yaml_break_len(s, n, j)) {
            /* the break itself is kept only if it is LS/PS; a lone LF folds to a space */
            size_t count, k = dcfg__yaml_break_len(s, n, j);
            int lf = k != 3;
            if (!lf)
                dcfg__buf_putn(b, (const char *)s + j, 3);
            if ((i = flow_breaks(b, s, n, j + k, &count)) == (size_t)-1)
                return 0;
            if (lf && !count)
                dcfg__buf_putc(b, ' ');
        } else {
            dcfg__buf_putn(b, (const char *)s + i, j - i); /* blanks before the closing quote stay */
            i = j;
        }
        if (i >= n)
            return 1;
    }
}

/* libfyaml read a surrogate escape of this scalar as \u0041 (yaml_load.c):
 * its text is no fallback then. Reports and returns -1 when so, else 0. */
static int surrogate_edited(dcfg__yaml_loader *lo, const struct fy_mark *sm, const struct fy_mark *em)
{
    const dcfg__yaml_edits *ed = lo->surr;
    for (size_t k = 0; ed && sm && k < ed->nsurr; k++) {
        if (ed->surr_at[k] >= sm->input_pos && (!em || ed->surr_at[k] < em->input_pos)) {
            dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", (unsigned)sm->line + 1,
                                (unsigned)sm->column + 1, 0, 0,
                                "double-quoted scalar with a surrogate escape that could not be read");
            dcfg__yaml_fail(lo, DCFG_ESYNTAX);
            return -1;
        }
    }
    return 0;
}

int dcfg__yaml_quoted_text(dcfg__yaml_loader *lo, struct fy_event *e, dcfg__buf *b)
{
    enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
    if (style != FYSS_SINGLE_QUOTED && style != FYSS_DOUBLE_QUOTED)
        return 0;
    char q = style == FYSS_DOUBLE_QUOTED ? '"' : '\'';
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    if (!sm || !em || sm->input_pos < 1 || em->input_pos < sm->input_pos || em->input_pos >= lo->len ||
        lo->data[sm->input_pos - 1] != q || lo->data[em->input_pos] != q)
        return surrogate_edited(lo, sm, em);
    if (!scan(b, (const unsigned char *)lo->data + sm->input_pos, em->input_pos - sm->input_pos,
              style == FYSS_DOUBLE_QUOTED)) {
        dcfg__buf_truncate(b, 0);
        return b->oom ? -1 : surrogate_edited(lo, sm, em);
    }
    dcfg__buf_putc(b, '\0');
    return b->oom ? -1 : 1;
}
