import ChanxiaoCore
import Foundation
import GRDB

extension Complaint {
    init(row: Row) throws {
        self.init(
            id: row["id"],
            subjectKind: try ColumnValue.enumeration(row, "subject_kind"),
            subjectID: row["subject_id"],
            supplierID: row["supplier_id"],
            countyCode: row["county_code"],
            category: try ColumnValue.enumeration(row, "category"),
            description: row["description"],
            evidence: row["evidence"],
            status: try ColumnValue.enumeration(row, "status"),
            filedBy: row["filed_by"],
            resolution: row["resolution"],
            remedy: try (row["remedy"] as String?).map { text in
                guard let remedy = ComplaintRemedy(rawValue: text) else { throw ColumnValue.corrupt("remedy", text) }
                return remedy
            },
            revokedCertificationIDs: try ColumnValue.jsonArray(row, "revoked_certification_ids"),
            resolvedBy: row["resolved_by"],
            resolvedAt: try ColumnValue.optionalTimestamp(row, "resolved_at"),
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    /// Inserts or updates the row. An upsert, not INSERT OR REPLACE, which would delete the row
    /// and its history with it (ON DELETE CASCADE).
    func save(_ db: Database) throws {
        let columns = [
            "subject_kind", "subject_id", "supplier_id", "county_code", "category", "description", "evidence", "status", "filed_by",
            "resolution", "remedy", "revoked_certification_ids", "resolved_by", "resolved_at", "created_at", "updated_at",
        ]
        let updates = columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.execute(
            sql: """
                INSERT INTO complaint (id, \(columns.joined(separator: ", ")))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET \(updates)
                """,
            arguments: [
                id, subjectKind.rawValue, subjectID, supplierID, countyCode, category.rawValue, description, evidence, status.rawValue, filedBy,
                resolution, remedy?.rawValue, ColumnValue.json(revokedCertificationIDs), resolvedBy, resolvedAt.map(Timestamp.string(from:)),
                Timestamp.string(from: createdAt), Timestamp.string(from: updatedAt),
            ]
        )
    }
}
