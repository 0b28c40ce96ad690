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
        PositionRange(start: position(of: bytes.lowerBound, encoding: encoding), end: position(of: bytes.upperBound, encoding: encoding))
    }

    /// Byte range of an LSP range (clamped; a reversed range is emptied at its start).
    public func byteRange(of range: PositionRange, encoding: PositionEncoding) -> Range<Int> {
        let a = offset(of: range.start, encoding: encoding)
        let b = offset(of: range.end, encoding: encoding)
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
        replace(byteRange(of: range, encoding: encoding), with: Array(edit.newText.utf8))
    }

    /// Replaces a byte range (clamped) with new bytes, updating the line table incrementally.
    public mutating func replace(_ range: Range<Int>, with inserted: [UInt8]) {
        let a = max(0, min(range.lowerBound, bytes.count))
        let b = max(a, min(range.upperBound, bytes.count))
        // The new text is written once into an array of its exact size. Editing in place would save a copy
        // only while no one else holds the text, but the language server's analyses (and the validation memo)
        // hold the previous version, so the standard library would copy it anyway, into a buffer of twice the
        // size, touching twice the fresh memory.
        let newCount = bytes.count - (b - a) + inserted.count
        bytes = bytes.withUnsafeBufferPointer { old in
            inserted.withUnsafeBufferPointer { middle in
                [UInt8](unsafeUninitializedCapacity: newCount) { buffer, initialized in
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
        PositionRange(start: position(of: range.lowerBound, encoding: encoding),
                      end: position(of: range.upperBound, encoding: encoding))
    }

    /// The byte offset of an LSP position in this tree's text.
    public func offset(of position: Position, encoding: PositionEncoding) -> Int {
        lineTable.offset(of: position, in: bytes, encoding: encoding)
    }
}
