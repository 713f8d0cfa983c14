"""Finding the shared library and checking its version at import."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
from typing import Dict, Optional

import pytest

from conftest import PKG

import dstackcfg
from dstackcfg import _lib


def _import(env_extra: Dict[str, str], drop: tuple = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra)
    env["PYTHONPATH"] = str(PKG / "src")
    return subprocess.run([sys.executable, "-c", "import dstackcfg; print(dstackcfg.library_path)"],
                          env=env, capture_output=True, text=True, timeout=60)


def _cc() -> Optional[str]:
    return shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")


def _stub(tmp: pathlib.Path, body: str) -> str:
    cc = _cc()
    if cc is None:
        pytest.skip("no C compiler for a stub library")
    src = tmp / "stub.c"
    src.write_text(body)
    out = tmp / "libstub.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(out), str(src)], check=True)
    return str(out)


def test_env_variable_wins_and_is_reported() -> None:
    r = _import({"DSTACKCFG_LIBRARY": _lib.path})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == _lib.path


def test_env_variable_bad_path_is_a_clear_import_error(tmp_path: pathlib.Path) -> None:
    missing = str(tmp_path / "nope.so")
    r = _import({"DSTACKCFG_LIBRARY": missing})
    assert r.returncode != 0
    assert "ImportError" in r.stderr and missing in r.stderr and "$DSTACKCFG_LIBRARY" in r.stderr


def test_not_a_dstackcfg_library(tmp_path: pathlib.Path) -> None:
    path = _stub(tmp_path, "int something_else(void) { return 1; }\n")
    with pytest.raises(ImportError, match="not a libdstackcfg"):
        _lib.load_library([("test", path)])


def test_wrong_major_version_is_refused(tmp_path: pathlib.Path) -> None:
    path = _stub(tmp_path, "unsigned dcfg_version_number(void) { return 10203; }\n")
    with pytest.raises(ImportError) as e:
        _lib.load_library([("test", path)])
    msg = str(e.value)
    assert path in msg and "version 1.2.3" in msg and "needs libdstackcfg >= 0.1.0, < 1.0.0" in msg
    r = _import({"DSTACKCFG_LIBRARY": path})
    assert r.returncode != 0 and "version 1.2.3" in r.stderr


def test_missing_functions_are_refused(tmp_path: pathlib.Path) -> None:
    path = _stub(tmp_path, "unsigned dcfg_version_number(void) { return 100; }\n")
    with pytest.raises(ImportError, match="lacks"):
        _lib.load_library([("test", path)])


def test_nothing_found() -> None:
    with pytest.raises(ImportError, match="no libdstackcfg found"):
        _lib.load_library([])


def test_version_rule() -> None:
    assert _lib.version_tuple(10203) == (1, 2, 3)
    assert _lib.check_version((0, 1, 0))
    assert _lib.check_version((0, 9, 4))
    assert not _lib.check_version((0, 0, 9))
    assert not _lib.check_version((1, 0, 0))
    assert _lib.version_tuple(int(_lib.lib.dcfg_version_number())) >= _lib.REQUIRED_VERSION


def test_every_export_has_a_signature() -> None:
    if not sys.platform.startswith("linux") or shutil.which("nm") is None:
        pytest.skip("needs nm on Linux")
    out = subprocess.run(["nm", "-D", "--defined-only", _lib.path], capture_output=True, text=True).stdout
    exports = {line.split()[-1].split("@")[0] for line in out.splitlines() if " T " in line}
    exports = {e for e in exports if e.startswith("dcfg_")}
    assert exports == set(_lib.SIGNATURES), exports ^ set(_lib.SIGNATURES)


def test_status_strings() -> None:
    assert _lib.status_string(_lib.OK) == "ok"
    assert dstackcfg.ConfigError([], _lib.ENOMEM).status == _lib.ENOMEM
