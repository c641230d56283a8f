/// At most `count` sends in any `perSeconds` seconds.
///
/// Chat robots enforce these and drop (or ban) what exceeds them: WeCom and DingTalk 20 per
/// 60 s, Feishu 5 per second and 100 per minute. Endpoints may also be given one.
public struct RateLimit: Sendable, Equatable {
    public var count: Int
    public var perSeconds: Double

    public init(count: Int, perSeconds: Double) {
        self.count = count
        self.perSeconds = perSeconds
    }

    /// A limit that can be met: a positive count over a positive, finite window.
    public var isValid: Bool { count > 0 && perSeconds > 0 && perSeconds.isFinite }
}

/// A sliding-window limiter over several limits at once. Time is passed in (seconds, from a
/// monotonic clock), so the arithmetic is pure and testable.
///
/// A send at time t is allowed when, for every limit, fewer than `count` recorded sends are
/// still in their window (a send at s leaves it once s + perSeconds ≤ t): so after 20 sends
/// at t = 0 under 20 per 60 s, the next may go at t = 60.
public struct RateWindow: Sendable {
    /// Invalid limits are left out: one with no room would block forever. Configuration
    /// validates them before they get here.
    public let limits: [RateLimit]
    /// Recorded send times, oldest first, only as many and as old as some limit still needs.
    private var sends: [Double] = []
    private let longestWindow: Double
    private let largestCount: Int

    public init(limits: [RateLimit]) {
        self.limits = limits.filter(\.isValid)
        longestWindow = self.limits.map(\.perSeconds).max() ?? 0
        largestCount = self.limits.map(\.count).max() ?? 0
    }

    /// 0 when a send may happen now, and it is recorded; else the seconds until one may, and
    /// nothing is recorded.
    public mutating func take(now: Double) -> Double {
        guard !limits.isEmpty else { return 0 }
        // Should the clock step back, count from the latest send: never more than allowed.
        let effectiveNow = max(now, sends.last ?? now)
        forget(before: effectiveNow)
        var allowedAt = effectiveNow
        for limit in limits where sends.count >= limit.count {
            // The limit's count-th latest send has to leave its window first.
            allowedAt = max(allowedAt, sends[sends.count - limit.count] + limit.perSeconds)
        }
        guard allowedAt > effectiveNow else {
            sends.append(effectiveNow)
            return 0
        }
        return Self.interval(from: now, to: allowedAt)
    }

    /// `to - from`, rounded up where needed so that `from + result` really reaches `to`:
    /// a caller that sleeps exactly this long must not be told to wait a hair more.
    private static func interval(from start: Double, to end: Double) -> Double {
        var interval = end - start
        while start + interval < end { interval = interval.nextUp }
        return interval
    }

    /// Drop sends that no limit can count any more: outside the longest window, or older than
    /// the largest count's worth.
    private mutating func forget(before now: Double) {
        let expired = sends.prefix { $0 + longestWindow <= now }.count
        let surplus = sends.count - largestCount
        let drop = max(expired, surplus)
        if drop > 0 { sends.removeFirst(drop) }
    }
}
