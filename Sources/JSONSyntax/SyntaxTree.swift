/// The kind of a node in the syntax tree.
public enum SyntaxKind: UInt8, Sendable, Hashable {
    /// The root: spans the whole input, holds one value and any stray content after it.
    case document
    case object
    case array
    case string
    case number
    case `true`
    case `false`
    case null
    /// Bytes that form no JSON token (`tru`, `'x'`, `01`, a stray `]`, an over-deep container).
    case error
    /// A zero-length placeholder where a value or property name is required but absent.
    case missing

    /// True for the kinds that hold children.
    public var isContainer: Bool { self == .object || self == .array || self == .document }
}

/// Per-node facts recorded while parsing.
public struct NodeFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Content that does not belong to the structure (a stray `]`, a second top-level value).
    /// Member and element iteration skips stray nodes.
    public static let stray = NodeFlags(rawValue: 1 << 0)
    /// A string that contains at least one escape sequence.
    public static let hasEscapes = NodeFlags(rawValue: 1 << 1)
    /// A string containing a malformed escape, a raw control character, a lone surrogate or invalid UTF-8.
    public static let malformed = NodeFlags(rawValue: 1 << 2)
    /// A string without its closing quote, or a container without its closing bracket.
    public static let unterminated = NodeFlags(rawValue: 1 << 3)
    /// A string containing bytes at or above 0x80.
    public static let nonASCII = NodeFlags(rawValue: 1 << 4)
    /// A number with a fraction or an exponent.
    public static let nonIntegerLexeme = NodeFlags(rawValue: 1 << 5)
    /// A key of an object member (the first of each key/value pair).
    public static let key = NodeFlags(rawValue: 1 << 6)
}

/// Node storage: 16 bytes a node, in preorder. A node's subtree occupies indices `index..<next`.
@usableFromInline
struct RawNode: Sendable {
    @usableFromInline var start: UInt32
    @usableFromInline var end: UInt32
    /// Index one past the node's subtree: its next sibling, or the next node after its parent's subtree.
    @usableFromInline var next: UInt32
    @usableFromInline var kind: SyntaxKind
    @usableFromInline var flags: NodeFlags
    @usableFromInline var depth: UInt16

    @inlinable
    init(start: UInt32, end: UInt32, next: UInt32, kind: SyntaxKind, flags: NodeFlags, depth: UInt16) {
        self.start = start
        self.end = end
        self.next = next
        self.kind = kind
        self.flags = flags
        self.depth = depth
    }
}

/// An immutable, lossless syntax tree of one JSON or JSONC text, with the diagnostics found while
/// building it and the line table for converting positions.
///
/// Invariants: every byte of `bytes` belongs either to a node's token (a scalar, or a container's
/// brackets) or to the trivia between tokens (whitespace, comments, `,`, `:`, a byte-order mark);
/// `SyntaxTree.tokens` lists them in order and their concatenation is the input. Parsing never fails.
public final class SyntaxTree: Sendable {
    /// The exact input.
    public let bytes: [UInt8]
    public let dialect: Dialect
    public let diagnostics: [SyntaxDiagnostic]
    public let lineTable: LineTable
    @usableFromInline let nodes: [RawNode]

    init(bytes: [UInt8], dialect: Dialect, nodes: [RawNode], diagnostics: [SyntaxDiagnostic], lineTable: LineTable) {
        self.bytes = bytes
        self.dialect = dialect
        self.nodes = nodes
        self.diagnostics = diagnostics
        self.lineTable = lineTable
    }

    /// Parses `bytes`. Never fails: malformed input yields error and missing nodes plus diagnostics.
    public convenience init(parsing bytes: [UInt8], dialect: Dialect = .json, limits: ParseLimits = .default) {
        let result = Parser.parse(bytes, dialect: dialect, limits: limits)
        // The parser sees every line break (they occur only in trivia, comments, and regions it skips
        // wholesale); when it skipped a region, the table is built by a scan of its own.
        let lines = result.lineStarts.map { LineTable(lineStarts: $0, textLength: bytes.count) } ?? LineTable(bytes)
        self.init(bytes: bytes, dialect: dialect, nodes: result.nodes, diagnostics: result.diagnostics, lineTable: lines)
    }

    /// Parses a Swift string (its UTF-8 bytes).
    public convenience init(parsing text: String, dialect: Dialect = .json, limits: ParseLimits = .default) {
        self.init(parsing: Array(text.utf8), dialect: dialect, limits: limits)
    }

    /// The document node (spans the whole input).
    public var document: SyntaxNode { SyntaxNode(tree: self, index: 0) }

    /// The document's value: its first non-stray child (a `missing` node for an empty document).
    public var root: SyntaxNode {
        var index = 1
        let end = Int(nodes[0].next)
        while index < end {
            if !nodes[index].flags.contains(.stray) { return SyntaxNode(tree: self, index: index) }
            index = Int(nodes[index].next)
        }
        return SyntaxNode(tree: self, index: 1)
    }

    /// Number of nodes, including the document node.
    public var nodeCount: Int { nodes.count }

    /// The node stored at `index` (preorder position).
    public func node(atIndex index: Int) -> SyntaxNode { SyntaxNode(tree: self, index: index) }

    /// True when any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Bytes held by the tree's own storage (nodes, line table, diagnostics and the text), for memory reports.
    public var storageBytes: Int {
        bytes.capacity + nodes.capacity * MemoryLayout<RawNode>.stride + lineTable.storageBytes
            + diagnostics.capacity * MemoryLayout<SyntaxDiagnostic>.stride
            + diagnostics.reduce(0) { $0 + $1.message.utf8.count }
    }
}
