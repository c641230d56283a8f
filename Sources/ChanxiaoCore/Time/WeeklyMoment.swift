import Foundation

/// A moment that recurs every week in local time, e.g. Tuesday 09:00 in Asia/Shanghai (the
/// weekly report, seed 003 §六(三)) or Thursday 18:00 (the matching run).
public struct WeeklyMoment: Sendable, Equatable {
    /// 1 = Monday … 7 = Sunday.
    public var weekday: Int
    /// Minutes after local midnight.
    public var minute: Int

    public init(weekday: Int, minute: Int) {
        self.weekday = weekday
        self.minute = minute
    }

    public static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// The instant of this moment in `week`.
    public func instant(in week: IsoWeek, zone: TimeZone) -> Date {
        LocalTime.instant(week.monday.adding(days: weekday - 1), minute: minute, in: zone)
    }

    /// The week whose moment has passed at `now`: the current week once its moment is past, else nil.
    public func passedWeek(now: Date, zone: TimeZone) -> IsoWeek? {
        let week = IsoWeek(containing: CalendarDate.today(in: zone, now: now))
        return now >= instant(in: week, zone: zone) ? week : nil
    }
}
