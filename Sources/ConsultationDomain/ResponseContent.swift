import CriteriaCatalogue
package import JSONSyntax

/// An answer to a profile or free question.
public enum AnswerValue: Sendable, Hashable {
    case text(String)
    case choices([String])
    case number(Int)

    /// The JSON encoding kept in the store and sent by the API.
    package var json: JSONValue {
        switch self {
        case .text(let s): .string(s)
        case .choices(let list): .array(list.map { .string($0) })
        case .number(let n): .int(n)
        }
    }

    /// The value as one export cell: multiple choices joined with `;`.
    package var cell: String {
        switch self {
        case .text(let s): s
        case .choices(let list): list.joined(separator: ";")
        case .number(let n): String(n)
        }
    }
}

/// A participant's view of one criterion: a rating 1…5 or nil for "no opinion", and optional texts.
public struct CriterionAnswer: Sendable, Hashable {
    public var rating: Int?
    public var comment: String?
    public var suggestion: String?

    public init(rating: Int?, comment: String? = nil, suggestion: String? = nil) {
        self.rating = rating
        self.comment = comment
        self.suggestion = suggestion
    }
}

/// What a participant submits, from the API's JSON body or the form's fields. Entries are kept in the
/// definition's order once validated.
public struct ResponseContent: Sendable, Hashable {
    public var profile: [(String, AnswerValue)] = []
    public var answers: [(String, CriterionAnswer)] = []
    public var questions: [(String, AnswerValue)] = []
    public var consentVersion: String?
    public var consentGiven = false

    public init() {}

    public static func == (a: ResponseContent, b: ResponseContent) -> Bool {
        a.profile.elementsEqual(b.profile, by: ==) && a.answers.elementsEqual(b.answers, by: ==)
            && a.questions.elementsEqual(b.questions, by: ==) && a.consentVersion == b.consentVersion
            && a.consentGiven == b.consentGiven
    }

    public func hash(into h: inout Hasher) {
        for (k, v) in profile { h.combine(k); h.combine(v) }
        for (k, v) in answers { h.combine(k); h.combine(v) }
        for (k, v) in questions { h.combine(k); h.combine(v) }
        h.combine(consentVersion)
    }

    /// Puts every list in the definition's form order; entries the definition does not know (answers to
    /// criteria or questions a later definition dropped) come last, by id. Each key is looked up once.
    package mutating func arrange(in definition: ConsultationDefinition) {
        func ordered<T>(_ list: [(String, T)], _ position: (String) -> Int?) -> [(String, T)] {
            list.map { (position($0.0) ?? Int.max, $0.0, $0.1) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { ($0.1, $0.2) }
        }
        profile = ordered(profile, definition.position(ofQuestion:))
        questions = ordered(questions, definition.position(ofQuestion:))
        answers = ordered(answers, definition.position(ofItem:))
    }

    public func profileValue(_ id: String) -> AnswerValue? { profile.first { $0.0 == id }?.1 }
    public func questionValue(_ id: String) -> AnswerValue? { questions.first { $0.0 == id }?.1 }
    public func answer(_ id: String) -> CriterionAnswer? { answers.first { $0.0 == id }?.1 }

    /// The content as the API shows it (without consent, which the caller adds with its time).
    package var json: [(String, JSONValue)] {
        [
            ("profile", .object(profile.map { ($0.0, $0.1.json) })),
            (
                "answers",
                .object(
                    answers.map { id, a in
                        var m: [(String, JSONValue)] = [("rating", a.rating.map { .int($0) } ?? .null)]
                        if let c = a.comment { m.append(("comment", .string(c))) }
                        if let s = a.suggestion { m.append(("suggestion", .string(s))) }
                        return (id, .object(m))
                    })
            ),
            ("questions", .object(questions.map { ($0.0, $0.1.json) })),
        ]
    }

    /// A digest of what was answered (not when or by whom), to flag identical submissions for analysts.
    /// Every field goes in with its length, so no two different contents give the same byte stream.
    package var contentHash: [UInt8] {
        var h = SHA256()
        func field(_ s: String) {
            var n = UInt64(s.utf8.count)
            withUnsafeBytes(of: &n) { h.update($0) }
            h.update(s.utf8)
        }
        func value(_ v: AnswerValue) {
            switch v {
            case .text(let s): field("t"); field(s)
            case .number(let n): field("n"); field(String(n))
            case .choices(let l): field("c\(l.count)"); l.forEach(field)
            }
        }
        field("profile")
        for (k, v) in profile { field(k); value(v) }
        field("questions")
        for (k, v) in questions { field(k); value(v) }
        field("answers")
        for (k, a) in answers {
            field(k)
            field(a.rating.map(String.init) ?? "-")
            field(a.comment.map { "c" + $0 } ?? "")
            field(a.suggestion.map { "s" + $0 } ?? "")
        }
        return h.finalize()
    }
}

/// The receipt of a stored response: its id, its secret edit token, when it arrived.
public struct Receipt: Sendable, Hashable {
    public var id: String
    public var editToken: String
    public var receivedAt: Timestamp
    /// For a registration form: a confirmed place or the position on the waiting list, as decided when it was stored.
    public var registration: RegistrationStatus?

    public init(id: String, editToken: String, receivedAt: Timestamp, registration: RegistrationStatus? = nil) {
        self.id = id
        self.editToken = editToken
        self.receivedAt = receivedAt
        self.registration = registration
    }

    package var json: JSONValue {
        .object(
            [("id", .string(id)), ("editToken", .string(editToken)), ("receivedAt", .string(receivedAt.rfc3339))]
                + (registration.map { [("registration", $0.json)] } ?? []))
    }
}

/// A problem with one field of a submission: where (a JSON Pointer into the API body, also used to find
/// the form field) and what.
public struct FieldError: Sendable, Hashable {
    public var pointer: String
    /// The problem in English.
    public var message: String
    /// What is wrong, for the problems a participant can meet in the form: the interface's message catalogue
    /// words them in the page's (or the API request's) language. Nil for problems only a program sending JSON meets.
    public var problem: FieldProblem?

    public init(_ pointer: String, _ message: String) {
        self.pointer = pointer
        self.message = message
        self.problem = nil
    }

    public init(_ pointer: String, _ problem: FieldProblem) {
        self.pointer = pointer
        self.message = problem.english
        self.problem = problem
    }

}

/// A problem with an answer that a participant can meet, with what its message needs; `english` is its text in
/// English (the message catalogues, `FormStrings`, word it in every interface language).
public enum FieldProblem: Sendable, Hashable {
    case consentRequired
    case privacyVersion(String)
    case answerRequired
    /// A question shown only for some profile answers was answered anyway (its label).
    case onlyForSomeAnswers(String)
    /// A text of `length` characters where at most `limit` are accepted.
    case tooLong(length: Int, limit: Int)
    /// A control character, as `U+0007`.
    case controlCharacter(String)
    case chooseOne
    case chooseAmong
    case wholeNumber(min: Int, max: Int)
    /// An e-mail address of `bytes` bytes where at most `limit` are accepted.
    case emailTooLong(bytes: Int, limit: Int)
    /// A text (as shown) that is not an e-mail address, and why.
    case notAnEmail(String, EmailProblem)
    /// A one-line answer (an organisation) holding a line break, a tab or a control character.
    case oneLine

    public var english: String {
        switch self {
        case .consentRequired: "Give your consent to the privacy statement to submit your response."
        case .privacyVersion(let v): "the privacy statement is at version \(v); consent to that version"
        case .answerRequired: "An answer is required."
        case .onlyForSomeAnswers(let label): "“\(label)” applies only to some answers of the profile; leave it empty"
        case .tooLong(let length, let limit): "is \(length) characters long; at most \(limit) are accepted"
        case .controlCharacter(let code): "contains the control character \(code); remove it"
        case .chooseOne: "choose one of the offered options"
        case .chooseAmong: "choose among the offered options, each at most once"
        case .wholeNumber(let min, let max): "must be a whole number from \(min) to \(max)"
        case .emailTooLong(let bytes, let limit): "is \(bytes) bytes long; an e-mail address has at most \(limit)"
        case .notAnEmail(let shown, let problem): "“\(shown)” is not an e-mail address: \(problem.english)"
        case .oneLine: "must be one line, without tabs or control characters"
        }
    }
}

/// The problems found in one submission: the first `cap` with their text, the rest only counted, so the
/// answer to a body with 150,000 unknown keys stays small and costs no memory per problem.
public struct FieldErrors: Sendable, Sequence {
    public private(set) var listed: [FieldError] = []
    /// Every problem found, listed or not.
    public private(set) var count = 0
    public let cap: Int

    /// Problems listed with their text by default (the rest are counted).
    public static let defaultCap = 50

    public init(cap: Int = FieldErrors.defaultCap) { self.cap = cap }

    public var isEmpty: Bool { count == 0 }

    /// Records a problem; its text is made only while it will be listed.
    public mutating func append(_ error: @autoclosure () -> FieldError) {
        if listed.count < cap { listed.append(error()) }
        count += 1
    }

    public mutating func append(contentsOf other: FieldErrors) {
        for e in other.listed { append(e) }
        count += other.count - other.listed.count
    }

    public func makeIterator() -> IndexingIterator<[FieldError]> { listed.makeIterator() }

    /// A name or key from the request as it is shown in a problem: at most 64 characters (then `…`), so
    /// a long key cannot make a long answer.
    package static func shown(_ text: String) -> String {
        text.unicodeScalars.count <= 64 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(64))) + "…"
    }
}

/// The limits on a submission's content; each is documented in the README and tested at its value.
public struct ResponseLimits: Sendable {
    /// Longest comment, suggestion or text answer, in Unicode code points (as `maxLength` counts them in
    /// consultation-response.schema.json).
    public var maxTextLength = 10_000
    /// Most choices in a multiple-choice answer.
    public var maxChoices = 100
    /// Longest e-mail address, in bytes (`EmailAddress.maxBytes`, RFC 5321's limit).
    public var maxEmailBytes = EmailAddress.maxBytes
    /// Longest organisation name, in Unicode code points (a question's `maxLength` may only lower it).
    public var maxOrganisationLength = 300
    public init() {}
}

extension ResponseContent {
    /// Reads the API's JSON body. Syntax errors are reported by the caller (400); here every shape problem
    /// becomes a field error (422). Unknown members are errors, as in the response schema.
    package static func fromJSON(_ root: SyntaxNode, errors: inout FieldErrors) -> ResponseContent {
        var content = ResponseContent()
        guard root.kind == .object else {
            errors.append(FieldError("", "the body must be a JSON object"))
            return content
        }
        func value(_ node: SyntaxNode, _ pointer: String) -> AnswerValue? {
            switch node.kind {
            case .string: return .text(node.stringValue ?? "")
            case .number:
                guard let n = node.integerValue, let i = Int(exactly: n), abs(i) < 1_000_000 else {
                    errors.append(FieldError(pointer, "must be a whole number"))
                    return nil
                }
                return .number(i)
            case .array:
                var list: [String] = []
                for e in node.elements {
                    guard let s = e.stringValue else {
                        errors.append(FieldError(pointer, "must be a list of option values (strings)"))
                        return nil
                    }
                    list.append(s)
                }
                return .choices(list)
            case .null: return nil
            default:
                errors.append(FieldError(pointer, "must be a string, a list of strings, a whole number or null"))
                return nil
            }
        }
        for member in root.members {
            let name = member.name
            let v = member.value
            switch name {
            case "profile", "questions":
                guard v.kind == .object else {
                    errors.append(FieldError("/\(name)", "must be an object"))
                    continue
                }
                for m in v.members {
                    let pointer = "/\(name)/\(JSONPointerText.escape(FieldErrors.shown(m.name)))"
                    if let a = value(m.value, pointer) {
                        if name == "profile" {
                            content.profile.append((m.name, a))
                        } else {
                            content.questions.append((m.name, a))
                        }
                    }
                }
            case "answers":
                guard v.kind == .object else {
                    errors.append(FieldError("/answers", "must be an object"))
                    continue
                }
                for m in v.members {
                    let pointer = "/answers/\(JSONPointerText.escape(FieldErrors.shown(m.name)))"
                    guard m.value.kind == .object else {
                        errors.append(FieldError(pointer, "must be an object {rating, comment?, suggestion?}"))
                        continue
                    }
                    var answer = CriterionAnswer(rating: nil)
                    var hasRating = false
                    var ok = true
                    for f in m.value.members {
                        switch f.name {
                        case "rating":
                            hasRating = true
                            if f.value.kind == .null { break }
                            guard let n = f.value.integerValue, (1...5).contains(n) else {
                                errors.append(
                                    FieldError(pointer + "/rating", "must be a whole number from 1 to 5, or null for no opinion"))
                                ok = false
                                break
                            }
                            answer.rating = Int(n)
                        case "comment", "suggestion":
                            guard let s = f.value.stringValue else {
                                if f.value.kind != .null {
                                    errors.append(FieldError(pointer + "/" + f.name, "must be a string"))
                                    ok = false
                                }
                                break
                            }
                            if f.name == "comment" { answer.comment = s } else { answer.suggestion = s }
                        default:
                            errors.append(
                                FieldError(
                                    pointer + "/" + JSONPointerText.escape(FieldErrors.shown(f.name)),
                                    "unknown member `\(FieldErrors.shown(f.name))`"))
                            ok = false
                        }
                    }
                    if !hasRating {
                        errors.append(FieldError(pointer + "/rating", "a rating is required (1 to 5, or null for no opinion)"))
                        ok = false
                    }
                    if ok { content.answers.append((m.name, answer)) }
                }
            case "consent":
                guard v.kind == .object else {
                    errors.append(FieldError("/consent", "must be an object {privacyVersion, given: true}"))
                    continue
                }
                content.consentVersion = v.value(forKey: "privacyVersion")?.stringValue
                content.consentGiven = v.value(forKey: "given")?.boolValue == true
            default:
                errors.append(
                    FieldError(
                        "/" + JSONPointerText.escape(FieldErrors.shown(name)), "unknown member `\(FieldErrors.shown(name))`"))
            }
        }
        return content
    }

    /// Checks the content against the definition and puts it in the definition's order. Returns the
    /// normalised content (empty texts dropped, answers to hidden questions refused) and its errors.
    package func validated(against d: ConsultationDefinition, limits: ResponseLimits = ResponseLimits()) -> (
        ResponseContent, FieldErrors
    ) {
        var errors = FieldErrors()
        var out = ResponseContent()
        out.consentVersion = consentVersion
        out.consentGiven = consentGiven
        if !consentGiven {
            errors.append(FieldError("/consent/given", .consentRequired))
        } else if consentVersion != d.privacyVersion {
            errors.append(
                FieldError("/consent/privacyVersion", .privacyVersion(d.privacyVersion)))
        }
        func check(_ q: Question, _ value: AnswerValue?, _ pointer: String, visible: Bool) -> AnswerValue? {
            var value = value
            if case .text(let s)? = value, s.isEmpty || (q.type.isTyped && s.allSatisfy(\.isWhitespace)) { value = nil }
            if case .choices(let list)? = value, list.isEmpty { value = nil }
            guard let value else {
                if q.required && visible { errors.append(FieldError(pointer, .answerRequired)) }
                return nil
            }
            if !visible {
                errors.append(FieldError(pointer, .onlyForSomeAnswers(q.label)))
                return nil
            }
            switch (q.type, value) {
            case (.text, .text(let s)):
                let limit = min(q.maxLength ?? limits.maxTextLength, limits.maxTextLength)
                if s.unicodeScalars.count > limit {
                    errors.append(
                        FieldError(pointer, .tooLong(length: s.unicodeScalars.count, limit: limit)))
                    return nil
                }
                if let problem = ResponseContent.controlCharacterProblem(s) {
                    errors.append(FieldError(pointer, problem))
                    return nil
                }
                return value
            case (.email, .text(let raw)):
                // Spaces around an address are a copy-and-paste accident, not part of it.
                let s = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                if s.utf8.count > limits.maxEmailBytes {
                    errors.append(FieldError(pointer, .emailTooLong(bytes: s.utf8.count, limit: limits.maxEmailBytes)))
                    return nil
                }
                if let problem = EmailAddress.problem(s) {
                    errors.append(FieldError(pointer, .notAnEmail(FieldErrors.shown(s), problem)))
                    return nil
                }
                return .text(s)
            case (.organisation, .text(let s)):
                let limit = min(q.maxLength ?? limits.maxOrganisationLength, limits.maxOrganisationLength)
                if s.unicodeScalars.count > limit {
                    errors.append(FieldError(pointer, .tooLong(length: s.unicodeScalars.count, limit: limit)))
                    return nil
                }
                if s.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 0x7F }) {
                    errors.append(FieldError(pointer, .oneLine))
                    return nil
                }
                return value
            case (.singleChoice, .text(let s)):
                guard q.options.contains(where: { $0.value == s }) else {
                    errors.append(FieldError(pointer, .chooseOne))
                    return nil
                }
                return value
            case (.multipleChoice, .choices(let list)):
                if list.count > limits.maxChoices || Set(list).count != list.count
                    || !list.allSatisfy({ v in q.options.contains { $0.value == v } })
                {
                    errors.append(FieldError(pointer, .chooseAmong))
                    return nil
                }
                // Keep the options' order so equal answers compare equal.
                return .choices(q.options.map(\.value).filter { list.contains($0) })
            case (.likert, .number(let n)):
                guard let s = q.scale, (s.min...s.max).contains(n) else {
                    errors.append(FieldError(pointer, .wholeNumber(min: q.scale?.min ?? 0, max: q.scale?.max ?? 0)))
                    return nil
                }
                return value
            default:
                let expected =
                    switch q.type {
                    case .text, .singleChoice, .email, .organisation: "a string"
                    case .multipleChoice: "a list of option values"
                    case .likert: "a whole number"
                    }
                errors.append(FieldError(pointer, "must be \(expected)"))
                return nil
            }
        }
        func visible(_ q: Question, profile: [(String, AnswerValue)]) -> Bool {
            guard let c = q.showIf else { return true }
            guard let v = profile.first(where: { $0.0 == c.question })?.1 else { return false }
            switch v {
            case .text(let s): return c.values.contains(s)
            case .choices(let list): return list.contains { c.values.contains($0) }
            case .number(let n): return c.values.contains(String(n))
            }
        }
        for (id, _) in profile where d.profileQuestion(id) == nil {
            let shown = FieldErrors.shown(id)
            errors.append(FieldError("/profile/\(JSONPointerText.escape(shown))", "unknown profile question `\(shown)`"))
        }
        for (id, _) in questions where d.freeQuestion(id) == nil {
            let shown = FieldErrors.shown(id)
            errors.append(FieldError("/questions/\(JSONPointerText.escape(shown))", "unknown question `\(shown)`"))
        }
        for (id, _) in answers where d.item(id) == nil {
            let shown = FieldErrors.shown(id)
            errors.append(
                FieldError("/answers/\(JSONPointerText.escape(shown))", "`\(shown)` is not a criterion of this consultation"))
        }
        // Visibility depends only on the profile answers given (the form cannot hide questions without them).
        let givenProfile = profile
        for q in d.profile {
            if let v = check(q, profileValue(q.id), "/profile/\(q.id)", visible: visible(q, profile: givenProfile)) {
                out.profile.append((q.id, v))
            }
        }
        for q in d.questions {
            if let v = check(q, questionValue(q.id), "/questions/\(q.id)", visible: visible(q, profile: givenProfile)) {
                out.questions.append((q.id, v))
            }
        }
        let given = Dictionary(answers.map { ($0.0, $0.1) }, uniquingKeysWith: { _, last in last })
        for c in d.items {
            guard var a = given[c.id] else { continue }
            for (name, text) in [("comment", a.comment), ("suggestion", a.suggestion)] {
                guard let text else { continue }
                if text.unicodeScalars.count > limits.maxTextLength {
                    errors.append(
                        FieldError(
                            "/answers/\(c.id)/\(name)", .tooLong(length: text.unicodeScalars.count, limit: limits.maxTextLength)))
                } else if let problem = ResponseContent.controlCharacterProblem(text) {
                    errors.append(FieldError("/answers/\(c.id)/\(name)", problem))
                }
            }
            if a.comment?.allSatisfy(\.isWhitespace) == true { a.comment = nil }
            if a.suggestion?.allSatisfy(\.isWhitespace) == true { a.suggestion = nil }
            out.answers.append((c.id, a))
        }
        return (out, errors)
    }
}

extension ResponseContent {
    /// Texts may hold tabs and line breaks but no other control character (U+0000 to U+001F): they mean
    /// nothing in a comment and break the tools analysts read exports with (a NUL ends a C string).
    package static func controlCharacterProblem(_ text: String) -> FieldProblem? {
        guard let bad = text.unicodeScalars.first(where: { $0.value < 32 && $0 != "\t" && $0 != "\n" && $0 != "\r" }) else {
            return nil
        }
        let code = String(bad.value, radix: 16, uppercase: true)
        return .controlCharacter("U+\(String(repeating: "0", count: 4 - code.count))\(code)")
    }
}

/// RFC 6901 escaping of one reference token.
package enum JSONPointerText {
    package static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        return token.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1")
    }
}

extension String {
    /// Replaces every occurrence of `a` (stdlib only; Foundation's version allocates bridging objects).
    package func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard !a.isEmpty, contains(a) else { return self }
        var out = ""
        var rest = self[...]
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound]
            out += b
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
