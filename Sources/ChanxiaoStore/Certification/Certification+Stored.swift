import ChanxiaoCore
import Foundation
import GRDB

extension Certification {
    init(row: Row) throws {
        self.init(
            id: row["id"],
            productID: row["product_id"],
            supplierID: row["supplier_id"],
            countyCode: row["county_code"],
            status: try ColumnValue.enumeration(row, "status"),
            productionBase: row["production_base"],
            linkedHouseholds: row["linked_households"],
            foodSafetyDocs: try ColumnValue.jsonArray(row, "food_safety_docs"),
            certificateNo: row["certificate_no"],
            authorityCode: row["authority_code"],
            authorityName: row["authority_name"],
            level: try (row["level"] as String?).map { text in
                guard let level = CertificationLevel(rawValue: text) else { throw ColumnValue.corrupt("level", text) }
                return level
            },
            validFrom: try ColumnValue.optionalDate(row, "valid_from"),
            validUntil: try ColumnValue.optionalDate(row, "valid_until"),
            noticeStartsOn: try ColumnValue.optionalDate(row, "notice_starts_on"),
            noticeEndsOn: try ColumnValue.optionalDate(row, "notice_ends_on"),
            listedOn: try ColumnValue.optionalDate(row, "listed_on"),
            endedOn: try ColumnValue.optionalDate(row, "ended_on"),
            reason: row["reason"],
            origin: try ColumnValue.enumeration(row, "origin"),
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    /// Inserts or updates the row, with the span SQL reads "certified on D" from. An upsert,
    /// not INSERT OR REPLACE: replacing deletes the row first, and its history and objections
    /// with it (ON DELETE CASCADE).
    func save(_ db: Database) throws {
        let span = span
        let columns = [
            "product_id", "supplier_id", "county_code", "status", "production_base", "linked_households", "food_safety_docs",
            "certificate_no", "authority_code", "authority_name", "level", "valid_from", "valid_until", "notice_starts_on", "notice_ends_on",
            "listed_on", "ended_on", "reason", "origin", "counts_from", "counts_through", "created_at", "updated_at",
        ]
        let updates = columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.execute(
            sql: """
                INSERT INTO certification (
                    id, product_id, supplier_id, county_code, status, production_base, linked_households, food_safety_docs,
                    certificate_no, authority_code, authority_name, level, valid_from, valid_until, notice_starts_on, notice_ends_on,
                    listed_on, ended_on, reason, origin, counts_from, counts_through, created_at, updated_at
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET \(updates)
                """,
            arguments: [
                id, productID, supplierID, countyCode, status.rawValue, productionBase, linkedHouseholds, ColumnValue.json(foodSafetyDocs),
                certificateNo, authorityCode, authorityName, level?.rawValue, validFrom?.description, validUntil?.description,
                noticeStartsOn?.description, noticeEndsOn?.description, listedOn?.description, endedOn?.description, reason, origin.rawValue,
                // counts_from is NULL both when it never counted (counts_through NULL too) and
                // when it counts since before chanxiao kept certifications.
                span?.from?.description, span?.through.description,
                Timestamp.string(from: createdAt), Timestamp.string(from: updatedAt),
            ]
        )
    }
}

extension CertificationObjection {
    init(row: Row) throws {
        self.init(
            id: row["id"],
            certificationID: row["certification_id"],
            reason: row["reason"],
            filedBy: row["filed_by"],
            status: try ColumnValue.enumeration(row, "status"),
            resolution: row["resolution"],
            resolvedBy: row["resolved_by"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            resolvedAt: try ColumnValue.optionalTimestamp(row, "resolved_at")
        )
    }
}
