import JSONSyntax

// Data-quality rules (DQ-01 … DQ-08), shared by several kinds.

/// The ECTS workload convention behind DQ-01: one credit is 25–30 hours of notional learning (ECTS
/// Users' Guide 2015), accepted with a tolerance of 10 %: 22.5 × credits ≤ hours ≤ 33 × credits. The
/// catalogue states the same numbers in DQ-01's requirement; a test keeps them in step.
public enum ECTSWorkload {
    public static let minimumHoursPerCredit = 25.0
    public static let maximumHoursPerCredit = 30.0
    /// Relative tolerance applied below the minimum and above the maximum.
    public static let tolerance = 0.10

    public static var lowestAcceptedHoursPerCredit: Double { minimumHoursPerCredit * (1 - tolerance) }
    public static var highestAcceptedHoursPerCredit: Double { maximumHoursPerCredit * (1 + tolerance) }
}

extension Double {
    /// `5`, `2.5`, `112.5`: no trailing `.0`.
    var plain: String {
        let rounded = (self * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// DQ-01: ECTS credits and notional hours agree.
struct CreditsAgainstHoursRule: Rule {
    let criterionID = "DQ-01"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for spec in d.members(named: "creditPoint").map({ d.tree.node(atIndex: $0.object) }) {
            guard let volume = d.raw(spec, "volumeOfLearning"), let text = volume.stringValue,
                let hours = d.duration(text)?.hoursIfTimeOnly
            else { continue }
            var credits: Double?
            for credit in d.values(spec, "creditPoint")
            where d.values(credit, "framework").contains(where: { d.conceptIRI($0) == ectsIRI }) {
                if let s = d.values(credit, "point").first?.stringValue, let v = Double(s), v > 0 { credits = v }
            }
            guard let p = credits else { continue }
            let low = ECTSWorkload.lowestAcceptedHoursPerCredit * p, high = ECTSWorkload.highestAcceptedHoursPerCredit * p
            guard hours < low || hours > high else { continue }
            let expectedLow = ECTSWorkload.minimumHoursPerCredit * p, expectedHigh = ECTSWorkload.maximumHoursPerCredit * p
            let choices = [expectedLow, expectedHigh].map { h in
                FixChoice(
                    label: "\(h.plain) hours", json: "\"PT\(h.plain)H\"",
                    edits: [FixEdit(range: volume.range, newText: "\"PT\(h.plain)H\"")])
            }
            out.append(
                d.finding(
                    criterionID, volume.range,
                    "\(text) is \(hours.plain) hours for \(p.plain) ECTS credits (\((hours / p).plain) h per credit); one credit stands for \(ECTSWorkload.minimumHoursPerCredit.plain)–\(ECTSWorkload.maximumHoursPerCredit.plain) hours, so expect \(expectedLow.plain)–\(expectedHigh.plain) hours (\(low.plain)–\(high.plain) with the \(Int(ECTSWorkload.tolerance * 100)) % tolerance)",
                    fix: Fix(title: "Set the hours to match the credits", choices: choices)))
        }
        return out
    }
}

/// The keys whose values are durations, per kind.
func durationKeys(_ kind: DocumentKind) -> Set<String> {
    kind == .agreement
        ? ["submissionDeadline", "terminationNotice", "retentionPeriod"]
        : ["volumeOfLearning", "maximumDuration", "workload", "duration"]
}

extension DocumentContext {
    /// Every (key, value) member in the document whose key is in `keys`, with arrays of values flattened,
    /// in document order.
    func members(named keys: Set<String>) -> [(name: String, value: SyntaxNode)] {
        var refs: [(String, MemberRef)] = []
        for key in keys { refs += members(named: key).map { (key, $0) } }
        refs.sort { $0.1.keyIndex < $1.1.keyIndex }
        var out: [(String, SyntaxNode)] = []
        for (name, ref) in refs {
            let value = self.value(of: ref)
            if value.kind == .array {
                for e in value.elements { out.append((name, e)) }
            } else {
                out.append((name, value))
            }
        }
        return out
    }

    /// The values of `key` by the index of the object holding them.
    func valuesByObject(_ key: String) -> [Int: SyntaxNode] {
        var out: [Int: SyntaxNode] = [:]
        for ref in members(named: key) { out[ref.object] = value(of: ref) }
        return out
    }
}

/// DQ-02: durations are valid ISO 8601 durations.
struct DurationSyntaxRule: Rule {
    let criterionID = "DQ-02"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for (name, value) in d.members(named: durationKeys(d.kind)) where value.kind != .missing && value.kind != .error {
            if let s = value.stringValue, d.duration(s) != nil { continue }
            let text = value.stringValue ?? value.sourceText
            let suggestion = value.kind == .number ? value.numberLexeme.map { "PT\($0)H" } : ISODuration.suggestion(for: text)
            let shown: String
            switch value.kind {
            case .string: shown = "“\(text.oneLine)”"
            case .object: shown = "(an object)"
            case .array: shown = "(a list)"
            default: shown = text.oneLine
            }
            out.append(
                d.finding(
                    criterionID, value.range,
                    "`\(name)` \(shown) is not an ISO 8601 duration such as PT60H (60 hours), P6M (6 months) or P35D (35 days)",
                    fix: suggestion.map {
                        Fix(title: "Write `\($0)`", edits: [FixEdit(range: value.range, newText: "\"\($0)\"")])
                    }))
        }
        return out
    }
}

/// DQ-03: workload is written in hours; `P60M` (sixty months) is almost always meant as hours or minutes.
struct WorkloadInHoursRule: Rule {
    let criterionID = "DQ-03"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        for (name, value) in d.members(named: ["volumeOfLearning", "workload"]) {
            guard let s = value.stringValue, let duration = d.duration(s), duration.hasDateComponent else { continue }
            var fix: Fix?
            let message: String
            if duration.years == 0 && duration.days == 0 && duration.months > 0 && duration.hours == 0 && duration.minutes == 0 {
                let n = duration.months.plain
                message =
                    "`\(name)` \(s) means \(n) month\(n == "1" ? "" : "s"); notional learning time is written in hours: PT\(n)H is \(n) hours, PT\(n)M \(n) minutes"
                fix = Fix(
                    title: "Write the learning time in hours", edits: [FixEdit(range: value.range, newText: "\"PT\(n)H\"")],
                    choices: [
                        FixChoice(
                            label: "\(n) hours", json: "\"PT\(n)H\"", edits: [FixEdit(range: value.range, newText: "\"PT\(n)H\"")]
                        ),
                        FixChoice(
                            label: "\(n) minutes", json: "\"PT\(n)M\"",
                            edits: [FixEdit(range: value.range, newText: "\"PT\(n)M\"")]),
                    ])
            } else {
                message =
                    "`\(name)` \(s) is calendar time (years, months or days); write the notional learning time in hours, such as PT60H"
            }
            out.append(d.finding(criterionID, value.range, message, fix: fix))
        }
        return out
    }
}

/// DQ-04: dates in a plausible order.
struct DateOrderRule: Rule {
    let criterionID = "DQ-04"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        func date(_ node: SyntaxNode?, _ key: String) -> (SyntaxNode, ISODateTime)? {
            guard let v = d.raw(node, key), let s = v.stringValue, let t = ISODateTime(s) else { return nil }
            return (v, t)
        }
        /// Reports at `later` when it comes before `earlier` (or at the same time, when `strict`).
        func order(
            _ earlier: (SyntaxNode, ISODateTime)?, _ earlierName: String, _ later: (SyntaxNode, ISODateTime)?,
            _ laterName: String,
            strict: Bool = false
        ) {
            guard let (_, a) = earlier, let (node, b) = later else { return }
            if b.seconds < a.seconds || strict && b.seconds == a.seconds {
                out.append(
                    d.finding(
                        criterionID, node.range,
                        "`\(laterName)` \(node.stringValue ?? "") is \(b.seconds == a.seconds ? "the same as" : "before") `\(earlierName)`"
                    ))
            }
        }
        if d.kind == .agreement {
            let validity = d.raw(d.root, "validity")
            let until = date(validity, "validUntil")
            order(date(validity, "validFrom"), "validity.validFrom", until, "validity.validUntil", strict: true)
            for s in d.elements(d.root, "signatures") {
                if let signed = date(s, "date"), let until, until.1 < signed.1 {
                    out.append(
                        d.finding(
                            criterionID, signed.0.range,
                            "the signature date \(signed.0.stringValue ?? "") is after the agreement ends (`validity.validUntil` \(until.0.stringValue ?? ""))"
                        ))
                }
            }
            return out
        }
        let root = d.root
        if d.kind == .credential {
            let from = date(root, "validFrom"), issued = date(root, "issued"), issuance = date(root, "issuanceDate")
            for endKey in ["validUntil", "expirationDate"] {
                let end = date(root, endKey)
                order(from, "validFrom", end, endKey)
                order(issued, "issued", end, endKey)
                order(issuance, "issuanceDate", end, endKey)
            }
            let issuing = issued ?? issuance
            let issuingName = issued != nil ? "issued" : "issuanceDate"
            for ref in d.members(named: "awardingDate") {
                if let text = d.value(of: ref).stringValue, let awarded = ISODateTime(text), let issuing, issuing.1 < awarded {
                    out.append(
                        d.finding(
                            criterionID, d.value(of: ref).range,
                            "`awardingDate` \(text) is after the credential was issued (`\(issuingName)`)"))
                }
            }
            if let subject = d.value(root, "credentialSubject"), let birth = date(subject, "dateOfBirth"),
                let reference = issuing ?? from, !(birth.1 < reference.1)
            {
                out.append(d.finding(criterionID, birth.0.range, "`dateOfBirth` is not before the credential's date of issuing"))
            }
            out += learningBeforeAward(d, validFrom: from)
        }
        func parsed(_ node: SyntaxNode?) -> (SyntaxNode, ISODateTime)? {
            guard let node, let s = node.stringValue, let t = ISODateTime(s) else { return nil }
            return (node, t)
        }
        for (start, end) in [("startDate", "endDate"), ("dateIssued", "expiryDate")] {
            let starts = d.valuesByObject(start)
            for ref in d.members(named: end) {
                order(parsed(starts[ref.object]), start, parsed(d.value(of: ref)), end)
            }
        }
        return out
    }
}

extension DateOrderRule {
    /// Each claim's learning ends before it is awarded, and the credential is valid only from when its claims
    /// were awarded and their learning ended: the claim's `awardedBy.awardingDate` is not before the end of the
    /// claim's own period or of a learning activity that influenced it (`temporal.endDate`), and `validFrom` is
    /// not before either. Warnings, not errors: the end of a period may be a planned date, and an issuer may date
    /// a credential's validity by a template.
    func learningBeforeAward(_ d: DocumentContext, validFrom: (SyntaxNode, ISODateTime)?) -> [Finding] {
        var out: [Finding] = []
        func parsed(_ node: SyntaxNode?) -> (SyntaxNode, ISODateTime)? {
            guard let node, let s = node.stringValue, let t = ISODateTime(s) else { return nil }
            return (node, t)
        }
        // The latest date validFrom must not precede, with how a message names it.
        var latest: (node: SyntaxNode, time: ISODateTime, name: String)?
        func consider(_ candidate: (SyntaxNode, ISODateTime), _ name: String) {
            if latest == nil || latest!.time.seconds < candidate.1.seconds { latest = (candidate.0, candidate.1, name) }
        }
        for claim in d.claims {
            var end: (node: SyntaxNode, time: ISODateTime, name: String)?
            let activities = d.values(claim, "influencedBy").filter { $0.kind == .object }
            for (owner, path) in [(claim, "temporal.endDate")] + activities.map({ ($0, "influencedBy.temporal.endDate") }) {
                for period in d.values(owner, "temporal") where period.kind == .object {
                    guard let e = parsed(d.raw(period, "endDate")) else { continue }
                    if end == nil || end!.time.seconds < e.1.seconds { end = (e.0, e.1, path) }
                }
            }
            if let end { consider((end.node, end.time), "the end of the learning (`\(end.name)` \(end.node.stringValue ?? ""))") }
            for awarded in d.values(claim, "awardedBy") where awarded.kind == .object {
                guard let award = parsed(d.raw(awarded, "awardingDate")) else { continue }
                consider(award, "the award (`awardingDate` \(award.0.stringValue ?? ""))")
                if let end, award.1.seconds < end.time.seconds {
                    out.append(
                        d.finding(
                            criterionID, award.0.range,
                            "`awardingDate` \(award.0.stringValue ?? "") is before the learning it awards ended (`\(end.name)` \(end.node.stringValue ?? ""))",
                            severity: .warning))
                }
            }
        }
        if let from = validFrom, let latest, from.1.seconds < latest.time.seconds {
            out.append(
                d.finding(
                    criterionID, from.0.range,
                    "the credential is valid from \(from.0.stringValue ?? ""), before \(latest.name)",
                    severity: .warning))
        }
        return out
    }
}

/// DQ-05: date-times carry a time zone.
struct TimeZoneRule: Rule {
    let criterionID = "DQ-05"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        let tree = d.tree
        // Cheap test on the node storage before making handles and decoding: `"dddd-` opens every date-time.
        let candidates: [Int] = tree.withNodeStorage { storage in
            var found: [Int] = []
            for i in 0..<storage.count where storage.kind(i) == .string && storage.end(i) - storage.start(i) >= 21 {
                let b = storage.start(i)
                guard storage.bytes[b + 1] >= 48 && storage.bytes[b + 1] <= 57 && storage.bytes[b + 5] == 45,
                    !storage.flags(i).contains(.key)
                else { continue }
                found.append(i)
            }
            return found
        }
        for i in candidates {
            let node = tree.node(atIndex: i)
            guard let s = node.stringValue, ISODateTime.looksLikeDateTime(s), let t = ISODateTime(s), t.hasTime, !t.hasZone else {
                continue
            }
            out.append(
                d.finding(
                    criterionID, node.range, "\(s) has no time zone; add Z for UTC or an offset such as +02:00",
                    fix: Fix(title: "Mark the time as UTC", edits: [FixEdit(range: node.range, newText: "\"\(s)Z\"")])))
        }
        return out
    }
}

extension DocumentContext {
    /// Every language map of the document whose property is among `names` (a map from property name to
    /// whatever the caller keeps per name): each map object's node index with its property name. Found through
    /// the index, in no particular order (the engine sorts findings).
    func languageMaps(_ names: some Sequence<String>) -> [(object: Int, name: String)] {
        var out: [(object: Int, name: String)] = []
        tree.withNodeStorage { storage in
            for name in names {
                for ref in members(named: name) where storage.kind(Int(ref.valueIndex)) == .object {
                    out.append((Int(ref.valueIndex), name))
                }
            }
        }
        return out
    }
}

/// DQ-06: language-map keys are ISO 639-1 codes.
struct LanguageMapKeyRule: Rule {
    let criterionID = "DQ-06"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let maps = d.facts.languageMaps[d.kind] else { return [] }
        var out: [Finding] = []
        // A document repeats the same few language codes thousands of times: each distinct key (by its bytes,
        // read in place on the node storage) is looked up once; only keys that fail make handles and strings.
        var keys = ByteKeyTable()
        var isCode: [Bool] = []
        var unknown: [(key: Int, name: String)] = []
        let tree = d.tree
        tree.withNodeStorage { storage in
            for (object, name) in d.languageMaps(maps.keys) {
                for (key, _) in storage.members(of: object) {
                    let known: Bool
                    if storage.kind(key) == .string && storage.isPlainWellFormedString(key),
                        let raw = storage.rawStringContent(key)
                    {
                        let (number, added) = keys.insert(raw)
                        if added {
                            let text = String(decoding: raw, as: UTF8.self)
                            isCode.append(text.hasPrefix("@") || LanguageMapKeyRule.isLanguageTag(text, d.vocabularies))
                        }
                        known = isCode[number]
                    } else {
                        known = false  // decoded below, where escapes and broken keys are judged by their text
                    }
                    if !known { unknown.append((key, name)) }
                }
            }
        }
        for (index, name) in unknown {
            let keyNode = tree.node(atIndex: index)
            let key = keyNode.stringValue ?? ""
            if key.hasPrefix("@") || LanguageMapKeyRule.isLanguageTag(key, d.vocabularies) { continue }
            let suggestion = LanguageMapKeyRule.suggestion(for: key, d.vocabularies)
            let trimmed = key.trimmingWhitespace
            let message =
                trimmed != key && LanguageMapKeyRule.isLanguageTag(trimmed, d.vocabularies)
                ? "`\(key.oneLine)` in `\(name)` has white space around the language tag `\(trimmed)`; processors read it as another language"
                : "`\(key.oneLine)` in `\(name)` is not a language tag: use an ISO 639-1 code such as en, de or fr, optionally with a script or region (sr-Latn, en-GB)"
            out.append(
                d.finding(
                    criterionID, keyNode.range, message,
                    fix: suggestion.map {
                        Fix(
                            title: trimmed != key && $0 == trimmed ? "Remove the white space" : "Use `\($0)`",
                            edits: [FixEdit(range: keyNode.range, newText: "\"\($0)\"")])
                    }))
        }
        return out
    }

    /// Whether a key is a BCP 47 language tag whose language is an ISO 639-1 code: `en`, `en-GB`, `sr-Latn`,
    /// `zh-Hant-TW`, `de-CH-1996`, `en-x-private`. The language subtag is lower case, as ELM writes it.
    static func isLanguageTag(_ key: String, _ vocabularies: Vocabularies) -> Bool {
        let parts = key.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, vocabularies.contains(String(first), in: "language-codes-iso639-1") else { return false }
        var privateUse = false
        for part in parts.dropFirst() {
            let chars = Array(part.utf8)
            guard !chars.isEmpty, chars.count <= 8,
                chars.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 >= 0x30 && $0 <= 0x39 })
            else {
                return false
            }
            if privateUse { continue }
            if chars.count == 1 {
                privateUse = part == "x" || part == "X"
                if !privateUse { return false }
                continue
            }
            let letters = chars.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
            let digits = chars.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            // script (4 letters), region (2 letters or 3 digits), variant (5–8 characters, or 4 starting with a digit)
            if letters && (chars.count == 4 || chars.count == 2) { continue }
            if digits && chars.count == 3 { continue }
            if chars.count >= 5 || chars.count == 4 && chars[0] >= 0x30 && chars[0] <= 0x39 { continue }
            return false
        }
        return !privateUse || parts.count > 2
    }

    /// `EN` → `en`, `"en "` → `en`, `EN_gb` → `en`, `english` / `English` → `en`, `deu` → `de`.
    static func suggestion(for key: String, _ vocabularies: Vocabularies) -> String? {
        let trimmed = key.trimmingWhitespace
        if trimmed != key, isLanguageTag(trimmed, vocabularies) { return trimmed }
        let lower = trimmed.lowercased()
        let base = String(lower.split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? "")
        for candidate in [lower, base] where vocabularies.contains(candidate, in: "language-codes-iso639-1") { return candidate }
        for c in vocabularies.vocabularies["language-codes-iso639-1"]?.concepts ?? [] where c.label.lowercased() == lower {
            return c.notation
        }
        for c in vocabularies.vocabularies["languages"]?.concepts ?? [] where c.notation.lowercased() == lower {
            return c.altNotations.first
        }
        return nil
    }
}

/// DQ-07: one text per language where the profiles say so.
struct OneTextPerLanguageRule: Rule {
    let criterionID = "DQ-07"

    func check(_ d: DocumentContext) -> [Finding] {
        guard let maps = d.facts.languageMaps[d.kind] else { return [] }
        // Found on the node storage: a member whose value is an array of more than one element.
        let tree = d.tree
        let repeated: [(key: Int, value: Int, name: String)] = tree.withNodeStorage { storage in
            var found: [(key: Int, value: Int, name: String)] = []
            for (object, name) in d.languageMaps(maps.filter({ $0.value }).keys) {
                for (key, value) in storage.members(of: object) where storage.kind(value) == .array {
                    var elements = storage.elements(of: value)
                    if elements.next() != nil && elements.next() != nil { found.append((key, value, name)) }
                }
            }
            return found
        }
        return repeated.map { key, index, name in
            let value = tree.node(atIndex: index)
            let language = tree.node(atIndex: key).stringValue ?? ""
            let count = value.elements.count
            let first = value.elements.first?.stringValue
            return d.finding(
                criterionID, value.range,
                "`\(name)` has \(count) texts in `\(language)`; give one text per language (put variants in `altLabel` or `description`)",
                fix: first.map { f in
                    Fix(title: "Keep the first text", edits: [FixEdit(range: value.range, newText: JSONValue.string(f).text)])
                })
        }
    }
}

/// DQ-08: keys with look-alike characters.
struct LookAlikeKeyRule: Rule {
    let criterionID = "DQ-08"

    func check(_ d: DocumentContext) -> [Finding] {
        var out: [Finding] = []
        let tree = d.tree
        // Only keys with a non-ASCII byte or an escape can hold a look-alike: found on the node storage.
        let candidates: [Int] = tree.withNodeStorage { storage in
            var found: [Int] = []
            for i in 0..<storage.count where storage.kind(i) == .string && (!storage.isASCII(i) || !storage.isPlainString(i)) {
                let flags = storage.flags(i)
                if flags.contains(.key) && (flags.contains(.nonASCII) || flags.contains(.hasEscapes)) { found.append(i) }
            }
            return found
        }
        for i in candidates where !d.isInsideContext(i) {
            let node = tree.node(atIndex: i)
            guard let key = node.stringValue, let (twin, replaced) = Confusables.asciiTwin(of: key) else { continue }
            // A key written wholly in another script (no ASCII letter) is a word of that language, unless it
            // spells a property name.
            let known = d.facts.knownProperties.contains(twin)
            guard known || key.unicodeScalars.contains(where: { $0.isASCII && $0.properties.isAlphabetic }) else { continue }
            out.append(
                d.finding(
                    criterionID, node.range,
                    "the key `\(key)` contains \(replaced.joined(separator: ", ")), which look\(replaced.count == 1 ? "s" : "") like ASCII; processors read it as a property other than `\(twin)`\(known ? "" : " (not a property of the schema either)")",
                    fix: Fix(
                        title: "Rename to `\(twin)`", edits: [FixEdit(range: node.range, newText: JSONValue.string(twin).text)])))
        }
        return out
    }
}

extension String {
    /// The text on one line: line breaks and tabs become spaces, so a message never breaks the one-line format.
    var oneLine: String {
        // Scanned on the contiguous bytes (every finding's message passes here).
        let clean =
            utf8.withContiguousStorageIfAvailable { bytes in !bytes.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } }
            ?? !utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard !clean else { return self }
        return String(map { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\r\n" ? " " : $0 })
    }

    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }

    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var rest = Substring(self)
        while !rest.isEmpty {
            if rest.hasPrefix(separator) {
                parts.append(current)
                current = ""
                rest = rest.dropFirst(separator.count)
            } else {
                current.append(rest.removeFirst())
            }
        }
        parts.append(current)
        return parts
    }
}

/// DQ-09: the texts a viewer shows first — the display parameters' title and description, and each claim's and
/// its specification's title and description — have a text in every display language the credential declares
/// (`displayParameter.language` and `primaryLanguage`): a viewer asked for one of those languages would
/// otherwise show another language or nothing.
struct DisplayLanguageTextsRule: Rule {
    let criterionID = "DQ-09"

    func check(_ d: DocumentContext) -> [Finding] {
        guard d.kind == .credential, let display = d.value(d.root, "displayParameter"), display.kind == .object else { return [] }
        var languages: [(key: String, label: String)] = []
        for concept in d.values(display, "language") + d.values(display, "primaryLanguage") {
            guard let iri = d.conceptIRI(concept), let language = Self.mapKey(forLanguage: iri, d.vocabularies),
                !languages.contains(where: { $0.key == language.key })
            else { continue }
            languages.append(language)
        }
        guard !languages.isEmpty else { return [] }
        var owners: [(node: SyntaxNode, what: String)] = [(display, "the display parameters")]
        for claim in d.claims {
            owners.append((claim, "the claim \(d.name(of: claim))"))
            for spec in d.values(claim, "specifiedBy") where spec.kind == .object && !d.isReference(spec) {
                owners.append((spec, "the specification \(d.name(of: spec))"))
            }
        }
        var out: [Finding] = []
        var seen = Set<Int>()
        for (owner, what) in owners {
            for key in ["title", "description"] {
                guard let map = d.raw(owner, key), map.kind == .object, seen.insert(map.index).inserted else { continue }
                // A key DQ-06 reports counts as the tag its fix writes (`english` → `en`): one mistake, one finding.
                // A key it cannot mend leaves the map to DQ-06.
                let keys = map.members.map { member -> String? in
                    LanguageMapKeyRule.isLanguageTag(member.name, d.vocabularies)
                        ? member.name : LanguageMapKeyRule.suggestion(for: member.name, d.vocabularies)
                }
                guard !keys.isEmpty, !keys.contains(nil) else { continue }
                let tags = keys.compactMap { $0?.lowercased() }
                let missing = languages.filter { language in
                    !tags.contains { $0 == language.key || $0.hasPrefix(language.key + "-") }
                }
                guard !missing.isEmpty else { continue }
                let names = missing.map { "\($0.label) (`\($0.key)`)" }.joined(separator: ", ")
                out.append(
                    d.finding(
                        criterionID, map.range,
                        "`\(key)` of \(what.oneLine) has no text in \(names), \(missing.count == 1 ? "one of the display languages" : "display languages") the credential declares (`displayParameter.language`); a viewer in that language shows another language instead"
                    ))
            }
        }
        return out
    }

    /// The language-map key of a language concept: its ISO 639-1 code when it has one (`…/language/SPA` → `es`),
    /// else the code in lower case; with the language's English name.
    static func mapKey(forLanguage iri: String, _ vocabularies: Vocabularies) -> (key: String, label: String)? {
        guard let concept = vocabularies.concept(iri, in: "languages") else { return nil }
        let key = concept.altNotations.first { $0.utf8.count == 2 } ?? concept.notation.lowercased()
        let label = concept.label.split(separator: ";").first.map(String.init) ?? concept.label
        return (key, label)
    }
}
