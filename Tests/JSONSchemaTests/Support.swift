import Foundation
import JSONSyntax

@testable import JSONSchema

enum Fixtures {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The JSON Schema Test Suite, copied under `Tests/Resources` (provenance in its README).
    static let suite: URL = packageRoot.appendingPathComponent("Tests/Resources/json-schema-test-suite")
}

/// One test of the JSON Schema Test Suite, with its group's schema, as source text.
struct SuiteCase: CustomStringConvertible {
    var file: String
    var group: String
    var groupIndex: Int
    var test: String
    var schema: String
    var data: String
    var valid: Bool
    var description: String { "\(file) › \(group) › \(test)" }
}

enum Suite {
    /// The remotes, registered under their `http://localhost:1234/` URLs, plus the built-in meta-schemas; or
    /// why they could not be read (reported as a failure by `run`, never a crash).
    static let registry: Result<SchemaRegistry, any Error> = Result {
        var registry = SchemaRegistry()
        let remotes = Fixtures.suite.appendingPathComponent("remotes")
        guard let enumerator = FileManager.default.enumerator(at: remotes, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: remotes.path])
        }
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let relative = url.path.dropFirst(remotes.path.count + 1)
            let tree = SyntaxTree(parsing: Array(try Data(contentsOf: url)))
            try registry.add(tree, uri: "http://localhost:1234/" + relative)
        }
        return registry
    }

    /// Every test in the `.json` files of `directory` (relative to `tests/draft2020-12`), in file order.
    static func cases(in directory: String) throws -> [SuiteCase] {
        let dir = Fixtures.suite.appendingPathComponent("tests/draft2020-12").appendingPathComponent(directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        var result: [SuiteCase] = []
        for file in files {
            let tree = SyntaxTree(parsing: Array(try Data(contentsOf: dir.appendingPathComponent(file))))
            precondition(!tree.hasErrors, "\(file) does not parse")
            for (g, group) in tree.root.elements.enumerated() {
                let name = group.value(forKey: "description")?.stringValue ?? "?"
                let schema = group.value(forKey: "schema")!.sourceText
                for test in group.value(forKey: "tests")!.elements {
                    result.append(
                        SuiteCase(
                            file: (directory.isEmpty ? "" : directory + "/") + file, group: name, groupIndex: g,
                            test: test.value(forKey: "description")?.stringValue ?? "?",
                            schema: schema, data: test.value(forKey: "data")!.sourceText,
                            valid: test.value(forKey: "valid")!.boolValue!))
                }
            }
        }
        return result
    }

    struct Outcome {
        var passed = 0
        var failures: [String] = []
    }

    /// Validation through a memo (shared by a group's cases, recording every subtree) gives the same result,
    /// both when it records and when it reuses.
    static func memoAgrees(
        _ validator: JSONSchemaValidator, _ tree: SyntaxTree, _ result: ValidationResult,
        memos: inout [String: ValidationMemo], key: String
    ) -> Bool {
        let memo = memos[key] ?? ValidationMemo(minimumBytes: 1)
        memos[key] = memo
        let recording = validator.validate(tree, memo: memo)
        let reusing = validator.validate(tree, memo: memo)
        return [recording, reusing].allSatisfy { $0.errors == result.errors && $0.omittedErrorCount == result.omittedErrorCount }
    }

    /// Runs cases, compiling each group's schema once; checks both `validate` and `isValid`.
    static func run(_ cases: [SuiteCase], formatAssertion: Bool) -> Outcome {
        var outcome = Outcome()
        var cache: [String: Result<JSONSchemaValidator, SchemaError>] = [:]
        let options = ValidationOptions(formatAssertion: formatAssertion)
        var memos: [String: ValidationMemo] = [:]
        let registry: SchemaRegistry
        switch Suite.registry {
        case .success(let loaded): registry = loaded
        case .failure(let error):
            outcome.failures.append("the suite's remotes could not be read from \(Fixtures.suite.path): \(error)")
            return outcome
        }
        for c in cases {
            let key = c.file + "#\(c.groupIndex)"
            let compiled =
                cache[key]
                ?? {
                    let uri = "https://suite.test/\(c.file)/\(c.groupIndex).json"
                    let r = Result { () throws(SchemaError) -> JSONSchemaValidator in
                        try registry.compile(SyntaxTree(parsing: c.schema), uri: uri, options: options)
                    }
                    cache[key] = r
                    return r
                }()
            switch compiled {
            case .failure(let error):
                outcome.failures.append("\(c): schema did not compile: \(error)")
            case .success(let validator):
                let tree = SyntaxTree(parsing: c.data)
                let result = validator.validate(tree)
                let quick = validator.isValid(tree)
                if result.isValid != c.valid {
                    outcome.failures.append(
                        "\(c): expected \(c.valid ? "valid" : "invalid"), got \(result.isValid ? "valid" : "invalid: \(result.errors.map(\.message))")"
                    )
                } else if quick != c.valid {
                    outcome.failures.append("\(c): isValid disagrees with validate")
                } else if !memoAgrees(validator, tree, result, memos: &memos, key: key) {
                    outcome.failures.append("\(c): validation with a memo disagrees with validate")
                } else {
                    outcome.passed += 1
                }
            }
        }
        return outcome
    }
}
