import ChanxiaoCore
import Foundation
import GRDB

/// What `/readyz` and the watchdog ask of the database.
public struct DatabaseHealth: Sendable, Equatable {
    /// Every migration this build knows is applied.
    public var migrated: Bool
    /// A write transaction can begin now (no other process holds the write lock past the busy
    /// timeout, the file and its directory are writable, the disk answers).
    public var writable: Bool
    /// Why the database is not healthy, when it is not.
    public var problem: String?

    public var isHealthy: Bool { migrated && writable }
}

extension AppDatabase {
    /// Checks the schema and takes (and at once releases) the write lock. It waits for this
    /// process's writes in progress, then at most the busy timeout for another process's, so a
    /// database held by someone else reads as not writable.
    public func health() async -> DatabaseHealth {
        let migrator = Self.migrator
        let migrated: Bool
        do {
            migrated = try await read { db in try migrator.hasCompletedMigrations(db) }
        } catch {
            return DatabaseHealth(migrated: false, writable: false, problem: "the database cannot be read: \(error)")
        }
        do {
            try await writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) { .rollback }
            }
        } catch {
            return DatabaseHealth(migrated: migrated, writable: false, problem: "the database is not writable: \(error)")
        }
        return DatabaseHealth(migrated: migrated, writable: true, problem: migrated ? nil : "migrations are pending")
    }
}

/// Figures of the database for `/metrics`, read at scrape time.
public struct OperationalFigures: Sendable, Equatable {
    /// Webhook deliveries waiting to be sent (first attempts and retries).
    public var pendingDeliveries: Int
    /// Age of the oldest pending delivery, 0 when none waits (retries in backoff included).
    public var oldestPendingSeconds: Double
    /// How long the most overdue delivery has waited past its due time: the worker's lag, 0
    /// when it keeps up. Unlike the age, deliveries waiting out a retry delay do not count.
    public var dueLagSeconds: Double
    /// Enabled endpoints whose last attempt failed (`failing_since` is set).
    public var failingEndpoints: Int
    public var disabledEndpoints: Int
    /// The database file with its write-ahead log, in bytes.
    public var databaseBytes: Int64
}

extension AppDatabase {
    public func operationalFigures(now: Date) async throws -> OperationalFigures {
        let path = writer.path
        return try await read { db in
            let pending = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM webhook_delivery WHERE status = 'pending'")
            let oldest = (pending?["oldest"] as String?).flatMap(Timestamp.date(from:))
            let stamp = Timestamp.string(from: now)
            let due = try String.fetchOne(
                db,
                sql: """
                    SELECT MIN(next_attempt_at) FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at <= ?
                    """,
                arguments: [stamp]
            ).flatMap(Timestamp.date(from:))
            let endpoints = try Row.fetchOne(
                db,
                sql: """
                    SELECT SUM(enabled = 1 AND failing_since IS NOT NULL) AS failing, SUM(enabled = 0) AS disabled FROM webhook_endpoint
                    """
            )
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? NSNumber)?.int64Value ?? 0
            return OperationalFigures(
                pendingDeliveries: pending?["n"] ?? 0,
                oldestPendingSeconds: oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0,
                dueLagSeconds: due.map { max(0, now.timeIntervalSince($0)) } ?? 0,
                failingEndpoints: endpoints?["failing"] ?? 0,
                disabledEndpoints: endpoints?["disabled"] ?? 0,
                databaseBytes: pages * pageSize + wal
            )
        }
    }
}
