"""The Python program of docs/getting-started.md runs as the page says."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import PKG, REPO


def first_program() -> str:
    page = (REPO / "docs" / "getting-started.md").read_text()
    section = page.split("## A first program in Python", 1)[1].split("\n## ", 1)[0]
    m = re.search(r"```python\n(.*?)```", section, re.S)
    assert m, "no Python program on the getting-started page"
    return m.group(1)


def run_first(tmp_path, config) -> subprocess.CompletedProcess[str]:
    prog = tmp_path / "first.py"
    prog.write_text(first_program())
    env = dict(os.environ)
    if os.environ.get("DSTACKCFG_TEST_INSTALLED") != "1":
        env["PYTHONPATH"] = str(PKG / "src")
    return subprocess.run([sys.executable, str(prog), str(config)], capture_output=True, text=True, env=env)


def test_first_program_prints_fields_and_the_effective_view(tmp_path) -> None:
    r = run_first(tmp_path, REPO / "examples" / "llm-endpoint.dstack.yml")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "port 8000, image vllm/vllm-openai:latest"
    assert '"spot_policy":"on-demand"' in lines[1]  # a server default: the effective view


def test_first_program_prints_diagnostics(tmp_path) -> None:
    r = run_first(tmp_path, REPO / "tests" / "cases" / "root-port-too-big" / "input.yml")
    assert r.returncode == 1
    assert r.stderr.strip().endswith(
        "input.yml:2:7: error: port: must be less than or equal to 65535, got 65536 [invalid-value]")
