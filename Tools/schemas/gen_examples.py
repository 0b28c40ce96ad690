#!/usr/bin/env python3
"""Write the example documents in Schemas/examples/ and the list of findings each should trigger.

    Tools/schemas/.venv/bin/python Tools/schemas/gen_examples.py

One complete GOOD document per kind (it meets every criterion, including the recommended and
optional ones), and BAD documents derived from it by one targeted change each. The criterion IDs a
bad document should trigger are part of its file name and are listed in expected-findings.json.
Attribution of schema violations follows the `findingPolicy` of Schemas/criteria.json.
All people, institutions, codes and web addresses in the examples are fictitious.
"""
from __future__ import annotations

import copy
import json
import re

from vocablib import ROOT, SCHEMAS, write_json

EX = SCHEMAS / "examples"
SNB = "http://data.europa.eu/snb/"
NAL = "http://publications.europa.eu/resource/authority/"
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


# ----------------------------------------------------------------------------- building blocks
def concept(iri: str, scheme: str, label: str) -> dict:
    return {"id": iri, "type": "Concept", "inScheme": {"id": scheme, "type": "ConceptScheme"},
            "prefLabel": {"en": label}}


def snb(scheme: str, code: str, label: str) -> dict:
    return concept(f"{SNB}{scheme}/{code}", f"{SNB}{scheme}/25831c2", label)


def country(code: str, label: str) -> dict:
    return concept(f"{NAL}country/{code}", f"{NAL}country", label)


def language(code: str, label: str) -> dict:
    return concept(f"{NAL}language/{code}", f"{NAL}language", label)


GBR = country("GBR", "United Kingdom")
DEU = country("DEU", "Germany")
ENG = language("ENG", "English")
ONLINE = snb("learning-assessment", "920fbb3cbe", "Online")
PRESENTIAL = snb("learning-assessment", "9191af2ed9", "Presential")
ECTS = snb("education-credit", "6fcec5c5af", "European Credit Transfer System")


def note(nid: str, text: str, **extra) -> dict:
    return {"id": nid, "type": "Note", "noteLiteral": {"en": text}, **extra}


def web(wid: str, url: str, title: str | None = None) -> dict:
    w = {"id": wid, "type": "WebResource", "contentURL": url}
    if title:
        w["title"] = {"en": title}
    return w


def location(lid: str, aid: str, ctry: dict) -> dict:
    return {"id": lid, "type": "Location", "address": {"id": aid, "type": "Address", "countryCode": ctry}}


PROVIDER_ID = "urn:epass:org:exampleton"


def provider() -> dict:
    return {
        "id": PROVIDER_ID, "type": "Organisation",
        "legalName": {"en": "University of Exampleton"},
        "location": [location("urn:epass:location:exampleton", "urn:epass:address:exampleton", GBR)],
        "eIDASIdentifier": {"id": "urn:epass:legalIdentifier:exampleton", "type": "LegalIdentifier",
                            "schemeName": "Provider reference number", "notation": "10099999", "spatial": GBR},
        "homepage": [web("urn:epass:webResource:exampleton", "https://www.example.org/exampleton")],
    }


def qa_agency() -> dict:
    return {
        "id": "urn:epass:org:exampleton-qa", "type": "Organisation",
        "legalName": {"en": "Exampleton Agency for Quality in Higher Education"},
        "location": [location("urn:epass:location:exampleton-qa", "urn:epass:address:exampleton-qa", GBR)],
    }


def accreditation() -> dict:
    return {
        "id": "urn:epass:accreditation:rdm", "type": "Accreditation",
        "title": {"en": "Programme review of the postgraduate certificate in research data practice"},
        "dcType": snb("accreditation", "820101cba6", "Programme quality assurance"),
        "accreditingAgent": qa_agency(),
        "organisation": [{"id": PROVIDER_ID, "type": "Organisation",
                          "legalName": {"en": "University of Exampleton"},
                          "location": [location("urn:epass:location:exampleton", "urn:epass:address:exampleton", GBR)]}],
        "dateIssued": "2025-03-01T00:00:00Z",
        "expiryDate": "2031-02-28T00:00:00Z",
    }


OUTCOMES = [
    ("dmp", "Write a data management plan that meets the requirements of a research funder", None),
    ("metadata", "Describe a dataset with a disciplinary metadata standard so that others can find and reuse it", None),
    ("publish", "Publish a dataset in a trusted repository under an open licence",
     "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"),
]


def outcomes() -> list[dict]:
    out = []
    for key, text, esco in OUTCOMES:
        lo = {"id": f"urn:epass:learningOutcome:{key}", "type": "LearningOutcome", "title": {"en": text}}
        if esco:
            lo["relatedESCOSkill"] = [concept(esco, "http://data.europa.eu/esco/concept-scheme/skills",
                                              "develop digital content")]
        out.append(lo)
    return out


def assessment_spec(loq: bool) -> dict:
    spec = {
        "id": "urn:epass:learningAssessmentSpecification:rdm", "type": "LearningAssessmentSpecification",
        "title": {"en": "Project: data management plan and dataset publication"},
        "dcType": snb("assessment", "795dac4096", "project work"),
        "mode": [ONLINE],
        "gradingScheme": {"id": "urn:epass:gradingScheme:passfail", "type": "GradingScheme",
                          "title": {"en": "Pass/fail"},
                          "description": {"en": "Pass when every part of the project meets the published marking criteria."}},
    }
    if loq:
        spec["additionalNote"] = [note(
            "urn:epass:note:supervision", "The project is marked by two assessors; it is not taken under supervision "
            "and the learner's identity is not checked separately.",
            subject=snb("supervision-verification", "c598449d64", "Unsupervised without ID verification"))]
    return spec


def qualification(loq: bool) -> dict:
    q = {
        "id": "urn:epass:qualification:rdm", "type": "Qualification",
        "title": {"en": "Research Data Management"},
        "description": {"en": "A fully online course for doctoral candidates and researchers on planning, describing "
                              "and sharing research data."},
        "dcType": snb("learning-opportunity", "05053c1cbe", "Course"),
        "eqfLevel": snb("eqf", "6", "Level 6"),
        "nqfLevel": [snb("qdr", "c_c392e7a2", "RQF Level 6")],
        "thematicArea": [snb("isced-f", "0322", "Library, information and archival studies"),
                         snb("isced-f", "0688", "Inter-disciplinary programmes and qualifications involving "
                                                  "Information and Communication Technologies (ICTs)")],
        "language": [ENG],
        "creditPoint": [{"id": "urn:epass:creditPoint:rdm", "type": "CreditPoint", "framework": ECTS, "point": "5"}],
        "volumeOfLearning": "PT135H",
        "maximumDuration": "P3M",
        "mode": [ONLINE],
        "learningSetting": snb("learning-setting", "6fd4685715", "formal learning"),
        "entryRequirement": note("urn:epass:note:entry", "A bachelor's degree, or enrolment in a master's or doctoral "
                                                         "programme; basic spreadsheet skills."),
        "isPartialQualification": True,
        "learningOutcome": outcomes(),
        "provenBy": [assessment_spec(loq)],
        "accreditation": [accreditation()],
        "homepage": [web("urn:epass:webResource:rdm", "https://courses.example.org/rdm")],
    }
    return q


def good_credential() -> dict:
    return {
        "@context": ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"],
        "id": "urn:credential:6f1c2a7e-3b8d-4c55-9e2a-0d7f4b1a9c31",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": [snb("credential", "e34929035b", "Generic")],
        "credentialSchema": [{"id": "http://data.europa.eu/snb/model/ap/edc-generic-full", "type": "ShaclValidator2017"}],
        "identifier": [{"id": "urn:epass:identifier:certificate", "type": "Identifier",
                        "schemeName": "Certificate number", "notation": "RDM-2026-0042"}],
        "issued": "2026-07-15T09:00:00Z",
        "validFrom": "2026-07-15T09:00:00Z",
        "issuer": provider(),
        "displayParameter": {
            "id": "urn:epass:displayParameter:1", "type": "DisplayParameter",
            "title": {"en": "Micro-credential in Research Data Management"},
            "description": {"en": "Awarded for the successful completion of the online course Research Data Management (5 ECTS)."},
            "primaryLanguage": ENG,
            "language": [ENG],
            "individualDisplay": [{
                "id": "urn:epass:individualDisplay:1", "type": "IndividualDisplay", "language": ENG,
                "displayDetail": [{
                    "id": "urn:epass:displayDetail:1", "type": "DisplayDetail", "page": 1,
                    "image": {"id": "urn:epass:mediaObject:1", "type": "MediaObject", "content": PNG_1PX,
                              "contentEncoding": snb("encoding", "6146cde7dd", "base64"),
                              "contentType": concept(f"{NAL}file-type/PNG", f"{NAL}file-type", "PNG")}}]}],
        },
        "credentialSubject": {
            "id": "urn:epass:person:1", "type": "Person",
            "fullName": {"en": "Ana Andromeda"}, "givenName": {"en": "Ana"}, "familyName": {"en": "Andromeda"},
            "dateOfBirth": "1999-10-01T00:00:00Z",
            "identifier": [{"id": "urn:epass:identifier:student", "type": "Identifier",
                            "schemeName": "Student number", "notation": "S2026-0042"}],
            "hasClaim": [{
                "id": "urn:epass:learningAchievement:rdm", "type": "LearningAchievement",
                "title": {"en": "Research Data Management"},
                "awardedBy": {"id": "urn:epass:awardingProcess:rdm", "type": "AwardingProcess",
                              "awardingBody": [provider()], "awardingDate": "2026-07-10T00:00:00Z"},
                "additionalNote": [note("urn:epass:note:pilot", "Completed within the ECCOE catalogue of learning "
                                                                "opportunities approved for cross-institutional recognition.")],
                "provenBy": [{
                    "id": "urn:epass:learningAssessment:rdm", "type": "LearningAssessment",
                    "title": {"en": "Project: data management plan and dataset publication"},
                    "grade": note("urn:epass:note:grade", "Pass"),
                    "awardedBy": {"id": "urn:epass:awardingProcess:rdm-assessment", "type": "AwardingProcess",
                                  "awardingBody": [provider()]},
                    "idVerification": snb("supervision-verification", "c598449d64", "Unsupervised without ID verification"),
                    "dateIssued": "2026-07-08T00:00:00Z",
                    "specifiedBy": assessment_spec(loq=False),
                }],
                "specifiedBy": qualification(loq=False),
            }],
        },
    }


def good_learning_opportunity() -> dict:
    prov = provider()
    return {
        # The W3C context makes `id` and `type` JSON-LD keywords (the EDC context does not); the inline term
        # defines `defaultLanguage`, which LOQ requires and the EDC context lacks.
        "@context": ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap",
                     {"defaultLanguage": {"@id": "http://data.europa.eu/snb/model/elm/defaultLanguage", "@type": "@id"}}],
        "id": "urn:eccoe:lo:exampleton:rdm-2026",
        "type": "LearningOpportunity",
        "title": {"en": "Research Data Management (online course, autumn 2026)"},
        "description": {"en": "Twelve weeks of guided online study with a final project, open to doctoral candidates "
                              "and researchers of any discipline."},
        "dcType": snb("learning-opportunity", "05053c1cbe", "Course"),
        "homepage": [web("urn:epass:webResource:rdm-2026", "https://courses.example.org/rdm/2026")],
        "providedBy": [prov],
        "learningAchievementSpecification": qualification(loq=True),
        "defaultLanguage": ENG,
        "mode": [ONLINE],
        "temporal": {"id": "urn:epass:period:rdm-2026", "type": "PeriodOfTime",
                     "startDate": "2026-10-05T00:00:00+02:00", "endDate": "2026-12-18T23:59:59+01:00"},
        "duration": "P3M",
        "applicationDeadline": "2026-09-20T23:59:59+02:00",
        "admissionProcedure": note("urn:epass:note:admission", "Apply online with a short statement of your research "
                                                               "project; places are allocated in order of application."),
    }


def good_agreement() -> dict:
    return {
        "$schema": "https://eccoe.eu/schemas/agreement.schema.json",
        "id": "urn:eccoe:agreement:exampleton-musterstadt:2026-01",
        "title": {"en": "Credit recognition agreement on the online course Research Data Management",
                  "de": "Anerkennungsvereinbarung zum Online-Kurs Research Data Management"},
        "version": "1.0",
        "languages": ["en", "de"],
        "parties": [
            {"id": "exampleton", "roles": ["provider", "awarding"],
             "legalName": {"en": "University of Exampleton"},
             "country": f"{NAL}country/GBR",
             "identifiers": [{"scheme": "pic", "value": "999000001"}],
             "address": "1 College Road, Exampleton EX1 1AA, United Kingdom",
             "homepage": "https://www.example.org/exampleton",
             "legalRepresentative": {"name": "Prof. Jane Doe", "function": "Vice-Chancellor"},
             "contact": {"name": "Dr Sam Carter", "role": "Head of Academic Partnerships",
                         "email": "partnerships@exampleton.example.org"}},
            {"id": "musterstadt", "roles": ["recognising"],
             "legalName": {"de": "Hochschule Musterstadt", "en": "Musterstadt University of Applied Sciences"},
             "country": f"{NAL}country/DEU",
             "identifiers": [{"scheme": "erasmusCode", "value": "D  MUSTERS01"}],
             "address": "Hochschulstraße 1, 12345 Musterstadt, Deutschland",
             "homepage": "https://www.example.org/musterstadt",
             "legalRepresentative": {"name": "Prof. Dr. Max Mustermann", "function": "Präsident"},
             "contact": {"name": "Erika Musterfrau", "role": "Anerkennungsbeauftragte",
                         "email": "anerkennung@musterstadt.example.org"}},
        ],
        "scope": {"direction": "unilateral", "recognitionTypes": ["creditTransfer"], "decision": "automatic",
                  "description": {"en": "Musterstadt recognises the micro-credential awarded by Exampleton for the course "
                                        "below as the elective module named in the equivalence table, without a "
                                        "further individual assessment."}},
        "learningOpportunities": [
            {"key": "rdm", "kind": "learningOpportunity", "id": "urn:eccoe:lo:exampleton:rdm-2026",
             "path": "good-learning-opportunity.jsonld", "provider": "exampleton",
             "title": {"en": "Research Data Management (online course, autumn 2026)"},
             "credits": 5, "eqfLevel": f"{SNB}eqf/6",
             "fieldsOfEducation": [f"{SNB}isced-f/0322", f"{SNB}isced-f/0688"],
             "languages": [f"{NAL}language/ENG"],
             "learningOutcomes": [{"id": f"urn:epass:learningOutcome:{key}", "title": {"en": text}}
                                  for key, text, _ in OUTCOMES],
             "homepage": "https://courses.example.org/rdm/2026"},
        ],
        "equivalences": [
            {"learningOpportunity": "rdm", "recognisingParty": "musterstadt",
             "targetComponent": {"code": "WP-DM-05", "credits": 5,
                                 "title": {"en": "Elective module: Data management in research",
                                           "de": "Wahlpflichtmodul: Datenmanagement in der Forschung"},
                                 "learningOutcomes": [
                                     {"id": "WP-DM-05.1", "title": {"en": "Plan the management of the data of a research project",
                                                                    "de": "Das Datenmanagement eines Forschungsprojekts planen"}},
                                     {"id": "WP-DM-05.2", "title": {"en": "Document and publish research data following the FAIR principles",
                                                                    "de": "Forschungsdaten nach den FAIR-Prinzipien dokumentieren und veröffentlichen"}}]},
             "creditsRecognised": 5, "recognitionType": "creditTransfer", "gradeConversionRule": "pass",
             "coverageNote": {"en": "The three learning outcomes of the course cover the outcomes of the module."},
             "outcomeCoverage": [
                 {"targetOutcome": "WP-DM-05.1", "coveredBy": ["urn:epass:learningOutcome:dmp"]},
                 {"targetOutcome": "WP-DM-05.2", "coveredBy": ["urn:epass:learningOutcome:metadata",
                                                               "urn:epass:learningOutcome:publish"]}]},
        ],
        "gradeConversion": {"method": "passFail",
                            "rules": [{"id": "pass", "from": "Pass", "to": "bestanden"}],
                            "description": {"en": "The course is graded pass/fail; a pass is recorded as \"bestanden\" "
                                                  "and does not count towards the final grade."}},
        "transcript": {"recordedAs": "both", "showsAwardingInstitution": True, "grade": "passOnly",
                       "description": {"en": "The module is recorded as recognised (\"anerkannt\"), with the title of "
                                             "the course and the University of Exampleton as the institution where "
                                             "the credits were earned."}},
        "limits": {"maxTotalCredits": 30, "maxCredentialAge": "P5Y",
                   "description": {"en": "At most 30 ECTS credits are recognised for one learner under this "
                                         "agreement; credentials awarded more than five years before the application "
                                         "are assessed case by case."}},
        "learnerRights": {
            "decisionPeriod": "P30D",
            "reasonedDecision": {"en": "Musterstadt decides within 30 days of a complete application and informs the "
                                       "learner in writing; a refusal or a partial recognition states its reasons and "
                                       "what the learner can do to obtain recognition later."},
            "appeal": {"en": "The learner may appeal to the examination board of Musterstadt within one month of the "
                             "decision, or of the end of the decision period if no decision was taken."},
            "appealPeriod": "P1M",
            "burdenOfProof": {"en": "Recognition is granted unless Musterstadt shows a substantial difference between "
                                    "the learning outcomes achieved and those of the module; the burden of showing it "
                                    "lies with Musterstadt."}},
        "evidence": {"acceptedFormats": ["edcSealed"],
                     "verificationProcedure": {"en": "The learner shares the sealed European Digital Credential; the "
                                                     "recognition office verifies the seal with the Europass "
                                                     "verification service and files the result."},
                     "submissionDeadline": "P35D"},
        "qualityAssurance": {
            "parties": [
                {"party": "exampleton", "agency": "Exampleton Agency for Quality in Higher Education",
                 "eqarRegistered": True, "reference": "https://www.example.org/exampleton/quality"},
                {"party": "musterstadt", "agency": "Akkreditierungsagentur Musterland", "eqarRegistered": True,
                 "reference": "https://www.example.org/musterstadt/akkreditierung"}],
            "reviewProcedure": {"en": "Exampleton informs Musterstadt of any change to the learning outcomes, the "
                                      "assessment or the credits at least three months before it takes effect; the "
                                      "equivalence is then reviewed by both recognition offices."}},
        "validity": {"validFrom": "2026-09-01", "validUntil": "2029-08-31", "terminationNotice": "P6M",
                     "renewal": {"en": "Renewed for three academic years at a time by written agreement of both parties."},
                     "amendmentProcedure": {"en": "Amendments are made in writing and signed by both parties."}},
        "dataProtection": {
            "legalBasis": {"en": "Article 6(1)(b) and (e) GDPR: recognition is carried out at the request of the "
                                 "learner and as a task in the public interest."},
            "controllers": ["exampleton", "musterstadt"],
            "retentionPeriod": "P5Y",
            "applicableLaw": {"en": "The law of the recognising party applies to recognition decisions."},
            "disputeResolution": {"en": "The parties seek an amicable settlement through their recognition offices."}},
        "signatures": [
            {"party": "exampleton", "signatory": {"name": "Prof. Jane Doe", "function": "Vice-Chancellor"},
             "date": "2026-06-15", "place": "Exampleton"},
            {"party": "musterstadt", "signatory": {"name": "Prof. Dr. Max Mustermann", "function": "Präsident"},
             "date": "2026-06-22", "place": "Musterstadt"}],
    }


LIKERT5 = {"min": 1, "max": 5, "minLabel": "Not at all", "maxLabel": "Very familiar"}


def good_consultation() -> dict:
    return {
        "$schema": "https://eccoe.eu/schemas/consultation.schema.json",
        "id": "eccoe-criteria-2026",
        "title": "Public consultation on the ECCOE quality criteria",
        "introduction": "ECCOE publishes quality criteria for describing micro-credentials, learning opportunities and "
                        "credit-recognition agreements. Please tell us, criterion by criterion, whether each one is "
                        "appropriate for recognising learning at your institution. Answering takes about 30 minutes; "
                        "you can skip any criterion.",
        "catalogueVersion": json.loads((SCHEMAS / "criteria.json").read_text(encoding="utf-8"))["catalogueVersion"],
        "privacy": {"version": "2026-01",
                    "text": "We collect your answers and the profile information you give to analyse the consultation. "
                            "Answers are published only in aggregated form. You can change or delete your response "
                            "with the edit link until the consultation closes; the data are deleted one year after "
                            "the final report."},
        "timeZone": "Europe/Brussels",
        "opensAt": "2026-01-15T09:00:00+01:00",
        "closesAt": "2027-06-30T23:59:00+02:00",
        "rating": {"min": 1, "max": 5, "noOpinion": True,
                   "labels": {"1": "Not appropriate", "2": "Rather not appropriate", "3": "Partly appropriate",
                              "4": "Rather appropriate", "5": "Fully appropriate"}},
        "profile": [
            {"id": "capacity", "type": "singleChoice", "label": "I am responding", "required": True,
             "options": [{"value": "individual", "label": "as an individual"},
                         {"value": "organisation", "label": "on behalf of an organisation"}]},
            {"id": "stakeholderGroup", "type": "singleChoice", "label": "Which group do you belong to?", "required": True,
             "options": [{"value": "academic", "label": "Academic staff of a higher education institution"},
                         {"value": "recognitionOfficer", "label": "Recognition or admissions officer"},
                         {"value": "qaAgency", "label": "Quality assurance agency"},
                         {"value": "employer", "label": "Employer"},
                         {"value": "learner", "label": "Learner"},
                         {"value": "provider", "label": "Credential or platform provider"},
                         {"value": "policy", "label": "Policy maker"},
                         {"value": "other", "label": "Other"}]},
            {"id": "organisationType", "type": "singleChoice", "label": "Type of organisation", "required": True,
             "showIf": {"question": "capacity", "in": ["organisation"]},
             "options": [{"value": "hei", "label": "Higher education institution"},
                         {"value": "qaAgency", "label": "Quality assurance agency"},
                         {"value": "company", "label": "Company"},
                         {"value": "publicAuthority", "label": "Public authority"},
                         {"value": "ngo", "label": "Non-governmental organisation"},
                         {"value": "other", "label": "Other"}]},
            {"id": "country", "type": "singleChoice", "label": "Country", "required": True, "optionsFrom": "countries"},
            {"id": "role", "type": "text", "label": "Your role or position (optional)", "maxLength": 200},
            {"id": "familiarity", "type": "likert", "required": True,
             "label": "How familiar are you with digital credentials such as European Digital Credentials or Open Badges?",
             "scale": LIKERT5},
        ],
        "sections": [
            {"id": "credentials", "title": "Describing a micro-credential",
             "description": "The elements of the Council Recommendation on micro-credentials and ECCOE's additions.",
             "items": {"prefixes": ["MC"]},
             "questions": [{"id": "credentialSufficient", "type": "singleChoice",
                            "label": "Together, do these criteria give enough information to decide on recognition?",
                            "options": [{"value": "yes", "label": "Yes"}, {"value": "partly", "label": "Partly"},
                                        {"value": "no", "label": "No"}]}]},
            {"id": "learningOpportunities", "title": "Describing a learning opportunity",
             "items": {"prefixes": ["LO"]}},
            {"id": "agreements", "title": "Credit recognition agreements", "items": {"prefixes": ["AG"]}},
            {"id": "dataQuality", "title": "Data quality", "items": {"prefixes": ["DQ"]}},
            {"id": "final", "title": "Final comments",
             "questions": [
                 {"id": "missingCriteria", "type": "text", "label": "Which criteria are missing?", "maxLength": 5000},
                 {"id": "useAtInstitution", "type": "multipleChoice", "label": "Where would you use the criteria?",
                  "showIf": {"question": "capacity", "in": ["organisation"]},
                  "options": [{"value": "design", "label": "When designing courses"},
                              {"value": "issuing", "label": "When issuing credentials"},
                              {"value": "recognition", "label": "When deciding on recognition"},
                              {"value": "qa", "label": "In quality assurance"}]}]},
        ],
    }


def webinar_registration() -> dict:
    """The registration form of a webinar modelled on the ECCOE project's own: a five-hour online session, places
    with a waiting list, personal data used only for the event and the report to the funding agency."""
    return {
        "$schema": "https://eccoe.eu/schemas/consultation.schema.json",
        "id": "eccoe-webinar-2027",
        "languages": ["en", "fr"],
        "title": {"en": "ECCOE webinar: recognising micro-credentials with shared quality criteria",
                  "fr": "Webinaire ECCOE : reconnaître les micro-certifications grâce à des critères de qualité communs"},
        "introduction": {
            "en": "A five-hour online session for recognition officers, quality assurance agencies and credential "
                  "issuers: how the ECCOE quality criteria describe micro-credentials, learning opportunities and "
                  "credit-recognition agreements, with worked examples and time for your questions.\n\n"
                  "To secure your place and receive the joining instructions, please register below.",
            "fr": "Une session en ligne de cinq heures pour les responsables de la reconnaissance, les agences "
                  "d’assurance qualité et les émetteurs de certifications : comment les critères de qualité ECCOE "
                  "décrivent les micro-certifications, les offres de formation et les accords de reconnaissance de "
                  "crédits, avec des exemples commentés et du temps pour vos questions.\n\n"
                  "Pour réserver votre place et recevoir les instructions de connexion, veuillez vous inscrire ci-dessous."},
        "privacy": {
            "version": "1",
            "text": {
                "en": "We use your name, e-mail address, organisation and answers only to communicate with you about "
                      "this event (joining instructions, changes, the materials afterwards) and to report on it to the "
                      "funding agency, which receives numbers and organisations, never your e-mail address. They are "
                      "deleted 90 days after the event. You can cancel your registration with the link on your "
                      "confirmation page until the session starts.",
                "fr": "Nous utilisons vos nom, adresse électronique, organisation et réponses uniquement pour "
                      "communiquer avec vous au sujet de cet événement (instructions de connexion, changements, "
                      "documents après la session) et pour en rendre compte à l’agence de financement, qui reçoit des "
                      "nombres et des organisations, jamais votre adresse électronique. Elles sont supprimées 90 jours "
                      "après l’événement. Vous pouvez annuler votre inscription avec le lien de votre page de "
                      "confirmation jusqu’au début de la session."}},
        "timeZone": "Europe/Brussels",
        "opensAt": "2026-11-02T09:00:00+01:00",
        "closesAt": "2027-03-09T18:00:00+01:00",
        "registration": {
            "places": 100,
            "startsAt": "2027-03-10T10:00:00+01:00",
            "endsAt": "2027-03-10T15:00:00+01:00",
            "location": {"en": "Online: the joining instructions are sent by e-mail before the session",
                         "fr": "En ligne : les instructions de connexion sont envoyées par courriel avant la session"},
            "retentionDays": 90,
            "purpose": {"en": "Your personal data are used only to communicate with you about this event and to "
                              "report on it to the funding agency.",
                        "fr": "Vos données personnelles servent uniquement à communiquer avec vous au sujet de cet "
                              "événement et à en rendre compte à l’agence de financement."}},
        "profile": [
            {"id": "name", "type": "text", "label": {"en": "Full name", "fr": "Nom complet"}, "required": True,
             "maxLength": 200},
            {"id": "email", "type": "email", "label": {"en": "E-mail address", "fr": "Adresse électronique"},
             "help": {"en": "The joining instructions are sent to this address.",
                      "fr": "Les instructions de connexion sont envoyées à cette adresse."},
             "required": True},
            {"id": "organisation", "type": "organisation", "label": {"en": "Organisation", "fr": "Organisation"},
             "required": True, "maxLength": 300},
            {"id": "country", "type": "singleChoice", "label": {"en": "Country", "fr": "Pays"},
             "optionsFrom": "countries"},
        ],
        "sections": [{
            "id": "participation",
            "title": {"en": "Your participation", "fr": "Votre participation"},
            "questions": [
                {"id": "expectations", "type": "text", "maxLength": 2000,
                 "label": {"en": "What would you like the session to cover? (optional)",
                           "fr": "Qu’aimeriez-vous que la session aborde ? (facultatif)"}},
                {"id": "adjustments", "type": "text", "maxLength": 1000,
                 "label": {"en": "Do you need anything to take part, such as captions? (optional)",
                           "fr": "Avez-vous besoin de quelque chose pour participer, par exemple des sous-titres ? (facultatif)"}},
            ]}],
    }


# ----------------------------------------------------------------------------- mutations
def claim(d):
    return d["credentialSubject"]["hasClaim"][0]


def spec(d):
    return claim(d)["specifiedBy"]


def lospec(d):
    return d["learningAchievementSpecification"]


def variant_id(d: dict, name: str) -> None:
    """Each example document gets its own id, so that a folder of examples has no duplicate ids."""
    d["id"] = "urn:eccoe:example:" + re.sub(r"\.(agreement|consultation)?\.?json(ld)?$", "", name)


# A proof as a sealed credential carries it (the seal's details are not checked by ECCOE).
PROOF = {"type": "JsonWebSignature2020", "created": "2026-07-15T09:00:00Z", "proofPurpose": "assertionMethod",
         "verificationMethod": "did:ebsi:zexample#key-1", "jws": "eyJhbGciOiJFUzI1NiJ9..c2lnbmF0dXJl"}


def m_credential() -> dict[str, callable]:
    def cert_of_participation(d):
        d["displayParameter"]["title"] = {"en": "Certificate of Participation"}
        d["displayParameter"]["description"] = {"en": "Has taken part in the Open Science Day workshop on FAIR data."}
        d["credentialSubject"]["hasClaim"] = [{
            "id": "urn:epass:learningActivity:osd", "type": "LearningActivity",
            "title": {"en": "Open Science Day 2026: workshop on FAIR data"},
            "awardedBy": {"id": "urn:epass:awardingProcess:osd", "type": "AwardingProcess",
                          "awardingBody": [provider()], "awardingDate": "2026-07-10T00:00:00Z"},
            "workload": "PT3H",
            "temporal": {"id": "urn:epass:period:osd", "type": "PeriodOfTime",
                         "startDate": "2026-07-09T13:00:00Z", "endDate": "2026-07-09T16:00:00Z"},
            "directedBy": [provider()],
            "specifiedBy": {"id": "urn:epass:learningActivitySpecification:osd", "type": "LearningActivitySpecification",
                            "title": {"en": "FAIR data workshop"},
                            "dcType": snb("learning-activity", "efff75e10a", "workshop, seminar or conference"),
                            "mode": [PRESENTIAL], "language": [ENG], "volumeOfLearning": "PT3H"}}]

    def workload_in_months(d):
        claim(d)["influencedBy"] = [{
            "id": "urn:epass:learningActivity:rdm", "type": "LearningActivity",
            "title": {"en": "Online coursework, Research Data Management"},
            "awardedBy": {"id": "urn:epass:awardingProcess:rdm-activity", "type": "AwardingProcess",
                          "awardingBody": [provider()]},
            "specifiedBy": {"id": "urn:epass:learningActivitySpecification:rdm", "type": "LearningActivitySpecification",
                            "title": {"en": "Guided online study"},
                            "dcType": snb("learning-activity", "bf2e3a7bae", "e-learning coursework"),
                            "mode": [ONLINE], "volumeOfLearning": "P60M"}}]

    def lookalike(d):
        iss = d["issuer"]
        iss["eIDAS\u0399dentifier"] = iss.pop("eIDASIdentifier")  # Greek capital iota, as in the EC sample

    def no_tz(d):
        d["issued"] = "2026-07-15T09:00:00"
        d["validFrom"] = "2026-07-15T09:00:00"

    def optional_missing(d):
        s = spec(d)
        for k in ("entryRequirement", "isPartialQualification", "homepage"):
            del s[k]
        del claim(d)["provenBy"][0]["idVerification"]
        del claim(d)["additionalNote"]

    def display_in_german(d):
        d["displayParameter"]["language"] = [ENG, language("DEU", "German")]
        d["displayParameter"]["title"]["de"] = "Micro-Credential in Forschungsdatenmanagement"
        d["displayParameter"]["description"]["de"] = ("Verliehen für den erfolgreichen Abschluss des Online-Kurses "
                                                      "Forschungsdatenmanagement (5 ECTS).")

    def recommended_missing(d):
        s = spec(d)
        for k in ("thematicArea", "language", "learningSetting"):
            del s[k]
        del claim(d)["provenBy"][0]["specifiedBy"]["gradingScheme"]

    return {
        "credential-MC-01-no-learner-name.jsonld":
            lambda d: [d["credentialSubject"].pop(k) for k in ("fullName", "givenName", "familyName")],
        "credential-MC-02-empty-claim-title.jsonld": lambda d: claim(d).__setitem__("title", {"en": ""}),
        # The address also loses its id: an object holding only `id` and `type` is a JSON-LD reference to
        # the node with that id, and the awarding body's address (same id) does state the country.
        "credential-MC-03-issuer-without-country.jsonld":
            lambda d: (d["issuer"]["location"][0]["address"].pop("countryCode"),
                       d["issuer"]["location"][0]["address"].pop("id")),
        "credential-MC-04-missing-awarding-body.jsonld": lambda d: claim(d)["awardedBy"].pop("awardingBody"),
        # `issued` and the issuer's eIDASIdentifier are added at sealing: only a sealed credential (here one with a
        # `proof`) must have them; on an unsigned one their absence is one information finding.
        "credential-MC-05-sealed-without-date-of-issuing.jsonld":
            lambda d: (d.pop("issued"), d.__setitem__("proof", PROOF)),
        "credential-MC-06-no-learning-outcomes.jsonld": lambda d: spec(d).pop("learningOutcome"),
        "credential-MC-07-no-workload.jsonld": lambda d: (spec(d).pop("creditPoint"), spec(d).pop("volumeOfLearning")),
        "credential-MC-08-no-level.jsonld": lambda d: (spec(d).pop("eqfLevel"), spec(d).pop("nqfLevel")),
        "credential-MC-09-assessment-without-type.jsonld":
            lambda d: claim(d)["provenBy"][0]["specifiedBy"].pop("dcType"),
        "credential-MC-10-no-mode.jsonld": lambda d: spec(d).pop("mode"),
        "credential-MC-11-no-quality-assurance.jsonld": lambda d: spec(d).pop("accreditation"),
        "credential-MC-12-MC-13-MC-15-MC-16-optional-elements-missing.jsonld": optional_missing,
        "credential-MC-14-MC-21-assessment-without-grade.jsonld": lambda d: claim(d)["provenBy"][0].pop("grade"),
        "credential-MC-17-MC-18-MC-19-MC-20-recommended-elements-missing.jsonld": recommended_missing,
        "credential-MC-21-sealed-issuer-without-eidas-identifier.jsonld":
            lambda d: (d["issuer"].pop("eIDASIdentifier"), d.__setitem__("proof", PROOF)),
        "credential-MC-22-certificate-of-participation.jsonld": cert_of_participation,
        "credential-DQ-01-credits-hours-mismatch.jsonld": lambda d: spec(d).__setitem__("volumeOfLearning", "PT40H"),
        "credential-DQ-02-invalid-duration.jsonld": lambda d: spec(d).__setitem__("maximumDuration", "3 months"),
        "credential-DQ-03-workload-in-months.jsonld": workload_in_months,
        "credential-DQ-04-valid-until-before-valid-from.jsonld":
            lambda d: d.__setitem__("validUntil", "2026-07-01T00:00:00Z"),
        "credential-DQ-05-date-without-time-zone.jsonld": no_tz,
        "credential-DQ-06-invalid-language-key.jsonld":
            lambda d: d["displayParameter"].__setitem__("description", {"english": d["displayParameter"]["description"]["en"]}),
        "credential-DQ-07-two-titles-in-one-language.jsonld":
            lambda d: claim(d).__setitem__("title", {"en": ["Research Data Management", "RDM micro-credential"]}),
        "credential-DQ-08-MC-21-lookalike-key.jsonld": lookalike,
        # A second display language: the display texts are translated, the claim's and its specification's titles
        # and descriptions are not.
        "credential-DQ-09-title-missing-in-a-display-language.jsonld": display_in_german,
    }


def m_learning_opportunity() -> dict[str, callable]:
    def two_specs(d):
        s2 = copy.deepcopy(lospec(d))
        s2["id"] = "urn:epass:qualification:rdm-advanced"
        s2["title"] = {"en": "Research Data Management (advanced)"}
        d["learningAchievementSpecification"] = [lospec(d), s2]

    def optional_missing(d):
        d.pop("admissionProcedure")
        d.pop("dcType")
        s = lospec(d)
        s.pop("entryRequirement")
        s.pop("isPartialQualification")
        s["provenBy"][0].pop("additionalNote")

    return {
        "learning-opportunity-LO-01-no-title.jsonld": lambda d: d.pop("title"),
        "learning-opportunity-LO-02-no-homepage.jsonld": lambda d: d.pop("homepage"),
        "learning-opportunity-LO-03-provider-without-location.jsonld": lambda d: d["providedBy"][0].pop("location"),
        "learning-opportunity-LO-04-two-specifications.jsonld": two_specs,
        "learning-opportunity-LO-05-no-default-language.jsonld": lambda d: d.pop("defaultLanguage"),
        "learning-opportunity-LO-06-no-field-of-education.jsonld": lambda d: lospec(d).pop("thematicArea"),
        "learning-opportunity-LO-07-no-language-of-instruction.jsonld": lambda d: lospec(d).pop("language"),
        "learning-opportunity-LO-08-no-learning-outcomes.jsonld": lambda d: lospec(d).pop("learningOutcome"),
        "learning-opportunity-LO-09-no-workload.jsonld":
            lambda d: (lospec(d).pop("creditPoint"), lospec(d).pop("volumeOfLearning")),
        "learning-opportunity-LO-10-no-level.jsonld": lambda d: (lospec(d).pop("eqfLevel"), lospec(d).pop("nqfLevel")),
        "learning-opportunity-LO-11-assessment-without-type.jsonld": lambda d: lospec(d)["provenBy"][0].pop("dcType"),
        "learning-opportunity-LO-12-no-mode.jsonld": lambda d: (d.pop("mode"), lospec(d).pop("mode")),
        "learning-opportunity-LO-13-no-quality-assurance.jsonld": lambda d: lospec(d).pop("accreditation"),
        "learning-opportunity-LO-14-LO-15-LO-16-LO-18-optional-descriptors-missing.jsonld": optional_missing,
        "learning-opportunity-LO-17-unknown-property.jsonld": lambda d: d.__setitem__("ectsCredits", 5),
        "learning-opportunity-DQ-04-period-ends-before-start.jsonld":
            lambda d: d["temporal"].__setitem__("endDate", "2026-09-18T23:59:59+02:00"),
    }


FAILING_LO = "learning-opportunity-LO-08-no-learning-outcomes.jsonld"


def m_agreement() -> dict[str, callable]:
    def single_party(d):
        d["parties"] = d["parties"][:1]
        d["parties"][0]["roles"] = ["provider", "awarding", "recognising"]
        d["equivalences"][0]["recognisingParty"] = "exampleton"
        d["qualityAssurance"]["parties"] = d["qualityAssurance"]["parties"][:1]
        d["dataProtection"]["controllers"] = ["exampleton"]
        d["signatures"] = d["signatures"][:1]

    def mutual(d):
        d["scope"]["direction"] = "mutual"

    def failing_reference(d):
        e = d["learningOpportunities"][0]
        e["path"] = FAILING_LO
        e["id"] = "urn:eccoe:example:" + FAILING_LO[:-len(".jsonld")]
        e.pop("learningOutcomes")

    def missing_file(d):
        # Neither the path nor the id leads anywhere (with the id alone, the document would still be found).
        e = d["learningOpportunities"][0]
        e["path"] = "missing-learning-opportunity.jsonld"
        e["id"] = "urn:eccoe:lo:exampleton:missing"

    def conversion_table(d):
        d["gradeConversion"]["method"] = "conversionTable"
        d["gradeConversion"].pop("rules")

    def double_counting(d):
        # The course is counted for a second module as well: 5 + 3 credits for a course of 5.
        second = copy.deepcopy(d["equivalences"][0])
        second["targetComponent"] = {
            "code": "SK-OS-03", "credits": 3,
            "title": {"en": "Key skills: Open science", "de": "Schlüsselkompetenzen: Open Science"},
            "learningOutcomes": [{"id": "SK-OS-03.1", "title": {"en": "Share research data openly and lawfully"}}]}
        second["creditsRecognised"] = 3
        second["coverageNote"] = {"en": "The outcome on publishing data covers the module's outcome."}
        second["outcomeCoverage"] = [{"targetOutcome": "SK-OS-03.1", "coveredBy": ["urn:epass:learningOutcome:publish"]}]
        d["equivalences"].append(second)

    return {
        "agreement-AG-01-single-party.agreement.json": single_party,
        "agreement-AG-02-mutual-without-recognising-roles.agreement.json": mutual,
        "agreement-AG-03-absolute-path.agreement.json":
            lambda d: d["learningOpportunities"][0].__setitem__("path", "/srv/catalogue/good-learning-opportunity.jsonld"),
        "agreement-AG-04-missing-file.agreement.json": missing_file,
        "agreement-AG-05-references-failing-learning-opportunity.agreement.json": failing_reference,
        "agreement-AG-06-unknown-learning-opportunity-key.agreement.json":
            lambda d: d["equivalences"][0].__setitem__("learningOpportunity", "rdm-advanced"),
        "agreement-AG-07-more-credits-than-awarded.agreement.json":
            lambda d: (d["equivalences"][0].__setitem__("creditsRecognised", 10),
                       d["equivalences"][0]["targetComponent"].__setitem__("credits", 10)),
        "agreement-AG-08-conversion-table-without-rules.agreement.json": conversion_table,
        "agreement-AG-09-no-accepted-formats.agreement.json":
            lambda d: d["evidence"].__setitem__("acceptedFormats", []),
        "agreement-AG-10-quality-assurance-incomplete.agreement.json":
            lambda d: d["qualityAssurance"].__setitem__("parties", d["qualityAssurance"]["parties"][:1]),
        "agreement-AG-11-no-end-date.agreement.json": lambda d: d["validity"].pop("validUntil"),
        "agreement-AG-12-no-retention-period.agreement.json": lambda d: d["dataProtection"].pop("retentionPeriod"),
        "agreement-AG-13-unsigned-party.agreement.json": lambda d: d.__setitem__("signatures", d["signatures"][:1]),
        "agreement-AG-14-unknown-property.agreement.json":
            lambda d: d.__setitem__("comments", "Draft agreed by e-mail on 2 June 2026."),
        "agreement-AG-15-no-learner-rights.agreement.json": lambda d: d.pop("learnerRights"),
        "agreement-AG-16-credits-counted-twice.agreement.json": double_counting,
        "agreement-AG-17-cap-below-an-equivalence.agreement.json":
            lambda d: d["limits"].__setitem__("maxTotalCredits", 3),
        "agreement-AG-18-no-transcript-recording.agreement.json": lambda d: d.pop("transcript"),
        "agreement-AG-19-coverage-by-unknown-outcome.agreement.json":
            lambda d: d["equivalences"][0]["outcomeCoverage"][0].__setitem__("coveredBy", ["urn:epass:learningOutcome:ethics"]),
        "agreement-AG-20-stale-path-hint.agreement.json":
            lambda d: d["learningOpportunities"][0].__setitem__("path", "catalogue-2025/research-data-management.jsonld"),
        "agreement-AG-13-AG-21-signed-with-a-placeholder-left.agreement.json":
            lambda d: d["parties"][1]["contact"].__setitem__("email", "[[e-mail of the recognition office]]"),
        "agreement-DQ-04-validity-ends-before-start.agreement.json":
            lambda d: d["validity"].__setitem__("validUntil", "2026-08-31"),
    }


def m_consultation() -> dict[str, callable]:
    return {
        "consultation-CO-01-no-privacy-statement.consultation.json": lambda d: d.pop("privacy"),
        "consultation-CO-02-closes-before-opening.consultation.json":
            lambda d: d.__setitem__("closesAt", "2025-12-31T23:59:00+01:00"),
        "consultation-CO-03-unknown-criterion.consultation.json":
            lambda d: d["sections"][3].__setitem__("items", {"criteria": ["DQ-01", "DQ-99"]}),
        "consultation-CO-04-condition-on-unknown-question.consultation.json":
            lambda d: d["profile"][2]["showIf"].__setitem__("question", "respondentType"),
        "consultation-CO-05-single-option.consultation.json":
            lambda d: d["sections"][0]["questions"][0].__setitem__("options", [{"value": "yes", "label": "Yes"}]),
        "consultation-CO-06-title-missing-in-french.consultation.json": french_title_missing,
    }


def m_registration() -> dict[str, callable]:
    return {
        "consultation-CO-07-registration-closes-after-the-event-starts.consultation.json":
            lambda d: d.__setitem__("closesAt", "2027-03-10T12:00:00+01:00"),
    }


def french_title_missing(d: dict) -> None:
    """A definition in English and French whose title has no French text."""
    d["languages"] = ["en", "fr"]
    d["title"] = {"en": d["title"]}


def ids_in_name(name: str) -> list[str]:
    return re.findall(r"(?:MC|LO|AG|DQ|CO)-[0-9]{2}", name)


def main() -> None:
    expected: dict[str, list[str]] = {}
    kinds = [
        ("good-credential.jsonld", good_credential, m_credential(), True),
        ("good-learning-opportunity.jsonld", good_learning_opportunity, m_learning_opportunity(), True),
        ("good.agreement.json", good_agreement, m_agreement(), False),
        ("good.consultation.json", good_consultation, m_consultation(), False),
        ("webinar-registration.consultation.json", webinar_registration, m_registration(), False),
    ]
    for good_name, make, mutations, new_ids in kinds:
        good = make()
        write_json(EX / good_name, good)
        expected[good_name] = []
        for name, mutate in mutations.items():
            d = copy.deepcopy(good)
            mutate(d)
            if new_ids or name.startswith("agreement-") or name.startswith("consultation-"):
                variant_id(d, name)
            write_json(EX / name, d)
            expected[name] = ids_in_name(name)
    write_json(EX / "expected-findings.json", expected)
    stale = {p.name for p in EX.iterdir()} - set(expected) - {"expected-findings.json"}
    for s in sorted(stale):
        print(f"note: {s} is in Schemas/examples but not generated by this script")


if __name__ == "__main__":
    main()
