import ChanxiaoDemo
import Testing

@testable import ChanxiaoScheduling

/// The assignment solver against exhaustive search over every injective row → column map.
@Suite struct AssignmentTests {
    /// The least total cost over every way of giving each row its own allowed column, or nil.
    static func bruteForce(_ costs: [[Int64?]], columns: Int) -> Int64? {
        var best: Int64?
        var used = [Bool](repeating: false, count: columns)
        func search(_ row: Int, _ sum: Int64) {
            if row == costs.count {
                best = min(best ?? sum, sum)
                return
            }
            for column in 0..<columns where !used[column] {
                guard let cost = costs[row][column] else { continue }
                used[column] = true
                search(row + 1, sum + cost)
                used[column] = false
            }
        }
        search(0, 0)
        return best
    }

    static func randomMatrix(seed: UInt64) -> (costs: [[Int64?]], columns: Int) {
        var random = SplitMix64(seed: seed &+ 0x1234_5678)
        let rows = random.int(0...5)
        let columns = random.int(max(rows, 1) - (random.chance(1, in: 6) ? 1 : 0)...6)
        let forbiddenChance = random.int(0...6)
        let spread = random.pick([Int64(3), 10, 1000, 50_000])
        let costs: [[Int64?]] = (0..<rows).map { _ in
            (0..<columns).map { _ in random.chance(forbiddenChance, in: 10) ? nil : Int64.random(in: -spread...spread, using: &random) }
        }
        return (costs, columns)
    }

    @Test(arguments: 0..<400)
    func sameOptimumAsBruteForce(seed: Int) throws {
        let (costs, columns) = Self.randomMatrix(seed: UInt64(seed))
        let optimum = Self.bruteForce(costs, columns: columns)
        switch Assignment(costs: costs, columns: columns).solve() {
        case .success(let columnOf):
            let best = try #require(optimum, "seed \(seed): solved an infeasible matrix \(costs)")
            #expect(columnOf.count == costs.count)
            #expect(Set(columnOf).count == columnOf.count, "seed \(seed): a column given twice")
            var total: Int64 = 0
            for (row, column) in columnOf.enumerated() {
                guard (0..<columns).contains(column), let cost = costs[row][column] else {
                    Issue.record("seed \(seed): row \(row) got forbidden or missing column \(column)")
                    continue
                }
                total += cost
            }
            #expect(total == best, "seed \(seed): \(costs)")
        case .failure(let shortage):
            #expect(optimum == nil, "seed \(seed): reported a shortage, but \(String(describing: optimum)) is reachable")
            // A Hall violator: the rows' allowed columns, together, are fewer than the rows.
            #expect(!shortage.rows.isEmpty)
            #expect(shortage.rows.allSatisfy { costs.indices.contains($0) })
            let union = Set(shortage.rows.flatMap { row in (0..<columns).filter { costs[row][$0] != nil } })
            #expect(union.count < shortage.rows.count, "seed \(seed): rows \(shortage.rows) have \(union.count) columns")
            #expect(shortage.columns == union.sorted(), "seed \(seed): the shortage's columns are those the rows allow")
        }
    }

    @Test func examples() {
        // The diagonal is cheapest only in part: 1 + 1 beats 0 + 5.
        #expect(Assignment(costs: [[0, 1], [1, 5]], columns: 2).solve() == .success([1, 0]))
        // More columns than rows; a forbidden pair steers row 0 away from its cheapest column.
        #expect(Assignment(costs: [[nil, 7, 9], [1, nil, 8]], columns: 3).solve() == .success([1, 0]))
        // Negative costs (rewards) are welcome.
        #expect(Assignment(costs: [[-5, -1], [-4, -3]], columns: 2).solve() == .success([0, 1]))
        #expect(Assignment(costs: [], columns: 0).solve() == .success([]))
        // Rows 0 and 2 both allow column 1 only.
        #expect(
            Assignment(costs: [[nil, 1, nil], [2, 3, 4], [nil, 5, nil]], columns: 3).solve()
                == .failure(Assignment.Shortage(rows: [0, 2], columns: [1]))
        )
        #expect(Assignment(costs: [[1], [2]], columns: 1).solve() == .failure(Assignment.Shortage(rows: [0, 1], columns: [0])))
    }
}
