@testable import Criteria
import Foundation
import JSONSyntax
import Testing

/// The rule registry is complete: every criterion has a machine check and an example that breaks it,
/// and the check actually reports it on that example.
@Suite struct RuleTableTests {
    let catalogue = Catalogue.standard

    @Test func everyCriterionHasAMachineCheck() {
        let document = Set(RuleTable.documentRules.map(\.criterionID))
        let workspace = Set(RuleTable.workspaceRules.map(\.criterionID))
        for c in catalogue.criteria {
            if c.isWorkspaceScoped {
                #expect(workspace.contains(c.id), "workspace criterion \(c.id) has no workspace rule")
            } else {
                #expect(document.contains(c.id), "criterion \(c.id) has no rule in RuleTable.documentRules")
            }
        }
    }

    @Test func everyRuleNamesACriterionOfTheCatalogue() {
        for rule in RuleTable.documentRules { #expect(catalogue[rule.criterionID] != nil, "\(type(of: rule))") }
        for rule in RuleTable.workspaceRules { #expect(catalogue[rule.criterionID]?.isWorkspaceScoped == true, "\(type(of: rule))") }
        let profiles = RuleTable.documentRules.compactMap { $0 as? SchemaConformanceRule }
        #expect(Set(profiles.map(\.kind)) == Set(DocumentKind.allCases))
        for p in profiles { #expect(catalogue.profileCriteria[p.kind] == p.criterionID) }
    }

    @Test func everyCriterionIsBrokenByAnExampleThatReportsIt() throws {
        let expected = try ExampleFindings.expectedIDs()
        let reported = try ExampleFindings.actual()
        for c in catalogue.criteria {
            let examples = expected.filter { $0.value.contains(c.id) }.map(\.key)
            #expect(!examples.isEmpty, "no example breaks \(c.id)")
            for name in examples {
                #expect(reported[name]?.contains { $0.hasSuffix(" " + c.id) } == true, "\(name) does not report \(c.id)")
            }
        }
    }
}
