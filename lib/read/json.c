/* JSON front end through jansson: fast, but without positions.
 *
 * Contract with the caller: DCFG_OK is a clean load. DCFG_ESYNTAX with no
 * diagnostic added means jansson refused the text (syntax error, duplicate
 * key, integer beyond int64, depth over 2048, invalid UTF-8, ...): the
 * caller re-reads it with dcfg__yaml_load(..., json=1), which reports
 * positions (and encoding errors, with a hint) and handles duplicates and big
 * integers. Invalid UTF-8 is deliberately left to that second pass, so it is
 * reported once. DCFG_ELIMIT (with a diagnostic) and DCFG_ENOMEM are final. */
#include <string.h>
#include <jansson.h>
#include "read/read.h"

typedef struct jctx {
    dcfg__load *ld;
    size_t nodes;
    int limit;      /* jlimit_kind once a limit tripped */
    size_t str_len; /* LIM_STRING: length of the offending string */
    dcfg__buf path; /* on a limit error: path of the offending node, built while unwinding */
} jctx;

/* Prepends one path segment ("key" or "[i]") while a limit error unwinds. */
static void path_prepend(jctx *c, const char *key, size_t keylen, size_t index)
{
    dcfg__buf nb;
    dcfg__buf_init(&nb, c->path.al);
    if (key)
        dcfg__buf_putn(&nb, key, keylen);
    else
        dcfg__buf_printf(&nb, "[%zu]", index);
    if (c->path.len && c->path.p[0] != '[')
        dcfg__buf_putc(&nb, '.');
    dcfg__buf_putn(&nb, c->path.p, c->path.len);
    dcfg__buf_free(&c->path);
    c->path = nb;
}

/* Which limit tripped; the message is written once the recursion has
 * unwound and the path is complete. */
typedef enum jlimit_kind { LIM_NODES = 1, LIM_DEPTH, LIM_STRING } jlimit_kind;

static dcfg_status limit_hit(jctx *c, jlimit_kind kind)
{
    c->limit = kind;
    return DCFG_ELIMIT;
}

static dcfg_status build(jctx *c, dcfg__node **out, json_t *j, unsigned depth);

static dcfg_status check_node(jctx *c)
{
    const dcfg__limits *L = &c->ld->limits;
    if (L->max_nodes && ++c->nodes > L->max_nodes)
        return limit_hit(c, LIM_NODES);
    return DCFG_OK;
}

static dcfg_status build_str(jctx *c, dcfg__node **out, const char *s, size_t len)
{
    const dcfg__limits *L = &c->ld->limits;
    dcfg_status rc = check_node(c);
    if (rc != DCFG_OK)
        return rc;
    if (L->max_string_bytes && len > L->max_string_bytes) {
        c->str_len = len;
        return limit_hit(c, LIM_STRING);
    }
    dcfg__node *n = dcfg__mk_str(c->ld->arena, s, len);
    if (!n)
        return DCFG_ENOMEM;
    n->flags |= DCFG__NF_QUOTED;
    *out = n;
    return DCFG_OK;
}

static dcfg_status build_coll(jctx *c, dcfg__node **out, json_t *j, unsigned depth)
{
    const dcfg__limits *L = &c->ld->limits;
    dcfg_status rc = check_node(c);
    if (rc != DCFG_OK)
        return rc;
    if (L->max_depth && depth > L->max_depth)
        return limit_hit(c, LIM_DEPTH);

    if (json_is_array(j)) {
        size_t n = json_array_size(j);
        dcfg__node *seq = dcfg__mk_seq(c->ld->arena, n);
        if (!seq)
            return DCFG_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            dcfg__node *item = NULL;
            rc = build(c, &item, json_array_get(j, i), depth + 1);
            if (rc != DCFG_OK) {
                if (rc == DCFG_ELIMIT)
                    path_prepend(c, NULL, 0, i);
                return rc;
            }
            dcfg__seq_push(seq, item);
        }
        *out = seq;
        return DCFG_OK;
    }

    dcfg__node *map = dcfg__mk_map(c->ld->arena, json_object_size(j));
    if (!map)
        return DCFG_ENOMEM;
    /* jansson 2.14 iterates objects in insertion order. */
    for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it)) {
        const char *key = json_object_iter_key(it);
        size_t klen = json_object_iter_key_len(it);
        dcfg__node *k = NULL, *v = NULL;
        rc = build_str(c, &k, key, klen);
        if (rc == DCFG_OK)
            rc = build(c, &v, json_object_iter_value(it), depth + 1);
        if (rc != DCFG_OK) {
            if (rc == DCFG_ELIMIT)
                path_prepend(c, key, klen, 0);
            return rc;
        }
        dcfg__map_put(map, k, v);
    }
    *out = map;
    return DCFG_OK;
}

static dcfg_status build(jctx *c, dcfg__node **out, json_t *j, unsigned depth)
{
    dcfg__arena *a = c->ld->arena;
    dcfg__node *n = NULL;
    dcfg_status rc;
    switch (json_typeof(j)) {
    case JSON_OBJECT:
    case JSON_ARRAY:
        return build_coll(c, out, j, depth);
    case JSON_STRING:
        return build_str(c, out, json_string_value(j), json_string_length(j));
    case JSON_INTEGER:
        if ((rc = check_node(c)) != DCFG_OK)
            return rc;
        n = dcfg__mk_int(a, (long long)json_integer_value(j));
        break;
    case JSON_REAL:
        if ((rc = check_node(c)) != DCFG_OK)
            return rc;
        n = dcfg__mk_float(a, json_real_value(j));
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        if ((rc = check_node(c)) != DCFG_OK)
            return rc;
        n = dcfg__mk_bool(a, json_is_true(j));
        break;
    case JSON_NULL:
        if ((rc = check_node(c)) != DCFG_OK)
            return rc;
        n = dcfg__mk(a, DCFG__NULL);
        break;
    }
    if (!n)
        return DCFG_ENOMEM;
    *out = n;
    return DCFG_OK;
}

static void report_limit(const jctx *c)
{
    const dcfg__limits *L = &c->ld->limits;
    const char *path = !c->path.oom && c->path.p ? c->path.p : "";
    dcfg_diags *d = c->ld->diags;
    switch ((jlimit_kind)c->limit) {
    case LIM_NODES:
        dcfg__diag_add(d, DCFG_SEVERITY_ERROR, DCFG_DIAG_LIMIT, path, 0, 0, 0, 0,
                       "document too large: more than %zu nodes", L->max_nodes);
        break;
    case LIM_DEPTH:
        dcfg__diag_add(d, DCFG_SEVERITY_ERROR, DCFG_DIAG_LIMIT, path, 0, 0, 0, 0,
                       "nesting deeper than %u levels", L->max_depth);
        break;
    case LIM_STRING:
        dcfg__diag_add(d, DCFG_SEVERITY_ERROR, DCFG_DIAG_LIMIT, path, 0, 0, 0, 0,
                       "scalar of %zu bytes exceeds the limit of %zu bytes", c->str_len,
                       L->max_string_bytes);
        break;
    }
}

dcfg_status dcfg__json_load(dcfg__node **root, const char *data, size_t len, dcfg__load *ld)
{
    *root = NULL;
    const dcfg__limits *L = &ld->limits;
    if (L->max_input_bytes && len > L->max_input_bytes) {
        dcfg__diag_add(ld->diags, DCFG_SEVERITY_ERROR, DCFG_DIAG_LIMIT, "", 0, 0, 0, 0,
                       "input of %zu bytes exceeds the limit of %zu bytes", len,
                       L->max_input_bytes);
        return DCFG_ELIMIT;
    }
    json_error_t err;
    memset(&err, 0, sizeof err); /* jansson leaves it unset on some early failures */
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_ALLOW_NUL,
                             &err);
    if (!doc) {
        if (json_error_code(&err) == json_error_out_of_memory)
            return DCFG_ENOMEM; /* not a syntax problem: don't re-read it */
        return DCFG_ESYNTAX; /* the caller falls back to libfyaml's JSON mode */
    }

    jctx c;
    memset(&c, 0, sizeof c);
    c.ld = ld;
    dcfg__buf_init(&c.path, ld->arena->al);
    dcfg__node *n = NULL;
    dcfg_status rc = build(&c, &n, doc, 1);
    json_decref(doc);
    if (rc == DCFG_OK)
        *root = n;
    else if (rc == DCFG_ELIMIT)
        report_limit(&c);
    dcfg__buf_free(&c.path);
    return rc;
}
