/// Maximum flow by Dinic's algorithm (breadth-first levels, blocking flows found by an
/// iterative depth-first search, so that long chains cannot overflow the stack).
public enum MaxFlow {
    /// The largest flow from `source` to `sink` that the capacities allow (costs and supplies
    /// are ignored).
    public static func value(in network: FlowNetwork, from source: Int, to sink: Int) -> Int {
        var graph = ResidualGraph(network)
        return graph.maxFlow(from: source, to: sink)
    }
}

/// Adjacency in compressed rows: arc 2i is the network's arc i, arc 2i+1 its reverse.
struct ResidualGraph {
    let nodeCount: Int
    var first: [Int]
    var arcOrder: [Int32]
    var head: [Int32]
    var residual: [Int]

    init(_ network: FlowNetwork) {
        nodeCount = network.nodeCount
        let arcCount = network.arcCount
        head = [Int32](repeating: 0, count: 2 * arcCount)
        residual = [Int](repeating: 0, count: 2 * arcCount)
        var degree = [Int](repeating: 0, count: nodeCount + 1)
        for arc in 0..<arcCount {
            head[2 * arc] = network.targets[arc]
            head[2 * arc + 1] = network.sources[arc]
            residual[2 * arc] = network.capacities[arc]
            degree[Int(network.sources[arc]) + 1] += 1
            degree[Int(network.targets[arc]) + 1] += 1
        }
        for node in 0..<nodeCount { degree[node + 1] += degree[node] }
        first = degree
        arcOrder = [Int32](repeating: 0, count: 2 * arcCount)
        var fill = degree
        for arc in 0..<arcCount {
            let s = Int(network.sources[arc])
            let t = Int(network.targets[arc])
            arcOrder[fill[s]] = Int32(2 * arc)
            fill[s] += 1
            arcOrder[fill[t]] = Int32(2 * arc + 1)
            fill[t] += 1
        }
    }

    mutating func maxFlow(from source: Int, to sink: Int) -> Int {
        guard source != sink else { return 0 }
        var total = 0
        var level = [Int32](repeating: -1, count: nodeCount)
        var queue = [Int32](repeating: 0, count: nodeCount)
        var current = [Int](repeating: 0, count: nodeCount)
        var pathArcs = [Int32]()
        while true {
            // Levels by breadth-first search over arcs with residual capacity.
            for index in 0..<nodeCount { level[index] = -1 }
            level[source] = 0
            var read = 0
            var write = 1
            queue[0] = Int32(source)
            while read < write {
                let node = Int(queue[read])
                read += 1
                for slot in first[node]..<first[node + 1] {
                    let arc = Int(arcOrder[slot])
                    let next = Int(head[arc])
                    if residual[arc] > 0, level[next] < 0 {
                        level[next] = level[node] + 1
                        queue[write] = Int32(next)
                        write += 1
                    }
                }
            }
            if level[sink] < 0 { return total }
            for node in 0..<nodeCount { current[node] = first[node] }

            // Blocking flow: advance along level-increasing arcs, retreat from dead ends.
            pathArcs.removeAll(keepingCapacity: true)
            var node = source
            while true {
                if node == sink {
                    var bottleneck = Int.max
                    for arc in pathArcs { bottleneck = min(bottleneck, residual[Int(arc)]) }
                    var retreatTo = pathArcs.count
                    for (index, arc) in pathArcs.enumerated() {
                        residual[Int(arc)] -= bottleneck
                        residual[Int(arc) ^ 1] += bottleneck
                        if residual[Int(arc)] == 0, index < retreatTo { retreatTo = index }
                    }
                    total += bottleneck
                    pathArcs.removeSubrange(retreatTo...)
                    node = pathArcs.last.map { Int(head[Int($0)]) } ?? source
                    continue
                }
                var advanced = false
                while current[node] < first[node + 1] {
                    let arc = Int(arcOrder[current[node]])
                    let next = Int(head[arc])
                    if residual[arc] > 0, level[next] == level[node] + 1 {
                        pathArcs.append(Int32(arc))
                        node = next
                        advanced = true
                        break
                    }
                    current[node] += 1
                }
                if advanced { continue }
                // Dead end: no arc from here leads on; step back and skip the arc used to come.
                level[node] = -1
                guard let last = pathArcs.popLast() else { break }
                node = Int(head[Int(last) ^ 1])
                current[node] += 1
            }
        }
    }
}
