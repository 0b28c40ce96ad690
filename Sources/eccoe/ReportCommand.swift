import AnalystOutputs
import CollectorStore
import ConsultationDomain
import Foundation

/// `eccoe report`: the analysts' HTML report of a consultation database.
enum ReportCommand: Subcommand {
    static let name = "report"
    static let summary = "write the consultation report (self-contained HTML with SVG charts)"
    static let usage = "eccoe report --db FILE --out FILE.html [--as-of TIME]"
    static let help = """
        Writes one HTML file with no outside resources (inline style and SVG, no script), printable: responses
        over time, who responded, every criterion most contested first (chart and table of its ratings: n,
        distribution, median, share 4–5, no opinion; its comments and suggested rewordings), breakdowns by
        profile answer in which groups and cells of fewer than 5 respondents are not shown, and the responses
        flagged as duplicates, listed apart and left out of the numbers. The numbers are those of
        GET /api/v1/statistics.

        options:
          --db FILE        the database written by `eccoe serve` (required)
          --out FILE.html  where to write the report (required)
          --as-of TIME     count only responses received at or before TIME (RFC 3339, or a date for its end, UTC)
          --help, --version

        exit status: 0 written, 2 usage or I/O error.
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var databasePath: String?
        var out: String?
        var asOf: Timestamp?
        while let item = scanner.next() {
            switch item {
            case .option("--db", let inline): databasePath = try scanner.value(for: "--db", inline: inline)
            case .option("--out", let inline): out = try scanner.value(for: "--out", inline: inline)
            case .option("--as-of", let inline): asOf = try ExportCommand.parseAsOf(scanner.value(for: "--as-of", inline: inline))
            case .option(let name, _): throw UsageError(message: "unknown option \(name)")
            case .positional(let p): throw UsageError(message: "unexpected argument `\(p)`")
            }
        }
        guard let databasePath else { throw UsageError(message: "missing --db FILE") }
        guard let out else { throw UsageError(message: "missing --out FILE.html") }
        guard FileManager.default.fileExists(atPath: databasePath) else {
            standardError("\(databasePath): error: no such database")
            return ExitStatus.usage
        }
        do {
            let (exporter, definition) = try Exporter.open(databasePath: databasePath)
            let report = Report(definition: definition, statistics: try exporter.statistics(asOf: asOf))
            try Data(report.html.utf8).write(to: URL(fileURLWithPath: out))
            try ConsultationStore.recordExport(
                databasePath: databasePath, detail: "report to \((out as NSString).lastPathComponent)", event: "report")
            standardError("eccoe report: wrote \(out)")
            return ExitStatus.success
        } catch {
            standardError("eccoe report: \(error)")
            return ExitStatus.usage
        }
    }
}
