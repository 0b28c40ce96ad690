public import CollectorStore
public import ConsultationDomain
import CriteriaCatalogue
public import JSONSyntax

/// The numbers analysts read: per criterion the count of ratings, the distribution, the median, the share
/// rating 4–5, "no opinion" and comment counts, and the first comments and suggested rewordings; the
/// respondent profile; responses over time; breakdowns by profile answer, where any group or cell with
/// fewer than `minimumCellSize` respondents is suppressed. The API (`/api/v1/statistics`) and the report
/// are both rendered from this one value, so they cannot disagree.
///
/// Responses flagged as identical to an earlier one are listed apart and left out of every number.
/// Everything comes from one pass of `ResponseStream`, the reader behind the exports.
public struct Statistics: Sendable {
    /// Groups and cells smaller than this are not shown (statistical disclosure control).
    public static let minimumCellSize = 5
    /// Comments (and, separately, suggested rewordings) kept per criterion for the report, the first ones in
    /// arrival order; the export has them all.
    public static let textsPerCriterion = 100
    /// Flagged duplicates listed by id; past this many only their number is given.
    public static let duplicatesListed = 1000

    public struct CriterionSummary: Sendable {
        public var id: String
        public var title: String
        public var section: String
        /// Ratings 1…5 given (no opinion excluded).
        public var n: Int
        public var noOpinion: Int
        /// Counts of ratings 1…5.
        public var distribution: [Int]
        public var median: Double?
        /// Share of ratings that are 4 or 5, among the n ratings.
        public var shareAgree: Double?
        public var comments: Int
        public var suggestions: Int
        /// The first `textsPerCriterion` comments and suggested rewordings, in arrival order.
        public var commentTexts: [String] = []
        public var suggestionTexts: [String] = []
    }

    public struct Cell: Sendable {
        public var criterion: String
        /// Nil when suppressed.
        public var n: Int?
        public var median: Double?
        public var shareAgree: Double?
    }

    public struct Group: Sendable {
        public var value: String
        public var label: String
        /// Nil when suppressed (fewer than `minimumCellSize` respondents).
        public var respondents: Int?
        public var cells: [Cell]
    }

    public struct Breakdown: Sendable {
        public var question: String
        public var label: String
        public var groups: [Group]
        /// Groups left out because they are smaller than `minimumCellSize`.
        public var suppressedGroups: Int
        /// Respondents in the suppressed groups together, and those who did not answer the question.
        public var suppressedRespondents: Int
        public var notAnswered: Int
    }

    /// A response flagged as identical to an earlier one.
    public struct Duplicate: Sendable {
        public var id: String
        public var duplicateOf: String
        public var receivedAt: Timestamp
    }

    /// Responses received in one period (a day, or a week on long consultations), UTC.
    public struct Period: Sendable {
        public var start: Timestamp
        public var days: Int
        public var responses: Int
    }

    public var consultationID: String
    public var catalogueVersion: String
    /// Only responses received at or before this time were counted (nil: all).
    public var asOf: Timestamp?
    /// Responses counted (flagged duplicates excluded).
    public var responses: Int
    /// All flagged duplicates' number, and the first `duplicatesListed` of them.
    public var duplicates: Int
    public var duplicateList: [Duplicate]
    /// Criteria in the definition's order.
    public var criteria: [CriterionSummary]
    public var breakdowns: [Breakdown]
    public var timeline: [Period]

    /// The criteria most contested first: the lowest share rating 4–5, then the highest share rating 1–2,
    /// then the most ratings; criteria nobody rated come last.
    public var criteriaByContest: [CriterionSummary] {
        func low(_ c: CriterionSummary) -> Double { c.n == 0 ? 0 : Double(c.distribution[0] + c.distribution[1]) / Double(c.n) }
        return criteria.sorted { a, b in
            switch (a.shareAgree, b.shareAgree) {
            case (nil, nil): return a.id < b.id
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                if x != y { return x < y }
                if low(a) != low(b) { return low(a) > low(b) }
                if a.n != b.n { return a.n > b.n }
                return a.id < b.id
            }
        }
    }

    static func median(_ distribution: [Int]) -> Double? {
        let n = distribution.reduce(0, +)
        guard n > 0 else { return nil }
        func value(at index: Int) -> Int {
            var seen = 0
            for (i, c) in distribution.enumerated() {
                seen += c
                if index < seen { return i + 1 }
            }
            return distribution.count
        }
        return n % 2 == 1 ? Double(value(at: n / 2)) : Double(value(at: n / 2 - 1) + value(at: n / 2)) / 2
    }

    static func share(_ distribution: [Int]) -> Double? {
        let n = distribution.reduce(0, +)
        guard n > 0 else { return nil }
        return Double(distribution[3] + distribution[4]) / Double(n)
    }

    /// The questions broken down: single-choice and Likert profile questions, and, for a consultation in
    /// several languages, the language of the response (last, as the pseudo-question `language`).
    static func breakdownQuestions(_ d: ConsultationDefinition) -> [(question: Question, options: [ChoiceOption])] {
        var list = d.profile.filter { $0.type == .singleChoice || $0.type == .likert }.map { q in
            if q.type == .likert, let s = q.scale {
                return (q, (s.min...s.max).map { ChoiceOption(value: String($0), label: String($0)) })
            }
            return (q, q.options)
        }
        if d.languages.count > 1 {
            let q = Question(
                id: "language", type: .singleChoice, label: "Language of the response", help: nil, required: false, options: [],
                scale: nil, maxLength: nil, showIf: nil)
            list.append((q, d.languages.map { ChoiceOption(value: $0, label: Codebook.languageName($0)) }))
        }
        return list
    }

    /// Computes everything in one pass over the responses (memory: counters, and the kept texts).
    public static func compute(reader db: ResponseReader, definition d: ConsultationDefinition, asOf: Timestamp? = nil) throws
        -> Statistics
    {
        let items = d.items
        let itemCount = items.count
        let questions = breakdownQuestions(d)
        let languageBreakdown = d.languages.count > 1 ? questions.count - 1 : nil
        let optionIndex = questions.map { q in
            Dictionary(q.options.enumerated().map { ($1.value, $0) }, uniquingKeysWith: { a, _ in a })
        }
        // Counters in flat arrays: ratings [item][rating], and per breakdown [option][item][rating].
        var ratings = [Int](repeating: 0, count: itemCount * 5)
        var noOpinion = [Int](repeating: 0, count: itemCount)
        var comments = [Int](repeating: 0, count: itemCount), suggestions = [Int](repeating: 0, count: itemCount)
        var commentTexts = [[String]](repeating: [], count: itemCount)
        var suggestionTexts = [[String]](repeating: [], count: itemCount)
        var respondents = questions.map { [Int](repeating: 0, count: $0.options.count) }
        var notAnswered = [Int](repeating: 0, count: questions.count)
        var cellRatings = questions.map { [Int](repeating: 0, count: $0.options.count * itemCount * 5) }
        var responses = 0, duplicates = 0
        var duplicateList: [Duplicate] = []
        var perDay: [Int64: Int] = [:]
        var chosen = [Int?](repeating: nil, count: questions.count)

        try db.forEach(definition: d, asOf: asOf) { r in
            if let original = r.duplicateOf {
                duplicates += 1
                if duplicateList.count < duplicatesListed {
                    duplicateList.append(Duplicate(id: r.id, duplicateOf: original, receivedAt: r.receivedAt))
                }
                return
            }
            responses += 1
            perDay[r.receivedAt.milliseconds.floorDivided(by: 86_400_000).0, default: 0] += 1
            for (k, q) in questions.enumerated() {
                let value = k == languageBreakdown ? r.language : r.content.profileValue(q.question.id)?.cell
                if let value, let o = optionIndex[k][value] {
                    chosen[k] = o
                    respondents[k][o] += 1
                } else {
                    chosen[k] = nil
                    notAnswered[k] += 1
                }
            }
            for (id, a) in r.content.answers {
                guard let i = d.position(ofItem: id) else { continue }
                if let rating = a.rating, (1...5).contains(rating) {
                    ratings[i * 5 + rating - 1] += 1
                    for k in 0..<questions.count {
                        if let o = chosen[k] { cellRatings[k][(o * itemCount + i) * 5 + rating - 1] += 1 }
                    }
                } else {
                    noOpinion[i] += 1
                }
                if let c = a.comment {
                    comments[i] += 1
                    if commentTexts[i].count < textsPerCriterion { commentTexts[i].append(c) }
                }
                if let s = a.suggestion {
                    suggestions[i] += 1
                    if suggestionTexts[i].count < textsPerCriterion { suggestionTexts[i].append(s) }
                }
            }
        }

        var criteria: [CriterionSummary] = []
        for s in d.sections {
            for c in s.items {
                guard let i = d.position(ofItem: c.id) else { continue }
                let dd = Array(ratings[i * 5..<i * 5 + 5])
                criteria.append(
                    CriterionSummary(
                        id: c.id, title: c.title, section: s.id, n: dd.reduce(0, +), noOpinion: noOpinion[i],
                        distribution: dd, median: median(dd), shareAgree: share(dd), comments: comments[i],
                        suggestions: suggestions[i], commentTexts: commentTexts[i], suggestionTexts: suggestionTexts[i]))
            }
        }

        var breakdowns: [Breakdown] = []
        for (k, q) in questions.enumerated() {
            var groups: [Group] = []
            var suppressed = 0, suppressedRespondents = 0
            for (o, option) in q.options.enumerated() {
                let count = respondents[k][o]
                guard count > 0 else { continue }
                guard count >= minimumCellSize else {
                    suppressed += 1
                    suppressedRespondents += count
                    continue
                }
                let cells = items.enumerated().map { i, c -> Cell in
                    let base = (o * itemCount + i) * 5
                    let dd = Array(cellRatings[k][base..<base + 5])
                    let n = dd.reduce(0, +)
                    return n >= minimumCellSize
                        ? Cell(criterion: c.id, n: n, median: median(dd), shareAgree: share(dd))
                        : Cell(criterion: c.id, n: nil, median: nil, shareAgree: nil)
                }
                groups.append(Group(value: option.value, label: option.label, respondents: count, cells: cells))
            }
            breakdowns.append(
                Breakdown(
                    question: q.question.id, label: q.question.label, groups: groups, suppressedGroups: suppressed,
                    suppressedRespondents: suppressedRespondents, notAnswered: notAnswered[k]))
        }
        return Statistics(
            consultationID: d.id, catalogueVersion: d.catalogueVersion, asOf: asOf, responses: responses,
            duplicates: duplicates, duplicateList: duplicateList, criteria: criteria, breakdowns: breakdowns,
            timeline: timeline(perDay))
    }

    /// Responses per UTC day from the first day with a response to the last, days without any included;
    /// consultations longer than `dailyTimelineLimit` days are counted by week instead.
    static let dailyTimelineLimit = 62

    static func timeline(_ perDay: [Int64: Int]) -> [Period] {
        guard let first = perDay.keys.min(), let last = perDay.keys.max() else { return [] }
        let width: Int64 = last - first + 1 > Int64(dailyTimelineLimit) ? 7 : 1
        return stride(from: first, through: last, by: Int(width)).map { day in
            Period(
                start: Timestamp(milliseconds: day * 86_400_000), days: Int(width),
                responses: (day..<day + width).reduce(0) { $0 + (perDay[$1] ?? 0) })
        }
    }

    /// The JSON of `GET /api/v1/statistics`.
    public var json: JSONValue {
        func number(_ d: Double?) -> JSONValue { d.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null }
        return .object([
            ("consultationId", .string(consultationID)), ("catalogueVersion", .string(catalogueVersion)),
            ("asOf", asOf.map { .string($0.rfc3339) } ?? .null),
            ("responses", .int(responses)), ("flaggedDuplicates", .int(duplicates)),
            ("minimumCellSize", .int(Statistics.minimumCellSize)),
            (
                "timeline",
                .array(
                    timeline.map { p in
                        .object([
                            ("start", .string(p.start.rfc3339)), ("days", .int(p.days)),
                            ("responses", .int(p.responses)),
                        ])
                    })
            ),
            ("mostContestedFirst", .array(criteriaByContest.map { .string($0.id) })),
            (
                "criteria",
                .array(
                    criteria.map { c in
                        .object([
                            ("id", .string(c.id)), ("title", .string(c.title)), ("section", .string(c.section)),
                            ("n", .int(c.n)),
                            ("noOpinion", .int(c.noOpinion)),
                            ("distribution", .object(c.distribution.enumerated().map { (String($0 + 1), .int($1)) })),
                            ("median", number(c.median)), ("shareAgree", number(c.shareAgree)),
                            ("comments", .int(c.comments)), ("suggestions", .int(c.suggestions)),
                        ])
                    })
            ),
            (
                "breakdowns",
                .array(
                    breakdowns.map { b in
                        .object([
                            ("question", .string(b.question)), ("label", .string(b.label)),
                            ("suppressedGroups", .int(b.suppressedGroups)),
                            ("suppressedRespondents", .int(b.suppressedRespondents)),
                            ("notAnswered", .int(b.notAnswered)),
                            (
                                "groups",
                                .array(
                                    b.groups.map { g in
                                        .object([
                                            ("value", .string(g.value)), ("label", .string(g.label)),
                                            ("respondents", g.respondents.map { .int($0) } ?? .null),
                                            (
                                                "criteria",
                                                .array(
                                                    g.cells.map { cell in
                                                        .object([
                                                            ("id", .string(cell.criterion)), ("suppressed", .bool(cell.n == nil)),
                                                            ("n", cell.n.map { .int($0) } ?? .null),
                                                            ("median", number(cell.median)),
                                                            ("shareAgree", number(cell.shareAgree)),
                                                        ])
                                                    })
                                            ),
                                        ])
                                    })
                            ),
                        ])
                    })
            ),
            (
                "duplicates",
                .array(
                    duplicateList.map { d in
                        .object([
                            ("id", .string(d.id)), ("duplicateOf", .string(d.duplicateOf)),
                            ("receivedAt", .string(d.receivedAt.rfc3339)),
                        ])
                    })
            ),
        ])
    }
}
