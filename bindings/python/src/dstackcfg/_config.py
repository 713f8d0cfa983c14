"""ServiceConfig and the functions that make one: load(), loads(), check()."""

from __future__ import annotations

import ctypes
import json
import math
import os
from ctypes import byref, c_size_t, c_void_p
from typing import (
    IO,
    Any,
    Dict,
    List,
    Literal,
    Mapping,
    Optional,
    Tuple,
    Union,
    cast,
)

from . import _lib
from ._diag import (
    ConfigError,
    Diagnostic,
    error_for,
    read_diags,
    send_warnings,
    take_diags,
)
from ._diff import Diff, diff_handles
from ._lib import lib
from ._types import (
    EntityReference,
    FileMapping,
    Instance,
    IntRange,
    Model,
    PortMapping,
    Probe,
    RateLimit,
    RegistryAuth,
    ReplicaGroup,
    Repo,
    Resources,
    Retry,
    Scaling,
    Schedule,
    UtilizationPolicy,
    VastAIOptions,
    Volume,
    build_fields,
)

View = Literal["dstack", "effective", "minimal"]
Format = Literal["auto", "yaml", "json"]
Unknown = Literal["error", "warn", "ignore"]
PathLike = Union[str, "os.PathLike[str]"]

_VIEWS: Dict[str, int] = {"dstack": _lib.VIEW_DSTACK, "effective": _lib.VIEW_EFFECTIVE,
                          "minimal": _lib.VIEW_MINIMAL}
_FORMATS: Dict[str, int] = {"auto": _lib.FORMAT_AUTO, "yaml": _lib.FORMAT_YAML, "json": _lib.FORMAT_JSON}
_UNKNOWN: Dict[str, int] = {"error": 0, "warn": _lib.PARSE_UNKNOWN_AS_WARNING,
                            "ignore": _lib.PARSE_UNKNOWN_IGNORE}
_INT64 = (-(2 ** 63), 2 ** 63 - 1)

_parse = lib.dcfg_config_parse
_diags_count = lib.dcfg_diags_count
_diags_free = lib.dcfg_diags_free
_config_free = lib.dcfg_config_free
_emit = lib.dcfg_config_emit
_free = lib.dcfg_free
_string_at = ctypes.string_at

_text = _lib.text


def _view(view: str) -> int:
    try:
        return _VIEWS[view]
    except (KeyError, TypeError):
        raise ValueError(f"view must be 'dstack', 'effective' or 'minimal', not {view!r}") from None


def _encode(text: Union[str, bytes, bytearray, memoryview]) -> bytes:
    if isinstance(text, str):
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: the library reports the bad bytes
            return text.encode("utf-8", "surrogateescape" if _escapable(text) else "surrogatepass")
    if isinstance(text, bytes):
        return text
    if isinstance(text, (bytearray, memoryview)):
        return bytes(text)
    raise TypeError(f"expected str or bytes, not {type(text).__name__}")


def _escapable(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
        return True
    except UnicodeEncodeError:
        return False


def _options(source_name: Optional[str], format: str, strict_duplicates: bool, unknown: str,
             max_input_bytes: Optional[int], max_depth: Optional[int], max_nodes: Optional[int],
             max_string_bytes: Optional[int]) -> _lib.ParseOptions:
    try:
        fmt = _FORMATS[format]
    except (KeyError, TypeError):
        raise ValueError(f"format must be 'auto', 'yaml' or 'json', not {format!r}") from None
    try:
        flags = _UNKNOWN[unknown]
    except (KeyError, TypeError):
        raise ValueError(f"unknown must be 'error', 'warn' or 'ignore', not {unknown!r}") from None
    if strict_duplicates:
        flags |= _lib.PARSE_STRICT_DUPLICATES
    for name, v in (("max_input_bytes", max_input_bytes), ("max_depth", max_depth),
                    ("max_nodes", max_nodes), ("max_string_bytes", max_string_bytes)):
        if v is not None and (not isinstance(v, int) or v <= 0):
            raise ValueError(f"{name} must be a positive integer or None, not {v!r}")
    return _lib.ParseOptions(
        _lib.PARSE_OPTIONS_VERSION, fmt, flags,
        None if source_name is None else source_name.encode("utf-8", "surrogateescape"),
        None, max_input_bytes or 0, max_depth or 0, max_nodes or 0, max_string_bytes or 0)


# the options of a call that sets none: built once, as the library only reads them
_DEFAULT_OPTIONS = _options(None, "auto", False, "error", None, None, None, None)


def _float_text(v: float) -> str:
    if math.isnan(v):
        return ".nan"
    if math.isinf(v):
        return ".inf" if v > 0 else "-.inf"
    s = repr(v)
    if "e" in s or "E" in s:
        mant, _, exp = s.partition("e")
        if "." not in mant:
            mant += ".0"
        if exp[0] not in "+-":
            exp = "+" + exp
        s = f"{mant}e{exp}"
    elif "." not in s:
        s += ".0"
    return s


def to_yaml_text(value: Any) -> str:
    """A Python value as YAML flow text that the library reads back to the same value
    (PyYAML's YAML 1.1 rules: strings are quoted, floats keep a dot)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"mapping keys must be str, not {type(k).__name__}")
            items.append(f"{json.dumps(k, ensure_ascii=False)}: {to_yaml_text(v)}")
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(to_yaml_text(v) for v in value) + "]"
    raise TypeError(f"cannot set a value of type {type(value).__name__}")


class ServiceConfig:
    """A validated and defaulted dstack service configuration.

    Made by :func:`load`, :func:`loads` or :meth:`ServiceConfig.new`. The
    root fields are typed, read-only properties (``cfg.port``,
    ``cfg.resources.gpu``, ...) holding frozen copies of dstack's values;
    :meth:`to_dict`, :meth:`to_json` and :meth:`to_yaml` serialize it;
    :meth:`set` and :meth:`unset` change it through the library's builder.

    The C object is freed by :meth:`close` (or leaving a ``with`` block) and
    otherwise when the object is garbage collected. Using a closed object
    raises :class:`ValueError`. Distinct objects may be used from different
    threads at once; one object must not be changed while another thread
    uses it.
    """

    __slots__ = ("_ptr", "_warnings", "_cache", "_fields", "_source")

    _ptr: Optional[int]
    _warnings: Tuple[Diagnostic, ...]
    _cache: Optional[bytes]
    _fields: Optional[Dict[str, Any]]
    _source: Optional[str]

    def __init__(self) -> None:
        raise TypeError("use dstackcfg.load(), dstackcfg.loads() or ServiceConfig.new()")

    @classmethod
    def _wrap(cls, ptr: int, warnings: Tuple[Diagnostic, ...], source: Optional[str]) -> ServiceConfig:
        self = object.__new__(cls)
        self._ptr = ptr
        self._warnings = warnings
        self._cache = None
        self._fields = None
        self._source = source
        return self

    @classmethod
    def new(cls) -> ServiceConfig:
        """A new configuration holding only ``type: service``.

        It validates once ``port`` and ``commands`` or ``image`` are set::

            cfg = ServiceConfig.new()
            cfg.set("port", 8000)
            cfg.set("image", "nginx")
            cfg.validate()
        """
        out = c_void_p()
        st = lib.dcfg_config_new(byref(out), None)
        if st != _lib.OK or not out.value:
            raise error_for(st, [], "dcfg_config_new")
        return cls._wrap(out.value, (), None)

    # ---- life cycle -----------------------------------------------------

    def close(self) -> None:
        """Free the C object now. Further use raises ValueError; closing again is fine."""
        ptr, self._ptr = self._ptr, None
        self._cache = None
        self._fields = None
        if ptr:
            _config_free(ptr)

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return not self._ptr

    def __enter__(self) -> ServiceConfig:
        self._handle()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        ptr = getattr(self, "_ptr", None)
        if ptr:
            self._ptr = None
            try:
                _config_free(ptr)
            except Exception:  # interpreter shutdown  # pragma: no cover
                pass

    def _handle(self) -> int:
        ptr = self._ptr
        if not ptr:
            raise ValueError("operation on a closed ServiceConfig")
        return ptr

    # ---- diagnostics ----------------------------------------------------

    @property
    def warnings(self) -> Tuple[Diagnostic, ...]:
        """Warnings of the parse that made this configuration (keys written twice,
        unknown keys with ``unknown="warn"``)."""
        self._handle()
        return self._warnings

    def warn(self, stacklevel: int = 2) -> None:
        """Send :attr:`warnings` to Python's :mod:`warnings` as :class:`ConfigWarning`."""
        self._handle()
        send_warnings(self._warnings, stacklevel)

    @property
    def source(self) -> Optional[str]:
        """File or source name the configuration was read from; None when built."""
        return self._source

    def validate(self) -> None:
        """Check the whole configuration as parsing a file would, rules between
        fields included. Raises :class:`ConfigError` with every problem."""
        diags = c_void_p()
        st = lib.dcfg_config_validate(self._handle(), byref(diags))
        found = take_diags(diags)
        if st != _lib.OK:
            raise error_for(st, found, "validate")

    def diagnostics(self) -> List[Diagnostic]:
        """What :meth:`validate` would report, without raising (empty when valid)."""
        diags = c_void_p()
        lib.dcfg_config_validate(self._handle(), byref(diags))
        return take_diags(diags)

    def is_valid(self) -> bool:
        """True when :meth:`validate` would pass."""
        return bool(lib.dcfg_config_validate(self._handle(), None) == _lib.OK)

    def diff(self, other: ServiceConfig) -> Diff:
        """What changes when ``other`` is applied to a service running ``self``.

        Values compare normalized (``port: 8000`` and ``port: "8000"`` are
        equal); each :class:`Change` has dstack's update class, and
        ``verdict`` is the strongest one: ``"none"``, ``"in-place"``,
        ``"rolling"`` (a rolling deployment) or ``"restart"`` (stop and apply
        again). Raises :class:`ConfigError` when either side, being built,
        does not validate.
        """
        if not isinstance(other, ServiceConfig):
            raise TypeError(f"diff() needs a ServiceConfig, not {type(other).__name__}")
        try:
            return diff_handles(self._handle(), other._handle())
        except ConfigError:
            self.validate()
            other.validate()
            raise

    # ---- serialization --------------------------------------------------

    def _emit(self, view: int, fmt: int, flags: int) -> bytes:
        ptr = self._handle()
        out = c_void_p()
        n = c_size_t()
        st = _emit(byref(out), byref(n), ptr, view, fmt, flags)
        if st != _lib.OK:
            if out.value:
                _free(out)
            if st == _lib.EINVALID:
                raise ConfigError(self.diagnostics() or [], st)
            raise error_for(st, [], "emit")
        try:
            return _string_at(out.value or 0, n.value)
        finally:
            _free(out)

    def _dstack_json(self) -> bytes:
        if self._cache is None:
            self._cache = self._emit(_lib.VIEW_DSTACK, _lib.FORMAT_JSON, 0)
        else:
            self._handle()
        return self._cache

    def to_dict(self, view: View = "dstack") -> Dict[str, Any]:
        """The configuration as plain Python values (a new dict each call).

        ``view="dstack"`` is exactly dstack's ``model_dump(mode="json")``;
        ``"effective"`` writes in the defaults dstack resolves later on the
        server; ``"minimal"`` keeps only what is set, in its shortest form.
        """
        v = _view(view)
        text = self._dstack_json() if v == _lib.VIEW_DSTACK else self._emit(v, _lib.FORMAT_JSON, 0)
        return cast(Dict[str, Any], json.loads(text))

    def to_json(self, view: View = "dstack", indent: Optional[int] = None) -> str:
        """The configuration as JSON: compact, or indented by `indent` spaces (no final newline)."""
        v = _view(view)
        if indent is None:
            return (self._dstack_json() if v == _lib.VIEW_DSTACK else
                    self._emit(v, _lib.FORMAT_JSON, 0)).decode("utf-8", "surrogateescape")
        if indent == 2:  # the library's own pretty form, without its final newline (as json.dumps)
            return self._emit(v, _lib.FORMAT_JSON, _lib.EMIT_PRETTY).decode("utf-8", "surrogateescape").rstrip("\n")
        return json.dumps(self.to_dict(view), indent=indent, ensure_ascii=False)

    def to_yaml(self, view: View = "dstack") -> str:
        """The configuration as block-style YAML; PyYAML ``safe_load`` reads it back to the same values.
        ``to_yaml("minimal")`` is what ``dstackcfg fmt`` writes (without comments)."""
        return self._emit(_view(view), _lib.FORMAT_YAML, _lib.EMIT_PRETTY).decode("utf-8", "surrogateescape")

    def copy(self) -> ServiceConfig:
        """An independent configuration equal to this one (what is set stays set)."""
        text = self._emit(_lib.VIEW_MINIMAL, _lib.FORMAT_JSON, 0)
        return loads(text, source_name=self._source, format="json")

    def __copy__(self) -> ServiceConfig:
        return self.copy()

    def __deepcopy__(self, memo: Dict[int, Any]) -> ServiceConfig:
        return self.copy()

    def __reduce__(self) -> Tuple[Any, Tuple[bytes, Optional[str]]]:
        return (_unpickle, (self._emit(_lib.VIEW_MINIMAL, _lib.FORMAT_JSON, 0), self._source))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServiceConfig):
            return NotImplemented
        if self is other:
            self._handle()
            return True
        a, b = self._dstack_json(), other._dstack_json()
        return a == b or bool(json.loads(a) == json.loads(b))

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        ptr = self._ptr
        if not ptr:
            return "<ServiceConfig (closed)>"
        if self._cache is None and lib.dcfg_config_validate(ptr, None) != _lib.OK:
            return "<ServiceConfig (not valid yet)>"
        name = lib.dcfg_config_name(ptr)
        image = lib.dcfg_config_image(ptr)
        local = lib.dcfg_config_local_port(ptr)
        port = str(lib.dcfg_config_port(ptr))
        if local and local != 80:
            port = f"{local}:{port}"
        return (f"<ServiceConfig name={None if name is None else _text(name)!r} "
                f"image={None if image is None else _text(image)!r} port={port}>")

    # ---- generic access and changes -----------------------------------

    def get(self, path: str, default: Any = None) -> Any:
        """The value at `path` in the dstack view's spelling (``"resources.gpu.count.min"``,
        ``"env.HF_TOKEN"``, ``"groups[0].name"``) as plain Python values; `default`
        when the path does not exist."""
        v = lib.dcfg_config_get(self._handle(), _path(path))
        if not v:
            return default
        return _value(v)

    def set(self, path: str, value: Any) -> None:
        """Set a field by path, e.g. ``cfg.set("resources.gpu", "A100:80GB:2")``.

        Strings go through the field's own parser as if quoted in YAML (so
        ``"1..3"``, ``"5m"`` and ``"A100:80GB:2"`` work), bool/int/float/None
        as such, lists and dicts as their values. A value the schema rejects
        raises :class:`ConfigError` and leaves the configuration unchanged.
        Rules between fields are checked by :meth:`validate`.
        """
        ptr = self._handle()
        p = _path(path)
        diags = c_void_p()
        if value is None:
            st = lib.dcfg_config_set_null(ptr, byref(diags), p)
        elif isinstance(value, bool):
            st = lib.dcfg_config_set_bool(ptr, byref(diags), p, 1 if value else 0)
        elif isinstance(value, int):
            if not _INT64[0] <= value <= _INT64[1]:
                st = lib.dcfg_config_set_value(ptr, byref(diags), p, str(int(value)).encode())
            else:
                st = lib.dcfg_config_set_int(ptr, byref(diags), p, int(value))
        elif isinstance(value, float):
            st = lib.dcfg_config_set_float(ptr, byref(diags), p, value)
        elif isinstance(value, str):
            st = lib.dcfg_config_set_string(ptr, byref(diags), p, _encode(value))
        else:
            st = lib.dcfg_config_set_value(ptr, byref(diags), p, to_yaml_text(value).encode("utf-8"))
        self._after_change(st, diags, path)

    def set_yaml(self, path: str, text: Union[str, bytes]) -> None:
        """Set a field from YAML or JSON text read exactly as in a file
        (``cfg.set_yaml("env", "- HF_TOKEN\\n- MODEL=x")``; ``off`` is false,
        ``3.10`` a float). Raises :class:`ParseError` when it is not well-formed."""
        ptr = self._handle()
        diags = c_void_p()
        st = lib.dcfg_config_set_value(ptr, byref(diags), _path(path), _encode(text))
        self._after_change(st, diags, path)

    def unset(self, path: str) -> None:
        """Remove a field (it takes its default again) or a list item. Removing
        what is not set is fine; removing a part a value needs raises ConfigError."""
        ptr = self._handle()
        diags = c_void_p()
        st = lib.dcfg_config_unset(ptr, byref(diags), _path(path))
        self._after_change(st, diags, path)

    def _after_change(self, st: int, diags: c_void_p, path: str) -> None:
        found = take_diags(diags)
        if st != _lib.OK:
            if st == _lib.EUSAGE and not found:
                raise ValueError(f"dstackcfg: not a valid field path: {path!r}")
            raise error_for(st, found, path)
        self._cache = None
        self._fields = None

    # ---- typed root fields --------------------------------------------

    def _field(self, name: str) -> Any:
        fields = self._fields
        if fields is None:
            fields = self._fields = build_fields(json.loads(self._dstack_json()))
        else:
            self._handle()
        return fields[name]

    @property
    def port(self) -> PortMapping:
        """Port the app listens on (``int(cfg.port)``) and the proxy-side port."""
        return cast('PortMapping', self._field('port'))

    @property
    def gateway(self) -> Union[None, bool, EntityReference]:
        """Gateway: None (the project's default), False (none), True (the default, required) or a named one."""
        return cast('Union[None, bool, EntityReference]', self._field('gateway'))

    @property
    def strip_prefix(self) -> bool:
        """Strip the ``/proxy/services/<project>/<run>/`` prefix before forwarding."""
        return cast('bool', self._field('strip_prefix'))

    @property
    def model(self) -> Optional[Model]:
        """Model published on the OpenAI-compatible endpoint."""
        return cast('Optional[Model]', self._field('model'))

    @property
    def https(self) -> Union[None, bool, str]:
        """HTTPS: None (means True), True, False or ``"auto"``."""
        return cast('Union[None, bool, str]', self._field('https'))

    @property
    def auth(self) -> bool:
        """Require a dstack token."""
        return cast('bool', self._field('auth'))

    @property
    def scaling(self) -> Optional[Scaling]:
        """Autoscaling rules."""
        return cast('Optional[Scaling]', self._field('scaling'))

    @property
    def rate_limits(self) -> Tuple[RateLimit, ...]:
        """Per-prefix request rate limits."""
        return cast('Tuple[RateLimit, ...]', self._field('rate_limits'))

    @property
    def probes(self) -> Optional[Tuple[Probe, ...]]:
        """HTTP readiness probes; None lets dstack pick, () disables them."""
        return cast('Optional[Tuple[Probe, ...]]', self._field('probes'))

    @property
    def replicas(self) -> Optional[IntRange]:
        """Replica count range (None: one replica, or groups)."""
        return cast('Optional[IntRange]', self._field('replicas'))

    @property
    def groups(self) -> Optional[Tuple[ReplicaGroup, ...]]:
        """Replica groups (also the list form of ``replicas``)."""
        return cast('Optional[Tuple[ReplicaGroup, ...]]', self._field('groups'))

    @property
    def commands(self) -> Tuple[str, ...]:
        """Shell commands run in the container."""
        return cast('Tuple[str, ...]', self._field('commands'))

    @property
    def type(self) -> str:
        """Always ``"service"``."""
        return cast('str', self._field('type'))

    @property
    def name(self) -> Optional[str]:
        """Run name."""
        return cast('Optional[str]', self._field('name'))

    @property
    def image(self) -> Optional[str]:
        """Docker image."""
        return cast('Optional[str]', self._field('image'))

    @property
    def user(self) -> Optional[str]:
        """User (and group) to run as."""
        return cast('Optional[str]', self._field('user'))

    @property
    def privileged(self) -> bool:
        """Privileged container."""
        return cast('bool', self._field('privileged'))

    @property
    def entrypoint(self) -> Optional[str]:
        """Docker entrypoint override."""
        return cast('Optional[str]', self._field('entrypoint'))

    @property
    def working_dir(self) -> Optional[str]:
        """Working directory."""
        return cast('Optional[str]', self._field('working_dir'))

    @property
    def home_dir(self) -> str:
        """Deprecated; no effect."""
        return cast('str', self._field('home_dir'))

    @property
    def registry_auth(self) -> Optional[RegistryAuth]:
        """Credentials for a private registry."""
        return cast('Optional[RegistryAuth]', self._field('registry_auth'))

    @property
    def python(self) -> Optional[str]:
        """Python version of dstack's base image (``"3.10"``)."""
        return cast('Optional[str]', self._field('python'))

    @property
    def nvcc(self) -> Optional[bool]:
        """CUDA devel variant of the base image."""
        return cast('Optional[bool]', self._field('nvcc'))

    @property
    def single_branch(self) -> Optional[bool]:
        """Clone only the current branch."""
        return cast('Optional[bool]', self._field('single_branch'))

    @property
    def env(self) -> Mapping[str, Optional[str]]:
        """Environment variables in the order written; None: taken from the client's environment."""
        return cast('Mapping[str, Optional[str]]', self._field('env'))

    @property
    def shell(self) -> Optional[str]:
        """Shell that runs ``commands``."""
        return cast('Optional[str]', self._field('shell'))

    @property
    def resources(self) -> Resources:
        """Resource requirements (sizes in GB)."""
        return cast('Resources', self._field('resources'))

    @property
    def priority(self) -> Optional[int]:
        """Run priority 0..100."""
        return cast('Optional[int]', self._field('priority'))

    @property
    def volumes(self) -> Tuple[Volume, ...]:
        """Network and instance volumes."""
        return cast('Tuple[Volume, ...]', self._field('volumes'))

    @property
    def docker(self) -> Optional[bool]:
        """Docker inside the container."""
        return cast('Optional[bool]', self._field('docker'))

    @property
    def repos(self) -> Tuple[Repo, ...]:
        """Repository to clone (at most one)."""
        return cast('Tuple[Repo, ...]', self._field('repos'))

    @property
    def files(self) -> Tuple[FileMapping, ...]:
        """Local files to upload."""
        return cast('Tuple[FileMapping, ...]', self._field('files'))

    @property
    def dstack(self) -> bool:
        """Access to the dstack server."""
        return cast('bool', self._field('dstack'))

    @property
    def setup(self) -> Tuple[str, ...]:
        """Deprecated setup commands."""
        return cast('Tuple[str, ...]', self._field('setup'))

    @property
    def backends(self) -> Optional[Tuple[str, ...]]:
        """Backends to consider."""
        return cast('Optional[Tuple[str, ...]]', self._field('backends'))

    @property
    def regions(self) -> Optional[Tuple[str, ...]]:
        """Regions to consider."""
        return cast('Optional[Tuple[str, ...]]', self._field('regions'))

    @property
    def availability_zones(self) -> Optional[Tuple[str, ...]]:
        """Availability zones to consider."""
        return cast('Optional[Tuple[str, ...]]', self._field('availability_zones'))

    @property
    def instance_types(self) -> Optional[Tuple[str, ...]]:
        """Instance types to consider."""
        return cast('Optional[Tuple[str, ...]]', self._field('instance_types'))

    @property
    def reservation(self) -> Optional[str]:
        """Capacity reservation."""
        return cast('Optional[str]', self._field('reservation'))

    @property
    def spot_policy(self) -> Optional[str]:
        """``"spot"``, ``"on-demand"`` or ``"auto"``."""
        return cast('Optional[str]', self._field('spot_policy'))

    @property
    def retry(self) -> Union[None, bool, Retry]:
        """Retry policy."""
        return cast('Union[None, bool, Retry]', self._field('retry'))

    @property
    def max_duration(self) -> Union[None, int, str]:
        """Seconds, or ``"off"``."""
        return cast('Union[None, int, str]', self._field('max_duration'))

    @property
    def stop_duration(self) -> Union[None, int, str]:
        """Seconds, or ``"off"``."""
        return cast('Union[None, int, str]', self._field('stop_duration'))

    @property
    def max_price(self) -> Optional[float]:
        """Maximum price per hour in dollars."""
        return cast('Optional[float]', self._field('max_price'))

    @property
    def creation_policy(self) -> Optional[str]:
        """``"reuse"`` or ``"reuse-or-create"``."""
        return cast('Optional[str]', self._field('creation_policy'))

    @property
    def idle_duration(self) -> Optional[int]:
        """Seconds to keep idle instances (-1: forever)."""
        return cast('Optional[int]', self._field('idle_duration'))

    @property
    def utilization_policy(self) -> Optional[UtilizationPolicy]:
        """Stop on low GPU utilization."""
        return cast('Optional[UtilizationPolicy]', self._field('utilization_policy'))

    @property
    def startup_order(self) -> Optional[str]:
        """Start order of multi-node jobs."""
        return cast('Optional[str]', self._field('startup_order'))

    @property
    def stop_criteria(self) -> Optional[str]:
        """When a multi-node run is done."""
        return cast('Optional[str]', self._field('stop_criteria'))

    @property
    def schedule(self) -> Optional[Schedule]:
        """Cron schedule."""
        return cast('Optional[Schedule]', self._field('schedule'))

    @property
    def fleets(self) -> Optional[Tuple[EntityReference, ...]]:
        """Fleets to run on."""
        return cast('Optional[Tuple[EntityReference, ...]]', self._field('fleets'))

    @property
    def instances(self) -> Optional[Tuple[Instance, ...]]:
        """Specific instances to run on."""
        return cast('Optional[Tuple[Instance, ...]]', self._field('instances'))

    @property
    def tags(self) -> Optional[Mapping[str, str]]:
        """Resource tags."""
        return cast('Optional[Mapping[str, str]]', self._field('tags'))

    @property
    def backend_options(self) -> Optional[Tuple[VastAIOptions, ...]]:
        """Backend-specific options."""
        return cast('Optional[Tuple[VastAIOptions, ...]]', self._field('backend_options'))


def _path(path: str) -> bytes:
    if not isinstance(path, str):
        raise TypeError(f"path must be str, not {type(path).__name__}")
    return path.encode("utf-8", "surrogatepass")  # a key may hold a lone surrogate (_text)


def _value(v: int) -> Any:
    kind = lib.dcfg_value_kind_of(v)
    if kind == _lib.VALUE_BOOL:
        return bool(lib.dcfg_value_bool(v))
    if kind == _lib.VALUE_INT:
        return int(lib.dcfg_value_int(v))
    if kind == _lib.VALUE_FLOAT:
        return float(lib.dcfg_value_float(v))
    if kind == _lib.VALUE_STRING:
        n = c_size_t()
        p = lib.dcfg_value_string(v, byref(n))
        return _text(_string_at(p, n.value)) if p else ""
    if kind == _lib.VALUE_LIST:
        return [_value(lib.dcfg_value_at(v, i)) for i in range(lib.dcfg_value_count(v))]
    if kind == _lib.VALUE_MAP:
        out: Dict[str, Any] = {}
        for i in range(lib.dcfg_value_count(v)):
            n = c_size_t()
            k = lib.dcfg_value_key(v, i, byref(n))
            out[_text(_string_at(k, n.value))] = _value(lib.dcfg_value_at(v, i))
        return out
    return None


def _unpickle(text: bytes, source: Optional[str]) -> ServiceConfig:
    return loads(text, source_name=source, format="json")


def loads(text: Union[str, bytes, bytearray, memoryview], *, source_name: Optional[str] = None,
          format: Format = "auto", strict_duplicates: bool = False, unknown: Unknown = "error",
          warn: bool = False, max_input_bytes: Optional[int] = None, max_depth: Optional[int] = None,
          max_nodes: Optional[int] = None, max_string_bytes: Optional[int] = None) -> ServiceConfig:
    """Parse, validate and default a service configuration given as YAML or JSON text.

    :param source_name: name shown in diagnostics (``"<input>"`` by default)
    :param format: ``"auto"`` (JSON when the text starts with ``{``), ``"yaml"`` or ``"json"``
    :param strict_duplicates: a key written twice is an error instead of a warning
    :param unknown: keys dstack does not know are an ``"error"``, a ``"warn"``-ing or ``"ignore"``-d
    :param warn: also send the warnings to Python's :mod:`warnings`
    :param max_input_bytes, max_depth, max_nodes, max_string_bytes: limits (None: the library's defaults)
    :raises ParseError: not well-formed YAML/JSON, or not UTF-8
    :raises LimitError: a limit was exceeded
    :raises ConfigError: the configuration is not valid (every problem in ``.diagnostics``)
    """
    data = _encode(text)
    if (source_name is None and format == "auto" and not strict_duplicates and unknown == "error"
            and max_input_bytes is None and max_depth is None and max_nodes is None and max_string_bytes is None):
        opts = _DEFAULT_OPTIONS
    else:
        opts = _options(source_name, format, strict_duplicates, unknown,
                        max_input_bytes, max_depth, max_nodes, max_string_bytes)
    cfg = c_void_p()
    diags = c_void_p()
    st = _parse(byref(cfg), byref(diags), data, len(data), byref(opts))
    if st == _lib.OK and cfg.value:
        if _diags_count(diags):
            found = tuple(take_diags(diags))
            if warn:
                send_warnings(found, 2)
        else:
            _diags_free(diags)
            found = ()
        return ServiceConfig._wrap(cfg.value, found, source_name)
    if cfg.value:  # pragma: no cover - the library never returns both
        _config_free(cfg)
    raise error_for(st, take_diags(diags), source_name or "<input>")


def _read(path_or_file: Union[PathLike, IO[str], IO[bytes]]) -> Tuple[bytes, Optional[str], bool]:
    """(contents, source name, is a .json file)"""
    if isinstance(path_or_file, (str, os.PathLike)):
        name = os.fsdecode(path_or_file)
        with open(path_or_file, "rb") as f:
            data = f.read()
        return data, name, name.lower().endswith(".json")
    read = getattr(path_or_file, "read", None)
    if read is None:
        raise TypeError(f"expected a path or a file object, not {type(path_or_file).__name__}")
    content = read()
    fname = getattr(path_or_file, "name", None)
    fsname = os.fsdecode(fname) if isinstance(fname, (str, bytes, os.PathLike)) else None
    return _encode(content), fsname, bool(fsname and fsname.lower().endswith(".json"))


def load(path_or_file: Union[PathLike, IO[str], IO[bytes]], *, strict_duplicates: bool = False,
         unknown: Unknown = "error", format: Format = "auto", warn: bool = False,
         max_input_bytes: Optional[int] = None, max_depth: Optional[int] = None,
         max_nodes: Optional[int] = None, max_string_bytes: Optional[int] = None) -> ServiceConfig:
    """Read a service configuration from a file path or an open file.

    As the command line tool does, a ``.json`` file is read as JSON and any
    other by its content. Diagnostics name the file. See :func:`loads` for
    the options and errors; a file that cannot be read raises :class:`OSError`.
    """
    data, name, is_json = _read(path_or_file)
    return loads(data, source_name=name, format="json" if format == "auto" and is_json else format,
                 strict_duplicates=strict_duplicates, unknown=unknown, warn=warn,
                 max_input_bytes=max_input_bytes, max_depth=max_depth, max_nodes=max_nodes,
                 max_string_bytes=max_string_bytes)


def check(path_or_text: Union[PathLike, bytes, IO[str], IO[bytes]], *, source_name: Optional[str] = None,
          strict_duplicates: bool = False, unknown: Unknown = "error", format: Format = "auto",
          max_input_bytes: Optional[int] = None, max_depth: Optional[int] = None,
          max_nodes: Optional[int] = None, max_string_bytes: Optional[int] = None) -> List[Diagnostic]:
    """Every diagnostic (errors and warnings) of a configuration, without raising.

    `path_or_text` is a path (``os.PathLike``, or a ``str`` without a newline
    that names an existing file), an open file, or the document itself
    (``bytes``, or any other ``str``). An empty list means valid and clean.
    A file that cannot be read raises :class:`OSError`.
    """
    is_json = False
    name: Optional[str] = source_name
    if isinstance(path_or_text, os.PathLike) or (
            isinstance(path_or_text, str) and "\n" not in path_or_text and os.path.isfile(path_or_text)) \
            or hasattr(path_or_text, "read"):
        data, fname, is_json = _read(cast(Any, path_or_text))
        name = name or fname
    else:
        data = _encode(cast(Any, path_or_text))
    opts = _options(name, "json" if format == "auto" and is_json else format, strict_duplicates, unknown,
                    max_input_bytes, max_depth, max_nodes, max_string_bytes)
    cfg = c_void_p()
    diags = c_void_p()
    st = _parse(byref(cfg), byref(diags), data, len(data), byref(opts))
    if cfg.value:
        _config_free(cfg)
    found = take_diags(diags)
    if st in (_lib.ENOMEM, _lib.EUSAGE) and not found:
        raise error_for(st, found)
    return found


__all__ = ["ServiceConfig", "load", "loads", "check", "View", "Format", "Unknown", "read_diags"]
