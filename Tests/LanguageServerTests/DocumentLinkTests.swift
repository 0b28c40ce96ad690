import Foundation
import JSONSyntax
import Testing

@testable import LanguageServer

/// `textDocument/documentLink`: an agreement's references as links to the documents they resolved to, through
/// the built binary, in UTF-16 and UTF-8.
@Suite(.serialized) struct DocumentLinkTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas/examples")
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "eccoe-links-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/catalogue", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.examples.appendingPathComponent("good-learning-opportunity.jsonld").path,
            toPath: folder + "/good-learning-opportunity.jsonld")
    }

    /// good.agreement.json with `é😀` in its title (before the link, on another line and on the same line as
    /// `path`), so UTF-16 and UTF-8 columns differ.
    func agreementText() throws -> String {
        let text = try String(contentsOf: Self.examples.appendingPathComponent("good.agreement.json"), encoding: .utf8)
        return text.replacingOccurrences(
            of: "\"path\": \"good-learning-opportunity.jsonld\"",
            with: "\"note\": \"é😀\", \"path\": \"good-learning-opportunity.jsonld\"")
    }

    /// The line and the UTF-8 and UTF-16 columns of the first occurrence of `needle` in `text`.
    func place(of needle: String, in text: String) throws -> (line: Int, utf8: Int, utf16: Int) {
        let lines = text.components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.contains(needle) })
        let before = String(lines[line][..<lines[line].range(of: needle)!.lowerBound])
        return (line, before.utf8.count, before.utf16.count)
    }

    @Test(arguments: ["utf-16", "utf-8"]) func anAgreementLinksToTheDocumentsItReferences(_ encoding: String) throws {
        let client = try LSPClient()
        let answer = try client.initialize(encodings: [encoding])
        #expect(answer["result"]?["capabilities"]?["documentLinkProvider"] == ["resolveProvider": false])
        #expect(answer["result"]?["capabilities"]?["positionEncoding"] == .string(encoding))
        let uri = DocumentURI.uri(forPath: folder + "/good.agreement.json")
        let text = try agreementText()
        client.open(uri, text)
        _ = try client.diagnostics(uri, version: 1)
        let links = try #require(
            try client.request("textDocument/documentLink", ["textDocument": ["uri": .string(uri)]])["result"]?.arrayValue)
        #expect(links.count == 1, "\(links)")
        let at = try place(of: "\"good-learning-opportunity.jsonld\"", in: text)
        let column = encoding == "utf-8" ? at.utf8 : at.utf16
        #expect(links.first?["range"] == range(at.line, column, at.line, column + 34))
        #expect(links.first?["target"] == .string(DocumentURI.uri(forPath: folder + "/good-learning-opportunity.jsonld")))
        #expect(links.first?["tooltip"] == "urn:eccoe:lo:exampleton:rdm-2026")
    }

    /// The document moved: the `path` string and the `id` both lead to where the id was found.
    @Test func aMovedDocumentIsLinkedWhereItsIDIs() throws {
        try FileManager.default.moveItem(
            atPath: folder + "/good-learning-opportunity.jsonld", toPath: folder + "/catalogue/rdm.jsonld")
        let client = try LSPClient()
        _ = try client.request(
            "initialize", ["processId": nil, "rootUri": .string(DocumentURI.uri(forPath: folder)), "capabilities": [:]])
        client.notify("initialized")
        let uri = DocumentURI.uri(forPath: folder + "/good.agreement.json")
        let text = try agreementText()
        client.open(uri, text)
        // Indexing done, the agreement is checked again and finds the document by its id (AG-20 says where).
        _ = try client.waitFor("the re-check after indexing") {
            $0["method"] == "textDocument/publishDiagnostics"
                && $0["params"]?["diagnostics"]?.arrayValue?.contains {
                    $0["message"]?.stringValue?.contains("is at `catalogue/rdm.jsonld`") == true
                } == true
        }
        let links = try #require(
            try client.request("textDocument/documentLink", ["textDocument": ["uri": .string(uri)]])["result"]?.arrayValue)
        let target = JSONValue.string(DocumentURI.uri(forPath: folder + "/catalogue/rdm.jsonld"))
        #expect(links.count == 2 && links.allSatisfy { $0["target"] == target }, "\(links)")
        let id = try place(of: "\"urn:eccoe:lo:exampleton:rdm-2026\"", in: text)
        #expect(links.contains { $0["range"]?["start"] == ["line": .int(id.line), "character": .int(id.utf16)] })
    }

    @Test func otherDocumentsHaveNoLinksAndUnknownOnesAnError() throws {
        let client = try LSPClient()
        _ = try client.initialize()
        let uri = DocumentURI.uri(forPath: folder + "/good-learning-opportunity.jsonld")
        client.open(uri, try String(contentsOfFile: folder + "/good-learning-opportunity.jsonld", encoding: .utf8))
        #expect(try client.request("textDocument/documentLink", ["textDocument": ["uri": .string(uri)]])["result"] == [])
        let unknown = try client.request(
            "textDocument/documentLink", ["textDocument": ["uri": "file:///not-open.agreement.json"]])
        #expect(unknown["error"]?["code"] == .int(-32602))
        let malformed = try client.request("textDocument/documentLink", [:])
        #expect(malformed["error"]?["code"] == .int(-32602))
    }

    @Test func cancellationAnswersRequestCancelled() throws {
        let client = try LSPClient()
        _ = try client.initialize()
        // A 7 MB document: its analysis cannot finish between the request and its cancellation, sent in one write.
        var text = "["
        for i in 0..<200_000 { text += "{\"n\": \(i), \"s\": \"é😀\"}," }
        text += "0]"
        client.open("file:///slow.agreement.json", text)
        let request = frame([
            "jsonrpc": "2.0", "id": 43, "method": "textDocument/documentLink",
            "params": ["textDocument": ["uri": "file:///slow.agreement.json"]],
        ])
        let cancel = frame(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": 43]])
        client.sendRaw(request + cancel)
        #expect(try client.response(to: 43)["error"]?["code"] == .int(-32800))
        #expect(try client.request("shutdown")["result"] == .null)
        client.notify("exit")
        #expect(try client.waitForExit() == 0)
        try client.waitForEndOfOutput()
        #expect(!client.unclaimed.contains { $0["id"] == 43 })
    }
}
