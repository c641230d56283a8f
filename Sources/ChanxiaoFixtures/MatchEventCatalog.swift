import ChanxiaoCore
import ChanxiaoStore
import Foundation

/// The smallest catalog that match events can be made from: one county, supplier, product,
/// buyer and demand, with capacity and volume for a hundred thousand kilograms a week. The
/// delivery tests and the faults benchmark commit proposals of `productID` to `demandID`.
public enum MatchEventCatalog {
    public static let countyCode = "433125"
    public static let supplierID = "sup-tea"
    public static let productID = "prd-tea"
    public static let buyerID = "buy-canteen"
    public static let demandID = "dem-tea"

    public static func seed(_ database: AppDatabase, actor: String, now: Date) async throws {
        let context = WriteContext(actor: actor, role: .admin, now: now)
        try await database.create(County(code: countyCode, name: "保靖县", city: "湘西土家族苗族自治州", povertyStatus: .deep, createdAt: now, updatedAt: now),
                                  context: context)
        try await database.create(Supplier(id: supplierID, name: "保靖黄金茶合作社", countyCode: countyCode, kind: .cooperative, createdAt: now, updatedAt: now),
                                  context: context)
        try await database.create(Product(id: productID, supplierID: supplierID, name: "保靖黄金茶", category: .tea, unit: .kg,
                                          unitPriceFen: 30000, weeklyCapacity: 100_000, createdAt: now, updatedAt: now), context: context)
        try await database.create(Buyer(id: buyerID, name: "市委机关食堂", kind: .canteen, regionCode: "430102", createdAt: now, updatedAt: now),
                                  context: context)
        try await database.create(Demand(id: demandID, buyerID: buyerID, category: .tea, unit: .kg, weeklyVolume: 100_000, maxUnitPriceFen: 50000,
                                         startsOn: CalendarDate(year: 2020, month: 1, day: 1)!, createdAt: now, updatedAt: now), context: context)
    }
}
