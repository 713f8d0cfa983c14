/* write: text out of a normalized tree. The JSON writer (pydantic's
 * model_dump_json layout), the YAML writer, and the views that rewrite the
 * dstack view into the effective and minimal views. Calls core, and schema
 * to check that a minimal form reads back to the same configuration.
 * Nothing here is exported. */
#ifndef DCFG_WRITE_H
#define DCFG_WRITE_H

#include "schema/schema.h"

/* ---- JSON text (write/json.c) -------------------------------------------- */
/* Non-finite floats become "inf", "-inf", "nan" (every float field reads them
 * back) instead of pydantic's null, which would read back as another value. */
#define DCFG__EMIT_NONFINITE_AS_TEXT 0x10000u
dcfg_status dcfg__emit_json(dcfg__buf *out, const dcfg__node *root, unsigned flags);

/* ---- YAML text (write/yaml.c) --------------------------------------------
 * Block-style YAML of a node tree, every key in tree order. Strings that a
 * YAML 1.1 (PyYAML) or YAML 1.2 reader would read as another type are
 * double-quoted; multi-line strings become literal block scalars when that
 * is exact; floats always carry a '.' so PyYAML reads them back as floats.
 * The root must be a mapping or a list. */
dcfg_status dcfg__emit_yaml(dcfg__buf *out, const dcfg__node *root, unsigned flags);
/* 1 when the string may be written as a plain scalar (in block context) and
 * every YAML 1.1 and 1.2 reader loads it back as the same string. */
int dcfg__yaml_plain_ok(const char *s, size_t len);
/* 1 when a YAML 1.1 or 1.2 reader would give this plain text another type
 * (null, bool, int, float, timestamp, merge/value key). */
int dcfg__yaml_retypes(const char *s, size_t len);

/* ---- views (write/view_*.c) ------------------------------------------------------
 * Each builds a new tree in `a` from the normalized tree `root` (the dstack
 * view, with DCFG__NF_DEFAULTED marks). Return DCFG_OK or DCFG_ENOMEM. */

/* What dstack applies later on the server and client, resolved (SERVICE-SPEC §4). */
dcfg_status dcfg__view_effective(dcfg__arena *a, const dcfg__node *root, dcfg__node **out);

#define DCFG__MIN_SHORTHANDS 0x1u /* also try readable shorthand forms ("8000", "1..2", "A100:2") */
/* The fields the user wrote, as input that parses back to `root`: defaulted
 * fields and nulls that equal the default are left out; with
 * DCFG__MIN_SHORTHANDS each value takes the shortest form the field's own
 * parser reads back to the same value. Root keys: `type`, `name`, then
 * dstack's order. Every candidate is checked by parsing it. */
dcfg_status dcfg__view_minimal(dcfg__arena *a, const dcfg__node *root, unsigned how, dcfg__node **out);

/* ---- JSON Schema and explain (write/json_schema.c, write/explain.c) ---------- */
/* Every object schema of the service (root first), each once. */
size_t dcfg__object_schemas(const dcfg__schema **out, size_t cap);
void dcfg__schema_def_name(dcfg__buf *b, const char *name);
const dcfg__schema *dcfg__object_schema_named(const char *name, size_t len);
/* The field's kind as JSON Schema in dcfg__kind.json's relaxed notation. */
void dcfg__kind_json(dcfg__buf *b, const dcfg__field *f);
/* The whole JSON Schema, pretty-printed; draft-07 or 2020-12. DCFG_EINVALID
 * when a kind's text names no object schema (a bug the unit tests catch). */
dcfg_status dcfg__schema_json(dcfg__buf *out, dcfg__arena *a, int draft07);
/* Field at a user path ("resources.gpu", "replicas[].scaling"): 0 and *f,
 * *owner set; -1 when there is none; -2 out of memory. */
int dcfg__field_at(const dcfg_allocator *al, const char *path, const dcfg__field **f, const dcfg__schema **owner);
/* Value the effective view gives the field at `path` when the file leaves
 * it out: *out in `a`, NULL when no sample document reaches it. DCFG_OK or DCFG_ENOMEM. */
dcfg_status dcfg__effective_default(dcfg__arena *a, const char *path, const dcfg__node **out);
/* kubectl-explain-like text for `path`; DCFG_EINVALID for an unknown path
 * (the text then says which keys exist). */
dcfg_status dcfg__explain(dcfg__buf *out, dcfg__arena *a, const char *path);

#endif
