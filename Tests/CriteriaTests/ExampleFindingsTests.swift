import Criteria
import Foundation
import JSONSyntax
import Testing

/// The examples of Schemas/examples checked together (agreements against the files they reference).
enum ExampleFindings {
    static let folder = packageRoot.appendingPathComponent("Schemas/examples")

    static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { ($0.hasSuffix(".json") || $0.hasSuffix(".jsonld")) && $0 != "expected-findings.json" }.sorted()
    }

    /// File name → `line:column CODE` of each finding.
    static func actual() throws -> [String: [String]] {
        var documents: [String: SyntaxTree] = [:]
        for name in try files() {
            documents[folder.appendingPathComponent(name).path] = SyntaxTree(
                parsing: try readFile(folder.appendingPathComponent(name).path))
        }
        var result: [String: [String]] = [:]
        for (path, findings) in engine.checkWorkspace(documents) {
            result[URL(fileURLWithPath: path).lastPathComponent] = summary(findings, documents[path]!)
        }
        return result
    }

    /// Schemas/examples/expected-findings.json: file → the criterion IDs it must trigger.
    static func expectedIDs() throws -> [String: [String]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected-findings.json"))
        return try JSONDecoder().decode([String: [String]].self, from: data)
    }

    /// Tests/CriteriaTests/Fixtures/example-findings.json: file → `line:column CODE`, reviewed by hand.
    static func fixture() throws -> [String: [String]] {
        let url = packageRoot.appendingPathComponent("Tests/CriteriaTests/Fixtures/example-findings.json")
        return try JSONDecoder().decode([String: [String]].self, from: Data(contentsOf: url))
    }
}

@Suite struct ExampleFindingsTests {
    /// Every example's findings, IDs and positions, exactly as written down in the fixture.
    @Test func everyExampleReportsExactlyTheFindingsWrittenDown() throws {
        let actual = try ExampleFindings.actual()
        let fixture = try ExampleFindings.fixture()
        #expect(Set(actual.keys) == Set(fixture.keys), "examples and fixture list different files")
        for name in actual.keys.sorted() {
            #expect(actual[name] == fixture[name], "\(name)")
        }
    }

    /// The IDs agree with the generator's expected-findings.json (which names IDs only).
    @Test func findingsNameExactlyTheCriteriaTheExampleIsMadeToBreak() throws {
        let actual = try ExampleFindings.actual()
        for (name, ids) in try ExampleFindings.expectedIDs() {
            let reported = Set((actual[name] ?? []).compactMap { $0.split(separator: " ").last.map(String.init) })
            #expect(reported == Set(ids), "\(name)")
        }
    }

    @Test func goodExamplesHaveNoFindingAtAll() throws {
        let actual = try ExampleFindings.actual()
        for name in [
            "good-credential.jsonld", "good-learning-opportunity.jsonld", "good.agreement.json", "good.consultation.json",
        ] {
            #expect(actual[name] == [], "\(name): \(actual[name] ?? [])")
        }
    }
}
