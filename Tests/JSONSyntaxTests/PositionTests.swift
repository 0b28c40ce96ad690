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
}
