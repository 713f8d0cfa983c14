/* Mappings as PyYAML's SafeConstructor builds them into a Python dict: key
 * equality and hashing with Python's rules (1 == 1.0 == true, unhashable
 * collection keys), the last duplicate winning (or an error in strict mode),
 * and YAML 1.1 merge keys (`<<: *a`, `<<: [*a, *b]`) flattened in PyYAML
 * 6.0.4's order. */
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
    if (a->type == DCFG__STR && b->type == DCFG__STR) /* first: most keys, and no numeric view */
        return (a->flags & DCFG__NF_NOT_TEXT) == (b->flags & DCFG__NF_NOT_TEXT) && a->len == b->len &&
               memcmp(a->str, b->str, a->len) == 0;
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
    return a->type == DCFG__NULL;
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
        return dcfg__yaml_name_hash(k->str, k->len) ^ ((k->flags & DCFG__NF_TIMESTAMP) ? 0x5bd1e995u : 0) ^
               ((k->flags & DCFG__NF_BINARY) ? 0x27d4eb2fu : 0);
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

/* ---- the pairs a merge reads ----
 *
 * PyYAML flattens a mapping node in place: its node.value becomes the merged
 * pairs followed by its own, duplicates kept. A later merge of that node reads
 * those pairs, not the dict built from them, so they are kept here for the
 * mappings where the two differ (a merge key or a duplicate key) and for the
 * mapping under a !!set. */

const dcfg__yaml_flat *dcfg__yaml_flat_of(const dcfg__yaml_loader *lo, const dcfg__node *n)
{
    if (!lo->nflats)
        return NULL;
    size_t mask = lo->cfhash - 1;
    for (size_t h = mix64((uintptr_t)n) & mask;; h = (h + 1) & mask) {
        size_t v = lo->fhash[h];
        if (!v)
            return NULL;
        if (lo->flats[v - 1].node == n)
            return &lo->flats[v - 1];
    }
}

static void flat_index(dcfg__yaml_loader *lo, size_t i)
{
    size_t mask = lo->cfhash - 1, h = mix64((uintptr_t)lo->flats[i].node) & mask;
    while (lo->fhash[h])
        h = (h + 1) & mask;
    lo->fhash[h] = i + 1;
}

int dcfg__yaml_flat_add(dcfg__yaml_loader *lo, const dcfg__yaml_flat *rec)
{
    size_t old = lo->cfhash;
    if (dcfg__yaml_grow(lo, (void **)&lo->flats, &lo->cflats, lo->nflats + 1, sizeof *lo->flats) ||
        dcfg__yaml_grow(lo, (void **)&lo->fhash, &lo->cfhash, 2 * (lo->nflats + 1), sizeof *lo->fhash))
        return -1;
    lo->flats[lo->nflats++] = *rec;
    if (lo->cfhash != old) {
        memset(lo->fhash, 0, lo->cfhash * sizeof *lo->fhash);
        for (size_t i = 0; i < lo->nflats; i++)
            flat_index(lo, i);
    } else {
        flat_index(lo, lo->nflats - 1);
    }
    return 0;
}

/* The pairs of a node PyYAML merges as a mapping node: a mapping, the mapping
 * of a !!set, or the one-pair mapping of an !!omap/!!pairs tuple; -1 for any
 * other node. */
static int source_pairs(const dcfg__yaml_loader *lo, const dcfg__node *src, dcfg__node *const **kv, size_t *n)
{
    int set = src->type == DCFG__SEQ && (src->flags & DCFG__NF_SET);
    const dcfg__yaml_flat *fl = src->type == DCFG__MAP || set ? dcfg__yaml_flat_of(lo, src) : NULL;
    if (fl) {
        *kv = fl->kv;
        *n = fl->n;
    } else if (src->type == DCFG__MAP) {
        *kv = src->kids;
        *n = src->n;
    } else if (src->type == DCFG__SEQ && (src->flags & DCFG__NF_TUPLE)) {
        *kv = src->kids;
        *n = 1;
    } else {
        return -1;
    }
    return 0;
}

/* id(key_node.value), which 6.0.4's flatten_mapping compares: the scalar's
 * text object. CPython has one object for "" and one for each one-character
 * string below U+0100, so such keys are the same key whatever their node (and
 * their tag: 1 and "1"); any other text is its node's own, shared only
 * through aliases. */
static uintptr_t key_identity(const dcfg__node *k)
{
    if (k->type != DCFG__MAP && k->type != DCFG__SEQ && !(k->flags & DCFG__NF_BIGINT)) {
        const unsigned char *s = (const unsigned char *)k->str;
        size_t len = s ? k->len : 0;
        if (len == 0)
            return 1;
        if (len == 1 && s[0] < 0x80)
            return 2 + (uintptr_t)s[0];
        if (len == 2 && (s[0] == 0xc2 || s[0] == 0xc3) && (s[1] & 0xc0) == 0x80)
            return 2 + (((uintptr_t)s[0] & 0x1f) << 6 | ((uintptr_t)s[1] & 0x3f));
    }
    return (uintptr_t)k;
}

/* The pairs of src not merged yet (by key identity) onto lo->merged. */
static void merge_source(dcfg__yaml_loader *lo, const dcfg__node *src, size_t mask, size_t *nm)
{
    dcfg__node *const *kv;
    size_t n;
    if (source_pairs(lo, src, &kv, &n))
        return;
    for (size_t i = 0; i < n; i++) {
        uintptr_t id = key_identity(kv[2 * i]);
        size_t h = mix64(id) & mask;
        while (lo->mids[h] && lo->mids[h] != id)
            h = (h + 1) & mask;
        if (lo->mids[h])
            continue;
        lo->mids[h] = id;
        lo->merged[2 * *nm] = kv[2 * i];
        lo->merged[2 * *nm + 1] = kv[2 * i + 1];
        (*nm)++;
    }
}

/* A merge value PyYAML takes as one mapping (else as a list of them). */
static int single_source(const dcfg__node *v)
{
    return v->type != DCFG__SEQ || (v->flags & (DCFG__NF_SET | DCFG__NF_TUPLE));
}

/* SafeConstructor.flatten_mapping + construct_mapping over the pairs on the
 * item stack. PyYAML 6.0.4's merge: the merge keys in order, each a mapping
 * or a list of mappings taken first to last, each mapping's flattened pairs
 * in order; a pair whose key is the same object as an earlier merged pair's
 * (key_identity) is dropped, the others are kept, duplicates included. The
 * dict is then built from the merged pairs followed by the mapping's own:
 * a key keeps its first place and takes its last value. So in
 * `<<: [{x: 1}, {r: 10}]` x comes before r, in `<<: [{x: 1}, {x: 2}]` x is 1
 * (one "x" object) but in `<<: [{ab: 1}, {ab: 2}]` ab is 2, and an own key
 * overrides a merged one in the merged one's place. */
dcfg__node *dcfg__yaml_build_map(dcfg__yaml_loader *lo, const dcfg__yaml_frame *f)
{
    size_t npairs = (lo->nitems - f->base) / 2;
    dcfg__node **kv = npairs ? lo->items + f->base : NULL; /* items is NULL before the first one */
    size_t cand = 0, nown = 0, nm = 0;
    int has_merge = 0;

    for (size_t p = 0; p < npairs; p++) {
        if (!(kv[2 * p]->flags & DCFG__NF_MERGE)) {
            nown++;
            continue;
        }
        has_merge = 1;
        dcfg__node *v = kv[2 * p + 1];
        dcfg__node *const *skv;
        size_t sn;
        if (single_source(v)) {
            if (source_pairs(lo, v, &skv, &sn)) {
                dcfg__yaml_construct_error(lo, v->line, v->col, 0,
                                           "expected a mapping or list of mappings for merging, but found %s",
                                           dcfg__yaml_kind_name(v));
                return NULL;
            }
            cand += sn;
            continue;
        }
        for (size_t j = 0; j < v->n; j++) {
            dcfg__node *sub = v->kids[j];
            if (source_pairs(lo, sub, &skv, &sn)) {
                dcfg__yaml_construct_error(lo, sub->line, sub->col, 0, "expected a mapping for merging, but found %s",
                                           dcfg__yaml_kind_name(sub));
                return NULL;
            }
            cand += sn;
        }
    }
    if (cand) {
        size_t cap = 16;
        while (cap < cand * 2)
            cap *= 2;
        if (dcfg__yaml_grow(lo, (void **)&lo->merged, &lo->cmerged, 2 * cand, sizeof *lo->merged) ||
            dcfg__yaml_grow(lo, (void **)&lo->mids, &lo->cmids, cap, sizeof *lo->mids))
            goto oom;
        memset(lo->mids, 0, cap * sizeof *lo->mids);
        for (size_t p = 0; p < npairs; p++) {
            if (!(kv[2 * p]->flags & DCFG__NF_MERGE))
                continue;
            dcfg__node *v = kv[2 * p + 1];
            if (single_source(v))
                merge_source(lo, v, cap - 1, &nm);
            else
                for (size_t j = 0; j < v->n; j++)
                    merge_source(lo, v->kids[j], cap - 1, &nm);
        }
    }

    size_t total = nm + nown;
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
    for (size_t j = 0; j < nm; j++)
        map_insert(lo, &mb, lo->merged[2 * j], lo->merged[2 * j + 1], 0);
    for (size_t p = 0; p < npairs; p++)
        if (!(kv[2 * p]->flags & DCFG__NF_MERGE))
            map_insert(lo, &mb, kv[2 * p], kv[2 * p + 1], 1);
    if (has_merge || mb.map->n < total) {
        dcfg__yaml_flat rec = { mb.map, mb.map->kids, mb.map->n, npairs, has_merge };
        if (mb.map->n < total) { /* duplicates: the flattened pairs are not the dict's */
            dcfg__node **all = dcfg__arena_alloc(lo->ld->arena, 2 * total * sizeof *all);
            if (!all)
                goto oom;
            if (nm)
                memcpy(all, lo->merged, 2 * nm * sizeof *all);
            size_t k = nm;
            for (size_t p = 0; p < npairs; p++)
                if (!(kv[2 * p]->flags & DCFG__NF_MERGE)) {
                    all[2 * k] = kv[2 * p];
                    all[2 * k + 1] = kv[2 * p + 1];
                    k++;
                }
            rec.kv = all;
            rec.n = total;
        }
        if (dcfg__yaml_flat_add(lo, &rec))
            goto oom;
    }
    return mb.map;
oom:
    dcfg__yaml_fail(lo, DCFG_ENOMEM);
    return NULL;
}
