import Foundation

/// A company, cooperative or family farm that sells products of one county.
/// A blacklisted supplier (诚信黑名单, seed 000 §八(五)) stays in the catalog but is ineligible
/// for matching and every schedule.
public struct Supplier: CatalogEntity {
    public static let kind = CatalogKind.supplier
    public static let writableFields = [
        "id", "name", "county_code", "kind", "blacklisted", "blacklist_reason", "blacklisted_on", "contact_person", "contact_phone", "address",
    ]

    public var id: String
    public var name: String
    public var countyCode: String
    public var kind: SupplierKind
    public var blacklisted: Bool
    public var blacklistReason: String?
    public var blacklistedOn: CalendarDate?
    /// Whom a buyer calls about deliveries (联系人), the number and the dispatch address. A buyer
    /// reads them only once it has an accepted match with the supplier (docs/api.md).
    public var contactPerson: String?
    public var contactPhone: String?
    public var address: String?

    /// The first day the supplier counts as blacklisted, or nil when it is not; blacklisted
    /// without a date means from the start.
    public var blacklistedSince: CalendarDate? {
        blacklisted ? (blacklistedOn ?? CalendarDate(daysSinceEpoch: 0)) : nil
    }
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        name: String,
        countyCode: String,
        kind: SupplierKind,
        blacklisted: Bool = false,
        blacklistReason: String? = nil,
        blacklistedOn: CalendarDate? = nil,
        contactPerson: String? = nil,
        contactPhone: String? = nil,
        address: String? = nil,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        updatedAt: Date = Date(timeIntervalSince1970: 0)
    ) {
        self.id = id
        self.name = name
        self.countyCode = countyCode
        self.kind = kind
        self.blacklisted = blacklisted
        self.blacklistReason = blacklistReason
        self.blacklistedOn = blacklistedOn
        self.contactPerson = contactPerson
        self.contactPhone = contactPhone
        self.address = address
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var owner: Owner { .supplier(id) }
    public var references: [Reference] { [Reference(field: "county_code", kind: .county, id: countyCode)] }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("name", .string(name)), ("county_code", .string(countyCode)), ("kind", .string(kind.rawValue)),
            ("blacklisted", .bool(blacklisted)), ("blacklist_reason", JSONValue(blacklistReason)),
            ("blacklisted_on", JSONValue(blacklistedOn)),
        ] + contactFields + timestampFields
    }

    public static let contactFieldNames = ["contact_person", "contact_phone", "address"]

    /// The contact members, as staff, the supplier itself and its buyers read them.
    public var contactFields: [(name: String, value: JSONValue)] {
        zip(Self.contactFieldNames, [contactPerson, contactPhone, address]).map { ($0, JSONValue($1)) }
    }

    public static func parse(_ r: inout FieldReader, context: ParseContext) -> Supplier? {
        let id = r.identifier("id", required: true)
        let name = r.string("name", required: true, maxLength: 128)
        let county = r.divisionCode("county_code", required: true, level: .county)
        let kind = r.oneOf("kind", required: true, SupplierKind.self)
        let flag = r.bool("blacklisted")
        let blacklisted = flag ?? false
        let reason = r.string("blacklist_reason", maxLength: 500)
        var since = r.date("blacklisted_on")
        let contactPerson = r.string("contact_person", maxLength: 64)
        let contactPhone = r.string("contact_phone", maxLength: 32)
        if let contactPhone, contactPhone.contains(where: { !("0"..."9").contains($0) && !" +-()".contains($0) }) {
            r.fail("contact_phone", "may hold only digits, spaces and + - ( )")
        }
        let address = r.string("address", maxLength: 200)
        // With an unreadable `blacklisted`, its own error says it all; the rules below would guess.
        let flagReadable = flag != nil || !r.errors.contains { $0.field == "blacklisted" }
        if flagReadable, blacklisted {
            if reason == nil, !r.errors.contains(where: { $0.field == "blacklist_reason" }) {
                r.fail("blacklist_reason", "is required when blacklisted is true")
            }
            since = since ?? context.today
        } else if flagReadable {
            if reason != nil { r.fail("blacklist_reason", "is only allowed when blacklisted is true") }
            if since != nil { r.fail("blacklisted_on", "is only allowed when blacklisted is true") }
        }
        guard let id, let name, let county, let kind, !r.hasErrors else { return nil }
        return Supplier(
            id: id,
            name: name,
            countyCode: county,
            kind: kind,
            blacklisted: blacklisted,
            blacklistReason: reason,
            blacklistedOn: since,
            contactPerson: contactPerson,
            contactPhone: contactPhone,
            address: address,
            createdAt: context.now,
            updatedAt: context.now
        )
    }

    /// Lifting a blacklisting with `{"blacklisted": false}` (or null, the default) clears its
    /// reason and date, unless the same PATCH sets them (which is then refused as contradictory).
    public static func mergeBase(_ base: [String: JSONValue], patch: [String: JSONValue]) -> [String: JSONValue] {
        guard patch["blacklisted"] == .bool(false) || patch["blacklisted"] == .null else { return base }
        var base = base
        base["blacklist_reason"] = nil
        base["blacklisted_on"] = nil
        return base
    }
}
