/* Serialization: YAML text, the three views, the builder API. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "config_impl.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static dcfg_config *parse_ok(const char *src)
{
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    dcfg_status st = dcfg_config_parse(&cfg, &d, src, strlen(src), NULL);
    if (st != DCFG_OK)
        for (size_t i = 0; i < dcfg_diags_count(d); i++)
            fprintf(stderr, "%s: %s\n", dcfg_diag_path(dcfg_diags_at(d, i)), dcfg_diag_message(dcfg_diags_at(d, i)));
    ck_assert_int_eq(st, DCFG_OK);
    dcfg_diags_free(d);
    return cfg;
}

static char *emit(const dcfg_config *cfg, dcfg_view view, dcfg_format fmt)
{
    char *s = NULL;
    size_t len = 0;
    ck_assert_int_eq(dcfg_config_emit(&s, &len, cfg, view, fmt, DCFG_EMIT_PRETTY), DCFG_OK);
    ck_assert_uint_eq(len, strlen(s));
    return s;
}

static char *emit_src(const char *src, dcfg_view view, dcfg_format fmt)
{
    dcfg_config *cfg = parse_ok(src);
    char *s = emit(cfg, view, fmt);
    dcfg_config_free(cfg);
    return s;
}

/* YAML text of one string value, as the only item of a list. */
static char *yaml_of_string(const char *s, size_t len)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__node *seq = dcfg__mk_seq(&a, 1), *str = dcfg__mk_str(&a, s, len);
    ck_assert_ptr_nonnull(seq);
    ck_assert_ptr_nonnull(str);
    dcfg__seq_push(seq, str);
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    ck_assert_int_eq(dcfg__emit_yaml(&b, seq, 0), DCFG_OK);
    char *out = dcfg__buf_take(&b);
    dcfg__arena_free(&a);
    return out;
}

/* Loads YAML with the library's PyYAML-compatible reader. */
static dcfg__node *load_yaml(dcfg__arena *a, const char *text)
{
    dcfg_diags *d = dcfg__diags_new(&dcfg__default_allocator, NULL);
    dcfg__load ld = { .arena = a, .diags = d, .limits = { 1 << 24, 64, 100000, 1 << 20 } };
    dcfg__node *root = NULL;
    dcfg_status st = dcfg__yaml_load(&root, text, strlen(text), &ld, 0);
    if (st != DCFG_OK)
        for (size_t i = 0; i < dcfg_diags_count(d); i++)
            fprintf(stderr, "load: %s\n---\n%s---\n", dcfg_diag_message(dcfg_diags_at(d, i)), text);
    ck_assert_int_eq(st, DCFG_OK);
    dcfg_diags_free(d);
    return root;
}

/* The string written as YAML loads back as the same string. */
static void string_round_trips(const char *s, size_t len)
{
    char *y = yaml_of_string(s, len);
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__node *root = load_yaml(&a, y);
    ck_assert_int_eq(root->type, DCFG__SEQ);
    ck_assert_uint_eq(root->n, 1);
    const dcfg__node *n = root->kids[0];
    if (n->type != DCFG__STR || n->len != len || memcmp(n->str, s, len))
        ck_abort_msg("string %.*s written as %s does not read back", (int)len, s, y);
    dcfg__arena_free(&a);
    free(y);
}

/* ---- YAML scalars -------------------------------------------------------------------------------- */

static const char *const retyped[] = {
    "3.10", "3.1", "off", "Off", "OFF", "on", "yes", "no", "No", "y", "n", "Y", "true", "False", "null",
    "Null", "~", "", "80", "-1", "+1", "007", "08", "0x1F", "0o17", "0b101", "1_000", "1e3", "1.0e+3",
    "1:30", "190:20:30", "1:30.5", ".5", "-.5", ".inf", "-.Inf", ".nan", "1.", "2024-01-01",
    "2001-12-14 21:59:43.10 -5", "=", "<<", NULL,
};

START_TEST(yaml_quotes_what_a_reader_would_retype)
{
    for (size_t i = 0; retyped[i]; i++) {
        ck_assert_msg(dcfg__yaml_retypes(retyped[i], strlen(retyped[i])), "%s", retyped[i]);
        ck_assert_msg(!dcfg__yaml_plain_ok(retyped[i], strlen(retyped[i])), "%s", retyped[i]);
        char *y = yaml_of_string(retyped[i], strlen(retyped[i]));
        ck_assert_msg(y[2] == '"', "%s written as %s", retyped[i], y);
        free(y);
        string_round_trips(retyped[i], strlen(retyped[i]));
    }
}
END_TEST

static const char *const plain[] = {
    "A100:80GB:2", "1..2", "..4", "2..", "80GB", "5m", "2h", "/v1", "-c", "8080:8000", "vllm/vllm-openai:latest",
    "${{ secrets.HF_TOKEN }}", "a,b", "x86", "http://host:8080/repo.git", "python3 -m http.server", "café",
    "nvidia", "it's", "a:b", "1.2.3", "100GB..1TB", "0 8 * * *", "3.10a", NULL,
};

START_TEST(yaml_keeps_readable_strings_plain)
{
    for (size_t i = 0; plain[i]; i++) {
        ck_assert_msg(dcfg__yaml_plain_ok(plain[i], strlen(plain[i])), "%s", plain[i]);
        char *y = yaml_of_string(plain[i], strlen(plain[i]));
        ck_assert_msg(!strncmp(y + 2, plain[i], strlen(plain[i])), "%s written as %s", plain[i], y);
        free(y);
        string_round_trips(plain[i], strlen(plain[i]));
    }
}
END_TEST

START_TEST(yaml_quotes_syntax_characters)
{
    static const char *const s[] = {
        " lead", "trail ", "a: b", "a:", "#x", "a #b", "- x", "-", "---", "--- x", "...", "[x]", "{x}", "*a",
        "&a", "!t", "|", ">", "'q", "\"q", "%x", "@x", "`x", "?x", ":x", ",x", "tab\there", "cr\rx", "\x01",
        "del\x7f", "nel\xc2\x85", "ls\xe2\x80\xa8", "bom\xef\xbb\xbf", NULL,
    };
    for (size_t i = 0; s[i]; i++) {
        ck_assert_msg(!dcfg__yaml_plain_ok(s[i], strlen(s[i])), "%s", s[i]);
        string_round_trips(s[i], strlen(s[i]));
    }
    string_round_trips("nul\0x", 5);
    string_round_trips("back\\slash \"q\" it's", strlen("back\\slash \"q\" it's"));
}
END_TEST

START_TEST(yaml_multiline_strings_are_literal_blocks)
{
    char *y = yaml_of_string("echo a\necho b\n", 14);
    ck_assert_str_eq(y, "- |\n  echo a\n  echo b\n");
    free(y);
    y = yaml_of_string("a\nb", 3);
    ck_assert_str_eq(y, "- |-\n  a\n  b\n");
    free(y);
    y = yaml_of_string("a\n\n", 3);
    ck_assert_str_eq(y, "- |+\n  a\n\n");
    free(y);
    y = yaml_of_string("  indented\nx\n", 13);
    ck_assert_str_eq(y, "- |2\n    indented\n  x\n");
    free(y);
    /* trailing white space on a line or line separators: double quotes */
    y = yaml_of_string("a \nb", 4);
    ck_assert_str_eq(y, "- \"a \\nb\"\n");
    free(y);
    static const char *const s[] = {
        "a\nb", "a\nb\n", "a\n\n", "a\n\n\n", "\nlead", "\n\nlead\n", "  x\n y\n", "x\n\n  y\n", "#c\n# d\n",
        "{% for m in messages %}\n{{ m.content }}\n{% endfor %}", "- a\n- b", "key: v\nk2: v2\n", "---\n...\n",
        "\ttab\nx", "a\r\nb", "\n", "\n\n", " \n", "a\n \nb", "é\n中文\n", NULL,
    };
    for (size_t i = 0; s[i]; i++)
        string_round_trips(s[i], strlen(s[i]));
}
END_TEST

START_TEST(yaml_lone_surrogates_are_escaped)
{
    /* the generalized UTF-8 the reader makes of "\udd00", also in a multi-line string */
    char *y = yaml_of_string("x\xed\xb4\x80y", 5);
    ck_assert_str_eq(y, "- \"x\\uDD00y\"\n");
    free(y);
    static const struct { const char *s; size_t len; } s[] = {
        { "\xed\xa0\x80", 3 }, { "\xed\xbf\xbf\xed\xa0\x80", 6 }, { "a\n\xed\xb0\x80\n", 6 },
    };
    for (size_t i = 0; i < sizeof s / sizeof *s; i++)
        string_round_trips(s[i].s, s[i].len);
}
END_TEST

/* The text after "- " of a one-item list holding a number. */
static void float_text(double f, const char *want)
{
    dcfg__arena a;
    dcfg__arena_init(&a, &dcfg__default_allocator);
    dcfg__node *seq = dcfg__mk_seq(&a, 1);
    dcfg__seq_push(seq, dcfg__mk_float(&a, f));
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    ck_assert_int_eq(dcfg__emit_yaml(&b, seq, 0), DCFG_OK);
    char *y = dcfg__buf_take(&b);
    ck_assert_str_eq(y + 2, want);
    dcfg__node *back = load_yaml(&a, y);
    ck_assert_int_eq(back->kids[0]->type, DCFG__FLOAT);
    if (isnan(f))
        ck_assert(isnan(back->kids[0]->v.f));
    else
        ck_assert(back->kids[0]->v.f == f && signbit(back->kids[0]->v.f) == signbit(f));
    free(y);
    dcfg__arena_free(&a);
}

START_TEST(yaml_floats_read_back_as_floats)
{
    float_text(8.0, "8.0\n");
    float_text(0.5, "0.5\n");
    float_text(1e20, "1.0e+20\n");
    float_text(1.5e-7, "1.5e-07\n");
    float_text(1e-7, "1.0e-07\n");
    float_text(-0.0, "-0.0\n");
    float_text(INFINITY, ".inf\n");
    float_text(-INFINITY, "-.inf\n");
    float_text(NAN, ".nan\n");
    float_text(0.1 + 0.2, "0.30000000000000004\n");
}
END_TEST

START_TEST(yaml_keys_are_quoted_too)
{
    static const char src[] = "type: service\nport: 80\nimage: x\nenv: {\"yes\": a, \"1\": b, \"a: b\": c, \"\": d}\n";
    char *y = emit_src(src, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
    ck_assert_ptr_nonnull(strstr(y, "env:\n  \"yes\": a\n  \"1\": b\n  \"a: b\": c\n  \"\": d\n"));
    dcfg_config *cfg = parse_ok(y);
    char *again = emit(cfg, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
    ck_assert_str_eq(again, y);
    dcfg_free(again);
    dcfg_config_free(cfg);
    dcfg_free(y);
}
END_TEST

START_TEST(yaml_long_keys_use_explicit_form)
{
    char key[1300];
    memset(key, 'K', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    size_t n = strlen(key) + 64;
    char *src = malloc(n);
    snprintf(src, n, "type: service\nport: 80\nimage: x\nenv:\n  %s: v\n", key);
    char *y = emit_src(src, DCFG_VIEW_DSTACK, DCFG_FORMAT_YAML);
    ck_assert_ptr_nonnull(strstr(y, "  ? \"KKK"));
    dcfg_config *cfg = parse_ok(y);
    ck_assert_str_eq(dcfg_config_env_name(cfg, 0), key);
    dcfg_config_free(cfg);
    dcfg_free(y);
    free(src);
}
END_TEST

/* ---- the views ------------------------------------------------------------------------------------ */

static const char llm[] =
    "type: service\n"
    "name: llama-svc\n"
    "image: vllm/vllm-openai:latest\n"
    "env:\n  - HF_TOKEN\n  - MODEL=meta-llama/Llama-3.1-8B-Instruct\n"
    "commands:\n  - vllm serve $MODEL --port 8000\n"
    "port: 8000\n"
    "model: meta-llama/Llama-3.1-8B-Instruct\n"
    "replicas: 1..2\n"
    "scaling:\n  metric: rps\n  target: 10\n"
    "resources:\n  gpu: A100:80GB:2\n  disk: 200GB..\n"
    "volumes:\n  - my-vol:/data/\n"
    "max_duration: 2h\n"
    "spot_policy: auto\n";

START_TEST(minimal_view_is_what_was_written)
{
    char *y = emit_src(llm, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
    ck_assert_str_eq(y,
                     "type: service\n"
                     "name: llama-svc\n"
                     "port: 8000\n"
                     "model: meta-llama/Llama-3.1-8B-Instruct\n"
                     "scaling:\n  metric: rps\n  target: 10\n"
                     "replicas: 1..2\n"
                     "commands:\n  - vllm serve $MODEL --port 8000\n"
                     "image: vllm/vllm-openai:latest\n"
                     "env:\n  - HF_TOKEN\n  - MODEL=meta-llama/Llama-3.1-8B-Instruct\n"
                     "resources:\n  gpu: A100:80GB:2\n  disk: 200GB..\n"
                     "volumes:\n  - my-vol:/data\n"
                     "spot_policy: auto\n"
                     "max_duration: 2h\n");
    dcfg_free(y);
    char *j = emit_src(llm, DCFG_VIEW_MINIMAL, DCFG_FORMAT_JSON);
    ck_assert_ptr_nonnull(strstr(j, "\"port\": 8000,\n"));
    ck_assert_ptr_nonnull(strstr(j, "\"replicas\": \"1..2\",\n"));
    dcfg_free(j);
}
END_TEST

START_TEST(minimal_view_keeps_explicit_values_and_drops_defaulting_nulls)
{
    static const char src[] = "port: 80\ntype: service\nimage: x\nauth: true\nhttps: null\ngateway: null\n"
                              "resources:\n  gpu: null\n";
    char *y = emit_src(src, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
    ck_assert_str_eq(y, "type: service\nport: 80\nauth: true\nimage: x\nresources:\n  gpu: null\n");
    dcfg_free(y);
}
END_TEST

START_TEST(minimal_view_shorthands)
{
    static const struct { const char *in, *want; } t[] = {
        { "port: {container_port: 8000, local_port: 80}\n", "port: 8000\n" },
        { "port: \"8080:8000\"\n", "port: 8080:8000\n" },
        { "port: {container_port: 8000}\n", "port:\n  container_port: 8000\n" },
        { "gateway: {name: gw}\n", "gateway: gw\n" },
        { "gateway: {name: gw, project: p}\n", "gateway: p/gw\n" },
        { "gateway: {name: \"yes\"}\n", "gateway:\n  name: \"yes\"\n" },
        { "model: {name: m, format: openai}\n", "model: m\n" },
        { "model: {name: m, format: openai, prefix: /v2}\n", "model:\n  name: m\n  format: openai\n  prefix: /v2\n" },
        { "replicas: {min: 2, max: 2}\n", "replicas: 2\n" },
        { "stop_duration: 300\n", "stop_duration: 5m\n" },
        { "stop_duration: 90\n", "stop_duration: 90\n" },
        { "idle_duration: -1\n", "idle_duration: \"off\"\n" },
        { "max_price: 2.0\n", "max_price: 2\n" },
        { "max_price: 0.5\n", "max_price: 0.5\n" },
        { "env: {A: \"1\", B: {key: B}}\n", "env:\n  - A=1\n  - B\n" },
        { "env: {A: \"x\\ny\"}\n", "env:\n  A: |-\n    x\n    y\n" },
        { "env: {\"not a name\": x}\n", "env:\n  not a name: x\n" },
        { "env: []\n", "env: []\n" },
        { "python: 3.10\n", "python: \"3.10\"\n" },
        { "resources: {cpu: {count: {min: 4}}, memory: {min: 16}}\n", "resources:\n  cpu: 4..\n  memory: 16GB..\n" },
        { "resources: {gpu: {name: A100, count: 2}}\n", "resources:\n  gpu: A100:2\n" },
        { "resources: {gpu: {compute_capability: 8.6}}\n", "resources:\n  gpu:\n    compute_capability: \"8.6\"\n" },
        { "resources: {disk: {size: 100GB..}}\n", "resources:\n  disk: 100GB..\n" },
        { "volumes: [{name: v, path: /d}, {instance_path: /a, path: /b}]\n", "volumes:\n  - v:/d\n  - /a:/b\n" },
        { "files: [{local_path: x, path: x}]\n", "files:\n  - x\n" },
        { "repos: [{url: \"https://github.com/o/r\"}]\n", "repos:\n  - https://github.com/o/r\n" },
        { "schedule: {cron: [\"0 8 * * *\"]}\n", "schedule:\n  cron: 0 8 * * *\n" },
        { "fleets: [{name: f}]\n", "fleets:\n  - f\n" },
        { "retry: true\n", "retry: true\n" },
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char src[512];
        int has_port = !strncmp(t[i].in, "port", 4);
        snprintf(src, sizeof src, "type: service\n%s%scommands: [x]\n", has_port ? "" : "port: 80\n", t[i].in);
        char *y = emit_src(src, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
        if (!strstr(y, t[i].want))
            ck_abort_msg("%s\ngave\n%s\nwant\n%s", t[i].in, y, t[i].want);
        dcfg_free(y);
    }
}
END_TEST

START_TEST(minimal_view_keeps_docker_string_beside_image)
{
    /* dstack only rejects docker beside image when docker is a YAML boolean */
    static const char src[] = "type: service\nport: 80\nimage: x\ndocker: \"true\"\n";
    char *y = emit_src(src, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
    ck_assert_ptr_nonnull(strstr(y, "docker: \"true\"\n"));
    dcfg_config *cfg = parse_ok(y);
    dcfg_config_free(cfg);
    dcfg_free(y);
}
END_TEST

START_TEST(minimal_view_leaves_out_position_names_of_groups)
{
    static const char src[] = "type: service\nport: 80\nreplicas:\n  - count: 1\n    commands: [a]\n"
                              "  - count: 0..2\n    image: y\n    scaling: {metric: rps, target: 1}\n"
                              "  - {name: \"2\", count: 3, image: z}\n";
    char *y = emit_src(src, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
    ck_assert_str_eq(y, "type: service\nport: 80\ngroups:\n  - replicas: 1\n    commands:\n      - a\n"
                        "  - replicas: 0..2\n    scaling:\n      metric: rps\n      target: 1\n    image: \"y\"\n"
                        "  - name: \"2\"\n    replicas: 3\n    image: z\n");
    dcfg_free(y);
}
END_TEST

/* dstack dumps "..-3" as 0..-3, which it refuses: the minimal view writes
 * the open bound again, and a view it cannot repair keeps real booleans. */
START_TEST(minimal_view_keeps_an_open_replica_minimum)
{
    static const char top[] = "type: service\nport: 80\nimage: x\nreplicas: \"..-3\"\n"
                              "scaling: {metric: rps, target: 1}\n";
    static const char group[] = "type: service\nport: 80\nimage: x\nreplicas:\n  - count: \"..-3\"\n"
                                "    scaling: {metric: rps, target: 1}\n";
    const char *const srcs[] = { top, group };
    for (size_t i = 0; i < 2; i++) {
        char *y = emit_src(srcs[i], DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
        ck_assert_ptr_nonnull(strstr(y, "replicas:\n"));
        ck_assert_ptr_nonnull(strstr(y, "max: -3\n"));
        ck_assert_ptr_null(strstr(y, "min:"));
        dcfg_config *a = parse_ok(srcs[i]), *b = parse_ok(y);
        char *ja = emit(a, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON), *jb = emit(b, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON);
        ck_assert_str_eq(ja, jb);
        char *e = emit(a, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_JSON);
        ck_assert_ptr_nonnull(strstr(e, "\"auth\": true,"));
        ck_assert_ptr_null(strstr(e, "\"true\""));
        dcfg_free(e);
        dcfg_free(ja);
        dcfg_free(jb);
        dcfg_config_free(a);
        dcfg_config_free(b);
        dcfg_free(y);
    }
}
END_TEST

/* JSON has no infinity; pydantic's null would read back as another value. */
START_TEST(json_views_write_infinity_as_text)
{
    static const char src[] = "type: service\nport: 80\nimage: x\nmax_price: .inf\nscaling: {metric: rps, target: .inf}\n"
                              "resources: {memory: infGB.., gpu: {memory: 1e999GB}, disk: .inf, shm_size: -.inf}\n";
    static const dcfg_view readable[] = { DCFG_VIEW_MINIMAL, DCFG_VIEW_EFFECTIVE };
    for (size_t v = 0; v < 2; v++) {
        char *j = emit_src(src, readable[v], DCFG_FORMAT_JSON);
        ck_assert_ptr_nonnull(strstr(j, "\"max_price\": \"inf\""));
        ck_assert_ptr_nonnull(strstr(j, "\"shm_size\": \"-inf\""));
        dcfg_config *back = parse_ok(j);
        char *again = emit(back, readable[v], DCFG_FORMAT_JSON);
        ck_assert_str_eq(again, j);
        dcfg_free(again);
        dcfg_config_free(back);
        dcfg_free(j);
    }
    char *d = emit_src(src, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON); /* pydantic's form */
    ck_assert_ptr_nonnull(strstr(d, "\"max_price\": null"));
    dcfg_free(d);
}
END_TEST

START_TEST(effective_view_resolves_server_defaults)
{
    dcfg_config *cfg = parse_ok(llm);
    char *j = emit(cfg, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_JSON);
    dcfg_config_free(cfg);
    dcfg_config *eff = parse_ok(j);
    const struct { const char *path; const char *want; } s[] = {
        { "probes[0].type", "http" },
        { "probes[0].method", "post" },
        { "probes[0].url", "/v1/chat/completions" },
        { "probes[0].headers[0].name", "Content-Type" },
        { "probes[0].headers[0].value", "application/json" },
        { "probes[0].body",
          "{\"model\": \"meta-llama/Llama-3.1-8B-Instruct\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1}" },
        { "max_duration", NULL },
        { "spot_policy", "auto" },
        { "creation_policy", "reuse-or-create" },
        { "startup_order", "any" },
        { "stop_criteria", "all-done" },
        { "shell", "/bin/sh" },
    };
    for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
        const char *got = dcfg_value_string(dcfg_config_get(eff, s[i].path), NULL);
        if (s[i].want)
            ck_assert_msg(got && !strcmp(got, s[i].want), "%s: %s", s[i].path, got ? got : "(null)");
    }
    const struct { const char *path; long long want; } n[] = {
        { "stop_duration", 300 }, { "idle_duration", 300 }, { "priority", 0 }, { "scaling.window", 60 },
        { "probes[0].timeout", 30 }, { "probes[0].interval", 15 }, { "probes[0].ready_after", 1 },
        { "max_duration", 7200 }, { "resources.gpu.count.min", 2 },
    };
    for (size_t i = 0; i < sizeof n / sizeof *n; i++)
        ck_assert_msg(dcfg_value_int(dcfg_config_get(eff, n[i].path)) == n[i].want, "%s", n[i].path);
    ck_assert_int_eq(dcfg_config_https(eff), DCFG_HTTPS_TRUE);
    ck_assert_int_eq(dcfg_config_single_branch(eff), DCFG_TRUE);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(eff, "retry")), DCFG_VALUE_BOOL);
    ck_assert(!dcfg_value_bool(dcfg_config_get(eff, "retry")));
    /* an image is set: no vendor or CPU architecture is implied */
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(eff, "resources.gpu.vendor")), DCFG_VALUE_NULL);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(eff, "resources.cpu.arch")), DCFG_VALUE_NULL);
    /* the effective view is its own effective view */
    char *again = emit(eff, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_JSON);
    ck_assert_str_eq(again, j);
    dcfg_free(again);
    dcfg_free(j);
    dcfg_config_free(eff);
}
END_TEST

START_TEST(effective_view_of_a_bare_service)
{
    dcfg_config *cfg = parse_ok("type: service\nport: 80\ncommands: [python app.py]\nnvcc: true\n");
    char *j = emit(cfg, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_YAML);
    dcfg_config_free(cfg);
    dcfg_config *eff = parse_ok(j);
    ck_assert_str_eq(dcfg_config_image(eff), "dstackai/base:0.16-devel-ubuntu24.04");
    ck_assert_str_eq(dcfg_config_shell(eff), "/bin/bash");
    ck_assert_int_eq(dcfg_value_int(dcfg_config_get(eff, "replicas.min")), 1);
    ck_assert_int_eq(dcfg_value_int(dcfg_config_get(eff, "replicas.max")), 1);
    ck_assert_uint_eq(dcfg_value_count(dcfg_config_get(eff, "probes")), 0);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(eff, "probes")), DCFG_VALUE_LIST);
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(eff, "resources.gpu.vendor"), NULL), "nvidia");
    ck_assert_int_eq(dcfg_value_int(dcfg_config_get(eff, "resources.gpu.count.min")), 0);
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(eff, "resources.cpu.arch"), NULL), "x86");
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(eff, "spot_policy"), NULL), "on-demand");
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(eff, "max_duration"), NULL), "off");
    char *again = emit(eff, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_YAML);
    ck_assert_str_eq(again, j);
    dcfg_free(again);
    dcfg_free(j);
    dcfg_config_free(eff);
}
END_TEST

START_TEST(effective_view_fills_probes_retry_and_docker)
{
    dcfg_config *cfg = parse_ok("type: service\nport: 80\ncommands: [x]\ndocker: true\nretry: true\n"
                                "probes: [{type: http, body: b}]\nscaling: {metric: rps, target: 1}\n");
    char *j = emit(cfg, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_JSON);
    dcfg_config_free(cfg);
    dcfg_config *eff = parse_ok(j);
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(eff, "probes[0].url"), NULL), "/");
    /* the method dstack uses is get, but a written `get` with a body is invalid: left unset */
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(eff, "probes[0].method")), DCFG_VALUE_NULL);
    ck_assert_int_eq(dcfg_value_int(dcfg_config_get(eff, "probes[0].timeout")), 10);
    ck_assert_int_eq(dcfg_value_int(dcfg_config_get(eff, "probes[0].interval")), 15);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(eff, "probes[0].until_ready")), DCFG_VALUE_BOOL);
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(eff, "retry.on_events[2]"), NULL), "error");
    ck_assert_int_eq(dcfg_value_int(dcfg_config_get(eff, "retry.duration")), 3600);
    ck_assert_int_eq(dcfg_config_privileged(eff), 1);
    ck_assert_ptr_null(dcfg_config_image(eff)); /* docker-in-docker: dstack's dind image, not written */
    /* scaling without a range: the count stays unset (1..1 with scaling would be invalid) */
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(eff, "replicas")), DCFG_VALUE_NULL);
    ck_assert_int_eq(dcfg_value_int(dcfg_config_get(eff, "scaling.window")), 60);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(eff, "resources.gpu.vendor")), DCFG_VALUE_NULL);
    dcfg_free(j);
    dcfg_config_free(eff);
}
END_TEST

START_TEST(effective_probe_body_is_python_json)
{
    dcfg_config *cfg = parse_ok("type: service\nport: 80\nimage: x\nmodel: {name: \"m\\\"é\xf0\x9f\x98\x80\", format: openai, prefix: /api/}\n");
    char *j = emit(cfg, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_YAML);
    dcfg_config_free(cfg);
    dcfg_config *eff = parse_ok(j);
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(eff, "probes[0].url"), NULL), "/api/chat/completions");
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(eff, "probes[0].body"), NULL),
                     "{\"model\": \"m\\\"\\u00e9\\ud83d\\ude00\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1}");
    dcfg_free(j);
    dcfg_config_free(eff);
    /* a prefix that is no URL path gives no probe that could be written back */
    cfg = parse_ok("type: service\nport: 80\nimage: x\nmodel: {name: m, format: openai, prefix: v1}\n");
    j = emit(cfg, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_JSON);
    ck_assert_ptr_nonnull(strstr(j, "\"probes\": null"));
    dcfg_free(j);
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(dstack_view_yaml_has_every_field)
{
    char *y = emit_src("type: service\nport: 80\nimage: x\n", DCFG_VIEW_DSTACK, DCFG_FORMAT_YAML);
    ck_assert(!strncmp(y, "port:\n  local_port: 80\n  container_port: 80\ngateway: null\nstrip_prefix: true\n", 74));
    ck_assert_ptr_nonnull(strstr(y, "\nrate_limits: []\n"));
    ck_assert_ptr_nonnull(strstr(y, "\nenv: {}\n"));
    ck_assert_ptr_nonnull(strstr(y, "\n  memory:\n    min: 8.0\n    max: null\n"));
    ck_assert_ptr_nonnull(strstr(y, "\nbackend_options: null\n"));
    dcfg_free(y);
}
END_TEST

START_TEST(every_view_round_trips)
{
    static const char *const srcs[] = {
        llm,
        "type: service\nport: 80\nimage: x\n",
        "type: service\nport: 80\nreplicas:\n  - count: 1\n    commands: [a]\n  - name: b\n    count: 0..2\n    scaling: {metric: rps, target: 1}\n    image: y\n",
        "type: service\nport: \"1:30\"\ncommands:\n  - |\n    multi\n    line\npython: 3.12\nenv: {X: \"off\", Y: \"3.10\"}\ntags: {a: \"yes\"}\n",
        "type: service\nport: 80\nimage: x\nmodel: {format: tgi, name: t, chat_template: \"a\\n  b\\n\"}\nresources: {gpu: null, shm_size: 1.5}\n",
    };
    static const dcfg_view views[] = { DCFG_VIEW_DSTACK, DCFG_VIEW_EFFECTIVE, DCFG_VIEW_MINIMAL };
    static const dcfg_format fmts[] = { DCFG_FORMAT_JSON, DCFG_FORMAT_YAML };
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
        dcfg_config *cfg = parse_ok(srcs[i]);
        char *dstack = emit(cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON);
        char *effective = emit(cfg, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_JSON);
        for (size_t v = 0; v < 3; v++) {
            for (size_t f = 0; f < 2; f++) {
                char *one = emit(cfg, views[v], fmts[f]);
                dcfg_config *back = parse_ok(one);
                char *two = emit(back, views[v], fmts[f]);
                ck_assert_str_eq(one, two);
                char *check = emit(back, views[v] == DCFG_VIEW_EFFECTIVE ? DCFG_VIEW_EFFECTIVE : DCFG_VIEW_DSTACK,
                                   DCFG_FORMAT_JSON);
                ck_assert_str_eq(check, views[v] == DCFG_VIEW_EFFECTIVE ? effective : dstack);
                dcfg_free(check);
                dcfg_free(one);
                dcfg_free(two);
                dcfg_config_free(back);
            }
        }
        dcfg_free(dstack);
        dcfg_free(effective);
        dcfg_config_free(cfg);
    }
}
END_TEST

START_TEST(emit_rejects_bad_arguments)
{
    dcfg_config *cfg = parse_ok("type: service\nport: 80\nimage: x\n");
    char *s = (char *)1;
    size_t len = 9;
    ck_assert_int_eq(dcfg_config_emit(&s, &len, cfg, (dcfg_view)3, DCFG_FORMAT_JSON, 0), DCFG_EUSAGE);
    ck_assert_ptr_null(s);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(dcfg_config_emit(&s, NULL, cfg, DCFG_VIEW_DSTACK, (dcfg_format)7, 0), DCFG_EUSAGE);
    ck_assert_int_eq(dcfg_config_emit(NULL, NULL, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_YAML, 0), DCFG_EUSAGE);
    ck_assert_int_eq(dcfg_config_emit(&s, NULL, cfg, DCFG_VIEW_MINIMAL, DCFG_FORMAT_AUTO, 0), DCFG_OK);
    ck_assert(s[0] == '{');
    dcfg_free(s);
    dcfg_config_free(cfg);
}
END_TEST

/* ---- builder --------------------------------------------------------------------------------------- */

/* diagnostics are passed by address: read after the call they belong to */
static void set_ok(dcfg_status st, dcfg_diags **dp)
{
    dcfg_diags *d = *dp;
    *dp = NULL;
    if (st != DCFG_OK)
        for (size_t i = 0; i < dcfg_diags_count(d); i++)
            fprintf(stderr, "%s: %s\n", dcfg_diag_path(dcfg_diags_at(d, i)), dcfg_diag_message(dcfg_diags_at(d, i)));
    ck_assert_int_eq(st, DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(d), 0);
    dcfg_diags_free(d);
}

static void set_bad(dcfg_status st, dcfg_status want, dcfg_diags **dp, dcfg_diag_code code, const char *path)
{
    dcfg_diags *d = *dp;
    *dp = NULL;
    ck_assert_int_eq(st, want);
    ck_assert_uint_ge(dcfg_diags_count(d), 1);
    if (code) /* 0: any code */
        ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(d, 0)), code);
    ck_assert_str_eq(dcfg_diag_path(dcfg_diags_at(d, 0)), path);
    dcfg_diags_free(d);
}

START_TEST(builder_builds_a_service)
{
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    char *s = NULL;
    ck_assert_int_eq(dcfg_config_new(&cfg, NULL), DCFG_OK);
    ck_assert_str_eq(dcfg_config_type(cfg) ? dcfg_config_type(cfg) : "", "");
    ck_assert_int_eq(dcfg_config_emit(&s, NULL, cfg, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML, 0), DCFG_EINVALID);
    ck_assert_int_eq(dcfg_config_validate(cfg, &d), DCFG_EINVALID);
    ck_assert_uint_eq(dcfg_diags_count(d), 2);
    ck_assert_str_eq(dcfg_diag_path(dcfg_diags_at(d, 0)), "port");
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(d, 1)), DCFG_DIAG_REQUIRED); /* commands or image */
    dcfg_diags_free(d);

    set_ok(dcfg_config_set_int(cfg, &d, "port", 8000), &d);
    set_ok(dcfg_config_set_string(cfg, &d, "commands[0]", "python app.py"), &d);
    set_ok(dcfg_config_set_string(cfg, &d, "commands[1]", "echo done"), &d);
    set_ok(dcfg_config_set_string(cfg, &d, "python", "3.10"), &d);
    set_ok(dcfg_config_set_value(cfg, &d, "resources.gpu", "A100:80GB:2"), &d);
    set_ok(dcfg_config_set_value(cfg, &d, "env", "[HF_TOKEN, A=1]"), &d);
    set_ok(dcfg_config_set_string(cfg, &d, "env[2]", "B=off"), &d);
    /* env was given in its list form: no keys to address in it */
    set_bad(dcfg_config_set_string(cfg, &d, "env.C", "x"), DCFG_EINVALID, &d, DCFG_DIAG_WRONG_TYPE, "env");
    set_ok(dcfg_config_set_bool(cfg, &d, "auth", 0), &d);
    set_ok(dcfg_config_set_float(cfg, &d, "max_price", 1.5), &d);
    set_ok(dcfg_config_set_value(cfg, &d, "stop_duration", "5m"), &d);
    ck_assert_int_eq(dcfg_config_validate(cfg, &d), DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(d), 0);
    dcfg_diags_free(d);
    ck_assert_uint_eq(dcfg_config_port(cfg), 8000);
    ck_assert_int_eq(dcfg_config_auth(cfg), 0);
    ck_assert_str_eq(dcfg_config_python(cfg), "3.10");

    ck_assert_int_eq(dcfg_config_emit(&s, NULL, cfg, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML, 0), DCFG_OK);
    ck_assert_str_eq(s, "type: service\n"
                        "port: 8000\n"
                        "auth: false\n"
                        "commands:\n  - python app.py\n  - echo done\n"
                        "python: \"3.10\"\n"
                        "env:\n  - HF_TOKEN\n  - A=1\n  - B=off\n"
                        "resources:\n  gpu: A100:80GB:2\n"
                        "stop_duration: 5m\n"
                        "max_price: 1.5\n");
    dcfg_config *back = parse_ok(s);
    dcfg_free(s);
    char *a = emit(cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON), *b = emit(back, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON);
    ck_assert_str_eq(a, b);
    dcfg_free(a);
    dcfg_free(b);
    dcfg_config_free(back);
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(builder_rejects_bad_values_and_changes_nothing)
{
    dcfg_config *cfg = parse_ok("type: service\nport: 8000\nimage: x\nresources: {gpu: 24GB}\n");
    dcfg_diags *d = NULL;
    char *before = emit(cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON);

    set_bad(dcfg_config_set_int(cfg, &d, "port", 70000), DCFG_EINVALID, &d, DCFG_DIAG_INVALID_VALUE, "port");
    set_bad(dcfg_config_set_value(cfg, &d, "resources.gpu", "A100:80:2"), DCFG_EINVALID, &d, 0, "resources.gpu");
    set_bad(dcfg_config_set_value(cfg, &d, "replicas", "2.."), DCFG_EINVALID, &d, DCFG_DIAG_INVALID_VALUE, "replicas");
    set_bad(dcfg_config_set_string(cfg, &d, "spot_policy", "cheap"), DCFG_EINVALID, &d, DCFG_DIAG_UNSUPPORTED_VALUE,
            "spot_policy");
    set_bad(dcfg_config_set_bool(cfg, &d, "env.X", 1), DCFG_EINVALID, &d, DCFG_DIAG_WRONG_TYPE, "env.X");
    set_bad(dcfg_config_set_value(cfg, &d, "scaling", "{metric: rps}"), DCFG_EINVALID, &d, DCFG_DIAG_REQUIRED,
            "scaling.target");
    set_bad(dcfg_config_set_value(cfg, &d, "resources.gpus", "2"), DCFG_EINVALID, &d, DCFG_DIAG_UNKNOWN_FIELD,
            "resources.gpus");
    ck_assert_int_eq(dcfg_config_set_int(cfg, &d, "imgae", 1), DCFG_EINVALID);
    ck_assert_str_eq(dcfg_diag_message(dcfg_diags_at(d, 0)), "unknown field; did you mean \"image\"?");
    set_bad(DCFG_EINVALID, DCFG_EINVALID, &d, DCFG_DIAG_UNKNOWN_FIELD, "imgae");
    set_bad(dcfg_config_set_null(cfg, &d, "port"), DCFG_EINVALID, &d, DCFG_DIAG_WRONG_TYPE, "port");
    set_bad(dcfg_config_set_int(cfg, &d, "image.x", 1), DCFG_EINVALID, &d, DCFG_DIAG_WRONG_TYPE, "image");
    set_bad(dcfg_config_set_string(cfg, &d, "commands[3]", "x"), DCFG_EINVALID, &d, DCFG_DIAG_INVALID_VALUE,
            "commands[3]");
    set_bad(dcfg_config_set_string(cfg, &d, "name", "bad\xff"), DCFG_EINVALID, &d, DCFG_DIAG_ENCODING, "name");
    ck_assert_int_eq(dcfg_config_set_value(cfg, &d, "env", "[a, b"), DCFG_ESYNTAX);
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(d, 0)), DCFG_DIAG_SYNTAX);
    dcfg_diags_free(d);
    static const char *const bad_paths[] = { "", ".a", "a.", "a..b", "a[", "a[x]", "a[1", "[0]", "a]", "a[0]b", NULL };
    for (size_t i = 0; bad_paths[i]; i++) {
        ck_assert_int_eq(dcfg_config_set_int(cfg, &d, bad_paths[i], 1), DCFG_EUSAGE);
        dcfg_diags_free(d);
    }
    ck_assert_int_eq(dcfg_config_set_int(NULL, &d, "port", 1), DCFG_EUSAGE);
    ck_assert_int_eq(dcfg_config_set_string(cfg, &d, "name", NULL), DCFG_EUSAGE);
    ck_assert_int_eq(dcfg_config_set_value(cfg, NULL, "name", NULL), DCFG_EUSAGE);
    ck_assert_int_eq(dcfg_config_validate(NULL, &d), DCFG_EUSAGE);

    char *after = emit(cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON);
    ck_assert_str_eq(before, after);
    dcfg_free(before);
    dcfg_free(after);
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(builder_defers_rules_between_fields)
{
    dcfg_config *cfg = parse_ok("type: service\nport: 8000\nimage: x\n");
    dcfg_diags *d = NULL;
    char *s = NULL;
    set_ok(dcfg_config_set_value(cfg, &d, "python", "3.12"), &d);
    ck_assert_int_eq(dcfg_config_validate(cfg, &d), DCFG_EINVALID);
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(d, 0)), DCFG_DIAG_CONFLICT);
    dcfg_diags_free(d);
    ck_assert_int_eq(dcfg_config_emit(&s, NULL, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0), DCFG_EINVALID);
    ck_assert_ptr_null(dcfg_config_image(cfg)); /* nothing to read while it does not validate */
    set_ok(dcfg_config_unset(cfg, &d, "image"), &d);
    set_ok(dcfg_config_set_string(cfg, &d, "commands[0]", "python app.py"), &d);
    ck_assert_int_eq(dcfg_config_validate(cfg, &d), DCFG_OK);
    dcfg_diags_free(d);
    /* a range needs scaling: set one, then the other */
    set_ok(dcfg_config_set_value(cfg, &d, "replicas", "1..3"), &d);
    ck_assert_int_eq(dcfg_config_validate(cfg, &d), DCFG_EINVALID);
    dcfg_diags_free(d);
    set_ok(dcfg_config_set_string(cfg, &d, "scaling.metric", "rps"), &d);
    set_ok(dcfg_config_set_int(cfg, &d, "scaling.target", 5), &d);
    ck_assert_int_eq(dcfg_config_validate(cfg, &d), DCFG_OK);
    dcfg_diags_free(d);
    /* removing what a value needs is refused */
    set_bad(dcfg_config_unset(cfg, &d, "scaling.target"), DCFG_EINVALID, &d, DCFG_DIAG_REQUIRED, "scaling.target");
    /* removing what is not there is fine */
    set_ok(dcfg_config_unset(cfg, &d, "volumes[3]"), &d);
    set_ok(dcfg_config_unset(cfg, &d, "gateway"), &d);
    set_ok(dcfg_config_unset(cfg, &d, "no_such_field"), &d);
    /* explicit null differs from unset where the default is not null */
    set_ok(dcfg_config_set_null(cfg, &d, "resources.gpu"), &d);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(cfg, "resources.gpu")), DCFG_VALUE_NULL);
    set_ok(dcfg_config_unset(cfg, &d, "resources.gpu"), &d);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(cfg, "resources.gpu")), DCFG_VALUE_MAP);
    /* list items: append, replace, remove */
    set_ok(dcfg_config_set_value(cfg, &d, "probes[0]", "{type: http, url: /a}"), &d);
    set_ok(dcfg_config_set_string(cfg, &d, "probes[1].type", "http"), &d);
    set_ok(dcfg_config_set_string(cfg, &d, "probes[1].url", "/b"), &d);
    set_ok(dcfg_config_unset(cfg, &d, "probes[0]"), &d);
    ck_assert_uint_eq(dcfg_value_count(dcfg_config_get(cfg, "probes")), 1);
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(cfg, "probes[0].url"), NULL), "/b");
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(builder_edits_a_parsed_file)
{
    dcfg_config *cfg = parse_ok(llm);
    dcfg_diags *d = NULL;
    set_ok(dcfg_config_set_value(cfg, &d, "resources.gpu", "H100:8"), &d);
    set_ok(dcfg_config_set_int(cfg, &d, "port.container_port", 9000), &d);
    set_ok(dcfg_config_unset(cfg, &d, "max_duration"), &d);
    set_ok(dcfg_config_set_string(cfg, &d, "env.MODEL", "other/model"), &d);
    char *y = emit(cfg, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
    ck_assert_str_eq(y,
                     "type: service\n"
                     "name: llama-svc\n"
                     "port: 9000\n"
                     "model: meta-llama/Llama-3.1-8B-Instruct\n"
                     "scaling:\n  metric: rps\n  target: 10\n"
                     "replicas: 1..2\n"
                     "commands:\n  - vllm serve $MODEL --port 8000\n"
                     "image: vllm/vllm-openai:latest\n"
                     "env:\n  - HF_TOKEN\n  - MODEL=other/model\n"
                     "resources:\n  gpu: H100:8\n  disk: 200GB..\n"
                     "volumes:\n  - my-vol:/data\n"
                     "spot_policy: auto\n");
    dcfg_free(y);
    dcfg_config_free(cfg);
}
END_TEST

/* ---- allocation failures ------------------------------------------------------------------------------ */

#include "counting_alloc.h"
typedef ca_counter failing;

/* Parse + every view in both formats; under a failing allocator an emit
 * whose allocation failed says DCFG_ENOMEM, every other gives the same text
 * as without failures. */
static int views_under(failing *f, char **want, int record)
{
    dcfg_allocator al = ca_allocator(f);
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.allocator = &al;
    dcfg_config *cfg = NULL;
    dcfg_status st = dcfg_config_parse(&cfg, NULL, llm, strlen(llm), &o);
    if (st != DCFG_OK) {
        ck_assert_int_eq(st, DCFG_ENOMEM);
        return 1;
    }
    int failed = 0;
    for (int v = 0; v < 3; v++) {
        for (int fm = 1; fm <= 2; fm++) {
            char *s = NULL;
            size_t before = f->calls;
            st = dcfg_config_emit(&s, NULL, cfg, (dcfg_view)v, (dcfg_format)fm, 0);
            int hit = f->fail_at > before && f->fail_at <= f->calls;
            if (record) {
                ck_assert_int_eq(st, DCFG_OK);
                want[v * 2 + fm - 1] = strdup(s);
            } else if (hit) {
                ck_assert_msg(st == DCFG_ENOMEM, "view %d format %d: allocation %zu failed, status %s", v, fm,
                              f->fail_at, dcfg_status_string(st));
                failed = 1;
            } else {
                ck_assert_int_eq(st, DCFG_OK);
                ck_assert_str_eq(s, want[v * 2 + fm - 1]);
            }
            dcfg_free(s);
        }
    }
    dcfg_config_free(cfg);
    return failed;
}

START_TEST(views_survive_every_allocation_failure)
{
    char *want[6] = { 0 };
    failing f = { 0 };
    views_under(&f, want, 1);
    ck_assert_int_eq(f.live, 0);
    size_t total = f.calls;
    ck_assert_int_gt(total, 100);
    /* every allocation of a short run; a stride through the long tail */
    for (size_t k = 1; k <= total; k += k < 3000 ? 1 : 97) {
        failing g = { 0 };
        g.fail_at = k;
        views_under(&g, want, 0);
        ck_assert_msg(g.live == 0, "leak after failing allocation %zu", k);
    }
    for (int i = 0; i < 6; i++)
        free(want[i]);
}
END_TEST

/* The builder: a call whose allocation failed says DCFG_ENOMEM and leaves
 * the config unchanged; every other call gives its usual status. */
static void builder_under(failing *f)
{
    dcfg_allocator al = ca_allocator(f);
    dcfg_config *cfg = NULL;
    if (dcfg_config_new(&cfg, &al) != DCFG_OK)
        return;
    dcfg_diags *d = NULL;
    struct { const char *path, *text; dcfg_status want; } steps[] = {
        { "port", "8000", DCFG_OK }, { "commands", "[a, b]", DCFG_OK }, { "resources.gpu", "A100:2", DCFG_OK },
        { "env.A", "x", DCFG_OK }, { "replicas", "1..2", DCFG_OK },
        { "scaling", "{metric: rps, target: 3}", DCFG_OK }, { "port", "70000", DCFG_EINVALID },
        { "no_such_field", "1", DCFG_EINVALID }, { "name", NULL, DCFG_EINVALID }, /* NULL: invalid UTF-8 */
    };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        char *before = NULL;
        dcfg_config_emit(&before, NULL, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0);
        size_t calls = f->calls;
        dcfg_status st = steps[i].text ? dcfg_config_set_value(cfg, &d, steps[i].path, steps[i].text)
                                       : dcfg_config_set_string(cfg, &d, steps[i].path, "a\xff");
        int hit = f->fail_at > calls && f->fail_at <= f->calls;
        ck_assert_msg(st == (hit ? DCFG_ENOMEM : steps[i].want), "step %zu, allocation %zu: %s", i, f->fail_at,
                      dcfg_status_string(st));
        dcfg_diags_free(d);
        d = NULL;
        if (st != DCFG_OK && before) {
            char *after = NULL;
            if (dcfg_config_emit(&after, NULL, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0) == DCFG_OK)
                ck_assert_str_eq(before, after);
            dcfg_free(after);
        }
        dcfg_free(before);
    }
    dcfg_status st = dcfg_config_validate(cfg, &d);
    ck_assert(st == DCFG_OK || st == DCFG_EINVALID || st == DCFG_ENOMEM);
    dcfg_diags_free(d);
    dcfg_config_free(cfg);
}

START_TEST(builder_survives_every_allocation_failure)
{
    failing f = { 0 };
    builder_under(&f);
    ck_assert_int_eq(f.live, 0);
    for (size_t k = 1; k <= f.calls; k += k < 2000 ? 1 : 53) {
        failing g = { 0 };
        g.fail_at = k;
        builder_under(&g);
        ck_assert_msg(g.live == 0, "leak after failing allocation %zu", k);
    }
}
END_TEST

Suite *serialize_suite(void)
{
    Suite *s = suite_create("serialize");
    TCase *tc = tcase_create("yaml");
    tcase_add_test(tc, yaml_quotes_what_a_reader_would_retype);
    tcase_add_test(tc, yaml_keeps_readable_strings_plain);
    tcase_add_test(tc, yaml_quotes_syntax_characters);
    tcase_add_test(tc, yaml_multiline_strings_are_literal_blocks);
    tcase_add_test(tc, yaml_lone_surrogates_are_escaped);
    tcase_add_test(tc, yaml_floats_read_back_as_floats);
    tcase_add_test(tc, yaml_keys_are_quoted_too);
    tcase_add_test(tc, yaml_long_keys_use_explicit_form);
    suite_add_tcase(s, tc);
    tc = tcase_create("views");
    tcase_add_test(tc, minimal_view_is_what_was_written);
    tcase_add_test(tc, minimal_view_keeps_explicit_values_and_drops_defaulting_nulls);
    tcase_add_test(tc, minimal_view_shorthands);
    tcase_add_test(tc, minimal_view_keeps_docker_string_beside_image);
    tcase_add_test(tc, json_views_write_infinity_as_text);
    tcase_add_test(tc, minimal_view_leaves_out_position_names_of_groups);
    tcase_add_test(tc, minimal_view_keeps_an_open_replica_minimum);
    tcase_add_test(tc, effective_view_resolves_server_defaults);
    tcase_add_test(tc, effective_view_of_a_bare_service);
    tcase_add_test(tc, effective_view_fills_probes_retry_and_docker);
    tcase_add_test(tc, effective_probe_body_is_python_json);
    tcase_add_test(tc, dstack_view_yaml_has_every_field);
    tcase_add_test(tc, every_view_round_trips);
    tcase_add_test(tc, emit_rejects_bad_arguments);
    suite_add_tcase(s, tc);
    tc = tcase_create("builder");
    tcase_add_test(tc, builder_builds_a_service);
    tcase_add_test(tc, builder_rejects_bad_values_and_changes_nothing);
    tcase_add_test(tc, builder_defers_rules_between_fields);
    tcase_add_test(tc, builder_edits_a_parsed_file);
    suite_add_tcase(s, tc);
    tc = tcase_create("oom");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, views_survive_every_allocation_failure);
    tcase_add_test(tc, builder_survives_every_allocation_failure);
    suite_add_tcase(s, tc);
    return s;
}
