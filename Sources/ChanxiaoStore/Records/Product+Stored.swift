import ChanxiaoCore
import GRDB

extension Product: StoredEntity {
    public static let table = "product"
    public static let ownerColumn: String? = "supplier_id"
    public static let dependents = [
        Dependent(
            table: "match",
            column: "product_id",
            singular: "match",
            plural: "matches",
            advice: "matches are the record of what was proposed and bought; set weekly_capacity to 0 instead (a reviewer revokes a listing)"
        ),
        Dependent(
            table: "rotation_slot",
            column: "product_id",
            singular: "featured week",
            plural: "featured weeks",
            advice: "rotations are the record of what was featured; set weekly_capacity or season_months instead"
        ),
        Dependent(
            table: "livestream_product",
            column: "product_id",
            singular: "livestream",
            plural: "livestreams",
            advice: "livestreams are the record of what was shown; set weekly_capacity or season_months instead"
        ),
        Dependent(
            table: "fair_application_product",
            column: "product_id",
            singular: "fair application",
            plural: "fair applications",
            advice: "applications are the record of what was exhibited; set weekly_capacity or season_months instead"
        ),
        Dependent(
            table: "sale",
            column: "product_id",
            singular: "sale",
            plural: "sales",
            advice:
                "sales are the record of what was bought and count in the reports; set weekly_capacity to 0 instead (a reviewer revokes a listing)"
        ),
    ]

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            supplierID: row["supplier_id"],
            countyCode: row["county_code"],
            name: row["name"],
            category: try ColumnValue.enumeration(row, "category"),
            unit: try ColumnValue.enumeration(row, "unit"),
            unitPriceFen: row["unit_price_fen"],
            weeklyCapacity: row["weekly_capacity"],
            minOrder: row["min_order"],
            seasonMonths: try ColumnValue.jsonArray(row, "season_months"),
            certifiedSpans: try ColumnValue.certifiedSpans(row, "certified_spans"),
            coldChain: row["cold_chain"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["supplier_id"] = supplierID
        container["county_code"] = countyCode
        container["name"] = name
        container["category"] = category.rawValue
        container["unit"] = unit.rawValue
        container["unit_price_fen"] = unitPriceFen
        container["weekly_capacity"] = weeklyCapacity
        container["min_order"] = minOrder
        container["season_months"] = ColumnValue.json(seasonMonths)
        container["certified_spans"] = ColumnValue.json(certifiedSpans)
        // Copies of the latest listing, for readers of the table.
        container["certificate_no"] = certificateNo
        container["certified_until"] = certifiedUntil?.description
        container["cold_chain"] = coldChain
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("supplier_id", .text(let id)): return "supplier_id = \(id)"
        case ("county_code", .text(let code)): return "county_code LIKE \(ColumnValue.regionPrefix(code) + "%")"
        case ("category", .text(let category)): return "category = \(category)"
        case ("unit", .text(let unit)): return "unit = \(unit)"
        case ("cold_chain", .bool(let flag)): return "cold_chain = \(flag)"
        case ("certified_on", .date(let date)):
            return """
                id IN (SELECT product_id FROM certification WHERE counts_through >= \(date.description)
                AND (counts_from IS NULL OR counts_from <= \(date.description)))
                """
        default: return "0"
        }
    }
}

extension Product {
    /// The county follows the supplier, and the certified days come from the certifications
    /// alone: no client writes them through the product.
    public mutating func resolve(in db: Database, context: WriteContext, replacing existing: Product?) throws {
        if let county = try String.fetchOne(db, sql: "SELECT county_code FROM supplier WHERE id = ?", arguments: [supplierID]) {
            countyCode = county
        }
        certifiedSpans = try AppDatabase.certifiedSpans(of: id, db)
    }

    /// A product whose certification ever counted stays, as the record of what was certified;
    /// applications that never did go with it.
    public static func checkDelete(_ existing: Product, in db: Database, context: WriteContext) throws {
        let counted = try String.fetchOne(
            db,
            sql: "SELECT id FROM certification WHERE product_id = ? AND counts_through IS NOT NULL LIMIT 1",
            arguments: [existing.id]
        )
        if let counted {
            throw StoreError.conflict(
                "product \(existing.id) has certification \(counted), the record of what was certified; revoke it or set weekly_capacity instead"
            )
        }
        try db.execute(sql: "DELETE FROM certification WHERE product_id = ?", arguments: [existing.id])
    }

    /// The certifications follow the product to another supplier (and its county), so that
    /// reviewers and suppliers find them where the product is.
    public func didUpdate(from old: Product, in db: Database) throws {
        if old.countyCode != countyCode || old.supplierID != supplierID {
            try db.execute(
                sql: "UPDATE certification SET county_code = ?, supplier_id = ? WHERE product_id = ?",
                arguments: [countyCode, supplierID, id]
            )
        }
    }
}
