import ConsultationDomain
import Criteria
import Foundation
import JSONSyntax
import Testing

/// The collector's definition loader and the checker's CO-03 decide which criteria a section rates with one
/// rule (`ItemSelector`): for every selector below they flag the same places, and the loader rates what the
/// rule says.
@Suite struct ItemSelectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var items: String
        /// The criteria the section rates, in order; nil when the definition is refused.
        var rated: [String]?
        var testDescription: String { items }
    }

    static let cases: [Case] = [
        Case(items: #"{"criteria": ["MC-02", "MC-01"]}"#, rated: ["MC-02", "MC-01"]),
        Case(
            items: #"{"prefixes": ["AG"], "levels": ["optional"]}"#,
            rated: Catalogue.standard.criteria
                .filter { $0.id.hasPrefix("AG-") && $0.level == .optional }.map(\.id)),
        // A list and filters: the filters narrow the list, and a listed criterion they leave out is a mistake.
        Case(items: #"{"criteria": ["MC-01", "LO-01"], "prefixes": ["MC"]}"#, rated: nil),
        Case(items: #"{"criteria": ["MC-01", "MC-02"], "kinds": ["credential"]}"#, rated: ["MC-01", "MC-02"]),
        Case(items: #"{"criteria": ["MC-01", "MC-99"]}"#, rated: nil),
        Case(items: #"{"criteria": ["DQ-01"], "kinds": ["consultation"]}"#, rated: nil),
        // A kind that adds nothing to the others is a mistake, with or without a list.
        Case(items: #"{"prefixes": ["MC"], "kinds": ["credential", "consultation"]}"#, rated: nil),
        Case(items: #"{"criteria": ["MC-01"], "kinds": ["credential", "agreement"]}"#, rated: nil),
    ]

    func definition(_ items: String) -> String {
        """
        {"$schema": "consultation.schema.json", "id": "x", "title": "T", "catalogueVersion": "\(Catalogue.standard.version)",
         "timeZone": "UTC", "opensAt": "2026-04-01T00:00:00Z", "closesAt": "2026-05-01T00:00:00Z",
         "privacy": {"version": "1", "text": "We keep answers for the report only."},
         "sections": [{"id": "s", "title": "S", "items": \(items)}]}
        """
    }

    @Test(arguments: cases)
    func loaderAndCheckerAgree(_ c: Case) {
        let text = definition(c.items)
        let tree = SyntaxTree(parsing: Array(text.utf8))
        let ruleAt = Set(
            engine.check(tree, path: "x.consultation.json", kind: .consultation).filter { $0.code == "CO-03" }.map {
                let p = tree.position(of: $0.range.lowerBound, encoding: .utf8)
                return "\(p.line + 1):\(p.character + 1)"
            })
        switch ConsultationDefinition.load(Array(text.utf8)) {
        case .success(let d):
            #expect(ruleAt.isEmpty, "the loader accepts what CO-03 rejects at \(ruleAt)")
            #expect(d.sections.first?.items.map(\.id) == c.rated)
        case .failure(let errors):
            let loaderAt = Set(errors.problems.filter { $0.message.contains("CO-03") }.map { "\($0.line):\($0.column)" })
            #expect(c.rated == nil)
            #expect(!loaderAt.isEmpty && loaderAt == ruleAt, "loader \(loaderAt), CO-03 \(ruleAt)")
        }
    }

    /// CO-06 asks for the wording of the criteria a section rates as the same rule picks them: a listed criterion the
    /// filters leave out (CO-03's mistake) is not rated, so its missing French wording is not reported too.
    @Test func translationCheckCountsWhatTheSectionRates() {
        let text = definition(#"{"criteria": ["MC-01", "LO-01"], "prefixes": ["MC"]}"#)
            .replacingOccurrences(of: #""timeZone""#, with: #""languages": ["en", "fr"], "timeZone""#)
        let findings = engine.check(SyntaxTree(parsing: Array(text.utf8)), path: "x.consultation.json", kind: .consultation)
        #expect(findings.contains { $0.code == "CO-03" && $0.message.contains("LO-01") }, "\(findings.map(\.message))")
        let wording = findings.filter { $0.code == "CO-06" && $0.message.contains("rated criteria lack") }
        #expect(
            wording.count == 1
                && wording[0].message.contains("1 rated criteria lack a `fr` title or requirement under `criteria` (MC-01)"),
            "\(wording.map(\.message))")
    }
}
