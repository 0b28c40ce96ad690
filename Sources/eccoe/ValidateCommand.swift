import JSONSchema
import JSONSyntax

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `eccoe validate`: any JSON document against any JSON Schema 2020-12, like `check-jsonschema`.
enum ValidateCommand: Subcommand {
    static let name = "validate"
    static let summary = "validate JSON files against a JSON Schema 2020-12"
    static let usage = "eccoe validate --schema SCHEMA [--ref URI=FILE]... [--format-assertion] [--format text|json] FILE..."
    static let help = """
        Validates each FILE (`-` for standard input) against SCHEMA. Syntax errors in a FILE are reported
        too (as by `eccoe parse`) and make it invalid; what can be read is still validated.

        options:
          --schema SCHEMA         the schema file (its `$id`, or else its file URI, is its base URI)
          --ref URI=FILE          preload FILE as the schema document at URI, for `$ref`s to it (repeatable;
                                  nothing is ever fetched from the network)
          --format-assertion      check `format` (date, date-time, email, uri, …) instead of ignoring it
          --jsonc                 read FILEs as JSON with comments (also implied by a .jsonc extension)
          --format text|json      text: `path:line:column: error: message (at /pointer, keyword /location)`
                                  lines (1-based; columns count UTF-8 bytes); json: one object with each
                                  error's pointers, byte range and LSP range (UTF-16)
          --help, --version

        exit status: 0 all files valid, 1 some file invalid, 2 usage, I/O or schema error.
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var schemaPath: String?
        var refs: [(uri: String, path: String)] = []
        var formatAssertion = false
        var jsonc = false
        var format = OutputFormat.text
        var files: [String] = []
        while let item = scanner.next() {
            switch item {
            case .option("--schema", let inline):
                schemaPath = try scanner.value(for: "--schema", inline: inline)
            case .option("--ref", let inline):
                let value = try scanner.value(for: "--ref", inline: inline)
                guard let eq = value.firstIndex(of: "="), eq != value.startIndex, value.index(after: eq) != value.endIndex else {
                    throw UsageError(message: "--ref needs URI=FILE, not `\(value)`")
                }
                refs.append((String(value[..<eq]), String(value[value.index(after: eq)...])))
            case .option("--format-assertion", let inline):
                try scanner.flag("--format-assertion", inline: inline)
                formatAssertion = true
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
        guard let schemaPath else { throw UsageError(message: "missing --schema SCHEMA") }
        if files.isEmpty { throw UsageError(message: "missing FILE") }

        let limits = ParseLimits.default
        let options = ValidationOptions(formatAssertion: formatAssertion)
        var registry = SchemaRegistry()
        let validator: JSONSchemaValidator
        do {
            for ref in refs {
                try registry.add(try loadSchema(ref.path, limits: limits), uri: ref.uri)
            }
            let schemaTree = try loadSchema(schemaPath, limits: limits)
            let uri = fileURI(schemaPath)
            try registry.add(schemaTree, uri: uri)
            validator = try registry.compile(uri: uri, options: options)
        } catch let error as InputFile.ReadError {
            standardError("\(error.path): error: cannot read schema: \(error.reason)")
            return ExitStatus.usage
        } catch let error as SchemaError {
            for problem in error.problems { standardError("error: invalid schema: \(problem)") }
            return ExitStatus.usage
        }

        var status = ExitStatus.success
        var reports: [JSONWriter.Value] = []
        for path in files {
            do {
                let bytes = try InputFile.read(path, limit: limits.maxDocumentBytes)
                let dialect: Dialect = jsonc || path.hasSuffix(".jsonc") ? .jsonc : .json
                let tree = SyntaxTree(parsing: bytes, dialect: dialect, limits: limits)
                let result = validator.validate(tree)
                if (tree.hasErrors || !result.isValid) && status == ExitStatus.success { status = ExitStatus.findings }
                if format == .text {
                    printText(path: path, tree: tree, result: result)
                } else {
                    reports.append(json(path: path, tree: tree, result: result))
                }
            } catch {
                standardError("\(error.path): error: cannot read: \(error.reason)")
                status = ExitStatus.usage
                if format == .json { reports.append(.object([("path", .string(path)), ("error", .string(error.reason))])) }
            }
        }
        if format == .json { print(JSONWriter.render(.object([("files", .array(reports))]))) }
        return status
    }

    /// Reads and parses a schema file; syntax errors become schema errors.
    private static func loadSchema(_ path: String, limits: ParseLimits) throws -> SyntaxTree {
        let bytes = try InputFile.read(path, limit: limits.maxDocumentBytes)
        let tree = SyntaxTree(parsing: bytes, dialect: path.hasSuffix(".jsonc") ? .jsonc : .json, limits: limits)
        if let first = tree.diagnostics.first(where: { $0.severity == .error }) {
            let p = tree.position(of: first.range.lowerBound, encoding: .utf8)
            throw SchemaError(problems: [
                SchemaProblem(
                    documentURI: path, location: JSONPointer(tokens: []), range: first.range,
                    message: "\(p.line + 1):\(p.character + 1): \(first.message)")
            ])
        }
        return tree
    }

    /// A `file://` URI for a path (made absolute against the working directory), as a base for relative `$ref`s.
    static func fileURI(_ path: String) -> String {
        if path == "-" { return "file:///dev/stdin" }
        var absolute = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: 4096)
            let cwd =
                getcwd(&buffer, buffer.count) != nil
                ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "/"
            absolute = cwd + (cwd.hasSuffix("/") ? "" : "/") + path
        }
        var out = "file://"
        for byte in absolute.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80 && (c.isLetter || c.isNumber || "/-._~".contains(c)) {
                out.append(c)
            } else {
                let h = String(byte, radix: 16, uppercase: true)
                out += "%" + (h.count == 1 ? "0" + h : h)
            }
        }
        return out
    }

    private static func printText(path: String, tree: SyntaxTree, result: ValidationResult) {
        var lines: [(Int, String)] = []
        for d in tree.diagnostics {
            let p = tree.position(of: d.range.lowerBound, encoding: .utf8)
            lines.append((d.range.lowerBound, "\(path):\(p.line + 1):\(p.character + 1): \(d.severity.label): \(d.message)"))
        }
        for e in result.errors {
            let p = tree.position(of: e.range.lowerBound, encoding: .utf8)
            var line = "\(path):\(p.line + 1):\(p.character + 1): error: \(e.message)"
            if e.code != "more-errors" {
                line +=
                    " (at \(e.instanceLocation.description.isEmpty ? "/" : e.instanceLocation.description), keyword \(e.keywordLocation.description.isEmpty ? "/" : e.keywordLocation.description))"
            }
            lines.append((e.range.lowerBound, line))
        }
        // Syntax diagnostics and schema errors interleave in document order; the sort is stable.
        for (_, line) in lines.enumerated().sorted(by: { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }).map(\.element) {
            print(line)
        }
    }

    private static func json(path: String, tree: SyntaxTree, result: ValidationResult) -> JSONWriter.Value {
        func position(_ range: Range<Int>) -> [(String, JSONWriter.Value)] {
            let start = tree.position(of: range.lowerBound, encoding: .utf8)
            return [
                ("line", .int(start.line + 1)),
                ("column", .int(start.character + 1)),
                ("byteRange", .object([("start", .int(range.lowerBound)), ("end", .int(range.upperBound))])),
                ("range", lspRange(tree.range(of: range, encoding: .utf16))),
            ]
        }
        let diagnostics: [JSONWriter.Value] = tree.diagnostics.map { d in
            .object(
                [("severity", .string(d.severity.rawValue)), ("code", .string(d.code.rawValue)), ("message", .string(d.message))]
                    + position(d.range))
        }
        let errors: [JSONWriter.Value] = result.errors.map { e in
            var members: [(String, JSONWriter.Value)] = [
                ("code", .string(e.code)),
                ("message", .string(e.message)),
                ("instanceLocation", .string(e.instanceLocation.description)),
                ("keywordLocation", .string(e.keywordLocation.description)),
                ("absoluteKeywordLocation", .string(e.absoluteKeywordLocation)),
            ]
            members += position(e.range)
            if !e.allowedValues.isEmpty {
                members.append(
                    (
                        "allowedValues",
                        .array(
                            e.allowedValues.map { v in
                                var item: [(String, JSONWriter.Value)] = [("json", .string(v.json))]
                                if let t = v.title { item.append(("title", .string(t))) }
                                return .object(item)
                            })
                    ))
            }
            return .object(members)
        }
        return .object([
            ("path", .string(path)),
            ("valid", .bool(!tree.hasErrors && result.isValid)),
            ("diagnostics", .array(diagnostics)),
            ("errors", .array(errors)),
        ])
    }
}
