/* JSON text of a node tree, formatted like pydantic's model_dump_json:
 * compact by default, or indented by two spaces (DCFG_EMIT_PRETTY). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "write/write.h"

static void newline_indent(dcfg__buf *b, unsigned level)
{
    dcfg__buf_putc(b, '\n');
    for (unsigned i = 0; i < level; i++)
        dcfg__buf_putn(b, "  ", 2);
}

static void put_scalar(dcfg__buf *b, const dcfg__node *n, unsigned flags)
{
    char tmp[32];
    if (dcfg__put_common_scalar(b, n))
        return;
    if (n->type == DCFG__FLOAT && !isfinite(n->v.f) && (flags & DCFG__EMIT_NONFINITE_AS_TEXT)) {
        const char *t = isnan(n->v.f) ? "nan" : n->v.f > 0 ? "inf" : "-inf";
        dcfg__json_string(b, t, strlen(t));
    } else if (n->type == DCFG__FLOAT) {
        dcfg__buf_putn(b, tmp, dcfg__float_json(tmp, n->v.f));
    } else if (n->type == DCFG__STR) {
        dcfg__json_string(b, n->str ? n->str : "", n->str ? n->len : 0);
    } /* collections are written by put_node */
}

/* Object keys must be strings; a scalar key of another type is written as
 * the text Python's json module would give it ("1", "true", "null"). */
static void put_key(dcfg__buf *b, const dcfg__node *k)
{
    if (!k || k->type == DCFG__STR) {
        dcfg__json_string(b, k && k->str ? k->str : "", k && k->str ? k->len : 0);
        return;
    }
    dcfg__buf tmp;
    dcfg__buf_init(&tmp, b->al);
    put_scalar(&tmp, k, 0); /* writes nothing for a collection */
    if (tmp.oom)
        b->oom = 1;
    dcfg__json_string(b, tmp.p ? tmp.p : "", tmp.len);
    dcfg__buf_free(&tmp);
}

static void put_node(dcfg__buf *b, const dcfg__node *n, unsigned flags, unsigned level)
{
    int pretty = (flags & DCFG_EMIT_PRETTY) != 0;
    if (!n) {
        dcfg__buf_puts(b, "null");
        return;
    }
    if (n->type != DCFG__MAP && n->type != DCFG__SEQ) {
        put_scalar(b, n, flags);
        return;
    }
    int map = n->type == DCFG__MAP;
    dcfg__buf_putc(b, map ? '{' : '[');
    for (size_t i = 0; i < n->n && !b->oom; i++) {
        if (i)
            dcfg__buf_putc(b, ',');
        if (pretty)
            newline_indent(b, level + 1);
        if (map) {
            put_key(b, DCFG__KEY(n, i));
            dcfg__buf_putn(b, ": ", pretty ? 2 : 1);
            put_node(b, DCFG__VAL(n, i), flags, level + 1);
        } else {
            put_node(b, n->kids[i], flags, level + 1);
        }
    }
    if (pretty && n->n)
        newline_indent(b, level);
    dcfg__buf_putc(b, map ? '}' : ']');
}

dcfg_status dcfg__emit_json(dcfg__buf *out, const dcfg__node *root, unsigned flags)
{
    int pretty = (flags & DCFG_EMIT_PRETTY) != 0;
    put_node(out, root, flags, 0);
    if (pretty)
        dcfg__buf_putc(out, '\n');
    return out->oom ? DCFG_ENOMEM : DCFG_OK;
}
