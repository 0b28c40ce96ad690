import Testing

@testable import JSONSyntax

@Suite struct PositionTests {
    // Line 0: {"é😀": 1,\r\n  line 1: "x": "😀"\r line 2: , "y"\n line 3: (empty)
    let text = SourceText("{\"é😀\": 1,\r\n  \"x\": \"😀\"\r, \"y\": 2}\n")

    @Test func lineTableHandlesAllLineEnds() {
        #expect(text.lineTable.lineCount == 4)
        #expect(text.lineTable.lineStarts == [0, 15, 29, 39])
    }

    @Test func utf16AndUTF8Columns() {
        // The `:` after "é😀" is at byte 9: `{` 1, `"` 1, é 2, 😀 4, `"` 1; in UTF-16: 1 + 1 + 1 + 2 + 1.
        #expect(text.position(of: 9, encoding: .utf8) == Position(line: 0, character: 9))
        #expect(text.position(of: 9, encoding: .utf16) == Position(line: 0, character: 6))
        #expect(text.offset(of: Position(line: 0, character: 6), encoding: .utf16) == 9)
        #expect(text.offset(of: Position(line: 0, character: 9), encoding: .utf8) == 9)
        // Inside the surrogate pair of 😀 (UTF-16 column 4 of 3..<5): clamps to the character's start.
        #expect(text.offset(of: Position(line: 0, character: 4), encoding: .utf16) == 4)
        // Inside 😀's UTF-8 bytes: clamps to its first byte.
        #expect(text.position(of: 6, encoding: .utf8) == Position(line: 0, character: 4))
    }

    @Test func clampsOutOfRange() {
        #expect(text.offset(of: Position(line: 99, character: 0), encoding: .utf16) == text.bytes.count)
        #expect(text.offset(of: Position(line: 0, character: 999), encoding: .utf16) == 13)  // before \r\n
        #expect(text.offset(of: Position(line: -1, character: -5), encoding: .utf8) == 0)
        #expect(text.position(of: 10_000, encoding: .utf16) == Position(line: 3, character: 0))
        #expect(text.position(of: -3, encoding: .utf16) == Position(line: 0, character: 0))
    }

    @Test func roundTripsEveryBoundary() {
        for encoding in [PositionEncoding.utf8, .utf16] {
            let scalarStarts = Self.scalarBoundaries(text.bytes)
            for offset in scalarStarts {
                let p = text.position(of: offset, encoding: encoding)
                let back = text.offset(of: p, encoding: encoding)
                // A line break's bytes all map to the end of the line's content.
                let line = text.lineTable.line(containing: offset)
                let contentEnd = text.bytes.withUnsafeBufferPointer { text.lineTable.contentEnd(ofLine: line, in: $0) }
                #expect(back == min(offset, contentEnd), "\(encoding) offset \(offset) -> \(p) -> \(back)")
            }
        }
    }

    static func scalarBoundaries(_ bytes: [UInt8]) -> [Int] {
        (0...bytes.count).filter { $0 == bytes.count || bytes[$0] & 0xC0 != 0x80 }
    }

    @Test func invalidUTF8CountsAsOneUnitPerByte() {
        let t = SourceText([0x61, 0xFF, 0xFE, 0x62])
        #expect(t.position(of: 3, encoding: .utf16) == Position(line: 0, character: 3))
        #expect(t.offset(of: Position(line: 0, character: 2), encoding: .utf16) == 2)
    }

    /// The conversions count eight ASCII bytes at a time; this is the plain count, character by character,
    /// they must agree with (the definition before the fast path).
    static func referencePosition(_ t: SourceText, _ offset: Int, _ encoding: PositionEncoding) -> Position {
        t.bytes.withUnsafeBufferPointer { buf in
            let o = max(0, min(offset, t.bytes.count))
            let line = t.lineTable.line(containing: o)
            let end = min(o, t.lineTable.contentEnd(ofLine: line, in: buf))
            var units = 0, i = t.lineTable.start(ofLine: line)
            while i < end {
                if buf[i] < 0x80 { units += 1; i += 1; continue }
                let n = UTF8Validation.sequenceLength(buf, i)
                if n == 0 { units += 1; i += 1; continue }
                if i + n > end { break }
                units += encoding == .utf8 ? n : (n == 4 ? 2 : 1)
                i += n
            }
            return Position(line: line, character: units)
        }
    }

    static func referenceOffset(_ t: SourceText, _ p: Position, _ encoding: PositionEncoding) -> Int {
        t.bytes.withUnsafeBufferPointer { buf in
            if p.line < 0 { return 0 }
            if p.line >= t.lineTable.lineCount { return t.bytes.count }
            let end = t.lineTable.contentEnd(ofLine: p.line, in: buf)
            var units = 0, i = t.lineTable.start(ofLine: p.line)
            while i < end && units < max(0, p.character) {
                let n = buf[i] < 0x80 ? 1 : UTF8Validation.sequenceLength(buf, i)
                let width = n == 0 ? 1 : (encoding == .utf8 ? n : (n == 4 ? 2 : 1))
                if units + width > p.character { break }
                units += width
                i += max(n, 1)
            }
            return i
        }
    }

    /// Random texts of long ASCII runs, `é`, `😀`, invalid and cut-off sequences and every kind of line break.
    static func randomTexts() -> [SourceText] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(n))
        }
        let pieces: [[UInt8]] = [
            Array("é".utf8), Array("😀".utf8), [0xFF], [0x80], [0xF0, 0x9F], [0xE2, 0x82], Array("\r\n".utf8),
            [0x0D], [0x0A], Array("€".utf8),
        ]
        return (0..<60).map { _ in
            var bytes: [UInt8] = []
            for _ in 0..<next(40) {
                bytes += Array(repeating: UInt8(ascii: "a") + UInt8(next(26)), count: next(3) == 0 ? next(30) : next(4))
                bytes += pieces[next(pieces.count)]
            }
            return SourceText(bytes)
        }
    }

    @Test func fastCountsAgreeWithCountingCharacterByCharacter() {
        for t in Self.randomTexts() {
            for encoding in [PositionEncoding.utf8, .utf16] {
                for offset in -1...(t.bytes.count + 1) {
                    let p = t.position(of: offset, encoding: encoding)
                    #expect(p == Self.referencePosition(t, offset, encoding), "offset \(offset) in \(t.bytes)")
                }
                for line in -1...t.lineTable.lineCount {
                    for character in -1...40 {
                        let p = Position(line: line, character: character)
                        #expect(t.offset(of: p, encoding: encoding) == Self.referenceOffset(t, p, encoding), "\(p) in \(t.bytes)")
                    }
                }
            }
        }
    }

    @Test func positionsInBulkEqualOneByOne() {
        for (k, t) in Self.randomTexts().enumerated() {
            // Unsorted, repeated and out-of-range offsets, as the ranges of overlapping findings give them.
            let offsets = (0..<50).map { (($0 * 7919 + k * 31) % (t.bytes.count + 5)) - 2 } + [3, 3, 0, t.bytes.count]
            for encoding in [PositionEncoding.utf8, .utf16] {
                let bulk = t.bytes.withUnsafeBufferPointer { t.lineTable.positions(of: offsets, in: $0, encoding: encoding) }
                #expect(bulk == offsets.map { t.position(of: $0, encoding: encoding) })
                let sorted = offsets.sorted()
                let inOrder = t.bytes.withUnsafeBufferPointer { t.lineTable.positions(of: sorted, in: $0, encoding: encoding) }
                #expect(inOrder == sorted.map { t.position(of: $0, encoding: encoding) })
            }
        }
    }
}
