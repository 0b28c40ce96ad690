// eccoe-bench: benchmarks, run on a release build: `swift run -c release eccoe-bench <name> [--quick]`.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "parse":
    ParseBenchmark.run(arguments: Array(arguments.dropFirst()))
default:
    print("usage: eccoe-bench parse [--quick]")
}
