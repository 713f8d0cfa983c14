"""python -m dstackcfg against the dstackcfg command."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import List

import pytest

from conftest import EXAMPLES, PKG, cli_binary

LLM = EXAMPLES / "llm-endpoint.dstack.yml"
BAD = "type: service\nport: 70000\nimage: x\npython: 3.10\nimgae: 1\n"
DUP = "type: service\nport: 80\nport: 81\nimage: x\n"


def py(*args: str, stdin: bytes = b"", cwd: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PKG / "src")
    return subprocess.run([sys.executable, "-m", "dstackcfg", *args], input=stdin, capture_output=True,
                          env=env, cwd=cwd, timeout=60)


def c(*args: str, stdin: bytes = b"", cwd: str | None = None) -> subprocess.CompletedProcess:
    binary = cli_binary()
    if binary is None:
        pytest.skip("no dstackcfg command (build/cli/dstackcfg)")
    return subprocess.run([str(binary), *args], input=stdin, capture_output=True, cwd=cwd, timeout=60)


def same(args: List[str], stdin: bytes = b"", cwd: str | None = None) -> subprocess.CompletedProcess:
    a, b = py(*args, stdin=stdin, cwd=cwd), c(*args, stdin=stdin, cwd=cwd)
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr), args
    return a


@pytest.fixture()
def files(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "bad.yml").write_text(BAD)
    (tmp_path / "dup.yml").write_text(DUP)
    (tmp_path / "ok.yml").write_text("type: service\nport: 80\nimage: nginx\nenv: [A=1]\n")
    (tmp_path / "ok.json").write_text('{"type": "service", "port": 80, "image": "nginx"}')
    return tmp_path


def test_check_matches(files: pathlib.Path) -> None:
    r = same(["check", "bad.yml"], cwd=str(files))
    assert r.returncode == 1 and b"[invalid-value]" in r.stderr
    same(["check", "--format", "json", "bad.yml", "ok.yml", "dup.yml"], cwd=str(files))
    assert same(["check", "dup.yml"], cwd=str(files)).returncode == 0
    assert same(["check", "--strict-duplicates", "dup.yml"], cwd=str(files)).returncode == 1
    same(["check", "-"], stdin=BAD.encode(), cwd=str(files))
    same(["check", "ok.json", "ok.yml"], cwd=str(files))
    (files / "unk.yml").write_text("type: service\nport: 80\nimage: x\nfuture: 1\n")
    for mode in ("error", "warn", "ignore"):
        same(["check", f"--unknown={mode}", "unk.yml"], cwd=str(files))
    r = py("check", "missing.yml", cwd=str(files))
    assert r.returncode == 2 and r.stderr == b"dstackcfg: missing.yml: No such file or directory\n"


def test_normalize_matches(files: pathlib.Path) -> None:
    for view in ("dstack", "effective", "minimal"):
        for fmt in ("json", "yaml"):
            same(["normalize", "--view", view, "--output-format", fmt, str(LLM)])
    same(["normalize", "--compact", str(LLM)])
    same(["normalize", "ok.json"], cwd=str(files))
    assert same(["normalize", "bad.yml"], cwd=str(files)).returncode == 1
    assert py("normalize", "--view", "full", str(LLM)).returncode == 2


def test_fmt(files: pathlib.Path) -> None:
    same(["fmt", "ok.yml"], cwd=str(files))
    assert same(["fmt", "--check", "ok.yml"], cwd=str(files)).returncode == 1
    before = (files / "ok.yml").read_bytes()
    r = py("fmt", "--write", "ok.yml", cwd=str(files))
    assert r.returncode == 0 and (files / "ok.yml").read_bytes() != before
    assert same(["fmt", "--check", "ok.yml"], cwd=str(files)).returncode == 0
    assert c("fmt", "--check", "ok.yml", cwd=str(files)).returncode == 0
    assert same(["fmt", "bad.yml"], cwd=str(files)).returncode == 1
    assert py("fmt", "--write", "-").returncode == 2
    assert py("fmt", "--check", "--write", "ok.yml").returncode == 2


def test_fmt_never_drops_comments(files: pathlib.Path) -> None:
    p = files / "commented.yml"
    text = b"# my service\ntype: service\nport: 80\nimage: nginx\nauth: true\n"
    p.write_bytes(text)
    r = py("fmt", "--write", str(p))
    assert r.returncode == 1 and b"comments" in r.stderr
    assert p.read_bytes() == text


def test_version_and_usage() -> None:
    r = py("--version")
    assert r.returncode == 0 and b"follows dstack 0.22.5" in r.stdout
    assert py().returncode == 2
    assert py("frobnicate").returncode == 2
    assert py("check").returncode == 2
