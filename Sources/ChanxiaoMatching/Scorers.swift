import ChanxiaoCore

/// The preferences, each a named term of the effective unit cost. Costs are kept in
/// hundredths of a fen so that a 5% discount on a cheap product is not rounded away.
public enum ScoreTerm: String, Sendable, CaseIterable, Codable {
    case price
    case paired
    case deepPoverty = "deep_poverty"
    case slowMoving = "slow_moving"
    case spread
}

/// Hundredths of a fen per fen.
public let costUnitsPerFen = 100

/// The per-unit cost of one product for one buyer, term by term, in hundredths of a fen.
public struct CostBreakdown: Sendable, Equatable {
    public var price = 0
    public var paired = 0
    public var deepPoverty = 0
    public var slowMoving = 0
    public var spread = 0

    public init(price: Int = 0, paired: Int = 0, deepPoverty: Int = 0, slowMoving: Int = 0, spread: Int = 0) {
        self.price = price
        self.paired = paired
        self.deepPoverty = deepPoverty
        self.slowMoving = slowMoving
        self.spread = spread
    }

    public var total: Int { price + paired + deepPoverty + slowMoving + spread }

    public subscript(term: ScoreTerm) -> Int {
        switch term {
        case .price: price
        case .paired: paired
        case .deepPoverty: deepPoverty
        case .slowMoving: slowMoving
        case .spread: spread
        }
    }
}

/// Turns settings into costs. Pure: the same product, buyer and settings give the same cost.
struct CostModel {
    let settings: MatchingSettings

    func share(_ share: Double, of priceFen: Int) -> Int {
        Int((share * Double(priceFen) * Double(costUnitsPerFen)).rounded())
    }

    /// The terms that do not depend on the buyer.
    func base(_ facts: ProductFacts, slowMoving: Bool) -> CostBreakdown {
        let price = facts.product.unitPriceFen
        var cost = CostBreakdown()
        if settings.price.enabled { cost.price = share(settings.price.share, of: price) }
        if settings.deepPoverty.enabled, facts.county.povertyStatus == .deep {
            cost.deepPoverty = -share(settings.deepPoverty.share, of: price)
        }
        if settings.slowMoving.enabled, slowMoving { cost.slowMoving = -share(settings.slowMoving.share, of: price) }
        return cost
    }

    /// The pairing discount for a product of a county paired with the buyer's region.
    func paired(_ facts: ProductFacts) -> Int {
        settings.paired.enabled ? -share(settings.paired.share, of: facts.product.unitPriceFen) : 0
    }

    /// Whether accepted volume over the observed recent weeks stayed below the configured share
    /// of the capacity over them.
    func isSlowMoving(_ product: Product, recentVolume: Int, observedWeeks: Int) -> Bool {
        settings.slowMoving.isSlowMoving(weeklyCapacity: product.weeklyCapacity, recentVolume: recentVolume, observedWeeks: observedWeeks)
    }

    /// The spread tiers for a county within a group whose demand totals `groupVolume`:
    /// (capacity, cost per unit) pairs with rising costs, the last one unbounded.
    func spreadTiers(groupVolume: Int, referencePriceFen: Int) -> [(capacity: Int, cost: Int)] {
        let spread = settings.spread
        guard spread.enabled else { return [(FlowNetwork.unbounded, 0)] }
        let free = Int(spread.firstShare * Double(groupVolume))
        let middle = max(0, Int(spread.secondShare * Double(groupVolume)) - free)
        return [
            (free, 0), (middle, share(spread.firstSurcharge, of: referencePriceFen)),
            (FlowNetwork.unbounded, share(spread.secondSurcharge, of: referencePriceFen)),
        ]
    }
}
