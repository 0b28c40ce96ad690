// eccoe-bench: benchmarks, run on a release build: `swift run -c release eccoe-bench <name> [--quick]`.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse":
    ParseBenchmark.run(arguments: Array(arguments.dropFirst()))
case "validate":
    ValidateBenchmark.run(arguments: Array(arguments.dropFirst()))
case "lsp":
    do {
        try LSPBenchmark.run(arguments: Array(arguments.dropFirst()))
    } catch {
        print("eccoe-bench lsp: \(error)")
    }
default:
    print("usage: eccoe-bench parse|validate|lsp [--quick]")
}
