import ArgumentParser
import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoStore
import Foundation

/// Options every subcommand accepts, so that several instances and test runs can live side by side.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (YAML). Default: $CHANXIAO_CONFIG, else built-in defaults.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("SQLite database file; overrides database.path.", valueName: "path"))
    var database: String?

    /// The effective configuration: file, then environment, then these flags (and `extra`).
    func loadConfig(extra: [ConfigLoader.Flag] = []) throws -> ChanxiaoConfig {
        do {
            return try reloadConfig(extra: extra)
        } catch {
            Console.error(error.description)
            throw ExitCode(CLIExit.config)
        }
    }

    /// The configuration read again from the same file, environment and flags, for a running
    /// daemon; throws the problems instead of exiting.
    func reloadConfig(extra: [ConfigLoader.Flag] = []) throws(ConfigError) -> ChanxiaoConfig {
        var flags = extra
        if let database { flags.append(.init(key: "database.path", flag: "database", value: database)) }
        return try ConfigLoader.load(file: config, flags: flags)
    }

    /// Opens the database the configuration names, bringing its schema up to date.
    func openDatabase(_ config: ChanxiaoConfig) throws -> (AppDatabase, path: String) {
        let path = config.database.path ?? AppDatabase.defaultPath()
        do {
            return (try AppDatabase.open(path: path, busyTimeoutMilliseconds: config.database.busyTimeoutMilliseconds), path)
        } catch {
            Console.error("cannot open database \(path): \(error)")
            throw ExitCode(CLIExit.failure)
        }
    }
}

/// Exit statuses (sysexits.h where one fits).
enum CLIExit {
    static let failure: Int32 = 1
    /// The input data is invalid (EX_DATAERR).
    static let dataError: Int32 = 65
    /// The output file exists and may not be replaced (EX_CANTCREAT).
    static let cannotCreate: Int32 = 73
    /// A file could not be read or written (EX_IOERR).
    static let ioError: Int32 = 74
    /// The configuration is invalid (EX_CONFIG).
    static let config: Int32 = 78
    /// The command line is wrong (EX_USAGE).
    static let usage: Int32 = 64
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("chanxiao: " + message + "\n").utf8))
    }

    static func progress(_ message: String, final: Bool) {
        if isatty(STDERR_FILENO) == 1 {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + message + (final ? "\n" : "")).utf8))
        } else if final {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
    }

    /// The bytes of an input file, or of standard input for `-`; exits with `CLIExit.ioError`
    /// when the file cannot be read.
    static func readInput(_ file: String) throws -> (bytes: [UInt8], name: String) {
        if file == "-" { return (Array(FileHandle.standardInput.readDataToEndOfFile()), "standard input") }
        guard let data = FileManager.default.contents(atPath: file) else {
            error("cannot read \(file)")
            throw ExitCode(CLIExit.ioError)
        }
        return (Array(data), file)
    }

    /// Says that an import was refused, with every problem, and exits with `CLIExit.dataError`.
    static func refuseImport(_ name: String, _ failure: ValidationFailure) -> ExitCode {
        error("\(name) was not imported (nothing was written): \(failure.totalCount) problem\(failure.totalCount == 1 ? "" : "s")")
        for problem in failure.errors {
            FileHandle.standardError.write(Data("  \(problem)\n".utf8))
        }
        return ExitCode(CLIExit.dataError)
    }

    /// The actor recorded in the audit log for command-line writes.
    static var actor: String {
        "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown")
    }

    /// A command-line write that no configured rule bears on (tokens).
    static func writeContext(now: Date = Date()) -> WriteContext {
        WriteContext(actor: actor, role: .admin, now: now)
    }

    /// A command-line write under the configuration in force: its rules, its time zone (which
    /// decides what day it is) and its booth rules.
    static func writeContext(config: ChanxiaoConfig, now: Date = Date()) -> WriteContext {
        WriteContext(actor: actor, role: .admin, now: now, rules: config.writeRules, zone: config.zone, fairs: config.scheduling.fairs)
    }
}

extension CatalogKind: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(plural: argument)
    }

    public static var allValueStrings: [String] { allCases.map(\.plural) }
}

extension ImportMode: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}
