#!/usr/bin/env python3
"""Conformance run: dstackcfg against dstack's own parser.

  python3 tests/conformance/run.py [--count 20000] [--seed 1] [--dstackcfg build/cli/dstackcfg]
                                   [--venv DIR | --dstack-version 0.22.5] [--save-failures tests/cases]

1. ensures a virtualenv with the pinned dstack (created with pip when missing);
2. collects the golden cases (tests/cases/*/input.*), the real-world corpus
   (../shared/corpus/dstack-docs, read in place) and N generated variants;
3. classifies every input with dstack (oracle.py, one long-lived process);
4. runs the CLI on every input: `check --format json` in batches, `normalize` per file;
5. compares verdicts, canonical JSON (values, key order, int vs float) and, for
   rejected inputs, the field paths blamed;
6. prints `conformance: N agree, M disagree` and the first disagreements, and exits 1
   when M > 0 (2 when the run itself could not be done).

Known intentional differences live in known_differences.txt (see that file).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import dataclasses
import difflib
import fnmatch
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_VERSION = "0.22.5"
DEFAULT_VENV = os.environ.get("DSTACKCFG_CONFORMANCE_VENV") or os.path.join(REPO, "build", "conformance-venv")
DEFAULT_CLI = os.environ.get("DSTACKCFG") or os.path.join(REPO, "build", "cli", "dstackcfg")
DEFAULT_WORK = os.path.join(REPO, "build", "conformance-work")
DEFAULT_CORPUS = os.path.join(REPO, "..", "shared", "corpus", "dstack-docs")
DEFAULT_CASES = os.path.join(REPO, "tests", "cases")
DEFAULT_KNOWN = os.path.join(HERE, "known_differences.txt")
DIAG_KEYS = ("source", "line", "column", "severity", "code", "path", "message")


class RunError(Exception):
    """The run itself failed (no venv, no binary ...): exit 2."""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# 1. the dstack virtualenv


def _venv_python(venv: str) -> str:
    for rel in ("bin/python", "bin/python3", "Scripts/python.exe"):
        p = os.path.join(venv, rel)
        if os.path.exists(p):
            return p
    return os.path.join(venv, "bin", "python")


def _installed_version(py: str):
    try:
        out = subprocess.run(
            [py, "-c", "import importlib.metadata as m, yaml; print(m.version('dstack'))"],
            capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def ensure_venv(venv: str, version: str, explicit: bool, base_python: str) -> str:
    py = _venv_python(venv)
    have = _installed_version(py) if os.path.exists(py) else None
    if have == version:
        return py
    if explicit:
        raise RunError(f"{venv} has dstack {have or '(none)'}, wanted {version}; "
                       f"pass --dstack-version {have} or another --venv" if have else
                       f"{venv}: no usable Python with dstack and PyYAML")
    log(f"conformance: creating {venv} with dstack=={version} (have: {have or 'nothing'})")
    if os.path.isdir(venv):
        shutil.rmtree(venv)
    os.makedirs(os.path.dirname(os.path.abspath(venv)), exist_ok=True)
    r = subprocess.run([base_python, "-m", "venv", venv])
    if r.returncode != 0:
        raise RunError(f"python -m venv {venv} failed")
    py = _venv_python(venv)
    cmd = [py, "-m", "pip", "install", "--disable-pip-version-check", "-q",
           f"dstack=={version}", "PyYAML"]
    constraints = os.path.join(HERE, f"constraints-{version}.txt")
    if os.path.exists(constraints):
        cmd += ["-c", constraints]
    r = subprocess.run(cmd)
    if r.returncode != 0:
        raise RunError(f"pip install dstack=={version} failed")
    have = _installed_version(py)
    if have != version:
        raise RunError(f"after installing, {venv} reports dstack {have}")
    return py


# --------------------------------------------------------------------------------------
# 2. inputs


@dataclasses.dataclass
class Input:
    name: str           # display name; its extension decides YAML vs JSON for the oracle
    path: str           # file handed to the CLI
    text: str
    origin: str         # case | corpus | gen | present
    source: str = ""    # seed a generated variant came from
    ops: tuple = ()


def collect_inputs(args, gen_mod) -> list:
    inputs = []
    if not args.no_cases and os.path.isdir(args.cases):
        for d in sorted(os.listdir(args.cases)):
            for fn in ("input.yml", "input.yaml", "input.json"):
                p = os.path.join(args.cases, d, fn)
                if os.path.isfile(p):
                    inputs.append(Input(f"case/{d}/{fn}", p, _read(p), "case"))
                    break
    if not args.no_corpus and os.path.isdir(args.corpus):
        for fn in sorted(os.listdir(args.corpus)):
            if fn.endswith((".yml", ".yaml", ".json")):
                p = os.path.join(args.corpus, fn)
                inputs.append(Input(f"corpus/{fn}", p, _read(p), "corpus"))
    if args.count > 0:
        gdir = os.path.join(args.work, "gen")
        if os.path.isdir(gdir):
            shutil.rmtree(gdir)
        os.makedirs(gdir)
        gen = gen_mod.Generator(args.seed, None if args.no_cases else args.cases,
                                None if args.no_corpus else args.corpus)
        for v in gen.variants(args.count):
            p = os.path.join(gdir, v["name"])
            with open(p, "w", encoding="utf-8", newline="") as f:
                f.write(v["text"])
            inputs.append(Input(v["name"], p, v["text"], "gen", v["source"], tuple(v["ops"])))
    if args.presentations > 0:
        inputs += presentations(args, inputs)
    if args.only:
        inputs = [i for i in inputs if fnmatch.fnmatch(i.name, args.only)]
    return inputs


def presentations(args, inputs: list) -> list:
    """YAML inputs re-emitted by yaml.dump in random presentations (presentation.py)."""
    import yaml
    import presentation
    rng = random.Random(args.seed)
    values = []
    for inp in inputs:
        if inp.name.endswith(".json"):
            continue
        try:
            v = yaml.safe_load(inp.text)
        except Exception:
            continue
        if isinstance(v, dict):
            values.append((inp.name, v))
    out = []
    if not values:
        return out
    pdir = os.path.join(args.work, "present")
    if os.path.isdir(pdir):
        shutil.rmtree(pdir)
    os.makedirs(pdir)
    for _ in range(args.presentations):
        name, v = rng.choice(values)
        try:
            text = presentation.dump_randomly(v, rng)
        except Exception:
            continue  # a value yaml.dump cannot write (it has no such presentation)
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        p = os.path.join(pdir, digest + ".yml")
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        out.append(Input(f"present/{digest}.yml", p, text, "present", name))
    return out


def _read(path: str) -> str:
    with open(path, "rb") as f:
        return f.read().decode("utf-8", errors="surrogateescape")


# --------------------------------------------------------------------------------------
# 3. oracle


def run_oracle(py: str, inputs: list, work: str) -> list:
    req = os.path.join(work, "oracle-in.jsonl")
    res = os.path.join(work, "oracle-out.jsonl")
    with open(req, "w", encoding="utf-8") as f:
        for inp in inputs:
            f.write(json.dumps({"name": inp.name, "text": inp.text}) + "\n")
    r = subprocess.run([py, os.path.join(HERE, "oracle.py"), "--jsonl", req, "--out", res],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RunError(f"oracle failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
    with open(res, encoding="utf-8") as f:
        out = [json.loads(line) for line in f if line.strip()]
    if len(out) != len(inputs):
        raise RunError(f"oracle returned {len(out)} results for {len(inputs)} inputs")
    return out


class OracleServer:
    """An interactive oracle process (used while minimizing)."""

    def __init__(self, py: str):
        self.p = subprocess.Popen([py, os.path.join(HERE, "oracle.py"), "--jsonl", "-", "--serve"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  encoding="utf-8", bufsize=1)

    def classify(self, name: str, text: str) -> dict:
        self.p.stdin.write(json.dumps({"name": name, "text": text}) + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise RunError("interactive oracle died")
        return json.loads(line)

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=30)
        except Exception:  # noqa: BLE001
            self.p.kill()


# --------------------------------------------------------------------------------------
# 4. the CLI


@dataclasses.dataclass
class CliResult:
    norm_rc: int = None
    norm_out: str = ""
    norm_err: str = ""
    check_diags: list = None      # diagnostics for this file (None: check did not run/parse)
    check_problem: str = ""       # contract problem seen while running check


def _run(cmd, timeout):
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return "timeout", "", f"timed out after {timeout}s"
    except OSError as e:
        return "oserror", "", str(e)


def _check_batch(cli, paths, timeout):
    """Diagnostics per path from one `check --format json` run; fall back per file."""
    rc, out, err = _run([cli, "check", "--format", "json", *paths], timeout * max(1, len(paths) // 50))
    results = {p: (None, "") for p in paths}
    try:
        diags = json.loads(out) if rc in (0, 1) else None
    except ValueError:
        diags = None
    if not isinstance(diags, list):
        if len(paths) == 1:
            results[paths[0]] = (None, f"check exit {rc}; stdout is not a JSON array: "
                                       f"{out[:300]!r} stderr: {err[:500]!r}")
            return results
        for p in paths:
            results.update(_check_batch(cli, [p], timeout))
        return results
    per = {p: [] for p in paths}
    base = {}
    for p in paths:
        base.setdefault(os.path.basename(p), []).append(p)
    problems = {p: [] for p in paths}
    for d in diags:
        if not isinstance(d, dict):
            continue
        src = d.get("source")
        target = None
        if src in per:
            target = src
        elif isinstance(src, str) and os.path.normpath(src) in per:
            target = os.path.normpath(src)
        elif isinstance(src, str) and len(base.get(os.path.basename(src), [])) == 1:
            target = base[os.path.basename(src)][0]
        if target is None:
            if len(paths) == 1:
                target = paths[0]
                problems[target].append(f"diagnostic source {src!r} is not the file name given")
            else:
                for p in paths:  # cannot attribute: redo per file
                    results.update(_check_batch(cli, [p], timeout))
                return results
        missing = [k for k in DIAG_KEYS if k not in d]
        typed = all(isinstance(d.get(k), int) and not isinstance(d.get(k), bool) and d.get(k) >= 0
                    for k in ("line", "column")) and all(
                        isinstance(d.get(k), str) for k in ("source", "code", "path", "message"))
        if missing or not typed or d.get("severity") not in ("error", "warning"):
            problems[target].append(f"malformed diagnostic {json.dumps(d)[:300]}")
        per[target].append(d)
    any_err = any(d.get("severity") == "error" for ds in per.values() for d in ds)
    exp_rc = 1 if any_err else 0
    for p in paths:
        prob = list(problems[p])
        if rc != exp_rc and len(paths) == 1:
            prob.append(f"check exit {rc} but {'errors' if any_err else 'no errors'} reported")
        results[p] = (per[p], "; ".join(prob))
    if rc != exp_rc and len(paths) > 1:
        # exit status says something the diagnostics do not: find out per file
        for p in paths:
            results.update(_check_batch(cli, [p], timeout))
    return results


def run_cli(cli: str, inputs: list, workers: int, batch: int, timeout: float,
            normalize_all: bool, oracle_valid=None) -> list:
    results = [CliResult() for _ in inputs]
    index = {}
    for i, inp in enumerate(inputs):
        index.setdefault(inp.path, []).append(i)
    paths = list(dict.fromkeys(inp.path for inp in inputs))
    done = [0]
    lock = threading.Lock()

    def do_check(chunk):
        res = _check_batch(cli, chunk, timeout)
        for p, (diags, prob) in res.items():
            for i in index[p]:
                results[i].check_diags = diags
                results[i].check_problem = prob

    def do_norm(i):
        rc, out, err = _run([cli, "normalize", inputs[i].path], timeout)
        results[i].norm_rc, results[i].norm_out, results[i].norm_err = rc, out, err
        with lock:
            done[0] += 1

    with cf.ThreadPoolExecutor(max_workers=workers) as ex:
        futs = [ex.submit(do_check, paths[k:k + batch]) for k in range(0, len(paths), batch)]
        for f in futs:
            f.result()
        todo = [i for i in range(len(inputs))
                if normalize_all or (results[i].check_diags is not None and not any(
                    d.get("severity") == "error" for d in results[i].check_diags))
                or (oracle_valid is not None and oracle_valid[i])]
        for f in [ex.submit(do_norm, i) for i in todo]:
            f.result()
    return results


def preflight(cli: str, work: str) -> str:
    """One trivial valid file through both commands; a broken CLI should not produce
    thousands of identical disagreements."""
    os.makedirs(work, exist_ok=True)
    p = os.path.join(work, "preflight.yml")
    with open(p, "w", encoding="utf-8") as f:
        f.write("type: service\nport: 8000\nimage: nginx\n")
    rc, out, err = _run([cli, "check", "--format", "json", p], 30)
    try:
        ok = rc == 0 and isinstance(json.loads(out), list)
    except ValueError:
        ok = False
    if not ok:
        return f"`check --format json` on a valid file: exit {rc}, stdout {out[:200]!r}, stderr {err[:500]!r}"
    rc, out, err = _run([cli, "normalize", p], 30)
    if rc != 0:
        return f"`normalize` on a valid file: exit {rc}, stderr {err[:500]!r}"
    return ""


# --------------------------------------------------------------------------------------
# 5. comparison


def ordered(text: str):
    """JSON text -> ordered, typed tree: objects are ('{}', [(k, v), ...])."""
    return json.loads(text, object_pairs_hook=lambda pairs: ("{}", pairs))


def _tag(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if v is None:
        return "null"
    if isinstance(v, str):
        return "str"
    if isinstance(v, list):
        return "list"
    return "obj"


def first_difference(a, b, path="$"):
    """Human-readable first difference between two ordered trees, or None."""
    ta, tb = _tag(a), _tag(b)
    if ta != tb:
        return f"{path}: {_short(a)} ({ta}) vs {_short(b)} ({tb})"
    if ta == "obj":
        ka, kb = [k for k, _ in a[1]], [k for k, _ in b[1]]
        if ka != kb:
            if sorted(ka) == sorted(kb):
                i = next(j for j, (x, y) in enumerate(zip(ka, kb)) if x != y)
                return f"{path}: key order differs at position {i}: {ka[i]!r} vs {kb[i]!r}"
            extra = [k for k in kb if k not in ka]
            missing = [k for k in ka if k not in kb]
            dups = sorted({k for k in kb if kb.count(k) > 1})
            parts = []
            if missing:
                parts.append(f"missing keys {missing}")
            if extra:
                parts.append(f"unexpected keys {extra}")
            if dups:
                parts.append(f"duplicate keys {dups}")
            return f"{path}: " + ", ".join(parts or ["keys differ"])
        for (k, x), (_, y) in zip(a[1], b[1]):
            d = first_difference(x, y, f"{path}.{k}")
            if d:
                return d
        return None
    if ta == "list":
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{path}: list length {len(a)} vs {len(b)}"
        return None
    if ta == "float":
        return None if repr(a) == repr(b) else f"{path}: {a!r} vs {b!r}"
    return None if a == b else f"{path}: {_short(a)} vs {_short(b)}"


def _short(v):
    s = json.dumps(unordered(v), ensure_ascii=False) if not isinstance(v, str) else json.dumps(v)
    return s if len(s) < 80 else s[:77] + "..."


def unordered(v):
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "{}":
        return {k: unordered(x) for k, x in v[1]}
    if isinstance(v, list):
        return [unordered(x) for x in v]
    return v


def pretty(v, indent=0) -> str:
    """Pretty JSON of an ordered tree (keeps order and duplicate keys)."""
    pad = "  " * indent
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "{}":
        if not v[1]:
            return "{}"
        items = [f'{pad}  {json.dumps(k, ensure_ascii=False)}: {pretty(x, indent + 1)}'
                 for k, x in v[1]]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(v, list):
        if not v:
            return "[]"
        items = [f"{pad}  {pretty(x, indent + 1)}" for x in v]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    if isinstance(v, float):
        return repr(v) if v == v and v not in (float("inf"), float("-inf")) else json.dumps(v)
    return json.dumps(v, ensure_ascii=False)


def unified(a_text: str, b_text: str, a_name="dstack", b_name="dstackcfg", context=3) -> str:
    return "\n".join(difflib.unified_diff(a_text.splitlines(), b_text.splitlines(), a_name,
                                          b_name, n=context, lineterm=""))


def _path_parts(p: str) -> list:
    """'replicas[1].count' / 'replicas.1.count' -> ['replicas', '1', 'count']"""
    if p == "":
        return []
    parts = []
    for m in re.finditer(r"\[([^\]]*)\]|([^.\[]+)", p):
        parts.append(m.group(1) if m.group(1) is not None else m.group(2))
    return parts


def path_match_kind(lib_path: str, dstack_paths):
    """How the library's path relates to dstack's: "exact", "ancestor" (the library
    blames a field above dstack's, never the document itself), "descendant" (the library
    is more specific, e.g. dstack blames the document for a cross-field rule),
    "unchecked" (dstack gave no location), or None."""
    if dstack_paths is None:
        return "unchecked"
    lp = _path_parts(lib_path)
    best = None
    for d in dstack_paths:
        dp = _path_parts(d)
        if lp == dp:
            return "exact"
        if lp and dp[:len(lp)] == lp:
            best = "ancestor"
        elif lp[:len(dp)] == dp and best is None:
            best = "descendant"
    return best


def path_matches(lib_path: str, dstack_paths) -> bool:
    return path_match_kind(lib_path, dstack_paths) is not None


@dataclasses.dataclass
class Disagreement:
    name: str
    kind: str
    summary: str
    detail: str = ""
    known: str = ""


def _errors(diags):
    return [d for d in (diags or []) if isinstance(d, dict) and d.get("severity") == "error"]


def _fmt_diags(diags) -> str:
    return "\n".join(f"  {d.get('severity')} {d.get('code')} at {d.get('path')!r}: {d.get('message')}"
                     for d in diags or []) or "  (no diagnostics)"


def _oracle_error(o) -> str:
    if o.get("errors"):
        return "\n".join(f"  {'.'.join(str(x) for x in e['loc']) or '<document>'}: {e['msg']}"
                         for e in o["errors"][:8])
    return "  " + (o.get("error") or "")[:600].replace("\n", "\n  ")


def compare(inp: Input, o: dict, c: CliResult, strict_paths: bool, stats=None):
    """Return a Disagreement or None; `stats` (a dict) counts how error paths matched."""
    if c.check_problem:
        return Disagreement(inp.name, "check-contract", c.check_problem[:300])
    if o["valid"]:
        if c.norm_rc != 0:
            return Disagreement(
                inp.name, "dstack-accepts-cli-rejects",
                f"dstack accepts; dstackcfg normalize exit {c.norm_rc}",
                "dstackcfg check:\n" + _fmt_diags(c.check_diags) +
                ("\nnormalize stderr:\n  " + c.norm_err.strip()[:1500] if c.norm_err.strip() else ""))
        try:
            got = ordered(c.norm_out)
        except ValueError as e:
            return Disagreement(inp.name, "normalize-bad-json",
                                f"normalize exit 0 but stdout is not JSON: {e}",
                                c.norm_out[:1000])
        want = ordered(json.dumps(o["dump"], ensure_ascii=False))
        diff = first_difference(want, got)
        if diff:
            return Disagreement(inp.name, "dump-differs", diff,
                                unified(pretty(want), pretty(got)))
        if c.check_diags is not None and _errors(c.check_diags):
            return Disagreement(inp.name, "check-rejects-valid",
                                "dstack accepts and normalize succeeds, but check reports errors",
                                _fmt_diags(c.check_diags))
        return None
    # dstack rejects
    if c.norm_rc == 0:
        return Disagreement(inp.name, "dstack-rejects-cli-accepts",
                            f"dstack rejects ({o['kind']}); dstackcfg normalize succeeds",
                            "dstack:\n" + _oracle_error(o) + "\ndstackcfg normalize output:\n" +
                            c.norm_out[:1500])
    if c.norm_rc is not None and c.norm_rc != 1:
        return Disagreement(inp.name, "normalize-exit",
                            f"invalid input: normalize exit {c.norm_rc} (want 1)",
                            c.norm_err[:1000])
    if c.norm_rc == 1 and c.norm_out.strip():
        return Disagreement(inp.name, "normalize-stdout-on-error",
                            "normalize exit 1 but wrote to stdout", c.norm_out[:500])
    if c.check_diags is None:
        return None  # normalize agreed; check did not run for this input
    errs = _errors(c.check_diags)
    if not errs:
        return Disagreement(inp.name, "check-accepts-invalid",
                            f"dstack rejects ({o['kind']}); check reports no error",
                            "dstack:\n" + _oracle_error(o))
    kinds = [path_match_kind(str(d.get("path", "")), o.get("paths")) for d in errs]
    if stats is not None:
        order = ["exact", "ancestor", "descendant", "unchecked"]
        best = min((order.index(k) for k in kinds if k), default=None)
        key = "paths " + (order[best] if best is not None else "mismatch")
        stats[key] = stats.get(key, 0) + 1
    if o.get("paths") is not None:
        ok = [k is not None for k in kinds]
        if (strict_paths and not all(ok)) or not any(ok):
            return Disagreement(
                inp.name, "path-mismatch",
                f"dstackcfg blames {[d.get('path') for d in errs]}, dstack blames {o['paths']}",
                "dstack:\n" + _oracle_error(o) + "\ndstackcfg:\n" + _fmt_diags(c.check_diags))
    return None


# --------------------------------------------------------------------------------------
# known differences


@dataclasses.dataclass
class KnownRule:
    conds: list
    reason: str
    line: int
    hits: int = 0


def load_known(path: str) -> list:
    rules = []
    if not path or not os.path.exists(path):
        return rules
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if " # " not in s:
                raise RunError(f"{path}:{n}: a rule needs a reason after ' # '")
            pat, reason = s.split(" # ", 1)
            conds = []
            for c in pat.split(" && "):
                c = c.strip()
                kind, sep, val = c.partition(":")
                if sep and kind in ("name", "text", "kind", "detail", "origin"):
                    if kind in ("text", "detail"):
                        try:
                            re.compile(val)
                        except re.error as e:
                            raise RunError(f"{path}:{n}: bad regex: {e}")
                    conds.append((kind, val))
                else:
                    conds.append(("name", c))
            rules.append(KnownRule(conds, reason.strip(), n))
    return rules


def match_known(rules, inp: Input, d: Disagreement):
    for r in rules:
        ok = True
        for kind, val in r.conds:
            if kind == "name":
                ok = fnmatch.fnmatch(inp.name, val) or fnmatch.fnmatch(os.path.basename(inp.name), val)
            elif kind == "text":
                ok = re.search(val, inp.text) is not None
            elif kind == "kind":
                ok = fnmatch.fnmatch(d.kind, val)
            elif kind == "origin":
                ok = inp.origin == val
            elif kind == "detail":
                ok = re.search(val, d.summary + "\n" + d.detail) is not None
            if not ok:
                break
        if ok:
            r.hits += 1
            return r
    return None


# --------------------------------------------------------------------------------------
# minimizing failures


def _minimize(inp: Input, d: Disagreement, oracle: OracleServer, cli: str, tmpdir: str,
              strict_paths: bool, budget: int = 400):
    """Greedy removal on the YAML node graph (keeps every scalar's original spelling)."""
    import yaml

    is_json = inp.name.endswith(".json")
    ext = ".json" if is_json else ".yml"

    def signature(text: str):
        p = os.path.join(tmpdir, "candidate" + ext)
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        cand = dataclasses.replace(inp, path=p, text=text, name="candidate" + ext)
        o = oracle.classify(cand.name, text)
        c = run_cli(cli, [cand], 1, 1, 10, True)[0]
        dd = compare(cand, o, c, strict_paths)
        return None if dd is None else _signature(dd, o, c)

    want = signature(inp.text)
    if want is None:
        return inp.text  # not reproducible in isolation

    def still_fails(text: str) -> bool:
        return signature(text) == want

    if is_json:
        try:
            tree = json.loads(inp.text, object_pairs_hook=lambda pairs: ("{}", [list(p) for p in pairs]))
        except ValueError:
            return inp.text

        def dump(t):
            return json.dumps(_from_pairs(t), indent=2, ensure_ascii=False) + "\n"

        def children(t):
            out = []
            if isinstance(t, tuple):
                for i in range(len(t[1])):
                    out.append((t[1], i))
                for _, v in t[1]:
                    out.extend(children(v))
            elif isinstance(t, list):
                for i in range(len(t)):
                    out.append((t, i))
                for v in t:
                    out.extend(children(v))
            return out
    else:
        try:
            tree = yaml.compose(inp.text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return inp.text
        if tree is None:
            return inp.text

        def dump(t):
            return yaml.serialize(t, Dumper=yaml.SafeDumper, allow_unicode=True, width=1 << 20)

        def children(t, seen=None):
            seen = seen if seen is not None else set()
            if id(t) in seen:
                return []
            seen.add(id(t))
            out = []
            if isinstance(t, (yaml.MappingNode, yaml.SequenceNode)):
                for i in range(len(t.value)):
                    out.append((t.value, i))
                for item in t.value:
                    for sub in (item if isinstance(t, yaml.MappingNode) else (item,)):
                        out.extend(children(sub, seen))
            return out

    try:
        if not still_fails(dump(tree)):
            return inp.text  # re-serializing loses the failure: keep the original text
    except Exception:  # noqa: BLE001
        return inp.text
    steps = 0
    changed = True
    while changed and steps < budget:
        changed = False
        for container, i in children(tree):
            if steps >= budget:
                break
            if i >= len(container):
                continue
            item = container.pop(i)
            steps += 1
            try:
                ok = still_fails(dump(tree))
            except Exception:  # noqa: BLE001
                ok = False
            if ok:
                changed = True
                break  # the child list is stale: recompute
            container.insert(i, item)
    return dump(tree)


def _signature(d: Disagreement, o: dict, c: CliResult):
    """What must stay the same while minimizing: the kind of disagreement and the reason on
    both sides (dstack's error locations or crash, the CLI's first error, the JSON difference)."""
    lib = [(x.get("code"), x.get("path")) for x in _errors(c.check_diags)][:1]
    if o.get("valid"):
        dstack_side = ("valid",)
    elif o.get("paths") is None:
        dstack_side = (o.get("kind"), (o.get("error") or "").split(":")[0])
    else:
        dstack_side = (o.get("kind"), tuple(sorted(o["paths"])))
    detail = d.summary if d.kind == "dump-differs" else ""
    return (d.kind, dstack_side, tuple(lib) if d.kind != "dstack-rejects-cli-accepts" else (), detail)


def _from_pairs(t):
    if isinstance(t, tuple):
        return {k: _from_pairs(v) for k, v in t[1]}
    if isinstance(t, list):
        return [_from_pairs(v) for v in t]
    return t


def save_failures(failures, inputs_by_name, oracle_py, cli, outdir, strict_paths, max_save, seed):
    os.makedirs(outdir, exist_ok=True)
    oracle = OracleServer(oracle_py)
    saved = []
    seen_sig = set()
    try:
        with tempfile.TemporaryDirectory(prefix="dstackcfg-min-") as tmp:
            for d in failures:
                if len(saved) >= max_save:
                    break
                sig = (d.kind, re.sub(r"\d+", "N", d.summary)[:120])
                if sig in seen_sig:
                    continue
                seen_sig.add(sig)
                inp = inputs_by_name[d.name]
                small = _minimize(inp, d, oracle, cli, tmp, strict_paths)
                ext = ".json" if inp.name.endswith(".json") else ".yml"
                h = hashlib.sha1(small.encode("utf-8", "surrogateescape")).hexdigest()[:10]
                case = os.path.join(outdir, f"conf-{h}")
                os.makedirs(case, exist_ok=True)
                with open(os.path.join(case, "input" + ext), "w", encoding="utf-8", newline="") as f:
                    f.write(small)
                o = oracle.classify("input" + ext, small)
                with open(os.path.join(case, "note.md"), "w", encoding="utf-8") as f:
                    f.write(_note(inp, d, o, seed))
                if o.get("valid"):
                    # the golden cases' expected.json is dstack's dump in this exact layout
                    with open(os.path.join(case, "expected.json"), "w", encoding="utf-8") as f:
                        f.write(json.dumps(o["dump"], indent=2, ensure_ascii=False) + "\n")
                saved.append(case)
    finally:
        oracle.close()
    return saved


def _note(inp: Input, d: Disagreement, o: dict, seed) -> str:
    lines = [f"# Conformance failure: {d.kind}", "",
             f"Found by `tests/conformance/run.py` (seed {seed}) in `{inp.name}`"
             + (f" (seed document `{inp.source}`, mutations {list(inp.ops)})" if inp.source else "")
             + "; minimized by removing keys and items while the disagreement persisted.", "",
             f"Disagreement (before minimizing): {d.summary}", ""]
    if o.get("valid"):
        lines += ["dstack accepts the minimized input; `expected.json` is its "
                  "`model_dump(mode=\"json\")`."]
    else:
        lines += [f"dstack rejects the minimized input ({o.get('kind')}); paths {o.get('paths')}:",
                  "", "```", (o.get("error") or "")[:2000], "```"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="dstackcfg vs dstack conformance run")
    ap.add_argument("--count", type=int, default=20000, help="generated variants (default 20000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--presentations", type=int, default=3000,
                    help="golden, corpus and generated documents re-emitted by yaml.dump in random "
                         "presentations (default 3000)")
    ap.add_argument("--dstackcfg", default=DEFAULT_CLI, help=f"CLI binary (default {DEFAULT_CLI})")
    ap.add_argument("--dstack-version", default=DEFAULT_VERSION)
    ap.add_argument("--venv", help="existing virtualenv with dstack (default: create/reuse "
                                   "$DSTACKCFG_CONFORMANCE_VENV or build/conformance-venv)")
    ap.add_argument("--python", default=sys.executable, help="interpreter used to create the venv")
    ap.add_argument("--workers", type=int, default=min(4, max(2, os.cpu_count() or 2)))
    ap.add_argument("--batch", type=int, default=200, help="files per `check` invocation")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per CLI call")
    ap.add_argument("--work", default=DEFAULT_WORK, help="scratch folder (generated files, logs)")
    ap.add_argument("--cases", default=DEFAULT_CASES)
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--no-cases", action="store_true")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--only", help="glob on input names (e.g. 'corpus/*')")
    ap.add_argument("--known-differences", default=DEFAULT_KNOWN)
    ap.add_argument("--strict-paths", action="store_true",
                    help="every error path must match dstack (default: at least one)")
    ap.add_argument("--normalize-valid-only", action="store_true",
                    help="skip `normalize` on inputs that both check and dstack reject")
    ap.add_argument("--show", type=int, default=10, help="disagreements printed in full")
    ap.add_argument("--save-failures", metavar="DIR",
                    help="minimize failures and save them as DIR/conf-<hash>/input.yml + note.md")
    ap.add_argument("--max-save", type=int, default=25)
    ap.add_argument("--setup-venv", action="store_true",
                    help="only create (or check) the venv with the pinned dstack, print its python, exit")
    ap.add_argument("--oracle-only", action="store_true",
                    help="run generator + oracle and print the valid/invalid mix (no CLI)")
    args = ap.parse_args(argv)

    t0 = time.time()
    try:
        py = ensure_venv(args.venv or DEFAULT_VENV, args.dstack_version, bool(args.venv), args.python)
    except RunError as e:
        log(f"conformance: {e}")
        return 2
    if args.setup_venv:
        print(py)
        return 0
    try:
        import yaml  # noqa: F401
    except ImportError:
        # the generator needs PyYAML: continue inside the venv, which has it
        if os.path.realpath(sys.executable) != os.path.realpath(py):
            os.execv(py, [py, os.path.abspath(__file__), *(argv if argv is not None else sys.argv[1:])])
        log("conformance: PyYAML is missing")
        return 2
    sys.path.insert(0, HERE)
    sys.dont_write_bytecode = True
    import generate as gen_mod

    cli = os.path.abspath(args.dstackcfg)
    if not args.oracle_only and not (os.path.isfile(cli) and os.access(cli, os.X_OK)):
        log(f"conformance: no executable CLI at {cli} (build it, or pass --dstackcfg)")
        return 2
    if not args.oracle_only:
        problem = preflight(cli, args.work)
        if problem:
            log(f"conformance: the CLI does not work: {problem}")
            return 2
    try:
        known = load_known(args.known_differences)
    except RunError as e:
        log(f"conformance: {e}")
        return 2

    os.makedirs(args.work, exist_ok=True)
    t_gen = time.time()
    inputs = collect_inputs(args, gen_mod)
    t_gen = time.time() - t_gen
    if not inputs:
        log("conformance: no inputs")
        return 2
    by_origin = {k: sum(1 for i in inputs if i.origin == k) for k in ("case", "corpus", "gen", "present")}
    log(f"conformance: {len(inputs)} inputs ({by_origin['case']} golden, {by_origin['corpus']} corpus, "
        f"{by_origin['gen']} generated, {by_origin['present']} re-emitted by yaml.dump, seed {args.seed}, "
        f"{t_gen:.1f}s); dstack {args.dstack_version}")

    # oracle and CLI run side by side: the oracle is one process on one core
    t1 = time.time()
    with cf.ThreadPoolExecutor(max_workers=1) as ex:
        fut = ex.submit(run_oracle, py, inputs, args.work)
        cli_results = None
        if not args.oracle_only:
            cli_results = run_cli(cli, inputs, args.workers, args.batch, args.timeout,
                                  not args.normalize_valid_only)
        t_cli = time.time() - t1
        try:
            oracle_results = fut.result()
        except RunError as e:
            log(f"conformance: {e}")
            return 2
    t_all = time.time() - t1
    nvalid = sum(1 for o in oracle_results if o["valid"])
    kinds = {}
    for o in oracle_results:
        kinds[o["kind"]] = kinds.get(o["kind"], 0) + 1
    log(f"conformance: dstack accepts {nvalid}/{len(inputs)} ({100 * nvalid / len(inputs):.1f}%); "
        f"rejections by kind: {dict(sorted(kinds.items()))}")
    if args.oracle_only:
        return 0
    if args.normalize_valid_only:
        # normalize also for inputs dstack accepts (check may have rejected them)
        missing = [i for i, (o, c) in enumerate(zip(oracle_results, cli_results))
                   if o["valid"] and c.norm_rc is None]
        if missing:
            extra = run_cli(cli, [inputs[i] for i in missing], args.workers, args.batch,
                            args.timeout, True)
            for i, c in zip(missing, extra):
                cli_results[i].norm_rc, cli_results[i].norm_out, cli_results[i].norm_err = \
                    c.norm_rc, c.norm_out, c.norm_err

    unstartable = sum(1 for c in cli_results if c.norm_rc in (126, 127, "oserror"))
    if unstartable:
        log(f"conformance: the CLI failed to start {unstartable} time(s) (exit 126/127); "
            f"was it rebuilt during the run? Results are not trustworthy.")
        return 2

    agree, disagreements, known_hits = 0, [], []
    path_stats: dict = {}
    for inp, o, c in zip(inputs, oracle_results, cli_results):
        d = compare(inp, o, c, args.strict_paths, path_stats)
        if d is None:
            agree += 1
            continue
        rule = match_known(known, inp, d)
        if rule:
            d.known = rule.reason
            known_hits.append(d)
        else:
            disagreements.append(d)

    with open(os.path.join(args.work, "disagreements.jsonl"), "w", encoding="utf-8") as f:
        for d in disagreements + known_hits:
            f.write(json.dumps(dataclasses.asdict(d), ensure_ascii=False) + "\n")

    out = sys.stdout
    for d in disagreements[:args.show]:
        inp = next(i for i in inputs if i.name == d.name)
        print(f"\n=== {d.name} [{d.kind}] {d.summary}", file=out)
        if inp.origin == "gen":
            print(f"    from {inp.source}, mutations {list(inp.ops)}; file {inp.path}", file=out)
        elif inp.origin == "present":
            print(f"    {inp.source} re-emitted by yaml.dump; file {inp.path}", file=out)
        text = inp.text if len(inp.text) < 1500 else inp.text[:1500] + "\n... (truncated)"
        print("--- input ---\n" + text.rstrip("\n"), file=out)
        if d.detail:
            print("--- detail ---\n" + d.detail[:6000], file=out)
    cats = {}
    for d in disagreements:
        cats[d.kind] = cats.get(d.kind, 0) + 1
    print("", file=out)
    if cats:
        print("disagreements by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())),
              file=out)
    if known_hits:
        print(f"known differences: {len(known_hits)}", file=out)
        for r in known:
            if r.hits:
                print(f"  {r.hits:6d}  line {r.line}: {r.reason}", file=out)
    stale = [r for r in known if not r.hits]
    if stale and known_hits is not None:
        print("known-difference rules that matched nothing: " +
              ", ".join(f"line {r.line}" for r in stale), file=out)
    if path_stats:
        print("rejections, best path match: " + ", ".join(
            f"{k[6:]} {v}" for k, v in sorted(path_stats.items(), key=lambda kv: -kv[1])), file=out)
    print(f"timing: {t_all:.1f}s for oracle + CLI (CLI {t_cli:.1f}s), total {time.time() - t0:.1f}s; "
          f"full list in {os.path.join(args.work, 'disagreements.jsonl')}", file=out)
    print(f"conformance: {agree} agree, {len(disagreements)} disagree"
          + (f", {len(known_hits)} known differences" if known_hits else ""), file=out)

    if args.save_failures and disagreements:
        saved = save_failures(disagreements, {i.name: i for i in inputs}, py, cli,
                              args.save_failures, args.strict_paths, args.max_save, args.seed)
        print(f"saved {len(saved)} minimized failure(s): " + ", ".join(
            os.path.relpath(s) for s in saved), file=out)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
