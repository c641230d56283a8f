import ChanxiaoCore
import Foundation

/// The demo catalog: real counties and organisations named in the five seed plans (Shenzhen,
/// Guangxi, Hunan, Chuzhou, Jiyuan), with products, suppliers and demands generated
/// deterministically around them. Pairings follow the seeds where they name one (湘西州 ↔ 济南,
/// 永顺 ↔ 湘潭, 粤桂协作, Shenzhen ↔ 百色/河池) and are illustrative elsewhere; prices,
/// volumes and certificates are invented.
public struct DemoCatalog: Sendable {
    public var counties: [County]
    public var suppliers: [Supplier]
    public var products: [Product]
    public var buyers: [Buyer]
    public var demands: [Demand]

    /// The day the demo's records are dated: the start of the 2020 consumption poverty-alleviation month.
    public static let referenceDate = CalendarDate(year: 2020, month: 9, day: 1)!

    public static func make() -> DemoCatalog {
        var random = SplitMix64(seed: 20_200_901)
        let created = Date(timeIntervalSince1970: Double(referenceDate.daysSinceEpoch * 86_400 - 8 * 3600))

        var counties: [County] = []
        var suppliers: [Supplier] = []
        var products: [Product] = []
        for (index, place) in DemoPlaces.counties.enumerated() {
            counties.append(
                County(
                    code: place.code,
                    name: place.name,
                    city: place.city,
                    povertyStatus: place.status,
                    poorPopulation: place.status == .none ? 0 : 3000 + Int(random.next() % 57) * 1000,
                    pairedRegionCodes: place.paired,
                    createdAt: created,
                    updatedAt: created
                )
            )
            let coop = Supplier(
                id: "sup-\(place.code)-a",
                name: "\(place.shortName)\(place.coopName)专业合作社",
                countyCode: place.code,
                kind: .cooperative,
                createdAt: created,
                updatedAt: created
            )
            var company = Supplier(
                id: "sup-\(place.code)-b",
                name: "\(place.shortName)\(place.companyName)农业发展有限公司",
                countyCode: place.code,
                kind: index % 5 == 4 ? .familyFarm : .enterprise,
                createdAt: created,
                updatedAt: created
            )
            if company.kind == .familyFarm { company.name = "\(place.shortName)\(place.companyName)家庭农场" }
            if DemoPlaces.blacklistedSupplierCounties.contains(place.code) {
                company.blacklisted = true
                company.blacklistReason = "以次充好，取消扶贫产品供销资格并纳入诚信黑名单（深对办字〔2020〕39号 八(五)）"
                company.blacklistedOn = CalendarDate(year: 2020, month: 8, day: 20)
            }
            suppliers += [coop, company]

            let offers = place.products + DemoPlaces.fillers(for: place, count: 5 - place.products.count, random: &random)
            for (number, offer) in offers.enumerated() {
                let serial = products.count + 1
                let supplier = number % 2 == 0 ? coop : company
                let certified: CalendarDate? =
                    serial % 17 == 0
                    ? CalendarDate(year: 2021, month: 6, day: 30)
                    : serial % 23 == 0 ? nil : CalendarDate(year: 2030, month: 12, day: 31)
                let jitter = 90 + Int(random.next() % 21)  // 90–110% of the reference price
                products.append(
                    Product(
                        id: "prd-\(place.code)-\(number + 1)",
                        supplierID: supplier.id,
                        countyCode: place.code,
                        name: offer.name,
                        category: offer.category,
                        unit: offer.unit,
                        unitPriceFen: max(100, offer.priceFen * jitter / 100 / 10 * 10),
                        weeklyCapacity: offer.capacity * (80 + Int(random.next() % 41)) / 100,
                        minOrder: offer.category == .tea || offer.category == .drinks ? 5 : 10,
                        seasonMonths: offer.months.sorted(),
                        certificateNo: certified == nil ? nil : String(format: "FP%@%04d", place.code, serial),
                        certifiedUntil: certified,
                        coldChain: offer.coldChain,
                        createdAt: created,
                        updatedAt: created
                    )
                )
            }
        }

        var buyers: [Buyer] = []
        var demands: [Demand] = []
        for organisation in DemoPlaces.buyers {
            let buyer = Buyer(
                id: organisation.id,
                name: organisation.name,
                kind: organisation.kind,
                regionCode: organisation.region,
                network: organisation.network,
                povertyShareTarget: organisation.target,
                maxSuppliersPerCategory: organisation.kind == .canteen ? 2 : organisation.kind == .center ? 5 : 3,
                createdAt: created,
                updatedAt: created
            )
            buyers.append(buyer)
            let categories = DemoPlaces.categories(for: organisation.kind)
            let count = min(categories.count, 4 + Int(random.next() % 3))
            for (number, category) in categories.prefix(count).enumerated() {
                let reference = DemoPlaces.reference[category]!
                let base = DemoPlaces.weeklyBase(for: organisation.kind)
                let volume = max(20, base * (50 + Int(random.next() % 101)) / 100 * reference.volumeScale / 10 * 10)
                let ceiling = reference.priceFen * (110 + Int(random.next() % 41)) / 100 / 10 * 10
                let endsOn: CalendarDate? = number == 3 ? CalendarDate(year: 2020, month: 9, day: 30) : nil
                demands.append(
                    Demand(
                        id: "dem-\(organisation.id.dropFirst(4))-\(category.rawValue)",
                        buyerID: buyer.id,
                        category: category,
                        unit: reference.unit,
                        weeklyVolume: volume,
                        maxUnitPriceFen: ceiling,
                        startsOn: referenceDate,
                        endsOn: endsOn,
                        coldChain: category == .aquatic || (category == .meatPoultryEgg && number % 2 == 0),
                        createdAt: created,
                        updatedAt: created
                    )
                )
            }
        }
        return DemoCatalog(counties: counties, suppliers: suppliers, products: products, buyers: buyers, demands: demands)
    }
}

/// A small, fast, seedable generator (SplitMix64), so the demo is the same on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
