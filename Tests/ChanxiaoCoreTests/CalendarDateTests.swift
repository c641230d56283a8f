import ChanxiaoCore
import Foundation
import Testing

@Suite("CalendarDate")
struct CalendarDateTests {
    @Test(
        "parses exactly YYYY-MM-DD",
        arguments: [
            ("2020-02-29", CalendarDate(year: 2020, month: 2, day: 29)),
            ("2000-02-29", CalendarDate(year: 2000, month: 2, day: 29)),
            ("2021-02-28", CalendarDate(year: 2021, month: 2, day: 28)),
            ("2020-12-31", CalendarDate(year: 2020, month: 12, day: 31)),
            ("0001-01-01", CalendarDate(year: 1, month: 1, day: 1)),
            ("9999-12-31", CalendarDate(year: 9999, month: 12, day: 31)),
            ("2021-02-29", nil),  // not a leap year
            ("1900-02-29", nil),  // divisible by 100, not by 400
            ("2020-13-01", nil),
            ("2020-00-10", nil),
            ("2020-04-31", nil),
            ("2020-01-00", nil),
            ("2020-01-32", nil),
            ("0000-01-01", nil),
            ("2020-1-01", nil),
            ("2020-01-1", nil),
            ("20-01-01", nil),
            (" 2020-01-01", nil),
            ("2020-01-01 ", nil),
            ("2020/01/01", nil),
            ("20200101", nil),
            ("abcd-ef-gh", nil),
            ("2020-0a-01", nil),
            ("+020-01-01", nil),
            ("2020-01-01T00:00:00Z", nil),
            ("２０２０-01-01", nil),  // full-width digits
            ("", nil),
        ] as [(String, CalendarDate?)]
    )
    func parsing(text: String, expected: CalendarDate?) {
        #expect(CalendarDate(text) == expected)
    }

    @Test(
        "description writes four-digit years and two-digit months and days",
        arguments: [
            (CalendarDate(year: 2020, month: 9, day: 1)!, "2020-09-01"),
            (CalendarDate(year: 1, month: 1, day: 1)!, "0001-01-01"),
            (CalendarDate(year: 999, month: 12, day: 31)!, "0999-12-31"),
            (CalendarDate(year: 9999, month: 10, day: 10)!, "9999-10-10"),
        ]
    )
    func description(date: CalendarDate, text: String) {
        #expect(date.description == text)
        #expect(CalendarDate(text) == date)
    }

    @Test(
        "init(year:month:day:) refuses out-of-range parts",
        arguments: [
            (0, 1, 1), (10000, 1, 1), (2020, 0, 1), (2020, 13, 1), (2020, 1, 0), (2020, 2, 30), (2019, 2, 29), (2020, 6, 31),
        ]
    )
    func invalidParts(year: Int, month: Int, day: Int) {
        #expect(CalendarDate(year: year, month: month, day: day) == nil)
    }

    @Test(
        "leap years and month lengths",
        arguments: [
            (2020, true), (2021, false), (1900, false), (2000, true), (2100, false), (2400, true), (4, true),
        ]
    )
    func leapYears(year: Int, leap: Bool) {
        #expect(CalendarDate.isLeap(year) == leap)
        #expect(CalendarDate.daysIn(month: 2, year: year) == (leap ? 29 : 28))
    }

    @Test func monthLengths() {
        #expect((1...12).map { CalendarDate.daysIn(month: $0, year: 2021) } == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
    }

    @Test(
        "days since 1970-01-01 and ISO weekday",
        arguments: [
            ("0001-01-01", -719_162, 1),
            ("1600-03-01", -135_080, 3),
            ("1899-12-31", -25_568, 7),
            ("1969-12-31", -1, 3),
            ("1970-01-01", 0, 4),
            ("2000-02-29", 11_016, 2),
            ("2000-03-01", 11_017, 3),
            ("2020-09-01", 18_506, 2),  // a Tuesday: the weekly report day of seed 003
            ("2038-01-19", 24_855, 2),
            ("2100-03-01", 47_541, 1),
            ("9999-12-31", 2_932_896, 5),
        ]
    )
    func daysSinceEpoch(text: String, days: Int, weekday: Int) {
        let date = day(text)
        #expect(date.daysSinceEpoch == days)
        #expect(CalendarDate(daysSinceEpoch: days) == date)
        #expect(date.weekday == weekday)
    }

    @Test("daysSinceEpoch counts every day from 0001-01-01 to 9999-12-31, and its inverse agrees")
    func everyDayRoundTrips() {
        // Walk the calendar by hand, independently of the day-count formulas.
        var year = 1
        var month = 1
        var dayOfMonth = 1
        var days = CalendarDate(year: 1, month: 1, day: 1)!.daysSinceEpoch
        var weekday = 1  // 0001-01-01 was a Monday in the proleptic Gregorian calendar
        var mismatches = 0
        while year <= 9999 {
            let date = CalendarDate(year: year, month: month, day: dayOfMonth)!
            if date.daysSinceEpoch != days || CalendarDate(daysSinceEpoch: days) != date || date.weekday != weekday {
                mismatches += 1
                if mismatches <= 3 { Issue.record("mismatch at \(date) (expected day \(days), weekday \(weekday))") }
            }
            days += 1
            weekday = weekday % 7 + 1
            dayOfMonth += 1
            if dayOfMonth > CalendarDate.daysIn(month: month, year: year) {
                dayOfMonth = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect(mismatches == 0)
        #expect(days == 2_932_897)
    }

    @Test("weekday agrees with Foundation's Gregorian calendar")
    func weekdayAgreesWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for days in stride(from: -40_000, through: 40_000, by: 97) {
            let date = CalendarDate(daysSinceEpoch: days)
            let foundation = calendar.dateComponents(
                [.year, .month, .day, .weekday],
                from: Date(timeIntervalSince1970: Double(days) * 86_400)
            )
            #expect(foundation.year == date.year && foundation.month == date.month && foundation.day == date.day, "\(date)")
            // Foundation: 1 = Sunday … 7 = Saturday; ISO: 1 = Monday … 7 = Sunday.
            #expect((foundation.weekday! + 5) % 7 + 1 == date.weekday, "\(date)")
        }
    }

    @Test(
        "adding(days:)",
        arguments: [
            ("2020-02-28", 1, "2020-02-29"),
            ("2020-02-28", 2, "2020-03-01"),
            ("2021-02-28", 1, "2021-03-01"),
            ("2020-12-31", 1, "2021-01-01"),
            ("2021-01-01", -1, "2020-12-31"),
            ("2020-09-01", 0, "2020-09-01"),
            ("2020-09-01", 366, "2021-09-02"),
            ("2020-09-01", -7, "2020-08-25"),
            ("1970-01-01", -1, "1969-12-31"),
            ("2000-01-01", 146_097, "2400-01-01"),  // one 400-year cycle
        ]
    )
    func adding(start: String, days: Int, expected: String) {
        #expect(day(start).adding(days: days) == day(expected))
    }

    @Test(
        "ordering compares year, then month, then day",
        arguments: [
            ("2020-09-01", "2020-09-02"), ("2020-09-30", "2020-10-01"), ("2019-12-31", "2020-01-01"), ("0999-12-31", "1000-01-01"),
        ]
    )
    func ordering(earlier: String, later: String) {
        #expect(day(earlier) < day(later))
        #expect(!(day(later) < day(earlier)))
        #expect(day(earlier) != day(later))
    }

    @Test(
        "today(in:now:) is the day in the given zone",
        arguments: [
            // 16:00 UTC is midnight in China Standard Time (UTC+8).
            ("2020-08-31T15:59:59.999Z", "Asia/Shanghai", "2020-08-31"),
            ("2020-08-31T16:00:00.000Z", "Asia/Shanghai", "2020-09-01"),
            ("2020-08-31T16:00:00.000Z", "UTC", "2020-08-31"),
            ("2020-08-31T23:59:59.999Z", "UTC", "2020-08-31"),
            ("2020-09-01T00:00:00.000Z", "UTC", "2020-09-01"),
            ("2020-09-01T00:00:00.000Z", "America/New_York", "2020-08-31"),  // EDT, UTC-4
            ("2020-09-01T04:00:00.000Z", "America/New_York", "2020-09-01"),
            ("1969-12-31T23:59:59.500Z", "UTC", "1969-12-31"),
            ("1969-12-31T16:00:00.000Z", "Asia/Shanghai", "1970-01-01"),
            ("1969-12-31T15:59:59.000Z", "Asia/Shanghai", "1969-12-31"),
        ]
    )
    func today(instant: String, zone: String, expected: String) throws {
        let now = try #require(Timestamp.date(from: instant))
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(CalendarDate.today(in: timeZone, now: now) == day(expected))
    }

    @Test("Codable as a YYYY-MM-DD string")
    func codable() throws {
        let data = try JSONEncoder().encode([day("2020-09-01")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2020-09-01"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [day("2020-09-01")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2020-02-30"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CalendarDate].self, from: Data("[20200901]".utf8)) }
    }
}
