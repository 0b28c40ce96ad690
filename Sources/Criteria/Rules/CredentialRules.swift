import JSONSyntax

// Rules for the Annex I elements of a credential (MC-01 … MC-22). Each names its criterion; rules whose
// criterion lists `claimTypes` check only claims of those types (see `DocumentContext.claims(for:)`).

extension DocumentContext {
    /// The specification(s) a specification-level criterion checks: for a credential, each claim's
    /// `specifiedBy` (nil when the claim has none) with the claim; for a learning opportunity, each
    /// `learningAchievementSpecification` with itself.
    func specifications(for criterionID: String) -> [(spec: SyntaxNode?, owner: SyntaxNode)] {
        switch kind {
        case .credential:
            return claims(for: criterionID).map { claim in
                (value(claim, "specifiedBy").flatMap { $0.kind == .object ? $0 : nil }, claim)
            }
        case .learningOpportunity:
            return learningOpportunitySpecifications.map { ($0, $0) }
        default:
            return []
        }
    }

    /// A finding for a specification-level element that cannot be checked because the claim has no `specifiedBy`.
    func missingSpecification(_ criterionID: String, _ claim: SyntaxNode, element: String) -> Finding {
        finding(
            criterionID, opening(claim), "the claim has no specification (`specifiedBy`), so it states no \(element)",
            fix: specificationFix(for: claim))
    }

    /// The fix inserting a specification into a claim (made once per claim: every specification-level criterion
    /// offers it). The specification takes the claim's title, so that the skeleton adds no empty title.
    func specificationFix(for claim: SyntaxNode) -> Fix {
        if let known = specificationFixes[claim.index] { return known }
        let title = raw(claim, "title").flatMap { hasText($0) ? $0.sourceText.oneLine : nil } ?? #"{"en": ""}"#
        let fix = insertFix(
            into: claim, key: "specifiedBy", skeleton: "{\"type\": \"LearningAchievementSpecification\", \"title\": \(title)}")
        specificationFixes[claim.index] = fix
        return fix
    }

    /// A `location` member for an organisation skeleton, in the country the document already names (the first
    /// `countryCode` of the EU list), or nothing when it names none (an empty IRI would be a new error).
    var locationSkeleton: String {
        for ref in members(named: "countryCode") {
            let v = value(of: ref)
            if let iri = conceptIRI(resolve(v)), vocabularies.contains(iri, in: "countries") {
                return
                    ", \"location\": {\"type\": \"Location\", \"address\": {\"type\": \"Address\", \"countryCode\": {\"id\": \"\(iri)\", \"type\": \"Concept\"}}}"
            }
        }
        return ""
    }

    /// The values of `key` on every full node that shares `node`'s `id` (JSON-LD merges nodes with the same
    /// id: one may state what another leaves out), or on `node` alone when it has no id.
    func mergedValues(_ node: SyntaxNode?, _ key: String) -> [SyntaxNode] {
        guard let node else { return [] }
        let own = values(node, key)
        guard node.kind == .object, let id = node.value(forKey: "id")?.stringValue else { return own }
        var out = own
        for object in nodesSharingID(with: node.index, id: id) { out += values(tree.node(atIndex: object), key) }
        return out
    }

    /// Accreditations stated anywhere under a node (the values of its descendants' `accreditation` members, each
    /// resolved by id), found through the index rather than by walking the subtree.
    func accreditations(in node: SyntaxNode) -> [SyntaxNode] {
        let refs = members(named: "accreditation")
        guard !refs.isEmpty else { return [] }
        let inside = tree.withNodeStorage { storage in node.index..<storage.next(node.index) }
        var out: [SyntaxNode] = []
        for ref in refs where inside.contains(ref.object) {
            let v = value(of: ref)
            out += (v.kind == .array ? Array(v.elements) : [v]).filter { $0.kind == .object }.map(resolve)
        }
        return out
    }

    /// The assessments of a claim (`provenBy`), objects only.
    func assessments(_ claim: SyntaxNode) -> [SyntaxNode] { values(claim, "provenBy").filter { $0.kind == .object } }
}

/// MC-01: the learner is named and identified.
struct LearnerIdentificationRule: Rule {
    let criterionID = "MC-01"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let subject = d.value(d.root, "credentialSubject"), subject.kind == .object else { return [] }
        var out: [Finding] = []
        if !(d.hasText(subject, "fullName") || d.hasText(subject, "givenName") && d.hasText(subject, "familyName")) {
            out.append(
                d.finding(
                    criterionID, d.opening(subject),
                    "the learner has no name: give `fullName`, or both `givenName` and `familyName`",
                    fix: d.insertFix(into: subject, key: "fullName", skeleton: #"{"en": ""}"#)))
        }
        if !["id", "identifier", "nationalID", "dateOfBirth"].contains(where: { subject.value(forKey: $0) != nil }) {
            out.append(
                d.finding(
                    criterionID, d.opening(subject),
                    "the learner is identified by name only: add `identifier`, `nationalID`, `dateOfBirth` or `id`",
                    fix: d.insertFix(
                        into: subject, key: "identifier",
                        skeleton: #"{"type": "Identifier", "schemeName": "Student number", "notation": ""}"#)))
        }
        return out
    }
}

/// MC-02: the claim (and its specification) has a title.
struct CredentialTitleRule: Rule {
    let criterionID = "MC-02"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        func title(_ node: SyntaxNode, _ what: String) {
            guard !d.hasText(node, "title") else { return }
            if let raw = d.raw(node, "title") {
                out.append(
                    d.finding(criterionID, raw.range, "the \(what)'s `title` is empty; write the title of the micro-credential"))
            } else {
                out.append(
                    d.finding(
                        criterionID, d.opening(node), "the \(what) has no `title`",
                        fix: d.insertFix(into: node, key: "title", skeleton: #"{"en": ""}"#)))
            }
        }
        for claim in d.claims(for: criterionID) {
            title(claim, "claim")
            if let spec = d.value(claim, "specifiedBy"), spec.kind == .object, !d.isReference(spec) {
                title(spec, "specification")
            }
        }
        return out
    }
}

/// MC-03: the issuer's country, from the EU country list.
struct IssuerCountryRule: Rule {
    let criterionID = "MC-03"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let issuer = d.value(d.root, "issuer"), issuer.kind == .object, !d.isReference(issuer) else { return [] }
        return countryFindings(d, criterionID, organisation: issuer, who: "issuer")
    }
}

/// Checks that an organisation has a location with an address whose country is in the EU country list.
func countryFindings(_ d: DocumentContext, _ criterionID: String, organisation: SyntaxNode, who: String) -> [Finding] {
    let locations = d.values(organisation, "location").filter { $0.kind == .object }
    guard !locations.isEmpty else {
        return [
            d.finding(
                criterionID, d.opening(organisation), "the \(who) has no `location` with the country",
                fix: d.insertFix(
                    into: organisation, key: "location",
                    skeleton:
                        #"{"type": "Location", "address": {"type": "Address", "countryCode": {"id": "http://publications.europa.eu/resource/authority/country/"}}}"#
                ),
                missing: ["location"])
        ]
    }
    var unknown: SyntaxNode?
    var firstAddress: SyntaxNode?
    for location in locations {
        for address in d.values(location, "address") where address.kind == .object {
            if firstAddress == nil { firstAddress = address }
            for code in d.values(address, "countryCode") {
                if let iri = d.conceptIRI(code), d.vocabularies.contains(iri, in: "countries") { return [] }
                if unknown == nil { unknown = d.conceptIRINode(code) }
            }
        }
    }
    if let unknown {
        let written = unknown.stringValue ?? unknown.sourceText
        let suggestion = CountryCode.suggestion(for: written, d.vocabularies)
        let fix = suggestion.map { c in
            Fix(title: "Use \(c.label) (\(c.notation))", edits: [FixEdit(range: unknown.range, newText: "\"\(c.iri)\"")])
        }
        return [
            d.finding(
                criterionID, unknown.range,
                "the \(who)'s country `\(written.oneLine)` is not in the EU country list\(suggestion.map { "; did you mean \($0.label), \($0.iri)?" } ?? ": use http://publications.europa.eu/resource/authority/country/ followed by the ISO 3166-1 alpha-3 code")",
                fix: fix)
        ]
    }
    let at = firstAddress ?? locations[0]
    return [
        d.finding(
            criterionID, d.opening(at),
            "the \(who)'s \(firstAddress == nil ? "location has no `address`" : "address has no `countryCode`")",
            fix: firstAddress.map {
                d.insertFix(
                    into: $0, key: "countryCode",
                    skeleton: #"{"id": "http://publications.europa.eu/resource/authority/country/", "type": "Concept"}"#)
            }, missing: [firstAddress == nil ? "address" : "countryCode"])
    ]
}

/// The country a wrong country value most likely means: the last segment of the IRI (or the whole text) read as
/// an ISO alpha-3 code in any case, an alpha-2 or numeric code, or a code used outside ISO 3166 (IOC and
/// vehicle codes, the EU's `EL` and `UK`): `IRE` → IRL, `ES` → ESP, `GER` → DEU.
enum CountryCode {
    static let aliases: [String: String] = [
        "IRE": "IRL", "GER": "DEU", "NED": "NLD", "SUI": "CHE", "POR": "PRT", "DEN": "DNK", "CRO": "HRV",
        "SLO": "SVN", "GRE": "GRC", "BUL": "BGR", "LAT": "LVA", "EL": "GRC", "UK": "GBR", "ENG": "GBR",
        "ROM": "ROU", "SPA": "ESP", "LIT": "LTU", "MAL": "MLT", "D": "DEU", "F": "FRA", "A": "AUT", "I": "ITA",
    ]
    static let base = "http://publications.europa.eu/resource/authority/country/"

    static func suggestion(for text: String, _ vocabularies: Vocabularies) -> Concept? {
        let code = String(text.trimmingWhitespace.split(separator: "/").last ?? "").uppercased()
        guard !code.isEmpty else { return nil }
        if let c = vocabularies.concept(base + code, in: "countries"), base + code != text { return c }
        if let alias = aliases[code], let c = vocabularies.concept(base + alias, in: "countries") { return c }
        return vocabularies.vocabularies["countries"]?.concepts.first { $0.altNotations.contains(code) }
    }
}

/// MC-04: who awarded the credential.
struct AwardingBodyRule: Rule {
    let criterionID = "MC-04"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for claim in d.claims(for: criterionID) {
            guard let awarded = d.value(claim, "awardedBy"), awarded.kind == .object else {
                out.append(
                    d.finding(
                        criterionID, d.opening(claim), "the claim has no `awardedBy` naming the awarding body",
                        fix: d.insertFix(
                            into: claim, key: "awardedBy",
                            skeleton: #"{"type": "AwardingProcess", "awardingBody": {"id": ""}}"#)))
                continue
            }
            let bodies = d.values(awarded, "awardingBody")
            if bodies.isEmpty {
                out.append(
                    d.finding(
                        criterionID, d.opening(awarded), "`awardedBy` names no `awardingBody`",
                        fix: d.insertFix(into: awarded, key: "awardingBody", skeleton: #"{"id": ""}"#)))
                continue
            }
            for body in bodies where body.kind == .object && !d.isReference(body) {
                guard d.types(body).isEmpty || d.types(body).contains("Organisation") else { continue }
                if !d.hasText(body, "legalName") {
                    out.append(
                        d.finding(
                            criterionID, d.opening(body), "the awarding body has no `legalName`",
                            fix: d.insertFix(into: body, key: "legalName", skeleton: #"{"en": ""}"#)))
                }
                let country = countryFindings(d, criterionID, organisation: body, who: "awarding body")
                out += country
            }
        }
        return out
    }
}

/// MC-05: the date of issuing. `issued` is added when the credential is sealed: a sealed credential must
/// have it; on an unsigned one its absence is noted once by `SealingTimePropertiesRule`.
struct DateOfIssuingRule: Rule {
    let criterionID = "MC-05"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        var found = false
        for key in ["issued", "issuanceDate"] {
            guard let v = d.raw(d.root, key) else { continue }
            if let s = v.stringValue, let t = ISODateTime(s), t.hasTime {
                found = true
            } else {
                out.append(d.finding(criterionID, v.range, "`\(key)` is not a date-time such as 2026-07-15T09:00:00Z"))
            }
        }
        if !out.isEmpty || !d.isSealed || d.raw(d.root, "issued") != nil { return out }
        var missing = d.finding(
            criterionID, d.opening(d.root),
            found
                ? "a sealed credential must state `issued` (the date of issuing; `issuanceDate` is the older W3C name)"
                : "a sealed credential must state its date of issuing in `issued`",
            fix: d.insertFix(into: d.root, key: "issued", skeleton: "\"\(d.today)T00:00:00Z\""))
        missing.properties = ["issued"]
        return [missing]
    }
}

/// MC-06 and LO-08: learning outcomes with titles.
struct LearningOutcomesRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for (spec, owner) in d.specifications(for: criterionID) {
            guard let spec else {
                out.append(d.missingSpecification(criterionID, owner, element: "learning outcomes"))
                continue
            }
            let outcomes = d.values(spec, "learningOutcome")
            if outcomes.contains(where: { $0.kind == .object && d.hasText($0, "title") }) { continue }
            // ELM v3 also states learning outcomes as a text (`learningOutcomeSummary`, a Note).
            if d.values(spec, "learningOutcomeSummary").contains(where: d.isNoteWithText) { continue }
            if let raw = d.raw(spec, "learningOutcome") {
                out.append(d.finding(criterionID, raw.range, "none of the learning outcomes has a `title`"))
            } else {
                out.append(
                    d.finding(
                        criterionID, d.opening(spec),
                        "the specification states no learning outcomes (`learningOutcome`, or a `learningOutcomeSummary` note)",
                        fix: d.insertFix(
                            into: spec, key: "learningOutcome",
                            skeleton: #"[{"type": "LearningOutcome", "title": {"en": ""}}]"#)))
            }
        }
        return out
    }
}

/// MC-07 and LO-09: ECTS credits (or, where ECTS cannot be used, the notional learning time).
struct NotionalWorkloadRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for (spec, owner) in d.specifications(for: criterionID) {
            guard let spec else {
                out.append(d.missingSpecification(criterionID, owner, element: "notional workload"))
                continue
            }
            var ectsOK = false
            var badPoint: SyntaxNode?
            for credit in d.values(spec, "creditPoint") where credit.kind == .object {
                guard d.values(credit, "framework").contains(where: { d.conceptIRI($0) == ectsIRI }) else { continue }
                guard let point = d.values(credit, "point").first else { continue }
                if let s = point.stringValue, let v = Double(s), v > 0, s.allSatisfy({ $0.isASCIINumber || $0 == "." }) {
                    ectsOK = true
                } else if badPoint == nil {
                    badPoint = point
                }
            }
            if ectsOK { continue }
            if let point = badPoint {
                var fix: Fix?
                if point.kind == .number, let lexeme = point.numberLexeme, (point.doubleValue ?? 0) > 0 {
                    fix = Fix(
                        title: "Write the credits as a string", edits: [FixEdit(range: point.range, newText: "\"\(lexeme)\"")])
                }
                out.append(
                    d.finding(
                        criterionID, point.range,
                        "the ECTS `point` must be a positive decimal number written as a string, such as \"5\" or \"2.5\"",
                        fix: fix))
                continue
            }
            if let v = d.values(spec, "volumeOfLearning").first, let s = v.stringValue, d.duration(s) != nil { continue }
            out.append(
                d.finding(
                    criterionID, d.opening(spec),
                    "the specification gives no ECTS credits (`creditPoint` with the ECTS framework) and no `volumeOfLearning`",
                    fix: d.insertFix(
                        into: spec, key: "creditPoint",
                        skeleton:
                            "[{\"type\": \"CreditPoint\", \"framework\": {\"id\": \"\(ectsIRI)\", \"type\": \"Concept\"}, \"point\": \"\"}]"
                    )))
        }
        return out
    }
}

/// MC-08: the level (EQF on a Qualification, else NQF level or education level).
struct CredentialLevelRule: Rule {
    let criterionID = "MC-08"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for (spec, owner) in d.specifications(for: criterionID) {
            guard let spec else {
                out.append(d.missingSpecification(criterionID, owner, element: "level"))
                continue
            }
            if ["eqfLevel", "nqfLevel", "educationLevel"].contains(where: { !d.values(spec, $0).isEmpty }) { continue }
            let isQualification = d.types(spec).contains("Qualification")
            let choices = isQualification ? eqfChoices(d, into: spec) : []
            out.append(
                d.finding(
                    criterionID, d.opening(spec),
                    isQualification
                        ? "the qualification states no level: give `eqfLevel` (EQF 1–8), or `nqfLevel`"
                        : "the specification states no level: give `educationLevel` or `nqfLevel` (`eqfLevel` needs a Qualification)",
                    fix: choices.isEmpty ? nil : Fix(title: "Insert `eqfLevel`", choices: choices)))
        }
        return out
    }
}

/// Insertion choices for an `eqfLevel`, one per EQF level.
func eqfChoices(_ d: DocumentContext, into spec: SyntaxNode) -> [FixChoice] {
    (d.vocabularies.vocabularies["eqf-levels"]?.concepts ?? []).map { c in
        let json = "{\"id\": \"\(c.iri)\", \"type\": \"Concept\"}"
        return FixChoice(label: c.label, json: json, edits: [d.insertion(into: spec, key: "eqfLevel", skeleton: json)])
    }
}

/// MC-09 and LO-11: each assessment names its type from the assessment vocabulary.
struct AssessmentTypeRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        // Credential: LearningAssessment claims-of-evidence with `specifiedBy`; LO: LearningAssessmentSpecifications.
        var groups: [(owner: SyntaxNode, assessments: [SyntaxNode])] = []
        if d.kind == .credential {
            for claim in d.claims(for: criterionID) { groups.append((claim, d.assessments(claim))) }
        } else {
            for spec in d.learningOpportunitySpecifications {
                groups.append((spec, d.values(spec, "provenBy").filter { $0.kind == .object }))
            }
        }
        for (owner, assessments) in groups {
            if assessments.isEmpty {
                // The assessment is awarded by the claim's awarding process (referenced by its id) and records a grade.
                let awarded =
                    d.raw(owner, "awardedBy").flatMap { $0.kind == .object ? $0.value(forKey: "id")?.stringValue : nil }
                    .map { ", \"awardedBy\": {\"id\": \"\($0)\"}" } ?? ""
                let type = "{\"id\": \"http://data.europa.eu/snb/assessment/6e6cb2cc78\", \"type\": \"Concept\"}"
                out.append(
                    d.finding(
                        criterionID, d.opening(owner),
                        "no assessment is given (`provenBy`), so the type of assessment is unknown",
                        fix: d.insertFix(
                            into: owner, key: "provenBy",
                            skeleton: d.kind == .credential
                                ? "[{\"type\": \"LearningAssessment\", \"title\": {\"en\": \"Assessment\"}, \"grade\": {\"type\": \"Note\", \"noteLiteral\": {\"en\": \"\"}}\(awarded), \"specifiedBy\": {\"type\": \"LearningAssessmentSpecification\", \"title\": {\"en\": \"Assessment\"}, \"dcType\": \(type)}}]"
                                : "[{\"type\": \"LearningAssessmentSpecification\", \"title\": {\"en\": \"Assessment\"}, \"dcType\": \(type)}]"
                        )))
                continue
            }
            for assessment in assessments where !d.isReference(assessment) {
                let spec: SyntaxNode
                if d.kind == .credential {
                    guard let s = d.value(assessment, "specifiedBy"), s.kind == .object, !d.isReference(s) else {
                        out.append(
                            d.finding(
                                criterionID, d.opening(assessment), "the assessment has no `specifiedBy` stating its type",
                                fix: d.insertFix(
                                    into: assessment, key: "specifiedBy",
                                    skeleton:
                                        #"{"type": "LearningAssessmentSpecification", "title": {"en": ""}, "dcType": {"id": ""}}"#
                                )))
                        continue
                    }
                    spec = s
                } else {
                    spec = assessment
                }
                out += assessmentTypeFindings(d, spec)
            }
        }
        return out
    }
}

extension AssessmentTypeRule {
    /// The type of assessment of one assessment specification: a concept of the EU list; a local concept (an IRI
    /// outside the list, as issuers define their own) is a warning whose fix is the EU concept nearest its label.
    func assessmentTypeFindings(_ d: DocumentContext, _ spec: SyntaxNode) -> [Finding] {
        let values = d.values(spec, "dcType")
        guard let first = values.first else {
            return vocabularyFindings(
                d, criterionID, owner: spec, key: "dcType", vocabulary: "assessment-types", what: "type of assessment")
        }
        if values.contains(where: { d.conceptIRI($0).map { d.vocabularies.contains($0, in: "assessment-types") } ?? false }) {
            return []
        }
        let node = d.conceptIRINode(first)
        let label =
            first.kind == .object
            ? d.values(first, "prefLabel").first.flatMap { map -> String? in
                map.stringValue ?? (map.value(forKey: "en") ?? map.members.first(where: { _ in true })?.value)?.stringValue
            } : nil
        let concepts = d.vocabularies.vocabularies["assessment-types"]?.concepts ?? []
        let nearest = label.flatMap { ConceptMatch.nearest(to: $0, in: concepts) }
        let choices = concepts.map { c in
            FixChoice(
                label: "\(c.label) (\(c.notation))", json: "\"\(c.iri)\"",
                edits: [FixEdit(range: node.range, newText: "\"\(c.iri)\"")])
        }
        var fix = Fix(title: "Choose a type of assessment", choices: choices)
        if let nearest {
            fix.title = "Use the EU concept “\(nearest.label)” (\(nearest.notation))"
            fix.edits = [FixEdit(range: node.range, newText: "\"\(nearest.iri)\"")]
        }
        let written = (node.stringValue ?? node.sourceText).oneLine
        // The EU concept to use: when it has the local concept's very name, the message says so rather than "nearest".
        var advice = ""
        if let n = nearest {
            advice =
                label?.lowercased() == n.label.lowercased()
                ? "; the EU list has a concept of that name, \(n.iri)" : "; the nearest is “\(n.label)” (\(n.iri))"
        }
        return [
            d.finding(
                criterionID, node.range,
                "`\(written)`\(label.map { " (“\($0.oneLine)”)" } ?? "") is a local concept, not one of the EU assessment types\(advice): other institutions read the EU concept",
                fix: fix, severity: .warning)
        ]
    }
}

/// The concept of a vocabulary whose label best matches a text: the same label ignoring case, else the one
/// sharing the most words (of three letters or more) with it. Nil when no word is shared.
enum ConceptMatch {
    static func nearest(to text: String, in concepts: [Concept]) -> Concept? {
        let wanted = text.lowercased().trimmingWhitespace
        if let same = concepts.first(where: { $0.label.lowercased() == wanted }) { return same }
        func words(_ s: String) -> Set<Substring> {
            Set(s.lowercased().split(whereSeparator: { !$0.isLetter }).filter { $0.count >= 3 })
        }
        let w = words(text)
        var best: (score: Int, concept: Concept)?
        for c in concepts {
            let score = words(c.label).intersection(w).count
            if score > 0 && (best == nil || score > best!.score) { best = (score, c) }
        }
        return best?.concept
    }
}

/// The common check "`key` of `owner` holds a concept of `vocabulary`": missing → at the owner's brace
/// with insertion choices; present but unknown → at the IRI with replacement choices.
func vocabularyFindings(
    _ d: DocumentContext, _ criterionID: String, owner: SyntaxNode, key: String, vocabulary: String,
    what: String, offerChoices: Bool = true, reportAt missingAt: SyntaxNode? = nil
) -> [Finding] {
    let values = d.values(owner, key)
    if values.contains(where: { d.conceptIRI($0).map { d.vocabularies.contains($0, in: vocabulary) } ?? false }) { return [] }
    let concepts = offerChoices ? d.vocabularies.vocabularies[vocabulary]?.concepts ?? [] : []
    let title = d.vocabularies.vocabularies[vocabulary]?.title ?? vocabulary
    if let first = values.first {
        let node = d.conceptIRINode(first)
        let choices = concepts.map { c in
            FixChoice(
                label: "\(c.label) (\(c.notation))", json: "\"\(c.iri)\"",
                edits: [FixEdit(range: node.range, newText: "\"\(c.iri)\"")])
        }
        return [
            d.finding(
                criterionID, node.range,
                "`\(node.stringValue ?? node.sourceText)` is not a \(what) of the vocabulary “\(title)”",
                fix: choices.isEmpty ? nil : Fix(title: "Choose a \(what)", choices: choices))
        ]
    }
    let target = missingAt ?? owner
    let choices = concepts.map { c in
        let json = "{\"id\": \"\(c.iri)\", \"type\": \"Concept\"}"
        return FixChoice(
            label: "\(c.label) (\(c.notation))", json: json, edits: [d.insertion(into: owner, key: key, skeleton: json)])
    }
    // A vocabulary too long to offer as choices gets no skeleton: an empty IRI would only be a new error.
    return [
        d.finding(
            criterionID, d.opening(target), "no `\(key)` gives the \(what)",
            fix: choices.isEmpty ? nil : Fix(title: "Insert `\(key)`", choices: choices))
    ]
}

/// MC-10 and LO-12: the form of participation (mode).
struct FormOfParticipationRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        if d.kind == .learningOpportunity {
            let owners = [d.root] + d.learningOpportunitySpecifications
            if owners.contains(where: {
                vocabularyFindings(
                    d, criterionID, owner: $0, key: "mode", vocabulary: "learning-assessment-modes",
                    what: "mode of learning"
                ).isEmpty
            }) {
                return []
            }
            let withMode = owners.first { !d.values($0, "mode").isEmpty } ?? d.root
            return vocabularyFindings(
                d, criterionID, owner: withMode, key: "mode", vocabulary: "learning-assessment-modes",
                what: "mode of learning")
        }
        var out: [Finding] = []
        for (spec, owner) in d.specifications(for: criterionID) {
            // ELM v3 states the form of participation on the specification or on the learning activity that
            // influenced the achievement (`influencedBy`, or its specification).
            let activities = d.values(owner, "influencedBy").filter { $0.kind == .object }
            let activityOwners = activities + activities.flatMap { d.values($0, "specifiedBy").filter { $0.kind == .object } }
            if activityOwners.contains(where: {
                vocabularyFindings(
                    d, criterionID, owner: $0, key: "mode", vocabulary: "learning-assessment-modes",
                    what: "mode of learning"
                ).isEmpty
            }) {
                continue
            }
            guard let spec else {
                out.append(d.missingSpecification(criterionID, owner, element: "form of participation"))
                continue
            }
            out += vocabularyFindings(
                d, criterionID, owner: spec, key: "mode", vocabulary: "learning-assessment-modes", what: "mode of learning")
        }
        return out
    }
}

/// MC-11 and LO-13: an accreditation (type of quality assurance) with its type and accrediting agent.
struct QualityAssuranceRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        var targets: [(at: SyntaxNode, accreditations: [SyntaxNode])] = []
        if d.kind == .credential {
            // Accreditations stated in the credential's evidence count for every claim.
            var fromEvidence: [SyntaxNode] = []
            for evidence in d.values(d.root, "evidence") where evidence.kind == .object {
                fromEvidence += d.accreditations(in: evidence)
            }
            for claim in d.claims(for: criterionID) {
                let spec = d.value(claim, "specifiedBy").flatMap { $0.kind == .object ? $0 : nil }
                var list = d.mergedValues(spec, "accreditation") + fromEvidence
                for awarded in d.values(claim, "awardedBy") {
                    for body in d.values(awarded, "awardingBody") { list += d.mergedValues(body, "accreditation") }
                }
                targets.append((spec ?? claim, list))
            }
        } else {
            for spec in d.learningOpportunitySpecifications {
                var list = d.values(spec, "accreditation")
                for provider in d.values(d.root, "providedBy") { list += d.values(provider, "accreditation") }
                targets.append((spec, list))
            }
        }
        for (at, list) in targets {
            let complete = list.filter { acc in
                acc.kind == .object && !d.mergedValues(acc, "dcType").isEmpty
                    && d.mergedValues(acc, "accreditingAgent").contains {
                        d.hasText($0, "legalName") || d.mergedValues($0, "legalName").contains { d.hasText($0) }
                    }
            }
            if !complete.isEmpty { continue }
            if let first = list.first(where: { $0.kind == .object && !d.isReference($0) }) {
                out.append(
                    d.finding(
                        criterionID, d.opening(first),
                        "the accreditation needs a `dcType` and an `accreditingAgent` with a `legalName`"))
            } else {
                out.append(
                    d.finding(
                        criterionID, d.opening(at),
                        d.kind == .credential
                            ? "no accreditation states the type of quality assurance (looked for `accreditation` on the claim's specification and its awarding body, and in the credential's `evidence`)"
                            : "no accreditation states the type of quality assurance (looked for `accreditation` on the specification and the provider)",
                        fix: d.insertFix(into: at, key: "accreditation", skeleton: accreditationSkeleton(d))))
            }
        }
        return out
    }
}

extension QualityAssuranceRule {
    /// An accreditation to fill in: its type from the EU list (the first bundled concept, to be changed), and the
    /// accrediting agent in the document's country.
    func accreditationSkeleton(_ d: DocumentContext) -> String {
        let type =
            d.vocabularies.vocabularies["accreditation-types"]?.concepts.first.map {
                "{\"id\": \"\($0.iri)\", \"type\": \"Concept\"}"
            }
            ?? #"{"id": "", "type": "Concept"}"#
        return
            "[{\"type\": \"Accreditation\", \"title\": {\"en\": \"Accreditation\"}, \"dcType\": \(type), \"accreditingAgent\": {\"type\": \"Organisation\", \"legalName\": {\"en\": \"Quality assurance agency\"}\(d.locationSkeleton)}}]"
    }
}

/// MC-12 and LO-14: prerequisites (entry requirement; for a learning opportunity also its admission procedure).
struct PrerequisitesRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        if d.kind == .learningOpportunity, d.values(d.root, "admissionProcedure").contains(where: d.isNoteWithText) { return [] }
        for (spec, owner) in d.specifications(for: criterionID) {
            guard let spec else {
                out.append(d.missingSpecification(criterionID, owner, element: "prerequisites"))
                continue
            }
            if d.values(spec, "entryRequirement").contains(where: d.isNoteWithText) { continue }
            out.append(
                d.finding(
                    criterionID, d.opening(spec), "no `entryRequirement` says what a learner needs before enrolling",
                    fix: d.insertFix(
                        into: spec, key: "entryRequirement", skeleton: #"{"type": "Note", "noteLiteral": {"en": ""}}"#)))
        }
        return out
    }
}

let supervisionPrefix = "http://data.europa.eu/snb/supervision-verification/"

/// MC-13: every assessment says how it was supervised and whether identity was verified.
struct SupervisionRule: Rule {
    let criterionID = "MC-13"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for claim in d.claims(for: criterionID) {
            for a in d.assessments(claim) where !d.isReference(a) {
                let values = d.values(a, "idVerification")
                if values.contains(where: { d.conceptIRI($0).map { SupervisionRule.isConcept($0, d.vocabularies) } ?? false }) {
                    continue
                }
                if let first = values.first {
                    out.append(
                        d.finding(
                            criterionID, d.conceptIRINode(first).range,
                            "`\((d.conceptIRI(first) ?? "idVerification").oneLine)` is not a concept of the EU supervision-and-verification vocabulary (\(supervisionPrefix) followed by a concept code)",
                            fix: Fix(
                                title: "Choose a supervision arrangement",
                                choices: d.vocabularyChoices("supervision-verification", replacing: d.conceptIRINode(first)))))
                } else {
                    let choices = (d.vocabularies.vocabularies["supervision-verification"]?.concepts ?? []).map { c in
                        let json = "{\"id\": \"\(c.iri)\", \"type\": \"Concept\"}"
                        return FixChoice(
                            label: c.label, json: json, edits: [d.insertion(into: a, key: "idVerification", skeleton: json)])
                    }
                    out.append(
                        d.finding(
                            criterionID, d.opening(a),
                            "the assessment does not say how it was supervised and whether the learner's identity was verified (`idVerification`)",
                            fix: Fix(title: "Insert `idVerification`", choices: choices)))
                }
            }
        }
        return out
    }
}

extension SupervisionRule {
    /// A concept of the supervision-and-verification vocabulary: a bundled one, or (the bundled list is
    /// incomplete) an IRI of its namespace whose whole code has the form of the EU's concept codes: ten
    /// lower-case hexadecimal digits (`c598449d64`) or `c_` and eight (`c_3a90b26d`). The scheme's own code
    /// (`25831c2`), a word, or a code one digit short or long is not a concept.
    static func isConcept(_ iri: String, _ vocabularies: Vocabularies) -> Bool {
        if vocabularies.contains(iri, in: "supervision-verification") { return true }
        guard iri.hasPrefix(supervisionPrefix) else { return false }
        var code = Substring(iri.dropFirst(supervisionPrefix.count))
        var digits = 10
        if code.hasPrefix("c_") { code = code.dropFirst(2); digits = 8 }
        return code.utf8.count == digits && code.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

/// MC-14: every assessment records the grade achieved.
struct GradeRule: Rule {
    let criterionID = "MC-14"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for claim in d.claims(for: criterionID) {
            for a in d.assessments(claim) where !d.isReference(a) {
                if d.values(a, "grade").contains(where: d.isNoteWithText) { continue }
                out.append(
                    d.finding(
                        criterionID, d.opening(a), "the assessment records no `grade`",
                        fix: d.insertFix(into: a, key: "grade", skeleton: #"{"type": "Note", "noteLiteral": {"en": ""}}"#)))
            }
        }
        return out
    }
}

/// MC-15 and LO-16: integration and stackability.
struct StackabilityRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for (spec, owner) in d.specifications(for: criterionID) {
            guard let spec else {
                out.append(d.missingSpecification(criterionID, owner, element: "stackability"))
                continue
            }
            let partial = d.raw(spec, "isPartialQualification")
            if partial?.boolValue != nil || d.raw(spec, "isPartOf") != nil || d.raw(spec, "entitlesTo") != nil { continue }
            if d.kind == .credential, d.raw(owner, "isPartOf") != nil { continue }
            if d.kind == .learningOpportunity, d.raw(d.root, "isPartOf") != nil { continue }
            let isQualification = d.types(spec).contains("Qualification")
            out.append(
                d.finding(
                    criterionID, d.opening(spec),
                    "nothing says whether this is stand-alone or stackable: give `isPartialQualification`, `isPartOf` or `entitlesTo`",
                    fix: isQualification
                        ? Fix(
                            title: "State stand-alone or stackable",
                            choices: [
                                FixChoice(
                                    label: "stand-alone", json: "false",
                                    edits: [d.insertion(into: spec, key: "isPartialQualification", skeleton: "false")]),
                                FixChoice(
                                    label: "stackable towards another qualification", json: "true",
                                    edits: [d.insertion(into: spec, key: "isPartialQualification", skeleton: "true")]),
                            ]) : nil))
        }
        return out
    }
}

/// MC-16: further information.
struct FurtherInformationRule: Rule {
    let criterionID = "MC-16"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for claim in d.claims(for: criterionID) {
            let spec = d.value(claim, "specifiedBy")
            if ["additionalNote", "supplementaryDocument"].contains(where: { d.raw(claim, $0) != nil })
                || ["additionalNote", "supplementaryDocument", "homepage"].contains(where: { d.raw(spec, $0) != nil })
            {
                continue
            }
            out.append(
                d.finding(
                    criterionID, d.opening(claim),
                    "no further information is given (`additionalNote`, `supplementaryDocument` or the specification's `homepage`)",
                    fix: d.insertFix(
                        into: claim, key: "additionalNote", skeleton: #"[{"type": "Note", "noteLiteral": {"en": ""}}]"#)))
        }
        return out
    }
}

/// MC-17/18/19 and LO-06/07: a specification property that must hold a concept of a vocabulary.
struct ConceptPresenceRule: Rule {
    let criterionID: String
    let key: String
    let vocabulary: String
    let what: String

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for (spec, owner) in d.specifications(for: criterionID) {
            guard let spec else {
                out.append(d.missingSpecification(criterionID, owner, element: what))
                continue
            }
            let small = (d.vocabularies.vocabularies[vocabulary]?.concepts.count ?? 0) <= 40
            out += vocabularyFindings(
                d, criterionID, owner: spec, key: key, vocabulary: vocabulary, what: what, offerChoices: small)
        }
        return out
    }
}

/// MC-20: every assessment names its grading scheme.
struct GradingSchemeRule: Rule {
    let criterionID = "MC-20"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for claim in d.claims(for: criterionID) {
            for a in d.assessments(claim) where !d.isReference(a) {
                let spec = d.value(a, "specifiedBy").flatMap { $0.kind == .object ? $0 : nil }
                if d.values(spec, "gradingScheme").contains(where: { d.hasText($0, "title") }) { continue }
                let at = spec ?? a
                out.append(
                    d.finding(
                        criterionID, d.opening(at), "the assessment names no grading scheme (`gradingScheme` with a title)",
                        fix: spec.map {
                            d.insertFix(
                                into: $0, key: "gradingScheme",
                                skeleton: #"{"type": "GradingScheme", "title": {"en": ""}}"#)
                        }))
            }
        }
        return out
    }
}

/// MC-22: the micro-credential criteria (those the catalogue restricts to LearningAchievement claims) judge
/// each learning achievement among the claims. One information finding says exactly what was checked and
/// what not when some claim is not a learning achievement (a certificate of participation's LearningActivity,
/// a LearningEntitlement), or when the declared profile is not one for micro-credentials (then no claim is).
struct MicroCredentialClaimRule: Rule {
    let criterionID = "MC-22"

    func check(_ d: DocumentContext) -> [Finding] {
        let claims = d.claims
        let achievementTypes = d.catalogue.restrictedClaimTypes
        let ids = d.catalogue.claimRestrictedCriteria.joined(separator: ", ")
        func describe(_ claim: SyntaxNode) -> String {
            let type = d.types(claim).first ?? "untyped claim"
            let title = d.name(of: claim)
            return title == type || title == "this node" ? type : "\(type) \(title)"
        }
        if let profile = d.nonMicroCredentialProfile {
            let what =
                claims.isEmpty
                ? ""
                : " (\(claims.count == 1 ? "its claim" : "its \(claims.count) claims"): \(claims.map(describe).joined(separator: "; ")))"
            return [
                d.finding(
                    criterionID, profile.node.range,
                    "the credential declares the profile “\(profile.label.oneLine)”, which is not a micro-credential profile: \(ids) were not checked\(what.oneLine)"
                )
            ]
        }
        let achievements = claims.filter { d.types($0).contains { achievementTypes.contains($0) } }
        let others = claims.filter { claim in !achievements.contains { $0.index == claim.index } }
        guard let first = others.first else { return [] }
        let at = first.value(forKey: "type")?.range ?? d.opening(first)
        let notChecked = others.map(describe).joined(separator: "; ")
        if achievements.isEmpty {
            let example =
                others.count == 1 && d.types(first).contains("LearningActivity")
                ? " (such as a certificate of participation)" : ""
            let subject =
                others.count == 1
                ? "the claim is a \(describe(first))\(example), not a LearningAchievement"
                : "none of the \(others.count) claims is a LearningAchievement (\(notChecked))"
            return [
                d.finding(
                    criterionID, at,
                    "\(subject), so this credential is not a micro-credential: \(ids) apply to learning achievements only and were not checked"
                        .oneLine)
            ]
        }
        let checked = achievements.map { d.name(of: $0) }.joined(separator: ", ")
        let one = achievements.count == 1, other = others.count == 1
        return [
            d.finding(
                criterionID, at,
                "of the \(claims.count) claims, \(one ? "the learning achievement" : "the learning achievements") \(checked) \(one ? "was" : "were") checked against the micro-credential criteria; \(other ? "the" : "the claims") \(notChecked) \(other ? "is not a learning achievement" : "are not learning achievements"), so \(ids) were not checked for \(other ? "it" : "them")"
                    .oneLine)
        ]
    }
}

/// MC-21 and LO-17: an object given only by `id` (and `type`) must be described in full elsewhere in the
/// document, when its type is a class the profile describes with required properties.
struct NodeReferenceRule: Rule {
    let criterionID: String

    func check(_ d: DocumentContext) -> [Finding] {
        // Read on the node storage: a reference's `type` strings and `id` bytes are looked up in place, and
        // only a dangling reference makes handles and strings (for its finding).
        let tree = d.tree
        let index = d.index
        let dangling: [(id: Int, type: Int)] = tree.withNodeStorage { storage in
            var found: [(id: Int, type: Int)] = []
            for object in index.references {
                var idValue = -1
                var referenceType = -1
                // As `value(forKey:)` reads them: the last `id` and the last `type` member count.
                for (key, value) in storage.members(of: object) {
                    let name = DocumentContext.Index.withValueBytes(tree, storage, key) { bytes -> Int in
                        bytes.elementsEqual("id".utf8) ? 1 : bytes.elementsEqual("type".utf8) ? 2 : 0
                    }
                    if name == 1 {
                        idValue = value
                    } else if name == 2 {
                        referenceType = -1
                        if storage.kind(value) == .array {
                            for element in storage.elements(of: value) where isReferenceClass(element, storage, d) {
                                referenceType = element
                                break
                            }
                        } else if isReferenceClass(value, storage, d) {
                            referenceType = value
                        }
                    }
                }
                guard idValue >= 0, referenceType >= 0, storage.kind(idValue) == .string else { continue }
                let known = DocumentContext.Index.withValueBytes(tree, storage, idValue) { index.ids.find($0) != nil }
                if !known { found.append((idValue, referenceType)) }
            }
            return found
        }
        // One finding per id, at its first reference: one missing description is one mistake, however often it is referred to.
        var order: [String] = []
        var byID: [String: (first: SyntaxNode, cls: String, count: Int)] = [:]
        for (idIndex, typeIndex) in dangling {
            let idNode = tree.node(atIndex: idIndex)
            let id = idNode.stringValue ?? ""
            if byID[id] != nil {
                byID[id]!.count += 1
            } else {
                order.append(id)
                byID[id] = (idNode, tree.node(atIndex: typeIndex).stringValue ?? "", 1)
            }
        }
        return order.map { id in
            let (first, cls, count) = byID[id]!
            let article = cls.first.map { "AEIOU".contains($0) } == true ? "an" : "a"
            let others = count > 1 ? " (and \(count - 1) other reference\(count > 2 ? "s" : "") to it)" : ""
            return d.finding(
                criterionID, first.range,
                "`\(id)` refers to \(article) \(cls) that is described nowhere in this document\(others); describe it in full once (with its required properties) or write it out here"
            )
        }
    }

    /// Whether a `type` string names a class whose nodes may be referenced by id (`SchemaFacts.referenceClasses`).
    private func isReferenceClass(_ node: Int, _ storage: NodeStorage, _ d: DocumentContext) -> Bool {
        guard storage.kind(node) == .string else { return false }
        return DocumentContext.Index.withValueBytes(d.tree, storage, node) { d.facts.referenceClassNames.find($0) != nil }
    }
}
