import ChanxiaoCore
import Foundation
import GRDB

extension Match {
    init(row: Row) throws {
        guard let week = IsoWeek(row["week"] as String) else { throw ColumnValue.corrupt("week", row["week"]) }
        let breakdownText: String = row["cost_breakdown"]
        // Decoded to a plain struct, not to JSONValue: every match listed decodes one.
        struct Term: Decodable {
            var term: String
            var cost: Int
        }
        guard let breakdown = try? JSONDecoder().decode([Term].self, from: Data(breakdownText.utf8)) else {
            throw ColumnValue.corrupt("cost_breakdown", breakdownText)
        }
        self.init(
            id: row["id"],
            runID: row["run_id"],
            week: week,
            demandID: row["demand_id"],
            buyerID: row["buyer_id"],
            productID: row["product_id"],
            supplierID: row["supplier_id"],
            countyCode: row["county_code"],
            volume: row["volume"],
            unitPriceFen: row["unit_price_fen"],
            unitCost: row["unit_cost"],
            costBreakdown: breakdown.map { ($0.term, $0.cost) },
            status: try ColumnValue.enumeration(row, "status"),
            proposedAt: try ColumnValue.timestamp(row, "proposed_at"),
            expiresAt: try ColumnValue.timestamp(row, "expires_at"),
            decidedAt: try ColumnValue.optionalTimestamp(row, "decided_at"),
            decidedBy: row["decided_by"],
            cancelReason: row["cancel_reason"]
        )
    }

    /// `[{"term":"price","cost":86000},…]`, written directly: it is built for every stored match.
    static func breakdownJSON(_ breakdown: [(term: String, cost: Int)]) -> String {
        var writer = JSONWriter(capacity: 24 * breakdown.count + 2)
        writer.array(breakdown) { writer, item in
            writer.raw("{\"term\":")
            writer.string(item.term)
            writer.raw(",\"cost\":")
            writer.raw(String(item.cost))
            writer.raw("}")
        }
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Inserts matches through one prepared statement (a run stores thousands).
    static func insert(_ matches: [Match], _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO match (id, run_id, week, demand_id, buyer_id, product_id, supplier_id, county_code, volume, unit_price_fen,
                                   unit_cost, cost_breakdown, status, proposed_at, expires_at, decided_at, decided_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        var stamps: [Date: String] = [:]  // a run's matches share their times
        func stamp(_ date: Date) -> String {
            if let known = stamps[date] { return known }
            let text = Timestamp.string(from: date)
            stamps[date] = text
            return text
        }
        var weeks: [IsoWeek: String] = [:]
        for match in matches {
            let week = weeks[match.week] ?? match.week.description
            weeks[match.week] = week
            try statement.execute(arguments: [
                match.id, match.runID, week, match.demandID, match.buyerID, match.productID, match.supplierID,
                match.countyCode, match.volume, match.unitPriceFen, match.unitCost, breakdownJSON(match.costBreakdown),
                match.status.rawValue, stamp(match.proposedAt), stamp(match.expiresAt), match.decidedAt.map(stamp), match.decidedBy,
            ])
        }
    }
}

extension MatchRun {
    init(row: Row) throws {
        guard let week = IsoWeek(row["week"] as String) else { throw ColumnValue.corrupt("week", row["week"]) }
        func json(_ column: String) throws -> JSONValue {
            let text: String = row[column]
            do { return try JSONValue.parse(Data(text.utf8)) } catch { throw ColumnValue.corrupt(column, text) }
        }
        self.init(
            id: row["id"],
            week: week,
            trigger: row["trigger"],
            actor: row["actor"],
            configHash: row["config_hash"],
            startedAt: try ColumnValue.timestamp(row, "started_at"),
            durationMilliseconds: row["duration_ms"],
            proposals: row["proposals"],
            stats: try json("stats"),
            unmet: try json("unmet")
        )
    }

    func insert(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO match_run (id, week, trigger, actor, config_hash, started_at, duration_ms, proposals, stats, unmet)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, week.description, trigger, actor, configHash, Timestamp.string(from: startedAt), durationMilliseconds,
                proposals, String(decoding: JSONWriter.encode(stats), as: UTF8.self),
                String(decoding: JSONWriter.encode(unmet), as: UTF8.self),
            ]
        )
    }
}
