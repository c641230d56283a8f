import ChanxiaoCore

/// One proposed supply: a volume of one product for one demand, with its cost explained.
public struct MatchAllocation: Sendable, Equatable {
    public var demandID: String
    public var buyerID: String
    public var productID: String
    public var supplierID: String
    public var countyCode: String
    public var category: ProductCategory
    public var unit: MeasureUnit
    public var volume: Int
    public var unitPriceFen: Int
    /// The effective cost per unit, term by term, in hundredths of a fen.
    public var cost: CostBreakdown
}

/// A demand that was not fully met, and why.
public struct DemandOutcome: Sendable, Equatable {
    public var demandID: String
    public var buyerID: String
    public var category: ProductCategory
    public var unit: MeasureUnit
    /// The demand's weekly volume.
    public var weeklyVolume: Int
    /// Volume accepted before this run (held for this week).
    public var held: Int
    public var matched: Int
    public var unmet: Int
    /// Products that pass every filter for this demand.
    public var candidates: Int
    /// How many products each filter removed, in filter order (only filters that removed some).
    public var removed: [MatchFilter: Int]
    public var reason: UnmetReason
}

public struct MatchStats: Sendable, Equatable {
    /// Demands active in the week with volume left to match.
    public var demands = 0
    /// Their volume still to match.
    public var demandVolume = 0
    /// Volume accepted before the run, which the run left in place.
    public var heldVolume = 0
    public var matchedVolume = 0
    public var unmetVolume = 0
    /// The optimum the allocator found: Σ flow × cost over the solved networks (spread tiers
    /// included), in hundredths of a fen. DIMACS exports of the networks have this optimum.
    public var totalCost = Int128(0)
    /// Σ volume × effective unit cost of the proposals, in hundredths of a fen. Equal to the
    /// optimum but for rounding of the spread shared out per unit, and for anything dropped in
    /// the last repair round.
    public var proposedCost = Int128(0)
    /// Volume the first solve matched that `max_suppliers_per_category` then took away.
    public var volumeLostToSupplierCap = 0
    /// Re-solves after the first, to honour minimum orders and supplier caps.
    public var repairRounds = 0
    /// Categories × units solved, and the size of their networks.
    public var groups = 0
    public var nodes = 0
    public var arcs = 0

    public init() {}
}

/// Where the time went, summed over groups (which run in parallel, so the sum can exceed the
/// wall time). For benchmarks; no part of the result depends on it.
public struct MatchTimings: Sendable {
    public var prepare = Duration.zero
    public var buildNetworks = Duration.zero
    public var maxFlow = Duration.zero
    public var simplex = Duration.zero
    public var decompose = Duration.zero
    public var total = Duration.zero
    /// One line per repair round: what it found and how many groups it solved again.
    public var repairLog: [String] = []

    public init() {}

    mutating func add(_ other: MatchTimings) {
        buildNetworks += other.buildNetworks
        maxFlow += other.maxFlow
        simplex += other.simplex
        decompose += other.decompose
    }
}

public struct MatchResult: Sendable {
    public var week: IsoWeek
    public var timings = MatchTimings()
    public var allocations: [MatchAllocation]
    public var unmet: [DemandOutcome]
    public var stats: MatchStats
    /// The flow problems of the last round, one per group, as solved (for DIMACS export).
    public var networks: [FlowNetwork]
}
