import Criteria

/// What the site needs from the bundled vocabularies: English labels for concept IRIs (ISCED-F fields,
/// EQF levels, countries, languages, modes, assessment types…) and the names of language-map keys.
struct Labels: Sendable {
    let vocabularies: Vocabularies
    /// ISO 639-1 code (`de`) → English name (`German`).
    private let languageNames: [String: String]
    /// Language authority IRI (`…/language/DEU`) → ISO 639-1 code (`de`).
    private let languageCodes: [String: String]

    static let iscedPrefix = "http://data.europa.eu/snb/isced-f/"
    static let eqfPrefix = "http://data.europa.eu/snb/eqf/"

    init(vocabularies: Vocabularies) {
        self.vocabularies = vocabularies
        var names: [String: String] = [:]
        var codes: [String: String] = [:]
        for concept in vocabularies.vocabularies["languages"]?.concepts ?? [] {
            guard let two = concept.altNotations.first(where: { $0.utf8.count == 2 }) else { continue }
            let code = two.lowercased()
            if names[code] == nil { names[code] = concept.label }
            codes[concept.iri] = code
        }
        languageNames = names
        languageCodes = codes
    }

    /// "German" for `de`, "German (Austria)"-like tags keep their region as written (`German, de-at`);
    /// an unknown or empty tag is shown as it is (or "Language not given").
    func languageName(_ tag: String) -> String {
        if tag.isEmpty { return "Language not given" }
        let primary = String(tag.split(separator: "-").first ?? "")
        guard let name = languageNames[primary] else { return tag }
        return primary == tag ? name : "\(name) (\(tag))"
    }

    /// The ISO 639-1 code of a language authority IRI (`…/language/ENG` → `en`).
    func languageCode(forIRI iri: String) -> String? { languageCodes[iri] }

    /// The English label of a concept IRI from the bundled vocabularies.
    func label(forIRI iri: String) -> String? { vocabularies.concept(forIRI: iri)?.label }

    /// The ISCED-F code of a field IRI (`…/isced-f/0613` → `0613`), if the IRI has that shape.
    static func iscedCode(_ iri: String) -> String? {
        guard iri.hasPrefix(iscedPrefix) else { return nil }
        let code = iri.dropFirst(iscedPrefix.utf8.count)
        guard (2...4).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(code)
    }

    /// The EQF level of a level IRI (`…/eqf/6` → 6).
    static func eqfLevel(_ iri: String) -> Int? {
        guard iri.hasPrefix(eqfPrefix), let n = Int(iri.dropFirst(eqfPrefix.utf8.count)), (1...8).contains(n) else { return nil }
        return n
    }

    /// The English label of an ISCED-F code from the bundled vocabulary.
    func fieldLabel(_ code: String) -> String? { label(forIRI: Labels.iscedPrefix + code) }

    /// The EQF vocabulary's summary of a level.
    func eqfDescription(_ level: Int) -> String? { vocabularies.concept(forIRI: Labels.eqfPrefix + String(level))?.definition }
}
