import Criteria
import Foundation
import JSONSyntax
import Testing

/// The European Commission's real documents (copied under Tests/Resources/samples), with the findings we expect.
@Suite struct SampleTests {
    static let samples = packageRoot.appendingPathComponent("Tests/Resources/samples")

    func check(_ name: String) throws -> (SyntaxTree, [Finding]) {
        let path = Self.samples.appendingPathComponent(name).path
        let tree = SyntaxTree(parsing: try readFile(path))
        return (tree, engine.check(tree, path: path))
    }

    /// The EC minimal sample: the look-alike key `eIDASΙdentifier` (Greek capital iota), so the issuer has no
    /// `eIDASIdentifier` (added at sealing: one information finding on this unsigned credential), the EDC
    /// profile's missing `individualDisplay`, a claim without specification (so each Annex I element of the
    /// specification is missing), and date-times without a time zone.
    @Test func minimalECSample() throws {
        let (tree, findings) = try check("ec-credential-sample-minimal.jsonld")
        #expect(
            summary(findings, tree) == [
                "1:1 MC-21", "18:22 MC-21", "21:14 DQ-09", "58:5 DQ-08",
                "103:17 MC-06", "103:17 MC-07", "103:17 MC-08", "103:17 MC-09", "103:17 MC-10", "103:17 MC-11",
                "103:17 MC-17", "103:17 MC-18", "103:17 MC-19", "103:17 MC-12", "103:17 MC-15", "103:17 MC-16",
                "150:19 DQ-05", "151:13 DQ-05", "152:21 DQ-05", "153:16 DQ-05", "154:17 DQ-05",
            ])
        let lookalike = try #require(findings.first { $0.code == "DQ-08" })
        #expect(lookalike.message.contains("U+0399 GREEK CAPITAL LETTER IOTA"))
        #expect(lookalike.message.contains("`eIDASIdentifier`"))
        #expect(lookalike.severity == .error)
        // The fix renames the key; checked again, the look-alike and the missing `eIDASIdentifier` are gone.
        let fixed = SyntaxTree(parsing: apply(try #require(lookalike.fix).edits, to: tree.bytes))
        let after = engine.check(fixed, path: "fixed.jsonld")
        #expect(!after.contains { $0.code == "DQ-08" })
        #expect(!after.contains { $0.message.contains("eIDASIdentifier") })
        #expect(summary(after, fixed).contains("18:22 MC-21"))
        #expect(findings.first?.severity == .information)
    }

    /// The EC certificate of participation: a LearningActivity claim (one information finding instead of
    /// the micro-credential criteria), the `P2M` workload of a webinar, and, as it is unsigned, no `issued`
    /// date and no issuer `eIDASIdentifier` (added at sealing: one information finding). No error: the EC's
    /// own document is valid. The file is one line long.
    @Test func certificateOfParticipation() throws {
        let (tree, findings) = try check("ec-Sample-CertOfPart-unsigned.jsonld")
        #expect(summary(findings, tree) == ["1:1 MC-21", "1:53751 MC-22", "1:81213 DQ-03"])
        #expect(!findings.contains { $0.severity == .error })
        #expect(findings.first?.message.contains("added when the credential is sealed") == true)
        let note = try #require(findings.first { $0.code == "MC-22" })
        #expect(note.severity == .information)
        #expect(note.message.contains("LearningActivity"))
        #expect(
            note.message.contains(
                "MC-06, MC-07, MC-08, MC-09, MC-10, MC-11, MC-12, MC-13, MC-14, MC-15, MC-16, MC-17, MC-18, MC-19, MC-20"))
        let workload = try #require(findings.first { $0.code == "DQ-03" })
        #expect(String(decoding: tree.bytes[workload.range], as: UTF8.self) == "\"P2M\"")
        #expect(workload.severity == .warning)
        #expect(workload.message.contains("P2M means 2 months"))
        #expect(workload.fix?.edits.map(\.newText) == ["\"PT2H\""])
        #expect(workload.fix?.choices.map(\.json) == ["\"PT2H\"", "\"PT2M\""])
    }

    /// The MyNextID files are an input-field map, JSON Schemas and an Open Badges 3.0 credential: not kinds
    /// ECCOE checks, so they get syntax checks only, and they are valid JSON.
    @Test func otherSamplesGetSyntaxChecksOnly() throws {
        for name in [
            "mynextid-edc-microcredential-input-fields-to-credential-map.json", "mynextid-edc-microcredential-schema.json",
            "mynextid-microcredential-input-fields-example.json", "mynextid-microcredential-input-fields-schema.json",
            "mynextid-ob3-microcredential-example.json",
        ] {
            let (tree, findings) = try check(name)
            #expect(engine.kind(of: tree, path: name) == nil, "\(name)")
            #expect(findings.isEmpty, "\(name)")
            #expect(engine.reasonForNoKind(tree).hasSuffix("JSON syntax checked only"))
        }
    }
}

/// Applies non-overlapping edits (byte ranges in the original) to bytes.
func apply(_ edits: [FixEdit], to bytes: [UInt8]) -> [UInt8] {
    var out = bytes
    for e in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
        out.replaceSubrange(e.range, with: Array(e.newText.utf8))
    }
    return out
}
