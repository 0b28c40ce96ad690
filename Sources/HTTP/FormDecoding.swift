import PercentEncoding

/// `application/x-www-form-urlencoded` (WHATWG URL standard): `+` is a space in forms, `%XX` a byte
/// (decoded by `PercentEncoding`: invalid UTF-8 becomes U+FFFD and a stray `%` stays as it is). Never fails,
/// never traps (fuzzed with the request parser: `Tools/fuzz/fuzz.sh http`).
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
    public static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        PercentEncoding.decode(bytes, plusIsSpace: true)
    }

    /// Percent-encodes a query or form value (everything but unreserved characters).
    public static func encode(_ text: String) -> String { PercentEncoding.encode(text) }
}
