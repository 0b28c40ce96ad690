#!/bin/sh
# Validation benchmark: eccoe (Swift, release build) against jsonschema-rs (Rust, from Python) on the same
# generated corpus and schema. Run from anywhere: Benchmarks/validate/run.sh [--documents N] [--seconds N]
# Needs python3 with venv and network access to PyPI for `pip install jsonschema-rs` (first run only).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/Benchmarks/out/validate"
documents=2000
seconds=3
while [ $# -gt 0 ]; do
    case "$1" in
        --documents) documents=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        *) echo "usage: $0 [--documents N] [--seconds N]" >&2; exit 2 ;;
    esac
done

mkdir -p "$out"
if [ ! -x "$out/venv/bin/python" ]; then
    python3 -m venv "$out/venv"
    "$out/venv/bin/pip" install --quiet --upgrade pip
    "$out/venv/bin/pip" install --quiet jsonschema-rs
fi
rm -rf "$out/corpus"
"$out/venv/bin/python" "$here/generate.py" "$out" --documents "$documents"

cd "$root"
swift build -c release --scratch-path "${SCRATCH_PATH:-.build}" --product eccoe-bench >/dev/null
bench="$(swift build -c release --scratch-path "${SCRATCH_PATH:-.build}" --show-bin-path)/eccoe-bench"
ours=$("$bench" validate --schema "$out/schema.json" --corpus "$out/corpus" --seconds "$seconds")
echo "$ours" | grep -v '^RESULT'
theirs=$("$out/venv/bin/python" "$here/bench_jsonschema_rs.py" "$out/schema.json" "$out/corpus" --seconds "$seconds")
echo "$theirs" | grep -v '^RESULT'

field() { echo "$1" | grep '^RESULT' | tr ' ' '\n' | grep "^$2=" | cut -d= -f2; }
ours_invalid=$(field "$ours" invalid)
theirs_invalid=$(field "$theirs" invalid)
if [ "$ours_invalid" != "$theirs_invalid" ]; then
    echo "WARNING: the validators disagree on how many documents are invalid ($ours_invalid vs $theirs_invalid)"
fi
python3 - "$(field "$ours" validate_seconds)" "$(field "$ours" parse_validate_seconds)" "$(field "$theirs" validate_seconds)" <<'PY'
import sys
validate, parse_validate, rs = map(float, sys.argv[1:])
print("ratio, eccoe validate only vs jsonschema-rs validate only:     %.2fx" % (rs / validate))
print("ratio, eccoe parse + validate vs jsonschema-rs validate only: %.2fx (target: at least 1.00x)" % (rs / parse_validate))
PY
