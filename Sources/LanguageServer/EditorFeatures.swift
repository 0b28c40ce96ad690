import Foundation
import JSONSyntax

/// Completion, hover, quick fixes and go-to-definition: the analyzer answers in byte offsets, the
/// server converts to and from the protocol.
extension LanguageServer {
    /// Documents at `position` and the byte offset there, for the request's document.
    private func target(_ params: JSONValue) throws -> (DocumentSnapshot, Task<DocumentAnalysis, Never>, Position) {
        let snapshot = try snapshot(params)
        guard let position = Self.position(params["position"]) else { throw ResponseError(.invalidParams, "missing position") }
        return (snapshot, analysis(of: snapshot), position)
    }

    func completion(_ params: JSONValue) throws -> Reply {
        let (_, task, position) = try target(params)
        let analyzer = self.analyzer
        let encoding = self.encoding
        let client = self.client
        return .later {
            let analysis = await task.value
            let tree = analysis.tree
            let offset = tree.offset(of: position, encoding: encoding)
            let list = analyzer.completions(analysis, offset: offset, snippets: client.snippets)
            // The items share a few ranges: their positions are found in one pass.
            let ranges = tree.ranges(of: list.items.map(\.replace), encoding: encoding)
            let items = zip(list.items, ranges).map { c, range -> JSONValue in
                // One edit over the whole word: a value or a name is replaced whole, never spliced.
                let edit: JSONValue = ["range": LanguageServer.json(range), "newText": .string(c.insertText)]
                var item: [(String, JSONValue)] = [
                    ("label", .string(c.label)), ("kind", .int(c.kind.rawValue)), ("textEdit", edit),
                    ("insertTextFormat", .int(c.isSnippet ? 2 : 1)),
                ]
                if let d = c.detail, !d.isEmpty { item.append(("detail", .string(d))) }
                if let d = c.documentation {
                    item.append(("documentation", LanguageServer.markup(d, markdown: client.completionMarkdown)))
                }
                if let s = c.sortText { item.append(("sortText", .string(s))) }
                if let f = c.filterText { item.append(("filterText", .string(f))) }
                return .object(item)
            }
            return ["isIncomplete": .bool(list.isIncomplete), "items": .array(items)]
        }
    }

    /// Documentation as Markdown for clients that render it, else as plain text.
    nonisolated static func markup(_ markdown: String, markdown accepted: Bool) -> JSONValue {
        accepted
            ? ["kind": "markdown", "value": .string(markdown)]
            : ["kind": "plaintext", "value": .string(MarkupText.plainText(fromMarkdown: markdown))]
    }

    func hover(_ params: JSONValue) throws -> Reply {
        let (_, task, position) = try target(params)
        let analyzer = self.analyzer
        let encoding = self.encoding
        let markdown = client.hoverMarkdown
        return .later {
            let analysis = await task.value
            let tree = analysis.tree
            guard let hover = analyzer.hover(analysis, offset: tree.offset(of: position, encoding: encoding)) else {
                return .null
            }
            return [
                "contents": LanguageServer.markup(hover.markdown, markdown: markdown),
                "range": LanguageServer.json(tree.range(of: hover.range, encoding: encoding)),
            ]
        }
    }

    func codeActions(_ params: JSONValue) throws -> Reply {
        let snapshot = try snapshot(params)
        guard let range = Self.range(params["range"]) else { throw ResponseError(.invalidParams, "missing range") }
        let task = analysis(of: snapshot)
        let analyzer = self.analyzer
        let encoding = self.encoding
        let sent = params["context"]?["diagnostics"]?.arrayValue ?? []
        let consultation = client.showDocument ? settings.consultationURL : nil
        // `only` asks for some kinds: an action is wanted when its kind is one of them or below one (so a
        // request for `source.organizeImports`, as editors send on save, never gets a `refactor` action).
        let only = params["context"]?["only"]?.arrayValue?.compactMap(\.stringValue)
        @Sendable func wanted(_ kind: String) -> Bool {
            only.map { $0.contains { kind == $0 || kind.hasPrefix($0 + ".") } } ?? true
        }
        if only != nil, !wanted("quickfix"), !wanted("refactor") { return .now([]) }
        return .later {
            let analysis = await task.value
            let tree = analysis.tree
            let bytes = snapshot.text.byteRange(of: range, encoding: encoding)
            let relevant = analysis.findings.filter {
                $0.range.overlaps(bytes) || $0.range.lowerBound == bytes.lowerBound
                    || (bytes.isEmpty && $0.range.contains(bytes.lowerBound)) || $0.range.upperBound == bytes.lowerBound
            }
            var actions = analyzer.codeActions(analysis, range: bytes, findings: relevant)
            if consultation != nil { actions += LanguageServer.consultationActions(for: relevant) }
            actions = actions.filter { wanted($0.kind) }
            return .array(
                actions.map { action in
                    if let command = action.command {
                        return [
                            "title": .string(action.title), "kind": .string(action.kind),
                            "command": [
                                "title": .string(action.title), "command": .string(command.name),
                                "arguments": .array(command.arguments),
                            ],
                        ]
                    }
                    let edits: [JSONValue] = action.edits.map {
                        [
                            "range": LanguageServer.json(tree.range(of: $0.range, encoding: encoding)),
                            "newText": .string($0.newText),
                        ]
                    }
                    let fixed = sent.filter { d in d["code"]?.stringValue.map(action.fixes.contains) ?? false }
                    var object: [(String, JSONValue)] = [
                        ("title", .string(action.title)), ("kind", .string(action.kind)),
                        ("edit", ["changes": .object([(snapshot.uri, .array(edits))])]),
                    ]
                    if !fixed.isEmpty { object.append(("diagnostics", .array(fixed))) }
                    if action.isPreferred { object.append(("isPreferred", true)) }
                    return .object(object)
                })
        }
    }

    func definition(_ params: JSONValue) throws -> Reply {
        let (_, task, position) = try target(params)
        let analyzer = self.analyzer
        let encoding = self.encoding
        let workspace = workspaceView()
        return .later {
            let analysis = await task.value
            let offset = analysis.tree.offset(of: position, encoding: encoding)
            guard let location = analyzer.definition(analysis, offset: offset, workspace: workspace) else { return .null }
            var target = PositionRange(start: Position(line: 0, character: 0), end: Position(line: 0, character: 0))
            if let r = location.range, let text = workspace.document(at: location.path).text {
                target = text.range(of: r, encoding: encoding)
            }
            return ["uri": .string(DocumentURI.uri(forPath: location.path)), "range": LanguageServer.json(target)]
        }
    }

    /// `textDocument/documentLink`: the links of the version's analysis (an agreement's references to the
    /// documents they resolved to), each from its byte range here to the other document's URI.
    func documentLinks(_ params: JSONValue) throws -> Reply {
        let task = analysis(of: try snapshot(params))
        let encoding = self.encoding
        return .later {
            let analysis = await task.value
            let ranges = analysis.tree.ranges(of: analysis.links.map(\.range), encoding: encoding)
            return .array(
                zip(analysis.links, ranges).map { link, range in
                    var object: [(String, JSONValue)] = [
                        ("range", LanguageServer.json(range)), ("target", .string(DocumentURI.uri(forPath: link.path))),
                    ]
                    if let tooltip = link.tooltip { object.append(("tooltip", .string(tooltip))) }
                    return .object(object)
                })
        }
    }

    /// `workspace/executeCommand`: runs an analyzer command (off the actor), then creates the files it made:
    /// through `workspace/applyEdit` (a CreateFile operation and the text) when the client supports it, else
    /// written here, never over an existing file, and shown with `window/showDocument` when the client can.
    func executeCommand(_ params: JSONValue) throws -> Reply {
        if params["command"]?.stringValue == Self.consultationCommand, client.showDocument {
            return try openConsultation(params["arguments"]?.arrayValue ?? [])
        }
        guard let name = params["command"]?.stringValue, analyzer.commands.contains(name) else {
            throw ResponseError(.invalidParams, "unknown command `\(params["command"]?.stringValue ?? "")`")
        }
        let arguments = params["arguments"]?.arrayValue ?? []
        let analyzer = self.analyzer
        let workspace = workspaceView()
        return .later {
            let result = analyzer.executeCommand(name, arguments: arguments, workspace: workspace)
            if let failure = result.failure { throw ResponseError(.invalidParams, failure) }
            try await self.deliver(result)
            return .null
        }
    }

    func deliver(_ result: EditorCommandResult) throws {
        let zero: JSONValue = ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]]
        if client.createFilesByEdit {
            var changes: [JSONValue] = []
            for file in result.newFiles {
                let uri = JSONValue.string(DocumentURI.uri(forPath: file.path))
                changes.append(["kind": "create", "uri": uri, "options": ["overwrite": false, "ignoreIfExists": false]])
                changes.append([
                    "textDocument": ["uri": uri, "version": .null], "edits": [["range": zero, "newText": .string(file.text)]],
                ])
            }
            request("workspace/applyEdit", ["label": .string(result.label), "edit": ["documentChanges": .array(changes)]])
        } else {
            for file in result.newFiles {
                guard !FileManager.default.fileExists(atPath: file.path),
                    FileManager.default.createFile(atPath: file.path, contents: Data(file.text.utf8))
                else {
                    throw ResponseError(.invalidParams, "could not create \(file.path)")
                }
            }
            if client.showDocument, let first = result.newFiles.first {
                request("window/showDocument", ["uri": .string(DocumentURI.uri(forPath: first.path)), "takeFocus": true])
            }
        }
        if let message = result.message { notify("window/showMessage", ["type": 3, "message": .string(message)]) }
    }
}

/// "Comment on MC-07 in the consultation": with `eccoe.consultationUrl` set and a client that opens documents
/// (`window/showDocument`), each criterion a diagnostic names gets an action that opens the consultation's form
/// at that criterion in the user's browser. Only the criterion ID goes into the link.
extension LanguageServer {
    static let consultationCommand = "eccoe.commentInConsultation"

    /// One action per criterion among `findings` (their `data.criterion`), in their order.
    nonisolated static func consultationActions(for findings: [EditorFinding]) -> [EditorCodeAction] {
        var seen: Set<String> = []
        return findings.compactMap { finding in
            guard let id = finding.data?["criterion"]?.stringValue, ConsultationLink.isCriterionID(id), seen.insert(id).inserted
            else { return nil }
            return EditorCodeAction(
                title: "Comment on \(id) in the consultation", edits: [],
                command: EditorCommand(name: consultationCommand, arguments: [.string(id)]))
        }
    }

    /// Asks the client to open the link to the criterion given as the one argument, in the browser.
    func openConsultation(_ arguments: [JSONValue]) throws -> Reply {
        guard let base = settings.consultationURL else {
            throw ResponseError(.invalidParams, settings.consultationURLProblem ?? "eccoe.consultationUrl is not set")
        }
        guard arguments.count == 1, let id = arguments[0].stringValue, ConsultationLink.isCriterionID(id) else {
            throw ResponseError(.invalidParams, "\(Self.consultationCommand) takes one criterion ID, such as \"MC-07\"")
        }
        let link = ConsultationLink.link(base: base, criterion: id)
        request("window/showDocument", ["uri": .string(link), "external": true], for: .consultationLink(link))
        return .now(.null)
    }
}
