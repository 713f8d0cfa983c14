/* Diagnostics of the YAML reader in PyYAML's terms: the messages of its
 * scanner, parser and constructor errors, positions as PyYAML's marks give
 * them (1-based, at the offending token rather than where libfyaml noticed),
 * the user path of the node being built, and the node and text budgets. */
#include "read/yaml_loader.h"

void dcfg__yaml_fail(dcfg__yaml_loader *lo, dcfg_status st)
{
    if (lo->status == DCFG_OK)
        lo->status = st;
}

void dcfg__yaml_add_diag(dcfg__yaml_loader *lo, dcfg_severity sev, dcfg_diag_code code, const char *path,
                     unsigned line, unsigned col, unsigned rl, unsigned rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dcfg__diag_vadd(lo->ld->diags, sev, code, path, line, col, rl, rc, fmt, ap);
    va_end(ap);
}

/* Appends s[0..len) for a message: quoted, escaped, shortened. */
void dcfg__yaml_put_quoted(dcfg__buf *b, const char *s, size_t len)
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

const char *dcfg__yaml_kind_name(const dcfg__node *n)
{
    switch ((dcfg__ntype)n->type) {
    case DCFG__MAP: return "mapping";
    case DCFG__SEQ: return "sequence";
    default: return "scalar";
    }
}

/* Key as written, for paths and messages. */
void dcfg__yaml_put_key(dcfg__buf *b, const dcfg__node *k, int quote)
{
    if (k->type == DCFG__STR && quote)
        dcfg__yaml_put_quoted(b, k->str, k->len);
    else if (k->str && k->type != DCFG__MAP && k->type != DCFG__SEQ)
        dcfg__buf_putn(b, k->str, k->len);
    else if (k->type == DCFG__NULL)
        dcfg__buf_puts(b, "null");
    else
        dcfg__buf_puts(b, "?");
}

static void path_seg(dcfg__yaml_loader *lo, dcfg__buf *b, const dcfg__yaml_frame *f, size_t count)
{
    if (f->kind == DCFG__SEQ) {
        dcfg__buf_printf(b, "[%zu]", count);
    } else if (count % 2 == 1) {
        if (b->len)
            dcfg__buf_putc(b, '.');
        dcfg__yaml_put_key(b, lo->items[f->base + count - 1], 0);
    }
}

/* User path of the innermost open collection; with `pending`, of the next
 * child to be added to it. Caller frees with dcfg__free. NULL on OOM. */
char *dcfg__yaml_make_path(dcfg__yaml_loader *lo, int pending)
{
    dcfg__buf b;
    dcfg__buf_init(&b, lo->al);
    dcfg__buf_puts(&b, "");
    for (size_t i = 1; i < lo->nframes; i++)
        path_seg(lo, &b, &lo->frames[i - 1], lo->frames[i].base - lo->frames[i - 1].base);
    if (pending && lo->nframes) {
        const dcfg__yaml_frame *top = &lo->frames[lo->nframes - 1];
        path_seg(lo, &b, top, lo->nitems - top->base);
    }
    return dcfg__buf_take(&b);
}

/* A construction error (PyYAML would raise) at a node, with the path of the pending child. */
void dcfg__yaml_construct_error(dcfg__yaml_loader *lo, unsigned line, unsigned col, int pending, const char *fmt, ...)
{
    char *path = dcfg__yaml_make_path(lo, pending);
    va_list ap;
    va_start(ap, fmt);
    dcfg__diag_vadd(lo->ld->diags, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, path ? path : "", line, col, 0, 0,
                    fmt, ap);
    va_end(ap);
    dcfg__free(lo->al, path);
    dcfg__yaml_fail(lo, path ? DCFG_ESYNTAX : DCFG_ENOMEM);
}

void dcfg__yaml_limit_error(dcfg__yaml_loader *lo, unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dcfg__diag_vadd(lo->ld->diags, DCFG_SEVERITY_ERROR, DCFG_DIAG_LIMIT, "", line, col, 0, 0, fmt, ap);
    va_end(ap);
    dcfg__yaml_fail(lo, DCFG_ELIMIT);
}

/* Adds n nodes to the budget; 0, or -1 after reporting. */
int dcfg__yaml_budget(dcfg__yaml_loader *lo, size_t n, unsigned line, unsigned col)
{
    size_t max = lo->ld->limits.max_nodes;
    if (max && (n > max || lo->count > max - n)) {
        dcfg__yaml_limit_error(lo, line, col, "alias expansion / document too large: more than %zu nodes", max);
        return -1;
    }
    lo->count += n;
    return 0;
}

/* Adds n bytes of scalar text to the budget. Without aliases the text never
 * exceeds the input, so the input limit also bounds what aliases expand to
 * (a 1 MiB string aliased 100000 times must not become 100 GB of output). */
int dcfg__yaml_budget_bytes(dcfg__yaml_loader *lo, size_t n, unsigned line, unsigned col)
{
    size_t max = lo->ld->limits.max_input_bytes;
    if (max && (n > max || lo->bytes > max - n)) {
        dcfg__yaml_limit_error(lo, line, col, "alias expansion / document too large: more than %zu bytes of text", max);
        return -1;
    }
    lo->bytes += n;
    return 0;
}

/* ---- positions ---- */

void dcfg__yaml_advance_mark(const char *data, size_t from, size_t to, unsigned *line, unsigned *col)
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
size_t dcfg__yaml_find_block_indicator(const char *s, size_t from, size_t to)
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

/* The input ends in a line break (LF, CR, NEL, LS or PS: PyYAML's breaks). */
static int ends_in_break(const char *s, size_t len)
{
    for (size_t k = 1; k <= 3 && k <= len; k++)
        if (dcfg__yaml_break_len((const unsigned char *)s, len, len - k) == k)
            return 1;
    return 0;
}

/* Length of a block scalar's text once its final line breaks are what PyYAML
 * makes of the source, for a scalar that runs to the end of an input without
 * a final line break: libfyaml adds a break there that the input does not have.
 * Clip keeps one break when the last content line has one, keep all breaks
 * after the last content line, strip none. */
size_t dcfg__yaml_block_eof_len(dcfg__yaml_loader *lo, struct fy_event *e, const char *text, size_t len)
{
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    const char *s = lo->data;
    if (lo->json || !sm || !em || !lo->have_prev || em->input_pos < lo->len || !lo->len || ends_in_break(s, lo->len) ||
        sm->input_pos > lo->len || lo->prev_pos >= sm->input_pos)
        return len;
    size_t at = dcfg__yaml_find_block_indicator(s, lo->prev_pos, sm->input_pos);
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
void dcfg__yaml_event_pos(dcfg__yaml_loader *lo, struct fy_event *e, unsigned *line, unsigned *col)
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
        size_t at = dcfg__yaml_find_block_indicator(lo->data, lo->prev_pos, m->input_pos);
        if (at < m->input_pos) {
            unsigned l = lo->prev_line, c = lo->prev_col;
            dcfg__yaml_advance_mark(lo->data, lo->prev_pos, at, &l, &c);
            *line = l + 1;
            *col = c + 1;
        }
    }
}

/* ---- libfyaml errors ---- */

static void hint_for(dcfg__yaml_loader *lo, const struct fy_diag_error *de, dcfg__buf *b)
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

/* 1-based line and column of byte offset `pos`, which lies after the previous event. */
static void pos_after_prev(const dcfg__yaml_loader *lo, size_t pos, unsigned *line, unsigned *col)
{
    size_t from = 0;
    *line = *col = 0;
    if (lo->have_prev) {
        from = lo->prev_pos;
        *line = lo->prev_line;
        *col = lo->prev_col;
    } else if (lo->len >= 3 && !memcmp(lo->data, "\xEF\xBB\xBF", 3)) {
        from = 3;
    }
    dcfg__yaml_advance_mark(lo->data, from, pos, line, col);
    (*line)++;
    (*col)++;
}

/* libfyaml 0.7.12 stops without a message at a block scalar's indentation
 * indicator 0 (`|0`, `>-0`); PyYAML names it, at the digit. Its offset after
 * the last event, or (size_t)-1. */
static size_t zero_indentation_indicator(const dcfg__yaml_loader *lo)
{
    size_t at = dcfg__yaml_find_block_indicator(lo->data, lo->have_prev ? lo->prev_pos : 0, lo->len);
    for (size_t i = at + 1; i < lo->len && i <= at + 2; i++) {
        if (lo->data[i] == '0')
            return i;
        if (lo->data[i] != '+' && lo->data[i] != '-')
            break;
    }
    return (size_t)-1;
}

void dcfg__yaml_report_parser_errors(dcfg__yaml_loader *lo, struct fy_diag *diag)
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
            dcfg__yaml_fail(lo, DCFG_ENOMEM);
        else
            dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", de->line > 0 ? (unsigned)de->line : 0,
                                de->column > 0 ? (unsigned)de->column : 0, 0, 0, "%s", b.p);
        dcfg__buf_free(&b);
        any = 1;
    }
    if (!any) {
        /* no message from libfyaml: say what PyYAML says where it can be told,
         * else point just past the last event read */
        size_t zero = lo->json ? (size_t)-1 : zero_indentation_indicator(lo);
        size_t at = zero != (size_t)-1 ? zero : lo->have_prev ? lo->prev_pos : 0;
        unsigned line, col;
        pos_after_prev(lo, at, &line, &col);
        dcfg__yaml_add_diag(lo, DCFG_SEVERITY_ERROR, DCFG_DIAG_SYNTAX, "", line, col, 0, 0, "%s",
                            zero != (size_t)-1 ? "expected an indentation indicator in the range 1-9, but found 0"
                            : lo->json ? "invalid JSON" : "invalid YAML");
    }
    dcfg__yaml_fail(lo, DCFG_ESYNTAX);
}
