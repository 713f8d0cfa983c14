#!/usr/bin/env python3
"""check --format github and --format sarif: one annotation / result per
diagnostic, escaping, exit statuses. The SARIF output is validated against the
official SARIF 2.1.0 schema when DCFG_SARIF_SCHEMA names it (the test command
fetches it: tests/fetch_sarif_schema.sh), otherwise against a subset of it
(the properties dstackcfg writes, with the official constraints) when
jsonschema is installed.
usage: ci_formats_test.py DSTACKCFG"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

CLI = os.path.abspath(sys.argv.pop(1))

# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that describe what dstackcfg emits.
SARIF_SUBSET = {
    "type": "object", "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": "array", "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                                   "informationUri": {"type": "string", "format": "uri"}}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "properties": {"text": {"type": "string"}},
                                    "anyOf": [{"required": ["text"]}, {"required": ["id"]}]},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "properties": {
                                "artifactLocation": {"type": "object", "properties": {
                                    "uri": {"type": "string", "format": "uri-reference"}}},
                                "region": {"type": "object", "properties": {
                                    "startLine": {"type": "integer", "minimum": 1},
                                    "startColumn": {"type": "integer", "minimum": 1}}}}},
                            "logicalLocations": {"type": "array", "items": {"type": "object", "properties": {
                                "fullyQualifiedName": {"type": "string"}, "kind": {"type": "string"}}}}}}}}}}}}}},
}

BAD = "type: service\nport: 8000\ncommands: [x]\nreplicas: 1..3\nresources:\n  gpus: 1\n"
GOOD = "type: service\nport: 8000\nimage: nginx\n"


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


class CIFormats(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.bad = os.path.join(self.tmp.name, "a,b:c%.dstack.yml")  # every character GitHub wants escaped
        self.good = os.path.join(self.tmp.name, "good.dstack.yml")
        for p, t in ((self.bad, BAD), (self.good, GOOD)):
            with open(p, "w") as f:
                f.write(t)

    def tearDown(self):
        self.tmp.cleanup()

    def test_github_annotations(self):
        r = run("check", "--format", "github", self.bad, self.good)
        self.assertEqual(r.returncode, 1)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 2, r.stdout)
        esc = self.bad.replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
        self.assertEqual(lines[0], f"::error file={esc},line=4,col=11,title=dstackcfg required::"
                                   "scaling: `scaling` is required when `replicas` is a range")
        self.assertTrue(lines[1].startswith(f"::error file={esc},line=6,col=3,title=dstackcfg unknown-field::"
                                            "resources.gpus: unknown field; "), lines[1])
        self.assertEqual(run("check", "--format", "github", self.good).returncode, 0)

    def test_github_warning(self):
        with open(self.good, "a") as f:
            f.write("port: 8000\n")
        r = run("check", "--format", "github", self.good)
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("::warning file="), r.stdout)

    def test_sarif(self):
        r = run("check", "--format", "sarif", self.bad, self.good)
        self.assertEqual(r.returncode, 1)
        doc = json.loads(r.stdout)
        results = doc["runs"][0]["results"]
        self.assertEqual([x["ruleId"] for x in results], ["required", "unknown-field"])
        loc = results[1]["locations"][0]
        self.assertEqual(loc["physicalLocation"]["region"], {"startLine": 6, "startColumn": 3})
        self.assertEqual(loc["logicalLocations"][0]["fullyQualifiedName"], "resources.gpus")
        self.assertTrue(loc["physicalLocation"]["artifactLocation"]["uri"].endswith("/a%2Cb%3Ac%25.dstack.yml"))
        empty = json.loads(run("check", "--format", "sarif", self.good).stdout)
        self.assertEqual(empty["runs"][0]["results"], [])
        # a warning (duplicate key), a syntax error (no field path) and JSON input as well
        warn = os.path.join(self.tmp.name, "warn.dstack.yml")
        broken = os.path.join(self.tmp.name, "broken.dstack.yml")
        as_json = os.path.join(self.tmp.name, "conf.json")
        for p, t in ((warn, GOOD + "port: 80\n"), (broken, "type: service\nport: [8000\n"),
                     (as_json, '{"type": "service", "port": "x"}')):
            with open(p, "w") as f:
                f.write(t)
        more = json.loads(run("check", "--format", "sarif", warn, broken, as_json).stdout)
        levels = [x["level"] for x in more["runs"][0]["results"]]
        self.assertIn("warning", levels)
        self.assertIn("error", levels)
        official = os.environ.get("DCFG_SARIF_SCHEMA")
        try:
            import jsonschema
        except ImportError:
            if official:
                raise
            self.skipTest("jsonschema not installed")
        if official:
            with open(official) as f:
                schema = json.load(f)
            self.assertEqual(schema["title"], "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema")
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
            # the schema rejects what breaks it (proof that it is read as a schema)
            self.assertFalse(validator.is_valid({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}))
        else:
            validator = jsonschema.Draft7Validator(SARIF_SUBSET)
        for d in (doc, empty, more):
            validator.validate(d)


if __name__ == "__main__":
    unittest.main()
