#!/bin/sh
# CI guard: Schemas/ is what its generators make. Copies the generators, their inputs and Schemas/ into a
# temporary folder, deletes every generated file there (all of Schemas/ but the hand-written criteria.json and
# criteria.schema.json), runs regenerate.sh in the copy and fails on any difference with the working tree: a file
# edited by hand, a generator changed without regenerating, a stale file the generators no longer write.
# Fix a failure by changing the generator (not the output) and running Tools/schemas/regenerate.sh.
# Needs what regenerate.sh needs (python3 with venv, Debian's iso-codes); its virtual environment is
# Tools/schemas/.venv of this tree, made on first use.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/eccoe-schemas.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$root"
tar -cf - --exclude=.venv --exclude=__pycache__ Schemas Tools/schemas Tests/Resources/ec Tests/Resources/samples |
    tar -xf - -C "$tmp"
find "$tmp/Schemas" -type f ! -name criteria.json ! -name criteria.schema.json -exec rm -f {} +
if ! ECCOE_SCHEMAS_VENV="$root/Tools/schemas/.venv" sh "$tmp/Tools/schemas/regenerate.sh" >"$tmp/regenerate.log" 2>&1; then
    cat "$tmp/regenerate.log" >&2
    echo "Tools/schemas/check-up-to-date.sh: regenerate.sh failed (log above)" >&2
    exit 1
fi
if ! diff -r -u "$root/Schemas" "$tmp/Schemas" >"$tmp/drift.diff"; then
    head -n 200 "$tmp/drift.diff" >&2
    echo "Tools/schemas/check-up-to-date.sh: Schemas/ differs from what Tools/schemas/regenerate.sh makes" \
        "($(grep -c '^diff \|^Only in' "$tmp/drift.diff") files; first 200 lines of the difference above)." \
        "Change the generator, not its output, and run Tools/schemas/regenerate.sh." >&2
    exit 1
fi
echo "Schemas/ is up to date with its generators ($(find "$root/Schemas" -type f | wc -l) files)"
