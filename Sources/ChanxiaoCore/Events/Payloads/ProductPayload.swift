import Foundation

/// The `data` of `product.slow_moving` (滞销): a product whose matched-or-sold volume stayed
/// low. Built by ChanxiaoReports from a `SlowMovingProduct`.
public struct ProductSlowMovingPayload: EventPayload {
    public var productID: String
    public var productName: String
    public var category: ProductCategory
    public var unit: MeasureUnit
    public var supplierID: String
    public var supplierName: String?
    public var countyCode: String
    public var countyName: String?
    public var unitPriceFen: Int
    public var weeklyCapacity: Int
    /// The job's week; the weeks before it were looked at.
    public var week: IsoWeek
    public var observedWeeks: Int
    public var takenVolume: Int
    public var thresholdVolume: Int
    /// The buyer networks that are told.
    public var networks: [String]

    public init(
        productID: String,
        productName: String,
        category: ProductCategory,
        unit: MeasureUnit,
        supplierID: String,
        supplierName: String?,
        countyCode: String,
        countyName: String?,
        unitPriceFen: Int,
        weeklyCapacity: Int,
        week: IsoWeek,
        observedWeeks: Int,
        takenVolume: Int,
        thresholdVolume: Int,
        networks: [String]
    ) {
        self.productID = productID
        self.productName = productName
        self.category = category
        self.unit = unit
        self.supplierID = supplierID
        self.supplierName = supplierName
        self.countyCode = countyCode
        self.countyName = countyName
        self.unitPriceFen = unitPriceFen
        self.weeklyCapacity = weeklyCapacity
        self.week = week
        self.observedWeeks = observedWeeks
        self.takenVolume = takenVolume
        self.thresholdVolume = thresholdVolume
        self.networks = networks
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("product_id", .string(productID)), ("product_name", .string(productName)), ("category", JSONValue(code: category)),
            ("unit", JSONValue(code: unit)), ("supplier_id", .string(supplierID)), ("supplier_name", JSONValue(supplierName)),
            ("county_code", .string(countyCode)), ("county_name", JSONValue(countyName)),
            ("unit_price_fen", JSONValue(unitPriceFen)), ("weekly_capacity", JSONValue(weeklyCapacity)),
            ("week", JSONValue(week)), ("observed_weeks", JSONValue(observedWeeks)), ("taken_volume", JSONValue(takenVolume)),
            ("threshold_volume", JSONValue(thresholdVolume)), ("networks", .array(networks.map(JSONValue.string))),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            productID: data.string("product_id"),
            productName: data.string("product_name"),
            category: data.code("category"),
            unit: data.code("unit"),
            supplierID: data.string("supplier_id"),
            supplierName: data.string(orNull: "supplier_name"),
            countyCode: data.string("county_code"),
            countyName: data.string(orNull: "county_name"),
            unitPriceFen: data.int("unit_price_fen"),
            weeklyCapacity: data.int("weekly_capacity"),
            week: data.week("week"),
            observedWeeks: data.int("observed_weeks"),
            takenVolume: data.int("taken_volume"),
            thresholdVolume: data.int("threshold_volume"),
            networks: data.strings("networks")
        )
    }
}
