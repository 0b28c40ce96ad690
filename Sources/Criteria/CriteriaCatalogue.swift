// The catalogue (`Catalogue`, `Criterion`, `CriterionLevel`, `DocumentKind`) and the bundled vocabularies
// (`Vocabularies`, `Concept`) live in their own small module so that the collector can read them without the
// checking engine and the JSON Schema validator; every user of `Criteria` still sees them here.
@_exported public import CriteriaCatalogue
