import JSONSyntax

/// Limits of formatting answers.
enum FormattingLimits {
    /// At most this many edits, each replacing one run of whitespace; a document that needs more (one
    /// re-indented throughout) gets a single replacement of its text, the smaller answer then.
    static let maxEdits = 10_000
}

/// The requests answered from the syntax tree: diagnostics (pull), symbols, folding, selection, formatting.
extension LanguageServer {
    func pullDiagnostics(_ params: JSONValue) throws -> Reply {
        let snapshot = try snapshot(params)
        let previous = params["previousResultId"]?.stringValue
        let encoding = self.encoding
        return .later { [self] in
            // The first answers wait for the user's settings, as pushes do.
            await settingsReady()
            let (resultID, task) = await resultAndAnalysis(snapshot)
            if let previous, previous == resultID { return ["kind": "unchanged", "resultId": .string(resultID)] }
            let analysis = await task.value
            return [
                "kind": "full", "resultId": .string(resultID),
                "items": .array(LanguageServer.diagnostics(analysis.findings, in: analysis.tree, encoding: encoding)),
            ]
        }
    }

    /// The result id of a snapshot's diagnostics and the analysis giving them.
    func resultAndAnalysis(_ snapshot: DocumentSnapshot) -> (String, Task<DocumentAnalysis, Never>) {
        ("\(snapshot.version).\(dependencyGeneration[snapshot.uri, default: 0])", analysis(of: snapshot))
    }

    func documentSymbols(_ params: JSONValue) throws -> Reply {
        let task = analysis(of: try snapshot(params))
        let encoding = self.encoding
        let hierarchical = client.hierarchicalSymbols
        return .later {
            let analysis = await task.value
            return DocumentOutline.symbols(
                analysis.tree, encoding: encoding, hierarchical: hierarchical, uri: analysis.snapshot.uri)
        }
    }

    func foldingRanges(_ params: JSONValue) throws -> Reply {
        let task = analysis(of: try snapshot(params))
        return .later { DocumentOutline.foldingRanges(await task.value.tree) }
    }

    func selectionRanges(_ params: JSONValue) throws -> Reply {
        let task = analysis(of: try snapshot(params))
        let positions = (params["positions"]?.arrayValue ?? []).compactMap(LanguageServer.position)
        let encoding = self.encoding
        return .later {
            let tree = await task.value.tree
            return .array(positions.map { DocumentOutline.selectionRange(tree, at: $0, encoding: encoding) })
        }
    }

    func formatting(_ params: JSONValue, range: Bool) throws -> Reply {
        let snapshot = try snapshot(params)
        let task = analysis(of: snapshot)
        let options = params["options"]
        let indent =
            options?["insertSpaces"]?.boolValue == false
            ? "\t" : String(repeating: " ", count: max(1, min(16, options?["tabSize"]?.intValue ?? 2)))
        let requested = range ? LanguageServer.range(params["range"]) : nil
        let encoding = self.encoding
        return .later {
            let tree = await task.value.tree
            guard !tree.hasErrors else { return .null }  // never rewrite a document we cannot fully read
            var target = tree.document
            if let requested {
                let bytes = snapshot.text.byteRange(of: requested, encoding: encoding)
                target = DocumentOutline.smallestContainer(tree, covering: bytes) ?? tree.document
            }
            // The whitespace runs that differ, one edit each; past the limit, one replacement of the whole range.
            let formatter = JSONFormatter(indent: indent)
            if let edits = formatter.edits(tree, node: target, limit: FormattingLimits.maxEdits) {
                let ranges = tree.ranges(of: edits.map(\.range), encoding: encoding)
                return .array(zip(edits, ranges).map { ["range": LanguageServer.json($1), "newText": .string($0.newText)] })
            }
            guard let edit = formatter.edit(tree, node: target) else { return [] }
            return [
                ["range": LanguageServer.json(tree.range(of: edit.range, encoding: encoding)), "newText": .string(edit.newText)]
            ]
        }
    }
}

/// Symbols, folding and selection ranges computed from a syntax tree.
enum DocumentOutline {
    /// At most this many symbols are returned (a huge document still answers quickly).
    static let maxSymbols = 10_000
    /// At most this many folding ranges are returned.
    static let maxFoldingRanges = 10_000

    static func symbols(_ tree: SyntaxTree, encoding: PositionEncoding, hierarchical: Bool, uri: String) -> JSONValue {
        var budget = maxSymbols
        var flat: [JSONValue] = []

        func kind(_ node: SyntaxNode) -> Int {
            switch node.kind {
            case .object: 19
            case .array: 18
            case .string: 15
            case .number: 16
            case .true, .false: 17
            case .null: 21
            default: 13
            }
        }
        func detail(_ node: SyntaxNode) -> String? {
            switch node.kind {
            case .object:
                if let type = node.value(forKey: "type") {
                    return type.kind == .string
                        ? type.stringValue : type.elements.compactMap(\.stringValue).joined(separator: ", ")
                }
                return nil
            case .string: return node.stringValue.map { $0.count > 60 ? String($0.prefix(60)) + "…" : $0 }
            case .number, .true, .false, .null: return node.sourceText
            default: return nil
            }
        }
        func children(of node: SyntaxNode, container: String?) -> [JSONValue] {
            var out: [JSONValue] = []
            if node.kind == .object {
                for member in node.members where budget > 0 && !member.key.isMissing {
                    budget -= 1
                    out.append(
                        symbol(
                            name: member.name.isEmpty ? "\"\"" : member.name, value: member.value,
                            range: member.range, selection: member.key.range, container: container))
                }
            } else if node.kind == .array {
                for (i, element) in node.elements.enumerated() where budget > 0 {
                    budget -= 1
                    out.append(
                        symbol(
                            name: "[\(i)]", value: element, range: element.range, selection: element.range, container: container))
                }
            }
            return out
        }
        func symbol(name: String, value: SyntaxNode, range: Range<Int>, selection: Range<Int>, container: String?) -> JSONValue {
            var s: [(String, JSONValue)] = [("name", .string(name)), ("kind", .int(kind(value)))]
            if hierarchical {
                if let d = detail(value) { s.append(("detail", .string(d))) }
                s.append(("range", LanguageServer.json(tree.range(of: range, encoding: encoding))))
                s.append(("selectionRange", LanguageServer.json(tree.range(of: selection, encoding: encoding))))
                let kids = children(of: value, container: nil)
                if !kids.isEmpty { s.append(("children", .array(kids))) }
                return .object(s)
            }
            s.append(
                ("location", ["uri": .string(uri), "range": LanguageServer.json(tree.range(of: range, encoding: encoding))]))
            if let container { s.append(("containerName", .string(container))) }
            flat.append(.object(s))
            _ = children(of: value, container: name)
            return .null
        }
        let top = children(of: tree.root, container: nil)
        return hierarchical ? .array(top) : .array(flat)
    }

    static func foldingRanges(_ tree: SyntaxTree) -> JSONValue {
        var out: [JSONValue] = []
        let lines = tree.lineTable
        for i in 1..<tree.nodeCount where out.count < maxFoldingRanges {
            let node = tree.node(atIndex: i)
            guard node.kind == .object || node.kind == .array else { continue }
            let start = lines.line(containing: node.range.lowerBound)
            let end = lines.line(containing: max(node.range.lowerBound, node.range.upperBound - 1))
            // Fold up to the line before the closing bracket, so the bracket stays visible.
            if end - 1 > start { out.append(["startLine": .int(start), "endLine": .int(end - 1)]) }
        }
        for token in tree.tokens where token.kind == .blockComment && out.count < maxFoldingRanges {
            let start = lines.line(containing: token.range.lowerBound)
            let end = lines.line(containing: token.range.upperBound - 1)
            if end > start { out.append(["startLine": .int(start), "endLine": .int(end), "kind": "comment"]) }
        }
        return .array(out)
    }

    /// Innermost first: the token, its member (key and value), its container, and so on out to the document.
    static func selectionRange(_ tree: SyntaxTree, at position: Position, encoding: PositionEncoding) -> JSONValue {
        let offset = tree.offset(of: position, encoding: encoding)
        var ranges: [Range<Int>] = [0..<tree.bytes.count]
        var parentKind: SyntaxKind = .document
        var parent: SyntaxNode?
        for node in tree.nodePath(atOffset: offset) {
            if parentKind == .object, let parent {
                // Add the member's range (key through value) between the container and the node.
                if let member = parent.members.first(where: { $0.key == node || $0.value == node }) {
                    ranges.append(member.range)
                }
            }
            ranges.append(node.range)
            parentKind = node.kind
            parent = node
        }
        var deduplicated: [Range<Int>] = []
        for r in ranges where deduplicated.last != r { deduplicated.append(r) }
        var result: JSONValue?
        for r in deduplicated {
            var object: [(String, JSONValue)] = [("range", LanguageServer.json(tree.range(of: r, encoding: encoding)))]
            if let result { object.append(("parent", result)) }
            result = .object(object)
        }
        return result ?? ["range": LanguageServer.json(tree.range(of: offset..<offset, encoding: encoding))]
    }

    static func smallestContainer(_ tree: SyntaxTree, covering bytes: Range<Int>) -> SyntaxNode? {
        let path = tree.nodePath(atOffset: bytes.lowerBound)
        return path.reversed().first {
            ($0.kind == .object || $0.kind == .array) && $0.range.lowerBound <= bytes.lowerBound
                && $0.range.upperBound >= bytes.upperBound
        }
    }
}
