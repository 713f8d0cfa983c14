/* schema/service: the tables of the service configuration, one file per area:
 *   replicas.c   replicas, groups, scaling, router
 *   traffic.c    rate_limits, probes
 *   resources.c  resources: cpu, memory, shm_size, gpu, disk
 *   storage.c    volumes, repos, files
 *   profile.c    provisioning/profile fields
 *   root.c       the root table itself and root-only kinds */
#ifndef DCFG_SCHEMA_AREAS_H
#define DCFG_SCHEMA_AREAS_H

#include "schema/schema.h"

extern const dcfg__kind dcfg__k_scaling, dcfg__k_replicas, dcfg__k_groups;
/* Root rule: replicas/groups exclusivity, range vs scaling, group rules. */
int dcfg__rule_replica_groups(dcfg__vctx *c, dcfg__obj *o, const dcfg__rule *r);

extern const dcfg__kind dcfg__k_rate_limits, dcfg__k_probes;
extern const dcfg__kind dcfg__k_resources;
extern const dcfg__kind dcfg__k_volumes, dcfg__k_repos, dcfg__k_files;

extern const dcfg__kind dcfg__k_backends, dcfg__k_retry, dcfg__k_schedule, dcfg__k_fleets,
    dcfg__k_instances, dcfg__k_tags, dcfg__k_backend_options, dcfg__k_utilization_policy;
extern const char *const dcfg__spot_policies[], *const dcfg__creation_policies[],
    *const dcfg__startup_orders[], *const dcfg__stop_criteria[];
extern const dcfg__float_bounds dcfg__max_price_bounds;

/* Every object schema of an area with the path it appears at, for docs. */
typedef struct dcfg__doc_object { const char *path; const struct dcfg__schema *schema; } dcfg__doc_object;
extern const dcfg__doc_object dcfg__root_docs[], dcfg__replicas_docs[], dcfg__resources_docs[],
    dcfg__traffic_docs[], dcfg__storage_docs[], dcfg__profile_docs[];

/* Root kinds reused by replica groups. */
extern const dcfg__kind dcfg__k_python;

#endif
