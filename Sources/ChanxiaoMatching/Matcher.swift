import ChanxiaoCore
import Foundation

/// The matching pipeline: filters, scorers, the flow allocator and explanations. A pure
/// function of the catalog, the week's state, the settings and the week.
public enum Matcher {
    /// Re-solves after the first, to honour minimum orders and supplier caps, before what still
    /// breaks a rule is dropped.
    static let repairRounds = 4

    public static func run(
        catalog: MatchingCatalog,
        state: WeekState = WeekState(),
        settings: MatchingSettings = MatchingSettings(),
        week: IsoWeek
    ) -> MatchResult {
        let started = ContinuousClock.now
        var timings = MatchTimings()
        let model = CostModel(settings: settings)
        let counties = Dictionary(catalog.counties.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let suppliers = Dictionary(catalog.suppliers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let buyers = Dictionary(catalog.buyers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        // Products: the first product rule each fails, grouped by category and unit.
        struct Key: Hashable, Comparable {
            var category: ProductCategory
            var unit: MeasureUnit
            static func < (a: Key, b: Key) -> Bool { (a.category.rawValue, a.unit.rawValue) < (b.category.rawValue, b.unit.rawValue) }
        }
        var eligible: [Key: [ProductFacts]] = [:]
        var productsPerKey: [Key: Int] = [:]
        var removedByProductRule: [Key: [MatchFilter: Int]] = [:]
        for product in catalog.products {
            guard let supplier = suppliers[product.supplierID], let county = counties[supplier.countyCode] else { continue }
            let key = Key(category: product.category, unit: product.unit)
            productsPerKey[key, default: 0] += 1
            let facts = ProductFacts.evaluate(
                product,
                supplier: supplier,
                county: county,
                week: week,
                held: state.heldByProduct[product.id] ?? 0,
                settings: settings
            )
            if let rule = facts.failedRule {
                removedByProductRule[key, default: [:]][rule, default: 0] += 1
            } else {
                eligible[key, default: []].append(facts)
            }
        }

        // Demands active in the week with volume left after accepted matches.
        var stats = MatchStats()
        var demandsPerKey: [Key: [DemandFacts]] = [:]
        for demand in catalog.demands where demand.isActive(in: week) {
            guard let buyer = buyers[demand.buyerID] else { continue }
            // A volume stored before today's ranges counts as the range's top (see ProductFacts).
            let volume = min(demand.weeklyVolume, Quantity.volume.upperBound)
            let held = min(volume, state.heldByDemand[demand.id] ?? 0)
            stats.heldVolume += held
            let remaining = volume - held
            guard remaining > 0 else { continue }
            demandsPerKey[Key(category: demand.category, unit: demand.unit), default: []]
                .append(DemandFacts(demand: demand, buyer: buyer, remaining: remaining, held: held))
        }

        var pairedCache: [String: Set<String>] = [:]
        func pairedCounties(_ region: String) -> Set<String> {
            if let known = pairedCache[region] { return known }
            let paired = Set(catalog.counties.filter { $0.isPaired(withBuyerRegion: region) }.map(\.code))
            pairedCache[region] = paired
            return paired
        }
        let keys = demandsPerKey.keys.sorted()
        let groups = keys.map { key in
            GroupProblem(
                category: key.category,
                unit: key.unit,
                products: eligible[key] ?? [],
                demands: demandsPerKey[key]!,
                model: model,
                slowMoving: {
                    model.isSlowMoving($0, recentVolume: state.recentVolumeByProduct[$0.id] ?? 0, observedWeeks: state.observedWeeks)
                },
                pairedCounties: pairedCounties
            )
        }

        // Where each demand and product sits, for restrictions that name them by id.
        var demandPlace: [String: (group: Int, index: Int)] = [:]
        var productPlace: [String: (group: Int, index: Int)] = [:]
        for (g, group) in groups.enumerated() {
            for (d, facts) in group.demands.enumerated() { demandPlace[facts.demand.id] = (g, d) }
            for (p, facts) in group.products.enumerated() { productPlace[facts.product.id] = (g, p) }
        }
        // Integer keys for a buyer's category (its supplier cap applies across the category's
        // units) and for suppliers: repairs and results count over hundreds of thousands of allocations.
        let buyerNumber = Dictionary(catalog.buyers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let supplierNumber = Dictionary(catalog.suppliers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let categoryCount = ProductCategory.allCases.count
        let capKeys: [[Int]] = groups.map { group in
            let category = ProductCategory.allCases.firstIndex(of: group.category)!
            return group.demands.map { buyerNumber[$0.buyer.id]! * categoryCount + category }
        }
        let supplierKeys: [[Int]] = groups.map { group in group.products.map { supplierNumber[$0.supplier.id]! } }
        func maxSuppliers(_ capKey: Int) -> Int { catalog.buyers[capKey / categoryCount].maxSuppliersPerCategory }

        var restrictions = [[Int: DemandRestriction]](repeating: [:], count: groups.count)
        var declined = [[Int: Set<Int>]](repeating: [:], count: groups.count)
        var capacityLimits = [[Int: Int]](repeating: [:], count: groups.count)
        for pair in state.declined {
            guard let demand = demandPlace[pair.demandID], let product = productPlace[pair.productID], demand.group == product.group else { continue }
            restrictions[demand.group][demand.index, default: DemandRestriction()].excluded.insert(product.index)
            declined[demand.group][demand.index, default: []].insert(product.index)
        }

        timings.prepare = ContinuousClock.now - started
        var solutions = solveAll(groups, restrictions: restrictions, limits: capacityLimits, only: Set(groups.indices), previous: [])
        for solution in solutions { timings.add(solution.timings) }
        /// Volume per supplier for each buyer category, in the current solutions.
        func volumesBySupplier() -> [Int: [Int: Int]] {
            var volumes: [Int: [Int: Int]] = [:]
            for (g, solution) in solutions.enumerated() {
                for allocation in solution.allocations {
                    volumes[capKeys[g][allocation.demand], default: [:]][supplierKeys[g][allocation.product], default: 0] += allocation.volume
                }
            }
            return volumes
        }
        func describe(_ touched: Set<Int>) -> String {
            let simplex = touched.reduce(Duration.zero) { $0 + solutions[$1].timings.simplex }
            let arcs = touched.reduce(0) { $0 + solutions[$1].arcs }
            return "\(touched.count) groups re-solved (\(arcs) arcs, simplex \(simplex) summed)"
        }
        timings.repairLog.append(
            "first solve: \(groups.count) groups (\(solutions.reduce(0) { $0 + $1.arcs }) arcs, simplex \(solutions.reduce(Duration.zero) { $0 + $1.timings.simplex }) summed), done at \(ContinuousClock.now - started)"
        )

        // Minimum-order repair, for an allocation of x units below its product's minimum:
        // - x is a remainder the demand cannot take from any product whose minimum is above x, so
        //   the demand is limited to products with minimums up to x, plus those already supplying
        //   it validly (excluding one product at a time, the remainder would move from one such
        //   product to the next for many rounds);
        // - when the product is used up, x may also be its leftover, which no new demand can
        //   take: its capacity is trimmed to what its valid allocations use.
        func minimumOrderViolations() -> [(group: Int, demand: Int, product: Int, volume: Int)] {
            var found: [(Int, Int, Int, Int)] = []
            for (g, solution) in solutions.enumerated() {
                for allocation in solution.allocations where allocation.volume < groups[g].products[allocation.product].product.minOrder {
                    found.append((g, allocation.demand, allocation.product, allocation.volume))
                }
            }
            return found
        }
        func excludeBelowMinimum(_ violations: [(group: Int, demand: Int, product: Int, volume: Int)]) -> Set<Int> {
            for violation in violations {
                let (g, d, p, x) = violation
                let group = groups[g]
                let allocations = solutions[g].allocations
                let minimum = group.products[p].product.minOrder
                let ofProduct = allocations.filter { $0.product == p }
                if ofProduct.reduce(0, { $0 + $1.volume }) >= min(group.products[p].remainingCapacity, capacityLimits[g][p] ?? Int.max) {
                    capacityLimits[g][p] = ofProduct.filter { $0.volume >= minimum }.reduce(0) { $0 + $1.volume }
                }
                var restriction = restrictions[g][d] ?? DemandRestriction()
                restriction.minimumOrderCap = min(restriction.minimumOrderCap ?? Int.max, x)
                restriction.kept.formUnion(
                    allocations.filter { $0.demand == d && $0.volume >= group.products[$0.product].product.minOrder }.map(\.product)
                )
                restriction.kept.remove(p)
                restrictions[g][d] = restriction
            }
            return Set(violations.map(\.group))
        }
        // What the first solve matched validly (at or above minimum orders), per demand: the
        // measure of what supplier caps cost.
        var matchedBeforeCapsByDemand = groups.map { [Int](repeating: 0, count: $0.demands.count) }
        for (g, solution) in solutions.enumerated() {
            for allocation in solution.allocations where allocation.volume >= groups[g].products[allocation.product].product.minOrder {
                matchedBeforeCapsByDemand[g][allocation.demand] += allocation.volume
            }
        }
        let matchedBeforeCaps = matchedBeforeCapsByDemand.reduce(0) { $0 + $1.reduce(0, +) }

        // Supplier caps: when some buyer uses more suppliers in a category than it allows, every
        // buyer category that got volume is held to its suppliers — the ones it got most from, up
        // to its cap. (Holding only the offenders does not settle: the re-solve moves volume and
        // others go over their caps in turn.) The first repair round fixes minimum orders and caps
        // together, so that one re-solve serves both; later rounds hold the buyer categories that
        // only then got volume. Minimum orders are repaired once: each re-solve moves volume among
        // many demands and makes new small remainders, and what is still below minimum afterwards
        // is a tiny share of the volume (dropped below, reported as min_order).
        var capped: Set<Int> = []  // cap keys
        var rounds = 0
        while rounds < repairRounds {
            var touched: Set<Int> = []
            var found: [String] = []
            if rounds == 0 {
                let violations = minimumOrderViolations()
                if !violations.isEmpty {
                    touched.formUnion(excludeBelowMinimum(violations))
                    found.append("\(violations.count) allocations below minimum order")
                }
            }
            let bySupplier = volumesBySupplier()
            let overCap = bySupplier.filter { key, volumes in !capped.contains(key) && volumes.count > maxSuppliers(key) }.count
            if overCap > 0 {
                var held: [Int: Set<String>] = [:]
                for (key, volumes) in bySupplier where !capped.contains(key) {
                    held[key] = Set(topSuppliers(volumes, maxSuppliers(key)).map { catalog.suppliers[$0].id })
                    capped.insert(key)
                }
                for (g, group) in groups.enumerated() {
                    for d in group.demands.indices {
                        guard let kept = held[capKeys[g][d]] else { continue }
                        restrictions[g][d, default: DemandRestriction()].allowedSuppliers = kept
                        touched.insert(g)
                    }
                }
                found.append("\(overCap) buyer categories over their supplier cap, \(held.count) held to their suppliers")
            }
            if touched.isEmpty { break }
            solutions = solveAll(groups, restrictions: restrictions, limits: capacityLimits, only: touched, previous: solutions)
            for g in touched { timings.add(solutions[g].timings) }
            timings.repairLog.append(found.joined(separator: "; ") + ": " + describe(touched) + ", done at \(ContinuousClock.now - started)")
            rounds += 1
        }
        stats.repairRounds = rounds

        // Results: allocations that keep every rule. Repairs end well before the round limit in
        // practice; should they not, what still breaks a rule is dropped here.
        var allowedSuppliers: [Int: Set<Int>] = [:]
        for (key, volumes) in volumesBySupplier() where volumes.count > maxSuppliers(key) {
            allowedSuppliers[key] = topSuppliers(volumes, maxSuppliers(key))
        }
        var allocations: [MatchAllocation] = []
        var matchedByDemand = groups.map { [Int](repeating: 0, count: $0.demands.count) }
        for (g, solution) in solutions.enumerated() {
            let group = groups[g]
            for allocation in solution.allocations {
                let demand = group.demands[allocation.demand]
                let product = group.products[allocation.product]
                guard allocation.volume >= product.product.minOrder,
                    allowedSuppliers[capKeys[g][allocation.demand]].map({ $0.contains(supplierKeys[g][allocation.product]) }) ?? true
                else { continue }
                var cost = group.baseCost[allocation.product]
                if group.isPaired(allocation.demand, allocation.product) { cost.paired = group.pairedDiscount[allocation.product] }
                cost.spread = solution.spreadPerUnit[group.countyOfProduct[allocation.product]]
                allocations.append(
                    MatchAllocation(
                        demandID: demand.demand.id,
                        buyerID: demand.buyer.id,
                        productID: product.product.id,
                        supplierID: product.supplier.id,
                        countyCode: product.county.code,
                        category: group.category,
                        unit: group.unit,
                        volume: allocation.volume,
                        unitPriceFen: product.product.unitPriceFen,
                        cost: cost
                    )
                )
                matchedByDemand[g][allocation.demand] += allocation.volume
            }
            stats.totalCost += solution.cost
            stats.nodes += solution.nodes
            stats.arcs += solution.arcs
        }
        // Allocations come in a fixed order: by group, then demand id, then product price and id.
        stats.proposedCost = allocations.reduce(Int128(0)) { $0 + Int128($1.volume) * Int128($1.cost.total) }

        // Explanations for every demand not fully met.
        var unmet: [DemandOutcome] = []
        for (g, group) in groups.enumerated() {
            let key = Key(category: group.category, unit: group.unit)
            for (d, facts) in group.demands.enumerated() {
                stats.demands += 1
                stats.demandVolume += facts.remaining
                let matched = matchedByDemand[g][d]
                guard matched < facts.remaining else { continue }
                var removed: [MatchFilter: Int] = [:]
                let others = catalog.products.count - (productsPerKey[key] ?? 0)
                if others > 0 { removed[.categoryUnit] = others }
                for (rule, count) in removedByProductRule[key] ?? [:] { removed[rule] = count }
                var candidates = 0
                for (p, product) in group.products.enumerated() {
                    let item = product.product
                    let rule: MatchFilter? =
                        MatchFilter.pairFailure(item, demand: facts.demand, remaining: facts.remaining)
                        ?? (declined[g][d]?.contains(p) == true ? .declined : nil)
                    if let rule { removed[rule, default: 0] += 1 } else { candidates += 1 }
                }
                // The cap is the reason only where holding the buyer to its suppliers cost this demand volume.
                let reason: UnmetReason =
                    candidates == 0
                    ? .noCandidates
                    : matched < matchedBeforeCapsByDemand[g][d]
                        ? .supplierCap
                        : restrictions[g][d]?.minimumOrderCap != nil
                            ? .minOrder
                            : .capacityTakenByOthers
                unmet.append(
                    DemandOutcome(
                        demandID: facts.demand.id,
                        buyerID: facts.buyer.id,
                        category: group.category,
                        unit: group.unit,
                        weeklyVolume: facts.demand.weeklyVolume,
                        held: facts.held,
                        matched: matched,
                        unmet: facts.remaining - matched,
                        candidates: candidates,
                        removed: removed,
                        reason: reason
                    )
                )
            }
        }
        unmet.sort { $0.demandID < $1.demandID }
        stats.groups = groups.count
        stats.matchedVolume = matchedByDemand.reduce(0) { $0 + $1.reduce(0, +) }
        stats.unmetVolume = stats.demandVolume - stats.matchedVolume
        stats.volumeLostToSupplierCap = max(0, matchedBeforeCaps - stats.matchedVolume)
        timings.total = ContinuousClock.now - started
        return MatchResult(
            week: week,
            timings: timings,
            allocations: allocations,
            unmet: unmet,
            stats: stats,
            networks: solutions.map(\.network)
        )
    }

    /// The `count` suppliers a buyer got most volume from (ties by supplier number).
    private static func topSuppliers(_ volumes: [Int: Int], _ count: Int) -> Set<Int> {
        Set(volumes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(count).map(\.key))
    }

    /// Solves the groups in `only` (in parallel), keeping the previous solutions of the others.
    /// The largest start first, so that no core waits alone on a big group at the end.
    private static func solveAll(
        _ groups: [GroupProblem],
        restrictions: [[Int: DemandRestriction]],
        limits: [[Int: Int]] = [],
        only: Set<Int>,
        previous: [GroupSolution]
    ) -> [GroupSolution] {
        let indices = groups.indices.filter { only.contains($0) }
            .sorted { (groups[$0].products.count * groups[$0].demands.count, $1) > (groups[$1].products.count * groups[$1].demands.count, $0) }
        let results = ParallelResults<GroupSolution>(count: groups.count)
        DispatchQueue.concurrentPerform(iterations: indices.count) { item in
            let g = indices[item]
            results.set(g, groups[g].solve(restrictions: restrictions[g], capacityLimits: limits.isEmpty ? [:] : limits[g]))
        }
        return groups.indices.map { results.value(at: $0) ?? previous[$0] }
    }
}

/// Slots written once each by parallel workers, read after they finish.
private final class ParallelResults<Value>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) { lock.withLock { slots[index] = value } }
    func value(at index: Int) -> Value? { lock.withLock { slots[index] } }
}
