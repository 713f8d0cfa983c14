#!/usr/bin/env python3
"""YAML differential: the library's reader against PyYAML's safe_load.

Every document goes through tests/yaml/yaml_dump.c (the library's YAML
front end, printing tagged JSON) and through PyYAML's safe_load, and the two
typed trees are compared: same value, or both rejected. Inputs: the YAML
test suite (../shared/corpus/yaml-test-suite when present), the golden
cases, and documents re-emitted by yaml.dump in many presentations.
Run with the Python that has dstack's PyYAML (DSTACKCFG_DSTACK_PYTHON).
"""
import argparse
import base64
import hashlib
import datetime
import json
import math
import os
import random
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def tagged(v):
    """PyYAML's value in the harness's tagged form."""
    if v is None:
        return ["null"]
    if isinstance(v, bool):
        return ["bool", v]
    if isinstance(v, int):
        return ["int", str(v)]
    if isinstance(v, float):
        return ["float", v]
    if isinstance(v, str):
        return ["str", v]
    if isinstance(v, (datetime.date, datetime.datetime)):
        return ["timestamp"]
    if isinstance(v, bytes):
        return ["binary"]
    if isinstance(v, list):
        return ["seq", [tagged(x) for x in v]]
    if isinstance(v, dict):
        return ["map", [[tagged(k), tagged(x)] for k, x in v.items()]]
    if isinstance(v, (set, tuple)):
        return ["other", repr(v)]
    return ["other", type(v).__name__]


def normal(t):
    """The library's tagged output made comparable (floats parsed, timestamps untexted)."""
    kind = t[0]
    if kind == "float":
        return ["float", float(t[1])]
    if kind == "timestamp":
        return ["timestamp"]
    if kind == "seq":
        return ["seq", [normal(x) for x in t[1]]]
    if kind == "map":
        return ["map", [[normal(k), normal(v)] for k, v in t[1]]]
    return t


def same(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == "float":
        return (math.isnan(a[1]) and math.isnan(b[1])) or a[1] == b[1]
    if a[0] in ("seq",):
        return len(a[1]) == len(b[1]) and all(same(x, y) for x, y in zip(a[1], b[1]))
    if a[0] == "map":
        return len(a[1]) == len(b[1]) and all(same(k1, k2) and same(v1, v2)
                                              for (k1, v1), (k2, v2) in zip(a[1], b[1]))
    return a == b


def pyyaml(data):
    try:
        return tagged(yaml.safe_load(data.decode("utf-8") if False else data)), None
    except RecursionError:
        return None, "recursion"
    except Exception as e:  # PyYAML's errors, and Python's (chr() of a bad code point)
        return None, type(e).__name__


def library(dump, path):
    r = subprocess.run([dump, path], capture_output=True, timeout=60)
    if r.returncode < 0 or r.returncode >= 2:
        return None, "crash %d: %s" % (r.returncode, r.stderr[-300:])
    out = json.loads(r.stdout)
    if r.returncode == 1:
        return None, out
    return normal(out), None


def suite_inputs(shared):
    base = os.path.join(shared, "corpus", "yaml-test-suite")
    if not os.path.isdir(base):
        return
    for case in sorted(os.listdir(base)):
        p = os.path.join(base, case, "in.yaml")
        if os.path.isfile(p):
            with open(p, "rb") as f:
                yield "suite/" + case, f.read()


def golden_inputs():
    base = os.path.join(ROOT, "tests", "cases")
    for case in sorted(os.listdir(base)):
        p = os.path.join(base, case, "input.yml")
        if os.path.isfile(p):
            with open(p, "rb") as f:
                yield "case/" + case, f.read()


WORDS = ["a", "b c", "it's", 'say "hi"', "back\\slash", "tab\there", "x" * 90, "trailing ", " lead",
         "two\nlines", "a  \n\n b", "é 中文", "#no", "- dash", "k: v", "true", "1e3", "0x1F", "~", "",
         "a\\\nb", "line\\", "\u2028ls", "nel\x85x", "long " * 30]


def random_value(rng, depth=0):
    r = rng.random()
    if depth > 3 or r < 0.5:
        return rng.choice(WORDS + [1, -7, 2.5, None, True, 10 ** 20])
    if r < 0.75:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(WORDS[:12]) + str(i): random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}


def dumped_inputs(seed, count, sources):
    """Documents PyYAML itself writes, in the presentations yaml.dump offers."""
    rng = random.Random(seed)
    values = []
    for _, data in sources:
        try:
            v = yaml.safe_load(data)
        except Exception:
            continue
        if isinstance(v, (dict, list)):
            values.append(v)
    for i in range(count):
        v = rng.choice(values) if values and rng.random() < 0.5 else random_value(rng)
        kw = dict(width=rng.randint(10, 200), indent=rng.randint(2, 9),
                  default_style=rng.choice([None, "", "'", '"', "|", ">"]),
                  default_flow_style=rng.choice([None, True, False]),
                  canonical=rng.random() < 0.1, explicit_start=rng.random() < 0.3,
                  explicit_end=rng.random() < 0.2, allow_unicode=rng.random() < 0.5,
                  line_break=rng.choice([None, "\n", "\r\n"]))
        try:
            text = yaml.safe_dump(v, **kw)
        except Exception:
            continue
        data = text.encode("utf-8")
        yield "dump/" + hashlib.sha1(data).hexdigest()[:12], data  # named by content: stable across runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump", help="the yaml-dump program")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--count", type=int, default=3000, help="yaml.dump re-emissions")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--known", help="file of document names allowed to disagree (one per line, # comments); "
                                    "any other disagreement, and a known one that now agrees, fails")
    args = ap.parse_args()
    sources = list(suite_inputs(args.shared)) + list(golden_inputs())
    # re-emissions draw on the suite only, so a new golden case does not change them
    suite = [x for x in sources if x[0].startswith("suite/")]
    inputs = sources + list(dumped_inputs(args.seed, args.count, suite))
    counts = {"same value": 0, "both reject": 0, "binary (rejected on purpose)": 0}
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "doc.yaml")
        for name, data in inputs:
            with open(path, "wb") as f:
                f.write(data)
            want, want_err = pyyaml(data)
            got, got_err = library(args.dump, path)
            if isinstance(got_err, str):
                bad.append((name, "library crashed", got_err))
            elif want is None and got is None:
                counts["both reject"] += 1
            elif want is not None and got is not None and same(want, got):
                counts["same value"] += 1
            elif want is not None and "binary" in json.dumps(want) and got is None:
                counts["binary (rejected on purpose)"] += 1
            elif want is None:
                bad.append((name, "PyYAML rejects (%s), library accepts" % want_err, got))
            elif got is None:
                bad.append((name, "PyYAML accepts, library rejects", got_err))
            else:
                bad.append((name, "values differ", (want, got)))
    print("yaml differential: %d documents (%d suite+golden, %d re-emitted): %s; %d disagree"
          % (len(inputs), len(sources), len(inputs) - len(sources),
             ", ".join("%s %d" % kv for kv in counts.items()), len(bad)))
    for name, what, detail in bad[: args.show]:
        print("  %s: %s: %s" % (name, what, json.dumps(detail, ensure_ascii=False, default=str)[:400]))
    if not args.known:
        return 1 if bad else 0
    if not any(name.startswith("suite/") for name, _ in inputs):
        # the re-emissions are drawn from the suite's documents too: the list names other documents
        print("known disagreements: not checked (no YAML test suite under --shared)")
        return 0
    with open(args.known) as f:
        known = {line.split("#")[0].strip() for line in f} - {""}
    names = {name for name, _, _ in bad}
    seen = {name for name, _ in inputs}  # without ../shared the suite's cases are not read
    new_bad, fixed = sorted(names - known), sorted((known & seen) - names)
    print("known disagreements: %d listed, %d seen; new: %s; now agreeing (remove from the list): %s"
          % (len(known), len(names & known), ", ".join(new_bad) or "none", ", ".join(fixed) or "none"))
    return 1 if new_bad or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
