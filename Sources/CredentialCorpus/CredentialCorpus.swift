/// Generates credential-like JSON-LD documents (the shape of ELM v3 European Digital Credentials:
/// nested objects, language maps, concept IRIs, arrays of parts) of a requested size, deterministically.
/// Shared by the benchmarks and the tests that replay edits on benchmark-like documents.
public struct CredentialCorpus {
    private var random: SeededGenerator

    public init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    private mutating func next() -> UInt64 { random.next() }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    private static let words = [
        "data", "literacy", "module", "assessment", "learning", "outcome", "credit", "digital",
        "skills", "analysis", "software", "ethics", "Université", "Hochschule", "éducation",
        "project", "workload", "practice", "seminar", "laboratory", "Ελληνικά", "統計",
    ]
    private static let languages = ["en", "fr", "de", "es", "it", "el", "pl"]

    private mutating func phrase(_ n: Int) -> String {
        (0..<n).map { _ in pick(Self.words) }.joined(separator: " ")
    }

    private mutating func concept(_ indent: String, scheme: String, code: String) -> String {
        """
        {
        \(indent)  "id": "http://data.europa.eu/snb/\(scheme)/\(code)",
        \(indent)  "type": "Concept",
        \(indent)  "prefLabel": {
        \(indent)    "en": "\(phrase(2))"
        \(indent)  },
        \(indent)  "inScheme": {
        \(indent)    "id": "http://data.europa.eu/snb/\(scheme)/25831c2",
        \(indent)    "type": "ConceptScheme"
        \(indent)  }
        \(indent)}
        """
    }

    private mutating func languageMap(_ indent: String, words: Int) -> String {
        let count = 1 + Int(next() % 3)
        var langs: [String] = []
        for _ in 0..<count {
            let l = pick(Self.languages)
            if !langs.contains(l) { langs.append(l) }
        }
        return "{\n" + langs.map { "\(indent)  \"\($0)\": \"\(phrase(words))\"" }.joined(separator: ",\n") + "\n\(indent)}"
    }

    private mutating func achievement(_ indent: String, _ n: Int) -> String {
        let i = indent
        return """
            {
            \(i)  "id": "urn:epass:learningAchievement:\(n)-\(next() % 100_000)",
            \(i)  "type": "LearningAchievement",
            \(i)  "title": \(languageMap(i + "  ", words: 4)),
            \(i)  "description": \(languageMap(i + "  ", words: 18)),
            \(i)  "awardedBy": {
            \(i)    "id": "urn:epass:awardingProcess:\(n)",
            \(i)    "type": "AwardingProcess",
            \(i)    "awardingDate": "2025-0\(1 + next() % 9)-1\(next() % 10)T10:00:00+02:00",
            \(i)    "awardingBody": [{ "id": "urn:epass:org:\(next() % 50)", "type": "Organisation" }]
            \(i)  },
            \(i)  "specifiedBy": {
            \(i)    "id": "urn:epass:qualification:\(n)",
            \(i)    "type": "Qualification",
            \(i)    "volumeOfLearning": "PT\(25 * (1 + next() % 12))H",
            \(i)    "eqfLevel": \(concept(i + "    ", scheme: "eqf", code: String(1 + next() % 8))),
            \(i)    "creditPoint": [{ "id": "urn:epass:credit:\(n)", "type": "CreditPoint", "point": "\(1 + next() % 30)",
            \(i)      "framework": \(concept(i + "      ", scheme: "education-credit", code: "http://data.europa.eu/snb/education-credit/6fcec5c5af")) }],
            \(i)    "learningOutcome": [
            \(i)      { "id": "urn:epass:lo:\(n)a", "type": "LearningOutcome", "title": \(languageMap(i + "      ", words: 8)) },
            \(i)      { "id": "urn:epass:lo:\(n)b", "type": "LearningOutcome", "title": \(languageMap(i + "      ", words: 8)) }
            \(i)    ],
            \(i)    "mode": \(concept(i + "    ", scheme: "learning-assessment", code: "920fbb2cbe")),
            \(i)    "maximumDuration": "P\(1 + next() % 11)M",
            \(i)    "grade": { "noteLiteral": \(next() % 100), "weight": \(Double(next() % 1000) / 10) }
            \(i)  }
            \(i)}
            """
    }

    /// One credential of about `bytes` bytes (at least one part; parts are added until the size is reached).
    public mutating func credential(approximateBytes bytes: Int) -> [UInt8] {
        var parts: [String] = []
        var size = 1500
        var n = 0
        repeat {
            let part = achievement("        ", n)
            size += part.utf8.count + 10
            parts.append(part)
            n += 1
        } while size < bytes
        let text = """
            {
              "@context": [
                "https://www.w3.org/2018/credentials/v1",
                "http://data.europa.eu/snb/model/context/edc-ap"
              ],
              "id": "urn:credential:\(next())",
              "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
              "issuer": {
                "id": "did:ebsi:zq\(next() % 1_000_000)",
                "type": "Organisation",
                "legalName": \(languageMap("    ", words: 3)),
                "location": [{ "id": "urn:loc:1", "type": "Location", "address": [{ "id": "urn:addr:1", "type": "Address",
                  "countryCode": \(concept("      ", scheme: "country", code: "BEL")) }] }]
              },
              "issuanceDate": "2025-06-30T12:00:00Z",
              "validFrom": "2025-07-01T00:00:00Z",
              "credentialSubject": {
                "id": "urn:person:\(next() % 10_000)",
                "type": "Person",
                "givenName": { "en": "Ana" },
                "familyName": { "en": "Pérez Ñúñez" },
                "hasClaim": {
                  "id": "urn:claim:root",
                  "type": "LearningAchievement",
                  "title": \(languageMap("      ", words: 4)),
                  "hasPart": [
                    \(parts.joined(separator: ",\n        "))
                  ]
                }
              }
            }

            """
        return Array(text.utf8)
    }
}

/// A small deterministic random number generator (SplitMix64): the same seed gives the same sequence on
/// every machine, so generated documents and property tests are reproducible from their seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
