#!/usr/bin/env bash
# Fuzzing with libFuzzer (clang's runtime ships with the Swift toolchain), one target at a time:
#   Tools/fuzz/fuzz.sh [syntax] [SECONDS]   the JSON syntax layer (FuzzParser.swift); default 60 s
#   Tools/fuzz/fuzz.sh http [SECONDS]       the HTTP request parser and form decoder (FuzzHTTP.swift)
# (`Tools/fuzz/fuzz.sh 120` still means the syntax layer for 120 s.)
# Seeds: the JSON files of Tests/Resources/json-test-suite for the syntax layer; Tools/fuzz/corpus/http
# (requests captured from real clients, see its README) for HTTP. The campaign's corpus grows in
# Tools/fuzz/out/TARGET/corpus; a crash leaves its input in Tools/fuzz/out/TARGET/ (crash-…) and the script
# fails. It prints libFuzzer's final statistics (executions, corpus size, coverage).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=syntax
case "${1:-}" in
    syntax|http) target=$1; shift ;;
esac
seconds=${1:-60}
out="$here/out/$target"
mkdir -p "$out/corpus"
case "$target" in
    syntax)
        cp "$root"/Tests/Resources/json-test-suite/test_parsing/*.json "$out/corpus/" 2>/dev/null || true
        swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzParser \
            "$here/FuzzParser.swift" "$root"/Sources/JSONSyntax/*.swift -o "$out/fuzz"
        max_len=4096
        ;;
    http)
        # HTTP imports PercentEncoding: build it first as a static library the harness links.
        swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name PercentEncoding \
            -emit-module -emit-module-path "$out/PercentEncoding.swiftmodule" -emit-library -static \
            -o "$out/libPercentEncoding.a" "$root"/Sources/PercentEncoding/*.swift
        swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FuzzHTTP -I "$out" -L "$out" \
            -lPercentEncoding "$here/FuzzHTTP.swift" "$root"/Sources/HTTP/*.swift -o "$out/fuzz"
        max_len=8192
        ;;
esac
cd "$out"
seeds=()
[ "$target" = http ] && seeds=("$here/corpus/http")
./fuzz -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$out/" corpus "${seeds[@]}"
