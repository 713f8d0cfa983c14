"""Shared set-up: which dstackcfg the tests import, and the inputs they use.

By default the tests import the package from ../src with the library of the
repository's C build (build/lib/libdstackcfg.so), so they run without
installing anything; DSTACKCFG_LIBRARY or an installed package take over
when given (test.sh runs them that way).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Dict, Iterator, List, Optional

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PKG = HERE.parent
REPO = PKG.parent.parent
BUILD = pathlib.Path(os.environ.get("DSTACKCFG_BUILD_DIR", REPO / "build"))
EXAMPLES = REPO / "examples"
CASES = REPO / "tests" / "cases"
CORPUS = REPO.parent / "shared" / "corpus" / "dstack-docs"
ORACLE = REPO / "tests" / "conformance" / "oracle.py"

if os.environ.get("DSTACKCFG_TEST_INSTALLED") != "1":
    sys.path.insert(0, str(PKG / "src"))
    if not os.environ.get("DSTACKCFG_LIBRARY") and (BUILD / "lib" / "libdstackcfg.so").exists():
        os.environ["DSTACKCFG_LIBRARY"] = str(BUILD / "lib" / "libdstackcfg.so")


def example_files() -> List[pathlib.Path]:
    return sorted(EXAMPLES.glob("*.dstack.yml"))


def corpus_files() -> List[pathlib.Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".yml", ".yaml", ".json"))


def case_dirs() -> List[pathlib.Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir()) if CASES.is_dir() else []


def case_input(d: pathlib.Path) -> pathlib.Path:
    for n in ("input.yml", "input.json"):
        if (d / n).exists():
            return d / n
    raise FileNotFoundError(d)


def cli_binary() -> Optional[pathlib.Path]:
    p = pathlib.Path(os.environ.get("DSTACKCFG", BUILD / "cli" / "dstackcfg"))
    return p if p.exists() else None


def dstack_python() -> Optional[str]:
    """A Python with dstack 0.22.5 (scripts/test.sh exports DSTACKCFG_DSTACK_PYTHON)."""
    for p in (os.environ.get("DSTACKCFG_DSTACK_PYTHON"), str(BUILD / "conformance-venv" / "bin" / "python")):
        if p and os.path.exists(p):
            return p
    return None


@pytest.fixture(scope="session")
def dstack_dumps() -> Iterator[Dict[str, dict]]:
    """dstack's verdict on every example, corpus file and golden case input:
    {path: {"valid": bool, "dump": model_dump(mode="json")}}, computed by
    tests/conformance/oracle.py in one dstack process."""
    py = dstack_python()
    if py is None:
        pytest.skip("no Python with dstack (python3 tests/conformance/run.py --setup-venv)")
    files = example_files() + corpus_files() + [case_input(d) for d in case_dirs()]
    req = "".join(json.dumps({"name": str(f), "text": f.read_bytes().decode("utf-8", "surrogateescape")}) + "\n"
                  for f in files)
    r = subprocess.run([py, str(ORACLE), "--jsonl", "-"], input=req, capture_output=True, text=True,
                       encoding="utf-8", errors="surrogateescape", timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    # one JSON document a line; not splitlines(), which also breaks at U+2028 inside strings
    out = [json.loads(line) for line in r.stdout.split("\n") if line.strip()]
    assert len(out) == len(files)
    yield {o["name"]: o for o in out}
