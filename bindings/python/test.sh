#!/usr/bin/env bash
# Tests of the Python binding, after the C build (meson setup build && ninja -C build):
#   1. mypy --strict on the package and on examples/python;
#   2. `python -m build bindings/python`: sdist, then the wheel from the sdist
#      (meson dist packs the committed tree: commit before expecting changes in it);
#   3. pytest: API, golden cases, the CLI in every view, dstack's model_dump,
#      memory, threads, library lookup, python -m dstackcfg, examples/python
#      (as examples/meson.build checks the C ones), and the wheel installed
#      into a fresh venv (build tree out of reach);
#   4. the API tests again against the installed wheel (its shipped library);
#   5. `pip install bindings/python` from a fresh copy of the committed tree
#      into a fresh venv, then the README's one-liner;
#   6. bench.py: the figures, printed (a measurement, never a failure).
# Venvs live in the build directory: py-venv (tools, reused), py-wheel-venv and
# py-pip-venv (recreated). dstack comes from $DSTACKCFG_DSTACK_PYTHON or
# tests/conformance/run.py --setup-venv (DSTACKCFG_PY_NO_DSTACK=1 skips it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(mkdir -p "${DSTACKCFG_BUILD_DIR:-$repo/build}" && cd "${DSTACKCFG_BUILD_DIR:-$repo/build}" && pwd)
python=${PYTHON:-python3}
lib=$build/lib/libdstackcfg.so
if [ ! -f "$lib" ]; then
    echo "bindings/python/test.sh: $lib is missing; build the library first (meson setup build && ninja -C build)" >&2
    exit 2
fi
unset DSTACKCFG_LIBRARY PYTHONPATH
export DSTACKCFG_BUILD_DIR=$build PIP_DISABLE_PIP_VERSION_CHECK=1

tools=$build/py-venv
stamp=$tools/.tools-$(cksum < "$here/tests/requirements.txt" | cut -d' ' -f1)
if [ ! -f "$stamp" ]; then
    echo "== python tools venv: $tools"
    rm -rf "$tools"
    "$python" -m venv "$tools"
    "$tools/bin/python" -m pip install -q -r "$here/tests/requirements.txt"
    touch "$stamp"
fi
tpy=$tools/bin/python

if [ -z "${DSTACKCFG_DSTACK_PYTHON:-}" ] && [ "${DSTACKCFG_PY_NO_DSTACK:-0}" != 1 ]; then
    echo "== dstack for the comparisons (tests/conformance/run.py --setup-venv)"
    DSTACKCFG_DSTACK_PYTHON=$("$python" "$repo/tests/conformance/run.py" --setup-venv | tail -n 1)
fi
export DSTACKCFG_DSTACK_PYTHON=${DSTACKCFG_DSTACK_PYTHON:-}

echo "== mypy --strict (the package and examples/python)"
(cd "$here" && "$tpy" -m mypy --strict --cache-dir "$build/py-mypy-cache" src/dstackcfg)
(cd "$here" && MYPYPATH=src "$tpy" -m mypy --strict --cache-dir "$build/py-mypy-cache" "$repo/examples/python")

echo "== python -m build bindings/python"
dist=$build/py-dist
rm -rf "$dist"
if git -C "$here" ls-files --error-unmatch meson.build > /dev/null 2>&1; then
    "$tpy" -m build "$here" --outdir "$dist" -Ccompile-args=-j1 > "$build/py-build.log" 2>&1 \
        || { tail -n 40 "$build/py-build.log"; exit 1; }
else  # not a git checkout: no sdist (meson dist needs one), the wheel alone
    "$tpy" -m build --wheel "$here" --outdir "$dist" -Ccompile-args=-j1 > "$build/py-build.log" 2>&1 \
        || { tail -n 40 "$build/py-build.log"; exit 1; }
fi
wheel=$(ls "$dist"/dstackcfg-*.whl)
echo "built $(cd "$dist" && ls | tr '\n' ' ')($(du -k "$wheel" | cut -f1) KiB wheel)"

echo "== pytest (package from src/, library $lib)"
DSTACKCFG_LIBRARY=$lib DSTACKCFG_TEST_WHEEL=$wheel \
    "$tpy" -m pytest -q -p no:cacheprovider "$here/tests"

echo "== API tests against the installed wheel"
wvenv=$build/py-wheel-venv
rm -rf "$wvenv"
"$python" -m venv "$wvenv"
"$wvenv/bin/python" -m pip install -q --no-index "$wheel"
site=$("$wvenv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
(cd "$build" && DSTACKCFG_TEST_INSTALLED=1 PYTHONPATH=$site \
    "$tpy" -m pytest -q -p no:cacheprovider "$here/tests/test_api.py" "$here/tests/test_threads.py")
(cd /tmp && "$wvenv/bin/python" -I -c 'import dstackcfg, sys; assert dstackcfg.library_path.startswith(sys.prefix); print("wheel venv uses", dstackcfg.library_path)')

echo "== pip install bindings/python from a fresh copy of the repository"
copy=$(mktemp -d "${TMPDIR:-/tmp}/dstackcfg-py.XXXXXX")
trap 'rm -rf "$copy"' EXIT
if git -C "$repo" rev-parse HEAD > /dev/null 2>&1; then
    git -C "$repo" archive HEAD | tar -x -C "$copy"
else
    (cd "$repo" && tar --exclude=./build -cf - .) | tar -x -C "$copy"
fi
pvenv=$build/py-pip-venv
rm -rf "$pvenv"
"$python" -m venv "$pvenv"
"$pvenv/bin/python" -m pip install -q --config-settings=compile-args=-j1 "$copy/bindings/python" \
    > "$build/py-pip.log" 2>&1 || { tail -n 40 "$build/py-pip.log"; exit 1; }
(cd "$copy" && "$pvenv/bin/python" -c "import dstackcfg; print(dstackcfg.load('examples/llm-endpoint.dstack.yml').port)")

corpus=$repo/../shared/corpus/dstack-docs
if [ -z "$DSTACKCFG_DSTACK_PYTHON" ] || [ ! -d "$corpus" ]; then
    echo "== bench.py skipped (needs dstack and $corpus)"
else
    echo "== bench.py (figures only)"
    # the wheel's library: the release build users get
    DSTACKCFG_LIBRARY=$("$wvenv/bin/python" -I -c 'import dstackcfg; print(dstackcfg.library_path)') \
        "$DSTACKCFG_DSTACK_PYTHON" "$here/bench.py" --rounds 3 --corpus "$corpus" --json "$build/py-bench.json"
fi
echo "python binding: all tests passed"
