/* The table-driven engine and the root table itself. */
#include <string.h>
#include "suites.h"
#include "schema/schema.h"
#include "write/write.h"

static const char *const colors[] = { "red", "green", NULL };
static const dcfg__int_bounds small = { 0, 10, 0 };
static const dcfg__field test_fields[] = {
    { "count", &dcfg__k_int, DCFG__F_REQUIRED, NULL, &small, "", NULL },
    { "color", &dcfg__k_enum, DCFG__F_NULLABLE, "red", colors, "", NULL },
    { "size", &dcfg__k_int, 0, "3", NULL, "", "width" },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema test_schema = { "test", test_fields, NULL };

typedef struct fixture {
    dcfg__arena arena;
    dcfg_diags *diags;
    dcfg__vctx c;
} fixture;

static void setup(fixture *f)
{
    dcfg__arena_init(&f->arena, &dcfg__default_allocator);
    f->diags = dcfg__diags_new(&dcfg__default_allocator, "t");
    f->c = (dcfg__vctx){ .arena = &f->arena, .diags = f->diags };
    dcfg__buf_init(&f->c.path, &dcfg__default_allocator);
}

static void teardown(fixture *f)
{
    dcfg__buf_free(&f->c.path);
    dcfg_diags_free(f->diags);
    dcfg__arena_free(&f->arena);
}

static dcfg__node *str(fixture *f, const char *s, unsigned line)
{
    dcfg__node *n = dcfg__mk_strz(&f->arena, s);
    dcfg__yaml11_resolve(n);
    n->line = line;
    n->col = 1;
    return n;
}

static dcfg__node *map2(fixture *f, const char *k1, const char *v1, const char *k2, const char *v2)
{
    dcfg__node *m = dcfg__mk_map(&f->arena, 2);
    m->line = 1;
    dcfg__map_put(m, str(f, k1, 1), str(f, v1, 1));
    if (k2)
        dcfg__map_put(m, str(f, k2, 2), str(f, v2, 2));
    return m;
}

START_TEST(defaults_required_and_order)
{
    fixture f;
    setup(&f);
    dcfg__node *out = NULL;
    ck_assert_int_eq(dcfg__parse_object(&f.c, map2(&f, "count", "4", NULL, NULL), &test_schema, &out), 0);
    ck_assert_uint_eq(out->n, 3);
    ck_assert(dcfg__node_is_str(DCFG__KEY(out, 0), "count"));
    ck_assert_int_eq(DCFG__VAL(out, 0)->v.i, 4);
    ck_assert(dcfg__node_is_str(DCFG__VAL(out, 1), "red"));
    ck_assert_int_eq(DCFG__VAL(out, 2)->v.i, 3);

    ck_assert_int_eq(dcfg__parse_object(&f.c, map2(&f, "color", "blue", NULL, NULL), &test_schema, &out), -1);
    ck_assert_uint_eq(dcfg_diags_count(f.diags), 2); /* bad enum and missing count, both reported */
    teardown(&f);
}
END_TEST

START_TEST(main_key_wins_over_alias)
{
    fixture f;
    setup(&f);
    dcfg__node *m = dcfg__mk_map(&f.arena, 3);
    dcfg__map_put(m, str(&f, "count", 1), str(&f, "1", 1));
    dcfg__map_put(m, str(&f, "width", 2), str(&f, "7", 2));
    dcfg__map_put(m, str(&f, "size", 3), str(&f, "5", 3));
    dcfg__node *out = NULL;
    ck_assert_int_eq(dcfg__parse_object(&f.c, m, &test_schema, &out), 0);
    ck_assert_int_eq(DCFG__VAL(out, 2)->v.i, 5);
    teardown(&f);
}
END_TEST

static const dcfg__field flow_default_field = { "key", &dcfg__k_object, 0, "{count: 2, size: 4}", &test_schema, "", NULL };

START_TEST(flow_mapping_default)
{
    fixture f;
    setup(&f);
    dcfg__node *out = NULL;
    ck_assert_int_eq(dcfg__field_default(&f.c, &flow_default_field, &out), 0);
    ck_assert_int_eq(DCFG__VAL(out, 0)->v.i, 2);
    ck_assert(dcfg__node_is_str(DCFG__VAL(out, 1), "red"));
    ck_assert_int_eq(DCFG__VAL(out, 2)->v.i, 4);
    ck_assert_uint_eq(dcfg_diags_count(f.diags), 0);
    teardown(&f);
}
END_TEST

START_TEST(bounds_and_null)
{
    fixture f;
    setup(&f);
    dcfg__node *out = NULL;
    ck_assert_int_eq(dcfg__parse_object(&f.c, map2(&f, "count", "11", "color", "~"), &test_schema, &out), -1);
    ck_assert_uint_eq(dcfg_diags_count(f.diags), 1);
    ck_assert_str_eq(dcfg_diag_path(dcfg_diags_at(f.diags, 0)), "count");
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(f.diags, 0)), DCFG_DIAG_INVALID_VALUE);
    ck_assert_int_eq(dcfg__parse_object(&f.c, map2(&f, "count", "10", "size", "~"), &test_schema, &out), -1);
    ck_assert_str_eq(dcfg_diag_path(dcfg_diags_at(f.diags, 1)), "size");
    ck_assert_int_eq(dcfg_diag_code_of(dcfg_diags_at(f.diags, 1)), DCFG_DIAG_WRONG_TYPE);
    teardown(&f);
}
END_TEST

/* Every default in the service table is valid for its own kind. */
START_TEST(service_defaults_parse)
{
    fixture f;
    setup(&f);
    for (const dcfg__field *fl = dcfg__service_schema.fields; fl->key; fl++) {
        if (fl->flags & DCFG__F_REQUIRED)
            continue;
        dcfg__node *out = NULL;
        ck_assert_msg(dcfg__field_default(&f.c, fl, &out) == 0, "default of %s", fl->key);
        ck_assert_ptr_nonnull(out);
    }
    ck_assert_uint_eq(dcfg_diags_count(f.diags), 0);
    teardown(&f);
}
END_TEST

/* dstack's model_dump key order, which normalize reproduces. */
START_TEST(service_key_order_matches_dstack)
{
    static const char *const order[] = {
        "port", "gateway", "strip_prefix", "model", "https", "auth", "scaling", "rate_limits", "probes",
        "replicas", "groups", "commands", "type", "name", "image", "user", "privileged", "entrypoint",
        "working_dir", "home_dir", "registry_auth", "python", "nvcc", "single_branch", "env", "shell",
        "resources", "priority", "volumes", "docker", "repos", "files", "dstack", "setup", "backends",
        "regions", "availability_zones", "instance_types", "reservation", "spot_policy", "retry",
        "max_duration", "stop_duration", "max_price", "creation_policy", "idle_duration",
        "utilization_policy", "startup_order", "stop_criteria", "schedule", "fleets", "instances", "tags",
        "backend_options", NULL };
    size_t i = 0;
    for (const dcfg__field *fl = dcfg__service_schema.fields; fl->key; fl++, i++) {
        ck_assert_ptr_nonnull(order[i]);
        ck_assert_str_eq(fl->key, order[i]);
    }
    ck_assert_ptr_null(order[i]);
}
END_TEST

START_TEST(coercions_follow_pydantic)
{
    fixture f;
    setup(&f);
    long long i;
    double d;
    int b;
    ck_assert_int_eq(dcfg__try_int(str(&f, "8000", 1), &i), 0);
    ck_assert_int_eq(i, 8000);
    dcfg__node *q = dcfg__mk_strz(&f.arena, " 5.00 ");
    ck_assert_int_eq(dcfg__try_int(q, &i), 0);
    ck_assert_int_eq(i, 5);
    q = dcfg__mk_strz(&f.arena, "5.");
    ck_assert_int_eq(dcfg__try_int(q, &i), 2);
    q = dcfg__mk_strz(&f.arena, "1_000");
    ck_assert_int_eq(dcfg__try_int(q, &i), 0);
    ck_assert_int_eq(i, 1000);
    q = dcfg__mk_strz(&f.arena, "1__0");
    ck_assert_int_eq(dcfg__try_int(q, &i), 2);
    ck_assert_int_eq(dcfg__try_int(str(&f, "8000.5", 1), &i), 2);
    ck_assert_int_eq(dcfg__try_int(str(&f, "true", 1), &i), 0);
    ck_assert_int_eq(i, 1);
    q = dcfg__mk_strz(&f.arena, "Off");
    ck_assert_int_eq(dcfg__try_bool(q, &b), 0);
    ck_assert_int_eq(b, 0);
    q = dcfg__mk_strz(&f.arena, " true");
    ck_assert_int_eq(dcfg__try_bool(q, &b), 2);
    ck_assert_int_eq(dcfg__try_bool(str(&f, "2", 1), &b), 2);
    q = dcfg__mk_strz(&f.arena, "1e3");
    ck_assert_int_eq(dcfg__try_float(q, &d), 0);
    ck_assert(d == 1000.0);
    q = dcfg__mk_strz(&f.arena, "-Infinity");
    ck_assert_int_eq(dcfg__try_float(q, &d), 0);
    ck_assert(d < -1e308);
    q = dcfg__mk_strz(&f.arena, "1.2.3");
    ck_assert_int_eq(dcfg__try_float(q, &d), 2);
    const char *s;
    size_t len;
    ck_assert_int_eq(dcfg__try_str(&f.c, str(&f, "1.50", 1), &s, &len), 0);
    ck_assert_str_eq(s, "1.5");
    ck_assert_int_eq(dcfg__try_str(&f.c, str(&f, "yes", 1), &s, &len), 1);
    ck_assert_int_eq(dcfg__try_str(&f.c, str(&f, "2024-01-01", 1), &s, &len), 1);
    teardown(&f);
}
END_TEST

/* Same type, flags, value and children, all the way down. */
static int same_tree(const dcfg__node *a, const dcfg__node *b)
{
    if (a->type != b->type || a->flags != b->flags || a->len != b->len || a->n != b->n ||
        (!a->str) != (!b->str) || (a->str && memcmp(a->str, b->str, a->len)))
        return 0;
    if ((a->type == DCFG__BOOL && a->v.b != b->v.b) || (a->type == DCFG__INT && a->v.i != b->v.i) ||
        (a->type == DCFG__FLOAT && memcmp(&a->v.f, &b->v.f, sizeof a->v.f)))
        return 0;
    size_t nk = a->type == DCFG__MAP ? 2 * a->n : a->type == DCFG__SEQ ? a->n : 0;
    for (size_t i = 0; i < nk; i++)
        if (!same_tree(a->kids[i], b->kids[i]))
            return 0;
    return 1;
}

START_TEST(builtin_defaults_are_the_parsed_defaults)
{
    const dcfg__schema *all[64];
    size_t ns = dcfg__object_schemas(all, 64), fields = 0;
    ck_assert_uint_gt(ns, 20);
    for (size_t i = 0; i < ns; i++) {
        const dcfg__builtin *b = dcfg__builtin_for(all[i]);
        ck_assert_msg(b != NULL, "no built-ins for %s", all[i]->name);
        for (size_t k = 0; all[i]->fields[k].key; k++) {
            const dcfg__field *fl = &all[i]->fields[k];
            ck_assert_str_eq(b->keys[k]->str, fl->key);
            ck_assert_uint_eq(b->keys[k]->type, DCFG__STR);
            if (fl->flags & DCFG__F_REQUIRED) {
                ck_assert_ptr_null(b->dflts[k]);
                continue;
            }
            fixture f;
            setup(&f);
            dcfg__node *want = NULL;
            ck_assert_int_eq(dcfg__field_default(&f.c, fl, &want), 0);
            want->flags |= DCFG__NF_DEFAULTED;
            ck_assert_msg(same_tree(want, b->dflts[k]), "%s.%s: the built-in default differs", all[i]->name, fl->key);
            fields++;
            teardown(&f);
        }
    }
    ck_assert_uint_gt(fields, 100);
}
END_TEST

START_TEST(builtin_key_tables_find_every_key_and_alias)
{
    const dcfg__schema *all[64];
    size_t ns = dcfg__object_schemas(all, 64), aliases = 0;
    for (size_t i = 0; i < ns; i++) {
        const dcfg__builtin *b = dcfg__builtin_for(all[i]);
        size_t nf = 0;
        for (; all[i]->fields[nf].key; nf++) {
            const dcfg__field *fl = &all[i]->fields[nf];
            int via = -1;
            ck_assert_uint_eq(dcfg__builtin_match(b, all[i], fl->key, strlen(fl->key), 1, &via), nf);
            ck_assert_int_eq(via, 0);
            if (!fl->alias)
                continue;
            aliases++;
            ck_assert_uint_eq(dcfg__builtin_match(b, all[i], fl->alias, strlen(fl->alias), 1, &via), nf);
            ck_assert_int_eq(via, 1);
            ck_assert_uint_eq(dcfg__builtin_match(b, all[i], fl->alias, strlen(fl->alias), 0, &via), (size_t)-1);
        }
        ck_assert_uint_eq(b->nfields, nf);
        ck_assert_uint_eq(dcfg__builtin_match(b, all[i], "no such key", 11, 1, &(int){ 0 }), (size_t)-1);
    }
    ck_assert_uint_gt(aliases, 0);
}
END_TEST

Suite *schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("engine");
    tcase_add_test(tc, defaults_required_and_order);
    tcase_add_test(tc, main_key_wins_over_alias);
    tcase_add_test(tc, flow_mapping_default);
    tcase_add_test(tc, bounds_and_null);
    tcase_add_test(tc, service_defaults_parse);
    tcase_add_test(tc, builtin_defaults_are_the_parsed_defaults);
    tcase_add_test(tc, builtin_key_tables_find_every_key_and_alias);
    tcase_add_test(tc, service_key_order_matches_dstack);
    tcase_add_test(tc, coercions_follow_pydantic);
    suite_add_tcase(s, tc);
    return s;
}
