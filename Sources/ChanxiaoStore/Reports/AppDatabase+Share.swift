import ChanxiaoCore
import ChanxiaoReports
import Foundation
import GRDB

/// A buyer's poverty-product share over a period, in total and per category.
public struct BuyerShare: Sendable {
    public var buyer: Buyer
    public var from: CalendarDate
    public var to: CalendarDate
    public var target: ShareTargetPolicy.Resolved
    public var figures: ShareFigures
    public var byCategory: [(category: ProductCategory?, figures: ShareFigures)]
}

extension AppDatabase {
    /// The share of one buyer; nil when there is no such buyer.
    public func buyerShare(buyerID: String, from: CalendarDate, to: CalendarDate, policy: ShareTargetPolicy) async throws -> BuyerShare? {
        try await reader.read { db in
            guard let buyer = try Stored<Buyer>.fetchOne(db, key: buyerID)?.entity else { return nil }
            let lines = try Self.shareLines(db, from: from, to: to, buyerID: buyerID)[buyerID] ?? []
            let target = policy.target(for: buyer)
            return BuyerShare(buyer: buyer, from: from, to: to, target: target, figures: ShareFigures(lines, target: target.share),
                              byCategory: ShareFigures.byCategory(lines, target: target.share))
        }
    }

    /// Purchases per buyer in `from...to`, summed per category and poverty flag.
    static func shareLines(_ db: Database, from: CalendarDate, to: CalendarDate, buyerID: String? = nil) throws -> [String: [ShareLine]] {
        var sql = "SELECT buyer_id, category, poverty_product, SUM(amount_fen) AS amount FROM sale WHERE sold_on BETWEEN ? AND ?"
        var arguments: StatementArguments = [from.description, to.description]
        if let buyerID {
            sql += " AND buyer_id = ?"
            arguments += [buyerID]
        }
        var result: [String: [ShareLine]] = [:]
        for row in try Row.fetchAll(db, sql: sql + " GROUP BY buyer_id, category, poverty_product", arguments: arguments) {
            result[row["buyer_id"], default: []].append(ShareLine(category: ProductCategory(rawValue: row["category"]), amountFen: row["amount"],
                                                                  povertyProduct: row["poverty_product"]))
        }
        return result
    }

    /// Every buyer whose share over `from...to` trails its target by more than the margin, with
    /// the matches (proposed or accepted, from `matchesFrom` on) that would close the gap.
    static func quotaAlerts(_ db: Database, from: CalendarDate, to: CalendarDate, matchesFrom: IsoWeek, policy: ShareTargetPolicy,
                            settings: ReportSettings) throws -> [QuotaAlert] {
        let lines = try shareLines(db, from: from, to: to)
        var alerts: [QuotaAlert] = []
        for buyer in try all(Buyer.self, db: db) {
            let target = policy.target(for: buyer)
            let figures = ShareFigures(lines[buyer.id] ?? [], target: target.share)
            guard settings.isAtRisk(figures) else { continue }
            let candidates = try Row.fetchAll(db, sql: """
                SELECT * FROM match WHERE buyer_id = ? AND status IN ('proposed', 'accepted') AND week >= ? ORDER BY unit_cost, id LIMIT ?
                """, arguments: [buyer.id, matchesFrom.description, max(1, settings.atRiskMaxMatches) * 4]).map(Match.init(row:))
            alerts.append(QuotaAlert(buyer: buyer, from: from, to: to, figures: figures, target: target, settings: settings, candidates: candidates))
        }
        return alerts
    }
}
