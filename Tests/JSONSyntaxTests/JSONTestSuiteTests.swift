import Foundation
import Testing

@testable import JSONSyntax

/// Runs nst/JSONTestSuite, copied under Tests/Resources/json-test-suite.
@Suite struct JSONTestSuiteTests {
    static let directory = Fixtures.resources.appendingPathComponent("json-test-suite/test_parsing")

    static func files() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func everyFileBehaves() throws {
        let files = try Self.files()
        #expect(files.count > 300, "the suite should have over 300 files, found \(files.count)")
        var accepted = 0, rejected = 0, implementationDefined = 0
        var failures: [String] = []
        for url in files {
            let name = url.lastPathComponent
            let bytes = Array(try Data(contentsOf: url))
            let tree = SyntaxTree(parsing: bytes, dialect: .json)
            if let problem = losslessnessProblem(tree) { failures.append("\(name): \(problem)") }
            if let problem = structureProblem(tree) { failures.append("\(name): \(problem)") }
            switch name.first {
            case "y":
                accepted += 1
                if tree.hasErrors {
                    failures.append("\(name): valid JSON got errors: \(tree.diagnostics.map(\.message))")
                }
            case "n":
                rejected += 1
                if !tree.hasErrors { failures.append("\(name): invalid JSON got no error diagnostic") }
            default:
                implementationDefined += 1
            }
        }
        print(
            "JSONTestSuite: \(accepted) y_ accepted, \(rejected) n_ rejected, \(implementationDefined) i_ parsed without crashing; \(failures.count) failures"
        )
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(accepted == 95 && rejected == 188 && implementationDefined == 35)
    }

    /// The same files with JSONC rules never crash and stay lossless.
    @Test func everyFileAsJSONC() throws {
        for url in try Self.files() {
            let tree = SyntaxTree(parsing: Array(try Data(contentsOf: url)), dialect: .jsonc)
            #expect(losslessnessProblem(tree) == nil, "\(url.lastPathComponent)")
        }
    }

    /// test_transform: decoded values of tricky numbers and strings.
    @Test func transformFilesDecode() throws {
        let dir = Fixtures.resources.appendingPathComponent("json-test-suite/test_transform")
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
        #expect(!files.isEmpty)
        for url in files {
            let tree = SyntaxTree(parsing: Array(try Data(contentsOf: url)))
            #expect(losslessnessProblem(tree) == nil)
            #expect(tree.root.kind == .array || tree.root.kind == .object, "\(url.lastPathComponent)")
        }
        let big = SyntaxTree(
            parsing: "[-9223372036854775808, 9223372036854775807, 9223372036854775808, 1.000000000000000005, 1e-999, 1E6]")
        let values = Array(big.root.elements)
        #expect(values[0].integerValue == Int64.min)
        #expect(values[1].integerValue == Int64.max)
        #expect(values[2].integerValue == nil)
        #expect(values[2].numberLexeme == "9223372036854775808")
        #expect(values[3].integerValue == nil && values[3].doubleValue == 1.0)
        #expect(values[4].doubleValue == 0)
        #expect(values[5].integerValue == 1_000_000)
    }
}
