import EmbeddedSchemas
import JSONSyntax

/// One quality criterion of the catalogue, as the consultation shows it.
public struct Criterion: Sendable, Hashable {
    public var id: String
    public var title: String
    public var requirement: String
    public var rationale: String
    public var level: String
    public var kinds: [String]
}

/// The criteria catalogue (`Schemas/criteria.json`, embedded in the binary): its version and criteria in order.
public struct Catalogue: Sendable {
    public var version: String
    public var criteria: [Criterion]

    public init(version: String, criteria: [Criterion]) {
        self.version = version
        self.criteria = criteria
    }

    /// The catalogue compiled into the binary.
    public static let embedded: Catalogue = {
        guard let bytes = SchemaFiles.bytes("criteria.json") else { return Catalogue(version: "0.0.0", criteria: []) }
        return Catalogue(json: bytes) ?? Catalogue(version: "0.0.0", criteria: [])
    }()

    /// Reads a catalogue document; nil if it lacks a version or a criteria array.
    public init?(json bytes: [UInt8]) {
        let root = SyntaxTree(parsing: bytes).root
        guard let version = root.value(forKey: "catalogueVersion")?.stringValue,
            let list = root.value(forKey: "criteria"), list.kind == .array
        else { return nil }
        self.version = version
        criteria = list.elements.compactMap { node in
            guard let id = node.value(forKey: "id")?.stringValue else { return nil }
            return Criterion(
                id: id, title: node.value(forKey: "title")?.stringValue ?? id,
                requirement: node.value(forKey: "requirement")?.stringValue ?? "",
                rationale: node.value(forKey: "rationale")?.stringValue ?? "",
                level: node.value(forKey: "level")?.stringValue ?? "",
                kinds: node.value(forKey: "kinds")?.elements.compactMap(\.stringValue) ?? [])
        }
    }

    public func criterion(_ id: String) -> Criterion? { criteria.first { $0.id == id } }
}

/// A bundled vocabulary offered as the options of a choice question (`optionsFrom`).
enum Vocabulary {
    /// The concepts of `vocabularies/NAME.json` as (value, English label), sorted by label.
    static func options(_ name: String) -> [ChoiceOption] {
        guard let bytes = SchemaFiles.bytes("vocabularies/\(name).json") else { return [] }
        let root = SyntaxTree(parsing: bytes).root
        let concepts =
            root.value(forKey: "concepts")?.elements.compactMap { node -> ChoiceOption? in
                guard let id = node.value(forKey: "id")?.stringValue else { return nil }
                let label =
                    node.value(forKey: "label")?.value(forKey: "en")?.stringValue
                    ?? node.value(forKey: "notation")?.stringValue ?? id
                return ChoiceOption(value: id, label: label)
            } ?? []
        return concepts.sorted { $0.label < $1.label }
    }
}
