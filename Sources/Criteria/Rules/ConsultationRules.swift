import JSONSyntax

// Rules for consultation definitions (CO-02 … CO-07); CO-01 is the schema.

extension DocumentContext {
    /// Every question of a consultation: the profile's, then each section's, with where it is.
    var questions: [(node: SyntaxNode, inProfile: Bool)] {
        var out = elements(root, "profile").filter { $0.kind == .object }.map { ($0, true) }
        for section in elements(root, "sections") where section.kind == .object {
            out += elements(section, "questions").filter { $0.kind == .object }.map { ($0, false) }
        }
        return out
    }
}

/// CO-02: the consultation opens before it closes.
struct ConsultationPeriodRule: Rule {
    let criterionID = "CO-02"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let opens = d.raw(d.root, "opensAt"), let closes = d.raw(d.root, "closesAt"),
            let a = opens.stringValue.flatMap(ISODateTime.init), let b = closes.stringValue.flatMap(ISODateTime.init),
            b.seconds <= a.seconds
        else { return [] }
        return [
            d.finding(
                criterionID, closes.range,
                "the consultation closes (\(closes.stringValue ?? "")) before it opens (\(opens.stringValue ?? ""))")
        ]
    }
}

/// CO-03: the rated items come from the catalogue, each in one section. Which criteria a section picks is
/// `ItemSelector`'s rule, the one the collector's definition loader applies.
struct ConsultationItemsRule: Rule {
    let criterionID = "CO-03"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        var selectedBy: [String: String] = [:]
        for section in d.elements(d.root, "sections") where section.kind == .object {
            guard let items = d.raw(section, "items"), let selector = ItemSelector(items) else { continue }
            let sectionID = section.value(forKey: "id")?.stringValue ?? "?"
            let selection = selector.select(from: d.catalogue)
            for node in selection.unknown {
                if let id = node.stringValue {
                    out.append(
                        d.finding(criterionID, node.range, "`\(id)` is not a criterion of catalogue \(d.catalogue.version)"))
                }
            }
            for node in selection.excluded {
                out.append(
                    d.finding(
                        criterionID, node.range,
                        "`\(node.stringValue ?? node.sourceText)` is listed, but this section's filters leave it out"))
            }
            for node in selection.idleKinds {
                out.append(
                    d.finding(
                        criterionID, node.range,
                        "the kind `\(node.stringValue ?? "")` selects no criterion together with the other filters of this section"
                    ))
            }
            var duplicates: [String] = []
            for c in selection.criteria {
                if let other = selectedBy[c.id] {
                    duplicates.append("\(c.id) (also in `\(other)`)")
                } else {
                    selectedBy[c.id] = sectionID
                }
            }
            if !duplicates.isEmpty {
                out.append(
                    d.finding(
                        criterionID, items.range,
                        "section `\(sectionID)` selects criteria another section already rates: \(duplicates.joined(separator: ", "))"
                    ))
            }
        }
        return out
    }
}

/// CO-04: unique question ids, distinct from criterion IDs; conditions on choice questions of the profile.
struct ConsultationQuestionsRule: Rule {
    let criterionID = "CO-04"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        var seen: Set<String> = []
        var profile: [String: SyntaxNode] = [:]
        let questions = d.questions
        for (q, inProfile) in questions {
            guard let idNode = q.value(forKey: "id"), let id = idNode.stringValue else { continue }
            if !seen.insert(id).inserted {
                out.append(d.finding(criterionID, idNode.range, "the question id `\(id)` is used twice"))
            }
            if d.catalogue[id] != nil {
                out.append(
                    d.finding(
                        criterionID, idNode.range,
                        "the question id `\(id)` is a criterion ID; answers would be mixed up with ratings"))
            }
            if inProfile { profile[id] = q }
        }
        for (q, _) in questions {
            guard let condition = d.raw(q, "showIf"), condition.kind == .object, let target = condition.value(forKey: "question"),
                let targetID = target.stringValue
            else { continue }
            let choiceQuestions = profile.filter {
                ["singleChoice", "multipleChoice"].contains($0.value.value(forKey: "type")?.stringValue ?? "")
            }
            guard let asked = choiceQuestions[targetID] else {
                out.append(
                    d.finding(
                        criterionID, target.range, "`\(targetID)` is not a single- or multiple-choice question of the profile",
                        fix: d.stringChoices(choiceQuestions.keys.sorted(), replacing: target)))
                continue
            }
            guard asked.value(forKey: "optionsFrom") == nil else { continue }
            let values = d.elements(asked, "options").compactMap { $0.value(forKey: "value")?.stringValue }
            for v in d.elements(condition, "in") {
                if let s = v.stringValue, !values.contains(s) {
                    out.append(
                        d.finding(
                            criterionID, v.range, "`\(s)` is not an option of `\(targetID)`",
                            fix: d.stringChoices(values, replacing: v)))
                }
            }
        }
        return out
    }
}

/// CO-05: usable answer options.
struct AnswerOptionsRule: Rule {
    let criterionID = "CO-05"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for (q, _) in d.questions {
            let type = q.value(forKey: "type")?.stringValue ?? ""
            let id = q.value(forKey: "id")?.stringValue ?? "?"
            if type == "singleChoice" || type == "multipleChoice" {
                if q.value(forKey: "optionsFrom") != nil { continue }
                guard let options = d.raw(q, "options"), options.kind == .array else {
                    out.append(
                        d.finding(
                            criterionID, d.opening(q), "the \(type) question `\(id)` has no `options` (or `optionsFrom`)",
                            fix: d.insertFix(
                                into: q, key: "options", skeleton: #"[{"value": "", "label": ""}, {"value": "", "label": ""}]"#)))
                    continue
                }
                let values = options.elements.compactMap { $0.value(forKey: "value")?.stringValue }
                if Set(values).count < 2 {
                    out.append(
                        d.finding(
                            criterionID, options.range,
                            "the \(type) question `\(id)` offers \(Set(values).count) distinct option\(Set(values).count == 1 ? "" : "s"); give at least two"
                        ))
                }
            } else if type == "likert" {
                let scale = d.raw(q, "scale")
                let min = scale?.value(forKey: "min")?.doubleValue, max = scale?.value(forKey: "max")?.doubleValue
                if let min, let max, min < max { continue }
                out.append(
                    d.finding(
                        criterionID, scale.map { d.opening($0) } ?? d.opening(q),
                        "the likert question `\(id)` needs a `scale` whose `min` is below its `max`"))
            }
        }
        return out
    }
}

/// CO-06: a definition in several languages has every text in each of them. Texts given as one string count as
/// the same in every language; a language map must name every declared language. Rated criteria need their
/// `criteria` wording in each language but English (the catalogue's), reported once per section and language.
struct ConsultationLanguagesRule: Rule {
    let criterionID = "CO-06"
    /// Keys whose values participants read (a string or a language map).
    static let textKeys: Set<String> = [
        "title", "introduction", "text", "label", "help", "description", "minLabel", "maxLabel", "requirement", "rationale",
    ]

    func check(_ d: DocumentContext) -> [Finding] {
        let languages = d.elements(d.root, "languages").compactMap(\.stringValue)
        guard languages.count > 1 else { return [] }
        var out: [Finding] = []
        func missing(in map: SyntaxNode) -> [String] {
            let present = Set(map.members.map(\.name))
            return languages.filter { !present.contains($0) }
        }
        func visit(_ node: SyntaxNode, key: String?, depth: Int) {
            guard depth < 64 else { return }
            switch node.kind {
            case .object:
                if let key, ConsultationLanguagesRule.textKeys.contains(key) || key.count == 1 && key.first!.isNumber {
                    let absent = missing(in: node)
                    if !absent.isEmpty {
                        out.append(
                            d.finding(
                                criterionID, d.opening(node),
                                "`\(key)` has no text in \(absent.joined(separator: ", ")): it is shown in English there, marked as untranslated"
                            ))
                    }
                    return
                }
                for m in node.members where !(depth == 0 && m.name == "criteria") {
                    visit(m.value, key: m.name, depth: depth + 1)
                }
            case .array:
                for e in node.elements { visit(e, key: nil, depth: depth + 1) }
            default: return
            }
        }
        visit(d.root, key: nil, depth: 0)
        // Criterion wording: each map checked like any text; criteria without wording, per section and language.
        let wording = d.raw(d.root, "criteria")
        if let wording { for m in wording.members { visit(m.value, key: nil, depth: 1) } }
        for section in d.elements(d.root, "sections") where section.kind == .object {
            guard let items = d.raw(section, "items"), items.kind == .object else { continue }
            let selected = ItemSelector(items)?.select(from: d.catalogue).criteria.map(\.id) ?? []
            for l in languages where l != "en" {
                let unworded = selected.filter { id in
                    guard let w = wording?.value(forKey: id) else { return true }
                    return ["title", "requirement"].contains { k in
                        guard let t = w.value(forKey: k) else { return true }
                        return t.kind == .object && t.value(forKey: l) == nil
                    }
                }
                if !unworded.isEmpty {
                    let list =
                        unworded.prefix(5).joined(separator: ", ") + (unworded.count > 5 ? " and \(unworded.count - 5) more" : "")
                    out.append(
                        d.finding(
                            criterionID, d.opening(items),
                            "\(unworded.count) rated criteria lack a `\(l)` title or requirement under `criteria` (\(list)): the catalogue's English is shown, marked as untranslated"
                        ))
                }
            }
        }
        return out
    }
}

/// CO-07: a registration form states its places, its event's start, how long the personal data are kept and what for
/// (the schema requires them under `registration`, attributed here by `elmPaths`); this rule adds what a schema cannot
/// compare: registration closes no later than the event starts (else registrations would be accepted that could never
/// be honoured, and the collector stops taking them at the start anyway), and the form asks for a required e-mail
/// address (how the joining instructions reach a registrant).
struct RegistrationFormRule: Rule {
    let criterionID = "CO-07"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let registration = d.raw(d.root, "registration"), registration.kind == .object else { return [] }
        var out: [Finding] = []
        if let closes = d.raw(d.root, "closesAt"), let starts = d.raw(registration, "startsAt"),
            let a = closes.stringValue.flatMap(ISODateTime.init), let b = starts.stringValue.flatMap(ISODateTime.init),
            a.seconds > b.seconds
        {
            out.append(
                d.finding(
                    criterionID, closes.range,
                    "registration closes (\(closes.stringValue ?? "")) after the event starts (\(starts.stringValue ?? "")); close it at the start at the latest",
                    fix: Fix(
                        title: "Close registration when the event starts",
                        edits: [FixEdit(range: closes.range, newText: starts.sourceText)])))
        }
        let asksEmail = d.questions.contains {
            $0.node.value(forKey: "type")?.stringValue == "email" && $0.node.value(forKey: "required")?.boolValue == true
        }
        if !asksEmail {
            out.append(
                d.finding(
                    criterionID, d.opening(registration),
                    "a registration form asks for an e-mail address: add a required question of type `email` (the joining instructions are sent there)"
                ))
        }
        return out
    }
}
