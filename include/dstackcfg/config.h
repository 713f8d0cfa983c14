/* dstackcfg — parsing a service configuration, reading it back and serializing it. */
#ifndef DSTACKCFG_CONFIG_H
#define DSTACKCFG_CONFIG_H

#include <dstackcfg/common.h>
#include <dstackcfg/diag.h>

DCFG_BEGIN_DECLS

typedef struct dcfg_config dcfg_config; /**< opaque, validated and defaulted service configuration */
typedef struct dcfg_value dcfg_value;   /**< opaque node of a config's normalized value tree; borrowed */

/* ---- parsing ---------------------------------------------------------- */

/** Unknown keys are reported as warnings instead of errors (files written for a newer dstack). */
#define DCFG_PARSE_UNKNOWN_AS_WARNING 0x1u
/** Unknown keys are dropped silently. */
#define DCFG_PARSE_UNKNOWN_IGNORE 0x2u
/** A key written twice in one mapping is an error (by default a warning; the last value wins, as in dstack). */
#define DCFG_PARSE_STRICT_DUPLICATES 0x4u

/**
 * Parse options. Always initialise with DCFG_PARSE_OPTIONS_INIT; members are
 * only ever appended, and `version` tells the library which ones the caller knows.
 * A zero limit means the default given in its comment.
 */
typedef struct dcfg_parse_options {
    unsigned version;          /**< DCFG_PARSE_OPTIONS_VERSION */
    dcfg_format format;        /**< DCFG_FORMAT_AUTO, _YAML or _JSON */
    unsigned flags;            /**< DCFG_PARSE_* */
    const char *source_name;   /**< shown in diagnostics; NULL means "<input>" (the path for *_parse_file) */
    const dcfg_allocator *allocator; /**< NULL: malloc/realloc/free; copied, must outlive nothing */
    size_t max_input_bytes;    /**< document size; default 16 MiB */
    unsigned max_depth;        /**< nesting of mappings and lists; default 64 */
    size_t max_nodes;          /**< nodes after alias expansion; default 100000 */
    size_t max_string_bytes;   /**< one scalar; default 1 MiB */
} dcfg_parse_options;

#define DCFG_PARSE_OPTIONS_VERSION 1u /**< layout version of dcfg_parse_options these headers describe */
/** Initializer of dcfg_parse_options: auto format, no flags, default allocator and limits. */
#define DCFG_PARSE_OPTIONS_INIT { DCFG_PARSE_OPTIONS_VERSION, DCFG_FORMAT_AUTO, 0u, NULL, NULL, 0, 0, 0, 0 }

/**
 * Parse, validate and apply defaults.
 * @param out        receives the configuration on DCFG_OK, NULL otherwise
 * @param diags_out  receives every diagnostic (warnings even on success); may be NULL to discard them
 * @param data,len   the document; need not be NUL-terminated; not retained
 * @param opts       NULL for defaults
 * @return DCFG_OK, DCFG_ESYNTAX, DCFG_EINVALID, DCFG_ELIMIT, DCFG_ENOMEM or DCFG_EUSAGE.
 * Ownership: *out -> dcfg_config_free(), *diags_out -> dcfg_diags_free().
 */
DCFG_API dcfg_status dcfg_config_parse(dcfg_config **out, dcfg_diags **diags_out,
                                       const char *data, size_t len, const dcfg_parse_options *opts);

/** Like dcfg_config_parse() on a file's contents; DCFG_EIO when it cannot be read. Never writes the file. */
DCFG_API dcfg_status dcfg_config_parse_file(dcfg_config **out, dcfg_diags **diags_out,
                                            const char *path, const dcfg_parse_options *opts);

/**
 * What DCFG_FORMAT_AUTO reads a document as: DCFG_FORMAT_JSON when its first
 * character after a BOM and white space is '{', DCFG_FORMAT_YAML otherwise.
 */
DCFG_API dcfg_format dcfg_detect_format(const char *data, size_t len);

/** Free a configuration. NULL is fine. */
DCFG_API void dcfg_config_free(dcfg_config *cfg);

/* ---- serialization ---------------------------------------------------- */

/** Which form of a configuration dcfg_config_emit() writes. */
typedef enum dcfg_view {
    /** Exactly dstack's model_dump(mode="json"): every field, nulls and defaults included. */
    DCFG_VIEW_DSTACK = 0,
    /**
     * The dstack view with what dstack resolves later on the server or client
     * written in (https true, stop_duration 300, the default probe of an OpenAI
     * model, scaling window 60, one replica, GPU/CPU defaults, ...; see
     * docs/serialization.md). Parses back to a configuration whose effective
     * view is the same.
     */
    DCFG_VIEW_EFFECTIVE = 1,
    /**
     * Only what the user wrote, normalized (what `dstackcfg fmt` prints):
     * defaulted fields left out, readable shorthands where they mean the same
     * ("port: 8000", "replicas: 1..2", "gpu: A100:80GB:2", "max_duration: 2h"),
     * keys in a fixed order (type, name, then dstack's). Parses back to the
     * same configuration.
     */
    DCFG_VIEW_MINIMAL = 2
} dcfg_view;

/** Indent the output for people (JSON: two spaces; YAML is always block style). Default is compact JSON. */
#define DCFG_EMIT_PRETTY 0x1u

/**
 * Serialize a configuration.
 * @param out      receives a NUL-terminated string
 * @param len_out  receives its length; may be NULL
 * @param view     DCFG_VIEW_DSTACK, DCFG_VIEW_EFFECTIVE or DCFG_VIEW_MINIMAL
 * @param format   DCFG_FORMAT_JSON or DCFG_FORMAT_YAML (DCFG_FORMAT_AUTO means JSON).
 *                 YAML output loads back (PyYAML safe_load and YAML 1.2 readers) to the
 *                 same values: strings a reader would retype ("3.10", "off", "yes", "null",
 *                 "80") are quoted, multi-line strings are literal block scalars.
 * @return DCFG_OK; DCFG_EUSAGE for a NULL argument or an unknown view/format;
 *         DCFG_EINVALID for a configuration being built that does not validate
 *         (see dcfg_config_validate()); DCFG_ENOMEM.
 * Ownership: *out belongs to the caller, free it with dcfg_free().
 */
DCFG_API dcfg_status dcfg_config_emit(char **out, size_t *len_out, const dcfg_config *cfg,
                                      dcfg_view view, dcfg_format format, unsigned flags);

/* ---- generic read access ---------------------------------------------- */

/** Type of a value in the normalized tree, as the dstack view's JSON has it. */
typedef enum dcfg_value_kind {
    DCFG_VALUE_NULL = 0, DCFG_VALUE_BOOL, DCFG_VALUE_INT, DCFG_VALUE_FLOAT,
    DCFG_VALUE_STRING, DCFG_VALUE_LIST, DCFG_VALUE_MAP
} dcfg_value_kind;

/** Root of the normalized tree, laid out exactly as the dstack view serializes it. Borrowed. */
DCFG_API const dcfg_value *dcfg_config_root(const dcfg_config *cfg);
/**
 * Look up a value by path in the dstack view's spelling: "resources.gpu.count.min",
 * "replicas[0].name", "env.HF_TOKEN". NULL when the path does not exist. Borrowed.
 */
DCFG_API const dcfg_value *dcfg_config_get(const dcfg_config *cfg, const char *path);
DCFG_API dcfg_value_kind dcfg_value_kind_of(const dcfg_value *v);  /**< NULL v gives DCFG_VALUE_NULL */
DCFG_API int dcfg_value_bool(const dcfg_value *v);                 /**< 0 unless a true BOOL */
DCFG_API dcfg_int64 dcfg_value_int(const dcfg_value *v);            /**< 0 unless INT */
DCFG_API double dcfg_value_float(const dcfg_value *v);             /**< INT or FLOAT as double, else 0 */
/** STRING content (NUL-terminated; may contain NUL bytes when len_out says so); NULL unless STRING. */
DCFG_API const char *dcfg_value_string(const dcfg_value *v, size_t *len_out);
DCFG_API size_t dcfg_value_count(const dcfg_value *v);              /**< items of a LIST or MAP */
DCFG_API const dcfg_value *dcfg_value_at(const dcfg_value *v, size_t i); /**< i-th item or map value */
DCFG_API const char *dcfg_value_key_at(const dcfg_value *v, size_t i);   /**< i-th map key, else NULL */
/** i-th map key and its length: keys may contain NUL bytes ("\u0000" in JSON); NULL unless MAP. */
DCFG_API const char *dcfg_value_key(const dcfg_value *v, size_t i, size_t *len_out);
/** Map member by key (a key containing a NUL byte is reached through dcfg_value_key() and dcfg_value_at()). */
DCFG_API const dcfg_value *dcfg_value_get(const dcfg_value *v, const char *key);

/* ---- typed accessors for the service root -----------------------------
 * Optional string fields return NULL when unset. Tri-state booleans return
 * DCFG_UNSET, DCFG_FALSE or DCFG_TRUE. All strings are borrowed from cfg. */

/** A boolean that may be unset (null in the dstack view). */
typedef enum dcfg_tristate { DCFG_UNSET = -1, DCFG_FALSE = 0, DCFG_TRUE = 1 } dcfg_tristate;

DCFG_API const char *dcfg_config_type(const dcfg_config *cfg);           /**< always "service" */
DCFG_API const char *dcfg_config_name(const dcfg_config *cfg);           /**< run name; NULL when unset */
DCFG_API unsigned dcfg_config_port(const dcfg_config *cfg);              /**< container port */
/** Local (proxy-side) port: 80 for the integer form, the left side of "A:B"; 0 when null. */
DCFG_API unsigned dcfg_config_local_port(const dcfg_config *cfg);

/** What `gateway` asks for. */
typedef enum dcfg_gateway_mode {
    DCFG_GATEWAY_DEFAULT = 0, /**< not set: the project's default gateway if any */
    DCFG_GATEWAY_NONE,        /**< false: no gateway */
    DCFG_GATEWAY_REQUIRED,    /**< true: the project's default gateway, which must exist */
    DCFG_GATEWAY_NAMED        /**< a named gateway, see dcfg_config_gateway_name() */
} dcfg_gateway_mode;
DCFG_API dcfg_gateway_mode dcfg_config_gateway(const dcfg_config *cfg); /**< DCFG_GATEWAY_DEFAULT for NULL cfg */
DCFG_API const char *dcfg_config_gateway_name(const dcfg_config *cfg);    /**< DCFG_GATEWAY_NAMED only, else NULL */
DCFG_API const char *dcfg_config_gateway_project(const dcfg_config *cfg); /**< project of a named gateway; NULL when none */

/** `https`: not set (the server decides), true, false, or "auto". */
typedef enum dcfg_https_mode {
    DCFG_HTTPS_DEFAULT = 0, DCFG_HTTPS_TRUE, DCFG_HTTPS_FALSE, DCFG_HTTPS_AUTO
} dcfg_https_mode;
DCFG_API dcfg_https_mode dcfg_config_https(const dcfg_config *cfg); /**< DCFG_HTTPS_DEFAULT for NULL cfg */
DCFG_API int dcfg_config_strip_prefix(const dcfg_config *cfg);       /**< 1 or 0 (default 1); 0 for NULL cfg */
DCFG_API int dcfg_config_auth(const dcfg_config *cfg);               /**< 1 or 0 (default 1); 0 for NULL cfg */

/** Format of `model`: none (no model), an OpenAI-compatible API, or TGI. */
typedef enum dcfg_model_format { DCFG_MODEL_NONE = 0, DCFG_MODEL_OPENAI, DCFG_MODEL_TGI } dcfg_model_format;
DCFG_API dcfg_model_format dcfg_config_model_format(const dcfg_config *cfg); /**< DCFG_MODEL_NONE without `model` */
DCFG_API const char *dcfg_config_model_name(const dcfg_config *cfg);          /**< NULL without `model` */
DCFG_API const char *dcfg_config_model_prefix(const dcfg_config *cfg);        /**< OpenAI only */
DCFG_API const char *dcfg_config_model_chat_template(const dcfg_config *cfg); /**< TGI only */
DCFG_API const char *dcfg_config_model_eos_token(const dcfg_config *cfg);     /**< TGI only */

DCFG_API size_t dcfg_config_commands_count(const dcfg_config *cfg);          /**< 0 when none or NULL cfg */
DCFG_API const char *dcfg_config_command(const dcfg_config *cfg, size_t i);  /**< i-th command; NULL out of range */
DCFG_API size_t dcfg_config_setup_count(const dcfg_config *cfg);             /**< deprecated `setup` commands */
DCFG_API const char *dcfg_config_setup(const dcfg_config *cfg, size_t i);    /**< i-th; NULL out of range */
DCFG_API const char *dcfg_config_image(const dcfg_config *cfg);          /**< Docker image; NULL when unset */
DCFG_API const char *dcfg_config_user(const dcfg_config *cfg);           /**< NULL when unset */
DCFG_API int dcfg_config_privileged(const dcfg_config *cfg);             /**< 1 or 0 (default 0) */
DCFG_API const char *dcfg_config_entrypoint(const dcfg_config *cfg);     /**< NULL when unset */
DCFG_API const char *dcfg_config_working_dir(const dcfg_config *cfg);    /**< NULL when unset */
DCFG_API const char *dcfg_config_home_dir(const dcfg_config *cfg);       /**< "/root" unless set */
DCFG_API const char *dcfg_config_registry_username(const dcfg_config *cfg); /**< `registry_auth`; NULL when unset */
DCFG_API const char *dcfg_config_registry_password(const dcfg_config *cfg); /**< `registry_auth`; NULL when unset */
DCFG_API const char *dcfg_config_python(const dcfg_config *cfg);   /**< "3.10" etc. */
DCFG_API dcfg_tristate dcfg_config_nvcc(const dcfg_config *cfg);         /**< DCFG_UNSET when unset */
DCFG_API dcfg_tristate dcfg_config_single_branch(const dcfg_config *cfg); /**< DCFG_UNSET when unset */
DCFG_API dcfg_tristate dcfg_config_docker(const dcfg_config *cfg);       /**< DCFG_UNSET when unset */
DCFG_API int dcfg_config_dstack(const dcfg_config *cfg);                 /**< 1 or 0 (default 0) */
DCFG_API const char *dcfg_config_shell(const dcfg_config *cfg);          /**< NULL when unset */
/** Priority 0..100; -1 when unset (the server then uses 0). */
DCFG_API int dcfg_config_priority(const dcfg_config *cfg);

/**
 * Environment variables, list and mapping forms alike, in the order written.
 * (A name containing a NUL byte reads short here; dcfg_value_key() on
 * dcfg_config_get(cfg, "env") gives it whole.)
 */
DCFG_API size_t dcfg_config_env_count(const dcfg_config *cfg);
DCFG_API const char *dcfg_config_env_name(const dcfg_config *cfg, size_t i); /**< i-th name; NULL out of range */
/** Value of the i-th variable; NULL when it is taken from the client's environment (`- NAME`). */
DCFG_API const char *dcfg_config_env_value(const dcfg_config *cfg, size_t i);

DCFG_END_DECLS

#endif
