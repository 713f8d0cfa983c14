/* Diagnostics list: collected, sorted by position, formatted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/core.h"

struct dcfg_diag {
    dcfg_severity severity;
    dcfg_diag_code code;
    unsigned line, col, rel_line, rel_col;
    size_t seq; /* insertion order, keeps the sort stable */
    const dcfg_allocator *al; /* the list's, for dcfg_diag_format() */
    char *path;
    char *message;
};

struct dcfg_diags {
    dcfg_allocator al;
    dcfg__arena arena; /* paths and messages */
    char *source;
    dcfg_diag *items;
    size_t n, cap;
    int oom;
};

dcfg_diags *dcfg__diags_new(const dcfg_allocator *al, const char *source)
{
    if (!source)
        source = "<input>";
    size_t n = strlen(source);
    if (n > SIZE_MAX - sizeof(dcfg_diags) - 1)
        return NULL;
    /* the name in the same block: most parses report nothing, and then the
     * arena never allocates */
    dcfg_diags *d = dcfg__malloc(al, sizeof *d + n + 1);
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    d->al = *al;
    dcfg__arena_init_sized(&d->arena, &d->al, 1024);
    char *name = (char *)(d + 1);
    memcpy(name, source, n + 1);
    d->source = name;
    return d;
}

void dcfg_diags_free(dcfg_diags *d)
{
    if (!d)
        return;
    dcfg_allocator al = d->al;
    dcfg__free(&al, d->items);
    dcfg__arena_free(&d->arena);
    dcfg__free(&al, d);
}

void dcfg__diag_vadd(dcfg_diags *d, dcfg_severity sev, dcfg_diag_code code, const char *path,
                     unsigned line, unsigned col, unsigned rel_line, unsigned rel_col,
                     const char *fmt, va_list ap)
{
    if (!d || d->oom)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        dcfg_diag *p = dcfg__realloc(&d->al, d->items, cap * sizeof *p);
        if (!p) {
            d->oom = 1;
            return;
        }
        d->items = p;
        d->cap = cap;
    }
    dcfg__buf msg;
    dcfg__buf_init(&msg, &d->al);
    dcfg__buf_vprintf(&msg, fmt, ap);
    dcfg_diag *g = &d->items[d->n];
    memset(g, 0, sizeof *g);
    g->severity = sev;
    g->code = code;
    g->line = line;
    g->col = col;
    g->rel_line = rel_line;
    g->rel_col = rel_col;
    g->seq = d->n;
    g->al = &d->al;
    if (!path)
        path = "";
    g->path = dcfg__arena_strndup(&d->arena, path, strlen(path));
    g->message = msg.oom ? NULL : dcfg__arena_strndup(&d->arena, msg.p ? msg.p : "", msg.len);
    dcfg__buf_free(&msg);
    if (!g->path || !g->message) {
        d->oom = 1;
        return;
    }
    d->n++;
}

void dcfg__diag_add(dcfg_diags *d, dcfg_severity sev, dcfg_diag_code code, const char *path,
                    unsigned line, unsigned col, unsigned rel_line, unsigned rel_col,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dcfg__diag_vadd(d, sev, code, path, line, col, rel_line, rel_col, fmt, ap);
    va_end(ap);
}

int dcfg__diags_oom(const dcfg_diags *d) { return d->oom; }
void dcfg__diags_set_oom(dcfg_diags *d) { d->oom = 1; }

void dcfg__diags_clear(dcfg_diags *d) { d->n = 0; }

static int diag_cmp(const void *pa, const void *pb)
{
    const dcfg_diag *a = pa, *b = pb;
    /* unknown positions (0) sort after known ones */
    unsigned la = a->line ? a->line : ~0u, lb = b->line ? b->line : ~0u;
    if (la != lb)
        return la < lb ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void dcfg__diags_sort(dcfg_diags *d)
{
    if (d->n > 1)
        qsort(d->items, d->n, sizeof *d->items, diag_cmp);
}

size_t dcfg_diags_count(const dcfg_diags *d) { return d ? d->n : 0; }

size_t dcfg_diags_error_count(const dcfg_diags *d)
{
    size_t k = 0;
    for (size_t i = 0; d && i < d->n; i++)
        k += d->items[i].severity == DCFG_SEVERITY_ERROR;
    return k;
}

const dcfg_diag *dcfg_diags_at(const dcfg_diags *d, size_t i)
{
    return d && i < d->n ? &d->items[i] : NULL;
}

const char *dcfg_diags_source(const dcfg_diags *d) { return d ? d->source : "<input>"; }

dcfg_diag_code dcfg_diag_code_of(const dcfg_diag *g) { return g ? g->code : (dcfg_diag_code)0; }
dcfg_severity dcfg_diag_severity(const dcfg_diag *g) { return g ? g->severity : DCFG_SEVERITY_ERROR; }
const char *dcfg_diag_path(const dcfg_diag *g) { return g ? g->path : ""; }
unsigned dcfg_diag_line(const dcfg_diag *g) { return g ? g->line : 0; }
unsigned dcfg_diag_column(const dcfg_diag *g) { return g ? g->col : 0; }
unsigned dcfg_diag_related_line(const dcfg_diag *g) { return g ? g->rel_line : 0; }
unsigned dcfg_diag_related_column(const dcfg_diag *g) { return g ? g->rel_col : 0; }
const char *dcfg_diag_message(const dcfg_diag *g) { return g ? g->message : ""; }

static const char *const code_names[] = {
    [DCFG_DIAG_SYNTAX] = "syntax",
    [DCFG_DIAG_ENCODING] = "encoding",
    [DCFG_DIAG_LIMIT] = "limit",
    [DCFG_DIAG_NOT_SERVICE] = "not-a-service",
    [DCFG_DIAG_UNKNOWN_FIELD] = "unknown-field",
    [DCFG_DIAG_REQUIRED] = "required",
    [DCFG_DIAG_WRONG_TYPE] = "wrong-type",
    [DCFG_DIAG_INVALID_VALUE] = "invalid-value",
    [DCFG_DIAG_UNSUPPORTED_VALUE] = "unsupported-value",
    [DCFG_DIAG_CONFLICT] = "conflict",
    [DCFG_DIAG_DUPLICATE] = "duplicate",
    [DCFG_DIAG_DUPLICATE_KEY] = "duplicate-key",
};

const char *dcfg_diag_code_name(dcfg_diag_code code)
{
    if ((unsigned)code < sizeof code_names / sizeof *code_names && code_names[code])
        return code_names[code];
    return "unknown";
}

static const char *severity_name(dcfg_severity s)
{
    return s == DCFG_SEVERITY_WARNING ? "warning" : "error";
}

static void format_into(dcfg__buf *b, const dcfg_diag *g, const char *source)
{
    dcfg__buf_printf(b, "%s:%u:%u: %s: ", source, g->line, g->col, severity_name(g->severity));
    if (g->path[0])
        dcfg__buf_printf(b, "%s: ", g->path);
    dcfg__buf_printf(b, "%s [%s]", g->message, dcfg_diag_code_name(g->code));
}

dcfg_status dcfg_diag_format(char **out, const dcfg_diag *g, const char *source)
{
    if (!out || !g)
        return DCFG_EUSAGE;
    *out = NULL;
    dcfg__buf b;
    dcfg__buf_init(&b, g->al);
    format_into(&b, g, source ? source : "<input>");
    if (!b.oom)
        *out = dcfg__user_strndup(g->al, b.p, b.len);
    dcfg__buf_free(&b);
    return *out ? DCFG_OK : DCFG_ENOMEM;
}

static void json_string(dcfg__buf *b, const char *s)
{
    dcfg__json_string(b, s, strlen(s));
}

dcfg_status dcfg_diags_to_json(char **out, const dcfg_diags *d)
{
    if (!out || !d)
        return DCFG_EUSAGE;
    *out = NULL;
    dcfg__buf b;
    dcfg__buf_init(&b, &d->al);
    dcfg__buf_putc(&b, '[');
    for (size_t i = 0; i < d->n; i++) {
        const dcfg_diag *g = &d->items[i];
        dcfg__buf_puts(&b, i ? ",{\"source\":" : "{\"source\":");
        json_string(&b, d->source);
        dcfg__buf_printf(&b, ",\"line\":%u,\"column\":%u,\"severity\":\"%s\",\"code\":\"%s\",\"path\":",
                         g->line, g->col, severity_name(g->severity), dcfg_diag_code_name(g->code));
        json_string(&b, g->path);
        dcfg__buf_puts(&b, ",\"message\":");
        json_string(&b, g->message);
        dcfg__buf_putc(&b, '}');
    }
    dcfg__buf_putc(&b, ']');
    if (!b.oom)
        *out = dcfg__user_strndup(&d->al, b.p, b.len);
    dcfg__buf_free(&b);
    return *out ? DCFG_OK : DCFG_ENOMEM;
}
