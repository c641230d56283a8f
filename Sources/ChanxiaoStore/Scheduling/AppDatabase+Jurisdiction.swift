import ChanxiaoCore
import GRDB

/// The records a region-bound organizer plans with, beyond the catalog, and which of them its
/// jurisdiction holds.
public enum ScopedRecord: Sendable {
    /// A rotation: its venue lies in the regions.
    case rotation
    /// A livestream: its rotation's venue lies in the regions, or it shows a product of a county
    /// the jurisdiction reaches.
    case livestream
    /// A match: its buyer lies in the regions, or its product's county is reached.
    case match

    var table: String {
        switch self {
        case .rotation: "rotation"
        case .livestream: "livestream"
        case .match: "match"
        }
    }

    func condition(_ scope: JurisdictionScope) -> SQL {
        switch self {
        case .rotation:
            scope.venue("venue_id")
        case .livestream:
            """
            (rotation_id IN (SELECT id FROM rotation WHERE \(scope.venue("venue_id")))
             OR id IN (SELECT lp.livestream_id FROM livestream_product lp JOIN product p ON p.id = lp.product_id
                       WHERE \(scope.reached("p.county_code"))))
            """
        case .match:
            "(\(scope.reached("county_code")) OR \(scope.buyer("buyer_id")))"
        }
    }
}

extension AppDatabase {
    /// Whether `jurisdiction` (nil: the national view) holds the record; false when it does not exist.
    public func holds(_ jurisdiction: Jurisdiction?, _ record: ScopedRecord, id: String) async throws -> Bool {
        try await read { db in try Self.holds(jurisdiction, record, id: id, db: db) }
    }

    static func holds(_ jurisdiction: Jurisdiction?, _ record: ScopedRecord, id: String, db: Database) throws -> Bool {
        // Typed: GRDB's own `??` on SQL would write IFNULL(condition, '1'), which holds every row the condition cannot decide.
        let condition: SQL = try jurisdiction.map { record.condition(try scope($0, db: db)) } ?? "1"
        let request: SQLRequest<Bool> = "SELECT EXISTS (SELECT 1 FROM \(sql: record.table) WHERE id = \(id) AND \(condition))"
        return try request.fetchOne(db) ?? false
    }

    /// The condition restricting a list of `record` to the jurisdiction, if any.
    static func condition(_ jurisdiction: Jurisdiction?, _ record: ScopedRecord, db: Database) throws -> SQL? {
        try jurisdiction.map { record.condition(try scope($0, db: db)) }
    }

    /// The buyers inside the jurisdiction's regions.
    public func buyerIDs(within jurisdiction: Jurisdiction) async throws -> Set<String> {
        try await read { db in
            let scope = try Self.scope(jurisdiction, db: db)
            let request: SQLRequest<String> = "SELECT id FROM buyer WHERE \(scope.inside("region_code"))"
            return Set(try request.fetchAll(db))
        }
    }
}
