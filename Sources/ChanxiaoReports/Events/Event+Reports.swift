import ChanxiaoCore
import Foundation

/// A product whose matched and sold volume stayed low (滞销), as the check found it.
public struct SlowMovingProduct: Sendable, Equatable {
    public var product: Product
    /// The week the flag holds for; the weeks before it were looked at.
    public var week: IsoWeek
    public var observedWeeks: Int
    /// Matched-or-sold volume over those weeks (per week the larger of accepted and sold).
    public var takenVolume: Int
    /// Below this the product is slow-moving: `below_share` × capacity × observed weeks.
    public var thresholdVolume: Int

    public init(product: Product, week: IsoWeek, observedWeeks: Int, takenVolume: Int, thresholdVolume: Int) {
        self.product = product
        self.week = week
        self.observedWeeks = observedWeeks
        self.takenVolume = takenVolume
        self.thresholdVolume = thresholdVolume
    }

    public var jsonFields: [(name: String, value: JSONValue)] {
        [("product_id", .string(product.id)), ("product_name", .string(product.name)), ("category", .string(product.category.rawValue)),
         ("unit", .string(product.unit.rawValue)), ("supplier_id", .string(product.supplierID)), ("county_code", .string(product.countyCode)),
         ("unit_price_fen", JSONValue(product.unitPriceFen)), ("weekly_capacity", JSONValue(product.weeklyCapacity)),
         ("week", .string(week.description)), ("observed_weeks", JSONValue(observedWeeks)), ("taken_volume", JSONValue(takenVolume)),
         ("threshold_volume", JSONValue(thresholdVolume))]
    }
}

extension Event {
    /// `quota.at_risk`: for the buyer, with the matches that would close its gap.
    public static func quotaAtRisk(_ alert: QuotaAlert, names: EventNames, at timestamp: Date) -> Event {
        let matches: [JSONValue] = alert.matches.map { closing in
            let match = closing.match
            return .record([
                ("match_id", .string(match.id)), ("week", .string(match.week.description)), ("status", .string(match.status.rawValue)),
                ("product_id", .string(match.productID)), ("product_name", JSONValue(names.products[match.productID]?.name)),
                ("supplier_id", .string(match.supplierID)), ("county_code", .string(match.countyCode)),
                ("county_name", JSONValue(names.counties[match.countyCode])), ("weekly_volume", JSONValue(match.volume)),
                ("unit", JSONValue(names.products[match.productID]?.unit)), ("unit_price_fen", JSONValue(match.unitPriceFen)),
                ("amount_fen", JSONValue(closing.amountFen)),
            ])
        }
        let data: [(name: String, value: JSONValue)] = [
            ("buyer_id", .string(alert.buyer.id)), ("buyer_name", .string(alert.buyer.name)), ("buyer_kind", .string(alert.buyer.kind.rawValue)),
            ("network", JSONValue(alert.buyer.network)), ("from", .string(alert.from.description)), ("to", .string(alert.to.description)),
        ] + alert.figures.jsonFields + [
            ("target_source", .string(alert.target.source)), ("margin", .double(alert.margin)), ("matches", .array(matches)),
            ("matches_amount_fen", JSONValue(alert.matchesAmountFen)),
            ("matches_close_gap", .bool(alert.matchesCloseGap)),
        ]
        return Event(type: .quotaAtRisk, timestamp: timestamp, data: data, concerns: [.buyer(alert.buyer.id)])
    }

    /// `product.slow_moving`: for every buyer of the networks that share unsold stock
    /// (滞销共卖, seed 000 §四(三)) and for the product's supplier.
    public static func productSlowMoving(_ item: SlowMovingProduct, supplierName: String?, countyName: String?, networks: [String],
                                         buyers: [String], at timestamp: Date) -> Event {
        var data = item.jsonFields
        data.insert(("supplier_name", JSONValue(supplierName)), at: 5)
        data.insert(("county_name", JSONValue(countyName)), at: 7)
        data.append(("networks", .array(networks.map(JSONValue.string))))
        return Event(type: .productSlowMoving, timestamp: timestamp, data: data,
                     concerns: Set(buyers.map(Owner.buyer)).union([.supplier(item.product.supplierID)]))
    }

    /// `report.weekly`: the week's headline figures and where to fetch the whole report; for
    /// staff endpoints (those without an owner).
    public static func reportWeekly(_ report: WeeklyReport, at timestamp: Date) -> Event {
        let week = report.week.description
        let data: [(name: String, value: JSONValue)] = [
            ("week", .string(week)), ("from", .string(report.week.monday.description)), ("to", .string(report.week.sunday.description)),
            ("totals", .record(report.totals.jsonFields)), ("counties", JSONValue(report.counties.count)),
            ("featured", .array(report.featured.map { .record([("venue_name", .string($0.venueName)), ("county_name", .string($0.countyName)),
                                                               ("product_name", .string($0.productName))]) })),
            ("targets_at_risk", JSONValue(report.atRisk.count)),
            ("links", .record([("json", .string("/v1/reports/weekly?week=\(week)")),
                               ("markdown", .string("/v1/reports/weekly?week=\(week)&format=markdown")),
                               ("csv", .string("/v1/reports/weekly?week=\(week)&format=csv"))])),
        ]
        return Event(type: .reportWeekly, timestamp: timestamp, data: data, concerns: [])
    }
}
