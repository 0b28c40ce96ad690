import HTMLText

/// The collector's name for the project's one HTML escaper (module `HTMLText`, shared with the published
/// catalogue): every text that reaches a page goes through it.
enum HTML {
    static func escape(_ text: String) -> String { HTMLText.HTML.escape(text) }
    static func inlineCode(_ text: String) -> String { HTMLText.HTML.inlineCode(text) }
    static func paragraphs(_ text: String) -> String { HTMLText.HTML.paragraphs(text) }
}

/// `application/x-www-form-urlencoded` decoding (WHATWG URL standard): `+` is a space, `%XX` a byte;
/// invalid UTF-8 becomes U+FFFD and a stray `%` stays as it is. Never fails.
enum FormDecoding {
    static func pairs(_ bytes: [UInt8]) -> [(String, String)] {
        bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { part in
            if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                return (decode(part[part.startIndex..<eq]), decode(part[(eq + 1)...]))
            }
            return (decode(part), "")
        }
    }

    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(32)
            } else if b == UInt8(ascii: "%"), i + 2 < bytes.endIndex, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: b - 48
        case 65...70: b - 55
        case 97...102: b - 87
        default: nil
        }
    }

    /// Percent-encodes a query or form value.
    static func encode(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            switch b {
            case 48...57, 65...90, 97...122, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
