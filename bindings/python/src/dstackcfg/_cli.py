"""``python -m dstackcfg``: the dstackcfg command for people who only have the wheel.

Same commands, options and exit statuses as the C command line tool
(0 valid, 1 invalid, 2 usage or I/O error). One difference: ``fmt`` does not
keep YAML comments (the C tool's comment keeping is not in the library), so
it refuses a file that may have comments instead of dropping them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from typing import Any, List, Optional, Sequence, Tuple

from . import _lib
from ._config import ServiceConfig, loads
from ._diag import ConfigError, Diagnostic

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

_COMMENT = re.compile(r"(?:^|[ \t])#", re.MULTILINE)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # usage errors exit 2, as the C tool
        self.print_usage(sys.stderr)
        print(f"dstackcfg: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input-format", choices=("auto", "yaml", "json"), default="auto",
                   help="default: .json files are JSON, others by content")
    p.add_argument("--strict-duplicates", action="store_true",
                   help="a key written twice is an error, not a warning")
    p.add_argument("--unknown", choices=("error", "warn", "ignore"), default="error",
                   help="how to treat keys dstack does not know (default error)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m dstackcfg",
                description="Validate and normalize dstack service configurations (type: service).")
    p.add_argument("--version", action="store_true", help="library and dstack versions")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    c = sub.add_parser("check", help="report every problem; exit 0 valid, 1 invalid, 2 usage/IO")
    _common(c)
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("files", nargs="+", metavar="FILE")
    n = sub.add_parser("normalize", help="print the configuration in one of its views")
    _common(n)
    n.add_argument("--view", choices=("dstack", "effective", "minimal"), default="dstack")
    n.add_argument("--output-format", choices=("json", "yaml"), default="json")
    n.add_argument("--compact", action="store_true")
    n.add_argument("file", metavar="FILE")
    f = sub.add_parser("fmt", help="print files in their minimal form (--check, --write)")
    _common(f)
    g = f.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true", help="exit 1 when a file is not formatted")
    g.add_argument("--write", action="store_true", help="rewrite files in place, atomically")
    f.add_argument("files", nargs="+", metavar="FILE")
    return p


def _read(file: str) -> Tuple[bytes, str]:
    if file == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    with open(file, "rb") as fh:
        return fh.read(), file


def _format_for(args: argparse.Namespace, file: str) -> str:
    if args.input_format == "auto" and file.lower().endswith(".json"):
        return "json"
    return str(args.input_format)


def _parse(args: argparse.Namespace, data: bytes, name: str, file: str,
           unknown: Optional[str] = None) -> Tuple[Optional[ServiceConfig], List[Diagnostic]]:
    fmt: Any = _format_for(args, file)
    how: Any = unknown or args.unknown
    try:
        cfg = loads(data, source_name=name, format=fmt, strict_duplicates=args.strict_duplicates, unknown=how)
    except ConfigError as e:
        return None, e.diagnostics
    return cfg, list(cfg.warnings)


def _print_diags(diags: Sequence[Diagnostic]) -> None:
    for d in diags:
        print(str(d), file=sys.stderr)


def _diag_json(d: Diagnostic) -> str:
    return json.dumps({"source": d.source, "line": d.line, "column": d.column, "severity": d.severity,
                       "code": d.code, "path": d.path, "message": d.message},
                      separators=(",", ":"), ensure_ascii=False)


def _io_error(file: str, e: OSError) -> int:
    print(f"dstackcfg: {file}: {e.strerror or e}", file=sys.stderr)
    return EXIT_USAGE


def cmd_check(args: argparse.Namespace) -> int:
    status = EXIT_VALID
    items: List[str] = []
    for file in args.files:
        try:
            data, name = _read(file)
        except OSError as e:
            status = _io_error(file, e)
            continue
        cfg, diags = _parse(args, data, name, file)
        if cfg is None and status == EXIT_VALID:
            status = EXIT_INVALID
        if cfg is not None:
            cfg.close()
        if args.format == "json":
            items.extend(_diag_json(d) for d in diags)
        else:
            _print_diags(diags)
    if args.format == "json":
        sys.stdout.write("[" + ",".join(items) + "]\n")
    return status


def cmd_normalize(args: argparse.Namespace) -> int:
    try:
        data, name = _read(args.file)
    except OSError as e:
        return _io_error(args.file, e)
    cfg, diags = _parse(args, data, name, args.file)
    _print_diags(diags)
    if cfg is None:
        return EXIT_INVALID
    with cfg:
        if args.output_format == "yaml":
            text = cfg.to_yaml(args.view)
        else:
            text = cfg.to_json(args.view, indent=None if args.compact else 2)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_VALID


def _format(args: argparse.Namespace, data: bytes, name: str, file: str) -> Tuple[int, bytes]:
    is_json = _format_for(args, file) == "json" or (
        args.input_format == "auto" and _lib.lib.dcfg_detect_format(data, len(data)) == _lib.FORMAT_JSON)
    # unknown keys are never dropped silently: with --unknown=ignore they still warn
    cfg, diags = _parse(args, data, name, "x.json" if is_json else file,
                        "warn" if args.unknown == "ignore" else None)
    _print_diags(diags)
    if cfg is None:
        print(f"dstackcfg: {name}: not formatted: the configuration is not valid", file=sys.stderr)
        return EXIT_INVALID, b""
    with cfg:
        if any(d.code == "unknown-field" for d in diags):
            print(f"dstackcfg: {name}: not formatted: it has fields dstack does not know, "
                  f"which the formatted file would lose", file=sys.stderr)
            return EXIT_INVALID, b""
        out = (cfg.to_json("minimal", indent=2) if is_json else cfg.to_yaml("minimal")).encode("utf-8",
                                                                                                 "surrogateescape")
        if not out.endswith(b"\n"):
            out += b"\n"
        if out != data and not is_json and _COMMENT.search(data.decode("utf-8", "replace")):
            print(f"dstackcfg: {name}: not formatted: it may have comments, which python -m dstackcfg fmt "
                  f"cannot keep (the dstackcfg command keeps them)", file=sys.stderr)
            return EXIT_INVALID, b""
        again, _ = _parse(args, out, name, "x.json" if is_json else file, "warn")
        same = again is not None and again == cfg
        if again is not None:
            again.close()
        if not same:
            print(f"dstackcfg: {name}: not formatted: the formatted text would not be the same "
                  f"configuration (a bug; please report it)", file=sys.stderr)
            return EXIT_USAGE, b""
    return EXIT_VALID, out


def _write_atomically(file: str, data: bytes) -> None:
    target = os.path.realpath(file)
    d = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=".dstackcfg-", dir=d)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def cmd_fmt(args: argparse.Namespace) -> int:
    if args.write and "-" in args.files:
        print("dstackcfg: fmt --write cannot rewrite standard input", file=sys.stderr)
        return EXIT_USAGE
    status = EXIT_VALID
    for file in args.files:
        try:
            data, name = _read(file)
        except OSError as e:
            status = max(status, _io_error(file, e))
            continue
        rc, out = _format(args, data, name, file)
        if rc != EXIT_VALID:
            status = max(status, rc)
            continue
        if args.check:
            if out != data:
                print(f"{file}: not formatted (dstackcfg fmt --write {file})", file=sys.stderr)
                status = max(status, EXIT_INVALID)
        elif args.write:
            if out != data:
                try:
                    _write_atomically(file, out)
                except OSError as e:
                    print(f"dstackcfg: {file}: cannot rewrite: {e.strerror or e}; the file is unchanged",
                          file=sys.stderr)
                    status = EXIT_USAGE
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(out)
    return status


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command; returns the exit status."""
    p = _parser()
    args = p.parse_args(argv)
    if args.version:
        print(f"dstackcfg {_lib.library_version} (follows dstack {_lib.dstack_version}; "
              f"Python binding, library {_lib.path})")
        return EXIT_VALID
    if args.command is None:
        p.print_usage(sys.stderr)
        return EXIT_USAGE
    try:
        rc: int = {"check": cmd_check, "normalize": cmd_normalize, "fmt": cmd_fmt}[args.command](args)
        sys.stdout.flush()
    except BrokenPipeError:  # pragma: no cover
        return EXIT_USAGE
    return rc
