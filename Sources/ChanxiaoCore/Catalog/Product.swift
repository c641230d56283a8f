import Foundation

/// A product a supplier offers every week. It is a certified poverty product (认定扶贫产品,
/// listed in 全国扶贫产品目录) on a day only while a listed certification covers that day
/// (`certifiedSpans`, kept by the store from the certifications; see docs/certification.md).
/// Nobody sets the certificate through the product: `certificate_no` and `certified_until`
/// are read-only and show the latest listing.
public struct Product: CatalogEntity {
    public static let kind = CatalogKind.product
    public static let writableFields = [
        "id", "supplier_id", "name", "category", "unit", "unit_price_fen", "weekly_capacity",
        "min_order", "season_months", "cold_chain",
    ]
    public static let readOnlyFields = ["certificate_no", "certified_until", "county_code", "created_at", "updated_at"]
    public static let readOnlyAdvice = [
        "certificate_no": Self.certificationAdvice,
        "certified_until": Self.certificationAdvice,
    ]
    static let certificationAdvice =
        "certification is the authorities' act; a supplier applies with POST /v1/certifications and reviewers list products from official lists (POST /v1/certifications/import)"

    public var id: String
    public var supplierID: String
    /// The supplier's county; kept in step with the supplier by the store.
    public var countyCode: String
    public var name: String
    public var category: ProductCategory
    public var unit: MeasureUnit
    public var unitPriceFen: Int
    public var weeklyCapacity: Int
    public var minOrder: Int
    /// Months (1–12) the product is available; empty means all year.
    public var seasonMonths: [Int]
    /// The days listed certifications make the product certified, oldest first; maintained by
    /// the store in the transaction that changes a certification.
    public var certifiedSpans: [CertifiedSpan]
    public var coldChain: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        supplierID: String,
        countyCode: String = "",
        name: String,
        category: ProductCategory,
        unit: MeasureUnit,
        unitPriceFen: Int,
        weeklyCapacity: Int,
        minOrder: Int = 1,
        seasonMonths: [Int] = [],
        certificateNo: String? = nil,
        certifiedUntil: CalendarDate? = nil,
        certifiedSpans: [CertifiedSpan] = [],
        coldChain: Bool = false,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.supplierID = supplierID
        self.countyCode = countyCode
        self.name = name
        self.category = category
        self.unit = unit
        self.unitPriceFen = unitPriceFen
        self.weeklyCapacity = weeklyCapacity
        self.minOrder = minOrder
        self.seasonMonths = seasonMonths
        // A certificate number with an end date stands for a listing since before chanxiao
        // (fixtures, the demo and the benchmarks' generated catalogs).
        if let certificateNo, let certifiedUntil {
            self.certifiedSpans = certifiedSpans + [CertifiedSpan(certificateNo: certificateNo, from: nil, through: certifiedUntil)]
        } else {
            self.certifiedSpans = certifiedSpans
        }
        self.coldChain = coldChain
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .supplier(supplierID) }
    public var references: [Reference] { [Reference(field: "supplier_id", kind: .supplier, id: supplierID)] }

    public func isCertified(on date: CalendarDate) -> Bool {
        certifiedSpans.contains { $0.covers(date) }
    }

    /// Whether every day from `first` through `last` is covered (by one listing or by one
    /// renewing another).
    public func isCertified(from first: CalendarDate, through last: CalendarDate) -> Bool {
        var day = first
        while day <= last {
            // The listing covering `day` that runs longest: no day before its end needs a look.
            var through: CalendarDate?
            for span in certifiedSpans where span.covers(day) && through.map({ span.through > $0 }) ?? true { through = span.through }
            guard let through else { return false }
            day = through.adding(days: 1)
        }
        return true
    }

    /// The latest listing, whose number and end the product shows.
    public var latestSpan: CertifiedSpan? { certifiedSpans.max { $0.through < $1.through } }
    public var certificateNo: String? { latestSpan?.certificateNo }
    public var certifiedUntil: CalendarDate? { latestSpan?.through }

    public func isInSeason(month: Int) -> Bool {
        seasonMonths.isEmpty || seasonMonths.contains(month)
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("supplier_id", .string(supplierID)), ("name", .string(name)),
            ("category", .string(category.rawValue)), ("unit", .string(unit.rawValue)),
            ("unit_price_fen", JSONValue(unitPriceFen)), ("weekly_capacity", JSONValue(weeklyCapacity)),
            ("min_order", JSONValue(minOrder)), ("season_months", .array(seasonMonths.map { .int(Int64($0)) })),
            ("cold_chain", .bool(coldChain)), ("certificate_no", JSONValue(certificateNo)),
            ("certified_until", JSONValue(certifiedUntil)), ("county_code", .string(countyCode)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> Product? {
        let id = r.identifier("id", required: true)
        let supplier = r.identifier("supplier_id", required: true)
        let name = r.string("name", required: true, maxLength: 128)
        let category = r.oneOf("category", required: true, ProductCategory.self)
        let unit = r.oneOf("unit", required: true, MeasureUnit.self)
        let price = r.int("unit_price_fen", required: true, in: Quantity.unitPriceFen)
        let capacity = r.int("weekly_capacity", required: true, in: Quantity.volume)
        let minOrder = r.int("min_order", in: Quantity.volume) ?? 1
        let months = r.intList("season_months", in: 1...12)
        let coldChain = r.bool("cold_chain") ?? false
        if let capacity, minOrder > capacity {
            r.fail("min_order", "must not exceed weekly_capacity (\(capacity))")
        }
        if let price, let capacity,
            let problem = Quantity.valueProblem(price: price, priceField: "unit_price_fen", volume: capacity, volumeField: "weekly_capacity")
        {
            r.fail("weekly_capacity", problem)
        }
        guard let id, let supplier, let name, let category, let unit, let price, let capacity, let months,
            !r.hasErrors
        else { return nil }
        return Product(
            id: id,
            supplierID: supplier,
            name: name,
            category: category,
            unit: unit,
            unitPriceFen: price,
            weeklyCapacity: capacity,
            minOrder: minOrder,
            seasonMonths: Set(months).sorted(),
            coldChain: coldChain,
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}
