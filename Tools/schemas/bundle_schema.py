#!/usr/bin/env python3
"""Bundle an ECCOE schema with every ECCOE schema it references into one self-contained file.

    Tools/schemas/.venv/bin/python Tools/schemas/bundle_schema.py Schemas/credential.schema.json > /tmp/credential.bundled.json
    check-jsonschema --schemafile /tmp/credential.bundled.json some-credential.jsonld

The schemas in Schemas/ refer to each other by their https://eccoe.eu/schemas/… `$id`, which is not
served on the web. Tools that cannot be given local copies (such as check-jsonschema) can use the
bundled form instead: the referenced schemas are embedded under `$defs` with their own `$id`, which
JSON Schema 2020-12 resolves without any download. The output is not committed (Schemas/ already holds
every part, and duplicate `$id`s in one folder would confuse schema registries).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from vocablib import BASE, SCHEMAS


def external_refs(schema) -> set[str]:
    refs = set()
    for r in re.findall(r'"\$ref": "([^"#]+)(?:#[^"]*)?"', json.dumps(schema)):
        if r.startswith(BASE):
            refs.add(r)
    return refs


def load_by_id() -> dict[str, dict]:
    out = {}
    for p in SCHEMAS.rglob("*.schema.json"):
        s = json.loads(p.read_text(encoding="utf-8"))
        out[s["$id"]] = s
    return out


def bundle(path: Path) -> dict:
    by_id = load_by_id()
    root = json.loads(path.read_text(encoding="utf-8"))
    root.setdefault("$defs", {})
    todo, seen = list(external_refs(root)), set()
    while todo:
        ref = todo.pop()
        if ref in seen or ref == root["$id"]:
            continue
        seen.add(ref)
        sub = dict(by_id[ref])
        sub.pop("$schema", None)
        sub.pop("examples", None)
        root["$defs"]["bundled:" + ref[len(BASE):]] = sub
        todo.extend(external_refs(sub))
    return root


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    json.dump(bundle(Path(sys.argv[1])), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
