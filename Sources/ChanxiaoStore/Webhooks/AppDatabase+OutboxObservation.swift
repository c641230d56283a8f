import GRDB

extension AppDatabase {
    /// Calls `onCommit` after every transaction of this process that wrote to the outbox's
    /// messages (a new event, or the retention purge), on the writer's queue: it must only
    /// signal. The delivery worker uses it to send a new event at once instead of at its next
    /// poll. Writes by other processes (the CLI) are not seen; the poll finds them.
    ///
    /// The observation lasts until the returned value is cancelled or released, or until it
    /// fails, which `onError` hears.
    public func observeOutboxCommits(
        onError: @escaping @Sendable (any Error) -> Void,
        onCommit: @escaping @Sendable () -> Void
    ) -> AnyDatabaseCancellable {
        DatabaseRegionObservation(tracking: Table("webhook_message"))
            .start(in: writer, onError: onError, onChange: { _ in onCommit() })
    }
}
