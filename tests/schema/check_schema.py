#!/usr/bin/env python3
"""The JSON Schema of `dstackcfg schema` against the library itself, with a
real validator (jsonschema), for both drafts:

* every configuration the library accepts must validate: the valid golden
  cases, examples/, the corpus (../shared/corpus/dstack-docs, when present) and generated
  variants (tests/conformance/generate.py) that `dstackcfg check` accepts;
* of the configurations the library rejects, count how many the schema also
  rejects, overall and for the problems a schema can express (codes
  unknown-field, wrong-type, unsupported-value); every unknown key must be
  rejected.

usage: check_schema.py DSTACKCFG [--count N]   (needs jsonschema and PyYAML)"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
    import yaml
except ImportError as e:  # meson's python may lack them: scripts/test.sh runs this in a venv
    print(f"skipped: {e}")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(REPO, "tests", "cases")
CORPUS = os.path.join(REPO, "..", "shared", "corpus", "dstack-docs")
EXPRESSIBLE = {"unknown-field", "wrong-type", "unsupported-value"}


def as_json(v):
    """A loaded value as JSON holds it: a !!set (a Python set) and the tuples
    of !!omap and !!pairs become lists, as pydantic reads them for a list."""
    if isinstance(v, dict):
        return {k: as_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set)):
        return [as_json(x) for x in v]
    return v


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".json"):
        return json.loads(data)
    return as_json(yaml.safe_load(data))


def check_files(cli, paths):
    """{path: set of error codes} from `check --format json`, in batches."""
    out = {}
    for i in range(0, len(paths), 200):
        batch = paths[i:i + 200]
        r = subprocess.run([cli, "check", "--format", "json", *batch], capture_output=True, text=True)
        diags = json.loads(r.stdout or "[]")
        for p in batch:
            out[p] = set()
        for d in diags:
            if d["severity"] == "error" and d["source"] in out:
                out[d["source"]].add(d["code"])
    return out


def inputs(args, work):
    paths = []
    for name in sorted(os.listdir(CASES)):
        for fn in ("input.yml", "input.json"):
            p = os.path.join(CASES, name, fn)
            if os.path.isfile(p):
                paths.append(p)
    ex = os.path.join(REPO, "examples")
    paths += [os.path.join(ex, f) for f in sorted(os.listdir(ex)) if f.endswith(".yml")]
    if os.path.isdir(CORPUS):
        paths += [os.path.join(CORPUS, f) for f in sorted(os.listdir(CORPUS)) if f.endswith((".yml", ".yaml", ".json"))]
    else:
        print("corpus: ../shared/corpus/dstack-docs not present, skipped")
    if args.count:
        gen = os.path.join(work, "gen")
        subprocess.run([sys.executable, os.path.join(REPO, "tests", "conformance", "generate.py"), "--seed", "7",
                        "--count", str(args.count), "--out", gen, "--cases", CASES,
                        "--corpus", CORPUS if os.path.isdir(CORPUS) else os.path.join(work, "none")], check=True,
                       stdout=subprocess.DEVNULL)
        paths += [os.path.join(gen, f) for f in sorted(os.listdir(gen))]
    return paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--count", type=int, default=3000, help="generated variants")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        paths = inputs(args, work)
        verdicts = check_files(args.cli, paths)
        docs = {}
        for p in paths:
            try:
                docs[p] = load(p)
            except Exception:  # not loadable by PyYAML: the library rejects it too
                docs[p] = None
        failed = 0
        for draft, cls in (("2020-12", jsonschema.Draft202012Validator), ("07", jsonschema.Draft7Validator)):
            schema = json.loads(subprocess.run([args.cli, "schema", "--draft", draft], check=True,
                                               capture_output=True, text=True).stdout)
            cls.check_schema(schema)
            v = cls(schema)
            valid = rejected = invalid = expr = expr_rejected = 0
            unknown_missed = []
            for p in paths:
                codes, doc = verdicts[p], docs[p]
                if doc is None and codes:
                    continue
                ok = v.is_valid(doc)
                if not codes:
                    valid += 1
                    if not ok:
                        failed += 1
                        err = next(v.iter_errors(doc))
                        print(f"FAIL draft {draft}: {os.path.relpath(p, REPO)} is valid but the schema rejects it: "
                              f"{'/'.join(map(str, err.absolute_path))}: {err.message[:200]}")
                    continue
                invalid += 1
                rejected += not ok
                if codes <= EXPRESSIBLE:
                    expr += 1
                    expr_rejected += not ok
                if codes == {"unknown-field"} and ok:
                    unknown_missed.append(p)
            for p in unknown_missed:
                failed += 1
                print(f"FAIL draft {draft}: {os.path.relpath(p, REPO)}: an unknown key the schema accepts")
            print(f"draft {draft}: {valid} valid inputs, all accepted: {valid and not failed}; "
                  f"library-rejected inputs: {invalid}, schema rejects {rejected}; "
                  f"with only schema-expressible problems ({', '.join(sorted(EXPRESSIBLE))}): {expr}, "
                  f"schema rejects {expr_rejected}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
