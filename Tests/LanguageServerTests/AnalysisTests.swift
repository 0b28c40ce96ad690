import Criteria
import EditorFeatures
import Foundation
import JSONSyntax
import Synchronization
import Testing

@testable import LanguageServer

/// Every call of `analyze`, as the server made it: which version, what it was handed back, what it returned.
final class AnalysisLog: Sendable {
    struct Call: Sendable {
        var uri: String
        var version: Int
        var previous: AnalyzerState?
        var result: AnalyzerResult
    }

    private let calls = Mutex<[Call]>([])

    func record(_ call: Call) { calls.withLock { $0.append(call) } }

    var all: [Call] { calls.withLock { $0 } }

    func calls(_ uri: String, version: Int) -> [Call] { all.filter { $0.uri == uri && $0.version == version } }
}

/// An analyzer that counts: it hands everything to `inner` and logs each analysis (the injected hook).
struct CountingAnalyzer<Inner: DocumentAnalyzer>: DocumentAnalyzer {
    let inner: Inner
    let log = AnalysisLog()

    func analyze(_ snapshot: DocumentSnapshot, tree: SyntaxTree, previous: AnalyzerState?, workspace: WorkspaceView)
        -> AnalyzerResult
    {
        let result = inner.analyze(snapshot, tree: tree, previous: previous, workspace: workspace)
        log.record(AnalysisLog.Call(uri: snapshot.uri, version: snapshot.version, previous: previous, result: result))
        return result
    }

    func completions(_ analysis: DocumentAnalysis, offset: Int, snippets: Bool) -> EditorCompletionList {
        inner.completions(analysis, offset: offset, snippets: snippets)
    }

    func hover(_ analysis: DocumentAnalysis, offset: Int) -> EditorHover? { inner.hover(analysis, offset: offset) }

    func codeActions(_ analysis: DocumentAnalysis, range: Range<Int>, findings: [EditorFinding]) -> [EditorCodeAction] {
        inner.codeActions(analysis, range: range, findings: findings)
    }

    func definition(_ analysis: DocumentAnalysis, offset: Int, workspace: WorkspaceView) -> EditorLocation? {
        inner.definition(analysis, offset: offset, workspace: workspace)
    }

    func isWorkspaceDocument(path: String, settings: ServerSettings) -> Bool {
        inner.isWorkspaceDocument(path: path, settings: settings)
    }

    var commands: [String] { inner.commands }

    func executeCommand(_ name: String, arguments: [JSONValue], workspace: WorkspaceView) -> EditorCommandResult {
        inner.executeCommand(name, arguments: arguments, workspace: workspace)
    }
}

/// One analysis per document version, the state the server carries from version to version, the documents an
/// agreement references (supplied by the workspace, within its size limit), re-checks when they change.
@Suite(.serialized, .timeLimit(.minutes(10))) struct AnalysisTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Schemas/examples")
    static let referenceCount = 5
    let folder: String

    /// A folder with five learning opportunities (`lo-1.jsonld`…, ids `urn:eccoe:test:lo-N`) and an agreement
    /// covering all five (`five.agreement.json`).
    init() throws {
        folder = NSTemporaryDirectory() + "eccoe-analysis-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let lo = try String(contentsOf: Self.examples.appendingPathComponent("good-learning-opportunity.jsonld"), encoding: .utf8)
        for n in 1...Self.referenceCount {
            try Data(Self.learningOpportunity(lo, n).utf8).write(to: URL(fileURLWithPath: folder + "/lo-\(n).jsonld"))
        }
        try Data(try Self.agreement().utf8).write(to: URL(fileURLWithPath: folder + "/five.agreement.json"))
    }

    static func learningOpportunity(_ text: String, _ n: Int) -> String {
        text.replacingOccurrences(of: "urn:eccoe:lo:exampleton:rdm-2026", with: "urn:eccoe:test:lo-\(n)")
    }

    /// good.agreement.json with its one learning opportunity repeated five times, each its own file and id.
    static func agreement() throws -> String {
        let data = try Data(contentsOf: examples.appendingPathComponent("good.agreement.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let first = try #require((object["learningOpportunities"] as? [[String: Any]])?.first)
        object["learningOpportunities"] = (1...referenceCount).map { n -> [String: Any] in
            var entry = first
            entry["id"] = "urn:eccoe:test:lo-\(n)"
            entry["path"] = "lo-\(n).jsonld"
            if n > 1 { entry["key"] = "lo\(n)" }
            return entry
        }
        let out = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: out, as: UTF8.self)
    }

    var agreementURI: String { DocumentURI.uri(forPath: folder + "/five.agreement.json") }

    func open(_ client: InProcessClient, _ uri: String, _ text: String, version: Int = 1) async {
        await client.notify(
            "textDocument/didOpen",
            [
                "textDocument": [
                    "uri": .string(uri), "languageId": "json", "version": .int(version),
                    "text": .string(text),
                ]
            ])
    }

    func diagnostics(_ client: InProcessClient, _ uri: String, version: Int) async throws -> [JSONValue] {
        try await client.next("diagnostics of \(uri) v\(version)") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == .string(uri)
                && $0["params"]?["version"] == .int(version)
        }["params"]?["diagnostics"]?.arrayValue ?? []
    }

    /// Every request that needs the analysis, for one version.
    func askEverything(_ client: InProcessClient, _ uri: String, at position: JSONValue) async throws {
        let document: JSONValue = ["uri": .string(uri)]
        for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] {
            let answer = try await client.request(method, ["textDocument": document, "position": position])
            #expect(answer["error"] == nil, "\(method): \(answer)")
        }
        let actions = try await client.request(
            "textDocument/codeAction",
            [
                "textDocument": document, "range": ["start": position, "end": position],
                "context": ["diagnostics": []],
            ])
        #expect(actions["error"] == nil)
        let links = try await client.request("textDocument/documentLink", ["textDocument": document])
        #expect(links["error"] == nil)
        _ = try await client.request("textDocument/diagnostic", ["textDocument": document])
    }

    @Test func oneAnalysisPerVersionWhateverIsAsked() async throws {
        let analyzer = CountingAnalyzer(inner: try CriteriaAnalyzer())
        let client = InProcessClient(analyzer: analyzer)
        _ = try await client.request("initialize", ["processId": nil, "rootUri": nil, "capabilities": [:]])
        await client.notify("initialized", [:])
        let text = try String(contentsOfFile: folder + "/five.agreement.json", encoding: .utf8)
        await open(client, agreementURI, text)
        _ = try await diagnostics(client, agreementURI, version: 1)
        // A key in the first entry of `learningOpportunities`, then the same after an edit elsewhere.
        let line =
            text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("\"path\": \"lo-1.jsonld\"") }
            ?? 0
        let position: JSONValue = ["line": .int(line), "character": 8]
        try await askEverything(client, agreementURI, at: position)
        await client.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": .string(agreementURI), "version": 2],
                "contentChanges": [["range": range(0, 1, 0, 1), "text": " "]],
            ])
        _ = try await diagnostics(client, agreementURI, version: 2)
        try await askEverything(client, agreementURI, at: position)
        // Versions increase but not necessarily by one.
        await client.notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": .string(agreementURI), "version": 7],
                "contentChanges": [["range": range(0, 1, 0, 2), "text": ""]],
            ])
        try await askEverything(client, agreementURI, at: position)
        _ = try await diagnostics(client, agreementURI, version: 7)
        for version in [1, 2, 7] {
            #expect(analyzer.log.calls(agreementURI, version: version).count == 1, "version \(version)")
        }
        #expect(analyzer.log.all.count == 3)
        // Each version was handed the state the one before it left: the agreement's memory, of the agreement,
        // holding its validation memo although five other documents were checked with it each time.
        let calls = analyzer.log.all
        #expect(calls[0].previous == nil)
        for (earlier, later) in zip(calls, calls.dropFirst()) {
            let left = try #require(earlier.result.state?.value as? DocumentMemory)
            let given = try #require(later.previous?.value as? DocumentMemory)
            #expect(left === given)
            #expect(given.kind == .agreement && given.recordedSubtrees > 0 && given.keepsIndex)
        }
        // All five references were read and checked, and each is a dependency and a link.
        let last = try #require(calls.last?.result)
        let paths = (1...Self.referenceCount).map { folder + "/lo-\($0).jsonld" }
        #expect(last.dependencies.paths == paths)
        #expect(last.dependencies.ids == [], "every id is at its hint: no other document can change that")
        #expect(last.links.map(\.path) == paths)
        #expect(!last.findings.contains { $0.code == "AG-04" }, "\(last.findings.map(\.message))")
    }

    @Test func theCarriedStateIsDroppedOnClose() async throws {
        let analyzer = CountingAnalyzer(inner: try CriteriaAnalyzer())
        let client = InProcessClient(analyzer: analyzer)
        _ = try await client.request("initialize", ["processId": nil, "rootUri": nil, "capabilities": [:]])
        let uri = DocumentURI.uri(forPath: folder + "/lo-1.jsonld")
        let text = try String(contentsOfFile: folder + "/lo-1.jsonld", encoding: .utf8)
        await open(client, uri, text)
        _ = try await diagnostics(client, uri, version: 1)
        #expect(await client.server.carried[uri]?.latest?.value is DocumentMemory)
        await client.notify("textDocument/didClose", ["textDocument": ["uri": .string(uri)]])
        _ = try await client.next { $0["params"]?["uri"] == .string(uri) && $0["params"]?["diagnostics"] == [] }
        #expect(await client.server.carried[uri] == nil)
        #expect(await client.server.dependencies[uri] == nil)
        await open(client, uri, text)
        _ = try await diagnostics(client, uri, version: 1)
        let calls = analyzer.log.calls(uri, version: 1)
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { $0.previous == nil }, "a reopened document starts afresh")
    }

    /// The size limit on referenced documents, at the limit and one byte over, read from disk and from an open
    /// buffer; a folder and a missing file.
    @Test func referencedDocumentsAreReadWithinTheLimit() async throws {
        let limit = try FileManager.default.attributesOfItem(atPath: folder + "/lo-1.jsonld")[.size] as! Int
        #expect(WorkspaceLimits.default.maxFileBytes == 16 << 20)
        let view = WorkspaceView(limits: WorkspaceLimits(maxFileBytes: limit))
        // lo-2 grows by one byte: over the limit.
        let lo2 = folder + "/lo-2.jsonld"
        try Data((try String(contentsOfFile: lo2, encoding: .utf8) + " ").utf8).write(to: URL(fileURLWithPath: lo2))
        #expect(view.document(at: folder + "/lo-1.jsonld").text?.bytes.count == limit)
        guard case .tooLarge(let bytes, let reported) = view.document(at: lo2) else { Issue.record("not refused"); return }
        #expect(bytes == limit + 1 && reported == limit)
        guard case .missing = view.document(at: folder + "/none.jsonld") else { Issue.record("not missing"); return }
        guard case .unreadable(let why) = view.document(at: folder) else { Issue.record("a folder was read"); return }
        #expect(why.contains("folder"))
        let buffers = WorkspaceView(
            files: [lo2: SourceText(String(repeating: " ", count: limit + 1))], limits: WorkspaceLimits(maxFileBytes: limit))
        guard case .tooLarge = buffers.document(at: lo2) else { Issue.record("an open buffer over the limit was given"); return }
        // The 16 MiB default, at the limit and over it.
        let big = folder + "/big.json"
        try Data(count: WorkspaceLimits.default.maxFileBytes).write(to: URL(fileURLWithPath: big))
        #expect(WorkspaceView().document(at: big).text?.bytes.count == 16 << 20)
        try Data(count: WorkspaceLimits.default.maxFileBytes + 1).write(to: URL(fileURLWithPath: big))
        guard case .tooLarge = WorkspaceView().document(at: big) else { Issue.record("16 MiB + 1 was read"); return }

        // Through the server: the agreement says why lo-2 was not read (and that lo-3, now a folder, is one);
        // lo-1, exactly at the limit, is checked like the others.
        try FileManager.default.removeItem(atPath: folder + "/lo-3.jsonld")
        try FileManager.default.createDirectory(atPath: folder + "/lo-3.jsonld", withIntermediateDirectories: false)
        let client = InProcessClient(analyzer: try CriteriaAnalyzer(), workspaceLimits: WorkspaceLimits(maxFileBytes: limit))
        _ = try await client.request("initialize", ["processId": nil, "rootUri": nil, "capabilities": [:]])
        await open(client, agreementURI, try String(contentsOfFile: folder + "/five.agreement.json", encoding: .utf8))
        let found = try await diagnostics(client, agreementURI, version: 1).filter { $0["code"] == "AG-04" }.compactMap {
            $0["message"]?.stringValue
        }
        #expect(found.count == 2, "\(found)")
        #expect(
            found.contains {
                $0.contains("`lo-2.jsonld`") && $0.contains("\(limit + 1) bytes, over the limit of \(limit) bytes")
            }, "\(found)")
        #expect(found.contains { $0.contains("`lo-3.jsonld`") && $0.contains("it is a folder, not a file") }, "\(found)")
    }

    /// A referenced document moved elsewhere: deleting it re-checks the agreement (AG-04), and creating it at its
    /// new place re-checks it again (found by its id), without the agreement being edited.
    @Test func aMovedReferenceRechecksTheOpenAgreement() async throws {
        let client = InProcessClient(analyzer: try CriteriaAnalyzer())
        _ = try await client.request("initialize", ["processId": nil, "rootUri": nil, "capabilities": [:]])
        await open(client, agreementURI, try String(contentsOfFile: folder + "/five.agreement.json", encoding: .utf8))
        #expect(try await diagnostics(client, agreementURI, version: 1).allSatisfy { $0["code"] != "AG-04" })
        let old = folder + "/lo-3.jsonld", new = folder + "/moved/lo-3.jsonld"
        try FileManager.default.createDirectory(atPath: folder + "/moved", withIntermediateDirectories: false)
        try FileManager.default.moveItem(atPath: old, toPath: new)
        await client.notify(
            "workspace/didChangeWatchedFiles", ["changes": [["uri": .string(DocumentURI.uri(forPath: old)), "type": 3]]])
        let missing = try await diagnostics(client, agreementURI, version: 1)
        #expect(await client.server.dependencies[agreementURI]?.ids == ["urn:eccoe:test:lo-3"])
        #expect(
            missing.contains { $0["code"] == "AG-04" && $0["message"]?.stringValue?.contains("lo-3.jsonld") == true },
            "\(missing)")
        await client.notify(
            "workspace/didChangeWatchedFiles", ["changes": [["uri": .string(DocumentURI.uri(forPath: new)), "type": 1]]])
        let found = try await diagnostics(client, agreementURI, version: 1)
        #expect(!found.contains { $0["code"] == "AG-04" }, "\(found)")
        #expect(found.contains { $0["message"]?.stringValue?.contains("is at `moved/lo-3.jsonld`") == true }, "\(found)")
        // A change to a file that neither is a reference nor holds one of its ids re-checks nothing.
        try Data("{}".utf8).write(to: URL(fileURLWithPath: folder + "/unrelated.json"))
        await client.notify(
            "workspace/didChangeWatchedFiles",
            ["changes": [["uri": .string(DocumentURI.uri(forPath: folder + "/unrelated.json")), "type": 1]]])
        let stray = try? await client.next("no diagnostics") { $0["method"] == "textDocument/publishDiagnostics" }
        #expect(stray == nil)
    }

    /// The analyzer reads no file: every document it needs comes from the `WorkspaceView`. A guard over the
    /// sources of the modules it runs (EditorFeatures and what it calls): no file-system API appears in them.
    @Test func theAnalyzerDoesNoFileIO() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let forbidden = [
            "FileManager", "FileHandle", "contentsOfFile", "Data(contentsOf", "String(contentsOf", "fopen(", "opendir(",
            "readdir(", "fileURLWithPath", "InputStream(", "mmap(",
        ]
        var checked = 0
        for module in ["EditorFeatures", "Criteria", "CriteriaCatalogue", "RecognitionAgreements"] {
            let folder = sources.appendingPathComponent(module)
            let files =
                FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String }.filter {
                    $0.hasSuffix(".swift")
                } ?? []
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for word in forbidden {
                    #expect(!text.contains(word), "\(module)/\(file) uses \(word)")
                }
                checked += 1
            }
        }
        #expect(checked > 20)
    }
}
