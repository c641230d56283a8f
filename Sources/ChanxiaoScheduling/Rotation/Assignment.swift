/// The assignment problem on a rectangular matrix: each row gets a distinct column, at least
/// as many columns as rows, some pairs forbidden (nil cost), minimum total cost.
struct Assignment {
    /// `costs[row][column]`, nil where the pair is not allowed.
    let costs: [[Int64?]]
    let columns: Int

    /// Rows that cannot all be given a column: some set of rows whose allowed columns are
    /// fewer than they are (Hall's condition fails). `columns` are those allowed columns.
    struct Shortage: Error, Equatable {
        var rows: [Int]
        var columns: [Int]
    }

    /// The column of each row at minimum total cost, or the shortage that makes it impossible.
    func solve() -> Result<[Int], Shortage> {
        if let shortage = findShortage() { return .failure(shortage) }
        return .success(hungarian())
    }

    /// A maximum matching on the allowed pairs (augmenting paths; rows are few). When it is not
    /// perfect, the rows reachable by alternating paths from an unmatched row form a set with
    /// one column fewer than rows (König).
    private func findShortage() -> Shortage? {
        var rowOf = [Int](repeating: -1, count: columns)
        let allowed = costs.map { row in row.indices.filter { row[$0] != nil } }
        for row in costs.indices {
            var visited = [Bool](repeating: false, count: columns)
            if !augment(row, allowed: allowed, rowOf: &rowOf, visited: &visited) {
                var rows: Set<Int> = [row]
                var reached: Set<Int> = []
                var queue = [row]
                while let current = queue.popLast() {
                    for column in allowed[current] where reached.insert(column).inserted {
                        let next = rowOf[column]
                        if next >= 0, rows.insert(next).inserted { queue.append(next) }
                    }
                }
                return Shortage(rows: rows.sorted(), columns: reached.sorted())
            }
        }
        return nil
    }

    private func augment(_ row: Int, allowed: [[Int]], rowOf: inout [Int], visited: inout [Bool]) -> Bool {
        for column in allowed[row] where !visited[column] {
            visited[column] = true
            if rowOf[column] < 0 || augment(rowOf[column], allowed: allowed, rowOf: &rowOf, visited: &visited) {
                rowOf[column] = row
                return true
            }
        }
        return false
    }

    /// The Hungarian method with potentials, O(rows² · columns). Forbidden pairs cost more than
    /// any feasible assignment, so (a feasible assignment existing) the optimum never uses one.
    private func hungarian() -> [Int] {
        let n = costs.count
        let m = columns
        guard n > 0 else { return [] }
        let spread = costs.joined().compactMap { $0 }.reduce(Int64(0)) { max($0, abs($1)) }
        let forbidden = (spread + 1) * Int64(n + 1) * 4
        let infinity = Int64.max / 4
        func cost(_ i: Int, _ j: Int) -> Int64 { costs[i - 1][j - 1] ?? forbidden }
        var u = [Int64](repeating: 0, count: n + 1)
        var v = [Int64](repeating: 0, count: m + 1)
        var p = [Int](repeating: 0, count: m + 1)
        var way = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            p[0] = i
            var j0 = 0
            var minv = [Int64](repeating: infinity, count: m + 1)
            var used = [Bool](repeating: false, count: m + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = infinity
                var j1 = 0
                for j in 1...m where !used[j] {
                    let current = cost(i0, j) - u[i0] - v[j]
                    if current < minv[j] {
                        minv[j] = current
                        way[j] = j0
                    }
                    if minv[j] < delta {
                        delta = minv[j]
                        j1 = j
                    }
                }
                for j in 0...m {
                    if used[j] {
                        u[p[j]] += delta
                        v[j] -= delta
                    } else {
                        minv[j] -= delta
                    }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var columnOf = [Int](repeating: -1, count: n)
        for j in 1...m where p[j] != 0 { columnOf[p[j] - 1] = j - 1 }
        return columnOf
    }
}
