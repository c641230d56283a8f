import ChanxiaoCore
import ChanxiaoStore
import Foundation

/// The smallest catalog that match events can be made from: one county, supplier, product,
/// buyer and demand, with capacity and volume for a hundred thousand kilograms a week. The
/// delivery tests and the faults benchmark commit runs of proposals of `productID` to
/// `demandID`, each proposal a `match.proposed` event.
public enum MatchEventCatalog {
    /// The week the runs are for.
    public static let week = IsoWeek(year: 2020, week: 37)!
    public static let countyCode = "433125"
    public static let supplierID = "sup-tea"
    public static let productID = "prd-tea"
    public static let buyerID = "buy-canteen"
    public static let demandID = "dem-tea"

    public static func seed(_ database: AppDatabase, actor: String, now: Date) async throws {
        let context = WriteContext(actor: actor, role: .admin, now: now)
        try await database.create(
            County(code: countyCode, name: "保靖县", city: "湘西土家族苗族自治州", povertyStatus: .deep, createdAt: now, updatedAt: now),
            context: context
        )
        try await database.create(
            Supplier(id: supplierID, name: "保靖黄金茶合作社", countyCode: countyCode, kind: .cooperative, createdAt: now, updatedAt: now),
            context: context
        )
        try await database.create(
            Product(
                id: productID,
                supplierID: supplierID,
                name: "保靖黄金茶",
                category: .tea,
                unit: .kg,
                unitPriceFen: 30000,
                weeklyCapacity: 100_000,
                createdAt: now,
                updatedAt: now
            ),
            context: context
        )
        try await database.create(
            Buyer(id: buyerID, name: "市委机关食堂", kind: .canteen, regionCode: "430102", createdAt: now, updatedAt: now),
            context: context
        )
        try await database.create(
            Demand(
                id: demandID,
                buyerID: buyerID,
                category: .tea,
                unit: .kg,
                weeklyVolume: 100_000,
                maxUnitPriceFen: 50000,
                startsOn: CalendarDate(year: 2020, month: 1, day: 1)!,
                createdAt: now,
                updatedAt: now
            ),
            context: context
        )
    }

    /// Commits a match run `run` of `count` proposals (ids `<run>-m0`, `<run>-m1`, …), as
    /// `context`'s actor, with the run's trigger and actor as given.
    public static func commitRun(
        _ database: AppDatabase,
        run: String,
        count: Int,
        trigger: String,
        actor: String,
        context: WriteContext
    ) async throws {
        let now = context.now
        let matches = (0..<count).map { n in
            Match(
                id: "\(run)-m\(n)",
                runID: run,
                week: week,
                demandID: demandID,
                buyerID: buyerID,
                productID: productID,
                supplierID: supplierID,
                countyCode: countyCode,
                volume: 10 + n,
                unitPriceFen: 30000,
                unitCost: 3_000_000,
                costBreakdown: [("price", 3_000_000)],
                proposedAt: now,
                expiresAt: now.addingTimeInterval(72 * 3600)
            )
        }
        let version = try await database.weekDecisions(week, recentWeeks: 1).version
        try await database.recordRun(
            MatchRun(
                id: run,
                week: week,
                trigger: trigger,
                actor: actor,
                configHash: String(repeating: "0", count: 64),
                startedAt: now,
                durationMilliseconds: 0,
                proposals: count,
                stats: .object([:]),
                unmet: .array([])
            ),
            matches: matches,
            basedOn: version,
            context: context
        )
    }
}
