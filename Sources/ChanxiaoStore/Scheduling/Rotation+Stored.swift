import ChanxiaoCore
import Foundation
import GRDB

extension Rotation {
    static func read(_ db: Database, id: String) throws -> Rotation? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM rotation WHERE id = ?", arguments: [id]) else { return nil }
        var rotation = try Rotation(row: row)
        rotation.slots = try FeaturedSlot.fetch(db, rotationID: id)
        rotation.changes = try Row.fetchAll(db, sql: "SELECT * FROM rotation_change WHERE rotation_id = ? ORDER BY id", arguments: [id]).map { row in
            RotationChange(
                at: try ColumnValue.timestamp(row, "at"),
                actor: row["actor"],
                kind: row["kind"],
                detail: try ColumnValue.jsonValue(row, "detail")
            )
        }
        return rotation
    }

    /// The rotation's own columns; slots and changes are read separately.
    init(row: Row) throws {
        let blackout: [String] = try ColumnValue.jsonArray(row, "blackout_weeks")
        let unplaced = try ColumnValue.jsonValue(row, "unplaced").array ?? []
        self.init(
            id: row["id"],
            venueID: row["venue_id"],
            fromWeek: try ColumnValue.week(row, "from_week"),
            weeks: row["weeks"],
            status: try ColumnValue.enumeration(row, "status"),
            cycleLength: row["cycle_length"],
            slots: [],
            blackoutWeeks: blackout.compactMap { IsoWeek($0) },
            unplaced: unplaced.compactMap { item in
                guard case .object(let fields) = item, let code = fields["county_code"]?.string, let reason = fields["reason"]?.string else {
                    return nil
                }
                return (code, reason)
            },
            score: try ColumnValue.points(row, "score"),
            total: row["total"],
            bound: row["bound"],
            request: try ColumnValue.jsonValue(row, "request"),
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            publishedAt: try ColumnValue.optionalTimestamp(row, "published_at")
        )
    }

    func insert(_ db: Database, createdBy: String) throws {
        try db.execute(
            sql: """
                INSERT INTO rotation (id, venue_id, from_week, weeks, status, cycle_length, blackout_weeks, unplaced, score, total, bound,
                                      request, created_at, created_by, published_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, venueID, fromWeek.description, weeks, status.rawValue, cycleLength,
                ColumnValue.json(blackoutWeeks.map(\.description)),
                ColumnValue.text(.array(unplaced.map { .object(["county_code": .string($0.countyCode), "reason": .string($0.reason)]) })),
                ColumnValue.pointsText(score), total, bound, ColumnValue.text(request), Timestamp.string(from: createdAt), createdBy,
                publishedAt.map(Timestamp.string(from:)),
            ]
        )
        for slot in slots { try slot.save(db, rotationID: id) }
    }
}

extension FeaturedSlot {
    static func fetch(_ db: Database, rotationID: String) throws -> [FeaturedSlot] {
        try Row.fetchAll(db, sql: "SELECT * FROM rotation_slot WHERE rotation_id = ? ORDER BY week", arguments: [rotationID]).map(
            FeaturedSlot.init(row:)
        )
    }

    init(row: Row) throws {
        self.init(
            week: try ColumnValue.week(row, "week"),
            countyCode: row["county_code"],
            productID: row["product_id"],
            pinned: row["pinned"],
            reasons: try ColumnValue.jsonArray(row, "reasons"),
            points: try ColumnValue.points(row, "points"),
            sequence: row["sequence"],
            updatedAt: try ColumnValue.timestamp(row, "updated_at"),
            withdrawnReason: row["withdrawn_reason"]
        )
    }

    func save(_ db: Database, rotationID: String) throws {
        try db.execute(
            sql: """
                INSERT INTO rotation_slot (rotation_id, week, county_code, product_id, pinned, reasons, points, sequence, updated_at,
                                           withdrawn_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (rotation_id, week) DO UPDATE SET county_code = excluded.county_code, product_id = excluded.product_id,
                    pinned = excluded.pinned, reasons = excluded.reasons, points = excluded.points, sequence = excluded.sequence,
                    updated_at = excluded.updated_at, withdrawn_reason = excluded.withdrawn_reason
                """,
            arguments: [
                rotationID, week.description, countyCode, productID, pinned, ColumnValue.json(reasons),
                ColumnValue.pointsText(points), sequence, Timestamp.string(from: updatedAt), withdrawnReason,
            ]
        )
    }
}

extension ColumnValue {
    static func week(_ row: Row, _ name: String) throws -> IsoWeek {
        let text: String = row[name]
        guard let week = IsoWeek(text) else { throw corrupt(name, text) }
        return week
    }

    static func jsonValue(_ row: Row, _ name: String) throws -> JSONValue {
        let text: String = row[name]
        do { return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) } catch { throw corrupt(name, text) }
    }

    static func text(_ value: JSONValue) -> String {
        String(decoding: (try? JSONEncoder().encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// Points per term, kept in order as `[["term", value], …]`.
    static func points(_ row: Row, _ name: String) throws -> [(term: String, value: Double)] {
        guard case .array(let items) = try jsonValue(row, name) else { throw corrupt(name, row[name]) }
        return items.compactMap { item in
            guard case .array(let pair) = item, pair.count == 2, let term = pair[0].string else { return nil }
            switch pair[1] {
            case .double(let value): return (term, value)
            case .int(let value): return (term, Double(value))
            default: return nil
            }
        }
    }

    static func pointsText(_ points: [(term: String, value: Double)]) -> String {
        text(.array(points.map { .array([.string($0.term), .double($0.value)]) }))
    }
}
