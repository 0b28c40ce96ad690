import EmbeddedSchemas
public import JSONSyntax

/// The level of a criterion: what a document must (mandatory), should (recommended) or may (optional) contain.
public enum CriterionLevel: String, Sendable, Hashable, CaseIterable {
    case mandatory, recommended, optional
}

/// One quality criterion of the catalogue (`Schemas/criteria.json`): what it asks, why, where it comes
/// from, how serious a finding is, and which documents and elements it concerns.
public struct Criterion: Sendable, Hashable, Identifiable {
    /// Stable ID such as `MC-07`: a prefix per kind and a two-digit number.
    public var id: String
    public var title: String
    /// What a document must contain, in one or two sentences.
    public var requirement: String
    /// Why it matters for recognition.
    public var rationale: String
    /// The criterion for the public, per language tag (`en` always): one or two short sentences without
    /// property names or modelling terms. The consultation form leads with it; see `plainStatement(in:)`.
    public var plain: [String: String]
    /// Where it comes from (legal text, ELM profile, ECCOE).
    public var source: String
    public var level: CriterionLevel
    /// The document kinds it applies to.
    public var kinds: [DocumentKind]
    /// Where the element lives: dot-separated keys from the document root, array indices left out.
    public var elmPaths: [String]
    /// For credential criteria: the claim types it applies to (empty: all claims).
    public var claimTypes: [String]
    /// True when the criterion needs the documents an agreement references (`scope: workspace`).
    public var isWorkspaceScoped: Bool
    /// Bundled vocabularies (names in `vocabularies/`, without `.json`) the check uses.
    public var vocabularies: [String]
}

/// The criteria catalogue: the parsed `Schemas/criteria.json`, embedded in the binary. Every finding of
/// the checker names one of its criteria; consultation responses record its version.
public struct Catalogue: Sendable {
    /// Semantic version of the catalogue, e.g. `1.0.0`.
    public let version: String
    public let title: String
    public let description: String
    /// Criteria in display order.
    public let criteria: [Criterion]
    /// Severity of a finding for each level (`severityByLevel`).
    public let severityByLevel: [CriterionLevel: Severity]
    /// Per kind, the criterion under which schema violations fall when no more specific criterion applies.
    public let profileCriteria: [DocumentKind: String]
    /// How schema violations are attributed to criteria, in words.
    public let findingPolicy: String
    /// The catalogue's exact JSON text.
    public let json: String
    /// The ids of the credential criteria restricted to some claim types (`Criterion.claimTypes`: the
    /// micro-credential criteria, which judge learning achievements), in display order.
    public let claimRestrictedCriteria: [String]
    /// Every claim type some credential criterion is restricted to (the union of their `claimTypes`).
    public let restrictedClaimTypes: Set<String>
    private let index: [String: Int]

    /// The catalogue compiled into the binary.
    public static let standard: Catalogue = {
        // The embedded file is checked by the tests; a broken one is a build defect, shown as an empty catalogue.
        (try? Catalogue(json: SchemaFiles.text("criteria.json") ?? "")) ?? Catalogue.empty
    }()

    static let empty = Catalogue(
        version: "0.0.0", title: "", description: "", criteria: [], severityByLevel: [:],
        profileCriteria: [:], findingPolicy: "", json: "{}")

    private init(
        version: String, title: String, description: String, criteria: [Criterion],
        severityByLevel: [CriterionLevel: Severity], profileCriteria: [DocumentKind: String], findingPolicy: String,
        json: String
    ) {
        self.version = version
        self.title = title
        self.description = description
        self.criteria = criteria
        self.severityByLevel = severityByLevel
        self.profileCriteria = profileCriteria
        self.findingPolicy = findingPolicy
        self.json = json
        var index: [String: Int] = [:]
        for (i, c) in criteria.enumerated() { index[c.id] = i }
        self.index = index
        let restricted = criteria.filter { $0.kinds.contains(.credential) && !$0.claimTypes.isEmpty }
        claimRestrictedCriteria = restricted.map(\.id)
        restrictedClaimTypes = Set(restricted.flatMap(\.claimTypes))
    }

    /// A problem in a catalogue text.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses a catalogue text (the format of `criteria.schema.json`).
    public init(json: String) throws(FormatError) {
        let tree = SyntaxTree(parsing: json)
        if let error = tree.diagnostics.first(where: { $0.severity == .error }) {
            throw FormatError(
                message: "criteria catalogue: JSON syntax error at byte \(error.range.lowerBound): \(error.message)")
        }
        let root = tree.root
        func string(_ node: SyntaxNode, _ key: String) throws(FormatError) -> String {
            guard let s = node.value(forKey: key)?.stringValue else {
                throw FormatError(message: "criteria catalogue: `\(key)` missing at \(node.pointer)")
            }
            return s
        }
        func strings(_ node: SyntaxNode, _ key: String) -> [String] {
            node.value(forKey: key)?.elements.compactMap(\.stringValue) ?? []
        }
        func languageMap(_ node: SyntaxNode, _ key: String) -> [String: String] {
            var map: [String: String] = [:]
            guard let value = node.value(forKey: key) else { return map }
            for member in value.members {
                if let text = member.value.stringValue, !text.isEmpty { map[member.name] = text }
            }
            return map
        }
        var criteria: [Criterion] = []
        for c in root.value(forKey: "criteria")?.elements ?? SyntaxTree(parsing: "[]").root.elements {
            let levelText = try string(c, "level")
            guard let level = CriterionLevel(rawValue: levelText) else {
                throw FormatError(message: "criteria catalogue: unknown level `\(levelText)` at \(c.pointer)")
            }
            var kinds: [DocumentKind] = []
            for k in strings(c, "kinds") {
                guard let kind = DocumentKind(rawValue: k) else {
                    throw FormatError(message: "criteria catalogue: unknown kind `\(k)` at \(c.pointer)")
                }
                kinds.append(kind)
            }
            criteria.append(
                Criterion(
                    id: try string(c, "id"), title: try string(c, "title"), requirement: try string(c, "requirement"),
                    rationale: try string(c, "rationale"), plain: languageMap(c, "plain"), source: try string(c, "source"),
                    level: level, kinds: kinds,
                    elmPaths: strings(c, "elmPaths"), claimTypes: strings(c, "claimTypes"),
                    isWorkspaceScoped: c.value(forKey: "scope")?.stringValue == "workspace",
                    vocabularies: strings(c, "vocabularies")))
        }
        var severities: [CriterionLevel: Severity] = [.mandatory: .error, .recommended: .warning, .optional: .information]
        for member in root.value(forKey: "severityByLevel")?.members ?? SyntaxTree(parsing: "{}").root.members {
            if let level = CriterionLevel(rawValue: member.name),
                let s = member.value.stringValue.flatMap(Severity.init(rawValue:))
            {
                severities[level] = s
            }
        }
        var profiles: [DocumentKind: String] = [:]
        for member in root.value(forKey: "profileCriteria")?.members ?? SyntaxTree(parsing: "{}").root.members {
            if let kind = DocumentKind(rawValue: member.name), let id = member.value.stringValue { profiles[kind] = id }
        }
        self.init(
            version: try string(root, "catalogueVersion"), title: root.value(forKey: "title")?.stringValue ?? "",
            description: root.value(forKey: "description")?.stringValue ?? "", criteria: criteria,
            severityByLevel: severities, profileCriteria: profiles,
            findingPolicy: root.value(forKey: "findingPolicy")?.stringValue ?? "", json: json)
    }

    /// The criterion with this ID.
    public subscript(id: String) -> Criterion? { index[id].map { criteria[$0] } }

    /// The criteria that apply to a document kind, in display order.
    public func criteria(for kind: DocumentKind) -> [Criterion] { criteria.filter { $0.kinds.contains(kind) } }

    /// The severity of a finding under this criterion.
    public func severity(of criterionID: String) -> Severity {
        // Reads the one field in place: copying a whole `Criterion` per finding showed up in profiles.
        guard let i = index[criterionID] else { return .error }
        return severityByLevel[criteria[i].level] ?? .error
    }

    /// The title of a criterion, read in place.
    package func title(of criterionID: String) -> String? { index[criterionID].map { criteria[$0].title } }

    /// The claim types a criterion is limited to, read in place.
    package func claimTypes(of criterionID: String) -> [String]? { index[criterionID].map { criteria[$0].claimTypes } }
}

extension Criterion {
    /// The plain statement in `language` (its primary subtag is tried too: `fr-BE` reads `fr`), else in English,
    /// with the language it is actually in, so that a page can mark a fallback. Nil when the criterion has none.
    public func plainStatement(in language: String) -> (text: String, language: String)? {
        if let t = plain[language] { return (t, language) }
        if let primary = language.split(separator: "-").first.map(String.init), let t = plain[primary] { return (t, primary) }
        if let t = plain["en"] { return (t, "en") }
        return nil
    }
}
