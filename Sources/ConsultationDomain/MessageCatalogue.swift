/// A page's fixed texts in one language, as the collector's catalogues hold them (`FormStrings`,
/// `RegistrationStrings`, `ReportStrings`): one value per language, English the default, every language listed by
/// its tag in `catalogues`. Texts may hold placeholders `%1`, `%2` … (`format`).
public protocol MessageCatalogue: Sendable {
    static var english: Self { get }
    /// Every language's catalogue, by tag.
    static var catalogues: [String: Self] { get }
}

extension MessageCatalogue {
    /// The catalogue for `language` (its primary subtag is tried too: `fr-BE` uses `fr`), else English.
    public static func catalogue(for language: String) -> Self {
        catalogues[language] ?? language.split(separator: "-").first.flatMap { catalogues[String($0)] } ?? english
    }

    /// `template` with `%1`, `%2` … replaced by `values`, as they are (`fillingPlaceholders`).
    public static func format(_ template: String, _ values: String...) -> String { template.fillingPlaceholders(values) }

    /// Every text with its name, for the catalogue tests.
    package var all: [(String, String)] {
        Mirror(reflecting: self).children.compactMap { c in (c.value as? String).map { (c.label ?? "?", $0) } }
    }
}

extension String {
    /// The text with `%1`, `%2` … replaced by `values` in order, from the highest index down, so that `%1` does not
    /// take the start of `%10`.
    package func fillingPlaceholders(_ values: [String]) -> String {
        var out = self
        for (i, v) in values.enumerated().reversed() { out = out.replacingOccurrences("%\(i + 1)", v) }
        return out
    }
}
