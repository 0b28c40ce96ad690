/// The parser: a flat loop over tokens with an explicit stack of open containers, so nesting never
/// recurses. It builds the preorder node array of a `SyntaxTree` and collects diagnostics.
struct Parser: ~Copyable {
    private enum Token: UInt8 {
        case openBrace, closeBrace, openBracket, closeBracket, comma, colon
        case string, number, `true`, `false`, null, word, invalidNumber, eof

        var startsValue: Bool {
            switch self {
            case .openBrace, .openBracket, .string, .number, .true, .false, .null, .word, .invalidNumber: true
            default: false
            }
        }
    }

    private enum State: UInt8 {
        case documentValue, documentEnd
        case objectFirstKey, objectKeyAfterComma, objectColon, objectValue, objectCommaOrEnd
        case arrayFirstValue, arrayValueAfterComma, arrayCommaOrEnd
    }

    private struct Frame {
        var node: Int
        var state: State
        /// Start of the last comma seen in this container (for trailing-comma diagnostics).
        var commaStart: Int
        /// Where this object's keys begin in `keyHashes`.
        var keyBase: Int
    }

    private let buf: UnsafeBufferPointer<UInt8>
    private let count: Int
    private let dialect: Dialect
    private let limits: ParseLimits
    private var pos = 0
    private var nodes: [RawNode] = []
    private var diagnostics: [SyntaxDiagnostic] = []
    private var droppedDiagnostics = 0
    private var droppedErrors = false
    /// The innermost open container (or the document), and the ones around it.
    private var current = Frame(node: 0, state: .documentValue, commaStart: 0, keyBase: 0)
    private var stack: [Frame] = []
    private var openObjects = 0
    private var openArrays = 0
    private var reportedTrailingContent = false
    /// Line starts seen while skipping trivia; nil once a region was skipped without looking at its lines.
    private var lineStarts: [UInt32]? = [0]
    /// Hashes of the keys of every open object, innermost last; checked for duplicates when the object closes.
    private var keyHashes: [(hash: UInt64, node: Int)] = []

    // The current token.
    private var token: Token = .eof
    private var tokenStart = 0
    private var tokenEnd = 0
    private var tokenFlags: NodeFlags = []
    /// End of the previous token, and whether a line break lies between it and the current one.
    private var previousEnd = 0
    private var newlineBefore = false
    /// The previous token was a string cut off at a line end: a missing comma after it is the same
    /// mistake, so it is not reported twice.
    private var previousUnterminated = false

    private init(buf: UnsafeBufferPointer<UInt8>, dialect: Dialect, limits: ParseLimits) {
        self.buf = buf
        self.count = buf.count
        self.dialect = dialect
        self.limits = limits
    }

    /// `fastPath: false` skips `WellFormedParser` (for tests that compare the two).
    static func parse(_ bytes: [UInt8], dialect: Dialect, limits: ParseLimits, fastPath: Bool = true)
        -> (nodes: [RawNode], diagnostics: [SyntaxDiagnostic], lineStarts: [UInt32]?)
    {
        bytes.withUnsafeBufferPointer { buf in
            var parser = Parser(buf: buf, dialect: dialect, limits: limits)
            if fastPath {
                switch WellFormedParser.parse(buf, limits: limits) {
                case .parsed(let nodes, let lineStarts): return (nodes, [], lineStarts)
                case .resume(let progress): return parser.resume(progress)
                case .restart: break
                }
            }
            return parser.run()
        }
    }

    /// Continues where `WellFormedParser` stopped: after a complete value, each open container waiting
    /// for a `,` or its closer, as this parser's own loop would be at that point.
    private mutating func resume(_ progress: WellFormedParser.Progress) -> (
        nodes: [RawNode], diagnostics: [SyntaxDiagnostic],
        lineStarts: [UInt32]?
    ) {
        nodes = progress.nodes
        lineStarts = progress.lineStarts
        var frames = [Frame(node: 0, state: .documentEnd, commaStart: 0, keyBase: 0)]
        for container in progress.open {
            let isObject = nodes[container].kind == .object
            frames.append(
                Frame(
                    node: container, state: isObject ? .objectCommaOrEnd : .arrayCommaOrEnd, commaStart: 0,
                    keyBase: keyHashes.count))
            guard isObject else {
                openArrays += 1
                continue
            }
            openObjects += 1
            // Its keys so far, for the duplicate check when it closes. Its last member's value may be the
            // next open container, whose `next` is not set yet.
            var i = container + 1
            while i < nodes.count {
                let node = nodes[i]
                if node.flags.contains(.key) {
                    let hash = keyHash(Int(node.start), Int(node.end), node.flags)
                    keyHashes.append((hash, i))
                }
                if Int(node.next) <= i { break }
                i = Int(node.next)
            }
        }
        current = frames.removeLast()
        stack = frames
        // As after reading the value's last token.
        pos = progress.offset
        token = .null
        tokenEnd = progress.offset
        advance()
        loop()
        return finish()
    }

    private mutating func run() -> (nodes: [RawNode], diagnostics: [SyntaxDiagnostic], lineStarts: [UInt32]?) {
        let n = UInt32(truncatingIfNeeded: count)
        if count > limits.maxDocumentBytes {
            nodes = [
                RawNode(start: 0, end: n, next: 2, kind: .document, flags: [], depth: 0),
                RawNode(start: 0, end: n, next: 2, kind: .error, flags: [], depth: 1),
            ]
            report(
                .documentTooLarge, .error, 0, min(count, 1),
                "document is \(count) bytes, over the limit of \(limits.maxDocumentBytes) bytes; it was not parsed")
            return (nodes, diagnostics, nil)
        }
        // Credential-like JSON averages about 25 bytes a node: reserve enough that most documents never regrow.
        nodes.reserveCapacity(max(16, count / 16))
        lineStarts!.reserveCapacity(count / 24 + 1)
        nodes.append(RawNode(start: 0, end: n, next: 0, kind: .document, flags: [], depth: 0))
        advance()
        loop()
        return finish()
    }

    private mutating func finish() -> (nodes: [RawNode], diagnostics: [SyntaxDiagnostic], lineStarts: [UInt32]?) {
        nodes[0].next = UInt32(nodes.count)
        // Duplicate keys are found when their object closes; report everything in document order.
        diagnostics = diagnostics.enumerated().sorted {
            ($0.element.range.lowerBound, $0.offset) < ($1.element.range.lowerBound, $1.offset)
        }.map(\.element)
        if droppedDiagnostics > 0 {
            diagnostics.append(
                SyntaxDiagnostic(
                    code: .tooManyDiagnostics, severity: droppedErrors ? .error : .warning,
                    range: count..<count,
                    message: "\(droppedDiagnostics) more diagnostics not shown"))
        }
        return (nodes, diagnostics, lineStarts)
    }

    // MARK: - Diagnostics

    private mutating func report(
        _ code: SyntaxDiagnosticCode, _ severity: Severity, _ start: Int, _ end: Int,
        _ message: String
    ) {
        if diagnostics.count >= limits.maxDiagnostics {
            droppedDiagnostics += 1
            if severity == .error { droppedErrors = true }
            return
        }
        diagnostics.append(SyntaxDiagnostic(code: code, severity: severity, range: start..<max(start, end), message: message))
    }

    /// The source text of a range for a message, shortened.
    private func excerpt(_ start: Int, _ end: Int) -> String {
        let limit = 40
        let cut = min(end, start + limit)
        let text = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<cut]), as: UTF8.self)
        return cut < end ? text + "…" : text
    }

    // MARK: - Tree building

    private mutating func appendLeaf(_ kind: SyntaxKind, _ start: Int, _ end: Int, _ flags: NodeFlags) {
        let index = nodes.count
        nodes.append(
            RawNode(
                start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end),
                next: UInt32(truncatingIfNeeded: index + 1), kind: kind, flags: flags,
                depth: UInt16(truncatingIfNeeded: stack.count + 1)))
    }

    private mutating func appendMissing(at offset: Int) { appendLeaf(.missing, offset, offset, []) }

    /// Turns the current token into a value node (opening a container if it is a bracket), then advances.
    private mutating func startValue(stray: Bool) {
        let flags: NodeFlags = stray ? [.stray] : []
        switch token {
        case .openBrace, .openBracket:
            let isObject = token == .openBrace
            if stack.count + 1 > limits.maxNestingDepth {
                let end = skipBalanced(from: tokenStart)
                lineStarts = nil  // the skipped region's line breaks were not recorded
                report(
                    .nestingTooDeep, .error, tokenStart, tokenStart + 1,
                    "nesting deeper than \(limits.maxNestingDepth) levels: this \(isObject ? "object" : "array") is not parsed")
                appendLeaf(.error, tokenStart, end, flags)
                pos = end
                advance()
                return
            }
            let index = nodes.count
            nodes.append(
                RawNode(
                    start: UInt32(truncatingIfNeeded: tokenStart), end: 0, next: 0,
                    kind: isObject ? .object : .array, flags: flags,
                    depth: UInt16(truncatingIfNeeded: stack.count + 1)))
            stack.append(current)
            current = Frame(
                node: index, state: isObject ? .objectFirstKey : .arrayFirstValue, commaStart: 0, keyBase: keyHashes.count)
            if isObject { openObjects += 1 } else { openArrays += 1 }
            advance()
        case .string:
            appendLeaf(.string, tokenStart, tokenEnd, tokenFlags.union(flags))
            advance()
        case .number:
            appendLeaf(.number, tokenStart, tokenEnd, tokenFlags.union(flags))
            advance()
        case .true:
            appendLeaf(.true, tokenStart, tokenEnd, flags)
            advance()
        case .false:
            appendLeaf(.false, tokenStart, tokenEnd, flags)
            advance()
        case .null:
            appendLeaf(.null, tokenStart, tokenEnd, flags)
            advance()
        case .word, .invalidNumber:
            reportBadWord()
            appendLeaf(.error, tokenStart, tokenEnd, flags)
            advance()
        default:
            break
        }
    }

    private mutating func reportBadWord() {
        if token == .invalidNumber {
            report(.invalidNumber, .error, tokenStart, tokenEnd, "`\(excerpt(tokenStart, tokenEnd))` is not a valid JSON number")
        } else {
            let text = excerpt(tokenStart, tokenEnd)
            let hint: String
            switch text {
            case "True", "TRUE", "False", "FALSE", "Null", "NULL", "None", "nil", "undefined", "NaN", "Infinity":
                hint = ": JSON literals are `true`, `false` and `null`, in lower case"
            default:
                hint = text.first == "'" ? ": JSON strings use double quotes" : ""
            }
            report(.invalidLiteral, .error, tokenStart, tokenEnd, "unexpected `\(text)`\(hint)")
        }
    }

    /// Closes the innermost container. `closed` says whether its closing bracket is the current token.
    private mutating func closeContainer(closed: Bool) {
        let frame = current
        current = stack.removeLast()
        let isObject = nodes[frame.node].kind == .object
        if isObject { openObjects -= 1 } else { openArrays -= 1 }
        if closed {
            nodes[frame.node].end = UInt32(truncatingIfNeeded: tokenEnd)
        } else {
            // Unclosed: the node ends after its last direct child (or its opening bracket).
            let start = Int(nodes[frame.node].start)
            var end = start + 1
            var i = frame.node + 1
            while i < nodes.count {
                end = max(end, Int(nodes[i].end))
                i = Int(nodes[i].next)
            }
            nodes[frame.node].end = UInt32(truncatingIfNeeded: end)
            nodes[frame.node].flags.insert(.unterminated)
            report(
                isObject ? .expectedClosingBrace : .expectedClosingBracket, .error, start, start + 1,
                isObject ? "this object is never closed: expected `}`" : "this array is never closed: expected `]`")
        }
        nodes[frame.node].next = UInt32(truncatingIfNeeded: nodes.count)
        if isObject { checkDuplicateKeys(from: frame.keyBase) }
        if closed { advance() }
    }

    /// A `}` or `]` that does not close the innermost container: close it if an outer container
    /// matches the bracket, otherwise keep the bracket as a stray error node.
    private mutating func handleMismatchedCloser() {
        let closesObject = token == .closeBrace
        if (closesObject && openObjects > 0) || (!closesObject && openArrays > 0) {
            closeContainer(closed: false)
        } else {
            report(.unexpectedCloser, .error, tokenStart, tokenEnd, "unexpected `\(closesObject ? "}" : "]")`: nothing to close")
            appendLeaf(.error, tokenStart, tokenEnd, [.stray])
            advance()
        }
    }

    private mutating func reportUnexpectedPunctuation() {
        report(.unexpectedPunctuation, .error, tokenStart, tokenEnd, "unexpected `\(token == .comma ? "," : ":")`")
        advance()
    }

    // MARK: - The main loop

    private mutating func loop() {
        while true {
            switch current.state {
            case .documentValue:
                if token == .eof {
                    appendMissing(at: count)
                    report(.emptyDocument, .error, count, count, "the document is empty: expected a JSON value")
                    return
                }
                if token.startsValue {
                    current.state = .documentEnd
                    startValue(stray: false)
                } else if token == .closeBrace || token == .closeBracket {
                    handleMismatchedCloser()
                } else {
                    reportUnexpectedPunctuation()
                }
            case .documentEnd:
                if token == .eof { return }
                if token.startsValue {
                    if !reportedTrailingContent {
                        reportedTrailingContent = true
                        report(
                            .trailingContent, .error, tokenStart, tokenEnd,
                            "unexpected content after the document's value: a JSON text holds one value")
                    }
                    startValue(stray: true)
                } else if token == .closeBrace || token == .closeBracket {
                    handleMismatchedCloser()
                } else {
                    reportUnexpectedPunctuation()
                }

            case .objectFirstKey, .objectKeyAfterComma:
                switch token {
                case .string:
                    // Hashed before the append: inside it, reading `self` would copy the whole parser.
                    let hash = keyHash(tokenStart, tokenEnd, tokenFlags)
                    keyHashes.append((hash, nodes.count))
                    appendLeaf(.string, tokenStart, tokenEnd, tokenFlags.union(.key))
                    current.state = .objectColon
                    advance()
                case .number, .true, .false, .null, .word, .invalidNumber:
                    report(
                        .propertyNameNotString, .error, tokenStart, tokenEnd,
                        "property names must be strings in double quotes: `\(excerpt(tokenStart, tokenEnd))`")
                    appendLeaf(token == .number ? .number : .error, tokenStart, tokenEnd, tokenFlags.union(.key))
                    current.state = .objectColon
                    advance()
                case .openBrace, .openBracket:
                    report(.expectedPropertyName, .error, tokenStart, tokenStart + 1, "expected a property name in double quotes")
                    appendLeaf(.missing, tokenStart, tokenStart, .key)
                    current.state = .objectCommaOrEnd
                    startValue(stray: false)
                case .closeBrace:
                    if current.state == .objectKeyAfterComma && dialect == .json {
                        let c = current.commaStart
                        report(.trailingComma, .error, c, c + 1, "trailing comma: JSON allows no comma before `}`")
                    }
                    closeContainer(closed: true)
                case .closeBracket:
                    handleMismatchedCloser()
                case .comma:
                    report(.expectedPropertyName, .error, tokenStart, tokenEnd, "expected a property name before `,`")
                    current.commaStart = tokenStart
                    current.state = .objectKeyAfterComma
                    advance()
                case .colon:
                    report(.expectedPropertyName, .error, tokenStart, tokenEnd, "expected a property name before `:`")
                    appendLeaf(.missing, tokenStart, tokenStart, .key)
                    current.state = .objectValue
                    advance()
                case .eof:
                    closeContainer(closed: false)
                }
            case .objectColon:
                if token == .colon {
                    current.state = .objectValue
                    advance()
                } else if token.startsValue && !newlineBefore {
                    report(.expectedColon, .error, previousEnd, tokenStart, "expected `:` after the property name")
                    current.state = .objectCommaOrEnd
                    startValue(stray: false)
                } else {
                    report(.expectedColon, .error, previousEnd, previousEnd, "expected `:` and a value after the property name")
                    appendMissing(at: previousEnd)
                    current.state = .objectCommaOrEnd
                }
            case .objectValue:
                if token.startsValue {
                    if token == .string && newlineBefore && colonFollows(tokenEnd) {
                        // `"a":` then a line holding `"b": …`: the value of "a" is missing and "b" starts a member.
                        report(.expectedValue, .error, previousEnd, previousEnd, "expected a value after `:`")
                        appendMissing(at: previousEnd)
                        current.state = .objectKeyAfterComma
                    } else {
                        current.state = .objectCommaOrEnd
                        startValue(stray: false)
                    }
                } else if token == .colon {
                    reportUnexpectedPunctuation()
                } else {
                    let at = token == .eof ? previousEnd : tokenStart
                    report(.expectedValue, .error, at, token == .eof ? at : tokenEnd, "expected a value after `:`")
                    appendMissing(at: at)
                    current.state = .objectCommaOrEnd
                }
            case .objectCommaOrEnd:
                switch token {
                case .comma:
                    current.commaStart = tokenStart
                    current.state = .objectKeyAfterComma
                    advance()
                case .closeBrace:
                    closeContainer(closed: true)
                case .closeBracket:
                    handleMismatchedCloser()
                case .colon:
                    reportUnexpectedPunctuation()
                case .eof:
                    closeContainer(closed: false)
                default:
                    if !previousUnterminated {
                        report(.expectedComma, .error, previousEnd, previousEnd, "expected `,` or `}` after the member")
                    }
                    current.state = .objectFirstKey
                }

            case .arrayFirstValue, .arrayValueAfterComma:
                if token.startsValue {
                    current.state = .arrayCommaOrEnd
                    startValue(stray: false)
                    continue
                }
                switch token {
                case .closeBracket:
                    if current.state == .arrayValueAfterComma && dialect == .json {
                        let c = current.commaStart
                        report(.trailingComma, .error, c, c + 1, "trailing comma: JSON allows no comma before `]`")
                    }
                    closeContainer(closed: true)
                case .comma:
                    report(.expectedValue, .error, tokenStart, tokenEnd, "expected a value before `,`")
                    appendMissing(at: tokenStart)
                    current.commaStart = tokenStart
                    current.state = .arrayValueAfterComma
                    advance()
                case .closeBrace:
                    handleMismatchedCloser()
                case .colon:
                    reportUnexpectedPunctuation()
                default:  // eof
                    closeContainer(closed: false)
                }
            case .arrayCommaOrEnd:
                switch token {
                case .comma:
                    current.commaStart = tokenStart
                    current.state = .arrayValueAfterComma
                    advance()
                case .closeBracket:
                    closeContainer(closed: true)
                case .closeBrace:
                    handleMismatchedCloser()
                case .colon:
                    reportUnexpectedPunctuation()
                case .eof:
                    closeContainer(closed: false)
                default:
                    if !previousUnterminated {
                        report(.expectedComma, .error, previousEnd, previousEnd, "expected `,` or `]` after the element")
                    }
                    current.state = .arrayFirstValue
                }
            }
        }
    }

    /// Whether the next significant byte after `offset` (skipping spaces and tabs) is a colon.
    private func colonFollows(_ offset: Int) -> Bool {
        var i = offset
        while i < count && (buf[i] == 0x20 || buf[i] == 0x09) { i += 1 }
        return i < count && buf[i] == 0x3A
    }

    /// From an opening bracket, the offset after its matching closer (or the end of input), found
    /// without recursion. Strings and comments are skipped so brackets inside them do not count.
    private func skipBalanced(from start: Int) -> Int {
        var depth = 0
        var i = start
        while i < count {
            switch buf[i] {
            case 0x7B, 0x5B:
                depth += 1
            case 0x7D, 0x5D:
                depth -= 1
                if depth == 0 { return i + 1 }
            case 0x22:
                i += 1
                while i < count && buf[i] != 0x22 && buf[i] != 0x0A && buf[i] != 0x0D {
                    i += buf[i] == 0x5C ? 2 : 1
                }
                if i >= count { return count }
                if buf[i] != 0x22 { continue }
            case 0x2F where i + 1 < count && buf[i + 1] == 0x2F:
                while i < count && buf[i] != 0x0A && buf[i] != 0x0D { i += 1 }
                continue
            case 0x2F where i + 1 < count && buf[i + 1] == 0x2A:
                i += 2
                while i + 1 < count && !(buf[i] == 0x2A && buf[i + 1] == 0x2F) { i += 1 }
                i += 2
                continue
            default:
                break
            }
            i += 1
        }
        return min(i, count)
    }

    // MARK: - Duplicate keys

    /// Reports repeated keys among `keyHashes[base...]` (the closing object's keys), then drops them.
    private mutating func checkDuplicateKeys(from base: Int) {
        let n = keyHashes.count - base
        defer { keyHashes.removeSubrange(base...) }
        if n < 2 { return }
        if n <= 16 {
            for b in (base + 1)..<keyHashes.count {
                for a in base..<b where keyHashes[a].hash == keyHashes[b].hash && sameKey(keyHashes[a].node, keyHashes[b].node) {
                    reportDuplicate(keyHashes[b].node)
                    break
                }
            }
        } else {
            var keys = Array(keyHashes[base...])
            keys.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.node < $1.node }
            var a = 0
            while a < n {
                var b = a + 1
                while b < n && keys[b].hash == keys[a].hash {
                    if sameKey(keys[a].node, keys[b].node) { reportDuplicate(keys[b].node) }
                    b += 1
                }
                a = b
            }
        }
    }

    private mutating func reportDuplicate(_ keyNode: Int) {
        let node = nodes[keyNode]
        let name = StringDecoder.decode(buf, node: node)
        let shown = name.count > 40 ? String(name.prefix(40)) + "…" : name
        report(
            .duplicateKey, .warning, Int(node.start), Int(node.end),
            "duplicate key `\(shown)`: an earlier member of this object has the same name; most JSON readers keep this last one")
    }

    private func keyBytes(_ node: RawNode) -> [UInt8] {
        if node.flags.contains(.hasEscapes) || node.flags.contains(.unterminated) {
            return Array(StringDecoder.decode(buf, node: node).utf8)
        }
        return Array(UnsafeBufferPointer(rebasing: buf[(Int(node.start) + 1)..<(Int(node.end) - 1)]))
    }

    /// A cheap hash of a key token: its length and its first and last eight content bytes. Equal hashes
    /// are confirmed byte by byte, so collisions cost time, never correctness. Keys with escapes hash
    /// their decoded value.
    private func keyHash(_ start: Int, _ end: Int, _ flags: NodeFlags) -> UInt64 {
        if flags.contains(.hasEscapes) || flags.contains(.unterminated) {
            let node = RawNode(start: UInt32(start), end: UInt32(end), next: 0, kind: .string, flags: flags, depth: 0)
            return keyBytes(node).withUnsafeBufferPointer { Self.contentHash(UnsafeRawPointer($0.baseAddress), $0.count) }
        }
        return Self.contentHash(UnsafeRawPointer(buf.baseAddress! + start + 1), end - start - 2)
    }

    @inline(__always)
    private static func contentHash(_ base: UnsafeRawPointer?, _ length: Int) -> UInt64 {
        guard length > 0, let base else { return 0 }
        var head: UInt64 = 0, tail: UInt64 = 0
        if length >= 8 {
            head = base.loadUnaligned(as: UInt64.self)
            tail = base.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
        } else {
            for k in 0..<length { head |= UInt64(base.load(fromByteOffset: k, as: UInt8.self)) << (8 * UInt64(k)) }
        }
        var h = UInt64(length) &* 0x9E37_79B9_7F4A_7C15
        h ^= head &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 29)) &+ tail &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }

    private func sameKey(_ a: Int, _ b: Int) -> Bool { keyBytes(nodes[a]) == keyBytes(nodes[b]) }

    // MARK: - Lexer

    /// Skips trivia, then reads the next token into `token`, `tokenStart`, `tokenEnd`, `tokenFlags`.
    private mutating func advance() {
        previousEnd = tokenEnd
        previousUnterminated = token == .string && tokenFlags.contains(.unterminated)
        newlineBefore = false
        skipTrivia()
        tokenStart = pos
        tokenFlags = []
        guard pos < count else {
            token = .eof
            tokenEnd = pos
            return
        }
        let b = buf[pos]
        switch b {
        case 0x7B: single(.openBrace)
        case 0x7D: single(.closeBrace)
        case 0x5B: single(.openBracket)
        case 0x5D: single(.closeBracket)
        case 0x2C: single(.comma)
        case 0x3A: single(.colon)
        case 0x22: lexString()
        case 0x2D, 0x30...0x39: lexNumber()
        default: lexWord()
        }
    }

    @inline(__always)
    private mutating func single(_ kind: Token) {
        token = kind
        pos += 1
        tokenEnd = pos
    }

    @inline(__always)
    private mutating func skipTrivia() {
        var p = pos
        let base = buf.baseAddress!
        while p < count {
            let b = base[p]
            if b == 0x20 {
                p += 1
            } else if b == 0x0A || b == 0x0D {
                newlineBefore = true
                p += 1
                if b == 0x0D && p < count && base[p] == 0x0A { p += 1 }
                lineStarts?.append(UInt32(truncatingIfNeeded: p))
                // Indentation after a line break: skip runs of eight spaces at once.
                while p + 8 <= count && UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 {
                    p += 8
                }
            } else if b == 0x09 {
                p += 1
            } else if b == 0x2F {
                pos = p
                if !skipComment() { return }
                p = pos
            } else if b == 0xEF && p == 0 && count >= 3 && buf[1] == 0xBB && buf[2] == 0xBF {
                report(
                    .byteOrderMark, .warning, 0, 3,
                    "byte-order mark at the start: RFC 8259 forbids writing one, readers may ignore it")
                p = 3
            } else {
                break
            }
        }
        pos = p
    }

    /// At a `/`: skips a comment and returns true, or returns false if no comment starts here.
    private mutating func skipComment() -> Bool {
        guard pos + 1 < count else { return false }
        let start = pos
        let second = buf[pos + 1]
        if second == 0x2F {
            pos += 2
            while pos < count && buf[pos] != 0x0A && buf[pos] != 0x0D { pos += 1 }
        } else if second == 0x2A {
            pos += 2
            var closed = false
            while pos < count {
                if buf[pos] == 0x2A && pos + 1 < count && buf[pos + 1] == 0x2F {
                    pos += 2
                    closed = true
                    break
                }
                if buf[pos] == 0x0A || buf[pos] == 0x0D {
                    newlineBefore = true
                    if buf[pos] == 0x0D && pos + 1 < count && buf[pos + 1] == 0x0A { pos += 1 }
                    lineStarts?.append(UInt32(truncatingIfNeeded: pos + 1))
                }
                pos += 1
            }
            if !closed {
                report(.unterminatedComment, .error, start, start + 2, "this block comment is never closed: expected `*/`")
            }
        } else {
            return false
        }
        if dialect == .json {
            report(.commentNotAllowed, .error, start, pos, "comments are not allowed in JSON (they are in JSONC)")
        }
        return true
    }

    /// True for bytes that end a bare word: whitespace, structural characters, a quote.
    @inline(__always)
    private func isDelimiter(_ i: Int) -> Bool {
        switch buf[i] {
        case 0x20, 0x09, 0x0A, 0x0D, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x22: return true
        case 0x2F: return i + 1 < count && (buf[i + 1] == 0x2F || buf[i + 1] == 0x2A)
        default: return false
        }
    }

    private mutating func lexWord() {
        let start = pos
        pos += 1
        while pos < count && !isDelimiter(pos) { pos += 1 }
        tokenEnd = pos
        let length = pos - start
        if length == 4 && buf[start] == 0x74 && buf[start + 1] == 0x72 && buf[start + 2] == 0x75 && buf[start + 3] == 0x65 {
            token = .true
        } else if length == 5 && buf[start] == 0x66 && buf[start + 1] == 0x61 && buf[start + 2] == 0x6C
            && buf[start + 3] == 0x73 && buf[start + 4] == 0x65
        {
            token = .false
        } else if length == 4 && buf[start] == 0x6E && buf[start + 1] == 0x75 && buf[start + 2] == 0x6C && buf[start + 3] == 0x6C
        {
            token = .null
        } else {
            token = .word
            if let bad = firstInvalidUTF8(start, pos) {
                report(.invalidUTF8, .error, bad, bad + 1, "invalid UTF-8 byte 0x\(String(buf[bad], radix: 16, uppercase: true))")
            }
        }
    }

    private func firstInvalidUTF8(_ start: Int, _ end: Int) -> Int? {
        var i = start
        while i < end {
            if buf[i] < 0x80 {
                i += 1
            } else {
                let n = utf8SequenceLength(i)
                if n == 0 || i + n > end { return i }
                i += n
            }
        }
        return nil
    }

    private mutating func lexNumber() {
        let start = pos
        var i = pos
        if buf[i] == 0x2D { i += 1 }
        var valid = true
        var nonInteger = false
        @inline(__always) func isDigit(_ i: Int) -> Bool { i < count && buf[i] &- 0x30 < 10 }
        if isDigit(i) {
            if buf[i] == 0x30 {
                i += 1
            } else {
                while isDigit(i) { i += 1 }
            }
            if i < count && buf[i] == 0x2E {
                nonInteger = true
                i += 1
                if isDigit(i) { while isDigit(i) { i += 1 } } else { valid = false }
            }
            if valid && i < count && (buf[i] | 0x20) == 0x65 {
                nonInteger = true
                i += 1
                if i < count && (buf[i] == 0x2B || buf[i] == 0x2D) { i += 1 }
                if isDigit(i) { while isDigit(i) { i += 1 } } else { valid = false }
            }
        } else {
            valid = false
        }
        if valid && (i == count || isDelimiter(i)) {
            pos = i
            tokenEnd = i
            token = .number
            tokenFlags = nonInteger ? .nonIntegerLexeme : []
            return
        }
        // Not a number: take the whole bare word as one invalid token.
        pos = max(i, start + 1)
        while pos < count && !isDelimiter(pos) { pos += 1 }
        tokenEnd = pos
        token = .invalidNumber
    }

    /// Length of the valid UTF-8 sequence starting at `i` (a byte >= 0x80), or 0 if it is invalid
    /// (overlong forms, surrogates and values past U+10FFFF are invalid, per Unicode Table 3-7).
    @inline(__always)
    private func utf8SequenceLength(_ i: Int) -> Int {
        UTF8Validation.sequenceLength(buf, i)
    }

    private mutating func lexString() {
        let start = pos
        var i = pos + 1
        var flags: NodeFlags = []
        token = .string
        while true {
            // Fast path: plain ASCII that is neither a quote, a backslash nor a control character,
            // eight bytes at a time, then byte by byte.
            while i + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self))
                let stops = SWAR.stringStops(word)
                if stops != 0 {
                    i += stops.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            while i < count {
                let c = buf[i]
                if c &- 0x20 >= 0x60 || c == 0x22 || c == 0x5C { break }
                i += 1
            }
            if i >= count {
                flags.insert(.unterminated)
                report(.unterminatedString, .error, start, count, "this string is never closed: expected `\"`")
                break
            }
            let c = buf[i]
            if c == 0x22 {
                i += 1
                break
            }
            if c == 0x5C {
                flags.insert(.hasEscapes)
                i = lexEscape(at: i, flags: &flags)
                continue
            }
            if c == 0x0A || c == 0x0D {
                flags.insert(.unterminated)
                report(
                    .unterminatedString, .error, start, i, "this string is not closed before the end of the line: expected `\"`")
                break
            }
            if c < 0x20 {
                flags.insert(.malformed)
                report(
                    .controlCharacterInString, .error, i, i + 1,
                    "control character U+\(hex4(UInt32(c))) must be escaped in a string (e.g. `\\t`, `\\u00\(String(c, radix: 16, uppercase: true).count == 1 ? "0" : "")\(String(c, radix: 16, uppercase: true))`)"
                )
                i += 1
                continue
            }
            // c >= 0x80
            flags.insert(.nonASCII)
            let n = utf8SequenceLength(i)
            if n == 0 {
                flags.insert(.malformed)
                report(
                    .invalidUTF8, .error, i, i + 1,
                    "invalid UTF-8 byte 0x\(String(buf[i], radix: 16, uppercase: true)) in a string")
                i += 1
            } else {
                i += n
            }
        }
        pos = i
        tokenEnd = i
        tokenFlags = flags
    }

    /// At a backslash: checks one escape sequence, returns the offset after it.
    private mutating func lexEscape(at backslash: Int, flags: inout NodeFlags) -> Int {
        let i = backslash + 1
        guard i < count, buf[i] != 0x0A, buf[i] != 0x0D else {
            return i  // the unterminated string is reported by the caller
        }
        switch buf[i] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            return i + 1
        case 0x75:
            guard let unit = hexUnit(at: i + 1) else {
                flags.insert(.malformed)
                var e = i + 1
                while e < count && e < i + 5 && isHex(buf[e]) { e += 1 }
                report(.invalidEscape, .error, backslash, e, "`\\u` must be followed by four hexadecimal digits")
                return e
            }
            var end = i + 5
            if unit >= 0xD800 && unit <= 0xDBFF {
                if end + 1 < count && buf[end] == 0x5C && buf[end + 1] == 0x75, let low = hexUnit(at: end + 2),
                    low >= 0xDC00 && low <= 0xDFFF
                {
                    end += 6
                } else {
                    flags.insert(.malformed)
                    report(
                        .loneSurrogate, .error, backslash, end,
                        "`\\u\(hex4(unit))` is a lone high surrogate: it must be followed by a low surrogate `\\uDC00`…`\\uDFFF`")
                }
            } else if unit >= 0xDC00 && unit <= 0xDFFF {
                flags.insert(.malformed)
                report(
                    .loneSurrogate, .error, backslash, end, "`\\u\(hex4(unit))` is a lone low surrogate: it encodes no character")
            }
            return end
        default:
            flags.insert(.malformed)
            let length = buf[i] < 0x80 ? 1 : max(1, utf8SequenceLength(i))
            report(
                .invalidEscape, .error, backslash, i + length,
                "invalid escape `\\\(excerpt(i, i + length))`: JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
            return i + length
        }
    }

    @inline(__always) private func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66)
    }

    private func hexUnit(at i: Int) -> UInt32? {
        guard i + 4 <= count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let b = buf[k]
            guard isHex(b) else { return nil }
            v = v << 4 | UInt32(b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x61 + 10)
        }
        return v
    }
}

func hex4(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}

/// UTF-8 well-formedness per the Unicode Standard, Table 3-7.
enum UTF8Validation {
    @inline(__always)
    static func sequenceLength(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let count = buf.count
        let b0 = buf[i]
        @inline(__always) func cont(_ k: Int) -> Bool { k < count && buf[k] & 0xC0 == 0x80 }
        if b0 < 0xC2 { return 0 }
        if b0 < 0xE0 { return cont(i + 1) ? 2 : 0 }
        if b0 < 0xF0 {
            guard i + 1 < count else { return 0 }
            let b1 = buf[i + 1]
            let ok = b0 == 0xE0 ? (b1 >= 0xA0 && b1 <= 0xBF) : b0 == 0xED ? (b1 >= 0x80 && b1 <= 0x9F) : (b1 & 0xC0 == 0x80)
            return ok && cont(i + 2) ? 3 : 0
        }
        if b0 < 0xF5 {
            guard i + 1 < count else { return 0 }
            let b1 = buf[i + 1]
            let ok = b0 == 0xF0 ? (b1 >= 0x90 && b1 <= 0xBF) : b0 == 0xF4 ? (b1 >= 0x80 && b1 <= 0x8F) : (b1 & 0xC0 == 0x80)
            return ok && cont(i + 2) && cont(i + 3) ? 4 : 0
        }
        return 0
    }
}

/// Eight-bytes-at-a-time tests (SIMD within a register) for the lexer's hot loops.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// High bit set in each byte of `word` that is zero (exact for the lowest such byte; bytes above
    /// a true hit may be flagged too, which callers never look at).
    @inline(__always) static func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highs }

    /// High bits marking bytes that end the plain-ASCII run of a string: `"`, `\`, < 0x20, >= 0x80.
    /// The lowest marked byte is always a true stop.
    @inline(__always) static func stringStops(_ word: UInt64) -> UInt64 {
        zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C)) | ((word &- ones &* 0x20) & ~word & highs)
            | (word & highs)
    }
}
