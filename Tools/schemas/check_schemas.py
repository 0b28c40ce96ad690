#!/usr/bin/env python3
"""Check everything under Schemas/ with the Python `jsonschema` package.

    Tools/schemas/.venv/bin/python Tools/schemas/check_schemas.py [--samples DIR] [-v]

Checks (exit status 1 if any fails):
  * every file name is unique across Schemas/ (the build embeds files by name) and is valid JSON;
  * every *.schema.json is valid against the JSON Schema 2020-12 meta-schema, has an $id under
    https://eccoe.eu/schemas/ that ends in its file name, and every $ref resolves;
  * every `examples` entry (at the root or in any subschema) validates against its schema;
  * criteria.json and every vocabulary file validate against their schemas; vocabulary ids are unique;
  * the good examples validate against their kind's schema;
  * expected-findings.json lists every generated example, names only catalogue criteria, covers every
    criterion at least once, and agrees with the file names;
  * for every example, the schema violations, attributed to criteria by the catalogue's findingPolicy,
    are among the criteria expected for that example.
Informational: the EC sample credentials in --samples are validated and their violations listed.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import jsonschema
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "Schemas"
EXAMPLES = SCHEMAS / "examples"
BASE = "https://eccoe.eu/schemas/"
KIND_SCHEMA = {"credential": "credential.schema.json", "learningOpportunity": "learning-opportunity.schema.json",
               "agreement": "agreement.schema.json", "consultation": "consultation.schema.json"}

failures: list[str] = []


def fail(msg: str) -> None:
    failures.append(msg)
    print("FAIL:", msg)


def load(p: Path):
    return json.loads(p.read_text(encoding="utf-8"))


def kind_of(name: str, doc) -> str | None:
    """Document kind as PRODUCT.md defines it: by $schema, file name, or JSON-LD type."""
    sch = doc.get("$schema", "") if isinstance(doc, dict) else ""
    for kind, fname in KIND_SCHEMA.items():
        if sch.endswith(fname):
            return kind
    if name.endswith(".agreement.json"):
        return "agreement"
    if name.endswith(".consultation.json"):
        return "consultation"
    t = doc.get("type") if isinstance(doc, dict) else None
    types = t if isinstance(t, list) else [t]
    if "EuropeanDigitalCredential" in types:
        return "credential"
    if "LearningOpportunity" in types:
        return "learningOpportunity"
    return None


def walk_examples(node, pointer=""):
    if isinstance(node, dict):
        if "examples" in node and isinstance(node["examples"], list) and pointer:
            yield pointer, node
        for k, v in node.items():
            if k in ("examples", "const", "enum", "default"):
                continue
            yield from walk_examples(v, f"{pointer}/{k.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_examples(v, f"{pointer}/{i}")


class Attributor:
    """Python rendering of the catalogue's findingPolicy, used to cross-check expected-findings.json."""

    def __init__(self, catalogue: dict):
        self.profile = catalogue["profileCriteria"]
        self.paths: dict[str, list[tuple[str, str]]] = {}
        for c in catalogue["criteria"]:
            if c["level"] != "mandatory" or c.get("scope", "document") != "document":
                continue
            for k in c["kinds"]:
                for p in c.get("elmPaths", []):
                    self.paths.setdefault(k, []).append((p, c["id"]))

    def criterion(self, kind: str, err: jsonschema.ValidationError) -> str:
        for e in [err, *self._descendants(err)]:
            if isinstance(e.schema, dict) and "x-criterion" in e.schema:
                return e.schema["x-criterion"]
        path = [p for p in err.absolute_path if isinstance(p, str)]
        if err.validator == "required":
            m = re.match(r"^'(.+)' is a required property", err.message)
            if m:
                path.append(m.group(1))
        dotted = ".".join(path)
        best = None
        for p, cid in self.paths.get(kind, []):
            if dotted == p or dotted.startswith(p + "."):
                if best is None or len(p) > len(best[0]):
                    best = (p, cid)
        return best[1] if best else self.profile[kind]

    @staticmethod
    def _descendants(err):
        for c in err.context or []:
            yield c
            yield from Attributor._descendants(c)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=Path, default=ROOT / "Tests" / "Resources" / "samples")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    # --- file names and JSON syntax
    files = sorted(p for p in SCHEMAS.rglob("*") if p.is_file())
    dup = [n for n, c in Counter(p.name for p in files).items() if c > 1]
    if dup:
        fail(f"file names used more than once under Schemas/: {dup}")
    # the build embeds each file as a Swift constant named after the file name with every other
    # character than A-Z, a-z, 0-9 and _ replaced by _ (Tools/gen_embedded_index.py)
    idents = Counter(re.sub(r"[^A-Za-z0-9_]", "_", p.name) for p in files)
    clash = [n for n, c in idents.items() if c > 1]
    if clash:
        fail(f"file names that embed under the same Swift identifier: {clash}")
    docs = {}
    for p in files:
        try:
            docs[p] = load(p)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            fail(f"{p.relative_to(ROOT)}: not valid JSON: {e}")

    # --- schemas: meta-schema, $id, registry
    schemas = {p: d for p, d in docs.items() if p.name.endswith(".schema.json")}
    registry = Registry()
    for p, s in schemas.items():
        try:
            Draft202012Validator.check_schema(s)
        except jsonschema.SchemaError as e:
            fail(f"{p.relative_to(ROOT)}: not a valid 2020-12 schema: {e.message} at {list(e.absolute_path)}")
        sid = s.get("$id", "")
        if not sid.startswith(BASE) or not sid.endswith("/" + p.name):
            fail(f"{p.relative_to(ROOT)}: $id {sid!r} must be under {BASE} and end in the file name")
        if s.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
            fail(f"{p.relative_to(ROOT)}: $schema must be the 2020-12 meta-schema")
        registry = registry.with_resource(sid, Resource.from_contents(s, default_specification=DRAFT202012))
    print(f"{len(schemas)} schemas are valid 2020-12 schemas" if not failures else "schema problems found")

    def validator(schema_id: str, pointer: str = "") -> Draft202012Validator:
        ref = schema_id + ("#" + pointer if pointer else "")
        return Draft202012Validator({"$ref": ref}, registry=registry)

    # --- $refs resolve and examples validate
    n_examples = 0
    for p, s in schemas.items():
        sid = s["$id"]
        try:
            v = validator(sid)
            for i, ex in enumerate(s.get("examples", [])):
                n_examples += 1
                errs = list(v.iter_errors(ex))
                if errs:
                    fail(f"{p.name}: examples[{i}] invalid: {errs[0].message} at {list(errs[0].absolute_path)}")
            for ptr, sub in walk_examples(s):
                vs = validator(sid, ptr)
                for i, ex in enumerate(sub["examples"]):
                    n_examples += 1
                    errs = list(vs.iter_errors(ex))
                    if errs:
                        fail(f"{p.name}#{ptr}: examples[{i}] invalid: {errs[0].message}")
            # resolve every $ref by validating the empty document against each referenced subschema path
            for ref in set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(s))):
                target = ref if not ref.startswith("#") else sid + ref
                registry.resolver().lookup(target)
        except Exception as e:  # unresolvable reference or broken pointer
            fail(f"{p.name}: {type(e).__name__}: {e}")
    print(f"{n_examples} schema examples checked")

    # --- catalogue and vocabularies
    catalogue = docs[SCHEMAS / "criteria.json"]
    for e in validator(BASE + "criteria.schema.json").iter_errors(catalogue):
        fail(f"criteria.json: {e.message} at {list(e.absolute_path)}")
    crit_ids = [c["id"] for c in catalogue["criteria"]]
    if len(crit_ids) != len(set(crit_ids)):
        fail("criteria.json: duplicate criterion IDs")
    vocab_names = {p.name[:-5] for p in docs if p.parent.name == "vocabularies" and not p.name.endswith(".schema.json")}
    for c in catalogue["criteria"]:
        for v in c.get("vocabularies", []):
            if v not in vocab_names:
                fail(f"criteria.json: {c['id']} names unknown vocabulary {v}")
    vv = validator(BASE + "vocabularies/vocabulary.schema.json")
    for p, d in docs.items():
        if p.parent.name == "vocabularies" and not p.name.endswith(".schema.json"):
            for e in vv.iter_errors(d):
                fail(f"{p.name}: {e.message} at {list(e.absolute_path)}")
            ids = [c["id"] for c in d["concepts"]]
            if len(ids) != len(set(ids)):
                fail(f"{p.name}: duplicate concept ids")
            for c in d["concepts"]:
                if "broader" in c and c["broader"] not in ids:
                    fail(f"{p.name}: {c['id']} has unknown broader {c['broader']}")
                if d.get("iriPattern") and not re.search(d["iriPattern"], c["id"]):
                    fail(f"{p.name}: {c['id']} does not match iriPattern")
            companion = SCHEMAS / "vocabularies" / (p.name[:-5] + ".schema.json")
            if companion not in docs:
                fail(f"{p.name}: no companion schema {companion.name}")
    print(f"catalogue: {len(crit_ids)} criteria; {len(vocab_names)} vocabularies")

    # --- examples and expected findings
    expected = docs.get(EXAMPLES / "expected-findings.json", {})
    attr = Attributor(catalogue)
    covered = set()
    for name, ids in expected.items():
        p = EXAMPLES / name
        if p not in docs:
            fail(f"expected-findings.json names missing file {name}")
            continue
        named = re.findall(r"(?:MC|LO|AG|DQ|CO)-[0-9]{2}", name)
        if sorted(named) != sorted(ids):
            fail(f"{name}: IDs in the file name {named} differ from expected-findings.json {ids}")
        for i in ids:
            if i not in crit_ids:
                fail(f"{name}: expects unknown criterion {i}")
        covered |= set(ids)
        doc = docs[p]
        kind = kind_of(name, doc)
        if kind is None:
            fail(f"{name}: cannot tell its document kind")
            continue
        errs = list(validator(BASE + KIND_SCHEMA[kind]).iter_errors(doc))
        got = sorted({attr.criterion(kind, e) for e in errs})
        if name.startswith("good"):
            for e in errs:
                fail(f"{name}: {e.message} at {'.'.join(map(str, e.absolute_path))}")
        else:
            extra = [g for g in got if g not in ids]
            if extra:
                fail(f"{name}: schema violations attributed to {extra}, not expected: " +
                     "; ".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message[:120]}" for e in errs))
            if args.verbose:
                print(f"  {name}: schema -> {got or 'valid'}; expected {ids}")
    missing = [c for c in crit_ids if c not in covered]
    if missing:
        fail(f"criteria without an example that breaks them: {missing}")
    foreign = sorted(p.name for p in docs if p.parent == EXAMPLES and p.name not in expected
                     and p.name != "expected-findings.json")
    if foreign:
        print(f"note: examples not listed in expected-findings.json (not generated by gen_examples.py): {foreign}")
    print(f"{len(expected)} examples checked against their schemas; {len(covered)} criteria covered")

    # --- the real EC samples (informational)
    for fname in ("ec-credential-sample-minimal.jsonld", "ec-Sample-CertOfPart-unsigned.jsonld",
                  "ec-Sample-MC-Annex1-unsigned.jsonld", "ec-edci-credential_shouldValidate.jsonld"):
        p = args.samples / fname
        if not p.exists():
            print(f"note: sample {p} not found")
            continue
        doc = load(p)
        errs = sorted(validator(BASE + "credential.schema.json").iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        print(f"sample {fname}: {'valid' if not errs else f'{len(errs)} schema violation(s)'}")
        for e in errs:
            print(f"  [{attr.criterion('credential', e)}] {'.'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}")

    if failures:
        print(f"\n{len(failures)} check(s) failed")
        sys.exit(1)
    print("\nall checks passed")


if __name__ == "__main__":
    main()
