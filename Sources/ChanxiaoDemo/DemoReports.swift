import ChanxiaoCore
import Foundation

/// The demo's records for reports: four weeks of purchases in the 2020 consumption
/// poverty-alleviation month (2020-W36 to W39), the outlets and large events the county table
/// counts, made so that the reports have something to say: one budget unit (深圳市教育局)
/// trails its 30% target, and two products sell far below their capacity (滞销).
public struct DemoReports: Sendable {
    public var sales: [Sale]
    public var outlets: [Outlet]
    public var events: [SalesEvent]

    public static let firstWeek = IsoWeek(year: 2020, week: 36)!
    public static let weeks = 4
    /// The week whose weekly job the demo runs: it checks targets up to 2020-09-27 and files the
    /// report of 2020-W39.
    public static let checkWeek = IsoWeek(year: 2020, week: 40)!
    /// The buyer that trails its target.
    public static let laggingBuyer = "buy-sz-education"
    /// How many products are made to sell slowly.
    public static let slowProductCount = 2

    public static func make(catalog: DemoCatalog) -> DemoReports {
        var random = SplitMix64(seed: 20_200_928)
        let created = Date(timeIntervalSince1970: Double(DemoCatalog.referenceDate.daysSinceEpoch * 86_400 - 8 * 3600))
        let blacklisted = Set(catalog.suppliers.filter(\.blacklisted).map(\.id))
        let checkDay = checkWeek.monday
        // Products on offer in September: the ones the weekly check judges.
        let onOffer = catalog.products.filter {
            $0.isInSeason(month: 9) && $0.isCertified(on: checkDay) && !blacklisted.contains($0.supplierID)
        }
        // Two products of counties paired with Shenzhen sell slowly: the 1+10 centers are told.
        let slow = Set(onOffer.filter { $0.countyCode.hasPrefix("45") }.suffix(slowProductCount).map(\.id))

        var buyersByCategory: [ProductCategory: [String]] = [:]
        for demand in catalog.demands { buyersByCategory[demand.category, default: []].append(demand.buyerID) }
        for key in buyersByCategory.keys { buyersByCategory[key] = buyersByCategory[key]!.uniqued() }
        let centers = catalog.buyers.filter { $0.kind == .center }.map(\.id)
        let kinds = Dictionary(uniqueKeysWithValues: catalog.buyers.map { ($0.id, $0.kind) })

        var sales: [Sale] = []
        var povertyByBuyer: [String: Int] = [:]
        for offset in 0..<weeks {
            let week = firstWeek.adding(weeks: offset)
            for (index, product) in onOffer.enumerated() {
                let share = slow.contains(product.id) ? 5 : 30 + Int(random.next() % 31)  // percent of weekly capacity
                let volume = max(1, product.weeklyCapacity * share / 100)
                let candidates = buyersByCategory[product.category] ?? centers
                let buyer = candidates[(index + offset) % candidates.count]
                let day = week.monday.adding(days: Int(random.next() % 5))
                sales.append(
                    Sale(
                        id: "sal-demo-\(week)-\(product.id)",
                        buyerID: buyer,
                        productID: product.id,
                        category: product.category,
                        unit: product.unit,
                        volume: volume,
                        amountFen: volume * product.unitPriceFen,
                        soldOn: day,
                        channel: SalesChannel(buyerKind: kinds[buyer] ?? .center),
                        createdAt: created,
                        updatedAt: created
                    )
                )
                povertyByBuyer[buyer, default: 0] += volume * product.unitPriceFen
            }
        }
        // Other farm purchases (not poverty products), so that each share lands a few points
        // above its target — except the lagging buyer's, at about 12%.
        for buyer in catalog.buyers {
            guard let poverty = povertyByBuyer[buyer.id], poverty > 0,
                let demand = catalog.demands.first(where: { $0.buyerID == buyer.id })
            else { continue }
            let target = buyer.povertyShareTarget ?? BuyerKind.seedShareTargets[buyer.kind] ?? 0.3
            let share = buyer.id == laggingBuyer ? 0.12 : min(0.95, target + 0.05 + Double(random.next() % 10) / 100)
            let other = Int(Double(poverty) * (1 - share) / share)
            for offset in 0..<weeks {
                let week = firstWeek.adding(weeks: offset)
                let amount = other / weeks
                sales.append(
                    Sale(
                        id: "sal-demo-\(week)-\(buyer.id)-market",
                        buyerID: buyer.id,
                        category: demand.category,
                        unit: demand.unit,
                        volume: max(1, amount / max(1, demand.maxUnitPriceFen)),
                        amountFen: amount,
                        soldOn: week.monday.adding(days: 2),
                        channel: SalesChannel(buyerKind: buyer.kind),
                        note: "批发市场采购（非扶贫产品）",
                        createdAt: created,
                        updatedAt: created
                    )
                )
            }
        }

        let outlets = makeOutlets(catalog: catalog, created: created)
        let events = [
            SalesEvent(
                id: "evt-demo-changsha-signing",
                name: "长沙7个市县区与7个贫困县扶贫产品定向采购签约仪式",
                kind: .signing,
                heldOn: CalendarDate(year: 2020, month: 9, day: 10)!,
                countyCodes: catalog.counties.filter { $0.code.hasPrefix("43") }.prefix(7).map(\.code),
                regionCode: "430100",
                createdAt: created,
                updatedAt: created
            ),
            SalesEvent(
                id: "evt-demo-hengyang-daylily",
                name: "中国首届线上黄花菜节暨衡阳市消费扶贫月活动",
                kind: .festival,
                heldOn: CalendarDate(year: 2020, month: 9, day: 19)!,
                countyCodes: catalog.counties.filter { $0.code.hasPrefix("4304") }.prefix(2).map(\.code),
                regionCode: "430400",
                createdAt: created,
                updatedAt: created
            ),
            SalesEvent(
                id: "evt-demo-haijixing-promotion",
                name: "海吉星对口帮扶地区优质扶贫产品专场推介",
                kind: .promotion,
                heldOn: CalendarDate(year: 2020, month: 9, day: 24)!,
                countyCodes: catalog.counties.filter { $0.code.hasPrefix("45") }.prefix(4).map(\.code),
                regionCode: "440300",
                createdAt: created,
                updatedAt: created
            ),
        ].filter { !$0.countyCodes.isEmpty }
        return DemoReports(sales: sales, outlets: outlets, events: events)
    }

    /// Outlets of the counties: Chuzhou's smart counters (seed 003 §四(一)), Hunan's offline zones
    /// and bank online zones (seed 002 §四(四)), halls and livestream bases, opened over 2020.
    static func makeOutlets(catalog: DemoCatalog, created: Date) -> [Outlet] {
        var outlets: [Outlet] = []
        for (index, county) in catalog.counties.enumerated() where county.povertyStatus != .none {
            let opened = CalendarDate(year: 2020, month: 6 + index % 4, day: 1 + index % 27)!
            let kinds: [OutletKind] =
                switch index % 5 {
                case 0: [.zoneOnline, .zoneOffline, .counter]
                case 1: [.counter, .counter, .hall]
                case 2: [.zoneOffline, .livestreamBase]
                case 3: [.zoneOnline]
                default: [.counter, .zoneOffline]
                }
            for (number, kind) in kinds.enumerated() {
                outlets.append(
                    Outlet(
                        id: "out-demo-\(county.code)-\(number + 1)",
                        name: "\(county.name)消费扶贫\(kind.chineseName)\(number + 1)号",
                        kind: kind,
                        countyCode: county.code,
                        operatorName: kind == .zoneOnline ? "中国社会扶贫网" : nil,
                        openedOn: opened.adding(days: number * 9),
                        createdAt: created,
                        updatedAt: created
                    )
                )
            }
        }
        return outlets
    }
}
