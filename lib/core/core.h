/* core: what every stage builds on. Allocation (the caller's allocator,
 * arenas, growable buffers), the node tree that both front ends produce and
 * the views rewrite, diagnostics, and text helpers (Python float repr, JSON
 * strings, UTF-8, edit distance). Calls nothing else of the library.
 * Nothing here is exported. */
#ifndef DCFG_CORE_H
#define DCFG_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "dstackcfg/dstackcfg.h"

#if defined(__GNUC__)
#  define DCFG__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#  define DCFG__PRINTF(a, b)
#endif

/* ---- allocation (core/alloc.c) ---------------------------------------------
 * Every allocation goes through the object's allocator, so callers can
 * plug their own and tests can fail the Nth allocation. */
void *dcfg__malloc(const dcfg_allocator *al, size_t size);
void *dcfg__realloc(const dcfg_allocator *al, void *ptr, size_t size);
void dcfg__free(const dcfg_allocator *al, void *ptr);
extern const dcfg_allocator dcfg__default_allocator;
/* A copy for the caller, released with dcfg_free() through the same allocator. */
char *dcfg__user_strndup(const dcfg_allocator *al, const char *s, size_t len);

/* Bump allocator: everything of one parse or one config, freed at once. */
typedef struct dcfg__chunk dcfg__chunk;
typedef struct dcfg__arena {
    const dcfg_allocator *al;
    dcfg__chunk *head;
    char *base;        /* head's data */
    size_t used, cap;  /* within head */
    size_t total;      /* bytes requested from the allocator */
    int oom;           /* sticky: an allocation failed since init/free */
    size_t first;      /* capacity of the first chunk; later ones double */
} dcfg__arena;
void dcfg__arena_init(dcfg__arena *a, const dcfg_allocator *al);
/* The first chunk holds `first` bytes: one allocation for a typical config. */
void dcfg__arena_init_sized(dcfg__arena *a, const dcfg_allocator *al, size_t first);
void *dcfg__arena_alloc_raw(dcfg__arena *a, size_t size);       /* 8-aligned, not zeroed; NULL on OOM */
char *dcfg__arena_strndup(dcfg__arena *a, const char *s, size_t n); /* NUL-terminated copy */
/* About the bytes handed out so far (chunk headers and skipped tails aside). */
static inline size_t dcfg__arena_in_use(const dcfg__arena *a)
{
    return a->total - (a->cap - a->used);
}

/* 8-aligned, zeroed; NULL on OOM. Inline: a parse makes hundreds of nodes,
 * and with a constant size the zeroing compiles to a few stores. */
static inline void *dcfg__arena_alloc(dcfg__arena *a, size_t size)
{
    void *p;
#ifndef DCFG_ARENA_EXACT
    size_t rounded = (size + 7u) & ~(size_t)7u;
    if (rounded >= size && rounded && a->cap - a->used >= rounded) {
        p = a->base + a->used;
        a->used += rounded;
        memset(p, 0, size);
        return p;
    }
#endif
    p = dcfg__arena_alloc_raw(a, size);
    if (p)
        memset(p, 0, size);
    return p;
}
void dcfg__arena_free(dcfg__arena *a);

/* Growable string; `oom` is sticky so callers check once at the end. */
typedef struct dcfg__buf {
    const dcfg_allocator *al;
    char *p;
    size_t len, cap;
    int oom;
} dcfg__buf;
void dcfg__buf_init(dcfg__buf *b, const dcfg_allocator *al);
void dcfg__buf_putn_slow(dcfg__buf *b, const char *s, size_t n);
/* Inline: the writers append a few bytes at a time. */
static inline void dcfg__buf_putn(dcfg__buf *b, const char *s, size_t n)
{
    if (b->cap - b->len > n && !b->oom) {
        if (n)
            memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = '\0';
        return;
    }
    dcfg__buf_putn_slow(b, s, n);
}
static inline void dcfg__buf_puts(dcfg__buf *b, const char *s) { dcfg__buf_putn(b, s, strlen(s)); }
static inline void dcfg__buf_putc(dcfg__buf *b, char ch)
{
    if (b->cap - b->len > 1 && !b->oom) {
        b->p[b->len++] = ch;
        b->p[b->len] = '\0';
        return;
    }
    dcfg__buf_putn_slow(b, &ch, 1);
}
void dcfg__buf_put_int(dcfg__buf *b, long long v); /* decimal, as printf("%lld") */
void dcfg__buf_printf(dcfg__buf *b, const char *fmt, ...) DCFG__PRINTF(2, 3);
void dcfg__buf_vprintf(dcfg__buf *b, const char *fmt, va_list ap);
void dcfg__buf_truncate(dcfg__buf *b, size_t len);
void dcfg__buf_free(dcfg__buf *b);
/* Hands the NUL-terminated contents over (never NULL unless oom); the buffer is reset
 * (and its memory freed when NULL is returned). */
char *dcfg__buf_take(dcfg__buf *b);

/* ---- nodes (core/node.c) ----------------------------------------------------
 * One tree form for both front ends' output and for the normalized config.
 * Input nodes carry 1-based positions (0 = unknown). Nodes are immutable once
 * built, so YAML aliases share subtrees. */
typedef enum dcfg__ntype {
    DCFG__NULL = 0, DCFG__BOOL, DCFG__INT, DCFG__FLOAT, DCFG__STR, DCFG__MAP, DCFG__SEQ
} dcfg__ntype;

#define DCFG__NF_QUOTED    0x1u /* written quoted or as a block scalar */
#define DCFG__NF_BIGINT    0x2u /* integer outside int64: `str` holds canonical decimal text */
#define DCFG__NF_TIMESTAMP 0x4u /* YAML 1.1 timestamp: PyYAML makes a date, which no field accepts */
#define DCFG__NF_DEFAULTED 0x8u /* output value that came from a field's default, not from the input */
#define DCFG__NF_SET       0x10u /* SEQ: the members of a !!set (PyYAML makes a Python set; document order here) */
#define DCFG__NF_TUPLE     0x20u /* SEQ: a (key, value) of an !!omap or !!pairs (PyYAML makes a tuple) */
#define DCFG__NF_BINARY    0x40u /* STR: the bytes of a !!binary (PyYAML makes bytes, which no field takes here) */
/* STR nodes PyYAML makes something else than a str of */
#define DCFG__NF_NOT_TEXT  (DCFG__NF_TIMESTAMP | DCFG__NF_BINARY)

typedef struct dcfg__node {
    unsigned char type;  /* dcfg__ntype */
    unsigned char flags; /* DCFG__NF_* */
    unsigned line, col;  /* 1-based start of the node; 0 when unknown */
    union { /* a collection has no value of its own: 8 bytes less per node */
        union { int b; long long i; double f; } v; /* BOOL, INT, FLOAT */
        struct dcfg__node **kids; /* SEQ: n items; MAP: 2n entries, key then value */
    };
    const char *str;     /* STR: content (NUL-terminated, may hold NULs); other scalars: source text or NULL */
    size_t len;          /* length of str */
    size_t n;            /* SEQ: items; MAP: pairs; 0 for scalars */
} dcfg__node;

#define DCFG__KEY(m, i) ((m)->kids[2 * (i)])
#define DCFG__VAL(m, i) ((m)->kids[2 * (i) + 1])

dcfg__node *dcfg__mk(dcfg__arena *a, dcfg__ntype type);
dcfg__node *dcfg__mk_bool(dcfg__arena *a, int b);
dcfg__node *dcfg__mk_int(dcfg__arena *a, long long i);
dcfg__node *dcfg__mk_float(dcfg__arena *a, double f);
dcfg__node *dcfg__mk_str(dcfg__arena *a, const char *s, size_t len); /* copies s */
dcfg__node *dcfg__mk_strz(dcfg__arena *a, const char *s);
dcfg__node *dcfg__mk_lit(dcfg__arena *a, const char *s); /* s outlives the tree (a field table key): not copied */
/* Collections with room for `cap` items/pairs; fill with dcfg__seq_push / dcfg__map_put. */
dcfg__node *dcfg__mk_seq(dcfg__arena *a, size_t cap);
dcfg__node *dcfg__mk_map(dcfg__arena *a, size_t cap);
void dcfg__seq_push(dcfg__node *seq, dcfg__node *item);           /* within cap */
void dcfg__map_put(dcfg__node *map, dcfg__node *key, dcfg__node *val); /* within cap; no dedup */
/* Map member by string key, or NULL. */
const dcfg__node *dcfg__map_get(const dcfg__node *map, const char *key);
int dcfg__node_is_str(const dcfg__node *n, const char *s);
/* Hash index over the string keys of a map being built (at most n keys), so
 * repeated names are found without a quadratic scan. */
typedef struct dcfg__keyindex { size_t *slots; size_t cap; } dcfg__keyindex;
int dcfg__keyindex_init(dcfg__keyindex *ix, dcfg__arena *a, size_t n);
/* Index of the key equal to name in m, or (size_t)-1 with *slot set for dcfg__keyindex_add. */
size_t dcfg__keyindex_find(const dcfg__keyindex *ix, const dcfg__node *m, const char *name, size_t len,
                           size_t *slot);
void dcfg__keyindex_add(dcfg__keyindex *ix, size_t slot, size_t key_index);
/* Deep equality of normalized values (type, value, order). */
int dcfg__node_equal(const dcfg__node *a, const dcfg__node *b);
/* Duplicates among the items of a list in expected linear time: first[i] is the
 * smallest j <= i whose item equals item i (dcfg__node_equal), where an item is
 * seq->kids[i] itself (field < 0) or the value of its field-th pair. The array
 * comes from `al` (free with dcfg__free); NULL on OOM. */
size_t *dcfg__first_equal(const dcfg_allocator *al, const dcfg__node *seq, int field);

/* ---- diagnostics (core/diag.c) --------------------------------------------- */
dcfg_diags *dcfg__diags_new(const dcfg_allocator *al, const char *source);
/* Records one diagnostic; on OOM marks the list (dcfg__diags_oom) instead. */
void dcfg__diag_add(dcfg_diags *d, dcfg_severity sev, dcfg_diag_code code, const char *path,
                    unsigned line, unsigned col, unsigned rel_line, unsigned rel_col,
                    const char *fmt, ...) DCFG__PRINTF(9, 10);
void dcfg__diag_vadd(dcfg_diags *d, dcfg_severity sev, dcfg_diag_code code, const char *path,
                     unsigned line, unsigned col, unsigned rel_line, unsigned rel_col,
                     const char *fmt, va_list ap);
int dcfg__diags_oom(const dcfg_diags *d);
void dcfg__diags_set_oom(dcfg_diags *d); /* an allocation for a diagnostic failed elsewhere */
void dcfg__diags_sort(dcfg_diags *d);   /* stable, by line then column; unknown positions last */
void dcfg__diags_clear(dcfg_diags *d);  /* drop all entries (keeps source) */

/* ---- text helpers (core/text.c) -------------------------------------------- */
/* Python repr() of a float ("1.5", "1e+20", "inf"): buf must hold 32 bytes. */
size_t dcfg__float_repr(char *buf, double f);
/* Decimal text of v, as printf("%lld"): buf must hold 24 bytes; returns the length. */
size_t dcfg__int_repr(char *buf, long long v);
/* 1 when s[0..len) is 1 to 18 ASCII digits (so it fits in 64 bits), with *v its
 * value; the fast path of the readers that take plain numbers. */
static inline int dcfg__short_digits(const char *s, size_t len, long long *v)
{
    if (!len || len > 18)
        return 0;
    long long x = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}
/* null, true/false and integers (big ones with all their digits) read the
 * same in JSON and YAML: writes one and returns 1; 0 for other types. */
int dcfg__put_common_scalar(dcfg__buf *b, const dcfg__node *n);
/* Shortest round-trip JSON text as pydantic's model_dump_json writes it ("8.0", "1e-7"). */
size_t dcfg__float_json(char *buf, double f);
/* One UTF-8 sequence at s[i] (i < len): its length (1-4) and code point; 0 when
 * invalid (overlong, surrogate, truncated...), with *cp = the byte. */
size_t dcfg__utf8_decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp);
/* A surrogate (U+D800..U+DFFF) in generalized UTF-8 (ED A0..BF 80..BF) at s[i]:
 * its code point, or 0. The YAML reader keeps the lone surrogates PyYAML
 * reads from escapes so; raw input never has them (it must be UTF-8). */
uint32_t dcfg__utf8_surrogate(const unsigned char *s, size_t len, size_t i);
/* 1 when s[0..len) is valid UTF-8; otherwise 0 and *bad = offset of the first bad byte. */
int dcfg__utf8_valid(const char *s, size_t len, size_t *bad);
/* Damerau–Levenshtein distance, capped at cap+1. */
unsigned dcfg__edit_distance(const char *a, const char *b, unsigned cap);

/* A JSON string literal of s[0..len) (escapes as Python's json with ensure_ascii off). */
void dcfg__json_string(dcfg__buf *b, const char *s, size_t len);

/* An allocator that forwards to `real` and remembers a failure, so that a
 * failure some code handled quietly (a "?" in a message, a parse that gave
 * up) is still seen as out of memory. Memory it hands out belongs to `real`. */
typedef struct dcfg__watch {
    dcfg_allocator al;            /* use this one; its user is the watch itself */
    const dcfg_allocator *real;
    int failed;
} dcfg__watch;
void dcfg__watch_init(dcfg__watch *w, const dcfg_allocator *real);

/* Deep copy into `a` (flags kept). NULL on OOM. */
dcfg__node *dcfg__node_copy(dcfg__arena *a, const dcfg__node *n);

#endif
