#!/usr/bin/env bash
# Main job: check every example, then print each one normalized.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
bin=build/cli/dstackcfg
"$bin" --version
"$bin" check examples/*.yml
echo "check: all examples valid"
for f in examples/*.yml; do
    echo "== $f"
    "$bin" normalize "$f"
done
