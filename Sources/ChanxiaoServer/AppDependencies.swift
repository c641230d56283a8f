import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Synchronization

/// The wall clock, behind a protocol so that tests can fix "now".
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// The configuration in force. Readers take a snapshot per request; a reload swaps it whole.
public final class ConfigStore: Sendable {
    private let value: Mutex<ChanxiaoConfig>

    public init(_ config: ChanxiaoConfig) {
        value = Mutex(config)
    }

    public var current: ChanxiaoConfig {
        value.withLock { $0 }
    }

    public func replace(with config: ChanxiaoConfig) {
        value.withLock { $0 = config }
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
                            defaultMaxSuppliersPerCategory: config.buyers.defaultMaxSuppliersPerCategory)
    }

    /// The week after the current one, in the configured time zone: what matching plans for.
    func comingWeek() -> IsoWeek {
        IsoWeek(containing: CalendarDate.today(in: config.current.zone, now: clock.now())).adding(weeks: 1)
    }

    func writeContext(_ principal: Principal) -> WriteContext {
        WriteContext(actor: principal.tokenID, role: principal.role, now: clock.now())
    }
}
