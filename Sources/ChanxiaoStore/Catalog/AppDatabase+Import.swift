import ChanxiaoCore
import Foundation
import GRDB

/// How an import treats rows whose id already exists.
public enum ImportMode: String, Sendable, CaseIterable {
    /// Existing ids are errors: the file must hold only new resources.
    case insert
    /// Existing resources are replaced by the row (their creation time is kept).
    case upsert
}

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    public var kind: String
    public var rows: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int

    public init(kind: String, rows: Int, created: Int, updated: Int, unchanged: Int) {
        self.kind = kind
        self.rows = rows
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("kind", .string(kind)), ("rows", JSONValue(rows)), ("created", JSONValue(created)), ("updated", JSONValue(updated)),
            ("unchanged", JSONValue(unchanged)),
        ]
    }
}

extension AppDatabase {
    /// Imports parsed rows in one transaction: every row is checked (duplicate ids in the
    /// file, ids that exist, references) before anything is written, and any error rejects
    /// the whole file. `rows` pairs each entity with its spreadsheet row number.
    public func importEntities<E: StoredEntity>(
        _ rows: [(row: Int, entity: E)],
        mode: ImportMode,
        context: WriteContext,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws -> ImportSummary {
        try await write { db in
            try Self.importEntities(rows, mode: mode, db: db, context: context, progress: progress)
        }
    }

    static func importEntities<E: StoredEntity>(
        _ rows: [(row: Int, entity: E)],
        mode: ImportMode,
        db: Database,
        context: WriteContext,
        progress: (@Sendable (Int, Int) -> Void)?
    ) throws -> ImportSummary {
        var errors: [FieldError] = []
        let idField = E.kind.idField

        var firstRow: [String: Int] = [:]
        for (row, entity) in rows {
            if let earlier = firstRow[entity.id] {
                errors.append(FieldError(field: idField, message: "\(entity.id) also appears in row \(earlier)", row: row))
            } else {
                firstRow[entity.id] = row
            }
        }

        let existing = try existingEntities(E.self, ids: Array(firstRow.keys), db: db)
        // A bound organizer replaces only rows inside its regions.
        let scope = try context.jurisdiction.map { try Self.scope($0, db: db) }
        if let scope, mode == .upsert {
            let foreign = try outside(E.self, ids: Array(existing.keys), scope: scope, db: db)
            for (row, entity) in rows where foreign.contains(entity.id) {
                errors.append(
                    FieldError(field: idField, message: "\(E.kind.rawValue) \(entity.id) lies outside this token's regions", row: row)
                )
            }
        }
        if mode == .insert {
            for (row, entity) in rows where existing[entity.id] != nil {
                errors.append(
                    FieldError(
                        field: idField,
                        message: "a \(E.kind.rawValue) with \(idField) \(entity.id) already exists (import with mode upsert to replace it)",
                        row: row
                    )
                )
            }
        }

        var known: [CatalogKind: Set<String>] = [:]
        for (row, entity) in rows {
            for reference in entity.references {
                if known[reference.kind] == nil { known[reference.kind] = try allIDs(reference.kind, db: db) }
                if !known[reference.kind]!.contains(reference.id) {
                    errors.append(
                        FieldError(
                            field: reference.field,
                            message: "no \(reference.kind.rawValue) with \(reference.kind.idField) \(reference.id)",
                            row: row
                        )
                    )
                }
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors.sorted { ($0.row ?? 0, $0.field) < ($1.row ?? 0, $1.field) }) }

        // Every row resolved before anything is written, so that a row the store refuses (a
        // sale's amount at its product's price) rejects the file with every such problem. The
        // references exist, so a row is resolved once, here.
        var resolvedRows: [E] = []
        resolvedRows.reserveCapacity(rows.count)
        for (row, entity) in rows {
            var resolved = entity
            do {
                try resolved.resolve(in: db, context: context, replacing: existing[entity.id])
            } catch let failure as ValidationFailure {
                errors += failure.errors.map { FieldError(field: $0.field, message: $0.message, row: row) }
            }
            resolvedRows.append(resolved)
        }
        if !errors.isEmpty { throw ValidationFailure(errors.sorted { ($0.row ?? 0, $0.field) < ($1.row ?? 0, $1.field) }) }

        var summary = ImportSummary(kind: E.kind.plural, rows: rows.count, created: 0, updated: 0, unchanged: 0)
        for (index, resolved) in resolvedRows.enumerated() {
            if let old = existing[resolved.id] {
                // Compared as it would be stored: a sale row that leaves out its category and unit
                // takes its product's, so it matches the stored sale that has them.
                if old.writableJSON == resolved.writableJSON {
                    summary.unchanged += 1
                } else {
                    var entity = resolved
                    entity.createdAt = old.createdAt
                    entity.updatedAt = context.now
                    _ = try save(entity, replacing: old, db: db, context: context, audited: E.auditsImportedRows, resolved: true)
                    summary.updated += 1
                }
            } else {
                _ = try insert(resolved, db: db, context: context, audited: E.auditsImportedRows, resolved: true)
                summary.created += 1
            }
            if let progress, (index + 1) % 1000 == 0 || index + 1 == rows.count { progress(index + 1, rows.count) }
        }
        if let scope {
            let foreign = try outside(E.self, ids: resolvedRows.map(\.id), scope: scope, db: db)
            if !foreign.isEmpty {
                throw ValidationFailure(
                    rows.filter { foreign.contains($0.entity.id) }.map { row in
                        FieldError(
                            field: E.jurisdictionField,
                            message:
                                "would put \(E.kind.rawValue) \(row.entity.id) outside this token's regions (\(scope.jurisdiction.regions.joined(separator: ", ")))",
                            row: row.row
                        )
                    }
                )
            }
        }
        try audit(
            db,
            context,
            action: "import.\(E.kind.plural)",
            kind: E.kind,
            detail: .object([
                "mode": .string(mode.rawValue), "rows": .int(Int64(summary.rows)),
                "created": .int(Int64(summary.created)), "updated": .int(Int64(summary.updated)),
                "unchanged": .int(Int64(summary.unchanged)),
            ])
        )
        return summary
    }

    private static func existingEntities<E: StoredEntity>(_: E.Type, ids: [String], db: Database) throws -> [String: E] {
        var result: [String: E] = [:]
        // SQLite limits bound parameters per statement; fetch in chunks.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            for record in try Stored<E>.fetchAll(db, keys: chunk) {
                result[record.entity.id] = record.entity
            }
        }
        return result
    }

    private static func allIDs(_ kind: CatalogKind, db: Database) throws -> Set<String> {
        let type = kind.storedType
        return try String.fetchSet(db, sql: "SELECT \(type.idColumn) FROM \(type.table)")
    }

    /// Every entity of a kind in id order, for CSV export.
    public func all<E: StoredEntity>(_: E.Type) async throws -> [E] {
        try await read { db in try Self.all(E.self, db: db) }
    }

    static func all<E: StoredEntity>(_: E.Type, db: Database) throws -> [E] {
        try SQLRequest<Stored<E>>("SELECT * FROM \(sql: E.table) ORDER BY \(sql: E.idColumn)").fetchAll(db).map(\.entity)
    }

    /// How many entities of each kind the catalog holds.
    public func counts() async throws -> [CatalogKind: Int] {
        try await read { db in
            var counts: [CatalogKind: Int] = [:]
            for kind in CatalogKind.allCases {
                counts[kind] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(kind.storedType.table)") ?? 0
            }
            return counts
        }
    }
}

extension AppDatabase {
    public func metadata(_ key: String) async throws -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = ?", arguments: [key]) }
    }
}
