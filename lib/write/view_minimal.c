/* The minimal view: what the user wrote, normalized. Defaulted fields are
 * left out and each value takes the shortest form that the field's own
 * parser reads back to the same value. Candidates come from shorthand.c and
 * every one is checked by parsing it with the schema, so a new field or kind
 * needs no code here: at worst it keeps its normalized form. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "write/views.h"

/* Sets up the scratch of m (whose `out` is set); 0 ok, -1 out of memory. */
static void improve(dcfg__checker *m, const dcfg__field *f, dcfg__node **root, const dcfg__node *want, dcfg__node **slot,
                    const dcfg__node *v)
{
    if (m->oom)
        return;
    dcfg__cands cs = { .n = 0 };
    dcfg__candidates(m, v, &cs, 0);
    dcfg__node *saved = *slot;
    for (size_t i = 0; i < cs.n; i++) {
        *slot = cs.v[i];
        if (dcfg__check_field(m, f, *root, want))
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
                if (dcfg__check_field(m, f, *root, want))
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
            dcfg__node *want_one = dcfg__read_back(m, f, one);
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
static dcfg__node *field_form(dcfg__checker *m, const dcfg__field *f, const dcfg__node *v, unsigned how)
{
    dcfg__node *form = dcfg__strip_defaults(m, v);
    if (!form)
        return m->oom = 1, NULL;
    if (!dcfg__check_field(m, f, form, v)) {
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

static dcfg__node *build_minimal(dcfg__checker *m, const dcfg__node *root, unsigned how)
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


dcfg_status dcfg__view_minimal(dcfg__arena *a, const dcfg__node *root, unsigned how, dcfg__node **out)
{
    *out = NULL;
    if (!root || root->type != DCFG__MAP)
        return DCFG_EUSAGE;
    dcfg__checker m = { .out = a };
    if (dcfg__checker_init(&m)) {
        dcfg__checker_free(&m);
        return DCFG_ENOMEM;
    }
    dcfg__node *r = build_minimal(&m, root, how);
    if (r && !m.oom && !dcfg__repair(&m, r, root) && !m.oom) {
        /* a rule between fields saw a difference: fall back to plain forms */
        r = (how & DCFG__MIN_SHORTHANDS) ? build_minimal(&m, root, 0) : NULL;
        if (r && !m.oom && !dcfg__repair(&m, r, root))
            r = NULL;
        if (!r && !m.oom) {
            r = dcfg__node_copy(a, root);
            if (r && !m.oom)
                dcfg__repair(&m, r, root);
        }
    }
    dcfg__checker_free(&m);
    if (m.oom || a->oom || !r)
        return DCFG_ENOMEM;
    *out = r;
    return DCFG_OK;
}
