/* Private to the YAML reader in read/: the loader state shared by its files
 * and the functions they call in one another. Nothing outside read/yaml_*.c
 * and read/py_number.c includes this. */
#ifndef DCFG_READ_YAML_LOADER_H
#define DCFG_READ_YAML_LOADER_H

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfyaml.h>
#include "read/read.h"

/* A plain `<<` (YAML 1.1 merge key) while its mapping is being built. Such
 * keys are removed when the mapping is complete, so the bit never escapes. */
#define DCFG__NF_MERGE 0x80u
_Static_assert((DCFG__NF_MERGE & (DCFG__NF_QUOTED | DCFG__NF_BIGINT | DCFG__NF_TIMESTAMP)) == 0,
               "DCFG__NF_MERGE must not collide with DCFG__NF_*");

/* Python 3.11+ refuses int() of more than 4300 decimal digits, and so does
 * PyYAML on such a scalar; bigger results could not be printed either. */
#define DCFG__MAX_INT_DIGITS 4300

typedef enum dcfg__yaml_res {
    DCFG__RES_OK = 0,
    DCFG__RES_NO_CONSTRUCTOR, /* `=` (tag:yaml.org,2002:value) or `<<` (merge) outside a key */
    DCFG__RES_BAD_INT,        /* matches the int pattern but int() fails, e.g. 0b_ */
    DCFG__RES_BAD_FLOAT,
    DCFG__RES_BAD_BOOL,
    DCFG__RES_BAD_TIMESTAMP,  /* e.g. 2024-13-01: datetime() raises */
    DCFG__RES_TOO_BIG,        /* more than DCFG__MAX_INT_DIGITS digits */
    DCFG__RES_NOMEM
} dcfg__yaml_res;

static inline int is_digit(int c) { return c >= '0' && c <= '9'; }
static inline int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static inline int hex_val(int c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }


typedef struct dcfg__yaml_frame {
    unsigned char kind;  /* DCFG__MAP or DCFG__SEQ */
    unsigned char block; /* block style (indentation matters) */
    unsigned line, col;
    size_t base;         /* first item on the item stack */
    size_t count0;       /* node count before this collection */
    size_t bytes0;       /* scalar bytes before this collection */
    unsigned height;     /* highest child height */
    size_t anchor;       /* anchor slot, or DCFG__NO_ANCHOR */
    unsigned char build; /* DCFG__YAML_PLAIN, _SET, _OMAP or _PAIRS (its tag) */
} dcfg__yaml_frame;

/* What a collection's tag makes of it (yaml_tags.c). */
enum { DCFG__YAML_PLAIN = 0, DCFG__YAML_SET, DCFG__YAML_OMAP, DCFG__YAML_PAIRS };

#define DCFG__NO_ANCHOR ((size_t)-1)

typedef struct dcfg__yaml_anchor {
    const char *name;
    size_t len;
    dcfg__node *node;    /* NULL while its collection is being built */
    size_t size;         /* nodes after alias expansion */
    size_t bytes;        /* scalar bytes after alias expansion */
    unsigned height;     /* nesting levels below and including it (0 for scalars) */
    unsigned line, col;
} dcfg__yaml_anchor;

/* What libfyaml 0.7.12 reads wrongly, rewritten in the copy of the input it
 * reads (same length, so positions stay; the text comes from the source).
 * Block scalars it ends before their text (yaml_scalar.c) become
 * double-quoted scalars of the same extent: the loader asks for one more
 * (`want`) and the text is read again. */
#define DCFG__MAX_BLOCK_EDITS 32
typedef struct dcfg__yaml_edits {
    size_t n;
    size_t at[DCFG__MAX_BLOCK_EDITS];         /* offset of the `|`/`>` indicator */
    size_t min_indent[DCFG__MAX_BLOCK_EDITS]; /* PyYAML's minimum indentation there */
    int want;
    /* the first character of plain scalars libfyaml refuses, made a letter in
     * the copy (yaml_load.c): `-` before `,`, `]` or `}`, and a line's `:x`
     * after a multi-line plain scalar; 1-based line and column */
    size_t nletter;
    unsigned letter_line[DCFG__MAX_BLOCK_EDITS], letter_col[DCFG__MAX_BLOCK_EDITS];
    /* empty block scalars libfyaml refuses for a comment less indented than
     * the blank lines before it: the 1-based line after the header */
    size_t nempty;
    unsigned empty_line[DCFG__MAX_BLOCK_EDITS];
    /* \u escapes of a lone surrogate libfyaml refuses (its "invalid UTF8
     * escape"): the byte offset of the backslash, made \u0041 in the copy;
     * the scalar's text comes from the source (yaml_quoted.c) */
    size_t nsurr;
    size_t surr_at[DCFG__MAX_BLOCK_EDITS];
    /* anchor and alias names PyYAML ends at a ':' or '?' that libfyaml reads
     * as part of the name (yaml_names.c): the offset of the `&`/`*`, the end
     * of PyYAML's name, how the copy reads it, whether this reading met it */
    size_t nnames;
    size_t name_at[DCFG__MAX_BLOCK_EDITS], name_end[DCFG__MAX_BLOCK_EDITS];
    unsigned char name_kind[DCFG__MAX_BLOCK_EDITS], name_used[DCFG__MAX_BLOCK_EDITS];
    size_t name_guessed; /* 1 + the name found in the text before an error, not in an event; 0: none */
    int no_guess;     /* such a guess did not take: no more */
} dcfg__yaml_edits;

/* How the copy libfyaml reads holds a name edit. */
#define DCFG__NAME_QUOTED 1 /* `*a`/`&a` before a ':' indicator: a double-quoted scalar of its extent */
#define DCFG__NAME_PLAIN 2  /* `&a` before a plain scalar starting ':'/'?': a `!` tag and blanks */
#define DCFG__NAME_AFTER_TAG 3 /* the same after the node's tag: blanks */

/* Extent of a block scalar as PyYAML's scan_block_scalar reads it. */
typedef struct dcfg__yaml_block {
    size_t header_end;  /* just past the header line's break */
    size_t text_start;  /* first text line's content, or (size_t)-1 when it has none */
    size_t text_end;    /* just past the last text line's content */
    size_t blank_close; /* last space of a spaces-only line before the text, or (size_t)-1 */
    int folded;
} dcfg__yaml_block;

/* A mapping node's pairs as PyYAML's flatten_mapping leaves them (merged
 * pairs first, then its own, duplicates kept), where they are not the pairs
 * of the dict built from them; a later merge of the node reads these. */
typedef struct dcfg__yaml_flat {
    const dcfg__node *node; /* the MAP, or the SEQ of a !!set */
    dcfg__node *const *kv;  /* n pairs, key then value */
    size_t n;
    size_t nraw;            /* pairs written in the mapping, merge keys included */
    int merged;             /* it has a merge key */
} dcfg__yaml_flat;

typedef struct dcfg__yaml_loader {
    dcfg__load *ld;
    const dcfg_allocator *al;
    const char *data;
    size_t len;
    int json;

    dcfg__yaml_frame *frames;
    size_t nframes, cframes;
    dcfg__node **items;
    size_t nitems, citems;
    dcfg__yaml_anchor *anchors;
    size_t nanchors, canchors;
    size_t *ahash;       /* open addressing over anchors: slot index + 1, 0 = empty */
    size_t cahash;

    /* scratch for building mappings */
    dcfg__node **first_own;
    size_t cfirst_own;
    size_t *khash;
    size_t ckhash;
    dcfg__node **merged; /* merged pairs, key then value */
    size_t cmerged;
    uintptr_t *mids;     /* identities of the merged keys (yaml_mapping.c) */
    size_t cmids;
    dcfg__yaml_flat *flats; /* mappings whose flattened pairs are not their dict's */
    size_t nflats, cflats;
    size_t *fhash;       /* open addressing over flats by node: index + 1, 0 = empty */
    size_t cfhash;

    size_t count;        /* nodes so far, aliases counted with their full size */
    size_t bytes;        /* scalar bytes so far (keys too), aliases counted in full */
    dcfg__node *root;
    int have_root;
    unsigned ndocs;
    dcfg_status status;  /* first fatal problem */
    int failed_dups;     /* strict duplicates: keep going, fail at the end */

    int have_prev;       /* end of the previous event (libfyaml's 0-based mark) */
    size_t prev_pos;
    unsigned prev_line, prev_col;

    struct fy_token_iter *tit; /* reused for every scalar's text */
    dcfg__buf text;      /* the current scalar's text, NUL-terminated */

    size_t tab_cursor;   /* tab check: everything before this offset was checked */
    size_t tab_range_end;
    int tab_probe;       /* libfyaml reads a copy with tabs made letters (see yaml_load.c) */
    const char *fy_text; /* what libfyaml reads: data, or that copy; marks are offsets into it */
    int has_cr;          /* data holds a '\r' (one not followed by '\n': CRLF is made LF first) */
    int has_unicode_break; /* data holds NEL, LS or PS (found by the encoding check) */
    int prev_unmarked;   /* the last event was a scalar libfyaml gave no mark (an empty one) */
    int bad_tab;         /* a tab PyYAML rejects was reported */
    dcfg__yaml_edits *edits; /* block scalars rewritten in fy_text; NULL in JSON mode */
    const dcfg__yaml_edits *surr; /* the same, for its surrogate escapes only (JSON mode too) */
    /* the current event stands for a name edit (yaml_names.c): its anchor
     * comes from the source, its `!` tag is the copy's, its style is plain */
    const char *src_anchor;
    size_t src_anchor_len;
    unsigned src_anchor_line, src_anchor_col;
    int fake_tag, renamed;
    /* '%' at the start of a line after the directives, a letter in the copy (yaml_percent.c) */
    size_t *pct;
    size_t npct;
    unsigned char *pct_used;
} dcfg__yaml_loader;
typedef struct dcfg__yaml_tstamp {
    int year, month, day, has_time, hour, minute, second, tz_sign, tz_hour, tz_minute;
} dcfg__yaml_tstamp;

typedef struct dcfg__yaml_intval {
    int big;        /* outside long long: text holds it */
    long long i;
    size_t text_len;
    char text[DCFG__MAX_INT_DIGITS + 24]; /* canonical decimal text when big */
} dcfg__yaml_intval;

#define YAML_TAG "tag:yaml.org,2002:"

/* yaml_resolve.c */
int dcfg__yaml_text_is(const char *s, size_t len, const char *lit);
int dcfg__yaml_text_is_any(const char *s, size_t len, const char *const *lits);
int dcfg__yaml_match_timestamp(const char *s, size_t len, dcfg__yaml_tstamp *ts);
int dcfg__yaml_timestamp_valid(const dcfg__yaml_tstamp *ts);
dcfg__yaml_res dcfg__yaml_apply_int(dcfg__node *n, dcfg__arena *arena);
dcfg__yaml_res dcfg__yaml_apply_float(dcfg__node *n, dcfg__arena *arena);
dcfg__yaml_res dcfg__yaml_resolve_plain(dcfg__node *n, dcfg__arena *arena);
dcfg__yaml_res dcfg__yaml_resolve_json(dcfg__node *n, dcfg__arena *arena);

/* py_number.c */
dcfg__yaml_res dcfg__yaml_construct_int(const dcfg_allocator *al, const char *raw, size_t raw_len,
                                        dcfg__yaml_intval *out);
dcfg__yaml_res dcfg__yaml_py_float(const char *s, size_t len, double *out);
dcfg__yaml_res dcfg__yaml_construct_float(const dcfg_allocator *al, const char *raw, size_t raw_len, double *out);

/* yaml_checks.c */
int dcfg__yaml_tab_scan(dcfg__yaml_loader *lo, size_t to);
size_t dcfg__yaml_find_tab(const dcfg__yaml_loader *lo, size_t to);
int dcfg__yaml_tab_skip_scalar(dcfg__yaml_loader *lo, struct fy_event *e);
int dcfg__yaml_tab_skip_block(dcfg__yaml_loader *lo, size_t at, size_t from, size_t to);
int dcfg__yaml_check_block_indent(dcfg__yaml_loader *lo, struct fy_event *e);
int dcfg__yaml_check_value_indent(dcfg__yaml_loader *lo, unsigned line, unsigned col, int block_seq);
int dcfg__yaml_check_item_indent(dcfg__yaml_loader *lo, size_t pos, unsigned col);
/* Input starting with a UTF-16 BOM as UTF-8 in *out (allocated, the BOM kept);
 * *out NULL for any other input. DCFG_ESYNTAX (reported) on invalid UTF-16. */
dcfg_status dcfg__yaml_from_utf16(dcfg__load *ld, const char *data, size_t len, char **out, size_t *out_len);
int dcfg__yaml_check_encoding(dcfg__yaml_loader *lo);
int dcfg__yaml_check_flow(dcfg__yaml_loader *lo);
int dcfg__yaml_check_stream_start(dcfg__yaml_loader *lo);
int dcfg__yaml_check_flow_scalar(dcfg__yaml_loader *lo, struct fy_event *e, int plain);

/* yaml_load.c */
int dcfg__yaml_grow(dcfg__yaml_loader *lo, void **p, size_t *cap, size_t need, size_t elem);
int dcfg__yaml_in_key_position(const dcfg__yaml_loader *lo);
int dcfg__yaml_add_child(dcfg__yaml_loader *lo, dcfg__node *n, unsigned height);
int dcfg__yaml_empty_implicit_key(dcfg__yaml_loader *lo);

/* yaml_report.c */
void dcfg__yaml_fail(dcfg__yaml_loader *lo, dcfg_status st);
void dcfg__yaml_add_diag(dcfg__yaml_loader *lo, dcfg_severity sev, dcfg_diag_code code, const char *path,
                     unsigned line, unsigned col, unsigned rl, unsigned rc, const char *fmt, ...)
    DCFG__PRINTF(9, 10);
void dcfg__yaml_put_quoted(dcfg__buf *b, const char *s, size_t len);
const char *dcfg__yaml_kind_name(const dcfg__node *n);
void dcfg__yaml_put_key(dcfg__buf *b, const dcfg__node *k, int quote);
char *dcfg__yaml_make_path(dcfg__yaml_loader *lo, int pending);
void dcfg__yaml_construct_error(dcfg__yaml_loader *lo, unsigned line, unsigned col, int pending, const char *fmt, ...)
    DCFG__PRINTF(5, 6);
void dcfg__yaml_limit_error(dcfg__yaml_loader *lo, unsigned line, unsigned col, const char *fmt, ...)
    DCFG__PRINTF(4, 5);
int dcfg__yaml_budget(dcfg__yaml_loader *lo, size_t n, unsigned line, unsigned col);
int dcfg__yaml_budget_bytes(dcfg__yaml_loader *lo, size_t n, unsigned line, unsigned col);
void dcfg__yaml_advance_mark(const char *data, size_t from, size_t to, unsigned *line, unsigned *col);
size_t dcfg__yaml_find_block_indicator(const char *s, size_t from, size_t to);
size_t dcfg__yaml_block_eof_len(dcfg__yaml_loader *lo, struct fy_event *e, const char *text, size_t len);
void dcfg__yaml_event_pos(dcfg__yaml_loader *lo, struct fy_event *e, unsigned *line, unsigned *col);
void dcfg__yaml_report_parser_errors(dcfg__yaml_loader *lo, struct fy_diag *diag);

/* yaml_quoted.c: 1 text read, 0 left to libfyaml, -1 OOM */
size_t dcfg__yaml_break_len(const unsigned char *s, size_t n, size_t i);
int dcfg__yaml_quoted_text(dcfg__yaml_loader *lo, struct fy_event *e, dcfg__buf *b);

/* yaml_scalar.c */
int dcfg__yaml_on_scalar(dcfg__yaml_loader *lo, struct fy_event *e);
int dcfg__yaml_block_text(const char *s, size_t n, size_t at, size_t min_indent, dcfg__buf *b,
                          dcfg__yaml_block *blk);
void dcfg__yaml_block_rewrite(char *copy, const char *s, size_t n, size_t at, size_t min_indent);
void dcfg__yaml_empty_block_rewrite(char *copy, const char *s, size_t n, size_t line_start);

/* yaml_tags.c */
const char *dcfg__yaml_std_tag(const char *tag, size_t len, size_t *slen);
const char *dcfg__yaml_event_tag(struct fy_event *e, size_t *len);
int dcfg__yaml_event_has_bang_tag(struct fy_event *e);
void dcfg__yaml_tag_pos(struct fy_event *e, unsigned *line, unsigned *col);
void dcfg__yaml_no_constructor(dcfg__yaml_loader *lo, unsigned line, unsigned col, const char *tag, size_t len);
int dcfg__yaml_check_collection_tag(dcfg__yaml_loader *lo, struct fy_event *e, int is_map, unsigned line, unsigned col);
dcfg__node *dcfg__yaml_build_set(dcfg__yaml_loader *lo, dcfg__node *map);
dcfg__node *dcfg__yaml_build_pairs(dcfg__yaml_loader *lo, const dcfg__yaml_frame *f, int omap);

/* yaml_anchors.c */
size_t dcfg__yaml_name_hash(const char *s, size_t len);
size_t dcfg__yaml_anchor_define(dcfg__yaml_loader *lo, struct fy_token *tok, dcfg__node *node, int tagged);
int dcfg__yaml_on_alias(dcfg__yaml_loader *lo, struct fy_event *e);
int dcfg__yaml_alias(dcfg__yaml_loader *lo, const char *name, size_t len, unsigned line, unsigned col);

/* yaml_names.c */
int dcfg__yaml_name_end(dcfg__yaml_loader *lo, size_t at, size_t len, int alias, int tagged, unsigned line,
                        unsigned col);
void dcfg__yaml_names_rewrite(char *copy, const char *s, size_t n, const dcfg__yaml_edits *ed);
int dcfg__yaml_name_event(dcfg__yaml_loader *lo, struct fy_event *e);
int dcfg__yaml_name_guess(dcfg__yaml_loader *lo, size_t to);
int dcfg__yaml_names_unused(dcfg__yaml_loader *lo);

/* yaml_percent.c */
int dcfg__yaml_percent_find(dcfg__yaml_loader *lo);
int dcfg__yaml_percent_scalar(dcfg__yaml_loader *lo, struct fy_event *e);
int dcfg__yaml_percent_unused(dcfg__yaml_loader *lo, size_t to);

/* yaml_mapping.c */
dcfg__node *dcfg__yaml_build_map(dcfg__yaml_loader *lo, const dcfg__yaml_frame *f);
const dcfg__yaml_flat *dcfg__yaml_flat_of(const dcfg__yaml_loader *lo, const dcfg__node *n);
int dcfg__yaml_flat_add(dcfg__yaml_loader *lo, const dcfg__yaml_flat *rec);

#endif
