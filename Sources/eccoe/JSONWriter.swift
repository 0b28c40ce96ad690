import JSONSyntax

/// The CLI's JSON output: values built with the syntax layer's `JSONValue`, which keeps members in the
/// order written, so output is deterministic.
enum JSONWriter {
    typealias Value = JSONValue

    static func render(_ value: JSONValue) -> String { value.text }
}
