/// One LSP-style change: replace `range` with `newText`, or the whole text when `range` is nil.
public struct TextEdit: Sendable, Hashable {
    public var range: PositionRange?
    public var newText: String

    public init(range: PositionRange?, newText: String) {
        self.range = range
        self.newText = newText
    }
}

/// A text as bytes plus its line table, kept in step under edits. A value: an edit makes a new
/// text and leaves copies that others hold untouched.
public struct SourceText: Sendable, Hashable {
    public private(set) var bytes: [UInt8]
    public private(set) var lineTable: LineTable
    /// Where the last edit started (line, units before it on the line, byte offset, encoding): the next edit,
    /// usually a keystroke further along the same line, is found by counting from there instead of from the
    /// line's start, which on a long line (a minified document is one line) is most of the work of an edit.
    /// Not part of the text's value.
    private var lastEdit: (line: Int, units: Int, offset: Int, encoding: PositionEncoding)?

    public static func == (a: SourceText, b: SourceText) -> Bool { a.bytes == b.bytes && a.lineTable == b.lineTable }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes)
        hasher.combine(lineTable)
    }

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.lineTable = LineTable(bytes)
    }

    public init(_ text: String) { self.init(Array(text.utf8)) }

    /// The text as a String (invalid UTF-8 shown as U+FFFD).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public func position(of offset: Int, encoding: PositionEncoding) -> Position {
        lineTable.position(of: offset, in: bytes, encoding: encoding)
    }

    public func offset(of position: Position, encoding: PositionEncoding) -> Int {
        lineTable.offset(of: position, in: bytes, encoding: encoding)
    }

    public func range(of bytes: Range<Int>, encoding: PositionEncoding) -> PositionRange {
        PositionRange(
            start: position(of: bytes.lowerBound, encoding: encoding), end: position(of: bytes.upperBound, encoding: encoding))
    }

    /// Byte range of an LSP range (clamped; a reversed range is emptied at its start).
    public func byteRange(of range: PositionRange, encoding: PositionEncoding) -> Range<Int> {
        let a = offset(of: range.start, encoding: encoding)
        // An insertion (most edits while typing) is converted once: on a long line each conversion counts.
        let b = range.end == range.start ? a : offset(of: range.end, encoding: encoding)
        return a..<max(a, b)
    }

    /// Applies edits in order, each against the result of the previous (LSP `didChange` semantics).
    public mutating func apply(_ edits: [TextEdit], encoding: PositionEncoding) {
        for edit in edits { apply(edit, encoding: encoding) }
    }

    public mutating func apply(_ edit: TextEdit, encoding: PositionEncoding) {
        guard let range = edit.range else {
            self = SourceText(Array(edit.newText.utf8))
            return
        }
        let hint = lastEdit.flatMap { $0.line == range.start.line && $0.encoding == encoding ? ($0.offset, $0.units) : nil }
        let (a, units) = bytes.withUnsafeBufferPointer {
            lineTable.offsetAndUnits(of: range.start, in: $0, encoding: encoding, from: hint)
        }
        var b = a
        if range.end != range.start {
            let fromStart = range.end.line == range.start.line ? (a, units) : nil
            b = max(
                a,
                bytes.withUnsafeBufferPointer {
                    lineTable.offsetAndUnits(of: range.end, in: $0, encoding: encoding, from: fromStart).offset
                })
        }
        replace(a..<b, with: Array(edit.newText.utf8))
        // Bytes before the edit did not move: its start stays a valid place to count from.
        if range.start.line >= 0 && range.start.line < lineTable.lineCount { lastEdit = (range.start.line, units, a, encoding) }
    }

    /// Texts at least this large (glibc's initial threshold for mapping blocks of their own) are allocated in
    /// 64 KiB steps.
    static let roundingThreshold = 128 << 10

    /// Replaces a byte range (clamped) with new bytes, updating the line table incrementally.
    public mutating func replace(_ range: Range<Int>, with inserted: [UInt8]) {
        let a = max(0, min(range.lowerBound, bytes.count))
        let b = max(a, min(range.upperBound, bytes.count))
        if let hint = lastEdit, a < hint.offset { lastEdit = nil }
        // The new text is written once into an array of its exact size. Editing in place would save a copy
        // only while no one else holds the text, but the language server's analyses (and the validation memo)
        // hold the previous version, so the standard library would copy it anyway, into a buffer of twice the
        // size, touching twice the fresh memory.
        let newCount = bytes.count - (b - a) + inserted.count
        // Large texts get a capacity rounded up to 64 KiB: the allocator then hands the same block back for the
        // next version instead of mapping fresh pages for every edit (a text that grows by one byte per keystroke
        // would otherwise stay just above the size it last unmapped).
        let capacity = newCount < Self.roundingThreshold ? newCount : (newCount + 0xFFFF) & ~0xFFFF
        bytes = bytes.withUnsafeBufferPointer { old in
            inserted.withUnsafeBufferPointer { middle in
                [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                    guard let base = buffer.baseAddress else { return }
                    if a > 0 { base.initialize(from: old.baseAddress!, count: a) }
                    if middle.count > 0 { (base + a).initialize(from: middle.baseAddress!, count: middle.count) }
                    if old.count > b { (base + a + middle.count).initialize(from: old.baseAddress! + b, count: old.count - b) }
                    initialized = newCount
                }
            }
        }
        let count = inserted.count
        bytes.withUnsafeBufferPointer { buf in
            lineTable.replace(a..<b, insertedCount: count, newText: buf)
        }
    }
}

extension SyntaxTree {
    /// The LSP position of a byte offset in this tree's text.
    public func position(of offset: Int, encoding: PositionEncoding) -> Position {
        lineTable.position(of: offset, in: bytes, encoding: encoding)
    }

    /// The LSP range of a byte range in this tree's text.
    public func range(of range: Range<Int>, encoding: PositionEncoding) -> PositionRange {
        PositionRange(
            start: position(of: range.lowerBound, encoding: encoding),
            end: position(of: range.upperBound, encoding: encoding))
    }

    /// The LSP ranges of many byte ranges, each line read once (see `LineTable.positions(of:in:encoding:)`).
    public func ranges(of ranges: [Range<Int>], encoding: PositionEncoding) -> [PositionRange] {
        var offsets: [Int] = []
        offsets.reserveCapacity(ranges.count * 2)
        for r in ranges {
            offsets.append(r.lowerBound)
            offsets.append(r.upperBound)
        }
        let positions = bytes.withUnsafeBufferPointer { lineTable.positions(of: offsets, in: $0, encoding: encoding) }
        return ranges.indices.map { PositionRange(start: positions[2 * $0], end: positions[2 * $0 + 1]) }
    }

    /// The byte offset of an LSP position in this tree's text.
    public func offset(of position: Position, encoding: PositionEncoding) -> Int {
        lineTable.offset(of: position, in: bytes, encoding: encoding)
    }
}
