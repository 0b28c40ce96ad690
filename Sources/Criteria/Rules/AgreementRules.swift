import JSONSyntax

// Rules for recognition agreements (AG-01 … AG-21, without the workspace ones). The agreement schema checks
// presence, types and enumerations (attributed to these criteria by their elmPaths, or by `x-criterion` for the
// recommended and optional sections); the rules check what refers to what.

extension DocumentContext {
    /// The agreement's parties: id → (party object, roles).
    var parties: [(id: String, node: SyntaxNode, roles: [String])] {
        (raw(root, "parties")?.elements.map { $0 } ?? []).compactMap { p in
            guard p.kind == .object, let id = p.value(forKey: "id")?.stringValue else { return nil }
            return (id, p, p.value(forKey: "roles")?.elements.compactMap(\.stringValue) ?? [])
        }
    }

    /// Choices replacing `node` with one of `values` (strings).
    func stringChoices(_ values: [String], replacing node: SyntaxNode) -> Fix? {
        guard !values.isEmpty else { return nil }
        return Fix(
            title: "Choose a declared value",
            choices: values.map {
                FixChoice(label: $0, json: "\"\($0)\"", edits: [FixEdit(range: node.range, newText: "\"\($0)\"")])
            })
    }

    func elements(_ node: SyntaxNode?, _ key: String) -> [SyntaxNode] {
        guard let v = raw(node, key), v.kind == .array else { return [] }
        return v.elements.map { $0 }
    }

    /// Every string value (not a key) of the document that is a placeholder `[[…]]`, in document order.
    var placeholders: [SyntaxNode] { AgreementPlaceholder.nodes(in: tree) }

    /// The signature blocks read against the parties (AG-13, and the agreement's status).
    var signatureFacts: SignatureFacts { SignatureFacts(self) }
}

/// The signature blocks of an agreement against its parties: who has signed (a block with a valid date not
/// later than the day of the check), who has not yet (no block, or a block without a date), and each defect
/// of a block (a party that is not one of the agreement's, a second block, a date in the future, a date
/// without a place).
struct SignatureFacts {
    var signed: [String] = []
    var pending: [String] = []
    var defects: [(node: SyntaxNode, message: String, fix: Fix?)] = []

    init(_ d: DocumentContext) {
        let ids = d.parties.map(\.id)
        var seen: Set<String> = []
        var dated: Set<String> = []
        let today = ISODateTime("\(d.today)")!
        for s in d.elements(d.root, "signatures") where s.kind == .object {
            guard let party = s.value(forKey: "party"), let id = party.stringValue else { continue }
            if !ids.contains(id) {
                defects.append((party, "`\(id)` is not a party of this agreement", d.stringChoices(ids, replacing: party)))
                continue
            }
            if !seen.insert(id).inserted {
                defects.append((party, "party `\(id)` signs twice", nil))
                continue
            }
            guard let date = s.value(forKey: "date") else { continue }
            if let text = date.stringValue, text.utf8.count == 10, let t = ISODateTime(text) {
                if t > today {
                    defects.append((date, "the signature date \(text) is later than today (\(d.today))", nil))
                    continue
                }
                if !d.hasText(s, "place") {
                    defects.append((date, "the signature of `\(id)` is dated but gives no place", nil))
                }
                dated.insert(id)
            }
        }
        signed = ids.filter { dated.contains($0) }
        pending = ids.filter { !dated.contains($0) }
    }
}

/// AG-01: at least two distinct, complete parties, with a provider or awarding party and a recognising one.
struct PartiesRule: Rule {
    let criterionID = "AG-01"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let list = d.raw(d.root, "parties"), list.kind == .array else { return [] }
        var out: [Finding] = []
        let parties = d.parties
        if list.elements.count < 2 {
            out.append(
                d.finding(
                    criterionID, list.range,
                    "the agreement has \(list.elements.count) part\(list.elements.count == 1 ? "y" : "ies"); it needs at least two institutions"
                ))
        }
        var seen: Set<String> = []
        for p in parties where !seen.insert(p.id).inserted {
            out.append(
                d.finding(criterionID, p.node.value(forKey: "id")?.range ?? d.opening(p.node), "party id `\(p.id)` is used twice")
            )
        }
        for p in parties where p.node.value(forKey: "legalName") != nil && !d.hasText(p.node, "legalName") {
            out.append(
                d.finding(criterionID, p.node.value(forKey: "legalName")!.range, "party `\(p.id)` has an empty `legalName`"))
        }
        if !parties.isEmpty {
            if !parties.contains(where: { $0.roles.contains("provider") || $0.roles.contains("awarding") }) {
                out.append(d.finding(criterionID, list.range, "no party has the role provider or awarding"))
            }
            if !parties.contains(where: { $0.roles.contains("recognising") }) {
                out.append(d.finding(criterionID, list.range, "no party has the role recognising"))
            }
        }
        return out
    }
}

/// AG-02: a mutual agreement makes every party a recognising party.
struct ScopeRule: Rule {
    let criterionID = "AG-02"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let direction = d.raw(d.raw(d.root, "scope"), "direction"), direction.stringValue == "mutual" else { return [] }
        let missing = d.parties.filter { !$0.roles.contains("recognising") }.map(\.id)
        guard !missing.isEmpty else { return [] }
        return [
            d.finding(
                criterionID, direction.range,
                "the direction is mutual, but \(missing.map { "`\($0)`" }.joined(separator: ", ")) \(missing.count == 1 ? "does" : "do") not have the role recognising",
                fix: Fix(
                    title: "Make the agreement unilateral", edits: [FixEdit(range: direction.range, newText: "\"unilateral\"")]))
        ]
    }
}

/// AG-03: each covered learning opportunity has a unique key and id, and a relative path where one is given.
struct CoveredLearningOpportunitiesRule: Rule {
    let criterionID = "AG-03"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        var keys: Set<String> = []
        var ids: Set<String> = []
        for entry in d.elements(d.root, "learningOpportunities") where entry.kind == .object {
            if let key = entry.value(forKey: "key"), let k = key.stringValue, !keys.insert(k).inserted {
                out.append(d.finding(criterionID, key.range, "the key `\(k)` is used by two learning opportunities"))
            }
            if let id = entry.value(forKey: "id"), let i = id.stringValue, !ids.insert(i).inserted {
                out.append(
                    d.finding(
                        criterionID, id.range,
                        "the learning opportunity `\(i)` is covered twice: give it one entry and as many equivalences as needed"))
            }
            if let path = entry.value(forKey: "path"), let p = path.stringValue, !RelativePath.isValid(p) {
                var suggestion = p.replacingOccurrences("\\", "/")
                if !RelativePath.isValid(suggestion) { suggestion = String(suggestion.split(separator: "/").last ?? "") }
                let fix =
                    RelativePath.isValid(suggestion)
                    ? Fix(
                        title: "Use the relative path `\(suggestion)`",
                        edits: [FixEdit(range: path.range, newText: "\"\(suggestion)\"")]) : nil
                out.append(
                    d.finding(
                        criterionID, path.range,
                        "`\(p)` is not a relative path: write the path from this agreement's folder with forward slashes, without a scheme, drive letter or leading /",
                        fix: fix))
            }
        }
        return out
    }
}

/// AG-06: the equivalence table refers to declared learning opportunities and recognising parties, and covers them all.
struct EquivalenceTableRule: Rule {
    let criterionID = "AG-06"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        let entries = d.elements(d.root, "learningOpportunities").filter { $0.kind == .object }
        let declared = entries.compactMap { $0.value(forKey: "key")?.stringValue }
        let recognising = d.parties.filter { $0.roles.contains("recognising") }.map(\.id)
        var used: Set<String> = []
        for eq in d.elements(d.root, "equivalences") where eq.kind == .object {
            if let lo = eq.value(forKey: "learningOpportunity"), let key = lo.stringValue {
                used.insert(key)
                if !declared.contains(key) {
                    out.append(
                        d.finding(
                            criterionID, lo.range,
                            "`\(key)` is not the key of a learning opportunity declared in `learningOpportunities`",
                            fix: d.stringChoices(declared, replacing: lo)))
                }
            }
            if let party = eq.value(forKey: "recognisingParty"), let id = party.stringValue, !recognising.contains(id) {
                let known = d.parties.contains { $0.id == id }
                out.append(
                    d.finding(
                        criterionID, party.range,
                        known
                            ? "party `\(id)` does not have the role recognising"
                            : "`\(id)` is not a party of this agreement", fix: d.stringChoices(recognising, replacing: party)))
            }
            if let target = d.raw(eq, "targetComponent"), let title = target.value(forKey: "title"), !d.hasText(title) {
                out.append(d.finding(criterionID, title.range, "the target component's `title` is empty"))
            }
        }
        if d.raw(d.root, "equivalences") != nil {
            for entry in entries {
                guard let keyNode = entry.value(forKey: "key"), let key = keyNode.stringValue, !used.contains(key) else {
                    continue
                }
                out.append(d.finding(criterionID, keyNode.range, "the learning opportunity `\(key)` appears in no equivalence"))
            }
        }
        return out
    }
}

/// AG-08: a conversion table has rules, and equivalences name declared rules.
struct GradeConversionRule: Rule {
    let criterionID = "AG-08"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let conversion = d.raw(d.root, "gradeConversion"), conversion.kind == .object else { return [] }
        var out: [Finding] = []
        let rules = d.elements(conversion, "rules").filter { $0.kind == .object }
        if conversion.value(forKey: "method")?.stringValue == "conversionTable",
            !rules.contains(where: { $0.value(forKey: "from") != nil && $0.value(forKey: "to") != nil })
        {
            out.append(
                d.finding(
                    criterionID, d.raw(conversion, "rules")?.range ?? d.opening(conversion),
                    "the method is conversionTable, but no rule says which grade (`from`) becomes which (`to`)",
                    fix: d.raw(conversion, "rules") == nil
                        ? d.insertFix(into: conversion, key: "rules", skeleton: #"[{"id": "", "from": "", "to": ""}]"#) : nil))
        }
        let ids = rules.compactMap { $0.value(forKey: "id")?.stringValue }
        for eq in d.elements(d.root, "equivalences") where eq.kind == .object {
            if let rule = eq.value(forKey: "gradeConversionRule"), let id = rule.stringValue, !ids.contains(id) {
                out.append(
                    d.finding(
                        criterionID, rule.range, "`\(id)` is not the id of a rule in `gradeConversion.rules`",
                        fix: d.stringChoices(ids, replacing: rule)))
            }
        }
        return out
    }
}

/// AG-09: accepted evidence formats and a verification procedure.
struct EvidenceRule: Rule {
    let criterionID = "AG-09"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let evidence = d.raw(d.root, "evidence"), evidence.kind == .object else { return [] }
        var out: [Finding] = []
        if let formats = evidence.value(forKey: "acceptedFormats"), formats.kind == .array, formats.elements.count == 0 {
            out.append(
                d.finding(
                    criterionID, formats.range, "no accepted format is named",
                    fix: Fix(
                        title: "Name an accepted format",
                        choices: ["edcSealed", "openBadge3", "transcriptPdf", "other"].map {
                            FixChoice(
                                label: $0, json: "[\"\($0)\"]", edits: [FixEdit(range: formats.range, newText: "[\"\($0)\"]")])
                        })))
        }
        if let procedure = evidence.value(forKey: "verificationProcedure"), !d.hasText(procedure) {
            out.append(d.finding(criterionID, procedure.range, "the verification procedure is empty"))
        }
        return out
    }
}

/// AG-10: the quality assurance of every party.
struct PartyQualityAssuranceRule: Rule {
    let criterionID = "AG-10"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let qa = d.raw(d.root, "qualityAssurance"), qa.kind == .object, let list = qa.value(forKey: "parties"),
            list.kind == .array
        else { return [] }
        var out: [Finding] = []
        let ids = d.parties.map(\.id)
        var covered: Set<String> = []
        for entry in list.elements where entry.kind == .object {
            guard let party = entry.value(forKey: "party"), let id = party.stringValue else { continue }
            covered.insert(id)
            if !ids.contains(id) {
                out.append(
                    d.finding(
                        criterionID, party.range, "`\(id)` is not a party of this agreement",
                        fix: d.stringChoices(ids, replacing: party)))
            }
            if let agency = entry.value(forKey: "agency"), !d.hasText(agency) {
                out.append(d.finding(criterionID, agency.range, "the quality-assurance agency of `\(id)` is empty"))
            }
        }
        let missing = ids.filter { !covered.contains($0) }
        if !missing.isEmpty {
            out.append(
                d.finding(
                    criterionID, list.range,
                    "no quality-assurance entry for \(missing.map { "`\($0)`" }.joined(separator: ", ")): name each party's quality-assurance agency",
                    fix: Fix(
                        title: "Add the missing entries",
                        edits: missing.map { id in
                            let at = list.range.upperBound - 1
                            return FixEdit(
                                range: at..<at,
                                newText: (list.elements.count == 0 ? "" : ", ") + "{\"party\": \"\(id)\", \"agency\": \"\"}")
                        })))
        }
        if let review = qa.value(forKey: "reviewProcedure"), !d.hasText(review) {
            out.append(d.finding(criterionID, review.range, "the review procedure is empty"))
        }
        return out
    }
}

/// AG-11: the validity period (real calendar dates) and its renewal.
struct ValidityRule: Rule {
    let criterionID = "AG-11"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let validity = d.raw(d.root, "validity"), validity.kind == .object else { return [] }
        var out: [Finding] = []
        for key in ["validFrom", "validUntil"] {
            if let v = validity.value(forKey: key) {
                if let s = v.stringValue, s.utf8.count == 10, ISODateTime(s) != nil { continue }
                out.append(d.finding(criterionID, v.range, "`\(key)` is not a calendar date written YYYY-MM-DD"))
            } else {
                out.append(
                    d.finding(
                        criterionID, d.opening(validity), "the validity has no `\(key)`",
                        fix: d.insertFix(into: validity, key: key, skeleton: "\"\(d.today)\"")))
            }
        }
        if let renewal = validity.value(forKey: "renewal"), !d.hasText(renewal) {
            out.append(d.finding(criterionID, renewal.range, "the renewal provision is empty"))
        }
        return out
    }
}

/// AG-12: data protection: legal basis, applicable law, controllers among the parties, retention period.
struct DataProtectionRule: Rule {
    let criterionID = "AG-12"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let dp = d.raw(d.root, "dataProtection"), dp.kind == .object else { return [] }
        var out: [Finding] = []
        for key in ["legalBasis", "applicableLaw"] {
            if let v = dp.value(forKey: key), !d.hasText(v) { out.append(d.finding(criterionID, v.range, "`\(key)` is empty")) }
        }
        let ids = d.parties.map(\.id)
        for c in d.elements(dp, "controllers") {
            if let id = c.stringValue, !ids.contains(id) {
                out.append(
                    d.finding(
                        criterionID, c.range, "`\(id)` is not a party of this agreement", fix: d.stringChoices(ids, replacing: c))
                )
            }
        }
        if dp.value(forKey: "retentionPeriod") == nil {
            out.append(
                d.finding(
                    criterionID, d.opening(dp), "no `retentionPeriod` says how long recognition records are kept",
                    fix: d.insertFix(into: dp, key: "retentionPeriod", skeleton: "\"P5Y\"")))
        }
        return out
    }
}

/// AG-13: every party signs once, with a date not later than today and a place, on a text without placeholders.
struct SignaturesRule: Rule {
    let criterionID = "AG-13"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let list = d.raw(d.root, "signatures"), list.kind == .array else { return [] }
        let facts = d.signatureFacts
        var out = facts.defects.map { d.finding(criterionID, $0.node.range, $0.message, fix: $0.fix) }
        if !facts.pending.isEmpty {
            let names = facts.pending.map { "`\($0)`" }.joined(separator: ", ")
            out.append(
                d.finding(
                    criterionID, list.range,
                    "\(names) \(facts.pending.count == 1 ? "has" : "have") not signed yet: every party signs once, with the date and place of signature"
                ))
        } else if !facts.signed.isEmpty {
            let open = d.placeholders.count
            if open > 0 {
                out.append(
                    d.finding(
                        criterionID, list.range,
                        "every party has signed, but \(open) placeholder\(open == 1 ? " remains" : "s remain") in the text (AG-21): the signed agreement is incomplete"
                    ))
            }
        }
        return out
    }
}

/// AG-15: the learner's right to a reasoned decision within a set period and to appeal, and the burden of
/// showing a substantial difference on the recognising party (Lisbon Recognition Convention).
struct LearnerRightsRule: Rule {
    let criterionID = "AG-15"
    static let skeleton =
        #"{"decisionPeriod": "P30D", "reasonedDecision": {"en": ""}, "appeal": {"en": ""}, "burdenOfProof": {"en": ""}}"#

    func check(_ d: DocumentContext) -> [Finding] {
        guard d.root.kind == .object else { return [] }
        guard let rights = d.raw(d.root, "learnerRights") else {
            return [
                d.finding(
                    criterionID, d.opening(d.root),
                    "the agreement does not state the learner's rights: a reasoned decision within a set period, an appeal, and that the recognising party bears the burden of showing a substantial difference",
                    fix: d.insertFix(into: d.root, key: "learnerRights", skeleton: Self.skeleton))
            ]
        }
        guard rights.kind == .object else { return [] }
        var out: [Finding] = []
        let what = ["reasonedDecision": "the reasoned decision", "appeal": "the appeal", "burdenOfProof": "the burden of proof"]
        for key in ["reasonedDecision", "appeal", "burdenOfProof"] {
            if let v = rights.value(forKey: key), !d.hasText(v) {
                out.append(d.finding(criterionID, v.range, "the text on \(what[key]!) is empty"))
            }
        }
        return out
    }
}

/// AG-17: caps on recognition, where the recognising party applies them, that do not contradict the table.
struct LimitsRule: Rule {
    let criterionID = "AG-17"

    func check(_ d: DocumentContext) -> [Finding] {
        guard d.root.kind == .object else { return [] }
        guard let limits = d.raw(d.root, "limits") else {
            return [
                d.finding(
                    criterionID, d.opening(d.root),
                    "the agreement sets no limit on the credits recognised for one learner or on the age of a credential; if the recognising party applies one, write it in `limits`",
                    fix: d.insertFix(
                        into: d.root, key: "limits", skeleton: #"{"maxTotalCredits": 30, "maxCredentialAge": "P5Y"}"#))
            ]
        }
        guard limits.kind == .object, let cap = limits.value(forKey: "maxTotalCredits"), let total = cap.doubleValue, total > 0
        else { return [] }
        var out: [Finding] = []
        for eq in d.elements(d.root, "equivalences") where eq.kind == .object {
            guard let credits = eq.value(forKey: "creditsRecognised")?.doubleValue, credits > total else { continue }
            let key = eq.value(forKey: "learningOpportunity")?.stringValue ?? "an equivalence"
            out.append(
                d.finding(
                    criterionID, cap.range,
                    "the cap of \(total.plain) credits is below the \(credits.plain) credits recognised for `\(key)`, which could then never be recognised in full"
                ))
        }
        return out
    }
}

/// AG-18: how recognised credits are recorded on the learner's transcript.
struct TranscriptRecordingRule: Rule {
    let criterionID = "AG-18"

    func check(_ d: DocumentContext) -> [Finding] {
        guard d.root.kind == .object else { return [] }
        guard let transcript = d.raw(d.root, "transcript") else {
            return [
                d.finding(
                    criterionID, d.opening(d.root),
                    "the agreement does not say how recognised credits are recorded on the learner's transcript",
                    fix: d.insertFix(
                        into: d.root, key: "transcript",
                        skeleton: #"{"recordedAs": "both", "showsAwardingInstitution": true, "description": {"en": ""}}"#))
            ]
        }
        if transcript.kind == .object, let text = transcript.value(forKey: "description"), !d.hasText(text) {
            return [d.finding(criterionID, text.range, "the description of the recording is empty")]
        }
        return []
    }
}

/// AG-19: each equivalence says which learning outcomes of its target component the learning opportunity
/// covers, and by which of its own.
struct OutcomeCoverageRule: Rule {
    let criterionID = "AG-19"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        var recorded: [String: [String]] = [:]
        for entry in d.elements(d.root, "learningOpportunities") where entry.kind == .object {
            guard let key = entry.value(forKey: "key")?.stringValue, let list = d.raw(entry, "learningOutcomes"),
                list.kind == .array
            else { continue }
            recorded[key] = list.elements.compactMap { $0.value(forKey: "id")?.stringValue }
        }
        for eq in d.elements(d.root, "equivalences") where eq.kind == .object {
            let key = eq.value(forKey: "learningOpportunity")?.stringValue
            let target = d.raw(eq, "targetComponent")
            let targetOutcomes = d.elements(target, "learningOutcomes").compactMap { $0.value(forKey: "id")?.stringValue }
            if let target, target.kind == .object, d.raw(target, "learningOutcomes") == nil {
                out.append(
                    d.finding(
                        criterionID, d.opening(target),
                        "the target component lists no learning outcomes: name them, so that the agreement can say which ones `\(key ?? "the learning opportunity")` covers",
                        fix: d.insertFix(into: target, key: "learningOutcomes", skeleton: #"[{"id": "", "title": {"en": ""}}]"#)))
            }
            guard d.raw(eq, "outcomeCoverage") != nil else {
                if target != nil {
                    out.append(
                        d.finding(
                            criterionID, d.opening(eq),
                            "the equivalence does not say which learning outcomes of the target component `\(key ?? "the learning opportunity")` covers",
                            fix: d.insertFix(
                                into: eq, key: "outcomeCoverage", skeleton: #"[{"targetOutcome": "", "coveredBy": []}]"#)))
                }
                continue
            }
            for item in d.elements(eq, "outcomeCoverage") where item.kind == .object {
                if let t = item.value(forKey: "targetOutcome"), let id = t.stringValue, !targetOutcomes.contains(id) {
                    out.append(
                        d.finding(
                            criterionID, t.range, "`\(id)` is not the id of a learning outcome of the target component",
                            fix: d.stringChoices(targetOutcomes, replacing: t)))
                }
                guard let key, let known = recorded[key] else { continue }
                for by in d.elements(item, "coveredBy") {
                    if let id = by.stringValue, !known.contains(id) {
                        out.append(
                            d.finding(
                                criterionID, by.range, "`\(id)` is not one of the learning outcomes recorded for `\(key)`",
                                fix: d.stringChoices(known, replacing: by)))
                    }
                }
            }
        }
        return out
    }
}

/// AG-21: no placeholder `[[…]]` left.
struct PlaceholderRule: Rule {
    let criterionID = "AG-21"

    func check(_ d: DocumentContext) -> [Finding] {
        d.placeholders.map { node in
            let hint = node.stringValue.flatMap(AgreementPlaceholder.hint(of:)) ?? ""
            return d.finding(criterionID, node.range, "still to fill in: \(hint.isEmpty ? "a value" : hint)")
        }
    }
}
