import Criteria
import Foundation
import JSONSyntax
import Testing

@testable import RecognitionAgreements

@Suite struct DraftTests {
    static let lo = Document(path: "/ws/catalogue/rdm.jsonld", text: goodLearningOpportunity)

    @Test func aDraftFromTheExampleChecksWithNoErrorButThePendingSignatures() throws {
        let d = try Drafted([Self.lo])
        #expect(d.errors == ["AG-13"], "\(d.findings.map { "\($0.code) \($0.message)" })")
        #expect(d.codes == ["AG-13", "AG-21", "AG-17"])
        #expect(
            d.findings.first { $0.code == "AG-13" }?.message.contains(
                "`university-of-exampleton`, `hochschule-musterstadt` have not signed yet") == true)
        let placeholders = d.findings.filter { $0.code == "AG-21" }
        #expect(placeholders.count == 14)
        #expect(d.status?.state == .draft && d.status?.placeholders == 14)
        #expect(d.status?.unsignedParties == ["university-of-exampleton", "hochschule-musterstadt"])
        #expect(d.result.notes.isEmpty, "\(d.result.notes)")
    }

    @Test func whatTheDocumentGivesIsCarriedOver() throws {
        let d = try Drafted([Self.lo]).result.document
        let entry = try #require(d["learningOpportunities"]?.arrayValue?.first)
        #expect(entry["id"]?.stringValue == "urn:eccoe:lo:exampleton:rdm-2026")
        #expect(entry["key"]?.stringValue == "rdm-2026")
        #expect(entry["path"]?.stringValue == "../catalogue/rdm.jsonld")
        #expect(entry["credits"] == .int(5))
        #expect(entry["eqfLevel"]?.stringValue == "http://data.europa.eu/snb/eqf/6")
        #expect(
            entry["fieldsOfEducation"]?.arrayValue?.compactMap(\.stringValue) == [
                "http://data.europa.eu/snb/isced-f/0322", "http://data.europa.eu/snb/isced-f/0688",
            ])
        #expect(
            entry["languages"]?.arrayValue?.compactMap(\.stringValue) == [
                "http://publications.europa.eu/resource/authority/language/ENG"
            ])
        #expect(
            entry["learningOutcomes"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [
                "urn:epass:learningOutcome:dmp", "urn:epass:learningOutcome:metadata", "urn:epass:learningOutcome:publish",
            ])
        let issuer = try #require(d["parties"]?.arrayValue?.first)
        #expect(issuer["legalName"]?["en"]?.stringValue == "University of Exampleton")
        #expect(issuer["country"]?.stringValue == "http://publications.europa.eu/resource/authority/country/GBR")
        #expect(issuer["identifiers"]?.arrayValue?.first?["value"]?.stringValue == "10099999")
        #expect(issuer["homepage"]?.stringValue == "https://www.example.org/exampleton")
        let equivalence = try #require(d["equivalences"]?.arrayValue?.first)
        #expect(equivalence["creditsRecognised"] == .int(5))
        #expect(equivalence["outcomeCoverage"]?.arrayValue?.first?["coveredBy"]?.arrayValue?.count == 3)
        #expect(d["gradeConversion"]?["method"]?.stringValue == "passFail", "the example's grading scheme is pass/fail")
        let qa = d["qualityAssurance"]?["parties"]?.arrayValue ?? []
        #expect(qa.first?["agency"]?.stringValue == "Exampleton Agency for Quality in Higher Education")
        #expect(
            d["validity"]?["validFrom"]?.stringValue == "2027-09-01" && d["validity"]?["validUntil"]?.stringValue == "2030-08-31")
        #expect(d["signatures"]?.arrayValue?.count == 2)
    }

    @Test func theSameRequestGivesTheSameBytesAndStableIDs() throws {
        let a = try Drafted([Self.lo]).result.text
        let b = try Drafted([Self.lo]).result.text
        #expect(a == b)
        #expect(a.hasSuffix("}\n") && !a.hasSuffix("\n\n"))
        let id = try #require(try Drafted([Self.lo]).result.document["id"]?.stringValue)
        #expect(
            id.wholeMatch(of: #/urn:eccoe:agreement:university-of-exampleton-hochschule-musterstadt:2027:[0-9a-f]{8}/#) != nil)
        // Another recognising institution, another id.
        let other = try Drafted([Self.lo], name: "Vilnius Example University", country: "LTU").result.document["id"]?.stringValue
        #expect(other?.hasPrefix("urn:eccoe:agreement:university-of-exampleton-vilnius-example-university:2027:") == true)
        #expect(other != (try Drafted([Self.lo]).result.document["id"]?.stringValue))
    }

    @Test func withoutCreditsTheCreditsToRecogniseAreAPlaceholder() throws {
        // The workload is given in hours only (LO-09 accepts that where ECTS cannot be used).
        var text = goodLearningOpportunity
        let start = try #require(text.range(of: "\"creditPoint\": ["))
        let end = try #require(text.range(of: "\"volumeOfLearning\"", range: start.upperBound..<text.endIndex))
        text.removeSubrange(start.lowerBound..<end.lowerBound)
        let d = try Drafted([Document(path: "/ws/catalogue/rdm.jsonld", text: text)])
        #expect(d.errors == ["AG-13"], "\(d.findings.map { "\($0.code) \($0.message)" })")
        let equivalence = try #require(d.result.document["equivalences"]?.arrayValue?.first)
        #expect(equivalence["creditsRecognised"]?.stringValue.map(AgreementPlaceholder.isPlaceholder) == true)
        #expect(d.result.document["learningOpportunities"]?.arrayValue?.first?["credits"] == nil)
        #expect(d.result.notes == ["/ws/catalogue/rdm.jsonld: no ECTS credits: the credits to recognise are left to fill in"])
        #expect(d.findings.filter { $0.code == "AG-21" }.count == 15)
    }

    @Test func twoOpportunitiesInDifferentLanguagesGetOneEquivalenceEach() throws {
        let german =
            goodLearningOpportunity
            .replacing("urn:eccoe:lo:exampleton:rdm-2026", "urn:eccoe:lo:exampleton:fdm-2027")
            .replacing(
                "\"en\": \"Research Data Management (online course, autumn 2026)\"",
                "\"de\": \"Forschungsdatenmanagement (Online-Kurs, Herbst 2027)\""
            )
            .replacing(
                "\"en\": \"Write a data management plan that meets the requirements of a research funder\"",
                "\"de\": \"Einen Datenmanagementplan nach den Vorgaben eines Forschungsförderers schreiben\"")
        let d = try Drafted([Self.lo, Document(path: "/ws/catalogue/de/fdm.jsonld", text: german)])
        #expect(d.errors == ["AG-13"], "\(d.findings.map { "\($0.code) \($0.message)" })")
        let entries = d.result.document["learningOpportunities"]?.arrayValue ?? []
        #expect(entries.compactMap { $0["key"]?.stringValue } == ["rdm-2026", "fdm-2027"])
        #expect(entries.last?["title"]?["de"]?.stringValue == "Forschungsdatenmanagement (Online-Kurs, Herbst 2027)")
        #expect(entries.last?["path"]?.stringValue == "../catalogue/de/fdm.jsonld")
        #expect(entries.last?["learningOutcomes"]?.arrayValue?.first?["title"]?["de"] != nil)
        #expect(d.result.document["equivalences"]?.arrayValue?.count == 2)
        // One provider, so one issuing party.
        #expect(d.result.document["parties"]?.arrayValue?.count == 2)
        #expect(d.result.document["title"]?["en"]?.stringValue?.hasSuffix("on 2 learning opportunities") == true)
    }

    @Test func anOpportunityWithoutLearningOutcomesIsDraftedAndItsDefectReported() throws {
        var text = goodLearningOpportunity
        let start = try #require(text.range(of: "\"learningOutcome\": ["))
        let end = try #require(text.range(of: "\"provenBy\"", range: start.upperBound..<text.endIndex))
        text.removeSubrange(start.lowerBound..<end.lowerBound)
        let d = try Drafted([Document(path: "/ws/catalogue/rdm.jsonld", text: text)])
        // The learning opportunity fails LO-08, which the agreement reports as AG-05; nothing maps onto the module's outcomes (AG-19).
        #expect(Set(d.errors) == ["AG-13", "AG-05"], "\(d.findings.map { "\($0.code) \($0.message)" })")
        #expect(d.codes.contains("AG-19"))
        #expect(
            d.result.notes.contains(
                "/ws/catalogue/rdm.jsonld: no learning outcomes: the coverage of the module's outcomes cannot be mapped"))
        #expect(d.status?.state == .draft)
    }

    @Test func opportunitiesOfTwoProvidersMakeThreeParties() throws {
        let other =
            goodLearningOpportunity
            .replacing("urn:eccoe:lo:exampleton:rdm-2026", "urn:eccoe:lo:sampleford:rdm")
            .replacing("urn:epass:org:exampleton\"", "urn:epass:org:sampleford\"")
            .replacing("\"en\": \"University of Exampleton\"", "\"en\": \"Università di Sampleford\"")
        let d = try Drafted([Self.lo, Document(path: "/ws/rdm2.jsonld", text: other)])
        #expect(d.errors == ["AG-13"], "\(d.findings.map { "\($0.code) \($0.message)" })")
        let parties = d.result.document["parties"]?.arrayValue ?? []
        #expect(
            parties.compactMap { $0["id"]?.stringValue } == [
                "university-of-exampleton", "universita-di-sampleford", "hochschule-musterstadt",
            ])
        #expect(
            d.result.document["learningOpportunities"]?.arrayValue?.compactMap { $0["provider"]?.stringValue } == [
                "university-of-exampleton", "universita-di-sampleford",
            ])
        #expect(d.result.document["signatures"]?.arrayValue?.count == 3)
    }

    @Test func hostileTextsStayTextInTheDraft() throws {
        let hostile = #"</script><img src=x onerror=alert(1)> \"quoted\" \\ [[not a placeholder]] \u0000"#
        let text = goodLearningOpportunity.replacing("Research Data Management (online course, autumn 2026)", hostile)
        let d = try Drafted([Document(path: "/ws/x.jsonld", text: text)], name: "\"Evil\" <b>Uni</b> [[x]]")
        #expect(d.tree.diagnostics.isEmpty)
        #expect(d.errors == ["AG-13"], "\(d.findings.map { "\($0.code) \($0.message)" })")
        let title = d.result.document["learningOpportunities"]?.arrayValue?.first?["title"]?["en"]?.stringValue
        #expect(title == "</script><img src=x onerror=alert(1)> \"quoted\" \\ [[not a placeholder]] \u{0}")
        // Brackets in a name cannot break a placeholder open.
        #expect(d.result.text.contains("[[Erasmus code or PIC of \\\"Evil\\\" <b>Uni</b> x]]"))
    }

    @Test func documentsThatCannotBeDraftedFromSayWhy() throws {
        func read(_ text: String, _ path: String = "x.jsonld") -> String {
            do { _ = try LearningOpportunitySummary(reading: SyntaxTree(parsing: text), path: path); return "ok" } catch {
                return "\(error)"
            }
        }
        #expect(read("{").hasPrefix("not valid JSON:"))
        #expect(
            read(#"{"type": "EuropeanDigitalCredential"}"#)
                == "is a credential, not a learning opportunity (an ELM `LearningOpportunity` document)")
        #expect(read(#"{"x": 1}"#).hasPrefix("is not a learning opportunity"))
        #expect(read(#"{"type": "LearningOpportunity"}"#).hasPrefix("has no top-level `id`"))
        #expect(
            read(
                #"{"type": "LearningOpportunity", "id": "urn:x", "title": 5, "providedBy": [7, null, {"id": "urn:nowhere"}], "learningAchievementSpecification": "x"}"#
            ) == "ok")
    }

    @Test(arguments: [
        ("University of Exampleton", "university-of-exampleton"), ("Università di Bologna", "universita-di-bologna"),
        ("Vytauto Didžiojo universitetas", "vytauto-didziojo-universitetas"), ("東京大学", "issuing"),
        ("2U Academy", "issuing-2u-academy"),
        ("  --  ", "issuing"),
        ("Hochschule für angewandte Wissenschaften Musterstadt-Beispielheim", "hochschule-fur-angewandte-wissenschaften"),
    ])
    func partyKeys(_ name: String, _ key: String) {
        let slug = AgreementDraft.slug(name, fallback: "issuing")
        #expect(slug == key)
        #expect(slug.wholeMatch(of: #/[A-Za-z][A-Za-z0-9_-]*/#) != nil)
    }

    @Test func datesOfValidity() {
        #expect(CalendarDate(year: 2026, month: 3, day: 4).nextAcademicYearStart == CalendarDate(year: 2026, month: 9, day: 1))
        #expect(CalendarDate(year: 2026, month: 9, day: 1).nextAcademicYearStart == CalendarDate(year: 2026, month: 9, day: 1))
        #expect(CalendarDate(year: 2026, month: 9, day: 2).nextAcademicYearStart == CalendarDate(year: 2027, month: 9, day: 1))
        #expect(CalendarDate(year: 2028, month: 2, day: 29).addingYears(3) == CalendarDate(year: 2031, month: 2, day: 28))
        #expect(CalendarDate(year: 2027, month: 3, day: 1).previousDay == CalendarDate(year: 2027, month: 2, day: 28))
        #expect(CalendarDate(year: 2028, month: 3, day: 1).previousDay == CalendarDate(year: 2028, month: 2, day: 29))
        #expect(CalendarDate(year: 2027, month: 1, day: 1).previousDay == CalendarDate(year: 2026, month: 12, day: 31))
    }
}
