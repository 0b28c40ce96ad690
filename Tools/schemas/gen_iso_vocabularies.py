#!/usr/bin/env python3
"""Generate the ISO country and language vocabularies from Debian's `iso-codes` package.

    apt-get update && apt-get install -y iso-codes
    Tools/schemas/.venv/bin/python Tools/schemas/gen_iso_vocabularies.py [--iso-dir DIR]

Writes (and their .schema.json companions):
  Schemas/vocabularies/countries.json               ISO 3166-1 as EU country authority IRIs
  Schemas/vocabularies/languages.json               ISO 639-2 (terminology codes) as EU language authority IRIs
  Schemas/vocabularies/language-codes-iso639-1.json two-letter ISO 639-1 codes (keys of JSON-LD language maps)

The EU Publications Office authority tables name countries by ISO 3166-1 alpha-3 code and
languages by three-letter ISO 639 code in upper case (terminology form, e.g. FRA and DEU, not
the bibliographic FRE and GER). The binary never reads /usr/share at run time: the output is
committed and embedded.
"""
from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from vocablib import concept, vocabulary, write_vocabulary

COUNTRY_NAL = "http://publications.europa.eu/resource/authority/country"
LANGUAGE_NAL = "http://publications.europa.eu/resource/authority/language"


def iso_codes_version() -> str:
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iso-dir", default="/usr/share/iso-codes/json", type=Path)
    args = ap.parse_args()
    version = iso_codes_version()
    src = f"Debian package iso-codes {version} ({args.iso_dir})"

    countries = json.loads((args.iso_dir / "iso_3166-1.json").read_text(encoding="utf-8"))["3166-1"]
    concepts = []
    for c in sorted(countries, key=lambda c: c["alpha_3"]):
        label = c.get("common_name") or c["name"]
        extra = {"altNotation": [c["alpha_2"], c["numeric"]]}
        if label != c["name"]:
            extra["altLabel"] = {"en": c["name"]}
        concepts.append(concept(f"{COUNTRY_NAL}/{c['alpha_3']}", c["alpha_3"], label, **extra))
    write_vocabulary(vocabulary(
        "countries",
        "Country (ISO 3166-1, EU country authority table)",
        "Countries and territories identified by the EU Publications Office country authority IRI, "
        "whose last segment is the ISO 3166-1 alpha-3 code (for example …/country/DEU for Germany). "
        "Used for the country of an address, of a legal identifier, of citizenship, and of agreement parties.",
        src + "; IRI pattern of the EU country authority table as used in the EC sample credentials.",
        concepts, scheme=COUNTRY_NAL, iri_pattern="^http://publications\\.europa\\.eu/resource/authority/country/[A-Z0-9]{3}$",
    ), "countries")

    langs = json.loads((args.iso_dir / "iso_639-2.json").read_text(encoding="utf-8"))["639-2"]
    concepts, two_letter = [], []
    for l in sorted(langs, key=lambda l: l["alpha_3"]):
        if "-" in l["alpha_3"]:  # the reserved range qaa-qtz is not a language
            continue
        code = l["alpha_3"].upper()
        alt = [x for x in (l.get("alpha_2"), l.get("bibliographic")) if x]
        extra = {"altNotation": alt} if alt else {}
        concepts.append(concept(f"{LANGUAGE_NAL}/{code}", code, l["name"], **extra))
        if "alpha_2" in l:
            two_letter.append(concept(l["alpha_2"], l["alpha_2"], l["name"],
                                      exactMatch=f"{LANGUAGE_NAL}/{code}"))
    write_vocabulary(vocabulary(
        "languages",
        "Language (ISO 639, EU language authority table)",
        "Languages identified by the EU Publications Office language authority IRI, whose last segment is "
        "the three-letter ISO 639-2 terminology code in upper case (for example …/language/ENG, …/language/DEU). "
        "Used for the language of instruction, of assessment, of a display and of a web resource.",
        src + " (ISO 639-2 list without the reserved range qaa–qtz); IRI pattern as used in the EC samples.",
        concepts, scheme=LANGUAGE_NAL, iri_pattern="^http://publications\\.europa\\.eu/resource/authority/language/[A-Z]{3}$",
    ), "languages")

    two_letter.sort(key=lambda c: c["id"])
    write_vocabulary(vocabulary(
        "language-codes-iso639-1",
        "Language-map key (ISO 639-1 two-letter code)",
        "The two-letter lower-case ISO 639-1 codes. In ELM JSON-LD every multilingual text is a language map "
        "such as {\"en\": \"…\", \"de\": \"…\"}; its keys should be taken from this list.",
        src + " (entries of ISO 639-2 that have an ISO 639-1 code).",
        two_letter, iri_pattern="^[a-z]{2}$",
    ), "language-codes-iso639-1")


if __name__ == "__main__":
    main()
