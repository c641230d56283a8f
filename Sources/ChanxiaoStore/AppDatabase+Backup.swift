import Dispatch
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one online backup wrote.
public struct BackupSummary: Sendable, Equatable {
    /// The backup file, in place (renamed from its `.partial` file).
    public var path: String
    /// The size of the backup file.
    public var bytes: Int64
    /// Database pages copied.
    public var pages: Int
    /// From the start of the copy to the rename.
    public var duration: Duration

    public init(path: String, bytes: Int64, pages: Int, duration: Duration) {
        self.path = path
        self.bytes = bytes
        self.pages = pages
        self.duration = duration
    }

    /// The duration in whole milliseconds, for logs and the command line.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// Why a backup failed after the copy itself succeeded.
public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `PRAGMA integrity_check` on the copy did not answer `ok`.
    case integrityCheckFailed([String])
    /// A file operation (sync, rename) failed.
    case file(String)

    public var description: String {
        switch self {
        case .integrityCheckFailed(let messages):
            "the copy failed its integrity check: " + messages.prefix(5).joined(separator: "; ")
        case .file(let detail): detail
        }
    }
}

extension AppDatabase {
    /// Copies the whole database into the single file at `path` while writers go on.
    ///
    /// SQLite's online backup API copies every page in one step from one read transaction, so
    /// the copy is one consistent snapshot (a WAL reader never blocks the writer, nor is blocked
    /// by it). The copy is written to `path.partial` in rollback-journal mode (one
    /// self-contained file, no `-wal`), checked with `PRAGMA integrity_check`, synced, closed,
    /// and only then renamed onto `path` (replacing a file there). On any failure the partial
    /// file is removed and `path` is left as it was.
    public func backup(to path: String) async throws -> BackupSummary {
        let source = reader
        return try await withCheckedThrowingContinuation { continuation in
            // The copy blocks its thread for its whole length: keep it off the cooperative pool.
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try Self.backupSynchronously(from: source, to: path) })
            }
        }
    }

    /// The number of rows of every table (not SQLite's own nor GRDB's migration list), read in
    /// one transaction.
    public func tableRowCounts() async throws -> [String: Int] {
        try await read { db in
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master
                    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                    ORDER BY name
                    """
            )
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
            }
            return counts
        }
    }

    /// `chanxiao-<UTC yyyyMMdd'T'HHmmss'Z'>.sqlite`: the name of backups made into a directory,
    /// by the command line and by the periodic job.
    public static func backupFileName(at date: Date) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "chanxiao-" + pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "T"
            + pad(c.hour, 2) + pad(c.minute, 2) + pad(c.second, 2) + "Z.sqlite"
    }

    /// The time in a name `backupFileName(at:)` makes, or nil for any other name.
    public static func backupDate(fromFileName name: String) -> Date? {
        let prefix = "chanxiao-"
        let suffix = ".sqlite"
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let stamp = Array(name.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count))
        guard stamp.count == 16, stamp[8] == UInt8(ascii: "T"), stamp[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in stamp[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
            let date = utcCalendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)),
            backupFileName(at: date) == name
        else { return nil }
        return date
    }

    private static var utcCalendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    static func backupSynchronously(from source: any DatabaseReader, to path: String) throws -> BackupSummary {
        let start = ContinuousClock.now
        let partial = path + ".partial"
        let leftovers = [partial, partial + "-journal", partial + "-wal", partial + "-shm"]
        for file in leftovers { try? FileManager.default.removeItem(atPath: file) }
        do {
            // The copy holds token hashes and webhook secrets: readable by the owner and its
            // group only, as the database is under the unit's UMask=0027. SQLite gives the
            // journal the same mode.
            try backupCreateFile(partial, mode: 0o640)
            var configuration = Configuration()
            configuration.label = "chanxiao-backup"
            let destination = try DatabaseQueue(path: partial, configuration: configuration)
            var pages = 0
            do {
                try source.backup(to: destination, pagesPerStep: -1) { progress in
                    pages = progress.totalPageCount
                }
                try destination.writeWithoutTransaction { db in
                    // The copied header still says WAL (file format 2) when the source is a
                    // pool, and the copy would open in WAL mode: leaving WAL rewrites it, so
                    // that the backup is one file with a rollback journal.
                    let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
                    guard mode == "delete" else { throw BackupError.file("cannot leave WAL mode in \(partial) (journal_mode \(mode ?? "?"))") }
                    let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                    guard check == ["ok"] else { throw BackupError.integrityCheckFailed(check) }
                }
                try destination.close()
            } catch {
                try? destination.close()
                throw error
            }
            try backupSyncFile(partial)
            guard rename(partial, path) == 0 else {
                throw BackupError.file("cannot rename \(partial) to \(path): \(String(cString: strerror(errno)))")
            }
            backupSyncDirectory(of: path)
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return BackupSummary(path: path, bytes: bytes, pages: pages, duration: ContinuousClock.now - start)
        } catch {
            for file in leftovers { try? FileManager.default.removeItem(atPath: file) }
            throw error
        }
    }
}

// File helpers outside `AppDatabase`, whose `open(path:)` would hide the C function.

private func backupCreateFile(_ path: String, mode: mode_t) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
    guard descriptor >= 0 else { throw BackupError.file("cannot create \(path): \(String(cString: strerror(errno)))") }
    close(descriptor)
}

private func backupSyncFile(_ path: String) throws {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw BackupError.file("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw BackupError.file("cannot sync \(path): \(String(cString: strerror(errno)))") }
}

/// Makes the rename durable; best effort (some file systems refuse to sync a directory).
private func backupSyncDirectory(of path: String) {
    let directory = (path as NSString).deletingLastPathComponent
    let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
}
