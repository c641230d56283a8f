import ChanxiaoCore
import ChanxiaoMatching
import ChanxiaoReports
import ChanxiaoScheduling
import ChanxiaoWebhooks
import Foundation

extension ChanxiaoConfig {
    /// Every configuration key, read in one place, each defaulting to its value in `base`. The
    /// reader records each key it is asked for (so unknown keys in a file are refused and
    /// `allKeys` lists the whole schema) and the value in force (`effectiveValues`).
    static func read(_ r: inout ConfigReader, base: ChanxiaoConfig = ChanxiaoConfig()) -> ChanxiaoConfig {
        var c = base
        c.server.host = r.string("server.host", default: c.server.host)
        c.server.port = r.int("server.port", default: c.server.port, in: 0...65535)
        c.server.maxBodyBytes = r.int("server.max_body_bytes", default: c.server.maxBodyBytes, in: 1024...(64 << 20))
        c.server.maxImportBytes = r.int("server.max_import_bytes", default: c.server.maxImportBytes, in: 1024...(1 << 30))
        c.server.shutdownTimeoutSeconds = r.int("server.shutdown_timeout_seconds", default: c.server.shutdownTimeoutSeconds, in: 1...3600)
        c.server.idleTimeoutSeconds = r.int("server.idle_timeout_seconds", default: c.server.idleTimeoutSeconds, in: 1...3600)

        c.database.path = r.optionalString("database.path", default: c.database.path)
        c.database.busyTimeoutMilliseconds = r.int("database.busy_timeout_ms", default: c.database.busyTimeoutMilliseconds, in: 0...600_000)

        c.auth.tokenCacheSeconds = r.int("auth.token_cache_seconds", default: c.auth.tokenCacheSeconds, in: 0...60)
        c.auth.defaultTokenTTLDays = r.int("auth.default_token_ttl_days", default: c.auth.defaultTokenTTLDays, in: 0...3650)
        c.auth.failureLimit = r.int("auth.failure_limit", default: c.auth.failureLimit, in: 0...10_000)
        c.auth.failureWindowSeconds = r.int("auth.failure_window_seconds", default: c.auth.failureWindowSeconds, in: 1...86_400)
        c.auth.backoffSeconds = r.int("auth.backoff_seconds", default: c.auth.backoffSeconds, in: 1...86_400)
        c.auth.backoffMaxSeconds = r.int("auth.backoff_max_seconds", default: c.auth.backoffMaxSeconds, in: 1...86_400)
        if c.auth.backoffMaxSeconds < c.auth.backoffSeconds {
            r.fail("auth.backoff_max_seconds", "must not be below auth.backoff_seconds (\(c.auth.backoffSeconds))")
        }

        c.api.defaultPageSize = r.int("api.default_page_size", default: c.api.defaultPageSize, in: 1...10_000)
        c.api.maxPageSize = r.int("api.max_page_size", default: c.api.maxPageSize, in: 1...10_000)
        if c.api.defaultPageSize > c.api.maxPageSize {
            r.fail("api.default_page_size", "must not exceed api.max_page_size (\(c.api.maxPageSize))")
        }

        c.importing.maxReportedErrors = r.int("import.max_reported_errors", default: c.importing.maxReportedErrors, in: 1...1_000_000)
        c.importing.boundMaxBytes = r.int("import.bound_max_bytes", default: c.importing.boundMaxBytes, in: 1024...(1 << 30))
        c.importing.boundMaxRows = r.int("import.bound_max_rows", default: c.importing.boundMaxRows, in: 1...10_000_000)
        c.sales.priceFactor = r.decimal("sales.price_factor", default: c.sales.priceFactor, in: 0...1000)
        if c.sales.priceFactor != 0, c.sales.priceFactor < 1 {
            r.fail("sales.price_factor", "must be 0 (no check) or at least 1, got \(c.sales.priceFactor)")
        }

        c.certification.noticeDays = r.int("certification.notice_days", default: c.certification.noticeDays, in: 1...90)

        c.buyers.defaultMaxSuppliersPerCategory = r.int(
            "buyers.default_max_suppliers_per_category",
            default: c.buyers.defaultMaxSuppliersPerCategory,
            in: Buyer.maxSuppliersRange
        )
        for kind in BuyerKind.allCases {
            c.buyers.shareTargets[kind] = r.decimal("buyers.share_targets.\(kind.rawValue)", default: c.buyers.shareTargets[kind] ?? 0, in: 0...1)
        }
        c.buyers.regionalShareTargets = r.textList(
            "buyers.regional_share_targets",
            default: c.buyers.regionalShareTargets.map(\.description),
            expected: "REGION [KIND] SHARE, e.g. \"440300 budget_unit 0.30\" or \"450000 0.20\""
        ) {
            RegionalShareTarget.problem(with: $0) == nil
        }.compactMap(RegionalShareTarget.init)

        readMatching(&r, &c)
        readScheduling(&r, &c)
        readWebhooks(&r, &c)
        readReports(&r, &c)

        c.logging.level = r.oneOf(
            "logging.level",
            default: c.logging.level,
            ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        )
        c.logging.format = r.oneOf("logging.format", default: c.logging.format, ["logfmt", "json"])
        readOperations(&r, &c)

        c.timeZone = r.string("time_zone", default: c.timeZone)
        if TimeZone(identifier: c.timeZone) == nil {
            r.fail("time_zone", "unknown time zone '\(c.timeZone)'; use an IANA name such as Asia/Shanghai")
        }
        return c
    }

    private static func readMatching(_ r: inout ConfigReader, _ c: inout ChanxiaoConfig) {
        let statuses = r.list(
            "matching.eligible_statuses",
            default: PovertyStatus.allCases.filter { c.matching.eligibleStatuses.contains($0) }.map(\.rawValue),
            allowed: PovertyStatus.allCases.map(\.rawValue)
        )
        c.matching.eligibleStatuses = Set(statuses.compactMap(PovertyStatus.init(rawValue:)))
        if statuses.isEmpty { r.fail("matching.eligible_statuses", "must name at least one poverty status") }

        func term(_ name: String, _ shareKey: String, _ term: inout MatchingSettings.Term, range: ClosedRange<Double>) {
            term.enabled = r.bool("matching.scorers.\(name).enabled", default: term.enabled)
            term.share = r.decimal("matching.scorers.\(name).\(shareKey)", default: term.share, in: range)
        }
        term("price", "weight", &c.matching.price, range: 0...10)
        term("paired", "discount", &c.matching.paired, range: 0...0.9)
        term("deep_poverty", "discount", &c.matching.deepPoverty, range: 0...0.9)

        let slow = "matching.scorers.slow_moving"
        c.matching.slowMoving.enabled = r.bool("\(slow).enabled", default: c.matching.slowMoving.enabled)
        c.matching.slowMoving.share = r.decimal("\(slow).discount", default: c.matching.slowMoving.share, in: 0...0.9)
        c.matching.slowMoving.weeks = r.int("\(slow).weeks", default: c.matching.slowMoving.weeks, in: 1...52)
        c.matching.slowMoving.belowShare = r.decimal("\(slow).below_share", default: c.matching.slowMoving.belowShare, in: 0...1)

        let spread = "matching.scorers.spread"
        c.matching.spread.enabled = r.bool("\(spread).enabled", default: c.matching.spread.enabled)
        c.matching.spread.firstShare = r.decimal("\(spread).first_share", default: c.matching.spread.firstShare, in: 0...1)
        c.matching.spread.firstSurcharge = r.decimal("\(spread).first_surcharge", default: c.matching.spread.firstSurcharge, in: 0...10)
        c.matching.spread.secondShare = r.decimal("\(spread).second_share", default: c.matching.spread.secondShare, in: 0...1)
        c.matching.spread.secondSurcharge = r.decimal("\(spread).second_surcharge", default: c.matching.spread.secondSurcharge, in: 0...10)
        // The surcharge must rise with volume, or the problem is no longer a min-cost flow.
        if c.matching.spread.secondShare < c.matching.spread.firstShare {
            r.fail("\(spread).second_share", "must not be below first_share (\(c.matching.spread.firstShare))")
        }
        if c.matching.spread.secondSurcharge < c.matching.spread.firstSurcharge {
            r.fail(
                "\(spread).second_surcharge",
                "must not be below first_surcharge (\(c.matching.spread.firstSurcharge)): the surcharge must rise with volume"
            )
        }

        let lifecycle = "matching.proposals"
        c.matchingLifecycle.proposalTTLHours = r.int(
            "\(lifecycle).expire_after_hours",
            default: c.matchingLifecycle.proposalTTLHours,
            in: 1...24 * 60
        )
        let schedule = "matching.schedule"
        c.matchingLifecycle.scheduleEnabled = r.bool("\(schedule).enabled", default: c.matchingLifecycle.scheduleEnabled)
        let moment = r.weeklyMoment(
            schedule,
            default: WeeklyMoment(weekday: c.matchingLifecycle.scheduleWeekday, minute: c.matchingLifecycle.scheduleMinute)
        )
        (c.matchingLifecycle.scheduleWeekday, c.matchingLifecycle.scheduleMinute) = (moment.weekday, moment.minute)
        c.matchingLifecycle.checkIntervalSeconds = r.int(
            "\(schedule).check_interval_seconds",
            default: c.matchingLifecycle.checkIntervalSeconds,
            in: 1...3600
        )
    }

    private static func readScheduling(_ r: inout ConfigReader, _ c: inout ChanxiaoConfig) {
        let rotation = "scheduling.rotation"
        let statuses = r.list(
            "\(rotation).eligible_statuses",
            default: PovertyStatus.allCases.filter { c.scheduling.rotation.eligibleStatuses.contains($0) }.map(\.rawValue),
            allowed: PovertyStatus.allCases.map(\.rawValue)
        )
        c.scheduling.rotation.eligibleStatuses = Set(statuses.compactMap(PovertyStatus.init(rawValue:)))
        if statuses.isEmpty { r.fail("\(rotation).eligible_statuses", "must name at least one poverty status") }
        c.scheduling.rotation.deepPovertyWeight = r.decimal(
            "\(rotation).deep_poverty_weight",
            default: c.scheduling.rotation.deepPovertyWeight,
            in: 0...100
        )
        c.scheduling.rotation.pairedWeight = r.decimal("\(rotation).paired_weight", default: c.scheduling.rotation.pairedWeight, in: 0...100)
        c.scheduling.rotation.categoryRepeatWeight = r.decimal(
            "\(rotation).category_repeat_weight",
            default: c.scheduling.rotation.categoryRepeatWeight,
            in: 0...100
        )
        c.scheduling.rotation.slowMovingWeight = r.decimal(
            "\(rotation).slow_moving_weight",
            default: c.scheduling.rotation.slowMovingWeight,
            in: 0...100
        )
        c.scheduling.rotation.keepPublishedWeight = r.decimal(
            "\(rotation).keep_published_weight",
            default: c.scheduling.rotation.keepPublishedWeight,
            in: 0...100
        )
        c.scheduling.rotation.searchPasses = r.int("\(rotation).search_passes", default: c.scheduling.rotation.searchPasses, in: 0...1000)

        let live = "scheduling.livestreams"
        c.scheduling.livestreams.allowPaid = r.bool("\(live).allow_paid", default: c.scheduling.livestreams.allowPaid)
        let windows = r.textList(
            "\(live).prime_time",
            default: c.scheduling.livestreams.primeTime.map { "\(ClockTime.text($0.lowerBound))-\(ClockTime.text($0.upperBound))" },
            expected: "a window of local time written HH:MM-HH:MM, e.g. 19:00-22:00"
        ) { WeeklyWindow("mon \($0)") != nil }
        c.scheduling.livestreams.primeTime = windows.compactMap { WeeklyWindow("mon \($0)").map { $0.start..<$0.end } }
        c.scheduling.livestreams.primeTimeWeight = r.decimal(
            "\(live).prime_time_weight",
            default: c.scheduling.livestreams.primeTimeWeight,
            in: 0...100
        )
        c.scheduling.livestreams.sameDayWeight = r.decimal("\(live).same_day_weight", default: c.scheduling.livestreams.sameDayWeight, in: 0...100)
        c.scheduling.livestreams.hostLoadWeight = r.decimal("\(live).host_load_weight", default: c.scheduling.livestreams.hostLoadWeight, in: 0...100)
        c.scheduling.livestreams.startStepMinutes = r.int(
            "\(live).start_step_minutes",
            default: c.scheduling.livestreams.startStepMinutes,
            in: 5...240
        )
        c.scheduling.livestreams.maxDurationMinutes = r.int(
            "\(live).max_duration_minutes",
            default: c.scheduling.livestreams.maxDurationMinutes,
            in: 15...1440
        )

        let fairs = "scheduling.fairs"
        c.scheduling.fairs.deepPovertyPriority = r.int("\(fairs).deep_poverty_priority", default: c.scheduling.fairs.deepPovertyPriority, in: 0...100)
        c.scheduling.fairs.pairedPriority = r.int("\(fairs).paired_priority", default: c.scheduling.fairs.pairedPriority, in: 0...100)
        c.scheduling.fairs.defaultMinPovertyShare = r.decimal(
            "\(fairs).default_min_poverty_share",
            default: c.scheduling.fairs.defaultMinPovertyShare,
            in: 0...1
        )
        c.scheduling.fairs.defaultMaxBoothsPerApplicant = r.int(
            "\(fairs).default_max_booths_per_applicant",
            default: c.scheduling.fairs.defaultMaxBoothsPerApplicant,
            in: 1...10_000
        )
    }

    private static func readWebhooks(_ r: inout ConfigReader, _ c: inout ChanxiaoConfig) {
        let w = "webhooks"
        c.webhooks.deliveryEnabled = r.bool("\(w).delivery_enabled", default: c.webhooks.deliveryEnabled)
        c.webhooks.timeoutSeconds = r.decimal("\(w).timeout_seconds", default: c.webhooks.timeoutSeconds, in: 0.1...300)
        // A bound, because `WebhookSettings.text(seconds:)` writes the schedule back in whole units
        // (for the effective values and the hash), which traps beyond Int; no retry waits longer
        // than messages are kept (webhooks.retention_days, at most 3650 days).
        let schedule = r.textList(
            "\(w).retry_schedule",
            default: c.webhooks.retrySchedule.map { WebhookSettings.text(seconds: $0) },
            expected: "a delay such as 5s, 30m, 2h or 1d, at most 3650d"
        ) {
            WebhookSettings.seconds($0).map { $0 <= Self.maxRetryDelaySeconds } ?? false
        }
        c.webhooks.retrySchedule = schedule.compactMap(WebhookSettings.seconds)
        c.webhooks.retryJitter = r.decimal("\(w).retry_jitter", default: c.webhooks.retryJitter, in: 0...1)
        c.webhooks.retryAfterMinSeconds = r.decimal("\(w).retry_after_min_seconds", default: c.webhooks.retryAfterMinSeconds, in: 0...86400)
        c.webhooks.retryAfterMaxSeconds = r.decimal("\(w).retry_after_max_seconds", default: c.webhooks.retryAfterMaxSeconds, in: 0...(7 * 86400))
        if c.webhooks.retryAfterMinSeconds > c.webhooks.retryAfterMaxSeconds {
            r.fail("\(w).retry_after_min_seconds", "must not exceed webhooks.retry_after_max_seconds (\(c.webhooks.retryAfterMaxSeconds))")
        }
        c.webhooks.disableAfterHours = r.decimal("\(w).disable_after_hours", default: c.webhooks.disableAfterHours, in: 0.001...(365 * 24))
        c.webhooks.secretOverlapHours = r.decimal("\(w).secret_overlap_hours", default: c.webhooks.secretOverlapHours, in: 0...(30 * 24))
        c.webhooks.secretBytes = r.int("\(w).secret_bytes", default: c.webhooks.secretBytes, in: 24...64)
        let leads = r.textList(
            "\(w).reminder_lead_minutes",
            default: c.webhooks.reminderLeadMinutes.map(String.init),
            expected: "a whole number of minutes from 1 to 43200"
        ) { Int($0).map { (1...43200).contains($0) } ?? false }
        c.webhooks.reminderLeadMinutes = leads.compactMap { Int($0) }
        c.webhooks.retentionDays = r.int("\(w).retention_days", default: c.webhooks.retentionDays, in: 1...3650)
        c.webhooks.concurrency = r.int("\(w).concurrency", default: c.webhooks.concurrency, in: 1...1024)
        c.webhooks.perEndpointConcurrency = r.int("\(w).per_endpoint_concurrency", default: c.webhooks.perEndpointConcurrency, in: 1...1024)
        c.webhooks.defaultRateLimitPerMinute = r.int(
            "\(w).default_rate_limit_per_minute",
            default: c.webhooks.defaultRateLimitPerMinute,
            in: 0...1_000_000
        )
        c.webhooks.robotDigestMax = r.int("\(w).robot_digest_max", default: c.webhooks.robotDigestMax, in: 1...1000)
        c.webhooks.responseBodyLimitBytes = r.int("\(w).response_body_limit_bytes", default: c.webhooks.responseBodyLimitBytes, in: 0...(1 << 20))
        c.webhooks.allowlist = r.textList(
            "\(w).allowlist",
            default: c.webhooks.allowlist,
            expected: "an IP address or CIDR range such as 127.0.0.1, 10.0.0.0/8 or fd00::/8"
        ) {
            (try? AddressPolicy(allowlist: [$0])) != nil
        }
        c.webhooks.pollIntervalMilliseconds = r.int("\(w).poll_interval_ms", default: c.webhooks.pollIntervalMilliseconds, in: 10...60_000)
        c.webhooks.maintenanceIntervalSeconds = r.int(
            "\(w).maintenance_interval_seconds",
            default: c.webhooks.maintenanceIntervalSeconds,
            in: 1...3600
        )
    }

    private static func readReports(_ r: inout ConfigReader, _ c: inout ChanxiaoConfig) {
        let weekly = "reports.weekly"
        c.reports.weeklyEnabled = r.bool("\(weekly).enabled", default: c.reports.weeklyEnabled)
        c.reports.weeklyMoment = r.weeklyMoment(weekly, default: c.reports.weeklyMoment)
        let period = r.oneOf("reports.target_period", default: c.reports.targetPeriod.rawValue, TargetPeriod.allCases.map(\.rawValue))
        c.reports.targetPeriod = TargetPeriod(rawValue: period) ?? .year
        let risk = "reports.at_risk"
        c.reports.atRiskMargin = r.decimal("\(risk).margin", default: c.reports.atRiskMargin, in: 0...1)
        c.reports.atRiskMinTotalFen = r.int("\(risk).min_total_fen", default: c.reports.atRiskMinTotalFen, in: 1...1_000_000_000_000)
        c.reports.atRiskMaxMatches = r.int("\(risk).max_matches", default: c.reports.atRiskMaxMatches, in: 0...100)
        c.reports.salesFromMatches = r.bool("reports.sales_from_matches", default: c.reports.salesFromMatches)
        c.reports.slowMovingNetworks = r.textList(
            "reports.slow_moving_networks",
            default: c.reports.slowMovingNetworks,
            expected: "a buyer network's name"
        ) { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    private static func readOperations(_ r: inout ConfigReader, _ c: inout ChanxiaoConfig) {
        c.metrics.enabled = r.bool("metrics.enabled", default: c.metrics.enabled)
        c.metrics.token = r.secret("metrics.token", default: c.metrics.token, minimumLength: 16)
        c.metrics.host = r.string("metrics.host", default: c.metrics.host)
        c.metrics.port = r.int("metrics.port", default: c.metrics.port, in: 0...65535)
        if c.metrics.port != 0, c.metrics.port == c.server.port, c.metrics.host == c.server.host {
            r.fail("metrics.port", "must differ from server.port (\(c.server.port)) on the same host, or be 0 for no separate listener")
        }
        c.watchdog.stallSeconds = r.int("watchdog.stall_seconds", default: c.watchdog.stallSeconds, in: 5...86_400)
        c.backup.enabled = r.bool("backup.enabled", default: c.backup.enabled)
        c.backup.directory = r.optionalString("backup.directory", default: c.backup.directory)
        c.backup.intervalHours = r.int("backup.interval_hours", default: c.backup.intervalHours, in: 1...8760)
        c.backup.keep = r.int("backup.keep", default: c.backup.keep, in: 1...1000)
    }

    /// Keys read only when the daemon starts: a reload that changes them reports "restart
    /// required" and keeps the value in force. `keepingStartupSettings(of:)` names the same keys.
    public static let restartRequiredKeys: [String] = [
        "server.host", "server.port", "server.shutdown_timeout_seconds", "server.idle_timeout_seconds", "database.path", "database.busy_timeout_ms",
        "matching.schedule.check_interval_seconds", "webhooks.delivery_enabled", "webhooks.maintenance_interval_seconds",
        "metrics.host", "metrics.port",
    ]

    /// This configuration with the values of `restartRequiredKeys` taken from `running`.
    public func keepingStartupSettings(of running: ChanxiaoConfig) -> ChanxiaoConfig {
        var c = self
        c.server.host = running.server.host
        c.server.port = running.server.port
        c.server.shutdownTimeoutSeconds = running.server.shutdownTimeoutSeconds
        c.server.idleTimeoutSeconds = running.server.idleTimeoutSeconds
        c.database = running.database
        c.matchingLifecycle.checkIntervalSeconds = running.matchingLifecycle.checkIntervalSeconds
        c.webhooks.deliveryEnabled = running.webhooks.deliveryEnabled
        c.webhooks.maintenanceIntervalSeconds = running.webhooks.maintenanceIntervalSeconds
        c.metrics.host = running.metrics.host
        c.metrics.port = running.metrics.port
        return c
    }

    /// The longest wait `webhooks.retry_schedule` may name: 3650 days.
    static let maxRetryDelaySeconds: Double = 3650 * 86400

    /// Keys whose values are secrets: shown redacted, left out of the hash.
    public static let secretKeys: Set<String> = ["metrics.token"]

    /// Each key with the value in force, in schema order.
    public var effectiveValues: [(key: String, value: String)] {
        var reader = ConfigReader(values: [:])
        _ = Self.read(&reader, base: self)
        return reader.effective
    }

    /// `key=value` lines of every key: equal configurations give equal text, whatever file,
    /// variables or flags they came from. Match runs record its hash.
    public var canonicalText: String {
        effectiveValues.map { "\($0.key)=\($0.value)\n" }.joined()
    }

    /// Every key of the schema, in the order they are read.
    public static var allKeys: [String] {
        var reader = ConfigReader(values: [:])
        _ = read(&reader)
        return reader.requestedKeys
    }

    /// The environment variable that overrides `key`: `server.port` → `CHANXIAO_SERVER_PORT`.
    public static func environmentName(for key: String) -> String {
        "CHANXIAO_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}
