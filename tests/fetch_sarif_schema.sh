#!/usr/bin/env sh
# Prints the path of the official SARIF 2.1.0 JSON Schema, fetched once into
# DIR (default build/sarif) from the npm registry: Microsoft's SARIF multitool
# package ships it as sarif-2.1.0.json. Installs npm from Debian when missing.
set -eu
dir=${1:-build/sarif}
schema=$dir/sarif-2.1.0.json
if [ ! -s "$schema" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    fi
    mkdir -p "$dir"
    tarball=$(cd "$dir" && npm pack --silent @microsoft/sarif-multitool-linux@5.7.0 | tail -n 1)
    tar -xzf "$dir/$tarball" -C "$dir" --strip-components=1 package/sarif-2.1.0.json
    rm -f "$dir/$tarball"
fi
echo "$schema"
