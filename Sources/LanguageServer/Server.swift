import Dispatch
public import JSONSyntax
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a handler answers: at once (cheap work, done on the server's actor), or later from a task
/// (work that may take time; it runs off the actor so the read loop never waits).
enum Reply: Sendable {
    case now(JSONValue)
    case later(@Sendable () async throws -> JSONValue)
}

/// The language server's state and message handling. One actor owns all mutable state: the
/// lifecycle phase, open documents, analyses in flight and pending requests. Messages arrive in
/// order from the one reader; answers go out through the one writer.
public actor LanguageServer {
    enum Phase { case uninitialized, running, shuttingDown }

    let output: OutputChannel
    let analyzer: any DocumentAnalyzer
    let parseLimits: ParseLimits
    let workspaceLimits: WorkspaceLimits
    /// Whether to log each push's stage timings to standard error (`eccoe lsp --log-timings`).
    let logTimings: Bool
    /// Called with the exit status when the server must end (the `exit` notification, end of input,
    /// or the parent process gone).
    let terminate: @Sendable (Int32) -> Void

    var phase = Phase.uninitialized
    var client = ClientCapabilities()
    var documents: [String: DocumentSnapshot] = [:]
    var analyses: [String: (key: AnalysisKey, task: Task<DocumentAnalysis, Never>)] = [:]
    /// For each open document (by URI), what its latest finished analysis left for the next version's
    /// (`AnalyzerResult.state`). Made on `didOpen`, dropped on `didClose`; nothing else ever removes one.
    var carried: [String: CarriedState] = [:]
    var pushTasks: [String: Task<Void, Never>] = [:]
    var pending: [RequestID: Task<Void, Never>] = [:]
    var nextServerRequestID = 1
    var parentWatcher: Task<Void, Never>?
    /// What the answers to our own requests are for, by request id.
    var outgoing: [String: OutgoingRequest] = [:]
    var settings = ServerSettings()
    /// Workspace folders (paths), from `initialize`.
    var roots: [String] = []
    /// Workspace documents that are not open, as last read from disk, by path.
    var diskFiles: [String: SourceText] = [:]
    /// Bumped for a document when a document it depends on changes, so its analysis is redone.
    var dependencyGeneration: [String: Int] = [:]
    /// For each open document (by URI), what it depends on (paths and ids), from its latest analysis.
    var dependencies: [String: DocumentDependencies] = [:]
    var indexing: Task<Void, Never>?
    /// When the message being handled was framed by the reader and taken by the actor (for `--log-timings`).
    var arrival: (framed: UInt64, taken: UInt64) = (0, 0)
    /// Whether framed messages wait to be handled, and the pushes waiting until none does (`inputQuiet`).
    var inputQueued = false
    var quietWaiters: [CheckedContinuation<Void, Never>] = []
    /// Whether the settings asked for at `initialized` are still awaited, and what waits for them
    /// (`settingsReady`): the first diagnostics use the user's severities, not the defaults then the user's.
    var settingsAwaited = false
    var settingsWaiters: [CheckedContinuation<Void, Never>] = []
    let settingsWait: Duration

    /// `settingsWait`: how long pushes wait for the settings asked for at `initialized` (a client that
    /// answers `workspace/configuration` late, or never, still gets diagnostics, with the defaults).
    public init(
        output: OutputChannel, analyzer: any DocumentAnalyzer = SyntaxAnalyzer(), parseLimits: ParseLimits = .default,
        workspaceLimits: WorkspaceLimits = .default, logTimings: Bool = false, settingsWait: Duration = .seconds(2),
        terminate: @escaping @Sendable (Int32) -> Void
    ) {
        self.output = output
        self.analyzer = analyzer
        self.parseLimits = parseLimits
        self.workspaceLimits = workspaceLimits
        self.logTimings = logTimings
        self.settingsWait = settingsWait
        self.terminate = terminate
    }

    var encoding: PositionEncoding { client.positionEncoding }

    // MARK: - Input

    /// Takes one framing event from the reader; `framedAt` is when the reader completed it (`StageClock.now()`);
    /// `moreQueued`: the reader has framed more messages that wait to be taken (a burst).
    public func receive(_ event: MessageFramer.Event, framedAt: UInt64? = nil, moreQueued: Bool = false) {
        defer { inputTaken(moreQueued: moreQueued) }
        arrival = (framedAt ?? StageClock.now(), StageClock.now())
        switch event {
        case .framingError(let message):
            log("framing error: \(message)")
            output.send(["jsonrpc": "2.0", "id": nil, "error": ResponseError(.parseError, message).json])
        case .message(let body):
            switch JSONValue.parse(body, limits: parseLimits) {
            case .failure(let failure):
                output.send([
                    "jsonrpc": "2.0", "id": nil,
                    "error": ResponseError(.parseError, "message body is not valid JSON: \(failure.message)").json,
                ])
            case .success(let value):
                switch Message.decode(value) {
                case .failure(let failure):
                    respond(failure.id, .failure(failure.error))
                case .success(let message):
                    handle(message)
                }
            }
        }
    }

    /// The input stream ended: the client is gone.
    public func inputEnded() {
        inputTaken(moreQueued: false)
        terminate(phase == .shuttingDown ? 0 : 1)
    }

    /// Notes whether messages wait behind the one just handled; once none does, the pushes held for a quiet
    /// input start their analyses.
    func inputTaken(moreQueued: Bool) {
        inputQueued = moreQueued
        guard !moreQueued, !quietWaiters.isEmpty else { return }
        let waiters = quietWaiters
        quietWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the settings asked for at `initialized` have come (or `settingsWait` has passed).
    func settingsReady() async {
        guard settingsAwaited else { return }
        await withCheckedContinuation { settingsWaiters.append($0) }
    }

    func settingsArrived() {
        guard settingsAwaited else { return }
        settingsAwaited = false
        let waiters = settingsWaiters
        settingsWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once every message the reader has framed has been handled: a burst of edits is taken whole
    /// before its newest version is analysed. At once when nothing waits (typing, one edit at a time).
    func inputQuiet() async {
        guard inputQueued else { return }
        await withCheckedContinuation { quietWaiters.append($0) }
    }

    func handle(_ message: Message) {
        switch message {
        case .request(let id, let method, let params):
            handleRequest(id: id, method: method, params: params)
        case .notification(let method, let params):
            handleNotification(method: method, params: params)
        case .response(let id, let result, let error):
            handleResponse(id: id, result: result, error: error)
        }
    }

    func handleRequest(id: RequestID, method: String, params: JSONValue) {
        switch phase {
        case .uninitialized where method != "initialize":
            respond(id, .failure(ResponseError(.serverNotInitialized, "the server is not initialized: send `initialize` first")))
            return
        case .shuttingDown:
            respond(id, .failure(ResponseError(.invalidRequest, "the server is shutting down: only `exit` is accepted")))
            return
        case .running where method == "initialize":
            respond(id, .failure(ResponseError(.invalidRequest, "the server is already initialized")))
            return
        default:
            break
        }
        guard let handler = Self.requestHandlers[method] else {
            respond(id, .failure(ResponseError(.methodNotFound, "unknown method `\(method)`")))
            return
        }
        do {
            switch try handler(self, params) {
            case .now(let result):
                respond(id, .success(result))
            case .later(let work):
                pending[id] = Task {
                    let outcome: Result<JSONValue, ResponseError>
                    do {
                        let value = try await work()
                        outcome = Task.isCancelled ? .failure(ResponseError(.requestCancelled, "cancelled")) : .success(value)
                    } catch let error as ResponseError {
                        outcome = .failure(error)
                    } catch {
                        outcome = .failure(ResponseError(.internalError, "\(error)"))
                    }
                    self.finish(id, outcome)
                }
            }
        } catch let error as ResponseError {
            respond(id, .failure(error))
        } catch {
            respond(id, .failure(ResponseError(.internalError, "\(error)")))
        }
    }

    /// Answers a request that ran in a task, unless it was already answered (cancelled).
    func finish(_ id: RequestID, _ outcome: Result<JSONValue, ResponseError>) {
        guard pending.removeValue(forKey: id) != nil else { return }
        respond(id, outcome)
    }

    func respond(_ id: RequestID?, _ outcome: Result<JSONValue, ResponseError>) {
        var message: [(String, JSONValue)] = [("jsonrpc", "2.0"), ("id", id?.json ?? .null)]
        switch outcome {
        case .success(let result): message.append(("result", result))
        case .failure(let error): message.append(("error", error.json))
        }
        output.send(.object(message))
    }

    func notify(_ method: String, _ params: JSONValue) {
        output.send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    func request(_ method: String, _ params: JSONValue, for purpose: OutgoingRequest = .ignored) {
        let id = "eccoe-\(nextServerRequestID)"
        nextServerRequestID += 1
        outgoing[id] = purpose
        output.send(["jsonrpc": "2.0", "id": .string(id), "method": .string(method), "params": params])
    }

    func handleNotification(method: String, params: JSONValue) {
        if method == "exit" {
            terminate(phase == .shuttingDown ? 0 : 1)
            return
        }
        guard phase == .running else { return }  // dropped before initialize and after shutdown
        switch method {
        case "initialized":
            initialized()
        case "workspace/didChangeConfiguration":
            if client.configuration {
                requestConfiguration()
            } else {
                applySettings(ServerSettings(params["settings"]?["eccoe"]))
            }
        case "workspace/didChangeWatchedFiles":
            watchedFilesChanged(params)
        case "$/cancelRequest":
            if let id = RequestID(params["id"]), let task = pending.removeValue(forKey: id) {
                task.cancel()
                respond(id, .failure(ResponseError(.requestCancelled, "request \(id) was cancelled")))
            }
        case "textDocument/didOpen":
            didOpen(params)
        case "textDocument/didChange":
            didChange(params)
        case "textDocument/didClose":
            didClose(params)
        default:
            break  // unknown notifications, `$/…` included, are ignored
        }
    }

    // MARK: - Lifecycle

    static let requestHandlers: [String: @Sendable (isolated LanguageServer, JSONValue) throws -> Reply] = [
        "initialize": { server, params in server.initialize(params) },
        "shutdown": { server, _ in server.shutdown() },
        "textDocument/diagnostic": { server, params in try server.pullDiagnostics(params) },
        "textDocument/documentSymbol": { server, params in try server.documentSymbols(params) },
        "textDocument/foldingRange": { server, params in try server.foldingRanges(params) },
        "textDocument/selectionRange": { server, params in try server.selectionRanges(params) },
        "textDocument/formatting": { server, params in try server.formatting(params, range: false) },
        "textDocument/rangeFormatting": { server, params in try server.formatting(params, range: true) },
        "textDocument/completion": { server, params in try server.completion(params) },
        "textDocument/hover": { server, params in try server.hover(params) },
        "textDocument/codeAction": { server, params in try server.codeActions(params) },
        "workspace/executeCommand": { server, params in try server.executeCommand(params) },
        "textDocument/definition": { server, params in try server.definition(params) },
        "textDocument/documentLink": { server, params in try server.documentLinks(params) },
        "workspace/diagnostic": { server, params in server.workspaceDiagnostics(params) },
    ]

    func initialize(_ params: JSONValue) -> Reply {
        client = ClientCapabilities(params["capabilities"])
        phase = .running
        settings = ServerSettings(params["initializationOptions"]?["eccoe"] ?? params["initializationOptions"])
        for folder in params["workspaceFolders"]?.arrayValue ?? [] {
            if let uri = folder["uri"]?.stringValue, let path = DocumentURI.path(of: uri) { roots.append(path) }
        }
        if roots.isEmpty, let uri = params["rootUri"]?.stringValue, let path = DocumentURI.path(of: uri) { roots.append(path) }
        if roots.isEmpty, let path = params["rootPath"]?.stringValue { roots.append(path) }
        if let pid = params["processId"]?.intValue, pid > 0 { watchParent(pid: Int32(truncatingIfNeeded: pid)) }
        var capabilities: [(String, JSONValue)] = [
            ("positionEncoding", .string(client.positionEncoding.rawValue)),
            ("textDocumentSync", ["openClose": true, "change": 2, "save": ["includeText": false]]),
            ("documentSymbolProvider", true),
            ("foldingRangeProvider", true),
            ("selectionRangeProvider", true),
            ("documentFormattingProvider", true),
            ("documentRangeFormattingProvider", true),
            ("completionProvider", ["triggerCharacters": ["\"", ":", " "], "resolveProvider": false]),
            ("hoverProvider", true),
            ("codeActionProvider", ["codeActionKinds": ["quickfix", "refactor"]]),
            ("definitionProvider", true),
            ("documentLinkProvider", ["resolveProvider": false]),
            ("workspace", ["workspaceFolders": ["supported": true]]),
        ]
        let commands = analyzer.commands + (client.showDocument ? [Self.consultationCommand] : [])
        if !commands.isEmpty {
            capabilities.append(("executeCommandProvider", ["commands": .array(commands.map { .string($0) })]))
        }
        if client.pullDiagnostics {
            capabilities.append(
                ("diagnosticProvider", ["identifier": "eccoe", "interFileDependencies": true, "workspaceDiagnostics": true]))
        }
        return .now([
            "capabilities": .object(capabilities),
            "serverInfo": ["name": "eccoe", "version": .string(serverVersion)],
        ])
    }

    func shutdown() -> Reply {
        phase = .shuttingDown
        for task in pushTasks.values { task.cancel() }
        return .now(.null)
    }

    /// Ends the server when the client process that started it is gone.
    func watchParent(pid: Int32) {
        parentWatcher = Task { [terminate] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3))
                if kill(pid, 0) != 0 && errno == ESRCH {
                    log("parent process \(pid) is gone; exiting")
                    terminate(1)
                    return
                }
            }
        }
    }

    // MARK: - Documents

    func didOpen(_ params: JSONValue) {
        guard let doc = params["textDocument"], let uri = doc["uri"]?.stringValue, let text = doc["text"]?.stringValue else {
            log("didOpen without textDocument.uri or text: ignored")
            return
        }
        let snapshot = DocumentSnapshot(
            uri: uri, version: doc["version"]?.intValue ?? 0,
            languageID: doc["languageId"]?.stringValue ?? "json", text: SourceText(text))
        documents[uri] = snapshot
        carried[uri] = CarriedState()
        documentChanged(snapshot)
        dependencyChanged(path: snapshot.path, text: snapshot.text.bytes)
    }

    func didChange(_ params: JSONValue) {
        let received = arrival
        guard let uri = params["textDocument"]?["uri"]?.stringValue,
            let (oldVersion, languageID) = documents[uri].map({ ($0.version, $0.languageID) })
        else {
            log("didChange for a document that is not open: ignored")
            return
        }
        // The old version's work is superseded. Its analysis (tree, findings) is let go only once the new
        // one has started, on a thread of its own: freeing thousands of small values is work the new
        // version's diagnostics need not wait for.
        let superseded = analyses.removeValue(forKey: uri)
        superseded?.task.cancel()
        defer { LanguageServer.release(superseded) }
        var text = documents.removeValue(forKey: uri)!.text
        for change in params["contentChanges"]?.arrayValue ?? [] {
            guard let newText = change["text"]?.stringValue else { continue }
            text.apply(TextEdit(range: Self.range(change["range"]), newText: newText), encoding: encoding)
        }
        let version = params["textDocument"]?["version"]?.intValue ?? oldVersion + 1
        var snapshot = DocumentSnapshot(uri: uri, version: version, languageID: languageID, text: text)
        snapshot.timings = StageClock(framed: received.framed, received: received.taken, edited: StageClock.now())
        documents[uri] = snapshot
        documentChanged(snapshot)
        dependencyChanged(path: snapshot.path, text: snapshot.text.bytes)
    }

    /// Drops `value` (the last reference to it) on a background thread.
    nonisolated static func release<T: Sendable>(_ value: T?) {
        guard let value else { return }
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(value) {} }
    }

    func didClose(_ params: JSONValue) {
        guard let uri = params["textDocument"]?["uri"]?.stringValue else { return }
        let path = documents[uri]?.path
        documents[uri] = nil
        dependencies[uri] = nil
        carried[uri] = nil
        if let path { diskFiles[path] = WorkspaceFiles.read(path, limit: workspaceLimits.maxFileBytes).text }
        dependencyChanged(path: path, text: path.flatMap { diskFiles[$0]?.bytes })
        analyses.removeValue(forKey: uri)?.task.cancel()
        pushTasks.removeValue(forKey: uri)?.cancel()
        if !client.pullDiagnostics {
            notify("textDocument/publishDiagnostics", ["uri": .string(uri), "diagnostics": []])
        }
    }

    /// A new version supersedes the work in progress on the old one; push clients get fresh diagnostics.
    ///
    /// Pushes go through one pipeline per document, each step waiting for the one before and for the input to
    /// be quiet: a burst of edits (a client sending keystrokes faster than they are analysed, a replayed
    /// macro) does not start an analysis per version. Messages already framed are handled first; the analysis
    /// under way when an edit arrives stops after parsing if it has not begun checking, else finishes unused;
    /// then only the newest version is analysed. So the diagnostics pushed are never more than one analysis
    /// behind the text, and the cores are not shared by analyses of versions nobody will see.
    func documentChanged(_ snapshot: DocumentSnapshot) {
        let uri = snapshot.uri
        if let old = analyses[uri], old.key != analysisKey(snapshot) {
            old.task.cancel()
            analyses[uri] = nil
        }
        let push = !client.pullDiagnostics
        let previous = pushTasks[uri]
        previous?.cancel()
        // The task keeps the version only: a burst's waiting steps must not each hold a copy of the text.
        let version = snapshot.version
        pushTasks[uri] = Task {
            await previous?.value
            await self.inputQuiet()
            await self.settingsReady()
            guard !Task.isCancelled, let current = self.documents[uri], current.version == version else { return }
            let result = await self.analysis(of: current).value
            guard !Task.isCancelled, self.isCurrent(result.snapshot) else { return }
            self.dependencies[uri] = result.dependencies
            guard push else { return }
            // Positions and text are written off the actor, which meanwhile takes the next messages.
            let publishing = StageClock.now()
            let message = await LanguageServer.encodedPush(result, encoding: self.encoding)
            let encoded = StageClock.now()
            guard !Task.isCancelled, self.isCurrent(result.snapshot) else { return }
            self.output.send(framed: message)
            if self.logTimings, let t = result.snapshot.timings {
                log(
                    t.summary(
                        version: result.snapshot.version, publishing: publishing, encoded: encoded, written: StageClock.now(),
                        bytes: message.count))
            }
        }
    }

    /// Whether `snapshot` is still the open version of its document.
    func isCurrent(_ snapshot: DocumentSnapshot) -> Bool { documents[snapshot.uri]?.version == snapshot.version }

    func analysisKey(_ snapshot: DocumentSnapshot) -> AnalysisKey {
        AnalysisKey(version: snapshot.version, generation: dependencyGeneration[snapshot.uri, default: 0])
    }

    /// The analysis of a snapshot, started once per version (and dependency generation) and shared by
    /// every request that needs it.
    func analysis(of snapshot: DocumentSnapshot) -> Task<DocumentAnalysis, Never> {
        let key = analysisKey(snapshot)
        if let existing = analyses[snapshot.uri], existing.key == key { return existing.task }
        let task = analyze(snapshot)
        analyses[snapshot.uri] = (key, task)
        return task
    }

    /// Starts analysing a snapshot against the current workspace, off the actor: one call of the analyzer, given
    /// what the document's previous analysis left (`carried`), whose result serves every request for the version.
    func analyze(_ snapshot: DocumentSnapshot) -> Task<DocumentAnalysis, Never> {
        let analyzer = self.analyzer
        let limits = parseLimits
        let workspace = workspaceView()
        let overrides = settings.severity
        let carried = self.carried[snapshot.uri]
        return Task.detached(priority: .userInitiated) {
            var snapshot = snapshot
            snapshot.timings?.started = StageClock.now()
            let tree = SyntaxTree(parsing: snapshot.text.bytes, dialect: snapshot.dialect, limits: limits)
            snapshot.timings?.parsed = StageClock.now()
            // Superseded before checking began: no analysis (nothing will be published for this version).
            guard !Task.isCancelled else {
                return DocumentAnalysis(snapshot: snapshot, tree: tree, result: AnalyzerResult(findings: []))
            }
            let result = analyzer.analyze(snapshot, tree: tree, previous: carried?.latest, workspace: workspace)
            carried?.keep(result.state, version: snapshot.version)
            snapshot.timings?.checked = StageClock.now()
            return DocumentAnalysis(
                snapshot: snapshot, tree: tree, result: result,
                findings: overrides.isEmpty ? nil : LanguageServer.applying(overrides, to: result.findings))
        }
    }

    /// Severity overrides from the settings: a new level, or "off" to drop the finding.
    static func applying(_ overrides: [String: String], to findings: [EditorFinding]) -> [EditorFinding] {
        findings.compactMap { finding in
            guard let code = finding.code, let level = overrides[code] else { return finding }
            var f = finding
            switch level.lowercased() {
            case "off", "none", "ignore": return nil
            case "error": f.severity = .error
            case "warning": f.severity = .warning
            case "information", "info": f.severity = .information
            case "hint": f.severity = .hint
            default: break
            }
            return f
        }
    }

    /// The framed push of an analysis's diagnostics.
    nonisolated static func encodedPush(_ analysis: DocumentAnalysis, encoding: PositionEncoding) async -> [UInt8] {
        MessageEncoder.publishDiagnostics(
            uri: analysis.snapshot.uri, version: analysis.snapshot.version, findings: analysis.findings,
            tree: analysis.tree, encoding: encoding)
    }

    /// The snapshot named by `params.textDocument.uri`, or InvalidParams.
    func snapshot(_ params: JSONValue) throws -> DocumentSnapshot {
        guard let uri = params["textDocument"]?["uri"]?.stringValue else {
            throw ResponseError(.invalidParams, "missing textDocument.uri")
        }
        guard let snapshot = documents[uri] else {
            throw ResponseError(.invalidParams, "document \(uri) is not open")
        }
        return snapshot
    }

    // MARK: - Conversions

    static func range(_ value: JSONValue?) -> PositionRange? {
        guard let value, let start = position(value["start"]), let end = position(value["end"]) else { return nil }
        return PositionRange(start: start, end: end)
    }

    static func position(_ value: JSONValue?) -> Position? {
        guard let line = value?["line"]?.intValue, let character = value?["character"]?.intValue else { return nil }
        return Position(line: line, character: character)
    }

    static func json(_ p: Position) -> JSONValue { ["line": .int(p.line), "character": .int(p.character)] }

    static func json(_ r: PositionRange) -> JSONValue { ["start": json(r.start), "end": json(r.end)] }

    static func diagnostic(_ f: EditorFinding, in tree: SyntaxTree, encoding: PositionEncoding) -> JSONValue {
        diagnostic(f, range: tree.range(of: f.range, encoding: encoding))
    }

    /// The diagnostics of many findings, their positions found in one pass over each line.
    static func diagnostics(_ findings: [EditorFinding], in tree: SyntaxTree, encoding: PositionEncoding) -> [JSONValue] {
        let ranges = tree.ranges(of: findings.map(\.range), encoding: encoding)
        return findings.indices.map { diagnostic(findings[$0], range: ranges[$0]) }
    }

    static func diagnostic(_ f: EditorFinding, range: PositionRange) -> JSONValue {
        var d: [(String, JSONValue)] = [
            ("range", json(range)),
            ("severity", .int(f.severity.rawValue)),
            ("source", "eccoe"),
            ("message", .string(f.message)),
        ]
        if let code = f.code { d.append(("code", .string(code))) }
        if let url = f.documentationURL { d.append(("codeDescription", ["href": .string(url)])) }
        if let data = f.data { d.append(("data", data)) }
        return .object(d)
    }
}

let serverVersion = "0.1.0"

/// What an open document's latest analysis left for the next one (`AnalyzerResult.state`), with its version.
/// One per open document, made on `didOpen` and dropped on `didClose` by the server's actor; the analysis tasks
/// write it when they finish, so the mutex is its owner. A late analysis of an older version never replaces a
/// newer one's state.
final class CarriedState: Sendable {
    private let kept = Mutex<(version: Int, state: AnalyzerState)?>(nil)

    var latest: AnalyzerState? { kept.withLock { $0?.state } }

    var version: Int? { kept.withLock { $0?.version } }

    func keep(_ state: AnalyzerState?, version: Int) {
        guard let state else { return }
        kept.withLock { current in
            if let current, current.version > version { return }
            current = (version, state)
        }
    }
}

/// Identifies one analysis of a document: its version, and how many times a document it depends on changed.
struct AnalysisKey: Hashable, Sendable {
    var version: Int
    var generation: Int
}

/// Why the server sent a request of its own, so the answer can be acted on.
enum OutgoingRequest: Sendable {
    case ignored
    case configuration
    case progress(token: String)
    /// `window/showDocument` of a link to the consultation: if the client could not open it, the user is told.
    case consultationLink(String)
}
