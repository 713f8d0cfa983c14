/* Tags as PyYAML's SafeLoader knows them: the tag:yaml.org,2002: types it
 * has constructors for, and "could not determine a constructor" for the rest
 * (including !!set, !!omap and !!pairs on the wrong node kind). */
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
static const char *const unsupported_tags[] = { "set", "omap", "pairs", NULL };

/* Explicit tag on a collection: 0 when fine. */
int dcfg__yaml_check_collection_tag(dcfg__yaml_loader *lo, struct fy_event *e, int is_map, unsigned line, unsigned col)
{
    size_t len, slen;
    const char *tag = dcfg__yaml_event_tag(e, &len);
    if (!tag)
        return 0;
    const char *st = dcfg__yaml_std_tag(tag, len, &slen);
    if (st && dcfg__yaml_text_is(st, slen, is_map ? "map" : "seq"))
        return 0;
    dcfg__yaml_tag_pos(e, &line, &col);
    if (st && (dcfg__yaml_text_is(st, slen, "map") || dcfg__yaml_text_is(st, slen, "seq"))) {
        dcfg__yaml_construct_error(lo, line, col, 1, "expected a %s node, but found %s",
                                   is_map ? "sequence" : "mapping", is_map ? "mapping" : "sequence");
    } else if (st && dcfg__yaml_text_is_any(st, slen, scalar_tags)) {
        dcfg__yaml_construct_error(lo, line, col, 1, "expected a scalar node, but found %s (tag !!%.*s)",
                                   is_map ? "mapping" : "sequence", (int)slen, st);
    } else if (st && dcfg__yaml_text_is_any(st, slen, unsupported_tags)) {
        dcfg__yaml_construct_error(lo, line, col, 1, "the tag !!%.*s is not supported in a service configuration",
                                   (int)slen, st);
    } else {
        dcfg__yaml_no_constructor(lo, line, col, tag, len);
    }
    return -1;
}
