import Foundation

/// Instants as RFC 3339 text in UTC with milliseconds ("2026-11-22T08:30:00.125Z"): the form
/// used in the API, the database and the audit log.
public enum Timestamp {
    public static func string(from date: Date) -> String {
        // A Date holds seconds since 2001 as a Double, so an instant read from "….027Z" may sit a
        // hair below its millisecond; within two ulps below a whole millisecond counts as it, so
        // that text read by `date(from:)` writes back the same.
        let sinceReference = date.timeIntervalSinceReferenceDate * 1000
        let totalMilliseconds = Int64((sinceReference + 2 * sinceReference.ulp).rounded(.down)) + referenceMilliseconds
        var days = totalMilliseconds / 86_400_000
        var milliseconds = totalMilliseconds % 86_400_000
        if milliseconds < 0 {
            milliseconds += 86_400_000
            days -= 1
        }
        let day = CalendarDate(daysSinceEpoch: Int(days))
        let seconds = Int(milliseconds / 1000)
        return day.description + "T" + zeroPadded(seconds / 3600, 2) + ":" + zeroPadded(seconds / 60 % 60, 2) + ":"
            + zeroPadded(seconds % 60, 2) + "." + zeroPadded(Int(milliseconds % 1000), 3) + "Z"
    }

    /// Parses what `string(from:)` writes, and also RFC 3339 with an offset or without fraction.
    public static func date(from text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            let day = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, (48...57).contains(bytes[index]) else { return nil }
            var numerator = 0
            var denominator = 1
            while index < bytes.count, (48...57).contains(bytes[index]) {
                if denominator < 1_000_000_000 {  // nanoseconds; further digits are ignored
                    numerator = numerator * 10 + Int(bytes[index] - 48)
                    denominator *= 10
                }
                index += 1
            }
            fraction = Double(numerator) / Double(denominator)
        }
        guard index < bytes.count else { return nil }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index == bytes.count - 1 else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count == index + 6, bytes[index + 3] == UInt8(ascii: ":"),
                let hours = number(bytes[(index + 1)..<(index + 3)]), let minutes = number(bytes[(index + 4)..<(index + 6)]),
                hours < 24, minutes < 60
            else { return nil }
            offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return nil
        }
        let seconds = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        // In UTC it must still have a four-digit year, as it is stored and compared as text:
        // 9999-12-31T23:59:59-14:00 would be written 10000-…, which sorts before 2020.
        guard seconds >= firstSecond, seconds < endSecond else { return nil }
        // Built from seconds since 2001, as a Date stores them, to round only once.
        return Date(timeIntervalSinceReferenceDate: Double(seconds - Int(referenceMilliseconds / 1000)) + fraction)
    }

    /// 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in seconds since 1970: the instants that
    /// can be written.
    private static let firstSecond = CalendarDate(year: 1, month: 1, day: 1)!.daysSinceEpoch * 86_400
    private static let endSecond = (CalendarDate(year: 9999, month: 12, day: 31)!.daysSinceEpoch + 1) * 86_400

    /// 2001-01-01T00:00:00Z, Foundation's reference date, in milliseconds since 1970.
    private static let referenceMilliseconds: Int64 = 978_307_200_000

    private static func number(_ slice: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in slice {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }
}
