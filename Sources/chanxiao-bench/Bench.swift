import ArgumentParser
import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoDemo
import ChanxiaoMatching
import ChanxiaoServer
import ChanxiaoStore
import Foundation

@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chanxiao-bench",
        abstract: "Benchmarks of chanxiao; figures and commands go in docs/performance.md.",
        subcommands: [MatchingBench.self, DimacsBench.self, SchedulingBench.self, WebhooksBench.self, OperationsBench.self, FaultsBench.self]
    )
}

/// The network simplex on a DIMACS instance, to compare solvers on exactly the same problem
/// (`bench/ortools_mincost.py` reads the same file).
struct DimacsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dimacs", abstract: "Solve a DIMACS min-cost flow instance and time it.")

    @Argument(help: "The instance, e.g. from chanxiao-bench matching --export-dimacs.")
    var file: String

    func run() async throws {
        var clock = Stopwatch()
        let network = try DIMACS.read(String(contentsOfFile: file, encoding: .utf8))
        let read = clock.lap()
        let solution = try NetworkSimplex.solve(network)
        let solved = clock.lap()
        print("nodes \(network.nodeCount), arcs \(network.arcCount), read \(read), network simplex \(solved), optimum \(solution.cost)")
    }
}

/// Matching end to end on a generated catalog of a DESIGN.md tier: the catalog is imported into
/// a fresh SQLite file, then each run loads it, matches, and stores the proposals.
struct MatchingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matching",
        abstract: "Time matching on a generated demo, province or nation catalog."
    )

    @Option(help: "demo, province or nation.")
    var tier: String = "province"

    @Option(help: "Seed of the generated catalog.")
    var seed: UInt64 = 20_200_914

    @Option(help: "How many runs to time (each supersedes the last).")
    var runs: Int = 3

    @Option(name: .customLong("export-dimacs"), help: "Write the last run's flow problem here, for an independent solver.")
    var exportDimacs: String?

    @Option(help: "Directory for the benchmark database (default: a new temporary one).")
    var directory: String?

    func run() async throws {
        guard let tier = SyntheticCatalog.Tier(rawValue: tier) else { throw ValidationError("--tier: demo, province or nation") }
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/bench.sqlite"
        try? FileManager.default.removeItem(atPath: path)

        var clock = Stopwatch()
        let catalog = SyntheticCatalog.make(tier, seed: seed)
        let generated = clock.lap()
        let database = try AppDatabase.open(path: path)
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
        let imported = clock.lap()
        print(
            "tier \(tier.rawValue) (seed \(seed)): \(catalog.counties.count) counties, \(catalog.products.count) products, "
                + "\(catalog.buyers.count) buyers, \(catalog.demands.count) demands"
        )
        print("setup: generate \(format(generated)), import into SQLite \(format(imported)) (\(path))")

        let config = ChanxiaoConfig()
        let week = SyntheticCatalog.week
        for index in 1...max(1, runs) {
            var phases = Stopwatch()
            let snapshot = try await database.catalogSnapshot()
            let decisions = try await database.weekDecisions(week, recentWeeks: config.matching.slowMoving.weeks)
            let loaded = phases.lap()
            let input = MatchingCatalog(
                counties: snapshot.counties,
                suppliers: snapshot.suppliers,
                products: snapshot.products,
                buyers: snapshot.buyers,
                demands: snapshot.demands
            )
            let state = WeekState(
                heldByProduct: decisions.heldByProduct,
                heldByDemand: decisions.heldByDemand,
                recentVolumeByProduct: decisions.recentByProduct,
                observedWeeks: decisions.observedWeeks
            )
            let result = Matcher.run(catalog: input, state: state, settings: config.matching, week: week)
            let solved = phases.lap()
            let now = Date()
            let runID = Identifier.generate(prefix: "run", at: now)
            let matches = MatchRunner.proposals(result, runID: runID, proposedAt: now, expiresAt: now.addingTimeInterval(72 * 3600))
            let run = MatchRun(
                id: runID,
                week: week,
                trigger: "bench",
                actor: "bench",
                configHash: ConfigDigest.hash(config),
                startedAt: now,
                durationMilliseconds: milliseconds(solved),
                proposals: matches.count,
                stats: .object([:]),
                unmet: .array([])
            )
            try await database.recordRun(run, matches: matches, basedOn: decisions.version, context: context)
            let stored = phases.lap()

            let stats = result.stats
            let timings = result.timings
            print(
                "run \(index): load \(format(loaded)), match \(format(solved)), store \(format(stored)) — end to end \(format(loaded + solved + stored))"
            )
            print(
                "  matcher: prepare \(format(timings.prepare)); per group, summed: networks \(format(timings.buildNetworks)), "
                    + "max flow \(format(timings.maxFlow)), simplex \(format(timings.simplex)), decompose \(format(timings.decompose))"
            )
            for line in timings.repairLog { print("  repair: \(line)") }
            print(
                "  \(stats.groups) groups, \(stats.nodes) nodes, \(stats.arcs) arcs, \(stats.repairRounds) repair rounds; "
                    + "\(stats.demands) demands, \(matches.count) proposals"
            )
            print(
                "  fill \(String(format: "%.2f", Double(stats.matchedVolume) / Double(max(1, stats.demandVolume)) * 100))% "
                    + "(\(stats.matchedVolume) of \(stats.demandVolume) units), lost to supplier caps \(stats.volumeLostToSupplierCap), "
                    + "objective \(stats.totalCost) (hundredths of a fen)"
            )
            var byReason: [String: (demands: Int, volume: Int)] = [:]
            for outcome in result.unmet {
                byReason[outcome.reason.rawValue, default: (0, 0)].demands += 1
                byReason[outcome.reason.rawValue, default: (0, 0)].volume += outcome.unmet
            }
            print(
                "  unmet by reason: "
                    + byReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.volume) units over \($0.value.demands) demands" }
                    .joined(separator: "; ")
            )
            if index == runs, let exportDimacs {
                let text = DIMACS.write(result.networks, comments: ["chanxiao-bench \(tier.rawValue) seed \(seed)", "optimum \(stats.totalCost)"])
                try text.write(toFile: exportDimacs, atomically: true, encoding: .utf8)
                print("  wrote \(exportDimacs)")
            }
        }
        print("peak memory (VmHWM): \(peakMemory())")
    }

    func format(_ duration: Duration) -> String {
        String(format: "%.3f s", duration.inSeconds)
    }

    func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    func peakMemory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return "unknown" }
        let kilobytes = Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "") ?? 0
        return String(format: "%.0f MiB", Double(kilobytes) / 1024)
    }
}

struct Stopwatch {
    private var mark = ContinuousClock.now

    mutating func lap() -> Duration {
        let now = ContinuousClock.now
        defer { mark = now }
        return now - mark
    }
}
