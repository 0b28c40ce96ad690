/// A borrowed, read-only view of a tree's node storage and bytes, for code that visits many nodes and
/// cannot afford a reference-counted `SyntaxNode` handle per step (the schema validator).
///
/// Nodes are addressed by their preorder index (the same as `SyntaxNode.index`); a node's subtree is
/// `index..<next(index)`, its children are found by hopping `next` from `index + 1`. The view is valid
/// only inside `SyntaxTree.withNodeStorage`, like the buffer of `Array.withUnsafeBufferPointer`: do not
/// let it escape. Indices are not checked beyond the buffers' own debug checks.
public struct NodeStorage {
    @usableFromInline let nodes: UnsafeBufferPointer<RawNode>
    /// The tree's exact input bytes.
    public let bytes: UnsafeBufferPointer<UInt8>

    @inlinable init(nodes: UnsafeBufferPointer<RawNode>, bytes: UnsafeBufferPointer<UInt8>) {
        self.nodes = nodes
        self.bytes = bytes
    }

    /// Number of nodes, including the document node (index 0).
    @inlinable public var count: Int { nodes.count }
    @inlinable public func kind(_ index: Int) -> SyntaxKind { nodes[index].kind }
    @inlinable public func flags(_ index: Int) -> NodeFlags { nodes[index].flags }
    /// Byte offset of the node's first byte.
    @inlinable public func start(_ index: Int) -> Int { Int(nodes[index].start) }
    /// Byte offset one past the node's last byte (for containers, past the closing bracket).
    @inlinable public func end(_ index: Int) -> Int { Int(nodes[index].end) }
    /// Byte range of the node, as `SyntaxNode.range`.
    @inlinable public func range(_ index: Int) -> Range<Int> { Int(nodes[index].start)..<Int(nodes[index].end) }
    /// The index one past the node's subtree: its next sibling, or the next node after its parent's subtree.
    @inlinable public func next(_ index: Int) -> Int { Int(nodes[index].next) }
    /// Nesting depth, as `SyntaxNode.depth`.
    @inlinable public func depth(_ index: Int) -> Int { Int(nodes[index].depth) }

    // `NodeFlags` bits as literals: inlined into another module, `NodeFlags.stray` and friends would cost a
    // call to their global accessor on every test. `withNodeStorage` asserts that they agree.
    @usableFromInline static var strayBit: UInt8 { 1 << 0 }
    @usableFromInline static var hasEscapesBit: UInt8 { 1 << 1 }
    @usableFromInline static var malformedBit: UInt8 { 1 << 2 }
    @usableFromInline static var unterminatedBit: UInt8 { 1 << 3 }
    @usableFromInline static var nonASCIIBit: UInt8 { 1 << 4 }
    @usableFromInline static var nonIntegerLexemeBit: UInt8 { 1 << 5 }

    /// Whether the node is stray (`NodeFlags.stray`).
    @inlinable public func isStray(_ index: Int) -> Bool { nodes[index].flags.rawValue & NodeStorage.strayBit != 0 }

    /// Whether a string node's bytes between its quotes are its value: no escapes, closing quote present.
    @inlinable public func isPlainString(_ index: Int) -> Bool {
        nodes[index].flags.rawValue & (NodeStorage.hasEscapesBit | NodeStorage.unterminatedBit) == 0
    }

    /// Whether a string node is plain (`isPlainString`) and well formed (no `NodeFlags.malformed`): its
    /// bytes between the quotes are its value as valid UTF-8.
    @inlinable public func isPlainWellFormedString(_ index: Int) -> Bool {
        nodes[index].flags.rawValue & (NodeStorage.hasEscapesBit | NodeStorage.unterminatedBit | NodeStorage.malformedBit) == 0
    }

    /// Whether a string node holds only ASCII bytes (no `NodeFlags.nonASCII`).
    @inlinable public func isASCII(_ index: Int) -> Bool { nodes[index].flags.rawValue & NodeStorage.nonASCIIBit == 0 }

    /// Whether a number node's lexeme is a plain integer (no `NodeFlags.nonIntegerLexeme`).
    @inlinable public func hasIntegerLexeme(_ index: Int) -> Bool {
        nodes[index].flags.rawValue & NodeStorage.nonIntegerLexemeBit == 0
    }

    /// The first index in `index..<end` that is not a stray node when hopping sibling to sibling
    /// (`end` when there is none). Member and element iteration skip stray nodes this way.
    @inlinable public func skippingStray(_ index: Int, end: Int) -> Int {
        var i = index
        while i < end && nodes[i].flags.rawValue & NodeStorage.strayBit != 0 { i = Int(nodes[i].next) }
        return i
    }

    /// The document's value, as `SyntaxTree.root.index`.
    @inlinable public var rootIndex: Int {
        let i = skippingStray(1, end: Int(nodes[0].next))
        return i < Int(nodes[0].next) ? i : 1
    }

    /// For a string node without escapes and properly terminated: the bytes between its quotes.
    /// Nil for other strings (use `SyntaxNode.stringValue` to decode them) and other kinds.
    @inlinable @inline(__always) public func rawStringContent(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
        let node = nodes[index]
        guard node.kind == .string, node.flags.rawValue & (NodeStorage.hasEscapesBit | NodeStorage.unterminatedBit) == 0 else {
            return nil
        }
        return UnsafeBufferPointer(rebasing: bytes[(Int(node.start) + 1)..<(Int(node.end) - 1)])
    }
}

extension NodeStorage {
    /// Whether the subtrees at `a` and `b` are written alike: the same nodes in the same shape, each key and
    /// scalar spelled with the same bytes, whatever the whitespace between them (stray nodes included). Two
    /// strings spelled differently (`"\u0041"`, `"A"`) are not alike, though their values are equal.
    @inlinable public func sameTokens(_ a: Int, _ b: Int) -> Bool {
        let size = next(a) - a
        guard next(b) - b == size else { return false }
        // Written with the same bytes (as at the same indentation, or minified): the tokens are the same, and the
        // nodes are too unless the depth limit cut one of them short, which the shapes compared below would show.
        let length = end(a) - start(a)
        let sameBytes = end(b) - start(b) == length && bytesEqual(start(a), start(b), count: length)
        for i in 0..<size {
            let x = nodes[a + i], y = nodes[b + i]
            guard x.kind == y.kind, Int(x.next) - (a + i) == Int(y.next) - (b + i), x.flags == y.flags else { return false }
            if sameBytes { continue }
            switch x.kind {
            case .object, .array: continue
            default:
                let length = Int(x.end) - Int(x.start)
                guard Int(y.end) - Int(y.start) == length else { return false }
                if !bytesEqual(Int(x.start), Int(y.start), count: length) { return false }
            }
        }
        return true
    }

    /// A hash of the subtree at `a` that is the same for subtrees written alike (`sameTokens`): its nodes' kinds,
    /// flags and shape, and its keys' and scalars' bytes, not the whitespace. For grouping candidates before
    /// comparing them (FNV-1a over eight bytes at a time: quick, not collision-resistant, never stored).
    @inlinable public func tokenHash(_ a: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ word: UInt64) { h = (h ^ word) &* 0x100_0000_01b3 }
        let end = next(a)
        mix(UInt64(end - a))
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return Int(truncatingIfNeeded: h) }
        for i in a..<end {
            let x = nodes[i]
            mix(UInt64(x.kind.rawValue) | UInt64(x.flags.rawValue) << 8 | UInt64(truncatingIfNeeded: Int(x.next) - i) << 16)
            switch x.kind {
            case .object, .array: continue
            default:
                var k = Int(x.start)
                let stop = Int(x.end)
                while k + 8 <= stop {
                    mix(base.loadUnaligned(fromByteOffset: k, as: UInt64.self))
                    k += 8
                }
                var tail: UInt64 = 0
                var shift: UInt64 = 0
                while k < stop {
                    tail |= UInt64(bytes[k]) << shift
                    shift += 8
                    k += 1
                }
                mix(tail ^ UInt64(stop - Int(x.start)) << 56)
            }
        }
        return Int(truncatingIfNeeded: h)
    }

    /// Whether the `count` input bytes from offset `p` equal those from offset `q` (eight at a time).
    @inlinable func bytesEqual(_ p: Int, _ q: Int, count: Int) -> Bool {
        guard count > 0, let base = UnsafeRawPointer(bytes.baseAddress) else { return true }
        var k = 0
        while k + 8 <= count {
            if base.loadUnaligned(fromByteOffset: p + k, as: UInt64.self)
                != base.loadUnaligned(fromByteOffset: q + k, as: UInt64.self)
            {
                return false
            }
            k += 8
        }
        while k < count {
            if bytes[p + k] != bytes[q + k] { return false }
            k += 1
        }
        return true
    }
}

extension SyntaxTree {
    /// Runs `body` with a borrowed view of the tree's nodes and bytes (valid only during the call).
    @inlinable public func withNodeStorage<R>(_ body: (NodeStorage) throws -> R) rethrows -> R {
        assert(
            NodeFlags.stray.rawValue == NodeStorage.strayBit && NodeFlags.hasEscapes.rawValue == NodeStorage.hasEscapesBit
                && NodeFlags.malformed.rawValue == NodeStorage.malformedBit
                && NodeFlags.unterminated.rawValue == NodeStorage.unterminatedBit
                && NodeFlags.nonASCII.rawValue == NodeStorage.nonASCIIBit
                && NodeFlags.nonIntegerLexeme.rawValue == NodeStorage.nonIntegerLexemeBit)
        return try nodes.withUnsafeBufferPointer { nodes in
            try bytes.withUnsafeBufferPointer { bytes in
                try body(NodeStorage(nodes: nodes, bytes: bytes))
            }
        }
    }
}

extension NodeStorage {
    /// For an object: its members as (key, value) index pairs, stray nodes skipped, as
    /// `SyntaxNode.members`. Empty for other kinds.
    @inlinable public func members(of object: Int) -> MemberIndices { MemberIndices(self, object) }

    /// For an array: its elements' indices, stray nodes skipped, as `SyntaxNode.elements`. Empty for other kinds.
    @inlinable public func elements(of array: Int) -> ElementIndices { ElementIndices(self, array) }

    /// Iterates an object's members by index.
    public struct MemberIndices: Sequence, IteratorProtocol {
        @usableFromInline let storage: NodeStorage
        @usableFromInline var index: Int
        @usableFromInline let end: Int

        @inlinable init(_ storage: NodeStorage, _ object: Int) {
            self.storage = storage
            index = object + 1
            end = storage.kind(object) == .object ? storage.next(object) : object + 1
        }

        @inlinable public mutating func next() -> (key: Int, value: Int)? {
            let key = storage.skippingStray(index, end: end)
            guard key < end else { return nil }
            let value = storage.skippingStray(storage.next(key), end: end)
            guard value < end else {  // unreachable: the parser pairs every key
                index = end
                return nil
            }
            index = storage.next(value)
            return (key, value)
        }
    }

    /// Iterates an array's elements by index.
    public struct ElementIndices: Sequence, IteratorProtocol {
        @usableFromInline let storage: NodeStorage
        @usableFromInline var index: Int
        @usableFromInline let end: Int

        @inlinable init(_ storage: NodeStorage, _ array: Int) {
            self.storage = storage
            index = array + 1
            end = storage.kind(array) == .array ? storage.next(array) : array + 1
        }

        @inlinable public mutating func next() -> Int? {
            let element = storage.skippingStray(index, end: end)
            guard element < end else { return nil }
            index = storage.next(element)
            return element
        }

        /// The number of elements (walks the siblings).
        @inlinable public var count: Int {
            var n = 0
            var it = self
            while it.next() != nil { n += 1 }
            return n
        }
    }
}
