/* Shared by the fuzzing harnesses: input layout, a counting allocator that
 * can fail on demand, and the invariants every parse must keep. Anything
 * wrong ends in abort(), which libFuzzer, AFL++ and the replay main report.
 *
 * Input layout (harnesses fuzz_yaml and fuzz_json):
 *   byte 0      control: bits 0-1 flags (1 unknown keys as warnings,
 *               2 unknown keys ignored, 3 strict duplicates), bit 2 small
 *               limits, bit 3 fail an allocation (its index is byte 1),
 *               bit 4 and every allocation after it
 *   byte 1      only with bit 3: the allocation to fail, 1 + value
 *   the rest    the document
 * Seeds carry a control byte of 0 (fuzz/make_corpus.py adds it). */
#ifndef DCFG_FUZZ_COMMON_H
#define DCFG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dstackcfg/dstackcfg.h>

#define FZ_FLAGS_MASK 0x03u
#define FZ_SMALL_LIMITS 0x04u
#define FZ_FAIL_ALLOC 0x08u
#define FZ_FAIL_REST 0x10u

#define FZ_ASSERT(cond, ...)                                                                                \
    do {                                                                                                    \
        if (!(cond)) {                                                                                      \
            fprintf(stderr, "fuzz invariant broken at %s:%d: %s: ", __FILE__, __LINE__, #cond);             \
            fprintf(stderr, __VA_ARGS__);                                                                   \
            fputc('\n', stderr);                                                                            \
            abort();                                                                                        \
        }                                                                                                   \
    } while (0)

/* ---- counting allocator (fail_at / fail_rest set from the control byte) ---- */

#include "../tests/counting_alloc.h"
typedef ca_counter fz_counter;

/* ---- invariants --------------------------------------------------------------- */

static inline int fz_status_known(dcfg_status st)
{
    return st == DCFG_OK || st == DCFG_ESYNTAX || st == DCFG_EINVALID || st == DCFG_ENOMEM || st == DCFG_ELIMIT;
}

/* Every diagnostic is complete and formats; returns the number of errors. */
static inline size_t fz_check_diags(const dcfg_diags *d, int allow_nomem, int *nomem)
{
    size_t errors = 0;
    for (size_t i = 0; i < dcfg_diags_count(d); i++) {
        const dcfg_diag *g = dcfg_diags_at(d, i);
        FZ_ASSERT(g, "diagnostic %zu missing", i);
        FZ_ASSERT(strcmp(dcfg_diag_code_name(dcfg_diag_code_of(g)), "unknown") != 0, "code %d",
                  (int)dcfg_diag_code_of(g));
        FZ_ASSERT(dcfg_diag_message(g) && dcfg_diag_message(g)[0], "empty message");
        FZ_ASSERT(dcfg_diag_path(g), "NULL path");
        FZ_ASSERT(dcfg_diag_line(g) || !dcfg_diag_column(g), "column without line");
        errors += dcfg_diag_severity(g) == DCFG_SEVERITY_ERROR;
        char *line = NULL;
        dcfg_status st = dcfg_diag_format(&line, g, dcfg_diags_source(d));
        if (st == DCFG_ENOMEM && allow_nomem)
            *nomem = 1;
        else
            FZ_ASSERT(st == DCFG_OK && line, "dcfg_diag_format: %s", dcfg_status_string(st));
        dcfg_free(line);
    }
    char *json = NULL;
    dcfg_status st = dcfg_diags_to_json(&json, d);
    if (st == DCFG_ENOMEM && allow_nomem)
        *nomem = 1;
    else
        FZ_ASSERT(st == DCFG_OK && json && json[0] == '[', "dcfg_diags_to_json: %s", dcfg_status_string(st));
    dcfg_free(json);
    return errors;
}

/* Walks the whole value tree (accessors must accept whatever validation let through). */
static inline size_t fz_walk(const dcfg_value *v, unsigned depth)
{
    size_t n = 1;
    FZ_ASSERT(depth < 256, "value tree deeper than 256");
    switch (dcfg_value_kind_of(v)) {
    case DCFG_VALUE_STRING: {
        size_t len = 0;
        const char *s = dcfg_value_string(v, &len);
        FZ_ASSERT(s && s[len] == '\0', "string not terminated");
        break;
    }
    case DCFG_VALUE_LIST:
    case DCFG_VALUE_MAP:
        for (size_t i = 0; i < dcfg_value_count(v); i++) {
            if (dcfg_value_kind_of(v) == DCFG_VALUE_MAP) {
                size_t klen = 0;
                const char *k = dcfg_value_key(v, i, &klen);
                FZ_ASSERT(k && k == dcfg_value_key_at(v, i) && k[klen] == '\0', "map key %zu missing", i);
                if (strlen(k) == klen) /* keys with a NUL byte cannot be looked up by C string */
                    FZ_ASSERT(dcfg_value_get(v, k), "key \"%s\" not found again", k);
            }
            n += fz_walk(dcfg_value_at(v, i), depth + 1);
        }
        break;
    default:
        (void)dcfg_value_bool(v);
        (void)dcfg_value_int(v);
        (void)dcfg_value_float(v);
        break;
    }
    return n;
}

static inline void fz_touch_accessors(const dcfg_config *cfg)
{
    FZ_ASSERT(dcfg_config_type(cfg) && !strcmp(dcfg_config_type(cfg), "service"), "type");
    (void)dcfg_config_name(cfg);
    (void)dcfg_config_port(cfg);
    (void)dcfg_config_local_port(cfg);
    if (dcfg_config_gateway(cfg) == DCFG_GATEWAY_NAMED)
        FZ_ASSERT(dcfg_config_gateway_name(cfg), "named gateway without a name");
    (void)dcfg_config_gateway_project(cfg);
    (void)dcfg_config_https(cfg);
    (void)dcfg_config_strip_prefix(cfg);
    (void)dcfg_config_auth(cfg);
    (void)dcfg_config_model_format(cfg);
    (void)dcfg_config_model_name(cfg);
    (void)dcfg_config_model_prefix(cfg);
    (void)dcfg_config_model_chat_template(cfg);
    (void)dcfg_config_model_eos_token(cfg);
    for (size_t i = 0; i < dcfg_config_commands_count(cfg); i++)
        FZ_ASSERT(dcfg_config_command(cfg, i), "command %zu", i);
    for (size_t i = 0; i < dcfg_config_setup_count(cfg); i++)
        FZ_ASSERT(dcfg_config_setup(cfg, i), "setup %zu", i);
    (void)dcfg_config_command(cfg, dcfg_config_commands_count(cfg));
    (void)dcfg_config_image(cfg);
    (void)dcfg_config_user(cfg);
    (void)dcfg_config_privileged(cfg);
    (void)dcfg_config_entrypoint(cfg);
    (void)dcfg_config_working_dir(cfg);
    (void)dcfg_config_home_dir(cfg);
    (void)dcfg_config_registry_username(cfg);
    (void)dcfg_config_registry_password(cfg);
    (void)dcfg_config_python(cfg);
    (void)dcfg_config_nvcc(cfg);
    (void)dcfg_config_single_branch(cfg);
    (void)dcfg_config_docker(cfg);
    (void)dcfg_config_dstack(cfg);
    (void)dcfg_config_shell(cfg);
    (void)dcfg_config_priority(cfg);
    for (size_t i = 0; i < dcfg_config_env_count(cfg); i++)
        FZ_ASSERT(dcfg_config_env_name(cfg, i), "env name %zu", i);
    for (size_t i = 0; i < dcfg_config_env_count(cfg); i++)
        (void)dcfg_config_env_value(cfg, i);
    (void)dcfg_config_env_name(cfg, dcfg_config_env_count(cfg));
    static const char *const paths[] = { "resources.gpu.count.min", "replicas", "env", "port.container_port",
                                         "probes[0].url", "groups[1].name", "a..b", "[0]", "", ".", "env.",
                                         "resources.gpu.name[0]", "x[99999999999999999999]" };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        (void)dcfg_config_get(cfg, paths[i]);
    fz_walk(dcfg_config_root(cfg), 0);
}

/* Parses one input the way the control byte says and checks everything. */
static inline void fz_parse_one(const uint8_t *data, size_t size, dcfg_format fmt)
{
    if (size < 1)
        return;
    unsigned ctl = data[0];
    data++;
    size--;
    fz_counter cnt;
    memset(&cnt, 0, sizeof cnt);
    if (ctl & FZ_FAIL_ALLOC) {
        if (size < 1)
            return;
        cnt.fail_at = 1 + (size_t)data[0];
        cnt.fail_rest = (ctl & FZ_FAIL_REST) != 0;
        data++;
        size--;
    }
    dcfg_allocator al = ca_allocator(&cnt);
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.format = fmt;
    o.allocator = &al;
    o.source_name = "fuzz.dstack.yml";
    static const unsigned flag_sets[] = { 0, DCFG_PARSE_UNKNOWN_AS_WARNING, DCFG_PARSE_UNKNOWN_IGNORE,
                                          DCFG_PARSE_STRICT_DUPLICATES };
    o.flags = flag_sets[ctl & FZ_FLAGS_MASK];
    if (ctl & FZ_SMALL_LIMITS) {
        o.max_input_bytes = 4000;
        o.max_depth = 6;
        o.max_nodes = 300;
        o.max_string_bytes = 200;
    }

    dcfg_config *cfg = (dcfg_config *)&cnt;
    dcfg_diags *d = NULL;
    dcfg_status st = dcfg_config_parse(&cfg, &d, (const char *)data, size, &o);
    int nomem = st == DCFG_ENOMEM;
    FZ_ASSERT(fz_status_known(st), "status %d", (int)st);
    FZ_ASSERT(st != DCFG_ENOMEM || cnt.refused, "out of memory without a failed allocation");
    FZ_ASSERT((st == DCFG_OK) == (cfg != NULL), "status %s with config %p", dcfg_status_string(st), (void *)cfg);
    FZ_ASSERT(d || st == DCFG_ENOMEM, "no diagnostics list");
    size_t errors = d ? fz_check_diags(d, cnt.fail_at != 0, &nomem) : 0;
    if (st == DCFG_OK)
        FZ_ASSERT(errors == 0, "valid, but %zu errors", errors);
    else if (st != DCFG_ENOMEM)
        FZ_ASSERT(errors > 0, "%s without an error diagnostic", dcfg_status_string(st));
    if (cfg) {
        fz_touch_accessors(cfg);
        static const unsigned emit_flags[] = { 0, DCFG_EMIT_PRETTY };
        for (size_t i = 0; i < sizeof emit_flags / sizeof *emit_flags; i++) {
            char *out = NULL;
            size_t len = 0;
            dcfg_status es = dcfg_config_emit(&out, &len, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, emit_flags[i]);
            if (es == DCFG_ENOMEM && cnt.fail_at) {
                nomem = 1;
                FZ_ASSERT(!out && !len, "output on failure");
            } else {
                FZ_ASSERT(es == DCFG_OK && out && strlen(out) == len && len > 1, "emit: %s",
                          dcfg_status_string(es));
            }
            dcfg_free(out);
        }
    }
    dcfg_config_free(cfg);
    dcfg_diags_free(d);
    FZ_ASSERT(cnt.live == 0, "%zu blocks leaked", cnt.live);
    FZ_ASSERT(!cnt.refused || nomem, "allocation %zu failed but nothing said out of memory (status %s)", cnt.fail_at,
              dcfg_status_string(st));
}

#endif
