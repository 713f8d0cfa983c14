/* The validator's vocabulary: kinds, fields, rules and schemas.
 * Every object of a service configuration is one dcfg__schema: a table of
 * fields (parse order = emit order = dstack's key order) and a table of
 * cross-field rules. Parsing, defaults, validation, serialization and docs
 * all iterate these tables.
 * schema: the table-driven engine, pydantic's lax coercions and the generic
 * kinds; schema/service/ holds the tables of the service configuration.
 * Calls core, and read to parse defaults written as YAML text. */
#ifndef DCFG_SCHEMA_H
#define DCFG_SCHEMA_H

#include <stdint.h>
#include "read/read.h"

typedef struct dcfg__vctx {
    dcfg__arena *arena;      /* normalized output */
    dcfg__arena *scratch;    /* what dies with the validation (the input tree's arena); NULL: `arena` */
    dcfg_diags *diags;
    unsigned flags;          /* DCFG_PARSE_* */
    dcfg__buf path;          /* user path of the value being parsed */
    const dcfg__node *key;   /* its key in the input, for positions */
    /* the last flow-collection default read (engine.c), in `arena`: its text and tree */
    const char *dflt_text;
    dcfg__node *dflt_node;
    /* the output of every field whose default is null: one node, as nodes are immutable */
    dcfg__node *dflt_null;
} dcfg__vctx;

static inline dcfg__arena *dcfg__scratch(const dcfg__vctx *c)
{
    return c->scratch ? c->scratch : c->arena;
}

typedef struct dcfg__field dcfg__field;

/* Parse `in` (never a NULL pointer; may be a NULL node) into *out.
 * Returns 0, or -1 after reporting at least one error. */
typedef int (*dcfg__parse_fn)(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out);

typedef struct dcfg__kind {
    const char *name;    /* docs: "integer", "port", "duration" */
    dcfg__parse_fn parse;
    const char *forms;   /* docs: accepted input forms */
    /* JSON Schema of the input forms, with an `examples` list, in a relaxed
     * notation: strings in single quotes, taken literally (no escapes);
     * '@name' in a $ref names an object schema (spaces as '_').
     * NULL for the generic kinds, which write/json_schema.c renders from
     * the field's `extra`. */
    const char *json;
} dcfg__kind;

/* Fragments the kinds' `json` texts share: pydantic's lax forms. */
#define DCFG__J_INT_PATTERN "'^\\s*[+-]?[0-9](_?[0-9])*(\\.0+)?\\s*$'"
#define DCFG__J_BOOL "{'anyOf':[{'type':'boolean'},{'enum':[0,1]},{'type':'string','pattern':" \
    "'^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy]([Ee][Ss])?|[Nn][Oo]?|[Oo]([Nn]|[Ff][Ff])|[Tt]|[Ff]|[01])$'}]}"
#define DCFG__J_INT "{'anyOf':[{'type':'integer'},{'type':'boolean'},{'type':'string','pattern':" DCFG__J_INT_PATTERN "}]}"
#define DCFG__J_STR "{'type':['string','number']}"

#define DCFG__F_REQUIRED   0x1u /* absent is an error */
#define DCFG__F_NULLABLE   0x2u /* explicit null is kept as null */
#define DCFG__F_INPUT_ONLY 0x4u /* read and checked, not emitted (a rule moves its value) */
/* Update class, the table's `update` column (bits 4-5 of flags): how dstack
 * applies a change of the field to a running service (dcfg_update_class).
 * 0 means "as the field holding this object"; every root field declares one. */
#define DCFG__F_UPDATE_SHIFT 4
#define DCFG__F_UPDATE_MASK (3u << DCFG__F_UPDATE_SHIFT)
#define DCFG__F_IN_PLACE ((unsigned)DCFG_UPDATE_IN_PLACE << DCFG__F_UPDATE_SHIFT)
#define DCFG__F_ROLLING ((unsigned)DCFG_UPDATE_ROLLING << DCFG__F_UPDATE_SHIFT)
#define DCFG__F_RESTART ((unsigned)DCFG_UPDATE_RESTART << DCFG__F_UPDATE_SHIFT)
#define DCFG__FIELD_UPDATE(f) ((dcfg_update_class)(((f)->flags & DCFG__F_UPDATE_MASK) >> DCFG__F_UPDATE_SHIFT))

struct dcfg__field {
    const char *key;
    const dcfg__kind *kind;
    unsigned flags;
    const char *dflt;    /* default as YAML source text ("8GB..", "[]", "{type: ip_address}"), parsed by `kind`; NULL = null */
    const void *extra;   /* kind parameters: schema, enum values, bounds, item field */
    const char *doc;
    const char *alias;   /* older input spelling; ignored when the main key is also written */
};

/* An object being parsed: per field its input key, input value and output. */
typedef struct dcfg__obj {
    const struct dcfg__schema *schema;
    const dcfg__node *in;          /* the input mapping */
    uint32_t *at;                  /* per field: 1 + its pair's index in `in`; 0 when absent */
    dcfg__node **outs;             /* per field; NULL when it failed */
    size_t path_len;               /* c->path length of the object itself */
    const struct dcfg__builtin *builtin; /* the schema's built-ins, or NULL */
} dcfg__obj;

/* Field i's key and value as written, or NULL when absent. */
static inline const dcfg__node *dcfg__obj_key_at(const dcfg__obj *o, size_t i)
{
    return o->at[i] ? DCFG__KEY(o->in, o->at[i] - 1) : NULL;
}
static inline const dcfg__node *dcfg__obj_in_at(const dcfg__obj *o, size_t i)
{
    return o->at[i] ? DCFG__VAL(o->in, o->at[i] - 1) : NULL;
}

typedef struct dcfg__rule dcfg__rule;
/* Returns 0 when the rule holds or does not apply, -1 after reporting. */
typedef int (*dcfg__rule_fn)(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r);

struct dcfg__rule {
    const char *a, *b;       /* fields involved; the diagnostic points at `b` when given, else `a` */
    dcfg__rule_fn check;
    dcfg_diag_code code;
    const char *message;
};

typedef struct dcfg__schema {
    const char *name;
    const dcfg__field *fields; /* terminated by a row with key NULL */
    const dcfg__rule *rules;   /* terminated by a row with check NULL; may be NULL */
} dcfg__schema;

/* ---- engine (schema/engine.c) --------------------------------------------- */
int dcfg__parse_field(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *f, dcfg__node **out);
int dcfg__parse_object(dcfg__vctx *c, const dcfg__node *in, const dcfg__schema *s, dcfg__node **out);
/* Default of a field (its `dflt` text through its kind). */
int dcfg__field_default(dcfg__vctx *c, const dcfg__field *f, dcfg__node **out);
/* What dcfg__parse_object gives every object of a schema, computed at build
 * time (tools/gen_defaults.c writes constant nodes): per field its default
 * (NULL for a required field) and its output key. NULL for a schema the
 * generator did not see. */
typedef struct dcfg__key_slot {
    int16_t field;  /* -1: an empty slot */
    uint8_t alias;  /* the field's alias, not its key */
    uint8_t len;
} dcfg__key_slot;
typedef struct dcfg__builtin {
    const dcfg__node *const *dflts;
    const dcfg__node *const *keys;
    size_t nfields;
    /* every key and alias by dcfg__key_hash, open addressing over mask + 1 slots */
    const dcfg__key_slot *slots;
    size_t mask;
} dcfg__builtin;
/* FNV-1a, the built-in key tables' hash (tools/gen_defaults.c uses the same). */
static inline uint32_t dcfg__key_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}
const dcfg__builtin *dcfg__builtin_for(const dcfg__schema *s);
/* The field of s whose key (or, when `aliases`, alias) is str[0..len), by b's
 * key table; *via_alias tells which. (size_t)-1 when none. */
size_t dcfg__builtin_match(const dcfg__builtin *b, const dcfg__schema *s, const char *str, size_t len, int aliases,
                           int *via_alias);
size_t dcfg__schema_index(const dcfg__schema *s, const char *key); /* (size_t)-1 when absent */
/* Field state for rules: input value / output value / key node by name. */
const dcfg__node *dcfg__obj_in(const dcfg__obj *o, const char *key);
dcfg__node *dcfg__obj_out(const dcfg__obj *o, const char *key);
int dcfg__obj_failed(const dcfg__obj *o, const char *key);
/* Report at field `key` of the object (its key or value position). */
void dcfg__obj_err(dcfg__vctx *c, const dcfg__obj *o, const char *key, dcfg_diag_code code,
                   const char *fmt, ...) DCFG__PRINTF(5, 6);

/* Report at item i of a list being parsed: at its field `key` (or `alias`)
 * when written there, else at the item itself. */
void dcfg__item_err(dcfg__vctx *c, const dcfg__node *list, size_t i, const char *key, const char *alias,
                    dcfg_diag_code code, const char *fmt, ...) DCFG__PRINTF(7, 8);

/* path helpers: push returns the old length for dcfg__path_pop */
size_t dcfg__path_push_key(dcfg__vctx *c, const char *key, size_t len);
size_t dcfg__path_push_index(dcfg__vctx *c, size_t i);
void dcfg__path_pop(dcfg__vctx *c, size_t mark);

/* Report an error at `at` (a collection is reported at its key). */
void dcfg__err(dcfg__vctx *c, const dcfg__node *at, dcfg_diag_code code, const char *fmt, ...)
    DCFG__PRINTF(4, 5);
void dcfg__verr(dcfg__vctx *c, const dcfg__node *at, dcfg_diag_code code, const char *fmt, va_list ap);
void dcfg__warn(dcfg__vctx *c, const dcfg__node *at, dcfg_diag_code code, const char *fmt, ...)
    DCFG__PRINTF(4, 5);
/* "a list", "an integer", ... for messages */
const char *dcfg__describe(const dcfg__node *n);
/* Short quoted rendering of a scalar for messages: "\"2..\"", "3.1", "true". */
const char *dcfg__show(dcfg__vctx *c, const dcfg__node *n);

/* ---- pydantic lax coercions (schema/coerce.c) --------------------------------
 * try_*: no diagnostics; 0 ok, 1 wrong type, 2 right type but bad value.
 * want_*: report and return -1 on failure. */
int dcfg__all_digits(const char *s, size_t len); /* 1 when non-empty and only ASCII digits */
int dcfg__try_int(const dcfg__node *n, long long *out);
int dcfg__try_float(const dcfg__node *n, double *out);
int dcfg__try_bool(const dcfg__node *n, int *out);
int dcfg__try_str(dcfg__vctx *c, const dcfg__node *n, const char **s, size_t *len);
int dcfg__want_int(dcfg__vctx *c, const dcfg__node *n, long long *out);
int dcfg__want_float(dcfg__vctx *c, const dcfg__node *n, double *out);
int dcfg__want_bool(dcfg__vctx *c, const dcfg__node *n, int *out);
int dcfg__want_str(dcfg__vctx *c, const dcfg__node *n, const char **s, size_t *len);
/* pydantic-core reads a str as UTF-8 where a pattern checks it, and as lossy
 * UTF-8 where it is a dict key, so a lone surrogate (PyYAML reads "\udd00" so)
 * fails the first and becomes one U+FFFD per byte of its generalized UTF-8 in
 * the second. dcfg__pattern_str reports it (wrong-type) and returns -1;
 * dcfg__dict_key gives the key as pydantic keeps it (s itself when it has none). */
int dcfg__pattern_str(dcfg__vctx *c, const dcfg__node *at, const char *s, size_t len);
const char *dcfg__dict_key(dcfg__vctx *c, const char *s, size_t *len);
/* Python integers are unbounded: INT nodes beyond 64 bits carry DCFG__NF_BIGINT,
 * their canonical decimal text in `str` and v.i saturated to LLONG_MIN/MAX. */
dcfg__node *dcfg__mk_bigint(dcfg__arena *a, const char *text);
int dcfg__int_text(dcfg__arena *a, const char *s, size_t len, int allow_fraction, char **out);
int dcfg__try_int_node(dcfg__vctx *c, const dcfg__node *n, dcfg__node **out); /* 3 = out of memory */
int dcfg__want_int_node(dcfg__vctx *c, const dcfg__node *n, dcfg__node **out);
int dcfg__int_cmp(const dcfg__node *a, const dcfg__node *b); /* -1, 0, 1; exact for big values */
int dcfg__int_sign(const dcfg__node *n);
dcfg__node *dcfg__int_from_double(dcfg__arena *a, double f); /* trunc(f), exact; f finite */
dcfg__node *dcfg__int_mul_small(dcfg__arena *a, const char *text, unsigned m);
/* Python int() of a string: whitespace, sign, digits with single '_' between. */
int dcfg__py_int(const char *s, size_t len, long long *out);
/* Python float() of a string. */
int dcfg__py_float(const char *s, size_t len, double *out);

/* ---- generic kinds (schema/kinds.c) ------------------------------------------ */
/* Inclusive bounds; no_max: no upper limit at all, not even 64 bits. */
typedef struct dcfg__int_bounds { long long min, max; int no_max; } dcfg__int_bounds;
typedef struct dcfg__float_bounds { double min, max; int min_exclusive; } dcfg__float_bounds;

int dcfg__check_int_bounds(dcfg__vctx *c, const dcfg__node *in, const dcfg__int_bounds *b, const dcfg__node *v);
extern const dcfg__kind dcfg__k_bool, dcfg__k_int, dcfg__k_float, dcfg__k_str, dcfg__k_enum,
    dcfg__k_literal, dcfg__k_object, dcfg__k_list, dcfg__k_str_list;
/* G1 duration in seconds (extra: optional dcfg__int_bounds); G2 off-able; G3 idle. */
extern const dcfg__kind dcfg__k_duration, dcfg__k_off_duration, dcfg__k_idle_duration;
/* G4 integer range -> {min, max}; G7 entity reference -> {project, name}. */
extern const dcfg__kind dcfg__k_int_range, dcfg__k_entity_ref;
extern const dcfg__schema dcfg__int_range_schema, dcfg__entity_ref_schema;
/* Range building blocks for other bound kinds (memory sizes):
 * `bound` parses one side; `map_schema` is the {min, max} mapping form. */
int dcfg__parse_range(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *bound,
                      const dcfg__schema *map_schema, dcfg__node **out);
int dcfg__range_split(dcfg__vctx *c, const dcfg__node *in, const dcfg__field *bound,
                      dcfg__node **lo, dcfg__node **hi);
int dcfg__range_finish(dcfg__vctx *c, const dcfg__node *in, dcfg__node *lo, dcfg__node *hi, dcfg__node **out);
int dcfg__has_range_dots(const dcfg__node *n); /* a STR containing ".." */
int dcfg__parse_entity_ref(dcfg__vctx *c, const dcfg__node *in, dcfg__node **out);

/* ---- the service schema ------------------------------------------------ */
extern const dcfg__schema dcfg__service_schema;
/* Other `type:` values dstack knows, for the not-a-service diagnostic. */
extern const char *const dcfg__other_types[];

/* Update class of the value at a dstack-view path ("groups[1].router.type"):
 * the class of the deepest field on the path that declares one (schema/service/update.c).
 * A path outside the tables gets DCFG_UPDATE_RESTART. */
dcfg_update_class dcfg__update_class_of(const char *path);
/* Hints for keys from other tools (schema/service/hints.c): `object` is a
 * schema name; when_mapping rows explain a known key written as a mapping. */
typedef struct dcfg__key_hint { const char *object, *key; int when_mapping; const char *hint; } dcfg__key_hint;
extern const dcfg__key_hint dcfg__key_hints[]; /* terminated by a row with object NULL */
const char *dcfg__key_hint_for(const dcfg__schema *s, const dcfg__node *key, int when_mapping);

/* Validates an input tree as a whole document (type check, schema, rules)
 * into `a`: 0 with *out set, -1 with errors in `d` (or on OOM). */
int dcfg__validate_tree(dcfg__arena *a, dcfg_diags *d, const dcfg__node *in, unsigned flags, dcfg__node **out);

#endif
