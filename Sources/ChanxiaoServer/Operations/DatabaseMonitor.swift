import ChanxiaoStore
import Synchronization

/// The database's health as last seen, so that neither `/readyz` callers nor the watchdog
/// take the write lock more often than needed, and the watchdog never waits on it: a long
/// write of the daemon's own (a nation-scale match run, a large import) delays a check but
/// does not starve the watchdog; only a database that stays unhealthy beyond the grace does.
public final class DatabaseMonitor: Sendable {
    struct State {
        var last: DatabaseHealth?
        var checkedAt: ContinuousClock.Instant?
        /// When the last healthy check finished (the start, before any check).
        var healthySince: ContinuousClock.Instant
        /// When the check under way began, if one is.
        var checkingSince: ContinuousClock.Instant?
    }

    let database: AppDatabase
    private let state: Mutex<State>

    public init(database: AppDatabase) {
        self.database = database
        // From start the database counts as healthy until a check says otherwise.
        state = Mutex(State(healthySince: .now))
    }

    /// Checks now and remembers the result.
    @discardableResult
    public func check() async -> DatabaseHealth {
        state.withLock { $0.checkingSince = $0.checkingSince ?? .now }
        let health = await database.health()
        let now = ContinuousClock.now
        state.withLock { state in
            state.last = health
            state.checkedAt = now
            state.checkingSince = nil
            if health.isHealthy { state.healthySince = now }
        }
        return health
    }

    /// The last result when younger than `maxAge`, else a new check.
    public func health(maxAge: Duration) async -> DatabaseHealth {
        let cached = state.withLock { state -> DatabaseHealth? in
            guard let last = state.last, let at = state.checkedAt, ContinuousClock.now - at < maxAge else { return nil }
            return last
        }
        if let cached { return cached }
        return await check()
    }

    /// Why the database counts as unhealthy: checks have failed for longer than `grace`, or
    /// a check has not finished within it (a hung disk). Nil otherwise.
    public func problem(grace: Duration) -> String? {
        let now = ContinuousClock.now
        return state.withLock { state in
            if let started = state.checkingSince, now - started > grace {
                return "a database check has not finished for \(now - started)"
            }
            if let last = state.last, !last.isHealthy, now - state.healthySince > grace {
                return last.problem ?? "the database is not healthy"
            }
            return nil
        }
    }
}
