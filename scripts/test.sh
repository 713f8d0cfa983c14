#!/usr/bin/env bash
# Every test suite: unit (Check), golden cases, CLI, serialization round trips
# and docs checks (meson test); unit, golden and CLI again under valgrind;
# the Python binding's suite; conformance against dstack itself; the Go
# binding's suite; a benchmark smoke run (bench/); then
# scripts/hardening.sh (ASan+UBSan,
# TSan, fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== dstack $(grep -o "DEFAULT_VERSION = .*" tests/conformance/run.py | cut -d'"' -f2) for the conformance and round-trip tests"
# dstack reads back the YAML that the round-trip test emits
DSTACKCFG_DSTACK_PYTHON=$(python3 tests/conformance/run.py --setup-venv | tail -n 1)
export DSTACKCFG_DSTACK_PYTHON

echo "== meson test"
meson test -C build --print-errorlogs

echo "== Python binding"
bindings/python/test.sh

echo "== meson test under valgrind"
vg='valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 -q'
# the sweep of the large configuration emits the dstack view only here: through
# every view it is 2,400 full runs, which valgrind makes minutes (the plain and
# ASan runs sweep every view)
DCFG_SWEEP_VIEWS=dstack meson test -C build --print-errorlogs --suite unit --wrapper "$vg"
# the golden cases and CLI tests run the dstackcfg binary itself under valgrind
DCFG_TEST_WRAPPER="$vg" meson test -C build --print-errorlogs --suite golden --suite cli

echo "== conformance against dstack"
python3 tests/conformance/run.py --dstackcfg build/cli/dstackcfg ${DCFG_CONFORMANCE_ARGS:-}

echo "== conformance tools: comparison logic, generator, run.py against a fake CLI"
DSTACK_PYTHON=$DSTACKCFG_DSTACK_PYTHON build/py-venv/bin/python -m pytest -q -p no:cacheprovider \
    tests/conformance/test_tools.py

echo "== YAML differential: the library's reader against PyYAML's safe_load"
# the YAML test suite, the golden cases, PyYAML's own test data (its source
# distribution fetched once with pip into build/pyyaml-data; skipped with a
# message when pip cannot fetch it) and 1,000 yaml.dump re-emissions; fails on
# a disagreement not in tests/yaml/known-disagreements.txt
"$DSTACKCFG_DSTACK_PYTHON" tests/yaml/differential.py build/tests/yaml-dump --count 1000 \
    --pyyaml-data build/pyyaml-data --known tests/yaml/known-disagreements.txt

echo "== diff verdicts against dstack's own update check"
python3 tests/diff/compare_dstack.py --dstackcfg build/cli/dstackcfg

echo "== JSON Schema against the library's verdicts, with Python's jsonschema"
[ -x build/schema-venv/bin/python ] || python3 -m venv build/schema-venv
build/schema-venv/bin/pip install -q jsonschema PyYAML
build/schema-venv/bin/python tests/schema/check_schema.py build/cli/dstackcfg --count 20000

echo "== SARIF output against the official SARIF 2.1.0 schema"
DCFG_SARIF_SCHEMA=$(tests/fetch_sarif_schema.sh build/sarif | tail -n 1) \
    build/schema-venv/bin/python tests/ci_formats_test.py build/cli/dstackcfg

echo "== pre-commit hooks"
[ -x build/precommit-venv/bin/pre-commit ] || { python3 -m venv build/precommit-venv && build/precommit-venv/bin/pip install -q pre-commit; }
sh tests/precommit_test.sh build/precommit-venv/bin/pre-commit build/cli

echo "== Go binding"
bindings/go/test.sh

echo "== benchmark smoke"
# one round of every table, and the callgrind counts; figures are printed, never checked
meson compile -C build bench
sh bench/smoke.sh build/bench/bench --callgrind

echo "== hardening: ASan+UBSan, TSan, fuzzing"
scripts/hardening.sh

echo "all test suites passed"
