/// The one HTML escaper of the project: every text that reaches a page (the collector's form and report,
/// the published catalogue) goes through it, because stored XSS is a bug class of the tools we learn from.
/// Attribute values are always double-quoted and escaped the same way as text.
public enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` as character references; NUL as U+FFFD; the other C0 control
    /// characters but tab and line breaks, and DEL, left out (HTML does not allow them); the bidirectional
    /// embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) left out, so that a text cannot
    /// make what follows it read in another order; noncharacters as U+FFFD.
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
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                var replacement: StaticString?
                var length = 1
                switch b {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\""): replacement = "&quot;"
                case UInt8(ascii: "'"): replacement = "&#39;"
                case 0: replacement = "\u{FFFD}"
                case 0x09, 0x0A, 0x0D: break
                case 0x01...0x1F, 0x7F: replacement = ""
                case 0xE2
                where i + 2 < n
                    && ((bytes[i + 1] == 0x80 && (0xAA...0xAE).contains(bytes[i + 2]))
                        || (bytes[i + 1] == 0x81 && (0xA6...0xA9).contains(bytes[i + 2]))):
                    replacement = ""
                    length = 3
                case 0xEF
                where i + 2 < n
                    && ((bytes[i + 1] == 0xB7 && (0x90...0xAF).contains(bytes[i + 2]))
                        || (bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE)):
                    replacement = "\u{FFFD}"
                    length = 3
                case 0xF0...0xF4 where i + 3 < n && bytes[i + 1] & 0x0F == 0x0F && bytes[i + 2] == 0xBF && bytes[i + 3] >= 0xBE:
                    replacement = "\u{FFFD}"
                    length = 4
                default: break
                }
                guard let replacement else {
                    i += 1
                    continue
                }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
                replacement.withUTF8Buffer { out.append(contentsOf: $0) }
                i += length
                runStart = i
            }
            if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
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
