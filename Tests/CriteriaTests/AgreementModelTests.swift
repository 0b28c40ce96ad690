import Foundation
import JSONSyntax
import Testing

@testable import Criteria

/// The agreement model: its criteria's sources, placeholders, signatures and status, references by id,
/// double counting and the agreement's record of the documents it covers.
@Suite struct AgreementModelTests {
    static let examples = "Schemas/examples"

    func text(_ name: String) throws -> String {
        String(decoding: try readFile(packageRoot.appendingPathComponent("\(Self.examples)/\(name)").path), as: UTF8.self)
    }

    func tree(_ name: String) throws -> SyntaxTree { SyntaxTree(parsing: try text(name)) }

    /// The good agreement with one textual change.
    func variant(_ replacing: String, _ with: String) throws -> SyntaxTree {
        let original = try text("good.agreement.json")
        #expect(original.contains(replacing), "the good agreement no longer contains \(replacing)")
        return SyntaxTree(parsing: original.replacingOccurrences(replacing, with))
    }

    @Test func everyAgreementCriterionCitesAPublicSourceNotAnInternalFile() {
        for c in Catalogue.standard.criteria where c.id.hasPrefix("AG-") {
            #expect(
                !c.source.contains(".md") && !c.source.contains("DOMAIN") && !c.source.contains("workspace check"),
                "\(c.id): \(c.source)")
            let named = [
                "Erasmus+", "Lisbon Recognition Convention", "ECTS Users' Guide 2015", "Regulation (EU) 2016/679",
                "JSON Schema", "ESG", "ECCOE O3", "JSON-LD", "Council Recommendation",
            ]
            #expect(named.contains { c.source.contains($0) }, "\(c.id) names no public instrument")
        }
        let rights = Catalogue.standard["AG-15"]!.source
        #expect(rights.contains("Art. III.3") && rights.contains("III.5") && rights.contains("VI.1"))
    }

    @Test(arguments: [
        ("[[x]]", true), ("[[]]", true), ("[[contact e-mail]]", true), ("[x]", false), ("[[x]", false), ("a [[x]]", false),
        ("", false),
    ])
    func placeholders(_ value: String, _ expected: Bool) {
        #expect(AgreementPlaceholder.isPlaceholder(value) == expected)
    }

    @Test func aPlaceholderTextIsAlwaysOnePlaceholder() {
        #expect(AgreementPlaceholder.text("name [of] the module") == "[[name of the module]]")
        #expect(AgreementPlaceholder.hint(of: "[[ e-mail ]]") == "e-mail")
        #expect(AgreementPlaceholder.hint(of: "e-mail") == nil)
    }

    @Test func placeholdersInAnyStringValueAreFoundButNotKeysOrEscapedLookAlikes() {
        let t = SyntaxTree(
            parsing: #"{"[[key]]": "[[a]]", "b": {"en": "[[b]]"}, "c": ["x", "\u005b[c]]"], "d": "[[d] ]", "e": "not [[e]]"}"#)
        #expect(AgreementPlaceholder.nodes(in: t).compactMap(\.stringValue) == ["[[a]]", "[[b]]", "[[c]]"])
    }

    @Test func aPlaceholderIsAWarningWhereverTheSchemaTakesOne() throws {
        let agreement = try variant(#""email": "anerkennung@musterstadt.example.org""#, #""email": "[[e-mail of the office]]""#)
        let withCountry = SyntaxTree(
            parsing: String(decoding: agreement.bytes, as: UTF8.self)
                .replacingOccurrences(
                    #""country": "http://publications.europa.eu/resource/authority/country/DEU""#, #""country": "[[country]]""#
                )
                .replacingOccurrences(#""creditsRecognised": 5"#, #""creditsRecognised": "[[credits]]""#))
        let findings = engine.check(withCountry, path: "a.agreement.json")
        #expect(findings.filter { $0.code == "AG-21" }.count == 3)
        // Signed with placeholders: AG-13 says the signed text is incomplete; nothing else is reported.
        #expect(Set(findings.map(\.code)) == ["AG-21", "AG-13"])
        // A wrong value that is not a placeholder is still an error.
        let wrong = try variant(#""creditsRecognised": 5"#, #""creditsRecognised": "five""#)
        #expect(engine.check(wrong, path: "a.agreement.json").contains { $0.severity == .error && $0.code == "AG-06" })
    }

    @Test func signatureBlocksWithoutADateAwaitSignature() throws {
        let blocks = try variant("},\n      \"date\": \"2026-06-22\",\n      \"place\": \"Musterstadt\"", "}")
        let f = engine.check(blocks, path: "a.agreement.json")
        #expect(f.map(\.code) == ["AG-13"])
        #expect(f.first?.message.contains("`musterstadt` has not signed yet") == true)
        let status = engine.agreementStatus(blocks, path: "a.agreement.json", findings: f)
        #expect(status?.state == .readyToSign && status?.unsignedParties == ["musterstadt"])
    }

    @Test func statusOfEachKindOfAgreement() throws {
        func status(_ t: SyntaxTree, today: CalendarDate = CalendarDate(year: 2026, month: 11, day: 29)) throws
            -> AgreementStatus?
        {
            let e = try CriteriaEngine(options: CheckOptions(today: today))
            return e.agreementStatus(t, path: "a.agreement.json", findings: e.check(t, path: "a.agreement.json"))
        }
        let good = try tree("good.agreement.json")
        #expect(try status(good)?.state == .signed)
        #expect(try status(good, today: CalendarDate(year: 2029, month: 9, day: 1))?.state == .expired)
        #expect(try status(good, today: CalendarDate(year: 2029, month: 8, day: 31))?.state == .signed)
        // Signed in the future (as of the check): not signed yet, and the date is a defect.
        let early = try status(good, today: CalendarDate(year: 2026, month: 6, day: 20))
        #expect(early?.state == .draft && early?.unsignedParties == ["musterstadt"] && early?.errors == 1)
        let unsigned = try tree("agreement-AG-13-unsigned-party.agreement.json")
        #expect(try status(unsigned)?.state == .readyToSign)
        let placeholder = try variant(#""name": "Erika Musterfrau""#, #""name": "[[name]]""#)
        #expect(try status(placeholder)?.state == .signed && status(placeholder)?.placeholders == 1)
        let unsignedWithPlaceholder = SyntaxTree(
            parsing: try text("agreement-AG-13-unsigned-party.agreement.json")
                .replacingOccurrences(#""name": "Erika Musterfrau""#, #""name": "[[name]]""#))
        #expect(try status(unsignedWithPlaceholder)?.state == .draft)
        #expect(try status(try tree("agreement-AG-15-no-learner-rights.agreement.json"))?.state == .signed)
        let noRights = SyntaxTree(
            parsing: try text("agreement-AG-13-unsigned-party.agreement.json")
                .replacingOccurrences(#""learnerRights""#, #""learnerRightsX""#))
        #expect(try status(noRights)?.state == .draft)
        let lo = try tree("good-learning-opportunity.jsonld")
        #expect(engine.agreementStatus(lo, path: "lo.jsonld", findings: []) == nil)
    }

    // MARK: References by id

    let agreementPath = "ws/agreements/x.agreement.json"

    @Test func aMovedDocumentIsFoundByItsIDWithAWarningThatOffersTheNewPath() throws {
        let agreement = try tree("good.agreement.json")
        let lo = try tree("good-learning-opportunity.jsonld")
        // The hint names ws/agreements/good-learning-opportunity.jsonld; the file is now in ws/catalogue/2026.
        let moved = engine.workspaceFindings(
            forAgreement: agreement, path: agreementPath, documents: ["ws/catalogue/2026/rdm.jsonld": lo])
        #expect(moved.map(\.code) == ["AG-20"])
        #expect(moved.first?.severity == .warning)
        #expect(moved.first?.fix?.edits.map(\.newText) == [#""../catalogue/2026/rdm.jsonld""#])
        #expect(
            engine.unresolvedReferences(of: agreement, path: agreementPath, documents: ["ws/catalogue/2026/rdm.jsonld": lo])
                .isEmpty)
        #expect(
            engine.unresolvedReferences(of: agreement, path: agreementPath, documents: [:]) == [
                "urn:eccoe:lo:exampleton:rdm-2026"
            ])
        // Without a path hint, the id alone finds it, and nothing is said.
        let noHint = try variant(#""path": "good-learning-opportunity.jsonld","#, "")
        #expect(
            engine.workspaceFindings(forAgreement: noHint, path: agreementPath, documents: ["elsewhere/rdm.jsonld": lo]).isEmpty)
        #expect(engine.workspaceFindings(forAgreement: noHint, path: agreementPath, documents: [:]).map(\.code) == ["AG-04"])
        // Another document of the same id but of another kind is not taken for it when one of the right kind exists.
        let credential = SyntaxTree(
            parsing: try text("good-credential.jsonld")
                .replacingOccurrences(
                    #""id": "urn:credential:"#, #""id": "urn:eccoe:lo:exampleton:rdm-2026", "x": "urn:credential:"#))
        let mixed = engine.workspaceFindings(
            forAgreement: noHint, path: agreementPath, documents: ["a/cred.jsonld": credential, "b/lo.jsonld": lo])
        #expect(mixed.isEmpty, "\(mixed.map(\.message))")
    }

    @Test func aHintToAnotherDocumentIsAnErrorOnlyWhenTheIDIsFoundNowhere() throws {
        let agreement = try tree("good.agreement.json")
        let lo = try tree("good-learning-opportunity.jsonld")
        let other = SyntaxTree(
            parsing: try text("good-learning-opportunity.jsonld").replacingOccurrences(
                "urn:eccoe:lo:exampleton:rdm-2026", "urn:other"))
        let atHint = "ws/agreements/good-learning-opportunity.jsonld"
        #expect(
            engine.workspaceFindings(forAgreement: agreement, path: agreementPath, documents: [atHint: other]).map(\.code) == [
                "AG-04"
            ])
        let found = engine.workspaceFindings(
            forAgreement: agreement, path: agreementPath, documents: [atHint: other, "ws/lo/rdm.jsonld": lo])
        #expect(found.map(\.code) == ["AG-20"])
    }

    @Test func theAgreementsRecordOfADocumentIsComparedWithIt() throws {
        let agreement = try tree("good.agreement.json")
        let lo = try text("good-learning-opportunity.jsonld")
        let hint = "ws/agreements/good-learning-opportunity.jsonld"
        let changed = SyntaxTree(
            parsing: lo.replacingOccurrences(#""point": "5""#, #""point": "6""#)
                .replacingOccurrences("http://data.europa.eu/snb/eqf/6", "http://data.europa.eu/snb/eqf/7")
                .replacingOccurrences("urn:epass:learningOutcome:metadata", "urn:epass:learningOutcome:metadata-2"))
        let f = engine.workspaceFindings(forAgreement: agreement, path: agreementPath, documents: [hint: changed])
        #expect(f.map(\.code) == ["AG-20", "AG-20", "AG-20"])
        #expect(f[0].fix?.edits.map(\.newText) == ["6"])
        #expect(f[1].fix?.edits.map(\.newText) == [#""http://data.europa.eu/snb/eqf/7""#])
        #expect(
            f[2].message.contains("no longer has `urn:epass:learningOutcome:metadata`")
                && f[2].message.contains("now also has `urn:epass:learningOutcome:metadata-2`"))
    }

    @Test func creditsCountOnceAcrossEquivalencesEvenWhenTheDocumentIsMissing() throws {
        let twice = try tree("agreement-AG-16-credits-counted-twice.agreement.json")
        let lo = try tree("good-learning-opportunity.jsonld")
        let hint = "ws/agreements/good-learning-opportunity.jsonld"
        let f = engine.workspaceFindings(forAgreement: twice, path: agreementPath, documents: [hint: lo])
        #expect(f.map(\.code) == ["AG-16"])
        #expect(f.first?.message.contains("5 + 3 = 8 credits across 2 equivalences, but awards 5") == true)
        // With the document missing, the credits the agreement records are the measure.
        #expect(
            engine.workspaceFindings(forAgreement: twice, path: agreementPath, documents: [:]).map(\.code).sorted() == [
                "AG-04", "AG-16",
            ])
        // 3 + 2 fits in 5.
        let fits = SyntaxTree(
            parsing: try text("agreement-AG-16-credits-counted-twice.agreement.json")
                .replacingOccurrences(#""creditsRecognised": 5"#, #""creditsRecognised": 2"#))
        #expect(engine.workspaceFindings(forAgreement: fits, path: agreementPath, documents: [hint: lo]).isEmpty)
    }

    @Test(arguments: [
        ("a/b/x.json", "a/c/y.json", "../c/y.json"), ("x.json", "y.json", "y.json"), ("a/x.json", "a/b/c/y.json", "b/c/y.json"),
        ("/r/a/x.json", "/r/y.json", "../y.json"), ("/r/x.json", "r/y.json", nil),
        ("../a/x.json", "../../y.json", "../../y.json"), ("../../x.json", "a/y.json", nil),
        ("./a/./x.json", "a/y.json", "y.json"),
    ])
    func relativePathBetweenFiles(_ base: String, _ target: String, _ expected: String?) {
        #expect(RelativePath.relative(to: target, from: base) == expected)
    }

    @Test func mayHoldFindsAnIDInTheBytes() {
        #expect(CriteriaEngine.mayHold(Array(#"{"id": "urn:x:1"}"#.utf8), anyOf: ["urn:y", "urn:x:1"]))
        #expect(!CriteriaEngine.mayHold(Array(#"{"id": "urn:x:"}"#.utf8), anyOf: ["urn:x:1"]))
        #expect(!CriteriaEngine.mayHold([], anyOf: ["a"]))
    }
}
