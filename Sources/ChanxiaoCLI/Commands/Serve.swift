import ArgumentParser
import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoDemo
import ChanxiaoRuntime
import ChanxiaoScheduling
import ChanxiaoServer
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: migrate the database, then serve the HTTP API until SIGTERM or SIGINT."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Address to listen on; overrides server.host.", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on (0 picks a free one); overrides server.port.", valueName: "port"))
    var port: Int?

    @Flag(help: "Load the bundled demo catalog into an empty database and print a demo admin token.")
    var demo = false

    func run() async throws {
        var flags: [ConfigLoader.Flag] = []
        if let host { flags.append(.init(key: "server.host", flag: "host", value: host)) }
        if let port { flags.append(.init(key: "server.port", flag: "port", value: String(port))) }
        let config = try common.loadConfig(extra: flags)
        let logSettings = LogSettings(
            level: Logger.Level(rawValue: config.logging.level) ?? .info,
            format: LogFormat(rawValue: config.logging.format) ?? .logfmt
        )
        let logger = LogSetup.bootstrapped(settings: logSettings)
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        let (database, path) = try common.openDatabase(config)
        let demoToken: String? = demo ? try await DemoSetup.prepare(database, path: path, config: config) : nil

        let (common, overrides) = (self.common, flags)
        let reload: @Sendable () throws -> ChanxiaoConfig = { try common.reloadConfig(extra: overrides) }
        let store = ConfigStore(config, source: reload)
        let dependencies = AppDependencies(
            database: database,
            config: store,
            reloader: ConfigReloader(config: store, notifier: notifier, logSettings: logSettings, logger: logger)
        )
        let host = config.server.host
        let serving = ServingState()
        let workers: [any Service] =
            [
                MatchingScheduler(dependencies: dependencies, logger: logger),
                ReportScheduler(dependencies: dependencies, logger: logger),
                BackupService(
                    dependencies: dependencies,
                    databasePath: path,
                    heartbeat: dependencies.heartbeats.register("backup", every: BackupService.checkInterval),
                    logger: logger
                ),
            ] + (try WebhookServices.make(dependencies: dependencies, logger: logger))
        let metricsListener: [any Service] = buildMetricsApplication(dependencies: dependencies, logger: logger).map { [$0] } ?? []
        let app = buildApplication(dependencies: dependencies, logger: logger) { port in
            let address = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
            var banner = "chanxiao \(ChanxiaoVersion.current) serving on http://\(address)\n"
            banner += "database: \(path)\n"
            if let demoToken {
                banner += "demo admin token: \(demoToken)\n"
                banner += "try: curl -H 'Authorization: Bearer \(demoToken)' http://\(host):\(port)/v1/counties\n"
            }
            FileHandle.standardOutput.write(Data(banner.utf8))
            notifier.ready(status: ServingStatus.text(config: dependencies.config.current, address: address))
            serving.markServing()
        }
        // Services stop in reverse order: the stop announcement first, then the HTTP server
        // (no new requests), then the workers, and the watchdog last.
        var group = ServiceGroupConfiguration(
            services: [WatchdogService(dependencies: dependencies, notifier: notifier, serving: serving, logger: logger)] + workers
                + metricsListener + [app, ReloadSignalService(reloader: dependencies.reloader), StopAnnouncer(notifier: notifier)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        group.maximumGracefulShutdownDuration = .seconds(config.server.shutdownTimeoutSeconds)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}

/// Loads the demo catalog and issues a fresh demo admin token.
enum DemoSetup {
    static let marker = "demo_catalog_loaded_at"
    static let tokenLabel = "demo admin (chanxiao serve --demo)"

    static func prepare(_ database: AppDatabase, path: String, config: ChanxiaoConfig) async throws -> String {
        let context = Console.writeContext(config: config)
        if try await database.metadata(marker) == nil {
            guard try await database.isCatalogEmpty() else {
                Console.error(
                    "\(path) already holds a catalog that is not the demo; run the demo on its own database, e.g. --database var/demo.sqlite"
                )
                throw ExitCode(CLIExit.failure)
            }
            let catalog = DemoCatalog.make()
            let schedules = DemoSchedules.make()
            let reports = DemoReports.make(catalog: catalog)
            try await database.seedCatalog(
                counties: catalog.counties,
                suppliers: catalog.suppliers,
                products: catalog.products,
                buyers: catalog.buyers,
                demands: catalog.demands,
                venues: schedules.venues,
                hosts: schedules.hosts,
                fairs: schedules.fairs,
                sales: reports.sales,
                outlets: reports.outlets,
                events: reports.events,
                marker: marker,
                context: context
            )
            try await seedSchedules(database, catalog: catalog, config: config, context: context)
            try await seedCertifications(database, catalog: catalog, config: config, context: context)
            try await runDemoReports(database, config: config, context: context)
        }
        // One demo token at a time: earlier ones are revoked.
        for token in try await database.tokens() where token.label == tokenLabel && token.revokedAt == nil {
            try await database.revokeToken(id: token.id, context: context)
        }
        return try await database.createToken(
            role: .admin,
            label: tokenLabel,
            expiresAt: config.defaultTokenExpiry(from: context.now),
            context: context
        ).secret
    }
}

extension DemoSetup {
    /// The demo's published 8-week rotation at the Hunan center, its livestream plan and the
    /// harvest-festival booth allocation, made by the same planners as the API.
    static func seedSchedules(_ database: AppDatabase, catalog: DemoCatalog, config: ChanxiaoConfig, context: WriteContext) async throws {
        guard let venue = try await database.fetch(Venue.self, id: DemoSchedules.rotationVenue) else { return }
        let hunan = catalog.counties.map(\.code).filter { $0.hasPrefix("43") }
        let request = RotationRequest(venue: venue, fromWeek: DemoSchedules.rotationStart, weeks: DemoSchedules.rotationWeeks, countyCodes: hunan)
        let requestJSON: JSONValue = .object([
            "venue_id": .string(venue.id), "from_week": .string(DemoSchedules.rotationStart.description),
            "weeks": .int(Int64(DemoSchedules.rotationWeeks)), "county_codes": .array(hunan.map(JSONValue.string)),
        ])
        let rotation = try await database.planRotation(
            request,
            requestJSON: requestJSON,
            id: "rot-demo-hunan-2020",
            planning: RotationPlanning(config: config),
            context: context
        )
        _ = try await database.publishRotation(id: rotation.id, context: context)
        _ = try await database.planLivestreams(
            rotationID: rotation.id,
            sessionsPerSlot: 2,
            durationMinutes: 120,
            planID: "lvp-demo-hunan-2020",
            sessionID: { "liv-demo-\(String(format: "%03d", $0 + 1))" },
            settings: config.scheduling.livestreams,
            zone: config.zone,
            context: context
        )
        for application in DemoSchedules.applications(catalog: catalog) {
            _ = try await database.applyForBooths(application, context: context)
        }
        _ = try await database.allocateBooths(fairID: DemoSchedules.fairID, settings: config.scheduling.fairs, context: context)
    }
}

extension DemoSetup {
    static let inboxID = "whe-demo-inbox"

    /// The weekly job of 2020-W40 over the demo's September: it finds the lagging buyer and the
    /// slow-moving products and files the report of 2020-W39. Its events go to a demo inbox
    /// endpoint that points nowhere (`.invalid` never resolves), so that they can be read with
    /// `GET /v1/webhook-messages`; set its url to a receiver of your own to get them.
    static func runDemoReports(_ database: AppDatabase, config: ChanxiaoConfig, context: WriteContext) async throws {
        let inbox = WebhookEndpoint(
            id: inboxID,
            url: "https://inbox.chanxiao-demo.invalid/events",
            eventTypes: [EventType.quotaAtRisk, .productSlowMoving, .reportWeekly].map(\.rawValue),
            description: "demo inbox: set url to your receiver",
            createdBy: context.actor,
            createdAt: context.now,
            updatedAt: context.now
        )
        var generator = SystemRandomNumberGenerator()
        let secret = StandardWebhooks.generateSecret(byteCount: config.webhooks.secretBytes, using: &generator)
        _ = try await database.createWebhookEndpoint(inbox, secret: secret, context: context)
        _ = try await database.runWeekly(DemoReports.checkWeek, settings: WeeklyRunSettings(config: config), trigger: "demo", context: context)
    }
}

/// Sets up swift-log once per process: one line per event, logfmt or JSON, to standard error
/// (journald under systemd), at the level and in the format `settings` hold (a reload changes them).
enum LogSetup {
    private static let done = Mutex(false)

    static func bootstrapped(settings: LogSettings) -> Logger {
        done.withLock { done in
            guard !done else { return }
            // Every logger, not only the request's own, names the request or job it works for.
            let trace = Logger.MetadataProvider { RequestTrace.id.map { ["request_id": .string($0)] } ?? [:] }
            LoggingSystem.bootstrap(
                { label, provider in StructuredLogHandler(label: label, settings: settings, metadataProvider: provider) },
                metadataProvider: trace
            )
            done = true
        }
        return Logger(label: "chanxiao")
    }
}

extension DemoSetup {
    /// Applications in every state, each taken through the same store methods as the API, on
    /// days before today (a listing needs its notice to have passed).
    static func seedCertifications(_ database: AppDatabase, catalog: DemoCatalog, config: ChanxiaoConfig, context: WriteContext) async throws {
        let noticeDays = config.certification.noticeDays
        func daysAgo(_ days: Int) -> WriteContext {
            var earlier = context
            earlier.now = context.now.addingTimeInterval(-Double(days) * 86_400)
            return earlier
        }
        let start = noticeDays + 6
        for plan in DemoCertifications.plans(catalog: catalog, today: context.today) {
            let id = plan.application.id ?? ""
            _ = try await database.applyForCertification(plan.application, owner: nil, context: daysAgo(start))
            if plan.stage == .applied { continue }
            let act = { (action: CertificationAction, input: CertificationActInput, when: WriteContext) in
                _ = try await database.actOnCertification(id: id, action: action, input: input, context: when)
            }
            try await act(.review, CertificationActInput(noticeDays: noticeDays), daysAgo(start - 1))
            if plan.stage == .reviewing { continue }
            if plan.stage == .rejected {
                let reason = "带贫户数与村委会证明不符，请补充材料后重新申请"
                try await act(.reject, CertificationActInput(reason: reason, noticeDays: noticeDays), daysAgo(start - 2))
                continue
            }
            // Approved for notice: the listed and revoked ones long enough ago for the notice to
            // have ended, the others today, so that their notice is still running.
            let approvedOn = plan.stage == .listed || plan.stage == .revoked ? daysAgo(start - 2) : context
            try await act(.approve, CertificationActInput(decision: plan.decision, noticeDays: noticeDays), approvedOn)
            if plan.stage == .objected {
                _ = try await database.objectToCertification(id: id, reason: "该产品实际产地不在本县，系外地收购后贴牌（群众来信）", context: context)
            }
            if plan.stage == .notice || plan.stage == .objected { continue }
            try await act(.list, CertificationActInput(noticeDays: noticeDays), daysAgo(3))
            if plan.stage == .revoked {
                let reason = "经核查以次充好，撤销认定（深对办字〔2020〕39号 八(五)）"
                try await act(.revoke, CertificationActInput(reason: reason, noticeDays: noticeDays), daysAgo(1))
            }
        }
    }
}
