/// The DIMACS minimum-cost flow format (`p min`, `n` supplies, `a` arcs with lower bound,
/// capacity and cost), so that any other solver can check an optimum.
public enum DIMACS {
    /// Writes networks as one instance, their nodes renumbered consecutively from 1. Unbounded
    /// capacities are written as the total supply, which no flow can exceed.
    public static func write(_ networks: [FlowNetwork], comments: [String] = []) -> String {
        let nodes = networks.reduce(0) { $0 + $1.nodeCount }
        let arcs = networks.reduce(0) { $0 + $1.arcCount }
        let totalSupply = networks.reduce(0) { $0 + $1.supplies.filter { $0 > 0 }.reduce(0, +) }
        var lines = comments.map { "c " + $0 }
        lines.append("p min \(nodes) \(arcs)")
        var offset = 0
        for network in networks {
            for node in 0..<network.nodeCount where network.supplies[node] != 0 {
                lines.append("n \(offset + node + 1) \(network.supplies[node])")
            }
            offset += network.nodeCount
        }
        offset = 0
        for network in networks {
            for arc in 0..<network.arcCount {
                let capacity = min(network.capacities[arc], max(totalSupply, 0))
                lines.append(
                    "a \(offset + Int(network.sources[arc]) + 1) \(offset + Int(network.targets[arc]) + 1) 0 \(capacity) \(network.costs[arc])"
                )
            }
            offset += network.nodeCount
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Reads an instance (lower bounds must be 0).
    public static func read(_ text: String) throws(ParseError) -> FlowNetwork {
        var network = FlowNetwork()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = rawLine.split(separator: " ", omittingEmptySubsequences: true)
            guard let kind = fields.first else { continue }
            let numbers = fields.dropFirst().compactMap { Int($0) }
            switch kind {
            case "c": continue
            case "p":
                guard fields.count == 4, fields[1] == "min", numbers.count == 2 else {
                    throw ParseError(line: index + 1, message: "expected: p min NODES ARCS")
                }
                _ = network.addNodes(numbers[0])
                network.reserveCapacity(nodes: numbers[0], arcs: numbers[1])
            case "n":
                guard numbers.count == 2, (1...network.nodeCount).contains(numbers[0]) else {
                    throw ParseError(line: index + 1, message: "expected: n NODE SUPPLY")
                }
                network.supplies[numbers[0] - 1] = numbers[1]
            case "a":
                guard numbers.count == 5, (1...network.nodeCount).contains(numbers[0]), (1...network.nodeCount).contains(numbers[1]),
                    numbers[2] == 0, numbers[3] >= 0
                else {
                    throw ParseError(line: index + 1, message: "expected: a FROM TO 0 CAPACITY COST")
                }
                network.addArc(from: numbers[0] - 1, to: numbers[1] - 1, capacity: numbers[3], cost: numbers[4])
            default:
                throw ParseError(line: index + 1, message: "unknown line type '\(kind)'")
            }
        }
        return network
    }
}
