/* dstackcfg — descriptions of the configuration format itself: a JSON
 * Schema for editors and validators, and per-field explanations. Both are
 * generated from the library's field tables. */
#ifndef DSTACKCFG_DESCRIBE_H
#define DSTACKCFG_DESCRIBE_H

#include <dstackcfg/common.h>

DCFG_BEGIN_DECLS

/** JSON Schema dialect of dcfg_schema_json(). */
typedef enum dcfg_schema_draft {
    DCFG_SCHEMA_DRAFT_2020_12 = 0, /**< "$defs"; the current standard */
    DCFG_SCHEMA_DRAFT_07 = 1       /**< "definitions"; what most editor plugins read best */
} dcfg_schema_draft;

/**
 * JSON Schema of a service configuration (pretty-printed, newline-terminated).
 * It accepts every input form the library accepts (pydantic's lax coercions
 * included) and rejects what a schema can express: unknown keys, wrong
 * types, values outside an enum, numbers out of bounds, malformed shorthands.
 * Cross-field rules are not in it: use dcfg_config_parse() for the verdict.
 * @param out      receives the text
 * @param len_out  receives its length; may be NULL
 * @param draft    DCFG_SCHEMA_DRAFT_2020_12 or DCFG_SCHEMA_DRAFT_07
 * @param al       allocator for every allocation; NULL means malloc/free
 * @return DCFG_OK; DCFG_EUSAGE for a NULL out or an unknown draft; DCFG_ENOMEM.
 * Ownership: *out belongs to the caller, free it with dcfg_free().
 */
DCFG_API dcfg_status dcfg_schema_json(char **out, size_t *len_out, dcfg_schema_draft draft,
                                      const dcfg_allocator *al);

/**
 * Plain-text explanation of one field: type, accepted forms with examples,
 * default, effective default (what dstack resolves later), whether null is
 * allowed, the cross-field rules naming it and, for objects, their fields.
 * @param path  a field path in YAML spelling, list items as "[]" or "[N]":
 *              "port", "resources.gpu", "replicas[].scaling", "probes[0].url"
 * @param al    allocator for every allocation; NULL means malloc/free
 * @return DCFG_OK; DCFG_EINVALID when no field has that path (*out then says
 *         which top-level fields exist); DCFG_EUSAGE for NULL out or path; DCFG_ENOMEM.
 * Ownership: *out belongs to the caller, free it with dcfg_free(); it is set
 * for DCFG_OK and DCFG_EINVALID.
 */
DCFG_API dcfg_status dcfg_explain(char **out, const char *path, const dcfg_allocator *al);

DCFG_END_DECLS

#endif
