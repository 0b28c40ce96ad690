import CredentialCorpus
import Foundation
import JSONSyntax
import Testing

@testable import Criteria

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
        for rule in RuleTable.workspaceRules {
            #expect(catalogue[rule.criterionID]?.isWorkspaceScoped == true, "\(type(of: rule))")
        }
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

    /// Large documents run their rules as parallel units, cut by the costs the previous check measured; the
    /// findings must be those of running every rule in turn on one thread, at the first check (one unit per
    /// rule) and the later ones (cheap rules packed together), on intact and damaged documents.
    @Test func parallelUnitsFindWhatOneThreadFinds() throws {
        let engine = try CriteriaEngine(options: CheckOptions(today: CalendarDate(year: 2026, month: 11, day: 29)))
        var rng = SeededGenerator(seed: 31)
        for size in [40_000, 120_000] {
            var corpus = CredentialCorpus(seed: UInt64(size))
            var bytes = corpus.credential(approximateBytes: size)
            for round in 0..<3 {
                if round > 0 {
                    // Damage: a few bytes replaced, so the findings change between rounds.
                    for _ in 0..<4 {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = Array("x\"{,]0".utf8).randomElement(using: &rng)!
                    }
                }
                let tree = SyntaxTree(parsing: bytes)
                let kind = engine.kind(of: tree, path: nil) ?? .credential
                let alone = engine.check(tree, path: nil, kind: kind, parallel: false)
                for _ in 0..<3 {
                    #expect(engine.check(tree, path: nil, kind: kind, parallel: true) == alone, "size \(size), round \(round)")
                }
                #expect(!alone.isEmpty)
            }
        }
    }

    @Test func ruleCostsCutUnitsSlowestFirstWithCheapRulesPacked() {
        let costs = RuleCosts()
        #expect(costs.units(kind: .credential, count: 3) == [[0], [1], [2]])
        let q = RuleCosts.quantum
        costs.record([q / 10, q * 3, q / 2, q / 2, q, q / 10], kind: .credential)
        // Slowest first: 1 (3q) and 4 (q) alone; then 2 and 3 (q/2 each) fill one unit; 0 and 5 the next.
        #expect(costs.units(kind: .credential, count: 6) == [[1], [4], [2, 3], [0, 5]])
        // A measure of another number of rules (another plan) is not used.
        #expect(costs.units(kind: .credential, count: 2) == [[0], [1]])
        #expect(costs.units(kind: .agreement, count: 2) == [[0], [1]])
    }
}
