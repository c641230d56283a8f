import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Logging
import ServiceLifecycle

/// The periodic work around webhooks, as a service of the daemon: livestream reminders at
/// their lead times, and the purge of messages older than the retention period.
public struct WebhookMaintenanceService: Service {
    let database: AppDatabase
    let settings: @Sendable () -> WebhookSettings
    let clock: any WallClock
    let logger: Logger
    let heartbeats: Heartbeats?

    public init(
        database: AppDatabase,
        clock: any WallClock = SystemClock(),
        logger: Logger,
        heartbeats: Heartbeats? = nil,
        settings: @escaping @Sendable () -> WebhookSettings
    ) {
        self.database = database
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.heartbeats = heartbeats
    }

    public func run() async throws {
        let interval = Duration.seconds(settings().maintenanceIntervalSeconds)
        let heartbeat = heartbeats?.register("webhook_maintenance", every: interval) ?? .unwatched("webhook_maintenance")
        await PeriodicWork.run(every: interval, heartbeat: heartbeat) { await tick() }
    }

    /// One round. Failures are logged; the next round tries again.
    public func tick() async {
        let settings = settings()
        let now = clock.now()
        await SchedulerJob.run("livestream_reminders", now: now, logger: logger) {
            let sent = try await database.sendDueReminders(leadMinutes: settings.reminderLeadMinutes, now: now)
            if sent > 0 { logger.info("livestream reminders", metadata: ["count": "\(sent)"]) }
        }
        await SchedulerJob.run("webhook_retention", now: now, logger: logger) {
            let purged = try await database.purgeWebhookMessages(before: now.addingTimeInterval(-Double(settings.retentionDays) * 86400))
            if purged > 0 { logger.info("purged webhook messages", metadata: ["count": "\(purged)"]) }
        }
    }
}
