#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The export formats of `eccoe export` and `GET /api/v1/export`.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// One row per response × rated criterion.
    case csv
    /// One row per response, four columns per criterion.
    case csvWide = "csv-wide"
    /// One JSON object per response and line.
    case jsonl

    var mediaType: String { self == .jsonl ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8; header=present" }
    public var fileExtension: String { self == .jsonl ? "jsonl" : "csv" }
}

/// What an export wrote: rows (responses for JSONL and wide CSV, answers for long CSV, header excluded),
/// bytes and SHA-256, for the manifest.
public struct ExportSummary: Sendable {
    public var rows: Int
    public var bytes: Int
    public var sha256: String
}

/// Writes a file descriptor's worth of bytes with a buffer (for `eccoe export` to a file or stdout).
public final class FileSink: ByteSink {
    private let fd: Int32
    private var buffer: [UInt8] = []

    public init(fd: Int32) { self.fd = fd }

    public func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ServerError(message: "write failed: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Counts and hashes what passes through to another sink.
final class MeasuringSink: ByteSink {
    let next: any ByteSink
    var hasher = SHA256()
    var bytes = 0

    init(_ next: any ByteSink) { self.next = next }

    func write(_ b: [UInt8]) throws {
        hasher.update(b)
        bytes += b.count
        try next.write(b)
    }
}

/// Streams a consultation's responses from an SQLite cursor into CSV or JSON Lines: memory stays bounded
/// by one response whatever the number of rows. Output is deterministic: responses in arrival order,
/// criteria and questions in the definition's order, no export time inside.
///
/// CSV follows RFC 4180 (comma, CRLF, double quotes doubled) in UTF-8. A cell (or header) whose text,
/// ignoring leading spaces, starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
/// so a spreadsheet never runs it as a formula; the JSON Lines export keeps the exact text.
public struct Exporter {
    let definition: ConsultationDefinition
    let reader: SQLiteConnection

    init(definition: ConsultationDefinition, reader: SQLiteConnection) {
        self.definition = definition
        self.reader = reader
    }

    /// Opens a database file read-only for an export by the command-line tool.
    public static func open(databasePath: String) throws -> (Exporter, ConsultationDefinition) {
        let db = try SQLiteConnection(path: databasePath, readOnly: true)
        let d = try storedDefinition(db)
        return (Exporter(definition: d, reader: db), d)
    }

    /// The consultation a database holds (the one most recently served).
    static func storedDefinition(_ db: SQLiteConnection) throws -> ConsultationDefinition {
        let rows = try db.query("SELECT definition, builtin, opens_at FROM consultations ORDER BY created_at DESC, id LIMIT 1") {
            ($0.text(0), $0.int(1) == 1, Timestamp(milliseconds: $0.int(2)))
        }
        guard let (source, builtin, opensAt) = rows.first else {
            throw StoreError(description: "the database holds no consultation (has `eccoe serve` used it?)")
        }
        if builtin { return ConsultationDefinition.builtIn(opensAt: opensAt) }
        switch ConsultationDefinition.load(Array(source.utf8)) {
        case .success(let d): return d
        case .failure(let e):
            throw StoreError(
                description: "the stored definition no longer loads: \(e.problems.map(\.description).joined(separator: "; "))")
        }
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Statistics from the same read connection (for `eccoe report`).
    public func statistics() throws -> Statistics { try Statistics.compute(reader: reader, definition: definition) }

    public func write(_ format: ExportFormat, to sink: any ByteSink, byteOrderMark: Bool = false) throws -> ExportSummary {
        let measured = MeasuringSink(sink)
        if byteOrderMark && format != .jsonl { try measured.write(Exporter.byteOrderMark) }
        var rows = 0
        let columns =
            metaColumns + definition.profile.map { "profile_\($0.id)" } + definition.questions.map { "question_\($0.id)" }
        switch format {
        case .csv:
            try measured.write(csvLine(columns + ["criterion_id", "rating", "no_opinion", "comment", "suggestion"]))
            try eachResponse { r, values in
                for (id, a) in r.content.answers {
                    try measured.write(
                        csvLine(
                            values + [
                                id, a.rating.map(String.init) ?? "", a.rating == nil ? "1" : "0",
                                a.comment ?? "", a.suggestion ?? "",
                            ]))
                    rows += 1
                }
            }
        case .csvWide:
            let criteria = definition.items.flatMap {
                ["\($0.id)_rating", "\($0.id)_no_opinion", "\($0.id)_comment", "\($0.id)_suggestion"]
            }
            try measured.write(csvLine(columns + criteria))
            try eachResponse { r, values in
                var cells = values
                for c in definition.items {
                    if let a = r.content.answer(c.id) {
                        cells += [
                            a.rating.map(String.init) ?? "", a.rating == nil ? "1" : "0", a.comment ?? "", a.suggestion ?? "",
                        ]
                    } else {
                        cells += ["", "", "", ""]
                    }
                }
                try measured.write(csvLine(cells))
                rows += 1
            }
        case .jsonl:
            try eachResponse { r, _ in
                var object: [(String, JSONValue)] = [
                    ("id", .string(r.id)), ("consultationId", .string(r.consultationID)),
                    ("catalogueVersion", .string(r.catalogueVersion)),
                    ("channel", .string(r.channel)), ("receivedAt", .string(r.receivedAt.rfc3339)),
                    ("updatedAt", .string(r.updatedAt.rfc3339)),
                    ("duplicateOf", r.duplicateOf.map { .string($0) } ?? .null),
                ]
                object += r.content.json
                object.append(
                    (
                        "consent",
                        .object([
                            ("privacyVersion", .string(r.consentVersion)), ("given", .bool(true)),
                            ("givenAt", .string(r.consentAt.rfc3339)),
                        ])
                    ))
                try measured.write(Array((JSONValue.object(object).rendered + "\n").utf8))
                rows += 1
            }
        }
        return ExportSummary(rows: rows, bytes: measured.bytes, sha256: Secrets.hex(measured.hasher.finalize()))
    }

    let metaColumns = [
        "response_id", "consultation_id", "catalogue_version", "channel", "received_at", "updated_at",
        "consent_version", "consent_at", "duplicate_of",
    ]

    struct Row {
        var id: String
        var consultationID: String
        var catalogueVersion: String
        var channel: String
        var receivedAt: Timestamp
        var updatedAt: Timestamp
        var consentVersion: String
        var consentAt: Timestamp
        var duplicateOf: String?
        var content = ResponseContent()
    }

    /// Walks the responses with a cursor, loading each one's answers, and hands over the per-response cells.
    private func eachResponse(_ body: (Row, [String]) throws -> Void) throws {
        try reader.forEach(
            """
            SELECT seq, id, consultation_id, catalogue_version, channel, received_at, updated_at, consent_version, consent_at, duplicate_of
            FROM responses WHERE consultation_id = ? ORDER BY seq
            """, [.text(definition.id)]
        ) { s in
            var row = Row(
                id: s.text(1), consultationID: s.text(2), catalogueVersion: s.text(3), channel: s.text(4),
                receivedAt: Timestamp(milliseconds: s.int(5)), updatedAt: Timestamp(milliseconds: s.int(6)),
                consentVersion: s.text(7), consentAt: Timestamp(milliseconds: s.int(8)), duplicateOf: s.optionalText(9))
            if let stored = try ConsultationStore.load(seq: s.int(0), definition: definition, db: reader) {
                row.content = stored.content
            }
            var values = [
                row.id, row.consultationID, row.catalogueVersion, row.channel, row.receivedAt.rfc3339, row.updatedAt.rfc3339,
                row.consentVersion, row.consentAt.rfc3339, row.duplicateOf ?? "",
            ]
            values += definition.profile.map { row.content.profileValue($0.id)?.cell ?? "" }
            values += definition.questions.map { row.content.questionValue($0.id)?.cell ?? "" }
            try body(row, values)
        }
    }

    func csvLine(_ cells: [String]) -> [UInt8] {
        var out = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { out += "," }
            out += Exporter.csvCell(cell)
        }
        out += "\r\n"
        return Array(out.utf8)
    }

    /// One CSV cell: formula triggers neutralised, quoted when it holds a comma, quote, CR or LF.
    static func csvCell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first(where: { $0 != " " }), "=+-@\t\r".unicodeScalars.contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) || text.hasPrefix(" ")
            || text.hasSuffix(" ")
        {
            return "\"" + text.replacingOccurrences("\"", "\"\"") + "\""
        }
        return text
    }
}
