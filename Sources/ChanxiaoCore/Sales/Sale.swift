import Foundation

/// What a buyer actually bought. Whether it counts as a poverty product is not the client's
/// to say: the store decides it from the product's certificate on `sold_on` (and the
/// supplier's blacklisting), and off-catalog purchases (no `product_id`) count only in the
/// buyer's total of farm purchases.
public struct Sale: CatalogEntity {
    public static let kind = CatalogKind.sale
    public static let writableFields = [
        "id", "buyer_id", "product_id", "category", "unit", "volume", "amount_fen", "sold_on",
        "channel", "note",
    ]
    public static let readOnlyFields = ["county_code", "poverty_product", "match_id", "created_by", "created_at", "updated_at"]

    public var id: String
    public var buyerID: String
    public var productID: String?
    /// Required for off-catalog purchases; for catalog products the product's, filled in when omitted.
    public var category: ProductCategory?
    public var unit: MeasureUnit?
    public var volume: Int
    public var amountFen: Int
    public var soldOn: CalendarDate
    public var channel: SalesChannel
    public var note: String?
    /// The product's county, set by the store.
    public var countyCode: String?
    /// Set by the store: the product was a certified poverty product on `sold_on`.
    public var povertyProduct: Bool
    /// The accepted match this sale was recorded from (`reports.sales_from_matches`).
    public var matchID: String?
    /// Who recorded it: a token id (`tok_…`), `cli:<user>`, or `scheduler` for sales recorded
    /// from matches; set by the store. Nil only for sales recorded before it was kept.
    public var createdBy: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        buyerID: String,
        productID: String? = nil,
        category: ProductCategory?,
        unit: MeasureUnit? = nil,
        volume: Int,
        amountFen: Int,
        soldOn: CalendarDate,
        channel: SalesChannel,
        note: String? = nil,
        countyCode: String? = nil,
        povertyProduct: Bool = false,
        matchID: String? = nil,
        createdBy: String? = nil,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.buyerID = buyerID
        self.productID = productID
        self.category = category
        self.unit = unit
        self.volume = volume
        self.amountFen = amountFen
        self.soldOn = soldOn
        self.channel = channel
        self.note = note
        self.countyCode = countyCode
        self.povertyProduct = povertyProduct
        self.matchID = matchID
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .buyer(buyerID) }
    public var references: [Reference] {
        [Reference(field: "buyer_id", kind: .buyer, id: buyerID)]
            + (productID.map { [Reference(field: "product_id", kind: .product, id: $0)] } ?? [])
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("buyer_id", .string(buyerID)), ("product_id", JSONValue(productID)),
            ("category", JSONValue(category?.rawValue)), ("unit", JSONValue(unit?.rawValue)), ("volume", JSONValue(volume)),
            ("amount_fen", JSONValue(amountFen)), ("sold_on", .string(soldOn.description)), ("channel", .string(channel.rawValue)),
            ("note", JSONValue(note)), ("county_code", JSONValue(countyCode)), ("poverty_product", .bool(povertyProduct)),
            ("match_id", JSONValue(matchID)), ("created_by", JSONValue(createdBy)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> Sale? {
        let id = r.identifier("id", required: true)
        let buyer = r.identifier("buyer_id", required: true)
        let product = r.identifier("product_id")
        let category = r.oneOf("category", required: product == nil && !r.contains("product_id"), ProductCategory.self)
        let unit = r.oneOf("unit", MeasureUnit.self)
        let volume = r.int("volume", required: true, in: Quantity.volume)
        let amount = r.int("amount_fen", required: true, in: Quantity.valueFen)
        let soldOn = r.date("sold_on", required: true)
        let channel = r.oneOf("channel", required: true, SalesChannel.self)
        let note = r.string("note", maxLength: 500)
        if let soldOn, soldOn > context.today.adding(days: 1) {
            // A day of slack for clients a time zone ahead.
            r.fail("sold_on", "must not be in the future (today is \(context.today))")
        }
        guard let id, let buyer, let volume, let amount, let soldOn, let channel, !r.hasErrors else { return nil }
        return Sale(
            id: id,
            buyerID: buyer,
            productID: product,
            category: category,
            unit: unit,
            volume: volume,
            amountFen: amount,
            soldOn: soldOn,
            channel: channel,
            note: note,
            createdAt: context.now,
            updatedAt: context.now
        )
    }

    /// Fills what the product decides and checks what the client said against it: the category
    /// and unit must be the product's, and the sale counts as a poverty product only if the
    /// product was certified on `sold_on` and its supplier was not blacklisted by then. (Whether
    /// the amount is plausible at the product's price is `amountProblem`, a rule of writes.)
    public mutating func resolve(product: Product?, supplierBlacklistedOn: CalendarDate?) -> [FieldError] {
        guard let product else {
            countyCode = nil
            povertyProduct = false
            return category == nil ? [FieldError(field: "category", message: "is required for a purchase without product_id")] : []
        }
        var errors: [FieldError] = []
        if let category, category != product.category {
            errors.append(
                FieldError(field: "category", message: "is \(product.category.rawValue) for product \(product.id), not \(category.rawValue)")
            )
        }
        if let unit, unit != product.unit {
            errors.append(FieldError(field: "unit", message: "product \(product.id) is sold in \(product.unit.rawValue), not \(unit.rawValue)"))
        }
        category = product.category
        unit = product.unit
        countyCode = product.countyCode
        povertyProduct = Self.countsAsPovertyProduct(product, soldOn: soldOn, supplierBlacklistedOn: supplierBlacklistedOn)
        return errors
    }

    /// Whether a sale of `product` on `soldOn` counts as a poverty product: certified that day,
    /// and its supplier not blacklisted by then.
    public static func countsAsPovertyProduct(_ product: Product, soldOn: CalendarDate, supplierBlacklistedOn: CalendarDate?) -> Bool {
        product.isCertified(on: soldOn) && !(supplierBlacklistedOn.map { $0 <= soldOn } ?? false)
    }
}

extension Sale {
    /// Why `amountFen` is implausible for `volume` units at `unitPriceFen`: it may differ from
    /// volume × price by at most `factor` times either way (prices move, and buyers get
    /// discounts, but a hundredfold amount is a typo or an attempt to inflate a share).
    public static func amountProblem(amountFen: Int, volume: Int, unitPriceFen: Int, factor: Double) -> String? {
        guard factor >= 1, volume > 0, unitPriceFen > 0 else { return nil }
        // Doubles hold these exactly for today's ranges (amounts ≤ 10^12, volume × price ≤ 10^15);
        // records from before them only make the bounds in the message approximate.
        let expected = Double(volume) * Double(unitPriceFen)
        let amount = Double(amountFen)
        guard amount > expected * factor || amount * factor < expected else { return nil }
        func whole(_ value: Double) -> String { String(format: "%.0f", value) }
        return "is not plausible for \(volume) at the product's price of \(unitPriceFen) fen: expected \(whole((expected / factor).rounded(.up)))"
            + "…\(whole((expected * factor).rounded(.down))) (within \(JSONValue.formatDecimal(factor))× of \(whole(expected)); sales.price_factor)"
    }
}
