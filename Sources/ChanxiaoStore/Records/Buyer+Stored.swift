import ChanxiaoCore
import GRDB

extension Buyer: StoredEntity {
    public static let table = "buyer"
    public static let ownerColumn: String? = "id"
    public static let dependents: [Dependent] = [
        .catalog(.demand, "buyer_id"),
        Dependent(
            table: "sale",
            column: "buyer_id",
            singular: "sale",
            plural: "sales",
            advice: "sales are the record of what was bought and count in the reports; keep the buyer"
        ),
        .catalog(.outlet, "buyer_id"),
    ]

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            name: row["name"],
            kind: try ColumnValue.enumeration(row, "kind"),
            regionCode: row["region_code"],
            network: row["network"],
            povertyShareTarget: row["poverty_share_target"],
            maxSuppliersPerCategory: row["max_suppliers_per_category"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["kind"] = kind.rawValue
        container["region_code"] = regionCode
        container["network"] = network
        container["poverty_share_target"] = povertyShareTarget
        container["max_suppliers_per_category"] = maxSuppliersPerCategory
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("kind", .text(let kind)): return "kind = \(kind)"
        case ("network", .text(let network)): return "network = \(network)"
        case ("region_code", .text(let code)): return "region_code LIKE \(ColumnValue.regionPrefix(code) + "%")"
        default: return "0"
        }
    }
}
