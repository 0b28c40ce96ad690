import Foundation
import JSONSyntax
import Testing

@testable import LanguageServer

/// "Draft a recognition agreement from this" in a learning-opportunity document, with clients that create
/// files through workspace edits and with clients that do not; agreements find moved documents by id.
@Suite(.serialized) struct AgreementActionTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas/examples")
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-lsp-draft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("catalogue"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.examples.appendingPathComponent("good-learning-opportunity.jsonld"),
            to: folder.appendingPathComponent("catalogue/rdm.jsonld"))
    }

    func uri(_ name: String) -> String { DocumentURI.uri(forPath: folder.appendingPathComponent(name).path) }
    func text(_ name: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }

    func start(_ capabilities: JSONValue) throws -> LSPClient {
        let client = try LSPClient()
        let response = try client.request("initialize", ["processId": nil, "rootUri": nil, "capabilities": capabilities])
        // The consultation link's command is announced to clients that open documents (ConsultationLinkTests).
        let commands: JSONValue =
            capabilities["window"]?["showDocument"]?["support"] == true
            ? ["eccoe.draftAgreement", "eccoe.commentInConsultation"] : ["eccoe.draftAgreement"]
        #expect(response["result"]?["capabilities"]?["executeCommandProvider"]?["commands"] == commands)
        #expect(response["result"]?["capabilities"]?["codeActionProvider"]?["codeActionKinds"] == ["quickfix", "refactor"])
        client.notify("initialized")
        return client
    }

    /// The draft action offered for the document, found among its code actions.
    func draftAction(_ client: LSPClient, _ name: String, only: [String]? = nil) throws -> JSONValue? {
        var context: [(String, JSONValue)] = [("diagnostics", [])]
        if let only { context.append(("only", .array(only.map { .string($0) }))) }
        let actions = try client.request(
            "textDocument/codeAction",
            [
                "textDocument": ["uri": .string(name)], "range": range(0, 0, 0, 0),
                "context": .object(context),
            ])
        return actions["result"]?.arrayValue?.first { $0["title"] == "Draft a recognition agreement from this" }
    }

    @Test func aClientThatCreatesFilesGetsTheDraftAsAWorkspaceEdit() throws {
        let client = try start([
            "workspace": [
                "applyEdit": true, "workspaceEdit": ["documentChanges": true, "resourceOperations": ["create", "rename"]],
            ]
        ])
        let name = uri("catalogue/rdm.jsonld")
        client.open(name, try text("catalogue/rdm.jsonld"))
        let action = try #require(try draftAction(client, name))
        #expect(action["kind"] == "refactor" && action["edit"] == nil)
        #expect(action["command"]?["command"] == "eccoe.draftAgreement" && action["command"]?["arguments"] == [.string(name)])
        // Editors ask for source actions on save: the draft is never one of them.
        #expect(try draftAction(client, name, only: ["source.organizeImports"]) == nil)
        #expect(try draftAction(client, name, only: ["source"]) == nil)
        #expect(try draftAction(client, name, only: ["refactor"]) != nil)

        let done = try client.request(
            "workspace/executeCommand", ["command": "eccoe.draftAgreement", "arguments": action["command"]!["arguments"]!])
        #expect(done["result"] == .null && done["error"] == nil, "\(done)")
        let apply = try client.waitFor("workspace/applyEdit") { $0["method"] == "workspace/applyEdit" }
        let changes = try #require(apply["params"]?["edit"]?["documentChanges"]?.arrayValue)
        let draftURI = uri("catalogue/rdm.agreement.json")
        #expect(changes.first?["kind"] == "create" && changes.first?["uri"] == .string(draftURI))
        #expect(changes.first?["options"]?["overwrite"] == false)
        #expect(changes.last?["textDocument"]?["uri"] == .string(draftURI) && changes.last?["textDocument"]?["version"] == .null)
        let draft = try #require(changes.last?["edits"]?.arrayValue?.first?["newText"]?.stringValue)
        client.send(["jsonrpc": "2.0", "id": apply["id"]!, "result": ["applied": true]])
        let message = try client.waitFor("message") { $0["method"] == "window/showMessage" }
        #expect(
            message["params"]?["message"]?.stringValue?.hasPrefix("Drafted rdm.agreement.json: 16 items to fill in") == true,
            "\(message)")
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("catalogue/rdm.agreement.json").path),
            "the client creates it")

        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(draft.utf8)) as? [String: Any])
        let entry = (parsed["learningOpportunities"] as? [[String: Any]])?.first
        #expect(entry?["path"] as? String == "rdm.jsonld" && entry?["id"] as? String == "urn:eccoe:lo:exampleton:rdm-2026")
        let recognising = (parsed["parties"] as? [[String: Any]])?.last
        #expect((recognising?["legalName"] as? [String: String])?["en"] == "[[legal name of the recognising institution]]")
        // As the client would: the draft is opened; it has no error but the pending signatures.
        client.open(draftURI, draft)
        let diagnostics = try client.diagnostics(draftURI, version: 1)
        #expect(diagnostics.filter { $0["severity"] == 1 }.map { $0["code"] } == ["AG-13"], "\(diagnostics)")
        #expect(diagnostics.filter { $0["code"] == "AG-21" }.count == 16)
    }

    @Test func otherwiseTheServerWritesTheDraftBesideItAndShowsIt() throws {
        let client = try start(["window": ["showDocument": ["support": true]]])
        let name = uri("catalogue/rdm.jsonld")
        client.open(name, try text("catalogue/rdm.jsonld"))
        let action = try #require(try draftAction(client, name))
        for expected in ["catalogue/rdm.agreement.json", "catalogue/rdm-2.agreement.json"] {
            let done = try client.request(
                "workspace/executeCommand", ["command": "eccoe.draftAgreement", "arguments": action["command"]!["arguments"]!])
            #expect(done["error"] == nil, "\(done)")
            let show = try client.waitFor("showDocument") { $0["method"] == "window/showDocument" }
            #expect(show["params"]?["uri"] == .string(uri(expected)))
            #expect(try text(expected).contains("\"id\": \"urn:eccoe:lo:exampleton:rdm-2026\""))
        }
        // Not a learning opportunity: no action; an unknown command: an error.
        let credential = uri("credential.jsonld")
        client.open(
            credential, try String(contentsOf: Self.examples.appendingPathComponent("good-credential.jsonld"), encoding: .utf8))
        #expect(try draftAction(client, credential) == nil)
        let unknown = try client.request("workspace/executeCommand", ["command": "eccoe.frobnicate"])
        #expect(unknown["error"]?["code"] == -32602)
        let noDocument = try client.request(
            "workspace/executeCommand", ["command": "eccoe.draftAgreement", "arguments": [.string(uri("missing.jsonld"))]])
        #expect(noDocument["error"]?["message"]?.stringValue?.hasPrefix("cannot read") == true)
    }

    @Test func anAgreementFindsAMovedLearningOpportunityByItsID() throws {
        let client = try start([:])
        // The agreement's hint names good-learning-opportunity.jsonld beside it; the document is in catalogue/.
        let lo = uri("catalogue/rdm.jsonld")
        client.open(lo, try text("catalogue/rdm.jsonld"))
        let agreement = uri("good.agreement.json")
        let agreementText = try String(contentsOf: Self.examples.appendingPathComponent("good.agreement.json"), encoding: .utf8)
        client.open(agreement, agreementText)
        let diagnostics = try client.diagnostics(agreement, version: 1)
        #expect(diagnostics.map { $0["code"] } == ["AG-20"], "\(diagnostics)")
        #expect(diagnostics.first?["severity"] == 2)
        #expect(diagnostics.first?["message"]?.stringValue?.contains("is at `catalogue/rdm.jsonld`") == true)
    }

    /// Drafts are named NAME.agreement.json, then NAME-2 … NAME-100 (`CriteriaAnalyzer.maxDraftNameAttempts`).
    @Test func draftNamesRunOutAfterTheNamedLimit() throws {
        let client = try start([:])
        let name = uri("catalogue/rdm.jsonld")
        client.open(name, try text("catalogue/rdm.jsonld"))
        try Data().write(to: folder.appendingPathComponent("catalogue/rdm.agreement.json"))
        for n in 2...99 { try Data().write(to: folder.appendingPathComponent("catalogue/rdm-\(n).agreement.json")) }
        let last = try client.request(
            "workspace/executeCommand", ["command": "eccoe.draftAgreement", "arguments": [.string(name)]])
        #expect(last["error"] == nil, "\(last)")
        #expect(try text("catalogue/rdm-100.agreement.json").contains("urn:eccoe:lo:exampleton:rdm-2026"))
        let none = try client.request(
            "workspace/executeCommand", ["command": "eccoe.draftAgreement", "arguments": [.string(name)]])
        #expect(none["error"]?["message"]?.stringValue?.hasPrefix("no free name for a draft beside") == true, "\(none)")
    }
}
