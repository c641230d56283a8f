import ChanxiaoRuntime
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Whether the HTTP server listens yet: systemd counts the watchdog from READY=1 on, so the
/// watchdog is fed only after that.
public final class ServingState: Sendable {
    private let serving = Mutex(false)

    public init() {}

    public func markServing() { serving.withLock { $0 = true } }
    public var isServing: Bool { serving.withLock { $0 } }
}

/// Feeds systemd's watchdog (`WATCHDOG=1` at half of `WATCHDOG_USEC`) while the daemon is
/// ready, and withholds it otherwise, so that systemd restarts a daemon whose database or
/// workers hang. List it first in the service group: it is then the last to stop, and keeps
/// feeding the watchdog while the others finish their work.
public struct WatchdogService: Service {
    let dependencies: AppDependencies
    let notifier: SystemdNotifier
    let serving: ServingState
    let logger: Logger

    public init(dependencies: AppDependencies, notifier: SystemdNotifier, serving: ServingState, logger: Logger) {
        self.dependencies = dependencies
        self.notifier = notifier
        self.serving = serving
        self.logger = logger
    }

    public func run() async throws {
        guard let interval = notifier.watchdogInterval else {
            // No watchdog asked for: nothing to feed until the daemon stops.
            try? await gracefulShutdown()
            return
        }
        // Two loops: one checks the database (and may wait behind a long write of ours), the
        // other decides on the last results and never waits, so only a problem that lasts
        // longer than `watchdog.stall_seconds` starves the watchdog.
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await PeriodicWork.run(every: interval, heartbeat: .unwatched("database_probe")) {
                    await dependencies.databaseMonitor.check()
                }
            }
            group.addTask {
                var withheld = false
                await PeriodicWork.run(every: interval, heartbeat: .unwatched("watchdog")) {
                    guard serving.isServing else { return }
                    let problem = self.problem()
                    DaemonMetrics.watchdog(healthy: problem == nil)
                    if let problem {
                        // Said once per episode: systemd restarts the daemon unless it recovers.
                        if !withheld {
                            logger.critical("watchdog withheld", metadata: ["reason": "\(problem)"])
                            notifier.status("not ready: \(problem)")
                        }
                        withheld = true
                    } else {
                        notifier.watchdog()
                        if withheld { logger.notice("watchdog fed again: the daemon is ready") }
                        withheld = false
                    }
                }
            }
        }
    }

    /// Why the watchdog must not be fed now, or nil.
    func problem() -> String? {
        let grace = Duration.seconds(dependencies.config.current.watchdog.stallSeconds)
        let overdue = dependencies.heartbeats.overdue(grace: grace)
        if !overdue.isEmpty { return "workers not coming round: \(overdue.joined(separator: ", "))" }
        return dependencies.databaseMonitor.problem(grace: grace)
    }
}

/// Tells systemd `STOPPING=1` as soon as a graceful stop begins. List it last in the service
/// group: services are told to stop in reverse order, so it hears first.
public struct StopAnnouncer: Service {
    let notifier: SystemdNotifier

    public init(notifier: SystemdNotifier) {
        self.notifier = notifier
    }

    public func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping(status: "stopping: finishing requests and webhook sends in flight")
    }
}

/// Reloads the configuration on SIGHUP (`systemctl reload chanxiao`).
public struct ReloadSignalService: Service {
    let reloader: ConfigReloader

    public init(reloader: ConfigReloader) {
        self.reloader = reloader
    }

    public func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            reloader.reload(trigger: "SIGHUP")
        }
    }
}
