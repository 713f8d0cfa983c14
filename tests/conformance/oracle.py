#!/usr/bin/env python3
"""dstack as a conformance oracle for `type: service` configurations.

Runs in a Python environment where dstack is installed (see run.py) and
classifies every input with dstack's own parser:

    parse_apply_configuration(yaml.safe_load(text)).model_dump(mode="json")

Input, one of:
  * file paths as arguments (the result's name is the path as given);
  * --jsonl FILE (or "-" for stdin): one {"name": ..., "text": ...} object a
    line. With --serve the output is flushed after every line, so a parent
    process can use the oracle interactively (run.py does for minimizing).

Output (stdout or --out): one JSON object a line, in input order:
  name   the input's name
  valid  true when dstack accepts the document and it is a service
  dump   model_dump(mode="json") (valid only)
  kind   ok | validation | crash | yaml | load | not-service
  paths  (invalid only) the field paths dstack blames, in the user's spelling
         ("resources.gpu.memory", "replicas[1].count", "" for the document),
         or null when dstack gave no location (crash, YAML error): any path
         the library reports is then acceptable
  error  dstack's error text (invalid only), shortened
  errors raw pydantic errors [{loc, type, msg}] (validation only)

Names ending in ".json" are loaded with json.loads (the library reads them as
JSON); everything else with PyYAML safe_load, as dstack's CLI does.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import re
import sys

import yaml

logging.disable(logging.CRITICAL)  # dstack logs deprecation warnings; not our business

from dstack._internal.core.models.configurations import (  # noqa: E402
    ServiceConfiguration,
    parse_apply_configuration,
)

try:  # noqa: E402
    from pydantic import ValidationError
except ImportError:  # pragma: no cover - dstack always brings pydantic
    ValidationError = ()

MAX_ERROR_TEXT = 4000

# Location elements pydantic inserts for union members / wrapped validators rather
# than for fields: "constrained-int", "function-after[...]", "list[str]",
# "PortMapping", "str", "int", ...
_TYPE_WORDS = {
    "str", "int", "float", "bool", "list", "dict", "none", "nullable", "bytes",
    "date", "datetime", "decimal", "tuple", "set", "any", "literal", "enum",
    "union", "model", "json-or-python", "lax-or-strict", "default",
}


def _looks_like_tag(elem) -> bool:
    if not isinstance(elem, str):
        return False
    if elem in _TYPE_WORDS:
        return True
    if any(c in elem for c in "[](),"):
        return True
    if re.fullmatch(r"[a-z]+(-[a-z]+)+", elem):  # constrained-int, function-after
        return True
    if re.fullmatch(r"[A-Z][A-Za-z0-9_]*", elem):  # class names: PortMapping, EnvSentinel
        return True
    return False


def _find_key(node: dict, elem):
    """The key of `node` that pydantic's location element `elem` names, or a sentinel."""
    if elem in node:
        return elem
    for k in node:
        if str(k) == str(elem) or (isinstance(k, bool) and str(elem) == str(k)):
            return k
    return _MISSING


_MISSING = object()


def loc_to_components(loc, tree) -> list:
    """Translate a pydantic error location into the user's field path.

    Walks the input tree in parallel with the location: keys that exist in the
    input are path steps, list indexes are index steps, union/validator tags are
    dropped, a name the input does not contain is a missing field (kept).
    dstack's `groups.N` becomes `replicas.N` when the user wrote the legacy
    `replicas:` list, and a group's `replicas` becomes `count` when the user
    wrote `count`.
    """
    loc = list(loc)
    out: list = []
    node = tree
    # the first element is the configuration type tag ("service")
    if loc and isinstance(tree, dict) and isinstance(loc[0], str) and loc[0] == tree.get("type"):
        loc = loc[1:]
    depth_root = True
    tagged = None  # the mapping whose union tag was already skipped
    for pos, elem in enumerate(loc):
        if isinstance(node, dict):
            # discriminated-union tags (rate-limit key `type`, model `format`) come first:
            # {type: header, header: X} has both a tag and a field called "header"
            if isinstance(elem, str) and not depth_root and tagged is not node and any(
                    node.get(d) == elem for d in ("type", "format")):
                tagged = node
                continue
            key = _find_key(node, elem)
            if depth_root and elem == "groups" and node.get("groups") is None \
                    and isinstance(node.get("replicas"), list):
                key = _MISSING  # `groups: null` + legacy `replicas: [..]`: dstack says groups
            if key is _MISSING and pos + 1 < len(loc) and \
                    _find_key(node, loc[pos + 1]) is not _MISSING and not depth_root:
                # a level dstack builds from the user's shorthand: cpu {min, max} is read
                # as cpu {count: {min, max}}; blame the user's own keys
                continue
            if key is _MISSING:
                # aliases / legacy spellings
                if depth_root and elem == "groups" and isinstance(node.get("replicas"), list) \
                        and node.get("groups") is None:
                    out.append("replicas")
                    node = node["replicas"]
                    depth_root = False
                    continue
                if elem == "replicas" and "count" in node and not depth_root:
                    out.append("count")
                    node = node["count"]
                    continue
                if _looks_like_tag(elem):
                    continue
                out.append(elem)  # missing field (or a field dstack created)
                node = None
                depth_root = False
                continue
            out.append(key if isinstance(key, str) else str(key))
            node = node[key]
            depth_root = False
            continue
        if isinstance(node, list) and isinstance(elem, int) and not isinstance(elem, bool):
            out.append(elem)
            node = node[elem] if 0 <= elem < len(node) else None
            depth_root = False
            continue
        # scalar, None or structure mismatch: keep field names, drop tags
        if _looks_like_tag(elem):
            continue
        if isinstance(elem, str) and elem in ("[key]",):
            continue
        out.append(elem)
        node = None
        depth_root = False
    return out


def components_to_path(comps) -> str:
    s = ""
    for c in comps:
        if isinstance(c, int) and not isinstance(c, bool):
            s += f"[{c}]"
        else:
            s += ("." if s else "") + str(c)
    return s


def _json_safe(value):
    """Non-finite floats (reachable through memory strings such as "inf") become null,
    which is what dstack's own JSON writer (model_dump_json) emits for them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def load_tree(name: str, text: str):
    if name.lower().endswith(".json"):
        return json.loads(text)
    return yaml.safe_load(text)


def classify(name: str, text: str) -> dict:
    res: dict = {"name": name}
    try:
        tree = load_tree(name, text)
    except yaml.YAMLError as e:
        return {**res, "valid": False, "kind": "yaml", "paths": None,
                "error": f"YAML error: {e}"[:MAX_ERROR_TEXT]}
    except (ValueError, RecursionError) as e:  # json.JSONDecodeError is a ValueError
        return {**res, "valid": False, "kind": "load", "paths": None,
                "error": f"load error: {type(e).__name__}: {e}"[:MAX_ERROR_TEXT]}

    not_service = not (isinstance(tree, dict) and tree.get("type") == "service")
    try:
        conf = parse_apply_configuration(tree)
    except Exception as e:  # noqa: BLE001 - every failure is a verdict
        ve = e.args[0] if e.args and isinstance(e.args[0], ValidationError) else None
        if ve is None and isinstance(e, ValidationError):
            ve = e
        if ve is not None:
            errors = []
            paths = []
            for er in ve.errors():
                comps = loc_to_components(er.get("loc", ()), tree)
                p = components_to_path(comps)
                alts = [p]
                m = re.match(r"^((?:groups|replicas)\[\d+\])\.(replicas|count)\b(.*)$", p)
                if m:  # a group's size key: `replicas`, or `count` (alias, legacy spelling)
                    other = "count" if m.group(2) == "replicas" else "replicas"
                    alts.append(f"{m.group(1)}.{other}{m.group(3)}")
                for a in alts:
                    if a not in paths:
                        paths.append(a)
                errors.append({"loc": [x if isinstance(x, (int, str)) else str(x)
                                       for x in er.get("loc", ())],
                               "type": er.get("type"), "msg": str(er.get("msg"))[:500]})
            if not_service:
                for p in ("", "type"):
                    if p not in paths:
                        paths.append(p)
            return {**res, "valid": False, "kind": "not-service" if not_service else "validation",
                    "paths": paths, "error": str(e)[:MAX_ERROR_TEXT], "errors": errors}
        return {**res, "valid": False, "kind": "not-service" if not_service else "crash",
                "paths": ["", "type"] if not_service else None,
                "error": f"{type(e).__name__}: {e}"[:MAX_ERROR_TEXT]}
    if not isinstance(conf, ServiceConfiguration) or not_service:
        return {**res, "valid": False, "kind": "not-service", "paths": ["", "type"],
                "error": f"not a service configuration: {type(conf).__name__}"}
    try:
        dump = conf.model_dump(mode="json")
    except Exception as e:  # noqa: BLE001
        return {**res, "valid": False, "kind": "crash", "paths": None,
                "error": f"model_dump failed: {type(e).__name__}: {e}"[:MAX_ERROR_TEXT]}
    return {**res, "valid": True, "kind": "ok", "dump": _json_safe(dump)}


def _iter_inputs(args):
    if args.jsonl:
        fh = sys.stdin if args.jsonl == "-" else open(args.jsonl, encoding="utf-8")
        with fh:
            for line in fh:
                line = line.strip()
                if line:
                    obj = json.loads(line)
                    yield obj["name"], obj["text"]
    for path in args.files:
        try:
            with open(path, "rb") as f:
                data = f.read()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            yield path, e
            continue
        yield path, text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--jsonl", help='JSONL of {"name","text"} ("-" = stdin)')
    ap.add_argument("--out", help="write JSONL results here (default stdout)")
    ap.add_argument("--serve", action="store_true", help="flush after every result")
    ap.add_argument("--version", action="store_true", help="print the dstack version and exit")
    args = ap.parse_args(argv)
    if args.version:
        from dstack.version import __version__
        print(__version__)
        return 0
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        for name, text in _iter_inputs(args):
            if isinstance(text, Exception):
                res = {"name": name, "valid": False, "kind": "load", "paths": None,
                       "error": f"{type(text).__name__}: {text}"}
            else:
                res = classify(name, text)
            # a lone surrogate (PyYAML reads "\udd00" as one) has no UTF-8: escaped, as json.dumps would
            line = re.sub("[\ud800-\udfff]", lambda m: "\\u%04x" % ord(m.group()), json.dumps(res, ensure_ascii=False))
            out.write(line + "\n")
            if args.serve:
                out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
