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
        for (bit, name) in [(TypeMask.object, "object"), (.array, "array"), (.string, "string"), (.number, "number"),
                            (.integer, "integer"), (.boolean, "boolean"), (.null, "null")] where contains(bit) {
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
    let resources: [ResourceInfo]
    let root: Int32
    let usesDynamicScope: Bool
    let documents: [SyntaxTree]
    let documentURIs: [String]

    init(nodes: [SchemaNode], resources: [ResourceInfo], root: Int32, usesDynamicScope: Bool, documents: [SyntaxTree],
         documentURIs: [String]) {
        self.nodes = nodes
        var hot: [HotNode] = []
        var operations: [Operation] = []
        var names: [String] = []
        for node in nodes {
            var flags: UInt8 = 0
            if node.isFalse { flags |= HotNode.isFalse }
            if node.tracksEvaluation { flags |= HotNode.tracksEvaluation }
            hot.append(HotNode(first: Int32(operations.count), count: Int32(node.keywords.count), resource: node.resource, flags: flags))
            operations += node.keywords.map(\.operation)
            names += node.keywords.map(\.name)
        }
        self.hot = hot
        self.operations = operations
        self.keywordNames = names
        self.resources = resources
        self.root = root
        self.usesDynamicScope = usesDynamicScope
        self.documents = documents
        self.documentURIs = documentURIs
    }

    /// Runs `body` with an evaluator whose fast tables point into this program.
    func withEvaluator<R>(_ buf: UnsafeBufferPointer<UInt8>, options: ValidationOptions, _ body: (Evaluator) -> R) -> R {
        hot.withUnsafeBufferPointer { hot in
            operations.withUnsafeBufferPointer { operations in
                body(Evaluator(program: self, hot: hot, operations: operations, buf: buf, options: options))
            }
        }
    }

    func syntax(of id: Int32) -> SyntaxNode {
        let loc = nodes[Int(id)].location
        return documents[Int(loc.document)].node(atIndex: Int(loc.node))
    }
}

