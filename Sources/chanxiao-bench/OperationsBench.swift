import ArgumentParser
import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoDemo
import ChanxiaoMatching
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import Synchronization

/// What operations cost on a realistic database: an online backup (alone and while a writer
/// keeps writing), the readiness check the watchdog runs, and what a `/metrics` scrape reads.
struct OperationsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operations",
        abstract: "Time an online backup, the readiness check and a metrics scrape on a generated database."
    )

    @Option(help: "demo, province or nation.")
    var tier: String = "province"

    @Option(help: "Seed of the generated catalog.")
    var seed: UInt64 = 20_200_914

    func run() async throws {
        guard let tier = SyntheticCatalog.Tier(rawValue: tier) else { throw ValidationError("--tier: demo, province or nation") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        Telemetry.bootstrap()
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
        // A week of proposals with an endpoint taking every event: the outbox is full, as after a run.
        _ = try await database.createWebhookEndpoint(
            WebhookEndpoint(
                id: "bench",
                url: "https://hooks.example.org/in",
                eventTypes: ["*"],
                createdBy: "bench",
                createdAt: Date(),
                updatedAt: Date()
            ),
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            context: context
        )
        let config = ChanxiaoConfig()
        let runner = MatchRunner(database: database, config: ConfigStore(config))
        let outcome = try await runner.run(week: SyntheticCatalog.week, dryRun: false, trigger: "bench", actor: "bench", role: .admin)
        let figures = try await database.operationalFigures(now: Date())
        print(
            "tier \(tier.rawValue) (seed \(seed)): \(catalog.demands.count) demands, \(outcome.matches.count) proposals, "
                + "\(figures.pendingDeliveries) pending deliveries, database \(figures.databaseBytes / 1_000_000) MB"
        )

        let quiet = try await database.backup(to: directory + "/quiet.sqlite")
        print("backup, no writer: \(quiet.bytes / 1_000_000) MB in \(WebhooksBench.format(quiet.duration))")

        // The same while a writer commits audited county edits as fast as it can.
        let writes = WriteCount()
        let busy = try await withThrowingTaskGroup(of: BackupSummary?.self) { group in
            group.addTask {
                var n = 0
                while !Task.isCancelled {
                    n += 1
                    let county = County(
                        code: String(format: "99%04d", n % 10_000),
                        name: "基准县\(n)",
                        povertyStatus: .national,
                        createdAt: Date(),
                        updatedAt: Date()
                    )
                    try? await database.delete(County.self, id: county.code, context: context)
                    _ = try? await database.create(county, context: context)
                    writes.increment()
                }
                return nil
            }
            try await Task.sleep(for: .milliseconds(200))
            let before = writes.value
            let summary = try await database.backup(to: directory + "/busy.sqlite")
            let during = writes.value - before
            group.cancelAll()
            print(
                "backup under write load: \(summary.bytes / 1_000_000) MB in \(WebhooksBench.format(summary.duration)); "
                    + "the writer committed \(during) edits meanwhile"
            )
            return summary
        }
        _ = busy

        var checks: [Duration] = []
        for _ in 0..<200 {
            let start = ContinuousClock.now
            _ = await database.health()
            checks.append(ContinuousClock.now - start)
        }
        print("readiness check (schema + write lock), median of 200: \(Self.median(checks))")

        let dependencies = AppDependencies(database: database, config: ConfigStore(config))
        var scrapes: [Duration] = []
        var bytes = 0
        for _ in 0..<50 {
            let start = ContinuousClock.now
            bytes = try await Telemetry.scrape(dependencies).utf8.count
            scrapes.append(ContinuousClock.now - start)
        }
        print("metrics scrape (database figures + exposition of \(bytes) bytes), median of 50: \(Self.median(scrapes))")
    }

    static func median(_ durations: [Duration]) -> String {
        let sorted = durations.sorted()
        let middle = sorted[sorted.count / 2]
        return String(format: "%.3f ms", middle.inSeconds * 1000)
    }
}

/// Commits made by the benchmark's writer, read while it runs.
final class WriteCount: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
