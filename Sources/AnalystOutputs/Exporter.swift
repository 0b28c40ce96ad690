public import CollectorStore
public import ConsultationDomain
import CriteriaCatalogue
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

    package var mediaType: String {
        self == .jsonl ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8; header=present"
    }
    public var fileExtension: String { self == .jsonl ? "jsonl" : "csv" }
}

/// What an export wrote: rows (responses for JSONL and wide CSV, answers for long CSV, header excluded),
/// bytes and SHA-256, for the manifest.
public struct ExportSummary: Sendable {
    public var rows: Int
    public var bytes: Int
    public var sha256: String
}

/// Where an export writes its bytes: a file, standard output, or an HTTP response being streamed.
public protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
}

/// A failure to write an output (an export file, standard output), with a message for people.
public struct OutputError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
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
                throw OutputError(message: "write failed: \(String(cString: strerror(errno)))")
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
/// after any leading white space (spaces, line feeds, no-break spaces…), starts with `=`, `+`, `-`, `@`,
/// their full-width forms, a tab or a carriage return gets a leading `'`, so a spreadsheet never runs it as
/// a formula; a NUL becomes U+FFFD. The JSON Lines export keeps the exact text.
public struct Exporter {
    let definition: ConsultationDefinition
    let reader: ResponseReader

    /// Bytes gathered before they are handed to the sink.
    static let bufferSize = 1 << 16

    public init(definition: ConsultationDefinition, reader: ResponseReader) {
        self.definition = definition
        self.reader = reader
    }

    /// Opens a database file read-only for an export by the command-line tool.
    public static func open(databasePath: String) throws -> (Exporter, ConsultationDefinition) {
        let reader = try ResponseReader(databasePath: databasePath)
        let d = try reader.storedDefinition()
        return (Exporter(definition: d, reader: reader), d)
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
            try reader.forEach(definition: definition, asOf: asOf) { r in
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
            try reader.forEach(definition: definition, asOf: asOf) { r in
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
            try reader.forEach(definition: definition, asOf: asOf) { r in
                var object: [(String, JSONValue)] = [
                    ("id", .string(r.id)), ("consultationId", .string(r.consultationID)),
                    ("catalogueVersion", .string(r.catalogueVersion)),
                    ("channel", .string(r.channel)), ("receivedAt", .string(r.receivedAt.rfc3339)),
                    ("updatedAt", .string(r.updatedAt.rfc3339)),
                    ("duplicateOf", r.duplicateOf.map { .string($0) } ?? .null), ("language", .string(r.language)),
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
        "consent_version", "consent_at", "duplicate_of", "language",
    ]

    /// The cells every row of a response starts with: metadata, profile answers, question answers.
    private func cells(_ row: ResponseStream.StoredRow) -> [String] {
        var values = [
            row.id, row.consultationID, row.catalogueVersion, row.channel, row.receivedAt.rfc3339, row.updatedAt.rfc3339,
            row.consentVersion, row.consentAt.rfc3339, row.duplicateOf ?? "", row.language,
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
    /// triggers neutralised with a leading `'` (`startsWithFormula`), NUL bytes replaced by U+FFFD (no NUL
    /// ever reaches a CSV), quoted (quotes doubled) when it holds a comma, quote, CR or LF or begins or ends
    /// with a space. The bytes tested for quoting are ASCII, so scanning UTF-8 bytes is exact.
    /// Whether a spreadsheet could take the cell for a formula: its first character after any leading
    /// white space (spaces, line feeds, no-break and other Unicode spaces, a byte-order mark) is `=`, `+`,
    /// `-`, `@`, their full-width forms `＝ ＋ － ＠`, a tab or a carriage return.
    static func startsWithFormula(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < u.count {
            let b = u[i]
            switch b {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
            case 0x20, 0x0A, 0x0B, 0x0C: i += 1
            case 0xC2 where i + 1 < u.count && (u[i + 1] == 0xA0 || u[i + 1] == 0x85): i += 2  // U+00A0, U+0085
            case 0xE1 where i + 2 < u.count && u[i + 1] == 0x9A && u[i + 2] == 0x80: i += 3  // U+1680
            case 0xE2
            where i + 2 < u.count && u[i + 1] == 0x80
                && (u[i + 2] <= 0x8B || u[i + 2] == 0xA8 || u[i + 2] == 0xA9 || u[i + 2] == 0xAF):
                i += 3  // U+2000…U+200B, U+2028, U+2029, U+202F
            // U+205F, U+2060
            case 0xE2 where i + 2 < u.count && u[i + 1] == 0x81 && (u[i + 2] == 0x9F || u[i + 2] == 0xA0): i += 3
            case 0xE3 where i + 2 < u.count && u[i + 1] == 0x80 && u[i + 2] == 0x80: i += 3  // U+3000
            case 0xEF where i + 2 < u.count && u[i + 1] == 0xBB && u[i + 2] == 0xBF: i += 3  // U+FEFF
            case 0xEF where i + 2 < u.count && u[i + 1] == 0xBC:
                // U+FF0B ＋, U+FF0D －, U+FF1D ＝, U+FF20 ＠ (EF BC 8B, 8D, 9D, A0)
                return u[i + 2] == 0x8B || u[i + 2] == 0x8D || u[i + 2] == 0x9D || u[i + 2] == 0xA0
            default: return false
            }
        }
        return false
    }

    static func appendCell(_ value: String, to out: inout [UInt8], last: Bool = false) {
        var value = value
        if value.utf8.contains(0) {
            var scalars = String.UnicodeScalarView()
            scalars.append(contentsOf: value.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 })
            value = String(scalars)
        }
        value.withUTF8 { u in
            let neutralise = startsWithFormula(u)
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
