#!/usr/bin/env python3
"""Write the schemas of ECCOE's own document formats.

    Tools/schemas/.venv/bin/python Tools/schemas/gen_document_schemas.py

  Schemas/agreement.schema.json              ECCOE Model Credit Recognition Agreement
  Schemas/consultation.schema.json           consultation definition (for `eccoe serve`)
  Schemas/consultation-response.schema.json  one participant's response (POST /api/v1/responses)

The schemas are written here rather than by hand so that the good examples in Schemas/examples
(written by gen_examples.py) are embedded as `examples` and shared definitions stay identical to
those of the ELM schemas.
"""
from __future__ import annotations

import json

from shacl_to_jsonschema import COMMON_DEFS
from vocablib import BASE, META, SCHEMAS, VOCAB_BASE, write_json

CRITERION_ID = {"type": "string", "pattern": "^(MC|LO|AG|DQ|CO)-[0-9]{2}$",
                "description": "A criterion ID of the catalogue (criteria.json).", "examples": ["MC-07"]}


def lang_map(title: str, description: str, required_text=True) -> dict:
    d = {"title": title, "description": description, "$ref": "#/$defs/LanguageMapUnique"}
    if required_text:
        d["minProperties"] = 1
    return d


def text(title: str, description: str, **kw) -> dict:
    return {"type": "string", "minLength": 1, "title": title, "description": description, **kw}


def example(name: str):
    return json.loads((SCHEMAS / "examples" / name).read_text(encoding="utf-8"))


def shared_defs(*names) -> dict:
    return {n: COMMON_DEFS[n] for n in names}


def fillable(schema: dict) -> dict:
    """A value a draft may leave open: the value itself, or a placeholder `[[what to fill in]]` (AG-21)."""
    annotations = {k: schema.pop(k) for k in ("title", "description") if k in schema}
    return {**annotations, "anyOf": [schema, {"$ref": "#/$defs/Placeholder"}]}


# ----------------------------------------------------------------------------- agreement
def agreement_schema() -> dict:
    party_id = {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]*$",
                "description": "The `id` of a party declared in `parties`."}
    defs = shared_defs("Iri", "Duration", "LanguageMapUnique")
    defs.update({
        "PartyId": party_id,
        "Placeholder": {
            "type": "string", "pattern": "^\\[\\[.*\\]\\]$", "title": "Placeholder",
            "description": "A value the parties still have to agree on, written between double square brackets "
                           "with what is to be filled in, e.g. [[contact e-mail of the recognition office]]. "
                           "A draft may hold placeholders where a value is not known yet; the checker reports "
                           "each one (AG-21) and no party should sign while one remains (AG-13).",
            "examples": ["[[contact e-mail of the recognition office]]"]},
        "LearningOutcomeRef": {
            "type": "object", "required": ["id", "title"], "additionalProperties": False,
            "properties": {"id": {"type": "string", "minLength": 1, "title": "Identifier",
                                  "description": "The learning outcome's `id` in its document, or a short key."},
                           "title": lang_map("Statement", "The learning outcome, one text per language.")}},
        "Date": {"type": "string", "title": "Date (YYYY-MM-DD)",
                 "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                 "description": "A calendar date in ISO 8601 form, e.g. 2026-09-01.", "examples": ["2026-09-01"]},
        "Email": {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", "description": "An e-mail address.",
                  "examples": ["recognition@example.org"]},
        "WebAddress": {"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$",
                       "description": "An http or https address.", "examples": ["https://www.example.org/"]},
        "RelativePath": {
            "type": "string", "minLength": 1, "title": "Relative file path",
            "description": "Path of the referenced file relative to this agreement file, with forward slashes, e.g. "
                           "catalogue/research-data-management.jsonld. Not a URL, not an absolute path (AG-03).",
            "not": {"pattern": "^[A-Za-z][A-Za-z0-9+.-]*:|^/|\\\\"},
            "examples": ["good-learning-opportunity.jsonld", "../catalogue/rdm.jsonld"]},
        "Person": {"type": "object", "required": ["name", "function"], "additionalProperties": False,
                   "properties": {"name": text("Name", "Full name."),
                                  "function": text("Function", "Position in the institution, e.g. Rector.")}},
        "Party": {
            "type": "object", "title": "Party",
            "description": "An institution that concludes the agreement.",
            "required": ["id", "roles", "legalName", "country", "identifiers", "contact"],
            "additionalProperties": False,
            "properties": {
                "id": {"$ref": "#/$defs/PartyId", "title": "Party key",
                       "description": "A short key by which the rest of the agreement refers to this party, e.g. \"uniA\"."},
                "roles": {"type": "array", "minItems": 1, "uniqueItems": True, "title": "Roles",
                          "description": "provider: offers the learning; awarding: awards the credential; recognising: "
                                         "recognises the learning in its own programmes.",
                          "items": {"enum": ["provider", "awarding", "recognising"]}},
                "legalName": lang_map("Legal name", "Registered name, one text per language."),
                "country": fillable({"$ref": VOCAB_BASE + "countries.schema.json", "title": "Country",
                                     "description": "EU country authority IRI, e.g. "
                                                    "http://publications.europa.eu/resource/authority/country/DEU."}),
                "identifiers": {
                    "type": "array", "minItems": 1, "title": "Identifiers",
                    "description": "Official identifiers of the institution (Erasmus code, PIC, SCHAC code, eIDAS, VAT …).",
                    "items": {"type": "object", "required": ["scheme", "value"], "additionalProperties": False,
                              "properties": {
                                  "scheme": {"enum": ["erasmusCode", "pic", "schac", "eidas", "vat", "national", "other"],
                                             "description": "Identification scheme."},
                                  "schemeName": text("Scheme name", "Name of the scheme when `scheme` is national or other."),
                                  "value": text("Value", "The identifier.")}}},
                "address": text("Address", "Postal address."),
                "homepage": {"$ref": "#/$defs/WebAddress", "title": "Website"},
                "legalRepresentative": {"$ref": "#/$defs/Person", "title": "Legal representative",
                                        "description": "Who legally represents the institution."},
                "contact": {"type": "object", "title": "Contact", "required": ["name", "email"], "additionalProperties": False,
                            "description": "The recognition office contact for this agreement.",
                            "properties": {"name": text("Name", "Contact person or office."),
                                           "role": text("Role", "Their role."),
                                           "email": fillable({"$ref": "#/$defs/Email"}),
                                           "phone": text("Phone", "Phone number.")}},
            }},
    })
    props = {
        "$schema": {"type": "string", "pattern": "agreement\\.schema\\.json$", "title": "Schema",
                    "description": "https://eccoe.eu/schemas/agreement.schema.json (or a path ending in agreement.schema.json)."},
        "id": {"$ref": "#/$defs/Iri", "title": "Agreement identifier",
               "description": "A stable IRI or URN for this agreement, e.g. urn:eccoe:agreement:uniA-uniB:2026-01."},
        "title": lang_map("Title", "Title of the agreement, one text per language."),
        "version": text("Version", "Version of this agreement text, e.g. 1.0."),
        "languages": {"type": "array", "minItems": 1, "uniqueItems": True, "title": "Languages of the agreement",
                      "description": "Languages in which the agreement is concluded (ISO 639-1 codes).",
                      "items": {"$ref": VOCAB_BASE + "language-codes-iso639-1.schema.json"}},
        "parties": {"type": "array", "minItems": 2, "title": "A. Parties",
                    "description": "The institutions concluding the agreement: at least two, with at least one provider or "
                                   "awarding party and one recognising party (AG-01).",
                    "items": {"$ref": "#/$defs/Party"}},
        "scope": {"type": "object", "title": "B. Purpose and scope", "additionalProperties": False,
                  "required": ["direction", "recognitionTypes", "decision"],
                  "description": "What is recognised, in which direction and how decisions are taken (AG-02).",
                  "properties": {
                      "direction": {"enum": ["unilateral", "mutual"],
                                    "description": "unilateral: only the recognising party recognises; mutual: every party "
                                                   "recognises the others' offers."},
                      "recognitionTypes": {"type": "array", "minItems": 1, "uniqueItems": True,
                                           "description": "creditTransfer: credits count towards a programme; exemption: a "
                                                          "module is waived; admission: access to a programme; priorLearning: "
                                                          "validation of prior learning; transcriptInclusion: listed in the "
                                                          "transcript of records.",
                                           "items": {"enum": ["creditTransfer", "exemption", "admission", "priorLearning",
                                                              "transcriptInclusion"]}},
                      "decision": {"enum": ["automatic", "caseByCase"],
                                   "description": "automatic: recognition follows from the agreement; caseByCase: each "
                                                  "application is still assessed."},
                      "description": lang_map("Description", "The purpose in the parties' words.", False)}},
        "learningOpportunities": {
            "type": "array", "minItems": 1, "title": "C. Learning opportunities covered",
            "description": "The learning opportunities (or credentials) covered, each referenced by its stable `id`, "
                           "with the relative path of its ELM file as a hint (AG-03, AG-04, AG-05, AG-20), and what "
                           "the agreement records of it: credits, level, fields of education, languages and "
                           "learning outcomes as they were when the agreement was drafted.",
            "items": {"type": "object", "required": ["key", "kind", "id"], "additionalProperties": False,
                      "properties": {
                          "key": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]*$",
                                  "description": "Short key used by the equivalence table, e.g. \"rdm\"."},
                          "kind": {"enum": ["learningOpportunity", "credential"],
                                   "description": "Whether the document is a learning opportunity or a credential."},
                          "id": {"$ref": "#/$defs/Iri",
                                 "description": "The top-level `id` of the referenced document: the reference that "
                                                "holds when files move (AG-04)."},
                          "path": {"$ref": "#/$defs/RelativePath",
                                   "description": "Where the document was when the agreement was written, relative to "
                                                  "this agreement file: a hint; the `id` decides (AG-03, AG-20)."},
                          "provider": {"$ref": "#/$defs/PartyId", "description": "The party that provides it."},
                          "title": lang_map("Title", "Title, for readers of the agreement.", False),
                          "credits": {"type": "number", "minimum": 0, "title": "ECTS credits",
                                      "description": "ECTS credits the document awards, as recorded in the agreement "
                                                     "(compared with the document: AG-20)."},
                          "eqfLevel": {"$ref": VOCAB_BASE + "eqf-levels.schema.json"},
                          "fieldsOfEducation": {"type": "array", "uniqueItems": True, "title": "Fields of education",
                                                "description": "ISCED-F 2013 fields of the document.",
                                                "items": {"$ref": VOCAB_BASE + "isced-f.schema.json"}},
                          "languages": {"type": "array", "uniqueItems": True, "title": "Languages of instruction",
                                        "description": "Languages of instruction and assessment (EU language authority IRIs).",
                                        "items": {"$ref": VOCAB_BASE + "languages.schema.json"}},
                          "learningOutcomes": {"type": "array", "title": "Learning outcomes",
                                               "description": "The document's learning outcomes, as recorded in the "
                                                              "agreement; the equivalences' `outcomeCoverage` refers to "
                                                              "them by `id` (AG-19).",
                                               "items": {"$ref": "#/$defs/LearningOutcomeRef"}},
                          "homepage": {"$ref": "#/$defs/WebAddress", "title": "Web page"}}}},
        "equivalences": {
            "type": "array", "minItems": 1, "title": "D. Equivalence table",
            "description": "What each covered learning opportunity counts for at the recognising party (AG-06, AG-07).",
            "items": {"type": "object", "additionalProperties": False,
                      "required": ["learningOpportunity", "recognisingParty", "targetComponent", "creditsRecognised"],
                      "properties": {
                          "learningOpportunity": {"type": "string", "description": "The `key` of a covered learning opportunity."},
                          "recognisingParty": {"$ref": "#/$defs/PartyId"},
                          "targetComponent": {"type": "object", "required": ["title"], "additionalProperties": False,
                                              "description": "The module or component at the recognising party.",
                                              "properties": {
                                                  "code": text("Code", "Module code."),
                                                  "title": lang_map("Title", "Module title."),
                                                  "credits": fillable({"type": "number", "minimum": 0,
                                                                       "description": "ECTS credits of the module."}),
                                                  "learningOutcomes": {
                                                      "type": "array", "minItems": 1, "title": "Learning outcomes",
                                                      "description": "The module's learning outcomes (AG-19).",
                                                      "x-criterion": "AG-19",
                                                      "items": {"$ref": "#/$defs/LearningOutcomeRef"}}}},
                          "creditsRecognised": fillable({"type": "number", "exclusiveMinimum": 0,
                                                         "description": "ECTS credits recognised; not more than the "
                                                                        "credits of the learning opportunity (AG-07), and "
                                                                        "with the other equivalences of the same "
                                                                        "opportunity not more than its credits (AG-16)."}),
                          "creditSystem": {"const": "ECTS", "default": "ECTS", "description": "Credit system (ECTS)."},
                          "recognitionType": {"enum": ["creditTransfer", "exemption", "admission", "priorLearning",
                                                       "transcriptInclusion"]},
                          "gradeConversionRule": {"type": "string", "description": "The `id` of a rule in gradeConversion.rules."},
                          "coverageNote": lang_map("Coverage", "How the learning outcomes cover those of the module.", False),
                          "conditions": lang_map("Conditions", "Any further condition for recognition.", False),
                          "outcomeCoverage": {
                              "type": "array", "minItems": 1, "title": "Learning-outcome coverage", "x-criterion": "AG-19",
                              "description": "Which learning outcomes of the target component the learning opportunity "
                                             "covers, and by which of its own outcomes (AG-19).",
                              "items": {"type": "object", "required": ["targetOutcome", "coveredBy"],
                                        "additionalProperties": False,
                                        "properties": {
                                            "targetOutcome": {"type": "string", "minLength": 1,
                                                              "description": "The `id` of a learning outcome of the "
                                                                             "target component."},
                                            "coveredBy": {"type": "array", "uniqueItems": True,
                                                          "description": "The `id`s of the learning opportunity's "
                                                                         "learning outcomes that cover it.",
                                                          "items": {"type": "string", "minLength": 1}}}}}}}},
        "gradeConversion": {
            "type": "object", "title": "Grade conversion", "required": ["method"], "additionalProperties": False,
            "description": "How grades are converted (AG-08).",
            "properties": {
                "method": {"enum": ["ectsGradingTable", "egracons", "passFail", "conversionTable", "nationalScale"],
                           "description": "ectsGradingTable: by grade distribution tables; egracons: with the EGRACONS tool; "
                                          "passFail: no grade is carried over; conversionTable: the rules below; "
                                          "nationalScale: by a national conversion scale."},
                "rules": {"type": "array", "description": "Conversion rules.",
                          "items": {"type": "object", "required": ["id", "from", "to"], "additionalProperties": False,
                                    "properties": {"id": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]*$"},
                                                   "from": text("From", "Grade at the providing party."),
                                                   "to": text("To", "Grade at the recognising party."),
                                                   "note": text("Note", "Remark on the rule.")}}},
                "reference": {"$ref": "#/$defs/WebAddress", "description": "Link to a grading table or scale."},
                "description": lang_map("Description", "The conversion in words.", False)},
            "if": {"properties": {"method": {"const": "conversionTable"}}, "required": ["method"]},
            "then": {"required": ["rules"], "properties": {"rules": {"minItems": 1}}}},
        "transcript": {
            "type": "object", "title": "Recording on the transcript", "x-criterion": "AG-18",
            "required": ["recordedAs", "description"], "additionalProperties": False,
            "description": "How recognised credits appear on the learner's transcript of records at the recognising "
                           "party (AG-18).",
            "properties": {
                "recordedAs": {"enum": ["targetComponent", "learningOpportunity", "both"],
                               "description": "targetComponent: under the recognised module's title and code; "
                                              "learningOpportunity: under the title of the learning opportunity as "
                                              "awarded; both: the module, with the learning opportunity named."},
                "showsAwardingInstitution": {"type": "boolean",
                                             "description": "Whether the entry names the institution that awarded the "
                                                            "credits."},
                "grade": {"enum": ["converted", "original", "passOnly", "notRecorded"],
                          "description": "converted: the grade after conversion; original: the grade as awarded; "
                                         "passOnly: recorded as passed, without a grade; notRecorded: no grade."},
                "description": lang_map("Description", "The recording in words.")}},
        "limits": {
            "type": "object", "title": "Limits of recognition", "x-criterion": "AG-17", "minProperties": 1,
            "additionalProperties": False,
            "description": "Caps the recognising party applies, if any (AG-17).",
            "properties": {
                "maxTotalCredits": {"type": "number", "exclusiveMinimum": 0,
                                    "description": "At most this many ECTS credits are recognised for one learner "
                                                   "under this agreement."},
                "maxCredentialAge": {"$ref": "#/$defs/Duration",
                                     "description": "Credentials older than this when recognition is requested are "
                                                    "assessed case by case, e.g. P5Y."},
                "description": lang_map("Description", "The limits in words.", False)}},
        "learnerRights": {
            "type": "object", "title": "Learner rights", "additionalProperties": False,
            "required": ["decisionPeriod", "reasonedDecision", "appeal", "burdenOfProof"],
            "description": "What the learner is entitled to (AG-15, after the Lisbon Recognition Convention, Art. III.3 "
                           "and III.5).",
            "properties": {
                "decisionPeriod": {"$ref": "#/$defs/Duration",
                                   "description": "Time within which the recognising party decides once an application "
                                                  "is complete, e.g. P30D."},
                "reasonedDecision": lang_map("Reasoned decision", "The learner receives a written decision; a refusal "
                                             "or a partial recognition states its reasons and what the learner can do "
                                             "to obtain recognition later."),
                "appeal": lang_map("Appeal", "How, to whom and within what time the learner can appeal a decision, "
                                   "or the absence of one."),
                "appealPeriod": {"$ref": "#/$defs/Duration", "description": "Time within which an appeal is lodged."},
                "burdenOfProof": lang_map("Burden of proof", "Recognition is granted unless the recognising party "
                                          "shows a substantial difference; the burden of showing it lies with the "
                                          "recognising party.")}},
        "evidence": {
            "type": "object", "title": "E. Evidence required", "required": ["acceptedFormats", "verificationProcedure"],
            "additionalProperties": False, "description": "What proof is accepted and how it is verified (AG-09).",
            "properties": {
                "acceptedFormats": {"type": "array", "minItems": 1, "uniqueItems": True,
                                    "description": "edcSealed: sealed European Digital Credential; openBadge3: Open Badges 3.0 "
                                                   "credential with proof; transcriptPdf: signed transcript; other: see notes.",
                                    "items": {"enum": ["edcSealed", "openBadge3", "transcriptPdf", "other"]}},
                "verificationProcedure": lang_map("Verification procedure", "How the recognising party verifies the evidence."),
                "submissionDeadline": {"$ref": "#/$defs/Duration",
                                       "description": "Time within which the evidence must be submitted, e.g. P35D."},
                "notes": lang_map("Notes", "Further remarks.", False)}},
        "qualityAssurance": {
            "type": "object", "title": "F. Quality assurance", "required": ["parties", "reviewProcedure"],
            "additionalProperties": False, "description": "Each party's external quality assurance (AG-10).",
            "properties": {
                "parties": {"type": "array", "minItems": 1,
                            "items": {"type": "object", "required": ["party", "agency"], "additionalProperties": False,
                                      "properties": {"party": {"$ref": "#/$defs/PartyId"},
                                                     "agency": text("Agency", "The quality-assurance agency or body."),
                                                     "eqarRegistered": {"type": "boolean",
                                                                        "description": "Whether the agency is registered in EQAR."},
                                                     "reference": {"$ref": "#/$defs/WebAddress",
                                                                   "description": "Link to the latest report or decision."}}}},
                "reviewProcedure": lang_map("Review procedure", "How changes to covered offers are notified and reviewed."),
                "changeNotification": lang_map("Change notification", "Further rules on notifying changes.", False)}},
        "validity": {
            "type": "object", "title": "G. Validity", "additionalProperties": False,
            "required": ["validFrom", "validUntil", "terminationNotice", "renewal"],
            "description": "Period of validity, renewal and termination (AG-11; order of dates: DQ-04).",
            "properties": {"validFrom": {"$ref": "#/$defs/Date"}, "validUntil": {"$ref": "#/$defs/Date"},
                           "terminationNotice": {"$ref": "#/$defs/Duration", "description": "Notice period, e.g. P6M."},
                           "renewal": lang_map("Renewal", "How the agreement is renewed."),
                           "amendmentProcedure": lang_map("Amendments", "How the agreement is amended.", False)}},
        "dataProtection": {
            "type": "object", "title": "H. Data protection and legal provisions", "additionalProperties": False,
            "required": ["legalBasis", "controllers", "retentionPeriod", "applicableLaw"],
            "description": "Personal-data processing and applicable law (AG-12).",
            "properties": {"legalBasis": lang_map("Legal basis", "Legal basis of processing under the GDPR."),
                           "controllers": {"type": "array", "minItems": 1, "uniqueItems": True,
                                           "description": "Parties acting as data controllers.",
                                           "items": {"$ref": "#/$defs/PartyId"}},
                           "retentionPeriod": {"$ref": "#/$defs/Duration", "description": "How long data are kept, e.g. P5Y."},
                           "applicableLaw": lang_map("Applicable law", "Law governing the agreement."),
                           "disputeResolution": lang_map("Disputes", "How disputes are settled.", False),
                           "contact": {"$ref": "#/$defs/Email", "description": "Data-protection contact."}}},
        "signatures": {
            "type": "array", "minItems": 1, "title": "I. Signatures",
            "description": "One signature block per party (AG-13); a block without `date` and `place` awaits "
                           "signature.",
            "items": {"type": "object", "required": ["party", "signatory"], "additionalProperties": False,
                      "properties": {"party": {"$ref": "#/$defs/PartyId"},
                                     "signatory": {"$ref": "#/$defs/Person"},
                                     "date": {"$ref": "#/$defs/Date"},
                                     "place": text("Place", "Place of signature.")}}},
    }
    return {
        "$schema": META, "$id": BASE + "agreement.schema.json",
        "title": "ECCOE Model Credit Recognition Agreement",
        "description": "A cross-institutional credit-recognition agreement in ECCOE's JSON format, after the ECCOE Model "
                       "Credit Recognition Agreement: parties, scope, the learning opportunities covered (by id, "
                       "with the relative file path as a hint), the equivalence table, grade conversion, recording on "
                       "the transcript, limits, learner rights, evidence, quality assurance, validity, data protection "
                       "and signatures. Multilingual texts are language maps such as {\"en\": \"…\"}. A draft may "
                       "hold placeholders [[…]] where the parties still have to fill in a value. Name files "
                       "*.agreement.json or declare this schema in `$schema`.",
        "type": "object",
        "required": ["$schema", "id", "title", "parties", "scope", "learningOpportunities", "equivalences",
                     "gradeConversion", "learnerRights", "evidence", "qualityAssurance", "validity", "dataProtection",
                     "signatures"],
        "properties": props,
        "additionalProperties": False,
        "examples": [example("good.agreement.json")],
        "$defs": defs,
    }


# ----------------------------------------------------------------------------- consultation
def consultation_schema() -> dict:
    defs = {
        "DateTimeWithZone": {"type": "string", "format": "date-time", "title": "Date and time with time zone",
                             "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
                             "description": "An RFC 3339 date-time with offset, e.g. 2026-03-01T09:00:00+01:00.",
                             "examples": ["2026-03-01T09:00:00+01:00"]},
        "LanguageTag": {"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
                        "description": "A BCP 47 language tag such as en, fr or pt-BR."},
        "Text": {"description": "A text participants read: one string (the same in every language) or a map from each of "
                                "the definition's `languages` to its text; a missing language falls back to English, "
                                "visibly (CO-06).",
                 "anyOf": [{"type": "string", "minLength": 1},
                           {"type": "object", "minProperties": 1,
                            "propertyNames": {"$ref": "#/$defs/LanguageTag"},
                            "additionalProperties": {"type": "string", "minLength": 1}}]},
        "QuestionId": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]*$",
                       "description": "Question identifier: letters, digits and _ (so it never looks like a criterion ID)."},
        "Option": {"type": "object", "required": ["value", "label"], "additionalProperties": False,
                   "properties": {"value": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                                            "description": "Value stored in the response."},
                                  "label": {"$ref": "#/$defs/Text", "description": "Text shown to participants."}}},
        "Question": {
            "type": "object", "title": "Question", "required": ["id", "type", "label"], "additionalProperties": False,
            "description": "A question: singleChoice, multipleChoice, likert (a numeric scale), text, or the one-line "
                           "answers of registration forms: email (an e-mail address, checked syntactically, at most 254 "
                           "bytes) and organisation (a name, at most 300 characters).",
            "properties": {
                "id": {"$ref": "#/$defs/QuestionId"},
                "type": {"enum": ["singleChoice", "multipleChoice", "likert", "text", "email", "organisation"]},
                "label": {"$ref": "#/$defs/Text", "description": "The question as shown."},
                "help": {"$ref": "#/$defs/Text", "description": "Help text shown below the question."},
                "required": {"type": "boolean", "default": False, "description": "Whether an answer is required."},
                "options": {"type": "array", "minItems": 2, "description": "Choices (CO-05).",
                            "items": {"$ref": "#/$defs/Option"}},
                "optionsFrom": {"enum": ["countries", "languages"],
                                "description": "Take the choices from a bundled vocabulary instead of `options`."},
                "scale": {"type": "object", "required": ["min", "max"], "additionalProperties": False,
                          "description": "Scale of a likert question (CO-05).",
                          "properties": {"min": {"type": "integer"}, "max": {"type": "integer"},
                                         "minLabel": {"$ref": "#/$defs/Text"}, "maxLabel": {"$ref": "#/$defs/Text"}}},
                "maxLength": {"type": "integer", "minimum": 1,
                              "description": "Longest accepted text answer, in characters (text: at most 10000; "
                                             "organisation: at most 300)."},
                "showIf": {"type": "object", "required": ["question", "in"], "additionalProperties": False,
                           "description": "Show the question only if the profile question `question` was answered with "
                                          "one of the values in `in` (CO-04).",
                           "properties": {"question": {"$ref": "#/$defs/QuestionId"},
                                          "in": {"type": "array", "minItems": 1, "items": {"type": "string"}}}}},
            "allOf": [
                {"if": {"properties": {"type": {"enum": ["singleChoice", "multipleChoice"]}}, "required": ["type"]},
                 "then": {"anyOf": [{"required": ["options"]}, {"required": ["optionsFrom"]}]}},
                {"if": {"properties": {"type": {"const": "likert"}}, "required": ["type"]},
                 "then": {"required": ["scale"]}}]},
        "ItemSelector": {
            "type": "object", "minProperties": 1, "additionalProperties": False, "title": "Catalogue items",
            "description": "Which criteria are rated in this section: an explicit list of IDs, or all criteria filtered by "
                           "kind, ID prefix and level; filters combine, and with a list they narrow it (a listed ID they "
                           "leave out is a mistake) (CO-03).",
            "properties": {
                "criteria": {"type": "array", "minItems": 1, "uniqueItems": True, "items": CRITERION_ID},
                "kinds": {"type": "array", "minItems": 1, "uniqueItems": True,
                          "items": {"enum": ["credential", "learningOpportunity", "agreement", "consultation"]}},
                "prefixes": {"type": "array", "minItems": 1, "uniqueItems": True,
                             "items": {"enum": ["MC", "LO", "AG", "DQ", "CO"]}},
                "levels": {"type": "array", "minItems": 1, "uniqueItems": True,
                           "items": {"enum": ["mandatory", "recommended", "optional"]}}}},
        "Registration": {
            "type": "object", "title": "Registration", "additionalProperties": False,
            "description": "Makes the definition a registration form for an event: a number of places, then a waiting "
                           "list; registrants get a confirmation page with their status and a link to cancel (until the "
                           "event starts, promoting the first on the waiting list); their personal data are deleted "
                           "`retentionDays` after the event (CO-07).",
            "required": ["places", "startsAt", "retentionDays", "purpose"],
            "properties": {
                "places": {"type": "integer", "minimum": 1, "maximum": 100000,
                           "description": "Places offered; later registrations go on the waiting list."},
                "startsAt": {"$ref": "#/$defs/DateTimeWithZone",
                             "description": "When the event starts: registration and cancellation end then."},
                "endsAt": {"$ref": "#/$defs/DateTimeWithZone", "description": "When the event ends."},
                "location": {"$ref": "#/$defs/Text", "description": "Where it takes place (e.g. online)."},
                "retentionDays": {"type": "integer", "minimum": 0, "maximum": 3650,
                                  "description": "Days after the event (its end, else its start) after which the "
                                                 "registrants' personal data are deleted."},
                "purpose": {"$ref": "#/$defs/Text",
                            "description": "What the personal data are used for, shown on the form and the "
                                           "confirmation page."}}},
        "Section": {
            "type": "object", "title": "Section", "required": ["id", "title"], "additionalProperties": False,
            "anyOf": [{"required": ["items"]}, {"required": ["questions"]}],
            "properties": {"id": {"$ref": "#/$defs/QuestionId"},
                           "title": {"$ref": "#/$defs/Text"},
                           "description": {"$ref": "#/$defs/Text"},
                           "items": {"$ref": "#/$defs/ItemSelector"},
                           "questions": {"type": "array", "items": {"$ref": "#/$defs/Question"}}}},
    }
    props = {
        "$schema": {"type": "string", "pattern": "consultation\\.schema\\.json$",
                    "description": "https://eccoe.eu/schemas/consultation.schema.json (or a path ending in its file name)."},
        "id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]*$",
               "description": "Stable identifier of the consultation; stored with every response."},
        "languages": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"$ref": "#/$defs/LanguageTag"},
                      "description": "The languages the form is offered in, the first one its reference; texts may be "
                                     "maps from these languages to their text (CO-06). Default: [\"en\"]."},
        "title": {"$ref": "#/$defs/Text", "description": "Title shown at the top of the form."},
        "introduction": {"$ref": "#/$defs/Text", "description": "Introductory text (Markdown)."},
        "catalogueVersion": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$",
                             "description": "The criteria-catalogue version under review (not needed by a "
                                            "registration form, which rates no criteria)."},
        "registration": {"$ref": "#/$defs/Registration"},
        "privacy": {"type": "object", "required": ["version", "text"], "additionalProperties": False,
                    "description": "The privacy statement; participants consent to this version.",
                    "properties": {"version": {"type": "string", "minLength": 1},
                                   "text": {"$ref": "#/$defs/Text"}}},
        "timeZone": {"type": "string", "pattern": "^(UTC|[A-Za-z]+(/[A-Za-z0-9_+-]+)+)$",
                     "description": "IANA time zone in which dates are shown, e.g. Europe/Brussels (CO-02)."},
        "opensAt": {"$ref": "#/$defs/DateTimeWithZone", "description": "When responses start being accepted."},
        "closesAt": {"$ref": "#/$defs/DateTimeWithZone", "description": "When responses stop being accepted."},
        "rating": {"type": "object", "additionalProperties": False,
                   "description": "The scale on which participants rate each criterion; PRODUCT fixes it at 1–5 plus "
                                  "\"no opinion\" (null).",
                   "properties": {"min": {"const": 1}, "max": {"const": 5},
                                  "noOpinion": {"type": "boolean", "default": True},
                                  "labels": {"type": "object", "propertyNames": {"pattern": "^[1-5]$"},
                                             "additionalProperties": {"$ref": "#/$defs/Text"}}}},
        "profile": {"type": "array", "title": "Respondent profile",
                    "description": "Questions about the participant: capacity, stakeholder group, organisation type, "
                                   "country, role, familiarity with digital credentials.",
                    "items": {"$ref": "#/$defs/Question"}},
        "criteria": {"type": "object", "title": "Criterion wording for the public",
                     "description": "How the form words rated criteria, by criterion ID, per language: `title`, "
                                    "`requirement`, `rationale`, and `plain` (the plain statement the form leads with); "
                                    "what is not given comes from the catalogue: `plain` in the page language where the "
                                    "catalogue has it, everything else in English.",
                     "propertyNames": CRITERION_ID,
                     "additionalProperties": {"type": "object", "additionalProperties": False, "minProperties": 1,
                                              "properties": {"title": {"$ref": "#/$defs/Text"},
                                                             "requirement": {"$ref": "#/$defs/Text"},
                                                             "rationale": {"$ref": "#/$defs/Text"},
                                                             "plain": {"$ref": "#/$defs/Text"}}}},
        "sections": {"type": "array", "minItems": 1, "description": "The parts of the form, in order.",
                     "items": {"$ref": "#/$defs/Section"}},
    }
    return {
        "$schema": META, "$id": BASE + "consultation.schema.json",
        "title": "ECCOE consultation definition",
        "description": "A public consultation on the criteria catalogue, as published by `eccoe serve`: texts, privacy "
                       "statement, period, the respondent profile, and sections whose items are criteria taken from the "
                       "catalogue (by ID, kind, prefix or level) plus free questions; or, with `registration`, the registration "
                       "form of an event (places, waiting list, retention). Name files *.consultation.json or "
                       "declare this schema in `$schema`.",
        "type": "object",
        "required": ["id", "title", "privacy", "timeZone", "opensAt", "closesAt", "sections"],
        "if": {"not": {"required": ["registration"]}}, "then": {"required": ["catalogueVersion"]},
        "properties": props,
        "additionalProperties": False,
        "examples": [example("good.consultation.json")],
        "$defs": defs,
    }


def response_schema() -> dict:
    value = {"description": "An answer: an option value (single choice, text), a list of option values (multiple "
                            "choice), an integer (likert) or null (not answered).",
             "anyOf": [{"type": "string", "maxLength": 10000}, {"type": "array", "items": {"type": "string"}},
                       {"type": "integer"}, {"type": "null"}]}
    qmap = {"type": "object", "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_]*$"}, "additionalProperties": value}
    return {
        "$schema": META, "$id": BASE + "consultation-response.schema.json",
        "title": "ECCOE consultation response",
        "description": "One participant's response, as sent to POST /api/v1/responses and returned by GET "
                       "/api/v1/responses/{id}: profile answers, a rating (1–5, or null for no opinion) with optional "
                       "comment and suggestion per criterion, answers to the free questions, and consent to a privacy "
                       "statement version.",
        "type": "object",
        "required": ["answers", "consent"],
        "additionalProperties": False,
        "properties": {
            "profile": {**qmap, "title": "Profile", "description": "Answers to the profile questions, by question id."},
            "answers": {
                "type": "object", "title": "Ratings of criteria",
                "description": "By criterion ID: the rating and optional comment and suggested rewording.",
                "propertyNames": {"pattern": "^(MC|LO|AG|DQ|CO)-[0-9]{2}$"},
                "additionalProperties": {
                    "type": "object", "required": ["rating"], "additionalProperties": False,
                    "properties": {
                        "rating": {"description": "1 (not appropriate) to 5 (fully appropriate), or null for no opinion.",
                                   "anyOf": [{"type": "integer", "minimum": 1, "maximum": 5}, {"type": "null"}]},
                        "comment": {"type": "string", "maxLength": 10000, "description": "Comment on the criterion."},
                        "suggestion": {"type": "string", "maxLength": 10000, "description": "Suggested rewording."}}}},
            "questions": {**qmap, "title": "Free questions", "description": "Answers to the sections' questions, by question id."},
            "consent": {"type": "object", "required": ["privacyVersion", "given"], "additionalProperties": False,
                        "description": "Consent to the privacy statement.",
                        "properties": {"privacyVersion": {"type": "string", "minLength": 1,
                                                          "description": "The privacy statement version shown."},
                                       "given": {"const": True, "description": "Must be true."}}},
        },
        "examples": [{
            "profile": {"capacity": "organisation", "stakeholderGroup": "recognitionOfficer", "organisationType": "hei",
                        "country": "http://publications.europa.eu/resource/authority/country/LTU", "familiarity": 4},
            "answers": {"MC-07": {"rating": 5, "comment": "ECTS is what our recognition committee looks at first."},
                        "MC-13": {"rating": 4, "suggestion": "Make this recommended for online assessments."},
                        "DQ-03": {"rating": None}},
            "questions": {"credentialSufficient": "partly", "useAtInstitution": ["recognition", "qa"]},
            "consent": {"privacyVersion": "2026-01", "given": True}}],
    }


def main() -> None:
    write_json(SCHEMAS / "agreement.schema.json", agreement_schema())
    write_json(SCHEMAS / "consultation.schema.json", consultation_schema())
    write_json(SCHEMAS / "consultation-response.schema.json", response_schema())


if __name__ == "__main__":
    main()
