#!/usr/bin/env bash
# Installs what is missing (Debian, as root) and builds into build/.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(meson ninja-build pkg-config gcc g++ clang libclang-rt-14-dev libfyaml-dev libjansson-dev check valgrind
          python3 python3-venv)
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -f build/build.ninja ]; then
    meson setup --reconfigure build >/dev/null   # picks up new golden case folders
else
    meson setup build >/dev/null
fi
ninja -C build >/dev/null
