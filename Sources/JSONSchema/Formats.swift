import Foundation

/// The `format` values this validator can assert, and their checks. Unknown formats always pass (the
/// specification requires that), and formats assert only when asked (`ValidationOptions.formatAssertion`
/// or the format-assertion vocabulary).
enum FormatKind: String, Sendable, CaseIterable {
    case date, time, dateTime = "date-time", duration
    case email, idnEmail = "idn-email", hostname, idnHostname = "idn-hostname"
    case ipv4, ipv6, uri, uriReference = "uri-reference", iri, iriReference = "iri-reference"
    case uuid, uriTemplate = "uri-template", jsonPointer = "json-pointer"
    case relativeJSONPointer = "relative-json-pointer", regex

    /// What a valid value looks like, for messages.
    var example: String {
        switch self {
        case .date: "a date like 2024-09-30"
        case .time: "a time like 14:30:00Z"
        case .dateTime: "a date and time like 2024-09-30T14:30:00Z"
        case .duration: "a duration like P3M or PT1H30M"
        case .email, .idnEmail: "an email address"
        case .hostname, .idnHostname: "a host name"
        case .ipv4: "an IPv4 address"
        case .ipv6: "an IPv6 address"
        case .uri: "an absolute URI like https://example.org/x"
        case .uriReference: "a URI reference"
        case .iri: "an absolute IRI"
        case .iriReference: "an IRI reference"
        case .uuid: "a UUID"
        case .uriTemplate: "a URI template"
        case .jsonPointer: "a JSON Pointer"
        case .relativeJSONPointer: "a relative JSON Pointer"
        case .regex: "a regular expression"
        }
    }

    func check(_ s: String) -> Bool {
        switch self {
        case .date: Formats.isDate(Array(s.utf8))
        case .time: Formats.isTime(Array(s.utf8))
        case .dateTime: Formats.isDateTime(Array(s.utf8))
        case .duration: Formats.isDuration(Array(s.utf8))
        case .email: Formats.isEmail(s, international: false)
        case .idnEmail: Formats.isEmail(s, international: true)
        case .hostname: Formats.isHostname(s, international: false)
        case .idnHostname: Formats.isHostname(s, international: true)
        case .ipv4: Formats.isIPv4(Substring(s))
        case .ipv6: Formats.isIPv6(s)
        case .uri: Formats.isURI(s, reference: false, international: false)
        case .uriReference: Formats.isURI(s, reference: true, international: false)
        case .iri: Formats.isURI(s, reference: false, international: true)
        case .iriReference: Formats.isURI(s, reference: true, international: true)
        case .uuid: Formats.isUUID(Array(s.utf8))
        case .uriTemplate: Formats.isURITemplate(s)
        case .jsonPointer: Formats.isJSONPointer(s)
        case .relativeJSONPointer: Formats.isRelativeJSONPointer(s)
        case .regex: (try? ECMARegex.translate(s)) != nil
        }
    }
}

enum Formats {
    private static func digits(_ b: [UInt8], _ from: Int, _ count: Int) -> Int? {
        guard from + count <= b.count else { return nil }
        var v = 0
        for k in from..<(from + count) {
            let d = b[k]
            guard d >= 0x30 && d <= 0x39 else { return nil }
            v = v * 10 + Int(d - 0x30)
        }
        return v
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// RFC 3339 full-date.
    static func isDate(_ b: [UInt8]) -> Bool {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D, let y = digits(b, 0, 4), let m = digits(b, 5, 2),
            let d = digits(b, 8, 2)
        else { return false }
        return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(month: m, year: y)
    }

    /// RFC 3339 full-time (offset required); a leap second only at 23:59:60 UTC.
    static func isTime(_ b: [UInt8]) -> Bool {
        guard b.count >= 9, b[2] == 0x3A, b[5] == 0x3A, let h = digits(b, 0, 2), let m = digits(b, 3, 2),
            let s = digits(b, 6, 2)
        else { return false }
        var i = 8
        if i < b.count && b[i] == 0x2E {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            if i == start { return false }
        }
        guard i < b.count else { return false }
        var offsetMinutes = 0
        switch b[i] {
        case 0x5A, 0x7A:
            guard i + 1 == b.count else { return false }
        case 0x2B, 0x2D:
            guard i + 6 == b.count, b[i + 3] == 0x3A, let oh = digits(b, i + 1, 2), let om = digits(b, i + 4, 2),
                oh <= 23, om <= 59
            else { return false }
            offsetMinutes = (oh * 60 + om) * (b[i] == 0x2B ? 1 : -1)
        default:
            return false
        }
        guard h <= 23, m <= 59, s <= 60 else { return false }
        if s == 60 {
            // The leap second sits at 23:59:60 UTC: shift the local time back by the offset.
            var utc = (h * 60 + m - offsetMinutes) % (24 * 60)
            if utc < 0 { utc += 24 * 60 }
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func isDateTime(_ b: [UInt8]) -> Bool {
        guard b.count > 11, b[10] == 0x54 || b[10] == 0x74 else { return false }
        return isDate(Array(b[0..<10])) && isTime(Array(b[11...]))
    }

    /// ISO 8601 duration as in RFC 3339 appendix A: `P` then date parts, `T` time parts, or weeks alone.
    static func isDuration(_ b: [UInt8]) -> Bool {
        guard b.first == 0x50, b.count > 1 else { return false }
        var i = 1
        var inTime = false
        var sawAny = false, sawTimePart = false, sawWeek = false
        var order = 0  // position of the last unit, to enforce Y M D / H M S order
        while i < b.count {
            if b[i] == 0x54 {
                if inTime { return false }
                inTime = true
                order = 0
                i += 1
                guard i < b.count else { return false }
                continue
            }
            let start = i
            while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            guard i > start, i < b.count else { return false }
            let unit = b[i]
            i += 1
            let rank: Int
            switch (inTime, unit) {
            case (false, 0x59): rank = 1
            case (false, 0x4D): rank = 2
            case (false, 0x57): rank = 10; sawWeek = true
            case (false, 0x44): rank = 3
            case (true, 0x48): rank = 1
            case (true, 0x4D): rank = 2
            case (true, 0x53): rank = 3
            default: return false
            }
            // Units are consecutive (`P1Y2D` lacks the months between), weeks stand alone.
            guard rank > order, order == 0 || rank == order + 1 else { return false }
            order = rank
            sawAny = true
            if inTime { sawTimePart = true }
        }
        if inTime && !sawTimePart { return false }
        if sawWeek {
            // Weeks stand alone: `P3W`.
            return b.count >= 3 && b.last == 0x57 && !b.contains(0x54)
                && b.dropFirst().dropLast().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        return sawAny
    }

    static func isUUID(_ b: [UInt8]) -> Bool {
        guard b.count == 36 else { return false }
        for (k, c) in b.enumerated() {
            if k == 8 || k == 13 || k == 18 || k == 23 {
                if c != 0x2D { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    static func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) }

    static func isIPv4(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            if p.count > 1 && p.first == "0" { return false }
            guard let v = Int(p), v <= 255 else { return false }
        }
        return true
    }

    static func isIPv6(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        var text = Substring(s)
        var groupsNeeded = 8
        // An embedded IPv4 address takes the place of two groups.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(text[text.index(after: lastColon)...]) else { return false }
            text = text[...lastColon]
            if !text.hasSuffix("::") { text = text.dropLast() }
            groupsNeeded = 6
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> Int? {
            if part.isEmpty { return 0 }
            var n = 0
            for g in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, g.utf8.allSatisfy(isHex) else { return nil }
                n += 1
            }
            return n
        }
        if halves.count == 1 {
            return groups(halves[0]) == groupsNeeded
        }
        guard let a = groups(halves[0]), let b = groups(halves[1]) else { return false }
        return a + b < groupsNeeded
    }

    static func isHostname(_ s: String, international: Bool) -> Bool {
        var text = s
        if international {
            // IDNA treats the ideographic and fullwidth full stops as label separators.
            text = String(
                String.UnicodeScalarView(
                    text.unicodeScalars.map {
                        $0 == "\u{3002}" || $0 == "\u{FF0E}" || $0 == "\u{FF61}" ? "." : $0
                    }))
        }
        guard !text.isEmpty, !text.hasSuffix(".") else { return false }
        if international {
            // IDNA2008 in full needs Unicode tables we do not carry: accept letters, marks and digits in
            // each label, reject the separators and punctuation IDNA forbids, and check A-labels as ASCII.
            guard text.unicodeScalars.count <= 253 else { return false }
            for label in text.split(separator: ".", omittingEmptySubsequences: false) {
                guard IDNA.contextRulesHold(Array(label.unicodeScalars)) else { return false }
                guard !label.isEmpty, label.unicodeScalars.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-")
                else { return false }
                if label.unicodeScalars.count >= 4, Array(label.unicodeScalars)[2] == "-", Array(label.unicodeScalars)[3] == "-" {
                    guard label.lowercased().hasPrefix("xn--"), let decoded = Punycode.decode(label.lowercased().dropFirst(4)),
                        isHostname(String(String.UnicodeScalarView(decoded)), international: true)
                    else { return false }
                }
                for u in label.unicodeScalars {
                    if u.isASCII {
                        guard u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" else { return false }
                    } else {
                        let cat = u.properties.generalCategory
                        switch cat {
                        case .uppercaseLetter, .lowercaseLetter, .otherLetter, .modifierLetter, .titlecaseLetter,
                            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
                            continue
                        case _
                        where IDNA.exceptionsPVALID.contains(u.value) || u == "\u{00B7}" || u == "\u{0375}"
                            || u == "\u{05F3}" || u == "\u{05F4}" || u == "\u{30FB}":
                            continue
                        default:
                            if u == "\u{200C}" || u == "\u{200D}" { continue }
                            return false
                        }
                    }
                }
                if let first = label.unicodeScalars.first,
                    first.properties.generalCategory == .nonspacingMark
                        || first.properties.generalCategory == .spacingMark || first.properties.generalCategory == .enclosingMark
                {
                    return false
                }
            }
            return true
        }
        guard text.utf8.count <= 253 else { return false }
        for label in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63, label.first != "-", label.last != "-" else { return false }
            guard
                label.utf8.allSatisfy({
                    ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D
                })
            else { return false }
            let lower = label.lowercased()
            if lower.count >= 4, Array(lower.utf8)[2] == 0x2D, Array(lower.utf8)[3] == 0x2D {
                // Only `xn--` A-labels may have hyphens in positions 3 and 4, and they must decode to a
                // valid U-label.
                guard lower.hasPrefix("xn--"), lower.count > 4, let decoded = Punycode.decode(lower.dropFirst(4)),
                    isHostname(String(String.UnicodeScalarView(decoded)), international: true)
                else { return false }
            }
        }
        return true
    }

    static func isEmail(_ s: String, international: Bool) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = s[..<at], domain = s[s.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return false }
        } else {
            guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
            let allowed = Set("!#$%&'*+-/=?^_`{|}~.".unicodeScalars)
            for u in local.unicodeScalars {
                if u.isASCII {
                    guard u.properties.isAlphabetic || ("0"..."9").contains(u) || allowed.contains(u) else { return false }
                } else if !international {
                    return false
                }
            }
        }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]") else { return false }
            let inner = domain.dropFirst().dropLast()
            if inner.hasPrefix("IPv6:") { return isIPv6(String(inner.dropFirst(5))) }
            return isIPv4(inner)
        }
        return isHostname(String(domain), international: international)
    }

    /// RFC 3986 (and RFC 3987 for IRIs): checks the characters of each component and the shape of the
    /// authority; absolute forms need a scheme.
    static func isURI(_ s: String, reference: Bool, international: Bool) -> Bool {
        let unreservedPunct = Set("-._~".unicodeScalars)
        let subDelims = Set("!$&'()*+,;=".unicodeScalars)
        let scalars = Array(s.unicodeScalars)
        func validChars(_ part: ArraySlice<Unicode.Scalar>, extra: Set<Unicode.Scalar>) -> Bool {
            var k = part.startIndex
            while k < part.endIndex {
                let u = part[k]
                if u == "%" {
                    guard k + 2 < part.endIndex, u.isASCII, part[k + 1].isASCII, part[k + 2].isASCII,
                        isHex(UInt8(part[k + 1].value)), isHex(UInt8(part[k + 2].value))
                    else { return false }
                    k += 3
                    continue
                }
                if u.isASCII {
                    let ok =
                        (u.properties.isAlphabetic && u.value < 0x80) || ("0"..."9").contains(u) || unreservedPunct.contains(u)
                        || subDelims.contains(u) || extra.contains(u)
                    if !ok { return false }
                } else {
                    if !international { return false }
                    // ucschar / iprivate: no controls, spaces or specials.
                    let cat = u.properties.generalCategory
                    if cat == .control || cat == .spaceSeparator || cat == .lineSeparator || cat == .paragraphSeparator
                        || cat == .format
                    {
                        return false
                    }
                }
                k += 1
            }
            return true
        }
        var rest = scalars[...]
        var fragment: ArraySlice<Unicode.Scalar>?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[(hash + 1)...]
            rest = rest[..<hash]
        }
        var query: ArraySlice<Unicode.Scalar>?
        if let q = rest.firstIndex(of: "?") {
            query = rest[(q + 1)...]
            rest = rest[..<q]
        }
        var hasScheme = false
        if let colon = rest.firstIndex(of: ":"), colon > rest.startIndex {
            let scheme = rest[..<colon]
            let schemeOK =
                scheme.first!.isASCII && scheme.first!.properties.isAlphabetic
                && scheme.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == ".")
                }
            if schemeOK {
                hasScheme = true
                rest = rest[(colon + 1)...]
            } else if !rest[..<colon].contains("/") {
                return false  // a colon in the first segment of a relative path is not allowed
            }
        }
        if !hasScheme && !reference { return false }
        let pathExtra = Set(":@/".unicodeScalars)
        let qfExtra = Set(":@/?".unicodeScalars)
        if let f = fragment, !validChars(f, extra: qfExtra) { return false }
        if let q = query, !validChars(q, extra: qfExtra) { return false }
        if rest.starts(with: ["/", "/"]) {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") {
                guard validChars(authority[..<at], extra: [":"]) else { return false }
                authority = authority[(at + 1)...]
            }
            if authority.first == "[" {
                guard let close = authority.firstIndex(of: "]") else { return false }
                let literal = String(String.UnicodeScalarView(authority[(authority.startIndex + 1)..<close]))
                if !(isIPv6(literal) || literal.lowercased().hasPrefix("v")) { return false }
                authority = authority[(close + 1)...]
                if !authority.isEmpty {
                    guard authority.first == ":", authority.dropFirst().allSatisfy({ ("0"..."9").contains($0) }) else {
                        return false
                    }
                }
            } else {
                if let colon = authority.lastIndex(of: ":") {
                    guard authority[(colon + 1)...].allSatisfy({ ("0"..."9").contains($0) }) else { return false }
                    authority = authority[..<colon]
                }
                guard validChars(authority, extra: []) else { return false }
            }
        } else if !hasScheme, let firstColon = rest.firstIndex(of: ":"),
            !rest[..<firstColon].contains("/")
        {
            return false
        }
        if rest.contains("\\") { return false }
        return validChars(rest, extra: pathExtra)
    }

    static func isJSONPointer(_ s: String) -> Bool {
        if s.isEmpty { return true }
        guard s.hasPrefix("/") else { return false }
        let b = Array(s.utf8)
        for (k, c) in b.enumerated() where c == 0x7E {
            guard k + 1 < b.count, b[k + 1] == 0x30 || b[k + 1] == 0x31 else { return false }
        }
        return true
    }

    static func isRelativeJSONPointer(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
        guard i > 0, !(i > 1 && b[0] == 0x30) else { return false }
        // An index adjustment (`+1` / `-1`) may follow.
        if i < b.count, b[i] == 0x2B || b[i] == 0x2D {
            let start = i + 1
            var j = start
            while j < b.count, b[j] >= 0x30 && b[j] <= 0x39 { j += 1 }
            guard j > start, !(j - start > 1 && b[start] == 0x30), !(b[i] == 0x2D && j - start == 1 && b[start] == 0x30) else {
                return false
            }
            i = j
        }
        let rest = String(decoding: b[i...], as: UTF8.self)
        return rest == "#" || isJSONPointer(rest)
    }

    /// RFC 6570 level-4 syntax: literals and `{operator varspec,…}` expressions.
    static func isURITemplate(_ s: String) -> Bool {
        var inExpression = false
        var expression = ""
        for u in s.unicodeScalars {
            if inExpression {
                if u == "}" {
                    inExpression = false
                    var body = Substring(expression)
                    if let f = body.first, "+#./;?&=,!@|".contains(f) { body = body.dropFirst() }
                    for varspec in body.split(separator: ",", omittingEmptySubsequences: false) {
                        var name = varspec
                        if name.hasSuffix("*") { name = name.dropLast() }
                        if let colon = name.firstIndex(of: ":") {
                            let length = name[name.index(after: colon)...]
                            guard !length.isEmpty, length.count <= 4, length.allSatisfy({ $0.isASCIIDigit }), length.first != "0"
                            else { return false }
                            name = name[..<colon]
                        }
                        guard !name.isEmpty,
                            name.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" || $0 == "." || $0 == "%" }),
                            !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..")
                        else { return false }
                    }
                    expression = ""
                } else if u == "{" {
                    return false
                } else {
                    expression.unicodeScalars.append(u)
                }
            } else if u == "{" {
                inExpression = true
            } else if u == "}" || u == " " || u == "\"" || u == "<" || u == ">" || u == "\\" || u == "^" || u == "`" || u == "|"
                || u.value < 0x20 || u.value == 0x7F
            {
                return false
            }
        }
        return !inExpression
    }
}

/// The IDNA2008 rules (RFC 5892) checkable without the full Unicode derived-property tables: the
/// exception lists and the contextual rules for joiners, middle dots, Greek, Hebrew, Katakana and
/// Arabic-Indic digits.
enum IDNA {
    static let exceptionsPVALID: Set<UInt32> = [0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007]
    static let exceptionsDISALLOWED: Set<UInt32> = [
        0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B,
    ]

    static func contextRulesHold(_ label: [Unicode.Scalar]) -> Bool {
        var arabicIndic = false, extendedArabicIndic = false
        for (k, u) in label.enumerated() {
            let v = u.value
            if exceptionsDISALLOWED.contains(v) { return false }
            switch v {
            case 0x00B7:
                guard k > 0, k + 1 < label.count, label[k - 1] == "l", label[k + 1] == "l" else { return false }
            case 0x0375:
                guard k + 1 < label.count, isGreek(label[k + 1]) else { return false }
            case 0x05F3, 0x05F4:
                guard k > 0, isHebrew(label[k - 1]) else { return false }
            case 0x30FB:
                guard label.contains(where: { isJapanese($0) && $0.value != 0x30FB }) else { return false }
            case 0x200D:
                guard k > 0, label[k - 1].properties.canonicalCombiningClass.rawValue == 9 else { return false }
            case 0x200C:
                // After a virama, or between joining letters (approximated: letters on both sides).
                let afterVirama = k > 0 && label[k - 1].properties.canonicalCombiningClass.rawValue == 9
                let betweenLetters =
                    k > 0 && k + 1 < label.count && label[k - 1].properties.isAlphabetic
                    && label[k + 1].properties.isAlphabetic
                guard afterVirama || betweenLetters else { return false }
            case 0x0660...0x0669: arabicIndic = true
            case 0x06F0...0x06F9: extendedArabicIndic = true
            default: break
            }
        }
        return !(arabicIndic && extendedArabicIndic)
    }

    static func isGreek(_ u: Unicode.Scalar) -> Bool {
        (0x0370...0x03FF).contains(u.value) || (0x1F00...0x1FFF).contains(u.value)
    }
    static func isHebrew(_ u: Unicode.Scalar) -> Bool { (0x0590...0x05FF).contains(u.value) }
    static func isJapanese(_ u: Unicode.Scalar) -> Bool {
        (0x3040...0x30FF).contains(u.value) || (0x4E00...0x9FFF).contains(u.value) || (0x3400...0x4DBF).contains(u.value)
            || (0x31F0...0x31FF).contains(u.value)
    }
}

/// RFC 3492 Punycode decoding, to check A-labels (`xn--…`) as the U-labels they stand for.
enum Punycode {
    static func decode(_ input: Substring) -> [Unicode.Scalar]? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        var output: [Unicode.Scalar] = []
        var rest = Substring(input)
        if let dash = input.lastIndex(of: "-") {
            for c in input[..<dash].unicodeScalars {
                guard c.isASCII else { return nil }
                output.append(c)
            }
            rest = input[input.index(after: dash)...]
        }
        var n = 128, i = 0, bias = 72
        var pending = Array(rest.unicodeScalars)[...]
        func digit(_ c: Unicode.Scalar) -> Int? {
            switch c.value {
            case 0x30...0x39: Int(c.value) - 22
            case 0x41...0x5A: Int(c.value) - 0x41
            case 0x61...0x7A: Int(c.value) - 0x61
            default: nil
            }
        }
        while !pending.isEmpty {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard let c = pending.popFirst(), let d = digit(c) else { return nil }
                let (product, overflow) = d.multipliedReportingOverflow(by: w)
                guard !overflow, i <= Int(Int32.max) - product else { return nil }
                i += product
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if d < t { break }
                w *= base - t
                guard w <= Int(Int32.max) else { return nil }
                k += base
            }
            let count = output.count + 1
            var delta = oldI == 0 ? (i - oldI) / damp : (i - oldI) / 2
            delta += delta / count
            var kk = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                kk += base
            }
            bias = kk + (base - tMin + 1) * delta / (delta + skew)
            n += i / count
            i %= count
            guard let scalar = Unicode.Scalar(UInt32(clamping: n)), n >= 0x80 else { return nil }
            output.insert(scalar, at: i)
            i += 1
        }
        return output
    }
}
