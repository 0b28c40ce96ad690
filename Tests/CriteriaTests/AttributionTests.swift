import Foundation
import JSONSyntax
import Testing

@testable import Criteria

/// Schema-error attribution: a violation belongs to a criterion only when it is about that criterion's element
/// (the element, one of its own properties, or its concept's IRI or scheme), never because the criterion's element
/// is some ancestor of it; and the byte-level shortcuts agree with the `Character`-level definitions.
@Suite struct AttributionTests {
    @Test(arguments: [
        ("credentialSubject.hasClaim.awardedBy.awardingBody", true),
        ("credentialSubject.hasClaim.awardedBy.awardingBody.legalName", true),
        ("credentialSubject.hasClaim.awardedBy.awardingBody.location", true),
        ("credentialSubject.hasClaim.awardedBy.awardingBody.taxIdentifier.spatial.inScheme", false),
        ("credentialSubject.hasClaim.awardedBy.awardingBody.location.address.countryCode", false),
        ("credentialSubject.hasClaim.awardedBy.awardingBodyX", false),
        ("credentialSubject.hasClaim.awardedBy", false),
    ])
    func violationsAreAboutTheElementOrItsOwnProperties(_ dotted: String, _ about: Bool) {
        #expect(SchemaConformanceRule.isAbout(dotted, elmPath: "credentialSubject.hasClaim.awardedBy.awardingBody") == about)
    }

    @Test func conceptIRIAndSchemeAreAboutTheConceptsElement() {
        let p = "credentialSubject.hasClaim.specifiedBy.eqfLevel"
        #expect(SchemaConformanceRule.isAbout(p + ".id", elmPath: p))
        #expect(SchemaConformanceRule.isAbout(p + ".inScheme", elmPath: p))
        #expect(!SchemaConformanceRule.isAbout(p + ".inScheme.type", elmPath: p))
    }

    @Test(arguments: ["", "0", "17", "a1", "1a", "١٢", "1\u{301}", "-1", "00", "1.5", "\u{FF11}"])
    func arrayIndexTokensAreASCIIDigits(_ token: String) {
        #expect(token.isArrayIndexToken == token.allSatisfy(\.isASCIINumber))
    }
}

/// The engine remembers schema-error attributions between checks: what it reports must not depend on
/// what it checked before. Two engines check the examples in opposite orders; every document gets the
/// same findings, message and fix included.
@Suite struct AttributionCacheTests {
    @Test func findingsDoNotDependOnEarlierChecks() throws {
        let today = CalendarDate(year: 2026, month: 11, day: 29)
        let forward = try CriteriaEngine(options: CheckOptions(today: today))
        let backward = try CriteriaEngine(options: CheckOptions(today: today))
        var trees: [(String, SyntaxTree)] = []
        for name in try ExampleFindings.files() {
            let path = ExampleFindings.folder.appendingPathComponent(name).path
            trees.append((path, SyntaxTree(parsing: try readFile(path))))
        }
        let first = trees.map { forward.check($0.1, path: $0.0) }
        let second = trees.reversed().map { backward.check($0.1, path: $0.0) }.reversed()
        for ((path, _), (a, b)) in zip(trees, zip(first, second)) {
            #expect(a == Array(b), "\(path)")
        }
        // And again on engines that have seen every example once.
        #expect(trees.map { forward.check($0.1, path: $0.0) } == first)
    }
}
