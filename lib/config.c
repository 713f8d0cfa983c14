/* Public entry points: parse (front end, then the validator), free, emit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "config_impl.h"

enum {
    /* first arena chunks, from the measured needs of the corpus documents */
    IN_FIRST_A = 512, IN_FIRST_B = 4, OUT_FIRST_A = 1024, OUT_FIRST_DIV = 4,
    DEFAULT_MAX_INPUT = 16 << 20,
    DEFAULT_MAX_DEPTH = 64,
    DEFAULT_MAX_NODES = 100000,
    DEFAULT_MAX_STRING = 1 << 20,
};

const char *dcfg_status_string(dcfg_status s)
{
    switch (s) {
    case DCFG_OK: return "ok";
    case DCFG_ESYNTAX: return "syntax error";
    case DCFG_EINVALID: return "invalid configuration";
    case DCFG_ENOMEM: return "out of memory";
    case DCFG_EIO: return "I/O error";
    case DCFG_EUSAGE: return "invalid argument";
    case DCFG_ELIMIT: return "input exceeds a limit";
    }
    return "unknown status";
}

static dcfg__limits resolve_limits(const dcfg_parse_options *o)
{
    dcfg__limits l = { DEFAULT_MAX_INPUT, DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES, DEFAULT_MAX_STRING };
    if (o->max_input_bytes)
        l.max_input_bytes = o->max_input_bytes;
    if (o->max_depth)
        l.max_depth = o->max_depth;
    if (o->max_nodes)
        l.max_nodes = o->max_nodes;
    if (o->max_string_bytes)
        l.max_string_bytes = o->max_string_bytes;
    return l;
}

dcfg_format dcfg_detect_format(const char *data, size_t len)
{
    size_t i = 0;
    if (!data)
        return DCFG_FORMAT_YAML;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    return i < len && data[i] == '{' ? DCFG_FORMAT_JSON : DCFG_FORMAT_YAML;
}

/* `type` decides the model; anything but "service" stops validation here. */
static int check_type(dcfg__vctx *c, const dcfg__node *root)
{
    if (root->type != DCFG__MAP) {
        dcfg__err(c, root, DCFG_DIAG_WRONG_TYPE, "a configuration must be a mapping, got %s",
                  dcfg__describe(root));
        return -1;
    }
    for (size_t i = 0; i < root->n; i++) {
        const dcfg__node *key = DCFG__KEY(root, i), *val = DCFG__VAL(root, i);
        if (!dcfg__node_is_str(key, "type"))
            continue;
        if (dcfg__node_is_str(val, "service"))
            return 0;
        size_t mark = dcfg__path_push_key(c, "type", 4);
        c->key = key;
        for (size_t t = 0; dcfg__other_types[t]; t++) {
            if (dcfg__node_is_str(val, dcfg__other_types[t])) {
                dcfg__err(c, val, DCFG_DIAG_NOT_SERVICE,
                          "this is a `%s` configuration; only `type: service` configurations are supported",
                          dcfg__other_types[t]);
                goto done;
            }
        }
        dcfg__err(c, val, DCFG_DIAG_UNSUPPORTED_VALUE, "unsupported configuration type %s; expected \"service\"",
                  dcfg__show(c, val));
    done:
        dcfg__path_pop(c, mark);
        c->key = NULL;
        return -1;
    }
    size_t mark = dcfg__path_push_key(c, "type", 4);
    dcfg__err(c, root, DCFG_DIAG_REQUIRED, "required field is missing; expected `type: service`");
    dcfg__path_pop(c, mark);
    return -1;
}

/* During a parse every allocation goes through this shim, so a failure that
 * the code below handled quietly (say, "?" in a message) still makes the
 * parse return DCFG_ENOMEM. */
/* Validates `root` into cfg->root. 0 valid, -1 invalid (diagnostics added),
 * -2 out of memory (whatever the validator made of a failed allocation). */
static int validate(dcfg_config *cfg, dcfg_diags *diags, const dcfg__node *root, dcfg__arena *input,
                    unsigned flags, const dcfg__watch *watch)
{
    dcfg__vctx c = { .arena = &cfg->arena, .scratch = input, .diags = diags, .flags = flags };
    dcfg__buf_init(&c.path, cfg->arena.al);
    int rc = check_type(&c, root);
    if (!rc)
        rc = dcfg__parse_object(&c, root, &dcfg__service_schema, &cfg->root);
    if (c.path.oom || dcfg__diags_oom(diags) || watch->failed)
        rc = -2;
    dcfg__buf_free(&c.path);
    return rc;
}

/* The caller's allocator, NULL members replaced by the C library's. */
static dcfg_allocator resolve_allocator(const dcfg_allocator *user)
{
    dcfg_allocator al = dcfg__default_allocator;
    if (user) {
        if (user->malloc_fn)
            al.malloc_fn = user->malloc_fn;
        if (user->realloc_fn)
            al.realloc_fn = user->realloc_fn;
        if (user->free_fn)
            al.free_fn = user->free_fn;
        al.user = user->user;
    }
    return al;
}

static dcfg_status load(dcfg__node **root, const char *data, size_t len, dcfg_format fmt, dcfg__load *ld,
                        int *json_fast)
{
    *json_fast = 0;
    if (fmt == DCFG_FORMAT_JSON || (fmt == DCFG_FORMAT_AUTO && dcfg_detect_format(data, len) == DCFG_FORMAT_JSON)) {
        dcfg_status st = dcfg__json_load(root, data, len, ld);
        if (st == DCFG_OK) {
            *json_fast = 1;
            return st;
        }
        if (st != DCFG_ESYNTAX)
            return st;
        /* not plain JSON: re-read with positions (JSON mode), or as YAML when auto-detected */
        return dcfg__yaml_load(root, data, len, ld, fmt == DCFG_FORMAT_JSON);
    }
    return dcfg__yaml_load(root, data, len, ld, 0);
}

dcfg_status dcfg_config_parse(dcfg_config **out, dcfg_diags **diags_out, const char *data, size_t len,
                              const dcfg_parse_options *opts)
{
    static const dcfg_parse_options defaults = DCFG_PARSE_OPTIONS_INIT;
    if (out)
        *out = NULL;
    if (diags_out)
        *diags_out = NULL;
    if (!opts)
        opts = &defaults;
    if (!out || (!data && len) || opts->version != DCFG_PARSE_OPTIONS_VERSION ||
        (unsigned)opts->format > DCFG_FORMAT_JSON)
        return DCFG_EUSAGE;
    if (!data)
        data = "";

    dcfg_allocator al = resolve_allocator(opts->allocator);
    dcfg_diags *diags = dcfg__diags_new(&al, opts->source_name);
    if (!diags)
        return DCFG_ENOMEM;
    dcfg_config *cfg = dcfg__malloc(&al, sizeof *cfg);
    if (!cfg) {
        dcfg_diags_free(diags);
        return DCFG_ENOMEM;
    }
    memset(cfg, 0, sizeof *cfg);
    cfg->al = al;
    dcfg__watch watch;
    dcfg__watch_init(&watch, &cfg->al);
    const dcfg_allocator *watched = &watch.al;
    /* first chunks of about what a service of this size needs, so that one allocation
     * each serves most documents and little of it stays unused */
    size_t hint = len < 65536 ? len : 65536;
    dcfg__arena input; /* the input tree and the validator's scratch, until validated */
    dcfg__arena_init_sized(&input, watched, IN_FIRST_A + IN_FIRST_B * hint);
    dcfg__load ld = { .arena = &input, .diags = diags, .limits = resolve_limits(opts), .flags = opts->flags };
    dcfg__node *root = NULL;
    int json_fast = 0;
    dcfg_status st = load(&root, data, len, opts->format, &ld, &json_fast);
    /* the output holds what the document sets (defaults are built in, schema/schema.h),
     * which the input tree's size foretells better than the text's */
    size_t in_used = dcfg__arena_in_use(&input);
    if (in_used > ((size_t)1 << 22))
        in_used = (size_t)1 << 22;
    /* back to cfg->al before returning */
    dcfg__arena_init_sized(&cfg->arena, watched, OUT_FIRST_A + in_used + in_used / OUT_FIRST_DIV);
    int vr = st == DCFG_OK ? validate(cfg, diags, root, &input, opts->flags, &watch) : 0;
    if (vr) {
        st = vr == -2 ? DCFG_ENOMEM : DCFG_EINVALID;
        if (json_fast && st == DCFG_EINVALID) {
            /* jansson keeps no positions: read the document again to place the errors */
            dcfg__diags_clear(diags);
            dcfg__arena_free(&input);
            dcfg__arena_free(&cfg->arena);
            cfg->root = NULL;
            st = dcfg__yaml_load(&root, data, len, &ld, 1);
            if (st == DCFG_OK && (vr = validate(cfg, diags, root, &input, opts->flags, &watch)) != 0)
                st = vr == -2 ? DCFG_ENOMEM : DCFG_EINVALID;
        }
    }
    dcfg__arena_free(&input);
    cfg->arena.al = &cfg->al;
    if (watch.failed)
        st = DCFG_ENOMEM;
    if (dcfg__diags_oom(diags) || (st == DCFG_EINVALID && !dcfg_diags_error_count(diags)))
        st = DCFG_ENOMEM;
    if (st == DCFG_OK && dcfg_diags_error_count(diags))
        st = DCFG_EINVALID; /* e.g. a duplicate key under DCFG_PARSE_STRICT_DUPLICATES */
    dcfg__diags_sort(diags);
    if (st != DCFG_OK) {
        dcfg_config_free(cfg);
        cfg = NULL;
    }
    *out = cfg;
    if (diags_out)
        *diags_out = diags;
    else
        dcfg_diags_free(diags);
    return st;
}

dcfg_status dcfg_config_parse_file(dcfg_config **out, dcfg_diags **diags_out, const char *path,
                                   const dcfg_parse_options *opts)
{
    static const dcfg_parse_options defaults = DCFG_PARSE_OPTIONS_INIT;
    if (out)
        *out = NULL;
    if (diags_out)
        *diags_out = NULL;
    if (!out || !path)
        return DCFG_EUSAGE;
    if (!opts)
        opts = &defaults;
    if (opts->version != DCFG_PARSE_OPTIONS_VERSION)
        return DCFG_EUSAGE;
    dcfg_parse_options o = *opts;
    if (!o.source_name)
        o.source_name = path;
    size_t limit = o.max_input_bytes ? o.max_input_bytes : DEFAULT_MAX_INPUT;

    FILE *f = fopen(path, "rb");
    if (!f)
        return DCFG_EIO;
    dcfg_allocator al = resolve_allocator(o.allocator);
    dcfg__buf b;
    dcfg__buf_init(&b, &al);
    char chunk[65536];
    size_t n;
    /* read one byte past the limit so the parser reports the oversize input */
    while (!b.oom && b.len <= limit && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        dcfg__buf_putn(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err || b.oom) {
        dcfg__buf_free(&b);
        return err ? DCFG_EIO : DCFG_ENOMEM;
    }
    dcfg_status st = dcfg_config_parse(out, diags_out, b.p ? b.p : "", b.len, &o);
    dcfg__buf_free(&b);
    return st;
}

void dcfg_config_free(dcfg_config *cfg)
{
    if (!cfg)
        return;
    dcfg_allocator al = cfg->al;
    dcfg__arena_free(&cfg->arena);
    dcfg__free(&al, cfg);
}

/* Serializes one of the three views (write/view_*.c) as JSON or YAML (write/json.c, write/yaml.c). */
dcfg_status dcfg_config_emit(char **out, size_t *len_out, const dcfg_config *cfg, dcfg_view view,
                             dcfg_format format, unsigned flags)
{
    if (out)
        *out = NULL;
    if (len_out)
        *len_out = 0;
    if (!out || !cfg || (unsigned)view > DCFG_VIEW_MINIMAL || (unsigned)format > DCFG_FORMAT_JSON)
        return DCFG_EUSAGE;
    if (!cfg->root)
        return DCFG_EINVALID; /* a configuration being built that does not validate yet */
    dcfg__arena scratch;
    dcfg__arena_init(&scratch, &cfg->al);
    const dcfg__node *tree = cfg->root;
    dcfg__node *view_tree = NULL;
    dcfg_status st = DCFG_OK;
    if (view == DCFG_VIEW_EFFECTIVE)
        st = dcfg__view_effective(&scratch, cfg->root, &view_tree);
    else if (view == DCFG_VIEW_MINIMAL)
        st = dcfg__view_minimal(&scratch, cfg->root, DCFG__MIN_SHORTHANDS, &view_tree);
    if (view_tree)
        tree = view_tree;
    dcfg__buf b;
    dcfg__buf_init(&b, &cfg->al);
    flags &= DCFG_EMIT_PRETTY;
    if (view != DCFG_VIEW_DSTACK) /* these views promise to parse back */
        flags |= DCFG__EMIT_NONFINITE_AS_TEXT;
    if (st == DCFG_OK)
        st = format == DCFG_FORMAT_YAML ? dcfg__emit_yaml(&b, tree, flags) : dcfg__emit_json(&b, tree, flags);
    if (st == DCFG_OK && !b.oom) {
        *out = dcfg__user_strndup(&cfg->al, b.p ? b.p : "", b.len);
        if (*out && len_out)
            *len_out = b.len;
        if (!*out)
            st = DCFG_ENOMEM;
    } else if (st == DCFG_OK) {
        st = DCFG_ENOMEM;
    }
    dcfg__buf_free(&b);
    dcfg__arena_free(&scratch);
    return st;
}

unsigned dcfg_version_number(void) { return DCFG_VERSION_NUMBER; }
const char *dcfg_version_string(void) { return DCFG_VERSION_STRING; }
const char *dcfg_dstack_version(void) { return "0.22.5"; }
