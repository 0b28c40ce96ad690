import Foundation
import JSONSyntax

/// Where the cursor is, for completion, and exactly which bytes an item replaces.
///
/// Clients filter the items a server returns by the text from the start of each item's edit range to the
/// cursor (the "word"), matched against the item's `filterText`. So the range must start where the author's
/// word starts: after the opening quote inside a string (the item then inserts only the inside of the
/// string), at the first byte of a bare word typed without quotes, or at the cursor. `typed` is that word.
struct CompletionSite {
    enum Place {
        /// Naming a member of `object`; `current` is the key being typed, if any (not "already present").
        case key(object: SyntaxNode, current: SyntaxNode?)
        /// Writing the value at `pointer`.
        case value(pointer: JSONPointer)
    }

    /// How the inserted text must be shaped to leave valid JSON.
    enum Shape: Equatable {
        /// Inside a string whose quotes stay: insert the escaped inside of the string only.
        case insideString
        /// Inside a string without its closing quote: insert the inside and the closing quote.
        case insideUnterminatedString
        /// Inside a key string that no colon follows: the range also covers the closing quote (if any), and
        /// the item inserts the rest of the key, its closing quote and `: `.
        case keyNeedingColon
        /// Not in a string: insert a whole JSON value or a whole quoted key.
        case bare
    }

    var place: Place
    var shape: Shape
    /// The bytes an item replaces.
    var replace: Range<Int>
    /// The author's word as written (escapes and all): the bytes from `replace.lowerBound` to the cursor.
    var typed: String
    /// `typed` with JSON escapes resolved, for matching.
    var query: String

    static func find(in tree: SyntaxTree, at offset: Int) -> CompletionSite? {
        let bytes = tree.bytes
        let offset = max(0, min(offset, bytes.count))
        let path = tree.nodePath(atOffset: offset)
        // Inside a string token: a key or a value.
        if let string = path.last, string.kind == .string, offset > string.range.lowerBound,
            offset < string.range.upperBound || string.flags.contains(.unterminated)
        {
            let contentStart = string.range.lowerBound + 1
            let terminated = !string.flags.contains(.unterminated)
            let contentEnd = terminated ? string.range.upperBound - 1 : string.range.upperBound
            let cursor = min(offset, contentEnd)
            let typed = String(decoding: bytes[contentStart..<cursor], as: UTF8.self)
            let query = decoded(bytes[contentStart..<cursor])
            if string.flags.contains(.key), let object = path.dropLast().last, object.kind == .object {
                var j = string.range.upperBound
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                let colonFollows = terminated && j < bytes.count && bytes[j] == 0x3A
                if colonFollows {
                    return CompletionSite(
                        place: .key(object: object, current: string), shape: .insideString,
                        replace: contentStart..<contentEnd, typed: typed, query: query)
                }
                // The rest of an unterminated key is unknown text up to the line's end: replace up to the cursor.
                return CompletionSite(
                    place: .key(object: object, current: string), shape: .keyNeedingColon,
                    replace: contentStart..<(terminated ? string.range.upperBound : cursor),
                    typed: typed, query: query)
            }
            // A value: the member's or element's pointer.
            if terminated {
                return CompletionSite(
                    place: .value(pointer: string.pointer), shape: .insideString,
                    replace: contentStart..<contentEnd, typed: typed, query: query)
            }
            return CompletionSite(
                place: .value(pointer: string.pointer), shape: .insideUnterminatedString,
                replace: contentStart..<cursor, typed: typed, query: query)
        }
        // A bare word typed without quotes (`{ soft` or `"id": soft`): it is the author's word.
        var wordStart = offset
        while wordStart > 0, isBareWordByte(bytes[wordStart - 1]) { wordStart -= 1 }
        if wordStart > 0 && bytes[wordStart - 1] == 0x22 { wordStart = offset }  // after a closing quote: no word
        let typed = String(decoding: bytes[wordStart..<offset], as: UTF8.self)
        // Between tokens: the last significant byte before the word decides.
        let container =
            tree.nodePath(atOffset: wordStart).last { $0.kind == .object || $0.kind == .array }
            ?? path.last { $0.kind == .object || $0.kind == .array }
        guard let container else { return nil }
        var i = wordStart - 1
        while i >= 0, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i -= 1 }
        let previous: UInt8 = i >= 0 ? bytes[i] : 0
        let replace = wordStart..<offset
        if container.kind == .object && (previous == 0x7B || previous == 0x2C) && i >= container.range.lowerBound {
            return CompletionSite(
                place: .key(object: container, current: nil), shape: .bare, replace: replace,
                typed: typed, query: typed)
        }
        if container.kind == .object && previous == 0x3A {
            // The member whose colon this is: its key ends before the colon.
            guard let member = Array(container.members).last(where: { $0.key.range.upperBound <= i }) else { return nil }
            return CompletionSite(
                place: .value(pointer: container.pointer.appending(member.name)), shape: .bare,
                replace: replace, typed: typed, query: typed)
        }
        if container.kind == .array && (previous == 0x5B || previous == 0x2C) {
            let index = container.elements.filter { $0.range.upperBound <= wordStart && !$0.isMissing }.count
            return CompletionSite(
                place: .value(pointer: container.pointer.appending(index)), shape: .bare,
                replace: replace, typed: typed, query: typed)
        }
        return nil
    }

    /// Bytes a word typed without quotes is made of: letters, digits, `_ - . @ + $` and any non-ASCII byte.
    static func isBareWordByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2D, 0x2E, 0x40, 0x2B, 0x24: true
        default: b >= 0x80
        }
    }

    /// The value of the inside of a string as far as it was typed (a cut-off escape at the end is dropped).
    static func decoded(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.contains(0x5C) else { return String(decoding: raw, as: UTF8.self) }
        var quoted: [UInt8] = [0x22]
        quoted += raw
        quoted.append(0x22)
        let tree = SyntaxTree(parsing: quoted)
        if tree.root.kind == .string, !tree.root.flags.contains(.unterminated), let value = tree.root.stringValue { return value }
        // The escape was cut off by the cursor (`so\u00`): match on what comes before it.
        if let backslash = raw.lastIndex(of: 0x5C) { return decoded(raw[raw.startIndex..<backslash]) }
        return String(decoding: raw, as: UTF8.self)
    }
}

/// How well one candidate matches what the author typed, and the filter text that keeps it in every client.
///
/// The server filters (clients differ: VS Code matches a fuzzy subsequence, Neovim and eglot a prefix, some
/// case-sensitively) and answers `isIncomplete`, so clients ask again as the author types. Each kept item's
/// `filterText` starts with the author's word exactly as typed, then continues the text it matched and names
/// the candidate in full: every client's rule keeps it, and a client that filters the list it has while the
/// author types on still finds it.
struct CompletionMatch: Comparable {
    /// 0 best: the whole code or IRI; 1 a code's start; 2 the label's start; 3 a word of the label or name;
    /// 4 the IRI's start or its last segment's; 5 anywhere inside the label; 6 a scattered subsequence of the
    /// label. (Not anywhere inside the IRI: every IRI of a vocabulary holds "data" or "europa".)
    var tier: Int
    var filterText: String
    /// Within a tier, lower is better: for scattered matches, how far apart the letters lie.
    var spread = 0

    static func < (a: CompletionMatch, b: CompletionMatch) -> Bool { (a.tier, a.spread) < (b.tier, b.spread) }

    /// The tier of a scattered subsequence match, the weakest.
    static let scatteredTier = 6

    /// Matches `query` (escapes resolved) against a candidate's codes, label and IRI, case-insensitively.
    /// `typed` is the word as written. Nil: the candidate does not match.
    /// `display` is the label the client shows (the filter text ends with it and the IRI).
    static func match(
        typed: String, query: String, codes: [String], label: String, iri: String?,
        display: String? = nil
    ) -> CompletionMatch? {
        let whole = [display ?? label, iri].compactMap { $0 }.joined(separator: " ")
        guard !query.isEmpty else { return CompletionMatch(tier: 0, filterText: whole) }
        func make(_ tier: Int, _ source: String, from start: String.Index) -> CompletionMatch {
            // The rest of the matched text after what was typed, then the whole candidate.
            var rest = ""
            if let r = source.range(of: query, options: [.caseInsensitive, .anchored], range: start..<source.endIndex) {
                rest = String(source[r.upperBound...])
            }
            return CompletionMatch(tier: tier, filterText: typed + rest + " " + whole)
        }
        func hasPrefix(_ text: some StringProtocol) -> Bool {
            text.range(of: query, options: [.caseInsensitive, .anchored]) != nil
        }
        if codes.contains(where: { $0.caseInsensitiveCompare(query) == .orderedSame })
            || iri.map({ $0.caseInsensitiveCompare(query) == .orderedSame }) == true
        {
            return CompletionMatch(tier: 0, filterText: typed + " " + whole)
        }
        if let code = codes.first(where: { hasPrefix($0) }) {
            let source = code + " " + label
            return make(1, source, from: source.startIndex)
        }
        if hasPrefix(label) { return make(2, label, from: label.startIndex) }
        if let start = wordStart(of: query, in: label) { return make(3, label, from: start) }
        if let iri {
            if hasPrefix(iri) { return make(4, iri, from: iri.startIndex) }
            if let separator = iri.lastIndex(where: { $0 == "/" || $0 == "#" }), hasPrefix(iri[iri.index(after: separator)...]) {
                return make(4, iri, from: iri.index(after: separator))
            }
        }
        if let r = label.range(of: query, options: .caseInsensitive) { return make(5, label, from: r.lowerBound) }
        if query.count >= 2, let spread = scatteredSpread(query.lowercased(), in: label) {
            return CompletionMatch(tier: scatteredTier, filterText: typed + " " + whole, spread: spread)
        }
        return nil
    }

    /// Where `query` (one or more words) starts a word of `text`, ignoring case: each word of the query
    /// must start a word of the text, the first one giving the position. Words split at spaces and
    /// punctuation and, in names, at a capital after a lowercase letter (`learningOutcome`: "outc").
    static func wordStart(of query: String, in text: String) -> String.Index? {
        let starts = wordStarts(text)
        let queryWords = query.split(whereSeparator: { $0 == " " })
        func begins(_ word: Substring, at start: String.Index) -> Bool {
            text.range(of: word, options: [.caseInsensitive, .anchored], range: start..<text.endIndex) != nil
        }
        guard let first = queryWords.first, let position = starts.first(where: { begins(first, at: $0) }) else { return nil }
        for word in queryWords.dropFirst() where !starts.contains(where: { begins(word, at: $0) }) { return nil }
        return position
    }

    /// The start of each word of `text`.
    static func wordStarts(_ text: String) -> [String.Index] {
        var starts: [String.Index] = []
        var previous: Character?
        for i in text.indices {
            let c = text[i]
            let isWordCharacter = c.isLetter || c.isNumber
            if isWordCharacter {
                if let p = previous {
                    if !(p.isLetter || p.isNumber) || (c.isUppercase && p.isLowercase) { starts.append(i) }
                } else {
                    starts.append(i)
                }
            }
            previous = c
        }
        return starts
    }

    /// The letters of `pattern` in order in `text`, the first at the start of a word (as VS Code's fuzzy
    /// match wants): the shortest stretch of text they span, or nil.
    static func scatteredSpread(_ pattern: String, in text: String) -> Int? {
        let letters = Array(text.lowercased())
        let p = Array(pattern)
        guard letters.count == text.count, let first = p.first else { return nil }
        let starts = Set(wordStarts(text).map { text.distance(from: text.startIndex, to: $0) })
        var best: Int?
        for start in starts.sorted() where letters[start] == first {
            var k = 1
            var i = start + 1
            while k < p.count && i < letters.count {
                if letters[i] == p[k] { k += 1 }
                i += 1
            }
            if k == p.count { best = min(best ?? .max, i - start) }
        }
        return best
    }
}
