#!/usr/bin/env python3
"""The differential test's corpus: ELM documents of the project, and deterministic mutations of them.

Seeds: every credential and learning opportunity in Schemas/examples and every ELM document in
Tests/Resources/samples (found by their `type`; a sealed one by its payload's, and it gets no mutants). Mutants: one defect each, made at a place chosen by a random
generator seeded with the seed's file name, the kind of defect and the mutant's number, so the same files give the
same corpus, byte for byte, on every machine:

  drop        a property removed from a node (its `type` too, sometimes)
  duplicate   a single value made two (a second text, or a copy of the node under new ids)
  datatype    a value of the wrong datatype (a date, number, boolean, duration, IRI or text made something else)
  class       a node's `type` changed to another ELM class
  vocabulary  a concept's IRI replaced by one outside its vocabulary (an unknown code, or another scheme's concept)
  dangling    a node replaced by a reference (`id` and `type`) to a node the document does not describe
  language    a language map repeated: two texts in one language, or a second language where one text is allowed

    python corpus.py OUT_DIR        # writes the seeds and the mutants, prints how many of each
"""
from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

import os

# ECCOE_CORPUS_ROOT: another checkout's Schemas/examples and Tests/Resources/samples (to measure an older state).
ROOT = Path(os.environ.get("ECCOE_CORPUS_ROOT") or Path(__file__).resolve().parents[2])
ELM_TYPES = {"EuropeanDigitalCredential", "LearningOpportunity"}

# How many mutants of each kind each seed gets: the good documents and the EC's own carry most of the corpus.
RICH = {"good-credential.jsonld": 14, "good-learning-opportunity.jsonld": 14}
RICH_SAMPLE = 9
OTHER = 1
KINDS = ["drop", "duplicate", "datatype", "class", "vocabulary", "dangling", "language"]

CLASSES = ["Organisation", "Person", "LearningAchievement", "LearningAchievementSpecification", "LearningOutcome",
           "Accreditation", "Address", "Location", "CreditPoint", "Note", "WebResource", "Concept", "PeriodOfTime",
           "LearningAssessment", "Qualification", "GradingScheme", "LegalIdentifier"]
# Concepts from other schemes, for a vocabulary IRI that names the wrong thing.
FOREIGN = ["http://publications.europa.eu/resource/authority/country/FRA",
           "http://data.europa.eu/snb/eqf/6",
           "http://publications.europa.eu/resource/authority/language/ENG",
           "http://data.europa.eu/snb/isced-f/0613",
           "http://data.europa.eu/snb/learning-setting/6fbb8c3b9d"]


def is_elm(doc) -> bool:
    nodes = doc.get("@graph", [doc]) if isinstance(doc, dict) else []
    for n in nodes if isinstance(nodes, list) else []:
        if isinstance(n, dict):
            t = n.get("type")
            if {x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)} & ELM_TYPES:
                return True
    return False


def unseal(raw: bytes):
    """(the document, whether it was sealed): a sealed credential's payload (oracle.unseal), else the JSON itself."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import oracle
    return oracle.unseal(raw)


def seeds() -> list[Path]:
    found = []
    for folder in (ROOT / "Schemas" / "examples", ROOT / "Tests" / "Resources" / "samples"):
        for p in sorted(folder.glob("*.json*")):
            try:
                doc, _ = unseal(p.read_bytes())
            except ValueError:
                continue
            if is_elm(doc):
                found.append(p)
    return found


def walk(x, path=()):
    """(path, value) for every value, depth first, in document order."""
    yield path, x
    if isinstance(x, dict):
        for k, v in x.items():
            yield from walk(v, path + (k,))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from walk(v, path + (i,))


def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def is_language_map(v) -> bool:
    return (isinstance(v, dict) and v and "id" not in v and "type" not in v
            and all(isinstance(k, str) and 2 <= len(k) <= 8 and k[:2].isalpha() and k[:2].islower() for k in v))


def nodes(doc):
    """Paths of node objects (objects with a `type`)."""
    return [p for p, v in walk(doc) if isinstance(v, dict) and "type" in v]


def reid(node, suffix):
    """A deep copy whose every id is made new (so JSON-LD does not merge it with the original)."""
    c = copy.deepcopy(node)
    for _, v in walk(c):
        if isinstance(v, dict) and isinstance(v.get("id"), str) and not v["id"].startswith("http"):
            v["id"] = v["id"] + suffix
    return c


def mutate(doc, kind: str, rng: random.Random):
    """One defect of `kind`, or None when the document has no place for it. Returns (document, what was done)."""
    d = copy.deepcopy(doc)
    if kind == "drop":
        places = [(p, k) for p in nodes(d) for k in get(d, p) if k not in ("@context", "id")]
        if not places:
            return None
        p, k = rng.choice(places)
        del get(d, p)[k]
        return d, f"drop {k} at {'/'.join(map(str, p))}"
    if kind == "duplicate":
        places = []
        for p in nodes(d):
            for k, v in get(d, p).items():
                if k in ("@context", "id", "type") or isinstance(v, list) or is_language_map(v):
                    continue
                places.append((p, k))
        if not places:
            return None
        p, k = rng.choice(places)
        v = get(d, p)[k]
        if isinstance(v, dict):
            second = reid(v, "-copy")
        elif isinstance(v, bool):
            second = not v
        elif isinstance(v, (int, float)):
            second = v + 1
        elif isinstance(v, str) and v.startswith("http"):
            second = v.rstrip("/") + "/second"
        else:
            second = str(v) + "2" if v else "second"
        get(d, p)[k] = [v, second]
        return d, f"duplicate {k} at {'/'.join(map(str, p))}"
    if kind == "datatype":
        places = []
        for p, v in walk(d):
            if not p or p[-1] in ("id", "type", "@context") or "@context" in p:
                continue
            parent = get(d, p[:-1])
            if isinstance(parent, dict) and is_language_map(parent):
                continue
            if isinstance(v, (str, int, float, bool)) or is_language_map(v):
                places.append(p)
        if not places:
            return None
        p = rng.choice(places)
        v = get(d, p)
        if isinstance(v, bool):
            new = "yes"
        elif isinstance(v, (int, float)):
            new = "many"
        elif is_language_map(v):
            new = next(iter(v.values())) if isinstance(next(iter(v.values())), str) else "text"
        elif len(v) >= 10 and v[4:5] == "-" and v[7:8] == "-":
            new = rng.choice(["30/06/2026", "2026-13-45T00:00:00Z", "soon"])
        elif v.startswith("P") and len(v) < 20:
            new = rng.choice(["60 hours", 60])
        elif v.startswith(("http://", "https://", "urn:", "mailto:")):
            new = rng.choice(["not an IRI", 42])
        else:
            new = rng.choice([42, True, {"en": v}])
        get(d, p[:-1])[p[-1]] = new
        return d, f"datatype {'/'.join(map(str, p))}"
    if kind == "class":
        places = [p for p in nodes(d) if p]  # not the root: its type decides the document's kind
        if not places:
            return None
        p = rng.choice(places)
        n = get(d, p)
        old = n["type"] if isinstance(n["type"], str) else n["type"][0]
        n["type"] = rng.choice([c for c in CLASSES if c != old])
        return d, f"class {old}->{n['type']} at {'/'.join(map(str, p))}"
    if kind == "vocabulary":
        places = [p for p in nodes(d) if get(d, p).get("type") == "Concept" and isinstance(get(d, p).get("id"), str)
                  and get(d, p)["id"].startswith(("http://data.europa.eu/", "http://publications.europa.eu/"))]
        if not places:
            return None
        p = rng.choice(places)
        n = get(d, p)
        old = n["id"]
        if rng.random() < 0.5:
            n["id"] = old.rsplit("/", 1)[0] + "/XYZ-unknown"
        else:
            n["id"] = rng.choice([f for f in FOREIGN if f.rsplit("/", 1)[0] != old.rsplit("/", 1)[0]])
        return d, f"vocabulary {old}->{n['id']}"
    if kind == "dangling":
        places = [p for p in nodes(d) if p and isinstance(get(d, p).get("id"), str) and get(d, p).get("type") != "Concept"
                  and len(get(d, p)) > 2]
        if not places:
            return None
        p = rng.choice(places)
        n = get(d, p)
        ref = {"id": f"urn:eccoe:dangling:{rng.randrange(10**6)}", "type": n["type"]}
        get(d, p[:-1])[p[-1]] = ref
        return d, f"dangling {'/'.join(map(str, p))}"
    if kind == "language":
        places = [p for p, v in walk(d) if p and p[-1] not in ("@context",) and is_language_map(v)
                  and isinstance(get(d, p[:-1]), dict) and "type" in get(d, p[:-1])]
        if not places:
            return None
        p = rng.choice(places)
        m = get(d, p)
        lang = next(iter(m))
        text = m[lang] if isinstance(m[lang], str) else m[lang][0]
        if rng.random() < 0.6:
            m[lang] = [text, text + " (variant)"]
            return d, f"language {lang} twice at {'/'.join(map(str, p))}"
        other = "fr" if lang != "fr" else "de"
        m[other] = text + " (" + other + ")"
        return d, f"language {other} added at {'/'.join(map(str, p))}"
    raise ValueError(kind)


def build(out: Path) -> list[dict]:
    """Writes the corpus into `out`; returns one entry per file: name, seed, mutation (None for a seed), note."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for s in seeds():
        raw = s.read_bytes()
        name = s.name if s.parent.name == "examples" else "sample-" + s.name
        (out / name).write_bytes(raw)
        entries.append({"file": name, "seed": name, "mutation": None, "note": ""})
        doc, sealed = unseal(raw)
        # A sealed sample is a seed as it is; its payload's mutants would be the unsigned sample's again.
        per_kind = 0 if sealed else RICH.get(s.name, RICH_SAMPLE if s.parent.name == "samples" else OTHER)
        stem = name.rsplit(".", 1)[0]
        for kind in KINDS:
            made = set()
            for i in range(per_kind * 3):
                if len(made) == per_kind:
                    break
                rng = random.Random(f"{s.name}:{kind}:{i}")
                r = mutate(doc, kind, rng)
                if r is None:
                    break
                m, note = r
                text = json.dumps(m, indent=2, ensure_ascii=False) + "\n"
                if text in made:
                    continue
                made.add(text)
                fname = f"{stem}--{kind}-{len(made)}.jsonld"
                (out / fname).write_text(text, encoding="utf-8")
                entries.append({"file": fname, "seed": name, "mutation": kind, "note": note})
    return entries


if __name__ == "__main__":
    es = build(Path(sys.argv[1]))
    from collections import Counter
    print(len(es), "files:", dict(Counter(e["mutation"] or "seed" for e in es)))
