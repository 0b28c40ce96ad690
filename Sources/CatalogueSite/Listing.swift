/// The table of learning opportunities that the index and every browse page show.
enum Listing {
    /// A table of `entries` (already in display order) with a caption; `id` makes the caption's id unique
    /// on the page. `root` is the path to the site's root from the page.
    static func table(_ w: inout HTMLWriter, _ entries: [Entry], caption: String, id: String, root: String, site: SiteContext) {
        w.open("div", [("class", "table-wrap"), ("role", "region"), ("aria-labelledby", id), ("tabindex", "0")])
        w.raw("\n<table>\n")
        w.element("caption", [("id", id)], caption)
        w.raw(
            "\n<thead><tr><th scope=\"col\">Learning opportunity</th><th scope=\"col\" class=\"num\">EQF</th><th scope=\"col\" class=\"num\">ECTS</th><th scope=\"col\">Quality status</th></tr></thead>\n<tbody>\n"
        )
        for e in entries {
            w.raw("<tr><th scope=\"row\">")
            w.open("a", [("href", root + SitePaths.opportunity(e.slug)), ("lang", e.title.htmlLang)])
            w.text(e.title.text)
            w.raw("</a>")
            if !e.providers.isEmpty {
                w.raw("<span class=\"provider\">")
                for (i, p) in e.providers.enumerated() {
                    if i > 0 { w.raw("; ") }
                    w.text(p.name)
                    if let c = p.country {
                        w.raw(", ")
                        w.text(c.label)
                    }
                }
                w.raw("</span>")
            }
            w.raw("</th><td class=\"num\">")
            if let level = e.eqfLevel {
                w.number(level)
            } else {
                w.raw("<span aria-hidden=\"true\">–</span><span class=\"vh\">none</span>")
            }
            w.raw("</td><td class=\"num\">")
            if let ects = e.ects {
                w.text(ects)
            } else {
                w.raw("<span aria-hidden=\"true\">–</span><span class=\"vh\">none</span>")
            }
            w.raw("</td><td>")
            let category = e.status.category(site.criteria)
            w.element("span", [("class", "status " + category.cssClass)], e.status.summary(site.criteria))
            w.raw("</td></tr>\n")
            w.flushIfNeeded()
        }
        w.raw("</tbody>\n</table>\n</div>\n")
    }

    /// "1 learning opportunity", "12 learning opportunities".
    static func count(_ n: Int) -> String { n == 1 ? "1 learning opportunity" : "\(Formatting.count(n)) learning opportunities" }

    /// A table of the number of opportunities in each quality category, each linked to its page when
    /// `linked` (the index); `id` makes the caption's id unique on the page.
    static func qualitySummary(_ w: inout HTMLWriter, _ entries: [Entry], site: SiteContext, root: String, id: String) {
        var counts: [QualityStatus.Category: Int] = [:]
        for e in entries { counts[e.status.category(site.criteria), default: 0] += 1 }
        w.raw("<table>\n")
        w.element("caption", [("id", id)], "Quality status of \(count(entries.count))")
        w.raw(
            "\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">Learning opportunities</th></tr></thead>\n<tbody>\n"
        )
        for category in QualityStatus.Category.allCases {
            w.raw("<tr><th scope=\"row\">")
            w.element("span", [("class", "status " + category.cssClass)], category.words)
            w.raw("</th><td class=\"num\">")
            let n = counts[category] ?? 0
            if n > 0 && entries.count == site.entryCount {
                w.element("a", [("href", root + SitePaths.status(category))], Formatting.count(n))
            } else {
                w.text(Formatting.count(n))
            }
            w.raw("</td></tr>\n")
        }
        w.raw("</tbody>\n</table>\n")
    }
}
