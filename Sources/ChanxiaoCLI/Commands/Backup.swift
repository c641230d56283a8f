import ArgumentParser
import ChanxiaoStore
import Foundation

/// `chanxiao backup DEST`: a consistent copy of the database, safe while the daemon serves.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database into one file, consistently, while the daemon may be serving.",
        discussion: """
            The copy is one snapshot taken with SQLite's online backup API: writers go on while \
            it runs. It is written beside DEST as DEST.partial, checked with PRAGMA integrity_check \
            and renamed onto DEST only when complete. When DEST is a directory, the file is named \
            chanxiao-<UTC yyyyMMdd'T'HHmmss'Z'>.sqlite inside it. Restore by stopping the daemon and \
            putting the file in place of the database (docs/operations.md).
            """
    )

    @OptionGroup var common: CommonOptions

    @Argument(
        help: ArgumentHelp(
            "The backup file, or an existing directory to write a timestamped file into (a trailing / insists on a directory).",
            valueName: "dest"
        )
    )
    var destination: String

    @Flag(help: "Replace DEST if it exists.")
    var force = false

    func run() async throws {
        let config = try common.loadConfig()
        var isDirectory: ObjCBool = false
        if destination.hasSuffix("/"), !(FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory) && isDirectory.boolValue) {
            Console.error("no directory \(destination)")
            throw ExitCode(CLIExit.ioError)
        }
        let target = Self.target(destination, now: Date())
        let databasePath = config.database.path ?? AppDatabase.defaultPath()
        guard FileManager.default.fileExists(atPath: databasePath) else {
            Console.error("no database at \(databasePath); nothing to back up")
            throw ExitCode(CLIExit.failure)
        }
        if Self.samePath(target, databasePath) {
            Console.error("\(target) is the database itself; choose another destination")
            throw ExitCode(CLIExit.usage)
        }
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard force, !isDirectory.boolValue else {
                Console.error(
                    isDirectory.boolValue
                        ? "\(target) is a directory"
                        : "\(target) already exists; pass --force to replace it"
                )
                throw ExitCode(CLIExit.cannotCreate)
            }
        }
        let (database, _) = try common.openDatabase(config)
        let summary: BackupSummary
        do {
            summary = try await database.backup(to: target)
        } catch {
            Console.error("backup to \(target) failed: \(error)")
            throw ExitCode(CLIExit.ioError)
        }
        print("\(summary.path): \(summary.bytes) bytes, \(summary.pages) pages, \(summary.milliseconds) ms")
    }

    /// DEST itself, or a timestamped file inside it when it is an existing directory.
    static func target(_ destination: String, now: Date) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory), isDirectory.boolValue else {
            return destination
        }
        let directory = destination.count > 1 && destination.hasSuffix("/") ? String(destination.dropLast()) : destination
        return (directory as NSString).appendingPathComponent(AppDatabase.backupFileName(at: now))
    }

    static func samePath(_ a: String, _ b: String) -> Bool {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        return resolved(a) == resolved(b)
    }
}
