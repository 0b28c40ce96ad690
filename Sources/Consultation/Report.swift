/// The analysts' report: one self-contained HTML file (inline style, inline SVG, no script, nothing
/// fetched) with, per section, a stacked bar chart of the ratings (an SVG with a title, a description and
/// the same numbers as a table) and the breakdowns by profile answer with small groups suppressed.
public struct Report: Sendable {
    let definition: ConsultationDefinition
    let statistics: Statistics

    public init(definition: ConsultationDefinition, statistics: Statistics) {
        self.definition = definition
        self.statistics = statistics
    }

    /// Colours of ratings 1…5 and "no opinion" (a diverging palette readable with colour-vision deficiencies).
    static let colours = ["#b2182b", "#ef8a62", "#c7c7c7", "#67a9cf", "#2166ac", "#f7f7f7"]

    static let style = """
        body { font: 16px/1.5 system-ui, sans-serif; color: #1b1b1b; max-width: 60rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; } h2 { border-top: 4px solid #1d4f91; padding-top: .5rem; margin-top: 2.5rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
        th, td { border: 1px solid #b1b4b6; padding: .2rem .4rem; text-align: right; }
        th[scope=row], td.text { text-align: left; }
        caption { text-align: left; font-weight: 700; margin-bottom: .25rem; }
        .wrap { overflow-x: auto; }
        .legend span { display: inline-block; margin-right: 1rem; }
        .swatch { display: inline-block; width: .9rem; height: .9rem; border: 1px solid #666; vertical-align: middle; margin-right: .3rem; }
        .suppressed { color: #6b6b6b; }
        svg { max-width: 100%; height: auto; }
        """

    /// The Content-Security-Policy for serving the report: nothing but its own inline style, by hash.
    public var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'sha256-\(Secrets.base64(SHA256.hash(Array(Report.style.utf8))))'; frame-ancestors 'none'; base-uri 'none'"
    }

    static func percent(_ d: Double?) -> String {
        guard let d else { return "–" }
        let tenths = Int((d * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10) %"
    }

    static func number(_ d: Double?) -> String {
        guard let d else { return "–" }
        return d == d.rounded() ? String(Int(d)) : String((d * 100).rounded() / 100)
    }

    public var html: String {
        let s = statistics
        var out = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Report: \(HTML.escape(definition.title))</title>
            <style>\(Report.style)</style>
            </head>
            <body>
            <h1>Report: \(HTML.escape(definition.title))</h1>
            <p>Consultation <code>\(HTML.escape(s.consultationID))</code>, criteria catalogue \(HTML.escape(s.catalogueVersion)),
            open from \(HTML.escape(definition.opensAt.display(in: definition.timeZone))) to \(HTML.escape(definition.closesAt.display(in: definition.timeZone))).</p>
            <p><strong>\(s.responses)</strong> responses; \(s.duplicates) flagged as identical to an earlier one (kept, for review).
            Shares are of the ratings given; “no opinion” is counted apart. Groups and cells with fewer than \(Statistics.minimumCellSize)
            respondents are not shown.</p>
            <p class="legend">\(legend)</p>

            """
        for section in definition.sections where !section.items.isEmpty {
            let rows = s.criteria.filter { $0.section == section.id }
            out += "<h2 id=\"s-\(HTML.escape(section.id))\">\(HTML.escape(section.title))</h2>\n"
            out += chart(section: section, rows: rows)
            out += table(section: section, rows: rows)
        }
        for b in s.breakdowns {
            out += breakdown(b)
        }
        out += "</body>\n</html>\n"
        return out
    }

    private var legend: String {
        let names = definition.ratingLabels.enumerated().map { "\($0 + 1) \($1)" } + ["No opinion"]
        return zip(names, Report.colours).map { name, colour in
            "<span><svg class=\"swatch\" width=\"14\" height=\"14\" aria-hidden=\"true\"><rect width=\"14\" height=\"14\" fill=\"\(colour)\" stroke=\"#666\"/></svg>\(HTML.escape(name))</span>"
        }.joined(separator: " ")
    }

    private func chart(section: Section, rows: [Statistics.CriterionSummary]) -> String {
        let rowHeight = 26, labelWidth = 70, barWidth = 600, countWidth = 60
        let height = rows.count * rowHeight + 10
        let width = labelWidth + barWidth + countWidth
        let titleID = "chart-\(section.id)-title", descID = "chart-\(section.id)-desc"
        var out =
            "<div class=\"wrap\"><svg role=\"img\" aria-labelledby=\"\(HTML.escape(titleID)) \(HTML.escape(descID))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        out += "<title id=\"\(HTML.escape(titleID))\">Ratings of the criteria in “\(HTML.escape(section.title))”</title>\n"
        let described = rows.map { r in
            "\(r.id): \(r.n) ratings, \(Report.percent(r.shareAgree)) rate 4–5, median \(Report.number(r.median)), \(r.noOpinion) no opinion"
        }.joined(separator: "; ")
        out +=
            "<desc id=\"\(HTML.escape(descID))\">Stacked bars, one per criterion, of the share of each rating from 1 (left) to 5 and no opinion (right). \(HTML.escape(described)).</desc>\n"
        for (i, r) in rows.enumerated() {
            let y = 5 + i * rowHeight
            out += "<text x=\"0\" y=\"\(y + 17)\" font-size=\"13\" font-family=\"sans-serif\">\(HTML.escape(r.id))</text>\n"
            let counts = r.distribution + [r.noOpinion]
            let total = counts.reduce(0, +)
            var x = Double(labelWidth)
            if total == 0 {
                out +=
                    "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(barWidth)\" height=\"18\" fill=\"#ffffff\" stroke=\"#b1b4b6\"/>\n"
            }
            for (k, c) in counts.enumerated() where c > 0 && total > 0 {
                let w = Double(barWidth) * Double(c) / Double(total)
                let name = k < 5 ? "rating \(k + 1)" : "no opinion"
                out +=
                    "<rect x=\"\(Report.coordinate(x))\" y=\"\(y + 3)\" width=\"\(Report.coordinate(w))\" height=\"18\" fill=\"\(Report.colours[k])\" stroke=\"#ffffff\" stroke-width=\"0.5\">"
                    + "<title>\(HTML.escape(r.id)) \(name): \(c)</title></rect>\n"
                x += w
            }
            out +=
                "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 17)\" font-size=\"13\" font-family=\"sans-serif\">n=\(total)</text>\n"
        }
        return out + "</svg></div>\n"
    }

    static func coordinate(_ d: Double) -> String { String((d * 100).rounded() / 100) }

    private func table(section: Section, rows: [Statistics.CriterionSummary]) -> String {
        var out =
            "<div class=\"wrap\"><table>\n<caption>Ratings in “\(HTML.escape(section.title))” (data of the chart)</caption>\n<thead><tr>"
            + "<th scope=\"col\">Criterion</th><th scope=\"col\">n</th>"
            + (1...5).map { "<th scope=\"col\">\($0)</th>" }.joined()
            + "<th scope=\"col\">No opinion</th><th scope=\"col\">Median</th><th scope=\"col\">Share 4–5</th><th scope=\"col\">Comments</th><th scope=\"col\">Suggestions</th></tr></thead>\n<tbody>\n"
        for r in rows {
            out +=
                "<tr><th scope=\"row\">\(HTML.escape(r.id)) \(HTML.escape(r.title))</th><td>\(r.n)</td>"
                + r.distribution.map { "<td>\($0)</td>" }.joined()
                + "<td>\(r.noOpinion)</td><td>\(Report.number(r.median))</td><td>\(Report.percent(r.shareAgree))</td><td>\(r.comments)</td><td>\(r.suggestions)</td></tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    private func breakdown(_ b: Statistics.Breakdown) -> String {
        var out = "<h2 id=\"b-\(HTML.escape(b.question))\">By “\(HTML.escape(b.label))”</h2>\n"
        if b.groups.isEmpty {
            return out + "<p class=\"suppressed\">No group has \(Statistics.minimumCellSize) or more respondents yet"
                + (b.suppressedGroups > 0 ? " (\(b.suppressedGroups) smaller groups not shown)" : "") + ".</p>\n"
        }
        if b.suppressedGroups > 0 {
            out +=
                "<p class=\"suppressed\">\(b.suppressedGroups) group\(b.suppressedGroups == 1 ? "" : "s") with fewer than \(Statistics.minimumCellSize) respondents not shown.</p>\n"
        }
        out +=
            "<div class=\"wrap\"><table>\n<caption>Share rating 4–5 (n) by “\(HTML.escape(b.label))”</caption>\n<thead><tr><th scope=\"col\">Criterion</th>"
        out += b.groups.map { "<th scope=\"col\">\(HTML.escape($0.label)) (\($0.respondents.map(String.init) ?? "–"))</th>" }
            .joined()
        out += "</tr></thead>\n<tbody>\n"
        for (i, c) in definition.items.enumerated() {
            out += "<tr><th scope=\"row\">\(HTML.escape(c.id))</th>"
            for g in b.groups {
                let cell = g.cells[i]
                out +=
                    cell.n == nil
                    ? "<td class=\"suppressed\">–</td>" : "<td>\(Report.percent(cell.shareAgree)) (\(cell.n ?? 0))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }
}
