import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A registration form served by `eccoe serve` as a child process: crash durability of the place decisions and the
/// registrants' export from the command line.
@Suite(.serialized) struct RegistrationCommandTests {
    /// A registration form open now (the child process reads the real clock): registration until 30 days from now,
    /// the event the day after.
    static func definition(places: Int) -> String {
        let now = Date().timeIntervalSince1970
        func at(_ days: Double) -> String {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime]
            return f.string(from: Date(timeIntervalSince1970: (now + days * 86_400).rounded(.down)))
        }
        return """
            {"id": "crash-webinar", "title": "Webinar", "privacy": {"version": "1", "text": "For the event only."},
             "timeZone": "Europe/Brussels", "opensAt": "\(at(-1))", "closesAt": "\(at(30))",
             "registration": {"places": \(places), "startsAt": "\(at(31))", "retentionDays": 30, "purpose": "To run the event."},
             "profile": [{"id": "name", "type": "text", "label": "Name", "required": true, "maxLength": 200},
                         {"id": "email", "type": "email", "label": "E-mail", "required": true},
                         {"id": "organisation", "type": "organisation", "label": "Organisation"}],
             "sections": [{"id": "more", "title": "More", "questions": [{"id": "note", "type": "text", "label": "Note", "maxLength": 500}]}]}
            """
    }

    static func body(_ n: Int) -> String {
        #"{"profile": {"name": "Person \#(n)", "email": "p\#(n)@example.org", "organisation": "=cmd|' /C calc'!A0"}, "consent": {"privacyVersion": "1", "given": true}}"#
    }

    static func json(_ text: String) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    /// SIGKILL while 16 clients register for 40 places: after a restart every acknowledged registration is there with
    /// the status it was acknowledged with (a confirmed place stays confirmed), nobody is there twice, exactly 40 are
    /// confirmed and the waiting list counts 1, 2, 3… without a gap.
    @Test func everyAcknowledgedRegistrationSurvivesSIGKILLWithItsPlace() throws {
        let dir = try CommandRunner.temporaryDirectory([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(RegistrationCommandTests.definition(places: 40).utf8).write(
            to: dir.appendingPathComponent("webinar.consultation.json"))
        let environment = ["ECCOE_ANALYST_TOKEN": ServeProcess.analystToken, "ECCOE_WAL_RESTART_PAGES": "64"]
        let arguments = ["--write-rate-limit", "0", "--consultation", "webinar.consultation.json"]
        let server = try ServeProcess(directory: dir, arguments: arguments, environment: environment)
        #expect(server.port > 0)
        #expect(server.firstLines.contains("registration: 40 places (40 free, 0 waiting)"))
        let statuses = Acknowledged()
        let (reached, acked, attempted) = postUntilKilled(
            server, keyPrefix: "reg", acknowledgements: 150, body: RegistrationCommandTests.body
        ) { key, answer in
            guard let status = (answer["registration"] as? [String: Any])?["status"] as? String else { return false }
            statuses.ack(key, status)
            return true
        }
        #expect(reached)
        let ackedStatus = statuses.snapshot.acked
        #expect(acked.count >= 150)

        let restarted = try ServeProcess(directory: dir, arguments: arguments)
        // Replaying every key: the acknowledged ones answer 200 with their id; unacknowledged ones are stored once.
        for key in attempted {
            let parts = key.split(separator: "-")
            let n = Int(parts[1])! * 10_000 + Int(parts[2])!
            let r = httpRequest(
                port: restarted.port, "POST", "/api/v1/responses",
                headers: [("Content-Type", "application/json"), ("Idempotency-Key", key)], body: RegistrationCommandTests.body(n))
            if let id = acked[key] {
                #expect(
                    r?.status == 200 && RegistrationCommandTests.json(r?.body ?? "")?["id"] as? String == id,
                    "acknowledged \(key)")
            } else {
                #expect(r?.status == 200 || r?.status == 201)
            }
        }
        restarted.kill(SIGTERM)
        #expect(restarted.wait() == 0)
        let export = try CommandRunner.run(
            ["export", "--db", dir.appendingPathComponent("eccoe.sqlite").path, "--format", "registrants-jsonl"], in: dir)
        #expect(export.status == 0, "\(export.stderr)")
        let rows = export.stdout.split(separator: "\n").compactMap { RegistrationCommandTests.json(String($0)) }
        let ids = rows.compactMap { $0["id"] as? String }
        #expect(ids.count == Set(ids).count && ids.count == attempted.count, "one registration per key")
        let confirmed = Set(rows.filter { $0["status"] as? String == "confirmed" }.compactMap { $0["id"] as? String })
        let positions = rows.compactMap { $0["waitingPosition"] as? Int }
        #expect(confirmed.count == 40)
        #expect(positions == Array(1...(ids.count - 40)))
        for (key, status) in ackedStatus where status == "confirmed" {
            #expect(confirmed.contains(acked[key]!), "\(key) keeps its place")
        }
        print(
            "registration crash test: \(acked.count) acknowledged of \(attempted.count) attempted before SIGKILL; after restart \(confirmed.count) confirmed, \(positions.count) waiting (1…\(positions.last ?? 0))"
        )

        // The CSV export neutralises formulas; a consultation that is no registration form has no registrants.
        let csv = try CommandRunner.run(
            ["export", "--db", dir.appendingPathComponent("eccoe.sqlite").path, "--format", "registrants-csv"], in: dir)
        #expect(csv.status == 0 && csv.stdout.contains(",'=cmd|' /C calc'!A0"))
    }
}
