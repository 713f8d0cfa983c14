/* The table-driven engine: objects, fields, defaults, rules, paths, reports. */
#include <stdio.h>
#include <string.h>
#include "schema/schema.h"

/* ---- paths and reports --------------------------------------------------- */

size_t dcfg__path_push_key(dcfg__vctx *c, const char *key, size_t len)
{
    size_t mark = c->path.len;
    if (mark)
        dcfg__buf_putc(&c->path, '.');
    dcfg__buf_putn(&c->path, key, len);
    return mark;
}

size_t dcfg__path_push_index(dcfg__vctx *c, size_t i)
{
    size_t mark = c->path.len;
    char tmp[32], *p = tmp + sizeof tmp; /* "[i]" without printf: every list item pushes one */
    *--p = ']';
    do
        *--p = (char)('0' + i % 10);
    while (i /= 10);
    *--p = '[';
    dcfg__buf_putn(&c->path, p, (size_t)(tmp + sizeof tmp - p));
    return mark;
}

void dcfg__path_pop(dcfg__vctx *c, size_t mark) { dcfg__buf_truncate(&c->path, mark); }

static void position(const dcfg__vctx *c, const dcfg__node *at, unsigned *line, unsigned *col)
{
    int collection = at && (at->type == DCFG__MAP || at->type == DCFG__SEQ);
    const dcfg__node *p = at;
    if ((collection || !at || !at->line) && c->key && c->key->line)
        p = c->key;
    *line = p ? p->line : 0;
    *col = p ? p->col : 0;
}

static void report(dcfg__vctx *c, dcfg_severity sev, const dcfg__node *at, dcfg_diag_code code,
                   const char *fmt, va_list ap)
{
    unsigned line, col;
    position(c, at, &line, &col);
    dcfg__diag_vadd(c->diags, sev, code, c->path.oom ? "" : (c->path.p ? c->path.p : ""), line,
                    col, 0, 0, fmt, ap);
}

void dcfg__verr(dcfg__vctx *c, const dcfg__node *at, dcfg_diag_code code, const char *fmt, va_list ap)
{
    report(c, DCFG_SEVERITY_ERROR, at, code, fmt, ap);
}

void dcfg__err(dcfg__vctx *c, const dcfg__node *at, dcfg_diag_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DCFG_SEVERITY_ERROR, at, code, fmt, ap);
    va_end(ap);
}

void dcfg__warn(dcfg__vctx *c, const dcfg__node *at, dcfg_diag_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(c, DCFG_SEVERITY_WARNING, at, code, fmt, ap);
    va_end(ap);
}

const char *dcfg__describe(const dcfg__node *n)
{
    switch (n ? (dcfg__ntype)n->type : DCFG__NULL) {
    case DCFG__NULL: return "null";
    case DCFG__BOOL: return "a boolean";
    case DCFG__INT: return "an integer";
    case DCFG__FLOAT: return "a number";
    case DCFG__STR:
        return n->flags & DCFG__NF_BINARY ? "bytes (!!binary)" : n->flags & DCFG__NF_TIMESTAMP ? "a date" : "a string";
    case DCFG__MAP: return "a mapping";
    case DCFG__SEQ:
        return n->flags & DCFG__NF_SET ? "a set" : n->flags & DCFG__NF_TUPLE ? "a (key, value) pair" : "a list";
    }
    return "a value";
}

const char *dcfg__show(dcfg__vctx *c, const dcfg__node *n)
{
    char tmp[40];
    dcfg__buf b;
    dcfg__buf_init(&b, c->arena->al);
    switch ((dcfg__ntype)n->type) {
    case DCFG__STR: {
        if (n->flags & DCFG__NF_BINARY) {
            dcfg__buf_puts(&b, "bytes (!!binary)"); /* arbitrary bytes, not text to quote */
            break;
        }
        size_t len = n->len > 60 ? 57 : n->len;
        while (len < n->len && len && ((unsigned char)n->str[len] & 0xC0) == 0x80)
            len--; /* never cut a UTF-8 sequence */
        dcfg__buf_putc(&b, '"');
        for (size_t i = 0; i < len; i++) {
            unsigned char ch = (unsigned char)n->str[i];
            if (ch == '"' || ch == '\\')
                dcfg__buf_printf(&b, "\\%c", ch);
            else if (ch < 0x20 || ch == 0x7f)
                dcfg__buf_printf(&b, "\\x%02x", ch);
            else if (dcfg__utf8_surrogate((const unsigned char *)n->str, len, i)) {
                /* a lone surrogate from a YAML escape, shown as Python's repr() shows it */
                dcfg__buf_printf(&b, "\\u%04x", (unsigned)dcfg__utf8_surrogate((const unsigned char *)n->str, len, i));
                i += 2;
            } else
                dcfg__buf_putc(&b, (char)ch);
        }
        dcfg__buf_puts(&b, len < n->len ? "...\"" : "\"");
        break;
    }
    case DCFG__INT:
        if (n->flags & DCFG__NF_BIGINT)
            dcfg__buf_puts(&b, n->str);
        else
            dcfg__buf_put_int(&b, n->v.i);
        break;
    case DCFG__FLOAT:
        dcfg__float_repr(tmp, n->v.f);
        dcfg__buf_puts(&b, tmp);
        break;
    case DCFG__BOOL: dcfg__buf_puts(&b, n->v.b ? "true" : "false"); break;
    case DCFG__NULL: dcfg__buf_puts(&b, "null"); break;
    case DCFG__MAP: dcfg__buf_puts(&b, "{...}"); break;
    case DCFG__SEQ: dcfg__buf_puts(&b, "[...]"); break;
    }
    const char *s = b.oom ? NULL : dcfg__arena_strndup(c->arena, b.p, b.len);
    dcfg__buf_free(&b);
    return s ? s : "?";
}

/* ---- fields and objects ------------------------------------------------- */

static dcfg__node *default_input(dcfg__vctx *c, const char *text)
{
    if (!strcmp(text, "[]"))
        return dcfg__mk_seq(c->arena, 0);
    if (!strcmp(text, "{}"))
        return dcfg__mk_map(c->arena, 0);
    if (text[0] == '{' || text[0] == '[') {
        /* a flow collection: read it as YAML, exactly as if the user wrote it; once per
         * validation, since input nodes are never changed (every rate limit without a
         * `key` reads "{type: ip_address}") */
        if (c->dflt_text == text)
            return c->dflt_node;
        dcfg__node *root = NULL;
        dcfg__load ld = { .arena = c->arena, .diags = c->diags, .limits = { 4096, 8, 256, 4096 } };
        if (dcfg__yaml_load(&root, text, strlen(text), &ld, 0) != DCFG_OK)
            return NULL;
        c->dflt_text = text;
        c->dflt_node = root;
        return root;
    }
    dcfg__node *n = dcfg__mk_lit(c->arena, text);
    if (n)
        dcfg__yaml11_resolve(n);
    return n;
}

int dcfg__field_default(dcfg__vctx *c, const dcfg__field *f, dcfg__node **out)
{
    if (!f->dflt) {
        if (!c->dflt_null && (c->dflt_null = dcfg__mk(c->arena, DCFG__NULL)) != NULL)
            c->dflt_null->flags = DCFG__NF_DEFAULTED;
        *out = c->dflt_null;
        return *out ? 0 : -1;
    }
    const dcfg__node *saved = c->key;
    c->key = NULL;
    dcfg__node *in = default_input(c, f->dflt);
    int rc = in ? f->kind->parse(c, in, f, out) : -1;
    c->key = saved;
    return rc;
}

int dcfg__parse_field(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type == DCFG__NULL) {
        if (f->flags & DCFG__F_NULLABLE) {
            *out = dcfg__mk(c->arena, DCFG__NULL);
            return *out ? 0 : -1;
        }
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "must not be null");
        return -1;
    }
    return f->kind->parse(c, in, f, out);
}

size_t dcfg__builtin_match(const dcfg__builtin *b, const dcfg__schema *s, const char *str, size_t len,
                            int aliases, int *via_alias)
{
    for (size_t h = dcfg__key_hash(str, len) & b->mask;; h = (h + 1) & b->mask) {
        const dcfg__key_slot *e = &b->slots[h];
        if (e->field < 0)
            return (size_t)-1;
        if (e->len != len || (e->alias && !aliases))
            continue;
        const dcfg__field *f = &s->fields[e->field];
        if (!memcmp(e->alias ? f->alias : f->key, str, len)) {
            *via_alias = e->alias;
            return (size_t)e->field;
        }
    }
}

static size_t obj_index(const dcfg__obj *o, const char *key)
{
    int via_alias;
    return o->builtin ? dcfg__builtin_match(o->builtin, o->schema, key, strlen(key), 0, &via_alias)
                      : dcfg__schema_index(o->schema, key);
}

size_t dcfg__schema_index(const dcfg__schema *s, const char *key)
{
    /* rules name fields by literals, which the linker merges with the table's */
    for (size_t i = 0; s->fields[i].key; i++)
        if (s->fields[i].key == key)
            return i;
    for (size_t i = 0; s->fields[i].key; i++)
        if (s->fields[i].key[0] == key[0] && !strcmp(s->fields[i].key, key))
            return i;
    return (size_t)-1;
}

static size_t field_count(const dcfg__schema *s)
{
    size_t n = 0;
    while (s->fields[n].key)
        n++;
    return n;
}

static const char *closest_key(const dcfg__schema *s, const dcfg__node *key)
{
    const char *best = NULL;
    unsigned best_d = 3;
    if (key->type != DCFG__STR || key->len > 64 || (key->flags & DCFG__NF_NOT_TEXT))
        return NULL;
    for (size_t i = 0; s->fields[i].key; i++) {
        unsigned cap = strlen(s->fields[i].key) <= 4 ? 1 : 2;
        unsigned d = dcfg__edit_distance(key->str, s->fields[i].key, cap);
        if (d <= cap && d < best_d) {
            best = s->fields[i].key;
            best_d = d;
        }
    }
    return best;
}

static size_t match_key(const dcfg__schema *s, const dcfg__builtin *b, const dcfg__node *key, int *via_alias)
{
    if (key->type != DCFG__STR || !key->len || (key->flags & DCFG__NF_NOT_TEXT))
        return (size_t)-1;
    if (b)
        return dcfg__builtin_match(b, s, key->str, key->len, 1, via_alias);
    /* the first byte rules out most fields before a full comparison (keys are never empty) */
    char c0 = key->str[0];
    for (size_t i = 0; s->fields[i].key; i++) {
        if (s->fields[i].key[0] == c0 && dcfg__node_is_str(key, s->fields[i].key)) {
            *via_alias = 0;
            return i;
        }
        if (s->fields[i].alias && s->fields[i].alias[0] == c0 && dcfg__node_is_str(key, s->fields[i].alias)) {
            *via_alias = 1;
            return i;
        }
    }
    return (size_t)-1;
}

static void unknown_key(dcfg__vctx *c, const dcfg__schema *s, const dcfg__node *key)
{
    if (c->flags & DCFG_PARSE_UNKNOWN_IGNORE)
        return;
    const dcfg__node *saved = c->key;
    size_t mark = c->path.len;
    if (key->type == DCFG__STR && !(key->flags & DCFG__NF_BINARY))
        dcfg__path_push_key(c, key->str, key->len);
    else
        dcfg__path_push_key(c, dcfg__show(c, key), strlen(dcfg__show(c, key)));
    c->key = key;
    const char *hint = closest_key(s, key), *advice = dcfg__key_hint_for(s, key, 0);
    dcfg_severity sev = c->flags & DCFG_PARSE_UNKNOWN_AS_WARNING ? DCFG_SEVERITY_WARNING
                                                                  : DCFG_SEVERITY_ERROR;
    if (advice) /* what people bring from other tools beats a near spelling */
        dcfg__diag_add(c->diags, sev, DCFG_DIAG_UNKNOWN_FIELD, c->path.p, key->line, key->col, 0, 0,
                       "unknown field; %s", advice);
    else if (hint)
        dcfg__diag_add(c->diags, sev, DCFG_DIAG_UNKNOWN_FIELD, c->path.p, key->line, key->col, 0, 0,
                       "unknown field; did you mean \"%s\"?", hint);
    else
        dcfg__diag_add(c->diags, sev, DCFG_DIAG_UNKNOWN_FIELD, c->path.p, key->line, key->col, 0, 0,
                       "unknown field");
    dcfg__path_pop(c, mark);
    c->key = saved;
}

const dcfg__node *dcfg__obj_in(const dcfg__obj *o, const char *key)
{
    size_t i = obj_index(o, key);
    return i == (size_t)-1 ? NULL : dcfg__obj_in_at(o, i);
}

dcfg__node *dcfg__obj_out(const dcfg__obj *o, const char *key)
{
    size_t i = obj_index(o, key);
    return i == (size_t)-1 ? NULL : o->outs[i];
}

int dcfg__obj_failed(const dcfg__obj *o, const char *key)
{
    size_t i = obj_index(o, key);
    return i == (size_t)-1 || !o->outs[i];
}

void dcfg__obj_err(dcfg__vctx *c, const dcfg__obj *o, const char *key, dcfg_diag_code code,
                   const char *fmt, ...)
{
    size_t i = key ? obj_index(o, key) : (size_t)-1;
    const dcfg__node *saved = c->key;
    size_t mark = c->path.len;
    const dcfg__node *at = o->in;
    if (i != (size_t)-1 && o->at[i]) {
        const dcfg__node *k = dcfg__obj_key_at(o, i);
        dcfg__path_push_key(c, k->str, k->len);
        c->key = k;
        at = dcfg__obj_in_at(o, i);
    } else if (key) {
        dcfg__path_push_key(c, key, strlen(key));
    }
    va_list ap;
    va_start(ap, fmt);
    dcfg__verr(c, at, code, fmt, ap);
    va_end(ap);
    dcfg__path_pop(c, mark);
    c->key = saved;
}

int dcfg__parse_object(dcfg__vctx *c, const dcfg__node *in, const dcfg__schema *s, dcfg__node **out)
{
    if (in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a mapping, got %s", dcfg__describe(in));
        return -1;
    }
    const dcfg__builtin *builtin = dcfg__builtin_for(s);
    size_t nf = builtin ? builtin->nfields : field_count(s);
    dcfg__obj o = { .schema = s, .in = in, .path_len = c->path.len, .builtin = builtin };
    if (in->n >= UINT32_MAX)
        return -1; /* beyond any memory: reported as out of memory */
    dcfg__arena *tmp = dcfg__scratch(c);
    o.at = dcfg__arena_alloc(tmp, (nf + 1) * sizeof *o.at);
    o.outs = dcfg__arena_alloc(tmp, (nf + 1) * sizeof *o.outs);
    unsigned char *by_alias = dcfg__arena_alloc(tmp, nf + 1);
    if (!o.at || !o.outs || !by_alias)
        return -1;

    int failed = 0;
    for (size_t k = 0; k < in->n; k++) {
        const dcfg__node *key = DCFG__KEY(in, k);
        int via_alias = 0;
        size_t i = match_key(s, builtin, key, &via_alias);
        if (i == (size_t)-1) {
            unknown_key(c, s, key);
            failed |= !(c->flags & (DCFG_PARSE_UNKNOWN_AS_WARNING | DCFG_PARSE_UNKNOWN_IGNORE));
            continue;
        }
        /* the main spelling wins over the alias when both are written */
        if (o.at[i] && !by_alias[i] && via_alias)
            continue;
        by_alias[i] = (unsigned char)via_alias;
        o.at[i] = (uint32_t)(k + 1);
    }

    const dcfg__node *saved = c->key;
    for (size_t i = 0; i < nf; i++) {
        const dcfg__field *f = &s->fields[i];
        int rc;
        const dcfg__node *key = dcfg__obj_key_at(&o, i), *val = dcfg__obj_in_at(&o, i);
        const char *advice = val && val->type == DCFG__MAP ? dcfg__key_hint_for(s, key, 1) : NULL;
        if (val) {
            size_t mark = dcfg__path_push_key(c, key->str, key->len);
            c->key = key;
            if (advice) {
                dcfg__err(c, val, DCFG_DIAG_WRONG_TYPE, "expected a string, got a mapping; %s", advice);
                rc = -1;
            } else {
                rc = dcfg__parse_field(c, val, f, &o.outs[i]);
            }
            dcfg__path_pop(c, mark);
        } else if (f->flags & DCFG__F_REQUIRED) {
            c->key = saved;
            size_t mark = dcfg__path_push_key(c, f->key, strlen(f->key));
            dcfg__err(c, in, DCFG_DIAG_REQUIRED, "required field is missing");
            dcfg__path_pop(c, mark);
            rc = -1;
        } else if (builtin && builtin->dflts[i]) {
            o.outs[i] = (dcfg__node *)builtin->dflts[i]; /* marked defaulted, never changed */
            rc = 0;
        } else {
            rc = dcfg__field_default(c, f, &o.outs[i]);
            if (!rc)
                o.outs[i]->flags |= DCFG__NF_DEFAULTED;
        }
        c->key = saved;
        if (rc) {
            o.outs[i] = NULL;
            failed = 1;
        }
    }

    for (const dcfg__rule *r = s->rules; r && r->check; r++)
        if (r->check(c, &o, r))
            failed = 1;
    c->key = saved;
    if (failed)
        return -1;

    dcfg__node *m = dcfg__mk_map(c->arena, nf);
    if (!m)
        return -1;
    for (size_t i = 0; i < nf; i++) {
        if (s->fields[i].flags & DCFG__F_INPUT_ONLY)
            continue;
        dcfg__node *k = builtin ? (dcfg__node *)builtin->keys[i] : dcfg__mk_lit(c->arena, s->fields[i].key);
        if (!k)
            return -1;
        dcfg__map_put(m, k, o.outs[i]);
    }
    *out = m;
    return 0;
}

void dcfg__item_err(dcfg__vctx *c, const dcfg__node *list, size_t i, const char *key, const char *alias,
                    dcfg_diag_code code, const char *fmt, ...)
{
    const dcfg__node *saved = c->key, *item = list->kids[i], *at = item;
    size_t mark = dcfg__path_push_index(c, i);
    size_t k = (size_t)-1;
    for (size_t j = 0; key && item->type == DCFG__MAP && j < item->n; j++)
        if (dcfg__node_is_str(DCFG__KEY(item, j), key) ||
            (alias && k == (size_t)-1 && dcfg__node_is_str(DCFG__KEY(item, j), alias)))
            k = j;
    if (k != (size_t)-1) {
        const dcfg__node *kn = DCFG__KEY(item, k);
        dcfg__path_push_key(c, kn->str, kn->len);
        c->key = kn;
        at = DCFG__VAL(item, k);
    } else if (item->line) {
        c->key = NULL;
    }
    va_list ap;
    va_start(ap, fmt);
    dcfg__verr(c, at, code, fmt, ap);
    va_end(ap);
    dcfg__path_pop(c, mark);
    c->key = saved;
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
