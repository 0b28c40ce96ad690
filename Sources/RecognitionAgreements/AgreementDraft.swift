public import Criteria
import Foundation
public import JSONSyntax

/// What a draft is made from: the issuing institution's learning opportunities (each with the path of its
/// file) and the recognising institution.
public struct AgreementDraftRequest: Sendable {
    public var opportunities: [(path: String, summary: LearningOpportunitySummary)]
    /// The recognising institution's legal name; nil: not known yet (a placeholder, as in the editor's draft).
    public var recognisingName: String?
    /// EU country authority IRI of the recognising institution; nil: not known yet.
    public var recognisingCountry: String?
    /// Where the draft will be written (a file path, same base as the opportunities' paths): path hints are
    /// written relative to its folder.
    public var agreementPath: String
    /// First day of validity; the draft runs for three years from it.
    public var validFrom: CalendarDate

    public init(
        opportunities: [(path: String, summary: LearningOpportunitySummary)], recognisingName: String?,
        recognisingCountry: String?, agreementPath: String, validFrom: CalendarDate
    ) {
        self.opportunities = opportunities
        self.recognisingName = recognisingName
        self.recognisingCountry = recognisingCountry
        self.agreementPath = agreementPath
        self.validFrom = validFrom
    }
}

/// Drafts a Model Credit Recognition Agreement from learning-opportunity documents: both parties, one
/// equivalence per learning opportunity (credits, level, fields, languages and learning outcomes carried
/// over), recognition, grading and transcript defaults, learner rights, evidence, quality assurance,
/// validity, data protection and one signature block per party. What only the parties can decide (the
/// recognising module, contacts, signatories…) is a placeholder `[[…]]` that the checker reports (AG-21).
/// The same request always gives the same bytes.
public enum AgreementDraft {
    /// A draft and what the person drafting should know about it (one line each, no trailing period).
    public struct Result: Sendable {
        public var document: JSONValue
        public var notes: [String]
        /// The document as pretty-printed JSON (two-space indentation, final newline).
        public var text: String { AgreementDraft.format(document) }
    }

    public static func make(_ request: AgreementDraftRequest) -> Result {
        var notes: [String] = []
        let placeholder = AgreementPlaceholder.text
        let givenName = request.recognisingName?.trimmingSpaces.nonEmpty
        // In running text: the name, or words that read as a sentence's subject until the name is filled in.
        let recognisingName = givenName ?? "the recognising institution"
        let recognisingSubject = givenName ?? "The recognising institution"

        // Parties: each distinct provider (by node id, else legal name), then the recognising institution.
        struct Issuer {
            var key: String
            var institution: InstitutionSummary?
            var name: String
        }
        var issuers: [Issuer] = []
        var usedKeys: Set<String> = []
        func uniqueKey(_ base: String) -> String {
            var key = base, n = 2
            while usedKeys.contains(key) {
                key = "\(base)-\(n)"
                n += 1
            }
            usedKeys.insert(key)
            return key
        }
        var issuerOfOpportunity: [String] = []
        for (path, summary) in request.opportunities {
            let provider = summary.providers.first
            let name = provider?.legalName.text() ?? ""
            if let existing = issuers.firstIndex(where: { i in
                if let a = i.institution?.nodeID, let b = provider?.nodeID { return a == b }
                return i.institution != nil && provider != nil && i.name == name
            }) {
                issuerOfOpportunity.append(issuers[existing].key)
                continue
            }
            if provider == nil {
                notes.append("\(path): no provider (`providedBy`): the issuing party's name and country are left to fill in")
            }
            let key = uniqueKey(slug(name, fallback: "issuing"))
            issuers.append(Issuer(key: key, institution: provider, name: name.isEmpty ? "the issuing institution" : name))
            issuerOfOpportunity.append(key)
        }
        let recognisingKey = uniqueKey(givenName.map { slug($0, fallback: "recognising") } ?? "recognising")
        let issuerNames = issuers.map(\.name)
        let issuersText = list(issuerNames)

        var parties: [JSONValue] = []
        for issuer in issuers {
            let i = issuer.institution
            var party: [(String, JSONValue)] = [
                ("id", .string(issuer.key)),
                ("roles", ["provider", "awarding"]),
                (
                    "legalName",
                    i.map {
                        $0.legalName.isEmpty
                            ? ["en": .string(placeholder("legal name of the issuing institution"))] : $0.legalName.json()
                    }
                        ?? ["en": .string(placeholder("legal name of the issuing institution"))]
                ),
                ("country", .string(i?.country ?? placeholder("country of \(issuer.name)"))),
            ]
            let identifiers: [JSONValue] = (i?.identifiers ?? []).map { id in
                var members: [(String, JSONValue)] = [("scheme", .string(id.scheme))]
                if let name = id.schemeName, id.scheme == "national" || id.scheme == "other" {
                    members.append(("schemeName", .string(name)))
                }
                members.append(("value", .string(id.value)))
                return .object(members)
            }
            party.append(
                (
                    "identifiers",
                    identifiers.isEmpty
                        ? [["scheme": "erasmusCode", "value": .string(placeholder("Erasmus code or PIC of \(issuer.name)"))]]
                        : .array(identifiers)
                ))
            if let homepage = i?.homepage, homepage.lowercased().hasPrefix("http") {
                party.append(("homepage", .string(homepage)))
            }
            party.append(
                (
                    "contact",
                    [
                        "name": .string(placeholder("contact person or office for this agreement at \(issuer.name)")),
                        "email": .string(i?.email ?? placeholder("e-mail of the contact at \(issuer.name)")),
                    ]
                ))
            parties.append(.object(party))
        }
        parties.append([
            "id": .string(recognisingKey),
            "roles": ["recognising"],
            "legalName": ["en": .string(givenName ?? placeholder("legal name of the recognising institution"))],
            "country": .string(
                request.recognisingCountry ?? placeholder("country of the recognising institution (EU country authority IRI)")),
            "identifiers": [
                ["scheme": "erasmusCode", "value": .string(placeholder("Erasmus code or PIC of \(recognisingName)"))]
            ],
            "contact": [
                "name": .string(placeholder("contact person or office for this agreement at \(recognisingName)")),
                "email": .string(placeholder("e-mail of the contact at \(recognisingName)")),
            ],
        ])

        // Learning opportunities and equivalences.
        var entries: [JSONValue] = []
        var equivalences: [JSONValue] = []
        var keys: Set<String> = []
        let base = request.agreementPath
        let passFail = !request.opportunities.isEmpty && request.opportunities.allSatisfy { $0.summary.isPassFail }
        for (n, (path, summary)) in request.opportunities.enumerated() {
            var key = slug(lastSegment(summary.id), fallback: "lo-\(n + 1)")
            if key.first.map({ !$0.isLetter }) ?? true { key = "lo-" + key }
            var k = key, m = 2
            while keys.contains(k) {
                k = "\(key)-\(m)"
                m += 1
            }
            key = k
            keys.insert(key)
            for gap in summary.gaps where !gap.hasPrefix("no provider") { notes.append("\(path): \(gap)") }
            var entry: [(String, JSONValue)] = [
                ("key", .string(key)), ("kind", "learningOpportunity"), ("id", .string(summary.id)),
            ]
            if let relative = RelativePath.relative(to: path, from: base), RelativePath.isValid(relative) {
                entry.append(("path", .string(relative)))
            }
            entry.append(("provider", .string(issuerOfOpportunity[n])))
            if !summary.title.isEmpty { entry.append(("title", summary.title.json())) }
            if let credits = summary.credits { entry.append(("credits", number(credits))) }
            if let level = summary.eqfLevel { entry.append(("eqfLevel", .string(level))) }
            if !summary.fieldsOfEducation.isEmpty {
                entry.append(("fieldsOfEducation", .array(summary.fieldsOfEducation.map { .string($0) })))
            }
            if !summary.languages.isEmpty { entry.append(("languages", .array(summary.languages.map { .string($0) }))) }
            entry.append(
                ("learningOutcomes", .array(summary.learningOutcomes.map { ["id": .string($0.id), "title": $0.title.json()] })))
            if let homepage = summary.homepage, homepage.lowercased().hasPrefix("http") {
                entry.append(("homepage", .string(homepage)))
            }
            entries.append(.object(entry))

            let title = summary.title.text()
            let targetOutcome = "\(key)-target-1"
            var equivalence: [(String, JSONValue)] = [
                ("learningOpportunity", .string(key)),
                ("recognisingParty", .string(recognisingKey)),
                (
                    "targetComponent",
                    [
                        "code": .string(placeholder("code of the module at \(recognisingName)")),
                        "title": [
                            "en": .string(
                                placeholder("title of the module at \(recognisingName) for which “\(title)” is recognised"))
                        ],
                        "credits": .string(placeholder("ECTS credits of the module")),
                        "learningOutcomes": [
                            [
                                "id": .string(targetOutcome),
                                "title": ["en": .string(placeholder("a learning outcome of the module"))],
                            ]
                        ],
                    ]
                ),
                (
                    "creditsRecognised",
                    summary.credits.map(number) ?? .string(placeholder("ECTS credits recognised for “\(title)”"))
                ),
                ("creditSystem", "ECTS"),
                ("recognitionType", "creditTransfer"),
            ]
            if !summary.learningOutcomes.isEmpty {
                equivalence.append(
                    (
                        "outcomeCoverage",
                        [
                            [
                                "targetOutcome": .string(targetOutcome),
                                "coveredBy": .array(summary.learningOutcomes.map { .string($0.id) }),
                            ]
                        ]
                    ))
            }
            equivalences.append(.object(equivalence))
        }

        let issuerKeys = issuers.map(\.key)
        let opportunityWords =
            request.opportunities.count == 1
            ? "“\(request.opportunities[0].summary.title.text())”" : "\(request.opportunities.count) learning opportunities"
        let validUntil = request.validFrom.addingYears(3).previousDay
        let qa: [JSONValue] =
            issuers.map { issuer in
                let agency = request.opportunities.indices.filter { issuerOfOpportunity[$0] == issuer.key }
                    .lazy.compactMap { request.opportunities[$0].summary.qualityAssuranceAgency }.first
                return [
                    "party": .string(issuer.key),
                    "agency": .string(agency ?? placeholder("external quality-assurance agency of \(issuer.name)")),
                ]
            } + [
                [
                    "party": .string(recognisingKey),
                    "agency": .string(placeholder("external quality-assurance agency of \(recognisingName)")),
                ]
            ]

        let document: JSONValue = [
            "$schema": "https://eccoe.eu/schemas/agreement.schema.json",
            "id": .string(agreementID(request, issuerKeys: issuerKeys, recognisingKey: recognisingKey)),
            "title": [
                "en": .string("Credit recognition agreement between \(issuersText) and \(recognisingName) on \(opportunityWords)")
            ],
            "version": "0.1",
            "languages": ["en"],
            "parties": .array(parties),
            "scope": [
                "direction": "unilateral",
                "recognitionTypes": ["creditTransfer"],
                "decision": "automatic",
                "description": [
                    "en": .string(
                        "\(recognisingSubject) recognises the learning opportunities of \(issuersText) listed in this agreement for the components of its programmes named in the equivalence table: a learner who presents the credential awarded for one of them is awarded the credits stated, without a further individual assessment."
                    )
                ],
            ],
            "learningOpportunities": .array(entries),
            "equivalences": .array(equivalences),
            "gradeConversion": passFail
                ? [
                    "method": "passFail",
                    "description": [
                        "en":
                            "The learning opportunities are graded pass/fail: a pass is recorded as passed and does not count towards the final grade."
                    ],
                ]
                : [
                    "method": "ectsGradingTable",
                    "description": [
                        "en": .string(
                            "Grades are converted with the grade distribution tables of \(issuersText) and \(recognisingName), as the ECTS Users' Guide 2015 describes (section 4.4)."
                        )
                    ],
                ],
            "transcript": [
                "recordedAs": "both",
                "showsAwardingInstitution": true,
                "grade": passFail ? "passOnly" : "converted",
                "description": [
                    "en": .string(
                        "The module is recorded on the learner's transcript of records as recognised, with the title of the learning opportunity and the name of \(issuersText), where the credits were earned."
                    )
                ],
            ],
            "learnerRights": [
                "decisionPeriod": "P30D",
                "reasonedDecision": [
                    "en": .string(
                        "\(recognisingSubject) decides within 30 days of receiving a complete application and informs the learner in writing; a refusal or a partial recognition states its reasons and what the learner can do to obtain recognition later."
                    )
                ],
                "appeal": [
                    "en": .string(
                        "The learner may appeal against a decision, or against the absence of a decision within the decision period, under the procedures of \(recognisingName) for academic decisions, within one month."
                    )
                ],
                "appealPeriod": "P1M",
                "burdenOfProof": [
                    "en": .string(
                        "Recognition is granted unless \(recognisingName) shows a substantial difference between the learning outcomes achieved and those of the module; the burden of showing it lies with \(recognisingName) (Lisbon Recognition Convention, Art. III.3 and VI.1)."
                    )
                ],
            ],
            "evidence": [
                "acceptedFormats": ["edcSealed", "transcriptPdf"],
                "verificationProcedure": [
                    "en": .string(
                        "The learner presents the sealed European Digital Credential, or a transcript signed by \(issuersText); the recognition office of \(recognisingName) verifies the seal or the signature and keeps the result with the decision."
                    )
                ],
            ],
            "qualityAssurance": [
                "parties": .array(qa),
                "reviewProcedure": [
                    "en": .string(
                        "\(issuersText.capitalisingFirst) informs \(recognisingName) of any change to the learning outcomes, the assessment or the credits of a covered learning opportunity at least three months before it takes effect; the equivalence is then reviewed by the recognition offices of the parties."
                    )
                ],
            ],
            "validity": [
                "validFrom": .string("\(request.validFrom)"),
                "validUntil": .string("\(validUntil)"),
                "terminationNotice": "P6M",
                "renewal": ["en": "Renewed for three academic years at a time by written agreement of the parties."],
                "amendmentProcedure": ["en": "Amendments are made in writing and signed by all parties."],
            ],
            "dataProtection": [
                "legalBasis": [
                    "en":
                        "Article 6(1)(b) and (e) GDPR: recognition is carried out at the request of the learner and as a task in the public interest."
                ],
                "controllers": .array((issuerKeys + [recognisingKey]).map { .string($0) }),
                "retentionPeriod": "P5Y",
                "applicableLaw": [
                    "en": .string("The law of the country of \(recognisingName) applies to recognition decisions.")
                ],
                "disputeResolution": ["en": "The parties seek an amicable settlement through their recognition offices."],
            ],
            "signatures": .array(
                (zip(issuerKeys, issuerNames) + [(recognisingKey, recognisingName)]).map { key, name in
                    [
                        "party": .string(key),
                        "signatory": [
                            "name": .string(placeholder("name of the person who signs for \(name)")),
                            "function": .string(placeholder("function of the person who signs for \(name)")),
                        ],
                    ]
                }),
        ]
        return Result(document: document, notes: notes)
    }

    /// Pretty-printed JSON with a final newline.
    public static func format(_ document: JSONValue) -> String {
        var text = JSONFormatter().format(SyntaxTree(parsing: document.serialized))
        while text.hasSuffix("\n") { text.removeLast() }
        return text + "\n"
    }

    /// A stable id: the parties' keys, the first year of validity, and a short hash of what is recognised.
    static func agreementID(_ request: AgreementDraftRequest, issuerKeys: [String], recognisingKey: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (request.opportunities.map(\.summary.id).sorted() + [recognisingKey, request.recognisingCountry ?? ""])
            .joined(separator: "\n").utf8
        {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        let short = String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(8))
        return "urn:eccoe:agreement:\((issuerKeys + [recognisingKey]).joined(separator: "-")):\(request.validFrom.year):\(short)"
    }

    static func number(_ value: Double) -> JSONValue {
        value.rounded() == value && abs(value) < 1e15 ? .int(Int(value)) : .double(value)
    }

    /// "A", "A and B", "A, B and C".
    static func list(_ names: [String]) -> String {
        switch names.count {
        case 0: return "the issuing institution"
        case 1: return names[0]
        default: return names.dropLast().joined(separator: ", ") + " and " + names.last!
        }
    }

    /// The last segment of an IRI (after the last `:`, `/` or `#`).
    static func lastSegment(_ iri: String) -> String {
        let parts = iri.split(whereSeparator: { $0 == ":" || $0 == "/" || $0 == "#" })
        return parts.last.map(String.init) ?? iri
    }

    /// A key as the agreement format allows (`^[A-Za-z][A-Za-z0-9_-]*$`): letters folded to ASCII, other runs
    /// of characters as one `-`, at most 40 characters cut at a `-`.
    static func slug(_ text: String, fallback: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.count > 40 {
            let cutInWord = out.dropFirst(40).first != "-"
            out = String(out.prefix(40))
            if cutInWord, let cut = out.lastIndex(of: "-") { out = String(out[..<cut]) }
        }
        guard let first = out.first, first.isLetter else { return out.isEmpty ? fallback : fallback + "-" + out }
        return out
    }
}

extension String {
    /// The text with its first character in upper case (for a name that starts a sentence).
    var capitalisingFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension CalendarDate {
    static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The same day `n` years later (29 February becomes 28 February in a common year).
    func addingYears(_ n: Int) -> CalendarDate {
        CalendarDate(year: year + n, month: month, day: min(day, Self.daysIn(month: month, year: year + n)))
    }

    /// The day before.
    var previousDay: CalendarDate {
        if day > 1 { return CalendarDate(year: year, month: month, day: day - 1) }
        if month > 1 { return CalendarDate(year: year, month: month - 1, day: Self.daysIn(month: month - 1, year: year)) }
        return CalendarDate(year: year - 1, month: 12, day: 31)
    }

    /// The first 1 September on or after this day: the start of the next academic year.
    public var nextAcademicYearStart: CalendarDate {
        let thisYear = CalendarDate(year: year, month: 9, day: 1)
        return self <= thisYear ? thisYear : CalendarDate(year: year + 1, month: 9, day: 1)
    }
}
