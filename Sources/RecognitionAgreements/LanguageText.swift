public import JSONSyntax

/// A multilingual text as ELM and the agreement format write it (a language map `{"en": "…", "de": "…"}`),
/// keeping the document's order of languages. Array values (ELM allows several texts per language) keep
/// their first text; a plain string counts as a text in no stated language (key "").
public struct LanguageText: Sendable, Hashable {
    public var texts: [(language: String, text: String)]

    public init(_ texts: [(language: String, text: String)] = []) { self.texts = texts }

    public static func == (a: LanguageText, b: LanguageText) -> Bool {
        a.texts.count == b.texts.count && zip(a.texts, b.texts).allSatisfy { $0.language == $1.language && $0.text == $1.text }
    }

    public func hash(into hasher: inout Hasher) {
        for (l, t) in texts {
            hasher.combine(l)
            hasher.combine(t)
        }
    }

    /// Reads a language map, a string, or an array of either; other values give an empty text.
    public init(_ value: JSONValue?) {
        var texts: [(String, String)] = []
        func add(_ language: String, _ value: JSONValue) {
            if let s = value.stringValue, !s.trimmingSpaces.isEmpty {
                texts.append((language, s))
            } else if let first = value.arrayValue?.lazy.compactMap(\.stringValue).first(where: { !$0.trimmingSpaces.isEmpty }) {
                texts.append((language, first))
            }
        }
        switch value {
        case .object(let members)?:
            for (language, text) in members where !texts.contains(where: { $0.0 == language }) { add(language, text) }
        case .string?:
            add("", value!)
        case .array(let items)?:
            for item in items { texts += LanguageText(item).texts.filter { t in !texts.contains { $0.0 == t.language } } }
        default:
            break
        }
        self.texts = texts
    }

    public var isEmpty: Bool { texts.isEmpty }

    /// The text in the first of `languages` that has one, else the first text; nil when empty.
    public func preferred(_ languages: [String] = ["en"]) -> (language: String, text: String)? {
        for l in languages { if let t = texts.first(where: { $0.language == l }) { return t } }
        return texts.first
    }

    /// `preferred(languages)`'s text, or "" when there is none.
    public func text(_ languages: [String] = ["en"]) -> String { preferred(languages)?.text ?? "" }

    /// The language map as JSON (texts without a language go under `fallbackLanguage`).
    public func json(fallbackLanguage: String = "en") -> JSONValue {
        var members: [(String, JSONValue)] = []
        for (l, t) in texts {
            let key = l.isEmpty ? fallbackLanguage : l
            if !members.contains(where: { $0.0 == key }) { members.append((key, .string(t))) }
        }
        return .object(members)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
