/// How LSP `character` offsets count: UTF-16 code units (the protocol's default) or UTF-8 bytes.
public enum PositionEncoding: String, Sendable, Hashable, Codable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
}

/// An LSP position: zero-based line and character (counted in a `PositionEncoding`).
public struct Position: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (a: Position, b: Position) -> Bool { (a.line, a.character) < (b.line, b.character) }
    public var description: String { "\(line):\(character)" }
}

/// An LSP range: `start` inclusive, `end` exclusive.
public struct PositionRange: Sendable, Hashable, Codable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }
}

/// Where lines start in a text, so byte offsets convert to and from LSP positions. Lines end at
/// `\n`, `\r\n` or a lone `\r`. Every conversion clamps out-of-range input instead of trapping:
/// a line past the end maps to the end of the text, a character past the end of its line to the
/// line's end, an offset inside a multi-byte character to that character's first byte.
public struct LineTable: Sendable, Hashable {
    /// Byte offset of each line's first byte; the first is 0. A text ending in a line break has a
    /// last, empty line starting at its end.
    public private(set) var lineStarts: [UInt32]
    /// Length in bytes of the text the table describes.
    public private(set) var textLength: Int

    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { LineTable($0) }
    }

    init(lineStarts: [UInt32], textLength: Int) {
        self.lineStarts = lineStarts
        self.textLength = textLength
    }

    public init(_ buf: UnsafeBufferPointer<UInt8>) {
        var starts: [UInt32] = [0]
        starts.reserveCapacity(buf.count / 32 + 1)
        let n = buf.count
        var i = 0
        let lf: UInt64 = SWAR.ones &* 0x0A
        let cr: UInt64 = SWAR.ones &* 0x0D
        while i < n {
            // Skip eight bytes at a time while none is a line break.
            while i + 8 <= n {
                let word = UInt64(littleEndian: UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self))
                let breaks = SWAR.zeroBytes(word ^ lf) | SWAR.zeroBytes(word ^ cr)
                if breaks != 0 {
                    i += breaks.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < n else { break }
            let b = buf[i]
            i += 1
            if b == 0x0A {
                starts.append(UInt32(truncatingIfNeeded: i))
            } else if b == 0x0D {
                if i < n && buf[i] == 0x0A { i += 1 }
                starts.append(UInt32(truncatingIfNeeded: i))
            }
        }
        lineStarts = starts
        textLength = n
    }

    public var lineCount: Int { lineStarts.count }
    var storageBytes: Int { lineStarts.capacity * 4 }

    /// The line holding byte `offset` (clamped into the text).
    public func line(containing offset: Int) -> Int {
        let o = UInt32(clamping: max(0, min(offset, textLength)))
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) >> 1
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Byte offset where `line` starts (clamped).
    public func start(ofLine line: Int) -> Int {
        if line < 0 { return 0 }
        if line >= lineStarts.count { return textLength }
        return Int(lineStarts[line])
    }

    /// Byte offset where `line`'s content ends, before its line break.
    public func contentEnd(ofLine line: Int, in buf: UnsafeBufferPointer<UInt8>) -> Int {
        if line < 0 { return 0 }
        if line >= lineStarts.count - 1 { return textLength }
        var end = Int(lineStarts[line + 1])
        if end > 0 && buf[end - 1] == 0x0A { end -= 1 }
        if end > 0 && buf[end - 1] == 0x0D { end -= 1 }
        return max(end, Int(lineStarts[line]))
    }

    /// The LSP position of byte `offset`.
    public func position(of offset: Int, in bytes: [UInt8], encoding: PositionEncoding) -> Position {
        bytes.withUnsafeBufferPointer { position(of: offset, in: $0, encoding: encoding) }
    }

    public func position(of offset: Int, in buf: UnsafeBufferPointer<UInt8>, encoding: PositionEncoding) -> Position {
        let o = max(0, min(offset, textLength, buf.count))
        let line = line(containing: o)
        let start = Int(lineStarts[line])
        let end = min(o, contentEnd(ofLine: line, in: buf))
        return Position(line: line, character: Self.count(buf, from: start, to: end, encoding: encoding).units)
    }

    /// The LSP positions of many byte offsets (in any order), as `position(of:in:encoding:)` gives them one by
    /// one, reading each line at most once: diagnostics of a long line (a minified document is one line)
    /// would otherwise each count from the line's start.
    public func positions(of offsets: [Int], in buf: UnsafeBufferPointer<UInt8>, encoding: PositionEncoding) -> [Position] {
        var result = [Position](repeating: Position(line: 0, character: 0), count: offsets.count)
        var order = Array(offsets.indices)
        if !zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) { order.sort { offsets[$0] < offsets[$1] } }
        var line = -1, nextLineStart = 0, lineEnd = 0
        // Where the last count stopped (a character's first byte) and the units up to there.
        var cursor = 0, units = 0
        for k in order {
            let o = max(0, min(offsets[k], textLength, buf.count))
            if line < 0 || o >= nextLineStart {
                line = self.line(containing: o)
                nextLineStart = line + 1 < lineStarts.count ? Int(lineStarts[line + 1]) : Int.max
                lineEnd = contentEnd(ofLine: line, in: buf)
                cursor = Int(lineStarts[line])
                units = 0
            }
            let target = min(o, lineEnd)
            if target > cursor { (units, cursor) = Self.count(buf, from: cursor, to: target, encoding: encoding, units: units) }
            result[k] = Position(line: line, character: units)
        }
        return result
    }

    /// Counts the characters of `buf[start..<end]` in `encoding`, from a character boundary: eight ASCII
    /// bytes at a time, then character by character. An invalid byte counts as one U+FFFD; a character cut by
    /// `end` is not counted. Returns the units (plus `units`) and where counting stopped.
    @inline(__always)
    static func count(
        _ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, encoding: PositionEncoding,
        units initial: Int = 0
    ) -> (units: Int, stop: Int) {
        var units = initial
        var i = start
        scan: while i < end {
            i = asciiRun(buf, from: i, to: end, limit: Int.max, units: &units)
            guard i < end else { break }
            let b = buf[i]
            if b < 0x80 {
                units += 1
                i += 1
                continue
            }
            let n = UTF8Validation.sequenceLength(buf, i)
            if n == 0 {
                units += 1  // an invalid byte reads as one U+FFFD
                i += 1
            } else {
                if i + n > end { break scan }  // the offset is inside this character: clamp to its start
                units += encoding == .utf8 ? n : (n == 4 ? 2 : 1)
                i += n
            }
        }
        return (units, i)
    }

    /// Skips ASCII bytes from `start` (one unit each in both encodings) while `units` stays within `limit`,
    /// thirty-two then eight bytes at a time; returns where it stopped (before a non-ASCII byte, or with fewer
    /// than eight bytes or units left), with `units` counted up to there.
    @inline(__always)
    static func asciiRun(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, limit: Int, units: inout Int) -> Int {
        var i = start
        let base = UnsafeRawPointer(buf.baseAddress!)
        while i + 32 <= end && units + 32 <= limit {
            let a = base.loadUnaligned(fromByteOffset: i, as: UInt64.self),
                b = base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
            let c = base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self),
                d = base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            if (a | b | c | d) & SWAR.highs != 0 { break }
            units += 32
            i += 32
        }
        while i + 8 <= end && units + 8 <= limit {
            if base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & SWAR.highs != 0 { break }
            units += 8
            i += 8
        }
        return i
    }

    /// The byte offset of an LSP position (clamped; a UTF-16 position inside a surrogate pair maps to
    /// the start of its character).
    public func offset(of position: Position, in bytes: [UInt8], encoding: PositionEncoding) -> Int {
        bytes.withUnsafeBufferPointer { offset(of: position, in: $0, encoding: encoding) }
    }

    public func offset(of position: Position, in buf: UnsafeBufferPointer<UInt8>, encoding: PositionEncoding) -> Int {
        offsetAndUnits(of: position, in: buf, encoding: encoding).offset
    }

    /// The byte offset of an LSP position and the units before it on its line (fewer than asked when the
    /// position is past the line's end or inside a character). `from`: a known character boundary on the
    /// same line and the units before it, to count from instead of the line's start when it lies before the
    /// position.
    func offsetAndUnits(
        of position: Position, in buf: UnsafeBufferPointer<UInt8>, encoding: PositionEncoding,
        from hint: (offset: Int, units: Int)? = nil
    ) -> (offset: Int, units: Int) {
        if position.line < 0 { return (0, 0) }
        if position.line >= lineStarts.count { return (textLength, 0) }
        let start = Int(lineStarts[position.line])
        let end = contentEnd(ofLine: position.line, in: buf)
        let target = max(0, position.character)
        var units = 0
        var i = start
        if let hint, hint.offset >= start, hint.offset <= end, hint.units <= target {
            i = hint.offset
            units = hint.units
        }
        while i < end && units < target {
            i = Self.asciiRun(buf, from: i, to: end, limit: target, units: &units)
            guard i < end && units < target else { break }
            let b = buf[i]
            if b < 0x80 {
                units += 1
                i += 1
                continue
            }
            let n = UTF8Validation.sequenceLength(buf, i)
            let width = n == 0 ? 1 : (encoding == .utf8 ? n : (n == 4 ? 2 : 1))
            if units + width > target { break }
            units += width
            i += max(n, 1)
        }
        return (i, units)
    }

    /// Replaces the table's description of bytes `range` (in the old text) by `inserted` bytes, given
    /// the new text. Rescans only the inserted bytes and the two bytes around each seam; line starts
    /// before the edit are kept and those after it shifted.
    mutating func replace(_ range: Range<Int>, insertedCount: Int, newText buf: UnsafeBufferPointer<UInt8>) {
        let a = range.lowerBound, b = range.upperBound
        let delta = insertedCount - (b - a)
        let newLength = textLength + delta
        // Starts s <= a-1 depend only on bytes before the edit.
        var keepPrefix = 0
        do {
            var lo = 0, hi = lineStarts.count  // first index with start >= a
            while lo < hi {
                let mid = (lo + hi) >> 1
                if Int(lineStarts[mid]) < a { lo = mid + 1 } else { hi = mid }
            }
            keepPrefix = lo
        }
        // Old starts >= b+2 sit after the unchanged byte pair: they shift by delta.
        var suffixFrom = lineStarts.count
        do {
            var lo = keepPrefix, hi = lineStarts.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if Int(lineStarts[mid]) < b + 2 { lo = mid + 1 } else { hi = mid }
            }
            suffixFrom = lo
        }
        var middle: [UInt32] = []
        let scanFrom = max(a, 1)
        let scanTo = min(a + insertedCount + 1, newLength)
        if scanFrom <= scanTo {
            for s in scanFrom...scanTo {
                let p = buf[s - 1]
                if p == 0x0A || (p == 0x0D && (s == newLength || buf[s] != 0x0A)) {
                    middle.append(UInt32(truncatingIfNeeded: s))
                }
            }
        }
        var suffix = lineStarts[suffixFrom...]
        if delta != 0 {
            suffix = ArraySlice(suffix.map { UInt32(truncatingIfNeeded: Int($0) + delta) })
        }
        lineStarts.replaceSubrange(keepPrefix..., with: middle + suffix)
        if lineStarts.isEmpty || lineStarts[0] != 0 { lineStarts.insert(0, at: 0) }
        textLength = newLength
    }
}
