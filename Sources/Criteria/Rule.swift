import JSONSchema
import JSONSyntax

/// A machine check for one criterion. Each rule names the criterion it enforces; the engine runs it on
/// the document kinds the catalogue lists for that criterion. Rules only read the document.
protocol Rule: Sendable {
    /// The criterion the rule enforces (its findings carry this ID, except the schema rule's, which are
    /// attributed by the catalogue's findingPolicy).
    var criterionID: String { get }
    func check(_ document: DocumentContext) -> [Finding]
}

/// Every document-level rule, in one explicit table. `RuleTableTests` checks that each criterion of the
/// catalogue that is not workspace-scoped has an entry here, and that every entry names a criterion.
enum RuleTable {
    static let documentRules: [any Rule] = [
        // Schema validation per kind, attributed to criteria by the catalogue's findingPolicy.
        SchemaConformanceRule(criterionID: "MC-21", kind: .credential),
        SchemaConformanceRule(criterionID: "LO-17", kind: .learningOpportunity),
        SchemaConformanceRule(criterionID: "AG-14", kind: .agreement),
        SchemaConformanceRule(criterionID: "CO-01", kind: .consultation),
        NodeReferenceRule(criterionID: "MC-21"),
        NodeReferenceRule(criterionID: "LO-17"),
        // Credentials (Annex I elements and ECCOE additions)
        LearnerIdentificationRule(),
        CredentialTitleRule(),
        IssuerCountryRule(),
        AwardingBodyRule(),
        DateOfIssuingRule(),
        LearningOutcomesRule(criterionID: "MC-06"),
        NotionalWorkloadRule(criterionID: "MC-07"),
        CredentialLevelRule(),
        AssessmentTypeRule(criterionID: "MC-09"),
        FormOfParticipationRule(criterionID: "MC-10"),
        QualityAssuranceRule(criterionID: "MC-11"),
        PrerequisitesRule(criterionID: "MC-12"),
        SupervisionRule(),
        GradeRule(),
        StackabilityRule(criterionID: "MC-15"),
        FurtherInformationRule(),
        ConceptPresenceRule(criterionID: "MC-17", key: "thematicArea", vocabulary: "isced-f", what: "field of education"),
        ConceptPresenceRule(criterionID: "MC-18", key: "language", vocabulary: "languages", what: "language"),
        ConceptPresenceRule(criterionID: "MC-19", key: "learningSetting", vocabulary: "learning-settings", what: "learning setting"),
        GradingSchemeRule(),
        MicroCredentialClaimRule(),
        // Learning opportunities (LOQ profile and Annex I elements at specification level)
        LearningOpportunityTitleRule(),
        HomepageRule(),
        ProviderRule(),
        SpecificationRule(),
        DefaultLanguageRule(),
        ConceptPresenceRule(criterionID: "LO-06", key: "thematicArea", vocabulary: "isced-f", what: "field of education"),
        ConceptPresenceRule(criterionID: "LO-07", key: "language", vocabulary: "languages", what: "language of instruction"),
        LearningOutcomesRule(criterionID: "LO-08"),
        NotionalWorkloadRule(criterionID: "LO-09"),
        LearningOpportunityLevelRule(),
        AssessmentTypeRule(criterionID: "LO-11"),
        FormOfParticipationRule(criterionID: "LO-12"),
        QualityAssuranceRule(criterionID: "LO-13"),
        PrerequisitesRule(criterionID: "LO-14"),
        SupervisionNoteRule(),
        StackabilityRule(criterionID: "LO-16"),
        LearningOpportunityTypeRule(),
        // Recognition agreements
        PartiesRule(),
        ScopeRule(),
        CoveredLearningOpportunitiesRule(),
        EquivalenceTableRule(),
        GradeConversionRule(),
        EvidenceRule(),
        PartyQualityAssuranceRule(),
        ValidityRule(),
        DataProtectionRule(),
        SignaturesRule(),
        LearnerRightsRule(),
        LimitsRule(),
        TranscriptRecordingRule(),
        OutcomeCoverageRule(),
        PlaceholderRule(),
        // Data quality
        CreditsAgainstHoursRule(),
        DurationSyntaxRule(),
        WorkloadInHoursRule(),
        DateOrderRule(),
        TimeZoneRule(),
        LanguageMapKeyRule(),
        OneTextPerLanguageRule(),
        LookAlikeKeyRule(),
        // Consultation definitions
        ConsultationPeriodRule(),
        ConsultationItemsRule(),
        ConsultationQuestionsRule(),
        AnswerOptionsRule(),
    ]

    /// Rules that need the documents an agreement references.
    static let workspaceRules: [any WorkspaceRule] = [
        ReferencedDocumentsResolveRule(),
        ReferencedDocumentsMeetMandatoryCriteriaRule(),
        CreditsWithinAwardedRule(),
        NoDoubleCountingRule(),
        AgreementInStepRule(),
    ]
}

/// Schema validation against the kind's schema. Each violation goes to a criterion by the catalogue's
/// findingPolicy: (1) an enclosing `x-criterion` subschema; (2) the mandatory, document-scoped criterion
/// of the kind with the longest elmPath at or above the instance location (for a credential, only
/// criteria that apply to the claim there); (3) the kind's profile criterion (`criterionID`).
struct SchemaConformanceRule: Rule {
    let criterionID: String
    let kind: DocumentKind

    func check(_ document: DocumentContext) -> [Finding] {
        findingsAwaitingChoices(document).map { Self.offeringChoices($0.finding, $0.allowed) }
    }

    /// The findings, those of `enum` and `const` violations without their fix yet, each with the values its
    /// fix will offer (`offeringChoices`). The engine makes those fixes only for the findings it keeps: where
    /// a rule reports the same criterion at the same place, the schema's finding goes, and building a choice
    /// per allowed value for it was most of the cost of converting errors to findings.
    func findingsAwaitingChoices(_ document: DocumentContext) -> [(finding: Finding, allowed: [AllowedValue])] {
        guard document.kind == kind, let validator = document.facts.validators[kind] else { return [] }
        let result: ValidationResult
        if let path = document.path {
            // Versions of one document share most of their subtrees: validate through its memo.
            let memo = document.plan.validationMemos.take(path: path, kind: kind).value
            result = memo.map { validator.validate(document.tree, memo: $0) } ?? validator.validate(document.tree)
            document.plan.validationMemos.putBack(memo, path: path, kind: kind)
        } else {
            result = validator.validate(document.tree)
        }
        // A document's violations repeat the same few keyword locations and paths, and so do the versions
        // of a document being edited: attribute each once, remembering across checks (`AttributionCache`).
        var memo = document.plan.attributionCache.memo(for: kind)
        let known = memo.count
        var claimTypes: [[String]: [String]?] = [:]
        defer { if memo.count != known { document.plan.attributionCache.store(memo, for: kind) } }
        return result.errors.map { error in
            let criterion = attribute(error, document, memo: &memo, claimTypes: &claimTypes)
            var fix: Fix?
            if error.allowedValues.isEmpty, error.code == "additional-property",
               let suggestion = error.message.backtickedWords.dropFirst().first {
                fix = Fix(title: "Rename to `\(suggestion)`", edits: [FixEdit(range: error.range, newText: "\"" + suggestion + "\"")])
            }
            return (document.finding(criterion, error.range, error.message, fix: fix), error.allowedValues)
        }
    }

    /// A finding with the fix that offers the allowed values, each replacing the offending value.
    static func offeringChoices(_ finding: Finding, _ allowed: [AllowedValue]) -> Finding {
        guard !allowed.isEmpty else { return finding }
        var f = finding
        f.fix = Fix(title: "Choose an allowed value", choices: allowed.map { v in
            FixChoice(label: v.title.map { "\(v.json) \($0)" } ?? v.json, json: v.json,
                      edits: [FixEdit(range: finding.range, newText: v.json)])
        })
        return f
    }

    /// Attributions already made: by absolute keyword location (the `x-criterion` step), and by dotted
    /// path plus the claim's types (the elmPaths step). Both depend only on the schemas and the catalogue,
    /// not on the document, so the engine keeps them between checks.
    struct AttributionMemo: Sendable {
        var xCriterion: [String: String?] = [:]
        var byPath: [PathKey: String] = [:]

        var count: Int { xCriterion.count + byPath.count }
    }

    struct PathKey: Hashable, Sendable {
        var dotted: String
        var claimTypes: [String]?
    }

    /// `claimTypes`: the types of the claims met in this document, by the claim's pointer tokens.
    func attribute(_ error: ValidationError, _ document: DocumentContext, memo: inout AttributionMemo,
                   claimTypes claimMemo: inout [[String]: [String]?]) -> String {
        let x: String?
        if let known = memo.xCriterion[error.absoluteKeywordLocation] {
            x = known
        } else {
            x = document.facts.xCriterion(for: error.absoluteKeywordLocation)
            memo.xCriterion[error.absoluteKeywordLocation] = .some(x)
        }
        if let x { return x }
        var tokens = error.instanceLocation.tokens
        if error.code == "additional-property" || error.code == "unevaluated-property" { tokens.removeLast(min(1, tokens.count)) }
        // Array indices do not name elements: `a/0/b` is the path `a.b`.
        var dotted = ""
        for token in tokens where !token.isEmpty && !token.isArrayIndexToken {
            if !dotted.isEmpty { dotted += "." }
            dotted += token
        }
        if error.code == "required", let property = error.message.firstBacktickedWord {
            if !dotted.isEmpty { dotted += "." }
            dotted += property
        }
        // The claim's types decide which claim-specific criteria compete (nil: not inside a claim).
        var claimTypes: [String]?
        if kind == .credential, tokens.count >= 2, tokens[0] == "credentialSubject", tokens[1] == "hasClaim" {
            let claimTokens = Array(tokens.prefix(tokens.count > 2 && tokens[2].isArrayIndexToken ? 3 : 2))
            if let known = claimMemo[claimTokens] {
                claimTypes = known
            } else {
                claimTypes = document.tree.node(at: JSONPointer(tokens: claimTokens)).map { document.types($0) }
                claimMemo[claimTokens] = .some(claimTypes)
            }
        }
        let key = PathKey(dotted: dotted, claimTypes: claimTypes)
        if let known = memo.byPath[key] { return known }
        var best: (length: Int, id: String)?
        for c in document.plan.candidates[kind] ?? [] {
            if let claimTypes, !c.claimTypes.isEmpty, !claimTypes.contains(where: { c.claimTypes.contains($0) }) { continue }
            for p in c.elmPaths where dotted == p || dotted.hasPrefix(p + ".") {
                if best == nil || p.count > best!.length { best = (p.count, c.id) }
            }
        }
        let id = best?.id ?? criterionID
        memo.byPath[key] = id
        return id
    }
}

extension String {
    /// Whether a JSON Pointer token is all ASCII digits (an array index; the empty token counts, as
    /// `allSatisfy` over no characters does). Tested on the UTF-8 bytes: a `Character` is an ASCII
    /// number exactly when it is one of the bytes `0`–`9`.
    var isArrayIndexToken: Bool { utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
}

extension Character {
    var isASCIINumber: Bool { isASCII && isNumber }
}

extension String {
    /// The words written between backticks, in order (`missing required property `x``).
    var backtickedWords: [String] {
        let parts = split(separator: "`", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count - 1, by: 2).map { String(parts[$0]) }
    }

    /// `backtickedWords.first`, without splitting the whole text: for ASCII text, found on the bytes (a
    /// backtick byte is then always a backtick character); otherwise as `backtickedWords` does.
    var firstBacktickedWord: String? {
        let bytes = utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return backtickedWords.first }
        guard let open = bytes.firstIndex(of: 0x60) else { return nil }
        let start = bytes.index(after: open)
        guard let close = bytes[start...].firstIndex(of: 0x60) else { return nil }
        return String(self[start..<close])
    }
}
