import Testing

@testable import JSONSyntax

@Suite struct ParserTests {
    func codes(_ text: String, _ dialect: Dialect = .json) -> [SyntaxDiagnosticCode] {
        SyntaxTree(parsing: text, dialect: dialect).diagnostics.map(\.code)
    }

    @Test(arguments: [
        ("{\"a\": 1,}", [SyntaxDiagnosticCode.trailingComma]),
        ("[1,2,]", [.trailingComma]),
        ("// c\n{}", [.commentNotAllowed]),
        ("{\"a\" 1}", [.expectedColon]),
        ("{\"a\": 1 \"b\": 2}", [.expectedComma]),
        ("[1 2]", [.expectedComma]),
        ("[1,,2]", [.expectedValue]),
        ("{a: 1}", [.propertyNameNotString]),
        ("[tru]", [.invalidLiteral]),
        ("[01]", [.invalidNumber]),
        ("[1.]", [.invalidNumber]),
        ("[-]", [.invalidNumber]),
        ("['x']", [.invalidLiteral]),
        ("[\"a\\x\"]", [.invalidEscape]),
        ("[\"\\uD800\"]", [.loneSurrogate]),
        ("[\"\\uDC00x\"]", [.loneSurrogate]),
        ("[\"a\tb\"]", [.controlCharacterInString]),
        ("[\"abc]", [.expectedClosingBracket, .unterminatedString]),
        ("", [.emptyDocument]),
        ("  ", [.emptyDocument]),
        ("[1] 2", [.trailingContent]),
        ("]", [.unexpectedCloser, .emptyDocument]),
        ("[1}", [.expectedClosingBracket, .unexpectedCloser]),
        ("{\"a\": [1}", [.expectedClosingBracket]),
        ("/* open", [.unterminatedComment, .commentNotAllowed, .emptyDocument]),
        ("{\"a\": 1, \"a\": 2}", [.duplicateKey]),
        ("{\"a\": 1, \"\\u0061\": 2}", [.duplicateKey]),
        ("\u{FEFF}{}", [.byteOrderMark]),
    ])
    func diagnosesMalformedInput(_ text: String, _ expected: [SyntaxDiagnosticCode]) {
        #expect(codes(text) == expected)
    }

    @Test func jsoncAllowsCommentsAndTrailingCommas() {
        #expect(codes("// c\n{\"a\": [1, 2,], /* x */ \"b\": {},}", .jsonc) == [])
    }

    @Test func invalidUTF8IsDiagnosedAndKept() {
        let bytes: [UInt8] = Array("[\"a".utf8) + [0xFF, 0xC0, 0x80] + Array("\", ".utf8) + [0xED, 0xA0, 0x80] + Array("]".utf8)
        let tree = SyntaxTree(parsing: bytes)
        // Three bad bytes inside the string, and the word `\u{ED}\u{A0}\u{80}` (an encoded surrogate) outside it.
        #expect(tree.diagnostics.filter { $0.code == .invalidUTF8 }.map(\.range) == [3..<4, 4..<5, 5..<6, 9..<10])
        #expect(tree.printed() == bytes)
        #expect(tree.root.elements.first?.stringValue == "a\u{FFFD}\u{FFFD}\u{FFFD}")
    }

    @Test func recoveryKeepsLaterMembers() {
        let tree = SyntaxTree(
            parsing: """
                {
                  "title": "Data literacy",
                  "credits": ,
                  "level": tru,
                  "language" "en",
                  "broken": "no close,
                  "mode": "online"
                }
                """)
        let names = tree.root.members.map(\.name)
        #expect(names == ["title", "credits", "level", "language", "broken", "mode"])
        #expect(tree.root.value(forKey: "mode")?.stringValue == "online")
        #expect(tree.root.value(forKey: "credits")?.kind == .missing)
        #expect(tree.root.value(forKey: "level")?.kind == .error)
        #expect(tree.root.value(forKey: "language")?.stringValue == "en")
        #expect(tree.diagnostics.map(\.code) == [.expectedValue, .invalidLiteral, .expectedColon, .unterminatedString])
    }

    @Test func missingValueBeforeNextLineKey() {
        let tree = SyntaxTree(parsing: "{\n  \"a\":\n  \"b\": 1\n}")
        #expect(tree.root.members.map(\.name) == ["a", "b"])
        #expect(tree.root.value(forKey: "a")?.kind == .missing)
        #expect(tree.root.value(forKey: "b")?.integerValue == 1)
        #expect(tree.diagnostics.map(\.code) == [.expectedValue])
    }

    @Test func nestingAtTheLimitParsesAndPastItIsADiagnostic() {
        let limits = ParseLimits(maxNestingDepth: 512)
        let atLimit = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        let ok = SyntaxTree(parsing: atLimit, limits: limits)
        #expect(ok.diagnostics.isEmpty)
        #expect(ok.nodeCount == 513)
        let past = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let deep = SyntaxTree(parsing: past, limits: limits)
        #expect(deep.diagnostics.map(\.code) == [.nestingTooDeep])
        #expect(deep.diagnostics[0].range == 512..<513)
        #expect(deep.nodeCount == 514)  // document, 512 arrays, one error node for the over-deep one
        #expect(deep.printed() == Array(past.utf8))
    }

    @Test func hundredThousandBracketsNeverOverflow() {
        for text in [
            String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 100_000),
            String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
        ] {
            let tree = SyntaxTree(parsing: text)
            #expect(tree.diagnostics.contains { $0.code == .nestingTooDeep })
            #expect(losslessnessProblem(tree) == nil)
        }
    }

    @Test func diagnosticsAreCapped() {
        let text = "[" + String(repeating: "x,", count: 5000) + "]"
        let tree = SyntaxTree(parsing: text, limits: ParseLimits(maxDiagnostics: 100))
        #expect(tree.diagnostics.count == 101)
        #expect(tree.diagnostics.last?.code == .tooManyDiagnostics)
        // 5000 bad words and a trailing comma, less the 100 kept.
        #expect(tree.diagnostics.last?.message == "4901 more diagnostics not shown")
        #expect(tree.hasErrors)
    }

    @Test func documentSizeLimit() {
        let text = "[" + String(repeating: "1,", count: 50) + "1]"
        let limit = text.utf8.count
        #expect(SyntaxTree(parsing: text, limits: ParseLimits(maxDocumentBytes: limit)).diagnostics.isEmpty)
        let over = SyntaxTree(parsing: text, limits: ParseLimits(maxDocumentBytes: limit - 1))
        #expect(over.diagnostics.map(\.code) == [.documentTooLarge])
        #expect(over.printed() == Array(text.utf8))
    }

    @Test func stringValues() {
        let tree = SyntaxTree(parsing: #"["plain", "é😀", "\"\\\/\b\f\n\r\t", "\u00e9\ud83d\ude00", "\u0000"]"#)
        let values = tree.root.elements.map { $0.stringValue }
        #expect(values == ["plain", "é😀", "\"\\/\u{8}\u{c}\n\r\t", "é😀", "\u{0}"])
        #expect(tree.diagnostics.isEmpty)
    }

    @Test func numberValues() {
        let tree = SyntaxTree(parsing: "[0, -0, 1.5, 1.0, 1e2, 2.5e-1, -12, 123456789012345678901234567890]")
        let nodes = Array(tree.root.elements)
        #expect(nodes.map(\.numberLexeme) == ["0", "-0", "1.5", "1.0", "1e2", "2.5e-1", "-12", "123456789012345678901234567890"])
        #expect(nodes.map(\.integerValue) == [0, 0, nil, 1, 100, nil, -12, nil])
        #expect(nodes.map(\.doubleValue) == [0, -0.0, 1.5, 1, 100, 0.25, -12, 1.2345678901234568e29])
        #expect(
            nodes[7].decimalValue
                == ExactDecimal(
                    negative: false, digits: Array(repeating: [1, 2, 3, 4, 5, 6, 7, 8, 9, 0], count: 3).flatMap { $0 },
                    exponent: 0))
    }

    @Test func duplicateKeyWarningSaysWhichIsKept() {
        let tree = SyntaxTree(parsing: "{\"a\": 1, \"a\": 2}")
        #expect(tree.diagnostics.count == 1)
        #expect(tree.diagnostics[0].severity == .warning)
        #expect(tree.diagnostics[0].range == 9..<12)
        #expect(tree.diagnostics[0].message.contains("keep this last one"))
        #expect(!tree.hasErrors)
        #expect(tree.root.value(forKey: "a")?.integerValue == 2)
    }

    @Test func duplicateKeysInLargeObjects() {
        var text = "{"
        for i in 0..<100 { text += "\"k\(i)\": \(i), " }
        text += "\"k7\": 0, \"k99\": 1}"
        let tree = SyntaxTree(parsing: text)
        #expect(tree.diagnostics.map(\.code) == [.duplicateKey, .duplicateKey])
    }
}
