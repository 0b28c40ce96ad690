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
        ConceptSchemeRule(criterionID: "MC-21"),
        ConceptSchemeRule(criterionID: "LO-17"),
        SealingTimePropertiesRule(),
        JSONLDContextRule(criterionID: "MC-21"),
        JSONLDContextRule(criterionID: "LO-17"),
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
        ConceptPresenceRule(
            criterionID: "MC-19", key: "learningSetting", vocabulary: "learning-settings", what: "learning setting"),
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
        DisplayLanguageTextsRule(),
        // Consultation definitions
        ConsultationPeriodRule(),
        ConsultationItemsRule(),
        ConsultationQuestionsRule(),
        AnswerOptionsRule(),
        ConsultationLanguagesRule(),
        RegistrationFormRule(),
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

    /// A schema finding before its fix's choices are made: the values they will offer, and the property the
    /// violation is about (missing or not allowed), which a rule finding at the same place may already name.
    struct Pending: Sendable {
        var finding: Finding
        var allowed: [AllowedValue]
        var property: String?
        /// For a violation at the `id` of a graph node's reference (`"countryCode": {"id": "ES"}`), where the graph
        /// describes that id: the start of the described node's `id` value, where the rules read and report it.
        var alias: Int? = nil
    }

    /// The findings, those of `enum` and `const` violations without their fix yet, each with the values its
    /// fix will offer (`offeringChoices`). The engine makes those fixes only for the findings it keeps: where
    /// a rule reports the same criterion at the same place, the schema's finding goes, and building a choice
    /// per allowed value for it was most of the cost of converting errors to findings.
    func findingsAwaitingChoices(_ document: DocumentContext) -> [Pending] {
        guard document.kind == kind, let validator = document.facts.validators[kind] else { return [] }
        let (tree, base) = document.schemaInput
        let result: ValidationResult
        if let memory = document.memory, base == 0 {
            // Versions of one document share most of their subtrees: validate through the memo its caller keeps.
            result = validator.validate(tree, memo: memory.validation)
        } else {
            result = validator.validate(tree)
        }
        // A document's violations repeat the same few keyword locations and paths, and so do the versions
        // of a document being edited: attribute each once, remembering across checks (`AttributionCache`).
        var memo = document.plan.attributionCache.memo(for: kind)
        let known = memo.count
        var claimTypes: [[String]: [String]?] = [:]
        defer { if memo.count != known { document.plan.attributionCache.store(memo, for: kind) } }
        let restricts = document.profile.restrictsVocabularies
        var out: [Pending] = []
        out.reserveCapacity(result.errors.count)
        for error in result.errors {
            // The profile without controlled vocabularies (edc-generic-no-cv) has no concept-scheme restrictions.
            if !restricts && Self.isVocabularyRestriction(error) { continue }
            // What `@context` holds is `JSONLDContextRule`'s (it names the context to include); its absence stays here.
            if error.instanceLocation.tokens.first == "@context" { continue }
            // A graph's node takes its `@context` from the graph's root, and refers to the graph's other nodes as
            // flattened JSON-LD does, by `{"id": …}` alone (the class dispatchers ask for a `type`).
            if base != 0, error.code == "required" {
                if error.property == "@context", document.tree.root.value(forKey: "@context") != nil { continue }
                if error.property == "type", let node = tree.node(at: error.instanceLocation), node.kind == .object,
                    node.members.allSatisfy({ ["id", "type", "@context"].contains($0.name) }), node.value(forKey: "id") != nil
                {
                    continue
                }
            }
            let criterion = attribute(error, document, tree: tree, memo: &memo, claimTypes: &claimTypes)
            let range = (error.range.lowerBound + base)..<(error.range.upperBound + base)
            var fix: Fix?
            if error.allowedValues.isEmpty, error.code == "additional-property", let suggestion = error.suggestion {
                fix = Fix(title: "Rename to `\(suggestion)`", edits: [FixEdit(range: range, newText: "\"" + suggestion + "\"")])
            }
            var finding = document.finding(criterion, range, Self.message(error), fix: fix)
            if error.code == "required" || error.code == "dependentRequired", let missing = error.property {
                finding.properties = [missing]
            }
            out.append(
                Pending(
                    finding: finding, allowed: error.allowedValues, property: error.property,
                    alias: base == 0 ? nil : Self.alias(of: error, tree, document)))
        }
        if base != 0 { out += graphNodeFindings(document) }
        if !document.index.repeatedIDs.isEmpty {
            let errors = out.map(\.finding.range.lowerBound).sorted()
            out += mergedDescriptionConflicts(document, errors: errors, memo: &memo, claimTypes: &claimTypes)
        }
        if !document.index.references.isEmpty { out += untypedReferences(document, memo: &memo, claimTypes: &claimTypes) }
        return out
    }

    /// References `{"id": …}` without `type` at a property whose class the profile checks by its type alone
    /// (`SchemaFacts.typeOnlyReferences`: sh:class skos:ConceptScheme on `inScheme`, sh:class ShaclValidator2017 on
    /// `credentialSchema`), to an id the document gives a type nowhere: the EC's validation reads the document's
    /// own graph, where such a node is of no class, so it rejects the reference. Reported at the property's key,
    /// under the criterion a schema violation there would be filed under, with a fix that adds the type.
    func untypedReferences(
        _ document: DocumentContext, memo: inout AttributionMemo,
        claimTypes: inout [[String]: [String]?]
    ) -> [Pending] {
        guard let table = document.facts.typeOnlyReferences[kind], !table.isEmpty else { return [] }
        let tree = document.tree
        var out: [Pending] = []
        var typed: Set<String>?
        for (property, className) in table {
            for ref in document.members(named: property) {
                let value = document.value(of: ref)
                let values = value.kind == .array ? Array(value.elements) : [value]
                for v in values where v.kind == .object && v.value(forKey: "type") == nil && document.isReference(v) {
                    guard let id = v.value(forKey: "id")?.stringValue else { continue }
                    if typed == nil { typed = Self.typedIDs(document) }
                    if typed!.contains(id) { continue }
                    let key = tree.node(atIndex: Int(ref.keyIndex))
                    let message =
                        "`\(property)` refers to `\(id)` without a `type`, and the document gives that node no type anywhere: the profile requires a \(className) here, and a validator reading the document (the EC's SHACL shapes) cannot tell the node's class"
                    let error = ValidationError(
                        code: "required", instanceLocation: v.pointer, range: key.range,
                        keywordLocation: JSONPointer(tokens: []),
                        absoluteKeywordLocation: kind.schemaID + "#/$defs/\(className)/else/required",
                        message: message, property: "type")
                    let criterion = attribute(error, document, tree: tree, memo: &memo, claimTypes: &claimTypes)
                    let fix = Fix(
                        title: "Add `\"type\": \"\(className)\"`",
                        edits: [document.insertion(into: v, key: "type", skeleton: "\"\(className)\"", after: "id")])
                    out.append(
                        Pending(
                            finding: document.finding(criterion, key.range, message, fix: fix, severity: .error),
                            allowed: [], property: nil))
                }
            }
        }
        return out
    }

    /// The ids of every object in the document that has a `type` (a full node or a typed reference).
    static func typedIDs(_ document: DocumentContext) -> Set<String> {
        var out: Set<String> = []
        for ref in document.members(named: "type") {
            if let id = document.tree.node(atIndex: ref.object).value(forKey: "id")?.stringValue { out.insert(id) }
        }
        return out
    }

    /// The descriptions of one node (full nodes sharing an `id`, which JSON-LD merges into one node) compared
    /// property by property: where the class allows one value (`SchemaFacts.singleValued`: sh:maxCount 1, or one
    /// text per language) and two descriptions each state one, but not the same, the merged node has two. Reported
    /// once per property (and language), at the key of the odd value (the one fewest descriptions state; of equals,
    /// the later) naming the most stated other, under the criterion a schema violation there would be filed under
    /// (the findingPolicy, through `attribute`). A description that states two values itself, and a value the
    /// schema already rejects (`errors`: the sorted start offsets of its findings), are the schema's findings.
    /// Values are the same when they are the same text, number or node id (a string equal to a node's id is that
    /// node, as for an `@id`-typed term); an object without `id` is a node of its own, distinct from any other.
    func mergedDescriptionConflicts(
        _ document: DocumentContext, errors: [Int], memo: inout AttributionMemo,
        claimTypes: inout [[String]: [String]?]
    ) -> [Pending] {
        guard let table = document.facts.singleValued[kind], !table.isEmpty else { return [] }
        let tree = document.tree
        var out: [Pending] = []
        for group in document.nodesDescribedMoreThanOnce {
            // Descriptions written alike (token for token, as credentials repeat their issuer's) have the same class
            // and state the same values at the same places: each is read once, as the first written so (`written`).
            // `twin[i]`: the earlier description that description i is written like, or nil if it is the first so.
            // Most are written like the first; the others are compared only with the earlier ways of writing that
            // have the same `tokenHash` (the first's hashed when a description is not like it).
            let twin: [Int?] = tree.withNodeStorage { storage in
                var firsts: [Int: [Int]] = [:]
                return group.map { description in
                    if description == group[0] { return nil }
                    if storage.sameTokens(group[0], description) { return group[0] }
                    if firsts.isEmpty { firsts[storage.tokenHash(group[0])] = [group[0]] }
                    let hash = storage.tokenHash(description)
                    if let first = firsts[hash]?.first(where: { storage.sameTokens($0, description) }) { return first }
                    firsts[hash, default: []].append(description)
                    return nil
                }
            }
            let written = zip(group, twin).compactMap { $1 == nil ? tree.node(atIndex: $0) : nil }
            // All alike: a conflict only where the description states two values for one slot, or a value without a
            // term (an object without `id`, a blank node each time it is written). Most repeated nodes are alike and
            // have neither: they are passed over here, without making terms.
            if written.count == 1 {
                let tables = document.types(written[0]).compactMap { table[$0] }
                if tables.isEmpty || Self.statesOneTermPerSlot(written[0], limit: { p in tables.lazy.compactMap { $0[p] }.first })
                {
                    continue
                }
            }
            // The class is what any description says it is.
            var limits: [String: (limit: SingleValue, className: String)] = [:]
            for node in written {
                for type in document.types(node) {
                    for (property, limit) in table[type] ?? [:] where limits[property] == nil { limits[property] = (limit, type) }
                }
            }
            guard !limits.isEmpty, let id = written[0].value(forKey: "id")?.stringValue else { continue }
            // What each way of writing states (`stated(_:_:)`), as entries; a description written like an earlier one
            // states the same at the same places in its own nodes (node indices shifted). Slots and terms are
            // numbered as they are met, so the values below are compared as numbers.
            var entries: [(slot: Int, property: String, term: Int?, value: Int, key: Int)] = []
            var entriesOf: [Int: Range<Int>] = [:]
            var slotNumbers: [String: Int] = [:]
            var termNumbers: [String: Int] = [:]
            // Per term number: the number of its text after the first character, and whether it is a string's.
            var terms: [(text: Int, isString: Bool)] = []
            var textNumbers: [String: Int] = [:]
            for node in written {
                let start = entries.count
                for member in node.members {
                    guard let (limit, _) = limits[member.name] else { continue }
                    for v in Self.stated(member, limit) {
                        let slot =
                            slotNumbers[v.slot]
                            ?? {
                                slotNumbers[v.slot] = slotNumbers.count
                                return slotNumbers.count - 1
                            }()
                        let term = v.term.map { t in
                            termNumbers[t]
                                ?? {
                                    let textKey = String(t.dropFirst())
                                    let text = textNumbers[textKey] ?? textNumbers.count
                                    textNumbers[textKey] = text
                                    terms.append((text, t.first == "\""))
                                    termNumbers[t] = terms.count - 1
                                    return terms.count - 1
                                }()
                        }
                        entries.append((slot, member.name, term, v.value.index, v.key.index))
                    }
                }
                entriesOf[node.index] = start..<entries.count
            }
            // Every value stated per slot (a property, or a property and language for a map with one text per
            // language), in document order, as (entry, shift); a value the schema already rejects is that finding's,
            // not a conflict. Slots in the order they are first stated.
            var slots = [[(entry: Int, shift: Int)]](repeating: [], count: slotNumbers.count)
            var order: [Int] = []
            for (description, first) in zip(group, twin) {
                let shift = description - (first ?? description)
                for e in entriesOf[first ?? description] ?? 0..<0 {
                    if Self.holdsAny(errors, tree.withNodeStorage { $0.range(entries[e].value + shift) }) { continue }
                    if slots[entries[e].slot].isEmpty { order.append(entries[e].slot) }
                    slots[entries[e].slot].append((e, shift))
                }
            }
            for slot in order {
                let values = slots[slot]
                guard values.count > 1 else { continue }
                // Values grouped by term (an object without `id` is a group of its own), in document order: a value
                // joins the first group whose first term is the same as its own (`sameTerm`: the same term, or the
                // same text as a string and as a node id or number), so only groups whose first term has its text
                // (`byText`, in creation order) are candidates.
                var groups: [[Int]] = []
                var groupTerm: [Int] = []
                var byText: [Int: [Int]] = [:]
                for (i, v) in values.enumerated() {
                    guard let t = entries[v.entry].term else {
                        groups.append([i])
                        groupTerm.append(-1)
                        continue
                    }
                    let same = byText[terms[t].text]?.first { g in
                        groupTerm[g] == t || terms[groupTerm[g]].isString || terms[t].isString
                    }
                    if let g = same {
                        groups[g].append(i)
                    } else {
                        byText[terms[t].text, default: []].append(groups.count)
                        groups.append([i])
                        groupTerm.append(t)
                    }
                }
                guard groups.count > 1 else { continue }
                // Reported once, at the odd value (the least stated; of equals, the later), against the most stated other.
                let odd = groups.enumerated().min { a, b in
                    a.element.count < b.element.count || (a.element.count == b.element.count && a.offset > b.offset)
                }!
                let other = groups.enumerated().filter { $0.offset != odd.offset }.max {
                    $0.element.count < $1.element.count || ($0.element.count == $1.element.count && $0.offset > $1.offset)
                }!
                let v = values[odd.element[0]], w = values[other.element[0]]
                let property = entries[v.entry].property
                guard let (limit, className) = limits[property] else { continue }
                out.append(
                    conflict(
                        document, id: id, property: property, limit: limit, className: className,
                        value: tree.node(atIndex: entries[v.entry].value + v.shift),
                        key: tree.node(atIndex: entries[v.entry].key + v.shift).range,
                        earlier: tree.node(atIndex: entries[w.entry].value + w.shift), memo: &memo, claimTypes: &claimTypes))
            }
        }
        return out
    }

    /// The values one member states where its class allows one (`limit`), each with the slot it fills (the
    /// property, or the property and language for one text per language), its term (`term(_:)`; for one text
    /// in all, the language and text) and the key that states it. None for a member stating several values
    /// itself (an array of two), which is the schema's finding.
    static func stated(_ member: SyntaxNode.Member, _ limit: SingleValue) -> [(
        slot: String, term: String?, value: SyntaxNode, key: SyntaxNode
    )] {
        switch limit {
        case .one:
            let values = member.value.kind == .array ? Array(member.value.elements) : [member.value]
            guard values.count == 1, values[0].kind != .null else { return [] }
            return [(member.name, term(values[0]), values[0], member.key)]
        case .oneTextPerLanguage, .oneText:
            guard member.value.kind == .object else { return [] }
            var out: [(slot: String, term: String?, value: SyntaxNode, key: SyntaxNode)] = []
            for text in member.value.members {
                let values = text.value.kind == .array ? Array(text.value.elements) : [text.value]
                guard values.count == 1, let value = values.first, value.kind == .string, let t = value.stringValue else {
                    continue
                }
                out.append(
                    limit == .oneText
                        ? (member.name, text.name + "\u{0}" + t, value, text.key)
                        : (member.name + "@" + text.name, t, value, text.key))
            }
            return out
        }
    }

    /// Whether one description states at most one value in each slot (`stated(_:_:)`), each with a term:
    /// then any number of descriptions written like it state one value per slot, and none conflicts. `limit`
    /// gives a property's limit in the description's class. Decided without making terms; a false answer
    /// only sends the descriptions to the full comparison.
    static func statesOneTermPerSlot(_ node: SyntaxNode, limit: (String) -> SingleValue?) -> Bool {
        var names: [String] = []
        for member in node.members {
            let name = member.name
            guard let limit = limit(name) else { continue }
            if names.contains(name) { return false }
            names.append(name)
            let value = member.value
            switch limit {
            case .one:
                let single = value.kind == .array ? (value.elements.count == 1 ? value.elements.first : nil) : value
                // An object without a textual `id` has no term (`term(_:)`): a blank node each time it is written.
                if let single, single.kind == .object, single.value(forKey: "id")?.kind != .string { return false }
            case .oneText:
                if value.kind == .object, value.members.count > 1 { return false }
            case .oneTextPerLanguage:
                guard value.kind == .object else { continue }
                var languages: [String] = []
                for text in value.members {
                    if languages.contains(text.name) { return false }
                    languages.append(text.name)
                }
            }
        }
        return true
    }

    /// Whether a sorted list of offsets has one inside `range`.
    static func holdsAny(_ offsets: [Int], _ range: Range<Int>) -> Bool {
        var low = 0, high = offsets.count
        while low < high {
            let mid = (low + high) / 2
            if offsets[mid] < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low < offsets.count && offsets[low] < range.upperBound
    }

    /// A value as an RDF term, for comparing descriptions: a node by its id (`@`), a text (`"`), a number or boolean
    /// by its JSON text (`#`); nil for an object without `id` (a blank node, equal to no other).
    static func term(_ value: SyntaxNode) -> String? {
        switch value.kind {
        case .object: return value.value(forKey: "id")?.stringValue.map { "@" + $0 }
        case .string: return value.stringValue.map { "\"" + $0 }
        default: return "#" + value.sourceText
        }
    }

    /// Whether two terms may be one value once JSON-LD has read them: the same term; a string and a node id alike (an
    /// `@id`-typed term); a string and a number or boolean of the same text (a term whose type mapping coerces it).
    static func sameTerm(_ a: String, _ b: String) -> Bool {
        guard a != b else { return true }
        guard a.dropFirst() == b.dropFirst(), let x = a.first, let y = b.first else { return false }
        return (x == "\"" || y == "\"") && x != y
    }

    /// The finding for `value`, which conflicts with the value `earlier` of another description of node `id` (which
    /// may come before or after it): at the
    /// key that states it (`key`: the property's, or the language's in a language map).
    private func conflict(
        _ document: DocumentContext, id: String, property: String, limit: SingleValue, className: String,
        value: SyntaxNode, key: Range<Int>, earlier: SyntaxNode, memo: inout AttributionMemo,
        claimTypes: inout [[String]: [String]?]
    ) -> Pending {
        let tree = document.tree
        let keyword: String
        switch limit {
        case .one: keyword = "#/$defs/\(className)/properties/\(property)/then/maxItems"
        case .oneTextPerLanguage: keyword = "#/$defs/LanguageMapUnique/additionalProperties/anyOf/1/maxItems"
        case .oneText: keyword = "#/$defs/LanguageMapSingle/maxProperties"
        }
        let line = tree.lineTable.line(containing: earlier.range.lowerBound) + 1
        let what: String
        switch limit {
        case .one: what = "one value"
        case .oneTextPerLanguage: what = "one text per language"
        case .oneText: what = "one text"
        }
        let message =
            "`\(property)` of `\(id)` is \(Self.quote(value)) here but \(Self.quote(earlier)) in another description of the same node (line \(line)): JSON-LD merges the descriptions that share an `id`, so the node has both, where \(className) allows \(what)"
        let error = ValidationError(
            code: "maxItems", instanceLocation: value.pointer, range: value.range,
            keywordLocation: JSONPointer(tokens: []), absoluteKeywordLocation: kind.schemaID + keyword,
            message: message)
        let criterion = attribute(error, document, tree: tree, memo: &memo, claimTypes: &claimTypes)
        return Pending(finding: document.finding(criterion, key, message.oneLine, severity: .error), allowed: [], property: nil)
    }

    /// A value as the message shows it: a node by its id, anything else as written, cut to 60 characters.
    static func quote(_ value: SyntaxNode) -> String {
        if value.kind == .object, let id = value.value(forKey: "id")?.stringValue { return "the node `\(id)`" }
        if value.kind == .object { return "a node without `id`" }
        let text = value.sourceText.oneLine
        return text.count > 60 ? String(text.prefix(59)) + "…" : text
    }

    /// Where each of the graph's nodes would stand in the plain form: by id, the pointer tokens of the credential's
    /// first reference to it (followed through the nodes it refers to), and the types of the claim it is under.
    static func graphPlaces(_ document: DocumentContext, graph: SyntaxNode) -> [String: (tokens: [String], claimTypes: [String]?)]
    {
        var places: [String: (tokens: [String], claimTypes: [String]?)] = [:]
        func walk(_ node: SyntaxNode, _ tokens: [String], _ claimTypes: [String]?) {
            switch node.kind {
            case .object:
                var node = node
                if node.members.allSatisfy({ $0.name == "id" || $0.name == "type" }),
                    let id = node.value(forKey: "id")?.stringValue,
                    let described = document.node(withID: id), described.index != node.index
                {
                    guard places[id] == nil else { return }
                    places[id] = (tokens, claimTypes)
                    node = described
                }
                let types = tokens == ["credentialSubject", "hasClaim"] ? document.types(node) : claimTypes
                for m in node.members where m.name != "@context" { walk(m.value, tokens + [m.name], types) }
            case .array:
                for e in node.elements { walk(e, tokens, claimTypes) }
            default:
                break
            }
        }
        walk(document.root, [], nil)
        return places
    }

    /// Where the graph describes the node a violation's reference names (`"countryCode": {"id": "ES"}`, and a node
    /// `{"id": "ES", "type": "Concept", …}`): the start of that node's `id` value, or nil.
    static func alias(of error: ValidationError, _ tree: SyntaxTree, _ document: DocumentContext) -> Int? {
        guard error.instanceLocation.tokens.last == "id", let reference = tree.node(at: error.instanceLocation)?.parent,
            reference.members.allSatisfy({ $0.name == "id" || $0.name == "type" }),
            let id = reference.value(forKey: "id")?.stringValue, let described = document.node(withID: id)
        else { return nil }
        return described.value(forKey: "id")?.range.lowerBound
    }

    /// The other nodes of a flattened graph, each validated as the class its `type` names (`#/$defs/Organisation`):
    /// the credential node refers to them by `{"id": …}` alone, so its own validation never sees them. A violation
    /// goes to the criterion of its `x-criterion` subschema, else to the profile criterion. Nodes whose `type` names
    /// no class of the schema are listed in one information finding: what is not validated is said, not hidden.
    func graphNodeFindings(_ document: DocumentContext) -> [Pending] {
        guard let graph = document.tree.root.value(forKey: "@graph"), graph.kind == .array else { return [] }
        let restricts = document.profile.restrictsVocabularies
        var out: [Pending] = []
        var unvalidated: [String] = []
        let places = Self.graphPlaces(document, graph: graph)
        var memo = document.plan.attributionCache.memo(for: kind)
        let known = memo.count
        var claimTypes: [[String]: [String]?] = [:]
        defer { if memo.count != known { document.plan.attributionCache.store(memo, for: kind) } }
        for node in graph.elements where node.index != document.root.index {
            let types = node.kind == .object ? document.types(node) : []
            let id = node.kind == .object ? node.value(forKey: "id")?.stringValue : nil
            guard
                let className = types.first(where: { document.facts.classValidators.validator(kind: kind, className: $0) != nil }
                ),
                let validator = document.facts.classValidators.validator(kind: kind, className: className)
            else {
                unvalidated.append(
                    id.map { "`\($0)`" + (types.isEmpty ? " (no `type`)" : " (" + types.joined(separator: ", ") + ")") }
                        ?? "a node without `id`")
                continue
            }
            let tree = SyntaxTree(parsing: Array(document.tree.bytes[node.range]), dialect: document.tree.dialect)
            let base = node.range.lowerBound
            let place = "in the graph's \(className) node" + (id.map { " `\($0)`" } ?? "")
            for error in validator.validate(tree).errors {
                if !restricts && Self.isVocabularyRestriction(error) { continue }
                // Nodes refer to one another by `{"id": …}` alone, as flattened JSON-LD does.
                if error.code == "required", error.property == "type", let at = tree.node(at: error.instanceLocation),
                    at.kind == .object,
                    at.members.allSatisfy({ ["id", "type"].contains($0.name) }), at.value(forKey: "id") != nil
                {
                    continue
                }
                // Attributed as if the node were written where the credential first refers to it (a learning
                // outcome's node under `credentialSubject.hasClaim.specifiedBy.learningOutcome`), as in the plain form.
                let criterion = attribute(
                    error, document, tree: tree, memo: &memo, claimTypes: &claimTypes,
                    at: id.flatMap { places[$0] })
                let range = (error.range.lowerBound + base)..<(error.range.upperBound + base)
                // At the node's own `id`, the message already quotes it.
                let at = error.instanceLocation.tokens == ["id"] ? "in the id of a graph's \(className) node" : place
                var finding = document.finding(criterion, range, at + ": " + Self.message(error))
                if error.code == "required" || error.code == "dependentRequired", let missing = error.property {
                    finding.properties = [missing]
                }
                out.append(
                    Pending(
                        finding: finding, allowed: error.allowedValues, property: error.property,
                        alias: Self.alias(of: error, tree, document)))
            }
        }
        if !unvalidated.isEmpty {
            let listed =
                unvalidated.prefix(5).joined(separator: ", ")
                + (unvalidated.count > 5 ? " and \(unvalidated.count - 5) more" : "")
            let key = document.tree.root.members.first { $0.name == "@graph" }?.key.range ?? document.opening(graph)
            out.append(
                Pending(
                    finding: document.finding(
                        criterionID, key,
                        "\(unvalidated.count) of the graph's nodes name no class of the \(kind.schemaFileName) schema in `type`, so they are not validated: "
                            + listed,
                        severity: .information), allowed: [], property: nil))
        }
        return out
    }

    /// Whether a violation comes from a controlled-vocabulary restriction of the EDC-full profile (an
    /// `inScheme` naming another scheme, an IRI outside a bundled vocabulary).
    static func isVocabularyRestriction(_ error: ValidationError) -> Bool {
        error.absoluteKeywordLocation.contains("Restriction/")
            || error.absoluteKeywordLocation.hasPrefix("https://eccoe.eu/schemas/vocabularies/")
    }

    /// The validator's message, with a failed `pattern` said in words rather than as the regular expression.
    static func message(_ error: ValidationError) -> String {
        guard error.code == "pattern", error.pattern != nil else { return error.message }
        let location = error.absoluteKeywordLocation
        let value = error.actual ?? "the value"
        let expected: String
        if location.contains("/$defs/Iri/") || location.hasSuffix("/$defs/Iri/pattern") {
            expected = "an absolute IRI (such as https://example.org/… or urn:epass:…), without spaces"
        } else if location.contains("/$defs/DateTime/") {
            expected = "a date and time such as 2026-07-15T09:00:00Z"
        } else if location.contains("/$defs/Duration/") {
            expected = "an ISO 8601 duration such as PT60H"
        } else if location.contains("/$defs/Decimal/") {
            expected = "a decimal number such as \"2.5\""
        } else if location.contains("esco-skill") {
            expected = "an ESCO skill IRI (http://data.europa.eu/esco/skill/ followed by its identifier)"
        } else if location.contains("contentURL") {
            expected = "a web address starting with http:// or https://"
        } else if location.hasPrefix("https://eccoe.eu/schemas/vocabularies/") {
            expected = "an IRI of the vocabulary"
        } else {
            expected = "a value of the form the profile requires"
        }
        return "\(value) is not \(expected)"
    }

    /// A finding with the fix that offers the allowed values, each replacing the offending value (`current`, its
    /// text in the document), each value once; the allowed value nearest to what was written (`eqf/9` → `eqf/8`,
    /// a one-letter slip) is the preferred edit.
    static func offeringChoices(_ finding: Finding, _ allowed: [AllowedValue], current: String? = nil) -> Finding {
        guard !allowed.isEmpty else { return finding }
        var f = finding
        // Repeats come from alternatives merged by the validator (short lists); a vocabulary's enum has none, and
        // hashing its hundreds of values per finding would cost more than building the choices.
        var seen = Set<String>()
        let unique = allowed.count > 64 ? allowed : allowed.filter { seen.insert($0.json).inserted }
        let choices = unique.map { v in
            FixChoice(
                label: v.title.map { "\(v.json) \($0)" } ?? v.json, json: v.json,
                edits: [FixEdit(range: finding.range, newText: v.json)])
        }
        var fix = Fix(title: "Choose an allowed value", choices: choices)
        if let current, let nearest = NearestValue.find(current, among: unique.map(\.json)) {
            let label = choices.first { $0.json == nearest }?.label ?? nearest
            fix.title = "Replace with \(label)"
            fix.edits = [FixEdit(range: finding.range, newText: nearest)]
        }
        f.fix = fix
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
    /// `place`: for a node of a graph, where the credential refers to it (`graphPlaces`); its pointer tokens come
    /// before the violation's own.
    func attribute(
        _ error: ValidationError, _ document: DocumentContext, tree: SyntaxTree, memo: inout AttributionMemo,
        claimTypes claimMemo: inout [[String]: [String]?], at place: (tokens: [String], claimTypes: [String]?)? = nil
    ) -> String {
        let x: String?
        if let known = memo.xCriterion[error.absoluteKeywordLocation] {
            x = known
        } else {
            x = document.facts.xCriterion(for: error.absoluteKeywordLocation)
            memo.xCriterion[error.absoluteKeywordLocation] = .some(x)
        }
        if let x { return x }
        var tokens = (place?.tokens ?? []) + error.instanceLocation.tokens
        if error.code == "additional-property" || error.code == "unevaluated-property" { tokens.removeLast(min(1, tokens.count)) }
        // Array indices do not name elements: `a/0/b` is the path `a.b`.
        var dotted = ""
        for token in tokens where !token.isEmpty && !token.isArrayIndexToken {
            if !dotted.isEmpty { dotted += "." }
            dotted += token
        }
        if error.code == "required" || error.code == "dependentRequired", let property = error.property {
            if !dotted.isEmpty { dotted += "." }
            dotted += property
        }
        // The claim's types decide which claim-specific criteria compete (nil: not inside a claim).
        var claimTypes: [String]?
        if let place {
            claimTypes = place.claimTypes
        } else if kind == .credential, tokens.count >= 2, tokens[0] == "credentialSubject", tokens[1] == "hasClaim" {
            let claimTokens = Array(tokens.prefix(tokens.count > 2 && tokens[2].isArrayIndexToken ? 3 : 2))
            if let known = claimMemo[claimTokens] {
                claimTypes = known
            } else {
                claimTypes = tree.node(at: JSONPointer(tokens: claimTokens)).map { document.types($0) }
                claimMemo[claimTokens] = .some(claimTypes)
            }
        }
        let key = PathKey(dotted: dotted, claimTypes: claimTypes)
        if let known = memo.byPath[key] { return known }
        var best: (length: Int, id: String)?
        for c in document.plan.candidates[kind] ?? [] {
            if let claimTypes, !c.claimTypes.isEmpty, !claimTypes.contains(where: { c.claimTypes.contains($0) }) { continue }
            for p in c.elmPaths where Self.isAbout(dotted, elmPath: p) {
                if best == nil || p.count > best!.length { best = (p.count, c.id) }
            }
        }
        let id = best?.id ?? criterionID
        memo.byPath[key] = id
        return id
    }
}

extension SchemaConformanceRule {
    /// Whether a violation at `dotted` is about the element at `elmPath`: the element itself, one of its own
    /// properties (the awarding body's `legalName`), or the IRI or scheme of the concept it holds (`eqfLevel.id`).
    /// Deeper places belong to the profile criterion: a country inside the awarding body's tax identifier is not
    /// about the awarding body.
    static func isAbout(_ dotted: String, elmPath p: String) -> Bool {
        guard dotted.hasPrefix(p) else { return false }
        if dotted.utf8.count == p.utf8.count { return true }
        let rest = dotted.utf8.dropFirst(p.utf8.count)
        guard rest.first == UInt8(ascii: ".") else { return false }
        let parts = rest.dropFirst().split(separator: UInt8(ascii: "."))
        if parts.count == 1 { return true }
        if parts.count == 2, let last = parts.last, last.elementsEqual("id".utf8) || last.elementsEqual("inScheme".utf8) {
            return true
        }
        return false
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

/// The allowed value nearest to a wrong one, for a preferred fix: when both end in a number (`…/eqf/9` and
/// `…/eqf/1` … `…/eqf/8`), the same text with the nearest number; otherwise the one value within two edits
/// (`"IRE"`-like slips), when only one is that close. Nil when nothing is clearly nearest.
enum NearestValue {
    static func find(_ current: String, among values: [String]) -> String? {
        guard values.count > 1, values.count <= 5_000, current.utf8.count <= 200 else { return nil }
        let bytes = current.utf8
        let lastCharacter = bytes.last == UInt8(ascii: "\"") ? bytes.dropLast().last : bytes.last
        if let digit = lastCharacter, digit >= 0x30 && digit <= 0x39, let (stem, number) = split(current) {
            var best: (distance: Int, value: String)?
            for v in values {
                guard let (s, n) = split(v), s == stem else { continue }
                let distance = abs(n - number)
                if best == nil || distance < best!.distance { best = (distance, v) }
            }
            if let best, best.distance > 0 { return best.value }
        }
        // One-slip matches among short lists only (edit distances over a 486-language list, per finding, cost more
        // than the rest of the check).
        guard values.count <= 64 else { return nil }
        let a = Array(current.lowercased().utf8)
        var found: [String] = []
        var bestDistance = 3
        for v in values {
            let b = Array(v.lowercased().utf8)
            guard abs(a.count - b.count) < bestDistance else { continue }
            let distance = editDistance(a, b, limit: bestDistance)
            if distance < bestDistance {
                bestDistance = distance
                found = [v]
            } else if distance == bestDistance {
                found.append(v)
            }
        }
        return found.count == 1 && bestDistance > 0 ? found[0] : nil
    }

    /// A value's text before its final run of digits, and that number (`"…/eqf/9"` → (`"…/eqf/`, 9)).
    static func split(_ value: String) -> (String, Int)? {
        var text = Substring(value)
        if text.hasSuffix("\"") { text = text.dropLast() }
        let digits = text.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6, let n = Int(String(digits.reversed())) else { return nil }
        return (String(text.dropLast(digits.count)), n)
    }

    /// Levenshtein distance, stopping early at `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a == b { return 0 }
        // IRIs of one vocabulary share their start (and often their end): only the middles differ.
        var start = 0
        while start < a.count && start < b.count && a[start] == b[start] { start += 1 }
        var end = 0
        while end < a.count - start && end < b.count - start && a[a.count - 1 - end] == b[b.count - 1 - end] { end += 1 }
        if start > 0 || end > 0 {
            return editDistance(Array(a[start..<(a.count - end)]), Array(b[start..<(b.count - end)]), limit: limit)
        }
        var previous = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            row[0] = i
            var smallest = row[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                smallest = min(smallest, row[j])
            }
            if smallest >= limit { return limit }
            swap(&previous, &row)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
