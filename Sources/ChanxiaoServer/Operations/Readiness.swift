import ChanxiaoRuntime
import ChanxiaoStore

/// Whether the daemon does its work: the database is migrated and writable, and no periodic
/// worker is overdue. `/readyz` reports it and the watchdog is fed only while it holds.
public struct Readiness: Sendable {
    public var database: DatabaseHealth
    /// Workers that have not come round their loop in time, by name.
    public var overdueWorkers: [String]
    /// Workers being watched, by name.
    public var workers: [String]

    public var isReady: Bool { database.isHealthy && overdueWorkers.isEmpty }

    /// Why not, in a sentence; nil when ready.
    public var problem: String? {
        if let problem = database.problem { return problem }
        if !overdueWorkers.isEmpty { return "workers not coming round: \(overdueWorkers.joined(separator: ", "))" }
        return nil
    }
}

extension AppDependencies {
    /// Readiness now; the database check is at most a second old, so callers of the open
    /// `/readyz` cannot make the daemon take its write lock more often than that.
    public func readiness() async -> Readiness {
        let grace = Duration.seconds(config.current.watchdog.stallSeconds)
        let database = await databaseMonitor.health(maxAge: .seconds(1))
        return Readiness(database: database, overdueWorkers: heartbeats.overdue(grace: grace), workers: heartbeats.workers)
    }
}
