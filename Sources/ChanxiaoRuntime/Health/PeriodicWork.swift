import AsyncAlgorithms
import ServiceLifecycle

/// The loop of every periodic worker of the daemon: a round at once, then one every
/// `interval` until graceful shutdown, with a heartbeat after each round so that a round
/// that never ends shows as a hung worker.
public enum PeriodicWork {
    public static func run(every interval: Duration, heartbeat: Heartbeat, round: () async -> Void) async {
        defer { heartbeat.end() }
        await round()
        heartbeat.beat()
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await round()
            heartbeat.beat()
        }
    }
}
