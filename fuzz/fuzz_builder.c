/* libFuzzer harness: the builder API driven by fuzz data. A configuration
 * (new, or a small parsed file) receives a sequence of setter, unset and
 * validate calls. Checked after every call:
 * - the status is one the header promises, and diagnostics are complete;
 * - a call that fails leaves the configuration exactly as it was;
 * - a configuration that validates emits every view, and its minimal YAML
 *   parses back to the same configuration (equal dstack JSON);
 * - with a failing allocator: DCFG_ENOMEM only after a refused allocation,
 *   and nothing leaks.
 *
 * Input: byte 0 control: bit 0 start from a parsed file instead of
 * dcfg_config_new(), bit 1 fail an allocation (its index is byte 1, plus 1),
 * bit 2 and every allocation after it. Then operations until the data ends:
 * one byte opcode, one byte path (an entry of paths[] or, past the table,
 * a string from the data), then the operation's argument. */
#include <math.h>
#include "fuzz_common.h"

#define FZB_FROM_FILE 0x01u
#define FZB_FAIL_ALLOC 0x02u
#define FZB_FAIL_REST 0x04u
#define FZB_MAX_OPS 64

typedef struct fzb_input {
    const uint8_t *p;
    size_t left;
} fzb_input;

static unsigned take_byte(fzb_input *in)
{
    if (!in->left)
        return 0;
    in->left--;
    return *in->p++;
}

/* A NUL-terminated string of up to 255 bytes from the data (any bytes, NUL cut it short). */
static void take_text(fzb_input *in, char *out, size_t cap)
{
    size_t n = take_byte(in);
    if (n > in->left)
        n = in->left;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, in->p, n);
    out[n] = '\0';
    in->p += n;
    in->left -= n;
}

static uint64_t take_u64(fzb_input *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | take_byte(in);
    return v;
}

/* Paths the schema knows, some nested, some indexed, plus a few malformed ones. */
static const char *const paths[] = {
    "name", "port", "port.container_port", "port.local_port", "image", "commands", "commands[0]", "commands[1]",
    "python", "nvcc", "env", "env.A", "env.HF_TOKEN", "resources", "resources.gpu", "resources.gpu.name",
    "resources.gpu.count", "resources.gpu.memory", "resources.gpu.vendor", "resources.cpu", "resources.memory",
    "resources.disk", "resources.shm_size", "replicas", "replicas[0]", "replicas[0].count", "replicas[0].commands",
    "replicas[1].count", "groups", "groups[0].name", "groups[0].replicas", "groups[0].commands", "scaling",
    "scaling.metric", "scaling.target", "model", "model.name", "model.format", "gateway", "https", "auth",
    "strip_prefix", "probes", "probes[0]", "probes[0].url", "probes[0].type", "rate_limits[0]",
    "rate_limits[0].prefix", "rate_limits[0].rps", "rate_limits[0].key.type", "volumes[0]", "volumes[0].path",
    "repos[0]", "files[0]", "max_duration", "stop_duration", "idle_duration", "retry", "retry.on_events",
    "schedule.cron", "tags", "tags.a", "backends", "backends[0]", "regions[0]", "spot_policy", "max_price",
    "priority", "docker", "privileged", "working_dir", "home_dir", "user", "entrypoint", "registry_auth.username",
    "single_branch", "shell", "setup[0]", "utilization_policy.min_gpu_utilization", "instances", "fleets[0]",
    "type", "", ".", "a..b", "[0]", "env.", "commands[", "commands[-1]", "commands[99999999999999999999]",
};
#define NPATHS (sizeof paths / sizeof *paths)

/* Values for dcfg_config_set_value and set_string: shorthands, collections, near misses. */
static const char *const texts[] = {
    "8000", "8080:8000", "nginx", "[echo hi]", "- a\n- b", "A100:80GB:2", "1..3", "0..", "5m", "off", "3.10",
    "{metric: rps, target: 10}", "{type: http, url: /health}", "[HF_TOKEN, A=1]", "{A: x}", "24GB..", "null",
    "true", "{format: openai, name: m}", "[{count: 1, commands: [a]}, {count: 0..2, image: y}]", "/data:/data",
    "https://github.com/a/b.git", "[aws, gcp]", "0 * * * *", "{", "a: [", "*x", "&a [1, *a]", "\"\\u0000\"",
    "1e999", ".nan", "-1", "99999999999999999999999", "{min: 2, max: 1}", "x86:4..", "tpu-v5-8",
};
#define NTEXTS (sizeof texts / sizeof *texts)

static int status_ok_for_setter(dcfg_status st)
{
    return st == DCFG_OK || st == DCFG_EINVALID || st == DCFG_ESYNTAX || st == DCFG_EUSAGE || st == DCFG_ENOMEM ||
           st == DCFG_ELIMIT;
}

/* What a caller can observe of a configuration: its validation result and,
 * when it validates, its minimal YAML (which holds everything set). */
static char *snapshot(const dcfg_config *cfg, int *nomem)
{
    dcfg_diags *d = NULL;
    dcfg_status st = dcfg_config_validate(cfg, &d);
    char *out = NULL;
    if (st == DCFG_ENOMEM) {
        *nomem = 1;
    } else if (st == DCFG_OK) {
        size_t len = 0;
        dcfg_status es = dcfg_config_emit(&out, &len, cfg, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML, 0);
        if (es == DCFG_ENOMEM)
            *nomem = 1;
        else
            FZ_ASSERT(es == DCFG_OK && out, "valid, but emit: %s", dcfg_status_string(es));
    } else {
        FZ_ASSERT(st == DCFG_EINVALID, "validate: %s", dcfg_status_string(st));
        dcfg_status js = dcfg_diags_to_json(&out, d);
        if (js == DCFG_ENOMEM)
            *nomem = 1;
    }
    dcfg_diags_free(d);
    return out;
}

static void check_valid_config(const dcfg_config *cfg, const fz_counter *cnt, int *nomem)
{
    static const dcfg_view views[] = { DCFG_VIEW_DSTACK, DCFG_VIEW_EFFECTIVE, DCFG_VIEW_MINIMAL };
    static const dcfg_format formats[] = { DCFG_FORMAT_JSON, DCFG_FORMAT_YAML };
    char *dstack = NULL, *minimal = NULL;
    for (size_t v = 0; v < 3; v++) {
        for (size_t f = 0; f < 2; f++) {
            char *out = NULL;
            size_t len = 0;
            dcfg_status st = dcfg_config_emit(&out, &len, cfg, views[v], formats[f], 0);
            if (st == DCFG_ENOMEM && cnt->fail_at) {
                *nomem = 1;
                continue;
            }
            FZ_ASSERT(st == DCFG_OK && out && strlen(out) == len, "emit: %s", dcfg_status_string(st));
            if (views[v] == DCFG_VIEW_DSTACK && formats[f] == DCFG_FORMAT_JSON)
                dstack = out;
            else if (views[v] == DCFG_VIEW_MINIMAL && formats[f] == DCFG_FORMAT_YAML)
                minimal = out;
            else
                dcfg_free(out);
        }
    }
    if (dstack && minimal) {
        dcfg_config *back = NULL;
        dcfg_diags *d = NULL;
        dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
        o.format = DCFG_FORMAT_YAML;
        dcfg_status st = dcfg_config_parse(&back, &d, minimal, strlen(minimal), &o);
        if (st != DCFG_OK) {
            fprintf(stderr, "built configuration does not parse back (%s):\n%s\n", dcfg_status_string(st), minimal);
            for (size_t i = 0; i < dcfg_diags_count(d); i++)
                fprintf(stderr, "  %s: %s\n", dcfg_diag_path(dcfg_diags_at(d, i)),
                        dcfg_diag_message(dcfg_diags_at(d, i)));
            abort();
        }
        char *again = NULL;
        size_t len = 0;
        FZ_ASSERT(dcfg_config_emit(&again, &len, back, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0) == DCFG_OK, "emit");
        if (strcmp(again, dstack)) {
            fprintf(stderr, "built configuration reads back differently:\n%s\n--- built\n%s\n--- read back\n%s\n",
                    minimal, dstack, again);
            abort();
        }
        dcfg_free(again);
        dcfg_config_free(back);
        dcfg_diags_free(d);
    }
    dcfg_free(dstack);
    dcfg_free(minimal);
}

static dcfg_status one_op(dcfg_config *cfg, dcfg_diags **d, fzb_input *in)
{
    unsigned op = take_byte(in) % 9;
    unsigned pi = take_byte(in);
    char path[256], text[256];
    if (pi < NPATHS)
        snprintf(path, sizeof path, "%s", paths[pi]);
    else
        take_text(in, path, sizeof path);
    switch (op) {
    case 0:
        return dcfg_config_set_int(cfg, d, path, (dcfg_int64)take_u64(in));
    case 1: {
        uint64_t bits = take_u64(in);
        double f;
        memcpy(&f, &bits, sizeof f);
        return dcfg_config_set_float(cfg, d, path, f);
    }
    case 2:
        return dcfg_config_set_bool(cfg, d, path, (int)take_byte(in) - 1);
    case 3:
    case 4: {
        unsigned ti = take_byte(in);
        if (ti < NTEXTS)
            snprintf(text, sizeof text, "%s", texts[ti]);
        else
            take_text(in, text, sizeof text);
        return op == 3 ? dcfg_config_set_string(cfg, d, path, text) : dcfg_config_set_value(cfg, d, path, text);
    }
    case 5:
        return dcfg_config_set_null(cfg, d, path);
    case 6:
        return dcfg_config_unset(cfg, d, path);
    case 7:
        return dcfg_config_set_value(cfg, d, path, NULL); /* must be a usage error */
    default:
        return dcfg_config_validate(cfg, d);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fzb_input in = { data, size };
    unsigned ctl = take_byte(&in);
    fz_counter cnt;
    memset(&cnt, 0, sizeof cnt);
    if (ctl & FZB_FAIL_ALLOC) {
        cnt.fail_at = 1 + (size_t)take_byte(&in);
        cnt.fail_rest = (ctl & FZB_FAIL_REST) != 0;
    }
    dcfg_allocator al = ca_allocator(&cnt);
    dcfg_config *cfg = NULL;
    dcfg_status st;
    int nomem = 0;
    if (ctl & FZB_FROM_FILE) {
        static const char file[] = "type: service\nport: 8000\nimage: nginx\nenv: [A=1]\n";
        dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
        o.allocator = &al;
        st = dcfg_config_parse(&cfg, NULL, file, sizeof file - 1, &o);
    } else {
        st = dcfg_config_new(&cfg, &al);
    }
    FZ_ASSERT(st == DCFG_OK || (st == DCFG_ENOMEM && cnt.refused), "start: %s", dcfg_status_string(st));
    nomem = st == DCFG_ENOMEM;

    for (int n = 0; cfg && in.left && n < FZB_MAX_OPS; n++) {
        char *before = snapshot(cfg, &nomem);
        dcfg_diags *d = NULL;
        st = one_op(cfg, &d, &in);
        FZ_ASSERT(status_ok_for_setter(st), "status %d", (int)st);
        FZ_ASSERT(st != DCFG_ENOMEM || cnt.refused, "out of memory without a failed allocation");
        nomem |= st == DCFG_ENOMEM;
        if (d) {
            size_t errors = fz_check_diags(d, cnt.fail_at != 0, &nomem);
            FZ_ASSERT(st != DCFG_OK || errors == 0, "OK with %zu errors", errors);
            FZ_ASSERT(st != DCFG_EINVALID || errors > 0, "invalid without an error diagnostic");
        } else {
            FZ_ASSERT(st == DCFG_ENOMEM || st == DCFG_EUSAGE, "no diagnostics list with %s", dcfg_status_string(st));
        }
        dcfg_diags_free(d);
        if (st != DCFG_OK && before) {
            char *after = snapshot(cfg, &nomem);
            if (after && strcmp(before, after)) {
                fprintf(stderr, "a failed call (%s) changed the configuration:\n--- before\n%s\n--- after\n%s\n",
                        dcfg_status_string(st), before, after);
                abort();
            }
            dcfg_free(after);
        }
        dcfg_free(before);
        if (st == DCFG_OK) {
            dcfg_status vs = dcfg_config_validate(cfg, NULL);
            nomem |= vs == DCFG_ENOMEM;
            if (vs == DCFG_OK)
                check_valid_config(cfg, &cnt, &nomem);
        }
    }
    dcfg_config_free(cfg);
    FZ_ASSERT(cnt.live == 0, "%zu blocks leaked", cnt.live);
    FZ_ASSERT(!cnt.refused || nomem, "allocation %zu failed but nothing said out of memory", cnt.fail_at);
    return 0;
}
