import ChanxiaoCore

/// The hard rules, in the order they are applied. Each removes candidates (demand × product
/// pairs) and reports how many it removed per demand. Product rules do not depend on the
/// demand; pair rules do.
public enum MatchFilter: String, Sendable, CaseIterable, Codable {
    /// Same category and unit as the demand.
    case categoryUnit = "category_unit"
    /// A certified poverty product on the week's Monday (certificate number and `certified_until`).
    case certified
    /// The supplier is not on the blacklist (seed 000 §八(五)).
    case supplierBlacklisted = "supplier_blacklisted"
    /// The county's poverty status is one of `matching.eligible_statuses`.
    case countyEligible = "county_eligible"
    /// The week's Monday falls in one of the product's `season_months`.
    case inSeason = "in_season"
    /// Accepted matches do not already take all of the product's weekly capacity.
    case capacityHeld = "capacity_held"
    /// The price is at most the demand's `max_unit_price_fen`.
    case priceCeiling = "price_ceiling"
    /// A cold-chain demand needs a cold-chain product.
    case coldChain = "cold_chain"
    /// The product's `min_order` is at most the demand's (remaining) volume.
    case minOrder = "min_order"
    /// The buyer declined this product for this demand this week.
    case declined

    /// The rules that look at the product alone.
    static let productRules: [MatchFilter] = [.certified, .supplierBlacklisted, .countyEligible, .inSeason, .capacityHeld]
}

/// Why part of a demand was not matched.
public enum UnmetReason: String, Sendable, Codable {
    /// No product passes every filter (see the counts per filter).
    case noCandidates = "no_candidates"
    /// There are candidates, but their capacity went to other demands (the allocation is
    /// optimal for all buyers together).
    case capacityTakenByOthers = "capacity_taken_by_others"
    /// The buyer's `max_suppliers_per_category` limited it to suppliers without enough capacity.
    case supplierCap = "supplier_cap"
    /// What remains is below the minimum order of the candidates that have capacity left.
    case minOrder = "min_order"
}

/// The product-level verdict: the first rule a product fails, if any.
struct ProductFacts {
    var product: Product
    var supplier: Supplier
    var county: County
    var remainingCapacity: Int
    var failedRule: MatchFilter?
}

extension ProductFacts {
    static func evaluate(
        _ product: Product,
        supplier: Supplier,
        county: County,
        week: IsoWeek,
        held: Int,
        settings: MatchingSettings
    ) -> ProductFacts {
        let monday = week.monday
        // Records stored before today's ranges (`Quantity`) may exceed them: a capacity beyond the
        // range counts as the range's top, and a price beyond it is above every demand's ceiling.
        // That keeps every cost and flow the solvers see within the ranges' bounds.
        let remaining = min(product.weeklyCapacity, Quantity.volume.upperBound) - held
        let failed: MatchFilter? =
            !product.isCertified(on: monday)
            ? .certified
            : supplier.blacklisted
                ? .supplierBlacklisted
                : !settings.eligibleStatuses.contains(county.povertyStatus)
                    ? .countyEligible
                    : !product.isInSeason(month: monday.month)
                        ? .inSeason
                        : remaining <= 0
                            ? .capacityHeld
                            : product.unitPriceFen > Quantity.unitPriceFen.upperBound
                                ? .priceCeiling
                                : nil
        return ProductFacts(product: product, supplier: supplier, county: county, remainingCapacity: max(0, remaining), failedRule: failed)
    }
}

extension MatchFilter {
    /// The first pair rule a product breaks for a demand with `remaining` volume to fill, if any
    /// (the product rules are `ProductFacts.evaluate`'s; `declined` is the matcher's to add).
    static func pairFailure(_ product: Product, demand: Demand, remaining: Int) -> MatchFilter? {
        product.unitPriceFen > demand.maxUnitPriceFen
            ? .priceCeiling
            : (demand.coldChain && !product.coldChain)
                ? .coldChain
                : product.minOrder > remaining
                    ? .minOrder
                    : nil
    }

    /// The first rule that keeps `product` from being proposed for `demand` in `week` (given
    /// `held` of its capacity already accepted, `remaining` of the demand still open, and whether
    /// the buyer declined it this week), or nil when matching could propose it: what a buyer's
    /// list of offerable products is filtered by, so that it says what matching does.
    public static func firstFailure(
        _ product: Product,
        supplier: Supplier,
        county: County,
        demand: Demand,
        remaining: Int,
        declined: Bool,
        week: IsoWeek,
        held: Int,
        settings: MatchingSettings
    ) -> MatchFilter? {
        guard product.category == demand.category, product.unit == demand.unit else { return .categoryUnit }
        let facts = ProductFacts.evaluate(product, supplier: supplier, county: county, week: week, held: held, settings: settings)
        return facts.failedRule ?? pairFailure(product, demand: demand, remaining: remaining) ?? (declined ? .declined : nil)
    }
}
