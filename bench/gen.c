/* Generated valid service configurations of a given size, one shape each:
 * a long list of one kind of item after a small fixed head, so that the
 * cost per byte at 1 KB and at 1 MB shows how the cost grows with the list. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

const char *const bench_shapes[] = {
    "commands", "env", "probes", "replicas", "volumes", "rate_limits", "mixed", NULL,
};

typedef struct gbuf {
    char *p;
    size_t len, cap;
} gbuf;

static void put(gbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(gbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap * 2 + (size_t)n + 64;
        b->p = realloc(b->p, b->cap);
        if (!b->p) {
            fprintf(stderr, "bench: out of memory\n");
            exit(2);
        }
    }
}

/* One item of a section; `i` numbers it so that names, paths and prefixes stay distinct. */
static void item(gbuf *b, const char *section, size_t i)
{
    if (!strcmp(section, "commands"))
        put(b, "  - python -m app.worker --shard %zu --log-level info --port 8000\n", i);
    else if (!strcmp(section, "env"))
        put(b, "  - VAR_%zu=value-%zu\n", i, i);
    else if (!strcmp(section, "probes"))
        put(b, "  - type: http\n    url: /health/%zu\n    interval: 15s\n    timeout: 5s\n    ready_after: 2\n", i);
    else if (!strcmp(section, "replicas"))
        put(b, "  - name: group-%zu\n    replicas: 1..2\n    scaling: {metric: rps, target: 5}\n"
               "    commands:\n      - python3 serve.py --group %zu\n", i, i);
    else if (!strcmp(section, "volumes"))
        put(b, "  - name: vol-%zu\n    path: /mnt/v%zu\n", i, i);
    else if (!strcmp(section, "files"))
        put(b, "  - ./src/part%zu:/app/part%zu\n", i, i);
    else if (!strcmp(section, "rate_limits"))
        put(b, "  - prefix: /v1/route%zu\n    rps: 2\n    burst: 10\n", i);
}

/* `volumes` fills both volumes and files (half each); `mixed` every section (top-level
 * commands are not allowed with replica groups, so its groups carry them). */
static const char *const mixed_sections[] = { "env", "probes", "replicas", "volumes", "files",
                                              "rate_limits" };

char *bench_generate(const char *shape, size_t target, size_t *len_out)
{
    gbuf b = { malloc(4096), 0, 4096 };
    if (!b.p)
        return NULL;
    put(&b, "type: service\nname: gen-%s\nimage: python:3.12\nport: 8000\n", shape);
    const char *const *secs = &shape;
    size_t nsec = 1;
    static const char *const vf[] = { "volumes", "files" };
    if (!strcmp(shape, "mixed")) {
        secs = mixed_sections;
        nsec = sizeof mixed_sections / sizeof *mixed_sections;
    } else if (!strcmp(shape, "volumes")) {
        secs = vf;
        nsec = 2;
    }
    /* item bytes per section: measured on a sample, so each section gets its share of target */
    size_t head = b.len;
    for (size_t s = 0; s < nsec; s++) {
        gbuf one = { malloc(256), 0, 256 };
        item(&one, secs[s], 0);
        size_t per = one.len ? one.len : 1;
        free(one.p);
        size_t share = target > head ? (target - head) / nsec : 0;
        size_t n = share / per;
        if (n == 0)
            n = 1;
        put(&b, "%s:\n", secs[s]);
        for (size_t i = 0; i < n; i++)
            item(&b, secs[s], i);
    }
    *len_out = b.len;
    return b.p;
}
