/// `application/x-www-form-urlencoded` (WHATWG URL standard) and percent-encoding: `+` is a space in
/// forms, `%XX` a byte; invalid UTF-8 becomes U+FFFD and a stray `%` stays as it is. Never fails, never
/// traps (fuzzed with the request parser: `Tools/fuzz/fuzz.sh http`).
public enum FormDecoding {
    /// The name-value pairs of a form body or query string, in order (empty parts skipped).
    public static func pairs(_ bytes: [UInt8]) -> [(String, String)] {
        bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { part in
            if let eq = part.firstIndex(of: UInt8(ascii: "=")) {
                return (decode(part[part.startIndex..<eq]), decode(part[(eq + 1)...]))
            }
            return (decode(part), "")
        }
    }

    /// One form-encoded name or value: `+` is a space.
    public static func decode(_ bytes: ArraySlice<UInt8>) -> String { decode(bytes, plusIsSpace: true) }

    /// Percent-decoding alone (a path segment: `+` is itself).
    public static func percentDecode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        decode(ArraySlice(bytes), plusIsSpace: false)
    }

    private static func decode(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") && plusIsSpace {
                out.append(32)
            } else if b == UInt8(ascii: "%"), bytes.endIndex - i > 2, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
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

    /// Percent-encodes a query or form value (everything but unreserved characters).
    public static func encode(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            switch b {
            case 48...57, 65...90, 97...122, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(digits[Int(b >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(digits[Int(b & 15)]))
            }
        }
        return out
    }
}
