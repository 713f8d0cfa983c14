#!/usr/bin/env python3
"""Run one golden case: tests/cases/<name>/ holds input.yml (or input.json) and
either expected.json (what `dstackcfg normalize` prints, byte for byte) or
expected.diag (one diagnostic per line: `LINE:COL CODE PATH`, with a trailing
` warning` for warnings; PATH is `-` for the document itself). An optional
`args` file holds extra command-line options, one per line."""
import json
import os
import pathlib
import shlex
import subprocess
import sys

# e.g. "valgrind --error-exitcode=99 --leak-check=full -q": runs the CLI under it
WRAPPER = shlex.split(os.environ.get("DCFG_TEST_WRAPPER", ""))


def main(binary: str, case_dir: str) -> int:
    case = pathlib.Path(case_dir)
    inputs = [p for p in (case / "input.yml", case / "input.json") if p.exists()]
    if len(inputs) != 1:
        print(f"{case}: need exactly one input.yml or input.json")
        return 1
    src = inputs[0]
    args = (case / "args").read_text().split() if (case / "args").exists() else []
    if (case / "expected.json").exists():
        r = subprocess.run([*WRAPPER, binary, "normalize", *args, str(src)], capture_output=True)
        want = (case / "expected.json").read_bytes()
        if r.returncode != 0 or r.stdout != want:
            print(f"{case}: exit {r.returncode}\n--- stderr\n{r.stderr.decode()}")
            print(f"--- got\n{r.stdout.decode()}\n--- want\n{want.decode()}")
            return 1
        return 0
    if (case / "expected.diag").exists():
        r = subprocess.run([*WRAPPER, binary, "check", "--format", "json", *args, str(src)], capture_output=True)
        got = []
        for d in json.loads(r.stdout or b"[]"):
            line = f"{d['line']}:{d['column']} {d['code']} {d['path'] or '-'}"
            got.append(line + (" warning" if d["severity"] == "warning" else ""))
        want = [l.strip() for l in (case / "expected.diag").read_text().splitlines() if l.strip()]
        errors = any(not l.endswith(" warning") for l in want)
        if got != want or r.returncode != (1 if errors else 0):
            print(f"{case}: exit {r.returncode}")
            print("--- got\n" + "\n".join(got) + "\n--- want\n" + "\n".join(want))
            print("--- messages\n" + r.stderr.decode() + r.stdout.decode())
            return 1
        return 0
    print(f"{case}: no expected.json or expected.diag")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
