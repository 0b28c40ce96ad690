import CollectorStore
public import ConsultationDomain
import CriteriaCatalogue
import HTMLText

/// The analysts' report: one self-contained HTML file (inline style, inline SVG, no script, nothing
/// fetched, printable) with responses over time, the respondent profile, every criterion most contested
/// first (its distribution as an SVG chart with a title, a description and the same numbers as a table,
/// then its comments and suggested rewordings), breakdowns by profile answer with small groups
/// suppressed, and the flagged duplicates apart. Every number comes from `Statistics`.
public struct Report: Sendable {
    let definition: ConsultationDefinition
    let statistics: Statistics
    /// The report's fixed texts, in the language of `definition` (a definition read in French gives a French report).
    let strings: ReportStrings

    /// `definition` is the one the statistics were computed with, or the same definition read in another language
    /// (`translated(to:)`): its texts are the report's.
    public init(definition: ConsultationDefinition, statistics: Statistics) {
        self.definition = definition
        self.statistics = statistics
        self.strings = ReportStrings.catalogue(for: definition.language)
    }

    /// `template` escaped, with `values` (HTML already) put in for `%1`, `%2` ….
    private func t(_ template: String, _ values: String...) -> String {
        HTML.escape(template).fillingPlaceholders(values)
    }

    /// A criterion's title in the report's language (the statistics carry the definition's first language).
    private func title(_ id: String, _ fallback: String) -> String { definition.item(id)?.title ?? fallback }

    /// A profile question's label in the report's language.
    private func label(_ question: String, _ fallback: String) -> String {
        definition.profile.first { $0.id == question }?.label ?? fallback
    }

    /// Colours of ratings 1…5 and "no opinion" (a diverging palette readable with colour-vision deficiencies).
    static let colours = ["#b2182b", "#ef8a62", "#c7c7c7", "#67a9cf", "#2166ac", "#f7f7f7"]

    static let style = """
        body { font: 16px/1.5 system-ui, sans-serif; color: #1b1b1b; max-width: 60rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.6rem; } h2 { border-top: 4px solid #1d4f91; padding-top: .5rem; margin-top: 2.5rem; }
        h3 { margin-top: 2rem; font-size: 1.15rem; }
        table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
        th, td { border: 1px solid #b1b4b6; padding: .2rem .4rem; text-align: right; }
        th[scope=row], td.text { text-align: left; }
        caption { text-align: left; font-weight: 700; margin-bottom: .25rem; }
        .wrap { overflow-x: auto; }
        .legend span { display: inline-block; margin-right: 1rem; }
        .swatch { display: inline-block; width: .9rem; height: .9rem; border: 1px solid #666; vertical-align: middle; margin-right: .3rem; }
        .suppressed, .note { color: #505a5f; }
        .texts li { white-space: pre-line; margin-bottom: .4rem; overflow-wrap: anywhere; }
        .plain { font-size: 1.05rem; }
        .requirement { font-style: italic; }
        .technical summary { cursor: pointer; color: #1d4f91; }
        .untranslated { color: #505a5f; font-style: italic; font-size: .875rem; }
        nav ol { columns: 2; }
        svg { max-width: 100%; height: auto; }
        @media print {
          body { max-width: none; font-size: 11pt; }
          .wrap { overflow: visible; }
          h2, h3 { break-after: avoid; }
          svg, table, figure { break-inside: avoid; }
          a { color: inherit; text-decoration: none; }
        }
        """

    /// The Content-Security-Policy for serving the report: nothing but its own inline style, by hash.
    public var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'sha256-\(Secrets.base64(SHA256.hash(Array(Report.style.utf8))))'; frame-ancestors 'none'; base-uri 'none'"
    }

    static func percent(_ d: Double?) -> String {
        guard let d else { return "–" }
        let tenths = Int((d * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)\u{00A0}%"  // never wrapped apart
    }

    static func number(_ d: Double?) -> String {
        guard let d else { return "–" }
        return d == d.rounded() ? String(Int(d)) : String((d * 100).rounded() / 100)
    }

    public var html: String {
        let s = statistics
        let asOf =
            s.asOf.map { t(strings.asOf, HTML.escape($0.display(in: definition.timeZone, language: definition.language))) } ?? ""
        let title = t(strings.title, HTML.escape(definition.title))
        let lang = HTML.escape(definition.language)
        let direction = ConsultationDefinition.isRightToLeft(definition.language) ? " dir=\"rtl\"" : ""
        var out = """
            <!doctype html>
            <html lang="\(lang)"\(direction)>
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>\(Report.style)</style>
            </head>
            <body>
            <h1>\(title)</h1>
            <p>\(t(strings.overview, "<code>\(HTML.escape(s.consultationID))</code>", HTML.escape(s.catalogueVersion),
                    HTML.escape(definition.opensAt.display(in: definition.timeZone, language: definition.language)),
                    HTML.escape(definition.closesAt.display(in: definition.timeZone, language: definition.language))))</p>
            <p>\(t(strings.responses, "<strong>\(s.responses)</strong>"))\(asOf); \(t(strings.duplicatesApart, String(s.duplicates),
                    "<a href=\"#duplicates\">\(HTML.escape(strings.listedApart))</a>"))
            \(t(strings.sharesNote, String(Statistics.minimumCellSize)))</p>
            <nav aria-label="\(HTML.escape(strings.contents))"><ol>
            <li><a href="#timeline">\(HTML.escape(strings.timelineHeading))</a></li>
            <li><a href="#profile">\(HTML.escape(strings.profileHeading))</a></li>
            <li><a href="#criteria">\(HTML.escape(strings.criteriaHeading))</a></li>
            \(s.breakdowns.map { "<li><a href=\"#b-\(HTML.escape($0.question))\">\(t(strings.byQuestion, HTML.escape(label($0.question, $0.label))))</a></li>" }.joined(separator: "\n"))
            <li><a href="#duplicates">\(HTML.escape(strings.duplicatesHeading))</a></li>
            </ol></nav>

            """
        out += timeline
        out += profile
        let ranked = s.criteriaByContest
        out += """
            <h2 id="criteria">\(HTML.escape(strings.criteriaHeading))</h2>
            <p>\(HTML.escape(strings.criteriaOrder))</p>
            <p class="legend">\(legend)</p>

            """
        out += chart(id: "all", title: strings.allChartTitle, rows: ranked)
        out += table(caption: strings.allTableCaption, rows: ranked)
        for r in ranked { out += criterion(r) }
        for b in s.breakdowns { out += breakdown(b) }
        out += duplicates
        out += "</body>\n</html>\n"
        return out
    }

    /// Responses per day (or week) as columns, with the same numbers as a table.
    private var timeline: String {
        let periods = statistics.timeline
        var out = "<h2 id=\"timeline\">\(HTML.escape(strings.timelineHeading))</h2>\n"
        guard let peak = periods.map(\.responses).max(), peak > 0 else {
            return out + "<p>\(HTML.escape(strings.noResponses))</p>\n"
        }
        let weekly = periods.first?.days == 7
        let width = 720, height = 200, left = 40, bottom = 24
        // Slots at most 50 wide, so a consultation of a few days does not draw one wall of colour.
        let slot = min(Double(width - left) / Double(periods.count), 50)
        out +=
            "<figure><div class=\"wrap\"><svg role=\"img\" aria-labelledby=\"timeline-title timeline-desc\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
            + "<title id=\"timeline-title\">\(HTML.escape(weekly ? strings.perWeek : strings.perDay))</title>\n"
            + "<desc id=\"timeline-desc\">\(t(strings.timelineDescription, String(periods[0].start.rfc3339.prefix(10)), String(periods[periods.count - 1].start.rfc3339.prefix(10)), String(peak)))</desc>\n"
            + "<text x=\"0\" y=\"14\" font-size=\"12\" font-family=\"sans-serif\">\(peak)</text>\n"
            + "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#505a5f\"/>\n"
        let plot = Double(height - bottom - 10)
        for (i, p) in periods.enumerated() where p.responses > 0 {
            let h = plot * Double(p.responses) / Double(peak)
            out +=
                "<rect x=\"\(Report.coordinate(Double(left) + Double(i) * slot + slot * 0.1))\" y=\"\(Report.coordinate(Double(height - bottom) - h))\" width=\"\(Report.coordinate(slot * 0.8))\" height=\"\(Report.coordinate(h))\" fill=\"#1d4f91\"><title>\(p.start.rfc3339.prefix(10)): \(p.responses)</title></rect>\n"
        }
        out +=
            "<text x=\"\(left)\" y=\"\(height - 6)\" font-size=\"12\" font-family=\"sans-serif\">\(periods[0].start.rfc3339.prefix(10))</text>\n"
            + "<text x=\"\(Report.coordinate(max(Double(left) + slot * Double(periods.count), Double(left) + 150)))\" y=\"\(height - 6)\" font-size=\"12\" font-family=\"sans-serif\" text-anchor=\"end\">\(periods[periods.count - 1].start.rfc3339.prefix(10))</text>\n"
            + "</svg></div></figure>\n"
        out +=
            "<div class=\"wrap\"><table>\n<caption>\(HTML.escape(weekly ? strings.perWeekTable : strings.perDayTable))</caption>\n<thead><tr><th scope=\"col\">\(HTML.escape(weekly ? strings.weekColumn : strings.dayColumn))</th><th scope=\"col\">\(HTML.escape(strings.responsesColumn))</th></tr></thead>\n<tbody>\n"
        for p in periods {
            out += "<tr><th scope=\"row\">\(p.start.rfc3339.prefix(10))</th><td>\(p.responses)</td></tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    /// How the respondents answered each profile question, small groups suppressed.
    private var profile: String {
        var out =
            "<h2 id=\"profile\">\(HTML.escape(strings.profileHeading))</h2>\n<p>\(t(strings.profileIntro, String(Statistics.minimumCellSize)))</p>\n"
        let total = statistics.responses
        for b in statistics.breakdowns {
            out +=
                "<div class=\"wrap\"><table>\n<caption>\(HTML.escape(label(b.question, b.label)))</caption>\n<thead><tr><th scope=\"col\">\(HTML.escape(strings.answerColumn))</th><th scope=\"col\">\(HTML.escape(strings.respondentsColumn))</th><th scope=\"col\">\(HTML.escape(strings.shareColumn))</th></tr></thead>\n<tbody>\n"
            func row(_ label: String, _ n: Int, _ cls: String = "") -> String {
                "<tr\(cls)><th scope=\"row\">\(HTML.escape(label))</th><td>\(n)</td><td>\(Report.percent(total > 0 ? Double(n) / Double(total) : nil))</td></tr>\n"
            }
            for g in b.groups { out += row(g.label, g.respondents ?? 0) }
            if b.suppressedGroups > 0 {
                out += row(
                    b.suppressedGroups == 1
                        ? strings.smallerGroupOne : ReportStrings.format(strings.smallerGroupsMany, String(b.suppressedGroups)),
                    b.suppressedRespondents, " class=\"suppressed\"")
            }
            if b.notAnswered > 0 { out += row(strings.notAnswered, b.notAnswered, " class=\"suppressed\"") }
            out += "</tbody></table></div>\n"
        }
        return out
    }

    /// One criterion: its distribution as a chart and a table, then its comments and suggested rewordings.
    private func criterion(_ r: Statistics.CriterionSummary) -> String {
        let item = definition.items.first { $0.id == r.id }
        var out = "<h3 id=\"c-\(HTML.escape(r.id))\">\(HTML.escape(r.id)) \(HTML.escape(title(r.id, r.title)))</h3>\n"
        if let plain = item?.plainStatement(in: definition.language) {
            out += "<p class=\"plain\">\(marked(plain))</p>\n"
        }
        if let item, !item.requirement.isEmpty {
            out += "<details class=\"technical\"><summary>\(HTML.escape(strings.technicalDetails))</summary>\n"
            out += "<p class=\"requirement\">\(HTML.inlineCode(item.requirement))</p>\n"
            if !item.elmPaths.isEmpty {
                out +=
                    "<p>\(t(strings.whereInData, item.elmPaths.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ")))</p>\n"
            }
            out += "</details>\n"
        }
        out +=
            "<p>\(t(strings.criterionNumbers, String(r.n), Report.number(r.median), Report.percent(r.shareAgree), String(r.noOpinion), String(r.comments), String(r.suggestions)))</p>\n"
        out += distributionChart(r)
        out += texts(strings.comments, r.commentTexts, total: r.comments)
        out += texts(strings.suggestions, r.suggestionTexts, total: r.suggestions)
        return out
    }

    /// A plain statement, marked when it is shown in another language than the report's (the form's fallback
    /// marker: in its own `lang`, followed by a note).
    private func marked(_ plain: (text: String, language: String)) -> String {
        let base = definition.language.split(separator: "-").first.map(String.init) ?? definition.language
        guard plain.language != definition.language, plain.language != base else { return HTML.escape(plain.text) }
        return
            "<span lang=\"\(HTML.escape(plain.language))\">\(HTML.escape(plain.text))</span> <span class=\"untranslated\">(\(HTML.escape(strings.untranslated)))</span>"
    }

    private func texts(_ heading: String, _ list: [String], total: Int) -> String {
        guard total > 0 else { return "" }
        var out = "<h4>\(HTML.escape(heading)) (\(total))</h4>\n<ol class=\"texts\">\n"
        for t in list { out += "<li dir=\"auto\">\(HTML.escape(t))</li>\n" }
        out += "</ol>\n"
        if total > list.count {
            out += "<p class=\"note\">\(t(strings.firstShown, String(list.count), String(total)))</p>\n"
        }
        return out
    }

    /// Columns for ratings 1…5 and no opinion, labelled with their counts, and the same numbers as a table.
    private func distributionChart(_ r: Statistics.CriterionSummary) -> String {
        let counts = r.distribution + [r.noOpinion]
        let peak = max(counts.max() ?? 0, 1)
        let width = 420, height = 150, bottom = 36, column = 60
        let names = definition.ratingLabels.enumerated().map { "\($0 + 1) \($1)" } + [strings.noOpinion]
        let titleID = "d-\(r.id)-title", descID = "d-\(r.id)-desc"
        var out =
            "<figure><svg role=\"img\" aria-labelledby=\"\(HTML.escape(titleID)) \(HTML.escape(descID))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
            + "<title id=\"\(HTML.escape(titleID))\">\(t(strings.ratingsOf, HTML.escape(r.id)))</title>\n"
            + "<desc id=\"\(HTML.escape(descID))\">\(t(strings.distributionDescription, zip(names, counts).map { "\(HTML.escape($0)): \($1)" }.joined(separator: ", ")))</desc>\n"
        let plot = Double(height - bottom - 16)
        for (k, c) in counts.enumerated() {
            let h = plot * Double(c) / Double(peak)
            let x = 10 + k * (column + 8)
            out +=
                "<rect x=\"\(x)\" y=\"\(Report.coordinate(Double(height - bottom) - h))\" width=\"\(column)\" height=\"\(Report.coordinate(h))\" fill=\"\(Report.colours[k])\" stroke=\"#505a5f\" stroke-width=\"0.5\"/>\n"
                + "<text x=\"\(x + column / 2)\" y=\"\(Report.coordinate(Double(height - bottom) - h - 3))\" font-size=\"12\" font-family=\"sans-serif\" text-anchor=\"middle\">\(c)</text>\n"
                + "<text x=\"\(x + column / 2)\" y=\"\(height - bottom + 16)\" font-size=\"12\" font-family=\"sans-serif\" text-anchor=\"middle\">\(k < 5 ? String(k + 1) : HTML.escape(strings.noOpinionShort))</text>\n"
        }
        out += "</svg></figure>\n"
        out +=
            "<div class=\"wrap\"><table>\n<caption>\(t(strings.ratingsOfTable, HTML.escape(r.id)))</caption>\n<thead><tr>"
            + names.map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined()
            + "<th scope=\"col\">n</th><th scope=\"col\">\(HTML.escape(strings.medianColumn))</th><th scope=\"col\">\(HTML.escape(strings.share45Column))</th></tr></thead>\n<tbody><tr>"
            + counts.map { "<td>\($0)</td>" }.joined()
            + "<td>\(r.n)</td><td>\(Report.number(r.median))</td><td>\(Report.percent(r.shareAgree))</td></tr></tbody></table></div>\n"
        return out
    }

    /// The responses flagged as identical to an earlier one, kept for review and left out of the numbers.
    private var duplicates: String {
        let s = statistics
        var out =
            "<h2 id=\"duplicates\">\(HTML.escape(strings.duplicatesHeading))</h2>\n<p>\(s.duplicates == 1 ? HTML.escape(strings.duplicatesOne) : t(strings.duplicatesMany, String(s.duplicates)))</p>\n"
        guard !s.duplicateList.isEmpty else { return out }
        out +=
            "<div class=\"wrap\"><table>\n<caption>\(HTML.escape(strings.duplicatesHeading))</caption>\n<thead><tr><th scope=\"col\">\(HTML.escape(strings.responseColumn))</th><th scope=\"col\">\(HTML.escape(strings.receivedColumn))</th><th scope=\"col\">\(HTML.escape(strings.identicalToColumn))</th></tr></thead>\n<tbody>\n"
        for d in s.duplicateList {
            out +=
                "<tr><th scope=\"row\"><code>\(HTML.escape(d.id))</code></th><td>\(HTML.escape(d.receivedAt.rfc3339))</td><td class=\"text\"><code>\(HTML.escape(d.duplicateOf))</code></td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        if s.duplicates > s.duplicateList.count {
            out += "<p class=\"note\">\(t(strings.firstListed, String(s.duplicateList.count), String(s.duplicates)))</p>\n"
        }
        return out
    }

    private var legend: String {
        let names = definition.ratingLabels.enumerated().map { "\($0 + 1) \($1)" } + [strings.noOpinion]
        return zip(names, Report.colours).map { name, colour in
            "<span><svg class=\"swatch\" width=\"14\" height=\"14\" aria-hidden=\"true\"><rect width=\"14\" height=\"14\" fill=\"\(colour)\" stroke=\"#666\"/></svg>\(HTML.escape(name))</span>"
        }.joined(separator: " ")
    }

    private func chart(id: String, title: String, rows: [Statistics.CriterionSummary]) -> String {
        let rowHeight = 26, labelWidth = 70, barWidth = 600, countWidth = 60
        let height = rows.count * rowHeight + 10
        let width = labelWidth + barWidth + countWidth
        let titleID = "chart-\(id)-title", descID = "chart-\(id)-desc"
        var out =
            "<div class=\"wrap\"><svg role=\"img\" aria-labelledby=\"\(HTML.escape(titleID)) \(HTML.escape(descID))\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" xmlns=\"http://www.w3.org/2000/svg\">\n"
        out += "<title id=\"\(HTML.escape(titleID))\">\(HTML.escape(title))</title>\n"
        let described = rows.map { r in
            ReportStrings.format(
                strings.barDescription, r.id, String(r.n), Report.percent(r.shareAgree), Report.number(r.median),
                String(r.noOpinion))
        }.joined(separator: "; ")
        out += "<desc id=\"\(HTML.escape(descID))\">\(t(strings.barsDescription, HTML.escape(described)))</desc>\n"
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
                let name = k < 5 ? ReportStrings.format(strings.ratingN, String(k + 1)) : strings.noOpinionLower
                out +=
                    "<rect x=\"\(Report.coordinate(x))\" y=\"\(y + 3)\" width=\"\(Report.coordinate(w))\" height=\"18\" fill=\"\(Report.colours[k])\" stroke=\"#ffffff\" stroke-width=\"0.5\">"
                    + "<title>\(HTML.escape(r.id)) \(HTML.escape(name)): \(c)</title></rect>\n"
                x += w
            }
            out +=
                "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 17)\" font-size=\"13\" font-family=\"sans-serif\">n=\(total)</text>\n"
        }
        return out + "</svg></div>\n"
    }

    static func coordinate(_ d: Double) -> String { String((d * 100).rounded() / 100) }

    private func table(caption: String, rows: [Statistics.CriterionSummary]) -> String {
        var out =
            "<div class=\"wrap\"><table>\n<caption>\(HTML.escape(caption))</caption>\n<thead><tr>"
            + "<th scope=\"col\">\(HTML.escape(strings.criterionColumn))</th><th scope=\"col\">n</th>"
            + (1...5).map { "<th scope=\"col\">\($0)</th>" }.joined()
            + [strings.noOpinion, strings.medianColumn, strings.share45Column, strings.commentsColumn, strings.suggestionsColumn]
            .map { "<th scope=\"col\">\(HTML.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in rows {
            out +=
                "<tr><th scope=\"row\"><a href=\"#c-\(HTML.escape(r.id))\">\(HTML.escape(r.id))</a> \(HTML.escape(title(r.id, r.title)))</th><td>\(r.n)</td>"
                + r.distribution.map { "<td>\($0)</td>" }.joined()
                + "<td>\(r.noOpinion)</td><td>\(Report.number(r.median))</td><td>\(Report.percent(r.shareAgree))</td><td>\(r.comments)</td><td>\(r.suggestions)</td></tr>\n"
        }
        return out + "</tbody></table></div>\n"
    }

    private func breakdown(_ b: Statistics.Breakdown) -> String {
        let question = label(b.question, b.label)
        var out = "<h2 id=\"b-\(HTML.escape(b.question))\">\(t(strings.byQuestion, HTML.escape(question)))</h2>\n"
        if b.groups.isEmpty {
            let minimum = String(Statistics.minimumCellSize)
            return out + "<p class=\"suppressed\">"
                + (b.suppressedGroups > 0
                    ? t(strings.noGroupYetSmaller, minimum, String(b.suppressedGroups)) : t(strings.noGroupYet, minimum))
                + "</p>\n"
        }
        if b.suppressedGroups > 0 {
            out +=
                "<p class=\"suppressed\">\(t(strings.groupsNotShown, String(Statistics.minimumCellSize), String(b.suppressedGroups)))</p>\n"
        }
        out +=
            "<div class=\"wrap\"><table>\n<caption>\(t(strings.shareBy, HTML.escape(question)))</caption>\n<thead><tr><th scope=\"col\">\(HTML.escape(strings.criterionColumn))</th>"
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
