#!/usr/bin/env python3
"""Cross-check the schema fixtures with Python's jsonschema.

usage: schema_crosscheck.py [SCHEMAS_DIR [FIXTURES_DIR]]

Every directory FIXTURES_DIR/<set> holds valid/*.yaml and invalid/*.yaml
records for one schema: <set>/schema.json when the set has its own (the
keyword tests), else SCHEMAS_DIR/<set>.schema.json.  Each record is
validated with jsonschema's Draft202012Validator and a FormatChecker, and
the verdict must be the one its directory states, as the C validator's unit
test (tests/unit/test_schema.c) checks for lib/core/schema.c.  So the two
validators agree on every fixture.

Records are read the way casetrail reads them, as YAML 1.2 core schema:
PyYAML implements YAML 1.1, which would turn 2024-03-05 into a date, yes
into true and 0o17 into a string, so the loader below replaces PyYAML's
implicit types with the YAML 1.2 core ones (null, bool, int, float; every
other plain scalar is a string) and keeps mapping keys as text.

Output is TAP.  Exit status: 0 all agree, 1 a disagreement or a broken
fixture, 77 (skip) when yaml or jsonschema can not be imported.
"""
import json
import math
import os
import re
import sys

try:
    import yaml
    from jsonschema import Draft202012Validator, FormatChecker
except ImportError as e:
    print(f"1..0 # SKIP python module missing: {e}")
    sys.exit(77)


class Yaml12Loader(yaml.SafeLoader):
    """A safe loader with YAML 1.2 core schema scalars."""


Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$",
     ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$",
     list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
     list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
     r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+0123456789.")),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), first)


def _construct_int(loader, node):
    v = loader.construct_scalar(node)
    if v.startswith("0o"):
        return int(v[2:], 8)
    if v.startswith("0x"):
        return int(v[2:], 16)
    return int(v, 10)


def _construct_float(loader, node):
    v = loader.construct_scalar(node).lower()
    if v.endswith(".inf"):
        return -math.inf if v.startswith("-") else math.inf
    if v == ".nan":
        return math.nan
    return float(v)


def _construct_bool(loader, node):
    return loader.construct_scalar(node) in ("true", "True", "TRUE")


def _construct_mapping(loader, node, deep=False):
    # Keys are text, as in casetrail's loader; duplicates are an error.
    out = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "non-scalar key", key_node.start_mark)
        if key_node.value in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key_node.value!r}",
                key_node.start_mark)
        out[key_node.value] = loader.construct_object(value_node, deep=True)
    return out


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
Yaml12Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def format_checker():
    """A FormatChecker that really asserts date and date-time."""
    fc = FormatChecker()
    for fmt, bad, good in [("date", "2023-02-29", "2024-02-29"),
                           ("date-time", "2024-03-05T24:00:00Z",
                            "2024-03-05T09:30:00+10:00")]:
        if fc.conforms(bad, fmt) or not fc.conforms(good, fmt):
            sys.exit(f"Bail out! jsonschema does not check format {fmt} "
                     "(for date-time install rfc3339-validator)")
    return fc


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    schemas = argv[1] if len(argv) > 1 else os.path.join(here, "..", "schemas")
    fixtures = (argv[2] if len(argv) > 2
                else os.path.join(here, "fixtures", "schema"))
    checker = format_checker()
    results = []  # (ok, description)

    for name in sorted(os.listdir(fixtures)):
        setdir = os.path.join(fixtures, name)
        if not os.path.isdir(setdir):
            continue
        own = os.path.join(setdir, "schema.json")
        path = (own if os.path.exists(own)
                else os.path.join(schemas, f"{name}.schema.json"))
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema, format_checker=checker)
        for verdict in ("valid", "invalid"):
            d = os.path.join(setdir, verdict)
            if not os.path.isdir(d):
                continue
            for fname in sorted(os.listdir(d)):
                if not fname.endswith(".yaml"):
                    continue
                rel = f"{name}/{verdict}/{fname}"
                try:
                    with open(os.path.join(d, fname), encoding="utf-8") as f:
                        doc = yaml.load(f, Loader=Yaml12Loader)
                except (yaml.YAMLError, ValueError) as e:
                    results.append((False, f"{rel} does not load: {e}"))
                    continue
                errors = [e.message for e in validator.iter_errors(doc)]
                if verdict == "valid" and errors:
                    results.append((False, f"{rel} is invalid: "
                                    + "; ".join(errors)))
                elif verdict == "invalid" and not errors:
                    results.append((False, f"{rel} is valid"))
                else:
                    results.append((True, rel))

    print(f"1..{len(results)}")
    for i, (ok, what) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} - {what}")
    return 0 if results and all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
