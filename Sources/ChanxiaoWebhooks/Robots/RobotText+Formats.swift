import ChanxiaoCore
import Foundation

/// How times, money, shares, volumes and units read in the robots' Chinese messages.
extension RobotText {
    /// "11月24日 19:00".
    static func time(_ date: Date, zone: TimeZone) -> String {
        let parts = components(date, zone: zone)
        return "\(parts.month ?? 0)月\(parts.day ?? 0)日 " + clock(parts)
    }

    /// "11月24日 19:00–21:00", or both ends in full when it ends on another day.
    static func span(_ start: Date, _ end: Date?, zone: TimeZone) -> String {
        guard let end, end > start else { return time(start, zone: zone) }
        let first = components(start, zone: zone)
        let last = components(end, zone: zone)
        if (first.year, first.month, first.day) == (last.year, last.month, last.day) { return time(start, zone: zone) + "–" + clock(last) }
        return time(start, zone: zone) + " 至 " + time(end, zone: zone)
    }

    /// "2026年第47周至第54周（共8周）".
    static func weeks(from first: IsoWeek, count: Int) -> String {
        let last = first.adding(weeks: count - 1)
        let start = "\(first.year)年第\(first.week)周"
        guard count > 1 else { return start + "（共1周）" }
        let end = last.year == first.year ? "第\(last.week)周" : "\(last.year)年第\(last.week)周"
        return start + "至" + end + "（共\(count)周）"
    }

    /// "1小时后开播", "24小时后开播", "30分钟后开播".
    static func lead(minutes: Int?) -> String {
        guard let minutes, minutes > 0 else { return "即将开播" }
        if minutes < 60 { return "\(minutes)分钟后开播" }
        return minutes % 60 == 0 ? "\(minutes / 60)小时后开播" : "\(minutes / 60)小时\(minutes % 60)分钟后开播"
    }

    /// "12.50元" from fen.
    static func yuan(fen: Int) -> String {
        let magnitude = fen.magnitude
        let cents = Int(magnitude % 100)
        return (fen < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)元"
    }

    /// "28.4%".
    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    /// "200 斤/周", or "200/周" without a unit.
    static func volume(_ amount: Int, unit: String?) -> String {
        "\(amount)" + (unit.map { " " + $0 } ?? "") + "/周"
    }

    /// The unit as people write it: "kg" stays, the others by their Chinese names.
    static func unit(_ raw: String?) -> String? {
        guard let raw else { return nil }
        switch MeasureUnit(rawValue: raw) {
        case .kg?: return "kg"
        case let unit?: return unit.chineseName
        case nil:
            let text = plain(raw, limit: 8)
            return text.isEmpty ? nil : text
        }
    }

    private static func components(_ date: Date, zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    private static func clock(_ parts: DateComponents) -> String {
        let hour = parts.hour ?? 0
        let minute = parts.minute ?? 0
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
