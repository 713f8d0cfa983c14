#!/usr/bin/env python3
"""The serialization side of the command line: `normalize --view/--output-format`
and `fmt` (--check, --write, comments, atomic rewrites)."""
import json
import os
import pathlib
import resource
import signal
import subprocess
import time
import unittest

from clitools import BIN, TempDirCase
from clitools import run as run_cli

UNFORMATTED = """\
port: 8000
type: service

image: nginx   # the web server
env:
  - A=1
resources:
  gpu: 24GB
"""
FORMATTED = """\
type: service
port: 8000
image: nginx   # the web server
env:
  - A=1
resources:
  gpu: 24GB
"""

COMMENTED = """\
# My service
# (header)

type: service
# The name is optional
name: llama

# Environment variables
env:
  - HF_TOKEN
  # - DEBUG=1
  - MODEL=x   # the model
# Commands of the service
commands:
  - pip install vllm
  # one more
  - vllm serve $MODEL
port: "8000"   # the port

resources:
  # Required GPU VRAM
  gpu: 24GB
  #shm_size: 24GB
# trailing note
"""


def run(*args, stdin=None, **kw):
    # never under DCFG_TEST_WRAPPER: the kill tests time their signals
    return run_cli(*args, stdin=stdin, wrap=False, **kw)


class Base(TempDirCase):
    def leftovers(self, keep):
        return sorted(p.name for p in self.dir.iterdir() if p.name not in keep)


class Normalize(Base):
    def test_views_and_formats(self):
        f = self.write("s.yml", "type: service\nport: 8000\nimage: nginx\npython: null\n")
        r = run("normalize", "--view", "minimal", "--output-format", "yaml", str(f))
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "type: service\nport: 8000\nimage: nginx\n", ""))
        r = run("normalize", "--view=effective", "--output-format=json", "--compact", str(f))
        d = json.loads(r.stdout)
        self.assertEqual((d["https"], d["stop_duration"], d["replicas"]), (True, 300, {"min": 1, "max": 1}))
        r = run("normalize", "--output-format", "yaml", str(f))
        self.assertTrue(r.stdout.startswith("port:\n  local_port: 80\n  container_port: 8000\n"))
        self.assertEqual(json.loads(run("normalize", str(f)).stdout)["port"]["container_port"], 8000)

    def test_bad_options_are_usage_errors(self):
        f = self.write("s.yml", "type: service\nport: 8000\nimage: nginx\n")
        for args in (["--view", "raw"], ["--view"], ["--output-format", "toml"], ["--output-format"]):
            self.assertEqual(run("normalize", *args, str(f)).returncode, 2, args)

    def test_stdin(self):
        r = run("normalize", "--view", "minimal", "--output-format", "json", "-",
                stdin="type: service\nport: 8000\nimage: nginx\n")
        self.assertEqual(json.loads(r.stdout), {"type": "service", "port": 8000, "image": "nginx"})


class Fmt(Base):
    def test_prints_formatted(self):
        f = self.write("s.yml", UNFORMATTED)
        r = run("fmt", str(f))
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, FORMATTED, ""))
        self.assertEqual(f.read_text(), UNFORMATTED)  # never written without --write

    def test_check(self):
        good, bad = self.write("good.yml", FORMATTED), self.write("bad.yml", UNFORMATTED)
        self.assertEqual(run("fmt", "--check", str(good)).returncode, 0)
        r = run("fmt", "--check", str(good), str(bad))
        self.assertEqual(r.returncode, 1)
        self.assertIn("bad.yml: not formatted", r.stderr)
        self.assertNotIn("good.yml", r.stderr)
        self.assertEqual(bad.read_text(), UNFORMATTED)

    def test_invalid_file_is_reported_not_rewritten(self):
        f = self.write("s.yml", "type: service\nport: 70000\nimage: x\n")
        r = run("fmt", "--write", str(f))
        self.assertEqual(r.returncode, 1)
        self.assertIn("[invalid-value]", r.stderr)
        self.assertEqual(f.read_text(), "type: service\nport: 70000\nimage: x\n")

    def test_write_rewrites_and_keeps_mode(self):
        f = self.write("s.yml", UNFORMATTED)
        os.chmod(f, 0o640)
        r = run("fmt", "--write", str(f))
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertEqual(f.read_text(), FORMATTED)
        self.assertEqual(os.stat(f).st_mode & 0o777, 0o640)
        self.assertEqual(self.leftovers({"s.yml"}), [])

    def test_write_on_formatted_file_leaves_it_untouched(self):
        f = self.write("s.yml", FORMATTED)
        before = os.stat(f)
        time.sleep(0.02)
        r = run("fmt", "--write", str(f))
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        after = os.stat(f)
        self.assertEqual(f.read_bytes(), FORMATTED.encode())
        self.assertEqual((before.st_ino, before.st_mtime_ns), (after.st_ino, after.st_mtime_ns))

    def test_write_through_a_symlink_replaces_the_target(self):
        target = self.write("real.yml", UNFORMATTED)
        link = self.dir / "link.yml"
        link.symlink_to("real.yml")
        self.assertEqual(run("fmt", "--write", str(link)).returncode, 0)
        self.assertTrue(link.is_symlink())
        self.assertEqual(target.read_text(), FORMATTED)

    def test_comments_are_kept(self):
        f = self.write("c.yml", COMMENTED)
        r = run("fmt", str(f))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout
        for line in COMMENTED.splitlines():
            if "#" in line:
                self.assertIn(line.strip()[line.strip().index("#"):], out)
        self.assertTrue(out.startswith("# My service\n# (header)\ntype: service\n# The name is optional\nname: llama\n"))
        # port's block changed ("8000" -> 8000): its comment moves above it
        self.assertIn("# the port\nport: 8000\n", out)
        # unchanged blocks keep their comments in place
        self.assertIn("env:\n  - HF_TOKEN\n  # - DEBUG=1\n  - MODEL=x   # the model\n", out)
        self.assertIn("resources:\n  # Required GPU VRAM\n  gpu: 24GB\n  #shm_size: 24GB\n", out)
        self.assertTrue(out.endswith("# trailing note\n"))
        g = self.write("c2.yml", out)
        self.assertEqual(run("fmt", "--check", str(g)).returncode, 0)
        self.assertEqual(run("fmt", str(g)).stdout, out)
        a = json.loads(run("normalize", str(f)).stdout)
        b = json.loads(run("normalize", str(g)).stdout)
        self.assertEqual(a, b)

    def test_comments_that_cannot_be_placed_stop_the_rewrite(self):
        text = "# flow style\n{type: service, port: 8000, image: x}\n"
        f = self.write("flow.yml", text)
        r = run("fmt", "--write", str(f))
        self.assertEqual(r.returncode, 1)
        self.assertIn("comments", r.stderr)
        self.assertEqual(f.read_text(), text)

    def test_unknown_fields_are_never_dropped(self):
        text = "type: service\nport: 8000\nimage: x\nfuture_field: 1\n"
        f = self.write("u.yml", text)
        for opt in ("--unknown=warn", "--unknown=ignore"):
            r = run("fmt", opt, "--write", str(f))
            self.assertEqual(r.returncode, 1, opt)
            self.assertIn("future_field", r.stderr)
            self.assertIn("would lose", r.stderr)
            self.assertEqual(f.read_text(), text)

    def test_json_stays_json(self):
        f = self.write("s.json", '{"port": 8000, "type": "service", "image": "x", "auth": true}')
        r = run("fmt", str(f))
        self.assertEqual(json.loads(r.stdout), {"type": "service", "port": 8000, "auth": True, "image": "x"})
        self.assertTrue(r.stdout.startswith('{\n  "type": "service",\n'))

    def test_utf16_is_refused_not_rewritten(self):
        for enc, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
            f = self.dir / "s.yml"
            data = bom + COMMENTED.encode(enc)
            f.write_bytes(data)
            for args in ((), ("--check",), ("--write",)):
                r = run("fmt", *args, str(f))
                self.assertEqual((r.returncode, r.stdout), (1, ""), (enc, args))
                self.assertIn("it is UTF-16", r.stderr)
                self.assertEqual(f.read_bytes(), data)
            self.assertEqual(self.leftovers({"s.yml"}), [])

    def test_usage(self):
        f = self.write("s.yml", FORMATTED)
        self.assertEqual(run("fmt").returncode, 2)
        self.assertEqual(run("fmt", "--check", "--write", str(f)).returncode, 2)
        self.assertEqual(run("fmt", "--write", "-", stdin=FORMATTED).returncode, 2)
        self.assertEqual(run("fmt", "--bogus", str(f)).returncode, 2)
        r = run("fmt", str(self.dir / "missing.yml"))
        self.assertEqual(r.returncode, 2)
        self.assertEqual(run("fmt", "-", stdin=UNFORMATTED).stdout, FORMATTED)

    def test_failed_write_leaves_the_original(self):
        big = "type: service\nport: 8000\nimage: x\ncommands:\n" + "".join(f"  - echo {i:06d}\n" for i in range(20000))
        f = self.write("big.yml", "# note\n" + big.replace("port: 8000", "port: '8000'"))
        original = f.read_bytes()

        def limit():  # a file size limit: write() fails part-way (EFBIG)
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

        r = subprocess.run([BIN, "fmt", "--write", str(f)], capture_output=True, text=True, preexec_fn=limit)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("the file is unchanged", r.stderr)
        self.assertEqual(f.read_bytes(), original)
        self.assertEqual(self.leftovers({"big.yml"}), [])

    def test_interrupted_write_never_damages_the_original(self):
        big = "type: service\nport: '8000'\nimage: x\ncommands:\n" + "".join(f"  - echo {i:06d}\n" for i in range(60000))
        f = self.write("big.yml", big)
        original = f.read_bytes()
        formatted = run("fmt", str(f)).stdout.encode()
        self.assertNotEqual(formatted, original)
        start = time.monotonic()
        subprocess.run([BIN, "fmt", "--write", str(f)], capture_output=True)
        took = time.monotonic() - start
        for i in range(12):
            f.write_bytes(original)
            p = subprocess.Popen([BIN, "fmt", "--write", str(f)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(took * (i + 0.5) / 12)
            p.send_signal(signal.SIGKILL)
            p.wait()
            self.assertIn(f.read_bytes(), (original, formatted), f"after a kill at {i}/12 of the run")
            for leftover in self.leftovers({"big.yml"}):  # a killed run may leave its temporary file
                self.assertTrue(leftover.startswith(".big.yml.dstackcfg-"), leftover)
                (self.dir / leftover).unlink()


if __name__ == "__main__":
    unittest.main(verbosity=1)
