import Foundation

/// When to try a failed delivery again.
///
/// The default schedule is the one Standard Webhooks suggests (5 s, 5 min, 30 min, 2 h, 5 h,
/// 10 h, 14 h, 20 h, 24 h: about three days in all), so a receiver that is down over a weekend
/// still gets its events. Jitter spreads the retries of many deliveries that failed together,
/// so a recovering receiver is not hit by all of them in the same second.
public struct RetryPolicy: Sendable, Equatable {
    /// Seconds to wait after each failed attempt: element n - 1 after attempt n.
    public var schedule: [Double]
    /// The fraction by which a scheduled delay may vary either way.
    public var jitter: Double
    /// What a server's Retry-After is clamped to: at least a moment, at most a day.
    public var retryAfterBounds: ClosedRange<Double>

    public static let defaultSchedule: [Double] = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]

    public init(
        schedule: [Double] = RetryPolicy.defaultSchedule,
        jitter: Double = 0.2,
        retryAfterBounds: ClosedRange<Double> = 1...86400
    ) {
        self.schedule = schedule
        self.jitter = jitter
        self.retryAfterBounds = retryAfterBounds
    }

    /// Seconds to wait before the next attempt, or nil when the schedule is exhausted and the
    /// delivery has failed for good.
    ///
    /// - Parameters:
    ///   - attempt: attempts made so far, from 1 (below 1 counts as 1).
    ///   - retryAfter: the server's Retry-After in seconds; it replaces the schedule (clamped,
    ///     without jitter) because the server knows best when it will take requests again.
    ///   - random: uniform in [0, 1), drawn by the caller so that this stays deterministic.
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double) -> Double? {
        let attempt = max(attempt, 1)
        guard attempt <= schedule.count else { return nil }
        if let retryAfter, !retryAfter.isNaN {
            return min(max(retryAfter, retryAfterBounds.lowerBound), retryAfterBounds.upperBound)
        }
        let jitter = min(max(jitter, 0), 1)
        let random = min(max(random, 0), 1)
        return max(0, schedule[attempt - 1] * (1 + jitter * (2 * random - 1)))
    }

    /// Seconds a Retry-After header value asks for: delta-seconds (`120`) or an HTTP-date
    /// (`Wed, 21 Oct 2015 07:28:00 GMT`, or the obsolete RFC 850 and asctime forms every
    /// recipient must accept). A date in the past gives 0; anything else gives nil.
    public static func parseRetryAfter(_ value: String, now: Date) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            return Double(text)
        }
        guard let date = HTTPDate.secondsSince1970(text, now: now) else { return nil }
        return max(0, date - now.timeIntervalSince1970)
    }
}

/// HTTP-date (RFC 9110 §5.6.7), parsed by hand: a DateFormatter would depend on the locale and
/// would accept more than the grammar does.
private enum HTTPDate {
    static let shortDays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let longDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func secondsSince1970(_ text: String, now: Date) -> Double? {
        let tokens = text.lowercased().split(separator: " ")
        guard let first = tokens.first else { return nil }
        if first.hasSuffix(","), shortDays.contains(String(first.dropLast())), tokens.count == 6, tokens[5] == "gmt" {
            // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            guard tokens[3].count == 4, let year = number(tokens[3]) else { return nil }
            return instant(year: year, month: tokens[2], day: tokens[1], time: tokens[4])
        }
        if first.hasSuffix(","), longDays.contains(String(first.dropLast())), tokens.count == 4, tokens[3] == "gmt" {
            // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
            let date = tokens[1].split(separator: "-", omittingEmptySubsequences: false)
            guard date.count == 3, date[2].count == 2, let twoDigits = number(date[2]) else { return nil }
            return instant(year: fullYear(twoDigits, now: now), month: date[1], day: date[0], time: tokens[2])
        }
        if shortDays.contains(String(first)), tokens.count == 5 {
            // asctime: Sun Nov  6 08:49:37 1994
            guard tokens[4].count == 4, let year = number(tokens[4]) else { return nil }
            return instant(year: year, month: tokens[1], day: tokens[2], time: tokens[3])
        }
        return nil
    }

    private static func instant(year: Int, month: Substring, day: Substring, time: Substring) -> Double? {
        guard let monthIndex = months.firstIndex(of: String(month)),
            (1...2).contains(day.count), let day = number(day),
            (1...daysIn(month: monthIndex + 1, year: year)).contains(day)
        else { return nil }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
            let hour = number(clock[0]), let minute = number(clock[1]), let second = number(clock[2]),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)  // 60: a leap second
        else { return nil }
        let days = daysSince1970(year: year, month: monthIndex + 1, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 + second)
    }

    /// ASCII digits only (`Int` alone would take "+5").
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    /// RFC 9110: a two-digit year more than 50 years ahead is the same year of the last century.
    private static func fullYear(_ twoDigits: Int, now: Date) -> Int {
        let currentYear = 1970 + Int((now.timeIntervalSince1970 / 31_556_952).rounded(.down))  // mean Gregorian year
        let candidate = currentYear - currentYear % 100 + twoDigits
        return candidate > currentYear + 50 ? candidate - 100 : candidate
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
