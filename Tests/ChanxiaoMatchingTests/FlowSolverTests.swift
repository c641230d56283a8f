import ChanxiaoDemo
import Testing

@testable import ChanxiaoMatching

/// The solvers against each other on random networks: Dinic's maximum flow, and the network
/// simplex against successive shortest paths (slow, simple, exact).
@Suite struct FlowSolverTests {
    /// A random network with a source (0) and a sink (n-1); cycles allowed, costs ≥ 0.
    static func randomNetwork(seed: UInt64) -> FlowNetwork {
        var random = SplitMix64(seed: seed)
        var network = FlowNetwork()
        let nodes = Int.random(in: 2...12, using: &random)
        _ = network.addNodes(nodes)
        let arcs = Int.random(in: 1...(nodes * 4), using: &random)
        for _ in 0..<arcs {
            let from = Int.random(in: 0..<nodes, using: &random)
            var to = Int.random(in: 0..<nodes, using: &random)
            if to == from { to = (to + 1) % nodes }
            let capacity =
                Bool.random(using: &random) && Int.random(in: 0..<8, using: &random) == 0
                ? FlowNetwork.unbounded : Int.random(in: 0...20, using: &random)
            network.addArc(from: from, to: to, capacity: capacity, cost: Int.random(in: 0...50, using: &random))
        }
        return network
    }

    static func checkFeasible(_ network: FlowNetwork, _ flows: [Int]) -> Bool {
        var balance = network.supplies
        for arc in 0..<network.arcCount {
            guard flows[arc] >= 0, flows[arc] <= network.capacities[arc] else { return false }
            balance[Int(network.sources[arc])] -= flows[arc]
            balance[Int(network.targets[arc])] += flows[arc]
        }
        return balance.allSatisfy { $0 == 0 }
    }

    @Test(arguments: 0..<600)
    func networkSimplexMatchesShortestPaths(seed: Int) throws {
        var network = Self.randomNetwork(seed: UInt64(seed))
        let sink = network.nodeCount - 1
        var maximum = MaxFlow.value(in: network, from: 0, to: sink)
        // Unbounded paths: route a finite amount instead.
        if maximum >= FlowNetwork.unbounded / 2 { maximum = 1000 }
        network.supplies[0] = maximum
        network.supplies[sink] = -maximum

        let exact = try ShortestPathFlow.solve(network)
        let simplex = try NetworkSimplex.solve(network)
        #expect(Self.checkFeasible(network, simplex.flows), "seed \(seed)")
        #expect(simplex.cost == exact.cost, "seed \(seed)")
        #expect(Self.checkFeasible(network, exact.flows), "seed \(seed)")

        // One unit more than the maximum cannot be routed.
        if maximum < 1000 {
            network.supplies[0] = maximum + 1
            network.supplies[sink] = -(maximum + 1)
            #expect(throws: FlowError.infeasible) { try NetworkSimplex.solve(network) }
        }
    }

    @Test(arguments: 0..<200)
    func manySuppliesAndDemands(seed: Int) throws {
        // Supplies spread over several nodes: a transportation problem through a random network.
        var random = SplitMix64(seed: UInt64(seed) &+ 10_000)
        var network = Self.randomNetwork(seed: UInt64(seed) &+ 10_000)
        let hub = network.addNode()
        for node in 0..<(network.nodeCount - 1) {
            let supply = Int.random(in: -5...5, using: &random)
            if supply > 0 { network.addArc(from: node, to: hub, capacity: supply, cost: 1000) }
            network.supplies[node] = supply
        }
        network.supplies[hub] = -network.supplies.reduce(0, +)
        // Every node can reach the hub or be reached from it, at a high cost, so all is feasible.
        for node in 0..<(network.nodeCount - 1) {
            network.addArc(from: hub, to: node, capacity: FlowNetwork.unbounded, cost: 1000)
            network.addArc(from: node, to: hub, capacity: FlowNetwork.unbounded, cost: 1000)
        }
        let exact = try ShortestPathFlow.solve(network)
        let simplex = try NetworkSimplex.solve(network)
        #expect(Self.checkFeasible(network, simplex.flows), "seed \(seed)")
        #expect(simplex.cost == exact.cost, "seed \(seed)")
    }

    @Test func aSmallTransportationProblem() throws {
        // Two suppliers (10 and 5 units), two buyers (8 and 7): supplier 0 is cheap for buyer 0.
        var network = FlowNetwork()
        let s0 = network.addNode(supply: 10)
        let s1 = network.addNode(supply: 5)
        let b0 = network.addNode(supply: -8)
        let b1 = network.addNode(supply: -7)
        network.addArc(from: s0, to: b0, capacity: 100, cost: 1)
        network.addArc(from: s0, to: b1, capacity: 100, cost: 4)
        network.addArc(from: s1, to: b0, capacity: 100, cost: 3)
        network.addArc(from: s1, to: b1, capacity: 100, cost: 2)
        let solution = try NetworkSimplex.solve(network)
        #expect(solution.flows == [8, 2, 0, 5])
        #expect(solution.cost == 8 + 8 + 10)
    }

    @Test func maxFlowOnALongChain() {
        // 20 000 nodes in a row: the search must not recurse.
        var network = FlowNetwork()
        let nodes = network.addNodes(20_000)
        for node in nodes.dropLast() { network.addArc(from: node, to: node + 1, capacity: 3 + node % 5) }
        #expect(MaxFlow.value(in: network, from: 0, to: 19_999) == 3)
    }

    @Test func unbalancedSuppliesAreRefused() {
        var network = FlowNetwork()
        network.addNode(supply: 1)
        #expect(throws: FlowError.unbalanced) { try NetworkSimplex.solve(network) }
    }
}
