#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every subcommand, in the order `eccoe --help` lists them.
var subcommands: [any Subcommand.Type] {
    [
        ParseCommand.self, ValidateCommand.self, CheckCommand.self, CatalogueCommand.self, CriteriaCommand.self,
        AgreementCommand.self, LSPCommand.self, ServeCommand.self, ExportCommand.self, ReportCommand.self,
    ]
}

/// Writes a line to standard error (unbuffered, so it interleaves sensibly with other output).
func standardError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    var bytes = Array(line.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { break }
        offset += n
    }
}

func topLevelHelp() -> String {
    var lines = [
        "eccoe \(eccoeVersion): quality checks for micro-credentials, learning opportunities and recognition agreements",
        "",
        "usage: eccoe <command> [options] [arguments]",
        "",
        "commands:",
    ]
    for command in subcommands {
        lines.append("  " + command.name.padding(toLength: 10) + command.summary)
    }
    lines += ["", "Run `eccoe <command> --help` for a command's options. `eccoe --version` prints the version."]
    return lines.joined(separator: "\n")
}

extension String {
    func padding(toLength n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}

func runMain(_ argv: [String]) -> Int32 {
    guard let first = argv.first else {
        standardError(topLevelHelp())
        return ExitStatus.usage
    }
    switch first {
    case "--help", "-h", "help":
        if first == "help", argv.count > 1, let command = subcommands.first(where: { $0.name == argv[1] }) {
            print("usage: \(command.usage)\n\n\(command.help)")
        } else {
            print(topLevelHelp())
        }
        return ExitStatus.success
    case "--version", "-V":
        print("eccoe \(eccoeVersion)")
        return ExitStatus.success
    default:
        break
    }
    guard let command = subcommands.first(where: { $0.name == first }) else {
        standardError("eccoe: unknown command `\(first)`\nusage: eccoe <command> [options] [arguments] (see `eccoe --help`)")
        return ExitStatus.usage
    }
    let rest = Array(argv.dropFirst())
    if rest.contains("--help") || rest.contains("-h") {
        print("usage: \(command.usage)\n\n\(command.help)")
        return ExitStatus.success
    }
    if rest.contains("--version") {
        print("eccoe \(command.name) \(eccoeVersion)")
        return ExitStatus.success
    }
    do {
        return try command.run(rest)
    } catch let error as UsageError {
        standardError("eccoe \(command.name): \(error.message)\nusage: \(command.usage)")
        return ExitStatus.usage
    } catch {
        standardError("eccoe \(command.name): \(error)")
        return ExitStatus.usage
    }
}
