// The catalogue (`Catalogue`, `Criterion`, `CriterionLevel`, `DocumentKind`) lives in its own small module so
// that the collector can read it without the checking engine and the JSON Schema validator; every user of
// `Criteria` still sees it here.
@_exported public import CriteriaCatalogue
