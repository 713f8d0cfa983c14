"""ServiceConfig.diff(): changes, update classes, the verdict, normalization."""

from __future__ import annotations

import dataclasses

import pytest

import dstackcfg
from dstackcfg import Change, ConfigError, Diff

BASE = "type: service\nport: 8000\ncommands: [serve]\n"


def test_no_change_between_spellings() -> None:
    a = dstackcfg.loads(BASE + "resources: {gpu: 24GB}\nenv: [A=1, B=2]\n")
    b = dstackcfg.loads("commands: [serve]\nenv: {B: '2', A: '1'}\nport: '8000'\n"
                        "resources: {gpu: {memory: 24GB}}\ntype: service\n")
    d = a.diff(b)
    assert d == Diff(changes=(), verdict="none")
    assert not d and len(d) == 0


def test_changes_carry_values_and_classes() -> None:
    a = dstackcfg.loads(BASE + "env: {A: x, GONE: y}\n")
    b = dstackcfg.loads(BASE + "env: {A: z}\nreplicas: 2\nauth: false\n")
    d = a.diff(b)
    assert d.verdict == "restart"
    by_path = {c.path: c for c in d.changes}
    assert by_path["replicas"] == Change(path="replicas", update="in-place", old=None,
                                         new={"min": 2, "max": 2}, old_present=True,
                                         new_present=True, reason=None)
    assert by_path["env.A"].update == "rolling"
    assert (by_path["env.A"].old, by_path["env.A"].new) == ("x", "z")
    assert by_path["env.GONE"].new_present is False
    assert by_path["env.GONE"].old == "y"
    assert by_path["auth"].update == "restart"
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.verdict = "none"  # type: ignore[misc]


def test_special_case_has_a_reason() -> None:
    d = dstackcfg.loads(BASE).diff(dstackcfg.loads(BASE + "https: true\n"))
    assert d.verdict == "in-place"
    assert d.changes[0].reason


def test_verdict_strongest() -> None:
    a = dstackcfg.loads(BASE)
    assert a.diff(dstackcfg.loads(BASE + "priority: 3\n")).verdict == "in-place"
    assert a.diff(dstackcfg.loads(BASE + "priority: 3\nimage: x\n")).verdict == "rolling"


def test_built_config_that_does_not_validate_raises() -> None:
    a = dstackcfg.loads(BASE)
    b = dstackcfg.ServiceConfig.new()
    with pytest.raises(ConfigError):
        a.diff(b)
    with pytest.raises(TypeError):
        a.diff("type: service")  # type: ignore[arg-type]
    a.close()
    with pytest.raises(ValueError):
        a.diff(dstackcfg.loads(BASE))
