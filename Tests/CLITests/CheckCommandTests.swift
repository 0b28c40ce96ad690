import Foundation
import Testing

/// `eccoe check`, run as a subprocess.
@Suite struct CheckCommandTests {
    func run(_ args: [String], in dir: URL? = nil) throws -> CommandRunner.Result { try CommandRunner.run(args, in: dir) }

    static func example(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: CommandRunner.packageRoot.appendingPathComponent("Schemas/examples/\(name)")))
    }

    @Test func theExamplesFolderReportsFindingsAndExitsOne() throws {
        let r = try run(["check", "--today", "2026-11-29", "Schemas/examples"])
        #expect(r.status == 1, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "Schemas/examples/credential-DQ-08-MC-21-lookalike-key.jsonld:74:5: error: DQ-08 No look-alike characters in keys: "
                    + "the key `eIDASΙdentifier` contains `Ι` (U+0399 GREEK CAPITAL LETTER IOTA), which looks like ASCII; processors read it as a "
                    + "property other than `eIDASIdentifier`"))
        #expect(
            lines.contains {
                $0.hasPrefix("Schemas/examples/agreement-AG-07-more-credits-than-awarded.agreement.json:151:28: error: AG-07 ")
            })
        #expect(
            lines.contains {
                $0.hasPrefix("Schemas/examples/credential-MC-22-certificate-of-participation.jsonld:201:17: info: MC-22 ")
            })
        #expect(!lines.contains { $0.hasPrefix("Schemas/examples/good") }, "good examples have no findings")
        // Every line has the stable shape path:line:column: severity: ID message.
        // (A file that is no document says so once, with the code `unknown-kind`.)
        let shape = #/^[^:]+:\d+:\d+: (error|warning|info): ([A-Z]{2}-\d\d|unknown-kind) .+$/#
        for line in lines { #expect(line.wholeMatch(of: shape) != nil, "\(line)") }
        #expect(r.stderr.contains("eccoe check: 76 files"))
        #expect(
            lines.contains {
                $0.hasPrefix("Schemas/examples/expected-findings.json:1:1: info: unknown-kind Not checked against the criteria: ")
            })
    }

    @Test func goodDocumentsExitZero() throws {
        let r = try run([
            "check", "Schemas/examples/good-credential.jsonld", "Schemas/examples/good-learning-opportunity.jsonld",
            "Schemas/examples/good.agreement.json", "Schemas/examples/good.consultation.json",
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func warningsAloneExitZero() throws {
        let r = try run(["check", "Schemas/examples/credential-DQ-03-workload-in-months.jsonld"])
        #expect(r.status == 0)
        #expect(r.stdout.contains(": warning: DQ-03 "))
    }

    @Test func referencedFilesAreReadFromDiskWhenNotGiven() throws {
        let r = try run(["check", "Schemas/examples/agreement-AG-05-references-failing-learning-opportunity.agreement.json"])
        #expect(r.status == 1)
        #expect(r.stdout.contains(": error: AG-05 ") && r.stdout.contains("LO-08 Learning outcomes"))
    }

    @Test func problemsGetOneLineEachAndTheRestIsStillChecked() throws {
        let big = Array("[\(String(repeating: "1,", count: 60))1]".utf8)
        let dir = try CommandRunner.temporaryDirectory([
            "good-credential.jsonld": try Self.example("good-credential.jsonld"),
            "binary.json": [0x7B, 0x00, 0x7D],
            "big.json": big,
            "syntax.json": Array(#"{"type": "LearningOpportunity", "title": }"#.utf8),
        ])
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty/sub"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: dir.appendingPathComponent("empty/sub/readme.txt"))
        let limit = try Self.example("good-credential.jsonld").count
        let r = try run(
            [
                "check", "--max-file-size", "100", "good-credential.jsonld", "binary.json", "big.json", "syntax.json", "empty",
                "missing.json",
            ], in: dir)
        #expect(r.status == 2)
        let errors = r.stderr.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("eccoe check:") }
        #expect(
            errors.sorted() == [
                "big.json: error: cannot read: file is \(big.count) bytes, over the limit of 100 bytes",
                "binary.json: error: binary file (it contains NUL bytes), not a JSON document; skipped",
                "empty: error: no .json or .jsonld documents in this folder",
                "good-credential.jsonld: error: cannot read: file is \(limit) bytes, over the limit of 100 bytes",
                "missing.json: error: cannot read: No such file or directory",
            ])
        #expect(r.stdout.contains("syntax.json:1:42: error: expected-value "), "\(r.stdout)")
        #expect(!r.stdout.contains("syntax.json:1:42: error: LO-01"), "the parser's error is not reported again by a rule")
    }

    /// The size limit: a file of exactly the limit is read, one byte more is not.
    @Test func sizeLimitIsInclusive() throws {
        let text = Array(#"{"a": 1}"#.utf8)
        let dir = try CommandRunner.temporaryDirectory(["a.json": text])
        #expect(try run(["check", "--max-file-size", "\(text.count)", "a.json"], in: dir).status == 0)
        #expect(try run(["check", "--max-file-size", "\(text.count - 1)", "a.json"], in: dir).status == 2)
    }

    @Test func jsonOutputCarriesRangesAndFixes() throws {
        let r = try run(["check", "--format", "json", "Schemas/examples/credential-DQ-03-workload-in-months.jsonld"])
        #expect(r.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(object["catalogueVersion"] as? String == "1.4.0")
        let file = try #require((object["files"] as? [[String: Any]])?.first)
        #expect(file["kind"] as? String == "credential")
        let finding = try #require((file["findings"] as? [[String: Any]])?.first)
        #expect(finding["criterion"] as? String == "DQ-03")
        #expect(finding["severity"] as? String == "warning")
        #expect(finding["line"] as? Int == 795 && finding["column"] as? Int == 35)
        let fix = try #require(finding["fix"] as? [String: Any])
        #expect((fix["edits"] as? [[String: Any]])?.first?["newText"] as? String == "\"PT60H\"")
        #expect((fix["choices"] as? [[String: Any]])?.count == 2)
    }

    @Test func sarifForCodeScanning() throws {
        let r = try run([
            "check", "--format", "sarif", "Schemas/examples/credential-MC-06-no-learning-outcomes.jsonld",
            "Schemas/examples/credential-MC-22-certificate-of-participation.jsonld",
        ])
        #expect(r.status == 1)
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(sarif["version"] as? String == "2.1.0")
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.count == 77)
        #expect(rules.first?["id"] as? String == "MC-01")
        #expect((rules.first?["shortDescription"] as? [String: Any])?["text"] as? String == "Identification of the learner")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["ruleId"] as? String } == ["MC-06", "MC-22"])
        #expect(results.map { $0["level"] as? String } == ["error", "note"])
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
            let location = try #require((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
            let uri = (location["artifactLocation"] as? [String: Any])?["uri"] as? String
            #expect(uri?.hasPrefix("Schemas/examples/credential-MC-") == true)
            let region = try #require(location["region"] as? [String: Int])
            #expect(region["startLine"]! >= 1 && region["startColumn"]! >= 1)
        }
    }

    @Test func usageErrors() throws {
        #expect(try run(["check"]).status == 2)
        #expect(try run(["check", "--format", "xml", "x.json"]).stderr.contains("--format must be"))
        #expect(try run(["check", "--today", "tomorrow", "x.json"]).status == 2)
        #expect(try run(["check", "--help"]).stdout.contains("usage: eccoe check"))
    }
}

@Suite struct CriteriaCommandTests {
    @Test func markdownListsEveryCriterion() throws {
        let r = try CommandRunner.run(["criteria"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("# ECCOE quality criteria"))
        #expect(r.stdout.contains("| MC-07 | Notional workload | mandatory | credential |"))
        #expect(r.stdout.contains("### DQ-08 No look-alike characters in keys"))
        let headings = r.stdout.split(separator: "\n").filter { $0.hasPrefix("### ") }
        #expect(headings.count == 77)
    }

    @Test func jsonIsTheEmbeddedCatalogue() throws {
        let r = try CommandRunner.run(["criteria", "--format", "json"])
        #expect(r.status == 0)
        let onDisk = try String(
            contentsOf: CommandRunner.packageRoot.appendingPathComponent("Schemas/criteria.json"), encoding: .utf8)
        #expect(
            r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == onDisk.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try CommandRunner.run(["criteria", "--format", "yaml"]).status == 2)
    }
}
