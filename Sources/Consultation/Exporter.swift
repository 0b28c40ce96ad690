import Criteria
import JSONSyntax

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

/// Streams a consultation's responses from SQLite cursors into CSV or JSON Lines: memory stays bounded by
/// one response whatever the number of rows. Output is deterministic: responses in arrival order, criteria
/// and questions in the definition's order, no export time inside, so the same database and the same
/// `asOf` always give byte-identical files.
///
/// The rows come from `ResponseStream`, the same single pass the statistics are computed from.
///
/// CSV follows RFC 4180 (comma, CRLF, double quotes doubled) in UTF-8. A cell (or header) whose text,
/// ignoring leading spaces, starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`,
/// so a spreadsheet never runs it as a formula; the JSON Lines export keeps the exact text.
public struct Exporter {
    let definition: ConsultationDefinition
    let reader: SQLiteConnection

    /// Bytes gathered before they are handed to the sink.
    static let bufferSize = 1 << 16

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
    public func statistics(asOf: Timestamp? = nil) throws -> Statistics {
        try Statistics.compute(reader: reader, definition: definition, asOf: asOf)
    }

    /// Writes the export. `asOf` keeps only the responses received at or before that time (their current
    /// content: the store keeps no history of edits, and withdrawn responses are gone).
    public func write(
        _ format: ExportFormat, to sink: any ByteSink, byteOrderMark: Bool = false, asOf: Timestamp? = nil
    ) throws -> ExportSummary {
        let measured = MeasuringSink(sink)
        var out = CSVBuffer(flushingTo: measured)
        if byteOrderMark && format != .jsonl { out.bytes += Exporter.byteOrderMark }
        var rows = 0
        let columns =
            metaColumns + definition.profile.map { "profile_\($0.id)" } + definition.questions.map { "question_\($0.id)" }
        switch format {
        case .csv:
            out.row(columns + ["criterion_id", "rating", "no_opinion", "comment", "suggestion"])
            var prefix: [UInt8] = []
            try ResponseStream(definition: definition, reader: reader).forEach(asOf: asOf) { r in
                prefix.removeAll(keepingCapacity: true)
                for cell in cells(r) { CSVBuffer.appendCell(cell, to: &prefix) }
                for (id, a) in r.content.answers {
                    out.bytes += prefix
                    CSVBuffer.appendCell(id, to: &out.bytes)
                    // rating (1…5, by the table's CHECK) and no_opinion, written as bytes.
                    if let rating = a.rating { out.bytes.append(UInt8(ascii: "0") + UInt8(clamping: rating)) }
                    out.bytes.append(UInt8(ascii: ","))
                    out.bytes.append(a.rating == nil ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                    out.bytes.append(UInt8(ascii: ","))
                    CSVBuffer.appendCell(a.comment ?? "", to: &out.bytes)
                    CSVBuffer.appendCell(a.suggestion ?? "", to: &out.bytes, last: true)
                    rows += 1
                }
                try out.flushIfFull()
            }
        case .csvWide:
            let criteria = definition.items.flatMap {
                ["\($0.id)_rating", "\($0.id)_no_opinion", "\($0.id)_comment", "\($0.id)_suggestion"]
            }
            out.row(columns + criteria)
            try ResponseStream(definition: definition, reader: reader).forEach(asOf: asOf) { r in
                var row = cells(r)
                for c in definition.items {
                    if let a = r.content.answer(c.id) {
                        row += [
                            a.rating.map(String.init) ?? "", a.rating == nil ? "1" : "0", a.comment ?? "", a.suggestion ?? "",
                        ]
                    } else {
                        row += ["", "", "", ""]
                    }
                }
                out.row(row)
                rows += 1
                try out.flushIfFull()
            }
        case .jsonl:
            try ResponseStream(definition: definition, reader: reader).forEach(asOf: asOf) { r in
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
                out.bytes += Array((JSONValue.object(object).htmlSafeText + "\n").utf8)
                rows += 1
                try out.flushIfFull()
            }
        }
        try out.flush()
        return ExportSummary(rows: rows, bytes: measured.bytes, sha256: Secrets.hex(measured.hasher.finalize()))
    }

    /// Every column of the export, in order (the codebook describes exactly these).
    public func columns(_ format: ExportFormat) -> [String] {
        let base =
            metaColumns + definition.profile.map { "profile_\($0.id)" } + definition.questions.map { "question_\($0.id)" }
        switch format {
        case .csv: return base + ["criterion_id", "rating", "no_opinion", "comment", "suggestion"]
        case .csvWide:
            return base
                + definition.items.flatMap {
                    ["\($0.id)_rating", "\($0.id)_no_opinion", "\($0.id)_comment", "\($0.id)_suggestion"]
                }
        case .jsonl: return []
        }
    }

    let metaColumns = [
        "response_id", "consultation_id", "catalogue_version", "channel", "received_at", "updated_at",
        "consent_version", "consent_at", "duplicate_of",
    ]

    /// The cells every row of a response starts with: metadata, profile answers, question answers.
    private func cells(_ row: ResponseStream.StoredRow) -> [String] {
        var values = [
            row.id, row.consultationID, row.catalogueVersion, row.channel, row.receivedAt.rfc3339, row.updatedAt.rfc3339,
            row.consentVersion, row.consentAt.rfc3339, row.duplicateOf ?? "",
        ]
        values += definition.profile.map { row.content.profileValue($0.id)?.cell ?? "" }
        values += definition.questions.map { row.content.questionValue($0.id)?.cell ?? "" }
        return values
    }

    /// One CSV cell as text, without its separator (for the codebook).
    static func csvCell(_ value: String) -> String {
        var out: [UInt8] = []
        CSVBuffer.appendCell(value, to: &out)
        out.removeLast()
        return String(decoding: out, as: UTF8.self)
    }

}

/// CSV bytes gathered in a buffer and handed to a sink in large writes.
struct CSVBuffer {
    var bytes: [UInt8] = []
    let sink: any ByteSink

    init(flushingTo sink: any ByteSink) {
        self.sink = sink
        bytes.reserveCapacity(Exporter.bufferSize + 4096)
    }

    mutating func row(_ cells: [String]) {
        for (i, cell) in cells.enumerated() { CSVBuffer.appendCell(cell, to: &bytes, last: i == cells.count - 1) }
    }

    mutating func flushIfFull() throws {
        if bytes.count >= Exporter.bufferSize { try flush() }
    }

    mutating func flush() throws {
        if bytes.isEmpty { return }
        try sink.write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    /// Appends one cell and its separator (a comma, or CRLF after the last cell of a row): formula
    /// triggers neutralised with a leading `'`, quoted (quotes doubled) when it holds a comma, quote, CR or
    /// LF or begins or ends with a space. Every byte tested is ASCII, so scanning UTF-8 bytes is exact.
    static func appendCell(_ value: String, to out: inout [UInt8], last: Bool = false) {
        var value = value
        value.withUTF8 { u in
            var first = 0
            while first < u.count && u[first] == 0x20 { first += 1 }
            var neutralise = false
            if first < u.count {
                switch u[first] {
                case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: neutralise = true
                default: break
                }
            }
            // After neutralising, the text starts with `'`, so only a trailing space still asks for quotes.
            var quote = !u.isEmpty && ((!neutralise && u[0] == 0x20) || u[u.count - 1] == 0x20)
            if !quote {
                for b in u where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 0x0D || b == 0x0A {
                    quote = true
                    break
                }
            }
            if quote { out.append(UInt8(ascii: "\"")) }
            if neutralise { out.append(UInt8(ascii: "'")) }
            if quote {
                var start = 0
                for i in 0..<u.count where u[i] == UInt8(ascii: "\"") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start...i]))
                    out.append(UInt8(ascii: "\""))
                    start = i + 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start...]))
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: u)
            }
        }
        if last {
            out.append(0x0D)
            out.append(0x0A)
        } else {
            out.append(UInt8(ascii: ","))
        }
    }
}
