import CivilCalendar
import Foundation
import Testing

/// The one owner of day arithmetic, against Foundation's Gregorian calendar (from 1583, where it is Gregorian
/// rather than Julian) and against itself (days → date → days) across ±5,000 years.
@Suite struct CivilCalendarTests {
    @Test func datesAgreeWithFoundationsGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = CivilCalendar.days(year: 1583, month: 1, day: 1)
        let end = CivilCalendar.days(year: 2400, month: 12, day: 31)
        var day = start
        while day <= end {
            let date = CivilCalendar.date(days: day)
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            #expect(parts.year == date.year && parts.month == date.month && parts.day == date.day, "day \(day)")
            day += 37
        }
    }

    @Test func daysAndDatesAreInverse() {
        var day = CivilCalendar.days(year: -3000, month: 1, day: 1)
        let end = CivilCalendar.days(year: 7000, month: 1, day: 1)
        var previous: (year: Int, month: Int, day: Int)?
        while day <= end {
            let date = CivilCalendar.date(days: day)
            #expect((1...12).contains(date.month) && (1...31).contains(date.day))
            #expect(CivilCalendar.days(year: date.year, month: date.month, day: date.day) == day)
            if let p = previous { #expect((p.year, p.month, p.day) < (date.year, date.month, date.day)) }
            previous = date
            day += 97
        }
        #expect(CivilCalendar.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilCalendar.days(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilCalendar.date(days: -1) == (1969, 12, 31))
    }
}
