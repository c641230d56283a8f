import Foundation

/// A large production–sales event (大型产销活动, seed 002 annex): a fair, a signing ceremony, a
/// promotion or a festival, held on `held_on` for the producer counties it names. Fairs
/// planned in chanxiao count without being entered here: each counts for the counties that
/// were given booths at it.
public struct SalesEvent: CatalogEntity {
    public static let kind = CatalogKind.event
    public static let writableFields = ["id", "name", "kind", "held_on", "county_codes", "region_code", "note"]

    public var id: String
    public var name: String
    public var kind: SalesEventKind
    public var heldOn: CalendarDate
    public var countyCodes: [String]
    /// Where it was held, if that matters to the reader.
    public var regionCode: String?
    public var note: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        kind: SalesEventKind,
        heldOn: CalendarDate,
        countyCodes: [String],
        regionCode: String? = nil,
        note: String? = nil,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.heldOn = heldOn
        self.countyCodes = countyCodes
        self.regionCode = regionCode
        self.note = note
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .none }
    public var references: [Reference] {
        countyCodes.enumerated().map { Reference(field: "county_codes[\($0.offset)]", kind: .county, id: $0.element) }
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("name", .string(name)), ("kind", .string(kind.rawValue)), ("held_on", .string(heldOn.description)),
            ("county_codes", .array(countyCodes.map(JSONValue.string))), ("region_code", JSONValue(regionCode)),
            ("note", JSONValue(note)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> SalesEvent? {
        let id = r.identifier("id", required: true)
        let name = r.string("name", required: true, maxLength: 128)
        let kind = r.oneOf("kind", required: true, SalesEventKind.self)
        let heldOn = r.date("held_on", required: true)
        let counties = r.divisionCodeList("county_codes", level: .county)
        let region = r.divisionCode("region_code", level: .any)
        let note = r.string("note", maxLength: 500)
        if let counties, counties.isEmpty { r.fail("county_codes", "must name at least one county the event was held for") }
        guard let id, let name, let kind, let heldOn, let counties, !r.hasErrors else { return nil }
        return SalesEvent(
            id: id,
            name: name,
            kind: kind,
            heldOn: heldOn,
            countyCodes: counties.uniqued(),
            regionCode: region,
            note: note,
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}
