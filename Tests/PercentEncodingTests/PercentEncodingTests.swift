import Testing

@testable import PercentEncoding

/// The one reader and writer of `%XX` escapes, as the HTTP layer, JSON Schema and the language server
/// rely on it.
@Suite struct PercentEncodingTests {
    @Test("escapes decode as UTF-8 bytes, in either case of hexadecimal digit")
    func decodesEscapes() {
        #expect(PercentEncoding.decode("a%20b") == "a b")
        #expect(PercentEncoding.decode("%C3%A9t%c3%a9") == "été")
        #expect(PercentEncoding.decode("/a/b%2Fc") == "/a/b/c")
    }

    @Test("a malformed escape stays as written", arguments: ["%", "%4", "a%zz", "%%41", "100%", "%g0"])
    func malformedEscapesStay(_ text: String) {
        let expected = text == "%%41" ? "%A" : text
        #expect(PercentEncoding.decode(text) == expected)
    }

    @Test("bytes that are not UTF-8 become U+FFFD, never a trap")
    func invalidUTF8() {
        #expect(PercentEncoding.decode("%FF%C3") == "\u{FFFD}\u{FFFD}")
        #expect(PercentEncoding.decode("x%80y") == "x\u{FFFD}y")
    }

    @Test("`+` is a space only in form bodies")
    func plus() {
        #expect(PercentEncoding.decode(Array("a+b%2B".utf8), plusIsSpace: true) == "a b+")
        #expect(PercentEncoding.decode(Array("a+b%2B".utf8)) == "a+b+")
        #expect(PercentEncoding.decode("a+b") == "a+b")
    }

    @Test("decoding works on any collection of bytes, a slice included")
    func slices() {
        let bytes = Array("xx%41yy".utf8)
        #expect(PercentEncoding.decode(bytes[2..<5]) == "A")
        #expect(PercentEncoding.decode(bytes[2..<4]) == "%4")
    }

    @Test("encoding keeps unreserved characters and writes upper-case escapes")
    func encodes() {
        #expect(PercentEncoding.encode("a b/é~-._") == "a%20b%2F%C3%A9~-._")
        #expect(PercentEncoding.encode("a b/c") { PercentEncoding.isUnreserved($0) || $0 == UInt8(ascii: "/") } == "a%20b/c")
        #expect(PercentEncoding.encode("\u{0}") == "%00")
    }

    @Test("only letters, digits and -._~ are unreserved")
    func unreserved() {
        let kept = (0...255).map(UInt8.init).filter(PercentEncoding.isUnreserved)
        #expect(String(decoding: kept, as: UTF8.self) == "-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~")
    }

    @Test("decoding what was encoded gives the text back, for every byte value and a sample of text")
    func roundTrip() {
        var texts = (0...0x7F).map { String(Unicode.Scalar(UInt8($0))) }
        texts += ["", "%", "%25", "a+b", "C:\\Program Files\\x", "日本語 テキスト", "emoji 🇪🇺", "~/.config/eccoe"]
        for text in texts {
            #expect(PercentEncoding.decode(PercentEncoding.encode(text)) == text)
            #expect(PercentEncoding.decode(Array(PercentEncoding.encode(text).utf8), plusIsSpace: true) == text)
        }
    }
}
