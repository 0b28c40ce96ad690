import Foundation
import JSONSyntax
import Testing

/// The formatter's two outputs agree: the minimal edits, applied to the input, give the formatted text; they
/// change whitespace only, one run each, in order; a formatted text needs none; and a document that differs
/// from its formatted form by one line break gets one small edit.
@Suite struct FormatterTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var inputs: [[UInt8]] {
        var inputs: [[UInt8]] = []
        for dir in ["Schemas/examples", "Tests/Resources/samples"] {
            let folder = root.appendingPathComponent(dir)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            where name.hasSuffix(".json") || name.hasSuffix(".jsonld") {
                if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) {
                    inputs.append(Array(data))
                }
            }
        }
        let jsonc = [
            "// c\n{\"a\": 1, // x  \n\n\n \"b\": [ /* k */ 1,\n\n 2 ], /* t */\n \"c\": {}}  // end   \n",
            "\u{FEFF}{\"a\":[],\"b\":{} ,\"c\":[1,2,],}", "{\n\t\"a\": {\n\t\t\"b\": 1 /* x */\n\t}\n}",
            "[1 /* a */, 2 // b\n, 3]",
            "{\"a\": /* c1 */ 1, \"b\" /* c2 */ : 2}", "/* lead */\n\n{}\n\n// tail\n", "[ // x\n]", "{ /* y */ }", "  [ ]  ",
            "\"s p\"",
            "// only\n", "{\"a b\": \"c  d\",\r\n\"e\":[\r\n1]}",
        ]
        return inputs + jsonc.map { Array($0.utf8) }
    }

    static func isWhitespace(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }

    @Test(arguments: ["  ", "\t", "    "])
    func editsApplyToTheFormattedText(_ indent: String) {
        let formatter = JSONFormatter(indent: indent)
        for input in Self.inputs {
            let tree = SyntaxTree(parsing: input, dialect: .jsonc)
            guard !tree.hasErrors else { continue }
            // The document and a few containers of its first levels (each walk reads the tokens from the start).
            let containers = (0..<tree.nodeCount).filter {
                [.document, .object, .array].contains(tree.node(atIndex: $0).kind) && tree.node(atIndex: $0).depth <= 3
            }
            for i in containers.prefix(6) {
                let node = tree.node(atIndex: i)
                let whole = formatter.edit(tree, node: node)
                guard let edits = formatter.edits(tree, node: node) else {
                    Issue.record("no limit was given, yet no edits")
                    continue
                }
                var text = input
                var previousEnd = 0
                for edit in edits {
                    #expect(edit.range.lowerBound >= previousEnd, "edits overlap or are out of order")
                    #expect(
                        Self.isWhitespace(input[edit.range]) && Self.isWhitespace(edit.newText.utf8),
                        "an edit changes more than whitespace")
                    previousEnd = edit.range.upperBound
                }
                for edit in edits.reversed() { text.replaceSubrange(edit.range, with: Array(edit.newText.utf8)) }
                var expected = input
                if let whole { expected.replaceSubrange(whole.range, with: Array(whole.newText.utf8)) }
                #expect(text == expected, "node \(i) of \(String(decoding: input.prefix(80), as: UTF8.self))")
                #expect(edits.isEmpty == (whole == nil))
            }
            // Formatted once, there is nothing left to do.
            let formatted = SyntaxTree(parsing: Array(formatter.format(tree).utf8), dialect: .jsonc)
            #expect(
                formatter.edits(formatted, node: formatted.document)?.isEmpty == true,
                "not idempotent: \(String(decoding: input.prefix(120), as: UTF8.self).debugDescription)")
        }
    }

    @Test func oneJoinedLineIsOneSmallEdit() throws {
        let input = try #require(Self.inputs.first { $0.count > 4_000 })
        let formatter = JSONFormatter(indent: "  ")
        var text = Array(formatter.format(SyntaxTree(parsing: input)).utf8)
        let newline = try #require(text[(text.count / 2)...].firstIndex(of: 0x0A))
        var end = newline + 1
        while text[end] == 0x20 { end += 1 }
        let indentation = String(decoding: text[(newline + 1)..<end], as: UTF8.self)
        text.replaceSubrange(newline..<end, with: [0x20])
        let tree = SyntaxTree(parsing: text)
        let edits = try #require(formatter.edits(tree, node: tree.document))
        #expect(edits.count == 1)
        #expect(edits.first?.range == newline..<(newline + 1))
        #expect(edits.first?.newText == "\n" + indentation)
        // Past the limit, no edits: the caller sends one replacement instead.
        let reindented = JSONFormatter(indent: "    ")
        #expect(reindented.edits(tree, node: tree.document, limit: 10) == nil)
        #expect((reindented.edits(tree, node: tree.document)?.count ?? 0) > 10)
    }

    /// A blank line of the input stays before the token it preceded (not after the next line break).
    @Test func blankLinesStayWhereTheyWere() {
        let input = "{\"a\": 1, // x\n\n\n \"b\": [ 1,\n\n 2\n\n ]}"
        let tree = SyntaxTree(parsing: Array(input.utf8), dialect: .jsonc)
        #expect(JSONFormatter().format(tree) == "{\n  \"a\": 1, // x\n\n  \"b\": [\n    1,\n\n    2\n  ]\n}\n")
    }
}
