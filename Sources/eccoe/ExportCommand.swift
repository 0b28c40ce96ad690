import AnalystOutputs
import CollectorStore
import ConsultationDomain
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `eccoe export`: the responses of a consultation database as CSV (long or wide) or JSON Lines.
enum ExportCommand: Subcommand {
    static let name = "export"
    static let summary = "export consultation responses (CSV, wide CSV, JSON Lines)"
    static let usage =
        "eccoe export --db FILE --format csv|csv-wide|jsonl|registrants-csv|registrants-jsonl [--out PATH] [--bom] [--as-of TIME]"
    static let help = """
        Streams the responses of the consultation in the database (read-only, while `eccoe serve` runs if
        need be) in arrival order. The same data always gives byte-identical files.

        formats:
          csv        one row per response and rated criterion (RFC 4180, UTF-8, CRLF)
          csv-wide   one row per response, four columns per criterion (rating, no_opinion, comment, suggestion)
          jsonl      one JSON object per response and line, texts exactly as received
          registrants-csv, registrants-jsonl
                     a registration form's registrants: confirmed places first, then the waiting list in
                     order, with status, position and answers (no codebook; --as-of does not apply)

        options:
          --db FILE      the database written by `eccoe serve` (required)
          --format F     csv, csv-wide or jsonl (required)
          --out PATH     write the data to PATH and, beside it, PATH's name with .codebook.csv, .sps (SPSS),
                         .R (for CSV formats) and .manifest.json (rows, bytes, SHA-256 of each file);
                         without it the data goes to standard output
          --bom          start CSV with a UTF-8 byte-order mark (for Excel)
          --as-of TIME   only the responses received at or before TIME (RFC 3339, e.g. 2027-02-01T00:00:00Z),
                         in their current form; the same database and TIME give byte-identical files
          --help, --version

        CSV cells that start with = + - @ tab or carriage return get a leading ' so spreadsheets do not run them
        as formulas. Every export is recorded in the database's audit log.
        exit status: 0 written, 2 usage or I/O error.
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var databasePath: String?
        var format: ExportFormat?
        var registrants: RegistrantExport.Format?
        var out: String?
        var bom = false
        var asOf: Timestamp?
        while let item = scanner.next() {
            switch item {
            case .option("--db", let inline): databasePath = try scanner.value(for: "--db", inline: inline)
            case .option("--format", let inline):
                let text = try scanner.value(for: "--format", inline: inline)
                if text.hasPrefix("registrants-"),
                    let r = RegistrantExport.Format(rawValue: String(text.dropFirst("registrants-".count)))
                {
                    registrants = r
                    continue
                }
                guard let f = ExportFormat(rawValue: text) else {
                    throw UsageError(
                        message: "--format must be csv, csv-wide, jsonl, registrants-csv or registrants-jsonl, not `\(text)`")
                }
                format = f
            case .option("--out", let inline): out = try scanner.value(for: "--out", inline: inline)
            case .option("--bom", let inline):
                try scanner.flag("--bom", inline: inline)
                bom = true
            case .option("--as-of", let inline): asOf = try parseAsOf(scanner.value(for: "--as-of", inline: inline))
            case .option(let name, _): throw UsageError(message: "unknown option \(name)")
            case .positional(let p): throw UsageError(message: "unexpected argument `\(p)`")
            }
        }
        guard let databasePath else { throw UsageError(message: "missing --db FILE") }
        if let registrants {
            guard FileManager.default.fileExists(atPath: databasePath) else {
                standardError("\(databasePath): error: no such database")
                return ExitStatus.usage
            }
            return exportRegistrants(databasePath: databasePath, format: registrants, out: out, bom: bom)
        }
        guard let format else { throw UsageError(message: "missing --format csv|csv-wide|jsonl") }
        guard FileManager.default.fileExists(atPath: databasePath) else {
            standardError("\(databasePath): error: no such database")
            return ExitStatus.usage
        }
        do {
            let (exporter, definition) = try Exporter.open(databasePath: databasePath)
            guard let out else {
                let sink = FileSink(fd: 1)
                _ = try exporter.write(format, to: sink, byteOrderMark: bom, asOf: asOf)
                try sink.flush()
                try ConsultationStore.recordExport(databasePath: databasePath, detail: "\(format.rawValue) to standard output")
                return ExitStatus.success
            }
            var files: [(name: String, rows: Int?, bytes: Int, sha256: String)] = []
            let summary = try writeFile(out) { sink in try exporter.write(format, to: sink, byteOrderMark: bom, asOf: asOf) }
            let dataName = (out as NSString).lastPathComponent
            files.append((dataName, summary.rows, summary.bytes, summary.sha256))
            let stem = (out as NSString).deletingPathExtension
            var companions: [(String, String)] = []
            let codebook = Codebook(definition: definition, format: format)
            if format != .jsonl {
                companions = [
                    (stem + ".codebook.csv", codebook.csv), (stem + ".sps", codebook.spss(dataFile: dataName)),
                    (stem + ".R", codebook.r(dataFile: dataName)),
                ]
            }
            for (path, text) in companions {
                let bytes = Array(text.utf8)
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                files.append(((path as NSString).lastPathComponent, nil, bytes.count, ConsultationDomain.SHA256.hex(bytes)))
            }
            let manifest = Codebook.manifest(
                consultation: definition, parameters: Codebook.Parameters(format: format, byteOrderMark: bom, asOf: asOf),
                files: files)
            try Data(manifest.utf8).write(to: URL(fileURLWithPath: stem + ".manifest.json"))
            try ConsultationStore.recordExport(databasePath: databasePath, detail: "\(format.rawValue) to \(dataName)")
            standardError(
                "eccoe export: \(summary.rows) rows, \(summary.bytes) bytes to \(out) (sha256 \(summary.sha256)); manifest \(stem).manifest.json"
            )
            return ExitStatus.success
        } catch {
            standardError("eccoe export: \(error)")
            return ExitStatus.usage
        }
    }

    /// The registrants of a registration form, to a file or standard output, recorded in the audit log.
    static func exportRegistrants(databasePath: String, format: RegistrantExport.Format, out: String?, bom: Bool) -> Int32 {
        do {
            let reader = try ResponseReader(databasePath: databasePath)
            let definition = try reader.storedDefinition()
            guard definition.registration != nil else {
                standardError(
                    "eccoe export: \(databasePath): the consultation `\(definition.id)` is not a registration form; it has no registrants"
                )
                return ExitStatus.usage
            }
            let export = RegistrantExport(definition: definition, reader: reader)
            guard let out else {
                let sink = FileSink(fd: 1)
                _ = try export.write(format, to: sink, byteOrderMark: bom)
                try sink.flush()
                try ConsultationStore.recordExport(
                    databasePath: databasePath, detail: "registrants \(format.rawValue) to standard output")
                return ExitStatus.success
            }
            let summary = try writeFile(out) { sink in try export.write(format, to: sink, byteOrderMark: bom) }
            try ConsultationStore.recordExport(
                databasePath: databasePath, detail: "registrants \(format.rawValue) to \((out as NSString).lastPathComponent)")
            standardError(
                "eccoe export: \(summary.rows) registrants, \(summary.bytes) bytes to \(out) (sha256 \(summary.sha256))")
            return ExitStatus.success
        } catch {
            standardError("eccoe export: \(error)")
            return ExitStatus.usage
        }
    }

    /// An `--as-of` value: an RFC 3339 date-time, or a date meaning the end of that day in UTC.
    static func parseAsOf(_ text: String) throws -> Timestamp {
        if let t = Timestamp(rfc3339: text) { return t }
        if text.utf8.count == 10, let t = Timestamp(rfc3339: text + "T23:59:59.999Z") { return t }
        throw UsageError(message: "--as-of must be an RFC 3339 time such as 2027-02-01T00:00:00Z, or a date, not `\(text)`")
    }

    static func writeFile<T>(_ path: String, _ body: (FileSink) throws -> T) throws -> T {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw OutputError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let sink = FileSink(fd: fd)
        let value = try body(sink)
        try sink.flush()
        return value
    }
}
