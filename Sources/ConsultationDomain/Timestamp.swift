import CivilCalendar
import Foundation

/// An instant as whole milliseconds since 1970-01-01T00:00:00Z: what the store keeps, what the clock gives,
/// and what `canWrite` compares. RFC 3339 text exists only at the edges.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The current time from the system clock.
    public static func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    public func adding(seconds: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds + seconds * 1000) }

    public var description: String { rfc3339 }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-03-01T08:00:00.000Z`.
    public var rfc3339: String {
        let (days, msOfDay) = milliseconds.floorDivided(by: 86_400_000)
        let (y, m, d) = Timestamp.civil(fromDays: days)
        let seconds = msOfDay / 1000, ms = msOfDay % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):"
            + "\(pad(seconds % 60, 2)).\(pad(ms, 3))Z"
    }

    private func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses an RFC 3339 date-time with an offset (`Z` or `±hh:mm`); seconds and fractions optional as the
    /// consultation schema allows. Nil for anything else (including impossible dates such as 02-30).
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ n: Int) -> Int64? {
            guard at + n <= b.count else { return nil }
            var v: Int64 = 0
            for i in at..<(at + n) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard b.count >= 17, let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            b[7] == UInt8(ascii: "-"), let day = digits(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
            let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2)
        else { return nil }
        var i = 16
        var second: Int64 = 0, millis: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let s = digits(i + 1, 2) else { return nil }
            second = s
            i += 3
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                var place: Int64 = 100
                let start = i
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    millis += Int64(b[i] - 48) * place
                    place /= 10
                    i += 1
                }
                if i == start { return nil }
            }
        }
        guard i < b.count else { return nil }
        var offsetMinutes: Int64 = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = digits(i + 4, 2),
                oh < 24, om < 60
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count, (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        let local = ((days * 24 + hour) * 60 + minute) * 60 + second
        milliseconds = (local - offsetMinutes * 60) * 1000 + millis
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        Int64(CivilCalendar.days(year: Int(year), month: Int(month), day: Int(day)))
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let date = CivilCalendar.date(days: Int(days))
        return (Int64(date.year), Int64(date.month), Int64(date.day))
    }

    /// The instant as people in `timeZone` read it, e.g. `30 June 2027, 23:59 (Europe/Brussels)`.
    public func display(in timeZone: String, language: String = "en") -> String {
        let formatter = DateFormatter()
        // Month names in the page's language (English as in Britain: day before month).
        formatter.locale = Locale(identifier: language == "en" ? "en_GB" : language.replacingOccurrences(of: "-", with: "_"))
        formatter.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMMM yyyy, HH:mm"
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        return "\(formatter.string(from: date)) (\(timeZone))"
    }
}

extension Int64 {
    /// Floor division and the matching non-negative remainder.
    package func floorDivided(by d: Int64) -> (Int64, Int64) {
        let q = self >= 0 ? self / d : -((-self + d - 1) / d)
        return (q, self - q * d)
    }
}

/// Where the collector gets the time. Tests inject a settable clock to check the opening window to the second.
public struct WallClock: Sendable {
    public var now: @Sendable () -> Timestamp
    public init(now: @escaping @Sendable () -> Timestamp) { self.now = now }
    public static let system = WallClock(now: { Timestamp.now() })
}
