/// One `eccoe` subcommand: its name, one-line summary, usage and help text, and how to run it.
protocol Subcommand {
    static var name: String { get }
    static var summary: String { get }
    /// The usage line, without the leading "usage: ".
    static var usage: String { get }
    /// Help text shown after the usage line by `--help`.
    static var help: String { get }
    /// Runs with the arguments after the subcommand's name; returns the exit status.
    static func run(_ arguments: [String]) throws -> Int32
}

enum ExitStatus {
    static let success: Int32 = 0
    static let findings: Int32 = 1
    static let usage: Int32 = 2
}

let eccoeVersion = "0.1.0"
