import ChanxiaoCore
import ChanxiaoMatching
import ChanxiaoReports
import ChanxiaoScheduling
import ChanxiaoWebhooks
import Foundation

/// The effective configuration. Defaults here equal those in `config/chanxiao.yaml`; every
/// key is read (and documented) in `ChanxiaoConfig+Keys.swift`.
public struct ChanxiaoConfig: Sendable, Equatable {
    public struct Server: Sendable, Equatable {
        public var host = "127.0.0.1"
        public var port = 8080
        /// Largest JSON request body accepted.
        public var maxBodyBytes = 1 << 20
        /// Largest CSV import accepted over HTTP.
        public var maxImportBytes = 64 << 20
        /// How long a graceful stop may take (in-flight requests and webhook sends finish)
        /// before what is left is cancelled.
        public var shutdownTimeoutSeconds = 25
        /// A connection that sends nothing for this long is closed (slow or stalled clients
        /// cannot hold connections open).
        public var idleTimeoutSeconds = 60
    }

    public struct Database: Sendable, Equatable {
        /// Nil: `$STATE_DIRECTORY/chanxiao.sqlite` under systemd, else `./var/chanxiao.sqlite`.
        public var path: String?
        public var busyTimeoutMilliseconds = 5000
    }

    public struct Auth: Sendable, Equatable {
        /// How long a verified token is remembered; a revocation takes effect within this time
        /// (at most a minute).
        public var tokenCacheSeconds = 5
        /// Lifetime of new tokens when `token create` is given no `--expires-in`; 0 = no expiry.
        public var defaultTokenTTLDays = 365
        /// Failed authentications from one client address within `failureWindowSeconds` after
        /// which its failing requests are answered 429 for a backoff; 0 turns the backoff off.
        public var failureLimit = 10
        public var failureWindowSeconds = 60
        /// The first backoff; each further failure while backing off doubles it, up to the most.
        public var backoffSeconds = 30
        public var backoffMaxSeconds = 900
    }

    public struct API: Sendable, Equatable {
        public var defaultPageSize = 50
        public var maxPageSize = 500
    }

    public struct Import: Sendable, Equatable {
        /// How many row errors a rejected import lists (all are counted).
        public var maxReportedErrors = 1000
        /// Largest CSV body a buyer or supplier token may post, and most rows in it: bound tokens
        /// record their own week, not bulk loads.
        public var boundMaxBytes = 1 << 20
        public var boundMaxRows = 5000
    }

    /// Plausibility of what buyers record.
    public struct Certification: Sendable, Equatable {
        /// Days a certification approved by a reviewer is on public notice (公示), during which
        /// anyone with a token may object; it can be listed the day after.
        public var noticeDays = 7
    }

    public struct Sales: Sendable, Equatable {
        /// A sale of a catalog product may cost at most this many times volume × the product's
        /// price, and at least that divided by it; 0 turns the check off.
        public var priceFactor = 3.0
    }

    public struct Buyers: Sendable, Equatable {
        public var defaultMaxSuppliersPerCategory = 2
        /// Default poverty-product share target per buyer kind, for buyers without their own.
        public var shareTargets: [BuyerKind: Double] = BuyerKind.seedShareTargets
        /// Targets of jurisdictions (by region code), optionally per kind; they override the kind defaults.
        public var regionalShareTargets: [RegionalShareTarget] = []
    }

    /// When and how matching runs, besides the `MatchingSettings` that shape its result.
    public struct MatchingLifecycle: Sendable, Equatable {
        /// A proposal not accepted or declined within this many hours expires.
        public var proposalTTLHours = 72
        /// Whether the daemon runs matching for the coming week by itself.
        public var scheduleEnabled = true
        /// 1 = Monday … 7 = Sunday, in `time_zone`.
        public var scheduleWeekday = 4
        /// Minutes after midnight.
        public var scheduleMinute = 18 * 60
        /// How often the scheduler wakes to check for due work and expire proposals.
        public var checkIntervalSeconds = 60
    }

    public struct Logging: Sendable, Equatable {
        public var level = "info"
        /// `logfmt` or `json`: one line per event either way.
        public var format = "logfmt"
    }

    /// `/metrics` in Prometheus text format.
    public struct Metrics: Sendable, Equatable {
        public var enabled = true
        /// A bearer token that may read `/metrics` on the API port (besides admin tokens). Secret.
        public var token: String?
        /// A separate listener serving only `/metrics`, `/healthz` and `/readyz`, without
        /// tokens; port 0 means none.
        public var host = "127.0.0.1"
        public var port = 0
    }

    /// When the systemd watchdog stops being fed.
    public struct Watchdog: Sendable, Equatable {
        /// A worker that has not come round its loop for its own interval plus this long is hung.
        public var stallSeconds = 300
    }

    /// The periodic online backup of the database.
    public struct Backup: Sendable, Equatable {
        public var enabled = false
        /// Nil: `backups` beside the database file.
        public var directory: String?
        public var intervalHours = 24
        /// How many backups the job keeps; older ones it made are deleted.
        public var keep = 7
    }

    public var server = Server()
    public var database = Database()
    public var auth = Auth()
    public var api = API()
    public var importing = Import()
    public var sales = Sales()
    public var certification = Certification()
    public var buyers = Buyers()
    public var matching = MatchingSettings()
    public var matchingLifecycle = MatchingLifecycle()
    public var scheduling = SchedulingSettings()
    public var webhooks = WebhookSettings()
    public var reports = ReportSettings()
    public var logging = Logging()
    public var metrics = Metrics()
    public var watchdog = Watchdog()
    public var backup = Backup()
    /// Dates and weeks are counted in this zone (weeks start on Monday).
    public var timeZone = "Asia/Shanghai"

    public init() {}

    /// The configured zone; validated at load, so this never falls back in practice.
    public var zone: TimeZone {
        TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!
    }

    /// Where share targets come from: the buyer's own, its jurisdiction's, its kind's.
    public var shareTargetPolicy: ShareTargetPolicy {
        ShareTargetPolicy(kindDefaults: buyers.shareTargets, regional: buyers.regionalShareTargets)
    }

    /// The effective share target for a buyer.
    public func shareTarget(for buyer: Buyer) -> Double {
        shareTargetPolicy.target(for: buyer).share
    }

    /// What parsing input at `now` needs from the configuration: today in the configured zone
    /// and the defaults of fields left out.
    public func parseContext(now: Date) -> ParseContext {
        ParseContext(
            now: now,
            today: CalendarDate.today(in: zone, now: now),
            defaultMaxSuppliersPerCategory: buyers.defaultMaxSuppliersPerCategory,
            defaultFairMinPovertyShare: scheduling.fairs.defaultMinPovertyShare,
            defaultMaxBoothsPerApplicant: scheduling.fairs.defaultMaxBoothsPerApplicant
        )
    }

    /// When a token made at `now` expires unless told otherwise (`auth.default_token_ttl_days`).
    public func defaultTokenExpiry(from now: Date) -> Date? {
        auth.defaultTokenTTLDays > 0 ? now.addingTimeInterval(Double(auth.defaultTokenTTLDays) * 86_400) : nil
    }

    /// The rules the store checks writes against.
    public var writeRules: WriteRules {
        WriteRules(salePriceFactor: sales.priceFactor)
    }
}
