public import JSONSyntax

/// A value a draft agreement leaves for the parties to fill in, written `[[what to fill in]]` wherever the
/// agreement schema takes a value (its `Placeholder` definition). The checker reports each one (AG-21), the
/// drafting tool writes them, and a printed agreement shows them as blanks with their hint.
public enum AgreementPlaceholder {
    /// The placeholder asking for `hint`, e.g. `[[contact e-mail of the recognition office]]`. Square brackets
    /// in the hint are dropped so that the result is always one placeholder.
    public static func text(_ hint: String) -> String {
        "[[" + hint.filter { $0 != "[" && $0 != "]" } + "]]"
    }

    /// Whether a string value is a placeholder: it starts with `[[` and ends with `]]`.
    public static func isPlaceholder(_ value: String) -> Bool {
        value.utf8.count >= 4 && value.hasPrefix("[[") && value.hasSuffix("]]")
    }

    /// What a placeholder asks for (the text between the brackets, trimmed); nil for other strings.
    public static func hint(of value: String) -> String? {
        guard isPlaceholder(value) else { return nil }
        return String(value.dropFirst(2).dropLast(2)).trimmingWhitespace
    }
}

extension AgreementPlaceholder {
    /// How many string values of a JSON text are placeholders.
    public static func count(in text: String) -> Int { nodes(in: SyntaxTree(parsing: text)).count }
}

extension AgreementPlaceholder {
    /// The string values of `tree` (keys excluded) that are placeholders, in document order. The bytes are
    /// tested first: only strings whose source starts with `"[[` are decoded.
    public static func nodes(in tree: SyntaxTree) -> [SyntaxNode] {
        var out: [SyntaxNode] = []
        let bytes = tree.bytes
        for i in 0..<tree.nodeCount {
            let node = tree.node(atIndex: i)
            guard node.kind == .string, !node.flags.contains(.key) else { continue }
            let r = node.range
            guard r.count >= 6, bytes[r.lowerBound + 1] == 0x5B || node.flags.contains(.hasEscapes) else { continue }
            if let s = node.stringValue, isPlaceholder(s) { out.append(node) }
        }
        return out
    }
}
