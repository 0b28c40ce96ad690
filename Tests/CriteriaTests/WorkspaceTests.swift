import Foundation
import JSONSyntax
import Testing

@testable import Criteria

@Suite struct WorkspaceTests {
    static let folder = "Schemas/examples"

    func tree(_ name: String) throws -> SyntaxTree {
        SyntaxTree(parsing: try readFile(packageRoot.appendingPathComponent("\(Self.folder)/\(name)").path))
    }

    @Test func referencesAreResolvedAgainstTheAgreementsFolder() throws {
        let good = try tree("good.agreement.json")
        #expect(
            engine.references(of: good, path: "Schemas/examples/good.agreement.json") == [
                "Schemas/examples/good-learning-opportunity.jsonld"
            ])
        #expect(engine.references(of: good, path: "/a/b/../c/x.agreement.json") == ["/a/c/good-learning-opportunity.jsonld"])
        let absolute = try tree("agreement-AG-03-absolute-path.agreement.json")
        #expect(engine.references(of: absolute, path: "x.agreement.json") == [], "an invalid path is not followed")
        #expect(engine.references(of: try tree("good-credential.jsonld"), path: "good-credential.jsonld") == [])
    }

    @Test(arguments: [
        ("a/b.json", true), ("../x/y.jsonld", true), ("/abs.json", false), ("C:/x.json", false), ("https://x/y.json", false),
        ("a\\b.json", false), ("", false), ("dir/with:colon.json", true),
    ])
    func relativePaths(_ path: String, _ valid: Bool) { #expect(RelativePath.isValid(path) == valid) }

    @Test func normalisation() {
        #expect(RelativePath.normalise("a/./b//c/../d") == "a/b/d")
        #expect(RelativePath.normalise("../../a") == "../../a")
        #expect(RelativePath.normalise("/../a") == "/a")
        #expect(RelativePath.normalise("./") == ".")
    }

    /// The workspace pass for one agreement, with the referenced learning opportunity present, missing,
    /// of the wrong id, and awarding fewer credits.
    @Test func agreementAgainstItsLearningOpportunity() throws {
        let agreement = try tree("good.agreement.json")
        let lo = try tree("good-learning-opportunity.jsonld")
        let path = "ws/good.agreement.json"
        #expect(
            engine.workspaceFindings(forAgreement: agreement, path: path, documents: ["ws/good-learning-opportunity.jsonld": lo])
                .isEmpty)
        #expect(
            engine.workspaceFindings(
                forAgreement: agreement, path: path, documents: ["./ws/./good-learning-opportunity.jsonld": lo]
            ).isEmpty)
        #expect(engine.workspaceFindings(forAgreement: agreement, path: path, documents: [:]).map(\.code) == ["AG-04"])
        let credential = try tree("good-credential.jsonld")
        let wrongKind = engine.workspaceFindings(
            forAgreement: agreement, path: path, documents: ["ws/good-learning-opportunity.jsonld": credential])
        #expect(wrongKind.map(\.code) == ["AG-04"])
        #expect(wrongKind.first?.message.contains("is a credential, not a learning opportunity") == true)
        let otherID = SyntaxTree(
            parsing: String(decoding: lo.bytes, as: UTF8.self).replacingOccurrences(
                "urn:eccoe:lo:exampleton:rdm-2026", "urn:other"))
        let idFinding = engine.workspaceFindings(
            forAgreement: agreement, path: path, documents: ["ws/good-learning-opportunity.jsonld": otherID])
        #expect(idFinding.map(\.code) == ["AG-04"])
        #expect(idFinding.first?.fix?.edits.map(\.newText) == ["\"urn:other\""])
        let fewer = SyntaxTree(
            parsing: String(decoding: lo.bytes, as: UTF8.self).replacingOccurrences("\"point\": \"5\"", "\"point\": \"4\""))
        let credits = engine.workspaceFindings(
            forAgreement: agreement, path: path, documents: ["ws/good-learning-opportunity.jsonld": fewer])
        #expect(credits.map(\.code).contains("AG-07"))
        #expect(credits.first { $0.code == "AG-07" }?.fix?.edits.map(\.newText) == ["4"])
    }

    @Test func checkWorkspaceReturnsEveryDocumentsFindings() throws {
        let docs = [
            "w/good.agreement.json": try tree("agreement-AG-05-references-failing-learning-opportunity.agreement.json"),
            "w/learning-opportunity-LO-08-no-learning-outcomes.jsonld": try tree(
                "learning-opportunity-LO-08-no-learning-outcomes.jsonld"),
        ]
        let result = engine.checkWorkspace(docs)
        #expect(result["w/good.agreement.json"]?.map(\.code) == ["AG-05"])
        #expect(result["w/learning-opportunity-LO-08-no-learning-outcomes.jsonld"]?.map(\.code) == ["LO-08"])
        #expect(result["w/good.agreement.json"]?.first?.message.contains("LO-08 Learning outcomes") == true)
    }
}
