import Criteria
import Foundation
import JSONSyntax
import Testing

@Suite struct CatalogueTests {
    let catalogue = Catalogue.standard

    @Test func theEmbeddedCatalogueParsesWithUniqueIDs() {
        #expect(catalogue.version == "1.4.0")
        #expect(catalogue.criteria.count == 77)
        #expect(Set(catalogue.criteria.map(\.id)).count == catalogue.criteria.count)
        for c in catalogue.criteria {
            #expect(c.id.range(of: #"^(MC|LO|AG|DQ|CO)-[0-9]{2}$"#, options: .regularExpression) != nil, "\(c.id)")
            #expect(!c.kinds.isEmpty && !c.title.isEmpty && !c.requirement.isEmpty, "\(c.id)")
        }
    }

    @Test func severityFollowsTheLevel() {
        #expect(catalogue.severity(of: "MC-01") == .error)
        #expect(catalogue.severity(of: "MC-17") == .warning)
        #expect(catalogue.severity(of: "MC-12") == .information)
    }

    @Test func everyNamedVocabularyIsBundled() {
        for c in catalogue.criteria {
            for v in c.vocabularies { #expect(Vocabularies.standard.vocabularies[v] != nil, "\(c.id) names \(v)") }
        }
    }

    /// DQ-01's numbers are stated in the catalogue and used in code: they must agree.
    @Test func creditHourConventionMatchesTheCatalogue() throws {
        let text = try #require(catalogue["DQ-01"]).requirement
        let low = ECTSWorkload.lowestAcceptedHoursPerCredit, high = ECTSWorkload.highestAcceptedHoursPerCredit
        #expect(text.contains("25 to 30 hours per credit"))
        #expect(text.contains("\(Int(ECTSWorkload.tolerance * 100)) % tolerance"))
        #expect(text.contains("22.5 × P ≤ H ≤ 33 × P"))
        #expect(abs(low - 22.5) < 1e-9 && abs(high - 33) < 1e-9)
    }

    @Test func aBrokenCatalogueTextIsAnErrorNotACrash() {
        #expect(throws: Catalogue.FormatError.self) { try Catalogue(json: "{") }
        #expect(throws: Catalogue.FormatError.self) { try Catalogue(json: #"{"criteria": [{"id": "MC-01"}]}"#) }
        #expect(throws: Catalogue.FormatError.self) {
            try Catalogue(
                json:
                    #"{"catalogueVersion": "1.0.0", "criteria": [{"id": "X", "title": "t", "requirement": "r", "rationale": "r", "source": "s", "level": "sometimes", "kinds": []}]}"#
            )
        }
    }
}

@Suite struct DocumentKindTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var json: String
        var path: String?
        var kind: DocumentKind?
        var testDescription: String { "\(path ?? "-") \(json.prefix(60))" }
    }

    static let cases: [Case] = [
        Case(json: #"{"type": ["VerifiableCredential", "EuropeanDigitalCredential"]}"#, path: "a.jsonld", kind: .credential),
        Case(json: #"{"type": "EuropeanDigitalCredential"}"#, path: nil, kind: .credential),
        Case(json: #"{"type": "LearningOpportunity"}"#, path: "lo.json", kind: .learningOpportunity),
        Case(json: #"{"$schema": "https://eccoe.eu/schemas/agreement.schema.json"}"#, path: "x.json", kind: .agreement),
        Case(json: #"{"$schema": "../../Schemas/learning-opportunity.schema.json"}"#, path: "x.json", kind: .learningOpportunity),
        Case(json: #"{"$schema": "my-agreement.schema.json"}"#, path: "x.json", kind: nil),
        Case(
            json: #"{"$schema": "consultation.schema.json", "type": "EuropeanDigitalCredential"}"#, path: nil, kind: .consultation
        ),
        Case(json: "{}", path: "folder/uni.agreement.json", kind: .agreement),
        Case(json: "{}", path: "c.consultation.json", kind: .consultation),
        Case(json: #"{"type": "OpenBadgeCredential"}"#, path: "badge.json", kind: nil),
        Case(json: "[1, 2]", path: "list.json", kind: nil),
        Case(json: "{\"type\": [", path: "broken.json", kind: nil),
    ]

    @Test(arguments: cases) func detection(_ c: Case) {
        #expect(DocumentKind.detect(SyntaxTree(parsing: c.json), path: c.path) == c.kind)
    }
}

@Suite struct VocabularyTests {
    let vocabularies = Vocabularies.standard

    @Test func typingSoftFindsSoftwareDevelopment() throws {
        let found = vocabularies.search("soft", in: "isced-f")
        let first = try #require(found.first)
        #expect(first.notation == "0613")
        #expect(first.label == "Software and applications development and analysis")
    }

    @Test func searchMatchesCodesFirst() {
        #expect(vocabularies.search("0613", in: "isced-f").first?.notation == "0613")
        #expect(vocabularies.search("06", in: "isced-f").first?.notation == "06")
        #expect(vocabularies.search("de", in: "language-codes-iso639-1").first?.notation == "de")
        #expect(
            vocabularies.search("ENG", in: "languages").first?.iri
                == "http://publications.europa.eu/resource/authority/language/ENG")
        #expect(vocabularies.search("project work", in: "assessment-types").map(\.notation) == ["795dac4096"])
        #expect(vocabularies.search("zzzz-no-such-thing").isEmpty)
        #expect(vocabularies.search("a", limit: 3).count == 3)
    }

    @Test func conceptByIRI() throws {
        let eqf = try #require(vocabularies.concept(forIRI: "http://data.europa.eu/snb/eqf/6"))
        #expect(eqf.label == "Level 6")
        #expect(eqf.vocabulary == "eqf-levels")
        #expect(eqf.definition != nil)
        #expect(vocabularies.concept(forIRI: "http://data.europa.eu/snb/eqf/9") == nil)
        #expect(vocabularies.contains("http://publications.europa.eu/resource/authority/country/DEU", in: "countries"))
    }
}
