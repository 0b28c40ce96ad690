import Foundation
import JSONSyntax
import Testing

@testable import LanguageServer

@Suite(.serialized) struct DocumentTests {
    @Test(arguments: [("utf-8", 11), ("utf-16", 8)])
    func positionsInTheNegotiatedEncoding(_ encoding: String, _ column: Int) throws {
        let client = try LSPClient()
        let response = try client.initialize(encodings: [encoding])
        #expect(response["result"]?["capabilities"]?["positionEncoding"] == .string(encoding))
        client.open("file:///e.json", "{\"é😀\": tru,\r\n \"b\": [1,]}")
        let first = try client.diagnostics("file:///e.json", version: 1)
        #expect(first.map { $0["range"] } == [range(0, column, 0, column + 3), range(1, 8, 1, 9)])
        // Two range edits in one change, the second against the result of the first.
        client.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": "file:///e.json", "version": 5],
                "contentChanges": [
                    ["range": range(0, column, 0, column + 3), "text": "true"],
                    ["range": range(1, 8, 1, 9), "text": ""],
                ],
            ])
        // Cleared with an empty list, for the new version.
        #expect(try client.diagnostics("file:///e.json", version: 5) == [])
        // Edits after a multi-byte character land where the client meant.
        client.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": "file:///e.json", "version": 6],
                "contentChanges": [["range": range(0, column, 0, column + 4), "text": "nul"]],
            ])
        let again = try client.diagnostics("file:///e.json", version: 6)
        #expect(again.map { $0["range"] } == [range(0, column, 0, column + 3)])
        client.notify("textDocument/didClose", ["textDocument": ["uri": "file:///e.json"]])
        let cleared = try client.waitFor("cleared on close") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == "file:///e.json"
                && $0["params"]?["version"] == nil
        }
        #expect(cleared["params"]?["diagnostics"] == [])
    }

    @Test func pullDiagnosticsWithResultIDs() throws {
        let client = try LSPClient()
        let response = try client.initialize(pull: true)
        #expect(response["result"]?["capabilities"]?["diagnosticProvider"] != nil)
        client.open("file:///p.json", "[1 2]")
        let full = try client.request("textDocument/diagnostic", ["textDocument": ["uri": "file:///p.json"]])
        #expect(full["result"]?["kind"] == "full")
        #expect(full["result"]?["items"]?.arrayValue?.count == 1)
        let id = try #require(full["result"]?["resultId"]?.stringValue)
        let unchanged = try client.request(
            "textDocument/diagnostic", ["textDocument": ["uri": "file:///p.json"], "previousResultId": .string(id)])
        #expect(unchanged["result"]?["kind"] == "unchanged")
        client.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": "file:///p.json", "version": 2],
                "contentChanges": [["text": "[1, 2]"]],
            ])
        let fixed = try client.request(
            "textDocument/diagnostic", ["textDocument": ["uri": "file:///p.json"], "previousResultId": .string(id)])
        #expect(fixed["result"]?["kind"] == "full")
        #expect(fixed["result"]?["items"] == [])
        // A pull client gets no pushed diagnostics.
        #expect(!client.unclaimed.contains { $0["method"] == "textDocument/publishDiagnostics" })
    }

    @Test func cancellationAnswersRequestCancelled() throws {
        let client = try LSPClient()
        _ = try client.initialize(pull: true)
        var text = "["
        for i in 0..<200_000 { text += "{\"n\": \(i), \"s\": \"é😀\"}," }
        text += "0]"
        client.open("file:///slow.json", text)
        // The request and its cancellation in one write: the analysis of 7 MB cannot finish in between.
        let request = frame([
            "jsonrpc": "2.0", "id": 42, "method": "textDocument/documentSymbol",
            "params": ["textDocument": ["uri": "file:///slow.json"]],
        ])
        let cancel = frame(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 42]])
        client.sendRaw(request + cancel)
        let answer = try client.response(to: 42)
        #expect(answer["error"]?["code"] == .int(-32800))
        // Cancelling an unknown id is ignored, and each request is answered once.
        client.notify("$/cancelRequest", ["id": 999])
        #expect(try client.request("shutdown")["result"] == .null)
        // Everything the server will ever write has arrived once it has exited and its output has ended.
        client.notify("exit")
        #expect(try client.waitForExit() == 0)
        try client.waitForEndOfOutput()
        #expect(!client.unclaimed.contains { $0["id"] == 42 })
    }

    @Test func symbolsFoldingAndFormattingKeepComments() throws {
        let client = try LSPClient()
        _ = try client.initialize(encodings: ["utf-8"])
        let text =
            "// credential\n{\"title\": {\"en\": \"x\"}, /* keep */ \"parts\": [1,\n 2,],\n\"type\": \"LearningAchievement\"}\n"
        client.open("file:///c.jsonc", text, languageID: "jsonc")
        #expect(try client.diagnostics("file:///c.jsonc", version: 1) == [])
        let symbols = try #require(
            try client.request("textDocument/documentSymbol", ["textDocument": ["uri": "file:///c.jsonc"]])["result"]?.arrayValue)
        #expect(symbols.map { $0["name"] } == ["title", "parts", "type"])
        #expect(symbols[0]["children"]?.arrayValue?.first?["name"] == "en")
        #expect(symbols[1]["kind"] == 18)
        let folding = try client.request("textDocument/foldingRange", ["textDocument": ["uri": "file:///c.jsonc"]])
        #expect(folding["result"] == [["startLine": 1, "endLine": 2]])
        let edits = try #require(
            try client.request(
                "textDocument/formatting",
                [
                    "textDocument": ["uri": "file:///c.jsonc"],
                    "options": ["tabSize": 2, "insertSpaces": true],
                ])["result"]?.arrayValue)
        // Minimal edits: each replaces one run of whitespace; applied in order, they give the formatted text.
        #expect(edits.count == 9)
        var formatted = SourceText(text)
        for edit in edits.reversed() {
            formatted.apply(
                TextEdit(range: LanguageServer.range(edit["range"]), newText: edit["newText"]?.stringValue ?? ""), encoding: .utf8
            )
        }
        #expect(
            formatted.string == """
                // credential
                {
                  "title": {
                    "en": "x"
                  },
                  /* keep */ "parts": [
                    1,
                    2,
                  ],
                  "type": "LearningAchievement"
                }

                """)
    }

    /// `--log-timings`: after an edit, the push of its diagnostics is logged with every stage's time.
    @Test func timingsOfEachPushAreLoggedWhenAsked() throws {
        let client = try LSPClient(arguments: ["lsp", "--log-timings"])
        _ = try client.initialize()
        client.open("file:///t.json", "{\"a\": [1, 2}")
        _ = try client.diagnostics("file:///t.json", version: 1)
        client.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": "file:///t.json", "version": 2],
                "contentChanges": [["range": range(0, 11, 0, 11), "text": "]"]],
            ])
        #expect(try client.diagnostics("file:///t.json", version: 2).isEmpty)
        let line = try client.waitForLog("timings of v2") { $0.contains("timings v2:") }
        for stage in ["queue", "edit", "wait", "parse", "check", "hand-over", "encode", "write", "total"] {
            #expect(line.contains(" \(stage) "), "\(stage) missing in \(line)")
        }
        #expect(line.hasSuffix(" bytes"))
        client.closeInput()
        _ = try client.waitForExit()
    }

    /// A burst of edits (100 keystrokes in one write, as a client replaying a macro sends them) is taken whole:
    /// the server pushes the newest version's diagnostics, the same as for that text opened afresh, and does
    /// not analyse and push the versions in between one by one.
    @Test func aBurstOfEditsIsCoalesced() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Schemas/examples")
        let text = try String(contentsOf: examples.appendingPathComponent("credential-MC-07-no-workload.jsonld"), encoding: .utf8)
        let client = try LSPClient()
        _ = try client.initialize(encodings: ["utf-16"])
        client.open("file:///burst/a.jsonld", text)
        _ = try client.diagnostics("file:///burst/a.jsonld", version: 1)
        // Type 100 characters at the start of the first string value, one `didChange` each, in one write.
        let anchor = try #require(text.range(of: ": \""))
        let prefix = String(text[..<anchor.upperBound])
        let line = prefix.components(separatedBy: "\n").count - 1
        let column = prefix.components(separatedBy: "\n").last!.utf16.count
        var frames: [UInt8] = []
        for i in 0..<100 {
            frames += frame([
                "jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": [
                    "textDocument": ["uri": "file:///burst/a.jsonld", "version": .int(i + 2)],
                    "contentChanges": [["range": range(line, column + i, line, column + i), "text": "é"]],
                ],
            ])
        }
        client.sendRaw(frames)
        let last = try client.diagnostics("file:///burst/a.jsonld", version: 101)
        // The same text, opened as a document of its own, gets the same diagnostics.
        let typed = prefix + String(repeating: "é", count: 100) + String(text[anchor.upperBound...])
        client.open("file:///burst/b.jsonld", typed)
        #expect(try client.diagnostics("file:///burst/b.jsonld", version: 1) == last)
        let pushes = client.unclaimed.filter {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == "file:///burst/a.jsonld"
        }
        #expect(pushes.count < 10, "versions pushed before the last: \(pushes.compactMap { $0["params"]?["version"]?.intValue })")
        client.closeInput()
    }
}
