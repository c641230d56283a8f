import ChanxiaoCore
import ChanxiaoStore
import Foundation

/// A small catalog: two counties, two suppliers, two products, two buyers, one demand, a venue,
/// a livestream host and a fair.
enum Fixtures {
    static let now = Timestamp.date(from: "2020-09-01T02:00:00.000Z")!
    static let context = WriteContext(actor: "tok_test", role: .admin, now: now)
    static let parseContext = ParseContext(now: now, today: CalendarDate("2020-09-01")!)

    static let naPo = County(
        code: "451026",
        name: "那坡县",
        city: "百色市",
        povertyStatus: .deep,
        poorPopulation: 20000,
        pairedRegionCodes: ["440300", "440304"],
        createdAt: now,
        updatedAt: now
    )
    static let dingYuan = County(code: "341125", name: "定远县", city: "滁州市", povertyStatus: .provincial, createdAt: now, updatedAt: now)
    static let coop = Supplier(id: "sup-coop", name: "那坡助农专业合作社", countyCode: "451026", kind: .cooperative, createdAt: now, updatedAt: now)
    static let farm = Supplier(id: "sup-farm", name: "定远家庭农场", countyCode: "341125", kind: .familyFarm, createdAt: now, updatedAt: now)
    static let rice = Product(
        id: "prd-rice",
        supplierID: "sup-coop",
        name: "那坡大米",
        category: .grainOil,
        unit: .kg,
        unitPriceFen: 800,
        weeklyCapacity: 5000,
        certificateNo: "FP1",
        certifiedUntil: CalendarDate("2021-12-31"),
        createdAt: now,
        updatedAt: now
    )
    static let shrimp = Product(
        id: "prd-shrimp",
        supplierID: "sup-farm",
        name: "定远青虾",
        category: .aquatic,
        unit: .kg,
        unitPriceFen: 6800,
        weeklyCapacity: 800,
        seasonMonths: [5, 6, 7],
        coldChain: true,
        createdAt: now,
        updatedAt: now
    )
    static let canteen = Buyer(
        id: "buy-canteen",
        name: "机关食堂",
        kind: .canteen,
        regionCode: "440304",
        network: "shenzhen-1+10",
        createdAt: now,
        updatedAt: now
    )
    static let union = Buyer(
        id: "buy-union",
        name: "总工会",
        kind: .union,
        regionCode: "419001",
        povertyShareTarget: 0.5,
        createdAt: now,
        updatedAt: now
    )
    static let riceDemand = Demand(
        id: "dem-rice",
        buyerID: "buy-canteen",
        category: .grainOil,
        unit: .kg,
        weeklyVolume: 300,
        maxUnitPriceFen: 1000,
        startsOn: CalendarDate("2020-09-01")!,
        endsOn: CalendarDate("2020-12-31"),
        createdAt: now,
        updatedAt: now
    )
    static let center = Venue(
        id: "ven-center",
        name: "海吉星消费扶贫中心",
        kind: .center,
        regionCode: "440300",
        network: "shenzhen-1+10",
        featuredWeeklyVolume: 200,
        createdAt: now,
        updatedAt: now
    )
    static let host = LivestreamHost(
        id: "hst-a",
        name: "助农主播",
        platforms: [.douyin, .kuaishou],
        availability: [WeeklyWindow("mon 19:00-22:00")!, WeeklyWindow("sat 10:00-12:00")!],
        unavailable: [DatedWindow("2020-09-14")!],
        extraAvailability: [DatedWindow("2020-09-16 19:00-21:00")!],
        maxSessionsPerDay: 1,
        createdAt: now,
        updatedAt: now
    )
    static let fair = Fair(
        id: "fair-harvest",
        name: "丰收节展销会",
        venueID: "ven-center",
        startsOn: CalendarDate("2020-09-19")!,
        endsOn: CalendarDate("2020-09-20")!,
        boothCount: 20,
        createdAt: now,
        updatedAt: now
    )

    /// A purchase of the certified rice, an off-catalog one, a counter and a signing ceremony.
    static let riceSale = Sale(
        id: "sal-rice",
        buyerID: "buy-canteen",
        productID: "prd-rice",
        category: .grainOil,
        unit: .kg,
        volume: 100,
        amountFen: 80_000,
        soldOn: CalendarDate("2020-08-31")!,
        channel: .canteen,
        createdAt: now,
        updatedAt: now
    )
    static let marketSale = Sale(
        id: "sal-market",
        buyerID: "buy-canteen",
        category: .vegetables,
        unit: .kg,
        volume: 50,
        amountFen: 20_000,
        soldOn: CalendarDate("2020-08-31")!,
        channel: .canteen,
        note: "批发市场",
        createdAt: now,
        updatedAt: now
    )
    static let counter = Outlet(
        id: "out-counter",
        name: "那坡县消费扶贫专柜",
        kind: .counter,
        countyCode: "451026",
        regionCode: "440304",
        buyerID: "buy-canteen",
        openedOn: CalendarDate("2020-08-01")!,
        createdAt: now,
        updatedAt: now
    )
    static let signing = SalesEvent(
        id: "evt-signing",
        name: "那坡县签约仪式",
        kind: .signing,
        heldOn: CalendarDate("2020-08-20")!,
        countyCodes: ["451026", "341125"],
        createdAt: now,
        updatedAt: now
    )

    /// A fresh in-memory database holding the small catalog.
    static func database() async throws -> AppDatabase {
        let database = try AppDatabase.inMemory()
        for county in [naPo, dingYuan] { try await database.create(county, context: context) }
        for supplier in [coop, farm] { try await database.create(supplier, context: context) }
        for product in [rice, shrimp] { try await database.create(product, context: context) }
        try await database.seedCertifications(for: [rice, shrimp], context: context)
        for buyer in [canteen, union] { try await database.create(buyer, context: context) }
        try await database.create(riceDemand, context: context)
        try await database.create(center, context: context)
        try await database.create(host, context: context)
        try await database.create(fair, context: context)
        return database
    }

    /// The small catalog with the records reports count: two sales, a counter and an event.
    static func databaseWithReports() async throws -> AppDatabase {
        let database = try await database()
        for sale in [riceSale, marketSale] { try await database.create(sale, context: context) }
        try await database.create(counter, context: context)
        try await database.create(signing, context: context)
        return database
    }

    static func csv(_ lines: String...) -> [UInt8] {
        Array(lines.joined(separator: "\n").utf8)
    }
}
