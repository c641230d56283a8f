import ChanxiaoCore

/// One demand as matching sees it for the week.
struct DemandFacts {
    var demand: Demand
    var buyer: Buyer
    /// Volume still to match this week (weekly volume minus accepted volume).
    var remaining: Int
    var held: Int
}

/// What the repair rounds have narrowed for one demand.
struct DemandRestriction {
    /// Products (indices into the group) the demand may not get: declined this week, or below
    /// their minimum order in an earlier round.
    var excluded: Set<Int> = []
    /// Suppliers the demand is limited to by its buyer's `max_suppliers_per_category`.
    var allowedSuppliers: Set<String>?
}

struct GroupAllocation: Equatable {
    var demand: Int
    var product: Int
    var volume: Int
}

struct GroupSolution {
    var allocations: [GroupAllocation]
    /// The optimum: Σ flow × cost, spread surcharges included.
    var cost: Int
    /// The spread surcharge per unit of each county's volume (hundredths of a fen).
    var spreadPerUnit: [Int]
    var network: FlowNetwork
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

    init(category: ProductCategory, unit: MeasureUnit, products: [ProductFacts], demands: [DemandFacts], model: CostModel,
         slowMoving: (Product) -> Bool, pairedCounties: (String) -> Set<String>) {
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
        let volume = self.demands.reduce(0) { $0 + $1.remaining }
        let prices = self.products.map(\.product.unitPriceFen)
        let median = prices.isEmpty ? 0 : prices[prices.count / 2]
        tiers = model.spreadTiers(groupVolume: volume, referencePriceFen: median)
    }

    /// Whether product `p` passes the pair rules for demand `d` (ceiling, cold chain, minimum order).
    func admits(_ d: Int, _ p: Int) -> Bool {
        let demand = demands[d], product = products[p].product
        return product.unitPriceFen <= demand.demand.maxUnitPriceFen
            && (product.coldChain || !demand.demand.coldChain)
            && product.minOrder <= demand.remaining
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

    func solve(restrictions: [Int: DemandRestriction]) -> GroupSolution {
        var network = FlowNetwork()
        let source = network.addNode(), sink = network.addNode()
        let demandBase = network.addNodes(demands.count).lowerBound
        let productBase = network.addNodes(products.count).lowerBound
        let countyBase = network.addNodes(countyCodes.count).lowerBound

        for p in products.indices {
            network.addArc(from: productBase + p, to: countyBase + countyOfProduct[p], capacity: products[p].remainingCapacity)
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
            var members: [Int] = []
            for p in products.indices {
                let product = products[p]
                guard product.product.minOrder <= limit, product.product.coldChain || !key.cold else { continue }
                if let region = key.region, !pairedByRegion[region, default: []].contains(product.county.code) { continue }
                members.append(p)
            }
            var built = Chain(members: members, prices: members.map { products[$0].product.unitPriceFen },
                              firstNode: network.nodeCount, firstExitArc: network.arcCount)
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

        for d in demands.indices {
            let demand = demands[d]
            if let restriction = restrictions[d] {
                for p in products.indices where admits(d, p) && !restriction.excluded.contains(p)
                    && (restriction.allowedSuppliers?.contains(products[p].supplier.id) ?? true) {
                    direct.append((d, p, network.addArc(from: demandBase + d, to: productBase + p,
                                                         capacity: FlowNetwork.unbounded, cost: unitCost(d, p))))
                }
                continue
            }
            // The largest minimum order this demand can meet decides its chain class.
            guard let level = minOrderLevels.lastIndex(where: { $0 <= demand.remaining }) else { continue }
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

        // Phase one: the most volume that can be matched; phase two: its cheapest routing.
        let volume = MaxFlow.value(in: network, from: source, to: sink)
        network.supplies[source] = volume
        network.supplies[sink] = -volume
        let flows: [Int]
        do {
            flows = try NetworkSimplex.solve(network).flows
        } catch {
            preconditionFailure("a maximum flow must be routable: \(error)")
        }

        // Back from arc flows to (demand, product) volumes.
        var volumeByPair: [Int: Int] = [:] // demand * products.count + product
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
            var units = 0, surcharge = 0
            for arc in tierArcs[county] {
                units += flows[arc]
                surcharge += flows[arc] * network.costs[arc]
            }
            if units > 0 { spreadPerUnit[county] = Int((Double(surcharge) / Double(units)).rounded()) }
        }
        return GroupSolution(allocations: allocations, cost: network.cost(of: flows), spreadPerUnit: spreadPerUnit, network: network)
    }
}

/// The number of elements of a sorted array that are ≤ `value`.
func upperBound(_ sorted: [Int], _ value: Int) -> Int {
    var low = 0, high = sorted.count
    while low < high {
        let middle = (low + high) / 2
        if sorted[middle] <= value { low = middle + 1 } else { high = middle }
    }
    return low
}
