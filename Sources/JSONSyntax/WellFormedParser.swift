/// The fast path of `SyntaxTree(parsing:)`: one tight loop for documents that are well-formed JSON, the
/// common case by far. It keeps its state in locals and writes nodes and line starts through raw
/// pointers, and it knows no error recovery: at the first byte that would need a diagnostic (a syntax
/// error, a comment, a trailing comma, a byte-order mark, a duplicate key, nesting past the limit, an
/// empty or oversized document) it stops, and the general `Parser` takes over, after the last value the
/// fast path completed (`Progress`) or from the start. So the general parser stays the one place that
/// words diagnostics, and on every input both produce the same nodes, diagnostics and line starts (a test
/// compares them).
enum WellFormedParser {
    /// What the fast path got through.
    enum Outcome {
        /// The whole document: its nodes and line starts.
        case parsed(nodes: [RawNode], lineStarts: [UInt32])
        /// The document needs the general parser from this point on.
        case resume(Progress)
        /// The document needs the general parser from the start.
        case restart
    }

    /// The tree up to the end of the last complete value: the general parser continues from there, with
    /// each open container waiting for a `,` or its closing bracket.
    struct Progress {
        /// The document node (its `next` not yet set), then every node up to that value's subtree.
        var nodes: [RawNode]
        /// The line starts before `offset`.
        var lineStarts: [UInt32]
        /// Just after the value.
        var offset: Int
        /// Indices of the open containers, outermost first.
        var open: [Int]
    }

    static func parse(_ buf: UnsafeBufferPointer<UInt8>, limits: ParseLimits) -> Outcome {
        let count = buf.count
        guard count > 0, count <= limits.maxDocumentBytes, let base = buf.baseAddress else { return .restart }
        var lines = GrowableStorage<UInt32>(capacity: count / 24 + 2)
        defer { lines.release() }
        var succeeded = false
        var spilled: [RawNode]?
        var last = Checkpoint(), previous = Checkpoint()
        var point = Checkpoint()
        var open: [Int] = []
        // Credential-like JSON averages about 25 bytes a node: most documents fit the first allocation
        // and are parsed straight into the array the tree keeps. (Line starts are copied: writing them
        // in place the same way measured slower.)
        let nodes = [RawNode](unsafeUninitializedCapacity: max(16, count / 16)) { buffer, initialized in
            var sink = GrowableStorage(borrowing: buffer)
            defer { sink.release() }
            var stack = GrowableStorage<Open>(capacity: 32)
            defer { stack.release() }
            succeeded = run(base, count, limits.maxNestingDepth, &sink, &lines, &stack, &last, &previous)
            point = last
            if !succeeded && last.nodeCount > 0 && mayBeKey(base, count, sink, stack, last) { point = previous }
            let kept = succeeded ? sink.count : point.nodeCount
            if !succeeded {
                // The containers open at the checkpoint: those opened later have larger indices.
                for k in 0..<stack.count where stack[k].node < kept { open.append(stack[k].node) }
            }
            initialized = sink.isBorrowed ? kept : 0
            if !sink.isBorrowed && kept > 0 { spilled = Array(UnsafeBufferPointer(start: sink.base, count: kept)) }
        }
        if succeeded { return .parsed(nodes: spilled ?? nodes, lineStarts: lines.array()) }
        guard point.nodeCount > 0 else { return .restart }
        while lines.count > 1 && lines[lines.count - 1] > UInt32(truncatingIfNeeded: point.offset) { lines.count -= 1 }
        return .resume(Progress(nodes: spilled ?? nodes, lineStarts: lines.array(), offset: point.offset, open: open))
    }

    /// Whether the last complete value is a string member value followed by a colon: the general parser
    /// may read it as the next member's key instead (`"a":` then a line `"b": 1`), so it must resume
    /// before it, from the checkpoint before.
    private static func mayBeKey(
        _ base: UnsafePointer<UInt8>, _ count: Int, _ nodes: GrowableStorage<RawNode>,
        _ stack: GrowableStorage<Open>, _ last: Checkpoint
    ) -> Bool {
        // The last node ends at the checkpoint only when the value is that node (after a container, the
        // last node is inside it). Between this checkpoint and the one before, no container closed.
        let value = nodes[last.nodeCount - 1]
        guard value.kind == .string, !value.flags.contains(.key), Int(value.end) == last.offset else { return false }
        var innermost = -1
        for k in 0..<stack.count where stack[k].node < last.nodeCount { innermost = stack[k].node }
        guard innermost >= 0, nodes[innermost].kind == .object else { return false }
        var i = last.offset
        while i < count && (base[i] == 0x20 || base[i] == 0x09) { i += 1 }
        return i < count && base[i] == 0x3A
    }

    /// The end of the last complete value and the node count then (0 before any).
    struct Checkpoint {
        var offset = 0
        var nodeCount = 0
    }

    /// An open container: its node index and where its keys start in `keys` (-1 for an array).
    struct Open {
        var node: Int
        var keyBase: Int
    }

    /// Parses `base[0..<count]` into `nodes` and `lines`; false when the general parser must take over.
    /// `stack` holds the open containers; `last` is set after every complete value, `previous` to the one
    /// before.
    private static func run(
        _ base: UnsafePointer<UInt8>, _ count: Int, _ maxDepth: Int,
        _ nodes: inout GrowableStorage<RawNode>, _ lines: inout GrowableStorage<UInt32>,
        _ stack: inout GrowableStorage<Open>, _ last: inout Checkpoint,
        _ previous: inout Checkpoint
    ) -> Bool {
        var keys = GrowableStorage<UInt64>(capacity: 64)
        defer { keys.release() }
        lines.append(0)
        nodes.append(RawNode(start: 0, end: UInt32(truncatingIfNeeded: count), next: 0, kind: .document, flags: [], depth: 0))

        var p = skipWhitespace(base, 0, count, &lines)
        var depth: UInt16 = 1
        // Each turn reads one value at `p` (after a `[`, a `,` in an array, a `:`, or at the top), then
        // the punctuation after it, closing containers as their brackets come.
        value: while true {
            guard p < count else { return false }
            let start = p
            switch base[p] {
            case 0x22:  // "
                let (end, flags) = lexString(base, p, count)
                guard end > 0 else { return false }
                nodes.append(leaf(.string, start, end, flags, nodes.count, depth))
                p = end
            case 0x7B, 0x5B:  // { [
                let isObject = base[p] == 0x7B
                guard Int(depth) <= maxDepth, depth < UInt16.max else { return false }
                stack.append(Open(node: nodes.count, keyBase: isObject ? keys.count : -1))
                nodes.append(
                    RawNode(
                        start: UInt32(truncatingIfNeeded: p), end: 0, next: 0, kind: isObject ? .object : .array,
                        flags: [], depth: depth))
                depth += 1
                p = skipWhitespace(base, p + 1, count, &lines)
                guard p < count else { return false }
                if isObject {
                    if base[p] == 0x22 {
                        guard let afterColon = lexKey(base, &p, count, depth, &nodes, &keys, &lines) else { return false }
                        p = afterColon
                        continue value
                    }
                    guard base[p] == 0x7D else { return false }
                } else if base[p] != 0x5D {
                    continue value
                }
            // An empty container: its closer is handled below like any other.
            case 0x2D, 0x30...0x39:
                let (end, integer) = lexNumber(base, p, count)
                guard end > 0 else { return false }
                nodes.append(leaf(.number, start, end, integer ? [] : .nonIntegerLexeme, nodes.count, depth))
                p = end
            case 0x74:  // true
                guard literal(base, p, count, length: 4, lastFour: 0x6575_7274) else { return false }
                nodes.append(leaf(.true, start, p + 4, [], nodes.count, depth))
                p += 4
            case 0x66:  // false
                guard literal(base, p, count, length: 5, lastFour: 0x6573_6C61) else { return false }
                nodes.append(leaf(.false, start, p + 5, [], nodes.count, depth))
                p += 5
            case 0x6E:  // null
                guard literal(base, p, count, length: 4, lastFour: 0x6C6C_756E) else { return false }
                nodes.append(leaf(.null, start, p + 4, [], nodes.count, depth))
                p += 4
            default:
                return false
            }
            // After a value (or at the closer of an empty container): a comma or closers.
            while true {
                // A checkpoint for the general parser. (At the closer of an empty container, the container
                // is not complete yet; but the next step closes it and sets the next checkpoint.)
                previous = last
                last = Checkpoint(offset: p, nodeCount: nodes.count)
                p = skipWhitespace(base, p, count, &lines)
                guard stack.count > 0 else {
                    // The document's value is complete: only the end may follow.
                    guard p == count else { return false }
                    nodes[0].next = UInt32(truncatingIfNeeded: nodes.count)
                    return true
                }
                guard p < count else { return false }
                let open = stack[stack.count - 1]
                let c = base[p]
                if open.keyBase >= 0 {
                    if c == 0x2C {
                        p = skipWhitespace(base, p + 1, count, &lines)
                        guard p < count, base[p] == 0x22,
                            let afterColon = lexKey(base, &p, count, depth, &nodes, &keys, &lines)
                        else { return false }
                        p = afterColon
                        continue value
                    }
                    guard c == 0x7D, !hasDuplicate(keys, from: open.keyBase) else { return false }
                    keys.count = open.keyBase
                } else {
                    if c == 0x2C {
                        p = skipWhitespace(base, p + 1, count, &lines)
                        continue value
                    }
                    guard c == 0x5D else { return false }
                }
                p += 1
                nodes[open.node].end = UInt32(truncatingIfNeeded: p)
                nodes[open.node].next = UInt32(truncatingIfNeeded: nodes.count)
                stack.count -= 1
                depth -= 1
            }
        }
    }

    @inline(__always)
    private static func leaf(
        _ kind: SyntaxKind, _ start: Int, _ end: Int, _ flags: NodeFlags, _ index: Int,
        _ depth: UInt16
    ) -> RawNode {
        RawNode(
            start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end),
            next: UInt32(truncatingIfNeeded: index + 1), kind: kind, flags: flags, depth: depth)
    }

    /// At the opening quote of a key: records the key node and its hash, then reads the colon and the
    /// whitespace after it. Returns the offset of the member's value, or nil.
    @inline(__always)
    private static func lexKey(
        _ base: UnsafePointer<UInt8>, _ p: inout Int, _ count: Int, _ depth: UInt16,
        _ nodes: inout GrowableStorage<RawNode>, _ keys: inout GrowableStorage<UInt64>,
        _ lines: inout GrowableStorage<UInt32>
    ) -> Int? {
        let start = p
        let (end, flags) = lexString(base, p, count)
        // Keys with escapes compare by decoded value: the general parser handles them.
        guard end > 0, !flags.contains(.hasEscapes) else { return nil }
        keys.append(keyHash(base, start + 1, end - 1, count))
        nodes.append(leaf(.string, start, end, flags.union(.key), nodes.count, depth))
        var q = end
        if q < count && base[q] != 0x3A { q = skipWhitespace(base, q, count, &lines) }
        guard q < count, base[q] == 0x3A else { return nil }
        q = skipWhitespace(base, q + 1, count, &lines)
        p = q
        return q
    }

    /// A hash of a key's bytes `base[start..<end]` (no escapes). Equal keys hash equal; a false alarm
    /// only sends the document to the general parser, which compares bytes.
    @inline(__always)
    private static func keyHash(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ count: Int) -> UInt64 {
        let length = end - start
        let raw = UnsafeRawPointer(base + start)
        var head: UInt64 = 0, tail: UInt64 = 0
        if length >= 8 {
            head = raw.loadUnaligned(as: UInt64.self)
            tail = raw.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
        } else if start + 8 <= count {
            // The eight bytes from the key's start lie inside the document: keep the key's own.
            head = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) & ((1 << (UInt64(length) * 8)) &- 1)
        } else {
            for k in 0..<length { head |= UInt64(base[start + k]) << (8 * UInt64(k)) }
        }
        var h = UInt64(length) &* 0x9E37_79B9_7F4A_7C15
        h ^= head &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 29)) &+ tail &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }

    /// Whether two keys of the object whose keys are `keys[base...]` have the same hash.
    @inline(__always)
    private static func hasDuplicate(_ keys: GrowableStorage<UInt64>, from base: Int) -> Bool {
        let n = keys.count - base
        if n < 2 { return false }
        if n <= 24 {
            for b in (base + 1)..<keys.count {
                let h = keys[b]
                for a in base..<b where keys[a] == h { return true }
            }
            return false
        }
        var sorted = (base..<keys.count).map { keys[$0] }
        sorted.sort()
        for k in 1..<sorted.count where sorted[k] == sorted[k - 1] { return true }
        return false
    }

    /// At the first byte of `true`, `false` or `null` (which the caller has checked): whether the literal's
    /// last four bytes (as a little-endian word) follow and a word ends after it.
    @inline(__always)
    private static func literal(_ base: UnsafePointer<UInt8>, _ p: Int, _ count: Int, length: Int, lastFour: UInt32) -> Bool {
        p + length <= count
            && UnsafeRawPointer(base + p + length - 4).loadUnaligned(as: UInt32.self) == UInt32(littleEndian: lastFour)
            && endsWord(base, p + length, count)
    }

    /// True when a literal ends at `i`: the end of input, whitespace or `,` `]` `}` (what the general
    /// lexer also treats as the end of a word, so both read the same token).
    @inline(__always)
    private static func endsWord(_ base: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> Bool {
        guard i < count else { return true }
        switch base[i] {
        case 0x20, 0x0A, 0x0D, 0x09, 0x2C, 0x5D, 0x7D: return true
        default: return false
        }
    }

    /// Skips spaces, tabs and line breaks from `p`, recording line starts; returns the next offset.
    @inline(__always)
    private static func skipWhitespace(
        _ base: UnsafePointer<UInt8>, _ p: Int, _ count: Int,
        _ lines: inout GrowableStorage<UInt32>
    ) -> Int {
        var p = p
        while p < count {
            let b = base[p]
            if b == 0x20 || b == 0x09 {
                p += 1
            } else if b == 0x0A || b == 0x0D {
                p += 1
                if b == 0x0D && p < count && base[p] == 0x0A { p += 1 }
                lines.append(UInt32(truncatingIfNeeded: p))
                // Indentation: find the first byte that is not a space, eight bytes at a time.
                while p + 8 <= count {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                    let nonSpaces = word ^ 0x2020_2020_2020_2020
                    if nonSpaces != 0 {
                        p += nonSpaces.trailingZeroBitCount >> 3
                        break
                    }
                    p += 8
                }
            } else {
                break
            }
        }
        return p
    }

    /// At a `-` or digit: the offset after a valid number and whether it is a plain integer; end 0 when
    /// the bytes are not a number or a word character follows it.
    @inline(__always)
    private static func lexNumber(_ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> (end: Int, integer: Bool) {
        var i = start
        if base[i] == 0x2D { i += 1 }
        @inline(__always) func isDigit(_ i: Int) -> Bool { i < count && base[i] &- 0x30 < 10 }
        guard isDigit(i) else { return (0, false) }
        if base[i] == 0x30 {
            i += 1
        } else {
            repeat { i += 1 } while isDigit(i)
        }
        var integer = true
        if i < count && base[i] == 0x2E {
            integer = false
            i += 1
            guard isDigit(i) else { return (0, false) }
            repeat { i += 1 } while isDigit(i)
        }
        if i < count && base[i] | 0x20 == 0x65 {
            integer = false
            i += 1
            if i < count && (base[i] == 0x2B || base[i] == 0x2D) { i += 1 }
            guard isDigit(i) else { return (0, false) }
            repeat { i += 1 } while isDigit(i)
        }
        guard endsWord(base, i, count) else { return (0, false) }
        return (i, integer)
    }

    /// At an opening quote: the offset after the closing quote and the string's flags, or end 0 for a
    /// string the general parser must diagnose (unterminated, a raw control character, a bad escape,
    /// a lone surrogate, invalid UTF-8).
    @inline(__always)
    private static func lexString(_ base: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> (end: Int, flags: NodeFlags) {
        var i = start + 1
        var flags: NodeFlags = []
        while true {
            // Find the next byte that is a quote, a backslash, a control character or non-ASCII: eight
            // bytes at a time, byte by byte only in the last few bytes of the document.
            if i + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let stops = SWAR.stringStops(word)
                if stops == 0 {
                    i += 8
                    continue
                }
                i += stops.trailingZeroBitCount >> 3
            } else {
                while i < count {
                    let c = base[i]
                    if c &- 0x20 >= 0x60 || c == 0x22 || c == 0x5C { break }
                    i += 1
                }
                guard i < count else { return (0, flags) }
            }
            let c = base[i]
            if c == 0x22 { return (i + 1, flags) }
            if c == 0x5C {
                flags.insert(.hasEscapes)
                i = escapeEnd(base, i, count)
                if i == 0 { return (0, flags) }
            } else if c < 0x80 {
                return (0, flags)  // a control character or line break
            } else {
                let n = UTF8Validation.sequenceLength(UnsafeBufferPointer(start: base, count: count), i)
                if n == 0 { return (0, flags) }
                flags.insert(.nonASCII)
                i += n
            }
        }
    }

    /// At a backslash: the offset after a valid escape sequence, or 0.
    private static func escapeEnd(_ base: UnsafePointer<UInt8>, _ backslash: Int, _ count: Int) -> Int {
        let i = backslash + 1
        guard i < count else { return 0 }
        switch base[i] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            return i + 1
        case 0x75:
            guard let unit = hexUnit(base, i + 1, count) else { return 0 }
            if unit >= 0xDC00 && unit <= 0xDFFF { return 0 }
            if unit < 0xD800 || unit > 0xDBFF { return i + 5 }
            let low = i + 5
            guard low + 1 < count, base[low] == 0x5C, base[low + 1] == 0x75, let unit2 = hexUnit(base, low + 2, count),
                unit2 >= 0xDC00 && unit2 <= 0xDFFF
            else { return 0 }
            return low + 6
        default:
            return 0
        }
    }

    private static func hexUnit(_ base: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> UInt32? {
        guard i + 4 <= count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let b = base[k]
            let digit: UInt8
            if b &- 0x30 < 10 {
                digit = b &- 0x30
            } else if (b | 0x20) &- 0x61 < 6 {
                digit = (b | 0x20) &- 0x61 &+ 10
            } else {
                return nil
            }
            v = v << 4 | UInt32(digit)
        }
        return v
    }
}

/// A growable array of trivial values (no references) written through a raw pointer, without the uniqueness and bounds
/// checks of `Array.append`. It starts either in memory it borrows (the uninitialised buffer of the array
/// being built) or in its own; when it outgrows borrowed memory it moves to its own.
struct GrowableStorage<Element> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int
    var count = 0
    /// Whether `base` belongs to someone else (and must not be freed).
    private(set) var isBorrowed: Bool

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
        isBorrowed = false
    }

    init(borrowing buffer: UnsafeMutableBufferPointer<Element>) {
        if let start = buffer.baseAddress, buffer.count > 0 {
            base = start
            capacity = buffer.count
            isBorrowed = true
        } else {
            capacity = 16
            base = .allocate(capacity: capacity)
            isBorrowed = false
        }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: element)
        count += 1
    }

    @inline(__always)
    subscript(_ i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    @inline(never)
    private mutating func grow() {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        larger.initialize(from: base, count: count)
        if !isBorrowed { base.deallocate() }
        base = larger
        capacity *= 2
        isBorrowed = false
    }

    /// The elements as an array (a copy).
    func array() -> [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }

    /// Frees owned memory; the storage must not be used afterwards.
    mutating func release() {
        if !isBorrowed { base.deallocate() }
        capacity = 0
        count = 0
        isBorrowed = true
    }
}
