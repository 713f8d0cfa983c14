"""Re-emission of a YAML value in a random presentation, the ways yaml.dump
can write it: line width, indentation, flow or block collections, document
markers, canonical form, unicode escaping, line breaks, and a style drawn
per scalar (plain, single, double, literal, folded; PyYAML falls back to a
quoted style where the drawn one cannot hold the text). The value read back
by safe_load is the value dumped, so dstack's verdict on the text is its
verdict on the value: a reader that mis-reads a presentation disagrees.
"""

from __future__ import annotations

import random

import yaml

SCALAR_STYLES = (None, "'", '"', "|", ">")


def _dumper(rng: random.Random):
    class RandomStyleDumper(yaml.SafeDumper):
        pass

    def represent_str(dumper, value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=rng.choice(SCALAR_STYLES))

    RandomStyleDumper.add_representer(str, represent_str)
    return RandomStyleDumper


def dump_randomly(value, rng: random.Random) -> str:
    """`value` as YAML text in a presentation drawn from `rng`."""
    per_scalar = rng.random() < 0.5
    kw = dict(width=rng.randint(10, 200), indent=rng.randint(2, 9),
              default_flow_style=rng.choice([None, True, False]),
              canonical=rng.random() < 0.1, explicit_start=rng.random() < 0.3,
              explicit_end=rng.random() < 0.2, allow_unicode=rng.random() < 0.5,
              line_break=rng.choice([None, "\n", "\r\n"]), sort_keys=False)
    if per_scalar:
        return yaml.dump(value, Dumper=_dumper(rng), **kw)
    return yaml.safe_dump(value, default_style=rng.choice([None, "", "'", '"', "|", ">"]), **kw)
