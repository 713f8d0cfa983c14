/* The three views of a configuration besides the dstack one:
 *
 *   minimal    what the user wrote, normalized: defaulted fields left out, each
 *              value in the shortest form that the field's own parser reads
 *              back to the same value. Candidates are generated from the
 *              value's shape (ranges, references, spec strings, durations...)
 *              and every one is checked by parsing it with the schema, so a
 *              new field or kind needs no code here: at worst it keeps its
 *              normalized form.
 *   effective  the defaults dstack resolves later on the server or client
 *              (SERVICE-SPEC §4) written in, so a user sees what will run.
 *
 * Both views are input that parses back: minimal to the same configuration,
 * effective to a configuration whose effective view is itself. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "serialize.h"

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

/* ---- small node helpers -------------------------------------------------------- */

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

static int is_null(const dcfg__node *n) { return !n || n->type == DCFG__NULL; }
static int is_true(const dcfg__node *n) { return n && n->type == DCFG__BOOL && n->v.b; }

static dcfg__node *get(const dcfg__node *m, const char *key) { return (dcfg__node *)dcfg__map_get(m, key); }

/* Replaces the value of an existing key (normalized maps hold every key). */
static void set(dcfg__node *m, const char *key, dcfg__node *v)
{
    if (!m || m->type != DCFG__MAP || !v)
        return;
    for (size_t i = 0; i < m->n; i++)
        if (dcfg__node_is_str(DCFG__KEY(m, i), key)) {
            DCFG__VAL(m, i) = v;
            return;
        }
}

static dcfg__node *mk_str_input(dcfg__arena *a, const char *s, size_t len)
{
    dcfg__node *n = dcfg__mk_str(a, s, len);
    if (n)
        n->flags = DCFG__NF_QUOTED;
    return n;
}

/* ---- validation of a whole input tree --------------------------------------------- */

int dcfg__validate_tree(dcfg__arena *a, dcfg_diags *d, const dcfg__node *in, unsigned flags, dcfg__node **out)
{
    dcfg__vctx c = { .arena = a, .diags = d, .flags = flags };
    dcfg__buf_init(&c.path, a->al);
    int rc;
    if (!in || in->type != DCFG__MAP) {
        dcfg__err(&c, in, DCFG_DIAG_WRONG_TYPE, "a configuration must be a mapping, got %s", dcfg__describe(in));
        rc = -1;
    } else {
        rc = dcfg__parse_object(&c, in, &dcfg__service_schema, out);
    }
    if (c.path.oom || a->oom)
        rc = -1;
    dcfg__buf_free(&c.path);
    return rc;
}

/* ======================================================================
 * Minimal view
 * ====================================================================== */

typedef struct mctx {
    dcfg__arena *out;     /* result and candidates */
    dcfg__watch watch;    /* what checks allocate goes through it */
    dcfg__arena tmp;      /* one check's parse (watched), freed after each */
    dcfg_diags *diags;    /* scratch (watched), cleared after each check */
    int oom;
} mctx;

/* Sets up the scratch of m (whose `out` is set); 0 ok, -1 out of memory. */
static int mctx_init(mctx *m)
{
    dcfg__watch_init(&m->watch, m->out->al);
    dcfg__arena_init(&m->tmp, &m->watch.al);
    m->diags = dcfg__diags_new(&m->watch.al, NULL);
    return m->diags ? 0 : -1;
}

static void mctx_free(mctx *m)
{
    dcfg_diags_free(m->diags);
    dcfg__arena_free(&m->tmp);
}

/* `form` read as field f, in m->tmp until tmp_done(); NULL when it does not
 * read (or out of memory, with m->oom set). */
static const dcfg__node *tmp_read(mctx *m, const dcfg__field *f, const dcfg__node *form)
{
    if (m->oom || m->out->oom)
        return m->oom = 1, NULL;
    dcfg__vctx c = { .arena = &m->tmp, .diags = m->diags, .flags = 0 };
    dcfg__buf_init(&c.path, &m->watch.al);
    dcfg__node *got = NULL;
    int rc = dcfg__parse_field(&c, form, f, &got);
    if (m->tmp.oom || c.path.oom || dcfg__diags_oom(m->diags) || m->watch.failed)
        m->oom = 1;
    dcfg__buf_free(&c.path);
    return !m->oom && rc == 0 ? got : NULL;
}

static void tmp_done(mctx *m)
{
    dcfg__diags_clear(m->diags);
    dcfg__arena_free(&m->tmp);
}

/* Does `form`, read as field f, give exactly `want`? */
static int check_field(mctx *m, const dcfg__field *f, const dcfg__node *form, const dcfg__node *want)
{
    const dcfg__node *got = tmp_read(m, f, form);
    int ok = got && dcfg__node_equal(got, want);
    tmp_done(m);
    return ok;
}

/* What `form`, read as field f, gives, copied into m->out; NULL when it does not read. */
static dcfg__node *read_back(mctx *m, const dcfg__field *f, const dcfg__node *form)
{
    const dcfg__node *got = tmp_read(m, f, form);
    dcfg__node *r = got ? dcfg__node_copy(m->out, got) : NULL;
    if (got && !r)
        m->oom = 1;
    tmp_done(m);
    return r;
}

/* Input form of a normalized value without the fields that came from defaults. */
static dcfg__node *strip(mctx *m, const dcfg__node *v)
{
    if (v->type == DCFG__MAP) {
        size_t keep = 0;
        for (size_t i = 0; i < v->n; i++)
            keep += !(DCFG__VAL(v, i)->flags & DCFG__NF_DEFAULTED);
        dcfg__node *r = dcfg__mk_map(m->out, keep);
        if (!r)
            return NULL;
        for (size_t i = 0; i < v->n; i++) {
            if (DCFG__VAL(v, i)->flags & DCFG__NF_DEFAULTED)
                continue;
            dcfg__node *k = dcfg__node_copy(m->out, DCFG__KEY(v, i)), *val = strip(m, DCFG__VAL(v, i));
            if (!k || !val)
                return NULL;
            dcfg__map_put(r, k, val);
        }
        return r;
    }
    if (v->type == DCFG__SEQ) {
        dcfg__node *r = dcfg__mk_seq(m->out, v->n);
        if (!r)
            return NULL;
        for (size_t i = 0; i < v->n; i++) {
            dcfg__node *item = strip(m, v->kids[i]);
            if (!item)
                return NULL;
            dcfg__seq_push(r, item);
        }
        return r;
    }
    dcfg__node *c = dcfg__node_copy(m->out, v);
    if (c)
        c->flags &= (unsigned char)~DCFG__NF_DEFAULTED;
    return c;
}

/* ---- candidate forms, from the value's shape ------------------------------------------ */

enum { MAX_CANDS = 80, MAX_TOKENS = 6 };

typedef struct cands {
    dcfg__node *v[MAX_CANDS];
    size_t n;
} cands;

static void add(cands *cs, dcfg__node *n)
{
    if (n && cs->n < MAX_CANDS)
        cs->v[cs->n++] = n;
}

static int has_keys(const dcfg__node *m, const char *const *keys, size_t nkeys)
{
    if (!m || m->type != DCFG__MAP || m->n != nkeys)
        return 0;
    for (size_t i = 0; i < nkeys; i++)
        if (!dcfg__node_is_str(DCFG__KEY(m, i), keys[i]))
            return 0;
    return 1;
}

/* Text of one range bound: integers as they are, memory sizes in GB ("8GB", "0.5GB"). */
static int bound_text(dcfg__buf *b, const dcfg__node *n)
{
    char tmp[40];
    if (n->type == DCFG__INT) {
        if ((n->flags & DCFG__NF_BIGINT) && n->str)
            dcfg__buf_putn(b, n->str, n->len);
        else
            dcfg__buf_printf(b, "%lld", n->v.i);
        return 0;
    }
    if (n->type == DCFG__FLOAT && isfinite(n->v.f)) {
        size_t len = dcfg__float_repr(tmp, n->v.f);
        if (len > 2 && !strcmp(tmp + len - 2, ".0"))
            len -= 2;
        dcfg__buf_putn(b, tmp, len);
        dcfg__buf_puts(b, "GB");
        return 0;
    }
    return -1;
}

/* {min, max} -> "a..b", "a..", "..b" or the single value; 0 ok, -1 not a range. */
static int range_text(dcfg__buf *b, const dcfg__node *v, int *single)
{
    static const char *const keys[] = { "min", "max" };
    if (!has_keys(v, keys, 2))
        return -1;
    const dcfg__node *lo = DCFG__VAL(v, 0), *hi = DCFG__VAL(v, 1);
    *single = 0;
    if (is_null(lo) && is_null(hi))
        return -1;
    if (!is_null(lo) && !is_null(hi) && dcfg__node_equal(lo, hi)) {
        *single = 1;
        return bound_text(b, lo);
    }
    if (!is_null(lo) && bound_text(b, lo))
        return -1;
    dcfg__buf_puts(b, "..");
    if (!is_null(hi) && bound_text(b, hi))
        return -1;
    return 0;
}

/* Frees a buffer that is not needed; a failed allocation in it still counts:
 * a candidate it would have made is missing, so the result is not reliable. */
static void drop(mctx *m, dcfg__buf *b)
{
    m->oom |= b->oom;
    dcfg__buf_free(b);
}

static dcfg__node *buf_node(mctx *m, dcfg__buf *b)
{
    dcfg__node *n = b->oom ? NULL : mk_str_input(m->out, b->p ? b->p : "", b->len);
    if (!n)
        m->oom = 1;
    dcfg__buf_free(b);
    return n;
}

/* A token of a spec string ("A100", "80GB..", "2", "H100,A100"): 1 written,
 * 0 nothing to write (null, false), -1 not expressible. */
static int token(dcfg__buf *b, const dcfg__node *v)
{
    int single;
    switch ((dcfg__ntype)v->type) {
    case DCFG__NULL:
        return 0;
    case DCFG__BOOL:
        return v->v.b ? -1 : 0;
    case DCFG__STR:
        if (!v->len || memchr(v->str, '\n', v->len))
            return -1;
        dcfg__buf_putn(b, v->str, v->len);
        return 1;
    case DCFG__INT:
        return bound_text(b, v) ? -1 : 1;
    case DCFG__SEQ:
        if (!v->n)
            return -1;
        for (size_t i = 0; i < v->n; i++) {
            const dcfg__node *s = v->kids[i];
            if (s->type != DCFG__STR || !s->len || memchr(s->str, ',', s->len) || memchr(s->str, ':', s->len))
                return -1;
            if (i)
                dcfg__buf_putc(b, ',');
            dcfg__buf_putn(b, s->str, s->len);
        }
        return 1;
    case DCFG__MAP:
        return range_text(b, v, &single) ? -1 : 1;
    default:
        return -1;
    }
}

static size_t bits(unsigned v)
{
    size_t n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Spec strings of a mapping: its tokens joined with ':', fewest tokens first. */
static void spec_candidates(mctx *m, const dcfg__node *v, cands *cs)
{
    char *text[MAX_TOKENS];
    size_t tlen[MAX_TOKENS], nt = 0;
    /* counts last, as people write them ("A100:80GB:2", "arm:8") */
    size_t order[64], no = 0;
    if (v->n > 64)
        return;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < v->n; i++) {
            const dcfg__node *tv = DCFG__VAL(v, i);
            int is_count = tv->type == DCFG__INT ||
                           (tv->type == DCFG__MAP && tv->n == 2 &&
                            (DCFG__VAL(tv, 0)->type == DCFG__INT || DCFG__VAL(tv, 1)->type == DCFG__INT));
            if (is_count == pass)
                order[no++] = i;
        }
    }
    for (size_t j = 0; j < no; j++) {
        dcfg__buf t;
        dcfg__buf_init(&t, m->out->al);
        int r = token(&t, DCFG__VAL(v, order[j]));
        if (r < 0 || (r > 0 && nt == MAX_TOKENS) || t.oom) {
            m->oom |= t.oom;
            dcfg__buf_free(&t);
            return;
        }
        if (r > 0) {
            text[nt] = dcfg__arena_strndup(m->out, t.p ? t.p : "", t.len);
            tlen[nt] = t.len;
            if (!text[nt]) {
                m->oom = 1;
                dcfg__buf_free(&t);
                return;
            }
            nt++;
        }
        dcfg__buf_free(&t);
    }
    if (!nt)
        return;
    /* all tokens equal ("/opt:/opt") -> one of them */
    int same = nt > 1;
    for (size_t i = 1; i < nt && same; i++)
        same = tlen[i] == tlen[0] && !memcmp(text[i], text[0], tlen[0]);
    if (same)
        add(cs, mk_str_input(m->out, text[0], tlen[0]));
    for (size_t k = 1; k <= nt; k++) {
        for (unsigned mask = 1; mask < (1u << nt); mask++) {
            if (bits(mask) != k)
                continue;
            dcfg__buf b;
            dcfg__buf_init(&b, m->out->al);
            int first = 1;
            for (size_t i = 0; i < nt; i++) {
                if (!(mask & (1u << i)))
                    continue;
                if (!first)
                    dcfg__buf_putc(&b, ':');
                dcfg__buf_putn(&b, text[i], tlen[i]);
                first = 0;
            }
            add(cs, buf_node(m, &b));
        }
    }
}

static int env_name(const char *s, size_t len)
{
    if (!len || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

/* {NAME: "v", OTHER: {key: OTHER}} -> ["NAME=v", "OTHER"] (environment lists). */
static dcfg__node *env_list(mctx *m, const dcfg__node *v)
{
    dcfg__node *seq = dcfg__mk_seq(m->out, v->n);
    if (!seq)
        return m->oom = 1, NULL;
    for (size_t i = 0; i < v->n; i++) {
        const dcfg__node *k = DCFG__KEY(v, i), *val = DCFG__VAL(v, i);
        if (k->type != DCFG__STR || !env_name(k->str, k->len))
            return NULL;
        dcfg__buf b;
        dcfg__buf_init(&b, m->out->al);
        dcfg__buf_putn(&b, k->str, k->len);
        if (val->type == DCFG__STR) {
            if (memchr(val->str, '\n', val->len) || memchr(val->str, '\r', val->len)) {
                drop(m, &b);
                return NULL;
            }
            dcfg__buf_putc(&b, '=');
            dcfg__buf_putn(&b, val->str, val->len);
        } else {
            const dcfg__node *key = dcfg__map_get(val, "key");
            if (val->type != DCFG__MAP || val->n != 1 || !key || key->type != DCFG__STR || key->len != k->len ||
                memcmp(key->str, k->str, k->len)) {
                drop(m, &b);
                return NULL;
            }
        }
        dcfg__node *item = buf_node(m, &b);
        if (!item)
            return NULL;
        dcfg__seq_push(seq, item);
    }
    return seq;
}

static void candidates(mctx *m, const dcfg__node *v, cands *cs, int depth);

static void map_candidates(mctx *m, const dcfg__node *v, cands *cs, int depth)
{
    static const char *const ref_keys[] = { "project", "name" };
    static const char *const port_keys[] = { "local_port", "container_port" };
    static const char *const openai_keys[] = { "type", "name", "format", "prefix" };
    dcfg__buf b;
    int single = 0;

    dcfg__buf_init(&b, m->out->al);
    if (!range_text(&b, v, &single)) {
        const dcfg__node *lo = DCFG__VAL(v, 0);
        if (single && lo->type == DCFG__INT) {
            drop(m, &b);
            add(cs, dcfg__node_copy(m->out, lo));
        } else {
            add(cs, buf_node(m, &b));
        }
        return;
    }
    drop(m, &b);

    if (has_keys(v, ref_keys, 2) && DCFG__VAL(v, 1)->type == DCFG__STR) {
        const dcfg__node *p = DCFG__VAL(v, 0), *n = DCFG__VAL(v, 1);
        dcfg__buf_init(&b, m->out->al);
        if (p->type == DCFG__STR)
            dcfg__buf_printf(&b, "%.*s/", (int)p->len, p->str);
        dcfg__buf_putn(&b, n->str, n->len);
        add(cs, buf_node(m, &b));
    }
    if (has_keys(v, port_keys, 2) && DCFG__VAL(v, 1)->type == DCFG__INT) {
        const dcfg__node *l = DCFG__VAL(v, 0), *c = DCFG__VAL(v, 1);
        if (l->type == DCFG__INT && l->v.i == 80 && !(l->flags & DCFG__NF_BIGINT))
            add(cs, dcfg__node_copy(m->out, c));
    }
    if (has_keys(v, openai_keys, 4) && dcfg__node_is_str(DCFG__VAL(v, 0), "chat") &&
        dcfg__node_is_str(DCFG__VAL(v, 2), "openai") && dcfg__node_is_str(DCFG__VAL(v, 3), "/v1"))
        add(cs, dcfg__node_copy(m->out, DCFG__VAL(v, 1)));
    if (v->n)
        add(cs, env_list(m, v));
    else
        add(cs, dcfg__mk_seq(m->out, 0));
    spec_candidates(m, v, cs);
    if (v->n == 1 && depth < 2) {
        /* {size: 100GB..} -> 100GB.., {cron: [x]} -> x */
        candidates(m, DCFG__VAL(v, 0), cs, depth + 1);
        add(cs, strip(m, DCFG__VAL(v, 0)));
    }
}

/* Alternative input forms of a value, most readable first. */
static void candidates(mctx *m, const dcfg__node *v, cands *cs, int depth)
{
    char tmp[48];
    switch ((dcfg__ntype)v->type) {
    case DCFG__MAP:
        map_candidates(m, v, cs, depth);
        break;
    case DCFG__SEQ:
        if (v->n == 1 && depth < 2) {
            candidates(m, v->kids[0], cs, depth + 1);
            add(cs, strip(m, v->kids[0]));
        }
        if (v->n == 2 && v->kids[0]->type == DCFG__INT && v->kids[1]->type == DCFG__INT &&
            !((v->kids[0]->flags | v->kids[1]->flags) & DCFG__NF_BIGINT) && v->kids[0]->v.i >= 0 &&
            v->kids[1]->v.i >= 0) {
            /* [8, 0] -> "8.0" (compute capabilities) */
            int len = snprintf(tmp, sizeof tmp, "%lld.%lld", v->kids[0]->v.i, v->kids[1]->v.i);
            add(cs, mk_str_input(m->out, tmp, (size_t)len));
        }
        break;
    case DCFG__INT: {
        /* durations: 300 -> "5m", -1 -> "off" */
        static const struct { long long secs; char unit; } units[] = {
            { 604800, 'w' }, { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' },
        };
        if (v->flags & DCFG__NF_BIGINT)
            break;
        if (v->v.i == -1)
            add(cs, mk_str_input(m->out, "off", 3));
        for (size_t i = 0; v->v.i > 0 && i < sizeof units / sizeof *units; i++) {
            if (v->v.i % units[i].secs == 0) {
                int len = snprintf(tmp, sizeof tmp, "%lld%c", v->v.i / units[i].secs, units[i].unit);
                add(cs, mk_str_input(m->out, tmp, (size_t)len));
                break;
            }
        }
        break;
    }
    case DCFG__FLOAT: {
        dcfg__buf b;
        dcfg__buf_init(&b, m->out->al);
        if (!bound_text(&b, v))
            add(cs, buf_node(m, &b));
        else
            drop(m, &b);
        if (isfinite(v->v.f) && v->v.f == floor(v->v.f) && fabs(v->v.f) < 9007199254740992.0)
            add(cs, dcfg__mk_int(m->out, (long long)v->v.f));
        break;
    }
    default:
        break;
    }
}

/* Shortens *slot (the form of value v inside the form of field f, whose
 * whole form is *root and must parse to `want`) one candidate at a time. */
static void improve(mctx *m, const dcfg__field *f, dcfg__node **root, const dcfg__node *want, dcfg__node **slot,
                    const dcfg__node *v)
{
    if (m->oom)
        return;
    cands cs = { .n = 0 };
    candidates(m, v, &cs, 0);
    dcfg__node *saved = *slot;
    for (size_t i = 0; i < cs.n; i++) {
        *slot = cs.v[i];
        if (check_field(m, f, *root, want))
            return;
    }
    *slot = saved;
    if (saved->type == DCFG__MAP && v->type == DCFG__MAP) {
        for (size_t i = 0; i < saved->n && !m->oom;) {
            dcfg__node *k = DCFG__KEY(saved, i);
            const dcfg__node *sub = k->type == DCFG__STR ? dcfg__map_get(v, k->str) : NULL;
            if (!sub) {
                i++;
                continue;
            }
            if (DCFG__VAL(saved, i)->type == DCFG__NULL) {
                /* an explicit null that the default gives as well */
                dcfg__node *val = DCFG__VAL(saved, i);
                memmove(&saved->kids[2 * i], &saved->kids[2 * i + 2], 2 * (saved->n - i - 1) * sizeof *saved->kids);
                saved->n--;
                if (check_field(m, f, *root, want))
                    continue;
                memmove(&saved->kids[2 * i + 2], &saved->kids[2 * i], 2 * (saved->n - i) * sizeof *saved->kids);
                saved->n++;
                DCFG__KEY(saved, i) = k;
                DCFG__VAL(saved, i) = val;
            }
            improve(m, f, root, want, &DCFG__VAL(saved, i), sub);
            i++;
        }
    } else if (saved->type == DCFG__SEQ && v->type == DCFG__SEQ && saved->n == v->n && saved == *root) {
        /* items of a list field are checked alone, as a one-item list: the
         * cost stays linear in the list's length. A shorter form must read
         * alone as the item's current form reads alone (values that depend
         * on the position, like a group's default name, differ from `v`).
         * (An item that only reads the same among its siblings is caught by
         * the document check.) */
        dcfg__node *one = dcfg__mk_seq(m->out, 1);
        if (!one) {
            m->oom = 1;
            return;
        }
        one->n = 1;
        for (size_t i = 0; i < saved->n && !m->oom; i++) {
            one->kids[0] = saved->kids[i];
            dcfg__node *want_one = read_back(m, f, one);
            if (!want_one)
                continue;
            dcfg__node *one_root = one;
            improve(m, f, &one_root, want_one, &one->kids[0], v->kids[i]);
            saved->kids[i] = one->kids[0];
        }
    } else if (saved->type == DCFG__SEQ && v->type == DCFG__SEQ && saved->n == v->n) {
        for (size_t i = 0; i < saved->n && !m->oom; i++)
            improve(m, f, root, want, &saved->kids[i], v->kids[i]);
    }
}

/* The form of one root field's value. */
static dcfg__node *field_form(mctx *m, const dcfg__field *f, const dcfg__node *v, unsigned how)
{
    dcfg__node *form = strip(m, v);
    if (!form)
        return m->oom = 1, NULL;
    if (!check_field(m, f, form, v)) {
        if (m->oom)
            return NULL;
        form = dcfg__node_copy(m->out, v);  /* the normalized form always reads back */
        if (!form)
            return m->oom = 1, NULL;
    }
    if (how & DCFG__MIN_SHORTHANDS)
        improve(m, f, &form, v, &form, v);
    return m->oom ? NULL : form;
}

/* Root keys in the minimal view's order: type, name, then dstack's. */
static size_t root_order(const dcfg__node *root, size_t *order)
{
    size_t n = 0;
    static const char *const first[] = { "type", "name" };
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < root->n; i++)
            if (dcfg__node_is_str(DCFG__KEY(root, i), first[k]))
                order[n++] = i;
    for (size_t i = 0; i < root->n; i++)
        if (!dcfg__node_is_str(DCFG__KEY(root, i), "type") && !dcfg__node_is_str(DCFG__KEY(root, i), "name"))
            order[n++] = i;
    return n;
}

static dcfg__node *build_minimal(mctx *m, const dcfg__node *root, unsigned how)
{
    const dcfg__schema *s = &dcfg__service_schema;
    size_t *order = dcfg__arena_alloc(m->out, (root->n + 1) * sizeof *order);
    dcfg__node *r = dcfg__mk_map(m->out, root->n);
    if (!order || !r)
        return m->oom = 1, NULL;
    size_t n = root_order(root, order);
    for (size_t j = 0; j < n && !m->oom; j++) {
        size_t i = order[j];
        const dcfg__node *k = DCFG__KEY(root, i), *v = DCFG__VAL(root, i);
        size_t fi = k->type == DCFG__STR ? dcfg__schema_index(s, k->str) : (size_t)-1;
        if (v->flags & DCFG__NF_DEFAULTED)
            continue;
        if (fi == (size_t)-1) {
            /* not in the table (cannot happen for a parsed config): keep it */
            dcfg__node *kc = dcfg__node_copy(m->out, k), *vc = dcfg__node_copy(m->out, v);
            if (!kc || !vc)
                return m->oom = 1, NULL;
            dcfg__map_put(r, kc, vc);
            continue;
        }
        const dcfg__field *f = &s->fields[fi];
        if (v->type == DCFG__NULL && !f->dflt)
            continue; /* explicit null, the same as leaving it out */
        dcfg__node *form = field_form(m, f, v, how);
        dcfg__node *kc = dcfg__node_copy(m->out, k);
        if (!form || !kc)
            return m->oom = 1, NULL;
        dcfg__map_put(r, kc, form);
    }
    return m->oom ? NULL : r;
}

/* Whole document: does `form` validate to `root`? */
static int check_document(mctx *m, const dcfg__node *form, const dcfg__node *root)
{
    dcfg__node *got = NULL;
    int rc = dcfg__validate_tree(&m->tmp, m->diags, form, 0, &got);
    if (m->tmp.oom || dcfg__diags_oom(m->diags) || m->watch.failed)
        m->oom = 1;
    int ok = !m->oom && rc == 0 && dcfg__node_equal(got, root);
    dcfg__diags_clear(m->diags);
    dcfg__arena_free(&m->tmp);
    return ok;
}

/* Booleans of one value written as strings ("true"): same value for the
 * field, but rules that look at the raw input (docker: true excludes image)
 * see a string, as they do in the file the configuration came from. */
static dcfg__node *bools_as_strings(mctx *m, const dcfg__node *n)
{
    if (n->type == DCFG__BOOL)
        return mk_str_input(m->out, n->v.b ? "true" : "false", n->v.b ? 4 : 5);
    dcfg__node *c = dcfg__node_copy(m->out, n);
    if (c && (n->type == DCFG__MAP || n->type == DCFG__SEQ)) {
        size_t slots = n->type == DCFG__MAP ? 2 * n->n : n->n;
        for (size_t i = n->type == DCFG__MAP ? 1 : 0; i < slots; i += n->type == DCFG__MAP ? 2 : 1)
            if (!(c->kids[i] = bools_as_strings(m, n->kids[i])))
                return NULL;
    }
    return c;
}

/* Makes `form` a valid document that gives `root`, when a root rule that
 * reads raw input rejects it: booleans become strings, one root field at a
 * time, then all of them. 1 done, 0 not possible. */
static int repair(mctx *m, dcfg__node *form, const dcfg__node *root)
{
    if (check_document(m, form, root))
        return 1;
    for (size_t i = 0; i < form->n && !m->oom; i++) {
        dcfg__node *was = DCFG__VAL(form, i), *alt = bools_as_strings(m, was);
        if (!alt)
            return m->oom = 1, 0;
        DCFG__VAL(form, i) = alt;
        if (check_document(m, form, root))
            return 1;
        DCFG__VAL(form, i) = was;
    }
    for (size_t i = 0; i < form->n && !m->oom; i++)
        if (!(DCFG__VAL(form, i) = bools_as_strings(m, DCFG__VAL(form, i))))
            return m->oom = 1, 0;
    return !m->oom && check_document(m, form, root);
}

dcfg_status dcfg__view_minimal(dcfg__arena *a, const dcfg__node *root, unsigned how, dcfg__node **out)
{
    *out = NULL;
    if (!root || root->type != DCFG__MAP)
        return DCFG_EUSAGE;
    mctx m = { .out = a };
    if (mctx_init(&m)) {
        mctx_free(&m);
        return DCFG_ENOMEM;
    }
    dcfg__node *r = build_minimal(&m, root, how);
    if (r && !m.oom && !repair(&m, r, root) && !m.oom) {
        /* a rule between fields saw a difference: fall back to plain forms */
        r = (how & DCFG__MIN_SHORTHANDS) ? build_minimal(&m, root, 0) : NULL;
        if (r && !m.oom && !repair(&m, r, root))
            r = NULL;
        if (!r && !m.oom) {
            r = dcfg__node_copy(a, root);
            if (r && !m.oom)
                repair(&m, r, root);
        }
    }
    mctx_free(&m);
    if (m.oom || a->oom || !r)
        return DCFG_ENOMEM;
    *out = r;
    return DCFG_OK;
}

/* ======================================================================
 * Effective view
 * ====================================================================== */

typedef struct ectx {
    dcfg__arena *a;
    int oom;
} ectx;

static dcfg__node *e_int(ectx *e, long long v)
{
    dcfg__node *n = dcfg__mk_int(e->a, v);
    e->oom |= !n;
    return n;
}
static dcfg__node *e_bool(ectx *e, int v)
{
    dcfg__node *n = dcfg__mk_bool(e->a, v);
    e->oom |= !n;
    return n;
}
static dcfg__node *e_strn(ectx *e, const char *s, size_t len)
{
    dcfg__node *n = dcfg__mk_str(e->a, s, len);
    e->oom |= !n;
    return n;
}
static dcfg__node *e_str(ectx *e, const char *s) { return e_strn(e, s, strlen(s)); }

/* A mapping from alternating key / value pairs. */
static dcfg__node *e_map(ectx *e, size_t n, const char *const *keys, dcfg__node *const *vals)
{
    dcfg__node *m = dcfg__mk_map(e->a, n);
    if (!m)
        return e->oom = 1, NULL;
    for (size_t i = 0; i < n; i++) {
        dcfg__node *k = dcfg__mk_strz(e->a, keys[i]);
        if (!k || !vals[i])
            return e->oom = 1, NULL;
        dcfg__map_put(m, k, vals[i]);
    }
    return m;
}

static void fill(ectx *e, dcfg__node *m, const char *key, dcfg__node *(*mk)(ectx *, const void *), const void *arg)
{
    dcfg__node *v = get(m, key);
    if (v && v->type == DCFG__NULL)
        set(m, key, mk(e, arg));
}

static dcfg__node *mk_int_arg(ectx *e, const void *arg) { return e_int(e, *(const long long *)arg); }
static dcfg__node *mk_bool_arg(ectx *e, const void *arg) { return e_bool(e, *(const int *)arg); }
static dcfg__node *mk_str_arg(ectx *e, const void *arg) { return e_str(e, arg); }

/* Plain "null -> value" defaults of the root (SERVICE-SPEC §4). */
typedef struct simple_default {
    const char *key;
    char type;            /* 'i' integer, 'b' boolean, 's' string */
    long long i;
    const char *s;
} simple_default;

static const simple_default root_defaults[] = {
    { "https", 'b', 1, NULL },                      /* the server serves HTTPS unless told otherwise */
    { "single_branch", 'b', 1, NULL },              /* services clone one branch */
    { "priority", 'i', 0, NULL },                   /* persisted by the server */
    { "max_duration", 's', 0, "off" },              /* services run until stopped */
    { "stop_duration", 'i', 300, NULL },            /* DEFAULT_STOP_DURATION */
    { "idle_duration", 'i', 300, NULL },            /* instances this run provisions */
    { "creation_policy", 's', 0, "reuse-or-create" },
    { "startup_order", 's', 0, "any" },
    { "stop_criteria", 's', 0, "all-done" },
    { "retry", 'b', 0, NULL },                      /* null: no retry */
    { NULL, 0, 0, NULL },
};

static void apply_simple(ectx *e, dcfg__node *m, const simple_default *t)
{
    for (; t->key; t++) {
        int b = (int)t->i;
        if (t->type == 'i')
            fill(e, m, t->key, mk_int_arg, &t->i);
        else if (t->type == 'b')
            fill(e, m, t->key, mk_bool_arg, &b);
        else
            fill(e, m, t->key, mk_str_arg, t->s);
    }
}

static dcfg__node *retry_events(ectx *e)
{
    static const char *const events[] = { "no-capacity", "interruption", "error" };
    dcfg__node *seq = dcfg__mk_seq(e->a, 3);
    if (!seq)
        return e->oom = 1, NULL;
    for (size_t i = 0; i < 3; i++) {
        dcfg__node *s = e_str(e, events[i]);
        if (!s)
            return NULL;
        dcfg__seq_push(seq, s);
    }
    return seq;
}

/* true -> every event for an hour; a mapping gets its missing parts. */
static void effective_retry(ectx *e, dcfg__node *root)
{
    dcfg__node *r = get(root, "retry");
    if (is_true(r)) {
        static const char *const keys[] = { "on_events", "duration" };
        dcfg__node *vals[] = { retry_events(e), e_int(e, 3600) };
        set(root, "retry", e_map(e, 2, keys, vals));
    } else if (r && r->type == DCFG__MAP) {
        if (is_null(get(r, "on_events")))
            set(r, "on_events", retry_events(e));
        if (is_null(get(r, "duration")))
            set(r, "duration", e_int(e, 3600));
    }
}

static void effective_scaling(ectx *e, dcfg__node *scaling)
{
    if (scaling && scaling->type == DCFG__MAP && is_null(get(scaling, "window")))
        set(scaling, "window", e_int(e, 60)); /* DEFAULT_SCALING_WINDOW */
}

/* Python's json.dumps() of a string (ensure_ascii, so non-ASCII as \uXXXX). */
static void json_dumps_str(dcfg__buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    dcfg__buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], cp = c, len = 1;
        if (c >= 0xF0 && n - i >= 4)
            cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu), len = 4;
        else if (c >= 0xE0 && n - i >= 3)
            cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu), len = 3;
        else if (c >= 0xC0 && n - i >= 2)
            cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu), len = 2;
        i += len;
        switch (cp) {
        case '"': dcfg__buf_puts(b, "\\\""); continue;
        case '\\': dcfg__buf_puts(b, "\\\\"); continue;
        case '\n': dcfg__buf_puts(b, "\\n"); continue;
        case '\r': dcfg__buf_puts(b, "\\r"); continue;
        case '\t': dcfg__buf_puts(b, "\\t"); continue;
        case '\b': dcfg__buf_puts(b, "\\b"); continue;
        case '\f': dcfg__buf_puts(b, "\\f"); continue;
        default: break;
        }
        if (cp < 0x20 || (cp > 0x7E && cp != 0x7F)) {
            if (cp >= 0x10000) {
                unsigned v = cp - 0x10000;
                dcfg__buf_printf(b, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
            } else {
                dcfg__buf_printf(b, "\\u%04x", cp);
            }
        } else {
            dcfg__buf_putc(b, (char)cp);
        }
    }
    dcfg__buf_putc(b, '"');
}

/* The probe dstack adds for an OpenAI-format model (jobs/configurators/base.py). */
static dcfg__node *openai_probe(ectx *e, const dcfg__node *model)
{
    const dcfg__node *name = get(model, "name"), *prefix = get(model, "prefix");
    if (!name || name->type != DCFG__STR || !prefix || prefix->type != DCFG__STR)
        return NULL;
    dcfg__buf url, body;
    dcfg__buf_init(&url, e->a->al);
    dcfg__buf_init(&body, e->a->al);
    size_t plen = prefix->len;
    while (plen && prefix->str[plen - 1] == '/')
        plen--;
    dcfg__buf_putn(&url, prefix->str, plen);
    dcfg__buf_puts(&url, "/chat/completions");
    dcfg__buf_puts(&body, "{\"model\": ");
    json_dumps_str(&body, name->str, name->len);
    dcfg__buf_puts(&body, ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1}");
    dcfg__node *hdr = NULL, *headers = dcfg__mk_seq(e->a, 1);
    {
        static const char *const keys[] = { "name", "value" };
        dcfg__node *vals[] = { e_str(e, "Content-Type"), e_str(e, "application/json") };
        hdr = e_map(e, 2, keys, vals);
    }
    if (headers && hdr)
        dcfg__seq_push(headers, hdr);
    static const char *const keys[] = { "type", "url", "method", "headers", "body", "timeout", "interval",
                                        "ready_after", "until_ready" };
    dcfg__node *vals[] = {
        e_str(e, "http"),
        url.oom ? NULL : e_strn(e, url.p, url.len),
        e_str(e, "post"),
        headers,
        body.oom ? NULL : e_strn(e, body.p, body.len),
        e_int(e, 30), /* OPENAI_MODEL_PROBE_TIMEOUT */
        e_int(e, 15),
        e_int(e, 1),
        e_bool(e, 0),
    };
    e->oom |= url.oom || body.oom;
    dcfg__buf_free(&url);
    dcfg__buf_free(&body);
    dcfg__node *probe = e_map(e, 9, keys, vals);
    dcfg__node *list = dcfg__mk_seq(e->a, 1);
    if (!probe || !list)
        return e->oom = 1, NULL;
    dcfg__seq_push(list, probe);
    return list;
}

static int any_group_has(const dcfg__node *groups, const char *key)
{
    for (size_t i = 0; groups && i < groups->n; i++)
        if (!is_null(get(groups->kids[i], key)))
            return 1;
    return 0;
}

static void effective_probes(ectx *e, dcfg__node *root, const dcfg__node *groups)
{
    dcfg__node *probes = get(root, "probes");
    if (probes && probes->type == DCFG__SEQ) {
        /* _probe_config_to_spec */
        for (size_t i = 0; i < probes->n; i++) {
            dcfg__node *p = probes->kids[i];
            long long timeout = 10, interval = 15, ready_after = 1;
            int no = 0;
            fill(e, p, "url", mk_str_arg, "/");
            /* with a body the method stays unset: an explicit `get` with a body is invalid input */
            if (is_null(get(p, "body")))
                fill(e, p, "method", mk_str_arg, "get");
            fill(e, p, "timeout", mk_int_arg, &timeout);
            fill(e, p, "interval", mk_int_arg, &interval);
            fill(e, p, "ready_after", mk_int_arg, &ready_after);
            fill(e, p, "until_ready", mk_bool_arg, &no);
        }
        return;
    }
    const dcfg__node *model = get(root, "model");
    if (!is_null(probes))
        return;
    if (model && model->type == DCFG__MAP && dcfg__node_is_str(get(model, "format"), "openai")) {
        /* with a router group only the router gets the probe: not expressible here */
        if (!any_group_has(groups, "router"))
            set(root, "probes", openai_probe(e, model));
        return;
    }
    dcfg__node *none = dcfg__mk_seq(e->a, 0);
    e->oom |= !none;
    set(root, "probes", none);
}

/* DEFAULT_GPU_SPEC: any number of GPUs, including none. */
static dcfg__node *default_gpu(ectx *e)
{
    static const char *const range_keys[] = { "min", "max" };
    dcfg__node *nul = dcfg__mk(e->a, DCFG__NULL);
    dcfg__node *count_vals[] = { e_int(e, 0), nul };
    static const char *const keys[] = { "vendor", "name", "count", "memory", "total_memory", "compute_capability" };
    dcfg__node *vals[] = { nul, nul, e_map(e, 2, range_keys, count_vals), nul, nul, nul };
    e->oom |= !nul;
    return e_map(e, 6, keys, vals);
}

/* set_run_spec_resources_defaults: default GPU spec, vendor by image; and the
 * job's CPU architecture when dstack's own (x86-only) image runs. */
static void effective_resources(ectx *e, dcfg__node *res, const dcfg__node *image, const dcfg__node *docker)
{
    if (!res || res->type != DCFG__MAP)
        return;
    dcfg__node *gpu = get(res, "gpu");
    if (is_null(gpu)) {
        gpu = default_gpu(e);
        set(res, "gpu", gpu);
    }
    if (gpu && gpu->type == DCFG__MAP && is_null(get(gpu, "vendor"))) {
        const dcfg__node *count = get(gpu, "count"), *max = count ? get(count, "max") : NULL;
        const dcfg__node *names = get(gpu, "name");
        int no_gpu = max && max->type == DCFG__INT && max->v.i == 0;
        int no_names = is_null(names) || (names->type == DCFG__SEQ && names->n == 0);
        if (!no_gpu && no_names && is_null(image) && !is_true(docker))
            set(gpu, "vendor", e_str(e, "nvidia"));
    }
    dcfg__node *cpu = get(res, "cpu");
    if (cpu && cpu->type == DCFG__MAP && is_null(get(cpu, "arch")) && is_null(image))
        set(cpu, "arch", e_str(e, "x86"));
}

/* dstack's base image (settings.DSTACK_DOCKER_BASE_IMAGE*, dstack 0.22.5). */
#define BASE_IMAGE "dstackai/base:0.16-base-ubuntu24.04"
#define DEVEL_IMAGE "dstackai/base:0.16-devel-ubuntu24.04"

/* The shell dstack picks (JobConfigurator._shell, service groups included). */
static const char *shell_for(const dcfg__node *root, const dcfg__node *group)
{
    if (group && is_true(get(group, "docker")))
        return "/bin/bash";
    if (group && !is_null(get(group, "image")))
        return "/bin/sh";
    return is_null(get(root, "image")) ? "/bin/bash" : "/bin/sh";
}

static void effective_container(ectx *e, dcfg__node *root, const dcfg__node *orig, const dcfg__node *groups)
{
    const dcfg__node *shell = get(orig, "shell");
    if (shell && shell->type == DCFG__STR && shell->len && shell->str[0] != '/') {
        dcfg__buf b;
        dcfg__buf_init(&b, e->a->al);
        dcfg__buf_printf(&b, "/bin/%.*s", (int)shell->len, shell->str);
        set(root, "shell", b.oom ? NULL : e_strn(e, b.p, b.len));
        e->oom |= b.oom;
        dcfg__buf_free(&b);
    } else if (is_null(shell)) {
        const char *sh = shell_for(orig, groups && groups->n ? groups->kids[0] : NULL);
        for (size_t i = 1; groups && i < groups->n && sh; i++)
            if (strcmp(sh, shell_for(orig, groups->kids[i])))
                sh = NULL; /* groups differ: no single value */
        if (sh)
            set(root, "shell", e_str(e, sh));
    }
    int docker = is_true(get(orig, "docker"));
    if (!groups && is_null(get(orig, "image")) && is_null(get(orig, "python")) && !docker)
        set(root, "image", e_str(e, is_true(get(orig, "nvcc")) ? DEVEL_IMAGE : BASE_IMAGE));
    /* docker-in-docker always runs privileged */
    if (docker && !any_group_has(groups, "privileged"))
        set(root, "privileged", e_bool(e, 1));
    for (size_t i = 0; groups && i < groups->n; i++) {
        dcfg__node *g = groups->kids[i];
        if (is_true(get(g, "docker")) && is_null(get(g, "privileged")) && !is_true(get(orig, "privileged")))
            set(g, "privileged", e_bool(e, 1));
    }
}

/* Resets every root field whose effective value its own parser does not take
 * back (e.g. a default probe for a model with a prefix that is no URL path). */
static void keep_parseable(ectx *e, dcfg__node *root, const dcfg__node *orig)
{
    mctx m = { .out = e->a };
    if (mctx_init(&m)) {
        mctx_free(&m);
        e->oom = 1;
        return;
    }
    const dcfg__schema *s = &dcfg__service_schema;
    for (size_t i = 0; i < root->n && !m.oom; i++) {
        const dcfg__node *k = DCFG__KEY(root, i);
        size_t fi = k->type == DCFG__STR ? dcfg__schema_index(s, k->str) : (size_t)-1;
        const dcfg__node *was = dcfg__map_get(orig, k->str);
        if (fi == (size_t)-1 || !was || dcfg__node_equal(DCFG__VAL(root, i), was))
            continue;
        /* the effective value, read as the field, must give itself */
        if (!check_field(&m, &s->fields[fi], DCFG__VAL(root, i), DCFG__VAL(root, i)) && !m.oom)
            DCFG__VAL(root, i) = dcfg__node_copy(e->a, was);
    }
    e->oom |= m.oom;
    mctx_free(&m);
}

dcfg_status dcfg__view_effective(dcfg__arena *a, const dcfg__node *orig, dcfg__node **out)
{
    *out = NULL;
    if (!orig || orig->type != DCFG__MAP)
        return DCFG_EUSAGE;
    ectx e = { .a = a };
    dcfg__node *root = dcfg__node_copy(a, orig);
    if (!root)
        return DCFG_ENOMEM;
    dcfg__node *groups = get(root, "groups");
    if (groups && groups->type != DCFG__SEQ)
        groups = NULL;

    apply_simple(&e, root, root_defaults);
    effective_retry(&e, root);
    effective_probes(&e, root, groups);

    /* replicas: one when unset (with `scaling` but no range it stays unset: 1..1 plus scaling is invalid) */
    if (!groups && is_null(get(root, "replicas")) && is_null(get(root, "scaling"))) {
        static const char *const keys[] = { "min", "max" };
        dcfg__node *vals[] = { e_int(&e, 1), e_int(&e, 1) };
        set(root, "replicas", e_map(&e, 2, keys, vals));
    }
    effective_scaling(&e, get(root, "scaling"));

    /* spot policy: on-demand, at the level where it is not set */
    if (is_null(get(root, "spot_policy"))) {
        if (!any_group_has(groups, "spot_policy")) {
            set(root, "spot_policy", e_str(&e, "on-demand"));
        } else {
            for (size_t i = 0; i < groups->n; i++)
                if (is_null(get(groups->kids[i], "spot_policy")))
                    set(groups->kids[i], "spot_policy", e_str(&e, "on-demand"));
        }
    }

    effective_resources(&e, get(root, "resources"), get(orig, "image"), get(orig, "docker"));
    const dcfg__node *ogroups = get(orig, "groups");
    for (size_t i = 0; groups && i < groups->n; i++) {
        dcfg__node *g = groups->kids[i];
        const dcfg__node *og = ogroups && ogroups->type == DCFG__SEQ && i < ogroups->n ? ogroups->kids[i] : NULL;
        const dcfg__node *image = og && !is_null(get(og, "image")) ? get(og, "image") : get(orig, "image");
        const dcfg__node *docker = og && !is_null(get(og, "docker")) ? get(og, "docker") : get(orig, "docker");
        effective_resources(&e, get(g, "resources"), image, docker);
        effective_scaling(&e, get(g, "scaling"));
    }
    effective_container(&e, root, orig, groups);
    if (!e.oom)
        keep_parseable(&e, root, orig);
    if (e.oom || a->oom)
        return DCFG_ENOMEM;
    /* the dstack layout does not always read back (docker: "true" beside an
     * image becomes true): write such booleans as strings */
    mctx m = { .out = a };
    if (mctx_init(&m)) {
        mctx_free(&m);
        return DCFG_ENOMEM;
    }
    dcfg__node *want = dcfg__node_copy(a, root); /* the values the written form must give */
    if (!want)
        m.oom = 1;
    else
        repair(&m, root, want); /* when it cannot, the effective view stays as computed */
    mctx_free(&m);
    if (m.oom || a->oom)
        return DCFG_ENOMEM;
    *out = root;
    return DCFG_OK;
}
