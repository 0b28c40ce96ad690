import JSONSyntax

/// The wording of validation messages, in one place: written for people editing credentials, not for
/// schema authors.
enum Messages {
    static func typeName(_ name: String) -> String {
        switch name {
        case "object": "an object"
        case "array": "an array"
        case "string": "a string"
        case "number": "a number"
        case "integer": "an integer"
        case "boolean": "true or false"
        case "null": "null"
        default: name
        }
    }

    /// "a string", "an object or an array of them"-style lists.
    static func typeList(_ mask: TypeMask) -> String {
        var names = mask.names
        if names.contains("number") { names.removeAll { $0 == "integer" } }
        let words = names.map(typeName)
        switch words.count {
        case 0: return "nothing"
        case 1: return words[0]
        default: return words.dropLast().joined(separator: ", ") + " or " + words.last!
        }
    }

    static func describe(_ node: SyntaxNode) -> String {
        switch node.kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "the text \(quoted(node))"
        case .number: "the number \(node.sourceText)"
        case .true, .false: node.sourceText
        case .null: "null"
        default: "an invalid value"
        }
    }

    static func quoted(_ node: SyntaxNode) -> String { "`" + JSONText.preview(node) + "`" }

    static func plural(_ n: Int, _ word: String) -> String {
        if n == 1 { return word }
        if word.hasSuffix("y") { return String(word.dropLast()) + "ies" }
        return word + "s"
    }

    /// "`x` is not one of the 8 allowed values for EQF level" (short lists are spelled out).
    static func notAllowed(_ node: SyntaxNode, _ set: ValueSet, title: String?) -> String {
        var message = "\(quoted(node)) is not "
        if set.count == 1 {
            message += "the allowed value \(set.texts[0])"
        } else if set.count <= 4 {
            message += "one of " + set.texts.joined(separator: ", ")
        } else {
            message += "one of the \(set.count) allowed values"
        }
        if let title, !title.isEmpty { message += " for \(title)" }
        if node.kind == .string, let value = node.stringValue,
            let near = closest(value, in: set.candidates, scalars: set.candidateScalars)
        {
            message += "; did you mean `\(near)`?"
        }
        return message
    }

    /// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
    static func closest(_ word: String, in candidates: [String]) -> String? {
        closest(word, in: candidates, scalars: candidates.map { Array($0.unicodeScalars) })
    }

    /// `closest(_:in:)` with each candidate's scalars computed beforehand (`scalars[k]` of `candidates[k]`).
    static func closest(_ word: String, in candidates: [String], scalars: [[Unicode.Scalar]]) -> String? {
        let w = Array(word.unicodeScalars)
        guard !w.isEmpty, w.count <= 200, candidates.count <= 2_000 else { return nil }
        var best: (String, Int)?
        let limit = max(1, min(3, w.count / 3))
        // Two rows of the distance table, reused for every candidate.
        var previous: [Int] = [], current: [Int] = []
        for (c, scalars) in zip(candidates, scalars) {
            if abs(scalars.count - w.count) > limit { continue }
            // Vocabulary values share long prefixes (IRIs): compare only what differs.
            var cs = scalars[...]
            var ws = w[...]
            while let a = cs.first, let b = ws.first, a == b { cs = cs.dropFirst(); ws = ws.dropFirst() }
            while let a = cs.last, let b = ws.last, a == b { cs = cs.dropLast(); ws = ws.dropLast() }
            let d = distance(ws, cs, limit: limit, &previous, &current)
            if d <= limit && d > 0 && (best == nil || d < best!.1) {
                best = (c, d)
                // Only a strictly closer candidate replaces the first best, and nothing but an equal
                // one (distance 0, never suggested) is closer than 1.
                if d == 1 { break }
            }
        }
        return best?.0
    }

    /// Levenshtein distance, computed only in a band of `limit` around the diagonal (anything farther
    /// is over the limit anyway): O(length × limit).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        var previous: [Int] = [], current: [Int] = []
        return distance(a[...], b[...], limit: limit, &previous, &current)
    }

    /// `distance(_:_:limit:)` on slices, with the caller's row storage.
    static func distance(
        _ a: ArraySlice<Unicode.Scalar>, _ b: ArraySlice<Unicode.Scalar>, limit: Int,
        _ previous: inout [Int], _ current: inout [Int]
    ) -> Int {
        let n = a.count, m = b.count
        if abs(n - m) > limit { return limit + 1 }
        let big = limit + 1
        if previous.count < m + 1 {
            previous = [Int](repeating: big, count: m + 1)
            current = [Int](repeating: big, count: m + 1)
        }
        for j in 0...m { previous[j] = big }
        for j in 0...min(m, limit) { previous[j] = j }
        if n == 0 { return m }
        let a0 = a.startIndex, b0 = b.startIndex
        for i in 1...n {
            let lo = max(1, i - limit), hi = min(m, i + limit)
            for j in 0...m { current[j] = big }
            if i <= limit { current[0] = i }
            var rowMin = current[0]
            if lo <= hi {
                for j in lo...hi {
                    let cost = a[a0 + i - 1] == b[b0 + j - 1] ? 0 : 1
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost, big)
                    rowMin = min(rowMin, current[j])
                }
            }
            if rowMin > limit { return big }
            swap(&previous, &current)
        }
        return min(previous[m], big)
    }
}
