import Criteria
import Foundation
import JSONSchema
import JSONSyntax
public import LanguageServer

/// Go-to-definition. In a credential or learning opportunity, from a reference by `id` to the node that
/// describes it; inside a sealed document, the same in its payload. In recognition agreements: from a learning
/// opportunity's `path` to the file, from its `id` to the document with that `id` (wherever it lives: the path hint, an open or indexed document, the
/// agreement's folder, inside the workspace or not), and from a key reference to what it names in the
/// agreement itself — a party's `id` (every `PartyId`: `recognisingParty`, `provider`, a signature's
/// `party`…), a learning opportunity's `key` (an equivalence's `learningOpportunity`), a learning outcome's
/// `id` (`coveredBy`, `targetOutcome`).
extension CriteriaAnalyzer {
    public func definition(_ analysis: DocumentAnalysis, offset: Int, workspace: WorkspaceView) -> EditorLocation? {
        let snapshot = analysis.snapshot, tree = analysis.tree
        let kind = facts(analysis).kind
        // Inside a seal's payload string: the definition the payload's own text leads to; a place in this
        // same file is placed back in the payload string.
        if let sealed = engine.sealedDocument(tree) {
            guard let inner = sealed.payloadOffset(forFileOffset: offset),
                var location = plainDefinition(
                    snapshot, tree: sealed.tree, kind: engine.kind(of: sealed.tree, path: snapshot.path),
                    offset: inner, workspace: workspace)
            else { return nil }
            if location.path == snapshot.path, let range = location.range { location.range = sealed.fileRange(range) }
            return location
        }
        return plainDefinition(snapshot, tree: tree, kind: kind, offset: offset, workspace: workspace)
    }

    func plainDefinition(
        _ snapshot: DocumentSnapshot, tree: SyntaxTree, kind: DocumentKind?, offset: Int, workspace: WorkspaceView
    ) -> EditorLocation? {
        if let path = snapshot.path, let kind, kind == .credential || kind == .learningOpportunity {
            return nodeDefinition(tree, offset: offset).map { EditorLocation(path: path, range: $0) }
        }
        guard let path = snapshot.path, kind == .agreement,
            let node = tree.node(atOffset: offset), node.kind == .string, !node.flags.contains(.key),
            let value = node.stringValue, !value.isEmpty
        else { return nil }
        let pointer = node.pointer
        let names = pointer.tokens.filter { Int($0) == nil }
        let root = tree.root
        let here = { (target: SyntaxNode) in EditorLocation(path: path, range: target.range) }

        switch names {
        case ["learningOpportunities", "path"]:
            guard RelativePath.isValid(value) else { return nil }
            return EditorLocation(path: RelativePath.resolve(value, against: path), range: nil)
        case ["learningOpportunities", "id"]:
            let hint = pointer.parent.flatMap { tree.node(at: $0) }?.value(forKey: "path")?.stringValue
            return document(withID: value, hint: hint, agreement: path, workspace: workspace)
        case ["equivalences", "learningOpportunity"]:
            return Self.entry(in: root.value(forKey: "learningOpportunities"), whose: "key", is: value).map(here)
        case ["equivalences", "outcomeCoverage", "coveredBy"]:
            // The outcomes of the learning opportunity this equivalence is about, else of any.
            let equivalence = tree.node(at: JSONPointer(tokens: Array(pointer.tokens.prefix(2))))
            let key = equivalence?.value(forKey: "learningOpportunity")?.stringValue
            let entries =
                root.value(forKey: "learningOpportunities")?.elements.filter {
                    key == nil || $0.value(forKey: "key")?.stringValue == key
                } ?? []
            for entry in entries + (root.value(forKey: "learningOpportunities")?.elements.map { $0 } ?? []) {
                if let target = Self.entry(in: entry.value(forKey: "learningOutcomes"), whose: "id", is: value) {
                    return here(target)
                }
            }
            return nil
        case ["equivalences", "outcomeCoverage", "targetOutcome"]:
            let equivalence = tree.node(at: JSONPointer(tokens: Array(pointer.tokens.prefix(2))))
            return Self.entry(
                in: equivalence?.value(forKey: "targetComponent")?.value(forKey: "learningOutcomes"), whose: "id", is: value
            ).map(here)
        default:
            // A party, wherever the schema expects one.
            guard isPartyReference(pointer, in: tree) else { return nil }
            return Self.entry(in: root.value(forKey: "parties"), whose: "id", is: value).map(here)
        }
    }

    /// In a credential or learning opportunity, the `id` of a reference (`{"id": "urn:org:1"}`, perhaps with a
    /// `type`) leads to the node that describes it in full (the first object with that `id` and other members):
    /// the range of that node's `id` value. Nil elsewhere, or when nothing describes it.
    func nodeDefinition(_ tree: SyntaxTree, offset: Int) -> Range<Int>? {
        guard let node = tree.node(atOffset: offset), node.kind == .string, !node.flags.contains(.key),
            let id = node.stringValue, let reference = node.parent, reference.kind == .object,
            reference.value(forKey: "id")?.index == node.index,
            reference.members.allSatisfy({ $0.name == "id" || $0.name == "type" })
        else { return nil }
        // Iterative walk (no recursion: a document may nest deeply).
        var stack = [tree.root]
        while let next = stack.popLast() {
            switch next.kind {
            case .object:
                if next.index != reference.index, let value = next.value(forKey: "id"), value.stringValue == id,
                    next.members.contains(where: { $0.name != "id" && $0.name != "type" })
                {
                    return value.range
                }
                for member in Array(next.members).reversed() { stack.append(member.value) }
            case .array:
                for element in Array(next.elements).reversed() { stack.append(element) }
            default:
                break
            }
        }
        return nil
    }

    /// Whether the agreement schema says the string at `pointer` is the `id` of a party (`$defs/PartyId`).
    func isPartyReference(_ pointer: JSONPointer, in tree: SyntaxTree) -> Bool {
        guard pointer.tokens.first != "parties", let validator = engine.schemaValidator(for: .agreement) else { return false }
        return validator.annotations(at: pointer, in: tree).contains { $0.schemaLocation.hasSuffix("#/$defs/PartyId") }
    }

    /// The value of member `key` of the element of `array` whose member `key` is `value`.
    static func entry(in array: SyntaxNode?, whose key: String, is value: String) -> SyntaxNode? {
        guard let array, array.kind == .array else { return nil }
        for element in array.elements {
            if let member = element.value(forKey: key), member.stringValue == value { return member }
        }
        return nil
    }

    /// The document whose top-level `id` is `id`: the file its path hint names, then the open and indexed
    /// documents, then the files of the agreement's folder; the location of its `id`.
    func document(withID id: String, hint: String?, agreement: String, workspace: WorkspaceView) -> EditorLocation? {
        func match(_ path: String, _ bytes: [UInt8]?) -> EditorLocation? {
            guard let bytes, CriteriaEngine.mayHold(bytes, anyOf: [id]) else { return nil }
            let tree = SyntaxTree(parsing: bytes, dialect: path.hasSuffix(".jsonc") ? .jsonc : .json)
            guard let node = tree.root.value(forKey: "id"), node.stringValue == id else { return nil }
            return EditorLocation(path: path, range: node.range)
        }
        if let hint, RelativePath.isValid(hint) {
            let path = RelativePath.resolve(hint, against: agreement)
            if let found = match(path, workspace.document(at: path).text?.bytes) { return found }
        }
        for path in workspace.files.keys.sorted() where path != agreement {
            if let found = match(path, workspace.document(at: path).text?.bytes) { return found }
        }
        let folder = (agreement as NSString).deletingLastPathComponent
        for path in workspace.documentPaths(inFolder: folder) where path != agreement && workspace.files[path] == nil {
            if let found = match(path, workspace.document(at: path).text?.bytes) { return found }
        }
        return nil
    }
}
