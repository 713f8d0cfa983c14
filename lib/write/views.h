/* What the view builders share (write/view_minimal.c, write/view_effective.c,
 * write/shorthand.c). Private to write/. */
#ifndef DCFG_WRITE_VIEWS_H
#define DCFG_WRITE_VIEWS_H

#include "write/write.h"

static inline int view_is_null(const dcfg__node *n) { return !n || n->type == DCFG__NULL; }
static inline int view_is_true(const dcfg__node *n) { return n && n->type == DCFG__BOOL && n->v.b; }

static inline dcfg__node *view_get(const dcfg__node *m, const char *key) { return (dcfg__node *)dcfg__map_get(m, key); }

/* Replaces the value of an existing key (normalized maps hold every key). */
static inline void view_set(dcfg__node *m, const char *key, dcfg__node *v)
{
    if (!m || m->type != DCFG__MAP || !v)
        return;
    for (size_t i = 0; i < m->n; i++)
        if (dcfg__node_is_str(DCFG__KEY(m, i), key)) {
            DCFG__VAL(m, i) = v;
            return;
        }
}

static inline dcfg__node *view_str(dcfg__arena *a, const char *s, size_t len)
{
    dcfg__node *n = dcfg__mk_str(a, s, len);
    if (n)
        n->flags = DCFG__NF_QUOTED;
    return n;
}

/* ---- read-back checking context --------------------------------------------------- */

typedef struct dcfg__checker {
    dcfg__arena *out;     /* result and candidates */
    dcfg__watch watch;    /* what checks allocate goes through it */
    dcfg__arena tmp;      /* one check's parse (watched), freed after each */
    dcfg_diags *diags;    /* scratch (watched), cleared after each check */
    int oom;
} dcfg__checker;


enum { MAX_CANDS = 80, MAX_TOKENS = 6 };

typedef struct dcfg__cands {
    dcfg__node *v[MAX_CANDS];
    size_t n;
} dcfg__cands;

/* Read-back checks (readback.c). init: 0 ok, -1 out of memory (free it anyway). */
int dcfg__checker_init(dcfg__checker *m);
void dcfg__checker_free(dcfg__checker *m);
/* Does `form`, read as field f, give exactly `want`? */
int dcfg__check_field(dcfg__checker *m, const dcfg__field *f, const dcfg__node *form, const dcfg__node *want);
/* What `form`, read as field f, gives, copied into m->out; NULL when it does not read. */
dcfg__node *dcfg__read_back(dcfg__checker *m, const dcfg__field *f, const dcfg__node *form);
/* Makes the whole document `form` validate to `root`, writing booleans that the
 * dstack layout does not read back as strings; 1 when it does. */
int dcfg__repair(dcfg__checker *m, dcfg__node *form, const dcfg__node *root);

/* Input form of a normalized value without the fields that came from defaults. */
dcfg__node *dcfg__strip_defaults(dcfg__checker *m, const dcfg__node *v);
/* Appends alternative input forms of v to cs, most readable first (shorthand.c). */
void dcfg__candidates(dcfg__checker *m, const dcfg__node *v, dcfg__cands *cs, int depth);

#endif
