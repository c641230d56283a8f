/// Minimum-cost flow by the primal network simplex method, following LEMON's
/// `NetworkSimplex` (Kovács 2015): a strongly feasible spanning tree kept in parent / thread /
/// subtree-size arrays, block-search pricing, and an artificial root joined to every node so
/// that the first tree is feasible. Integer capacities, costs and supplies; the optimum found
/// is exact.
public enum NetworkSimplex {
    /// Routes the network's supplies at minimum total cost.
    public static func solve(_ network: FlowNetwork) throws(FlowError) -> FlowSolution {
        guard network.supplies.reduce(0, +) == 0 else { throw FlowError.unbalanced }
        if network.nodeCount == 0 { return FlowSolution(flows: [], cost: 0) }
        let solver = Solver(network)
        guard solver.run() else { throw FlowError.infeasible }
        let flows = solver.flows()
        return FlowSolution(flows: flows, cost: network.cost(of: flows))
    }
}

private final class Solver {
    static let stateUpper = -1, stateTree = 0, stateLower = 1
    static let up = 1, down = -1

    let nodeCount: Int  // real nodes; the root is nodeCount
    let arcCount: Int  // real arcs; artificial arcs follow
    let allArcs: Int
    let infinity = FlowNetwork.unbounded

    // Arcs
    let source: UnsafeMutablePointer<Int>
    let target: UnsafeMutablePointer<Int>
    let cap: UnsafeMutablePointer<Int>
    let cost: UnsafeMutablePointer<Int>
    let flow: UnsafeMutablePointer<Int>
    let state: UnsafeMutablePointer<Int>
    // Nodes (including the root)
    let pi: UnsafeMutablePointer<Int>
    let parent: UnsafeMutablePointer<Int>
    let pred: UnsafeMutablePointer<Int>
    let thread: UnsafeMutablePointer<Int>
    let revThread: UnsafeMutablePointer<Int>
    let succNum: UnsafeMutablePointer<Int>
    let lastSucc: UnsafeMutablePointer<Int>
    let predDir: UnsafeMutablePointer<Int>
    var dirtyRevs: [Int] = []

    // Pivot state
    var inArc = 0, join = 0, uIn = 0, vIn = 0, uOut = 0, vOut = 0, delta = 0
    var nextArc = 0
    let blockSize: Int

    init(_ network: FlowNetwork) {
        nodeCount = network.nodeCount
        arcCount = network.arcCount
        allArcs = arcCount + nodeCount
        let nodes = nodeCount + 1
        source = .allocate(capacity: allArcs)
        target = .allocate(capacity: allArcs)
        cap = .allocate(capacity: allArcs)
        cost = .allocate(capacity: allArcs)
        flow = .allocate(capacity: allArcs)
        state = .allocate(capacity: allArcs)
        pi = .allocate(capacity: nodes)
        parent = .allocate(capacity: nodes)
        pred = .allocate(capacity: nodes)
        thread = .allocate(capacity: nodes)
        revThread = .allocate(capacity: nodes)
        succNum = .allocate(capacity: nodes)
        lastSucc = .allocate(capacity: nodes)
        predDir = .allocate(capacity: nodes)
        blockSize = max(10, Int(Double(allArcs).squareRoot()))

        var maxCost = 0
        for arc in 0..<arcCount {
            source[arc] = Int(network.sources[arc])
            target[arc] = Int(network.targets[arc])
            cap[arc] = network.capacities[arc]
            cost[arc] = network.costs[arc]
            flow[arc] = 0
            state[arc] = Self.stateLower
            maxCost = max(maxCost, abs(network.costs[arc]))
        }
        // Artificial arcs cost more than any path of real arcs, so they end up empty whenever
        // the supplies can be routed.
        let artificialCost = (maxCost + 1) * (nodeCount + 1)
        let root = nodeCount
        parent[root] = -1
        pred[root] = -1
        thread[root] = 0
        revThread[0] = root
        succNum[root] = nodeCount + 1
        lastSucc[root] = root - 1
        pi[root] = 0
        predDir[root] = 0
        for u in 0..<nodeCount {
            let e = arcCount + u
            parent[u] = root
            pred[u] = e
            thread[u] = u + 1
            revThread[u + 1] = u
            succNum[u] = 1
            lastSucc[u] = u
            cap[e] = infinity
            state[e] = Self.stateTree
            let supply = network.supplies[u]
            if supply >= 0 {
                predDir[u] = Self.up
                pi[u] = 0
                source[e] = u
                target[e] = root
                flow[e] = supply
                cost[e] = 0
            } else {
                predDir[u] = Self.down
                pi[u] = artificialCost
                source[e] = root
                target[e] = u
                flow[e] = -supply
                cost[e] = artificialCost
            }
        }
    }

    deinit {
        for pointer in [source, target, cap, cost, flow, state, pi, parent, pred, thread, revThread, succNum, lastSucc, predDir] {
            pointer.deallocate()
        }
    }

    func flows() -> [Int] {
        (0..<arcCount).map { flow[$0] }
    }

    /// Pivots until no arc prices out; false when artificial arcs still carry flow.
    func run() -> Bool {
        while findEnteringArc() {
            findJoinNode()
            let change = findLeavingArc()
            changeFlow(change)
            if change {
                updateTreeStructure()
                updatePotential()
            }
        }
        for e in arcCount..<allArcs where flow[e] != 0 { return false }
        return true
    }

    /// Block search: the most negative reduced cost within a block of arcs, scanning on from
    /// where the last search stopped and wrapping around once.
    func findEnteringArc() -> Bool {
        var minimum = 0
        var count = blockSize
        var e = nextArc < arcCount ? nextArc : 0
        for _ in 0..<arcCount {
            let c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]])
            if c < minimum {
                minimum = c
                inArc = e
            }
            e += 1
            if e == arcCount { e = 0 }
            count -= 1
            if count == 0 {
                if minimum < 0 {
                    nextArc = e
                    return true
                }
                count = blockSize
            }
        }
        return minimum < 0
    }

    func findJoinNode() {
        var u = source[inArc]
        var v = target[inArc]
        while u != v {
            if succNum[u] < succNum[v] { u = parent[u] } else { v = parent[v] }
        }
        join = u
    }

    /// The tree arc that leaves: the first blocking arc on the cycle, taking the last one on
    /// the second side to keep the tree strongly feasible. False when the entering arc itself
    /// blocks (it only moves between its bounds).
    func findLeavingArc() -> Bool {
        let first: Int
        let second: Int
        if state[inArc] == Self.stateLower {
            first = source[inArc]
            second = target[inArc]
        } else {
            first = target[inArc]
            second = source[inArc]
        }
        delta = cap[inArc]
        var result = 0
        var u = first
        while u != join {
            let e = pred[u]
            var d = flow[e]
            if predDir[u] == Self.down {
                d = cap[e] >= infinity ? infinity : cap[e] - d
            }
            if d < delta {
                delta = d
                uOut = u
                result = 1
            }
            u = parent[u]
        }
        u = second
        while u != join {
            let e = pred[u]
            var d = flow[e]
            if predDir[u] == Self.up {
                d = cap[e] >= infinity ? infinity : cap[e] - d
            }
            if d <= delta {
                delta = d
                uOut = u
                result = 2
            }
            u = parent[u]
        }
        if result == 1 {
            uIn = first
            vIn = second
        } else {
            uIn = second
            vIn = first
        }
        return result != 0
    }

    func changeFlow(_ change: Bool) {
        if delta > 0 {
            let value = state[inArc] * delta
            flow[inArc] += value
            var u = source[inArc]
            while u != join {
                flow[pred[u]] -= predDir[u] * value
                u = parent[u]
            }
            u = target[inArc]
            while u != join {
                flow[pred[u]] += predDir[u] * value
                u = parent[u]
            }
        }
        if change {
            state[inArc] = Self.stateTree
            state[pred[uOut]] = flow[pred[uOut]] == 0 ? Self.stateLower : Self.stateUpper
        } else {
            state[inArc] = -state[inArc]
        }
    }

    func updateTreeStructure() {
        let oldRevThread = revThread[uOut]
        let oldSuccNum = succNum[uOut]
        let oldLastSucc = lastSucc[uOut]
        vOut = parent[uOut]

        if uIn == uOut {
            parent[uIn] = vIn
            pred[uIn] = inArc
            predDir[uIn] = uIn == source[inArc] ? Self.up : Self.down
            if thread[vIn] != uOut {
                var after = thread[oldLastSucc]
                thread[oldRevThread] = after
                revThread[after] = oldRevThread
                after = thread[vIn]
                thread[vIn] = uOut
                revThread[uOut] = vIn
                thread[oldLastSucc] = after
                revThread[after] = oldLastSucc
            }
        } else {
            let threadContinue = oldRevThread == vIn ? thread[oldLastSucc] : thread[vIn]
            var stem = uIn
            var parStem = vIn
            var last = lastSucc[uIn]
            var after = thread[last]
            thread[vIn] = uIn
            dirtyRevs.removeAll(keepingCapacity: true)
            dirtyRevs.append(vIn)
            while stem != uOut {
                let nextStem = parent[stem]
                thread[last] = nextStem
                dirtyRevs.append(last)
                let before = revThread[stem]
                thread[before] = after
                revThread[after] = before
                parent[stem] = parStem
                parStem = stem
                stem = nextStem
                last = lastSucc[stem] == lastSucc[parStem] ? revThread[parStem] : lastSucc[stem]
                after = thread[last]
            }
            parent[uOut] = parStem
            thread[last] = threadContinue
            revThread[threadContinue] = last
            lastSucc[uOut] = last
            if oldRevThread != vIn {
                thread[oldRevThread] = after
                revThread[after] = oldRevThread
            }
            for u in dirtyRevs { revThread[thread[u]] = u }

            var tmpSc = 0
            let tmpLs = lastSucc[uOut]
            var u = uOut
            var p = parent[u]
            while u != uIn {
                pred[u] = pred[p]
                predDir[u] = -predDir[p]
                tmpSc += succNum[u] - succNum[p]
                succNum[u] = tmpSc
                lastSucc[p] = tmpLs
                u = p
                p = parent[u]
            }
            pred[uIn] = inArc
            predDir[uIn] = uIn == source[inArc] ? Self.up : Self.down
            succNum[uIn] = oldSuccNum
        }

        let upLimitOut = lastSucc[join] == vIn ? join : -1
        let lastSuccOut = lastSucc[uOut]
        var u = vIn
        while u != -1 && lastSucc[u] == vIn {
            lastSucc[u] = lastSuccOut
            u = parent[u]
        }
        if join != oldRevThread && vIn != oldRevThread {
            u = vOut
            while u != upLimitOut && lastSucc[u] == oldLastSucc {
                lastSucc[u] = oldRevThread
                u = parent[u]
            }
        } else if lastSuccOut != oldLastSucc {
            u = vOut
            while u != upLimitOut && lastSucc[u] == oldLastSucc {
                lastSucc[u] = lastSuccOut
                u = parent[u]
            }
        }
        u = vIn
        while u != join {
            succNum[u] += oldSuccNum
            u = parent[u]
        }
        u = vOut
        while u != join {
            succNum[u] -= oldSuccNum
            u = parent[u]
        }
    }

    /// Shifts potentials so that the entering arc's reduced cost is 0: the moved subtree by
    /// sigma, or — as only differences of potentials matter — every other node by −sigma when
    /// that is fewer nodes. (Chain-shaped networks move large subtrees; this halves the work.)
    func updatePotential() {
        let sigma = pi[vIn] - pi[uIn] - predDir[uIn] * cost[inArc]
        let end = thread[lastSucc[uIn]]
        if 2 * succNum[uIn] <= nodeCount + 1 {
            var u = uIn
            while u != end {
                pi[u] += sigma
                u = thread[u]
            }
        } else {
            // The thread is a cycle through every node: the rest runs from `end` back to `uIn`.
            var u = end
            while u != uIn {
                pi[u] -= sigma
                u = thread[u]
            }
        }
    }
}
