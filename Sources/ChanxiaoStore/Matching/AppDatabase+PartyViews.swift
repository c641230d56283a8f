import ChanxiaoCore
import Foundation
import GRDB

/// What a buyer could be offered in a week: its demands and the products of their categories
/// and units, with what the rules look at. Nothing of other buyers but the capacity their
/// accepted matches hold.
public struct OfferCandidates: Sendable {
    public var buyer: Buyer
    public var demands: [Demand]
    public var products: [Product]
    public var suppliers: [String: Supplier]
    public var counties: [String: County]
    /// Capacity held by accepted matches of the week, per product.
    public var held: [String: Int]
    /// Volume already accepted per demand of the week.
    public var heldByDemand: [String: Int]
    /// `demand id|product id` pairs the buyer declined this week.
    public var declined: Set<String>
}

/// Demand in aggregate, as suppliers plan with it: per category, unit, province and week,
/// without who wants it.
public struct DemandAggregate: Sendable, Equatable {
    public var category: ProductCategory
    public var unit: MeasureUnit
    /// The buyers' province (GB/T 2260, `440000`).
    public var regionCode: String
    public var week: IsoWeek
    public var demands: Int
    public var weeklyVolume: Int
    public var minPriceCeilingFen: Int
    public var maxPriceCeilingFen: Int
    public var coldChainVolume: Int
}

extension AppDatabase {
    /// The buyer's demands running in `week` and every product of their categories and units;
    /// nil when there is no such buyer.
    public func offerCandidates(buyerID: String, week: IsoWeek) async throws -> OfferCandidates? {
        try await read { db in
            guard let buyer = try Stored<Buyer>.fetchOne(db, key: buyerID)?.entity else { return nil }
            let demands = try Stored<Demand>.fetchAll(db, sql: "SELECT * FROM demand WHERE buyer_id = ? ORDER BY id", arguments: [buyerID])
                .map(\.entity).filter { $0.isActive(in: week) }
            var products: [Product] = []
            for key in Set(demands.map { [$0.category.rawValue, $0.unit.rawValue] }) {
                products += try Stored<Product>.fetchAll(
                    db,
                    sql: "SELECT * FROM product WHERE category = ? AND unit = ?",
                    arguments: StatementArguments(key)
                ).map(\.entity)
            }
            let (_, suppliers) = try Self.productsAndSuppliers(db, ids: products.map(\.id))
            let codes = Array(Set(products.map(\.countyCode)))
            let counties =
                codes.isEmpty
                ? []
                : try Stored<County>.fetchAll(db, sql: "SELECT * FROM county WHERE code IN \(codes.sqlList)", arguments: StatementArguments(codes))
                    .map(\.entity)
            let decisions = try Self.weekDecisions(week, recentWeeks: 0, db: db)
            return OfferCandidates(
                buyer: buyer,
                demands: demands,
                products: products.sorted { $0.id < $1.id },
                suppliers: suppliers,
                counties: Dictionary(counties.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }),
                held: decisions.heldByProduct,
                heldByDemand: decisions.heldByDemand,
                declined: Set(decisions.declined.map { $0.demandID + "|" + $0.productID })
            )
        }
    }

    /// The unmet entries of the buyer's demands in the week's latest stored run, and that run;
    /// nil when matching has not run for the week.
    public func unmetEntries(buyerID: String, week: IsoWeek) async throws -> (run: MatchRun, entries: [JSONValue])? {
        guard let run = try await matchRuns(week: week, limit: 1, beforeID: nil).items.first else { return nil }
        let entries = run.unmet.array?.filter { $0.objectValue?["buyer_id"] == .string(buyerID) } ?? []
        return (run, entries)
    }

    /// Demands running in `week`, summed per category, unit and the buyers' province; only the
    /// given categories when `categories` is not nil.
    public func demandAggregates(week: IsoWeek, categories: Set<ProductCategory>?) async throws -> [DemandAggregate] {
        try await read { db in
            let regions: [String: String] = Dictionary(
                try Row.fetchAll(db, sql: "SELECT id, region_code FROM buyer").map { ($0["id"], $0["region_code"]) },
                uniquingKeysWith: { a, _ in a }
            )
            var groups: [String: DemandAggregate] = [:]
            for demand in try Self.all(Demand.self, db: db) where demand.isActive(in: week) {
                if let categories, !categories.contains(demand.category) { continue }
                let province = String((regions[demand.buyerID] ?? "000000").prefix(2)) + "0000"
                let key = "\(demand.category.rawValue)|\(demand.unit.rawValue)|\(province)"
                var group =
                    groups[key]
                    ?? DemandAggregate(
                        category: demand.category,
                        unit: demand.unit,
                        regionCode: province,
                        week: week,
                        demands: 0,
                        weeklyVolume: 0,
                        minPriceCeilingFen: demand.maxUnitPriceFen,
                        maxPriceCeilingFen: demand.maxUnitPriceFen,
                        coldChainVolume: 0
                    )
                group.demands += 1
                // Saturating: a stored volume beyond today's range must not trap the sum.
                group.weeklyVolume = Self.saturatingSum(group.weeklyVolume, demand.weeklyVolume)
                group.minPriceCeilingFen = min(group.minPriceCeilingFen, demand.maxUnitPriceFen)
                group.maxPriceCeilingFen = max(group.maxPriceCeilingFen, demand.maxUnitPriceFen)
                if demand.coldChain { group.coldChainVolume = Self.saturatingSum(group.coldChainVolume, demand.weeklyVolume) }
                groups[key] = group
            }
            return groups.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? Int.max : Int.min) : sum
    }

    /// The categories a supplier sells in.
    public func categories(ofSupplier supplierID: String) async throws -> Set<ProductCategory> {
        try await read { db in
            Set(
                try String.fetchAll(db, sql: "SELECT DISTINCT category FROM product WHERE supplier_id = ?", arguments: [supplierID])
                    .compactMap(ProductCategory.init(rawValue:))
            )
        }
    }
}
