import ChanxiaoCore
import Foundation
import GRDB

/// How a catalog entity is kept in its table: explicit column mapping (fast, and the domain
/// types stay free of GRDB), list filters in SQL, and the rows that depend on it.
public protocol StoredEntity: CatalogEntity {
    static var table: String { get }
    /// The primary-key column (`code` for counties, else `id`).
    static var idColumn: String { get }
    /// The column holding the owner id that scopes buyer and supplier tokens.
    static var ownerColumn: String? { get }
    /// Rows that name this entity and so block its deletion.
    static var dependents: [Dependent] { get }

    init(row: Row) throws
    func encode(to container: inout PersistenceContainer)

    /// SQL for one list filter (its name and value were checked against `kind.filters`).
    static func condition(_ name: String, _ value: FilterValue) -> SQL

    /// Fills server-maintained fields before a save (a product's county follows its supplier),
    /// and applies the rules that need the database or the writer (a sale's amount against its
    /// product's price, closed reporting weeks). `existing` is the stored entity an update
    /// replaces, nil for a create. May refuse with a `ValidationFailure`.
    mutating func resolve(in db: Database, context: WriteContext, replacing existing: Self?) throws
    /// Refuses deleting `existing` when a rule forbids it (a sale in a closed reporting week).
    static func checkDelete(_ existing: Self, in db: Database, context: WriteContext) throws
    /// Whether an import audits each row it writes (sales, which figures are made of), besides
    /// the one entry every import gets.
    static var auditsImportedRows: Bool { get }
    /// Keeps rows that copy this entity's data in step after an update.
    func didUpdate(from old: Self, in db: Database) throws
}

extension StoredEntity {
    public static var idColumn: String { "id" }
    public static var ownerColumn: String? { nil }
    public static var dependents: [Dependent] { [] }
    public mutating func resolve(in db: Database, context: WriteContext, replacing existing: Self?) throws {}
    public static func checkDelete(_ existing: Self, in db: Database, context: WriteContext) throws {}
    public static var auditsImportedRows: Bool { false }
    public func didUpdate(from old: Self, in db: Database) throws {}
}

extension CatalogKind {
    /// The entity type of this kind; generic code opens it (`run(kind.storedType)`).
    public var storedType: any StoredEntity.Type {
        switch self {
        case .county: County.self
        case .supplier: Supplier.self
        case .product: Product.self
        case .buyer: Buyer.self
        case .demand: Demand.self
        case .venue: Venue.self
        case .host: LivestreamHost.self
        case .fair: Fair.self
        case .sale: Sale.self
        case .outlet: Outlet.self
        case .event: SalesEvent.self
        }
    }
}

/// Rows of `table` whose `column` names an entity, which then cannot be deleted.
public struct Dependent: Sendable {
    var table: String
    var column: String
    var singular: String
    var plural: String
    /// What to do instead, when deleting is the wrong idea.
    var advice: String

    static func catalog(_ kind: CatalogKind, _ column: String) -> Dependent {
        Dependent(
            table: kind.storedType.table,
            column: column,
            singular: kind.rawValue,
            plural: kind.plural,
            advice: "delete or move them first"
        )
    }
}

/// The GRDB record for any stored entity.
struct Stored<Entity: StoredEntity>: FetchableRecord, PersistableRecord {
    var entity: Entity

    static var databaseTableName: String { Entity.table }

    init(_ entity: Entity) { self.entity = entity }
    init(row: Row) throws { entity = try Entity(row: row) }
    func encode(to container: inout PersistenceContainer) throws { entity.encode(to: &container) }
}

/// Column conversions shared by the records.
enum ColumnValue {
    static func date(_ row: Row, _ name: String) throws -> CalendarDate {
        let text: String = row[name]
        guard let date = CalendarDate(text) else { throw corrupt(name, text) }
        return date
    }

    static func optionalDate(_ row: Row, _ name: String) throws -> CalendarDate? {
        guard let text: String = row[name] else { return nil }
        guard let date = CalendarDate(text) else { throw corrupt(name, text) }
        return date
    }

    static func timestamp(_ row: Row, _ name: String) throws -> Date {
        let text: String = row[name]
        guard let date = Timestamp.date(from: text) else { throw corrupt(name, text) }
        return date
    }

    static func optionalTimestamp(_ row: Row, _ name: String) throws -> Date? {
        guard let text: String = row[name] else { return nil }
        guard let date = Timestamp.date(from: text) else { throw corrupt(name, text) }
        return date
    }

    static func enumeration<Value: RawRepresentable<String>>(_ row: Row, _ name: String) throws -> Value {
        let text: String = row[name]
        guard let value = Value(rawValue: text) else { throw corrupt(name, text) }
        return value
    }

    static func jsonArray<Element: Decodable>(_ row: Row, _ name: String) throws -> [Element] {
        let text: String = row[name]
        // Most lists are empty; a decoder costs microseconds, and loading a catalog reads many.
        if text == "[]" { return [] }
        do { return try JSONDecoder().decode([Element].self, from: Data(text.utf8)) } catch { throw corrupt(name, text) }
    }

    /// JSON with sorted keys: the same value is always stored as the same bytes (Foundation
    /// writes an object's members in hash order otherwise).
    static func json(_ array: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(array)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func corrupt(_ column: String, _ value: String) -> DatabaseError {
        DatabaseError(resultCode: .SQLITE_CORRUPT, message: "unexpected value in column \(column): \(value)")
    }

    /// The leading digits that all divisions inside `code` share: 44 for 440000, 4403 for 440300.
    static func regionPrefix(_ code: String) -> String {
        if code.hasSuffix("0000") { return String(code.prefix(2)) }
        if code.hasSuffix("00") { return String(code.prefix(4)) }
        return code
    }
}

extension PersistenceContainer {
    /// Writes the creation and update times of an entity.
    mutating func timestamps(of entity: some CatalogEntity) {
        self["created_at"] = Timestamp.string(from: entity.createdAt)
        self["updated_at"] = Timestamp.string(from: entity.updatedAt)
    }
}

extension SQL {
    /// `WHERE a AND b …`, or nothing when there are no conditions.
    static func whereClause(_ conditions: [SQL]) -> SQL {
        conditions.isEmpty ? "" : "WHERE (" + conditions.joined(separator: ") AND (") + ")"
    }
}
