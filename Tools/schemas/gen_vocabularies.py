#!/usr/bin/env python3
"""Write the hand-curated vocabularies (EQF, ISCED-F 2013, ELM controlled lists, ESCO IRI shape).

    Tools/schemas/.venv/bin/python Tools/schemas/gen_vocabularies.py

The data lives in this file; the output (Schemas/vocabularies/*.json and *.schema.json) is
committed. Sources for every list are recorded in the `source` field of each vocabulary.
Codes and labels are facts from those sources; definitions are ECCOE's own short wording.
"""
from __future__ import annotations

from vocablib import (BASE, META, VOCAB_BASE, VOCAB_DIR, concept, vocabulary, write_json,
                      write_vocabulary)

SNB = "http://data.europa.eu/snb/"


def scheme(name: str) -> str:
    return f"{SNB}{name}/25831c2"


def pattern(name: str) -> str:
    return "^http://data\\.europa\\.eu/snb/" + name + "/[A-Za-z0-9_]+$"


# --------------------------------------------------------------------------- EQF
EQF = [
    ("1", "Basic general knowledge; basic skills for simple tasks; work or study under direct supervision in a structured setting."),
    ("2", "Basic factual knowledge of a field; basic cognitive and practical skills to use information and solve routine problems with simple rules and tools; work or study under supervision with some autonomy."),
    ("3", "Knowledge of facts, principles, processes and general concepts of a field; skills to choose and apply basic methods, tools and information; responsibility for completing tasks and adapting to circumstances."),
    ("4", "Factual and theoretical knowledge in broad contexts of a field; skills to find solutions to specific problems; self-management within guidelines in usually predictable settings, some supervision of the routine work of others."),
    ("5", "Comprehensive, specialised factual and theoretical knowledge and awareness of its limits; skills to develop creative solutions to abstract problems; management and supervision where change is unpredictable. Corresponds to the QF-EHEA short cycle."),
    ("6", "Advanced knowledge with a critical understanding of theories and principles; advanced skills showing mastery and innovation; management of complex technical or professional activities and decisions in unpredictable settings. Corresponds to the QF-EHEA first cycle (bachelor)."),
    ("7", "Highly specialised knowledge, partly at the forefront of a field, as a basis for original thinking or research; specialised problem-solving skills for research or innovation; management of complex, unpredictable settings that need new strategic approaches. Corresponds to the QF-EHEA second cycle (master)."),
    ("8", "Knowledge at the most advanced frontier of a field; the most advanced skills, including synthesis and evaluation, to solve critical problems in research or innovation; substantial authority, autonomy and sustained commitment to new ideas. Corresponds to the QF-EHEA third cycle (doctorate)."),
]

# --------------------------------------------------------------------------- ISCED-F 2013
# (code, label); broad = 2 digits, narrow = 3, detailed = 4. Transcribed from the UIS
# "ISCED-F 2013" list of codes (Appendix I, as quoted in DOMAIN.md §6.3 and checked against
# an independent transcription of the UIS appendix pages).
ISCED = """
00 Generic programmes and qualifications
000 Generic programmes and qualifications not further defined
0000 Generic programmes and qualifications not further defined
001 Basic programmes and qualifications
0011 Basic programmes and qualifications
002 Literacy and numeracy
0021 Literacy and numeracy
003 Personal skills and development
0031 Personal skills and development
009 Generic programmes and qualifications not elsewhere classified
0099 Generic programmes and qualifications not elsewhere classified
01 Education
011 Education
0110 Education not further defined
0111 Education science
0112 Training for pre-school teachers
0113 Teacher training without subject specialisation
0114 Teacher training with subject specialisation
0119 Education not elsewhere classified
018 Inter-disciplinary programmes and qualifications involving education
0188 Inter-disciplinary programmes and qualifications involving education
02 Arts and humanities
020 Arts and humanities not further defined
0200 Arts and humanities not further defined
021 Arts
0210 Arts not further defined
0211 Audio-visual techniques and media production
0212 Fashion, interior and industrial design
0213 Fine arts
0214 Handicrafts
0215 Music and performing arts
0219 Arts not elsewhere classified
022 Humanities (except languages)
0220 Humanities (except languages) not further defined
0221 Religion and theology
0222 History and archaeology
0223 Philosophy and ethics
0229 Humanities (except languages) not elsewhere classified
023 Languages
0230 Languages not further defined
0231 Language acquisition
0232 Literature and linguistics
0239 Languages not elsewhere classified
028 Inter-disciplinary programmes and qualifications involving arts and humanities
0288 Inter-disciplinary programmes and qualifications involving arts and humanities
029 Arts and humanities not elsewhere classified
0299 Arts and humanities not elsewhere classified
03 Social sciences, journalism and information
030 Social sciences, journalism and information not further defined
0300 Social sciences, journalism and information not further defined
031 Social and behavioural sciences
0310 Social and behavioural sciences not further defined
0311 Economics
0312 Political sciences and civics
0313 Psychology
0314 Sociology and cultural studies
0319 Social and behavioural sciences not elsewhere classified
032 Journalism and information
0320 Journalism and information not further defined
0321 Journalism and reporting
0322 Library, information and archival studies
0329 Journalism and information not elsewhere classified
038 Inter-disciplinary programmes and qualifications involving social sciences, journalism and information
0388 Inter-disciplinary programmes and qualifications involving social sciences, journalism and information
039 Social sciences, journalism and information not elsewhere classified
0399 Social sciences, journalism and information not elsewhere classified
04 Business, administration and law
040 Business, administration and law not further defined
0400 Business, administration and law not further defined
041 Business and administration
0410 Business and administration not further defined
0411 Accounting and taxation
0412 Finance, banking and insurance
0413 Management and administration
0414 Marketing and advertising
0415 Secretarial and office work
0416 Wholesale and retail sales
0417 Work skills
0419 Business and administration not elsewhere classified
042 Law
0421 Law
048 Inter-disciplinary programmes and qualifications involving business, administration and law
0488 Inter-disciplinary programmes and qualifications involving business, administration and law
049 Business, administration and law not elsewhere classified
0499 Business, administration and law not elsewhere classified
05 Natural sciences, mathematics and statistics
050 Natural sciences, mathematics and statistics not further defined
0500 Natural sciences, mathematics and statistics not further defined
051 Biological and related sciences
0510 Biological and related sciences not further defined
0511 Biology
0512 Biochemistry
0519 Biological and related sciences not elsewhere classified
052 Environment
0520 Environment not further defined
0521 Environmental sciences
0522 Natural environments and wildlife
0529 Environment not elsewhere classified
053 Physical sciences
0530 Physical sciences not further defined
0531 Chemistry
0532 Earth sciences
0533 Physics
0539 Physical sciences not elsewhere classified
054 Mathematics and statistics
0540 Mathematics and statistics not further defined
0541 Mathematics
0542 Statistics
058 Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics
0588 Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics
059 Natural sciences, mathematics and statistics not elsewhere classified
0599 Natural sciences, mathematics and statistics not elsewhere classified
06 Information and Communication Technologies (ICTs)
061 Information and Communication Technologies (ICTs)
0610 Information and Communication Technologies (ICTs) not further defined
0611 Computer use
0612 Database and network design and administration
0613 Software and applications development and analysis
0619 Information and Communication Technologies (ICTs) not elsewhere classified
068 Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)
0688 Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)
07 Engineering, manufacturing and construction
070 Engineering, manufacturing and construction not further defined
0700 Engineering, manufacturing and construction not further defined
071 Engineering and engineering trades
0710 Engineering and engineering trades not further defined
0711 Chemical engineering and processes
0712 Environmental protection technology
0713 Electricity and energy
0714 Electronics and automation
0715 Mechanics and metal trades
0716 Motor vehicles, ships and aircraft
0719 Engineering and engineering trades not elsewhere classified
072 Manufacturing and processing
0720 Manufacturing and processing not further defined
0721 Food processing
0722 Materials (glass, paper, plastic and wood)
0723 Textiles (clothes, footwear and leather)
0724 Mining and extraction
0729 Manufacturing and processing not elsewhere classified
073 Architecture and construction
0730 Architecture and construction not further defined
0731 Architecture and town planning
0732 Building and civil engineering
078 Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction
0788 Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction
079 Engineering, manufacturing and construction not elsewhere classified
0799 Engineering, manufacturing and construction not elsewhere classified
08 Agriculture, forestry, fisheries and veterinary
080 Agriculture, forestry, fisheries and veterinary not further defined
0800 Agriculture, forestry, fisheries and veterinary not further defined
081 Agriculture
0810 Agriculture not further defined
0811 Crop and livestock production
0812 Horticulture
0819 Agriculture not elsewhere classified
082 Forestry
0821 Forestry
083 Fisheries
0831 Fisheries
084 Veterinary
0841 Veterinary
088 Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary
0888 Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary
089 Agriculture, forestry, fisheries and veterinary not elsewhere classified
0899 Agriculture, forestry, fisheries and veterinary not elsewhere classified
09 Health and welfare
090 Health and welfare not further defined
0900 Health and welfare not further defined
091 Health
0910 Health not further defined
0911 Dental studies
0912 Medicine
0913 Nursing and midwifery
0914 Medical diagnostic and treatment technology
0915 Therapy and rehabilitation
0916 Pharmacy
0917 Traditional and complementary medicine and therapy
0919 Health not elsewhere classified
092 Welfare
0920 Welfare not further defined
0921 Care of the elderly and of disabled adults
0922 Child care and youth services
0923 Social work and counselling
0929 Welfare not elsewhere classified
098 Inter-disciplinary programmes and qualifications involving health and welfare
0988 Inter-disciplinary programmes and qualifications involving health and welfare
099 Health and welfare not elsewhere classified
0999 Health and welfare not elsewhere classified
10 Services
100 Services not further defined
1000 Services not further defined
101 Personal services
1010 Personal services not further defined
1011 Domestic services
1012 Hair and beauty services
1013 Hotel, restaurants and catering
1014 Sports
1015 Travel, tourism and leisure
1019 Personal services not elsewhere classified
102 Hygiene and occupational health services
1020 Hygiene and occupational health services not further defined
1021 Community sanitation
1022 Occupational health and safety
1029 Hygiene and occupational health services not elsewhere classified
103 Security services
1030 Security services not further defined
1031 Military and defence
1032 Protection of persons and property
1039 Security services not elsewhere classified
104 Transport services
1041 Transport services
108 Inter-disciplinary programmes and qualifications involving services
1088 Inter-disciplinary programmes and qualifications involving services
109 Services not elsewhere classified
1099 Services not elsewhere classified
99 Field unknown
999 Field unknown
9999 Field unknown
"""

LEVEL_NAME = {2: "broad field", 3: "narrow field", 4: "detailed field"}


def isced_concepts() -> list[dict]:
    out = []
    for line in ISCED.strip().splitlines():
        code, label = line.split(" ", 1)
        iri = f"{SNB}isced-f/{code}"
        broader = f"{SNB}isced-f/{code[:-1]}" if len(code) > 2 else None
        if len(code) == 4:
            broader = f"{SNB}isced-f/{code[:3]}"
        note = LEVEL_NAME[len(code)].capitalize() + "."
        if label.endswith("not further defined"):
            note += " Use only when the programme cannot be placed in a more specific field of this group."
        elif label.endswith("not elsewhere classified"):
            note += " For content of this group that no listed field covers."
        elif label.startswith("Inter-disciplinary"):
            note += " For programmes combining several fields of this group with none dominant."
        out.append(concept(iri, code, label, note, broader, level=LEVEL_NAME[len(code)]))
    return out


# --------------------------------------------------------------------------- ELM controlled lists
LEARNING_SETTINGS = [
    ("6fd4685715", "formal learning",
     "Learning in an organised, structured setting that is explicitly designated as learning and usually leads to a recognised qualification."),
    ("e207a81fc7", "non-formal learning",
     "Planned learning activities with some form of learning support outside the formal system, such as in-company training, structured online courses or courses built on open educational resources."),
]

MODES = [
    ("729f3bed4b", "Workbased", "Learning or assessment that takes place in a workplace."),
    ("7813801c77", "Project based", "Learning or assessment organised around a project."),
    ("9191af2ed9", "Presential", "Learners and teachers or assessors are physically present at the same place (on site)."),
    ("920fbb3cbe", "Online", "Learning or assessment delivered entirely at a distance over the internet."),
    ("c_3a90b26d", "Hybrid", "Some participants take part on site while others join remotely at the same time."),
    ("e92d221e4d", "Blended", "A planned combination of online and on-site phases."),
    ("ed4c557045", "Research-Lab based", "Learning or assessment carried out in a research or laboratory setting."),
]

ASSESSMENT_TYPES = [
    ("19a2e5e671", "peer assessment"), ("2939dae15f", "marked assignment"), ("3484bd7e51", "continuous evaluation"),
    ("4f03b91c0e", "portfolio"), ("56539a6507", "group performance"), ("6a4db9f11d", "practical assessment"),
    ("6e6cb2cc78", "written examination"), ("7331eb4762", "level of attendance"), ("795dac4096", "project work"),
    ("812e3b0ae1", "peer review"), ("b1b68f6735", "quiz"), ("c4256a2726", "problem based learning"),
    ("c_04b30a72", "Presentation"), ("c_2b3bd410", "Self-assessment"), ("c_4f874951", "Guided self-assessment"),
    ("d30284d7df", "oral examination"), ("de4d165a6c", "artefact assessment"),
]

LO_TYPES = [
    ("05053c1cbe", "Course"), ("0f7dac46ca", "Programme module"), ("11252a5207", "Mentoring"), ("17744a2647", "MOOC"),
    ("63f9f6180c", "Apprenticeship"), ("65a4cf5de2", "Study visit"), ("74a4a268e8", "Short learning programme"),
    ("77b99de990", "Internship"), ("79343569f3", "Educational programme"), ("7e1ac538db", "Class"),
    ("8b965da2d4", "Service learning"), ("b2434ca358", "Thesis"), ("c_170b037d", "Challenge"),
]

ACTIVITY_TYPES = [
    ("3c8bd58d62", "lab / simulation / practice coursework"), ("4357e0e681", "job experience"),
    ("59eaf34fab", "volunteering"), ("a7e556215a", "research"), ("b660f5dcea", "self-motivated study"),
    ("bf2e3a7bae", "e-learning coursework"), ("bf5588ff84", "internship"),
    ("c_5665a0ad", "mentoring and monitoring activity"), ("d46a826a39", "apprenticeship"),
    ("efff75e10a", "workshop, seminar or conference"), ("fd33e234ae", "educational programme"),
    ("ff436ea7c9", "classroom coursework"),
]

SUPERVISION = [
    ("c598449d64", "Unsupervised without ID verification",
     "The assessment was not supervised and the identity of the learner was not checked (Annex I: unsupervised with no identity verification). Confirmed in the EC sample credential."),
    ("70be69aaf9", "Supervised with ID verification",
     "The assessment was supervised and the identity of the learner was checked (Annex I: supervised online or onsite with identity verification). Code and label from the EDCI's test credential credential_shouldValidate.jsonld."),
    ("df2880c5cb", "Unsupervised with ID verification",
     "The assessment was not supervised but the identity of the learner was checked. Code and label taken from a third-party implementation; not confirmed against the EU vocabulary."),
]

EDUCATION_CREDIT = [
    ("6fcec5c5af", "European Credit Transfer System",
     "ECTS credits: 60 credits correspond to the workload of one full-time academic year, about 1,500–1,800 hours, so one credit stands for about 25–30 hours of notional learning."),
]

# From the EU EDCI source (enum eu.europa.ec.empl.edci.constants.ControlledListConcept); labels are
# ECCOE's rendering of the enum constant names, not the official prefLabels.
ACCREDITATION_TYPES = [
    ("003293d2ce", "Institutional licensing", "Permission for an institution to operate, granted by a public authority or its delegate."),
    ("bb4618238e", "Institutional quality assurance", "External quality assurance of an institution as a whole."),
    ("e57dddfcf3", "Programme licensing", "Permission to offer a specific programme or qualification."),
    ("820101cba6", "Programme quality assurance", "External quality assurance of a specific programme or qualification."),
]

CREDENTIAL_TYPES = [
    ("e34929035b", "Generic", "The generic EDC profile, used for micro-credentials and most other credentials."),
    ("6dff8a0f87", "Diploma supplement", "A credential following the Diploma Supplement profile."),
    ("c_7e400154", "Converted", "A credential converted from another format."),
    ("c_ae121a00", "Accreditation", "A credential that records an accreditation."),
    ("c_9a31f32a", "Issued by mandate", "A credential issued on behalf of another body under a mandate."),
]


def simple(name: str, items, defs=True) -> list[dict]:
    out = []
    for it in items:
        code, label = it[0], it[1]
        definition = it[2] if defs and len(it) > 2 else None
        out.append(concept(f"{SNB}{name}/{code}", code, label, definition))
    return out


def main() -> None:
    eqf_src = ("EU vocabulary http://data.europa.eu/snb/eqf/25831c2 (concept IRIs …/eqf/1 to …/eqf/8, "
               "prefLabel \"Level N\", seen in the EC sample credential); level summaries paraphrase the EQF "
               "Recommendation 2017/C 189/03 descriptors; cycle correspondence per the QF-EHEA.")
    write_vocabulary(vocabulary(
        "eqf-levels", "EQF level",
        "The eight levels of the European Qualifications Framework. In ELM v3 the level is given on a "
        "Qualification as `eqfLevel`.",
        eqf_src,
        [concept(f"{SNB}eqf/{n}", n, f"Level {n}", d) for n, d in EQF],
        scheme=scheme("eqf"), iri_pattern="^http://data\\.europa\\.eu/snb/eqf/[1-8]$"), "eqf-levels")

    write_vocabulary(vocabulary(
        "isced-f", "Field of education and training (ISCED-F 2013)",
        "The UNESCO ISCED-F 2013 fields of education and training at all three levels: broad (2 digits), "
        "narrow (3 digits) and detailed (4 digits). In ELM v3 the field is given as `thematicArea`; prefer "
        "the most specific field that fits, and avoid 'not further defined' codes where a specific field exists.",
        "UNESCO Institute for Statistics, ISCED Fields of Education and Training 2013 (ISCED-F 2013), list of codes; "
        "EU vocabulary http://data.europa.eu/snb/isced-f/25831c2 with concept IRIs …/isced-f/<code> "
        "(the EC sample uses …/isced-f/003 and …/isced-f/0688).",
        isced_concepts(), scheme=scheme("isced-f"),
        iri_pattern="^http://data\\.europa\\.eu/snb/isced-f/[0-9]{2,4}$"), "isced-f")

    elm_src = ("EU vocabulary {s} (Europass / ELM controlled list); codes and labels as used by the EC sample "
               "credentials and by the ild-thl/php-european-learning-model enumerations.")
    lists = [
        ("learning-settings", "learning-setting", "Learning setting",
         "Whether the learning took place in a formal or a non-formal setting (`learningSetting`).",
         LEARNING_SETTINGS, True),
        ("learning-assessment-modes", "learning-assessment", "Mode of learning and assessment",
         "How learning or assessment was delivered — online, on site, blended and so on (`mode`). This is how "
         "ELM records the Annex I element 'form of participation'.",
         MODES, True),
        ("assessment-types", "assessment", "Type of assessment",
         "The kind of assessment used to verify the learning outcomes (`dcType` of a LearningAssessmentSpecification).",
         ASSESSMENT_TYPES, True),
        ("learning-opportunity-types", "learning-opportunity", "Type of learning opportunity",
         "The kind of learning opportunity, such as a course, a MOOC or a short learning programme "
         "(`dcType` of a LearningOpportunity or of a specification).",
         LO_TYPES, True),
        ("learning-activity-types", "learning-activity", "Type of learning activity",
         "The kind of activity a learner took part in (`dcType` of a LearningActivitySpecification); "
         "volunteering and job experience express the Annex I forms of participation outside class.",
         ACTIVITY_TYPES, True),
    ]
    for fname, sname, title, desc, items, complete in lists:
        write_vocabulary(vocabulary(fname, title, desc, elm_src.format(s=scheme(sname)),
                                    simple(sname, items), scheme=scheme(sname),
                                    iri_pattern=pattern(sname), complete=complete), fname)

    write_vocabulary(vocabulary(
        "supervision-verification", "Supervision and identity verification",
        "How the assessment was supervised and whether the learner's identity was verified (`idVerification` "
        "of a LearningAssessment; Annex I optional element 2). Only part of the EU list is bundled: any concept "
        "of the scheme is accepted.",
        f"EU vocabulary {scheme('supervision-verification')}; c598449d64 from the EC sample credential; 70be69aaf9 from the EDCI's test credential; "
        "df2880c5cb from a third-party implementation (low confidence). Annex I names three values: unsupervised "
        "with no identity verification; supervised with no identity verification; supervised online or onsite "
        "with identity verification.",
        simple("supervision-verification", SUPERVISION), scheme=scheme("supervision-verification"),
        iri_pattern=pattern("supervision-verification"), complete=False), "supervision-verification")

    write_vocabulary(vocabulary(
        "education-credit-systems", "Credit system",
        "The credit framework of a CreditPoint (`framework`). ECCOE expects ECTS wherever possible. Only the "
        "ECTS concept is bundled: any concept of the scheme is accepted.",
        f"EU vocabulary {scheme('education-credit')}; ECTS concept 6fcec5c5af as used in the EC sample credential; "
        "hours per credit from the ECTS Users' Guide 2015.",
        simple("education-credit", EDUCATION_CREDIT), scheme=scheme("education-credit"),
        iri_pattern=pattern("education-credit"), complete=False), "education-credit-systems")

    edci_src = ("EU vocabulary {s}; concept codes from the EU EDCI source code (enum ControlledListConcept in "
                "european-commission-empl/european-digital-credentials); labels are ECCOE's wording of the enum "
                "names and were not checked against the official prefLabels.")
    write_vocabulary(vocabulary(
        "accreditation-types", "Type of accreditation",
        "The kind of quality assurance or licensing recorded by an Accreditation (`dcType`), which ELM uses for "
        "the Annex I element 'type of quality assurance'. Only part of the EU list may be bundled: any concept of "
        "the scheme is accepted.",
        edci_src.format(s=scheme("accreditation")) + " An EQAR connector maps programme reports to e57dddfcf3 and "
        "institutional reports to 003293d2ce, which does not match the licensing/quality split of the enum names; "
        "treat the labels as provisional.",
        simple("accreditation", ACCREDITATION_TYPES), scheme=scheme("accreditation"),
        iri_pattern=pattern("accreditation"), complete=False), "accreditation-types")
    write_vocabulary(vocabulary(
        "credential-profiles", "EDC credential profile",
        "The EDC application profile a credential follows (`credentialProfiles`). Only part of the EU list may be "
        "bundled: any concept of the scheme is accepted.",
        edci_src.format(s=scheme("credential")) + " The Generic concept e34929035b also appears in the EC samples.",
        simple("credential", CREDENTIAL_TYPES), scheme=scheme("credential"),
        iri_pattern=pattern("credential"), complete=False), "credential-profiles")

    # ESCO skill IRIs: a pattern, not a list (ESCO has ~14,000 skills).
    write_json(VOCAB_DIR / "esco-skill-iri.schema.json", {
        "$schema": META,
        "$id": VOCAB_BASE + "esco-skill-iri.schema.json",
        "title": "ESCO skill IRI",
        "description": "The identifier of a skill, competence or knowledge concept of the ESCO classification: "
                       "http://data.europa.eu/esco/skill/ followed by a lower-case UUID. Look skills up in the "
                       "ESCO portal and copy the concept URI.",
        "type": "string",
        "pattern": "^http://data\\.europa\\.eu/esco/skill/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "examples": ["http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"],
    })

    # The format of the vocabulary files themselves.
    write_json(VOCAB_DIR / "vocabulary.schema.json", {
        "$schema": META,
        "$id": VOCAB_BASE + "vocabulary.schema.json",
        "title": "ECCOE vocabulary file",
        "description": "A controlled list bundled with ECCOE: its concepts with their identifiers, notations and "
                       "English labels. Each vocabulary has a companion <name>.schema.json that accepts its "
                       "concept identifiers.",
        "type": "object",
        "required": ["$id", "title", "description", "source", "concepts"],
        "properties": {
            "$schema": {"type": "string"},
            "$id": {"type": "string", "format": "uri", "description": "Where this vocabulary is published."},
            "title": {"type": "string", "description": "Name of the vocabulary."},
            "description": {"type": "string", "description": "What the vocabulary is for and where ELM uses it."},
            "source": {"type": "string", "description": "Origin of the codes and labels."},
            "conceptScheme": {"type": "string", "description": "IRI of the concept scheme (the value of `inScheme` in ELM documents)."},
            "iriPattern": {"type": "string", "format": "regex", "description": "Regular expression that every concept identifier of the scheme matches."},
            "complete": {"type": "boolean", "description": "False when only part of the scheme is bundled."},
            "concepts": {
                "type": "array", "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["id", "notation", "label"],
                    "properties": {
                        "id": {"type": "string", "description": "Concept IRI or code."},
                        "notation": {"type": "string", "description": "Short code of the concept."},
                        "altNotation": {"type": "array", "items": {"type": "string"}, "description": "Other codes for the same concept."},
                        "label": {"$ref": "#/$defs/labels"},
                        "altLabel": {"$ref": "#/$defs/labels"},
                        "definition": {"type": "string"},
                        "broader": {"type": "string", "description": "Identifier of the parent concept."},
                        "level": {"type": "string", "description": "Level of the concept in a hierarchy."},
                        "exactMatch": {"type": "string", "description": "The same concept in another vocabulary."},
                    },
                    "additionalProperties": False,
                },
            },
        },
        "additionalProperties": False,
        "$defs": {"labels": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"},
                             "propertyNames": {"pattern": "^[a-z]{2}$"}}},
        "examples": [{
            "$id": VOCAB_BASE + "example.json", "title": "Example", "description": "An example.", "source": "ECCOE",
            "concepts": [{"id": "http://example.org/1", "notation": "1", "label": {"en": "One"}}]}],
    })


if __name__ == "__main__":
    main()
