import Criteria
import Foundation
import JSONSyntax
import RecognitionAgreements

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `eccoe agreement new|render`: drafts a Model Credit Recognition Agreement from learning opportunities, and
/// renders one as a printable HTML document for signature.
enum AgreementCommand: Subcommand {
    static let name = "agreement"
    static let summary = "draft a recognition agreement from learning opportunities, or render one for signature"
    static let usage = """
        eccoe agreement new --issuing LO_FILE... --recognising-name NAME --recognising-country ISO3166-ALPHA3 [--out FILE.agreement.json] [--valid-from YYYY-MM-DD] [--force]
               eccoe agreement render FILE.agreement.json --out FILE.html
        """
    static let help = """
        new     drafts a Model Credit Recognition Agreement from the issuing institution's learning-opportunity
                documents (ELM v3 LearningOpportunity, JSON-LD): both parties (with the identifiers the
                documents give), one equivalence per learning opportunity with its ECTS credits, level, fields,
                languages and learning outcomes carried over, recognition and grade-conversion defaults, how the
                credits are recorded on the transcript, the learner's rights, evidence, quality assurance,
                validity (three years from --valid-from), data protection, and a signature block per party.
                What only the parties can fill in is a placeholder [[…]] that `eccoe check` reports (AG-21); the
                draft checks with no error but the pending signatures (AG-13) when the learning opportunities
                meet their own mandatory criteria. Learning opportunities are referenced by their `id`, with
                the path of their file (relative to the draft) as a hint.
        render  writes the agreement as one self-contained, printable HTML file (no script, nothing fetched;
                A4 print layout with page numbers): parties, purpose, the equivalence table, recognition and
                grading, learner rights, evidence, quality assurance, validity and termination, data
                protection, and signature blocks with place and date. Placeholders print as marked blanks.

        options (new):
          --issuing LO_FILE...           learning-opportunity documents (repeat the option, or list several files)
          --recognising-name NAME        legal name of the recognising institution
          --recognising-country CODE     its country, as an ISO 3166-1 alpha-3 code (DEU, ITA, LTU …)
          --out FILE.agreement.json      where to write the draft (default: standard output); an existing file
                                         is kept unless --force is given
          --valid-from YYYY-MM-DD        first day of validity (default: the next 1 September)
          --force                        overwrite --out if it exists
        options (render):
          --out FILE.html                where to write the document (required)
          --help, --version

        exit status: 0 written, 2 usage or I/O error (nothing is written then).
        """

    /// Input documents larger than this are not read.
    static let maxInputSize = 32 << 20

    static func run(_ arguments: [String]) throws -> Int32 {
        guard let action = arguments.first else { throw UsageError(message: "missing `new` or `render`") }
        switch action {
        case "new": return try draft(Array(arguments.dropFirst()))
        case "render": return try render(Array(arguments.dropFirst()))
        default: throw UsageError(message: "unknown action `\(action)`: use `new` or `render`")
        }
    }

    static func parseDate(_ value: String, option: String) throws -> CalendarDate {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard value.utf8.count == 10, parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2],
            (1...12).contains(m),
            (1...31).contains(d)
        else {
            throw UsageError(message: "\(option) needs a date YYYY-MM-DD, not `\(value)`")
        }
        return CalendarDate(year: y, month: m, day: d)
    }

    static var today: CalendarDate { CalendarDate(secondsSince1970: Int(time(nil))) }

    // MARK: new

    static func draft(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var issuing: [String] = []
        var name: String?
        var country: String?
        var out: String?
        var validFrom: CalendarDate?
        var force = false
        var afterIssuing = false
        while let item = scanner.next() {
            switch item {
            case .option("--issuing", let inline):
                issuing.append(try scanner.value(for: "--issuing", inline: inline))
                afterIssuing = true
                continue
            case .option("--recognising-name", let inline): name = try scanner.value(for: "--recognising-name", inline: inline)
            case .option("--recognising-country", let inline):
                country = try scanner.value(for: "--recognising-country", inline: inline)
            case .option("--out", let inline): out = try scanner.value(for: "--out", inline: inline)
            case .option("--valid-from", let inline):
                validFrom = try parseDate(scanner.value(for: "--valid-from", inline: inline), option: "--valid-from")
            case .option("--force", let inline):
                try scanner.flag("--force", inline: inline)
                force = true
            case .option(let option, _): throw UsageError(message: "unknown option \(option)")
            case .positional(let p):
                // `--issuing a.jsonld b.jsonld`: files after the option's value are more issuing files.
                guard afterIssuing else {
                    throw UsageError(message: "unexpected argument `\(p)` (learning opportunities follow --issuing)")
                }
                issuing.append(p)
                continue
            }
            afterIssuing = false
        }
        if issuing.isEmpty { throw UsageError(message: "missing --issuing LO_FILE") }
        guard let name, !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw UsageError(message: "missing --recognising-name NAME")
        }
        guard let country else { throw UsageError(message: "missing --recognising-country ISO3166-ALPHA3") }
        let code = country.uppercased()
        let iri = "http://publications.europa.eu/resource/authority/country/" + code
        guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }),
            Vocabularies.standard.contains(iri, in: "countries")
        else {
            throw UsageError(
                message: "--recognising-country needs an ISO 3166-1 alpha-3 code such as DEU, ITA or LTU, not `\(country)`")
        }
        if let out, !force, FileManager.default.fileExists(atPath: out) {
            standardError("eccoe agreement new: \(out) exists; choose another --out, or add --force to overwrite it")
            return ExitStatus.usage
        }

        // Read every learning opportunity first: one bad file stops the draft, each problem named on one line.
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? RelativePath.normalise(path) : RelativePath.normalise(cwd + "/" + path)
        }
        var opportunities: [(path: String, summary: LearningOpportunitySummary)] = []
        var failed = false
        var seenIDs: [String: String] = [:]
        for path in issuing {
            do {
                let bytes = try InputFile.read(path, limit: maxInputSize)
                if bytes.contains(0) {
                    standardError("\(path): error: binary file (it contains NUL bytes), not a learning-opportunity document")
                    failed = true
                    continue
                }
                let tree = SyntaxTree(parsing: bytes, dialect: path.hasSuffix(".jsonc") ? .jsonc : .json)
                let summary = try LearningOpportunitySummary(reading: tree, path: path)
                if let earlier = seenIDs[summary.id] {
                    standardError(
                        "\(path): error: has the same id as \(earlier) (`\(summary.id)`); give each learning opportunity once")
                    failed = true
                    continue
                }
                seenIDs[summary.id] = path
                opportunities.append((absolute(path), summary))
            } catch let error as InputFile.ReadError {
                standardError("\(path): error: cannot read: \(error.reason)")
                failed = true
            } catch let error as LearningOpportunitySummary.ReadError {
                standardError("\(path): error: \(error)")
                failed = true
            }
        }
        if failed { return ExitStatus.usage }

        let agreementPath = absolute(out ?? "draft.agreement.json")
        let request = AgreementDraftRequest(
            opportunities: opportunities, recognisingName: name, recognisingCountry: iri,
            agreementPath: agreementPath, validFrom: validFrom ?? today.nextAcademicYearStart)
        let result = AgreementDraft.make(request)
        let text = result.text
        // Notes name the files as the user gave them.
        var notes = result.notes
        for (given, (resolved, _)) in zip(issuing, opportunities) {
            notes = notes.map { $0.hasPrefix(resolved + ":") ? given + $0.dropFirst(resolved.count) : $0 }
        }
        for note in notes { standardError("note: \(note)") }
        if let out {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                standardError("eccoe agreement new: cannot write \(out): \(error.localizedDescription)")
                return ExitStatus.usage
            }
            let open = AgreementPlaceholder.count(in: text)
            standardError(
                "eccoe agreement new: wrote \(out) (\(opportunities.count) learning opportunit\(opportunities.count == 1 ? "y" : "ies"), \(open) placeholder\(open == 1 ? "" : "s") to fill in; `eccoe check \(out)` lists them)"
            )
        } else {
            CheckCommand.writeStandardOutput(text)
        }
        return ExitStatus.success
    }

    // MARK: render

    static func render(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var input: String?
        var out: String?
        while let item = scanner.next() {
            switch item {
            case .option("--out", let inline): out = try scanner.value(for: "--out", inline: inline)
            case .option(let option, _): throw UsageError(message: "unknown option \(option)")
            case .positional(let p):
                if input != nil { throw UsageError(message: "unexpected argument `\(p)` (render takes one agreement)") }
                input = p
            }
        }
        guard let input else { throw UsageError(message: "missing FILE.agreement.json") }
        guard let out else { throw UsageError(message: "missing --out FILE.html") }
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(input, limit: maxInputSize)
        } catch {
            standardError("\(input): error: cannot read: \(error.reason)")
            return ExitStatus.usage
        }
        let tree = SyntaxTree(parsing: bytes, dialect: input.hasSuffix(".jsonc") ? .jsonc : .json)
        if bytes.contains(0) {
            standardError("\(input): error: binary file (it contains NUL bytes), not an agreement")
            return ExitStatus.usage
        }
        if let error = tree.diagnostics.first(where: { $0.severity == .error }) {
            let p = tree.position(of: error.range.lowerBound, encoding: .utf8)
            standardError("\(input):\(p.line + 1):\(p.character + 1): error: not valid JSON: \(error.message)")
            return ExitStatus.usage
        }
        guard DocumentKind.detect(tree, path: input) == .agreement else {
            standardError(
                "\(input): error: not a recognition agreement (name it *.agreement.json or declare agreement.schema.json in `$schema`)"
            )
            return ExitStatus.usage
        }
        let html = AgreementRenderer(document: JSONValue(tree.root)).html()
        do {
            try Data(html.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            standardError("eccoe agreement render: cannot write \(out): \(error.localizedDescription)")
            return ExitStatus.usage
        }
        // What the checker says about the text (the document's own criteria), so nobody prints a flawed text unawares.
        if let engine = try? CriteriaEngine() {
            let findings = engine.check(tree, path: input)
            let errors = findings.filter { $0.severity == .error && $0.code != "AG-13" }.count
            let open = findings.filter { $0.code == "AG-21" }.count
            var notes: [String] = []
            if open > 0 { notes.append("\(open) placeholder\(open == 1 ? "" : "s") to fill in") }
            if errors > 0 {
                notes.append("\(errors) error\(errors == 1 ? "" : "s") besides the signatures; `eccoe check \(input)` lists them")
            }
            if !notes.isEmpty { standardError("note: \(input): " + notes.joined(separator: "; ")) }
        }
        standardError("eccoe agreement render: wrote \(out)")
        return ExitStatus.success
    }
}
