"""Typed, read-only values of a service configuration.

Every class is a frozen dataclass built from the configuration's dstack view
(the JSON that dstack's ``model_dump(mode="json")`` gives), so the values and
their meaning are dstack's: sizes are in GB, durations in seconds, ranges
are :class:`IntRange` or :class:`SizeRange` with ``None`` for an open bound.
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple, Union

__all__ = [
    "PortMapping", "EntityReference", "OpenAIModel", "TGIModel", "Model", "Scaling",
    "RateLimitKey", "RateLimit", "ProbeHeader", "Probe", "IntRange", "SizeRange",
    "CPUSpec", "GPUSpec", "DiskSpec", "Resources", "Router", "ReplicaGroup",
    "RegistryAuth", "NetworkVolume", "InstanceVolume", "Volume", "Repo", "FileMapping",
    "Retry", "UtilizationPolicy", "Schedule", "InstanceName", "InstanceHostname",
    "FleetInstance", "Instance", "VastAIOptions",
]



def _opt_str(v: Any) -> Optional[str]:
    return None if v is None else str(v)


def _strs(v: Any) -> Tuple[str, ...]:
    return tuple(str(x) for x in (v or ()))


def _opt_strs(v: Any) -> Optional[Tuple[str, ...]]:
    return None if v is None else _strs(v)


def _opt_int(v: Any) -> Optional[int]:
    return None if v is None else int(v)


def _opt_float(v: Any) -> Optional[float]:
    return None if v is None else float(v)


def _opt_bool(v: Any) -> Optional[bool]:
    return None if v is None else bool(v)


@dataclasses.dataclass(frozen=True)
class PortMapping:
    """``port``: the app's port and the port on the proxy side.

    ``int(port)`` is the container port.
    """

    container_port: int
    local_port: Optional[int] = None

    def __int__(self) -> int:
        return self.container_port

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> PortMapping:
        return cls(int(d["container_port"]), _opt_int(d.get("local_port")))


@dataclasses.dataclass(frozen=True)
class EntityReference:
    """A named gateway or fleet, optionally of another project."""

    name: str
    project: Optional[str] = None

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> EntityReference:
        return cls(str(d["name"]), _opt_str(d.get("project")))


@dataclasses.dataclass(frozen=True)
class OpenAIModel:
    """``model`` in the OpenAI format."""

    name: str
    prefix: str = "/v1"
    type: str = "chat"
    format: Literal["openai"] = "openai"


@dataclasses.dataclass(frozen=True)
class TGIModel:
    """``model`` in the TGI format."""

    name: str
    chat_template: Optional[str] = None
    eos_token: Optional[str] = None
    type: str = "chat"
    format: Literal["tgi"] = "tgi"


Model = Union[OpenAIModel, TGIModel]


def _model(d: Any) -> Optional[Model]:
    if d is None:
        return None
    if d.get("format") == "tgi":
        return TGIModel(str(d["name"]), _opt_str(d.get("chat_template")), _opt_str(d.get("eos_token")),
                        str(d.get("type", "chat")))
    return OpenAIModel(str(d["name"]), str(d.get("prefix", "/v1")), str(d.get("type", "chat")))


@dataclasses.dataclass(frozen=True)
class Scaling:
    """``scaling``: autoscaling on requests per second."""

    metric: str
    target: float
    #: seconds; None means 60
    window: Optional[int]
    scale_up_delay: int
    scale_down_delay: int

    @classmethod
    def _from(cls, d: Any) -> Optional[Scaling]:
        if d is None:
            return None
        return cls(str(d["metric"]), float(d["target"]), _opt_int(d.get("window")),
                   int(d["scale_up_delay"]), int(d["scale_down_delay"]))


@dataclasses.dataclass(frozen=True)
class RateLimitKey:
    """How requests are partitioned: ``ip_address`` or ``header`` (with ``header``)."""

    type: str
    header: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class RateLimit:
    """One item of ``rate_limits``."""

    prefix: str
    key: RateLimitKey
    rps: float
    burst: int

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> RateLimit:
        k = d.get("key") or {"type": "ip_address"}
        return cls(str(d["prefix"]), RateLimitKey(str(k["type"]), _opt_str(k.get("header"))),
                   float(d["rps"]), int(d["burst"]))


@dataclasses.dataclass(frozen=True)
class ProbeHeader:
    """An HTTP header a probe sends."""

    name: str
    value: str


@dataclasses.dataclass(frozen=True)
class Probe:
    """One item of ``probes``: an HTTP readiness probe."""

    type: str
    url: Optional[str]
    method: Optional[str]
    headers: Tuple[ProbeHeader, ...]
    body: Optional[str]
    timeout: Optional[int]
    interval: Optional[int]
    ready_after: Optional[int]
    until_ready: Optional[bool]

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Probe:
        return cls(str(d["type"]), _opt_str(d.get("url")), _opt_str(d.get("method")),
                   tuple(ProbeHeader(str(h["name"]), str(h["value"])) for h in d.get("headers") or ()),
                   _opt_str(d.get("body")), _opt_int(d.get("timeout")), _opt_int(d.get("interval")),
                   _opt_int(d.get("ready_after")), _opt_bool(d.get("until_ready")))


@dataclasses.dataclass(frozen=True)
class IntRange:
    """A count range; ``None`` is an open bound."""

    min: Optional[int]
    max: Optional[int]

    @classmethod
    def _from(cls, d: Any) -> IntRange:
        return cls(_opt_int(d.get("min")), _opt_int(d.get("max")))

    @classmethod
    def _opt(cls, d: Any) -> Optional[IntRange]:
        return None if d is None else cls._from(d)


@dataclasses.dataclass(frozen=True)
class SizeRange:
    """A memory or disk size range in GB; ``None`` is an open bound."""

    min: Optional[float]
    max: Optional[float]

    @classmethod
    def _from(cls, d: Any) -> SizeRange:
        return cls(_opt_float(d.get("min")), _opt_float(d.get("max")))

    @classmethod
    def _opt(cls, d: Any) -> Optional[SizeRange]:
        return None if d is None else cls._from(d)


@dataclasses.dataclass(frozen=True)
class CPUSpec:
    """``resources.cpu``."""

    arch: Optional[str]
    count: IntRange


@dataclasses.dataclass(frozen=True)
class GPUSpec:
    """``resources.gpu``."""

    vendor: Optional[str]
    name: Optional[Tuple[str, ...]]
    count: IntRange
    memory: Optional[SizeRange]
    total_memory: Optional[SizeRange]
    compute_capability: Optional[Tuple[int, int]]

    @classmethod
    def _from(cls, d: Any) -> Optional[GPUSpec]:
        if d is None:
            return None
        cc = d.get("compute_capability")
        return cls(_opt_str(d.get("vendor")), _opt_strs(d.get("name")), IntRange._from(d["count"]),
                   SizeRange._opt(d.get("memory")), SizeRange._opt(d.get("total_memory")),
                   None if cc is None else (int(cc[0]), int(cc[1])))


@dataclasses.dataclass(frozen=True)
class DiskSpec:
    """``resources.disk``."""

    size: SizeRange


@dataclasses.dataclass(frozen=True)
class Resources:
    """``resources`` (of the service, or of a replica group)."""

    cpu: CPUSpec
    memory: SizeRange
    shm_size: Optional[float]
    gpu: Optional[GPUSpec]
    disk: Optional[DiskSpec]

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Resources:
        cpu = d.get("cpu") or {"count": {"min": None, "max": None}}
        disk = d.get("disk")
        return cls(CPUSpec(_opt_str(cpu.get("arch")), IntRange._from(cpu["count"])),
                   SizeRange._from(d.get("memory") or {}), _opt_float(d.get("shm_size")),
                   GPUSpec._from(d.get("gpu")),
                   None if disk is None else DiskSpec(SizeRange._from(disk["size"])))


@dataclasses.dataclass(frozen=True)
class Router:
    """``groups[].router``."""

    type: str


@dataclasses.dataclass(frozen=True)
class ReplicaGroup:
    """One item of ``groups`` (or of the list form of ``replicas``)."""

    name: Optional[str]
    replicas: IntRange
    scaling: Optional[Scaling]
    resources: Resources
    spot_policy: Optional[str]
    reservation: Optional[str]
    commands: Tuple[str, ...]
    image: Optional[str]
    python: Optional[str]
    nvcc: Optional[bool]
    docker: Optional[bool]
    privileged: Optional[bool]
    router: Optional[Router]

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> ReplicaGroup:
        r = d.get("router")
        return cls(_opt_str(d.get("name")), IntRange._from(d["replicas"]), Scaling._from(d.get("scaling")),
                   Resources._from(d.get("resources") or {}), _opt_str(d.get("spot_policy")),
                   _opt_str(d.get("reservation")), _strs(d.get("commands")), _opt_str(d.get("image")),
                   _opt_str(d.get("python")), _opt_bool(d.get("nvcc")), _opt_bool(d.get("docker")),
                   _opt_bool(d.get("privileged")), None if r is None else Router(str(r["type"])))


@dataclasses.dataclass(frozen=True)
class RegistryAuth:
    """``registry_auth``; the password is left out of ``repr()``."""

    username: str
    password: str = dataclasses.field(repr=False)


@dataclasses.dataclass(frozen=True)
class NetworkVolume:
    """A network volume: a name, or several names to pick one from."""

    name: Union[str, Tuple[str, ...]]
    path: str


@dataclasses.dataclass(frozen=True)
class InstanceVolume:
    """A host directory mounted into the container."""

    instance_path: str
    path: str
    optional: bool = False


Volume = Union[NetworkVolume, InstanceVolume]


def _volume(d: Mapping[str, Any]) -> Volume:
    if "instance_path" in d:
        return InstanceVolume(str(d["instance_path"]), str(d["path"]), bool(d.get("optional", False)))
    n = d["name"]
    return NetworkVolume(_strs(n) if isinstance(n, list) else str(n), str(d["path"]))


@dataclasses.dataclass(frozen=True)
class Repo:
    """One item of ``repos``."""

    local_path: Optional[str]
    url: Optional[str]
    branch: Optional[str]
    hash: Optional[str]
    path: str
    if_exists: str

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> Repo:
        return cls(_opt_str(d.get("local_path")), _opt_str(d.get("url")), _opt_str(d.get("branch")),
                   _opt_str(d.get("hash")), str(d.get("path", ".")), str(d.get("if_exists", "error")))


@dataclasses.dataclass(frozen=True)
class FileMapping:
    """One item of ``files``."""

    local_path: str
    path: str


@dataclasses.dataclass(frozen=True)
class Retry:
    """``retry`` in its mapping form."""

    on_events: Optional[Tuple[str, ...]]
    #: seconds
    duration: Optional[int]


@dataclasses.dataclass(frozen=True)
class UtilizationPolicy:
    """``utilization_policy``."""

    min_gpu_utilization: int
    #: seconds
    time_window: int


@dataclasses.dataclass(frozen=True)
class Schedule:
    """``schedule``: one or more crontab expressions (UTC)."""

    cron: Tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class InstanceName:
    """An item of ``instances`` given by name."""

    name: str


@dataclasses.dataclass(frozen=True)
class InstanceHostname:
    """An item of ``instances`` given by hostname."""

    hostname: str


@dataclasses.dataclass(frozen=True)
class FleetInstance:
    """An item of ``instances`` given as a fleet and an instance number."""

    fleet: EntityReference
    instance: int


Instance = Union[InstanceName, InstanceHostname, FleetInstance]


def _instance(d: Mapping[str, Any]) -> Instance:
    if "fleet" in d:
        return FleetInstance(EntityReference._from(d["fleet"]), int(d["instance"]))
    if "hostname" in d:
        return InstanceHostname(str(d["hostname"]))
    return InstanceName(str(d["name"]))


@dataclasses.dataclass(frozen=True)
class VastAIOptions:
    """An item of ``backend_options`` for vastai."""

    type: str
    offer_order: Optional[str]
    min_reliability: Optional[float]
    min_score: Optional[int]


def _mapping(d: Mapping[str, Any]) -> Mapping[str, Any]:
    return types.MappingProxyType(dict(d))


def build_fields(d: Dict[str, Any]) -> Dict[str, Any]:
    """Typed values of every root field, from the dstack view."""
    g = d.get("gateway")
    retry = d.get("retry")
    env: Dict[str, Optional[str]] = {}
    for k, v in (d.get("env") or {}).items():
        env[k] = None if isinstance(v, dict) else str(v)
    ra = d.get("registry_auth")
    up = d.get("utilization_policy")
    sch = d.get("schedule")
    out: Dict[str, Any] = {
        "port": PortMapping._from(d["port"]),
        "gateway": EntityReference._from(g) if isinstance(g, dict) else g,
        "strip_prefix": bool(d["strip_prefix"]),
        "model": _model(d.get("model")),
        "https": d.get("https"),
        "auth": bool(d["auth"]),
        "scaling": Scaling._from(d.get("scaling")),
        "rate_limits": tuple(RateLimit._from(x) for x in d.get("rate_limits") or ()),
        "probes": None if d.get("probes") is None else tuple(Probe._from(x) for x in d["probes"]),
        "replicas": IntRange._opt(d.get("replicas")),
        "groups": None if d.get("groups") is None else tuple(ReplicaGroup._from(x) for x in d["groups"]),
        "commands": _strs(d.get("commands")),
        "type": str(d["type"]),
        "name": _opt_str(d.get("name")),
        "image": _opt_str(d.get("image")),
        "user": _opt_str(d.get("user")),
        "privileged": bool(d["privileged"]),
        "entrypoint": _opt_str(d.get("entrypoint")),
        "working_dir": _opt_str(d.get("working_dir")),
        "home_dir": str(d["home_dir"]),
        "registry_auth": None if ra is None else RegistryAuth(str(ra["username"]), str(ra["password"])),
        "python": _opt_str(d.get("python")),
        "nvcc": _opt_bool(d.get("nvcc")),
        "single_branch": _opt_bool(d.get("single_branch")),
        "env": _mapping(env),
        "shell": _opt_str(d.get("shell")),
        "resources": Resources._from(d.get("resources") or {}),
        "priority": _opt_int(d.get("priority")),
        "volumes": tuple(_volume(x) for x in d.get("volumes") or ()),
        "docker": _opt_bool(d.get("docker")),
        "repos": tuple(Repo._from(x) for x in d.get("repos") or ()),
        "files": tuple(FileMapping(str(x["local_path"]), str(x["path"])) for x in d.get("files") or ()),
        "dstack": bool(d["dstack"]),
        "setup": _strs(d.get("setup")),
        "backends": _opt_strs(d.get("backends")),
        "regions": _opt_strs(d.get("regions")),
        "availability_zones": _opt_strs(d.get("availability_zones")),
        "instance_types": _opt_strs(d.get("instance_types")),
        "reservation": _opt_str(d.get("reservation")),
        "spot_policy": _opt_str(d.get("spot_policy")),
        "retry": (Retry(_opt_strs(retry.get("on_events")), _opt_int(retry.get("duration")))
                  if isinstance(retry, dict) else retry),
        "max_duration": d.get("max_duration"),
        "stop_duration": d.get("stop_duration"),
        "max_price": _opt_float(d.get("max_price")),
        "creation_policy": _opt_str(d.get("creation_policy")),
        "idle_duration": _opt_int(d.get("idle_duration")),
        "utilization_policy": None if up is None else UtilizationPolicy(int(up["min_gpu_utilization"]),
                                                                        int(up["time_window"])),
        "startup_order": _opt_str(d.get("startup_order")),
        "stop_criteria": _opt_str(d.get("stop_criteria")),
        "schedule": None if sch is None else Schedule(_strs(sch["cron"])),
        "fleets": None if d.get("fleets") is None else tuple(EntityReference._from(x) for x in d["fleets"]),
        "instances": None if d.get("instances") is None else tuple(_instance(x) for x in d["instances"]),
        "tags": None if d.get("tags") is None else _mapping({str(k): str(v) for k, v in d["tags"].items()}),
        "backend_options": None if d.get("backend_options") is None else tuple(
            VastAIOptions(str(x.get("type", "vastai")), _opt_str(x.get("offer_order")),
                          _opt_float(x.get("min_reliability")), _opt_int(x.get("min_score")))
            for x in d["backend_options"]),
    }
    return out


ROOT_FIELDS: List[str] = [
    "port", "gateway", "strip_prefix", "model", "https", "auth", "scaling", "rate_limits", "probes",
    "replicas", "groups", "commands", "type", "name", "image", "user", "privileged", "entrypoint",
    "working_dir", "home_dir", "registry_auth", "python", "nvcc", "single_branch", "env", "shell",
    "resources", "priority", "volumes", "docker", "repos", "files", "dstack", "setup", "backends",
    "regions", "availability_zones", "instance_types", "reservation", "spot_policy", "retry",
    "max_duration", "stop_duration", "max_price", "creation_policy", "idle_duration",
    "utilization_policy", "startup_order", "stop_criteria", "schedule", "fleets", "instances", "tags",
    "backend_options",
]
