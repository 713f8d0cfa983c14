/* Shorthand candidates for the minimal view: from a value's shape (ranges,
 * references, spec strings such as "A100:80GB:2", durations, env lists),
 * the shorter input forms a field might read back to the same value. Nothing
 * here knows a field: the minimal view keeps a candidate only after the
 * field's own parser has read it back to the same value. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "write/views.h"

dcfg__node *dcfg__strip_defaults(dcfg__checker *m, const dcfg__node *v)
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
            dcfg__node *k = dcfg__node_copy(m->out, DCFG__KEY(v, i)), *val = dcfg__strip_defaults(m, DCFG__VAL(v, i));
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
            dcfg__node *item = dcfg__strip_defaults(m, v->kids[i]);
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

static void add(dcfg__cands *cs, dcfg__node *n)
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
            dcfg__buf_put_int(b, n->v.i);
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
    if (view_is_null(lo) && view_is_null(hi))
        return -1;
    if (!view_is_null(lo) && !view_is_null(hi) && dcfg__node_equal(lo, hi)) {
        *single = 1;
        return bound_text(b, lo);
    }
    if (!view_is_null(lo) && bound_text(b, lo))
        return -1;
    dcfg__buf_puts(b, "..");
    if (!view_is_null(hi) && bound_text(b, hi))
        return -1;
    return 0;
}

/* Frees a buffer that is not needed; a failed allocation in it still counts:
 * a candidate it would have made is missing, so the result is not reliable. */
static void drop(dcfg__checker *m, dcfg__buf *b)
{
    m->oom |= b->oom;
    dcfg__buf_free(b);
}

static dcfg__node *buf_node(dcfg__checker *m, dcfg__buf *b)
{
    dcfg__node *n = b->oom ? NULL : view_str(m->out, b->p ? b->p : "", b->len);
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
static void spec_candidates(dcfg__checker *m, const dcfg__node *v, dcfg__cands *cs)
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
        add(cs, view_str(m->out, text[0], tlen[0]));
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
static dcfg__node *env_list(dcfg__checker *m, const dcfg__node *v)
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


static void map_candidates(dcfg__checker *m, const dcfg__node *v, dcfg__cands *cs, int depth)
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
        dcfg__candidates(m, DCFG__VAL(v, 0), cs, depth + 1);
        add(cs, dcfg__strip_defaults(m, DCFG__VAL(v, 0)));
    }
}

void dcfg__candidates(dcfg__checker *m, const dcfg__node *v, dcfg__cands *cs, int depth)
{
    char tmp[48];
    switch ((dcfg__ntype)v->type) {
    case DCFG__MAP:
        map_candidates(m, v, cs, depth);
        break;
    case DCFG__SEQ:
        if (v->n == 1 && depth < 2) {
            dcfg__candidates(m, v->kids[0], cs, depth + 1);
            add(cs, dcfg__strip_defaults(m, v->kids[0]));
        }
        if (v->n == 2 && v->kids[0]->type == DCFG__INT && v->kids[1]->type == DCFG__INT &&
            !((v->kids[0]->flags | v->kids[1]->flags) & DCFG__NF_BIGINT) && v->kids[0]->v.i >= 0 &&
            v->kids[1]->v.i >= 0) {
            /* [8, 0] -> "8.0" (compute capabilities) */
            int len = snprintf(tmp, sizeof tmp, "%lld.%lld", v->kids[0]->v.i, v->kids[1]->v.i);
            add(cs, view_str(m->out, tmp, (size_t)len));
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
            add(cs, view_str(m->out, "off", 3));
        for (size_t i = 0; v->v.i > 0 && i < sizeof units / sizeof *units; i++) {
            if (v->v.i % units[i].secs == 0) {
                int len = snprintf(tmp, sizeof tmp, "%lld%c", v->v.i / units[i].secs, units[i].unit);
                add(cs, view_str(m->out, tmp, (size_t)len));
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
