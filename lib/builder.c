/* Building and changing a configuration from code.
 *
 * The config keeps an input tree of what has been set (cfg->builder->input),
 * exactly what a YAML file would give the validator. A setter:
 *   1. copies the input with the value put at the path (copy on write);
 *   2. parses the root field the path is in with that field's own kind, as
 *      a file's field would be, and fails when an error lies at or below the
 *      path (errors elsewhere, like a still-missing required neighbour, wait
 *      for dcfg_config_validate());
 *   3. commits: validates the whole input silently into a fresh arena
 *      (cfg->root, or NULL while it does not validate), copies the input
 *      there and frees the old arena.
 * A parsed config gets its input tree on the first setter: its minimal view
 * without shorthands, which parses back to the same configuration. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "config_impl.h"

enum {
    VALUE_MAX_INPUT = 16 << 20,
    VALUE_MAX_DEPTH = 64,
    VALUE_MAX_NODES = 100000,
    VALUE_MAX_STRING = 1 << 20,
};

static const char builder_source[] = "<builder>";

/* ---- paths ----------------------------------------------------------------------- */

typedef struct seg {
    const char *key; /* NULL for an index */
    size_t len;
    size_t index;
} seg;

typedef struct bpath {
    seg *s;
    size_t n;
} bpath;

/* "a.b[2].c" -> segments; -1 when not well-formed. */
static int parse_path(dcfg__arena *a, const char *p, bpath *out)
{
    size_t cap = 1;
    for (const char *q = p; *q; q++)
        cap += *q == '.' || *q == '[';
    out->s = dcfg__arena_alloc(a, cap * sizeof *out->s);
    out->n = 0;
    if (!out->s)
        return -1;
    if (!*p || *p == '.' || *p == '[')
        return -1;
    while (*p) {
        seg *s = &out->s[out->n++];
        if (*p == '[') {
            const char *q = p + 1;
            size_t v = 0;
            if (*q < '0' || *q > '9')
                return -1;
            while (*q >= '0' && *q <= '9') {
                if (v > ((size_t)-1) / 10 - 10)
                    return -1;
                v = v * 10 + (size_t)(*q++ - '0');
            }
            if (*q != ']')
                return -1;
            s->key = NULL;
            s->index = v;
            p = q + 1;
        } else {
            size_t len = strcspn(p, ".[]");
            if (!len || p[len] == ']')
                return -1;
            s->key = p;
            s->len = len;
            p += len;
        }
        if (*p == '.') {
            p++;
            if (!*p || *p == '.' || *p == '[')
                return -1;
        } else if (*p && *p != '[') {
            return -1;
        }
    }
    return 0;
}

/* The first k segments as a diagnostic path ("resources.gpu", "probes[0]"). */
static void path_text(dcfg__buf *b, const bpath *p, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        if (p->s[i].key) {
            if (i)
                dcfg__buf_putc(b, '.');
            dcfg__buf_putn(b, p->s[i].key, p->s[i].len);
        } else {
            dcfg__buf_printf(b, "[%zu]", p->s[i].index);
        }
    }
}

/* An error at the first k segments of p; a path that cannot be built is out of memory. */
static void path_err(dcfg_diags *d, const dcfg_allocator *al, const bpath *p, size_t k, dcfg_diag_code code,
                     const char *fmt, ...) DCFG__PRINTF(6, 7);
static void path_err(dcfg_diags *d, const dcfg_allocator *al, const bpath *p, size_t k, dcfg_diag_code code,
                     const char *fmt, ...)
{
    dcfg__buf b;
    dcfg__buf_init(&b, al);
    path_text(&b, p, k);
    if (b.oom) {
        dcfg__diags_set_oom(d);
    } else {
        va_list ap;
        va_start(ap, fmt);
        dcfg__diag_vadd(d, DCFG_SEVERITY_ERROR, code, b.p ? b.p : "", 0, 0, 0, 0, fmt, ap);
        va_end(ap);
    }
    dcfg__buf_free(&b);
}

/* ---- the edit itself --------------------------------------------------------------- */

typedef struct edit {
    dcfg__arena *a;
    dcfg_diags *d;
    const bpath *p;
    int failed;    /* reported */
    int missing;   /* unset of something not there */
} edit;

static void edit_err(edit *e, size_t k, dcfg_diag_code code, const char *fmt, const char *what)
{
    path_err(e->d, e->a->al, e->p, k, code, fmt, what);
    e->failed = 1;
}

static int key_eq(const dcfg__node *k, const seg *s)
{
    return k->type == DCFG__STR && k->len == s->len && !memcmp(k->str, s->key, s->len);
}

/* A shallow copy of a collection with room for one more entry. */
static dcfg__node *grow_copy(dcfg__arena *a, const dcfg__node *n)
{
    dcfg__node *c = n->type == DCFG__MAP ? dcfg__mk_map(a, n->n + 1) : dcfg__mk_seq(a, n->n + 1);
    if (!c)
        return NULL;
    c->flags = n->flags;
    c->line = n->line;
    c->col = n->col;
    size_t slots = n->type == DCFG__MAP ? 2 * n->n : n->n;
    if (slots)
        memcpy(c->kids, n->kids, slots * sizeof *c->kids);
    c->n = n->n;
    return c;
}

/* `node` with segment k.. replaced by `value` (NULL: removed). Returns the new
 * node, or NULL after reporting / on OOM. */
static dcfg__node *with(edit *e, const dcfg__node *node, size_t k, dcfg__node *value)
{
    const seg *s = &e->p->s[k];
    int last = k + 1 == e->p->n;
    if (!node || node->type == DCFG__NULL) {
        if (!value) {
            e->missing = 1;
            return (dcfg__node *)node;
        }
        /* create what the path walks through */
        node = s->key ? dcfg__mk_map(e->a, 0) : dcfg__mk_seq(e->a, 0);
        if (!node)
            return NULL;
    }
    if (s->key && node->type != DCFG__MAP) {
        edit_err(e, k, DCFG_DIAG_WRONG_TYPE, "cannot set a field inside %s", dcfg__describe(node));
        return NULL;
    }
    if (!s->key && node->type != DCFG__SEQ) {
        edit_err(e, k, DCFG_DIAG_WRONG_TYPE, "cannot index %s", dcfg__describe(node));
        return NULL;
    }
    dcfg__node *c = grow_copy(e->a, node);
    if (!c)
        return NULL;
    if (s->key) {
        size_t i = 0;
        while (i < c->n && !key_eq(DCFG__KEY(c, i), s))
            i++;
        if (i == c->n) {
            if (!value) {
                e->missing = 1;
                return c;
            }
            dcfg__node *key = dcfg__mk_str(e->a, s->key, s->len);
            if (!key)
                return NULL;
            dcfg__map_put(c, key, NULL);
        }
        if (last && !value) {
            memmove(&c->kids[2 * i], &c->kids[2 * i + 2], 2 * (c->n - i - 1) * sizeof *c->kids);
            c->n--;
            return c;
        }
        dcfg__node *v = last ? value : with(e, DCFG__VAL(c, i), k + 1, value);
        if (!v)
            return NULL;
        DCFG__VAL(c, i) = v;
        return c;
    }
    if (s->index >= c->n && !value) {
        e->missing = 1;
        return c;
    }
    if (s->index > c->n) {
        edit_err(e, k + 1, DCFG_DIAG_INVALID_VALUE, "%s", "no such list item (an index equal to the length appends)");
        return NULL;
    }
    if (s->index == c->n) {
        dcfg__node *item = last ? value : with(e, NULL, k + 1, value);
        if (!item)
            return NULL;
        dcfg__seq_push(c, item);
        return c;
    }
    if (last && !value) {
        memmove(&c->kids[s->index], &c->kids[s->index + 1], (c->n - s->index - 1) * sizeof *c->kids);
        c->n--;
        return c;
    }
    dcfg__node *v = last ? value : with(e, c->kids[s->index], k + 1, value);
    if (!v)
        return NULL;
    c->kids[s->index] = v;
    return c;
}

/* ---- checks ----------------------------------------------------------------------------- */

static const dcfg__field *root_field(const seg *s)
{
    const dcfg__field *f = dcfg__service_schema.fields;
    for (; f->key; f++)
        if ((strlen(f->key) == s->len && !memcmp(f->key, s->key, s->len)) ||
            (f->alias && strlen(f->alias) == s->len && !memcmp(f->alias, s->key, s->len)))
            return f;
    return NULL;
}

static void unknown_root(edit *e)
{
    const seg *s = &e->p->s[0];
    const char *best = NULL;
    unsigned best_d = 3;
    char key[65];
    if (s->len < sizeof key) {
        memcpy(key, s->key, s->len);
        key[s->len] = '\0';
        for (const dcfg__field *f = dcfg__service_schema.fields; f->key; f++) {
            unsigned cap = strlen(f->key) <= 4 ? 1 : 2;
            unsigned dist = dcfg__edit_distance(key, f->key, cap);
            if (dist <= cap && dist < best_d)
                best = f->key, best_d = dist;
        }
    }
    if (best)
        edit_err(e, 1, DCFG_DIAG_UNKNOWN_FIELD, "unknown field; did you mean \"%s\"?", best);
    else
        edit_err(e, 1, DCFG_DIAG_UNKNOWN_FIELD, "%s", "unknown field");
}

/* Is diagnostic path `dp` `p` itself or below it? */
static int under(const char *dp, const char *p, size_t plen)
{
    return !strncmp(dp, p, plen) && (dp[plen] == '\0' || dp[plen] == '.' || dp[plen] == '[');
}

/* Parses root field f's new input value alone; copies the errors at or below
 * the first `depth` segments into e->d. Returns 0, or -1 when there are such errors. */
static int check_field(edit *e, const dcfg__field *f, const dcfg__node *value, size_t depth, dcfg_status *st)
{
    dcfg__watch w;
    dcfg__watch_init(&w, e->a->al);
    dcfg__arena tmp;
    dcfg__arena_init(&tmp, &w.al);
    dcfg_diags *d = dcfg__diags_new(&w.al, builder_source);
    dcfg__buf at;
    dcfg__buf_init(&at, e->a->al);
    path_text(&at, e->p, depth);
    if (!d || at.oom) {
        dcfg_diags_free(d);
        dcfg__buf_free(&at);
        *st = DCFG_ENOMEM;
        return -1;
    }
    dcfg__vctx c = { .arena = &tmp, .diags = d, .flags = 0 };
    dcfg__buf_init(&c.path, &w.al);
    dcfg__path_push_key(&c, e->p->s[0].key, e->p->s[0].len);
    dcfg__node *out = NULL;
    int rc = dcfg__parse_field(&c, value, f, &out);
    int bad = 0;
    if (tmp.oom || c.path.oom || dcfg__diags_oom(d) || w.failed) {
        *st = DCFG_ENOMEM;
        bad = 1;
    } else if (rc) {
        for (size_t i = 0; i < dcfg_diags_count(d); i++) {
            const dcfg_diag *g = dcfg_diags_at(d, i);
            if (dcfg_diag_severity(g) != DCFG_SEVERITY_ERROR || !under(dcfg_diag_path(g), at.p, at.len))
                continue;
            dcfg__diag_add(e->d, DCFG_SEVERITY_ERROR, dcfg_diag_code_of(g), dcfg_diag_path(g), dcfg_diag_line(g),
                           dcfg_diag_column(g), 0, 0, "%s", dcfg_diag_message(g));
            bad = 1;
        }
        if (bad)
            *st = DCFG_EINVALID;
    }
    dcfg__buf_free(&c.path);
    dcfg__buf_free(&at);
    dcfg_diags_free(d);
    dcfg__arena_free(&tmp);
    return bad ? -1 : 0;
}

/* ---- commit ------------------------------------------------------------------------------ */

/* Makes `input` the config's state: validated into a fresh arena. */
static dcfg_status commit(dcfg_config *cfg, const dcfg__node *input)
{
    dcfg__watch w;
    dcfg__watch_init(&w, &cfg->al);
    dcfg__arena next;
    dcfg__arena_init(&next, &w.al);
    dcfg_diags *d = dcfg__diags_new(&w.al, builder_source);
    if (!d)
        return DCFG_ENOMEM;
    dcfg__node *root = NULL;
    int rc = dcfg__validate_tree(&next, d, input, 0, &root);
    int oom = next.oom || dcfg__diags_oom(d) || w.failed;
    dcfg_diags_free(d);
    /* what the watch handed out belongs to cfg's allocator: the arena outlives the watch */
    next.al = &cfg->al;
    if (oom) {
        dcfg__arena_free(&next);
        return DCFG_ENOMEM;
    }
    if (rc) {
        dcfg__arena_free(&next); /* drop the half-built tree */
        root = NULL;
    }
    struct dcfg__builder *b = dcfg__arena_alloc(&next, sizeof *b);
    dcfg__node *in = dcfg__node_copy(&next, input);
    if (!b || !in || next.oom) {
        dcfg__arena_free(&next);
        return DCFG_ENOMEM;
    }
    b->input = in;
    dcfg__arena_free(&cfg->arena);
    cfg->arena = next;
    cfg->root = root;
    cfg->builder = b;
    return DCFG_OK;
}

/* The input tree of cfg (derived from a parsed config's normalized tree). */
static dcfg_status current_input(const dcfg_config *cfg, dcfg__arena *a, const dcfg__node **out)
{
    if (cfg->builder) {
        *out = cfg->builder->input;
        return DCFG_OK;
    }
    if (!cfg->root)
        return DCFG_EUSAGE;
    dcfg__node *in = NULL;
    dcfg_status st = dcfg__view_minimal(a, cfg->root, 0, &in);
    *out = in;
    return st;
}

static dcfg_status finish(dcfg_diags *d, dcfg_diags **diags_out, dcfg_status st)
{
    if (d && dcfg__diags_oom(d))
        st = DCFG_ENOMEM;
    if (diags_out) {
        dcfg__diags_sort(d);
        *diags_out = d;
    } else {
        dcfg_diags_free(d);
    }
    return st;
}

/* Puts `value` (built in `a`, or NULL to remove) at `p` of cfg. */
static dcfg_status apply(dcfg_config *cfg, dcfg_diags *d, dcfg__arena *a, const bpath *p, dcfg__node *value)
{
    const dcfg__node *base = NULL;
    dcfg_status st = current_input(cfg, a, &base);
    if (st != DCFG_OK)
        return st;
    edit e = { .a = a, .d = d, .p = p };
    const dcfg__field *f = root_field(&p->s[0]);
    if (!f && value) {
        unknown_root(&e);
        return DCFG_EINVALID;
    }
    dcfg__node *next = with(&e, base, 0, value);
    if (!next)
        return e.failed ? DCFG_EINVALID : DCFG_ENOMEM;
    if (e.missing)
        return DCFG_OK; /* nothing to remove */
    if (a->oom)
        return DCFG_ENOMEM;
    /* a removed root field takes its default; anything else is checked where it was changed */
    if (f && (value || p->n > 1)) {
        const dcfg__node *fv = NULL;
        for (size_t i = 0; i < next->n; i++)
            if (key_eq(DCFG__KEY(next, i), &p->s[0]))
                fv = DCFG__VAL(next, i);
        size_t depth = value ? p->n : p->n - 1;
        if (fv && check_field(&e, f, fv, depth, &st))
            return st;
    }
    return commit(cfg, next);
}

typedef enum vkind { V_INT, V_FLOAT, V_BOOL, V_STRING, V_NULL, V_TEXT, V_UNSET } vkind;

typedef struct vin {
    vkind kind;
    long long i;
    double f;
    const char *s;
} vin;

/* Reads set_value() text as a file's value would be read. */
static dcfg_status load_text(dcfg__arena *a, dcfg_diags *d, const char *text, dcfg__node **out)
{
    dcfg__load ld = { .arena = a, .diags = d, .flags = 0,
                      .limits = { VALUE_MAX_INPUT, VALUE_MAX_DEPTH, VALUE_MAX_NODES, VALUE_MAX_STRING } };
    dcfg_status st = dcfg__yaml_load(out, text, strlen(text), &ld, 0);
    if (st == DCFG_OK && !*out)
        *out = dcfg__mk(a, DCFG__NULL);
    if (st == DCFG_OK && !*out)
        st = DCFG_ENOMEM;
    return st;
}

static dcfg_status set(dcfg_config *cfg, dcfg_diags **diags_out, const char *path_s, vin v)
{
    if (diags_out)
        *diags_out = NULL;
    if (!cfg || !path_s || (v.kind == V_STRING && !v.s) || (v.kind == V_TEXT && !v.s))
        return DCFG_EUSAGE;
    dcfg_diags *d = dcfg__diags_new(&cfg->al, builder_source);
    if (!d)
        return DCFG_ENOMEM;
    dcfg__arena a;
    dcfg__arena_init(&a, &cfg->al);
    bpath p;
    dcfg_status st = DCFG_OK;
    dcfg__node *value = NULL;
    if (parse_path(&a, path_s, &p)) {
        st = a.oom ? DCFG_ENOMEM : DCFG_EUSAGE;
        goto out;
    }
    switch (v.kind) {
    case V_INT: value = dcfg__mk_int(&a, v.i); break;
    case V_FLOAT: value = dcfg__mk_float(&a, v.f); break;
    case V_BOOL: value = dcfg__mk_bool(&a, (int)v.i); break;
    case V_NULL: value = dcfg__mk(&a, DCFG__NULL); break;
    case V_STRING: {
        size_t len = strlen(v.s), bad = 0;
        if (!dcfg__utf8_valid(v.s, len, &bad)) {
            path_err(d, &cfg->al, &p, p.n, DCFG_DIAG_ENCODING, "invalid UTF-8 at byte %zu", bad);
            st = DCFG_EINVALID;
            goto out;
        }
        value = dcfg__mk_str(&a, v.s, len);
        if (value)
            value->flags = DCFG__NF_QUOTED;
        break;
    }
    case V_TEXT:
        st = load_text(&a, d, v.s, &value);
        if (st != DCFG_OK)
            goto out;
        break;
    case V_UNSET:
        break;
    }
    if (v.kind != V_UNSET && !value) {
        st = DCFG_ENOMEM;
        goto out;
    }
    st = apply(cfg, d, &a, &p, value);
out:
    dcfg__arena_free(&a);
    return finish(d, diags_out, st);
}

/* ---- public API ---------------------------------------------------------------------------- */

dcfg_status dcfg_config_new(dcfg_config **out, const dcfg_allocator *allocator)
{
    if (!out)
        return DCFG_EUSAGE;
    *out = NULL;
    dcfg_allocator al = dcfg__default_allocator;
    if (allocator) {
        if (allocator->malloc_fn)
            al.malloc_fn = allocator->malloc_fn;
        if (allocator->realloc_fn)
            al.realloc_fn = allocator->realloc_fn;
        if (allocator->free_fn)
            al.free_fn = allocator->free_fn;
        al.user = allocator->user;
    }
    dcfg_config *cfg = dcfg__malloc(&al, sizeof *cfg);
    if (!cfg)
        return DCFG_ENOMEM;
    memset(cfg, 0, sizeof *cfg);
    cfg->al = al;
    dcfg__arena_init(&cfg->arena, &cfg->al);
    dcfg__arena a;
    dcfg__arena_init(&a, &cfg->al);
    dcfg__node *m = dcfg__mk_map(&a, 1), *k = dcfg__mk_strz(&a, "type"), *v = dcfg__mk_strz(&a, "service");
    dcfg_status st = DCFG_ENOMEM;
    if (m && k && v) {
        dcfg__map_put(m, k, v);
        st = commit(cfg, m);
    }
    dcfg__arena_free(&a);
    if (st != DCFG_OK) {
        dcfg_config_free(cfg);
        return st;
    }
    *out = cfg;
    return DCFG_OK;
}

dcfg_status dcfg_config_set_int(dcfg_config *cfg, dcfg_diags **diags_out, const char *path, dcfg_int64 value)
{
    vin v = { V_INT, value, 0, NULL };
    return set(cfg, diags_out, path, v);
}

dcfg_status dcfg_config_set_float(dcfg_config *cfg, dcfg_diags **diags_out, const char *path, double value)
{
    vin v = { V_FLOAT, 0, value, NULL };
    return set(cfg, diags_out, path, v);
}

dcfg_status dcfg_config_set_bool(dcfg_config *cfg, dcfg_diags **diags_out, const char *path, int value)
{
    vin v = { V_BOOL, value != 0, 0, NULL };
    return set(cfg, diags_out, path, v);
}

dcfg_status dcfg_config_set_string(dcfg_config *cfg, dcfg_diags **diags_out, const char *path, const char *value)
{
    vin v = { V_STRING, 0, 0, value };
    return set(cfg, diags_out, path, v);
}

dcfg_status dcfg_config_set_null(dcfg_config *cfg, dcfg_diags **diags_out, const char *path)
{
    vin v = { V_NULL, 0, 0, NULL };
    return set(cfg, diags_out, path, v);
}

dcfg_status dcfg_config_set_value(dcfg_config *cfg, dcfg_diags **diags_out, const char *path, const char *text)
{
    vin v = { V_TEXT, 0, 0, text };
    return set(cfg, diags_out, path, v);
}

dcfg_status dcfg_config_unset(dcfg_config *cfg, dcfg_diags **diags_out, const char *path)
{
    vin v = { V_UNSET, 0, 0, NULL };
    return set(cfg, diags_out, path, v);
}

dcfg_status dcfg_config_validate(const dcfg_config *cfg, dcfg_diags **diags_out)
{
    if (diags_out)
        *diags_out = NULL;
    if (!cfg)
        return DCFG_EUSAGE;
    dcfg_diags *d = dcfg__diags_new(&cfg->al, builder_source);
    if (!d)
        return DCFG_ENOMEM;
    dcfg_status st = DCFG_OK;
    if (cfg->builder) {
        dcfg__watch w;
        dcfg__watch_init(&w, &cfg->al);
        dcfg__arena a;
        dcfg__arena_init(&a, &w.al);
        dcfg__node *root = NULL;
        int rc = dcfg__validate_tree(&a, d, cfg->builder->input, 0, &root);
        if (a.oom || w.failed)
            st = DCFG_ENOMEM;
        else if (rc)
            st = DCFG_EINVALID;
        dcfg__arena_free(&a);
    } else if (!cfg->root) {
        st = DCFG_EINVALID;
    }
    return finish(d, diags_out, st);
}
