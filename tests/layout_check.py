#!/usr/bin/env python3
"""The folder tree of lib/ is its architecture: stages core <- read <- schema <- write,
and the public entry points (lib/*.c) on top. Fails when a file includes a header of a
later stage, or another folder's private header, or when a C file outgrows 1,000 lines.
Prints the include graph between folders (`--dot` for Graphviz)."""
import re
import sys
from pathlib import Path

LIB = Path(__file__).resolve().parent.parent / "lib"
ORDER = ["core", "read", "schema", "write", "api"]
# headers that only their own folder may include
PRIVATE = {"read/yaml_loader.h": "read", "write/views.h": "write"}
MAX_LINES = 1000


def stage_of(rel: str) -> str:
    top = rel.split("/")[0]
    return top if top in ORDER else "api"


def folder_of(rel: str) -> str:
    return rel.rsplit("/", 1)[0] if "/" in rel else "."


def main() -> int:
    problems, edges = [], set()
    for path in sorted(LIB.rglob("*.[ch]")):
        rel = path.relative_to(LIB).as_posix()
        text = path.read_text()
        if path.suffix == ".c" and text.count("\n") > MAX_LINES:
            problems.append(f"lib/{rel}: {text.count(chr(10))} lines (more than {MAX_LINES})")
        for inc in re.findall(r'^#include "([^"]+)"', text, re.M):
            if inc.startswith("dstackcfg/"):
                continue  # the public headers
            if not (LIB / inc).exists():
                problems.append(f"lib/{rel}: includes \"{inc}\", which is not a path under lib/")
                continue
            src, dst = stage_of(rel), stage_of(inc)
            if folder_of(rel) != folder_of(inc):
                edges.add((folder_of(rel), folder_of(inc)))
            if ORDER.index(dst) > ORDER.index(src):
                problems.append(f"lib/{rel} ({src}) includes {inc} of a later stage ({dst})")
            owner = PRIVATE.get(inc)
            if owner and src != owner:
                problems.append(f"lib/{rel} includes {inc}, private to lib/{owner}/")
    if "--dot" in sys.argv:
        print("digraph lib {")
        for a, b in sorted(edges):
            print(f'  "{a}" -> "{b}";')
        print("}")
    else:
        for a, b in sorted(edges):
            print(f"{a} -> {b}")
    for p in problems:
        print("FAIL", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
