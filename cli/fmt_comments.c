/* fmt: putting comments back. Each comment belongs to a top-level key; a
 * key block that comes out exactly as written keeps its comments in place,
 * otherwise they move, unchanged, above the key (see fmt.c). */
#include <stdlib.h>
#include <sys/types.h>
#include <string.h>
#include "fmt.h"

void fmt_buf_putn(fmt_buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static size_t rtrim(const char *p, size_t n)
{
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return n;
}

/* The original line, trailing white space removed. */
static void put_line(fmt_buf *out, const fmt_line *ln)
{
    fmt_buf_putn(out, ln->p, rtrim(ln->p, ln->len));
    fmt_buf_putn(out, "\n", 1);
}

/* A comment moved above its key: its text from '#', at column 0. */
static void put_moved_comment(fmt_buf *out, const fmt_line *ln)
{
    fmt_buf_putn(out, ln->p + ln->hash, rtrim(ln->p + ln->hash, ln->len - ln->hash));
    fmt_buf_putn(out, "\n", 1);
}

typedef struct block {
    const char *name;     /* top-level key */
    size_t above_a, above_b; /* lines of comments above the key */
    size_t body_a, body_b;   /* the key's lines: its line up to its last (inside comments included) */
    int used;
} block;

typedef struct rblock {
    const char *p; /* rendered lines of one top-level key */
    size_t len;
    char name[128];
} rblock;

/* Splits rendered YAML into top-level blocks. */
static size_t rendered_blocks(const char *text, size_t len, rblock *rb, size_t max)
{
    size_t n = 0, pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        char c = text[pos];
        if (c != ' ' && c != '\n' && n < max) {
            rb[n].p = text + pos;
            rb[n].len = 0;
            size_t k = 0;
            while (pos + k < end && text[pos + k] != ':' && k + 1 < sizeof rb[n].name) {
                rb[n].name[k] = text[pos + k];
                k++;
            }
            rb[n].name[k] = '\0';
            n++;
        }
        if (n)
            rb[n - 1].len = (size_t)(text + end - rb[n - 1].p);
        pos = end;
    }
    return n;
}

/* Are the content lines of the original block exactly the rendered lines? */
static int same_block(const fmt_layout *l, const block *b, const rblock *r)
{
    const char *p = r->p, *end = r->p + r->len;
    for (size_t i = b->body_a; i < b->body_b; i++) {
        const fmt_line *ln = &l->lines[i];
        if (ln->kind != FMT_CONTENT)
            continue;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return 0;
        size_t rlen = (size_t)(nl - p);
        if (rlen != ln->content_len || memcmp(p, ln->p, rlen))
            return 0;
        p = nl + 1;
    }
    return p == end;
}

/* Merges the original's comments into the rendered YAML. 0 ok, -1 cannot. */
int fmt_merge_comments(const fmt_layout *l, const char *rendered, size_t rlen, fmt_buf *out)
{
    if (!l->nkeys)
        return -1;
    enum { MAX_BLOCKS = 256 };
    rblock rb[MAX_BLOCKS];
    size_t nr = rendered_blocks(rendered, rlen, rb, MAX_BLOCKS);
    block *b = calloc(l->nkeys, sizeof *b);
    if (!b || nr == MAX_BLOCKS) {
        free(b);
        return -1;
    }
    /* header: comments before the first key; the run right above it belongs to the key */
    size_t first = l->keys[0].line, head_end = first;
    while (head_end > 0 && l->lines[head_end - 1].kind == FMT_COMMENT)
        head_end--;
    for (size_t i = 0; i < l->nkeys; i++) {
        b[i].name = l->keys[i].name;
        b[i].body_a = l->keys[i].line;
        size_t next = i + 1 < l->nkeys ? l->keys[i + 1].line : l->nlines;
        /* trailing comment/blank lines: from the first one at column 0 on, they go with the next key */
        size_t t = next;
        while (t > b[i].body_a + 1 && l->lines[t - 1].kind != FMT_CONTENT)
            t--;
        size_t cut = next;
        for (size_t k = t; k < next; k++) {
            if (l->lines[k].kind == FMT_COMMENT && l->lines[k].hash == 0) {
                cut = k;
                break;
            }
        }
        b[i].body_b = cut;
        if (i + 1 < l->nkeys) {
            b[i + 1].above_a = cut;
            b[i + 1].above_b = next;
        }
    }
    b[0].above_a = head_end;
    b[0].above_b = first;
    size_t last_cut = b[l->nkeys - 1].body_b;

    for (size_t i = 0; i < head_end; i++)
        if (l->lines[i].kind == FMT_COMMENT)
            put_line(out, &l->lines[i]);
    for (size_t r = 0; r < nr; r++) {
        /* the effective block is the last one written with this key */
        ssize_t which = -1;
        for (size_t i = 0; i < l->nkeys; i++)
            if (!strcmp(b[i].name, rb[r].name))
                which = (ssize_t)i;
        for (size_t i = 0; i < l->nkeys; i++) {
            if (strcmp(b[i].name, rb[r].name) || b[i].used)
                continue;
            b[i].used = 1;
            for (size_t k = b[i].above_a; k < b[i].above_b; k++)
                if (l->lines[k].kind == FMT_COMMENT)
                    put_line(out, &l->lines[k]);
            if ((ssize_t)i != which) {
                for (size_t k = b[i].body_a; k < b[i].body_b; k++)
                    if (l->lines[k].hash != (size_t)-1)
                        put_moved_comment(out, &l->lines[k]);
            }
        }
        if (which >= 0 && same_block(l, &b[which], &rb[r])) {
            for (size_t k = b[which].body_a; k < b[which].body_b; k++)
                if (l->lines[k].kind != FMT_BLANK)
                    put_line(out, &l->lines[k]);
            continue;
        }
        if (which >= 0)
            for (size_t k = b[which].body_a; k < b[which].body_b; k++)
                if (l->lines[k].hash != (size_t)-1)
                    put_moved_comment(out, &l->lines[k]);
        fmt_buf_putn(out, rb[r].p, rb[r].len);
    }
    /* keys the minimal view leaves out (e.g. a null that is the default): their comments at the end */
    for (size_t i = 0; i < l->nkeys; i++) {
        if (b[i].used)
            continue;
        for (size_t k = b[i].above_a; k < b[i].above_b; k++)
            if (l->lines[k].kind == FMT_COMMENT)
                put_line(out, &l->lines[k]);
        for (size_t k = b[i].body_a; k < b[i].body_b; k++)
            if (l->lines[k].hash != (size_t)-1)
                put_moved_comment(out, &l->lines[k]);
    }
    for (size_t k = last_cut; k < l->nlines; k++)
        if (l->lines[k].kind == FMT_COMMENT)
            put_line(out, &l->lines[k]);
    free(b);
    return out->oom ? -1 : 0;
}
