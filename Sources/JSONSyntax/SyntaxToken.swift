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
    public var tokens: [SyntaxToken] {
        var out: [SyntaxToken] = []
        var cursor = 0
        var open: [Int] = []

        func gap(to end: Int) {
            guard end > cursor else { return }
            lexTrivia(cursor..<end, into: &out)
            cursor = end
        }
        func close(_ container: Int) {
            let node = nodes[container]
            if node.flags.contains(.unterminated) {
                gap(to: Int(node.end))
            } else {
                gap(to: Int(node.end) - 1)
                out.append(SyntaxToken(kind: node.kind == .object ? .closeBrace : .closeBracket,
                                       range: (Int(node.end) - 1)..<Int(node.end)))
                cursor = Int(node.end)
            }
        }

        var i = 1
        while i < nodes.count {
            while let top = open.last, Int(nodes[top].next) <= i {
                close(open.removeLast())
            }
            let node = nodes[i]
            gap(to: Int(node.start))
            switch node.kind {
            case .object, .array:
                out.append(SyntaxToken(kind: node.kind == .object ? .openBrace : .openBracket,
                                       range: Int(node.start)..<(Int(node.start) + 1)))
                cursor = Int(node.start) + 1
                open.append(i)
            case .missing, .document:
                break
            default:
                let kind: SyntaxToken.Kind
                switch node.kind {
                case .string: kind = .string
                case .number: kind = .number
                case .true, .false, .null: kind = .literal
                case .error: kind = nodes[i].end - nodes[i].start == 1 && (bytes[Int(node.start)] == 0x5D || bytes[Int(node.start)] == 0x7D)
                    ? (bytes[Int(node.start)] == 0x5D ? .closeBracket : .closeBrace) : .error
                default: kind = .error
                }
                out.append(SyntaxToken(kind: kind, range: Int(node.start)..<Int(node.end)))
                cursor = Int(node.end)
            }
            i += 1
        }
        while let top = open.popLast() { close(top) }
        gap(to: bytes.count)
        return out
    }

    /// The input rebuilt from the token stream. Equal to `bytes` for every input (the losslessness invariant).
    public func printed() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for token in tokens { out.append(contentsOf: bytes[token.range]) }
        return out
    }

    private func lexTrivia(_ range: Range<Int>, into out: inout [SyntaxToken]) {
        var i = range.lowerBound
        let end = range.upperBound
        func emit(_ kind: SyntaxToken.Kind, _ from: Int) {
            if let last = out.last, last.kind == kind, kind == .whitespace || kind == .unaccounted, last.range.upperBound == from {
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
