import Foundation
import JSONSyntax
import Testing

@testable import LanguageServer

/// Completion as real clients see it. A client filters the items before showing them, by the word from
/// the start of each item's edit range to the cursor: VS Code by a fuzzy, case-insensitive subsequence of
/// `filterText` (or `label`) whose first letter starts a word; Neovim (0.11's built-in completion, and the
/// omnifunc of `Editors/neovim/eccoe.lua` on 0.7–0.10) and eglot's basic style by a case-sensitive prefix of
/// `filterText`. For every completion context (a value or a key, inside a string or not, terminated or not,
/// with partial words, escapes, and `é😀` before the cursor in both position encodings), the intended item
/// must survive every client's rule, and applying it must leave valid JSON holding the intended text.
@Suite(.serialized) struct CompletionFilterTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas/examples/good-learning-opportunity.jsonld")

    /// A client's filter rule: whether it keeps an item, given the word it filters by.
    struct Client: CustomStringConvertible, Sendable {
        var name: String
        var keeps: @Sendable (_ word: String, _ filterText: String) -> Bool
        var description: String { name }
    }

    static let clients = [
        Client(name: "VS Code (fuzzy)") { word, text in vsCodeFuzzy(word, text) },
        Client(name: "Neovim (prefix)") { word, text in text.hasPrefix(word) },
        Client(name: "eglot basic (prefix)") { word, text in text.hasPrefix(word) },
    ]

    /// VS Code's rule, simplified: the word's letters in order, ignoring case, the first of them at the start
    /// of the filter text or of a word in it (after a separator, or a capital after a lowercase letter).
    static func vsCodeFuzzy(_ word: String, _ text: String) -> Bool {
        if word.isEmpty { return true }
        let w = Array(word.lowercased()), t = Array(text)
        let lower = Array(text.lowercased())
        guard lower.count == t.count else { return false }
        for start in t.indices where lower[start] == w[0] {
            let boundary =
                start == 0 || " _-./:\"'()".contains(t[start - 1]) || (t[start].isUppercase && t[start - 1].isLowercase)
            guard boundary else { continue }
            var k = 1, i = start + 1
            while k < w.count && i < lower.count {
                if lower[i] == w[k] { k += 1 }
                i += 1
            }
            if k == w.count { return true }
        }
        return false
    }

    /// One completion context: the example learning opportunity with `replacing` replaced by `line`, in
    /// which `|` marks the cursor; the item labelled `pick` must be kept and, applied, must leave `expect`.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var replacing: String
        var line: String
        var pick: String
        var expect: String
        var description: String { name }
    }

    static let isced = "        \"id\": \"http://data.europa.eu/snb/isced-f/0322\","
    /// The whole first ISCED-F concept, so that `id` can be its last member.
    static let iscedConcept = """
                "id": "http://data.europa.eu/snb/isced-f/0322",
                "type": "Concept",
                "inScheme": {
                  "id": "http://data.europa.eu/snb/isced-f/25831c2",
                  "type": "ConceptScheme"
                },
                "prefLabel": {
                  "en": "Library, information and archival studies"
                }
              },
        """
    static let software = "0613 Software and applications development and analysis"
    static let softwareIRI = "\"id\": \"http://data.europa.eu/snb/isced-f/0613\""
    static let homepage = """
          "homepage": [
            {
              "id": "urn:epass:webResource:rdm-2026",
              "type": "WebResource",
              "contentURL": "https://courses.example.org/rdm/2026"
            }
          ],

        """
    static let page =
        #"[{"id": "urn:epass:webResource:rdm-2026", "type": "WebResource", "contentURL": "https://courses.example.org/rdm/2026"}],"#

    static let cases: [Case] = [
        // A vocabulary value inside a string, by label word, case, code, IRI prefix, escape, cursor mid-word.
        Case(
            name: "value: soft", replacing: isced, line: #"        "x": "é😀", "id": "soft|","#, pick: software,
            expect: softwareIRI),
        Case(
            name: "value: Soft", replacing: isced, line: #"        "x": "é😀", "id": "Soft|","#, pick: software,
            expect: softwareIRI),
        Case(
            name: "value: sof", replacing: isced, line: #"        "x": "é😀", "id": "sof|","#, pick: software, expect: softwareIRI),
        Case(
            name: "value: 0613", replacing: isced, line: #"        "x": "é😀", "id": "0613|","#, pick: software,
            expect: softwareIRI),
        Case(
            name: "value: IRI prefix", replacing: isced,
            line: #"        "x": "é😀", "id": "http://data.europa.eu/snb/isced-f/061|","#, pick: software, expect: softwareIRI),
        Case(
            name: "value: escape", replacing: isced, line: #"        "x": "é😀", "id": "so\u0066t|","#, pick: software,
            expect: softwareIRI),
        Case(
            name: "value: mid-word", replacing: isced, line: #"        "x": "é😀", "id": "sof|tware","#, pick: software,
            expect: softwareIRI),
        Case(
            name: "value: empty string", replacing: isced, line: #"        "x": "é😀", "id": "|","#, pick: software,
            expect: softwareIRI),
        // Without its closing quote (the last member, so no comma is missing once it is closed).
        Case(
            name: "value: unterminated", replacing: iscedConcept,
            line: "        \"type\": \"Concept\", \"x\": \"é😀\",\n        \"id\": \"soft|\n      },", pick: software,
            expect: softwareIRI + "\n      },"),
        // Not in a string: nothing typed, or a bare word.
        Case(
            name: "value: no quote", replacing: isced, line: #"        "x": "é😀", "id": |,"#, pick: software, expect: softwareIRI),
        Case(
            name: "value: bare word", replacing: isced, line: #"        "x": "é😀", "id": soft|,"#, pick: software,
            expect: softwareIRI),
        // A property name: followed by its colon or not, quoted or not, terminated or not.
        Case(
            name: "key: colon follows", replacing: homepage, line: #"  "x": "é😀", "home|": "# + page + "\n",
            pick: "homepage", expect: #""homepage": [{"#),
        Case(
            name: "key: case", replacing: homepage, line: #"  "x": "é😀", "Home|": "# + page + "\n",
            pick: "homepage", expect: #""homepage": [{"#),
        Case(
            name: "key: escape", replacing: homepage, line: #"  "x": "é😀", "hom\u0065|": "# + page + "\n",
            pick: "homepage", expect: #""homepage": [{"#),
        Case(
            name: "key: no colon", replacing: homepage, line: "  \"x\": \"é😀\", \"home|\"\n  " + page + "\n",
            pick: "homepage", expect: "\"homepage\": \n  [{"),
        Case(
            name: "key: just a quote", replacing: homepage, line: "  \"x\": \"é😀\", \"|\"\n  " + page + "\n",
            pick: "homepage", expect: "\"homepage\": \n  [{"),
        Case(
            name: "key: unterminated", replacing: homepage, line: "  \"x\": \"é😀\", \"home|\n  " + page + "\n",
            pick: "homepage", expect: "\"homepage\": \n  [{"),
        Case(
            name: "key: bare word", replacing: homepage, line: "  \"x\": \"é😀\", home|\n  " + page + "\n",
            pick: "homepage", expect: "\"homepage\": \n  [{"),
        Case(
            name: "key: nothing typed", replacing: homepage, line: "  \"x\": \"é😀\", |\n  " + page + "\n",
            pick: "homepage", expect: "\"homepage\": \n  [{"),
    ]

    /// One server per encoding, every case a document of its own.
    @Test(arguments: ["utf-8", "utf-16"])
    func everyClientKeepsTheIntendedItemAndItLeavesValidJSON(_ encoding: String) throws {
        let client = try LSPClient()
        _ = try client.initialize(encodings: [encoding])
        for c in Self.cases {
            try check(c, client: client, encoding: encoding)
        }
        client.closeInput()
    }

    func check(_ c: Case, client: LSPClient, encoding: String) throws {
        let original = try String(contentsOf: Self.example, encoding: .utf8)
        #expect(original.contains(c.replacing), "\(c): the example no longer holds the text this case replaces")
        let marked = original.replacingOccurrences(of: c.replacing, with: c.line)
        let cursorIndex = try #require(marked.firstIndex(of: "|"))
        let before = String(marked[..<cursorIndex])
        let text = before + String(marked[marked.index(after: cursorIndex)...])
        let cursor = Array(before.utf8).count

        let uri = "file:///completion/\(UUID().uuidString).jsonld"
        client.open(uri, text)
        let source = SourceText(text)
        let positionEncoding: PositionEncoding = encoding == "utf-8" ? .utf8 : .utf16
        let position = source.position(of: cursor, encoding: positionEncoding)
        let response = try client.request(
            "textDocument/completion",
            [
                "textDocument": ["uri": .string(uri)],
                "position": ["line": .int(position.line), "character": .int(position.character)],
            ])
        let list = try #require(response["result"])
        #expect(
            list["isIncomplete"] == true, "\(c): filtered by what was typed, so the client must ask again as the author types")
        let items = list["items"]?.arrayValue ?? []
        let item = try #require(
            items.first { $0["label"]?.stringValue == c.pick }, "\(c): \(c.pick) not offered among \(items.count) items")

        // The word each client filters by: from the edit range's start to the cursor.
        let edit = try #require(item["textEdit"])
        let range = try #require(LanguageServer.range(edit["range"]))
        let bytes = source.byteRange(of: range, encoding: positionEncoding)
        #expect(
            range.start.line == range.end.line && bytes.lowerBound <= cursor && cursor <= bytes.upperBound,
            "\(c): a completion edit is on one line and holds the cursor")
        let word = String(decoding: Array(text.utf8)[bytes.lowerBound..<cursor], as: UTF8.self)
        let filterText = item["filterText"]?.stringValue ?? c.pick
        for rule in Self.clients {
            #expect(
                rule.keeps(word, filterText),
                "\(c): \(rule) drops \(c.pick) for the word \(word.debugDescription) (filterText \(filterText.debugDescription))")
        }
        // eglot undoes its own insertion up to the symbol at point before applying the edit: the symbol must lie
        // inside the edit's range.
        let symbol = Self.symbolBounds(Array(text.utf8), at: cursor)
        #expect(
            symbol.lowerBound >= bytes.lowerBound && symbol.upperBound <= bytes.upperBound,
            "\(c): the symbol at point \(symbol) lies outside the edit \(bytes)")

        // Applied, the item leaves valid JSON with the intended text.
        var edited = Array(text.utf8)
        edited.replaceSubrange(bytes, with: Array((edit["newText"]?.stringValue ?? "").utf8))
        let result = String(decoding: edited, as: UTF8.self)
        let tree = SyntaxTree(parsing: edited)
        #expect(
            tree.diagnostics.filter { $0.severity == .error }.isEmpty,
            "\(c): invalid JSON after completion: \(tree.diagnostics.map(\.message)) in \(result.split(separator: "\n").filter { $0.contains("é😀") })"
        )
        #expect(result.contains(c.expect), "\(c): \(c.expect) not found after completion")
        client.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
    }

    /// The symbol at point as Emacs's `js-mode` reads it: letters, digits, `_` and `$` around the cursor.
    static func symbolBounds(_ bytes: [UInt8], at offset: Int) -> Range<Int> {
        func isSymbol(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F || b == 0x24
                || b >= 0x80
        }
        var start = offset, end = offset
        while start > 0 && isSymbol(bytes[start - 1]) { start -= 1 }
        while end < bytes.count && isSymbol(bytes[end]) { end += 1 }
        return start..<end
    }
}
