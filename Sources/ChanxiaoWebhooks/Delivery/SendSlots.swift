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
///   many, would leave none free, even while they have nothing due: a fast endpoint is idle
///   between bursts, and a slot must still be there when its next event comes.
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

    /// The most one endpoint may hold when `endpoints` share `slots`: so many that the others,
    /// each holding as many, would still leave one free.
    public static func fairShare(slots: Int, endpoints: Int) -> Int {
        endpoints <= 1 ? max(1, slots) : max(1, (slots - 1) / (endpoints - 1))
    }

    /// What each claimant may have in flight: one if failing, else its own bound within its fair
    /// share of the slots that failing endpoints do not hold or claim.
    public static func caps(_ claimants: [Claimant], concurrency: Int, failingInFlight: Int, active: Int) -> [Int] {
        let failing = claimants.filter(\.failing)
        let reserved = min(failingBudget(concurrency: concurrency), failingInFlight + failing.filter { $0.inFlight == 0 }.count)
        let fair = fairShare(slots: concurrency - reserved, endpoints: max(active, claimants.count) - failing.count)
        return claimants.map { $0.failing ? min($0.limit, 1) : min($0.limit, fair) }
    }

    /// Slots for each claimant given any, as (index into `claimants`, slots), in index order.
    /// - Parameters:
    ///   - concurrency: the bound on sends in flight across all endpoints.
    ///   - inFlight: sends in flight now, across all endpoints.
    ///   - failingInFlight: those of them started for an endpoint that was failing.
    ///   - active: the endpoints active now: the claimants, those with sends in flight and those
    ///     served lately (the caller says how lately); never fewer than the claimants.
    public static func share(_ claimants: [Claimant], concurrency: Int, inFlight: Int, failingInFlight: Int,
                             active: Int) -> [(index: Int, slots: Int)] {
        let caps = caps(claimants, concurrency: concurrency, failingInFlight: failingInFlight, active: active)
        var free = concurrency - inFlight
        var failingFree = failingBudget(concurrency: concurrency) - failingInFlight
        var granted = Array(repeating: 0, count: claimants.count)
        // The round of each claimant's latest grant in this call: later than any earlier service.
        var grantedAt: [Int?] = Array(repeating: nil, count: claimants.count)
        var round = 0
        /// Fewer in flight first; then served longest ago (never before any time, any time
        /// before a grant in this call); then listed first.
        func precedes(_ a: Int, _ b: Int) -> Bool {
            let loadA = claimants[a].inFlight + granted[a], loadB = claimants[b].inFlight + granted[b]
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
                guard let current = best else { best = index; continue }
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
