/// One token of the lossless token stream: a node's token, a bracket, or trivia between tokens.
public struct SyntaxToken: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case openBrace, closeBrace, openBracket, closeBracket, comma, colon
        case string, number, literal, error
        case whitespace, lineComment, blockComment, byteOrderMark
        /// Bytes between nodes that are neither trivia nor punctuation. The parser's invariant is that
        /// this never occurs; the tests check it.
        case unaccounted
    }

    public var kind: Kind
    public var range: Range<Int>

    public var isTrivia: Bool {
        switch kind {
        case .whitespace, .lineComment, .blockComment, .byteOrderMark: true
        default: false
        }
    }
}

extension SyntaxTree {
    /// Every token and piece of trivia in document order, derived from the node tree. Their ranges
    /// tile the input: each byte lies in exactly one token.
    public var tokens: [SyntaxToken] { Array(IteratorSequence(makeTokenIterator())) }

    /// The tokens one at a time, as `tokens` lists them, holding only the few not yet returned: what a
    /// walk over a large document (formatting) needs instead of an array of all of them.
    public func makeTokenIterator() -> TokenIterator { TokenIterator(tree: self) }

    /// Produces the token stream from the node tree: at each node, the trivia in the gap before it, then
    /// its token (or its opening bracket); closing brackets once its container's children are done.
    public struct TokenIterator: IteratorProtocol {
        let tree: SyntaxTree
        var cursor = 0
        var open: [Int] = []
        var index = 1
        var finished = false
        /// Produced and not yet returned; the last may still grow (adjacent whitespace merges).
        var queue: [SyntaxToken] = []
        var head = 0

        init(tree: SyntaxTree) { self.tree = tree }

        public mutating func next() -> SyntaxToken? {
            // A whitespace (or unaccounted) run at the end of what is produced may continue in the next gap:
            // produce on before handing it out.
            while !finished && (head == queue.count || (queue.count - head == 1 && isExtensible(queue[head]))) { produce() }
            guard head < queue.count else { return nil }
            let token = queue[head]
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            return token
        }

        private func isExtensible(_ token: SyntaxToken) -> Bool { token.kind == .whitespace || token.kind == .unaccounted }

        private mutating func gap(to end: Int) {
            guard end > cursor else { return }
            tree.lexTrivia(cursor..<end, into: &queue)
            cursor = end
        }

        private mutating func close(_ container: Int) {
            let node = tree.nodes[container]
            if node.flags.contains(.unterminated) {
                gap(to: Int(node.end))
            } else {
                gap(to: Int(node.end) - 1)
                queue.append(
                    SyntaxToken(
                        kind: node.kind == .object ? .closeBrace : .closeBracket,
                        range: (Int(node.end) - 1)..<Int(node.end)))
                cursor = Int(node.end)
            }
        }

        /// One step: the containers that end before the next node close, then the node; at the end, the
        /// containers left open and the trailing trivia.
        private mutating func produce() {
            let nodes = tree.nodes
            guard index < nodes.count else {
                while let top = open.popLast() { close(top) }
                gap(to: tree.bytes.count)
                finished = true
                return
            }
            while let top = open.last, Int(nodes[top].next) <= index {
                close(open.removeLast())
            }
            let node = nodes[index]
            gap(to: Int(node.start))
            switch node.kind {
            case .object, .array:
                queue.append(
                    SyntaxToken(
                        kind: node.kind == .object ? .openBrace : .openBracket,
                        range: Int(node.start)..<(Int(node.start) + 1)))
                cursor = Int(node.start) + 1
                open.append(index)
            case .missing, .document:
                break
            default:
                let kind: SyntaxToken.Kind
                let bytes = tree.bytes
                switch node.kind {
                case .string: kind = .string
                case .number: kind = .number
                case .true, .false, .null: kind = .literal
                case .error:
                    kind =
                        node.end - node.start == 1 && (bytes[Int(node.start)] == 0x5D || bytes[Int(node.start)] == 0x7D)
                        ? (bytes[Int(node.start)] == 0x5D ? .closeBracket : .closeBrace) : .error
                default: kind = .error
                }
                queue.append(SyntaxToken(kind: kind, range: Int(node.start)..<Int(node.end)))
                cursor = Int(node.end)
            }
            index += 1
        }
    }

    /// The input rebuilt from the token stream. Equal to `bytes` for every input (the losslessness invariant).
    public func printed() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for token in tokens { out.append(contentsOf: bytes[token.range]) }
        return out
    }

    fileprivate func lexTrivia(_ range: Range<Int>, into out: inout [SyntaxToken]) {
        var i = range.lowerBound
        let end = range.upperBound
        func emit(_ kind: SyntaxToken.Kind, _ from: Int) {
            if let last = out.last, last.kind == kind, kind == .whitespace || kind == .unaccounted, last.range.upperBound == from
            {
                out[out.count - 1].range = last.range.lowerBound..<i
            } else {
                out.append(SyntaxToken(kind: kind, range: from..<i))
            }
        }
        while i < end {
            let start = i
            let b = bytes[i]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D:
                while i < end && (bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D) { i += 1 }
                emit(.whitespace, start)
            case 0x2C:
                i += 1
                emit(.comma, start)
            case 0x3A:
                i += 1
                emit(.colon, start)
            case 0x2F where i + 1 < end && bytes[i + 1] == 0x2F:
                while i < end && bytes[i] != 0x0A && bytes[i] != 0x0D { i += 1 }
                emit(.lineComment, start)
            case 0x2F where i + 1 < end && bytes[i + 1] == 0x2A:
                i += 2
                while i < end && !(bytes[i] == 0x2A && i + 1 < end && bytes[i + 1] == 0x2F) { i += 1 }
                i = min(end, i + 2)
                emit(.blockComment, start)
            case 0xEF where i == 0 && end >= 3 && bytes[1] == 0xBB && bytes[2] == 0xBF:
                i = 3
                emit(.byteOrderMark, start)
            default:
                i += 1
                emit(.unaccounted, start)
            }
        }
    }
}
