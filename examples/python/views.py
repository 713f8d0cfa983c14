"""Print a configuration in its three views: dstack's canonical JSON
(model_dump), the effective view (server-side defaults resolved) as YAML, and
the minimal YAML that `dstackcfg fmt` writes.

    python examples/python/views.py FILE
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
    except dstackcfg.ConfigError as e:
        errors = sum(d.is_error for d in e.diagnostics)
        print(f"{argv[1]}: invalid ({errors} problems; dstackcfg check lists them)", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"{argv[1]}: {e.strerror}", file=sys.stderr)
        return 1
    with cfg:
        print("--- dstack (JSON)")
        print(cfg.to_json("dstack", indent=2))
        print("--- effective (YAML)")
        sys.stdout.write(cfg.to_yaml("effective"))
        print("--- minimal (YAML)")
        sys.stdout.write(cfg.to_yaml("minimal"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
