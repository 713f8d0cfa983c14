"""examples/python/*.py run and print what examples/meson.build checks for the C programs."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from conftest import CASES, EXAMPLES, PKG, cli_binary

PROGRAMS = EXAMPLES / "python"


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if os.environ.get("DSTACKCFG_TEST_INSTALLED") != "1":
        env["PYTHONPATH"] = str(PKG / "src")
    return subprocess.run([sys.executable, str(PROGRAMS / name), *args], capture_output=True, text=True,
                          env=env, timeout=60)


def cli() -> pathlib.Path:
    binary = cli_binary()
    if binary is None:
        pytest.skip("no dstackcfg command (build/cli/dstackcfg)")
    return binary


def test_first_prints_fields() -> None:
    r = run_example("first.py", str(EXAMPLES / "llm-endpoint.dstack.yml"))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "port 8000, image vllm/vllm-openai:latest"
    assert lines[1] == "cpu cores at least 2"


def test_first_prints_diagnostics_of_an_invalid_file() -> None:
    r = run_example("first.py", str(CASES / "root-port-too-big" / "input.yml"))
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert r.stderr.rstrip("\n").endswith(
        "input.yml:2:7: error: port: must be less than or equal to 65535, got 65536 [invalid-value]")


def test_first_usage() -> None:
    assert run_example("first.py").returncode == 2


def test_builder_output_passes_check_and_fmt_check(tmp_path: pathlib.Path) -> None:
    r = run_example("builder.py")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("type: service\nname: llama-service\nport: 8000\n")
    out = tmp_path / "builder-output.dstack.yml"
    out.write_text(r.stdout)
    for args in (["check"], ["fmt", "--check"]):
        c = subprocess.run([str(cli()), *args, str(out)], capture_output=True, text=True, timeout=60)
        assert c.returncode == 0, (args, c.stdout, c.stderr)


def test_views_minimal_is_fmt_without_comments() -> None:
    src = EXAMPLES / "autoscaling.dstack.yml"
    r = run_example("views.py", str(src))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines(keepends=True)
    titles = [line for line in lines if line.startswith("--- ")]
    assert titles == ["--- dstack (JSON)\n", "--- effective (YAML)\n", "--- minimal (YAML)\n"]
    dstack = json.loads("".join(lines[1:lines.index(titles[1])]))
    assert dstack["port"] == {"local_port": 80, "container_port": 8000}
    effective = lines[lines.index(titles[1]) + 1:lines.index(titles[2])]
    assert "spot_policy: on-demand\n" in effective  # a default resolved on the server
    minimal = "".join(lines[lines.index(titles[2]) + 1:])
    fmt = subprocess.run([str(cli()), "fmt", str(src)], capture_output=True, text=True, timeout=60)
    assert fmt.returncode == 0, fmt.stderr
    assert minimal == "".join(line for line in fmt.stdout.splitlines(keepends=True) if not line.startswith("#"))


def test_views_refuses_an_invalid_file() -> None:
    r = run_example("views.py", str(CASES / "root-port-too-big" / "input.yml"))
    assert r.returncode == 1
    assert r.stdout == ""
