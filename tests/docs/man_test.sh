#!/bin/sh
# docs/dstackcfg.1 renders with man -l without a warning, and names every
# command of `dstackcfg --help`. usage: man_test.sh DSTACKCFG MANPAGE
cli=$1 page=$2
command -v man >/dev/null 2>&1 || { echo "man not installed: skipped"; exit 77; }
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
[ -z "$warnings" ] || { echo "FAIL man -l warns:"; echo "$warnings"; exit 1; }
text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>/dev/null)
[ -n "$text" ] || { echo "FAIL man -l printed nothing"; exit 1; }
status=0
for cmd in $("$cli" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
    printf '%s\n' "$text" | grep -q "dstackcfg $cmd" || { echo "FAIL the man page lacks 'dstackcfg $cmd'"; status=1; }
done
exit $status
