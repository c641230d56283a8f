import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoStore
import Foundation
import Logging
import ServiceLifecycle

/// The weekly matching run and the expiry of stale proposals, as a service of the daemon.
/// Every `matching.schedule.check_interval_seconds` it expires proposals past their time, and:
/// - once the week's scheduled moment (`matching.schedule.weekday` and `time`) has passed, runs
///   matching for the coming week unless the scheduler already did;
/// - catches up a current week that no run covered at all (the daemon was down from the
///   scheduled moment to the week's end, or has just been installed).
public struct MatchingScheduler: Service {
    let dependencies: AppDependencies
    let runner: MatchRunner
    let logger: Logger

    public init(dependencies: AppDependencies, logger: Logger) {
        self.dependencies = dependencies
        runner = MatchRunner(database: dependencies.database, config: dependencies.config, clock: dependencies.clock)
        self.logger = logger
    }

    public func run() async throws {
        let interval = Duration.seconds(dependencies.config.current.matchingLifecycle.checkIntervalSeconds)
        await PeriodicWork.run(every: interval, heartbeat: dependencies.heartbeats.register("matching_scheduler", every: interval)) {
            await tick()
        }
    }

    /// One round of due work. Failures are logged; the next round tries again.
    public func tick() async {
        let config = dependencies.config.current
        let now = dependencies.clock.now()
        await SchedulerJob.run("proposal_expiry", now: now, logger: logger) {
            let expired = try await dependencies.database.expireProposals(now: now)
            if expired > 0 { logger.info("expired proposals", metadata: ["count": "\(expired)"]) }
        }
        let lifecycle = config.matchingLifecycle
        guard lifecycle.scheduleEnabled else { return }
        let current = IsoWeek(containing: CalendarDate.today(in: config.zone, now: now))
        var due: [(week: IsoWeek, trigger: String?)] = [(current, nil)]
        if let coming = Self.dueWeek(now: now, zone: config.zone, weekday: lifecycle.scheduleWeekday, minute: lifecycle.scheduleMinute) {
            due.append((coming, "schedule"))
        }
        for (week, coveredBy) in due {
            do {
                guard try await !dependencies.database.hasRun(for: week, trigger: coveredBy) else { continue }
            } catch {
                logger.error("scheduled match run failed", metadata: ["week": "\(week)", "error": "\(error)"])
                continue
            }
            await SchedulerJob.run("matching", now: now, logger: logger, metadata: ["week": "\(week)"]) {
                let outcome = try await runner.run(week: week, dryRun: false, trigger: "schedule", actor: "scheduler", role: .admin)
                logger.notice(
                    "scheduled match run",
                    metadata: [
                        "week": "\(week)", "run": "\(outcome.run.id)", "proposals": "\(outcome.matches.count)",
                        "duration_ms": "\(outcome.run.durationMilliseconds)",
                    ]
                )
            }
        }
    }

    /// The week to match when this week's scheduled moment has passed: the coming one.
    public static func dueWeek(now: Date, zone: TimeZone, weekday: Int, minute: Int) -> IsoWeek? {
        WeeklyMoment(weekday: weekday, minute: minute).passedWeek(now: now, zone: zone)?.adding(weeks: 1)
    }
}
