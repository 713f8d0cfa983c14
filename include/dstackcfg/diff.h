/* dstackcfg — what changed between two configurations, and how dstack applies it. */
#ifndef DSTACKCFG_DIFF_H
#define DSTACKCFG_DIFF_H

#include <dstackcfg/common.h>
#include <dstackcfg/config.h>

DCFG_BEGIN_DECLS

/**
 * How dstack 0.22.5's server applies a change to a running service, weakest
 * first, so the verdict of a diff is the largest class among its changes.
 */
typedef enum dcfg_update_class {
    DCFG_UPDATE_NONE = 0,     /**< nothing changed (a verdict only) */
    DCFG_UPDATE_IN_PLACE = 1, /**< applied to the running replicas (replicas, scaling, gateway, priority) */
    DCFG_UPDATE_ROLLING = 2,  /**< applied by a rolling deployment: replicas are replaced one by one */
    DCFG_UPDATE_RESTART = 3   /**< not updatable: the run must be stopped and applied again */
} dcfg_update_class;

/** "none", "in-place", "rolling" or "restart"; NULL for an unknown value. Static storage. */
DCFG_API const char *dcfg_update_class_name(dcfg_update_class c);

typedef struct dcfg_diff dcfg_diff;     /**< opaque list of changes; owns everything it hands out */
typedef struct dcfg_change dcfg_change; /**< one changed value; borrowed from its dcfg_diff */

/** Diff options. Always initialise with DCFG_DIFF_OPTIONS_INIT; members are only ever appended. */
typedef struct dcfg_diff_options {
    unsigned version; /**< DCFG_DIFF_OPTIONS_VERSION */
    unsigned flags;   /**< none defined yet; must be 0 */
} dcfg_diff_options;
#define DCFG_DIFF_OPTIONS_VERSION 1u /**< layout version of dcfg_diff_options these headers describe */
/** Initializer of dcfg_diff_options: no flags. */
#define DCFG_DIFF_OPTIONS_INIT { DCFG_DIFF_OPTIONS_VERSION, 0u }

/**
 * Compare two configurations on their normalized values (the dstack view):
 * `port: 8000` and `port: "8000"`, `gpu: 24GB` and `gpu: {memory: 24GB}`, or
 * keys in another order are no change. Each change is the deepest value that
 * differs (maps member by member, lists item by item when their lengths
 * agree), in the dstack view's spelling ("resources.gpu.memory.min",
 * "groups[1].commands", "env.HF_TOKEN").
 * @param out  receives the diff on DCFG_OK, NULL otherwise
 * @param old_cfg, new_cfg  the running configuration and the one to apply; not retained
 * @param opts NULL for defaults
 * @return DCFG_OK; DCFG_EUSAGE for a NULL argument or an unknown options version;
 *         DCFG_EINVALID for a configuration being built that does not validate; DCFG_ENOMEM.
 * Ownership: *out -> dcfg_diff_free(). Allocation goes through old_cfg's allocator.
 */
DCFG_API dcfg_status dcfg_config_diff(dcfg_diff **out, const dcfg_config *old_cfg, const dcfg_config *new_cfg,
                                      const dcfg_diff_options *opts);

/** Free a diff and every change and string it handed out. NULL is fine. */
DCFG_API void dcfg_diff_free(dcfg_diff *d);
/** Number of changes; 0 when the configurations are equal. */
DCFG_API size_t dcfg_diff_count(const dcfg_diff *d);
/** The i-th change, in the field tables' order; NULL when out of range. Borrowed from d. */
DCFG_API const dcfg_change *dcfg_diff_at(const dcfg_diff *d, size_t i);
/** The strongest class among the changes; DCFG_UPDATE_NONE when there are none. */
DCFG_API dcfg_update_class dcfg_diff_verdict(const dcfg_diff *d);

/** Path of the changed value ("image", "resources.gpu.count.min", "groups[0].router"). */
DCFG_API const char *dcfg_change_path(const dcfg_change *c);
/** Old value as compact JSON text of the dstack view; NULL when the key is new (a map member added). */
DCFG_API const char *dcfg_change_old(const dcfg_change *c);
/** New value as compact JSON text of the dstack view; NULL when the key was removed. */
DCFG_API const char *dcfg_change_new(const dcfg_change *c);
/** How dstack applies this change (never DCFG_UPDATE_NONE). */
DCFG_API dcfg_update_class dcfg_change_class(const dcfg_change *c);
/**
 * Why the class differs from the field's own class, when one of dstack's
 * special cases applies ("a Dynamo router is re-provisioned ..."); NULL otherwise.
 */
DCFG_API const char *dcfg_change_reason(const dcfg_change *c);

DCFG_END_DECLS

#endif
