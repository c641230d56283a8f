/// How one poll of the outbox shares the free send slots among the endpoints with deliveries
/// due. Pure: the delivery service passes what is in flight and when each endpoint was last
/// served.
///
/// Three rules keep a dead receiver from holding up live ones (head-of-line blocking), since a
/// send to it holds its slot for the whole timeout:
/// - Each slot goes to the endpoint with the fewest sends in flight, ties to the one served
///   longest ago, then to the one listed first (max-min fairness). A slot that a fast endpoint
///   frees goes back to it while slow ones hold more than it does.
/// - No endpoint holds so many slots that the other endpoints active now, each holding as
///   many (or its own limit if lower), would leave none free, even while they have nothing
///   due: a fast endpoint is idle between bursts, and a slot must still be there when its
///   next event comes.
/// - An endpoint whose last attempt failed gets one send at a time, and such endpoints together
///   hold at most half the slots (at least one): however many receivers are down, the other
///   half is left for those that answer.
public enum SendSlots {
    /// An endpoint with deliveries due.
    public struct Claimant: Sendable, Equatable {
        public var id: String
        /// Its sends in flight now.
        public var inFlight: Int
        /// The most it may have in flight: the per-endpoint bound, 1 for a chat robot.
        public var limit: Int
        /// Its last attempt failed (`failing_since` is set).
        public var failing: Bool
        /// When it was last given a slot (seconds on a monotonic clock); nil if never.
        public var lastServed: Double?

        public init(id: String, inFlight: Int, limit: Int, failing: Bool, lastServed: Double?) {
            self.id = id
            self.inFlight = inFlight
            self.limit = limit
            self.failing = failing
            self.lastServed = lastServed
        }
    }

    /// The most sends that failing endpoints may have in flight together.
    public static func failingBudget(concurrency: Int) -> Int {
        max(1, concurrency / 2)
    }

    /// An active endpoint with nothing due now (served lately, or with sends in flight): it
    /// makes no claim, but the slot it may need when its next event comes is kept.
    public struct Idle: Sendable, Equatable {
        public var limit: Int
        public var failing: Bool

        public init(limit: Int, failing: Bool) {
            self.limit = limit
            self.failing = failing
        }
    }

    /// The most one endpoint that is not failing may hold: the largest share such that, were
    /// every active endpoint to hold as much (or its own limit if lower, and failing endpoints
    /// one each within their half), the others would still leave any one of them a slot.
    /// At least 1.
    /// - Parameters:
    ///   - limits: the limits of the active endpoints that are not failing.
    ///   - failing: how many active endpoints are failing.
    public static func fairShare(concurrency: Int, limits: [Int], failing: Int) -> Int {
        let failingHeld = min(failingBudget(concurrency: concurrency), failing)
        // Whether, with every endpoint at `share`, the others leave the smallest one a slot.
        func fits(_ share: Int) -> Bool {
            var total = failingHeld
            var least = failingHeld > 0 ? 1 : Int.max
            for limit in limits {
                let held = min(limit, share)
                total += held
                least = min(least, held)
            }
            return total - (least == Int.max ? 0 : least) <= concurrency - 1
        }
        // `fits` only gets harder as the share grows: the largest share that fits, by bisection.
        var low = 1
        var high = max(1, limits.max() ?? 1)
        while low < high {
            let middle = (low + high + 1) / 2
            if fits(middle) { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// What each claimant may have in flight: one if failing, else its own limit within the
    /// fair share among all active endpoints (the claimants and `idle`).
    public static func caps(_ claimants: [Claimant], idle: [Idle], concurrency: Int) -> [Int] {
        let limits = claimants.filter { !$0.failing }.map(\.limit) + idle.filter { !$0.failing }.map(\.limit)
        let failing = claimants.filter(\.failing).count + idle.filter(\.failing).count
        let fair = fairShare(concurrency: concurrency, limits: limits, failing: failing)
        return claimants.map { $0.failing ? min($0.limit, 1) : min($0.limit, fair) }
    }

    /// Slots for each claimant given any, as (index into `claimants`, slots), in index order.
    /// - Parameters:
    ///   - idle: the other active endpoints (nothing due now, but served lately or in flight).
    ///   - concurrency: the bound on sends in flight across all endpoints.
    ///   - inFlight: sends in flight now, across all endpoints.
    ///   - failingInFlight: those of them started for an endpoint that was failing.
    public static func share(
        _ claimants: [Claimant],
        idle: [Idle] = [],
        concurrency: Int,
        inFlight: Int,
        failingInFlight: Int
    ) -> [(index: Int, slots: Int)] {
        let caps = caps(claimants, idle: idle, concurrency: concurrency)
        var free = concurrency - inFlight
        var failingFree = failingBudget(concurrency: concurrency) - failingInFlight
        var granted = Array(repeating: 0, count: claimants.count)
        // The round of each claimant's latest grant in this call: later than any earlier service.
        var grantedAt: [Int?] = Array(repeating: nil, count: claimants.count)
        var round = 0
        /// Fewer in flight first; then served longest ago (never before any time, any time
        /// before a grant in this call); then listed first.
        func precedes(_ a: Int, _ b: Int) -> Bool {
            let loadA = claimants[a].inFlight + granted[a]
            let loadB = claimants[b].inFlight + granted[b]
            if loadA != loadB { return loadA < loadB }
            switch (grantedAt[a], grantedAt[b]) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (.some(let x), .some(let y)): return x < y
            case (nil, nil): break
            }
            switch (claimants[a].lastServed, claimants[b].lastServed) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (.some(let x), .some(let y)) where x != y: return x < y
            default: return a < b
            }
        }
        while free > 0 {
            var best: Int?
            for (index, claimant) in claimants.enumerated() {
                let load = claimant.inFlight + granted[index]
                guard load < caps[index], !claimant.failing || failingFree > 0 else { continue }
                guard let current = best else {
                    best = index
                    continue
                }
                if precedes(index, current) { best = index }
            }
            guard let chosen = best else { break }
            granted[chosen] += 1
            grantedAt[chosen] = round
            round += 1
            free -= 1
            if claimants[chosen].failing { failingFree -= 1 }
        }
        return granted.enumerated().compactMap { $0.element > 0 ? (index: $0.offset, slots: $0.element) : nil }
    }
}
