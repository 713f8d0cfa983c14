"""The public API: loading, typed fields, views, changes, errors, life cycle."""

from __future__ import annotations

import copy
import io
import json
import pathlib
import pickle
import warnings

import pytest
import yaml

from conftest import EXAMPLES

import dstackcfg
from dstackcfg import ConfigError, LimitError, ParseError, ServiceConfig

LLM = EXAMPLES / "llm-endpoint.dstack.yml"
SVC = "type: service\nname: web\nimage: nginx\nport: 8000\n"


def test_load_example_port() -> None:
    cfg = dstackcfg.load(str(LLM))
    assert cfg.port == dstackcfg.PortMapping(container_port=8000, local_port=80)
    assert int(cfg.port) == 8000
    assert cfg.name == "llama-endpoint"
    assert cfg.image == "vllm/vllm-openai:latest"
    assert cfg.source == str(LLM)
    assert repr(cfg) == "<ServiceConfig name='llama-endpoint' image='vllm/vllm-openai:latest' port=8000>"


def test_load_accepts_pathlike_and_files() -> None:
    a = dstackcfg.load(LLM)
    with open(LLM, "rb") as fb:
        b = dstackcfg.load(fb)
    with open(LLM, encoding="utf-8") as ft:
        c = dstackcfg.load(ft)
    d = dstackcfg.load(io.StringIO(LLM.read_text()))
    assert a == b == c == d
    assert b.source == str(LLM)
    assert d.source is None


def test_load_missing_file_is_oserror(tmp_path: pathlib.Path) -> None:
    with pytest.raises(FileNotFoundError):
        dstackcfg.load(tmp_path / "nope.yml")
    with pytest.raises(TypeError):
        dstackcfg.load(42)  # type: ignore[arg-type]


def test_load_json_file_by_extension(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "svc.json"
    p.write_text(json.dumps({"type": "service", "port": 80, "image": "x", "python": "3.10"}))
    with pytest.raises(ConfigError) as e:  # image and python conflict, found in JSON too
        dstackcfg.load(p)
    assert e.value.diagnostics[0].source == str(p)
    p.write_text(json.dumps({"type": "service", "port": 80, "image": "x"}))
    assert dstackcfg.load(p).port.container_port == 80


def test_loads_str_bytes_and_format() -> None:
    a = dstackcfg.loads(SVC)
    b = dstackcfg.loads(SVC.encode())
    c = dstackcfg.loads(bytearray(SVC.encode()))
    j = dstackcfg.loads(json.dumps(yaml.safe_load(SVC)), format="json")
    assert a == b == c == j
    with pytest.raises(ValueError, match="format"):
        dstackcfg.loads(SVC, format="toml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown"):
        dstackcfg.loads(SVC, unknown="maybe")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        dstackcfg.loads(12)  # type: ignore[arg-type]
    with pytest.raises(ParseError):  # YAML read as JSON
        dstackcfg.loads(SVC, format="json")


def test_lone_surrogate_escapes_read_as_pyyaml_reads_them() -> None:
    text = ('type: service\nport: 80\nimage: "nginx\\udd00"\nenv:\n  A: "x\\udd00y"\n  "K\\ud800": "\\U0000DC00"\n'
            'commands: ["echo \\udfff"]\n')
    want = yaml.safe_load(text)
    # pydantic reads a dict key as lossy UTF-8: U+FFFD for each byte of the surrogate
    want["env"] = {"A": "x\udd00y", "K\ufffd\ufffd\ufffd": "\udc00"}
    cfg = dstackcfg.loads(text)
    assert (cfg.image, dict(cfg.env), list(cfg.commands)) == (want["image"], want["env"], want["commands"])
    assert cfg.get("env.K\ufffd\ufffd\ufffd") == "\udc00"
    assert cfg.to_dict("minimal")["image"] == "nginx\udd00"
    assert '"nginx\\udd00"' in cfg.to_json()
    assert yaml.safe_load(cfg.to_yaml("minimal"))["env"] == want["env"]
    assert dstackcfg.loads(cfg.to_json(), format="json") == cfg
    assert "nginx\\udd00" in repr(cfg)


def test_typed_fields_of_a_rich_configuration() -> None:
    text = """\
type: service
name: rich
python: 3.10
port: 8080:8000
env:
  - HF_TOKEN
  - MODE=prod
commands: [python app.py]
replicas: 1..4
scaling: {metric: rps, target: 10}
resources:
  gpu: A100:80GB:2
  disk: 200GB..
  cpu: arm:4..8
  shm_size: 16GB
probes:
  - type: http
    url: /health
    headers: [{name: X-A, value: b}]
rate_limits:
  - prefix: /v1
    rps: 5
    key: {type: header, header: X-User}
volumes:
  - my-vol:/data
  - /host/cache:/cache
files: [./src:/app/src]
repos: [.]
retry: {on_events: [no-capacity], duration: 1h}
max_duration: off
stop_duration: 10m
gateway: org/gw
registry_auth: {username: u, password: secret}
tags: {team: ml}
utilization_policy: {min_gpu_utilization: 10, time_window: 1h}
schedule: {cron: "0 8 * * *"}
fleets: [f1, other/f2]
instances: [{name: i1}, {hostname: 10.0.0.1}, {fleet: f1, instance: 2}]
backend_options: [{type: vastai, offer_order: price}]
model:
  format: tgi
  name: m
"""
    cfg = dstackcfg.loads(text)
    assert cfg.python == "3.10"
    assert cfg.port == dstackcfg.PortMapping(8000, 8080)
    assert dict(cfg.env) == {"HF_TOKEN": None, "MODE": "prod"}
    assert cfg.commands == ("python app.py",)
    assert cfg.replicas == dstackcfg.IntRange(1, 4)
    assert cfg.scaling is not None and cfg.scaling.target == 10.0 and cfg.scaling.metric == "rps"
    gpu = cfg.resources.gpu
    assert gpu is not None
    assert gpu.name == ("A100",) and gpu.count == dstackcfg.IntRange(2, 2)
    assert gpu.memory == dstackcfg.SizeRange(80.0, 80.0)
    assert cfg.resources.disk == dstackcfg.DiskSpec(dstackcfg.SizeRange(200.0, None))
    assert cfg.resources.cpu == dstackcfg.CPUSpec("arm", dstackcfg.IntRange(4, 8))
    assert cfg.resources.shm_size == 16.0
    assert cfg.probes is not None and cfg.probes[0].url == "/health"
    assert cfg.probes[0].headers == (dstackcfg.ProbeHeader("X-A", "b"),)
    assert cfg.rate_limits[0].key == dstackcfg.RateLimitKey("header", "X-User")
    assert cfg.rate_limits[0].rps == 5.0
    assert cfg.volumes == (dstackcfg.NetworkVolume("my-vol", "/data"),
                           dstackcfg.InstanceVolume("/host/cache", "/cache", False))
    assert cfg.files == (dstackcfg.FileMapping("./src", "/app/src"),)
    assert cfg.repos[0].local_path == "." and cfg.repos[0].path == "."
    assert cfg.retry == dstackcfg.Retry(("no-capacity",), 3600)
    assert cfg.max_duration == "off"
    assert cfg.stop_duration == 600
    assert cfg.gateway == dstackcfg.EntityReference("gw", "org")
    assert cfg.registry_auth == dstackcfg.RegistryAuth("u", "secret")
    assert "secret" not in repr(cfg.registry_auth)
    assert cfg.tags is not None and dict(cfg.tags) == {"team": "ml"}
    assert cfg.utilization_policy == dstackcfg.UtilizationPolicy(10, 3600)
    assert cfg.schedule == dstackcfg.Schedule(("0 8 * * *",))
    assert cfg.fleets == (dstackcfg.EntityReference("f1"), dstackcfg.EntityReference("f2", "other"))
    assert cfg.instances == (dstackcfg.InstanceName("i1"), dstackcfg.InstanceHostname("10.0.0.1"),
                             dstackcfg.FleetInstance(dstackcfg.EntityReference("f1"), 2))
    assert cfg.backend_options == (dstackcfg.VastAIOptions("vastai", "price", None, None),)
    assert cfg.model == dstackcfg.TGIModel("m")
    assert cfg.type == "service"
    assert cfg.auth is True and cfg.strip_prefix is True and cfg.privileged is False
    assert cfg.https is None and cfg.priority is None and cfg.home_dir == "/root"
    # read-only and frozen
    with pytest.raises(AttributeError):
        cfg.name = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        cfg.port.container_port = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        cfg.env["X"] = "y"  # type: ignore[index]


def test_every_root_field_is_a_property() -> None:
    cfg = dstackcfg.loads(SVC)
    d = cfg.to_dict()
    for key in d:
        assert isinstance(getattr(type(cfg), key), property), key
        getattr(cfg, key)
    assert cfg.groups is None and cfg.model is None and cfg.probes is None


def test_groups_and_openai_model() -> None:
    cfg = dstackcfg.loads("""\
type: service
port: 80
model: meta/llama
replicas:
  - name: a
    count: 1..2
    commands: [serve]
    scaling: {metric: rps, target: 2}
  - count: 1
    commands: [serve]
    router: {type: smg}
""")
    assert cfg.model == dstackcfg.OpenAIModel("meta/llama", "/v1")
    assert cfg.groups is not None and len(cfg.groups) == 2
    g0, g1 = cfg.groups
    assert g0.name == "a" and g0.replicas == dstackcfg.IntRange(1, 2) and g0.commands == ("serve",)
    assert g1.router == dstackcfg.Router("sglang")  # dstack keeps the former name
    assert isinstance(g0.resources, dstackcfg.Resources)


def test_views_and_serialization() -> None:
    cfg = dstackcfg.load(LLM)
    d = cfg.to_dict()
    assert d == cfg.to_dict("dstack") == json.loads(cfg.to_json()) == json.loads(cfg.to_json(indent=4))
    assert d["port"] == {"local_port": 80, "container_port": 8000}
    assert d["probes"] is None
    eff = cfg.to_dict("effective")
    assert eff["https"] == "auto" and eff["probes"]  # the default probe of an OpenAI model
    mini = cfg.to_dict("minimal")
    assert mini["port"] == 8000 and "probes" not in mini
    assert cfg.to_json(indent=2).startswith('{\n  "port": {')
    assert yaml.safe_load(cfg.to_yaml()) == d
    assert yaml.safe_load(cfg.to_yaml("minimal")) == mini
    assert dstackcfg.loads(cfg.to_yaml("minimal")) == cfg
    assert dstackcfg.loads(cfg.to_json()) == cfg
    d["name"] = "mutated"  # a fresh dict each call
    assert cfg.to_dict()["name"] == "llama-endpoint"
    with pytest.raises(ValueError, match="view"):
        cfg.to_dict("full")  # type: ignore[arg-type]


def test_equality_compares_the_dstack_view() -> None:
    a = dstackcfg.loads(SVC)
    b = dstackcfg.loads("type: service\nport: 8000\nimage: nginx\nname: web\nauth: true\n")
    c = dstackcfg.loads(SVC.replace("web", "other"))
    assert a == b and a != c
    assert a != object() and (a == 1) is False
    with pytest.raises(TypeError):
        hash(a)


def test_get_by_path() -> None:
    cfg = dstackcfg.load(LLM)
    assert cfg.get("port.container_port") == 8000
    assert cfg.get("env.MODEL_ID") == "meta-llama/Llama-3.1-8B-Instruct"
    assert cfg.get("env.HF_TOKEN") == {"key": "HF_TOKEN"}
    assert cfg.get("resources.cpu.count") == {"min": 2, "max": None}
    assert cfg.get("commands[0]").startswith("vllm serve")
    assert cfg.get("nope") is None and cfg.get("nope", 5) == 5
    assert cfg.get("resources") == cfg.to_dict()["resources"]


def test_builder_new_set_unset_validate() -> None:
    cfg = ServiceConfig.new()
    assert repr(cfg) == "<ServiceConfig (not valid yet)>"
    assert not cfg.is_valid()
    with pytest.raises(ConfigError) as e:
        cfg.validate()
    assert {d.code for d in e.value.diagnostics} >= {"required"}
    with pytest.raises(ConfigError):
        cfg.to_dict()
    cfg.set("port", 8000)
    cfg.set("image", "nginx")
    cfg.set("resources.gpu", "A100:80GB:2")
    cfg.set("replicas", "1..3")
    cfg.set("scaling", {"metric": "rps", "target": 2.5})
    cfg.set("env", {"A": "1", "B": "x y"})
    cfg.set("commands", ["echo hi", "serve"])
    cfg.set("python", "3.10")
    with pytest.raises(ConfigError) as e:  # image and python conflict
        cfg.validate()
    assert e.value.diagnostics[0].code == "conflict"
    cfg.unset("python")
    cfg.set("auth", False)
    cfg.set("max_price", 1.5)
    cfg.set("name", None)
    cfg.validate()
    assert cfg.diagnostics() == []
    assert cfg.is_valid()
    assert cfg.port.container_port == 8000
    assert cfg.resources.gpu is not None and cfg.resources.gpu.count == dstackcfg.IntRange(2, 2)
    assert cfg.replicas == dstackcfg.IntRange(1, 3)
    assert cfg.scaling is not None and cfg.scaling.target == 2.5
    assert dict(cfg.env) == {"A": "1", "B": "x y"}
    assert cfg.auth is False and cfg.max_price == 1.5
    assert repr(cfg) == "<ServiceConfig name=None image='nginx' port=8000>"
    again = dstackcfg.loads(cfg.to_yaml("minimal"))
    assert again == cfg


def test_set_yaml_text() -> None:
    cfg = dstackcfg.loads(SVC)
    cfg.set_yaml("env", "- HF_TOKEN\n- MODEL=x\n")
    assert dict(cfg.env) == {"HF_TOKEN": None, "MODEL": "x"}
    cfg.set_yaml("nvcc", "off")
    assert cfg.nvcc is False
    with pytest.raises(ParseError):
        cfg.set_yaml("env", "[unclosed")


def test_bad_value_raises_and_leaves_the_object_unchanged() -> None:
    cfg = dstackcfg.load(LLM)
    before = cfg.to_json()
    port = cfg.port
    for path, value in [("port", 70000), ("resources.gpu", "A100:lots"), ("replicas", "2.."),
                        ("spot_policy", "cheap"), ("env", 5), ("imgae", "x"), ("port", 2 ** 70)]:
        with pytest.raises(ConfigError) as e:
            cfg.set(path, value)
        assert e.value.diagnostics, path
        assert cfg.to_json() == before, path
        assert cfg.port == port
    with pytest.raises(ValueError):
        cfg.set("a..b", 1)
    with pytest.raises(TypeError):
        cfg.set("port", object())
    with pytest.raises(TypeError):
        cfg.set(5, 1)  # type: ignore[arg-type]
    assert cfg.to_json() == before


def test_unset_restores_defaults() -> None:
    cfg = dstackcfg.load(LLM)
    cfg.unset("auth")
    cfg.unset("model")
    cfg.unset("not_set_anyway")
    assert cfg.auth is True and cfg.model is None
    cfg.set("probes", [{"type": "http", "url": "/a"}, {"type": "http", "url": "/b"}])
    cfg.unset("probes[0]")
    assert cfg.probes is not None and [p.url for p in cfg.probes] == ["/b"]


def test_diagnostics_on_errors() -> None:
    text = "type: service\nport: 70000\nimage: x\npython: 3.10\nimgae: 1\n"
    with pytest.raises(ConfigError) as e:
        dstackcfg.loads(text, source_name="svc.yml")
    err = e.value
    assert isinstance(err, ValueError)
    assert [(d.line, d.column, d.code, d.path) for d in err.diagnostics] == [
        (2, 7, "invalid-value", "port"), (4, 9, "conflict", "python"), (5, 1, "unknown-field", "imgae")]
    d0 = err.diagnostics[0]
    assert d0.severity == "error" and d0.is_error and d0.source == "svc.yml"
    assert d0.message == "must be less than or equal to 65535, got 70000"
    assert str(d0) == "svc.yml:2:7: error: port: must be less than or equal to 65535, got 70000 [invalid-value]"
    assert str(err).startswith(str(d0)) and "2 more" in str(err)
    assert err.status == -2
    assert 'did you mean "image"' in err.diagnostics[2].message


def test_parse_error_is_syntax_error_like() -> None:
    with pytest.raises(ParseError) as e:
        dstackcfg.loads("type: service\nport: [80\n", source_name="bad.yml")
    err = e.value
    assert isinstance(err, ConfigError)
    assert err.filename == "bad.yml" and err.lineno >= 2 and err.offset >= 1 and err.msg
    assert err.diagnostics[0].code == "syntax"
    with pytest.raises(ParseError) as e:
        dstackcfg.loads(b"type: service\nname: \xff\xfe\nport: 80\nimage: x\n")
    assert e.value.diagnostics[0].code == "encoding"
    with pytest.raises(ParseError):
        dstackcfg.loads("type: service\nname: \udcff\nport: 80\nimage: x\n")


def test_limit_error() -> None:
    big = "type: service\nport: 80\nimage: x\ncommands:\n" + "".join(f"  - echo {i}\n" for i in range(200))
    with pytest.raises(LimitError) as e:
        dstackcfg.loads(big, max_input_bytes=100)
    assert e.value.diagnostics[0].code == "limit"
    with pytest.raises(LimitError):
        dstackcfg.loads(big, max_nodes=50)
    with pytest.raises(LimitError):
        dstackcfg.loads("type: service\nport: 80\nimage: x\nenv: {A: {B: {C: {D: 1}}}}\n", max_depth=2)
    with pytest.raises(ValueError, match="max_depth"):
        dstackcfg.loads(big, max_depth=0)
    assert len(dstackcfg.loads(big).commands) == 200


def test_not_a_service_and_unknown_modes() -> None:
    with pytest.raises(ConfigError) as e:
        dstackcfg.loads("type: task\ncommands: [x]\n")
    assert e.value.diagnostics[0].code == "not-a-service"
    text = SVC + "future_field: 1\n"
    with pytest.raises(ConfigError):
        dstackcfg.loads(text)
    cfg = dstackcfg.loads(text, unknown="warn")
    assert [d.code for d in cfg.warnings] == ["unknown-field"]
    assert dstackcfg.loads(text, unknown="ignore").warnings == ()


def test_duplicate_keys_warn_and_strict() -> None:
    text = "type: service\nport: 80\nport: 81\nimage: x\n"
    cfg = dstackcfg.loads(text, source_name="d.yml")
    assert cfg.port.container_port == 81  # the last value wins, as in dstack
    (w,) = cfg.warnings
    assert (w.severity, w.code, w.path, w.line, w.related_line) == ("warning", "duplicate-key", "", 3, 2)  # reported on the mapping
    assert str(w).startswith("d.yml:3:1: warning: ")
    with pytest.warns(dstackcfg.ConfigWarning, match="duplicate key"):
        dstackcfg.loads(text, warn=True)
    with pytest.warns(dstackcfg.ConfigWarning) as rec:
        cfg.warn()
    assert isinstance(rec[0].message, dstackcfg.ConfigWarning) and rec[0].message.diagnostic == w
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dstackcfg.loads(text)  # no warnings unless asked for
    with pytest.raises(ConfigError) as e:
        dstackcfg.loads(text, strict_duplicates=True)
    assert e.value.diagnostics[0].code == "duplicate-key"


def test_check_returns_diagnostics(tmp_path: pathlib.Path) -> None:
    assert dstackcfg.check(LLM) == []
    assert dstackcfg.check(str(LLM)) == []
    with open(LLM, "rb") as f:
        assert dstackcfg.check(f) == []
    bad = "type: service\nport: 70000\nimage: x\n"
    diags = dstackcfg.check(bad)
    assert [d.code for d in diags] == ["invalid-value"] and diags[0].source == "<input>"
    assert dstackcfg.check(bad.encode(), source_name="s.yml")[0].source == "s.yml"
    assert dstackcfg.check("type: service\nport: [\n")[0].code == "syntax"
    p = tmp_path / "dup.yml"
    p.write_text("type: service\nport: 80\nport: 81\nimage: x\n")
    (w,) = dstackcfg.check(p)
    assert w.severity == "warning" and w.source == str(p)
    assert dstackcfg.check(p, strict_duplicates=True)[0].severity == "error"
    with pytest.raises(FileNotFoundError):
        dstackcfg.check(tmp_path / "missing.yml")


def test_close_and_context_manager() -> None:
    with dstackcfg.load(LLM) as cfg:
        assert not cfg.closed
        assert cfg.port.container_port == 8000
    assert cfg.closed
    assert repr(cfg) == "<ServiceConfig (closed)>"
    for op in (lambda: cfg.port, lambda: cfg.name, lambda: cfg.to_dict(), lambda: cfg.to_json(),
               lambda: cfg.to_yaml(), lambda: cfg.set("port", 1), lambda: cfg.unset("port"),
               lambda: cfg.validate(), lambda: cfg.get("port"), lambda: cfg.warnings,
               lambda: cfg == cfg, lambda: cfg.copy(), lambda: cfg.__enter__()):
        with pytest.raises(ValueError, match="closed"):
            op()
    cfg.close()  # twice is fine
    other = dstackcfg.load(LLM)
    with pytest.raises(ValueError, match="closed"):
        other == cfg  # noqa: B015
    with pytest.raises(TypeError):
        ServiceConfig()


def test_copy_and_pickle() -> None:
    cfg = dstackcfg.load(LLM)
    for other in (cfg.copy(), copy.copy(cfg), copy.deepcopy(cfg), pickle.loads(pickle.dumps(cfg))):
        assert other == cfg and other is not cfg
        assert other.to_dict("minimal") == cfg.to_dict("minimal")
    c = cfg.copy()
    c.set("name", "changed")
    assert cfg.name == "llama-endpoint" and c.name == "changed"


def test_versions_and_library() -> None:
    assert dstackcfg.library_version.count(".") == 2
    assert dstackcfg.dstack_version == "0.22.5"
    assert dstackcfg.__version__ == "0.1.0"
    assert "dstackcfg" in dstackcfg.library_path


def test_setters_type_round_trip() -> None:
    cfg = dstackcfg.loads(SVC)
    cfg.set("env", {"F": "1e5", "Q": "yes", "N": "null", "U": "ünï", "E": ""})
    assert dict(cfg.env) == {"F": "1e5", "Q": "yes", "N": "null", "U": "ünï", "E": ""}
    cfg.set("scaling", {"metric": "rps", "target": 1e20})
    assert cfg.scaling is not None and cfg.scaling.target == 1e20
    cfg.set("commands", ("a", "b: c", "#not a comment"))
    assert cfg.commands == ("a", "b: c", "#not a comment")
    with pytest.raises(TypeError):
        cfg.set("env", {1: "x"})
