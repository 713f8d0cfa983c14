#!/usr/bin/env bash
# Tests of the Go binding, after the C build (meson setup build && ninja -C build):
#   1. gofmt and go vet on the binding, its benchmark module and examples/go;
#   2. GODEBUG=cgocheck=1 go test -race ./... against the build tree: API and
#      error paths, runnable examples, every golden case and the dstack-docs
#      corpus against `dstackcfg normalize` in every view, 8 goroutines,
#      100,000 parse/close cycles counted through the library's allocator;
#   3. examples/go built and run on examples/, and the Go program of
#      docs/getting-started.md built and run as written there;
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

echo "== examples/go"
(cd "$repo/examples/go" && go build -o "$build/go-check-service" . )
"$build/go-check-service" -view effective "$repo/examples/llm-endpoint.dstack.yml" > /dev/null
"$build/go-check-service" -yaml "$repo"/examples/*.dstack.yml > /dev/null

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
