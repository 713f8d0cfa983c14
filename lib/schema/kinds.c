/* Generic kinds shared by many fields: scalars, enums, objects, lists,
 * durations, integer ranges and entity references. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "schema/schema.h"

/* ---- scalars ------------------------------------------------------------- */

static int parse_bool(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    int b;
    if (dcfg__want_bool(c, in, &b))
        return -1;
    *out = dcfg__mk_bool(c->arena, b);
    return *out ? 0 : -1;
}
const dcfg__kind dcfg__k_bool = { "boolean", parse_bool, "true/false (also yes/no, on/off, 1/0)",
    NULL };

/* Bounds of an integer node (beyond 64 bits too); reports and returns -1 when outside. */
int dcfg__check_int_bounds(dcfg__vctx *c, const dcfg__node *in, const dcfg__int_bounds *b, const dcfg__node *v)
{
    if (!b)
        return 0;
    int big = (v->flags & DCFG__NF_BIGINT) != 0;
    if (big ? dcfg__int_sign(v) < 0 : v->v.i < b->min) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "must be greater than or equal to %lld, got %s", b->min,
                  dcfg__show(c, v));
        return -1;
    }
    if (!b->no_max && (big ? dcfg__int_sign(v) > 0 : v->v.i > b->max)) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "must be less than or equal to %lld, got %s", b->max,
                  dcfg__show(c, v));
        return -1;
    }
    return 0;
}

/* extra: optional dcfg__int_bounds; without bounds any Python integer fits */
static int parse_int(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__node *v;
    if (dcfg__want_int_node(c, in, &v) || dcfg__check_int_bounds(c, in, f->extra, v))
        return -1;
    *out = v;
    return 0;
}
const dcfg__kind dcfg__k_int = { "integer", parse_int, "integer (also \"8\", 8.0)",
    NULL };

static int parse_float(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    double v;
    char a[32], b[32];
    if (dcfg__want_float(c, in, &v))
        return -1;
    const dcfg__float_bounds *fb = f->extra;
    if (fb) {
        int low = fb->min_exclusive ? !(v > fb->min) : !(v >= fb->min);
        if (low || isnan(v)) {
            dcfg__float_repr(a, fb->min);
            dcfg__float_repr(b, v);
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "must be greater than %s%s, got %s",
                      fb->min_exclusive ? "" : "or equal to ", a, b);
            return -1;
        }
        if (v > fb->max) {
            dcfg__float_repr(a, fb->max);
            dcfg__float_repr(b, v);
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "must be less than or equal to %s, got %s", a, b);
            return -1;
        }
    }
    *out = dcfg__mk_float(c->arena, v);
    return *out ? 0 : -1;
}
const dcfg__kind dcfg__k_float = { "number", parse_float, "number (integers become floats)",
    NULL };

static int parse_str(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}
const dcfg__kind dcfg__k_str = { "string", parse_str, "string (numbers become text)",
    NULL };

/* extra: NULL-terminated list of allowed values */
static int parse_enum(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *const *values = f->extra;
    if (in->type != DCFG__STR || (in->flags & DCFG__NF_NOT_TEXT)) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a string, got %s", dcfg__describe(in));
        return -1;
    }
    for (size_t i = 0; values[i]; i++) {
        if (dcfg__node_is_str(in, values[i])) {
            *out = dcfg__mk_lit(c->arena, values[i]);
            return *out ? 0 : -1;
        }
    }
    dcfg__buf list;
    dcfg__buf_init(&list, c->arena->al);
    for (size_t i = 0; values[i]; i++)
        dcfg__buf_printf(&list, "%s\"%s\"", i == 0 ? "" : values[i + 1] ? ", " : " or ", values[i]);
    dcfg__err(c, in, DCFG_DIAG_UNSUPPORTED_VALUE, "unsupported value %s; expected %s", dcfg__show(c, in),
              list.oom ? "?" : list.p);
    dcfg__buf_free(&list);
    return -1;
}
const dcfg__kind dcfg__k_enum = { "enum", parse_enum, "one of the listed strings (case-sensitive)",
    NULL };
const dcfg__kind dcfg__k_literal = { "literal", parse_enum, "exactly the listed string",
    NULL };

/* extra: the object's schema */
static int parse_object(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return dcfg__parse_object(c, in, f->extra, out);
}
const dcfg__kind dcfg__k_object = { "object", parse_object, "mapping",
    NULL };

/* extra: field describing one item (its key is unused) */
static int parse_list(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type != DCFG__SEQ) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a list, got %s", dcfg__describe(in));
        return -1;
    }
    const dcfg__field *item = f->extra;
    dcfg__node *seq = dcfg__mk_seq(c->arena, in->n);
    if (!seq)
        return -1;
    int failed = 0;
    const dcfg__node *saved = c->key;
    for (size_t i = 0; i < in->n; i++) {
        size_t mark = dcfg__path_push_index(c, i);
        c->key = in->kids[i]->line ? NULL : saved; /* an item's problems point at the item */
        dcfg__node *v = NULL;
        if (dcfg__parse_field(c, in->kids[i], item, &v))
            failed = 1;
        else
            dcfg__seq_push(seq, v);
        dcfg__path_pop(c, mark);
    }
    c->key = saved;
    *out = seq;
    return failed ? -1 : 0;
}
const dcfg__kind dcfg__k_list = { "list", parse_list, "list",
    NULL };

static const dcfg__field str_item = { "item", &dcfg__k_str, 0, NULL, NULL, NULL, NULL };
static int parse_str_list(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__field lf = *f;
    lf.extra = &str_item;
    return parse_list(c, in, &lf, out);
}
const dcfg__kind dcfg__k_str_list = { "list of strings", parse_str_list, "list of strings",
    NULL };

/* ---- durations (seconds) ------------------------------------------------- */

/* G1: int; float truncated; bool; "90", "5m", "2 h". Python integers are
 * unbounded, so huge values stay exact (DCFG__NF_BIGINT). */
static int duration_node(dcfg__vctx *c, const dcfg__node *in, dcfg__node **out)
{
    switch ((dcfg__ntype)in->type) {
    case DCFG__INT:
    case DCFG__BOOL:
        return dcfg__want_int_node(c, in, out);
    case DCFG__FLOAT: {
        if (!isfinite(in->v.f))
            break;
        *out = dcfg__int_from_double(c->arena, in->v.f); /* int() truncates toward zero */
        return *out ? 0 : -1;
    }
    case DCFG__STR: {
        if (in->flags & DCFG__NF_NOT_TEXT)
            break;
        char *t;
        int rc = dcfg__int_text(c->arena, in->str, in->len, 0, &t);
        if (rc < 0)
            return -1;
        if (rc == 0)
            return dcfg__want_int_node(c, &(dcfg__node){ .type = DCFG__STR, .str = t, .len = strlen(t) }, out);
        const char *s = in->str;
        size_t len = in->len, i = 0;
        if (len && s[len - 1] == '\n')
            len--; /* Python's `$` also matches before one final newline */
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        size_t ndigits = i;
        while (i < len && s[i] == ' ')
            i++;
        static const char units[] = "smhdw";
        static const unsigned secs[] = { 1, 60, 3600, 86400, 604800 };
        const char *u = i + 1 == len && s[i] ? memchr(units, s[i], 5) : NULL;
        if (!ndigits || !u)
            break;
        if (dcfg__int_text(c->arena, s, ndigits, 0, &t))
            return -1;
        *out = dcfg__int_mul_small(c->arena, t, secs[u - units]);
        return *out ? 0 : -1;
    }
    default:
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a duration (seconds or a string like \"5m\"), got %s",
                  dcfg__describe(in));
        return -1;
    }
    dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
              "cannot parse the duration %s; use seconds or a number with a unit s, m, h, d or w (\"90s\", \"5m\")",
              dcfg__show(c, in));
    return -1;
}

static int parse_duration(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__node *v;
    if (duration_node(c, in, &v))
        return -1;
    const dcfg__int_bounds *b = f->extra;
    int big = (v->flags & DCFG__NF_BIGINT) != 0;
    if (b && (big ? dcfg__int_sign(v) < 0 : v->v.i < b->min)) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "must be at least %llds, got %ss", b->min, dcfg__show(c, v));
        return -1;
    }
    if (b && !b->no_max && (big ? dcfg__int_sign(v) > 0 : v->v.i > b->max)) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "must be at most %llds, got %ss", b->max, dcfg__show(c, v));
        return -1;
    }
    *out = v;
    return 0;
}
const dcfg__kind dcfg__k_duration = { "duration", parse_duration,
    "seconds (integer) or a string with a unit: \"30s\", \"5m\", \"2h\", \"1d\", \"1w\"",
    NULL };

/* G2: "off"/false -> "off"; true -> null (default); else a non-negative duration. */
static int parse_off_duration(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (dcfg__node_is_str(in, "off") || (in->type == DCFG__BOOL && !in->v.b)) {
        *out = dcfg__mk_lit(c->arena, "off");
        return *out ? 0 : -1;
    }
    if (in->type == DCFG__BOOL) {
        *out = dcfg__mk(c->arena, DCFG__NULL);
        return *out ? 0 : -1;
    }
    if (duration_node(c, in, out))
        return -1;
    if (dcfg__int_sign(*out) < 0) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "duration cannot be negative; use \"off\" to disable");
        return -1;
    }
    return 0;
}
const dcfg__kind dcfg__k_off_duration = { "off-able duration", parse_off_duration,
    "duration, or \"off\"/false to disable; true means the default",
    NULL };

/* G3: "off"/false/-1 -> -1; true -> null; negative durations are kept (off). */
static int parse_idle_duration(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (dcfg__node_is_str(in, "off") || (in->type == DCFG__BOOL && !in->v.b)) {
        *out = dcfg__mk_int(c->arena, -1);
        return *out ? 0 : -1;
    }
    if (in->type == DCFG__BOOL) {
        *out = dcfg__mk(c->arena, DCFG__NULL);
        return *out ? 0 : -1;
    }
    return duration_node(c, in, out);
}
const dcfg__kind dcfg__k_idle_duration = { "idle duration", parse_idle_duration,
    "duration, or \"off\"/false/-1 to never stop; true means the default",
    NULL };

/* ---- integer ranges (G4) -------------------------------------------------- */

static const dcfg__field range_bound = { "bound", &dcfg__k_int, DCFG__F_NULLABLE, NULL, NULL, NULL, NULL };
static const dcfg__field range_fields[] = {
    { "min", &dcfg__k_int, DCFG__F_NULLABLE, NULL, NULL, "Lower bound; null means unbounded.", NULL },
    { "max", &dcfg__k_int, DCFG__F_NULLABLE, NULL, NULL, "Upper bound; null means unbounded.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
const dcfg__schema dcfg__int_range_schema = { "range", range_fields, NULL };

/* Splits "a..b" (spaces removed) and parses each bound with `bound`.
 * Returns 0 and fills lo/hi (NULL-typed nodes when open), or -1. */
int dcfg__range_split(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *bound,
                      dcfg__node **lo, dcfg__node **hi)
{
    char *text = dcfg__arena_alloc(c->arena, in->len + 1);
    if (!text)
        return -1;
    size_t len = 0;
    for (size_t i = 0; i < in->len; i++)
        if (in->str[i] != ' ')
            text[len++] = in->str[i];
    const char *dots = strstr(text, "..");
    if (!dots || strstr(dots + 2, "..")) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "invalid range %s; expected \"MIN..MAX\", \"MIN..\" or \"..MAX\"",
                  dcfg__show(c, in));
        return -1;
    }
    const char *parts[2] = { text, dots + 2 };
    size_t lens[2] = { (size_t)(dots - text), len - (size_t)(dots + 2 - text) };
    dcfg__node **outs[2] = { lo, hi };
    for (int k = 0; k < 2; k++) {
        if (!lens[k]) {
            *outs[k] = dcfg__mk(c->arena, DCFG__NULL);
            if (!*outs[k])
                return -1;
            continue;
        }
        dcfg__node part = *in;
        part.str = parts[k];
        part.len = lens[k];
        part.flags = DCFG__NF_QUOTED;
        /* position stays the whole scalar's */
        dcfg__node *partp = dcfg__arena_alloc(c->arena, sizeof part);
        if (!partp)
            return -1;
        *partp = part;
        ((char *)parts[k])[lens[k]] = '\0';
        if (bound->kind->parse(c, partp, bound, outs[k]))
            return -1;
    }
    return 0;
}

int dcfg__range_finish(dcfg__vctx *c, const dcfg__node *in, dcfg__node *lo, dcfg__node *hi, dcfg__node **out)
{
    if (lo->type == DCFG__NULL && hi->type == DCFG__NULL) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "invalid empty range: give at least one bound");
        return -1;
    }
    if (lo->type != DCFG__NULL && hi->type != DCFG__NULL) {
        double a = lo->type == DCFG__INT ? (double)lo->v.i : lo->v.f;
        double b = hi->type == DCFG__INT ? (double)hi->v.i : hi->v.f;
        int greater = lo->type == DCFG__INT && hi->type == DCFG__INT ? dcfg__int_cmp(lo, hi) > 0 : a > b;
        if (greater) {
            dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "invalid range order: the minimum is greater than the maximum");
            return -1;
        }
    }
    dcfg__node *m = dcfg__mk_map(c->arena, 2);
    dcfg__node *kmin = dcfg__mk_lit(c->arena, "min"), *kmax = dcfg__mk_lit(c->arena, "max");
    if (!m || !kmin || !kmax)
        return -1;
    dcfg__map_put(m, kmin, lo);
    dcfg__map_put(m, kmax, hi);
    *out = m;
    return 0;
}

int dcfg__has_range_dots(const dcfg__node *n)
{
    for (size_t i = 0; i + 1 < n->len; i++)
        if (n->str[i] == '.' && n->str[i + 1] == '.')
            return 1;
    return 0;
}

/* Range of `bound` values: "a..b" strings, single values, {min, max} mappings. */
int dcfg__parse_range(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *bound,
                      const dcfg__schema *map_schema, dcfg__node **out)
{
    dcfg__node *lo = NULL, *hi = NULL;
    if (in->type == DCFG__MAP) {
        dcfg__node *m;
        if (dcfg__parse_object(c, in, map_schema, &m))
            return -1;
        lo = DCFG__VAL(m, 0);
        hi = DCFG__VAL(m, 1);
    } else if (in->type == DCFG__STR && !(in->flags & DCFG__NF_NOT_TEXT) && dcfg__has_range_dots(in)) {
        if (dcfg__range_split(c, in, bound, &lo, &hi))
            return -1;
    } else if (in->type == DCFG__SEQ || in->type == DCFG__NULL) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a number, a range string or a {min, max} mapping, got %s",
                  dcfg__describe(in));
        return -1;
    } else {
        if (bound->kind->parse(c, in, bound, &lo))
            return -1;
        hi = lo;
    }
    return dcfg__range_finish(c, in, lo, hi, out);
}

static int parse_int_range(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return dcfg__parse_range(c, in, &range_bound, &dcfg__int_range_schema, out);
}
const dcfg__kind dcfg__k_int_range = { "integer range", parse_int_range,
    "integer, \"MIN..MAX\" (either side may be empty) or {min, max}",
    "{'anyOf':[" DCFG__J_INT ",{'type':'string','pattern':'^[-+0-9_. ]*\\.\\.[-+0-9_. ]*$'},{'$ref':'@range'}],'examples':[2,'1..4','2..',{'min':1,'max':4}]}" };

/* ---- entity references (G7) ----------------------------------------------- */

static const dcfg__field ref_fields[] = {
    { "project", &dcfg__k_str, DCFG__F_NULLABLE, NULL, NULL, "Project owning the entity; null means the run's project.", NULL },
    { "name", &dcfg__k_str, DCFG__F_REQUIRED, NULL, NULL, "Entity name.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
const dcfg__schema dcfg__entity_ref_schema = { "entity reference", ref_fields, NULL };

/* "name" or "project/name" text, or a {project, name} mapping. */
int dcfg__parse_entity_ref(dcfg__vctx *c, const dcfg__node *in, dcfg__node **out)
{
    if (in->type == DCFG__MAP)
        return dcfg__parse_object(c, in, &dcfg__entity_ref_schema, out);
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    const char *slash = memchr(s, '/', len);
    const char *slash2 = slash ? memchr(slash + 1, '/', len - (size_t)(slash + 1 - s)) : NULL;
    if (!len || slash2 || (slash && (slash == s || slash == s + len - 1))) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                  "invalid reference %s; expected \"<name>\" or \"<project>/<name>\"", dcfg__show(c, in));
        return -1;
    }
    dcfg__node *m = dcfg__mk_map(c->arena, 2);
    dcfg__node *kp = dcfg__mk_lit(c->arena, "project"), *kn = dcfg__mk_lit(c->arena, "name");
    dcfg__node *p = slash ? dcfg__mk_str(c->arena, s, (size_t)(slash - s)) : dcfg__mk(c->arena, DCFG__NULL);
    dcfg__node *n = slash ? dcfg__mk_str(c->arena, slash + 1, len - (size_t)(slash + 1 - s)) : dcfg__mk_str(c->arena, s, len);
    if (!m || !kp || !kn || !p || !n)
        return -1;
    dcfg__map_put(m, kp, p);
    dcfg__map_put(m, kn, n);
    *out = m;
    return 0;
}

static int parse_entity_ref(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return dcfg__parse_entity_ref(c, in, out);
}
const dcfg__kind dcfg__k_entity_ref = { "reference", parse_entity_ref, "\"name\", \"project/name\" or {project, name}",
    "{'anyOf':[" DCFG__J_STR ",{'$ref':'@entity_reference'}],'examples':['my-gateway','main/my-gateway',{'project':'main','name':'my-gateway'}]}" };
