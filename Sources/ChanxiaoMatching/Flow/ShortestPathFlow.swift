/// Minimum-cost flow by successive shortest paths with Bellman–Ford: slow (use it on small
/// networks only) but simple enough to trust, so tests check the network simplex against it.
public enum ShortestPathFlow {
    public static func solve(_ network: FlowNetwork) throws(FlowError) -> FlowSolution {
        guard network.supplies.reduce(0, +) == 0 else { throw FlowError.unbalanced }
        // A super source and sink turn supplies into one source–sink flow problem.
        var graph = network
        let superSource = graph.addNode()
        let superSink = graph.addNode()
        var required = 0
        for node in 0..<network.nodeCount {
            let supply = network.supplies[node]
            if supply > 0 {
                graph.addArc(from: superSource, to: node, capacity: supply)
                required += supply
            }
            if supply < 0 { graph.addArc(from: node, to: superSink, capacity: -supply) }
        }
        let n = graph.nodeCount
        var residual = [Int](repeating: 0, count: 2 * graph.arcCount)
        var arcCost = [Int](repeating: 0, count: 2 * graph.arcCount)
        var head = [Int](repeating: 0, count: 2 * graph.arcCount)
        var tail = [Int](repeating: 0, count: 2 * graph.arcCount)
        for arc in 0..<graph.arcCount {
            residual[2 * arc] = graph.capacities[arc]
            arcCost[2 * arc] = graph.costs[arc]
            arcCost[2 * arc + 1] = -graph.costs[arc]
            tail[2 * arc] = Int(graph.sources[arc])
            head[2 * arc] = Int(graph.targets[arc])
            tail[2 * arc + 1] = Int(graph.targets[arc])
            head[2 * arc + 1] = Int(graph.sources[arc])
        }
        var routed = 0
        while routed < required {
            var distance = [Int](repeating: Int.max, count: n)
            var via = [Int](repeating: -1, count: n)
            distance[superSource] = 0
            var changed = true
            var rounds = 0
            while changed && rounds < n {
                changed = false
                rounds += 1
                for arc in 0..<residual.count where residual[arc] > 0 && distance[tail[arc]] != Int.max {
                    let candidate = distance[tail[arc]] + arcCost[arc]
                    if candidate < distance[head[arc]] {
                        distance[head[arc]] = candidate
                        via[head[arc]] = arc
                        changed = true
                    }
                }
            }
            guard distance[superSink] != Int.max else { throw FlowError.infeasible }
            var push = required - routed
            var node = superSink
            while node != superSource {
                push = min(push, residual[via[node]])
                node = tail[via[node]]
            }
            node = superSink
            while node != superSource {
                residual[via[node]] -= push
                residual[via[node] ^ 1] += push
                node = tail[via[node]]
            }
            routed += push
        }
        let flows = (0..<network.arcCount).map { residual[2 * $0 + 1] }
        return FlowSolution(flows: flows, cost: network.cost(of: flows))
    }
}
