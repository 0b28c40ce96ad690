import Foundation
import JSONSyntax
import Testing
@testable import Criteria

/// The byte-level shortcuts of schema-error attribution agree with the `Character`-level definitions
/// they replace (attribution must not change when it gets faster).
@Suite struct AttributionTests {
    static let messages = [
        "missing required property `title`", "missing required property `credentialProfiles` (Credential profile)",
        "no backtick", "one ` only", "``", "`a` and `b`", "`é` ünïcödé `x`", "`a\u{301}` combining", "`\u{301}a` after",
        "a`b`c`d`e", "",
    ]

    @Test(arguments: messages)
    func firstBacktickedWordMatchesSplitting(_ message: String) {
        #expect(message.firstBacktickedWord == message.backtickedWords.first)
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
