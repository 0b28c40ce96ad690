public import CollectorStore
public import ConsultationDomain
import JSONSyntax

/// The registrants of a registration form for the organisers (`GET /api/v1/registrants`, `eccoe export
/// --format registrants-csv|registrants-jsonl`): one row per registrant, confirmed places first in the order they were
/// confirmed, then the waiting list in its order, each with its status, position and answers.
///
/// Written like the other exports: streamed from one read transaction (memory holds one registrant), deterministic
/// (no export time inside), CSV per RFC 4180 in UTF-8 with formula triggers neutralised by `CSVBuffer.appendCell`.
public struct RegistrantExport {
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl
        package var mediaType: String {
            self == .jsonl ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8; header=present"
        }
    }

    let definition: ConsultationDefinition
    let reader: ResponseReader

    public init(definition: ConsultationDefinition, reader: ResponseReader) {
        self.definition = definition
        self.reader = reader
    }

    /// Every column of the CSV, in order.
    public var columns: [String] {
        ["registration_id", "status", "waiting_position", "registered_at", "confirmed_at", "language", "duplicate_of"]
            + definition.profile.map { "profile_\($0.id)" } + definition.questions.map { "question_\($0.id)" }
    }

    public func write(_ format: Format, to sink: any ByteSink, byteOrderMark: Bool = false) throws -> ExportSummary {
        let measured = MeasuringSink(sink)
        var out = CSVBuffer(flushingTo: measured)
        if byteOrderMark && format == .csv { out.bytes += Exporter.byteOrderMark }
        if format == .csv { out.row(columns) }
        var rows = 0
        try reader.forEachRegistrant(definition: definition) { r in
            let (status, position): (String, Int?) =
                switch r.status {
                case .confirmed: ("confirmed", nil)
                case .waiting(let p): ("waiting", p)
                }
            switch format {
            case .csv:
                var cells = [
                    r.id, status, position.map(String.init) ?? "", r.registeredAt.rfc3339, r.confirmedAt?.rfc3339 ?? "",
                    r.language,
                    r.duplicateOf ?? "",
                ]
                cells += definition.profile.map { r.content.profileValue($0.id)?.cell ?? "" }
                cells += definition.questions.map { r.content.questionValue($0.id)?.cell ?? "" }
                out.row(cells)
            case .jsonl:
                var object: [(String, JSONValue)] = [
                    ("id", .string(r.id)), ("status", .string(status)), ("waitingPosition", position.map { .int($0) } ?? .null),
                    ("registeredAt", .string(r.registeredAt.rfc3339)),
                    ("confirmedAt", r.confirmedAt.map { .string($0.rfc3339) } ?? .null), ("language", .string(r.language)),
                    ("duplicateOf", r.duplicateOf.map { .string($0) } ?? .null),
                ]
                object.append(("profile", .object(r.content.profile.map { ($0.0, $0.1.json) })))
                object.append(("questions", .object(r.content.questions.map { ($0.0, $0.1.json) })))
                out.bytes += Array((JSONValue.object(object).htmlSafeText + "\n").utf8)
            }
            rows += 1
            try out.flushIfFull()
        }
        try out.flush()
        return ExportSummary(rows: rows, bytes: measured.bytes, sha256: Secrets.hex(measured.hasher.finalize()))
    }
}
