#!/usr/bin/env python3
"""Seeded, reproducible generator of `type: service` configuration variants.

Sources of seed documents:
  * built-in snippets (SEEDS below) that between them use every field of
    SERVICE-SPEC.md, merged into a small valid base document;
  * the project's golden cases, tests/cases/*/input.yml|input.json (if any);
  * the real-world corpus ../shared/corpus/dstack-docs/*.yml (if the folder
    exists; it is read in place and never copied).

Each variant is a seed document plus 0-4 mutations applied to its parsed tree
(drop a field, retype or respell a scalar, swap shorthand and mapping forms,
unknown and near-miss keys, replica groups, mutually exclusive fields, numeric
edges, nulls, empty collections, YAML 1.1 plain scalars such as `yes`, `off`,
`3.10`, `1:30`, `010`), written back as YAML with randomized styles (block,
flow, quoting, anchors) or, for a few, as JSON.

Variant i of seed S depends only on (S, i) and the seed documents, so
`--count` can grow without changing earlier variants.

Usage:
  generate.py --seed 1 --count 1000 --out DIR      # write DIR/gen-1-000000.yml ...
  generate.py --seed 1 --count 1000 --jsonl FILE   # {"name","text"} per line
  generate.py --seed 1 --count 5000 --stats        # coverage / operator counts
"""

from __future__ import annotations

import argparse
import collections
import copy
import json
import math
import os
import random
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CORPUS = os.path.join(REPO, "..", "shared", "corpus", "dstack-docs")
DEFAULT_CASES = os.path.join(REPO, "tests", "cases")


class Raw:
    """A plain YAML scalar written verbatim (`yes`, `3.10`, `1:30`, `010` ...)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self):
        return f"Raw({self.text!r})"

    def __eq__(self, other):
        return isinstance(other, Raw) and other.text == self.text

    def __hash__(self):
        return hash(("Raw", self.text))


R = Raw

# --------------------------------------------------------------------------------------
# Spec vocabulary

ROOT_FIELDS = [
    "port", "gateway", "strip_prefix", "model", "https", "auth", "scaling", "rate_limits",
    "probes", "replicas", "groups", "commands", "type", "name", "image", "user", "privileged",
    "entrypoint", "working_dir", "home_dir", "registry_auth", "python", "nvcc",
    "single_branch", "env", "shell", "resources", "priority", "volumes", "docker", "repos",
    "files", "dstack", "setup", "backends", "regions", "availability_zones",
    "instance_types", "reservation", "spot_policy", "retry", "max_duration",
    "stop_duration", "max_price", "creation_policy", "idle_duration", "utilization_policy",
    "startup_order", "stop_criteria", "schedule", "fleets", "instances", "tags",
    "backend_options",
]

GROUP_FIELDS = ["name", "replicas", "count", "scaling", "resources", "spot_policy",
                "reservation", "commands", "image", "python", "nvcc", "docker", "privileged",
                "router"]

# keys of other run types / other objects / removed fields: unknown at the root
FOREIGN_KEYS = ["ports", "nodes", "ide", "version", "init", "inactivity_duration", "router",
                "count", "gpu", "cpu", "memory", "disk", "command", "workdir", "env_file",
                "min", "max", "size", "metric", "target", "replica", "group", "rps",
                "local_port", "container_port", "format", "prefix", "cron", "url", "path",
                "vendor", "arch", "on_events", "duration", "key", "header", "project",
                "hostname", "fleet", "instance", "username", "password", "optional",
                "instance_path", "local_path", "branch", "hash", "if_exists", "headers",
                "body", "method", "timeout", "interval", "ready_after", "until_ready",
                "window", "scale_up_delay", "scale_down_delay", "burst", "offer_order",
                "min_reliability", "min_score", "min_gpu_utilization", "time_window",
                "shm_size", "total_memory", "compute_capability", "chat_template",
                "eos_token", "services", "type_", "Type", "PORT", "Image", "image_name"]

BASES = {
    "img": {"type": "service", "port": 8000, "image": "vllm/vllm-openai:latest"},
    "cmd": {"type": "service", "port": 8000, "commands": ["python app.py"]},
    "both": {"type": "service", "port": 8000, "image": "nginx", "commands": ["nginx -g 'daemon off;'"]},
    "none": {"type": "service", "port": 8000},
    "empty": {},
}

# Built-in seed snippets. Each chunk (separated by a line "---") is merged into a base:
# `#base: cmd` selects the base (default img); `#raw` keeps the chunk's text verbatim
# when the seed is emitted unmutated (so YAML 1.1 spellings survive).
SEEDS_TEXT = r"""
#base: img
port: 8000
---
port: "8000"
---
port: "8080:8000"
---
port: 1:30
#raw
---
port: {container_port: 8000}
---
port: {container_port: 8000, local_port: 8080}
---
port: 8000.0
---
port: 65535
---
port: "*:8000"
---
gateway: true
---
gateway: false
---
gateway: my-gateway
---
gateway: main/my-gateway
---
gateway: {name: gw, project: main}
---
gateway: {name: gw}
---
gateway: "on"
---
gateway: off
#raw
---
gateway: 2
---
gateway: a/b/c
---
strip_prefix: false
---
strip_prefix: no
#raw
---
model: meta-llama/Llama-3.1-8B-Instruct
---
model: {name: meta-llama/Llama-3.1-8B-Instruct, format: openai, prefix: /v1}
---
model: {type: chat, name: m, format: openai, prefix: /openai/v1}
---
model: {name: m, format: tgi}
---
model: {name: m, format: tgi, chat_template: "{% for m in messages %}{{ m.content }}{% endfor %}", eos_token: "</s>"}
---
model: {name: m}
---
model: ""
---
model: 123
---
https: true
---
https: false
---
https: auto
---
https: AUTO
---
https: "yes"
---
auth: false
---
auth: off
#raw
---
replicas: 1..4
scaling: {metric: rps, target: 10}
---
replicas: 0..2
scaling:
  metric: rps
  target: 0.5
  window: 5m
  scale_up_delay: 1m
  scale_down_delay: 10m
---
replicas: ..4
scaling: {metric: rps, target: 1, window: 30s}
---
replicas: {min: 1, max: 3}
scaling: {metric: rps, target: 2.5, window: 60}
---
scaling: {metric: rps, target: 1}
---
replicas: 2
---
replicas: "2"
---
replicas: 0
---
replicas: 2..
scaling: {metric: rps, target: 1}
---
replicas: 2
scaling: {metric: rps, target: 1}
---
replicas: 1..3
---
scaling: {metric: rps, target: 10, window: 45}
---
scaling: {metric: rps, target: 10, scale_up_delay: -5, scale_down_delay: "1_0"}
replicas: 1..2
---
rate_limits:
  - rps: 10
---
rate_limits:
  - prefix: /api
    rps: 5
    burst: 20
  - prefix: /
    rps: 0.5
    key: {type: ip_address}
---
rate_limits:
  - prefix: /v1/chat
    rps: 100
    key: {type: header, header: X-API-Key}
---
rate_limits: [{rps: 10}, {rps: 5, prefix: /}]
---
rate_limits: [{rps: 0.01}]
---
rate_limits: [{rps: 0.016666666666666666}]
---
rate_limits: [{rps: 1, key: {}}]
---
rate_limits: [{rps: 1, prefix: "/a b"}]
---
probes:
  - type: http
    url: /health
---
probes:
  - type: http
    url: /v1/chat/completions
    method: post
    headers:
      - name: Content-Type
        value: application/json
      - name: Authorization
        value: Bearer ${{ secrets.TOKEN }}
    body: '{"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}'
    timeout: 30
    interval: 15s
    ready_after: 2
    until_ready: true
---
probes: []
---
probes: [{type: http, body: x}]
---
probes: [{type: http, body: x, method: get}]
---
probes: [{type: http}, {type: http}]
---
probes: [{type: http, url: /a}, {type: http, url: /a, method: get}]
---
probes: [{type: http, timeout: 0.5}]
---
probes: [{type: http, timeout: 1m, interval: 1}]
---
probes: [{type: http, url: health}]
---
#base: none
replicas:
  - count: 1
    commands: [python app.py]
---
#base: none
replicas:
  - name: prefill
    count: 1..2
    scaling: {metric: rps, target: 5}
    commands: [python prefill.py]
    resources: {gpu: H100:1}
  - name: decode
    count: 2
    commands: [python decode.py]
    resources: {gpu: "H100:2"}
---
#base: none
groups:
  - name: router
    replicas: 1
    router: {type: sglang}
    image: lmsysorg/sglang:latest
    commands: [python -m sglang_router.launch_router]
  - name: workers
    replicas: 2
    commands: [python -m sglang.launch_server]
    resources:
      gpu: 24GB..
---
#base: none
groups:
  - replicas: 1
    commands: [a]
    router: {}
---
#base: none
groups:
  - replicas: 1
    commands: [a]
    router: {type: dynamo}
  - replicas: 1
    commands: [b]
---
#base: none
groups: [{replicas: 2, count: 5, commands: [a]}]
---
#base: none
groups:
  - replicas: 1
    image: nginx
    spot_policy: spot
    reservation: r-123
  - replicas: 1
    python: "3.11"
    nvcc: true
    commands: [python app.py]
  - replicas: 0..1
    scaling: {metric: rps, target: 1}
    docker: true
    privileged: true
    commands: [docker compose up]
---
#base: none
replicas: [{name: "1", count: 1, commands: [a]}, {count: 1, commands: [a]}]
---
replicas: [{count: 1, docker: false}]
---
#base: none
replicas: [{count: 1, commands: [a]}]
commands: [b]
---
#base: none
replicas: [{count: 1, commands: [a]}]
resources: {gpu: H100}
---
#base: none
replicas: [{count: 1, commands: [a]}]
scaling: {metric: rps, target: 1}
---
#base: none
replicas: []
---
#base: none
groups: [{commands: [a]}]
---
#base: none
groups: [{replicas: 1, commands: [a], image: x, python: "3.12"}]
---
#base: none
groups: [{replicas: 1, image: x, docker: true}]
---
#base: none
groups: [{replicas: 1, commands: [a], docker: true, privileged: false}]
---
#base: none
groups: [{replicas: 1, commands: [a], name: Upper}]
---
#base: none
groups: [{replicas: 1, commands: [a]}]
replicas: 2
---
commands:
  - pip install -r requirements.txt
  - python app.py --port 8000
---
#base: none
commands: [a]
name: llama-svc
---
#base: none
image: ""
---
#base: none
entrypoint: /bin/sh -c
---
user: root
---
user: "1000:1000"
---
user: 1000
---
user: "a:b:c"
---
user: "u:-1"
---
privileged: true
---
working_dir: /workflow
---
working_dir: app
---
home_dir: /home/user
---
registry_auth:
  username: ${{ secrets.REGISTRY_USER }}
  password: ${{ secrets.REGISTRY_PASSWORD }}
---
registry_auth: {username: u}
---
#base: cmd
python: "3.12"
---
#base: cmd
python: 3.10
#raw
---
#base: cmd
python: 3.9
#raw
---
#base: cmd
python: "3.1"
---
#base: cmd
python: 3
---
#base: cmd
python: "3.15"
---
python: "3.12"
---
#base: cmd
nvcc: true
python: "3.11"
---
nvcc: true
---
single_branch: false
---
env:
  - HF_TOKEN
  - MODEL_ID=meta-llama/Llama-3.1-8B-Instruct
  - EMPTY=
  - EQ=a=b
---
env:
  HF_TOKEN: {key: HF_TOKEN}
  PORT: 8000
  RATIO: 1.5
  MULTI: "line1\nline2"
---
env: [A=1, A]
---
env: {A: true}
---
env: [123]
---
env: {1: z}
---
shell: bash
---
shell: sh
---
shell: /usr/bin/zsh
---
shell: zsh
---
resources:
  gpu: A100:80GB:2
  disk: 200GB..
---
resources:
  cpu: 4..
  memory: 16GB..
  shm_size: 16GB
  gpu: 24GB..80GB:1..2
  disk: 100GB..1TB
---
resources:
  cpu: {arch: arm, count: 8..16}
  memory: {min: 32GB, max: 64GB}
  gpu:
    vendor: nvidia
    name: [H100, A100]
    count: 1..8
    memory: 80GB
    total_memory: 160GB..
    compute_capability: 8.0
  disk: {size: 500GB}
---
resources: {gpu: "16..32"}
---
resources: {gpu: "16GB..32"}
---
resources: {gpu: "A100:80:2"}
---
resources: {gpu: "A100 : 2"}
---
resources: {gpu: {}}
---
resources: {gpu: null}
---
resources: {gpu: true}
---
resources: {gpu: 0}
---
resources: {gpu: "nvidia:16GB.."}
---
resources: {gpu: "H100,A100:8"}
---
resources: {gpu: "MI300X:AMD"}
---
resources: {gpu: "tpu:v5p-8"}
---
resources: {gpu: tpu-v3-8}
---
resources: {gpu: "tt:n150:1"}
---
resources: {gpu: {name: "A100,H100", vendor: AMD}}
---
resources: {gpu: {compute_capability: "7.5"}}
---
resources: {gpu: {compute_capability: 7.10}}
#raw
---
resources: {gpu: {compute_capability: 8}}
---
resources: {gpu: {compute_capability: [9, 0]}}
---
resources: {cpu: true}
---
resources: {cpu: 2.5}
---
resources: {cpu: "8:ARM"}
---
resources: {cpu: arm64}
---
resources: {cpu: {min: 4}}
---
resources: {cpu: 0}
---
resources: {cpu: x86:4:8}
---
resources: {memory: 8G}
---
resources: {memory: "8 GB .. 16 GB"}
---
resources: {memory: 512MB..1TB}
---
resources: {memory: 1.5tb}
---
resources: {memory: inf}
---
resources: {shm_size: "1GB..2GB"}
---
resources: {disk: {}}
---
resources: {disk: 100}
---
resources: {disk: ..1TB}
---
resources: null
---
resources: {}
---
priority: 50
---
priority: 50.0
---
priority: 101
---
volumes:
  - my-vol:/data
  - /mnt/host:/host-data
---
volumes:
  - name: [vol-a, vol-b]
    path: /data/
  - instance_path: /mnt/cache
    path: /root/.cache
    optional: true
---
volumes: ["v:/a:ro"]
---
volumes: ["/h/:/c//d/"]
---
volumes: [{name: v, path: /d, optional: true}]
---
volumes: [":/a"]
---
volumes: ["./host:/d"]
---
volumes: ["v:/a/../b"]
---
#base: cmd
docker: true
---
docker: "true"
---
docker: true
---
repos: ["."]
---
repos: [".:/repo"]
---
repos: ["https://github.com/dstackai/dstack:~/data/repo"]
---
repos: ["git@github.com:org/repo.git:data/repo"]
---
repos: ["http://host:8080/repo.git"]
---
repos: ["ssh://git@host:22/repo.git:/r"]
---
repos: ['C:\path\to:/repo']
---
repos: ["~/repos/demo:~/repo"]
---
repos:
  - url: https://github.com/dstackai/dstack
    branch: master
    hash: abc123
    path: ~/repo
    if_exists: skip
---
repos: [{local_path: ., url: https://x}]
---
repos: [{}]
---
repos: [{url: x, path: "~alice/x"}]
---
repos: [".", "."]
---
files:
  - .:/app
  - local_path: config.yml
    path: /etc/app/config.yml
---
files: ["d:/path/to"]
---
files: ["a:"]
---
files: ['C:\x:/y']
---
files: [{local_path: a, path: "//server/share"}]
---
files: ["a:b:c"]
---
dstack: true
---
setup: [pip install vllm]
---
backends: [aws, gcp, runpod, vastai]
---
backends: [local]
---
backends: [AWS]
---
backends: [datacrunch, verda]
---
regions: [us-east-1, eu-west-1]
availability_zones: [us-east-1a]
instance_types: [p4d.24xlarge]
---
reservation: cr-123
---
spot_policy: auto
---
spot_policy: on_demand
---
retry: true
---
retry:
  on_events: [no-capacity, interruption, error]
  duration: 1h
---
retry: {on_events: []}
---
retry: {duration: -1}
---
max_duration: 2h
stop_duration: 5m
---
max_duration: off
stop_duration: off
#raw
---
max_duration: -1
---
max_duration: "OFF"
---
max_duration: 1h30m
---
max_duration: 1d
stop_duration: 1w
---
max_price: 2.5
---
max_price: 0
---
creation_policy: reuse
---
creation_policy: reuse-or-create
---
idle_duration: off
#raw
---
idle_duration: -5
---
idle_duration: "-1"
---
idle_duration: 10m
---
utilization_policy:
  min_gpu_utilization: 10
  time_window: 30m
---
utilization_policy: {min_gpu_utilization: 10, time_window: 4m}
---
utilization_policy: {min_gpu_utilization: 101, time_window: 1h}
---
startup_order: master-first
stop_criteria: master-done
---
startup_order: workers-first
stop_criteria: all-done
---
schedule:
  cron: "0 8 * * mon-fri"
---
schedule:
  cron: ["0 0 * * *", "*/15 * * * *"]
---
schedule: {cron: "0 0 * * 7"}
---
schedule: {cron: "@daily"}
---
schedule: {cron: []}
---
schedule: {cron: "0 0 * * mon#2"}
---
schedule: {cron: "*/60 * * * *"}
---
fleets: [my-fleet, main/other-fleet]
---
fleets: [{name: f, project: p}, 1]
---
fleets: [a/b/c]
---
instances:
  - my-instance
  - {hostname: 10.0.0.5}
  - {fleet: my-fleet, instance: 0}
---
instances: []
---
instances: [{fleet: f, instance: -1}]
---
tags:
  team: ml
  cost-center: "42-a"
---
tags: {k: 1}
---
tags: {"bad key": v}
---
tags: {k: ""}
---
backend_options:
  - type: vastai
    offer_order: price
    min_reliability: 0.9
    min_score: 5
---
backend_options: [{}, {type: vastai}]
---
backend_options: [{type: aws}]
---
backend_options: [{min_reliability: 1.5}]
---
ports: [8000]
---
router: {type: sglang}
---
nodes: 2
---
foo: bar
---
#base: empty
type: task
commands: [a]
---
#base: empty
type: Service
port: 8000
image: x
---
#base: empty
port: 8000
image: x
---
#base: empty
type: service
image: x
"""


def _parse_seed_chunks(text):
    chunks = []
    for chunk in re.split(r"(?m)^---[ \t]*$", text):
        if not chunk.strip():
            continue
        base = "img"
        raw = False
        body = []
        for line in chunk.splitlines():
            m = re.match(r"#base:\s*(\w+)\s*$", line)
            if m:
                base = m.group(1)
            elif line.strip() == "#raw":
                raw = True
            else:
                body.append(line)
        body_text = "\n".join(body).strip("\n") + "\n"
        tree = yaml.safe_load(body_text)
        chunks.append({"base": base, "raw": raw, "text": body_text, "tree": tree})
    return chunks


SEEDS = _parse_seed_chunks(SEEDS_TEXT)


def seed_document(seed) -> dict:
    doc = copy.deepcopy(BASES[seed["base"]])
    for k, v in (seed["tree"] or {}).items():
        doc[k] = copy.deepcopy(v)
    return doc


def seed_raw_text(seed) -> str:
    """The seed with its snippet text kept verbatim (base keys it overrides are left out)."""
    tree = seed["tree"] or {}
    lines = [emit_yaml({k: v}, random.Random(0), style={"flow": 0.0}).rstrip("\n")
             for k, v in BASES[seed["base"]].items() if k not in tree]
    return "".join(line + "\n" for line in lines) + seed["text"]


# --------------------------------------------------------------------------------------
# Value pools: (path template, values). "[]" in a template means "some item of the list".
# Values mix valid and invalid forms; Raw(...) are plain YAML 1.1 scalars.

BIG = 2 ** 63
RPS_MAX = (2 ** 63 - 1) // 60

DURATION_VALUES = [0, 1, 30, 60, 300, 3600, -1, -5, 1.9, 0.5, True, False, None, "30s", "1m",
                   "5m", "1h", "1d", "1w", "10 s", "5M", "1h30m", "2hours", "1.5", "-5m", "",
                   "off", " 10 ", "+10", "1_0", "10s\n", "abc", R("1:30"), R("010"), R("off"),
                   R("yes"), [], {}]
BOOL_VALUES = [True, False, None, "true", "false", "yes", "no", "on", "off", "t", "f", "y", "n",
               "1", "0", 1, 0, 2, 1.0, 0.5, "", " true", "TRUE", "Yes", R("yes"), R("No"),
               R("ON"), R("off"), R("y"), [], {}]
INT_EDGE = [0, 1, -1, 2, 100, 101, 65535, 65536, 2 ** 31, BIG - 1, BIG, -BIG, 1.0, 1.5, "5",
            " 5 ", "+5", "1_000", "5.00", "5.", "0005", "0x10", "1e3", "", True, False, None,
            R("010"), R("0x1F"), R("0b101"), R("1_000"), R("08"), R("1:30"), R("1e3"),
            R("1.0e+3"), R(".5"), R(".inf")]
FLOAT_EDGE = [0, 0.0, -0.0, 1, 1.0, 0.5, -1, 1e-7, 1e-5, 0.016666666666666666, 0.0166, 0.017,
              1 / 60, 1e16, 1e20, RPS_MAX, RPS_MAX + 1, 1.6e17, "10", "1e3", " 2.5 ", "inf",
              "nan", "abc", True, None, R(".inf"), R("-.inf"), R(".nan"), R("1.0e+3"), R("1e3"),
              R("3.10"), R(".5"), R("1.")]
STR_EDGE = ["x", "", " ", "a b", 5, 1.5, True, None, R("yes"), R("3.10"), R("2024-01-01"),
            R("~"), ["x"], {"a": "b"}, "ü", "a\nb", "\t", "${{ env.X }}", "x" * 300]
MEM_VALUES = ["8GB", "8GB..", "8GB..16GB", "..16GB", "512MB", "1TB", "1.5tb", "16GB..32",
              "8 GB .. 16 GB", "8G", "8gib", "8k", "8", 8, 8.5, 0, -8, "-8", "inf", "nan",
              "1e3", "", "..", "8GB..4GB", "1..2..3", {"min": "8GB"}, {"max": 16},
              {"min": 8, "max": 4}, {}, {"min": None, "max": None}, {"min": 1, "x": 2}, True,
              None, [], R("1e3"), R("1.0e+3"), R(".inf"), "512 MB", "100MB..1TB", "0.5GB"]
RANGE_INT_VALUES = [0, 1, 2, 8, -1, "2", "0..4", "..4", "2..", "1..3", " 1 .. 3 ", "3..1",
                    "1..2..3", "..", "", "-1..2", "1.5", 1.5, 2.0, True, False, None,
                    {"min": 1, "max": 3}, {"min": 1}, {"max": 3}, {}, {"min": None, "max": None},
                    {"min": 1, "max": 3, "step": 1}, {"min": "1", "max": "x"}, [1, 2],
                    R("0..4"), R("1:30"), R("010"), "x", "1..x"]
GPU_VALUES = [0, 1, 2, 8, -1, 1.5, True, None, "", "A100", "a100", "A100:80GB:2", "A100:80:2",
              "H100,A100:8", "nvidia:16GB..", "MI300X:AMD", "tpu:v5p-8", "tpu-v3-8", "amd:2",
              "A100 : 2", "24GB..80GB", "1..8", "..4", "16..32", "16GB..32", "A100::2",
              "A100,,H100", "nvidia:amd", "intel:gaudi2", "tt:n150", "tenstorrent", "google",
              "A100:H100", "80GB:40GB", "2:4", "A100:1e3", "RTX4090:24GB:1..2", "nvidia:2:H100",
              "H100:0", "H100:..", ":", "L4:", {}, {"name": "A100"}, {"name": ["A100", "H100"]},
              {"name": []}, {"name": ""}, {"name": "A100,H100"}, {"name": 5}, {"vendor": "nvidia"},
              {"vendor": "NVIDIA"}, {"vendor": "tpu"}, {"vendor": "tt"}, {"vendor": "foo"},
              {"vendor": 1}, {"vendor": None}, {"count": 2}, {"count": "1..2"}, {"count": None},
              {"memory": "80GB"}, {"memory": None}, {"total_memory": "160GB.."},
              {"compute_capability": 7.5}, {"compute_capability": "8.0"},
              {"compute_capability": 8}, {"compute_capability": [8, 0]},
              {"compute_capability": "9"}, {"compute_capability": "7.5.1"},
              {"compute_capability": " 8 . 6 "}, {"compute_capability": R("7.10")},
              {"compute_capability": 7.05}, {"compute_capability": [8]},
              {"compute_capability": None}, {"name": "tpu-v3-8"}, {"size": 1}, [], "A100:80GB:2:x"]
CPU_VALUES = [0, 1, 2, 4, -1, 2.5, True, None, "", "2..", "4..8", "arm", "ARM", "x86", "X86",
              "x86:4", "8:arm", "arm:8:x86", "4:8", "arm64", "amd64", "x86_64", "2::arm",
              "1..2..3", "8..4", "..8", {"arch": "arm"}, {"arch": "ARM", "count": 4},
              {"count": "2..4"}, {"min": 4}, {"max": 8}, {"min": 2, "max": 8}, {},
              {"arch": "x86", "min": 1}, {"count": None}, {"arch": None}, {"arch": 5}, [], "4:"]
DISK_VALUES = ["100GB", "100GB..", 200, 1.5, "..1TB", {"size": "100GB"},
               {"size": "100GB..200GB"}, {}, None, "1TB..", "abc", {"size": None}, 0, -1,
               True, [], {"size": 100, "x": 1}, "50GB..10GB"]
NAME_VALUES = ["a", "a1", "prefill", "A", "1", "0", "-a", "a-", "a_b", "a" * 40, "a" * 41, "",
               None, 5, True, "a\n", "ü"]

POOLS: list[tuple[tuple, list]] = [
    (("port",), [8000, 80, 1, 65535, 0, 65536, -1, "8000", " 8000", 8000.0, "8000.0", True,
                 "8080:8000", "80:80", "0:8000", "*:8000", "8000:", ":8000", "8000/tcp",
                 {"container_port": 8000}, {"container_port": 8000, "local_port": 8080},
                 {"local_port": 80}, {"container_port": "8000"}, {"container_port": 65536},
                 {"container_port": 8000, "local_port": None}, {"container_port": 1,
                  "local_port": 65535}, {"container_port": 8000, "protocol": "tcp"},
                 R("1:30"), R("010"), R("0x1F40"), R("8_000"), R("80:8000"), None, [8000],
                 8000.5, "abc", "65535:65536", "08000", " 8080:8000"]),
    (("port", "container_port"), INT_EDGE),
    (("port", "local_port"), INT_EDGE),
    (("gateway",), [True, False, None, "gw", "proj/gw", "a/b/c", "", "/gw", "a/", 2, 1.5,
                    {"name": "gw"}, {"name": "gw", "project": "p"}, {"project": "p"},
                    {"name": "gw", "extra": 1}, {"name": None}, {"name": 5}, "on", "none", "t",
                    "null", 1, 0, ["gw"], R("yes"), R("off"), R("No"), "a//b", "gw "]),
    (("strip_prefix",), BOOL_VALUES),
    (("model",), ["meta-llama/Llama-3.1-8B-Instruct", "", 123, None, True, ["m"],
                  {"name": "m", "format": "openai"}, {"name": "m", "format": "openai", "prefix": "/v2"},
                  {"name": "m", "format": "openai", "prefix": "v1"},
                  {"name": "m", "format": "openai", "prefix": ""},
                  {"name": "m", "format": "tgi"},
                  {"name": "m", "format": "tgi", "chat_template": "{{x}}", "eos_token": "</s>"},
                  {"name": "m", "format": "tgi", "prefix": "/v1"}, {"name": "m"},
                  {"format": "openai"}, {"name": "m", "format": "OpenAI"},
                  {"name": "m", "format": "vllm"}, {"name": "m", "format": "openai", "type": "chat"},
                  {"name": "m", "format": "openai", "type": "completion"},
                  {"name": 5, "format": "openai"}, {"name": "m", "format": "openai",
                   "chat_template": "x"}, {"name": "m", "format": "openai", "type": None},
                  {"name": "m", "format": "openai", "prefix": None},
                  {"name": "m", "format": "tgi", "eos_token": None}, {"name": "m", "format": None},
                  {}, R("3.10")]),
    (("model", "name"), STR_EDGE),
    (("https",), [True, False, None, "auto", "AUTO", "Auto", "yes", 1, 0, 2, "http", "",
                  R("on"), R("OFF"), R("y")]),
    (("auth",), BOOL_VALUES),
    (("scaling",), [{"metric": "rps", "target": 10}, {"metric": "rps"}, {"target": 1}, {},
                    None, "rps", {"metric": "RPS", "target": 1}, {"metric": "cpu", "target": 1},
                    {"metric": None, "target": 1}, {"metric": "rps", "target": 1, "x": 1}]),
    (("scaling", "target"), FLOAT_EDGE),
    (("scaling", "window"), DURATION_VALUES + [45, "30", "60s", "300s", "0.5m"]),
    (("scaling", "scale_up_delay"), DURATION_VALUES),
    (("scaling", "scale_down_delay"), DURATION_VALUES),
    (("rate_limits",), [[], None, [{"rps": 10}], {"rps": 10}, "x",
                        [{"rps": 10}, {"rps": 10, "prefix": "/api"}],
                        [{"rps": 10, "prefix": "/api"}, {"rps": 10, "prefix": "/api/"}],
                        [{"rps": 10}, {"rps": 5}], [None], [[]]]),
    (("rate_limits", "[]", "prefix"), ["/", "/api", "api", "/a b", "/a\\b", "/{x}", "", "/api/",
                                       "/" + "a" * 4093, "/" + "a" * 4094, "/ü", "/a\u00a0b",
                                       None, 5, "/a\tb", "/a\n"]),
    (("rate_limits", "[]", "key"), [{"type": "ip_address"}, {"type": "header", "header": "X-API-Key"},
                                    {"type": "header"}, {"type": "header", "header": "bad header"},
                                    {"type": "header", "header": "x" * 500},
                                    {"type": "header", "header": "x" * 501},
                                    {"type": "header", "header": ""},
                                    {"type": "header", "header": 5},
                                    {"type": "ip_address", "header": "x"}, {"type": "cookie"},
                                    {}, None, "ip_address", {"type": "IP_ADDRESS"}]),
    (("rate_limits", "[]", "rps"), FLOAT_EDGE),
    (("rate_limits", "[]", "burst"), INT_EDGE),
    (("probes",), [None, [], [{"type": "http"}], {"type": "http"}, [{}], [{"type": "tcp"}],
                   [{"type": "HTTP"}], [{"type": "http"}, {"type": "http", "url": "/b"}],
                   [{"type": "http"}] * 11, "http"]),
    (("probes", "[]", "url"), ["/health", "/", "health", "", "/a\tb", "/a b", "/" + "a" * 2047,
                               "/" + "a" * 2048, "/\u00a0", "/ü", None, 5, "/a\n", "/${{ env.X }}"]),
    (("probes", "[]", "method"), ["get", "post", "put", "delete", "patch", "head", "GET", "Post",
                                  "options", "", None, 1]),
    (("probes", "[]", "headers"), [[], [{"name": "X", "value": "y"}], [{"name": "", "value": "y"}],
                                   [{"name": "X"}], [{"value": "y"}], [{"name": "X", "value": ""}],
                                   [{"name": 1, "value": 2}], [{"name": "X", "value": "y", "z": 1}],
                                   [{"name": "X", "value": "y"}] * 16,
                                   [{"name": "X", "value": "y"}] * 17, None, {"X": "y"},
                                   [{"name": "x" * 257, "value": "y"}],
                                   [{"name": "X", "value": "v" * 2049}]]),
    (("probes", "[]", "body"), ["x", "", '{"a": 1}', "b" * 2048, "b" * 2049, None, 5, True]),
    (("probes", "[]", "timeout"), DURATION_VALUES + [600, 301]),
    (("probes", "[]", "interval"), DURATION_VALUES),
    (("probes", "[]", "ready_after"), INT_EDGE),
    (("probes", "[]", "until_ready"), BOOL_VALUES),
    (("replicas",), RANGE_INT_VALUES + [[], [{"count": 1, "commands": ["a"]}]]),
    (("groups",), [[], None, [{"replicas": 1, "commands": ["a"]}], {"replicas": 1}, "a", [None],
                   [{"replicas": 1, "commands": ["a"]}, {"replicas": 1, "commands": ["b"]}],
                   [{"name": "a", "replicas": 1, "commands": ["x"]},
                    {"name": "a", "replicas": 1, "commands": ["y"]}]]),
    (("groups", "[]", "name"), NAME_VALUES),
    (("groups", "[]", "replicas"), RANGE_INT_VALUES),
    (("groups", "[]", "count"), RANGE_INT_VALUES),
    (("groups", "[]", "scaling"), [None, {"metric": "rps", "target": 1}, {},
                                   {"metric": "rps", "target": 1, "window": "1m"}]),
    (("groups", "[]", "spot_policy"), ["spot", "on-demand", "auto", "on_demand", None, "SPOT"]),
    (("groups", "[]", "reservation"), ["r-1", "", None, 5]),
    (("groups", "[]", "commands"), [["a"], [], "a", [1], [None], None]),
    (("groups", "[]", "image"), ["nginx", "", None, 5]),
    (("groups", "[]", "python"), ["3.11", "3.1", R("3.10"), 3, None, "3.15"]),
    (("groups", "[]", "nvcc"), BOOL_VALUES[:8]),
    (("groups", "[]", "docker"), BOOL_VALUES[:8]),
    (("groups", "[]", "privileged"), BOOL_VALUES[:8]),
    (("groups", "[]", "router"), [{}, {"type": "sglang"}, {"type": "dynamo"}, {"type": "other"},
                                  None, "sglang", {"type": None}, {"type": "sglang", "x": 1}]),
    (("groups", "[]", "resources"), [{}, {"gpu": "H100:2"}, None, {"gpu": {"count": 2}}]),
    (("groups", "[]", "resources", "gpu"), GPU_VALUES),
    (("groups", "[]", "resources", "cpu"), CPU_VALUES),
    (("groups", "[]", "resources", "memory"), MEM_VALUES),
    (("groups", "[]", "resources", "disk"), DISK_VALUES),
    (("groups", "[]", "foo"), [1]),
    (("groups", "[]", "env"), [["A=1"]]),
    (("groups", "[]", "port"), [8000]),
    (("commands",), [["a"], [], "a", [1], [None], None, ["a && b"], [{"a": "b"}], [1.5],
                     [R("yes")], ["echo ${{ groups[0].replicas[0].IP_ADDRESS }}"], [""]]),
    (("type",), ["service", "Service", "SERVICE", "task", "dev-environment", "fleet", None, "",
                 5, ["service"]]),
    (("name",), ["my-svc", "", 5, True, None, "A", "x" * 100, 1.5, R("3.10"), R("2024-01-01"),
                 "a" * 41]),
    (("image",), ["x", "", None, 5, R("1.10"), True, ["x"], "nginx:latest", 1.5]),
    (("user",), ["root", "1000", 1000, "1000:1000", "a:b:c", ":g", "u:", "-1", "u:-1", "", None,
                 True, "u:g", "0:0", " 1 :2", "1_000", R("1:30")]),
    (("privileged",), BOOL_VALUES),
    (("entrypoint",), ["sh -c", "", None, ["sh"], 5]),
    (("working_dir",), ["/app", "app", "", None, 5, "~"]),
    (("home_dir",), ["/root", "/home/u", None, 5, ""]),
    (("registry_auth",), [{"username": "u", "password": "p"}, {"username": "u"},
                          {"username": 1, "password": 2}, {"username": "u", "password": "p",
                           "token": "x"}, None, "u:p", {},
                          {"username": "${{ secrets.U }}", "password": "${{ env.P }}"},
                          {"username": None, "password": "p"}]),
    (("python",), ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15", "3.8", "3.1",
                   R("3.10"), R("3.9"), R("3.12"), R("3.100"), R("3.14"), R("3.8"), 3, True,
                   "3.10.1", None, "py3", 3.1, 3.11, "", " 3.11"]),
    (("nvcc",), BOOL_VALUES),
    (("single_branch",), BOOL_VALUES),
    (("env",), [[], {}, ["A=1"], ["A"], ["A=1", "A"], ["A=x=y"], ["B="], ["1A=x"], [123],
                {"A": "1"}, {"A": 1}, {"A": 1.5}, {"A": True}, {"A": None}, {"A": [1]},
                {"A": {"key": "B"}}, {"A": {"key": "B", "x": 1}}, {"A": {}}, {1: "z"},
                ["A=line1\nline2"], None, "A=1", {"A-B": "x"}, ["A B=1"], ["_A=1"], ["a=1"],
                {"A": "line1\nline2"}, [None], [["A"]], {"A": R("yes")}, {"A": R("3.10")},
                {"A": R("010")}, ["A=1", "B"], {"": "x"}]),
    (("shell",), ["sh", "bash", "/bin/zsh", "/", "zsh", "bin/bash", "", None, "SH", 5, "//"]),
    (("resources",), [{}, None, "x", [], {"gpu": 1}, {"foo": 1}, {"count": 2},
                      {"gpu": "A100", "cpu": 4, "memory": "32GB", "disk": "200GB",
                       "shm_size": "8GB"}]),
    (("resources", "cpu"), CPU_VALUES),
    (("resources", "memory"), MEM_VALUES),
    (("resources", "shm_size"), ["1GB", "512MB", 1, 0, -1, "1GB..2GB", None, "x", "1g", True,
                                 {"min": 1}, "inf"]),
    (("resources", "gpu"), GPU_VALUES),
    (("resources", "gpu", "name"), ["A100", ["A100"], [], "", None, 5, ["A100", 5], "A,B",
                                    ["tpu-v5"]]),
    (("resources", "gpu", "vendor"), ["nvidia", "NVIDIA", "amd", "google", "tpu", "intel",
                                      "tenstorrent", "tt", "TT", "foo", None, 1, True, ""]),
    (("resources", "gpu", "count"), RANGE_INT_VALUES),
    (("resources", "gpu", "memory"), MEM_VALUES),
    (("resources", "gpu", "total_memory"), MEM_VALUES),
    (("resources", "gpu", "compute_capability"), [7.5, "8.0", 8, [8, 0], "9", "7.5.1", " 8 . 6 ",
                                                  R("7.10"), 7.05, [8], None, "3.x", [8, 0, 1],
                                                  ["8", "0"], True, "", 10.0]),
    (("resources", "cpu", "arch"), ["x86", "arm", "ARM", "X86", "amd64", None, 5, ""]),
    (("resources", "cpu", "count"), RANGE_INT_VALUES),
    (("resources", "disk"), DISK_VALUES),
    (("resources", "disk", "size"), MEM_VALUES),
    (("priority",), [0, 50, 100, 101, -1, 50.0, 50.5, "50", None, True, "x", R("010")]),
    (("volumes",), [[], ["my-vol:/data"], ["/mnt/host:/data"], ["v"], ["v:/a:ro"], [":/a"],
                    ["./host:/d"], ["v:data"], ["v:/a/../b"], [{"name": "v", "path": "/d"}],
                    [{"name": ["v1", "v2"], "path": "/d"}], [{"name": [], "path": "/d"}],
                    [{"instance_path": "/h", "path": "/d"}],
                    [{"instance_path": "/h", "path": "/d", "optional": True}],
                    [{"name": "v", "path": "/d", "optional": True}],
                    [{"instance_path": "/h", "path": "/d", "optional": None}], [{"name": "v"}],
                    [{"name": "v", "path": ""}], ["/h/:/c//d/"], ["//x//y/./z/:/d"],
                    ["///x:/d"], [{"name": 5, "path": "/d"}], None, "v:/d", [5],
                    [{"instance_path": "rel", "path": "/d"}], ["v:/"], ["v:/a/./b/"]]),
    (("docker",), BOOL_VALUES),
    (("repos",), [[], ["."], [".:/repo"], ["~/repos/demo:~/repo"], ["C:\\path\\to:/repo"],
                  ["https://github.com/org/repo"], ["https://github.com/org/repo:~/data/repo"],
                  ["git@github.com:org/repo.git:data/repo"], ["http://host:8080/repo.git"],
                  ["ssh://git@host:22/repo.git:/r"], [".", "."], [{"url": "https://x"}],
                  [{"local_path": "."}], [{"local_path": ".", "url": "x"}], [{}],
                  [{"url": "x", "branch": "main", "hash": "abc", "path": "~/r", "if_exists": "skip"}],
                  [{"url": "x", "path": "~alice/x"}], [{"url": "x", "path": "~~"}],
                  [{"url": "x", "if_exists": "SKIP"}], [{"url": "x", "path": None}],
                  [{"local_path": "", "url": "x"}], [{"local_path": "", "url": ""}], None,
                  ["a:b:c"], [":"], ["."] * 2, [{"url": "x", "path": "~"}], "."]),
    (("files",), [[], ["a:b"], ["a"], ["a:"], [":b"], ["a:b:c"], ["C:\\x:/y"], ["d:/path/to"],
                  [{"local_path": "a", "path": "/b"}], [{"local_path": "a"}],
                  [{"local_path": "a", "path": "C:/x"}],
                  [{"local_path": "a", "path": "\\\\server\\share"}],
                  [{"local_path": "a", "path": "//server/share"}],
                  [{"local_path": "a", "path": "C:"}], [{"local_path": "a", "path": "rel\\win"}],
                  None, "a:b", [5], [{"local_path": "a", "path": "/b", "mode": 644}]]),
    (("dstack",), BOOL_VALUES),
    (("setup",), [[], ["pip install x"], "x", None, [1]]),
    (("backends",), [["aws"], ["aws", "gcp"], [], ["local"], ["AWS"], ["datacrunch"], ["verda"],
                     ["daytona"], ["lium"], ["seeweb"], "aws", None, ["slurm"], ["aws", "aws"],
                     ["crusoe", "jarvislabs", "kubernetes", "lambda", "nebius", "oci", "runpod",
                      "tensordock", "vastai", "vultr", "remote", "hotaisle", "cloudrift",
                      "cudo", "digitalocean", "amddevcloud", "azure", "dstack"], [None], [1]]),
    (("regions",), [["us-east-1"], [], [1], "us", None, [None]]),
    (("availability_zones",), [["us-east-1a"], [], "x", None]),
    (("instance_types",), [["p4d.24xlarge"], [], None, [1.5]]),
    (("reservation",), ["r-1", 5, None, ""]),
    (("spot_policy",), ["spot", "on-demand", "auto", "on_demand", "SPOT", None, True, ""]),
    (("retry",), [True, False, None, {}, {"on_events": ["no-capacity"]}, {"on_events": []},
                  {"on_events": None}, {"duration": "1h"}, {"duration": -1},
                  {"on_events": ["error", "interruption"], "duration": "30m"},
                  {"on_events": ["oops"]}, "yes", 1, 2, {"x": 1}, {"duration": None},
                  {"on_events": "error"}, R("on")]),
    (("retry", "duration"), DURATION_VALUES),
    (("max_duration",), DURATION_VALUES + ["OFF", "Off"]),
    (("stop_duration",), DURATION_VALUES + ["OFF"]),
    (("max_price",), FLOAT_EDGE + ["cheap"]),
    (("creation_policy",), ["reuse", "reuse-or-create", "REUSE", None, "create", 1]),
    (("idle_duration",), DURATION_VALUES + ["-1", -2]),
    (("utilization_policy",), [{"min_gpu_utilization": 10, "time_window": "5m"},
                               {"min_gpu_utilization": 0, "time_window": 300},
                               {"min_gpu_utilization": 100, "time_window": "1h"},
                               {"min_gpu_utilization": 101, "time_window": "1h"},
                               {"min_gpu_utilization": -1, "time_window": "1h"},
                               {"min_gpu_utilization": 10, "time_window": 299},
                               {"min_gpu_utilization": 10, "time_window": "4m"},
                               {"min_gpu_utilization": 10}, {"time_window": "1h"}, {}, None,
                               {"min_gpu_utilization": 10, "time_window": "1h", "x": 1}, "1h",
                               {"min_gpu_utilization": 10.5, "time_window": "1h"},
                               {"min_gpu_utilization": "10", "time_window": "2h"}]),
    (("utilization_policy", "time_window"), DURATION_VALUES),
    (("startup_order",), ["any", "master-first", "workers-first", "Any", None, "first"]),
    (("stop_criteria",), ["all-done", "master-done", None, "done", "ALL-DONE"]),
    (("schedule",), [{"cron": "0 0 * * *"}, {"cron": ["0 0 * * *", "*/5 * * * *"]}, {"cron": []},
                     {"cron": None}, {}, "0 0 * * *", None, {"cron": "0 0 * * *", "tz": "UTC"},
                     {"cron": 5}, {"cron": [5]}]),
    (("schedule", "cron"), ["0 0 * * *", "@daily", "0 0 * * 7", "0 0 * * 6", "0 0 * * sun",
                            "0 0 * * mon-fri", "0 0 L * *", "*/60 * * * *", "*/59 * * * *",
                            "5/55 * * * *", "5/54 * * * *", "0 0 last * *", "0 0 lastx * *",
                            "0 0 * jan-mar *", "0 0 * JAN *", "0 0 * * mon#2", "0 0 * * sun-mon",
                            "0 0 1-31/0 * *", "60 * * * *", "0 24 * * *", "0 0 0 * *",
                            "0 0 * 13 *", "0 0 * * monday", "0 0 * * * *", "0 0 * *", "",
                            "0 0 ? * *", "0 0 1#2 * *", "0,30 8-18/2 * * 1-5", "0 0 * * mon-fri/2",
                            "0 0 * jan! *", "0 0 5-3 * *", "*/0 * * * *", " 0  0 * * * ",
                            ["0 0 * * *"], [], ["0 0 * * *", "bad"]]),
    (("fleets",), [["my-fleet"], ["p/f"], ["a/b/c"], [], [1], [{"name": "f"}],
                   [{"name": "f", "project": "p"}], [{"project": "p"}], "f", None, [""],
                   [{"name": "f", "x": 1}], ["/f"], [None]]),
    (("instances",), [["inst"], [], [{"name": "x"}], [{"hostname": "h"}],
                      [{"fleet": "f", "instance": 0}], [{"fleet": "p/f", "instance": 2}],
                      [{"fleet": {"name": "f"}, "instance": 1}], [{"fleet": "f", "instance": -1}],
                      [{"fleet": "f"}], [{"name": ""}], [{"name": "x", "hostname": "y"}], None,
                      [{"hostname": ""}], [{"fleet": "a/b/c", "instance": 0}], "inst", [5],
                      [{"fleet": "f", "instance": "1"}], [{}]]),
    (("tags",), [{"k": "v"}, {}, {"team": "ml", "env": "prod"}, {"bad key": "v"}, {"k": "bad!"},
                 {"k": ""}, {"k": 1}, {1: "v"}, {"k" * 60: "v"}, {"k" * 61: "v"}, None, ["a"],
                 "x", {"k": None}, {"k": "v" * 256}, {"k": "v" * 257}, {"k": "a b.c:d/e=f_g-h+i@j"},
                 {"k\n": "v"}, {"k": "v\n"}, {"_-": "x"}, {"k": True}, {"": "v"}]),
    (("backend_options",), [[{"type": "vastai"}], [{}], [{"offer_order": "score"}],
                            [{"offer_order": "price", "min_reliability": 0.9, "min_score": 5}],
                            [{"min_reliability": 1.5}], [{"min_reliability": 0}],
                            [{"min_reliability": 1}], [{"min_score": -1}], [{"min_score": 0}],
                            [{"type": "aws"}], [{"type": "vastai"}, {}], [], None,
                            [{"offer_order": "random"}], {"type": "vastai"},
                            [{"type": "vastai", "x": 1}], [{"min_score": 1.5}]]),
]

# values used when a template step needs a container that does not exist yet
LIST_ITEM_DEFAULTS = {
    "rate_limits": lambda: {"rps": 10},
    "probes": lambda: {"type": "http"},
    "groups": lambda: {"replicas": 1, "commands": ["python app.py"]},
    "volumes": lambda: {"name": "v", "path": "/data"},
    "repos": lambda: {"url": "https://github.com/org/repo"},
    "files": lambda: {"local_path": "a", "path": "/a"},
}

YAML11_RAW = ["yes", "no", "on", "off", "Yes", "NO", "On", "OFF", "y", "n", "true", "False",
              "TRUE", "~", "null", "Null", "3.10", "1.10", "3.9", "1e3", "1.0e+3", "1.0e3",
              ".5", "1.", ".inf", "-.inf", ".nan", "010", "0777", "08", "09", "0x1F", "0b101",
              "1_000", "0o10", "1:30", "190:20:30", "2024-01-01", "2024-01-01 10:00:00",
              "0..4", "1..", "..3", "8GB", "512MB", "1TB", "8GB..16GB", "-1", "+1", "0",
              "65535", "65536", "100", "101"]


# --------------------------------------------------------------------------------------
# YAML / JSON emitter

_RESOLVER = yaml.resolver.Resolver()
_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@` \t")
_PRINTABLE_RE = re.compile("^[\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")


def _plain_ok(s: str, flow: bool) -> bool:
    if not s or s[0] in _PLAIN_BAD_START or s[-1] in " \t:":
        return False
    if ": " in s or " #" in s or "\n" in s or not _PRINTABLE_RE.match(s):
        return False
    if "\u00a0" in s or "\ufeff" in s or "\u2028" in s or "\u2029" in s or "\x85" in s:
        return False
    if flow and any(c in s for c in ",[]{}"):
        return False
    if flow and ":" in s:
        return False
    if s.startswith(("---", "...")):
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, s, (True, False)) == "tag:yaml.org,2002:str"


def _dq(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7f or 0x80 <= o < 0xa0 or ch in "\u2028\u2029\ufeff" \
                or 0xd800 <= o < 0xe000 or o in (0xfffe, 0xffff):
            out.append(f"\\u{o:04x}" if o <= 0xffff else f"\\U{o:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _float_text(f: float) -> str:
    if math.isnan(f):
        return ".nan"
    if math.isinf(f):
        return ".inf" if f > 0 else "-.inf"
    t = repr(f)
    if "e" in t and "." not in t:
        mant, exp = t.split("e")
        t = f"{mant}.0e{exp}"
    if "e" in t:
        mant, exp = t.split("e")
        if exp[0] not in "+-":
            exp = "+" + exp
        t = f"{mant}e{exp}"
    return t


def scalar_text(v, rng: random.Random, flow: bool, key: bool = False) -> str:
    if isinstance(v, Raw):
        return v.text
    if v is None:
        return rng.choice(["null", "null", "~", "" if not flow and not key else "null"])
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _float_text(v)
    s = str(v)
    r = rng.random()
    if key and r < 0.9:
        r = 0.0
    if r < 0.75 and _plain_ok(s, flow):
        return s
    if r < 0.85 and _PRINTABLE_RE.match(s) and "\n" not in s and "\u00a0" not in s \
            and not any(c in s for c in "\u2028\u2029\x85\ufeff"):
        return "'" + s.replace("'", "''") + "'"
    return _dq(s)


def _is_scalar(v) -> bool:
    return not isinstance(v, (dict, list))


def _flowable(v, depth=0) -> bool:
    if depth > 3:
        return False
    if isinstance(v, dict):
        return len(v) <= 6 and all(_is_scalar(k) and _flowable(x, depth + 1) for k, x in v.items())
    if isinstance(v, list):
        return len(v) <= 6 and all(_flowable(x, depth + 1) for x in v)
    if isinstance(v, str):
        return len(v) < 200
    return True


def _flow_text(v, rng, anchors) -> str:
    prefix = anchors.ref(v)
    if prefix is not None and prefix.startswith("*"):
        return prefix
    pre = (prefix + " ") if prefix else ""
    if isinstance(v, dict):
        items = [f"{scalar_text(k, rng, True, key=True)}: {_flow_text(x, rng, anchors)}"
                 for k, x in v.items()]
        return pre + "{" + ", ".join(items) + "}"
    if isinstance(v, list):
        return pre + "[" + ", ".join(_flow_text(x, rng, anchors) for x in v) + "]"
    t = scalar_text(v, rng, True)
    return pre + (t if t != "" else "null")


class _Anchors:
    """Anchors for containers that appear more than once in the tree (shared objects)."""

    def __init__(self, tree):
        self.count = collections.Counter()
        self.names = {}
        self._walk(tree, set())

    def _walk(self, v, stack):
        if isinstance(v, (dict, list)):
            self.count[id(v)] += 1
            if self.count[id(v)] > 1 or id(v) in stack:
                return
            stack = stack | {id(v)}
            for x in (v.values() if isinstance(v, dict) else v):
                self._walk(x, stack)

    def ref(self, v):
        if not isinstance(v, (dict, list)) or self.count[id(v)] < 2:
            return None
        if id(v) in self.names:
            return "*" + self.names[id(v)]
        self.names[id(v)] = f"a{len(self.names) + 1}"
        return "&" + self.names[id(v)]


def _literal_ok(s: str) -> bool:
    return ("\n" in s and _PRINTABLE_RE.match(s.replace("\n", "")) is not None
            and not s.startswith((" ", "\n")) and not any(
                line.endswith(" ") for line in s.split("\n"))
            and "\u00a0" not in s and not any(c in s for c in "\u2028\u2029\x85\ufeff"))


def _block(v, indent: int, rng, style, anchors, out: list, in_seq=False):
    """Append the lines of a block node value (after a 'key:' or '- ')."""
    pad = " " * indent
    if isinstance(v, dict):
        first = True
        for k, x in v.items():
            kt = scalar_text(k, rng, False, key=True)
            if kt == "":
                kt = '""'
            lead = "" if (in_seq and first) else pad
            first = False
            _emit_entry(lead + kt + ":", x, indent, rng, style, anchors, out)
        return
    if isinstance(v, list):
        first = True
        for x in v:
            lead = "" if (in_seq and first) else pad
            first = False
            _emit_item(lead, x, indent, rng, style, anchors, out)
        return
    raise AssertionError("scalar in _block")


def _emit_entry(head: str, x, indent, rng, style, anchors, out):
    ref = anchors.ref(x)
    if ref is not None and ref.startswith("*"):
        out.append(f"{head} {ref}")
        return
    anc = f" {ref}" if ref else ""
    if _is_scalar(x):
        if isinstance(x, str) and not isinstance(x, Raw) and _literal_ok(x) and rng.random() < 0.5:
            body = x[:-1] if x.endswith("\n") else x
            chomp = "" if x.endswith("\n") and not x.endswith("\n\n") else "-"
            if x.endswith("\n\n"):
                out.append(f"{head}{anc} {_dq(x)}")
                return
            out.append(f"{head}{anc} |{chomp}")
            for line in body.split("\n"):
                out.append((" " * (indent + 2) + line) if line else "")
            return
        t = scalar_text(x, rng, False)
        out.append(f"{head}{anc} {t}".rstrip() if t != "" else f"{head}{anc}")
        return
    if not x:
        out.append(f"{head}{anc} " + ("{}" if isinstance(x, dict) else "[]"))
        return
    if _flowable(x) and rng.random() < style["flow"]:
        out.append(f"{head}{anc} " + _flow_text(x, rng, _NoAnchors()))
        return
    out.append(f"{head}{anc}")
    if isinstance(x, list):
        _block(x, indent + style["seq_indent"], rng, style, anchors, out)
    else:
        _block(x, indent + style["indent"], rng, style, anchors, out)


def _emit_item(lead: str, x, indent, rng, style, anchors, out):
    ref = anchors.ref(x)
    if ref is not None and ref.startswith("*"):
        out.append(f"{lead}- {ref}")
        return
    if _is_scalar(x):
        t = scalar_text(x, rng, False)
        if t == "" or (isinstance(x, str) and "\n" in x and not t.startswith(('"', "'"))):
            t = _dq(x) if isinstance(x, str) else "null"
        out.append(f"{lead}- {(ref + ' ') if ref else ''}{t}")
        return
    if not x:
        out.append(f"{lead}- {(ref + ' ') if ref else ''}" + ("{}" if isinstance(x, dict) else "[]"))
        return
    if ref or (_flowable(x) and rng.random() < style["flow"]):
        if _flowable(x):
            out.append(f"{lead}- {(ref + ' ') if ref else ''}" + _flow_text(x, rng, _NoAnchors()))
            return
        out.append(f"{lead}- {ref}")
        _block(x, indent + 2, rng, style, anchors, out)
        return
    # compact form: "- key: value" with the rest indented by 2
    sub: list = []
    _block(x, indent + 2, rng, style, anchors, sub, in_seq=True)
    out.append(f"{lead}- " + sub[0])
    out.extend(sub[1:])


class _NoAnchors:
    def ref(self, v):
        return None


def emit_yaml(tree, rng: random.Random, style=None) -> str:
    st = {"flow": 0.25, "indent": 2, "seq_indent": 2}
    st.update({"indent": rng.choice([2, 2, 4]), "seq_indent": rng.choice([0, 2, 2])})
    if style:
        st.update(style)
    anchors = _Anchors(tree)
    if not isinstance(tree, (dict, list)):
        t = scalar_text(tree, rng, False)
        return (t + "\n") if t else ""
    if not tree:
        return ("{}" if isinstance(tree, dict) else "[]") + "\n"
    out: list = []
    _block(tree, 0, rng, st, anchors, out)
    return "\n".join(out) + "\n"


def _json_able(v) -> bool:
    if isinstance(v, Raw):
        return False
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, dict):
        return all(isinstance(k, str) and _json_able(x) for k, x in v.items())
    if isinstance(v, list):
        return all(_json_able(x) for x in v)
    return True


def _has_shared(tree) -> bool:
    return any(c > 1 for c in _Anchors(tree).count.values())


# --------------------------------------------------------------------------------------
# Mutations


def _walk(tree, path=()):
    """Yield (container, key, value, path) for every node below the root."""
    if isinstance(tree, dict):
        for k in list(tree.keys()):
            v = tree[k]
            yield tree, k, v, path + (k,)
            yield from _walk(v, path + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            yield tree, i, v, path + (i,)
            yield from _walk(v, path + (i,))


def _nodes(tree, rng=None):
    """All nodes; with rng, the root `type` and `port` are usually left alone (mutating them
    makes most variants fail for the same boring reason)."""
    nodes = list(_walk(tree))
    if rng is not None:
        keep_type = rng.random() < 0.1
        keep_port = rng.random() < 0.25
        nodes = [n for n in nodes if not (len(n[3]) >= 1 and (
            (n[3][0] == "type" and not keep_type) or (n[3][0] == "port" and not keep_port)))]
    return nodes


def _mappings(tree):
    out = [tree] if isinstance(tree, dict) else []
    out += [v for _, _, v, _ in _walk(tree) if isinstance(v, dict)]
    return out


def op_drop(tree, rng):
    nodes = _nodes(tree, rng)
    if not nodes:
        return False
    parent, key, _, _ = rng.choice(nodes)
    del parent[key]
    return True


def op_null(tree, rng):
    nodes = _nodes(tree, rng)
    if not nodes:
        return False
    parent, key, _, _ = rng.choice(nodes)
    parent[key] = None
    return True


def op_empty(tree, rng):
    nodes = _nodes(tree, rng)
    if not nodes:
        return False
    parent, key, v, _ = rng.choice(nodes)
    parent[key] = {} if (isinstance(v, dict) or (not isinstance(v, list) and rng.random() < .5)) else []
    return True


def _respell(v, rng):
    """Another spelling / type of the same scalar."""
    if isinstance(v, bool):
        return rng.choice([R("yes") if v else R("no"), R("on") if v else R("off"),
                           R("True") if v else R("FALSE"), "true" if v else "false",
                           int(v), float(v), "y" if v else "n", "t" if v else "f",
                           "1" if v else "0", str(v)])
    if isinstance(v, int):
        return rng.choice([str(v), float(v), f" {v} ", f"+{v}", f"{v}.0", R(oct(v).replace("0o", "0")),
                           R(hex(v)), v + 1, v - 1, -v, str(v) + "s", str(v) + "GB", f"{v}..",
                           f"..{v}", f"{v}..{v + 1}", R(f"{v // 60}:{v % 60:02d}"), bool(v % 2)])
    if isinstance(v, float):
        return rng.choice([int(v) if math.isfinite(v) else 0, str(v), repr(v) + "0",
                           R(_float_text(v)), v * 1024, -v, v / 60, round(v, 1) + 0.05])
    if isinstance(v, str):
        choices = [v.upper(), v.lower(), v.capitalize(), v.swapcase(), " " + v, v + " ", v + "\n",
                   v.replace("-", "_"), v.replace("_", "-"), v.replace(" ", ""), v + "x", v[:-1]]
        m = re.fullmatch(r"(-?\d+)", v.strip())
        if m:
            choices += [int(m.group(1)), float(m.group(1)), R(v.strip())]
        m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(GB|MB|TB|gb|mb|tb)", v)
        if m:
            choices += [m.group(1) + rng.choice(["G", "GiB", "MB", "TB", "gb", " GB", "Gb", "k"]),
                        float(m.group(1)), m.group(1) + "GB..", ".." + v]
        if ".." in v:
            a, _, b = v.partition("..")
            choices += [b + ".." + a, a + "..", ".." + b, a + " .. " + b, a + "..." + b,
                        {"min": a or None, "max": b or None}]
        if re.fullmatch(r"\d+(\.\d+)?[smhdw]", v):
            choices += [v.upper(), v[:-1], v + v[-1], v[:-1] + " " + v[-1], "-" + v]
        if ":" in v:
            choices += [v.replace(":", "::", 1), v.split(":")[0], v + ":", ":" + v,
                        v.split(":", 1)[-1]]
        if re.fullmatch(r"3\.\d+", v):
            choices += [R(v), float(v), R(v + "0")]
        return rng.choice(choices)
    if isinstance(v, Raw):
        return v.text
    if v is None:
        return rng.choice(["null", "", R("~"), "None", 0, False])
    return v


def op_retype(tree, rng):
    cands = [(p, k, v) for p, k, v, _ in _nodes(tree, rng) if _is_scalar(v)]
    if not cands:
        return False
    p, k, v = rng.choice(cands)
    p[k] = _respell(v, rng)
    return True


def op_edge(tree, rng):
    nodes = _nodes(tree, rng)
    cands = [(p, k, v) for p, k, v, _ in nodes
             if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not cands:
        cands = [(p, k, v) for p, k, v, _ in nodes if _is_scalar(v)]
    if not cands:
        return False
    p, k, v = rng.choice(cands)
    p[k] = rng.choice(INT_EDGE + FLOAT_EDGE if not isinstance(v, float) else FLOAT_EDGE + INT_EDGE)
    return True


def op_raw(tree, rng):
    cands = [(p, k) for p, k, v, _ in _nodes(tree, rng) if _is_scalar(v)]
    if not cands:
        return False
    p, k = rng.choice(cands)
    p[k] = R(rng.choice(YAML11_RAW))
    return True


def _near_misses(key: str) -> list:
    out = {key + "s", key[:-1] if len(key) > 1 else key + "_", key.replace("_", "-"),
           key.replace("_", ""), key.upper(), key.capitalize(), key + "_", "_" + key}
    if len(key) > 2:
        i = len(key) // 2
        out.add(key[:i] + key[i + 1] + key[i] + key[i + 2:])  # swap
        out.add(key[:i] + key[i + 1:])                          # drop
        out.add(key[:i] + key[i] + key[i:])                     # double
    out.discard(key)
    return sorted(out)


def op_unknown_key(tree, rng):
    maps = _mappings(tree)
    if not maps:
        return False
    m = rng.choice(maps)
    r = rng.random()
    if m and r < 0.5:
        k = rng.choice(_near_misses(str(rng.choice(list(m.keys())))))
    elif r < 0.8:
        k = rng.choice(FOREIGN_KEYS + ROOT_FIELDS + GROUP_FIELDS)
    else:
        k = rng.choice(["foo", "x", "extra", "Port", "1", "null", "true", "a.b", "with space"])
    if k in m:
        return False
    m[k] = rng.choice([1, "x", True, None, [], {}, 8000, "a"])
    return True


def op_dup_item(tree, rng):
    lists = [v for _, _, v, _ in _walk(tree) if isinstance(v, list) and v]
    if not lists:
        return False
    lst = rng.choice(lists)
    i = rng.randrange(len(lst))
    lst.insert(rng.randrange(len(lst) + 1), copy.deepcopy(lst[i]))
    return True


def op_shared(tree, rng):
    """Use one subtree in two places (emitted as a YAML anchor and alias): equal subtrees
    become one object, or `setup`/group resources reuse `commands`/another group's."""
    if not isinstance(tree, dict):
        return False
    nodes = [(p, k, v) for p, k, v, _ in _walk(tree) if isinstance(v, (dict, list)) and v]
    pairs = []
    for i, (p1, k1, v1) in enumerate(nodes):
        for p2, k2, v2 in nodes[i + 1:]:
            if v1 is not v2 and v1 == v2 and not any(x is v1 for _, _, x, _ in _walk(v2)) \
                    and not any(x is v2 for _, _, x, _ in _walk(v1)):
                pairs.append((v1, p2, k2))
    groups = tree.get("groups") if isinstance(tree.get("groups"), list) else tree.get("replicas")
    if isinstance(groups, list):
        gs = [g for g in groups if isinstance(g, dict)]
        src = tree.get("resources") if isinstance(tree.get("resources"), dict) else None
        for g in gs:
            if isinstance(g.get("resources"), dict):
                src = g["resources"]
        if src is not None:
            pairs += [(src, g, "resources") for g in gs if g.get("resources") is not src]
    if isinstance(tree.get("commands"), list) and tree["commands"]:
        pairs.append((tree["commands"], tree, "setup"))
    if not pairs:
        return False
    v, p, k = rng.choice(pairs)
    p[k] = v
    return True


def _template_container(tree, template, rng):
    """Walk/create containers for template[:-1]; return (container, last_key) or None."""
    node = tree
    if not isinstance(node, dict):
        return None
    steps = list(template)
    # groups: use whichever spelling exists; otherwise pick one
    if steps[0] == "groups":
        if isinstance(tree.get("groups"), list):
            gkey = "groups"
        elif isinstance(tree.get("replicas"), list):
            gkey = "replicas"
        else:
            gkey = rng.choice(["groups", "replicas"])
        if len(steps) > 2 and steps[2] in ("replicas", "count"):
            steps[2] = rng.choice(["replicas", "count"]) if gkey == "groups" else \
                rng.choice(["count", "count", "replicas"])
        if len(steps) > 1 and not isinstance(tree.get(gkey), list):
            tree[gkey] = [LIST_ITEM_DEFAULTS["groups"]()]
            if gkey == "replicas":
                tree[gkey][0]["count"] = tree[gkey][0].pop("replicas")
            if rng.random() < 0.85:
                tree.pop("commands", None)
                tree.pop("scaling", None)
            if gkey == "groups" and rng.random() < 0.9 and not isinstance(tree.get("replicas"), list):
                tree.pop("replicas", None)
        steps[0] = gkey
    for i, step in enumerate(steps[:-1]):
        nxt = steps[i + 1]
        if step == "[]":
            if not isinstance(node, list):
                return None
            if not node:
                return None
            node = rng.choice(node)
            continue
        if not isinstance(node, dict):
            return None
        child = node.get(step)
        if nxt == "[]":
            if not isinstance(child, list) or not child:
                mk = LIST_ITEM_DEFAULTS.get(step, dict)
                node[step] = [mk()]
            node = node[step]
        else:
            if not isinstance(child, dict):
                node[step] = {}
            node = node[step]
    last = steps[-1]
    if last == "[]":
        return None
    if not isinstance(node, dict):
        return None
    return node, last


def op_pool(tree, rng):
    template, values = rng.choice(POOLS)
    got = _template_container(tree, template, rng)
    if got is None:
        return False
    node, key = got
    node[key] = copy.deepcopy(rng.choice(values))
    return True


def op_swap_form(tree, rng):
    """Shorthand <-> mapping forms of the same value."""
    if not isinstance(tree, dict):
        return False
    cands = []
    port = tree.get("port")
    if isinstance(port, int) and not isinstance(port, bool):
        cands.append(lambda: tree.__setitem__("port", rng.choice(
            [{"container_port": port}, {"container_port": port, "local_port": 80},
             f"80:{port}", str(port)])))
    if isinstance(port, dict) and "container_port" in port:
        cands.append(lambda: tree.__setitem__("port", port["container_port"]))
    env = tree.get("env")
    if isinstance(env, list):
        def env_to_map():
            m = {}
            for item in env:
                s = str(item)
                k, eq, v = s.partition("=")
                m[k] = v if eq else {"key": k}
            tree["env"] = m
        cands.append(env_to_map)
    if isinstance(env, dict):
        def env_to_list():
            tree["env"] = [f"{k}={v}" if not isinstance(v, dict) else str(k) for k, v in env.items()]
        cands.append(env_to_list)
    gw = tree.get("gateway")
    if isinstance(gw, str) and "/" not in gw:
        cands.append(lambda: tree.__setitem__("gateway", {"name": gw}))
    model = tree.get("model")
    if isinstance(model, str):
        cands.append(lambda: tree.__setitem__("model", {"name": model, "format": "openai"}))
    if isinstance(model, dict) and "name" in model:
        cands.append(lambda: tree.__setitem__("model", model["name"]))
    reps = tree.get("replicas")
    if reps is not None and not isinstance(reps, list):
        def reps_to_groups():
            g = {"count" if rng.random() < .5 else "replicas": reps}
            if "commands" in tree:
                g["commands"] = tree.pop("commands")
            if "scaling" in tree:
                g["scaling"] = tree.pop("scaling")
            if rng.random() < 0.5:
                del tree["replicas"]
                g["replicas"] = g.pop("count", g.get("replicas"))
                tree["groups"] = [g]
            else:
                g["count"] = g.pop("replicas", g.get("count"))
                tree["replicas"] = [g]
        cands.append(reps_to_groups)
        if isinstance(reps, str) and ".." in reps:
            a, _, b = reps.partition("..")
            cands.append(lambda: tree.__setitem__("replicas", {"min": a.strip() or None,
                                                               "max": b.strip() or None}))
    res = tree.get("resources")
    if isinstance(res, dict):
        gpu = res.get("gpu")
        if isinstance(gpu, str):
            parts = gpu.split(":")

            def gpu_to_map():
                m = {}
                for p in parts:
                    if p.lower() in ("nvidia", "amd", "google", "tpu", "intel", "tt", "tenstorrent"):
                        m["vendor"] = p
                    elif p[:1].isalpha():
                        m["name"] = p.split(",")
                    elif re.search("[A-Za-z]", p):
                        m["memory"] = p
                    else:
                        m["count"] = p
                res["gpu"] = m
            cands.append(gpu_to_map)
        disk = res.get("disk")
        if disk is not None and not isinstance(disk, dict):
            cands.append(lambda: res.__setitem__("disk", {"size": disk}))
        cpu = res.get("cpu")
        if isinstance(cpu, (int, str)) and not isinstance(cpu, bool):
            cands.append(lambda: res.__setitem__("cpu", {"count": cpu}))
    vols = tree.get("volumes")
    if isinstance(vols, list) and vols:
        def vols_swap():
            out = []
            for v in vols:
                if isinstance(v, str) and v.count(":") == 1:
                    a, b = v.split(":")
                    out.append({"instance_path": a, "path": b} if "/" in a else {"name": a, "path": b})
                elif isinstance(v, dict) and "path" in v:
                    src = v.get("name", v.get("instance_path"))
                    out.append(f"{src}:{v['path']}" if isinstance(src, str) else v)
                else:
                    out.append(v)
            tree["volumes"] = out
        cands.append(vols_swap)
    sched = tree.get("schedule")
    if isinstance(sched, dict) and isinstance(sched.get("cron"), str):
        cands.append(lambda: sched.__setitem__("cron", [sched["cron"]]))
    retry = tree.get("retry")
    if retry is True:
        cands.append(lambda: tree.__setitem__("retry", {}))
    if not cands:
        return False
    rng.choice(cands)()
    return True


EXCLUSIVE_COMBOS = [
    {"image": "x", "python": "3.11"},
    {"image": "x", "docker": True},
    {"python": "3.11", "docker": True},
    {"nvcc": True, "docker": True},
    {"nvcc": True, "image": "x"},
    {"docker": True, "privileged": False},
    {"replicas": 2, "groups": [{"replicas": 1, "commands": ["a"]}]},
    {"replicas": 2, "scaling": {"metric": "rps", "target": 1}},
    {"replicas": "1..2"},
    {"image": "", "commands": []},
    {"entrypoint": "python app.py", "image": None, "commands": []},
    {"repos": [".", "https://github.com/a/b"]},
    {"probes": [{"type": "http", "url": "/a"}, {"type": "http", "url": "/a"}]},
    {"rate_limits": [{"rps": 1, "prefix": "/a"}, {"rps": 2, "prefix": "/a"}]},
    {"env": ["A=1", "A=2"]},
    {"backend_options": [{"type": "vastai"}, {"type": "vastai"}]},
]

GROUP_COMBOS = [
    ({"image": "x"}, {"image": "y"}),
    ({"image": "x"}, {"docker": False}),
    ({"image": "x"}, {"python": "3.11"}),
    ({"image": "x"}, {"nvcc": True}),
    ({"docker": True}, {"image": "y"}),
    ({"docker": True}, {"docker": False}),
    ({"docker": True}, {"nvcc": False}),
    ({"docker": False}, {"docker": True}),
    ({"privileged": True}, {"privileged": False}),
    ({"privileged": False}, {"privileged": True}),
    ({"python": "3.11"}, {"image": "y"}),
    ({"python": "3.11"}, {"docker": True}),
    ({"python": "3.11"}, {"nvcc": True}),
    ({"nvcc": True}, {"python": "3.11"}),
    ({"nvcc": True}, {"image": "y"}),
    ({"nvcc": False}, {"nvcc": True}),
    ({"spot_policy": "spot"}, {"spot_policy": "auto"}),
    ({"reservation": "r"}, {"reservation": "s"}),
    ({"scaling": {"metric": "rps", "target": 1}}, {}),
    ({"commands": ["a"]}, {}),
    ({"resources": {"gpu": "H100"}}, {"resources": {"gpu": "A100"}}),
    ({}, {"router": {}, "replicas": 2}),
    ({}, {"router": {}, "count": "1..2", "scaling": {"metric": "rps", "target": 1}}),
    ({}, {"commands": [], "image": None}),
    ({}, {"commands": [], "image": ""}),
    ({}, {"image": "x", "python": "3.11"}),
    ({}, {"image": "x", "docker": True}),
    ({}, {"docker": True, "privileged": False}),
    ({}, {"docker": "true", "privileged": False}),
    ({}, {"docker": True, "python": "3.12"}),
    ({}, {"name": "0"}),
]


def op_exclusive(tree, rng):
    if not isinstance(tree, dict):
        return False
    combo = rng.choice(EXCLUSIVE_COMBOS)
    for k, v in combo.items():
        if v is None:
            tree.pop(k, None)
        else:
            tree[k] = copy.deepcopy(v)
    return True


def op_groups(tree, rng):
    """Turn the service into replica groups (root fields move into groups, or collide)."""
    if not isinstance(tree, dict):
        return False
    n = rng.choice([1, 1, 2, 2, 3])
    legacy = rng.random() < 0.5
    size_key = "count" if legacy else rng.choice(["replicas", "replicas", "count"])
    groups = []
    root_cmds = tree.get("commands")
    for i in range(n):
        g = {}
        if rng.random() < 0.5:
            g["name"] = rng.choice(["prefill", "decode", "router", "worker", f"g{i}", str(i),
                                    str(n - i - 1), "main"])
        g[size_key] = rng.choice([1, 1, 2, "1..3", "0..2", 0, {"min": 1, "max": 2}])
        if isinstance(g[size_key], (str, dict)) or rng.random() < 0.03:
            g["scaling"] = {"metric": "rps", "target": rng.choice([1, 5, 10.5])}
        if root_cmds and rng.random() < 0.9:
            g["commands"] = copy.deepcopy(root_cmds)
        elif rng.random() < 0.7:
            g["commands"] = [f"python worker{i}.py"]
        if rng.random() < 0.4:
            g["resources"] = rng.choice([{"gpu": "H100:1"}, {"gpu": "24GB..:2"}, {"cpu": 4},
                                         {"memory": "32GB.."}, {"disk": "200GB"}, {}])
        for f, vals in (("spot_policy", ["spot", "auto", "on-demand"]), ("reservation", ["r1"]),
                        ("image", ["img"]), ("python", ["3.12", R("3.10")]),
                        ("nvcc", [True, False]), ("docker", [True, False]),
                        ("privileged", [True, False]), ("router", [{}, {"type": "sglang"}])):
            if rng.random() < 0.03:
                g[f] = rng.choice(vals)
        groups.append(g)
    if rng.random() < 0.92:
        tree.pop("commands", None)
    if rng.random() < 0.92:
        tree.pop("scaling", None)
    if legacy:
        tree["replicas"] = groups
        tree.pop("groups", None)
    else:
        tree["groups"] = groups
        if rng.random() < 0.9:
            tree.pop("replicas", None)
    if rng.random() < 0.3:
        svc, grp = rng.choice(GROUP_COMBOS)
        tree.update(copy.deepcopy(svc))
        rng.choice(groups).update(copy.deepcopy(grp))
    return True


def op_move(tree, rng):
    """Move a field one level down or up (into a place where it does not belong)."""
    if not isinstance(tree, dict) or not tree:
        return False
    maps = [m for m in _mappings(tree) if m is not tree]
    k = rng.choice(list(tree.keys()))
    if maps and rng.random() < 0.5:
        dst = rng.choice(maps)
        if k in dst:
            return False
        dst[k] = tree.pop(k)
        return True
    if not maps:
        return False
    src = rng.choice(maps)
    if not src:
        return False
    k2 = rng.choice(list(src.keys()))
    if not isinstance(k2, str) or k2 in tree:
        return False
    tree[k2] = src.pop(k2)
    return True


OPS = [
    (op_pool, 30), (op_drop, 8), (op_retype, 12), (op_edge, 6), (op_raw, 6), (op_null, 4),
    (op_empty, 3), (op_unknown_key, 6), (op_swap_form, 8), (op_groups, 7), (op_exclusive, 4),
    (op_dup_item, 2), (op_move, 2), (op_shared, 2),
]
_OP_FUNCS = [f for f, _ in OPS]
_OP_WEIGHTS = [w for _, w in OPS]


# --------------------------------------------------------------------------------------
# Text-level variation


def _text_variation(text: str, rng: random.Random, stats) -> str:
    r = rng.random()
    if r < 0.03:
        stats["text:doc-start"] += 1
        return "---\n" + text
    if r < 0.05:
        stats["text:comments"] += 1
        lines = text.split("\n")
        i = rng.randrange(len(lines))
        lines.insert(i, "# a comment: with yes and 3.10")
        if lines[0] and not lines[0].startswith("#"):
            lines[0] = lines[0] + "  # trailing comment" if ": " in lines[0] and \
                not lines[0].rstrip().endswith(("|", "|-", ">")) and "'" not in lines[0] \
                and '"' not in lines[0] else lines[0]
        return "\n".join(lines)
    if r < 0.06:
        stats["text:crlf"] += 1
        return text.replace("\n", "\r\n")
    if r < 0.07:
        stats["text:dup-key"] += 1
        top = [ln for ln in text.split("\n") if re.match(r"^[a-z_]+: \S", ln)]
        if top:
            return text + rng.choice(top) + "\n"
        return text
    if r < 0.072:
        stats["text:multi-doc"] += 1
        return text + "---\ntype: service\n"
    if r < 0.074:
        stats["text:doc-end"] += 1
        return text + "...\n"
    if r < 0.076:
        stats["text:no-final-newline"] += 1
        return text.rstrip("\n")
    return text


# --------------------------------------------------------------------------------------
# Seed documents and the generator


def load_seed_documents(cases_dir=DEFAULT_CASES, corpus_dir=DEFAULT_CORPUS):
    """(builtin, golden, corpus) seed lists; golden/corpus items are (name, tree, text)."""
    golden = []
    if cases_dir and os.path.isdir(cases_dir):
        for d in sorted(os.listdir(cases_dir)):
            for fn in ("input.yml", "input.yaml", "input.json"):
                p = os.path.join(cases_dir, d, fn)
                if os.path.isfile(p):
                    golden.append(_load_seed_file(p, f"case/{d}/{fn}"))
                    break
    corpus = []
    if corpus_dir and os.path.isdir(corpus_dir):
        for fn in sorted(os.listdir(corpus_dir)):
            if fn.endswith((".yml", ".yaml")):
                corpus.append(_load_seed_file(os.path.join(corpus_dir, fn), f"corpus/{fn}"))
    golden = [g for g in golden if g is not None]
    corpus = [c for c in corpus if c is not None]
    return golden, corpus


def _load_seed_file(path, name):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        tree = json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except Exception:  # noqa: BLE001 - unusable seeds are skipped (still tested as inputs)
        return None
    return (name, tree, text)


class Generator:
    def __init__(self, seed: int, cases_dir=DEFAULT_CASES, corpus_dir=DEFAULT_CORPUS,
                 json_fraction=0.04):
        self.seed = seed
        self.golden, self.corpus = load_seed_documents(cases_dir, corpus_dir)
        self.json_fraction = json_fraction
        self.stats = collections.Counter()

    def variant(self, i: int) -> dict:
        rng = random.Random(f"dstackcfg-conformance/{self.seed}/{i}")
        name = f"gen-{self.seed}-{i:06d}"
        # choose a seed document
        r = rng.random()
        if r < 0.25 and self.corpus:
            src_name, tree, text = rng.choice(self.corpus)
            tree = copy.deepcopy(tree)
            src = src_name
        elif r < 0.32 and self.golden:
            src_name, tree, text = rng.choice(self.golden)
            tree = copy.deepcopy(tree)
            src = src_name
        else:
            k = rng.randrange(len(SEEDS))
            seed = SEEDS[k]
            tree = seed_document(seed)
            text = seed_raw_text(seed) if seed["raw"] else None
            src = f"seed/{k}"
        # number of mutations: 0 (8%), 1, 2, 3, 4
        n = rng.choices([0, 1, 2, 3, 4], weights=[10, 55, 24, 8, 3])[0]
        if isinstance(tree, dict) and tree.get("type") == "service" and "port" in tree and n == 0 \
                and rng.random() < 0.5:
            n = 1
        applied = []
        for _ in range(n):
            for _attempt in range(4):
                op = rng.choices(_OP_FUNCS, weights=_OP_WEIGHTS)[0]
                try:
                    ok = op(tree, rng)
                except (TypeError, KeyError, IndexError, AttributeError, ValueError):
                    ok = False
                if ok:
                    applied.append(op.__name__[3:])
                    break
        for a in applied:
            self.stats["op:" + a] += 1
        if not applied and text is not None and rng.random() < 0.7:
            out_text = text
            ext = ".json" if src.endswith(".json") else ".yml"
        elif rng.random() < self.json_fraction and _json_able(tree) and not _has_shared(tree):
            # mostly named .json; some JSON text in a .yml file, which dstack reads as YAML
            # (where e.g. 1e-07 is a string): a library guessing the format by content
            # must still agree
            ext = ".json" if rng.random() < 0.7 else ".yml"
            out_text = json.dumps(tree, indent=rng.choice([None, 2]),
                                  ensure_ascii=ext == ".json" and rng.random() < 0.3) + "\n"
            self.stats["format:json" + ("" if ext == ".json" else "-in-yml")] += 1
        else:
            out_text = emit_yaml(tree, rng)
            ext = ".yml"
            out_text = _text_variation(out_text, rng, self.stats)
        if isinstance(tree, dict):
            for k in tree:
                self.stats["root:" + str(k)] += 1
        self.stats["source:" + src.split("/")[0]] += 1
        return {"name": name + ext, "text": out_text, "source": src, "ops": applied}

    def variants(self, count: int):
        for i in range(count):
            yield self.variant(i)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate dstack service configuration variants.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--out", help="directory to write the variants into")
    ap.add_argument("--jsonl", help='write {"name","text","source","ops"} lines here ("-" = stdout)')
    ap.add_argument("--cases", default=DEFAULT_CASES, help="golden cases folder")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="real-world corpus folder")
    ap.add_argument("--stats", action="store_true", help="print operator/coverage counts")
    args = ap.parse_args(argv)
    gen = Generator(args.seed, args.cases, args.corpus)
    jf = None
    if args.jsonl:
        jf = sys.stdout if args.jsonl == "-" else open(args.jsonl, "w", encoding="utf-8")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    for v in gen.variants(args.count):
        try:
            v["text"].encode("utf-8")
        except UnicodeEncodeError:
            continue  # a lone surrogate from an escape, written out as text: no UTF-8 file holds it
        if args.out:
            with open(os.path.join(args.out, v["name"]), "w", encoding="utf-8", newline="") as f:
                f.write(v["text"])
        if jf:
            jf.write(json.dumps(v, ensure_ascii=False) + "\n")
    if jf and jf is not sys.stdout:
        jf.close()
    if args.stats:
        missing = [k for k in ROOT_FIELDS if gen.stats["root:" + k] == 0]
        for k, c in sorted(gen.stats.items()):
            print(f"{k}\t{c}", file=sys.stderr)
        print(f"root fields never present: {missing or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
