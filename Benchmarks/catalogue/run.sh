#!/bin/sh
# `eccoe catalogue` benchmark: a generated corpus of learning opportunities (Benchmarks/catalogue/generate.py,
# deterministic) published as a static site, whole process, release build. For each run, in this order:
#   check    `eccoe check CORPUS` — the named baseline: the same engine over the same documents, no site;
#   fresh    `eccoe catalogue CORPUS --out SITE` into an empty folder (every file written);
#   rebuild  the same command again (nothing changed: every file compared, none written);
#   edit     one document's title changed, then the command again (its page, its copy and the lists that show it).
# Prints each run's wall time and peak resident memory, the medians, the ratio fresh/check, the number of files
# and bytes written, and whether the fresh sites of all runs are byte-identical. With --scaling it also builds
# corpora of a tenth and a half of the size, to show that peak memory does not grow with the catalogue.
#
#   Benchmarks/catalogue/run.sh [--documents N] [--runs R] [--scaling]
#
# ECCOE_BINARY=path skips the build and uses that release binary; SCRATCH_PATH sets the build folder.
# Other work on the machine makes the figures noisy: take the medians, and run it again when in doubt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="$root/Benchmarks/out/catalogue"
documents=10000
runs=5
scaling=no
while [ $# -gt 0 ]; do
    case "$1" in
        --documents) documents=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --scaling) scaling=yes; shift ;;
        *) echo "usage: $0 [--documents N] [--runs R] [--scaling]" >&2; exit 2 ;;
    esac
done

cd "$root"
if [ -n "${ECCOE_BINARY:-}" ]; then
    eccoe=$ECCOE_BINARY
else
    swift build -c release --scratch-path "${SCRATCH_PATH:-.build}" --product eccoe >/dev/null
    eccoe="$(swift build -c release --scratch-path "${SCRATCH_PATH:-.build}" --show-bin-path)/eccoe"
fi

# corpus N: generates (once) a corpus of N documents in $out/corpus-N.
corpus() {
    if [ ! -f "$out/corpus-$1/.complete" ]; then
        rm -rf "$out/corpus-$1"
        python3 "$here/generate.py" "$out/gen-$1" --documents "$1" >/dev/null
        mv "$out/gen-$1/corpus" "$out/corpus-$1"
        rm -rf "$out/gen-$1"
        touch "$out/corpus-$1/.complete"
    fi
    echo "$out/corpus-$1"
}

# measure ERRFILE COMMAND...: runs the command (standard error to ERRFILE), prints "seconds peak-MB cpu-seconds"
# (cpu: user + system time of the process, which other work on the machine changes less than the wall time).
measure() {
    python3 - "$@" <<'PY'
import resource, subprocess, sys, time
start = time.perf_counter()
with open(sys.argv[1], "wb") as err:
    code = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err).returncode
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
if code not in (0, 1):
    sys.exit(f"{' '.join(sys.argv[2:])} exited with {code}: see {sys.argv[1]}")
print(f"{elapsed:.2f} {usage.ru_maxrss / 1024:.0f} {usage.ru_utime + usage.ru_stime:.2f}")
PY
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

mkdir -p "$out"
src=$(corpus "$documents")
files=$(find "$src" -name '*.jsonld' | wc -l)
megabytes=$(du -sb "$src" | awk '{ printf "%.1f", $1 / 1e6 }')
echo "corpus: $files learning opportunities, $megabytes MB, in $src"
echo "binary: $eccoe"
echo
printf '%-4s %-9s %9s %9s %9s  %s\n' run step seconds "cpu s" "peak MB" "files written"
: > "$out/results.txt"
rm -f "$out/digests.txt"
# Each run's fresh build goes to a folder of its own; all are removed at the end. (Creating 20,000 files right
# after deleting as many makes ext4 search its inode tables for reusable inodes; a publisher's fresh build
# does not follow a mass deletion, so the benchmark does not make it do so.)
rm -rf "$out"/site-* "$out/edit"
sync
for run in $(seq "$runs"); do
    site="$out/site-$run"
    rm -rf "$out/edit"
    r=$(measure "$out/last.err" "$eccoe" check "$src"); set -- $r
    printf '%-4s %-9s %9s %9s %9s\n' "$run" check "$1" "$3" "$2"; echo "check $1 $2 $3" >> "$out/results.txt"
    r=$(measure "$out/last.err" "$eccoe" catalogue "$src" --out "$site"); set -- $r
    written=$(tail -1 "$out/last.err" | sed -n 's/.*: \([0-9]* written ([0-9.]* MB)\).*/\1/p')
    printf '%-4s %-9s %9s %9s %9s  %s\n' "$run" fresh "$1" "$3" "$2" "$written"; echo "fresh $1 $2 $3" >> "$out/results.txt"
    (cd "$site" && find . -type f | sort | xargs sha256sum | sha256sum) >> "$out/digests.txt"
    r=$(measure "$out/last.err" "$eccoe" catalogue "$src" --out "$site"); set -- $r
    written=$(tail -1 "$out/last.err" | sed -n 's/.*: \([0-9]* written ([0-9.]* MB)\).*/\1/p')
    printf '%-4s %-9s %9s %9s %9s  %s\n' "$run" rebuild "$1" "$3" "$2" "$written"; echo "rebuild $1 $2 $3" >> "$out/results.txt"
    # One document edited: a copy of the corpus with hard links, the edited file replaced.
    cp -al "$src" "$out/edit"
    first=$(find "$out/edit" -name '*.jsonld' | sort | head -1)
    sed 's/"title": {/"title": {"fr": "Titre revu",/' "$first" > "$first.new" && rm "$first" && mv "$first.new" "$first"
    r=$(measure "$out/last.err" "$eccoe" catalogue "$out/edit" --out "$site"); set -- $r
    written=$(tail -1 "$out/last.err" | sed -n 's/.*: \([0-9]* written ([0-9.]* MB)\).*/\1/p')
    printf '%-4s %-9s %9s %9s %9s  %s\n' "$run" edit "$1" "$3" "$2" "$written"; echo "edit $1 $2 $3" >> "$out/results.txt"
done
echo
echo "medians over $runs runs (wall seconds, cpu seconds, peak MB):"
for step in check fresh rebuild edit; do
    s=$(awk -v k=$step '$1 == k { print $2 }' "$out/results.txt" | median)
    m=$(awk -v k=$step '$1 == k { print $3 }' "$out/results.txt" | median)
    c=$(awk -v k=$step '$1 == k { print $4 }' "$out/results.txt" | median)
    printf '  %-8s %7s s %7s s cpu %7s MB\n' "$step" "$s" "$c" "$m"
    eval "median_$step=$s"
done
awk -v f="$median_fresh" -v c="$median_check" 'BEGIN { printf "  fresh build / check alone: %.2f×\n", f / c }'
tail -1 "$out/last.err" | sed 's/^/  last summary: /'
if [ "$(sort -u "$out/digests.txt" | wc -l)" -eq 1 ]; then echo "  fresh sites of all runs byte-identical: yes"; else echo "  fresh sites of all runs byte-identical: NO"; fi
rm -rf "$out"/site-* "$out/edit"

if [ "$scaling" = yes ]; then
    echo
    echo "peak memory by corpus size (fresh build):"
    for n in $((documents / 10)) $((documents / 2)) "$documents"; do
        s=$(corpus "$n")
        r=$(measure "$out/last.err" "$eccoe" catalogue "$s" --out "$out/site-scaling-$n"); set -- $r
        printf '  %6d documents: %6s s %6s s cpu %6s MB\n' "$n" "$1" "$3" "$2"
    done
    rm -rf "$out"/site-scaling-*
fi
