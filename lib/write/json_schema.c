/* A JSON Schema of the service configuration, rendered from the field
 * tables: every object schema becomes a definition, every field a property
 * with its description, default and the JSON Schema text of its kind
 * (dcfg__kind.json, or built here for the generic kinds from `extra`). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "schema/service/areas.h"
#include "write/write.h"

/* ---- the object schemas ------------------------------------------------- */

size_t dcfg__object_schemas(const dcfg__schema **out, size_t cap)
{
    const dcfg__doc_object *const areas[] = { dcfg__root_docs, dcfg__replicas_docs, dcfg__resources_docs,
                                              dcfg__traffic_docs, dcfg__storage_docs, dcfg__profile_docs };
    size_t n = 0;
    const dcfg__schema *extra[] = { &dcfg__service_schema, &dcfg__int_range_schema, &dcfg__entity_ref_schema };
    for (size_t i = 0; i < sizeof extra / sizeof *extra && n < cap; i++)
        out[n++] = extra[i];
    for (size_t a = 0; a < sizeof areas / sizeof *areas; a++)
        for (const dcfg__doc_object *d = areas[a]; d->path && n < cap; d++) {
            size_t j = 0;
            while (j < n && out[j] != d->schema)
                j++;
            if (j == n)
                out[n++] = d->schema;
        }
    return n;
}

/* Definition name: the schema name with every non-alphanumeric byte as '_'. */
void dcfg__schema_def_name(dcfg__buf *b, const char *name)
{
    for (; *name; name++) {
        char ch = *name;
        int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        dcfg__buf_putc(b, alnum ? ch : '_');
    }
}

const dcfg__schema *dcfg__object_schema_named(const char *name, size_t len)
{
    const dcfg__schema *all[64];
    size_t n = dcfg__object_schemas(all, 64);
    char tmp[96];
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        for (const char *p = all[i]->name; *p && k < sizeof tmp - 1; p++, k++) {
            char ch = *p;
            int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
            tmp[k] = alnum ? ch : '_';
        }
        if (k == len && !memcmp(tmp, name, len))
            return all[i];
    }
    return NULL;
}

/* ---- kinds in the relaxed notation (see dcfg__kind.json) ------------------ */

#define INT_PATTERN DCFG__J_INT_PATTERN
#define FLOAT_PATTERN "'^\\s*[+-]?(([0-9](_?[0-9])*)?\\.?[0-9](_?[0-9])*([eE][+-]?[0-9](_?[0-9])*)?" \
    "|[0-9](_?[0-9])*\\.([eE][+-]?[0-9]+)?|[Ii][Nn][Ff]([Ii][Nn][Ii][Tt][Yy])?|[Nn][Aa][Nn])\\s*$'"
#define DURATION_PATTERN "'^\\s*[+-]?[0-9](_?[0-9])*\\s*$|^[0-9]+ *[smhdw]\\n?$'"

static void put_bounds(dcfg__buf *b, const dcfg__int_bounds *bd)
{
    if (!bd)
        return;
    dcfg__buf_printf(b, ",'minimum':%lld", bd->min);
    if (!bd->no_max)
        dcfg__buf_printf(b, ",'maximum':%lld", bd->max);
}

/* The next double above a finite v (no libm: the library does not link it). */
static double next_up(double v)
{
    if (v == 0.0)
        return 5e-324;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits += v > 0 ? 1 : (uint64_t)-1;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static void put_number(dcfg__buf *b, double v)
{
    char tmp[40];
    dcfg__float_repr(tmp, v);
    dcfg__buf_puts(b, tmp);
}

void dcfg__kind_json(dcfg__buf *b, const dcfg__field *f)
{
    const dcfg__kind *k = f->kind;
    if (k->json) {
        dcfg__buf_puts(b, k->json);
    } else if (k == &dcfg__k_bool) {
        dcfg__buf_puts(b, DCFG__J_BOOL);
    } else if (k == &dcfg__k_int) {
        dcfg__buf_puts(b, "{'anyOf':[{'type':'integer'");
        put_bounds(b, f->extra);
        dcfg__buf_puts(b, "},{'type':'boolean'},{'type':'string','pattern':" INT_PATTERN "}]}");
    } else if (k == &dcfg__k_float) {
        const dcfg__float_bounds *fb = f->extra;
        dcfg__buf_puts(b, "{'anyOf':[{'type':'number'");
        if (fb && isfinite(fb->min)) {
            dcfg__buf_puts(b, fb->min_exclusive ? ",'exclusiveMinimum':" : ",'minimum':");
            put_number(b, fb->min);
        }
        if (fb && isfinite(fb->max)) {
            /* the library compares as a double: an integer just above the bound rounds onto it */
            dcfg__buf_puts(b, ",'maximum':");
            put_number(b, next_up(fb->max));
        }
        dcfg__buf_puts(b, "},{'type':'boolean'},{'type':'string','pattern':" FLOAT_PATTERN "}]}");
    } else if (k == &dcfg__k_str) {
        dcfg__buf_puts(b, DCFG__J_STR);
    } else if (k == &dcfg__k_enum || k == &dcfg__k_literal) {
        const char *const *v = f->extra;
        dcfg__buf_puts(b, "{'enum':[");
        for (size_t i = 0; v[i]; i++) {
            dcfg__buf_puts(b, i ? "," : "");
            dcfg__json_string(b, v[i], strlen(v[i]));
        }
        dcfg__buf_puts(b, "]}");
    } else if (k == &dcfg__k_object) {
        const dcfg__schema *s = f->extra;
        dcfg__buf_puts(b, "{'$ref':'@");
        dcfg__schema_def_name(b, s->name);
        dcfg__buf_puts(b, "'}");
    } else if (k == &dcfg__k_list) {
        dcfg__buf_puts(b, "{'type':'array','items':");
        dcfg__kind_json(b, f->extra);
        dcfg__buf_puts(b, "}");
    } else if (k == &dcfg__k_str_list) {
        dcfg__buf_puts(b, "{'type':'array','items':" DCFG__J_STR ",'examples':[['echo hello']]}");
    } else if (k == &dcfg__k_duration) {
        dcfg__buf_puts(b, "{'anyOf':[{'type':'integer'");
        put_bounds(b, f->extra);
        dcfg__buf_puts(b, "},{'type':'number'},{'type':'boolean'},{'type':'string','pattern':" DURATION_PATTERN
                          "}],'examples':[300,'5m','1h']}");
    } else if (k == &dcfg__k_off_duration || k == &dcfg__k_idle_duration) {
        const char *min = k == &dcfg__k_off_duration ? ",'minimum':0" : "";
        dcfg__buf_printf(b, "{'anyOf':[{'type':'integer'%s},{'type':'number'%s},{'type':'boolean'},{'enum':['off']},"
                            "{'type':'string','pattern':" DURATION_PATTERN "}],'examples':['5m','1h','off']}",
                         min, min);
    } else {
        dcfg__buf_puts(b, "{}"); /* a kind without a shape: anything */
    }
}

/* ---- one object ------------------------------------------------------------ */

static void put_default(dcfg__buf *b, dcfg__arena *a, const dcfg__field *f)
{
    if (f->flags & DCFG__F_REQUIRED)
        return;
    dcfg__vctx c = { .arena = a, .diags = dcfg__diags_new(a->al, "") };
    dcfg__buf_init(&c.path, a->al);
    dcfg__node *v = NULL;
    if (c.diags && !dcfg__field_default(&c, f, &v) && v && !c.path.oom) {
        dcfg__buf_puts(b, ",\"default\":");
        dcfg__emit_json(b, v, 0);
    } else {
        a->oom = 1; /* defaults are valid: only memory can fail */
    }
    dcfg__buf_free(&c.path);
    dcfg_diags_free(c.diags);
}

static void put_property(dcfg__buf *b, dcfg__arena *a, const dcfg__field *f, const char *key)
{
    dcfg__json_string(b, key, strlen(key));
    dcfg__buf_puts(b, ":{\"description\":");
    dcfg__json_string(b, f->doc ? f->doc : "", f->doc ? strlen(f->doc) : 0);
    put_default(b, a, f);
    dcfg__buf_puts(b, f->flags & DCFG__F_NULLABLE ? ",'anyOf':[" : ",'allOf':[");
    dcfg__kind_json(b, f);
    dcfg__buf_puts(b, f->flags & DCFG__F_NULLABLE ? ",{'type':'null'}]}" : "]}");
}

/* The properties of schema `s` as relaxed text (no braces around). */
static void put_object_body(dcfg__buf *b, dcfg__arena *a, const dcfg__schema *s, int titled)
{
    dcfg__buf_puts(b, "'type':'object',");
    if (titled) {
        dcfg__buf_puts(b, "'title':");
        dcfg__json_string(b, s->name, strlen(s->name));
        dcfg__buf_putc(b, ',');
    }
    dcfg__buf_puts(b, "'additionalProperties':false,'properties':{");
    int first = 1;
    for (const dcfg__field *f = s->fields; f->key; f++) {
        dcfg__buf_puts(b, first ? "" : ",");
        first = 0;
        put_property(b, a, f, f->key);
        if (f->alias) /* checked below, only when the main spelling is absent */
            dcfg__buf_printf(b, ",\"%s\":{\"description\":\"Older spelling of `%s`; ignored when `%s` is also written.\"}",
                             f->alias, f->key, f->key);
    }
    dcfg__buf_puts(b, "}");
    first = 1;
    for (const dcfg__field *f = s->fields; f->key; f++) {
        if (!(f->flags & DCFG__F_REQUIRED) || f->alias)
            continue;
        dcfg__buf_puts(b, first ? ",'required':[" : ",");
        first = 0;
        dcfg__json_string(b, f->key, strlen(f->key));
    }
    if (!first)
        dcfg__buf_puts(b, "]");
    first = 1;
    for (const dcfg__field *f = s->fields; f->key; f++) {
        if (!f->alias)
            continue;
        dcfg__buf_puts(b, first ? ",'allOf':[" : ",");
        first = 0;
        dcfg__buf_printf(b, "{'if':{'required':['%s']},'else':{", f->key);
        if (f->flags & DCFG__F_REQUIRED)
            dcfg__buf_printf(b, "'required':['%s'],", f->alias);
        dcfg__buf_puts(b, "'properties':{");
        put_property(b, a, f, f->alias);
        dcfg__buf_puts(b, "}}}");
    }
    if (!first)
        dcfg__buf_puts(b, "]");
}

/* ---- relaxed notation to JSON -------------------------------------------- */

/* Copies relaxed text as JSON: 'text' becomes a JSON string ('@name' a
 * definition reference), "..." is already JSON. Returns -1 on a malformed text. */
static int relaxed_to_json(dcfg__buf *out, const char *s, size_t len, const char *ref_prefix)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '"') {
            size_t j = i + 1;
            while (j < len && s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            if (j >= len)
                return -1;
            dcfg__buf_putn(out, s + i, j - i + 1);
            i = j;
        } else if (ch == '\'') {
            const char *end = memchr(s + i + 1, '\'', len - i - 1);
            if (!end)
                return -1;
            const char *p = s + i + 1;
            size_t n = (size_t)(end - p);
            if (n && p[0] == '@') {
                if (!dcfg__object_schema_named(p + 1, n - 1))
                    return -1; /* a reference to no table */
                dcfg__buf_putc(out, '"');
                dcfg__buf_puts(out, ref_prefix);
                dcfg__buf_putn(out, p + 1, n - 1);
                dcfg__buf_putc(out, '"');
            } else {
                dcfg__json_string(out, p, n);
            }
            i = (size_t)(end - s);
        } else if (ch == ',' && i + 1 < len && (s[i + 1] == ']' || s[i + 1] == '}')) {
            continue; /* a list written by an X-macro ends with a comma */
        } else {
            dcfg__buf_putc(out, ch);
        }
    }
    return 0;
}

/* Indents compact JSON, two spaces a level; "{}" and "[]" stay as they are. */
static void pretty(dcfg__buf *out, const char *s, size_t len)
{
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '"') {
            size_t j = i + 1;
            while (j < len && s[j] != '"')
                j += s[j] == '\\' ? 2 : 1;
            dcfg__buf_putn(out, s + i, j - i + 1);
            i = j;
        } else if ((ch == '{' || ch == '[') && i + 1 < len && (s[i + 1] == '}' || s[i + 1] == ']')) {
            dcfg__buf_putc(out, ch);
            dcfg__buf_putc(out, s[++i]);
        } else if (ch == '{' || ch == '[') {
            dcfg__buf_printf(out, "%c\n%*s", ch, 2 * ++depth, "");
        } else if (ch == '}' || ch == ']') {
            dcfg__buf_printf(out, "\n%*s%c", 2 * --depth, "", ch);
        } else if (ch == ',') {
            dcfg__buf_printf(out, ",\n%*s", 2 * depth, "");
        } else if (ch == ':') {
            dcfg__buf_puts(out, ": ");
        } else {
            dcfg__buf_putc(out, ch);
        }
    }
    dcfg__buf_putc(out, '\n');
}

dcfg_status dcfg__schema_json(dcfg__buf *out, dcfg__arena *a, int draft07)
{
    const dcfg__schema *all[64];
    size_t n = dcfg__object_schemas(all, 64);
    dcfg__buf rel, js;
    dcfg__buf_init(&rel, a->al);
    dcfg__buf_init(&js, a->al);
    dcfg__buf_printf(&rel, "{'$schema':'%s','title':'dstack service configuration',"
                           "'description':'A dstack 0.22.5 `type: service` configuration; generated from the dstackcfg field tables.',",
                     draft07 ? "http://json-schema.org/draft-07/schema#" : "https://json-schema.org/draft/2020-12/schema");
    put_object_body(&rel, a, &dcfg__service_schema, 0);
    dcfg__buf_puts(&rel, draft07 ? ",'definitions':{" : ",'$defs':{");
    for (size_t i = 0; i < n; i++) {
        dcfg__buf_puts(&rel, i ? ",'" : "'");
        dcfg__schema_def_name(&rel, all[i]->name);
        dcfg__buf_puts(&rel, "':{");
        put_object_body(&rel, a, all[i], 1);
        dcfg__buf_puts(&rel, "}");
    }
    dcfg__buf_puts(&rel, "}}");
    dcfg_status rc = DCFG_ENOMEM;
    if (!rel.oom && !a->oom) {
        rc = relaxed_to_json(&js, rel.p, rel.len, draft07 ? "#/definitions/" : "#/$defs/") ? DCFG_EINVALID : DCFG_OK;
        if (rc == DCFG_OK) {
            pretty(out, js.p, js.len);
            rc = out->oom || js.oom ? DCFG_ENOMEM : DCFG_OK;
        }
    }
    dcfg__buf_free(&rel);
    dcfg__buf_free(&js);
    return rc;
}
