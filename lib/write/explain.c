/* `explain PATH`: a field's type, forms, examples, defaults and rules, all
 * read from the field tables (like kubectl explain, offline). */
#include <stdio.h>
#include <string.h>
#include "write/write.h"

/* ---- finding a field by its user path ------------------------------------ */

/* Object schemas the kind's JSON Schema text refers to ('@name');
 * (size_t)-1 when out of memory. */
static size_t refs_of(const dcfg_allocator *al, const dcfg__field *f, const dcfg__schema **out, size_t cap)
{
    dcfg__buf b;
    dcfg__buf_init(&b, al);
    dcfg__kind_json(&b, f);
    size_t n = 0;
    for (const char *p = b.oom ? NULL : b.p; p && (p = strstr(p, "'@")) && n < cap; p++) {
        const char *end = strchr(p + 2, '\'');
        const dcfg__schema *s = end ? dcfg__object_schema_named(p + 2, (size_t)(end - p - 2)) : NULL;
        size_t j = 0;
        while (s && j < n && out[j] != s)
            j++;
        if (s && j == n)
            out[n++] = s;
    }
    int oom = b.oom;
    dcfg__buf_free(&b);
    return oom ? (size_t)-1 : n;
}

static const dcfg__field *find_key(const dcfg__schema *s, const char *key, size_t len)
{
    for (const dcfg__field *f = s->fields; f->key; f++)
        if ((strlen(f->key) == len && !memcmp(f->key, key, len)) ||
            (f->alias && strlen(f->alias) == len && !memcmp(f->alias, key, len)))
            return f;
    return NULL;
}

/* Segments are keys, each optionally followed by "[]" or "[N]". */
int dcfg__field_at(const dcfg_allocator *al, const char *path, const dcfg__field **fout, const dcfg__schema **owner)
{
    const dcfg__schema *cands[16] = { &dcfg__service_schema };
    size_t nc = 1;
    const dcfg__field *f = NULL;
    const char *p = path;
    while (*p) {
        size_t len = strcspn(p, ".[");
        if (!len)
            return -1;
        const dcfg__schema *in = NULL;
        f = NULL;
        for (size_t i = 0; i < nc && !f; i++)
            if ((f = find_key(cands[i], p, len)))
                in = cands[i];
        if (!f)
            return -1;
        *owner = in;
        p += len;
        while (*p == '[') {
            const char *close = strchr(p, ']');
            if (!close)
                return -1;
            p = close + 1;
        }
        if (*p == '.')
            p++;
        else if (*p)
            return -1;
        nc = refs_of(al, f, cands, 16);
        if (nc == (size_t)-1)
            return -2;
    }
    *fout = f;
    return f ? 0 : -1;
}

/* ---- effective defaults ---------------------------------------------------- */

/* Documents that reach the fields under a list or a nullable object; the
 * effective view of each is read at the field's path. */
static const struct sample { const char *prefix, *doc, *sets; } samples[] = {
    /* prefix: the container (with '.' or '['); doc: what the sample writes;
     * sets: the fields it writes itself, whose effective default it cannot show */
    { "scaling.", "replicas: 1..2\nscaling: {metric: rps, target: 10}\n", " scaling.metric scaling.target " },
    { "groups[", "groups: [{replicas: 1, commands: [serve]}]\n", " groups[].replicas groups[].commands " },
    { "replicas[", "replicas: [{replicas: 1, commands: [serve]}]\n", " replicas[].replicas replicas[].commands " },
    { "probes[", "probes: [{type: http, url: /health}]\n", " probes[].type probes[].url " },
    { "rate_limits[", "rate_limits: [{prefix: /, rps: 1}]\n", " rate_limits[].prefix rate_limits[].rps " },
    { "retry.", "retry: {duration: 1h}\n", " retry.duration " },
    { "resources.gpu.", "resources: {gpu: {name: [A100]}}\n", " resources.gpu.name " },
    { NULL, "", "" },
};

/* "probes[0].url" -> "probes[].url" */
static int same_field(const char *path, const char *pattern)
{
    while (*path && *pattern) {
        if (*path == '[' && *pattern == '[') {
            path = strchr(path, ']');
            if (!path)
                return 0;
            pattern++;
        }
        if (*path++ != *pattern++)
            return 0;
    }
    return !*path && !*pattern;
}

static const dcfg__node *map_get(const dcfg__node *m, const char *key, size_t len)
{
    for (size_t i = 0; m && m->type == DCFG__MAP && i < m->n; i++) {
        const dcfg__node *k = DCFG__KEY(m, i);
        if (k->len == len && !memcmp(k->str, key, len))
            return DCFG__VAL(m, i);
    }
    return NULL;
}

dcfg_status dcfg__effective_default(dcfg__arena *a, const char *path, const dcfg__node **out)
{
    *out = NULL;
    static const char base[] = "type: service\nport: 8000\ncommands: [serve]\n";
    const struct sample *s = samples;
    while (s->prefix && strncmp(path, s->prefix, strlen(s->prefix)))
        s++; /* first match: longer prefixes come first where they overlap */
    dcfg__buf doc;
    dcfg__buf_init(&doc, a->al);
    dcfg__buf_puts(&doc, base);
    dcfg__buf_puts(&doc, s->doc);
    if (s->prefix && !strcmp(s->prefix, "groups[")) {
        dcfg__buf_truncate(&doc, 0); /* groups exclude top-level commands */
        dcfg__buf_puts(&doc, "type: service\nport: 8000\n");
        dcfg__buf_puts(&doc, s->doc);
    } else if (s->prefix && !strcmp(s->prefix, "replicas[")) {
        dcfg__buf_truncate(&doc, 0);
        dcfg__buf_puts(&doc, "type: service\nport: 8000\n");
        dcfg__buf_puts(&doc, s->doc);
        path = path + strlen("replicas"); /* the legacy list is read as `groups` */
    }
    for (const char *w = s->sets; *w;) {
        w += strspn(w, " ");
        size_t n = strcspn(w, " ");
        char pat[64];
        if (n && n < sizeof pat) {
            memcpy(pat, w, n);
            pat[n] = '\0';
            if (same_field(path, pat)) {
                dcfg__buf_free(&doc);
                return DCFG_OK;
            }
        }
        w += n;
    }
    const dcfg__node *v = NULL;
    dcfg_diags *d = dcfg__diags_new(a->al, "");
    dcfg__node *in = NULL, *norm = NULL, *eff = NULL;
    dcfg__load ld = { .arena = a, .diags = d, .limits = { 4096, 8, 256, 4096 } };
    dcfg_status rc = !d || doc.oom ? DCFG_ENOMEM : dcfg__yaml_load(&in, doc.p, doc.len, &ld, 0);
    if (rc == DCFG_OK && dcfg__validate_tree(a, d, in, 0, &norm))
        rc = DCFG_EINVALID;
    if (rc == DCFG_OK)
        rc = dcfg__view_effective(a, norm, &eff);
    if (rc == DCFG_OK) {
        v = eff;
        if (s->prefix && !strcmp(s->prefix, "replicas["))
            v = map_get(v, "groups", 6);
        for (const char *p = path; v && *p;) {
            size_t len = strcspn(p, ".[");
            if (len)
                v = map_get(v, p, len);
            p += len;
            while (v && *p == '[') {
                v = v->type == DCFG__SEQ && v->n ? v->kids[0] : NULL;
                const char *close = strchr(p, ']');
                p = close ? close + 1 : p + strlen(p);
            }
            if (*p == '.')
                p++;
        }
        *out = v;
    }
    if (rc != DCFG_OK) /* the samples are valid (the unit tests explain every field): only memory fails */
        rc = DCFG_ENOMEM;
    dcfg_diags_free(d);
    dcfg__buf_free(&doc);
    return rc;
}

/* ---- the text --------------------------------------------------------------- */

/* Top-level items of the kind's `examples` list, one a line, as JSON (also YAML). */
static void put_examples(dcfg__buf *out, dcfg__arena *a, const dcfg__field *f, const char *key)
{
    dcfg__buf rel;
    dcfg__buf_init(&rel, a->al);
    dcfg__kind_json(&rel, f);
    const char *s = rel.oom ? NULL : rel.p;
    if (rel.oom)
        a->oom = 1; /* reported by dcfg__explain */
    /* the outermost 'examples': only depth 1 counts */
    int depth = 0;
    const char *list = NULL;
    for (size_t i = 0; s && s[i] && !list; i++) {
        if (s[i] == '\'') {
            if (depth == 1 && !strncmp(s + i, "'examples':[", 12))
                list = s + i + 12;
            const char *end = strchr(s + i + 1, '\'');
            i = end ? (size_t)(end - s) : strlen(s) - 1;
        } else if (s[i] == '{' || s[i] == '[') {
            depth++;
        } else if (s[i] == '}' || s[i] == ']') {
            depth--;
        }
    }
    if (list) {
        dcfg__buf_puts(out, "EXAMPLES:\n");
        depth = 0;
        const char *start = list;
        for (const char *p = list; *p; p++) {
            if (*p == '\'') {
                const char *end = strchr(p + 1, '\'');
                p = end ? end : p + strlen(p) - 1;
            } else if (*p == '{' || *p == '[') {
                depth++;
            } else if ((*p == '}' || *p == ']') && depth) {
                depth--;
            } else if ((*p == ',' && !depth) || *p == ']') { /* ']' here closes the list */
                dcfg__buf_printf(out, "  %s: ", key);
                for (const char *q = start; q < p; q++)
                    dcfg__buf_putc(out, *q == '\'' ? '"' : *q);
                dcfg__buf_putc(out, '\n');
                if (*p == ']')
                    break;
                start = p + 1;
            }
        }
    }
    dcfg__buf_free(&rel);
}

static void put_node_json(dcfg__buf *out, const dcfg__node *v)
{
    if (v)
        dcfg__emit_json(out, v, 0);
    else
        dcfg__buf_puts(out, "null");
}

/* The rules of the owner schema that name the field. */
static void put_rules(dcfg__buf *out, const dcfg__schema *owner, const dcfg__field *f)
{
    int any = 0;
    for (const dcfg__rule *r = owner->rules; r && r->check; r++) {
        if (!((r->a && !strcmp(r->a, f->key)) || (r->b && !strcmp(r->b, f->key))))
            continue;
        if (!any++)
            dcfg__buf_puts(out, "RULES:\n");
        if (r->message)
            dcfg__buf_printf(out, "  - %s [%s]\n", r->message, dcfg_diag_code_name(r->code));
        else
            dcfg__buf_printf(out, "  - checked together with `%s` [%s]\n",
                             !strcmp(r->a, f->key) ? (r->b ? r->b : r->a) : r->a, dcfg_diag_code_name(r->code));
    }
}

dcfg_status dcfg__explain(dcfg__buf *out, dcfg__arena *a, const char *path)
{
    const dcfg__field *f = NULL;
    const dcfg__schema *owner = NULL;
    int found = dcfg__field_at(a->al, path, &f, &owner);
    if (found == -2)
        return DCFG_ENOMEM;
    if (found) {
        dcfg__buf_printf(out, "%s: no such field; the top-level fields are:", path);
        for (const dcfg__field *g = dcfg__service_schema.fields; g->key; g++)
            dcfg__buf_printf(out, " %s", g->key);
        dcfg__buf_putc(out, '\n');
        return out->oom ? DCFG_ENOMEM : DCFG_EINVALID;
    }
    dcfg__buf_printf(out, "FIELD:    %s (in %s)\n", path, owner->name);
    dcfg__buf_printf(out, "TYPE:     %s\n", f->kind->name);
    if (f->alias)
        dcfg__buf_printf(out, "ALIAS:    %s (older spelling; ignored when %s is also written)\n", f->alias, f->key);
    dcfg__buf_printf(out, "\nDESCRIPTION:\n  %s\n\nFORMS:\n  ", f->doc ? f->doc : "");
    if (f->kind == &dcfg__k_enum || f->kind == &dcfg__k_literal) {
        const char *const *v = f->extra;
        for (size_t i = 0; v[i]; i++)
            dcfg__buf_printf(out, "%s\"%s\"", i ? ", " : "", v[i]);
    } else {
        dcfg__buf_puts(out, f->kind->forms);
    }
    dcfg__buf_puts(out, "\n");
    put_examples(out, a, f, f->key);
    dcfg__buf_puts(out, "\nDEFAULT:  ");
    if (f->flags & DCFG__F_REQUIRED)
        dcfg__buf_puts(out, "none, the field is required");
    else if (f->dflt)
        dcfg__buf_puts(out, f->dflt);
    else
        dcfg__buf_puts(out, "null");
    dcfg__buf_puts(out, "\nEFFECTIVE DEFAULT: ");
    const dcfg__node *eff = NULL;
    dcfg_status rc = f->flags & DCFG__F_REQUIRED ? DCFG_OK : dcfg__effective_default(a, path, &eff);
    if (rc != DCFG_OK)
        return rc;
    if (eff)
        put_node_json(out, eff);
    else
        dcfg__buf_puts(out, f->flags & DCFG__F_REQUIRED ? "none" : "the default (not resolved further)");
    dcfg__buf_printf(out, "\nNULL:     %s\n", f->flags & DCFG__F_NULLABLE ? "allowed" : "rejected");
    put_rules(out, owner, f);
    const dcfg__schema *subs[8];
    size_t ns = refs_of(a->al, f, subs, 8);
    if (ns == (size_t)-1)
        return DCFG_ENOMEM;
    for (size_t i = 0; i < ns; i++) {
        dcfg__buf_printf(out, "\nFIELDS (%s):\n", subs[i]->name);
        for (const dcfg__field *g = subs[i]->fields; g->key; g++)
            dcfg__buf_printf(out, "  %-22s %s%s\n", g->key, g->kind->name, g->flags & DCFG__F_REQUIRED ? " (required)" : "");
    }
    return out->oom || a->oom ? DCFG_ENOMEM : DCFG_OK;
}
