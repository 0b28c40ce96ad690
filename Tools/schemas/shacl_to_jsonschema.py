#!/usr/bin/env python3
"""Derive the ECCOE JSON Schemas for ELM v3 documents from the EU's SHACL application profiles.

    Tools/schemas/.venv/bin/pip install rdflib jsonschema      # once
    Tools/schemas/.venv/bin/python Tools/schemas/shacl_to_jsonschema.py [--shacl-dir DIR]

Inputs (read-only, copies under Tests/Resources/ec/elm with their licence, see Tests/Resources/README.md):
  EDC-generic-no-cv.ttl + EDC-generic-full.ttl  -> Schemas/credential.schema.json
  LOQ-constraints.ttl                           -> Schemas/learning-opportunity.schema.json
  edc-ap-context.jsonld                          (maps property IRIs to JSON keys)
  Tools/schemas/descriptions.json                (hand-written titles and descriptions for authors)
  Schemas/examples/good-credential.jsonld, good-learning-opportunity.jsonld (embedded as `examples`)

Translation rules (one $defs entry per SHACL node shape, `$ref`s between them):
  * sh:targetClass C        -> $defs/C; `type` must be (or contain) "C"; all shapes targeting C are merged
  * sh:minCount n >= 1      -> property listed in `required`; arrays need at least n items
  * sh:maxCount 1           -> one value, or an array of at most one
  * no sh:maxCount          -> one value or an array of values (JSON-LD: a value equals a 1-array)
  * sh:datatype             -> string / integer / boolean / number, xsd:dateTime and xsd:duration patterns
  * rdf:langString          -> language map {"en": "…"}; values are strings or arrays of strings;
                               sh:uniqueLang true -> one value per language (array of at most one)
  * sh:class C / sh:or      -> $ref to $defs/C, or a dispatcher on `type` for alternatives
  * sh:node N               -> $ref to $defs/N
  * sh:closed true          -> additionalProperties false (plus `id`, `type`, `@context`)
  * CV restrictions (EDC-full: sh:node …Restriction = skos:inScheme sh:hasValue <scheme>)
                            -> the concept must have an `id`; an `inScheme`, when given, must name that
                               scheme; for bundled vocabularies `id` must be one of their values. A missing
                               `inScheme` is left to the checker (see DEVIATIONS)
  * sh:pattern              -> pattern (translated to ECMA-262 syntax by hand where needed)
  * sh:deactivated          -> property shapes skipped (see DEVIATIONS for the deactivated LOQ shape)
Deviations from the SHACL source are listed in DEVIATIONS and repeated in the schema's `$comment`.
The annotation keyword "x-criterion" marks subschemas whose violations belong to a data-quality
criterion (see `findingPolicy` in Schemas/criteria.json).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD

from vocablib import BASE, META, ROOT, SCHEMAS, VOCAB_BASE, write_json

HERE = Path(__file__).resolve().parent
RDF_HTML = RDF.HTML
RDF_LANGSTRING = RDF.langString

# JSON keys for property IRIs that the edc-ap context does not map, or maps under another IRI
# (the SHACL files and the context disagree in a few places).
KEY_OVERRIDES = {
    "https://www.w3.org/2018/credentials#": None,  # marker: cred:* -> local name (VC v1 context)
    "http://data.europa.eu/snb/model/elm/nationalId": "nationalID",  # context: elm:nationalID
    "http://data.europa.eu/snb/model/elm/defaultLanguage": "defaultLanguage",
    "http://data.europa.eu/snb/model/elm/areaDialing": "areaDialingCode",  # context: elm:areaDialingCode
    "http://data.europa.eu/snb/model/elm/resultDistribution": "resultDistribution",  # context has typo "resultDestribution"
    "http://www.w3.org/ns/org#hasMember": "hasMember",
    "http://www.w3.org/ns/locn#geometry": "geometry",
    "http://data.europa.eu/m8g/longitude": "longitude",
    "http://data.europa.eu/m8g/latitude": "latitude",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#value": "value",  # LOQ Amount uses rdf:value
}

# Concept-scheme restrictions for which ECCOE bundles the vocabulary: `id` must be one of its values.
BUNDLED = {
    "http://data.europa.eu/snb/eqf/25831c2": "eqf-levels",
    "http://data.europa.eu/snb/isced-f/25831c2": "isced-f",
    "http://data.europa.eu/snb/learning-setting/25831c2": "learning-settings",
    "http://publications.europa.eu/resource/authority/country": "countries",
    "http://publications.europa.eu/resource/authority/language": "languages",
}

# Vocabularies that the profiles do not impose but ECCOE's criteria use: offered as suggestions
# (editors show the labelled values) without rejecting other IRIs. (class or "*", key) -> vocabulary.
SUGGESTED = {
    ("*", "mode"): "learning-assessment-modes",
    ("LearningAssessmentSpecification", "dcType"): "assessment-types",
    ("LearningOpportunity", "dcType"): "learning-opportunity-types",
    ("LearningAchievementSpecification", "dcType"): "learning-opportunity-types",
    ("Qualification", "dcType"): "learning-opportunity-types",
    ("LearningActivitySpecification", "dcType"): "learning-activity-types",
    ("LearningAssessment", "idVerification"): "supervision-verification",
    ("CreditPoint", "framework"): "education-credit-systems",
    ("LearningOutcome", "relatedESCOSkill"): "esco-skill-iri",
    ("*", "learningSetting"): "learning-settings",
    ("Accreditation", "dcType"): "accreditation-types",
    ("EuropeanDigitalCredential", "credentialProfiles"): "credential-profiles",
    ("*", "eqfLevel"): "eqf-levels",
    ("*", "thematicArea"): "isced-f",
    ("*", "limitField"): "isced-f",
    ("*", "limitEQFLevel"): "eqf-levels",
    ("*", "countryCode"): "countries",
    ("*", "citizenshipCountry"): "countries",
    ("LegalIdentifier", "spatial"): "countries",
    ("*", "language"): "languages",
    ("*", "primaryLanguage"): "languages",
    ("*", "defaultLanguage"): "languages",
}

REFERENCE_NOTE = ("An object that holds only `id` (and `type`) is taken as a reference to a node described in full "
                  "elsewhere in the document, as JSON-LD merges nodes with the same id; its required properties are not "
                  "checked by the schema. The ECCOE checker reports references that resolve to no full node.")

INSCHEME_NOTE = ("A concept restricted to a controlled vocabulary need not state `inScheme` here: the EDC-full profile "
                 "asks for it, but the concept's IRI already names its scheme (…/authority/country/ESP lies in "
                 "…/authority/country). The ECCOE checker reports a missing `inScheme` as a warning with a fix that "
                 "inserts it, and an `inScheme` naming another scheme, or an IRI outside the vocabulary, as errors.")

DEVIATIONS = {
    "credential": [
        "`issued` is optional here although the EDC profile requires it: the EU issuer adds it when the "
        "credential is sealed, and ECCOE checks credentials before sealing. Criterion MC-05 asks for a date "
        "of issuing.",
        "`proof`, `termsOfUse` and `credentialStatus` are typed xsd:anyURI in the profile; here they may be an "
        "IRI or an object, as signed credentials carry them as objects. All three are optional.",
        "The document must have an `@context` that includes the EDC context "
        "http://data.europa.eu/snb/model/context/edc-ap and a context that makes `id` and `type` JSON-LD keywords (the "
        "W3C credentials context), and `type` must include both VerifiableCredential and EuropeanDigitalCredential; "
        "without them the profile does not apply at all.",
        "`nationalID`, `areaDialingCode` and `resultDistribution` are the JSON keys used for the profile's "
        "elm:nationalId, elm:areaDialing and elm:resultDistribution (the EDC context spells these differently).",
        "sh:disjoint (altLabel versus legalName/title) is not expressed.",
        "The issuer's `eIDASIdentifier` is optional here although the profile requires it: like `issued`, the EU "
        "issuer adds it when the credential is sealed. The ECCOE checker requires both on a sealed credential "
        "(JAdES, JWS or with a `proof`) and notes their absence once on an unsigned one.",
        INSCHEME_NOTE,
        REFERENCE_NOTE,
    ],
    "learning-opportunity": [
        "The LOQ shape for LearningAchievementSpecification is marked sh:deactivated in the source; it is "
        "applied here anyway (title, field of education, language and learning outcomes required), because it "
        "states the publication requirements that the LOQ shape for Qualification also imposes.",
        "The document must have an `@context` that includes the EDC context and a context that makes `id` and `type` "
        "JSON-LD keywords (the W3C credentials context, or an inline {\"id\": \"@id\", \"type\": \"@type\"}); "
        "`$schema` is allowed at the top level although the shapes are closed.",
        "`nationalID`, `areaDialingCode` and `value` are the JSON keys for elm:nationalId, elm:areaDialing and "
        "rdf:value.",
        "sh:disjoint (altLabel versus legalName/title) is not expressed.",
        INSCHEME_NOTE,
        "The IRI patterns of the LOQ URL and URI restrictions are simplified to ECMA-262 syntax.",
        REFERENCE_NOTE,
        "The controlled-vocabulary restrictions of the EDC-full profile (concept schemes for EQF, NQF, ISCED-F, "
        "learning setting, country, language, ESCO skills, accreditation type …) are applied to the same LOQ "
        "classes, so that a learning opportunity uses the same vocabularies as the credentials built from it.",
    ],
}

FULL_NS = "http://data.europa.eu/snb/model/ap/edc-generic-full/"
LOQ_URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+[^\\s]*$"
LOQ_URI_PATTERN = "^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]*$"


class Shapes:
    def __init__(self, files: list[Path], context: dict):
        self.g = rdflib.Graph()
        for f in files:
            self.g.parse(f, format="turtle")
        self.keys = self._keys(context)
        self.missing_keys: set[str] = set()

    @staticmethod
    def _keys(ctx: dict) -> dict[str, str]:
        prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v.startswith("http")}
        out = {}
        for k, v in ctx.items():
            iri = v["@id"] if isinstance(v, dict) else v
            if ":" in iri and not iri.startswith("http"):
                p, local = iri.split(":", 1)
                iri = prefixes.get(p, p + ":") + local
            if k[0].islower() and k not in prefixes:
                out.setdefault(iri, k)
        return out

    def key(self, path: rdflib.URIRef) -> str:
        s = str(path)
        if s in KEY_OVERRIDES:
            return KEY_OVERRIDES[s]
        if s.startswith("https://www.w3.org/2018/credentials#"):
            return s.split("#", 1)[1]
        if s in self.keys:
            return self.keys[s]
        self.missing_keys.add(s)
        return s.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def local(self, node) -> str:
        s = str(node)
        return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def value(self, s, p):
        return self.g.value(s, p)

    def values(self, s, p):
        return list(self.g.objects(s, p))

    def list_items(self, node):
        return list(Collection(self.g, node))


def type_is(cls: str) -> dict:
    return {"if": {"type": "array"}, "then": {"items": {"type": "string"}, "contains": {"const": cls}},
            "else": {"const": cls}}


def has_type(classes: list[str]) -> dict:
    cond = {"const": classes[0]} if len(classes) == 1 else {"enum": classes}
    return {"required": ["type"], "properties": {"type": {
        "if": {"type": "array"}, "then": {"contains": cond}, "else": cond}}}


def card(schema: dict, lo: int, hi: int | None) -> dict:
    then = {"items": schema}
    if lo > 0:
        then["minItems"] = lo
    if hi is not None:
        then["maxItems"] = hi
    return {"if": {"type": "array"}, "then": then, "else": schema}


def refs_in(x) -> set[str]:
    out = set()
    if isinstance(x, dict):
        if isinstance(x.get("$ref"), str):
            out.add(x["$ref"])
        for v in x.values():
            out |= refs_in(v)
    elif isinstance(x, list):
        for v in x:
            out |= refs_in(v)
    return out


def in_scheme(scheme_iri: str) -> dict:
    ref = {"type": "object", "required": ["id"], "properties": {"id": {"const": scheme_iri}}}
    return {"if": {"type": "array"}, "then": {"contains": ref}, "else": ref}


class Builder:
    def __init__(self, shapes: Shapes, kind: str, descriptions: dict, closed_default=False):
        self.s = shapes
        self.kind = kind
        self.desc = descriptions
        self.defs: dict[str, dict] = {}
        self.dispatchers: dict[str, dict] = {}
        self.restrictions: dict[str, dict] = {}
        self.bundled_restrictions: set[str] = set()
        self.value_defs: dict[str, dict] = {}
        self.used_vocabs: set[str] = set()
        self.missing_desc: set[str] = set()

    # ------------------------------------------------------------------ descriptions
    def describe(self, schema: dict, *keys: str) -> dict:
        """Merge title/description/examples from descriptions.json (first key that exists wins)."""
        for k in keys:
            d = self.lookup(k)
            if d:
                for f in ("title", "description", "examples", "$comment"):
                    if f in d and f not in schema:
                        schema[f] = d[f]
                return schema
        self.missing_desc.add(keys[-1])
        return schema

    def lookup(self, k: str):
        if k.startswith("class:"):
            return self.desc.get("classes", {}).get(k[6:])
        if k.startswith("prop:"):
            return self.desc.get("properties", {}).get(k[5:])
        if k.startswith("classprop:"):
            return self.desc.get("classProperties", {}).get(k[10:])
        return None

    # ------------------------------------------------------------------ shapes
    def class_shapes(self) -> dict[str, list]:
        by_class = defaultdict(list)
        for ns in set(self.s.g.subjects(RDF.type, SH.NodeShape)) | set(self.s.g.subjects(SH.targetClass, None)):
            for tc in self.s.values(ns, SH.targetClass):
                by_class[self.s.local(tc)].append(ns)
        return by_class

    def named_node_shapes(self) -> list:
        out = []
        for ns in set(self.s.g.subjects(RDF.type, SH.NodeShape)):
            if not self.s.values(ns, SH.targetClass) and isinstance(ns, rdflib.URIRef):
                out.append(ns)
        return out

    def class_ref(self, cls: str) -> dict:
        return {"$ref": f"#/$defs/{cls}"}

    def alternatives(self, classes: list[str], node_fallback: str | None = None) -> dict:
        """A dispatcher def choosing the class def by the node's `type`."""
        classes = sorted(set(classes))
        name = "AnyOf" + "".join(classes) + (node_fallback or "")
        if name not in self.dispatchers:
            d = {"type": "object",
                 "allOf": [{"if": has_type([c]), "then": self.class_ref(c)} for c in classes]}
            if node_fallback:
                d["allOf"].append({"if": {"not": has_type(classes)}, "then": {"$ref": f"#/$defs/{node_fallback}"}})
                d["description"] = ("One of: " + ", ".join(classes) + "; any other node is checked as a "
                                    + node_fallback + ".")
            else:
                # (A reference without `type`, as flattened JSON-LD writes them, is let through by the checker.)
                d["required"] = ["type"]
                d["properties"] = {"type": {
                    "description": "Must be (or include) one of: " + ", ".join(classes) + ".",
                    "if": {"type": "array"}, "then": {"contains": {"enum": classes}}, "else": {"enum": classes}}}
                d["description"] = "One of: " + ", ".join(classes) + " (chosen by `type`)."
            self.dispatchers[name] = d
        return {"$ref": f"#/$defs/{name}"}

    def restriction(self, node) -> dict | None:
        """EDC-full CV restriction node shape -> inScheme constraint def (+ vocabulary)."""
        name = self.s.local(node)
        for ps in self.s.values(node, SH.property):
            scheme_iri = self.s.value(ps, SH.hasValue)
            if scheme_iri is None:
                continue
            scheme_iri = str(scheme_iri)
            if name not in self.restrictions:
                d = {"type": "object", "required": ["id"],
                     "x-conceptScheme": scheme_iri,
                     "description": f"A concept of the scheme {scheme_iri}: its `inScheme`, when given, must name "
                                    "that scheme.",
                     "properties": {"inScheme": in_scheme(scheme_iri)}}
                vocab = BUNDLED.get(scheme_iri)
                if vocab:
                    d["properties"]["id"] = {"$ref": f"{VOCAB_BASE}{vocab}.schema.json"}
                    d["description"] += f" Its `id` must be one of the values of vocabularies/{vocab}.json."
                    self.used_vocabs.add(vocab)
                    self.bundled_restrictions.add(f"#/$defs/{name}")
                self.restrictions[name] = d
            return {"$ref": f"#/$defs/{name}"}
        return None

    def value_schema(self, ps, cls: str, key: str) -> tuple[dict, str]:
        """Schema of one value of the property; second item is 'lang' for language maps."""
        s = self.s
        dt = s.value(ps, SH.datatype)
        parts: list[dict] = []
        if dt == RDF_LANGSTRING:
            return ({"$ref": "#/$defs/LanguageMapUnique"} if s.value(ps, SH.uniqueLang) == rdflib.Literal(True)
                    else {"$ref": "#/$defs/LanguageMap"}), "lang"
        if dt is not None:
            parts.append(self.datatype(dt, ps))
        c = s.value(ps, SH["class"])
        ors = s.value(ps, SH["or"])
        if ors is not None:
            classes = []
            for alt in s.list_items(ors):
                ac = s.value(alt, SH["class"])
                if ac is not None:
                    classes.append(s.local(ac))
            parts.append(self.alternatives(classes))
        elif c is not None:
            parts.append(self.class_ref(s.local(c)))
        for n in s.values(ps, SH.node):
            r = self.restriction(n)
            if r is not None:
                parts.append(r)
            elif s.local(n) == "ClaimNodeShape":
                parts.append(self.alternatives(
                    ["LearningAchievement", "LearningActivity", "LearningAssessment", "LearningEntitlement"],
                    node_fallback="ClaimTypeNodeShape"))
            elif s.local(n) in ("URLRegexRestriction", "URIRegexRestriction"):
                pat = LOQ_URL_PATTERN if s.local(n).startswith("URL") else LOQ_URI_PATTERN
                parts.append({"properties": {"contentURL": {"$ref": "#/$defs/Iri", "pattern": pat}}})
            else:
                parts.append({"$ref": f"#/$defs/{s.local(n)}"})
        nk = s.value(ps, SH.nodeKind) or s.value(ps, rdflib.URIRef(str(SH) + "nodekind"))
        if nk == SH.Literal and not parts:
            parts.append({"type": ["string", "number", "boolean"]})
        elif nk == SH.IRI and not parts:
            parts.append({"$ref": "#/$defs/IriOrNodeReference"})
        for a in s.values(ps, SH["and"]):
            for item in s.list_items(a):
                if s.value(item, SH.pattern) is not None:  # the LOQ mailbox URI patterns
                    parts.append({"properties": {"id": {"$ref": "#/$defs/Iri"}}})
                    break
        mx = s.value(ps, SH.maxInclusive)
        if mx is not None:
            parts.append({"maximum": int(mx)})
        pat = s.value(ps, SH.pattern)
        if pat is not None:
            parts.append({"pattern": str(pat)})
        if not parts:
            parts.append({})
        return (parts[0] if len(parts) == 1 else {"allOf": parts}), "value"

    def datatype(self, dt, ps) -> dict:
        if dt == XSD.dateTime:
            return {"$ref": "#/$defs/DateTime"}
        if dt == XSD.duration:
            return {"$ref": "#/$defs/Duration"}
        if dt == XSD.anyURI:
            return {"$ref": "#/$defs/Iri"}
        if dt == XSD.string or dt == RDF_HTML:
            return {"type": "string"}
        if dt == XSD.boolean:
            return {"type": "boolean"}
        if dt == XSD.integer:
            return {"type": "integer"}
        if dt == XSD.positiveInteger:
            return {"type": "integer", "minimum": 1}
        if dt == XSD.decimal:
            return {"$ref": "#/$defs/Decimal"}
        raise SystemExit(f"unsupported datatype {dt}")

    def property_shapes(self, shape_nodes) -> dict[str, list]:
        props = defaultdict(list)
        for ns in shape_nodes:
            for ps in self.s.values(ns, SH.property):
                if self.s.value(ps, SH.deactivated) == rdflib.Literal(True):
                    continue
                path = self.s.value(ps, SH.path)
                props[self.s.key(path)].append(ps)
        return props

    def node_def(self, name: str, shape_nodes, cls: str | None, root: bool = False) -> dict:
        s = self.s
        closed = any(s.value(n, SH.closed) == rdflib.Literal(True) for n in shape_nodes)
        d: dict = {"type": "object"}
        self.describe(d, f"class:{name}")
        required = ["type"] if cls else []
        props: dict = {}
        if root:
            props["$schema"] = {"type": "string", "description": "Optional: the ECCOE schema this document "
                                "follows (its URL, or a path ending in its file name)."}
        props["@context"] = {"description": "JSON-LD context(s) of the document."}
        props["id"] = self.describe({"$ref": "#/$defs/Iri"}, "prop:id")
        if cls:
            props["type"] = dict(title="Type", description=f"Must be \"{cls}\" (or an array containing it).",
                                 **type_is(cls))
        for key, pss in sorted(self.property_shapes(shape_nodes).items()):
            lo = max(int(s.value(ps, SH.minCount) or 0) for ps in pss)
            his = [int(s.value(ps, SH.maxCount)) for ps in pss if s.value(ps, SH.maxCount) is not None]
            hi = min(his) if his else None
            vals: list[dict] = []
            kind = "value"
            for ps in pss:
                v, kind = self.value_schema(ps, cls or name, key)
                for part in (v["allOf"] if list(v) == ["allOf"] else [v]):
                    if part not in vals:
                        vals.append(part)
            restricted = any(r.get("$ref", "")[8:] in self.restrictions for r in vals)
            if any(s.value(ps, SH.nodeKind) == SH.IRI for ps in pss) and kind != "lang" and not restricted:
                vals = [v for v in vals if v != {}] or [{"$ref": "#/$defs/IriOrNodeReference"}]
                if {"$ref": "#/$defs/IriOrNodeReference"} not in vals:
                    vals.append({"$ref": "#/$defs/HasIri"})
            # restrictions first, then class refs, then the rest (deterministic output)
            vals.sort(key=lambda v: (0 if v.get("$ref", "")[8:] in self.restrictions else
                                     1 if "$ref" in v else 2, json.dumps(v, sort_keys=True)))
            vocab = SUGGESTED.get((cls or name, key)) or SUGGESTED.get(("*", key))
            refs = refs_in(vals)
            if (vocab and kind != "lang" and not refs & self.bundled_restrictions
                    and ("#/$defs/Concept" in refs or refs & set(f"#/$defs/{r}" for r in self.restrictions))):
                vals.append({"properties": {"id": {"anyOf": [{"$ref": f"{VOCAB_BASE}{vocab}.schema.json"},
                                                             {"$ref": "#/$defs/Iri"}]}}})
                self.used_vocabs.add(vocab)
            one = vals[0] if len(vals) == 1 else {"allOf": vals}
            if kind == "lang":
                p = dict(one)
                if hi == 1:
                    p = {"$ref": "#/$defs/LanguageMapSingle"}
                if lo >= 1:
                    p = {"allOf": [p, {"minProperties": 1}]}
            else:
                if not (len(one) == 1 and "$ref" in one):
                    # a named def for a compound value schema keeps the one-or-array wrapper readable
                    vname = f"{cls or name}.{key}"
                    self.value_defs[vname] = one
                    one = {"$ref": f"#/$defs/{vname}"}
                p = card(one, lo, hi)
            if (self.kind, cls, key) in RELAXED:
                lo = 0
            if lo >= 1:
                required.append(key)
            self.describe(p, f"classprop:{cls or name}.{key}", f"prop:{key}")
            props[key] = p
        d["properties"] = props
        if required and root:
            d["required"] = required
        elif required:
            # JSON-LD merges nodes by id: an object with nothing but `id` (and `type`) refers to a node
            # described elsewhere in the document, so its required properties are not checked here.
            d["if"] = {"$ref": "#/$defs/NodeReference"}
            d["else"] = {"required": required}
        if closed:
            d["additionalProperties"] = False
        comment = []
        for n in shape_nodes:
            if s.value(n, SH.deactivated) == rdflib.Literal(True):
                comment.append("The source shape is marked sh:deactivated; ECCOE applies it (see the schema $comment).")
        if comment:
            d["$comment"] = " ".join(comment)
        return d

    def build(self, root_class: str) -> dict:
        for cls, shape_nodes in sorted(self.class_shapes().items()):
            if all(str(n).startswith(FULL_NS) for n in shape_nodes):
                continue  # only a vocabulary restriction from EDC-full: the class is not in this profile
            self.defs[cls] = self.node_def(cls, shape_nodes, cls, root=(cls == root_class))
        for ns in self.named_node_shapes():
            name = self.s.local(ns)
            if name in self.defs or name.endswith("Restriction") or name in ("ClaimNodeShape", "SpecificationNodeShape"):
                continue
            if self.s.values(ns, SH.property):
                self.defs[name] = self.node_def(name, [ns], None)
        return self.defs


RELAXED = {
    ("credential", "EuropeanDigitalCredential", "issued"),
    ("credential", None, "eIDASIdentifier"),  # IssuerNodeShape (a named shape, no class)
}

COMMON_DEFS = {
    "Iri": {"type": "string", "pattern": "^(_:|[A-Za-z][A-Za-z0-9+.-]*:)[^\\s]*$",
            "title": "IRI", "description": "An absolute IRI or URN (for example https://…, urn:uuid:…, "
            "mailto:…), or a blank-node label starting with _:.",
            "examples": ["urn:epass:org:1", "https://example.org/credentials/42"]},
    "HasIri": {"description": "The node must be identified by an IRI: give its `id`.",
               "if": {"type": "object"}, "then": {"required": ["id"]}},
    "IriOrNodeReference": {"description": "An IRI, or an object whose `id` is that IRI.",
                           "anyOf": [{"$ref": "#/$defs/Iri"},
                                     {"type": "object", "required": ["id"], "properties": {"id": {"$ref": "#/$defs/Iri"}}}]},
    "NodeReference": {"title": "Reference to a node described elsewhere",
                      "description": "An object with only `id` (and `type`): in JSON-LD it denotes the node with that id "
                                     "described elsewhere in the same document.",
                      "type": "object", "required": ["id"],
                      "propertyNames": {"enum": ["id", "type", "@context"]}},
    "DateTime": {"type": "string", "title": "Date and time (xsd:dateTime)",
                 "description": "A date and time such as 2024-06-30T00:00:00Z. A time zone (Z or ±hh:mm) "
                 "should be given (criterion DQ-05).",
                 "pattern": "^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$|^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T24:00:00(\\.0+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$",
                 "examples": ["2024-06-30T12:00:00Z", "2024-06-30T14:00:00+02:00"]},
    "Duration": {"type": "string", "title": "Duration (ISO 8601, xsd:duration)",
                 "description": "An ISO 8601 duration. Notional learning time is written in hours: PT60H is sixty "
                 "hours, whereas P60M is sixty MONTHS (criteria DQ-02 and DQ-03).",
                 "pattern": "^-?P([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?)?$",
                 "not": {"pattern": "^-?PT?$|T$"},
                 "x-criterion": "DQ-02",
                 "examples": ["PT60H", "P6M"]},
    "Decimal": {"title": "Decimal number", "description": "A decimal number, as a JSON number or a string such as \"2.5\".",
                "anyOf": [{"type": "number"}, {"type": "string", "pattern": "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$"}]},
    "LanguageMap": {"type": "object", "title": "Multilingual text",
                    "description": "A language map: each key is a language code (ISO 639-1, such as en, de, fr) "
                    "and each value is the text in that language, or an array of texts.",
                    "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                    "examples": [{"en": "Data literacy for researchers", "de": "Datenkompetenz für Forschende"}]},
    "LanguageMapUnique": {"type": "object", "title": "Multilingual text, one per language",
                          "description": "A language map with at most one text per language (criterion DQ-07): "
                          "each value is a string, or an array with a single string.",
                          "additionalProperties": {"x-criterion": "DQ-07",
                                                   "anyOf": [{"type": "string"},
                                                             {"type": "array", "items": {"type": "string"}, "maxItems": 1}]},
                          "examples": [{"en": "University of Example", "fr": "Université d'Exemple"}]},
    "LanguageMapSingle": {"type": "object", "title": "Text in one language",
                          "description": "A language map holding a single text (the profile allows one value only).",
                          "maxProperties": 1,
                          "additionalProperties": {"x-criterion": "DQ-07",
                                                   "anyOf": [{"type": "string"},
                                                             {"type": "array", "items": {"type": "string"}, "maxItems": 1}]},
                          "examples": [{"en": "Ana Andromeda"}]},
}


def relax_credential(defs: dict) -> None:
    """Apply the documented deviations to the EDC credential defs."""
    edc = defs["EuropeanDigitalCredential"]
    for k in ("proof", "termsOfUse", "credentialStatus"):
        if k in edc["properties"]:
            p = edc["properties"][k]
            keep = {f: p[f] for f in ("title", "description") if f in p}
            edc["properties"][k] = {**keep, **card({"anyOf": [{"$ref": "#/$defs/Iri"}, {"type": "object"}]}, 0,
                                                   1 if k == "credentialStatus" else None)}
    if "issued" in edc.get("required", []):
        edc["required"].remove("issued")


VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"


def context_rule(kind: str) -> dict:
    """`@context`: the EDC context, and a context that makes `id` and `type` the JSON-LD keywords @id and @type. The
    EDC context does not define them (the W3C credentials context does): with the EDC context alone, a JSON-LD
    processor, and so the European Commission's SHACL validation, reads a document without identifiers or types
    (found by the SHACL differential test, Tools/shacl)."""
    edc_ctx = {"type": "string", "pattern": "^https?://data\\.europa\\.eu/snb/model/context/edc-ap"}
    keywords = {"anyOf": [{"const": VC_CONTEXT},
                          {"type": "object", "required": ["id", "type"],
                           "properties": {"id": {"const": "@id"}, "type": {"const": "@type"}}}]}
    what = "credentials" if kind == "credential" else "learning opportunities"
    return {"title": "JSON-LD context",
            "description": f"The JSON-LD contexts of ELM {what}: the W3C credentials context {VC_CONTEXT} (or an "
            "inline context {\"id\": \"@id\", \"type\": \"@type\"}) and the EDC context " + EDC_CONTEXT + ". The EDC context "
            "alone does not make `id` and `type` JSON-LD's @id and @type, so a JSON-LD processor (and the European "
            "Commission's validation with it) would read no identifiers and no types.",
            "type": "array",
            "allOf": [{"contains": edc_ctx}, {"contains": keywords}],
            "examples": [[VC_CONTEXT, EDC_CONTEXT]]}


def load_example(name: str):
    p = SCHEMAS / "examples" / name
    if p.exists():
        return json.loads(p.read_text(encoding="utf-8"))
    print(f"note: {p.relative_to(ROOT)} not found; schema written without that example", file=sys.stderr)
    return None


def generate(kind: str, files: list[Path], context: dict, descriptions: dict, root_class: str,
             example_file: str) -> tuple[dict, Builder]:
    shapes = Shapes(files, context)
    b = Builder(shapes, kind, descriptions)
    defs = b.build(root_class)
    if kind == "credential":
        relax_credential(defs)
        root_def = defs["EuropeanDigitalCredential"]
        root_def["properties"]["@context"] = context_rule(kind)
        root_def["required"] = ["@context"] + root_def["required"]
        root_def["properties"]["type"] = {
            "title": "Type",
            "description": "Must include both \"VerifiableCredential\" and \"EuropeanDigitalCredential\".",
            "type": "array", "items": {"type": "string"},
            "allOf": [{"contains": {"const": "VerifiableCredential"}},
                      {"contains": {"const": "EuropeanDigitalCredential"}}]}
    else:
        root_def = defs[root_class]
        root_def["properties"]["@context"] = context_rule(kind)
        root_def["required"] = ["@context"] + root_def["required"]
    all_defs = {}
    all_defs.update(COMMON_DEFS)
    all_defs.update(dict(sorted(b.restrictions.items())))
    all_defs.update(dict(sorted(b.dispatchers.items())))
    all_defs.update(dict(sorted(defs.items())))
    all_defs.update(dict(sorted(b.value_defs.items())))
    meta = descriptions["schemas"][kind]
    schema = {
        "$schema": META,
        "$id": f"{BASE}{kind}.schema.json",
        "title": meta["title"],
        "description": meta["description"],
        "$comment": ("Generated by Tools/schemas/shacl_to_jsonschema.py from the EU SHACL profile(s) "
                     + ", ".join(f.name for f in files) + " — do not edit by hand. Deviations from the "
                     "profile: " + " | ".join(DEVIATIONS[kind])),
        "$ref": f"#/$defs/{root_class}",
    }
    ex = load_example(example_file)
    if ex is not None:
        schema["examples"] = [ex]
    schema["$defs"] = all_defs
    return schema, b


def check_refs(schema: dict) -> list[str]:
    """Every local $ref must resolve."""
    bad = []

    def walk(x):
        if isinstance(x, dict):
            r = x.get("$ref")
            if isinstance(r, str) and r.startswith("#/$defs/") and r[8:] not in schema["$defs"]:
                bad.append(r)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(schema)
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shacl-dir", type=Path, default=ROOT / "Tests" / "Resources" / "ec" / "elm" / "shacl")
    ap.add_argument("--context", type=Path, default=None)
    args = ap.parse_args()
    ctx_path = args.context or args.shacl_dir.parent / "edc-ap-context.jsonld"
    context = json.loads(ctx_path.read_text(encoding="utf-8"))["@context"]
    descriptions = json.loads((HERE / "descriptions.json").read_text(encoding="utf-8"))
    jobs = [
        ("credential", [args.shacl_dir / "EDC-generic-no-cv.ttl", args.shacl_dir / "EDC-generic-full.ttl"],
         "EuropeanDigitalCredential", "good-credential.jsonld"),
        ("learning-opportunity", [args.shacl_dir / "LOQ-constraints.ttl", args.shacl_dir / "EDC-generic-full.ttl"],
         "LearningOpportunity",
         "good-learning-opportunity.jsonld"),
    ]
    status = 0
    for kind, files, root, example in jobs:
        schema, b = generate(kind, files, context, descriptions, root, example)
        bad = check_refs(schema)
        if bad:
            print(f"{kind}: unresolved $refs: {sorted(set(bad))}", file=sys.stderr)
            status = 1
        if b.s.missing_keys:
            print(f"{kind}: property IRIs without a JSON key (local name used): {sorted(b.s.missing_keys)}",
                  file=sys.stderr)
        if b.missing_desc:
            print(f"{kind}: no description for: {sorted(b.missing_desc)}", file=sys.stderr)
        write_json(SCHEMAS / f"{kind}.schema.json", schema)
    sys.exit(status)


if __name__ == "__main__":
    main()
