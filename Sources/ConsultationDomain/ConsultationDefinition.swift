public import CriteriaCatalogue
import JSONSyntax

/// A choice offered by a question.
public struct ChoiceOption: Sendable, Hashable {
    public var value: String
    public var label: String

    public init(value: String, label: String) {
        self.value = value
        self.label = label
    }
}

/// The kinds of free and profile questions: choices, a scale, free text, and the one-line answers of
/// registration forms (an e-mail address, checked syntactically; an organisation's name).
public enum QuestionType: String, Sendable, CaseIterable {
    case singleChoice, multipleChoice, likert, text, email, organisation

    /// Whether the answer is typed text (rather than chosen).
    public var isTyped: Bool { self == .text || self == .email || self == .organisation }
}

/// Show a question only when a profile question was answered with one of some values.
public struct DisplayCondition: Sendable, Hashable {
    public var question: String
    public var values: [String]
}

/// A profile or free question of a consultation definition.
public struct Question: Sendable {
    public var id: String
    public var type: QuestionType
    public var label: String
    public var help: String?
    public var required: Bool
    public var options: [ChoiceOption]
    /// For likert questions: the inclusive scale and its end labels.
    public var scale: (min: Int, max: Int, minLabel: String?, maxLabel: String?)?
    public var maxLength: Int?
    public var showIf: DisplayCondition?

    package init(
        id: String, type: QuestionType, label: String, help: String?, required: Bool, options: [ChoiceOption],
        scale: (min: Int, max: Int, minLabel: String?, maxLabel: String?)?, maxLength: Int?, showIf: DisplayCondition?
    ) {
        self.id = id
        self.type = type
        self.label = label
        self.help = help
        self.required = required
        self.options = options
        self.scale = scale
        self.maxLength = maxLength
        self.showIf = showIf
    }
}

/// A part of the form: criteria to rate and free questions.
public struct Section: Sendable {
    public var id: String
    public var title: String
    public var description: String?
    public var items: [Criterion]
    public var questions: [Question]
}

/// A consultation as loaded from its JSON definition (`consultation.schema.json`) and resolved against the
/// catalogue: the criteria of each section are listed, `optionsFrom` vocabularies are expanded.
public struct ConsultationDefinition: Sendable {
    public var id: String
    public var title: String
    public var introduction: String?
    public var catalogueVersion: String
    public var privacyVersion: String
    public var privacyText: String
    public var timeZone: String
    public var opensAt: Timestamp
    public var closesAt: Timestamp
    /// Labels of ratings 1…5.
    public var ratingLabels: [String]
    public var noOpinion: Bool
    public var profile: [Question]
    public var sections: [Section] {
        didSet { index() }
    }
    /// The definition's JSON text, stored with the consultation.
    public var source: String
    /// Set when the definition is a registration form (`registration`): places, the event, retention.
    public var registration: RegistrationSettings?
    /// The languages the definition declares (`languages`, BCP 47 tags such as `en`, `fr`, `ar`), the first one
    /// its reference language; `["en"]` when it declares none.
    public var languages: [String] = ["en"]
    /// The language this copy's texts are in (`ConsultationDefinition.load(_:language:)`).
    public var language = "en"
    /// Texts this copy shows in the fallback language because the definition has none in `language`: the
    /// pages mark them visibly as untranslated.
    public var untranslated: Set<String> = []
    /// Where a text lacks a declared language: JSON pointer-like paths with the language (for `eccoe check`).
    public var missingTranslations: [(path: String, language: String)] = []

    /// The language a text falls back to when a translation is missing: English if declared, else the first.
    public var fallbackLanguage: String { languages.contains("en") ? "en" : languages[0] }

    /// Is the language written right to left (Arabic, Hebrew, Persian, Urdu and a few others)?
    public static func isRightToLeft(_ language: String) -> Bool {
        let primary = language.split(separator: "-").first.map { String($0).lowercased() } ?? ""
        return ["ar", "he", "fa", "ur", "yi", "ps", "dv", "ckb", "sd", "ug"].contains(primary)
    }

    /// Every criterion rated, in form order (kept, since every submission looks criteria up).
    public private(set) var items: [Criterion] = []
    /// Every free question, in form order.
    public private(set) var questions: [Question] = []
    private var itemPositions: [String: Int] = [:]
    private var questionPositions: [String: Int] = [:]

    init(
        id: String, title: String, introduction: String?, catalogueVersion: String, privacyVersion: String, privacyText: String,
        timeZone: String, opensAt: Timestamp, closesAt: Timestamp, ratingLabels: [String], noOpinion: Bool, profile: [Question],
        sections: [Section], source: String
    ) {
        self.id = id
        self.title = title
        self.introduction = introduction
        self.catalogueVersion = catalogueVersion
        self.privacyVersion = privacyVersion
        self.privacyText = privacyText
        self.timeZone = timeZone
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.ratingLabels = ratingLabels
        self.noOpinion = noOpinion
        self.profile = profile
        self.sections = sections
        self.source = source
        index()
    }

    private mutating func index() {
        items = sections.flatMap(\.items)
        questions = sections.flatMap(\.questions)
        itemPositions = Dictionary(items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        questionPositions = Dictionary(
            (profile + questions).enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func profileQuestion(_ id: String) -> Question? { profile.first { $0.id == id } }
    public func freeQuestion(_ id: String) -> Question? { questions.first { $0.id == id } }
    public func item(_ id: String) -> Criterion? { itemPositions[id].map { items[$0] } }
    /// The position of a criterion in form order.
    package func position(ofItem id: String) -> Int? { itemPositions[id] }
    /// The position of a profile or free question in form order.
    package func position(ofQuestion id: String) -> Int? { questionPositions[id] }

    /// The lifecycle state at `now`: responses are accepted in [opensAt, closesAt).
    public func state(at now: Timestamp) -> String {
        now < opensAt ? "draft" : (now < effectiveClosesAt ? "open" : "closed")
    }

    /// When writes stop: `closesAt`, or for a registration form the event's start if that comes first.
    public var effectiveClosesAt: Timestamp {
        guard let r = registration, r.startsAt < closesAt else { return closesAt }
        return r.startsAt
    }

    /// The one rule every write path (form, API, edit, withdrawal, draft) asks.
    public func canWrite(at now: Timestamp) -> Bool { opensAt <= now && now < effectiveClosesAt }
}

/// A mistake in a consultation definition, with where it is.
public struct DefinitionProblem: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(line):\(column): \(message)" }
}

/// Every problem found in a definition.
public struct DefinitionErrors: Error, Sendable {
    public var problems: [DefinitionProblem]
}

extension ConsultationDefinition {
    /// Loads and checks a definition. Problems carry 1-based line and column (UTF-8 bytes). The catalogue
    /// version must match the embedded catalogue's, so the criterion texts shown are the ones reviewed.
    ///
    /// Every text a participant reads (title, introduction, privacy text, labels, help, options, section titles
    /// and descriptions, rating and scale labels, and criterion wording under `criteria`) is either a string or a
    /// map from language tag to string; `language` picks which one this copy shows (nil: the first declared).
    /// A map without that language falls back to English (or the first declared language), recorded in
    /// `untranslated` and `missingTranslations`.
    public static func load(_ bytes: [UInt8], catalogue: Catalogue = .standard, language requested: String? = nil) -> Result<
        ConsultationDefinition, DefinitionErrors
    > {
        let tree = SyntaxTree(parsing: bytes, dialect: .json)
        var problems: [DefinitionProblem] = []
        func problem(_ node: SyntaxNode?, _ message: String) {
            let offset = node?.range.lowerBound ?? 0
            let p = tree.position(of: offset, encoding: .utf8)
            problems.append(DefinitionProblem(line: p.line + 1, column: p.character + 1, message: message))
        }
        for d in tree.diagnostics where d.severity == .error {
            let p = tree.position(of: d.range.lowerBound, encoding: .utf8)
            problems.append(DefinitionProblem(line: p.line + 1, column: p.character + 1, message: d.message))
        }
        if !problems.isEmpty { return .failure(DefinitionErrors(problems: problems)) }
        let root = tree.root
        guard root.kind == .object else {
            return .failure(
                DefinitionErrors(problems: [
                    DefinitionProblem(line: 1, column: 1, message: "a consultation definition is a JSON object")
                ]))
        }

        func string(_ node: SyntaxNode, _ key: String, required: Bool = true) -> String? {
            guard let v = node.value(forKey: key) else {
                if required { problem(node, "missing required property `\(key)`") }
                return nil
            }
            guard let s = v.stringValue, !s.isEmpty else {
                problem(v, "`\(key)` must be a non-empty string")
                return nil
            }
            return s
        }
        // Declared languages: tags of letters, digits and hyphens, no repeats.
        var languages: [String] = []
        if let list = root.value(forKey: "languages") {
            for node in list.elements {
                guard let tag = node.stringValue, !tag.isEmpty, tag.utf8.count <= 35,
                    tag.utf8.allSatisfy({
                        $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                            || (0x61...0x7A).contains($0)
                    })
                else {
                    problem(node, "a language is a BCP 47 tag such as `en`, `fr` or `pt-BR`")
                    continue
                }
                if languages.contains(tag) { problem(node, "language `\(tag)` is listed twice") } else { languages.append(tag) }
            }
            if list.kind != .array || list.elements.count == 0 {
                problem(list, "`languages` must be a non-empty array of language tags")
            }
        }
        if languages.isEmpty { languages = ["en"] }
        let language = requested.flatMap { languages.contains($0) ? $0 : nil } ?? languages[0]
        let fallback = languages.contains("en") ? "en" : languages[0]
        var untranslated: Set<String> = []
        var missing: [(path: String, language: String)] = []
        /// A participant's text: a string, or a language map (`{"en": …, "fr": …}`) read in `language`.
        func text(_ node: SyntaxNode, _ key: String, required: Bool = true, path: String) -> String? {
            guard let v = node.value(forKey: key) else {
                if required { problem(node, "missing required property `\(key)`") }
                return nil
            }
            return localized(v, key: key, path: path)
        }
        func localized(_ v: SyntaxNode, key: String, path: String) -> String? {
            if v.kind != .object {
                guard let s = v.stringValue, !s.isEmpty else {
                    problem(v, "`\(key)` must be a non-empty string or a map from language to text")
                    return nil
                }
                return s
            }
            var texts: [String: String] = [:]
            for m in v.members {
                guard languages.contains(m.name) else {
                    problem(
                        m.value, "`\(m.name)` is not one of the definition's languages (\(languages.joined(separator: ", ")))")
                    continue
                }
                guard let s = m.value.stringValue, !s.isEmpty else {
                    problem(m.value, "`\(key)` in `\(m.name)` must be a non-empty string")
                    continue
                }
                texts[m.name] = s
            }
            for l in languages where texts[l] == nil { missing.append((path, l)) }
            if let s = texts[language] { return s }
            guard let s = texts[fallback] ?? languages.lazy.compactMap({ texts[$0] }).first else {
                problem(v, "`\(key)` has no text")
                return nil
            }
            untranslated.insert(s)
            return s
        }
        func timestamp(_ key: String) -> Timestamp? {
            guard let text = string(root, key) else { return nil }
            guard let t = Timestamp(rfc3339: text) else {
                problem(
                    root.value(forKey: key),
                    "`\(key)` must be an RFC 3339 date-time with an offset, e.g. 2026-03-01T09:00:00+01:00")
                return nil
            }
            return t
        }
        /// The `registration` object: places (1…`maxPlaces`), the event's start (and end), retention days
        /// (0…`maxRetentionDays`), the purpose of the personal data, and where the event takes place.
        func registrationSettings(_ r: SyntaxNode, at: String) -> RegistrationSettings? {
            guard r.kind == .object else {
                problem(r, "`registration` must be an object {places, startsAt, retentionDays, purpose} (CO-07)")
                return nil
            }
            func instant(_ key: String, required: Bool) -> Timestamp? {
                guard let v = r.value(forKey: key) else {
                    if required { problem(r, "a registration form states when the event starts: `registration.\(key)` (CO-07)") }
                    return nil
                }
                guard let t = v.stringValue.flatMap(Timestamp.init(rfc3339:)) else {
                    problem(
                        v, "`registration.\(key)` must be an RFC 3339 date-time with an offset, e.g. 2026-03-01T09:00:00+01:00")
                    return nil
                }
                return t
            }
            func count(_ key: String, _ range: ClosedRange<Int>, _ missing: String) -> Int? {
                guard let v = r.value(forKey: key) else {
                    problem(r, missing)
                    return nil
                }
                guard let n = v.integerValue, range.contains(Int(clamping: n)), n == Int64(Int(clamping: n)) else {
                    problem(v, "`registration.\(key)` must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                    return nil
                }
                return Int(n)
            }
            let places = count(
                "places", 1...RegistrationSettings.maxPlaces,
                "a registration form states how many places it offers: `registration.places` (CO-07)")
            let retention = count(
                "retentionDays", 0...RegistrationSettings.maxRetentionDays,
                "a registration form states how many days after the event the personal data are deleted: `registration.retentionDays` (CO-07)"
            )
            let startsAt = instant("startsAt", required: true), endsAt = instant("endsAt", required: false)
            if let startsAt, let endsAt, endsAt <= startsAt {
                problem(r.value(forKey: "endsAt"), "`registration.endsAt` must be after `registration.startsAt`")
            }
            let purpose = text(r, "purpose", required: false, path: at + "/purpose")
            if r.value(forKey: "purpose") == nil {
                problem(r, "a registration form states what the personal data are used for: `registration.purpose` (CO-07)")
            }
            let location = text(r, "location", required: false, path: at + "/location")
            for m in r.members where !["places", "startsAt", "endsAt", "location", "retentionDays", "purpose"].contains(m.name) {
                problem(m.value, "unknown member `registration.\(m.name)`")
            }
            guard let places, let retention, let startsAt, let purpose else { return nil }
            return RegistrationSettings(
                places: places, startsAt: startsAt, endsAt: endsAt, location: location, retentionDays: retention, purpose: purpose
            )
        }
        let identifier = string(root, "id")
        let title = text(root, "title", path: "/title")
        let introduction = text(root, "introduction", required: false, path: "/introduction")
        // A registration form rates no criteria: it need not name the catalogue (it is then the built-in one's).
        let isRegistration = root.value(forKey: "registration") != nil
        let catalogueVersion =
            isRegistration && root.value(forKey: "catalogueVersion") == nil
            ? catalogue.version : string(root, "catalogueVersion")
        if let catalogueVersion, catalogueVersion != catalogue.version {
            problem(
                root.value(forKey: "catalogueVersion"),
                "catalogue version \(catalogueVersion) is not the built-in catalogue's (\(catalogue.version))")
        }
        var privacyVersion: String?, privacyText: String?
        if let privacy = root.value(forKey: "privacy"), privacy.kind == .object {
            privacyVersion = string(privacy, "version")
            privacyText = text(privacy, "text", path: "/privacy/text")
        } else {
            problem(root.value(forKey: "privacy") ?? root, "a privacy statement `privacy: {version, text}` is required (CO-01)")
        }
        let timeZone = string(root, "timeZone") ?? "UTC"
        let opensAt = timestamp("opensAt"), closesAt = timestamp("closesAt")
        if let opensAt, let closesAt, closesAt <= opensAt {
            problem(root.value(forKey: "closesAt"), "`closesAt` must be after `opensAt` (CO-02)")
        }

        var registration: RegistrationSettings?
        if let r = root.value(forKey: "registration") {
            registration = registrationSettings(r, at: "/registration")
        }

        var labels = [
            "Not appropriate", "Rather not appropriate", "Partly appropriate", "Rather appropriate", "Fully appropriate",
        ]
        var noOpinion = true
        if let rating = root.value(forKey: "rating") {
            if let l = rating.value(forKey: "labels") {
                for m in l.members {
                    if let n = Int(m.name), (1...5).contains(n),
                        let s = localized(m.value, key: m.name, path: "/rating/labels/\(n)")
                    {
                        labels[n - 1] = s
                    }
                }
            }
            if let b = rating.value(forKey: "noOpinion")?.boolValue { noOpinion = b }
        }

        var seenQuestions: Set<String> = []
        func question(_ node: SyntaxNode, _ at: String) -> Question? {
            let at = at + "/" + (node.value(forKey: "id")?.stringValue ?? "?")
            guard node.kind == .object, let id = string(node, "id"), let typeName = string(node, "type"),
                let label = text(node, "label", path: at + "/label")
            else {
                if node.kind != .object { problem(node, "a question is an object") }
                return nil
            }
            guard let type = QuestionType(rawValue: typeName) else {
                problem(node.value(forKey: "type"), "unknown question type `\(typeName)`")
                return nil
            }
            if !seenQuestions.insert(id).inserted { problem(node.value(forKey: "id"), "question id `\(id)` is used twice") }
            var q = Question(
                id: id, type: type, label: label, help: text(node, "help", required: false, path: at + "/help"),
                required: node.value(forKey: "required")?.boolValue ?? false, options: [], scale: nil,
                maxLength: node.value(forKey: "maxLength")?.integerValue.map { Int(clamping: $0) }, showIf: nil)
            if let options = node.value(forKey: "options") {
                q.options = options.elements.compactMap { o in
                    guard let v = o.value(forKey: "value")?.stringValue, o.value(forKey: "label") != nil,
                        let l = text(o, "label", path: at + "/options/" + v)
                    else {
                        problem(o, "an option needs a `value` and a `label`")
                        return nil
                    }
                    return ChoiceOption(value: v, label: l)
                }
            } else if let from = node.value(forKey: "optionsFrom")?.stringValue {
                q.options = Vocabulary.options(from)
                if q.options.isEmpty { problem(node.value(forKey: "optionsFrom"), "unknown vocabulary `\(from)`") }
            }
            if type == .singleChoice || type == .multipleChoice {
                if q.options.count < 2 { problem(node, "question `\(id)` needs at least two options (CO-05)") }
                if Set(q.options.map(\.value)).count != q.options.count {
                    problem(node, "question `\(id)` repeats an option value")
                }
            }
            if type == .likert {
                if let s = node.value(forKey: "scale"), let lo = s.value(forKey: "min")?.integerValue,
                    let hi = s.value(forKey: "max")?.integerValue, lo < hi, hi - lo <= 20
                {
                    q.scale = (
                        Int(lo), Int(hi), text(s, "minLabel", required: false, path: at + "/scale/minLabel"),
                        text(s, "maxLabel", required: false, path: at + "/scale/maxLabel")
                    )
                } else {
                    problem(
                        node, "likert question `\(id)` needs a `scale` with integer `min` < `max` (at most 21 points) (CO-05)")
                }
            }
            if let c = node.value(forKey: "showIf") {
                if let on = c.value(forKey: "question")?.stringValue {
                    q.showIf = DisplayCondition(
                        question: on, values: c.value(forKey: "in")?.elements.compactMap(\.stringValue) ?? [])
                } else {
                    problem(c, "`showIf` needs a `question`")
                }
            }
            return q
        }

        var profile: [Question] = []
        if let p = root.value(forKey: "profile") {
            profile = p.elements.compactMap { question($0, "/profile") }
        }
        var sections: [Section] = []
        var rated: Set<String> = []
        if let list = root.value(forKey: "sections"), list.kind == .array, list.elements.count > 0 {
            for s in list.elements {
                let at = "/sections/" + (s.value(forKey: "id")?.stringValue ?? "?")
                guard let sid = string(s, "id"), let stitle = text(s, "title", path: at + "/title") else { continue }
                var items: [Criterion] = []
                if let selector = s.value(forKey: "items") {
                    items = select(selector, catalogue: catalogue, problem: problem).map { c in
                        // The definition may word a criterion for its public, per language (`criteria.ID.title` …);
                        // what it does not word comes from the catalogue, in English.
                        let wording = root.value(forKey: "criteria")?.value(forKey: c.id)
                        var c = c
                        func word(_ key: String, _ field: WritableKeyPath<Criterion, String>) {
                            if let wording, wording.value(forKey: key) != nil {
                                if let t = text(wording, key, required: false, path: "/criteria/\(c.id)/\(key)") {
                                    c[keyPath: field] = t
                                }
                                return
                            }
                            guard !c[keyPath: field].isEmpty else { return }
                            for l in languages where l != "en" { missing.append(("/criteria/\(c.id)/\(key)", l)) }
                            if language != "en" { untranslated.insert(c[keyPath: field]) }
                        }
                        word("title", \.title)
                        word("requirement", \.requirement)
                        word("rationale", \.rationale)
                        // The plain statement: the definition's wording (`criteria.ID.plain`), else the catalogue's
                        // in the page language, else its English, marked as untranslated.
                        if let wording, wording.value(forKey: "plain") != nil {
                            if let t = text(wording, "plain", required: false, path: "/criteria/\(c.id)/plain") {
                                c.plain[language] = t
                            }
                        } else {
                            for l in languages
                            where c.plain[l] == nil && c.plain[l.split(separator: "-").first.map(String.init) ?? l] == nil {
                                missing.append(("/criteria/\(c.id)/plain", l))
                            }
                            if let shown = c.plainStatement(in: language), shown.language != language,
                                shown.language != language.split(separator: "-").first.map(String.init)
                            {
                                untranslated.insert(shown.text)
                            }
                        }
                        return c
                    }
                    for c in items where !rated.insert(c.id).inserted {
                        problem(selector, "criterion \(c.id) is rated in two sections")
                    }
                }
                let questions = s.value(forKey: "questions")?.elements.compactMap { question($0, at + "/questions") } ?? []
                sections.append(
                    Section(
                        id: sid, title: stitle, description: text(s, "description", required: false, path: at + "/description"),
                        items: items, questions: questions))
            }
        } else {
            problem(root.value(forKey: "sections") ?? root, "`sections` must be a non-empty array")
        }
        // Conditions may only refer to profile questions (CO-04) and to values they offer.
        for q in profile + sections.flatMap(\.questions) {
            guard let c = q.showIf else { continue }
            guard let target = profile.first(where: { $0.id == c.question }) else {
                problem(root, "question `\(q.id)` is shown only if `\(c.question)`, which is not a profile question (CO-04)")
                continue
            }
            if target.id == q.id { problem(root, "question `\(q.id)` depends on itself (CO-04)") }
            for v in c.values where !target.options.contains(where: { $0.value == v }) {
                problem(root, "question `\(q.id)` depends on value `\(v)`, which `\(c.question)` does not offer (CO-04)")
            }
        }
        guard problems.isEmpty, let identifier, let title, let catalogueVersion, let privacyVersion, let privacyText,
            let opensAt, let closesAt
        else {
            return .failure(
                DefinitionErrors(
                    problems: problems.isEmpty
                        ? [DefinitionProblem(line: 1, column: 1, message: "incomplete definition")] : problems))
        }
        var d = ConsultationDefinition(
            id: identifier, title: title, introduction: introduction, catalogueVersion: catalogueVersion,
            privacyVersion: privacyVersion, privacyText: privacyText, timeZone: timeZone, opensAt: opensAt,
            closesAt: closesAt, ratingLabels: labels, noOpinion: noOpinion, profile: profile, sections: sections,
            source: String(decoding: bytes, as: UTF8.self))
        d.languages = languages
        d.language = language
        d.untranslated = untranslated
        d.missingTranslations = missing
        d.registration = registration
        return .success(d)
    }

    /// The criteria an item selector picks (`ItemSelector`, the rule CO-03 applies too); an ID the catalogue
    /// lacks, a listed ID the section's filters leave out and a selector that picks nothing are problems.
    private static func select(_ selector: SyntaxNode, catalogue: Catalogue, problem: (SyntaxNode?, String) -> Void)
        -> [Criterion]
    {
        guard let items = ItemSelector(selector) else { return [] }
        let selection = items.select(from: catalogue)
        for node in selection.unknown {
            problem(node, "`\(node.sourceText)` is not a criterion of catalogue \(catalogue.version) (CO-03)")
        }
        for node in selection.excluded {
            problem(node, "`\(node.sourceText)` is listed, but this section's filters leave it out (CO-03)")
        }
        for node in selection.idleKinds {
            problem(
                node,
                "the kind `\(node.stringValue ?? "")` selects no criterion together with the other filters of this section (CO-03)"
            )
        }
        if selection.criteria.isEmpty && selection.unknown.isEmpty && selection.excluded.isEmpty && selection.idleKinds.isEmpty {
            problem(selector, "this item selector picks no criterion of catalogue \(catalogue.version) (CO-03)")
        }
        return selection.criteria
    }

    /// The built-in ECCOE public consultation on the catalogue: the criteria for credentials, learning
    /// opportunities, recognition agreements and data quality, a respondent profile and final questions.
    /// It opens at `opensAt` (the first time it is served into a database) and stays open `BuiltInConsultation.openDays`.
    public static func builtIn(opensAt: Timestamp, catalogue: Catalogue = .standard, language: String? = nil)
        -> ConsultationDefinition
    {
        let closesAt = opensAt.adding(seconds: BuiltInConsultation.openDays * 86_400)
        let text = BuiltInConsultation.json(catalogue: catalogue, opensAt: opensAt, closesAt: closesAt)
        switch load(Array(text.utf8), catalogue: catalogue, language: language) {
        case .success(let d): return d
        case .failure(let errors):
            // The built-in text is ours and tested; this branch means the embedded catalogue is broken.
            var d = ConsultationDefinition(
                id: BuiltInConsultation.id, title: "ECCOE consultation (catalogue unavailable)", introduction: nil,
                catalogueVersion: catalogue.version, privacyVersion: "1",
                privacyText: errors.problems.map { $0.description }.joined(separator: "; "),
                timeZone: "UTC", opensAt: opensAt, closesAt: closesAt, ratingLabels: ["1", "2", "3", "4", "5"],
                noOpinion: true, profile: [], sections: [], source: text)
            d.sections = [Section(id: "criteria", title: "Criteria", description: nil, items: catalogue.criteria, questions: [])]
            return d
        }
    }
}

extension ConsultationDefinition {
    /// This consultation in another of its languages (its own source read again); itself when that is its
    /// language or not one of its languages.
    public func translated(to language: String, catalogue: Catalogue = .standard) -> ConsultationDefinition {
        guard language != self.language, languages.contains(language) else { return self }
        guard case .success(var d) = ConsultationDefinition.load(Array(source.utf8), catalogue: catalogue, language: language)
        else {
            return self
        }
        // The built-in consultation's window is fixed when first served: keep this copy's.
        d.opensAt = opensAt
        d.closesAt = closesAt
        return d
    }
}
