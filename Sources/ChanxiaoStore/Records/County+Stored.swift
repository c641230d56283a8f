import ChanxiaoCore
import GRDB

extension County: StoredEntity {
    public static let table = "county"
    public static let idColumn = "code"
    public static let dependents: [Dependent] = [
        .catalog(.supplier, "county_code"),
        Dependent(
            table: "rotation_slot",
            column: "county_code",
            singular: "featured week",
            plural: "featured weeks",
            advice: "rotations are the record of what was featured; keep the county"
        ),
        Dependent(
            table: "fair_application",
            column: "county_code",
            singular: "fair application",
            plural: "fair applications",
            advice: "applications are the record of who asked for booths; keep the county"
        ),
        .catalog(.outlet, "county_code"),
    ]

    public init(row: Row) throws {
        self.init(
            code: row["code"],
            name: row["name"],
            province: row["province"],
            city: row["city"],
            povertyStatus: try ColumnValue.enumeration(row, "poverty_status"),
            poorPopulation: row["poor_population"],
            pairedRegionCodes: try ColumnValue.jsonArray(row, "paired_region_codes"),
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["code"] = code
        container["name"] = name
        container["province"] = province
        container["city"] = city
        container["poverty_status"] = povertyStatus.rawValue
        container["poor_population"] = poorPopulation
        container["paired_region_codes"] = ColumnValue.json(pairedRegionCodes)
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("province", .text(let text)): return "province = \(text)"
        case ("poverty_status", .text(let text)): return "poverty_status = \(text)"
        case ("q", .text(let text)): return "instr(name, \(text)) > 0"
        case ("paired_with", .text(let code)):
            // Paired with a region that contains `code`, or with one inside it.
            let ancestors = [code, String(code.prefix(4)) + "00", String(code.prefix(2)) + "0000"]
            let inside = ColumnValue.regionPrefix(code) + "%"
            return "EXISTS (SELECT 1 FROM json_each(county.paired_region_codes) AS p WHERE p.value IN \(ancestors) OR p.value LIKE \(inside))"
        default: return "0"
        }
    }
}
