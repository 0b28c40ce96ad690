import Foundation
import JSONSyntax

/// Limits of workspace indexing, with documented defaults.
enum WorkspaceLimits {
    /// Files indexed per workspace; the rest are left out (a log line says so).
    static let maxFiles = 5_000
    /// Files larger than this are not indexed (they are still checked when opened).
    static let maxFileBytes = 16 << 20
    /// Folders deeper than this below a workspace root are not searched.
    static let maxDepth = 32
}

/// The workspace: indexing folders, files changing on disk, dependents, configuration.
extension LanguageServer {
    func initialized() {
        if client.watchedFilesDynamicRegistration {
            request("client/registerCapability", ["registrations": [[
                "id": "eccoe-watched-files", "method": "workspace/didChangeWatchedFiles",
                "registerOptions": ["watchers": [["globPattern": "**/*.{json,jsonld,jsonc}"]]],
            ]]])
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
                notify("window/showMessage", ["type": 2, "message": .string("The editor could not open the consultation; open \(link) in a browser")])
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
        let token = "eccoe-indexing"
        let progress = client.workDoneProgress
        if progress {
            request("window/workDoneProgress/create", ["token": .string(token)], for: .progress(token: token))
            notify("$/progress", ["token": .string(token), "value": ["kind": "begin", "title": "Indexing ECCOE documents", "percentage": 0]])
        }
        indexing = Task.detached(priority: .utility) {
            let paths = LanguageServer.findDocuments(in: roots) { analyzer.isWorkspaceDocument(path: $0, settings: settings) }
            var files: [String: SourceText] = [:]
            for (i, path) in paths.enumerated() {
                if Task.isCancelled { return }
                if let text = LanguageServer.readFile(path) { files[path] = text }
                if progress && i % 100 == 99 {
                    await self.notify("$/progress", ["token": .string(token), "value": [
                        "kind": "report", "message": .string("\(i + 1) of \(paths.count) files"),
                        "percentage": .int((i + 1) * 100 / max(1, paths.count)),
                    ]])
                }
            }
            await self.indexed(files, progressToken: progress ? token : nil)
        }
    }

    func indexed(_ files: [String: SourceText], progressToken: String?) {
        for (path, text) in files where diskFiles[path] == nil { diskFiles[path] = text }
        if let progressToken {
            notify("$/progress", ["token": .string(progressToken), "value": ["kind": "end", "message": .string("\(files.count) files")]])
        }
        // Open documents that refer to other files may see them for the first time; the others are unaffected.
        for snapshot in documents.values where !(dependencies[snapshot.uri] ?? []).isEmpty {
            dependencyGeneration[snapshot.uri, default: 0] += 1
            documentChanged(snapshot)
        }
        if client.pullDiagnostics && client.diagnosticRefresh { request("workspace/diagnostic/refresh", .null) }
    }

    nonisolated static func findDocuments(in roots: [String], accept: (String) -> Bool) -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        for root in roots {
            var stack: [(String, Int)] = [(root, 0)]
            while let (dir, depth) = stack.popLast(), found.count < WorkspaceLimits.maxFiles {
                guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
                for name in names.sorted() where !name.hasPrefix(".") && name != "node_modules" {
                    let path = dir + "/" + name
                    var isDirectory: ObjCBool = false
                    guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
                    if isDirectory.boolValue {
                        if depth < WorkspaceLimits.maxDepth { stack.append((path, depth + 1)) }
                    } else if accept(path) {
                        found.append(path)
                        if found.count >= WorkspaceLimits.maxFiles {
                            log("workspace has more than \(WorkspaceLimits.maxFiles) documents; the rest are not indexed")
                            break
                        }
                    }
                }
            }
        }
        return found
    }

    nonisolated static func readFile(_ path: String) -> SourceText? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size <= WorkspaceLimits.maxFileBytes,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return SourceText(Array(data))
    }

    func watchedFilesChanged(_ params: JSONValue) {
        for change in params["changes"]?.arrayValue ?? [] {
            guard let uri = change["uri"]?.stringValue, let path = DocumentURI.path(of: uri) else { continue }
            if change["type"]?.intValue == 3 {
                diskFiles[path] = nil
            } else if analyzer.isWorkspaceDocument(path: path, settings: settings), let text = Self.readFile(path) {
                diskFiles[path] = text
            }
            dependencyChanged(path: path)
        }
    }

    /// A document changed (edited, saved, created or deleted): check again every open document that
    /// depends on it.
    func dependencyChanged(path: String?) {
        guard let path else { return }
        for (uri, paths) in dependencies where paths.contains(path) {
            guard let snapshot = documents[uri], snapshot.path != path else { continue }
            dependencyGeneration[uri, default: 0] += 1
            documentChanged(snapshot)
        }
        if client.pullDiagnostics && client.diagnosticRefresh && dependencies.values.contains(where: { $0.contains(path) }) {
            request("workspace/diagnostic/refresh", .null)
        }
    }

    /// The texts of the workspace: files on disk, overlaid with open documents as edited.
    func workspaceView() -> WorkspaceView {
        var files = diskFiles
        for snapshot in documents.values {
            if let path = snapshot.path { files[path] = snapshot.text }
        }
        return WorkspaceView(files: files, settings: settings)
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
                let snapshot = DocumentSnapshot(uri: uri, version: 0, languageID: path.hasSuffix(".jsonc") ? "jsonc" : "json", text: text)
                let tree = SyntaxTree(parsing: text.bytes, dialect: snapshot.dialect, limits: limits)
                let findings = LanguageServer.applying(overrides, to: analyzer.analyze(snapshot, tree: tree, workspace: workspace))
                items.append(["kind": "full", "uri": .string(uri), "version": nil, "resultId": .string(resultID),
                              "items": .array(LanguageServer.diagnostics(findings, in: tree, encoding: encoding))])
            }
            return ["items": .array(items)]
        }
    }
}
