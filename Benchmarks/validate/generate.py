#!/usr/bin/env python3
"""Generates the validation benchmark's inputs, deterministically:

- schema.json: a JSON Schema 2020-12 with the shape of the EDC profile: nested objects, "one object or an
  array of them" via oneOf, $refs (recursive too), enums and anyOf-of-const vocabularies of hundreds of
  values, language maps checked through propertyNames, formats and a pattern.
- corpus/NNNN.json: credential-like documents (about 2-40 KB each); about one in eight has mistakes
  (a wrong vocabulary value, a missing required property, an unknown property, a wrong type).

Usage: generate.py OUTDIR [--documents N]
"""
import json
import os
import random
import string
import sys

LANGS = sorted({a + b for a in string.ascii_lowercase for b in "aeilnorstu"})[:184]
COUNTRIES = sorted({"".join(t) for t in zip(string.ascii_uppercase * 12,
                                             (string.ascii_uppercase * 12)[7:],
                                             (string.ascii_uppercase * 12)[13:])})[:249]
COUNTRY_IRI = "http://publications.europa.eu/resource/authority/country/"
LANGUAGE_IRI = "http://publications.europa.eu/resource/authority/language/"
ISCED = ["http://data.europa.eu/snb/isced-f/%04d" % n for n in range(0, 1100, 3)]


def one_or_many(ref):
    return {"oneOf": [{"$ref": ref}, {"type": "array", "minItems": 1, "items": {"$ref": ref}}]}


def schema():
    iri = {"type": "string", "format": "uri", "pattern": "^(https?|urn):"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://eccoe.eu/bench/edc-profile.schema.json",
        "title": "European Digital Credential (benchmark profile)",
        "type": "object",
        "required": ["@context", "id", "type", "issuer", "credentialSubject", "validFrom", "credentialSchema"],
        "properties": {
            "@context": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "id": {"$ref": "#/$defs/iri"},
            "type": {"type": "array", "uniqueItems": True, "minItems": 2,
                     "items": {"enum": ["VerifiableCredential", "EuropeanDigitalCredential", "VerifiableAttestation"]}},
            "issuer": {"$ref": "#/$defs/organisation"},
            "validFrom": {"type": "string", "format": "date-time"},
            "validUntil": {"type": "string", "format": "date-time"},
            "issued": {"type": "string", "format": "date-time"},
            "credentialSubject": {"$ref": "#/$defs/person"},
            "credentialSchema": one_or_many("#/$defs/shaclValidator"),
            "displayParameter": {"$ref": "#/$defs/displayParameter"},
            "credentialProfiles": one_or_many("#/$defs/concept"),
        },
        "additionalProperties": False,
        "$defs": {
            "iri": iri,
            "langMap": {"title": "Language map", "type": "object", "minProperties": 1,
                        "propertyNames": {"$ref": "#/$defs/languageCode"},
                        "additionalProperties": {"type": "string", "minLength": 1}},
            "languageCode": {"title": "Language code", "enum": LANGS},
            "concept": {"type": "object", "required": ["id", "type"],
                        "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "Concept"},
                                       "prefLabel": {"$ref": "#/$defs/langMap"},
                                       "inScheme": {"$ref": "#/$defs/conceptScheme"}}},
            "conceptScheme": {"type": "object", "required": ["id", "type"],
                              "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "ConceptScheme"}},
                              "additionalProperties": False},
            "language": {"title": "Language", "allOf": [{"$ref": "#/$defs/concept"}],
                         "properties": {"id": {"title": "Language", "anyOf": [
                             {"const": LANGUAGE_IRI + c.upper() + "X", "title": "Language " + c} for c in LANGS]}}},
            "country": {"allOf": [{"$ref": "#/$defs/concept"}],
                        "properties": {"id": {"title": "Country", "enum": [COUNTRY_IRI + c for c in COUNTRIES]}}},
            "eqfLevel": {"allOf": [{"$ref": "#/$defs/concept"}],
                         "properties": {"id": {"title": "EQF level", "anyOf": [
                             {"const": "http://data.europa.eu/snb/eqf/%d" % n, "title": "Level %d" % n} for n in range(1, 9)]}}},
            "iscedF": {"allOf": [{"$ref": "#/$defs/concept"}],
                       "properties": {"id": {"title": "ISCED-F field", "enum": ISCED}}},
            "address": {"type": "object", "required": ["id", "type", "countryCode"],
                        "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "Address"},
                                       "countryCode": {"$ref": "#/$defs/country"},
                                       "fullAddress": {"$ref": "#/$defs/langMap"}},
                        "additionalProperties": False},
            "location": {"type": "object", "required": ["id", "type"],
                         "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "Location"},
                                        "address": one_or_many("#/$defs/address")}},
            "organisation": {"type": "object", "required": ["id", "type", "legalName"],
                             "properties": {
                                 "id": {"$ref": "#/$defs/iri"}, "type": {"const": "Organisation"},
                                 "legalName": {"$ref": "#/$defs/langMap"},
                                 "location": one_or_many("#/$defs/location"),
                                 "eIDASIdentifier": {"type": "object", "required": ["id", "type", "notation"],
                                                     "properties": {"id": {"$ref": "#/$defs/iri"},
                                                                    "type": {"const": "LegalIdentifier"},
                                                                    "notation": {"type": "string", "minLength": 1},
                                                                    "spatial": {"$ref": "#/$defs/country"}}},
                                 "homepage": one_or_many("#/$defs/webResource")},
                             "additionalProperties": False},
            "webResource": {"type": "object", "required": ["id", "type", "contentURL"],
                            "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "WebResource"},
                                           "contentURL": {"type": "string", "format": "uri"}}},
            "person": {"type": "object", "required": ["id", "type", "hasClaim"],
                       "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "Person"},
                                      "givenName": {"$ref": "#/$defs/langMap"},
                                      "familyName": {"$ref": "#/$defs/langMap"},
                                      "fullName": {"$ref": "#/$defs/langMap"},
                                      "dateOfBirth": {"type": "string", "format": "date"},
                                      "citizenshipCountry": one_or_many("#/$defs/country"),
                                      "hasClaim": one_or_many("#/$defs/achievement")}},
            "achievement": {"type": "object", "required": ["id", "type", "title", "awardedBy"],
                            "properties": {
                                "id": {"$ref": "#/$defs/iri"},
                                "type": {"enum": ["LearningAchievement", "LearningActivity", "LearningAssessment"]},
                                "title": {"$ref": "#/$defs/langMap"},
                                "description": {"$ref": "#/$defs/langMap"},
                                "awardedBy": {"$ref": "#/$defs/awardingProcess"},
                                "specifiedBy": {"$ref": "#/$defs/specification"},
                                "hasPart": one_or_many("#/$defs/achievement"),
                                "grade": {"type": "object", "properties": {
                                    "noteLiteral": {"type": "number", "minimum": 0, "maximum": 100},
                                    "weight": {"type": "number", "multipleOf": 0.1}}}},
                            "additionalProperties": False},
            "awardingProcess": {"type": "object", "required": ["id", "type", "awardingBody"],
                                "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "AwardingProcess"},
                                               "awardingDate": {"type": "string", "format": "date-time"},
                                               "awardingBody": one_or_many("#/$defs/organisationRef")}},
            "organisationRef": {"type": "object", "required": ["id", "type"],
                                "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "Organisation"}}},
            "specification": {"type": "object", "required": ["id", "type"],
                              "properties": {
                                  "id": {"$ref": "#/$defs/iri"},
                                  "type": {"enum": ["Qualification", "LearningAchievementSpecification"]},
                                  "title": {"$ref": "#/$defs/langMap"},
                                  "volumeOfLearning": {"type": "string", "format": "duration"},
                                  "eqfLevel": {"$ref": "#/$defs/eqfLevel"},
                                  "thematicArea": one_or_many("#/$defs/iscedF"),
                                  "language": one_or_many("#/$defs/language"),
                                  "creditPoint": one_or_many("#/$defs/creditPoint"),
                                  "learningOutcome": one_or_many("#/$defs/learningOutcome"),
                                  "maximumDuration": {"type": "string", "format": "duration"}}},
            "creditPoint": {"type": "object", "required": ["id", "type", "point", "framework"],
                            "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "CreditPoint"},
                                           "point": {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$"},
                                           "framework": {"$ref": "#/$defs/concept"}}},
            "learningOutcome": {"type": "object", "required": ["id", "type", "title"],
                                "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "LearningOutcome"},
                                               "title": {"$ref": "#/$defs/langMap"},
                                               "relatedESCOSkill": one_or_many("#/$defs/concept")}},
            "shaclValidator": {"type": "object", "required": ["id", "type"],
                               "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "ShaclValidator2017"}}},
            "displayParameter": {"type": "object", "required": ["id", "type", "title", "primaryLanguage"],
                                 "properties": {"id": {"$ref": "#/$defs/iri"}, "type": {"const": "DisplayParameter"},
                                                "title": {"$ref": "#/$defs/langMap"},
                                                "primaryLanguage": {"$ref": "#/$defs/language"},
                                                "language": one_or_many("#/$defs/language")}},
        },
    }


class Generator:
    WORDS = ["data", "literacy", "module", "assessment", "learning", "outcome", "credit", "digital", "skills",
             "analysis", "software", "ethics", "Université", "Hochschule", "éducation", "project", "workload",
             "practice", "seminar", "laboratory", "Ελληνικά", "統計"]

    def __init__(self, seed):
        self.r = random.Random(seed)
        self.n = 0

    def uid(self, kind):
        self.n += 1
        return "urn:epass:%s:%d" % (kind, self.n)

    def phrase(self, n):
        return " ".join(self.r.choice(self.WORDS) for _ in range(n))

    def lang_map(self, words):
        return {l: self.phrase(words) for l in self.r.sample(LANGS[:12], self.r.randint(1, 3))}

    def concept(self, iri, scheme):
        return {"id": iri, "type": "Concept", "prefLabel": self.lang_map(2),
                "inScheme": {"id": scheme, "type": "ConceptScheme"}}

    def one_or_many(self, make, most=3):
        n = self.r.randint(1, most)
        return make() if n == 1 else [make() for _ in range(n)]

    def country(self):
        return self.concept(COUNTRY_IRI + self.r.choice(COUNTRIES), COUNTRY_IRI[:-1])

    def language(self):
        return self.concept(LANGUAGE_IRI + self.r.choice(LANGS).upper() + "X", LANGUAGE_IRI[:-1])

    def organisation(self):
        return {"id": self.uid("org"), "type": "Organisation", "legalName": self.lang_map(4),
                "location": {"id": self.uid("loc"), "type": "Location",
                             "address": {"id": self.uid("addr"), "type": "Address", "countryCode": self.country(),
                                         "fullAddress": self.lang_map(6)}},
                "eIDASIdentifier": {"id": self.uid("legal"), "type": "LegalIdentifier",
                                    "notation": str(self.r.randint(10000, 99999)), "spatial": self.country()},
                "homepage": {"id": self.uid("web"), "type": "WebResource", "contentURL": "https://example.org/%d" % self.n}}

    def achievement(self, depth):
        a = {"id": self.uid("achievement"), "type": "LearningAchievement", "title": self.lang_map(4),
             "description": self.lang_map(18),
             "awardedBy": {"id": self.uid("award"), "type": "AwardingProcess",
                           "awardingDate": "2025-0%d-1%dT10:00:00+02:00" % (self.r.randint(1, 9), self.r.randint(0, 9)),
                           "awardingBody": [{"id": self.uid("org"), "type": "Organisation"}]},
             "specifiedBy": {"id": self.uid("spec"), "type": "Qualification", "title": self.lang_map(4),
                             "volumeOfLearning": "PT%dH" % (25 * self.r.randint(1, 12)),
                             "eqfLevel": self.concept("http://data.europa.eu/snb/eqf/%d" % self.r.randint(1, 8),
                                                      "http://data.europa.eu/snb/eqf/25831c2"),
                             "thematicArea": self.one_or_many(lambda: self.concept(self.r.choice(ISCED), "http://data.europa.eu/snb/isced-f/25831c2"), 2),
                             "language": self.one_or_many(self.language, 2),
                             "creditPoint": [{"id": self.uid("credit"), "type": "CreditPoint", "point": str(self.r.randint(1, 30)),
                                              "framework": self.concept("http://data.europa.eu/snb/education-credit/6fcec5c5af",
                                                                        "http://data.europa.eu/snb/education-credit/25831c2")}],
                             "learningOutcome": self.one_or_many(lambda: {"id": self.uid("lo"), "type": "LearningOutcome",
                                                                          "title": self.lang_map(8)}, 4),
                             "maximumDuration": "P%dM" % self.r.randint(1, 11)},
             "grade": {"noteLiteral": self.r.randint(0, 100), "weight": self.r.randint(0, 1000) / 10}}
        if depth > 0 and self.r.random() < 0.6:
            a["hasPart"] = self.one_or_many(lambda: self.achievement(depth - 1), 3)
        return a

    def credential(self):
        c = {"@context": ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"],
             "id": self.uid("credential"), "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
             "issuer": self.organisation(), "validFrom": "2025-01-15T09:00:00Z", "issued": "2025-01-15T09:00:00Z",
             "credentialSubject": {"id": self.uid("person"), "type": "Person", "givenName": self.lang_map(1),
                                   "familyName": self.lang_map(1), "dateOfBirth": "1999-05-%02d" % self.r.randint(1, 28),
                                   "citizenshipCountry": self.country(),
                                   "hasClaim": self.one_or_many(lambda: self.achievement(self.r.randint(0, 2)), 2)},
             "credentialSchema": {"id": "http://data.europa.eu/snb/model/ap/edc-generic-full", "type": "ShaclValidator2017"},
             "displayParameter": {"id": self.uid("display"), "type": "DisplayParameter", "title": self.lang_map(3),
                                  "primaryLanguage": self.language(), "language": [self.language(), self.language()]},
             "credentialProfiles": self.concept("http://data.europa.eu/snb/credential/e34929035b",
                                                "http://data.europa.eu/snb/credential/25831c2")}
        if self.r.random() < 0.125:
            self.spoil(c)
        return c

    def spoil(self, c):
        kind = self.r.randrange(4)
        if kind == 0:
            c["displayParameter"]["primaryLanguage"]["id"] = LANGUAGE_IRI + "XXX"
        elif kind == 1:
            del c["issuer"]["legalName"]
        elif kind == 2:
            c["credentialSubject"]["nickName"] = "unknown property"
        else:
            c["issuer"]["location"]["address"]["countryCode"]["id"] = 42


def main():
    out = sys.argv[1]
    count = int(sys.argv[sys.argv.index("--documents") + 1]) if "--documents" in sys.argv else 2000
    os.makedirs(os.path.join(out, "corpus"), exist_ok=True)
    with open(os.path.join(out, "schema.json"), "w") as f:
        json.dump(schema(), f, indent=2, ensure_ascii=False)
    g = Generator(42)
    total = 0
    for i in range(count):
        text = json.dumps(g.credential(), indent=2, ensure_ascii=False)
        total += len(text.encode())
        with open(os.path.join(out, "corpus", "%05d.json" % i), "w") as f:
            f.write(text)
    print("generated %d documents, %.1f MB, and schema.json in %s" % (count, total / 1e6, out))


if __name__ == "__main__":
    main()
