/* dcfg_config_diff: the changed values of two normalized trees, each with
 * the update class of its field (the tables' update column), then dstack
 * 0.22.5's special cases that make a change stronger or weaker than its
 * field's class. */
#include <string.h>
#include "config_impl.h"

struct dcfg_change {
    const char *path, *old_json, *new_json; /* in the diff's arena; JSON NULL when absent */
    dcfg_update_class cls;
    const char *reason;                     /* static text or NULL */
};

struct dcfg_diff {
    dcfg_allocator al;
    dcfg__arena arena;
    dcfg_change *items; /* through `al`, grown by doubling */
    size_t n, cap;
    int oom;
};

const char *dcfg_update_class_name(dcfg_update_class c)
{
    switch (c) {
    case DCFG_UPDATE_NONE: return "none";
    case DCFG_UPDATE_IN_PLACE: return "in-place";
    case DCFG_UPDATE_ROLLING: return "rolling";
    case DCFG_UPDATE_RESTART: return "restart";
    }
    return NULL;
}

static const char *json_of(dcfg_diff *d, const dcfg__node *n)
{
    dcfg__buf b;
    if (!n)
        return NULL;
    dcfg__buf_init(&b, &d->al);
    if (dcfg__emit_json(&b, n, 0) != DCFG_OK) {
        dcfg__buf_free(&b);
        d->oom = 1;
        return NULL;
    }
    char *s = dcfg__arena_strndup(&d->arena, b.p ? b.p : "", b.len);
    dcfg__buf_free(&b);
    if (!s)
        d->oom = 1;
    return s;
}

static void record(dcfg_diff *d, const dcfg__buf *path, const dcfg__node *a, const dcfg__node *b)
{
    if (d->oom)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        dcfg_change *p = d->items ? dcfg__realloc(&d->al, d->items, cap * sizeof *p) : dcfg__malloc(&d->al, cap * sizeof *p);
        if (!p) {
            d->oom = 1;
            return;
        }
        d->items = p;
        d->cap = cap;
    }
    dcfg_change *c = &d->items[d->n];
    c->path = dcfg__arena_strndup(&d->arena, path->p ? path->p : "", path->len);
    c->old_json = json_of(d, a);
    c->new_json = json_of(d, b);
    c->cls = c->path ? dcfg__update_class_of(c->path) : DCFG_UPDATE_RESTART;
    c->reason = NULL;
    if (!c->path || (a && !c->old_json) || (b && !c->new_json))
        d->oom = 1;
    else
        d->n++;
}

static void walk(dcfg_diff *d, dcfg__buf *path, const dcfg__node *a, const dcfg__node *b);

static void walk_member(dcfg_diff *d, dcfg__buf *path, const dcfg__node *key, const dcfg__node *a,
                        const dcfg__node *b)
{
    size_t mark = path->len;
    if (mark)
        dcfg__buf_putc(path, '.');
    dcfg__buf_putn(path, key->str, key->len);
    if (!a || !b)
        record(d, path, a, b);
    else
        walk(d, path, a, b);
    dcfg__buf_truncate(path, mark);
}

static const dcfg__node *member(const dcfg__node *m, const dcfg__node *key)
{
    for (size_t i = 0; i < m->n; i++) {
        const dcfg__node *k = DCFG__KEY(m, i);
        if (k->len == key->len && !memcmp(k->str, key->str, key->len))
            return DCFG__VAL(m, i);
    }
    return NULL;
}

/* Maps compare member by member (key order is no change, as for Python
 * dicts); lists item by item when their lengths agree, else as a whole. */
static void walk(dcfg_diff *d, dcfg__buf *path, const dcfg__node *a, const dcfg__node *b)
{
    if (dcfg__node_equal(a, b) || d->oom)
        return;
    if (a->type == DCFG__MAP && b->type == DCFG__MAP) {
        for (size_t i = 0; i < a->n; i++)
            walk_member(d, path, DCFG__KEY(a, i), DCFG__VAL(a, i), member(b, DCFG__KEY(a, i)));
        for (size_t i = 0; i < b->n; i++)
            if (!member(a, DCFG__KEY(b, i)))
                walk_member(d, path, DCFG__KEY(b, i), NULL, DCFG__VAL(b, i));
        return;
    }
    if (a->type == DCFG__SEQ && b->type == DCFG__SEQ && a->n == b->n) {
        for (size_t i = 0; i < a->n; i++) {
            size_t mark = path->len;
            dcfg__buf_printf(path, "[%zu]", i);
            walk(d, path, a->kids[i], b->kids[i]);
            dcfg__buf_truncate(path, mark);
        }
        return;
    }
    record(d, path, a, b);
}

/* ---- dstack's special cases ------------------------------------------------------ */

static int is_null(const dcfg__node *n) { return !n || n->type == DCFG__NULL; }

/* The root field a path starts with ("groups" for "groups[1].name"). */
static int root_is(const char *path, const char *field)
{
    size_t n = strlen(field);
    return !strncmp(path, field, n) && (path[n] == '\0' || path[n] == '.' || path[n] == '[');
}

/* Index of the group a path is inside ("groups[2]..."), or -1. */
static long group_index(const char *path)
{
    if (strncmp(path, "groups[", 7))
        return -1;
    long i = 0;
    for (const char *p = path + 7; *p >= '0' && *p <= '9'; p++)
        i = i * 10 + (*p - '0');
    return i;
}

/* The first replica group with a router, as dstack picks it; -1 when none. */
static long router_group(const dcfg__node *root, const dcfg__node **grp)
{
    const dcfg__node *groups = dcfg__map_get(root, "groups");
    *grp = NULL;
    if (is_null(groups))
        return -1;
    for (size_t i = 0; i < groups->n; i++) {
        if (!is_null(dcfg__map_get(groups->kids[i], "router"))) {
            *grp = groups->kids[i];
            return (long)i;
        }
    }
    return -1;
}

static int is_dynamo(const dcfg__node *grp)
{
    return grp && dcfg__node_is_str(dcfg__map_get(dcfg__map_get(grp, "router"), "type"), "dynamo");
}

static void raise_to(dcfg_change *c, dcfg_update_class cls, const char *reason)
{
    if (c->cls < cls) {
        c->cls = cls;
        c->reason = reason;
    }
}

/* Raise the changes of the groups list (or of groups io/in) to restart; when
 * none is a likely culprit, every change under `groups`. */
static void raise_groups(dcfg_diff *d, long io, long in, int only_ident, const char *reason)
{
    size_t hit = 0;
    for (size_t i = 0; i < d->n; i++) {
        const char *p = d->items[i].path;
        long g = group_index(p);
        if (!root_is(p, "groups"))
            continue;
        const char *rest = strchr(p, ']');
        rest = rest ? rest + 1 : "";
        int whole = g < 0 || *rest == '\0';
        int ident = !strcmp(rest, ".name") || !strncmp(rest, ".router", 7);
        if (whole || ((g == io || g == in) && (!only_ident || ident))) {
            raise_to(&d->items[i], DCFG_UPDATE_RESTART, reason);
            hit++;
        }
    }
    for (size_t i = 0; !hit && i < d->n; i++)
        if (root_is(d->items[i].path, "groups"))
            raise_to(&d->items[i], DCFG_UPDATE_RESTART, reason);
}

static int null_or_zero(const dcfg__node *n)
{
    return is_null(n) || (n->type == DCFG__INT && !(n->flags & DCFG__NF_BIGINT) && n->v.i == 0);
}

static void special_cases(dcfg_diff *d, const dcfg__node *oldr, const dcfg__node *newr)
{
    const dcfg__node *og, *ng;
    long io = router_group(oldr, &og), in = router_group(newr, &ng);
    /* the server sets an unset priority to 0 before comparing: no change */
    if (null_or_zero(dcfg__map_get(oldr, "priority")) && null_or_zero(dcfg__map_get(newr, "priority"))) {
        size_t k = 0;
        for (size_t i = 0; i < d->n; i++)
            if (strcmp(d->items[i].path, "priority"))
                d->items[k++] = d->items[i];
        d->n = k;
    }
    for (size_t i = 0; i < d->n; i++) {
        dcfg_change *c = &d->items[i];
        /* https: dstack lets null and true (its default) stand for each other */
        if (!strcmp(c->path, "https")) {
            const dcfg__node *a = dcfg__map_get(oldr, "https"), *b = dcfg__map_get(newr, "https");
            if ((is_null(a) || (a->type == DCFG__BOOL && a->v.b)) && (is_null(b) || (b->type == DCFG__BOOL && b->v.b))) {
                c->cls = DCFG_UPDATE_IN_PLACE;
                c->reason = "null and true both mean HTTPS; the change has no effect";
            }
        }
    }
    const dcfg__node *on = og ? dcfg__map_get(og, "name") : NULL, *nn = ng ? dcfg__map_get(ng, "name") : NULL;
    if (!og != !ng || (og && !dcfg__node_equal(on, nn)))
        raise_groups(d, io, in, 1, "the router group changes (a router added, removed or moved to another group)");
    if (!is_dynamo(og) && !is_dynamo(ng))
        return;
    static const char dynamo[] = "with a Dynamo router this re-provisions the router; stop the run and apply again";
    if (!og || !ng || !dcfg__node_equal(og, ng))
        raise_groups(d, io, in, 0, dynamo);
    for (size_t i = 0; i < d->n; i++) {
        dcfg_change *c = &d->items[i];
        size_t seg = strcspn(c->path, ".[");
        char root[64];
        if (seg >= sizeof root)
            continue;
        memcpy(root, c->path, seg);
        root[seg] = '\0';
        /* dstack's list: the root fields it updates by a rolling deployment */
        if (dcfg__update_class_of(root) == DCFG_UPDATE_ROLLING)
            raise_to(c, DCFG_UPDATE_RESTART, dynamo);
    }
}

/* ---- public API ---------------------------------------------------------------------- */

dcfg_status dcfg_config_diff(dcfg_diff **out, const dcfg_config *old_cfg, const dcfg_config *new_cfg,
                             const dcfg_diff_options *opts)
{
    if (out)
        *out = NULL;
    if (!out || !old_cfg || !new_cfg || (opts && (opts->version != DCFG_DIFF_OPTIONS_VERSION || opts->flags)))
        return DCFG_EUSAGE;
    if (!old_cfg->root || !new_cfg->root)
        return DCFG_EINVALID;
    dcfg_diff *d = dcfg__malloc(&old_cfg->al, sizeof *d);
    if (!d)
        return DCFG_ENOMEM;
    memset(d, 0, sizeof *d);
    d->al = old_cfg->al;
    dcfg__arena_init(&d->arena, &d->al);
    dcfg__buf path;
    dcfg__buf_init(&path, &d->al);
    walk(d, &path, old_cfg->root, new_cfg->root);
    if (path.oom)
        d->oom = 1;
    dcfg__buf_free(&path);
    if (!d->oom)
        special_cases(d, old_cfg->root, new_cfg->root);
    if (d->oom) {
        dcfg_diff_free(d);
        return DCFG_ENOMEM;
    }
    *out = d;
    return DCFG_OK;
}

void dcfg_diff_free(dcfg_diff *d)
{
    if (!d)
        return;
    dcfg_allocator al = d->al;
    dcfg__free(&al, d->items);
    dcfg__arena_free(&d->arena);
    dcfg__free(&al, d);
}

size_t dcfg_diff_count(const dcfg_diff *d) { return d ? d->n : 0; }
const dcfg_change *dcfg_diff_at(const dcfg_diff *d, size_t i) { return d && i < d->n ? &d->items[i] : NULL; }

dcfg_update_class dcfg_diff_verdict(const dcfg_diff *d)
{
    dcfg_update_class v = DCFG_UPDATE_NONE;
    for (size_t i = 0; d && i < d->n; i++)
        if (d->items[i].cls > v)
            v = d->items[i].cls;
    return v;
}

const char *dcfg_change_path(const dcfg_change *c) { return c ? c->path : NULL; }
const char *dcfg_change_old(const dcfg_change *c) { return c ? c->old_json : NULL; }
const char *dcfg_change_new(const dcfg_change *c) { return c ? c->new_json : NULL; }
dcfg_update_class dcfg_change_class(const dcfg_change *c) { return c ? c->cls : DCFG_UPDATE_NONE; }
const char *dcfg_change_reason(const dcfg_change *c) { return c ? c->reason : NULL; }
