import ChanxiaoCore
import Testing

@testable import ChanxiaoMatching

/// The matcher's shared-chain network against the plain one: one arc per feasible (demand,
/// product) pair, solved by successive shortest paths. Same matched volume, same optimal cost.
@Suite struct MatcherOptimalityTests {
    /// Every pair that passes every filter, judged pair by pair from the rules' definitions.
    static func feasiblePairs(
        _ catalog: MatchingCatalog,
        _ state: WeekState,
        _ settings: MatchingSettings
    )
        -> [(demand: Demand, product: Product, buyer: Buyer, county: County)]
    {
        let week = MF.week
        var pairs: [(Demand, Product, Buyer, County)] = []
        for demand in catalog.demands where demand.isActive(in: week) {
            let remaining = demand.weeklyVolume - min(demand.weeklyVolume, state.heldByDemand[demand.id] ?? 0)
            guard remaining > 0, let buyer = catalog.buyers.first(where: { $0.id == demand.buyerID }) else { continue }
            for product in catalog.products {
                let supplier = catalog.suppliers.first { $0.id == product.supplierID }!
                let county = catalog.counties.first { $0.code == supplier.countyCode }!
                guard product.category == demand.category, product.unit == demand.unit,
                    product.isCertified(on: week.monday), !supplier.blacklisted,
                    settings.eligibleStatuses.contains(county.povertyStatus),
                    product.isInSeason(month: week.monday.month),
                    product.weeklyCapacity - (state.heldByProduct[product.id] ?? 0) > 0,
                    product.unitPriceFen <= demand.maxUnitPriceFen,
                    product.coldChain || !demand.coldChain,
                    product.minOrder <= remaining,
                    !state.declined.contains(DemandProduct(demandID: demand.id, productID: product.id))
                else { continue }
                pairs.append((demand, product, buyer, county))
            }
        }
        return pairs
    }

    /// The optimum of the plain formulation (spread off): (matched volume, cost).
    static func plainOptimum(_ catalog: MatchingCatalog, _ state: WeekState, _ settings: MatchingSettings) throws -> (Int, Int128) {
        let model = CostModel(settings: settings)
        let pairs = feasiblePairs(catalog, state, settings)
        var network = FlowNetwork()
        let source = network.addNode()
        let sink = network.addNode()
        var demandNode: [String: Int] = [:]
        var productNode: [String: Int] = [:]
        for (demand, product, _, _) in pairs {
            if demandNode[demand.id] == nil {
                demandNode[demand.id] = network.addNode()
                let remaining = demand.weeklyVolume - min(demand.weeklyVolume, state.heldByDemand[demand.id] ?? 0)
                network.addArc(from: source, to: demandNode[demand.id]!, capacity: remaining)
            }
            if productNode[product.id] == nil {
                productNode[product.id] = network.addNode()
                network.addArc(from: productNode[product.id]!, to: sink, capacity: product.weeklyCapacity - (state.heldByProduct[product.id] ?? 0))
            }
        }
        for (demand, product, buyer, county) in pairs {
            let supplier = catalog.suppliers.first { $0.id == product.supplierID }!
            let facts = ProductFacts(product: product, supplier: supplier, county: county, remainingCapacity: 0, failedRule: nil)
            let slow = model.isSlowMoving(product, recentVolume: state.recentVolumeByProduct[product.id] ?? 0, observedWeeks: state.observedWeeks)
            let cost = model.base(facts, slowMoving: slow).total + (county.isPaired(withBuyerRegion: buyer.regionCode) ? model.paired(facts) : 0)
            network.addArc(from: demandNode[demand.id]!, to: productNode[product.id]!, capacity: FlowNetwork.unbounded, cost: cost)
        }
        let volume = MaxFlow.value(in: network, from: source, to: sink)
        network.supplies[source] = volume
        network.supplies[sink] = -volume
        return (volume, try ShortestPathFlow.solve(network).cost)
    }

    @Test(arguments: 0..<400)
    func sameOptimumAsThePlainFormulation(seed: Int) throws {
        let (catalog, state) = RandomCatalog.make(seed: UInt64(seed))
        var settings = MatchingSettings()
        settings.spread.enabled = false  // the plain formulation has no county tiers
        let result = Matcher.run(catalog: catalog, state: state, settings: settings, week: MF.week)
        let (volume, cost) = try Self.plainOptimum(catalog, state, settings)
        #expect(result.stats.matchedVolume == volume, "seed \(seed)")
        #expect(result.stats.totalCost == cost, "seed \(seed)")
        #expect(result.stats.repairRounds == 0)
        Self.checkAllocations(result, catalog, state, settings, seed: seed)
    }

    @Test(arguments: 0..<200)
    func spreadKeepsVolumeAndStaysOptimalForItsCosts(seed: Int) throws {
        // With spread on, the matched volume is still the maximum, and the cost is the optimum
        // of the same network solved by the oracle.
        let (catalog, state) = RandomCatalog.make(seed: UInt64(seed) &+ 7777)
        var settings = MatchingSettings()
        settings.spread.firstShare = 0.2
        settings.spread.secondShare = 0.4
        let result = Matcher.run(catalog: catalog, state: state, settings: settings, week: MF.week)
        var plain = settings
        plain.spread.enabled = false
        #expect(result.stats.matchedVolume == (try Self.plainOptimum(catalog, state, plain)).0, "seed \(seed)")
        var oracleCost = Int128(0)
        for network in result.networks {
            oracleCost += try ShortestPathFlow.solve(network).cost
        }
        #expect(result.stats.totalCost == oracleCost, "seed \(seed)")
        Self.checkAllocations(result, catalog, state, settings, seed: seed)
    }

    /// Capacities, volumes and every rule hold for each allocation.
    static func checkAllocations(
        _ result: MatchResult,
        _ catalog: MatchingCatalog,
        _ state: WeekState,
        _ settings: MatchingSettings,
        seed: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let feasible = Set(feasiblePairs(catalog, state, settings).map { DemandProduct(demandID: $0.demand.id, productID: $0.product.id) })
        var byProduct: [String: Int] = [:]
        var byDemand: [String: Int] = [:]
        for allocation in result.allocations {
            #expect(
                feasible.contains(DemandProduct(demandID: allocation.demandID, productID: allocation.productID)),
                "seed \(seed): \(allocation.demandID) got \(allocation.productID)",
                sourceLocation: sourceLocation
            )
            #expect(allocation.volume > 0, sourceLocation: sourceLocation)
            byProduct[allocation.productID, default: 0] += allocation.volume
            byDemand[allocation.demandID, default: 0] += allocation.volume
        }
        for product in catalog.products {
            #expect(
                (byProduct[product.id] ?? 0) + (state.heldByProduct[product.id] ?? 0)
                    <= max(product.weeklyCapacity, state.heldByProduct[product.id] ?? 0),
                "seed \(seed): product \(product.id) over capacity",
                sourceLocation: sourceLocation
            )
        }
        for demand in catalog.demands {
            #expect(
                (byDemand[demand.id] ?? 0) + min(demand.weeklyVolume, state.heldByDemand[demand.id] ?? 0) <= demand.weeklyVolume,
                "seed \(seed): demand \(demand.id) over volume",
                sourceLocation: sourceLocation
            )
        }
        let unmet = result.unmet.reduce(0) { $0 + $1.unmet }
        #expect(result.stats.matchedVolume + unmet == result.stats.demandVolume, sourceLocation: sourceLocation)
    }

    @Test(arguments: 0..<300)
    func repairsKeepMinimumOrdersAndSupplierCaps(seed: Int) throws {
        let (catalog, state) = RandomCatalog.make(seed: UInt64(seed) &+ 99_999, minOrders: true, caps: true)
        let settings = MatchingSettings()
        let result = Matcher.run(catalog: catalog, state: state, settings: settings, week: MF.week)
        Self.checkAllocations(result, catalog, state, settings, seed: seed)
        let products = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.id, $0) })
        var suppliers: [String: Set<String>] = [:]
        for allocation in result.allocations {
            #expect(allocation.volume >= products[allocation.productID]!.minOrder, "seed \(seed)")
            suppliers[allocation.buyerID + "|" + allocation.category.rawValue, default: []].insert(allocation.supplierID)
        }
        for (key, used) in suppliers {
            let buyer = catalog.buyers.first { $0.id == String(key.split(separator: "|")[0]) }!
            #expect(used.count <= buyer.maxSuppliersPerCategory, "seed \(seed): \(key) uses \(used.sorted())")
        }
        // Never more than the unrepaired maximum.
        #expect(result.stats.matchedVolume <= (try Self.plainOptimum(catalog, state, settings)).0)
    }

    @Test(arguments: 0..<50)
    func theSameInputGivesTheSameResult(seed: Int) {
        let (catalog, state) = RandomCatalog.make(seed: UInt64(seed) &+ 5, minOrders: true, caps: true)
        let first = Matcher.run(catalog: catalog, state: state, week: MF.week)
        let second = Matcher.run(catalog: catalog, state: state, week: MF.week)
        #expect(first.allocations == second.allocations)
        #expect(first.unmet == second.unmet)
        #expect(first.stats == second.stats)
    }
}
