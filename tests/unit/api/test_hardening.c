/* Hardening: limits and hostile input, the allocation-failure sweep, threads.
 *
 * The sweep runs a full parse + validate + emit of a large configuration
 * through a counting allocator (the parse options' hook), then fails the 1st,
 * 2nd, ... Nth allocation in turn: every run must end in DCFG_ENOMEM, give
 * back every block and not crash. jansson allocates with plain malloc (the
 * library leaves jansson's process-wide hooks alone); a second sweep installs
 * failing jansson hooks from here, the host application's side.
 *
 * Built twice: tests/unit-tests uses the library as shipped; fuzz/ also builds
 * it with DCFG_ARENA_EXACT (one arena chunk per call), where the same sweep
 * reaches every arena call site, and sweeps every input of DCFG_SWEEP_DIRS. */
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <jansson.h>
#include "suites.h"
#include "config_impl.h"

/* ---- counting, failing allocator ---------------------------------------- */

#include "counting_alloc.h"
typedef ca_counter counter;
#define counting ca_allocator

/* ---- inputs --------------------------------------------------------------- */

/* A large configuration that validates: most root fields, env and commands
 * in bulk, resources, profile fields, probes, rate limits, volumes, an alias. */
static char *big_config(size_t *len)
{
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    dcfg__buf_puts(&b,
                   "# A large service configuration for the allocation-failure sweep.\n"
                   "type: service\n"
                   "name: sweep-service\n"
                   "image: ghcr.io/huggingface/text-generation-inference:latest\n"
                   "user: \"1000:1000\"\n"
                   "privileged: false\n"
                   "entrypoint: /bin/bash -lc\n"
                   "working_dir: /workflow\n"
                   "home_dir: /root\n"
                   "registry_auth:\n"
                   "  username: ${{ secrets.REGISTRY_USER }}\n"
                   "  password: ${{ secrets.REGISTRY_TOKEN }}\n"
                   "nvcc: true\n"
                   "single_branch: false\n"
                   "shell: bash\n"
                   "port: \"8080:8000\"\n"
                   "gateway: my-project/gw\n"
                   "https: auto\n"
                   "auth: yes\n"
                   "strip_prefix: false\n"
                   "model:\n"
                   "  format: tgi\n"
                   "  name: mistralai/Mistral-7B-Instruct-v0.3\n"
                   "  chat_template: \"{% for message in messages %}{{ message['content'] }}\\n{% endfor %}\"\n"
                   "  eos_token: \"</s>\"\n"
                   "priority: 50\n"
                   "env:\n");
    for (int i = 0; i < 40; i++)
        dcfg__buf_printf(&b, "  VAR_%d: \"value-%d-%.*s\"\n", i, i, i % 7 * 5,
                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    dcfg__buf_puts(&b, "  ANCHORED: &anch anchored-value\n  AGAIN: *anch\n"
                       "setup:\n  - apt-get update\n  - pip install -r requirements.txt\n"
                       "commands:\n");
    for (int i = 0; i < 40; i++)
        dcfg__buf_printf(&b, "  - echo \"step %d\" && ./run-%d.sh --flag=%d ${{ run.args }}\n", i, i, i);
    dcfg__buf_puts(&b,
                   "resources:\n"
                   "  cpu: x86:8..16\n"
                   "  memory: 32GB..64GB\n"
                   "  shm_size: 16GB\n"
                   "  gpu: nvidia:A100,H100:80GB:2..8\n"
                   "  disk: 500GB..\n"
                   "backends: [aws, gcp, azure]\n"
                   "regions: [us-east-1, us-west-2, eu-west-1]\n"
                   "instance_types: [p4d.24xlarge, p5.48xlarge]\n"
                   "spot_policy: auto\n"
                   "retry:\n"
                   "  on_events: [no-capacity, interruption, error]\n"
                   "  duration: 2h\n"
                   "max_duration: 1d\n"
                   "stop_duration: off\n"
                   "max_price: 12.5\n"
                   "creation_policy: reuse-or-create\n"
                   "idle_duration: 1h\n"
                   "utilization_policy:\n"
                   "  min_gpu_utilization: 10\n"
                   "  time_window: 30m\n"
                   "tags:\n"
                   "  team: ml\n"
                   "  cost-center: \"1234\"\n"
                   "replicas: 1..4\n"
                   "scaling:\n"
                   "  metric: rps\n"
                   "  target: 10\n"
                   "probes:\n"
                   "  - type: http\n"
                   "    url: /health?full=1\n"
                   "    method: post\n"
                   "    headers:\n"
                   "      - name: Authorization\n"
                   "        value: Bearer token\n"
                   "    body: '{\"ping\": true}'\n"
                   "    timeout: 1m\n"
                   "    interval: 30s\n"
                   "    ready_after: 3\n"
                   "rate_limits:\n"
                   "  - prefix: /api/\n"
                   "    key:\n"
                   "      type: header\n"
                   "      header: X-API-Key\n"
                   "    rps: 0.5\n"
                   "    burst: 20\n"
                   "volumes:\n"
                   "  - name: my-volume\n"
                   "    path: /data\n"
                   "  - instance_path: /mnt/cache\n"
                   "    path: /cache\n"
                   "    optional: true\n");
    ck_assert(!b.oom);
    *len = b.len;
    return dcfg__buf_take(&b);
}

/* Several schema errors, an unknown key with a hint and a duplicate-key warning. */
static const char invalid_yaml[] =
    "type: service\n"
    "port: 70000\n"
    "name: x\n"
    "name: Bad_Name\n"
    "image: nginx\n"
    "python: \"3.12\"\n"
    "comands: [a]\n"
    "env:\n  - 1BAD=x\n  - A=1\n  - A=2\n"
    "resources:\n  gpu: 2..1\n  memory: lots\n"
    "replicas: 1..3\n"
    "priority: 101\n";

static const char invalid_json[] =
    "{\"type\": \"service\", \"port\": 70000, \"image\": \"nginx\", \"python\": \"3.12\",\n"
    " \"comands\": [\"a\"], \"env\": [\"1BAD=x\", \"A=1\", \"A=2\"], \"priority\": 101}\n";

/* ---- one full run ------------------------------------------------------- */

typedef struct run_result {
    dcfg_status parse;  /* what dcfg_config_parse returned */
    int nomem;          /* some step returned DCFG_ENOMEM */
    int other;          /* some later step returned something unexpected */
    size_t diags;
} run_result;

static const struct {
    dcfg_view view;
    dcfg_format format;
    unsigned flags;
} emits[] = {
    { DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0 },    { DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, DCFG_EMIT_PRETTY },
    { DCFG_VIEW_DSTACK, DCFG_FORMAT_YAML, 0 },    { DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_JSON, 0 },
    { DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_YAML, 0 }, { DCFG_VIEW_MINIMAL, DCFG_FORMAT_JSON, 0 },
    { DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML, 0 },
};

/* DCFG_SWEEP_VIEWS=dstack: the dstack view's JSON only. The one-chunk-per-allocation
 * build sets it: its point counts grow with the square of the work, and the views
 * have their own sweep (test_serialize.c). */
static size_t emit_count(void)
{
    const char *v = getenv("DCFG_SWEEP_VIEWS");
    return v && !strcmp(v, "dstack") ? 2 : sizeof emits / sizeof *emits;
}

/* Parse, emit every view and format, read accessors, format every diagnostic. */
static run_result full_run(const char *src, size_t len, dcfg_format fmt, const dcfg_allocator *al)
{
    run_result r = { DCFG_OK, 0, 0, 0 };
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.allocator = al;
    o.format = fmt;
    o.source_name = "sweep.dstack.yml";
    dcfg_config *cfg = (dcfg_config *)&r;
    dcfg_diags *d = NULL;
    r.parse = dcfg_config_parse(&cfg, &d, src, len, &o);
    if (r.parse != DCFG_OK && cfg)
        r.other = 1;
    if (r.parse == DCFG_ENOMEM)
        r.nomem = 1;
    if (cfg) {
        for (size_t i = 0, n_emits = emit_count(); i < n_emits; i++) {
            char *out = (char *)&r;
            size_t n = 1;
            dcfg_status st = dcfg_config_emit(&out, &n, cfg, emits[i].view, emits[i].format, emits[i].flags);
            if (st == DCFG_ENOMEM && !out && !n)
                r.nomem = 1;
            else if (st != DCFG_OK || !out || n != strlen(out))
                r.other = 1;
            dcfg_free(out);
        }
        (void)dcfg_config_port(cfg);
        (void)dcfg_config_get(cfg, "resources.gpu.count.min");
        for (size_t i = 0; i < dcfg_config_env_count(cfg); i++)
            (void)dcfg_config_env_value(cfg, i);
    }
    if (d) {
        r.diags = dcfg_diags_count(d);
        char *json = NULL;
        dcfg_status st = dcfg_diags_to_json(&json, d);
        if (st == DCFG_ENOMEM)
            r.nomem = 1;
        else if (st != DCFG_OK)
            r.other = 1;
        dcfg_free(json);
        for (size_t i = 0; i < dcfg_diags_count(d); i++) {
            char *line = NULL;
            st = dcfg_diag_format(&line, dcfg_diags_at(d, i), dcfg_diags_source(d));
            if (st == DCFG_ENOMEM)
                r.nomem = 1;
            else if (st != DCFG_OK)
                r.other = 1;
            dcfg_free(line);
        }
    }
    dcfg_config_free(cfg);
    dcfg_diags_free(d);
    return r;
}

static void print_diags_of(const char *src, size_t len, dcfg_format fmt)
{
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.format = fmt;
    dcfg_config_parse(&cfg, &d, src, len, &o);
    for (size_t i = 0; i < dcfg_diags_count(d); i++) {
        char *line = NULL;
        dcfg_diag_format(&line, dcfg_diags_at(d, i), "sweep");
        fprintf(stderr, "  %s\n", line ? line : "?");
        dcfg_free(line);
    }
    dcfg_config_free(cfg);
    dcfg_diags_free(d);
}

/* The sweep proper. Returns the number of allocation points (N). */
static size_t sweep(const char *what, const char *src, size_t len, dcfg_format fmt, dcfg_status want)
{
    counter c0 = { 0 };
    dcfg_allocator al = counting(&c0);
    run_result r = full_run(src, len, fmt, &al);
    if (r.parse != want)
        print_diags_of(src, len, fmt);
    ck_assert_msg(r.parse == want, "%s: parse gave %s, want %s", what, dcfg_status_string(r.parse),
                  dcfg_status_string(want));
    ck_assert_msg(!r.nomem && !r.other, "%s: clean run failed", what);
    ck_assert_msg(c0.live == 0, "%s: %zu blocks leaked", what, c0.live);
    size_t n = c0.calls;
    ck_assert_uint_gt(n, 0);

    for (int rest = 0; rest < 2; rest++) {
        for (size_t i = 1; i <= n; i++) {
            counter c = { 0 };
            c.fail_at = i;
            c.fail_rest = rest;
            al = counting(&c);
            r = full_run(src, len, fmt, &al);
            ck_assert_msg(c.refused >= 1, "%s: allocation %zu never happened", what, i);
            ck_assert_msg(r.nomem, "%s: failing allocation %zu/%zu%s gave %s without an out-of-memory status", what,
                          i, n, rest ? " and later" : "", dcfg_status_string(r.parse));
            ck_assert_msg(r.parse == want || r.parse == DCFG_ENOMEM, "%s: failing allocation %zu%s gave %s", what,
                          i, rest ? " and later" : "", dcfg_status_string(r.parse));
            ck_assert_msg(!r.other, "%s: failing allocation %zu%s: a step misbehaved", what, i,
                          rest ? " and later" : "");
            ck_assert_msg(c.live == 0 && c.bytes == 0, "%s: failing allocation %zu%s leaked %zu blocks", what, i,
                          rest ? " and later" : "", c.live);
        }
    }
    fprintf(stderr, "hardening: %s: %zu allocation points, each failed alone and with all later ones\n", what, n);
    return n;
}

static char *emit_of(const char *src, size_t len, dcfg_format fmt, unsigned flags, size_t *out_len)
{
    dcfg_config *cfg = NULL;
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.format = fmt;
    ck_assert_int_eq(dcfg_config_parse(&cfg, NULL, src, len, &o), DCFG_OK);
    char *out = NULL;
    ck_assert_int_eq(dcfg_config_emit(&out, out_len, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, flags), DCFG_OK);
    dcfg_config_free(cfg);
    return out;
}

START_TEST(sweep_big_config_yaml)
{
    size_t len;
    char *src = big_config(&len);
    sweep("big config (YAML, valid)", src, len, DCFG_FORMAT_AUTO, DCFG_OK);
    free(src);
}
END_TEST

START_TEST(sweep_big_config_json)
{
    size_t len, jlen;
    char *src = big_config(&len);
    char *json = emit_of(src, len, DCFG_FORMAT_AUTO, DCFG_EMIT_PRETTY, &jlen);
    sweep("big config (JSON through jansson, valid)", json, jlen, DCFG_FORMAT_JSON, DCFG_OK);
    dcfg_free(json);
    free(src);
}
END_TEST

START_TEST(sweep_invalid_configs)
{
    sweep("invalid config (YAML)", invalid_yaml, sizeof invalid_yaml - 1, DCFG_FORMAT_AUTO, DCFG_EINVALID);
    sweep("invalid config (JSON, re-read for positions)", invalid_json, sizeof invalid_json - 1, DCFG_FORMAT_AUTO,
          DCFG_EINVALID);
    static const char syntax[] = "type: service\nport: 80\nenv: [a, b\nname: \"x\n";
    sweep("syntax error", syntax, sizeof syntax - 1, DCFG_FORMAT_AUTO, DCFG_ESYNTAX);
    static const char json_syntax[] = "{\"type\": \"service\", \"port\": 80,, }";
    sweep("JSON syntax error", json_syntax, sizeof json_syntax - 1, DCFG_FORMAT_JSON, DCFG_ESYNTAX);
    static const char laughs[] = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                                 "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                                 "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    sweep("alias limit", laughs, sizeof laughs - 1, DCFG_FORMAT_AUTO, DCFG_ELIMIT);
    /* a duplicate key under a long path (fuzz/regressions/yaml/leak-oom-make-path):
     * the path buffer grows twice, and its second growth used to leak the first */
    static const char dup_deep[] = "type: service\nport: 80\nimage: nginx\nresources:\n  gpu:\n"
                                   "    a_key_long_enough_to_push_the_path_of_its_children_past_64_bytes:\n"
                                   "      x: 1\n      x: 2\n";
    sweep("duplicate key under a long path", dup_deep, sizeof dup_deep - 1, DCFG_FORMAT_AUTO, DCFG_EINVALID);
}
END_TEST

/* Every golden case and example, each allocation failed in turn (DCFG_SWEEP_DIRS,
 * colon-separated; set by the DCFG_ARENA_EXACT build's meson test). */
static int is_input(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
           (n > 5 && !strcmp(name + n - 5, ".json"));
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        dcfg__buf_putn(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.p ? dcfg__buf_take(&b) : calloc(1, 1);
}

static void sweep_tree(const char *dir, size_t stride, size_t *files, size_t *points)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            sweep_tree(path, stride, files, points);
            continue;
        }
        if (!is_input(e->d_name))
            continue;
        size_t len;
        char *src = read_all(path, &len);
        ck_assert_ptr_nonnull(src);
        counter c0 = { 0 };
        dcfg_allocator al = counting(&c0);
        run_result r = full_run(src, len, DCFG_FORMAT_AUTO, &al);
        ck_assert_msg(r.parse != DCFG_ENOMEM && !r.other && c0.live == 0, "%s: clean run failed", path);
        /* each point failed alone (failing all later ones too is left to the sweeps above) */
        for (size_t i = 1; i <= c0.calls; i += stride) {
            counter c = { 0 };
            c.fail_at = i;
            al = counting(&c);
            run_result rr = full_run(src, len, DCFG_FORMAT_AUTO, &al);
            ck_assert_msg(rr.nomem && (rr.parse == r.parse || rr.parse == DCFG_ENOMEM) && !rr.other,
                          "%s: failing allocation %zu/%zu gave %s", path, i, c0.calls, dcfg_status_string(rr.parse));
            ck_assert_msg(c.live == 0, "%s: failing allocation %zu leaked %zu blocks", path, i, c.live);
            (*points)++;
        }
        (*files)++;
        free(src);
    }
    closedir(d);
}

START_TEST(sweep_every_case)
{
    const char *dirs = getenv("DCFG_SWEEP_DIRS");
    if (!dirs || !*dirs)
        return;
    /* DCFG_SWEEP_STRIDE=k fails every k-th point only (sanitizer builds in CI) */
    const char *st = getenv("DCFG_SWEEP_STRIDE");
    size_t stride = st && atoi(st) > 1 ? (size_t)atoi(st) : 1;
    size_t files = 0, points = 0;
    char *copy = strdup(dirs);
    ck_assert_ptr_nonnull(copy);
    for (char *save = NULL, *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
        sweep_tree(dir, stride, &files, &points);
    free(copy);
    ck_assert_uint_gt(files, 0);
    fprintf(stderr, "hardening: %zu inputs, %zu allocation points failed one at a time%s\n", files, points,
            stride > 1 ? " (a sample: DCFG_SWEEP_STRIDE)" : "");
}
END_TEST

/* jansson allocates with malloc. Its hooks are process-wide, so the library
 * leaves them alone; here, as the host application, the test counts jansson's
 * blocks to check that none outlives a run, whichever of the library's own
 * allocations failed. (Failing jansson's allocations themselves is not
 * tested: jansson 2.14's lexer ignores a failed append in lex_save() and then
 * reads and writes past its buffers, akheron/jansson#362.) */
typedef struct jcounter {
    size_t calls, live;
} jcounter;
static jcounter jc; /* Check runs tests one at a time here (CK_FORK=no) */

static void *j_malloc(size_t n)
{
    ca_hdr *h = malloc(sizeof *h + n);
    if (!h)
        return NULL;
    jc.calls++;
    jc.live++;
    return h + 1;
}

static void j_free(void *p)
{
    if (!p)
        return;
    jc.live--;
    free((ca_hdr *)p - 1);
}

START_TEST(sweep_jansson_blocks_freed)
{
    size_t len, jlen;
    char *src = big_config(&len);
    char *json = emit_of(src, len, DCFG_FORMAT_AUTO, 0, &jlen);
    json_malloc_t old_m;
    json_free_t old_f;
    json_get_alloc_funcs(&old_m, &old_f);
    json_set_alloc_funcs(j_malloc, j_free);
    static const struct {
        const char *src;
        size_t len;
        dcfg_status want;
    } inputs[] = {
        { invalid_json, sizeof invalid_json - 1, DCFG_EINVALID },
        { "{\"type\": \"service\", \"port\": 80, \"commands\": [\"x\"], \"name\": \"a-b\"}", 0, DCFG_OK },
    };
    size_t points = 0, leaked_at = 0, leaked = 0;
    for (size_t k = 0; k < 3; k++) {
        const char *s = k < 2 ? inputs[k].src : json;
        size_t n = k < 2 ? (inputs[k].len ? inputs[k].len : strlen(s)) : jlen;
        memset(&jc, 0, sizeof jc);
        counter c0 = { 0 };
        dcfg_allocator al = counting(&c0);
        run_result r = full_run(s, n, DCFG_FORMAT_JSON, &al);
        ck_assert_int_eq(r.parse, k < 2 ? inputs[k].want : DCFG_OK);
        ck_assert_uint_gt(jc.calls, 0);
        for (size_t i = 1; i <= c0.calls && !leaked; i++) {
            counter c = { 0 };
            c.fail_at = i;
            al = counting(&c);
            full_run(s, n, DCFG_FORMAT_JSON, &al);
            if (jc.live) {
                leaked = jc.live;
                leaked_at = i;
            }
        }
        points += c0.calls;
    }
    json_set_alloc_funcs(old_m, old_f);
    ck_assert_msg(!leaked, "failing allocation %zu left %zu jansson blocks", leaked_at, leaked);
    fprintf(stderr, "hardening: jansson: no block left after any of %zu failed allocations\n", points);
    dcfg_free(json);
    free(src);
}
END_TEST

/* ---- limits and hostile input ------------------------------------------ */

typedef struct outcome {
    dcfg_status st;
    size_t ndiags;
    dcfg_diag_code code;
    unsigned line, col;
    char msg[512];
    char path[128];
    double seconds;
    size_t peak;     /* most bytes the library held at once */
} outcome;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static outcome parse_with(const char *src, size_t len, const dcfg_parse_options *opts)
{
    outcome r;
    memset(&r, 0, sizeof r);
    counter c = { 0 };
    dcfg_allocator al = counting(&c);
    dcfg_parse_options o = opts ? *opts : (dcfg_parse_options)DCFG_PARSE_OPTIONS_INIT;
    o.allocator = &al;
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    double t0 = now();
    r.st = dcfg_config_parse(&cfg, &d, src, len, &o);
    r.seconds = now() - t0;
    r.ndiags = dcfg_diags_count(d);
    const dcfg_diag *g = dcfg_diags_at(d, 0);
    if (g) {
        r.code = dcfg_diag_code_of(g);
        r.line = dcfg_diag_line(g);
        r.col = dcfg_diag_column(g);
        snprintf(r.msg, sizeof r.msg, "%s", dcfg_diag_message(g));
        snprintf(r.path, sizeof r.path, "%s", dcfg_diag_path(g));
    }
    dcfg_config_free(cfg);
    dcfg_diags_free(d);
    r.peak = c.peak;
    ck_assert_uint_eq(c.live, 0);
    return r;
}

static outcome parse_fmt(const char *src, size_t len, dcfg_format fmt)
{
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.format = fmt;
    return parse_with(src, len, &o);
}

#define PARSE_LIT(lit) parse_fmt(lit, sizeof lit - 1, DCFG_FORMAT_AUTO)

static void expect(const outcome *r, dcfg_status st, dcfg_diag_code code, unsigned line, unsigned col,
                   const char *needle)
{
    ck_assert_msg(r->st == st, "status %s, want %s (%s)", dcfg_status_string(r->st), dcfg_status_string(st),
                  r->msg);
    ck_assert_msg(r->code == code, "code %s, want %s (%s)", dcfg_diag_code_name(r->code), dcfg_diag_code_name(code),
                  r->msg);
    /* line 0: don't check the position; col 0: only the line */
    if (line)
        ck_assert_msg(r->line == line && (!col || r->col == col), "at %u:%u, want %u:%u (%s)", r->line, r->col,
                      line, col, r->msg);
    ck_assert_msg(strstr(r->msg, needle), "message \"%s\" lacks \"%s\"", r->msg, needle);
}

/* Time budget for one hostile input: 1 s, more under valgrind. */
static double time_budget(void)
{
    const char *pre = getenv("LD_PRELOAD");
    const char *env = getenv("DCFG_TIME_BUDGET");
    if (env && atof(env) > 0)
        return atof(env);
    return pre && strstr(pre, "vgpreload") ? 60.0 : 1.0;
}

#define MIB ((size_t)1 << 20)

static void expect_fast_and_small(const outcome *r, const char *what)
{
    fprintf(stderr, "hardening: %s: rejected in %.3f s, library peak %zu bytes: %s\n", what, r->seconds, r->peak,
            r->msg);
    ck_assert_msg(r->seconds < time_budget(), "%s took %.3f s", what, r->seconds);
    ck_assert_msg(r->peak < 64 * MIB, "%s: library peak %zu bytes", what, r->peak);
}

START_TEST(limit_document_size_100mb)
{
    size_t len = 100 * MIB;
    char *src = malloc(len);
    ck_assert_ptr_nonnull(src);
    static const char head[] = "type: service\nport: 80\nimage: nginx\ncommands:\n";
    static const char item[] = "  - echo 0123456789012345678901234567890123456789\n";
    memcpy(src, head, sizeof head - 1);
    for (size_t i = sizeof head - 1; i < len; i += sizeof item - 1)
        memcpy(src + i, item, len - i < sizeof item - 1 ? len - i : sizeof item - 1);
    outcome r = parse_fmt(src, len, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 0, 0, "input of 104857600 bytes exceeds the limit of 16777216 bytes");
    expect_fast_and_small(&r, "100 MB document");
    src[0] = '{';
    r = parse_fmt(src, len, DCFG_FORMAT_JSON);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 0, 0, "exceeds the limit of 16777216 bytes");
    free(src);

    /* configurable */
    static const char small[] = "type: service\nport: 80\nimage: nginx\n";
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.max_input_bytes = 10;
    r = parse_with(small, sizeof small - 1, &o);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 0, 0, "input of 36 bytes exceeds the limit of 10 bytes");
    o.max_input_bytes = sizeof small - 1;
    r = parse_with(small, sizeof small - 1, &o);
    ck_assert_int_eq(r.st, DCFG_OK);
}
END_TEST

static char *repeat(const char *a, size_t na, const char *mid, const char *b, size_t nb, size_t *len)
{
    size_t la = strlen(a), lm = strlen(mid), lb = strlen(b);
    *len = la * na + lm + lb * nb;
    char *s = malloc(*len + 1);
    ck_assert_ptr_nonnull(s);
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

START_TEST(limit_depth_million)
{
    static const struct {
        const char *open, *mid, *close, *what;
        dcfg_format fmt;
        unsigned line, col;
    } shapes[] = {
        { "[", "", "]", "1,000,000 nested flow sequences", DCFG_FORMAT_AUTO, 1, 65 },
        { "{a: ", "1", "}", "1,000,000 nested flow mappings", DCFG_FORMAT_AUTO, 1, 257 },
        { "- ", "x\n", "", "1,000,000 nested block sequences", DCFG_FORMAT_AUTO, 1, 129 },
        { "{\"a\":", "1", "}", "1,000,000 nested JSON objects", DCFG_FORMAT_JSON, 1, 321 },
        { "[", "", "]", "1,000,000 nested JSON arrays", DCFG_FORMAT_JSON, 1, 65 },
        { "[", "", "", "1,000,000 unclosed [", DCFG_FORMAT_AUTO, 1, 65 },
    };
    for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++) {
        size_t len;
        char *src = repeat(shapes[k].open, 1000000, shapes[k].mid, shapes[k].close,
                           shapes[k].close[0] ? 1000000 : 0, &len);
        outcome r = parse_fmt(src, len, shapes[k].fmt);
        expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, shapes[k].line, shapes[k].col, "nesting deeper than 64 levels");
        expect_fast_and_small(&r, shapes[k].what);
        free(src);
    }

    /* block mappings by indentation, and a configurable limit */
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    for (int i = 0; i < 100; i++)
        dcfg__buf_printf(&b, "%*sk%d:\n", i, "", i);
    outcome r = parse_fmt(b.p, b.len, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 65, 65, "nesting deeper than 64 levels");
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.max_depth = 3;
    static const char three[] = "type: service\nport: 80\nimage: nginx\nresources:\n  gpu:\n    count: {min: 1}\n";
    r = parse_with(three, sizeof three - 1, &o);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 6, 12, "nesting deeper than 3 levels");
    o.format = DCFG_FORMAT_JSON;
    static const char three_json[] = "{\"type\": \"service\", \"resources\": {\"gpu\": {\"count\": {\"min\": 1}}}}";
    r = parse_with(three_json, sizeof three_json - 1, &o);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 0, 0, "nesting deeper than 3 levels");
    ck_assert_str_eq(r.path, "resources.gpu.count");
    o.max_depth = 4;
    o.format = DCFG_FORMAT_AUTO;
    r = parse_with(three, sizeof three - 1, &o);
    ck_assert_int_eq(r.st, DCFG_OK);
    dcfg__buf_free(&b);
}
END_TEST

START_TEST(limit_billion_laughs)
{
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    dcfg__buf_puts(&b, "type: service\nport: 80\nimage: nginx\n"
                       "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
        dcfg__buf_printf(&b, "a%d: &a%d [", i, i);
        for (int k = 0; k < 9; k++)
            dcfg__buf_printf(&b, "%s*a%d", k ? ", " : "", i - 1);
        dcfg__buf_puts(&b, "]\n");
    }
    dcfg__buf_puts(&b, "commands: *a9\n");
    outcome r = parse_fmt(b.p, b.len, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 9, 10, "alias expansion / document too large: more than 100000 nodes");
    expect_fast_and_small(&r, "billion laughs (9 levels of 9 aliases)");
    dcfg__buf_free(&b);

    /* merge keys expand too */
    dcfg__buf_init(&b, &dcfg__default_allocator);
    dcfg__buf_puts(&b, "x0: &x0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n");
    for (int i = 1; i < 12; i++)
        dcfg__buf_printf(&b, "x%d: &x%d [*x%d, *x%d, *x%d, *x%d, *x%d, *x%d, *x%d, *x%d]\n", i, i, i - 1, i - 1,
                         i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    dcfg__buf_puts(&b, "y:\n  <<: *x11\n");
    r = parse_fmt(b.p, b.len, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 0, 0, "more than 100000 nodes");
    expect_fast_and_small(&r, "merge-key laughs");
    dcfg__buf_free(&b);

    /* a long string aliased many times: bounded by bytes, not only by nodes */
    size_t slen = 900 * 1024;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    dcfg__buf_puts(&b, "type: service\nport: 80\nimage: &s \"");
    for (size_t i = 0; i < slen; i++)
        dcfg__buf_putc(&b, 'A');
    dcfg__buf_puts(&b, "\"\ncommands: [*s");
    for (int i = 1; i < 2000; i++)
        dcfg__buf_puts(&b, ", *s");
    dcfg__buf_puts(&b, "]\n");
    r = parse_fmt(b.p, b.len, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 4, 0, "more than 16777216 bytes of text");
    expect_fast_and_small(&r, "string laughs (900 KiB string x 2000 aliases)");
    dcfg__buf_free(&b);

    /* configurable node budget */
    static const char few[] = "type: service\nport: 80\nimage: nginx\ncommands: [a, b, c, d]\n";
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.max_nodes = 10;
    r = parse_with(few, sizeof few - 1, &o);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 4, 0, "more than 10 nodes");
    o.format = DCFG_FORMAT_JSON;
    static const char few_json[] = "{\"type\": \"service\", \"port\": 80, \"commands\": [\"a\", \"b\", \"c\", \"d\"]}";
    r = parse_with(few_json, sizeof few_json - 1, &o);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 0, 0, "more than 10 nodes");
    o.max_nodes = 13; /* the mapping, 4 keys, 3 values, the list and its 4 items */
    o.format = DCFG_FORMAT_AUTO;
    r = parse_with(few, sizeof few - 1, &o);
    ck_assert_int_eq(r.st, DCFG_OK);
    o.max_nodes = 12;
    r = parse_with(few, sizeof few - 1, &o);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 4, 0, "more than 12 nodes");
}
END_TEST

START_TEST(limit_many_nodes)
{
    /* 200,000 list items in one line and in block form */
    size_t len;
    char *src = repeat("x,", 200000, "", "]", 1, &len);
    char *doc = malloc(len + 64);
    ck_assert_ptr_nonnull(doc);
    int n = snprintf(doc, 64, "type: service\nport: 80\ncommands: [");
    memcpy(doc + n, src, len + 1);
    outcome r = parse_fmt(doc, (size_t)n + len, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 3, 0, "more than 100000 nodes");
    expect_fast_and_small(&r, "200,000 flow items");
    free(doc);
    free(src);
    src = repeat("  - x\n", 200000, "", "", 0, &len);
    doc = malloc(len + 64);
    ck_assert_ptr_nonnull(doc);
    n = snprintf(doc, 64, "type: service\nport: 80\ncommands:\n");
    memcpy(doc + n, src, len + 1);
    r = parse_fmt(doc, (size_t)n + len, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 0, 0, "more than 100000 nodes");
    expect_fast_and_small(&r, "200,000 block items");
    free(doc);
    free(src);
}
END_TEST

START_TEST(limit_string_length)
{
    size_t len = 2 * MIB;
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    dcfg__buf_puts(&b, "type: service\nport: 80\nimage: nginx\nname: ");
    for (size_t i = 0; i < len; i++)
        dcfg__buf_putc(&b, 'a');
    dcfg__buf_putc(&b, '\n');
    outcome r = parse_fmt(b.p, b.len, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 4, 7, "scalar of 2097152 bytes exceeds the limit of 1048576 bytes");
    expect_fast_and_small(&r, "2 MiB scalar");
    dcfg__buf_free(&b);

    dcfg__buf_init(&b, &dcfg__default_allocator);
    dcfg__buf_puts(&b, "{\"type\": \"service\", \"port\": 80, \"name\": \"");
    for (size_t i = 0; i < len; i++)
        dcfg__buf_putc(&b, 'a');
    dcfg__buf_puts(&b, "\"}");
    r = parse_fmt(b.p, b.len, DCFG_FORMAT_JSON);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 0, 0, "scalar of 2097152 bytes exceeds the limit of 1048576 bytes");
    ck_assert_str_eq(r.path, "name");
    dcfg__buf_free(&b);

    static const char src[] = "type: service\nport: 80\nimage: nginx\nname: \"0123456789ab\"\n";
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.max_string_bytes = 10;
    r = parse_with(src, sizeof src - 1, &o);
    expect(&r, DCFG_ELIMIT, DCFG_DIAG_LIMIT, 4, 7, "scalar of 12 bytes exceeds the limit of 10 bytes");
    o.max_string_bytes = 12;
    r = parse_with(src, sizeof src - 1, &o);
    ck_assert_int_eq(r.st, DCFG_OK);
}
END_TEST

START_TEST(hostile_encoding)
{
    outcome r = PARSE_LIT("type: service\nport: 80\nname: caf\xC3\n");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 3, 10, "invalid UTF-8 (byte 0xC3)");
    r = PARSE_LIT("type: service\nport: 80\nname: \xFF\xFE\n");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 3, 7, "invalid UTF-8 (byte 0xFF); hint: save the file as UTF-8");
    r = PARSE_LIT("type: service\nport: 80\nname: \xED\xA0\x80\n"); /* UTF-16 surrogate */
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 3, 7, "invalid UTF-8");
    r = PARSE_LIT("type: service\nport: 80\nname: \xC0\xAF\n"); /* overlong */
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 3, 7, "invalid UTF-8");
    r = PARSE_LIT("{\"type\": \"service\", \"port\": 80, \"name\": \"\xFF\"}");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 1, 42, "invalid UTF-8 (byte 0xFF)");

    r = PARSE_LIT("type: service\nport: 80\nname: \"a\0b\"\n");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 3, 9, "unacceptable character U+0000 (NUL)");
    r = PARSE_LIT("\0");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 1, 1, "U+0000 (NUL)");
    r = PARSE_LIT("type: service\nport: 80\nname: a\x07" "b\n");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 3, 8, "unacceptable character U+0007");
    /* JSON may spell NUL as an escape: it is content, kept and escaped again */
    static const char nul_json[] = "{\"type\": \"service\", \"port\": 80, \"commands\": [\"a\\u0000b\"]}";
    size_t n = 0;
    char *out = emit_of(nul_json, sizeof nul_json - 1, DCFG_FORMAT_JSON, 0, &n);
    ck_assert_ptr_nonnull(strstr(out, "\"commands\":[\"a\\u0000b\"]"));
    ck_assert_uint_eq(strlen(out), n);
    dcfg_free(out);

    /* a byte-order mark is fine at the start, in both formats */
    r = PARSE_LIT("\xEF\xBB\xBFtype: service\nport: 80\nimage: nginx\n");
    ck_assert_int_eq(r.st, DCFG_OK);
    r = PARSE_LIT("\xEF\xBB\xBF{\"type\": \"service\", \"port\": 80, \"image\": \"nginx\"}");
    ck_assert_int_eq(r.st, DCFG_OK);
    r = PARSE_LIT("\xEF\xBB\xBFtype: service\nport: x\nimage: nginx\n");
    expect(&r, DCFG_EINVALID, DCFG_DIAG_INVALID_VALUE, 2, 7, "");
}
END_TEST

START_TEST(hostile_layout)
{
    /* tabs in indentation */
    outcome r = PARSE_LIT("type: service\nport: 80\nresources:\n\tgpu: 1\n");
    ck_assert_int_eq(r.st, DCFG_ESYNTAX);
    ck_assert_int_eq(r.code, DCFG_DIAG_SYNTAX);
    ck_assert_msg(strstr(r.msg, "hint: YAML does not allow tabs for indentation") ||
                      strstr(r.msg, "found a tab character where YAML does not allow one"),
                  "%s", r.msg);
    r = PARSE_LIT("type: service\nport: 80\nenv:\n  - A=1\n\t- B=2\n");
    ck_assert_int_eq(r.st, DCFG_ESYNTAX);
    ck_assert_msg(strstr(r.msg, "tab"), "%s", r.msg);
    /* tabs inside quoted strings are content */
    r = PARSE_LIT("type: service\nport: 80\nimage: nginx\ncommands: [\"a\tb\"]\n");
    ck_assert_int_eq(r.st, DCFG_OK);

    /* CRLF line ends: accepted, positions still count lines */
    r = PARSE_LIT("type: service\r\nport: 80\r\nimage: nginx\r\ncommands:\r\n  - a\r\n");
    ck_assert_int_eq(r.st, DCFG_OK);
    r = PARSE_LIT("type: service\r\nport: 80\r\nimage: nginx\r\npriority: 500\r\n");
    expect(&r, DCFG_EINVALID, DCFG_DIAG_INVALID_VALUE, 4, 11, "");
    r = PARSE_LIT("type: service\r\nport: 80\r\nimage: nginx\r\ncommands: |\r\n  a\r\n  b\r\n");
    ck_assert_int_eq(r.st, DCFG_EINVALID); /* a string is not a list: still parsed across CRLF */
    ck_assert_uint_eq(r.line, 4);
}
END_TEST

START_TEST(hostile_truncated)
{
    outcome r = PARSE_LIT("type: service\nport: \"80");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_SYNTAX, 0, 0, "hint: the string is missing its closing quote");
    r = PARSE_LIT("type: service\nenv: [A=1, B=2");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_SYNTAX, 0, 0, "");
    ck_assert_msg(strstr(r.msg, "never closed") || strstr(r.msg, "flow"), "%s", r.msg);
    r = PARSE_LIT("type: service\nname: caf\xC3");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_ENCODING, 2, 10, "invalid UTF-8");
    r = PARSE_LIT("{\"type\": \"service\", \"port\": 8");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_SYNTAX, 0, 0, "");
    r = parse_fmt("{\"type\": \"service\", \"port\": 8", 29, DCFG_FORMAT_JSON);
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_SYNTAX, 0, 0, "");
    r = PARSE_LIT("type: service\nport: 80\nimage: &x");
    ck_assert_int_ne(r.st, DCFG_OK);
    ck_assert_int_ne(r.st, DCFG_ENOMEM);
    r = PARSE_LIT("type: service\nport: 80\nimage: *");
    ck_assert_int_eq(r.st, DCFG_ESYNTAX);
}
END_TEST

START_TEST(hostile_empty)
{
    static const char *const empties[] = { "", " ", "\n\n", "# only a comment\n", "---\n", "---\n...\n",
                                           "\xEF\xBB\xBF", "\r\n" };
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        outcome r = parse_fmt(empties[i], strlen(empties[i]), DCFG_FORMAT_AUTO);
        expect(&r, DCFG_EINVALID, DCFG_DIAG_WRONG_TYPE, 0, 0, "a configuration must be a mapping, got null");
    }
    outcome r = parse_fmt(NULL, 0, DCFG_FORMAT_AUTO);
    expect(&r, DCFG_EINVALID, DCFG_DIAG_WRONG_TYPE, 1, 1, "a configuration must be a mapping, got null");
    r = parse_fmt("", 0, DCFG_FORMAT_JSON);
    ck_assert_int_eq(r.st, DCFG_ESYNTAX);
    ck_assert_int_eq(r.code, DCFG_DIAG_SYNTAX);
    ck_assert_uint_eq(r.ndiags, 1);
    dcfg_config *cfg = NULL;
    ck_assert_int_eq(dcfg_config_parse(&cfg, NULL, NULL, 1, NULL), DCFG_EUSAGE);
}
END_TEST

START_TEST(hostile_multi_document)
{
    outcome r = PARSE_LIT("type: service\nport: 80\nimage: nginx\n---\ntype: service\nport: 81\n");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_SYNTAX, 4, 1, "expected a single document in the stream");
    r = PARSE_LIT("--- {type: service, port: 80, image: nginx}\n--- {}\n");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_SYNTAX, 2, 1, "expected a single document in the stream");
    r = PARSE_LIT("type: service\nport: 80\nimage: nginx\n...\nname: x\n");
    expect(&r, DCFG_ESYNTAX, DCFG_DIAG_SYNTAX, 5, 1, "expected a single document in the stream");
    r = PARSE_LIT("{\"type\": \"service\", \"port\": 80, \"image\": \"nginx\"}\n{\"port\": 81}\n");
    ck_assert_int_eq(r.st, DCFG_ESYNTAX);
    ck_assert_int_eq(r.code, DCFG_DIAG_SYNTAX);
    /* a single explicit document is fine */
    r = PARSE_LIT("---\ntype: service\nport: 80\nimage: nginx\n...\n");
    ck_assert_int_eq(r.st, DCFG_OK);
}
END_TEST

START_TEST(hostile_non_mapping_root)
{
    static const struct {
        const char *src;
        const char *got;
    } roots[] = {
        { "- type: service\n- port: 80\n", "a list" },
        { "[1, 2]", "a list" },
        { "service\n", "a string" },
        { "80\n", "an integer" },
        { "3.5\n", "a number" },
        { "true\n", "a boolean" },
        { "null\n", "null" },
        { "~\n", "null" },
        { "\"{}\"\n", "a string" },
        { "[]", "a list" },
        { "\"type: service\"", "a string" },
    };
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
        char want[96];
        snprintf(want, sizeof want, "a configuration must be a mapping, got %s", roots[i].got);
        outcome r = parse_fmt(roots[i].src, strlen(roots[i].src), DCFG_FORMAT_AUTO);
        expect(&r, DCFG_EINVALID, DCFG_DIAG_WRONG_TYPE, 1, 1, want);
        ck_assert_str_eq(r.path, "");
    }
    outcome r = parse_fmt("[1, 2]", 6, DCFG_FORMAT_JSON);
    expect(&r, DCFG_EINVALID, DCFG_DIAG_WRONG_TYPE, 1, 1, "a configuration must be a mapping, got a list");
}
END_TEST

/* Inputs the fuzzers found or that once misbehaved; each must give a clean answer. */
START_TEST(fuzz_regressions)
{
    static const struct {
        const char *src;
        size_t len;
        dcfg_format fmt;
    } cases[] = {
#define REG(lit, fmt) { lit, sizeof lit - 1, fmt }
        REG("a: &x [*x]", DCFG_FORMAT_AUTO),
        REG("&a a: *a", DCFG_FORMAT_AUTO),
        REG("? [a]\n: 1", DCFG_FORMAT_AUTO),
        REG("<<: [*a]", DCFG_FORMAT_AUTO),
        REG("a: !!binary aGk=", DCFG_FORMAT_AUTO),
        REG("{\"a\": 1e999999999}", DCFG_FORMAT_JSON),
        REG("{\"a\": 123456789012345678901234567890}", DCFG_FORMAT_JSON),
        REG("a: 0x_", DCFG_FORMAT_AUTO),
        REG("a: 1:99:99", DCFG_FORMAT_AUTO),
        REG("a: |-\n", DCFG_FORMAT_AUTO),
        REG("%YAML 1.1\n%TAG ! tag:x,2000:\n--- !a\n", DCFG_FORMAT_AUTO),
        /* fuzz/regressions/yaml/ubsan-null-items-empty-flow-map */
        REG("x\n  - {}\n  - t\n  - tydpe: vastai\n", DCFG_FORMAT_AUTO),
        /* fuzz/regressions/roundtrip/uaf-libfyaml-tab-in-explicit-key: libfyaml frees twice */
        REG("? y:\t:", DCFG_FORMAT_AUTO),
        REG("? y:\tz\n", DCFG_FORMAT_AUTO),
        REG("x:\n  ? - y:\t:\n", DCFG_FORMAT_AUTO),
#undef REG
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        outcome r = parse_fmt(cases[i].src, cases[i].len, cases[i].fmt);
        ck_assert_msg(r.st != DCFG_OK && r.st != DCFG_ENOMEM && r.st != DCFG_EUSAGE && r.ndiags > 0,
                      "case %zu: %s", i, dcfg_status_string(r.st));
    }
}
END_TEST

/* A value of a configuration that must parse, as compact JSON. */
static void expect_value(const char *src, const char *path, const char *want_json)
{
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    dcfg_status st = dcfg_config_parse(&cfg, &d, src, strlen(src), NULL);
    if (st != DCFG_OK)
        print_diags_of(src, strlen(src), DCFG_FORMAT_AUTO);
    ck_assert_int_eq(st, DCFG_OK);
    const dcfg_value *v = dcfg_config_get(cfg, path);
    ck_assert_int_eq(dcfg_value_kind_of(v), DCFG_VALUE_STRING);
    size_t len = 0;
    const char *got = dcfg_value_string(v, &len);
    dcfg__node n = { .type = DCFG__STR, .str = got, .len = len };
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    ck_assert_int_eq(dcfg__emit_json(&b, &n, 0), DCFG_OK);
    ck_assert_str_eq(b.p, want_json);
    dcfg__buf_free(&b);
    dcfg_config_free(cfg);
    dcfg_diags_free(d);
}

/* Quoted scalars as PyYAML's scan_flow_scalar reads them (libfyaml differs on
 * an escaped backslash before an escaped line break, among others). */
START_TEST(regression_quoted_scalars)
{
    static const char head[] = "type: service\nport: 80\ncommands:\n- ";
    static const struct { const char *scalar, *want; } cases[] = {
        { "\"a \\\\\\\n  b\"", "\"a \\\\b\"" },   /* "a \\\<LF>  b" -> a \b */
        { "\"a\\\n  \\ b\"", "\"a b\"" },             /* escaped break, escaped space */
        { "\"a  \n\n  b \"", "\"a\\nb \"" },          /* blanks before a break go, before the quote stay */
        { "\"a\r\n  b\"", "\"a b\"" },                 /* CRLF folds like LF */
        { "\"a\xc2\x85" "b\"", "\"a b\"" },               /* NEL folds to a space */
        { "\"a\xe2\x80\xa8 b\"", "\"a\xe2\x80\xa8" "b\"" },    /* LS stays, the next line's blanks go */
        { "\"\\x41\\u00e9\\U0001F600\\t\\/\"", "\"A\xc3\xa9\xf0\x9f\x98\x80\\t/\"" },
        { "'it''s \n  here'", "\"it's here\"" },
        { "'a\\\n\n b'", "\"a\\\\\\nb\"" },      /* backslash is text in single quotes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char src[256];
        snprintf(src, sizeof src, "%s%s\n", head, cases[i].scalar);
        expect_value(src, "commands[0]", cases[i].want);
    }
}
END_TEST

/* libfyaml 0.7.12 reads runs of '' wrongly and leaks (fuzz/regressions/yaml/leak-libfyaml-single-quote-runs) */
START_TEST(regression_single_quote_runs)
{
    char src[256];
    char quotes[81];
    memset(quotes, '\'', 80);
    quotes[80] = '\0';
    snprintf(src, sizeof src, "type: service\nport: 80\nimage: nginx\nentrypoint: %s\n", quotes);
    expect_value(src, "entrypoint", "\"'''''''''''''''''''''''''''''''''''''''\""); /* 39 */
    expect_value("type: service\nport: 80\nimage: nginx\nentrypoint: ''''''\n", "entrypoint", "\"''\"");
    expect_value("type: service\nport: 80\nimage: nginx\nentrypoint: 'it''s\n  folded  \n\n  here'\n",
                 "entrypoint", "\"it's folded\\nhere\"");
    expect_value("type: service\r\nport: 80\r\nimage: nginx\r\nentrypoint: 'x'' \r\n\r\n y'\r\n", "entrypoint",
                 "\"x'\\ny\"");
    expect_value("type: service\nport: 80\nimage: nginx\nentrypoint: '  lead'' trail  '\n", "entrypoint",
                 "\"  lead' trail  \"");
}
END_TEST

/* fuzz/regressions/yaml/enomem-block-scalar-indent-indicator: libfyaml's text
 * iterator gives up on `|2` followed by a shorter blank line at the end of the
 * input (reading uninitialized memory on the way, libfyaml#350, so that input
 * is only replayed from fuzz/regressions, where valgrind has a suppression);
 * PyYAML reads "". */
START_TEST(regression_block_scalar_indent_indicator)
{
    expect_value("type: service\nport: 80\nimage: nginx\nentrypoint: |2 \n \n", "entrypoint", "\"\"");
    expect_value("type: service\nport: 80\nimage: nginx\nentrypoint: |2\n   abc\n \n", "entrypoint",
                 "\" abc\\n\"");
}
END_TEST

/* fuzz/regressions/roundtrip/uninit-block-scalar-tail: a block scalar libfyaml
 * mis-sized; its text used to end in uninitialized bytes. PyYAML refuses it. */
START_TEST(regression_block_scalar_misindented)
{
    outcome r = PARSE_LIT("type: service\nname: coalse\n\ndocker: true\n\ncommands:\n  - |\n  no-capacity  cat > "
                          "compose.yaml <<'EOF'\n    services:\n      web:\n        image: python:3.11-slim\n"
                          "    EOF\n  - docker compose up\nport: 9000\n");
    ck_assert_int_eq(r.st, DCFG_ESYNTAX);
    ck_assert_int_eq(r.code, DCFG_DIAG_SYNTAX);
}
END_TEST

/* ---- threads -------------------------------------------------------------- */

typedef struct job {
    const char *src;
    size_t len;
    dcfg_format fmt;
    const char *want;      /* compact emit, or NULL when the parse must fail */
    const char *want_diag; /* first formatted diagnostic when it fails */
} job;

typedef struct worker {
    const job *jobs;
    size_t njobs;
    int rounds;
    int failures;
    counter c;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    dcfg_allocator al = counting(&w->c);
    for (int round = 0; round < w->rounds; round++) {
        for (size_t k = 0; k < w->njobs; k++) {
            const job *j = &w->jobs[(k + (size_t)round) % w->njobs];
            dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
            o.allocator = &al;
            o.format = j->fmt;
            dcfg_config *cfg = NULL;
            dcfg_diags *d = NULL;
            dcfg_status st = dcfg_config_parse(&cfg, &d, j->src, j->len, &o);
            if (j->want) {
                char *out = NULL;
                if (st != DCFG_OK ||
                    dcfg_config_emit(&out, NULL, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0) != DCFG_OK ||
                    strcmp(out, j->want))
                    w->failures++;
                dcfg_free(out);
            } else {
                char *line = NULL;
                if (st == DCFG_OK || dcfg_diag_format(&line, dcfg_diags_at(d, 0), "t") != DCFG_OK ||
                    strcmp(line, j->want_diag))
                    w->failures++;
                dcfg_free(line);
            }
            dcfg_config_free(cfg);
            dcfg_diags_free(d);
        }
    }
    return NULL;
}

START_TEST(threads_parse_and_emit_concurrently)
{
    size_t len, jlen;
    char *src = big_config(&len);
    char *compact = emit_of(src, len, DCFG_FORMAT_AUTO, 0, NULL);
    char *pretty = emit_of(src, len, DCFG_FORMAT_AUTO, DCFG_EMIT_PRETTY, &jlen);
    char *bad_line = NULL;
    {
        dcfg_config *cfg = NULL;
        dcfg_diags *d = NULL;
        ck_assert_int_eq(dcfg_config_parse(&cfg, &d, invalid_yaml, sizeof invalid_yaml - 1, NULL), DCFG_EINVALID);
        ck_assert_int_eq(dcfg_diag_format(&bad_line, dcfg_diags_at(d, 0), "t"), DCFG_OK);
        dcfg_diags_free(d);
    }
    const job jobs[] = {
        { src, len, DCFG_FORMAT_AUTO, compact, NULL },
        { pretty, jlen, DCFG_FORMAT_JSON, compact, NULL },
        { invalid_yaml, sizeof invalid_yaml - 1, DCFG_FORMAT_AUTO, NULL, bad_line },
    };
    enum { NTHREADS = 4 };
    worker w[NTHREADS];
    pthread_t t[NTHREADS];
    for (int i = 0; i < NTHREADS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].jobs = jobs;
        w[i].njobs = sizeof jobs / sizeof *jobs;
        w[i].rounds = 20;
        ck_assert_int_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < NTHREADS; i++) {
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
        ck_assert_int_eq(w[i].failures, 0);
        ck_assert_uint_eq(w[i].c.live, 0);
    }
    dcfg_free(bad_line);
    dcfg_free(compact);
    dcfg_free(pretty);
    free(src);
}
END_TEST

Suite *hardening_suite(void)
{
    Suite *s = suite_create("hardening");
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, limit_document_size_100mb);
    tcase_add_test(tc, limit_depth_million);
    tcase_add_test(tc, limit_billion_laughs);
    tcase_add_test(tc, limit_many_nodes);
    tcase_add_test(tc, limit_string_length);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_add_test(tc, hostile_encoding);
    tcase_add_test(tc, hostile_layout);
    tcase_add_test(tc, hostile_truncated);
    tcase_add_test(tc, hostile_empty);
    tcase_add_test(tc, hostile_multi_document);
    tcase_add_test(tc, hostile_non_mapping_root);
    tcase_add_test(tc, fuzz_regressions);
    tcase_add_test(tc, regression_single_quote_runs);
    tcase_add_test(tc, regression_quoted_scalars);
    tcase_add_test(tc, regression_block_scalar_indent_indicator);
    tcase_add_test(tc, regression_block_scalar_misindented);
    suite_add_tcase(s, tc);

    tc = tcase_create("oom");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, sweep_big_config_yaml);
    tcase_add_test(tc, sweep_big_config_json);
    tcase_add_test(tc, sweep_invalid_configs);
    tcase_add_test(tc, sweep_jansson_blocks_freed);
    tcase_add_test(tc, sweep_every_case);
    suite_add_tcase(s, tc);

    tc = tcase_create("threads");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, threads_parse_and_emit_concurrently);
    suite_add_tcase(s, tc);
    return s;
}
