import Foundation
import Synchronization

/// Backoff per client address after repeated failed authentications: the failure that reaches
/// `failure_limit` within `failure_window_seconds` is answered 429 with `Retry-After:
/// backoff_seconds`, and so is every failing request until that has passed, each doubling the
/// wait, up to `backoff_max_seconds`. Only failures count and only failures are refused: a request with a
/// good token is served whoever shares its address (a NAT, a proxy). A token has 256 bits, so
/// this is not what keeps them from being guessed: it slows a misconfigured or scanning client
/// that honours `Retry-After`, and makes it visible (`chanxiao_auth_failures_total`).
final class AuthBackoff: Sendable {
    struct Settings: Sendable, Equatable {
        var failureLimit: Int
        var windowSeconds: Double
        var backoffSeconds: Double
        var backoffMaxSeconds: Double
    }

    private struct Entry {
        var windowStart: Date
        var failures: Int
        var blockedUntil: Date?
        var backoff: Double
    }

    /// Addresses remembered at most; beyond, the oldest quiet ones are forgotten first.
    static let capacity = 10_000

    private let entries = Mutex<[String: Entry]>([:])

    /// Records a failure from `address` at `now`: the seconds it must wait when it is backing
    /// off (answer 429), or nil (answer 401).
    func recordFailure(from address: String, at now: Date, settings: Settings) -> Int? {
        guard settings.failureLimit > 0 else { return nil }
        return entries.withLock { entries in
            var entry = entries[address] ?? Entry(windowStart: now, failures: 0, blockedUntil: nil, backoff: 0)
            defer { entries[address] = entry }
            if let until = entry.blockedUntil, until > now {
                entry.backoff = min(settings.backoffMaxSeconds, max(settings.backoffSeconds, entry.backoff * 2))
                entry.blockedUntil = now.addingTimeInterval(entry.backoff)
                return Int(entry.backoff.rounded(.up))
            }
            if now.timeIntervalSince(entry.windowStart) > settings.windowSeconds {
                entry = Entry(windowStart: now, failures: 0, blockedUntil: nil, backoff: 0)
            }
            entry.failures += 1
            if entries.count >= Self.capacity { Self.forgetQuiet(&entries, now: now, settings: settings) }
            guard entry.failures >= settings.failureLimit else { return nil }
            entry.backoff = min(settings.backoffSeconds, settings.backoffMaxSeconds)
            entry.blockedUntil = now.addingTimeInterval(entry.backoff)
            entry.failures = 0
            entry.windowStart = now
            return Int(entry.backoff.rounded(.up))
        }
    }

    /// Drops addresses whose window and backoff have both passed. When that leaves the map
    /// crowded, keeps the addresses backing off and, of the others, those heard from last, down to
    /// half: a sweep then buys room for many new addresses, so its cost is shared among them.
    private static func forgetQuiet(_ entries: inout [String: Entry], now: Date, settings: Settings) {
        func backingOff(_ entry: Entry) -> Bool { entry.blockedUntil.map { $0 > now } ?? false }
        entries = entries.filter { _, entry in backingOff(entry) || now.timeIntervalSince(entry.windowStart) <= settings.windowSeconds }
        guard entries.count >= capacity * 3 / 4 else { return }
        let byRecency = entries.sorted { $0.value.windowStart > $1.value.windowStart }
        let blocked = byRecency.filter { backingOff($0.value) }.prefix(capacity / 2)
        let others = byRecency.filter { !backingOff($0.value) }.prefix(max(0, capacity / 2 - blocked.count))
        entries = Dictionary(uniqueKeysWithValues: (blocked + others).map { ($0.key, $0.value) })
    }

    var count: Int { entries.withLock { $0.count } }
}
