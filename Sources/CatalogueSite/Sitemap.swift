import HTMLText

/// `sitemap.xml` (sitemaps.org protocol 0.9): every page of the site. The protocol wants absolute URLs;
/// they are made from `--base-url`. Without one, the file lists the pages relative to the site's root
/// (the command says so), which a site owner can fix by building again with the address.
public enum Sitemap {
    /// The protocol's limit of URLs in one file; past it, `sitemap.xml` becomes an index of
    /// `sitemap-1.xml`, `sitemap-2.xml`… each holding at most this many.
    public static let maxURLsPerFile = 50_000

    static func files(pages: [String], baseURL: String?, maxURLsPerFile: Int = maxURLsPerFile) -> [(path: String, bytes: [UInt8])]
    {
        let base = baseURL ?? ""
        let limit = max(1, maxURLsPerFile)
        func urlset(_ list: ArraySlice<String>) -> [UInt8] {
            var out: [UInt8] = Array(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                    .utf8)
            for page in list {
                out += Array("  <url><loc>".utf8)
                HTML.appendEscaped(base + page, to: &out)
                out += Array("</loc></url>\n".utf8)
            }
            out += Array("</urlset>\n".utf8)
            return out
        }
        if pages.count <= limit { return [(SitePaths.sitemap, urlset(pages[...]))] }
        var result: [(String, [UInt8])] = []
        var index: [UInt8] = Array(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
                .utf8)
        var start = 0
        var n = 1
        while start < pages.count {
            let name = "sitemap-\(n).xml"
            result.append((name, urlset(pages[start..<min(pages.count, start + limit)])))
            index += Array("  <sitemap><loc>".utf8)
            HTML.appendEscaped(base + name, to: &index)
            index += Array("</loc></sitemap>\n".utf8)
            start += limit
            n += 1
        }
        index += Array("</sitemapindex>\n".utf8)
        return [(SitePaths.sitemap, index)] + result
    }

    /// `--base-url` checked and normalised: an absolute http or https URL without query or fragment,
    /// ending in `/`. Nil when it is not one.
    public static func normalizedBaseURL(_ text: String) -> String? {
        guard WebLink.isWebURL(text), !text.contains("?"), !text.contains("#") else { return nil }
        return text.hasSuffix("/") ? text : text + "/"
    }
}
