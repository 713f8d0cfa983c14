#!/usr/bin/env python3
"""YAML differential: the library's reader against PyYAML's safe_load.

Every document goes through tests/yaml/yaml_dump.c (the library's YAML
front end, printing tagged JSON) and through PyYAML's safe_load, and the two
typed trees are compared: same value, or both rejected. Inputs: the YAML
test suite (../shared/corpus/yaml-test-suite when present), the golden
cases, PyYAML's own test data (tests/legacy_tests/data of its source
distribution, fetched once with pip into --pyyaml-data, skipped when it
cannot be fetched), and documents re-emitted by yaml.dump in many
presentations. The reader takes one document, so a file is judged as
safe_load judges it (a second document is an error); the documents of a
multi-document file are also compared one by one.
Run with the Python that has dstack's PyYAML (DSTACKCFG_DSTACK_PYTHON).
"""
import argparse
import base64
import codecs
import hashlib
import datetime
import json
import math
import os
import random
import subprocess
import sys
import tarfile
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "conformance"))
import presentation  # noqa: E402  (the presentations the conformance stage draws from)


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
        return ["binary", base64.b64encode(v).decode("ascii")]
    if isinstance(v, list):
        return ["seq", [tagged(x) for x in v]]
    if isinstance(v, dict):
        return ["map", [[tagged(k), tagged(x)] for k, x in v.items()]]
    if isinstance(v, set):
        return ["set", members([tagged(x) for x in v])]
    if isinstance(v, tuple):
        return ["tuple", [tagged(x) for x in v]]
    return ["other", type(v).__name__]


def members(items):
    """A set's members in one order for both sides (a Python set has none)."""
    return sorted(items, key=lambda x: json.dumps(x, sort_keys=True))


def normal(t):
    """The library's tagged output made comparable (floats parsed, timestamps untexted)."""
    kind = t[0]
    if kind == "float":
        return ["float", float(t[1])]
    if kind == "timestamp":
        return ["timestamp"]
    if kind in ("seq", "tuple"):
        return [kind, [normal(x) for x in t[1]]]
    if kind == "set":
        return ["set", members([normal(x) for x in t[1]])]
    if kind == "map":
        return ["map", [[normal(k), normal(v)] for k, v in t[1]]]
    return t


def same(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == "float":
        return (math.isnan(a[1]) and math.isnan(b[1])) or a[1] == b[1]
    if a[0] in ("seq", "set", "tuple"):
        return len(a[1]) == len(b[1]) and all(same(x, y) for x, y in zip(a[1], b[1]))
    if a[0] == "map":
        return len(a[1]) == len(b[1]) and all(same(k1, k2) and same(v1, v2)
                                              for (k1, v1), (k2, v2) in zip(a[1], b[1]))
    return a == b


def pyyaml(data):
    try:
        return tagged(yaml.safe_load(data)), None
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


# what the reader reports a document with: its syntax, its encoding, its size limits
READER_CODES = ("syntax", "encoding", "limit")


def sensible_rejection(err):
    """The library's rejection names a reader error at a known place."""
    return err.get("code") in READER_CODES and err.get("line", 0) >= 1 and err.get("column", 0) >= 1


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


PYYAML_VERSION = "6.0.2"
PYYAML_SDIST_SHA256 = "d584d9ec91ad65861cc08d42e834324ef890a082e591037abe114850ff7bbc3e"
PYYAML_DATA = "tests/legacy_tests/data/"
# the files PyYAML's tests (tests/legacy_tests/test_*.py) read as YAML, with
# whatever loader; not: .code, .recursive, .dumper-error (Python), .tokens and
# .structure (PyYAML's own notations), .detect (a tag name), .marks (text with
# '*' markers, never parsed), .error (prose), .empty and .skip-ext (markers)
PYYAML_YAML = ("data", "canonical", "loader-error", "single-loader-error", "former-loader-error",
               "stream-error", "unicode", "schema", "schema-skip", "sort", "sorted", "path", "multi",
               "subclass_blacklist", "events", "emitter-error")


def pyyaml_data_dir(cache):
    """PyYAML's test data directory, fetched once into cache; (path, None) or (None, why not)."""
    data = os.path.join(cache, "pyyaml-" + PYYAML_VERSION, "data")
    if os.path.isdir(data):
        return data, None
    os.makedirs(cache, exist_ok=True)
    sdist = os.path.join(cache, "pyyaml-%s.tar.gz" % PYYAML_VERSION)
    if not os.path.isfile(sdist):
        # the source distribution only (--no-binary); ":all:" would also build
        # pip's build requirements (setuptools, Cython) from source to read the
        # package's metadata, minutes for the same file
        cmd = [sys.executable, "-m", "pip", "download", "--no-binary", "pyyaml", "--no-deps", "-q",
               "--disable-pip-version-check", "--retries", "1", "--timeout", "15", "-d", cache,
               "pyyaml==" + PYYAML_VERSION]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as e:
            return None, "pip download: %s" % e
        got = [f for f in os.listdir(cache) if f.lower() == os.path.basename(sdist)]
        if r.returncode != 0 or not got:
            lines = (r.stderr or r.stdout).strip().splitlines()
            return None, "pip download failed: %s" % (lines[-1] if lines else "exit %d" % r.returncode)
        os.rename(os.path.join(cache, got[0]), sdist)
    with open(sdist, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != PYYAML_SDIST_SHA256:
        os.remove(sdist)
        return None, "%s has sha256 %s, not %s" % (sdist, digest, PYYAML_SDIST_SHA256)
    tmp = tempfile.mkdtemp(dir=cache)
    with tarfile.open(sdist) as t:
        for m in t.getmembers():
            rest = m.name.partition("/")[2]
            if not rest.startswith(PYYAML_DATA) or not m.isfile():
                continue
            leaf = rest[len(PYYAML_DATA):]
            if "/" in leaf or leaf.startswith("."):
                continue
            with t.extractfile(m) as src, open(os.path.join(tmp, leaf), "wb") as dst:
                dst.write(src.read())
    os.makedirs(os.path.dirname(data), exist_ok=True)
    os.rename(tmp, data)  # whole or not at all: a half-extracted directory is never taken for the cache
    return data, None


def decoded(data):
    """The text PyYAML's reader makes of bytes (a UTF-16 BOM, else UTF-8; the BOM kept); None if invalid."""
    enc = "utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be" if data[:2] == b"\xfe\xff" else "utf-8"
    try:
        return data.decode(enc)
    except UnicodeDecodeError:
        return None


def documents(data):
    """A stream's documents, each as a text of its own (UTF-8), cut where PyYAML's
    parser ends a document; when it fails, the text after the last complete
    document is the last one. One document or none: []."""
    text = decoded(data)
    if text is None:
        return []
    cuts = [0]
    try:
        for ev in yaml.parse(text):
            if isinstance(ev, yaml.DocumentEndEvent):
                cuts.append(ev.end_mark.index)
        cuts[-1] = len(text)  # trailing comments go with the last document
    except Exception:  # PyYAML's errors, and Python's (chr() of a bad code point, recursion)
        cuts.append(len(text))
    if len(cuts) < 3:
        return []
    return [text[a:b].encode("utf-8") for a, b in zip(cuts, cuts[1:])]


def pyyaml_inputs(data_dir):
    """PyYAML's test data: each file, each document of a multi-document one
    (<file>/doc<n>), each entry of yaml11.schema (<file>/key<n>, keys sorted
    as test_schema.py does) and the encodings test_input_output.py loads each
    .unicode file in (<file>/<encoding>)."""
    for fn in sorted(os.listdir(data_dir)):
        if fn.rpartition(".")[2] not in PYYAML_YAML:
            continue
        with open(os.path.join(data_dir, fn), "rb") as f:
            data = f.read()
        name = "pyyaml/" + fn
        yield name, data
        for i, doc in enumerate(documents(data), 1):
            yield "%s/doc%d" % (name, i), doc
        if fn.endswith(".schema"):
            for i, key in enumerate(sorted(yaml.safe_load(data)), 1):
                yield "%s/key%d" % (name, i), key.encode("utf-8")
        if fn.endswith(".unicode"):
            text = data.decode("utf-8")
            for enc, bom in (("utf-8", codecs.BOM_UTF8), ("utf-16-be", codecs.BOM_UTF16_BE),
                             ("utf-16-le", codecs.BOM_UTF16_LE)):
                yield "%s/bom-%s" % (name, enc), bom + text.encode(enc)
            for enc in ("utf-16-be", "utf-16-le"):  # without a BOM, or behind a UTF-8 one: errors
                yield "%s/%s" % (name, enc), text.encode(enc)
                yield "%s/bom-utf-8-%s" % (name, enc), codecs.BOM_UTF8 + text.encode(enc)


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
    """Documents PyYAML itself writes, in the presentations yaml.dump offers
    (tests/conformance/presentation.py, shared with the conformance stage)."""
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
        try:
            text = presentation.dump_randomly(v, rng)
        except Exception:
            continue
        data = text.encode("utf-8")
        yield "dump/" + hashlib.sha1(data).hexdigest()[:12], data  # named by content: stable across runs


SOURCES = (("suite", "YAML test suite"), ("case", "golden cases"), ("pyyaml", "PyYAML's test data"),
           ("dump", "yaml.dump re-emissions"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump", help="the yaml-dump program")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    ap.add_argument("--pyyaml-data", default=os.path.join(ROOT, "build", "pyyaml-data"), metavar="DIR",
                    help="where PyYAML %s's test data is fetched (once) and kept; '' leaves it out"
                         % PYYAML_VERSION)
    ap.add_argument("--count", type=int, default=3000, help="yaml.dump re-emissions")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--known", help="file of document names allowed to disagree (one per line, # comments); "
                                    "any other disagreement, and a known one that now agrees, fails")
    args = ap.parse_args()
    sources = list(suite_inputs(args.shared)) + list(golden_inputs())
    # re-emissions draw on the suite only, so a new golden case does not change them
    suite = [x for x in sources if x[0].startswith("suite/")]
    if args.pyyaml_data:
        data_dir, why = pyyaml_data_dir(args.pyyaml_data)
        if data_dir:
            sources += list(pyyaml_inputs(data_dir))
        else:
            print("PyYAML's test data: skipped (%s)" % why)
    else:
        print("PyYAML's test data: left out (--pyyaml-data '')")
    inputs = sources + list(dumped_inputs(args.seed, args.count, suite))
    kinds = ("same value", "both reject")
    counts = {src: dict.fromkeys(kinds + ("disagree",), 0) for src, _ in SOURCES}
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "doc.yaml")
        for name, data in inputs:
            with open(path, "wb") as f:
                f.write(data)
            want, want_err = pyyaml(data)
            got, got_err = library(args.dump, path)
            n = len(bad)
            if isinstance(got_err, str):
                bad.append((name, "library crashed", got_err))
            elif want is None and got is None and not sensible_rejection(got_err):
                bad.append((name, "both reject, but the library's diagnostic is not a syntax error with a position",
                            got_err))
            elif want is None and got is None:
                counts[name.split("/")[0]]["both reject"] += 1
            elif want is not None and got is not None and same(want, got):
                counts[name.split("/")[0]]["same value"] += 1
            elif want is None:
                bad.append((name, "PyYAML rejects (%s), library accepts" % want_err, got))
            elif got is None:
                bad.append((name, "PyYAML accepts, library rejects", got_err))
            else:
                bad.append((name, "values differ", (want, got)))
            if len(bad) > n:
                counts[name.split("/")[0]]["disagree"] += 1
    total = {k: sum(c[k] for c in counts.values()) for k in kinds}
    print("yaml differential: %d documents: %s; %d disagree"
          % (len(inputs), ", ".join("%s %d" % kv for kv in total.items()), len(bad)))
    for src, title in SOURCES:
        c = counts[src]
        print("  %-24s %5d documents: %s; %d disagree"
              % (title, sum(c.values()), ", ".join("%s %d" % (k, c[k]) for k in kinds), c["disagree"]))
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
    seen = {name for name, _ in inputs}  # without ../shared or PyYAML's data their documents are not read
    new_bad, fixed = sorted(names - known), sorted((known & seen) - names)
    print("known disagreements: %d listed, %d seen; new: %s; now agreeing (remove from the list): %s"
          % (len(known), len(names & known), ", ".join(new_bad) or "none", ", ".join(fixed) or "none"))
    return 1 if new_bad or fixed else 0


if __name__ == "__main__":
    sys.exit(main())
