package import ConsultationDomain

/// How many places a registration form has, and how they are taken.
public struct RegistrationCounts: Sendable, Hashable {
    public var places: Int
    public var confirmed: Int
    public var waiting: Int
    /// Places still free (0 once they are taken, even if a definition lowered `places` below `confirmed`).
    public var free: Int { max(0, places - confirmed) }
}

/// What became of a cancellation.
package enum CancelOutcome: Sendable, Equatable {
    /// Deleted; `promoted` registrants moved from the waiting list to the freed place.
    case cancelled(promoted: Int)
    /// No registration with this id and token (or not a registration form).
    case notFound
    /// The event has started: cancelling no longer frees anything.
    case tooLate
}

/// What the retention deleted, once the event plus `retentionDays` has passed.
public struct RetentionOutcome: Sendable, Hashable {
    /// Registrations deleted with their personal data (`confirmed` + `waiting`).
    public var registrations: Int
    public var confirmed: Int
    public var waiting: Int
    /// Drafts of the form deleted (they hold personal data too).
    public var drafts: Int
}

extension RegistrationStatus {
    /// How the audit log records a decision: the status and position, never who.
    var auditText: String {
        switch self {
        case .confirmed: "confirmed"
        case .waiting(let p): "waiting list position \(p)"
        }
    }
}

/// Registration forms in the store: the decision between a place and the waiting list (inside the transaction that
/// stores the registration), cancellation and promotion (one transaction), and retention. Every function here runs
/// on the writer's connection, inside its transaction.
extension ConsultationStore {
    /// Decides the place of the registration just stored as response `seq`: confirmed while places are free and
    /// nobody waits (a newcomer never overtakes the waiting list), else the next rank on the waiting list.
    static func decideRegistration(seq: Int64, consultation: String, places: Int, now: Timestamp, db: SQLiteConnection) throws
        -> RegistrationStatus
    {
        let counts = try counts(consultation: consultation, db: db)
        if counts.confirmed < places && counts.waiting == 0 {
            try db.run(
                "INSERT INTO registrations (response_seq, consultation_id, status, registered_at, confirmed_at) VALUES (?, ?, 'confirmed', ?, ?)",
                [.int(seq), .text(consultation), .int(now.milliseconds), .int(now.milliseconds)])
            return .confirmed
        }
        let rank =
            try db.query(
                "SELECT coalesce(max(waiting_rank), 0) + 1 FROM registrations WHERE consultation_id = ? AND status = 'waiting'",
                [.text(consultation)]
            ) { $0.int(0) }.first ?? 1
        try db.run(
            "INSERT INTO registrations (response_seq, consultation_id, status, waiting_rank, registered_at) VALUES (?, ?, 'waiting', ?, ?)",
            [.int(seq), .text(consultation), .int(rank), .int(now.milliseconds)])
        return .waiting(position: counts.waiting + 1)
    }

    static func counts(consultation: String, db: SQLiteConnection) throws -> (confirmed: Int, waiting: Int) {
        try db.query(
            "SELECT coalesce(sum(status = 'confirmed'), 0), coalesce(sum(status = 'waiting'), 0) FROM registrations WHERE consultation_id = ?",
            [.text(consultation)]
        ) { (Int($0.int(0)), Int($0.int(1))) }.first ?? (0, 0)
    }

    /// Where registration `seq` stands now: confirmed, or its position among those still waiting (1 is next).
    static func registrationStatus(seq: Int64, db: SQLiteConnection) throws -> RegistrationStatus? {
        guard
            let (consultation, rank) = try db.query(
                "SELECT consultation_id, waiting_rank FROM registrations WHERE response_seq = ?", [.int(seq)],
                { ($0.text(0), $0.optionalInt(1)) }
            ).first
        else { return nil }
        guard let rank else { return .confirmed }
        let ahead =
            try db.query(
                "SELECT count(*) FROM registrations WHERE consultation_id = ? AND status = 'waiting' AND waiting_rank < ?",
                [.text(consultation), .int(rank)]
            ) { Int($0.int(0)) }.first ?? 0
        return .waiting(position: ahead + 1)
    }

    /// Gives free places to the first on the waiting list, in rank order, and records each promotion. Returns how
    /// many were promoted.
    static func promote(consultation: String, places: Int, now: Timestamp, db: SQLiteConnection) throws -> Int {
        let free = places - (try counts(consultation: consultation, db: db)).confirmed
        guard free > 0 else { return 0 }
        let next = try db.query(
            """
            SELECT g.response_seq, r.id FROM registrations g JOIN responses r ON r.seq = g.response_seq
            WHERE g.consultation_id = ? AND g.status = 'waiting' ORDER BY g.waiting_rank LIMIT ?
            """, [.text(consultation), .int(Int64(free))]
        ) { ($0.int(0), $0.text(1)) }
        for (seq, id) in next {
            try db.run(
                "UPDATE registrations SET status = 'confirmed', waiting_rank = NULL, confirmed_at = ? WHERE response_seq = ?",
                [.int(now.milliseconds), .int(seq)])
            try audit(db, now, "promote", consultation, id, "from the waiting list to a freed place")
        }
        return next.count
    }

    /// The places of this registration form and how they are taken; nil when the definition is not one.
    package func registrationCounts() throws -> RegistrationCounts? {
        guard let registration = definition.registration else { return nil }
        let id = definition.id
        let (confirmed, waiting) = try worker.perform(write: false) { db in try ConsultationStore.counts(consultation: id, db: db)
        }
        return RegistrationCounts(places: registration.places, confirmed: confirmed, waiting: waiting)
    }

    /// Registration `id` with what it registered and where it stands now, if `token` is its token.
    package func registration(id: String, token: String) throws -> (StoredResponse, RegistrationStatus)? {
        guard definition.registration != nil else { return nil }
        let definition = self.definition
        let key = tokenKey
        return try worker.perform(write: false) { db -> (StoredResponse, RegistrationStatus)? in
            guard let (seq, _) = try ConsultationStore.authorise(id, token, key: key, definition: definition, db: db),
                let status = try ConsultationStore.registrationStatus(seq: seq, db: db),
                let stored = try ConsultationStore.load(seq: seq, definition: definition, db: db)
            else { return nil }
            return (stored, status)
        }
    }

    /// Cancels registration `id` (token `token`) until the event starts: deletes it with its personal data and, in the
    /// same transaction, gives the freed place to the first on the waiting list.
    package func cancelRegistration(id: String, token: String) throws -> CancelOutcome {
        guard let registration = definition.registration else { return .notFound }
        let definition = self.definition
        let key = tokenKey
        let clock = self.clock
        return try worker.perform(write: true) { db -> CancelOutcome in
            guard let (seq, _) = try ConsultationStore.authorise(id, token, key: key, definition: definition, db: db),
                let status = try ConsultationStore.registrationStatus(seq: seq, db: db)
            else { return .notFound }
            let now = clock.now()
            guard registration.canCancel(at: now) else { return .tooLate }
            try db.run("DELETE FROM responses WHERE seq = ?", [.int(seq)])
            try db.run("UPDATE idempotency_keys SET sealed_token = NULL WHERE response_id = ?", [.text(id)])
            try ConsultationStore.audit(db, now, "cancel", definition.id, id, status.auditText)
            let promoted = try ConsultationStore.promote(
                consultation: definition.id, places: registration.places, now: now, db: db)
            return .cancelled(promoted: promoted)
        }
    }

    /// Deletes the registrants' personal data (every registration with its answers, the form's drafts and
    /// idempotency records) once the event plus `retentionDays` has passed on the store's clock, and records what it
    /// deleted (counts, never data) in the audit log. Nil before that time or when the definition is not a
    /// registration form; after the first deletion, later calls delete what may have come since (nothing, since
    /// registration closes when the event starts) and record only when they deleted something.
    public func applyRetention() throws -> RetentionOutcome? {
        try ConsultationStore.applyRetention(definition: definition, now: clock.now(), worker: worker)
    }

    static func applyRetention(definition: ConsultationDefinition, now: Timestamp, worker: StoreWorker) throws
        -> RetentionOutcome?
    {
        guard let registration = definition.registration, now >= registration.erasureAt else { return nil }
        return try worker.perform(write: true) { db -> RetentionOutcome? in
            let flag = "retention_applied:" + definition.id
            let applied = try !db.query("SELECT 1 FROM settings WHERE key = ?", [.text(flag)]) { $0.int(0) }.isEmpty
            let (confirmed, waiting) = try counts(consultation: definition.id, db: db)
            try db.run("DELETE FROM responses WHERE consultation_id = ?", [.text(definition.id)])
            let responses = db.changes
            try db.run("DELETE FROM drafts WHERE consultation_id = ?", [.text(definition.id)])
            let drafts = db.changes
            try db.run("DELETE FROM idempotency_keys WHERE consultation_id = ?", [.text(definition.id)])
            let outcome = RetentionOutcome(
                registrations: confirmed + waiting, confirmed: confirmed, waiting: waiting, drafts: drafts)
            if applied && responses == 0 && drafts == 0 { return outcome }
            try db.run(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [.text(flag), .blob(Array(now.rfc3339.utf8))])
            try audit(
                db, now, "retention", definition.id, nil,
                "personal data deleted \(registration.retentionDays) days after the event (due \(registration.erasureAt.rfc3339)): "
                    + "\(confirmed + waiting) registrations (\(confirmed) confirmed, \(waiting) on the waiting list), "
                    + "\(responses - confirmed - waiting) other responses, \(drafts) drafts")
            return outcome
        }
    }

    /// The retention check the store's background thread runs: at most once per `every` seconds of the store's
    /// clock, and only for a registration form whose deletion is due. Failures are logged and tried again later.
    static func retentionChore(
        definition: ConsultationDefinition, clock: WallClock, every: Int64, worker: StoreWorker,
        log: @escaping @Sendable (String) -> Void
    ) -> @Sendable () -> Void {
        guard definition.registration != nil else { return {} }
        let sweep = HourlySweep(interval: max(1, every) * 1000)
        return {
            let now = clock.now()
            guard sweep.due(at: now) else { return }
            do {
                if let done = try applyRetention(definition: definition, now: now, worker: worker),
                    done.registrations + done.drafts > 0
                {
                    log(
                        "eccoe serve: retention: deleted the personal data of \(done.registrations) registrations and \(done.drafts) drafts"
                    )
                }
            } catch {
                log("eccoe serve: retention: the personal data could not be deleted yet (\(error)); trying again later")
            }
        }
    }
}

/// One registrant as the analysts' export reads it.
package struct RegistrantRow: Sendable {
    package var id: String
    package var status: RegistrationStatus
    package var registeredAt: Timestamp
    /// When the place was confirmed (at registration, or when promoted from the waiting list).
    package var confirmedAt: Timestamp?
    package var language: String
    package var duplicateOf: String?
    package var content = ResponseContent()
}

extension ResponseReader {
    /// Walks the registrants of `definition`: confirmed places in the order they were confirmed, then the waiting list
    /// in its order, each with its answers. One read transaction (a consistent snapshot); memory holds one registrant.
    package func forEachRegistrant(definition: ConsultationDefinition, _ body: (RegistrantRow) throws -> Void) throws {
        try connection.readTransaction {
            let registrants = try connection.prepare(
                """
                SELECT g.response_seq, r.id, g.status, g.registered_at, g.confirmed_at, r.language, r.duplicate_of
                FROM registrations g JOIN responses r ON r.seq = g.response_seq
                WHERE g.consultation_id = ?
                ORDER BY g.status = 'waiting', g.waiting_rank, g.confirmed_at, g.response_seq
                """)
            let values = try connection.prepare(
                "SELECT part, question_id, value_json FROM question_answers WHERE response_seq = ?")
            defer {
                registrants.reset()
                values.reset()
            }
            try registrants.bind([.text(definition.id)])
            var position = 0
            while try registrants.step() {
                let waiting = registrants.text(2) == "waiting"
                if waiting { position += 1 }
                var row = RegistrantRow(
                    id: registrants.text(1), status: waiting ? .waiting(position: position) : .confirmed,
                    registeredAt: Timestamp(milliseconds: registrants.int(3)),
                    confirmedAt: registrants.optionalInt(4).map { Timestamp(milliseconds: $0) }, language: registrants.text(5),
                    duplicateOf: registrants.optionalText(6))
                values.reset()
                try values.bind([.int(registrants.int(0))])
                while try values.step() {
                    guard let v = AnswerValue(json: values.text(2)) else { continue }
                    if values.text(0) == "profile" {
                        row.content.profile.append((values.text(1), v))
                    } else {
                        row.content.questions.append((values.text(1), v))
                    }
                }
                row.content.arrange(in: definition)
                try body(row)
            }
        }
    }
}
