/// The one HTML escaper of the project: every text that reaches a page (the collector's form and report,
/// the published catalogue) goes through it, because stored XSS is a bug class of the tools we learn from.
/// Attribute values are always double-quoted and escaped the same way as text.
public enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` as character references and NUL as U+FFFD.
    public static func escape(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        appendEscaped(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` escaped (as `escape` does) to a UTF-8 buffer; plain runs are copied at once.
    public static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for i in 0..<bytes.count {
                let replacement: StaticString
                switch bytes[i] {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&#39;"
                case 0: replacement = "\u{FFFD}"
                default: continue
                }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                replacement.withUTF8Buffer { out.append(contentsOf: $0) }
                runStart = i + 1
            }
            if runStart < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
    }

    /// Escaped text in which `code` spans (the catalogue's Markdown backticks) become `<code>` elements.
    public static func inlineCode(_ text: String) -> String {
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
    public static func paragraphs(_ text: String) -> String {
        text.split(separator: "\n\n").map { "<p>\(inlineCode(String($0)))</p>" }.joined(separator: "\n")
    }
}
