"""The getting-started program in Python: parse a file, print a few fields,
or every diagnostic when it is invalid.

    python examples/python/first.py FILE

From a build tree, without installing the package:
DSTACKCFG_LIBRARY=build/lib/libdstackcfg.so PYTHONPATH=bindings/python/src.
"""

from __future__ import annotations

import sys

import dstackcfg


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} FILE", file=sys.stderr)
        return 2
    try:
        cfg = dstackcfg.load(argv[1])
    except dstackcfg.ConfigError as e:  # ParseError and LimitError too
        for d in e.diagnostics:
            print(d, file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{argv[1]}: {e.strerror}", file=sys.stderr)
        return 1
    with cfg:
        print(f"port {int(cfg.port)}, image {cfg.image or '(dstack base image)'}")
        # any value by path, laid out as the canonical JSON
        print(f"cpu cores at least {cfg.get('resources.cpu.count.min')}")
        for w in cfg.warnings:  # a key written twice, ...
            print(w, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
