import Foundation
import Testing

/// `eccoe agreement new` and `render` as users run them.
@Suite struct AgreementCommandTests {
    static let lo = CommandRunner.packageRoot.appendingPathComponent("Schemas/examples/good-learning-opportunity.jsonld").path

    /// A folder with the example learning opportunity under `catalogue/`.
    static func workspace() throws -> URL {
        let dir = try CommandRunner.temporaryDirectory([:])
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("catalogue"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: lo, toPath: dir.appendingPathComponent("catalogue/rdm.jsonld").path)
        return dir
    }

    static let newArguments = [
        "agreement", "new", "--issuing", "catalogue/rdm.jsonld", "--recognising-name", "Hochschule Musterstadt",
        "--recognising-country", "DEU", "--valid-from", "2027-09-01",
    ]

    @Test func newWritesADraftThatChecksWithOnlyThePendingSignaturesAsErrors() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CommandRunner.run(Self.newArguments + ["--out", "agreements/musterstadt.agreement.json"], in: dir)
        // The folder does not exist yet: that is an I/O error, and nothing is written.
        #expect(r.status == 2 && r.stderr.contains("cannot write agreements/musterstadt.agreement.json"), "\(r.stderr)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("agreements"), withIntermediateDirectories: true)
        let w = try CommandRunner.run(Self.newArguments + ["--out", "agreements/musterstadt.agreement.json"], in: dir)
        #expect(w.status == 0, "\(w.stderr)")
        #expect(w.stdout.isEmpty)
        #expect(
            w.stderr.contains("wrote agreements/musterstadt.agreement.json (1 learning opportunity, 14 placeholders to fill in"))
        let draft = try String(contentsOf: dir.appendingPathComponent("agreements/musterstadt.agreement.json"), encoding: .utf8)
        #expect(draft.contains(#""path": "../catalogue/rdm.jsonld""#))
        let check = try CommandRunner.run(["check", "--today", "2026-11-29", "agreements/musterstadt.agreement.json"], in: dir)
        #expect(check.status == 1)
        let errors = check.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 1 && errors[0].contains(": error: AG-13 "), "\(check.stdout)")
        #expect(
            check.stderr.contains(
                "agreements/musterstadt.agreement.json: draft (14 placeholders to fill in; awaiting the signature of university-of-exampleton, hochschule-musterstadt; valid 2027-09-01 to 2030-08-31)"
            ))
        // An existing draft is kept unless --force.
        let again = try CommandRunner.run(Self.newArguments + ["--out", "agreements/musterstadt.agreement.json"], in: dir)
        #expect(again.status == 2 && again.stderr.contains("exists; choose another --out, or add --force"))
        #expect(
            try CommandRunner.run(Self.newArguments + ["--out", "agreements/musterstadt.agreement.json", "--force"], in: dir)
                .status == 0)
    }

    @Test func theDraftRoundTripsThroughCheckJSONWithStableIDs() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try CommandRunner.run(Self.newArguments, in: dir)
        let second = try CommandRunner.run(Self.newArguments, in: dir)
        #expect(first.status == 0 && !first.stdout.isEmpty)
        #expect(first.stdout == second.stdout, "the same input gives the same bytes")
        try Data(first.stdout.utf8).write(to: dir.appendingPathComponent("a.agreement.json"))
        try Data(second.stdout.utf8).write(to: dir.appendingPathComponent("b.agreement.json"))
        let r = try CommandRunner.run(
            ["check", "--today", "2026-11-29", "--format", "json", "a.agreement.json", "b.agreement.json", "catalogue"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        func summary(_ path: String) -> [String] {
            let file = files.first { $0["path"] as? String == path }
            return ((file?["findings"] as? [[String: Any]]) ?? []).map { "\($0["line"]!):\($0["column"]!) \($0["code"]!)" }
        }
        #expect(summary("a.agreement.json") == summary("b.agreement.json"))
        #expect(Set(summary("a.agreement.json").map { $0.split(separator: " ").last! }) == ["AG-13", "AG-17", "AG-21"])
        let agreement = files.first { $0["path"] as? String == "a.agreement.json" }?["agreement"] as? [String: Any]
        #expect(agreement?["state"] as? String == "draft" && agreement?["placeholders"] as? Int == 14)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(
            (parsed["id"] as? String)?.hasPrefix("urn:eccoe:agreement:university-of-exampleton-hochschule-musterstadt:2027:")
                == true)
        let entry = (parsed["learningOpportunities"] as? [[String: Any]])?.first
        #expect(
            entry?["id"] as? String == "urn:eccoe:lo:exampleton:rdm-2026" && entry?["path"] as? String == "catalogue/rdm.jsonld")
    }

    @Test(arguments: [
        (["agreement"], "missing `new` or `render`"),
        (["agreement", "sign"], "unknown action `sign`"),
        (["agreement", "new", "--recognising-name", "X", "--recognising-country", "DEU"], "missing --issuing LO_FILE"),
        (["agreement", "new", "--issuing", "a.jsonld", "--recognising-country", "DEU"], "missing --recognising-name NAME"),
        (
            ["agreement", "new", "--issuing", "a.jsonld", "--recognising-name", " ", "--recognising-country", "DEU"],
            "missing --recognising-name NAME"
        ),
        (["agreement", "new", "--issuing", "a.jsonld", "--recognising-name", "X"], "missing --recognising-country"),
        (
            ["agreement", "new", "--issuing", "a.jsonld", "--recognising-name", "X", "--recognising-country", "DE"],
            "ISO 3166-1 alpha-3 code such as DEU"
        ),
        (["agreement", "new", "--issuing", "a.jsonld", "--recognising-name", "X", "--recognising-country", "XXX"], "not `XXX`"),
        (
            [
                "agreement", "new", "--issuing", "a.jsonld", "--recognising-name", "X", "--recognising-country", "DEU",
                "--valid-from", "2027-13-01",
            ], "--valid-from needs a date"
        ),
        (
            [
                "agreement", "new", "--issuing", "a.jsonld", "--recognising-name", "X", "--recognising-country", "DEU",
                "--frobnicate",
            ], "unknown option --frobnicate"
        ),
        (["agreement", "new", "stray", "--issuing", "a.jsonld"], "unexpected argument `stray`"),
        (
            [
                "agreement", "new", "--issuing", "a.jsonld", "--recognising-name", "X", "--recognising-country", "DEU",
                "--force=yes",
            ], "takes no value"
        ),
    ])
    func usageErrorsAreOneClearLineAndExitTwo(_ arguments: [String], _ message: String) throws {
        let r = try CommandRunner.run(arguments)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("eccoe agreement: ") == true && lines.first?.contains(message) == true, "\(r.stderr)")
        #expect(lines.count == 3 && lines[1].hasPrefix("usage: eccoe agreement new"), "the usage lines follow the message")
    }

    @Test func unusableLearningOpportunitiesStopTheDraftWithOneLineEach() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let credential = CommandRunner.packageRoot.appendingPathComponent("Schemas/examples/good-credential.jsonld").path
        try Data("{\"type\": \"LearningOpportunity\"}".utf8).write(to: dir.appendingPathComponent("noid.jsonld"))
        try Data("{\"type\": ".utf8).write(to: dir.appendingPathComponent("broken.jsonld"))
        let r = try CommandRunner.run(
            [
                "agreement", "new", "--issuing", "catalogue/rdm.jsonld", credential, "noid.jsonld", "broken.jsonld",
                "missing.jsonld",
                "catalogue/rdm.jsonld", "--recognising-name", "X", "--recognising-country", "DEU", "--out", "x.agreement.json",
            ], in: dir)
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "\(credential): error: is a credential, not a learning opportunity (an ELM `LearningOpportunity` document)"),
            "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("noid.jsonld: error: has no top-level `id`") })
        #expect(lines.contains { $0.hasPrefix("broken.jsonld: error: not valid JSON: ") })
        #expect(lines.contains("missing.jsonld: error: cannot read: No such file or directory"))
        #expect(lines.contains { $0.hasPrefix("catalogue/rdm.jsonld: error: has the same id as catalogue/rdm.jsonld") })
        #expect(lines.count == 5)
        #expect(
            !FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.agreement.json").path), "nothing is written")
    }

    @Test func notesSayWhatTheDraftCouldNotCarryOver() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = try String(contentsOfFile: Self.lo, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"learningOutcome\": [", with: "\"learningOutcomeX\": [")
        try Data(text.utf8).write(to: dir.appendingPathComponent("catalogue/rdm.jsonld"))
        let r = try CommandRunner.run(Self.newArguments, in: dir)
        #expect(r.status == 0)
        #expect(
            r.stderr.contains(
                "note: catalogue/rdm.jsonld: no learning outcomes: the coverage of the module's outcomes cannot be mapped"),
            "\(r.stderr)")
    }

    @Test func renderWritesOneSelfContainedFileAndSaysWhatIsOpen() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CommandRunner.run(Self.newArguments + ["--out", "draft.agreement.json"], in: dir).status == 0)
        let r = try CommandRunner.run(["agreement", "render", "draft.agreement.json", "--out", "draft.html"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: draft.agreement.json: 14 placeholders to fill in"))
        #expect(r.stderr.contains("eccoe agreement render: wrote draft.html"))
        let html = try String(contentsOf: dir.appendingPathComponent("draft.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("11. Signatures") && !html.contains("<script"))
        let good = CommandRunner.packageRoot.appendingPathComponent("Schemas/examples/good.agreement.json").path
        let signed = try CommandRunner.run(["agreement", "render", good, "--out", "good.html"], in: dir)
        #expect(signed.status == 0 && !signed.stderr.contains("note:"), "\(signed.stderr)")
        let again = try CommandRunner.run(["agreement", "render", good, "--out", "good2.html"], in: dir)
        #expect(again.status == 0)
        #expect(
            try Data(contentsOf: dir.appendingPathComponent("good.html"))
                == Data(contentsOf: dir.appendingPathComponent("good2.html")))
    }

    @Test func renderRefusesWhatIsNotAnAgreementWithOneLine() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("{\n  \"id\": ,\n}".utf8).write(to: dir.appendingPathComponent("broken.agreement.json"))
        let cases: [([String], String)] = [
            (
                ["agreement", "render", "broken.agreement.json", "--out", "x.html"],
                "broken.agreement.json:2:9: error: not valid JSON: "
            ),
            (
                ["agreement", "render", "catalogue/rdm.jsonld", "--out", "x.html"],
                "catalogue/rdm.jsonld: error: not a recognition agreement"
            ),
            (
                ["agreement", "render", "missing.agreement.json", "--out", "x.html"],
                "missing.agreement.json: error: cannot read: No such file or directory"
            ),
            (["agreement", "render", "catalogue", "--out", "x.html"], "catalogue: error: cannot read: is a directory"),
        ]
        for (arguments, message) in cases {
            let r = try CommandRunner.run(arguments, in: dir)
            #expect(r.status == 2 && r.stderr.hasPrefix(message) && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.html").path))
        let usage = try CommandRunner.run(["agreement", "render", "a.agreement.json"], in: dir)
        #expect(usage.status == 2 && usage.stderr.hasPrefix("eccoe agreement: missing --out FILE.html"))
        let two = try CommandRunner.run(
            ["agreement", "render", "a.agreement.json", "b.agreement.json", "--out", "x.html"], in: dir)
        #expect(two.status == 2 && two.stderr.contains("render takes one agreement"))
    }

    /// Learning-opportunity files are read up to the named limit (`AgreementCommand.maxInputSize`, 32 MiB).
    @Test func inputsAtTheSizeLimitAreReadAndOneBytePastAreNot() throws {
        let dir = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let limit = 32 << 20
        var text = Array(try String(contentsOfFile: Self.lo, encoding: .utf8).utf8)
        text += [UInt8](repeating: 0x20, count: limit - text.count)
        try Data(text).write(to: dir.appendingPathComponent("big.jsonld"))
        let at = try CommandRunner.run(
            ["agreement", "new", "--issuing", "big.jsonld", "--recognising-name", "X", "--recognising-country", "DEU"], in: dir)
        #expect(at.status == 0 && at.stdout.contains("urn:eccoe:lo:exampleton:rdm-2026"), "\(at.stderr)")
        try Data(text + [0x20]).write(to: dir.appendingPathComponent("big.jsonld"))
        let past = try CommandRunner.run(
            ["agreement", "new", "--issuing", "big.jsonld", "--recognising-name", "X", "--recognising-country", "DEU"], in: dir)
        #expect(
            past.status == 2
                && past.stderr.contains(
                    "big.jsonld: error: cannot read: file is 33554433 bytes, over the limit of 33554432 bytes"),
            "\(past.stderr)")
    }
}
