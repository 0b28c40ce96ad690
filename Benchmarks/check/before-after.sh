#!/bin/sh
# `eccoe check` throughput of two release binaries on the same generated corpus, runs alternated, medians
# compared: for "no slower than before" claims (build the before binary from the base commit first).
#
#   Benchmarks/check/before-after.sh BEFORE_BINARY AFTER_BINARY [--documents N] [--runs N]
#
# Other work on the machine makes single runs noisy: each binary checks the corpus RUNS times (default 7),
# alternating, and the medians are compared.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_BINARY AFTER_BINARY [--documents N] [--runs N]" >&2; exit 2; }
before=$1 after=$2; shift 2
documents=3000 runs=7
while [ $# -gt 0 ]; do
    case "$1" in
        --documents) documents=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/Benchmarks/out/check-before-after"
rm -rf "$out" && mkdir -p "$out"
python3 "$here/generate.py" "$out" --documents "$documents" >/dev/null
python3 - "$before" "$after" "$out/corpus" "$runs" <<'PY'
import statistics, subprocess, sys, time, os
before, after, corpus, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
files = len(os.listdir(corpus))
mb = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus)) / 1e6
times = {before: [], after: []}
for _ in range(runs):
    for binary in (before, after):
        start = time.perf_counter()
        subprocess.run([binary, "check", corpus], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times[binary].append(time.perf_counter() - start)
for name, binary in (("before", before), ("after", after)):
    m = statistics.median(times[binary])
    print("%-6s %d files, %.1f MB: median %.2f s (%.0f files/s, %.1f MB/s); runs %s"
          % (name, files, mb, m, files / m, mb / m, " ".join("%.2f" % t for t in times[binary])))
print("after/before time: %.3f" % (statistics.median(times[after]) / statistics.median(times[before])))
PY
