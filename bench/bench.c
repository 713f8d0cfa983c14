/* dstackcfg benchmark: the library's operations against libfyaml and jansson
 * on the same documents, in the same run.
 *
 *   bench [--rounds N] [--corpus DIR]... [--no-default-corpus] [--no-threads]
 *   bench --scale [--sizes 1k,10k,100k,1m] [--shapes LIST] [--ops LIST]
 *   bench --python PY [...]   also dstack's own Python path against the Python
 *                             binding (bindings/python/bench.py run by PY, a
 *                             Python with dstack: build/conformance-venv/bin/python)
 *   bench --callgrind [...]   under valgrind --tool=callgrind (bench/callgrind.sh):
 *                             each operation once over every document, its
 *                             instructions dumped under its own label
 *
 * Times are medians over rounds; one round runs one operation once on every
 * document. It is a measurement: it exits 0 whatever the figures (1 when a
 * document or an operation fails, 2 on usage errors). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"
#include "counting_alloc.h"

#if defined(__has_include)
#  if __has_include(<valgrind/callgrind.h>)
#    include <valgrind/callgrind.h>
#    define HAVE_CALLGRIND 1
#  endif
#endif
#ifndef HAVE_CALLGRIND
#  define CALLGRIND_ZERO_STATS
#  define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#  define RUNNING_ON_VALGRIND 0
#endif

#ifndef BENCH_SOURCE_ROOT
#  define BENCH_SOURCE_ROOT "."
#endif

typedef struct docset {
    bench_doc *d;
    size_t n, cap;
    size_t bytes;
} docset;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : 0;
}

static int add_doc(docset *s, const char *name, char *text, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->d = realloc(s->d, s->cap * sizeof *s->d);
        if (!s->d)
            exit(2);
    }
    bench_doc *d = &s->d[s->n];
    memset(d, 0, sizeof *d);
    d->name = strdup(name);
    d->yaml = text;
    d->yaml_len = len;
    if (bench_prepare(d, NULL)) {
        if (getenv("BENCH_DEBUG")) /* corpus documents of other types (task, fleet, ...) */
            fprintf(stderr, "bench: %s: not a valid service configuration, left out\n", name);
        bench_release(d);
        return -1;
    }
    s->n++;
    s->bytes += len;
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    size_t got;
    while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            p = realloc(p, cap *= 2);
    }
    fclose(f);
    *len = n;
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yml / *.yaml of a folder, in name order; the number that were valid. */
static size_t add_dir(docset *s, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t l = strlen(e->d_name);
        if ((l > 4 && !strcmp(e->d_name + l - 4, ".yml")) || (l > 5 && !strcmp(e->d_name + l - 5, ".yaml"))) {
            names = realloc(names, (n + 1) * sizeof *names);
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(dp);
    qsort(names, n, sizeof *names, cmp_str);
    size_t ok = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len;
        char *text = read_file(path, &len);
        if (text && !add_doc(s, path, text, len))
            ok++;
        free(names[i]);
    }
    free(names);
    return ok;
}

static size_t parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (*end == 'k' || *end == 'K')
        v *= 1000;
    else if (*end == 'm' || *end == 'M')
        v *= 1000000;
    return (size_t)v;
}

static int in_list(const char *list, const char *name)
{
    if (!list)
        return 1;
    size_t l = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n == l && !strncmp(p, name, l))
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

/* One pass of an operation over every document; 0 or the number that failed. */
static size_t pass(const bench_op *op, bench_doc *d, size_t n, const dcfg_allocator *al)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += op->run(&d[i], al) != 0;
    return failed;
}

static void cleanup(bench_doc *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dcfg_config_free(d[i].tmp);
        d[i].tmp = NULL;
    }
}

/* Runs ops[k] and leaves nothing behind, except for a load followed by `free`. */
static size_t pass_and_tidy(size_t k, bench_doc *d, size_t n, const dcfg_allocator *al)
{
    size_t failed = pass(&bench_ops[k], d, n, al);
    if (!(k + 1 < bench_nops && !strcmp(bench_ops[k + 1].name, "free")))
        cleanup(d, n);
    return failed;
}

/* ---- the corpus table ------------------------------------------------------------- */

static ca_counter jcount;
static void *j_malloc(size_t n)
{
    return ca_malloc(n, &jcount);
}
static void j_free(void *p)
{
    ca_free(p, &jcount);
}

static int run_table(docset *s, int rounds, const char *ops)
{
    size_t nops = bench_nops, n = s->n;
    double *samples = calloc(nops * (size_t)rounds, sizeof *samples);
    double med[32] = { 0 };
    int bad = 0;
    for (size_t k = 0; k < nops; k++) /* warm-up */
        if (in_list(ops, bench_ops[k].name) && pass_and_tidy(k, s->d, n, NULL)) {
            fprintf(stderr, "bench: %s failed on some documents\n", bench_ops[k].name);
            bad = 1;
        }
    for (int r = 0; r < rounds; r++)
        for (size_t k = 0; k < nops; k++) {
            if (!in_list(ops, bench_ops[k].name))
                continue;
            double t0 = now();
            pass(&bench_ops[k], s->d, n, NULL);
            double t1 = now();
            if (!(k + 1 < nops && !strcmp(bench_ops[k + 1].name, "free")))
                cleanup(s->d, n);
            samples[k * (size_t)rounds + (size_t)r] = (t1 - t0) / (double)n;
        }
    for (size_t k = 0; k < nops; k++)
        med[k] = median(&samples[k * (size_t)rounds], (size_t)rounds);

    /* heap: the library's allocations through the allocator hook, jansson's through its own */
    double peak_sum[32] = { 0 }, alloc_sum[32] = { 0 };
    size_t peak_max[32] = { 0 };
    ca_counter c;
    dcfg_allocator al = ca_allocator(&c);
    json_set_alloc_funcs(j_malloc, j_free);
    for (size_t i = 0; i < n; i++) {
        bench_doc *d = &s->d[i];
        dcfg_config *saved = d->cfg;
        memset(&c, 0, sizeof c);
        for (size_t k = 0; k < nops; k++) {
            const bench_op *op = &bench_ops[k];
            ca_counter *cc = op->library ? &c : !strncmp(op->name, "json_", 5) ? &jcount : NULL;
            if (!cc || !in_list(ops, op->name))
                continue;
            cc->peak = cc->bytes;
            size_t base = cc->bytes, calls = cc->calls;
            op->run(d, &al);
            peak_sum[k] += (double)(cc->peak - base);
            if (cc->peak - base > peak_max[k])
                peak_max[k] = cc->peak - base;
            alloc_sum[k] += (double)(cc->calls - calls);
            if (!strcmp(op->name, "json_load")) /* the emits run on this config, made with the counter */
                d->cfg = d->tmp, d->tmp = NULL;
        }
        if (d->cfg != saved) {
            dcfg_config_free(d->cfg);
            d->cfg = saved;
        }
        dcfg_config_free(d->tmp);
        d->tmp = NULL;
        if (c.live)
            fprintf(stderr, "bench: %s: %zu blocks not freed\n", d->name, c.live), bad = 1;
    }
    json_set_alloc_funcs(malloc, free);

    size_t jbytes = 0;
    for (size_t i = 0; i < n; i++)
        jbytes += s->d[i].json_len;
    printf("%zu documents, %zu bytes of YAML (mean %.0f), %zu of dstack-view JSON (mean %.0f); median of %d rounds\n\n",
           n, s->bytes, (double)s->bytes / (double)n, jbytes, (double)jbytes / (double)n, rounds);
    printf("%-11s %12s %10s %8s %12s %12s %10s  %s\n", "operation", "us/doc", "floor", "ratio", "peak mean B",
           "peak max B", "allocs/doc", "what");
    for (size_t k = 0; k < nops; k++) {
        const bench_op *op = &bench_ops[k];
        if (!in_list(ops, op->name))
            continue;
        const bench_op *fl = op->floor ? bench_op_find(op->floor) : NULL;
        size_t fk = fl ? (size_t)(fl - bench_ops) : 0;
        char ratio[32] = "", peak[32] = "n/a", pmax[32] = "n/a", allocs[32] = "n/a";
        if (fl && med[fk] > 0)
            snprintf(ratio, sizeof ratio, "%.2f", med[k] / med[fk]);
        if (op->library || !strncmp(op->name, "json_", 5)) {
            snprintf(peak, sizeof peak, "%.0f", peak_sum[k] / (double)n);
            snprintf(pmax, sizeof pmax, "%zu", peak_max[k]);
            snprintf(allocs, sizeof allocs, "%.1f", alloc_sum[k] / (double)n);
        }
        printf("%-11s %12.2f %10s %8s %12s %12s %10s  %s\n", op->name, med[k] * 1e6, fl ? fl->name : "", ratio, peak,
               pmax, allocs, op->what);
    }
    free(samples);
    return bad;
}

/* ---- threads ---------------------------------------------------------------------- */

typedef struct worker {
    docset *s;
    bench_doc *own;
    int passes;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    const bench_op *load = bench_op_find("yaml_load"), *fr = bench_op_find("free");
    for (int p = 0; p < w->passes; p++) {
        pass(load, w->own, w->s->n, NULL);
        pass(fr, w->own, w->s->n, NULL);
    }
    return NULL;
}

/* Wall time of `nt` threads each loading and freeing every document `passes` times. */
static double threads_time(docset *s, int nt, int passes)
{
    pthread_t th[2];
    worker w[2];
    for (int t = 0; t < nt; t++) {
        w[t].s = s;
        w[t].passes = passes;
        w[t].own = malloc(s->n * sizeof *w[t].own);
        memcpy(w[t].own, s->d, s->n * sizeof *s->d);
        for (size_t i = 0; i < s->n; i++)
            w[t].own[i].tmp = NULL;
    }
    double t0 = now();
    for (int t = 0; t < nt; t++)
        pthread_create(&th[t], NULL, work, &w[t]);
    for (int t = 0; t < nt; t++)
        pthread_join(th[t], NULL);
    double t1 = now();
    for (int t = 0; t < nt; t++)
        free(w[t].own);
    return t1 - t0;
}

static void run_threads(docset *s, int rounds)
{
    int passes = rounds < 3 ? 1 : 5;
    double one[5], two[5];
    int reps = rounds < 3 ? 1 : 5;
    for (int r = 0; r < reps; r++) {
        one[r] = threads_time(s, 1, passes);
        two[r] = threads_time(s, 2, passes);
    }
    double t1 = median(one, (size_t)reps), t2 = median(two, (size_t)reps);
    double docs = (double)s->n * passes;
    printf("\nthreads (yaml_load + free of every document, %d passes per thread, median of %d):\n", passes, reps);
    printf("  1 thread : %10.0f docs/s\n  2 threads: %10.0f docs/s   2-thread/1-thread throughput %.2f\n", docs / t1,
           2 * docs / t2, 2 * t1 / t2);
}

/* ---- callgrind: every operation once, its own dump -------------------------------- */

static int run_callgrind(docset *s, const char *ops, const char *tag)
{
    int bad = 0;
    for (size_t k = 0; k < bench_nops; k++) {
        if (!in_list(ops, bench_ops[k].name))
            continue;
        char label[256];
        snprintf(label, sizeof label, "op=%s set=%s docs=%zu bytes=%zu", bench_ops[k].name, tag, s->n, s->bytes);
        CALLGRIND_ZERO_STATS;
        size_t failed = pass(&bench_ops[k], s->d, s->n, NULL);
        CALLGRIND_DUMP_STATS_AT(label);
        if (!(k + 1 < bench_nops && !strcmp(bench_ops[k + 1].name, "free")))
            cleanup(s->d, s->n);
        bad |= failed != 0;
        if (!RUNNING_ON_VALGRIND)
            printf("%s\n", label);
    }
    return bad;
}

/* ---- scaling ---------------------------------------------------------------------- */

static const char *const default_sizes = "1k,10k,100k,1m";

static int run_scale(const char *sizes, const char *shapes, const char *ops, int cg, int rounds)
{
    int bad = 0;
    if (!cg) {
        printf("ns per input byte (median of up to %d runs), by shape and size\n", rounds);
        printf("%-12s %8s %9s", "shape", "size", "bytes");
        for (size_t k = 0; k < bench_nops; k++)
            if (in_list(ops, bench_ops[k].name))
                printf(" %10s", bench_ops[k].name);
        printf("\n");
    }
    for (size_t sh = 0; bench_shapes[sh]; sh++) {
        if (!in_list(shapes, bench_shapes[sh]))
            continue;
        for (const char *p = sizes; p && *p;) {
            size_t target = parse_size(p);
            const char *comma = strchr(p, ',');
            char size_name[16];
            snprintf(size_name, sizeof size_name, "%.*s", (int)(comma ? (size_t)(comma - p) : strlen(p)), p);
            p = comma ? comma + 1 : NULL;
            docset one = { 0 };
            size_t len;
            char *text = bench_generate(bench_shapes[sh], target, &len);
            char name[64];
            snprintf(name, sizeof name, "%s-%s", bench_shapes[sh], size_name);
            if (add_doc(&one, name, text, len)) {
                bad = 1;
                continue;
            }
            if (cg) {
                bad |= run_callgrind(&one, ops, name);
            } else {
                printf("%-12s %8s %9zu", bench_shapes[sh], size_name, len);
                for (size_t k = 0; k < bench_nops; k++) {
                    if (!in_list(ops, bench_ops[k].name))
                        continue;
                    double t[64];
                    int runs = 0;
                    double spent = 0;
                    while (runs < rounds && runs < 64 && (runs < 1 || spent < 0.5)) {
                        double t0 = now();
                        pass(&bench_ops[k], one.d, 1, NULL);
                        t[runs] = now() - t0;
                        spent += t[runs++];
                        if (!(k + 1 < bench_nops && !strcmp(bench_ops[k + 1].name, "free")))
                            cleanup(one.d, 1);
                    }
                    printf(" %10.1f", median(t, (size_t)runs) * 1e9 / (double)len);
                }
                printf("\n");
                fflush(stdout);
            }
            bench_release(&one.d[0]);
            free(one.d);
        }
    }
    return bad;
}

/* dstack's parse_apply_configuration(yaml.safe_load(text)) against the binding, same corpus */
static int run_python(const char *python, int rounds)
{
#ifdef BENCH_LIBRARY
    setenv("DSTACKCFG_LIBRARY", BENCH_LIBRARY, 0);
#endif
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' '%s/bindings/python/bench.py' --rounds %d", python, BENCH_SOURCE_ROOT,
             rounds < 5 ? rounds : 5);
    printf("\nPython: %s\n", cmd);
    fflush(stdout);
    int rc = system(cmd);
    if (rc != 0)
        fprintf(stderr, "bench: the Python comparison failed (%d)\n", rc);
    return rc != 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench [--rounds N] [--corpus DIR]... [--no-default-corpus] [--no-threads] [--ops LIST]\n"
                    "             [--python PY]\n"
                    "       bench --scale [--sizes 1k,10k,100k,1m] [--shapes LIST] [--ops LIST] [--rounds N]\n"
                    "       bench --callgrind [--scale ...]    (under valgrind --tool=callgrind; bench/callgrind.sh)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int rounds = 31, threads = 1, scale = 0, cg = 0, defaults = 1;
    const char *sizes = default_sizes, *shapes = NULL, *ops = NULL, *python = NULL;
    const char *dirs[16];
    size_t ndirs = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--rounds") && v)
            rounds = atoi(v), i++;
        else if (!strcmp(a, "--corpus") && v && ndirs < 16)
            dirs[ndirs++] = v, i++;
        else if (!strcmp(a, "--no-default-corpus"))
            defaults = 0;
        else if (!strcmp(a, "--no-threads"))
            threads = 0;
        else if (!strcmp(a, "--scale"))
            scale = 1;
        else if (!strcmp(a, "--callgrind"))
            cg = 1;
        else if (!strcmp(a, "--sizes") && v)
            sizes = v, i++;
        else if (!strcmp(a, "--shapes") && v)
            shapes = v, i++;
        else if (!strcmp(a, "--ops") && v)
            ops = v, i++;
        else if (!strcmp(a, "--python") && v)
            python = v, i++;
        else
            usage();
    }
    if (rounds < 1)
        rounds = 1;
    if (scale)
        return run_scale(sizes, shapes, ops, cg, rounds);

    docset s = { 0 };
    size_t ncorpus = 0, nex = 0, ngen = 0;
    if (defaults) {
        ncorpus = add_dir(&s, BENCH_SOURCE_ROOT "/../shared/corpus/dstack-docs");
        nex = add_dir(&s, BENCH_SOURCE_ROOT "/examples");
        for (size_t sh = 0; bench_shapes[sh]; sh++) {
            size_t len;
            char name[64];
            snprintf(name, sizeof name, "generated/%s-1k", bench_shapes[sh]);
            char *text = bench_generate(bench_shapes[sh], 1000, &len);
            ngen += !add_doc(&s, name, text, len);
        }
    }
    for (size_t i = 0; i < ndirs; i++)
        ncorpus += add_dir(&s, dirs[i]);
    if (!s.n) {
        fprintf(stderr, "bench: no documents\n");
        return 1;
    }
    int bad;
    if (cg) {
        bad = run_callgrind(&s, ops, "corpus");
    } else {
        printf("documents: %zu corpus, %zu examples, %zu generated (1 KB of each shape)\n", ncorpus, nex, ngen);
        bad = run_table(&s, rounds, ops);
        if (threads)
            run_threads(&s, rounds);
        if (python)
            bad |= run_python(python, rounds);
    }
    for (size_t i = 0; i < s.n; i++)
        bench_release(&s.d[i]);
    free(s.d);
    return bad;
}
