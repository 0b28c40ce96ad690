import Foundation
import JSONSyntax
import Testing

@testable import LanguageServer

/// An analyzer for testing the server's plumbing: a document's `"see"` member names another file it
/// depends on; a finding reports whether that file exists in the workspace and what it holds.
struct ReferenceAnalyzer: DocumentAnalyzer {
    func analyze(_ snapshot: DocumentSnapshot, tree: SyntaxTree, previous: AnalyzerState?, workspace: WorkspaceView)
        -> AnalyzerResult
    {
        guard let see = tree.root.value(forKey: "see"), let name = see.stringValue, let path = snapshot.path else {
            return AnalyzerResult(findings: [])
        }
        let target = Self.target(name, from: path)
        let state = workspace.files[target].map { "holds \($0.bytes.count) bytes" } ?? "is missing"
        return AnalyzerResult(
            findings: [
                EditorFinding(
                    range: see.range, severity: .warning, code: "REF-01", message: "\(name) \(state)",
                    data: ["target": .string(target)])
            ],
            links: [EditorLink(range: see.range, path: target)], dependencies: DocumentDependencies(paths: [target]))
    }

    static func target(_ name: String, from path: String) -> String { (path as NSString).deletingLastPathComponent + "/" + name }

    func completions(_ analysis: DocumentAnalysis, offset: Int, snippets: Bool) -> EditorCompletionList {
        EditorCompletionList(
            items: [
                EditorCompletion(
                    label: "0613 Software and applications development and analysis", kind: .enumMember,
                    documentation: "*ISCED-F* `0613`",
                    insertText: "\"http://data.europa.eu/snb/isced-f/0613\"", replace: offset..<offset)
            ],
            isIncomplete: false)
    }

    func hover(_ analysis: DocumentAnalysis, offset: Int) -> EditorHover? {
        analysis.tree.node(atOffset: offset).map { EditorHover(markdown: "**\($0.kind)**", range: $0.range) }
    }

    func codeActions(_ analysis: DocumentAnalysis, range: Range<Int>, findings: [EditorFinding]) -> [EditorCodeAction] {
        findings.map {
            EditorCodeAction(
                title: "Point to b.json", edits: [($0.range, "\"b.json\"")], fixes: [$0.code ?? ""], isPreferred: true)
        }
    }

    func definition(_ analysis: DocumentAnalysis, offset: Int, workspace: WorkspaceView) -> EditorLocation? {
        analysis.dependencies.paths.first.map { EditorLocation(path: $0, range: 1..<4) }
    }
}

/// Drives a `LanguageServer` in process, reading its output from a pipe on a thread of its own.
///
/// Waiting for a message has no wall-clock deadline: the server's tasks share Swift's cooperative thread pool
/// with every other suite's tests, which on a 2-core machine can hold both of its threads for minutes, so a
/// deadline would measure the machine's load. Instead, when the message has not come, the client waits for
/// everything the server has under way (pushes, requests, indexing, analyses) and then for an answer to a
/// request of its own, which the server writes after all it wrote before: if the message is still missing
/// after a few such rounds, the server has finished its work without sending it, and the wait fails at once.
final class InProcessClient: @unchecked Sendable {
    let server: LanguageServer
    private let pipe = Pipe()
    // `inbox` and `waiters` are guarded by `lock`; the reader thread appends, the test takes. A test waiting for
    // a message with a given id is resumed by the reader when that message arrives: no polling.
    private let lock = NSLock()
    private var inbox: [JSONValue] = []
    private var waiters: [(id: JSONValue, resume: CheckedContinuation<Void, Never>)] = []
    private var nextID = 1

    init(analyzer: any DocumentAnalyzer, settingsWait: Duration = .seconds(2), workspaceLimits: WorkspaceLimits = .default) {
        server = LanguageServer(
            output: OutputChannel(fileDescriptor: pipe.fileHandleForWriting.fileDescriptor),
            analyzer: analyzer, workspaceLimits: workspaceLimits, settingsWait: settingsWait, terminate: { _ in })
        let handle = pipe.fileHandleForReading
        Thread { [lock, weak self] in
            var framer = MessageFramer()
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                for event in framer.feed(Array(data)) {
                    guard case .message(let body) = event, case .success(let value) = JSONValue.parse(body) else { continue }
                    guard let self else { return }
                    let ready: [CheckedContinuation<Void, Never>] = lock.withLock {
                        self.inbox.append(value)
                        let id = value["id"]
                        let ready = self.waiters.filter { $0.id == id }.map(\.resume)
                        self.waiters.removeAll { $0.id == id }
                        return ready
                    }
                    for waiter in ready { waiter.resume() }
                }
            }
        }.start()
    }

    func send(_ message: JSONValue) async { await server.receive(.message(message.serialized)) }

    func request(_ method: String, _ params: JSONValue) async throws -> JSONValue {
        nextID += 1
        let id = nextID
        await send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
        return try await next("the answer to \(method)") { $0["id"] == .int(id) && $0["method"] == nil }
    }

    func notify(_ method: String, _ params: JSONValue) async {
        await send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    private func take(_ predicate: (JSONValue) -> Bool) -> JSONValue? {
        lock.withLock { inbox.firstIndex(where: predicate).map { inbox.remove(at: $0) } }
    }

    /// The next message matching `predicate`: at once if it has come, else once the server's work under way
    /// has ended and produced it; an error if the server went idle without sending it.
    func next(_ what: String = "a matching message", _ predicate: (JSONValue) -> Bool) async throws -> JSONValue {
        // Finishing work may start more (indexing re-checks open documents; settings re-check everything).
        for _ in 0..<6 {
            if let message = take(predicate) { return message }
            for work in await server.workUnderWay() { await work() }
            // The server answers an unknown request at once, after everything it has written: once the reader
            // has that answer, it has read all the work above wrote. (The reader is a thread of its own.)
            nextID += 1
            let sync = JSONValue.string("sync-\(nextID)")
            await send(["jsonrpc": "2.0", "id": sync, "method": "eccoe-test/sync", "params": [:]])
            await arrival(of: sync)
            _ = take { $0["id"] == sync }
        }
        if let message = take(predicate) { return message }
        throw NeverSent(what: what, received: lock.withLock { inbox })
    }

    /// Returns once a message with this id has been read (at once if it has).
    private func arrival(of id: JSONValue) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let arrived = lock.withLock {
                if inbox.contains(where: { $0["id"] == id }) { return true }
                waiters.append((id, continuation))
                return false
            }
            if arrived { continuation.resume() }
        }
    }

    struct NeverSent: Error, CustomStringConvertible {
        var what: String
        var received: [JSONValue]
        var description: String {
            "the server finished its work without sending \(what); unclaimed: \(received.map(\.text).joined(separator: "\n"))"
        }
    }

    func diagnostics(_ uri: String) async throws -> [JSONValue] {
        try await next("diagnostics of \(uri)") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == .string(uri)
        }["params"]?["diagnostics"]?.arrayValue ?? []
    }
}

extension LanguageServer {
    /// Waits for each piece of work the server has started and not yet dropped: pushes, requests answered later,
    /// indexing, analyses. (Not the parent-process watcher, which runs until the server ends.)
    func workUnderWay() -> [@Sendable () async -> Void] {
        var work: [@Sendable () async -> Void] = []
        for task in pushTasks.values { work.append { await task.value } }
        for task in pending.values { work.append { await task.value } }
        if let indexing { work.append { await indexing.value } }
        for analysis in analyses.values { work.append { _ = await analysis.task.value } }
        return work
    }
}

/// A backstop for a server that hangs (waits have no deadline of their own: see `InProcessClient`).
@Suite(.serialized, .timeLimit(.minutes(10))) struct WorkspaceTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "eccoe-ws-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("{\"see\": \"b.json\"}".utf8).write(to: URL(fileURLWithPath: folder + "/a.json"))
        try Data("{\"title\": \"é\"}".utf8).write(to: URL(fileURLWithPath: folder + "/b.json"))
    }

    func start(_ client: InProcessClient, capabilities: JSONValue = [:], options: JSONValue = nil) async throws {
        _ = try await client.request(
            "initialize",
            [
                "processId": nil, "rootUri": .string(DocumentURI.uri(forPath: folder)),
                "capabilities": capabilities, "initializationOptions": options,
            ])
        await client.notify("initialized", [:])
    }

    @Test func dependentsAreCheckedAgainWhenAReferencedFileChangesOnDisk() async throws {
        let client = InProcessClient(analyzer: ReferenceAnalyzer())
        try await start(client, capabilities: ["window": ["workDoneProgress": true]])
        // Indexing reports progress, from begin to end.
        _ = try await client.next("the progress token's creation") { $0["method"] == "window/workDoneProgress/create" }
        _ = try await client.next("the progress's begin") {
            $0["method"] == "$/progress" && $0["params"]?["value"]?["kind"] == "begin"
        }
        _ = try await client.next("the progress's end") {
            $0["method"] == "$/progress" && $0["params"]?["value"]?["kind"] == "end"
        }
        let uri = DocumentURI.uri(forPath: folder + "/a.json")
        await client.notify(
            "textDocument/didOpen",
            [
                "textDocument": [
                    "uri": .string(uri), "languageId": "json", "version": 1,
                    "text": "{\"see\": \"b.json\"}",
                ]
            ])
        var diagnostics = try await client.diagnostics(uri)
        #expect(diagnostics.first?["message"] == "b.json holds 15 bytes")
        // b.json changes on disk; the client reports it; a.json is checked again.
        try Data("{\"title\": \"longer text\"}".utf8).write(to: URL(fileURLWithPath: folder + "/b.json"))
        await client.notify(
            "workspace/didChangeWatchedFiles",
            ["changes": [["uri": .string(DocumentURI.uri(forPath: folder + "/b.json")), "type": 2]]])
        diagnostics = try await client.diagnostics(uri)
        #expect(diagnostics.first?["message"] == "b.json holds 24 bytes")
        try FileManager.default.removeItem(atPath: folder + "/b.json")
        await client.notify(
            "workspace/didChangeWatchedFiles",
            ["changes": [["uri": .string(DocumentURI.uri(forPath: folder + "/b.json")), "type": 3]]])
        diagnostics = try await client.diagnostics(uri)
        #expect(diagnostics.first?["message"] == "b.json is missing")
    }

    @Test func editingAnOpenDependencyRechecksDependents() async throws {
        let client = InProcessClient(analyzer: ReferenceAnalyzer())
        try await start(client)
        let a = DocumentURI.uri(forPath: folder + "/a.json"), b = DocumentURI.uri(forPath: folder + "/b.json")
        await client.notify(
            "textDocument/didOpen",
            ["textDocument": ["uri": .string(a), "languageId": "json", "version": 1, "text": "{\"see\": \"b.json\"}"]])
        _ = try await client.diagnostics(a)
        await client.notify(
            "textDocument/didOpen", ["textDocument": ["uri": .string(b), "languageId": "json", "version": 1, "text": "[]"]])
        let again = try await client.next {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]?["uri"] == .string(a)
                && $0["params"]?["diagnostics"]?.arrayValue?.first?["message"] == "b.json holds 2 bytes"
        }
        #expect(again["params"]?["version"] == 1)
    }

    @Test func configurationFromTheClientOverridesSeverities() async throws {
        let client = InProcessClient(analyzer: ReferenceAnalyzer())
        try await start(client, capabilities: ["workspace": ["configuration": true]])
        let configurationRequest = try await client.next { $0["method"] == "workspace/configuration" }
        #expect(configurationRequest["params"]?["items"] == [["section": "eccoe"]])
        let uri = DocumentURI.uri(forPath: folder + "/a.json")
        await client.notify(
            "textDocument/didOpen",
            ["textDocument": ["uri": .string(uri), "languageId": "json", "version": 1, "text": "{\"see\": \"b.json\"}"]])
        await client.send(["jsonrpc": "2.0", "id": configurationRequest["id"]!, "result": [["severity": ["REF-01": "error"]]]])
        // The first push waited for the settings: it has the user's severity, never the default one first.
        #expect(try await client.diagnostics(uri).first?["severity"] == 1)
        await client.notify("workspace/didChangeConfiguration", ["settings": nil])
        let second = try await client.next { $0["method"] == "workspace/configuration" }
        await client.send(["jsonrpc": "2.0", "id": second["id"]!, "result": [["severity": ["REF-01": "off"]]]])
        _ = try await client.next { $0["params"]?["uri"] == .string(uri) && $0["params"]?["diagnostics"] == [] }
    }

    /// A client that never answers `workspace/configuration` still gets diagnostics, with the defaults, once
    /// the server has waited `settingsWait`.
    @Test func diagnosticsComeWithTheDefaultsWhenTheSettingsNeverDo() async throws {
        let client = InProcessClient(analyzer: ReferenceAnalyzer(), settingsWait: .milliseconds(20))
        try await start(client, capabilities: ["workspace": ["configuration": true]])
        _ = try await client.next { $0["method"] == "workspace/configuration" }
        let uri = DocumentURI.uri(forPath: folder + "/a.json")
        await client.notify(
            "textDocument/didOpen",
            ["textDocument": ["uri": .string(uri), "languageId": "json", "version": 1, "text": "{\"see\": \"b.json\"}"]])
        #expect(try await client.diagnostics(uri).first?["severity"] == 2)
    }

    @Test func initializationOptionsWhenTheClientHasNoConfiguration() async throws {
        let client = InProcessClient(analyzer: ReferenceAnalyzer())
        try await start(client, options: ["eccoe": ["severity": ["REF-01": "hint"]]])
        let uri = DocumentURI.uri(forPath: folder + "/a.json")
        await client.notify(
            "textDocument/didOpen",
            ["textDocument": ["uri": .string(uri), "languageId": "json", "version": 1, "text": "{\"see\": \"b.json\"}"]])
        #expect(try await client.diagnostics(uri).first?["severity"] == 4)
    }

    @Test func editorRequestsConvertPositionsBothWays() async throws {
        let client = InProcessClient(analyzer: ReferenceAnalyzer())
        // UTF-16; Markdown in hovers, plain text in completion documentation.
        try await start(
            client,
            capabilities: [
                "textDocument": [
                    "hover": ["contentFormat": ["markdown", "plaintext"]],
                    "completion": ["completionItem": ["documentationFormat": ["plaintext"]]],
                ]
            ])
        let uri = DocumentURI.uri(forPath: folder + "/a.json")
        // `{"é😀": 1, "see": "c.json"}`: the value "c.json" starts at UTF-16 column 18 (byte 21).
        await client.notify(
            "textDocument/didOpen",
            [
                "textDocument": [
                    "uri": .string(uri), "languageId": "json", "version": 1,
                    "text": "{\"é😀\": 1, \"see\": \"c.json\"}",
                ]
            ])
        let diagnostic = try #require(try await client.diagnostics(uri).first)
        #expect(diagnostic["range"] == range(0, 18, 0, 26))
        let hover = try await client.request(
            "textDocument/hover", ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 20]])
        #expect(hover["result"]?["contents"]?["value"] == "**string**")
        #expect(hover["result"]?["range"] == range(0, 18, 0, 26))
        let actions = try await client.request(
            "textDocument/codeAction",
            [
                "textDocument": ["uri": .string(uri)], "range": range(0, 20, 0, 20), "context": ["diagnostics": [diagnostic]],
            ])
        let action = try #require(actions["result"]?.arrayValue?.first)
        #expect(action["title"] == "Point to b.json")
        #expect(action["diagnostics"] == [diagnostic])
        #expect(action["edit"]?["changes"]?[uri] == [["range": range(0, 18, 0, 26), "newText": "\"b.json\""]])
        let completion = try await client.request(
            "textDocument/completion", ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 9]])
        let item = try #require(completion["result"]?["items"]?.arrayValue?.first)
        #expect(item["textEdit"]?["range"] == range(0, 9, 0, 9))
        #expect(item["documentation"] == ["kind": "plaintext", "value": "ISCED-F 0613"])
        #expect(completion["result"]?["isIncomplete"] == false)
        let definition = try await client.request(
            "textDocument/definition", ["textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 20]])
        #expect(definition["result"]?["uri"] == .string(DocumentURI.uri(forPath: folder + "/c.json")))
        #expect(definition["result"]?["range"] == range(0, 0, 0, 0))  // c.json does not exist: its start
    }
}
