import Foundation
import JSONSchema
import JSONSyntax

/// `eccoe-bench validate --schema FILE --corpus DIR [--seconds N]`: JSON Schema validation throughput on
/// a corpus of documents (made by `Benchmarks/validate/generate.py`), for validation alone (trees parsed
/// beforehand) and for parse + validation, collecting every error as an editor or CI run would.
/// Prints human-readable lines and one `RESULT` line for `Benchmarks/validate/run.sh`.
/// `--only validate|parse-validate|parse` times just that part (for profiling with `perf record`);
/// `--dump` prints every error of every document instead (to check that an optimisation changes no result).
enum ValidateBenchmark {
    static func run(arguments: [String]) {
        func option(_ name: String) -> String? {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
        guard let schemaPath = option("--schema"), let corpusPath = option("--corpus") else {
            print("usage: eccoe-bench validate --schema FILE --corpus DIR [--seconds N] [--only validate|parse-validate|parse]")
            return
        }
        let seconds = Double(option("--seconds") ?? "3") ?? 3
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: corpusPath)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        let documents: [[UInt8]] = files.compactMap { name in
            (try? Data(contentsOf: URL(fileURLWithPath: corpusPath).appendingPathComponent(name))).map { Array($0) }
        }
        guard !documents.isEmpty, let schemaData = try? Data(contentsOf: URL(fileURLWithPath: schemaPath)) else {
            print("no documents in \(corpusPath) or no schema at \(schemaPath)")
            return
        }
        let bytes = documents.reduce(0) { $0 + $1.count }
        let validator: JSONSchemaValidator
        let compileStart = DispatchTime.now().uptimeNanoseconds
        do {
            var registry = SchemaRegistry()
            try registry.add(SyntaxTree(parsing: Array(schemaData)), uri: "file://" + schemaPath)
            validator = try registry.compile(uri: "file://" + schemaPath)
        } catch {
            print("schema error: \(error)")
            return
        }
        let compileMillis = Double(DispatchTime.now().uptimeNanoseconds - compileStart) / 1e6
        let trees = documents.map { SyntaxTree(parsing: $0) }
        if arguments.contains("--dump") {
            for (name, tree) in zip(files, trees) {
                for e in validator.validate(tree).errors {
                    print(
                        name, e.code, e.instanceLocation, e.range, e.keywordLocation, e.absoluteKeywordLocation, e.message,
                        e.allowedValues.map { "\($0.json)|\($0.title ?? "")|\($0.description ?? "")" })
                }
            }
            return
        }
        var invalid = 0, errorCount = 0
        for t in trees {
            let r = validator.validate(t)
            if !r.isValid { invalid += 1 }
            errorCount += r.errors.count
        }
        print("schema: \(validator.compiledNodeCount) compiled nodes in \(String(format: "%.1f", compileMillis)) ms")
        print(
            "corpus: \(documents.count) documents, \(String(format: "%.1f", Double(bytes) / 1e6)) MB; "
                + "\(invalid) invalid, \(errorCount) errors in all")

        let only = option("--only")
        func wanted(_ part: String) -> Bool { only == nil || only == part }
        let validateOnly =
            !wanted("validate")
            ? 0
            : measure(seconds: seconds) {
                var n = 0
                for t in trees { n &+= validator.validate(t).errors.count }
                return n
            }
        let parseAndValidate =
            !wanted("parse-validate")
            ? 0
            : measure(seconds: seconds) {
                var n = 0
                for d in documents { n &+= validator.validate(SyntaxTree(parsing: d)).errors.count }
                return n
            }
        let parseOnly =
            !wanted("parse")
            ? 0
            : measure(seconds: seconds) {
                var n = 0
                for d in documents { n &+= SyntaxTree(parsing: d).nodeCount }
                return n
            }
        func line(_ name: String, _ t: Double) -> String {
            if t == 0 { return name.padding(toLength: 26, withPad: " ", startingAt: 0) + "  (not measured)" }
            let docs = Double(documents.count) / t, mb = Double(bytes) / 1e6 / t
            return name.padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(format: "%9.0f docs/s %8.1f MB/s", docs, mb)
        }
        print(line("eccoe parse only", parseOnly))
        print(line("eccoe validate only", validateOnly))
        print(line("eccoe parse + validate", parseAndValidate))
        print(
            String(
                format: "RESULT documents=%d bytes=%d invalid=%d validate_seconds=%.6f parse_validate_seconds=%.6f",
                documents.count, bytes, invalid, validateOnly, parseAndValidate))
    }

    /// Seconds per pass over the corpus: the best of repeated passes within the time budget (after one warm-up).
    static func measure(seconds: Double, _ body: () -> Int) -> Double {
        var sink = body()
        var best = Double.infinity
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        var rounds = 0
        while rounds < 3 || DispatchTime.now().uptimeNanoseconds < deadline {
            let start = DispatchTime.now().uptimeNanoseconds
            sink &+= body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            rounds += 1
        }
        if sink == Int.min { print(sink) }
        return best
    }
}
