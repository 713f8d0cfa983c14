/* Read-back checks for the views: a form is only written when the schema
 * reads it back to the value it stands for. The checker parses in a scratch
 * arena through an allocation watch, so a failure handled quietly inside a
 * parse still counts as out of memory. */
#include <string.h>
#include "write/views.h"

int dcfg__checker_init(dcfg__checker *m)
{
    dcfg__watch_init(&m->watch, m->out->al);
    dcfg__arena_init(&m->tmp, &m->watch.al);
    m->diags = dcfg__diags_new(&m->watch.al, NULL);
    return m->diags ? 0 : -1;
}

void dcfg__checker_free(dcfg__checker *m)
{
    dcfg_diags_free(m->diags);
    dcfg__arena_free(&m->tmp);
}

/* `form` read as field f, in m->tmp until tmp_done(); NULL when it does not
 * read (or out of memory, with m->oom set). */
static const dcfg__node *tmp_read(dcfg__checker *m, const dcfg__field *f, const dcfg__node *form)
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

static void tmp_done(dcfg__checker *m)
{
    dcfg__diags_clear(m->diags);
    dcfg__arena_free(&m->tmp);
}

/* Does `form`, read as field f, give exactly `want`? */
int dcfg__check_field(dcfg__checker *m, const dcfg__field *f, const dcfg__node *form, const dcfg__node *want)
{
    const dcfg__node *got = tmp_read(m, f, form);
    int ok = got && dcfg__node_equal(got, want);
    tmp_done(m);
    return ok;
}

/* What `form`, read as field f, gives, copied into m->out; NULL when it does not read. */
dcfg__node *dcfg__read_back(dcfg__checker *m, const dcfg__field *f, const dcfg__node *form)
{
    const dcfg__node *got = tmp_read(m, f, form);
    dcfg__node *r = got ? dcfg__node_copy(m->out, got) : NULL;
    if (got && !r)
        m->oom = 1;
    tmp_done(m);
    return r;
}



/* Shortens *slot (the form of value v inside the form of field f, whose
 * whole form is *root and must parse to `want`) one candidate at a time. */

/* Whole document: does `form` validate to `root`? */
static int check_document(dcfg__checker *m, const dcfg__node *form, const dcfg__node *root)
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
static dcfg__node *bools_as_strings(dcfg__checker *m, const dcfg__node *n)
{
    if (n->type == DCFG__BOOL)
        return view_str(m->out, n->v.b ? "true" : "false", n->v.b ? 4 : 5);
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
 * time, then all of them. 1 done, 0 not possible (form unchanged). */
int dcfg__repair(dcfg__checker *m, dcfg__node *form, const dcfg__node *root)
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
    dcfg__node **was = dcfg__arena_alloc(m->out, (form->n + 1) * sizeof *was);
    if (!was)
        return m->oom = 1, 0;
    for (size_t i = 0; i < form->n && !m->oom; i++) {
        was[i] = DCFG__VAL(form, i);
        if (!(DCFG__VAL(form, i) = bools_as_strings(m, was[i])))
            return m->oom = 1, 0;
    }
    if (!m->oom && check_document(m, form, root))
        return 1;
    for (size_t i = 0; i < form->n; i++) /* not repairable: the form stays as it was */
        DCFG__VAL(form, i) = was[i];
    return 0;
}
