import Foundation

/// A buyer's standing weekly demand in one category, from `starts_on` until `ends_on`
/// (open-ended when `ends_on` is null).
public struct Demand: CatalogEntity {
    public static let kind = CatalogKind.demand
    public static let writableFields = [
        "id", "buyer_id", "category", "unit", "weekly_volume", "max_unit_price_fen",
        "starts_on", "ends_on", "cold_chain",
    ]

    public var id: String
    public var buyerID: String
    public var category: ProductCategory
    public var unit: MeasureUnit
    public var weeklyVolume: Int
    /// The price ceiling: a hard limit (质量好、价格公道).
    public var maxUnitPriceFen: Int
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate?
    /// Whether the goods must travel in a cold chain.
    public var coldChain: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        buyerID: String,
        category: ProductCategory,
        unit: MeasureUnit,
        weeklyVolume: Int,
        maxUnitPriceFen: Int,
        startsOn: CalendarDate,
        endsOn: CalendarDate? = nil,
        coldChain: Bool = false,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.buyerID = buyerID
        self.category = category
        self.unit = unit
        self.weeklyVolume = weeklyVolume
        self.maxUnitPriceFen = maxUnitPriceFen
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.coldChain = coldChain
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .buyer(buyerID) }
    public var references: [Reference] { [Reference(field: "buyer_id", kind: .buyer, id: buyerID)] }

    /// Whether the demand runs during any day of `week`.
    public func isActive(in week: IsoWeek) -> Bool {
        startsOn <= week.sunday && (endsOn.map { week.monday <= $0 } ?? true)
    }

    public func isActive(on date: CalendarDate) -> Bool {
        startsOn <= date && (endsOn.map { date <= $0 } ?? true)
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("buyer_id", .string(buyerID)), ("category", .string(category.rawValue)),
            ("unit", .string(unit.rawValue)), ("weekly_volume", JSONValue(weeklyVolume)),
            ("max_unit_price_fen", JSONValue(maxUnitPriceFen)), ("starts_on", JSONValue(startsOn)),
            ("ends_on", JSONValue(endsOn)), ("cold_chain", .bool(coldChain)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> Demand? {
        let id = r.identifier("id", required: true)
        let buyer = r.identifier("buyer_id", required: true)
        let category = r.oneOf("category", required: true, ProductCategory.self)
        let unit = r.oneOf("unit", required: true, MeasureUnit.self)
        let volume = r.int("weekly_volume", required: true, in: Quantity.volume)
        let ceiling = r.int("max_unit_price_fen", required: true, in: Quantity.unitPriceFen)
        let startsOn = r.date("starts_on", required: true)
        let endsOn = r.date("ends_on")
        let coldChain = r.bool("cold_chain") ?? false
        if let startsOn, let endsOn, endsOn < startsOn {
            r.fail("ends_on", "must not be before starts_on (\(startsOn))")
        }
        if let volume, let ceiling,
            let problem = Quantity.valueProblem(price: ceiling, priceField: "max_unit_price_fen", volume: volume, volumeField: "weekly_volume")
        {
            r.fail("weekly_volume", problem)
        }
        guard let id, let buyer, let category, let unit, let volume, let ceiling, let startsOn, !r.hasErrors else { return nil }
        return Demand(
            id: id,
            buyerID: buyer,
            category: category,
            unit: unit,
            weeklyVolume: volume,
            maxUnitPriceFen: ceiling,
            startsOn: startsOn,
            endsOn: endsOn,
            coldChain: coldChain,
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}
