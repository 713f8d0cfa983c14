#!/usr/bin/env python3
"""Verdict of `dstackcfg diff` against dstack's own server check.

Generates seeded pairs of service configurations (bases from a built-in set
and the valid golden cases, then random field changes, respellings, key
reordering and replica-group/router edits). For every pair that dstack
accepts on both sides, it builds the two run specs the server would compare
(validate_run_spec_and_set_defaults, as apply does) and calls dstack's
check_can_update_run_spec: dstack refusing must be exactly our `restart`.

    python3 tests/diff/compare_dstack.py [--count 900] [--seed 1] [--dstackcfg build/cli/dstackcfg]

Runs itself in the conformance venv (build/conformance-venv, created as
tests/conformance/run.py does when missing). Exit 0 all agree, 1 a
disagreement, 2 the run could not be done.
"""
from __future__ import annotations

import argparse
import collections
import copy
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_VENV = os.environ.get("DSTACKCFG_CONFORMANCE_VENV") or str(REPO / "build" / "conformance-venv")


def _reexec_in_venv(venv: str) -> None:
    sys.path.insert(0, str(REPO / "tests" / "conformance"))
    import run as conformance  # noqa: E402  (its venv set-up)
    try:
        py = conformance.ensure_venv(venv, "0.22.5", False, sys.executable)
    except conformance.RunError as e:
        print(f"compare_dstack: {e}", file=sys.stderr)
        sys.exit(2)
    os.execv(py, [py, __file__, *sys.argv[1:]])


try:
    import yaml
    import dstack  # noqa: F401
except ImportError:
    if os.environ.get("DCFG_COMPARE_IN_VENV"):
        print("compare_dstack: dstack is not importable in the venv", file=sys.stderr)
        sys.exit(2)
    os.environ["DCFG_COMPARE_IN_VENV"] = "1"
    _reexec_in_venv(DEFAULT_VENV)

import logging  # noqa: E402

logging.disable(logging.CRITICAL)

from dstack._internal.core.errors import ServerClientError  # noqa: E402
from dstack._internal.core.models.configurations import parse_apply_configuration  # noqa: E402
from dstack._internal.core.models.repos.virtual import VirtualRunRepoData  # noqa: E402
from dstack._internal.core.models.runs import RunSpec  # noqa: E402

# What runs/spec.py imports beyond dstack's client install, pinned to what was tested.
SERVER_DEPS = ["SQLAlchemy==2.1.9", "SQLAlchemy-Utils==0.43.0", "python-dxf==12.1.1"]


def _load_server_spec():
    """dstack's server/services/runs/spec.py, without its package __init__ (the whole server)."""
    import importlib.util
    import types
    base = pathlib.Path(dstack.__file__).parent / "_internal" / "server" / "services" / "runs"
    name = "dstack._internal.server.services.runs"
    pkg = types.ModuleType(name)
    pkg.__path__ = [str(base)]
    sys.modules[name] = pkg
    spec = importlib.util.spec_from_file_location(name + ".spec", base / "spec.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


try:
    server_spec = _load_server_spec()
except ModuleNotFoundError:
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", *SERVER_DEPS])
    if r.returncode:
        print("compare_dstack: pip install of dstack's server modules failed", file=sys.stderr)
        sys.exit(2)
    server_spec = _load_server_spec()

# ---- generation ----------------------------------------------------------------------

BASES = [
    {"type": "service", "port": 8000, "commands": ["python -m http.server"]},
    {"type": "service", "port": 8000, "image": "nginx"},
    {"type": "service", "name": "llm", "port": "8080:8000", "python": "3.11", "commands": ["vllm serve"],
     "model": "llama", "resources": {"gpu": "24GB"}, "env": ["HF_TOKEN", "A=1"]},
    {"type": "service", "port": 8000, "image": "img", "replicas": "1..2",
     "scaling": {"metric": "rps", "target": 10}, "priority": 10},
    {"type": "service", "port": 80, "image": "img",
     "groups": [{"name": "a", "replicas": 1, "commands": ["x"]}, {"name": "b", "replicas": 2, "commands": ["y"]}]},
    {"type": "service", "port": 80, "image": "img",
     "groups": [{"name": "r", "replicas": 1, "commands": ["route"], "router": {"type": "dynamo"}},
                {"name": "w", "replicas": 2, "commands": ["work"]}]},
    {"type": "service", "port": 80, "image": "img",
     "groups": [{"name": "r", "replicas": 1, "commands": ["route"], "router": {"type": "smg"}},
                {"name": "w", "replicas": 1, "commands": ["work"]}]},
]

VALUES = {
    "port": [8000, "8000", 8001, "8080:8000", {"container_port": 8000, "local_port": 80}],
    "gateway": [True, False, "gw", "proj/gw"],
    "strip_prefix": [True, False],
    "model": ["llama", {"format": "openai", "name": "llama"}, "other"],
    "https": [True, False, "auto", None],
    "auth": [True, False, "yes"],
    "replicas": [1, 2, "1", "2..2"],
    "probes": [[], [{"type": "http", "url": "/health"}], [{"type": "http", "url": "/ready", "timeout": 10}]],
    "commands": [["serve"], ["serve", "again"], ["python -m http.server"]],
    "name": ["svc", "other-svc", "llm"],
    "image": ["nginx", "nginx:1", "img"],
    "user": ["root", "1000"],
    "privileged": [True, False],
    "entrypoint": ["/bin/sh", "/bin/bash"],
    "working_dir": ["/w", "/app"],
    "home_dir": ["/home", "/root"],
    "registry_auth": [{"username": "u", "password": "p"}, {"username": "u", "password": "q"}],
    "python": ["3.11", 3.12, "3.10"],
    "nvcc": [True, False],
    "single_branch": [True, False],
    "env": [{"A": "1"}, ["A=1"], ["A=2", "B=3"], {"B": "3", "A": "2"}],
    "shell": ["bash", "sh"],
    "resources": [{"gpu": "24GB"}, {"gpu": {"memory": "24GB"}}, {"cpu": 4}, {"gpu": "A100:2"},
                  {"memory": "16GB.."}, {"disk": "200GB"}, {"cpu": {"arch": "x86", "count": 2}}],
    "priority": [0, 5, 50, "5"],
    "volumes": [["/a:/b"], [{"instance_path": "/a", "path": "/b"}], ["/c:/b"]],
    "docker": [True, False],
    "files": [["a.txt"], ["a.txt:/b.txt"]],
    "dstack": [True, False],
    "setup": [["x"], []],
    "backends": [["aws"], ["gcp", "aws"]],
    "regions": [["eu"], ["us"]],
    "instance_types": [["t1"]],
    "reservation": ["r1"],
    "spot_policy": ["spot", "auto", "on-demand"],
    "retry": [True, False, {"duration": "1h"}],
    "max_duration": ["1h", 3600, "off"],
    "stop_duration": ["1m", 60],
    "max_price": [1.5, 2],
    "creation_policy": ["reuse", "reuse-or-create"],
    "idle_duration": ["1h", "off"],
    "utilization_policy": [{"min_gpu_utilization": 10, "time_window": "1h"}],
    "schedule": [{"cron": "0 * * * *"}],
    "fleets": [["f"]],
    "tags": [{"team": "ml"}],
}

GROUP_VALUES = {
    "replicas": [1, 2, "0..2"],
    "commands": [["x"], ["y"], ["x", "z"]],
    "image": ["nginx", "img"],
    "resources": [{"gpu": "24GB"}, {"cpu": 4}],
    "spot_policy": ["spot", "on-demand"],
    "name": ["a", "b", "c", "r", "w"],
    "router": [{"type": "smg"}, {"type": "dynamo"}, {"type": "sglang"}, None],
}


def op_set(d, rng):
    k = rng.choice(sorted(VALUES))
    d[k] = copy.deepcopy(rng.choice(VALUES[k]))
    if k in ("image",):
        d.pop("python", None)
        d.pop("docker", None)
    if k in ("python", "docker"):
        d.pop("image", None)
    if k == "replicas" and d.get("groups"):
        d.pop("groups")
        d.setdefault("commands", ["serve"])


def op_drop(d, rng):
    keys = [k for k in d if k not in ("type", "port")]
    if keys:
        d.pop(rng.choice(keys))
    if not d.get("commands") and not d.get("image") and not d.get("groups"):
        d["image"] = "img"


def op_reorder(d, rng):
    items = list(d.items())
    rng.shuffle(items)
    d.clear()
    d.update(items)


def op_scaling(d, rng):
    d.pop("groups", None)
    d["replicas"] = rng.choice(["1..3", "0..2", 2])
    d["scaling"] = {"metric": "rps", "target": rng.choice([10, 20])}
    d.setdefault("commands", ["serve"])


def op_group(d, rng):
    groups = d.get("groups")
    if not groups:
        d.pop("replicas", None)
        d.pop("scaling", None)
        d.pop("commands", None)
        d["groups"] = groups = [{"name": "a", "replicas": 1, "commands": ["x"]}]
    if rng.random() < 0.2 and len(groups) < 3:
        groups.append({"name": rng.choice(["n1", "n2", "n3"]), "replicas": 1, "commands": ["q"]})
    # the router's group half of the time: dstack's special cases are about it
    routed = [x for x in groups if x.get("router")]
    g = routed[0] if routed and rng.random() < 0.5 else rng.choice(groups)
    k = rng.choice(sorted(GROUP_VALUES))
    v = copy.deepcopy(rng.choice(GROUP_VALUES[k]))
    if v is None:
        g.pop(k, None)
    else:
        g[k] = v
    if g.get("router"):
        g["replicas"] = 1
        g.pop("scaling", None)
        for other in groups:
            if other is not g:
                other.pop("router", None)
    for other in groups:
        if isinstance(other.get("replicas"), str):
            other["scaling"] = {"metric": "rps", "target": 5}


OPS = [(op_set, 10), (op_drop, 2), (op_reorder, 2), (op_scaling, 1), (op_group, 4)]


def mutate(d, rng, n):
    d = copy.deepcopy(d)
    for _ in range(n):
        op = rng.choices([o for o, _ in OPS], weights=[w for _, w in OPS])[0]
        op(d, rng)
    return d


def golden_bases():
    out = []
    for case in sorted((REPO / "tests" / "cases").glob("*/input.yml")):
        if not (case.parent / "expected.json").exists():
            continue
        try:
            tree = yaml.safe_load(case.read_text())
        except yaml.YAMLError:
            continue
        if isinstance(tree, dict) and tree.get("type") == "service":
            out.append(tree)
    return out


# ---- dstack's side -------------------------------------------------------------------


class _User:
    ssh_public_key = "ssh-ed25519 AAAA compare"
    name = "compare"


def run_spec(tree):
    """The run spec the server stores for this configuration, or None when dstack rejects it."""
    try:
        conf = parse_apply_configuration(copy.deepcopy(tree))
        spec = RunSpec(run_name="svc", repo_id="virtual", repo_data=VirtualRunRepoData(),
                       configuration_path="svc.dstack.yml", configuration=conf, ssh_key_pub="ssh-ed25519 AAAA")
        spec = RunSpec.model_validate(spec.model_dump())
        server_spec.validate_run_spec_and_set_defaults(_User(), spec)
        return spec
    except Exception:  # noqa: BLE001 - dstack rejecting is a verdict: the pair is skipped
        return None


def dstack_verdict(old, new):
    """'restart' when dstack refuses to update in place, 'updatable' otherwise; and its diff."""
    server_spec.set_run_spec_resources_defaults(old)
    try:
        diff = server_spec.check_can_update_run_spec(old, new)
    except ServerClientError:
        return "restart", None
    return "updatable", diff


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=900)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dstackcfg", default=os.environ.get("DSTACKCFG") or str(REPO / "build" / "cli" / "dstackcfg"))
    ap.add_argument("--show-change-mismatches", action="store_true",
                    help="print the pairs where only one side sees a change")
    ap.add_argument("--min-compared", type=int, default=500, help="fail when fewer pairs are both valid")
    args = ap.parse_args(argv)
    if not os.access(args.dstackcfg, os.X_OK):
        print(f"compare_dstack: no CLI at {args.dstackcfg}", file=sys.stderr)
        return 2

    rng = random.Random(args.seed)
    golden = golden_bases()
    bases = BASES + golden
    counts = collections.Counter()
    ours = collections.Counter()
    theirs = collections.Counter()
    examples = []
    with tempfile.TemporaryDirectory() as tmp:
        a, b = pathlib.Path(tmp, "old.yml"), pathlib.Path(tmp, "new.yml")
        for i in range(args.count):
            # the built-in bases carry the router groups dstack's special cases are about
            base = rng.choice(BASES) if rng.random() < 0.5 else rng.choice(golden)
            old = mutate(base, rng, rng.randint(0, 3))
            new = mutate(old, rng, rng.choice([0, 1, 1, 1, 2, 3]))
            ta, tb = yaml.safe_dump(old, sort_keys=False), yaml.safe_dump(new, sort_keys=False)
            sa, sb = run_spec(old), run_spec(new)
            if sa is None or sb is None:
                counts["skipped: dstack rejects a side"] += 1
                continue
            a.write_text(ta)
            b.write_text(tb)
            r = subprocess.run([args.dstackcfg, "diff", "--format", "json", str(a), str(b)],
                               capture_output=True, text=True)
            if r.returncode not in (0, 1):
                counts["disagree: dstackcfg rejects a side dstack accepts"] += 1
                examples.append((i, ta, tb, r.stderr.strip(), ""))
                continue
            mine = json.loads(r.stdout)
            verdict, diff = dstack_verdict(sa, sb)
            counts["compared"] += 1
            ours[mine["verdict"]] += 1
            theirs[verdict] += 1
            if (mine["verdict"] == "restart") == (verdict == "restart"):
                counts["agree"] += 1
                if verdict == "updatable" and (mine["verdict"] == "none") != (not diff.get("configuration")):
                    counts["agree, but dstack and dstackcfg differ on whether anything changed"] += 1
                    if args.show_change_mismatches:
                        print(f"--- pair {i}: dstackcfg {[c['path'] for c in mine['changes']]}, "
                              f"dstack {sorted(diff.get('configuration') or {})}")
            else:
                counts["disagree"] += 1
                examples.append((i, ta, tb, json.dumps(mine["changes"]), verdict))

    for i, ta, tb, mine, verdict in examples[:5]:
        print(f"--- pair {i}: dstack says {verdict or '(valid)'}; dstackcfg: {mine}\nold:\n{ta}new:\n{tb}")
    print(f"pairs generated: {args.count} (seed {args.seed}, {len(bases)} bases)")
    for k, v in sorted(counts.items()):
        print(f"  {k}: {v}")
    print("  dstackcfg verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(ours.items())))
    print("  dstack verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(theirs.items())))
    disagree = counts["disagree"] + counts["disagree: dstackcfg rejects a side dstack accepts"]
    print(f"diff verdicts: {counts['agree']} agree, {disagree} disagree")
    if disagree:
        return 1
    if counts["compared"] < args.min_compared:
        print(f"compare_dstack: only {counts['compared']} pairs compared, wanted {args.min_compared}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
