import ChanxiaoCore
import ChanxiaoDemo
import Foundation
import Testing

@testable import ChanxiaoScheduling

@Suite struct RotationOptimalityTests {
    /// Small instances against exhaustive search: the plan is never better than the optimum
    /// (it keeps the rules), the bound never above it, and a plan claiming optimality is optimal.
    @Test(arguments: 0..<80)
    func matchesBruteForce(seed: Int) throws {
        let seed = UInt64(seed)
        let instance = RandomRotation.make(
            seed: seed + 5000,
            counties: 2...5,
            weeks: 1...4,
            maxProductsPerSupplier: 2,
            blackoutChance: 1,
            publishedChance: 1
        )
        var random = SplitMix64(seed: seed ^ 0x5EED)
        // Sometimes one valid pin.
        var pins: [RotationRequest.Pin] = []
        if random.chance(1, in: 3) {
            let week = random.pick(instance.planWeeks)
            let choices =
                instance.blackout.contains(week)
                ? []
                : instance.counties.flatMap { county in
                    RotationOracle.validProducts(of: county.code, week: week, instance: instance).map { (county.code, $0.id) }
                }
            if !choices.isEmpty {
                let (county, product) = random.pick(choices)
                pins = [RotationRequest.Pin(week: week, countyCode: county, productID: product)]
            }
        }
        let optimum = RotationOracle.bruteForceOptimum(instance, pins: pins)
        let result = Result { try RotationPlanner.plan(instance.request(pinned: pins), catalog: instance.catalog, state: instance.state) }
        switch result {
        case .success(let plan):
            checkHardRules(plan, instance, pins: pins, seed: seed)
            let best = try #require(optimum, "seed \(seed): a plan exists, exhaustive search found none")
            #expect(thousandths(plan.total) >= best, "seed \(seed)")
            #expect(thousandths(plan.bound) <= best, "seed \(seed): bound above the optimum")
            if plan.optimal { #expect(thousandths(plan.total) == best, "seed \(seed): claims optimal, optimum is \(best)") }
        case .failure(let error):
            checkRefusal(error, seed: seed)
            if !RotationOracle.candidates(instance, pins: pins).isEmpty {
                #expect(optimum == nil, "seed \(seed): refused, yet \(String(describing: optimum)) is reachable: \(error)")
            }
        }
    }
}
