/* Measures how a hostile document is rejected: wall time, the library's own
 * peak allocation (through the allocator hook) and the diagnostic.
 *
 *   limits-probe 100mb | deep | deep-block | deep-json | laughs | string-laughs | input-only
 *
 * Run it under `/usr/bin/time -v` (maximum resident set size) or valgrind
 * --tool=massif (heap peak, libfyaml and jansson included); `input-only`
 * builds the same 100 MB input buffer and parses nothing, as the baseline.
 * docs/hardening.md has the figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dstackcfg/dstackcfg.h>

#include "../tests/counting_alloc.h"

/* a * na, mid, b * nb */
static char *repeat(const char *a, size_t na, const char *mid, const char *b, size_t nb, size_t *len)
{
    size_t la = strlen(a), lm = strlen(mid), lb = strlen(b);
    *len = la * na + lm + lb * nb;
    char *s = malloc(*len + 1);
    if (!s)
        return NULL;
    char *p = s;
    for (size_t i = 0; i < na; i++, p += la)
        memcpy(p, a, la);
    memcpy(p, mid, lm);
    p += lm;
    for (size_t i = 0; i < nb; i++, p += lb)
        memcpy(p, b, lb);
    *p = '\0';
    return s;
}

static char *hundred_mb(size_t *len)
{
    *len = (size_t)100 << 20;
    char *s = malloc(*len);
    if (!s)
        return NULL;
    static const char head[] = "type: service\nport: 80\nimage: nginx\ncommands:\n";
    static const char item[] = "  - echo 0123456789012345678901234567890123456789\n";
    memcpy(s, head, sizeof head - 1);
    for (size_t i = sizeof head - 1; i < *len; i += sizeof item - 1)
        memcpy(s + i, item, *len - i < sizeof item - 1 ? *len - i : sizeof item - 1);
    return s;
}

static char *laughs(size_t *len, int strings)
{
    size_t cap = 1 << 20;
    char *s = malloc(cap + (strings ? (size_t)1 << 20 : 0));
    if (!s)
        return NULL;
    size_t n = 0;
    if (strings) {
        n += (size_t)sprintf(s + n, "type: service\nport: 80\nimage: &s \"");
        memset(s + n, 'A', 900 * 1024);
        n += 900 * 1024;
        n += (size_t)sprintf(s + n, "\"\ncommands: [*s");
        for (int i = 1; i < 2000; i++)
            n += (size_t)sprintf(s + n, ", *s");
        n += (size_t)sprintf(s + n, "]\n");
    } else {
        n += (size_t)sprintf(s + n, "type: service\nport: 80\nimage: nginx\n"
                                    "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            n += (size_t)sprintf(s + n, "a%d: &a%d [", i, i);
            for (int k = 0; k < 9; k++)
                n += (size_t)sprintf(s + n, "%s*a%d", k ? ", " : "", i - 1);
            n += (size_t)sprintf(s + n, "]\n");
        }
        n += (size_t)sprintf(s + n, "commands: *a9\n");
    }
    *len = n;
    return s;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    size_t len = 0;
    char *doc = NULL;
    dcfg_format fmt = DCFG_FORMAT_AUTO;
    if (!strcmp(what, "100mb") || !strcmp(what, "input-only"))
        doc = hundred_mb(&len);
    else if (!strcmp(what, "deep"))
        doc = repeat("[", 1000000, "", "]", 1000000, &len);
    else if (!strcmp(what, "deep-block"))
        doc = repeat("- ", 1000000, "x\n", "", 0, &len);
    else if (!strcmp(what, "deep-json")) {
        doc = repeat("{\"a\":", 1000000, "1", "}", 1000000, &len);
        fmt = DCFG_FORMAT_JSON;
    } else if (!strcmp(what, "laughs"))
        doc = laughs(&len, 0);
    else if (!strcmp(what, "string-laughs"))
        doc = laughs(&len, 1);
    else {
        fprintf(stderr, "usage: limits-probe 100mb|deep|deep-block|deep-json|laughs|string-laughs|input-only\n");
        return 2;
    }
    if (!doc) {
        fprintf(stderr, "limits-probe: out of memory\n");
        return 2;
    }
    if (!strcmp(what, "input-only")) {
        printf("input-only: %zu bytes\n", len);
        free(doc);
        return 0;
    }
    ca_counter c = { 0 };
    dcfg_allocator al = ca_allocator(&c);
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.allocator = &al;
    o.format = fmt;
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    dcfg_status st = dcfg_config_parse(&cfg, &d, doc, len, &o);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    char *line = NULL;
    if (dcfg_diags_count(d))
        dcfg_diag_format(&line, dcfg_diags_at(d, 0), what);
    printf("%s: %zu bytes in, %s in %.4f s; library peak %zu bytes in %zu allocations\n  %s\n", what, len,
           dcfg_status_string(st), secs, c.peak, c.calls, line ? line : "(no diagnostic)");
    dcfg_free(line);
    dcfg_config_free(cfg);
    dcfg_diags_free(d);
    free(doc);
    return st == DCFG_ELIMIT ? 0 : 1;
}
