"""The built wheel in a fresh venv, with the build tree out of reach.

Runs when DSTACKCFG_TEST_WHEEL names a wheel (test.sh builds one first).
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import venv
import zipfile

import pytest

from conftest import EXAMPLES

WHEEL = os.environ.get("DSTACKCFG_TEST_WHEEL")

SMOKE = r"""
import json, os, sys
import dstackcfg
lib = dstackcfg.library_path
assert lib.startswith(sys.prefix), (lib, sys.prefix)
assert os.path.basename(lib) == "libdstackcfg.so", lib
cfg = dstackcfg.load(sys.argv[1])
assert int(cfg.port) == 8000 and cfg.name == "llama-endpoint"
d = cfg.to_dict()
assert d["port"] == {"local_port": 80, "container_port": 8000}
cfg.set("resources.gpu", "A100:80GB:2")
assert cfg.resources.gpu.count.min == 2
try:
    dstackcfg.loads("type: service\nport: 70000\nimage: x\n")
except dstackcfg.ConfigError as e:
    assert e.diagnostics[0].code == "invalid-value"
else:
    raise AssertionError("no error")
print("wheel ok", dstackcfg.__version__, dstackcfg.library_version, lib)
"""


@pytest.mark.skipif(not WHEEL, reason="DSTACKCFG_TEST_WHEEL not set (test.sh sets it)")
def test_wheel_contents() -> None:
    assert WHEEL is not None
    names = zipfile.ZipFile(WHEEL).namelist()
    assert "dstackcfg/libdstackcfg.so" in names
    assert "dstackcfg/py.typed" in names
    assert not any(n.endswith((".c", ".h")) for n in names)
    assert "-abi3-" in os.path.basename(WHEEL)
    # every module of the source tree is installed (meson lists them by hand)
    package = pathlib.Path(__file__).resolve().parents[1] / "src" / "dstackcfg"
    wanted = {f"dstackcfg/{p.name}" for p in package.iterdir() if p.suffix in (".py", ".typed")}
    assert wanted - set(names) == set()


@pytest.mark.skipif(not WHEEL, reason="DSTACKCFG_TEST_WHEEL not set (test.sh sets it)")
def test_wheel_in_a_fresh_venv(tmp_path: pathlib.Path) -> None:
    assert WHEEL is not None
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = str(env_dir / "bin" / "python")
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DSTACKCFG_LIBRARY", "PYTHONPATH", "PYTHONHOME", "LD_LIBRARY_PATH")}
    r = subprocess.run([py, "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check", WHEEL],
                       env=clean, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    # the example is copied next to the venv: nothing of the repository is on the way
    example = tmp_path / "llm.dstack.yml"
    example.write_bytes((EXAMPLES / "llm-endpoint.dstack.yml").read_bytes())
    r = subprocess.run([py, "-I", "-c", SMOKE, str(example)], env=clean, cwd=str(tmp_path),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "wheel ok" in r.stdout
    r = subprocess.run([py, "-I", "-m", "dstackcfg", "check", str(example)], env=clean, cwd=str(tmp_path),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    print(r.stdout, sys.version)
