/* Tags as PyYAML's SafeLoader knows them: the tag:yaml.org,2002: types it
 * has constructors for, and "could not determine a constructor" for the rest;
 * the !!set, !!omap and !!pairs collections SafeConstructor builds. */
#include "read/yaml_loader.h"


/* The part after tag:yaml.org,2002: or NULL. */
const char *dcfg__yaml_std_tag(const char *tag, size_t len, size_t *slen)
{
    size_t p = sizeof YAML_TAG - 1;
    if (len < p || memcmp(tag, YAML_TAG, p) != 0)
        return NULL;
    *slen = len - p;
    return tag + p;
}

/* Tag text of an event, NULL when untagged or `!` (non-specific: resolve as plain). */
const char *dcfg__yaml_event_tag(struct fy_event *e, size_t *len)
{
    struct fy_token *t = fy_event_get_tag_token(e);
    if (!t)
        return NULL;
    const char *s = fy_token_get_text(t, len);
    if (!s || (*len == 1 && s[0] == '!'))
        return NULL;
    return s;
}

int dcfg__yaml_event_has_bang_tag(struct fy_event *e)
{
    struct fy_token *t = fy_event_get_tag_token(e);
    size_t len;
    const char *s = t ? fy_token_get_text(t, &len) : NULL;
    return s && len == 1 && s[0] == '!';
}

/* Where an event's tag is written (PyYAML reports tag problems there). */
void dcfg__yaml_tag_pos(struct fy_event *e, unsigned *line, unsigned *col)
{
    struct fy_token *t = fy_event_get_tag_token(e);
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (m) {
        *line = (unsigned)m->line + 1;
        *col = (unsigned)m->column + 1;
    }
}

void dcfg__yaml_no_constructor(dcfg__yaml_loader *lo, unsigned line, unsigned col, const char *tag, size_t len)
{
    dcfg__yaml_construct_error(lo, line, col, 1, "could not determine a constructor for the tag '%.*s'",
                               (int)(len > 200 ? 200 : len), tag);
}

static const char *const scalar_tags[] = { "str", "int", "float", "bool", "null", "binary", "timestamp", NULL };

/* Explicit tag on a collection: DCFG__YAML_PLAIN, _SET, _OMAP or _PAIRS
 * (what on_collection_end builds), -1 after an error. */
int dcfg__yaml_check_collection_tag(dcfg__yaml_loader *lo, struct fy_event *e, int is_map, unsigned line, unsigned col)
{
    size_t len, slen;
    const char *tag = dcfg__yaml_event_tag(e, &len);
    if (!tag)
        return DCFG__YAML_PLAIN;
    const char *st = dcfg__yaml_std_tag(tag, len, &slen);
    if (st && dcfg__yaml_text_is(st, slen, is_map ? "map" : "seq"))
        return DCFG__YAML_PLAIN;
    if (st && is_map && dcfg__yaml_text_is(st, slen, "set"))
        return DCFG__YAML_SET;
    if (st && !is_map && dcfg__yaml_text_is(st, slen, "omap"))
        return DCFG__YAML_OMAP;
    if (st && !is_map && dcfg__yaml_text_is(st, slen, "pairs"))
        return DCFG__YAML_PAIRS;
    dcfg__yaml_tag_pos(e, &line, &col);
    if (st && (dcfg__yaml_text_is(st, slen, "map") || dcfg__yaml_text_is(st, slen, "seq") ||
               dcfg__yaml_text_is(st, slen, "set"))) {
        dcfg__yaml_construct_error(lo, line, col, 1, "expected a %s node, but found %s",
                                   is_map ? "sequence" : "mapping", is_map ? "mapping" : "sequence");
    } else if (st && (dcfg__yaml_text_is(st, slen, "omap") || dcfg__yaml_text_is(st, slen, "pairs"))) {
        dcfg__yaml_construct_error(lo, line, col, 1, "while constructing %s: expected a sequence, but found mapping",
                                   st[0] == 'o' ? "an ordered map" : "pairs");
    } else if (st && dcfg__yaml_text_is_any(st, slen, scalar_tags)) {
        dcfg__yaml_construct_error(lo, line, col, 1, "expected a scalar node, but found %s (tag !!%.*s)",
                                   is_map ? "mapping" : "sequence", (int)slen, st);
    } else {
        dcfg__yaml_no_constructor(lo, line, col, tag, len);
    }
    return -1;
}

/* construct_yaml_set: the keys of the dict construct_mapping builds (so 1,
 * 1.0 and true are one member), in their order; a Python set has none, and
 * pydantic gives a list field the set's own. The mapping's pairs stay for a
 * merge of the node. */
dcfg__node *dcfg__yaml_build_set(dcfg__yaml_loader *lo, dcfg__node *map)
{
    dcfg__node *s = dcfg__mk_seq(lo->ld->arena, map->n);
    if (!s)
        goto oom;
    for (size_t i = 0; i < map->n; i++)
        dcfg__seq_push(s, DCFG__KEY(map, i));
    s->flags = DCFG__NF_SET;
    const dcfg__yaml_flat *fl = dcfg__yaml_flat_of(lo, map);
    dcfg__yaml_flat rec = { map, map->kids, map->n, map->n, 0 };
    if (fl)
        rec = *fl;
    rec.node = s;
    if (dcfg__yaml_flat_add(lo, &rec))
        goto oom;
    return s;
oom:
    dcfg__yaml_fail(lo, DCFG_ENOMEM);
    return NULL;
}

/* construct_yaml_omap and construct_yaml_pairs: a list of (key, value)
 * tuples, one of each item, which must be a mapping of one pair as written
 * (a merge key is one pair, whose key has no constructor) or, when built
 * before, as flattened; duplicate keys are kept. */
dcfg__node *dcfg__yaml_build_pairs(dcfg__yaml_loader *lo, const dcfg__yaml_frame *f, int omap)
{
    size_t cnt = lo->nitems - f->base;
    const char *what = omap ? "an ordered map" : "pairs";
    dcfg__node *seq = dcfg__mk_seq(lo->ld->arena, cnt);
    if (!seq)
        goto oom;
    for (size_t i = 0; i < cnt; i++) {
        dcfg__node *sub = lo->items[f->base + i];
        int set = sub->type == DCFG__SEQ && (sub->flags & DCFG__NF_SET);
        if (sub->type != DCFG__MAP && !set) {
            dcfg__yaml_construct_error(lo, sub->line, sub->col, 0,
                                       "while constructing %s: expected a mapping of length 1, but found %s", what,
                                       dcfg__yaml_kind_name(sub));
            return NULL;
        }
        /* an alias to a mapping written before: PyYAML flattened it when it built it */
        int built = sub->line < f->line || (sub->line == f->line && sub->col < f->col);
        const dcfg__yaml_flat *fl = dcfg__yaml_flat_of(lo, sub);
        size_t nraw = !fl ? sub->n : built ? fl->n : fl->nraw;
        if (nraw != 1) {
            dcfg__yaml_construct_error(lo, sub->line, sub->col, 0,
                                       "while constructing %s: expected a single mapping item, but found %zu items",
                                       what, nraw);
            return NULL;
        }
        if (fl && fl->merged && !built) {
            dcfg__yaml_no_constructor(lo, sub->line, sub->col, YAML_TAG "merge", sizeof YAML_TAG "merge" - 1);
            return NULL;
        }
        dcfg__node *const *kv = fl ? fl->kv : sub->kids;
        dcfg__node *t = dcfg__mk_seq(lo->ld->arena, 2);
        if (!t)
            goto oom;
        dcfg__seq_push(t, kv[0]);
        dcfg__seq_push(t, kv[1]);
        t->flags = DCFG__NF_TUPLE;
        t->line = sub->line;
        t->col = sub->col;
        dcfg__seq_push(seq, t);
    }
    return seq;
oom:
    dcfg__yaml_fail(lo, DCFG_ENOMEM);
    return NULL;
}
