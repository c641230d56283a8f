import ChanxiaoCore

/// The catalog as matching sees it: plain values, no storage.
public struct MatchingCatalog: Sendable {
    public var counties: [County]
    public var suppliers: [Supplier]
    public var products: [Product]
    public var buyers: [Buyer]
    public var demands: [Demand]

    public init(counties: [County], suppliers: [Supplier], products: [Product], buyers: [Buyer], demands: [Demand]) {
        self.counties = counties
        self.suppliers = suppliers
        self.products = products
        self.buyers = buyers
        self.demands = demands
    }
}

/// A demand and a product.
public struct DemandProduct: Sendable, Hashable {
    public var demandID: String
    public var productID: String

    public init(demandID: String, productID: String) {
        self.demandID = demandID
        self.productID = productID
    }
}

/// What earlier decisions fix for the matched week.
public struct WeekState: Sendable {
    /// Volume accepted for this week: it holds product capacity and covers demand.
    public var heldByProduct: [String: Int]
    public var heldByDemand: [String: Int]
    /// Pairs the buyer declined this week; they are not proposed again.
    public var declined: Set<DemandProduct>
    /// Volume accepted per product over the `slow_moving.weeks` weeks before this one.
    public var recentVolumeByProduct: [String: Int]
    /// How many of those weeks matching ran in. Slow movement is judged over these only: with
    /// no history, no product is slow-moving.
    public var observedWeeks: Int

    public init(
        heldByProduct: [String: Int] = [:],
        heldByDemand: [String: Int] = [:],
        declined: Set<DemandProduct> = [],
        recentVolumeByProduct: [String: Int] = [:],
        observedWeeks: Int = 4
    ) {
        self.heldByProduct = heldByProduct
        self.heldByDemand = heldByDemand
        self.declined = declined
        self.recentVolumeByProduct = recentVolumeByProduct
        self.observedWeeks = observedWeeks
    }
}
