import ChanxiaoCore

/// What an organizer asks for: a plan of `weeks` weeks from `fromWeek` at a venue.
public struct RotationRequest: Sendable, Equatable {
    /// A slot fixed by the organizer: kept as given, or the request is refused.
    public struct Pin: Sendable, Equatable {
        public var week: IsoWeek
        public var countyCode: String
        public var productID: String

        public init(week: IsoWeek, countyCode: String, productID: String) {
            self.week = week
            self.countyCode = countyCode
            self.productID = productID
        }
    }

    public static let maxWeeks = 104

    public var venue: Venue
    public var fromWeek: IsoWeek
    public var weeks: Int
    /// The counties to rotate through; nil means every county of an eligible poverty status.
    public var countyCodes: [String]?
    public var pinned: [Pin]
    public var blackoutWeeks: [IsoWeek]

    public init(
        venue: Venue,
        fromWeek: IsoWeek,
        weeks: Int,
        countyCodes: [String]? = nil,
        pinned: [Pin] = [],
        blackoutWeeks: [IsoWeek] = []
    ) {
        self.venue = venue
        self.fromWeek = fromWeek
        self.weeks = weeks
        self.countyCodes = countyCodes
        self.pinned = pinned
        self.blackoutWeeks = blackoutWeeks
    }

    /// The weeks of the plan, in order.
    public var planWeeks: [IsoWeek] { (0..<weeks).map { fromWeek.adding(weeks: $0) } }
}

/// The catalog as rotation planning reads it.
public struct RotationCatalog: Sendable {
    public var counties: [String: County]
    public var suppliers: [String: Supplier]
    /// Each county's products, in id order.
    public var productsByCounty: [String: [Product]]
    public var products: [String: Product]

    public init(counties: [County], suppliers: [Supplier], products: [Product]) {
        self.counties = Dictionary(counties.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.suppliers = Dictionary(suppliers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.products = Dictionary(products.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.productsByCounty = Dictionary(grouping: products.sorted { $0.id < $1.id }, by: \.countyCode)
    }
}

/// The county and product of one featured week.
public struct FeaturedChoice: Sendable, Hashable {
    public var countyCode: String
    public var productID: String

    public init(countyCode: String, productID: String) {
        self.countyCode = countyCode
        self.productID = productID
    }
}

/// What planning knows beyond the catalog: the official slots it should keep where it can, and
/// the products that sell slowly.
public struct RotationState: Sendable {
    /// The venue's published slots, by week.
    public var published: [IsoWeek: FeaturedChoice]
    public var slowMoving: Set<String>

    public init(published: [IsoWeek: FeaturedChoice] = [:], slowMoving: Set<String> = []) {
        self.published = published
        self.slowMoving = slowMoving
    }
}

/// The soft terms of a rotation, each reported. Points: lower is better; rewards are negative.
public enum RotationTerm: String, Sendable, CaseIterable {
    /// Deep-poverty and paired counties, the earlier the better.
    case priority
    /// The same category in two consecutive weeks.
    case categoryRepeat = "category_repeat"
    case slowMoving = "slow_moving"
    case keepPublished = "keep_published"
}

public struct RotationSlot: Sendable, Equatable {
    public var week: IsoWeek
    public var countyCode: String
    public var productID: String
    public var category: ProductCategory
    public var pinned: Bool
    /// Why this county and product were chosen, in words.
    public var reasons: [String]
    /// This slot's points per term (a category repeat is counted on the later week).
    public var points: [RotationTerm: Double]

    public var choice: FeaturedChoice { FeaturedChoice(countyCode: countyCode, productID: productID) }
}

public struct UnplacedCounty: Sendable, Equatable {
    public var countyCode: String
    public var reason: String
}

/// A proposed rotation with its explanation.
public struct RotationPlan: Sendable, Equatable {
    public var slots: [RotationSlot]
    public var unplaced: [UnplacedCounty]
    public var blackoutWeeks: [IsoWeek]
    /// A county appears at most once in each run of this many weeks.
    public var cycleLength: Int
    public var candidateCount: Int
    /// Points per term over the whole plan.
    public var score: [RotationTerm: Double]
    public var total: Double
    /// No plan can score below this: the optimum without the sequence term, which is never negative.
    public var bound: Double
    /// Whether the plan is proven optimal (total equals the bound).
    public var optimal: Bool { total <= bound }
}
