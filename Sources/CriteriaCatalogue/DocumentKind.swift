public import JSONSyntax

/// The kinds of document ECCOE checks (PRODUCT.md, "Document kinds").
public enum DocumentKind: String, Sendable, Hashable, CaseIterable {
    /// An ELM v3 European Digital Credential (JSON-LD).
    case credential
    /// An ELM v3 LearningOpportunity (LOQ profile, JSON-LD).
    case learningOpportunity
    /// An ECCOE Model Credit Recognition Agreement.
    case agreement
    /// An ECCOE consultation definition.
    case consultation

    /// The file name of the kind's schema under `Schemas/`.
    public var schemaFileName: String {
        switch self {
        case .credential: "credential.schema.json"
        case .learningOpportunity: "learning-opportunity.schema.json"
        case .agreement: "agreement.schema.json"
        case .consultation: "consultation.schema.json"
        }
    }

    /// The schema's `$id`.
    public var schemaID: String { "https://eccoe.eu/schemas/" + schemaFileName }

    /// The prefix of the kind's own criteria (`MC-`, `LO-`, `AG-`, `CO-`).
    public var criterionPrefix: String {
        switch self {
        case .credential: "MC-"
        case .learningOpportunity: "LO-"
        case .agreement: "AG-"
        case .consultation: "CO-"
        }
    }

    /// Words for messages: "credential", "learning opportunity", …
    public var displayName: String {
        switch self {
        case .credential: "credential"
        case .learningOpportunity: "learning opportunity"
        case .agreement: "recognition agreement"
        case .consultation: "consultation definition"
        }
    }

    /// Detects a document's kind, in this order: a `$schema` naming one of our schemas (by `$id`, or any
    /// path or URL ending in its file name); a file name ending in `.agreement.json` or
    /// `.consultation.json`; a JSON-LD `type` including `EuropeanDigitalCredential` or
    /// `LearningOpportunity`. Nil: unknown, which gets JSON syntax checks only.
    public static func detect(_ tree: SyntaxTree, path: String?) -> DocumentKind? {
        let root = tree.root
        if root.kind == .object, let schema = root.value(forKey: "$schema")?.stringValue {
            for kind in allCases where schema.hasSuffix(kind.schemaFileName) {
                let before = schema.dropLast(kind.schemaFileName.count)
                if before.isEmpty || before.hasSuffix("/") || before.hasSuffix("\\") { return kind }
            }
        }
        if let path {
            let name = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? path
            if name.hasSuffix(".agreement.json") { return .agreement }
            if name.hasSuffix(".consultation.json") { return .consultation }
        }
        guard root.kind == .object, let type = root.value(forKey: "type") else { return nil }
        let types = type.kind == .array ? type.elements.compactMap(\.stringValue) : [type.stringValue].compactMap { $0 }
        if types.contains("EuropeanDigitalCredential") { return .credential }
        if types.contains("LearningOpportunity") { return .learningOpportunity }
        return nil
    }
}
