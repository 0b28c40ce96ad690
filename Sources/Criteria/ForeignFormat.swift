import JSONSyntax

/// A file that is not JSON at all (Turtle, XML, HTML, YAML, plain text, …) handed to the checker: one finding
/// that says so and what the file looks like, instead of the parser's diagnostic for every token of it (an
/// RDF/Turtle file of the EC's shapes gave a thousand).
///
/// A file is taken for foreign when its first character (after a byte-order mark and white space) cannot
/// begin any JSON value and the parser found errors. A broken JSON document (a missing comma, a stray
/// bracket) begins like JSON and keeps its precise diagnostics. Sealed credentials (a compact JWS begins with
/// letters) are recognised before this is asked.
enum ForeignFormat {
    /// The one finding for a foreign file, or nil when the document begins like JSON or parsed cleanly.
    static func finding(_ tree: SyntaxTree) -> Finding? {
        guard tree.diagnostics.contains(where: { $0.severity == .error }) else { return nil }
        let bytes = tree.bytes
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "/"):
            // JSON's values (a `/` begins a JSONC comment) and the literals' first letters: a typo there is a JSON mistake.
            return nil
        case UInt8(ascii: "-")
        where start + 1 >= bytes.count || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[start + 1]):
            return nil  // a negative number, or a lone minus
        default: break
        }
        var end = start
        while end < bytes.count, end - start < maxQuotedBytes, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        // Cut at a character boundary.
        while end > start, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        let firstLine = String(decoding: bytes[start..<end], as: UTF8.self)
        let guess = looksLike(firstLine).map { " (it looks like \($0))" } ?? ""
        return Finding(
            criterionID: nil, code: "not-json", severity: .error, range: start..<end,
            message: "not a JSON document\(guess): it begins with `\(firstLine)`; eccoe checks JSON and JSON-LD documents")
    }

    /// How much of the first line the message quotes, in bytes.
    static let maxQuotedBytes = 60

    /// What a first line suggests the file is.
    static func looksLike(_ line: String) -> String? {
        let lower = line.lowercased()
        if lower.hasPrefix("@prefix") || lower.hasPrefix("@base") || lower.hasPrefix("prefix ") { return "RDF Turtle" }
        if lower.hasPrefix("<?xml") || lower.hasPrefix("<rdf:") { return "XML" }
        if lower.hasPrefix("<!doctype html") || lower.hasPrefix("<html") { return "HTML" }
        if lower.hasPrefix("%pdf") { return "a PDF" }
        if lower.hasPrefix("---") { return "YAML" }
        return nil
    }
}
