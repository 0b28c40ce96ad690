import CredentialCorpus
import Foundation
import Testing

@testable import JSONSyntax

/// The fast path for well-formed JSON (`WellFormedParser`) must build exactly what the general parser
/// builds, and hand every document it cannot parse cleanly to the general parser.
@Suite struct WellFormedParserTests {
    /// Nil when parsing with and without the fast path gives the same nodes, diagnostics and line starts.
    static func difference(_ bytes: [UInt8], _ dialect: Dialect, limits: ParseLimits = .default) -> String? {
        let fast = Parser.parse(bytes, dialect: dialect, limits: limits, fastPath: true)
        let general = Parser.parse(bytes, dialect: dialect, limits: limits, fastPath: false)
        if fast.nodes.count != general.nodes.count { return "\(fast.nodes.count) nodes, expected \(general.nodes.count)" }
        for (i, (a, b)) in zip(fast.nodes, general.nodes).enumerated() {
            if a.start != b.start || a.end != b.end || a.next != b.next || a.kind != b.kind || a.flags != b.flags
                || a.depth != b.depth
            {
                return "node \(i) is \(a), expected \(b)"
            }
        }
        if fast.diagnostics != general.diagnostics { return "diagnostics \(fast.diagnostics), expected \(general.diagnostics)" }
        if (fast.lineStarts ?? LineTable(bytes).lineStarts) != (general.lineStarts ?? LineTable(bytes).lineStarts) {
            return "line starts \(String(describing: fast.lineStarts)), expected \(String(describing: general.lineStarts))"
        }
        return nil
    }

    /// Whether the fast path took the whole document (rather than handing it on).
    static func accepted(_ text: String, limits: ParseLimits = .default) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { taken(WellFormedParser.parse($0, limits: limits)) }
    }

    static func taken(_ outcome: WellFormedParser.Outcome) -> Bool {
        if case .parsed = outcome { return true }
        return false
    }

    static func resumed(_ outcome: WellFormedParser.Outcome) -> Bool {
        if case .resume = outcome { return true }
        return false
    }

    @Test(arguments: [
        "{}", "[]", "0", "-0", "\"\"", "true", " false ", "null\n", "[1,2.5,-3e+2,1E-2,0.0]", "{\"a\":1,\"b\":[true,null,{}]}",
        "{\n  \"a\": \"é😀\",\r\n  \"b\": \"\\u00e9\\ud83d\\ude00\\n\\\"\"\r}", "[\t[\r[]\r\n]\n]",
        "{\"abcdefghij\":1,\"abcdefghik\":2}", "[true,false,null]", "{\"t\":true,\"f\":false,\"n\":null}",
        "\"\u{7F}\"",
    ])
    func acceptsWellFormedJSON(_ text: String) {
        #expect(Self.accepted(text), "\(text)")
        #expect(Self.difference(Array(text.utf8), .json) == nil)
    }

    @Test(arguments: [
        "", " ", "{\"a\":1,}", "[1,]", "{\"a\":1,\"a\":2}", "{\"a\":1,\"\\u0061\":2}", "// c\n1", "/* c */ 1", "\u{FEFF}1",
        "01", "1.", "1e", "-", "tru", "truex", "nul", "nullx", "fals", "falsex", "[true,fals]", "[1 2]", "{\"a\" 1}",
        "{\"a\":}", "{a:1}", "\"a\nb\"", "\"\\x\"", "\"\\ud800\"",
        "\"\\udc00\"", "\"\\ud800\\u0041\"", "[1]x", "[1] [2]", "{", "[", "]", "\"abc", "[1,,2]", "1/", "[1/**/]",
        "{\"a\": 1, \"b\":\n \"c\": 2}", "[{\"a\":\n\"b\": 1}]", "{\"a\": \"b\" : 1}", "[\"a\": 1]", "{\"a\": [1, 2}",
        "{\"a\": {\"b\": 1, \"b\": 2}, \"c\": 3}", "[[1], [2,], [3]]", "{\"a\": 1 // c\n}",
    ])
    func handsOnDocumentsThatNeedDiagnostics(_ text: String) {
        #expect(!Self.accepted(text), "\(text)")
        #expect(Self.difference(Array(text.utf8), .json) == nil)
        #expect(Self.difference(Array(text.utf8), .jsonc) == nil)
    }

    @Test func handsOnInvalidUTF8AndDeepNesting() {
        let bad: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        #expect(!bad.withUnsafeBufferPointer { Self.taken(WellFormedParser.parse($0, limits: .default)) })
        #expect(Self.difference(bad, .json) == nil)
        let limits = ParseLimits(maxNestingDepth: 3)
        #expect(Self.accepted("[[[1]]]", limits: limits))
        #expect(!Self.accepted("[[[[1]]]]", limits: limits))
        #expect(Self.difference(Array("[[[[1]]]]".utf8), .json, limits: limits) == nil)
        #expect(!Self.accepted("[1]", limits: ParseLimits(maxDocumentBytes: 2)))
    }

    @Test func objectsWithManyKeys() {
        let keys = (0..<40).map { "\"key\($0)\": \($0)" }
        let distinct = "{" + keys.joined(separator: ", ") + "}"
        #expect(Self.accepted(distinct))
        #expect(Self.difference(Array(distinct.utf8), .json) == nil)
        let repeated = "{" + (keys + ["\"key7\": 0"]).joined(separator: ", ") + "}"
        #expect(!Self.accepted(repeated))
        #expect(Self.difference(Array(repeated.utf8), .json) == nil)
    }

    @Test(arguments: [Dialect.json, .jsonc])
    func generatedAndMutatedDocumentsMatchTheGeneralParser(_ dialect: Dialect) {
        var rng = SeededGenerator(seed: 11)
        var generator = DocumentGenerator(rng: SeededGenerator(seed: dialect == .json ? 12 : 13), jsonc: dialect == .jsonc)
        let alphabet: [UInt8] = Array("{}[],:\"\\/*ntfu0-.e \n\r".utf8) + [0x80, 0xC3, 0xF0, 0xFF, 0x00]
        var taken = 0, resumed = 0
        for round in 0..<4000 {
            var bytes = Array(generator.document().utf8)
            // Odd rounds damage the document: a byte replaced, inserted or removed, or the end cut off.
            if round % 2 == 1 && !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch round % 8 {
                case 1: bytes[at] = alphabet.randomElement(using: &rng)!
                case 3: bytes.insert(alphabet.randomElement(using: &rng)!, at: at)
                case 5: bytes.remove(at: at)
                default: bytes.removeSubrange(at...)
                }
            }
            let outcome = bytes.withUnsafeBufferPointer { WellFormedParser.parse($0, limits: .default) }
            if Self.taken(outcome) { taken += 1 }
            if Self.resumed(outcome) { resumed += 1 }
            if let problem = Self.difference(bytes, dialect) {
                Issue.record("\(problem) in \(String(decoding: bytes, as: UTF8.self))")
                return
            }
        }
        // Most unmutated JSON documents are well formed, so the fast path must have taken many; most
        // mutated ones are handed over part way.
        #expect(taken > (dialect == .json ? 1000 : 300), "the fast path took only \(taken) documents")
        #expect(resumed > 200, "the general parser resumed only \(resumed) documents")
    }

    @Test func jsonTestSuiteMatchesTheGeneralParser() throws {
        var failures: [String] = []
        for url in try JSONTestSuiteTests.files() {
            let bytes = Array(try Data(contentsOf: url))
            if let problem = Self.difference(bytes, .json) { failures.append("\(url.lastPathComponent): \(problem)") }
            let taken = bytes.withUnsafeBufferPointer { Self.taken(WellFormedParser.parse($0, limits: .default)) }
            if url.lastPathComponent.hasPrefix("n_") && taken {
                failures.append("\(url.lastPathComponent): the fast path accepted invalid JSON")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
