import Synchronization

/// The daemon's periodic workers report here each time they come round their loop. The
/// watchdog feeds systemd and `/readyz` answers "ready" only while none is overdue, so a hung
/// worker (stuck on a lock, a deadlock, a runaway job) gets the daemon restarted instead of
/// silently doing nothing.
public final class Heartbeats: Sendable {
    struct Entry {
        var every: Duration
        var last: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let clock: @Sendable () -> ContinuousClock.Instant

    public init(clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.clock = clock
    }

    /// Starts watching `worker`, expected round every `every`, as if it had just beaten.
    public func register(_ worker: String, every: Duration) -> Heartbeat {
        let now = clock()
        entries.withLock { $0[worker] = Entry(every: every, last: now) }
        return Heartbeat(worker: worker, registry: self)
    }

    /// Stops watching `worker` (it has ended, e.g. at shutdown).
    public func unregister(_ worker: String) {
        entries.withLock { _ = $0.removeValue(forKey: worker) }
    }

    func beat(_ worker: String, every: Duration?) {
        let now = clock()
        entries.withLock { entries in
            guard var entry = entries[worker] else { return }
            entry.last = now
            if let every { entry.every = every }
            entries[worker] = entry
        }
    }

    /// The workers that have not beaten within their interval plus `grace`, by name.
    public func overdue(grace: Duration) -> [String] {
        let now = clock()
        return entries.withLock { entries in
            entries.filter { now - $0.value.last > $0.value.every + grace }.map(\.key).sorted()
        }
    }

    /// The workers being watched, by name.
    public var workers: [String] {
        entries.withLock { $0.keys.sorted() }
    }
}

/// One worker's handle: `beat()` once per round of its loop, `end()` when it returns.
public struct Heartbeat: Sendable {
    public let worker: String
    let registry: Heartbeats?

    /// A heartbeat that nobody watches, for workers run outside the daemon (tests, tools).
    public static func unwatched(_ worker: String) -> Heartbeat {
        Heartbeat(worker: worker, registry: nil)
    }

    /// The worker came round; `every` updates its expected interval (a reloaded setting).
    public func beat(every: Duration? = nil) {
        registry?.beat(worker, every: every)
    }

    public func end() {
        registry?.unregister(worker)
    }
}
