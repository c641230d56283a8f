import ChanxiaoRuntime
import ChanxiaoServer
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The watchdog service against a notify socket the test binds: fed while every worker comes
/// round, starved as soon as one hangs, fed again when it recovers.
@Suite(.serialized) struct WatchdogTests {
    @Test func aHungWorkerStarvesTheWatchdog() async throws {
        let listener = try NotifySocketListener(address: "@chanxiao-watchdog-\(UUID().uuidString.prefix(12))")
        let heartbeats = Heartbeats()
        // A second of grace: a worker is hung once it misses its 2 s interval by 1 s. The waits below wait
        // for events, not for fixed times, so a loaded machine only makes the test slower.
        let app = try await TestApp(heartbeats: heartbeats) { $0.watchdog.stallSeconds = 1 }
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "100000"])
        let serving = ServingState()
        let worker = heartbeats.register("stuck_worker", every: .seconds(2))
        let watchdog = WatchdogService(dependencies: app.dependencies, notifier: notifier, serving: serving, logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [watchdog], logger: Logger(label: "test")))

        /// Beats (while `beating`) until `expected` arrives; false after 30 s.
        func waitFor(_ expected: String, beating: Bool) -> Bool {
            let deadline = Date().addingTimeInterval(30)
            // Reads at least once more after the deadline, for a thread that wakes late.
            repeat {
                if beating { worker.beat() }
                if listener.receive(timeout: 0.1) == expected { return true }
            } while Date() < deadline
            return false
        }

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Not serving yet: nothing is sent.
            #expect(listener.receive(timeout: 0.3) == nil)
            serving.markServing()
            #expect(waitFor("WATCHDOG=1", beating: true))
            // The worker stops coming round: one status line, then silence.
            #expect(waitFor("STATUS=not ready: workers not coming round: stuck_worker", beating: false))
            #expect(listener.receive(timeout: 1) == nil, "no ping while the worker hangs")
            // It recovers: the pings resume.
            #expect(waitFor("WATCHDOG=1", beating: true))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
