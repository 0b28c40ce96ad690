// The baseline of the load benchmark: a bare SQLite connection committing the same rows as the collector
// (one response, its profile answers, one row per criterion, the idempotency record and the audit entry),
// one transaction per response, with the same durability settings (WAL, synchronous=FULL), prepared
// statements reused. Built by bench.sh with `swiftc -O -I Sources/CSQLite`.
//
// usage: bare-sqlite DATABASE RESPONSES CRITERION-ID...
import CSQLite
import Foundation

let args = CommandLine.arguments
guard args.count > 3, let count = Int(args[2]) else {
    FileHandle.standardError.write(Data("usage: bare-sqlite DATABASE RESPONSES CRITERION-ID...\n".utf8))
    exit(2)
}
let criteria = Array(args[3...])
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
var db: OpaquePointer?
guard sqlite3_open(args[1], &db) == SQLITE_OK else { fatalError("open failed") }
func exec(_ sql: String) {
    guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { fatalError("\(sql): \(String(cString: sqlite3_errmsg(db)))") }
}
exec("PRAGMA journal_mode=WAL")
exec("PRAGMA synchronous=FULL")
exec("PRAGMA foreign_keys=ON")
func prepare(_ sql: String) -> OpaquePointer {
    var s: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK, let s else { fatalError("\(sql): \(String(cString: sqlite3_errmsg(db)))") }
    return s
}
let insertResponse = prepare("""
    INSERT INTO responses (id, consultation_id, catalogue_version, token_hash, channel, received_at, updated_at,
      consent_version, consent_at, content_hash, duplicate_of) VALUES (?, 'eccoe-criteria', '1.0.0', ?, 'api', ?, ?, '1', ?, ?, NULL)
    """)
let insertQuestion = prepare("INSERT INTO question_answers (response_seq, part, question_id, value_json) VALUES (?, 'profile', ?, ?)")
let insertAnswer = prepare("INSERT INTO answers (response_seq, criterion_id, rating, comment, suggestion) VALUES (?, ?, ?, ?, NULL)")
let insertKey = prepare("INSERT INTO idempotency_keys (key_hash, consultation_id, body_hash, response_id, sealed_token, received_at) VALUES (?, 'eccoe-criteria', ?, ?, ?, ?)")
let insertAudit = prepare("INSERT INTO audit_log (at, event, consultation_id, response_id, detail) VALUES (?, 'submit', 'eccoe-criteria', ?, 'api')")

func run(_ s: OpaquePointer) {
    guard sqlite3_step(s) == SQLITE_DONE else { fatalError(String(cString: sqlite3_errmsg(db))) }
    sqlite3_reset(s)
}
func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255) } }
func bindBlob(_ s: OpaquePointer, _ i: Int32, _ b: [UInt8]) { _ = b.withUnsafeBytes { sqlite3_bind_blob(s, i, $0.baseAddress, Int32($0.count), transient) } }

let start = Date()
for n in 0..<count {
    let key = "bare-\(n)"
    let id = random(16).map { String(format: "%02x", $0) }.joined()
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    exec("BEGIN IMMEDIATE")
    sqlite3_bind_text(insertResponse, 1, id, -1, transient)
    bindBlob(insertResponse, 2, random(32))
    sqlite3_bind_int64(insertResponse, 3, now)
    sqlite3_bind_int64(insertResponse, 4, now)
    sqlite3_bind_int64(insertResponse, 5, now)
    bindBlob(insertResponse, 6, random(32))
    run(insertResponse)
    let seq = sqlite3_last_insert_rowid(db)
    for (q, v) in [("capacity", "\"individual\""), ("stakeholderGroup", "\"academic\""),
                   ("country", "\"http://publications.europa.eu/resource/authority/country/BEL\""), ("familiarity", String(n % 5 + 1))] {
        sqlite3_bind_int64(insertQuestion, 1, seq)
        sqlite3_bind_text(insertQuestion, 2, q, -1, transient)
        sqlite3_bind_text(insertQuestion, 3, v, -1, transient)
        run(insertQuestion)
    }
    for (i, c) in criteria.enumerated() {
        sqlite3_bind_int64(insertAnswer, 1, seq)
        sqlite3_bind_text(insertAnswer, 2, c, -1, transient)
        sqlite3_bind_int64(insertAnswer, 3, Int64((n + i + 1) % 5 + 1))
        if (i + 1) % 6 == 0 {
            sqlite3_bind_text(insertAnswer, 4, "Response \(key): the wording of \(c) could be clearer for recognition officers.", -1, transient)
        } else {
            sqlite3_bind_null(insertAnswer, 4)
        }
        run(insertAnswer)
    }
    bindBlob(insertKey, 1, random(32))
    bindBlob(insertKey, 2, random(32))
    sqlite3_bind_text(insertKey, 3, id, -1, transient)
    bindBlob(insertKey, 4, random(32))
    sqlite3_bind_int64(insertKey, 5, now)
    run(insertKey)
    sqlite3_bind_int64(insertAudit, 1, now)
    sqlite3_bind_text(insertAudit, 2, id, -1, transient)
    run(insertAudit)
    exec("COMMIT")
}
let seconds = Date().timeIntervalSince(start)
print(String(format: "BARE responses=%d seconds=%.2f rate=%.1f", count, seconds, Double(count) / seconds))
