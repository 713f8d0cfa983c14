/* What PyYAML rejects but libfyaml accepts, checked here: characters outside
 * Reader.NON_PRINTABLE's complement and invalid UTF-8 (UTF-16 with a BOM is
 * made UTF-8 first, as PyYAML's Reader decodes it), tabs outside quoted and
 * block scalars and comments, block scalar lines and values not indented past
 * their collection, and flow nesting and flow items beyond the limits before
 * libfyaml queues them. */
#include "read/yaml_loader.h"

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

/* A syntax error at byte offset pos; returns -1. */
static int syntax_error_at(dcfg__yaml_loader *lo, size_t pos, const char *msg)
{
    unsigned line, col;
    pos_to_linecol(lo->data, lo->len, pos, &line, &col);
    dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, col, 0, 0, "%s", msg);
    dcfg__yaml_fail(lo, DCFG_ESYNTAX);
    return -1;
}

/* ---- tabs: PyYAML only allows them inside quoted and block scalars and comments ---- */

static void tab_error(dcfg__yaml_loader *lo, size_t pos)
{
    syntax_error_at(lo, pos, "found a tab character where YAML does not allow one; hint: tabs may only appear "
                             "inside quoted or block scalars and comments, use spaces for indentation and separation");
    lo->bad_tab = 1;
}

/* Offset of the first tab in data[tab_cursor .. to) outside scalars and
 * comments, or (size_t)-1. */
size_t dcfg__yaml_find_tab(const dcfg__yaml_loader *lo, size_t to)
{
    const char *s = lo->data;
    if (to > lo->len)
        to = lo->len;
    if (lo->tab_cursor >= to || !memchr(s + lo->tab_cursor, '\t', to - lo->tab_cursor))
        return (size_t)-1;
    for (size_t i = lo->tab_cursor; i < to; i++) {
        char c = s[i];
        if (c == '\t')
            return i;
        if (c == '#' && (i == 0 || i == lo->tab_range_end || s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '\r')) {
            while (i < to && s[i] != '\n' && s[i] != '\r')
                i++;
        }
    }
    return (size_t)-1;
}

/* Checks data[tab_cursor .. to) outside scalars; returns -1 after reporting. */
int dcfg__yaml_tab_scan(dcfg__yaml_loader *lo, size_t to)
{
    size_t at = dcfg__yaml_find_tab(lo, to);
    if (at != (size_t)-1) {
        tab_error(lo, at);
        return -1;
    }
    if (to > lo->len)
        to = lo->len;
    if (to > lo->tab_cursor)
        lo->tab_cursor = to;
    return 0;
}

/* Length of the line break at s[i] before end (LF, CR, NEL, LS, PS: PyYAML's
 * line breaks, which libfyaml counts as lines too), 0 if none. */
static size_t brk(const char *s, size_t end, size_t i)
{
    return i < end ? dcfg__yaml_break_len((const unsigned char *)s, end, i) : 0;
}

/* Offset just past the line break that ends the line holding s[i], or end. */
static size_t next_line(const char *s, size_t i, size_t end)
{
    for (; i < end; i++) {
        size_t k = brk(s, end, i);
        if (k)
            return i + k;
    }
    return end;
}

/* Block scalar content [from, to): tabs are content, except inside the
 * indentation (before the column of the first non-empty line). */
static int tab_scan_block(dcfg__yaml_loader *lo, size_t from, size_t to)
{
    const char *s = lo->data;
    size_t indent = 0, i = from;
    while (i < to) {
        size_t k = 0;
        while (i + k < to && s[i + k] == ' ')
            k++;
        if (i + k < to && !brk(s, to, i + k)) {
            indent = k;
            break;
        }
        i = next_line(s, i + k, to);
    }
    for (i = from; i < to;) {
        size_t k = 0;
        while (i + k < to && k < indent && s[i + k] == ' ')
            k++;
        if (i + k < to && k < indent && s[i + k] == '\t') {
            tab_error(lo, i + k);
            return -1;
        }
        i = next_line(s, i, to);
    }
    return 0;
}

/* A quoted or block scalar event: check before it, then skip its content. */
int dcfg__yaml_tab_skip_scalar(dcfg__yaml_loader *lo, struct fy_event *e)
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
        if (dcfg__yaml_tab_scan(lo, a))
            return -1;
    } else {
        if (dcfg__yaml_tab_scan(lo, a) || tab_scan_block(lo, a, b < lo->len ? b : lo->len))
            return -1;
    }
    if (b > lo->tab_cursor) {
        lo->tab_cursor = b;
        lo->tab_range_end = b;
    }
    return 0;
}

/* A block scalar read from the source (indicator at `at`, text lines in
 * [from, to)): the same checks as for one libfyaml read. */
int dcfg__yaml_tab_skip_block(dcfg__yaml_loader *lo, size_t at, size_t from, size_t to)
{
    if (dcfg__yaml_tab_scan(lo, at) || tab_scan_block(lo, from, to < lo->len ? to : lo->len))
        return -1;
    if (to > lo->tab_cursor) {
        lo->tab_cursor = to;
        lo->tab_range_end = to;
    }
    return 0;
}

/* Block scalar lines must be indented more than the enclosing block
 * collection. libfyaml sometimes takes less indented lines as content (and
 * then returns wrong text); PyYAML ends the scalar there, so `b: |` followed
 * by a sibling key is an empty string for it. Report instead of guessing. */
/* A block scalar that is the whole document: PyYAML wants its text
 * indented by at least one space (its minimum indentation is 1), so a first
 * text line at column 1 ends the scalar there and is an error. */
static int top_block_indent(dcfg__yaml_loader *lo, size_t from, size_t end)
{
    const char *s = lo->data;
    size_t i = from;
    if (i < end && (s[i] == '>' || s[i] == '|'))
        i = next_line(s, i, end); /* the header: `>`, `|-2`, a comment */
    while (i < end) {
        size_t k = 0;
        while (i + k < end && s[i + k] == ' ')
            k++;
        if (i + k >= end)
            return 0;
        if (brk(s, end, i + k)) {
            i = next_line(s, i + k, end);
            continue;
        }
        if (k > 0)
            return 0;
        return syntax_error_at(lo, i, "the text of a block scalar that is the whole document must be indented "
                                      "by at least one space (PyYAML)");
    }
    return 0;
}

int dcfg__yaml_check_block_indent(dcfg__yaml_loader *lo, struct fy_event *e)
{
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    if (lo->json || !sm || !em)
        return 0;
    if (!lo->nframes)
        return top_block_indent(lo, sm->input_pos, em->input_pos < lo->len ? em->input_pos : lo->len);
    const dcfg__yaml_frame *top = &lo->frames[lo->nframes - 1];
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
        if (i + k < end && !brk(s, end, i + k)) {
            if (k >= top->col)
                return 0; /* indented more than the collection's column */
            dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line + 1, (unsigned)k + 1, 0, 0,
                                "block scalar lines must be indented more than column %u; hint: indent the text "
                                "below `|`/`>`, or write \"\" for an empty value",
                                top->col);
            dcfg__yaml_fail(lo, DCFG_ESYNTAX);
            return -1;
        }
        i = next_line(s, i + k, end);
        line++;
    }
    return 0;
}

/* A value on a line below its key in a block mapping must be indented more
 * than the key (an indentless `- ` list may sit at the key's column). libfyaml
 * takes `key:\nvalue` at the end of a mapping as the key's value; PyYAML
 * stops there ("could not find expected ':'"). */
int dcfg__yaml_check_value_indent(dcfg__yaml_loader *lo, unsigned line, unsigned col, int block_seq)
{
    if (!lo->nframes || lo->json)
        return 0;
    const dcfg__yaml_frame *top = &lo->frames[lo->nframes - 1];
    if (top->kind != DCFG__MAP || !top->block || (lo->nitems - top->base) % 2 == 0 || !lo->have_prev ||
        line <= lo->prev_line + 1)
        return 0;
    if (block_seq ? col >= top->col : col > top->col)
        return 0;
    dcfg__buf b;
    dcfg__buf_init(&b, lo->al);
    dcfg__yaml_put_key(&b, lo->items[lo->nitems - 1], 1);
    char *path = dcfg__yaml_make_path(lo, 0);
    if (b.oom || !path) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
    } else {
        dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, path, line, col, 0, 0,
                            "could not find expected ':' (the value of key %s must be indented more "
                            "than the key); hint: indent the value, or write it on the key's line",
                            b.p);
        dcfg__yaml_fail(lo, DCFG_ESYNTAX);
    }
    dcfg__buf_free(&b);
    dcfg__free(lo->al, path);
    return -1;
}

/* A block sequence entry's node on a line below its '-' must be indented
 * past the '-': PyYAML ends the sequence there ("expected <block end>");
 * libfyaml takes the node as the entry (`-\n-x` is ["-x"]). pos is the
 * node's first byte; a node with an anchor, tag or comment before it is
 * not checked. */
int dcfg__yaml_check_item_indent(dcfg__yaml_loader *lo, size_t pos, unsigned col)
{
    if (!lo->nframes || lo->json || pos > lo->len)
        return 0;
    const dcfg__yaml_frame *top = &lo->frames[lo->nframes - 1];
    if (top->kind != DCFG__SEQ || !top->block || col > top->col)
        return 0;
    const char *s = lo->data;
    size_t i = pos;
    int below = 0;
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\n' || s[i - 1] == '\r')) {
        below |= s[i - 1] != ' ';
        i--;
    }
    if (!below || i == 0 || s[i - 1] != '-' || (i >= 2 && s[i - 2] != ' ' && s[i - 2] != '\n' && s[i - 2] != '\r'))
        return 0;
    return syntax_error_at(lo, pos, "expected a sequence entry: an item on the line below its `-` must be indented "
                                    "more than the `-`; hint: indent the item, or write it after the `- `");
}

/* ---- pre-checks ---- */

/* Bytes accepted without decoding: tab, line feed, carriage return and printable ASCII. */
static const unsigned char ascii_ok[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
#define R4(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1
#define R16(c) R4(c), R4(c + 4), R4(c + 8), R4(c + 12)
    R16(0x20), R16(0x30), R16(0x40), R16(0x50), R16(0x60), R4(0x70), R4(0x74), R4(0x78),
    [0x7C] = 1, [0x7D] = 1, [0x7E] = 1,
#undef R16
#undef R4
};

/* Eight bytes of 0x20..0x7E, tested as one word: no high bit, no byte below
 * a space, no DEL (the "has a byte less than" and "has a zero byte" tests
 * have no false negatives). A word with a tab or line break takes the table. */
static int plain_ascii_word(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t w, del;
    memcpy(&w, p, sizeof w);
    del = w ^ (ones * 0x7F);
    return !((w | ((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) & high);
}

int dcfg__yaml_check_encoding(dcfg__yaml_loader *lo)
{
    const unsigned char *s = (const unsigned char *)lo->data;
    size_t len = lo->len;
    for (size_t i = 0; i < len;) {
        /* printable ASCII and line breaks, eight bytes at a time */
        while (i + 8 <= len && (plain_ascii_word(s + i) || (ascii_ok[s[i]] & ascii_ok[s[i + 1]] & ascii_ok[s[i + 2]] &
                                                            ascii_ok[s[i + 3]] & ascii_ok[s[i + 4]] & ascii_ok[s[i + 5]] &
                                                            ascii_ok[s[i + 6]] & ascii_ok[s[i + 7]])))
            i += 8;
        if (i < len && ascii_ok[s[i]]) {
            i++;
            continue;
        }
        if (i >= len)
            break;
        uint32_t cp = 0;
        size_t n = dcfg__utf8_decode(s, len, i, &cp);
        if (n && printable(cp)) {
            if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
                lo->has_unicode_break = 1;
            i += n;
            continue;
        }
        unsigned line, col;
        pos_to_linecol(lo->data, len, i, &line, &col);
        if (!n)
            dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_ENCODING, "", line, col, 0, 0,
                                "invalid UTF-8 (byte 0x%02X); hint: save the file as UTF-8", s[i]);
        else if (cp == 0)
            dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_ENCODING, "", line, col, 0, 0,
                                "unacceptable character U+0000 (NUL): special characters are not allowed");
        else
            dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_ENCODING, "", line, col, 0, 0,
                                "unacceptable character U+%04X: special characters are not allowed", (unsigned)cp);
        dcfg__yaml_fail(lo, DCFG_ESYNTAX);
        return -1;
    }
    return 0;
}

/* PyYAML's Reader decodes bytes that start with a UTF-16 BOM (FF FE, FE FF)
 * as UTF-16 with Python's strict codec, anything else as UTF-8. The text is
 * made UTF-8 once, the BOM kept as EF BB BF (Python keeps U+FEFF in the str
 * too), so every later check and position works on characters as before.
 * An unpaired surrogate or an odd last byte is the codec's error. */
static void put_utf8(dcfg__buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    dcfg__buf_putn(b, u, n);
}

dcfg_status dcfg__yaml_from_utf16(dcfg__load *ld, const char *data, size_t len, char **out, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)data;
    *out = NULL;
    *out_len = 0;
    if (len < 2 || !((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return DCFG_OK;
    if (ld->limits.max_input_bytes && len > ld->limits.max_input_bytes)
        return DCFG_OK; /* the reader reports the size of what was given */
    int le = s[0] == 0xFF;
    dcfg__buf b;
    dcfg__buf_init(&b, ld->arena->al);
    size_t i = 0, bad = (size_t)-1;
    const char *why = NULL;
    for (; i + 1 < len; i += 2) {
        uint32_t u = le ? (uint32_t)s[i] | (uint32_t)s[i + 1] << 8 : (uint32_t)s[i] << 8 | s[i + 1];
        if (u >= 0xD800 && u <= 0xDBFF) {
            uint32_t v = 0;
            if (i + 3 < len)
                v = le ? (uint32_t)s[i + 2] | (uint32_t)s[i + 3] << 8 : (uint32_t)s[i + 2] << 8 | s[i + 3];
            if (v < 0xDC00 || v > 0xDFFF) {
                bad = u;
                why = "a high surrogate not followed by a low one";
                break;
            }
            u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            bad = u;
            why = "a low surrogate without a high one before it";
            break;
        }
        put_utf8(&b, u);
    }
    if (b.oom) {
        dcfg__buf_free(&b);
        return DCFG_ENOMEM;
    }
    if (!why && i < len) {
        bad = s[i];
        why = "an odd number of bytes, the last one alone";
    }
    if (why) {
        unsigned line, col;
        pos_to_linecol(b.p ? b.p : "", b.len, b.len, &line, &col);
        dcfg__diag_add(ld->diags, DCFG_SEVERITY_ERROR, DCFG_DIAG_ENCODING, "", line, col, 0, 0,
                       "invalid UTF-16 (%s: 0x%0*X at byte %zu); hint: save the file as UTF-8", why,
                       bad > 0xFF ? 4 : 2, (unsigned)bad, i);
        dcfg__buf_free(&b);
        return dcfg__diags_oom(ld->diags) ? DCFG_ENOMEM : DCFG_ESYNTAX;
    }
    *out = b.p ? b.p : dcfg__malloc(ld->arena->al, 1);
    *out_len = b.len;
    return *out ? DCFG_OK : DCFG_ENOMEM;
}

/* libfyaml queues every token of a flow collection that might be a simple
 * key until the line ends, so a one-line `[[[[...` or `[1,1,1,...` costs it
 * hundreds of bytes per token before the first event arrives. This lexical
 * pass finds flow nesting and flow entries beyond the limits first. It only
 * approximates YAML (it errs towards counting too little). */
/* Where a plain scalar outside flow collections may end or turn into a key. */
static const unsigned char plain_stop[256] = { [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [':'] = 1 };

/* Occurrences of ch in s[0..len), counted up to limit + 1. */
static size_t count_bytes(const char *s, size_t len, char ch, size_t limit)
{
    size_t n = 0;
    for (const char *p = s, *end = s + len; n <= limit && (p = memchr(p, ch, (size_t)(end - p))) != NULL; p++)
        n++;
    return n;
}

int dcfg__yaml_check_flow(dcfg__yaml_loader *lo)
{
    const char *s = lo->data;
    size_t len = lo->len, i = 0, commas = 0;
    unsigned depth = 0, maxd = lo->ld->limits.max_depth;
    size_t maxn = lo->ld->limits.max_nodes;
    int tok_start = 1, in_plain = 0, block_pending = 0;
    size_t line_indent = 0, block_indent = 0;

    /* the pass fails only past maxd opening brackets or maxn commas: fewer
     * in the whole text (memchr counts them fast) cannot exceed a limit */
    if ((!maxd || count_bytes(s, len, '[', maxd) + count_bytes(s, len, '{', maxd) <= maxd) &&
        (!maxn || len <= maxn || count_bytes(s, len, ',', maxn) <= maxn))
        return 0;
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
            /* the rest of the word cannot change anything: skip to a blank, break or ':' */
            for (i++; i < len && !plain_stop[(unsigned char)s[i]]; i++)
                ;
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
                    dcfg__yaml_limit_error(lo, line, col, "nesting deeper than %u levels", maxd);
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
                dcfg__yaml_limit_error(lo, line, col, "alias expansion / document too large: more than %zu nodes",
                                       maxn);
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

/* ---- scalars in flow collections: PyYAML's scanner is stricter there ---- */

static int blank_at(const char *s, size_t len, size_t i)
{
    return i >= len || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r';
}

/* In a flow collection PyYAML ends a plain scalar at '?' and never starts
 * one with ':' or '?' (libfyaml reads `[a?b]` and `{x: :x}` as scalars), and
 * an implicit key must have its ':' on the line where the key starts, within
 * 1024 characters of it (libfyaml takes multi-line keys, as YAML 1.2 does).
 * -1 after reporting; 1 when a leading '?' of a key is PyYAML's explicit key
 * indicator (`{?a: b}` has the key "a"), to be dropped; 0 otherwise. */
int dcfg__yaml_check_flow_scalar(dcfg__yaml_loader *lo, struct fy_event *e, int plain)
{
    if (lo->json || !lo->nframes || lo->frames[lo->nframes - 1].block)
        return 0;
    struct fy_token *tag = fy_event_get_tag_token(e);
    const struct fy_mark *tm = tag ? fy_token_end_mark(tag) : NULL;
    if (tm && tm->input_pos < lo->len && lo->data[tm->input_pos] && strchr(",[]", lo->data[tm->input_pos]))
        return syntax_error_at(lo, tm->input_pos, "a tag in a flow collection is followed by ',', '[' or ']' (PyYAML "
                                             "reads it as part of the tag); hint: put a space after the tag");
    const struct fy_mark *sm = fy_token_start_mark(e->scalar.value), *em = fy_token_end_mark(e->scalar.value);
    if (!sm || !em || em->input_pos > lo->len || sm->input_pos >= em->input_pos)
        return 0;
    const char *s = lo->data;
    size_t a = sm->input_pos, b = em->input_pos, len = lo->len;
    if (plain) {
        if (s[a] == ':')
            return syntax_error_at(lo, a, "a plain scalar in a flow collection cannot start with ':' (PyYAML reads a "
                                     "value indicator there); hint: quote the value");
        if (s[a] == '?' && lo->frames[lo->nframes - 1].kind == DCFG__MAP && dcfg__yaml_in_key_position(lo) &&
            b - a > 1 && !memchr(s + a + 1, '?', b - a - 1))
            return 1; /* `{?key: v}`: PyYAML's key indicator, then the key */
        for (size_t i = a; i < b; i++)
            if (s[i] == '?')
                return syntax_error_at(lo, i, "'?' in a plain scalar in a flow collection (PyYAML ends the scalar "
                                         "there and reads a key indicator); hint: quote the value");
    }
    if (lo->frames[lo->nframes - 1].kind != DCFG__MAP || !dcfg__yaml_in_key_position(lo))
        return 0;
    if (!plain && a > 0 && (s[a - 1] == '"' || s[a - 1] == '\''))
        a--; /* the opening quote */
    /* explicit keys (`? key`, `? !!str &x key`) may span lines */
    for (size_t j = a;;) {
        while (j > 0 && blank_at(s, len, j - 1))
            j--;
        size_t r = j;
        while (r > 0 && !blank_at(s, len, r - 1) && !strchr("{[,", s[r - 1]))
            r--;
        if (j - r == 1 && s[r] == '?')
            return 0;
        if (r == j || (s[r] != '!' && s[r] != '&'))
            break;
        j = r; /* a tag or an anchor of the key */
    }
    size_t i = b;
    if (!plain && i < len && (s[i] == '"' || s[i] == '\''))
        i++; /* the closing quote */
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    int same_line = sm->line == em->line;
    if (i < len && s[i] == ':' && same_line) {
        if (i - a > 1024)
            return syntax_error_at(lo, i, "the ':' of a key in a flow collection is more than 1024 characters after "
                                     "the key's start (PyYAML's limit for implicit keys); hint: write `? key`");
        return 0;
    }
    /* past line ends and comments: a ':' there is PyYAML's error */
    for (;;) {
        while (i < len && blank_at(s, len, i))
            i++;
        if (i < len && s[i] == '#') {
            while (i < len && s[i] != '\n' && s[i] != '\r')
                i++;
            continue;
        }
        break;
    }
    if (i < len && s[i] == ':')
        return syntax_error_at(lo, i, "a key in a flow collection must have its ':' on the line where it starts "
                                 "(PyYAML); hint: join the lines or write `? key`");
    return 0;
}

static int directive_name_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}

static int line_end_at(const char *s, size_t len, size_t i)
{
    return i >= len || s[i] == '\n' || s[i] == '\r';
}

/* The directives opening a stream, as PyYAML's scanner and parser check
 * them (libfyaml lets `%`, `%a:b`, `%TAG !foo bar` and `%YAML` through):
 * a name of letters, digits, '-' and '_'; `%YAML MAJOR.MINOR`; `%TAG
 * HANDLE PREFIX`; then a `---`, also at the end of the stream. s[i] is the '%'. */
static int check_directives(dcfg__yaml_loader *lo, size_t i)
{
    const char *s = lo->data;
    size_t len = lo->len;
    for (;;) {
        size_t j = i + 1, name = j;
        while (j < len && directive_name_char(s[j]))
            j++;
        if (j == name || !(j >= len || s[j] == ' ' || s[j] == '\n' || s[j] == '\r'))
            return syntax_error_at(lo, j, "expected a directive name of letters, digits, '-' or '_' after '%'");
        if (j - name == 4 && !memcmp(s + name, "YAML", 4)) {
            while (j < len && s[j] == ' ')
                j++;
            size_t d = j;
            unsigned major = 0;
            for (; j < len && s[j] >= '0' && s[j] <= '9'; j++)
                major = major > 9 ? 10 : major * 10 + (unsigned)(s[j] - '0');
            if (j == d || j >= len || s[j] != '.')
                return syntax_error_at(lo, j, "expected a version such as 1.1 after %YAML");
            if (major != 1)
                return syntax_error_at(lo, i, "found an incompatible YAML document (version 1.* is required)");
            d = ++j;
            while (j < len && s[j] >= '0' && s[j] <= '9')
                j++;
            if (j == d || !(line_end_at(s, len, j) || s[j] == ' '))
                return syntax_error_at(lo, j, "expected a version such as 1.1 after %YAML");
        } else if (j - name == 3 && !memcmp(s + name, "TAG", 3)) {
            while (j < len && s[j] == ' ')
                j++;
            if (j >= len || s[j] != '!')
                return syntax_error_at(lo, j, "expected a tag handle ('!', '!!' or '!name!') after %TAG");
            if (++j < len && s[j] != ' ') {
                while (j < len && directive_name_char(s[j]))
                    j++;
                if (j >= len || s[j] != '!')
                    return syntax_error_at(lo, j, "expected '!' to end the tag handle of %TAG");
                j++;
            }
            if (j >= len || s[j] != ' ')
                return syntax_error_at(lo, j, "expected a space after the tag handle of %TAG");
            while (j < len && s[j] == ' ')
                j++;
            if (line_end_at(s, len, j))
                return syntax_error_at(lo, j, "expected a tag prefix after the handle of %TAG");
            while (j < len && s[j] != ' ' && !line_end_at(s, len, j))
                j++;
        } else {
            while (!line_end_at(s, len, j))
                j++; /* other directives are ignored */
        }
        while (j < len && s[j] == ' ')
            j++;
        if (j < len && s[j] == '#')
            while (!line_end_at(s, len, j))
                j++;
        if (!line_end_at(s, len, j))
            return syntax_error_at(lo, j, "expected a comment or a line break after the directive");
        /* the next line that is not blank or a comment */
        for (;;) {
            while (j < len && s[j] != '\n')
                j++;
            if (j >= len) /* PyYAML's parser wants a document after directives, even at the end */
                return syntax_error_at(lo, j, "expected '<document start>' (a `---` line) after the directives, "
                                              "but found the end of the stream");
            i = ++j;
            while (j < len && s[j] == ' ')
                j++;
            if (j < len && s[j] == '#')
                continue;
            if (!line_end_at(s, len, j))
                break;
            if (j >= len)
                return syntax_error_at(lo, j, "expected '<document start>' (a `---` line) after the directives, "
                                              "but found the end of the stream");
        }
        if (s[i] != '%' || j != i)
            break;
    }
    if (len - i >= 3 && !memcmp(s + i, "---", 3) && blank_at(s, len, i + 3))
        return 0;
    return syntax_error_at(lo, i, "expected '<document start>' (a `---` line) after the directives");
}

/* PyYAML opens an implicit document at a stream's first token, so a `...`
 * before any content is a document end where a node must come (libfyaml
 * reads an empty stream). Comments, blank lines and a BOM may precede it. */
int dcfg__yaml_check_stream_start(dcfg__yaml_loader *lo)
{
    const char *s = lo->data;
    size_t len = lo->len, i = len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] == ' ')
            j++;
        if (j < len && s[j] == '#') {
            while (j < len && s[j] != '\n')
                j++;
        }
        if (j < len && (s[j] == '\n' || s[j] == '\r')) {
            i = j + 1;
            continue;
        }
        if (j >= len)
            return 0;
        if (j == i && len - i >= 3 && !memcmp(s + i, "...", 3) && blank_at(s, len, i + 3))
            return syntax_error_at(lo, i, "expected the node content, but found '<document end>' (a `...` "
                                          "before any content)");
        if (j == i && s[i] == '%')
            return check_directives(lo, i);
        return 0;
    }
    return 0;
}
