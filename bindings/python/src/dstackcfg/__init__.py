"""dstackcfg: read, check, change and write dstack service configurations.

A ctypes binding of libdstackcfg, which follows dstack's own parser exactly
(the same files are accepted and rejected, ``to_dict()`` is dstack's
``model_dump(mode="json")``) without importing dstack::

    import dstackcfg

    cfg = dstackcfg.load("service.dstack.yml")
    print(cfg.name, int(cfg.port), cfg.resources.gpu)
    cfg.set("resources.gpu", "A100:80GB:2")
    print(cfg.to_yaml("minimal"))

Errors raise :class:`ConfigError` (and its subclasses :class:`ParseError`
and :class:`LimitError`) carrying every :class:`Diagnostic`.
"""

from __future__ import annotations

from . import _lib
from ._config import ServiceConfig, check, load, loads
from ._diag import ConfigError, ConfigWarning, Diagnostic, LimitError, ParseError
from ._diff import Change, Diff, UpdateClass
from ._types import (
    CPUSpec,
    DiskSpec,
    EntityReference,
    FileMapping,
    FleetInstance,
    GPUSpec,
    Instance,
    InstanceHostname,
    InstanceName,
    InstanceVolume,
    IntRange,
    Model,
    NetworkVolume,
    OpenAIModel,
    PortMapping,
    Probe,
    ProbeHeader,
    RateLimit,
    RateLimitKey,
    RegistryAuth,
    ReplicaGroup,
    Repo,
    Resources,
    Retry,
    Router,
    Scaling,
    Schedule,
    SizeRange,
    TGIModel,
    UtilizationPolicy,
    VastAIOptions,
    Volume,
)

#: Version of this package.
__version__ = "0.1.0"
#: Version of the C library loaded (``dcfg_version_string()``).
library_version: str = _lib.library_version
#: Path (or name) of the C library loaded.
library_path: str = _lib.path
#: Version of dstack whose parser the library follows.
dstack_version: str = _lib.dstack_version

__all__ = [
    "load", "loads", "check", "ServiceConfig", "Change", "Diff", "UpdateClass",
    "ConfigError", "ParseError", "LimitError", "ConfigWarning", "Diagnostic",
    "CPUSpec", "DiskSpec", "EntityReference", "FileMapping", "FleetInstance", "GPUSpec", "Instance",
    "InstanceHostname", "InstanceName", "InstanceVolume", "IntRange", "Model", "NetworkVolume",
    "OpenAIModel", "PortMapping", "Probe", "ProbeHeader", "RateLimit", "RateLimitKey", "RegistryAuth",
    "ReplicaGroup", "Repo", "Resources", "Retry", "Router", "Scaling", "Schedule", "SizeRange",
    "TGIModel", "UtilizationPolicy", "VastAIOptions", "Volume",
    "__version__", "library_version", "library_path", "dstack_version",
]
