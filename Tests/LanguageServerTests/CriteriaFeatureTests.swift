import Foundation
import JSONSyntax
import Testing

@testable import LanguageServer

/// End-to-end through the built binary with the criteria engine: criterion codes, vocabulary completion,
/// hover, quick fixes, and an agreement re-checked when its learning opportunity changes on disk.
@Suite(.serialized) struct CriteriaFeatureTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas/examples")
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-lsp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["good.agreement.json", "good-learning-opportunity.jsonld", "good-credential.jsonld"] {
            try FileManager.default.copyItem(
                at: Self.examples.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
    }

    func text(_ name: String) throws -> String { try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
    func uri(_ name: String) -> String { DocumentURI.uri(forPath: folder.appendingPathComponent(name).path) }

    /// Line and UTF-16 character of the first occurrence of `needle` (plus `offset` characters).
    func position(of needle: String, in text: String, offset: Int = 0) -> JSONValue {
        let prefix = text.components(separatedBy: needle)[0]
        let lines = prefix.components(separatedBy: "\n")
        return ["line": .int(lines.count - 1), "character": .int(lines.last!.utf16.count + offset)]
    }

    @Test func vocabularyCompletionByLabelAndAQuickFixThatClearsTheDiagnostic() throws {
        let client = try LSPClient()
        _ = try client.initialize(encodings: ["utf-16"])
        // An author typed "soft" where the ISCED-F field IRI goes; é and 😀 sit before it on the line.
        var document = try text("good-learning-opportunity.jsonld")
        document = document.replacingOccurrences(
            of: "\"id\": \"http://data.europa.eu/snb/isced-f/0322\"",
            with: "\"id\": /*é😀*/ \"soft\"")
        let name = uri("typed.jsonld")
        client.open(name, document, languageID: "jsonc")
        let diagnostics = try client.diagnostics(name, version: 1)
        let field = try #require(diagnostics.first { $0["code"] == "LO-06" })
        #expect(field["codeDescription"]?["href"] == "https://eccoe.eu/criteria#LO-06")
        #expect(field["range"]?["start"] == position(of: "\"soft\"", in: document))
        // Completion inside the string offers the ISCED-F concept by its code and label.
        let completion = try client.request(
            "textDocument/completion",
            [
                "textDocument": ["uri": .string(name)],
                "position": position(of: "\"soft\"", in: document, offset: 3),
            ])
        let items = try #require(completion["result"]?["items"]?.arrayValue)
        let software = try #require(items.first { $0["label"] == "0613 Software and applications development and analysis" })
        // The edit replaces the inside of the string (the word the client filters by is `soft`).
        #expect(software["textEdit"]?["newText"] == "http://data.europa.eu/snb/isced-f/0613")
        #expect(software["filterText"]?.stringValue?.hasPrefix("soft") == true)
        // The first quick fix is the closest value; applying it clears the finding.
        let actions = try client.request(
            "textDocument/codeAction",
            [
                "textDocument": ["uri": .string(name)], "range": field["range"]!,
                "context": ["diagnostics": [field]],
            ])
        let fix = try #require(actions["result"]?.arrayValue?.first)
        #expect(fix["title"]?.stringValue?.contains("0613") == true)
        #expect(fix["diagnostics"] == [field])
        let edit = try #require(fix["edit"]?["changes"]?[name]?.arrayValue?.first)
        client.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": .string(name), "version": 2],
                "contentChanges": [["range": edit["range"]!, "text": edit["newText"]!]],
            ])
        let after = try client.diagnostics(name, version: 2)
        #expect(!after.contains { $0["code"] == "LO-06" })
        #expect(after.count == diagnostics.count - 1)
    }

    /// A finding's fix travels typed, inside the server, from the analysis to the code actions: the diagnostic sends
    /// only `data.criterion`, the client's echo carries nothing, and a finding whose severity the user's settings
    /// changed still offers its quick fixes, the allowed values that resemble what was typed first.
    @Test func quickFixesComeFromTheServersOwnAnalysisWhateverTheSeverity() throws {
        let client = try LSPClient()
        _ = try client.request(
            "initialize",
            [
                "processId": nil, "rootUri": nil, "capabilities": ["general": ["positionEncodings": ["utf-16"]]],
                "initializationOptions": ["eccoe": ["severity": ["LO-06": "hint"]]],
            ])
        client.notify("initialized")
        var document = try text("good-learning-opportunity.jsonld")
        document = document.replacingOccurrences(
            of: "\"id\": \"http://data.europa.eu/snb/isced-f/0322\"", with: "\"id\": \"appl dev\"")
        let name = uri("typed.jsonld")
        client.open(name, document, languageID: "jsonld")
        let field = try #require(try client.diagnostics(name, version: 1).first { $0["code"] == "LO-06" })
        #expect(field["severity"] == 4, "the user's severity")
        #expect(field["data"] == ["criterion": "LO-06"], "no fix on the wire")
        let echoed = JSONValue.object((field.objectMembers ?? []).filter { $0.0 != "data" })
        let response = try client.request(
            "textDocument/codeAction",
            ["textDocument": ["uri": .string(name)], "range": field["range"]!, "context": ["diagnostics": [echoed]]])
        let titles = (response["result"]?.arrayValue ?? []).filter { $0["kind"] == "quickfix" }.compactMap {
            $0["title"]?.stringValue
        }
        #expect(titles.count == 12, "at most 12 choices: \(titles)")
        #expect(titles.first?.contains("isced-f/0613\" Software and applications development") == true, "\(titles)")
        // How many typed words each label holds: both, then "Personal skills and development" (one), then the rest
        // in the vocabulary's order; never more further down the list.
        let resemblance = titles.map { title in ["appl", "dev"].filter { title.lowercased().contains($0) }.count }
        #expect(resemblance.prefix(4) == [2, 1, 1, 0], "\(titles)")
        #expect(zip(resemblance, resemblance.dropFirst()).allSatisfy { $0 >= $1 }, "\(titles)")
    }

    @Test func hoverExplainsCriteriaAndIRIs() throws {
        let client = try LSPClient()
        _ = try client.initialize(encodings: ["utf-8"])
        let document = try text("good-learning-opportunity.jsonld")
        let name = uri("good-learning-opportunity.jsonld")
        client.open(name, document)
        #expect(try client.diagnostics(name, version: 1) == [])
        let key = try client.request(
            "textDocument/hover",
            [
                "textDocument": ["uri": .string(name)],
                "position": position(of: "\"volumeOfLearning\"", in: document, offset: 2),
            ])
        let keyText = try #require(key["result"]?["contents"]?["value"]?.stringValue)
        #expect(keyText.contains("ISO 8601"))
        // Only the criteria of the document's own kind (a learning opportunity, not a credential's MC-07).
        #expect(keyText.contains("LO-09"))
        #expect(!keyText.contains("MC-"))
        // The client did not say it renders Markdown: plain text, without asterisks or backticks.
        #expect(key["result"]?["contents"]?["kind"] == "plaintext")
        #expect(!keyText.contains("**") && !keyText.contains("`"))
        let iri = try client.request(
            "textDocument/hover",
            [
                "textDocument": ["uri": .string(name)],
                "position": position(of: "http://data.europa.eu/snb/eqf/6", in: document, offset: 5),
            ])
        #expect(iri["result"]?["contents"]?["value"]?.stringValue?.contains("Level 6") == true)
    }

    /// Inside a sealed credential's payload string (JAdES JSON, the credential as an escaped JSON string on one
    /// line): hover explains a key and a concept IRI, and go-to-definition leads from a reference by `id` to the
    /// node that describes it, each range placed on the payload's own characters in the file.
    @Test func hoverAndDefinitionInsideASealedPayload() throws {
        // The good credential, its awarding body given by reference to the issuer it also is, sealed.
        var credential = try #require(
            try JSONSerialization.jsonObject(with: Data(text("good-credential.jsonld").utf8)) as? [String: Any])
        var subject = try #require(credential["credentialSubject"] as? [String: Any])
        var claims = try #require(subject["hasClaim"] as? [[String: Any]])
        var awarded = try #require(claims[0]["awardedBy"] as? [String: Any])
        awarded["awardingBody"] = [["id": "urn:epass:org:exampleton", "type": "Organisation"]]
        claims[0]["awardedBy"] = awarded
        subject["hasClaim"] = claims
        credential["credentialSubject"] = subject
        let payload = String(
            decoding: try JSONSerialization.data(withJSONObject: credential, options: [.sortedKeys, .withoutEscapingSlashes]),
            as: UTF8.self)
        let envelope: [String: Any] = [
            "payload": payload, "signatures": [["protected": "eyJhbGciOiJSUzI1NiJ9", "signature": "c2lnbmF0dXJl"]],
        ]
        let document = String(
            decoding: try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys, .withoutEscapingSlashes]),
            as: UTF8.self)
        #expect(!document.contains("\n"), "the payload is one line")
        let bytes = Array(document.utf8)
        func offsets(of needle: String) -> [Int] {
            let n = Array(needle.utf8)
            return (0...(bytes.count - n.count)).filter { bytes[$0..<($0 + n.count)].elementsEqual(n) }
        }
        func at(_ offset: Int) -> JSONValue { ["line": 0, "character": .int(offset)] }

        let client = try LSPClient()
        _ = try client.initialize(encodings: ["utf-8"])
        let name = uri("sealed-credential.jsonld")
        client.open(name, document)
        _ = try client.diagnostics(name, version: 1)

        let key = try #require(offsets(of: #"\"volumeOfLearning\""#).first)
        let keyHover = try client.request(
            "textDocument/hover", ["textDocument": ["uri": .string(name)], "position": at(key + 4)])
        #expect(keyHover["result"]?["contents"]?["value"]?.stringValue?.contains("ISO 8601") == true, "\(keyHover)")
        // The range covers the key as written in the file, escaped quotes included.
        #expect(keyHover["result"]?["range"] == ["start": at(key), "end": at(key + #"\"volumeOfLearning\""#.utf8.count)])

        let iri = try #require(offsets(of: "http://data.europa.eu/snb/eqf/6").first)
        let iriHover = try client.request(
            "textDocument/hover", ["textDocument": ["uri": .string(name)], "position": at(iri + 5)])
        #expect(iriHover["result"]?["contents"]?["value"]?.stringValue?.contains("Level 6") == true, "\(iriHover)")

        // `credentialSubject` sorts first: the first occurrence is the reference; the next the first node that
        // describes the organisation in full (the accreditation's organisation; the issuer comes later).
        let ids = offsets(of: "urn:epass:org:exampleton\\\"")
        #expect(ids.count == 4)
        let definition = try client.request(
            "textDocument/definition", ["textDocument": ["uri": .string(name)], "position": at(ids[0] + 3)])
        let target = try #require(definition["result"]?.arrayValue?.first ?? definition["result"])
        #expect(target["uri"] == .string(name))
        #expect(target["range"] == ["start": at(ids[1] - 2), "end": at(ids[1] + "urn:epass:org:exampleton".utf8.count + 2)])
        // Outside the payload (the signature), nothing.
        let outside = try #require(offsets(of: "c2lnbmF0dXJl").first)
        let none = try client.request(
            "textDocument/hover", ["textDocument": ["uri": .string(name)], "position": at(outside + 2)])
        #expect(none["result"] == .null)
    }

    @Test func anAgreementIsCheckedAgainWhenItsLearningOpportunityChangesOnDisk() throws {
        let client = try LSPClient()
        let response = try client.request(
            "initialize",
            [
                "processId": nil, "rootUri": .string(DocumentURI.uri(forPath: folder.path)),
                "capabilities": ["workspace": ["didChangeWatchedFiles": ["dynamicRegistration": true]]],
            ])
        #expect(response["result"]?["capabilities"]?["definitionProvider"] == true)
        client.notify("initialized")
        let agreement = try text("good.agreement.json")
        let name = uri("good.agreement.json")
        client.open(name, agreement)
        _ = try client.waitFor("watcher registration") { $0["method"] == "client/registerCapability" }
        #expect(try client.diagnostics(name, version: 1).filter { $0["severity"] == 1 } == [])
        // Go to definition from the reference to the learning opportunity.
        let definition = try client.request(
            "textDocument/definition",
            [
                "textDocument": ["uri": .string(name)],
                "position": position(of: "good-learning-opportunity.jsonld", in: agreement, offset: 4),
            ])
        #expect(definition["result"]?["uri"] == .string(uri("good-learning-opportunity.jsonld")))
        // The learning opportunity loses its title on disk: the agreement now refers to a failing document.
        let broken = try text("good-learning-opportunity.jsonld").replacingOccurrences(of: "\"title\"", with: "\"titel\"")
        try Data(broken.utf8).write(to: folder.appendingPathComponent("good-learning-opportunity.jsonld"))
        client.notify(
            "workspace/didChangeWatchedFiles",
            ["changes": [["uri": .string(uri("good-learning-opportunity.jsonld")), "type": 2]]])
        let rechecked = try client.waitFor("re-checked agreement") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == .string(name)
                && ($0["params"]?["diagnostics"]?.arrayValue ?? []).contains { $0["code"]?.stringValue?.hasPrefix("AG-") == true }
        }
        #expect(rechecked["params"]?["version"] == 1)
    }

    /// The LSP range of the `occurrence`-th (0-based) quoted occurrence of `value` in `text`, quotes included.
    func range(ofQuoted value: String, occurrence: Int = 0, in text: String) -> JSONValue {
        let needle = "\"" + value + "\""
        let parts = text.components(separatedBy: needle)
        let prefix = parts[0...occurrence].joined(separator: needle)
        let lines = prefix.components(separatedBy: "\n")
        let start = lines.last!.utf16.count
        return LanguageServerTests.range(lines.count - 1, start, lines.count - 1, start + needle.utf16.count)
    }

    /// Go-to-definition in an agreement: a learning opportunity's `id` to the document holding it, outside the
    /// workspace's folder; a party reference to the party; an equivalence's learning opportunity to its entry;
    /// a covered outcome to the outcome recorded in the agreement.
    @Test func goToDefinitionFromAnAgreementReachesOutsideTheWorkspaceAndFollowsKeys() throws {
        let workspace = folder.appendingPathComponent("workspace"), elsewhere = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: folder.appendingPathComponent("good-learning-opportunity.jsonld"),
            to: elsewhere.appendingPathComponent("good-learning-opportunity.jsonld"))
        let agreement = try text("good.agreement.json")
            .replacingOccurrences(
                of: "\"good-learning-opportunity.jsonld\"", with: "\"../elsewhere/good-learning-opportunity.jsonld\"")
        let name = DocumentURI.uri(forPath: workspace.appendingPathComponent("good.agreement.json").path)
        let client = try LSPClient()
        _ = try client.request(
            "initialize", ["processId": nil, "rootUri": .string(DocumentURI.uri(forPath: workspace.path)), "capabilities": [:]])
        client.notify("initialized")
        client.open(name, agreement)
        _ = try client.diagnostics(name, version: 1)
        func definition(at needle: String, occurrence: Int = 0) throws -> JSONValue {
            let prefix = agreement.components(separatedBy: needle)[0...occurrence].joined(separator: needle)
            let lines = prefix.components(separatedBy: "\n")
            let position: JSONValue = ["line": .int(lines.count - 1), "character": .int(lines.last!.utf16.count + 2)]
            return try client.request("textDocument/definition", ["textDocument": ["uri": .string(name)], "position": position])[
                "result"] ?? nil
        }
        // The learning opportunity's id: its document, outside the workspace folder, at its own `id`.
        let lo = try String(contentsOf: elsewhere.appendingPathComponent("good-learning-opportunity.jsonld"), encoding: .utf8)
        let byID = try definition(at: "\"urn:eccoe:lo:exampleton:rdm-2026\"")
        #expect(
            byID["uri"]
                == .string(DocumentURI.uri(forPath: elsewhere.appendingPathComponent("good-learning-opportunity.jsonld").path)))
        #expect(byID["range"] == range(ofQuoted: "urn:eccoe:lo:exampleton:rdm-2026", in: lo))
        // Key references, inside the agreement: the equivalence's and the signature's party, the equivalence's
        // learning opportunity, an outcome it covers.
        for occurrence in [1, 2] {
            let party = try definition(at: "\"musterstadt\"", occurrence: occurrence)
            #expect(party["uri"] == .string(name))
            #expect(party["range"] == range(ofQuoted: "musterstadt", in: agreement))
        }
        #expect(try definition(at: "\"rdm\"", occurrence: 1)["range"] == range(ofQuoted: "rdm", in: agreement))
        #expect(
            try definition(at: "\"urn:epass:learningOutcome:dmp\"", occurrence: 1)["range"]
                == range(ofQuoted: "urn:epass:learningOutcome:dmp", in: agreement))
        // A party's own id defines itself: nothing to go to.
        #expect(try definition(at: "\"musterstadt\"", occurrence: 0) == .null)
        client.closeInput()
    }
}
