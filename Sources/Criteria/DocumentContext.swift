import JSONSyntax
import Synchronization

/// One document being checked, with what the rules share: its kind, the catalogue, the vocabularies,
/// the schema facts, the index of JSON-LD nodes by `id`, and helpers that read ELM's "one value or an
/// array of values" properties and build findings. Created per check, or per rule when a check runs its
/// rules on several threads (they then share one `SharedIndex`); a context is not shared between threads.
final class DocumentContext {
    let tree: SyntaxTree
    let kind: DocumentKind
    let path: String?
    let catalogue: Catalogue
    let vocabularies: Vocabularies
    let facts: SchemaFacts
    let plan: RulePlan
    let today: CalendarDate
    /// The document's main node: the tree's root, or for a flattened JSON-LD document (`@graph`) the node
    /// of the credential or learning opportunity in the graph.
    let root: SyntaxNode
    /// Whether the document was read out of a seal (JAdES or JWS) or carries a `proof`: properties added at
    /// sealing (`issued`, the issuer's `eIDASIdentifier`) are then required.
    var isSealed: Bool { sealed || hasProof }
    private let sealed: Bool
    private lazy var hasProof = root.kind == .object && root.value(forKey: "proof") != nil
    private let sharedIndex: SharedIndex
    /// What the previous version's check left, for the schema rule's validation memo (nil: validate afresh).
    let memory: DocumentMemory?

    init(
        tree: SyntaxTree, kind: DocumentKind, path: String?, catalogue: Catalogue, vocabularies: Vocabularies,
        facts: SchemaFacts, plan: RulePlan, today: CalendarDate, index: SharedIndex? = nil, root: SyntaxNode? = nil,
        sealed: Bool = false, memory: DocumentMemory? = nil
    ) {
        self.memory = memory
        self.tree = tree
        self.kind = kind
        self.path = path
        self.catalogue = catalogue
        self.vocabularies = vocabularies
        self.facts = facts
        self.plan = plan
        self.today = today
        self.sharedIndex = index ?? SharedIndex(tree)
        let root = root ?? tree.root
        self.root = root
        self.sealed = sealed
    }

    /// What the schema validates: the whole tree when the main node is its root; otherwise (a graph's node)
    /// that node's text parsed on its own, with the offset of its first byte in the document.
    var schemaInput: (tree: SyntaxTree, base: Int) {
        root.index == tree.root.index ? (tree, 0) : (graphNodeTree, root.range.lowerBound)
    }

    private lazy var graphNodeTree = SyntaxTree(parsing: Array(tree.bytes[root.range]), dialect: tree.dialect)

    /// The profile the credential declares (`credentialSchema`); `.generic` for other kinds.
    lazy var profile: CredentialProfile = kind == .credential ? CredentialProfile.declared(by: root) : .generic

    // MARK: Findings

    /// A finding under `criterionID` with the catalogue's severity; the message starts with the criterion's title.
    /// `severity` overrides the catalogue's where a criterion's finding is advice rather than a breach (a
    /// concept whose scheme its IRI already names, a property added at sealing).
    /// `missing` names the keys of the object at `range` whose absence the finding reports (`Finding.properties`):
    /// the engine merges the schema's finding of the same missing key into it by that field, never by the message.
    func finding(
        _ criterionID: String, _ range: Range<Int>, _ message: String, fix: Fix? = nil,
        severity: Severity? = nil, missing: [String] = []
    ) -> Finding {
        let title = catalogue.title(of: criterionID) ?? criterionID
        return Finding(
            criterionID: criterionID, severity: severity ?? catalogue.severity(of: criterionID), range: range,
            message: "\(title): \(message)", fix: fix, properties: missing)
    }

    /// The opening brace of an object (where a missing element is reported), or the node's range.
    func opening(_ node: SyntaxNode) -> Range<Int> {
        (node.kind == .object || node.kind == .array) && !node.range.isEmpty
            ? node.range.lowerBound..<(node.range.lowerBound + 1) : node.range
    }

    /// An edit inserting `"key": skeleton` as the first member of `object`, indented like its members.
    func insertion(into object: SyntaxNode, key: String, skeleton: String) -> FixEdit {
        var member = "\"" + key + "\": " + skeleton
        if let first = object.members.first(where: { _ in true }) {
            let start = first.key.range.lowerBound
            var lineStart = start
            let bytes = tree.bytes
            while lineStart > 0 && bytes[lineStart - 1] != 10 && bytes[lineStart - 1] != 13 { lineStart -= 1 }
            let indent =
                bytes[lineStart..<start].allSatisfy { $0 == 32 || $0 == 9 }
                ? String(decoding: bytes[lineStart..<start], as: UTF8.self) : " "
            member += lineStart < start && indent != " " ? ",\n" + indent : ", "
            return FixEdit(range: start..<start, newText: member)
        }
        let at = object.range.lowerBound + 1
        return FixEdit(range: at..<at, newText: member)
    }

    /// A fix that inserts a missing element (after the member named `after` when there is one).
    func insertFix(into object: SyntaxNode, key: String, skeleton: String, after: String? = nil) -> Fix {
        Fix(title: "Insert `\(key)`", edits: [insertion(into: object, key: key, skeleton: skeleton, after: after)])
    }

    /// `insertion(into:key:skeleton:)`, placed after the member named `after` if the object has one.
    func insertion(into object: SyntaxNode, key: String, skeleton: String, after: String?) -> FixEdit {
        guard let after, let member = object.members.first(where: { $0.name == after }) else {
            return insertion(into: object, key: key, skeleton: skeleton)
        }
        let bytes = tree.bytes
        var lineStart = member.key.range.lowerBound
        while lineStart > 0 && bytes[lineStart - 1] != 10 && bytes[lineStart - 1] != 13 { lineStart -= 1 }
        let prefix = bytes[lineStart..<member.key.range.lowerBound]
        let text = "\"" + key + "\": " + skeleton
        let at = member.value.range.upperBound
        if !prefix.isEmpty && prefix.allSatisfy({ $0 == 32 || $0 == 9 }) {
            return FixEdit(range: at..<at, newText: ",\n" + String(decoding: prefix, as: UTF8.self) + text)
        }
        return FixEdit(range: at..<at, newText: ", " + text)
    }

    /// Choices from a vocabulary, each replacing `node` (a concept object's `id` value, or the node itself).
    func vocabularyChoices(_ vocabulary: String, replacing node: SyntaxNode?, limit: Int = 40) -> [FixChoice] {
        guard let concepts = vocabularies.vocabularies[vocabulary]?.concepts else { return [] }
        return concepts.prefix(limit).map { c in
            let json = "\"" + c.iri + "\""
            let edits = node.map { [FixEdit(range: $0.range, newText: json)] } ?? []
            return FixChoice(label: "\(c.notation) \(c.label)", json: json, edits: edits)
        }
    }

    // MARK: ELM navigation

    /// One member of an object, found by the single pass over the document. Holds node indices only, so
    /// the index's arrays cost no reference counting to build, copy or free, and an index carries over to a
    /// version of the document with the same nodes (`SharedIndex`); `value(of:)` makes a handle.
    struct MemberRef: Sendable, Equatable {
        /// The preorder index of the object holding the member.
        let object: Int
        let keyIndex: Int32
        let valueIndex: Int32
    }

    /// The value node of a member the index found.
    func value(of ref: MemberRef) -> SyntaxNode { tree.node(atIndex: Int(ref.valueIndex)) }

    /// What one pass over every object of the document finds, so that rules need not each walk the tree
    /// and decode keys again: members by key, full nodes by `id`, and reference-only objects. Keys and ids
    /// are numbered by their bytes (`ByteKeyTable`), not hashed as strings.
    struct Index: Sendable, Equatable {
        var names = ByteKeyTable()
        /// Members by the number of their key in `names`, in document order.
        var membersByName: [[MemberRef]] = []
        var ids = ByteKeyTable()
        /// Object index of the full node of each id in `ids` (the first in document order).
        var nodesByID: [Int] = []
        /// Objects that hold only an `id` (and `type`, `@context`) with a string value: references to nodes.
        var references: [Int] = []
        /// Full nodes whose `id` an earlier full node already has (JSON-LD merges them with it), in document order,
        /// with the number of that id in `ids` (`repeatedIDNumbers`, same positions).
        var repeatedIDs: [Int] = []
        var repeatedIDNumbers: [Int] = []
    }

    /// The document's index, made by the first context of the check that asks for it.
    lazy var index: Index = sharedIndex.index

    /// The key names the index pass tells apart.
    fileprivate enum KnownName {
        case id, type, context, other

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            switch bytes.count {
            case 2 where bytes[0] == 0x69 && bytes[1] == 0x64: self = .id  // id
            case 4 where bytes.elementsEqual("type".utf8): self = .type
            case 8 where bytes.elementsEqual("@context".utf8): self = .context
            default: self = .other
            }
        }
    }

    /// The fix inserting a specification, by claim (`specificationFix(for:)`).
    var specificationFixes: [Int: Fix] = [:]

    /// Durations met so far, by text: a document repeats the same few (`PT150H`, `P6M`), and several
    /// rules read each one.
    private var durations: [String: ISODuration?] = [:]

    /// `ISODuration(text)`, parsed once per distinct text in this document.
    func duration(_ text: String) -> ISODuration? {
        if let known = durations[text] { return known }
        let parsed = ISODuration(text)
        durations[text] = .some(parsed)
        return parsed
    }

    /// The full node with this `id` (an object with an `id` and at least one property besides `id`, `type`
    /// and `@context`; the first in document order).
    func node(withID id: String) -> SyntaxNode? { index.ids.find(id).map { tree.node(atIndex: index.nodesByID[$0]) } }

    /// Every member named `name`, in document order, outside JSON-LD `@context` values: a context's term
    /// definitions (`"volumeOfLearning": {"@id": …, "@type": "xsd:duration"}`) are not data, and no rule reads them.
    func members(named name: String) -> [MemberRef] {
        guard let number = index.names.find(name) else { return [] }
        let all = index.membersByName[number]
        let contexts = contextSubtrees
        guard !contexts.isEmpty else { return all }
        return all.filter { !isInsideContext($0.object) }
    }

    /// The node-index ranges of `@context` values that are objects or arrays (inline contexts), in order.
    lazy var contextSubtrees: [Range<Int>] = {
        guard let number = index.names.find("@context") else { return [] }
        return tree.withNodeStorage { storage in
            index.membersByName[number].compactMap { ref -> Range<Int>? in
                let v = Int(ref.valueIndex)
                let kind = storage.kind(v)
                return kind == .object || kind == .array ? v..<storage.next(v) : nil
            }
        }
    }()

    /// The other full nodes with the same `id` as the full node `object` (JSON-LD merges them; references add
    /// nothing), found through the index by the id's number, without decoding ids.
    func nodesSharingID(with object: Int, id: String) -> [Int] {
        guard !index.repeatedIDs.isEmpty, let number = index.ids.find(id) else { return [] }
        return descriptions(ofIDNumber: number).filter { $0 != object }
    }

    /// Every full node with the id numbered `number` in `index.ids`, in document order: the descriptions of one
    /// node, which JSON-LD merges into one.
    func descriptions(ofIDNumber number: Int) -> [Int] {
        let index = self.index
        var out = [index.nodesByID[number]]
        for (k, n) in index.repeatedIDNumbers.enumerated() where n == number { out.append(index.repeatedIDs[k]) }
        return out
    }

    /// The nodes the document describes more than once (full nodes sharing an `id`), each as its descriptions in
    /// document order (`descriptions(ofIDNumber:)`); empty for most documents.
    var nodesDescribedMoreThanOnce: [[Int]] {
        let index = self.index
        var groups: [[Int]] = []
        var groupOfNumber: [Int: Int] = [:]
        for (k, number) in index.repeatedIDNumbers.enumerated() {
            if let g = groupOfNumber[number] {
                groups[g].append(index.repeatedIDs[k])
            } else {
                groupOfNumber[number] = groups.count
                groups.append([index.nodesByID[number], index.repeatedIDs[k]])
            }
        }
        return groups
    }

    /// Whether the node at this index lies inside an inline `@context`.
    func isInsideContext(_ node: Int) -> Bool { contextSubtrees.contains { $0.contains(node) } }

    /// Whether an object holds only `id` (and `type`, `@context`): a reference to a node described elsewhere.
    /// Read on the node storage, without making handles or strings for the keys (rules ask this of every value
    /// they resolve).
    func isReference(_ node: SyntaxNode) -> Bool {
        guard node.kind == .object else { return false }
        let tree = self.tree
        return tree.withNodeStorage { storage in
            var hasID = false
            for (key, _) in storage.members(of: node.index) {
                let name: KnownName
                if storage.kind(key) == .string && storage.isPlainWellFormedString(key), let raw = storage.rawStringContent(key) {
                    name = KnownName(raw)
                } else {
                    // An escaped or broken key: as its decoded text reads (`Member.name`: empty when broken).
                    var text = tree.node(atIndex: key).stringValue ?? ""
                    name = text.withUTF8 { KnownName($0) }
                }
                switch name {
                case .id: hasID = true
                case .type, .context: break
                case .other: return false
                }
            }
            return hasID
        }
    }

    /// The full node a reference designates, or the node itself.
    func resolve(_ node: SyntaxNode) -> SyntaxNode {
        guard isReference(node), let id = node.value(forKey: "id")?.stringValue, let full = self.node(withID: id) else {
            return node
        }
        return full
    }

    /// The value(s) of `key` on an object: an array's elements (nulls left out) or the single value,
    /// each resolved by `id`. Empty when absent.
    func values(_ node: SyntaxNode?, _ key: String) -> [SyntaxNode] {
        guard let node, node.kind == .object, let value = node.value(forKey: key) else { return [] }
        if value.kind == .array { return value.elements.filter { $0.kind != .null }.map(resolve) }
        if value.kind == .null || value.kind == .missing { return [] }
        return [resolve(value)]
    }

    /// The first value of `key` (see `values`).
    func value(_ node: SyntaxNode?, _ key: String) -> SyntaxNode? { values(node, key).first }

    /// The raw value of `key` (not flattened), for placing findings.
    func raw(_ node: SyntaxNode?, _ key: String) -> SyntaxNode? {
        guard let node, node.kind == .object else { return nil }
        return node.value(forKey: key)
    }

    /// The `type` names of an object (a string or an array of strings).
    func types(_ node: SyntaxNode) -> [String] {
        guard let t = node.value(forKey: "type") else { return [] }
        return t.kind == .array ? t.elements.compactMap(\.stringValue) : [t.stringValue].compactMap { $0 }
    }

    /// Whether a value is a text that says something: a non-blank string, or a language map holding one.
    func hasText(_ node: SyntaxNode?) -> Bool {
        guard let node else { return false }
        switch node.kind {
        case .string: return !(node.stringValue ?? "").trimmingWhitespace.isEmpty
        case .object:
            for member in node.members {
                let v = member.value
                if v.kind == .string, !(v.stringValue ?? "").trimmingWhitespace.isEmpty { return true }
                if v.kind == .array, v.elements.contains(where: { !($0.stringValue ?? "").trimmingWhitespace.isEmpty }) {
                    return true
                }
            }
            return false
        case .array: return node.elements.contains { hasText($0) }
        default: return false
        }
    }

    /// Whether `key` of `node` holds a text (see `hasText`).
    func hasText(_ node: SyntaxNode?, _ key: String) -> Bool { values(node, key).contains { hasText($0) } }

    /// A Note (`noteLiteral`) with text.
    func isNoteWithText(_ node: SyntaxNode) -> Bool { hasText(node, "noteLiteral") || node.kind == .string && hasText(node) }

    /// The IRI of a concept value: the object's `id`, or a string value itself.
    func conceptIRI(_ node: SyntaxNode) -> String? {
        node.kind == .string ? node.stringValue : node.value(forKey: "id")?.stringValue
    }

    /// The node holding a concept's IRI (its `id` value, or the string itself), for placing findings.
    func conceptIRINode(_ node: SyntaxNode) -> SyntaxNode {
        node.kind == .object ? node.value(forKey: "id") ?? node : node
    }

    /// A human name for an object in messages: its English (or first) title or legal name, else its type.
    func name(of node: SyntaxNode) -> String {
        for key in ["title", "legalName", "fullName", "prefLabel"] {
            if let map = node.value(forKey: key) {
                if let s = map.stringValue { return "“\(s)”" }
                let v = map.value(forKey: "en") ?? map.members.first(where: { _ in true })?.value
                if let s = v?.stringValue ?? v?.elements.first?.stringValue, !s.isEmpty { return "“\(s)”" }
            }
        }
        return types(node).first ?? "this node"
    }

    // MARK: Credentials

    /// The claims of a credential (`credentialSubject.hasClaim`, each resolved) with their types.
    lazy var claims: [SyntaxNode] = values(value(root, "credentialSubject"), "hasClaim").filter { $0.kind == .object }

    /// The claims a criterion applies to, by its `claimTypes` (all claims when it names none). The criteria
    /// restricted to some claim types are the micro-credential ones: they apply to no claim of a credential
    /// whose declared profile (`credentialProfiles`) is not one for micro-credentials (`nonMicroCredentialProfile`).
    func claims(for criterionID: String) -> [SyntaxNode] {
        guard let types = catalogue.claimTypes(of: criterionID), !types.isEmpty else { return claims }
        if nonMicroCredentialProfile != nil { return [] }
        return claims.filter { claim in self.types(claim).contains { types.contains($0) } }
    }

    /// The profile a credential declares in `credentialProfiles` when it is one whose credentials are not
    /// micro-credentials (a Diploma Supplement describes a degree, an Accreditation credential records an
    /// accreditation): the concept's `id` node and its label. Nil for the generic profile, the converted and
    /// mandated ones (their claims are judged by their types), an unknown one, or none.
    lazy var nonMicroCredentialProfile: (node: SyntaxNode, label: String)? = {
        guard kind == .credential else { return nil }
        for concept in values(root, "credentialProfiles") {
            guard let iri = conceptIRI(concept), CredentialProfileConcept.notMicroCredential.contains(iri) else { continue }
            let label = vocabularies.concept(iri, in: "credential-profiles")?.label ?? iri
            return (conceptIRINode(concept), label)
        }
        return nil
    }()

    /// The specifications a learning opportunity rule checks (`learningAchievementSpecification`).
    lazy var learningOpportunitySpecifications: [SyntaxNode] =
        values(root, "learningAchievementSpecification").filter { $0.kind == .object }
}

/// The IRI of the ECTS concept in the EU education-credit vocabulary.
let ectsIRI = "http://data.europa.eu/snb/education-credit/6fcec5c5af"

/// The index of one document (`DocumentContext.Index`), made once, by the first rule that needs it, for
/// every context of the check: on a large document the rules run on several threads, and building the
/// index is the largest single step of the check. It is carried over from the previous version of the
/// document (`previous`) when nothing it records can differ, or only its ids (`Index.carried`), as when an
/// author types inside a text; else built. The mutex is its one owner; a thread that asks while another makes it waits.
final class SharedIndex: Sendable {
    private let tree: SyntaxTree
    private let previous: IndexedTree?
    private let made = Mutex<DocumentContext.Index?>(nil)

    init(_ tree: SyntaxTree, previous: IndexedTree? = nil) {
        self.tree = tree
        self.previous = previous
    }

    var index: DocumentContext.Index {
        made.withLock { index in
            if let index { return index }
            let result: DocumentContext.Index
            result =
                previous.flatMap { DocumentContext.Index.carried($0.index, from: $0.tree, to: tree) }
                ?? DocumentContext.Index(tree)
            index = result
            return result
        }
    }

    /// The tree with its index, if a rule asked for it.
    var indexed: IndexedTree? { made.withLock { $0 }.map { IndexedTree(tree: tree, index: $0) } }
}

/// A version of a document with its index, kept to carry the index over to the next version.
struct IndexedTree: Sendable {
    let tree: SyntaxTree
    let index: DocumentContext.Index
}

extension DocumentContext.Index {
    /// The index of `new` made from `old`'s (the index of `oldTree`), or nil when it must be built afresh. The
    /// index records members by key bytes and node indices, the full node of each `id` and the reference
    /// objects, so for a version with the same nodes (`hasSameShape`) whose bytes differ only inside one string
    /// that is not a key, it is the same index; when that string is the value of an `id` member, only the
    /// table of ids is made again, from the `id` members the index already lists.
    static func carried(_ old: Self, from oldTree: SyntaxTree, to new: SyntaxTree) -> Self? {
        guard new.hasSameShape(as: oldTree) else { return nil }
        let (prefix, suffix) = TextComparison.commonEnds(oldTree.bytes, new.bytes)
        if prefix + suffix == oldTree.bytes.count && oldTree.bytes.count == new.bytes.count { return old }
        let node = new.innermostNode(containing: prefix..<(new.bytes.count - suffix))
        guard node == oldTree.innermostNode(containing: prefix..<(oldTree.bytes.count - suffix)) else { return nil }
        // The edited string's object, when it is the value of an `id` member (-1 when it is some other value).
        let idOf: Int? = new.withNodeStorage { st in
            guard st.kind(node) == .string, !st.flags(node).contains(.key), !st.isStray(node) else { return nil }
            var parent = 0
            descent: while true {
                var child = parent + 1
                while child < st.next(parent) {
                    if child < node && node < st.next(child) {
                        parent = child
                        continue descent
                    }
                    child = st.next(child)
                }
                break
            }
            guard st.kind(parent) == .object else { return -1 }
            for (key, value) in st.members(of: parent) where value == node {
                return new.node(atIndex: key).stringValue == "id" ? parent : -1
            }
            return nil
        }
        guard let idOf else { return nil }
        // Not an id, or the id of a reference (references are not in the table of ids): the same index.
        guard idOf >= 0, !old.isReference(idOf) else { return old }
        var index = old
        index.remakeIDs(new)
        return index
    }

    /// Whether the object at this index is one of the reference objects (a binary search: they are in order).
    func isReference(_ object: Int) -> Bool {
        var low = 0, high = references.count
        while low < high {
            let mid = (low + high) / 2
            if references[mid] < object { low = mid + 1 } else { high = mid }
        }
        return low < references.count && references[low] == object
    }

    /// Makes `ids` and `nodesByID` again from the `id` members the index lists: an object's last `id` member
    /// with a string value names it, unless the object is a reference; the first object with an id keeps it.
    mutating func remakeIDs(_ tree: SyntaxTree) {
        ids = ByteKeyTable()
        nodesByID = []
        repeatedIDs = []
        repeatedIDNumbers = []
        guard let idName = names.find("id") else { return }
        let refs = membersByName[idName]
        tree.withNodeStorage { storage in
            // Both lists are in document order: the reference objects are passed over in step.
            var k = 0
            var r = 0
            while k < refs.count {
                var last = refs[k]
                while k + 1 < refs.count && refs[k + 1].object == last.object {
                    k += 1
                    last = refs[k]
                }
                k += 1
                while r < references.count && references[r] < last.object { r += 1 }
                let isReference = r < references.count && references[r] == last.object
                let value = Int(last.valueIndex)
                guard storage.kind(value) == .string, !isReference else { continue }
                let (number, added) = Self.withValueBytes(tree, storage, value) { ids.insert($0) }
                if added {
                    nodesByID.append(last.object)
                } else {
                    repeatedIDs.append(last.object)
                    repeatedIDNumbers.append(number)
                }
            }
        }
    }

    /// A string node's decoded bytes: in place for plain, well-formed strings (the common case), else through
    /// the decoder; an `error` key counts as the empty name, as `Member.name` does.
    static func withValueBytes<R>(_ tree: SyntaxTree, _ storage: NodeStorage, _ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R)
        -> R
    {
        if storage.kind(i) == .string && storage.isPlainWellFormedString(i), let raw = storage.rawStringContent(i) {
            return body(raw)
        }
        var decoded = tree.node(atIndex: i).stringValue ?? ""
        return decoded.withUTF8(body)
    }

    /// One pass over every object of the document.
    init(_ tree: SyntaxTree) {
        var index = Self()
        var referenceIndices: [Int] = []
        func withValueBytes<R>(_ storage: NodeStorage, _ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            Self.withValueBytes(tree, storage, i, body)
        }
        tree.withNodeStorage { storage in
            for i in 0..<storage.count where storage.kind(i) == .object {
                var idValue = -1
                var full = false
                for (key, value) in storage.members(of: i) {
                    let (number, added, name) = withValueBytes(storage, key) { bytes -> (Int, Bool, DocumentContext.KnownName) in
                        let (n, added) = index.names.insert(bytes)
                        return (n, added, DocumentContext.KnownName(bytes))
                    }
                    if added { index.membersByName.append([]) }
                    let ref = DocumentContext.MemberRef(object: i, keyIndex: Int32(key), valueIndex: Int32(value))
                    index.membersByName[number].append(ref)
                    switch name {
                    case .id: idValue = value
                    case .type, .context: break
                    case .other: full = true
                    }
                }
                guard idValue >= 0, storage.kind(idValue) == .string else { continue }
                if full {
                    let (number, added) = withValueBytes(storage, idValue) { index.ids.insert($0) }
                    if added {
                        index.nodesByID.append(i)
                    } else {
                        index.repeatedIDs.append(i)
                        index.repeatedIDNumbers.append(number)
                    }
                } else {
                    referenceIndices.append(i)
                }
            }
        }
        index.references = referenceIndices
        self = index
    }

}
