import Foundation

/// A place where products are shown and sold: the weekly featured county of 一县一品一周
/// (seed 002 §四(八)) is featured at a center, fairs are held at a fair ground, livestreams
/// are broadcast from a studio.
public struct Venue: CatalogEntity {
    public static let kind = CatalogKind.venue
    public static let writableFields = ["id", "name", "kind", "region_code", "network", "featured_weekly_volume"]

    public var id: String
    public var name: String
    public var kind: VenueKind
    /// Where the venue is; counties paired with this region count as paired for its schedules.
    public var regionCode: String
    public var network: String?
    /// How much of the featured product the venue expects to sell in a week, in the product's
    /// unit; a product with a smaller weekly capacity cannot be featured there.
    public var featuredWeeklyVolume: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        kind: VenueKind,
        regionCode: String,
        network: String? = nil,
        featuredWeeklyVolume: Int = 0,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.regionCode = regionCode
        self.network = network
        self.featuredWeeklyVolume = featuredWeeklyVolume
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .none }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("name", .string(name)), ("kind", .string(kind.rawValue)), ("region_code", .string(regionCode)),
            ("network", JSONValue(network)), ("featured_weekly_volume", JSONValue(featuredWeeklyVolume)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> Venue? {
        let id = r.identifier("id", required: true)
        let name = r.string("name", required: true, maxLength: 128)
        let kind = r.oneOf("kind", required: true, VenueKind.self)
        let region = r.divisionCode("region_code", required: true, level: .any)
        let network = r.string("network", maxLength: 64)
        let volume = r.int("featured_weekly_volume", in: 0...Quantity.volume.upperBound) ?? 0
        guard let id, let name, let kind, let region, !r.hasErrors else { return nil }
        return Venue(
            id: id,
            name: name,
            kind: kind,
            regionCode: region,
            network: network,
            featuredWeeklyVolume: volume,
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}
