import ChanxiaoCore
import GRDB

/// What a person reads matches by: the names behind their ids, and the contacts of the
/// suppliers the reader may call.
public struct MatchNames: Sendable {
    public var buyers: [String: String] = [:]
    public var products: [String: (name: String, category: ProductCategory, unit: MeasureUnit)] = [:]
    public var suppliers: [String: Supplier] = [:]
    public var counties: [String: String] = [:]
    /// Suppliers whose contact the reader may see.
    public var contactable: Set<String> = []

    public init() {}

    /// The match's members followed by the names (null where the record is gone) and, for a
    /// reader who may see it, the supplier's contact (otherwise null).
    public func fields(of match: Match) -> [(name: String, value: JSONValue)] {
        let product = products[match.productID]
        let supplier = suppliers[match.supplierID]
        let contact: JSONValue =
            contactable.contains(match.supplierID) && supplier != nil ? JSONValue(fields: supplier!.contactFields) : .null
        return match.fields + [
            ("buyer_name", JSONValue(buyers[match.buyerID])), ("product_name", JSONValue(product?.name)),
            ("category", JSONValue(product?.category.rawValue)), ("category_name", JSONValue(product?.category.chineseName)),
            ("unit", JSONValue(product?.unit.rawValue)), ("unit_name", JSONValue(product?.unit.chineseName)),
            ("supplier_name", JSONValue(supplier?.name)), ("county_name", JSONValue(counties[match.countyCode])),
            ("supplier_contact", contact),
        ]
    }
}

extension AppDatabase {
    /// The names of `matches` as `reader` may read them: staff (nil) see every supplier's
    /// contact, a supplier its own, a buyer those of suppliers it has accepted a match with.
    public func matchNames(_ matches: [Match], reader: Owner?) async throws -> MatchNames {
        try await read { db in
            var names = MatchNames()
            guard !matches.isEmpty else { return names }
            names.buyers = try Outbox.lookup(db, table: "buyer", ids: matches.map(\.buyerID)) { $0["name"] }
            names.counties = try Outbox.lookup(db, table: "county", key: "code", ids: matches.map(\.countyCode)) { $0["name"] }
            for (id, product) in try Outbox.lookup(
                db,
                table: "product",
                ids: matches.map(\.productID),
                { row in
                    (row["name"] as String, ProductCategory(rawValue: row["category"]), MeasureUnit(rawValue: row["unit"]))
                }
            ) {
                // A value the enums do not know (hostile stored data) leaves the names out, not the list.
                if let category = product.1, let unit = product.2 { names.products[id] = (product.0, category, unit) }
            }
            let supplierIDs = Array(Set(matches.map(\.supplierID)))
            names.suppliers = Dictionary(
                try Stored<Supplier>.fetchAll(
                    db,
                    sql: "SELECT * FROM supplier WHERE id IN \(supplierIDs.sqlList)",
                    arguments: StatementArguments(supplierIDs)
                ).map { ($0.entity.id, $0.entity) },
                uniquingKeysWith: { a, _ in a }
            )
            switch reader {
            case nil:
                names.contactable = Set(supplierIDs)
            case .supplier(let id)?:
                names.contactable = [id]
            case .none?:
                names.contactable = []
            case .buyer(let id)?:
                names.contactable = Set(
                    try String.fetchAll(
                        db,
                        sql:
                            "SELECT DISTINCT supplier_id FROM match WHERE buyer_id = ? AND status = 'accepted' AND supplier_id IN \(supplierIDs.sqlList)",
                        arguments: StatementArguments([id] + supplierIDs)
                    )
                )
            }
            return names
        }
    }
}
