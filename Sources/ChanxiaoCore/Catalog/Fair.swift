import Foundation

/// A production–sales fair (展销会) with numbered standard booths. At least
/// `min_poverty_share` of the booths given out go to certified poverty products (seed 001
/// §四(七): 扶贫产品不少于30%), and no applicant gets more than `max_booths_per_applicant`
/// (seed 004 §三(七): 每镇布置2个标准展位).
public struct Fair: CatalogEntity {
    public static let kind = CatalogKind.fair
    public static let writableFields = [
        "id", "name", "venue_id", "starts_on", "ends_on", "booth_count", "min_poverty_share",
        "max_booths_per_applicant",
    ]

    public var id: String
    public var name: String
    public var venueID: String
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var boothCount: Int
    public var minPovertyShare: Double
    public var maxBoothsPerApplicant: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        venueID: String,
        startsOn: CalendarDate,
        endsOn: CalendarDate,
        boothCount: Int,
        minPovertyShare: Double = 0.3,
        maxBoothsPerApplicant: Int = 2,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.name = name
        self.venueID = venueID
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.boothCount = boothCount
        self.minPovertyShare = minPovertyShare
        self.maxBoothsPerApplicant = maxBoothsPerApplicant
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .none }
    public var references: [Reference] { [Reference(field: "venue_id", kind: .venue, id: venueID)] }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("name", .string(name)), ("venue_id", .string(venueID)), ("starts_on", JSONValue(startsOn)),
            ("ends_on", JSONValue(endsOn)), ("booth_count", JSONValue(boothCount)), ("min_poverty_share", .double(minPovertyShare)),
            ("max_booths_per_applicant", JSONValue(maxBoothsPerApplicant)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> Fair? {
        let id = r.identifier("id", required: true)
        let name = r.string("name", required: true, maxLength: 128)
        let venue = r.identifier("venue_id", required: true)
        let startsOn = r.date("starts_on", required: true)
        let endsOn = r.date("ends_on", required: true)
        let booths = r.int("booth_count", required: true, in: 1...10_000)
        let share = r.decimal("min_poverty_share", in: 0...1) ?? context.defaultFairMinPovertyShare
        let perApplicant = r.int("max_booths_per_applicant", in: 1...10_000) ?? context.defaultMaxBoothsPerApplicant
        if let startsOn, let endsOn, endsOn < startsOn { r.fail("ends_on", "must not be before starts_on (\(startsOn))") }
        if let startsOn, let endsOn, endsOn.daysSinceEpoch - startsOn.daysSinceEpoch > 366 {
            r.fail("ends_on", "a fair lasts at most 367 days")
        }
        guard let id, let name, let venue, let startsOn, let endsOn, let booths, !r.hasErrors else { return nil }
        return Fair(
            id: id,
            name: name,
            venueID: venue,
            startsOn: startsOn,
            endsOn: endsOn,
            boothCount: booths,
            minPovertyShare: share,
            maxBoothsPerApplicant: perApplicant,
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}
