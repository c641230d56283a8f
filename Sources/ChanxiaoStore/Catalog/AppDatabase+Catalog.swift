import ChanxiaoCore
import Foundation
import GRDB

extension AppDatabase {
    public func fetch<E: StoredEntity>(_: E.Type, id: String) async throws -> E? {
        // A cached statement: reads by id are most of a busy API's requests, and compiling
        // the query each time cost more than running it.
        try await read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM \(E.table) WHERE \(E.idColumn) = ?"), arguments: [id]).map(E.init(row:))
        }
    }

    /// The entity, or nil when it does not exist or lies outside `jurisdiction`.
    public func fetch<E: StoredEntity>(_: E.Type, id: String, within jurisdiction: Jurisdiction?) async throws -> E? {
        guard let jurisdiction else { return try await fetch(E.self, id: id) }
        return try await read { db in
            guard try Self.isInside(E.self, id: id, scope: Self.scope(jurisdiction, db: db), db: db) else { return nil }
            return try Stored<E>.fetchOne(db, key: id)?.entity
        }
    }

    /// One page in id order, after `query.afterID`, filtered and scoped to `query.owner`.
    public func list<E: StoredEntity>(_: E.Type, query: ListQuery) async throws -> Page<E> {
        try await read { db in
            var conditions: [SQL] = query.filters.sorted { $0.key < $1.key }.map { E.condition($0.key, $0.value) }
            if let owner = query.owner {
                conditions.append(Self.ownerCondition(E.self, owner))
            }
            if let jurisdiction = query.jurisdiction, let condition = E.jurisdictionCondition(try Self.scope(jurisdiction, db: db)) {
                conditions.append(condition)
            }
            let idColumn = SQL(sql: E.idColumn)
            if let after = query.afterID {
                conditions.append("\(idColumn) > \(after)")
            }
            let whereClause = SQL.whereClause(conditions)
            let request = SQLRequest<Stored<E>>("SELECT * FROM \(sql: E.table) \(whereClause) ORDER BY \(idColumn) LIMIT \(query.limit + 1)")
            return Page(fetched: try request.fetchAll(db).map(\.entity), limit: query.limit, id: \.id)
        }
    }

    /// Whether the writer's jurisdiction (if any) holds the stored row.
    static func isWithin<E: StoredEntity>(_ context: WriteContext, _: E.Type, id: String, db: Database) throws -> Bool {
        guard let jurisdiction = context.jurisdiction else { return true }
        return try isInside(E.self, id: id, scope: scope(jurisdiction, db: db), db: db)
    }

    private static func ownerCondition<E: StoredEntity>(_: E.Type, _ owner: Owner) -> SQL {
        guard let column = E.ownerColumn else { return "0" }
        switch owner {
        case .buyer(let id) where E.self == Buyer.self || E.self == Demand.self || E.self == Sale.self || E.self == Outlet.self:
            return "\(SQL(sql: column)) = \(id)"
        case .supplier(let id) where E.self == Supplier.self || E.self == Product.self: return "\(SQL(sql: column)) = \(id)"
        default: return "0"
        }
    }

    /// Stores a new entity after checking its id is free and what it references exists.
    @discardableResult
    public func create<E: StoredEntity>(_ entity: E, context: WriteContext) async throws -> E {
        try await write { db in
            try Self.insert(entity, db: db, context: context)
        }
    }

    /// Replaces an entity with `change(existing)` in one transaction, so that concurrent
    /// updates cannot overwrite each other unseen. `change` may throw to refuse.
    public func update<E: StoredEntity>(
        _: E.Type,
        id: String,
        context: WriteContext,
        change: @Sendable (E) throws -> E
    ) async throws -> E {
        try await write { db in
            guard let existing = try Stored<E>.fetchOne(db, key: id)?.entity, try Self.isWithin(context, E.self, id: id, db: db) else {
                throw StoreError.notFound(kind: E.kind.rawValue, id: id)
            }
            var updated = try change(existing)
            guard updated.id == existing.id else {
                throw ValidationFailure(field: E.kind.idField, message: "cannot be changed")
            }
            // A change that changes nothing is not a write: no new time, no audit entry.
            if updated.writableJSON == existing.writableJSON { return existing }
            updated.createdAt = existing.createdAt
            updated.updatedAt = context.now
            return try Self.save(updated, replacing: existing, db: db, context: context)
        }
    }

    /// Deletes an entity unless other rows still name it. `check` may throw to refuse.
    public func delete<E: StoredEntity>(
        _: E.Type,
        id: String,
        context: WriteContext,
        check: @Sendable (E) throws -> Void = { _ in }
    ) async throws {
        try await write { db in
            guard let existing = try Stored<E>.fetchOne(db, key: id)?.entity, try Self.isWithin(context, E.self, id: id, db: db) else {
                throw StoreError.notFound(kind: E.kind.rawValue, id: id)
            }
            try check(existing)
            try E.checkDelete(existing, in: db, context: context)
            for dependent in E.dependents {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(dependent.table) WHERE \(dependent.column) = ?", arguments: [id]) ?? 0
                if count > 0 {
                    let noun = count == 1 ? "1 \(dependent.singular)" : "\(count) \(dependent.plural)"
                    let advice = count == 1 ? dependent.advice.replacingOccurrences(of: "them", with: "it") : dependent.advice
                    throw StoreError.conflict("\(E.kind.rawValue) \(id) still has \(noun); \(advice)")
                }
            }
            if E.self == Buyer.self || E.self == Supplier.self {
                try Self.revokeTokens(boundTo: E.kind, id: id, db: db, context: context)
            }
            _ = try Stored<E>.deleteOne(db, key: id)
            try Self.audit(
                db,
                context,
                action: "\(E.kind.rawValue).delete",
                kind: E.kind,
                id: id,
                detail: .object(existing.writableJSON)
            )
        }
    }

    // MARK: Transaction steps shared by single writes and imports

    /// `resolved`: the caller has already resolved the entity in this transaction (an import
    /// checks every row before writing any).
    /// `resolved`: an import resolved the rows, and checks the jurisdiction of all at once.
    static func insert<E: StoredEntity>(_ entity: E, db: Database, context: WriteContext, audited: Bool = true, resolved: Bool = false) throws -> E {
        if try Stored<E>.exists(db, key: entity.id) {
            throw StoreError.conflict("a \(E.kind.rawValue) with \(E.kind.idField) \(entity.id) already exists")
        }
        try checkReferences(of: entity, db: db)
        var entity = entity
        if !resolved { try resolve(&entity, replacing: nil, db: db, context: context) }
        try Stored(entity).insert(db)
        if !resolved { try checkInside(entity, context: context, db: db) }
        if audited {
            try audit(db, context, action: "\(E.kind.rawValue).create", kind: E.kind, id: entity.id, detail: .object(entity.writableJSON))
        }
        if let supplier = entity as? Supplier, supplier.blacklisted {
            try Outbox(db, context: context).supplierBlacklisted(supplier, db: db)
        }
        return entity
    }

    static func save<E: StoredEntity>(
        _ entity: E,
        replacing existing: E,
        db: Database,
        context: WriteContext,
        audited: Bool = true,
        resolved: Bool = false
    ) throws -> E {
        if entity.references != existing.references {
            try checkReferences(of: entity, db: db)
        }
        var entity = entity
        if !resolved { try resolve(&entity, replacing: existing, db: db, context: context) }
        try Stored(entity).update(db)
        if !resolved { try checkInside(entity, context: context, db: db) }
        try entity.didUpdate(from: existing, in: db)
        if let supplier = entity as? Supplier, let old = existing as? Supplier, supplier.blacklisted, !old.blacklisted {
            // Told before the withdrawals, so that the buyers of its open matches are named.
            try Outbox(db, context: context).supplierBlacklisted(supplier, db: db)
            let products = try String.fetchAll(db, sql: "SELECT id FROM product WHERE supplier_id = ?", arguments: [supplier.id])
            let withdrawn = try withdrawIneligible(
                products: products,
                reason: "supplier \(supplier.id) was blacklisted: \(supplier.blacklistReason ?? "no reason given")",
                db: db,
                context: context
            )
            if audited, !withdrawn.isEmpty {
                try audit(db, context, action: "supplier.withdraw", kind: .supplier, id: supplier.id, detail: withdrawn.detail)
            }
        }
        if audited {
            try audit(db, context, action: "\(E.kind.rawValue).update", kind: E.kind, id: entity.id, detail: changes(from: existing, to: entity))
            if let supplier = entity as? Supplier, let old = existing as? Supplier, supplier.blacklisted != old.blacklisted {
                try audit(
                    db,
                    context,
                    action: supplier.blacklisted ? "supplier.blacklist" : "supplier.unblacklist",
                    kind: .supplier,
                    id: supplier.id,
                    detail: .object(["reason": JSONValue(supplier.blacklistReason ?? old.blacklistReason)])
                )
            }
        }
        return entity
    }

    /// `entity.resolve`, except that a bound organizer whose row names only records outside its
    /// regions is refused as such, before a rule's message could describe those records.
    private static func resolve<E: StoredEntity>(_ entity: inout E, replacing existing: E?, db: Database, context: WriteContext) throws {
        do {
            try entity.resolve(in: db, context: context, replacing: existing)
        } catch let failure as ValidationFailure {
            guard let jurisdiction = context.jurisdiction, !entity.references.isEmpty else { throw failure }
            let scope = try scope(jurisdiction, db: db)
            func inside(_ reference: Reference) throws -> Bool {
                func check<T: StoredEntity>(_: T.Type) throws -> Bool { try isInside(T.self, id: reference.id, scope: scope, db: db) }
                return try check(reference.kind.storedType)
            }
            guard try entity.references.contains(where: inside) else {
                throw StoreError.forbidden(
                    "\(E.kind.rawValue) \(entity.id) would lie outside this token's regions (\(jurisdiction.regions.joined(separator: ", ")))"
                )
            }
            throw failure
        }
    }

    static func checkReferences(of entity: some StoredEntity, db: Database) throws {
        var errors: [FieldError] = []
        for reference in entity.references where try !exists(reference.kind, id: reference.id, db: db) {
            errors.append(FieldError(field: reference.field, message: "no \(reference.kind.rawValue) with \(reference.kind.idField) \(reference.id)"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    static func exists(_ kind: CatalogKind, id: String, db: Database) throws -> Bool {
        let type = kind.storedType
        return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(type.table) WHERE \(type.idColumn) = ?)", arguments: [id]) ?? false
    }

    /// `{field: {"from": old, "to": new}}` for the writable fields that changed.
    static func changes<E: CatalogEntity>(from old: E, to new: E) -> JSONValue {
        let before = old.writableJSON
        let after = new.writableJSON
        var changed: [String: JSONValue] = [:]
        for field in E.writableFields where before[field] != after[field] {
            changed[field] = .object(["from": before[field] ?? .null, "to": after[field] ?? .null])
        }
        return .object(changed)
    }
}
