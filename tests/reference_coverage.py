#!/usr/bin/env python3
"""Every field row of docs/reference.md is exercised by golden cases: at least
one accepted and one rejected case whose input writes that key."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
rows = set()
section = None
for line in (root / "docs" / "reference.md").read_text().splitlines():
    if line.startswith("## "):
        section = line[3:]
    m = re.match(r"\| `([a-z_]+)`", line)
    if m:
        rows.add((section, m.group(1)))

cases = []
for case in sorted((root / "tests" / "cases").iterdir()):
    src = next((p for p in (case / "input.yml", case / "input.json") if p.exists()), None)
    if src:
        cases.append(((case / "expected.json").exists(), src.read_text()))

missing = []
for section, key in sorted(rows):
    pattern = re.compile(r'(^|[\s{,"\'-])' + re.escape(key) + r'["\']?\s*:', re.M)
    seen = {valid for valid, text in cases if pattern.search(text)}
    if seen != {True, False}:
        missing.append(f"{section}: {key} ({'no accepted case' if True not in seen else 'no rejected case'})")
if missing:
    print("reference rows without an accepted and a rejected golden case:")
    print("\n".join("  " + m for m in missing))
    sys.exit(1)
print(f"reference coverage: {len(rows)} rows, each with accepted and rejected golden cases")
