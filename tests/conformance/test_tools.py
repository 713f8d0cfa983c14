"""Checks of the conformance tooling itself: python3 -m pytest tests/conformance

The oracle tests need a Python with dstack: DSTACK_PYTHON, or the venv run.py creates
(build/conformance-venv); they are skipped otherwise.
"""

import json
import math
import os
import random
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate as gen  # noqa: E402
import run  # noqa: E402


# ---------------------------------------------------------------- comparison


def test_first_difference_types_order_and_values():
    o = run.ordered
    assert run.first_difference(o('{"a": 1, "b": [1.0]}'), o('{"a": 1, "b": [1.0]}')) is None
    assert "int" in run.first_difference(o('{"a": 8}'), o('{"a": 8.0}'))
    assert "key order" in run.first_difference(o('{"a": 1, "b": 2}'), o('{"b": 2, "a": 1}'))
    assert "missing keys ['b']" in run.first_difference(o('{"a": 1, "b": 2}'), o('{"a": 1}'))
    assert "duplicate" in run.first_difference(o('{"a": 1}'), o('{"a": 1, "a": 1}'))
    assert run.first_difference(o('{"a": "/root"}'), o('{"a": "/home"}')).startswith("$.a")
    assert run.first_difference(o("[-0.0]"), o("[0.0]")) is not None
    assert run.first_difference(o("[1, 2]"), o("[1]")) == "$: list length 2 vs 1"


def test_pretty_keeps_order_and_float_spelling():
    text = run.pretty(run.ordered('{"b": 8.0, "a": [1, {"c": null}]}'))
    assert json.loads(text) == {"b": 8.0, "a": [1, {"c": None}]}
    assert text.index('"b"') < text.index('"a"') and "8.0" in text


@pytest.mark.parametrize("lib,dstack,ok", [
    ("port", ["port"], True),
    ("resources.gpu", ["resources.gpu.memory.min"], True),        # ancestor
    ("resources.gpu.memory.min", ["resources.gpu"], True),        # more specific
    ("commands", [""], True),                                     # dstack blames the document
    ("", ["resources.gpu"], False),                               # the document is too vague
    ("", ["", "type"], True),
    ("replicas[1].count", ["replicas[1].count"], True),
    ("replicas.1.count", ["replicas[1].count"], True),
    ("resources.cpu", ["resources.gpu"], False),
    ("probes[0]", ["probes[1].url"], False),
    ("anything", None, True),                                     # dstack crashed
])
def test_path_matches(lib, dstack, ok):
    assert run.path_matches(lib, dstack) is ok


def _inp(text="type: service\n"):
    return run.Input("gen-1-000001.yml", "/x", text, "gen")


def test_compare_verdicts_and_dumps():
    dump = {"port": {"local_port": 80, "container_port": 8000}, "home_dir": "/root"}
    valid = {"valid": True, "kind": "ok", "dump": dump}
    good = run.CliResult(0, json.dumps(dump), "", [])
    assert run.compare(_inp(), valid, good, False) is None
    bad = run.CliResult(0, json.dumps({"port": {"local_port": 80, "container_port": 8000.0},
                                       "home_dir": "/root"}), "", [])
    d = run.compare(_inp(), valid, bad, False)
    assert d.kind == "dump-differs" and "container_port" in d.summary and "+" in d.detail
    rej = run.CliResult(1, "", "error", [{"severity": "error", "path": "port"}])
    assert run.compare(_inp(), valid, rej, False).kind == "dstack-accepts-cli-rejects"
    invalid = {"valid": False, "kind": "validation", "paths": ["port"], "error": "x"}
    assert run.compare(_inp(), invalid, rej, False) is None
    assert run.compare(_inp(), invalid, good, False).kind == "dstack-rejects-cli-accepts"
    wrong = run.CliResult(1, "", "", [{"severity": "error", "path": "image"}])
    assert run.compare(_inp(), invalid, wrong, False).kind == "path-mismatch"
    warn_only = run.CliResult(1, "", "", [{"severity": "warning", "path": "port"}])
    assert run.compare(_inp(), invalid, warn_only, False).kind == "check-accepts-invalid"
    noisy = run.CliResult(1, "{}", "", [{"severity": "error", "path": "port"}])
    assert run.compare(_inp(), invalid, noisy, False).kind == "normalize-stdout-on-error"
    two = run.CliResult(1, "", "", [{"severity": "error", "path": "port"},
                                    {"severity": "error", "path": "image"}])
    assert run.compare(_inp(), invalid, two, False) is None
    assert run.compare(_inp(), invalid, two, True).kind == "path-mismatch"


def test_known_differences(tmp_path):
    p = tmp_path / "known.txt"
    p.write_text("# comment\n"
                 "kind:path-mismatch && text:(?m)^tags: # tags are special\n"
                 "corpus/abc.yml # one file\n")
    rules = run.load_known(str(p))
    assert len(rules) == 2
    d = run.Disagreement("gen-1-000001.yml", "path-mismatch", "s")
    assert run.match_known(rules, _inp("tags: {}\n"), d).reason == "tags are special"
    assert run.match_known(rules, _inp("name: x\n"), d) is None
    c = run.Input("corpus/abc.yml", "/x", "", "corpus")
    assert run.match_known(rules, c, run.Disagreement(c.name, "dump-differs", "")).reason == "one file"
    (tmp_path / "bad.txt").write_text("kind:dump-differs\n")
    with pytest.raises(run.RunError):
        run.load_known(str(tmp_path / "bad.txt"))


# ---------------------------------------------------------------- generator


def test_generator_is_deterministic_and_independent_of_count():
    a = gen.Generator(7, None, None)
    b = gen.Generator(7, None, None)
    first = [v["text"] for v in a.variants(50)]
    assert first == [v["text"] for v in b.variants(50)]
    assert b.variant(30)["text"] == first[30]
    c = gen.Generator(8, None, None)
    assert [v["text"] for v in c.variants(50)] != first


def test_generator_covers_every_root_field():
    g = gen.Generator(1, None, None)
    for _ in g.variants(3000):
        pass
    missing = [k for k in gen.ROOT_FIELDS if g.stats["root:" + k] == 0]
    assert not missing


def _has_raw(v):
    if isinstance(v, gen.Raw):
        return True
    if isinstance(v, dict):
        return any(_has_raw(k) or _has_raw(x) for k, x in v.items())
    if isinstance(v, list):
        return any(_has_raw(x) for x in v)
    return False


def _nan_free(v):
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    if isinstance(v, dict):
        return {k: _nan_free(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_nan_free(x) for x in v]
    return v


def test_emitter_round_trips_through_pyyaml():
    checked = 0
    for i in range(1500):
        rng = random.Random(i)
        tree = gen.seed_document(gen.SEEDS[rng.randrange(len(gen.SEEDS))])
        for _ in range(rng.randrange(4)):
            op = rng.choices(gen._OP_FUNCS, weights=gen._OP_WEIGHTS)[0]
            try:
                op(tree, rng)
            except (TypeError, KeyError, IndexError, AttributeError, ValueError):
                pass
        if _has_raw(tree):
            continue
        text = gen.emit_yaml(tree, rng)
        assert _nan_free(yaml.safe_load(text)) == _nan_free(tree), text
        checked += 1
    assert checked > 1000


def test_raw_scalars_are_written_verbatim():
    text = gen.emit_yaml({"python": gen.Raw("3.10"), "port": gen.Raw("1:30"),
                          "max_duration": gen.Raw("off")}, random.Random(0))
    assert yaml.safe_load(text) == {"python": 3.1, "port": 90, "max_duration": False}


# ---------------------------------------------------------------- oracle (needs dstack)


def _dstack_python():
    cands = [os.environ.get("DSTACK_PYTHON"), run._venv_python(run.DEFAULT_VENV)]
    for c in cands:
        if c and os.path.exists(c):
            return c
    try:
        import dstack  # noqa: F401
        return sys.executable
    except ImportError:
        return None


ORACLE_CASES = [
    # (text, valid, paths)
    ("type: service\nport: 8000\nimage: x\n", True, None),
    ("type: service\nport: 0\nimage: x\n", False, ["port"]),
    ("type: service\nport: {}\nimage: x\n", False, ["port", "port.container_port"]),
    ("type: service\nport: 8000\nreplicas: [{count: x, commands: [a]}]\n", False,
     ["replicas[0].count.min", "replicas[0].replicas.min", "replicas[0].count.max",
      "replicas[0].replicas.max"]),
    ("type: service\nport: 8000\ngroups: [{commands: [a]}]\n", False,
     ["groups[0].replicas", "groups[0].count"]),
    ("type: service\nport: 8000\nimage: x\nresources: {cpu: {min: x}}\n", False,
     ["resources.cpu.min"]),
    ("type: service\nport: 8000\nimage: x\n"
     "rate_limits: [{rps: 1, key: {type: header, header: 'a b'}}]\n", False,
     ["rate_limits[0].key.header"]),
    ("type: service\nport: 8000\nimage: x\ntags: {k: 1}\n", False, None),      # dstack crashes
    ("type: task\ncommands: [a]\n", False, ["", "type"]),
    ("- a\n", False, ["", "type"]),
    ("a: [\n", False, None),                                                   # YAML error
]


@pytest.mark.skipif(_dstack_python() is None, reason="no Python with dstack")
def test_oracle_classifies_and_translates_paths():
    lines = "".join(json.dumps({"name": f"c{i}.yml", "text": t}) + "\n"
                    for i, (t, _, _) in enumerate(ORACLE_CASES))
    r = subprocess.run([_dstack_python(), os.path.join(HERE, "oracle.py"), "--jsonl", "-"],
                       input=lines, capture_output=True, text=True, check=True)
    results = [json.loads(x) for x in r.stdout.split("\n") if x.strip()]
    for (text, valid, paths), res in zip(ORACLE_CASES, results):
        assert res["valid"] is valid, (text, res)
        if not valid:
            assert res["paths"] == paths, (text, res["paths"])
    assert results[0]["dump"]["port"] == {"local_port": 80, "container_port": 8000}


# ---------------------------------------------------------------- run.py end to end

FAKE_CLI = r'''#!PYTHON
# Replays the oracle's answers (looked up by file content); FAKE_INJECT adds bugs.
import hashlib, json, os, sys
answers = {}
with open(ANSWERS, encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        answers[r["sha"]] = r
inject = os.environ.get("FAKE_INJECT", "")

def look(path):
    with open(path, "rb") as f:
        return answers[hashlib.sha1(f.read()).hexdigest()]

def dump_text(d):
    if inject == "default" and d.get("home_dir") == "/root":
        d["home_dir"] = "/home"
    if inject == "float":
        d["port"]["container_port"] = float(d["port"]["container_port"])
    if inject == "order":
        items = list(d.items()); items[1], items[2] = items[2], items[1]; d = dict(items)
    return json.dumps(d, indent=2)

a = sys.argv[1:]
if a[0] == "normalize":
    r = look(a[1])
    if r["valid"] or inject == "verdict":
        print(dump_text(r.get("dump") or {})); sys.exit(0)
    print("error", file=sys.stderr); sys.exit(1)
diags, bad = [], False
for p in a[3:]:
    r = look(p)
    if r["valid"] or inject == "verdict":
        continue
    bad = True
    for path in (r["paths"] or [""])[:1]:
        diags.append({"source": p, "line": 1, "column": 1, "severity": "error",
                      "code": "invalid-value", "path": "bogus" if inject == "path" else path,
                      "message": "m"})
print(json.dumps(diags)); sys.exit(1 if bad else 0)
'''


@pytest.mark.skipif(_dstack_python() is None, reason="no Python with dstack")
def test_run_py_against_a_fake_cli(tmp_path):
    py = _dstack_python()
    venv = os.path.dirname(os.path.dirname(py))
    count, seed = 60, 3
    variants = list(gen.Generator(seed, None, None).variants(count))
    variants.append({"name": "preflight.yml", "text": "type: service\nport: 8000\nimage: nginx\n"})
    req = "".join(json.dumps({"name": v["name"], "text": v["text"]}) + "\n" for v in variants)
    r = subprocess.run([py, os.path.join(HERE, "oracle.py"), "--jsonl", "-"], input=req,
                       capture_output=True, text=True, check=True)
    answers = tmp_path / "answers.jsonl"
    with open(answers, "w", encoding="utf-8") as f:
        for v, line in zip(variants, r.stdout.split("\n")):
            res = json.loads(line)
            res["sha"] = __import__("hashlib").sha1(v["text"].encode()).hexdigest()
            f.write(json.dumps(res) + "\n")
    kinds = {json.loads(x)["kind"] for x in r.stdout.split("\n") if x.strip()}
    assert "ok" in kinds and "validation" in kinds
    fake = tmp_path / "dstackcfg"
    fake.write_text(FAKE_CLI.replace("PYTHON", sys.executable).replace("ANSWERS", repr(str(answers))))
    fake.chmod(0o755)

    def run_py(inject, extra=()):
        env = dict(os.environ, FAKE_INJECT=inject)
        return subprocess.run(
            [sys.executable, os.path.join(HERE, "run.py"), "--venv", venv, "--dstackcfg", str(fake),
             "--count", str(count), "--seed", str(seed), "--presentations", "0", "--no-corpus", "--no-cases",
             "--work", str(tmp_path / "work"), "--show", "1", *extra],
            capture_output=True, text=True, env=env)

    clean = run_py("")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert f"conformance: {count} agree, 0 disagree" in clean.stdout
    for inject, kind, text in [("float", "dump-differs", "(int) vs 8000.0 (float)"),
                               ("order", "dump-differs", "key order differs"),
                               ("path", "path-mismatch", "dstackcfg blames ['bogus']"),
                               ("verdict", "dstack-rejects-cli-accepts", "")]:
        res = run_py(inject)
        assert res.returncode == 1, (inject, res.stdout[-2000:])
        assert f"[{kind}]" in res.stdout and text in res.stdout, (inject, res.stdout[-2000:])
    known = tmp_path / "known.txt"
    known.write_text("kind:dump-differs # every dump differs on purpose in this test\n")
    res = run_py("default", ["--known-differences", str(known)])
    assert res.returncode == 0 and "known differences" in res.stdout, res.stdout[-2000:]
