import EmbeddedSchemas
import JSONSyntax

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
