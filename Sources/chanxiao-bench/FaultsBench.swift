import ArgumentParser
import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoFixtures
import ChanxiaoStore
import ChanxiaoWebhookDelivery
import ChanxiaoWebhooks
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// What a faulty endpoint costs a healthy one: the healthy endpoint's delivery latency (event
/// committed to receipt) under a steady load, and its throughput on a backlog, alone and
/// beside faulty endpoints that take the same events: one that never answers (each attempt
/// waits for the timeout), one that resets every connection, and several that never answer.
/// The delivery worker runs as in the daemon, with the default settings.
struct FaultsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract: "Time a healthy endpoint's deliveries beside dead and resetting endpoints."
    )

    @Option(help: "Events committed per second in the latency phase (in 10 batches a second).")
    var rate: Int = 100

    @Option(help: "Seconds of the latency phase.")
    var seconds: Int = 10

    @Option(help: "Events committed in one transaction for the throughput phase.")
    var backlog: Int = 2000

    @Option(help: "Also run with this many endpoints that never answer (0: skip).")
    var manyDead: Int = 4

    @Option(help: "Seconds to wait for the healthy endpoint to get a phase's events before giving up.")
    var patience: Int = 60

    enum Fault: String, Sendable {
        case dead, reset
    }

    struct Scenario {
        var name: String
        var faults: [Fault]
    }

    struct Figures {
        var scenario: String
        var latencyEvents: Int
        var latencyReceived: Int
        var p50: Double
        var p99: Double
        var max: Double
        var backlogReceived: Int
        var backlogSeconds: Double
        var faultyConnections: Int
    }

    func run() async throws {
        let settings = WebhookSettings()
        print(
            "default delivery settings: concurrency \(settings.concurrency), per endpoint \(settings.perEndpointConcurrency), "
                + "timeout \(settings.timeoutSeconds) s, poll \(settings.pollIntervalMilliseconds) ms; "
                + "latency phase \(rate) events/s for \(seconds) s, backlog \(backlog) events"
        )
        var scenarios = [
            Scenario(name: "healthy alone", faults: []), Scenario(name: "+ 1 dead", faults: [.dead]),
            Scenario(name: "+ 1 resetting", faults: [.reset]),
        ]
        if manyDead > 0 { scenarios.append(Scenario(name: "+ \(manyDead) dead", faults: Array(repeating: .dead, count: manyDead))) }
        var rows: [Figures] = []
        for scenario in scenarios {
            let figures = try await measure(scenario)
            let backlogTime = figures.backlogReceived == backlog ? String(format: "in %.2f s", figures.backlogSeconds) : "within \(patience) s"
            print(
                "\(scenario.name): latency \(figures.latencyReceived)/\(figures.latencyEvents) received, p50 \(Self.ms(figures.p50)), "
                    + "p99 \(Self.ms(figures.p99)), max \(Self.ms(figures.max)); backlog \(figures.backlogReceived)/\(backlog) \(backlogTime)"
            )
            rows.append(figures)
        }
        print("")
        print("| faulty endpoints beside the healthy one | healthy received | p50 | p99 | max | backlog throughput | faulty connections |")
        print("|---|---|---|---|---|---|---|")
        for row in rows {
            let throughput =
                row.backlogReceived == backlog
                ? String(format: "%.0f events/s", Double(backlog) / Swift.max(row.backlogSeconds, 1e-9))
                : "\(row.backlogReceived) of \(backlog) in \(patience) s"
            print(
                "| \(row.scenario) | \(row.latencyReceived) of \(row.latencyEvents) | \(Self.ms(row.p50)) | \(Self.ms(row.p99)) | \(Self.ms(row.max)) | "
                    + "\(throughput) | \(row.faultyConnections) |"
            )
        }
    }

    static func ms(_ seconds: Double) -> String {
        seconds.isNaN ? "–" : String(format: "%.0f ms", seconds * 1000)
    }

    /// One scenario on a fresh database: the healthy receiver, the faulty servers, the worker.
    func measure(_ scenario: Scenario) async throws -> Figures {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try AppDatabase.open(path: directory + "/bench.sqlite")
        let events = EventSource(database: database)
        try await events.seed()

        let arrivals = Arrivals()
        let router = Router()
        router.post("hooks") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            arrivals.record(String(buffer: body))
            return Response(status: .noContent)
        }
        let port = Mutex(0)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } },
            logger: Logger(label: "bench-receiver", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let faulty = FaultyServers()
        var settings = WebhookSettings()
        settings.allowlist = ["127.0.0.1"]
        let fixed = settings
        let zone = ChanxiaoConfig().zone

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            let context = WriteContext(actor: "bench", role: .admin, now: Date())
            // Faulty endpoints sort before the healthy one, so the worker reaches them first.
            for (index, fault) in scenario.faults.enumerated() {
                let faultPort = try await faulty.start(fault)
                _ = try await database.createWebhookEndpoint(
                    WebhookEndpoint(
                        id: "\(fault.rawValue)-\(index + 1)",
                        url: "http://127.0.0.1:\(faultPort)/hooks",
                        eventTypes: ["match.proposed"],
                        createdBy: "bench",
                        createdAt: Date(),
                        updatedAt: Date()
                    ),
                    secret: EventSource.secret,
                    context: context
                )
            }
            _ = try await database.createWebhookEndpoint(
                WebhookEndpoint(
                    id: "healthy",
                    url: "http://127.0.0.1:\(port.withLock { $0 })/hooks",
                    eventTypes: ["match.proposed"],
                    createdBy: "bench",
                    createdAt: Date(),
                    updatedAt: Date()
                ),
                secret: EventSource.secret,
                context: context
            )

            let sender = try GuardedHTTPSender(allowlist: { fixed.allowlist })
            // Quiet: every faulty attempt logs, and the sends cut off when a scenario ends fail
            // to record (they stay pending, as after a crash).
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            let service = WebhookDeliveryService(database: database, sender: sender, logger: logger) { (fixed, zone) }
            group.addTask { try await service.run() }

            // Latency: a steady load, in batches ten times a second.
            let perBatch = Swift.max(1, rate / 10)
            let batches = seconds * 10
            var commits: [Int: ContinuousClock.Instant] = [:]
            var next = ContinuousClock.now
            for batch in 0..<batches {
                commits[batch] = try await events.commit(batch: batch, count: perBatch)
                next += .milliseconds(100)
                try await Task.sleep(until: next)
            }
            let latencyEvents = batches * perBatch
            try await arrivals.wait(for: latencyEvents, patience: .seconds(patience))
            var latencies = arrivals.snapshot().compactMap { id, at -> Double? in
                guard let batch = EventSource.batch(of: id), let committed = commits[batch] else { return nil }
                return (at - committed).inSeconds
            }.sorted()
            if latencies.isEmpty { latencies = [.nan] }
            func quantile(_ q: Double) -> Double {
                latencies[Swift.min(latencies.count - 1, Swift.max(0, Int((Double(latencies.count) * q).rounded(.up)) - 1))]
            }
            let latencyReceived = arrivals.count

            // Throughput: a backlog committed at once.
            let committed = try await events.commit(batch: batches, count: backlog)
            try await arrivals.wait(for: latencyEvents + backlog, patience: .seconds(patience))
            let backlogArrivals = arrivals.snapshot().filter { EventSource.batch(of: $0.key) == batches }.map(\.value)
            let last = backlogArrivals.max() ?? committed

            group.cancelAll()
            try? await group.waitForAll()
            await faulty.stop()
            return Figures(
                scenario: scenario.name,
                latencyEvents: latencyEvents,
                latencyReceived: latencyReceived,
                p50: quantile(0.5),
                p99: quantile(0.99),
                max: latencies.last ?? .nan,
                backlogReceived: backlogArrivals.count,
                backlogSeconds: (last - committed).inSeconds,
                faultyConnections: faulty.connections
            )
        }
    }
}

/// Commits match runs whose proposals become `match.proposed` events, one run per batch.
private struct EventSource {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let database: AppDatabase

    func seed() async throws {
        try await MatchEventCatalog.seed(database, actor: "bench", now: Date())
    }

    /// Commits `count` proposals as run `batch`; returns when the transaction committed.
    func commit(batch: Int, count: Int) async throws -> ContinuousClock.Instant {
        try await MatchEventCatalog.commitRun(
            database,
            run: String(format: "b%06d", batch),
            count: count,
            trigger: "bench",
            actor: "bench",
            context: WriteContext(actor: "bench", role: .admin, now: Date())
        )
        return .now
    }

    /// The batch a match id (`b000042-m7`) belongs to.
    static func batch(of matchID: String) -> Int? {
        guard matchID.hasPrefix("b"), let dash = matchID.firstIndex(of: "-") else { return nil }
        return Int(matchID[matchID.index(after: matchID.startIndex)..<dash])
    }
}

/// When each match id first reached the healthy receiver.
private final class Arrivals: Sendable {
    private let seen = Mutex<[String: ContinuousClock.Instant]>([:])

    func record(_ body: String) {
        let now = ContinuousClock.now
        guard let range = body.range(of: #""match_id":""#), let end = body[range.upperBound...].firstIndex(of: "\"") else { return }
        let id = String(body[range.upperBound..<end])
        seen.withLock { if $0[id] == nil { $0[id] = now } }
    }

    var count: Int { seen.withLock { $0.count } }

    func snapshot() -> [String: ContinuousClock.Instant] { seen.withLock { $0 } }

    func wait(for count: Int, patience: Duration) async throws {
        let giveUp = ContinuousClock.now + patience
        while self.count < count, ContinuousClock.now < giveUp { try await Task.sleep(for: .milliseconds(5)) }
    }
}

/// TCP listeners on loopback that fail every request: `dead` reads it and never answers,
/// `reset` answers it with a connection reset (RST).
private final class FaultyServers: Sendable {
    private let channels = Mutex<[any Channel]>([])
    private let accepted = Mutex(0)

    var connections: Int { accepted.withLock { $0 } }

    func start(_ fault: FaultsBench.Fault) async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                accepted.withLock { $0 += 1 }
                channels.withLock { $0.append(channel) }
                return channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(FaultHandler(fault: fault)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        channels.withLock { $0.append(channel) }
        return channel.localAddress?.port ?? 0
    }

    func stop() async {
        for channel in channels.withLock({ $0 }) { try? await channel.close() }
    }

    private final class FaultHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let fault: FaultsBench.Fault

        init(fault: FaultsBench.Fault) { self.fault = fault }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .reset = fault else { return }
            // SO_LINGER 0: close sends RST instead of FIN.
            _ = (context.channel as? SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
            context.close(promise: nil)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
