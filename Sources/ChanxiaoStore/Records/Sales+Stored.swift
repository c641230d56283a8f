import ChanxiaoCore
import GRDB

extension Sale: StoredEntity {
    public static let table = "sale"
    public static let ownerColumn: String? = "buyer_id"

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            buyerID: row["buyer_id"],
            productID: row["product_id"],
            category: try ColumnValue.enumeration(row, "category"),
            unit: try (row["unit"] as String?).map { text in
                guard let unit = MeasureUnit(rawValue: text) else { throw ColumnValue.corrupt("unit", text) }
                return unit
            },
            volume: row["volume"],
            amountFen: row["amount_fen"],
            soldOn: try ColumnValue.date(row, "sold_on"),
            channel: try ColumnValue.enumeration(row, "channel"),
            note: row["note"],
            countyCode: row["county_code"],
            povertyProduct: row["poverty_product"],
            matchID: row["match_id"],
            createdBy: row["created_by"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["buyer_id"] = buyerID
        container["product_id"] = productID
        container["category"] = category?.rawValue
        container["unit"] = unit?.rawValue
        container["volume"] = volume
        container["amount_fen"] = amountFen
        container["sold_on"] = soldOn.description
        container["channel"] = channel.rawValue
        container["note"] = note
        container["county_code"] = countyCode
        container["poverty_product"] = povertyProduct
        container["match_id"] = matchID
        container["created_by"] = createdBy
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("buyer_id", .text(let id)): return "buyer_id = \(id)"
        case ("product_id", .text(let id)): return "product_id = \(id)"
        case ("county_code", .text(let code)): return "county_code LIKE \(ColumnValue.regionPrefix(code) + "%")"
        case ("category", .text(let category)): return "category = \(category)"
        case ("channel", .text(let channel)): return "channel = \(channel)"
        case ("poverty_product", .bool(let flag)): return "poverty_product = \(flag)"
        case ("from", .date(let date)): return "sold_on >= \(date.description)"
        case ("to", .date(let date)): return "sold_on <= \(date.description)"
        default: return "0"
        }
    }

    public static var auditsImportedRows: Bool { true }

    /// The product decides the county, the category and unit, and whether the sale counts as a
    /// poverty product; a category or unit that contradicts the product is refused, and so is an
    /// amount implausible at its price. Who recorded the sale is kept from its creation. Only
    /// admins write sales dated in a closed reporting week (one whose weekly report was filed).
    public mutating func resolve(in db: Database, context: WriteContext, replacing existing: Sale?) throws {
        createdBy = existing.map(\.createdBy) ?? context.actor
        var product: Product?
        var blacklistedOn: CalendarDate?
        if let productID {
            product = try Stored<Product>.fetchOne(db, key: productID)?.entity
            if let product {
                blacklistedOn = try Stored<Supplier>.fetchOne(db, key: product.supplierID)?.entity.blacklistedSince
            }
        }
        var errors = resolve(product: product, supplierBlacklistedOn: blacklistedOn)
        // The rules of writes apply to changes: a row that stores what is stored already (an
        // export imported back) changes no figure, whatever week it is in or price it was at.
        if errors.isEmpty, let existing, existing.writableJSON == writableJSON { return }
        if let product,
            let problem = Self.amountProblem(
                amountFen: amountFen,
                volume: volume,
                unitPriceFen: product.unitPriceFen,
                factor: context.rules.salePriceFactor
            )
        {
            errors.append(FieldError(field: "amount_fen", message: problem))
        }
        if let problem = try Self.closedWeekProblem([soldOn, existing?.soldOn], db: db, context: context) {
            errors.append(FieldError(field: "sold_on", message: problem))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    public static func checkDelete(_ existing: Sale, in db: Database, context: WriteContext) throws {
        if let problem = try closedWeekProblem([existing.soldOn], db: db, context: context) {
            throw ValidationFailure(field: "sold_on", message: problem)
        }
    }

    /// Why a non-admin may not write a sale on one of `days`: the weekly report of its week has
    /// been filed, and changing it would change figures already sent.
    static func closedWeekProblem(_ days: [CalendarDate?], db: Database, context: WriteContext) throws -> String? {
        guard context.role != .admin, let closed = try AppDatabase.closedThrough(db),
            let day = days.compactMap({ $0 }).first(where: { $0 <= closed })
        else { return nil }
        return "\(day) is in a closed reporting week: the weekly reports through \(IsoWeek(containing: closed)) (\(closed)) "
            + "have been filed; sales before then are corrected by an admin"
    }

    /// The fields a sale keeps when the client rewrites it: where it came from.
    public func didUpdate(from old: Sale, in db: Database) throws {
        if old.matchID != nil, matchID == nil {
            try db.execute(sql: "UPDATE sale SET match_id = ? WHERE id = ?", arguments: [old.matchID, id])
        }
    }
}

extension Outlet: StoredEntity {
    public static let table = "outlet"
    public static let ownerColumn: String? = "buyer_id"

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            name: row["name"],
            kind: try ColumnValue.enumeration(row, "kind"),
            countyCode: row["county_code"],
            regionCode: row["region_code"],
            buyerID: row["buyer_id"],
            operatorName: row["operator"],
            openedOn: try ColumnValue.date(row, "opened_on"),
            closedOn: try ColumnValue.optionalDate(row, "closed_on"),
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["kind"] = kind.rawValue
        container["county_code"] = countyCode
        container["region_code"] = regionCode
        container["buyer_id"] = buyerID
        container["operator"] = operatorName
        container["opened_on"] = openedOn.description
        container["closed_on"] = closedOn?.description
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("kind", .text(let kind)): return "kind = \(kind)"
        case ("county_code", .text(let code)): return "county_code LIKE \(ColumnValue.regionPrefix(code) + "%")"
        case ("buyer_id", .text(let id)): return "buyer_id = \(id)"
        case ("open_on", .date(let date)):
            return "opened_on <= \(date.description) AND (closed_on IS NULL OR closed_on >= \(date.description))"
        default: return "0"
        }
    }
}

extension SalesEvent: StoredEntity {
    public static let table = "sales_event"

    public init(row: Row) throws {
        self.init(
            id: row["id"],
            name: row["name"],
            kind: try ColumnValue.enumeration(row, "kind"),
            heldOn: try ColumnValue.date(row, "held_on"),
            countyCodes: try ColumnValue.jsonArray(row, "county_codes"),
            regionCode: row["region_code"],
            note: row["note"],
            createdAt: try ColumnValue.timestamp(row, "created_at"),
            updatedAt: try ColumnValue.timestamp(row, "updated_at")
        )
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["name"] = name
        container["kind"] = kind.rawValue
        container["held_on"] = heldOn.description
        container["county_codes"] = ColumnValue.json(countyCodes)
        container["region_code"] = regionCode
        container["note"] = note
        container.timestamps(of: self)
    }

    public static func condition(_ name: String, _ value: FilterValue) -> SQL {
        switch (name, value) {
        case ("kind", .text(let kind)): return "kind = \(kind)"
        // Codes are stored as a JSON array of 6-digit strings: a prefix match on any element.
        case ("county_code", .text(let code)):
            return "EXISTS (SELECT 1 FROM json_each(county_codes) WHERE value LIKE \(ColumnValue.regionPrefix(code) + "%"))"
        case ("from", .date(let date)): return "held_on >= \(date.description)"
        case ("to", .date(let date)): return "held_on <= \(date.description)"
        default: return "0"
        }
    }
}
