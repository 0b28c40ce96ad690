public import ConsultationDomain
import Foundation
package import JSONSyntax
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A stored response as its owner sees it.
public struct StoredResponse: Sendable {
    public var id: String
    public var receivedAt: Timestamp
    public var updatedAt: Timestamp
    public var consentVersion: String
    public var consentAt: Timestamp
    public var content: ResponseContent

    package var json: JSONValue {
        .object(
            [("id", .string(id)), ("receivedAt", .string(receivedAt.rfc3339)), ("updatedAt", .string(updatedAt.rfc3339))]
                + content.json
                + [
                    (
                        "consent",
                        .object([
                            ("privacyVersion", .string(consentVersion)), ("given", .bool(true)),
                            ("givenAt", .string(consentAt.rfc3339)),
                        ])
                    )
                ])
    }
}

/// A new submission, prepared by the request's thread before it reaches the writer: validated content, and
/// every hash, random id and token computed up front so the one writer thread only runs SQL.
package struct Submission: Sendable {
    var content: ResponseContent
    var channel: String
    /// The language of the page or request the response was given in (a tag of the definition's languages).
    var language: String
    /// The idempotency key (prefixed by channel); nil: none was sent.
    var idempotencyKey: String?
    /// What the idempotency key is bound to: the answers and the consent, compared after parsing (so a
    /// retry that formats the same JSON differently is the same submission; other answers are a conflict).
    let bodyHash: [UInt8]
    let id = Secrets.newResponseID()
    let tokenBytes = Secrets.randomBytes(32)
    let contentHash: [UInt8]
    let tokenHash: [UInt8]
    let keyHash: [UInt8]?
    let sealedToken: [UInt8]?

    package init(
        content: ResponseContent, channel: String, language: String = "en", idempotencyKey: String?, consultationID: String,
        tokenKey: [UInt8]
    ) {
        self.content = content
        self.channel = channel
        self.language = language
        self.idempotencyKey = idempotencyKey
        contentHash = content.contentHash
        bodyHash = SHA256.hash(contentHash + Array((content.consentVersion ?? "").utf8))
        tokenHash = Secrets.keyedHash(Secrets.base64URL(tokenBytes), key: tokenKey)
        keyHash = idempotencyKey.map { SHA256.hash(Array("\(consultationID)\u{0}\($0)".utf8)) }
        let bytes = tokenBytes, responseID = id
        sealedToken = idempotencyKey.map { ConsultationStore.seal(bytes, key: $0, responseID: responseID) }
    }

    package var editToken: String { Secrets.base64URL(tokenBytes) }
}

/// What became of a submission.
package enum SubmitOutcome: Sendable {
    /// Stored: the receipt to send with 201.
    case created(Receipt)
    /// The same key and body were stored before: the original receipt, sent again with 200.
    case replayed(Receipt)
    /// The key was used with another body.
    case keyConflict
    /// The key's response was withdrawn since.
    case keyWithdrawn
    /// Outside the window [opensAt, closesAt).
    case closed
}

/// Failure of the store that the caller reports as 500 / 503 (never as an acknowledgement).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(description: String) { self.description = description }
}

/// The SQLite store of one consultation: one connection, owned by one writer thread; every other thread hands
/// it jobs and waits. Concurrent writes are committed together (group commit): the writer takes every job
/// waiting, runs each inside its own savepoint in one transaction, commits once with `synchronous=FULL`, and
/// only then wakes the requests, which answer 201. A crash before the commit loses only unacknowledged writes.
public final class ConsultationStore: Sendable {
    public let path: String
    public let definition: ConsultationDefinition
    package let clock: WallClock
    /// The server secret (CSRF tokens, address hashing), kept in `settings` so it survives restarts.
    package let secret: [UInt8]
    /// The key of every stored token's hash (derived from `secret`).
    package let tokenKey: [UInt8]
    /// Whether writes reach the disk, and if not since when and why (`/healthz`).
    public let health: StoreHealth
    let worker: StoreWorker

    /// Most jobs committed in one transaction.
    public static let maxBatch = 512

    /// The bounds on the store's files and drafts, with their defaults.
    public struct Limits: Sendable {
        /// WAL frames (pages written since the last restart of the log) after which the writer, between two
        /// commits, runs a RESTART checkpoint that waits for nobody: so under sustained writes the log starts
        /// over every few tens of megabytes instead of growing without end (a PASSIVE checkpoint cannot
        /// restart a log that a writer keeps appending to). 8,192 frames of 4 KiB: 32 MiB.
        public var walRestartFrames = 8192
        /// What the WAL file is cut back to when the log starts over (`PRAGMA journal_size_limit`).
        public var walSizeLimitBytes = 64 * 1024 * 1024
        /// Days a draft is kept after it was last saved; older drafts are neither shown nor kept.
        public var draftLifetimeDays = 30
        /// How often, in seconds of the store's wall clock, the background thread asks whether a registration
        /// form's personal data are due for deletion (`applyRetention`); it also runs when the store opens.
        public var retentionCheckSeconds: Int64 = 60
        public init() {}
    }

    package let limits: Limits

    /// Opens (creating and migrating) the database and stores the consultation to serve: `definition`, or
    /// when nil the built-in one, opened the first time it is served into this database.
    public init(
        path: String, definition: ConsultationDefinition? = nil, clock: WallClock = .system, limits: Limits = Limits(),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        // (The checkpointer is started last, once the schema and settings are in place.)
        self.path = path
        self.clock = clock
        self.limits = limits
        // A new database is readable by its owner only (SQLite gives its -wal and -shm files the same mode).
        if !FileManager.default.fileExists(atPath: path) {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if fd >= 0 { Glibc.close(fd) }
        }
        let db = try SQLiteConnection(path: path)
        try Migrations.apply(to: db)
        let now = clock.now()
        var resolved: ConsultationDefinition
        if let definition {
            resolved = definition
        } else {
            let stored = try db.query(
                "SELECT opens_at FROM consultations WHERE id = ? AND builtin = 1", [.text(BuiltInConsultation.id)]
            ) {
                Timestamp(milliseconds: $0.int(0))
            }.first
            resolved = ConsultationDefinition.builtIn(opensAt: stored ?? now)
        }
        try db.run(
            """
            INSERT INTO consultations (id, title, catalogue_version, definition, opens_at, closes_at, builtin, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, catalogue_version = excluded.catalogue_version,
              definition = excluded.definition, opens_at = excluded.opens_at, closes_at = excluded.closes_at,
              builtin = excluded.builtin
            """,
            [
                .text(resolved.id), .text(resolved.title), .text(resolved.catalogueVersion), .text(resolved.source),
                .int(resolved.opensAt.milliseconds), .int(resolved.closesAt.milliseconds), .int(definition == nil ? 1 : 0),
                .int(now.milliseconds),
            ])
        if let s = try db.query("SELECT value FROM settings WHERE key = 'secret'", [], { $0.blob(0) }).first, s.count == 32 {
            secret = s
        } else {
            let s = Secrets.randomBytes(32)
            try db.run("INSERT OR REPLACE INTO settings (key, value) VALUES ('secret', ?)", [.blob(s)])
            secret = s
        }
        tokenKey = SHA256.hmac(key: secret, message: Array("eccoe token hash key".utf8))
        self.definition = resolved
        // A registration form's places live in the database too, so its triggers can refuse overbooking; places
        // added since the last start go to the first on the waiting list at once.
        try db.run(
            "UPDATE consultations SET places = ? WHERE id = ?",
            [resolved.registration.map { .int(Int64($0.places)) } ?? .null, .text(resolved.id)])
        if let registration = resolved.registration {
            try db.transaction {
                _ = try ConsultationStore.promote(consultation: resolved.id, places: registration.places, now: now, db: db)
            }
        }
        // Checkpoints (copying the WAL back into the database file) run on their own connection and thread,
        // so the writer never pays for one inside a commit that requests are waiting on; the writer only
        // restarts the log, between commits, once it holds `walRestartFrames` (see `StoreWorker`).
        // What is deleted (a withdrawn response, a cancelled registration, personal data past their retention) is
        // overwritten, not left in free pages of the file.
        try db.execute("PRAGMA secure_delete=ON")
        try db.execute("PRAGMA wal_autocheckpoint=0")
        try db.execute("PRAGMA journal_size_limit=\(limits.walSizeLimitBytes)")
        db.trackWAL()
        health = StoreHealth(log: log)
        worker = StoreWorker(connection: db, walRestartFrames: limits.walRestartFrames, health: health, clock: clock)
        let chore = ConsultationStore.retentionChore(
            definition: resolved, clock: clock, every: limits.retentionCheckSeconds, worker: worker, log: log)
        chore()
        checkpointer = Checkpointer(connection: try SQLiteConnection(path: path), chore: chore)
    }

    private let checkpointer: Checkpointer

    /// Waits until the store's background thread has finished a pass (a checkpoint, then the retention check of a
    /// registration form) that began after this call, so whatever the pass reads of the store's clock was set before
    /// the call. False if the store closes first or none finishes within `timeout` seconds: a bound to fail by
    /// instead of hanging, not a pace (the thread passes every half second of real time).
    package func waitForBackgroundPass(timeout: Double = 20) -> Bool {
        checkpointer.waitForPass(until: Date().addingTimeInterval(timeout))
    }

    /// Finishes the jobs queued, then closes the connections. Later calls fail with `StoreError`.
    public func close() {
        checkpointer.close()
        worker.close()
    }

    /// A separate read-only connection for a long read (export, statistics, report), to be used by the
    /// calling thread only and dropped afterwards. WAL lets it read while the writer commits.
    public func openReader() throws -> ResponseReader { try ResponseReader(databasePath: path) }

    // MARK: Analyst token

    /// A chosen analyst token too weak to be used, with the message that says so.
    public struct WeakTokenError: Error, CustomStringConvertible, Sendable {
        public var bits: Int
        public var description: String {
            "ECCOE_ANALYST_TOKEN is too weak: it carries about \(bits) bits, and at least \(Secrets.minimumTokenBits) are needed "
                + "(for example 32 random hexadecimal digits: `openssl rand -hex 16`); or leave it unset and one is generated"
        }
    }

    /// Why a chosen analyst token is refused (estimated under 128 bits), or nil when it is strong enough.
    public static func weakness(ofAnalystToken token: String) -> WeakTokenError? {
        let bits = Secrets.estimatedBits(token)
        return bits < Secrets.minimumTokenBits ? WeakTokenError(bits: bits) : nil
    }

    /// Makes sure an analyst token exists and returns its keyed hash, plus the token itself when it was
    /// generated now (to print once). A `fixed` token (from `ECCOE_ANALYST_TOKEN`) replaces the stored one;
    /// one estimated under 128 bits is refused (`WeakTokenError`). A token an earlier version stored as a
    /// plain hash is replaced by a new generated one.
    public func prepareAnalystToken(fixed: String?) throws -> (generated: String?, hash: [UInt8]) {
        if let fixed, let weak = ConsultationStore.weakness(ofAnalystToken: fixed) { throw weak }
        let key = tokenKey
        return try worker.perform(write: true) { db -> (generated: String?, hash: [UInt8]) in
            try db.run("DELETE FROM settings WHERE key = 'analyst_token_hash'")
            if let fixed {
                let hash = Secrets.keyedHash(fixed, key: key)
                try db.run("INSERT OR REPLACE INTO settings (key, value) VALUES ('analyst_token_hmac', ?)", [.blob(hash)])
                return (nil, hash)
            }
            if let hash = try db.query("SELECT value FROM settings WHERE key = 'analyst_token_hmac'", [], { $0.blob(0) }).first {
                return (nil, hash)
            }
            let token = Secrets.newToken()
            let hash = Secrets.keyedHash(token, key: key)
            try db.run("INSERT INTO settings (key, value) VALUES ('analyst_token_hmac', ?)", [.blob(hash)])
            return (token, hash)
        }
    }

    // MARK: Responses

    package func submit(_ submission: Submission) throws -> SubmitOutcome {
        let definition = self.definition
        let clock = self.clock
        let raw = try worker.perform(write: true) { db -> RawSubmitResult in
            try ConsultationStore.insert(submission, definition: definition, now: clock.now(), db: db)
        }
        switch raw {
        case .closed: return .closed
        case .conflict: return .keyConflict
        case .withdrawn: return .keyWithdrawn
        case .created(let id, let token, let at, let status):
            return .created(Receipt(id: id, editToken: token, receivedAt: at, registration: status))
        case .replayed(let id, let sealed, let at, let status):
            guard let key = submission.idempotencyKey else { throw StoreError(description: "internal: replay without a key") }
            let token = Secrets.base64URL(ConsultationStore.seal(sealed, key: key, responseID: id))
            return .replayed(Receipt(id: id, editToken: token, receivedAt: at, registration: status))
        }
    }

    private enum RawSubmitResult: Sendable {
        case created(String, String, Timestamp, RegistrationStatus?)
        case replayed(String, [UInt8], Timestamp, RegistrationStatus?)
        case conflict, withdrawn, closed
    }

    /// XORs a 32-byte token with a mask only the holder of the idempotency key can compute: the stored
    /// record lets a replay return the same edit token while the database alone never reveals it.
    static func seal(_ bytes: [UInt8], key: String, responseID: String) -> [UInt8] {
        let mask = SHA256.hmac(key: Array(key.utf8), message: Array("eccoe edit token \(responseID)".utf8))
        return zip(bytes, mask).map { $0 ^ $1 }
    }

    private static func insert(_ s: Submission, definition: ConsultationDefinition, now: Timestamp, db: SQLiteConnection) throws
        -> RawSubmitResult
    {
        if let keyHash = s.keyHash {
            let found = try db.query(
                "SELECT body_hash, response_id, sealed_token, received_at FROM idempotency_keys WHERE key_hash = ?",
                [.blob(keyHash)]
            ) { ($0.blob(0), $0.text(1), $0.isNull(2) ? nil : $0.blob(2), Timestamp(milliseconds: $0.int(3))) }
            if let (bodyHash, responseID, sealed, at) = found.first {
                guard Secrets.constantTimeEqual(bodyHash, s.bodyHash) else { return .conflict }
                guard let sealed else { return .withdrawn }
                var status: RegistrationStatus?
                if definition.registration != nil,
                    let seq = try db.query("SELECT seq FROM responses WHERE id = ?", [.text(responseID)], { $0.int(0) }).first
                {
                    status = try registrationStatus(seq: seq, db: db)
                }
                return .replayed(responseID, sealed, at, status)
            }
        }
        guard definition.canWrite(at: now) else { return .closed }
        let duplicateOf = try db.query(
            "SELECT id FROM responses WHERE consultation_id = ? AND content_hash = ? ORDER BY seq LIMIT 1",
            [.text(definition.id), .blob(s.contentHash)]
        ) { $0.text(0) }.first
        try db.run(
            """
            INSERT INTO responses (id, consultation_id, catalogue_version, token_hash, channel, received_at, updated_at,
              consent_version, consent_at, content_hash, duplicate_of, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(s.id), .text(definition.id), .text(definition.catalogueVersion), .blob(s.tokenHash),
                .text(s.channel), .int(now.milliseconds), .int(now.milliseconds), .text(s.content.consentVersion ?? ""),
                .int(now.milliseconds), .blob(s.contentHash), duplicateOf.map { .text($0) } ?? .null, .text(s.language),
            ])
        let seq = db.lastInsertRowID
        try writeAnswers(s.content, seq: seq, db: db)
        // A registration's place is decided here, in the transaction that stores it: the writer runs one job at a
        // time, and the database's triggers refuse a confirmed place beyond `places` whatever happens.
        let status = try definition.registration.map {
            try decideRegistration(seq: seq, consultation: definition.id, places: $0.places, now: now, db: db)
        }
        if let keyHash = s.keyHash, let sealed = s.sealedToken {
            try db.run(
                "INSERT INTO idempotency_keys (key_hash, consultation_id, body_hash, response_id, sealed_token, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                [.blob(keyHash), .text(definition.id), .blob(s.bodyHash), .text(s.id), .blob(sealed), .int(now.milliseconds)])
        }
        try audit(db, now, "submit", definition.id, s.id, status.map { "\(s.channel), \($0.auditText)" } ?? s.channel)
        return .created(s.id, s.editToken, now, status)
    }

    private static func writeAnswers(_ c: ResponseContent, seq: Int64, db: SQLiteConnection) throws {
        for (part, list) in [("profile", c.profile), ("questions", c.questions)] {
            for (q, v) in list {
                try db.run(
                    "INSERT INTO question_answers (response_seq, part, question_id, value_json) VALUES (?, ?, ?, ?)",
                    [.int(seq), .text(part), .text(q), .text(v.json.htmlSafeText)])
            }
        }
        // Up to 32 answers per statement: SQLite's work per statement (not per row) dominates the writer's time.
        var start = 0
        while start < c.answers.count {
            let chunk = c.answers[start..<min(start + 32, c.answers.count)]
            let sql =
                "INSERT INTO answers (response_seq, criterion_id, rating, comment, suggestion) VALUES "
                + Array(repeating: "(?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
            var values: [SQLValue] = []
            values.reserveCapacity(chunk.count * 5)
            for (criterion, a) in chunk {
                values += [
                    .int(seq), .text(criterion), a.rating.map { .int(Int64($0)) } ?? .null,
                    a.comment.map { .text($0) } ?? .null, a.suggestion.map { .text($0) } ?? .null,
                ]
            }
            try db.run(sql, values)
            start += chunk.count
        }
    }

    static func audit(
        _ db: SQLiteConnection, _ now: Timestamp, _ event: String, _ consultation: String?, _ response: String?, _ detail: String?
    ) throws {
        try db.run(
            "INSERT INTO audit_log (at, event, consultation_id, response_id, detail) VALUES (?, ?, ?, ?, ?)",
            [
                .int(now.milliseconds), .text(event), consultation.map { .text($0) } ?? .null,
                response.map { .text($0) } ?? .null, detail.map { .text($0) } ?? .null,
            ])
    }

    /// The sequence number of response `id` if `token` is its edit token, and whether its hash is still in
    /// the unkeyed form of earlier versions; nil otherwise (unknown id and wrong token look the same to the
    /// caller: 404). Both comparisons always run, in constant time.
    static func authorise(
        _ id: String, _ token: String, key: [UInt8], definition: ConsultationDefinition, db: SQLiteConnection
    ) throws -> (seq: Int64, legacy: Bool)? {
        let keyed = Secrets.keyedHash(token, key: key), legacy = Secrets.legacyHash(token)
        guard
            let (seq, hash) = try db.query(
                "SELECT seq, token_hash FROM responses WHERE id = ? AND consultation_id = ?",
                [.text(id), .text(definition.id)], { ($0.int(0), $0.blob(1)) }
            ).first
        else {
            _ = Secrets.constantTimeEqual(keyed, legacy)  // the same work either way
            _ = Secrets.constantTimeEqual(keyed, legacy)
            return nil
        }
        let isKeyed = Secrets.constantTimeEqual(hash, keyed)
        let isLegacy = Secrets.constantTimeEqual(hash, legacy)
        return isKeyed || isLegacy ? (seq, !isKeyed) : nil
    }

    /// The response `id`, if `token` is its edit token.
    package func fetch(id: String, token: String) throws -> StoredResponse? {
        let definition = self.definition
        let key = tokenKey
        return try worker.perform(write: false) { db -> StoredResponse? in
            guard let (seq, _) = try ConsultationStore.authorise(id, token, key: key, definition: definition, db: db) else {
                return nil
            }
            return try ConsultationStore.load(seq: seq, definition: definition, db: db)
        }
    }

    static func load(seq: Int64, definition: ConsultationDefinition, db: SQLiteConnection) throws -> StoredResponse? {
        guard
            var r = try db.query(
                "SELECT id, received_at, updated_at, consent_version, consent_at FROM responses WHERE seq = ?",
                [.int(seq)],
                {
                    StoredResponse(
                        id: $0.text(0), receivedAt: Timestamp(milliseconds: $0.int(1)),
                        updatedAt: Timestamp(milliseconds: $0.int(2)),
                        consentVersion: $0.text(3), consentAt: Timestamp(milliseconds: $0.int(4)), content: ResponseContent())
                }
            ).first
        else { return nil }
        r.content.consentVersion = r.consentVersion
        r.content.consentGiven = true
        let values = try db.query(
            "SELECT part, question_id, value_json FROM question_answers WHERE response_seq = ?", [.int(seq)]
        ) {
            ($0.text(0), $0.text(1), $0.text(2))
        }
        for (part, q, json) in values {
            guard let v = AnswerValue(json: json) else { continue }
            if part == "profile" { r.content.profile.append((q, v)) } else { r.content.questions.append((q, v)) }
        }
        r.content.answers = try db.query(
            "SELECT criterion_id, rating, comment, suggestion FROM answers WHERE response_seq = ?", [.int(seq)]
        ) {
            (
                $0.text(0),
                CriterionAnswer(
                    rating: $0.optionalInt(1).map { Int($0) }, comment: $0.optionalText(2), suggestion: $0.optionalText(3))
            )
        }
        r.content.arrange(in: definition)
        return r
    }

    package enum ChangeOutcome: Sendable { case done(StoredResponse?), notFound, closed }

    /// Replaces the content of response `id` (edit token `token`); nil content withdraws (deletes) it.
    package func change(id: String, token: String, to content: ResponseContent?) throws -> ChangeOutcome {
        let definition = self.definition
        let contentHash = content?.contentHash ?? []
        let clock = self.clock
        let key = tokenKey
        return try worker.perform(write: true) { db -> ChangeOutcome in
            guard let (seq, legacy) = try ConsultationStore.authorise(id, token, key: key, definition: definition, db: db) else {
                return .notFound
            }
            let now = clock.now()
            guard definition.canWrite(at: now) else { return .closed }
            if legacy {
                try db.run(
                    "UPDATE responses SET token_hash = ? WHERE seq = ?", [.blob(Secrets.keyedHash(token, key: key)), .int(seq)])
            }
            guard let content else {
                try db.run("DELETE FROM responses WHERE seq = ?", [.int(seq)])
                try db.run("UPDATE idempotency_keys SET sealed_token = NULL WHERE response_id = ?", [.text(id)])
                try ConsultationStore.audit(db, now, "withdraw", definition.id, id, nil)
                // A withdrawn registration frees its place like a cancelled one.
                if let registration = definition.registration {
                    _ = try ConsultationStore.promote(consultation: definition.id, places: registration.places, now: now, db: db)
                }
                return .done(nil)
            }
            try db.run("DELETE FROM question_answers WHERE response_seq = ?", [.int(seq)])
            try db.run("DELETE FROM answers WHERE response_seq = ?", [.int(seq)])
            try ConsultationStore.writeAnswers(content, seq: seq, db: db)
            try db.run(
                "UPDATE responses SET updated_at = ?, consent_version = ?, consent_at = ?, content_hash = ? WHERE seq = ?",
                [
                    .int(now.milliseconds), .text(content.consentVersion ?? ""), .int(now.milliseconds), .blob(contentHash),
                    .int(seq),
                ])
            try ConsultationStore.audit(db, now, "edit", definition.id, id, nil)
            return .done(try ConsultationStore.load(seq: seq, definition: definition, db: db))
        }
    }

    /// Records an analyst's access (export, report, statistics) in the audit log.
    package func recordAccess(_ event: String, detail: String?) {
        let definition = self.definition
        let now = clock.now()
        _ = try? worker.perform(write: true) { db in
            try ConsultationStore.audit(db, now, event, definition.id, nil, detail)
        }
    }

    /// Appends an export (or report) by the command-line tool to the audit log of a database.
    public static func recordExport(databasePath: String, detail: String, event: String = "export") throws {
        let db = try SQLiteConnection(path: databasePath)
        defer { db.close() }
        let consultation = try db.query("SELECT id FROM consultations ORDER BY created_at DESC, id LIMIT 1") { $0.text(0) }.first
        try audit(db, Timestamp.now(), event, consultation, nil, "eccoe \(event) (command line): \(detail)")
    }

    // MARK: Drafts

    /// Saves the form's fields under a draft token (a new one when `token` is nil or unknown) and returns it;
    /// nil when the consultation is not open. Drafts older than `draftLifetimeDays` are deleted on the way
    /// (at most once an hour).
    package func saveDraft(token: String?, fields: [(String, String)]) throws -> String? {
        let definition = self.definition
        let now = clock.now()
        guard definition.canWrite(at: now) else { return nil }
        let token = token ?? Secrets.newToken()
        let json = JSONValue.array(fields.map { .array([.string($0.0), .string($0.1)]) }).htmlSafeText
        let key = tokenKey
        let cutoff = draftCutoff(now)
        let sweep = draftSweep.due(at: now)
        try worker.perform(write: true) { db in
            if sweep { try db.run("DELETE FROM drafts WHERE updated_at < ?", [.int(cutoff.milliseconds)]) }
            try db.run("DELETE FROM drafts WHERE token_hash = ?", [.blob(Secrets.legacyHash(token))])
            try db.run(
                """
                INSERT INTO drafts (token_hash, consultation_id, fields_json, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (token_hash) DO UPDATE SET fields_json = excluded.fields_json, updated_at = excluded.updated_at
                """, [.blob(Secrets.keyedHash(token, key: key)), .text(definition.id), .text(json), .int(now.milliseconds)])
        }
        return token
    }

    private func draftCutoff(_ now: Timestamp) -> Timestamp { now.adding(seconds: -Int64(limits.draftLifetimeDays) * 86_400) }

    /// When the expired drafts were last deleted.
    private let draftSweep = HourlySweep()

    /// The fields saved under a draft token, or nil (unknown, or expired).
    package func loadDraft(token: String) throws -> [(String, String)]? {
        let definition = self.definition
        let key = tokenKey
        let cutoff = draftCutoff(clock.now())
        let json = try worker.perform(write: false) { db in
            try db.query(
                "SELECT fields_json FROM drafts WHERE token_hash IN (?, ?) AND consultation_id = ? AND updated_at >= ?",
                [
                    .blob(Secrets.keyedHash(token, key: key)), .blob(Secrets.legacyHash(token)), .text(definition.id),
                    .int(cutoff.milliseconds),
                ]
            ) { $0.text(0) }.first
        }
        guard let json else { return nil }
        return SyntaxTree(parsing: json).root.elements.compactMap { pair in
            let e = Array(pair.elements)
            guard e.count == 2, let k = e[0].stringValue, let v = e[1].stringValue else { return nil }
            return (k, v)
        }
    }

    package func deleteDraft(token: String) {
        let key = tokenKey
        _ = try? worker.perform(write: true) { db in
            try db.run(
                "DELETE FROM drafts WHERE token_hash IN (?, ?)",
                [.blob(Secrets.keyedHash(token, key: key)), .blob(Secrets.legacyHash(token))])
        }
    }

    /// Drafts kept now (tests, health).
    package func draftCount() throws -> Int {
        try worker.perform(write: false) { db in try db.query("SELECT count(*) FROM drafts") { Int($0.int(0)) }.first ?? 0 }
    }

    /// Caps the database at `pages` pages on the writer's connection (`PRAGMA max_page_count`): writes past it
    /// fail with SQLITE_FULL exactly as on a full disk. For the tests of that path; 0 lifts the cap.
    package func capSize(pages: Int) throws {
        try worker.perform(write: false) { db in
            _ = try db.query("PRAGMA max_page_count = \(pages > 0 ? pages : 4_294_967_294)") { $0.int(0) }
        }
    }

    /// The database's size in pages now.
    package func pageCount() throws -> Int {
        try worker.perform(write: false) { db in try db.query("PRAGMA page_count") { Int($0.int(0)) }.first ?? 0 }
    }

    /// Counts for health checks and tests.
    public func responseCount() throws -> Int {
        let id = definition.id
        return try worker.perform(write: false) { db in
            try db.query("SELECT count(*) FROM responses WHERE consultation_id = ?", [.text(id)]) { Int($0.int(0)) }.first ?? 0
        }
    }
}

extension AnswerValue {
    /// Reads the stored JSON encoding back.
    init?(json: String) {
        let root = SyntaxTree(parsing: json).root
        switch root.kind {
        case .string: self = .text(root.stringValue ?? "")
        case .number:
            guard let n = root.integerValue, let i = Int(exactly: n) else { return nil }
            self = .number(i)
        case .array: self = .choices(root.elements.compactMap(\.stringValue))
        default: return nil
        }
    }
}

/// Whether the store's writes reach the disk. Degraded from the first storage failure (a full disk, an I/O
/// error) until the next commit that succeeds; each change is logged once, with its cause.
public final class StoreHealth: Sendable {
    private let problem = Mutex<(cause: String, since: Timestamp)?>(nil)
    private let log: @Sendable (String) -> Void

    init(log: @escaping @Sendable (String) -> Void) { self.log = log }

    /// Nil when writes succeed; else why they fail and since when.
    public var degradation: (cause: String, since: Timestamp)? { problem.withLock { $0 } }

    func failed(_ error: SQLiteError, at now: Timestamp) {
        guard error.isStorageFailure else { return }
        let first = problem.withLock { problem -> Bool in
            if problem != nil { return false }
            problem = (error.cause, now)
            return true
        }
        if first {
            log("eccoe serve: writes to the database fail: \(error.cause); submissions are answered 503 until they succeed again")
        }
    }

    func succeeded() {
        let recovered = problem.withLock { problem -> Bool in
            defer { problem = nil }
            return problem != nil
        }
        if recovered { log("eccoe serve: writes to the database succeed again") }
    }
}

/// Says when a periodic chore is due (drafts past their lifetime are deleted at most once an hour; the retention
/// of a registration form is checked every `retentionCheckSeconds`).
final class HourlySweep: Sendable {
    private let last = Mutex<Timestamp?>(nil)
    /// Milliseconds between two runs (an hour unless told).
    private let interval: Int64

    init(interval: Int64 = 3_600_000) { self.interval = interval }

    func due(at now: Timestamp) -> Bool {
        last.withLock { last in
            if let previous = last, now.milliseconds - previous.milliseconds < interval { return false }
            last = now
            return true
        }
    }
}

/// The thread that owns the store's connection and the queue of jobs waiting for it.
final class StoreWorker: @unchecked Sendable {
    // `queue` and `closed` are guarded by `condition`; `connection` is touched only by the worker thread
    // (and by `init`, before the thread starts).
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var closed = false
    private var finished = false
    private let connection: SQLiteConnection
    private let walRestartFrames: Int
    private let health: StoreHealth
    private let clock: WallClock

    /// A job for the writer: `run` executes it and returns its error (nil: it succeeded); `fail` overrides
    /// the result when the transaction that held it did not commit.
    final class Job: @unchecked Sendable {
        // The closures write the caller's result box on the worker thread before `done.signal()`; the caller
        // reads it after `done.wait()`.
        let write: Bool
        let run: (SQLiteConnection) -> (any Error)?
        let fail: (any Error) -> Void
        let done = DispatchSemaphore(value: 0)
        init(write: Bool, run: @escaping (SQLiteConnection) -> (any Error)?, fail: @escaping (any Error) -> Void) {
            self.write = write
            self.run = run
            self.fail = fail
        }
    }

    private final class ResultBox<T>: @unchecked Sendable {
        // Written by the worker before the job's semaphore is signalled, read by the caller after it.
        var result: Result<T, any Error> = .failure(StoreError(description: "not run"))
    }

    init(connection: SQLiteConnection, walRestartFrames: Int, health: StoreHealth, clock: WallClock) {
        self.connection = connection
        self.walRestartFrames = walRestartFrames
        self.health = health
        self.clock = clock
        let thread = Thread { [self] in run() }
        thread.name = "eccoe-store-writer"
        thread.start()
    }

    func perform<T: Sendable>(write: Bool, _ body: @escaping @Sendable (SQLiteConnection) throws -> T) throws -> T {
        let box = ResultBox<T>()
        let job = Job(
            write: write,
            run: { db in
                do {
                    box.result = .success(try body(db))
                    return nil
                } catch {
                    box.result = .failure(error)
                    return error
                }
            }, fail: { box.result = .failure($0) })
        condition.lock()
        if closed {
            condition.unlock()
            throw StoreError(description: "the store is closed")
        }
        queue.append(job)
        condition.signal()
        condition.unlock()
        job.done.wait()
        return try box.result.get()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty && closed {
                connection.close()
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = Array(queue.prefix(ConsultationStore.maxBatch))
            queue.removeFirst(batch.count)
            condition.unlock()
            let writes = batch.filter(\.write)
            if !writes.isEmpty { commit(writes) }
            for job in batch where !job.write { _ = job.run(connection) }
            for job in batch { job.done.signal() }
            // Past the threshold, start the log over before the next batch: the background checkpointer has
            // copied most frames already, so this is the rest plus one sync. It waits for nobody: when a
            // reader still uses the log (a long export) it copies what it can and is tried again next time.
            restartLogIfLarge()
        }
    }

    /// Past `walRestartFrames` plus half the database's pages (so the log stays under twice the database plus
    /// 64 MiB, and restarts grow rarer as the database grows), starts the log over before the next batch. The
    /// background checkpointer keeps copying while the log is large, so what is left to copy here is little:
    /// the cost is mostly one sync. It waits for nobody: while a reader still uses the log (a long export),
    /// it copies what it can and is tried again after the next batch.
    private func restartLogIfLarge() {
        let frames = connection.walFrames
        guard frames >= walRestartFrames else { return }
        let pages = (try? connection.query("PRAGMA page_count") { Int($0.int(0)) }.first) ?? 0
        guard frames >= walRestartFrames + pages / 2 else { return }
        connection.checkpoint(.restart, wait: false)
    }

    /// Runs the write jobs in one transaction, each in a savepoint so one failure does not undo the others.
    /// A storage failure (full disk, I/O error) marks the store degraded; a commit that succeeds clears it.
    private func commit(_ jobs: [Job]) {
        var storageFailed = false
        func storage(_ error: any Error) {
            if let e = error as? SQLiteError, e.isStorageFailure {
                storageFailed = true
                health.failed(e, at: clock.now())
            }
        }
        do {
            try connection.execute("BEGIN IMMEDIATE")
        } catch {
            storage(error)
            for job in jobs { job.fail(error) }
            return
        }
        for job in jobs {
            do {
                try connection.run("SAVEPOINT job")
            } catch {
                storage(error)
                job.fail(error)
                continue
            }
            if let error = job.run(connection) {
                storage(error)
            } else {
                do {
                    try connection.run("RELEASE job")
                    continue
                } catch {
                    storage(error)
                    job.fail(error)
                }
            }
            try? connection.run("ROLLBACK TO job")
            try? connection.run("RELEASE job")
        }
        do {
            try connection.execute("COMMIT")
            if !storageFailed { health.succeeded() }
        } catch {
            storage(error)
            try? connection.execute("ROLLBACK")
            for job in jobs { job.fail(StoreError(description: "commit failed: \(error)")) }
        }
    }
}

/// Copies the write-ahead log back into the database file every `interval`, with a PASSIVE checkpoint
/// that never blocks the writer; owns its own connection on its own thread. Each checkpoint and the chore after
/// it are one pass; `waitForPass` lets a caller wait for a pass that began after it asked.
private final class Checkpointer: @unchecked Sendable {
    // `stopping`, `finished`, `passesBegun` and `passesDone` are guarded by `condition`; `connection` is used only
    // by the thread.
    private let condition = NSCondition()
    private var stopping = false
    private var finished = false
    /// Passes numbered from 1: the number of the latest one begun, and of the latest one finished.
    private var passesBegun = 0
    private var passesDone = 0
    private let connection: SQLiteConnection
    /// How long it waits between checkpoints: every half second, or every 50 ms while the log holds more
    /// than `busyFrames` (4 MiB) so the writer's restart finds little left to copy.
    static let interval = 0.5
    static let busyInterval = 0.05
    static let busyFrames = 1024

    /// Run after each checkpoint (the retention check, which decides by the store's own clock).
    private let chore: @Sendable () -> Void

    init(connection: SQLiteConnection, chore: @escaping @Sendable () -> Void = {}) {
        self.connection = connection
        self.chore = chore
        let thread = Thread { [self] in run() }
        thread.name = "eccoe-store-checkpointer"
        thread.start()
    }

    private func run() {
        var wait = Checkpointer.interval
        while true {
            condition.lock()
            if !stopping { _ = condition.wait(until: Date().addingTimeInterval(wait)) }
            let stop = stopping
            if !stop { passesBegun += 1 }
            condition.unlock()
            if stop { break }
            let result = connection.checkpoint(.passive, wait: true)
            chore()
            wait = result.logFrames >= Checkpointer.busyFrames ? Checkpointer.busyInterval : Checkpointer.interval
            condition.lock()
            passesDone = passesBegun
            condition.broadcast()
            condition.unlock()
        }
        connection.close()
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func close() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    /// Waits until a pass that began after this call has finished: true then; false if the checkpointer stops first
    /// or `deadline` passes (a bound to fail by, not a pace: passes come every `interval`).
    func waitForPass(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let awaited = passesBegun + 1
        while passesDone < awaited {
            if stopping || !condition.wait(until: deadline) { return passesDone >= awaited }
        }
        return true
    }
}
