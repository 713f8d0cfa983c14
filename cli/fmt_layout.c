/* fmt: the original file's layout. libfyaml's scanner tells comments from a
 * '#' inside a scalar and finds the top-level keys of a block mapping; each
 * line is then classified as content, comment or blank. */
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>
#include "fmt.h"

void fmt_layout_free(fmt_layout *l)
{
    for (size_t i = 0; i < l->nkeys; i++)
        free(l->keys[i].name);
    free(l->keys);
    free(l->lines);
    memset(l, 0, sizeof *l);
}

typedef struct span {
    size_t a, b; /* [a, b) byte range of a token */
} span;

/* Scans the YAML with libfyaml: token ranges (to tell comments from '#' in
 * scalars) and the top-level keys of a block mapping. 0 ok, -1 cannot scan. */
static int scan(const char *data, size_t len, span **spans, size_t *nspans, fmt_layout *l)
{
    struct fy_parse_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.flags = FYPCF_QUIET;
    struct fy_parser *p = fy_parser_create(&cfg);
    if (!p || fy_parser_set_string(p, data, len)) {
        if (p)
            fy_parser_destroy(p);
        return -1;
    }
    size_t cap = 0, capk = 0;
    int depth = 0, root_block_map = 0, rc = 0, want_key = 0;
    struct fy_token *t;
    while ((t = fy_scan(p)) != NULL) {
        enum fy_token_type type = fy_token_get_type(t);
        const struct fy_mark *a = fy_token_start_mark(t), *b = fy_token_end_mark(t);
        if (type == FYTT_BLOCK_MAPPING_START || type == FYTT_BLOCK_SEQUENCE_START ||
            type == FYTT_FLOW_MAPPING_START || type == FYTT_FLOW_SEQUENCE_START) {
            if (depth == 0 && type == FYTT_BLOCK_MAPPING_START)
                root_block_map = 1;
            depth++;
        } else if (type == FYTT_BLOCK_END || type == FYTT_FLOW_MAPPING_END || type == FYTT_FLOW_SEQUENCE_END) {
            depth--;
        } else if (type == FYTT_KEY && depth == 1 && root_block_map && a) {
            want_key = 1;
            if (l->nkeys == capk) {
                capk = capk ? capk * 2 : 16;
                fmt_rootkey *k = realloc(l->keys, capk * sizeof *k);
                if (!k)
                    rc = -1;
                else
                    l->keys = k;
            }
            if (!rc) {
                l->keys[l->nkeys].name = NULL;
                l->keys[l->nkeys].line = (size_t)a->line;
                l->nkeys++;
            }
        } else if (type == FYTT_SCALAR && want_key) {
            size_t tl = 0;
            const char *text = fy_token_get_text(t, &tl);
            char *name = malloc(tl + 1);
            if (!name || !text) {
                free(name);
                rc = -1;
            } else {
                memcpy(name, text, tl);
                name[tl] = '\0';
                l->keys[l->nkeys - 1].name = name;
            }
        }
        if (type != FYTT_KEY)
            want_key = 0;
        if (type == FYTT_SCALAR || type == FYTT_ALIAS || type == FYTT_ANCHOR || type == FYTT_TAG ||
            type == FYTT_VERSION_DIRECTIVE || type == FYTT_TAG_DIRECTIVE) {
            if (a && b && b->input_pos > a->input_pos) {
                if (*nspans == cap) {
                    cap = cap ? cap * 2 : 64;
                    span *s = realloc(*spans, cap * sizeof *s);
                    if (!s)
                        rc = -1;
                    else
                        *spans = s;
                }
                if (!rc) {
                    (*spans)[*nspans].a = a->input_pos;
                    (*spans)[*nspans].b = b->input_pos;
                    (*nspans)++;
                }
            }
        }
        fy_scan_token_free(p, t);
        if (rc)
            break;
    }
    if (fy_parser_get_stream_error(p))
        rc = -1;
    fy_parser_destroy(p);
    for (size_t i = 0; i < l->nkeys; i++)
        if (!l->keys[i].name)
            rc = -1;
    if (!root_block_map)
        l->nkeys = 0;
    return rc;
}

static int in_spans(const span *s, size_t n, size_t pos)
{
    for (size_t i = 0; i < n; i++)
        if (pos >= s[i].a && pos < s[i].b)
            return 1;
    return 0;
}

static int hexdigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A copy of data in which libfyaml's scanner finds the same tokens, or NULL
 * (*copied 0) when data will do. The library reads a surrogate escape
 * ("\udd00") as PyYAML does, as a lone surrogate; libfyaml refuses it, so
 * each one becomes \u0041 (same length: the positions stay). */
static char *scannable(const char *data, size_t len, int *copied)
{
    char *c = NULL;
    *copied = 0;
    for (size_t i = 0; i + 5 < len; i++) {
        if (data[i] != '\\' || (data[i + 1] != 'u' && data[i + 1] != 'U'))
            continue;
        size_t digits = data[i + 1] == 'u' ? 4 : 8, k = 0;
        unsigned long cp = 0;
        for (; k < digits && i + 2 + k < len && hexdigit(data[i + 2 + k]); k++)
            cp = cp << 4 | (unsigned long)(data[i + 2 + k] <= '9' ? data[i + 2 + k] - '0' : (data[i + 2 + k] | 0x20) - 'a' + 10);
        if (k < digits || cp < 0xD800 || cp > 0xDFFF)
            continue;
        if (!c) {
            *copied = 1;
            if (!(c = malloc(len)))
                return NULL;
            memcpy(c, data, len);
        }
        memcpy(c + i + 2, digits == 4 ? "0041" : "00000041", digits);
    }
    return c;
}

int fmt_analyse(const char *data, size_t len, fmt_layout *l)
{
    span *spans = NULL;
    size_t nspans = 0;
    memset(l, 0, sizeof *l);
    int copied;
    char *copy = scannable(data, len, &copied);
    if (!copy && copied)
        return -1;
    int bad = scan(copy ? copy : data, len, &spans, &nspans, l);
    free(copy);
    if (bad) {
        free(spans);
        return -1;
    }
    size_t cap = 16;
    l->lines = malloc(cap * sizeof *l->lines);
    if (!l->lines) {
        free(spans);
        return -1;
    }
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        if (l->nlines == cap) {
            cap *= 2;
            fmt_line *nlines = realloc(l->lines, cap * sizeof *nlines);
            if (!nlines) {
                free(spans);
                return -1;
            }
            l->lines = nlines;
        }
        fmt_line *ln = &l->lines[l->nlines++];
        ln->p = data + pos;
        ln->len = end - pos;
        if (ln->len && ln->p[ln->len - 1] == '\r')
            ln->len--;
        ln->hash = (size_t)-1;
        size_t first = 0;
        while (first < ln->len && (ln->p[first] == ' ' || ln->p[first] == '\t'))
            first++;
        int in_scalar = in_spans(spans, nspans, pos) && pos > 0;
        for (size_t i = 0; i < ln->len; i++) {
            if (ln->p[i] == '#' && !in_spans(spans, nspans, pos + i)) {
                ln->hash = i;
                l->has_comments = 1;
                break;
            }
        }
        if (first == ln->len && !in_scalar) {
            ln->kind = FMT_BLANK;
        } else if (ln->hash == first) {
            ln->kind = FMT_COMMENT;
        } else {
            ln->kind = FMT_CONTENT;
            size_t c = ln->hash == (size_t)-1 ? ln->len : ln->hash;
            if (ln->hash != (size_t)-1)
                while (c > 0 && (ln->p[c - 1] == ' ' || ln->p[c - 1] == '\t'))
                    c--;
            ln->content_len = c;
        }
        pos = nl ? end + 1 : len;
    }
    free(spans);
    return 0;
}
