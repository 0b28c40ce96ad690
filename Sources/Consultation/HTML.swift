/// The one HTML escaper: every text that reaches a page goes through it (stored XSS is a bug class of the
/// collectors we learn from). Attribute values are always double-quoted and escaped the same way.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escaped text in which `code` spans (the catalogue's Markdown backticks) become `<code>` elements.
    static func inlineCode(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        // Only balanced backticks make code spans; otherwise the text is shown as it is.
        guard parts.count >= 3, parts.count % 2 == 1 else { return escape(text) }
        var out = ""
        for (i, part) in parts.enumerated() {
            out += i % 2 == 1 ? "<code>\(escape(String(part)))</code>" : escape(String(part))
        }
        return out
    }

    /// Paragraphs from text with blank lines.
    static func paragraphs(_ text: String) -> String {
        text.split(separator: "\n\n").map { "<p>\(inlineCode(String($0)))</p>" }.joined(separator: "\n")
    }
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
