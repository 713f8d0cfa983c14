/* The service root: its field table, root-only kinds and root rules. */
#include <string.h>
#include "schema/service/areas.h"

/* ---- port ------------------------------------------------------------------ */

static const dcfg__int_bounds port_bounds = { 1, 65535, 0 };
static const dcfg__field port_fields[] = {
    { "local_port", &dcfg__k_int, DCFG__F_NULLABLE, NULL, &port_bounds, "Port on the proxy side.", NULL },
    { "container_port", &dcfg__k_int, DCFG__F_REQUIRED, NULL, &port_bounds, "Port the app listens on.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema port_schema = { "port", port_fields, NULL };


static int port_map(dcfg__vctx *c, dcfg__node *local, dcfg__node *container, dcfg__node **out)
{
    dcfg__node *m = dcfg__mk_map(c->arena, 2);
    dcfg__node *kl = dcfg__mk_lit(c->arena, "local_port"), *kc = dcfg__mk_lit(c->arena, "container_port");
    if (!m || !kl || !kc || !local || !container)
        return -1;
    dcfg__map_put(m, kl, local);
    dcfg__map_put(m, kc, container);
    *out = m;
    return 0;
}

/* 8000 -> {80, 8000}; "8080:8000" -> {8080, 8000}; or the mapping form. */
static int parse_port(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const dcfg__field *container = &port_fields[1];
    if (in->type == DCFG__MAP)
        return dcfg__parse_object(c, in, &port_schema, out);
    if (in->type == DCFG__STR && !(in->flags & DCFG__NF_NOT_TEXT)) {
        const char *colon = memchr(in->str, ':', in->len);
        if (colon) {
            size_t a = (size_t)(colon - in->str), b = in->len - a - 1;
            if (!dcfg__all_digits(in->str, a) || !dcfg__all_digits(colon + 1, b)) {
                dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE,
                          "invalid port mapping %s; expected \"LOCAL:CONTAINER\" with two port numbers",
                          dcfg__show(c, in));
                return -1;
            }
            dcfg__node l = { .type = DCFG__STR, .line = in->line, .col = in->col, .str = in->str, .len = a };
            dcfg__node r = { .type = DCFG__STR, .line = in->line, .col = in->col, .str = colon + 1, .len = b };
            dcfg__node *lo = NULL, *co = NULL;
            if (dcfg__parse_field(c, &l, container, &lo) | dcfg__parse_field(c, &r, container, &co))
                return -1;
            return port_map(c, lo, co, out);
        }
    }
    if (in->type == DCFG__SEQ) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a port number, \"LOCAL:CONTAINER\" or a mapping, got a list");
        return -1;
    }
    dcfg__node *co;
    if (dcfg__parse_field(c, in, container, &co))
        return -1;
    return port_map(c, dcfg__mk_int(c->arena, 80), co, out);
}
static const dcfg__kind k_port = { "port", parse_port,
    "integer (proxy port 80), \"LOCAL:CONTAINER\", or {container_port, local_port}",
    "{'anyOf':[{'type':'integer','minimum':1,'maximum':65535},{'type':'boolean'},{'type':'string','pattern':" DCFG__J_INT_PATTERN "},{'type':'string','pattern':'^[0-9]+:[0-9]+$'},{'$ref':'@port'}],'examples':[8000,'8080:8000',{'container_port':8000,'local_port':8080}]}" };

/* ---- gateway / https -------------------------------------------------------- */

/* A boolean first (any spelling pydantic takes), then a reference. */
static int parse_gateway(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    int b;
    if (dcfg__try_bool(in, &b) == 0) {
        *out = dcfg__mk_bool(c->arena, b);
        return *out ? 0 : -1;
    }
    return dcfg__parse_entity_ref(c, in, out);
}
static const dcfg__kind k_gateway = { "gateway", parse_gateway,
    "true/false, \"name\", \"project/name\" or {name, project}",
    "{'anyOf':[" DCFG__J_BOOL "," DCFG__J_STR ",{'$ref':'@entity_reference'}],'examples':[false,'my-gateway','main/my-gateway']}" };

static int parse_https(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    int b;
    if (dcfg__node_is_str(in, "auto")) {
        *out = dcfg__mk_lit(c->arena, "auto");
        return *out ? 0 : -1;
    }
    if (dcfg__try_bool(in, &b)) {
        dcfg__err(c, in, DCFG_DIAG_UNSUPPORTED_VALUE, "expected true, false or \"auto\", got %s", dcfg__show(c, in));
        return -1;
    }
    *out = dcfg__mk_bool(c->arena, b);
    return *out ? 0 : -1;
}
static const dcfg__kind k_https = { "https", parse_https, "true/false or \"auto\"",
    "{'anyOf':[" DCFG__J_BOOL ",{'enum':['auto']}],'examples':[true,false,'auto']}" };

/* ---- model -------------------------------------------------------------------- */

static const char *const chat_types[] = { "chat", NULL };
static const char *const fmt_openai[] = { "openai", NULL };
static const char *const fmt_tgi[] = { "tgi", NULL };

static const dcfg__field openai_fields[] = {
    { "type", &dcfg__k_literal, 0, "chat", chat_types, "Model type; only \"chat\".", NULL },
    { "name", &dcfg__k_str, DCFG__F_REQUIRED, NULL, NULL, "Model name as clients request it.", NULL },
    { "format", &dcfg__k_literal, DCFG__F_REQUIRED, NULL, fmt_openai, "API format.", NULL },
    { "prefix", &dcfg__k_str, 0, "/v1", NULL, "Path prefix of the OpenAI-compatible API.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema openai_schema = { "OpenAI model", openai_fields, NULL };

static const dcfg__field tgi_fields[] = {
    { "type", &dcfg__k_literal, 0, "chat", chat_types, "Model type; only \"chat\".", NULL },
    { "name", &dcfg__k_str, DCFG__F_REQUIRED, NULL, NULL, "Model name as clients request it.", NULL },
    { "format", &dcfg__k_literal, DCFG__F_REQUIRED, NULL, fmt_tgi, "API format.", NULL },
    { "chat_template", &dcfg__k_str, DCFG__F_NULLABLE, NULL, NULL, "Jinja chat template; null: from the tokenizer.", NULL },
    { "eos_token", &dcfg__k_str, DCFG__F_NULLABLE, NULL, NULL, "End-of-sequence token; null: from the tokenizer.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema tgi_schema = { "TGI model", tgi_fields, NULL };

static int parse_model(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type == DCFG__STR && !(in->flags & DCFG__NF_NOT_TEXT)) {
        dcfg__node *m = dcfg__mk_map(c->arena, 4);
        const char *keys[] = { "type", "name", "format", "prefix" };
        dcfg__node *vals[] = { dcfg__mk_lit(c->arena, "chat"), dcfg__mk_str(c->arena, in->str, in->len),
                               dcfg__mk_lit(c->arena, "openai"), dcfg__mk_lit(c->arena, "/v1") };
        if (!m)
            return -1;
        for (int i = 0; i < 4; i++) {
            dcfg__node *k = dcfg__mk_lit(c->arena, keys[i]);
            if (!k || !vals[i])
                return -1;
            dcfg__map_put(m, k, vals[i]);
        }
        *out = m;
        return 0;
    }
    if (in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a model name or a mapping with `format`, got %s",
                  dcfg__describe(in));
        return -1;
    }
    const dcfg__node *format = dcfg__map_get(in, "format");
    if (!format) {
        dcfg__err(c, in, DCFG_DIAG_REQUIRED, "a model mapping needs `format`: \"openai\" or \"tgi\"");
        return -1;
    }
    if (dcfg__node_is_str(format, "openai"))
        return dcfg__parse_object(c, in, &openai_schema, out);
    if (dcfg__node_is_str(format, "tgi"))
        return dcfg__parse_object(c, in, &tgi_schema, out);
    size_t mark = dcfg__path_push_key(c, "format", 6);
    dcfg__err(c, format, DCFG_DIAG_UNSUPPORTED_VALUE, "unsupported model format %s; expected \"openai\" or \"tgi\"",
              dcfg__show(c, format));
    dcfg__path_pop(c, mark);
    return -1;
}
static const dcfg__kind k_model = { "model", parse_model,
    "model name (OpenAI format), or {format: openai, name, prefix} / {format: tgi, name, chat_template, eos_token}",
    "{'anyOf':[{'type':'string'},{'$ref':'@OpenAI_model'},{'$ref':'@TGI_model'}],'examples':['meta-llama/Llama-3.1-8B-Instruct',{'format':'openai','name':'llama','prefix':'/v1'}]}" };

/* ---- python ----------------------------------------------------------------- */

static const char *const python_versions[] = { "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15", NULL };

/* A YAML float 3.10 arrives as 3.1; dstack reads its repr and maps "3.1" to "3.10". */
static int parse_python(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    dcfg__node text = *in;
    char repr[32];
    if (in->type == DCFG__FLOAT) {
        size_t n = dcfg__float_repr(repr, in->v.f);
        if (!strcmp(repr, "3.1"))
            strcpy(repr, "3.10"), n = 4;
        text.type = DCFG__STR;
        text.str = repr;
        text.len = n;
    }
    dcfg__field ef = *f;
    ef.extra = python_versions;
    return dcfg__k_enum.parse(c, &text, &ef, out);
}
const dcfg__kind dcfg__k_python = { "python version", parse_python,
    "\"3.9\" … \"3.15\" (a YAML float such as 3.10 is read as \"3.10\")",
    "{'anyOf':[{'enum':['3.9','3.10','3.11','3.12','3.13','3.14','3.15']},{'enum':[3.9,3.1,3.11,3.12,3.13,3.14,3.15]}],'examples':['3.12']}" };

/* ---- env -------------------------------------------------------------------- */

static const dcfg__field env_ref_fields[] = {
    { "key", &dcfg__k_str, DCFG__F_REQUIRED, NULL, NULL, "Variable of the client's environment.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema env_ref_schema = { "env placeholder", env_ref_fields, NULL };

static int env_name_len(const char *s, size_t len)
{
    size_t i = 0;
    if (!len || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return -1;
    while (i < len && (s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                       (s[i] >= '0' && s[i] <= '9')))
        i++;
    return (int)i;
}

static dcfg__node *env_placeholder(dcfg__vctx *c, const char *name, size_t len)
{
    dcfg__node *m = dcfg__mk_map(c->arena, 1);
    dcfg__node *k = dcfg__mk_lit(c->arena, "key"), *v = dcfg__mk_str(c->arena, name, len);
    if (!m || !k || !v)
        return NULL;
    dcfg__map_put(m, k, v);
    return m;
}

/* Puts name=value into m, replacing an earlier value of the same name. */
static int env_put(dcfg__vctx *c, dcfg__node *m, dcfg__keyindex *ix, const char *name, size_t len, dcfg__node *v,
                   int *dup)
{
    size_t slot, i = dcfg__keyindex_find(ix, m, name, len, &slot);
    *dup = i != (size_t)-1;
    if (*dup) {
        DCFG__VAL(m, i) = v;
        return 0;
    }
    dcfg__node *k = dcfg__mk_str(c->arena, name, len);
    if (!k || !v)
        return -1;
    dcfg__keyindex_add(ix, slot, m->n);
    dcfg__map_put(m, k, v);
    return 0;
}

static int parse_env_list(dcfg__vctx *c, const dcfg__node *in, dcfg__node *m, dcfg__keyindex *ix)
{
    int failed = 0;
    for (size_t i = 0; i < in->n; i++) {
        const dcfg__node *item = in->kids[i];
        size_t mark = dcfg__path_push_index(c, i);
        const char *s;
        size_t len;
        if (dcfg__want_str(c, item, &s, &len) || dcfg__pattern_str(c, item, s, len)) {
            failed = 1;
            dcfg__path_pop(c, mark);
            continue;
        }
        int n = env_name_len(s, len);
        const char *nl = n > 0 ? memchr(s + n, '\n', len - (size_t)n) : NULL;
        if (n < 0 || ((size_t)n < len && s[n] != '=') || nl ||
            (nl = memchr(s, '\r', len)) != NULL) {
            dcfg__err(c, item, DCFG_DIAG_INVALID_VALUE,
                      "invalid environment variable %s; expected NAME=VALUE or NAME (a letter or _ first, then letters, digits or _; one line)",
                      dcfg__show(c, item));
            failed = 1;
            dcfg__path_pop(c, mark);
            continue;
        }
        dcfg__node *v = (size_t)n == len ? env_placeholder(c, s, len)
                                         : dcfg__mk_str(c->arena, s + n + 1, len - (size_t)n - 1);
        int dup;
        if (env_put(c, m, ix, s, (size_t)n, v, &dup))
            return -1;
        if (dup) {
            dcfg__err(c, item, DCFG_DIAG_DUPLICATE, "duplicate environment variable %.*s", n, s);
            failed = 1;
        }
        dcfg__path_pop(c, mark);
    }
    return failed ? -1 : 0;
}

static int parse_env_map(dcfg__vctx *c, const dcfg__node *in, dcfg__node *m, dcfg__keyindex *ix)
{
    int failed = 0;
    const dcfg__node *saved = c->key;
    for (size_t i = 0; i < in->n; i++) {
        const dcfg__node *key = DCFG__KEY(in, i), *val = DCFG__VAL(in, i);
        const char *name;
        size_t len;
        c->key = saved;
        if (dcfg__want_str(c, key, &name, &len)) {
            failed = 1;
            continue;
        }
        if (!(name = dcfg__dict_key(c, name, &len)))
            return -1;
        size_t mark = dcfg__path_push_key(c, name, len);
        c->key = key;
        dcfg__node *v = NULL;
        if (val->type == DCFG__MAP) {
            if (dcfg__parse_object(c, val, &env_ref_schema, &v))
                failed = 1;
        } else if (val->type == DCFG__BOOL || val->type == DCFG__NULL || val->type == DCFG__SEQ) {
            dcfg__err(c, val, DCFG_DIAG_WRONG_TYPE, "expected a string value or {key: NAME}, got %s",
                      dcfg__describe(val));
            failed = 1;
        } else {
            const char *s;
            size_t slen;
            if (dcfg__want_str(c, val, &s, &slen))
                failed = 1;
            else
                v = dcfg__mk_str(c->arena, s, slen);
        }
        int dup;
        if (!failed && env_put(c, m, ix, name, len, v, &dup))
            return -1;
        dcfg__path_pop(c, mark);
    }
    c->key = saved;
    return failed ? -1 : 0;
}

static int parse_env(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    if (in->type != DCFG__SEQ && in->type != DCFG__MAP) {
        dcfg__err(c, in, DCFG_DIAG_WRONG_TYPE, "expected a list of NAME=VALUE items or a mapping, got %s",
                  dcfg__describe(in));
        return -1;
    }
    dcfg__node *m = dcfg__mk_map(c->arena, in->n);
    dcfg__keyindex ix;
    if (!m || dcfg__keyindex_init(&ix, dcfg__scratch(c), in->n))
        return -1;
    if (in->type == DCFG__SEQ ? parse_env_list(c, in, m, &ix) : parse_env_map(c, in, m, &ix))
        return -1;
    *out = m;
    return 0;
}
static const dcfg__kind k_env = { "environment", parse_env,
    "list of \"NAME=VALUE\" or \"NAME\" (value from the client's environment), or a mapping",
    "{'anyOf':[{'type':'array','items':{'type':['string','number'],'pattern':'^[A-Za-z_][A-Za-z0-9_]*(=[\\s\\S]*)?$'}},{'type':'object','additionalProperties':{'anyOf':[{'type':['string','number','null']},{'$ref':'@env_placeholder'}]}}],'examples':[['HF_TOKEN','MODEL=llama'],{'MODEL':'llama'}]}" };

/* ---- user, shell, registry_auth ------------------------------------------------ */

static int check_user_part(dcfg__vctx *c, const dcfg__node *in, const char *s, size_t len, const char *what)
{
    long long id;
    if (!len) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "invalid user format: empty %s name or id", what);
        return -1;
    }
    if (!dcfg__py_int(s, len, &id) && id < 0) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "invalid user format: negative %cid %lld", what[0] == 'u' ? 'u' : 'g', id);
        return -1;
    }
    return 0;
}

static int parse_user(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    const char *colon = memchr(s, ':', len);
    if (colon && memchr(colon + 1, ':', len - (size_t)(colon + 1 - s))) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "invalid user format: too many parts; expected USER or USER:GROUP");
        return -1;
    }
    size_t ulen = colon ? (size_t)(colon - s) : len;
    if (check_user_part(c, in, s, ulen, "user"))
        return -1;
    if (colon && check_user_part(c, in, colon + 1, len - ulen - 1, "group"))
        return -1;
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}
static const dcfg__kind k_user = { "user", parse_user, "\"USER\" or \"USER:GROUP\", names or numeric ids",
    "{'type':['string','number'],'examples':['ubuntu','1000:1000']}" };

static int parse_shell(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out)
{
    const char *s;
    size_t len;
    if (dcfg__want_str(c, in, &s, &len))
        return -1;
    if (!dcfg__node_is_str(in, "sh") && !dcfg__node_is_str(in, "bash") && !(len && s[0] == '/')) {
        dcfg__err(c, in, DCFG_DIAG_INVALID_VALUE, "the value must be `sh`, `bash`, or an absolute path, got %s",
                  dcfg__show(c, in));
        return -1;
    }
    *out = dcfg__mk_str(c->arena, s, len);
    return *out ? 0 : -1;
}
static const dcfg__kind k_shell = { "shell", parse_shell, "\"sh\", \"bash\" or an absolute path",
    "{'type':['string','number'],'examples':['bash','/bin/zsh']}" };

static const dcfg__field registry_auth_fields[] = {
    { "username", &dcfg__k_str, DCFG__F_REQUIRED, NULL, NULL, "Registry user name.", NULL },
    { "password", &dcfg__k_str, DCFG__F_REQUIRED, NULL, NULL, "Registry password or token.", NULL },
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
static const dcfg__schema registry_auth_schema = { "registry_auth", registry_auth_fields, NULL };

/* ---- root rules ----------------------------------------------------------------- */

static int str_nonempty(const dcfg__node *n) { return n && n->type == DCFG__STR && n->len > 0; }
static int is_true(const dcfg__node *n) { return n && n->type == DCFG__BOOL && n->v.b; }
static int not_null(const dcfg__node *n) { return n && n->type != DCFG__NULL; }

/* `image` and `python`: both set (an empty image does not count). */
static int rule_image_python(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    if (dcfg__obj_failed(o, "image") || dcfg__obj_failed(o, "python"))
        return 0;
    if (str_nonempty(dcfg__obj_out(o, "image")) && not_null(dcfg__obj_out(o, "python"))) {
        dcfg__obj_err(c, o, r->b, r->code, "%s", r->message);
        return -1;
    }
    return 0;
}

/* `docker` excludes image/python/nvcc, but only when written as a YAML boolean
 * true: dstack's check looks at the raw input, so "true" or 1 slip through. */
static int rule_docker_excludes(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    const dcfg__node *raw = dcfg__obj_in(o, "docker");
    if (!raw || raw->type != DCFG__BOOL || !raw->v.b || dcfg__obj_failed(o, r->a))
        return 0;
    const dcfg__node *other = dcfg__obj_out(o, r->a);
    int set = !strcmp(r->a, "image") ? str_nonempty(other) : !strcmp(r->a, "nvcc") ? is_true(other) : not_null(other);
    if (set) {
        dcfg__obj_err(c, o, "docker", r->code, "%s", r->message);
        return -1;
    }
    return 0;
}

/* Without replica groups, something must run: commands or a non-empty image. */
static int rule_commands_or_image(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r)
{
    if (dcfg__obj_failed(o, "commands") || dcfg__obj_failed(o, "image") || dcfg__obj_failed(o, "groups"))
        return 0;
    if (not_null(dcfg__obj_out(o, "groups")))
        return 0;
    if (dcfg__obj_out(o, "commands")->n == 0 && !str_nonempty(dcfg__obj_out(o, "image"))) {
        dcfg__obj_err(c, o, NULL, r->code, "%s", r->message);
        return -1;
    }
    return 0;
}

static const dcfg__rule root_rules[] = {
    { "replicas", "groups", dcfg__rule_replica_groups, DCFG_DIAG_CONFLICT, NULL },
    { "image", "python", rule_image_python, DCFG_DIAG_CONFLICT, "`image` and `python` are mutually exclusive fields" },
    { "image", "docker", rule_docker_excludes, DCFG_DIAG_CONFLICT, "`image` and `docker` are mutually exclusive fields" },
    { "python", "docker", rule_docker_excludes, DCFG_DIAG_CONFLICT, "`python` and `docker` are mutually exclusive fields" },
    { "nvcc", "docker", rule_docker_excludes, DCFG_DIAG_CONFLICT, "`nvcc` and `docker` are mutually exclusive fields" },
    { "commands", "image", rule_commands_or_image, DCFG_DIAG_REQUIRED, "either `commands` or `image` must be set" },
    { NULL, NULL, NULL, 0, NULL },
};

/* ---- the table ------------------------------------------------------------------- */

static const char *const service_type[] = { "service", NULL };
static const dcfg__int_bounds priority_bounds = { 0, 100, 0 };

/* The update column: how dstack applies a change to a running service
 * (in place, rolling deployment, or restart: stop and apply again). */
#define F(key, kind, flags, dflt, extra, upd, doc) { key, kind, (flags) | (upd), dflt, extra, doc, NULL }
#define N DCFG__F_NULLABLE
#define IP DCFG__F_IN_PLACE
#define RO DCFG__F_ROLLING
#define RS DCFG__F_RESTART
static const dcfg__field service_fields[] = {
    F("port", &k_port, DCFG__F_REQUIRED, NULL, NULL, RO, "Port the service listens on."),
    F("gateway", &k_gateway, N, NULL, NULL, IP, "Gateway to publish through; false for none, null for the default."),
    F("strip_prefix", &dcfg__k_bool, 0, "true", NULL, RS, "Strip /proxy/services/<project>/<run>/ before forwarding (no gateway)."),
    F("model", &k_model, N, NULL, NULL, RS, "Model to publish on the OpenAI-compatible endpoint."),
    F("https", &k_https, N, NULL, NULL, RS, "Serve over HTTPS; null means true; \"auto\" follows the gateway."),
    F("auth", &dcfg__k_bool, 0, "true", NULL, RS, "Require a dstack token for requests."),
    F("scaling", &dcfg__k_scaling, N, NULL, NULL, IP, "Autoscaling rules; required when `replicas` is a range."),
    F("rate_limits", &dcfg__k_rate_limits, 0, "[]", NULL, RS, "Per-prefix request rate limits (gateway only)."),
    F("probes", &dcfg__k_probes, N, NULL, NULL, RO, "HTTP readiness probes; null lets dstack pick, [] disables."),
    F("replicas", &dcfg__k_replicas, N, NULL, NULL, IP, "Replica count or range; a list is read as `groups`."),
    F("groups", &dcfg__k_groups, N, NULL, NULL, IP, "Replica groups of a heterogeneous service."),
    F("commands", &dcfg__k_str_list, 0, "[]", NULL, RO, "Shell commands run in the container."),
    F("type", &dcfg__k_literal, DCFG__F_REQUIRED, NULL, service_type, RS, "Configuration type: \"service\"."),
    F("name", &dcfg__k_str, N, NULL, NULL, RS, "Run name; a random one when null."),
    F("image", &dcfg__k_str, N, NULL, NULL, RO, "Docker image; dstack's base image when null."),
    F("user", &k_user, N, NULL, NULL, RO, "User (and group) to run as."),
    F("privileged", &dcfg__k_bool, 0, "false", NULL, RO, "Run the container in privileged mode."),
    F("entrypoint", &dcfg__k_str, N, NULL, NULL, RO, "Docker entrypoint override."),
    F("working_dir", &dcfg__k_str, N, NULL, NULL, RO, "Working directory; the image's when null."),
    F("home_dir", &dcfg__k_str, 0, "/root", NULL, RS, "Deprecated; has no effect."),
    F("registry_auth", &dcfg__k_object, N, NULL, &registry_auth_schema, RS, "Credentials for a private registry."),
    F("python", &dcfg__k_python, N, NULL, NULL, RO, "Python version of dstack's base image."),
    F("nvcc", &dcfg__k_bool, N, NULL, NULL, RO, "Use the CUDA devel variant of the base image."),
    F("single_branch", &dcfg__k_bool, N, NULL, NULL, RO, "Clone only the current branch of the repo."),
    F("env", &k_env, 0, "{}", NULL, RO, "Environment variables."),
    F("shell", &k_shell, N, NULL, NULL, RO, "Shell that runs `commands`."),
    F("resources", &dcfg__k_resources, 0, "{}", NULL, RO, "Resource requirements."),
    F("priority", &dcfg__k_int, N, NULL, &priority_bounds, IP, "Run priority 0..100; higher runs first."),
    F("volumes", &dcfg__k_volumes, 0, "[]", NULL, RO, "Network and instance volumes to mount."),
    F("docker", &dcfg__k_bool, N, NULL, NULL, RO, "Run Docker inside the container (docker-in-docker)."),
    F("repos", &dcfg__k_repos, 0, "[]", NULL, RS, "Repository to clone (at most one)."),
    F("files", &dcfg__k_files, 0, "[]", NULL, RO, "Local files to upload."),
    F("dstack", &dcfg__k_bool, 0, "false", NULL, RS, "Give the run access to the dstack server."),
    F("setup", &dcfg__k_str_list, 0, "[]", NULL, RS, "Deprecated; has no effect for services."),
    F("backends", &dcfg__k_backends, N, NULL, NULL, RS, "Backends to consider; null means all configured."),
    F("regions", &dcfg__k_str_list, N, NULL, NULL, RS, "Regions to consider."),
    F("availability_zones", &dcfg__k_str_list, N, NULL, NULL, RS, "Availability zones to consider."),
    F("instance_types", &dcfg__k_str_list, N, NULL, NULL, RS, "Cloud instance types to consider."),
    F("reservation", &dcfg__k_str, N, NULL, NULL, RS, "Capacity reservation to use."),
    F("spot_policy", &dcfg__k_enum, N, NULL, dcfg__spot_policies, RS, "Spot or on-demand instances; null means on-demand."),
    F("retry", &dcfg__k_retry, N, NULL, NULL, RS, "Retry policy: true/false or {on_events, duration}."),
    F("max_duration", &dcfg__k_off_duration, N, NULL, NULL, RS, "Stop the run after this long; \"off\" never."),
    F("stop_duration", &dcfg__k_off_duration, N, NULL, NULL, RS, "Grace period when stopping; null means 5m."),
    F("max_price", &dcfg__k_float, N, NULL, &dcfg__max_price_bounds, RS, "Maximum price per hour, in dollars."),
    F("creation_policy", &dcfg__k_enum, N, NULL, dcfg__creation_policies, RS, "Reuse instances only, or also create."),
    F("idle_duration", &dcfg__k_idle_duration, N, NULL, NULL, RS, "Keep idle instances this long; \"off\" forever."),
    F("utilization_policy", &dcfg__k_utilization_policy, N, NULL, NULL, RS, "Stop when GPU utilization stays low."),
    F("startup_order", &dcfg__k_enum, N, NULL, dcfg__startup_orders, RS, "Start order of multi-node jobs."),
    F("stop_criteria", &dcfg__k_enum, N, NULL, dcfg__stop_criteria, RS, "When a multi-node run is done."),
    F("schedule", &dcfg__k_schedule, N, NULL, NULL, RS, "Cron schedule to start the run."),
    F("fleets", &dcfg__k_fleets, N, NULL, NULL, RS, "Fleets to run on."),
    F("instances", &dcfg__k_instances, N, NULL, NULL, RS, "Specific instances to run on."),
    F("tags", &dcfg__k_tags, N, NULL, NULL, RS, "Resource tags."),
    F("backend_options", &dcfg__k_backend_options, N, NULL, NULL, RS, "Backend-specific provisioning options."),
    { NULL, NULL, 0, NULL, NULL, NULL, NULL },
};
#undef F
#undef N
#undef IP
#undef RO
#undef RS

const dcfg__schema dcfg__service_schema = { "service", service_fields, root_rules };

const char *const dcfg__other_types[] = { "task", "dev-environment", "fleet", "gateway", "volume", "preset", NULL };

/* Objects of this area, for the generated reference (tools/gen_reference.c). */
const dcfg__doc_object dcfg__root_docs[] = {
    { "port", &port_schema },
    { "model (format: openai)", &openai_schema },
    { "model (format: tgi)", &tgi_schema },
    { "env.NAME (placeholder)", &env_ref_schema },
    { "registry_auth", &registry_auth_schema },
    { NULL, NULL },
};
