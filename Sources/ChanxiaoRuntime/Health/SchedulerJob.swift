import ChanxiaoCore
import Foundation
import Logging

/// One run of a scheduled job: under a trace id of its own (so the webhook messages it writes
/// and its log lines can be told apart from requests'), timed, counted by outcome, and logged
/// when it fails. A failure never ends the worker: the next round tries again.
public enum SchedulerJob {
    public static func run(_ job: String, now: Date, logger: Logger, metadata: Logger.Metadata = [:], _ work: () async throws -> Void) async {
        let started = ContinuousClock.now
        let trace = "job_" + job + "_" + RequestTrace.generate()
        var logger = logger
        logger[metadataKey: "request_id"] = "\(trace)"
        do {
            try await RequestTrace.$id.withValue(trace) { try await work() }
            DaemonMetrics.schedulerJob(job, succeeded: true, duration: ContinuousClock.now - started, at: now.timeIntervalSince1970)
        } catch {
            var metadata = metadata
            metadata["job"] = "\(job)"
            metadata["error"] = "\(error)"
            logger.error("scheduled job failed", metadata: metadata)
            DaemonMetrics.schedulerJob(job, succeeded: false, duration: ContinuousClock.now - started, at: now.timeIntervalSince1970)
        }
    }
}
