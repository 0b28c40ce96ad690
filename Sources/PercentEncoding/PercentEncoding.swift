/// Percent-encoding (RFC 3986 §2.1): the one reader and writer of `%XX` escapes, used by the HTTP layer
/// (paths, queries, form bodies), by JSON Schema (`$ref` fragments) and by the language server (`file://`
/// URIs).
///
/// Decoding never fails and never traps: a `%` not followed by two hexadecimal digits stays as written, and
/// bytes that do not form UTF-8 become U+FFFD. Encoding writes upper-case hexadecimal digits, as RFC 3986
/// §2.1 recommends.
public enum PercentEncoding {
    /// RFC 3986 §2.3 unreserved characters: letters, digits, `-`, `.`, `_` and `~`. They never need escaping.
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// The text `bytes` spell once their escapes are decoded. With `plusIsSpace` (the
    /// `application/x-www-form-urlencoded` rule of the WHATWG URL standard), `+` is a space; otherwise it is
    /// itself.
    public static func decode<C: Collection>(_ bytes: C, plusIsSpace: Bool = false) -> String
    where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                let first = bytes.index(after: i)
                if first < bytes.endIndex, let high = hexValue(bytes[first]) {
                    let second = bytes.index(after: first)
                    if second < bytes.endIndex, let low = hexValue(bytes[second]) {
                        out.append(high << 4 | low)
                        i = bytes.index(after: second)
                        continue
                    }
                }
                out.append(b)
            } else if b == UInt8(ascii: "+") && plusIsSpace {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(b)
            }
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text` with its escapes decoded (`+` is itself); `text` unchanged when it holds no `%`.
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        return decode(text.utf8)
    }

    /// `text` with every byte of its UTF-8 that `keeping` refuses written as `%XX`. The default keeps only
    /// the unreserved characters, which suits a query or form value.
    public static func encode(_ text: String, keeping: (UInt8) -> Bool = isUnreserved) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if b < 0x80 && keeping(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hexDigits[Int(b >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hexDigits[Int(b & 15)]))
            }
        }
        return out
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
