import Foundation
import Testing

/// `eccoe validate`, run as a subprocess on files in a temporary directory.
@Suite struct ValidateCommandTests {
    let dir: URL

    static let schema = """
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["legalName"],
         "properties": {"legalName": {"title": "Legal name", "type": "string"}, "level": {"$ref": "https://eccoe.test/eqf.json"},
                        "issued": {"type": "string", "format": "date"}},
         "additionalProperties": false}
        """
    static let levels = """
        {"$id": "https://eccoe.test/eqf.json", "title": "EQF level",
         "enum": ["http://data.europa.eu/snb/eqf/1", "http://data.europa.eu/snb/eqf/2"]}
        """

    init() throws {
        dir = try CommandRunner.temporaryDirectory([
            "schema.json": Array(Self.schema.utf8),
            "eqf.json": Array(Self.levels.utf8),
            "good.json": Array(#"{"legalName": "Université", "level": "http://data.europa.eu/snb/eqf/2"}"#.utf8),
            "bad.json": Array("{\r\n  \"é😀\": 1,\r\n  \"level\": \"http://data.europa.eu/snb/eqf/9\"\r\n}\r\n".utf8),
            "broken.json": Array(#"{"legalName": "x", "level": }"#.utf8),
            "date.json": Array(#"{"legalName": "x", "issued": "2024-02-30"}"#.utf8),
            "bad-schema.json": Array(#"{"pattern": "("}"#.utf8),
        ])
    }

    func run(_ args: [String]) throws -> CommandRunner.Result { try CommandRunner.run(args, in: dir) }

    @Test func validFilesExitZeroWithNoOutput() throws {
        let r = try run(["validate", "--schema", "schema.json", "--ref", "https://eccoe.test/eqf.json=eqf.json", "good.json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func invalidFilesPrintOneLinePerErrorInDocumentOrder() throws {
        let r = try run([
            "validate", "--schema", "schema.json", "--ref", "https://eccoe.test/eqf.json=eqf.json", "good.json", "bad.json",
        ])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "bad.json:1:1: error: missing required property `legalName` (Legal name) (at /, keyword /required)",
                "bad.json:2:3: error: property `é😀` is not allowed (at /é😀, keyword /additionalProperties)",
                #"bad.json:3:12: error: `http://data.europa.eu/snb/eqf/9` is not one of "http://data.europa.eu/snb/eqf/1", "#
                    + #""http://data.europa.eu/snb/eqf/2" for EQF level; did you mean `http://data.europa.eu/snb/eqf/1`? "#
                    + "(at /level, keyword /properties/level/$ref/enum)",
            ])
    }

    @Test func syntaxErrorsAreReportedAndMakeTheFileInvalid() throws {
        let r = try run(["validate", "--schema", "schema.json", "--ref", "https://eccoe.test/eqf.json=eqf.json", "broken.json"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("broken.json:1:29: error:"), "\(r.stdout)")
        #expect(!r.stdout.contains("keyword"), "a missing value draws no schema error: \(r.stdout)")
    }

    @Test func formatAssertionIsOptIn() throws {
        let plain = try run(["validate", "--schema", "schema.json", "--ref", "https://eccoe.test/eqf.json=eqf.json", "date.json"])
        #expect(plain.status == 0)
        let asserted = try run([
            "validate", "--schema", "schema.json", "--ref", "https://eccoe.test/eqf.json=eqf.json",
            "--format-assertion", "date.json",
        ])
        #expect(asserted.status == 1)
        #expect(asserted.stdout.contains("is not a date"))
    }

    @Test func jsonOutputCarriesPointersAndRanges() throws {
        let r = try run([
            "validate", "--format", "json", "--schema", "schema.json", "--ref", "https://eccoe.test/eqf.json=eqf.json",
            "bad.json",
        ])
        #expect(r.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let file = (object?["files"] as? [[String: Any]])?.first
        #expect(file?["valid"] as? Bool == false)
        let errors = file?["errors"] as? [[String: Any]] ?? []
        #expect(errors.count == 3)
        let level = errors.last
        #expect(level?["instanceLocation"] as? String == "/level")
        #expect(level?["absoluteKeywordLocation"] as? String == "https://eccoe.test/eqf.json#/enum")
        let range = level?["range"] as? [String: [String: Int]]
        #expect(range?["start"] == ["line": 2, "character": 11])
        #expect((level?["allowedValues"] as? [[String: Any]])?.count == 2)
        let unknown = errors[1]
        // UTF-16 columns: `"é😀"` spans 2 + 1 + 1 + 2 + 1 units from column 2.
        #expect((unknown["range"] as? [String: [String: Int]])?["end"] == ["line": 1, "character": 7])
    }

    @Test(arguments: [
        (["validate", "good.json"], "missing --schema"),
        (["validate", "--schema", "schema.json"], "missing FILE"),
        (["validate", "--schema", "schema.json", "--ref", "nonsense", "good.json"], "--ref needs URI=FILE"),
        (["validate", "--schema", "bad-schema.json", "good.json"], "invalid schema"),
        (["validate", "--schema", "schema.json", "good.json"], "cannot resolve the reference"),
        (["validate", "--schema", "missing.json", "good.json"], "cannot read schema"),
    ])
    func usageAndSchemaErrorsExitTwo(_ args: [String], _ message: String) throws {
        let r = try run(args)
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}
