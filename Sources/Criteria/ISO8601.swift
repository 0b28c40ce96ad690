import CivilCalendar

/// An ISO 8601 / xsd:duration such as `PT60H` or `P1Y2M`, with its components.
public struct ISODuration: Sendable, Hashable {
    public var negative = false
    public var years: Double = 0
    public var months: Double = 0
    public var days: Double = 0
    public var hours: Double = 0
    public var minutes: Double = 0
    public var seconds: Double = 0
    /// True when a year, month or day component is written.
    public var hasDateComponent = false

    /// The total in hours when only time components (PT…) are written.
    public var hoursIfTimeOnly: Double? {
        hasDateComponent ? nil : (hours + minutes / 60 + seconds / 3600) * (negative ? -1 : 1)
    }

    /// Parses `-?PnYnMnDTnHnMnS` (xsd:duration): at least one component, no empty time part, integers
    /// except for seconds. Nil when the text is not such a duration.
    public init?(_ text: String) {
        var s = Substring(text)
        if s.hasPrefix("-") {
            negative = true
            s = s.dropFirst()
        }
        guard s.hasPrefix("P") else { return nil }
        s = s.dropFirst()
        var inTime = false
        var components = 0
        var timeComponents = 0
        var order = 0  // designators must come in order: Y M D T H M S
        while !s.isEmpty {
            if s.first == "T" {
                guard !inTime else { return nil }
                inTime = true
                order = 3
                s = s.dropFirst()
                continue
            }
            var digits = ""
            while let c = s.first, c.isASCII, c.isNumber || c == "." {
                digits.append(c)
                s = s.dropFirst()
            }
            guard !digits.isEmpty, let unit = s.first, let value = Double(digits) else { return nil }
            s = s.dropFirst()
            let isDecimal = digits.contains(".")
            let rank: Int
            switch (inTime, unit) {
            case (false, "Y"): rank = 0; years = value
            case (false, "M"): rank = 1; months = value
            case (false, "D"): rank = 2; days = value
            case (true, "H"): rank = 4; hours = value
            case (true, "M"): rank = 5; minutes = value
            case (true, "S"): rank = 6; seconds = value
            default: return nil
            }
            if isDecimal && rank != 6 { return nil }
            guard rank >= order else { return nil }
            order = rank + 1
            components += 1
            if inTime { timeComponents += 1 } else { hasDateComponent = true }
        }
        guard components > 0, !inTime || timeComponents > 0 else { return nil }
    }

    /// The longest text (UTF-8 bytes) `suggestion(for:)` reads.
    static let maxSuggestionInput = 64

    /// A likely intended duration for a text that is not one: `3 months` → `P3M`, `60 hours` → `PT60H`,
    /// `pt60h` → `PT60H`. Nil when nothing plausible is found.
    static func suggestion(for text: String) -> String? {
        // Durations and their spelled-out forms are short; a longer text is prose, with nothing to suggest.
        guard text.utf8.count <= maxSuggestionInput else { return nil }
        let upper = text.trimmingWhitespace.uppercased()
        if upper != text, ISODuration(upper) != nil { return upper }
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
        var index = 0
        var date = ""
        var time = ""
        while index < words.count {
            var word = words[index]
            var number = ""
            while let c = word.first, c.isASCII, c.isNumber {
                number.append(c)
                word = word.dropFirst()
            }
            guard !number.isEmpty else { return nil }
            var unit = String(word)
            if unit.isEmpty {
                index += 1
                guard index < words.count else { return nil }
                unit = String(words[index])
            }
            switch unit.trimmingCharacters(",.") {
            case "y", "yr", "yrs", "year", "years": date += number + "Y"
            case "month", "months", "mo": date += number + "M"
            case "w", "week", "weeks": date += String((Int(number) ?? 0) * 7) + "D"
            case "d", "day", "days": date += number + "D"
            case "h", "hr", "hrs", "hour", "hours": time += number + "H"
            case "min", "mins", "minute", "minutes": time += number + "M"
            case "s", "sec", "secs", "second", "seconds": time += number + "S"
            default: return nil
            }
            index += 1
        }
        let result = "P" + date + (time.isEmpty ? "" : "T" + time)
        return ISODuration(result) != nil ? result : nil
    }
}

/// A date or date-time (xsd:date, xsd:dateTime) as a point in time, for ordering dates.
struct ISODateTime: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z; a value without a time zone counts as UTC.
    var seconds: Double
    var hasTime: Bool
    var hasZone: Bool

    static func < (a: ISODateTime, b: ISODateTime) -> Bool { a.seconds < b.seconds }

    /// Parses `YYYY-MM-DD`, optionally followed by `THH:MM:SS(.fraction)` and `Z` or `±hh:mm`.
    init?(_ text: String) {
        let b = Array(text.utf8)
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var n = 0
            for k in i..<(i + count) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                n = n * 10 + Int(b[k] - 48)
            }
            i += count
            return n
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
            (1...12).contains(month), day >= 1, day <= ISODateTime.daysIn(month: month, year: year)
        else { return nil }
        var seconds = Double(ISODateTime.daysFromCivil(year: year, month: month, day: day)) * 86_400
        hasTime = false
        hasZone = false
        if i < b.count && b[i] == 84 {  // T
            i += 1
            guard let h = number(2), expect(58), let m = number(2), expect(58), let s = number(2),
                h <= 24, m < 60, s < 61
            else { return nil }
            seconds += Double(h * 3600 + m * 60 + s)
            if i < b.count && b[i] == 46 {  // fraction
                i += 1
                var digits = 0
                var fraction = 0.0
                var scale = 0.1
                while i < b.count && b[i] >= 48 && b[i] <= 57 {
                    fraction += Double(b[i] - 48) * scale
                    scale /= 10
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                seconds += fraction
            }
            hasTime = true
        }
        if i < b.count {
            if b[i] == 90 {  // Z
                i += 1
                hasZone = true
            } else if b[i] == 43 || b[i] == 45 {  // + or -
                let sign = b[i] == 43 ? 1.0 : -1.0
                i += 1
                guard let h = number(2), expect(58), let m = number(2), h <= 14, m < 60 else { return nil }
                seconds -= sign * Double(h * 3600 + m * 60)
                hasZone = true
            }
        }
        guard i == b.count else { return nil }
        self.seconds = seconds
    }

    /// Whether the text looks like an xsd:dateTime (date, `T`, time), with or without a zone.
    static func looksLikeDateTime(_ text: String) -> Bool {
        let b = Array(text.utf8.prefix(20))
        guard b.count >= 19 else { return false }
        let digitsAt = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        return digitsAt.allSatisfy { b[$0] >= 48 && b[$0] <= 57 } && b[4] == 45 && b[7] == 45 && b[10] == 84
            && b[13] == 58 && b[16] == 58
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        CivilCalendar.days(year: year, month: month, day: day)
    }
}

/// A calendar day, for "not later than today" checks; injectable so tests do not depend on the clock.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The date from a number of seconds since 1970-01-01T00:00:00Z (UTC).
    public init(secondsSince1970 seconds: Int) {
        let date = CivilCalendar.date(days: (seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
        self.init(year: date.year, month: date.month, day: date.day)
    }
}

extension String {
    func trimmingCharacters(_ set: String) -> String {
        var s = Substring(self)
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        return String(s)
    }
}
