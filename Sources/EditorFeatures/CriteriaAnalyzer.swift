import Criteria
import Foundation
import JSONSchema
public import JSONSyntax
public import LanguageServer

/// Connects the criteria engine to the language server: findings with criterion IDs and fixes,
/// completion of property names and vocabulary values, hover for criteria and IRIs, quick fixes,
/// and go-to-definition from an agreement to the documents it references. Works in byte offsets;
/// the server does the protocol.
public struct CriteriaAnalyzer: DocumentAnalyzer {
    let engine: CriteriaEngine
    /// Where a criterion's documentation lives (`codeDescription.href`): the catalogue rendered by
    /// `eccoe criteria --format markdown` is published there, one anchor per criterion.
    static let documentationBase = "https://eccoe.eu/criteria#"
    /// At most this many values are offered in one completion list.
    static let maxCompletionValues = 500

    public init() throws {
        engine = try CriteriaEngine()
    }

    // MARK: Diagnostics

    public func analyze(_ snapshot: DocumentSnapshot, tree: SyntaxTree, workspace: WorkspaceView) -> [EditorFinding] {
        let path = snapshot.path
        let kind = engine.kind(of: tree, path: path)
        var findings = engine.check(tree, path: path, kind: kind)
        if kind == .agreement, let path {
            var documents: [String: SyntaxTree] = [path: tree]
            for reference in engine.references(of: tree, path: path) {
                // The workspace view is the index; a file it does not hold yet (indexing still running, or
                // outside the folders) is read from disk, as `eccoe check` does.
                let bytes = workspace.files[reference]?.bytes ?? FileManager.default.contents(atPath: reference).map { Array($0) }
                if let bytes {
                    documents[reference] = SyntaxTree(parsing: bytes, dialect: reference.hasSuffix(".jsonc") ? .jsonc : .json)
                }
            }
            findings += engine.workspaceFindings(forAgreement: tree, path: path, documents: documents)
        }
        return findings.map(Self.editorFinding)
    }

    static func editorFinding(_ f: Finding) -> EditorFinding {
        let severity: EditorFinding.Severity
        switch f.severity {
        case .error: severity = .error
        case .warning: severity = .warning
        case .information: severity = .information
        case .hint: severity = .hint
        }
        var data: [(String, JSONValue)] = []
        if let id = f.criterionID { data.append(("criterion", .string(id))) }
        if let fix = f.fix { data.append(("fix", Self.json(fix))) }
        return EditorFinding(range: f.range, severity: severity, code: f.criterionID ?? f.code,
                             documentationURL: f.criterionID.map { documentationBase + $0 }, message: f.message,
                             data: data.isEmpty ? nil : .object(data))
    }

    static func json(_ edits: [FixEdit]) -> JSONValue {
        .array(edits.map { ["start": .int($0.range.lowerBound), "end": .int($0.range.upperBound), "newText": .string($0.newText)] })
    }

    static func json(_ fix: Fix) -> JSONValue {
        ["title": .string(fix.title), "edits": json(fix.edits),
         "choices": .array(fix.choices.map { ["label": .string($0.label), "value": .string($0.json), "edits": json($0.edits)] })]
    }

    static func edits(_ value: JSONValue?) -> [(range: Range<Int>, newText: String)] {
        (value?.arrayValue ?? []).compactMap { e in
            guard let s = e["start"]?.intValue, let t = e["end"]?.intValue, s <= t, let text = e["newText"]?.stringValue else { return nil }
            return (s..<t, text)
        }
    }

    public func dependencies(of snapshot: DocumentSnapshot, tree: SyntaxTree) -> [String] {
        guard let path = snapshot.path else { return [] }
        return engine.references(of: tree, path: path)
    }

    // MARK: Quick fixes

    /// At most this many alternative values are offered as separate quick fixes for one finding.
    static let maxChoiceActions = 12

    public func codeActions(_ snapshot: DocumentSnapshot, tree: SyntaxTree, range: Range<Int>,
                            findings: [EditorFinding]) -> [EditorCodeAction] {
        var actions: [EditorCodeAction] = []
        for finding in findings {
            guard let fix = finding.data?["fix"], let code = finding.code else { continue }
            // Alternatives that resemble what was typed come first ("soft" → "0613 Software and …").
            let typed = tree.node(atOffset: finding.range.lowerBound).flatMap(\.stringValue)?.lowercased() ?? ""
            let words = typed.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init).filter { $0.count >= 2 }
            func score(_ choice: JSONValue) -> Int {
                let label = (choice["label"]?.stringValue ?? "").lowercased()
                return words.reduce(0) { $0 + (label.contains($1) ? 1 : 0) }
            }
            let choices = (fix["choices"]?.arrayValue ?? []).enumerated()
                .sorted { (score($1.element), $0.offset) < (score($0.element), $1.offset) }.map(\.element)
            if !choices.isEmpty {
                for choice in choices.prefix(Self.maxChoiceActions) {
                    let edits = Self.edits(choice["edits"])
                    guard !edits.isEmpty, let label = choice["label"]?.stringValue else { continue }
                    actions.append(EditorCodeAction(title: "Replace with \(label)", edits: edits, fixes: [code],
                                                    isPreferred: choices.count == 1))
                }
            }
            let edits = Self.edits(fix["edits"])
            if !edits.isEmpty, let title = fix["title"]?.stringValue {
                actions.append(EditorCodeAction(title: title, edits: edits, fixes: [code], isPreferred: true))
            }
        }
        return actions
    }

    // MARK: Completion

    public func completions(_ snapshot: DocumentSnapshot, tree: SyntaxTree, offset: Int, snippets: Bool) -> [EditorCompletion] {
        guard let kind = engine.kind(of: tree, path: snapshot.path), let validator = engine.schemaValidator(for: kind) else { return [] }
        let site = CompletionSite.find(in: tree, at: offset)
        switch site {
        case .propertyName(let object, let replace, let typed, let nameOnly):
            return propertyCompletions(validator, tree: tree, object: object, replace: replace, typed: typed,
                                       snippets: snippets && !nameOnly, nameOnly: nameOnly)
        case .value(let pointer, let replace, let typed):
            return valueCompletions(validator, tree: tree, pointer: pointer, replace: replace, typed: typed)
        case .none:
            return []
        }
    }

    func propertyCompletions(_ validator: JSONSchemaValidator, tree: SyntaxTree, object: SyntaxNode, replace: Range<Int>,
                             typed: String, snippets: Bool, nameOnly: Bool) -> [EditorCompletion] {
        let present = Set(object.members.map(\.name))
        let pointer = object.pointer
        var seen = Set<String>()
        var items: [EditorCompletion] = []
        for annotation in validator.annotations(at: pointer, in: tree) {
            for property in annotation.properties where !present.contains(property.name) && seen.insert(property.name).inserted {
                var documentation = property.description ?? ""
                let criteria = criteria(forProperty: property.name)
                if !criteria.isEmpty {
                    documentation += (documentation.isEmpty ? "" : "\n\n") + criteria.map { "**\($0.id)** \($0.title)" }.joined(separator: "\n")
                }
                let insert: String
                var isSnippet = false
                if nameOnly {
                    insert = "\"\(property.name)\""
                } else if snippets {
                    isSnippet = true
                    insert = "\"\(property.name)\": \(skeleton(validator, tree: tree, pointer: pointer.appending(property.name)))"
                } else {
                    insert = "\"\(property.name)\": "
                }
                items.append(EditorCompletion(
                    label: property.name, kind: .property,
                    detail: [property.required ? "required" : nil, property.title].compactMap { $0 }.joined(separator: " · "),
                    documentation: documentation.isEmpty ? nil : documentation, insertText: insert, isSnippet: isSnippet,
                    replace: replace, sortText: (property.required ? "0" : "1") + property.name, filterText: property.name))
            }
        }
        return items
    }

    /// A snippet for a property's value shaped by its schema: an object, an array, a string or a bare value.
    func skeleton(_ validator: JSONSchemaValidator, tree: SyntaxTree, pointer: JSONPointer) -> String {
        let types = Set(validator.annotations(at: pointer, in: nil).flatMap(\.types))
        if types == ["object"] { return "{$1}" }
        if types == ["array"] { return "[$1]" }
        if types == ["string"] { return "\"$1\"" }
        return "$1"
    }

    func valueCompletions(_ validator: JSONSchemaValidator, tree: SyntaxTree, pointer: JSONPointer, replace: Range<Int>,
                          typed: String) -> [EditorCompletion] {
        var seen = Set<String>()
        var items: [EditorCompletion] = []
        for annotation in validator.annotations(at: pointer, in: tree) {
            for value in annotation.allowedValues where seen.insert(value.json).inserted && items.count < Self.maxCompletionValues {
                let iri = (try? JSONSerialization.jsonObject(with: Data(value.json.utf8), options: .fragmentsAllowed)) as? String
                let concept = iri.flatMap { engine.vocabularies.concept(forIRI: $0) }
                let notation = iri.flatMap { i in concept.flatMap { engine.vocabularies.concept(i, in: $0.vocabulary)?.notation } } ?? ""
                let name = concept.map { c in c.label } ?? value.title ?? value.json
                // "0613 Software and applications development and analysis": code and label, as the vocabularies print them.
                let label = notation.isEmpty || name.hasPrefix(notation) ? name : notation + " " + name
                var documentation = [value.description ?? concept?.definition, iri.map { "`\($0)`" }].compactMap { $0 }.joined(separator: "\n\n")
                if let vocabulary = concept?.vocabulary { documentation += "\n\n*\(vocabulary)*" }
                items.append(EditorCompletion(label: label, kind: .enumMember, detail: iri, documentation: documentation,
                                              insertText: value.json, replace: replace, sortText: label,
                                              filterText: label + " " + (iri ?? value.json)))
            }
            if let example = annotation.defaultValue, seen.insert(example).inserted {
                items.append(EditorCompletion(label: example, kind: .value, detail: "default", insertText: example, replace: replace))
            }
        }
        return items
    }

    /// Criteria whose element lives at a property of this name (from the catalogue's `elmPaths`).
    func criteria(forProperty name: String) -> [Criterion] {
        engine.catalogue.criteria.filter { criterion in
            criterion.elmPaths.contains { path in
                path.split(separator: ".").last.map { $0.replacingOccurrences(of: "[]", with: "") == name } ?? false
            }
        }
    }

    // MARK: Hover

    public func hover(_ snapshot: DocumentSnapshot, tree: SyntaxTree, offset: Int) -> EditorHover? {
        guard let node = tree.node(atOffset: offset) else { return nil }
        if node.flags.contains(.key), node.kind == .string, let name = node.stringValue {
            var parts: [String] = []
            if let kind = engine.kind(of: tree, path: snapshot.path), let validator = engine.schemaValidator(for: kind) {
                for annotation in validator.annotations(at: node.pointer, in: tree) where annotation.title != nil || annotation.description != nil {
                    parts.append([annotation.title.map { "**\($0)**" }, annotation.description].compactMap { $0 }.joined(separator: "\n\n"))
                    break
                }
            }
            for criterion in criteria(forProperty: name) {
                parts.append("**\(criterion.id)** (\(criterion.level.rawValue)) \(criterion.title): \(criterion.requirement)\n\n"
                             + "*Why:* \(criterion.rationale)\n\n*Source:* \(criterion.source)")
            }
            return parts.isEmpty ? nil : EditorHover(markdown: parts.joined(separator: "\n\n---\n\n"), range: node.range)
        }
        if node.kind == .string, let value = node.stringValue, let concept = engine.vocabularies.concept(forIRI: value) {
            var text = "**\(concept.label)**"
            if let definition = concept.definition { text += "\n\n\(definition)" }
            text += "\n\n*\(concept.vocabulary)* · `\(value)`"
            return EditorHover(markdown: text, range: node.range)
        }
        return nil
    }

    // MARK: Definition

    public func definition(_ snapshot: DocumentSnapshot, tree: SyntaxTree, offset: Int, workspace: WorkspaceView) -> EditorLocation? {
        guard let path = snapshot.path, engine.kind(of: tree, path: path) == .agreement,
              let node = tree.node(atOffset: offset), node.kind == .string, let value = node.stringValue else { return nil }
        let references = engine.references(of: tree, path: path)
        // A relative path to a referenced document.
        let folder = (path as NSString).deletingLastPathComponent
        let resolved = ((folder as NSString).appendingPathComponent(value) as NSString).standardizingPath
        if let target = references.first(where: { $0 == resolved }) { return EditorLocation(path: target, range: nil) }
        // An id: the referenced document whose top-level `id` it is.
        for target in references {
            guard let text = workspace.files[target] else { continue }
            let other = SyntaxTree(parsing: text.bytes)
            if let id = other.root.value(forKey: "id"), id.stringValue == value { return EditorLocation(path: target, range: id.range) }
        }
        return nil
    }
}

/// Where the cursor is, for completion: naming a property of an object, or writing a value at a pointer.
enum CompletionSite {
    /// `nameOnly`: the key is already followed by its colon, so only the quoted name is inserted.
    case propertyName(object: SyntaxNode, replace: Range<Int>, typed: String, nameOnly: Bool = false)
    case value(pointer: JSONPointer, replace: Range<Int>, typed: String)
    case none

    static func find(in tree: SyntaxTree, at offset: Int) -> CompletionSite {
        let path = tree.nodePath(atOffset: offset)
        guard let innermost = path.last else { return .none }
        // Inside a string token: a key or a value.
        if innermost.kind == .string && offset > innermost.range.lowerBound
            && (offset < innermost.range.upperBound || innermost.flags.contains(.unterminated)) {
            let typed = innermost.stringValue ?? ""
            if innermost.flags.contains(.key), let object = path.dropLast().last {
                var j = innermost.range.upperBound
                while j < tree.bytes.count, [0x20, 0x09].contains(tree.bytes[j]) { j += 1 }
                let hasColon = j < tree.bytes.count && tree.bytes[j] == 0x3A
                return .propertyName(object: object, replace: innermost.range, typed: typed, nameOnly: hasColon)
            }
            return .value(pointer: innermost.pointer, replace: innermost.range, typed: typed)
        }
        // Between tokens: the last significant byte before the cursor decides.
        let container = path.last { $0.kind == .object || $0.kind == .array } ?? innermost
        var i = offset - 1
        while i >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(tree.bytes[i]) { i -= 1 }
        let previous: UInt8 = i >= 0 ? tree.bytes[i] : 0
        if container.kind == .object && (previous == 0x7B || previous == 0x2C) {
            return .propertyName(object: container, replace: offset..<offset, typed: "")
        }
        if container.kind == .object && previous == 0x3A {
            // The member whose colon this is: its key ends before the colon.
            let member = Array(container.members).last { $0.key.range.upperBound <= i }
            if let member { return .value(pointer: container.pointer.appending(member.name), replace: offset..<offset, typed: "") }
        }
        if container.kind == .array && (previous == 0x5B || previous == 0x2C) {
            let index = container.elements.filter { $0.range.upperBound <= offset && !$0.isMissing }.count
            return .value(pointer: container.pointer.appending(index), replace: offset..<offset, typed: "")
        }
        return .none
    }
}
