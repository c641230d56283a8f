import ChanxiaoCore
import Foundation
import GRDB

extension AppDatabase {
    /// Whether the catalog holds nothing at all.
    public func isCatalogEmpty() async throws -> Bool {
        try await counts().values.allSatisfy { $0 == 0 }
    }

    /// Loads a whole catalog in one transaction and records `marker` in the metadata, so that
    /// loading the same catalog again is a no-op. Returns false when it was already loaded.
    @discardableResult
    public func seedCatalog(
        counties: [County],
        suppliers: [Supplier],
        products: [Product],
        buyers: [Buyer],
        demands: [Demand],
        venues: [Venue] = [],
        hosts: [LivestreamHost] = [],
        fairs: [Fair] = [],
        sales: [Sale] = [],
        outlets: [Outlet] = [],
        events: [SalesEvent] = [],
        marker: String,
        context: WriteContext
    ) async throws -> Bool {
        try await write { db in
            if try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = ?", arguments: [marker]) != nil { return false }
            func numbered<E>(_ items: [E]) -> [(row: Int, entity: E)] { items.enumerated().map { ($0.offset + 1, $0.element) } }
            _ = try Self.importEntities(numbered(counties), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(suppliers), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(products), mode: .insert, db: db, context: context, progress: nil)
            try Self.seedCertifications(for: products, recountSales: false, db: db, context: context)
            _ = try Self.importEntities(numbered(buyers), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(demands), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(venues), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(hosts), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(fairs), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(sales), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(outlets), mode: .insert, db: db, context: context, progress: nil)
            _ = try Self.importEntities(numbered(events), mode: .insert, db: db, context: context, progress: nil)
            try db.execute(sql: "INSERT INTO metadata (key, value) VALUES (?, ?)", arguments: [marker, Timestamp.string(from: context.now)])
            return true
        }
    }
}
