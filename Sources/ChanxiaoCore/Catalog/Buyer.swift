import Foundation

/// An institutional buyer: a canteen, a trade union, a consumption poverty-alleviation center,
/// a supermarket zone, a smart counter, a hall or a budget unit.
public struct Buyer: CatalogEntity {
    public static let kind = CatalogKind.buyer
    public static let writableFields = [
        "id", "name", "kind", "region_code", "network", "poverty_share_target",
        "max_suppliers_per_category",
    ]

    /// 1–2 suppliers per category for canteens (seed 004 §三(五)); larger buyers may allow more.
    public static let maxSuppliersRange = 1...20

    public var id: String
    public var name: String
    public var kind: BuyerKind
    /// Where the buyer is (any level of division code), e.g. 440304 福田区.
    public var regionCode: String
    /// A network of buyers that share information and unsold stock, e.g. the Shenzhen 1+10 centers.
    public var network: String?
    /// Share of farm purchases that should be poverty products; nil means the default for the
    /// buyer's kind from the configuration.
    public var povertyShareTarget: Double?
    public var maxSuppliersPerCategory: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        kind: BuyerKind,
        regionCode: String,
        network: String? = nil,
        povertyShareTarget: Double? = nil,
        maxSuppliersPerCategory: Int = 2,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.regionCode = regionCode
        self.network = network
        self.povertyShareTarget = povertyShareTarget
        self.maxSuppliersPerCategory = maxSuppliersPerCategory
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .buyer(id) }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("name", .string(name)), ("kind", .string(kind.rawValue)), ("region_code", .string(regionCode)),
            ("network", JSONValue(network)), ("poverty_share_target", JSONValue(povertyShareTarget)),
            ("max_suppliers_per_category", JSONValue(maxSuppliersPerCategory)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> Buyer? {
        let id = r.identifier("id", required: true)
        let name = r.string("name", required: true, maxLength: 128)
        let kind = r.oneOf("kind", required: true, BuyerKind.self)
        let region = r.divisionCode("region_code", required: true, level: .any)
        let network = r.string("network", maxLength: 64)
        let target = r.decimal("poverty_share_target", in: 0...1)
        let maxSuppliers = r.int("max_suppliers_per_category", in: maxSuppliersRange) ?? context.defaultMaxSuppliersPerCategory
        guard let id, let name, let kind, let region, !r.hasErrors else { return nil }
        return Buyer(
            id: id,
            name: name,
            kind: kind,
            regionCode: region,
            network: network,
            povertyShareTarget: target,
            maxSuppliersPerCategory: maxSuppliers,
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}
