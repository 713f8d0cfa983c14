#!/bin/sh
# Instructions per operation under callgrind: the benchmark runs each
# operation once over every document and dumps its counts under its own label
# (CALLGRIND_ZERO_STATS / CALLGRIND_DUMP_STATS_AT), so each figure is that
# operation alone. Instruction counts are stable under load, unlike wall time.
#
#   bench/callgrind.sh [BENCH] [-- bench options]     corpus table (per document)
#   bench/callgrind.sh [BENCH] -- --scale [--sizes 1k,10k] [--shapes env,probes] [--ops yaml_load]
#                                                    instructions per input byte by shape and size
# BENCH defaults to build/bench/bench.
set -eu
cd "$(dirname "$0")/.."
bench=build/bench/bench
if [ $# -gt 0 ] && [ "$1" != "--" ]; then bench=$1; shift; fi
[ "${1:-}" = "--" ] && shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$bench" --callgrind "$@" >/dev/null 2>"$out/log" ||
    { cat "$out/log" >&2; exit 1; }
python3 - "$out" "$@" <<'PY'
import glob, re, sys
out, args = sys.argv[1], sys.argv[2:]
rows = []
for f in glob.glob(out + "/cg.out.*"):
    desc, total = None, None
    with open(f) as fh:
        for line in fh:
            if line.startswith("desc: Trigger: Client Request: "):
                desc = line.split("Client Request: ", 1)[1].strip()
            elif line.startswith(("summary:", "totals:")):
                total = int(line.split()[1])
    if desc and total is not None:
        kv = dict(x.split("=", 1) for x in desc.split())
        rows.append((int(f.rsplit(".", 1)[1]), kv["op"], kv["set"], int(kv["docs"]), int(kv["bytes"]), total))
rows.sort()
FLOORS = {"yaml_load": "fy_build", "json_load": "json_loads", "emit_json": "json_dumps",
          "emit_yaml": "fy_emit", "minimal": "fy_emit", "effective": "json_dumps"}
if "--scale" in args:
    ops = list(dict.fromkeys(r[1] for r in rows))
    sets = list(dict.fromkeys(r[2] for r in rows))
    by = {(r[2], r[1]): r for r in rows}
    print("instructions per input byte, by shape and size")
    print("%-18s %9s " % ("document", "bytes") + " ".join("%10s" % o for o in ops))
    for s in sets:
        b = next(r[4] for r in rows if r[2] == s)
        print("%-18s %9d " % (s, b) + " ".join("%10.0f" % (by[(s, o)][5] / b) if (s, o) in by else "%10s" % "" for o in ops))
else:
    by = {r[1]: r for r in rows}
    docs, nbytes = rows[0][3], rows[0][4]
    print("%d documents, %d bytes; instructions per document (one pass, callgrind)" % (docs, nbytes))
    print("%-11s %14s %10s %10s %8s" % ("operation", "instr/doc", "instr/byte", "floor", "ratio"))
    for _, op, _, d, b, t in rows:
        fl = FLOORS.get(op)
        ratio = "%.2f" % (t / by[fl][5]) if fl in by else ""
        print("%-11s %14.0f %10.1f %10s %8s" % (op, t / d, t / b, fl or "", ratio))
PY
