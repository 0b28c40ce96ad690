import Foundation
import JSONSyntax
import Testing

@testable import LanguageServer

/// "Comment on MC-07 in the consultation": with `eccoe.consultationUrl` in the settings and a client that opens
/// documents, a diagnostic that names a criterion offers to open the consultation's form at that criterion in the
/// browser (`window/showDocument`, external), with nothing in the link but the criterion.
@Suite struct ConsultationLinkTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas/examples")
    static let credentialURI = "file:///tmp/eccoe-consultation-link/credential.jsonld"

    /// A client started with `settings` as its initialization options, showing documents when `showDocument`.
    func start(settings: JSONValue, showDocument: Bool = true) throws -> (LSPClient, JSONValue) {
        let client = try LSPClient()
        var capabilities: [(String, JSONValue)] = [
            (
                "textDocument",
                ["codeAction": ["codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["quickfix", "refactor"]]]]]
            )
        ]
        if showDocument { capabilities.append(("window", ["showDocument": ["support": true]])) }
        let response = try client.request(
            "initialize",
            [
                "processId": nil, "rootUri": nil, "capabilities": .object(capabilities),
                "initializationOptions": ["eccoe": settings],
            ])
        client.notify("initialized")
        return (client, response)
    }

    /// Opens the credential without a workload and returns its MC-07 diagnostic.
    func openCredential(_ client: LSPClient, version: Int = 1) throws -> JSONValue {
        let text = try String(
            contentsOf: Self.examples.appendingPathComponent("credential-MC-07-no-workload.jsonld"), encoding: .utf8)
        client.open(Self.credentialURI, text, version: version, languageID: "jsonld")
        let diagnostics = try client.diagnostics(Self.credentialURI, version: version)
        return try #require(diagnostics.first { $0["code"] == "MC-07" }, "\(diagnostics)")
    }

    func actions(_ client: LSPClient, uri: String = credentialURI, for diagnostic: JSONValue, only: [String]? = nil) throws
        -> [JSONValue]
    {
        var context: [(String, JSONValue)] = [("diagnostics", [diagnostic])]
        if let only { context.append(("only", .array(only.map { .string($0) }))) }
        let response = try client.request(
            "textDocument/codeAction",
            [
                "textDocument": ["uri": .string(uri)], "range": diagnostic["range"]!,
                "context": .object(context),
            ])
        return try #require(response["result"]?.arrayValue, "\(response)")
    }

    func commentActions(_ actions: [JSONValue]) -> [JSONValue] {
        actions.filter { $0["command"]?["command"] == "eccoe.commentInConsultation" }
    }

    @Test func aCriterionsDiagnosticOpensTheFormAtThatCriterion() throws {
        let (client, response) = try start(settings: ["consultationUrl": " https://consult.example.eu/eccoe#top "])
        let commands = response["result"]?["capabilities"]?["executeCommandProvider"]?["commands"]?.arrayValue ?? []
        #expect(commands.contains("eccoe.commentInConsultation"), "\(response)")
        let mc07 = try openCredential(client)
        let comment = commentActions(try actions(client, for: mc07))
        #expect(comment.count == 1, "\(comment)")
        let action = try #require(comment.first)
        #expect(action["title"] == "Comment on MC-07 in the consultation")
        #expect(action["kind"] == "quickfix" && action["edit"] == nil && action["diagnostics"] == nil)
        #expect(action["command"]?["arguments"] == ["MC-07"])
        // Asked for quick fixes only (as VS Code's Problems view does), it is still there; for refactorings, not.
        #expect(commentActions(try actions(client, for: mc07, only: ["quickfix"])).count == 1)
        #expect(commentActions(try actions(client, for: mc07, only: ["refactor"])).isEmpty)

        let done = try client.request(
            "workspace/executeCommand", ["command": "eccoe.commentInConsultation", "arguments": ["MC-07"]])
        #expect(done["result"] == .null && done["error"] == nil, "\(done)")
        let show = try client.waitFor("showDocument") { $0["method"] == "window/showDocument" }
        // The link, the whole link and nothing but the criterion: no document text, path or token.
        #expect(
            show["params"] == ["uri": "https://consult.example.eu/eccoe?criterion=MC-07#criterion-MC-07", "external": true],
            "\(show)")
        // A client that could not open it: the user gets the link to open by hand.
        client.send(["jsonrpc": "2.0", "id": show["id"]!, "result": ["success": false]])
        let message = try client.waitFor("message") { $0["method"] == "window/showMessage" }
        #expect(
            message["params"]?["message"]
                == "The editor could not open the consultation; open https://consult.example.eu/eccoe?criterion=MC-07#criterion-MC-07 in a browser"
        )

        // New settings: a URL with a query gets `&criterion=`; the action follows the settings.
        client.notify(
            "workspace/didChangeConfiguration", ["settings": ["eccoe": ["consultationUrl": "http://127.0.0.1:8080/?lang=fr"]]])
        let again = try client.request(
            "workspace/executeCommand", ["command": "eccoe.commentInConsultation", "arguments": ["MC-07"]])
        #expect(again["error"] == nil, "\(again)")
        let second = try client.waitFor("showDocument") { $0["method"] == "window/showDocument" }
        #expect(second["params"]?["uri"] == "http://127.0.0.1:8080/?lang=fr&criterion=MC-07#criterion-MC-07")
        client.send(["jsonrpc": "2.0", "id": second["id"]!, "result": ["success": true]])

        // Anything but one criterion ID as argument is refused, without opening anything.
        for arguments: JSONValue in [[], ["MC-07", "MC-08"], ["MC-07&token=x"], [7], ["MC-07#x"]] {
            let refused = try client.request(
                "workspace/executeCommand", ["command": "eccoe.commentInConsultation", "arguments": arguments])
            #expect(refused["error"]?["code"] == -32602, "\(arguments): \(refused)")
        }
        // The settings unset: no action any more.
        client.notify("workspace/didChangeConfiguration", ["settings": ["eccoe": [:]]])
        #expect(commentActions(try actions(client, for: mc07)).isEmpty)
        let unset = try client.request(
            "workspace/executeCommand", ["command": "eccoe.commentInConsultation", "arguments": ["MC-07"]])
        #expect(unset["error"]?["message"] == "eccoe.consultationUrl is not set", "\(unset)")
        #expect(!client.unclaimed.contains { $0["method"] == "window/showDocument" })
    }

    @Test func aSyntaxErrorHasNoCriterionToCommentOn() throws {
        let (client, _) = try start(settings: ["consultationUrl": "https://consult.example.eu/"])
        let uri = "file:///tmp/eccoe-consultation-link/doc.json"
        client.open(uri, "{\n  \"title\": tru\n}\n")
        let diagnostics = try client.diagnostics(uri, version: 1)
        let syntax = try #require(diagnostics.first { $0["code"] == "invalid-literal" }, "\(diagnostics)")
        #expect(commentActions(try actions(client, uri: uri, for: syntax)).isEmpty)
    }

    @Test func aClientThatCannotOpenDocumentsGetsNoAction() throws {
        let (client, response) = try start(settings: ["consultationUrl": "https://consult.example.eu/"], showDocument: false)
        let commands = response["result"]?["capabilities"]?["executeCommandProvider"]?["commands"]?.arrayValue ?? []
        #expect(!commands.contains("eccoe.commentInConsultation"), "\(response)")
        let mc07 = try openCredential(client)
        let offered = try actions(client, for: mc07)
        #expect(
            commentActions(offered).isEmpty && !offered.contains { $0["title"]?.stringValue?.hasPrefix("Comment on") == true })
        let refused = try client.request(
            "workspace/executeCommand", ["command": "eccoe.commentInConsultation", "arguments": ["MC-07"]])
        #expect(refused["error"]?["code"] == -32602)
    }

    @Test(arguments: [
        ("javascript:alert(1)", "must start with https:// or http://"),
        ("https://user:secret@consult.example.eu/", "holds a user name or password"),
        ("https://consult.example.eu/a b", "holds a space or a control character"),
        ("https:///path", "has no host"),
    ])
    func aURLThatIsRefusedIsSaidSoAndOffersNothing(url: String, reason: String) throws {
        let (client, _) = try start(settings: ["consultationUrl": .string(url)])
        let message = try client.waitFor("message") { $0["method"] == "window/showMessage" }
        #expect(message["params"]?["type"] == 2)
        #expect(message["params"]?["message"]?.stringValue?.contains(reason) == true, "\(message)")
        let mc07 = try openCredential(client)
        #expect(commentActions(try actions(client, for: mc07)).isEmpty)
    }

    @Test func links() {
        #expect(
            ConsultationLink.link(base: "https://c.example", criterion: "MC-07")
                == "https://c.example?criterion=MC-07#criterion-MC-07")
        #expect(
            ConsultationLink.link(base: "https://c.example/f?", criterion: "LO-12")
                == "https://c.example/f?criterion=LO-12#criterion-LO-12")
        #expect(
            ConsultationLink.link(base: "https://c.example/f?a=1&", criterion: "AG-03")
                == "https://c.example/f?a=1&criterion=AG-03#criterion-AG-03")
        #expect(ConsultationLink.base("HTTPS://C.example/f?a=1#x") == .success("HTTPS://C.example/f?a=1"))
        #expect(
            ConsultationLink.base("https://c.example/?next=a@b") == .success("https://c.example/?next=a@b"),
            "an @ after the host is no user name")
        // At the limit, and one byte over.
        let prefix = "https://c.example/"
        let longest = prefix + String(repeating: "a", count: ConsultationLink.maxURLBytes - prefix.utf8.count)
        #expect(ConsultationLink.base(longest) == .success(longest))
        #expect(ConsultationLink.base(longest + "a") == .failure(.init(reason: "is longer than 2048 bytes")))
        #expect(ConsultationLink.isCriterionID(String(repeating: "A", count: ConsultationLink.maxCriterionBytes)))
        #expect(!ConsultationLink.isCriterionID(String(repeating: "A", count: ConsultationLink.maxCriterionBytes + 1)))
        #expect(ConsultationLink.setting(nil).url == nil && ConsultationLink.setting(nil).problem == nil)
        #expect(ConsultationLink.setting("   ").url == nil && ConsultationLink.setting("   ").problem == nil)
        #expect(
            ConsultationLink.setting(7).problem == "eccoe.consultationUrl must be a string (an http or https URL); it is ignored")
    }
}
