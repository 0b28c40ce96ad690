import Criteria

/// How values read from documents are written for people: dates, durations, numbers.
enum Formatting {
    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    /// The calendar date at the start of an xsd:date or xsd:dateTime (`2026-10-05T00:00:00+02:00`), as
    /// `YYYY-MM-DD` and as words (`5 October 2026`); nil when the text does not start with a valid date.
    /// The date is the one written (no conversion between time zones).
    static func date(_ text: String) -> (iso: String, words: String)? {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for b in bytes[range] {
                guard (48...57).contains(b) else { return nil }
                n = n * 10 + Int(b - 48)
            }
            return n
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        if text.utf8.count > 10 && text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: 10)] != UInt8(ascii: "T") {
            return nil
        }
        return (String(decoding: bytes, as: UTF8.self), "\(day) \(monthNames[month - 1]) \(year)")
    }

    /// `PT135H` → `135 hours`, `P1Y6M` → `1 year, 6 months`; nil when the text is not an ISO 8601 duration.
    static func duration(_ text: String) -> String? {
        guard let d = ISODuration(text) else { return nil }
        var parts: [String] = []
        for (value, unit) in [
            (d.years, "year"), (d.months, "month"), (d.days, "day"), (d.hours, "hour"),
            (d.minutes, "minute"), (d.seconds, "second"),
        ] where value != 0 {
            parts.append("\(number(value)) \(unit)\(value == 1 ? "" : "s")")
        }
        if parts.isEmpty { return "none" }
        return (d.negative ? "minus " : "") + parts.joined(separator: ", ")
    }

    /// A count with thousands separated by commas: `10,000`.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A whole number without a decimal point, others as Swift writes them (`2.5`).
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
