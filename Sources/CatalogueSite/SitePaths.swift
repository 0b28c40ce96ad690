/// Where each page of the site lives, relative to the site's root. Every link between pages is made
/// from these paths (relative: `../` from the pages one folder down).
enum SitePaths {
    static let index = "index.html"
    static let sitemap = "sitemap.xml"

    static func opportunity(_ slug: String) -> String { "opportunities/\(slug).html" }
    static func document(_ slug: String, extension ext: String) -> String { "documents/\(slug).\(ext)" }
    static func field(_ key: String) -> String { "fields/\(key).html" }
    static func level(_ level: Int?) -> String { level.map { "levels/eqf-\($0).html" } ?? "levels/none.html" }
    static func provider(_ slug: String) -> String { "providers/\(slug).html" }
    static func criterion(_ id: String) -> String { "quality/\(Slug.make(id, fallback: "criterion")).html" }
    static func status(_ category: QualityStatus.Category) -> String { "quality/\(category.cssClass).html" }

    /// The folders pages are written in.
    static let folders = ["opportunities", "documents", "fields", "levels", "providers", "quality"]

    /// Whether a path could have been written by this generator (used before deleting a file listed in an
    /// old manifest: a tampered manifest must not make the build delete anything else).
    static func isGenerated(_ path: String) -> Bool {
        if path == index || path == Stylesheet.fileName || path == sitemap { return true }
        if path.hasPrefix("sitemap-"), path.hasSuffix(".xml"),
            path.dropFirst(8).dropLast(4).allSatisfy({ $0.isASCII && $0.isNumber }), path.count > 12
        {
            return true
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, folders.contains(String(parts[0])), let first = parts[1].first else { return false }
        return (first.isASCII && (first.isLetter || first.isNumber))
            && parts[1].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }
            && !parts[1].contains("..")
    }
}
