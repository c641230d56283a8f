import ChanxiaoCore
import ChanxiaoDemo

@testable import ChanxiaoMatching

enum MF {
    static let week = IsoWeek(year: 2020, week: 38)!  // Monday 2020-09-14
    static let monday = CalendarDate("2020-09-14")!

    static func county(_ code: String, _ status: PovertyStatus = .national, paired: [String] = []) -> County {
        County(code: code, name: "县\(code)", povertyStatus: status, pairedRegionCodes: paired)
    }

    static func supplier(_ id: String, county: String, blacklisted: Bool = false) -> Supplier {
        Supplier(
            id: id,
            name: id,
            countyCode: county,
            kind: .cooperative,
            blacklisted: blacklisted,
            blacklistReason: blacklisted ? "以次充好" : nil,
            blacklistedOn: blacklisted ? CalendarDate("2020-08-01") : nil
        )
    }

    static func product(
        _ id: String,
        supplier: String,
        category: ProductCategory = .grainOil,
        unit: MeasureUnit = .kg,
        price: Int,
        capacity: Int,
        minOrder: Int = 1,
        months: [Int] = [],
        certified: Bool = true,
        coldChain: Bool = false
    ) -> Product {
        Product(
            id: id,
            supplierID: supplier,
            name: id,
            category: category,
            unit: unit,
            unitPriceFen: price,
            weeklyCapacity: capacity,
            minOrder: minOrder,
            seasonMonths: months,
            certificateNo: certified ? "FP-\(id)" : nil,
            certifiedUntil: certified ? CalendarDate("2030-12-31") : nil,
            coldChain: coldChain
        )
    }

    static func buyer(_ id: String, region: String = "440304", maxSuppliers: Int = 20) -> Buyer {
        Buyer(id: id, name: id, kind: .canteen, regionCode: region, maxSuppliersPerCategory: maxSuppliers)
    }

    static func demand(
        _ id: String,
        buyer: String,
        category: ProductCategory = .grainOil,
        unit: MeasureUnit = .kg,
        volume: Int,
        ceiling: Int,
        coldChain: Bool = false,
        startsOn: String = "2020-09-01",
        endsOn: String? = nil
    ) -> Demand {
        Demand(
            id: id,
            buyerID: buyer,
            category: category,
            unit: unit,
            weeklyVolume: volume,
            maxUnitPriceFen: ceiling,
            startsOn: CalendarDate(startsOn)!,
            endsOn: endsOn.flatMap { CalendarDate($0) },
            coldChain: coldChain
        )
    }

    /// Only price counts: the other preferences off.
    static var priceOnly: MatchingSettings {
        var settings = MatchingSettings()
        settings.paired.enabled = false
        settings.deepPoverty.enabled = false
        settings.slowMoving.enabled = false
        settings.spread.enabled = false
        return settings
    }
}

/// Small random catalogs that exercise every filter and scorer.
enum RandomCatalog {
    static func make(seed: UInt64, minOrders: Bool = false, caps: Bool = false) -> (MatchingCatalog, WeekState) {
        var random = SplitMix64(seed: seed)
        let statuses: [PovertyStatus] = [.national, .deep, .lifted, .none, .provincial]
        let regions = ["440304", "440305", "370100"]
        let counties = (0..<4).map { index in
            MF.county(
                "45010\(index + 1)",
                statuses.randomElement(using: &random)!,
                paired: Bool.random(using: &random) ? [regions.randomElement(using: &random)!] : []
            )
        }
        let suppliers = (0..<5).map { index in
            MF.supplier(
                "s\(index)",
                county: counties.randomElement(using: &random)!.code,
                blacklisted: Int.random(in: 0..<7, using: &random) == 0
            )
        }
        let groups: [(ProductCategory, MeasureUnit)] = [(.grainOil, .kg), (.tea, .box), (.grainOil, .bag)]
        let products = (0..<Int.random(in: 3...9, using: &random)).map { index in
            let group = groups.randomElement(using: &random)!
            return MF.product(
                "p\(index)",
                supplier: suppliers.randomElement(using: &random)!.id,
                category: group.0,
                unit: group.1,
                price: Int.random(in: 100...1000, using: &random),
                capacity: Int.random(in: 1...40, using: &random),
                minOrder: minOrders ? Int.random(in: 1...8, using: &random) : 1,
                months: Int.random(in: 0..<5, using: &random) == 0 ? [1, 2] : [],
                certified: Int.random(in: 0..<8, using: &random) != 0,
                coldChain: Bool.random(using: &random)
            )
        }
        let buyers = (0..<3).map { index in
            MF.buyer("b\(index)", region: regions[index], maxSuppliers: caps ? Int.random(in: 1...2, using: &random) : 20)
        }
        let demands = (0..<Int.random(in: 1...7, using: &random)).map { index in
            let group = groups.randomElement(using: &random)!
            return MF.demand(
                "d\(index)",
                buyer: buyers.randomElement(using: &random)!.id,
                category: group.0,
                unit: group.1,
                volume: Int.random(in: 1...40, using: &random),
                ceiling: Int.random(in: 150...1100, using: &random),
                coldChain: Int.random(in: 0..<4, using: &random) == 0,
                endsOn: Int.random(in: 0..<8, using: &random) == 0 ? "2020-09-10" : nil
            )
        }
        var state = WeekState()
        for product in products where Int.random(in: 0..<5, using: &random) == 0 {
            state.heldByProduct[product.id] = Int.random(in: 0...product.weeklyCapacity, using: &random)
        }
        for demand in demands where Int.random(in: 0..<5, using: &random) == 0 {
            state.heldByDemand[demand.id] = Int.random(in: 0...demand.weeklyVolume, using: &random)
        }
        if let demand = demands.first, let product = products.first, Bool.random(using: &random) {
            state.declined.insert(DemandProduct(demandID: demand.id, productID: product.id))
        }
        for product in products { state.recentVolumeByProduct[product.id] = Int.random(in: 0...(product.weeklyCapacity * 5), using: &random) }
        return (MatchingCatalog(counties: counties, suppliers: suppliers, products: products, buyers: buyers, demands: demands), state)
    }
}
