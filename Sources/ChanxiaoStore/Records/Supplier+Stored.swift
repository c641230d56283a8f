import ChanxiaoCore
import GRDB

extension Supplier: StoredEntity {
    public static let table = "supplier"
    public static let ownerColumn: String? = "id"
    public static let dependents: [Dependent] = [.catalog(.product, "supplier_id")]

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            name: row["name"],
            countyCode: row["county_code"],
            kind: try ColumnValue.enumeration(row, "kind"),
            blacklisted: row["blacklisted"],
            blacklistReason: row["blacklist_reason"],
            blacklistedOn: try ColumnValue.optionalDate(row, "blacklisted_on"),
            contactPerson: row["contact_person"],
            contactPhone: row["contact_phone"],
            address: row["address"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["county_code"] = countyCode
        container["kind"] = kind.rawValue
        container["blacklisted"] = blacklisted
        container["blacklist_reason"] = blacklistReason
        container["blacklisted_on"] = blacklistedOn?.description
        container["contact_person"] = contactPerson
        container["contact_phone"] = contactPhone
        container["address"] = address
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("county_code", .text(let code)): return "county_code LIKE \(ColumnValue.regionPrefix(code) + "%")"
        case ("kind", .text(let kind)): return "kind = \(kind)"
        case ("blacklisted", .bool(let flag)): return "blacklisted = \(flag)"
        default: return "0"
        }
    }
}

extension Supplier {
    /// A supplier's products are in the supplier's county: moving the supplier moves them.
    public func didUpdate(from old: Supplier, in db: Database) throws {
        if old.countyCode != countyCode {
            try db.execute(sql: "UPDATE product SET county_code = ? WHERE supplier_id = ?", arguments: [countyCode, id])
            try db.execute(sql: "UPDATE certification SET county_code = ? WHERE supplier_id = ?", arguments: [countyCode, id])
        }
    }
}
