import Foundation

/// A point of sale for poverty products that the county statistics table counts (seed 002
/// annex; seed 003 §四: 专柜、专馆、专区). It is counted for `county_code`: the producer county
/// that set it up or whose products it is dedicated to. `region_code` says where it stands
/// when that is elsewhere (a Shenzhen counter for a Guangxi county).
public struct Outlet: CatalogEntity {
    public static let kind = CatalogKind.outlet
    public static let writableFields = [
        "id", "name", "kind", "county_code", "region_code", "buyer_id", "operator", "opened_on",
        "closed_on",
    ]

    public var id: String
    public var name: String
    public var kind: OutletKind
    public var countyCode: String
    public var regionCode: String?
    /// The buyer that runs it (a counter's or hall's buyer record), if it is one.
    public var buyerID: String?
    /// Who runs it, when that is not a buyer of the catalog (a bank's online mall, a platform).
    public var operatorName: String?
    public var openedOn: CalendarDate
    public var closedOn: CalendarDate?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        kind: OutletKind,
        countyCode: String,
        regionCode: String? = nil,
        buyerID: String? = nil,
        operatorName: String? = nil,
        openedOn: CalendarDate,
        closedOn: CalendarDate? = nil,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.countyCode = countyCode
        self.regionCode = regionCode
        self.buyerID = buyerID
        self.operatorName = operatorName
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { buyerID.map(Owner.buyer) ?? .none }
    public var references: [Reference] {
        [Reference(field: "county_code", kind: .county, id: countyCode)]
            + (buyerID.map { [Reference(field: "buyer_id", kind: .buyer, id: $0)] } ?? [])
    }

    /// Whether the outlet is open on any day of `from...to`.
    public func isOpen(from: CalendarDate, to: CalendarDate) -> Bool {
        openedOn <= to && (closedOn.map { $0 >= from } ?? true)
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("name", .string(name)), ("kind", .string(kind.rawValue)), ("county_code", .string(countyCode)),
            ("region_code", JSONValue(regionCode)), ("buyer_id", JSONValue(buyerID)), ("operator", JSONValue(operatorName)),
            ("opened_on", .string(openedOn.description)), ("closed_on", JSONValue(closedOn)),
        ] + timestampFields
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> Outlet? {
        let id = r.identifier("id", required: true)
        let name = r.string("name", required: true, maxLength: 128)
        let kind = r.oneOf("kind", required: true, OutletKind.self)
        let county = r.divisionCode("county_code", required: true, level: .county)
        let region = r.divisionCode("region_code", level: .any)
        let buyer = r.identifier("buyer_id")
        let operatorName = r.string("operator", maxLength: 128)
        let opened = r.date("opened_on", required: true)
        let closed = r.date("closed_on")
        if let opened, let closed, closed < opened { r.fail("closed_on", "must not be before opened_on (\(opened))") }
        guard let id, let name, let kind, let county, let opened, !r.hasErrors else { return nil }
        return Outlet(
            id: id,
            name: name,
            kind: kind,
            countyCode: county,
            regionCode: region,
            buyerID: buyer,
            operatorName: operatorName,
            openedOn: opened,
            closedOn: closed,
            createdAt: context.now,
            updatedAt: context.now
        )
    }
}
