import Testing

@testable import JSONSyntax

/// The shared JSON writer (the CLI, the language server and the criteria fixes all write through it).
@Suite struct JSONValueTests {
    @Test func stringsAreEscapedOnce() {
        let value = JSONValue.string("a\u{2028}b\u{2029}\"\\\n\r\t\u{1}é😀")
        #expect(value.text == #""a\u2028b\u2029\"\\\n\r\t\u0001é😀""#)
    }

    @Test func htmlSafeTextAlsoEscapesMarkupAndStaysTheSameValue() throws {
        let value: JSONValue = ["<k>": "</script><b>&amp;\u{7F}é"]
        #expect(value.text == #"{"<k>":"</script><b>&amp;\#u{7F}é"}"#)
        #expect(value.htmlSafeText == #"{"\u003ck\u003e":"\u003c/script\u003e\u003cb\u003e\u0026amp;\u007fé"}"#)
        #expect(try JSONValue.parse(Array(value.htmlSafeText.utf8)).get() == value)
    }

    @Test func writingAndParsingRoundTrip() throws {
        let value: JSONValue = ["k": ["x", 1, true, nil, ["nested": "\u{2028}"]], "é": -3]
        #expect(value.text == #"{"k":["x",1,true,null,{"nested":"\u2028"}],"é":-3}"#)
        let parsed = try JSONValue.parse(value.serialized).get()
        #expect(parsed == value)
    }
}
