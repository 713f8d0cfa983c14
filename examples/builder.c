/* Builds a service configuration from scratch with the builder API and
 * prints it as YAML (the minimal view, what `dstackcfg fmt` writes).
 *
 *   cc builder.c $(pkg-config --cflags --libs dstackcfg) -o builder
 *   ./builder > service.dstack.yml && dstackcfg check service.dstack.yml
 */
#include <stdio.h>
#include <stdlib.h>
#include <dstackcfg/dstackcfg.h>

/* Prints the diagnostics of a failed call and exits. The list is passed by
 * address so that it is read after the call has filled it. */
static void check(dcfg_status st, dcfg_diags **diags_p, const char *what)
{
    dcfg_diags *diags = diags_p ? *diags_p : NULL;
    size_t i;
    if (diags_p)
        *diags_p = NULL;
    if (st == DCFG_OK) {
        dcfg_diags_free(diags);
        return;
    }
    fprintf(stderr, "builder: %s: %s\n", what, dcfg_status_string(st));
    for (i = 0; i < dcfg_diags_count(diags); i++) {
        char *line = NULL;
        if (dcfg_diag_format(&line, dcfg_diags_at(diags, i), "builder") == DCFG_OK)
            fprintf(stderr, "  %s\n", line);
        dcfg_free(line);
    }
    dcfg_diags_free(diags);
    exit(1);
}

int main(void)
{
    dcfg_config *cfg = NULL;
    dcfg_diags *d = NULL;
    char *yaml = NULL;

    check(dcfg_config_new(&cfg, NULL), NULL, "new");

    /* typed setters: each value goes through the field's own parser */
    check(dcfg_config_set_string(cfg, &d, "name", "llama-service"), &d, "name");
    check(dcfg_config_set_string(cfg, &d, "image", "vllm/vllm-openai:latest"), &d, "image");
    check(dcfg_config_set_int(cfg, &d, "port", 8000), &d, "port");
    check(dcfg_config_set_string(cfg, &d, "model", "meta-llama/Llama-3.1-8B-Instruct"), &d, "model");
    check(dcfg_config_set_string(cfg, &d, "env.MODEL", "meta-llama/Llama-3.1-8B-Instruct"), &d, "env.MODEL");
    check(dcfg_config_set_value(cfg, &d, "env.HF_TOKEN", "{key: HF_TOKEN}"), &d, "env.HF_TOKEN");
    check(dcfg_config_set_string(cfg, &d, "commands[0]", "vllm serve $MODEL --port 8000"), &d, "commands");

    /* values written as in a YAML file: shorthands, ranges, durations */
    check(dcfg_config_set_value(cfg, &d, "resources.gpu", "A100:80GB:2"), &d, "resources.gpu");
    check(dcfg_config_set_value(cfg, &d, "resources.disk", "200GB.."), &d, "resources.disk");
    check(dcfg_config_set_value(cfg, &d, "replicas", "1..4"), &d, "replicas");
    check(dcfg_config_set_string(cfg, &d, "scaling.metric", "rps"), &d, "scaling.metric");
    check(dcfg_config_set_float(cfg, &d, "scaling.target", 10), &d, "scaling.target");
    check(dcfg_config_set_value(cfg, &d, "max_duration", "2h"), &d, "max_duration");
    check(dcfg_config_set_string(cfg, &d, "spot_policy", "auto"), &d, "spot_policy");

    /* a bad value is refused and changes nothing */
    if (dcfg_config_set_int(cfg, &d, "port", 70000) != DCFG_EINVALID) {
        fprintf(stderr, "builder: port 70000 was accepted\n");
        return 1;
    }
    dcfg_diags_free(d);
    d = NULL;

    /* the rules between fields (replicas range needs scaling, ...) */
    check(dcfg_config_validate(cfg, &d), &d, "validate");
    check(dcfg_config_emit(&yaml, NULL, cfg, DCFG_VIEW_MINIMAL, DCFG_FORMAT_YAML, 0), NULL, "emit");
    fputs(yaml, stdout);
    dcfg_free(yaml);
    dcfg_config_free(cfg);
    return 0;
}
