import CredentialCorpus
import Criteria
import Dispatch
import Foundation
import JSONSyntax
import Testing

@Suite struct LimitTests {
    /// `maxFindingsPerDocument`: exactly at the limit nothing is cut; one more and one `too-many-findings` says so.
    @Test func findingsPerDocument() throws {
        let limited = try CriteriaEngine(options: CheckOptions(limits: CheckLimits(maxFindingsPerDocument: 5)))
        func duplicates(_ n: Int) -> SyntaxTree {
            SyntaxTree(parsing: "{" + (0..<n).map { "\"k\($0)\": 1, \"k\($0)\": 2" }.joined(separator: ", ") + "}")
        }
        let atLimit = limited.check(duplicates(5), path: nil, kind: nil)
        #expect(atLimit.count == 5 && atLimit.allSatisfy { $0.code == "duplicate-key" })
        let over = limited.check(duplicates(7), path: nil, kind: nil)
        #expect(over.count == 6)
        #expect(over.last?.code == "too-many-findings")
        #expect(over.last?.message.hasPrefix("2 more findings not shown") == true)
        #expect(CheckLimits(maxFindingsPerDocument: 0).maxFindingsPerDocument == 1)
        #expect(CheckLimits.default.maxFindingsPerDocument == 1_000 && CheckLimits.default.maxSchemaErrorsPerDocument == 500)
    }

    /// `maxSchemaErrorsPerDocument`: the validator's cap, reported under the profile criterion.
    @Test func schemaErrorsPerDocument() throws {
        let limited = try CriteriaEngine(
            options: CheckOptions(
                today: CalendarDate(year: 2026, month: 11, day: 29),
                limits: CheckLimits(maxSchemaErrorsPerDocument: 2)))
        let good = String(
            decoding: try readFile(packageRoot.appendingPathComponent("Schemas/examples/good.agreement.json").path), as: UTF8.self
        )
        func withUnknown(_ n: Int) -> SyntaxTree {
            SyntaxTree(
                parsing: good.replacingOccurrences(
                    "\"version\": \"1.0\",", (0..<n).map { "\"x\($0)\": 1," }.joined() + "\"version\": \"1.0\","))
        }
        let atLimit = limited.check(withUnknown(2), path: "a.agreement.json")
        #expect(atLimit.map(\.code) == ["AG-14", "AG-14"])
        let over = limited.check(withUnknown(3), path: "a.agreement.json")
        #expect(over.map(\.code) == ["AG-14", "AG-14", "AG-14"])
        #expect(over.last?.message.contains("1 more error not shown") == true)
    }
}

@Suite struct RobustnessTests {
    static let examples = packageRoot.appendingPathComponent("Schemas/examples")

    /// Mutated documents (cut, bytes changed, ranges deleted, brackets added) never crash the engine, and
    /// every finding's range lies inside the document.
    @Test func mutatedDocumentsNeverCrash() throws {
        var rng = SeededGenerator(seed: 42)
        let sources = try [
            "good-credential.jsonld", "good-learning-opportunity.jsonld", "good.agreement.json", "good.consultation.json",
        ]
        .map { try readFile(Self.examples.appendingPathComponent($0).path) }
        for round in 0..<160 {
            var bytes = sources[round % sources.count]
            switch rng.next() % 5 {
            case 0: bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count))))
            case 1: for _ in 0..<8 { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2:
                let a = Int(rng.next() % UInt64(bytes.count)), b = min(bytes.count, a + Int(rng.next() % 400))
                bytes.removeSubrange(a..<b)
            case 3:
                bytes.insert(
                    contentsOf: Array(repeating: UInt8(ascii: "["), count: 700), at: Int(rng.next() % UInt64(bytes.count)))
            default:
                bytes.insert(
                    contentsOf: Array("\"type\": \"Organisation\", \"id\": \"urn:x\",".utf8),
                    at: Int(rng.next() % UInt64(bytes.count)))
            }
            let tree = SyntaxTree(parsing: bytes)
            let kind = round % 3 == 0 ? DocumentKind.allCases[round % 4] : engine.kind(of: tree, path: "x.agreement.json")
            for f in engine.check(tree, path: "m/x.json", kind: kind) {
                #expect(f.range.lowerBound >= 0 && f.range.upperBound <= bytes.count, "round \(round): \(f.code) \(f.range)")
                for e in (f.fix?.edits ?? []) + (f.fix?.choices.flatMap(\.edits) ?? []) {
                    #expect(e.range.upperBound <= bytes.count)
                }
            }
            _ = engine.checkWorkspace(["m/x.agreement.json": tree, "m/good-learning-opportunity.jsonld": tree])
        }
    }

    @Test(arguments: [
        "", "null", "[]", "{}", "\"x\"", "{\"type\": 5}", "{\"credentialSubject\": []}", "\u{FEFF}{}", "{\"$schema\": null}",
    ])
    func tinyDocumentsOfEveryKind(_ text: String) {
        for kind in DocumentKind.allCases {
            _ = engine.check(SyntaxTree(parsing: text), path: "t.json", kind: kind)
        }
    }

    /// Values of the wrong JSON type everywhere a rule reads: objects where strings are expected and back.
    @Test func wrongTypesEverywhere() throws {
        let text = String(
            decoding: try readFile(Self.examples.appendingPathComponent("good-credential.jsonld").path), as: UTF8.self)
        let swapped = text.replacingOccurrences("\"en\": \"", "\"en\": [\"").replacingOccurrences(
            "\"point\": \"5\"", "\"point\": {\"a\": 1}"
        )
        .replacingOccurrences("\"id\": \"urn:epass:org:exampleton\"", "\"id\": [1, 2]")
        _ = engine.check(SyntaxTree(parsing: swapped), path: "w.jsonld")
        let deep =
            "{\"type\": \"EuropeanDigitalCredential\", \"credentialSubject\": "
            + String(repeating: "{\"hasClaim\": ", count: 3000)
            + "1" + String(repeating: "}", count: 3001)
        _ = engine.check(SyntaxTree(parsing: deep), path: "d.jsonld")
    }

    /// One engine checks on several threads at once with the same results as one after the other.
    @Test func oneEngineManyThreads() throws {
        let names = try ExampleFindings.files()
        let trees = try names.map { SyntaxTree(parsing: try readFile(Self.examples.appendingPathComponent($0).path)) }
        let sequential = zip(names, trees).map { engine.check($1, path: $0) }
        let box = Results(count: trees.count)
        DispatchQueue.concurrentPerform(iterations: trees.count * 2) { i in
            let k = i % trees.count
            box.set(k, engine.check(trees[k], path: names[k]))
        }
        #expect(box.all == sequential)
    }
}

/// Written by concurrentPerform iterations under a lock.
final class Results: @unchecked Sendable {
    private var values: [[Finding]]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: [], count: count) }
    func set(_ i: Int, _ v: [Finding]) { lock.withLock { values[i] = v } }
    var all: [[Finding]] { lock.withLock { values } }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String { replacingOccurrences(of: a, with: b) }
}

@Suite struct FixTests {
    static let examples = packageRoot.appendingPathComponent("Schemas/examples")

    /// A skeleton inserted into an object keeps the document valid JSON, indented like its neighbours,
    /// and turns "missing" into "empty" (the author fills it in).
    @Test func insertingASkeleton() throws {
        let tree = SyntaxTree(
            parsing: try readFile(Self.examples.appendingPathComponent("learning-opportunity-LO-01-no-title.jsonld").path))
        let finding = try #require(engine.check(tree, path: "lo.jsonld").first { $0.code == "LO-01" })
        let fixed = SyntaxTree(parsing: apply(try #require(finding.fix).edits, to: tree.bytes))
        #expect(fixed.diagnostics.isEmpty)
        #expect(
            String(decoding: fixed.bytes.prefix(40), as: UTF8.self).hasPrefix("{\n  \"title\": {\"en\": \"\"},\n  \"@context\""))
        let after = engine.check(fixed, path: "lo.jsonld").filter { $0.code == "LO-01" }
        #expect(after.map(\.message) == ["Title of the learning opportunity: the `title` is empty"])
    }

    /// Every choice of every fix on every example applies cleanly: the result is still valid JSON.
    @Test func everyFixOnTheExamplesKeepsValidJSON() throws {
        for name in try ExampleFindings.files() {
            let tree = SyntaxTree(parsing: try readFile(Self.examples.appendingPathComponent(name).path))
            for f in engine.check(tree, path: name) {
                guard let fix = f.fix else { continue }
                for edits in [fix.edits] + fix.choices.map(\.edits) where !edits.isEmpty {
                    let result = SyntaxTree(parsing: apply(edits, to: tree.bytes))
                    #expect(!result.hasErrors, "\(name) \(f.code) \(fix.title)")
                }
            }
        }
    }

    @Test func allowedValuesFromTheSchemaBecomeChoices() throws {
        let text = String(decoding: try readFile(Self.examples.appendingPathComponent("good.agreement.json").path), as: UTF8.self)
            .replacingOccurrences("\"decision\": \"automatic\"", "\"decision\": \"automatically\"")
        let f = try #require(engine.check(SyntaxTree(parsing: text), path: "a.agreement.json").first { $0.code == "AG-02" })
        #expect(f.fix?.choices.map(\.json) == ["\"automatic\"", "\"caseByCase\""])
    }
}
