"""Build a service configuration from scratch with the builder API and print
it as YAML (the minimal view, what `dstackcfg fmt` writes).

    python examples/python/builder.py > service.dstack.yml
    dstackcfg check service.dstack.yml
"""

from __future__ import annotations

import sys

import dstackcfg


def build() -> dstackcfg.ServiceConfig:
    """The service of examples/builder.c; raises ConfigError on a refused value."""
    cfg = dstackcfg.ServiceConfig.new()
    # a Python str is always a string; it goes through the field's own parser
    cfg.set("name", "llama-service")
    cfg.set("image", "vllm/vllm-openai:latest")
    cfg.set("port", 8000)
    cfg.set("model", "meta-llama/Llama-3.1-8B-Instruct")
    cfg.set("env", ["MODEL=meta-llama/Llama-3.1-8B-Instruct", "HF_TOKEN"])  # HF_TOKEN: from the client
    cfg.set("commands", ["vllm serve $MODEL --port 8000"])
    # shorthands, ranges and durations, as in a file
    cfg.set("resources.gpu", "A100:80GB:2")
    cfg.set("resources.disk", "200GB..")
    cfg.set("replicas", "1..4")
    cfg.set("scaling", {"metric": "rps", "target": 10})
    cfg.set_yaml("max_duration", "2h")  # YAML text, typed exactly as in a file
    cfg.set("spot_policy", "auto")

    # a bad value is refused and changes nothing
    try:
        cfg.set("port", 70000)
    except dstackcfg.ConfigError:
        pass
    else:
        raise RuntimeError("port 70000 was accepted")

    cfg.validate()  # the rules between fields (a replicas range needs scaling, ...)
    return cfg


def main() -> int:
    try:
        cfg = build()
    except dstackcfg.ConfigError as e:
        for d in e.diagnostics:
            print(f"builder: {d}", file=sys.stderr)
        return 1
    with cfg:
        sys.stdout.write(cfg.to_yaml("minimal"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
