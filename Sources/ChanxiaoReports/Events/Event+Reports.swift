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
        [
            ("product_id", .string(product.id)), ("product_name", .string(product.name)), ("category", .string(product.category.rawValue)),
            ("unit", .string(product.unit.rawValue)), ("supplier_id", .string(product.supplierID)), ("county_code", .string(product.countyCode)),
            ("unit_price_fen", JSONValue(product.unitPriceFen)), ("weekly_capacity", JSONValue(product.weeklyCapacity)),
            ("week", .string(week.description)), ("observed_weeks", JSONValue(observedWeeks)), ("taken_volume", JSONValue(takenVolume)),
            ("threshold_volume", JSONValue(thresholdVolume)),
        ]
    }
}

extension Event {
    /// `quota.at_risk`: for the buyer, with the matches that would close its gap.
    public static func quotaAtRisk(_ alert: QuotaAlert, names: EventNames, at timestamp: Date) -> Event {
        let matches = alert.matches.map { closing in
            let match = closing.match
            return QuotaAtRiskPayload.MatchLine(
                amountFen: closing.amountFen,
                countyCode: match.countyCode,
                countyName: names.counties[match.countyCode],
                matchID: match.id,
                productID: match.productID,
                productName: names.products[match.productID]?.name,
                status: match.status,
                supplierID: match.supplierID,
                unit: names.products[match.productID]?.unit,
                unitPriceFen: match.unitPriceFen,
                week: match.week,
                weeklyVolume: match.volume
            )
        }
        let figures = alert.figures
        let payload = QuotaAtRiskPayload(
            buyerID: alert.buyer.id,
            buyerName: alert.buyer.name,
            buyerKind: alert.buyer.kind,
            network: alert.buyer.network,
            from: alert.from,
            to: alert.to,
            povertyAmountFen: figures.povertyAmountFen,
            totalAmountFen: figures.totalAmountFen,
            share: figures.share,
            target: figures.target,
            gapFen: figures.gapFen,
            targetSource: alert.target.source,
            margin: alert.margin,
            matches: matches,
            matchesAmountFen: alert.matchesAmountFen,
            matchesCloseGap: alert.matchesCloseGap
        )
        return Event(.quotaAtRisk(payload), timestamp: timestamp, concerns: [.buyer(alert.buyer.id)])
    }

    /// `product.slow_moving`: for every buyer of the networks that share unsold stock
    /// (滞销共卖, seed 000 §四(三)) and for the product's supplier.
    public static func productSlowMoving(
        _ item: SlowMovingProduct,
        supplierName: String?,
        countyName: String?,
        networks: [String],
        buyers: [String],
        at timestamp: Date
    ) -> Event {
        let product = item.product
        let payload = ProductSlowMovingPayload(
            productID: product.id,
            productName: product.name,
            category: product.category,
            unit: product.unit,
            supplierID: product.supplierID,
            supplierName: supplierName,
            countyCode: product.countyCode,
            countyName: countyName,
            unitPriceFen: product.unitPriceFen,
            weeklyCapacity: product.weeklyCapacity,
            week: item.week,
            observedWeeks: item.observedWeeks,
            takenVolume: item.takenVolume,
            thresholdVolume: item.thresholdVolume,
            networks: networks
        )
        return Event(
            .productSlowMoving(payload),
            timestamp: timestamp,
            concerns: Set(buyers.map(Owner.buyer)).union([.supplier(product.supplierID)])
        )
    }

    /// `report.weekly`: the week's headline figures and where to fetch the whole report; for
    /// staff endpoints (those without an owner).
    public static func reportWeekly(_ report: WeeklyReport, at timestamp: Date) -> Event {
        let region = report.regions.count == 1 ? report.regions[0] : nil
        let week = report.week.description + (region.map { "&region=\($0)" } ?? "")
        let totals = report.totals
        let payload = ReportWeeklyPayload(
            week: report.week,
            from: report.week.monday,
            to: report.week.sunday,
            totals: .init(
                matchedVolume: totals.matched.byUnit,
                acceptedVolume: totals.accepted.byUnit,
                salesVolume: totals.sold.byUnit,
                salesAmountFen: totals.salesAmountFen,
                povertyAmountFen: totals.povertyAmountFen,
                livestreams: totals.livestreams,
                newOutlets: totals.newOutlets
            ),
            counties: report.counties.count,
            featured: report.featured.map { .init(countyName: $0.countyName, productName: $0.productName, venueName: $0.venueName) },
            targetsAtRisk: report.atRisk.count,
            links: .init(
                csv: "/v1/reports/weekly?week=\(week)&format=csv",
                json: "/v1/reports/weekly?week=\(week)",
                markdown: "/v1/reports/weekly?week=\(week)&format=markdown"
            ),
            region: region
        )
        var event = Event(.reportWeekly(payload), timestamp: timestamp, concerns: [])
        event.region = region
        return event
    }
}
