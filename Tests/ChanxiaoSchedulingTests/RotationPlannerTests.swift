import ChanxiaoCore
import ChanxiaoDemo
import Foundation
import Testing

@testable import ChanxiaoScheduling

/// Checks a successful plan against every hard rule, re-implemented in `RotationOracle`.
func checkHardRules(
    _ plan: RotationPlan,
    _ instance: RotationInstance,
    pins: [RotationRequest.Pin],
    seed: UInt64,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let weeks = instance.planWeeks
    let index = Dictionary(uniqueKeysWithValues: weeks.enumerated().map { ($0.element, $0.offset) })
    let blackout = Set(instance.blackout)
    let pinByWeek = Dictionary(uniqueKeysWithValues: pins.map { ($0.week, $0) })
    let candidates = RotationOracle.candidates(instance, pins: pins)
    #expect(plan.cycleLength == candidates.count, "seed \(seed): cycle is the number of candidate counties", sourceLocation: sourceLocation)
    #expect(plan.candidateCount == candidates.count, "seed \(seed)", sourceLocation: sourceLocation)
    #expect(Set(plan.blackoutWeeks) == blackout, "seed \(seed)", sourceLocation: sourceLocation)

    // At most one slot per week, only weeks of the plan.
    let slotWeeks = plan.slots.map(\.week)
    #expect(Set(slotWeeks).count == slotWeeks.count, "seed \(seed): two slots in one week", sourceLocation: sourceLocation)
    for slot in plan.slots {
        guard index[slot.week] != nil else {
            Issue.record("seed \(seed): slot in \(slot.week), outside the plan", sourceLocation: sourceLocation)
            continue
        }
        #expect(!blackout.contains(slot.week), "seed \(seed): slot in blackout week \(slot.week)", sourceLocation: sourceLocation)
        #expect(candidates.contains(slot.countyCode), "seed \(seed): \(slot.countyCode) is not a candidate", sourceLocation: sourceLocation)
        guard let product = instance.products.first(where: { $0.id == slot.productID }) else {
            Issue.record("seed \(seed): unknown product \(slot.productID)", sourceLocation: sourceLocation)
            continue
        }
        let problem = RotationOracle.violation(product, county: slot.countyCode, week: slot.week, instance: instance)
        #expect(problem == nil, "seed \(seed), \(slot.week): \(problem ?? "")", sourceLocation: sourceLocation)
        #expect(slot.category == product.category, "seed \(seed)", sourceLocation: sourceLocation)
        #expect(slot.pinned == (pinByWeek[slot.week] != nil), "seed \(seed): pinned flag of \(slot.week)", sourceLocation: sourceLocation)
    }
    // Every open week filled; pinned weeks exactly as pinned.
    for week in weeks where !blackout.contains(week) {
        #expect(slotWeeks.contains(week), "seed \(seed): open week \(week) left empty", sourceLocation: sourceLocation)
    }
    for pin in pins {
        let slot = plan.slots.first { $0.week == pin.week }
        #expect(
            slot?.countyCode == pin.countyCode && slot?.productID == pin.productID,
            "seed \(seed): pin \(pin.week) not kept",
            sourceLocation: sourceLocation
        )
    }
    // Each county at most once per cycle of `cycleLength` weeks from the first week.
    let cycle = max(1, plan.cycleLength)
    var seen: Set<String> = []
    for slot in plan.slots {
        let key = "\(index[slot.week].map { $0 / cycle } ?? -1)/\(slot.countyCode)"
        #expect(seen.insert(key).inserted, "seed \(seed): \(slot.countyCode) twice in cycle of \(slot.week)", sourceLocation: sourceLocation)
    }
    // Every candidate without a slot is reported unplaced, with a reason; no other county is.
    let placed = Set(plan.slots.map(\.countyCode))
    #expect(Set(plan.unplaced.map(\.countyCode)) == Set(candidates).subtracting(placed), "seed \(seed): unplaced", sourceLocation: sourceLocation)
    #expect(plan.unplaced.allSatisfy { !$0.reason.isEmpty }, "seed \(seed)", sourceLocation: sourceLocation)
    // The reported points are those of the plan, and the bound no more than the total.
    let slots = plan.slots.compactMap { slot -> RotationOracle.Slot? in
        guard let t = index[slot.week], let product = instance.products.first(where: { $0.id == slot.productID }) else { return nil }
        return RotationOracle.Slot(week: t, county: slot.countyCode, product: product)
    }
    let expected = RotationOracle.points(slots, instance: instance)
    for term in RotationTerm.allCases {
        #expect(plan.score[term].map(thousandths) == expected[term], "seed \(seed): \(term) points", sourceLocation: sourceLocation)
    }
    #expect(thousandths(plan.total) == RotationOracle.total(slots, instance: instance), "seed \(seed): total", sourceLocation: sourceLocation)
    #expect(plan.bound <= plan.total, "seed \(seed)", sourceLocation: sourceLocation)
}

/// Checks a refusal: a `ValidationFailure` whose errors each name a field.
@discardableResult
func checkRefusal(_ error: any Error, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) -> ValidationFailure? {
    guard let failure = error as? ValidationFailure else {
        Issue.record("seed \(seed): threw \(error), not a ValidationFailure", sourceLocation: sourceLocation)
        return nil
    }
    #expect(!failure.errors.isEmpty, "seed \(seed)", sourceLocation: sourceLocation)
    for fieldError in failure.errors {
        #expect(!fieldError.field.isEmpty && !fieldError.message.isEmpty, "seed \(seed): \(fieldError)", sourceLocation: sourceLocation)
    }
    return failure
}

@Suite struct RotationPropertyTests {
    /// Random instances, planned bare, with pins taken from a feasible plan, and with pins chosen
    /// valid at random: every plan keeps every hard rule; refusals name their field, and come
    /// exactly when no assignment keeps the rules.
    @Test(arguments: 0..<200)
    func plansKeepEveryHardRule(seed: Int) throws {
        let seed = UInt64(seed)
        let instance = RandomRotation.make(seed: seed, counties: 4...15, weeks: 3...20)
        var random = SplitMix64(seed: seed ^ 0xABCD)

        // 1. No pins.
        let feasible = RotationOracle.isFeasible(instance, pins: [])
        var bare: RotationPlan?
        do {
            let plan = try RotationPlanner.plan(instance.request(), catalog: instance.catalog, state: instance.state)
            checkHardRules(plan, instance, pins: [], seed: seed)
            #expect(feasible, "seed \(seed): planned an instance the oracle finds infeasible")
            bare = plan
        } catch {
            let failure = checkRefusal(error, seed: seed)
            let candidates = RotationOracle.candidates(instance, pins: [])
            if !candidates.isEmpty {
                #expect(!feasible, "seed \(seed): refused a feasible instance: \(error)")
                #expect(failure?.errors.map(\.field).allSatisfy { $0 == "weeks" } == true, "seed \(seed): \(error)")
            } else {
                #expect(failure?.errors.map(\.field) == ["county_codes"], "seed \(seed): \(error)")
            }
        }

        // 2. Pins taken from the bare plan: the bare plan keeps them, so planning must succeed.
        if let bare, !bare.slots.isEmpty {
            let chosen = bare.slots.filter { _ in random.chance(1, in: 3) }.prefix(3)
            let pins = chosen.map { RotationRequest.Pin(week: $0.week, countyCode: $0.countyCode, productID: $0.productID) }
            let plan = try RotationPlanner.plan(instance.request(pinned: Array(pins)), catalog: instance.catalog, state: instance.state)
            checkHardRules(plan, instance, pins: Array(pins), seed: seed)
        }

        // 3. Pins chosen valid at random (one county each, open weeks, rules kept): planned or refused as the oracle says.
        var pins: [RotationRequest.Pin] = []
        var pinnedCounties: Set<String> = []
        for week in instance.planWeeks where !instance.blackout.contains(week) && random.chance(1, in: 5) {
            let choices = instance.counties.filter { !pinnedCounties.contains($0.code) }.flatMap { county in
                RotationOracle.validProducts(of: county.code, week: week, instance: instance).map { (county.code, $0.id) }
            }
            guard !choices.isEmpty else { continue }
            let (county, product) = random.pick(choices)
            pins.append(RotationRequest.Pin(week: week, countyCode: county, productID: product))
            pinnedCounties.insert(county)
        }
        let feasibleWithPins = RotationOracle.isFeasible(instance, pins: pins)
        do {
            let plan = try RotationPlanner.plan(instance.request(pinned: pins), catalog: instance.catalog, state: instance.state)
            checkHardRules(plan, instance, pins: pins, seed: seed)
            #expect(feasibleWithPins, "seed \(seed): planned an instance the oracle finds infeasible")
        } catch {
            let failure = checkRefusal(error, seed: seed)
            if RotationOracle.candidates(instance, pins: pins).isEmpty {
                #expect(failure?.errors.map(\.field) == ["county_codes"], "seed \(seed): \(error)")
            } else {
                #expect(!feasibleWithPins, "seed \(seed): refused a feasible instance with pins: \(error)")
                #expect(failure?.errors.map(\.field).allSatisfy { $0 == "weeks" } == true, "seed \(seed): \(error)")
            }
        }
    }

    /// The generator must give the property test real work: plenty of feasible instances and
    /// some infeasible ones, with deep, paired, blacklisted, seasonal and expiring cases.
    @Test func generatorCoversTheCases() {
        var feasible = 0
        var deep = 0
        var paired = 0
        var blacklisted = 0
        var seasonal = 0
        var expiring = 0
        var blackout = 0
        for seed in 0..<200 {
            let instance = RandomRotation.make(seed: UInt64(seed), counties: 4...15, weeks: 3...20)
            if RotationOracle.isFeasible(instance, pins: []) && !RotationOracle.candidates(instance, pins: []).isEmpty { feasible += 1 }
            if instance.counties.contains(where: { $0.povertyStatus == .deep }) { deep += 1 }
            if instance.counties.contains(where: { $0.isPaired(withBuyerRegion: instance.venue.regionCode) }) { paired += 1 }
            if instance.suppliers.contains(where: \.blacklisted) { blacklisted += 1 }
            if instance.products.contains(where: { !$0.seasonMonths.isEmpty }) { seasonal += 1 }
            let last = instance.planWeeks.last!.sunday
            if instance.products.contains(where: { $0.certifiedUntil.map { $0 < last } ?? false }) { expiring += 1 }
            if !instance.blackout.isEmpty { blackout += 1 }
        }
        #expect(feasible >= 60, "only \(feasible) of 200 instances are feasible")
        #expect(feasible <= 190, "\(feasible) of 200 instances are feasible: too few refusals")
        for (name, count) in [
            ("deep", deep), ("paired", paired), ("blacklisted", blacklisted), ("seasonal", seasonal),
            ("expiring", expiring), ("blackout", blackout),
        ] {
            #expect(count >= 50, "\(name): \(count) of 200")
        }
    }

    /// Planning is a function of its input.
    @Test(arguments: 0..<20)
    func planningTwiceGivesTheSamePlan(seed: Int) throws {
        let instance = RandomRotation.make(seed: UInt64(seed) + 1000, counties: 4...10, weeks: 3...12)
        let first = Result { try RotationPlanner.plan(instance.request(), catalog: instance.catalog, state: instance.state) }
        // A catalog built from the same entities in another order plans the same.
        let shuffled = RotationCatalog(
            counties: instance.counties.reversed(),
            suppliers: instance.suppliers.reversed(),
            products: instance.products.reversed()
        )
        let second = Result { try RotationPlanner.plan(instance.request(), catalog: shuffled, state: instance.state) }
        switch (first, second) {
        case (.success(let a), .success(let b)): #expect(a == b, "seed \(seed)")
        case (.failure(let a), .failure(let b)): #expect(a as? ValidationFailure == b as? ValidationFailure, "seed \(seed)")
        default: Issue.record("seed \(seed): \(first) vs \(second)")
        }
    }
}
