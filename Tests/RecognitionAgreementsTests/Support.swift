import Criteria
import Foundation
import JSONSyntax
import RecognitionAgreements

/// The repository root (this file is Tests/RecognitionAgreementsTests/Support.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// One engine, with a fixed day so that signature dates do not depend on the clock.
let engine: CriteriaEngine = {
    do {
        return try CriteriaEngine(options: CheckOptions(today: CalendarDate(year: 2026, month: 11, day: 29)))
    } catch {
        fatalError("the embedded schemas do not compile: \(error)")
    }
}()

/// The example learning opportunity's text (Schemas/examples/good-learning-opportunity.jsonld).
let goodLearningOpportunity: String = {
    let url = packageRoot.appendingPathComponent("Schemas/examples/good-learning-opportunity.jsonld")
    return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
}()

extension String {
    func replacing(_ a: String, _ b: String) -> String { replacingOccurrences(of: a, with: b) }
}

/// A learning opportunity's text in a workspace: its path and text.
struct Document {
    var path: String
    var text: String
    var tree: SyntaxTree { SyntaxTree(parsing: text) }
}

/// Drafts from documents in a folder `ws/` (the draft is `ws/agreements/draft.agreement.json`), checks the draft
/// with the documents as its workspace, and returns what each step gave.
struct Drafted {
    var result: AgreementDraft.Result
    var tree: SyntaxTree
    var findings: [Finding]
    var status: AgreementStatus?

    static let agreementPath = "/ws/agreements/draft.agreement.json"

    init(_ documents: [Document], name: String = "Hochschule Musterstadt", country: String = "DEU") throws {
        var opportunities: [(path: String, summary: LearningOpportunitySummary)] = []
        for d in documents { opportunities.append((d.path, try LearningOpportunitySummary(reading: d.tree, path: d.path))) }
        let request = AgreementDraftRequest(
            opportunities: opportunities, recognisingName: name,
            recognisingCountry: "http://publications.europa.eu/resource/authority/country/" + country,
            agreementPath: Self.agreementPath, validFrom: CalendarDate(year: 2027, month: 9, day: 1))
        result = AgreementDraft.make(request)
        tree = SyntaxTree(parsing: result.text)
        var workspace: [String: SyntaxTree] = [Self.agreementPath: tree]
        for d in documents { workspace[d.path] = d.tree }
        findings = engine.checkWorkspace(workspace)[Self.agreementPath] ?? []
        status = engine.agreementStatus(tree, path: Self.agreementPath, findings: findings)
    }

    var errors: [String] { findings.filter { $0.severity == .error }.map(\.code) }
    var codes: Set<String> { Set(findings.map(\.code)) }
}
