#!/bin/sh
# The benchmark runs and prints its tables: one round of the corpus table,
# the scaling table at 1 KB, and (with --callgrind) the instruction counts.
# No figure is checked, only that each run exits 0 and prints its rows.
#   bench/smoke.sh BENCH [--callgrind]
set -eu
bench=$1
out=$("$bench" --rounds 1)
printf '%s\n' "$out"
for row in '^operation ' '^fy_events ' '^yaml_load ' '^json_load ' '^emit_json ' '^minimal ' '^effective ' '2-thread/1-thread'; do
    printf '%s\n' "$out" | grep -q "$row" || { echo "bench smoke: no row matching '$row'" >&2; exit 1; }
done
out=$("$bench" --scale --sizes 1k --rounds 1)
printf '%s\n' "$out"
for shape in commands env probes replicas volumes rate_limits mixed; do
    printf '%s\n' "$out" | grep -q "^$shape " || { echo "bench smoke: no scaling row for $shape" >&2; exit 1; }
done
if [ "${2:-}" = "--callgrind" ]; then
    out=$("$(dirname "$0")/callgrind.sh" "$bench" -- --ops fy_build,yaml_load)
    printf '%s\n' "$out"
    printf '%s\n' "$out" | grep -q '^yaml_load .*fy_build' || { echo "bench smoke: no callgrind row" >&2; exit 1; }
fi
echo "bench smoke: ok"
