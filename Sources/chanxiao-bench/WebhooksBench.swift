import ArgumentParser
import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoDemo
import ChanxiaoMatching
import ChanxiaoServer
import ChanxiaoStore
import ChanxiaoWebhookDelivery
import ChanxiaoWebhooks
import Foundation
import Hummingbird
import Logging
import Synchronization

/// What webhooks cost: the outbox writes in a match run's transaction (one `match.proposed`
/// per proposal), and delivery throughput to a receiver on loopback.
struct WebhooksBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Time the outbox writes of a match run and the delivery of its events to a loopback receiver."
    )

    @Option(help: "demo, province or nation.")
    var tier: String = "province"

    @Option(help: "Seed of the generated catalog.")
    var seed: UInt64 = 20_200_914

    @Option(help: "Sends in flight at once to the one endpoint (webhooks.per_endpoint_concurrency).")
    var concurrency: Int = 16

    func run() async throws {
        guard let tier = SyntheticCatalog.Tier(rawValue: tier) else { throw ValidationError("--tier: demo, province or nation") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try AppDatabase.open(path: directory + "/bench.sqlite")
        let catalog = SyntheticCatalog.make(tier, seed: seed)
        let context = WriteContext(actor: "bench", role: .admin, now: Date())
        try await database.seedCatalog(
            counties: catalog.counties,
            suppliers: catalog.suppliers,
            products: catalog.products,
            buyers: catalog.buyers,
            demands: catalog.demands,
            marker: "bench",
            context: context
        )
        print("tier \(tier.rawValue) (seed \(seed)): \(catalog.demands.count) demands")

        // The same proposals stored twice: without an endpoint, then with one that takes every event.
        let config = ChanxiaoConfig()
        let snapshot = try await database.catalogSnapshot()
        let input = MatchingCatalog(
            counties: snapshot.counties,
            suppliers: snapshot.suppliers,
            products: snapshot.products,
            buyers: snapshot.buyers,
            demands: snapshot.demands
        )
        let result = Matcher.run(catalog: input, state: WeekState(), settings: config.matching, week: SyntheticCatalog.week)
        var stored: [Duration] = []
        let receiverPort = Mutex(0)
        for withEndpoint in [false, true] {
            if withEndpoint {
                // The receiver's address is known once it listens; the endpoint is registered below.
                _ = try await database.createWebhookEndpoint(
                    WebhookEndpoint(
                        id: "bench",
                        url: "http://127.0.0.1:1/hooks",
                        eventTypes: ["*"],
                        createdBy: "bench",
                        createdAt: Date(),
                        updatedAt: Date()
                    ),
                    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                    context: context
                )
            }
            let now = Date()
            let runID = Identifier.generate(prefix: "run", at: now)
            let matches = MatchRunner.proposals(result, runID: runID, proposedAt: now, expiresAt: now.addingTimeInterval(72 * 3600))
            let version = try await database.weekDecisions(SyntheticCatalog.week, recentWeeks: 1).version
            let run = MatchRun(
                id: runID,
                week: SyntheticCatalog.week,
                trigger: "bench",
                actor: "bench",
                configHash: ConfigDigest.hash(config),
                startedAt: now,
                durationMilliseconds: 0,
                proposals: matches.count,
                stats: .object([:]),
                unmet: .array([])
            )
            let start = ContinuousClock.now
            try await database.recordRun(run, matches: matches, basedOn: version, context: WriteContext(actor: "bench", role: .admin, now: now))
            stored.append(ContinuousClock.now - start)
            print(
                "store \(matches.count) proposals \(withEndpoint ? "with" : "without") an endpoint taking every event: \(Self.format(stored.last!))"
            )
        }
        print("outbox cost: \(Self.format(stored[1] - stored[0])) for the match.proposed events")

        // Delivery of every recorded event to a receiver on loopback.
        let received = Mutex(0)
        let router = Router()
        router.post("hooks") { _, _ -> Response in
            received.withLock { $0 += 1 }
            return Response(status: .noContent)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in receiverPort.withLock { $0 = channel.localAddress?.port ?? 0 } }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            while receiverPort.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let port = receiverPort.withLock { $0 }
            _ = try await database.updateWebhookEndpoint(id: "bench", context: context) { $0.url = "http://127.0.0.1:\(port)/hooks" }
            var settings = WebhookSettings()
            settings.allowlist = ["127.0.0.1"]
            settings.concurrency = concurrency
            settings.perEndpointConcurrency = concurrency
            let fixed = settings
            let sender = try GuardedHTTPSender(allowlist: { fixed.allowlist })
            let service = WebhookDeliveryService(database: database, sender: sender, logger: Logger(label: "bench")) { (fixed, config.zone) }
            let start = ContinuousClock.now
            let sends = await service.deliverDue()
            let elapsed = ContinuousClock.now - start
            await sender.shutdown()
            let seconds = elapsed.inSeconds
            print(
                "delivered \(sends) events (receiver counted \(received.withLock { $0 })) in \(Self.format(elapsed)) with \(concurrency) in flight: "
                    + String(format: "%.0f events/s", Double(sends) / max(seconds, 1e-9))
            )
            group.cancelAll()
        }
    }

    static func format(_ duration: Duration) -> String {
        String(format: "%.3f s", duration.inSeconds)
    }
}
