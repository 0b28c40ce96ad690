import Foundation
public import JSONSyntax

/// Limits of the workspace: indexing, and reading the documents an analysis refers to. Each has a documented
/// default and a test at the limit.
public struct WorkspaceLimits: Sendable, Hashable {
    /// Files indexed per workspace; the rest are left out (a log line says so). Default 5,000.
    public var maxFiles: Int
    /// The largest file (bytes) read from the workspace: indexed, read when a referenced document (an agreement's
    /// learning opportunity) is not open, or offered to an analysis as a referenced document when it is open
    /// (default 16 MiB). A larger file is not indexed (it is still checked when opened itself); as a reference it
    /// is `WorkspaceDocument.tooLarge`, which the agreement's findings say.
    public var maxFileBytes: Int
    /// Folders deeper than this below a workspace root are not searched. Default 32.
    public var maxDepth: Int
    /// At most this many files of one folder are listed when looking for a document by its `id` outside the
    /// index (`WorkspaceView.documentPaths(inFolder:)`). Default 1,000.
    public var maxFolderFiles: Int

    public static let `default` = WorkspaceLimits()

    public init(maxFiles: Int = 5_000, maxFileBytes: Int = 16 << 20, maxDepth: Int = 32, maxFolderFiles: Int = 1_000) {
        self.maxFiles = max(0, maxFiles)
        self.maxFileBytes = max(0, maxFileBytes)
        self.maxDepth = max(0, maxDepth)
        self.maxFolderFiles = max(0, maxFolderFiles)
    }
}

/// A document of the workspace as an analysis asks for it by path.
public enum WorkspaceDocument: Sendable {
    /// Its text: the editor's buffer when it is open, else the file as indexed or read now.
    case text(SourceText)
    /// No file at that path.
    case missing
    /// Larger than `WorkspaceLimits.maxFileBytes`: not read.
    case tooLarge(bytes: Int, limit: Int)
    /// Something is there that cannot be read as a document (a folder, a file without read permission…): why.
    case unreadable(String)

    public var text: SourceText? {
        if case .text(let text) = self { return text }
        return nil
    }
}

/// What an analysis may read besides its own document: the workspace's documents by path (open documents as
/// edited, the others as indexed), the settings, and, for files the index does not hold, the disk — read here,
/// within `limits`, never by the analyzer itself.
public struct WorkspaceView: Sendable {
    /// The texts known without reading: open documents as edited, over the indexed files.
    public var files: [String: SourceText]
    public var settings: ServerSettings
    public var limits: WorkspaceLimits

    public init(
        files: [String: SourceText] = [:], settings: ServerSettings = ServerSettings(), limits: WorkspaceLimits = .default
    ) {
        self.files = files
        self.settings = settings
        self.limits = limits
    }

    /// The document at `path` (absolute): the editor's buffer or the indexed text, else the file read now; a
    /// document over `limits.maxFileBytes` is `.tooLarge`, whichever way it comes.
    public func document(at path: String) -> WorkspaceDocument {
        if let text = files[path] {
            return text.bytes.count > limits.maxFileBytes
                ? .tooLarge(bytes: text.bytes.count, limit: limits.maxFileBytes) : .text(text)
        }
        return WorkspaceFiles.read(path, limit: limits.maxFileBytes)
    }

    /// Whether anything exists at `path`: an open or indexed document, or a file or folder on disk.
    public func exists(_ path: String) -> Bool {
        files[path] != nil || FileManager.default.fileExists(atPath: path)
    }

    /// The JSON, JSON-LD and JSONC files of a folder (absolute paths, sorted by name), at most
    /// `limits.maxFolderFiles` of them: where to look for a document by its `id` beyond the index.
    public func documentPaths(inFolder folder: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        return names.prefix(limits.maxFolderFiles)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonld") || $0.hasSuffix(".jsonc") }
            .map { folder + "/" + $0 }
    }
}

/// The one place the server reads workspace files from disk.
enum WorkspaceFiles {
    /// The file at `path` if it is a regular file of at most `limit` bytes.
    static func read(_ path: String, limit: Int) -> WorkspaceDocument {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            return FileManager.default.fileExists(atPath: path) ? .unreadable("its attributes cannot be read") : .missing
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            return .unreadable(type == .typeDirectory ? "it is a folder, not a file" : "it is not a regular file")
        }
        let size = attributes[.size] as? Int ?? 0
        guard size <= limit else { return .tooLarge(bytes: size, limit: limit) }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable("it cannot be read") }
        // The file may have grown between the two looks.
        guard data.count <= limit else { return .tooLarge(bytes: data.count, limit: limit) }
        return .text(SourceText(Array(data)))
    }
}

/// The workspace: indexing folders, files changing on disk, dependents, configuration.
extension LanguageServer {
    func initialized() {
        if client.watchedFilesDynamicRegistration {
            request(
                "client/registerCapability",
                [
                    "registrations": [
                        [
                            "id": "eccoe-watched-files", "method": "workspace/didChangeWatchedFiles",
                            "registerOptions": ["watchers": [["globPattern": "**/*.{json,jsonld,jsonc}"]]],
                        ]
                    ]
                ])
        }
        if client.configuration {
            settingsAwaited = true
            requestConfiguration()
            let wait = settingsWait
            Task {
                try? await Task.sleep(for: wait)
                self.settingsArrived()
            }
        }
        warnAboutSettings()
        startIndexing()
    }

    /// Tells the user about a setting that was refused (shown once per settings received).
    func warnAboutSettings() {
        if let problem = settings.consultationURLProblem {
            log(problem)
            notify("window/showMessage", ["type": 2, "message": .string(problem)])
        }
    }

    func requestConfiguration() {
        request("workspace/configuration", ["items": [["section": "eccoe"]]], for: .configuration)
    }

    func handleResponse(id: RequestID?, result: JSONValue?, error: JSONValue?) {
        guard case .string(let key)? = id, let purpose = outgoing.removeValue(forKey: key) else { return }
        switch purpose {
        case .configuration:
            if let first = result?.arrayValue?.first, !first.isNull { applySettings(ServerSettings(first)) }
            settingsArrived()
        case .consultationLink(let link):
            if error != nil || result?["success"]?.boolValue == false {
                notify(
                    "window/showMessage",
                    ["type": 2, "message": .string("The editor could not open the consultation; open \(link) in a browser")])
            }
        case .progress, .ignored:
            break
        }
    }

    func applySettings(_ new: ServerSettings) {
        settings = new
        warnAboutSettings()
        // Everything open is checked again under the new settings.
        for snapshot in documents.values {
            dependencyGeneration[snapshot.uri, default: 0] += 1
            documentChanged(snapshot)
        }
    }

    /// Reads every workspace document not open, off the actor, with progress when the client shows it.
    func startIndexing() {
        guard !roots.isEmpty else { return }
        let roots = self.roots
        let analyzer = self.analyzer
        let settings = self.settings
        let limits = workspaceLimits
        let token = "eccoe-indexing"
        let progress = client.workDoneProgress
        if progress {
            request("window/workDoneProgress/create", ["token": .string(token)], for: .progress(token: token))
            notify(
                "$/progress",
                ["token": .string(token), "value": ["kind": "begin", "title": "Indexing ECCOE documents", "percentage": 0]])
        }
        indexing = Task.detached(priority: .utility) {
            let paths = LanguageServer.findDocuments(in: roots, limits: limits) {
                analyzer.isWorkspaceDocument(path: $0, settings: settings)
            }
            var files: [String: SourceText] = [:]
            for (i, path) in paths.enumerated() {
                if Task.isCancelled { return }
                if let text = WorkspaceFiles.read(path, limit: limits.maxFileBytes).text { files[path] = text }
                if progress && i % 100 == 99 {
                    await self.notify(
                        "$/progress",
                        [
                            "token": .string(token),
                            "value": [
                                "kind": "report", "message": .string("\(i + 1) of \(paths.count) files"),
                                "percentage": .int((i + 1) * 100 / max(1, paths.count)),
                            ],
                        ])
                }
            }
            await self.indexed(files, progressToken: progress ? token : nil)
        }
    }

    func indexed(_ files: [String: SourceText], progressToken: String?) {
        for (path, text) in files where diskFiles[path] == nil { diskFiles[path] = text }
        if let progressToken {
            notify(
                "$/progress",
                ["token": .string(progressToken), "value": ["kind": "end", "message": .string("\(files.count) files")]])
        }
        // Open documents that refer to other files may see them for the first time; the others are unaffected.
        // A document whose first analysis has not finished may be one (it began before the index was there).
        for snapshot in documents.values where !(dependencies[snapshot.uri]?.isEmpty ?? false) {
            dependencyGeneration[snapshot.uri, default: 0] += 1
            documentChanged(snapshot)
        }
        if client.pullDiagnostics && client.diagnosticRefresh { request("workspace/diagnostic/refresh", .null) }
    }

    nonisolated static func findDocuments(in roots: [String], limits: WorkspaceLimits, accept: (String) -> Bool) -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        for root in roots {
            var stack: [(String, Int)] = [(root, 0)]
            while let (dir, depth) = stack.popLast(), found.count < limits.maxFiles {
                guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
                for name in names.sorted() where !name.hasPrefix(".") && name != "node_modules" {
                    let path = dir + "/" + name
                    var isDirectory: ObjCBool = false
                    guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
                    if isDirectory.boolValue {
                        if depth < limits.maxDepth { stack.append((path, depth + 1)) }
                    } else if accept(path) {
                        found.append(path)
                        if found.count >= limits.maxFiles {
                            log("workspace has more than \(limits.maxFiles) documents; the rest are not indexed")
                            break
                        }
                    }
                }
            }
        }
        return found
    }

    func watchedFilesChanged(_ params: JSONValue) {
        for change in params["changes"]?.arrayValue ?? [] {
            guard let uri = change["uri"]?.stringValue, let path = DocumentURI.path(of: uri) else { continue }
            if change["type"]?.intValue == 3 {
                diskFiles[path] = nil
            } else if analyzer.isWorkspaceDocument(path: path, settings: settings),
                let text = WorkspaceFiles.read(path, limit: workspaceLimits.maxFileBytes).text
            {
                diskFiles[path] = text
            } else {
                diskFiles[path] = nil
            }
            // An open document's buffer, not the disk, is what its dependents see.
            guard !documents.values.contains(where: { $0.path == path }) else { continue }
            dependencyChanged(path: path, text: diskFiles[path]?.bytes)
        }
    }

    /// A document changed (edited, saved, created, deleted; `text` is what it holds now, nil if gone): check again
    /// every open document that depends on it, by path or by an `id` it now holds (a referenced file moved
    /// elsewhere is found again at once).
    func dependencyChanged(path: String?, text: [UInt8]?) {
        guard let path else { return }
        // A text over the limit is never read as a referenced document: no id in it counts.
        let text = text.flatMap { $0.count <= workspaceLimits.maxFileBytes ? $0 : nil }
        var affected = false
        for (uri, dependencies) in dependencies where dependencies.isAffected(byChangeOf: path, text: text) {
            affected = true
            guard let snapshot = documents[uri], snapshot.path != path else { continue }
            dependencyGeneration[uri, default: 0] += 1
            documentChanged(snapshot)
        }
        if client.pullDiagnostics && client.diagnosticRefresh && affected {
            request("workspace/diagnostic/refresh", .null)
        }
    }

    /// The texts of the workspace: files on disk, overlaid with open documents as edited.
    func workspaceView() -> WorkspaceView {
        var files = diskFiles
        for snapshot in documents.values {
            if let path = snapshot.path { files[path] = snapshot.text }
        }
        return WorkspaceView(files: files, settings: settings, limits: workspaceLimits)
    }

    /// `workspace/diagnostic`: reports for the workspace documents that are not open.
    func workspaceDiagnostics(_ params: JSONValue) -> Reply {
        var previousIDs: [String: String] = [:]
        for entry in params["previousResultIds"]?.arrayValue ?? [] {
            if let uri = entry["uri"]?.stringValue, let id = entry["value"]?.stringValue { previousIDs[uri] = id }
        }
        let previous = previousIDs
        let openPaths = Set(documents.values.compactMap(\.path))
        let files = diskFiles.filter { !openPaths.contains($0.key) }
        let workspace = workspaceView()
        let analyzer = self.analyzer
        let limits = parseLimits
        let encoding = self.encoding
        let overrides = settings.severity
        return .later {
            var items: [JSONValue] = []
            for (path, text) in files.sorted(by: { $0.key < $1.key }) {
                try Task.checkCancellation()
                let uri = DocumentURI.uri(forPath: path)
                let resultID = "disk-\(text.bytes.hashValue)"
                if previous[uri] == resultID {
                    items.append(["kind": "unchanged", "uri": .string(uri), "version": nil, "resultId": .string(resultID)])
                    continue
                }
                let snapshot = DocumentSnapshot(
                    uri: uri, version: 0, languageID: path.hasSuffix(".jsonc") ? "jsonc" : "json", text: text)
                let tree = SyntaxTree(parsing: text.bytes, dialect: snapshot.dialect, limits: limits)
                let result = analyzer.analyze(snapshot, tree: tree, previous: nil, workspace: workspace)
                let findings = LanguageServer.applying(overrides, to: result.findings)
                items.append([
                    "kind": "full", "uri": .string(uri), "version": nil, "resultId": .string(resultID),
                    "items": .array(LanguageServer.diagnostics(findings, in: tree, encoding: encoding)),
                ])
            }
            return ["items": .array(items)]
        }
    }
}
