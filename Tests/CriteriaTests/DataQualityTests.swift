import Foundation
import JSONSyntax
import Testing

@testable import Criteria

/// Findings with one code for a document text checked as `kind`.
func findings(_ json: String, kind: DocumentKind?, code: String, path: String = "test.json") -> [Finding] {
    engine.check(SyntaxTree(parsing: json), path: path, kind: kind).filter { $0.code == code }
}

/// A credential holding one LearningAchievement claim whose specification has the given members.
func credential(spec: String, root: String = "") -> String {
    """
    {"@context": ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"],
     "type": ["VerifiableCredential", "EuropeanDigitalCredential"]\(root.isEmpty ? "" : ", " + root),
     "credentialSubject": {"type": "Person", "hasClaim": {"type": "LearningAchievement", "title": {"en": "T"},
       "specifiedBy": {"type": "Qualification", "title": {"en": "T"}\(spec.isEmpty ? "" : ", " + spec)}}}}
    """
}

func ects(_ points: String, hours: String) -> String {
    credential(
        spec:
            #""creditPoint": {"type": "CreditPoint", "framework": {"id": "http://data.europa.eu/snb/education-credit/6fcec5c5af"}, "point": "\#(points)"}, "volumeOfLearning": "\#(hours)""#
    )
}

@Suite struct CreditsAgainstHoursTests {
    /// 4 credits: 22.5 × 4 = 90 hours is the lowest and 33 × 4 = 132 the highest accepted.
    @Test(arguments: [("PT90H", 0), ("PT89H", 1), ("PT132H", 0), ("PT133H", 1), ("PT100H", 0), ("PT5400M", 0), ("PT5339M", 1)])
    func atTheLimits(_ hours: String, _ count: Int) {
        #expect(findings(ects("4", hours: hours), kind: .credential, code: "DQ-01").count == count, "\(hours)")
    }

    @Test func suggestsHoursForTheCredits() throws {
        let f = try #require(findings(ects("5", hours: "PT40H"), kind: .credential, code: "DQ-01").first)
        #expect(f.severity == .warning)
        #expect(f.fix?.choices.map(\.json) == ["\"PT125H\"", "\"PT150H\""])
        #expect(f.message.contains("expect 125–150 hours"))
    }

    @Test func calendarDurationsAndOtherFrameworksAreNotCompared() {
        #expect(findings(ects("5", hours: "P1M"), kind: .credential, code: "DQ-01").isEmpty)
        let other = credential(
            spec: #""creditPoint": {"framework": {"id": "http://example.org/credits"}, "point": "5"}, "volumeOfLearning": "PT1H""#
        )
        #expect(findings(other, kind: .credential, code: "DQ-01").isEmpty)
    }
}

@Suite struct DurationTests {
    @Test(arguments: ["PT60H", "P6M", "P1Y2M3DT4H5M6S", "PT0.5S", "-P1D", "P0D", "PT1H30M", "P35D"])
    func valid(_ text: String) { #expect(ISODuration(text) != nil) }

    @Test(arguments: [
        "", "P", "PT", "P1DT", "60H", "PT60", "P1H", "PT1D", "P1.5D", "P1M1Y", "PT1M1H", "3 months", "pt60h", "P1W",
    ])
    func invalid(_ text: String) { #expect(ISODuration(text) == nil) }

    @Test func hours() {
        #expect(ISODuration("PT1H30M")?.hoursIfTimeOnly == 1.5)
        #expect(ISODuration("P1D")?.hoursIfTimeOnly == nil)
    }

    @Test(
        arguments: [
            ("3 months", "P3M"), ("60 hours", "PT60H"), ("60h", "PT60H"), ("pt60h", "PT60H"), ("2 weeks", "P14D"),
            ("1 year 6 months", "P1Y6M"), ("soon", nil), ("", nil),
        ] as [(String, String?)])
    func suggestions(_ text: String, _ expected: String?) { #expect(ISODuration.suggestion(for: text) == expected) }

    /// Texts up to `maxSuggestionInput` bytes are read; a longer one (prose typed into a duration field) gets none.
    @Test func suggestionsReadShortTextsOnly() {
        let limit = ISODuration.maxSuggestionInput
        let padded = "60 hours" + String(repeating: " ", count: limit - 8)
        #expect(padded.utf8.count == limit)
        #expect(ISODuration.suggestion(for: padded) == "PT60H")
        #expect(ISODuration.suggestion(for: padded + " ") == nil)
    }

    @Test func invalidDurationsAreReportedWithACorrection() throws {
        let f = try #require(
            findings(credential(spec: #""maximumDuration": "3 months""#), kind: .credential, code: "DQ-02").first)
        #expect(f.fix?.edits.map(\.newText) == ["\"P3M\""])
        #expect(findings(credential(spec: #""maximumDuration": 60"#), kind: .credential, code: "DQ-02").count == 1)
    }

    @Test func monthsOfWorkloadAreAmbiguous() throws {
        let f = try #require(findings(credential(spec: #""volumeOfLearning": "P60M""#), kind: .credential, code: "DQ-03").first)
        #expect(f.fix?.edits.map(\.newText) == ["\"PT60H\""])
        #expect(findings(credential(spec: #""volumeOfLearning": "PT60M""#), kind: .credential, code: "DQ-03").isEmpty)
        #expect(findings(credential(spec: #""maximumDuration": "P60M""#), kind: .credential, code: "DQ-03").isEmpty)
        #expect(findings(credential(spec: #""volumeOfLearning": "P2D""#), kind: .credential, code: "DQ-03").first?.fix == nil)
    }
}

@Suite struct DateTests {
    @Test func parsing() throws {
        let a = try #require(ISODateTime("2026-07-15T09:00:00Z"))
        let b = try #require(ISODateTime("2026-07-15T11:00:00+02:00"))
        #expect(a.seconds == b.seconds && a.hasZone && a.hasTime)
        #expect(ISODateTime("2026-07-15")?.hasTime == false)
        #expect(ISODateTime("2026-07-15T09:00:00")?.hasZone == false)
        #expect(ISODateTime("2026-07-15T09:00:00.250Z")?.seconds == a.seconds + 0.25)
        for bad in [
            "2026-02-30", "2026-13-01", "2026-07-15T25:00:00Z", "2026-07-15 09:00", "15.07.2026", "", "2026-07-15T09:00:00+2",
        ] {
            #expect(ISODateTime(bad) == nil, "\(bad)")
        }
        #expect(ISODateTime("2024-02-29") != nil)
        #expect(ISODateTime("2023-02-29") == nil)
        #expect(CalendarDate(secondsSince1970: Int(a.seconds)) == CalendarDate(year: 2026, month: 7, day: 15))
        #expect(CalendarDate(secondsSince1970: -1) == CalendarDate(year: 1969, month: 12, day: 31))
    }

    @Test func orderOfCredentialDates() {
        #expect(
            findings(
                credential(spec: "", root: #""validFrom": "2026-07-15T00:00:00Z", "validUntil": "2026-07-14T23:59:59Z""#),
                kind: .credential, code: "DQ-04"
            ).count == 1)
        #expect(
            findings(
                credential(spec: "", root: #""validFrom": "2026-07-15T02:00:00+02:00", "validUntil": "2026-07-15T00:00:00Z""#),
                kind: .credential, code: "DQ-04"
            ).isEmpty, "the same instant")
        #expect(
            findings(
                credential(spec: #""temporal": {"startDate": "2026-01-02T00:00:00Z", "endDate": "2026-01-01T00:00:00Z"}"#),
                kind: .credential, code: "DQ-04"
            ).count == 1)
    }

    @Test func timeZonesAreAddedAsUTC() throws {
        let f = try #require(
            findings(credential(spec: "", root: #""validFrom": "2026-07-15T09:00:00""#), kind: .credential, code: "DQ-05").first)
        #expect(f.fix?.edits.map(\.newText) == ["\"2026-07-15T09:00:00Z\""])
        #expect(
            findings(credential(spec: "", root: #""validFrom": "2026-07-15T09:00:00-05:00""#), kind: .credential, code: "DQ-05")
                .isEmpty)
    }
}

@Suite struct LanguageAndKeyTests {
    @Test(
        arguments: [("english", "en"), ("EN", "en"), ("en-GB", "en"), ("German", "de"), ("deu", "de"), ("xx", nil)]
            as [(String, String?)])
    func languageKeySuggestions(_ key: String, _ expected: String?) {
        #expect(LanguageMapKeyRule.suggestion(for: key, Vocabularies.standard) == expected)
    }

    @Test func languageMapKeysMustBeISO6391() {
        let doc = credential(spec: #""description": {"en": "ok", "EN": "x", "xx": "y", "@none": "z"}"#)
        let found = findings(doc, kind: .credential, code: "DQ-06")
        #expect(found.count == 2)
        #expect(found.first?.fix?.edits.map(\.newText) == ["\"en\""])
    }

    @Test func oneTextPerLanguage() throws {
        let f = try #require(
            findings(credential(spec: #""description": {"en": ["a", "b"]}"#), kind: .credential, code: "DQ-07").first)
        #expect(f.fix?.edits.map(\.newText) == ["\"a\""])
        #expect(findings(credential(spec: #""description": {"en": ["a"]}"#), kind: .credential, code: "DQ-07").isEmpty)
    }

    @Test func lookAlikes() {
        #expect(Confusables.asciiTwin(of: "eIDAS\u{0399}dentifier")?.twin == "eIDASIdentifier")
        #expect(Confusables.asciiTwin(of: "titl\u{0435}")?.twin == "title")  // Cyrillic е
        #expect(Confusables.asciiTwin(of: "\u{FF54}itle")?.twin == "title")  // fullwidth t
        #expect(Confusables.asciiTwin(of: "title") == nil)
        #expect(Confusables.asciiTwin(of: "Grüße") == nil)
    }

    @Test func lookAlikeKeysAreReportedWhereverTheyAre() {
        // In an agreement and in a consultation, as an escape, but not a key written wholly in Greek.
        let agreement =
            "{\"$schema\": \"agreement.schema.json\", \"p\u{0430}rties\": [], \"\\u0399d\": 1, \"\u{0399}\u{03C3}\u{03C4}\u{03BF}\u{03C1}\u{03AF}\u{03B1}\": 2}"
        let found = findings(agreement, kind: .agreement, code: "DQ-08")
        #expect(found.count == 2)
        #expect(found.map { $0.fix?.edits.first?.newText } == ["\"parties\"", "\"Id\""])
    }
}

/// MC-21's node references: an object holding only `id` (and `type`) refers to a node described in full
/// elsewhere in the document; one that refers to nothing is reported at its id.
@Suite struct NodeReferenceTests {
    func dangling(_ root: String) -> [Finding] {
        findings(credential(spec: "", root: root), kind: .credential, code: "MC-21").filter {
            $0.message.contains("described nowhere")
        }
    }

    @Test func aReferenceToNothingIsReportedAtItsID() throws {
        let json = credential(spec: "", root: #""issuer": {"id": "urn:org:1", "type": "Organisation"}"#)
        let found = dangling(#""issuer": {"id": "urn:org:1", "type": "Organisation"}"#)
        let finding = try #require(found.first)
        #expect(found.count == 1)
        #expect(
            finding.message.hasSuffix(
                "`urn:org:1` refers to an Organisation that is described nowhere in this document; describe it in full once (with its required properties) or write it out here"
            ))
        let bytes = Array(json.utf8)
        #expect(String(decoding: bytes[finding.range], as: UTF8.self) == "\"urn:org:1\"")
    }

    /// Several references to one id described nowhere are one mistake: one finding, at the first, counting the others.
    @Test func oneFindingPerIDDescribedNowhere() throws {
        let root =
            #""issuer": {"id": "urn:org:1", "type": "Organisation"}, "x": [{"id": "urn:org:1", "type": "Organisation"}, {"id": "urn:org:1", "type": "Organisation"}]"#
        let found = dangling(root)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("described nowhere in this document (and 2 other references to it)") == true)
        let json = credential(spec: "", root: root)
        let first = try #require(json.range(of: "\"urn:org:1\""))
        #expect(found.first?.range.lowerBound == json.utf8.distance(from: json.utf8.startIndex, to: first.lowerBound))
    }

    @Test func aReferenceToANodeDescribedElsewhereIsFine() {
        #expect(
            dangling(
                #""issuer": {"id": "urn:org:1", "type": "Organisation"}, "x": {"id": "urn:org:1", "type": "Organisation", "legalName": {"en": "U"}}"#
            ).isEmpty)
    }

    /// Keys are read as written (an escaped `id` is `id`); in a `type` list the first class that may be
    /// referenced names it; a type that is not such a class is not a reference; the last of repeated keys counts.
    @Test func keysAndTypesAsTheyAreRead() {
        #expect(dangling(#""issuer": {"\u0069d": "urn:org:2", "type": "Organisation"}"#).count == 1)
        #expect(
            dangling(#""issuer": {"id": "urn:org:3", "type": ["Thing", "Person"]}"#).first?.message.contains("refers to a Person")
                == true)
        #expect(dangling(#""issuer": {"id": "urn:org:4", "type": "Thing"}"#).isEmpty)
        #expect(dangling(#""issuer": {"id": "urn:org:5", "type": "Organisation", "type": "Thing"}"#).isEmpty)
        #expect(dangling(#""issuer": {"id": "urn:org:6", "type": "Thing", "type": "Organisation"}"#).count == 1)
    }
}
