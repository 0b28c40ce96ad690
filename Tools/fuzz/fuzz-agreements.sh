#!/usr/bin/env bash
# Fuzzes the agreement tool (reading learning opportunities, drafting, rendering) with libFuzzer:
#   Tools/fuzz/fuzz-agreements.sh [SECONDS]        (default 60)
# The package is copied (git archive of HEAD) to a temporary folder, where FuzzAgreements.swift becomes an
# executable target built with -sanitize=fuzzer (the real Package.swift is left alone). Seeds are the
# examples in Schemas/examples. A crash leaves its input in Tools/fuzz/out/agreements/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
out="$here/out/agreements"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/corpus"
cp "$root"/Schemas/examples/*.json "$root"/Schemas/examples/*.jsonld "$out/corpus/"
git -C "$root" archive HEAD | tar -x -C "$work"
mkdir -p "$work/Sources/FuzzAgreements"
cp "$here/FuzzAgreements.swift" "$work/Sources/FuzzAgreements/"
cat >> "$work/Package.swift" <<'SWIFT'
package.targets.append(.executableTarget(
    name: "FuzzAgreements", dependencies: ["RecognitionAgreements", "Criteria", "JSONSyntax"],
    swiftSettings: [.unsafeFlags(["-parse-as-library", "-sanitize=fuzzer"])],
    linkerSettings: [.unsafeFlags(["-sanitize=fuzzer"])]))
SWIFT
(cd "$work" && swift build -c release --product FuzzAgreements >&2)
cd "$out"
"$work/.build/release/FuzzAgreements" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 corpus
