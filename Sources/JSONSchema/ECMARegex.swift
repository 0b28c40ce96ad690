import Foundation

/// A compiled `pattern` / `patternProperties` regular expression with ECMA-262 (unicode mode) meaning,
/// run on ICU through `NSRegularExpression`.
///
/// ECMA-262 syntax is translated to ICU so that the classes mean what JSON Schema authors expect:
/// `\d` `\w` `\s` `\b` are the ECMA ASCII/whitespace sets (ICU's are Unicode-wide), `.` excludes only
/// ECMA line terminators, `$` matches only at the end of input (ICU also matches before a final line
/// break), `[^]` matches anything, `\u{…}`, `\uXXXX` surrogate pairs and `\cX` are converted, literal
/// `[` `{` `}` and `&&` are escaped where ICU would read them as syntax, and identity escapes of
/// letters (`\a`, `\Z`) are rejected as ECMA's unicode mode does.
///
/// Known gaps: ICU has no `v`-mode set operations; Unicode property names follow ICU (a superset of
/// ECMA's, so a few names ECMA rejects compile); case-insensitive matching is not used (JSON Schema has
/// no flags); lookbehind must be bounded in ICU (ECMA allows any); backreferences to groups defined later
/// and inside lookarounds follow ICU rules.
final class ECMARegex: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as safe to use from many threads.
    private let regex: NSRegularExpression
    let source: String
    /// A pattern that is a plain literal with optional anchors, matched without ICU.
    private let literal: (text: String, anchoredStart: Bool, anchoredEnd: Bool)?
    /// The pattern compiled for the built-in matcher, when it uses only what that supports.
    private let simple: SimpleRegex?

    struct SyntaxError: Error, Sendable {
        var message: String
    }

    init(_ pattern: String) throws(SyntaxError) {
        source = pattern
        let translated = try ECMARegex.translate(pattern)
        do {
            regex = try NSRegularExpression(pattern: translated, options: [])
        } catch {
            throw SyntaxError(message: "`\(pattern)` is not a valid regular expression")
        }
        literal = ECMARegex.plainLiteral(pattern)
        simple = SimpleRegex(pattern)
    }

    /// Whether the pattern matches anywhere in a UTF-8 text.
    func matches(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        if let simple, let result = simple.matches(utf8) { return result }
        return icuMatches(String(decoding: utf8, as: UTF8.self))
    }

    /// Whether the pattern matches anywhere in `text` (ECMA `RegExp.prototype.test`).
    func matches(_ text: String) -> Bool {
        if let simple {
            var copy = text
            if let result = copy.withUTF8({ simple.matches($0) }) { return result }
        }
        return icuMatches(text)
    }

    private func icuMatches(_ text: String) -> Bool {
        if let literal {
            switch (literal.anchoredStart, literal.anchoredEnd) {
            case (true, true): return text == literal.text
            case (true, false): return text.hasPrefix(literal.text)
            case (false, true): return text.hasSuffix(literal.text)
            case (false, false): return literal.text.isEmpty || text.contains(literal.text)
            }
        }
        let ns = text as NSString
        return regex.rangeOfFirstMatch(in: text, options: [], range: NSRange(location: 0, length: ns.length)).location
            != NSNotFound
    }

    static func plainLiteral(_ pattern: String) -> (text: String, anchoredStart: Bool, anchoredEnd: Bool)? {
        var body = Substring(pattern)
        let start = body.hasPrefix("^")
        if start { body = body.dropFirst() }
        let end = body.hasSuffix("$") && !body.hasSuffix("\\$")
        if end { body = body.dropLast() }
        let special: Set<Character> = ["\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "^", "$"]
        if body.contains(where: { special.contains($0) }) { return nil }
        return (String(body), start, end)
    }

    private static let wordSet = "a-zA-Z0-9_"
    private static let spaceSet =
        "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"

    /// Translates ECMA-262 (unicode mode) pattern syntax to ICU syntax; throws on ECMA syntax errors
    /// the ICU compiler would accept.
    static func translate(_ pattern: String) throws(SyntaxError) -> String {
        let s = Array(pattern.unicodeScalars)
        var out = ""
        var i = 0
        var inClass = false
        var classStart = false
        var groupDepth = 0
        func fail(_ why: String) -> SyntaxError { SyntaxError(message: "`\(pattern)` is not a valid regular expression: \(why)") }
        func hex(_ from: Int, _ count: Int) -> UInt32? {
            guard from + count <= s.count else { return nil }
            var v: UInt32 = 0
            for k in from..<(from + count) {
                guard s[k].isASCII, let d = UInt32(String(s[k]), radix: 16) else { return nil }
                v = v * 16 + d
            }
            return v
        }
        func scalarEscape(_ v: UInt32) -> String { "\\x{" + String(v, radix: 16) + "}" }
        func isQuantifier(at k: Int) -> Bool {
            // `{n}`, `{n,}`, `{n,m}`
            var j = k + 1
            var digits = 0
            while j < s.count, s[j].properties.numericType == .decimal, s[j].isASCII { j += 1; digits += 1 }
            guard digits > 0, j < s.count else { return false }
            if s[j] == "}" { return true }
            guard s[j] == "," else { return false }
            j += 1
            while j < s.count, s[j].properties.numericType == .decimal, s[j].isASCII { j += 1 }
            return j < s.count && s[j] == "}"
        }
        var lastWasAtom = false
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                guard i + 1 < s.count else { throw fail("trailing backslash") }
                let e = s[i + 1]
                i += 2
                switch e {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += inClass ? "[^0-9]" : "[^0-9]"
                case "w": out += inClass ? wordSet : "[\(wordSet)]"
                case "W": out += "[^\(wordSet)]"
                case "s": out += inClass ? spaceSet : "[\(spaceSet)]"
                case "S": out += "[^\(spaceSet)]"
                case "b":
                    if inClass {
                        out += "\\x{8}"
                    } else {
                        out += "(?:(?<=[\(wordSet)])(?![\(wordSet)])|(?<![\(wordSet)])(?=[\(wordSet)]))"
                    }
                case "B":
                    if inClass { throw fail("\\B in a class") }
                    out += "(?:(?<=[\(wordSet)])(?=[\(wordSet)])|(?<![\(wordSet)])(?![\(wordSet)]))"
                case "u":
                    if i < s.count && s[i] == "{" {
                        guard let close = s[i...].firstIndex(of: "}"),
                            let v = UInt32(String(String.UnicodeScalarView(s[(i + 1)..<close])), radix: 16), v <= 0x10FFFF
                        else { throw fail("bad \\u{…} escape") }
                        out += scalarEscape(v)
                        i = close + 1
                    } else if let v = hex(i, 4) {
                        i += 4
                        if v >= 0xD800 && v <= 0xDBFF, i + 6 <= s.count, s[i] == "\\", s[i + 1] == "u",
                            let low = hex(i + 2, 4), low >= 0xDC00 && low <= 0xDFFF
                        {
                            i += 6
                            out += scalarEscape(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00))
                        } else {
                            out += scalarEscape(v)
                        }
                    } else {
                        throw fail("bad \\u escape")
                    }
                case "x":
                    guard let v = hex(i, 2) else { throw fail("bad \\x escape") }
                    out += scalarEscape(v)
                    i += 2
                case "c":
                    guard i < s.count, s[i].isASCII, s[i].properties.isAlphabetic else { throw fail("bad \\c escape") }
                    out += scalarEscape(s[i].value % 32)
                    i += 1
                case "0":
                    if i < s.count, s[i].isASCII, s[i].properties.numericType == .decimal { throw fail("octal escape") }
                    out += "\\x{0}"
                case "1", "2", "3", "4", "5", "6", "7", "8", "9":
                    if inClass { throw fail("backreference in a class") }
                    out += "\\" + String(e)
                    while i < s.count, s[i].isASCII, s[i].properties.numericType == .decimal {
                        out.unicodeScalars.append(s[i])
                        i += 1
                    }
                case "k":
                    out += "\\k"
                case "p", "P":
                    guard i < s.count, s[i] == "{", let close = s[i...].firstIndex(of: "}") else {
                        throw fail("\\p needs {Name}")
                    }
                    out += "\\" + String(e) + String(String.UnicodeScalarView(s[i...close]))
                    i = close + 1
                case "t": out += "\\t"
                case "n": out += "\\n"
                case "v": out += "\\x{0B}"
                case "f": out += "\\f"
                case "r": out += "\\r"
                case "-":
                    guard inClass else { throw fail("\\- outside a class") }
                    out += "\\-"
                case "^", "$", "\\", ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "/":
                    out += "\\" + String(e)
                default:
                    throw fail("unknown escape \\\(e)")
                }
                lastWasAtom = true
                classStart = false
                continue
            }
            i += 1
            if inClass {
                switch c {
                case "]":
                    if classStart {
                        // `[]` matches nothing; `[^]` anything.
                        if out.hasSuffix("[^") {
                            out.removeLast(2)
                            out += "[\\s\\S]"
                        } else {
                            out.removeLast()
                            out += "(?!)"
                        }
                    } else {
                        out += "]"
                    }
                    inClass = false
                case "[": out += "\\["
                case "&": out += "\\&"
                case "-":
                    out += (i < s.count && s[i] == "]") || classStart ? "\\-" : "-"
                case "^":
                    if classStart && out.hasSuffix("[") {
                        out += "^"
                        continue  // still at the start for `[^]`
                    }
                    out += "\\^"
                case "$", "{", "}", "(", ")", "|", "*", "+", "?", ".", "#", " ", "~", "=", "!", "<", ">", ",", ":":
                    out += "\\" + String(c)
                default: out.unicodeScalars.append(c)
                }
                classStart = false
                continue
            }
            switch c {
            case "[":
                inClass = true
                classStart = true
                out += "["
                lastWasAtom = true
                continue
            case ".":
                out += "[^\\n\\r\\x{2028}\\x{2029}]"
            case "$":
                out += "(?![\\s\\S])"
            case "^":
                out += "(?<![\\s\\S])"
            case "(":
                groupDepth += 1
                out += "("
                if i < s.count, s[i] == "?" {
                    // Group prefixes: (?: (?= (?! (?<= (?<! (?<name>
                    guard i + 1 < s.count else { throw fail("bad group") }
                    switch s[i + 1] {
                    case ":", "=", "!":
                        out += "?" + String(s[i + 1])
                        i += 2
                    case "<":
                        if i + 2 < s.count, s[i + 2] == "=" || s[i + 2] == "!" {
                            out += "?<" + String(s[i + 2])
                            i += 3
                        } else {
                            guard let close = s[i...].firstIndex(of: ">"), close > i + 2 else { throw fail("bad group name") }
                            out += String(String.UnicodeScalarView(s[i...close]))
                            i = close + 1
                        }
                    default:
                        throw fail("bad group")
                    }
                }
                lastWasAtom = false
                continue
            case ")":
                groupDepth -= 1
                if groupDepth < 0 { throw fail("unbalanced )") }
                out += ")"
            case "{":
                if isQuantifier(at: i - 1) {
                    if !lastWasAtom { throw fail("nothing to repeat") }
                    out += "{"
                    while i < s.count, s[i] != "}" {
                        out.unicodeScalars.append(s[i])
                        i += 1
                    }
                    out += "}"
                    i += 1
                    if i < s.count, s[i] == "?" {
                        out += "?"
                        i += 1
                    }
                    lastWasAtom = false
                    continue
                }
                throw fail("lone {")
            case "}":
                throw fail("lone }")
            case "]":
                throw fail("lone ]")
            case "*", "+", "?":
                if !lastWasAtom { throw fail("nothing to repeat") }
                out.unicodeScalars.append(c)
                if i < s.count, s[i] == "?" {
                    out += "?"
                    i += 1
                }
                lastWasAtom = false
                continue
            case "#", " ":
                out += "\\" + String(c)
            case "|":
                out += "|"
                lastWasAtom = false
                continue
            default:
                if c.value > 0xFFFF || c.properties.generalCategory == .control {
                    out += scalarEscape(c.value)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
            lastWasAtom = true
        }
        if inClass { throw fail("unterminated class") }
        if groupDepth != 0 { throw fail("unbalanced (") }
        return out
    }
}
