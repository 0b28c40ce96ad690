/// The store's schema, as numbered migrations applied in order inside one transaction each; the version
/// reached is kept in `PRAGMA user_version`. Never edit a published migration: append a new one.
enum Migrations {
    static let steps: [String] = [
        // 1: consultations, responses with one row per answer, idempotency records, drafts, settings, audit log.
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE consultations (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            catalogue_version TEXT NOT NULL,
            definition TEXT NOT NULL,
            opens_at INTEGER NOT NULL,
            closes_at INTEGER NOT NULL,
            builtin INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            CHECK (closes_at > opens_at)
        ) WITHOUT ROWID;
        CREATE TABLE responses (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            consultation_id TEXT NOT NULL REFERENCES consultations(id),
            catalogue_version TEXT NOT NULL,
            token_hash BLOB NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('form', 'api')),
            received_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            consent_version TEXT NOT NULL,
            consent_at INTEGER NOT NULL,
            content_hash BLOB NOT NULL,
            duplicate_of TEXT
        );
        CREATE INDEX responses_by_content ON responses (consultation_id, content_hash);
        CREATE TABLE question_answers (
            response_seq INTEGER NOT NULL REFERENCES responses(seq) ON DELETE CASCADE,
            part TEXT NOT NULL CHECK (part IN ('profile', 'questions')),
            question_id TEXT NOT NULL,
            value_json TEXT NOT NULL,
            PRIMARY KEY (response_seq, part, question_id)
        ) WITHOUT ROWID;
        CREATE TABLE answers (
            response_seq INTEGER NOT NULL REFERENCES responses(seq) ON DELETE CASCADE,
            criterion_id TEXT NOT NULL,
            rating INTEGER CHECK (rating BETWEEN 1 AND 5),
            comment TEXT,
            suggestion TEXT,
            PRIMARY KEY (response_seq, criterion_id)
        ) WITHOUT ROWID;
        CREATE TABLE idempotency_keys (
            key_hash BLOB PRIMARY KEY,
            consultation_id TEXT NOT NULL,
            body_hash BLOB NOT NULL,
            response_id TEXT NOT NULL,
            sealed_token BLOB,
            received_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE drafts (
            token_hash BLOB PRIMARY KEY,
            consultation_id TEXT NOT NULL,
            fields_json TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('submit', 'edit', 'withdraw', 'export', 'report', 'statistics')),
            consultation_id TEXT,
            response_id TEXT,
            detail TEXT
        );
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
        // 2: drafts expire (found by age); token hashes are keyed from now on (same columns, see Secrets.keyedHash).
        """
        CREATE INDEX drafts_by_age ON drafts (updated_at);
        """,
        // 3: the language each response was given in (the page's language; `en` for responses stored before).
        """
        ALTER TABLE responses ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
        """,
        // 4: registration forms. Each registration is a response plus its place: confirmed, or waiting with a rank
        // (its order on the waiting list). The consultation's places are stored so the database itself refuses
        // a confirmed place beyond them (the triggers), whatever the code does. The audit log learns the events
        // of registrations and retention (SQLite cannot change a CHECK: the table is copied, entries kept).
        """
        ALTER TABLE consultations ADD COLUMN places INTEGER;
        CREATE TABLE registrations (
            response_seq INTEGER PRIMARY KEY REFERENCES responses(seq) ON DELETE CASCADE,
            consultation_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting')),
            waiting_rank INTEGER,
            registered_at INTEGER NOT NULL,
            confirmed_at INTEGER,
            CHECK ((status = 'waiting') = (waiting_rank IS NOT NULL))
        );
        CREATE UNIQUE INDEX registrations_waiting ON registrations (consultation_id, waiting_rank) WHERE waiting_rank IS NOT NULL;
        CREATE INDEX registrations_by_status ON registrations (consultation_id, status);
        CREATE TRIGGER registrations_no_overbooking_insert BEFORE INSERT ON registrations
        WHEN NEW.status = 'confirmed' AND (SELECT count(*) FROM registrations WHERE consultation_id = NEW.consultation_id AND status = 'confirmed')
            >= coalesce((SELECT places FROM consultations WHERE id = NEW.consultation_id), 0)
        BEGIN SELECT RAISE(ABORT, 'no place left: the registration must go on the waiting list'); END;
        CREATE TRIGGER registrations_no_overbooking_update BEFORE UPDATE OF status ON registrations
        WHEN NEW.status = 'confirmed' AND OLD.status <> 'confirmed'
            AND (SELECT count(*) FROM registrations WHERE consultation_id = NEW.consultation_id AND status = 'confirmed')
            >= coalesce((SELECT places FROM consultations WHERE id = NEW.consultation_id), 0)
        BEGIN SELECT RAISE(ABORT, 'no place left to promote into'); END;
        ALTER TABLE audit_log RENAME TO audit_log_3;
        CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('submit', 'edit', 'withdraw', 'export', 'report', 'statistics',
                'cancel', 'promote', 'retention')),
            consultation_id TEXT,
            response_id TEXT,
            detail TEXT
        );
        INSERT INTO audit_log (seq, at, event, consultation_id, response_id, detail)
            SELECT seq, at, event, consultation_id, response_id, detail FROM audit_log_3;
        DROP TABLE audit_log_3;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
    ]

    /// Brings the database to the latest version. Refuses a database written by a newer eccoe.
    static func apply(to db: SQLiteConnection) throws {
        let current = try db.query("PRAGMA user_version") { Int($0.int(0)) }.first ?? 0
        if current > steps.count {
            throw SQLiteError(
                code: 1, message: "the database has schema version \(current); this eccoe knows up to \(steps.count)",
                sql: "PRAGMA user_version")
        }
        for version in current..<steps.count {
            try db.transaction {
                try db.execute(steps[version])
                try db.execute("PRAGMA user_version = \(version + 1)")
            }
        }
    }
}
