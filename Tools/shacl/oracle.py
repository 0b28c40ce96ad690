#!/usr/bin/env python3
"""The European Commission's own validation of ELM documents, offline: the reference `eccoe check` is compared with.

A document (plain JSON-LD, a flattened `@graph`, or a sealed credential: JAdES JSON `{"payload", "signatures"}` with
the payload as JSON text or base64url, or a compact JWS) is turned into RDF with pyld, its contexts served from the
copies under Tests/Resources (the EDC application-profile context, also for the development URL of it that the EDCI
software's test credential names, and the W3C Verifiable Credentials v1 context; any other context is refused,
nothing is fetched). The RDF is validated with pySHACL against the shapes of the profile
the document declares (`credentialSchema`): `edc-generic-full` (EDC-generic-full.ttl with the no-cv shapes it
imports), `edc-generic-no-cv` (EDC-generic-no-cv.ttl), learning opportunities against LOQ-constraints.ttl; RDFS
inference over the ELM ontology, as the EC's validator does, so that sh:class sees subclasses.

Each violation is reported as (focus, path, constraint, value); a sh:closed violation that comes from the closed
shape of a superclass of the focus node's class is named ClosedBySuperclassConstraintComponent. A blank-node focus has no name of its own, so it
is named by how it hangs from a named node: `<named node> <property IRI> <property IRI> …` (the first incoming edge
in sorted order). The differential test names the JSON objects ECCOE reports on the same way.

    python oracle.py [--profile auto|full|no-cv|loq] FILE...     # one JSON line per file

This is a library too: `Oracle().validate(bytes)` (shapes parsed once per process).
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ELM = ROOT / "Tests" / "Resources" / "ec" / "elm"
W3C = ROOT / "Tests" / "Resources" / "w3c"

EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
# The development copy of the EDC context that the EDCI software's own tests name (credential_shouldValidate.jsonld);
# the EDCI code uses it and the published context interchangeably (JsonLdUtilITest's mandatory contexts).
EDCI_DEV_CONTEXT = "http://dev.everisdx.io/datamodel/test/edc-ap-context.jsonld"

# Shapes per profile (file names under ELM/shacl). EDC-generic-full.ttl owl:imports the no-cv shapes.
PROFILES = {
    "full": ["EDC-generic-no-cv.ttl", "EDC-generic-full.ttl"],
    "no-cv": ["EDC-generic-no-cv.ttl"],
    "loq": ["LOQ-constraints.ttl"],
}
# Bumped when the oracle's output for the same input and shapes would change (invalidates cached results).
ORACLE_VERSION = "2"


def local_context(url: str):
    """The local copy of a remote context, or None (the oracle never fetches)."""
    u = url.rstrip("/#")
    if u.startswith(("http://", "https://")):
        rest = u.split("://", 1)[1]
        if rest == EDC_CONTEXT.split("://", 1)[1] or rest.startswith("data.europa.eu/snb/model/context/edc-ap"):
            return ELM / "edc-ap-context.jsonld"
        if rest == EDCI_DEV_CONTEXT.split("://", 1)[1]:
            return ELM / "edc-ap-context.jsonld"
        if rest in ("www.w3.org/2018/credentials/v1", "w3.org/2018/credentials/v1"):
            return W3C / "credentials-v1.jsonld"
    return None


def shapes_fingerprint(profile: str) -> str:
    """SHA-256 over what decides the oracle's answer for a profile: its shapes, the ontology, both contexts, and the
    oracle's version (ORACLE_VERSION: raise it with any change to how results are made or named)."""
    h = hashlib.sha256(ORACLE_VERSION.encode())
    for p in [ELM / "shacl" / n for n in PROFILES[profile]] + [ELM / "shacl" / "ELM.ttl", ELM / "edc-ap-context.jsonld",
                                                                W3C / "credentials-v1.jsonld"]:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


# The LOQ URL and URI patterns are written for Java's regular expressions, which Python's `re` (pySHACL's) does not
# read: an inline `(?i)` after `^`, a nested character class, and Unicode property classes. Their meaning is kept:
# `(?i)` moves to the front (the pattern is anchored), and the bracketed IPv6 host `[[A-Fa-f0-9]\:\.]*[%[\p{L}…]]*`
# becomes `[A-Fa-f0-9:.]*[%\w]*` (\w: Unicode letters and digits, as \p{L}, \p{Nl}, \p{Nd}, plus `_`).
JAVA_IPV6 = "\\[[[A-Fa-f0-9]\\:\\.]*[%[\\p{L}\\p{Nl}\\p{Nd}]]*\\]"


def python_pattern(pattern: str) -> str:
    p = pattern.replace(JAVA_IPV6, "\\[[A-Fa-f0-9:.]*[%\\w]*\\]")
    if p.startswith("^(?i)"):
        p = "(?i)^" + p[5:]
    return p


def b64url(text: str) -> bytes:
    t = text.strip()
    return base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))


def unseal(raw: bytes):
    """The JSON document inside `raw`: the payload of a sealed credential, else the document itself.
    Returns (document, sealed)."""
    text = raw.decode("utf-8")
    stripped = text.strip()
    if stripped.count(".") == 2 and not stripped.startswith(("{", "[")):
        return json.loads(b64url(stripped.split(".")[1])), True
    doc = json.loads(text)
    if isinstance(doc, dict) and isinstance(doc.get("payload"), str) and "signatures" in doc or (
            isinstance(doc, dict) and isinstance(doc.get("payload"), str) and "signature" in doc):
        p = doc["payload"]
        try:
            return json.loads(p), True
        except ValueError:
            return json.loads(b64url(p)), True
    return doc, False


def declared_profile(doc) -> str:
    """The shapes the document asks for: a learning opportunity gets LOQ; a credential the profile its
    `credentialSchema` names (no-cv only when it says so, as ECCOE decides)."""
    main = doc
    if isinstance(doc, dict) and isinstance(doc.get("@graph"), list):
        for n in doc["@graph"]:
            t = n.get("type", n.get("@type")) if isinstance(n, dict) else None
            ts = t if isinstance(t, list) else [t]
            if "EuropeanDigitalCredential" in ts or "LearningOpportunity" in ts:
                main = n
                break
    if not isinstance(main, dict):
        return "full"
    t = main.get("type", main.get("@type"))
    ts = t if isinstance(t, list) else [t]
    if "LearningOpportunity" in ts and "EuropeanDigitalCredential" not in ts:
        return "loq"
    cs = main.get("credentialSchema")
    entries = cs if isinstance(cs, list) else [cs]
    for e in entries:
        iri = e if isinstance(e, str) else e.get("id") if isinstance(e, dict) else None
        if isinstance(iri, str):
            name = iri.rstrip("/").rsplit("/", 1)[-1]
            if name == "edc-generic-no-cv":
                return "no-cv"
            if name == "edc-generic-full":
                return "full"
    return "full"


class Oracle:
    """pySHACL with the shapes of each profile parsed once."""

    def __init__(self):
        import rdflib
        from pyld import jsonld
        # rdflib logs every ill-typed literal (a mutant's "30/06/2026" as xsd:dateTime); pySHACL reports them.
        logging.getLogger("rdflib").setLevel(logging.CRITICAL)
        self.rdflib = rdflib
        self.jsonld = jsonld
        self._contexts = {}
        jsonld.set_document_loader(self._load)
        self.ontology = rdflib.Graph().parse(ELM / "shacl" / "ELM.ttl", format="turtle")
        self.shapes = {}

    def _load(self, url, options=None):
        path = local_context(url)
        if path is None:
            raise ValueError(f"context {url} has no local copy (the oracle never fetches)")
        if path not in self._contexts:
            self._contexts[path] = json.loads(path.read_text(encoding="utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": self._contexts[path]}

    def shapes_graph(self, profile: str):
        if profile not in self.shapes:
            g = self.rdflib.Graph()
            for name in PROFILES[profile]:
                g.parse(ELM / "shacl" / name, format="turtle")
            SH = self.rdflib.Namespace("http://www.w3.org/ns/shacl#")
            for s, o in list(g.subject_objects(SH.pattern)):
                py = python_pattern(str(o))
                if py != str(o):
                    g.remove((s, SH.pattern, o))
                    g.add((s, SH.pattern, self.rdflib.Literal(py)))
            self.shapes[profile] = g
        return self.shapes[profile]

    def to_rdf(self, doc):
        nquads = self.jsonld.to_rdf(doc, {"format": "application/n-quads"})
        g = self.rdflib.Graph()
        g.parse(data=nquads, format="nquads")
        return g

    def validate(self, raw: bytes, profile: str = "auto") -> dict:
        """{"profile", "sealed", "triples", "violations": [{focus, path, constraint, value}]} or {"error": …}."""
        import pyshacl
        SH = self.rdflib.Namespace("http://www.w3.org/ns/shacl#")
        try:
            doc, sealed = unseal(raw)
        except (ValueError, UnicodeDecodeError) as e:
            return {"error": f"not a JSON document: {e}"}
        if profile == "auto":
            profile = declared_profile(doc)
        try:
            data = self.to_rdf(doc)
        except Exception as e:  # pyld raises its own error types for invalid JSON-LD
            return {"profile": profile, "sealed": sealed, "error": f"not convertible to RDF: {type(e).__name__}: {str(e)[:200]}"}
        conforms, report, _ = pyshacl.validate(data, shacl_graph=self.shapes_graph(profile), ont_graph=self.ontology,
                                               inference="rdfs", allow_warnings=True, abort_on_first=False)
        rows = set()
        shapes = self.shapes_graph(profile)
        for r in report.subjects(self.rdflib.RDF.type, SH.ValidationResult):
            focus = report.value(r, SH.focusNode)
            path = report.value(r, SH.resultPath)
            value = report.value(r, SH.value)
            constraint = str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
            if constraint == "ClosedConstraintComponent":
                # A closed shape of a superclass (LOQ closes Specification, Agent, Identifier…) applied to an
                # instance of a subclass, which SHACL targets too: named apart, so the test can tell it from a
                # property the node's own class does not allow.
                targets = set(shapes.objects(report.value(r, SH.sourceShape), SH.targetClass))
                if targets and not targets & set(data.objects(focus, self.rdflib.RDF.type)):
                    constraint = "ClosedBySuperclassConstraintComponent"
            rows.add((self.name(data, focus), str(path) if path is not None else "",
                      constraint,
                      self.name(data, value) if isinstance(value, self.rdflib.BNode) else (str(value)[:120] if value is not None else "")))
        return {"profile": profile, "sealed": sealed, "triples": len(data),
                "violations": [dict(zip(("focus", "path", "constraint", "value"), r)) for r in sorted(rows)]}

    def name(self, g, node, depth=0) -> str:
        """A node's IRI, or for a blank node the chain of properties from the nearest named node above it."""
        if not isinstance(node, self.rdflib.BNode):
            return str(node)
        if depth > 32:
            return "_:deep"
        incoming = sorted((str(s), str(p), s) for s, p in g.subject_predicates(node))
        if not incoming:
            return "_:root"
        _, p, s = incoming[0]
        return self.name(g, s, depth + 1) + " " + p


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=["auto"] + sorted(PROFILES), default="auto")
    ap.add_argument("files", nargs="+", type=Path)
    a = ap.parse_args()
    o = Oracle()
    bad = False
    for f in a.files:
        r = o.validate(f.read_bytes(), a.profile)
        bad |= bool(r.get("violations") or r.get("error"))
        print(json.dumps({"path": str(f), **r}, ensure_ascii=False))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
