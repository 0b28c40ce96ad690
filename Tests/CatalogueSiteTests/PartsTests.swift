import Criteria
import Foundation
import HTMLText
import JSONSyntax
import Testing

@testable import CatalogueSite

/// Slugs, formatting, script-safe JSON, the sitemap, the palette's contrast.
@Suite struct PartsTests {
    // MARK: Slugs

    @Test(arguments: [
        ("urn:eccoe:lo:exampleton:rdm-2026", "eccoe-lo-exampleton-rdm-2026"),
        ("https://courses.example.org/RDM/2026?x=1", "courses-example-org-rdm-2026-x-1"),
        ("URN:Über:Kurs", "ber-kurs"),
        ("::::", "fallback"),
        ("", "fallback"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
    ])
    func slugsAreReadable(id: String, slug: String) {
        #expect(Slug.make(id, fallback: "fallback") == slug)
    }

    @Test func longIdsAreCut() {
        let slug = Slug.make(String(repeating: "word-", count: 40), fallback: "x")
        #expect(slug.count <= Slug.maxLength && slug.hasPrefix("word-word") && !slug.hasSuffix("-"))
        let unbroken = Slug.make(String(repeating: "a", count: 200), fallback: "x")
        #expect(unbroken.count == Slug.maxLength)
    }

    @Test func uniqueSlugsDoNotDependOnOrder() {
        let items: [(base: String, key: String, tiebreak: String)] = [
            ("a", "urn:A", "1"), ("a", "urn:a", "2"), ("b", "urn:b", "3"), ("b", "urn:b", "4"), ("b", "urn:b", "5"),
            ("c", "urn:c", "6"), ("a-\(Slug.hash("urn:A"))", "urn:other", "7"),
        ]
        let slugs = Slug.unique(items)
        #expect(Set(slugs).count == items.count, "\(slugs)")
        // Ids that slug alike get their hashes; a plain slug that equals one of those keeps its name.
        #expect(slugs[6] == "a-\(Slug.hash("urn:A"))" && slugs[0] == "a-\(Slug.hash("urn:A"))-x2")
        #expect(slugs[1] == "a-\(Slug.hash("urn:a"))")
        #expect(slugs[2] == "b" && slugs[3] == "b-2" && slugs[4] == "b-3")
        #expect(slugs[5] == "c")
        // Any order of the same items gives each the same slug.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let order = Array(items.indices).shuffled(using: &generator)
            let shuffled = Slug.unique(order.map { items[$0] })
            for (k, i) in order.enumerated() { #expect(shuffled[k] == slugs[i]) }
        }
    }

    @Test func theHashIsStable() {
        // FNV-1a 64 of "" and of "a", top 32 bits: fixed values, the same on every platform and run.
        #expect(Slug.hash("") == "cbf29ce4")
        #expect(Slug.hash("a") == "af63dc4c")
    }

    // MARK: Formatting

    @Test func datesAndDurationsReadAsWords() {
        #expect(Formatting.date("2026-10-05T00:00:00+02:00")?.iso == "2026-10-05")
        #expect(Formatting.date("2026-10-05T00:00:00+02:00")?.words == "5 October 2026")
        #expect(Formatting.date("2026-12-31")?.words == "31 December 2026")
        #expect(
            Formatting.date("2026-13-01") == nil && Formatting.date("5 Oct 2026") == nil && Formatting.date("2026-10-05X") == nil)
        #expect(Formatting.duration("PT135H") == "135 hours")
        #expect(Formatting.duration("P1Y6M") == "1 year, 6 months")
        #expect(Formatting.duration("PT1H30M") == "1 hour, 30 minutes")
        #expect(Formatting.duration("PT0.5S") == "0.5 seconds")
        #expect(Formatting.duration("135 hours") == nil)
        #expect(
            Formatting.count(0) == "0" && Formatting.count(999) == "999" && Formatting.count(1000) == "1,000"
                && Formatting.count(1234567) == "1,234,567")
    }

    @Test func languageKeysBecomeLangValues() {
        #expect(LanguageMap.tag("en") == "en" && LanguageMap.tag("DE") == "de" && LanguageMap.tag("pt-BR") == "pt-br")
        #expect(
            LanguageMap.tag("english") == "" && LanguageMap.tag("en\"><x") == "" && LanguageMap.tag("") == ""
                && LanguageMap.tag("e1") == "")
    }

    @Test func onlyWebURLsBecomeLinks() {
        #expect(WebLink.isWebURL("https://example.org/a") && WebLink.isWebURL("HTTP://example.org"))
        for bad in [
            "javascript:alert(1)", "JavaScript:x", "data:text/html,x", "/relative", "https:///x", "https://exa mple.org",
            "ftp://x", "https://x\u{2028}",
        ] {
            #expect(!WebLink.isWebURL(bad), "\(bad)")
        }
    }

    // MARK: The embedded JSON-LD

    @Test func scriptSafeJSONIsTheSameDataAndInert() throws {
        let source = Array(
            "\u{FEFF}{ \"a\" : \"</script><!-- & > \\\" \\\\\",\n \"n\": [1.50, -2e3, 12345678901234567890], \"<k>\": null }".utf8
        )
        let compact = ScriptSafeJSON.compact(source)
        let text = String(decoding: compact, as: UTF8.self)
        #expect(
            text
                == #"{"a":"\u003c/script\u003e\u003c!-- \u0026 \u003e \" \\","n":[1.50,-2e3,12345678901234567890],"\u003ck\u003e":null}"#
        )
        #expect(try JSONValue.parse(compact).get() == JSONValue.parse(Array(source.dropFirst(3))).get())
        #expect(!text.contains("<") && !text.contains(">") && !text.contains("&"))
    }

    @Test func everyExampleEmbedsAsItself() throws {
        for name in Fixtures.exampleNames() where name.hasSuffix(".jsonld") {
            let bytes = Fixtures.example(name)
            #expect(try JSONValue.parse(ScriptSafeJSON.compact(bytes)).get() == JSONValue.parse(bytes).get(), "\(name)")
        }
    }

    // MARK: Sitemap

    @Test func theSitemapSplitsAtTheProtocolsLimit() {
        let pages = (1...5).map { "p\($0).html" }
        let one = Sitemap.files(pages: pages, baseURL: "https://uni.example/catalogue/", maxURLsPerFile: 5)
        #expect(one.map(\.path) == ["sitemap.xml"])
        #expect(
            String(decoding: one[0].bytes, as: UTF8.self).contains("<url><loc>https://uni.example/catalogue/p5.html</loc></url>"))
        let split = Sitemap.files(pages: pages, baseURL: "https://uni.example/", maxURLsPerFile: 4)
        #expect(split.map(\.path) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"])
        let index = String(decoding: split[0].bytes, as: UTF8.self)
        #expect(
            index.contains("<sitemapindex") && index.contains("<sitemap><loc>https://uni.example/sitemap-2.xml</loc></sitemap>"))
        #expect(String(decoding: split[2].bytes, as: UTF8.self).components(separatedBy: "<url>").count == 2)
        #expect(Sitemap.maxURLsPerFile == 50_000)
        #expect(SitePaths.isGenerated("sitemap-2.xml") && !SitePaths.isGenerated("sitemap-.xml"))
    }

    @Test func baseURLsAreChecked() {
        #expect(Sitemap.normalizedBaseURL("https://uni.example/catalogue") == "https://uni.example/catalogue/")
        #expect(Sitemap.normalizedBaseURL("http://uni.example/") == "http://uni.example/")
        for bad in [
            "uni.example", "/catalogue", "https://uni.example/?q=1", "https://uni.example/#x", "javascript:x", "https://",
        ] {
            #expect(Sitemap.normalizedBaseURL(bad) == nil, "\(bad)")
        }
        // An address with characters XML escapes.
        let file = Sitemap.files(pages: ["index.html"], baseURL: "https://uni.example/a&b/")[0]
        #expect(String(decoding: file.bytes, as: UTF8.self).contains("<loc>https://uni.example/a&amp;b/index.html</loc>"))
    }

    // MARK: Colours

    /// WCAG 2.1 relative luminance of `#rrggbb`.
    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16)!
        func channel(_ shift: Int) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test func contrastIsComputedAsWCAGSays() {
        #expect(abs(Self.contrast("#000000", "#ffffff") - 21) < 0.001)
        #expect(abs(Self.contrast("#777777", "#ffffff") - 4.48) < 0.01)
    }

    @Test(arguments: [("light", Palette.light), ("dark", Palette.dark)])
    func everyColourPairMeetsWCAG21AA(name: String, palette: Palette) {
        for pair in palette.textPairs {
            let ratio = Self.contrast(pair.foreground, pair.background)
            #expect(ratio >= 4.5, "\(name): \(pair.name) \(pair.foreground) on \(pair.background) is \(ratio):1")
        }
        for pair in palette.nonTextPairs {
            let ratio = Self.contrast(pair.foreground, pair.background)
            #expect(ratio >= 3, "\(name): \(pair.name) is \(ratio):1")
        }
    }

    @Test func theStylesheetUsesThePalette() {
        let css = Stylesheet.css
        for palette in [Palette.light, Palette.dark] {
            #expect(css.contains("--text: \(palette.text);") && css.contains("--missed-bg: \(palette.missedBackground);"))
        }
        #expect(
            css.contains("@media print") && css.contains("@media (prefers-color-scheme: dark)")
                && css.contains("@media (max-width: 40rem)"))
        // Every colour in the sheet comes from a palette (or is the print sheet's black and white).
        let allowed = Set(
            [Palette.light, Palette.dark].flatMap { p in
                (p.textPairs + p.nonTextPairs).flatMap { [$0.foreground, $0.background] } + [p.border]
            } + ["#ffffff", "#000000"])
        let used = css.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "#" }).filter {
            $0.hasPrefix("#") && $0.count == 7
        }.map(String.init)
        #expect(!used.isEmpty)
        for colour in used { #expect(allowed.contains(colour), "\(colour) is not in a palette") }
    }

    // MARK: Long pages

    @Test func aLongListIsWrittenInPiecesThatMakeTheSamePage() throws {
        let labels = Labels(vocabularies: Fixtures.engine.vocabularies)
        let opportunity = Opportunity(SyntaxTree(parsing: Fixtures.example("good-learning-opportunity.jsonld")), labels: labels)
        let entries = (0..<3000).map { i in
            var e = Entry(source: i, relativePath: "d/\(i).jsonld", opportunity: opportunity)
            e.slug = "lo-\(i)"
            e.title = LocalText(text: "Course \(i) <&>", lang: i % 2 == 0 ? "en" : "de")
            return e
        }
        let site = SiteContext(
            title: "T", labels: labels, criteria: QualityCriteria(catalogue: Fixtures.engine.catalogue),
            catalogueVersion: "1", generator: "g", providerSlugs: [:], entryCount: entries.count)
        var whole = HTMLWriter()
        Listing.table(&whole, entries, caption: "c", id: "c", root: "", site: site)
        var pieces: [[UInt8]] = []
        var streamed = HTMLWriter(sink: { pieces.append($0) })
        Listing.table(&streamed, entries, caption: "c", id: "c", root: "", site: site)
        #expect(pieces.count > 5, "a page of \(whole.bytes.count) bytes is handed over in pieces")
        #expect(pieces.allSatisfy { $0.count < HTMLWriter.flushSize + 4096 })
        #expect(pieces.flatMap { $0 } + streamed.bytes == whole.bytes)

        // Written through a stream: in place the first time, left alone when the same bytes are there.
        let folder = Fixtures.temporaryFolder("stream")
        for expected in [true, false] {
            // A second build finds the folder holding the first one's site.
            let output = try SiteOutput(path: folder.path, sourceFolder: Fixtures.packageRoot.path + "/Schemas")
            try output.prepare(["index.html"])
            let stream = try output.stream("index.html")
            for piece in pieces { stream.append(piece) }
            stream.append(streamed.bytes)
            #expect(try stream.finish() == expected)
        }
        let changed = try SiteOutput(path: folder.path, sourceFolder: Fixtures.packageRoot.path + "/Schemas").stream("index.html")
        changed.append(Array("other".utf8))
        #expect(try changed.finish() == true)
        #expect(FileManager.default.contents(atPath: folder.path + "/index.html") == Data("other".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }.isEmpty)
    }

    // MARK: HTML escaping (the shared escaper)

    @Test func theEscaperEscapesTheFiveAndNUL() {
        #expect(HTML.escape("a&b<c>d\"e'f\u{0}g é 😀") == "a&amp;b&lt;c&gt;d&quot;e&#39;f\u{FFFD}g é 😀")
        var bytes: [UInt8] = Array("x".utf8)
        HTML.appendEscaped("<>", to: &bytes)
        #expect(bytes == Array("x&lt;&gt;".utf8))
        #expect(HTML.escape("") == "" && HTML.escape("plain") == "plain")
        // Control characters go (tab and line breaks stay); bidirectional overrides go; noncharacters show as U+FFFD.
        #expect(HTML.escape("a\u{1}b\u{1F}c\u{7F}d\te\nf\rg") == "abcd\te\nf\rg")
        #expect(HTML.escape("price \u{202E}0001\u{202C} EUR \u{2066}x\u{2069}") == "price 0001 EUR x")
        #expect(HTML.escape("\u{202F}\u{2028}\u{2067}") == "\u{202F}\u{2028}")
        func scalar(_ v: UInt32) -> String { String(Unicode.Scalar(v)!) }
        let nonCharacters = [0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFF].map { "x" + scalar($0) }.joined()
        #expect(HTML.escape(nonCharacters) == String(repeating: "x\u{FFFD}", count: 6))
        #expect(HTML.escape("\u{FDCF}\u{FDF0}\u{FFFC}\u{1FFFD}") == "\u{FDCF}\u{FDF0}\u{FFFC}\u{1FFFD}")
    }
}
