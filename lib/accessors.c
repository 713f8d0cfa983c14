/* Read access: generic values by path, and typed accessors for the root. */
#include <stdlib.h>
#include <string.h>
#include "config_impl.h"

/* dcfg_value is the normalized node itself; the public type stays opaque. */
static const dcfg__node *N(const dcfg_value *v) { return (const dcfg__node *)v; }
static const dcfg_value *V(const dcfg__node *n) { return (const dcfg_value *)n; }

const dcfg_value *dcfg_config_root(const dcfg_config *cfg) { return cfg ? V(cfg->root) : NULL; }

dcfg_value_kind dcfg_value_kind_of(const dcfg_value *v)
{
    static const dcfg_value_kind kinds[] = {
        [DCFG__NULL] = DCFG_VALUE_NULL, [DCFG__BOOL] = DCFG_VALUE_BOOL, [DCFG__INT] = DCFG_VALUE_INT,
        [DCFG__FLOAT] = DCFG_VALUE_FLOAT, [DCFG__STR] = DCFG_VALUE_STRING, [DCFG__MAP] = DCFG_VALUE_MAP,
        [DCFG__SEQ] = DCFG_VALUE_LIST,
    };
    return v ? kinds[N(v)->type] : DCFG_VALUE_NULL;
}

int dcfg_value_bool(const dcfg_value *v) { return v && N(v)->type == DCFG__BOOL && N(v)->v.b; }
dcfg_int64 dcfg_value_int(const dcfg_value *v) { return v && N(v)->type == DCFG__INT ? N(v)->v.i : 0; }

double dcfg_value_float(const dcfg_value *v)
{
    if (!v)
        return 0;
    if (N(v)->type == DCFG__FLOAT)
        return N(v)->v.f;
    return N(v)->type == DCFG__INT ? (double)N(v)->v.i : 0;
}

const char *dcfg_value_string(const dcfg_value *v, size_t *len_out)
{
    if (!v || N(v)->type != DCFG__STR)
        return NULL;
    if (len_out)
        *len_out = N(v)->len;
    return N(v)->str;
}

size_t dcfg_value_count(const dcfg_value *v)
{
    return v && (N(v)->type == DCFG__SEQ || N(v)->type == DCFG__MAP) ? N(v)->n : 0;
}

const dcfg_value *dcfg_value_at(const dcfg_value *v, size_t i)
{
    if (!v || i >= dcfg_value_count(v))
        return NULL;
    return V(N(v)->type == DCFG__MAP ? DCFG__VAL(N(v), i) : N(v)->kids[i]);
}

const char *dcfg_value_key(const dcfg_value *v, size_t i, size_t *len_out)
{
    if (len_out)
        *len_out = 0;
    if (!v || N(v)->type != DCFG__MAP || i >= N(v)->n)
        return NULL;
    const dcfg__node *k = DCFG__KEY(N(v), i);
    if (len_out)
        *len_out = k->len;
    return k->str;
}

const char *dcfg_value_key_at(const dcfg_value *v, size_t i) { return dcfg_value_key(v, i, NULL); }

static const dcfg__node *member(const dcfg__node *m, const char *key, size_t len)
{
    if (!m || m->type != DCFG__MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++) {
        const dcfg__node *k = DCFG__KEY(m, i);
        if (k->len == len && !memcmp(k->str, key, len))
            return DCFG__VAL(m, i);
    }
    return NULL;
}

const dcfg_value *dcfg_value_get(const dcfg_value *v, const char *key)
{
    return key ? V(member(N(v), key, strlen(key))) : NULL;
}

/* "a.b[2].c" */
const dcfg_value *dcfg_config_get(const dcfg_config *cfg, const char *path)
{
    if (!cfg || !path)
        return NULL;
    const dcfg__node *n = cfg->root;
    const char *p = path;
    while (n && *p) {
        if (*p == '[') {
            char *end;
            unsigned long i = strtoul(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || n->type != DCFG__SEQ || i >= n->n)
                return NULL;
            n = n->kids[i];
            p = end + 1;
            if (*p == '.')
                p++;
            continue;
        }
        size_t len = strcspn(p, ".[");
        n = member(n, p, len);
        p += len;
        if (*p == '.')
            p++;
    }
    return V(n);
}

/* ---- typed accessors ------------------------------------------------------ */

static const dcfg__node *at(const dcfg_config *cfg, const char *path) { return N(dcfg_config_get(cfg, path)); }

static const char *str_at(const dcfg_config *cfg, const char *path)
{
    const dcfg__node *n = at(cfg, path);
    return n && n->type == DCFG__STR ? n->str : NULL;
}

static int bool_at(const dcfg_config *cfg, const char *path)
{
    const dcfg__node *n = at(cfg, path);
    return n && n->type == DCFG__BOOL && n->v.b;
}

static dcfg_tristate tri_at(const dcfg_config *cfg, const char *path)
{
    const dcfg__node *n = at(cfg, path);
    return n && n->type == DCFG__BOOL ? (n->v.b ? DCFG_TRUE : DCFG_FALSE) : DCFG_UNSET;
}

static unsigned uint_at(const dcfg_config *cfg, const char *path)
{
    const dcfg__node *n = at(cfg, path);
    return n && n->type == DCFG__INT && n->v.i > 0 ? (unsigned)n->v.i : 0;
}

const char *dcfg_config_type(const dcfg_config *cfg) { return str_at(cfg, "type"); }
const char *dcfg_config_name(const dcfg_config *cfg) { return str_at(cfg, "name"); }
unsigned dcfg_config_port(const dcfg_config *cfg) { return uint_at(cfg, "port.container_port"); }
unsigned dcfg_config_local_port(const dcfg_config *cfg) { return uint_at(cfg, "port.local_port"); }

dcfg_gateway_mode dcfg_config_gateway(const dcfg_config *cfg)
{
    const dcfg__node *n = at(cfg, "gateway");
    if (!n || n->type == DCFG__NULL)
        return DCFG_GATEWAY_DEFAULT;
    if (n->type == DCFG__BOOL)
        return n->v.b ? DCFG_GATEWAY_REQUIRED : DCFG_GATEWAY_NONE;
    return DCFG_GATEWAY_NAMED;
}
const char *dcfg_config_gateway_name(const dcfg_config *cfg) { return str_at(cfg, "gateway.name"); }
const char *dcfg_config_gateway_project(const dcfg_config *cfg) { return str_at(cfg, "gateway.project"); }

dcfg_https_mode dcfg_config_https(const dcfg_config *cfg)
{
    const dcfg__node *n = at(cfg, "https");
    if (!n || n->type == DCFG__NULL)
        return DCFG_HTTPS_DEFAULT;
    if (n->type == DCFG__STR)
        return DCFG_HTTPS_AUTO;
    return n->v.b ? DCFG_HTTPS_TRUE : DCFG_HTTPS_FALSE;
}
int dcfg_config_strip_prefix(const dcfg_config *cfg) { return bool_at(cfg, "strip_prefix"); }
int dcfg_config_auth(const dcfg_config *cfg) { return bool_at(cfg, "auth"); }

dcfg_model_format dcfg_config_model_format(const dcfg_config *cfg)
{
    const char *f = str_at(cfg, "model.format");
    if (!f)
        return DCFG_MODEL_NONE;
    return !strcmp(f, "tgi") ? DCFG_MODEL_TGI : DCFG_MODEL_OPENAI;
}
const char *dcfg_config_model_name(const dcfg_config *cfg) { return str_at(cfg, "model.name"); }
const char *dcfg_config_model_prefix(const dcfg_config *cfg) { return str_at(cfg, "model.prefix"); }
const char *dcfg_config_model_chat_template(const dcfg_config *cfg) { return str_at(cfg, "model.chat_template"); }
const char *dcfg_config_model_eos_token(const dcfg_config *cfg) { return str_at(cfg, "model.eos_token"); }

static size_t count_at(const dcfg_config *cfg, const char *path) { return dcfg_value_count(V(at(cfg, path))); }
static const char *item_at(const dcfg_config *cfg, const char *path, size_t i)
{
    return dcfg_value_string(dcfg_value_at(V(at(cfg, path)), i), NULL);
}

size_t dcfg_config_commands_count(const dcfg_config *cfg) { return count_at(cfg, "commands"); }
const char *dcfg_config_command(const dcfg_config *cfg, size_t i) { return item_at(cfg, "commands", i); }
size_t dcfg_config_setup_count(const dcfg_config *cfg) { return count_at(cfg, "setup"); }
const char *dcfg_config_setup(const dcfg_config *cfg, size_t i) { return item_at(cfg, "setup", i); }
const char *dcfg_config_image(const dcfg_config *cfg) { return str_at(cfg, "image"); }
const char *dcfg_config_user(const dcfg_config *cfg) { return str_at(cfg, "user"); }
int dcfg_config_privileged(const dcfg_config *cfg) { return bool_at(cfg, "privileged"); }
const char *dcfg_config_entrypoint(const dcfg_config *cfg) { return str_at(cfg, "entrypoint"); }
const char *dcfg_config_working_dir(const dcfg_config *cfg) { return str_at(cfg, "working_dir"); }
const char *dcfg_config_home_dir(const dcfg_config *cfg) { return str_at(cfg, "home_dir"); }
const char *dcfg_config_registry_username(const dcfg_config *cfg) { return str_at(cfg, "registry_auth.username"); }
const char *dcfg_config_registry_password(const dcfg_config *cfg) { return str_at(cfg, "registry_auth.password"); }
const char *dcfg_config_python(const dcfg_config *cfg) { return str_at(cfg, "python"); }
dcfg_tristate dcfg_config_nvcc(const dcfg_config *cfg) { return tri_at(cfg, "nvcc"); }
dcfg_tristate dcfg_config_single_branch(const dcfg_config *cfg) { return tri_at(cfg, "single_branch"); }
dcfg_tristate dcfg_config_docker(const dcfg_config *cfg) { return tri_at(cfg, "docker"); }
int dcfg_config_dstack(const dcfg_config *cfg) { return bool_at(cfg, "dstack"); }
const char *dcfg_config_shell(const dcfg_config *cfg) { return str_at(cfg, "shell"); }

int dcfg_config_priority(const dcfg_config *cfg)
{
    const dcfg__node *n = at(cfg, "priority");
    return n && n->type == DCFG__INT ? (int)n->v.i : -1;
}

size_t dcfg_config_env_count(const dcfg_config *cfg) { return count_at(cfg, "env"); }
const char *dcfg_config_env_name(const dcfg_config *cfg, size_t i)
{
    return dcfg_value_key_at(V(at(cfg, "env")), i);
}
const char *dcfg_config_env_value(const dcfg_config *cfg, size_t i)
{
    return dcfg_value_string(dcfg_value_at(V(at(cfg, "env")), i), NULL);
}
