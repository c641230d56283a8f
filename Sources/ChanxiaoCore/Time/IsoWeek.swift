/// An ISO 8601 week ("2020-W37"): weeks start on Monday, and week 1 is the week holding the
/// year's first Thursday. Matching, the county rotation and weekly reports all count in these.
public struct IsoWeek: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    public init?(year: Int, week: Int) {
        guard (1...9999).contains(year), (1...Self.weeksIn(year: year)).contains(week) else { return nil }
        self.year = year
        self.week = week
    }

    /// The week that contains `date`.
    public init(containing date: CalendarDate) {
        // The Thursday of the same ISO week decides the week's year.
        let thursday = date.adding(days: 4 - date.weekday)
        self.year = thursday.year
        self.week = (thursday.daysSinceEpoch - CalendarDate.daysSinceEpoch(year: thursday.year, month: 1, day: 1)) / 7 + 1
    }

    /// Parses `YYYY-Www` (as in `2020-W37`).
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 3, parts[1].first == "W",
            let year = Int(parts[0]), let week = Int(parts[1].dropFirst()),
            parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), parts[1].dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        self.init(year: year, week: week)
    }

    public var description: String {
        let year = String(self.year)
        let week = self.week < 10 ? "0\(self.week)" : String(self.week)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-W" + week
    }

    public static func < (lhs: IsoWeek, rhs: IsoWeek) -> Bool {
        (lhs.year, lhs.week) < (rhs.year, rhs.week)
    }

    /// The Monday that starts the week.
    public var monday: CalendarDate {
        // Jan 4 is always in week 1.
        let jan4 = CalendarDate(daysSinceEpoch: CalendarDate.daysSinceEpoch(year: year, month: 1, day: 4))
        let week1Monday = jan4.adding(days: 1 - jan4.weekday)
        return week1Monday.adding(days: (week - 1) * 7)
    }

    public var sunday: CalendarDate { monday.adding(days: 6) }

    public func adding(weeks: Int) -> IsoWeek {
        IsoWeek(containing: monday.adding(days: weeks * 7))
    }

    public func contains(_ date: CalendarDate) -> Bool {
        monday <= date && date <= sunday
    }

    /// 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday.
    public static func weeksIn(year: Int) -> Int {
        guard let jan1 = CalendarDate(year: year, month: 1, day: 1) else { return 52 }
        let weekday = jan1.weekday
        return weekday == 4 || (weekday == 3 && CalendarDate.isLeap(year)) ? 53 : 52
    }
}
