#!/bin/sh
# Fails when the shared library exports a symbol without the dcfg_ prefix.
lib="$1"
bad=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^dcfg_' | grep -v '^DCFG_0$' || true)
count=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -c '^dcfg_')
if [ -n "$bad" ]; then
    echo "unexpected exports:"; echo "$bad"; exit 1
fi
[ "$count" -gt 20 ] || { echo "too few dcfg_ exports ($count)"; exit 1; }
echo "exports: $count dcfg_ symbols, nothing else"
