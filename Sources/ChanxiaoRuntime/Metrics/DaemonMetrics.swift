import Metrics

/// Every metric the daemon records itself, in one place so that each name always has the same
/// labels (Prometheus refuses a family whose label names vary) and docs/operations.md can list
/// them. Recorded through swift-metrics: whatever backend the process bootstraps receives them.
public enum DaemonMetrics {
    /// One match run: how it was started, how long it took, what it matched and left unmet
    /// (volumes in the demands' own units, summed).
    public static func matchRun(trigger: String, stored: Bool, duration: Duration, proposals: Int, matchedVolume: Int, unmetVolume: Int) {
        Counter(label: "chanxiao_match_runs_total", dimensions: [("trigger", trigger), ("stored", stored ? "true" : "false")]).increment()
        Timer(label: "chanxiao_match_run_duration_seconds").recordNanoseconds(duration.nanoseconds)
        Counter(label: "chanxiao_match_proposals_total").increment(by: proposals)
        Counter(label: "chanxiao_match_matched_volume_total").increment(by: matchedVolume)
        Counter(label: "chanxiao_match_unmet_volume_total").increment(by: unmetVolume)
        Gauge(label: "chanxiao_match_last_matched_volume").record(matchedVolume)
        Gauge(label: "chanxiao_match_last_unmet_volume").record(unmetVolume)
    }

    /// One failed authentication (an unknown, malformed, revoked or expired token): `rejected`
    /// (401) or `throttled` (429: its client address is backing off).
    public static func authFailure(throttled: Bool) {
        Counter(label: "chanxiao_auth_failures_total", dimensions: [("outcome", throttled ? "throttled" : "rejected")]).increment()
    }

    /// One webhook attempt (a digest counts once): `delivered`, `failed` (to be retried), or
    /// `gave_up` (no retry left, or the endpoint was disabled).
    public static func webhookAttempt(endpoint: String, outcome: String, latency: Duration) {
        Counter(label: "chanxiao_webhook_attempts_total", dimensions: [("endpoint", endpoint), ("outcome", outcome)]).increment()
        Timer(label: "chanxiao_webhook_delivery_duration_seconds", dimensions: [("outcome", outcome)]).recordNanoseconds(latency.nanoseconds)
    }

    /// The outbox as the database sees it at scrape time.
    public static func webhookQueue(pending: Int, oldestPendingSeconds: Double, dueLagSeconds: Double, failingEndpoints: Int, disabledEndpoints: Int)
    {
        Gauge(label: "chanxiao_webhook_queue_depth").record(pending)
        Gauge(label: "chanxiao_webhook_oldest_pending_age_seconds").record(oldestPendingSeconds)
        Gauge(label: "chanxiao_webhook_due_lag_seconds").record(dueLagSeconds)
        Gauge(label: "chanxiao_webhook_endpoints_failing").record(failingEndpoints)
        Gauge(label: "chanxiao_webhook_endpoints_disabled").record(disabledEndpoints)
    }

    /// One run of a scheduled job (`matching`, `proposal_expiry`, `weekly_reports`, `livestream_reminders`,
    /// `webhook_retention`).
    public static func schedulerJob(_ job: String, succeeded: Bool, duration: Duration, at secondsSince1970: Double) {
        Counter(label: "chanxiao_scheduler_jobs_total", dimensions: [("job", job), ("outcome", succeeded ? "ok" : "failed")]).increment()
        Timer(label: "chanxiao_scheduler_job_duration_seconds", dimensions: [("job", job)]).recordNanoseconds(duration.nanoseconds)
        if succeeded {
            Gauge(label: "chanxiao_scheduler_job_last_success_timestamp_seconds", dimensions: [("job", job)]).record(secondsSince1970)
        }
    }

    /// One reload: `applied`, `unchanged` or `rejected`; and how many changed keys wait for a restart.
    public static func configReload(outcome: String, restartRequired: Int, at secondsSince1970: Double) {
        Counter(label: "chanxiao_config_reloads_total", dimensions: [("outcome", outcome)]).increment()
        if outcome != "rejected" {
            Gauge(label: "chanxiao_config_last_reload_success_timestamp_seconds").record(secondsSince1970)
            Gauge(label: "chanxiao_config_restart_required_keys").record(restartRequired)
        }
    }

    /// One backup: its outcome and, when it worked, its duration, size and time.
    public static func backup(succeeded: Bool, duration: Duration, bytes: Int64, at secondsSince1970: Double) {
        Counter(label: "chanxiao_backups_total", dimensions: [("outcome", succeeded ? "ok" : "failed")]).increment()
        if succeeded {
            Timer(label: "chanxiao_backup_duration_seconds").recordNanoseconds(duration.nanoseconds)
            Gauge(label: "chanxiao_backup_last_success_timestamp_seconds").record(secondsSince1970)
            Gauge(label: "chanxiao_backup_last_size_bytes").record(bytes)
        }
    }

    /// The newest backup found on disk at start, so the age of the last good backup is known
    /// across restarts.
    public static func backupFound(at secondsSince1970: Double) {
        Gauge(label: "chanxiao_backup_last_success_timestamp_seconds").record(secondsSince1970)
    }

    /// The database file with its write-ahead log.
    public static func databaseSize(bytes: Int64) {
        Gauge(label: "chanxiao_database_size_bytes").record(bytes)
    }

    /// Whether the watchdog was fed at its last check (1) or withheld (0).
    public static func watchdog(healthy: Bool) {
        Gauge(label: "chanxiao_watchdog_healthy").record(healthy ? 1 : 0)
    }

    /// 1, labelled with the version, so dashboards can show what runs.
    public static func buildInfo(version: String) {
        Gauge(label: "chanxiao_build_info", dimensions: [("version", version)]).record(1)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
