"""Shared helpers for the ECCOE schema generators (run by hand, output committed).

A vocabulary file (Schemas/vocabularies/<name>.json) lists concepts; its companion
Schemas/vocabularies/<name>.schema.json is a JSON Schema 2020-12 whose root is an
`anyOf` of `{"const": <concept id>, "title": <label>, "description": ...}` branches, so
that plain JSON-Schema editors show the label of every allowed value.
"""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "Schemas"
VOCAB_DIR = SCHEMAS / "vocabularies"
BASE = "https://eccoe.eu/schemas/"
VOCAB_BASE = BASE + "vocabularies/"
META = "https://json-schema.org/draft/2020-12/schema"


def write_json(path: Path, obj) -> None:
    """Write JSON with stable formatting (2-space indent, UTF-8, final newline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def vocabulary(name: str, title: str, description: str, source: str, concepts: list[dict],
               *, scheme: str | None = None, iri_pattern: str | None = None,
               complete: bool = True) -> dict:
    """Build a vocabulary document in the ECCOE vocabulary format."""
    doc = {
        "$schema": BASE + "vocabularies/vocabulary.schema.json",
        "$id": f"{VOCAB_BASE}{name}.json",
        "title": title,
        "description": description,
        "source": source,
    }
    if scheme:
        doc["conceptScheme"] = scheme
    if iri_pattern:
        doc["iriPattern"] = iri_pattern
    doc["complete"] = complete
    doc["concepts"] = concepts
    return doc


def concept(cid: str, notation: str, label: str, definition: str | None = None,
            broader: str | None = None, **extra) -> dict:
    c = {"id": cid, "notation": notation, "label": {"en": label}}
    if definition:
        c["definition"] = definition
    if broader:
        c["broader"] = broader
    c.update(extra)
    return c


def vocabulary_schema(vocab: dict, name: str) -> dict:
    """Derive the JSON Schema that accepts exactly the vocabulary's concept ids."""
    branches = []
    for c in vocab["concepts"]:
        label = c["label"].get("en") or next(iter(c["label"].values()))
        notation = c.get("notation") or ""
        desc = label if notation in ("", c["id"]) or notation in label else f"{label} ({notation})"
        if c.get("definition"):
            desc += " — " + c["definition"]
        branches.append({"const": c["id"], "title": label, "description": desc})
    if not vocab.get("complete", True) and vocab.get("iriPattern"):
        branches.append({
            "type": "string",
            "pattern": vocab["iriPattern"],
            "title": "Another concept of this scheme",
            "description": "This vocabulary is only partly bundled with ECCOE; any concept IRI of the "
                           "same scheme is accepted here.",
        })
    schema = {
        "$schema": META,
        "$id": f"{VOCAB_BASE}{name}.schema.json",
        "title": vocab["title"],
        "description": vocab["description"] + " Allowed values are the concept identifiers listed "
                       f"in {name}.json; each option carries its label.",
        "type": "string",
        "anyOf": branches,
        "examples": [vocab["concepts"][0]["id"]],
    }
    return schema


def write_vocabulary(vocab: dict, name: str) -> None:
    write_json(VOCAB_DIR / f"{name}.json", vocab)
    write_json(VOCAB_DIR / f"{name}.schema.json", vocabulary_schema(vocab, name))

