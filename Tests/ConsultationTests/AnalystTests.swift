import Criteria
import Foundation
import HTMLText
import HTTP
import HTTPTestSupport
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// A small consultation answered on three days by respondents the test itself describes, so every number
/// the statistics and the report show can be recomputed here from the raw answers, independently.
struct Panel {
    struct Respondent {
        var group: String
        var country: String
        var day: Int
        /// Criterion id → rating (nil: no opinion); criteria absent were not answered.
        var ratings: [(String, Int?)]
        var comments: [String: String]
        var suggestions: [String: String]

        var json: String {
            var answers: [String: Any] = [:]
            for (id, rating) in ratings {
                var a: [String: Any] = ["rating": rating.map { $0 as Any } ?? NSNull()]
                if let c = comments[id] { a["comment"] = c }
                if let s = suggestions[id] { a["suggestion"] = s }
                answers[id] = a
            }
            let body: [String: Any] = [
                "profile": [
                    "capacity": "individual", "stakeholderGroup": group, "familiarity": 3,
                    "country": "http://publications.europa.eu/resource/authority/country/\(country)",
                ],
                "answers": answers, "consent": ["privacyVersion": "1", "given": true],
            ]
            return String(decoding: try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    static let hostile = [
        "=HYPERLINK(\"http://evil.example\",\"click\")", "<script>alert(1)</script>", "comma, \"quote\"", "two\nlines",
        "هذا المعيار غير واضح", "זה לא ברור", "emoji 😀 and tab\tinside", "+1", "-1", "@mention",
    ]

    let criteria: [String]
    var respondents: [Respondent] = []

    /// 31 respondents: 18 academics, 9 employers, 4 learners (a group under 5: suppressed), from BEL, DEU
    /// and 3 from FRA (suppressed); ratings from a fixed pattern with gaps and "no opinion".
    init(criteria: [String]) {
        self.criteria = criteria
        for i in 0..<31 {
            let group = i < 18 ? "academic" : i < 27 ? "employer" : "learner"
            let country = i < 3 ? "FRA" : i % 2 == 0 ? "BEL" : "DEU"
            var ratings: [(String, Int?)] = []
            for (k, id) in criteria.enumerated() {
                let v = (i * (k + 2) + k) % 7
                if v == 6 { continue }  // not answered
                ratings.append((id, v == 0 ? nil : min(5, v)))
            }
            var comments: [String: String] = [:], suggestions: [String: String] = [:]
            if i % 3 == 0 { comments[criteria[i % criteria.count]] = Panel.hostile[i % Panel.hostile.count] }
            if i % 4 == 1 {
                suggestions[criteria[(i + 1) % criteria.count]] =
                    "Rewording \(i): " + Panel.hostile[(i + 3) % Panel.hostile.count]
            }
            // The commented criterion must be answered for the comment to count.
            for id in Set(comments.keys).union(suggestions.keys) where !ratings.contains(where: { $0.0 == id }) {
                ratings.append((id, 4))
            }
            respondents.append(
                Respondent(
                    group: group, country: country, day: i / 11, ratings: ratings, comments: comments, suggestions: suggestions))
        }
    }

    /// Posts every respondent on its day, then posts respondent 5 again (flagged as a duplicate).
    func post(to c: TestCollector) throws -> (ids: [String], duplicateID: String, editToken: String) {
        var ids: [String] = []
        var token = ""
        for r in respondents {
            c.clock.now = testOpensAt.adding(seconds: 3600 + Int64(r.day) * 86_400)
            let created = try c.postJSON("/api/v1/responses", r.json)
            #expect(created.status == 201, "\(created.text)")
            ids.append(try #require(created.json?.string("id")))
            token = try #require(created.json?.string("editToken"))
        }
        let again = try c.postJSON("/api/v1/responses", respondents[5].json)
        #expect(again.status == 201)
        return (ids, try #require(again.json?.string("id")), token)
    }

    struct Expected {
        var n = 0, noOpinion = 0, comments = 0, suggestions = 0
        var ratings: [Int] = []
        var distribution: [Int] { (1...5).map { r in ratings.filter { $0 == r }.count } }
        var median: Double? {
            guard !ratings.isEmpty else { return nil }
            let s = ratings.sorted()
            return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        var share: Double? { ratings.isEmpty ? nil : Double(ratings.filter { $0 >= 4 }.count) / Double(ratings.count) }
        var shareLow: Double { ratings.isEmpty ? 0 : Double(ratings.filter { $0 <= 2 }.count) / Double(ratings.count) }
    }

    func expected(_ id: String, among chosen: [Respondent]? = nil) -> Expected {
        var e = Expected()
        for r in chosen ?? respondents {
            guard let answer = r.ratings.first(where: { $0.0 == id }) else { continue }
            if let rating = answer.1 { e.ratings.append(rating) } else { e.noOpinion += 1 }
            if r.comments[id] != nil { e.comments += 1 }
            if r.suggestions[id] != nil { e.suggestions += 1 }
        }
        e.n = e.ratings.count
        return e
    }
}

/// Rounds as the statistics JSON does (4 decimals), computed here on its own.
func fourDecimals(_ d: Double?) -> Double? { d.map { ($0 * 10_000).rounded() / 10_000 } }

@Suite(.serialized) struct AnalystTests {
    let bearer = [("Authorization", "Bearer \(TestCollector.analystToken)")]

    @Test func statisticsEqualNumbersComputedFromTheRawAnswers() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let panel = Panel(criteria: Array(c.definition.items.prefix(6).map(\.id)))
        let posted = try panel.post(to: c)
        let stats = try #require(try c.request("GET", "/api/v1/statistics", headers: bearer).json)
        #expect(stats["responses"] as? Int == panel.respondents.count, "the flagged duplicate is not counted")
        #expect(stats["flaggedDuplicates"] as? Int == 1)
        let duplicates = try #require(stats["duplicates"] as? [[String: Any]])
        #expect(duplicates.first?.string("id") == posted.duplicateID && duplicates.first?.string("duplicateOf") == posted.ids[5])

        let criteria = try #require(stats["criteria"] as? [[String: Any]])
        for id in panel.criteria {
            let e = panel.expected(id)
            let got = try #require(criteria.first { $0.string("id") == id })
            #expect(got["n"] as? Int == e.n, "\(id) n")
            #expect(got["noOpinion"] as? Int == e.noOpinion, "\(id) no opinion")
            #expect((1...5).map { got.object("distribution")?["\($0)"] as? Int ?? -1 } == e.distribution, "\(id) distribution")
            #expect(got["median"] as? Double == e.median, "\(id) median")
            #expect(got["shareAgree"] as? Double == fourDecimals(e.share), "\(id) share 4–5")
            #expect(got["comments"] as? Int == e.comments && got["suggestions"] as? Int == e.suggestions, "\(id) texts")
        }
        // Unrated criteria: zero everywhere.
        let untouched = try #require(criteria.first { $0.string("id") == c.definition.items[10].id })
        #expect(untouched["n"] as? Int == 0 && untouched["median"] is NSNull)

        // Most contested first: lowest share 4–5, then highest share 1–2, then most ratings, then id.
        let order = panel.criteria.sorted { a, b in
            let x = panel.expected(a), y = panel.expected(b)
            if x.share! != y.share! { return x.share! < y.share! }
            if x.shareLow != y.shareLow { return x.shareLow > y.shareLow }
            if x.n != y.n { return x.n > y.n }
            return a < b
        }
        #expect(Array((stats["mostContestedFirst"] as? [String] ?? []).prefix(panel.criteria.count)) == order)

        // Breakdown by stakeholder group: learners (4) suppressed; cells under 5 ratings suppressed.
        let breakdowns = try #require(stats["breakdowns"] as? [[String: Any]])
        let byGroup = try #require(breakdowns.first { $0.string("question") == "stakeholderGroup" })
        #expect(byGroup["suppressedGroups"] as? Int == 1 && byGroup["suppressedRespondents"] as? Int == 4)
        let groups = try #require(byGroup["groups"] as? [[String: Any]])
        #expect(groups.map { $0.string("value") ?? "" } == ["academic", "employer"])
        for g in groups {
            let members = panel.respondents.filter { $0.group == g.string("value") }
            #expect(g["respondents"] as? Int == members.count)
            for cell in g["criteria"] as? [[String: Any]] ?? [] {
                guard let id = cell.string("id"), panel.criteria.contains(id) else { continue }
                let e = panel.expected(id, among: members)
                if e.n < Statistics.minimumCellSize {
                    #expect(cell["suppressed"] as? Bool == true && cell["n"] is NSNull, "\(id) in \(g.string("value")!)")
                } else {
                    #expect(cell["n"] as? Int == e.n && cell["shareAgree"] as? Double == fourDecimals(e.share))
                }
            }
        }
        let byCountry = try #require(breakdowns.first { $0.string("question") == "country" })
        #expect((byCountry["groups"] as? [[String: Any]])?.count == 2 && byCountry["suppressedRespondents"] as? Int == 3)

        // Responses over time: 11, 11 and 9 on three consecutive days.
        let timeline = try #require(stats["timeline"] as? [[String: Any]])
        #expect(timeline.map { $0["responses"] as? Int ?? -1 } == [11, 11, 9])
    }

    @Test func theReportShowsTheSameNumbersTextsAndDuplicatesApart() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let panel = Panel(criteria: Array(c.definition.items.prefix(6).map(\.id)))
        let posted = try panel.post(to: c)
        let html = try c.request("GET", "/report", headers: bearer).text
        #expect(html.contains("<strong>\(panel.respondents.count)</strong> responses"))

        // The overview table: one row per criterion, most contested first, with the independent numbers.
        let table = try #require(html.range(of: "<caption>Ratings of every criterion (data of the chart)</caption>"))
        let rows = html[table.upperBound...].components(separatedBy: "</tbody>")[0].components(separatedBy: "</tr>")
        var seen: [String] = []
        for row in rows {
            guard let idRange = row.range(of: "href=\"#c-") else { continue }
            let id = String(row[idRange.upperBound...].prefix { $0 != "\"" })
            seen.append(id)
            guard panel.criteria.contains(id) else { continue }
            let cells = row.components(separatedBy: "<td>").dropFirst().map { String($0.prefix { $0 != "<" }) }
            let e = panel.expected(id)
            let median = e.median.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "–"
            let share = e.share.map { String(format: "%.1f\u{00A0}%%", ($0 * 1000).rounded() / 10) } ?? "–"
            #expect(
                cells == [String(e.n)] + e.distribution.map(String.init) + [
                    String(e.noOpinion), median, share, String(e.comments), String(e.suggestions),
                ],
                "\(id)")
        }
        let stats = try #require(try c.request("GET", "/api/v1/statistics", headers: bearer).json)
        #expect(seen == stats["mostContestedFirst"] as? [String], "the report's order is the statistics' order")

        // Each criterion has its own chart with a title and a description, and its comments, escaped.
        for id in panel.criteria {
            #expect(
                html.contains("<title id=\"d-\(id)-title\">Ratings of \(id)</title>")
                    && html.contains("<desc id=\"d-\(id)-desc\">"))
        }
        for r in panel.respondents {
            for text in Array(r.comments.values) + Array(r.suggestions.values) {
                #expect(html.contains(HTML.escape(text)), "\(text) is in the report")
            }
        }
        #expect(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("<li dir=\"auto\">هذا المعيار غير واضح</li>"))

        // Duplicates apart; small groups suppressed in the profile; no script, nothing fetched; printable.
        let apart = try #require(html.range(of: "<h2 id=\"duplicates\">"))
        #expect(html[apart.upperBound...].contains(posted.duplicateID) && !html[..<apart.lowerBound].contains(posted.duplicateID))
        #expect(html.contains("1 smaller group together</th><td>4</td>"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href=\"http"))
        #expect(html.contains("@media print"))
    }

    @Test func asOfCountsAndExportsOnlyWhatHadArrived() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let panel = Panel(criteria: Array(c.definition.items.prefix(6).map(\.id)))
        _ = try panel.post(to: c)
        let endOfFirstDay = testOpensAt.adding(seconds: 86_399).rfc3339
        let lines = try c.request("GET", "/api/v1/export?format=jsonl&as-of=\(endOfFirstDay)", headers: bearer).text
            .split(separator: "\n")
        #expect(lines.count == 11)
        let stats = try #require(try c.request("GET", "/api/v1/statistics?as-of=\(endOfFirstDay)", headers: bearer).json)
        #expect(stats["responses"] as? Int == 11 && stats["asOf"] as? String == endOfFirstDay)
        let firstDay = Array(panel.respondents.prefix(11))
        let mc = try #require((stats["criteria"] as? [[String: Any]])?.first { $0.string("id") == panel.criteria[0] })
        #expect(mc["n"] as? Int == panel.expected(panel.criteria[0], among: firstDay).n)
        // The same as-of gives the same bytes, even after more responses arrive.
        let before = try c.request("GET", "/api/v1/export?format=csv&as-of=\(endOfFirstDay)", headers: bearer).body
        c.clock.now = testOpensAt.adding(seconds: 10 * 86_400)
        #expect(try c.postJSON("/api/v1/responses", validResponseJSON(3)).status == 201)
        #expect(try c.request("GET", "/api/v1/export?format=csv&as-of=\(endOfFirstDay)", headers: bearer).body == before)
        #expect(try c.request("GET", "/api/v1/export?format=csv&as-of=yesterday", headers: bearer).status == 400)
    }

    @Test func analystEndpointsRefuseARespondentsEditToken() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let created = try c.postJSON("/api/v1/responses", validResponseJSON())
        let token = try #require(created.json?.string("editToken"))
        for path in ["/api/v1/export?format=csv", "/api/v1/statistics", "/report"] {
            #expect(try c.request("GET", path, headers: [("Authorization", "Bearer \(token)")]).status == 401, "\(path)")
        }
    }
}
