import ChanxiaoCore
import ChanxiaoReports
import Foundation
import GRDB

/// What was taken of each product's capacity in recent weeks: the one measure behind the
/// slow-moving flag of matching, rotation planning and the weekly check.
public struct TakenVolumes: Sendable, Equatable {
    /// Per product, the sum over the weeks of the larger of its accepted matched volume and its
    /// sold volume in each week (a sale recorded from a match is the same goods, not more).
    public var byProduct: [String: Int] = [:]
    /// How many of the weeks had a match run or a recorded sale: weeks nobody looked at do not
    /// make a product slow.
    public var observedWeeks = 0
}

extension AppDatabase {
    static func takenVolumes(before week: IsoWeek, weeks: Int, db: Database) throws -> TakenVolumes {
        let recent = (1...max(1, weeks)).map { week.adding(weeks: -$0) }
        let names = recent.map(\.description)
        var perWeek: [String: [IsoWeek: (matched: Int, sold: Int)]] = [:]
        var observed = Set(
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT week FROM match_run WHERE week IN \(names.sqlList)",
                arguments: StatementArguments(names)
            ).compactMap { IsoWeek($0) }
        )
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT product_id, week, SUM(volume) AS volume FROM match
                WHERE status = 'accepted' AND week IN \(names.sqlList) GROUP BY product_id, week
                """,
            arguments: StatementArguments(names)
        ) {
            guard let matchWeek = IsoWeek(row["week"] as String) else { continue }
            perWeek[row["product_id"], default: [:]][matchWeek, default: (0, 0)].matched += row["volume"] as Int
        }
        let first = recent.last!.monday.description
        let last = recent.first!.sunday.description
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT product_id, sold_on, SUM(volume) AS volume FROM sale
                WHERE sold_on BETWEEN ? AND ? GROUP BY product_id, sold_on
                """,
            arguments: [first, last]
        ) {
            guard let day = CalendarDate(row["sold_on"] as String) else { continue }
            let saleWeek = IsoWeek(containing: day)
            observed.insert(saleWeek)
            guard let product = row["product_id"] as String? else { continue }
            perWeek[product, default: [:]][saleWeek, default: (0, 0)].sold += row["volume"] as Int
        }
        var result = TakenVolumes(observedWeeks: observed.count)
        for (product, weeks) in perWeek {
            result.byProduct[product] = weeks.values.reduce(0) { $0 + max($1.matched, $1.sold) }
        }
        return result
    }

    /// The products slow-moving in `week` by `rule`, judged on the weeks before it, with the
    /// figures that made them so.
    static func slowMovingProducts(in week: IsoWeek, rule: SlowMovingRule, products: [Product], db: Database) throws -> [SlowMovingProduct] {
        let taken = try takenVolumes(before: week, weeks: rule.weeks, db: db)
        return products.compactMap { product in
            let volume = taken.byProduct[product.id] ?? 0
            guard rule.isSlowMoving(weeklyCapacity: product.weeklyCapacity, takenVolume: volume, observedWeeks: taken.observedWeeks)
            else { return nil }
            return SlowMovingProduct(
                product: product,
                week: week,
                observedWeeks: min(taken.observedWeeks, rule.weeks),
                takenVolume: volume,
                thresholdVolume: Int(rule.threshold(weeklyCapacity: product.weeklyCapacity, observedWeeks: taken.observedWeeks).rounded(.up))
            )
        }.sorted { $0.product.id < $1.product.id }
    }
}
