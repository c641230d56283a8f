import ChanxiaoCore
import ChanxiaoWebhookDelivery
import Logging
import ServiceLifecycle

/// The webhook services of the daemon: delivery (unless `webhooks.delivery_enabled` is off)
/// and maintenance (reminders, retention), reading the configuration in force.
public enum WebhookServices {
    public static func make(dependencies: AppDependencies, logger: Logger, sender: (any WebhookSender)? = nil) throws -> [any Service] {
        let config = dependencies.config
        let maintenance = WebhookMaintenanceService(
            database: dependencies.database,
            clock: dependencies.clock,
            logger: logger,
            heartbeats: dependencies.heartbeats
        ) { config.current.webhooks }
        guard config.current.webhooks.deliveryEnabled else { return [maintenance] }
        let delivery = WebhookDeliveryService(
            database: dependencies.database,
            sender: try sender ?? GuardedHTTPSender(allowlist: { config.current.webhooks.allowlist }),
            clock: dependencies.clock,
            logger: logger,
            heartbeats: dependencies.heartbeats
        ) {
            (config.current.webhooks, config.current.zone)
        }
        return [maintenance, delivery]
    }
}
