import Foundation

/// How webhooks are delivered: the `webhooks.*` keys of the configuration.
public struct WebhookSettings: Sendable, Equatable {
    /// Whether the daemon runs the delivery worker (events are recorded either way).
    public var deliveryEnabled = true
    /// How long one attempt may take, connection to last byte.
    public var timeoutSeconds = 15.0
    /// Seconds to wait after each failed attempt; an event is given up after the last.
    /// Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
    public var retrySchedule: [Double] = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
    /// Each wait is spread by up to this fraction either way, so retries of many events do
    /// not arrive together.
    public var retryJitter = 0.2
    /// A receiver's Retry-After is followed within these bounds, in seconds.
    public var retryAfterMinSeconds = 1.0
    public var retryAfterMaxSeconds = 86400.0
    /// An endpoint failing without a single success for this long is disabled.
    public var disableAfterHours = 120.0
    /// After `rotate-secret`, how long the old secret keeps signing beside the new one.
    public var secretOverlapHours = 24.0
    /// Random bytes in a generated `whsec_` secret (24 to 64).
    public var secretBytes = 32
    /// When `livestream.reminder` goes out, in minutes before the start.
    public var reminderLeadMinutes = [1440, 60]
    /// How long messages (payloads, deliveries, attempts) are kept.
    public var retentionDays = 30
    /// Attempts in flight at once, across all endpoints.
    public var concurrency = 16
    /// Attempts in flight at once to one endpoint, so that one slow endpoint cannot hold them all.
    public var perEndpointConcurrency = 4
    /// Sends per minute to a standard endpoint that sets no limit of its own; 0 for none.
    public var defaultRateLimitPerMinute = 0
    /// Events merged into one chat-robot message at most.
    public var robotDigestMax = 50
    /// Bytes of a response body kept with its attempt.
    public var responseBodyLimitBytes = 2048
    /// Addresses and CIDR ranges that may be called although they are loopback, private or
    /// otherwise internal (e.g. `10.1.2.3`, `192.168.0.0/16`, `::1`).
    public var allowlist: [String] = []
    /// How often the worker looks for due deliveries, in milliseconds.
    public var pollIntervalMilliseconds = 1000
    /// How often reminders are checked and old messages purged, in seconds.
    public var maintenanceIntervalSeconds = 60

    public init() {}

    public var retryPolicy: RetryPolicy {
        RetryPolicy(
            schedule: retrySchedule,
            jitter: retryJitter,
            retryAfterBounds: retryAfterMinSeconds...max(retryAfterMinSeconds, retryAfterMaxSeconds)
        )
    }
}

extension WebhookSettings {
    /// A duration written `30s`, `5m`, `2h`, `1d` or as plain seconds, in seconds.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let last = trimmed.last, let unit = units[last], let value = Double(trimmed.dropLast()), value.isFinite, value >= 0 {
            return value * unit
        }
        guard let value = Double(trimmed), value.isFinite, value >= 0 else { return nil }
        return value
    }

    /// `seconds` written back in the largest unit that divides it.
    public static func text(seconds: Double) -> String {
        for (unit, size) in [("d", 86400.0), ("h", 3600), ("m", 60)] where seconds >= size && seconds.truncatingRemainder(dividingBy: size) == 0 {
            return "\(Int(seconds / size))\(unit)"
        }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}
