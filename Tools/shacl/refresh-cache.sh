#!/bin/sh
# Validates the differential test's corpus with the EC's shapes again and rewrites
# Tests/Differential/shacl-oracle-cache.json (run after changing the examples, the EC samples, the corpus generator,
# the shapes or the oracle; about 5 minutes on 2 cores). --update instead of --refresh keeps the entries still valid.
set -eu
cd "$(dirname "$0")/../.."
py=.venv/bin/python
if [ ! -x "$py" ] || ! "$py" -c "import pyshacl, pyld" 2>/dev/null; then
    python3 -m venv .venv && .venv/bin/pip install -q -r Tools/test-requirements.txt
fi
swift build >/dev/null
exec "$py" Tools/shacl/differential.py --eccoe .build/debug/eccoe --jobs 2 --verify 0 "${1:---refresh}"
