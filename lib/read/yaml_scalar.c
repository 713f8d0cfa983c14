/* Scalars as PyYAML's scanner and SafeConstructor see them: the text of
 * every style (quoted scalars come from yaml_quoted.c, block scalars at the
 * end of the input are trimmed where libfyaml 0.7.12 gets them wrong), explicit
 * tags (!!str, !!int, !!binary, ...), and the constructor errors PyYAML
 * raises for them. */
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

static int on_scalar_text(dcfg__yaml_loader *lo, struct fy_event *e, const char *text, size_t len, unsigned line,
                          unsigned col);

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

/* A plain scalar on one line is its source text (folding only joins lines),
 * which saves libfyaml's chunk iterator on most scalars. */
static int plain_slice(const dcfg__yaml_loader *lo, struct fy_event *e, const char **text, size_t *len)
{
    if (fy_token_scalar_style(e->scalar.value) != FYSS_PLAIN)
        return 0;
    const struct fy_mark *sm = fy_event_start_mark(e), *em = fy_event_end_mark(e);
    if (!sm || !em || em->input_pos < sm->input_pos || em->input_pos > lo->len)
        return 0;
    const char *s = lo->fy_text + sm->input_pos;
    size_t n = em->input_pos - sm->input_pos;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n' || s[i] == '\r')
            return 0;
    *text = s;
    *len = n;
    return 1;
}

int dcfg__yaml_on_scalar(dcfg__yaml_loader *lo, struct fy_event *e)
{
    unsigned line, col;
    dcfg__yaml_event_pos(lo, e, &line, &col);
    const char *text;
    size_t len;
    if (plain_slice(lo, e, &text, &len))
        return on_scalar_text(lo, e, text, len, line, col);
    dcfg__buf_truncate(&lo->text, 0);
    int got = dcfg__yaml_quoted_text(lo, e, &lo->text); /* quoted styles: from the source */
    if (!got)
        got = token_text(lo, e->scalar.value, &lo->text);
    if (got < 0) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    return on_scalar_text(lo, e, lo->text.p, lo->text.len - 1, line, col);
}

static int on_scalar_text(dcfg__yaml_loader *lo, struct fy_event *e, const char *text, size_t len, unsigned line,
                          unsigned col)
{
    size_t maxs = lo->ld->limits.max_string_bytes;
    if (maxs && len > maxs) {
        dcfg__yaml_limit_error(lo, line, col, "scalar of %zu bytes exceeds the limit of %zu bytes", len, maxs);
        return -1;
    }
    enum fy_scalar_style style = fy_token_scalar_style(e->scalar.value);
    if (style == FYSS_LITERAL || style == FYSS_FOLDED)
        len = dcfg__yaml_block_eof_len(lo, e, text, len);
    if (style == FYSS_PLAIN && len == 0 && !fy_event_start_mark(e) && !lo->nframes) {
        line = 1; /* empty document */
        col = 1;
    }
    if (!lo->json && style != FYSS_PLAIN && dcfg__yaml_tab_skip_scalar(lo, e))
        return -1;
    if (style == FYSS_PLAIN && len == 0 && !fy_event_start_mark(e) && dcfg__yaml_in_key_position(lo) &&
        !fy_event_get_tag_token(e) && !fy_event_get_anchor_token(e) && dcfg__yaml_empty_implicit_key(lo))
        return -1;
    if (fy_event_start_mark(e) && dcfg__yaml_check_value_indent(lo, line, col, 0))
        return -1;
    if ((style == FYSS_LITERAL || style == FYSS_FOLDED) && dcfg__yaml_check_block_indent(lo, e))
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
    const char *tag = dcfg__yaml_event_tag(e, &tlen);
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
        } else if (dcfg__yaml_text_is(st, slen, "map") || dcfg__yaml_text_is(st, slen, "seq")) {
            dcfg__yaml_construct_error(lo, line, col, 1, "expected a %s node, but found scalar",
                                       st[0] == 'm' ? "mapping" : "sequence");
            return -1;
        } else if (dcfg__yaml_text_is(st, slen, "binary")) {
            dcfg__yaml_construct_error(lo, line, col, 1,
                                       "the tag !!binary is not supported in a service configuration");
            return -1;
        } else {
            dcfg__yaml_no_constructor(lo, line, col, tag, tlen);
            return -1;
        }
    }

    size_t slot = dcfg__yaml_anchor_define(lo, fy_event_get_anchor_token(e), n);
    if (slot == DCFG__NO_ANCHOR - 1)
        return -1;
    return dcfg__yaml_add_child(lo, n, 0);
}
