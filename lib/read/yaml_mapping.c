/* Mappings as PyYAML's SafeConstructor builds them into a Python dict: key
 * equality and hashing with Python's rules (1 == 1.0 == true, unhashable
 * collection keys), the last duplicate winning (or an error in strict mode),
 * and YAML 1.1 merge keys (`<<: *a`, `<<: [*a, *b]`) flattened in PyYAML's
 * order. */
#include "read/yaml_loader.h"

/* Numeric view of a key: 0 not numeric, 1 int64 (*i), 2 big int (text), 3 double (*f). */
static int key_num(const dcfg__node *k, long long *i, double *f)
{
    switch ((dcfg__ntype)k->type) {
    case DCFG__BOOL: *i = k->v.b; return 1;
    case DCFG__INT:
        if (k->flags & DCFG__NF_BIGINT)
            return 2;
        *i = k->v.i;
        return 1;
    case DCFG__FLOAT: *f = k->v.f; return 3;
    default: return 0;
    }
}

/* An integral double outside int64 as exact decimal text (buf of 400 bytes). */
static int dbl_big_text(double f, char *buf, size_t cap)
{
    if (!isfinite(f) || f != floor(f) || (f >= -9223372036854775808.0 && f < 9223372036854775808.0))
        return 0;
    snprintf(buf, cap, "%.0f", f);
    return 1;
}

static int keys_equal(const dcfg__node *a, const dcfg__node *b)
{
    if (a == b)
        return 1;
    long long ia = 0, ib = 0;
    double fa = 0, fb = 0;
    int na = key_num(a, &ia, &fa), nb = key_num(b, &ib, &fb);
    if (na || nb) {
        if (!na || !nb)
            return 0;
        if (na > nb) { /* order so that na <= nb */
            const dcfg__node *tn = a; a = b; b = tn;
            long long ti = ia; ia = ib; ib = ti;
            double tf = fa; fa = fb; fb = tf;
            int t = na; na = nb; nb = t;
        }
        if (na == 1 && nb == 1)
            return ia == ib;
        if (na == 1 && nb == 3)
            return fb == floor(fb) && fb >= -9223372036854775808.0 && fb < 9223372036854775808.0 &&
                   (long long)fb == ia;
        if (na == 2 && nb == 2)
            return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
        if (na == 2 && nb == 3) {
            char buf[400];
            return dbl_big_text(fb, buf, sizeof buf) && strlen(buf) == a->len && memcmp(buf, a->str, a->len) == 0;
        }
        if (na == 3 && nb == 3)
            return fa == fb || (isnan(fa) && isnan(fb)); /* PyYAML's .nan is one shared object */
        return 0;
    }
    if (a->type != b->type)
        return 0;
    if (a->type == DCFG__NULL)
        return 1;
    if (a->type == DCFG__STR)
        return (a->flags & DCFG__NF_TIMESTAMP) == (b->flags & DCFG__NF_TIMESTAMP) && a->len == b->len &&
               memcmp(a->str, b->str, a->len) == 0;
    return 0;
}

static size_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53u;
    x ^= x >> 33;
    return (size_t)x;
}

static size_t key_hash(const dcfg__node *k)
{
    long long i = 0;
    double f = 0;
    char buf[400];
    switch (key_num(k, &i, &f)) {
    case 1: return mix64((uint64_t)i);
    case 2: return dcfg__yaml_name_hash(k->str, k->len);
    case 3:
        if (isnan(f))
            return 0x7ff8;
        if (f == floor(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0)
            return mix64((uint64_t)(long long)f);
        if (dbl_big_text(f, buf, sizeof buf))
            return dcfg__yaml_name_hash(buf, strlen(buf));
        {
            uint64_t bits;
            memcpy(&bits, &f, sizeof bits);
            return mix64(bits);
        }
    default: break;
    }
    if (k->type == DCFG__STR)
        return dcfg__yaml_name_hash(k->str, k->len) ^ ((k->flags & DCFG__NF_TIMESTAMP) ? 0x5bd1e995u : 0);
    return 0x9e3779b9u;
}

typedef struct mapbuild {
    dcfg__node *map;
    size_t mask;  /* hash table mask, 0 when scanning linearly */
} mapbuild;

static size_t map_find(dcfg__yaml_loader *lo, const mapbuild *mb, const dcfg__node *k, size_t *hslot)
{
    dcfg__node *m = mb->map;
    if (!mb->mask) {
        for (size_t i = 0; i < m->n; i++)
            if (keys_equal(DCFG__KEY(m, i), k))
                return i;
        return DCFG__NO_ANCHOR;
    }
    for (size_t h = key_hash(k) & mb->mask;; h = (h + 1) & mb->mask) {
        size_t v = lo->khash[h];
        if (!v) {
            *hslot = h;
            return DCFG__NO_ANCHOR;
        }
        if (keys_equal(DCFG__KEY(m, v - 1), k))
            return v - 1;
    }
}

static void report_duplicate(dcfg__yaml_loader *lo, const dcfg__node *k, const dcfg__node *first)
{
    int strict = (lo->ld->flags & DCFG_PARSE_STRICT_DUPLICATES) != 0;
    char *path = dcfg__yaml_make_path(lo, 0);
    dcfg__buf b;
    dcfg__buf_init(&b, lo->al);
    dcfg__yaml_put_key(&b, k, 1);
    if (!path || b.oom) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
    } else {
        dcfg__yaml_add_diag(lo, strict ? DCFG_SEVERITY_ERROR : DCFG_SEVERITY_WARNING, DCFG_DIAG_DUPLICATE_KEY, path,
                            k->line, k->col, first->line, first->col, "duplicate key %s (first at line %u)%s", b.p,
                            first->line, strict ? "" : "; the last value is used");
        if (strict)
            lo->failed_dups = 1;
    }
    dcfg__buf_free(&b);
    dcfg__free(lo->al, path);
}

/* One pair into the mapping being built: a new key is appended, a known one
 * keeps its place and takes the value (Python dict assignment). */
static void map_insert(dcfg__yaml_loader *lo, mapbuild *mb, dcfg__node *k, dcfg__node *v, int own)
{
    size_t hslot = 0;
    size_t i = map_find(lo, mb, k, &hslot);
    if (i != DCFG__NO_ANCHOR) {
        DCFG__VAL(mb->map, i) = v;
        if (own) {
            if (lo->first_own[i])
                report_duplicate(lo, k, lo->first_own[i]);
            else
                lo->first_own[i] = k;
        }
        return;
    }
    i = mb->map->n;
    dcfg__map_put(mb->map, k, v);
    lo->first_own[i] = own ? k : NULL;
    if (mb->mask)
        lo->khash[hslot] = i + 1;
}

/* SafeConstructor.flatten_mapping + construct_mapping over the pairs on the item stack. */
dcfg__node *dcfg__yaml_build_map(dcfg__yaml_loader *lo, const dcfg__yaml_frame *f)
{
    size_t npairs = (lo->nitems - f->base) / 2;
    dcfg__node **kv = npairs ? lo->items + f->base : NULL; /* items is NULL before the first one */
    size_t nsrc = 0, total = 0;

    for (size_t p = 0; p < npairs; p++) {
        if (!(kv[2 * p]->flags & DCFG__NF_MERGE)) {
            total++;
            continue;
        }
        dcfg__node *v = kv[2 * p + 1];
        if (v->type == DCFG__MAP) {
            if (dcfg__yaml_grow(lo, (void **)&lo->srcs, &lo->csrcs, nsrc + 1, sizeof *lo->srcs))
                goto oom;
            lo->srcs[nsrc++] = v;
            total += v->n;
        } else if (v->type == DCFG__SEQ) {
            if (dcfg__yaml_grow(lo, (void **)&lo->srcs, &lo->csrcs, nsrc + v->n, sizeof *lo->srcs))
                goto oom;
            for (size_t j = v->n; j-- > 0;) { /* PyYAML reverses the list: earlier mappings win */
                dcfg__node *sub = v->kids[j];
                if (sub->type != DCFG__MAP) {
                    dcfg__yaml_construct_error(lo, sub->line, sub->col, 0,
                                               "expected a mapping for merging, but found %s",
                                               dcfg__yaml_kind_name(sub));
                    return NULL;
                }
                lo->srcs[nsrc++] = sub;
                total += sub->n;
            }
        } else {
            dcfg__yaml_construct_error(lo, v->line, v->col, 0,
                                       "expected a mapping or list of mappings for merging, but found %s",
                                       dcfg__yaml_kind_name(v));
            return NULL;
        }
    }

    mapbuild mb = { dcfg__mk_map(lo->ld->arena, total), 0 };
    if (!mb.map || dcfg__yaml_grow(lo, (void **)&lo->first_own, &lo->cfirst_own, total, sizeof *lo->first_own))
        goto oom;
    if (total > 8) {
        size_t cap = 16;
        while (cap < total * 2)
            cap *= 2;
        if (dcfg__yaml_grow(lo, (void **)&lo->khash, &lo->ckhash, cap, sizeof *lo->khash))
            goto oom;
        memset(lo->khash, 0, cap * sizeof *lo->khash);
        mb.mask = cap - 1;
    }
    for (size_t s = 0; s < nsrc; s++) {
        const dcfg__node *src = lo->srcs[s];
        for (size_t j = 0; j < src->n; j++)
            map_insert(lo, &mb, DCFG__KEY(src, j), DCFG__VAL(src, j), 0);
    }
    for (size_t p = 0; p < npairs; p++)
        if (!(kv[2 * p]->flags & DCFG__NF_MERGE))
            map_insert(lo, &mb, kv[2 * p], kv[2 * p + 1], 1);
    return mb.map;
oom:
    dcfg__yaml_fail(lo, DCFG_ENOMEM);
    return NULL;
}
