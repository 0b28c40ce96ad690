import CSQLite
import Foundation

/// An SQLite failure: the result code, SQLite's message and the SQL that failed, so a log line says what
/// went wrong where.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public var code: Int32
    public var message: String
    public var sql: String

    public var description: String { "SQLite error \(code) (\(message)) in: \(sql)" }

    /// The operating system's error number behind an I/O failure (0 when none or unknown).
    public var systemErrno: Int32 = 0

    /// True for a UNIQUE / PRIMARY KEY / CHECK / FOREIGN KEY violation.
    public var isConstraint: Bool { code & 0xFF == SQLITE_CONSTRAINT }

    /// True when the failure is the storage's, not the statement's: a full disk, an I/O error, a database
    /// file that cannot be opened, written or read. The collector reports itself degraded on these.
    public var isStorageFailure: Bool {
        [SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_CORRUPT, SQLITE_NOTADB].contains(code & 0xFF)
    }

    /// The cause in words, for a log line: what SQLite said and what the system said.
    public var cause: String {
        let system = systemErrno != 0 ? "; the system says: \(String(cString: strerror(systemErrno)))" : ""
        if code & 0xFF == SQLITE_FULL {
            return "the disk holding the database is full (SQLite error \(code): \(message)\(system))"
        }
        return "SQLite error \(code) (\(message)\(system))"
    }
}

/// `SQLITE_TRANSIENT` is a C macro that does not import: SQLite copies the bound bytes.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A value bound to a statement parameter.
enum SQLValue {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])
}

/// One SQLite connection. Not `Sendable`: exactly one owner (the store's writer thread, or the one request
/// that opened a read connection for an export) uses it, which is what lets us open it `NOMUTEX`.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var cache: [String: PreparedStatement] = [:]

    /// Opens (creating if needed) the database at `path`, with the durability settings every acknowledged
    /// write relies on: WAL, `synchronous=FULL`, foreign keys, and a busy timeout for concurrent readers.
    init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        if rc != SQLITE_OK {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message, sql: "open \(path)")
        }
        handle = db
        sqlite3_busy_timeout(db, SQLiteConnection.busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(db, 1)
        if !readOnly {
            try execute("PRAGMA journal_mode=WAL")
        }
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit { close() }

    func close() {
        cache.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    private func error(_ rc: Int32, _ sql: String) -> SQLiteError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed"
        var e = SQLiteError(code: rc, message: message, sql: sql)
        e.systemErrno = handle.map { sqlite3_system_errno($0) } ?? 0
        return e
    }

    /// Frames in the write-ahead log after the last commit on this connection (kept by a WAL hook).
    var walFrames: Int { Int(walHook.frames) }

    /// Counts the WAL's frames after each commit. Touched only by the connection's owner thread: SQLite
    /// calls the hook inside that thread's commit.
    private final class WALHook {
        var frames: Int32 = 0
    }
    private let walHook = WALHook()

    /// Installs the WAL hook (which also turns SQLite's own automatic checkpoints off: the store runs its own).
    func trackWAL() {
        sqlite3_wal_hook(
            handle,
            { context, _, _, frames in
                if let context { Unmanaged<WALHook>.fromOpaque(context).takeUnretainedValue().frames = frames }
                return SQLITE_OK
            }, Unmanaged.passUnretained(walHook).toOpaque())
    }

    /// Checkpoint modes (SQLite's `SQLITE_CHECKPOINT_*`).
    enum CheckpointMode { case passive, restart, truncate }

    /// What a checkpoint did: whether it completed (every frame copied, and for RESTART the log will start
    /// over at the next write) and how many frames the log held.
    struct CheckpointResult {
        var completed: Bool
        var logFrames: Int
    }

    /// Runs a checkpoint; waits for nobody when `wait` is false (SQLite then checkpoints what it can and
    /// answers busy).
    @discardableResult
    func checkpoint(_ mode: CheckpointMode, wait: Bool) -> CheckpointResult {
        let m: Int32 =
            switch mode {
            case .passive: SQLITE_CHECKPOINT_PASSIVE
            case .restart: SQLITE_CHECKPOINT_RESTART
            case .truncate: SQLITE_CHECKPOINT_TRUNCATE
            }
        if !wait { sqlite3_busy_timeout(handle, 0) }
        defer { if !wait { sqlite3_busy_timeout(handle, SQLiteConnection.busyTimeoutMilliseconds) } }
        var log: Int32 = 0, done: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, m, &log, &done)
        if rc == SQLITE_OK && mode != .passive { walHook.frames = 0 }
        return CheckpointResult(completed: rc == SQLITE_OK && log == done, logFrames: Int(max(0, log)))
    }

    /// How long a statement waits for a lock held by another connection.
    static let busyTimeoutMilliseconds: Int32 = 10_000

    /// Runs SQL that takes no parameters and returns no rows we need (schema changes, pragmas, transactions).
    func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error"
            sqlite3_free(message)
            throw SQLiteError(code: rc, message: text, sql: sql)
        }
    }

    /// A prepared statement for `sql`, cached per connection (every value is bound, never spliced in).
    func prepare(_ sql: String) throws(SQLiteError) -> PreparedStatement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        let statement = PreparedStatement(stmt: stmt, sql: sql, connection: self)
        cache[sql] = statement
        return statement
    }

    /// Runs a statement with the given parameters, discarding any rows.
    func run(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() {}
    }

    /// The rows of a query, each row read by `read`.
    func query<T>(_ sql: String, _ values: [SQLValue] = [], _ read: (PreparedStatement) -> T) throws(SQLiteError) -> [T] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var rows: [T] = []
        while try statement.step() { rows.append(read(statement)) }
        return rows
    }

    /// Steps through the rows of a query one at a time (a cursor: nothing is collected), calling `body` on each.
    func forEach(_ sql: String, _ values: [SQLValue] = [], _ body: (PreparedStatement) throws -> Void) throws {
        let statement = try prepare(sql)
        try statement.bind(values)
        while try statement.step() { try body(statement) }
        statement.reset()
    }

    /// The rowid of the last row inserted on this connection.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The number of rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    fileprivate func failure(_ rc: Int32, _ sql: String) -> SQLiteError { error(rc, sql) }

    /// Runs `body` in one read transaction (`BEGIN` … `COMMIT`), so every query inside it sees the same
    /// snapshot of the database however many writes commit meanwhile (WAL keeps that snapshot for us).
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        defer { try? execute("COMMIT") }
        return try body()
    }

    /// Runs `body` in one transaction (`BEGIN IMMEDIATE` … `COMMIT`), rolling back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A compiled statement with typed parameter binding and column access.
final class PreparedStatement {
    private let stmt: OpaquePointer
    let sql: String
    private unowned let connection: SQLiteConnection

    fileprivate init(stmt: OpaquePointer, sql: String, connection: SQLiteConnection) {
        self.stmt = stmt
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(stmt) }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    func bind(_ values: [SQLValue]) throws(SQLiteError) {
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(stmt, index)
            case .int(let n): rc = sqlite3_bind_int64(stmt, index, n)
            case .text(let s):
                // With an explicit length, so a U+0000 inside the text is stored too (SQLite stops at NUL otherwise).
                var text = s
                rc = text.withUTF8 { utf8 -> Int32 in
                    guard let base = utf8.baseAddress, utf8.count > 0 else {
                        return sqlite3_bind_text(stmt, index, "", 0, sqliteTransient)
                    }
                    return sqlite3_bind_text(
                        stmt, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(utf8.count),
                        sqliteTransient)
                }
            case .blob(let b):
                rc = b.withUnsafeBytes { sqlite3_bind_blob(stmt, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
            }
            if rc != SQLITE_OK { throw connection.failure(rc, sql) }
        }
    }

    /// Advances to the next row: true if there is one, false when done.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(stmt)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            return false
        default:
            let e = connection.failure(rc, sql)
            sqlite3_reset(stmt)
            throw e
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }
    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }
    func optionalInt(_ column: Int32) -> Int64? { isNull(column) ? nil : int(column) }

    func text(_ column: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, column) else { return "" }
        let n = Int(sqlite3_column_bytes(stmt, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    /// The UTF-8 bytes of a text column, valid only inside `body` (no String is made).
    func withText<R>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let p = sqlite3_column_text(stmt, column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, column))))
    }

    func blob(_ column: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(stmt, column))
        guard n > 0, let p = sqlite3_column_blob(stmt, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}
