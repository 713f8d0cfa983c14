/* dstackcfg — creating and changing a service configuration from code.
 *
 * Fields are addressed by path in dstack's spelling, the same paths
 * diagnostics use: "port", "resources.gpu", "env.HF_TOKEN", "probes[0].url",
 * "groups[1].replicas". A setter runs the value through the same field
 * parser a file goes through (so "A100:80GB:2", "5m" or "1..3" work as they
 * do in YAML); a value that parser rejects leaves the configuration as it
 * was and the call returns DCFG_EINVALID with the diagnostics. Rules between
 * fields ("`image` and `python` are mutually exclusive", "either `commands`
 * or `image`") are checked by dcfg_config_validate(), so fields can be set in
 * any order. While the configuration does not validate, dcfg_config_emit()
 * returns DCFG_EINVALID and the read accessors see an empty configuration.
 *
 * Setters work on parsed configurations too: the fields the file set are
 * kept, so a program can read a file, change it and write it back
 * (DCFG_VIEW_MINIMAL writes only what is set).
 *
 * Paths: a key is any text up to the next '.' or '['; "[N]" indexes a list,
 * and N equal to the list's length appends. Missing mappings (and a list for
 * "[0]") on the way are created. Keys that contain '.' or '[' (rare
 * environment names) can be set through their parent with
 * dcfg_config_set_value().
 *
 * A successful setter replaces the configuration's storage: strings and
 * values borrowed from it before (dcfg_config_get(), dcfg_config_name(), ...)
 * are no longer valid.
 *
 * Every function here returns DCFG_EUSAGE for a NULL cfg or path, or a path
 * that is not well-formed; DCFG_ENOMEM when an allocation fails (the
 * configuration is then unchanged). `diags_out`, when not NULL, receives the
 * diagnostics (an empty list on success); free it with dcfg_diags_free().
 */
#ifndef DSTACKCFG_BUILDER_H
#define DSTACKCFG_BUILDER_H

#include <dstackcfg/common.h>
#include <dstackcfg/diag.h>
#include <dstackcfg/config.h>

DCFG_BEGIN_DECLS

/**
 * A new configuration holding only `type: service`. It validates once
 * `port` and `commands` or `image` are set.
 * @param allocator  NULL for malloc/realloc/free; copied
 * Ownership: *out -> dcfg_config_free().
 */
DCFG_API dcfg_status dcfg_config_new(dcfg_config **out, const dcfg_allocator *allocator);

/** Set an integer ("port", "priority", "replicas", "resources.disk", "stop_duration" in seconds). */
DCFG_API dcfg_status dcfg_config_set_int(dcfg_config *cfg, dcfg_diags **diags_out, const char *path,
                                         dcfg_int64 value);
/** Set a number ("scaling.target", "max_price"). */
DCFG_API dcfg_status dcfg_config_set_float(dcfg_config *cfg, dcfg_diags **diags_out, const char *path,
                                           double value);
/** Set a boolean (any non-zero value is true). */
DCFG_API dcfg_status dcfg_config_set_bool(dcfg_config *cfg, dcfg_diags **diags_out, const char *path, int value);
/**
 * Set a string, always as a string: "3.10" stays "3.10" and "off" stays "off"
 * (as if quoted in YAML). Must be valid UTF-8. Not retained.
 */
DCFG_API dcfg_status dcfg_config_set_string(dcfg_config *cfg, dcfg_diags **diags_out, const char *path,
                                            const char *value);
/** Set an explicit null (which differs from unset where the default is not null, e.g. "resources.gpu"). */
DCFG_API dcfg_status dcfg_config_set_null(dcfg_config *cfg, dcfg_diags **diags_out, const char *path);
/**
 * Set a value given as YAML or JSON text, read exactly as in a file (YAML 1.1
 * typing: `off` is false, `3.10` a float): "A100:80GB:2", "[vllm serve, echo hi]",
 * "{metric: rps, target: 10}", "- HF_TOKEN\n- MODEL=x". Positions in
 * diagnostics refer to this text. Returns DCFG_ESYNTAX when it is not
 * well-formed. Not retained.
 */
DCFG_API dcfg_status dcfg_config_set_value(dcfg_config *cfg, dcfg_diags **diags_out, const char *path,
                                           const char *text);
/**
 * Remove a field (it takes its default again) or a list item (later items
 * move up). Removing something that is not set is DCFG_OK. Removing a part
 * of a value that the value needs (e.g. "scaling.target") is DCFG_EINVALID.
 */
DCFG_API dcfg_status dcfg_config_unset(dcfg_config *cfg, dcfg_diags **diags_out, const char *path);

/**
 * Check the whole configuration as dcfg_config_parse() would, rules between
 * fields included.
 * @return DCFG_OK or DCFG_EINVALID (DCFG_ENOMEM, DCFG_EUSAGE).
 */
DCFG_API dcfg_status dcfg_config_validate(const dcfg_config *cfg, dcfg_diags **diags_out);

DCFG_END_DECLS

#endif
