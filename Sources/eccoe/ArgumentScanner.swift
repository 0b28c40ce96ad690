/// A usage mistake on the command line. Turned into "eccoe CMD: message" plus the usage line, exit 2.
struct UsageError: Error {
    var message: String
}

/// Walks a subcommand's arguments: options (`--name`, `--name value`, `--name=value`), `--` to end
/// options, and positional arguments. Hand-written on purpose: the project takes no packages.
struct ArgumentScanner {
    private var remaining: ArraySlice<String>
    private var onlyPositionals = false
    private(set) var positionals: [String] = []

    init(_ arguments: [String]) { remaining = arguments[...] }

    enum Item {
        case option(name: String, inlineValue: String?)
        case positional(String)
    }

    /// The next option or positional argument, or nil at the end.
    mutating func next() -> Item? {
        guard let arg = remaining.popFirst() else { return nil }
        if onlyPositionals || arg == "-" || !arg.hasPrefix("-") { return .positional(arg) }
        if arg == "--" {
            onlyPositionals = true
            return next()
        }
        if let eq = arg.firstIndex(of: "=") {
            return .option(name: String(arg[..<eq]), inlineValue: String(arg[arg.index(after: eq)...]))
        }
        return .option(name: arg, inlineValue: nil)
    }

    /// The value of an option that takes one, from `--name=value` or the next argument.
    mutating func value(for name: String, inline: String?) throws -> String {
        if let inline { return inline }
        guard let v = remaining.popFirst() else { throw UsageError(message: "option \(name) needs a value") }
        return v
    }

    /// Rejects a value given to a flag (`--jsonc=yes`).
    func flag(_ name: String, inline: String?) throws {
        if inline != nil { throw UsageError(message: "option \(name) takes no value") }
    }
}

/// The output formats shared by the linting subcommands.
enum OutputFormat: String {
    case text, json

    init(parsing value: String, option: String) throws {
        guard let f = OutputFormat(rawValue: value) else {
            throw UsageError(message: "\(option) must be `text` or `json`, not `\(value)`")
        }
        self = f
    }
}
