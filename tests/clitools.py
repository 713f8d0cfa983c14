"""Shared by the command-line test scripts: the binary under test, running it,
and a test case with its own temporary folder."""
import os
import pathlib
import shlex
import subprocess
import sys
import tempfile
import unittest

# the first argument is the binary (meson passes it); unittest gets the rest
BIN = sys.argv.pop(1) if len(sys.argv) > 1 else "build/cli/dstackcfg"
# e.g. "valgrind -q --error-exitcode=99" (scripts/test.sh)
WRAPPER = shlex.split(os.environ.get("DCFG_TEST_WRAPPER", ""))


def run(*args, stdin=None, wrap=True, **kw):
    cmd = [*WRAPPER, BIN] if wrap else [BIN]
    return subprocess.run([*cmd, *map(str, args)], input=stdin, capture_output=True, text=True, **kw)


class TempDirCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = pathlib.Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        p = self.dir / name
        p.write_text(text)
        return p
