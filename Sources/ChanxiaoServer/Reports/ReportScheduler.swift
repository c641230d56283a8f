import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoStore
import Foundation
import Logging
import ServiceLifecycle

/// The weekly job (`reports.weekly.*`, default Tuesday 09:00): once the week's moment has
/// passed, runs it for the week unless it already ran (also after a restart), waking every
/// `matching.schedule.check_interval_seconds`.
public struct ReportScheduler: Service {
    let dependencies: AppDependencies
    let logger: Logger

    public init(dependencies: AppDependencies, logger: Logger) {
        self.dependencies = dependencies
        self.logger = logger
    }

    public func run() async throws {
        let interval = Duration.seconds(dependencies.config.current.matchingLifecycle.checkIntervalSeconds)
        await PeriodicWork.run(every: interval, heartbeat: dependencies.heartbeats.register("report_scheduler", every: interval)) {
            await tick()
        }
    }

    /// One check; failures are logged and tried again at the next.
    public func tick() async {
        let config = dependencies.config.current
        let now = dependencies.clock.now()
        guard config.reports.weeklyEnabled, let week = config.reports.weeklyMoment.passedWeek(now: now, zone: config.zone) else { return }
        do {
            guard try await !dependencies.database.hasWeeklyRun(week) else { return }
        } catch {
            logger.error("weekly reports failed", metadata: ["week": "\(week)", "error": "\(error)"])
            return
        }
        await SchedulerJob.run("weekly_reports", now: now, logger: logger, metadata: ["week": "\(week)"]) {
            let context = WriteContext(
                actor: "scheduler",
                role: .admin,
                now: now,
                rules: config.writeRules,
                zone: config.zone,
                fairs: config.scheduling.fairs
            )
            if let summary = try await dependencies.database.runWeekly(
                week,
                settings: WeeklyRunSettings(config: config),
                trigger: "schedule",
                context: context
            ) {
                logger.notice(
                    "weekly reports",
                    metadata: [
                        "week": "\(week)", "sales_recorded": "\(summary.salesRecorded)", "buyers_at_risk": "\(summary.buyersAtRisk)",
                        "slow_moving": "\(summary.slowMoving)", "newly_slow_moving": "\(summary.newlySlowMoving)",
                    ]
                )
                for refusal in summary.refused {
                    logger.warning("weekly reports: figure out of range", metadata: ["week": "\(week)", "refused": "\(refusal)"])
                }
            }
        }
    }
}
