/* dcfg_config_diff: the update column of the tables, normalization, dstack's
 * special cases, the verdict, ownership and out-of-memory behaviour. */
#include <stdio.h>
#include <string.h>
#include "suites.h"
#include "config_impl.h"
#include "schema/service/areas.h"
#include "counting_alloc.h"

static dcfg_config *parse_with(const char *src, const dcfg_allocator *al)
{
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.allocator = al;
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    dcfg_status st = dcfg_config_parse(&cfg, &d, src, strlen(src), &o);
    for (size_t i = 0; st != DCFG_OK && i < dcfg_diags_count(d); i++)
        fprintf(stderr, "%s: %s\n", dcfg_diag_path(dcfg_diags_at(d, i)), dcfg_diag_message(dcfg_diags_at(d, i)));
    ck_assert_int_eq(st, DCFG_OK);
    dcfg_diags_free(d);
    return cfg;
}

static dcfg_diff *diff_of(const char *a, const char *b)
{
    dcfg_config *x = parse_with(a, NULL), *y = parse_with(b, NULL);
    dcfg_diff *d = NULL;
    ck_assert_int_eq(dcfg_config_diff(&d, x, y, NULL), DCFG_OK);
    dcfg_config_free(x);
    dcfg_config_free(y);
    return d;
}

static const dcfg_change *change_at(const dcfg_diff *d, const char *path)
{
    for (size_t i = 0; i < dcfg_diff_count(d); i++)
        if (!strcmp(dcfg_change_path(dcfg_diff_at(d, i)), path))
            return dcfg_diff_at(d, i);
    ck_abort_msg("no change at %s", path);
    return NULL;
}

#define BASE "type: service\nport: 8000\ncommands: [serve]\n"

/* ---- the update column ------------------------------------------------------------ */

/* dstack 0.22.5's lists (server/services/runs/spec.py), written out again
 * here so a table edit that drifts from them fails. */
static const char *const in_place[] = { "replicas", "groups", "scaling", "gateway", "priority", NULL };
static const char *const rolling[] = { "port", "probes", "resources", "volumes", "docker", "files", "image", "user",
                                       "privileged", "entrypoint", "working_dir", "python", "nvcc", "single_branch",
                                       "env", "shell", "commands", NULL };

static int listed(const char *const *l, const char *k)
{
    for (; *l; l++)
        if (!strcmp(*l, k))
            return 1;
    return 0;
}

START_TEST(every_root_field_declares_dstacks_class)
{
    size_t n = 0;
    for (const dcfg__field *f = dcfg__service_schema.fields; f->key; f++, n++) {
        dcfg_update_class want = listed(in_place, f->key) ? DCFG_UPDATE_IN_PLACE
                                 : listed(rolling, f->key) ? DCFG_UPDATE_ROLLING
                                                           : DCFG_UPDATE_RESTART;
        ck_assert_msg(DCFG__FIELD_UPDATE(f) == want, "%s: class %d, want %d", f->key, DCFG__FIELD_UPDATE(f), want);
        ck_assert_int_eq(dcfg__update_class_of(f->key), want);
    }
    ck_assert_uint_gt(n, 50);
}
END_TEST

START_TEST(nested_fields_inherit_unless_declared)
{
    ck_assert_int_eq(dcfg__update_class_of("resources.gpu.memory.min"), DCFG_UPDATE_ROLLING);
    ck_assert_int_eq(dcfg__update_class_of("probes[2].headers[0].value"), DCFG_UPDATE_ROLLING);
    ck_assert_int_eq(dcfg__update_class_of("retry.duration"), DCFG_UPDATE_RESTART);
    ck_assert_int_eq(dcfg__update_class_of("scaling.target"), DCFG_UPDATE_IN_PLACE);
    ck_assert_int_eq(dcfg__update_class_of("env.HF_TOKEN"), DCFG_UPDATE_ROLLING);
    /* groups is in place, but what a group's replicas run rolls */
    ck_assert_int_eq(dcfg__update_class_of("groups"), DCFG_UPDATE_IN_PLACE);
    ck_assert_int_eq(dcfg__update_class_of("groups[3].replicas.max"), DCFG_UPDATE_IN_PLACE);
    ck_assert_int_eq(dcfg__update_class_of("groups[0].scaling.window"), DCFG_UPDATE_IN_PLACE);
    ck_assert_int_eq(dcfg__update_class_of("groups[12].commands"), DCFG_UPDATE_ROLLING);
    ck_assert_int_eq(dcfg__update_class_of("groups[0].resources.cpu.count.min"), DCFG_UPDATE_ROLLING);
    ck_assert_int_eq(dcfg__update_class_of("groups[1].name"), DCFG_UPDATE_ROLLING);
    ck_assert_int_eq(dcfg__update_class_of("groups[0].router.type"), DCFG_UPDATE_RESTART);
    ck_assert_int_eq(dcfg__update_class_of("no_such_field"), DCFG_UPDATE_RESTART);
    ck_assert_int_eq(dcfg__update_class_of(""), DCFG_UPDATE_RESTART);
}
END_TEST

START_TEST(every_group_field_declares_a_class)
{
    const dcfg__schema *g = NULL;
    for (const dcfg__doc_object *d = dcfg__replicas_docs; d->path; d++)
        if (!strcmp(d->path, "groups[]"))
            g = d->schema;
    ck_assert_ptr_nonnull(g);
    for (const dcfg__field *f = g->fields; f->key; f++)
        ck_assert_msg(DCFG__FIELD_UPDATE(f) != DCFG_UPDATE_NONE, "groups[].%s has no class", f->key);
}
END_TEST

START_TEST(class_names)
{
    ck_assert_str_eq(dcfg_update_class_name(DCFG_UPDATE_NONE), "none");
    ck_assert_str_eq(dcfg_update_class_name(DCFG_UPDATE_IN_PLACE), "in-place");
    ck_assert_str_eq(dcfg_update_class_name(DCFG_UPDATE_ROLLING), "rolling");
    ck_assert_str_eq(dcfg_update_class_name(DCFG_UPDATE_RESTART), "restart");
    ck_assert_ptr_null(dcfg_update_class_name((dcfg_update_class)7));
}
END_TEST

/* ---- normalization: the same configuration spelled differently ------------------ */

static void assert_same(const char *a, const char *b)
{
    dcfg_diff *d = diff_of(a, b);
    ck_assert_msg(dcfg_diff_count(d) == 0, "%zu changes, first %s", dcfg_diff_count(d),
                  dcfg_diff_count(d) ? dcfg_change_path(dcfg_diff_at(d, 0)) : "");
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_NONE);
    dcfg_diff_free(d);
}

START_TEST(spellings_of_one_value_are_no_change)
{
    assert_same(BASE, "type: service\nport: \"8000\"\ncommands: [serve]\n");
    assert_same(BASE, "type: service\nport: {container_port: 8000, local_port: 80}\ncommands: [serve]\n");
    assert_same(BASE "resources: {gpu: 24GB}\n", BASE "resources: {gpu: {memory: 24GB}}\n");
    assert_same(BASE "resources: {gpu: A100:2}\n", BASE "resources: {gpu: {name: [A100], count: 2}}\n");
    assert_same(BASE "replicas: 2\n", BASE "replicas: 2..2\n");
    assert_same(BASE "env: [A=1, B=2]\n", BASE "env: {B: \"2\", A: 1}\n");
    assert_same(BASE "auth: yes\nmax_duration: 1h\n", BASE "max_duration: 3600\nauth: true\n");
    assert_same("commands: [serve]\nport: 8000\ntype: service\nimage: x\n", "image: x\ntype: service\nport: 8000\ncommands: [serve]\n");
    assert_same(BASE "python: 3.10\n", BASE "python: \"3.10\"\n");
    /* dstack's server sets an unset priority to 0 before it compares */
    assert_same(BASE, BASE "priority: 0\n");
}
END_TEST

/* ---- changes, values and the verdict ------------------------------------------------ */

START_TEST(values_are_dstack_view_json)
{
    dcfg_diff *d = diff_of(BASE "env: {A: x, GONE: y}\n", BASE "env: {A: z, NEW: \"1\"}\nimage: nginx\n");
    const dcfg_change *c = change_at(d, "env.A");
    ck_assert_str_eq(dcfg_change_old(c), "\"x\"");
    ck_assert_str_eq(dcfg_change_new(c), "\"z\"");
    c = change_at(d, "env.GONE");
    ck_assert_ptr_null(dcfg_change_new(c));
    c = change_at(d, "env.NEW");
    ck_assert_ptr_null(dcfg_change_old(c));
    ck_assert_str_eq(dcfg_change_new(c), "\"1\"");
    c = change_at(d, "image");
    ck_assert_str_eq(dcfg_change_old(c), "null");
    ck_assert_int_eq(dcfg_change_class(c), DCFG_UPDATE_ROLLING);
    ck_assert_ptr_null(dcfg_change_reason(c));
    ck_assert_uint_eq(dcfg_diff_count(d), 4);
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_ROLLING);
    ck_assert_ptr_null(dcfg_diff_at(d, 4));
    dcfg_diff_free(d);

    d = diff_of(BASE "resources: {gpu: 24GB}\n", BASE "resources: {gpu: 40GB}\n");
    ck_assert_str_eq(dcfg_change_new(change_at(d, "resources.gpu.memory.min")), "40.0");
    ck_assert_uint_eq(dcfg_diff_count(d), 2);
    dcfg_diff_free(d);
}
END_TEST

START_TEST(verdict_is_the_strongest_class)
{
    dcfg_diff *d = diff_of(BASE, BASE "replicas: 3\npriority: 5\n");
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_IN_PLACE);
    dcfg_diff_free(d);
    d = diff_of(BASE, BASE "replicas: 3\nimage: x\n");
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_ROLLING);
    dcfg_diff_free(d);
    d = diff_of(BASE, BASE "replicas: 3\nimage: x\nauth: false\n");
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_RESTART);
    ck_assert_int_eq(dcfg_change_class(change_at(d, "replicas")), DCFG_UPDATE_IN_PLACE);
    ck_assert_int_eq(dcfg_change_class(change_at(d, "auth")), DCFG_UPDATE_RESTART);
    dcfg_diff_free(d);
    /* list items compare one by one when the lengths agree */
    d = diff_of(BASE "volumes: [/a:/a, /b:/b]\n", BASE "volumes: [/a:/a, /c:/b]\n");
    ck_assert_int_eq(dcfg_change_class(change_at(d, "volumes[1].instance_path")), DCFG_UPDATE_ROLLING);
    dcfg_diff_free(d);
}
END_TEST

/* ---- dstack's special cases --------------------------------------------------------- */

START_TEST(https_null_and_true_are_interchangeable)
{
    dcfg_diff *d = diff_of(BASE, BASE "https: true\n");
    const dcfg_change *c = change_at(d, "https");
    ck_assert_int_eq(dcfg_change_class(c), DCFG_UPDATE_IN_PLACE);
    ck_assert_ptr_nonnull(dcfg_change_reason(c));
    dcfg_diff_free(d);
    d = diff_of(BASE, BASE "https: false\n");
    ck_assert_int_eq(dcfg_change_class(change_at(d, "https")), DCFG_UPDATE_RESTART);
    dcfg_diff_free(d);
    d = diff_of(BASE "priority: 0\n", BASE "priority: 1\n");
    ck_assert_int_eq(dcfg_change_class(change_at(d, "priority")), DCFG_UPDATE_IN_PLACE);
    dcfg_diff_free(d);
    d = diff_of(BASE "https: true\n", BASE "https: auto\n");
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_RESTART);
    dcfg_diff_free(d);
}
END_TEST

#define GROUPS(r0, r1, extra) \
    "type: service\nport: 8000\ngroups:\n" \
    "  - {name: a, replicas: 1, commands: [x]" r0 "}\n" \
    "  - {name: b, replicas: 1, commands: [y]" r1 "}\n" extra

START_TEST(router_group_identity)
{
    /* adding a router, moving it, renaming its group: restart */
    dcfg_diff *d = diff_of(GROUPS("", "", ""), GROUPS(", router: {type: smg}", "", ""));
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_RESTART);
    ck_assert_int_eq(dcfg_change_class(change_at(d, "groups[0].router")), DCFG_UPDATE_RESTART);
    dcfg_diff_free(d);
    d = diff_of(GROUPS(", router: {type: smg}", "", ""), GROUPS("", ", router: {type: smg}", ""));
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_RESTART);
    dcfg_diff_free(d);
    d = diff_of(GROUPS(", router: {type: smg}", "", ""),
                "type: service\nport: 8000\ngroups:\n  - {name: c, replicas: 1, commands: [x], router: {type: smg}}\n"
                "  - {name: b, replicas: 1, commands: [y]}\n");
    ck_assert_int_eq(dcfg_change_class(change_at(d, "groups[0].name")), DCFG_UPDATE_RESTART);
    dcfg_diff_free(d);
    /* renaming a group without the router rolls */
    d = diff_of(GROUPS(", router: {type: smg}", "", ""),
                "type: service\nport: 8000\ngroups:\n  - {name: a, replicas: 1, commands: [x], router: {type: smg}}\n"
                "  - {name: c, replicas: 1, commands: [y]}\n");
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_ROLLING);
    dcfg_diff_free(d);
    /* router type: restart */
    d = diff_of(GROUPS(", router: {type: smg}", "", ""), GROUPS(", router: {type: dynamo}", "", ""));
    ck_assert_int_eq(dcfg_change_class(change_at(d, "groups[0].router.type")), DCFG_UPDATE_RESTART);
    dcfg_diff_free(d);
    /* with an smg router, group and top-level changes keep their class */
    d = diff_of(GROUPS(", router: {type: smg}", "", ""), GROUPS(", router: {type: smg}", ", replicas: 3", "image: x\n"));
    ck_assert_int_eq(dcfg_change_class(change_at(d, "groups[1].replicas.min")), DCFG_UPDATE_IN_PLACE);
    ck_assert_int_eq(dcfg_change_class(change_at(d, "image")), DCFG_UPDATE_ROLLING);
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_ROLLING);
    dcfg_diff_free(d);
}
END_TEST

START_TEST(dynamo_router_blocks_rolling_changes)
{
    /* a rolling top-level field re-provisions a Dynamo router */
    dcfg_diff *d = diff_of(GROUPS(", router: {type: dynamo}", "", ""), GROUPS(", router: {type: dynamo}", "", "image: x\n"));
    const dcfg_change *c = change_at(d, "image");
    ck_assert_int_eq(dcfg_change_class(c), DCFG_UPDATE_RESTART);
    ck_assert_ptr_nonnull(dcfg_change_reason(c));
    dcfg_diff_free(d);
    /* the router group itself may not change */
    d = diff_of(GROUPS(", router: {type: dynamo}", "", ""), GROUPS(", router: {type: dynamo}, image: z", "", ""));
    ck_assert_int_eq(dcfg_change_class(change_at(d, "groups[0].image")), DCFG_UPDATE_RESTART);
    dcfg_diff_free(d);
    /* other groups, and in-place fields, may */
    d = diff_of(GROUPS(", router: {type: dynamo}", "", ""), GROUPS(", router: {type: dynamo}", ", image: z", "priority: 3\n"));
    ck_assert_int_eq(dcfg_change_class(change_at(d, "groups[1].image")), DCFG_UPDATE_ROLLING);
    ck_assert_int_eq(dcfg_change_class(change_at(d, "priority")), DCFG_UPDATE_IN_PLACE);
    ck_assert_int_eq(dcfg_diff_verdict(d), DCFG_UPDATE_ROLLING);
    dcfg_diff_free(d);
}
END_TEST

/* ---- API contract ---------------------------------------------------------------------- */

START_TEST(usage_errors)
{
    dcfg_config *a = parse_with(BASE, NULL);
    dcfg_diff *d = (dcfg_diff *)1;
    ck_assert_int_eq(dcfg_config_diff(&d, a, NULL, NULL), DCFG_EUSAGE);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(dcfg_config_diff(NULL, a, a, NULL), DCFG_EUSAGE);
    dcfg_diff_options o = DCFG_DIFF_OPTIONS_INIT;
    o.version = 99;
    ck_assert_int_eq(dcfg_config_diff(&d, a, a, &o), DCFG_EUSAGE);
    o.version = DCFG_DIFF_OPTIONS_VERSION;
    ck_assert_int_eq(dcfg_config_diff(&d, a, a, &o), DCFG_OK);
    ck_assert_uint_eq(dcfg_diff_count(d), 0);
    dcfg_diff_free(d);
    /* a configuration being built that does not validate */
    dcfg_config *b = NULL;
    ck_assert_int_eq(dcfg_config_new(&b, NULL), DCFG_OK);
    ck_assert_int_eq(dcfg_config_diff(&d, a, b, NULL), DCFG_EINVALID);
    dcfg_config_free(b);
    dcfg_config_free(a);
    dcfg_diff_free(NULL);
    ck_assert_uint_eq(dcfg_diff_count(NULL), 0);
    ck_assert_ptr_null(dcfg_diff_at(NULL, 0));
    ck_assert_int_eq(dcfg_diff_verdict(NULL), DCFG_UPDATE_NONE);
    ck_assert_ptr_null(dcfg_change_path(NULL));
}
END_TEST

START_TEST(every_allocation_failure_is_enomem_without_leaks)
{
    ca_counter cnt = { 0 };
    dcfg_allocator al = ca_allocator(&cnt);
    dcfg_config *a = parse_with(BASE "env: {A: x}\nresources: {gpu: 24GB}\n", &al);
    dcfg_config *b = parse_with(BASE "env: {A: y, B: z}\nimage: q\nresources: {gpu: 40GB}\n", &al);
    size_t before = cnt.live, calls = cnt.calls;
    dcfg_diff *d = NULL;
    ck_assert_int_eq(dcfg_config_diff(&d, a, b, NULL), DCFG_OK);
    size_t needed = cnt.calls - calls;
    dcfg_diff_free(d);
    ck_assert_uint_eq(cnt.live, before);
    ck_assert_uint_gt(needed, 2);
    for (size_t k = 1; k <= needed; k++) {
        cnt.calls = 0;
        cnt.fail_at = k;
        d = (dcfg_diff *)1;
        ck_assert_int_eq(dcfg_config_diff(&d, a, b, NULL), DCFG_ENOMEM);
        ck_assert_ptr_null(d);
        ck_assert_uint_eq(cnt.live, before);
    }
    cnt.fail_at = 0;
    dcfg_config_free(a);
    dcfg_config_free(b);
    ck_assert_uint_eq(cnt.live, 0);
}
END_TEST

Suite *diff_suite(void)
{
    Suite *s = suite_create("diff");
    TCase *t = tcase_create("diff");
    tcase_add_test(t, every_root_field_declares_dstacks_class);
    tcase_add_test(t, nested_fields_inherit_unless_declared);
    tcase_add_test(t, every_group_field_declares_a_class);
    tcase_add_test(t, class_names);
    tcase_add_test(t, spellings_of_one_value_are_no_change);
    tcase_add_test(t, values_are_dstack_view_json);
    tcase_add_test(t, verdict_is_the_strongest_class);
    tcase_add_test(t, https_null_and_true_are_interchangeable);
    tcase_add_test(t, router_group_identity);
    tcase_add_test(t, dynamo_router_blocks_rolling_changes);
    tcase_add_test(t, usage_errors);
    tcase_add_test(t, every_allocation_failure_is_enomem_without_leaks);
    suite_add_tcase(s, t);
    return s;
}
