import EmbeddedSchemas
import JSONSyntax

/// One concept of a bundled controlled vocabulary.
public struct Concept: Sendable, Hashable {
    /// The concept's IRI (for language-map keys: the code itself).
    public var iri: String
    /// Its code, e.g. `0613`, `ENG`, `795dac4096`.
    public var notation: String
    /// Other codes (ISO 639-1 for a language, alpha-2 and numeric for a country).
    public var altNotations: [String]
    /// English label.
    public var label: String
    public var definition: String?
    /// The vocabulary's name: its file name in `vocabularies/` without `.json`, e.g. `isced-f`.
    public var vocabulary: String
}

/// The controlled vocabularies bundled in `Schemas/vocabularies/` (EQF, ISCED-F, ELM vocabularies, ISO
/// countries and languages), for checks, fix suggestions, completion and hover.
public struct Vocabularies: Sendable {
    /// One vocabulary: its name, title and concepts in file order.
    public struct Vocabulary: Sendable {
        public var name: String
        public var title: String
        public var conceptScheme: String?
        public var concepts: [Concept]
    }

    /// Vocabularies by name.
    public let vocabularies: [String: Vocabulary]
    private let byIRI: [String: Concept]
    private let byVocabularyAndIRI: [String: [String: Int]]

    /// The vocabularies compiled into the binary.
    public static let standard = Vocabularies(
        files: SchemaFiles.paths.filter {
            $0.hasPrefix("vocabularies/") && $0.hasSuffix(".json") && !$0.hasSuffix(".schema.json")
        }.compactMap { path in SchemaFiles.text(path).map { (path, $0) } })

    /// Reads vocabulary files given as (path, JSON text); files without `concepts` are skipped.
    public init(files: [(path: String, text: String)]) {
        var vocabularies: [String: Vocabulary] = [:]
        var byIRI: [String: Concept] = [:]
        var byVocabularyAndIRI: [String: [String: Int]] = [:]
        for (path, text) in files {
            let fileName = path.split(separator: "/").last.map(String.init) ?? path
            let name = fileName.hasSuffix(".json") ? String(fileName.dropLast(5)) : fileName
            let root = SyntaxTree(parsing: text).root
            guard let list = root.value(forKey: "concepts"), list.kind == .array else { continue }
            var concepts: [Concept] = []
            var index: [String: Int] = [:]
            for c in list.elements {
                guard let iri = c.value(forKey: "id")?.stringValue else { continue }
                let concept = Concept(
                    iri: iri, notation: c.value(forKey: "notation")?.stringValue ?? iri,
                    altNotations: c.value(forKey: "altNotation")?.elements.compactMap(\.stringValue) ?? [],
                    label: c.value(forKey: "label")?.value(forKey: "en")?.stringValue
                        ?? c.value(forKey: "label")?.members.first(where: { _ in true })?.value.stringValue ?? iri,
                    definition: c.value(forKey: "definition")?.stringValue, vocabulary: name)
                index[iri] = concepts.count
                concepts.append(concept)
                if byIRI[iri] == nil { byIRI[iri] = concept }
            }
            vocabularies[name] = Vocabulary(
                name: name, title: root.value(forKey: "title")?.stringValue ?? name,
                conceptScheme: root.value(forKey: "conceptScheme")?.stringValue,
                concepts: concepts)
            byVocabularyAndIRI[name] = index
        }
        self.vocabularies = vocabularies
        self.byIRI = byIRI
        self.byVocabularyAndIRI = byVocabularyAndIRI
    }

    /// The concept with this IRI in any bundled vocabulary: its label, definition and vocabulary name.
    public func concept(forIRI iri: String) -> (label: String, definition: String?, vocabulary: String)? {
        byIRI[iri].map { ($0.label, $0.definition, $0.vocabulary) }
    }

    /// The concept with this IRI in the named vocabulary.
    public func concept(_ iri: String, in vocabulary: String) -> Concept? {
        guard let v = vocabularies[vocabulary], let k = byVocabularyAndIRI[vocabulary]?[iri] else { return nil }
        return v.concepts[k]
    }

    /// Whether the named vocabulary holds the IRI.
    public func contains(_ iri: String, in vocabulary: String) -> Bool { byVocabularyAndIRI[vocabulary]?[iri] != nil }

    /// Concepts matching what an author typed, best first: the code or notation (`0613`, `ENG`, `de`)
    /// exactly or as a prefix, or every typed word as the start of a word of the label ("soft" finds
    /// ISCED-F 0613 "Software and applications development and analysis"). `vocabulary` nil: all.
    /// At most `limit` results.
    public func search(_ text: String, in vocabulary: String? = nil, limit: Int = 50) -> [Concept] {
        let query = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let whole = text.lowercased().trimmingWhitespace
        let names = vocabulary.map { [$0] } ?? vocabularies.keys.sorted()
        var scored: [(Int, Int, Concept)] = []
        var order = 0
        for name in names {
            for c in vocabularies[name]?.concepts ?? [] {
                order += 1
                let codes = ([c.notation] + c.altNotations).map { $0.lowercased() }
                var score: Int?
                if whole.isEmpty {
                    score = 3
                } else if codes.contains(whole) || c.iri.lowercased() == whole {
                    score = 0
                } else if codes.contains(where: { $0.hasPrefix(whole) }) {
                    score = 1
                } else if !query.isEmpty {
                    let words = c.label.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                    if query.allSatisfy({ q in words.contains { $0.hasPrefix(q) } }) { score = 2 }
                }
                if let score { scored.append((score, order, c)) }
            }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        return scored.prefix(max(0, limit)).map(\.2)
    }
}

extension String {
    /// The text without leading and trailing Unicode white space (the package's rules use it too).
    package var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
