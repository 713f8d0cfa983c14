/* Allocator hook, arena and growable buffer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/core.h"

static void *std_malloc(size_t n, void *u) { (void)u; return malloc(n); }
static void *std_realloc(void *p, size_t n, void *u) { (void)u; return realloc(p, n); }
static void std_free(void *p, void *u) { (void)u; free(p); }

const dcfg_allocator dcfg__default_allocator = { std_malloc, std_realloc, std_free, NULL };

void *dcfg__malloc(const dcfg_allocator *al, size_t size)
{
    return al->malloc_fn(size ? size : 1, al->user);
}

void *dcfg__realloc(const dcfg_allocator *al, void *ptr, size_t size)
{
    return al->realloc_fn(ptr, size ? size : 1, al->user);
}

void dcfg__free(const dcfg_allocator *al, void *ptr)
{
    if (ptr)
        al->free_fn(ptr, al->user);
}

/* Memory handed to callers carries its allocator in front, so dcfg_free()
 * returns it to the allocator it came from. */
typedef union user_header {
    dcfg_allocator al;
    max_align_t align[2];
} user_header;

char *dcfg__user_strndup(const dcfg_allocator *al, const char *s, size_t len)
{
    if (len > SIZE_MAX - sizeof(user_header) - 1)
        return NULL;
    user_header *h = dcfg__malloc(al, sizeof *h + len + 1);
    if (!h)
        return NULL;
    h->al = *al;
    char *p = (char *)(h + 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void dcfg_free(void *ptr)
{
    if (!ptr)
        return;
    user_header *h = (user_header *)ptr - 1;
    dcfg_allocator al = h->al;
    dcfg__free(&al, h);
}

/* ---- arena --------------------------------------------------------------- */

struct dcfg__chunk {
    dcfg__chunk *next;
    size_t cap;
    max_align_t data[];
};

enum { ARENA_MIN_CHUNK = 4096 - sizeof(dcfg__chunk) };

void dcfg__arena_init(dcfg__arena *a, const dcfg_allocator *al)
{
    dcfg__arena_init_sized(a, al, ARENA_MIN_CHUNK);
}

void dcfg__arena_init_sized(dcfg__arena *a, const dcfg_allocator *al, size_t first)
{
    memset(a, 0, sizeof *a);
    a->al = al;
    a->first = first > sizeof(dcfg__chunk) + 64 ? first - sizeof(dcfg__chunk) : 64;
}

void *dcfg__arena_alloc_raw(dcfg__arena *a, size_t size)
{
    if (size > SIZE_MAX - 7u) {
        a->oom = 1;
        return NULL;
    }
    size = (size + 7u) & ~(size_t)7u;
    if (size == 0)
        size = 8;
#ifdef DCFG_ARENA_EXACT
    /* test builds only: one chunk per call, so an allocation-failure sweep
     * reaches every arena call site */
    if (1) {
        size_t cap = size;
#else
    if (!a->head || a->cap - a->used < size) {
        /* later chunks add half of what there is: geometric growth, and a first
         * chunk a little short of a document's needs costs little */
        size_t cap = !a->head ? (a->first ? a->first : ARENA_MIN_CHUNK) : a->total / 2 > 1024 ? a->total / 2 : 1024;
#endif
        if (cap > ((size_t)1 << 22))
            cap = (size_t)1 << 22; /* don't double forever: 4 MiB chunks at most */
        if (cap < size)
            cap = size;
        if (cap > SIZE_MAX - sizeof(dcfg__chunk)) {
            a->oom = 1;
            return NULL;
        }
        dcfg__chunk *c = dcfg__malloc(a->al, sizeof *c + cap);
        if (!c) {
            a->oom = 1;
            return NULL;
        }
        c->next = a->head;
        c->cap = cap;
        a->head = c;
        a->base = (char *)c->data;
        a->cap = cap;
        a->used = 0;
        a->total += sizeof *c + cap;
    }
    void *p = (char *)a->head->data + a->used;
    a->used += size;
    return p;
}

char *dcfg__arena_strndup(dcfg__arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX) {
        a->oom = 1;
        return NULL;
    }
    char *p = dcfg__arena_alloc_raw(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void dcfg__arena_free(dcfg__arena *a)
{
    dcfg__chunk *c = a->head;
    while (c) {
        dcfg__chunk *next = c->next;
        dcfg__free(a->al, c);
        c = next;
    }
    a->head = NULL;
    a->base = NULL;
    a->used = a->cap = a->total = 0; /* `first` stays: the arena can be used again */
    a->oom = 0;
}

/* ---- buffer -------------------------------------------------------------- */

void dcfg__buf_init(dcfg__buf *b, const dcfg_allocator *al)
{
    memset(b, 0, sizeof *b);
    b->al = al;
}

static int buf_reserve(dcfg__buf *b, size_t extra)
{
    if (b->oom)
        return 0;
    if (extra >= SIZE_MAX / 2 - b->len) {
        b->oom = 1;
        return 0;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = dcfg__realloc(b->al, b->p, cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void dcfg__buf_putn_slow(dcfg__buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void dcfg__buf_put_int(dcfg__buf *b, long long v)
{
    char tmp[24];
    dcfg__buf_putn(b, tmp, dcfg__int_repr(tmp, v));
}

void dcfg__buf_vprintf(dcfg__buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !buf_reserve(b, (size_t)n))
        return;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void dcfg__buf_printf(dcfg__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dcfg__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void dcfg__buf_truncate(dcfg__buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->p[len] = '\0';
    }
}

void dcfg__buf_free(dcfg__buf *b)
{
    dcfg__free(b->al, b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *dcfg__buf_take(dcfg__buf *b)
{
    if (b->oom || !buf_reserve(b, 0)) {
        dcfg__buf_free(b); /* nothing is handed over, so nothing may stay behind */
        return NULL;
    }
    char *p = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}
/* ---- allocation watch ------------------------------------------------------------ */

static void *watch_malloc(size_t n, void *user)
{
    dcfg__watch *w = user;
    void *p = w->real->malloc_fn(n, w->real->user);
    w->failed |= !p;
    return p;
}

static void *watch_realloc(void *ptr, size_t n, void *user)
{
    dcfg__watch *w = user;
    void *p = w->real->realloc_fn(ptr, n, w->real->user);
    w->failed |= !p;
    return p;
}

static void watch_free(void *ptr, void *user)
{
    dcfg__watch *w = user;
    w->real->free_fn(ptr, w->real->user);
}

void dcfg__watch_init(dcfg__watch *w, const dcfg_allocator *real)
{
    w->real = real;
    w->failed = 0;
    w->al.malloc_fn = watch_malloc;
    w->al.realloc_fn = watch_realloc;
    w->al.free_fn = watch_free;
    w->al.user = w;
}
