import JSONSyntax

/// `eccoe parse`: a JSON/JSONC linter on the syntax layer alone.
enum ParseCommand: Subcommand {
    static let name = "parse"
    static let summary = "check JSON or JSONC syntax"
    static let usage = "eccoe parse [--jsonc] [--format text|json] FILE..."
    static let help = """
        Parses each FILE (`-` for standard input) and reports syntax errors and warnings.

        options:
          --jsonc                 accept comments and trailing commas (also implied by a .jsonc extension)
          --format text|json      text: `path:line:column: severity: message` lines (1-based; columns count
                                  UTF-8 bytes); json: one object with each diagnostic's code, byte range and
                                  LSP range (UTF-16)
          --help, --version

        exit status: 0 no errors (warnings allowed), 1 a file has an error, 2 usage or I/O error
        (the other files are still read).
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var jsonc = false
        var format = OutputFormat.text
        var files: [String] = []
        while let item = scanner.next() {
            switch item {
            case .option("--jsonc", let inline):
                try scanner.flag("--jsonc", inline: inline)
                jsonc = true
            case .option("--format", let inline):
                format = try OutputFormat(parsing: scanner.value(for: "--format", inline: inline), option: "--format")
            case .option(let name, _):
                throw UsageError(message: "unknown option \(name)")
            case .positional(let path):
                files.append(path)
            }
        }
        if files.isEmpty { throw UsageError(message: "missing FILE") }

        let limits = ParseLimits.default
        var status = ExitStatus.success
        var reports: [FileReport] = []
        for path in files {
            do {
                let bytes = try InputFile.read(path, limit: limits.maxDocumentBytes)
                let dialect: Dialect = jsonc || path.hasSuffix(".jsonc") ? .jsonc : .json
                let tree = SyntaxTree(parsing: bytes, dialect: dialect, limits: limits)
                let report = FileReport(path: path, tree: tree)
                if tree.hasErrors && status == ExitStatus.success { status = ExitStatus.findings }
                if format == .text { report.printText() } else { reports.append(report) }
            } catch {
                standardError("\(error.path): error: cannot read: \(error.reason)")
                status = ExitStatus.usage
                if format == .json { reports.append(FileReport(path: path, readError: error.reason)) }
            }
        }
        if format == .json {
            print(JSONWriter.render(.object([("files", .array(reports.map(\.json)))])))
        }
        return status
    }
}

/// The syntax diagnostics of one file, rendered as text lines or JSON.
struct FileReport {
    var path: String
    var tree: SyntaxTree?
    var readError: String?

    init(path: String, tree: SyntaxTree) {
        self.path = path
        self.tree = tree
    }

    init(path: String, readError: String) {
        self.path = path
        self.readError = readError
    }

    func printText() {
        guard let tree else { return }
        for d in tree.diagnostics {
            let p = tree.position(of: d.range.lowerBound, encoding: .utf8)
            print("\(path):\(p.line + 1):\(p.character + 1): \(d.severity.label): \(d.message)")
        }
    }

    var json: JSONWriter.Value {
        var members: [(String, JSONWriter.Value)] = [("path", .string(path))]
        if let readError { members.append(("error", .string(readError))) }
        if let tree {
            members.append(
                (
                    "diagnostics",
                    .array(
                        tree.diagnostics.map { d in
                            let start = tree.position(of: d.range.lowerBound, encoding: .utf8)
                            let lsp = tree.range(of: d.range, encoding: .utf16)
                            return .object([
                                ("severity", .string(d.severity.rawValue)),
                                ("code", .string(d.code.rawValue)),
                                ("message", .string(d.message)),
                                ("line", .int(start.line + 1)),
                                ("column", .int(start.character + 1)),
                                ("byteRange", .object([("start", .int(d.range.lowerBound)), ("end", .int(d.range.upperBound))])),
                                ("range", lspRange(lsp)),
                            ])
                        })
                ))
        }
        return .object(members)
    }
}

func lspRange(_ r: PositionRange) -> JSONWriter.Value {
    .object([
        ("start", .object([("line", .int(r.start.line)), ("character", .int(r.start.character))])),
        ("end", .object([("line", .int(r.end.line)), ("character", .int(r.end.character))])),
    ])
}

extension Severity {
    /// The word used in `path:line:column: severity: message` lines.
    var label: String { self == .information ? "info" : rawValue }
}
