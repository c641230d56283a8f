import ChanxiaoCore
import Foundation
import Testing

@Suite("IsoWeek")
struct IsoWeekTests {
    @Test(
        "the week that contains a date",
        arguments: [
            ("2020-09-15", "2020-W38"),
            ("2020-09-14", "2020-W38"),  // Monday
            ("2020-09-20", "2020-W38"),  // Sunday
            ("2020-09-21", "2020-W39"),
            ("2020-01-01", "2020-W01"),
            ("2019-12-30", "2020-W01"),  // a Monday of December in week 1 of the next year
            ("2020-12-31", "2020-W53"),
            ("2021-01-03", "2020-W53"),  // a Sunday of January in the last week of the previous year
            ("2021-01-04", "2021-W01"),
            ("2024-12-30", "2025-W01"),
            ("2025-12-29", "2026-W01"),
            ("2026-01-01", "2026-W01"),
            ("2026-12-31", "2026-W53"),
            ("2027-01-01", "2026-W53"),
            ("2015-12-31", "2015-W53"),
            ("2016-01-03", "2015-W53"),
            ("2008-12-29", "2009-W01"),
            ("2010-01-03", "2009-W53"),
            ("0001-01-01", "0001-W01"),
            ("9999-12-31", "9999-W52"),
        ]
    )
    func containing(date: String, week: String) {
        let isoWeek = IsoWeek(containing: day(date))
        #expect(isoWeek.description == week)
        #expect(IsoWeek(week) == isoWeek)
        #expect(isoWeek.contains(day(date)))
        #expect(isoWeek.monday <= day(date) && day(date) <= isoWeek.sunday)
    }

    @Test("agrees with Foundation's ISO 8601 calendar for every day of 1999–2041")
    func agreesWithFoundation() {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var date = day("1999-01-01")
        while date < day("2042-01-01") {
            let components = calendar.dateComponents(
                [.yearForWeekOfYear, .weekOfYear],
                from: Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400)
            )
            let week = IsoWeek(containing: date)
            if week.year != components.yearForWeekOfYear || week.week != components.weekOfYear {
                Issue.record("\(date): \(week), Foundation says \(components.yearForWeekOfYear!)-W\(components.weekOfYear!)")
                return
            }
            date = date.adding(days: 1)
        }
    }

    @Test(
        "monday and sunday",
        arguments: [
            ("2020-W38", "2020-09-14", "2020-09-20"),
            ("2020-W01", "2019-12-30", "2020-01-05"),
            ("2020-W53", "2020-12-28", "2021-01-03"),
            ("2021-W01", "2021-01-04", "2021-01-10"),
            ("2025-W01", "2024-12-30", "2025-01-05"),
            ("2026-W01", "2025-12-29", "2026-01-04"),
            ("2015-W53", "2015-12-28", "2016-01-03"),
        ]
    )
    func mondayAndSunday(week: String, monday: String, sunday: String) throws {
        let isoWeek = try #require(IsoWeek(week))
        #expect(isoWeek.monday == day(monday))
        #expect(isoWeek.monday.weekday == 1)
        #expect(isoWeek.sunday == day(sunday))
        #expect(isoWeek.sunday.weekday == 7)
        #expect(!isoWeek.contains(day(monday).adding(days: -1)))
        #expect(!isoWeek.contains(day(sunday).adding(days: 1)))
    }

    @Test(
        "weeks in a year: 53 when it starts on a Thursday, or is a leap year starting on a Wednesday",
        arguments: [
            (2015, 53), (2020, 53), (2026, 53), (2032, 53), (2037, 53), (2004, 53), (2009, 53), (1992, 53), (1998, 53),
            (2016, 52), (2019, 52), (2021, 52), (2024, 52), (2025, 52), (2027, 52), (2000, 52), (2100, 52),
        ]
    )
    func weeksIn(year: Int, weeks: Int) throws {
        #expect(IsoWeek.weeksIn(year: year) == weeks)
        // The last week is the one holding 28 December.
        #expect(IsoWeek(containing: CalendarDate(year: year, month: 12, day: 28)!).week == weeks)
        #expect(IsoWeek(year: year, week: weeks) != nil)
        #expect(IsoWeek(year: year, week: weeks + 1) == nil)
    }

    @Test(
        "parse and format round trip",
        arguments: [
            ("2020-W01", 2020, 1), ("2020-W09", 2020, 9), ("2020-W37", 2020, 37), ("2020-W53", 2020, 53), ("2026-W53", 2026, 53),
            ("0001-W01", 1, 1), ("9999-W52", 9999, 52),
        ]
    )
    func roundTrip(text: String, year: Int, week: Int) throws {
        let isoWeek = try #require(IsoWeek(text))
        #expect(isoWeek.year == year)
        #expect(isoWeek.week == week)
        #expect(isoWeek == IsoWeek(year: year, week: week))
        #expect(isoWeek.description == text)
    }

    @Test(
        "invalid week strings",
        arguments: [
            "2020-W54", "2021-W53", "2020-W00", "2020W01", "2020-W1", "2020-W001", "2020-w01", "2020-01", "20-W01", "02020-W01",
            "+202-W01", "-202-W01", " 2020-W01", "2020-W01 ", "2020-W+1", "2020-W-1", "2020-W٣٣", "0000-W01", "", "W01", "2020-W01-1",
        ]
    )
    func invalid(text: String) {
        #expect(IsoWeek(text) == nil)
    }

    @Test(
        "init(year:week:) checks the week against the year",
        arguments: [
            (2020, 0), (2020, 54), (2021, 53), (0, 1), (10_000, 1),
        ]
    )
    func invalidParts(year: Int, week: Int) {
        #expect(IsoWeek(year: year, week: week) == nil)
    }

    @Test(
        "adding(weeks:) crosses years",
        arguments: [
            ("2020-W52", 1, "2020-W53"),
            ("2020-W53", 1, "2021-W01"),
            ("2021-W01", -1, "2020-W53"),
            ("2021-W52", 1, "2022-W01"),
            ("2020-W38", 0, "2020-W38"),
            ("2020-W38", 52, "2021-W37"),
        ]
    )
    func adding(start: String, weeks: Int, expected: String) throws {
        let week = try #require(IsoWeek(start))
        #expect(week.adding(weeks: weeks).description == expected)
    }

    @Test func ordering() throws {
        let weeks = ["2021-W01", "2020-W53", "2020-W10", "2020-W09", "2019-W52"].compactMap { IsoWeek($0) }
        #expect(weeks.count == 5)
        #expect(weeks.sorted().map(\.description) == ["2019-W52", "2020-W09", "2020-W10", "2020-W53", "2021-W01"])
    }
}
