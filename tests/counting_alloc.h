/* A counting allocator for dcfg_allocator, shared by the tests, the fuzzing
 * harnesses and the limits probe: counts calls, live blocks and bytes (with
 * their peak), and refuses the fail_at-th call (1-based), or that one and
 * every later one with fail_rest. */
#ifndef DCFG_COUNTING_ALLOC_H
#define DCFG_COUNTING_ALLOC_H

#include <stddef.h>
#include <stdlib.h>
#include <dstackcfg/dstackcfg.h>

typedef struct ca_counter {
    size_t calls;   /* malloc and realloc calls */
    size_t fail_at; /* refuse this call; 0: never */
    int fail_rest;  /* and every call after it */
    size_t refused;
    size_t live;  /* blocks not yet freed */
    size_t bytes; /* bytes in them */
    size_t peak;  /* most bytes at once */
} ca_counter;

typedef union ca_hdr {
    size_t size;
    max_align_t align;
} ca_hdr;

static inline int ca_refuse(ca_counter *c)
{
    c->calls++;
    if (c->fail_at && (c->calls == c->fail_at || (c->fail_rest && c->calls > c->fail_at))) {
        c->refused++;
        return 1;
    }
    return 0;
}

static inline void ca_account(ca_counter *c, size_t old, size_t now)
{
    c->bytes = c->bytes - old + now;
    if (c->bytes > c->peak)
        c->peak = c->bytes;
}

static inline void *ca_malloc(size_t n, void *user)
{
    ca_counter *c = (ca_counter *)user;
    if (ca_refuse(c))
        return NULL;
    ca_hdr *h = (ca_hdr *)malloc(sizeof *h + n);
    if (!h)
        return NULL;
    h->size = n;
    c->live++;
    ca_account(c, 0, n);
    return h + 1;
}

static inline void *ca_realloc(void *p, size_t n, void *user)
{
    ca_counter *c = (ca_counter *)user;
    if (!p)
        return ca_malloc(n, user);
    if (ca_refuse(c))
        return NULL;
    ca_hdr *h = (ca_hdr *)p - 1;
    size_t old = h->size;
    ca_hdr *q = (ca_hdr *)realloc(h, sizeof *q + n);
    if (!q)
        return NULL;
    q->size = n;
    ca_account(c, old, n);
    return q + 1;
}

static inline void ca_free(void *p, void *user)
{
    ca_counter *c = (ca_counter *)user;
    if (!p)
        return;
    ca_hdr *h = (ca_hdr *)p - 1;
    c->live--;
    c->bytes -= h->size;
    free(h);
}

static inline dcfg_allocator ca_allocator(ca_counter *c)
{
    dcfg_allocator al = { ca_malloc, ca_realloc, ca_free, c };
    return al;
}

#endif
