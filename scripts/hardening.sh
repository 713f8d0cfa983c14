#!/usr/bin/env bash
# Hardening checks (docs/hardening.md), each in its own build folder:
#   1. build-asan   every meson test under AddressSanitizer + UndefinedBehaviorSanitizer
#                   (unit suites with the allocation-failure sweeps, golden cases, CLI,
#                   fuzz corpus replay, the DCFG_ARENA_EXACT sweep over every case)
#   2. build-tsan   the concurrent parse/emit test under ThreadSanitizer
#   3. build-fuzz   libFuzzer harnesses (clang): replay the corpus, then fuzz each
#                   harness for DCFG_FUZZ_SECONDS (default 60; 0 replays only)
#      build        (gcc, made by scripts/setup.sh) the replay main() over the same
#                   corpus under valgrind; without clang this is the only corpus run
# Environment: DCFG_FUZZ_SECONDS, DCFG_FUZZ_TIMEOUT (seconds per input, default 1),
# DCFG_HARDENING_SKIP (space-separated: asan tsan fuzz valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${DCFG_FUZZ_SECONDS:-60}
FUZZ_TIMEOUT=${DCFG_FUZZ_TIMEOUT:-1}
SKIP=" ${DCFG_HARDENING_SKIP:-} "
HARNESSES=(yaml json roundtrip builder)
JOBS=$(nproc 2>/dev/null || echo 2)

skip() { [[ "$SKIP" == *" $1 "* ]]; }

setup() { # setup DIR [meson options...]: configure once, reconfigure when the tree changed
    local dir=$1
    shift
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1

if ! skip asan; then
    echo "== ASan + UBSan: meson test (build-asan)"
    setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Db_lto=false -Dbuildtype=debugoptimized
    ninja -C build-asan >/dev/null
    # the exhaustive sweep over every golden case runs in the plain build (scripts/test.sh);
    # under ASan a sample keeps it to a minute or two
    CK_FORK=no DCFG_SWEEP_STRIDE=${DCFG_SWEEP_STRIDE:-7} \
        meson test -C build-asan --print-errorlogs --num-processes "$JOBS"
fi

if ! skip tsan; then
    echo "== ThreadSanitizer: concurrent parse and emit (build-tsan)"
    setup build-tsan -Db_sanitize=thread -Db_lundef=false -Db_lto=false -Dbuildtype=debugoptimized
    ninja -C build-tsan tests/unit-tests >/dev/null
    tsan_run() {
        CK_FORK=no CK_RUN_SUITE=hardening CK_RUN_CASE=threads \
            TSAN_OPTIONS=halt_on_error=1:exitcode=66 build-tsan/tests/unit-tests
    }
    # Some kernels randomize mappings more than older TSan runtimes accept:
    # retry without address-space randomization then.
    if ! out=$(tsan_run 2>&1); then
        if grep -q "unexpected memory mapping" <<<"$out" && command -v setarch >/dev/null; then
            out=$(setarch "$(uname -m)" -R bash -c "$(declare -f tsan_run); tsan_run" 2>&1) || {
                echo "$out"
                exit 1
            }
        else
            echo "$out"
            exit 1
        fi
    fi
    echo "$out" | tail -n 1
fi

have_libfuzzer() {
    command -v clang >/dev/null 2>&1 || return 1
    local tmp
    tmp=$(mktemp -d)
    printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
        >"$tmp/t.c"
    clang -fsanitize=fuzzer,address,undefined "$tmp/t.c" -o "$tmp/t" >/dev/null 2>&1
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

if ! skip fuzz; then
    if have_libfuzzer; then
        echo "== libFuzzer harnesses (build-fuzz): corpus replay, then ${FUZZ_SECONDS} s each"
        CC=clang CXX=clang++ setup build-fuzz -Dfuzzing=true -Db_lundef=false -Db_lto=false -Dtests=false \
            -Dbuildtype=debugoptimized
        ninja -C build-fuzz "${HARNESSES[@]/#/fuzz/fuzz-}" >/dev/null
        ninja -C build-fuzz fuzz/seeds
        for h in "${HARNESSES[@]}"; do
            exe=build-fuzz/fuzz/fuzz-$h
            corpus=build-fuzz/fuzz/corpus/$h
            seeds=build-fuzz/fuzz/seeds/$h
            mkdir -p "$corpus" build-fuzz/fuzz/artifacts
            log=build-fuzz/fuzz/fuzz-$h.log
            # -runs=0: execute every input of the folders once, then stop
            "$exe" -runs=0 -timeout="$FUZZ_TIMEOUT" "$corpus" "$seeds" >"$log" 2>&1 || {
                tail -n 60 "$log"
                echo "fuzz-$h: corpus replay failed"
                exit 1
            }
            echo "fuzz-$h: corpus replayed ($(grep -o 'INITED.*corp: [0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1 || true) inputs kept)"
            if [ "$FUZZ_SECONDS" -gt 0 ]; then
                "$exe" -dict=fuzz/dstackcfg.dict -max_total_time="$FUZZ_SECONDS" -timeout="$FUZZ_TIMEOUT" \
                    -rss_limit_mb=2048 -print_final_stats=1 \
                    -artifact_prefix=build-fuzz/fuzz/artifacts/"$h"- \
                    "$corpus" "$seeds" >"$log" 2>&1 || {
                    tail -n 80 "$log"
                    echo "fuzz-$h: found a problem; the input is in build-fuzz/fuzz/artifacts/ (add it to" \
                         "fuzz/regressions/$h/ and to tests/unit/api/test_hardening.c once fixed)"
                    exit 1
                }
                runs=$(grep -o 'number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
                cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || echo '?')
                corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || echo '?')
                echo "fuzz-$h: ${FUZZ_SECONDS} s, $runs executions, $cov edges, corpus $corp inputs"
            fi
        done
    else
        echo "== no clang with libFuzzer: corpus replay with the standalone main() only"
    fi
fi

if ! skip valgrind; then
    echo "== corpus replay under valgrind (gcc build)"
    if [ ! -f build/build.ninja ]; then
        meson setup build >/dev/null
    fi
    ninja -C build "${HARNESSES[@]/#/fuzz/fuzz-replay-}" >/dev/null
    ninja -C build fuzz/seeds >/dev/null
    for h in "${HARNESSES[@]}"; do
        inputs=(build/fuzz/seeds/"$h")
        # what fuzzing found so far in this checkout, if anything
        [ -d build-fuzz/fuzz/corpus/"$h" ] && [ -n "$(ls -A build-fuzz/fuzz/corpus/"$h")" ] &&
            inputs+=(build-fuzz/fuzz/corpus/"$h")
        if command -v valgrind >/dev/null 2>&1; then
            valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
                --suppressions=fuzz/valgrind.supp \
                build/fuzz/fuzz-replay-"$h" "${inputs[@]}"
        else
            build/fuzz/fuzz-replay-"$h" "${inputs[@]}"
        fi
    done
fi
echo "hardening checks passed"
