import Foundation

/// Minutes after local midnight written `HH:MM` (00:00 to 24:00, the latter only as an end).
public enum ClockTime {
    public static func minutes(_ text: some StringProtocol) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...24).contains(hours), (0..<60).contains(minutes)
        else { return nil }
        let total = hours * 60 + minutes
        return total <= 1440 ? total : nil
    }

    public static func text(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}

/// Converting between instants and the local day and time of day in a zone. Schedules are
/// written in local time (Asia/Shanghai by default); the database keeps instants.
public enum LocalTime {
    /// The instant at `minute` minutes after midnight of `date` in `zone`.
    public static func instant(_ date: CalendarDate, minute: Int, in zone: TimeZone) -> Date {
        let naive = Double(date.daysSinceEpoch * 86_400 + minute * 60)
        // The offset at the naive instant, corrected once for a change of offset in between.
        var offset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive)))
        offset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive - offset)))
        return Date(timeIntervalSince1970: naive - offset)
    }

    /// The local day and minutes after its midnight at `instant` in `zone`.
    public static func moment(_ instant: Date, in zone: TimeZone) -> (date: CalendarDate, minute: Int) {
        let local = Int((instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))).rounded(.down))
        let days = Int((Double(local) / 86_400).rounded(.down))
        return (CalendarDate(daysSinceEpoch: days), (local - days * 86_400) / 60)
    }

    /// The whole minutes of local time that `start..<end` touches, counted from midnight of the
    /// start's day (the end may pass 1440): the start rounded down, the end rounded up, so that a
    /// session ending at 22:00:30 is not taken to fit a window closing at 22:00.
    public static func minutes(from start: Date, to end: Date, in zone: TimeZone) -> (date: CalendarDate, start: Int, end: Int) {
        let (date, first) = moment(start, in: zone)
        let dayStart = instant(date, minute: 0, in: zone)
        let last = Int((end.timeIntervalSince(dayStart) / 60).rounded(.up))
        return (date, first, max(last, first))
    }
}
