/// Re-indents JSON and JSONC while keeping every comment: one member or element per line, `": "`
/// after keys, empty containers kept as `{}` / `[]`, at most one blank line kept where the input had
/// blank lines. Works on the token stream, so nothing but whitespace changes: every token of the input
/// comes out, in order, and only the whitespace between tokens differs (trailing spaces of a line comment
/// count as whitespace before the line break).
///
/// The walk reads tokens one at a time (`SyntaxTree.makeTokenIterator`) with a lookahead of a few, and
/// hands what it writes to a sink: the formatted text itself, or the smallest edits that turn the input into
/// it (one per run of whitespace that differs), so formatting a large document that is nearly formatted
/// costs memory for the few edits only.
public struct JSONFormatter: Sendable {
    public var indent: String

    public init(indent: String = "  ") { self.indent = indent }

    /// A replacement of `node`'s range (the whole text for the document node) by its formatted text, or nil
    /// if the text is already formatted.
    public func edit(_ tree: SyntaxTree, node: SyntaxNode) -> (range: Range<Int>, newText: String)? {
        let range = node.kind == .document ? 0..<tree.bytes.count : node.range
        var sink = TextSink(tree: tree)
        run(tree, range: range, baseDepth: baseDepth(tree, node: node), into: &sink)
        guard sink.out.elementsEqual(tree.bytes[range]) else { return (range, String(decoding: sink.out, as: UTF8.self)) }
        return nil
    }

    /// The edits that format `node` (the whole document for the document node): each replaces one run of
    /// whitespace between two tokens, in document order, none overlapping. Empty when the text is formatted;
    /// nil when more than `limit` would be needed (a single replacement, `edit`, is then the smaller answer).
    public func edits(_ tree: SyntaxTree, node: SyntaxNode, limit: Int = .max) -> [(range: Range<Int>, newText: String)]? {
        let range = node.kind == .document ? 0..<tree.bytes.count : node.range
        var sink = DiffSink(tree: tree, start: range.lowerBound, limit: limit)
        run(tree, range: range, baseDepth: baseDepth(tree, node: node), into: &sink)
        return sink.overflowed ? nil : sink.edits
    }

    /// The whole document, formatted.
    public func format(_ tree: SyntaxTree) -> String {
        var sink = TextSink(tree: tree)
        run(tree, range: 0..<tree.bytes.count, baseDepth: 0, into: &sink)
        return String(decoding: sink.out, as: UTF8.self)
    }

    private func baseDepth(_ tree: SyntaxTree, node: SyntaxNode) -> Int {
        node.kind == .document ? 0 : leadingIndentDepth(tree, at: node.range.lowerBound)
    }

    private func leadingIndentDepth(_ tree: SyntaxTree, at offset: Int) -> Int {
        let line = tree.lineTable.line(containing: offset)
        var i = tree.lineTable.start(ofLine: line)
        var spaces = 0
        while i < offset, tree.bytes[i] == 0x20 || tree.bytes[i] == 0x09 {
            spaces += tree.bytes[i] == 0x09 ? indent.count : 1
            i += 1
        }
        return indent.isEmpty ? 0 : spaces / max(1, indent == "\t" ? 1 : indent.count)
    }

    /// The tokens of `range`, with a lookahead of a few.
    private struct Stream {
        var iterator: SyntaxTree.TokenIterator
        let range: Range<Int>
        var ahead: [SyntaxToken] = []

        init(_ tree: SyntaxTree, range: Range<Int>) {
            iterator = tree.makeTokenIterator()
            self.range = range
        }

        private mutating func pull() -> SyntaxToken? {
            while let token = iterator.next() {
                if token.range.lowerBound < range.lowerBound { continue }
                return token.range.upperBound <= range.upperBound ? token : nil
            }
            return nil
        }

        mutating func peek(_ k: Int) -> SyntaxToken? {
            while ahead.count <= k {
                guard let token = pull() else { return nil }
                ahead.append(token)
            }
            return ahead[k]
        }

        mutating func next() -> SyntaxToken? {
            if !ahead.isEmpty { return ahead.removeFirst() }
            return pull()
        }
    }

    private func run<Sink: FormatSink>(_ tree: SyntaxTree, range: Range<Int>, baseDepth: Int, into sink: inout Sink) {
        let bytes = tree.bytes
        var stream = Stream(tree, range: range)
        let indentBytes = Array(indent.utf8)
        var depth = baseDepth
        var pendingBlankLine = false
        var atLineStart = true

        func isNewlineWhitespace(_ t: SyntaxToken?) -> Bool {
            guard let t, t.kind == .whitespace else { return false }
            return bytes[t.range].contains { $0 == 0x0A || $0 == 0x0D }
        }
        func isComment(_ t: SyntaxToken?) -> Bool { t?.kind == .lineComment || t?.kind == .blockComment }
        func newline() {
            sink.trimTrailingSpaces(tabs: false)
            sink.whitespace(0x0A)
            if pendingBlankLine {
                sink.whitespace(0x0A)
                pendingBlankLine = false
            }
            for _ in 0..<max(0, depth) { sink.whitespace(indentBytes) }
            atLineStart = true
        }
        func emit(_ t: SyntaxToken) {
            if pendingBlankLine && atLineStart && !sink.isEmpty {
                // The input had a blank line before this token, which starts a line: keep one here.
                sink.trimTrailingSpaces(tabs: true)
                sink.whitespace(0x0A)
                for _ in 0..<max(0, depth) { sink.whitespace(indentBytes) }
                pendingBlankLine = false
            }
            var end = t.range.upperBound
            if t.kind == .lineComment {
                // A line comment's trailing blanks are whitespace before its line break: they may go.
                while end > t.range.lowerBound, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            }
            sink.token(t.range.lowerBound..<end)
            if end < t.range.upperBound { sink.whitespace(Array(bytes[end..<t.range.upperBound])) }
            atLineStart = false
        }
        /// The lookahead index of a comment that follows the current token on the same line, if any.
        func trailingComment() -> Int? {
            var j = 0
            if let t = stream.peek(0), t.kind == .whitespace, !isNewlineWhitespace(t) { j = 1 }
            guard let comment = stream.peek(j), isComment(comment) else { return nil }
            if comment.kind == .blockComment {
                // A block comment trails only when nothing but a line break follows it.
                if bytes[comment.range].contains(0x0A) { return nil }
                if let after = stream.peek(j + 1), !isNewlineWhitespace(after) { return nil }
            }
            return j
        }
        /// The first token after lookahead index `k` (-1: after the current token) that is not whitespace.
        func nextSignificant(after k: Int) -> SyntaxToken? {
            var j = k + 1
            while let t = stream.peek(j) {
                if t.kind != .whitespace { return t }
                j += 1
            }
            return nil
        }
        /// Consumes the lookahead up to and including index `k`, and returns the token there.
        func consume(through k: Int) -> SyntaxToken {
            for _ in 0..<k { _ = stream.next() }
            return stream.next()!
        }
        func emitTrailing(_ comment: SyntaxToken) {
            sink.whitespace(0x20)
            emit(comment)
        }

        while !sink.isDone, let token = stream.next() {
            switch token.kind {
            case .whitespace:
                let newlines = bytes[token.range].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                if newlines >= 2 && !atLineStart { pendingBlankLine = true }
                if newlines >= 2 && atLineStart && !sink.isEmpty { pendingBlankLine = true }
            case .openBrace, .openBracket, .comma:
                emit(token)
                if token.kind != .comma { depth += 1 }
                let next = nextSignificant(after: -1)
                let closesAtOnce = token.kind != .comma && (next?.kind == .closeBrace || next?.kind == .closeBracket)
                if let c = trailingComment() {
                    let comment = consume(through: c)
                    emitTrailing(comment)
                    if !closesAtOnce || comment.kind == .lineComment { newline() }
                } else if !closesAtOnce {
                    newline()
                }
                pendingBlankLine = false
            case .closeBrace, .closeBracket:
                depth -= 1
                pendingBlankLine = false  // no blank line before a closing bracket
                if !atLineStart && !sink.endsWithOpeningBracket {
                    newline()
                } else if atLineStart {
                    // Re-indent the line we are on for the closer's depth.
                    sink.trimTrailingSpaces(tabs: true)
                    for _ in 0..<max(0, depth) { sink.whitespace(indentBytes) }
                }
                pendingBlankLine = false
                emit(token)
                if let c = trailingComment() {
                    let comment = consume(through: c)
                    emitTrailing(comment)
                    if comment.kind == .lineComment, stream.peek(0) != nil { newline() }
                }
            case .colon:
                emit(token)
                sink.whitespace(0x20)
            case .lineComment, .blockComment:
                if !atLineStart { newline() }
                emit(token)
                if token.kind == .lineComment || isNewlineWhitespace(stream.peek(0)) {
                    if nextSignificant(after: -1) != nil { newline() }
                } else {
                    sink.whitespace(0x20)
                }
            default:
                emit(token)
                if let c = trailingComment(), let comment = stream.peek(c),
                    comment.kind == .blockComment || nextSignificant(after: c)?.kind == .comma
                {
                    // A comment between a value and its comma stays with the value.
                    _ = consume(through: c)
                    emitTrailing(comment)
                    if comment.kind == .lineComment { newline() }
                }
            }
        }
        sink.finish(range: range, wholeDocument: range.lowerBound == 0 && range.upperBound == bytes.count)
    }
}

/// Where the formatter writes: tokens of the input (by range) and whitespace between them.
private protocol FormatSink {
    /// Nothing written yet.
    var isEmpty: Bool { get }
    /// The last thing written is `{` or `[` with no whitespace after it.
    var endsWithOpeningBracket: Bool { get }
    /// Nothing more is wanted (the edits passed their limit).
    var isDone: Bool { get }
    mutating func token(_ range: Range<Int>)
    mutating func whitespace(_ byte: UInt8)
    mutating func whitespace(_ bytes: [UInt8])
    /// Drops the spaces (and tabs, if asked) at the end of what is written.
    mutating func trimTrailingSpaces(tabs: Bool)
    /// Ends the output: no trailing whitespace, then a line break after a whole document.
    mutating func finish(range: Range<Int>, wholeDocument: Bool)
}

/// Writes the formatted text.
private struct TextSink: FormatSink {
    let tree: SyntaxTree
    var out: [UInt8] = []
    var lastTokenEnd: UInt8?
    var trailing = 0

    init(tree: SyntaxTree) {
        self.tree = tree
        out.reserveCapacity(tree.bytes.count + tree.bytes.count / 4)
    }

    var isEmpty: Bool { out.isEmpty }
    var endsWithOpeningBracket: Bool { trailing == 0 && (lastTokenEnd == 0x7B || lastTokenEnd == 0x5B) }
    var isDone: Bool { false }

    mutating func token(_ range: Range<Int>) {
        out.append(contentsOf: tree.bytes[range])
        lastTokenEnd = range.isEmpty ? lastTokenEnd : tree.bytes[range.upperBound - 1]
        trailing = 0
    }

    mutating func whitespace(_ byte: UInt8) {
        out.append(byte)
        trailing += 1
    }

    mutating func whitespace(_ bytes: [UInt8]) {
        out.append(contentsOf: bytes)
        trailing += bytes.count
    }

    mutating func trimTrailingSpaces(tabs: Bool) {
        while trailing > 0, let last = out.last, last == 0x20 || (tabs && last == 0x09) {
            out.removeLast()
            trailing -= 1
        }
    }

    mutating func finish(range: Range<Int>, wholeDocument: Bool) {
        while let last = out.last, last == 0x20 || last == 0x09 || last == 0x0A { out.removeLast() }
        if wholeDocument { out.append(0x0A) }
    }
}

/// Compares what the formatter writes with the input as it goes and keeps only the differences: for each
/// gap between two tokens, the input's whitespace there against the formatted whitespace.
private struct DiffSink: FormatSink {
    let tree: SyntaxTree
    let limit: Int
    /// Where the input's gap before the next token starts.
    var cursor: Int
    /// The formatted whitespace since the last token.
    var pending: [UInt8] = []
    var lastTokenEnd: UInt8?
    var wroteAnything = false
    var edits: [(range: Range<Int>, newText: String)] = []
    var overflowed = false

    init(tree: SyntaxTree, start: Int, limit: Int) {
        self.tree = tree
        self.cursor = start
        self.limit = limit
    }

    var isEmpty: Bool { !wroteAnything && pending.isEmpty }
    var isDone: Bool { overflowed }
    var endsWithOpeningBracket: Bool { pending.isEmpty && (lastTokenEnd == 0x7B || lastTokenEnd == 0x5B) }

    mutating func token(_ range: Range<Int>) {
        compare(gap: cursor..<range.lowerBound)
        cursor = range.upperBound
        lastTokenEnd = range.isEmpty ? lastTokenEnd : tree.bytes[range.upperBound - 1]
        wroteAnything = true
    }

    mutating func whitespace(_ byte: UInt8) { pending.append(byte) }
    mutating func whitespace(_ bytes: [UInt8]) { pending.append(contentsOf: bytes) }

    mutating func trimTrailingSpaces(tabs: Bool) {
        while let last = pending.last, last == 0x20 || (tabs && last == 0x09) { pending.removeLast() }
    }

    mutating func finish(range: Range<Int>, wholeDocument: Bool) {
        guard !overflowed else { return }
        while let last = pending.last, last == 0x20 || last == 0x09 || last == 0x0A { pending.removeLast() }
        if wholeDocument { pending.append(0x0A) }
        compare(gap: cursor..<range.upperBound)
    }

    private mutating func compare(gap: Range<Int>) {
        defer { pending.removeAll(keepingCapacity: true) }
        guard !overflowed, !tree.bytes[gap].elementsEqual(pending) else { return }
        if edits.count >= limit {
            overflowed = true
            edits = []
            return
        }
        edits.append((gap, String(decoding: pending, as: UTF8.self)))
    }
}
