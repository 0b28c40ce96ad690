import Criteria

/// The page of one learning opportunity: what it is, who provides it, its level, field, credits and
/// outcomes, its texts in every language the document has, its quality status, its ELM JSON-LD
/// embedded for machines, and a link to the document itself.
struct OpportunityPage {
    var opportunity: Opportunity
    var report: QualityReport
    var slug: String
    /// Path of the copied document, relative to the site's root.
    var documentPath: String
    /// The document's path relative to the catalogue's source folder, as the publisher knows it.
    var sourcePath: String
    /// The document as script-safe compact JSON (`ScriptSafeJSON`).
    var jsonLD: [UInt8]
    var site: SiteContext

    static let root = "../"

    func render() -> [UInt8] {
        let o = opportunity
        let title = o.displayTitle
        var w = HTMLWriter(capacity: 24 * 1024 + jsonLD.count)
        PageShell.begin(
            &w, pageTitle: title.text, description: o.description.text(preferring: o.preferred)?.text,
            root: Self.root, site: site
        ) { w in
            w.raw("<script type=\"application/ld+json\">")
            w.append(rendered: jsonLD)
            w.raw("</script>\n")
        }
        var crumbs: [(LocalText, String)] = [(LocalText(text: site.title, lang: "en"), Self.root + SitePaths.index)]
        if let p = o.providers.first, let slug = site.providerSlugs[p.key] {
            crumbs.append((p.name, Self.root + SitePaths.provider(slug)))
        }
        PageShell.breadcrumb(&w, crumbs, current: title)
        w.open("h1", [("lang", title.htmlLang)])
        w.text(title.text)
        w.raw("</h1>\n")
        lede(&w)
        facts(&w)
        languageSections(&w)
        assessments(&w)
        qualityAssurance(&w)
        quality(&w)
        source(&w)
        PageShell.end(&w, root: Self.root, site: site)
        return w.bytes
    }

    // MARK: At a glance

    private func lede(_ w: inout HTMLWriter) {
        let o = opportunity
        var parts: [LocalText] = []
        if let t = o.type { parts.append(t.label) }
        for p in o.providers {
            parts.append(p.name)
            if let c = p.country { parts.append(c.label) }
        }
        let status = report.status
        let category = status.category(site.criteria)
        w.raw("<p class=\"lede\">")
        for (i, part) in parts.enumerated() {
            if i > 0 { w.raw(" · ") }
            w.text(part)
        }
        if !parts.isEmpty { w.raw("<br>") }
        w.open("a", [("href", "#quality"), ("class", "status " + category.cssClass)])
        w.text(status.summary(site.criteria))
        w.close("a")
        w.raw("</p>\n")
    }

    private func facts(_ w: inout HTMLWriter) {
        let o = opportunity
        w.raw("<section aria-labelledby=\"h-facts\">\n<h2 id=\"h-facts\">At a glance</h2>\n<dl class=\"facts\">\n")
        func row(_ term: String, _ body: (inout HTMLWriter) -> Void) {
            w.element("dt", [], term)
            w.raw("<dd>")
            body(&w)
            w.raw("</dd>\n")
        }
        func list(_ items: [LocalText]) -> (inout HTMLWriter) -> Void {
            { w in
                for (i, item) in items.enumerated() {
                    if i > 0 { w.raw(", ") }
                    w.text(item)
                }
            }
        }
        if let t = o.type { row("Type") { $0.text(t.label) } }
        if !o.providers.isEmpty {
            row(o.providers.count == 1 ? "Provider" : "Providers") { w in
                for (i, p) in o.providers.enumerated() {
                    if i > 0 { w.raw("; ") }
                    if let slug = site.providerSlugs[p.key] {
                        w.open("a", [("href", Self.root + SitePaths.provider(slug)), ("lang", p.name.htmlLang)])
                        w.text(p.name.text)
                        w.close("a")
                    } else {
                        w.text(p.name)
                    }
                }
            }
            let countries = o.providers.compactMap(\.country).map(\.label)
            var unique: [LocalText] = []
            for c in countries where !unique.contains(c) { unique.append(c) }
            if !unique.isEmpty { row(unique.count == 1 ? "Country" : "Countries", list(unique)) }
        }
        row("EQF level") { w in
            if let level = o.eqfLevel {
                w.element("a", [("href", Self.root + SitePaths.level(level))], "Level \(level)")
            } else {
                w.text("Not given")
            }
            if !o.levels.isEmpty {
                w.raw(" (")
                list(o.levels.map(\.label))(&w)
                w.raw(")")
            }
        }
        if !o.fields.isEmpty {
            row(o.fields.count == 1 ? "Field of education" : "Fields of education") { w in
                w.raw("<ul>")
                for f in o.fields {
                    w.raw("<li>")
                    w.open("a", [("href", Self.root + SitePaths.field(f.code ?? "other")), ("lang", f.label.htmlLang)])
                    if let code = f.code { w.text(code + " ") }
                    w.text(f.label.text)
                    w.close("a")
                    w.raw("</li>")
                }
                w.raw("</ul>")
            }
        }
        if !o.credits.isEmpty {
            row("Credits") { w in
                for (i, c) in o.credits.enumerated() {
                    if i > 0 { w.raw(", ") }
                    if c.framework == Opportunity.ectsIRI {
                        w.text("\(c.points) ECTS")
                    } else {
                        w.text(c.points + " " + (site.labels.label(forIRI: c.framework) ?? "credits"))
                    }
                }
            }
        }
        if let workload = o.workload { row("Workload") { w in duration(&w, workload) } }
        if let d = o.maximumDuration ?? o.duration { row("Duration") { w in duration(&w, d) } }
        if !o.modes.isEmpty { row("Mode of learning", list(o.modes.map(\.label))) }
        if let s = o.learningSetting { row("Learning setting") { $0.text(s.label) } }
        if !o.languages.isEmpty {
            row(o.languages.count == 1 ? "Language of instruction" : "Languages of instruction", list(o.languages.map(\.label)))
        }
        if o.startDate != nil || o.endDate != nil {
            row("Dates") { w in
                if let s = o.startDate { date(&w, s) } else { w.text("…") }
                w.text(" to ")
                if let e = o.endDate { date(&w, e) } else { w.text("…") }
            }
        }
        if let d = o.applicationDeadline { row("Apply by") { w in date(&w, d) } }
        if !o.fees.isEmpty {
            row("Fee") { w in
                for (i, fee) in o.fees.enumerated() {
                    if i > 0 { w.raw("; ") }
                    if let amount = fee.amount { w.text([fee.currency, amount].compactMap { $0 }.joined(separator: " ")) }
                    if let label = fee.label ?? fee.description {
                        if fee.amount != nil { w.raw(" (") }
                        w.text(label)
                        if fee.amount != nil { w.raw(")") }
                    }
                }
            }
        }
        if let partial = o.isPartialQualification {
            row("Partial qualification") { $0.text(partial ? "Yes: it can count towards a larger qualification" : "No") }
        }
        if !o.homepages.isEmpty {
            row(o.homepages.count == 1 ? "Web page" : "Web pages") { w in
                w.raw("<ul>")
                for url in o.homepages {
                    w.raw("<li>")
                    w.element("a", [("href", url), ("rel", "external")], url)
                    w.raw("</li>")
                }
                w.raw("</ul>")
            }
        }
        if let id = o.id { row("Identifier") { $0.element("code", [], id) } }
        w.raw("</dl>\n</section>\n")
    }

    private func duration(_ w: inout HTMLWriter, _ text: String) {
        if let words = Formatting.duration(text) {
            w.text(words + " ")
            w.element("code", [], text)
        } else {
            w.text(text)
        }
    }

    private func date(_ w: inout HTMLWriter, _ text: String) {
        if let d = Formatting.date(text) {
            w.element("time", [("datetime", d.iso)], d.words)
        } else {
            w.text(text)
        }
    }

    // MARK: Texts per language

    private func languageSections(_ w: inout HTMLWriter) {
        let o = opportunity
        let languages = o.textLanguages
        let several = languages.count > 1
        if several {
            w.raw("<nav class=\"languages\" aria-label=\"Languages of this description\"><p>")
            w.text("This description is written in \(languages.count) languages:")
            w.raw("</p><ul>")
            for lang in languages {
                w.raw("<li>")
                w.element(
                    "a", [("href", "#" + Self.sectionID(lang)), ("hreflang", lang.isEmpty ? nil : lang)],
                    site.labels.languageName(lang))
                w.raw("</li>")
            }
            w.raw("</ul></nav>\n")
        }
        for lang in languages {
            let id = Self.sectionID(lang)
            let ui: String? = lang == "en" ? nil : "en"
            w.open(
                "section",
                [("class", "language"), ("id", id), ("lang", lang == "en" ? nil : lang), ("aria-labelledby", "h-" + id)])
            w.newline()
            w.element("h2", [("id", "h-" + id), ("lang", ui)], several ? "In \(site.labels.languageName(lang))" : "Description")
            w.newline()
            if several, let t = o.title.text(in: lang) {
                w.element("p", [("class", "lo-title")], t.text)
                w.newline()
            }
            if let d = o.description.text(in: lang) {
                PageShell.paragraphs(&w, LocalText(text: d.text, lang: "en"))
            } else if lang == o.pageLanguage && o.description.isEmpty {
                w.element("p", [("class", "note"), ("lang", ui)], "The document gives no description.")
            }
            let outcomes = o.outcomes.compactMap { outcome in outcome.title.text(in: lang).map { ($0, outcome.skills) } }
            if !outcomes.isEmpty {
                w.element("h3", [("lang", ui)], "Learning outcomes")
                w.raw("\n<ol>\n")
                for (text, skills) in outcomes {
                    w.raw("<li>")
                    w.text(text.text)
                    if !skills.isEmpty && lang == o.pageLanguage {
                        w.open("span", [("class", "note"), ("lang", ui)])
                        w.text(" (ESCO skill\(skills.count == 1 ? "" : "s"): ")
                        for (i, s) in skills.enumerated() {
                            if i > 0 { w.raw(", ") }
                            w.text(s)
                        }
                        w.raw(")</span>")
                    }
                    w.raw("</li>\n")
                }
                w.raw("</ol>\n")
            } else if lang == o.pageLanguage && o.outcomes.isEmpty {
                w.element("h3", [("lang", ui)], "Learning outcomes")
                w.element("p", [("class", "note"), ("lang", ui)], "The document states no learning outcomes.")
                w.newline()
            }
            for (heading, notes) in [("Prerequisites", o.prerequisites), ("Admission", o.admission), ("Schedule", o.schedule)] {
                let texts = notes.compactMap { $0.text(in: lang) }
                guard !texts.isEmpty else { continue }
                w.element("h3", [("lang", ui)], heading)
                w.newline()
                for t in texts { PageShell.paragraphs(&w, LocalText(text: t.text, lang: "en")) }
            }
            w.raw("</section>\n")
        }
    }

    /// `lang-de`; `lang-unknown` for texts whose language key is not a language tag.
    static func sectionID(_ lang: String) -> String { lang.isEmpty ? "lang-unknown" : "lang-" + lang }

    // MARK: Assessment and quality assurance

    private func assessments(_ w: inout HTMLWriter) {
        let list = opportunity.assessments
        guard !list.isEmpty else { return }
        w.raw("<section aria-labelledby=\"h-assessment\">\n<h2 id=\"h-assessment\">Assessment</h2>\n")
        for (i, a) in list.enumerated() {
            if list.count > 1 || a.title != nil {
                w.open("h3", [("lang", a.title?.htmlLang)])
                w.text(a.title?.text ?? "Assessment \(i + 1)")
                w.raw("</h3>\n")
            }
            if let d = a.description { PageShell.paragraphs(&w, d) }
            w.raw("<dl class=\"facts\">\n")
            func row(_ term: String, _ body: (inout HTMLWriter) -> Void) {
                w.element("dt", [], term)
                w.raw("<dd>")
                body(&w)
                w.raw("</dd>\n")
            }
            row("Type of assessment") { w in if let t = a.type { w.text(t.label) } else { w.text("Not given") } }
            if !a.modes.isEmpty {
                row("Mode") { w in
                    for (k, m) in a.modes.enumerated() {
                        if k > 0 { w.raw(", ") }
                        w.text(m.label)
                    }
                }
            }
            if a.gradingScheme != nil || a.gradingDescription != nil {
                row("Grading") { w in
                    if let g = a.gradingScheme { w.text(g) }
                    if a.gradingScheme != nil && a.gradingDescription != nil { w.raw(": ") }
                    if let d = a.gradingDescription { w.text(d) }
                }
            }
            if !a.supervision.isEmpty {
                row("Supervision and identity verification") { w in
                    for (k, s) in a.supervision.enumerated() {
                        if k > 0 { w.raw(" ") }
                        if let c = s.concept {
                            w.raw("<strong>")
                            w.text(c.label)
                            w.raw("</strong>")
                            if s.note != nil { w.raw(". ") }
                        }
                        if let n = s.note { w.text(n) }
                    }
                }
            }
            w.raw("</dl>\n")
        }
        w.raw("</section>\n")
    }

    private func qualityAssurance(_ w: inout HTMLWriter) {
        let list = opportunity.accreditations
        guard !list.isEmpty else { return }
        w.raw("<section aria-labelledby=\"h-qa\">\n<h2 id=\"h-qa\">Quality assurance</h2>\n<ul>\n")
        for a in list {
            w.raw("<li>")
            if let t = a.type {
                w.raw("<strong>")
                w.text(t.label)
                w.raw("</strong>")
                if a.title != nil { w.raw(": ") }
            }
            if let title = a.title { w.text(title) }
            if let agent = a.agent {
                w.text(" — by ")
                w.text(agent)
            }
            if let expiry = a.expiry {
                w.text(" (valid until ")
                date(&w, expiry)
                w.text(")")
            }
            w.raw("</li>\n")
        }
        w.raw("</ul>\n</section>\n")
    }

    // MARK: Quality status

    private func quality(_ w: inout HTMLWriter) {
        let criteria = site.criteria
        let status = report.status
        let category = status.category(criteria)
        w.raw("<section aria-labelledby=\"quality\">\n<h2 id=\"quality\">Quality status</h2>\n")
        w.raw("<p>")
        w.element("span", [("class", "status " + category.cssClass)], category.words)
        w.raw(" ")
        let total = criteria.criteria.count
        let missed = status.missed.count
        w.text(
            "Checked against the \(total) criteria of the ECCOE catalogue (version \(site.catalogueVersion)) that apply to learning opportunities: meets \(total - missed), misses \(missed)"
        )
        if missed > 0 {
            let parts = CriterionLevel.allCases.compactMap { level -> String? in
                let n = status.missedCount(level, criteria)
                return n > 0 ? "\(n) \(level.rawValue)" : nil
            }
            w.text(" (\(parts.joined(separator: ", ")))")
        }
        w.raw(".</p>\n")
        if missed > 0 {
            w.raw("<h3>What is missing</h3>\n")
            for position in status.missed {
                let c = criteria.criteria[position]
                w.open("div", [("class", "missing " + c.level.rawValue)])
                w.raw("<h4>")
                w.element("a", [("href", Self.root + SitePaths.criterion(c.id))], "\(c.id) \(c.title)")
                w.text(" (\(c.level.rawValue))")
                w.raw("</h4>\n<p>")
                w.inlineCode(c.requirement)
                w.raw("</p>\n<ul>\n")
                for note in report.findings[position] ?? [] {
                    w.raw("<li>")
                    w.inlineCode("Line \(note.line) of the document: \(note.message)")
                    w.raw("</li>\n")
                }
                w.raw("</ul>\n</div>\n")
            }
        }
        if !report.other.isEmpty {
            w.raw("<h3>Other findings</h3>\n<ul>\n")
            for note in report.other {
                w.raw("<li>")
                w.inlineCode("Line \(note.line) of the document: \(note.message)")
                w.raw("</li>\n")
            }
            w.raw("</ul>\n")
        }
        w.raw("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"criteria-caption\" tabindex=\"0\">\n<table>\n")
        w.raw("<caption id=\"criteria-caption\">Every criterion and whether this learning opportunity meets it</caption>\n")
        w.raw("<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n")
        let missedSet = Set(status.missed)
        for (i, c) in criteria.criteria.enumerated() {
            w.raw("<tr><th scope=\"row\">")
            w.element("a", [("href", Self.root + SitePaths.criterion(c.id))], "\(c.id) \(c.title)")
            w.element("span", [("class", "level")], c.level.rawValue)
            w.raw("</th><td>")
            if missedSet.contains(i) {
                w.element("span", [("class", "status " + (c.level == .mandatory ? "status-missed" : "status-met"))], "Missed")
            } else {
                w.text("Met")
            }
            w.raw("</td></tr>\n")
        }
        w.raw("</tbody>\n</table>\n</div>\n</section>\n")
    }

    // MARK: Source

    private func source(_ w: inout HTMLWriter) {
        w.raw("<section aria-labelledby=\"h-source\">\n<h2 id=\"h-source\">The document</h2>\n<p>")
        w.text("This page is made from the ELM learning-opportunity description ")
        w.element("a", [("href", Self.root + documentPath), ("type", "application/ld+json")], sourcePath)
        w.text(
            " (JSON-LD, \(documentPath.split(separator: "/").last.map(String.init) ?? documentPath) in this site); the same data is embedded in this page for search engines and the EU's tools."
        )
        w.raw("</p>\n</section>\n")
    }
}
