import CriteriaCatalogue

/// A bundled vocabulary offered as the options of a choice question (`optionsFrom`). The vocabularies are read
/// once, by their one reader (`Vocabularies.standard`, in CriteriaCatalogue, which the checker uses too).
enum Vocabulary {
    /// The concepts of `vocabularies/NAME.json` as (value, English label), sorted by label.
    static func options(_ name: String) -> [ChoiceOption] {
        let concepts = Vocabularies.standard.vocabularies[name]?.concepts ?? []
        return concepts.map { ChoiceOption(value: $0.iri, label: $0.label) }.sorted { $0.label < $1.label }
    }
}
