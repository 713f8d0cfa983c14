/* Serialization internals: the YAML writer, the three views and the builder's
 * state. Nothing here is exported. */
#ifndef DCFG_SERIALIZE_H
#define DCFG_SERIALIZE_H

#include "schema.h"

/* ---- YAML text (emit_yaml.c) --------------------------------------------
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

/* ---- views (views.c) ------------------------------------------------------
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

/* An allocator that forwards to `real` and remembers a failure, so that a
 * failure some code handled quietly (a "?" in a message, a parse that gave
 * up) is still seen as out of memory. Memory it hands out belongs to `real`. */
typedef struct dcfg__watch {
    dcfg_allocator al;            /* use this one; its user is the watch itself */
    const dcfg_allocator *real;
    int failed;
} dcfg__watch;
void dcfg__watch_init(dcfg__watch *w, const dcfg_allocator *real);

/* Deep copy into `a` (flags kept). NULL on OOM. */
dcfg__node *dcfg__node_copy(dcfg__arena *a, const dcfg__node *n);

/* Validates an input tree as a whole document (type check, schema, rules)
 * into `a`: 0 with *out set, -1 with errors in `d` (or on OOM). */
int dcfg__validate_tree(dcfg__arena *a, dcfg_diags *d, const dcfg__node *in, unsigned flags, dcfg__node **out);

/* ---- builder state (builder.c) ------------------------------------------ */
struct dcfg__builder {
    dcfg__node *input;   /* what has been set, as an input tree (in cfg->arena); cfg->root is
                            its normalized tree, or NULL while it does not validate */
};

#endif
