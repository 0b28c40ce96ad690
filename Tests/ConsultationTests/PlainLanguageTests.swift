import CriteriaCatalogue
import Foundation
import HTMLText
import HTTPTestSupport
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// Issue 18 item 2: every criterion has a plain statement for the public, in every shipped language, and the
/// form, the report and the codebook lead with it; the formal text goes under "technical details".
@Suite struct PlainLanguageTests {
    /// The languages the consultation ships: the built-in consultation's and the interface's message catalogues.
    static var shippedLanguages: [String] {
        let builtIn = ConsultationDefinition.builtIn(opensAt: testOpensAt).languages
        return Array(Set(builtIn).union(FormStrings.catalogues.keys)).sorted()
    }

    /// Words a participant who is not a data modeller should not meet in a plain statement.
    static let jargon = [
        "node", "iri", "shacl", "json", "schema", "elm", "vocabular", "noteliteral", "language map", "xsd", "iso 8601",
        "credentialsubject", "specifiedby", "hasclaim", "property", "properties", "claim",
    ]

    @Test func everyCriterionHasAPlainStatementInEveryShippedLanguage() {
        #expect(Self.shippedLanguages.contains("en") && Self.shippedLanguages.contains("fr"))
        #expect(Catalogue.standard.criteria.count == 77)
        for c in Catalogue.standard.criteria {
            for language in Self.shippedLanguages {
                guard let text = c.plain[language] else {
                    Issue.record("\(c.id) has no plain statement in \(language)")
                    continue
                }
                let words = text.split(whereSeparator: { $0.isWhitespace })
                #expect(!text.trimmingCharacters(in: .whitespaces).isEmpty, "\(c.id) \(language): empty")
                #expect(!text.contains("`"), "\(c.id) \(language): a backtick")
                #expect(words.count <= 45, "\(c.id) \(language): \(words.count) words; one or two short sentences")
                // At most two sentences: full stops followed by more text.
                let stops = text.components(separatedBy: ". ").count - 1 + text.components(separatedBy: " ; ").count - 1
                #expect(stops <= 1, "\(c.id) \(language): more than two sentences")
                // No property paths (a.b), no camelCase identifiers, no file names, no jargon.
                #expect(text.range(of: #"[A-Za-z]\.[A-Za-z]"#, options: .regularExpression) == nil, "\(c.id) \(language): a path")
                #expect(
                    text.range(of: #"\b[a-z]+[A-Z][A-Za-z]*\b"#, options: .regularExpression) == nil,
                    "\(c.id) \(language): camelCase")
                let lower = text.lowercased()
                for j in Self.jargon {
                    #expect(lower.range(of: "\\b\(j)", options: .regularExpression) == nil, "\(c.id) \(language): “\(j)”")
                }
            }
            // The French statement is a translation, not a copy of the English one.
            #expect(c.plain["fr"] != c.plain["en"], "\(c.id): French equals English")
        }
    }

    @Test func aRegionalTagReadsItsLanguageAndAnUnknownOneFallsBackToEnglish() throws {
        let c = try #require(Catalogue.standard["MC-07"])
        #expect(c.plainStatement(in: "fr-BE")?.language == "fr")
        #expect(c.plainStatement(in: "fr")?.text == c.plain["fr"])
        #expect(c.plainStatement(in: "de")?.language == "en")
        #expect(c.plainStatement(in: "de")?.text == c.plain["en"])
    }

    @Test func aDefinitionMayWordThePlainStatementAndAMissingLanguageIsMarked() throws {
        let source = multilingualDefinition.replacingOccurrences(
            of: "\"criteria\": {\"MC-01\": {\"title\": {",
            with: "\"criteria\": {\"MC-01\": {\"plain\": {\"en\": \"Who you are.\", \"de\": \"Wer Sie sind.\"}, \"title\": {")
        #expect(source != multilingualDefinition)
        let de = try ConsultationDefinition.load(Array(source.utf8), language: "de").get()
        #expect(de.items[0].plainStatement(in: "de")?.text == "Wer Sie sind.")
        #expect(!de.untranslated.contains("Wer Sie sind."))
        let ar = try ConsultationDefinition.load(Array(source.utf8), language: "ar").get()
        #expect(ar.untranslated.contains("Who you are."), "Arabic is not given: English, marked")
        let missing = Set(de.missingTranslations.map { "\($0.path) \($0.language)" })
        #expect(missing.contains("/criteria/MC-01/plain ar") && !missing.contains("/criteria/MC-01/plain de"))

        // Without the definition's wording: the catalogue's; German is not in the catalogue, so English, marked.
        let plainDE = try ConsultationDefinition.load(Array(multilingualDefinition.utf8), language: "de").get()
        let english = try #require(Catalogue.standard["MC-01"]?.plain["en"])
        #expect(plainDE.untranslated.contains(english))
        let builtIn = ConsultationDefinition.builtIn(opensAt: testOpensAt).translated(to: "fr")
        #expect(!builtIn.missingTranslations.contains { $0.path.hasSuffix("/plain") }, "the catalogue has French")
        let french = try #require(builtIn.items[0].plain["fr"])
        #expect(!builtIn.untranslated.contains(french))
        // The built-in consultation words every rated criterion's title in French too: a French page reads in French
        // but for the technical details and the rationales.
        for item in builtIn.items {
            #expect(!builtIn.untranslated.contains(item.title), "\(item.id)")
        }
    }

    /// The form leads each criterion with its plain statement in the page language; the formal requirement and
    /// the data paths are inside a closed `<details>` whose summary is "technical details" in that language.
    @Test(arguments: ["en", "fr"]) func theFormLeadsWithThePlainStatement(_ language: String) throws {
        let c = try TestCollector()
        defer { c.stop() }
        let html = try c.request("GET", "/?lang=\(language)").text
        let strings = FormStrings.catalogue(for: language)
        let mc07 = try #require(Catalogue.standard["MC-07"])
        let block = try #require(
            html.components(separatedBy: "<fieldset class=\"criterion\" id=\"criterion-MC-07\"").dropFirst().first?
                .components(separatedBy: "</fieldset>").first)
        let statement = try #require(mc07.plain[language])
        let plain = "<p class=\"plain\" id=\"plain-MC-07\">\(HTML.escape(statement))</p>"
        let details = "<details class=\"technical\"><summary>\(HTML.escape(strings.technicalDetails))</summary>"
        let legend = try #require(block.range(of: "</legend>")), lead = try #require(block.range(of: plain))
        let disclosure = try #require(block.range(of: details))
        let requirement = try #require(block.range(of: "<p class=\"requirement\" id=\"req-MC-07\">"))
        let rating = try #require(block.range(of: "class=\"rating-question\""))
        #expect(legend.upperBound <= lead.lowerBound && lead.upperBound <= disclosure.lowerBound)
        #expect(disclosure.upperBound <= requirement.lowerBound)
        #expect(
            block[disclosure.upperBound..<rating.lowerBound].contains("</details>"), "the requirement is inside the disclosure")
        for path in mc07.elmPaths { #expect(block[disclosure.upperBound..<rating.lowerBound].contains("<code>\(path)</code>")) }
        #expect(!block[..<disclosure.lowerBound].contains("<code>"), "nothing technical before the disclosure")
        #expect(
            block.contains("aria-describedby=\"plain-MC-07\"")
                || html.contains("id=\"criterion-MC-07\" aria-describedby=\"plain-MC-07\""))
        #expect(!html.contains("<script"), "works without script")
        // Every rated criterion has its statement, none marked untranslated in a shipped language.
        for item in c.definition.items {
            #expect(
                html.contains("<p class=\"plain\" id=\"plain-\(item.id)\">\(HTML.escape(item.plain[language] ?? "?"))</p>"),
                "\(item.id)")
        }
    }

    @Test func theReportAndTheCodebookUseThePlainStatement() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let statistics = try Statistics.compute(reader: try c.store.openReader(), definition: c.definition, asOf: nil)
        let report = Report(definition: c.definition, statistics: statistics).html
        let mc07 = try #require(Catalogue.standard["MC-07"])
        let section = try #require(
            report.components(separatedBy: "<h3 id=\"c-MC-07\">").dropFirst().first?.components(separatedBy: "<h3").first)
        let english = try #require(mc07.plain["en"])
        let plain = try #require(section.range(of: "<p class=\"plain\">\(HTML.escape(english))</p>"))
        let technical = try #require(section.range(of: "<details class=\"technical\">"))
        #expect(plain.upperBound <= technical.lowerBound)
        #expect(section[technical.upperBound...].contains(HTML.inlineCode(mc07.requirement)))

        let rows = Codebook(definition: c.definition, format: .csv).csv.components(separatedBy: "\r\n")
        #expect(rows[0] == "kind,name,label,type,values,text,plain")
        let row = try #require(rows.first { $0.hasPrefix("criterion,MC-07,") })
        #expect(row.hasSuffix(",\(Exporter.csvCell(english))"))
    }
}
