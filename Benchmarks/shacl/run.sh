#!/bin/sh
# eccoe check against the European Commission's validation (pySHACL with the EC's shapes, Tools/shacl/oracle.py) on
# the same files: the differential test's corpus (the ELM examples, the EC samples and their mutations), or its
# first N files. Release build; both sides timed as whole processes, medians of RUNS runs (pySHACL: of
# ORACLE_RUNS, it is slow). Prints files/s of each and the ratio.
#
#     sh Benchmarks/shacl/run.sh [N_FILES] [RUNS] [ORACLE_RUNS]      # defaults: 200 5 1
#
# eccoe check spreads files over both cores; the oracle is one Python process (shapes parsed once, then one
# pySHACL validation per file, as the EC validates a document), so the ratio is also printed per core used.
set -eu
cd "$(dirname "$0")/../.."
n=${1:-200}; runs=${2:-5}; oracle_runs=${3:-1}
swift build -c release >/dev/null
bin=.build/release/eccoe
py=.venv/bin/python
if [ ! -x "$py" ] || ! "$py" -c "import pyshacl, pyld" 2>/dev/null; then
    python3 -m venv .venv && .venv/bin/pip install -q -r Tools/test-requirements.txt
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$py" Tools/shacl/corpus.py "$dir/all" >/dev/null
mkdir "$dir/set"
ls "$dir/all" | sort | head -n "$n" | while read -r f; do cp "$dir/all/$f" "$dir/set/"; done
count=$(ls "$dir/set" | wc -l)
bytes=$(cat "$dir/set"/* | wc -c)
echo "corpus: $count files, $bytes bytes (Tools/shacl/corpus.py, first $n by name)"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
seconds() { # command... -> wall seconds
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

i=0; : > "$dir/e"
while [ $i -lt "$runs" ]; do seconds "$bin" check --format json "$dir/set" >> "$dir/e"; i=$((i+1)); done
i=0; : > "$dir/o"
while [ $i -lt "$oracle_runs" ]; do seconds "$py" Tools/shacl/oracle.py "$dir/set"/* >> "$dir/o"; i=$((i+1)); done
e=$(median < "$dir/e"); o=$(median < "$dir/o")
printf 'eccoe check --format json:  %8.3f s  %9.1f files/s  (median of %s)\n' "$e" "$(echo "$count / $e" | bc -l)" "$runs"
printf 'pySHACL (oracle.py):        %8.3f s  %9.1f files/s  (median of %s)\n' "$o" "$(echo "$count / $o" | bc -l)" "$oracle_runs"
printf 'ratio: eccoe check is %.0fx faster (%.0fx per core: eccoe used 2 cores, pySHACL 1)\n' \
    "$(echo "$o / $e" | bc -l)" "$(echo "$o / $e / 2" | bc -l)"
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg); the machine is shared, figures are noisy)"
