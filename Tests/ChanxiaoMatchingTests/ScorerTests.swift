import ChanxiaoCore
import Testing

@testable import ChanxiaoMatching

/// Every preference is a change of the effective unit price; each test shows how a setting
/// changes which product a buyer is offered (the examples of docs/matching.md).
@Suite struct ScorerTests {
    /// Two rice products for a Shenzhen canteen: 那坡 (deep poverty, paired with 深圳) at
    /// 8.60 yuan/kg and 定远 (provincial, not paired) at 8.00 yuan/kg.
    static func catalog(volume: Int = 100) -> MatchingCatalog {
        MatchingCatalog(
            counties: [MF.county("451026", .deep, paired: ["440300"]), MF.county("341125", .provincial)],
            suppliers: [MF.supplier("napo", county: "451026"), MF.supplier("dingyuan", county: "341125")],
            products: [
                MF.product("napo-rice", supplier: "napo", price: 860, capacity: 1000),
                MF.product("dingyuan-rice", supplier: "dingyuan", price: 800, capacity: 1000),
            ],
            buyers: [MF.buyer("canteen", region: "440304")],
            demands: [MF.demand("rice", buyer: "canteen", volume: volume, ceiling: 1000)]
        )
    }

    static func chosen(_ settings: MatchingSettings, state: WeekState = WeekState(), volume: Int = 100) -> [String: Int] {
        let result = Matcher.run(catalog: catalog(volume: volume), state: state, settings: settings, week: MF.week)
        return Dictionary(uniqueKeysWithValues: result.allocations.map { ($0.productID, $0.volume) })
    }

    @Test func priceAloneTakesTheCheapest() {
        #expect(Self.chosen(MF.priceOnly) == ["dingyuan-rice": 100])
    }

    @Test func pairingAtTenPercentMakesThePairedCountyCheaper() {
        var settings = MF.priceOnly
        settings.paired.enabled = true  // 8.60 × 0.9 = 7.74 < 8.00
        #expect(Self.chosen(settings) == ["napo-rice": 100])
        settings.paired.share = 0.05  // 8.60 × 0.95 = 8.17 > 8.00
        #expect(Self.chosen(settings) == ["dingyuan-rice": 100])
    }

    @Test func deepPovertyAndSlowMovingAddUp() {
        var settings = MF.priceOnly
        settings.deepPoverty.enabled = true  // 8.60 × 0.95 = 8.17: not enough alone
        #expect(Self.chosen(settings) == ["dingyuan-rice": 100])
        settings.slowMoving.enabled = true  // 那坡 sold nothing lately, 定远 sold plenty: 8.60 × 0.90 = 7.74
        let state = WeekState(recentVolumeByProduct: ["napo-rice": 0, "dingyuan-rice": 4000])
        #expect(Self.chosen(settings, state: state) == ["napo-rice": 100])
    }

    @Test func spreadSharesALargeDemandBetweenCounties() {
        var settings = MF.priceOnly
        settings.spread.enabled = true
        settings.spread.firstShare = 0.5
        settings.spread.firstSurcharge = 0.10  // beyond half of the demand, 定远's extra units count 10% dearer
        settings.spread.secondShare = 1.0
        #expect(Self.chosen(settings) == ["dingyuan-rice": 50, "napo-rice": 50])
    }

    @Test func theBreakdownAddsUpToTheEffectiveCost() throws {
        let settings = MatchingSettings()  // everything on, defaults
        let state = WeekState(recentVolumeByProduct: ["napo-rice": 0, "dingyuan-rice": 4000])
        let result = Matcher.run(catalog: Self.catalog(), state: state, settings: settings, week: MF.week)
        let napo = try #require(result.allocations.first { $0.productID == "napo-rice" })
        #expect(napo.cost.price == 86_000)
        #expect(napo.cost.paired == -8_600)
        #expect(napo.cost.deepPoverty == -4_300)
        #expect(napo.cost.slowMoving == -4_300)
        #expect(napo.cost.total == napo.cost.price + napo.cost.paired + napo.cost.deepPoverty + napo.cost.slowMoving + napo.cost.spread)
        #expect(result.stats.totalCost == result.allocations.reduce(Int128(0)) { $0 + Int128($1.volume * $1.cost.total) })
    }

    @Test(arguments: [
        (0.0, 0), (0.5, 800 * 50), (1.0, 800 * 100), (2.0, 800 * 200),
    ])
    func thePriceWeightScalesThePriceTerm(weight: Double, expected: Int) {
        let model = CostModel(
            settings: {
                var s = MF.priceOnly
                s.price.share = weight
                return s
            }()
        )
        let facts = ProductFacts(
            product: Self.catalog().products[1],
            supplier: Self.catalog().suppliers[1],
            county: Self.catalog().counties[1],
            remainingCapacity: 1000,
            failedRule: nil
        )
        #expect(model.base(facts, slowMoving: false).price == expected)
    }

    @Test(arguments: [
        (0, 10, true), (999, 10, true), (1000, 10, false), (4000, 10, false),
    ])
    func slowMovingIsBelowAShareOfCapacity(recent: Int, capacity: Int, slow: Bool) {
        // weeks 4 × capacity 1000 × 0.25 = 1000 units
        let model = CostModel(settings: MatchingSettings())
        let product = MF.product("p", supplier: "s", price: 100, capacity: 1000)
        #expect(model.isSlowMoving(product, recentVolume: recent, observedWeeks: 4) == slow)
    }

    @Test func withoutHistoryNothingIsSlowMoving() {
        let model = CostModel(settings: MatchingSettings())
        let product = MF.product("p", supplier: "s", price: 100, capacity: 1000)
        #expect(!model.isSlowMoving(product, recentVolume: 0, observedWeeks: 0))
        // Judged over the weeks observed: one week of history, 200 of 1000 sold → below 25%.
        #expect(model.isSlowMoving(product, recentVolume: 200, observedWeeks: 1))
        #expect(!model.isSlowMoving(product, recentVolume: 250, observedWeeks: 1))
    }

    @Test func spreadTiersRiseAndEndUnbounded() {
        let tiers = CostModel(settings: MatchingSettings()).spreadTiers(groupVolume: 1000, referencePriceFen: 800)
        #expect(tiers.map(\.capacity) == [300, 200, FlowNetwork.unbounded])
        #expect(tiers.map(\.cost) == [0, 4_000, 16_000])
    }
}
