#!/usr/bin/env bash
# Tests of the Go binding, after the C build (meson setup build && ninja -C build):
#   1. gofmt and go vet on the binding, its benchmark module and examples/go;
#   2. GODEBUG=cgocheck=1 go test -race ./... against the build tree: API and
#      error paths, runnable examples, every golden case and the dstack-docs
#      corpus against `dstackcfg normalize` in every view, 8 goroutines,
#      100,000 parse/close cycles counted through the library's allocator;
#   3. examples/go's programs (first, builder, views) built and checked as
#      examples/meson.build checks the C ones, first and views run on every
#      file of examples/, and the Go program of docs/getting-started.md built
#      and run as written there;
#   4. the benchmarks once each (-benchtime 100x): binding, C alone, yaml.v3.
# staticcheck runs when it installs from the module proxy; otherwise skipped.
# The build tree is found through PKG_CONFIG_PATH=$build/meson-uninstalled;
# the test binaries carry an rpath to $build/lib, so nothing needs installing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${DSTACKCFG_BUILD_DIR:-$repo/build}" && pwd)
export PATH=$PATH:/usr/local/go/bin
if ! command -v go > /dev/null; then
    echo "bindings/go/test.sh: go is not installed" >&2
    exit 2
fi
if [ ! -f "$build/lib/libdstackcfg.so" ]; then
    echo "bindings/go/test.sh: $build/lib/libdstackcfg.so is missing; build the library first" >&2
    exit 2
fi
export PKG_CONFIG_PATH=$build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export CGO_LDFLAGS="-Wl,-rpath,$build/lib${CGO_LDFLAGS:+ $CGO_LDFLAGS}"
export DSTACKCFG_BUILD_DIR=$build GOFLAGS=${GOFLAGS:--mod=mod}
mods=("$here" "$here/bench" "$repo/examples/go")

echo "== gofmt"
unformatted=$(gofmt -l "${mods[@]}")
if [ -n "$unformatted" ]; then
    echo "not gofmt-formatted:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
for m in "${mods[@]}"; do (cd "$m" && go vet ./...); done

echo "== staticcheck"
sc=$(go env GOPATH)/bin/staticcheck
if [ -x "$sc" ] || go install honnef.co/go/tools/cmd/staticcheck@v0.8.2 > /dev/null 2>&1; then
    for m in "${mods[@]}"; do (cd "$m" && "$sc" ./...); done
else
    echo "staticcheck could not be installed; skipped"
fi

echo "== go test -race (cgocheck=1)"
# the full -v output goes to $build/go-test.log; the results and t.Logf figures are shown
rc=0
(cd "$here" && GODEBUG=cgocheck=1 go test -race -count=1 -v ./... > "$build/go-test.log" 2>&1) || rc=$?
grep -E '^(--- |ok|FAIL|panic)|_test.go:[0-9]+:' "$build/go-test.log" || true
if [ "$rc" != 0 ]; then
    echo "go test failed (exit $rc); see $build/go-test.log"; exit 1
fi

echo "== examples/go (first, builder, views)"
bin=$build/go-examples
cli=$build/cli/dstackcfg
rm -rf "$bin" && mkdir -p "$bin"
(cd "$repo/examples/go" && go build -o "$bin/" ./...)
# first: the fields of a valid file; every diagnostic, and exit 1, for an invalid one
out=$("$bin/first" "$repo/examples/llm-endpoint.dstack.yml")
[[ $out == "port 8000, image vllm/vllm-openai:latest"$'\n'* ]] || { echo "examples/go/first printed: $out"; exit 1; }
if out=$("$bin/first" "$repo/tests/cases/root-port-too-big/input.yml" 2>&1); then
    echo "examples/go/first accepted tests/cases/root-port-too-big/input.yml"; exit 1
fi
[[ $out == *"[invalid-value]"* ]] || { echo "examples/go/first printed no [invalid-value]: $out"; exit 1; }
# builder: its YAML passes `dstackcfg check` and `dstackcfg fmt --check`
"$bin/builder" > "$bin/builder-output.dstack.yml"
"$cli" check "$bin/builder-output.dstack.yml"
"$cli" fmt --check "$bin/builder-output.dstack.yml"
# views: the minimal view is what `dstackcfg fmt` prints, less the comments
"$bin/views" "$repo/examples/autoscaling.dstack.yml" > "$bin/views-output.txt"
grep -q '^--- effective (YAML)$' "$bin/views-output.txt" || { echo "examples/go/views printed no effective view"; exit 1; }
sed -n '/^--- minimal/,$p' "$bin/views-output.txt" | tail -n +2 > "$bin/views-output.min"
"$cli" fmt "$repo/examples/autoscaling.dstack.yml" | { grep -v '^#' || true; } | diff -u - "$bin/views-output.min"
for f in "$repo"/examples/*.dstack.yml; do
    "$bin/first" "$f" > /dev/null
    "$bin/views" "$f" > /dev/null
done

echo "== the Go program of docs/getting-started.md"
first=$(mktemp -d)
trap 'rm -rf "$first"' EXIT
sed -n '/^## A first program in Go/,/^## /p' "$repo/docs/getting-started.md" |
    awk '/^```go$/ { on = 1; next } /^```$/ { if (on) exit } on' > "$first/main.go"
printf 'module first\n\ngo 1.22\n\nrequire dstackcfg v0.0.0\n\nreplace dstackcfg => %s\n' "$here" > "$first/go.mod"
[ -z "$(gofmt -l "$first/main.go")" ] || { echo "docs/getting-started.md: the Go program is not gofmt-formatted"; exit 1; }
(cd "$first" && go vet . && go build -o "$first/first" .)
out=$("$first/first" "$repo/examples/llm-endpoint.dstack.yml")
got=${out%%$'\n'*}  # the first line (no `| head`: under pipefail its SIGPIPE would fail the run)
[ "$got" = "port 8000, image vllm/vllm-openai:latest" ] || { echo "getting-started Go program printed: $got"; exit 1; }

echo "== benchmarks (smoke, -benchtime 100x)"
(cd "$here" && go test -run '^$' -bench . -benchmem -benchtime 100x . | grep -E '^(Benchmark|ok)')
(cd "$here/bench" && go test -run '^$' -bench . -benchmem -benchtime 100x . | grep -E '^(Benchmark|ok)')
echo "go binding: all tests passed"
