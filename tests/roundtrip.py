#!/usr/bin/env python3
"""Round trips of every view and output format, on every valid golden case
(tests/cases/*/input.*) and every valid file of the real-world corpus
(../shared/corpus/dstack-docs, read in place when it exists).

For each input, view (dstack, effective, minimal) and format (json, yaml):
  * parse -> emit -> parse -> emit gives identical bytes;
  * dstack and minimal views: the reparsed configuration equals the original
    (same dstack-view JSON); effective view: the reparsed configuration's
    effective view is unchanged;
  * `fmt` output is a fixed point (`fmt --check` accepts it) and keeps the
    configuration.
When dstack itself is available (DSTACKCFG_DSTACK_PYTHON, build*/conformance-venv
or /tmp/dvenv), the YAML of the dstack and minimal views is loaded by dstack
0.22.5 (yaml.safe_load + ServiceConfiguration) and must give the same
model_dump as the original file.

usage: roundtrip.py DSTACKCFG [--cases DIR] [--corpus DIR] [--jobs N]
"""
import argparse
import concurrent.futures as cf
import json
import os
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
VIEWS = ("dstack", "effective", "minimal")
# Golden cases whose dstack model_dump dstack itself rejects (checked with dstack when it is available).
KNOWN_NOT_FIXED = {"root-docker-string-with-image", "replicas-group-docker-string-true",
                   "spec7-19-docker-string-with-image", "replicas-open-min-negative-max",
                   "replicas-group-privileged-string-false-docker"}
FORMATS = ("json", "yaml")

ORACLE = r'''
import json, sys, logging, yaml
logging.disable(logging.CRITICAL)
from dstack._internal.core.models.configurations import ServiceConfiguration
for line in sys.stdin:
    item = json.loads(line)
    try:
        data = json.loads(item["text"]) if item["json"] else yaml.safe_load(item["text"])
        dump = ServiceConfiguration.model_validate(data).model_dump(mode="json")
        if item.get("revalidate"):
            dump = ServiceConfiguration.model_validate(dump).model_dump(mode="json")
        out = {"name": item["name"], "dump": dump}
    except Exception as e:  # noqa: BLE001
        out = {"name": item["name"], "error": f"{type(e).__name__}: {str(e)[:400]}"}
    print(json.dumps(out), flush=True)
'''


def run(binary, *args, stdin=None):
    r = subprocess.run([binary, *args], input=stdin, capture_output=True)
    return r.returncode, r.stdout, r.stderr


def normalize(binary, path, view, fmt):
    return run(binary, "normalize", "--view", view, "--output-format", fmt, str(path))


class Failure(Exception):
    pass


def check_input(binary, src: pathlib.Path, tmp: pathlib.Path):
    """Returns (emitted YAML texts to show dstack, list of problems)."""
    problems = []
    rc, orig_dstack, err = normalize(binary, src, "dstack", "json")
    if rc != 0:
        return None, []  # not a valid configuration: nothing to round-trip
    _, orig_effective, _ = normalize(binary, src, "effective", "json")
    shown = {}
    for view in VIEWS:
        for fmt in FORMATS:
            tag = f"{view}/{fmt}"
            rc, out1, err = normalize(binary, src, view, fmt)
            if rc != 0:
                problems.append(f"{tag}: emit failed: {err.decode()}")
                continue
            f1 = tmp / f"{view}.{fmt}"
            f1.write_bytes(out1)
            rc, out2, err = normalize(binary, f1, view, fmt)
            if rc != 0 and view == "dstack":
                # dstack's model_dump is not always a fixed point of dstack's own parser
                # (docker: "true" beside an image): decided below, with dstack when available
                shown.setdefault("not-fixed-point", err.decode())
                continue
            if rc != 0 and view == "effective" and "not-fixed-point" in shown:
                continue  # it carries the dstack view's values, which do not read back either (decided above)
            if rc != 0:
                problems.append(f"{tag}: output does not parse back:\n{err.decode()}\n{out1.decode()}")
                continue
            if out1 != out2:
                problems.append(f"{tag}: emit is not a fixed point\n--- first\n{out1.decode()}\n--- second\n{out2.decode()}")
            if view in ("dstack", "minimal"):
                _, back, _ = normalize(binary, f1, "dstack", "json")
                if back != orig_dstack:
                    problems.append(f"{tag}: reparsed configuration differs\n{out1.decode()}")
                if fmt == "yaml":
                    shown[tag] = out1.decode()
            else:
                _, back, _ = normalize(binary, f1, "effective", "json")
                if back != orig_effective:
                    problems.append(f"{tag}: effective view of the reparsed configuration differs")
    # fmt: a fixed point that keeps the configuration
    rc, fmt1, err = run(binary, "fmt", str(src))
    if rc != 0:
        problems.append(f"fmt failed: {err.decode()}")
    else:
        ext = ".json" if src.suffix == ".json" else ".yml"
        g = tmp / ("fmt" + ext)
        g.write_bytes(fmt1)
        rc, fmt2, err = run(binary, "fmt", str(g))
        if rc != 0 or fmt2 != fmt1:
            problems.append(f"fmt is not a fixed point\n--- first\n{fmt1.decode()}\n--- second\n{fmt2.decode()}")
        rc, _, err = run(binary, "fmt", "--check", str(g))
        if rc != 0:
            problems.append(f"fmt --check rejects fmt's own output: {err.decode()}")
        _, back, _ = normalize(binary, g, "dstack", "json")
        if back != orig_dstack:
            problems.append("fmt output is another configuration")
    return shown, problems


def find_dstack_python():
    cands = [os.environ.get("DSTACKCFG_DSTACK_PYTHON")]
    cands += [str(p / "bin" / "python") for p in sorted(REPO.glob("build*/conformance-venv"))]
    cands += ["/tmp/dvenv/bin/python"]
    for c in cands:
        if c and os.path.exists(c):
            r = subprocess.run([c, "-c", "import dstack.version as v, yaml; print(v.__version__)"],
                               capture_output=True, text=True)
            if r.returncode == 0 and r.stdout.strip() == "0.22.5":
                return c
    return None


def dstack_dumps(python, items, revalidate=False):
    """items: [(name, text, is_json)] -> {name: dump or error string}"""
    payload = "".join(json.dumps({"name": n, "text": t, "json": j, "revalidate": revalidate}) + "\n"
                      for n, t, j in items)
    r = subprocess.run([python, "-c", ORACLE], input=payload, capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure("dstack oracle failed: " + r.stderr[-2000:])
    out = {}
    for line in r.stdout.split("\n"):  # not splitlines(): the dumps may hold U+2028
        if not line.strip():
            continue
        d = json.loads(line)
        out[d["name"]] = d.get("dump", d.get("error"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--cases", default=str(REPO / "tests" / "cases"))
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "dstack-docs"))
    ap.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 2))
    args = ap.parse_args()

    inputs = sorted(pathlib.Path(args.cases).glob("*/input.*"))
    corpus = pathlib.Path(args.corpus)
    if corpus.is_dir():
        inputs += sorted(corpus.glob("*.yml"))
    else:
        print(f"roundtrip: no corpus at {corpus}; golden cases only")

    def one(src):
        with tempfile.TemporaryDirectory() as d:
            return src, check_input(args.binary, src, pathlib.Path(d))

    failures = 0
    checked = 0
    to_oracle = []
    not_fixed = {}
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        for src, (shown, problems) in ex.map(one, inputs):
            if shown is None:
                continue
            checked += 1
            for p in problems:
                failures += 1
                print(f"FAIL {src}: {p}\n")
            if "not-fixed-point" in shown:
                not_fixed[src] = shown.pop("not-fixed-point")
            for tag, text in shown.items():
                to_oracle.append((src, tag, text))

    python = find_dstack_python()
    if not_fixed:
        if python:
            items = [(str(src), src.read_text(), src.suffix == ".json") for src in not_fixed]
            again = dstack_dumps(python, items, revalidate=True)
            for src, err in not_fixed.items():
                if isinstance(again.get(str(src)), dict):
                    failures += 1
                    print(f"FAIL {src}: the dstack view does not parse back, but dstack reads its own dump:\n{err}")
                else:
                    print(f"note {src}: dstack view not re-parseable, as for dstack itself ({again.get(str(src))[:120]})")
        else:
            for src, err in not_fixed.items():
                if src.parent.name not in KNOWN_NOT_FIXED:
                    failures += 1
                    print(f"FAIL {src}: the dstack view does not parse back:\n{err}")
    dstack_checked = 0
    if python:
        items = []
        for src in sorted({s for s, _, _ in to_oracle}):
            items.append((f"{src}|original", src.read_text(), src.suffix == ".json"))
        for src, tag, text in to_oracle:
            items.append((f"{src}|{tag}", text, False))
        dumps = dstack_dumps(python, items)
        for src, tag, text in to_oracle:
            orig = dumps.get(f"{src}|original")
            if not isinstance(orig, dict):
                continue  # dstack itself rejects the original (a known difference): nothing to compare
            got = dumps.get(f"{src}|{tag}")
            dstack_checked += 1
            if got != orig:
                failures += 1
                print(f"FAIL {src}: {tag}: dstack reads the emitted YAML differently: {got if isinstance(got, str) else ''}\n{text}\n")
    else:
        print("roundtrip: dstack 0.22.5 not found; skipping the dstack read-back check")

    print(f"roundtrip: {checked} inputs x {len(VIEWS) * len(FORMATS)} view/format pairs + fmt; "
          f"{dstack_checked} YAML outputs read back by dstack; {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
