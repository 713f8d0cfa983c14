#!/usr/bin/env python3
"""Seed corpus (and dictionary) for the fuzzing harnesses.

    make_corpus.py OUT_DIR             seeds into OUT_DIR/{yaml,json,roundtrip,builder}
    make_corpus.py --dict FILE         regenerate the dictionary (fuzz/dstackcfg.dict)

Seeds come from tests/cases/*/input.* and expected.json, examples/, the
committed crash regressions fuzz/regressions/<harness>/ (kept as they are)
and, when present, ../shared/corpus (or $DCFG_SHARED_CORPUS). The shared
corpus is read, never copied into the repository. Every seed gets the
harnesses' control byte (0: default options) in front; a few get other
control bytes (small limits, strict duplicates, a failing allocation). YAML
seeds are also converted to JSON for the JSON harness when PyYAML is there.
"""
import hashlib
import json
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
HARNESSES = ("yaml", "json", "roundtrip", "builder")


def yaml_to_json(text):
    try:
        import yaml  # optional
    except ImportError:
        return None
    try:
        return json.dumps(yaml.safe_load(text), default=str, ensure_ascii=False).encode()
    except Exception:  # noqa: BLE001 - any document PyYAML refuses is skipped
        return None


def sources():
    """(kind, bytes) for every seed document; kind is 'yaml' or 'json'."""
    dirs = [ROOT / "tests" / "cases", ROOT / "examples"]
    shared = os.environ.get("DCFG_SHARED_CORPUS") or str(ROOT.parent / "shared" / "corpus")
    if pathlib.Path(shared).is_dir():
        dirs.append(pathlib.Path(shared))
    for d in dirs:
        for p in sorted(d.rglob("*")):
            if not p.is_file():
                continue
            if p.suffix in (".yml", ".yaml"):
                yield "yaml", p.read_bytes()
            elif p.suffix == ".json":
                yield "json", p.read_bytes()


def write(out, harness, data, written):
    digest = hashlib.sha1(data).hexdigest()
    if (harness, digest) in written:
        return
    written.add((harness, digest))
    (out / harness / digest).write_bytes(data)


def make_seeds(out):
    for h in HARNESSES:
        (out / h).mkdir(parents=True, exist_ok=True)
    written = set()
    n = 0
    for kind, doc in sources():
        n += 1
        if kind == "yaml":
            write(out, "yaml", b"\x00" + doc, written)
            converted = yaml_to_json(doc)
            if converted is not None:
                write(out, "json", b"\x00" + converted, written)
        else:
            write(out, "json", b"\x00" + doc, written)
            write(out, "yaml", b"\x00" + doc, written)  # JSON is YAML too
        write(out, "roundtrip", b"\x00" + doc, written)
        if n % 16 == 0:  # other options on a sample
            write(out, "yaml", b"\x04" + doc, written)   # small limits
            write(out, "yaml", b"\x03" + doc, written)   # strict duplicates
            write(out, "yaml", b"\x08\x05" + doc, written)  # fail the 6th allocation
            write(out, "json", b"\x18\x03" + doc, written)  # fail the 4th and all later
    builder_seeds(out, written)
    for h in HARNESSES:
        reg = ROOT / "fuzz" / "regressions" / h
        if reg.is_dir():
            for p in sorted(reg.iterdir()):
                if p.is_file():
                    write(out, h, p.read_bytes(), written)
    counts = {h: len(list((out / h).iterdir())) for h in HARNESSES}
    print("seeds: " + ", ".join(f"{h} {c}" for h, c in counts.items()) + f" (from {n} documents)")


def c_strings(source, array):
    """The string literals of `static const char *const array[] = {...};` in fuzz_builder.c."""
    body = source.split(f"{array}[] = {{", 1)[1].split("};", 1)[0]
    return [json.loads(f'"{m}"') for m in re.findall(r'"((?:[^"\\]|\\.)*)"', body)]


def builder_seeds(out, written):
    """Operation sequences for fuzz_builder.c (its header describes the layout):
    a valid service from the setters, then one more setter per path/value pair."""
    src = (ROOT / "fuzz" / "fuzz_builder.c").read_text()
    paths, texts = c_strings(src, "paths"), c_strings(src, "texts")

    def set_value(path, text, op=4):
        return bytes([op, paths.index(path), texts.index(text)])

    prelude = set_value("port", "8000") + set_value("image", "nginx")
    write(out, "builder", b"\x00" + prelude + b"\x08\x00", written)
    for i, path in enumerate(paths):
        text = texts[i % len(texts)]
        for ctl, op in ((0, 4), (1, 3)):
            write(out, "builder", bytes([ctl]) + prelude + bytes([op, i, texts.index(text)]), written)
    for ctl, fail in ((2, 3), (2, 40), (6, 10), (3, 25)):  # failing allocations
        write(out, "builder", bytes([ctl, fail]) + prelude + set_value("resources.gpu", "A100:80GB:2"), written)
    ints = b"\x00" + prelude + bytes([0, paths.index("priority")]) + (50).to_bytes(8, "big")
    write(out, "builder", ints, written)
    write(out, "builder", b"\x01" + bytes([6, paths.index("image"), 6, paths.index("env")]), written)


# Tokens beyond the schema's keys: shorthands, enum values, YAML syntax.
TOKENS = [
    # YAML structure and the YAML 1.1 scalars PyYAML retypes
    "---", "...", "- ", ": ", "? ", "{", "}", "[", "]", ", ", "#", "&a ", "*a", "<<: ", "<<", "!!str ", "!!int ",
    "!!float ", "!!bool ", "!!null ", "!!binary ", "!!timestamp ", "!!map ", "!!seq ", "!!set ", "!!omap ", "! ",
    "!<tag:yaml.org,2002:str> ", "%YAML 1.1", "%TAG ! tag:x,2000:", "|", "|-", "|+", ">", ">-", "|2", "'", "\"",
    "\\u0000", "\\x41", "\\t", "\t", "\r\n", b"\xef\xbb\xbf", "\\U0001F600", "~", "null", "Null", "true", "False",
    "yes", "no", "on", "off", "Off", "y", "=", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "190:20:30",
    "1e3", "1.0e+3", ".inf", "-.inf", ".nan", "3.10", "2024-01-31", "2001-12-14t21:59:43.10-05:00",
    "123456789012345678901234567890",
    # values and shorthands of the service schema
    "service", "task", "dev-environment", "..", "1..", "..2", "0..4", "2..8", "GB", "MB", "TB", "80GB", "16GB..",
    "nvidia:", "amd:", "tpu-", "A100", "H100", "A100,H100", "MI300X", "v5p-8", "x86:", "arm:", "8..16", "${{",
    "}}", "${{ secrets.HF_TOKEN }}", "${{ run.args }}", "${{ env.X }}", "$MODEL_ID", "HF_TOKEN", "NAME=value",
    "8080:8000", "*:8000", "auto", "openai", "tgi", "chat", "/v1", "rps", "http", "get", "post", "head", "header",
    "ip_address", "on-demand", "spot", "reuse", "reuse-or-create", "master-first", "workers-first", "master-done",
    "all-done", "no-capacity", "interruption", "error", "aws", "gcp", "azure", "runpod", "vastai", "kubernetes",
    "price", "score", "30s", "1m", "2h", "1d", "1w", "300", "0 8 * * mon-fri", "*/5 * * * *", "sglang", "dynamo",
    "~/repo", ".:/repo", "https://github.com/org/repo", "git@github.com:org/repo.git", "/data", "my-volume",
    "skip", "error", "bash", "sh", "zsh", "/bin/bash", "python:", "3.12",
]


def schema_keys():
    keys = set()

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                keys.add(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    for p in (ROOT / "tests" / "cases").glob("*/expected.json"):
        walk(json.loads(p.read_text()))
    return sorted(k for k in keys if k.replace("_", "").isalpha() and k.islower())


def escape(tok):
    out = []
    for b in tok.encode("utf-8") if isinstance(tok, str) else tok:
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append(f"\\x{b:02X}")
    return "".join(out)


def make_dict(path):
    lines = ["# Fuzzing dictionary (libFuzzer -dict= / AFL++ -x): the schema's keys and",
             "# shorthand tokens. Generated by fuzz/make_corpus.py --dict; keys come from the",
             "# golden cases' normalized output, which lists every field of the schema.", ""]
    seen = set()
    for k in schema_keys():
        for tok in (k, k + ": "):
            if tok not in seen:
                seen.add(tok)
                lines.append(f'"{escape(tok)}"')
    for tok in TOKENS:
        if tok not in seen:
            seen.add(tok)
            lines.append(f'"{escape(tok)}"')
    pathlib.Path(path).write_text("\n".join(lines) + "\n")
    print(f"{path}: {len(seen)} tokens")


def main(argv):
    if len(argv) == 3 and argv[1] == "--dict":
        make_dict(argv[2])
        return 0
    if len(argv) != 2:
        print(__doc__)
        return 2
    make_seeds(pathlib.Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
