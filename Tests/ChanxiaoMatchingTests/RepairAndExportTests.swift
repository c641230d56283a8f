import ChanxiaoCore
import Testing

@testable import ChanxiaoMatching

@Suite struct RepairAndExportTests {
    /// A canteen allowed one supplier needs 150 kg; each of two suppliers has 100 kg.
    static let capped = MatchingCatalog(
        counties: [MF.county("451026"), MF.county("451027")],
        suppliers: [MF.supplier("a", county: "451026"), MF.supplier("b", county: "451027")],
        products: [MF.product("pa", supplier: "a", price: 800, capacity: 100), MF.product("pb", supplier: "b", price: 810, capacity: 100)],
        buyers: [MF.buyer("canteen", maxSuppliers: 1)],
        demands: [MF.demand("d1", buyer: "canteen", volume: 90, ceiling: 1000), MF.demand("d2", buyer: "canteen", volume: 60, ceiling: 1000)]
    )

    @Test func theSupplierCapKeepsTheMainSupplierAndReportsTheLoss() throws {
        let result = Matcher.run(catalog: Self.capped, settings: MF.priceOnly, week: MF.week)
        #expect(Set(result.allocations.map(\.supplierID)) == ["a"])
        #expect(result.stats.matchedVolume == 100)
        #expect(result.stats.volumeLostToSupplierCap == 50)
        #expect(result.stats.repairRounds >= 1)
        #expect(result.unmet.map(\.reason) == [.supplierCap])
        #expect(result.unmet.first?.unmet == 50)

        var two = Self.capped
        two.buyers[0].maxSuppliersPerCategory = 2
        let uncapped = Matcher.run(catalog: two, settings: MF.priceOnly, week: MF.week)
        #expect(uncapped.stats.matchedVolume == 150)
        #expect(uncapped.stats.volumeLostToSupplierCap == 0)
    }

    @Test func anAllocationBelowTheMinimumOrderIsRepaired() throws {
        // 50 kg wanted; the cheap product has 45 left and a minimum of 10, the dear one a minimum of 20:
        // splitting 45 + 5 would break the dear one's minimum, so the cheap one gives 30 and the dear 20.
        let catalog = MatchingCatalog(
            counties: [MF.county("451026")],
            suppliers: [MF.supplier("s", county: "451026")],
            products: [
                MF.product("cheap", supplier: "s", price: 500, capacity: 45, minOrder: 10),
                MF.product("dear", supplier: "s", price: 700, capacity: 100, minOrder: 20),
            ],
            buyers: [MF.buyer("b")],
            demands: [MF.demand("d", buyer: "b", volume: 50, ceiling: 1000)]
        )
        let result = Matcher.run(catalog: catalog, settings: MF.priceOnly, week: MF.week)
        let volumes = Dictionary(uniqueKeysWithValues: result.allocations.map { ($0.productID, $0.volume) })
        let minimum = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.id, $0.minOrder) })
        #expect(result.allocations.allSatisfy { $0.volume >= minimum[$0.productID]! })
        #expect(volumes.values.reduce(0, +) <= 50)
        #expect(result.stats.repairRounds >= 1)
        #expect(volumes["dear"].map { $0 >= 20 } ?? true)
    }

    @Test(arguments: 0..<60)
    func theExportedInstanceHasTheSameOptimum(seed: Int) throws {
        let (catalog, state) = RandomCatalog.make(seed: UInt64(seed) &+ 424_242)
        let result = Matcher.run(catalog: catalog, state: state, week: MF.week)
        let text = DIMACS.write(result.networks, comments: ["chanxiao \(MF.week)"])
        let instance = try DIMACS.read(text)
        #expect(instance.nodeCount == result.stats.nodes)
        #expect(instance.arcCount == result.stats.arcs)
        #expect(try NetworkSimplex.solve(instance).cost == result.stats.totalCost)
        #expect(try ShortestPathFlow.solve(instance).cost == result.stats.totalCost)
    }

    @Test(arguments: ["p max 2 1\n", "p min 2 1\na 1 3 0 5 1\n", "p min 2 1\na 1 2 1 5 1\n", "p min 2 0\nx\n", "p min 1 0\nn 2 5\n"])
    func malformedInstancesAreRefused(_ text: String) {
        #expect(throws: DIMACS.ParseError.self) { try DIMACS.read(text) }
    }
}
