#!/bin/sh
# .pre-commit-hooks.yaml through `pre-commit try-repo`: dstackcfg-check fails
# on an invalid file and passes on a valid one; dstackcfg-fmt rewrites a file.
# usage: tests/precommit_test.sh PRE_COMMIT CLI_DIR   (run from the repo root)
set -eu
pc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") clidir=$(cd "$2" && pwd) repo=$(pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t"
git init -q
printf 'type: service\nport: 8000\nimage: nginx\n' > ok.dstack.yml
git add ok.dstack.yml
PATH=$clidir:$PATH "$pc" try-repo "$repo" dstackcfg-check --all-files >log 2>&1 || { cat log; echo "FAIL check on a valid file"; exit 1; }
printf 'type: service\nport: 70000\nimage: x\n' > bad.dstack.yml
git add bad.dstack.yml
if PATH=$clidir:$PATH "$pc" try-repo "$repo" dstackcfg-check --all-files >log 2>&1; then
    cat log; echo "FAIL check passed an invalid file"; exit 1
fi
grep -q 'bad.dstack.yml:2:7: error: port: must be less than or equal to 65535' log || { cat log; exit 1; }
git rm -q --cached bad.dstack.yml && rm bad.dstack.yml
printf 'type: service\nport: "8000"\nimage: nginx\nauth: true\n' > ok.dstack.yml
git add ok.dstack.yml
PATH=$clidir:$PATH "$pc" try-repo "$repo" dstackcfg-fmt --all-files >log 2>&1 || true
[ "$(cat ok.dstack.yml)" = "$(PATH=$clidir:$PATH dstackcfg fmt ok.dstack.yml)" ] && grep -qx 'port: 8000' ok.dstack.yml \
    || { cat log ok.dstack.yml; echo "FAIL fmt hook did not rewrite"; exit 1; }
echo "pre-commit hooks: ok"
