import Criteria
import Foundation
import JSONSyntax
import Testing

@testable import CatalogueSite

/// The test catalogue (every example, multilingual, hostile and edge-case documents) built once, then
/// examined as a publisher and a search engine would.
@Suite(.serialized) struct SiteTests {
    let files: [String: [UInt8]]

    /// The test catalogue is built (once, by the first suite that asks) off the cooperative pool.
    init() async throws {
        files = try await Fixtures.reading(Fixtures.offPool { Fixtures.catalogue.site })
    }

    var pages: [String] { files.keys.filter { $0.hasSuffix(".html") }.sorted() }
    func text(_ path: String) -> String { String(decoding: files[path] ?? [], as: UTF8.self) }

    /// The page's HTML without its JSON-LD block (what a reader sees).
    func visible(_ path: String) -> String {
        let html = text(path)
        guard let start = html.range(of: "<script type=\"application/ld+json\">"), let end = html.range(of: "</script>") else {
            return html
        }
        return String(html[..<start.lowerBound]) + String(html[end.upperBound...])
    }

    static let opportunityExamples = Fixtures.exampleNames().filter {
        $0.hasPrefix("learning-opportunity") || $0 == "good-learning-opportunity.jsonld"
    }

    @Test func everyPageIsWellFormedAndAccessible() {
        #expect(pages.count > 40)
        for page in pages {
            let result = HTMLChecker.check(text(page))
            #expect(result.problems.isEmpty, "\(page): \(result.problems)")
        }
    }

    @Test func everyLinkResolvesWithinTheSite() {
        var idsByPage: [String: Set<String>] = [:]
        for page in pages { idsByPage[page] = HTMLChecker.check(text(page)).ids }
        var checked = 0
        for page in pages {
            for link in HTMLChecker.check(text(page)).links {
                let href = link.attributes["href"]!
                if href.hasPrefix("http://") || href.hasPrefix("https://") {
                    #expect(
                        link.element == "a" && link.attributes["rel"] == "external",
                        "\(page): outside link \(href) is not an external hyperlink")
                    continue
                }
                #expect(!href.hasPrefix("/") && !href.contains(":"), "\(page): \(href) is not a relative link")
                let parts = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target = parts[0].isEmpty ? page : Self.resolve(parts[0], from: page)
                #expect(files[target] != nil, "\(page): \(href) points to \(target), which is not in the site")
                if parts.count == 2 {
                    #expect(idsByPage[target]?.contains(parts[1]) == true, "\(page): \(href): no id \(parts[1]) in \(target)")
                }
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    static func resolve(_ relative: String, from page: String) -> String {
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for part in relative.split(separator: "/") {
            if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(String(part)) }
        }
        return parts.joined(separator: "/")
    }

    @Test func nothingIsFetchedFromOutside() {
        let css = text("style.css")
        #expect(!css.contains("url(") && !css.contains("@import"))
        for page in pages {
            let html = text(page)
            #expect(!html.contains(" src=\""), "\(page) loads something")
            #expect(html.contains("<link rel=\"stylesheet\" href=\"\(page.contains("/") ? "../" : "")style.css\">"), "\(page)")
        }
    }

    @Test func everyOpportunityHasItsPageItsDocumentAndARowInTheIndex() {
        let opportunities = pages.filter { $0.hasPrefix("opportunities/") }
        // The examples' learning opportunities, and seven more (the broken one is left out).
        #expect(opportunities.count == Self.opportunityExamples.count + 7)
        #expect(Fixtures.catalogue.outcome.opportunities == opportunities.count)
        let index = text("index.html")
        for page in opportunities {
            #expect(index.contains("<a href=\"\(page)\""), "index lists \(page)")
            let slug = page.dropFirst("opportunities/".count).dropLast(".html".count)
            #expect(files.keys.contains { $0.hasPrefix("documents/\(slug).json") }, "document copy of \(slug)")
        }
        #expect(files["documents/eccoe-lo-exampleton-rdm-2026.jsonld"] == Fixtures.example("good-learning-opportunity.jsonld"))
    }

    @Test func embeddedJSONLDEqualsTheDocument() throws {
        for page in pages where page.hasPrefix("opportunities/") {
            let checked = HTMLChecker.check(text(page))
            #expect(checked.scripts.count == 1 && checked.scripts.first?.type == "application/ld+json", "\(page)")
            let documentLink = try #require(
                checked.links.first { $0.attributes["href"]!.hasPrefix("../documents/") }, "\(page) links to its document")
            let document = files[Self.resolve(documentLink.attributes["href"]!, from: page)] ?? []
            let embedded = try JSONValue.parse(Array(checked.scripts[0].text.utf8)).get()
            let source = try JSONValue.parse(document).get()
            #expect(embedded == source, "\(page): embedded JSON-LD differs from its document")
            #expect(!checked.scripts[0].text.contains("<") && !checked.scripts[0].text.contains(">"), "\(page)")
        }
        let numbers = text("opportunities/eccoe-lo-numbers.html")
        #expect(numbers.contains("12345678901234567890.125"), "a number is embedded with the digits it is written with")
    }

    @Test func theCopiedDocumentsAreTheSourcesByteForByte() {
        let source = Fixtures.catalogueFiles()
        #expect(files["documents/eccoe-lo-forschungsdaten.jsonld"] == source["more/multilingual.jsonld"])
        #expect(files["documents/more-no-id.jsonld"] == source["more/no-id.jsonld"])
    }

    @Test func hostileTextIsShownAsText() throws {
        let page = try #require(
            pages.first { $0.hasPrefix("opportunities/x-script-alert-1-script") }, "a page for the hostile id: \(pages)")
        let html = text(page)
        for markup in ["<script>alert", "<img", "<b>", "<!--", "</SCRIPT", "</script><"] {
            #expect(!html.contains(markup), "\(markup) reaches the page as markup")
        }
        #expect(!visible(page).contains("javascript:"), "a javascript: URL is not shown")
        #expect(
            html.contains(
                "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- &amp; &quot;quoted&quot; &#39;single&#39;"))
        #expect(html.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co &quot;Ltd&quot;"))
        #expect(
            html.contains("<section class=\"language\" id=\"lang-unknown\" lang=\"\""),
            "a language key that is not a tag becomes lang=\"\"")
        #expect(html.contains("<dt>Web page</dt>") == false, "a javascript: homepage is not shown as a link")
        #expect(HTMLChecker.check(html).problems.isEmpty)
        // The site title (from the command line) is escaped on every page.
        #expect(text("index.html").contains("<h1>Test &lt;Catalogue&gt; &amp; Co</h1>"))
    }

    @Test func problemsAreReportedAndTheRestIsBuilt() {
        let problems = Fixtures.catalogue.outcome.problems
        func problem(_ suffix: String) -> CatalogueBuilder.Problem? { problems.first { $0.path.hasSuffix(suffix) } }
        #expect(problem("more/broken.jsonld")?.severity == .error)
        #expect(
            problem("more/broken.jsonld")?.message.hasPrefix("1:42: ") == true,
            "\(String(describing: problem("more/broken.jsonld")))")
        #expect(problem("more/binary.json")?.severity == .error)
        #expect(
            problem("examples/good-credential.jsonld")?.message
                == "a credential, not a learning opportunity; not in the catalogue")
        #expect(problem("examples/good.agreement.json")?.severity == .warning)
        #expect(problem("examples/expected-findings.json")?.severity == .warning)
        #expect(
            problem("more/deep/again/copy.json")?.message.contains("the same id as examples/good-learning-opportunity.jsonld")
                == true)
        #expect(!problems.contains { $0.path.contains(".hidden") })
        #expect(!files.keys.contains { $0.contains("hidden") })
    }

    @Test func pageNamesComeFromIdsAndStayUnique() {
        let opportunities = Set(pages.filter { $0.hasPrefix("opportunities/") })
        #expect(opportunities.contains("opportunities/eccoe-lo-exampleton-rdm-2026.html"))
        #expect(
            opportunities.contains("opportunities/eccoe-lo-exampleton-rdm-2026-2.html"),
            "the copy with the same id, by path order")
        #expect(opportunities.contains("opportunities/eccoe-lo-twin-\(Slug.hash("urn:eccoe:lo:Twin")).html"))
        #expect(opportunities.contains("opportunities/eccoe-lo-twin-\(Slug.hash("urn:eccoe:lo:twin")).html"))
        #expect(opportunities.contains("opportunities/more-no-id.html"), "without an id, the name comes from the file's path")
        #expect(opportunities.contains("opportunities/eccoe-example-learning-opportunity-lo-08-no-learning-outcomes.html"))
    }

    /// The page's status of every criterion (ID → "Met" or "Missed"), read from its criteria table.
    func statuses(_ page: String) -> [String: String] {
        var result: [String: String] = [:]
        let html = text(page)
        for row in html.components(separatedBy: "<tr><th scope=\"row\"><a href=\"../quality/").dropFirst() {
            let id = row.components(separatedBy: "\">").dropFirst().first?.components(separatedBy: " ").first ?? ""
            result[id] = row.contains("</th><td>Met</td>") ? "Met" : row.contains(">Missed</span></td>") ? "Missed" : "?"
        }
        return result
    }

    @Test(arguments: opportunityExamples)
    func qualityStatusIsTheEngines(example: String) throws {
        let bytes = Fixtures.example(example)
        let tree = SyntaxTree(parsing: bytes)
        let id = try #require(JSONValue.parse(bytes).get()["id"]?.stringValue)
        let page = "opportunities/\(Slug.make(id, fallback: "x")).html"
        let criteria = QualityCriteria(catalogue: Fixtures.engine.catalogue)
        let missed = Set(Fixtures.engine.check(tree, path: example, kind: .learningOpportunity).compactMap(\.criterionID))
        let shown = statuses(page)
        #expect(shown.count == criteria.criteria.count, "\(page) lists every criterion")
        for c in criteria.criteria {
            #expect(shown[c.id] == (missed.contains(c.id) ? "Missed" : "Met"), "\(page): \(c.id)")
            if missed.contains(c.id) {
                #expect(text(page).contains(Expected.withCode(c.requirement)), "\(page) gives \(c.id)'s text")
            }
        }
        // The criteria a failing example is named after are among those it misses.
        for named in example.split(separator: "-").indices.dropLast() {
            let parts = example.split(separator: "-")
            let candidate = "\(parts[named])-\(parts[named + 1])"
            if criteria.position(of: candidate) != nil { #expect(shown[candidate] == "Missed", "\(page): \(candidate)") }
        }
        if example.hasPrefix("good") { #expect(text(page).contains("Meets every criterion")) }
    }

    @Test func fieldsAndLevelsShowLabelsNotIRIs() {
        let page = visible("opportunities/eccoe-lo-exampleton-rdm-2026.html")
        #expect(page.contains(">0322 Library, information and archival studies</a>"))
        #expect(page.contains("<a href=\"../levels/eqf-6.html\">Level 6</a>"))
        #expect(page.contains("<dt>Credits</dt><dd>5 ECTS</dd>"))
        #expect(page.contains("135 hours"))
        #expect(page.contains("<time datetime=\"2026-10-05\">5 October 2026</time>"))
        #expect(page.contains("<dt>Language of instruction</dt><dd>English</dd>"))
        #expect(page.contains("<dt>Country</dt><dd>United Kingdom</dd>"))
        #expect(!page.contains("data.europa.eu/snb"), "no vocabulary IRI is shown to readers")
        #expect(!page.contains("publications.europa.eu"), "no authority IRI is shown to readers")
    }

    @Test func everyLanguageHasItsSectionThePageLanguageFirst() throws {
        let html = visible("opportunities/eccoe-lo-forschungsdaten.html")
        #expect(html.contains("<h1 lang=\"de\">Forschungsdatenmanagement</h1>"))
        let de = try #require(html.range(of: "id=\"lang-de\""))
        let en = try #require(html.range(of: "id=\"lang-en\""))
        let fr = try #require(html.range(of: "id=\"lang-fr\""))
        #expect(de.lowerBound < en.lowerBound && en.lowerBound < fr.lowerBound)
        #expect(html.contains("<a href=\"#lang-fr\" hreflang=\"fr\">French</a>"))
        #expect(html.contains("<p>Zwölf Wochen Onlinestudium.</p>\n<p>Mit Abschlussprojekt.</p>"))
        #expect(
            html.contains("<li>Einen Datenmanagementplan schreiben</li>")
                && html.contains("<li>Write a data management plan</li>"))
        #expect(html.contains("<p class=\"lo-title\">Gestion des données de recherche</p>"))
        // The index lists it by its German title.
        #expect(
            text("index.html").contains(
                "<a href=\"opportunities/eccoe-lo-forschungsdaten.html\" lang=\"de\">Forschungsdatenmanagement</a>"))
    }

    @Test func browsePagesListWhatTheyCount() {
        let index = text("index.html")
        // Every opportunity has EQF level 6 but the one without level (LO-10) and the broken-level ones.
        let atSix = text("levels/eqf-6.html").components(separatedBy: "<tr><th scope=\"row\">").count - 1
        let none = text("levels/none.html").components(separatedBy: "<tr><th scope=\"row\">").count - 1
        #expect(atSix + none == Fixtures.catalogue.outcome.opportunities)
        #expect(index.contains("<a href=\"levels/eqf-6.html\">EQF level 6</a> <span class=\"count\">(\(atSix))</span>"))
        // A detailed field's opportunities are counted under its narrow and broad fields too.
        let detailed = text("fields/0322.html").components(separatedBy: "<tr><th scope=\"row\">").count - 1
        let broad = text("fields/03.html").components(separatedBy: "<tr><th scope=\"row\">").count - 1
        #expect(detailed > 0 && broad >= detailed)
        #expect(text("fields/03.html").contains("<a href=\"../fields/032.html\">032 Journalism and information</a>"))
        // A field that is not ISCED-F has its own page.
        #expect(text("fields/other.html").contains("Fields not in ISCED-F 2013"))
        // The provider given by reference only is the same provider.
        let provider = text("providers/epass-org-exampleton.html")
        #expect(provider.contains("<h1>University of Exampleton</h1>"))
        #expect(provider.contains("Without an id"))
        // Criterion pages list exactly the opportunities that miss them.
        #expect(text("quality/lo-08.html").contains("eccoe-example-learning-opportunity-lo-08-no-learning-outcomes.html"))
        #expect(!text("quality/lo-08.html").contains("opportunities/eccoe-lo-exampleton-rdm-2026.html"))
    }

    @Test func theSitemapListsEveryPage() {
        let sitemap = text("sitemap.xml")
        let locs = sitemap.components(separatedBy: "<loc>").dropFirst().map { $0.components(separatedBy: "</loc>")[0] }
        #expect(Set(locs) == Set(pages))
        #expect(
            sitemap.hasPrefix(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"))
    }

    @Test func theSameDocumentsGiveTheSameFilesInAnyOrder() async throws {
        let again = Fixtures.temporaryFolder("again").appendingPathComponent("site")
        try await Fixtures.building(
            source: Fixtures.catalogue.source, out: again, options: .init(title: "Test <Catalogue> & Co"), reversed: true)
        let second = try await Fixtures.reading(again)
        #expect(second.keys.sorted() == files.keys.sorted())
        for (path, bytes) in files { #expect(second[path] == bytes, "\(path) differs between builds") }
        // The same documents written to disk in the opposite order, in another folder.
        let copy = Fixtures.temporaryFolder("copy")
        for (path, bytes) in Fixtures.catalogueFiles().sorted(by: { $0.key > $1.key }) { Fixtures.write([path: bytes], in: copy) }
        let third = Fixtures.temporaryFolder("third").appendingPathComponent("site")
        try await Fixtures.building(source: copy, out: third, options: .init(title: "Test <Catalogue> & Co"))
        #expect(try await Fixtures.reading(third) == files)
    }
}

enum Expected {
    /// The escaped form with balanced backtick spans as `<code>` elements, as requirement texts are shown.
    static func withCode(_ text: String) -> String {
        let parts = text.components(separatedBy: "`")
        guard parts.count >= 3, parts.count % 2 == 1 else { return escaped(text) }
        return parts.enumerated().map { $0.offset % 2 == 1 ? "<code>\(escaped($0.element))</code>" : escaped($0.element) }
            .joined()
    }

    /// The escaped form of a text, as pages write it.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;"
        )
        .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
