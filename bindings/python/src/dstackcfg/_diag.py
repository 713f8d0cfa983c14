"""Diagnostics and the exceptions that carry them."""

from __future__ import annotations

import ctypes
import dataclasses
import warnings
from typing import List, Optional, Sequence

from . import _lib
from ._lib import lib


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One problem found in a configuration, copied out of the library.

    ``str(d)`` is the command line tool's form,
    ``FILE:LINE:COL: error: PATH: MESSAGE [code]``.
    """

    #: ``"error"`` or ``"warning"``.
    severity: str
    #: Stable kebab-case code to match on: ``syntax``, ``encoding``, ``limit``,
    #: ``not-a-service``, ``unknown-field``, ``required``, ``wrong-type``,
    #: ``invalid-value``, ``unsupported-value``, ``conflict``, ``duplicate``,
    #: ``duplicate-key``.
    code: str
    #: Field path in the user's spelling (``"probes[0].url"``); ``""`` for the document.
    path: str
    #: 1-based line; 0 when unknown.
    line: int
    #: 1-based column (in characters); 0 when unknown.
    column: int
    #: Message without path or position.
    message: str
    #: Source name: the file, or ``source_name`` given to :func:`loads` (``"<input>"``).
    source: str
    #: Second position involved (the first occurrence of a duplicate key); 0 when none.
    related_line: int = 0
    related_column: int = 0
    text: str = dataclasses.field(default="", repr=False, compare=False)

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"

    def __str__(self) -> str:
        if self.text:
            return self.text
        pos = f"{self.source}:{self.line}:{self.column}: " if self.line else f"{self.source}: "
        where = f"{self.path}: " if self.path else ""
        return f"{pos}{self.severity}: {where}{self.message} [{self.code}]"


class ConfigError(ValueError):
    """The configuration is not valid; ``diagnostics`` says every reason.

    ``str()`` is the first error in the command line tool's form.
    """

    diagnostics: List[Diagnostic]
    #: The library's status code (``dcfg_status``), e.g. -2 for invalid.
    status: int

    def __init__(self, diagnostics: Sequence[Diagnostic], status: int = _lib.EINVALID,
                 message: Optional[str] = None) -> None:
        self.diagnostics = list(diagnostics)
        self.status = status
        errors = self.errors
        if message is None:
            if errors:
                message = str(errors[0])
                if len(errors) > 1:
                    message += f" (and {len(errors) - 1} more)"
            else:
                message = _lib.status_string(status) or "invalid configuration"
        super().__init__(message)

    @property
    def errors(self) -> List[Diagnostic]:
        """The diagnostics of error severity."""
        return [d for d in self.diagnostics if d.is_error]


class ParseError(ConfigError):
    """The input is not well-formed YAML/JSON (or not valid UTF-8).

    Like :class:`SyntaxError`, it has ``filename``, ``lineno``, ``offset``
    and ``msg`` for the first error.
    """

    filename: str
    lineno: int
    offset: int
    msg: str

    def __init__(self, diagnostics: Sequence[Diagnostic], status: int = _lib.ESYNTAX,
                 message: Optional[str] = None) -> None:
        super().__init__(diagnostics, status, message)
        first = self.errors[0] if self.errors else None
        self.filename = first.source if first else "<input>"
        self.lineno = first.line if first else 0
        self.offset = first.column if first else 0
        self.msg = first.message if first else str(self)


class LimitError(ConfigError):
    """The input exceeds a configured limit (size, depth, nodes, string length)."""


class ConfigWarning(UserWarning):
    """A warning diagnostic (a key written twice, an unknown key with ``unknown="warn"``)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(str(diagnostic))


def _s(b: Optional[bytes]) -> str:
    return b.decode("utf-8", "replace") if b else ""


def read_diags(diags: ctypes.c_void_p) -> List[Diagnostic]:
    """Copy every diagnostic of a ``dcfg_diags`` list (which the caller still frees)."""
    if not diags.value:
        return []
    out = []
    source = _s(lib.dcfg_diags_source(diags))
    src = source.encode("utf-8", "surrogateescape")
    for i in range(lib.dcfg_diags_count(diags)):
        g = lib.dcfg_diags_at(diags, i)
        text = ctypes.c_void_p()
        line = ""
        if lib.dcfg_diag_format(ctypes.byref(text), g, src) == _lib.OK:
            line = _s(_lib.take_string(text))
        out.append(Diagnostic(
            severity="warning" if lib.dcfg_diag_severity(g) == 1 else "error",
            code=_s(lib.dcfg_diag_code_name(lib.dcfg_diag_code_of(g))),
            path=_s(lib.dcfg_diag_path(g)),
            line=int(lib.dcfg_diag_line(g)),
            column=int(lib.dcfg_diag_column(g)),
            message=_s(lib.dcfg_diag_message(g)),
            source=source,
            related_line=int(lib.dcfg_diag_related_line(g)),
            related_column=int(lib.dcfg_diag_related_column(g)),
            text=line,
        ))
    return out


def take_diags(diags: ctypes.c_void_p) -> List[Diagnostic]:
    """Copy the diagnostics out, then free the list."""
    try:
        return read_diags(diags)
    finally:
        lib.dcfg_diags_free(diags)


def error_for(status: int, diagnostics: Sequence[Diagnostic], what: str = "") -> Exception:
    """The exception for a failed call."""
    if status == _lib.ENOMEM:
        return MemoryError("dstackcfg: out of memory" + (f" ({what})" if what else ""))
    if status == _lib.ESYNTAX:
        return ParseError(diagnostics, status)
    if status == _lib.ELIMIT or any(d.code == "limit" for d in diagnostics):
        return LimitError(diagnostics, status)
    if status == _lib.EUSAGE and not diagnostics:
        return ValueError(f"dstackcfg: {_lib.status_string(status)}" + (f": {what}" if what else ""))
    if status == _lib.EIO:
        return OSError(f"dstackcfg: cannot read {what}" if what else "dstackcfg: I/O error")
    return ConfigError(diagnostics, status)


def send_warnings(diagnostics: Sequence[Diagnostic], stacklevel: int = 2) -> None:
    """Send every warning diagnostic to :mod:`warnings` as a :class:`ConfigWarning`."""
    for d in diagnostics:
        if not d.is_error:
            warnings.warn(ConfigWarning(d), stacklevel=stacklevel + 1)
