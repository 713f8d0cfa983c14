/* Internals of `dstackcfg fmt`: the original file's layout (fmt_layout.c)
 * and putting its comments back into the formatted text (fmt_comments.c). */
#ifndef DSTACKCFG_FMT_H
#define DSTACKCFG_FMT_H

#include <stddef.h>

typedef struct fmt_buf {
    char *p;
    size_t len, cap;
    int oom;  /* sticky: checked once at the end */
} fmt_buf;
void fmt_buf_putn(fmt_buf *b, const char *s, size_t n);

/* ---- the original's layout: lines, comments, top-level keys ---- */

enum { FMT_CONTENT, FMT_COMMENT, FMT_BLANK };

typedef struct fmt_line {
    const char *p;       /* start */
    size_t len;          /* without the line break (and a '\r' before it) */
    int kind;
    size_t hash;         /* FMT_COMMENT / a trailing comment: offset of '#' in the line; (size_t)-1 none */
    size_t content_len;  /* FMT_CONTENT: length before a trailing comment, white space trimmed */
} fmt_line;

typedef struct fmt_rootkey {
    char *name;
    size_t line; /* 0-based */
} fmt_rootkey;

typedef struct fmt_layout {
    fmt_line *lines;
    size_t nlines;
    fmt_rootkey *keys;
    size_t nkeys;
    int has_comments;
} fmt_layout;

/* Builds the line table; 0 ok, -1 cannot (then the caller refuses when there is a '#'). */
int fmt_analyse(const char *data, size_t len, fmt_layout *l);
void fmt_layout_free(fmt_layout *l);

/* Writes `rendered` (the formatted text) with the comments of the original
 * layout put back; 0 ok, -1 when its top level is not a block mapping. */
int fmt_merge_comments(const fmt_layout *l, const char *rendered, size_t rlen, fmt_buf *out);

#endif
