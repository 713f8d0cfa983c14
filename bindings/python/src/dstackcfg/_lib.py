"""The shared library: finding it, checking its version, and its C signatures.

Lookup order:

1. ``DSTACKCFG_LIBRARY``: the path of a ``libdstackcfg`` file (used as given;
   an error when it cannot be loaded, never a silent fall-through);
2. the copy shipped inside this package (``dstackcfg/libdstackcfg.so``);
3. the system library, ``ctypes.util.find_library("dstackcfg")``.

The library is loaded with :class:`ctypes.CDLL`, so every foreign call
releases the GIL: parsing and emitting in several threads run in parallel.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from ctypes import (
    POINTER,
    Structure,
    c_char_p,
    c_double,
    c_int,
    c_longlong,
    c_size_t,
    c_uint,
    c_void_p,
)
from typing import Any, Dict, List, Optional, Sequence, Tuple

#: Version of the C library this package was written for. The library loaded
#: at run time must have the same major version and be at least this version
#: (within a major version the library only adds symbols).
REQUIRED_VERSION: Tuple[int, int, int] = (0, 1, 0)

ENV_VAR = "DSTACKCFG_LIBRARY"

# dcfg_status
OK = 0
ESYNTAX = -1
EINVALID = -2
ENOMEM = -3
EIO = -4
EUSAGE = -5
ELIMIT = -6

# dcfg_format
FORMAT_AUTO = 0
FORMAT_YAML = 1
FORMAT_JSON = 2

# dcfg_view
VIEW_DSTACK = 0
VIEW_EFFECTIVE = 1
VIEW_MINIMAL = 2

# parse flags
PARSE_UNKNOWN_AS_WARNING = 0x1
PARSE_UNKNOWN_IGNORE = 0x2
PARSE_STRICT_DUPLICATES = 0x4

EMIT_PRETTY = 0x1

# dcfg_value_kind
VALUE_NULL, VALUE_BOOL, VALUE_INT, VALUE_FLOAT, VALUE_STRING, VALUE_LIST, VALUE_MAP = range(7)

PARSE_OPTIONS_VERSION = 1


class ParseOptions(Structure):
    """``dcfg_parse_options`` (version 1)."""

    _fields_ = [
        ("version", c_uint),
        ("format", c_int),
        ("flags", c_uint),
        ("source_name", c_char_p),
        ("allocator", c_void_p),
        ("max_input_bytes", c_size_t),
        ("max_depth", c_uint),
        ("max_nodes", c_size_t),
        ("max_string_bytes", c_size_t),
    ]


_pp = POINTER(c_void_p)
_psize = POINTER(c_size_t)
_puint = POINTER(c_uint)

# name: (restype, argtypes) for every export of libdstackcfg (dstackcfg.map, DCFG_0).
# Opaque handles are c_void_p; strings the library lends are c_char_p (copied
# to bytes by ctypes) unless they may hold NUL bytes (then c_void_p + length).
SIGNATURES: Dict[str, Tuple[Any, List[Any]]] = {
    # common.h / version.h
    "dcfg_status_string": (c_char_p, [c_int]),
    "dcfg_free": (None, [c_void_p]),
    "dcfg_version_number": (c_uint, []),
    "dcfg_version_string": (c_char_p, []),
    "dcfg_dstack_version": (c_char_p, []),
    # diag.h
    "dcfg_diags_free": (None, [c_void_p]),
    "dcfg_diags_count": (c_size_t, [c_void_p]),
    "dcfg_diags_error_count": (c_size_t, [c_void_p]),
    "dcfg_diags_at": (c_void_p, [c_void_p, c_size_t]),
    "dcfg_diags_source": (c_char_p, [c_void_p]),
    "dcfg_diag_code_of": (c_int, [c_void_p]),
    "dcfg_diag_code_name": (c_char_p, [c_int]),
    "dcfg_diag_severity": (c_int, [c_void_p]),
    "dcfg_diag_path": (c_char_p, [c_void_p]),
    "dcfg_diag_line": (c_uint, [c_void_p]),
    "dcfg_diag_column": (c_uint, [c_void_p]),
    "dcfg_diag_related_line": (c_uint, [c_void_p]),
    "dcfg_diag_related_column": (c_uint, [c_void_p]),
    "dcfg_diag_message": (c_char_p, [c_void_p]),
    "dcfg_diag_format": (c_int, [_pp, c_void_p, c_char_p]),
    "dcfg_diags_to_json": (c_int, [_pp, c_void_p]),
    # config.h: parsing and serialization
    "dcfg_config_parse": (c_int, [_pp, _pp, c_char_p, c_size_t, POINTER(ParseOptions)]),
    "dcfg_config_parse_file": (c_int, [_pp, _pp, c_char_p, POINTER(ParseOptions)]),
    "dcfg_detect_format": (c_int, [c_char_p, c_size_t]),
    "dcfg_config_free": (None, [c_void_p]),
    "dcfg_config_emit": (c_int, [_pp, _psize, c_void_p, c_int, c_int, c_uint]),
    # describe.h: JSON Schema and explanations
    "dcfg_schema_json": (c_int, [_pp, _psize, c_int, c_void_p]),
    "dcfg_explain": (c_int, [_pp, c_char_p, c_void_p]),
    # config.h: generic read access
    "dcfg_config_root": (c_void_p, [c_void_p]),
    "dcfg_config_get": (c_void_p, [c_void_p, c_char_p]),
    "dcfg_value_kind_of": (c_int, [c_void_p]),
    "dcfg_value_bool": (c_int, [c_void_p]),
    "dcfg_value_int": (c_longlong, [c_void_p]),
    "dcfg_value_float": (c_double, [c_void_p]),
    "dcfg_value_string": (c_void_p, [c_void_p, _psize]),
    "dcfg_value_count": (c_size_t, [c_void_p]),
    "dcfg_value_at": (c_void_p, [c_void_p, c_size_t]),
    "dcfg_value_key_at": (c_char_p, [c_void_p, c_size_t]),
    "dcfg_value_key": (c_void_p, [c_void_p, c_size_t, _psize]),
    "dcfg_value_get": (c_void_p, [c_void_p, c_char_p]),
    # config.h: typed accessors of the root
    "dcfg_config_type": (c_char_p, [c_void_p]),
    "dcfg_config_name": (c_char_p, [c_void_p]),
    "dcfg_config_port": (c_uint, [c_void_p]),
    "dcfg_config_local_port": (c_uint, [c_void_p]),
    "dcfg_config_gateway": (c_int, [c_void_p]),
    "dcfg_config_gateway_name": (c_char_p, [c_void_p]),
    "dcfg_config_gateway_project": (c_char_p, [c_void_p]),
    "dcfg_config_https": (c_int, [c_void_p]),
    "dcfg_config_strip_prefix": (c_int, [c_void_p]),
    "dcfg_config_auth": (c_int, [c_void_p]),
    "dcfg_config_model_format": (c_int, [c_void_p]),
    "dcfg_config_model_name": (c_char_p, [c_void_p]),
    "dcfg_config_model_prefix": (c_char_p, [c_void_p]),
    "dcfg_config_model_chat_template": (c_char_p, [c_void_p]),
    "dcfg_config_model_eos_token": (c_char_p, [c_void_p]),
    "dcfg_config_commands_count": (c_size_t, [c_void_p]),
    "dcfg_config_command": (c_char_p, [c_void_p, c_size_t]),
    "dcfg_config_setup_count": (c_size_t, [c_void_p]),
    "dcfg_config_setup": (c_char_p, [c_void_p, c_size_t]),
    "dcfg_config_image": (c_char_p, [c_void_p]),
    "dcfg_config_user": (c_char_p, [c_void_p]),
    "dcfg_config_privileged": (c_int, [c_void_p]),
    "dcfg_config_entrypoint": (c_char_p, [c_void_p]),
    "dcfg_config_working_dir": (c_char_p, [c_void_p]),
    "dcfg_config_home_dir": (c_char_p, [c_void_p]),
    "dcfg_config_registry_username": (c_char_p, [c_void_p]),
    "dcfg_config_registry_password": (c_char_p, [c_void_p]),
    "dcfg_config_python": (c_char_p, [c_void_p]),
    "dcfg_config_nvcc": (c_int, [c_void_p]),
    "dcfg_config_single_branch": (c_int, [c_void_p]),
    "dcfg_config_docker": (c_int, [c_void_p]),
    "dcfg_config_dstack": (c_int, [c_void_p]),
    "dcfg_config_shell": (c_char_p, [c_void_p]),
    "dcfg_config_priority": (c_int, [c_void_p]),
    "dcfg_config_env_count": (c_size_t, [c_void_p]),
    "dcfg_config_env_name": (c_char_p, [c_void_p, c_size_t]),
    "dcfg_config_env_value": (c_char_p, [c_void_p, c_size_t]),
    # builder.h
    "dcfg_config_new": (c_int, [_pp, c_void_p]),
    "dcfg_config_set_int": (c_int, [c_void_p, _pp, c_char_p, c_longlong]),
    "dcfg_config_set_float": (c_int, [c_void_p, _pp, c_char_p, c_double]),
    "dcfg_config_set_bool": (c_int, [c_void_p, _pp, c_char_p, c_int]),
    "dcfg_config_set_string": (c_int, [c_void_p, _pp, c_char_p, c_char_p]),
    "dcfg_config_set_null": (c_int, [c_void_p, _pp, c_char_p]),
    "dcfg_config_set_value": (c_int, [c_void_p, _pp, c_char_p, c_char_p]),
    "dcfg_config_unset": (c_int, [c_void_p, _pp, c_char_p]),
    "dcfg_config_validate": (c_int, [c_void_p, _pp]),
    # diff.h
    "dcfg_update_class_name": (c_char_p, [c_int]),
    "dcfg_config_diff": (c_int, [_pp, c_void_p, c_void_p, c_void_p]),
    "dcfg_diff_free": (None, [c_void_p]),
    "dcfg_diff_count": (c_size_t, [c_void_p]),
    "dcfg_diff_at": (c_void_p, [c_void_p, c_size_t]),
    "dcfg_diff_verdict": (c_int, [c_void_p]),
    "dcfg_change_path": (c_char_p, [c_void_p]),
    "dcfg_change_old": (c_char_p, [c_void_p]),
    "dcfg_change_new": (c_char_p, [c_void_p]),
    "dcfg_change_class": (c_int, [c_void_p]),
    "dcfg_change_reason": (c_char_p, [c_void_p]),
}


def _shipped_candidates() -> List[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.platform == "darwin":
        names = ["libdstackcfg.dylib", "libdstackcfg.so"]
    elif sys.platform == "win32":
        names = ["dstackcfg.dll", "libdstackcfg.dll"]
    else:
        names = ["libdstackcfg.so"]
    return [os.path.join(here, n) for n in names]


def _candidates() -> List[Tuple[str, str]]:
    """(how it was found, path or name) in lookup order."""
    env = os.environ.get(ENV_VAR)
    if env:
        return [(f"${ENV_VAR}", env)]
    out = [("shipped with the package", p) for p in _shipped_candidates() if os.path.isfile(p)]
    found = ctypes.util.find_library("dstackcfg")
    if found:
        out.append(("system library (ctypes.util.find_library)", found))
    return out


def version_tuple(number: int) -> Tuple[int, int, int]:
    """``dcfg_version_number()`` (major*10000 + minor*100 + patch) as a tuple."""
    return number // 10000, number // 100 % 100, number % 100


def check_version(found: Tuple[int, int, int], required: Tuple[int, int, int] = REQUIRED_VERSION) -> bool:
    """True when a library of version `found` serves a package written for `required`."""
    return found[0] == required[0] and found >= required


def _bind(cdll: ctypes.CDLL, where: str) -> None:
    missing = [n for n in SIGNATURES if not hasattr(cdll, n)]
    if missing:
        raise ImportError(
            f"dstackcfg: the library {where} lacks {len(missing)} function(s) this package needs "
            f"({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}); "
            f"it needs libdstackcfg >= {'.'.join(map(str, REQUIRED_VERSION))}, "
            f"< {REQUIRED_VERSION[0] + 1}.0.0")
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(cdll, name)
        fn.restype = restype
        fn.argtypes = argtypes


def load_library(candidates: Optional[Sequence[Tuple[str, str]]] = None) -> Tuple[ctypes.CDLL, str]:
    """Load and check the library; returns it and the path it came from.

    Raises :class:`ImportError` with what was found and what is needed.
    """
    if candidates is None:
        candidates = _candidates()
    need = f"libdstackcfg >= {'.'.join(map(str, REQUIRED_VERSION))}, < {REQUIRED_VERSION[0] + 1}.0.0"
    if not candidates:
        raise ImportError(
            f"dstackcfg: no libdstackcfg found: not shipped inside the package "
            f"({os.path.dirname(os.path.abspath(__file__))}), not on the system "
            f"(ctypes.util.find_library), and ${ENV_VAR} is not set; this package needs {need}. "
            f"Install the wheel, or set ${ENV_VAR} to the path of libdstackcfg.so")
    errors = []
    for how, path in candidates:
        where = f"{path!r} ({how})"
        try:
            cdll = ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{where}: {e}")
            if how.startswith("$"):
                break  # an explicit choice is never replaced by another library
            continue
        if not hasattr(cdll, "dcfg_version_number"):
            errors.append(f"{where}: not a libdstackcfg (no dcfg_version_number)")
            continue
        vfn = cdll.dcfg_version_number
        vfn.restype = c_uint
        vfn.argtypes = []
        found = version_tuple(int(vfn()))
        if not check_version(found):
            raise ImportError(
                f"dstackcfg: the library {where} is version {'.'.join(map(str, found))}; "
                f"this package needs {need}")
        _bind(cdll, where)
        return cdll, path
    raise ImportError("dstackcfg: cannot load libdstackcfg: " + "; ".join(errors) + f" (needs {need})")


lib, path = load_library()

#: Version of the library actually loaded, e.g. "0.1.0".
library_version: str = (lib.dcfg_version_string() or b"").decode()
#: Version of dstack whose behaviour the library follows, e.g. "0.22.5".
dstack_version: str = (lib.dcfg_dstack_version() or b"").decode()


def take_string(ptr: c_void_p, length: Optional[int] = None) -> bytes:
    """Copy a `char *` the library handed over, then free it with dcfg_free()."""
    if not ptr.value:
        return b""
    try:
        return ctypes.string_at(ptr.value, length) if length is not None else ctypes.string_at(ptr.value)
    finally:
        lib.dcfg_free(ptr)


def text(b: bytes) -> str:
    """A string of the library's: UTF-8, where a lone surrogate from a YAML escape
    ("\\udd00", which PyYAML reads as one) is kept as its three bytes, as the
    surrogatepass error handler writes it."""
    try:
        return b.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return b.decode("utf-8", "surrogateescape")


def status_string(status: int) -> str:
    """dcfg_status_string(): "syntax error", "invalid configuration", ..."""
    return (lib.dcfg_status_string(status) or b"").decode()
