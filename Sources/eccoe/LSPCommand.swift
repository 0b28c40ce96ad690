import EditorFeatures
import LanguageServer

/// `eccoe lsp`: the language server on standard input and output.
enum LSPCommand: Subcommand {
    static let name = "lsp"
    static let summary = "run the language server (LSP 3.17 over stdio)"
    static let usage = "eccoe lsp [--stdio] [--log-timings]"
    static let help = """
        Speaks the Language Server Protocol (JSON-RPC with Content-Length framing) on standard input and
        output; logs go to standard error. Editors start it themselves: see Editors/ and the README.

        options:
          --stdio                 accepted for clients that pass it; stdio is the only transport
          --log-timings           log, for each diagnostics push after an edit, how long each stage took
                                  (edit, wait for a thread, parse, check, hand-over, encode, write)
          --help, --version
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var scanner = ArgumentScanner(arguments)
        var logTimings = false
        while let item = scanner.next() {
            switch item {
            case .option("--stdio", let inline):
                try scanner.flag("--stdio", inline: inline)
            case .option("--log-timings", let inline):
                try scanner.flag("--log-timings", inline: inline)
                logTimings = true
            case .option(let name, _):
                throw UsageError(message: "unknown option \(name)")
            case .positional(let value):
                throw UsageError(message: "unexpected argument `\(value)`")
            }
        }
        let analyzer: any DocumentAnalyzer
        do {
            analyzer = try CriteriaAnalyzer()
        } catch {
            // Only a broken build gets here (the schemas are compiled in); still serve syntax checks.
            standardError("eccoe lsp: the criteria engine could not start (\(error)); checking JSON syntax only")
            analyzer = SyntaxAnalyzer()
        }
        StdioServer.run(analyzer: analyzer, logTimings: logTimings)
    }
}
