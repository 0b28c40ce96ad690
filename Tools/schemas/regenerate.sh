#!/bin/sh
# Regenerate every derived file under Schemas/ and check the result.
# Needs python3 (3.10+) and Debian's iso-codes package (apt-get install -y iso-codes);
# the EU reference data is read from Tests/Resources/ec/elm (copies with their licence, see Tests/Resources/README.md).
# The Python packages (requirements.txt) go into a virtual environment, Tools/schemas/.venv unless
# ECCOE_SCHEMAS_VENV names another (check-up-to-date.sh runs a copy of this script with this tree's).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv=${ECCOE_SCHEMAS_VENV:-$here/.venv}
py="$venv/bin/python"
if [ ! -x "$py" ] || ! cmp -s "$here/requirements.txt" "$venv/.eccoe-requirements"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/.eccoe-requirements"
fi
cd "$here"
"$py" gen_vocabularies.py        # EQF, ISCED-F, ELM lists, ESCO IRI shape, vocabulary.schema.json
"$py" gen_iso_vocabularies.py    # countries, languages, ISO 639-1 codes (from /usr/share/iso-codes/json)
"$py" gen_examples.py            # Schemas/examples/* and expected-findings.json
"$py" shacl_to_jsonschema.py     # credential.schema.json, learning-opportunity.schema.json
"$py" gen_document_schemas.py    # agreement, consultation, consultation-response schemas
"$py" check_schemas.py
