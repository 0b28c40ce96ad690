#!/usr/bin/env python3
"""Generate a folder of ELM v3 learning-opportunity documents (LOQ profile) for the `eccoe catalogue` benchmark.

    generate.py OUT_DIR [--documents N] [--providers P] [--seed S]

Each document starts from Schemas/examples/good-learning-opportunity.jsonld and varies what a catalogue shows:
provider (P providers in 24 countries, one folder per country and provider), one to three languages for the
texts, one or two ISCED-F fields drawn from the bundled vocabulary, EQF level 4 to 8, 1 to 30 ECTS credits
with a matching (now and then a mismatching) number of hours, 3 to 8 learning outcomes, type, mode, assessment,
dates and (for some) a fee. About one in six documents lacks an element a criterion asks for (quality
assurance, learning outcomes, mode, prerequisites, the supervision note), so the catalogue shows misses.
A few carry hostile text (`</script>`, `<!--`, markup, quotes) and a few pairs have ids that slug alike.
Deterministic for a given seed: the same arguments write byte-identical files.
"""
from __future__ import annotations

import argparse
import copy
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD = json.loads((ROOT / "Schemas/examples/good-learning-opportunity.jsonld").read_text(encoding="utf-8"))


def vocabulary(name: str) -> list[tuple[str, str]]:
    data = json.loads((ROOT / f"Schemas/vocabularies/{name}.json").read_text(encoding="utf-8"))
    return [(c["id"], c["label"]["en"]) for c in data["concepts"]]


FIELDS = [c for c in vocabulary("isced-f") if len(c[0].rsplit("/", 1)[1]) == 4 and not c[0].endswith("9999")]
ASSESSMENTS = vocabulary("assessment-types")
MODES = vocabulary("learning-assessment-modes")
TYPES = vocabulary("learning-opportunity-types")
COUNTRIES = [("DEU", "Germany", "de"), ("FRA", "France", "fr"), ("ESP", "Spain", "es"), ("ITA", "Italy", "it"),
             ("NLD", "Netherlands", "nl"), ("LTU", "Lithuania", "lt"), ("IRL", "Ireland", "en"),
             ("POL", "Poland", "pl"), ("PRT", "Portugal", "pt"), ("SWE", "Sweden", "sv"), ("FIN", "Finland", "fi"),
             ("AUT", "Austria", "de"), ("BEL", "Belgium", "nl"), ("CZE", "Czechia", "cs"), ("DNK", "Denmark", "da"),
             ("EST", "Estonia", "et"), ("GRC", "Greece", "el"), ("HUN", "Hungary", "hu"), ("LVA", "Latvia", "lv"),
             ("ROU", "Romania", "ro"), ("SVK", "Slovakia", "sk"), ("SVN", "Slovenia", "sl"), ("HRV", "Croatia", "hr"),
             ("NOR", "Norway", "no")]
LANGUAGE_IRI = {"en": "ENG", "de": "DEU", "fr": "FRA", "es": "SPA", "it": "ITA", "nl": "NLD", "lt": "LIT", "pl": "POL",
                "pt": "POR", "sv": "SWE", "fi": "FIN", "cs": "CES", "da": "DAN", "et": "EST", "el": "ELL", "hu": "HUN",
                "lv": "LAV", "ro": "RON", "sk": "SLK", "sl": "SLV", "hr": "HRV", "no": "NOR"}
LANGUAGE_NAME = {"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "nl": "Dutch",
                 "lt": "Lithuanian", "pl": "Polish", "pt": "Portuguese", "sv": "Swedish", "fi": "Finnish",
                 "cs": "Czech", "da": "Danish", "et": "Estonian", "el": "Greek", "hu": "Hungarian", "lv": "Latvian",
                 "ro": "Romanian", "sk": "Slovak", "sl": "Slovenian", "hr": "Croatian", "no": "Norwegian"}
VERBS = "Analyse Apply Compare Design Evaluate Explain Plan Write Present Build Assess Document Model Test".split()
OBJECTS = ("a data management plan|a research protocol|a statistical model|an accessible web page|a project budget|"
           "a literature review|a software prototype|a marketing plan|a risk assessment|a lesson plan|"
           "a policy brief|a laboratory report|a dataset with metadata|a business case|a care plan").split("|")
TOPICS = ("Research Data Management|Open Science Practice|Applied Statistics|Accessible Web Design|Project Management|"
          "Academic Writing|Machine Learning Basics|Digital Marketing|Occupational Safety|Inclusive Teaching|"
          "Public Policy Analysis|Laboratory Methods|Sustainable Energy|Entrepreneurship|Health Informatics|"
          "Cultural Heritage Online|Supply Chain Analytics|Climate Adaptation|Intercultural Communication|"
          "Cyber Security Essentials").split("|")
HOSTILE = ['</script><script>alert("x")</script>', "<!-- not a comment -->", "<b>bold</b> & 'quoted' \"text\"",
           "</SCRIPT >", "\u2028line separator\u2029", "<img src=x onerror=alert(1)>"]


def concept(iri: str, label: str, scheme: str) -> dict:
    return {"id": iri, "type": "Concept", "inScheme": {"id": scheme, "type": "ConceptScheme"}, "prefLabel": {"en": label}}


def scheme_of(iri: str) -> str:
    base = iri.rsplit("/", 1)[0]
    return base if "publications.europa.eu" in base else base + "/25831c2"


def providers(count: int, rng: random.Random) -> list[dict]:
    result = []
    for p in range(count):
        code, name, lang = COUNTRIES[p % len(COUNTRIES)]
        town = f"Town {p:03d}"
        legal = {"en": f"University of {town} ({name})"}
        if lang != "en":
            legal[lang] = f"{town} University ({lang})"
        result.append({"code": code, "country": name, "lang": lang, "id": f"urn:eccoe:org:{code.lower()}-{p:03d}",
                       "legalName": legal, "slug": f"{code.lower()}/provider-{p:03d}"})
    return result


def text_map(texts: dict[str, str]) -> dict[str, str]:
    return dict(sorted(texts.items()))


def document(i: int, provider: dict, rng: random.Random) -> dict:
    d = copy.deepcopy(GOOD)
    spec = d["learningAchievementSpecification"]
    topic = rng.choice(TOPICS)
    languages = ["en"]
    if provider["lang"] != "en" and rng.random() < 0.6:
        languages.append(provider["lang"])
    if rng.random() < 0.15:
        languages.append(rng.choice(["fr", "de", "es"]))
    languages = list(dict.fromkeys(languages))
    default = languages[1] if len(languages) > 1 and rng.random() < 0.4 else "en"
    title = f"{topic} {i:05d}"
    if i % 997 == 5:
        title += " " + HOSTILE[(i // 997) % len(HOSTILE)]
    d["id"] = f"urn:eccoe:lo:{provider['code'].lower()}:{i:05d}"
    if i % 1000 == 7:  # an id that slugs like the previous document's
        d["id"] = f"URN:ECCOE:LO:{provider['code']}:{i - 1:05d}"
    d["title"] = text_map({lang: f"{title} ({LANGUAGE_NAME[lang]})" if lang != "en" else title for lang in languages})
    weeks = rng.randint(4, 16)
    d["description"] = text_map({lang: f"{weeks} weeks of study on {topic.lower()} with a final project"
                                 + (f" [{LANGUAGE_NAME[lang]}]" if lang != "en" else ".") for lang in languages})
    lo_type = rng.choice(TYPES)
    d["dcType"] = concept(lo_type[0], lo_type[1], scheme_of(lo_type[0]))
    spec["dcType"] = copy.deepcopy(d["dcType"])
    org = d["providedBy"][0]
    org["id"] = provider["id"]
    org["legalName"] = text_map(provider["legalName"])
    country = concept(f"http://publications.europa.eu/resource/authority/country/{provider['code']}", provider["country"],
                      "http://publications.europa.eu/resource/authority/country")
    org["location"][0]["id"] = provider["id"] + ":location"
    org["location"][0]["address"]["id"] = provider["id"] + ":address"
    org["location"][0]["address"]["countryCode"] = country
    org["eIDASIdentifier"]["spatial"] = copy.deepcopy(country)
    org["eIDASIdentifier"]["id"] = provider["id"] + ":eidas"
    org["homepage"][0]["id"] = provider["id"] + ":homepage"
    org["homepage"][0]["contentURL"] = f"https://www.example.org/{provider['slug']}"
    d["homepage"][0]["id"] = d["id"] + ":homepage"
    d["homepage"][0]["contentURL"] = f"https://courses.example.org/{provider['slug']}/{i:05d}"
    spec["id"] = d["id"] + ":specification"
    spec["title"] = copy.deepcopy(d["title"])
    spec["description"] = copy.deepcopy(d["description"])
    level = rng.choice([4, 5, 6, 6, 6, 7, 7, 8])
    spec["eqfLevel"] = concept(f"http://data.europa.eu/snb/eqf/{level}", f"Level {level}", "http://data.europa.eu/snb/eqf/25831c2")
    fields = rng.sample(FIELDS, rng.choice([1, 1, 1, 2]))
    spec["thematicArea"] = [concept(iri, label, "http://data.europa.eu/snb/isced-f/25831c2") for iri, label in fields]
    spec["language"] = [concept(f"http://publications.europa.eu/resource/authority/language/{LANGUAGE_IRI[lang]}",
                                LANGUAGE_NAME[lang], "http://publications.europa.eu/resource/authority/language")
                        for lang in languages[:2]]
    d["defaultLanguage"] = concept(f"http://publications.europa.eu/resource/authority/language/{LANGUAGE_IRI[default]}",
                                   LANGUAGE_NAME[default], "http://publications.europa.eu/resource/authority/language")
    credits = rng.choice([1, 2, 3, 4, 5, 5, 5, 6, 10, 15, 30])
    spec["creditPoint"][0]["id"] = d["id"] + ":credits"
    spec["creditPoint"][0]["point"] = str(credits)
    hours = credits * rng.randint(25, 30) if rng.random() < 0.95 else credits * 50
    spec["volumeOfLearning"] = f"PT{hours}H"
    mode = rng.choice(MODES)
    spec["mode"] = [concept(mode[0], mode[1], scheme_of(mode[0]))]
    d["mode"] = copy.deepcopy(spec["mode"])
    outcomes = []
    for k in range(rng.randint(3, 8)):
        text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        outcomes.append({"id": f"{d['id']}:outcome:{k}", "type": "LearningOutcome",
                         "title": text_map({lang: text if lang == "en" else f"{text} [{lang}]" for lang in languages})})
    spec["learningOutcome"] = outcomes
    assessment = rng.choice(ASSESSMENTS)
    proven = spec["provenBy"][0]
    proven["id"] = d["id"] + ":assessment"
    proven["dcType"] = concept(assessment[0], assessment[1], scheme_of(assessment[0]))
    proven["title"] = {"en": f"{assessment[1].capitalize()} on {topic.lower()}"}
    proven["mode"] = copy.deepcopy(spec["mode"])
    spec["accreditation"][0]["id"] = d["id"] + ":accreditation"
    spec["accreditation"][0]["organisation"][0] = {"id": provider["id"], "type": "Organisation"}
    start_month = rng.randint(1, 12)
    year = 2026 + rng.randint(0, 1)
    d["temporal"] = {"id": d["id"] + ":period", "type": "PeriodOfTime",
                     "startDate": f"{year}-{start_month:02d}-01T00:00:00Z",
                     "endDate": f"{year + (1 if start_month > 8 else 0)}-{(start_month + 3) % 12 + 1:02d}-28T23:59:59Z"}
    d["applicationDeadline"] = f"{year - (1 if start_month == 1 else 0)}-{(start_month - 2) % 12 + 1:02d}-15T23:59:59Z"
    if rng.random() < 0.3:
        d["priceDetail"] = [{"id": d["id"] + ":price", "type": "PriceDetail", "prefLabel": {"en": "Tuition fee"},
                             "amount": {"id": d["id"] + ":amount", "type": "Amount", "value": rng.choice([150, 250, 490.5, 1200]),
                                        "unit": concept("http://publications.europa.eu/resource/authority/currency/EUR", "Euro",
                                                        "http://publications.europa.eu/resource/authority/currency")}}]
    for key in ("admissionProcedure",):
        d[key]["id"] = d["id"] + ":" + key
    spec["entryRequirement"]["id"] = d["id"] + ":entry"
    flaw = rng.random()
    if flaw < 0.04:
        del spec["accreditation"]
    elif flaw < 0.07:
        spec["learningOutcome"] = []
    elif flaw < 0.10:
        del d["mode"], spec["mode"]
    elif flaw < 0.13:
        del spec["entryRequirement"], d["admissionProcedure"]
    elif flaw < 0.17:
        del proven["additionalNote"]
    return d


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--providers", type=int, default=240)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    orgs = providers(args.providers, rng)
    corpus = args.out / "corpus"
    total = 0
    for i in range(args.documents):
        provider = orgs[rng.randrange(len(orgs))]
        d = document(i, provider, rng)
        folder = corpus / provider["slug"]
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(d, ensure_ascii=False, indent=2) + "\n"
        (folder / f"lo-{i:05d}.jsonld").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    print(f"{args.documents} learning opportunities, {total / 1e6:.1f} MB, in {corpus}")


if __name__ == "__main__":
    main()
