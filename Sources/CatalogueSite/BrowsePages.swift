import Criteria

/// The catalogue once every document is read: opportunities in display order and the groups a reader
/// browses by (a static site has no server to filter for it, so each group is a page of its own).
struct SitePlan: Sendable {
    struct ProviderGroup: Sendable {
        var key: String
        var slug: String
        var name: LocalText
        var country: ConceptValue?
        var homepage: String?
        /// Positions in `entries`.
        var members: [Int]
    }

    /// In display order (title, then slug).
    var entries: [Entry]
    /// Sorted by name, then slug.
    var providers: [ProviderGroup]
    /// Field page key (an ISCED-F code, or `other`) → positions in `entries`.
    var fields: [String: [Int]]
    /// EQF level (nil: none given) → positions in `entries`.
    var levels: [Int?: [Int]]
    /// A label for each field key that the bundled vocabulary does not know, from the documents.
    var documentFieldLabels: [String: LocalText]

    /// Every page this plan writes besides the opportunity pages and the documents, in a fixed order.
    func browsePaths(criteria: QualityCriteria) -> [String] {
        fields.keys.sorted().map(SitePaths.field) + levels.keys.sorted(by: SitePlan.levelOrder).map(SitePaths.level)
            + providers.map { SitePaths.provider($0.slug) } + criteria.criteria.map { SitePaths.criterion($0.id) }
            + QualityStatus.Category.allCases.map(SitePaths.status)
    }

    /// EQF levels in order, "none" last.
    static func levelOrder(_ a: Int?, _ b: Int?) -> Bool { (a ?? 99) < (b ?? 99) }
}

/// Renders the index and the browse pages (field, EQF level, provider, criterion, quality category).
struct BrowsePages {
    var plan: SitePlan
    var site: SiteContext

    static let root = "../"

    // MARK: Labels

    func fieldLabel(_ key: String) -> LocalText {
        if key == "other" { return LocalText(text: "Fields not in ISCED-F 2013", lang: "en") }
        if let label = site.labels.fieldLabel(key) { return LocalText(text: "\(key) \(label)", lang: "en") }
        if let label = plan.documentFieldLabels[key] { return LocalText(text: "\(key) \(label.text)", lang: label.lang) }
        return LocalText(text: "Field \(key)", lang: "en")
    }

    static func levelName(_ level: Int?) -> String { level.map { "EQF level \($0)" } ?? "No EQF level given" }

    func entries(_ positions: [Int]) -> [Entry] { positions.map { plan.entries[$0] } }

    // MARK: Index

    func index(into w: inout HTMLWriter) {
        let root = ""
        PageShell.begin(
            &w, pageTitle: site.title, description: "\(Listing.count(plan.entries.count)) with their quality status.",
            root: root, site: site)
        w.element("h1", [], site.title)
        w.newline()
        var countries = Set<String>()
        for p in plan.providers { if let c = p.country { countries.insert(c.label.text) } }
        w.raw("<p class=\"lede\">")
        w.text(
            "\(Listing.count(plan.entries.count)) from \(Formatting.count(plan.providers.count)) provider\(plan.providers.count == 1 ? "" : "s") in \(countries.count) countr\(countries.count == 1 ? "y" : "ies"), each checked against the \(site.criteria.criteria.count) ECCOE quality criteria for learning opportunities. Each has a page with its description, its quality status and its ELM document."
        )
        w.raw("</p>\n")

        // Quality
        w.raw("<section aria-labelledby=\"quality\">\n<h2 id=\"quality\">Quality status</h2>\n<p>")
        w.text(
            "A learning opportunity meets a criterion when its document gives what the criterion asks for; mandatory criteria come from the EU's Annex I elements and the ELM learning-opportunity profile, recommended and optional ones help other institutions recognise it."
        )
        w.raw("</p>\n")
        Listing.qualitySummary(&w, plan.entries, site: site, root: root, id: "status-caption")
        var missed = Array(repeating: 0, count: site.criteria.criteria.count)
        for e in plan.entries { for m in e.status.missed { missed[m] += 1 } }
        w.raw("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"criteria-caption\" tabindex=\"0\">\n<table>\n")
        w.raw("<caption id=\"criteria-caption\">How many learning opportunities meet each criterion</caption>\n")
        w.raw(
            "<thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\" class=\"num\">Met</th><th scope=\"col\" class=\"num\">Missed</th></tr></thead>\n<tbody>\n"
        )
        for (i, c) in site.criteria.criteria.enumerated() {
            w.raw("<tr><th scope=\"row\">")
            w.element("a", [("href", SitePaths.criterion(c.id))], "\(c.id) \(c.title)")
            w.element("span", [("class", "level")], c.level.rawValue)
            w.raw("</th><td class=\"num\">")
            w.text(Formatting.count(plan.entries.count - missed[i]))
            w.raw("</td><td class=\"num\">")
            w.text(Formatting.count(missed[i]))
            w.raw("</td></tr>\n")
        }
        w.raw("</tbody>\n</table>\n</div>\n</section>\n")

        // Fields
        w.raw("<section aria-labelledby=\"fields\">\n<h2 id=\"fields\">Browse by field of education</h2>\n<p>")
        w.text("Fields of the ISCED-F 2013 classification; a learning opportunity counts under its field and every broader one.")
        w.raw("</p>\n")
        fieldTree(&w, parent: nil, root: root)
        w.raw("</section>\n")

        // Levels
        w.raw("<section aria-labelledby=\"levels\">\n<h2 id=\"levels\">Browse by EQF level</h2>\n<ul>\n")
        for level in plan.levels.keys.sorted(by: SitePlan.levelOrder) {
            w.raw("<li>")
            w.element("a", [("href", SitePaths.level(level))], Self.levelName(level))
            w.raw(" ")
            w.element("span", [("class", "count")], "(\(Formatting.count(plan.levels[level]!.count)))")
            w.raw("</li>\n")
        }
        w.raw("</ul>\n</section>\n")

        // Providers
        w.raw("<section aria-labelledby=\"providers\">\n<h2 id=\"providers\">Browse by provider</h2>\n")
        w.raw("<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"providers-caption\" tabindex=\"0\">\n<table>\n")
        w.element(
            "caption", [("id", "providers-caption")],
            "\(Formatting.count(plan.providers.count)) provider\(plan.providers.count == 1 ? "" : "s")")
        w.raw(
            "\n<thead><tr><th scope=\"col\">Provider</th><th scope=\"col\">Country</th><th scope=\"col\" class=\"num\">Learning opportunities</th></tr></thead>\n<tbody>\n"
        )
        for p in plan.providers {
            w.raw("<tr><th scope=\"row\">")
            w.open("a", [("href", SitePaths.provider(p.slug)), ("lang", p.name.htmlLang)])
            w.text(p.name.text)
            w.raw("</a></th><td>")
            if let c = p.country { w.text(c.label) } else { w.raw("–") }
            w.raw("</td><td class=\"num\">")
            w.text(Formatting.count(p.members.count))
            w.raw("</td></tr>\n")
        }
        w.raw("</tbody>\n</table>\n</div>\n</section>\n")

        // Everything
        w.raw("<section aria-labelledby=\"opportunities\">\n<h2 id=\"opportunities\">All learning opportunities</h2>\n")
        Listing.table(
            &w, plan.entries, caption: "All \(Listing.count(plan.entries.count)), by title", id: "all-caption", root: root,
            site: site)
        w.raw("</section>\n")
        PageShell.end(&w, root: root, site: site)
    }

    /// The nested list of fields below `parent` (nil: the broad fields, then `other`).
    private func fieldTree(_ w: inout HTMLWriter, parent: String?, root: String) {
        let children = plan.fields.keys.filter { key in
            guard key != "other" else { return parent == nil }
            if let parent { return key.count == parent.count + 1 && key.hasPrefix(parent) }
            return key.count == 2 || (key.count == 3 && plan.fields[String(key.prefix(2))] == nil)
        }.sorted { a, b in a == "other" ? false : b == "other" ? true : a < b }
        guard !children.isEmpty else { return }
        w.raw(parent == nil ? "<ul class=\"tree\">\n" : "<ul>\n")
        for key in children {
            w.raw("<li>")
            let label = fieldLabel(key)
            w.open("a", [("href", root + SitePaths.field(key)), ("lang", label.htmlLang)])
            w.text(label.text)
            w.raw("</a> ")
            w.element("span", [("class", "count")], "(\(Formatting.count(plan.fields[key]!.count)))")
            if key != "other" { fieldTree(&w, parent: key, root: root) }
            w.raw("</li>\n")
        }
        w.raw("</ul>\n")
    }

    // MARK: Browse pages

    private func page(
        title: LocalText, crumbs: [(LocalText, String)], description: String?, into w: inout HTMLWriter,
        body: (inout HTMLWriter) -> Void
    ) {
        PageShell.begin(&w, pageTitle: title.text, description: description, root: Self.root, site: site)
        PageShell.breadcrumb(
            &w, [(LocalText(text: site.title, lang: "en"), Self.root + SitePaths.index)] + crumbs, current: title)
        w.open("h1", [("lang", title.htmlLang)])
        w.text(title.text)
        w.raw("</h1>\n")
        body(&w)
        PageShell.end(&w, root: Self.root, site: site)
    }

    func fieldPage(_ key: String, into w: inout HTMLWriter) {
        let members = entries(plan.fields[key] ?? [])
        var crumbs: [(LocalText, String)] = [(LocalText(text: "Fields", lang: "en"), Self.root + SitePaths.index + "#fields")]
        if key != "other" {
            for n in [2, 3] where key.count > n && plan.fields[String(key.prefix(n))] != nil {
                let ancestor = String(key.prefix(n))
                crumbs.append((fieldLabel(ancestor), Self.root + SitePaths.field(ancestor)))
            }
        }
        let title = fieldLabel(key)
        page(title: title, crumbs: crumbs, description: "\(Listing.count(members.count)) in the field \(title.text).", into: &w) {
            w in
            w.raw("<p class=\"lede\">")
            switch key.count {
            case _ where key == "other": w.text("Fields given by an identifier that is not an ISCED-F 2013 code.")
            case 2: w.text("A broad field of ISCED-F 2013.")
            case 3: w.text("A narrow field of ISCED-F 2013.")
            default: w.text("A detailed field of ISCED-F 2013.")
            }
            w.raw("</p>\n")
            let narrower = plan.fields.keys.filter {
                $0 != key && $0.count == key.count + 1 && $0.hasPrefix(key) && key != "other"
            }.sorted()
            if !narrower.isEmpty {
                w.raw("<h2>Narrower fields</h2>\n<ul>\n")
                for n in narrower {
                    w.raw("<li>")
                    let label = fieldLabel(n)
                    w.open("a", [("href", Self.root + SitePaths.field(n)), ("lang", label.htmlLang)])
                    w.text(label.text)
                    w.raw("</a> ")
                    w.element("span", [("class", "count")], "(\(Formatting.count(plan.fields[n]!.count)))")
                    w.raw("</li>\n")
                }
                w.raw("</ul>\n")
            }
            w.raw("<h2>Learning opportunities</h2>\n")
            Listing.table(&w, members, caption: Listing.count(members.count), id: "list-caption", root: Self.root, site: site)
        }
    }

    func levelPage(_ level: Int?, into w: inout HTMLWriter) {
        let members = entries(plan.levels[level] ?? [])
        let title = LocalText(text: Self.levelName(level), lang: "en")
        page(
            title: title, crumbs: [(LocalText(text: "EQF levels", lang: "en"), Self.root + SitePaths.index + "#levels")],
            description: "\(Listing.count(members.count)) at \(title.text).", into: &w
        ) { w in
            w.raw("<p class=\"lede\">")
            if let level {
                w.text(site.labels.eqfDescription(level) ?? "Level \(level) of the European Qualifications Framework.")
            } else {
                w.text(
                    "The document names no level of the European Qualifications Framework (only a Qualification may; a learning achievement specification gives its level otherwise)."
                )
            }
            w.raw("</p>\n")
            Listing.table(&w, members, caption: Listing.count(members.count), id: "list-caption", root: Self.root, site: site)
        }
    }

    func providerPage(_ group: SitePlan.ProviderGroup, into w: inout HTMLWriter) {
        let members = entries(group.members)
        page(
            title: group.name, crumbs: [(LocalText(text: "Providers", lang: "en"), Self.root + SitePaths.index + "#providers")],
            description: "\(Listing.count(members.count)) provided by \(group.name.text).", into: &w
        ) { w in
            w.raw("<dl class=\"facts\">\n")
            if let c = group.country {
                w.raw("<dt>Country</dt><dd>")
                w.text(c.label)
                w.raw("</dd>\n")
            }
            if let home = group.homepage {
                w.raw("<dt>Web site</dt><dd>")
                w.element("a", [("href", home), ("rel", "external")], home)
                w.raw("</dd>\n")
            }
            w.raw("</dl>\n")
            Listing.qualitySummary(&w, members, site: site, root: Self.root, id: "status-caption")
            Listing.table(&w, members, caption: Listing.count(members.count), id: "list-caption", root: Self.root, site: site)
        }
    }

    func criterionPage(_ position: Int, into w: inout HTMLWriter) {
        let c = site.criteria.criteria[position]
        let members = plan.entries.filter { $0.status.missed.contains(position) }
        let title = LocalText(text: "\(c.id) \(c.title)", lang: "en")
        page(
            title: title, crumbs: [(LocalText(text: "Quality", lang: "en"), Self.root + SitePaths.index + "#quality")],
            description: c.requirement, into: &w
        ) { w in
            w.raw("<dl class=\"facts\">\n<dt>Level</dt><dd>")
            w.text(c.level.rawValue)
            w.raw("</dd>\n<dt>Requirement</dt><dd>")
            w.inlineCode(c.requirement)
            w.raw("</dd>\n<dt>Why it matters</dt><dd>")
            w.inlineCode(c.rationale)
            w.raw("</dd>\n<dt>Source</dt><dd>")
            w.inlineCode(c.source)
            w.raw("</dd>\n</dl>\n<p>")
            w.text(
                "\(plan.entries.count - members.count) of \(Listing.count(plan.entries.count)) meet this criterion; \(members.count) miss it."
            )
            w.raw("</p>\n")
            if !members.isEmpty {
                w.raw("<h2>Learning opportunities that miss it</h2>\n")
                Listing.table(&w, members, caption: Listing.count(members.count), id: "list-caption", root: Self.root, site: site)
            }
        }
    }

    func statusPage(_ category: QualityStatus.Category, into w: inout HTMLWriter) {
        let members = plan.entries.filter { $0.status.category(site.criteria) == category }
        let title = LocalText(text: category.words, lang: "en")
        page(
            title: title, crumbs: [(LocalText(text: "Quality", lang: "en"), Self.root + SitePaths.index + "#quality")],
            description: "\(Listing.count(members.count)): \(category.words.lowercased()).", into: &w
        ) { w in
            w.raw("<p class=\"lede\">")
            switch category {
            case .complete: w.text("These learning opportunities give everything the criteria ask for.")
            case .mandatoryMet:
                w.text(
                    "These learning opportunities give everything the mandatory criteria ask for, but miss at least one recommended or optional criterion."
                )
            case .mandatoryMissed:
                w.text("These learning opportunities miss at least one mandatory criterion; their pages say what is missing.")
            }
            w.raw("</p>\n")
            Listing.table(&w, members, caption: Listing.count(members.count), id: "list-caption", root: Self.root, site: site)
        }
    }
}
