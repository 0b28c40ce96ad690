#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Comparing two versions of a text and their trees, for work that carries results over from one version
/// to the next (the validation memo, the criteria's document index).
public enum TextComparison {
    /// The lengths of the longest common prefix and suffix of two texts, not overlapping in either: what lies
    /// between is all that differs. Compared eight bytes at a time.
    public static func commonEnds(_ a: [UInt8], _ b: [UInt8]) -> (prefix: Int, suffix: Int) {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                guard let pa = a.baseAddress, let pb = b.baseAddress else { return (0, 0) }
                let limit = min(a.count, b.count)
                // Whole blocks compared with memcmp (as fast as memory allows), then the first differing
                // block word by word and byte by byte.
                var prefix = 0
                while prefix + block <= limit && memcmp(pa + prefix, pb + prefix, block) == 0 { prefix += block }
                while prefix + 8 <= limit,
                    a.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
                        == b.loadUnaligned(fromByteOffset: prefix, as: UInt64.self)
                {
                    prefix += 8
                }
                while prefix < limit && a[prefix] == b[prefix] { prefix += 1 }
                let room = limit - prefix
                var suffix = 0
                while suffix + block <= room && memcmp(pa + a.count - suffix - block, pb + b.count - suffix - block, block) == 0 {
                    suffix += block
                }
                while suffix + 8 <= room,
                    a.loadUnaligned(fromByteOffset: a.count - suffix - 8, as: UInt64.self)
                        == b.loadUnaligned(fromByteOffset: b.count - suffix - 8, as: UInt64.self)
                {
                    suffix += 8
                }
                while suffix < room && a[a.count - suffix - 1] == b[b.count - suffix - 1] { suffix += 1 }
                return (prefix, suffix)
            }
        }
    }

    /// The block `commonEnds` hands to `memcmp`.
    private static let block = 4096
}

extension SyntaxTree {
    /// Whether `other` has the same nodes as this tree apart from where they lie: as many, and node by node the
    /// same kind, flags, depth and extent in nodes. A text edited only inside a string's content keeps its shape
    /// (unless the edit changes the string's flags, such as its first escape or non-ASCII character).
    public func hasSameShape(as other: SyntaxTree) -> Bool {
        guard nodes.count == other.nodes.count else { return false }
        return nodes.withUnsafeBufferPointer { a in
            other.nodes.withUnsafeBufferPointer { b in
                if RawNode.shapeIsOneWord {
                    // `next`, kind, flags and depth fill the node's second eight bytes: one comparison each.
                    let x = UnsafeRawPointer(a.baseAddress!), y = UnsafeRawPointer(b.baseAddress!)
                    let stride = MemoryLayout<RawNode>.stride
                    for i in 0..<a.count
                    where x.loadUnaligned(fromByteOffset: i * stride + 8, as: UInt64.self)
                        != y.loadUnaligned(fromByteOffset: i * stride + 8, as: UInt64.self)
                    {
                        return false
                    }
                    return true
                }
                for i in 0..<a.count {
                    let x = a[i], y = b[i]
                    if x.next != y.next || x.kind != y.kind || x.flags != y.flags || x.depth != y.depth { return false }
                }
                return true
            }
        }
    }

    /// The deepest node whose byte range holds all of `range` (an empty range: its position), descending from
    /// the document node; stray nodes included.
    public func innermostNode(containing range: Range<Int>) -> Int {
        withNodeStorage { st in
            var current = 0
            descent: while true {
                var child = current + 1
                let end = st.next(current)
                while child < end {
                    if st.start(child) <= range.lowerBound && range.upperBound <= st.end(child) {
                        current = child
                        continue descent
                    }
                    child = st.next(child)
                }
                return current
            }
        }
    }
}

extension RawNode {
    /// Whether `next`, kind, flags and depth are exactly the bytes 8..<16 of a node (as laid out today).
    static let shapeIsOneWord: Bool =
        MemoryLayout<RawNode>.stride == 16 && MemoryLayout<RawNode>.offset(of: \.next) == 8
        && MemoryLayout<RawNode>.offset(of: \.kind) == 12
        && MemoryLayout<RawNode>.offset(of: \.flags) == 13 && MemoryLayout<RawNode>.offset(of: \.depth) == 14
}
