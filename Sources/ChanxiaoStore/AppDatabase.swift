import ChanxiaoCore
import ChanxiaoScheduling
import Foundation
import GRDB

/// The one database of a chanxiao daemon. It wraps a GRDB `DatabaseWriter`: a `DatabasePool`
/// in WAL mode on disk, or an in-memory queue in tests. Every write method is one transaction
/// that keeps its invariant (a change, its derived data and its audit entry together).
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter

    public var reader: any DatabaseReader { writer }

    /// Wraps an open database and brings its schema up to date.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrate(writer)
    }

    /// Opens (creating if needed) the database file at `path`, with its parent directory.
    public static func open(path: String, busyTimeoutMilliseconds: Int = 5000) throws -> AppDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let pool = try DatabasePool(path: path, configuration: configuration(busyTimeoutMilliseconds: busyTimeoutMilliseconds))
        return try AppDatabase(pool)
    }

    /// A private in-memory database, for tests and benchmarks.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: configuration(busyTimeoutMilliseconds: 0)))
    }

    static func configuration(busyTimeoutMilliseconds: Int) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Double(busyTimeoutMilliseconds) / 1000)
        configuration.label = "chanxiao"
        configuration.prepareDatabase { db in
            // A match run writes hundreds of thousands of rows into indexes keyed in random
            // order; SQLite's default 2 MiB page cache makes that mostly cache misses.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return configuration
    }

    /// Where the database lives when the configuration names no path: systemd's state
    /// directory when it provides one, else `./var/`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !state.isEmpty {
            return String(state) + "/chanxiao.sqlite"
        }
        return "var/chanxiao.sqlite"
    }

    /// Runs `updates` in one write transaction. SQLite's busy and constraint failures come out as
    /// `StoreError`, so that callers act on them without knowing GRDB.
    func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await writer.write(updates) } catch let error as DatabaseError { throw Self.storeError(error) }
    }

    /// Runs `value` in a read transaction, with the same mapping of errors as `write`.
    func read<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await reader.read(value) } catch let error as DatabaseError { throw Self.storeError(error) }
    }

    /// The store's error for a database error a caller can act on; others stay as they are.
    static func storeError(_ error: DatabaseError) -> any Error {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: StoreError.busy
        case .SQLITE_CONSTRAINT: StoreError.constraintViolation(error.message ?? "a constraint")
        // The disk or the file failed, not the request: the daemon is unavailable until it is fixed.
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_FULL, .SQLITE_NOMEM, .SQLITE_READONLY:
            StoreError.unavailable(error.message ?? "\(error.resultCode)")
        default: error
        }
    }

    /// Whether the database answers a trivial query (for `/readyz`).
    public func isResponsive() async -> Bool {
        (try? await reader.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}

/// Who is writing, for the audit log, and when.
public struct WriteContext: Sendable {
    /// A token id (`tok_…`) or `cli:<user>` for the command line.
    public var actor: String
    public var role: Role
    public var now: Date
    /// The request (or job) this write is made for, recorded on the webhook messages it emits.
    /// By default the task-local `RequestTrace.id` of the task that makes the context: write
    /// closures run on GRDB's queues, where task-locals are not visible.
    public var requestID: String?
    /// The configured rules writes are checked against.
    public var rules: WriteRules
    /// The regions a reviewer or a bound organizer acts in (empty: everywhere).
    public var regions: [String]
    /// The configured time zone, which decides what day `now` is.
    public var zone: TimeZone
    /// The configured booth allocation: a blacklisting's released booths go to the waiting
    /// list in its transaction.
    public var fairs: SchedulingSettings.Fairs

    public init(
        actor: String,
        role: Role,
        now: Date,
        requestID: String? = RequestTrace.id,
        rules: WriteRules = WriteRules(),
        regions: [String] = [],
        zone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!,
        fairs: SchedulingSettings.Fairs = SchedulingSettings.Fairs()
    ) {
        self.actor = actor
        self.role = role
        self.now = now
        self.requestID = requestID
        self.rules = rules
        self.regions = regions
        self.zone = zone
        self.fairs = fairs
    }

    /// The day it is where the daemon counts days.
    public var today: CalendarDate { CalendarDate.today(in: zone, now: now) }

    /// Whether the writer acts for a county: only reviewers are bound to regions.
    public func governs(county code: String) -> Bool {
        DivisionCode.regions(regions, cover: code)
    }
}

/// Failures of store operations that a client can act on.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(kind: String, id: String)
    /// The change conflicts with existing data (a duplicate id, dependents that block a delete).
    case conflict(String)
    /// The caller may not do this to these rows (a rule that needs what the transaction reads).
    case forbidden(String)
    /// The database was migrated by a newer chanxiao than this one.
    case newerSchema([String])
    /// Another writer held the database beyond `database.busy_timeout_ms`: retry shortly.
    case busy
    /// The database cannot be read or written (a full or failing disk, a file gone): the
    /// operator must act; `/readyz` says so too.
    case unavailable(String)
    /// A constraint of the schema refused a write: the backstop for a race between two writers
    /// (the checks before each write catch the rest).
    case constraintViolation(String)

    public var description: String {
        switch self {
        case .notFound(let kind, let id): "no \(kind) with \(CatalogKind(rawValue: kind)?.idField ?? "id") \(id)"
        case .conflict(let detail): detail
        case .forbidden(let detail): detail
        case .newerSchema(let unknown):
            "the database has migrations this chanxiao does not know (\(unknown.joined(separator: ", "))); it was written by a newer version"
        case .busy: "the database is busy; retry shortly"
        case .unavailable(let detail): "the database is unavailable (\(detail))"
        case .constraintViolation(let detail): "the change conflicts with data written at the same time (\(detail))"
        }
    }
}
