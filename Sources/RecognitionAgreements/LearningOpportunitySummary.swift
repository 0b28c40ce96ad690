public import Criteria
public import JSONSyntax

/// An institution as a learning-opportunity document describes it (an ELM `Organisation`).
public struct InstitutionSummary: Sendable, Hashable {
    /// The organisation's node `id`, when it has one.
    public var nodeID: String?
    public var legalName: LanguageText
    /// EU country authority IRI of its (first) address.
    public var country: String?
    /// Official identifiers: (agreement scheme, value, scheme name as the document gives it).
    public var identifiers: [Identifier]
    public var homepage: String?
    public var email: String?

    public struct Identifier: Sendable, Hashable {
        /// One of the agreement format's schemes: eidas, national, vat, other.
        public var scheme: String
        public var value: String
        public var schemeName: String?
    }
}

/// A learning opportunity as a recognition agreement needs it, read from its ELM v3 document (LOQ profile):
/// what identifies it, who provides it, and what the agreement carries over (credits, level, fields,
/// languages, learning outcomes). Reading never fails on content: what is missing stays nil or empty, and
/// `gaps` says so in words for the person drafting.
public struct LearningOpportunitySummary: Sendable {
    public var id: String
    public var title: LanguageText
    public var providers: [InstitutionSummary]
    /// ECTS credits of the (first) specification's ECTS `creditPoint`.
    public var credits: Double?
    /// EQF level IRI.
    public var eqfLevel: String?
    /// ISCED-F IRIs.
    public var fieldsOfEducation: [String]
    /// Language authority IRIs of instruction.
    public var languages: [String]
    public var learningOutcomes: [(id: String, title: LanguageText)]
    public var homepage: String?
    /// Whether the assessment's grading scheme is pass/fail.
    public var isPassFail: Bool
    /// The body named as accrediting the specification or its provider.
    public var qualityAssuranceAgency: String?
    /// ISO 639-1 codes of the languages the texts are written in, most used first.
    public var textLanguages: [String]
    /// What the document does not give that an agreement would carry over.
    public var gaps: [String]

    /// Why a document cannot be drafted from.
    public enum ReadError: Error, Sendable, CustomStringConvertible {
        case invalidJSON(String)
        case notALearningOpportunity(DocumentKind?)
        case noID

        public var description: String {
            switch self {
            case .invalidJSON(let message): "not valid JSON: \(message)"
            case .notALearningOpportunity(let kind?):
                "is a \(kind.displayName), not a learning opportunity (an ELM `LearningOpportunity` document)"
            case .notALearningOpportunity(nil): "is not a learning opportunity (an ELM `LearningOpportunity` document)"
            case .noID: "has no top-level `id`: an agreement refers to a learning opportunity by its id, so give it one"
            }
        }
    }

    static let ectsIRI = "http://data.europa.eu/snb/education-credit/6fcec5c5af"

    /// Reads a parsed document found at `path` (the path only serves kind detection by file name).
    public init(reading tree: SyntaxTree, path: String?) throws(ReadError) {
        if let error = tree.diagnostics.first(where: { $0.severity == .error }) {
            let p = tree.position(of: error.range.lowerBound, encoding: .utf8)
            throw .invalidJSON("\(error.message) at line \(p.line + 1), column \(p.character + 1)")
        }
        let kind = DocumentKind.detect(tree, path: path)
        guard kind == .learningOpportunity else { throw .notALearningOpportunity(kind) }
        let document = ELMDocument(JSONValue(tree.root))
        let root = document.root
        guard let id = root["id"]?.stringValue, !id.trimmingSpaces.isEmpty else { throw .noID }
        self.id = id
        title = LanguageText(root["title"])
        providers = document.values(root, "providedBy").map { document.institution($0) }
        let specification = document.values(root, "learningAchievementSpecification").first ?? .object([])
        credits = nil
        for credit in document.values(specification, "creditPoint")
        where document.values(credit, "framework").contains(where: { document.iri($0) == Self.ectsIRI }) {
            if let point = document.values(credit, "point").first {
                credits = point.stringValue.flatMap(Double.init) ?? point.doubleValue
            }
            if credits != nil { break }
        }
        eqfLevel = document.values(specification, "eqfLevel").first.flatMap(document.iri)
        fieldsOfEducation = document.values(specification, "thematicArea").compactMap(document.iri).uniqued
        languages = document.values(specification, "language").compactMap(document.iri).uniqued
        var outcomes: [(String, LanguageText)] = []
        for (n, outcome) in document.values(specification, "learningOutcome").enumerated() {
            let text = LanguageText(outcome["title"])
            guard !text.isEmpty else { continue }
            var outcomeID = outcome["id"]?.stringValue ?? "outcome-\(n + 1)"
            if outcomes.contains(where: { $0.0 == outcomeID }) { outcomeID += "-\(n + 1)" }
            outcomes.append((outcomeID, text))
        }
        learningOutcomes = outcomes
        homepage =
            document.values(root, "homepage").lazy.compactMap { $0["contentURL"]?.stringValue ?? $0.stringValue }.first
            ?? document.values(specification, "homepage").lazy.compactMap { $0["contentURL"]?.stringValue }.first
        let schemes = document.values(specification, "provenBy").flatMap { document.values($0, "gradingScheme") }
        isPassFail = schemes.contains { scheme in
            let words = (LanguageText(scheme["title"]).texts + LanguageText(scheme["description"]).texts).map {
                $0.text.lowercased()
            }
            return words.contains { $0.contains("pass") && ($0.contains("fail") || $0.contains("/")) }
        }
        qualityAssuranceAgency =
            (document.values(specification, "accreditation")
            + document.values(root, "providedBy").flatMap { document.values($0, "accreditation") })
            .lazy.compactMap { document.values($0, "accreditingAgent").first }
            .map { LanguageText($0["legalName"]).text() }.first { !$0.isEmpty }
        var counts: [String: Int] = [:]
        for text in [title] + outcomes.map(\.1) { for (l, _) in text.texts where !l.isEmpty { counts[l, default: 0] += 1 } }
        textLanguages = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)

        var gaps: [String] = []
        if providers.isEmpty { gaps.append("no provider (`providedBy`): the issuing party is left to fill in") }
        if credits == nil { gaps.append("no ECTS credits: the credits to recognise are left to fill in") }
        if outcomes.isEmpty { gaps.append("no learning outcomes: the coverage of the module's outcomes cannot be mapped") }
        if eqfLevel == nil { gaps.append("no EQF level") }
        self.gaps = gaps
    }
}

/// An ELM JSON-LD document read as values: "one value or an array" properties flattened, and objects that
/// only reference a node (`{"id": …}`) replaced by the full node with that id elsewhere in the document.
struct ELMDocument {
    let root: JSONValue
    private var nodes: [String: JSONValue] = [:]

    init(_ root: JSONValue) {
        self.root = root
        var nodes: [String: JSONValue] = [:]
        var stack = [root]
        while let value = stack.popLast() {
            switch value {
            case .object(let members):
                if let id = value["id"]?.stringValue, members.contains(where: { $0.0 != "id" && $0.0 != "type" }),
                    nodes[id] == nil
                {
                    nodes[id] = value
                }
                stack += members.map(\.1)
            case .array(let items):
                stack += items
            default:
                break
            }
        }
        self.nodes = nodes
    }

    /// The values of `key` on an object, each resolved.
    func values(_ object: JSONValue, _ key: String) -> [JSONValue] {
        guard let value = object[key] else { return [] }
        let items = value.arrayValue ?? [value]
        return items.filter { !$0.isNull }.map(resolve)
    }

    func resolve(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value, let id = value["id"]?.stringValue,
            members.allSatisfy({ $0.0 == "id" || $0.0 == "type" }), let full = nodes[id]
        else { return value }
        return full
    }

    /// The IRI of a concept value (the object's `id`, or the string itself).
    func iri(_ value: JSONValue) -> String? { value.stringValue ?? value["id"]?.stringValue }

    func institution(_ organisation: JSONValue) -> InstitutionSummary {
        var identifiers: [InstitutionSummary.Identifier] = []
        for (key, scheme) in [
            ("eIDASIdentifier", "eidas"), ("registration", "national"), ("vatIdentifier", "vat"),
            ("taxIdentifier", "other"), ("identifier", "other"),
        ] {
            for identifier in values(organisation, key) {
                guard let notation = identifier["notation"]?.stringValue ?? identifier.stringValue,
                    !notation.trimmingSpaces.isEmpty
                else { continue }
                identifiers.append(.init(scheme: scheme, value: notation, schemeName: identifier["schemeName"]?.stringValue))
            }
        }
        let country = values(organisation, "location").lazy.flatMap { self.values($0, "address") }
            .compactMap { self.values($0, "countryCode").first.flatMap(self.iri) }.first
        let homepage = values(organisation, "homepage").lazy.compactMap { $0["contentURL"]?.stringValue ?? $0.stringValue }.first
        let email = values(organisation, "contactPoint").lazy.flatMap { self.values($0, "emailAddress") }
            .compactMap {
                ($0["id"]?.stringValue ?? $0.stringValue).map { $0.hasPrefix("mailto:") ? String($0.dropFirst(7)) : $0 }
            }.first
        return InstitutionSummary(
            nodeID: organisation["id"]?.stringValue, legalName: LanguageText(organisation["legalName"]),
            country: country, identifiers: identifiers, homepage: homepage, email: email)
    }
}

extension JSONValue {
    var doubleValue: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, first occurrence kept.
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
