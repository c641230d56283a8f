import ChanxiaoCore

/// One demand as matching sees it for the week.
struct DemandFacts {
    var demand: Demand
    var buyer: Buyer
    /// Volume still to match this week (weekly volume minus accepted volume).
    var remaining: Int
    var held: Int
}

/// What the week's declines and the repair rounds have narrowed for one demand.
struct DemandRestriction {
    /// Products (indices into the group) declined this week. A demand with exclusions or
    /// allowed suppliers gets an arc to each product it may take instead of chain access.
    var excluded: Set<Int> = []
    /// Suppliers the demand is limited to by its buyer's `max_suppliers_per_category`.
    var allowedSuppliers: Set<String>?
    /// Only products whose minimum order is at most this, from the chains…
    var minimumOrderCap: Int?
    /// …and these, which already supplied the demand validly, by arcs of their own.
    var kept: Set<Int> = []

    /// Whether the demand needs arcs of its own to each allowed product.
    var needsDirectArcs: Bool { !excluded.isEmpty || allowedSuppliers != nil }

    func allows(_ p: Int, _ product: ProductFacts) -> Bool {
        !excluded.contains(p) && (allowedSuppliers?.contains(product.supplier.id) ?? true)
            && (minimumOrderCap.map { product.product.minOrder <= $0 } ?? true || kept.contains(p))
    }
}

struct GroupAllocation: Equatable {
    var demand: Int
    var product: Int
    var volume: Int
}

struct GroupSolution {
    var allocations: [GroupAllocation]
    /// The optimum: Σ flow × cost, spread surcharges included.
    var cost: Int128
    /// The spread surcharge per unit of each county's volume (hundredths of a fen).
    var spreadPerUnit: [Int]
    var network: FlowNetwork
    var timings: MatchTimings
    var nodes: Int { network.nodeCount }
    var arcs: Int { network.arcCount }
}

/// The matching of one category and unit: an independent min-cost max-flow problem.
///
/// Demands may take any product up to their price ceiling, so candidates are not arcs of their
/// own: products sit on chains sorted by price, each chain node leading to its product and to
/// the next cheaper node. A demand enters a chain at its ceiling and reaches every cheaper
/// product through it — one arc per demand instead of one per candidate, with every feasible
/// candidate kept. Chains are built per class of demand (cold chain or not; the largest minimum
/// order it can meet), and per buyer region for paired products, whose chain carries the pairing
/// discount. Demands narrowed by repair rounds get arcs to their allowed products instead.
///
/// source → demand → chain … → product → county → sink, the last with rising spread tiers.
struct GroupProblem {
    let category: ProductCategory
    let unit: MeasureUnit
    /// Eligible products, cheapest first (ties by id).
    let products: [ProductFacts]
    let baseCost: [CostBreakdown]
    let pairedDiscount: [Int]
    let demands: [DemandFacts]
    /// Per demand: the counties paired with its buyer's region.
    let pairedCounties: [Set<String>]
    let regionOfDemand: [String]
    /// Per buyer region: the paired counties, and whether any product of the group is from one.
    let pairedByRegion: [String: Set<String>]
    let regionHasPairedProducts: [String: Bool]
    let countyCodes: [String]
    let countyOfProduct: [Int]
    let minOrderLevels: [Int]
    let tiers: [(capacity: Int, cost: Int)]
    /// Product indices (cheapest first) per county and per supplier.
    let productsOfCounty: [String: [Int]]
    let productsOfSupplier: [String: [Int]]

    init(
        category: ProductCategory,
        unit: MeasureUnit,
        products: [ProductFacts],
        demands: [DemandFacts],
        model: CostModel,
        slowMoving: (Product) -> Bool,
        pairedCounties: (String) -> Set<String>
    ) {
        self.category = category
        self.unit = unit
        self.products = products.sorted {
            ($0.product.unitPriceFen, $0.product.id) < ($1.product.unitPriceFen, $1.product.id)
        }
        self.demands = demands.sorted { $0.demand.id < $1.demand.id }
        baseCost = self.products.map { model.base($0, slowMoving: slowMoving($0.product)) }
        pairedDiscount = self.products.map { model.paired($0) }
        regionOfDemand = self.demands.map(\.buyer.regionCode)
        var byRegion: [String: Set<String>] = [:]
        for region in Set(regionOfDemand) { byRegion[region] = pairedCounties(region) }
        pairedByRegion = byRegion
        let productCounties = Set(self.products.map(\.county.code))
        regionHasPairedProducts = byRegion.mapValues { !$0.isDisjoint(with: productCounties) }
        self.pairedCounties = regionOfDemand.map { byRegion[$0]! }
        countyCodes = Set(self.products.map(\.county.code)).sorted()
        let countyIndex = Dictionary(uniqueKeysWithValues: countyCodes.enumerated().map { ($1, $0) })
        countyOfProduct = self.products.map { countyIndex[$0.county.code]! }
        minOrderLevels = Set(self.products.map(\.product.minOrder)).sorted()
        var ofCounty: [String: [Int]] = [:]
        var ofSupplier: [String: [Int]] = [:]
        for (p, facts) in self.products.enumerated() {
            ofCounty[facts.county.code, default: []].append(p)
            ofSupplier[facts.supplier.id, default: []].append(p)
        }
        productsOfCounty = ofCounty
        productsOfSupplier = ofSupplier
        let volume = self.demands.reduce(0) { $0 + $1.remaining }
        let prices = self.products.map(\.product.unitPriceFen)
        let median = prices.isEmpty ? 0 : prices[prices.count / 2]
        tiers = model.spreadTiers(groupVolume: volume, referencePriceFen: median)
    }

    /// The most volume that can go from `source` to `sink`, routed at least cost; sets the
    /// network's supplies to that volume and returns the arc flows.
    ///
    /// One network simplex solve does both when a bypass arc source → sink costs more than any
    /// augmenting path can (at most one cost-bearing arc per product, plus a spread tier): the
    /// optimum then routes as much as possible through the real arcs. When that bypass cost
    /// could overflow the solver's integers (absurd prices), a maximum flow is computed first.
    static func maximumFlowAtMinimumCost(
        _ network: inout FlowNetwork,
        source: Int,
        sink: Int,
        products: Int,
        demandVolume: Int,
        lap: (WritableKeyPath<MatchTimings, Duration>) -> Void
    ) -> [Int] {
        let maxCost = network.costs.reduce(0) { max($0, abs($1)) }
        let (pathBound, overflow1) = (maxCost + 1).multipliedReportingOverflow(by: products + 2)
        let (artificial, overflow2) = (pathBound + 1).multipliedReportingOverflow(by: network.nodeCount + 2)
        if !overflow1, !overflow2, artificial < Int.max / 16 {
            network.addArc(from: source, to: sink, capacity: demandVolume, cost: pathBound)
            network.supplies[source] = demandVolume
            network.supplies[sink] = -demandVolume
            guard var flows = try? NetworkSimplex.solve(network).flows else { preconditionFailure("the bypass makes every supply routable") }
            lap(\.simplex)
            // Leave the network as the flow problem it solves without the bypass.
            let unmatched = flows.removeLast()
            network.removeLastArc()
            network.supplies[source] = demandVolume - unmatched
            network.supplies[sink] = -(demandVolume - unmatched)
            return flows
        }
        let volume = MaxFlow.value(in: network, from: source, to: sink)
        network.supplies[source] = volume
        network.supplies[sink] = -volume
        lap(\.maxFlow)
        do {
            let flows = try NetworkSimplex.solve(network).flows
            lap(\.simplex)
            return flows
        } catch {
            preconditionFailure("a maximum flow must be routable: \(error)")
        }
    }

    /// Whether product `p` passes the pair rules for demand `d` (ceiling, cold chain, minimum order).
    func admits(_ d: Int, _ p: Int) -> Bool {
        MatchFilter.pairFailure(products[p].product, demand: demands[d].demand, remaining: demands[d].remaining) == nil
    }

    func isPaired(_ d: Int, _ p: Int) -> Bool {
        pairedCounties[d].contains(products[p].county.code)
    }

    /// The cost per unit for demand `d` taking product `p`, before spread.
    func unitCost(_ d: Int, _ p: Int) -> Int {
        baseCost[p].total + (isPaired(d, p) ? pairedDiscount[p] : 0)
    }

    private struct ChainKey: Hashable {
        var cold: Bool
        var level: Int
        var region: String?
    }

    private struct Chain {
        var members: [Int]
        var prices: [Int]
        var firstNode: Int
        var firstExitArc: Int
        var entries: [(position: Int, demand: Int, arc: Int)] = []
    }

    /// Solves the group. `capacityLimits` lowers products' capacity below what is left of it
    /// (repairs trim a leftover smaller than the minimum order, which no new demand can take).
    func solve(restrictions: [Int: DemandRestriction], capacityLimits: [Int: Int] = [:]) -> GroupSolution {
        let clock = ContinuousClock()
        var timings = MatchTimings()
        var mark = clock.now
        func lap(_ field: WritableKeyPath<MatchTimings, Duration>) {
            let now = clock.now
            timings[keyPath: field] += now - mark
            mark = now
        }
        var network = FlowNetwork()
        let source = network.addNode()
        let sink = network.addNode()
        let demandBase = network.addNodes(demands.count).lowerBound
        let productBase = network.addNodes(products.count).lowerBound
        let countyBase = network.addNodes(countyCodes.count).lowerBound

        for p in products.indices {
            network.addArc(
                from: productBase + p,
                to: countyBase + countyOfProduct[p],
                capacity: min(products[p].remainingCapacity, capacityLimits[p] ?? Int.max)
            )
        }
        var tierArcs: [[Int]] = Array(repeating: [], count: countyCodes.count)
        for county in countyCodes.indices {
            for tier in tiers where tier.capacity > 0 {
                tierArcs[county].append(network.addArc(from: countyBase + county, to: sink, capacity: tier.capacity, cost: tier.cost))
            }
        }
        var sourceArc: [Int] = []
        for d in demands.indices {
            sourceArc.append(network.addArc(from: source, to: demandBase + d, capacity: demands[d].remaining))
        }

        var chains: [ChainKey: Chain] = [:]
        var chainOrder: [ChainKey] = []
        var direct: [(demand: Int, product: Int, arc: Int)] = []

        func chain(_ key: ChainKey) -> Chain? {
            if let existing = chains[key] { return existing.members.isEmpty ? nil : existing }
            let limit = minOrderLevels[key.level]
            // Paired chains draw only on the paired counties' products (kept in price order).
            let pool: [Int] =
                key.region.map { region in
                    pairedByRegion[region, default: []].flatMap { productsOfCounty[$0] ?? [] }.sorted()
                } ?? Array(products.indices)
            var members: [Int] = []
            for p in pool {
                let product = products[p]
                guard product.product.minOrder <= limit, product.product.coldChain || !key.cold else { continue }
                members.append(p)
            }
            var built = Chain(
                members: members,
                prices: members.map { products[$0].product.unitPriceFen },
                firstNode: network.nodeCount,
                firstExitArc: network.arcCount
            )
            if !members.isEmpty {
                let nodes = network.addNodes(members.count)
                built.firstNode = nodes.lowerBound
                built.firstExitArc = network.arcCount
                for (position, p) in members.enumerated() {
                    let cost = baseCost[p].total + (key.region != nil ? pairedDiscount[p] : 0)
                    network.addArc(from: built.firstNode + position, to: productBase + p, capacity: FlowNetwork.unbounded, cost: cost)
                }
                for position in members.indices.dropFirst() {
                    network.addArc(from: built.firstNode + position, to: built.firstNode + position - 1, capacity: FlowNetwork.unbounded)
                }
            }
            chains[key] = built
            chainOrder.append(key)
            return members.isEmpty ? nil : built
        }

        func addDirect(_ d: Int, _ p: Int) {
            direct.append((d, p, network.addArc(from: demandBase + d, to: productBase + p, capacity: FlowNetwork.unbounded, cost: unitCost(d, p))))
        }
        for d in demands.indices {
            let demand = demands[d]
            let restriction = restrictions[d]
            if let restriction, restriction.needsDirectArcs {
                let pool = restriction.allowedSuppliers.map { $0.flatMap { productsOfSupplier[$0] ?? [] }.sorted() } ?? Array(products.indices)
                for p in pool where admits(d, p) && restriction.allows(p, products[p]) { addDirect(d, p) }
                continue
            }
            if let restriction {
                for p in restriction.kept.sorted() where admits(d, p) { addDirect(d, p) }
            }
            // The largest minimum order this demand can meet decides its chain class.
            let reach = min(demand.remaining, restriction?.minimumOrderCap ?? Int.max)
            guard let level = minOrderLevels.lastIndex(where: { $0 <= reach }) else { continue }
            var keys = [ChainKey(cold: demand.demand.coldChain, level: level, region: nil)]
            if regionHasPairedProducts[regionOfDemand[d]] == true {
                keys.append(ChainKey(cold: demand.demand.coldChain, level: level, region: regionOfDemand[d]))
            }
            for key in keys {
                guard let built = chain(key) else { continue }
                let position = upperBound(built.prices, demand.demand.maxUnitPriceFen) - 1
                guard position >= 0 else { continue }
                let arc = network.addArc(from: demandBase + d, to: built.firstNode + position, capacity: FlowNetwork.unbounded)
                chains[key]!.entries.append((position, d, arc))
            }
        }

        lap(\.buildNetworks)
        let flows = Self.maximumFlowAtMinimumCost(
            &network,
            source: source,
            sink: sink,
            products: products.count,
            demandVolume: demands.reduce(0) { $0 + $1.remaining },
            lap: lap
        )

        // Back from arc flows to (demand, product) volumes.
        var volumeByPair: [Int: Int] = [:]  // demand * products.count + product
        func add(_ d: Int, _ p: Int, _ amount: Int) {
            volumeByPair[d * products.count + p, default: 0] += amount
        }
        for entry in direct where flows[entry.arc] > 0 { add(entry.demand, entry.product, flows[entry.arc]) }
        for key in chainOrder {
            let built = chains[key]!
            guard !built.members.isEmpty else { continue }
            var entriesAt: [Int: [(demand: Int, flow: Int)]] = [:]
            for entry in built.entries where flows[entry.arc] > 0 {
                entriesAt[entry.position, default: []].append((entry.demand, flows[entry.arc]))
            }
            // Walk down the chain: flow entering at a position may leave at it or below, so
            // each exit takes from the most recently entered demand still carrying flow.
            var carried: [(demand: Int, flow: Int)] = []
            for position in stride(from: built.members.count - 1, through: 0, by: -1) {
                if let entering = entriesAt[position] { carried.append(contentsOf: entering) }
                var exit = flows[built.firstExitArc + position]
                while exit > 0 {
                    let take = min(exit, carried[carried.count - 1].flow)
                    add(carried[carried.count - 1].demand, built.members[position], take)
                    exit -= take
                    carried[carried.count - 1].flow -= take
                    if carried[carried.count - 1].flow == 0 { carried.removeLast() }
                }
            }
        }
        let allocations = volumeByPair.map { GroupAllocation(demand: $0.key / products.count, product: $0.key % products.count, volume: $0.value) }
            .sorted { ($0.demand, $0.product) < ($1.demand, $1.product) }

        var spreadPerUnit = [Int](repeating: 0, count: countyCodes.count)
        for county in countyCodes.indices {
            var units = 0
            var surcharge = Int128(0)
            for arc in tierArcs[county] {
                units += flows[arc]
                surcharge += Int128(flows[arc]) * Int128(network.costs[arc])
            }
            if units > 0 { spreadPerUnit[county] = Int((Double(surcharge) / Double(units)).rounded()) }
        }
        lap(\.decompose)
        return GroupSolution(
            allocations: allocations,
            cost: network.cost(of: flows),
            spreadPerUnit: spreadPerUnit,
            network: network,
            timings: timings
        )
    }
}

/// The number of elements of a sorted array that are ≤ `value`.
func upperBound(_ sorted: [Int], _ value: Int) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
        let middle = (low + high) / 2
        if sorted[middle] <= value { low = middle + 1 } else { high = middle }
    }
    return low
}
