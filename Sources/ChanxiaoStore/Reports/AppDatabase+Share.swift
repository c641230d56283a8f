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
        try await read { db in
            guard let buyer = try Stored<Buyer>.fetchOne(db, key: buyerID)?.entity else { return nil }
            let lines = try Self.shareLines(db, from: from, to: to, buyerID: buyerID)[buyerID] ?? []
            let target = policy.target(for: buyer)
            let subject = "buyer \(buyer.id)"
            return BuyerShare(
                buyer: buyer,
                from: from,
                to: to,
                target: target,
                figures: try ShareFigures(lines, target: target.share, subject: subject),
                byCategory: try ShareFigures.byCategory(lines, target: target.share, subject: subject)
            )
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
        let subject = buyerID.map { "buyer \($0)" } ?? "a buyer"
        for row in try fetchSums(
            db,
            sql: sql + " GROUP BY buyer_id, category, poverty_product",
            arguments: arguments,
            figure: "total_amount_fen",
            of: subject
        ) {
            let buyer: String = row["buyer_id"]
            let amount = try Figure.checked(row["amount"] as Int, "total_amount_fen", of: "buyer \(buyer)")
            result[buyer, default: []].append(
                ShareLine(
                    category: ProductCategory(rawValue: row["category"]),
                    amountFen: amount,
                    povertyProduct: row["poverty_product"]
                )
            )
        }
        return result
    }

    /// The rows of a query that sums stored amounts. SQLite refuses a SUM beyond 64 bits with
    /// "integer overflow"; that is a figure out of range, not a failure of the daemon.
    static func fetchSums(
        _ db: Database,
        sql: String,
        arguments: StatementArguments = StatementArguments(),
        figure: String,
        of subject: String
    ) throws -> [Row] {
        do {
            return try Row.fetchAll(db, sql: sql, arguments: arguments)
        } catch let error as DatabaseError where error.message == "integer overflow" {
            throw FigureOutOfRange(figure: figure, subject: subject)
        }
    }

    /// Every buyer whose share over `from...to` trails its target by more than the margin, with
    /// the matches (proposed or accepted, from `matchesFrom` on) that would close the gap. A
    /// buyer whose figures cannot be reported exactly is left out and listed in `refused`, so
    /// that one buyer's records never stop the weekly job for the others.
    static func quotaAlerts(
        _ db: Database,
        from: CalendarDate,
        to: CalendarDate,
        matchesFrom: IsoWeek,
        policy: ShareTargetPolicy,
        settings: ReportSettings
    ) throws -> (alerts: [QuotaAlert], refused: [FigureOutOfRange]) {
        var alerts: [QuotaAlert] = []
        var refused: [FigureOutOfRange] = []
        // One query for all buyers; only when some buyer's sum is out of range, one per buyer.
        var allLines: [String: [ShareLine]]?
        do { allLines = try shareLines(db, from: from, to: to) } catch is FigureOutOfRange { allLines = nil }
        for buyer in try all(Buyer.self, db: db) {
            do {
                let lines = try allLines.map { $0[buyer.id] ?? [] } ?? shareLines(db, from: from, to: to, buyerID: buyer.id)[buyer.id] ?? []
                let target = policy.target(for: buyer)
                let figures = try ShareFigures(lines, target: target.share, subject: "buyer \(buyer.id)")
                guard settings.isAtRisk(figures) else { continue }
                let candidates = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM match WHERE buyer_id = ? AND status IN ('proposed', 'accepted') AND week >= ? ORDER BY unit_cost, id LIMIT ?
                        """,
                    arguments: [buyer.id, matchesFrom.description, max(1, settings.atRiskMaxMatches) * 4]
                ).map(Match.init(row:))
                alerts.append(
                    try QuotaAlert(
                        buyer: buyer,
                        from: from,
                        to: to,
                        figures: figures,
                        target: target,
                        settings: settings,
                        candidates: candidates
                    )
                )
            } catch let failure as FigureOutOfRange {
                refused.append(failure)
            }
        }
        return (alerts, refused)
    }
}
