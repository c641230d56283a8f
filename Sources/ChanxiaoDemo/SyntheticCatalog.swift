import ChanxiaoCore
import Foundation

/// Catalogs of the sizes in DESIGN.md, generated from a seed, for benchmarks: the same tier and
/// seed give the same catalog on every machine. Shapes follow the demo (categories, prices,
/// seasons, pairing with eastern regions, buyer kinds); sizes follow the tier. Each category's
/// demand is 85% of what its products eligible in the benchmark week can supply: buyers compete
/// (for cheap products, under tight price ceilings), but most demand can be met.
public enum SyntheticCatalog {
    public enum Tier: String, Sendable, CaseIterable {
        case demo, province, nation

        public var counties: Int { self == .demo ? 60 : self == .province ? 100 : 832 }
        public var products: Int { self == .demo ? 300 : self == .province ? 10_000 : 100_000 }
        public var buyers: Int { self == .demo ? 80 : self == .province ? 5_000 : 40_000 }
        public var demands: Int { self == .demo ? 400 : self == .province ? 25_000 : 200_000 }
    }

    /// The week benchmarks match: mid-September, when most seasonal products are in season.
    public static let week = IsoWeek(year: 2020, week: 38)!

    static let poorProvinces = [
        "45", "43", "52", "53", "62", "51", "61", "63", "64", "65", "54", "14", "15", "36", "41", "42", "34", "50", "13", "22",
    ]
    static let easternRegions = [
        "440300", "440304", "440305", "440306", "440307", "440100", "440106", "330100", "330106", "320100",
        "320500", "310000", "310115", "370100", "370200", "350200", "120000", "110000", "110105", "440600",
    ]

    public static func make(_ tier: Tier, seed: UInt64 = 20_200_914) -> DemoCatalog {
        var random = SplitMix64(seed: seed)
        let created = Date(timeIntervalSince1970: 1_598_889_600)  // 2020-09-01 00:00 CST

        // Counties with valid, distinct codes in poverty provinces.
        var counties: [County] = []
        var codes: Set<String> = []
        while counties.count < tier.counties {
            let province = poorProvinces[Int(random.next() % UInt64(poorProvinces.count))]
            let code = province + String(format: "%02d%02d", 1 + Int(random.next() % 30), 1 + Int(random.next() % 40))
            guard codes.insert(code).inserted else { continue }
            let roll = random.next() % 100
            let status: PovertyStatus = roll < 55 ? .national : roll < 70 ? .deep : roll < 82 ? .provincial : roll < 95 ? .lifted : .none
            let pairs = (0..<Int(random.next() % 3)).map { _ in easternRegions[Int(random.next() % UInt64(easternRegions.count))] }
            counties.append(
                County(
                    code: code,
                    name: "县\(code)",
                    povertyStatus: status,
                    poorPopulation: Int(random.next() % 80_000),
                    pairedRegionCodes: pairs.uniqued(),
                    createdAt: created,
                    updatedAt: created
                )
            )
        }

        var suppliers: [Supplier] = []
        let suppliersPerCounty = max(2, tier.products / tier.counties / 5)
        for county in counties {
            for index in 0..<suppliersPerCounty {
                let blacklisted = random.next() % 100 == 0
                suppliers.append(
                    Supplier(
                        id: "sup-\(county.code)-\(index)",
                        name: "供应商\(county.code)-\(index)",
                        countyCode: county.code,
                        kind: [.cooperative, .enterprise, .familyFarm][Int(random.next() % 3)],
                        blacklisted: blacklisted,
                        blacklistReason: blacklisted ? "以次充好" : nil,
                        blacklistedOn: blacklisted ? CalendarDate(year: 2020, month: 8, day: 1) : nil,
                        createdAt: created,
                        updatedAt: created
                    )
                )
            }
        }

        let categories = ProductCategory.allCases
        let countyByCode = Dictionary(uniqueKeysWithValues: counties.map { ($0.code, $0) })
        var products: [Product] = []
        var capacityByGroup: [String: Int] = [:]
        for index in 0..<tier.products {
            let supplier = suppliers[Int(random.next() % UInt64(suppliers.count))]
            let category = categories[Int(random.next() % UInt64(categories.count))]
            let reference = DemoPlaces.reference[category]!
            let unit = random.next() % 5 == 0 ? secondaryUnit(category) : reference.unit
            let price = max(100, reference.priceFen * (60 + Int(random.next() % 81)) / 100)
            let capacity = max(10, 2000 * reference.volumeScale / 10 * (20 + Int(random.next() % 181)) / 100)
            let seasonal = (category == .fruit || category == .vegetables) && random.next() % 10 < 6
            let start = 1 + Int(random.next() % 12)
            let months = seasonal ? (0..<4).map { (start + $0 - 1) % 12 + 1 }.sorted() : []
            let minimum = [1, 1, 1, 1, 5, 10, 20, 50][Int(random.next() % 8)]
            let certified = random.next() % 100 < 92
            let product = Product(
                id: String(format: "prd-%06d", index),
                supplierID: supplier.id,
                countyCode: supplier.countyCode,
                name: "产品\(index)",
                category: category,
                unit: unit,
                unitPriceFen: price,
                weeklyCapacity: capacity,
                minOrder: min(minimum, capacity),
                seasonMonths: months,
                certificateNo: certified ? "FP\(index)" : nil,
                certifiedUntil: certified ? CalendarDate(year: 2030, month: 12, day: 31) : nil,
                coldChain: category == .aquatic || (category == .meatPoultryEgg && random.next() % 2 == 0),
                createdAt: created,
                updatedAt: created
            )
            products.append(product)
            // What can be matched in the benchmark week: certified, eligible county, not
            // blacklisted, in season.
            let county = countyByCode[supplier.countyCode]!
            if certified, !supplier.blacklisted, county.povertyStatus != .none, product.isInSeason(month: week.monday.month) {
                capacityByGroup[category.rawValue + unit.rawValue, default: 0] += capacity
            }
        }

        let kinds: [BuyerKind] = [.canteen, .canteen, .canteen, .union, .center, .supermarket, .counter, .hall, .budgetUnit, .budgetUnit]
        let buyers = (0..<tier.buyers).map { index -> Buyer in
            let kind = kinds[Int(random.next() % UInt64(kinds.count))]
            let region =
                random.next() % 3 == 0
                ? counties[Int(random.next() % UInt64(counties.count))].code.prefix(4) + "00"
                : Substring(easternRegions[Int(random.next() % UInt64(easternRegions.count))])
            return Buyer(
                id: String(format: "buy-%06d", index),
                name: "买方\(index)",
                kind: kind,
                regionCode: String(region),
                maxSuppliersPerCategory: kind == .canteen ? 2 : 3 + Int(random.next() % 3),
                createdAt: created,
                updatedAt: created
            )
        }

        // Demands are drawn first; then each group's volumes are scaled to 85% of its eligible capacity.
        struct Draft {
            var buyer: Buyer
            var category: ProductCategory
            var unit: MeasureUnit
            var weight: Int
            var ceiling: Int
            var ends: Bool
        }
        var drafts: [Draft] = []
        for index in 0..<tier.demands {
            let buyer = buyers[index % buyers.count]
            let preferred = DemoPlaces.categories(for: buyer.kind)
            let category = preferred[Int(random.next() % UInt64(preferred.count))]
            let reference = DemoPlaces.reference[category]!
            let unit = random.next() % 10 == 0 ? secondaryUnit(category) : reference.unit
            drafts.append(
                Draft(
                    buyer: buyer,
                    category: category,
                    unit: unit,
                    weight: 20 + Int(random.next() % 181),
                    ceiling: reference.priceFen * (85 + Int(random.next() % 76)) / 100,
                    ends: random.next() % 20 == 0
                )
            )
        }
        var weightByGroup: [String: Int] = [:]
        for draft in drafts { weightByGroup[draft.category.rawValue + draft.unit.rawValue, default: 0] += draft.weight }
        var demands: [Demand] = []
        for (index, draft) in drafts.enumerated() {
            let group = draft.category.rawValue + draft.unit.rawValue
            let volume = max(1, Int(Double(capacityByGroup[group] ?? 0) * 0.85 * Double(draft.weight) / Double(max(1, weightByGroup[group] ?? 1))))
            demands.append(
                Demand(
                    id: String(format: "dem-%07d", index),
                    buyerID: draft.buyer.id,
                    category: draft.category,
                    unit: draft.unit,
                    weeklyVolume: volume,
                    maxUnitPriceFen: draft.ceiling,
                    startsOn: CalendarDate(year: 2020, month: 9, day: 1)!,
                    endsOn: draft.ends ? CalendarDate(year: 2020, month: 9, day: 10) : nil,
                    coldChain: draft.category == .aquatic,
                    createdAt: created,
                    updatedAt: created
                )
            )
        }
        return DemoCatalog(counties: counties, suppliers: suppliers, products: products, buyers: buyers, demands: demands)
    }

    static func secondaryUnit(_ category: ProductCategory) -> MeasureUnit {
        switch category {
        case .grainOil: .bag
        case .meatPoultryEgg: .box
        case .vegetables: .box
        case .fruit: .box
        case .aquatic: .box
        case .tea: .bag
        case .mountainGoods: .bag
        case .condiments: .bag
        case .drinks: .box
        case .processed: .box
        }
    }
}
