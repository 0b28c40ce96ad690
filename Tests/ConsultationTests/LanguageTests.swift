import Criteria
import Foundation
import HTMLText
import HTTP
import HTTPTestSupport
import JSONSyntax
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

@Suite struct LanguageNegotiationTests {
    @Test(
        arguments: [
            ("fr-BE,fr;q=0.9,en;q=0.8", "fr"), ("en-GB,en;q=0.9", "en"), ("de-DE,de;q=0.9", nil), ("de,fr;q=0.5", "fr"),
            ("fr;q=0.2,en;q=0.9", "en"), ("fr;q=0,en;q=0.1", "en"), ("FR", "fr"), ("*", "en"), ("", nil), ("fr;q=abc", nil),
            ("es, fr ;q=0.4 , en;q=0.3", "fr"),
        ] as [(String, String?)])
    func acceptLanguagePicksTheHighestWeightedOffer(_ header: String, _ expected: String?) {
        #expect(LanguageNegotiation.choose(acceptLanguage: header, available: ["en", "fr"]) == expected)
    }

    @Test func aHugeHeaderIsReadOnlyAsFarAsItsLimit() {
        let header = Array(repeating: "de", count: LanguageNegotiation.maxRanges).joined(separator: ",") + ",fr"
        #expect(LanguageNegotiation.choose(acceptLanguage: header, available: ["en", "fr"]) == nil)
        let within = Array(repeating: "de", count: LanguageNegotiation.maxRanges - 1).joined(separator: ",") + ",fr"
        #expect(LanguageNegotiation.choose(acceptLanguage: within, available: ["en", "fr"]) == "fr")
    }
}

/// A small definition in three languages, German incomplete and Arabic right to left.
let multilingualDefinition = """
    {"id": "ml", "languages": ["en", "de", "ar"],
     "title": {"en": "Criteria consultation", "de": "Qualitätssicherungsanforderungsbeschreibungskonsultation", "ar": "استشارة المعايير"},
     "catalogueVersion": "\(Catalogue.standard.version)",
     "privacy": {"version": "1", "text": {"en": "We keep your answers.", "ar": "نحتفظ بإجاباتك."}},
     "timeZone": "Europe/Brussels", "opensAt": "2026-01-01T00:00:00Z", "closesAt": "2027-01-01T00:00:00Z",
     "profile": [{"id": "capacity", "type": "singleChoice", "label": {"en": "I respond", "de": "Ich antworte", "ar": "أجيب"},
       "options": [{"value": "a", "label": {"en": "alone", "de": "allein", "ar": "وحدي"}}, {"value": "b", "label": "as a group"}]}],
     "criteria": {"MC-01": {"title": {"en": "Who the learner is", "de": "Wer die lernende Person ist", "ar": "من هو المتعلم"}}},
     "sections": [{"id": "s", "title": {"en": "Credentials", "de": "Nachweise", "ar": "الشهادات"}, "items": {"criteria": ["MC-01"]}}]}
    """

@Suite struct MultilingualDefinitionTests {
    func load(_ language: String?) throws -> ConsultationDefinition {
        try ConsultationDefinition.load(Array(multilingualDefinition.utf8), language: language).get()
    }

    @Test func textsAreReadInTheRequestedLanguageAndFallBackToEnglishVisibly() throws {
        let en = try load(nil), de = try load("de"), ar = try load("ar")
        #expect(en.languages == ["en", "de", "ar"] && en.language == "en" && en.untranslated.isEmpty)
        #expect(de.title == "Qualitätssicherungsanforderungsbeschreibungskonsultation")
        #expect(de.privacyText == "We keep your answers." && de.untranslated.contains("We keep your answers."))
        #expect(de.profile[0].options[1].label == "as a group", "a plain string is every language's text")
        #expect(de.items[0].title == "Wer die lernende Person ist")
        // The catalogue's requirement is English: marked untranslated in German and Arabic, listed as missing.
        #expect(de.untranslated.contains(de.items[0].requirement))
        #expect(ar.privacyText == "نحتفظ بإجاباتك.")
        #expect(ConsultationDefinition.isRightToLeft("ar") && !ConsultationDefinition.isRightToLeft("de"))
        let missing = Set(en.missingTranslations.map { "\($0.path) \($0.language)" })
        #expect(missing.contains("/privacy/text de"))
        #expect(missing.contains("/criteria/MC-01/requirement ar"))
        #expect(!missing.contains("/title de") && !missing.contains("/criteria/MC-01/title de"))
        #expect(en.translated(to: "de").title == de.title)
    }

    @Test func aTextInAnUndeclaredLanguageOrAnUnknownTagIsAProblem() {
        let bad = multilingualDefinition.replacingOccurrences(of: "\"ar\": \"استشارة المعايير\"", with: "\"xx\": \"?\"")
        guard case .failure(let e) = ConsultationDefinition.load(Array(bad.utf8)) else {
            Issue.record("accepted a text in an undeclared language")
            return
        }
        #expect(e.problems.contains { $0.message.contains("`xx` is not one of the definition's languages") })
        let tag = multilingualDefinition.replacingOccurrences(of: "[\"en\", \"de\", \"ar\"]", with: "[\"en\", \"en\", \"d e\"]")
        guard case .failure(let e2) = ConsultationDefinition.load(Array(tag.utf8)) else {
            Issue.record("accepted bad language tags")
            return
        }
        #expect(e2.problems.contains { $0.message.contains("listed twice") })
        #expect(e2.problems.contains { $0.message.contains("BCP 47") })
    }

    @Test func theBuiltInConsultationShipsInEnglishAndFrench() {
        let d = ConsultationDefinition.builtIn(opensAt: testOpensAt)
        #expect(d.languages == ["en", "fr"] && d.untranslated.isEmpty)
        let fr = d.translated(to: "fr")
        #expect(fr.title.hasPrefix("Consultation publique"))
        #expect(fr.opensAt == d.opensAt && fr.closesAt == d.closesAt)
        // Every text of the definition itself is translated; only the catalogue's criterion texts fall back.
        let own = fr.missingTranslations.filter { !$0.path.hasPrefix("/criteria/") }
        #expect(own.isEmpty, "\(own.map(\.path))")
        #expect(fr.untranslated.contains(fr.items[0].requirement))
    }
}

@Suite struct MessageCatalogueTests {
    /// Every interface string of every catalogue is translated (differs from English), and its `%1` `%2`
    /// placeholders are the English ones.
    @Test func eMailProblemsAreWordedByTheCatalogues() {
        // The English catalogue says what the domain's English text says, for every problem.
        for problem in EmailProblem.allCases {
            #expect(FormStrings.english.reason(problem) == problem.english)
            let english = FormStrings.english.message(for: FieldError("/profile/email", .notAnEmail("x", problem)))
            #expect(english == FieldProblem.notAnEmail("x", problem).english)
            #expect(FormStrings.french.reason(problem) != problem.english, "\(problem) is not translated")
        }
        #expect(
            FormStrings.french.message(for: FieldError("/profile/email", .notAnEmail("a@b", .domainWithoutDot)))
                == "« a@b » n’est pas une adresse électronique : le domaine après le @ n’a pas de point ; il ressemble à exemple.fr"
        )
        #expect(FormStrings.french.message(for: FieldError("/profile/org", .oneLine)) != FieldProblem.oneLine.english)
    }

    @Test func everyCatalogueTranslatesEveryString() {
        expectTranslated(FormStrings.self, "form string")
        for (tag, catalogue) in FormStrings.catalogues { #expect(catalogue.languageTag == tag) }
        // The report's catalogues: one per interface language, every string translated, placeholders kept.
        #expect(Set(ReportStrings.catalogues.keys) == Set(FormStrings.catalogues.keys), "a language without its report strings")
        expectTranslated(ReportStrings.self, "report string")
        for (tag, catalogue) in ReportStrings.catalogues { #expect(catalogue.languageTag == tag) }
        #expect(FormStrings.catalogue(for: "fr-BE").languageTag == "fr")
        #expect(FormStrings.catalogue(for: "de").languageTag == "en")
    }
}

@Suite(.serialized) struct LanguageFormTests {
    func cookies(_ r: RawResponse) -> [String] { r.headers("Set-Cookie").map { String($0.prefix { $0 != ";" }) } }

    @Test func thePageLanguageIsNegotiatedSwitchedByALinkAndRemembered() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let fr = try c.request("GET", "/", headers: [("Accept-Language", "fr-BE,fr;q=0.9,en;q=0.5")]).text
        #expect(fr.contains("<html lang=\"fr\">"))
        #expect(fr.contains("<h1>Consultation publique sur les critères de qualité ECCOE pour les micro-certifications</h1>"))
        #expect(fr.contains(HTML.escape(FormStrings.french.submit)) && !fr.contains(HTML.escape(FormStrings.english.submit)))
        #expect(fr.contains("name=\"lang\" value=\"fr\""))
        #expect(fr.contains("juin 2026, "), "dates in French (the built-in closes on 29 June 2026 here)")
        #expect(fr.contains("<span class=\"level\">(obligatoire)</span>") && !fr.contains("(mandatory)"))
        #expect(fr.contains("<a href=\"?lang=en\" lang=\"en\" hreflang=\"en\">English</a>"))
        // The built-in consultation words the criteria's titles in French; the catalogue's rationales are English:
        // marked in the page, in English's `lang`.
        let mc01 = try #require(c.definition.translated(to: "fr").item("MC-01"))
        #expect(mc01.title == "Identification de l’apprenant")
        #expect(fr.contains("<span class=\"cid\">MC-01</span> \(HTML.escape(mc01.title)) <span class=\"level\">"))
        #expect(fr.contains("<span lang=\"en\" dir=\"auto\">\(HTML.escape(mc01.rationale))</span> <span class=\"untranslated\">"))
        let de = try c.request("GET", "/", headers: [("Accept-Language", "de")]).text
        #expect(de.contains("<html lang=\"en\">"), "no German: the first language")
        #expect(!de.contains("class=\"untranslated\""))
        // The switch: ?lang=en wins over the header and is remembered in a cookie.
        let switched = try c.request("GET", "/?lang=en", headers: [("Accept-Language", "fr")])
        #expect(switched.text.contains("<html lang=\"en\">"))
        #expect(cookies(switched).contains("eccoe_lang=en"))
        let remembered = try c.request("GET", "/", headers: [("Accept-Language", "fr"), ("Cookie", "eccoe_lang=en")])
        #expect(remembered.text.contains("<html lang=\"en\">"))
        #expect(try c.request("GET", "/?lang=xx", headers: [("Accept-Language", "fr")]).text.contains("<html lang=\"fr\">"))
    }

    /// The journey in each shipped language, as a browser without script makes it: the form, a saved draft that
    /// survives the language switch, submission, the receipt in that language, and the language in the export
    /// and in the statistics' breakdown.
    @Test(arguments: ["en", "fr"]) func theJourneyInEachLanguage(_ language: String) throws {
        let c = try TestCollector()
        defer { c.stop() }
        let other = language == "en" ? "fr" : "en"
        var session = try FormSession(c)
        let strings = FormStrings.catalogue(for: language)
        // Save a draft in the other language, then switch by the link: the draft comes back.
        let draft = try session.post(
            "/", [("profile.role", "Registrar"), ("rating.MC-01", "4"), ("lang", other), ("action", "draft")])
        #expect(draft.status == 303)
        let draftCookie = try #require(cookies(draft).first { $0.hasPrefix("eccoe_draft=") })
        let page = try c.request("GET", "/?lang=\(language)", headers: [("Cookie", "\(session.cookie); \(draftCookie)")])
        #expect(page.text.contains("<html lang=\"\(language)\">"))
        #expect(page.text.contains("value=\"Registrar\">"), "the draft is kept across the switch")
        #expect(page.text.contains("name=\"rating.MC-01\" value=\"4\" checked"))
        session.submissionKey = try #require(FormSession.hidden("submissionKey", in: page.text))
        // Submit in this language: the receipt speaks it.
        let receipt = try session.post("/", session.validFields() + [("lang", language)])
        #expect(receipt.status == 200)
        #expect(receipt.text.contains("<html lang=\"\(language)\">"))
        #expect(receipt.text.contains(HTML.escape(strings.receiptTitle)))
        // An error re-render speaks it too.
        let invalid = try session.post("/", [("rating.MC-01", "9"), ("lang", language)])
        #expect(invalid.status == 422 && invalid.text.contains(HTML.escape(strings.errorSummaryTitle)))
        // The export's language column and the statistics' breakdown by language.
        let csv = String(
            decoding: try c.request(
                "GET", "/api/v1/export?format=csv", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")]
            ).body, as: UTF8.self)
        let header = try #require(csv.split(separator: "\r\n").first).split(separator: ",")
        let column = try #require(header.firstIndex(of: "language"))
        let rows = csv.split(separator: "\r\n").dropFirst()
        #expect(
            !rows.isEmpty
                && rows.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[column] == Substring(language) })
        let stats = try c.request(
            "GET", "/api/v1/statistics", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")]
        ).text
        #expect(stats.contains("\"question\":\"language\""))
    }

    @Test func aRightToLeftLanguageSetsTheDirection() throws {
        let d = try ConsultationDefinition.load(Array(multilingualDefinition.utf8)).get()
        let c = try TestCollector(definition: d)
        defer { c.stop() }
        let ar = try c.request("GET", "/?lang=ar").text
        #expect(ar.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(ar.contains("not translated into العربية yet"), "no Arabic interface: said visibly")
        let de = try c.request("GET", "/", headers: [("Accept-Language", "de-AT")]).text
        #expect(de.contains("<html lang=\"de\">") && de.contains("Qualitätssicherungsanforderungsbeschreibungskonsultation"))
        let css = try c.request("GET", "/assets/form.css").text
        #expect(css.contains("hyphens: auto") && css.contains("overflow-wrap: anywhere") && !css.contains("padding-left"))
    }
}

/// Every text of every catalogue of `C` but English differs from the English text (but those named in `same`) and
/// keeps its placeholders `%1` … `%6`; every field of a catalogue is a text.
func expectTranslated<C: MessageCatalogue>(_: C.Type, _ what: String, same: Set<String> = []) {
    let english = Dictionary(uniqueKeysWithValues: C.english.all)
    #expect(english.count == Mirror(reflecting: C.english).children.count, "every field of a \(what) catalogue is a text")
    for (tag, catalogue) in C.catalogues where tag != "en" {
        for (name, value) in catalogue.all {
            let en = english[name]!
            if !same.contains(name) { #expect(value != en, "\(tag): \(what) `\(name)` is not translated") }
            for p in (1...6).map({ "%\($0)" }) {
                #expect(value.contains(p) == en.contains(p), "\(tag): \(what) `\(name)` placeholders")
            }
        }
    }
}
