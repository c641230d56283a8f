/// A window of time on every given weekday, in local time: `mon 19:00-22:00`.
public struct WeeklyWindow: Sendable, Hashable, CustomStringConvertible {
    public static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int
    public var start: Int
    public var end: Int

    public init(weekday: Int, start: Int, end: Int) {
        self.weekday = weekday
        self.start = start
        self.end = end
    }

    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let day = Self.dayNames.firstIndex(of: parts[0].lowercased()),
            let (start, end) = Self.span(parts[1])
        else { return nil }
        self.init(weekday: day + 1, start: start, end: end)
    }

    public var description: String {
        "\(Self.dayNames[weekday - 1]) \(ClockTime.text(start))-\(ClockTime.text(end))"
    }

    /// `HH:MM-HH:MM` with the start before the end.
    static func span(_ text: some StringProtocol) -> (Int, Int)? {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let start = ClockTime.minutes(ends[0]), let end = ClockTime.minutes(ends[1]), start < end else { return nil }
        return (start, end)
    }
}

/// A window on one date, in local time: `2020-09-10 14:00-18:00`, or a whole day `2020-09-10`.
public struct DatedWindow: Sendable, Hashable, CustomStringConvertible {
    public var date: CalendarDate
    public var start: Int
    public var end: Int

    public init(date: CalendarDate, start: Int = 0, end: Int = 1440) {
        self.date = date
        self.start = start
        self.end = end
    }

    public init?(_ text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = parts.first, let date = CalendarDate(first) else { return nil }
        switch parts.count {
        case 1: self.init(date: date)
        case 2:
            guard let (start, end) = WeeklyWindow.span(parts[1]) else { return nil }
            self.init(date: date, start: start, end: end)
        default: return nil
        }
    }

    public var isWholeDay: Bool { start == 0 && end == 1440 }

    public var description: String {
        isWholeDay ? date.description : "\(date) \(ClockTime.text(start))-\(ClockTime.text(end))"
    }
}
