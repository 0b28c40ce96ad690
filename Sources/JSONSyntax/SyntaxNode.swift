#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A handle on one node of a `SyntaxTree`: cheap to copy, valid as long as the tree (which it retains).
public struct SyntaxNode: Sendable, Hashable {
    public let tree: SyntaxTree
    /// The node's preorder index in its tree; stable for the tree's lifetime.
    public let index: Int

    @inlinable init(tree: SyntaxTree, index: Int) {
        self.tree = tree
        self.index = index
    }

    public static func == (lhs: SyntaxNode, rhs: SyntaxNode) -> Bool { lhs.tree === rhs.tree && lhs.index == rhs.index }
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }

    @inlinable var raw: RawNode { tree.nodes[index] }

    @inlinable public var kind: SyntaxKind { tree.nodes[index].kind }
    @inlinable public var flags: NodeFlags { tree.nodes[index].flags }
    /// Byte range of the node's token(s): for containers, from the opening to the closing bracket.
    @inlinable public var range: Range<Int> { Int(tree.nodes[index].start)..<Int(tree.nodes[index].end) }
    /// Nesting depth: the document is 0, its value 1.
    public var depth: Int { Int(raw.depth) }
    @inlinable public var isStray: Bool { tree.nodes[index].flags.contains(.stray) }
    @inlinable public var isMissing: Bool { tree.nodes[index].kind == .missing }
    /// True when this node or anything inside it is an error or missing node, or a malformed string.
    public var containsErrors: Bool {
        let end = Int(raw.next)
        let nodes = tree.nodes
        for i in index..<end
        where nodes[i].kind == .error || nodes[i].kind == .missing
            || nodes[i].flags.contains(.malformed) || nodes[i].flags.contains(.unterminated)
        {
            return true
        }
        return false
    }

    /// The node's exact source bytes.
    public var sourceBytes: ArraySlice<UInt8> { tree.bytes[range] }
    /// The node's exact source text (invalid UTF-8 shown as U+FFFD).
    public var sourceText: String { String(decoding: sourceBytes, as: UTF8.self) }

    /// Direct children in document order, stray ones included.
    @inlinable public var children: Children { Children(tree: tree, begin: index + 1, end: Int(tree.nodes[index].next)) }

    /// For an object: its members as (key, value) pairs, stray nodes skipped. Empty for other kinds.
    @inlinable public var members: Members {
        let raw = tree.nodes[index]
        return Members(tree: tree, begin: index + 1, end: raw.kind == .object ? Int(raw.next) : index + 1)
    }

    /// For an array: its elements, stray nodes skipped. Empty for other kinds.
    @inlinable public var elements: Elements {
        let raw = tree.nodes[index]
        return Elements(tree: tree, begin: index + 1, end: raw.kind == .array ? Int(raw.next) : index + 1)
    }

    /// For an object: the value of the last member whose key decodes to `name` (the member most JSON
    /// readers keep when keys repeat). Walks the node storage directly: no handles, no allocation for
    /// keys without escapes.
    public func value(forKey name: String) -> SyntaxNode? {
        let nodes = tree.nodes
        guard nodes[index].kind == .object else { return nil }
        var name = name
        let found: Int = name.withUTF8 { key in
            tree.bytes.withUnsafeBufferPointer { bytes in
                nodes.withUnsafeBufferPointer { nodes in
                    var result = -1
                    var i = index + 1
                    let end = Int(nodes[index].next)
                    var keyIndex = -1
                    while i < end {
                        let n = nodes[i]
                        if !n.flags.contains(.stray) {
                            if keyIndex < 0 {
                                keyIndex = i
                            } else {
                                if Self.key(nodes[keyIndex], in: bytes, equals: key) { result = i }
                                keyIndex = -1
                            }
                        }
                        i = Int(n.next)
                    }
                    return result
                }
            }
        }
        return found < 0 ? nil : SyntaxNode(tree: tree, index: found)
    }

    static func key(_ node: RawNode, in bytes: UnsafeBufferPointer<UInt8>, equals key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard node.kind == .string else { return false }
        if node.flags.contains(.hasEscapes) || node.flags.contains(.unterminated) {
            return StringDecoder.decode(bytes, node: node).utf8.elementsEqual(key)
        }
        let start = Int(node.start) + 1
        let length = Int(node.end) - 1 - start
        guard length == key.count else { return false }
        return length == 0 || memcmp(bytes.baseAddress! + start, key.baseAddress!, length) == 0
    }

    /// For a string or key node: whether its decoded value equals the given UTF-8 bytes.
    func keyEquals(_ utf8: [UInt8]) -> Bool {
        let r = raw
        guard r.kind == .string else { return false }
        if !r.flags.contains(.hasEscapes) && !r.flags.contains(.unterminated) {
            let s = Int(r.start) + 1, e = Int(r.end) - 1
            guard e - s == utf8.count else { return false }
            return tree.bytes.withUnsafeBufferPointer { buf in
                utf8.withUnsafeBufferPointer { key in
                    var i = 0
                    while i < key.count {
                        if buf[s + i] != key[i] { return false }
                        i += 1
                    }
                    return true
                }
            }
        }
        return stringValue.map { Array($0.utf8) == utf8 } ?? false
    }

    /// For a string node: its decoded value (escapes resolved; lone surrogates and invalid UTF-8 as U+FFFD).
    public var stringValue: String? {
        guard raw.kind == .string else { return nil }
        return StringDecoder.decode(tree.bytes, node: raw)
    }

    /// For a number node: its exact lexeme, e.g. `1.50e3`.
    public var numberLexeme: String? { raw.kind == .number ? sourceText : nil }

    /// For a number node: the nearest Double (may be infinite for huge exponents).
    public var doubleValue: Double? {
        guard raw.kind == .number else { return nil }
        return NumberValue.double(tree.bytes, Int(raw.start)..<Int(raw.end))
    }

    /// For a number node whose value is an integer that fits in Int64 (`10`, `1.0`, `1e3`, `-0`): that integer.
    public var integerValue: Int64? {
        guard raw.kind == .number else { return nil }
        return NumberValue.exactInteger(tree.bytes, Int(raw.start)..<Int(raw.end))
    }

    /// For a number node: its exact decimal value as significand digits and a base-10 exponent.
    public var decimalValue: ExactDecimal? {
        guard raw.kind == .number else { return nil }
        return ExactDecimal(lexeme: tree.bytes[Int(raw.start)..<Int(raw.end)])
    }

    /// For `true`/`false` nodes: the boolean.
    public var boolValue: Bool? {
        switch raw.kind {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// The node holding `self`, found by descending from the root (nodes store no parent link).
    public var parent: SyntaxNode? { tree.path(to: index).dropLast().last }

    /// The node's JSON Pointer (RFC 6901) from the document's value. For a key node, the pointer of its member's value.
    public var pointer: JSONPointer { tree.pointer(to: index) }
}

extension SyntaxNode {
    /// Iterates a node's direct children.
    public struct Children: Sequence, Sendable {
        @usableFromInline let tree: SyntaxTree
        @usableFromInline let begin: Int
        @usableFromInline let end: Int

        @inlinable init(tree: SyntaxTree, begin: Int, end: Int) {
            self.tree = tree
            self.begin = begin
            self.end = end
        }

        public struct Iterator: IteratorProtocol {
            @usableFromInline let tree: SyntaxTree
            @usableFromInline var index: Int
            @usableFromInline let end: Int

            @inlinable init(tree: SyntaxTree, index: Int, end: Int) {
                self.tree = tree
                self.index = index
                self.end = end
            }
            @inlinable public mutating func next() -> SyntaxNode? {
                guard index < end else { return nil }
                let node = SyntaxNode(tree: tree, index: index)
                index = Int(tree.nodes[index].next)
                return node
            }
        }

        @inlinable public func makeIterator() -> Iterator { Iterator(tree: tree, index: begin, end: end) }
    }

    /// One object member: its key node (a string, or an error/missing node) and its value node.
    public struct Member: Sendable, Hashable {
        public let key: SyntaxNode
        public let value: SyntaxNode

        @inlinable init(key: SyntaxNode, value: SyntaxNode) {
            self.key = key
            self.value = value
        }
        /// The decoded key (empty for an error or missing key).
        public var name: String { key.stringValue ?? "" }
        /// From the key's start to the value's end.
        public var range: Range<Int> {
            key.range.lowerBound..<max(key.range.upperBound, value.range.upperBound)
        }
    }

    /// Iterates an object's members, skipping stray nodes.
    public struct Members: Sequence, Sendable {
        @usableFromInline let tree: SyntaxTree
        @usableFromInline let begin: Int
        @usableFromInline let end: Int

        @inlinable init(tree: SyntaxTree, begin: Int, end: Int) {
            self.tree = tree
            self.begin = begin
            self.end = end
        }

        public struct Iterator: IteratorProtocol {
            @usableFromInline let tree: SyntaxTree
            @usableFromInline var index: Int
            @usableFromInline let end: Int

            @inlinable init(tree: SyntaxTree, index: Int, end: Int) {
                self.tree = tree
                self.index = index
                self.end = end
            }
            @inlinable public mutating func next() -> Member? {
                let nodes = tree.nodes
                while index < end && nodes[index].flags.contains(.stray) { index = Int(nodes[index].next) }
                guard index < end else { return nil }
                let key = index
                var value = Int(nodes[key].next)
                while value < end && nodes[value].flags.contains(.stray) { value = Int(nodes[value].next) }
                guard value < end else { return nil }  // unreachable: the parser pairs every key
                index = Int(nodes[value].next)
                return Member(key: SyntaxNode(tree: tree, index: key), value: SyntaxNode(tree: tree, index: value))
            }
        }

        @inlinable public func makeIterator() -> Iterator { Iterator(tree: tree, index: begin, end: end) }
        public var count: Int { reduce(0) { n, _ in n + 1 } }
    }

    /// Iterates an array's elements, skipping stray nodes.
    public struct Elements: Sequence, Sendable {
        @usableFromInline let tree: SyntaxTree
        @usableFromInline let begin: Int
        @usableFromInline let end: Int

        @inlinable init(tree: SyntaxTree, begin: Int, end: Int) {
            self.tree = tree
            self.begin = begin
            self.end = end
        }

        public struct Iterator: IteratorProtocol {
            @usableFromInline let tree: SyntaxTree
            @usableFromInline var index: Int
            @usableFromInline let end: Int

            @inlinable init(tree: SyntaxTree, index: Int, end: Int) {
                self.tree = tree
                self.index = index
                self.end = end
            }
            @inlinable public mutating func next() -> SyntaxNode? {
                let nodes = tree.nodes
                while index < end && nodes[index].flags.contains(.stray) { index = Int(nodes[index].next) }
                guard index < end else { return nil }
                let node = SyntaxNode(tree: tree, index: index)
                index = Int(nodes[index].next)
                return node
            }
        }

        @inlinable public func makeIterator() -> Iterator { Iterator(tree: tree, index: begin, end: end) }
        public var count: Int { reduce(0) { n, _ in n + 1 } }
        public var first: SyntaxNode? {
            var it = makeIterator()
            return it.next()
        }
    }
}
