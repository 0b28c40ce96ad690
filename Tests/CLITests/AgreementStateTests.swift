import Foundation
import Testing

/// `eccoe check` on agreements: references found by id when files move, and each agreement's state in the
/// summary (text) and per file (JSON).
@Suite struct AgreementStateTests {
    static func example(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: CommandRunner.packageRoot.appendingPathComponent("Schemas/examples/\(name)")))
    }

    /// A folder with the good agreement, its learning opportunity moved into `catalogue/2026/`, and an unsigned copy.
    static func folder() throws -> URL {
        let dir = try CommandRunner.temporaryDirectory([
            "signed.agreement.json": try example("good.agreement.json"),
            "unsigned.agreement.json": try example("agreement-AG-13-unsigned-party.agreement.json"),
        ])
        let catalogue = dir.appendingPathComponent("catalogue/2026")
        try FileManager.default.createDirectory(at: catalogue, withIntermediateDirectories: true)
        try Data(try example("good-learning-opportunity.jsonld")).write(to: catalogue.appendingPathComponent("rdm.jsonld"))
        return dir
    }

    @Test func aMovedLearningOpportunityIsFoundInTheAgreementsFolderByItsID() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The agreement alone: its hint names ./good-learning-opportunity.jsonld, which is gone.
        let r = try CommandRunner.run(["check", "--today", "2026-11-29", "signed.agreement.json"], in: dir)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("signed.agreement.json:86:15: warning: AG-20 "), "\(r.stdout)")
        #expect(r.stdout.contains("is at `catalogue/2026/rdm.jsonld`, not at `good-learning-opportunity.jsonld`"))
        // The learning opportunity also among the PATHs: the same.
        let both = try CommandRunner.run(["check", "--today", "2026-11-29", "signed.agreement.json", "catalogue"], in: dir)
        #expect(both.status == 0 && both.stdout.contains("AG-20") && !both.stdout.contains("AG-04"))
        // Gone altogether: AG-04.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("catalogue"))
        let gone = try CommandRunner.run(["check", "--today", "2026-11-29", "signed.agreement.json"], in: dir)
        #expect(gone.status == 1 && gone.stdout.contains(": error: AG-04 "))
    }

    @Test func theSummaryListsEachAgreementsState() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var draft = String(decoding: try Self.example("agreement-AG-13-unsigned-party.agreement.json"), as: UTF8.self)
        draft = draft.replacingOccurrences(of: "\"Erika Musterfrau\"", with: "\"[[name of the contact person]]\"")
        try Data(draft.utf8).write(to: dir.appendingPathComponent("draft.agreement.json"))
        let r = try CommandRunner.run(["check", "--today", "2026-11-29", "."], in: dir)
        #expect(r.stderr.contains("agreements: 1 draft, 1 ready to sign, 1 signed, 0 expired"), "\(r.stderr)")
        #expect(
            r.stderr.contains(
                "./draft.agreement.json: draft (1 placeholder to fill in; awaiting the signature of musterstadt; valid 2026-09-01 to 2029-08-31)"
            ))
        #expect(
            r.stderr.contains(
                "./unsigned.agreement.json: ready to sign (awaiting the signature of musterstadt; valid 2026-09-01 to 2029-08-31)"
            ))
        #expect(r.stderr.contains("./signed.agreement.json: signed (valid 2026-09-01 to 2029-08-31)"))
        let later = try CommandRunner.run(["check", "--today", "2029-09-01", "signed.agreement.json"], in: dir)
        #expect(later.stderr.contains("signed.agreement.json: expired (valid 2026-09-01 to 2029-08-31)"))
        // No agreement, no agreement line.
        let none = try CommandRunner.run(["check", "catalogue"], in: dir)
        #expect(!none.stderr.contains("agreements:"))
    }

    @Test func jsonGivesTheStatePerFile() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CommandRunner.run(["check", "--today", "2026-11-29", "--format", "json", "."], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        func agreement(_ suffix: String) -> [String: Any]? {
            files.first { ($0["path"] as? String)?.hasSuffix(suffix) == true }?["agreement"] as? [String: Any]
        }
        #expect(agreement("signed.agreement.json")?["state"] as? String == "signed")
        #expect(agreement("unsigned.agreement.json")?["state"] as? String == "readyToSign")
        #expect(agreement("unsigned.agreement.json")?["unsignedParties"] as? [String] == ["musterstadt"])
        #expect(agreement("unsigned.agreement.json")?["validUntil"] as? String == "2029-08-31")
        #expect(agreement("rdm.jsonld") == nil)
    }
}

/// The named limit of the search for a referenced document in an agreement's folder
/// (`CheckCommand.maxFilesSearchedForReferences`, 10,000 files), at the limit and one past it.
@Suite struct ReferenceSearchLimitTests {
    @Test func theDocumentIsFoundAsTheLastFileSearchedAndNotOnePast() throws {
        let dir = try CommandRunner.temporaryDirectory([
            // Sorted first, so the listing is: the agreement, the fillers, then the learning opportunity.
            "0.agreement.json": try AgreementStateTests.example("good.agreement.json").replacing(
                "good-learning-opportunity.jsonld", "moved.jsonld"),
            "z.jsonld": try AgreementStateTests.example("good-learning-opportunity.jsonld"),
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let limit = 10_000
        for i in 0..<(limit - 2) {
            try Data("{}".utf8).write(to: dir.appendingPathComponent(String(format: "f%05d.json", i)))
        }
        let at = try CommandRunner.run(["check", "--today", "2026-11-29", "0.agreement.json"], in: dir)
        #expect(at.status == 0 && at.stdout.contains("AG-20") && !at.stdout.contains("AG-04"), "\(at.stdout)")
        try Data("{}".utf8).write(to: dir.appendingPathComponent("f99999.json"))
        let past = try CommandRunner.run(["check", "--today", "2026-11-29", "0.agreement.json"], in: dir)
        #expect(past.status == 1 && past.stdout.contains(": error: AG-04 "), "\(past.stdout)")
    }
}

extension Array where Element == UInt8 {
    func replacing(_ a: String, _ b: String) -> [UInt8] {
        Array(String(decoding: self, as: UTF8.self).replacingOccurrences(of: a, with: b).utf8)
    }
}
