"""No growth of the process's memory over many load/close cycles.

100,000 loads closed explicitly and 100,000 left to the garbage collector
(plus failing loads and builder use), measured with tracemalloc (Python
objects) and the resident set size (the C library's allocations). The
figures are printed and written to build/py-memory.json for the notes.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import tracemalloc
from typing import Callable, Dict

import pytest

from conftest import BUILD, EXAMPLES

import dstackcfg

N = int(os.environ.get("DSTACKCFG_MEMORY_CYCLES", "100000"))
TEXT = (EXAMPLES / "llm-endpoint.dstack.yml").read_bytes()
BAD = b"type: service\nport: 70000\nimage: x\npython: 3.10\nimgae: 1\n"
FIGURES: Dict[str, Dict[str, float]] = {}


def _rss_kib() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except OSError:  # not Linux: the peak is the best there is
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _measure(name: str, step: Callable[[], None], n: int) -> Dict[str, float]:
    """Runs `step` n times after a warm-up; the RSS is read after each half, so a
    high-water mark (garbage waiting for the collector, allocator pools) shows in
    the first half and a leak in both."""
    for _ in range(min(n, 2000)):  # warm-up: caches, allocator pools, ctypes types
        step()
    gc.collect()
    tracemalloc.start()
    py0 = tracemalloc.get_traced_memory()[0]
    rss0 = _rss_kib()
    for _ in range(n // 2):
        step()
    gc.collect()
    rss_half = _rss_kib()
    for _ in range(n - n // 2):
        step()
    gc.collect()
    py1 = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    rss1 = _rss_kib()
    fig = {"cycles": n, "python_bytes_growth": py1 - py0, "rss_kib_start": rss0, "rss_kib_half": rss_half,
           "rss_kib_end": rss1, "rss_kib_growth_second_half": rss1 - rss_half}
    FIGURES[name] = fig
    print(f"\n{name}: {fig}")
    return fig


def _check(fig: Dict[str, float]) -> None:
    # A leak of even 16 bytes per cycle would be 0.8 MB over 50,000 cycles.
    assert fig["python_bytes_growth"] < 64 * 1024, fig
    assert fig["rss_kib_growth_second_half"] < 512, fig
    assert fig["rss_kib_end"] - fig["rss_kib_start"] < 16 * 1024, fig


def test_load_close_cycles() -> None:
    def step() -> None:
        cfg = dstackcfg.loads(TEXT, source_name="llm.yml")
        cfg.to_json()
        repr(cfg)
        cfg.close()
    _check(_measure("load_close", step, N))


def test_loads_left_to_the_garbage_collector() -> None:
    def step() -> None:
        cfg = dstackcfg.loads(TEXT)
        holder = [cfg]
        holder.append(holder)  # a reference cycle: only the cyclic collector frees it
    _check(_measure("gc_loads", step, N))


def test_failing_loads_and_builder() -> None:
    def step() -> None:
        try:
            dstackcfg.loads(BAD)
        except dstackcfg.ConfigError as e:
            assert len(e.diagnostics) == 3
        cfg = dstackcfg.ServiceConfig.new()
        cfg.set("port", 80)
        try:
            cfg.set("port", 70000)
        except dstackcfg.ConfigError:
            pass
        cfg.set("image", "x")
        cfg.to_yaml("minimal")
        assert cfg.port.container_port == 80 and cfg.resources.gpu is not None
    _check(_measure("errors_builder", step, N // 10))


@pytest.fixture(scope="module", autouse=True)
def _write_figures() -> object:
    yield None
    if FIGURES and BUILD.is_dir():
        with open(BUILD / "py-memory.json", "w") as f:
            json.dump(FIGURES, f, indent=2)
