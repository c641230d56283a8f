import Foundation

/// A filter a list endpoint accepts as a query parameter.
public struct FilterSpec: Sendable {
    public enum ValueType: Sendable {
        case text
        case identifier
        case divisionCode
        case bool
        case date
        /// An ISO week such as 2020-W38.
        case week
        /// An RFC 3339 instant such as 2020-09-15T19:00:00+08:00.
        case timestamp
        /// An owner written buyer:<id> or supplier:<id>.
        case owner
        case oneOf([String])
    }

    public var name: String
    public var type: ValueType
    /// One line for the API reference.
    public var help: String

    public init(name: String, type: ValueType, help: String) {
        self.name = name
        self.type = type
        self.help = help
    }
}

public enum FilterValue: Sendable, Hashable {
    case text(String)
    case bool(Bool)
    case date(CalendarDate)
    case timestamp(Date)
}

extension CatalogKind {
    /// The filters each list accepts; anything else is refused, so that a misspelt filter is
    /// not silently ignored.
    public var filters: [FilterSpec] {
        switch self {
        case .county:
            [
                FilterSpec(name: "province", type: .text, help: "exact province name, e.g. 广西壮族自治区"),
                FilterSpec(name: "poverty_status", type: .oneOf(PovertyStatus.allCases.map(\.rawValue)), help: "poverty status"),
                FilterSpec(name: "paired_with", type: .divisionCode, help: "counties paired with this region code or a region containing it"),
                FilterSpec(name: "q", type: .text, help: "part of the county name"),
            ]
        case .supplier:
            [
                FilterSpec(name: "county_code", type: .divisionCode, help: "suppliers of this county, or of the counties in this city or province"),
                FilterSpec(name: "kind", type: .oneOf(SupplierKind.allCases.map(\.rawValue)), help: "supplier kind"),
                FilterSpec(name: "blacklisted", type: .bool, help: "true for blacklisted suppliers only, false for the others"),
            ]
        case .product:
            [
                FilterSpec(name: "supplier_id", type: .identifier, help: "products of this supplier"),
                FilterSpec(name: "county_code", type: .divisionCode, help: "products of this county, or of the counties in this city or province"),
                FilterSpec(name: "category", type: .oneOf(ProductCategory.allCases.map(\.rawValue)), help: "category code"),
                FilterSpec(name: "unit", type: .oneOf(MeasureUnit.allCases.map(\.rawValue)), help: "unit"),
                FilterSpec(name: "certified_on", type: .date, help: "products that are certified poverty products on this date"),
                FilterSpec(name: "cold_chain", type: .bool, help: "cold-chain products only (true) or the others (false)"),
            ]
        case .buyer:
            [
                FilterSpec(name: "kind", type: .oneOf(BuyerKind.allCases.map(\.rawValue)), help: "buyer kind"),
                FilterSpec(name: "region_code", type: .divisionCode, help: "buyers in this region or a division inside it"),
                FilterSpec(name: "network", type: .text, help: "buyers of this network"),
            ]
        case .demand:
            [
                FilterSpec(name: "buyer_id", type: .identifier, help: "demands of this buyer"),
                FilterSpec(name: "category", type: .oneOf(ProductCategory.allCases.map(\.rawValue)), help: "category code"),
                FilterSpec(name: "unit", type: .oneOf(MeasureUnit.allCases.map(\.rawValue)), help: "unit"),
                FilterSpec(name: "active_on", type: .date, help: "demands running on this date"),
            ]
        case .venue:
            [
                FilterSpec(name: "kind", type: .oneOf(VenueKind.allCases.map(\.rawValue)), help: "venue kind"),
                FilterSpec(name: "region_code", type: .divisionCode, help: "venues in this region or a division inside it"),
                FilterSpec(name: "network", type: .text, help: "venues of this network"),
            ]
        case .host:
            [FilterSpec(name: "platform", type: .oneOf(LivestreamPlatform.allCases.map(\.rawValue)), help: "hosts presenting on this platform")]
        case .fair:
            [
                FilterSpec(name: "venue_id", type: .identifier, help: "fairs at this venue"),
                FilterSpec(name: "active_on", type: .date, help: "fairs running on this date"),
            ]
        case .sale:
            [
                FilterSpec(name: "buyer_id", type: .identifier, help: "sales to this buyer"),
                FilterSpec(name: "product_id", type: .identifier, help: "sales of this product"),
                FilterSpec(
                    name: "county_code",
                    type: .divisionCode,
                    help: "sales of products of this county, or of the counties in this city or province"
                ),
                FilterSpec(name: "category", type: .oneOf(ProductCategory.allCases.map(\.rawValue)), help: "category code"),
                FilterSpec(name: "channel", type: .oneOf(SalesChannel.allCases.map(\.rawValue)), help: "sales channel"),
                FilterSpec(name: "poverty_product", type: .bool, help: "sales that count as poverty products (true) or not (false)"),
                FilterSpec(name: "from", type: .date, help: "sales on or after this date"),
                FilterSpec(name: "to", type: .date, help: "sales on or before this date"),
            ]
        case .outlet:
            [
                FilterSpec(name: "kind", type: .oneOf(OutletKind.allCases.map(\.rawValue)), help: "outlet kind"),
                FilterSpec(name: "county_code", type: .divisionCode, help: "outlets of this county, or of the counties in this city or province"),
                FilterSpec(name: "buyer_id", type: .identifier, help: "outlets run by this buyer"),
                FilterSpec(name: "open_on", type: .date, help: "outlets open on this date"),
            ]
        case .event:
            [
                FilterSpec(name: "kind", type: .oneOf(SalesEventKind.allCases.map(\.rawValue)), help: "event kind"),
                FilterSpec(name: "county_code", type: .divisionCode, help: "events held for this county"),
                FilterSpec(name: "from", type: .date, help: "events held on or after this date"),
                FilterSpec(name: "to", type: .date, help: "events held on or before this date"),
            ]
        }
    }
}

/// A page request: filters, a page size and where to start.
public struct ListQuery: Sendable, Equatable {
    public var filters: [String: FilterValue]
    public var limit: Int
    /// List items with ids after this one (from the `cursor` parameter).
    public var afterID: String?
    /// Restricts the list to one owner's resources (for buyer and supplier tokens).
    public var owner: Owner?
    /// Restricts the list to a region-bound organizer's jurisdiction.
    public var jurisdiction: Jurisdiction?

    public init(filters: [String: FilterValue] = [:], limit: Int = 50, afterID: String? = nil, owner: Owner? = nil) {
        self.filters = filters
        self.limit = limit
        self.afterID = afterID
        self.owner = owner
    }

    /// Reads `limit`, `cursor` and the kind's filters from query parameters, refusing anything
    /// unknown or malformed with one error per parameter.
    public static func parse(
        _ parameters: [(String, String)],
        filters specs: [FilterSpec],
        defaultLimit: Int,
        maxLimit: Int
    )
        -> Result<ListQuery, ValidationFailure>
    {
        var query = ListQuery(limit: defaultLimit)
        var errors: [FieldError] = []
        var seen: Set<String> = []
        let byName = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
        for (name, value) in parameters {
            guard seen.insert(name).inserted else {
                errors.append(FieldError(field: name, message: "is given more than once"))
                continue
            }
            switch name {
            case "limit":
                if let limit = Int(value), (1...maxLimit).contains(limit) {
                    query.limit = limit
                } else {
                    errors.append(FieldError(field: "limit", message: "must be an integer from 1 to \(maxLimit)"))
                }
            case "cursor":
                if let id = Cursor.decode(value) {
                    query.afterID = id
                } else {
                    errors.append(FieldError(field: "cursor", message: "is not a cursor returned by this API (use next_cursor as given)"))
                }
            default:
                guard let spec = byName[name] else {
                    let known = (["limit", "cursor"] + specs.map(\.name)).joined(separator: ", ")
                    errors.append(FieldError(field: name, message: "unknown query parameter; this list accepts: \(known)"))
                    continue
                }
                switch spec.type {
                case .text:
                    if value.isEmpty || value.unicodeScalars.count > 200 {
                        errors.append(FieldError(field: name, message: "must be 1 to 200 characters"))
                    } else {
                        query.filters[name] = .text(value)
                    }
                case .identifier:
                    if let problem = Identifier.problem(with: value) {
                        errors.append(FieldError(field: name, message: problem))
                    } else {
                        query.filters[name] = .text(value)
                    }
                case .divisionCode:
                    if let problem = DivisionCode.problem(with: value, level: .any) {
                        errors.append(FieldError(field: name, message: problem))
                    } else {
                        query.filters[name] = .text(value)
                    }
                case .bool:
                    switch value {
                    case "true": query.filters[name] = .bool(true)
                    case "false": query.filters[name] = .bool(false)
                    default: errors.append(FieldError(field: name, message: "must be true or false"))
                    }
                case .date:
                    if let date = CalendarDate(value) {
                        query.filters[name] = .date(date)
                    } else {
                        errors.append(FieldError(field: name, message: "must be a date written YYYY-MM-DD"))
                    }
                case .timestamp:
                    if value.contains("T"), let date = Timestamp.date(from: value) {
                        query.filters[name] = .timestamp(date)
                    } else {
                        errors.append(
                            FieldError(
                                field: name,
                                message:
                                    "must be a time written RFC 3339 with its offset, e.g. 2020-09-15T19:00:00+08:00, in years 0001 to 9999 (UTC)"
                            )
                        )
                    }
                case .week:
                    if IsoWeek(value) != nil {
                        query.filters[name] = .text(value)
                    } else {
                        errors.append(FieldError(field: name, message: "must be an ISO week written YYYY-Www, e.g. 2020-W38"))
                    }
                case .owner:
                    if Owner(text: value) != nil {
                        query.filters[name] = .text(value)
                    } else {
                        errors.append(FieldError(field: name, message: "must be buyer:<id> or supplier:<id>"))
                    }
                case .oneOf(let allowed):
                    if allowed.contains(value) {
                        query.filters[name] = .text(value)
                    } else {
                        errors.append(
                            FieldError(field: name, message: "unknown value '\(value)'; expected one of: \(allowed.joined(separator: ", "))")
                        )
                    }
                }
            }
        }
        return errors.isEmpty ? .success(query) : .failure(ValidationFailure(errors))
    }
}

/// One page of a list.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Pass as `cursor` to get the next page; nil on the last page.
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// A page from up to `limit + 1` fetched items: the extra one only says another page
    /// follows, which then starts after the last item kept.
    public init(fetched: [Item], limit: Int, id: (Item) -> String) {
        guard fetched.count > limit else {
            self.init(items: fetched, nextCursor: nil)
            return
        }
        let items = Array(fetched.prefix(limit))
        self.init(items: items, nextCursor: items.last.map { Cursor.encode(afterID: id($0)) })
    }
}
