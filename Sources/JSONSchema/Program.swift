import JSONSyntax

/// Where a schema node lives: a registered document and the node's preorder index in its tree.
struct SchemaLocation: Hashable, Sendable {
    var document: Int32
    var node: Int32
}

/// JSON types as a bit set, for `type`.
struct TypeMask: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let null = TypeMask(rawValue: 1)
    static let boolean = TypeMask(rawValue: 2)
    static let object = TypeMask(rawValue: 4)
    static let array = TypeMask(rawValue: 8)
    static let number = TypeMask(rawValue: 16)
    static let string = TypeMask(rawValue: 32)
    static let integer = TypeMask(rawValue: 64)

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init?(name: String) {
        switch name {
        case "null": self = .null
        case "boolean": self = .boolean
        case "object": self = .object
        case "array": self = .array
        case "number": self = .number
        case "string": self = .string
        case "integer": self = .integer
        default: return nil
        }
    }

    var names: [String] {
        var out: [String] = []
        for (bit, name) in [
            (TypeMask.object, "object"), (.array, "array"), (.string, "string"), (.number, "number"),
            (.integer, "integer"), (.boolean, "boolean"), (.null, "null"),
        ] where contains(bit) {
            out.append(name)
        }
        return out
    }
}

/// `properties`, `patternProperties` and `additionalProperties` of one schema, evaluated in one pass
/// over the instance's members.
final class PropertyRules: Sendable {
    let table: ByteTable
    let names: [String]
    let schemas: [Int32]
    let patterns: [(regex: ECMARegex, schema: Int32)]
    let additional: Int32?

    init(table: ByteTable, names: [String], schemas: [Int32], patterns: [(regex: ECMARegex, schema: Int32)], additional: Int32?) {
        self.table = table
        self.names = names
        self.schemas = schemas
        self.patterns = patterns
        self.additional = additional
    }
}

/// A set of required property names with their titles (from the same schema's `properties`).
final class RequiredSet: Sendable {
    let names: [String]
    let titles: [String?]
    let table: ByteTable

    init(names: [String], titles: [String?]) {
        self.names = names
        self.titles = titles
        let t = ByteTable()
        for (k, n) in names.enumerated() { t.insert(Array(n.utf8), value: Int32(k)) }
        table = t
    }
}

/// One compiled keyword's operation.
enum Operation: Sendable {
    case type(TypeMask)
    /// `enum`, or an `anyOf`/`oneOf` whose branches are all `const` (`fromBranches`).
    case enumeration(ValueSet, fromBranches: Bool)
    case const(ValueSet)
    case minLength(Int)
    case maxLength(Int)
    case pattern(ECMARegex)
    case format(FormatKind)
    case minimum(SchemaNumber)
    case maximum(SchemaNumber)
    case exclusiveMinimum(SchemaNumber)
    case exclusiveMaximum(SchemaNumber)
    case multipleOf(SchemaNumber)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case minProperties(Int)
    case maxProperties(Int)
    case required(RequiredSet)
    case dependentRequired([(name: String, required: [String])])
    case properties(PropertyRules)
    case propertyNames(Int32)
    case dependentSchemas([(name: String, schema: Int32)])
    case items(prefix: [Int32], rest: Int32?)
    case contains(Int32, min: Int, max: Int?)
    case ref(Int32)
    case dynamicRef(Int32, anchor: String)
    case allOf([Int32])
    case anyOf([Int32])
    case oneOf([Int32])
    case not(Int32)
    case conditional(if: Int32, then: Int32?, else: Int32?)
    case unevaluatedProperties(Int32)
    case unevaluatedItems(Int32)
}

/// A keyword in the form the evaluator's hot loop runs: plain values only, so reading one costs no
/// reference counting. Lists are ranges of `Program.lists`; tables are unretained references to the
/// objects that `Program.operations` keeps alive. Keywords without a fast form are `.general` (the
/// evaluator then switches on `Program.operations`). Fast forms only decide success: on failure the
/// evaluator runs the general form, which words the errors, so messages live in one place.
enum Instruction {
    case type(TypeMask)
    /// `enum` or `const`.
    case valueSet(Unmanaged<ValueSet>)
    case minLength(Int)
    case maxLength(Int)
    case pattern(Unmanaged<ECMARegex>)
    case minItems(Int)
    case maxItems(Int)
    case uniqueItems
    case minProperties(Int)
    case maxProperties(Int)
    case required(Unmanaged<RequiredSet>)
    case properties(Unmanaged<PropertyRules>)
    /// `items` without `prefixItems`.
    case items(Int32)
    case ref(Int32)
    case allOf(first: Int32, count: Int32)
    case anyOf(first: Int32, count: Int32)
    case oneOf(first: Int32, count: Int32)
    case not(Int32)
    case general
}

/// A keyword ready to run: its operation and its name (the last token of its keyword location).
struct Keyword: Sendable {
    var operation: Operation
    var name: String
}

/// One compiled schema (object or boolean).
struct SchemaNode: Sendable {
    var keywords: [Keyword] = []
    var location: SchemaLocation
    /// The schema resource (index into `Program.resources`) the node belongs to.
    var resource: Int32
    /// Pointer tokens from the document's root (for evaluation paths).
    var documentPointer: [String]
    /// `uri#pointer` of the node within its resource.
    var absoluteLocation: String
    var title: String?
    var isFalse = false
    /// True when the node has `unevaluatedProperties` or `unevaluatedItems`.
    var tracksEvaluation = false
}

/// A schema resource: its URI and its `$dynamicAnchor`s (compiled).
struct ResourceInfo: Sendable {
    var uri: String
    var dynamicAnchors: [String: Int32] = [:]
}

/// The part of a schema node evaluation reads on every visit, kept apart from the rest (plain values,
/// no references) so visiting a node costs no reference counting.
struct HotNode: Sendable {
    /// The node's operations are `Program.operations[first..<first + count]`.
    var first: Int32
    var count: Int32
    var resource: Int32
    var flags: UInt8
    static let isFalse: UInt8 = 1
    static let tracksEvaluation: UInt8 = 2
}

/// Everything a validator needs, immutable once built.
final class Program: Sendable {
    let nodes: [SchemaNode]
    /// Per node, what evaluation reads on every visit.
    let hot: [HotNode]
    /// Every node's operations, back to back, and their keyword names (for error locations).
    let operations: [Operation]
    let keywordNames: [String]
    /// `operations` in their fast form, one for one.
    let instructions: [Instruction]
    /// The schema lists instructions refer to (`allOf`/`anyOf`/`oneOf` branches), back to back.
    let lists: [Int32]
    let resources: [ResourceInfo]
    let root: Int32
    let usesDynamicScope: Bool
    let documents: [SyntaxTree]
    let documentURIs: [String]

    init(
        nodes: [SchemaNode], resources: [ResourceInfo], root: Int32, usesDynamicScope: Bool, documents: [SyntaxTree],
        documentURIs: [String]
    ) {
        self.nodes = nodes
        var hot: [HotNode] = []
        var operations: [Operation] = []
        var names: [String] = []
        for node in nodes {
            var flags: UInt8 = 0
            if node.isFalse { flags |= HotNode.isFalse }
            if node.tracksEvaluation { flags |= HotNode.tracksEvaluation }
            hot.append(
                HotNode(first: Int32(operations.count), count: Int32(node.keywords.count), resource: node.resource, flags: flags))
            operations += node.keywords.map(\.operation)
            names += node.keywords.map(\.name)
        }
        self.hot = hot
        self.operations = operations
        var lists: [Int32] = []
        func list(_ items: [Int32]) -> (first: Int32, count: Int32) {
            defer { lists += items }
            return (Int32(lists.count), Int32(items.count))
        }
        self.instructions = operations.map { operation -> Instruction in
            switch operation {
            case .type(let mask): return .type(mask)
            case .enumeration(let set, _), .const(let set): return .valueSet(Unmanaged.passUnretained(set))
            case .minLength(let n): return .minLength(n)
            case .maxLength(let n): return .maxLength(n)
            case .pattern(let regex): return .pattern(Unmanaged.passUnretained(regex))
            case .minItems(let n): return .minItems(n)
            case .maxItems(let n): return .maxItems(n)
            case .uniqueItems: return .uniqueItems
            case .minProperties(let n): return .minProperties(n)
            case .maxProperties(let n): return .maxProperties(n)
            case .required(let set): return .required(Unmanaged.passUnretained(set))
            case .properties(let rules): return .properties(Unmanaged.passUnretained(rules))
            case .items(let prefix, let rest?) where prefix.isEmpty: return .items(rest)
            case .ref(let t): return .ref(t)
            case .allOf(let branches):
                let (first, count) = list(branches)
                return .allOf(first: first, count: count)
            case .anyOf(let branches):
                let (first, count) = list(branches)
                return .anyOf(first: first, count: count)
            case .oneOf(let branches):
                let (first, count) = list(branches)
                return .oneOf(first: first, count: count)
            case .not(let t): return .not(t)
            default: return .general
            }
        }
        self.lists = lists
        self.keywordNames = names
        self.resources = resources
        self.root = root
        self.usesDynamicScope = usesDynamicScope
        self.documents = documents
        self.documentURIs = documentURIs
    }

    /// Runs `body` with an evaluator over `tree` whose fast tables point into this program and the tree.
    func withEvaluator<R>(_ tree: SyntaxTree, options: ValidationOptions, _ body: (Evaluator) -> R) -> R {
        tree.withNodeStorage { storage in
            hot.withUnsafeBufferPointer { hot in
                operations.withUnsafeBufferPointer { operations in
                    instructions.withUnsafeBufferPointer { instructions in
                        lists.withUnsafeBufferPointer { lists in
                            body(
                                Evaluator(
                                    program: self, tree: tree, storage: storage, hot: hot, operations: operations,
                                    instructions: instructions, lists: lists, options: options))
                        }
                    }
                }
            }
        }
    }

    func syntax(of id: Int32) -> SyntaxNode {
        let loc = nodes[Int(id)].location
        return documents[Int(loc.document)].node(atIndex: Int(loc.node))
    }
}
