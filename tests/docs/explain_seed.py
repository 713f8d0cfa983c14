#!/usr/bin/env python3
"""Every field of dstack's reference page (../shared/seed/service-reference.txt)
is explained by `dstackcfg explain` (type, default, effective default) and has
a row with its default in docs/reference.md. Skips (77) without ../shared.
usage: explain_seed.py DSTACKCFG REPO"""
import pathlib
import re
import subprocess
import sys

cli, repo = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
seed = repo.parent / "shared" / "seed" / "service-reference.txt"
if not seed.exists():
    print(f"{seed} not present: skipped")
    sys.exit(77)
SECTION = re.compile(r"^[a-z_]+(\[[nm]\])?(\.[a-z_]+(\[[nm]\])?)*$")
FIELD = re.compile(r"^([a-z_]+) - \((Required|Optional)\)")
section, paths = "", []
for line in seed.read_text().splitlines():
    if line == "Root reference":
        section = ""
    elif SECTION.match(line):
        section = re.sub(r"\[[nm]\]", "[]", line)
    m = FIELD.match(line)
    if m:
        paths.append(f"{section}.{m.group(1)}" if section else m.group(1))
reference = (repo / "docs" / "reference.md").read_text()
failed = 0
for p in dict.fromkeys(paths):
    r = subprocess.run([cli, "explain", p], capture_output=True, text=True)
    if r.returncode or "\nDEFAULT:" not in r.stdout or "EFFECTIVE DEFAULT:" not in r.stdout:
        failed += 1
        print(f"FAIL explain {p}: exit {r.returncode} {r.stderr.strip()[:200]}")
    key = p.rsplit(".", 1)[-1]
    if not re.search(r"^\| `" + re.escape(key) + r"`.*\| (`[^`]*`|null|\*\*required\*\*) \|", reference, re.M):
        failed += 1
        print(f"FAIL docs/reference.md: no row with a default for {p}")
print(f"{len(dict.fromkeys(paths))} fields of the reference page, {failed} failures")
sys.exit(1 if failed else 0)
