#!/usr/bin/env python3
"""Benchmark: dstackcfg.loads against dstack's own path, per document.

    build/conformance-venv/bin/python bindings/python/bench.py [--corpus DIR] [--rounds 5] [--json FILE]

Needs a Python with dstack and PyYAML (``python3 tests/conformance/run.py
--setup-venv`` makes build/conformance-venv). Without an installed dstackcfg
it uses bindings/python/src with the C build's build/lib/libdstackcfg.so.

On every corpus document dstack accepts, in one run, it times
  loads            dstackcfg.loads(text)
  dstack           parse_apply_configuration(yaml.safe_load(text)), what dstack's CLI does
  dstack+dump      the same plus .model_dump(mode="json")
  csafeloader      yaml.load(text, Loader=yaml.CSafeLoader) alone (libyaml, no validation)
  loads+to_dict    dstackcfg.loads(text).to_dict()
and prints µs per document (best of --rounds passes over the corpus) and the
ratios. It is a measurement, not a test: it exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import pathlib
import platform
import sys
import time
from typing import Any, Callable, Dict, List

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent

try:
    import dstackcfg
except ImportError:
    sys.path.insert(0, str(HERE / "src"))
    lib = REPO / "build" / "lib" / "libdstackcfg.so"
    if not os.environ.get("DSTACKCFG_LIBRARY") and lib.exists():
        os.environ["DSTACKCFG_LIBRARY"] = str(lib)
    import dstackcfg

import yaml  # noqa: E402

logging.disable(logging.CRITICAL)


def best_pass(fn: Callable[[str], Any], texts: List[str], rounds: int, inner: int) -> float:
    """Best time of `rounds` passes, each calling fn on every text `inner` times; µs per document."""
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        t0 = time.perf_counter()
        for t in texts:
            for _ in range(inner):
                fn(t)
        best = min(best, time.perf_counter() - t0)
    return best / (len(texts) * inner) * 1e6


def main(argv: List[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(REPO.parent / "shared" / "corpus" / "dstack-docs"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args(argv)

    try:
        from dstack._internal.core.models.configurations import parse_apply_configuration
        from dstack.version import __version__ as dstack_version
    except ImportError:
        print("bench.py needs dstack: run it with build/conformance-venv/bin/python "
              "(python3 tests/conformance/run.py --setup-venv)", file=sys.stderr)
        return 2

    corpus = pathlib.Path(args.corpus)
    files = sorted(p for p in corpus.glob("*") if p.suffix in (".yml", ".yaml"))
    if not files:
        print(f"bench.py: no corpus at {corpus}", file=sys.stderr)
        return 2
    texts = []
    for p in files:
        t = p.read_text(encoding="utf-8", errors="surrogateescape")
        try:
            dump = parse_apply_configuration(yaml.safe_load(t)).model_dump(mode="json")
        except Exception:
            continue  # dstack rejects it: not part of the comparison
        with dstackcfg.loads(t) as cfg:
            assert cfg.to_dict() == dump, p  # the same result, or the timing means nothing
        texts.append(t)

    def dstack_path(t: str) -> Any:
        return parse_apply_configuration(yaml.safe_load(t))

    def dstack_dump(t: str) -> Any:
        return parse_apply_configuration(yaml.safe_load(t)).model_dump(mode="json")

    def csafe(t: str) -> Any:
        return yaml.load(t, Loader=yaml.CSafeLoader)

    def loads(t: str) -> Any:
        return dstackcfg.loads(t)

    def loads_dict(t: str) -> Any:
        return dstackcfg.loads(t).to_dict()

    results: Dict[str, float] = {}
    for name, fn, inner in (("loads", loads, 20), ("loads+to_dict", loads_dict, 10),
                            ("csafeloader", csafe, 5), ("dstack", dstack_path, 1),
                            ("dstack+dump", dstack_dump, 1)):
        for t in texts[:5]:
            fn(t)  # warm-up
        results[name] = best_pass(fn, texts, args.rounds, inner)

    size = sum(len(t.encode()) for t in texts) / len(texts)
    print(f"dstackcfg {dstackcfg.__version__} (library {dstackcfg.library_version}, {dstackcfg.library_path})")
    print(f"dstack {dstack_version}, PyYAML {yaml.__version__} (CSafeLoader: {yaml.__with_libyaml__}), "
          f"Python {platform.python_version()}")
    print(f"{len(texts)} documents dstack accepts (of {len(files)}), {size:.0f} bytes on average; "
          f"best of {args.rounds} passes\n")
    print(f"{'path':<16}{'µs/doc':>10}")
    for name, us in results.items():
        print(f"{name:<16}{us:>10.1f}")
    ratios = {
        "dstack / loads": results["dstack"] / results["loads"],
        "csafeloader / loads": results["csafeloader"] / results["loads"],
        "dstack / loads+to_dict": results["dstack"] / results["loads+to_dict"],
        "dstack+dump / loads+to_dict": results["dstack+dump"] / results["loads+to_dict"],
    }
    print()
    for name, r in ratios.items():
        print(f"{name:<30}{r:>8.1f}x")
    goals = [("loads >= 50x faster than dstack", ratios["dstack / loads"] >= 50),
             ("loads faster than CSafeLoader alone", ratios["csafeloader / loads"] > 1),
             ("loads().to_dict() >= 20x faster than dstack", ratios["dstack / loads+to_dict"] >= 20)]
    print()
    for goal, ok in goals:
        print(f"{'met' if ok else 'NOT met':<8} {goal}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"documents": len(texts), "corpus_files": len(files), "avg_bytes": size,
                       "us_per_doc": results, "ratios": ratios,
                       "goals": {g: ok for g, ok in goals}}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
