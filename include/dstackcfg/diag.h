/* dstackcfg — diagnostics: every problem found in one input, with its position. */
#ifndef DSTACKCFG_DIAG_H
#define DSTACKCFG_DIAG_H

#include <dstackcfg/common.h>

DCFG_BEGIN_DECLS

typedef struct dcfg_diags dcfg_diags; /**< opaque list of diagnostics */
typedef struct dcfg_diag dcfg_diag;   /**< opaque single diagnostic, owned by its list */

/** Stable diagnostic codes. Match on these, never on message text. */
typedef enum dcfg_diag_code {
    DCFG_DIAG_SYNTAX = 1,        /**< "syntax": not well-formed YAML/JSON */
    DCFG_DIAG_ENCODING,          /**< "encoding": invalid UTF-8, NUL or other non-printable bytes */
    DCFG_DIAG_LIMIT,             /**< "limit": a configured size/depth/alias limit was exceeded */
    DCFG_DIAG_NOT_SERVICE,       /**< "not-a-service": a configuration of another dstack type */
    DCFG_DIAG_UNKNOWN_FIELD,     /**< "unknown-field" */
    DCFG_DIAG_REQUIRED,          /**< "required": a required field is missing */
    DCFG_DIAG_WRONG_TYPE,        /**< "wrong-type": e.g. a list where a string is expected */
    DCFG_DIAG_INVALID_VALUE,     /**< "invalid-value": right type, bad content */
    DCFG_DIAG_UNSUPPORTED_VALUE, /**< "unsupported-value": not one of the allowed values */
    DCFG_DIAG_CONFLICT,          /**< "conflict": fields that exclude each other */
    DCFG_DIAG_DUPLICATE,         /**< "duplicate": repeated item where items must be unique */
    DCFG_DIAG_DUPLICATE_KEY      /**< "duplicate-key": a mapping key written twice (last wins) */
} dcfg_diag_code;

/** How bad a diagnostic is: an error makes the parse fail, a warning does not. */
typedef enum dcfg_severity {
    DCFG_SEVERITY_ERROR = 0,  /**< the configuration is rejected */
    DCFG_SEVERITY_WARNING = 1 /**< accepted (duplicate key, unknown field under DCFG_PARSE_UNKNOWN_AS_WARNING) */
} dcfg_severity;

/** Free a list. NULL is fine. */
DCFG_API void dcfg_diags_free(dcfg_diags *diags);
/** Number of diagnostics (errors and warnings). NULL gives 0. */
DCFG_API size_t dcfg_diags_count(const dcfg_diags *diags);
/** Number of diagnostics with error severity. */
DCFG_API size_t dcfg_diags_error_count(const dcfg_diags *diags);
/** The i-th diagnostic (in document order), or NULL when out of range. Borrowed from the list. */
DCFG_API const dcfg_diag *dcfg_diags_at(const dcfg_diags *diags, size_t i);
/** Source name given in the parse options ("<input>" when none). Borrowed. */
DCFG_API const char *dcfg_diags_source(const dcfg_diags *diags);

/** Stable code of a diagnostic; 0 for a NULL diag. */
DCFG_API dcfg_diag_code dcfg_diag_code_of(const dcfg_diag *diag);
/** Stable kebab-case name of a code ("unknown-field"). Static storage; "unknown" for bad codes. */
DCFG_API const char *dcfg_diag_code_name(dcfg_diag_code code);
/** Error or warning; DCFG_SEVERITY_ERROR for a NULL diag. */
DCFG_API dcfg_severity dcfg_diag_severity(const dcfg_diag *diag);
/** Field path in the user's spelling ("resources.gpu.memory", "probes[0].url"); "" for the document. */
DCFG_API const char *dcfg_diag_path(const dcfg_diag *diag);
/** 1-based line; 0 when unknown. */
DCFG_API unsigned dcfg_diag_line(const dcfg_diag *diag);
/** 1-based column (in characters); 0 when unknown. */
DCFG_API unsigned dcfg_diag_column(const dcfg_diag *diag);
/** Second position involved (the first occurrence for a duplicate key); 0 when none. */
DCFG_API unsigned dcfg_diag_related_line(const dcfg_diag *diag);
DCFG_API unsigned dcfg_diag_related_column(const dcfg_diag *diag); /**< column of the second position; 0 when none */
/** Human-readable message, without path or position. Borrowed. */
DCFG_API const char *dcfg_diag_message(const dcfg_diag *diag);

/**
 * One line of text: `SOURCE:LINE:COL: error: PATH: MESSAGE [code]`
 * (`warning:` for warnings; PATH and its colon are left out for the document itself).
 * Ownership: *out belongs to the caller, free it with dcfg_free().
 */
DCFG_API dcfg_status dcfg_diag_format(char **out, const dcfg_diag *diag, const char *source);

/**
 * All diagnostics as a JSON array of objects with keys
 * source, line, column, severity, code, path, message.
 * Ownership: *out belongs to the caller, free it with dcfg_free().
 */
DCFG_API dcfg_status dcfg_diags_to_json(char **out, const dcfg_diags *diags);

DCFG_END_DECLS

#endif
