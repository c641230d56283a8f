import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Synchronization

/// The configuration in force. Readers take a snapshot per request; a reload swaps it whole.
public final class ConfigStore: Sendable {
    private let value: Mutex<ChanxiaoConfig>
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

    /// Reads the configuration again and puts it in force. A configuration that does not
    /// validate is refused whole: the one in force stays, and the error is thrown.
    @discardableResult
    public func refresh() throws -> ChanxiaoConfig {
        guard let source else { return current }
        let config = try source()
        replace(with: config)
        return config
    }
}

/// What the HTTP layer needs from the rest of the daemon.
public struct AppDependencies: Sendable {
    public var database: AppDatabase
    public var config: ConfigStore
    public var clock: any WallClock

    public init(database: AppDatabase, config: ConfigStore, clock: any WallClock = SystemClock()) {
        self.database = database
        self.config = config
        self.clock = clock
    }

    /// The parse context for input arriving now.
    func parseContext() -> ParseContext {
        let config = config.current
        let now = clock.now()
        return ParseContext(now: now, today: CalendarDate.today(in: config.zone, now: now),
                            defaultMaxSuppliersPerCategory: config.buyers.defaultMaxSuppliersPerCategory,
                            defaultFairMinPovertyShare: config.scheduling.fairs.defaultMinPovertyShare,
                            defaultMaxBoothsPerApplicant: config.scheduling.fairs.defaultMaxBoothsPerApplicant)
    }

    /// The week after the current one, in the configured time zone: what matching plans for.
    func comingWeek() -> IsoWeek {
        IsoWeek(containing: CalendarDate.today(in: config.current.zone, now: clock.now())).adding(weeks: 1)
    }

    func writeContext(_ principal: Principal) -> WriteContext {
        WriteContext(actor: principal.tokenID, role: principal.role, now: clock.now())
    }
}
