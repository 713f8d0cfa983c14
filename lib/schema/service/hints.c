/* Keys people bring from Kubernetes, Docker Compose and older dstack
 * versions, which edit distance cannot map: one row each, with what to
 * write instead. The unknown-field diagnostic appends the hint; a row with
 * `when_mapping` instead explains a known key written as a mapping. */
#include <string.h>
#include "schema/service/areas.h"

#define REPLICAS_RANGE "dstack sets the range in replicas: MIN..MAX with scaling"
#define PROBES "dstack checks readiness with probes: [{type: http, url: /health}]"
#define ENV "dstack takes environment variables in env (NAME=VALUE items or a mapping)"
#define BUILD "dstack does not build images; push one and set image, or install in commands"

const dcfg__key_hint dcfg__key_hints[] = {
    /* object          key                 when_mapping  hint */
    { "service", "ports", 0, "dstack publishes one port: write port: 8000" },
    { "service", "expose", 0, "dstack publishes one port: write port: 8000" },
    { "service", "envs", 0, ENV },
    { "service", "environment", 0, ENV },
    { "service", "health", 0, PROBES },
    { "service", "healthcheck", 0, PROBES },
    { "service", "readinessProbe", 0, PROBES },
    { "service", "livenessProbe", 0, PROBES },
    { "service", "min_replicas", 0, REPLICAS_RANGE },
    { "service", "max_replicas", 0, REPLICAS_RANGE },
    { "service", "autoscaling", 0, "dstack autoscales with replicas: MIN..MAX and scaling: {metric: rps, target: N}" },
    { "service", "dockerfile", 0, BUILD },
    { "service", "build", 0, BUILD },
    { "service", "image", 1, "image is a string such as \"vllm/vllm-openai:latest\"; credentials go in registry_auth" },
    { "service", "backend", 0, "dstack takes a list: backends: [aws, gcp]" },
    { "service", "instance_type", 0, "dstack takes a list: instance_types: [p4d.24xlarge]" },
    { "service", "region", 0, "dstack takes a list: regions: [us-east-1]" },
    { "service", "gpu", 0, "resources go under resources, e.g. resources: {gpu: 24GB}" },
    { "service", "cpu", 0, "resources go under resources, e.g. resources: {cpu: 4}" },
    { "service", "memory", 0, "resources go under resources, e.g. resources: {memory: 16GB}" },
    { "service", "command", 0, "dstack takes a list of shell commands: commands: [...]" },
    { "service", "args", 0, "dstack takes a list of shell commands: commands: [...]" },
    { "service", "restart", 0, "dstack restarts runs with retry: {on_events: [error], duration: 1h}" },
    { "service", "labels", 0, "dstack attaches labels as tags: {KEY: VALUE}" },
    { "service", "workdir", 0, "dstack calls it working_dir" },
    { "resources", "instance_type", 0, "dstack picks instances by gpu, cpu and memory; pin types with instance_types at the top level" },
    { "resources", "accelerator", 0, "dstack calls it gpu, e.g. gpu: A100:80GB:2" },
    { "resources", "gpus", 0, "dstack calls it gpu, e.g. gpu: A100:2" },
    { NULL, NULL, 0, NULL },
};

const char *dcfg__key_hint_for(const dcfg__schema *s, const dcfg__node *key, int when_mapping)
{
    if (!key || key->type != DCFG__STR)
        return NULL;
    for (const dcfg__key_hint *h = dcfg__key_hints; h->object; h++)
        if (h->when_mapping == when_mapping && !strcmp(h->object, s->name) && dcfg__node_is_str(key, h->key))
            return h->hint;
    return NULL;
}
