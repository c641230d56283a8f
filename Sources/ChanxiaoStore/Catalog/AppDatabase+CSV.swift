import ChanxiaoCore
import Foundation
import GRDB

extension AppDatabase {
    /// Imports a CSV file of `kind` all-or-nothing: one transaction, any bad row rejects it.
    public func importCSV(
        _ kind: CatalogKind,
        bytes: [UInt8],
        mode: ImportMode,
        parseContext: ParseContext,
        context: WriteContext,
        progress: (@Sendable (CatalogCSV.Phase, Int, Int) -> Void)? = nil
    ) async throws -> ImportSummary {
        func run<E: StoredEntity>(_ type: E.Type) async throws -> ImportSummary {
            let rows = try CatalogCSV.parse(type, bytes: bytes, context: parseContext, progress: progress)
            return try await importEntities(
                rows,
                mode: mode,
                context: context,
                progress: progress.map { report in
                    { @Sendable done, total in report(.writing, done, total) }
                }
            )
        }
        return try await run(kind.storedType)
    }

    /// Every resource of `kind` as CSV in the import format (`CatalogCSV.export`), so an export
    /// can be edited and imported back.
    /// `within`: only the rows of a region-bound organizer's jurisdiction.
    public func exportCSV(_ kind: CatalogKind, within jurisdiction: Jurisdiction? = nil) async throws -> String {
        func run<E: StoredEntity>(_ type: E.Type) async throws -> String {
            guard let jurisdiction else { return CatalogCSV.export(try await all(type)) }
            return try await read { db in
                let condition: SQL = E.jurisdictionCondition(try Self.scope(jurisdiction, db: db)) ?? "1"
                let rows = try SQLRequest<Stored<E>>("SELECT * FROM \(sql: E.table) WHERE \(condition) ORDER BY \(sql: E.idColumn)").fetchAll(db)
                return CatalogCSV.export(rows.map(\.entity))
            }
        }
        return try await run(kind.storedType)
    }
}
