/* Public API: parsing entry points, options, accessors, emit, ownership. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "suites.h"
#include "config_impl.h"

static const char llm[] =
    "type: service\n"
    "name: llama\n"
    "port: \"8080:8000\"\n"
    "gateway: my-project/gw\n"
    "https: auto\n"
    "auth: no\n"
    "model: meta-llama/Llama-3.1-8B\n"
    "python: 3.10\n"
    "env:\n  - HF_TOKEN\n  - A=1\n  - EMPTY=\n"
    "commands:\n  - vllm serve\n  - echo ${{ run.args }}\n"
    "priority: 50.0\n";

static dcfg_config *parse_ok(const char *src)
{
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    dcfg_status st = dcfg_config_parse(&cfg, &d, src, strlen(src), NULL);
    if (st != DCFG_OK) {
        for (size_t i = 0; i < dcfg_diags_count(d); i++)
            fprintf(stderr, "%s: %s\n", dcfg_diag_path(dcfg_diags_at(d, i)), dcfg_diag_message(dcfg_diags_at(d, i)));
    }
    ck_assert_int_eq(st, DCFG_OK);
    dcfg_diags_free(d);
    return cfg;
}

static dcfg_diags *parse_bad(const char *src, dcfg_status want)
{
    dcfg_config *cfg = (dcfg_config *)1;
    dcfg_diags *d = NULL;
    ck_assert_int_eq(dcfg_config_parse(&cfg, &d, src, strlen(src), NULL), want);
    ck_assert_ptr_null(cfg);
    ck_assert_ptr_nonnull(d);
    return d;
}

START_TEST(accessors_read_normalized_values)
{
    dcfg_config *cfg = parse_ok(llm);
    ck_assert_str_eq(dcfg_config_type(cfg), "service");
    ck_assert_str_eq(dcfg_config_name(cfg), "llama");
    ck_assert_uint_eq(dcfg_config_port(cfg), 8000);
    ck_assert_uint_eq(dcfg_config_local_port(cfg), 8080);
    ck_assert_int_eq(dcfg_config_gateway(cfg), DCFG_GATEWAY_NAMED);
    ck_assert_str_eq(dcfg_config_gateway_name(cfg), "gw");
    ck_assert_str_eq(dcfg_config_gateway_project(cfg), "my-project");
    ck_assert_int_eq(dcfg_config_https(cfg), DCFG_HTTPS_AUTO);
    ck_assert_int_eq(dcfg_config_auth(cfg), 0);
    ck_assert_int_eq(dcfg_config_strip_prefix(cfg), 1);
    ck_assert_int_eq(dcfg_config_model_format(cfg), DCFG_MODEL_OPENAI);
    ck_assert_str_eq(dcfg_config_model_name(cfg), "meta-llama/Llama-3.1-8B");
    ck_assert_str_eq(dcfg_config_model_prefix(cfg), "/v1");
    ck_assert_ptr_null(dcfg_config_model_chat_template(cfg));
    ck_assert_str_eq(dcfg_config_python(cfg), "3.10");
    ck_assert_int_eq(dcfg_config_priority(cfg), 50);
    ck_assert_uint_eq(dcfg_config_commands_count(cfg), 2);
    ck_assert_str_eq(dcfg_config_command(cfg, 1), "echo ${{ run.args }}");
    ck_assert_ptr_null(dcfg_config_command(cfg, 2));
    ck_assert_str_eq(dcfg_config_home_dir(cfg), "/root");
    ck_assert_int_eq(dcfg_config_nvcc(cfg), DCFG_UNSET);
    ck_assert_int_eq(dcfg_config_privileged(cfg), 0);
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(env_placeholder_differs_from_empty_value)
{
    dcfg_config *cfg = parse_ok(llm);
    ck_assert_uint_eq(dcfg_config_env_count(cfg), 3);
    ck_assert_str_eq(dcfg_config_env_name(cfg, 0), "HF_TOKEN");
    ck_assert_ptr_null(dcfg_config_env_value(cfg, 0)); /* from the client's environment */
    ck_assert_str_eq(dcfg_config_env_value(cfg, 1), "1");
    ck_assert_str_eq(dcfg_config_env_value(cfg, 2), ""); /* set, and empty */
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(cfg, "env.HF_TOKEN.key"), NULL), "HF_TOKEN");
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(generic_values_by_path)
{
    dcfg_config *cfg = parse_ok(llm);
    const dcfg_value *min = dcfg_config_get(cfg, "resources.memory.min");
    ck_assert_int_eq(dcfg_value_kind_of(min), DCFG_VALUE_FLOAT);
    ck_assert(dcfg_value_float(min) == 8.0);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(cfg, "resources.cpu.count.min")), DCFG_VALUE_INT);
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_config_get(cfg, "commands")), DCFG_VALUE_LIST);
    ck_assert_str_eq(dcfg_value_string(dcfg_config_get(cfg, "commands[0]"), NULL), "vllm serve");
    ck_assert_ptr_null(dcfg_config_get(cfg, "commands[5]"));
    ck_assert_ptr_null(dcfg_config_get(cfg, "no.such.path"));
    const dcfg_value *root = dcfg_config_root(cfg);
    ck_assert_str_eq(dcfg_value_key_at(root, 0), "port");
    ck_assert_int_eq(dcfg_value_kind_of(dcfg_value_get(root, "scaling")), DCFG_VALUE_NULL);
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(detect_format_looks_at_the_first_character)
{
    ck_assert_int_eq(dcfg_detect_format("{\"type\": \"service\"}", 19), DCFG_FORMAT_JSON);
    ck_assert_int_eq(dcfg_detect_format("\xEF\xBB\xBF \r\n\t{", 8), DCFG_FORMAT_JSON);
    ck_assert_int_eq(dcfg_detect_format("type: service\n", 14), DCFG_FORMAT_YAML);
    ck_assert_int_eq(dcfg_detect_format("[1]", 3), DCFG_FORMAT_YAML); /* a root must be a mapping */
    ck_assert_int_eq(dcfg_detect_format("  {", 2), DCFG_FORMAT_YAML);  /* only the first len bytes */
    ck_assert_int_eq(dcfg_detect_format("", 0), DCFG_FORMAT_YAML);
    ck_assert_int_eq(dcfg_detect_format(NULL, 5), DCFG_FORMAT_YAML);
}
END_TEST

/* dstack takes any string as an environment name, NUL bytes included */
START_TEST(keys_with_nul_bytes_keep_their_length)
{
    static const char src[] = "{\"type\": \"service\", \"port\": 80, \"image\": \"x\", \"env\": {\"a\\u0000b\": \"1\"}}";
    dcfg_config *cfg = NULL;
    ck_assert_int_eq(dcfg_config_parse(&cfg, NULL, src, sizeof src - 1, NULL), DCFG_OK);
    const dcfg_value *env = dcfg_config_get(cfg, "env");
    size_t len = 0;
    const char *k = dcfg_value_key(env, 0, &len);
    ck_assert_uint_eq(len, 3);
    ck_assert_mem_eq(k, "a\0b", 4);
    ck_assert_ptr_eq(dcfg_value_key_at(env, 0), k);
    ck_assert_str_eq(dcfg_config_env_name(cfg, 0), "a"); /* a C string ends at the NUL */
    ck_assert_ptr_null(dcfg_value_key(env, 1, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_null(dcfg_value_key(dcfg_config_get(cfg, "image"), 0, NULL));
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(emit_json_has_dstack_key_order)
{
    dcfg_config *cfg = parse_ok("type: service\nport: 8000\nimage: x\n");
    char *json = NULL;
    size_t len = 0;
    ck_assert_int_eq(dcfg_config_emit(&json, &len, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0), DCFG_OK);
    ck_assert_uint_eq(len, strlen(json));
    static const char head[] = "{\"port\":{\"local_port\":80,\"container_port\":8000},\"gateway\":null,";
    ck_assert(strncmp(json, head, sizeof head - 1) == 0);
    ck_assert_ptr_nonnull(strstr(json, "\"memory\":{\"min\":8.0,\"max\":null}"));
    dcfg_free(json);
    dcfg_config_free(cfg);
}
END_TEST

START_TEST(bad_arguments_are_usage_errors)
{
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    dcfg_parse_options opts = DCFG_PARSE_OPTIONS_INIT;
    ck_assert_int_eq(dcfg_config_parse(NULL, &d, "a", 1, NULL), DCFG_EUSAGE);
    ck_assert_int_eq(dcfg_config_parse(&cfg, &d, NULL, 3, NULL), DCFG_EUSAGE);
    opts.version = 99;
    ck_assert_int_eq(dcfg_config_parse(&cfg, &d, "a", 1, &opts), DCFG_EUSAGE);
    ck_assert_ptr_null(cfg);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(dcfg_config_parse_file(&cfg, &d, "/nonexistent/x.yml", NULL), DCFG_EIO);
    char *s = NULL;
    ck_assert_int_eq(dcfg_config_emit(&s, NULL, NULL, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0), DCFG_EUSAGE);
    dcfg_config_free(NULL);
    dcfg_diags_free(NULL);
    dcfg_free(NULL);
}
END_TEST

START_TEST(all_errors_reported_in_document_order)
{
    static const char src[] = "type: service\nimage: x\nport: 0\npython: 3.10\nfoo: 1\nauth: maybe\n";
    dcfg_diags *d = parse_bad(src, DCFG_EINVALID);
    ck_assert_uint_eq(dcfg_diags_count(d), 4);
    const char *paths[] = { "port", "python", "foo", "auth" };
    dcfg_diag_code codes[] = { DCFG_DIAG_INVALID_VALUE, DCFG_DIAG_CONFLICT, DCFG_DIAG_UNKNOWN_FIELD,
                               DCFG_DIAG_INVALID_VALUE };
    for (unsigned i = 0; i < 4; i++) {
        const dcfg_diag *g = dcfg_diags_at(d, i);
        ck_assert_str_eq(dcfg_diag_path(g), paths[i]);
        ck_assert_int_eq(dcfg_diag_code_of(g), codes[i]);
        ck_assert_uint_eq(dcfg_diag_line(g), i + 3);
    }
    dcfg_diags_free(d);
}
END_TEST

START_TEST(binary_values_are_refused_in_every_kind_of_field)
{
    /* bytes from !!binary: a string, list item, mapping value and key of the schema */
    static const char src[] = "type: service\nimage: !!binary aGVsbG8=\nport: 80\n"
                              "commands:\n  - !!binary ZWNobw==\n"
                              "env:\n  A: !!binary eA==\n"
                              "? !!binary bmFtZQ==\n: x\n";
    dcfg_diags *d = parse_bad(src, DCFG_EINVALID);
    ck_assert_uint_eq(dcfg_diags_count(d), 4);
    const char *paths[] = { "image", "commands[0]", "env.A" };
    unsigned lines[] = { 2, 5, 7, 8 };
    for (unsigned i = 0; i < 4; i++) {
        const dcfg_diag *g = dcfg_diags_at(d, i);
        if (i < 3) {
            ck_assert_str_eq(dcfg_diag_path(g), paths[i]);
            ck_assert_int_eq(dcfg_diag_code_of(g), DCFG_DIAG_WRONG_TYPE);
        } else {
            ck_assert_int_eq(dcfg_diag_code_of(g), DCFG_DIAG_UNKNOWN_FIELD); /* bytes never equal "name" */
        }
        ck_assert_uint_eq(dcfg_diag_line(g), lines[i]);
    }
    dcfg_diags_free(d);
}
END_TEST

START_TEST(json_input_errors_get_positions)
{
    static const char src[] = "{\"type\": \"service\",\n \"image\": \"x\",\n \"port\": \"80:x\"}";
    dcfg_diags *d = parse_bad(src, DCFG_EINVALID);
    ck_assert_uint_eq(dcfg_diags_count(d), 1);
    ck_assert_str_eq(dcfg_diag_path(dcfg_diags_at(d, 0)), "port");
    ck_assert_uint_eq(dcfg_diag_line(dcfg_diags_at(d, 0)), 3);
    ck_assert_uint_ne(dcfg_diag_column(dcfg_diags_at(d, 0)), 0);
    dcfg_diags_free(d);
}
END_TEST

START_TEST(not_a_service)
{
    dcfg_diags *d = parse_bad("type: dev-environment\nide: vscode\n", DCFG_EINVALID);
    ck_assert_uint_eq(dcfg_diags_count(d), 1);
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(d, 0)), DCFG_DIAG_NOT_SERVICE);
    ck_assert_ptr_nonnull(strstr(dcfg_diag_message(dcfg_diags_at(d, 0)), "dev-environment"));
    dcfg_diags_free(d);
    d = parse_bad("port: 80\nimage: x\n", DCFG_EINVALID);
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(d, 0)), DCFG_DIAG_REQUIRED);
    ck_assert_str_eq(dcfg_diag_path(dcfg_diags_at(d, 0)), "type");
    dcfg_diags_free(d);
    d = parse_bad("- type: service\n", DCFG_EINVALID);
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(d, 0)), DCFG_DIAG_WRONG_TYPE);
    dcfg_diags_free(d);
}
END_TEST

START_TEST(unknown_key_modes)
{
    static const char src[] = "type: service\nport: 80\nimage: x\nimgae: y\n";
    dcfg_diags *d = parse_bad(src, DCFG_EINVALID);
    ck_assert_ptr_nonnull(strstr(dcfg_diag_message(dcfg_diags_at(d, 0)), "did you mean \"image\""));
    dcfg_diags_free(d);

    dcfg_parse_options opts = DCFG_PARSE_OPTIONS_INIT;
    dcfg_config *cfg = NULL;
    opts.flags = DCFG_PARSE_UNKNOWN_AS_WARNING;
    ck_assert_int_eq(dcfg_config_parse(&cfg, &d, src, sizeof src - 1, &opts), DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(d), 1);
    ck_assert_int_eq(dcfg_diag_severity(dcfg_diags_at(d, 0)), DCFG_SEVERITY_WARNING);
    dcfg_diags_free(d);
    dcfg_config_free(cfg);
    opts.flags = DCFG_PARSE_UNKNOWN_IGNORE;
    ck_assert_int_eq(dcfg_config_parse(&cfg, &d, src, sizeof src - 1, &opts), DCFG_OK);
    ck_assert_uint_eq(dcfg_diags_count(d), 0);
    dcfg_diags_free(d);
    dcfg_config_free(cfg);
}
END_TEST

/* Many variables: repeated names are still found (by a hash index, not a scan). */
START_TEST(env_duplicates_found_among_many)
{
    dcfg__buf b;
    dcfg__buf_init(&b, &dcfg__default_allocator);
    dcfg__buf_puts(&b, "type: service\nport: 80\nimage: x\nenv:\n");
    for (int i = 0; i < 20000; i++)
        dcfg__buf_printf(&b, "  - V%d=x\n", i);
    dcfg__buf_puts(&b, "  - V7\n");
    dcfg_diags *d = parse_bad(b.p, DCFG_EINVALID);
    ck_assert_uint_eq(dcfg_diags_count(d), 1);
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(d, 0)), DCFG_DIAG_DUPLICATE);
    ck_assert_str_eq(dcfg_diag_path(dcfg_diags_at(d, 0)), "env[20000]");
    dcfg_diags_free(d);
    dcfg__buf_free(&b);
}
END_TEST

#include "counting_alloc.h"

START_TEST(custom_allocator_sees_everything)
{
    ca_counter cnt = { 0 };
    dcfg_allocator al = ca_allocator(&cnt);
    dcfg_parse_options opts = DCFG_PARSE_OPTIONS_INIT;
    opts.allocator = &al;
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    ck_assert_int_eq(dcfg_config_parse(&cfg, &d, llm, sizeof llm - 1, &opts), DCFG_OK);
    ck_assert_uint_gt(cnt.calls, 0);
    char *json = NULL;
    ck_assert_int_eq(dcfg_config_emit(&json, NULL, cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0), DCFG_OK);
    dcfg_config_free(cfg);
    dcfg_diags_free(d);
    ck_assert_uint_gt(cnt.live, 0); /* the emitted string is still ours */
    dcfg_free(json);
    ck_assert_uint_eq(cnt.live, 0);
    ck_assert_uint_eq(cnt.bytes, 0);
}
END_TEST

Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("api");
    tcase_add_test(tc, accessors_read_normalized_values);
    tcase_add_test(tc, detect_format_looks_at_the_first_character);
    tcase_add_test(tc, keys_with_nul_bytes_keep_their_length);
    tcase_add_test(tc, env_placeholder_differs_from_empty_value);
    tcase_add_test(tc, generic_values_by_path);
    tcase_add_test(tc, emit_json_has_dstack_key_order);
    tcase_add_test(tc, bad_arguments_are_usage_errors);
    tcase_add_test(tc, all_errors_reported_in_document_order);
    tcase_add_test(tc, json_input_errors_get_positions);
    tcase_add_test(tc, not_a_service);
    tcase_add_test(tc, unknown_key_modes);
    tcase_add_test(tc, custom_allocator_sees_everything);
    tcase_add_test(tc, env_duplicates_found_among_many);
    tcase_add_test(tc, binary_values_are_refused_in_every_kind_of_field);
    suite_add_tcase(s, tc);
    return s;
}
