/// A directed network with integer capacities, costs and node supplies: the input of the
/// flow solvers. Nodes are 0..<nodeCount; arcs keep the order they were added in, so solving
/// the same network gives the same flow.
public struct FlowNetwork: Sendable, Equatable {
    /// A capacity that never binds. Large enough for any total volume, small enough that sums
    /// of a few of them cannot overflow.
    public static let unbounded = Int.max / 8

    public private(set) var nodeCount = 0
    public private(set) var sources: [Int32] = []
    public private(set) var targets: [Int32] = []
    public private(set) var capacities: [Int] = []
    public private(set) var costs: [Int] = []
    /// Positive: the node supplies flow; negative: it consumes it. Sums to zero when solved.
    public var supplies: [Int] = []

    public init() {}

    public var arcCount: Int { sources.count }

    @discardableResult
    public mutating func addNode(supply: Int = 0) -> Int {
        nodeCount += 1
        supplies.append(supply)
        return nodeCount - 1
    }

    public mutating func addNodes(_ count: Int) -> Range<Int> {
        let first = nodeCount
        nodeCount += count
        supplies.append(contentsOf: repeatElement(0, count: count))
        return first..<nodeCount
    }

    @discardableResult
    public mutating func addArc(from source: Int, to target: Int, capacity: Int, cost: Int = 0) -> Int {
        precondition(source < nodeCount && target < nodeCount && capacity >= 0)
        sources.append(Int32(source))
        targets.append(Int32(target))
        capacities.append(capacity)
        costs.append(cost)
        return sources.count - 1
    }

    mutating func removeLastArc() {
        sources.removeLast()
        targets.removeLast()
        capacities.removeLast()
        costs.removeLast()
    }

    public mutating func reserveCapacity(nodes: Int, arcs: Int) {
        supplies.reserveCapacity(nodes)
        sources.reserveCapacity(arcs)
        targets.reserveCapacity(arcs)
        capacities.reserveCapacity(arcs)
        costs.reserveCapacity(arcs)
    }

    /// Σ cost × flow, in 128 bits: a cost of 10^10 hundredths of a fen times a flow of 10^8
    /// units is already 10^18, and a network sums many.
    public func cost(of flow: [Int]) -> Int128 {
        zip(costs, flow).reduce(Int128(0)) { $0 + Int128($1.0) * Int128($1.1) }
    }
}

/// A solved flow: the flow on every arc of the network, in arc order.
public struct FlowSolution: Sendable, Equatable {
    public var flows: [Int]
    public var cost: Int128
}

public enum FlowError: Error, Sendable, Equatable {
    /// Supplies cannot be routed within the capacities.
    case infeasible
    /// Supplies do not sum to zero.
    case unbalanced
}
