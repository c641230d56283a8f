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

    /// The share of each of `buyers` over `from...to`. A buyer whose figures cannot be made
    /// exactly is left out and listed in `refused`, so that one buyer's records never stop a
    /// report or the weekly job for the others. One query for all buyers; only when some
    /// buyer's sum is out of range, one per buyer.
    static func buyerShares(
        _ db: Database,
        buyers: [Buyer],
        from: CalendarDate,
        to: CalendarDate,
        policy: ShareTargetPolicy
    ) throws
        -> (shares: [(buyer: Buyer, target: ShareTargetPolicy.Resolved, figures: ShareFigures)], refused: [FigureOutOfRange])
    {
        var allLines: [String: [ShareLine]]?
        do { allLines = try shareLines(db, from: from, to: to) } catch is FigureOutOfRange { allLines = nil }
        var shares: [(buyer: Buyer, target: ShareTargetPolicy.Resolved, figures: ShareFigures)] = []
        var refused: [FigureOutOfRange] = []
        for buyer in buyers {
            do {
                let lines = try allLines.map { $0[buyer.id] ?? [] } ?? shareLines(db, from: from, to: to, buyerID: buyer.id)[buyer.id] ?? []
                let target = policy.target(for: buyer)
                shares.append((buyer, target, try ShareFigures(lines, target: target.share, subject: "buyer \(buyer.id)")))
            } catch let failure as FigureOutOfRange {
                refused.append(failure)
            }
        }
        return (shares, refused)
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
        let (shares, refusedShares) = try buyerShares(db, buyers: try all(Buyer.self, db: db), from: from, to: to, policy: policy)
        var refused = refusedShares
        for (buyer, target, figures) in shares where settings.isAtRisk(figures) {
            do {
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
