import CredentialCorpus
import Foundation

@testable import JSONSyntax

enum Fixtures {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The peer suites, copied under `Tests/Resources` (provenance in its README).
    static let resources: URL = packageRoot.appendingPathComponent("Tests/Resources")
}

/// Generates random JSON(C) documents: nested objects and arrays, strings with escapes and
/// multi-byte characters, numbers of every shape, comments and odd whitespace.
struct DocumentGenerator {
    var rng: SeededGenerator
    var jsonc: Bool

    mutating func document(maxDepth: Int = 6) -> String {
        var out = ""
        whitespace(&out)
        value(&out, depth: maxDepth)
        whitespace(&out)
        return out
    }

    mutating func whitespace(_ out: inout String) {
        let choices = ["", " ", "\n", "\r\n", "\t", "  ", "\r", "\n    "]
        out += choices[Int.random(in: 0..<choices.count, using: &rng)]
        if jsonc && Int.random(in: 0..<12, using: &rng) == 0 {
            out += Bool.random(using: &rng) ? "// note é\n" : "/* block 😀 */"
        }
    }

    mutating func string(_ out: inout String) {
        let pieces = ["a", "credit", "é", "😀", "\\n", "\\\"", "\\\\", "\\u00e9", "\\ud83d\\ude00", " ", "Ι", "\\/", "\\t", "日本"]
        out += "\""
        for _ in 0..<Int.random(in: 0..<6, using: &rng) { out += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
        out += "\""
    }

    mutating func value(_ out: inout String, depth: Int) {
        let pick = Int.random(in: 0..<(depth > 0 ? 9 : 6), using: &rng)
        switch pick {
        case 0: string(&out)
        case 1:
            out +=
                ["0", "-1", "42", "3.25", "1e10", "-2.5E-3", "12345678901234567890", "0.0"][Int.random(in: 0..<8, using: &rng)]
        case 2: out += "true"
        case 3: out += "false"
        case 4: out += "null"
        case 5: string(&out)
        case 6, 7:
            out += "{"
            let n = Int.random(in: 0..<5, using: &rng)
            for i in 0..<n {
                whitespace(&out)
                string(&out)
                whitespace(&out)
                out += ":"
                whitespace(&out)
                value(&out, depth: depth - 1)
                whitespace(&out)
                if i < n - 1 || (jsonc && Bool.random(using: &rng)) { out += "," }
            }
            whitespace(&out)
            out += "}"
        default:
            out += "["
            let n = Int.random(in: 0..<5, using: &rng)
            for i in 0..<n {
                whitespace(&out)
                value(&out, depth: depth - 1)
                whitespace(&out)
                if i < n - 1 { out += "," }
            }
            out += "]"
        }
    }
}

/// Checks the losslessness invariant: the token stream tiles the input with no unaccounted bytes.
func losslessnessProblem(_ tree: SyntaxTree) -> String? {
    let tokens = tree.tokens
    var cursor = 0
    for token in tokens {
        if token.range.lowerBound != cursor {
            return "gap or overlap at byte \(cursor): next token starts at \(token.range.lowerBound)"
        }
        if token.kind == .unaccounted { return "unaccounted bytes at \(token.range)" }
        if token.range.isEmpty { return "empty token at \(cursor)" }
        cursor = token.range.upperBound
    }
    // Whitespace runs are whole: one token from one non-blank byte to the next.
    for (a, b) in zip(tokens, tokens.dropFirst()) where a.kind == .whitespace && b.kind == .whitespace {
        return "whitespace split at \(b.range.lowerBound)"
    }
    if cursor != tree.bytes.count { return "tokens end at \(cursor), input has \(tree.bytes.count) bytes" }
    if tree.printed() != tree.bytes { return "printed tree differs from input" }
    if tree.lineTable != LineTable(tree.bytes) { return "the parser's line table differs from a fresh scan" }
    return nil
}

/// Checks structural invariants of the node array: ranges nest, children lie inside their parents,
/// objects hold key/value pairs.
func structureProblem(_ tree: SyntaxTree) -> String? {
    for i in 0..<tree.nodeCount {
        let node = tree.node(atIndex: i)
        if node.range.lowerBound > node.range.upperBound { return "node \(i) has a reversed range" }
        if node.range.upperBound > tree.bytes.count { return "node \(i) ends past the input" }
        var previousEnd = node.kind.isContainer && node.kind != .document ? node.range.lowerBound + 1 : node.range.lowerBound
        var keys = 0
        var values = 0
        var expectKey = true
        for child in node.children {
            if child.range.lowerBound < previousEnd { return "child \(child.index) of \(i) starts before its predecessor ends" }
            if child.range.upperBound > node.range.upperBound { return "child \(child.index) of \(i) ends after its parent" }
            previousEnd = child.range.upperBound
            if node.kind == .object && !child.isStray {
                if expectKey { keys += 1 } else { values += 1 }
                if expectKey != child.flags.contains(.key) { return "object \(i): key flag out of step at child \(child.index)" }
                expectKey.toggle()
            }
        }
        if keys != values { return "object \(i) has \(keys) keys and \(values) values" }
    }
    return nil
}
