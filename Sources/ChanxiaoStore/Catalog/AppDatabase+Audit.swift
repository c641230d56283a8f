import ChanxiaoCore
import Foundation
import GRDB

/// One line of the audit log: who did what, when.
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var role: String
    public var action: String
    public var resourceKind: String?
    public var resourceID: String?
    public var detail: JSONValue?

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .int(id)), ("at", .string(at)), ("actor", .string(actor)), ("role", .string(role)), ("action", .string(action)),
            ("resource_kind", JSONValue(resourceKind)), ("resource_id", JSONValue(resourceID)), ("detail", detail ?? .null),
        ]
    }
}

extension AppDatabase {
    static func audit(
        _ db: Database,
        _ context: WriteContext,
        action: String,
        kind: CatalogKind? = nil,
        id: String? = nil,
        detail: JSONValue? = nil
    ) throws {
        // Members in sorted order: `JSONEncoder` writes a dictionary in hash order, which differs
        // between runs, so the same change would leave different bytes in the log.
        let detailText = detail.map { String(decoding: JSONWriter.encode($0), as: UTF8.self) }
        try db.execute(
            sql: "INSERT INTO audit_log (at, actor, role, action, resource_kind, resource_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [Timestamp.string(from: context.now), context.actor, context.role.rawValue, action, kind?.rawValue, id, detailText]
        )
    }

    /// Audit entries, newest first, optionally for one resource, before entry id `before`.
    public func auditEntries(
        kind: CatalogKind? = nil,
        id: String? = nil,
        before: Int64? = nil,
        limit: Int
    ) async throws
        -> (entries: [AuditEntry], next: Int64?)
    {
        try await read { db in
            var conditions: [SQL] = []
            if let kind { conditions.append("resource_kind = \(kind.rawValue)") }
            if let id { conditions.append("resource_id = \(id)") }
            if let before { conditions.append("id < \(before)") }
            let whereClause = SQL.whereClause(conditions)
            let rows = try SQLRequest<Row>("SELECT * FROM audit_log \(whereClause) ORDER BY id DESC LIMIT \(limit + 1)").fetchAll(db)
            var entries = rows.map { row in
                AuditEntry(
                    id: row["id"],
                    at: row["at"],
                    actor: row["actor"],
                    role: row["role"],
                    action: row["action"],
                    resourceKind: row["resource_kind"],
                    resourceID: row["resource_id"],
                    detail: (row["detail"] as String?).flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
                )
            }
            var next: Int64?
            if entries.count > limit {
                entries.removeLast()
                next = entries.last?.id
            }
            return (entries, next)
        }
    }
}
