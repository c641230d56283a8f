import ChanxiaoCore
import Foundation

/// The matching pipeline: filters, scorers, the flow allocator and explanations. A pure
/// function of the catalog, the week's state, the settings and the week.
public enum Matcher {
    /// Re-solves allowed for repairs (minimum orders, supplier caps) before what still breaks
    /// a rule is dropped.
    static let maxRepairRounds = 20

    public static func run(catalog: MatchingCatalog, state: WeekState = WeekState(), settings: MatchingSettings = MatchingSettings(),
                           week: IsoWeek) -> MatchResult {
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
            let facts = ProductFacts.evaluate(product, supplier: supplier, county: county, week: week,
                                              held: state.heldByProduct[product.id] ?? 0, settings: settings)
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
            let held = min(demand.weeklyVolume, state.heldByDemand[demand.id] ?? 0)
            stats.heldVolume += held
            let remaining = demand.weeklyVolume - held
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
            GroupProblem(category: key.category, unit: key.unit, products: eligible[key] ?? [], demands: demandsPerKey[key]!, model: model,
                         slowMoving: {
                             model.isSlowMoving($0, recentVolume: state.recentVolumeByProduct[$0.id] ?? 0, observedWeeks: state.observedWeeks)
                         },
                         pairedCounties: pairedCounties)
        }

        // Where each demand and product sits, for restrictions that name them by id.
        var demandPlace: [String: (group: Int, index: Int)] = [:]
        var productPlace: [String: (group: Int, index: Int)] = [:]
        for (g, group) in groups.enumerated() {
            for (d, facts) in group.demands.enumerated() { demandPlace[facts.demand.id] = (g, d) }
            for (p, facts) in group.products.enumerated() { productPlace[facts.product.id] = (g, p) }
        }
        var restrictions = [[Int: DemandRestriction]](repeating: [:], count: groups.count)
        var declined = [[Int: Set<Int>]](repeating: [:], count: groups.count)
        var minOrderExcluded = [[Int: Set<Int>]](repeating: [:], count: groups.count)
        for pair in state.declined {
            guard let demand = demandPlace[pair.demandID], let product = productPlace[pair.productID], demand.group == product.group else { continue }
            restrictions[demand.group][demand.index, default: DemandRestriction()].excluded.insert(product.index)
            declined[demand.group][demand.index, default: []].insert(product.index)
        }

        var solutions = solveAll(groups, restrictions: restrictions, only: Set(groups.indices), previous: [])
        func matchedVolume() -> Int { solutions.reduce(0) { $0 + $1.allocations.reduce(0) { $0 + $1.volume } } }

        // Repairs. An allocation below the product's minimum order excludes that product for the
        // demand; then a buyer using more suppliers in a category than it allows keeps the ones
        // it got most from and the demands of that category are solved again within them.
        func minimumOrderViolations() -> [(group: Int, demand: Int, product: Int)] {
            var found: [(Int, Int, Int)] = []
            for (g, solution) in solutions.enumerated() {
                for allocation in solution.allocations where allocation.volume < groups[g].products[allocation.product].product.minOrder {
                    found.append((g, allocation.demand, allocation.product))
                }
            }
            return found
        }
        func excludeBelowMinimum(_ violations: [(group: Int, demand: Int, product: Int)]) -> Set<Int> {
            for violation in violations {
                restrictions[violation.group][violation.demand, default: DemandRestriction()].excluded.insert(violation.product)
                minOrderExcluded[violation.group][violation.demand, default: []].insert(violation.product)
            }
            return Set(violations.map(\.group))
        }
        var rounds = 0
        while rounds < maxRepairRounds {
            let violations = minimumOrderViolations()
            if violations.isEmpty { break }
            solutions = solveAll(groups, restrictions: restrictions, only: excludeBelowMinimum(violations), previous: solutions)
            rounds += 1
        }
        let matchedBeforeCaps = matchedVolume()
        var capped: Set<String> = [] // "buyer|category"
        while rounds < maxRepairRounds {
            var touched = excludeBelowMinimum(minimumOrderViolations())
            // Volume per supplier for each buyer and category.
            var bySupplier: [String: [String: Int]] = [:]
            for (g, solution) in solutions.enumerated() {
                for allocation in solution.allocations {
                    let demand = groups[g].demands[allocation.demand]
                    let key = demand.buyer.id + "|" + groups[g].category.rawValue
                    bySupplier[key, default: [:]][groups[g].products[allocation.product].supplier.id, default: 0] += allocation.volume
                }
            }
            for (key, volumes) in bySupplier.sorted(by: { $0.key < $1.key }) {
                let buyerID = String(key.split(separator: "|")[0])
                guard let buyer = buyers[buyerID], volumes.count > buyer.maxSuppliersPerCategory, !capped.contains(key) else { continue }
                let kept = topSuppliers(volumes, buyer.maxSuppliersPerCategory)
                capped.insert(key)
                for (g, group) in groups.enumerated() where key.hasSuffix("|" + group.category.rawValue) {
                    for (d, demand) in group.demands.enumerated() where demand.buyer.id == buyerID {
                        restrictions[g][d, default: DemandRestriction()].allowedSuppliers = kept
                        touched.insert(g)
                    }
                }
            }
            if touched.isEmpty { break }
            solutions = solveAll(groups, restrictions: restrictions, only: touched, previous: solutions)
            rounds += 1
        }
        stats.repairRounds = rounds

        // Results: allocations that keep every rule. Repairs end well before the round limit in
        // practice; should they not, what still breaks a rule is dropped here.
        var volumeBySupplier: [String: [String: Int]] = [:]
        for (g, solution) in solutions.enumerated() {
            for allocation in solution.allocations {
                let key = groups[g].demands[allocation.demand].buyer.id + "|" + groups[g].category.rawValue
                volumeBySupplier[key, default: [:]][groups[g].products[allocation.product].supplier.id, default: 0] += allocation.volume
            }
        }
        var allowedSuppliers: [String: Set<String>] = [:]
        for (key, volumes) in volumeBySupplier {
            allowedSuppliers[key] = topSuppliers(volumes, buyers[String(key.split(separator: "|")[0])]!.maxSuppliersPerCategory)
        }
        var allocations: [MatchAllocation] = []
        var matchedByDemand: [String: Int] = [:]
        for (g, solution) in solutions.enumerated() {
            let group = groups[g]
            for allocation in solution.allocations {
                let demand = group.demands[allocation.demand], product = group.products[allocation.product]
                guard allocation.volume >= product.product.minOrder,
                      allowedSuppliers[demand.buyer.id + "|" + group.category.rawValue]!.contains(product.supplier.id) else { continue }
                var cost = group.baseCost[allocation.product]
                if group.isPaired(allocation.demand, allocation.product) { cost.paired = group.pairedDiscount[allocation.product] }
                cost.spread = solution.spreadPerUnit[group.countyOfProduct[allocation.product]]
                allocations.append(MatchAllocation(
                    demandID: demand.demand.id, buyerID: demand.buyer.id, productID: product.product.id, supplierID: product.supplier.id,
                    countyCode: product.county.code, category: group.category, unit: group.unit, volume: allocation.volume,
                    unitPriceFen: product.product.unitPriceFen, cost: cost))
                matchedByDemand[demand.demand.id, default: 0] += allocation.volume
            }
            stats.totalCost += solution.cost
            stats.nodes += solution.nodes
            stats.arcs += solution.arcs
        }
        allocations.sort { ($0.demandID, $0.productID) < ($1.demandID, $1.productID) }
        stats.proposedCost = allocations.reduce(0) { $0 + $1.volume * $1.cost.total }

        // Explanations for every demand not fully met.
        var unmet: [DemandOutcome] = []
        for (g, group) in groups.enumerated() {
            let key = Key(category: group.category, unit: group.unit)
            for (d, facts) in group.demands.enumerated() {
                stats.demands += 1
                stats.demandVolume += facts.remaining
                let matched = matchedByDemand[facts.demand.id] ?? 0
                guard matched < facts.remaining else { continue }
                var removed: [MatchFilter: Int] = [:]
                let others = catalog.products.count - (productsPerKey[key] ?? 0)
                if others > 0 { removed[.categoryUnit] = others }
                for (rule, count) in removedByProductRule[key] ?? [:] { removed[rule] = count }
                var candidates = 0
                for (p, product) in group.products.enumerated() {
                    let item = product.product
                    let rule: MatchFilter? =
                        item.unitPriceFen > facts.demand.maxUnitPriceFen ? .priceCeiling
                        : (facts.demand.coldChain && !item.coldChain) ? .coldChain
                        : item.minOrder > facts.remaining ? .minOrder
                        : declined[g][d]?.contains(p) == true ? .declined
                        : nil
                    if let rule { removed[rule, default: 0] += 1 } else { candidates += 1 }
                }
                let reason: UnmetReason =
                    candidates == 0 ? .noCandidates
                    : restrictions[g][d]?.allowedSuppliers != nil ? .supplierCap
                    : minOrderExcluded[g][d]?.isEmpty == false ? .minOrder
                    : .capacityTakenByOthers
                unmet.append(DemandOutcome(
                    demandID: facts.demand.id, buyerID: facts.buyer.id, category: group.category, unit: group.unit,
                    weeklyVolume: facts.demand.weeklyVolume, held: facts.held, matched: matched, unmet: facts.remaining - matched,
                    candidates: candidates, removed: removed, reason: reason))
            }
        }
        unmet.sort { $0.demandID < $1.demandID }
        stats.groups = groups.count
        stats.matchedVolume = matchedByDemand.values.reduce(0, +)
        stats.unmetVolume = stats.demandVolume - stats.matchedVolume
        stats.volumeLostToSupplierCap = max(0, matchedBeforeCaps - matchedVolume())
        return MatchResult(week: week, allocations: allocations, unmet: unmet, stats: stats, networks: solutions.map(\.network))
    }

    /// The `count` suppliers a buyer got most volume from (ties by supplier id).
    private static func topSuppliers(_ volumes: [String: Int], _ count: Int) -> Set<String> {
        Set(volumes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(count).map(\.key))
    }

    /// Solves the groups in `only` (in parallel), keeping the previous solutions of the others.
    private static func solveAll(_ groups: [GroupProblem], restrictions: [[Int: DemandRestriction]], only: Set<Int>,
                                 previous: [GroupSolution]) -> [GroupSolution] {
        let indices = groups.indices.filter { only.contains($0) }
        let results = ParallelResults<GroupSolution>(count: groups.count)
        DispatchQueue.concurrentPerform(iterations: indices.count) { item in
            let g = indices[item]
            results.set(g, groups[g].solve(restrictions: restrictions[g]))
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
