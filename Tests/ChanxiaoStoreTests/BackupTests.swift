import ChanxiaoCore
import ChanxiaoStore
import Foundation
import GRDB
import Testing

/// `AppDatabase.backup(to:)`: an online backup under write load restores to a sound database
/// holding one consistent snapshot, and a quiet database restores to exactly the same rows.
@Suite struct BackupTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-backup-\(UUID().uuidString)")

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// One write transaction: a county and its audit entry.
    static func county(_ number: Int) -> County {
        let code = "45" + String(repeating: "0", count: 4 - String(number).count) + String(number)
        return County(
            code: code,
            name: "测试县\(number)",
            city: "百色市",
            povertyStatus: .deep,
            poorPopulation: number,
            createdAt: Fixtures.now,
            updatedAt: Fixtures.now
        )
    }

    /// Restores a backup as an operator would (a copy of the file put where a database lives),
    /// opens it as the daemon does and returns it with its integrity check.
    func restore(_ backup: String, as name: String) async throws -> (AppDatabase, integrity: [String]) {
        let target = path("\(name)/chanxiao.sqlite")
        try FileManager.default.createDirectory(atPath: path(name), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: backup, toPath: target)
        let restored = try AppDatabase.open(path: target)
        let integrity = try await restored.reader.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return (restored, integrity)
    }

    @Test func aBackupUnderWriteLoadRestoresToAConsistentSnapshot() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try AppDatabase.open(path: path("live/chanxiao.sqlite"))
        let auditBefore = try await source.tableRowCounts()["audit_log"] ?? 0

        // The writer: one county and one audit entry per transaction, until cancelled.
        let writer = Task {
            var written = 0
            while !Task.isCancelled, written < 9000 {
                do {
                    try await source.create(Self.county(written), context: Fixtures.context)
                    written += 1
                } catch is CancellationError {
                    break
                } catch {
                    if Task.isCancelled { break }
                    throw error
                }
            }
            return written
        }
        // Let the writer get going, then back up again and again while it writes, until
        // writes have demonstrably gone on during the backups.
        while try await (source.tableRowCounts()["county"] ?? 0) < 300 {
            try await Task.sleep(for: .milliseconds(10))
        }
        var backups: [(path: String, summary: BackupSummary)] = []
        let countiesAtStart = try await source.tableRowCounts()["county"] ?? 0
        var countiesAtEnd = countiesAtStart
        while backups.count < 3 || (countiesAtEnd - countiesAtStart < 50 && backups.count < 40) {
            let file = path("backups/under-load-\(backups.count).sqlite")
            if backups.isEmpty { try FileManager.default.createDirectory(atPath: path("backups"), withIntermediateDirectories: true) }
            backups.append((file, try await source.backup(to: file)))
            countiesAtEnd = try await source.tableRowCounts()["county"] ?? 0
        }
        #expect(countiesAtEnd - countiesAtStart >= 50, "the writer made progress while the backups ran")

        for (index, (file, summary)) in backups.enumerated() {
            #expect(summary.path == file)
            #expect(summary.bytes > 0 && summary.pages > 0)
            #expect(summary.bytes == (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value)
            // One self-contained file: no partial file, no WAL beside it, a rollback-journal header.
            #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
            #expect(!FileManager.default.fileExists(atPath: file + "-wal"))
            #expect(!FileManager.default.fileExists(atPath: file + "-journal"))
            let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue ?? 0
            #expect(mode & 0o007 == 0, "no access for others: the copy holds token hashes and webhook secrets")
            let header = try #require(FileHandle(forReadingAtPath: file)).readData(ofLength: 20)
            #expect(Array(header.prefix(16)) == Array("SQLite format 3\0".utf8))
            #expect(header[18] == 1 && header[19] == 1, "file format 1 (rollback journal), not 2 (WAL)")

            let (restored, integrity) = try await restore(file, as: "restored-\(index)")
            #expect(integrity == ["ok"])
            let counts = try await restored.tableRowCounts()
            let counties = try #require(counts["county"])
            // A snapshot never splits a transaction: every county has its audit entry.
            #expect(counties == (counts["audit_log"] ?? 0) - auditBefore)
            #expect(counties >= countiesAtStart && counties <= countiesAtEnd)
            // The restored counties are the first ones written, none missing.
            let codes = try await restored.reader.read { db in try String.fetchAll(db, sql: "SELECT code FROM county ORDER BY code") }
            #expect(codes == (0..<counties).map { Self.county($0).code })
        }

        // Quiet: a backup holds exactly the rows of the source, table by table.
        writer.cancel()
        let written = try await writer.value
        #expect(written >= countiesAtEnd)
        let quiet = try await source.backup(to: path("backups/quiet.sqlite"))
        let (restored, integrity) = try await restore(quiet.path, as: "restored-quiet")
        #expect(integrity == ["ok"])
        let sourceCounts = try await source.tableRowCounts()
        #expect(sourceCounts["county"] == written)
        #expect(try await restored.tableRowCounts() == sourceCounts)
        #expect(try restored.migrationStatus().allSatisfy(\.applied))
    }

    @Test func aBackupReplacesAnOlderFileAtItsPath() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try AppDatabase.open(path: path("live/chanxiao.sqlite"))
        try await source.create(Self.county(1), context: Fixtures.context)
        let file = path("backup.sqlite")
        _ = try await source.backup(to: file)
        try await source.create(Self.county(2), context: Fixtures.context)
        _ = try await source.backup(to: file)
        let (restored, integrity) = try await restore(file, as: "restored")
        #expect(integrity == ["ok"])
        #expect(try await restored.tableRowCounts()["county"] == 2)
    }

    @Test func anInMemoryDatabaseBacksUpToo() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.database()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let summary = try await source.backup(to: path("memory.sqlite"))
        let (restored, integrity) = try await restore(summary.path, as: "restored")
        #expect(integrity == ["ok"])
        #expect(try await restored.tableRowCounts() == source.tableRowCounts())
    }

    @Test func aFailedBackupThrowsAndLeavesNoPartialFile() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try AppDatabase.open(path: path("live/chanxiao.sqlite"))
        try await source.create(Self.county(1), context: Fixtures.context)

        // The destination's directory does not exist.
        await #expect(throws: (any Error).self) {
            try await source.backup(to: path("missing/backup.sqlite"))
        }
        #expect(!FileManager.default.fileExists(atPath: path("missing")))

        // The copy succeeds but cannot be renamed onto the destination (a directory with a
        // file in it): the destination stays as it was and the partial file is removed.
        try FileManager.default.createDirectory(atPath: path("occupied"), withIntermediateDirectories: true)
        try "keep me".write(toFile: path("occupied/file.txt"), atomically: true, encoding: .utf8)
        await #expect(throws: (any Error).self) {
            try await source.backup(to: path("occupied"))
        }
        #expect(try String(contentsOfFile: path("occupied/file.txt"), encoding: .utf8) == "keep me")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }

    @Test func backupFileNamesCarryTheirUTCTime() throws {
        let date = try #require(Timestamp.date(from: "2020-09-01T02:03:04.000Z"))
        #expect(AppDatabase.backupFileName(at: date) == "chanxiao-20200901T020304Z.sqlite")
        #expect(AppDatabase.backupDate(fromFileName: "chanxiao-20200901T020304Z.sqlite") == date)
        for name in [
            "chanxiao-20200901T020304Z.sqlite.partial", "chanxiao-20201301T020304Z.sqlite", "chanxiao-latest.sqlite",
            "chanxiao-2020091T020304Z.sqlite", "other-20200901T020304Z.sqlite", "chanxiao-20200901T020304Z.sqlite-wal",
        ] {
            #expect(AppDatabase.backupDate(fromFileName: name) == nil, "\(name)")
        }
    }
}
