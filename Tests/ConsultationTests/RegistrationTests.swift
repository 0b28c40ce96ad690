import CriteriaCatalogue
import Foundation
import HTTP
import HTTPTestSupport
import JSONSyntax
import Testing

@testable import AnalystOutputs
@testable import CollectorStore
@testable import Consultation
@testable import ConsultationDomain
@testable import ConsultationPages

/// When the test registration form's event starts and ends (the test collector's clock starts at 2026-03-01T10:00Z).
let testEventStartsAt = Timestamp(rfc3339: "2026-04-21T08:00:00Z")!
let testEventEndsAt = Timestamp(rfc3339: "2026-04-21T13:00:00Z")!

/// A registration form like the ECCOE webinar's: name, e-mail, organisation, a free text; `places` places.
func registrationDefinitionJSON(places: Int = 50, retentionDays: Int = 30, extra: String = "") -> String {
    """
    {
      "id": "webinar-test",
      "languages": ["en", "fr"],
      "title": {"en": "ECCOE webinar: registration", "fr": "Webinaire ECCOE : inscription"},
      "introduction": {"en": "To secure your place and receive the joining instructions, please register below.", "fr": "Pour réserver votre place et recevoir les instructions de connexion, inscrivez-vous ci-dessous."},
      "privacy": {"version": "1", "text": {"en": "Your data are used only for this event.", "fr": "Vos données ne servent qu’à cet événement."}},
      "timeZone": "Europe/Brussels",
      "opensAt": "2026-02-01T09:00:00+01:00",
      "closesAt": "2026-04-20T23:59:00+02:00",
      "registration": {
        "places": \(places),
        "startsAt": "\(testEventStartsAt.rfc3339)",
        "endsAt": "\(testEventEndsAt.rfc3339)",
        "retentionDays": \(retentionDays),
        "purpose": {"en": "To communicate about the event and report to the funding agency.", "fr": "Pour communiquer sur l’événement et rendre compte à l’agence de financement."},
        "location": {"en": "Online", "fr": "En ligne"}\(extra)
      },
      "profile": [
        {"id": "name", "type": "text", "label": {"en": "Name", "fr": "Nom"}, "required": true, "maxLength": 200},
        {"id": "email", "type": "email", "label": {"en": "E-mail address", "fr": "Adresse électronique"}, "required": true},
        {"id": "organisation", "type": "organisation", "label": {"en": "Organisation", "fr": "Organisation"}, "maxLength": 300}
      ],
      "sections": [
        {"id": "participation", "title": {"en": "Your participation", "fr": "Votre participation"},
         "questions": [{"id": "expectations", "type": "text", "label": {"en": "What do you hope to learn?", "fr": "Qu’espérez-vous apprendre ?"}, "maxLength": 1000}]}
      ]
    }
    """
}

func registrationDefinition(places: Int = 50, retentionDays: Int = 30) throws -> ConsultationDefinition {
    try ConsultationDefinition.load(Array(registrationDefinitionJSON(places: places, retentionDays: retentionDays).utf8)).get()
}

/// An API body registering person `n`.
func registrationJSON(_ n: Int, email: String? = nil, organisation: String = "Université de Lille") -> String {
    let e = JSONValue.string(email ?? "person\(n)@example.org").htmlSafeText
    let o = JSONValue.string(organisation).htmlSafeText
    return """
        {"profile": {"name": "Person \(n)", "email": \(e), "organisation": \(o)},
         "questions": {"expectations": "How micro-credentials are recognised."},
         "consent": {"privacyVersion": "1", "given": true}}
        """
}

/// Receipts gathered by concurrent clients.
final class Registrations: @unchecked Sendable {
    // `receipts` and `failures` are read and written only with `lock` held.
    private let lock = NSLock()
    private(set) var receipts: [[String: Any]] = []
    private(set) var failures: [Int] = []
    func add(_ r: RawResponse) {
        lock.withLock {
            if r.status == 201, let j = r.json { receipts.append(j) } else { failures.append(r.status) }
        }
    }
}

@Suite(.serialized) struct RegistrationTests {
    // MARK: The definition

    @Test func aRegistrationDefinitionLoadsWithItsSettings() throws {
        let d = try registrationDefinition()
        let r = try #require(d.registration)
        #expect(r.places == 50 && r.retentionDays == 30 && r.startsAt == testEventStartsAt && r.endsAt == testEventEndsAt)
        #expect(r.erasureAt == testEventEndsAt.adding(seconds: 30 * 86_400))
        #expect(d.profileQuestion("email")?.type == .email && d.profileQuestion("organisation")?.type == .organisation)
        // No catalogue version needed: it is the built-in catalogue's.
        #expect(d.catalogueVersion == Catalogue.standard.version && d.items.isEmpty)
        // Registration closes when the event starts, even if `closesAt` were later.
        #expect(d.effectiveClosesAt == Timestamp(rfc3339: "2026-04-20T23:59:00+02:00")!)
        #expect(
            try ConsultationDefinition.load(Array(registrationDefinitionJSON().utf8), language: "fr").get().registration?.purpose
                == "Pour communiquer sur l’événement et rendre compte à l’agence de financement.")
    }

    @Test func placesAndRetentionAreBoundedAtTheirNamedLimits() throws {
        #expect((try? registrationDefinition(places: RegistrationSettings.maxPlaces)) != nil)
        #expect((try? registrationDefinition(places: RegistrationSettings.maxPlaces + 1)) == nil)
        #expect((try? registrationDefinition(places: 0)) == nil)
        #expect((try? registrationDefinition(retentionDays: RegistrationSettings.maxRetentionDays)) != nil)
        #expect((try? registrationDefinition(retentionDays: RegistrationSettings.maxRetentionDays + 1)) == nil)
        #expect((try? registrationDefinition(retentionDays: 0)) != nil)
    }

    @Test func aRegistrationWithoutPlacesDateRetentionOrPurposeSaysWhatIsMissing() throws {
        for key in ["places", "startsAt", "retentionDays", "purpose"] {
            var text = registrationDefinitionJSON()
            let line = try #require(text.split(separator: "\n").first { $0.contains("\"\(key)\":") })
            text = text.replacingOccurrences(String(line), "")
            guard case .failure(let e) = ConsultationDefinition.load(Array(text.utf8)) else {
                Issue.record("a definition without registration.\(key) loaded")
                continue
            }
            #expect(
                e.problems.contains { $0.message.contains("registration.\(key)") && $0.message.contains("CO-07") },
                "\(key): \(e.problems)")
        }
        let hostile = registrationDefinitionJSON(extra: #", "secret": 1"#)
        guard case .failure(let e) = ConsultationDefinition.load(Array(hostile.utf8)) else {
            Issue.record("an unknown member of registration was accepted")
            return
        }
        #expect(e.problems.contains { $0.message.contains("registration.secret") })
    }

    // MARK: E-mail addresses

    @Test func emailAddressesAreCheckedSyntacticallyWithAClearReason() {
        for good in [
            "a@b.eu", "first.last+tag@sub.example.org", "o'brien@example.ie", "élodie@université.fr", "x_y-z@a-b.c.d",
            String(repeating: "l", count: 64) + "@example.org",
        ] {
            #expect(EmailAddress.problem(good) == nil, "\(good)")
        }
        let bad: [(String, String)] = [
            ("", "empty"), ("name.example.org", "no @"), ("a@b@c.org", "more than one @"), ("@example.org", "before the @"),
            ("name@", "after the @"), ("name@localhost", "no dot"), ("na me@example.org", "space"),
            (".name@example.org", "start or end with a dot"), ("a..b@example.org", "two dots"), ("a@example..org", "empty part"),
            ("a@-example.org", "hyphen"), ("a@[192.0.2.1]", "IP address"), ("a@192.0.2.1", "ends in digits"),
            ("a\"b@example.org", "cannot hold"), ("a@exa_mple.org", "letters, digits, hyphens"),
            ("a\u{7}@example.org", "control"),
            (String(repeating: "l", count: 65) + "@example.org", "at most 64"),
            ("a@" + String(repeating: "d", count: 64) + ".org", "at most 63"),
        ]
        for (text, reason) in bad {
            let problem = EmailAddress.problem(text)
            #expect(problem?.english.contains(reason) == true, "\(text): \(problem?.english ?? "accepted")")
        }
        // The whole address: 254 bytes are accepted, 255 are not.
        let labels = [50, 50, 50, 50, 44].map { String(repeating: "d", count: $0) }
        let at254 = "a@" + labels.joined(separator: ".") + ".org"  // 2 + 244 + 4 dots + 4
        #expect(at254.utf8.count == 254 && EmailAddress.problem(at254) == nil)
        let at255 = "a" + at254
        #expect(at255.utf8.count == 255 && EmailAddress.problem(at255)?.english.contains("at most 254") == true)
    }

    @Test func answersAreValidatedAtTheirLimits() throws {
        let d = try registrationDefinition()
        func errors(_ profile: [(String, AnswerValue)]) -> [FieldError] {
            var c = ResponseContent()
            c.profile = profile
            c.consentGiven = true
            c.consentVersion = "1"
            return Array(c.validated(against: d).1)
        }
        let ok: [(String, AnswerValue)] = [
            ("name", .text("Ana")), ("email", .text("  ana@example.org ")), ("organisation", .text("UL")),
        ]
        #expect(errors(ok).isEmpty)
        var c = ResponseContent()
        c.profile = ok
        c.consentGiven = true
        c.consentVersion = "1"
        #expect(c.validated(against: d).0.profileValue("email") == .text("ana@example.org"))
        let wrong = errors([("name", .text("Ana")), ("email", .text("ana.example.org"))])
        #expect(wrong.map(\.pointer) == ["/profile/email"])
        #expect(wrong.first?.message.contains("is not an e-mail address: it has no @") == true, "\(wrong)")
        #expect(errors([("name", .text("Ana"))]).map(\.pointer) == ["/profile/email"])
        // The organisation: 300 characters (the question's maxLength and the named limit) pass, 301 do not.
        let org300 = String(repeating: "é", count: 300)
        #expect(errors(ok.dropLast() + [("organisation", .text(org300))]).isEmpty)
        #expect(errors(ok.dropLast() + [("organisation", .text(org300 + "x"))]).first?.message.contains("at most 300") == true)
        #expect(ResponseLimits().maxOrganisationLength == 300)
        #expect(errors(ok.dropLast() + [("organisation", .text("Line\nbreak"))]).first?.message.contains("one line") == true)
        // The free text is bounded by its maxLength.
        var long = ResponseContent()
        long.profile = ok
        long.questions = [("expectations", .text(String(repeating: "x", count: 1001)))]
        long.consentGiven = true
        long.consentVersion = "1"
        #expect(long.validated(against: d).1.listed.first?.message.contains("at most 1000") == true)
    }

    // MARK: Places, the waiting list, cancellation

    /// 200 registrations from 32 concurrent connections against 50 places: exactly 50 confirmed, 150 waiting with
    /// positions 1…150, no gap, no repeat; the database agrees.
    @Test func concurrentRegistrationsNeverOverbook() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 50))
        defer { c.stop() }
        let results = Registrations()
        let next = Counter()
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: 32) { _ in
            guard let client = try? c.client() else { return }
            defer { client.close() }
            while let n = next.take(below: 200) {
                let body = Array(registrationJSON(n).utf8)
                if let r = try? client.request(
                    "POST", "/api/v1/responses",
                    headers: [("Content-Type", "application/json"), ("Idempotency-Key", "reg-\(n)")],
                    body: body)
                {
                    results.add(r)
                }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        #expect(results.failures.isEmpty, "\(results.failures)")
        let statuses = results.receipts.compactMap { $0.object("registration") }
        let confirmed = statuses.filter { $0.string("status") == "confirmed" }.count
        let positions = statuses.filter { $0.string("status") == "waiting" }.compactMap { $0["position"] as? Int }.sorted()
        print(
            "registration race: 200 registrations from 32 connections, 50 places: \(confirmed) confirmed, \(positions.count) waiting, positions \(positions.first ?? 0)…\(positions.last ?? 0), distinct \(Set(positions).count), in \(String(format: "%.2f", seconds)) s"
        )
        #expect(results.receipts.count == 200)
        #expect(confirmed == 50)
        #expect(positions == Array(1...150))
        let counts = try #require(try c.store.registrationCounts())
        #expect(counts == RegistrationCounts(places: 50, confirmed: 50, waiting: 150))
        // Replaying a registration returns its status as it is now.
        let replay = try c.postJSON("/api/v1/responses", registrationJSON(7), key: "reg-7")
        #expect(replay.status == 200 && replay.json?.object("registration") != nil)
    }

    @Test func theDatabaseItselfRefusesAPlaceBeyondThePlaces() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 1))
        defer { c.stop() }
        #expect(
            try c.postJSON("/api/v1/responses", registrationJSON(1)).json?.object("registration")?.string("status") == "confirmed"
        )
        #expect(
            try c.postJSON("/api/v1/responses", registrationJSON(2)).json?.object("registration")?.string("status") == "waiting")
        #expect(throws: (any Error).self) {
            try c.store.worker.perform(write: true) { db in
                try db.run("UPDATE registrations SET status = 'confirmed', waiting_rank = NULL WHERE status = 'waiting'")
            }
        }
        #expect(try c.store.registrationCounts() == RegistrationCounts(places: 1, confirmed: 1, waiting: 1))
    }

    @Test func cancellingFreesThePlaceForTheFirstOnTheWaitingList() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 2))
        defer { c.stop() }
        var receipts: [(id: String, token: String)] = []
        for n in 0..<5 {
            let r = try #require(try c.postJSON("/api/v1/responses", registrationJSON(n)).json)
            receipts.append((try #require(r.string("id")), try #require(r.string("editToken"))))
        }
        func status(_ i: Int) throws -> RegistrationStatus? {
            try c.store.registration(id: receipts[i].id, token: receipts[i].token)?.1
        }
        #expect(try status(0) == .confirmed && status(1) == .confirmed)
        #expect(
            try status(2) == .waiting(position: 1) && status(3) == .waiting(position: 2) && status(4) == .waiting(position: 3))
        // A wrong token cancels nothing and says nothing.
        #expect(try c.store.cancelRegistration(id: receipts[0].id, token: receipts[1].token) == .notFound)
        #expect(try c.store.cancelRegistration(id: receipts[0].id, token: receipts[0].token) == .cancelled(promoted: 1))
        #expect(try status(0) == nil)
        #expect(try status(2) == .confirmed && status(3) == .waiting(position: 1) && status(4) == .waiting(position: 2))
        // Cancelling from the waiting list moves those behind up, promoting nobody.
        #expect(try c.store.cancelRegistration(id: receipts[3].id, token: receipts[3].token) == .cancelled(promoted: 0))
        #expect(try status(4) == .waiting(position: 1))
        #expect(try c.store.registrationCounts() == RegistrationCounts(places: 2, confirmed: 2, waiting: 1))
        // Withdrawing through the API frees the place the same way.
        let gone = try c.request(
            "DELETE", "/api/v1/responses/\(receipts[1].id)", headers: [("Authorization", "Bearer \(receipts[1].token)")])
        #expect(gone.status == 204)
        #expect(try status(4) == .confirmed)
        let audit = try auditLog(c)
        #expect(audit.filter { $0.event == "cancel" }.count == 2 && audit.filter { $0.event == "promote" }.count == 2)
        #expect(!audit.contains { ($0.detail ?? "").contains("@") })
        // Once the event has started, cancelling is refused.
        c.clock.now = testEventStartsAt
        #expect(try c.store.cancelRegistration(id: receipts[4].id, token: receipts[4].token) == .tooLate)
        #expect(try c.postJSON("/api/v1/responses", registrationJSON(9)).status == 409)
    }

    @Test func morePlacesAtRestartPromoteTheWaitingList() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-reg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.sqlite").path
        let clock = ManualClock(testOpensAt.adding(seconds: 3600))
        var store = try ConsultationStore(path: path, definition: try registrationDefinition(places: 1), clock: clock.clock)
        for n in 0..<4 { _ = try store.submit(submission(registrationJSON(n), store)) }
        #expect(try store.registrationCounts() == RegistrationCounts(places: 1, confirmed: 1, waiting: 3))
        store.close()
        store = try ConsultationStore(path: path, definition: try registrationDefinition(places: 3), clock: clock.clock)
        defer { store.close() }
        #expect(try store.registrationCounts() == RegistrationCounts(places: 3, confirmed: 3, waiting: 1))
    }

    // MARK: Retention

    @Test func personalDataAreDeletedAfterTheEventPlusRetentionByTheClock() throws {
        let c = try TestCollector(definition: try registrationDefinition(places: 2, retentionDays: 30))
        defer { c.stop() }
        for n in 0..<3 { #expect(try c.postJSON("/api/v1/responses", registrationJSON(n)).status == 201) }
        let erasure = testEventEndsAt.adding(seconds: 30 * 86_400)
        c.clock.now = erasure.adding(seconds: -1)
        #expect(try c.store.applyRetention() == nil)
        #expect(try c.store.responseCount() == 3)
        c.clock.now = erasure
        #expect(try c.store.applyRetention() == RetentionOutcome(registrations: 3, confirmed: 2, waiting: 1, drafts: 0))
        #expect(try c.store.responseCount() == 0)
        #expect(try c.store.registrationCounts() == RegistrationCounts(places: 2, confirmed: 0, waiting: 0))
        let entries = try auditLog(c).filter { $0.event == "retention" }
        #expect(entries.count == 1)
        #expect(entries.first?.detail?.contains("3 registrations (2 confirmed, 1 on the waiting list)") == true)
        // Nothing of the data is left in the database's files: deleted content is overwritten (secure_delete).
        try c.store.worker.perform(write: false) { db in try db.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        let dump =
            try String(contentsOfFile: c.databasePath, encoding: .isoLatin1)
            + ((try? String(contentsOfFile: c.databasePath + "-wal", encoding: .isoLatin1)) ?? "")
        #expect(!dump.contains("person1@example.org") && !dump.contains("Person 2"))
        // Later runs find nothing more and record nothing more.
        c.clock.now = erasure.adding(seconds: 86_400)
        #expect(try c.store.applyRetention() == RetentionOutcome(registrations: 0, confirmed: 0, waiting: 0, drafts: 0))
        #expect(try auditLog(c).filter { $0.event == "retention" }.count == 1)
    }

    /// The background check decides by the store's clock: it runs when the store opens (a collector restarted long
    /// after the event deletes at once) and then every `retentionCheckSeconds` of that clock.
    @Test func theScheduledCheckDeletesWhenTheClockSaysSo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-reg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.sqlite").path
        let clock = ManualClock(testOpensAt.adding(seconds: 3600))
        let definition = try registrationDefinition(places: 5, retentionDays: 0)
        // The store's own thread checks once at opening, then not for a century of its clock: this test runs the check.
        var limits = ConsultationStore.Limits()
        limits.retentionCheckSeconds = 100 * 365 * 86_400
        var store = try ConsultationStore(path: path, definition: definition, clock: clock.clock, limits: limits)
        for n in 0..<2 { _ = try store.submit(submission(registrationJSON(n), store)) }
        let lines = LogLines()
        let chore = ConsultationStore.retentionChore(
            definition: definition, clock: clock.clock, every: 60, worker: store.worker, log: { lines.append($0) })
        clock.now = testEventEndsAt.adding(seconds: -30)
        chore()  // before the erasure date: nothing to do
        #expect(try store.responseCount() == 2)
        clock.now = testEventEndsAt
        chore()  // due by date, but within 60 s of the previous check on the store's clock: not yet
        #expect(try store.responseCount() == 2)
        clock.now = testEventEndsAt.adding(seconds: 31)
        chore()
        #expect(try store.responseCount() == 0)
        #expect(lines.all.contains { $0.contains("deleted the personal data of 2 registrations") })
        store.close()
        // Reopened later: the check at opening finds nothing more to delete and records nothing more.
        store = try ConsultationStore(path: path, definition: definition, clock: clock.clock)
        #expect(try auditLogEvents(store).filter { $0 == "retention" }.count == 1)
        store.close()
    }

    /// The store's own background thread: with the clock past the erasure date, it deletes by itself. The test moves
    /// the clock, then waits for a pass of that thread begun after the move (it passes every half second; 20 s is
    /// only a bound to fail by), then looks.
    @Test func theStoresOwnThreadAppliesRetention() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-reg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(testOpensAt.adding(seconds: 3600))
        var limits = ConsultationStore.Limits()
        limits.retentionCheckSeconds = 60
        let store = try ConsultationStore(
            path: directory.appendingPathComponent("r.sqlite").path, definition: try registrationDefinition(retentionDays: 1),
            clock: clock.clock, limits: limits)
        defer { store.close() }
        _ = try store.submit(submission(registrationJSON(1), store))
        #expect(store.waitForBackgroundPass())
        #expect(try store.responseCount() == 1, "before the erasure date, a pass deletes nothing")
        clock.now = testEventEndsAt.adding(seconds: 86_400)
        #expect(store.waitForBackgroundPass(), "no pass of the store's thread within 20 s")
        #expect(try store.responseCount() == 0)
        #expect(try auditLogEvents(store).contains("retention"))
    }

    @Test func aStoreOpenedAfterTheErasureDateDeletesAtOnce() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-reg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.sqlite").path
        let clock = ManualClock(testOpensAt.adding(seconds: 3600))
        let definition = try registrationDefinition(places: 5, retentionDays: 7)
        var store = try ConsultationStore(path: path, definition: definition, clock: clock.clock)
        _ = try store.submit(submission(registrationJSON(1), store))
        store.close()
        clock.now = definition.registration!.erasureAt.adding(seconds: 1)
        store = try ConsultationStore(path: path, definition: definition, clock: clock.clock)
        defer { store.close() }
        #expect(try store.responseCount() == 0)
        #expect(try auditLogEvents(store).contains("retention"))
    }

    @Test func anOlderDatabaseKeepsItsAuditLogThroughTheMigration() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eccoe-reg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("old.sqlite").path
        let db = try SQLiteConnection(path: path)
        for step in Migrations.steps.prefix(3) { try db.execute(step) }
        try db.execute("PRAGMA user_version = 3")
        try db.run("INSERT INTO audit_log (at, event, detail) VALUES (1, 'export', 'before the migration')")
        db.close()
        let store = try ConsultationStore(
            path: path, definition: try registrationDefinition(), clock: ManualClock(testOpensAt.adding(seconds: 3600)).clock)
        defer { store.close() }
        let rows = try store.worker.perform(write: false) { db in
            try db.query("SELECT event, detail FROM audit_log ORDER BY seq") { ($0.text(0), $0.optionalText(1)) }
        }
        #expect(rows.first?.0 == "export" && rows.first?.1 == "before the migration")
        #expect(throws: (any Error).self) {
            try store.worker.perform(write: true) { db in try db.run("DELETE FROM audit_log") }
        }
    }
}

/// A validated submission of an API body, for store-level tests.
func submission(_ json: String, _ store: ConsultationStore, key: String? = nil) throws -> Submission {
    var errors = FieldErrors()
    let raw = ResponseContent.fromJSON(SyntaxTree(parsing: Array(json.utf8)).root, errors: &errors)
    let (content, more) = raw.validated(against: store.definition)
    #expect(errors.isEmpty && more.isEmpty, "\(errors.listed) \(more.listed)")
    return Submission(
        content: content, channel: "api", idempotencyKey: key, consultationID: store.definition.id, tokenKey: store.tokenKey)
}

func auditLog(_ c: TestCollector) throws -> [(event: String, detail: String?)] {
    try c.store.worker.perform(write: false) { db in
        try db.query("SELECT event, detail FROM audit_log ORDER BY seq") { ($0.text(0), $0.optionalText(1)) }
    }
}

func auditLogEvents(_ store: ConsultationStore) throws -> [String] {
    try store.worker.perform(write: false) { db in try db.query("SELECT event FROM audit_log ORDER BY seq") { $0.text(0) } }
}

/// Hands out 0, 1, 2… to concurrent workers.
final class Counter: @unchecked Sendable {
    // `value` is read and written only with `lock` held.
    private let lock = NSLock()
    private var value = 0
    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}
