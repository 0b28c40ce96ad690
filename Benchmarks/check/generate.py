#!/usr/bin/env python3
"""Generate a folder of European Digital Credentials (ELM v3 JSON-LD) for the `eccoe check` benchmark.

    generate.py OUT_DIR [--documents N] [--seed S]

Sizes are spread log-uniformly between 2 KB and 200 KB. Each document starts from a compact credential
(the shape of Schemas/examples/good-credential.jsonld, most optional parts left out for the small ones)
and grows by learning outcomes, assessments and notes until it reaches its target size. About one in
five documents carries a defect that a criterion reports (a look-alike key, a workload in months,
missing learning outcomes, a date without time zone, an unknown language key), so the checker does
real work on findings too. Deterministic for a given seed.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD = json.loads((ROOT / "Schemas/examples/good-credential.jsonld").read_text(encoding="utf-8"))
MINIMAL = json.loads((ROOT / "Benchmarks/check/seed-credential-few-annex-elements.jsonld").read_text(encoding="utf-8"))

WORDS = ("data management research plan metadata repository licence publish describe evaluate design analyse "
         "statistics model policy ethics archive software workflow quality standard review open science").split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def small_credential(i: int) -> dict:
    """The good credential without the parts that make it large (kept valid against the schema)."""
    d = copy.deepcopy(GOOD)
    d["id"] = f"urn:credential:bench-{i:05d}"
    spec = d["credentialSubject"]["hasClaim"][0]["specifiedBy"]
    d["displayParameter"]["individualDisplay"][0]["displayDetail"][0]["image"]["content"] = "iVBORw0KGgo="
    spec["learningOutcome"] = spec["learningOutcome"][:1]
    return d


def minimal_credential(i: int) -> dict:
    """A credential with few Annex I elements (the shape of Benchmarks/check/seed-credential-few-annex-elements.jsonld)."""
    d = copy.deepcopy(MINIMAL)
    d["id"] = f"urn:credential:bench-{i:05d}"
    d["credentialSubject"]["hasClaim"] = [d["credentialSubject"]["hasClaim"]]
    d["credentialSubject"]["hasClaim"][0]["specifiedBy"]["learningOutcome"] = []
    return d


def size(d: dict, compact: bool) -> int:
    return len(json.dumps(d, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(d, ensure_ascii=False, indent=2))


def grow(d: dict, target: int, rng: random.Random, i: int, compact: bool) -> None:
    claim = d["credentialSubject"]["hasClaim"][0]
    spec = claim["specifiedBy"]
    k = 0
    # Serialising the whole document after every addition would be quadratic: add the size of each new
    # part instead (its own serialisation plus indentation), and measure exactly every 20 parts.
    current = size(d, compact)
    depth_indent = 0 if compact else 12
    while current < target:
        k += 1
        if k % 20 == 0:
            current = size(d, compact)
            if current >= target:
                break
        kind = k % 3 if claim.get("provenBy") else k % 2
        if kind == 0:
            spec["learningOutcome"].append({
                "id": f"urn:epass:learningOutcome:{i}-{k}", "type": "LearningOutcome",
                "title": {"en": sentence(rng, 12), "de": sentence(rng, 10)},
                "relatedESCOSkill": [{"id": "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a",
                                      "type": "Concept", "prefLabel": {"en": "develop digital content"},
                                      "inScheme": {"id": "http://data.europa.eu/esco/concept-scheme/skills", "type": "ConceptScheme"}}]})
        elif kind == 1:
            claim.setdefault("additionalNote", []).append({
                "id": f"urn:epass:note:{i}-{k}", "type": "Note", "noteLiteral": {"en": sentence(rng, 40)}})
        else:
            a = copy.deepcopy(claim["provenBy"][0])
            a["id"] = f"urn:epass:learningAssessment:{i}-{k}"
            a["title"] = {"en": sentence(rng, 6)}
            a["specifiedBy"]["id"] = f"urn:epass:learningAssessmentSpecification:{i}-{k}"
            claim["provenBy"].append(a)
        added = (spec["learningOutcome"][-1] if kind == 0 else claim["additionalNote"][-1] if kind == 1 else claim["provenBy"][-1])
        text = json.dumps(added, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(added, ensure_ascii=False, indent=2)
        current += len(text) + 2 + (0 if compact else depth_indent * (text.count("\n") + 1))


def defect(d: dict, rng: random.Random) -> None:
    claim = d["credentialSubject"]["hasClaim"][0]
    choice = rng.randrange(5)
    if choice == 0 and "eIDASIdentifier" in d["issuer"]:
        d["issuer"]["eIDAS\u0399dentifier"] = d["issuer"].pop("eIDASIdentifier")
    elif choice == 1:
        claim["specifiedBy"]["volumeOfLearning"] = "P135M"
    elif choice == 2:
        claim["specifiedBy"].pop("learningOutcome", None)
    elif choice == 3:
        d["validFrom"] = "2026-07-15T09:00:00"
    else:
        claim["title"] = {"english": claim["title"]["en"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    corpus = args.out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(args.documents):
        target = int(math.exp(rng.uniform(math.log(2_000), math.log(200_000))))
        # Below 16 KB: a sparse credential written on one line, as issuing tools do; above: pretty-printed.
        compact = target < 16_000
        d = minimal_credential(i) if target < 24_000 else small_credential(i)
        grow(d, target, rng, i, compact)
        if rng.random() < 0.2:
            defect(d, rng)
        text = json.dumps(d, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(d, ensure_ascii=False, indent=2)
        (corpus / f"credential-{i:05d}.jsonld").write_text(text + "\n", encoding="utf-8")
        total += len(text.encode()) + 1
    print(f"generated {args.documents} credentials, {total / 1e6:.1f} MB, in {corpus}")


if __name__ == "__main__":
    main()
