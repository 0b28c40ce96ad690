import Foundation
import JSONSyntax
import Testing

@testable import LanguageServer

/// End-to-end: the built `eccoe lsp` binary over pipes.
@Suite(.serialized) struct LifecycleTests {
    @Test func requestsBeforeInitializeAreRefusedAndNotificationsDropped() throws {
        let client = try LSPClient()
        let early = try client.request("textDocument/documentSymbol", ["textDocument": ["uri": "file:///a.json"]])
        #expect(early["error"]?["code"] == .int(-32002))
        client.open("file:///early.json", "{")  // dropped: not initialized
        let response = try client.initialize()
        #expect(response["result"]?["capabilities"]?["textDocumentSync"]?["change"] == 2)
        #expect(response["result"]?["serverInfo"]?["name"] == "eccoe")
        let again = try client.request("initialize", ["capabilities": [:]])
        #expect(again["error"]?["code"] == .int(-32600))
        // The early document was never opened.
        let symbols = try client.request("textDocument/documentSymbol", ["textDocument": ["uri": "file:///early.json"]])
        #expect(symbols["error"]?["code"] == .int(-32602))
        #expect(try client.request("shutdown")["result"] == .null)
        let late = try client.request("textDocument/documentSymbol", ["textDocument": ["uri": "file:///a.json"]])
        #expect(late["error"]?["code"] == .int(-32600))
        client.notify("exit")
        #expect(try client.waitForExit() == 0)
    }

    @Test func exitWithoutShutdownIsStatusOne() throws {
        let client = try LSPClient()
        _ = try client.initialize()
        client.notify("exit")
        #expect(try client.waitForExit() == 1)
    }

    @Test func endOfInputEndsTheServer() throws {
        let client = try LSPClient()
        _ = try client.initialize()
        _ = try client.request("shutdown")
        client.closeInput()
        #expect(try client.waitForExit() == 0)
    }

    @Test func unknownMethodsAndStringIDs() throws {
        let client = try LSPClient()
        _ = try client.initialize()
        let unknown = try client.request("textDocument/frobnicate")
        #expect(unknown["error"]?["code"] == .int(-32601))
        client.notify("$/somethingNew", ["x": 1])
        client.notify("workspace/unknownNotification")
        client.send(["jsonrpc": "2.0", "id": "abc", "method": "shutdown"])
        let answer = try client.waitFor("string id") { $0["id"] == "abc" }
        #expect(answer["result"] == .null)
        client.notify("exit")
        #expect(try client.waitForExit() == 0)
    }

    @Test func parentProcessDeathEndsTheServer() throws {
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/sleep")
        parent.arguments = ["1"]
        try parent.run()
        let client = try LSPClient()
        _ = try client.initialize(processID: parent.processIdentifier)
        parent.waitUntilExit()
        #expect(try client.waitForExit(timeout: 15) == 1)
    }
}

@Suite(.serialized) struct TransportTests {
    @Test func splitAndCoalescedFramesAndMultibyteBodies() async throws {
        // One message written in three pieces, the cut inside a multi-byte character. The pieces go through the
        // server's own reader (`InputReader`), one read each, and its events to a server in this process: a pipe's
        // reader might take all three in one read however the writes were spaced; this split is certain.
        let text = "{\"é😀\": tru}"
        let open = frame([
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": ["textDocument": ["uri": "file:///m.json", "languageId": "json", "version": 1, "text": .string(text)]],
        ])
        let cut = open.firstIndex(of: 0xF0)! + 2
        var events: [MessageFramer.Event] = []
        var reads = [Array(open[..<20]), Array(open[20..<cut]), Array(open[cut...])][...]
        var readCount = 0
        InputReader.run(
            limits: .default,
            read: { buffer in
                guard let piece = reads.popFirst() else { return 0 }
                readCount += 1
                buffer.copyBytes(from: piece)
                return piece.count
            }, deliver: { events.append($0) })
        #expect(readCount == 3)
        #expect(events.count == 1)
        let server = InProcessClient(analyzer: SyntaxAnalyzer())
        _ = try await server.request("initialize", ["processId": nil, "capabilities": [:]])
        for event in events { await server.server.receive(event) }
        let diagnostics = try await server.diagnostics("file:///m.json")
        #expect(diagnostics.count == 1)
        // UTF-16 by default: `{"é😀": ` is 1 + 1 + 1 + 2 + 1 + 1 + 1 units.
        #expect(diagnostics.first?["range"] == range(0, 8, 0, 11))
        let client = try LSPClient()
        _ = try client.initialize()
        client.open("file:///m.json", text)
        #expect(try client.diagnostics("file:///m.json", version: 1).first?["range"] == range(0, 8, 0, 11))
        // Two requests in one write.
        let a = frame([
            "jsonrpc": "2.0", "id": 1, "method": "textDocument/foldingRange",
            "params": ["textDocument": ["uri": "file:///m.json"]],
        ])
        let b = frame([
            "jsonrpc": "2.0", "id": 2, "method": "textDocument/selectionRange",
            "params": ["textDocument": ["uri": "file:///m.json"], "positions": [["line": 0, "character": 9]]],
        ])
        client.sendRaw(a + b)
        #expect(try client.response(to: 1)["result"] == .array([]))
        let selection = try client.response(to: 2)["result"]?.arrayValue?.first
        #expect(selection?["range"] == range(0, 8, 0, 11))
        #expect(selection?["parent"]?["range"] == range(0, 1, 0, 11))
    }

    @Test func malformedInputNeverKillsTheServer() throws {
        let client = try LSPClient()
        _ = try client.initialize()
        // A body that is not JSON.
        client.sendRaw(Array("Content-Length: 5\r\n\r\n{oops".utf8))
        let parseError = try client.waitFor("parse error") { $0["error"]?["code"] == .int(-32700) }
        #expect(parseError["id"] == .null)
        // Invalid UTF-8 in a body.
        client.sendRaw(Array("Content-Length: 4\r\n\r\n".utf8) + [0x22, 0xFF, 0xFE, 0x22])
        _ = try client.waitFor("utf-8 error") { $0["error"]?["code"] == .int(-32700) }
        // Valid JSON that is no message.
        client.sendRaw(Array("Content-Length: 2\r\n\r\n[]".utf8))
        _ = try client.waitFor("invalid request") { $0["error"]?["code"] == .int(-32600) }
        // A Content-Length that is not a number, then a good message.
        client.sendRaw(Array("Content-Length: lots\r\n\r\n".utf8))
        _ = try client.waitFor("framing error") { $0["error"]?["message"]?.stringValue?.contains("Content-Length") == true }
        // A Content-Length shorter than the body: the tail is garbage until the next header.
        let good = frame([
            "jsonrpc": "2.0", "id": 7, "method": "textDocument/foldingRange",
            "params": ["textDocument": ["uri": "file:///none.json"]],
        ])
        client.sendRaw(Array("Content-Length: 3\r\n\r\n{\"jsonrpc\": \"2.0\"}".utf8) + good)
        let answer = try client.response(to: 7)
        #expect(answer["error"]?["code"] == .int(-32602))  // served: the document is not open
        // 100,000 nested brackets in a document: a diagnostic, not a crash.
        client.open("file:///deep.json", String(repeating: "[", count: 100_000))
        let deep = try client.diagnostics("file:///deep.json", version: 1)
        #expect(deep.contains { $0["code"] == "nesting-too-deep" })
        // Positions past the end are clamped.
        client.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": "file:///deep.json", "version": 2],
                "contentChanges": [["range": range(0, 0, 99, 99), "text": "[1]"]],
            ])
        #expect(try client.diagnostics("file:///deep.json", version: 2).isEmpty)
        #expect(try client.request("shutdown")["result"] == .null)
        client.notify("exit")
        #expect(try client.waitForExit() == 0)
    }

    @Test func fiftyMegabyteDocument() throws {
        let client = try LSPClient()
        _ = try client.initialize()
        var text = "[\n"
        let item = "  {\"title\": {\"en\": \"Data literacy é😀\"}, \"credits\": 5, \"ok\": true},\n"
        text.reserveCapacity(52 << 20)
        while text.utf8.count < 50 << 20 { text += item }
        text += "  tru\n]\n"
        client.open("file:///big.json", text)
        let diagnostics = try client.diagnostics("file:///big.json", version: 1, timeout: 120)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?["code"] == "invalid-literal")
        // Still serving.
        #expect(try client.request("shutdown")["result"] == .null)
    }
}
