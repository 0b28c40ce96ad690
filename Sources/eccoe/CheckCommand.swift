import Criteria
import Dispatch
import JSONSchema
import JSONSyntax
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `eccoe check`: the quality criteria over files and folders, for CI and catalogue reviews.
enum CheckCommand: Subcommand {
    static let name = "check"
    static let summary = "check credentials, learning opportunities and agreements against the quality criteria"
    static let usage = "eccoe check [--format text|json|sarif] [--max-file-size BYTES] [--today YYYY-MM-DD] PATH..."
    static let help = """
        Checks each PATH (a file, or a folder searched recursively for *.json and *.jsonld, hidden folders
        skipped) against the ECCOE quality criteria: the document's kind is detected (`type`, `$schema` or
        a *.agreement.json / *.consultation.json name), it is validated against the kind's schema, and the
        rules that schemas cannot express run. Sealed credentials (JAdES {"payload", "signatures"} or a compact
        JWS) are checked through their payload, findings placed inside it; flattened JSON-LD (@graph) through
        its credential or learning-opportunity node. Agreements are then checked against the documents they
        reference: each by its `id`, at its `path` hint, else among the PATHs, else in the agreement's folder
        (read from disk). The summary on standard error gives each agreement's state: draft, ready to sign,
        signed or expired. Unknown JSON documents get syntax checks only and one information line saying why.

        options:
          --format text|json|sarif  text: `path:line:column: severity: CRITERION-ID message` lines (1-based;
                                    columns count UTF-8 bytes; syntax errors carry their syntax code in place
                                    of the criterion ID); json: each file's kind and form, every finding
                                    with byte and LSP ranges and its fix, and each agreement's state; sarif:
                                    SARIF 2.1.0 for GitHub code scanning, with the catalogue as rule metadata
          --max-file-size BYTES     skip larger files with one error line (default 33554432, 32 MiB)
          --today YYYY-MM-DD        the day of the check, for signature dates (default: today, UTC)
          --help, --version

        exit status: 0 no errors (warnings and information allowed), 1 errors found, 2 usage or I/O error:
        an unreadable, binary or oversized file, or a folder without documents (the rest is still checked).
        """

    /// Files larger than this are not read (one error line each); `--max-file-size` overrides it.
    static let defaultMaxFileSize = 32 << 20
    /// At most this many files of an agreement's folder (recursively) are read when looking for a referenced
    /// document by its id (its path hint missing or stale, and no file among the PATHs having the id).
    static let maxFilesSearchedForReferences = 10_000

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var format = "text"
        var maxFileSize = defaultMaxFileSize
        var today: CalendarDate?
        var paths: [String] = []
        while let item = scanner.next() {
            switch item {
            case .option("--format", let inline):
                format = try scanner.value(for: "--format", inline: inline)
                guard ["text", "json", "sarif"].contains(format) else {
                    throw UsageError(message: "--format must be `text`, `json` or `sarif`, not `\(format)`")
                }
            case .option("--max-file-size", let inline):
                let value = try scanner.value(for: "--max-file-size", inline: inline)
                guard let n = Int(value), n > 0 else {
                    throw UsageError(message: "--max-file-size needs a positive number of bytes")
                }
                maxFileSize = n
            case .option("--today", let inline):
                today = try parseToday(try scanner.value(for: "--today", inline: inline))
            case .option(let name, _):
                throw UsageError(message: "unknown option \(name)")
            case .positional(let path):
                paths.append(path)
            }
        }
        if paths.isEmpty { throw UsageError(message: "missing PATH") }

        let engine: CriteriaEngine
        do {
            engine = try CriteriaEngine(options: CheckOptions(today: today))
        } catch {
            standardError("eccoe check: error: the embedded schemas do not compile (a build defect):\n\(error)")
            return ExitStatus.usage
        }

        var status = ExitStatus.success
        var problems: [(path: String, message: String)] = []
        var files: [String] = []
        for path in paths {
            switch DocumentFinder.find(path) {
            case .file: files.append(path)
            case .folder(let found):
                if found.isEmpty { problems.append((path, "no .json or .jsonld documents in this folder")) }
                files += found
            case .failure(let reason): problems.append((path, "cannot read: \(reason)"))
            }
        }

        // Document pass, in parallel: each worker reads, parses and checks one file and keeps only the
        // rendered findings (10,000 documents must not stay in memory as trees).
        let results = ResultSlots(count: files.count)
        let inputs = files, limit = maxFileSize
        DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
            results.store(i, checkFile(inputs[i], engine: engine, maxFileSize: limit))
        }
        var reports = results.values

        // Workspace pass: agreements against the documents they reference, each found by its id: at its path
        // hint, else among the files checked, else in the agreement's folder.
        var search = ReferenceSearch(maxFileSize: maxFileSize)
        let checkedIDs: [String: [String]] = reports.reduce(into: [:]) { index, report in
            if let id = report.documentID { index[id, default: []].append(report.path) }
        }
        for i in reports.indices where reports[i].kind == .agreement {
            guard let tree = reports[i].agreementTree else { continue }
            let path = reports[i].path
            var documents: [String: SyntaxTree] = [:]
            for reference in engine.references(of: tree, path: path) {
                if let parsed = search.parse(reference) { documents[reference] = parsed }
            }
            var unresolved = engine.unresolvedReferences(of: tree, path: path, documents: documents)
            for id in unresolved {
                for candidate in checkedIDs[id] ?? [] where documents[candidate] == nil {
                    if let parsed = search.parse(candidate) { documents[candidate] = parsed }
                }
            }
            if !unresolved.isEmpty { unresolved = engine.unresolvedReferences(of: tree, path: path, documents: documents) }
            if !unresolved.isEmpty {
                for (candidate, parsed) in search.documents(holding: unresolved, near: path) where documents[candidate] == nil {
                    documents[candidate] = parsed
                }
            }
            let extra = engine.workspaceFindings(forAgreement: tree, path: path, documents: documents)
            reports[i].add(extra.map { RenderedFinding($0, tree: tree) })
            reports[i].agreementStatus = engine.agreementStatus(tree, path: path, findings: reports[i].findings.map(\.finding))
            reports[i].agreementTree = nil
        }

        for report in reports {
            if let error = report.readError { problems.append((report.path, error)) }
            if report.findings.contains(where: { $0.finding.severity == .error }) && status == ExitStatus.success {
                status = ExitStatus.findings
            }
        }
        for problem in problems { standardError("\(problem.path): error: \(problem.message)") }
        if !problems.isEmpty { status = ExitStatus.usage }

        switch format {
        case "json": writeStandardOutput(JSONWriter.render(json(reports, problems: problems, catalogue: engine.catalogue)) + "\n")
        case "sarif": writeStandardOutput(JSONWriter.render(sarif(reports, catalogue: engine.catalogue)) + "\n")
        default:
            var out = ""
            for report in reports {
                for r in report.findings {
                    out +=
                        "\(report.path):\(r.line):\(r.column): \(r.finding.severity.label): \(r.finding.code) \(r.finding.message)\n"
                }
                if out.utf8.count > 1 << 20 {
                    writeStandardOutput(out)
                    out = ""
                }
            }
            writeStandardOutput(out)
        }
        let counts = [Severity.error, .warning, .information].map { s in
            reports.reduce(0) { $0 + $1.findings.filter { $0.finding.severity == s }.count }
        }
        standardError(
            "eccoe check: \(files.count) file\(files.count == 1 ? "" : "s"), \(counts[0]) error\(counts[0] == 1 ? "" : "s"), \(counts[1]) warning\(counts[1] == 1 ? "" : "s"), \(counts[2]) information"
        )
        if let summary = agreementSummary(reports) { standardError(summary) }
        return status
    }

    /// The value of `--today`: a date YYYY-MM-DD.
    static func parseToday(_ value: String) throws -> CalendarDate {
        let parts = value.split(separator: "-").compactMap { Int($0) }
        guard value.utf8.count == 10, parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            throw UsageError(message: "--today needs a date YYYY-MM-DD, not `\(value)`")
        }
        return CalendarDate(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Reads, parses and checks one file.
    static func checkFile(_ path: String, engine: CriteriaEngine, maxFileSize: Int) -> CheckedFile {
        var report = CheckedFile(path: path)
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, limit: maxFileSize)
        } catch {
            report.readError = "cannot read: \(error.reason)"
            return report
        }
        if bytes.contains(0) {
            report.readError = "binary file (it contains NUL bytes), not a JSON document; skipped"
            return report
        }
        let tree = SyntaxTree(parsing: bytes, dialect: path.hasSuffix(".jsonc") ? .jsonc : .json)
        let kind = engine.kind(of: tree, path: path)
        report.kind = kind
        report.form = engine.form(of: tree)
        var findings = engine.check(tree, path: path, kind: kind)
        if kind == nil && !findings.contains(where: { $0.severity == .error }) {
            // No document passes silently: say why it was not checked against the criteria.
            findings.insert(
                Finding(
                    criterionID: nil, code: "unknown-kind", severity: .information, range: 0..<0,
                    message: "Not checked against the criteria: " + engine.reasonForNoKind(tree)), at: 0)
        }
        report.findings = findings.map { RenderedFinding($0, tree: tree) }
        if kind == .agreement { report.agreementTree = tree }
        if kind == .learningOpportunity || kind == .credential, tree.root.kind == .object {
            report.documentID = tree.root.value(forKey: "id")?.stringValue
        }
        return report
    }

    /// The agreements' states, for the summary: a count per state, then one line per agreement.
    static func agreementSummary(_ reports: [CheckedFile]) -> String? {
        let agreements = reports.compactMap { r in r.agreementStatus.map { (r.path, $0) } }
        guard !agreements.isEmpty else { return nil }
        let counts = AgreementStatus.State.allCases.map { state in
            "\(agreements.filter { $0.1.state == state }.count) \(state.label)"
        }
        var lines = ["agreements: " + counts.joined(separator: ", ")]
        for (path, status) in agreements {
            var details: [String] = []
            if status.errors > 0 { details.append("\(status.errors) error\(status.errors == 1 ? "" : "s")") }
            if status.placeholders > 0 {
                details.append("\(status.placeholders) placeholder\(status.placeholders == 1 ? "" : "s") to fill in")
            }
            if !status.unsignedParties.isEmpty, status.state != .expired {
                details.append("awaiting the signature of " + status.unsignedParties.joined(separator: ", "))
            }
            if let from = status.validFrom, let until = status.validUntil { details.append("valid \(from) to \(until)") }
            lines.append(
                "  \(path): \(status.state.label)" + (details.isEmpty ? "" : " (" + details.joined(separator: "; ") + ")"))
        }
        return lines.joined(separator: "\n")
    }

    static func writeStandardOutput(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                break
            }
            offset += n
        }
    }

    // MARK: Output

    static func json(_ reports: [CheckedFile], problems: [(path: String, message: String)], catalogue: Catalogue)
        -> JSONWriter.Value
    {
        var files: [JSONWriter.Value] = reports.map { report in
            var members: [(String, JSONWriter.Value)] = [
                ("path", .string(report.path)), ("kind", report.kind.map { .string($0.rawValue) } ?? .null),
                ("form", report.form.map { .string($0.rawValue) } ?? .null),
            ]
            if let error = report.readError { members.append(("error", .string(error))) }
            if let status = report.agreementStatus {
                var agreement: [(String, JSONWriter.Value)] = [
                    ("state", .string(status.state.rawValue)),
                    ("placeholders", .int(status.placeholders)),
                    ("unsignedParties", .array(status.unsignedParties.map { .string($0) })),
                    ("errors", .int(status.errors)),
                ]
                if let from = status.validFrom { agreement.append(("validFrom", .string(from))) }
                if let until = status.validUntil { agreement.append(("validUntil", .string(until))) }
                members.append(("agreement", .object(agreement)))
            }
            members.append(("findings", .array(report.findings.map(\.json))))
            return .object(members)
        }
        let reported = Set(reports.map(\.path))
        for problem in problems where !reported.contains(problem.path) {
            files.append(
                .object([
                    ("path", .string(problem.path)), ("kind", .null), ("error", .string(problem.message)),
                    ("findings", .array([])),
                ]))
        }
        return .object([("catalogueVersion", .string(catalogue.version)), ("files", .array(files))])
    }

    static func sarif(_ reports: [CheckedFile], catalogue: Catalogue) -> JSONWriter.Value {
        var ruleIDs = catalogue.criteria.map(\.id)
        var ruleIndex: [String: Int] = [:]
        for (i, id) in ruleIDs.enumerated() { ruleIndex[id] = i }
        var rules: [JSONWriter.Value] = catalogue.criteria.map { c in
            .object([
                ("id", .string(c.id)),
                ("name", .string(c.title.sarifName)),
                ("shortDescription", .object([("text", .string(c.title))])),
                ("fullDescription", .object([("text", .string(c.requirement))])),
                (
                    "help",
                    .object([
                        ("text", .string("\(c.requirement)\n\nWhy: \(c.rationale)\n\nSource: \(c.source)")),
                        (
                            "markdown",
                            .string(
                                "**\(c.id) \(c.title)** (\(c.level.rawValue))\n\n\(c.requirement)\n\n*Why:* \(c.rationale)\n\n*Source:* \(c.source)"
                            )
                        ),
                    ])
                ),
                ("defaultConfiguration", .object([("level", .string(sarifLevel(catalogue.severity(of: c.id))))])),
                (
                    "properties",
                    .object([
                        ("tags", .array(([c.level.rawValue] + c.kinds.map(\.rawValue)).map { .string($0) })),
                        ("catalogueVersion", .string(catalogue.version)),
                    ])
                ),
            ])
        }
        var results: [JSONWriter.Value] = []
        for report in reports {
            for r in report.findings {
                let f = r.finding
                if ruleIndex[f.code] == nil {
                    ruleIndex[f.code] = ruleIDs.count
                    ruleIDs.append(f.code)
                    rules.append(
                        .object([
                            ("id", .string(f.code)), ("name", .string(f.code.sarifName)),
                            (
                                "shortDescription",
                                .object([("text", .string(f.criterionID == nil ? "JSON syntax: \(f.code)" : f.code))])
                            ),
                            ("defaultConfiguration", .object([("level", .string(sarifLevel(f.severity)))])),
                        ]))
                }
                results.append(
                    .object([
                        ("ruleId", .string(f.code)),
                        ("ruleIndex", .int(ruleIndex[f.code]!)),
                        ("level", .string(sarifLevel(f.severity))),
                        ("message", .object([("text", .string(f.message))])),
                        (
                            "locations",
                            .array([
                                .object([
                                    (
                                        "physicalLocation",
                                        .object([
                                            (
                                                "artifactLocation",
                                                .object([
                                                    ("uri", .string(report.path.sarifURI)), ("uriBaseId", .string("%SRCROOT%")),
                                                ])
                                            ),
                                            (
                                                "region",
                                                .object([
                                                    ("startLine", .int(r.lsp.start.line + 1)),
                                                    ("startColumn", .int(r.lsp.start.character + 1)),
                                                    ("endLine", .int(r.lsp.end.line + 1)),
                                                    ("endColumn", .int(r.lsp.end.character + 1)),
                                                    ("byteOffset", .int(f.range.lowerBound)), ("byteLength", .int(f.range.count)),
                                                ])
                                            ),
                                        ])
                                    )
                                ])
                            ])
                        ),
                    ]))
            }
        }
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object([
                                        ("name", .string("eccoe")),
                                        ("version", .string(eccoeVersion)),
                                        ("semanticVersion", .string(eccoeVersion)),
                                        ("informationUri", .string("https://eccoe.eu/")),
                                        ("rules", .array(rules)),
                                    ])
                                )
                            ])
                        ),
                        ("columnKind", .string("utf16CodeUnits")),
                        ("results", .array(results)),
                    ])
                ])
            ),
        ])
    }

    static func sarifLevel(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .information, .hint: "note"
        }
    }
}

/// One finding with its positions computed while its tree is at hand.
struct RenderedFinding {
    var finding: Finding
    /// 1-based line and column (UTF-8 bytes) of the start.
    var line: Int
    var column: Int
    /// The LSP range (0-based, UTF-16).
    var lsp: PositionRange

    init(_ finding: Finding, tree: SyntaxTree) {
        self.finding = finding
        let p = tree.position(of: finding.range.lowerBound, encoding: .utf8)
        line = p.line + 1
        column = p.character + 1
        lsp = tree.range(of: finding.range, encoding: .utf16)
    }

    var json: JSONWriter.Value {
        var members: [(String, JSONWriter.Value)] = [
            ("criterion", finding.criterionID.map { .string($0) } ?? .null),
            ("code", .string(finding.code)),
            ("severity", .string(finding.severity.rawValue)),
            ("message", .string(finding.message)),
            ("line", .int(line)),
            ("column", .int(column)),
            ("byteRange", .object([("start", .int(finding.range.lowerBound)), ("end", .int(finding.range.upperBound))])),
            ("range", lspRange(lsp)),
        ]
        if !finding.properties.isEmpty { members.append(("properties", .array(finding.properties.map { .string($0) }))) }
        if let fix = finding.fix {
            func edits(_ list: [FixEdit]) -> JSONWriter.Value {
                .array(
                    list.map {
                        .object([
                            ("byteRange", .object([("start", .int($0.range.lowerBound)), ("end", .int($0.range.upperBound))])),
                            ("newText", .string($0.newText)),
                        ])
                    })
            }
            members.append(
                (
                    "fix",
                    .object([
                        ("title", .string(fix.title)),
                        ("edits", edits(fix.edits)),
                        (
                            "choices",
                            .array(
                                fix.choices.map {
                                    .object([
                                        ("label", .string($0.label)), ("value", .string($0.json)), ("edits", edits($0.edits)),
                                    ])
                                })
                        ),
                    ])
                ))
        }
        return .object(members)
    }
}

/// The outcome of checking one file.
struct CheckedFile {
    var path: String
    var kind: DocumentKind?
    /// How the document is published (plain, sealed, a JSON-LD graph); nil when it could not be read.
    var form: PublishedForm?
    var findings: [RenderedFinding] = []
    var readError: String?
    /// Kept for the workspace pass (agreements only).
    var agreementTree: SyntaxTree?
    /// The agreement's state after the workspace pass (agreements only).
    var agreementStatus: AgreementStatus?
    /// The top-level `id` of a learning opportunity or credential, so that agreements can find it by id.
    var documentID: String?

    init(path: String) { self.path = path }

    mutating func add(_ more: [RenderedFinding]) {
        findings += more
        findings.sort {
            $0.finding.range.lowerBound != $1.finding.range.lowerBound
                ? $0.finding.range.lowerBound < $1.finding.range.lowerBound : $0.finding.code < $1.finding.code
        }
    }
}

/// Result slots filled by `concurrentPerform`: each iteration writes only its own index, and the slots
/// are read after all iterations have finished, so no two threads touch the same memory.
final class ResultSlots: Sendable {
    private let slots: Mutex<[CheckedFile?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func store(_ i: Int, _ report: CheckedFile) {
        slots.withLock { $0[i] = report }
    }

    var values: [CheckedFile] { slots.withLock { $0.compactMap { $0 } } }
}

/// Reads the documents an agreement references, by path and, where a path hint fails, by id in the
/// agreement's folder. Folder listings, files read and trees parsed are kept for the next agreement.
struct ReferenceSearch {
    let maxFileSize: Int
    private var parsed: [String: SyntaxTree?] = [:]
    private var listings: [String: [String]] = [:]

    init(maxFileSize: Int) { self.maxFileSize = maxFileSize }

    /// The document at `path`, parsed; nil when it cannot be read or is binary.
    mutating func parse(_ path: String) -> SyntaxTree? {
        if let known = parsed[path] { return known }
        var tree: SyntaxTree?
        if let bytes = try? InputFile.read(path, limit: maxFileSize), !bytes.contains(0) {
            tree = SyntaxTree(parsing: bytes, dialect: path.hasSuffix(".jsonc") ? .jsonc : .json)
        }
        parsed[path] = .some(tree)
        return tree
    }

    /// Documents in the folder of the agreement at `agreementPath` (recursively, at most
    /// `CheckCommand.maxFilesSearchedForReferences` files) whose top-level `id` is one of `ids`.
    mutating func documents(holding ids: [String], near agreementPath: String) -> [(String, SyntaxTree)] {
        var folder = agreementPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if folder.isEmpty { folder = agreementPath.hasPrefix("/") ? "/" : "." }
        if listings[folder] == nil {
            if case .folder(let found) = DocumentFinder.find(folder) {
                listings[folder] = Array(found.prefix(CheckCommand.maxFilesSearchedForReferences))
            } else {
                listings[folder] = []
            }
        }
        var result: [(String, SyntaxTree)] = []
        for candidate in listings[folder] ?? [] where candidate != agreementPath {
            if let known = parsed[candidate] {
                if let tree = known, let id = tree.root.value(forKey: "id")?.stringValue, ids.contains(id) {
                    result.append((candidate, tree))
                }
                continue
            }
            guard let bytes = try? InputFile.read(candidate, limit: maxFileSize), !bytes.contains(0),
                CriteriaEngine.mayHold(bytes, anyOf: ids)
            else { continue }
            let tree = SyntaxTree(parsing: bytes, dialect: candidate.hasSuffix(".jsonc") ? .jsonc : .json)
            parsed[candidate] = .some(tree)
            if tree.root.kind == .object, let id = tree.root.value(forKey: "id")?.stringValue, ids.contains(id) {
                result.append((candidate, tree))
            }
        }
        return result
    }
}

/// Finds the documents under a path.
enum DocumentFinder {
    enum Found {
        case file
        case folder([String])
        case failure(String)
    }

    static func find(_ path: String) -> Found {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return .file }
        var found: [String] = []
        var stack = [path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path]
        var visited = 0
        while let folder = stack.popLast() {
            visited += 1
            guard visited <= 100_000, let dir = opendir(folder) else { continue }
            var names: [String] = []
            while let entry = readdir(dir) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name.hasPrefix(".") { continue }
                names.append(name)
            }
            closedir(dir)
            for name in names.sorted().reversed() {
                let child = folder + "/" + name
                var s = stat()
                guard stat(child, &s) == 0 else { continue }
                if (s.st_mode & S_IFMT) == S_IFDIR {
                    stack.append(child)
                } else if name.hasSuffix(".json") || name.hasSuffix(".jsonld") {
                    found.append(child)
                }
            }
        }
        return .folder(found.sorted())
    }
}

extension String {
    /// A SARIF rule name: the title in UpperCamelCase, letters and digits only.
    var sarifName: String {
        split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A relative URI reference for a path: unreserved characters and `/` kept, the rest percent-encoded.
    var sarifURI: String {
        var out = ""
        for byte in utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "/-._~".contains(c)) {
                out.append(c)
            } else {
                let h = String(byte, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return out.hasPrefix("./") ? String(out.dropFirst(2)) : out
    }
}
