#!/usr/bin/env python3
"""The dstackcfg command-line contract: exit codes, streams, output formats."""
import json
import os
import pathlib
import unittest

from clitools import TempDirCase, run

EXAMPLES = pathlib.Path(os.environ.get("DCFG_EXAMPLES", "examples"))

VALID = "type: service\nport: 8000\nimage: nginx\n"
# three mistakes: an unknown key, a bad port, image together with python
THREE = "type: service\nimage: nginx\nport: 70000\npython: 3.10\nfoo: 1\n"
THREE_JSON = '{\n  "type": "service",\n  "image": "nginx",\n  "port": 70000,\n  "python": "3.10",\n  "foo": 1\n}\n'


class Cli(TempDirCase):
    def test_check_valid_is_silent_and_exit_0(self):
        r = run("check", self.write("ok.yml", VALID))
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))

    def test_three_mistakes_reported_at_once_with_positions(self):
        f = self.write("bad.yml", THREE)
        r = run("check", f)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 3, r.stderr)
        self.assertTrue(lines[0].startswith(f"{f}:3:7: error: port: "), lines[0])
        self.assertTrue(lines[0].endswith("[invalid-value]"))
        self.assertTrue(lines[1].startswith(f"{f}:4:9: error: python: "), lines[1])
        self.assertTrue(lines[1].endswith("[conflict]"))
        self.assertTrue(lines[2].startswith(f"{f}:5:1: error: foo: "), lines[2])
        self.assertTrue(lines[2].endswith("[unknown-field]"))

    def test_three_mistakes_in_json_input_have_positions(self):
        r = run("check", "--format", "json", self.write("bad.json", THREE_JSON))
        self.assertEqual(r.returncode, 1)
        got = [(d["line"], d["column"], d["code"], d["path"]) for d in json.loads(r.stdout)]
        self.assertEqual(got, [(4, 11, "invalid-value", "port"), (5, 13, "conflict", "python"),
                               (6, 3, "unknown-field", "foo")])

    def test_json_format_fields(self):
        r = run("check", "--format", "json", self.write("bad.yml", THREE))
        diags = json.loads(r.stdout)
        self.assertEqual(set(diags[0]), {"source", "line", "column", "severity", "code", "path", "message"})
        self.assertEqual(r.stderr, "")

    def test_did_you_mean(self):
        r = run("check", self.write("typo.yml", VALID + "imgae: x\n"))
        self.assertIn('did you mean "image"?', r.stderr)

    def test_warning_keeps_exit_status(self):
        r = run("check", self.write("dup.yml", VALID + "port: 9000\n"))
        self.assertEqual(r.returncode, 0)
        self.assertIn(": warning: ", r.stderr)
        self.assertIn("[duplicate-key]", r.stderr)

    def test_strict_duplicates_makes_it_an_error(self):
        r = run("check", "--strict-duplicates", self.write("dup.yml", VALID + "port: 9000\n"))
        self.assertEqual(r.returncode, 1)

    def test_unknown_as_warning(self):
        f = self.write("new.yml", VALID + "future_field: 1\n")
        self.assertEqual(run("check", f).returncode, 1)
        r = run("check", "--unknown=warn", f)
        self.assertEqual(r.returncode, 0)
        self.assertIn("warning", r.stderr)
        self.assertEqual(run("check", "--unknown=ignore", f).stderr, "")

    def test_other_dstack_type_is_named(self):
        r = run("check", "--format", "json", self.write("task.yml", "type: task\ncommands: [a]\n"))
        self.assertEqual(r.returncode, 1)
        [d] = json.loads(r.stdout)
        self.assertEqual((d["code"], d["path"]), ("not-a-service", "type"))
        self.assertIn("task", d["message"])

    def test_stdin(self):
        r = run("check", "-", stdin=THREE)
        self.assertEqual(r.returncode, 1)
        self.assertIn("<stdin>:3:7:", r.stderr)

    def test_missing_file_is_exit_2(self):
        r = run("check", str(self.dir / "nope.yml"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope.yml", r.stderr)

    def test_any_invalid_file_fails_the_run(self):
        r = run("check", self.write("a.yml", VALID), self.write("b.yml", THREE))
        self.assertEqual(r.returncode, 1)

    def test_usage_errors(self):
        self.assertEqual(run().returncode, 2)
        self.assertEqual(run("check").returncode, 2)
        self.assertEqual(run("frobnicate", "x").returncode, 2)
        self.assertEqual(run("check", "--format", "xml", "x").returncode, 2)
        self.assertEqual(run("normalize", "a", "b").returncode, 2)

    def test_help_and_version(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("normalize", r.stdout)
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^dstackcfg \d+\.\d+\.\d+")

    def test_normalize_prints_canonical_json(self):
        r = run("normalize", self.write("ok.yml", VALID + "python: 3.10\n".replace("python: 3.10\n", "")))
        self.assertEqual(r.returncode, 0)
        doc = json.loads(r.stdout)
        self.assertEqual(list(doc)[:3], ["port", "gateway", "strip_prefix"])
        self.assertEqual(doc["port"], {"local_port": 80, "container_port": 8000})
        self.assertIsInstance(doc["resources"]["memory"]["min"], float)

    def test_normalize_invalid_prints_nothing_on_stdout(self):
        r = run("normalize", self.write("bad.yml", THREE))
        self.assertEqual((r.returncode, r.stdout), (1, ""))
        self.assertIn("[unknown-field]", r.stderr)

    def test_input_format_override(self):
        f = self.write("conf.txt", '{"type": "service", "port": 80, "image": "x"}')
        self.assertEqual(run("check", "--input-format", "json", f).returncode, 0)
        self.assertEqual(run("check", "--input-format", "yaml", f).returncode, 0)
        g = self.write("yaml.json", VALID)
        self.assertEqual(run("check", g).returncode, 1)  # .json means JSON
        self.assertEqual(run("check", "--input-format", "yaml", g).returncode, 0)

    def test_utf16_with_a_bom_is_read_as_pyyaml_reads_bytes(self):
        plain = run("check", self.write("bad.yml", THREE)).stderr.replace("bad.yml", "X")
        for enc, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
            f = self.dir / ("bad-%s.yml" % enc)
            f.write_bytes(bom + THREE.encode(enc))
            r = run("check", f)
            self.assertEqual((r.returncode, r.stderr.replace(f.name, "X")), (1, plain), enc)
            g = self.dir / ("ok-%s.yml" % enc)
            g.write_bytes(bom + (VALID + "env:\n  - A=\u00e9t\u00e9 \U0001F600\n").encode(enc))
            r = run("normalize", g)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(r.stdout)["env"], {"A": "\u00e9t\u00e9 \U0001F600"})
            # an unpaired surrogate is the codec's error, placed in characters
            h = self.dir / ("broken-%s.yml" % enc)
            h.write_bytes(bom + "type: service\nimage: \u00e9".encode(enc) + "\ud800".encode(enc, "surrogatepass"))
            r = run("check", h)
            self.assertEqual(r.returncode, 1)
            self.assertIn(":2:9: error: invalid UTF-16", r.stderr)
            self.assertIn("[encoding]", r.stderr)
            # JSON stays UTF-8
            j = self.dir / ("s-%s.json" % enc)
            j.write_bytes(bom + '{"type": "service", "image": "x"}'.encode(enc))
            r = run("check", j)
            self.assertEqual(r.returncode, 1)
            self.assertIn("invalid UTF-8", r.stderr)

    def test_input_file_is_never_modified(self):
        f = self.write("bad.yml", THREE)
        before = pathlib.Path(f).stat()
        run("check", f)
        run("normalize", f)
        after = pathlib.Path(f).stat()
        self.assertEqual(pathlib.Path(f).read_text(), THREE)
        self.assertEqual(before.st_mtime_ns, after.st_mtime_ns)

    def test_examples_are_valid(self):
        files = sorted(str(p) for p in EXAMPLES.glob("*.yml"))
        self.assertTrue(files)
        r = run("check", *files)
        self.assertEqual((r.returncode, r.stderr), (0, ""))


if __name__ == "__main__":
    unittest.main(verbosity=1)
