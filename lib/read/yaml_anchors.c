/* Anchors and aliases as PyYAML composes them: an alias is the same node as
 * its anchor (counted at its full size against the node and text budgets, so
 * alias bombs stop at the limit), an anchor may be redefined, and an alias of
 * an unfinished collection or an unknown anchor is an error. */
#include "read/yaml_loader.h"

size_t dcfg__yaml_name_hash(const char *s, size_t len)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static size_t anchor_find(dcfg__yaml_loader *lo, const char *name, size_t len)
{
    if (!lo->cahash)
        return DCFG__NO_ANCHOR;
    size_t mask = lo->cahash - 1;
    for (size_t h = dcfg__yaml_name_hash(name, len) & mask;; h = (h + 1) & mask) {
        size_t v = lo->ahash[h];
        if (!v)
            return DCFG__NO_ANCHOR;
        dcfg__yaml_anchor *a = &lo->anchors[v - 1];
        if (a->len == len && memcmp(a->name, name, len) == 0)
            return v - 1;
    }
}

static int anchor_rehash(dcfg__yaml_loader *lo, size_t cap)
{
    size_t *t = dcfg__malloc(lo->al, cap * sizeof *t);
    if (!t)
        return -1;
    memset(t, 0, cap * sizeof *t);
    for (size_t i = 0; i < lo->nanchors; i++) {
        size_t h = dcfg__yaml_name_hash(lo->anchors[i].name, lo->anchors[i].len) & (cap - 1);
        while (t[h])
            h = (h + 1) & (cap - 1);
        t[h] = i + 1;
    }
    dcfg__free(lo->al, lo->ahash);
    lo->ahash = t;
    lo->cahash = cap;
    return 0;
}

/* PyYAML's scanner takes only ASCII letters, digits, '-' and '_' in anchor
 * and alias names (YAML 1.2 takes any non-space, non-flow character), and
 * wants a blank or one of `?:,]}%@` and a backtick after the name. A name
 * libfyaml reads on past a ':' or '?' is PyYAML's shorter name and then a
 * value indicator or a plain scalar (yaml_names.c); any other character is
 * an error, reported at it. `name` is libfyaml's, at offset `at` + 1 of the
 * source (`at` is the `&`/`*`). -1 after reporting (or asking for the name
 * to be read again), 0 when the name is fine. */
static int check_name(dcfg__yaml_loader *lo, size_t at, const char *name, size_t len, unsigned line, unsigned col,
                      int alias, int tagged)
{
    size_t i = 0;
    while (i < len && ((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'z') ||
                       (name[i] >= 'A' && name[i] <= 'Z') || name[i] == '-' || name[i] == '_'))
        i++;
    size_t name_len = len;
    if (i == len) {
        /* libfyaml ends a name at '[' and '{' as well; PyYAML refuses them there */
        size_t next = at + 1 + len;
        if (at == (size_t)-1 || next >= lo->len || (lo->data[next] != '[' && lo->data[next] != '{'))
            return 0;
        name = lo->data + at + 1;
        len = i + 1;
    } else if ((name[i] == ':' || name[i] == '?') && at != (size_t)-1 && at + 1 + i < lo->len &&
               lo->data[at + 1 + i] == name[i]) {
        return dcfg__yaml_name_end(lo, at, i, alias, tagged, line, col);
    }
    unsigned char ch = (unsigned char)name[i];
    size_t n = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1; /* one UTF-8 character */
    char shown[16];
    if (ch >= 0x80 && i + n <= len)
        snprintf(shown, sizeof shown, "'%.*s'", (int)n, name + i);
    else if (ch >= 0x21 && ch < 0x7f)
        snprintf(shown, sizeof shown, "'%c'", ch);
    else
        snprintf(shown, sizeof shown, "byte 0x%02X", ch);
    if (name_len == i) /* the name is fine; what follows it is not */
        dcfg__yaml_construct_error(lo, line, col ? col + 1 + (unsigned)i : 0, 1,
                                   "%s name \"%.*s\" is followed by %s; PyYAML wants a space, ':', ',', ']' or '}' "
                                   "after an anchor name", alias ? "alias" : "anchor", (int)(i > 60 ? 60 : i), name,
                                   shown);
    else
        dcfg__yaml_construct_error(lo, line, col ? col + 1 + (unsigned)i : 0, 1,
                                   "%s name \"%.*s\" contains %s; PyYAML takes only ASCII letters, digits, '-' and "
                                   "'_' in anchor names", alias ? "alias" : "anchor", (int)(len > 60 ? 60 : len), name,
                                   shown);
    return -1;
}

/* Offset of the `&`/`*` before a name token, or (size_t)-1. */
static size_t sigil_at(const dcfg__yaml_loader *lo, const struct fy_mark *m, char sigil)
{
    if (!m || m->input_pos > lo->len)
        return (size_t)-1;
    if (m->input_pos < lo->len && lo->data[m->input_pos] == sigil)
        return m->input_pos;
    return m->input_pos > 0 && lo->data[m->input_pos - 1] == sigil ? m->input_pos - 1 : (size_t)-1;
}

/* Registers the anchor of an event (node NULL for a collection in progress);
 * lo->src_anchor, when set, is the anchor instead (a name edit). `tagged`:
 * the node has a tag. Returns its slot, DCFG__NO_ANCHOR when none, or
 * DCFG__NO_ANCHOR - 1 after an error. */
size_t dcfg__yaml_anchor_define(dcfg__yaml_loader *lo, struct fy_token *tok, dcfg__node *node, int tagged)
{
    size_t len;
    const char *name;
    unsigned line, col;
    if (lo->src_anchor) {
        name = lo->src_anchor;
        len = lo->src_anchor_len;
        line = lo->src_anchor_line;
        col = lo->src_anchor_col;
        lo->src_anchor = NULL;
    } else {
        if (!tok)
            return DCFG__NO_ANCHOR;
        name = fy_token_get_text(tok, &len);
        const struct fy_mark *m = fy_token_start_mark(tok);
        line = m ? (unsigned)m->line + 1 : 0;
        col = m ? (unsigned)m->column + 1 : 0;
        if (m && m->input_pos > 0 && m->input_pos <= lo->len && lo->data[m->input_pos - 1] == '&' && col > 1)
            col--; /* at the `&` */
        if (!name) {
            dcfg__yaml_fail(lo, DCFG_ENOMEM);
            return DCFG__NO_ANCHOR - 1;
        }
        if (check_name(lo, sigil_at(lo, m, '&'), name, len, line, col, 0, tagged))
            return DCFG__NO_ANCHOR - 1;
    }
    size_t prev = anchor_find(lo, name, len);
    if (prev != DCFG__NO_ANCHOR) {
        /* PyYAML's composer: "found duplicate anchor" */
        dcfg__yaml_construct_error(lo, line, col, 1, "found duplicate anchor \"%.*s\" (first at line %u)",
                                   (int)(len > 60 ? 60 : len), name, lo->anchors[prev].line);
        return DCFG__NO_ANCHOR - 1;
    }
    if (dcfg__yaml_grow(lo, (void **)&lo->anchors, &lo->canchors, lo->nanchors + 1, sizeof *lo->anchors) ||
        ((lo->nanchors + 1) * 2 > lo->cahash && anchor_rehash(lo, lo->cahash ? lo->cahash * 2 : 64))) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return DCFG__NO_ANCHOR - 1;
    }
    dcfg__yaml_anchor *a = &lo->anchors[lo->nanchors];
    a->name = dcfg__arena_strndup(lo->ld->arena, name, len);
    if (!a->name) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return DCFG__NO_ANCHOR - 1;
    }
    a->len = len;
    a->node = node;
    a->size = 1;
    a->bytes = node ? node->len : 0;
    a->height = 0;
    a->line = line;
    a->col = col;
    size_t h = dcfg__yaml_name_hash(name, len) & (lo->cahash - 1);
    while (lo->ahash[h])
        h = (h + 1) & (lo->cahash - 1);
    lo->ahash[h] = ++lo->nanchors;
    return lo->nanchors - 1;
}
int dcfg__yaml_on_alias(dcfg__yaml_loader *lo, struct fy_event *e)
{
    unsigned line, col;
    dcfg__yaml_event_pos(lo, e, &line, &col);
    size_t len;
    const char *name = fy_token_get_text(e->alias.anchor, &len);
    if (!name) {
        dcfg__yaml_fail(lo, DCFG_ENOMEM);
        return -1;
    }
    size_t at = sigil_at(lo, fy_token_start_mark(e->alias.anchor), '*');
    if (dcfg__yaml_check_value_indent(lo, line, col, 0) || check_name(lo, at, name, len, line, col, 1, 0))
        return -1;
    return dcfg__yaml_alias(lo, name, len, line, col);
}

/* The node of the anchor `name`, for an alias at line:col. */
int dcfg__yaml_alias(dcfg__yaml_loader *lo, const char *name, size_t len, unsigned line, unsigned col)
{
    size_t slot = anchor_find(lo, name, len);
    int shown = (int)(len > 60 ? 60 : len);
    if (slot == DCFG__NO_ANCHOR) {
        dcfg__yaml_construct_error(lo, line, col, 1, "found undefined alias \"%.*s\"", shown, name);
        return -1;
    }
    const dcfg__yaml_anchor *a = &lo->anchors[slot];
    if (!a->node) {
        dcfg__yaml_construct_error(lo, line, col, 1,
                                   "alias \"%.*s\" refers to a collection that contains it "
                                   "(recursive structures are not supported)",
                                   shown, name);
        return -1;
    }
    if ((a->node->flags & DCFG__NF_MERGE) && !dcfg__yaml_in_key_position(lo)) {
        dcfg__yaml_no_constructor(lo, line, col, YAML_TAG "merge", sizeof YAML_TAG "merge" - 1);
        return -1;
    }
    if (a->height && dcfg__yaml_in_key_position(lo)) {
        dcfg__yaml_construct_error(lo, line, col, 1, "found unhashable key (a %s)", dcfg__yaml_kind_name(a->node));
        return -1;
    }
    unsigned maxd = lo->ld->limits.max_depth;
    if (maxd && a->height && lo->nframes + a->height > maxd) {
        dcfg__yaml_limit_error(lo, line, col, "alias \"%.*s\" nests deeper than %u levels", shown, name, maxd);
        return -1;
    }
    if (dcfg__yaml_budget(lo, a->size, line, col) || dcfg__yaml_budget_bytes(lo, a->bytes, line, col))
        return -1;
    return dcfg__yaml_add_child(lo, a->node, a->height);
}
