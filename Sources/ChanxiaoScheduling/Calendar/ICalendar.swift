import ChanxiaoCore
import Foundation

/// One event of a calendar feed.
public struct CalendarEvent: Sendable, Equatable {
    public enum Time: Sendable, Equatable {
        /// Whole days, the end exclusive (RFC 5545 §3.6.1: DTEND of an all-day event is the day after).
        case allDay(CalendarDate, CalendarDate)
        case timed(Date, Date)
    }

    /// Stable across changes; a calendar app updates the event with the same UID.
    public var uid: String
    /// Raised on every change, so clients replace their copy.
    public var sequence: Int
    public var time: Time
    public var summary: String
    public var description: String?
    public var location: String?
    public var cancelled: Bool
    /// When the event last changed (DTSTAMP).
    public var stamp: Date

    public init(
        uid: String,
        sequence: Int,
        time: Time,
        summary: String,
        description: String? = nil,
        location: String? = nil,
        cancelled: Bool = false,
        stamp: Date
    ) {
        self.uid = uid
        self.sequence = sequence
        self.time = time
        self.summary = summary
        self.description = description
        self.location = location
        self.cancelled = cancelled
        self.stamp = stamp
    }
}

/// Writes iCalendar (RFC 5545) feeds: CRLF lines folded at 75 octets, text escaped, timed
/// events in the configured zone with its VTIMEZONE (zones without daylight saving, such as
/// Asia/Shanghai, have a fixed offset), or in UTC for zones that change offset.
public enum ICalendar {
    public static func feed(name: String, events: [CalendarEvent], zone: TimeZone, now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//chanxiao//schedules//ZH", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + escape(name), "X-WR-TIMEZONE:" + zone.identifier,
        ]
        let fixedOffset = zone.nextDaylightSavingTimeTransition(after: now) == nil
        if fixedOffset && events.contains(where: { if case .timed = $0.time { true } else { false } }) {
            let offset = offsetText(zone.secondsFromGMT(for: now))
            lines += [
                "BEGIN:VTIMEZONE", "TZID:" + zone.identifier, "BEGIN:STANDARD", "DTSTART:19700101T000000",
                "TZOFFSETFROM:" + offset, "TZOFFSETTO:" + offset, "TZNAME:" + (zone.abbreviation(for: now) ?? offset),
                "END:STANDARD", "END:VTIMEZONE",
            ]
        }
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:" + escape(event.uid), "SEQUENCE:\(event.sequence)", "DTSTAMP:" + utc(event.stamp)]
            switch event.time {
            case .allDay(let start, let end):
                lines += ["DTSTART;VALUE=DATE:" + compact(start), "DTEND;VALUE=DATE:" + compact(end)]
            case .timed(let start, let end):
                if fixedOffset {
                    lines += ["DTSTART;TZID=\(zone.identifier):" + local(start, zone), "DTEND;TZID=\(zone.identifier):" + local(end, zone)]
                } else {
                    lines += ["DTSTART:" + utc(start), "DTEND:" + utc(end)]
                }
            }
            lines.append("SUMMARY:" + escape(event.summary))
            if let description = event.description { lines.append("DESCRIPTION:" + escape(description)) }
            if let location = event.location { lines.append("LOCATION:" + escape(location)) }
            lines.append("STATUS:" + (event.cancelled ? "CANCELLED" : "CONFIRMED"))
            lines.append("TRANSP:" + (event.time.isAllDay ? "TRANSPARENT" : "OPAQUE"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// RFC 5545 §3.1: lines longer than 75 octets continue on lines starting with a space,
    /// never splitting a UTF-8 character.
    static func fold(_ line: String) -> String {
        var parts: [String] = []
        var current = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            let limit = parts.isEmpty ? 75 : 74
            if octets + size > limit {
                parts.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        parts.append(current)
        return parts.joined(separator: "\r\n ")
    }

    static func compact(_ date: CalendarDate) -> String {
        String(format: "%04d%02d%02d", date.year, date.month, date.day)
    }

    static func utc(_ instant: Date) -> String {
        let (date, minute) = LocalTime.moment(instant, in: TimeZone(identifier: "UTC")!)
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) % 60
        return compact(date) + String(format: "T%02d%02d%02dZ", minute / 60, minute % 60, (seconds + 60) % 60)
    }

    static func local(_ instant: Date, _ zone: TimeZone) -> String {
        let (date, minute) = LocalTime.moment(instant, in: zone)
        return compact(date) + String(format: "T%02d%02d00", minute / 60, minute % 60)
    }

    static func offsetText(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let value = abs(seconds)
        return String(format: "%@%02d%02d", sign, value / 3600, (value % 3600) / 60)
    }
}

extension CalendarEvent.Time {
    var isAllDay: Bool {
        if case .allDay = self { return true }
        return false
    }
}
