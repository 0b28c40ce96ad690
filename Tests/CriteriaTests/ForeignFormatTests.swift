import Foundation
import JSONSyntax
import Testing

@testable import Criteria

/// A file that is not JSON gets one finding saying what it looks like, not a diagnostic per token; a broken
/// JSON document keeps its precise diagnostics.
@Suite struct ForeignFormatTests {
    func findings(_ text: String) -> [Finding] { engine.check(SyntaxTree(parsing: Array(text.utf8)), path: nil) }

    @Test func theECShapesInTurtleGiveOneFinding() throws {
        let bytes = try readFile(packageRoot.appendingPathComponent("Tests/Resources/ec/elm/shacl/ELM.ttl").path)
        let tree = SyntaxTree(parsing: bytes)
        #expect(tree.diagnostics.count > 100, "the parser alone reports every token")
        let found = engine.check(tree, path: "ELM.ttl")
        #expect(found.count == 1)
        #expect(found.first?.code == "not-json" && found.first?.severity == .error)
        #expect(found.first?.message.contains("RDF Turtle") == true)
        #expect(found.first?.message.contains("`@prefix dc:") == true)
    }

    @Test(
        arguments: [
            ("<!DOCTYPE html><html>", "HTML"), ("<?xml version=\"1.0\"?>", "XML"), ("---\nkey: value", "YAML"),
            ("%PDF-1.7", "a PDF"), ("\u{FEFF}  hello world", nil),
        ] as [(String, String?)])
    func whatAFileLooksLike(_ text: String, _ guess: String?) {
        let found = findings(text)
        #expect(found.map(\.code) == ["not-json"])
        if let guess {
            #expect(found.first?.message.contains("(it looks like \(guess))") == true)
        } else {
            #expect(found.first?.message.contains("looks like") == false)
        }
    }

    @Test(arguments: [#"{"a": 1 "b": 2}"#, "[1, 2,, 3]", "tru", "nul", "-", "\"open", "// only a comment\n{"])
    func brokenJSONKeepsItsDiagnostics(_ text: String) {
        let found = findings(text)
        #expect(!found.isEmpty && !found.contains { $0.code == "not-json" })
    }

    @Test func aCompactJWSIsReadAsSealedNotForeign() {
        #expect(!findings("eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2ln").contains { $0.code == "not-json" })
    }

    @Test func theQuotedBeginningStopsAtItsLimitOnACharacterBoundary() {
        let limit = ForeignFormat.maxQuotedBytes
        let exact = String(repeating: "x", count: limit)
        #expect(findings(exact + "yyy").first?.message.contains("`\(exact)`") == true)
        // A two-byte character straddling the limit is left out whole.
        let straddling = String(repeating: "x", count: limit - 1) + "é" + "z"
        let message = findings(straddling).first?.message ?? ""
        #expect(message.contains("`\(String(repeating: "x", count: limit - 1))`"))
        // The first line only.
        #expect(findings("hello\nworld").first?.message.contains("`hello`") == true)
    }
}
