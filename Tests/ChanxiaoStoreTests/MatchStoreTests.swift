import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Testing

@Suite struct MatchStoreTests {
    static let week = IsoWeek(year: 2020, week: 36)!

    static func run(_ id: String) -> MatchRun {
        MatchRun(
            id: id,
            week: week,
            trigger: "cli",
            actor: "cli:test",
            configHash: String(repeating: "0", count: 64),
            startedAt: Fixtures.now,
            durationMilliseconds: 5,
            proposals: 0,
            stats: .object([:]),
            unmet: .array([])
        )
    }

    static func match(
        _ id: String,
        run: String,
        demand: String = "dem-rice",
        buyer: String = "buy-canteen",
        product: String = "prd-rice",
        volume: Int
    ) -> Match {
        Match(
            id: id,
            runID: run,
            week: week,
            demandID: demand,
            buyerID: buyer,
            productID: product,
            supplierID: "sup-coop",
            countyCode: "451026",
            volume: volume,
            unitPriceFen: 800,
            unitCost: 80_000,
            costBreakdown: [("price", 80_000)],
            proposedAt: Fixtures.now,
            expiresAt: Fixtures.now.addingTimeInterval(3600)
        )
    }

    /// A second demand for rice, from the union, so that two demands compete for prd-rice (capacity 5000).
    static func database() async throws -> AppDatabase {
        let database = try await Fixtures.database()
        var other = Fixtures.riceDemand
        other.id = "dem-rice-2"
        other.buyerID = "buy-union"
        other.weeklyVolume = 4000
        other.startsOn = CalendarDate("2020-07-01")!
        try await database.create(other, context: Fixtures.context)
        return database
    }

    @Test func acceptingNeverOverAllocatesAProduct() async throws {
        let database = try await Self.database()
        try await database.recordRun(
            Self.run("run-1"),
            matches: [
                Self.match("m1", run: "run-1", volume: 300),
                Self.match("m2", run: "run-1", demand: "dem-rice-2", buyer: "buy-union", volume: 4000),
                Self.match("m3", run: "run-1", demand: "dem-rice-2", buyer: "buy-union", volume: 900),
            ],
            basedOn: "0:",
            context: Fixtures.context
        )
        _ = try await database.decide(matchID: "m2", accept: true, context: Fixtures.context)
        _ = try await database.decide(matchID: "m1", accept: true, context: Fixtures.context)
        // 300 + 4000 of 5000 held: 900 more would exceed the capacity — and the demand's 4000.
        await #expect(throws: StoreError.self) {
            try await database.decide(matchID: "m3", accept: true, context: Fixtures.context)
        }
        #expect(try await database.match(id: "m3")?.status == .proposed)
        let decisions = try await database.weekDecisions(Self.week, recentWeeks: 4)
        #expect(decisions.heldByProduct == ["prd-rice": 4300])
        #expect(decisions.heldByDemand == ["dem-rice": 300, "dem-rice-2": 4000])
    }

    @Test func theProductsCapacityIsCheckedAtAcceptance() async throws {
        let database = try await Self.database()
        try await database.recordRun(
            Self.run("run-1"),
            matches: [
                Self.match("m1", run: "run-1", demand: "dem-rice-2", buyer: "buy-union", volume: 4000),
                Self.match("m2", run: "run-1", volume: 300),
            ],
            basedOn: "0:",
            context: Fixtures.context
        )
        // The supplier lowers its capacity after the run: accepting what no longer fits is refused.
        _ = try await database.update(Product.self, id: "prd-rice", context: Fixtures.context) { product in
            var smaller = product
            smaller.weeklyCapacity = 4200
            return smaller
        }
        _ = try await database.decide(matchID: "m1", accept: true, context: Fixtures.context)
        await #expect(throws: StoreError.conflict("product prd-rice has 200 of 4200 left for 2020-W36; this match needs 300")) {
            try await database.decide(matchID: "m2", accept: true, context: Fixtures.context)
        }
    }

    @Test func aRunBasedOnStaleDecisionsIsRefused() async throws {
        let database = try await Self.database()
        let before = try await database.weekDecisions(Self.week, recentWeeks: 4)
        try await database.recordRun(
            Self.run("run-1"),
            matches: [Self.match("m1", run: "run-1", volume: 300)],
            basedOn: before.version,
            context: Fixtures.context
        )
        let read = try await database.weekDecisions(Self.week, recentWeeks: 4)
        _ = try await database.decide(matchID: "m1", accept: false, context: Fixtures.context)
        await #expect(throws: StoreError.self) {
            try await database.recordRun(Self.run("run-2"), matches: [], basedOn: read.version, context: Fixtures.context)
        }
        #expect(try await database.matchRun(id: "run-2") == nil)
        let fresh = try await database.weekDecisions(Self.week, recentWeeks: 4)
        #expect(fresh.declined.map(\.productID) == ["prd-rice"])
        try await database.recordRun(Self.run("run-2"), matches: [], basedOn: fresh.version, context: Fixtures.context)
    }

    @Test func proposalsExpireAndOnlyProposedOnesAreSuperseded() async throws {
        let database = try await Self.database()
        try await database.recordRun(
            Self.run("run-1"),
            matches: [
                Self.match("m1", run: "run-1", volume: 100), Self.match("m2", run: "run-1", volume: 100),
            ],
            basedOn: "0:",
            context: Fixtures.context
        )
        _ = try await database.decide(matchID: "m1", accept: true, context: Fixtures.context)
        let version = try await database.weekDecisions(Self.week, recentWeeks: 4).version
        try await database.recordRun(
            Self.run("run-2"),
            matches: [Self.match("m3", run: "run-2", volume: 50)],
            basedOn: version,
            context: Fixtures.context
        )
        #expect(try await database.match(id: "m1")?.status == .accepted)
        #expect(try await database.match(id: "m2")?.status == .superseded)
        #expect(try await database.expireProposals(now: Fixtures.now.addingTimeInterval(1800)) == 0)
        #expect(try await database.expireProposals(now: Fixtures.now.addingTimeInterval(3600)) == 1)
        #expect(try await database.match(id: "m3")?.status == .expired)
        let audit = try await database.auditEntries(limit: 10).entries.map(\.action)
        #expect(audit.prefix(3) == ["match_run.create", "match.accept", "match_run.create"])
    }

    @Test func slowMovingHistoryCountsAcceptedVolumeOfEarlierWeeks() async throws {
        let database = try await Self.database()  // dem-rice-2 runs from July, so earlier weeks can be accepted
        for (offset, volume) in [(1, 100), (2, 200), (6, 250)] {
            let week = Self.week.adding(weeks: -offset)
            var run = Self.run("run-\(offset)")
            run.week = week
            var match = Self.match("m\(offset)", run: run.id, demand: "dem-rice-2", buyer: "buy-union", volume: volume)
            match.week = week
            try await database.recordRun(run, matches: [match], basedOn: "0:", context: Fixtures.context)
            _ = try await database.decide(matchID: match.id, accept: true, context: Fixtures.context)
        }
        let decisions = try await database.weekDecisions(Self.week, recentWeeks: 4)
        #expect(decisions.recentByProduct == ["prd-rice": 300])  // week -6 is outside the four weeks
        #expect(decisions.observedWeeks == 2)
        #expect(decisions.heldByProduct.isEmpty)
    }
}
