/* Node constructors and queries, shared by front ends and the validator. */
#include <string.h>
#include "core/core.h"

dcfg__node *dcfg__mk(dcfg__arena *a, dcfg__ntype type)
{
    dcfg__node *n = dcfg__arena_alloc(a, sizeof *n);
    if (n)
        n->type = (unsigned char)type;
    return n;
}

dcfg__node *dcfg__mk_bool(dcfg__arena *a, int b)
{
    dcfg__node *n = dcfg__mk(a, DCFG__BOOL);
    if (n)
        n->v.b = b != 0;
    return n;
}

dcfg__node *dcfg__mk_int(dcfg__arena *a, long long i)
{
    dcfg__node *n = dcfg__mk(a, DCFG__INT);
    if (n)
        n->v.i = i;
    return n;
}

dcfg__node *dcfg__mk_float(dcfg__arena *a, double f)
{
    dcfg__node *n = dcfg__mk(a, DCFG__FLOAT);
    if (n)
        n->v.f = f;
    return n;
}

dcfg__node *dcfg__mk_str(dcfg__arena *a, const char *s, size_t len)
{
    if (len > SIZE_MAX - sizeof(dcfg__node) - 8) {
        a->oom = 1;
        return NULL;
    }
    /* the node and its text in one allocation: most nodes are strings */
    dcfg__node *n = dcfg__arena_alloc(a, sizeof *n + len + 1);
    if (!n)
        return NULL;
    char *p = (char *)(n + 1);
    if (len)
        memcpy(p, s, len);
    n->type = DCFG__STR;
    n->str = p;
    n->len = len;
    return n;
}

dcfg__node *dcfg__mk_strz(dcfg__arena *a, const char *s)
{
    return dcfg__mk_str(a, s, strlen(s));
}

dcfg__node *dcfg__mk_lit(dcfg__arena *a, const char *s)
{
    dcfg__node *n = dcfg__mk(a, DCFG__STR);
    if (!n)
        return NULL;
    n->str = s;
    n->len = strlen(s);
    return n;
}

static dcfg__node *mk_coll(dcfg__arena *a, dcfg__ntype type, size_t slots)
{
    dcfg__node *n = dcfg__mk(a, type);
    if (!n)
        return NULL;
    if (slots) {
        if (slots > ((size_t)-1) / sizeof *n->kids)
            return NULL;
        n->kids = dcfg__arena_alloc(a, slots * sizeof *n->kids);
        if (!n->kids)
            return NULL;
    }
    return n;
}

dcfg__node *dcfg__mk_seq(dcfg__arena *a, size_t cap) { return mk_coll(a, DCFG__SEQ, cap); }
dcfg__node *dcfg__mk_map(dcfg__arena *a, size_t cap)
{
    return cap > ((size_t)-1) / 2 ? NULL : mk_coll(a, DCFG__MAP, 2 * cap);
}

void dcfg__seq_push(dcfg__node *seq, dcfg__node *item) { seq->kids[seq->n++] = item; }

void dcfg__map_put(dcfg__node *map, dcfg__node *key, dcfg__node *val)
{
    map->kids[2 * map->n] = key;
    map->kids[2 * map->n + 1] = val;
    map->n++;
}

int dcfg__node_is_str(const dcfg__node *n, const char *s)
{
    size_t len = strlen(s);
    /* bytes (!!binary) never equal a str, as in Python */
    return n && n->type == DCFG__STR && !(n->flags & DCFG__NF_BINARY) && n->len == len && memcmp(n->str, s, len) == 0;
}

const dcfg__node *dcfg__map_get(const dcfg__node *map, const char *key)
{
    if (!map || map->type != DCFG__MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (dcfg__node_is_str(DCFG__KEY(map, i), key))
            return DCFG__VAL(map, i);
    return NULL;
}

int dcfg__node_equal(const dcfg__node *a, const dcfg__node *b)
{
    if (a == b)
        return 1;
    if (!a || !b || a->type != b->type)
        return 0;
    switch ((dcfg__ntype)a->type) {
    case DCFG__NULL: return 1;
    case DCFG__BOOL: return a->v.b == b->v.b;
    case DCFG__INT:
        if ((a->flags | b->flags) & DCFG__NF_BIGINT)
            return (a->flags & b->flags & DCFG__NF_BIGINT) && !strcmp(a->str, b->str);
        return a->v.i == b->v.i;
    case DCFG__FLOAT: return a->v.f == b->v.f || (a->v.f != a->v.f && b->v.f != b->v.f);
    case DCFG__STR: return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
    case DCFG__SEQ:
    case DCFG__MAP: {
        if (a->n != b->n)
            return 0;
        size_t slots = a->type == DCFG__MAP ? 2 * a->n : a->n;
        for (size_t i = 0; i < slots; i++)
            if (!dcfg__node_equal(a->kids[i], b->kids[i]))
                return 0;
        return 1;
    }
    }
    return 0;
}

/* ---- key index ------------------------------------------------------------ */

static size_t hash_bytes(const char *s, size_t len)
{
    size_t h = 14695981039346656037u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* ---- duplicates among list items --------------------------------------------- */

static size_t mix(size_t h, size_t v)
{
    return (h ^ v) * 1099511628211u;
}

/* A hash that agrees with dcfg__node_equal: equal values hash alike
 * (0.0 and -0.0, every NaN; big integers by their text). */
static size_t node_hash(const dcfg__node *n)
{
    if (!n)
        return 1;
    size_t h = mix(14695981039346656037u, n->type);
    switch ((dcfg__ntype)n->type) {
    case DCFG__NULL: return h;
    case DCFG__BOOL: return mix(h, (size_t)n->v.b);
    case DCFG__INT:
        if (n->flags & DCFG__NF_BIGINT)
            return mix(h, hash_bytes(n->str, strlen(n->str)));
        return mix(h, (size_t)n->v.i);
    case DCFG__FLOAT: {
        double f = n->v.f;
        if (f != f)
            return mix(h, 2);
        if (f == 0)
            return mix(h, 3);
        unsigned long long bits;
        memcpy(&bits, &f, sizeof bits);
        return mix(h, (size_t)bits);
    }
    case DCFG__STR: return mix(h, hash_bytes(n->str, n->len));
    case DCFG__SEQ:
    case DCFG__MAP: {
        size_t slots = n->type == DCFG__MAP ? 2 * n->n : n->n;
        h = mix(h, n->n);
        for (size_t i = 0; i < slots; i++)
            h = mix(h, node_hash(n->kids[i]));
        return h;
    }
    }
    return h;
}

static const dcfg__node *item_of(const dcfg__node *seq, size_t i, int field)
{
    return field < 0 ? seq->kids[i] : DCFG__VAL(seq->kids[i], (size_t)field);
}

size_t *dcfg__first_equal(const dcfg_allocator *al, const dcfg__node *seq, int field)
{
    size_t n = seq->n, cap = 8;
    while (cap < 2 * n + 2)
        cap *= 2;
    /* first[0..n), then the table: slot -> index + 1 of the first item of a value, then hashes */
    size_t *first = dcfg__malloc(al, (n + cap + n + 1) * sizeof *first);
    if (!first)
        return NULL;
    size_t *slots = first + n, *hashes = slots + cap;
    memset(slots, 0, cap * sizeof *slots);
    for (size_t i = 0; i < n; i++) {
        const dcfg__node *it = item_of(seq, i, field);
        size_t h = hashes[i] = node_hash(it);
        size_t s = h & (cap - 1);
        first[i] = i;
        for (; slots[s]; s = (s + 1) & (cap - 1)) {
            size_t j = slots[s] - 1;
            if (hashes[j] == h && dcfg__node_equal(it, item_of(seq, j, field))) {
                first[i] = j;
                break;
            }
        }
        if (first[i] == i)
            slots[s] = i + 1;
    }
    return first;
}

int dcfg__keyindex_init(dcfg__keyindex *ix, dcfg__arena *a, size_t n)
{
    ix->cap = 8;
    while (ix->cap < 2 * n + 2)
        ix->cap *= 2;
    ix->slots = dcfg__arena_alloc(a, ix->cap * sizeof *ix->slots);
    return ix->slots ? 0 : -1;
}

size_t dcfg__keyindex_find(const dcfg__keyindex *ix, const dcfg__node *m, const char *name, size_t len,
                           size_t *slot)
{
    size_t i = hash_bytes(name, len) & (ix->cap - 1);
    for (;; i = (i + 1) & (ix->cap - 1)) {
        size_t k = ix->slots[i];
        if (!k) {
            *slot = i;
            return (size_t)-1;
        }
        const dcfg__node *key = DCFG__KEY(m, k - 1);
        if (key->len == len && !memcmp(key->str, name, len))
            return k - 1;
    }
}

void dcfg__keyindex_add(dcfg__keyindex *ix, size_t slot, size_t key_index) { ix->slots[slot] = key_index + 1; }
dcfg__node *dcfg__node_copy(dcfg__arena *a, const dcfg__node *n)
{
    if (!n)
        return NULL;
    dcfg__node *c = dcfg__mk(a, (dcfg__ntype)n->type);
    if (!c)
        return NULL;
    c->flags = n->flags;
    c->line = n->line;
    c->col = n->col;
    c->v = n->v;
    if (n->str) {
        char *p = dcfg__arena_strndup(a, n->str, n->len);
        if (!p)
            return NULL;
        c->str = p;
        c->len = n->len;
    }
    if (n->type == DCFG__MAP || n->type == DCFG__SEQ) {
        size_t slots = n->type == DCFG__MAP ? 2 * n->n : n->n;
        if (slots) {
            c->kids = dcfg__arena_alloc(a, slots * sizeof *c->kids);
            if (!c->kids)
                return NULL;
            for (size_t i = 0; i < slots; i++)
                if (n->kids[i] && !(c->kids[i] = dcfg__node_copy(a, n->kids[i])))
                    return NULL;
        }
        c->n = n->n;
    }
    return c;
}
