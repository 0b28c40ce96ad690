import Criteria
import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// The JSON API over real sockets on loopback: the respondent's journey, idempotency, tokens, the window.
@Suite(.serialized) struct APITests {
    @Test func respondentJourneyThroughTheAPI() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let consultation = try c.request("GET", "/api/v1/consultation")
        #expect(consultation.status == 200)
        let info = try #require(consultation.json)
        #expect(info.string("state") == "open")
        #expect(info.string("catalogueVersion") == Catalogue.standard.version)
        let items = try #require(info["items"] as? [[String: Any]])
        #expect(items.count == c.definition.items.count && items.count > 40)
        #expect(items.first?.string("text") == Catalogue.standard["MC-01"]?.requirement)

        let created = try c.postJSON("/api/v1/responses", validResponseJSON(), key: "journey-1")
        #expect(created.status == 201)
        let receipt = try #require(created.json)
        let id = try #require(receipt.string("id")), token = try #require(receipt.string("editToken"))
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
        #expect(created.header("Location") == "/api/v1/responses/\(id)")

        let view = try c.request("GET", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer \(token)")])
        #expect(view.status == 200)
        let stored = try #require(view.json)
        #expect(stored.object("answers")?.object("MC-01")?["rating"] as? Int == 1)
        #expect(stored.object("answers")?.object("MC-02")?["rating"] is NSNull)
        #expect(stored.object("answers")?.object("LO-01")?.string("suggestion") == "Say \"must\".")
        #expect(stored.object("consent")?.string("privacyVersion") == "1")

        let edited = try c.postJSON("/api/v1/responses/\(id)", validResponseJSON(3), token: token, method: "PUT")
        #expect(edited.status == 200)
        #expect(edited.json?.object("answers")?.object("MC-01")?["rating"] as? Int == 4)
        let again = try c.request("GET", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer \(token)")])
        #expect(again.json?.object("answers")?.object("MC-01")?["rating"] as? Int == 4)

        let deleted = try c.request("DELETE", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer \(token)")])
        #expect(deleted.status == 204)
        // Replaying the original submission does not bring the withdrawn response back.
        #expect(try c.postJSON("/api/v1/responses", validResponseJSON(), key: "journey-1").status == 410)
        let gone = try c.request("GET", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer \(token)")])
        #expect(gone.status == 404)
        #expect(try c.store.responseCount() == 0)
    }

    @Test func idempotentReplaysAndConflicts() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let first = try c.postJSON("/api/v1/responses", validResponseJSON(1), key: "same-key")
        #expect(first.status == 201)
        let replay = try c.postJSON("/api/v1/responses", validResponseJSON(1), key: "same-key")
        #expect(replay.status == 200)
        #expect(replay.body == first.body)
        let conflict = try c.postJSON("/api/v1/responses", validResponseJSON(2), key: "same-key")
        #expect(conflict.status == 409)
        #expect(conflict.json?.object("error")?.string("code") == "idempotency-key-reused")
        // The replayed edit token works.
        let token = try #require(replay.json?.string("editToken")), id = try #require(replay.json?.string("id"))
        #expect(try c.request("GET", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer \(token)")]).status == 200)
        // Another key: a new response (flagged as a duplicate of the first, not dropped).
        let other = try c.postJSON("/api/v1/responses", validResponseJSON(1), key: "other-key")
        #expect(other.status == 201)
        #expect(try c.store.responseCount() == 2)
        // Concurrent replays of one key: exactly one 201, the rest 200 with the same body.
        let statuses = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let r = try? c.postJSON("/api/v1/responses", validResponseJSON(4), key: "raced-key") {
                statuses.add(r.status, r.body)
            }
        }
        #expect(statuses.statuses.sorted() == [200, 200, 200, 200, 200, 200, 200, 201])
        #expect(Set(statuses.bodies).count == 1)
        #expect(try c.store.responseCount() == 3)
        // The idempotency record does not hold the edit token in clear.
        let token3 = try #require(
            (try JSONSerialization.jsonObject(with: Data(statuses.bodies[0])) as? [String: Any])?["editToken"] as? String)
        let dump =
            try String(contentsOfFile: c.databasePath, encoding: .isoLatin1)
            + ((try? String(contentsOfFile: c.databasePath + "-wal", encoding: .isoLatin1)) ?? "")
        #expect(!dump.contains(token3) && !dump.contains(token))
    }

    @Test func aTokenFromOneResponseDoesNotOpenAnother() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let a = try #require(try c.postJSON("/api/v1/responses", validResponseJSON(1)).json)
        let b = try #require(try c.postJSON("/api/v1/responses", validResponseJSON(2)).json)
        let idA = try #require(a.string("id")), tokenB = try #require(b.string("editToken"))
        let auth = [("Authorization", "Bearer \(tokenB)")]
        #expect(try c.request("GET", "/api/v1/responses/\(idA)", headers: auth).status == 404)
        #expect(try c.postJSON("/api/v1/responses/\(idA)", validResponseJSON(3), token: tokenB, method: "PUT").status == 404)
        #expect(try c.request("DELETE", "/api/v1/responses/\(idA)", headers: auth).status == 404)
        #expect(try c.request("GET", "/api/v1/responses/\(idA)").status == 404)
        #expect(try c.request("GET", "/api/v1/responses/00000000000000000000000000000000", headers: auth).status == 404)
        // The form's edit page and withdrawal too.
        #expect(try c.request("GET", "/edit/\(idA)?token=\(tokenB)").status == 404)
        #expect(try c.store.responseCount() == 2)
    }

    /// Every write path answers 409 one second after closing and before opening, and works one second before.
    @Test func closingTimeIsEnforcedOnEveryWritePath() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let closes = c.definition.closesAt
        c.clock.now = closes.adding(seconds: -1)
        let created = try #require(try c.postJSON("/api/v1/responses", validResponseJSON(1)).json)
        let id = try #require(created.string("id")), token = try #require(created.string("editToken"))
        #expect(try c.postJSON("/api/v1/responses/\(id)", validResponseJSON(2), token: token, method: "PUT").status == 200)
        let form = try FormSession(c)
        #expect(try form.submit(form.validFields()).status == 200)

        for instant in [closes.adding(seconds: 1), closes, testOpensAt.adding(seconds: -1)] {
            c.clock.now = instant
            #expect(try c.postJSON("/api/v1/responses", validResponseJSON(3)).status == 409, "POST at \(instant)")
            #expect(try c.postJSON("/api/v1/responses", validResponseJSON(3), key: "late").status == 409)
            #expect(
                try c.postJSON("/api/v1/responses", "{\"answers\": 5}").status == 409, "an invalid body is still 409 when closed")
            #expect(try c.postJSON("/api/v1/responses/\(id)", validResponseJSON(4), token: token, method: "PUT").status == 409)
            #expect(
                try c.request("DELETE", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer \(token)")]).status == 409)
            #expect(try form.submit(form.validFields()).status == 409)
            #expect(try form.submit(form.validFields(action: "draft")).status == 409)
            #expect(try form.post("/edit/\(id)", form.validFields() + [("token", token)]).status == 409)
            #expect(try form.post("/edit/\(id)/withdraw", [("token", token), ("confirm", "yes")]).status == 409)
            let page = try c.request("GET", "/")
            #expect(page.text.contains(instant < testOpensAt ? "opens on" : "closed on"))
        }
        // Nothing was written while closed: still the API response and the form response.
        #expect(try c.store.responseCount() == 2)
        c.clock.now = testOpensAt
        #expect(try c.postJSON("/api/v1/responses", validResponseJSON(5)).status == 201, "open exactly at opensAt")
    }

    @Test func invalidAnswersGetFieldErrorsAndMalformedJSONItsPosition() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let invalid = try c.postJSON(
            "/api/v1/responses",
            """
            {"profile": {"capacity": "robot", "familiarity": 9, "nope": "x"}, "answers": {"MC-01": {"rating": 6}, "ZZ-99": {"rating": 1},
             "MC-02": {"comment": "no rating"}}, "consent": {"privacyVersion": "0", "given": true}}
            """)
        #expect(invalid.status == 422)
        let pointers = Set(
            (invalid.json?.object("error")?["fields"] as? [[String: Any]] ?? []).compactMap { $0.string("pointer") })
        for p in [
            "/profile/capacity", "/profile/familiarity", "/profile/nope", "/answers/MC-01/rating", "/answers/ZZ-99",
            "/answers/MC-02/rating", "/consent/privacyVersion", "/profile/country", "/profile/stakeholderGroup",
        ] {
            #expect(pointers.contains(p), "missing error for \(p)")
        }
        let malformed = try c.postJSON("/api/v1/responses", "{\n  \"answers\": {\"MC-01\": {\"rating\": 5,}}\n}")
        #expect(malformed.status == 400)
        let e = try #require(malformed.json?.object("error"))
        #expect(e.string("code") == "malformed-json" && e["line"] as? Int == 2)
        #expect(try c.postJSON("/api/v1/responses", "").status == 400)
        #expect(try c.postJSON("/api/v1/responses", "[1, 2]").status == 422)
        let invalidUTF8 = try c.request(
            "POST", "/api/v1/responses", headers: [("Content-Type", "application/json")],
            body: Array("{\"answers\": {\"MC-01\": {\"rating\": 5, \"comment\": \"".utf8) + [0xFF, 0xFE] + Array("\"}}}".utf8))
        #expect(invalidUTF8.status == 400)
        let deep = String(repeating: "[", count: 100_000)
        #expect(try c.postJSON("/api/v1/responses", deep).status == 400)
        let wrongType = try c.request(
            "POST", "/api/v1/responses", headers: [("Content-Type", "text/plain")], body: Array("{}".utf8))
        #expect(wrongType.status == 415)
        #expect(try c.postJSON("/api/v1/responses", validResponseJSON(), key: String(repeating: "k", count: 256)).status == 400)
        #expect(try c.store.responseCount() == 0)
    }

    @Test func textAtTheLengthLimitIsAcceptedAndOneMoreIsNot() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let limit = ResponseLimits().maxTextLength
        #expect(
            try c.postJSON("/api/v1/responses", validResponseJSON(comment: String(repeating: "é", count: limit))).status == 201)
        let over = try c.postJSON("/api/v1/responses", validResponseJSON(comment: String(repeating: "é", count: limit + 1)))
        #expect(over.status == 422)
        #expect(over.text.contains("/answers/MC-01/comment"))
    }

    @Test func sqlMetacharactersAreStoredVerbatim() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let nasty = "'; DROP TABLE responses; -- \" ) OR 1=1; /* */ \\ %_ \u{7F}"
        let created = try #require(try c.postJSON("/api/v1/responses", validResponseJSON(comment: nasty)).json)
        let view = try c.request(
            "GET", "/api/v1/responses/\(created.string("id") ?? "")",
            headers: [("Authorization", "Bearer \(created.string("editToken") ?? "")")])
        #expect(view.json?.object("answers")?.object("MC-01")?.string("comment") == nasty)
        #expect(try c.store.responseCount() == 1)
    }

    @Test func writesPerAddressAreRateLimited() throws {
        let c = try TestCollector(rateLimit: 3)
        defer { c.stop() }
        for i in 0..<3 { #expect(try c.postJSON("/api/v1/responses", validResponseJSON(i)).status == 201) }
        let limited = try c.postJSON("/api/v1/responses", validResponseJSON(9))
        #expect(limited.status == 429)
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
        // Reads are not limited.
        #expect(try c.request("GET", "/api/v1/consultation").status == 200)
    }

    @Test func analystEndpointsNeedTheAnalystToken() throws {
        let c = try TestCollector()
        defer { c.stop() }
        for path in ["/api/v1/export?format=csv", "/api/v1/statistics", "/report"] {
            #expect(try c.request("GET", path).status == 401)
            #expect(try c.request("GET", path, headers: [("Authorization", "Bearer wrong")]).status == 401)
            #expect(
                try c.request("GET", path, headers: [("Authorization", "Bearer \(TestCollector.analystToken)")]).status == 200)
        }
        // The token never travels in a URL: a query carrying it is ignored, and the report asks to sign in.
        let query = try c.request("GET", "/report?token=\(TestCollector.analystToken)")
        #expect(query.status == 401 && query.text.contains("Sign in to the report") && !query.text.contains("<svg"))
    }

    @Test func securityHeadersOnEveryResponse() throws {
        let c = try TestCollector()
        defer { c.stop() }
        for path in ["/", "/api/v1/consultation", "/nope", "/assets/form.css"] {
            let r = try c.request("GET", path)
            #expect(r.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
            #expect(r.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(r.header("X-Content-Type-Options") == "nosniff")
        }
        #expect(try c.request("DELETE", "/api/v1/consultation").status == 405)
    }
}

final class ConcurrentResults: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var s: [Int] = []
    private var b: [[UInt8]] = []
    func add(_ status: Int, _ body: [UInt8]) {
        lock.withLock {
            s.append(status); b.append(body)
        }
    }
    var statuses: [Int] { lock.withLock { s } }
    var bodies: [[UInt8]] { lock.withLock { b } }
}
