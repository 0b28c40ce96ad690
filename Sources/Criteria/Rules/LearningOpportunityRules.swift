import JSONSyntax

// Rules for learning opportunities (LOQ profile, LO-01 … LO-18). The specification-level rules shared
// with credentials (learning outcomes, workload, assessment type, mode, quality assurance, prerequisites,
// stackability, field and language) are in CredentialRules.swift.

/// LO-01: the learning opportunity has a title.
struct LearningOpportunityTitleRule: Rule {
    let criterionID = "LO-01"

    func check(_ d: DocumentContext) -> [Finding] {
        if d.hasText(d.root, "title") { return [] }
        if let raw = d.raw(d.root, "title") { return [d.finding(criterionID, raw.range, "the `title` is empty")] }
        return [
            d.finding(
                criterionID, d.opening(d.root), "the learning opportunity has no `title`",
                fix: d.insertFix(into: d.root, key: "title", skeleton: #"{"en": ""}"#))
        ]
    }
}

/// LO-02: a homepage with an http(s) URL.
struct HomepageRule: Rule {
    let criterionID = "LO-02"

    func check(_ d: DocumentContext) -> [Finding] {
        let pages = d.values(d.root, "homepage")
        var bad: SyntaxNode?
        for page in pages {
            let url = page.kind == .string ? page : d.value(page, "contentURL")
            if let s = url?.stringValue?.lowercased(), (s.hasPrefix("http://") || s.hasPrefix("https://")) && s.count > 8 {
                return []
            }
            if bad == nil { bad = url ?? page }
        }
        if let bad {
            return [
                d.finding(
                    criterionID, bad.kind == .object ? d.opening(bad) : bad.range,
                    "the homepage needs a `contentURL` starting with http:// or https://")
            ]
        }
        return [
            d.finding(
                criterionID, d.opening(d.root), "the learning opportunity has no `homepage`",
                fix: d.insertFix(into: d.root, key: "homepage", skeleton: #"[{"type": "WebResource", "contentURL": "https://"}]"#)
            )
        ]
    }
}

/// LO-03: the provider, with legal name and country.
struct ProviderRule: Rule {
    let criterionID = "LO-03"

    func check(_ d: DocumentContext) -> [Finding] {
        let providers = d.values(d.root, "providedBy").filter { $0.kind == .object && !d.isReference($0) }
        if providers.isEmpty {
            if d.raw(d.root, "providedBy") != nil { return [] }  // references only: NodeReferenceRule reports them
            return [
                d.finding(
                    criterionID, d.opening(d.root), "the learning opportunity names no provider (`providedBy`)",
                    fix: d.insertFix(
                        into: d.root, key: "providedBy",
                        skeleton:
                            #"[{"type": "Organisation", "legalName": {"en": ""}, "location": [{"type": "Location", "address": {"type": "Address", "countryCode": {"id": "http://publications.europa.eu/resource/authority/country/"}}}]}]"#
                    ))
            ]
        }
        var out: [Finding] = []
        for provider in providers {
            if !d.hasText(provider, "legalName") {
                out.append(
                    d.finding(
                        criterionID, d.opening(provider), "the provider has no `legalName`",
                        fix: d.insertFix(into: provider, key: "legalName", skeleton: #"{"en": ""}"#)))
            }
            out += countryFindings(d, criterionID, organisation: provider, who: "provider")
        }
        return out
    }
}

/// LO-04: exactly one learning achievement specification, with a title.
struct SpecificationRule: Rule {
    let criterionID = "LO-04"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let raw = d.raw(d.root, "learningAchievementSpecification") else {
            return [
                d.finding(
                    criterionID, d.opening(d.root), "the learning opportunity has no `learningAchievementSpecification`",
                    fix: d.insertFix(
                        into: d.root, key: "learningAchievementSpecification",
                        skeleton: #"{"type": "Qualification", "title": {"en": ""}}"#))
            ]
        }
        var out: [Finding] = []
        let specs = d.learningOpportunitySpecifications
        if raw.kind == .array && raw.elements.count != 1 {
            out.append(
                d.finding(
                    criterionID, raw.range,
                    "there are \(raw.elements.count) specifications; a learning opportunity has exactly one (publish the others as learning opportunities of their own)"
                ))
        }
        for spec in specs where !d.isReference(spec) {
            if d.types(spec).contains("QualificationReference") {
                if d.raw(spec, "identifier") == nil {
                    out.append(d.finding(criterionID, d.opening(spec), "the QualificationReference has no `identifier`"))
                }
            } else if !d.hasText(spec, "title") {
                out.append(
                    d.finding(criterionID, d.raw(spec, "title")?.range ?? d.opening(spec), "the specification has no `title`"))
            }
        }
        return out
    }
}

/// LO-05: exactly one default language.
struct DefaultLanguageRule: Rule {
    let criterionID = "LO-05"

    func check(_ d: DocumentContext) -> [Finding] {
        if let raw = d.raw(d.root, "defaultLanguage"), raw.kind == .array, raw.elements.count > 1 {
            return [d.finding(criterionID, raw.range, "give exactly one `defaultLanguage`")]
        }
        return vocabularyFindings(
            d, criterionID, owner: d.root, key: "defaultLanguage", vocabulary: "languages",
            what: "language", offerChoices: false)
    }
}

/// LO-10: the level: a Qualification's EQF and NQF levels, or a specification's education level.
struct LearningOpportunityLevelRule: Rule {
    let criterionID = "LO-10"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for spec in d.learningOpportunitySpecifications where !d.isReference(spec) {
            if d.types(spec).contains("Qualification") {
                let missing = ["eqfLevel", "nqfLevel"].filter { d.values(spec, $0).isEmpty }
                guard !missing.isEmpty else { continue }
                out.append(
                    d.finding(
                        criterionID, d.opening(spec),
                        "the qualification lacks \(missing.map { "`\($0)`" }.joined(separator: " and ")) (LOQ requires both)",
                        fix: missing.contains("eqfLevel")
                            ? Fix(title: "Insert `eqfLevel`", choices: eqfChoices(d, into: spec)) : nil))
            } else if d.types(spec).contains("LearningAchievementSpecification"), d.values(spec, "educationLevel").isEmpty {
                out.append(
                    d.finding(
                        criterionID, d.opening(spec), "the specification states no `educationLevel`",
                        fix: d.insertFix(into: spec, key: "educationLevel", skeleton: #"{"id": "", "type": "Concept"}"#)))
            }
        }
        return out
    }
}

/// LO-15: each assessment specification carries a note tagged with the EU supervision-and-verification concept.
struct SupervisionNoteRule: Rule {
    let criterionID = "LO-15"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for spec in d.learningOpportunitySpecifications {
            for a in d.values(spec, "provenBy") where a.kind == .object && !d.isReference(a) {
                let tagged = d.values(a, "additionalNote").contains { note in
                    d.isNoteWithText(note)
                        && d.values(note, "subject").contains { d.conceptIRI($0)?.hasPrefix(supervisionPrefix) ?? false }
                }
                if tagged { continue }
                let choices = (d.vocabularies.vocabularies["supervision-verification"]?.concepts ?? []).map { c in
                    let json =
                        "[{\"type\": \"Note\", \"subject\": {\"id\": \"\(c.iri)\", \"type\": \"Concept\"}, \"noteLiteral\": {\"en\": \"\(c.label)\"}}]"
                    return FixChoice(
                        label: c.label, json: json, edits: [d.insertion(into: a, key: "additionalNote", skeleton: json)])
                }
                out.append(
                    d.finding(
                        criterionID, d.opening(a),
                        "the assessment does not say how it is supervised and whether identity is verified (an `additionalNote` whose `subject` is a supervision-verification concept)",
                        fix: Fix(title: "Insert a supervision note", choices: choices)))
            }
        }
        return out
    }
}

/// LO-18: the type of learning opportunity.
struct LearningOpportunityTypeRule: Rule {
    let criterionID = "LO-18"

    func check(_ d: DocumentContext) -> [Finding] {
        vocabularyFindings(
            d, criterionID, owner: d.root, key: "dcType", vocabulary: "learning-opportunity-types",
            what: "type of learning opportunity")
    }
}
