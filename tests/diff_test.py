#!/usr/bin/env python3
"""`dstackcfg diff`: one change of every root field with its update class (the
class must also be the one docs/reference.md shows), spellings that are no
change, dstack's special cases, output formats and exit codes."""
import json
import pathlib
import re
import unittest

from clitools import TempDirCase, run

REFERENCE = pathlib.Path(__file__).resolve().parents[1] / "docs" / "reference.md"
BASE = {"type": "service", "port": 8000, "commands": ["serve"]}
IP, RO, RS = "in-place", "rolling", "restart"

# field: (changes to BASE before, after, expected class); None removes a key.
# Classes follow dstack 0.22.5's server rules (runs/spec.py), not our table.
PAIRS = {
    "port": ({}, {"port": 8001}, RO),
    "gateway": ({}, {"gateway": "gw"}, IP),
    "strip_prefix": ({}, {"strip_prefix": False}, RS),
    "model": ({}, {"model": "llama"}, RS),
    "https": ({}, {"https": False}, RS),
    "auth": ({}, {"auth": False}, RS),
    "scaling": ({"replicas": "1..2", "scaling": {"metric": "rps", "target": 10}},
                {"replicas": "1..2", "scaling": {"metric": "rps", "target": 20}}, IP),
    "rate_limits": ({}, {"rate_limits": [{"rps": 2}]}, RS),
    "probes": ({}, {"probes": [{"type": "http", "url": "/health"}]}, RO),
    "replicas": ({}, {"replicas": 2}, IP),
    "groups": ({"commands": None, "groups": [{"name": "a", "replicas": 1, "commands": ["x"]}]},
               {"commands": None, "groups": [{"name": "a", "replicas": 2, "commands": ["x"]}]}, IP),
    "commands": ({}, {"commands": ["serve", "again"]}, RO),
    "name": ({}, {"name": "svc"}, RS),
    "image": ({}, {"image": "nginx"}, RO),
    "user": ({}, {"user": "root"}, RO),
    "privileged": ({}, {"privileged": True}, RO),
    "entrypoint": ({}, {"entrypoint": "/bin/sh"}, RO),
    "working_dir": ({}, {"working_dir": "/w"}, RO),
    "home_dir": ({}, {"home_dir": "/home"}, RS),
    "registry_auth": ({}, {"registry_auth": {"username": "u", "password": "p"}}, RS),
    "python": ({}, {"python": "3.11"}, RO),
    "nvcc": ({}, {"nvcc": True}, RO),
    "single_branch": ({}, {"single_branch": False}, RO),
    "env": ({}, {"env": {"A": "1"}}, RO),
    "shell": ({}, {"shell": "bash"}, RO),
    "resources": ({}, {"resources": {"cpu": 4}}, RO),
    "priority": ({}, {"priority": 5}, IP),
    "volumes": ({}, {"volumes": ["/a:/b"]}, RO),
    "docker": ({}, {"docker": True}, RO),
    "repos": ({}, {"repos": [{"url": "https://github.com/a/b", "path": "/repo"}]}, RS),
    "files": ({}, {"files": ["a.txt"]}, RO),
    "dstack": ({}, {"dstack": True}, RS),
    "setup": ({}, {"setup": ["x"]}, RS),
    "backends": ({}, {"backends": ["aws"]}, RS),
    "regions": ({}, {"regions": ["eu"]}, RS),
    "availability_zones": ({}, {"availability_zones": ["z"]}, RS),
    "instance_types": ({}, {"instance_types": ["t"]}, RS),
    "reservation": ({}, {"reservation": "r"}, RS),
    "spot_policy": ({}, {"spot_policy": "spot"}, RS),
    "retry": ({}, {"retry": True}, RS),
    "max_duration": ({}, {"max_duration": "1h"}, RS),
    "stop_duration": ({}, {"stop_duration": "1m"}, RS),
    "max_price": ({}, {"max_price": 1.5}, RS),
    "creation_policy": ({}, {"creation_policy": "reuse"}, RS),
    "idle_duration": ({}, {"idle_duration": "1h"}, RS),
    "utilization_policy": ({}, {"utilization_policy": {"min_gpu_utilization": 10, "time_window": "1h"}}, RS),
    "startup_order": ({}, {"startup_order": "any"}, RS),
    "stop_criteria": ({}, {"stop_criteria": "all-done"}, RS),
    "schedule": ({}, {"schedule": {"cron": "0 * * * *"}}, RS),
    "fleets": ({}, {"fleets": ["f"]}, RS),
    "instances": ({}, {"instances": [{"name": "i"}]}, RS),
    "tags": ({}, {"tags": {"team": "ml"}}, RS),
    "backend_options": ({}, {"backend_options": [{"type": "vastai", "min_reliability": 0.9}]}, RS),
}


def doc(changes):
    d = dict(BASE)
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return json.dumps(d)


def reference_classes():
    """The update column of the root table in docs/reference.md."""
    text = REFERENCE.read_text()
    root = text.split("## Service (root)", 1)[1].split("\n## ", 1)[0]
    header = [c.strip() for c in root.strip().splitlines()[0].strip("|").split("|")]
    col = header.index("update")
    out = {}
    for line in root.strip().splitlines()[2:]:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        out[re.match(r"`([^`]+)`", cells[0]).group(1)] = cells[col]
    return out


class Diff(TempDirCase):
    def diff(self, old, new, *opts):
        a = self.write("old.json" if old.startswith("{") else "old.yml", old)
        b = self.write("new.json" if new.startswith("{") else "new.yml", new)
        return run("diff", *opts, a, b)

    def diff_json(self, old, new):
        r = self.diff(old, new, "--format", "json")
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return r.returncode, json.loads(r.stdout)

    def test_every_root_field_has_a_pair(self):
        ref = reference_classes()
        self.assertGreater(len(ref), 50)
        # `type` has a single valid value, so it cannot change
        self.assertEqual(sorted(set(ref) - {"type"}), sorted(PAIRS))
        self.assertEqual(ref["type"], RS)

    def test_every_root_field_class(self):
        ref = reference_classes()
        for field, (before, after, want) in PAIRS.items():
            with self.subTest(field=field):
                rc, out = self.diff_json(doc(before), doc(after))
                self.assertEqual(rc, 1)
                mine = [c for c in out["changes"] if re.match(re.escape(field) + r"($|[.\[])", c["path"])]
                self.assertTrue(mine, out)
                self.assertEqual({c["class"] for c in mine}, {want}, out)
                self.assertEqual(out["verdict"], want)
                if not before:
                    self.assertEqual(ref[field], want)

    def test_spellings_are_no_change(self):
        same = [
            ("type: service\nport: 8000\ncommands: [x]\n", "type: service\nport: \"8000\"\ncommands: [x]\n"),
            ("type: service\nport: 8000\ncommands: [x]\nresources: {gpu: 24GB}\n",
             "type: service\nport: 8000\ncommands: [x]\nresources:\n  gpu: {memory: 24GB}\n"),
            ("type: service\nport: 8000\ncommands: [x]\nenv: [A=1, B=2]\nimage: i\n",
             "image: i\nenv: {B: '2', A: '1'}\ncommands: [x]\nport: 8000\ntype: service\n"),
            ("type: service\nport: 8000\ncommands: [x]\n", doc({"commands": ["x"]})),
        ]
        for old, new in same:
            with self.subTest(new=new):
                r = self.diff(old, new)
                self.assertEqual((r.returncode, r.stderr), (0, ""))
                self.assertEqual(r.stdout, "verdict: no change\n")
                rc, out = self.diff_json(old, new)
                self.assertEqual((rc, out), (0, {"changes": [], "verdict": "none"}))

    def test_text_groups_by_class_and_ends_with_the_verdict(self):
        r = self.diff(doc({}), doc({"replicas": 2, "image": "nginx", "auth": False, "env": {"A": "x"}}))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "in place:\n  replicas: null -> {\"min\":2,\"max\":2}\n"
                         "rolling deployment:\n  image: null -> \"nginx\"\n  env.A: (absent) -> \"x\"\n"
                         "restart (stop the run and apply again):\n  auth: true -> false\n"
                         "verdict: restart\n")

    def test_https_special_case(self):
        rc, out = self.diff_json(doc({}), doc({"https": True}))
        self.assertEqual(out["verdict"], IP)
        self.assertIn("reason", out["changes"][0])
        rc, out = self.diff_json(doc({"https": True}), doc({"https": "auto"}))
        self.assertEqual(out["verdict"], RS)

    def test_router_special_cases(self):
        def groups(router0=None, name0="a", image0=None, top=None):
            g0 = {"name": name0, "replicas": 1, "commands": ["x"]}
            if router0:
                g0["router"] = {"type": router0}
            if image0:
                g0["image"] = image0
            d = {"commands": None, "groups": [g0, {"name": "b", "replicas": 1, "commands": ["y"]}]}
            d.update(top or {})
            return doc(d)
        cases = [
            (groups(), groups("smg"), RS),                      # router added
            (groups("smg"), groups("smg", name0="c"), RS),      # router group renamed
            (groups("smg"), groups("dynamo"), RS),              # router type
            (groups("smg"), groups("smg", top={"image": "i"}), RO),
            (groups("dynamo"), groups("dynamo", top={"image": "i"}), RS),
            (groups("dynamo"), groups("dynamo", image0="i"), RS),
            (groups("dynamo"), groups("dynamo", top={"priority": 3}), IP),
        ]
        for old, new, want in cases:
            with self.subTest(new=new):
                self.assertEqual(self.diff_json(old, new)[1]["verdict"], want)

    def test_invalid_file_prints_its_diagnostics_and_exits_2(self):
        r = self.diff(doc({}), "type: service\nport: 70000\ncommands: [x]\n")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stdout, "")
        self.assertRegex(r.stderr, r"new\.yml:2:7: error: port: .*\[invalid-value\]")
        r = self.diff(doc({}), "type: service\nport: 70000\ncommands: [x]\n", "--format", "json")
        self.assertEqual(r.returncode, 2)
        self.assertEqual(json.loads(r.stdout)[0]["code"], "invalid-value")
        # both invalid: one JSON array with the diagnostics of both files
        r = self.diff("type: service\nport: 0\ncommands: [x]\n", "type: service\nport: 70000\ncommands: [x]\n",
                      "--format", "json")
        self.assertEqual(r.returncode, 2)
        self.assertEqual([d["source"].rsplit("/", 1)[-1] for d in json.loads(r.stdout)], ["old.yml", "new.yml"])

    def test_usage_and_io_errors(self):
        ok = self.write("ok.yml", "type: service\nport: 8000\ncommands: [x]\n")
        for args in ([], [ok], [ok, ok, ok], ["--format", "xml", ok, ok], ["--bogus", ok, ok]):
            with self.subTest(args=args):
                r = run("diff", *args)
                self.assertEqual(r.returncode, 2)
                self.assertIn("usage:", r.stderr)
        r = run("diff", ok, self.dir / "missing.yml")
        self.assertEqual(r.returncode, 2)
        self.assertIn("missing.yml", r.stderr)
        r = run("diff", ok, "-", stdin="type: service\nport: 8000\ncommands: [x]\n")
        self.assertEqual((r.returncode, r.stdout), (0, "verdict: no change\n"))


if __name__ == "__main__":
    unittest.main()
