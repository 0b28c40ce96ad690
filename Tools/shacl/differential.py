#!/usr/bin/env python3
"""Differential test: what `eccoe check` reports against what the European Commission's SHACL shapes report.

    python differential.py --eccoe PATH/TO/eccoe [--jobs 2] [--verify N|all] [--refresh] [--report FILE] [--no-deviations]

1. Builds the corpus (corpus.py: the project's ELM documents and ≥ 500 deterministic mutations) in a temporary folder.
2. Runs `eccoe check --format json` over it, once.
3. Gets the shapes' verdict on each file from the oracle (oracle.py), through the cache
   Tests/Differential/shacl-oracle-cache.json: results keyed by the SHA-256 of the file's bytes and of the shapes,
   ontology, contexts and oracle of the profile used. Files missing from the cache are validated now (in --jobs
   processes); a random sample of --verify cached files (`all`: every one) is validated again and must give the
   cached answer. A cache made with other versions of pySHACL, rdflib, owlrl or pyld is not used.
   --refresh writes the cache anew (Tools/shacl/refresh-cache.sh).
4. Reduces both verdicts to pairs (focus node, property IRI) per file and compares them: both report / only the shapes
   / only ECCOE / neither (every other node-property pair of the document). Only ECCOE's errors count as reports:
   warnings and information do not reject a document, and every SHACL result of these shapes is a sh:Violation.
5. Every disagreement must match a deviation of the table "Deviations from the EC's SHACL shapes" in
   ARCHITECTURE.md (read from there); each deviation must match at least one disagreement (else it is stale). Exit 1
   on an undocumented disagreement or a stale deviation, after printing them.

How a finding becomes a pair (see ARCHITECTURE.md, "The differential test against the EC's shapes"): the finding's
byte offset is located in the document (the innermost key or value holding it). A key names (its object, the key). A
missing or unknown property reported at an object (`properties` in the JSON output) names (the object, that property).
A value names (the object holding it, its key), after stepping out of arrays and language maps; a node's own `id` or
`type` names the node as its owner's value: (owner, the owner's key). The object becomes the focus: its `id`, or for
an object without one, the focus of the object holding it followed by the property IRI that holds it (which is how
the oracle names blank nodes). Keys become property IRIs through the EDC and W3C contexts; a key neither context
defines keeps its JSON name (`json:KEY`): JSON-LD drops it, so the shapes never see it. A finding at the id of a
concept, or at a reference, may also stand at a second place, counted there only when the shapes report a value
there (too many, the wrong class, node, scheme or datatype): the concept's `inScheme`, the reference's holder's
property.

Besides the finding's and the result's own fields, a disagreement carries what the deviation table matches on:
signed, asserted, merged, repeats, valuetyped, inner, classinferred (the shapes validated the node as a class the
document does not give it, or reached it from a holder of such a class), heldby (`Class.key` of each node holding it).
"""
from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402
import oracle  # noqa: E402

ROOT = HERE.parents[1]
CACHE = Path(os.environ.get("ECCOE_ORACLE_CACHE") or ROOT / "Tests" / "Differential" / "shacl-oracle-cache.json")
ARCHITECTURE = ROOT / "ARCHITECTURE.md"


DOCUMENT = ("_:document", "json-ld")  # the pair for "the document as a whole"
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
VALUE_CONSTRAINTS = {"MaxCount", "Class", "Node", "HasValue", "In", "Datatype", "NodeKind"}

# ---------------------------------------------------------------------------------------------------- contexts
def term_table() -> dict[str, tuple[str, str | None]]:
    """JSON key -> (property IRI, container) from the EDC context, then the W3C context's credential terms."""
    edc = json.loads((oracle.ELM / "edc-ap-context.jsonld").read_text(encoding="utf-8"))["@context"]
    vc = json.loads((oracle.W3C / "credentials-v1.jsonld").read_text(encoding="utf-8"))["@context"]
    vc_terms = vc["VerifiableCredential"]["@context"]

    def expand(value: str, ctx: dict) -> str:
        if "://" in value or value.startswith("urn:"):
            return value
        if ":" in value:
            prefix, local = value.split(":", 1)
            base = ctx.get(prefix)
            if isinstance(base, str):
                return base + local
        return value

    table: dict[str, tuple[str, str | None]] = {}
    for ctx in (edc, vc_terms):
        for k, v in ctx.items():
            if k.startswith("@") or k in table or not k[:1].islower():
                continue
            if isinstance(v, str):
                if v.startswith("@"):
                    continue
                iri = expand(v, ctx)
                if iri.endswith(("/", "#")):  # a prefix, not a term
                    continue
                table[k] = (iri, None)
            elif isinstance(v, dict) and isinstance(v.get("@id"), str):
                table[k] = (expand(v["@id"], ctx), v.get("@container"))
    table["type"] = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", None)
    return table


BASE_TERMS = term_table()
TERMS = dict(BASE_TERMS)
IRI_KEYS = defaultdict(list)
for _k, (_iri, _c) in BASE_TERMS.items():
    IRI_KEYS[_iri].append(_k)


def use_inline_terms(doc) -> None:
    """Adds the document's own inline term definitions (`@context` objects) to TERMS, as JSON-LD does."""
    TERMS.clear()
    TERMS.update(BASE_TERMS)
    ctx = doc.get("@context") if isinstance(doc, dict) else None
    for c in ctx if isinstance(ctx, list) else [ctx]:
        if isinstance(c, dict):
            for k, v in c.items():
                if isinstance(v, str) and "://" in v:
                    TERMS[k] = (v, None)
                elif isinstance(v, dict) and isinstance(v.get("@id"), str) and "://" in v["@id"]:
                    TERMS[k] = (v["@id"], v.get("@container"))
                    IRI_KEYS[v["@id"]].append(k) if k not in IRI_KEYS[v["@id"]] else None


def key_iri(key: str) -> str:
    return TERMS[key][0] if key in TERMS else "json:" + key


def short(iri: str) -> str:
    """A property IRI as the JSON key a document uses for it (`json:KEY` stays as it is)."""
    if iri.startswith("json:") or not iri:
        return iri
    keys = IRI_KEYS.get(iri)
    return keys[0] if keys else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# ------------------------------------------------------------------------------------------ JSON with offsets
class Spans:
    """Every key and value of a JSON text with its byte range and JSON path (a tuple of keys and indices)."""

    WS = b" \t\r\n"

    def __init__(self, data: bytes):
        self.b = data
        self.items: list[tuple[int, int, tuple, bool]] = []  # (start, end, path, is_key)
        self.i = 0
        self.value(())

    def ws(self):
        while self.i < len(self.b) and self.b[self.i] in self.WS:
            self.i += 1

    def string(self) -> str:
        start = self.i
        self.i += 1
        while self.b[self.i] != 0x22:
            self.i += 2 if self.b[self.i] == 0x5C else 1
        self.i += 1
        return json.loads(self.b[start:self.i].decode("utf-8"))

    def value(self, path):
        self.ws()
        start = self.i
        c = self.b[self.i]
        if c == 0x7B:  # {
            self.i += 1
            self.ws()
            if self.b[self.i] == 0x7D:
                self.i += 1
            else:
                while True:
                    self.ws()
                    ks = self.i
                    k = self.string()
                    self.items.append((ks, self.i, path + (k,), True))
                    self.ws()
                    self.i += 1  # :
                    self.value(path + (k,))
                    self.ws()
                    c = self.b[self.i]
                    self.i += 1
                    if c == 0x7D:
                        break
        elif c == 0x5B:  # [
            self.i += 1
            self.ws()
            if self.b[self.i] == 0x5D:
                self.i += 1
            else:
                n = 0
                while True:
                    self.value(path + (n,))
                    n += 1
                    self.ws()
                    c = self.b[self.i]
                    self.i += 1
                    if c == 0x5D:
                        break
        elif c == 0x22:
            self.string()
        else:
            while self.i < len(self.b) and self.b[self.i] not in b",]} \t\r\n":
                self.i += 1
        self.items.append((start, self.i, path, False))

    def locate(self, offset: int):
        best = None
        for s, e, p, k in self.items:
            if s <= offset < e or (s == offset == e):
                if best is None or e - s < best[1] - best[0]:
                    best = (s, e, p, k)
        return best


def sealed_payload(raw: bytes):
    """For a sealed credential: (payload bytes, map from payload offset to file offset); else None."""
    try:
        doc = json.loads(raw)
    except ValueError:
        return None
    if not (isinstance(doc, dict) and isinstance(doc.get("payload"), str)):
        return None
    sp = Spans(raw)
    for s, e, p, k in sp.items:
        if p == ("payload",) and not k:
            text = raw[s + 1:e - 1]
            out, where, i = bytearray(), [], 0
            while i < len(text):
                if text[i] == 0x5C:
                    j = i + 2 if text[i + 1] != ord("u") else i + 6
                    ch = json.loads(b'"' + text[i:j] + b'"').encode("utf-8")
                    out += ch
                    where += [s + 1 + i] * len(ch)
                    i = j
                else:
                    out.append(text[i])
                    where.append(s + 1 + i)
                    i += 1
            return bytes(out), where
    return None


# ------------------------------------------------------------------------------------------------- focus names
def get(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def strip_indices(path):
    while path and isinstance(path[-1], int):
        path = path[:-1]
    return path


def is_language_container(key) -> bool:
    return isinstance(key, str) and TERMS.get(key, ("", None))[1] == "@language"


def focus_name(doc, path) -> str:
    """The RDF name of the node object at `path`: its id, or the chain from the nearest named node above it."""
    node = get(doc, path)
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        return node["id"]
    held = strip_indices(path)  # the node, out of the array holding it
    if not held or held == ("@graph",):
        return "_:root"
    key, parent = held[-1], held[:-1]
    if parent and is_language_container(parent[-1]):
        return "_:literal"
    return focus_name(doc, parent) + " " + key_iri(key)


def described_ids(doc) -> set[str]:
    """Ids of the nodes the document describes (an object with more than `id` and `type`)."""
    return {v["id"] for _, v in corpus.walk(doc)
            if isinstance(v, dict) and isinstance(v.get("id"), str) and set(v) - {"id", "type", "@context"}}


def is_reference(v) -> bool:
    return isinstance(v, dict) and isinstance(v.get("id"), str) and not set(v) - {"id", "type", "@context"}


def eccoe_pairs(doc, spans: Spans, offset: int, prop: str | None, described: set[str]) -> list[tuple[str, str]]:
    """The (focus, property IRI) pairs an ECCOE finding at `offset` of the document is about. A pair whose property
    is "*" stands for the node as a whole: it agrees with whatever the shapes report on that node."""
    loc = spans.locate(offset)
    if loc is None:
        return [("_:root", "")]
    _, _, path, is_key = loc
    value = None if is_key else get(doc, path)
    if is_key:
        owner = path[:-1]
        if owner and is_language_container(owner[-1]):  # a language tag: about the text's property
            return [(focus_name(doc, owner[:-1]), key_iri(owner[-1]))]
        return [(focus_name(doc, owner), key_iri(path[-1]))]
    # A reference to a node the document describes nowhere (at the reference or its id): about that node, which
    # the shapes find without its required properties.
    ref_path = path if is_reference(value) else path[:-1] if path and path[-1] == "id" and is_reference(get(doc, path[:-1])) else None
    if ref_path is not None and get(doc, ref_path)["id"] not in described:
        held = strip_indices(ref_path)
        if held and held[-1] not in TERMS and held[-1] != "@graph":  # under a key JSON-LD drops: never seen
            return [(focus_name(doc, held[:-1]), key_iri(held[-1]))]
        pairs = [(get(doc, ref_path)["id"], "*")]
        if held and held != ("@graph",) and not (len(held) == 2 and held[0] == "@graph"):
            # The reference is also its holder's value: where the shapes report that value at the property (two
            # values once merged, a node of the wrong class), the finding is there too.
            pairs.append((focus_name(doc, held[:-1]), "?" + key_iri(held[-1])))
        return pairs
    if prop and isinstance(value, dict):
        if prop != "type":
            return [(focus_name(doc, path), key_iri(prop))]
        # A node without `type` is of no class: it is its owner's value that is wrong.
        held = strip_indices(path)
        if not held or held == ("@graph",) or (len(held) == 2 and held[0] == "@graph"):
            return [(focus_name(doc, path), key_iri("type"))]
        return [(focus_name(doc, held[:-1]), key_iri(held[-1]))]
    vpath = strip_indices(path)
    if not vpath:
        return [(focus_name(doc, ()), "")]
    owner, key = vpath[:-1], vpath[-1]
    # A text inside a language map is its property's value.
    if owner and is_language_container(owner[-1]):
        owner, key = owner[:-1], owner[-1]
    if key == "@context":
        return [(focus_name(doc, owner), "@context")]
    held = strip_indices(owner)
    if key in ("id", "type") and held and held != ("@graph",) and not (len(held) == 2 and held[0] == "@graph"):
        # A node's own id or type: the node as its owner's value; a wrong type also makes the node what it
        # claims to be, which the shapes then validate as such.
        pairs = [(focus_name(doc, held[:-1]), key_iri(held[-1]))]
        if key == "type":
            pairs.append((focus_name(doc, owner), "*"))
        elif get(doc, owner).get("type") == "Concept":
            # A concept's IRI that the property's vocabulary does not hold: the shapes see the same mistake as the
            # concept's `inScheme` not naming the property's scheme (a restriction reached through sh:node), at
            # the concept. Counted there only if the shapes report it there ("?": an alternative place).
            pairs.append((focus_name(doc, owner), "?" + SKOS_IN_SCHEME))
        return pairs
    return [(focus_name(doc, owner), key_iri(key))]


def repeats(doc, pair) -> str:
    """"yes" when the node `pair[0]` gives property `pair[1]` several values that are one node (the same id)."""
    for p, v in corpus.walk(doc):
        if isinstance(v, dict) and ("id" in v or "type" in v) and focus_name(doc, p) == pair[0]:
            for k, val in v.items():
                if key_iri(k) == pair[1] and isinstance(val, list):
                    ids = [x.get("id") if isinstance(x, dict) else x for x in val]
                    if len(set(map(str, ids))) < len(ids):
                        return "yes"
    return "no"


def universe(doc) -> set[tuple[str, str]]:
    """Every (node, property) pair the document states."""
    out = set()
    for p, v in corpus.walk(doc):
        if isinstance(v, dict) and ("type" in v or "id" in v) and not (p and is_language_container(strip_indices(p)[-1] if strip_indices(p) else None)):
            f = focus_name(doc, p)
            for k in v:
                if k not in ("id", "@context"):
                    out.add((f, key_iri(k)))
    return out


# ------------------------------------------------------------------------------------------- the shapes' classes
_shape_classes: dict = {}
_superclasses: dict | None = None


def class_terms() -> dict[str, str]:
    """JSON `type` value -> class IRI, from the EDC context's class terms (the ones starting with a capital)."""
    edc = json.loads((oracle.ELM / "edc-ap-context.jsonld").read_text(encoding="utf-8"))["@context"]
    out = {}
    for k, v in edc.items():
        iri = v if isinstance(v, str) else v.get("@id") if isinstance(v, dict) else None
        if k[:1].isupper() and isinstance(iri, str) and ":" in iri:
            prefix, local = iri.split(":", 1)
            base = edc.get(prefix)
            out[k] = base + local if isinstance(base, str) and "//" not in iri else iri
    return out


CLASS_TERMS = class_terms()


def superclasses() -> dict[str, set[str]]:
    """Class IRI -> itself and every superclass (rdfs:subClassOf*, ELM.ttl)."""
    global _superclasses
    if _superclasses is None:
        import rdflib
        g = rdflib.Graph().parse(oracle.ELM / "shacl" / "ELM.ttl", format="turtle")
        direct = defaultdict(set)
        for sub, sup in g.subject_objects(rdflib.RDFS.subClassOf):
            direct[str(sub)].add(str(sup))
        closure = {}
        for c in list(direct):
            seen, todo = {c}, [c]
            while todo:
                for sup in direct.get(todo.pop(), ()):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            closure[c] = seen
        _superclasses = closure
    return _superclasses


def shape_classes(profile: str):
    """Two tables of the profile's shapes. `direct`: (property IRI, constraint parameter such as `minCount`) -> the
    classes whose shapes (sh:targetClass) state that constraint on that property, `*` standing for a shape reached
    otherwise (another kind of target, or sh:node), whose focus nodes may be of any class. `via`: (the holder's
    property IRI, property IRI, parameter) -> the classes whose shapes reach that constraint through sh:node on the
    holder's property (a concept's `inScheme` restriction, reached from the class that holds the concept)."""
    if profile not in _shape_classes:
        import rdflib
        SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
        g = rdflib.Graph()
        for name in oracle.PROFILES[profile]:
            g.parse(oracle.ELM / "shacl" / name, format="turtle")
        direct, via = defaultdict(set), defaultdict(set)
        targets_other = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)

        def constraints(prop):
            path = g.value(prop, SH.path)
            if isinstance(path, rdflib.URIRef):
                for param in g.predicates(prop, None):
                    if str(param).startswith(str(SH)):
                        yield str(path), str(param)[len(str(SH)):]

        for shape in set(g.subjects(SH.property, None)):
            classes = {str(c) for c in g.objects(shape, SH.targetClass)}
            if not classes or any(g.value(shape, t) is not None for t in targets_other):
                classes.add("*")
            for prop in g.objects(shape, SH.property):
                for key in constraints(prop):
                    direct[key] |= classes
                holder = g.value(prop, SH.path)
                for inner in g.objects(prop, SH.node):
                    for q in g.objects(inner, SH.property):
                        for path, param in constraints(q):
                            via[(str(holder), path, param)] |= classes - {"*"}
        _shape_classes[profile] = (direct, via)
    return _shape_classes[profile]


def stated_classes(types) -> set[str]:
    """The class IRIs of JSON `type` names, with their superclasses."""
    out = set()
    for name in types if isinstance(types, list) else [types]:
        if isinstance(name, str) and name in CLASS_TERMS:
            out |= superclasses().get(CLASS_TERMS[name], {CLASS_TERMS[name]})
    return out


def class_inferred(doc, profile: str, focus: str, iri: str, constraints) -> str:
    """"yes" when the shapes can have reported (focus, property) only as a class the document does not give a node:
    no class the document states for the focus node (nor a superclass) has a shape with that constraint on that
    property, only classes it is not said to have do (RDFS inference gave it one, from rdfs:domain or rdfs:range);
    or, for a constraint reached through sh:node (a concept's `inScheme` restriction), the same of every node that
    holds the focus node. "no" otherwise, or when it cannot be told (a blank node, a shape without a class target)."""
    if not constraints or profile not in oracle.PROFILES:
        return "no"
    direct, via = shape_classes(profile)
    stated, holders = set(), []
    for _, v in corpus.walk(doc):
        if isinstance(v, dict):
            if v.get("id") == focus:
                stated |= stated_classes(v.get("type"))
            for k, val in v.items():
                if any(isinstance(x, dict) and x.get("id") == focus for x in (val if isinstance(val, list) else [val])):
                    holders.append((stated_classes(v.get("type")), key_iri(k)))
    for constraint in constraints:
        param = constraint[:1].lower() + constraint[1:]
        classes = direct.get((iri, param), set())
        if not classes:
            return "no"
        if "*" not in classes:
            if not stated or classes & stated:
                return "no"
            continue
        # Reached through sh:node: decided by the classes of the nodes holding the focus node.
        reached = [(held, via.get((key, iri, param), set())) for held, key in holders]
        if not reached or any(not held or not by or held & by for held, by in reached):
            return "no"
    return "yes"


def held_by(doc, focus: str) -> list[str]:
    """`Class.key` for each place the document holds the node `focus` as a value (its holder's type and the key)."""
    out = set()
    for _, v in corpus.walk(doc):
        if isinstance(v, dict) and ("type" in v or "id" in v):
            t = v.get("type")
            types = [x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]
            for k, val in v.items():
                for x in val if isinstance(val, list) else [val]:
                    if isinstance(x, dict) and x.get("id") == focus:
                        out |= {f"{c}.{k}" for c in types}
    return sorted(out)


# ------------------------------------------------------------------------------------------------- the oracle
_worker = None


def _validate(args):
    global _worker
    raw, profile = args
    if _worker is None:
        _worker = oracle.Oracle()
    return _worker.validate(raw, profile)


def libraries() -> dict[str, str]:
    """The versions of the Python packages that make the oracle's answer: a cache made with others is not used."""
    from importlib.metadata import version
    return {name: version(name) for name in ("pyshacl", "rdflib", "owlrl", "PyLD")}


def load_cache(log) -> dict:
    if CACHE.exists():
        cache = json.loads(CACHE.read_text(encoding="utf-8"))
        if cache.get("libraries") == libraries():
            return cache
        log(f"oracle: the cache was made with {cache.get('libraries')}, not {libraries()}: not used")
    return {"fingerprints": {}, "entries": {}}


def shapes_verdicts(files: dict[str, bytes], jobs: int, verify: int | None, refresh: bool, log, update: bool = False) -> dict[str, dict]:
    """The oracle's verdict per file name. verify: how many cached files, drawn at random, are validated again
    (None: all of them, so that every file of the corpus goes through pySHACL in this run)."""
    fingerprints = {p: oracle.shapes_fingerprint(p) for p in oracle.PROFILES}
    cache = {"fingerprints": {}, "entries": {}} if refresh else load_cache(log)
    entries = cache.get("entries", {})
    keys, todo = {}, {}
    for name, raw in files.items():
        try:
            doc, _ = oracle.unseal(raw)
            profile = oracle.declared_profile(doc)
        except (ValueError, UnicodeDecodeError):
            profile = "full"
        key = hashlib.sha256(raw).hexdigest() + ":" + fingerprints[profile][:16]
        keys[name] = key
        if key not in entries:
            todo[key] = (raw, profile)
    cached = [k for k in set(keys.values()) if k in entries]
    rng = random.Random(os.urandom(8))
    sample = sorted(cached) if verify is None else rng.sample(sorted(cached), min(verify, len(cached)))
    jobs_list = list(todo.items()) + [(k, next((files[n], oracle.declared_profile(oracle.unseal(files[n])[0]))
                                               for n, kk in keys.items() if kk == k)) for k in sample]
    log(f"oracle: {len(set(keys.values()))} distinct files, {len(cached)} cached, {len(todo)} to validate, "
        f"{len(sample)} cached ones validated again")
    results = {}
    if jobs_list:
        with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
            for (k, _), r in zip(jobs_list, pool.map(_validate, [a for _, a in jobs_list], chunksize=4)):
                results[k] = r
    stale = [k for k in sample if results[k] != entries[k]]
    if stale:
        raise SystemExit(f"the oracle cache {CACHE} is stale: {len(stale)} of {len(sample)} sampled entries "
                         f"differ from a fresh validation (first: {stale[0]}); run Tools/shacl/refresh-cache.sh")
    for k in todo:
        entries[k] = results[k]
    if refresh or update or todo:
        used = set(keys.values())
        new = {"about": "pySHACL results of Tools/shacl/oracle.py for the differential test's corpus, keyed by "
                        "sha256(file):fingerprint(profile). Regenerate with Tools/shacl/refresh-cache.sh.",
               "fingerprints": fingerprints, "libraries": libraries(),
               "entries": {k: entries[k] for k in sorted(used)}}
        if refresh or update:
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            CACHE.write_text(json.dumps(new, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
            log(f"oracle: wrote {CACHE} ({len(used)} entries)")
        else:
            log(f"oracle: {len(todo)} results are not in the cache (run Tools/shacl/refresh-cache.sh to add them)")
    return {name: entries[k] for name, k in keys.items()}


# ------------------------------------------------------------------------------------------------- deviations
DEVIATION_HEADING = "### Deviations from the EC's SHACL shapes"


def load_deviations() -> list[dict]:
    """The table under DEVIATION_HEADING in ARCHITECTURE.md: | id | side | matches | reason | source |."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    if DEVIATION_HEADING not in text:
        raise SystemExit(f"ARCHITECTURE.md has no section {DEVIATION_HEADING!r}")
    section = text.split(DEVIATION_HEADING, 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| id ") or set(line) <= set("|- "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5:
            continue
        rid, side, matches = cells[0].strip("`* "), cells[1].strip("` "), cells[2]
        conds = {}
        for code in re.findall(r"`([^`]+)`", matches):
            for part in code.split():
                k, _, v = part.partition("=")
                conds[k] = v  # a key ending in "!" must not match
        rows.append({"id": rid, "side": side, "conds": conds, "reason": cells[3]})
    return rows


def matches(dev: dict, d: dict) -> bool:
    if dev["side"] != d["side"]:
        return False
    for k, pattern in dev["conds"].items():
        negative = k.endswith("!")
        values = d.get(k.rstrip("!"))
        values = values if isinstance(values, (list, set, tuple)) else [values]
        alternatives = pattern.split(";")
        hit = any(v is not None and any(fnmatch.fnmatchcase(str(v), a) for a in alternatives) for v in values)
        if hit == negative:
            return False
    return True


# ------------------------------------------------------------------------------------------------- comparison
def run(a) -> int:
    out = []

    def log(s=""):
        print(s, flush=True)
        out.append(s)

    tmp = Path(tempfile.mkdtemp(prefix="eccoe-shacl-"))
    entries = corpus.build(tmp)
    files = {e["file"]: (tmp / e["file"]).read_bytes() for e in entries}
    log(f"corpus: {len(entries)} files: {sum(1 for e in entries if e['mutation'] is None)} seeds, "
        f"{sum(1 for e in entries if e['mutation'])} mutants "
        f"({', '.join(f'{k} {v}' for k, v in sorted(Counter(e['mutation'] for e in entries if e['mutation']).items()))})")

    proc = subprocess.run([a.eccoe, "check", "--format", "json", str(tmp)], capture_output=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"eccoe check failed ({proc.returncode}): {proc.stderr.decode()[:2000]}")
    checked = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}

    verdicts = shapes_verdicts(files, a.jobs, a.verify, a.refresh, log, a.update)
    deviations = [] if a.no_deviations else load_deviations()
    used = Counter()
    matrix = Counter()
    undocumented = []
    per_kind = defaultdict(Counter)
    for e in entries:
        name, raw = e["file"], files[e["file"]]
        v = verdicts[name]
        payload = sealed_payload(raw)
        text = payload[0] if payload else raw
        doc = json.loads(text)
        use_inline_terms(doc)
        spans = Spans(text)
        to_doc = None
        if payload:
            back = {f: i for i, f in enumerate(payload[1])}
            to_doc = lambda off: back.get(off, 0)  # noqa: E731
        shapes = defaultdict(list)
        reported = {r["focus"] for r in v.get("violations", [])}
        for r in v.get("violations", []):
            # A sh:node result whose value node has results of its own says again what those say: not counted.
            if r["constraint"] == "NodeConstraintComponent" and r["value"] in reported:
                continue
            shapes[(r["focus"], r["path"])].append(r)
        if "error" in v:
            # Not JSON-LD the EC's validator can read: the shapes reject the document as a whole.
            shapes[DOCUMENT] = [{"constraint": "JSON-LD", "value": v["error"][:120]}]
        ours = defaultdict(list)
        info = checked.get(name, {})
        kind = info.get("kind")
        described = described_ids(doc)
        for f in info.get("findings", []):
            if f["severity"] != "error":
                continue
            off = f["byteRange"]["start"]
            off = to_doc(off) if to_doc else off
            props = f.get("properties") or []
            if not props and a.message_fallback:
                m = re.search(r"missing required property `([^`]+)`", f["message"])
                props = [m.group(1)] if m else []
            for prop in props or [None]:
                for pair in eccoe_pairs(doc, spans, off, prop, described):
                    if f not in ours[pair]:
                        ours[pair].append(f)
        if "error" in v:
            # The shapes say nothing but that; so is ECCOE's verdict compared: any error rejects the document.
            found = [f for fs in ours.values() for f in fs]
            ours = defaultdict(list, {DOCUMENT: found} if found else {})
        # A finding that may stand at another place ("?"): there if the shapes report a value there (a constraint
        # on the values: too many, the wrong class, node, scheme or datatype), else nowhere more.
        for pair in [p for p in ours if p[1].startswith("?")]:
            alternative = (pair[0], pair[1][1:])
            if any(r["constraint"].replace("ConstraintComponent", "") in VALUE_CONSTRAINTS for r in shapes.get(alternative, [])):
                ours[alternative] += [f for f in ours[pair] if f not in ours[alternative]]
            del ours[pair]
        # A finding about a node as a whole agrees with each pair the shapes report on that node.
        for pair in [p for p in ours if p[1] == "*"]:
            covered = [q for q in shapes if q[0] == pair[0]]
            if covered:
                for q in covered:
                    ours[q] += ours[pair]
                del ours[pair]
        root = doc.get("@graph", [doc]) if isinstance(doc, dict) else []
        signed = "yes" if v.get("sealed") or any(isinstance(n, dict) and "proof" in n for n in root) else "no"
        stated = universe(doc)
        descriptions = Counter(v["id"] for _, v in corpus.walk(doc) if isinstance(v, dict) and isinstance(v.get("id"), str)
                               and set(v) - {"id", "type", "@context"})
        everything = stated | set(shapes) | set(ours)
        for pair in everything:
            s, o = pair in shapes, pair in ours
            cell = "both" if s and o else "only the shapes" if s else "only ECCOE" if o else "neither"
            matrix[cell] += 1
            per_kind[e["mutation"] or "seed"][cell] += 1
            if s != o:
                d = {"file": name, "seed": e["seed"], "mutation": e["mutation"] or "none", "note": e["note"],
                     "side": "only-shapes" if s else "only-eccoe", "focus": pair[0], "path": short(pair[1]),
                     "iri": pair[1], "kind": kind or "none", "profile": v.get("profile"), "sealed": "yes" if v.get("sealed") else "no",
                     "constraint": sorted({r["constraint"].replace("ConstraintComponent", "") for r in shapes.get(pair, [])}),
                     "value": sorted({r["value"] for r in shapes.get(pair, [])}),
                     "criterion": sorted({f["criterion"] or f["code"] for f in ours.get(pair, [])}),
                     "message": [f["message"] for f in ours.get(pair, [])],
                     "property": sorted({p for f in ours.get(pair, []) for p in f.get("properties") or [""]}),
                     "signed": signed,
                     # Whether the document states the pair itself (not only RDFS inference: a super-property).
                     "asserted": "yes" if pair in stated else "no",
                     # Whether the focus node is described in full by more than one object (JSON-LD merges them).
                     "merged": "yes" if descriptions[pair[0]] > 1 else "no",
                     # Whether the property's values, as written, name one node more than once (JSON-LD: one value).
                     "repeats": repeats(doc, pair),
                     # Whether the node the shapes name as the value has a `type` anywhere in the document.
                     "valuetyped": "yes" if any(isinstance(x, dict) and x.get("id") in {r["value"] for r in shapes.get(pair, [])}
                                                and "type" in x for _, x in corpus.walk(doc)) else "no",
                     # Whether the shapes validated the focus node as a class the document does not give it.
                     "classinferred": class_inferred(doc, v.get("profile"), pair[0], pair[1],
                                                     [r["constraint"].replace("ConstraintComponent", "") for r in shapes.get(pair, [])]) if s else "no",
                     # Where the document holds the focus node: `Class.key` of each holder.
                     "heldby": held_by(doc, pair[0]) if s else [],
                     # For a sh:node violation: what the shapes report on the value node itself.
                     "inner": ",".join(sorted({short(q[1]) for r in shapes.get(pair, []) for q in shapes
                                               if q[0] == r["value"]}))}
                hit = next((dev for dev in deviations if matches(dev, d)), None)
                if hit:
                    used[hit["id"]] += 1
                else:
                    undocumented.append(d)

    total = sum(matrix.values())
    log("")
    log(f"agreement per (focus node, property), {len(entries)} files, {total} pairs:")
    for cell in ("both", "only the shapes", "only ECCOE", "neither"):
        log(f"  {cell:16} {matrix[cell]:7}")
    agree = matrix["both"] + matrix["neither"]
    log(f"  agreement {agree / total:.4f}; disagreements {matrix['only the shapes'] + matrix['only ECCOE']}, "
        f"documented {sum(used.values())}, undocumented {len(undocumented)}")
    log("by mutation: " + "; ".join(f"{k}: " + "/".join(str(c[x]) for x in ("both", "only the shapes", "only ECCOE", "neither"))
                                    for k, c in sorted(per_kind.items())) + "  (both/only the shapes/only ECCOE/neither)")
    if deviations:
        log("deviations used: " + ", ".join(f"{d['id']} {used[d['id']]}" for d in deviations))
    stale = [d["id"] for d in deviations if used[d["id"]] == 0]
    if a.report:
        Path(a.report).write_text(json.dumps({"matrix": matrix, "undocumented": undocumented, "used": used},
                                             ensure_ascii=False, indent=1, default=list), encoding="utf-8")
    if undocumented:
        log(f"\nUNDOCUMENTED DISAGREEMENTS: {len(undocumented)} (first {min(40, len(undocumented))}):")
        for d in undocumented[:40]:
            log("  " + json.dumps({k: d.get(k) for k in ("side", "file", "note", "focus", "path", "constraint", "value",
                                                         "criterion", "message", "detail") if d.get(k)}, ensure_ascii=False)[:600])
    if stale:
        log(f"\nSTALE DEVIATIONS (match no disagreement): {', '.join(stale)}")
    log(f"\nundocumented: {len(undocumented)}; stale deviations: {len(stale)}")
    return 1 if undocumented or stale else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eccoe", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verify", default="16", help="how many cached files (drawn at random) to validate again, or "
                    "`all`: every file then goes through pySHACL in this run (CI)")
    ap.add_argument("--refresh", action="store_true", help="validate every file again and write the cache anew")
    ap.add_argument("--update", action="store_true", help="validate the files missing from the cache and write it")
    ap.add_argument("--report")
    ap.add_argument("--message-fallback", action="store_true",
                    help="for eccoe binaries without `properties` in --format json: read it from the schema's message")
    ap.add_argument("--no-deviations", action="store_true", help="compare without the deviation table (the raw matrix)")
    a = ap.parse_args()
    a.verify = None if a.verify == "all" else int(a.verify)
    sys.exit(run(a))


if __name__ == "__main__":
    main()
