import ChanxiaoConfig
import ChanxiaoRuntime
import ChanxiaoStore
import Foundation
import Logging
import ServiceLifecycle

/// The periodic backup job (`backup.*`): every minute it reads the configuration in force and,
/// when enabled and the newest `chanxiao-<UTC time>.sqlite` in the backup directory is older
/// than `backup.interval_hours` (or there is none), takes an online backup there, then deletes
/// its own oldest files beyond `backup.keep`. The files' names carry their time, so the
/// schedule survives restarts. Failures are logged and retried at the next check.
public struct BackupService: Service {
    let dependencies: AppDependencies
    let databasePath: String
    let heartbeat: Heartbeat
    let logger: Logger

    /// How often the job looks whether a backup is due.
    public static let checkInterval = Duration.seconds(60)

    public init(dependencies: AppDependencies, databasePath: String, heartbeat: Heartbeat, logger: Logger) {
        self.dependencies = dependencies
        self.databasePath = databasePath
        self.heartbeat = heartbeat
        self.logger = logger
    }

    public func run() async throws {
        let directory = Self.directory(dependencies.config.current.backup, databasePath: databasePath)
        if let newest = (try? Self.backups(in: directory))?.last { DaemonMetrics.backupFound(at: newest.date.timeIntervalSince1970) }
        await PeriodicWork.run(every: Self.checkInterval, heartbeat: heartbeat) {
            await runIfDue(now: dependencies.clock.now())
        }
    }

    /// One check: takes a backup if one is due at `now` (and applies retention after it).
    /// Returns what it wrote, or nil when nothing was due or the backup failed (logged).
    @discardableResult
    public func runIfDue(now: Date) async -> BackupSummary? {
        let settings = dependencies.config.current.backup
        guard settings.enabled else { return nil }
        let directory = Self.directory(settings, databasePath: databasePath)
        let existing: [BackupFile]
        do {
            try Self.createDirectory(directory)
            existing = try Self.backups(in: directory)
        } catch {
            record(failure: error, directory: directory)
            return nil
        }
        guard Self.isDue(existing, now: now, intervalHours: settings.intervalHours) else { return nil }

        let path = (directory as NSString).appendingPathComponent(AppDatabase.backupFileName(at: now))
        let summary: BackupSummary
        do {
            summary = try await dependencies.database.backup(to: path)
        } catch {
            record(failure: error, directory: directory)
            return nil
        }
        DaemonMetrics.backup(succeeded: true, duration: summary.duration, bytes: summary.bytes, at: Date().timeIntervalSince1970)
        logger.notice(
            "backup written",
            metadata: [
                "path": "\(summary.path)", "bytes": "\(summary.bytes)", "duration_ms": "\(summary.milliseconds)",
            ]
        )
        prune(directory: directory, keep: settings.keep, now: now)
        return summary
    }

    private func record(failure error: Error, directory: String) {
        DaemonMetrics.backup(succeeded: false, duration: .zero, bytes: 0, at: Date().timeIntervalSince1970)
        logger.error("backup failed", metadata: ["directory": "\(directory)", "error": "\(Self.reason(error))"])
    }

    /// An error as a line a person reads: Foundation's file errors by their system reason.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? CocoaError else { return "\(error)" }
        let path = error.filePath.map { "\($0): " } ?? ""
        if let posix = error.underlying as? POSIXError {
            return path + String(cString: strerror(posix.code.rawValue))
        }
        if let underlying = error.underlying.map({ $0 as NSError }), underlying.domain == NSPOSIXErrorDomain {
            return path + String(cString: strerror(Int32(underlying.code)))
        }
        return path + error.localizedDescription
    }

    /// Deletes the job's oldest files beyond `keep`; never a file whose name it did not make.
    private func prune(directory: String, keep: Int, now: Date) {
        do {
            let files = Self.retentionOrder(try Self.backups(in: directory), now: now)
            for file in files.dropLast(max(keep, 1)) {
                do {
                    try FileManager.default.removeItem(atPath: file.path)
                    logger.info("old backup deleted", metadata: ["path": "\(file.path)"])
                } catch {
                    logger.error("cannot delete old backup", metadata: ["path": "\(file.path)", "error": "\(Self.reason(error))"])
                }
            }
        } catch {
            logger.error("cannot list backups", metadata: ["directory": "\(directory)", "error": "\(Self.reason(error))"])
        }
    }

    /// `backup.directory`, else `backups` beside the database file.
    public static func directory(_ settings: ChanxiaoConfig.Backup, databasePath: String) -> String {
        if let directory = settings.directory, !directory.isEmpty { return directory }
        let parent = (databasePath as NSString).deletingLastPathComponent
        return parent.isEmpty ? "backups" : (parent as NSString).appendingPathComponent("backups")
    }

    /// Backups dated more than this ahead of the clock were made before the clock was set back.
    static let futureTolerance: TimeInterval = 3600

    /// Due when there is no backup yet or the newest is `intervalHours` old. Backups dated in
    /// the future (the clock was set back) are not counted: waiting for them would stop
    /// backups until the clock caught up.
    static func isDue(_ backups: [BackupFile], now: Date, intervalHours: Int) -> Bool {
        guard let newest = backups.last(where: { $0.date <= now.addingTimeInterval(futureTolerance) }) else { return true }
        return now.timeIntervalSince(newest.date) >= Double(intervalHours) * 3600
    }

    /// The order in which retention deletes: future-dated backups first, then oldest first.
    static func retentionOrder(_ backups: [BackupFile], now: Date) -> [BackupFile] {
        let limit = now.addingTimeInterval(futureTolerance)
        return backups.filter { $0.date > limit } + backups.filter { $0.date <= limit }
    }

    struct BackupFile {
        var path: String
        var date: Date
    }

    /// The job's backups in `directory`, oldest first, known by their names alone.
    static func backups(in directory: String) throws -> [BackupFile] {
        try FileManager.default.contentsOfDirectory(atPath: directory).compactMap { name in
            guard let date = AppDatabase.backupDate(fromFileName: name) else { return nil }
            let path = (directory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            return BackupFile(path: path, date: date)
        }
        .sorted { $0.date < $1.date }
    }

    /// Creates `directory` and its missing parents with mode 0750 (before the umask).
    static func createDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw BackupError.file("\(directory) exists and is not a directory") }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try createDirectory(parent) }
        if mkdir(directory, 0o750) != 0, errno != EEXIST {
            throw BackupError.file("cannot create directory \(directory): \(String(cString: strerror(errno)))")
        }
    }
}
