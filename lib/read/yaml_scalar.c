/* Scalars as PyYAML's scanner and SafeConstructor see them: the text of
 * every style (quoted scalars come from yaml_quoted.c, block scalars at the
 * end of the input are trimmed where libfyaml 0.7.12 gets them wrong, and
 * block scalars it ends before their text or refuses when empty are read from
 * the source as scan_block_scalar reads them), explicit tags (!!str, !!int,
 * !!binary, ...), and the constructor errors PyYAML raises for them. */
#include "read/yaml_loader.h"

static void res_error(dcfg__yaml_loader *lo, dcfg__yaml_res r, const dcfg__node *n, unsigned line, unsigned col,
                      const char *what)
{
    dcfg__buf b;
    dcfg__buf_init(&b, lo->al);
    dcfg__yaml_put_quoted(&b, n->str, n->len);
    const char *q = b.oom ? "" : b.p;
    if (b.oom)
        r = DCFG__RES_NOMEM;
    switch (r) {
    case DCFG__RES_NOMEM: dcfg__yaml_fail(lo, DCFG_ENOMEM); break;
    case DCFG__RES_TOO_BIG:
        dcfg__yaml_construct_error(lo, line, col, 1, "integer %s has more than %d digits", q, DCFG__MAX_INT_DIGITS);
        break;
    case DCFG__RES_BAD_TIMESTAMP:
        dcfg__yaml_construct_error(lo, line, col, 1, "invalid date/time %s", q);
        break;
    case DCFG__RES_NO_CONSTRUCTOR:
        dcfg__yaml_no_constructor(lo, line, col, n->str[0] == '<' ? YAML_TAG "merge" : YAML_TAG "value",
                                  n->str[0] == '<' ? sizeof YAML_TAG "merge" - 1 : sizeof YAML_TAG "value" - 1);
        break;
    default:
        dcfg__yaml_construct_error(lo, line, col, 1, "cannot convert %s to %s", q, what);
        break;
    }
    dcfg__buf_free(&b);
}

static int on_scalar_text(dcfg__yaml_loader *lo, struct fy_event *e, const dcfg__yaml_block *blk, size_t at,
                          const char *text, size_t len, unsigned line, unsigned col);

/* ---- block scalars libfyaml ends before their text ----
 *
 * libfyaml 0.7.12 gives a block scalar whose indicator is not on the line of
 * its collection's last `-`, `?` or `:` (properties first, `!!int |` as a
 * document; or the value on the line below its key) an indentation of the
 * indicator's column, so text indented less ends it at once: an empty
 * scalar, then "missing document start" or a stray value. PyYAML only wants
 * the text indented past the enclosing collection. Such a scalar is read
 * here as scan_block_scalar reads it, and libfyaml reads a copy of the input
 * where it is a double-quoted scalar of the same extent (yaml_load.c). */

static size_t blen(const char *s, size_t n, size_t i)
{
    return i < n ? dcfg__yaml_break_len((const unsigned char *)s, n, i) : 0;
}

/* The end of the line from i: its first line break (its length in *k), or n
 * (*k 0). Only bytes that can start a break are tested. */
static size_t line_end(const char *s, size_t n, size_t i, size_t *k)
{
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c == '\n' || c == '\r' || c == 0xC2 || c == 0xE2) && (*k = blen(s, n, i)) != 0)
            return i;
    }
    *k = 0;
    return n;
}

/* scan_line_break into b: LS and PS stay themselves, the others become LF. */
static void put_line_break(dcfg__buf *b, const char *s, size_t i, size_t k)
{
    if (!b)
        return;
    if (k == 3)
        dcfg__buf_putn(b, s + i, 3);
    else
        dcfg__buf_putc(b, '\n');
}

/* scan_block_scalar_breaks: the indentation up to `indent` and the line
 * breaks of blank lines (into br); *col is the column reached. */
static size_t block_breaks(const char *s, size_t n, size_t i, size_t indent, size_t *col, dcfg__buf *br)
{
    while (*col < indent && i < n && s[i] == ' ') {
        i++;
        (*col)++;
    }
    for (size_t k; (k = blen(s, n, i)) != 0;) {
        put_line_break(br, s, i, k);
        i += k;
        *col = 0;
        while (*col < indent && i < n && s[i] == ' ') {
            i++;
            (*col)++;
        }
    }
    return i;
}

/* PyYAML's scan_block_scalar over s[at..n) (s[at] is `|` or `>`), with its
 * minimum indentation (the enclosing block collection's column + 1, at least
 * 1): the extent into *blk, the text into b when b is not NULL. 0 on a header
 * PyYAML refuses, 1 otherwise; the caller checks b for running out of memory. */
int dcfg__yaml_block_text(const char *s, size_t n, size_t at, size_t min_indent, dcfg__buf *b,
                          dcfg__yaml_block *blk)
{
    size_t i = at + 1, increment = 0, indent, col = 0;
    char chomp = 0; /* '+' keep, '-' strip, 0 clip */
    blk->folded = s[at] == '>';
    blk->text_start = (size_t)-1;
    blk->blank_close = (size_t)-1;
    blk->text_end = at + 1;
    int digit_seen = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) {
        chomp = s[i++];
        if (i < n && is_digit((unsigned char)s[i])) {
            digit_seen = 1;
            increment = (size_t)(s[i++] - '0');
        }
    } else if (i < n && is_digit((unsigned char)s[i])) {
        digit_seen = 1;
        increment = (size_t)(s[i++] - '0');
        if (i < n && (s[i] == '+' || s[i] == '-'))
            chomp = s[i++];
    }
    if ((digit_seen && !increment) || (i < n && s[i] != ' ' && !blen(s, n, i)))
        return 0; /* indentation indicator 0, or no blank after the indicators */
    while (i < n && s[i] == ' ')
        i++;
    if (i < n && s[i] == '#')
        while (i < n && !blen(s, n, i))
            i++;
    if (i < n && !blen(s, n, i))
        return 0;
    i += blen(s, n, i);
    blk->header_end = i;

    dcfg__buf brk, *br = NULL; /* the breaks of the blank lines before a text line */
    memset(&brk, 0, sizeof brk);
    if (b) {
        dcfg__buf_init(&brk, b->al);
        br = &brk;
    }
    if (!increment) { /* scan_block_scalar_indentation */
        size_t max_indent = 0;
        for (size_t k = 0; i < n && (s[i] == ' ' || (k = blen(s, n, i)) != 0);) {
            if (s[i] == ' ') {
                i++;
                if (++col > max_indent)
                    max_indent = col;
            } else {
                if (col)
                    blk->blank_close = i - 1;
                put_line_break(br, s, i, k);
                i += k;
                col = 0;
            }
        }
        indent = max_indent > min_indent ? max_indent : min_indent;
    } else {
        indent = min_indent + increment - 1;
        i = block_breaks(s, n, i, indent, &col, br);
    }
    size_t lb = 0, lb_at = 0; /* the last text line's break */
    while (col == indent && i < n) {
        if (b)
            dcfg__buf_putn(b, brk.p ? brk.p : "", brk.len);
        int leading_non_space = s[i] != ' ' && s[i] != '\t';
        size_t j = line_end(s, n, i, &lb);
        if (blk->text_start == (size_t)-1)
            blk->text_start = i;
        if (b)
            dcfg__buf_putn(b, s + i, j - i);
        blk->text_end = j;
        lb_at = j;
        i = j + lb;
        col = 0;
        if (br)
            dcfg__buf_truncate(br, 0);
        i = block_breaks(s, n, i, indent, &col, br);
        if (col != indent || i >= n)
            break;
        if (blk->folded && lb && lb != 3 && leading_non_space && s[i] != ' ' && s[i] != '\t') {
            if (b && !brk.len)
                dcfg__buf_putc(b, ' ');
        } else if (lb) {
            put_line_break(b, s, lb_at, lb);
        }
    }
    if (chomp != '-' && lb)
        put_line_break(b, s, lb_at, lb);
    if (chomp == '+' && b)
        dcfg__buf_putn(b, brk.p ? brk.p : "", brk.len);
    if (b) {
        if (brk.oom)
            b->oom = 1;
        dcfg__buf_free(&brk);
    }
    return 1;
}

/* The copy libfyaml reads: the block scalar at `at` as a double-quoted scalar
 * over the same bytes (line breaks kept, so lines and offsets stay). */
void dcfg__yaml_block_rewrite(char *copy, const char *s, size_t n, size_t at, size_t min_indent)
{
    dcfg__yaml_block blk;
    if (!dcfg__yaml_block_text(s, n, at, min_indent, NULL, &blk) || blk.text_start == (size_t)-1)
        return;
    copy[at] = '"';
    for (size_t i = at + 1; i < blk.header_end; i++)
        if (!blen(s, n, i))
            copy[i] = ' ';
        else
            i += blen(s, n, i) - 1;
    for (size_t i = blk.header_end; i < blk.text_end; i++) {
        size_t k = blen(s, n, i);
        if (k)
            i += k - 1;
        else if (s[i] != ' ')
            copy[i] = 'x';
    }
    copy[blk.text_end - 1] = '"';
}

/* libfyaml refuses an empty block scalar whose spaces-only lines are
 * followed by a comment indented less than them ("empty block scalar with
 * wrongly indented comment line after spaces only"); PyYAML reads "" and a
 * comment. The copy gets a double-quoted scalar from the indicator to the
 * last space of those lines. line_start: the header line. */
void dcfg__yaml_empty_block_rewrite(char *copy, const char *s, size_t n, size_t line_start)
{
    size_t end = line_start;
    while (end < n && !blen(s, n, end))
        end++;
    for (size_t at = line_start; at < end; at++) {
        if ((s[at] != '|' && s[at] != '>') || (at > line_start && s[at - 1] != ' '))
            continue;
        dcfg__yaml_block blk;
        if (!dcfg__yaml_block_text(s, n, at, 1, NULL, &blk) || blk.header_end != end + blen(s, n, end))
            continue; /* not a header that ends the line (a `|` inside a quoted key) */
        if (blk.text_start != (size_t)-1 || blk.blank_close == (size_t)-1)
            return;
        copy[at] = '"';
        for (size_t i = at + 1; i < end; i++)
            copy[i] = ' ';
        copy[blk.blank_close] = '"';
        return;
    }
}

/* PyYAML's minimum indentation for a block scalar here; 0 in a flow collection. */
static size_t block_min_indent(const dcfg__yaml_loader *lo)
{
    if (!lo->nframes)
        return 1;
    const dcfg__yaml_frame *top = &lo->frames[lo->nframes - 1];
    return top->block ? (top->col > 1 ? top->col : 1) : 0;
}

/* A block scalar event in a block collection or as the document, read from
 * the source as scan_block_scalar reads it, which saves libfyaml's chunk
 * iterator: 1 with the text in b, NUL-terminated; 0 when left to libfyaml
 * (in a flow collection, or a header PyYAML refuses); -1 after an error,
 * which is also what happens when libfyaml ended the scalar before the text
 * PyYAML reads (the rewrite is asked for). */
static int block_from_source(dcfg__yaml_loader *lo, struct fy_event *e, dcfg__buf *b)
{
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    size_t min_indent = block_min_indent(lo);
    if (lo->json || !lo->edits || !sm || !em || !min_indent || sm->input_pos > lo->len)
        return 0;
    size_t at = dcfg__yaml_find_block_indicator(lo->data, lo->have_prev ? lo->prev_pos : 0, sm->input_pos);
    dcfg__yaml_block blk;
    dcfg__buf_truncate(b, 0);
    if (at >= sm->input_pos || !dcfg__yaml_block_text(lo->data, lo->len, at, min_indent, b, &blk))
        return 0;
    dcfg__buf_putc(b, '\0');
    if (b->oom) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    if (blk.text_start == (size_t)-1 || em->input_pos > blk.text_start)
        return 1;
    dcfg__yaml_edits *ed = lo->edits;
    for (size_t k = 0; k < ed->n; k++)
        if (ed->at[k] == at)
            return 0; /* rewritten already: libfyaml's answer stands */
    unsigned line = (unsigned)sm->line + 1;
    if (ed->n >= DCFG__MAX_BLOCK_EDITS) {
        /* each one costs a reading of the whole input: bounded */
        dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, 1, 0, 0,
                            "more than %d block scalars with text indented less than their `|`/`>` indicator "
                            "(not supported); hint: indent the text at least as far as the indicator",
                            DCFG__MAX_BLOCK_EDITS);
    } else {
        ed->at[ed->n] = at;
        ed->min_indent[ed->n] = min_indent;
        ed->n++;
        ed->want = 1; /* this diagnostic is dropped when the input is read again */
        dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, 1, 0, 0,
                            "block scalar text indented less than its indicator");
    }
    dcfg__yaml_fail(lo, DCFG_ESYNTAX);
    return -1;
}

/* A double-quoted scalar event that is a rewritten block scalar: read it. */
static int on_rewritten_block(dcfg__yaml_loader *lo, struct fy_event *e, size_t at)
{
    dcfg__yaml_block blk;
    dcfg__buf_truncate(&lo->text, 0);
    if (!dcfg__yaml_block_text(lo->data, lo->len, at, block_min_indent(lo), &lo->text, &blk))
        return 0;
    dcfg__buf_putc(&lo->text, '\0');
    if (lo->text.oom) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    /* the node starts at its indicator, the opening quote of the copy */
    const struct fy_mark *sm = fy_event_start_mark(e);
    unsigned line = (unsigned)sm->line + 1, col = sm->column > 0 ? (unsigned)sm->column : 1;
    return on_scalar_text(lo, e, &blk, at, lo->text.p, lo->text.len - 1, line, col);
}

/* A scalar's text, chunk by chunk. fy_token_get_text() of libfyaml 0.7.12
 * sizes its buffer by the scanner's estimate, which is wrong for some
 * malformed block scalars: the text then ends in uninitialized bytes. */
static int token_text(dcfg__yaml_loader *lo, struct fy_token *t, dcfg__buf *b)
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


/* !!binary: PyYAML encodes the scalar as ASCII and decodes it with
 * base64.decodebytes, which skips characters outside the alphabet and stops
 * at the padding that completes a quad (binascii.a2b_base64, not strict). */
static int construct_binary(dcfg__yaml_loader *lo, dcfg__node *n, const char *text, size_t len, unsigned line,
                            unsigned col)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80) {
            dcfg__yaml_construct_error(lo, line, col, 1, "failed to convert base64 data into ascii: "
                                                         "a non-ASCII character in a !!binary scalar");
            return -1;
        }
    unsigned char *out = dcfg__arena_alloc(lo->ld->arena, len / 4 * 3 + 3);
    if (!out) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    size_t k = 0, data = 0;
    unsigned quad = 0, pads = 0, left = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '=') {
            if (quad >= 2 && quad + ++pads >= 4)
                goto done;
            continue;
        }
        int v = ch >= 'A' && ch <= 'Z' ? ch - 'A' : ch >= 'a' && ch <= 'z' ? ch - 'a' + 26
              : ch >= '0' && ch <= '9' ? ch - '0' + 52 : ch == '+' ? 62 : ch == '/' ? 63 : -1;
        if (v < 0)
            continue;
        pads = 0;
        data++;
        switch (quad) {
        case 0: left = (unsigned)v; break;
        case 1: out[k++] = (unsigned char)(left << 2 | (unsigned)v >> 4); left = (unsigned)v & 0x0f; break;
        case 2: out[k++] = (unsigned char)(left << 4 | (unsigned)v >> 2); left = (unsigned)v & 0x03; break;
        default: out[k++] = (unsigned char)(left << 6 | (unsigned)v); break;
        }
        quad = (quad + 1) & 3;
    }
    if (quad) {
        if (quad == 1)
            dcfg__yaml_construct_error(lo, line, col, 1, "failed to decode base64 data: Invalid base64-encoded string: "
                                       "number of data characters (%zu) cannot be 1 more than a multiple of 4", data);
        else
            dcfg__yaml_construct_error(lo, line, col, 1, "failed to decode base64 data: Incorrect padding");
        return -1;
    }
done:
    out[k] = '\0';
    n->type = DCFG__STR;
    n->str = (const char *)out;
    n->len = k;
    n->flags = DCFG__NF_BINARY;
    return 0;
}

/* scan_plain's folding of the source s[a..b) (no comments inside): a line
 * break and the spaces around it become a space, or the breaks of the
 * blank lines after it; LS and PS stay. Line by line, not byte by byte. */
static void plain_fold(const char *s, size_t a, size_t b, dcfg__buf *out)
{
    for (size_t i = a, k; i < b;) {
        size_t at = line_end(s, b, i, &k), end = at;
        if (!k) {
            dcfg__buf_putn(out, s + i, b - i);
            return;
        }
        while (end > i && s[end - 1] == ' ')
            end--;
        dcfg__buf_putn(out, s + i, end - i);
        if (k == 3)
            dcfg__buf_putn(out, s + at, 3);
        int blank_lines = 0;
        size_t j = at + k;
        for (size_t m;; j += m) {
            while (j < b && s[j] == ' ')
                j++;
            if (!(m = j < b ? blen(s, b, j) : 0))
                break;
            if (m == 3)
                dcfg__buf_putn(out, s + j, 3);
            else
                dcfg__buf_putc(out, '\n');
            blank_lines = 1;
        }
        if (k != 3 && !blank_lines)
            dcfg__buf_putc(out, ' ');
        i = j;
    }
}

/* A plain scalar's text from the source, which saves libfyaml's chunk
 * iterator: one on a single line is its text, a longer one is folded as
 * scan_plain folds it. The source is also the truth where the copy libfyaml
 * reads has a letter for a line's `-`, `:` or '%' (yaml_load.c,
 * yaml_percent.c). 1 with the text in *text and *len (NUL-terminated only
 * when folded), 0 for another style, -1 when out of memory. */
static int plain_text(dcfg__yaml_loader *lo, struct fy_event *e, const char **text, size_t *len)
{
    if (fy_token_scalar_style(e->scalar.value) != FYSS_PLAIN)
        return 0;
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    if (!sm || !em || em->input_pos < sm->input_pos || em->input_pos > lo->len)
        return 0;
    size_t a = sm->input_pos, z = em->input_pos, n = z - a;
    const char *s = lo->data + a;
    int breaks = memchr(s, '\n', n) || (lo->has_cr && memchr(s, '\r', n));
    /* NEL, LS and PS break lines in YAML 1.1 as well */
    if (!breaks && lo->has_unicode_break) {
        const char *end = s + n;
        for (const char *p = s; !breaks && (p = memchr(p, 0xC2, (size_t)(end - p))) != NULL; p++)
            breaks = p + 1 < end && (unsigned char)p[1] == 0x85;
        for (const char *p = s; !breaks && (p = memchr(p, 0xE2, (size_t)(end - p))) != NULL; p++)
            breaks = p + 2 < end && (unsigned char)p[1] == 0x80 && ((unsigned char)p[2] & 0xFE) == 0xA8;
    }
    if (!breaks) {
        *text = s;
        *len = n;
        return 1;
    }
    dcfg__buf_truncate(&lo->text, 0);
    plain_fold(lo->data, a, z, &lo->text);
    dcfg__buf_putc(&lo->text, '\0');
    if (lo->text.oom) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    *text = lo->text.p;
    *len = lo->text.len - 1;
    return 1;
}

int dcfg__yaml_on_scalar(dcfg__yaml_loader *lo, struct fy_event *e)
{
    unsigned line, col;
    dcfg__yaml_event_pos(lo, e, &line, &col);
    if (lo->renamed) { /* an empty plain scalar with an anchor, `""` in the copy (yaml_names.c) */
        line = lo->src_anchor_line;
        col = lo->src_anchor_col;
        return on_scalar_text(lo, e, NULL, 0, "", 0, line, col);
    }
    if (lo->npct && dcfg__yaml_percent_scalar(lo, e)) /* over a line starting with '%' */
        return -1;
    const char *text;
    size_t len;
    int r = plain_text(lo, e, &text, &len);
    if (r)
        return r < 0 ? -1 : on_scalar_text(lo, e, NULL, 0, text, len, line, col);
    enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
    const struct fy_mark *sm = fy_event_start_mark(e);
    if (style == FYSS_DOUBLE_QUOTED && lo->edits && (lo->edits->n || lo->edits->nempty) && sm && sm->input_pos > 0 &&
        sm->input_pos <= lo->len && (lo->data[sm->input_pos - 1] == '|' || lo->data[sm->input_pos - 1] == '>'))
        return on_rewritten_block(lo, e, sm->input_pos - 1);
    if (style == FYSS_LITERAL || style == FYSS_FOLDED) {
        r = block_from_source(lo, e, &lo->text);
        if (r)
            return r < 0 ? -1 : on_scalar_text(lo, e, NULL, 0, lo->text.p, lo->text.len - 1, line, col);
    }
    dcfg__buf_truncate(&lo->text, 0);
    int got = dcfg__yaml_quoted_text(lo, e, &lo->text); /* quoted styles: from the source */
    if (!got)
        got = token_text(lo, e->scalar.value, &lo->text);
    if (got < 0) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    return on_scalar_text(lo, e, NULL, 0, lo->text.p, lo->text.len - 1, line, col);
}

/* blk: a block scalar read from the source (indicator at `at`), NULL for
 * text libfyaml read. */
static int on_scalar_text(dcfg__yaml_loader *lo, struct fy_event *e, const dcfg__yaml_block *blk, size_t at,
                          const char *text, size_t len, unsigned line, unsigned col)
{
    const struct fy_mark *sm = fy_event_start_mark(e);
    size_t maxs = lo->ld->limits.max_string_bytes;
    if (maxs && len > maxs) {
        dcfg__yaml_limit_error(lo, line, col, "scalar of %zu bytes exceeds the limit of %zu bytes", len, maxs);
        return -1;
    }
    enum fy_scalar_style style = lo->renamed ? FYSS_PLAIN : fy_token_scalar_style(e->scalar.value);
    if (blk) {
        style = blk->folded ? FYSS_FOLDED : FYSS_LITERAL;
        if (dcfg__yaml_tab_skip_block(lo, at, blk->header_end, blk->text_end))
            return -1;
    } else if (style == FYSS_LITERAL || style == FYSS_FOLDED) {
        len = dcfg__yaml_block_eof_len(lo, e, text, len);
    }
    if (style == FYSS_PLAIN && len == 0 && !sm && !lo->nframes) {
        line = 1; /* empty document */
        col = 1;
    }
    if (!lo->json && !blk && style != FYSS_PLAIN && dcfg__yaml_tab_skip_scalar(lo, e))
        return -1;
    if (style == FYSS_PLAIN && len == 0 && !sm && dcfg__yaml_in_key_position(lo) &&
        !fy_event_get_tag_token(e) && !fy_event_get_anchor_token(e) && dcfg__yaml_empty_implicit_key(lo))
        return -1;
    if (sm && dcfg__yaml_check_value_indent(lo, line, col, 0))
        return -1;
    if (sm && !lo->json) {
        size_t pos = sm->input_pos;
        if (style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED || lo->renamed)
            pos = pos ? pos - 1 : 0; /* the mark is on the content; the node starts at its quote */
        if (style != FYSS_LITERAL && style != FYSS_FOLDED && dcfg__yaml_check_item_indent(lo, pos, col))
            return -1;
    }
    if (!blk && (style == FYSS_LITERAL || style == FYSS_FOLDED) && dcfg__yaml_check_block_indent(lo, e))
        return -1;
    int flow = dcfg__yaml_check_flow_scalar(lo, e, style == FYSS_PLAIN);
    if (flow < 0)
        return -1;
    if (flow == 1) {
        text++;
        len--;
    }
    if (dcfg__yaml_budget(lo, 1, line, col) || dcfg__yaml_budget_bytes(lo, len, line, col))
        return -1;

    dcfg__node *n = dcfg__mk_str(lo->ld->arena, text, len);
    if (!n) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    n->line = line;
    n->col = col;
    int key = dcfg__yaml_in_key_position(lo);
    int quoted = style != FYSS_PLAIN;
    size_t tlen, slen;
    const char *tag = lo->fake_tag ? NULL : dcfg__yaml_event_tag(e, &tlen); /* the copy's `!` (yaml_names.c) */
    dcfg__yaml_res r = DCFG__RES_OK;

    if (!tag) {
        if (quoted && !dcfg__yaml_event_has_bang_tag(e)) {
            n->flags = DCFG__NF_QUOTED;
        } else if (lo->json) {
            r = dcfg__yaml_resolve_json(n, lo->ld->arena);
        } else if (dcfg__yaml_text_is(text, len, "<<") && key) {
            n->flags = DCFG__NF_MERGE;
        } else if (dcfg__yaml_text_is(text, len, "=") && key) {
            /* flatten_mapping turns a `=` key into a string */
        } else {
            r = dcfg__yaml_resolve_plain(n, lo->ld->arena);
            if (r == DCFG__RES_OK && quoted && n->type == DCFG__STR)
                n->flags = (unsigned char)(n->flags | DCFG__NF_QUOTED);
        }
        if (r != DCFG__RES_OK) {
            res_error(lo, r, n, line, col, r == DCFG__RES_BAD_FLOAT ? "a float" : "an integer");
            return -1;
        }
    } else {
        const char *st = dcfg__yaml_std_tag(tag, tlen, &slen);
        dcfg__yaml_tag_pos(e, &line, &col); /* for errors; n keeps the value's position */
        if (!st) {
            dcfg__yaml_no_constructor(lo, line, col, tag, tlen);
            return -1;
        }
        if (dcfg__yaml_text_is(st, slen, "str")) {
            if (quoted)
                n->flags = DCFG__NF_QUOTED;
        } else if (dcfg__yaml_text_is(st, slen, "null")) {
            n->type = DCFG__NULL;
        } else if (dcfg__yaml_text_is(st, slen, "bool")) {
            char low[6];
            size_t k = 0;
            for (; k < len && k < 5; k++)
                low[k] = (char)((text[k] >= 'A' && text[k] <= 'Z') ? text[k] | 0x20 : text[k]);
            static const char *const t_words[] = { "yes", "true", "on", NULL };
            static const char *const f_words[] = { "no", "false", "off", NULL };
            if (len <= 5 && (dcfg__yaml_text_is_any(low, k, t_words) || dcfg__yaml_text_is_any(low, k, f_words))) {
                n->type = DCFG__BOOL;
                n->v.b = dcfg__yaml_text_is_any(low, k, t_words);
            } else {
                res_error(lo, DCFG__RES_BAD_BOOL, n, line, col, "a boolean (tag !!bool)");
                return -1;
            }
        } else if (dcfg__yaml_text_is(st, slen, "int")) {
            r = dcfg__yaml_apply_int(n, lo->ld->arena);
            if (r != DCFG__RES_OK) {
                res_error(lo, r, n, line, col, "an integer (tag !!int)");
                return -1;
            }
        } else if (dcfg__yaml_text_is(st, slen, "float")) {
            r = dcfg__yaml_apply_float(n, lo->ld->arena);
            if (r != DCFG__RES_OK) {
                res_error(lo, r, n, line, col, "a float (tag !!float)");
                return -1;
            }
        } else if (dcfg__yaml_text_is(st, slen, "timestamp")) {
            dcfg__yaml_tstamp ts;
            if (!dcfg__yaml_match_timestamp(text, len, &ts) || !dcfg__yaml_timestamp_valid(&ts)) {
                res_error(lo, DCFG__RES_BAD_TIMESTAMP, n, line, col, "a timestamp");
                return -1;
            }
            n->flags = DCFG__NF_TIMESTAMP;
        } else if (dcfg__yaml_text_is(st, slen, "merge") && key) {
            n->flags = DCFG__NF_MERGE;
        } else if (dcfg__yaml_text_is(st, slen, "value") && key) {
            /* a string key, as flatten_mapping makes it */
        } else if (dcfg__yaml_text_is_any(st, slen,
                                          (const char *const[]){ "map", "seq", "set", "omap", "pairs", NULL })) {
            int mapping = dcfg__yaml_text_is(st, slen, "map") || dcfg__yaml_text_is(st, slen, "set");
            dcfg__yaml_construct_error(lo, line, col, 1, "expected a %s node, but found scalar",
                                       mapping ? "mapping" : "sequence");
            return -1;
        } else if (dcfg__yaml_text_is(st, slen, "binary")) {
            if (construct_binary(lo, n, text, len, line, col))
                return -1;
        } else {
            dcfg__yaml_no_constructor(lo, line, col, tag, tlen);
            return -1;
        }
    }

    size_t slot =
        dcfg__yaml_anchor_define(lo, fy_event_get_anchor_token(e), n, fy_event_get_tag_token(e) && !lo->fake_tag);
    if (slot == DCFG__NO_ANCHOR - 1)
        return -1;
    return dcfg__yaml_add_child(lo, n, 0);
}
