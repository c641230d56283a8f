import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoStore
import Foundation
import Synchronization

/// The configuration in force. Readers take a snapshot per request; a reload swaps it whole.
public final class ConfigStore: Sendable {
    private let value: Mutex<ChanxiaoConfig>
    private let reloading = Mutex(())
    private let source: (@Sendable () throws -> ChanxiaoConfig)?

    /// `source` reads the configuration again (the same file, variables and flags), for
    /// `refresh()`; without one the configuration never changes.
    public init(_ config: ChanxiaoConfig, source: (@Sendable () throws -> ChanxiaoConfig)? = nil) {
        value = Mutex(config)
        self.source = source
    }

    public var current: ChanxiaoConfig {
        value.withLock { $0 }
    }

    public func replace(with config: ChanxiaoConfig) {
        value.withLock { $0 = config }
    }

    /// Keys whose values in the configuration file differ from those in force and wait for a
    /// restart; reads the file without changing anything.
    public func pendingRestart() throws -> [String] {
        guard let source else { return [] }
        return ConfigChange(running: current, loaded: try source()).restartRequired
    }

    /// Reads the configuration again and puts in force what may change live; settings read
    /// only at start keep their running values and are listed as waiting for a restart. A
    /// configuration that does not validate is refused whole: the one in force stays, and the
    /// error is thrown. The read and the swap are one step, so two reloads never interleave.
    public func reload() throws -> ConfigChange {
        // The file is read outside the lock readers take, so requests never wait on a slow
        // disk; a lock of its own keeps two reloads from interleaving.
        try reloading.withLock { _ in
            guard let source else { return ConfigChange(running: current, loaded: current) }
            let loaded = try source()
            return value.withLock { running in
                let change = ConfigChange(running: running, loaded: loaded)
                running = change.config
                return change
            }
        }
    }
}

/// What the HTTP layer needs from the rest of the daemon.
public struct AppDependencies: Sendable {
    public var database: AppDatabase
    public var config: ConfigStore
    public var clock: any WallClock
    /// The periodic workers' heartbeats, read by the watchdog and `/readyz`.
    public var heartbeats: Heartbeats
    /// Reloads the configuration (SIGHUP, `POST /v1/admin/reload`).
    public var reloader: ConfigReloader
    /// The database's health as last checked, for `/readyz` and the watchdog.
    public var databaseMonitor: DatabaseMonitor

    public init(
        database: AppDatabase,
        config: ConfigStore,
        clock: any WallClock = SystemClock(),
        heartbeats: Heartbeats = Heartbeats(),
        reloader: ConfigReloader? = nil
    ) {
        self.database = database
        self.config = config
        self.clock = clock
        self.heartbeats = heartbeats
        self.reloader = reloader ?? ConfigReloader(config: config)
        databaseMonitor = DatabaseMonitor(database: database)
    }

    /// The parse context for input arriving now.
    func parseContext() -> ParseContext {
        config.current.parseContext(now: clock.now())
    }

    /// Today in the configured time zone.
    var today: CalendarDate { CalendarDate.today(in: config.current.zone, now: clock.now()) }

    /// The week after the current one, in the configured time zone: what matching plans for.
    func comingWeek() -> IsoWeek {
        IsoWeek(containing: today).adding(weeks: 1)
    }

    /// Who writes (for the audit log), when, and under which rules.
    func writeContext(_ caller: Caller) -> WriteContext {
        WriteContext(
            actor: caller.principal.tokenID,
            role: caller.principal.role,
            now: clock.now(),
            rules: config.current.writeRules,
            regions: caller.principal.regions,
            zone: config.current.zone,
            fairs: config.current.scheduling.fairs
        )
    }
}
