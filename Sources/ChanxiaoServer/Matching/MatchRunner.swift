import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoMatching
import ChanxiaoRuntime
import ChanxiaoStore
import Crypto
import Dispatch
import Foundation
import Logging

/// Runs matching end to end: the catalog and the week's decisions from the store, the pure
/// matcher, and the result stored as proposals that supersede the week's earlier ones. The API,
/// the command line and the scheduler all run matching through this.
public struct MatchRunner: Sendable {
    let database: AppDatabase
    let config: ConfigStore
    let clock: any WallClock
    let logger: Logger

    public init(
        database: AppDatabase,
        config: ConfigStore,
        clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "chanxiao.matching")
    ) {
        self.database = database
        self.config = config
        self.clock = clock
        self.logger = logger
    }

    public struct Outcome: Sendable {
        public var run: MatchRun
        public var matches: [Match]
        /// The matcher's own result, with the flow problems it solved.
        public var result: MatchResult
        /// False for dry runs, which store nothing.
        public var stored: Bool
    }

    /// How many times a run is recomputed when buyers decide while it runs.
    static let attempts = 3

    public func run(week: IsoWeek, dryRun: Bool, trigger: String, actor: String, role: Role) async throws -> Outcome {
        // The configuration in force: a reload (SIGHUP, POST /v1/admin/reload) changes it.
        var attempt = 1
        while true {
            let config = self.config.current
            let started = clock.now()
            let timer = ContinuousClock.now
            // Before the catalog: a listing that changes after the snapshot is re-checked when the run is stored.
            let certificationMark = try await database.certificationMark()
            let catalog = try await database.catalogSnapshot()
            let decisions = try await database.weekDecisions(week, recentWeeks: config.matching.slowMoving.weeks)
            let state = WeekState(
                heldByProduct: decisions.heldByProduct,
                heldByDemand: decisions.heldByDemand,
                declined: Set(decisions.declined.map { DemandProduct(demandID: $0.demandID, productID: $0.productID) }),
                recentVolumeByProduct: decisions.recentByProduct,
                observedWeeks: decisions.observedWeeks
            )
            let input = MatchingCatalog(
                counties: catalog.counties,
                suppliers: catalog.suppliers,
                products: catalog.products,
                buyers: catalog.buyers,
                demands: catalog.demands
            )
            let result = await Self.compute(input, state: state, settings: config.matching, week: week)
            let elapsed = ContinuousClock.now - timer
            let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)

            let runID = Identifier.generate(prefix: "run", at: started)
            let matches = Self.proposals(
                result,
                runID: runID,
                proposedAt: started,
                expiresAt: started.addingTimeInterval(Double(config.matchingLifecycle.proposalTTLHours) * 3600)
            )
            let run = MatchRun(
                id: runID,
                week: week,
                trigger: trigger,
                actor: actor,
                configHash: ConfigDigest.hash(config),
                startedAt: started,
                durationMilliseconds: milliseconds,
                proposals: matches.count,
                stats: Self.json(result.stats),
                unmet: .array(result.unmet.map(Self.json))
            )
            if dryRun {
                Self.record(run, result: result, stored: false, elapsed: ContinuousClock.now - timer)
                return Outcome(run: run, matches: matches, result: result, stored: false)
            }
            do {
                let stored = try await database.recordRun(
                    run,
                    matches: matches,
                    basedOn: decisions.version,
                    certificationMark: certificationMark,
                    context: WriteContext(actor: actor, role: role, now: clock.now(), zone: config.zone)
                )
                Self.record(stored.run, result: result, stored: true, elapsed: ContinuousClock.now - timer)
                return Outcome(run: stored.run, matches: stored.matches, result: result, stored: true)
            } catch StoreError.conflict where attempt < Self.attempts {
                attempt += 1
            }
        }
    }

    /// The matcher's allocations as proposals to store, with ids that sort in allocation order.
    public static func proposals(_ result: MatchResult, runID: String, proposedAt: Date, expiresAt: Date) -> [Match] {
        result.allocations.enumerated().map { index, allocation in
            Match(
                id: Identifier.generate(prefix: "mat", at: proposedAt, offset: index),
                runID: runID,
                week: result.week,
                demandID: allocation.demandID,
                buyerID: allocation.buyerID,
                productID: allocation.productID,
                supplierID: allocation.supplierID,
                countyCode: allocation.countyCode,
                volume: allocation.volume,
                unitPriceFen: allocation.unitPriceFen,
                unitCost: allocation.cost.total,
                costBreakdown: ScoreTerm.allCases.map { ($0.rawValue, allocation.cost[$0]) },
                proposedAt: proposedAt,
                expiresAt: expiresAt
            )
        }
    }

    /// Matching is CPU-bound; it runs on a dispatch queue so that it never holds the threads that
    /// serve requests.
    static func compute(_ catalog: MatchingCatalog, state: WeekState, settings: MatchingSettings, week: IsoWeek) async -> MatchResult {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: Matcher.run(catalog: catalog, state: state, settings: settings, week: week))
            }
        }
    }

    static func record(_ run: MatchRun, result: MatchResult, stored: Bool, elapsed: Duration) {
        DaemonMetrics.matchRun(
            trigger: run.trigger,
            stored: stored,
            duration: elapsed,
            proposals: run.proposals,
            matchedVolume: result.stats.matchedVolume,
            unmetVolume: result.stats.unmetVolume
        )
    }

    static func json(_ stats: MatchStats) -> JSONValue {
        .object([
            "demands": .int(Int64(stats.demands)), "demand_volume": .int(Int64(stats.demandVolume)),
            "held_volume": .int(Int64(stats.heldVolume)), "matched_volume": .int(Int64(stats.matchedVolume)),
            "unmet_volume": .int(Int64(stats.unmetVolume)),
            "fill_ratio": .double(
                stats.demandVolume == 0 ? 1 : (Double(stats.matchedVolume) / Double(stats.demandVolume) * 10_000).rounded() / 10_000
            ),
            "objective_fen": .double(Match.fen(stats.totalCost)), "proposed_cost_fen": .double(Match.fen(stats.proposedCost)),
            "volume_lost_to_supplier_cap": .int(Int64(stats.volumeLostToSupplierCap)), "repair_rounds": .int(Int64(stats.repairRounds)),
            "groups": .int(Int64(stats.groups)), "nodes": .int(Int64(stats.nodes)), "arcs": .int(Int64(stats.arcs)),
        ])
    }

    static func json(_ outcome: DemandOutcome) -> JSONValue {
        .object([
            "demand_id": .string(outcome.demandID), "buyer_id": .string(outcome.buyerID),
            "category": .string(outcome.category.rawValue), "unit": .string(outcome.unit.rawValue),
            "weekly_volume": .int(Int64(outcome.weeklyVolume)), "held": .int(Int64(outcome.held)),
            "matched": .int(Int64(outcome.matched)), "unmet": .int(Int64(outcome.unmet)),
            "candidates": .int(Int64(outcome.candidates)), "reason": .string(outcome.reason.rawValue),
            "removed_by_filter": .object(Dictionary(uniqueKeysWithValues: outcome.removed.map { ($0.key.rawValue, JSONValue.int(Int64($0.value))) })),
        ])
    }
}
