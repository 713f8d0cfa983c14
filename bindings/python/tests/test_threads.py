"""Several threads parsing and serializing distinct objects at once."""

from __future__ import annotations

import ctypes
import threading
from typing import Dict, List

from conftest import EXAMPLES, case_dirs, case_input, corpus_files

import dstackcfg
from dstackcfg import _lib


def _inputs() -> List[bytes]:
    files = sorted(EXAMPLES.glob("*.dstack.yml")) + corpus_files() + [case_input(d) for d in case_dirs()[:200]]
    return [f.read_bytes() for f in files]


def _result(text: bytes) -> str:
    try:
        with dstackcfg.loads(text) as cfg:
            return cfg.to_json() + cfg.to_json("effective") + cfg.to_yaml("minimal") + repr(cfg.resources)
    except dstackcfg.ConfigError as e:
        return "error: " + "; ".join(str(d) for d in e.diagnostics)


def test_threads_give_the_sequential_results() -> None:
    texts = _inputs()
    want = [_result(t) for t in texts]
    errors: List[str] = []
    results: Dict[int, List[str]] = {}
    start = threading.Barrier(8)

    def worker(k: int) -> None:
        try:
            start.wait()
            out: List[str] = []
            for rnd in range(3):
                order = texts if (k + rnd) % 2 == 0 else list(reversed(texts))
                got = [_result(t) for t in order]
                out.extend(got if order is texts else list(reversed(got)))
            results[k] = out
        except Exception as e:  # pragma: no cover - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for k in range(8):
        assert results[k] == want * 3


def test_threads_building_configurations() -> None:
    errors: List[str] = []

    def worker(k: int) -> None:
        try:
            for i in range(300):
                cfg = dstackcfg.ServiceConfig.new()
                cfg.set("port", 1000 + k)
                cfg.set("image", f"img{k}")
                cfg.set("env", {"I": str(i)})
                cfg.validate()
                assert cfg.port.container_port == 1000 + k and cfg.env["I"] == str(i)
                cfg.close()
        except Exception as e:  # pragma: no cover
            errors.append(repr(e))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_foreign_calls_release_the_gil() -> None:
    # CDLL (not PyDLL) functions drop the GIL for the call; no function is
    # declared with the Python API flag, and the hot path has no callbacks.
    assert type(_lib.lib) is ctypes.CDLL
    assert not _lib.lib._func_flags_ & ctypes._FUNCFLAG_PYTHONAPI  # type: ignore[attr-defined]
    for name in ("dcfg_config_parse", "dcfg_config_emit"):
        fn = getattr(_lib.lib, name)
        assert not fn._flags_ & ctypes._FUNCFLAG_PYTHONAPI  # type: ignore[attr-defined]
