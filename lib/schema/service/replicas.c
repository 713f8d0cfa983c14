/* Replicas, replica groups, scaling and the group router: the kinds of the
 * root fields `scaling`, `replicas` and `groups`, and the root rule that
 * moves a legacy `replicas:` list to `groups` and checks groups against the
 * service level. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "schema/service/areas.h"

/* A count, or a range whose maximum is given. */
#define DCFG__J_REPLICA_RANGE "{'anyOf':[{'type':'integer','minimum':0},{'type':'boolean'}," \
    "{'type':'string','pattern':'^\\s*[+]?[0-9](_?[0-9])*(\\.0+)?\\s*$'}," \
    "{'type':'string','pattern':'^[ 0-9_+.]*\\.\\.[ 0-9_+.]*[0-9][ 0-9_.]*$'}," \
    "{'type':'string','pattern':'^[ ]*\\.\\.[ ]*-[ 0-9_.]*[0-9][ 0-9_.]*$'},{'$ref':'@range'}]}"

static int not_null(const dcfg__node *n) { return n && n->type != DCFG__NULL; }
static int str_nonempty(const dcfg__node *n) { return n && n->type == DCFG__STR && n->len > 0; }
static int is_true(const dcfg__node *n) { return n && n->type == DCFG__BOOL && n->v.b; }

/* 1 when one of the NULL-terminated fields failed: a rule runs whenever its
 * own inputs are valid, so one run reports every problem even where
 * pydantic would stop at the first failed field. */
static int inputs_failed(const dcfg__obj *o, const char *const *keys)
{
    for (; *keys; keys++)
        if (dcfg__schema_index(o->schema, *keys) != (size_t)-1 && dcfg__obj_failed(o, *keys))
            return 1;
    return 0;
}

/* Key node of `key` in an input mapping, or NULL. */
static const dcfg__node *input_key(const dcfg__node *map, const char *key)
{
    if (!map || map->type != DCFG__MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (dcfg__node_is_str(DCFG__KEY(map, i), key))
            return DCFG__KEY(map, i);
    return NULL;
}

/* ---- scaling ------------------------------------------------------------------ */

static const char *const rps_metric[] = { "rps", NULL };
static const dcfg__float_bounds target_bounds = { 0.0, HUGE_VAL, 1 };

/* A duration that must be one of the windows the gateway keeps statistics for. */
static int parse_window(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__field df = *f;
    df.extra = NULL;
    if (dcfg__k_duration.parse(c, in, &df, out))
        return -1;
    long long v = (*out)->v.i;
    if (v != 30 && v != 60 && v != 300) {
        dcfg__err(c, in, DCFG_DIAG_UNSUPPORTED_VALUE, "unsupported window of %llds; expected 30s, 60s or 300s", v);
        return -1;
    }
    return 0;
}
static const dcfg__kind k_window = { "scaling window", parse_window,
    "duration of 30s, 1m (60s) or 5m (300s)",
    "{'anyOf':[{'enum':[30,60,300]},{'type':'string','pattern':'^ *(30 *s?|60 *s?|300 *s?|1 *m|5 *m)\\n?$'}],'examples':['30s','1m','5m']}" };

static const dcfg__field scaling_fields[] = {
    { "metric", &dcfg__k_literal, DCFG__F_REQUIRED, NULL, rps_metric,
      "Metric to track; only \"rps\" (requests per second).", NULL },
    { "target", &dcfg__k_float, DCFG__F_REQUIRED, NULL, &target_bounds,
      "Target value of the metric per replica; greater than 0.", NULL },
    { "window", &k_window, DCFG__F_NULLABLE, NULL, NULL,
      "Window the rate is measured over: 30s, 60s or 300s; null means 60s.", NULL },
    { "scale_up_delay", &dcfg__k_duration, 0, "300", NULL,
      "Minimum time between a scaling event and the next scale-up.", NULL },
    { "scale_down_delay", &dcfg__k_duration, 0, "600", NULL,
      "Minimum time between a scaling event and the next scale-down.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema scaling_schema = { "scaling", scaling_fields, NULL };

static int parse_scaling(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    return dcfg__parse_object(c, in, &scaling_schema, out);
}
const dcfg__kind dcfg__k_scaling = { "scaling", parse_scaling,
    "{metric: rps, target, window, scale_up_delay, scale_down_delay}",
    "{'$ref':'@scaling','examples':[{'metric':'rps','target':10}]}" };

/* ---- replica counts ---------------------------------------------------------------- */

/* G4 range, then: an upper bound is required, an open lower bound means 0,
 * and the lower bound cannot be negative. */
static int parse_replica_range(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__node *r;
    if (dcfg__k_int_range.parse(c, in, f, &r))
        return -1;
    dcfg__node *lo = DCFG__VAL(r, 0), *hi = DCFG__VAL(r, 1);
    if (hi->type == DCFG__NULL) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "the maximum number of replicas is required, e.g. \"0..4\"");
        return -1;
    }
    if (lo->type == DCFG__NULL) {
        if (!(DCFG__VAL(r, 0) = dcfg__mk_int(c->arena, 0)))
            return -1;
        /* left out of the minimal view: written back, 0 would be checked
         * against the maximum, which the open bound is not ("..-3") */
        DCFG__VAL(r, 0)->flags |= DCFG__NF_DEFAULTED;
    } else if (dcfg__int_sign(lo) < 0) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "the minimum number of replicas cannot be negative, got %s",
                  dcfg__show(c, lo));
        return -1;
    }
    *out = r;
    return 0;
}
static const dcfg__kind k_replica_range = { "replica count", parse_replica_range,
    "integer, \"MIN..MAX\" (MIN may be empty: 0) or {min, max}; MAX is required",
    DCFG__J_REPLICA_RANGE };

/* ---- router ------------------------------------------------------------------------ */

/* "smg" is stored under its former name "sglang", which is also accepted. */
static int parse_router_type(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (dcfg__node_is_str(in, "smg") || dcfg__node_is_str(in, "sglang"))
        *out = dcfg__mk_lit(c->arena, "sglang");
    else if (dcfg__node_is_str(in, "dynamo"))
        *out = dcfg__mk_lit(c->arena, "dynamo");
    else {
        if (in->type == DCFG__STR && !(in->flags & DCFG__NF_NOT_TEXT))
            dcfg__err(c, in, DCFG_DIAG_UNSUPPORTED_VALUE, "unsupported router %s; expected \"smg\" or \"dynamo\"",
                      dcfg__show(c, in));
        else
            dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected \"smg\" or \"dynamo\", got %s", dcfg__describe(in));
        return -1;
    }
    return *out ? 0 : -1;
}
static const dcfg__kind k_router_type = { "router type", parse_router_type,
    "\"smg\" (written as \"sglang\", its former name, also accepted) or \"dynamo\"",
    "{'enum':['smg','sglang','dynamo'],'examples':['smg','dynamo']}" };

static const dcfg__field router_fields[] = {
    { "type", &k_router_type, 0, "smg", NULL, "Router implementation: \"smg\" or \"dynamo\".", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema router_schema = { "router", router_fields, NULL };

/* ---- one replica group ------------------------------------------------------------- */

/* ^[a-z0-9][a-z0-9-]{0,39}$, where `$` also matches before a final newline. */
static int group_name_ok(const char *s, size_t len)
{
    size_t n = len && s[len - 1] == '\n' ? len - 1 : len;
    int ok = n >= 1 && n <= 40;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = s[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch == '-' && i > 0);
    }
    return ok;
}

static int parse_group_name(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    if (!group_name_ok(s, len)) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                  "invalid group name %s; use 1-40 lower-case letters, digits or '-', not starting with '-'",
                  dcfg__show(c, in));
        return -1;
    }
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}
static const dcfg__kind k_group_name = { "group name", parse_group_name,
    "1-40 characters: lower-case letters, digits and '-', starting with a letter or digit",
    "{'type':['string','number'],'pattern':'^[a-z0-9][a-z0-9-]{0,39}\\n?$','examples':['prefill','decode-1']}" };

/* Group `image` and `python` (an empty image does not count). */
static int rule_group_image_python(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    if (dcfg__obj_failed(o, "image") || dcfg__obj_failed(o, "python"))
        return 0;
    if (str_nonempty(dcfg__obj_out(o, "image")) && not_null(dcfg__obj_out(o, "python"))) {
        dcfg__obj_err(c, o, r->b, r->code, "%s", r->message);
        o->outs[dcfg__schema_index(o->schema, r->b)] = NULL;
        return -1;
    }
    return 0;
}

/* Group `docker` written as a YAML boolean true excludes image/python/nvcc
 * (dstack looks at the raw input, so "true" or 1 are not checked). */
static int rule_group_docker(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    const dcfg__node *raw = dcfg__obj_in(o, "docker");
    if (!raw || raw->type != DCFG__BOOL || !raw->v.b || dcfg__obj_failed(o, "docker") ||
        dcfg__obj_failed(o, r->a))
        return 0;
    const dcfg__node *other = dcfg__obj_out(o, r->a);
    int set = !strcmp(r->a, "image") ? str_nonempty(other) : !strcmp(r->a, "nvcc") ? is_true(other) : not_null(other);
    if (set) {
        dcfg__obj_err(c, o, "docker", r->code, "%s", r->message);
        o->outs[dcfg__schema_index(o->schema, "docker")] = NULL;
        return -1;
    }
    return 0;
}

/* A group's `privileged` written as a YAML boolean false while `docker` is true. */
static int rule_group_privileged(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    const dcfg__node *raw = dcfg__obj_in(o, "privileged");
    if (!raw || raw->type != DCFG__BOOL || raw->v.b || dcfg__obj_failed(o, "docker"))
        return 0;
    if (is_true(dcfg__obj_out(o, "docker"))) {
        dcfg__obj_err(c, o, r->b, r->code, "%s", r->message);
        return -1;
    }
    return 0;
}

/* `replicas` (a range output) against `scaling`: a range needs scaling,
 * a fixed count must not have it. */
static int rule_range_scaling(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    static const char *const inputs[] = { "replicas", "scaling", NULL };
    if (inputs_failed(o, inputs))
        return 0;
    const dcfg__node *rep = dcfg__obj_out(o, "replicas");
    if (!rep || rep->type != DCFG__MAP)
        return 0;
    const dcfg__node *lo = DCFG__VAL(rep, 0), *hi = DCFG__VAL(rep, 1);
    int fixed = dcfg__int_cmp(lo, hi) == 0;
    int scaling = not_null(dcfg__obj_out(o, "scaling"));
    if (!fixed && !scaling) {
        /* the missing field's path, at the range that needs it */
        size_t ri = dcfg__schema_index(o->schema, "replicas");
        const dcfg__node *saved = c->key, *k = dcfg__obj_key_at(o, ri);
        size_t mark = dcfg__path_push_key(c, "scaling", 7);
        c->key = k;
        dcfg__err(c, dcfg__obj_in_at(o, ri), DCFG_DIAG_REQUIRED, "`scaling` is required when `%s` is a range",
                  k && k->type == DCFG__STR ? k->str : "replicas");
        dcfg__path_pop(c, mark);
        c->key = saved;
        return -1;
    }
    if (fixed && scaling) {
        dcfg__obj_err(c, o, "scaling", DCFG_DIAG_CONFLICT,
                      "`scaling` needs a replica range such as \"1..4\", but the count is fixed at %s", dcfg__show(c, lo));
        return -1;
    }
    return 0;
}

static const dcfg__rule group_rules[] = {
    { "image", "python", rule_group_image_python, DCFG_DIAG_CONFLICT,
      "`image` and `python` exclude each other within a replica group" },
    { "image", "docker", rule_group_docker, DCFG_DIAG_CONFLICT,
      "`image` and `docker` exclude each other within a replica group" },
    { "python", "docker", rule_group_docker, DCFG_DIAG_CONFLICT,
      "`python` and `docker` exclude each other within a replica group" },
    { "nvcc", "docker", rule_group_docker, DCFG_DIAG_CONFLICT,
      "`nvcc` and `docker` exclude each other within a replica group" },
    { "docker", "privileged", rule_group_privileged, DCFG_DIAG_CONFLICT,
      "`privileged: false` cannot be combined with `docker: true`; docker-in-docker needs privileged mode" },
    { "replicas", "scaling", rule_range_scaling, DCFG_DIAG_REQUIRED,
      "`scaling` is required when `replicas` is a range, and not allowed with a fixed count" },
    { NULL, NULL, NULL, 0, NULL },
};

/* Inside a group the `update` column follows the group's replicas: counts and
 * scaling apply in place, what the replicas run is replaced by a rolling
 * deployment; the router cannot change in place (see lib/diff.c). */
#define F(key, kind, flags, dflt, extra, upd, doc) { key, kind, (flags) | (upd), dflt, extra, doc, NULL }
#define N DCFG__F_NULLABLE
#define IP DCFG__F_IN_PLACE
#define RO DCFG__F_ROLLING
#define RS DCFG__F_RESTART
static const dcfg__field group_fields[] = {
    F("name", &k_group_name, N, NULL, NULL, RO, "Group name; null means the group's position (\"0\", \"1\", ...)."),
    { "replicas", &k_replica_range, DCFG__F_REQUIRED | IP, NULL, NULL,
      "Replica count or range of the group (also spelled `count`).", "count" },
    F("scaling", &dcfg__k_scaling, N, NULL, NULL, IP, "Autoscaling rules; required when `replicas` is a range."),
    F("resources", &dcfg__k_resources, 0, "{}", NULL, RO, "Resources of the group's replicas (not inherited)."),
    F("spot_policy", &dcfg__k_enum, N, NULL, dcfg__spot_policies, RO, "Spot or on-demand instances for this group."),
    F("reservation", &dcfg__k_str, N, NULL, NULL, RO, "Capacity reservation for this group."),
    F("commands", &dcfg__k_str_list, 0, "[]", NULL, RO, "Shell commands run by the group's replicas."),
    F("image", &dcfg__k_str, N, NULL, NULL, RO, "Docker image of the group."),
    F("python", &dcfg__k_python, N, NULL, NULL, RO, "Python version of dstack's base image for this group."),
    F("nvcc", &dcfg__k_bool, N, NULL, NULL, RO, "Use the CUDA devel variant of the base image."),
    F("docker", &dcfg__k_bool, N, NULL, NULL, RO, "Run Docker inside the group's containers."),
    F("privileged", &dcfg__k_bool, N, NULL, NULL, RO, "Run the group's containers in privileged mode."),
    F("router", &dcfg__k_object, N, NULL, &router_schema, RS, "Run the in-service HTTP router in this group."),
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
#undef F
#undef N
#undef IP
#undef RO
#undef RS
static const dcfg__schema group_schema = { "replica group", group_fields, group_rules };

/* `count`, the older spelling of `replicas`, is ignored when both are
 * written: the engine's alias rule. */
static int parse_group(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a replica group mapping, got %s", dcfg__describe(in));
        return -1;
    }
    return dcfg__parse_object(c, in, &group_schema, out);
}
static const dcfg__kind k_group = { "replica group", parse_group, "mapping",
    "{'$ref':'@replica_group'}" };
static const dcfg__field group_item = { "group", &k_group, 0, NULL, NULL, NULL, NULL };

/* ---- group lists ------------------------------------------------------------------- */


/* Reports every group name equal to an earlier one; names->kids[j] is the name
 * of group item[j] (item NULL: group j). 0 all unique, -1 duplicates or OOM. */
static int names_unique(dcfg__vctx *c, const dcfg__node *in, const dcfg__node *names, const size_t *item)
{
    size_t *first = dcfg__first_equal(c->arena->al, names, -1);
    if (!first) {
        c->arena->oom = 1;
        return -1;
    }
    int failed = 0;
    for (size_t j = 1; j < names->n; j++) {
        if (first[j] == j)
            continue;
        size_t i = item ? item[j] : j;
        const dcfg__node *name = names->kids[j];
        dcfg__item_err(c, in, i, "name", NULL, DCFG_DIAG_DUPLICATE, "duplicate replica group name \"%.*s\"%s",
                       (int)name->len, name->str, input_key(in->kids[i], "name") ? "" : " (the group's position)");
        failed = 1;
    }
    dcfg__free(c->arena->al, first);
    return failed ? -1 : 0;
}

/* A group's name by its position ("0", "1", ...), as dstack names an unnamed group. */
static dcfg__node *position_name(dcfg__arena *a, size_t i)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", i);
    return dcfg__mk_strz(a, num);
}

/* The duplicate check on the input, for a list whose groups did not all
 * parse: groups that are mappings, named plainly or by their position. */
static void written_names_unique(dcfg__vctx *c, const dcfg__node *in)
{
    dcfg__node *names = dcfg__mk_seq(c->arena, in->n);
    size_t *item = dcfg__arena_alloc(c->arena, (in->n + 1) * sizeof *item);
    if (!names || !item)
        return;
    for (size_t i = 0; i < in->n; i++) {
        const dcfg__node *g = in->kids[i], *key = input_key(g, "name");
        const dcfg__node *written = key ? dcfg__map_get(g, "name") : NULL;
        dcfg__node *name = NULL;
        if (g->type != DCFG__MAP)
            continue;
        if (!written || written->type == DCFG__NULL) {
            if (!(name = position_name(c->arena, i)))
                return;
        } else if (written->type == DCFG__STR && group_name_ok(written->str, written->len)) {
            name = (dcfg__node *)written; /* the parser gives such a name back unchanged */
        } else {
            continue;
        }
        item[names->n] = i;
        dcfg__seq_push(names, name);
    }
    names_unique(c, in, names, item);
}

static int parse_group_list(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type != DCFG__SEQ) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a list of replica groups, got %s", dcfg__describe(in));
        return -1;
    }
    if (in->n == 0) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "the list of replica groups must not be empty");
        return -1;
    }
    dcfg__field lf = *f;
    lf.extra = &group_item;
    dcfg__node *seq;
    if (dcfg__k_list.parse(c, in, &lf, &seq)) {
        /* other fields of some group failed: names that are valid as
         * written are still checked, so one run reports both */
        if (!c->arena->oom)
            written_names_unique(c, in);
        return -1;
    }
    /* unnamed groups are named after their position, before the duplicate check */
    for (size_t i = 0; i < seq->n; i++) {
        dcfg__node *g = seq->kids[i];
        if (DCFG__VAL(g, 0)->type == DCFG__NULL) {
            if (!(DCFG__VAL(g, 0) = position_name(c->arena, i)))
                return -1;
            DCFG__VAL(g, 0)->flags |= DCFG__NF_DEFAULTED; /* left out of the minimal view */
        }
    }
    dcfg__node *names = dcfg__mk_seq(c->arena, seq->n);
    if (!names)
        return -1;
    for (size_t i = 0; i < seq->n; i++)
        dcfg__seq_push(names, DCFG__VAL(seq->kids[i], 0));
    if (names_unique(c, in, names, NULL))
        return -1;
    *out = seq;
    return 0;
}

const dcfg__kind dcfg__k_groups = { "replica groups", parse_group_list,
    "non-empty list of replica group mappings",
    "{'type':'array','minItems':1,'items':{'$ref':'@replica_group'},'examples':[[{'name':'prefill','replicas':2,'commands':['serve --prefill']}]]}" };

/* A count or range, or (legacy) a list of replica groups that the root
 * rule moves to `groups`. */
static int parse_replicas(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type == DCFG__SEQ && !(in->flags & DCFG__NF_SET)) /* dstack asks isinstance(replicas, list) */
        return parse_group_list(c, in, f, out);
    return parse_replica_range(c, in, f, out);
}
const dcfg__kind dcfg__k_replicas = { "replicas", parse_replicas,
    "integer, \"MIN..MAX\" or {min, max} (MAX required); a list is read as `groups`",
    "{'anyOf':[" DCFG__J_REPLICA_RANGE ",{'type':'array','minItems':1,'items':{'$ref':'@replica_group'}}],'examples':[2,'0..4',{'min':1,'max':3}]}" };

/* ---- the root rule ------------------------------------------------------------------ */

typedef struct groups_view {
    const dcfg__node *list;      /* input list */
    const dcfg__node *key;       /* its key in the root mapping */
    const dcfg__node *out;       /* parsed groups */
} groups_view;

/* Report at group i (at its field `key` when written). */
static void group_err(dcfg__vctx *c, const groups_view *g, size_t i, const char *key, dcfg_diag_code code,
                      const char *fmt, ...) DCFG__PRINTF(6, 7);
static void group_err(dcfg__vctx *c, const groups_view *g, size_t i, const char *key, dcfg_diag_code code,
                      const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const dcfg__node *saved = c->key;
    size_t mark = dcfg__path_push_key(c, g->key->str, g->key->len);
    c->key = g->key;
    dcfg__item_err(c, g->list, i, key, key && !strcmp(key, "replicas") ? "count" : NULL, code, "%s", msg);
    dcfg__path_pop(c, mark);
    c->key = saved;
}

static const char *group_name(const groups_view *g, size_t i)
{
    return DCFG__VAL(g->out->kids[i], 0)->str;
}

/* Names of the groups where field `gkey` is not null, as "\"a\", \"b\"". */
static int groups_setting(dcfg__vctx *c, const groups_view *g, const char *gkey, dcfg__buf *names, size_t *first)
{
    size_t gi = dcfg__schema_index(&group_schema, gkey), n = 0;
    for (size_t i = 0; i < g->out->n; i++) {
        if (DCFG__VAL(g->out->kids[i], gi)->type == DCFG__NULL)
            continue;
        if (!n++)
            *first = i;
        dcfg__buf_printf(names, "%s\"%s\"", n > 1 ? ", " : "", group_name(g, i));
    }
    return (int)n;
}

typedef struct level_check {
    const char *service;  /* service-level field */
    int when_true;        /* 1: only a true boolean counts; 0: any non-null value */
    const char *group;    /* group-level field that must then stay null */
} level_check;

/* A field set at both levels: precedence would be ambiguous. */
static const level_check mixed[] = {
    { "image", 0, "image" }, { "docker", 1, "docker" }, { "privileged", 1, "privileged" },
    { "python", 0, "python" }, { "nvcc", 1, "nvcc" }, { "spot_policy", 0, "spot_policy" },
    { "reservation", 0, "reservation" },
};
/* Image sources that exclude each other across the levels. */
static const level_check crossed[] = {
    { "image", 0, "docker" }, { "image", 0, "python" }, { "image", 0, "nvcc" },
    { "docker", 1, "image" }, { "docker", 1, "python" }, { "docker", 1, "nvcc" },
    { "python", 0, "image" }, { "python", 0, "docker" },
    { "nvcc", 1, "image" }, { "nvcc", 1, "docker" },
};

/* Checks one table; reports the first violation and returns -1. */
static int check_levels(dcfg__vctx *c, dcfg__obj *o, const groups_view *g, const level_check *t, size_t n,
                        int is_mixed)
{
    for (size_t k = 0; k < n; k++) {
        const dcfg__node *v = dcfg__obj_out(o, t[k].service);
        if (t[k].when_true ? !is_true(v) : !not_null(v))
            continue;
        dcfg__buf names;
        dcfg__buf_init(&names, c->arena->al);
        size_t first = 0;
        int count = groups_setting(c, g, t[k].group, &names, &first);
        if (count) {
            if (is_mixed)
                dcfg__obj_err(c, o, t[k].service, DCFG_DIAG_CONFLICT,
                              "`%s` is set both here and in replica group%s %s; set it in one place only",
                              t[k].service, count > 1 ? "s" : "", names.oom ? "?" : names.p);
            else
                dcfg__obj_err(c, o, t[k].service, DCFG_DIAG_CONFLICT,
                              "`%s` here conflicts with `%s` in replica group%s %s; image sources exclude each other",
                              t[k].service, t[k].group, count > 1 ? "s" : "", names.oom ? "?" : names.p);
        }
        dcfg__buf_free(&names);
        if (count)
            return -1;
    }
    return 0;
}

/* dstack's service-level checks of replica groups, in its order; the first
 * violation is reported. */
static int check_groups(dcfg__vctx *c, dcfg__obj *o, const groups_view *g)
{
    if (not_null(dcfg__obj_out(o, "scaling"))) {
        dcfg__obj_err(c, o, "scaling", DCFG_DIAG_CONFLICT,
                      "top-level `scaling` is not allowed with replica groups; set `scaling` in each group");
        return -1;
    }
    if (dcfg__obj_out(o, "commands")->n) {
        dcfg__obj_err(c, o, "commands", DCFG_DIAG_CONFLICT,
                      "top-level `commands` is not allowed with replica groups; set `commands` in each group");
        return -1;
    }
    if (check_levels(c, o, g, mixed, sizeof mixed / sizeof *mixed, 1) ||
        check_levels(c, o, g, crossed, sizeof crossed / sizeof *crossed, 0))
        return -1;
    size_t gi_cmd = dcfg__schema_index(&group_schema, "commands"), gi_img = dcfg__schema_index(&group_schema, "image");
    int service_image = not_null(dcfg__obj_out(o, "image"));
    for (size_t i = 0; i < g->out->n; i++) {
        const dcfg__node *grp = g->out->kids[i];
        if (!DCFG__VAL(grp, gi_cmd)->n && !not_null(DCFG__VAL(grp, gi_img)) && !service_image) {
            group_err(c, g, i, NULL, DCFG_DIAG_REQUIRED,
                      "replica group \"%s\" has nothing to run: set `commands` or `image` in the group, or `image` at the top level",
                      group_name(g, i));
            return -1;
        }
    }
    size_t gi_router = dcfg__schema_index(&group_schema, "router");
    size_t gi_rep = dcfg__schema_index(&group_schema, "replicas");
    size_t routers = 0;
    for (size_t i = 0; i < g->out->n; i++) {
        const dcfg__node *grp = g->out->kids[i];
        if (!not_null(DCFG__VAL(grp, gi_router)))
            continue;
        if (++routers > 1) {
            group_err(c, g, i, "router", DCFG_DIAG_CONFLICT, "only one replica group may have a `router`");
            return -1;
        }
    }
    for (size_t i = 0; i < g->out->n; i++) {
        const dcfg__node *grp = g->out->kids[i];
        const dcfg__node *rep = DCFG__VAL(grp, gi_rep);
        if (not_null(DCFG__VAL(grp, gi_router)) && !(dcfg__int_cmp(DCFG__VAL(rep, 0), DCFG__VAL(rep, 1)) == 0 &&
                                                    !(DCFG__VAL(rep, 0)->flags & DCFG__NF_BIGINT) && DCFG__VAL(rep, 0)->v.i == 1)) {
            group_err(c, g, i, "replicas", DCFG_DIAG_INVALID_VALUE,
                      "a replica group with a `router` must have exactly 1 replica");
            return -1;
        }
    }
    return 0;
}

int dcfg__rule_replica_groups(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    size_t ri = dcfg__schema_index(o->schema, "replicas"), gi = dcfg__schema_index(o->schema, "groups");
    const dcfg__node *rin = dcfg__obj_in_at(o, ri), *gin = dcfg__obj_in_at(o, gi);
    if (not_null(gin) && not_null(rin)) {
        dcfg__obj_err(c, o, "groups", r->code,
                      "`replicas` and `groups` exclude each other; move the count or range into the groups");
        return -1;
    }
    groups_view g = { gin, dcfg__obj_key_at(o, gi), o->outs[gi] };
    if (rin && rin->type == DCFG__SEQ && !(rin->flags & DCFG__NF_SET)) {
        /* legacy spelling of `groups` */
        o->outs[gi] = o->outs[ri];
        if (o->outs[ri] && !(o->outs[ri] = dcfg__mk(c->arena, DCFG__NULL)))
            return -1;
        g.list = rin;
        g.key = dcfg__obj_key_at(o, ri);
        g.out = o->outs[gi];
    }
    /* what check_groups reads */
    static const char *const group_inputs[] = { "groups", "scaling", "commands", "image", "docker", "privileged",
                                                "python", "nvcc", "spot_policy", "reservation", NULL };
    if (not_null(g.out))
        return inputs_failed(o, group_inputs) ? 0 : check_groups(c, o, &g);
    return rule_range_scaling(c, o, r);
}

/* Objects of this area, for the generated reference (tools/gen_reference.c). */
const dcfg__doc_object dcfg__replicas_docs[] = {
    { "scaling", &scaling_schema },
    { "groups[]", &group_schema },
    { "groups[].router", &router_schema },
    { NULL, NULL },
};
