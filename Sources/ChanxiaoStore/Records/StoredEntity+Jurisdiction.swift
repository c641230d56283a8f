import ChanxiaoCore
import GRDB

/// A jurisdiction as SQL: the region prefixes, and the counties it reaches (inside or paired,
/// decided by `Jurisdiction.reaches` in Swift, once per read or write).
public struct JurisdictionScope: Sendable {
    public var jurisdiction: Jurisdiction
    /// Codes of the counties inside the regions or paired with them.
    public var counties: Set<String>

    /// `column` holds a region or county code inside one of the regions.
    func inside(_ column: String) -> SQL {
        let prefixes = jurisdiction.regions.map { ColumnValue.regionPrefix($0) + "%" }
        return SQL(sql: "(" + prefixes.map { _ in "\(column) LIKE ?" }.joined(separator: " OR ") + ")", arguments: StatementArguments(prefixes))
    }

    /// `column` holds a county the jurisdiction reaches.
    func reached(_ column: String) -> SQL {
        let codes = counties.sorted()
        guard !codes.isEmpty else { return "0" }
        return SQL(sql: "\(column) IN \(codes.sqlList)", arguments: StatementArguments(codes))
    }

    /// `column` names a buyer inside the regions.
    func buyer(_ column: String) -> SQL {
        "\(SQL(sql: column)) IN (SELECT id FROM buyer WHERE \(inside("region_code")))"
    }

    /// `column` names a venue inside the regions.
    func venue(_ column: String) -> SQL {
        "\(SQL(sql: column)) IN (SELECT id FROM venue WHERE \(inside("region_code")))"
    }
}

extension StoredEntity {
    /// The rows of this kind a jurisdiction holds; nil when the kind is national (hosts: a
    /// livestream host serves every region).
    static func jurisdictionCondition(_ scope: JurisdictionScope) -> SQL? {
        switch Self.kind {
        case .county: scope.reached("code")
        case .supplier, .product: scope.reached("county_code")
        case .buyer, .venue: scope.inside("region_code")
        case .demand: scope.buyer("buyer_id")
        case .fair: scope.venue("venue_id")
        case .host: nil
        // Sales of the jurisdiction's buyers, and of its counties' (and partners') products.
        case .sale: "(\(scope.reached("county_code")) OR \(scope.buyer("buyer_id")))"
        case .outlet: "(\(scope.reached("county_code")) OR \(scope.inside("region_code")) OR \(scope.buyer("buyer_id")))"
        case .event:
            "(\(scope.inside("region_code")) OR EXISTS (SELECT 1 FROM json_each(sales_event.county_codes) AS j WHERE \(scope.reached("j.value"))))"
        }
    }
}

extension StoredEntity {
    /// The member whose value decides whether a row lies in a jurisdiction, named when a write
    /// would put one outside.
    static var jurisdictionField: String {
        switch Self.kind {
        case .county: "code"
        case .supplier: "county_code"
        case .product: "supplier_id"
        case .buyer, .venue, .outlet, .event: "region_code"
        case .demand, .sale: "buyer_id"
        case .fair: "venue_id"
        case .host: "id"
        }
    }
}

extension AppDatabase {
    /// The jurisdiction with the counties it reaches.
    static func scope(_ jurisdiction: Jurisdiction, db: Database) throws -> JurisdictionScope {
        let counties = try all(County.self, db: db).filter(jurisdiction.reaches).map(\.code)
        return JurisdictionScope(jurisdiction: jurisdiction, counties: Set(counties))
    }

    /// Whether the stored row of `id` lies in the jurisdiction.
    static func isInside<E: StoredEntity>(_: E.Type, id: String, scope: JurisdictionScope, db: Database) throws -> Bool {
        guard let condition = E.jurisdictionCondition(scope) else { return true }
        let request: SQLRequest<Bool> = "SELECT EXISTS (SELECT 1 FROM \(sql: E.table) WHERE \(sql: E.idColumn) = \(id) AND \(condition))"
        return try request.fetchOne(db) ?? false
    }

    /// Of `ids`, those whose stored rows lie outside the jurisdiction.
    static func outside<E: StoredEntity>(_: E.Type, ids: [String], scope: JurisdictionScope, db: Database) throws -> Set<String> {
        guard let condition = E.jurisdictionCondition(scope) else { return [] }
        var result: Set<String> = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let list = SQL(sql: chunk.sqlList, arguments: StatementArguments(chunk))
            let request: SQLRequest<String> =
                "SELECT \(sql: E.idColumn) FROM \(sql: E.table) WHERE \(sql: E.idColumn) IN \(list) AND NOT COALESCE(\(condition), 0)"
            result.formUnion(try request.fetchAll(db))
        }
        return result
    }

    /// Refuses a row a bound organizer wrote outside its jurisdiction (the transaction rolls back).
    static func checkInside<E: StoredEntity>(_ entity: E, context: WriteContext, db: Database) throws {
        guard let jurisdiction = context.jurisdiction else { return }
        guard try isInside(E.self, id: entity.id, scope: scope(jurisdiction, db: db), db: db) else {
            throw StoreError.forbidden(
                "\(E.kind.rawValue) \(entity.id) would lie outside this token's regions (\(jurisdiction.regions.joined(separator: ", ")))"
            )
        }
    }
}

extension WriteContext {
    /// The writer's jurisdiction when it is a region-bound organizer.
    public var jurisdiction: Jurisdiction? {
        role == .organizer ? Jurisdiction(regions: regions) : nil
    }
}
