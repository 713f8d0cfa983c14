/* The effective view: the defaults dstack resolves later on the server or
 * client (SERVICE-SPEC section 4) written in, so a user sees what will run.
 * It is input that parses back to a configuration whose effective view is
 * itself. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "write/views.h"

typedef struct ectx {
    dcfg__arena *a;
    int oom;
} ectx;

static dcfg__node *e_int(ectx *e, long long v)
{
    dcfg__node *n = dcfg__mk_int(e->a, v);
    e->oom |= !n;
    return n;
}
static dcfg__node *e_bool(ectx *e, int v)
{
    dcfg__node *n = dcfg__mk_bool(e->a, v);
    e->oom |= !n;
    return n;
}
static dcfg__node *e_strn(ectx *e, const char *s, size_t len)
{
    dcfg__node *n = dcfg__mk_str(e->a, s, len);
    e->oom |= !n;
    return n;
}
static dcfg__node *e_str(ectx *e, const char *s) { return e_strn(e, s, strlen(s)); }

/* A mapping from alternating key / value pairs. */
static dcfg__node *e_map(ectx *e, size_t n, const char *const *keys, dcfg__node *const *vals)
{
    dcfg__node *m = dcfg__mk_map(e->a, n);
    if (!m)
        return e->oom = 1, NULL;
    for (size_t i = 0; i < n; i++) {
        dcfg__node *k = dcfg__mk_strz(e->a, keys[i]);
        if (!k || !vals[i])
            return e->oom = 1, NULL;
        dcfg__map_put(m, k, vals[i]);
    }
    return m;
}

static void fill(ectx *e, dcfg__node *m, const char *key, dcfg__node *(*mk)(ectx *, const void *), const void *arg)
{
    dcfg__node *v = view_get(m, key);
    if (v && v->type == DCFG__NULL)
        view_set(m, key, mk(e, arg));
}

static dcfg__node *mk_int_arg(ectx *e, const void *arg) { return e_int(e, *(const long long *)arg); }
static dcfg__node *mk_bool_arg(ectx *e, const void *arg) { return e_bool(e, *(const int *)arg); }
static dcfg__node *mk_str_arg(ectx *e, const void *arg) { return e_str(e, arg); }

/* Plain "null -> value" defaults of the root (SERVICE-SPEC §4). */
typedef struct simple_default {
    const char *key;
    char type;            /* 'i' integer, 'b' boolean, 's' string */
    long long i;
    const char *s;
} simple_default;

static const simple_default root_defaults[] = {
    { "https", 'b', 1, NULL },                      /* the server serves HTTPS unless told otherwise */
    { "single_branch", 'b', 1, NULL },              /* services clone one branch */
    { "priority", 'i', 0, NULL },                   /* persisted by the server */
    { "max_duration", 's', 0, "off" },              /* services run until stopped */
    { "stop_duration", 'i', 300, NULL },            /* DEFAULT_STOP_DURATION */
    { "idle_duration", 'i', 300, NULL },            /* instances this run provisions */
    { "creation_policy", 's', 0, "reuse-or-create" },
    { "startup_order", 's', 0, "any" },
    { "stop_criteria", 's', 0, "all-done" },
    { "retry", 'b', 0, NULL },                      /* null: no retry */
    { NULL, 0, 0, NULL },
};

static void apply_simple(ectx *e, dcfg__node *m, const simple_default *t)
{
    for (; t->key; t++) {
        int b = (int)t->i;
        if (t->type == 'i')
            fill(e, m, t->key, mk_int_arg, &t->i);
        else if (t->type == 'b')
            fill(e, m, t->key, mk_bool_arg, &b);
        else
            fill(e, m, t->key, mk_str_arg, t->s);
    }
}

static dcfg__node *retry_events(ectx *e)
{
    static const char *const events[] = { "no-capacity", "interruption", "error" };
    dcfg__node *seq = dcfg__mk_seq(e->a, 3);
    if (!seq)
        return e->oom = 1, NULL;
    for (size_t i = 0; i < 3; i++) {
        dcfg__node *s = e_str(e, events[i]);
        if (!s)
            return NULL;
        dcfg__seq_push(seq, s);
    }
    return seq;
}

/* true -> every event for an hour; a mapping gets its missing parts. */
static void effective_retry(ectx *e, dcfg__node *root)
{
    dcfg__node *r = view_get(root, "retry");
    if (view_is_true(r)) {
        static const char *const keys[] = { "on_events", "duration" };
        dcfg__node *vals[] = { retry_events(e), e_int(e, 3600) };
        view_set(root, "retry", e_map(e, 2, keys, vals));
    } else if (r && r->type == DCFG__MAP) {
        if (view_is_null(view_get(r, "on_events")))
            view_set(r, "on_events", retry_events(e));
        if (view_is_null(view_get(r, "duration")))
            view_set(r, "duration", e_int(e, 3600));
    }
}

static void effective_scaling(ectx *e, dcfg__node *scaling)
{
    if (scaling && scaling->type == DCFG__MAP && view_is_null(view_get(scaling, "window")))
        view_set(scaling, "window", e_int(e, 60)); /* DEFAULT_SCALING_WINDOW */
}

/* Python's json.dumps() of a string (ensure_ascii, so non-ASCII as \uXXXX). */
static void json_dumps_str(dcfg__buf *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    dcfg__buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], cp = c, len = 1;
        if (c >= 0xF0 && n - i >= 4)
            cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu), len = 4;
        else if (c >= 0xE0 && n - i >= 3)
            cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu), len = 3;
        else if (c >= 0xC0 && n - i >= 2)
            cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu), len = 2;
        i += len;
        switch (cp) {
        case '"': dcfg__buf_puts(b, "\\\""); continue;
        case '\\': dcfg__buf_puts(b, "\\\\"); continue;
        case '\n': dcfg__buf_puts(b, "\\n"); continue;
        case '\r': dcfg__buf_puts(b, "\\r"); continue;
        case '\t': dcfg__buf_puts(b, "\\t"); continue;
        case '\b': dcfg__buf_puts(b, "\\b"); continue;
        case '\f': dcfg__buf_puts(b, "\\f"); continue;
        default: break;
        }
        if (cp < 0x20 || (cp > 0x7E && cp != 0x7F)) {
            if (cp >= 0x10000) {
                unsigned v = cp - 0x10000;
                dcfg__buf_printf(b, "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF));
            } else {
                dcfg__buf_printf(b, "\\u%04x", cp);
            }
        } else {
            dcfg__buf_putc(b, (char)cp);
        }
    }
    dcfg__buf_putc(b, '"');
}

/* The probe dstack adds for an OpenAI-format model (jobs/configurators/base.py). */
static dcfg__node *openai_probe(ectx *e, const dcfg__node *model)
{
    const dcfg__node *name = view_get(model, "name"), *prefix = view_get(model, "prefix");
    if (!name || name->type != DCFG__STR || !prefix || prefix->type != DCFG__STR)
        return NULL;
    dcfg__buf url, body;
    dcfg__buf_init(&url, e->a->al);
    dcfg__buf_init(&body, e->a->al);
    size_t plen = prefix->len;
    while (plen && prefix->str[plen - 1] == '/')
        plen--;
    dcfg__buf_putn(&url, prefix->str, plen);
    dcfg__buf_puts(&url, "/chat/completions");
    dcfg__buf_puts(&body, "{\"model\": ");
    json_dumps_str(&body, name->str, name->len);
    dcfg__buf_puts(&body, ", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1}");
    dcfg__node *hdr = NULL, *headers = dcfg__mk_seq(e->a, 1);
    {
        static const char *const keys[] = { "name", "value" };
        dcfg__node *vals[] = { e_str(e, "Content-Type"), e_str(e, "application/json") };
        hdr = e_map(e, 2, keys, vals);
    }
    if (headers && hdr)
        dcfg__seq_push(headers, hdr);
    static const char *const keys[] = { "type", "url", "method", "headers", "body", "timeout", "interval",
                                        "ready_after", "until_ready" };
    dcfg__node *vals[] = {
        e_str(e, "http"),
        url.oom ? NULL : e_strn(e, url.p, url.len),
        e_str(e, "post"),
        headers,
        body.oom ? NULL : e_strn(e, body.p, body.len),
        e_int(e, 30), /* OPENAI_MODEL_PROBE_TIMEOUT */
        e_int(e, 15),
        e_int(e, 1),
        e_bool(e, 0),
    };
    e->oom |= url.oom || body.oom;
    dcfg__buf_free(&url);
    dcfg__buf_free(&body);
    dcfg__node *probe = e_map(e, 9, keys, vals);
    dcfg__node *list = dcfg__mk_seq(e->a, 1);
    if (!probe || !list)
        return e->oom = 1, NULL;
    dcfg__seq_push(list, probe);
    return list;
}

static int any_group_has(const dcfg__node *groups, const char *key)
{
    for (size_t i = 0; groups && i < groups->n; i++)
        if (!view_is_null(view_get(groups->kids[i], key)))
            return 1;
    return 0;
}

static void effective_probes(ectx *e, dcfg__node *root, const dcfg__node *groups)
{
    dcfg__node *probes = view_get(root, "probes");
    if (probes && probes->type == DCFG__SEQ) {
        /* _probe_config_to_spec */
        for (size_t i = 0; i < probes->n; i++) {
            dcfg__node *p = probes->kids[i];
            long long timeout = 10, interval = 15, ready_after = 1;
            int no = 0;
            fill(e, p, "url", mk_str_arg, "/");
            /* with a body the method stays unset: an explicit `get` with a body is invalid input */
            if (view_is_null(view_get(p, "body")))
                fill(e, p, "method", mk_str_arg, "get");
            fill(e, p, "timeout", mk_int_arg, &timeout);
            fill(e, p, "interval", mk_int_arg, &interval);
            fill(e, p, "ready_after", mk_int_arg, &ready_after);
            fill(e, p, "until_ready", mk_bool_arg, &no);
        }
        return;
    }
    const dcfg__node *model = view_get(root, "model");
    if (!view_is_null(probes))
        return;
    if (model && model->type == DCFG__MAP && dcfg__node_is_str(view_get(model, "format"), "openai")) {
        /* with a router group only the router gets the probe: not expressible here */
        if (!any_group_has(groups, "router"))
            view_set(root, "probes", openai_probe(e, model));
        return;
    }
    dcfg__node *none = dcfg__mk_seq(e->a, 0);
    e->oom |= !none;
    view_set(root, "probes", none);
}

/* DEFAULT_GPU_SPEC: any number of GPUs, including none. */
static dcfg__node *default_gpu(ectx *e)
{
    static const char *const range_keys[] = { "min", "max" };
    dcfg__node *nul = dcfg__mk(e->a, DCFG__NULL);
    dcfg__node *count_vals[] = { e_int(e, 0), nul };
    static const char *const keys[] = { "vendor", "name", "count", "memory", "total_memory", "compute_capability" };
    dcfg__node *vals[] = { nul, nul, e_map(e, 2, range_keys, count_vals), nul, nul, nul };
    e->oom |= !nul;
    return e_map(e, 6, keys, vals);
}

/* set_run_spec_resources_defaults: default GPU spec, vendor by image; and the
 * job's CPU architecture when dstack's own (x86-only) image runs. */
static void effective_resources(ectx *e, dcfg__node *res, const dcfg__node *image, const dcfg__node *docker)
{
    if (!res || res->type != DCFG__MAP)
        return;
    dcfg__node *gpu = view_get(res, "gpu");
    if (view_is_null(gpu)) {
        gpu = default_gpu(e);
        view_set(res, "gpu", gpu);
    }
    if (gpu && gpu->type == DCFG__MAP && view_is_null(view_get(gpu, "vendor"))) {
        const dcfg__node *count = view_get(gpu, "count"), *max = count ? view_get(count, "max") : NULL;
        const dcfg__node *names = view_get(gpu, "name");
        int no_gpu = max && max->type == DCFG__INT && max->v.i == 0;
        int no_names = view_is_null(names) || (names->type == DCFG__SEQ && names->n == 0);
        if (!no_gpu && no_names && view_is_null(image) && !view_is_true(docker))
            view_set(gpu, "vendor", e_str(e, "nvidia"));
    }
    dcfg__node *cpu = view_get(res, "cpu");
    if (cpu && cpu->type == DCFG__MAP && view_is_null(view_get(cpu, "arch")) && view_is_null(image))
        view_set(cpu, "arch", e_str(e, "x86"));
}

/* dstack's base image (settings.DSTACK_DOCKER_BASE_IMAGE*, dstack 0.22.5). */
#define BASE_IMAGE "dstackai/base:0.16-base-ubuntu24.04"
#define DEVEL_IMAGE "dstackai/base:0.16-devel-ubuntu24.04"

/* The shell dstack picks (JobConfigurator._shell, service groups included). */
static const char *shell_for(const dcfg__node *root, const dcfg__node *group)
{
    if (group && view_is_true(view_get(group, "docker")))
        return "/bin/bash";
    if (group && !view_is_null(view_get(group, "image")))
        return "/bin/sh";
    return view_is_null(view_get(root, "image")) ? "/bin/bash" : "/bin/sh";
}

static void effective_container(ectx *e, dcfg__node *root, const dcfg__node *orig, const dcfg__node *groups)
{
    const dcfg__node *shell = view_get(orig, "shell");
    if (shell && shell->type == DCFG__STR && shell->len && shell->str[0] != '/') {
        dcfg__buf b;
        dcfg__buf_init(&b, e->a->al);
        dcfg__buf_printf(&b, "/bin/%.*s", (int)shell->len, shell->str);
        view_set(root, "shell", b.oom ? NULL : e_strn(e, b.p, b.len));
        e->oom |= b.oom;
        dcfg__buf_free(&b);
    } else if (view_is_null(shell)) {
        const char *sh = shell_for(orig, groups && groups->n ? groups->kids[0] : NULL);
        for (size_t i = 1; groups && i < groups->n && sh; i++)
            if (strcmp(sh, shell_for(orig, groups->kids[i])))
                sh = NULL; /* groups differ: no single value */
        if (sh)
            view_set(root, "shell", e_str(e, sh));
    }
    int docker = view_is_true(view_get(orig, "docker"));
    if (!groups && view_is_null(view_get(orig, "image")) && view_is_null(view_get(orig, "python")) && !docker)
        view_set(root, "image", e_str(e, view_is_true(view_get(orig, "nvcc")) ? DEVEL_IMAGE : BASE_IMAGE));
    /* docker-in-docker always runs privileged */
    if (docker && !any_group_has(groups, "privileged"))
        view_set(root, "privileged", e_bool(e, 1));
    for (size_t i = 0; groups && i < groups->n; i++) {
        dcfg__node *g = groups->kids[i];
        if (view_is_true(view_get(g, "docker")) && view_is_null(view_get(g, "privileged")) && !view_is_true(view_get(orig, "privileged")))
            view_set(g, "privileged", e_bool(e, 1));
    }
}

/* Resets every root field whose effective value its own parser does not take
 * back (e.g. a default probe for a model with a prefix that is no URL path). */
static void keep_parseable(ectx *e, dcfg__node *root, const dcfg__node *orig)
{
    dcfg__checker m = { .out = e->a };
    if (dcfg__checker_init(&m)) {
        dcfg__checker_free(&m);
        e->oom = 1;
        return;
    }
    const dcfg__schema *s = &dcfg__service_schema;
    for (size_t i = 0; i < root->n && !m.oom; i++) {
        const dcfg__node *k = DCFG__KEY(root, i);
        size_t fi = k->type == DCFG__STR ? dcfg__schema_index(s, k->str) : (size_t)-1;
        const dcfg__node *was = dcfg__map_get(orig, k->str);
        if (fi == (size_t)-1 || !was || dcfg__node_equal(DCFG__VAL(root, i), was))
            continue;
        /* the effective value, read as the field, must give itself */
        if (!dcfg__check_field(&m, &s->fields[fi], DCFG__VAL(root, i), DCFG__VAL(root, i)) && !m.oom)
            DCFG__VAL(root, i) = dcfg__node_copy(e->a, was);
    }
    e->oom |= m.oom;
    dcfg__checker_free(&m);
}

dcfg_status dcfg__view_effective(dcfg__arena *a, const dcfg__node *orig, dcfg__node **out)
{
    *out = NULL;
    if (!orig || orig->type != DCFG__MAP)
        return DCFG_EUSAGE;
    ectx e = { .a = a };
    dcfg__node *root = dcfg__node_copy(a, orig);
    if (!root)
        return DCFG_ENOMEM;
    dcfg__node *groups = view_get(root, "groups");
    if (groups && groups->type != DCFG__SEQ)
        groups = NULL;

    apply_simple(&e, root, root_defaults);
    effective_retry(&e, root);
    effective_probes(&e, root, groups);

    /* replicas: one when unset (with `scaling` but no range it stays unset: 1..1 plus scaling is invalid) */
    if (!groups && view_is_null(view_get(root, "replicas")) && view_is_null(view_get(root, "scaling"))) {
        static const char *const keys[] = { "min", "max" };
        dcfg__node *vals[] = { e_int(&e, 1), e_int(&e, 1) };
        view_set(root, "replicas", e_map(&e, 2, keys, vals));
    }
    effective_scaling(&e, view_get(root, "scaling"));

    /* spot policy: on-demand, at the level where it is not set */
    if (view_is_null(view_get(root, "spot_policy"))) {
        if (!any_group_has(groups, "spot_policy")) {
            view_set(root, "spot_policy", e_str(&e, "on-demand"));
        } else {
            for (size_t i = 0; i < groups->n; i++)
                if (view_is_null(view_get(groups->kids[i], "spot_policy")))
                    view_set(groups->kids[i], "spot_policy", e_str(&e, "on-demand"));
        }
    }

    effective_resources(&e, view_get(root, "resources"), view_get(orig, "image"), view_get(orig, "docker"));
    const dcfg__node *ogroups = view_get(orig, "groups");
    for (size_t i = 0; groups && i < groups->n; i++) {
        dcfg__node *g = groups->kids[i];
        const dcfg__node *og = ogroups && ogroups->type == DCFG__SEQ && i < ogroups->n ? ogroups->kids[i] : NULL;
        const dcfg__node *image = og && !view_is_null(view_get(og, "image")) ? view_get(og, "image") : view_get(orig, "image");
        const dcfg__node *docker = og && !view_is_null(view_get(og, "docker")) ? view_get(og, "docker") : view_get(orig, "docker");
        effective_resources(&e, view_get(g, "resources"), image, docker);
        effective_scaling(&e, view_get(g, "scaling"));
    }
    effective_container(&e, root, orig, groups);
    if (!e.oom)
        keep_parseable(&e, root, orig);
    if (e.oom || a->oom)
        return DCFG_ENOMEM;
    /* the dstack layout does not always read back (docker: "true" beside an
     * image becomes true): write such booleans as strings */
    dcfg__checker m = { .out = a };
    if (dcfg__checker_init(&m)) {
        dcfg__checker_free(&m);
        return DCFG_ENOMEM;
    }
    dcfg__node *want = dcfg__node_copy(a, root); /* the values the written form must give */
    if (!want)
        m.oom = 1;
    else
        dcfg__repair(&m, root, want); /* when it cannot, the effective view stays as computed */
    dcfg__checker_free(&m);
    if (m.oom || a->oom)
        return DCFG_ENOMEM;
    *out = root;
    return DCFG_OK;
}
