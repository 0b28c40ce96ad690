import JSONSyntax

/// A text with the language it is written in: a lower-case BCP 47 tag such as `de` or `pt-br`, or ""
/// when the document's language key is not a usable tag.
struct LocalText: Sendable, Hashable {
    var text: String
    var lang: String

    /// The `lang` attribute the text needs on an English page: nil for English, "" for unknown.
    var htmlLang: String? { lang == "en" ? nil : lang }
}

/// An ELM language map (`{"en": "…", "de": "…"}`, values a string or an array of strings): the first
/// non-empty text of each language, in document order. Keys are lower-cased; a key that is not a
/// language tag becomes "" (unknown); a key seen again after normalising is ignored.
struct LanguageMap: Sendable, Hashable {
    private(set) var entries: [LocalText] = []

    init() {}

    init(_ node: SyntaxNode?) {
        guard let node else { return }
        switch node.kind {
        case .object:
            for member in node.members {
                let lang = LanguageMap.tag(member.name)
                guard !entries.contains(where: { $0.lang == lang }), let text = LanguageMap.firstText(member.value) else {
                    continue
                }
                entries.append(LocalText(text: text, lang: lang))
            }
        case .string:
            // A plain string where a language map belongs: shown, language unknown.
            if let text = LanguageMap.firstText(node) { entries.append(LocalText(text: text, lang: "")) }
        default:
            break
        }
    }

    var isEmpty: Bool { entries.isEmpty }
    var languages: [String] { entries.map(\.lang) }

    /// The text in `lang`, if the map has one.
    func text(in lang: String) -> LocalText? { entries.first { $0.lang == lang } }

    /// The text in the first of `preferred` languages the map has, else its first text.
    func text(preferring preferred: [String]) -> LocalText? {
        for lang in preferred { if let t = text(in: lang) { return t } }
        return entries.first
    }

    private static func firstText(_ node: SyntaxNode) -> String? {
        if node.kind == .array {
            for element in node.elements { if let t = firstText(element) { return t } }
            return nil
        }
        guard let s = node.stringValue else { return nil }
        let trimmed = s.trimmed
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A language key as an HTML `lang` value: letters, digits and hyphens in BCP 47's shape, lower-cased;
    /// anything else "" (unknown language).
    static func tag(_ key: String) -> String {
        let lower = key.lowercased()
        let parts = lower.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return ""
        }
        for part in parts.dropFirst()
        where !(1...8).contains(part.count) || !part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            return ""
        }
        return lower
    }
}

extension String {
    /// Without leading and trailing white space (including line ends).
    var trimmed: String {
        // Most texts start and end with a visible ASCII character: nothing to trim.
        if let first = utf8.first, let last = utf8.last, first > 0x20 && first < 0x7F && last > 0x20 && last < 0x7F {
            return self
        }
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
