"""Same results as the command line tool and as dstack itself.

- golden cases (tests/cases): expected.json byte for byte from to_json(indent=2),
  expected.diag from check();
- examples, corpus (../shared/corpus/dstack-docs, skipped when absent) and
  golden inputs: to_dict(view) equals `dstackcfg normalize --view VIEW` for
  every view, and check() equals `dstackcfg check --format json`;
- with dstack installed (tests/conformance/run.py --setup-venv): every input
  dstack accepts gives to_dict() == parse_apply_configuration(yaml.safe_load(text))
  .model_dump(mode="json"), and every input it rejects raises ConfigError.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
from typing import Any, Dict, List

import pytest

from conftest import case_dirs, case_input, cli_binary, corpus_files, example_files

import dstackcfg

VIEWS = ("dstack", "effective", "minimal")


def _load(path: pathlib.Path) -> dstackcfg.ServiceConfig:
    return dstackcfg.load(path)


def _ids(paths: List[pathlib.Path]) -> List[str]:
    return [p.parent.name if p.name.startswith("input.") else p.name for p in paths]


GOLDEN_JSON = [d for d in case_dirs() if (d / "expected.json").exists()]
GOLDEN_DIAG = [d for d in case_dirs() if (d / "expected.diag").exists()]
ALL_INPUTS = example_files() + corpus_files() + [case_input(d) for d in case_dirs()]


@pytest.mark.parametrize("case", GOLDEN_JSON, ids=[d.name for d in GOLDEN_JSON])
def test_golden_expected_json(case: pathlib.Path) -> None:
    with _load(case_input(case)) as cfg:
        want = (case / "expected.json").read_text(encoding="utf-8")
        assert cfg.to_json(indent=2) + "\n" == want
        assert cfg.to_dict() == json.loads(want)


@pytest.mark.parametrize("case", GOLDEN_DIAG, ids=[d.name for d in GOLDEN_DIAG])
def test_golden_expected_diag(case: pathlib.Path) -> None:
    got = [f"{d.line}:{d.column} {d.code} {d.path or '-'}" + (" warning" if d.severity == "warning" else "")
           for d in dstackcfg.check(case_input(case))]
    want = [ln.strip() for ln in (case / "expected.diag").read_text().splitlines() if ln.strip()]
    assert got == want
    if any(not w.endswith(" warning") for w in want):
        with pytest.raises(dstackcfg.ConfigError):
            _load(case_input(case))


def _cli_results(files: List[pathlib.Path]) -> Dict[str, Dict[str, Any]]:
    binary = cli_binary()
    if binary is None:
        pytest.skip("no dstackcfg command (build/cli/dstackcfg)")
    out: Dict[str, Dict[str, Any]] = {}
    for f in files:
        res: Dict[str, Any] = {}
        r = subprocess.run([str(binary), "check", "--format", "json", str(f)], capture_output=True)
        res["check"] = (r.returncode, json.loads(r.stdout))
        if r.returncode == 0:
            for v in VIEWS:
                n = subprocess.run([str(binary), "normalize", "--view", v, str(f)], capture_output=True)
                assert n.returncode == 0, n.stderr
                res[v] = json.loads(n.stdout)
        out[str(f)] = res
    return out


@pytest.fixture(scope="module")
def cli_results() -> Dict[str, Dict[str, Any]]:
    return _cli_results(ALL_INPUTS)


def test_inputs_were_found() -> None:
    assert len(example_files()) >= 4
    assert len(case_dirs()) >= 100


def test_corpus_present_or_skipped() -> None:
    if not corpus_files():
        pytest.skip("../shared/corpus/dstack-docs not present")
    assert len(corpus_files()) >= 100


@pytest.mark.parametrize("path", ALL_INPUTS, ids=_ids(ALL_INPUTS))
def test_same_as_cli_in_every_view(path: pathlib.Path, cli_results: Dict[str, Dict[str, Any]]) -> None:
    want = cli_results[str(path)]
    rc, diags = want["check"]
    got = [{"source": d.source, "line": d.line, "column": d.column, "severity": d.severity,
            "code": d.code, "path": d.path, "message": d.message} for d in dstackcfg.check(path)]
    assert got == diags
    if rc != 0:
        with pytest.raises(dstackcfg.ConfigError):
            _load(path)
        return
    with _load(path) as cfg:
        for v in VIEWS:
            assert cfg.to_dict(v) == want[v], v  # type: ignore[arg-type]
            # same key order too
            assert json.dumps(cfg.to_dict(v)) == json.dumps(want[v]), v  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ALL_INPUTS, ids=_ids(ALL_INPUTS))
def test_same_as_dstack(path: pathlib.Path, dstack_dumps: Dict[str, Dict[str, Any]]) -> None:
    verdict = dstack_dumps[str(path)]
    if verdict["valid"]:
        with _load(path) as cfg:
            assert cfg.to_dict() == verdict["dump"]
            with dstackcfg.loads(cfg.to_yaml("minimal")) as again:
                assert again == cfg
    else:
        with pytest.raises(dstackcfg.ConfigError):
            _load(path)


def test_dstack_accepted_a_fair_share(dstack_dumps: Dict[str, Dict[str, Any]]) -> None:
    valid = sum(1 for v in dstack_dumps.values() if v["valid"])
    assert valid >= 100, valid
