/// Text made safe for HTML and CSS. Everything an agreement says passes through here before it reaches the
/// rendered page, so no string in an agreement can become markup, a style or a link it does not declare.
enum HTMLText {
    /// Escapes `&`, `<`, `>`, `"` and `'`; drops C0 control characters other than tab and line breaks (HTML
    /// does not allow them) and the bidirectional embedding, override and isolate controls (U+202A–U+202E,
    /// U+2066–U+2069), which could make a printed clause read differently from its text.
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
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            case _ where (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value): continue
            case _ where (0xFDD0...0xFDEF).contains(scalar.value) || scalar.value & 0xFFFE == 0xFFFE: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A CSS string literal (with its quotes) holding `text`: quotes, backslashes and line breaks escaped,
    /// `<` and `>` as hexadecimal escapes so that the style element cannot be closed from inside it, and the
    /// characters `escape` drops left out.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n", "\r": out += "\\A "
            case "<": out += "\\3C "
            case ">": out += "\\3E "
            case "&": out += "\\26 "
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            case _ where (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Whether a web address may become a link: http or https, with no space or control character.
    static func isLinkable(_ url: String) -> Bool {
        let lower = url.lowercased()
        return (lower.hasPrefix("https://") || lower.hasPrefix("http://")) && url.count > 8
            && !url.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "<" || $0 == ">" }
    }

    /// A language tag fit for a `lang` attribute (letters, digits and `-`), else nil.
    static func languageTag(_ code: String) -> String? {
        guard !code.isEmpty, code.count <= 35,
            code.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains(Character($0)) || $0 == "-")
            })
        else { return nil }
        return code
    }
}
