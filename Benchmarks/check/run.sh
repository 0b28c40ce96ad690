#!/bin/sh
# `eccoe check` benchmark: the full check (kind detection, schema, every criterion) over a generated folder
# of European Digital Credentials (2–200 KB), whole process, against Python's check-jsonschema validating
# the same files against the credential schema alone (bundled by Tools/schemas/bundle_schema.py).
#
#   Benchmarks/check/run.sh [--documents N] [--python-sample N | --python-all]
#
# check-jsonschema needs about 1.5 s per document on this schema (measured on 300 documents: 11 min 47 s),
# so validating all 10,000 would take hours. By default it validates an evenly spaced sample of 200 of
# the documents (every 50th file, so sizes keep their distribution), and eccoe checks the same sample in
# its own process too; the ratio compares throughput on the same files. --python-all runs it on all.
# ECCOE_BINARY=path skips the build and uses that release binary; SCRATCH_PATH sets the build folder.
# Needs python3 with venv and network access to PyPI for `pip install check-jsonschema` (first run only).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/Benchmarks/out/check"
documents=10000
sample=200
while [ $# -gt 0 ]; do
    case "$1" in
        --documents) documents=$2; shift 2 ;;
        --python-sample) sample=$2; shift 2 ;;
        --python-all) sample=0; shift ;;
        *) echo "usage: $0 [--documents N] [--python-sample N | --python-all]" >&2; exit 2 ;;
    esac
done

mkdir -p "$out"
if [ ! -x "$out/venv/bin/check-jsonschema" ]; then
    python3 -m venv "$out/venv"
    "$out/venv/bin/pip" install --quiet --upgrade pip
    "$out/venv/bin/pip" install --quiet check-jsonschema
fi
rm -rf "$out/corpus" "$out/sample"
python3 "$here/generate.py" "$out" --documents "$documents"
python3 "$root/Tools/schemas/bundle_schema.py" "$root/Schemas/credential.schema.json" > "$out/credential.bundled.json"

cd "$root"
if [ -n "${ECCOE_BINARY:-}" ]; then  # an already built release binary
    eccoe=$ECCOE_BINARY
else
    swift build -c release --scratch-path "${SCRATCH_PATH:-.build}" --product eccoe >/dev/null
    eccoe="$(swift build -c release --scratch-path "${SCRATCH_PATH:-.build}" --show-bin-path)/eccoe"
fi

# Seconds of wall-clock time a command takes (whole process), its output discarded.
seconds() {
    python3 - "$@" <<'PY'
import subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.3f" % (time.perf_counter() - start))
PY
}
megabytes() { du -sb "$1" | awk '{printf "%.1f", $1 / 1e6}'; }
report() {  # name files megabytes seconds
    awk -v n="$1" -v f="$2" -v mb="$3" -v s="$4" \
        'BEGIN { printf "%-40s %6d files %8.1f MB %9.2f s %9.1f files/s %8.2f MB/s\n", n, f, mb, s, f / s, mb / s }'
}

files=$(ls "$out/corpus" | wc -l)
mb=$(megabytes "$out/corpus")
"$eccoe" check "$out/corpus" >/dev/null 2>"$out/eccoe-summary.txt" || true
echo "eccoe check over the corpus: $(cat "$out/eccoe-summary.txt")"
ours_all=$(seconds "$eccoe" check "$out/corpus")
report "eccoe check (all documents)" "$files" "$mb" "$ours_all"

if [ "$sample" -eq 0 ]; then
    target="$out/corpus"
else
    mkdir -p "$out/sample"
    step=$(( files / sample )); [ "$step" -ge 1 ] || step=1
    ls "$out/corpus" | awk -v s="$step" 'NR % s == 1' | head -n "$sample" | while read -r f; do ln "$out/corpus/$f" "$out/sample/$f"; done
    target="$out/sample"
fi
sfiles=$(ls "$target" | wc -l)
smb=$(megabytes "$target")
ours=$(seconds "$eccoe" check "$target")
theirs=$(seconds "$out/venv/bin/check-jsonschema" --schemafile "$out/credential.bundled.json" "$target"/*.jsonld)
report "eccoe check (same files as below)" "$sfiles" "$smb" "$ours"
report "check-jsonschema (credential schema)" "$sfiles" "$smb" "$theirs"
python3 - "$ours" "$theirs" "$ours_all" "$files" "$sfiles" <<'PY'
import sys
ours, theirs, ours_all, files, sfiles = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print("ratio, same files, whole process to whole process: %.0fx (target: at least 20x)" % (theirs / ours))
print("ratio, throughput (files/s) of eccoe on all %d files vs check-jsonschema on %d: %.0fx"
      % (files, sfiles, (files / ours_all) / (sfiles / theirs)))
PY
