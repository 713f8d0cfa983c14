/* The operations the benchmark measures: floors (libfyaml and jansson on
 * the same content, configured as the library configures them) and the
 * library's own operations through its public API. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <libfyaml.h>
#include "bench.h"

static void sink(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag, (void)user, (void)buf, (void)len;
}

/* A collecting diag with a silent sink, one per document, as lib/read/yaml_load.c makes it. */
static struct fy_diag *make_diag(void)
{
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.output_fn = sink;
    dc.user = NULL;
    dc.colorize = false;
    struct fy_diag *diag = fy_diag_create(&dc);
    if (diag)
        fy_diag_set_collect_errors(diag, true);
    return diag;
}

static void parse_cfg(struct fy_parse_cfg *pc, struct fy_diag *diag)
{
    memset(pc, 0, sizeof *pc);
    pc->flags = (enum fy_parse_cfg_flags)(FYPCF_QUIET | FYPCF_DISABLE_DEPTH_LIMIT | FYPCF_SLOPPY_FLOW_INDENTATION |
                                          FYPCF_DEFAULT_VERSION_1_1 | FYPCF_JSON_NONE);
    pc->diag = diag;
}

static int fy_events(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    struct fy_diag *diag = make_diag();
    struct fy_parse_cfg pc;
    parse_cfg(&pc, diag);
    struct fy_parser *fyp = fy_parser_create(&pc);
    int rc = -1;
    if (fyp && !fy_parser_set_string(fyp, d->yaml, d->yaml_len)) {
        struct fy_event *ev;
        while ((ev = fy_parser_parse(fyp)) != NULL)
            fy_parser_event_free(fyp, ev);
        rc = fy_parser_get_stream_error(fyp) ? -1 : 0;
    }
    if (fyp)
        fy_parser_destroy(fyp);
    if (diag)
        fy_diag_destroy(diag);
    return rc;
}

static int fy_build(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    struct fy_diag *diag = make_diag();
    struct fy_parse_cfg pc;
    parse_cfg(&pc, diag);
    pc.flags = (enum fy_parse_cfg_flags)(pc.flags | FYPCF_ALLOW_DUPLICATE_KEYS);
    struct fy_document *fyd = fy_document_build_from_string(&pc, d->yaml, d->yaml_len);
    int rc = fyd ? 0 : -1;
    if (fyd)
        fy_document_destroy(fyd);
    if (diag)
        fy_diag_destroy(diag);
    return rc;
}

static int fy_emit(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    char *s = fy_emit_document_to_string(d->fyd, FYECF_DEFAULT);
    free(s);
    return s ? 0 : -1;
}

static int jsn_loads(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    json_error_t err;
    json_t *v = json_loadb(d->json, d->json_len, JSON_REJECT_DUPLICATES, &err);
    json_decref(v);
    return v ? 0 : -1;
}

static int jsn_dumps(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    char *s = json_dumps(d->jv, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_free_t fr;
    json_get_alloc_funcs(NULL, &fr); /* the benchmark counts jansson's allocations at times */
    fr(s);
    return s ? 0 : -1;
}

static int load(bench_doc *d, const dcfg_allocator *al, const char *text, size_t len, dcfg_format fmt)
{
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.format = fmt;
    o.allocator = al;
    o.max_input_bytes = 64u << 20;
    o.max_nodes = 100000000;
    dcfg_config_free(d->tmp);
    d->tmp = NULL;
    return dcfg_config_parse(&d->tmp, NULL, text, len, &o) == DCFG_OK ? 0 : -1;
}

static int lib_yaml_load(bench_doc *d, const dcfg_allocator *al)
{
    return load(d, al, d->yaml, d->yaml_len, DCFG_FORMAT_YAML);
}

static int lib_json_load(bench_doc *d, const dcfg_allocator *al)
{
    return load(d, al, d->json, d->json_len, DCFG_FORMAT_JSON);
}

static int lib_free(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    dcfg_config_free(d->tmp);
    d->tmp = NULL;
    return 0;
}

static int emit(bench_doc *d, dcfg_view view, dcfg_format fmt)
{
    char *s = NULL;
    int rc = dcfg_config_emit(&s, NULL, d->cfg, view, fmt, 0) == DCFG_OK ? 0 : -1;
    dcfg_free(s);
    return rc;
}

static int lib_emit_json(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    return emit(d, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON);
}

static int lib_emit_yaml(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    return emit(d, DCFG_VIEW_DSTACK, DCFG_FORMAT_YAML);
}

static int lib_minimal(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    return emit(d, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML);
}

static int lib_effective(bench_doc *d, const dcfg_allocator *al)
{
    (void)al;
    return emit(d, DCFG_VIEW_EFFECTIVE, DCFG_FORMAT_JSON);
}

/* Floors first: the library's rows name the floor they are divided by. */
const bench_op bench_ops[] = {
    { "fy_events", NULL, 0, fy_events, "libfyaml event parse only (parser + diag per doc, library's flags)" },
    { "fy_build", NULL, 0, fy_build, "libfyaml fy_document_build_from_string + destroy" },
    { "fy_emit", NULL, 0, fy_emit, "libfyaml fy_emit_document_to_string of the prebuilt document" },
    { "json_loads", NULL, 0, jsn_loads, "jansson json_loadb of the dstack-view JSON + decref" },
    { "json_dumps", NULL, 0, jsn_dumps, "jansson json_dumps (compact) of the prebuilt value" },
    { "yaml_load", "fy_build", 1, lib_yaml_load, "dcfg_config_parse of the YAML (parse, validate, defaults)" },
    { "free", NULL, 1, lib_free, "dcfg_config_free of what yaml_load made" },
    { "json_load", "json_loads", 1, lib_json_load, "dcfg_config_parse of the dstack-view JSON" },
    { "emit_json", "json_dumps", 1, lib_emit_json, "dstack view, compact JSON" },
    { "emit_yaml", "fy_emit", 1, lib_emit_yaml, "dstack view, YAML" },
    { "minimal", "fy_emit", 1, lib_minimal, "minimal view, YAML (what fmt writes)" },
    { "effective", "json_dumps", 1, lib_effective, "effective view, compact JSON" },
};
const size_t bench_nops = sizeof bench_ops / sizeof *bench_ops;

const bench_op *bench_op_find(const char *name)
{
    for (size_t i = 0; i < bench_nops; i++)
        if (!strcmp(bench_ops[i].name, name))
            return &bench_ops[i];
    return NULL;
}

int bench_prepare(bench_doc *d, const dcfg_allocator *al)
{
    dcfg_parse_options o = DCFG_PARSE_OPTIONS_INIT;
    o.format = DCFG_FORMAT_YAML;
    o.allocator = al;
    o.max_input_bytes = 64u << 20;
    o.max_nodes = 100000000;
    dcfg_diags *diags = NULL;
    dcfg_status st = dcfg_config_parse(&d->cfg, &diags, d->yaml, d->yaml_len, &o);
    if (st != DCFG_OK && getenv("BENCH_DEBUG")) {
        for (size_t i = 0; i < dcfg_diags_count(diags); i++) {
            char *line = NULL;
            dcfg_diag_format(&line, dcfg_diags_at(diags, i), d->name);
            fprintf(stderr, "%s\n", line);
            dcfg_free(line);
        }
    }
    dcfg_diags_free(diags);
    if (st != DCFG_OK)
        return -1;
    char *s = NULL;
    if (dcfg_config_emit(&s, &d->json_len, d->cfg, DCFG_VIEW_DSTACK, DCFG_FORMAT_JSON, 0) != DCFG_OK)
        return -1;
    d->json = malloc(d->json_len + 1);
    if (!d->json)
        return -1;
    memcpy(d->json, s, d->json_len + 1);
    dcfg_free(s);
    json_error_t err;
    d->jv = json_loadb(d->json, d->json_len, 0, &err);
    struct fy_parse_cfg pc;
    parse_cfg(&pc, NULL); /* the document keeps a diag of its own */
    pc.flags = (enum fy_parse_cfg_flags)(pc.flags | FYPCF_ALLOW_DUPLICATE_KEYS);
    d->fyd = fy_document_build_from_string(&pc, d->yaml, d->yaml_len);
    return d->jv && d->fyd ? 0 : -1;
}

void bench_release(bench_doc *d)
{
    dcfg_config_free(d->cfg);
    dcfg_config_free(d->tmp);
    json_decref(d->jv);
    if (d->fyd)
        fy_document_destroy(d->fyd);
    free(d->json);
    free(d->yaml);
    free(d->name);
    memset(d, 0, sizeof *d);
}
