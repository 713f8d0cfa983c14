"""ServiceConfig.diff(): what changed between two configurations and how
dstack applies it (in place, rolling deployment or restart)."""

from __future__ import annotations

import dataclasses
import json
from ctypes import byref, c_void_p
from typing import Any, Literal, Optional, Tuple, cast

from . import _lib
from ._diag import error_for
from ._lib import lib

UpdateClass = Literal["none", "in-place", "rolling", "restart"]


@dataclasses.dataclass(frozen=True)
class Change:
    """One changed value. ``old``/``new`` are dstack-view values; a key added
    to or removed from a mapping has ``old_present``/``new_present`` False."""

    path: str
    update: UpdateClass
    old: Any
    new: Any
    old_present: bool
    new_present: bool
    reason: Optional[str]


@dataclasses.dataclass(frozen=True)
class Diff:
    """The changes, in the field tables' order, and the strongest class among them."""

    changes: Tuple[Change, ...]
    verdict: UpdateClass

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)


def _class_name(c: int) -> UpdateClass:
    return cast(UpdateClass, lib.dcfg_update_class_name(c).decode("ascii"))


def _value(text: Optional[bytes]) -> Tuple[Any, bool]:
    if text is None:
        return None, False
    return json.loads(text.decode("utf-8")), True


def diff_handles(old: int, new: int) -> Diff:
    """dcfg_config_diff on two live handles, copied into Python values."""
    out = c_void_p()
    st = lib.dcfg_config_diff(byref(out), old, new, None)
    if st != _lib.OK:
        raise error_for(st, [], "diff")
    try:
        changes = []
        for i in range(lib.dcfg_diff_count(out)):
            c = lib.dcfg_diff_at(out, i)
            o, op = _value(lib.dcfg_change_old(c))
            n, np_ = _value(lib.dcfg_change_new(c))
            reason = lib.dcfg_change_reason(c)
            changes.append(Change(path=_lib.text(lib.dcfg_change_path(c)),
                                  update=_class_name(lib.dcfg_change_class(c)), old=o, new=n,
                                  old_present=op, new_present=np_,
                                  reason=reason.decode("utf-8") if reason is not None else None))
        return Diff(changes=tuple(changes), verdict=_class_name(lib.dcfg_diff_verdict(out)))
    finally:
        lib.dcfg_diff_free(out)
