import CredentialCorpus
import Testing

@testable import JSONSyntax

@Suite struct PropertyTests {
    @Test(arguments: [Dialect.json, .jsonc])
    func generatedDocumentsPrintBackAndParseCleanly(_ dialect: Dialect) {
        var generator = DocumentGenerator(rng: SeededGenerator(seed: dialect == .json ? 1 : 2), jsonc: dialect == .jsonc)
        for _ in 0..<3000 {
            let text = generator.document()
            let tree = SyntaxTree(parsing: text, dialect: dialect)
            #expect(losslessnessProblem(tree) == nil, "\(text)")
            #expect(structureProblem(tree) == nil, "\(text)")
            #expect(!tree.hasErrors, "\(text): \(tree.diagnostics.map(\.message))")
        }
    }

    @Test func mutationsAndTruncationsNeverBreakInvariants() {
        var rng = SeededGenerator(seed: 7)
        var generator = DocumentGenerator(rng: SeededGenerator(seed: 8), jsonc: true)
        let alphabet: [UInt8] = Array("{}[],:\"\\/*ntfu0-.e \n\r".utf8) + [0x80, 0xC3, 0xF0, 0xFF, 0x00]
        for round in 0..<4000 {
            var bytes = Array(generator.document().utf8)
            switch round % 4 {
            case 0:
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            case 1:
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = alphabet.randomElement(using: &rng)!
                }
            case 2:
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    bytes.insert(alphabet.randomElement(using: &rng)!, at: Int.random(in: 0...bytes.count, using: &rng))
                }
            default:
                if !bytes.isEmpty {
                    let a = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes.removeSubrange(a..<min(bytes.count, a + Int.random(in: 1...8, using: &rng)))
                }
            }
            for dialect in [Dialect.json, .jsonc] {
                let tree = SyntaxTree(parsing: bytes, dialect: dialect)
                #expect(losslessnessProblem(tree) == nil, "\(bytes)")
                #expect(structureProblem(tree) == nil, "\(bytes)")
                for d in tree.diagnostics { #expect(d.range.upperBound <= bytes.count) }
                // Navigation never traps on any offset or any node.
                _ = tree.nodePath(atOffset: Int.random(in: -1...(bytes.count + 1), using: &rng))
                if tree.nodeCount > 1 {
                    let node = tree.node(atIndex: Int.random(in: 1..<tree.nodeCount, using: &rng))
                    _ = node.pointer
                    _ = node.stringValue
                    _ = node.doubleValue
                }
            }
        }
    }

    /// `pointer(to:)` walks the raw node storage once; it must agree, for every node of damaged documents (stray
    /// nodes, keys without values, escaped and broken keys), with the pointer read off `path(to:)` as the
    /// definition states it: a key token per object level (the member's key), a position per array level
    /// counting only non-stray elements, stopping at a stray node or at a key.
    @Test func pointersMatchTheirDefinitionOnDamagedDocuments() {
        func definition(_ tree: SyntaxTree, _ index: Int) -> [String] {
            tree.withNodeStorage { st in
                var tokens: [String] = []
                var parent = 0
                for node in tree.path(to: index) {
                    let i = node.index
                    if st.isStray(i) { break }
                    // The parent's other direct children before this one (one level deeper than the parent).
                    let before = (parent + 1..<i).filter { !st.isStray($0) && st.depth($0) == st.depth(i) }
                    if st.kind(parent) == .object {
                        // Non-stray children alternate key, value: a value's key is the child just before it.
                        let key = before.count % 2 == 0 ? i : before.last!
                        tokens.append(tree.node(atIndex: key).stringValue ?? "")
                        if st.flags(i).contains(.key) { break }
                    } else if st.kind(parent) == .array {
                        tokens.append(String(before.count))
                    }
                    parent = i
                }
                return tokens
            }
        }
        var rng = SeededGenerator(seed: 21)
        var generator = DocumentGenerator(rng: SeededGenerator(seed: 22), jsonc: true)
        let alphabet: [UInt8] = Array("{}[],:\"\\ nu0\n".utf8) + [0x80, 0xC3]
        var compared = 0
        for _ in 0..<600 {
            var bytes = Array(generator.document().utf8)
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                bytes.insert(alphabet.randomElement(using: &rng)!, at: Int.random(in: 0...bytes.count, using: &rng))
            }
            let tree = SyntaxTree(parsing: bytes, dialect: .jsonc)
            guard tree.nodeCount <= 400 else { continue }
            for i in 0..<tree.nodeCount {
                #expect(
                    tree.pointer(to: i).tokens == definition(tree, i), "node \(i) of \(String(decoding: bytes, as: UTF8.self))")
                compared += 1
            }
        }
        #expect(compared > 2_000)  // the test is not vacuous
    }

    /// `hasSameShape` agrees with comparing every node's kind, flags, depth and extent, on versions edited
    /// inside strings (mostly the same shape) and anywhere (mostly not).
    @Test func shapesCompareNodeByNode() {
        func sameShape(_ a: SyntaxTree, _ b: SyntaxTree) -> Bool {
            guard a.nodeCount == b.nodeCount else { return false }
            return a.withNodeStorage { x in
                b.withNodeStorage { y in
                    (0..<x.count).allSatisfy {
                        x.kind($0) == y.kind($0) && x.flags($0) == y.flags($0) && x.depth($0) == y.depth($0)
                            && x.next($0) == y.next($0)
                    }
                }
            }
        }
        var rng = SeededGenerator(seed: 41)
        var generator = DocumentGenerator(rng: SeededGenerator(seed: 42), jsonc: false)
        var same = 0
        for round in 0..<2000 {
            let bytes = Array(generator.document().utf8)
            var edited = bytes
            if round % 2 == 0, let quote = bytes.indices.filter({ bytes[$0] == 0x22 }).randomElement(using: &rng) {
                edited.insert(UInt8(ascii: "z"), at: quote + 1)
            } else if !bytes.isEmpty {
                edited.insert(
                    Array("{}[],:\"1 ".utf8).randomElement(using: &rng)!, at: Int.random(in: 0...bytes.count, using: &rng))
            }
            let a = SyntaxTree(parsing: bytes), b = SyntaxTree(parsing: edited)
            #expect(a.hasSameShape(as: b) == sameShape(a, b), "\(String(decoding: edited, as: UTF8.self))")
            if sameShape(a, b) { same += 1 }
        }
        #expect(same > 200 && same < 1800)  // both outcomes are exercised
    }

    @Test func randomEditsMatchRebuildingFromScratch() {
        var rng = SeededGenerator(seed: 11)
        let insertions = ["", "a", "é", "😀", "\n", "\r\n", "\r", "\"x\": 1,\n", "\r\r\n\n", "日本\r"]
        for encoding in [PositionEncoding.utf8, .utf16] {
            var text = SourceText("{\r\n  \"é\": \"😀\",\r  \"b\": [1, 2]\n}\n")
            for _ in 0..<3000 {
                var edits: [TextEdit] = []
                var model = text
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let lines = model.lineTable.lineCount
                    func randomPosition() -> Position {
                        Position(line: Int.random(in: -1...lines, using: &rng), character: Int.random(in: -1...12, using: &rng))
                    }
                    var a = randomPosition(), b = randomPosition()
                    if b < a { swap(&a, &b) }
                    let edit = TextEdit(
                        range: PositionRange(start: a, end: b),
                        newText: insertions.randomElement(using: &rng)!)
                    // Reference: splice the bytes and rebuild everything from scratch.
                    let range = model.byteRange(of: edit.range!, encoding: encoding)
                    var bytes = model.bytes
                    bytes.replaceSubrange(range, with: Array(edit.newText.utf8))
                    model = SourceText(bytes)
                    edits.append(edit)
                }
                text.apply(edits, encoding: encoding)
                #expect(text.bytes == model.bytes)
                #expect(text.lineTable == model.lineTable, "\(String(decoding: text.bytes, as: UTF8.self).debugDescription)")
                if text.bytes.count > 400 { text = SourceText("{\r\n  \"é\": \"😀\"\r}") }
            }
        }
    }

    @Test func fullReplacementEdit() {
        var text = SourceText("abc")
        text.apply([TextEdit(range: nil, newText: "x\ny")], encoding: .utf16)
        #expect(text.string == "x\ny")
        #expect(text.lineTable.lineStarts == [0, 2])
    }

    @Test func positionsRoundTripOnGeneratedText() {
        var rng = SeededGenerator(seed: 5)
        let pieces = ["a", "é", "😀", "\r\n", "\r", "\n", " ", "日"]
        for _ in 0..<500 {
            let text = SourceText(
                (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined())
            for encoding in [PositionEncoding.utf8, .utf16] {
                for offset in PositionTests.scalarBoundaries(text.bytes) {
                    let line = text.lineTable.line(containing: offset)
                    let end = text.bytes.withUnsafeBufferPointer { text.lineTable.contentEnd(ofLine: line, in: $0) }
                    let back = text.offset(of: text.position(of: offset, encoding: encoding), encoding: encoding)
                    #expect(back == min(offset, end))
                }
            }
        }
    }
}
