import AsyncAlgorithms
import ChanxiaoCore
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

    public init(database: AppDatabase, clock: any WallClock = SystemClock(), logger: Logger, settings: @escaping @Sendable () -> WebhookSettings) {
        self.database = database
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await tick()
        let interval = Duration.seconds(settings().maintenanceIntervalSeconds)
        for await _ in AsyncTimerSequence(interval: interval, clock: .continuous).cancelOnGracefulShutdown() {
            await tick()
        }
    }

    /// One round. Failures are logged; the next round tries again.
    public func tick() async {
        let settings = settings()
        let now = clock.now()
        do {
            let sent = try await database.sendDueReminders(leadMinutes: settings.reminderLeadMinutes, now: now)
            if sent > 0 { logger.info("livestream reminders", metadata: ["count": "\(sent)"]) }
        } catch {
            logger.error("livestream reminders failed", metadata: ["error": "\(error)"])
        }
        do {
            let purged = try await database.purgeWebhookMessages(before: now.addingTimeInterval(-Double(settings.retentionDays) * 86400))
            if purged > 0 { logger.info("purged webhook messages", metadata: ["count": "\(purged)"]) }
        } catch {
            logger.error("purging webhook messages failed", metadata: ["error": "\(error)"])
        }
    }
}
