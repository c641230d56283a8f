import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import Logging
import Testing

/// The periodic backup job, one round at a time through `runIfDue(now:)`.
@Suite struct BackupServiceTests {
    static let now = Timestamp.date(from: "2020-09-01T02:00:00.000Z")!

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-backup-job-\(UUID().uuidString)")
    var databasePath: String { directory.appendingPathComponent("chanxiao.sqlite").path }
    var backups: String { directory.appendingPathComponent("backups").path }

    func service(_ configure: (inout ChanxiaoConfig.Backup) -> Void) throws -> (BackupService, ConfigStore) {
        let database = try AppDatabase.open(path: databasePath)
        var config = ChanxiaoConfig()
        config.backup.enabled = true
        configure(&config.backup)
        let store = ConfigStore(config)
        let dependencies = AppDependencies(database: database, config: store, clock: TestClock(Self.now))
        let service = BackupService(
            dependencies: dependencies,
            databasePath: databasePath,
            heartbeat: .unwatched("backup"),
            logger: Logger(label: "test.backup")
        )
        return (service, store)
    }

    func files(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    func hours(_ hours: Double) -> Date { Self.now.addingTimeInterval(hours * 3600) }

    @Test func nothingIsWrittenWhenDisabled() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, _) = try service { $0.enabled = false }
        #expect(await service.runIfDue(now: Self.now) == nil)
        #expect(!FileManager.default.fileExists(atPath: backups))
    }

    @Test func aBackupIsDueWhenNoneExistsAndNotAgainUntilTheIntervalHasPassed() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, config) = try service { $0.intervalHours = 24 }

        let first = try #require(await service.runIfDue(now: Self.now))
        #expect(first.path == backups + "/chanxiao-20200901T020000Z.sqlite")
        #expect(first.bytes > 0)
        #expect(try files(backups) == ["chanxiao-20200901T020000Z.sqlite"])
        let permissions = try FileManager.default.attributesOfItem(atPath: backups)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o750)

        // Not due again right after, nor before the interval has passed.
        #expect(await service.runIfDue(now: hours(0)) == nil)
        #expect(await service.runIfDue(now: hours(1)) == nil)
        #expect(await service.runIfDue(now: hours(23.9)) == nil)
        #expect(try files(backups).count == 1)

        // Due once it has; a shorter interval put in force applies at the next check.
        #expect(await service.runIfDue(now: hours(24))?.path == backups + "/chanxiao-20200902T020000Z.sqlite")
        var shorter = config.current
        shorter.backup.intervalHours = 1
        config.replace(with: shorter)
        #expect(await service.runIfDue(now: hours(24.5)) == nil)
        #expect(await service.runIfDue(now: hours(25)) != nil)
        #expect(try files(backups).count == 3)

        // A job started afresh (a restart) finds the newest backup by its name.
        let (restarted, _) = try self.service { $0.intervalHours = 1 }
        #expect(await restarted.runIfDue(now: hours(25.5)) == nil)
    }

    @Test func retentionKeepsTheNewestAndNeverTouchesOtherFiles() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (service, _) = try service {
            $0.intervalHours = 1
            $0.keep = 2
        }
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        let foreign = ["notes.txt", "chanxiao-manual.sqlite", "chanxiao-20200101T000000Z.sqlite.partial", "other-20200101T000000Z.sqlite"]
        for name in foreign {
            try "not the job's".write(toFile: backups + "/" + name, atomically: true, encoding: .utf8)
        }
        for round in 0..<4 {
            #expect(await service.runIfDue(now: hours(Double(round))) != nil)
        }
        #expect(
            try files(backups) == [
                "chanxiao-20200101T000000Z.sqlite.partial",
                "chanxiao-20200901T040000Z.sqlite",
                "chanxiao-20200901T050000Z.sqlite",
                "chanxiao-manual.sqlite",
                "notes.txt",
                "other-20200101T000000Z.sqlite",
            ]
        )
        for name in foreign {
            #expect(try String(contentsOfFile: backups + "/" + name, encoding: .utf8) == "not the job's")
        }
        // A kept backup is a sound, complete database.
        let restored = try AppDatabase.open(path: backups + "/chanxiao-20200901T050000Z.sqlite")
        let integrity = try await restored.reader.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
    }

    @Test func backupsDatedInTheFutureNeitherStopTheJobNorOutliveNewerOnes() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        // The clock was set back: a backup seems to come from 2030.
        let (service, _) = try service {
            $0.intervalHours = 1
            $0.keep = 2
        }
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        try "from 2030".write(toFile: backups + "/chanxiao-20300101T000000Z.sqlite", atomically: true, encoding: .utf8)
        #expect(await service.runIfDue(now: Self.now) != nil)
        #expect(await service.runIfDue(now: hours(0.5)) == nil)
        #expect(await service.runIfDue(now: hours(1)) != nil)
        #expect(try files(backups) == ["chanxiao-20200901T020000Z.sqlite", "chanxiao-20200901T030000Z.sqlite"])
    }

    @Test func theConfiguredDirectoryIsUsedAndAFailureIsRetried() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        // A file stands where the directory should be: the job fails, and goes on.
        let configured = directory.appendingPathComponent("elsewhere/backups").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "in the way".write(toFile: directory.appendingPathComponent("elsewhere").path, atomically: true, encoding: .utf8)
        let (service, _) = try service { $0.directory = configured }
        #expect(await service.runIfDue(now: Self.now) == nil)

        try FileManager.default.removeItem(atPath: directory.appendingPathComponent("elsewhere").path)
        #expect(await service.runIfDue(now: hours(0.02))?.path.hasPrefix(configured + "/chanxiao-") == true)
        #expect(!FileManager.default.fileExists(atPath: backups))
    }
}
