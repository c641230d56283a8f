import Foundation

/// The kinds of catalog resource, in the order data flows between them (a kind only names
/// kinds before it): what is sold and bought, then where and by whom it is shown.
public enum CatalogKind: String, Sendable, CaseIterable, Codable {
    case county, supplier, product, buyer, demand, venue, host, fair
    /// What was bought, where it is sold, and the large events held: the records reports count.
    case sale, outlet, event

    /// The collection name used in URLs, CSV imports and the CLI ("counties").
    public var plural: String {
        switch self {
        case .county: "counties"
        case .supplier: "suppliers"
        case .product: "products"
        case .buyer: "buyers"
        case .demand: "demands"
        case .venue: "venues"
        case .host: "hosts"
        case .fair: "fairs"
        case .sale: "sales"
        case .outlet: "outlets"
        case .event: "events"
        }
    }

    public init?(plural: String) {
        guard let kind = Self.allCases.first(where: { $0.plural == plural }) else { return nil }
        self = kind
    }

    /// The field that identifies a resource: counties are identified by their division code.
    public var idField: String { self == .county ? "code" : "id" }

    /// Prefix of generated ids.
    public var idPrefix: String {
        switch self {
        case .county: "cty"
        case .supplier: "sup"
        case .product: "prd"
        case .buyer: "buy"
        case .demand: "dem"
        case .venue: "ven"
        case .host: "hst"
        case .fair: "fair"
        case .sale: "sal"
        case .outlet: "out"
        case .event: "evt"
        }
    }
}

/// Who a resource belongs to, for access control: buyer tokens see their own buyer's
/// resources, supplier tokens their own supplier's.
public enum Owner: Sendable, Hashable {
    case none
    case buyer(String)
    case supplier(String)
}

/// A field of one resource that names another resource, which must exist.
public struct Reference: Sendable, Hashable {
    public var field: String
    public var kind: CatalogKind
    public var id: String

    public init(field: String, kind: CatalogKind, id: String) {
        self.field = field
        self.kind = kind
        self.id = id
    }
}

/// What parsing needs beyond the input itself.
public struct ParseContext: Sendable {
    public var now: Date
    /// Today in the configured time zone (Asia/Shanghai by default).
    public var today: CalendarDate
    /// Applied to buyers created without `max_suppliers_per_category`.
    public var defaultMaxSuppliersPerCategory: Int
    /// Applied to fairs created without `min_poverty_share`.
    public var defaultFairMinPovertyShare: Double
    /// Applied to fairs created without `max_booths_per_applicant`.
    public var defaultMaxBoothsPerApplicant: Int

    public init(
        now: Date,
        today: CalendarDate,
        defaultMaxSuppliersPerCategory: Int = 2,
        defaultFairMinPovertyShare: Double = 0.3,
        defaultMaxBoothsPerApplicant: Int = 2
    ) {
        self.now = now
        self.today = today
        self.defaultMaxSuppliersPerCategory = defaultMaxSuppliersPerCategory
        self.defaultFairMinPovertyShare = defaultFairMinPovertyShare
        self.defaultMaxBoothsPerApplicant = defaultMaxBoothsPerApplicant
    }
}

/// A catalog resource. One description of its fields serves the JSON API (create, PATCH,
/// responses), CSV import and export, and the OpenAPI document's tests.
public protocol CatalogEntity: Sendable, Equatable {
    static var kind: CatalogKind { get }
    /// Fields a client writes, in canonical order (the CSV header order).
    static var writableFields: [String] { get }
    /// Fields the server maintains; shown in responses, refused in input.
    static var readOnlyFields: [String] { get }
    /// What to do instead of writing a read-only field, where that is not obvious.
    static var readOnlyAdvice: [String: String] { get }

    var id: String { get }
    var createdAt: Date { get set }
    var updatedAt: Date { get set }

    /// Every field, writable then read-only, in presentation order.
    var fields: [(name: String, value: JSONValue)] { get }
    var owner: Owner { get }
    /// The other resources this one names; each must exist.
    var references: [Reference] { get }

    /// Parses and validates the writable fields (the id included), recording problems in
    /// `reader`; nil when there were any.
    static func parse(_ reader: inout FieldReader, context: ParseContext) -> Self?

    /// Prepares the stored fields onto which a PATCH is merged (RFC 7396 merge-patch).
    static func mergeBase(_ base: [String: JSONValue], patch: [String: JSONValue]) -> [String: JSONValue]
}

extension CatalogEntity {
    public static var readOnlyFields: [String] { ["created_at", "updated_at"] }
    public static var readOnlyAdvice: [String: String] { [:] }

    public static func mergeBase(_ base: [String: JSONValue], patch: [String: JSONValue]) -> [String: JSONValue] {
        base
    }

    public var references: [Reference] { [] }

    /// The writable fields as a JSON object: what a PATCH is merged onto.
    public var writableJSON: [String: JSONValue] {
        let writable = Set(Self.writableFields)
        return Dictionary(uniqueKeysWithValues: fields.filter { writable.contains($0.name) })
    }

    /// The writable fields as CSV cells, in `writableFields` order, guarded against formulas
    /// (`CSVCell`).
    public var csvRow: [String] {
        let values = Dictionary(uniqueKeysWithValues: fields)
        return Self.writableFields.map { CSVCell.guarded(values[$0]?.csvText ?? "") }
    }

    /// The standard timestamp fields, for `fields` implementations.
    public var timestampFields: [(name: String, value: JSONValue)] {
        [
            ("created_at", .string(Timestamp.string(from: createdAt))),
            ("updated_at", .string(Timestamp.string(from: updatedAt))),
        ]
    }

    /// Parses a complete input (create, import row, or a merged PATCH), rejecting unknown fields.
    public static func parse(reader: FieldReader, context: ParseContext) -> Result<Self, ValidationFailure> {
        var reader = reader
        let entity = parse(&reader, context: context)
        reader.rejectUnknownFields(readOnly: Set(readOnlyFields), advice: readOnlyAdvice)
        if let entity, !reader.hasErrors { return .success(entity) }
        return .failure(ValidationFailure(reader.errors))
    }
}

extension JSONValue {
    /// `.null` for nil, so that responses always carry every field.
    public init(_ string: String?) { self = string.map(JSONValue.string) ?? .null }
    public init(_ int: Int?) { self = int.map { .int(Int64($0)) } ?? .null }
    public init(_ date: CalendarDate?) { self = date.map { .string($0.description) } ?? .null }
    public init(_ double: Double?) { self = double.map(JSONValue.double) ?? .null }
    /// An object of named fields (nested in a response; `JSONWriter` orders its members).
    public init(fields: [(name: String, value: JSONValue)]) {
        self = .object(Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.value) }))
    }
}
