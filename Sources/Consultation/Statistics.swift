/// The numbers analysts read: per criterion the count of ratings, the distribution, the median, the share
/// rating 4–5, "no opinion" and comment counts; and breakdowns by profile answer, where any group or cell
/// with fewer than `minimumCellSize` respondents is suppressed. The API (`/api/v1/statistics`) and the
/// report are both rendered from this one value, so they cannot disagree.
public struct Statistics: Sendable {
    /// Groups and cells smaller than this are not shown (statistical disclosure control).
    public static let minimumCellSize = 5

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
    }

    public var consultationID: String
    public var catalogueVersion: String
    public var responses: Int
    public var duplicates: Int
    public var criteria: [CriterionSummary]
    public var breakdowns: [Breakdown]

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

    /// Computes everything with a few grouped queries on a read connection.
    static func compute(reader db: SQLiteConnection, definition d: ConsultationDefinition) throws -> Statistics {
        let id = SQLValue.text(d.id)
        let responses =
            try db.query("SELECT count(*), count(duplicate_of) FROM responses WHERE consultation_id = ?", [id]) {
                (Int($0.int(0)), Int($0.int(1)))
            }.first ?? (0, 0)
        var dist: [String: [Int]] = [:], noOpinion: [String: Int] = [:], comments: [String: Int] = [:],
            suggestions: [String: Int] = [:]
        try db.forEach(
            """
            SELECT a.criterion_id, a.rating, count(*), count(a.comment), count(a.suggestion)
            FROM answers a JOIN responses r ON r.seq = a.response_seq
            WHERE r.consultation_id = ? GROUP BY a.criterion_id, a.rating
            """, [id]
        ) { row in
            let c = row.text(0)
            if let rating = row.optionalInt(1), (1...5).contains(rating) {
                dist[c, default: [0, 0, 0, 0, 0]][Int(rating) - 1] += Int(row.int(2))
            } else {
                noOpinion[c, default: 0] += Int(row.int(2))
            }
            comments[c, default: 0] += Int(row.int(3))
            suggestions[c, default: 0] += Int(row.int(4))
        }
        var criteria: [CriterionSummary] = []
        for s in d.sections {
            for c in s.items {
                let dd = dist[c.id] ?? [0, 0, 0, 0, 0]
                criteria.append(
                    CriterionSummary(
                        id: c.id, title: c.title, section: s.id, n: dd.reduce(0, +), noOpinion: noOpinion[c.id] ?? 0,
                        distribution: dd,
                        median: median(dd), shareAgree: share(dd), comments: comments[c.id] ?? 0,
                        suggestions: suggestions[c.id] ?? 0))
            }
        }

        var breakdowns: [Breakdown] = []
        for q in d.profile where q.type == .singleChoice || q.type == .likert {
            var respondents: [String: Int] = [:]
            try db.forEach(
                """
                SELECT qa.value_json, count(*) FROM question_answers qa JOIN responses r ON r.seq = qa.response_seq
                WHERE r.consultation_id = ? AND qa.part = 'profile' AND qa.question_id = ? GROUP BY qa.value_json
                """, [id, .text(q.id)]
            ) { row in
                if let v = AnswerValue(json: row.text(0)) { respondents[v.cell, default: 0] += Int(row.int(1)) }
            }
            var cellDist: [String: [String: [Int]]] = [:]
            try db.forEach(
                """
                SELECT qa.value_json, a.criterion_id, a.rating, count(*)
                FROM answers a JOIN responses r ON r.seq = a.response_seq
                JOIN question_answers qa ON qa.response_seq = r.seq AND qa.part = 'profile' AND qa.question_id = ?
                WHERE r.consultation_id = ? AND a.rating IS NOT NULL GROUP BY qa.value_json, a.criterion_id, a.rating
                """, [.text(q.id), id]
            ) { row in
                guard let v = AnswerValue(json: row.text(0)), let rating = row.optionalInt(2), (1...5).contains(rating) else {
                    return
                }
                cellDist[v.cell, default: [:]][row.text(1), default: [0, 0, 0, 0, 0]][Int(rating) - 1] += Int(row.int(3))
            }
            var options = q.options
            if q.type == .likert, let s = q.scale {
                options = (s.min...s.max).map { ChoiceOption(value: String($0), label: String($0)) }
            }
            var groups: [Group] = []
            var suppressed = 0
            for o in options {
                guard let count = respondents[o.value], count > 0 else { continue }
                guard count >= minimumCellSize else {
                    suppressed += 1
                    continue
                }
                let cells = d.items.map { c -> Cell in
                    let dd = cellDist[o.value]?[c.id] ?? [0, 0, 0, 0, 0]
                    let n = dd.reduce(0, +)
                    return n >= minimumCellSize
                        ? Cell(criterion: c.id, n: n, median: median(dd), shareAgree: share(dd))
                        : Cell(criterion: c.id, n: nil, median: nil, shareAgree: nil)
                }
                groups.append(Group(value: o.value, label: o.label, respondents: count, cells: cells))
            }
            breakdowns.append(Breakdown(question: q.id, label: q.label, groups: groups, suppressedGroups: suppressed))
        }
        return Statistics(
            consultationID: d.id, catalogueVersion: d.catalogueVersion, responses: responses.0, duplicates: responses.1,
            criteria: criteria, breakdowns: breakdowns)
    }

    /// The JSON of `GET /api/v1/statistics`.
    public var json: JSONValue {
        func number(_ d: Double?) -> JSONValue { d.map { .double(($0 * 10_000).rounded() / 10_000) } ?? .null }
        return .object([
            ("consultationId", .string(consultationID)), ("catalogueVersion", .string(catalogueVersion)),
            ("responses", .int(Int64(responses))), ("flaggedDuplicates", .int(Int64(duplicates))),
            ("minimumCellSize", .int(Int64(Statistics.minimumCellSize))),
            (
                "criteria",
                .array(
                    criteria.map { c in
                        .object([
                            ("id", .string(c.id)), ("title", .string(c.title)), ("section", .string(c.section)),
                            ("n", .int(Int64(c.n))),
                            ("noOpinion", .int(Int64(c.noOpinion))),
                            ("distribution", .object(c.distribution.enumerated().map { (String($0 + 1), .int(Int64($1))) })),
                            ("median", number(c.median)), ("shareAgree", number(c.shareAgree)),
                            ("comments", .int(Int64(c.comments))), ("suggestions", .int(Int64(c.suggestions))),
                        ])
                    })
            ),
            (
                "breakdowns",
                .array(
                    breakdowns.map { b in
                        .object([
                            ("question", .string(b.question)), ("label", .string(b.label)),
                            ("suppressedGroups", .int(Int64(b.suppressedGroups))),
                            (
                                "groups",
                                .array(
                                    b.groups.map { g in
                                        .object([
                                            ("value", .string(g.value)), ("label", .string(g.label)),
                                            ("respondents", g.respondents.map { .int(Int64($0)) } ?? .null),
                                            (
                                                "criteria",
                                                .array(
                                                    g.cells.map { cell in
                                                        .object([
                                                            ("id", .string(cell.criterion)), ("suppressed", .bool(cell.n == nil)),
                                                            ("n", cell.n.map { .int(Int64($0)) } ?? .null),
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
        ])
    }
}
