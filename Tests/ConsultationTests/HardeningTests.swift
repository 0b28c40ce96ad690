import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// Issue 13's bounds on answers and storage, secrets and operations, each at its limit.
@Suite(.serialized) struct HardeningTests {
    // MARK: Bounded answers

    /// A 3.75 MB body of 150,000 unknown criteria once got a 13–18 MB answer listing each: now the first 50
    /// problems and how many more, well under 64 KB.
    @Test func anAnswerToABadBodyStaysSmallHoweverManyProblemsItHas() throws {
        let c = try TestCollector()
        defer { c.stop() }
        var body = validResponseJSON()
        let unknown = (0..<150_000).map { "\"ZZ-\($0)\": {\"rating\": 3}" }.joined(separator: ", ")
        body = body.replacingOccurrences(of: "\"answers\": {", with: "\"answers\": {\(unknown), ")
        let r = try c.postJSON("/api/v1/responses", body)
        #expect(r.status == 422)
        #expect(r.body.count <= 64 * 1024, "\(r.body.count) bytes")
        let error = try #require(r.json?.object("error"))
        #expect((error["fields"] as? [Any])?.count == 50)
        #expect(error["more"] as? Int == 150_000 - 50)
        #expect(error.string("message") == "150000 problems with the answers")
        // A key of 100,000 characters is shown shortened, in the pointer and the message.
        let long = String(repeating: "k", count: 100_000)
        let r2 = try c.postJSON(
            "/api/v1/responses",
            validResponseJSON().replacingOccurrences(of: "\"profile\": {", with: "\"\(long)\": 1, \"profile\": {"))
        #expect(r2.status == 422 && r2.body.count < 2_000)
        // Malformed JSON with many errors: capped likewise.
        let r3 = try c.postJSON("/api/v1/responses", "[" + String(repeating: "tru, ", count: 40_000) + "]")
        #expect(r3.status == 400 && r3.body.count <= 64 * 1024)
        #expect((r3.json?.object("error")?["problems"] as? [Any])?.count == 50)
    }

    @Test func theListingCapAndTheByteBudgetAtTheirLimits() throws {
        let c = try TestCollector(configure: {
            $0.limits.maxListedProblems = 3
            $0.limits.maxErrorAnswerBytes = 4096 + 300
        })
        defer { c.stop() }
        func answer(_ n: Int) throws -> [String: Any] {
            let unknown = (0..<n).map { "\"ZZ-\($0)\": {\"rating\": 3}" }.joined(separator: ", ")
            let body = validResponseJSON().replacingOccurrences(of: "\"answers\": {", with: "\"answers\": {\(unknown), ")
            return try #require(try c.postJSON("/api/v1/responses", body).json?.object("error"))
        }
        let three = try answer(3)
        #expect((three["fields"] as? [Any])?.count == 3 && three["more"] == nil)
        let four = try answer(4)
        #expect((four["fields"] as? [Any])?.count == 3 && four["more"] as? Int == 1)
        // 200 bytes of room for the list (the rest of the budget is kept for the message): each problem
        // here takes 88 bytes, so two are listed and the other eight counted.
        let tight = try TestCollector(configure: {
            $0.limits.maxListedProblems = 50
            $0.limits.maxErrorAnswerBytes = 4096 + 200
        })
        defer { tight.stop() }
        let unknown = (0..<10).map { "\"ZZ-\($0)\": {\"rating\": 3}" }.joined(separator: ", ")
        let r = try tight.postJSON(
            "/api/v1/responses",
            validResponseJSON().replacingOccurrences(of: "\"answers\": {", with: "\"answers\": {\(unknown), "))
        #expect((r.json?.object("error")?["fields"] as? [Any])?.count == 2)
        #expect(r.json?.object("error")?["more"] as? Int == 8)
    }

    @Test func theAPITakesOnlyJSON() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let body = Array(validResponseJSON().utf8)
        for type in [nil, "text/plain", "application/jsonx", "application/x-www-form-urlencoded", "json"] as [String?] {
            let r = try c.request("POST", "/api/v1/responses", headers: type.map { [("Content-Type", $0)] } ?? [], body: body)
            #expect(r.status == 415 && r.json?.object("error")?.string("code") == "unsupported-media-type", "\(type ?? "none")")
        }
        for type in ["application/json", "Application/JSON", "application/json; charset=utf-8"] {
            #expect(try c.request("POST", "/api/v1/responses", headers: [("Content-Type", type)], body: body).status == 201)
        }
        let created = try #require(try c.postJSON("/api/v1/responses", validResponseJSON(1)).json)
        let put = try c.request(
            "PUT", "/api/v1/responses/\(created.string("id") ?? "")",
            headers: [("Authorization", "Bearer \(created.string("editToken") ?? "")"), ("Content-Type", "text/plain")],
            body: body)
        #expect(put.status == 415)
    }

    @Test func controlCharactersInTextsAreRefusedAndNeverReachACSV() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let r = try c.postJSON("/api/v1/responses", validResponseJSON(comment: "a\u{0}b"))
        #expect(r.status == 422)
        #expect(r.text.contains("U+0000"))
        #expect(try c.postJSON("/api/v1/responses", validResponseJSON(comment: "tab\tand\nlines\r\n")).status == 201)
        // A NUL stored by an earlier version is replaced in the CSV.
        var out: [UInt8] = []
        CSVBuffer.appendCell("x\u{0}y", to: &out, last: true)
        #expect(!out.contains(0) && String(decoding: out, as: UTF8.self) == "x\u{FFFD}y\r\n")
    }

    // MARK: Exports

    @Test(arguments: [
        ("=1+1", "'=1+1"), (" =1", "' =1"), ("\n=HYPERLINK(\"x\")", "\"'\n=HYPERLINK(\"\"x\"\")\""), ("\u{A0}=1", "'\u{A0}=1"),
        ("\u{A0}\u{3000} \n+1", "\"'\u{A0}\u{3000} \n+1\""), ("\u{FEFF}@SUM(A1)", "'\u{FEFF}@SUM(A1)"),
        ("\u{2003}-2", "'\u{2003}-2"),
        ("＝1+1", "'＝1+1"), ("＋cmd", "'＋cmd"), ("－1", "'－1"), ("＠x", "'＠x"), (" ＝1", "' ＝1"), ("\t1", "'\t1"),
        ("\r1", "\"'\r1\""), ("a=1", "a=1"), ("1-2", "1-2"), ("x＝", "x＝"), ("\u{A0}x", "\u{A0}x"), ("  ", "\"  \""),
        ("", ""), ("\u{FF5E}", "\u{FF5E}"),
    ])
    func formulaTriggersAreNeutralisedAfterWhiteSpaceAndInFullWidth(_ cell: String, _ expected: String) {
        var out: [UInt8] = []
        CSVBuffer.appendCell(cell, to: &out, last: true)
        #expect(String(decoding: out, as: UTF8.self) == expected + "\r\n")
    }

    // MARK: Drafts

    @Test func draftsKeepOnlyTheConsultationsFieldsWithinTheirSizeAndExpire() throws {
        let c = try TestCollector(configure: { $0.limits.maxDraftBytes = 400 })
        defer { c.stop() }
        let form = try FormSession(c)
        let junk = [("comment.NOPE-1", "x"), ("profile.shoeSize", "44"), ("question.other", "y"), ("rating.MC-01", "4")]
        let saved = try form.submit(junk + [("action", "draft")])
        #expect(saved.status == 303)
        let token = try #require(
            saved.headers("Set-Cookie").first { $0.hasPrefix("eccoe_draft=") }.map {
                String($0.dropFirst("eccoe_draft=".count).prefix { $0 != ";" })
            })
        let fields = try #require(try c.store.loadDraft(token: token))
        #expect(fields.map(\.0) == ["rating.MC-01"], "only the consultation's own fields are kept")
        // The size cap, at its value and one byte past it (each field counts its name, value and 8 bytes).
        let name = "comment.MC-01"
        let fits = String(repeating: "a", count: 400 - name.utf8.count - 8)
        #expect(try form.submit([(name, fits), ("action", "draft")]).status == 303)
        let over = try form.submit([(name, fits + "a"), ("action", "draft")])
        #expect(over.status == 413 && over.text.contains("too long to be saved"))
        // Expiry: kept for 30 days after its last save, not a millisecond more.
        c.clock.now = c.clock.now.adding(seconds: 30 * 86_400)
        #expect(try c.store.loadDraft(token: token) != nil)
        c.clock.now = Timestamp(milliseconds: c.clock.now.milliseconds + 1)
        #expect(try c.store.loadDraft(token: token) == nil)
        // The next save (an hourly sweep is due) deletes expired drafts from the database.
        #expect(try c.store.draftCount() == 2)
        #expect(try FormSession(c).submit([("rating.MC-02", "3"), ("action", "draft")]).status == 303)
        #expect(try c.store.draftCount() == 1, "the two expired drafts are gone, the new one is kept")
    }

    @Test func draftsCountAgainstTheRateLimit() throws {
        let c = try TestCollector(rateLimit: 2)
        defer { c.stop() }
        let form = try FormSession(c)
        #expect(try form.submit([("rating.MC-01", "4"), ("action", "draft")]).status == 303)
        #expect(try form.submit([("rating.MC-01", "5"), ("action", "draft")]).status == 303)
        let third = try form.submit([("rating.MC-01", "3"), ("action", "draft")])
        #expect(third.status == 429 && third.header("Retry-After") == "30")
        c.monotonic.advance(by: 30)
        #expect(try form.submit([("rating.MC-01", "3"), ("action", "draft")]).status == 303)
    }

    // MARK: Secrets

    @Test func linksAreBuiltFromThePublicURLNeverFromTheHostHeader() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let form = try FormSession(c)
        let receipt = try c.request(
            "POST", "/",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", form.cookie),
                ("X-Forwarded-Host", "evil.example"),
            ], body: FormSession.encode(form.validFields() + [("csrf", form.csrf), ("submissionKey", "k1")]))
        #expect(receipt.status == 200)
        #expect(receipt.text.contains("href=\"\(TestCollector.publicURL)/edit/"))
        // The Host header itself, forged.
        let raw = try c.client(from: "127.0.0.2")
        defer { raw.close() }
        let body = FormSession.encode(form.validFields() + [("csrf", form.csrf), ("submissionKey", "k2")])
        raw.send(
            "POST / HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: \(form.cookie)\r\nContent-Length: \(body.count)\r\n\r\n"
        )
        raw.send(body)
        let forged = try raw.readResponse()
        #expect(forged.status == 200 && !forged.text.contains("evil.example"))
        #expect(forged.text.contains("href=\"\(TestCollector.publicURL)/edit/"))
    }

    @Test func tokensAreStoredAsKeyedHashes() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let created = try #require(try c.postJSON("/api/v1/responses", validResponseJSON()).json)
        let id = try #require(created.string("id")), token = try #require(created.string("editToken"))
        let stored = try storedTokenHash(c, id)
        #expect(stored == Secrets.keyedHash(token, key: c.store.tokenKey))
        #expect(stored != Secrets.legacyHash(token))
        // The analyst token likewise.
        let analyst = "an-analyst-token-of-enough-strength-1234"
        _ = try c.store.prepareAnalystToken(fixed: analyst)
        let db = try SQLiteConnection(path: c.databasePath, readOnly: true)
        let hash = try db.query("SELECT value FROM settings WHERE key = 'analyst_token_hmac'") { $0.blob(0) }.first
        #expect(hash == Secrets.keyedHash(analyst, key: c.store.tokenKey))
        #expect(try db.query("SELECT count(*) FROM settings WHERE key = 'analyst_token_hash'") { $0.int(0) }.first == 0)
        db.close()
        #expect(throws: ConsultationStore.WeakTokenError.self) { try c.store.prepareAnalystToken(fixed: "short-token") }
    }

    /// A response stored by an earlier version (its token as a plain SHA-256) still opens with its token,
    /// and its hash becomes keyed at its next change.
    @Test func aLegacyTokenHashIsAcceptedAndReplacedAtTheNextChange() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let created = try #require(try c.postJSON("/api/v1/responses", validResponseJSON()).json)
        let id = try #require(created.string("id")), token = try #require(created.string("editToken"))
        let db = try SQLiteConnection(path: c.databasePath)
        try db.run("UPDATE responses SET token_hash = ? WHERE id = ?", [.blob(Secrets.legacyHash(token)), .text(id)])
        db.close()
        let bearer = [("Authorization", "Bearer \(token)")]
        #expect(try c.request("GET", "/api/v1/responses/\(id)", headers: bearer).status == 200)
        #expect(try c.request("GET", "/api/v1/responses/\(id)", headers: [("Authorization", "Bearer x")]).status == 404)
        #expect(try c.postJSON("/api/v1/responses/\(id)", validResponseJSON(2), token: token, method: "PUT").status == 200)
        #expect(try storedTokenHash(c, id) == Secrets.keyedHash(token, key: c.store.tokenKey))
    }

    func storedTokenHash(_ c: TestCollector, _ id: String) throws -> [UInt8]? {
        let db = try SQLiteConnection(path: c.databasePath, readOnly: true)
        defer { db.close() }
        return try db.query("SELECT token_hash FROM responses WHERE id = ?", [.text(id)]) { $0.blob(0) }.first
    }

    @Test(arguments: [
        ("abc", false), ("password1234", false), (String(repeating: "ab", count: 40), false),
        ("0123456789abcdef0123456789abcdef", true),
        ("Zm9vYmFyYmF6cXV4cXV1eA", true), ("aB3-aB3-aB3-aB3-aB3-aB3-aB3-aB3", false), ("correct-horse-battery-staple-2027", true),
    ])
    func analystTokensNeedAbout128Bits(_ token: String, _ strong: Bool) {
        #expect((ConsultationStore.weakness(ofAnalystToken: token) == nil) == strong, "\(Secrets.estimatedBits(token)) bits")
    }

    /// Wrong analyst tokens from one address: 10 a minute, then 429 until the bucket refills, while another
    /// address is not affected.
    @Test func failedAnalystAttemptsAreRateLimitedPerAddress() throws {
        let c = try TestCollector()
        defer { c.stop() }
        for i in 0..<10 {
            let r = try c.request(
                "GET", "/api/v1/statistics", headers: [("Authorization", "Bearer guess-\(i)")], from: "127.0.0.2")
            #expect(r.status == 401)
        }
        let limited = try c.request(
            "GET", "/api/v1/statistics", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")], from: "127.0.0.2")
        #expect(limited.status == 429 && limited.header("Retry-After") == "6", "even the right token waits")
        #expect(
            try c.request("GET", "/api/v1/statistics", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")])
                .status == 200)
        c.monotonic.advance(by: 6)
        #expect(
            try c.request(
                "GET", "/api/v1/statistics", headers: [("Authorization", "Bearer \(TestCollector.analystToken)")],
                from: "127.0.0.2"
            ).status == 200)
    }

    /// The report's sign-in: a form, an HttpOnly SameSite=Strict session cookie, a session that ends.
    @Test func theReportHasASignInFormAndASessionCookie() throws {
        let c = try TestCollector()
        defer { c.stop() }
        let page = try c.request("GET", "/report")
        #expect(page.status == 401 && page.text.contains("type=\"password\"") && page.text.contains("action=\"/report/sign-in\""))
        let csrfCookie = try #require(
            page.headers("Set-Cookie").first { $0.hasPrefix("eccoe_csrf=") }.map { String($0.prefix { $0 != ";" }) })
        let csrf = try #require(FormSession.hidden("csrf", in: page.text))
        func signIn(_ token: String, csrf: String) throws -> RawResponse {
            try c.request(
                "POST", "/report/sign-in",
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", csrfCookie)],
                body: FormSession.encode([("token", token), ("csrf", csrf)]))
        }
        #expect(try signIn("wrong", csrf: csrf).status == 401)
        #expect(try signIn(TestCollector.analystToken, csrf: "forged").status == 403)
        let ok = try signIn(TestCollector.analystToken, csrf: csrf)
        #expect(ok.status == 303 && ok.header("Location") == "/report")
        let cookie = try #require(ok.headers("Set-Cookie").first { $0.hasPrefix("eccoe_analyst=") })
        for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/", "Max-Age=28800"] {
            #expect(cookie.contains(attribute))
        }
        let session = String(cookie.prefix { $0 != ";" })
        let report = try c.request("GET", "/report", headers: [("Cookie", session)])
        #expect(report.status == 200 && report.text.contains("<svg"))
        #expect(try c.request("GET", "/api/v1/export?format=csv", headers: [("Cookie", session)]).status == 200)
        // Eight hours later the session is over.
        c.monotonic.advance(by: 8 * 3600 - 1)
        #expect(try c.request("GET", "/report", headers: [("Cookie", session)]).status == 200)
        c.monotonic.advance(by: 1)
        #expect(try c.request("GET", "/report", headers: [("Cookie", session)]).status == 401)
        // Signing out ends a session at once.
        let second = String(
            (try signIn(TestCollector.analystToken, csrf: csrf)).headers("Set-Cookie").first { $0.hasPrefix("eccoe_analyst=") }?
                .prefix { $0 != ";" } ?? "")
        #expect(try c.request("GET", "/report", headers: [("Cookie", second)]).status == 200)
        let out = try c.request(
            "POST", "/report/sign-out",
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", "\(csrfCookie); \(second)")],
            body: FormSession.encode([("csrf", csrf)]))
        #expect(out.status == 303)
        #expect(try c.request("GET", "/report", headers: [("Cookie", second)]).status == 401)
    }

    // MARK: Operations

    /// A full disk (SQLite's SQLITE_FULL, made here by capping the database's pages): submissions get 503,
    /// the cause is logged once, `/healthz` says degraded; once there is room again all is well.
    @Test func aFullDiskIsLoggedAndHealthzSaysDegraded() throws {
        let c = try TestCollector()
        defer { c.stop() }
        #expect(try c.postJSON("/api/v1/responses", validResponseJSON()).status == 201)
        try c.store.capSize(pages: try c.store.pageCount())
        var statuses: [Int] = []
        for i in 0..<5 {
            statuses.append(
                try c.postJSON("/api/v1/responses", validResponseJSON(i + 1, comment: String(repeating: "x", count: 8000))).status
            )
        }
        #expect(statuses.allSatisfy { $0 == 503 })
        let health = try c.request("GET", "/healthz")
        #expect(health.status == 503 && health.json?.string("status") == "degraded")
        #expect(health.json?.string("reason")?.contains("full") == true && health.header("Retry-After") != nil)
        #expect(c.logged.all.filter { $0.contains("writes to the database fail") && $0.contains("full") }.count == 1)
        try c.store.capSize(pages: 0)
        #expect(try c.postJSON("/api/v1/responses", validResponseJSON(9)).status == 201)
        #expect(try c.request("GET", "/healthz").json?.string("status") == "ok")
        #expect(c.logged.all.contains { $0.contains("succeed again") })
        #expect(try c.store.responseCount() == 2)
    }

    /// Under sustained writes the WAL starts over once it holds `walRestartFrames` pages instead of growing
    /// with everything written; what was acknowledged is all there.
    @Test func theWALStaysBoundedUnderSustainedWrites() throws {
        var storeLimits = ConsultationStore.Limits()
        storeLimits.walRestartFrames = 64
        let c = try TestCollector(storeLimits: storeLimits)
        defer { c.stop() }
        let wal = c.databasePath + "-wal"
        let writers = 8, each = 60
        let done = DispatchGroup()
        let failures = ConcurrentResults()
        for w in 0..<writers {
            done.enter()
            Thread {
                for i in 0..<each {
                    let r = try? c.postJSON(
                        "/api/v1/responses", validResponseJSON(w * 1000 + i, comment: String(repeating: "c", count: 3000)))
                    if r?.status != 201 { failures.add(r?.status ?? 0, []) }
                }
                done.leave()
            }.start()
        }
        done.wait()
        // The WAL file only grows until the log starts over (and is cut back only past journal_size_limit,
        // 64 MiB): its size now is the most it ever held.
        let largest = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        #expect(failures.statuses.isEmpty)
        #expect(try c.store.responseCount() == writers * each)
        let database = (try FileManager.default.attributesOfItem(atPath: c.databasePath)[.size] as? Int) ?? 0
        // 480 responses of ~5 KB: megabytes written; the log never holds much more than its 64 pages plus a batch.
        #expect(database > 1 << 20)
        #expect(largest < 2 << 20, "the WAL reached \(largest) bytes for a database of \(database)")
    }
}
