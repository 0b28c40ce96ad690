/// Re-indents JSON and JSONC while keeping every comment: one member or element per line, `": "`
/// after keys, empty containers kept as `{}` / `[]`, at most one blank line kept where the input had
/// blank lines. Works on the token stream, so nothing but whitespace changes.
public struct JSONFormatter: Sendable {
    public var indent: String

    public init(indent: String = "  ") { self.indent = indent }

    /// A replacement of `node`'s range (the whole text for the document node), or nil if the text is
    /// already formatted.
    public func edit(_ tree: SyntaxTree, node: SyntaxNode) -> (range: Range<Int>, newText: String)? {
        let range = node.kind == .document ? 0..<tree.bytes.count : node.range
        let baseDepth = node.kind == .document ? 0 : leadingIndentDepth(tree, at: range.lowerBound)
        let formatted = format(tree, range: range, baseDepth: baseDepth)
        let original = String(decoding: tree.bytes[range], as: UTF8.self)
        return formatted == original ? nil : (range, formatted)
    }

    /// The whole document, formatted.
    public func format(_ tree: SyntaxTree) -> String {
        format(tree, range: 0..<tree.bytes.count, baseDepth: 0)
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

    private func format(_ tree: SyntaxTree, range: Range<Int>, baseDepth: Int) -> String {
        let tokens = tree.tokens.filter { $0.range.lowerBound >= range.lowerBound && $0.range.upperBound <= range.upperBound }
        var out = ""
        var depth = baseDepth
        var pendingBlankLine = false
        var atLineStart = true

        func text(_ t: SyntaxToken) -> String { String(decoding: tree.bytes[t.range], as: UTF8.self) }
        func isNewlineWhitespace(_ t: SyntaxToken) -> Bool { t.kind == .whitespace && tree.bytes[t.range].contains { $0 == 0x0A || $0 == 0x0D } }
        func newline() {
            while out.last == " " { out.removeLast() }
            out += "\n"
            if pendingBlankLine {
                out += "\n"
                pendingBlankLine = false
            }
            out += String(repeating: indent, count: max(0, depth))
            atLineStart = true
        }
        func emit(_ s: String) {
            out += s
            atLineStart = false
        }
        /// The index of a comment that follows token `i` on the same line, if any.
        func trailingComment(after i: Int) -> Int? {
            var j = i + 1
            if j < tokens.count && tokens[j].kind == .whitespace && !isNewlineWhitespace(tokens[j]) { j += 1 }
            guard j < tokens.count, tokens[j].kind == .lineComment || tokens[j].kind == .blockComment else { return nil }
            if tokens[j].kind == .blockComment {
                // A block comment trails only when nothing but a line break follows it.
                if tree.bytes[tokens[j].range].contains(0x0A) { return nil }
                if j + 1 < tokens.count && !isNewlineWhitespace(tokens[j + 1]) { return nil }
            }
            return j
        }
        func nextSignificant(after i: Int) -> SyntaxToken? { tokens[(i + 1)...].first { $0.kind != .whitespace } }

        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            switch token.kind {
            case .whitespace:
                let newlines = tree.bytes[token.range].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                if newlines >= 2 && !atLineStart { pendingBlankLine = true }
                if newlines >= 2 && atLineStart && !out.isEmpty { pendingBlankLine = true }
            case .openBrace, .openBracket, .comma:
                emit(token.kind == .comma ? "," : text(token))
                if token.kind != .comma { depth += 1 }
                let next = nextSignificant(after: i)
                let closesAtOnce = token.kind != .comma && (next?.kind == .closeBrace || next?.kind == .closeBracket)
                if let c = trailingComment(after: i) {
                    emit(" " + text(tokens[c]))
                    i = c
                    if !closesAtOnce || tokens[c].kind == .lineComment { newline() }
                } else if !closesAtOnce {
                    newline()
                }
                pendingBlankLine = false
            case .closeBrace, .closeBracket:
                depth -= 1
                if !atLineStart && !(out.hasSuffix("{") || out.hasSuffix("[")) {
                    newline()
                } else if atLineStart {
                    // Re-indent the line we are on for the closer's depth.
                    while out.last == " " || out.last == "\t" { out.removeLast() }
                    out += String(repeating: indent, count: max(0, depth))
                }
                pendingBlankLine = false
                emit(text(token))
                if let c = trailingComment(after: i) {
                    emit(" " + text(tokens[c]))
                    i = c
                    if tokens[c].kind == .lineComment, i + 1 < tokens.count { newline() }
                }
            case .colon:
                emit(": ")
            case .lineComment, .blockComment:
                if !atLineStart { newline() }
                emit(text(token))
                if token.kind == .lineComment || isNewlineWhitespace(tokens[min(i + 1, tokens.count - 1)]) {
                    if nextSignificant(after: i) != nil { newline() }
                } else {
                    emit(" ")
                }
            default:
                emit(text(token))
                if let c = trailingComment(after: i), tokens[c].kind == .blockComment || nextSignificant(after: c)?.kind == .comma {
                    // A comment between a value and its comma stays with the value.
                    emit(" " + text(tokens[c]))
                    i = c
                    if tokens[c].kind == .lineComment { newline() }
                }
            }
            i += 1
        }
        while let last = out.last, last == " " || last == "\t" || last == "\n" { out.removeLast() }
        if range.lowerBound == 0 && range.upperBound == tree.bytes.count { out += "\n" }
        return out
    }
}
