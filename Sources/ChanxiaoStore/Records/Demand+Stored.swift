import ChanxiaoCore
import GRDB

extension Demand: StoredEntity {
    public static let table = "demand"
    public static let ownerColumn: String? = "buyer_id"
    public static let dependents = [
        Dependent(
            table: "match",
            column: "demand_id",
            singular: "match",
            plural: "matches",
            advice: "matches are the record of what was proposed and bought; set ends_on to stop the demand instead"
        )
    ]

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            buyerID: row["buyer_id"],
            category: try ColumnValue.enumeration(row, "category"),
            unit: try ColumnValue.enumeration(row, "unit"),
            weeklyVolume: row["weekly_volume"],
            maxUnitPriceFen: row["max_unit_price_fen"],
            startsOn: try ColumnValue.date(row, "starts_on"),
            endsOn: try ColumnValue.optionalDate(row, "ends_on"),
            coldChain: row["cold_chain"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["buyer_id"] = buyerID
        container["category"] = category.rawValue
        container["unit"] = unit.rawValue
        container["weekly_volume"] = weeklyVolume
        container["max_unit_price_fen"] = maxUnitPriceFen
        container["starts_on"] = startsOn.description
        container["ends_on"] = endsOn?.description
        container["cold_chain"] = coldChain
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("buyer_id", .text(let id)): return "buyer_id = \(id)"
        case ("category", .text(let category)): return "category = \(category)"
        case ("unit", .text(let unit)): return "unit = \(unit)"
        case ("active_on", .date(let date)):
            return "starts_on <= \(date.description) AND (ends_on IS NULL OR ends_on >= \(date.description))"
        default: return "0"
        }
    }
}
