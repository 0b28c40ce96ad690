#!/usr/bin/env bash
# Fuzzes the syntax layer with libFuzzer (clang's runtime ships with the Swift toolchain):
#   Tools/fuzz/fuzz.sh [SECONDS]        (default 60)
# Seeds come from ../shared/json-test-suite. A crash leaves its input in Tools/fuzz/out/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
out="$here/out"
mkdir -p "$out/corpus"
cp "$root"/../shared/json-test-suite/test_parsing/*.json "$out/corpus/" 2>/dev/null || true
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzParser \
    "$here/FuzzParser.swift" "$root"/Sources/JSONSyntax/*.swift -o "$out/fuzz-parser"
cd "$out"
./fuzz-parser -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 corpus
