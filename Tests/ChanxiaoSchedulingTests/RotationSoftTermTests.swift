import ChanxiaoCore
import Foundation
import Testing

@testable import ChanxiaoScheduling

/// The soft terms, each on an instance where it alone decides.
@Suite struct RotationSoftTermTests {
    static let plain = "522601", deep = "522602", paired = "522603", other = "522604"

    /// Four counties, each with one all-year product of its own category.
    static func catalog(extra: [Product] = []) -> RotationCatalog {
        let codes = [plain, deep, paired, other]
        let categories: [ProductCategory] = [.grainOil, .tea, .fruit, .vegetables]
        return RotationCatalog(
            counties: [SF.county(plain), SF.county(deep, .deep), SF.county(paired, paired: ["440304"]), SF.county(other, .provincial)],
            suppliers: codes.map { SF.supplier("s\($0)", county: $0) },
            products: zip(codes, categories).map { SF.product("p\($0.0)", supplier: "s\($0.0)", county: $0.0, category: $0.1) } + extra
        )
    }

    static func request(_ counties: [String], weeks: Int) -> RotationRequest {
        RotationRequest(venue: SF.venue(), fromWeek: SF.week, weeks: weeks, countyCodes: counties)
    }

    @Test(arguments: [[plain, deep], [deep, plain]])
    func deepPovertyCountyComesFirst(_ order: [String]) throws {
        let plan = try RotationPlanner.plan(Self.request(order, weeks: 2), catalog: Self.catalog())
        #expect(plan.slots.map(\.countyCode) == [Self.deep, Self.plain])
        // 3 points, for the first of two weeks in full.
        #expect(plan.score[.priority] == -3)
        #expect(plan.slots.first?.reasons.contains("deep-poverty county, placed early") == true)
        #expect(plan.optimal)
    }

    @Test(arguments: [[plain, paired], [paired, plain]])
    func pairedCountyComesFirst(_ order: [String]) throws {
        let plan = try RotationPlanner.plan(Self.request(order, weeks: 2), catalog: Self.catalog())
        #expect(plan.slots.map(\.countyCode) == [Self.paired, Self.plain])
        #expect(plan.score[.priority] == -2)
    }

    /// Deep (3) before paired (2) before the rest, over a full cycle.
    @Test func priorityOrderOverACycle() throws {
        let plan = try RotationPlanner.plan(Self.request([Self.other, Self.plain, Self.paired, Self.deep], weeks: 4), catalog: Self.catalog())
        #expect(Array(plan.slots.map(\.countyCode).prefix(2)) == [Self.deep, Self.paired])
        #expect(plan.cycleLength == 4)
    }

    /// Keeping the published county outweighs the deep-poverty county's claim to the first week;
    /// the published product is kept too, though the county has a larger one.
    @Test func publishedSlotIsKept() throws {
        let bigger = SF.product("pBig", supplier: "s\(Self.plain)", county: Self.plain, category: .grainOil, capacity: 900)
        let catalog = Self.catalog(extra: [bigger])
        let request = Self.request([Self.plain, Self.deep], weeks: 2)
        let fresh = try RotationPlanner.plan(request, catalog: catalog)
        #expect(fresh.slots.map(\.countyCode) == [Self.deep, Self.plain], "without a published plan the deep county goes first")
        #expect(fresh.slots.last?.productID == "pBig", "without a published plan the larger product is featured")

        let state = RotationState(published: [SF.week: FeaturedChoice(countyCode: Self.plain, productID: "p\(Self.plain)")])
        let replanned = try RotationPlanner.plan(request, catalog: catalog, state: state)
        #expect(replanned.slots.first?.choice == FeaturedChoice(countyCode: Self.plain, productID: "p\(Self.plain)"))
        #expect(replanned.score[.keepPublished] == -4)
        #expect(replanned.slots.first?.reasons.contains("kept where the published plan has it") == true)
    }

    @Test func slowMovingProductIsChosen() throws {
        let bigger = SF.product("pBig", supplier: "s\(Self.plain)", county: Self.plain, category: .grainOil, capacity: 900)
        let catalog = Self.catalog(extra: [bigger])
        let request = Self.request([Self.plain], weeks: 1)
        #expect(try RotationPlanner.plan(request, catalog: catalog).slots.map(\.productID) == ["pBig"])
        let slow = try RotationPlanner.plan(request, catalog: catalog, state: RotationState(slowMoving: ["p\(Self.plain)"]))
        #expect(slow.slots.map(\.productID) == ["p\(Self.plain)"])
        #expect(slow.score[.slowMoving] == -1)
    }

    /// Which of a county's products is featured: slow-moving first, then the one published for
    /// the week, then the largest. (p522601 has capacity 500, pBig 900.)
    @Test(arguments: [
        ([String](), String?.none, "pBig"), ([], "p522601", "p522601"), (["p522601"], nil, "p522601"), (["pBig"], "p522601", "pBig"),
        (["p522601"], "p522601", "p522601"), (["p522601", "pBig"], "p522601", "p522601"), (["p522601", "pBig"], nil, "pBig"),
        (["pBig"], "pBig", "pBig"),
    ])
    func productChoice(slow: [String], published: String?, expected: String) throws {
        let bigger = SF.product("pBig", supplier: "s\(Self.plain)", county: Self.plain, category: .grainOil, capacity: 900)
        let state = RotationState(
            published: published.map { [SF.week: FeaturedChoice(countyCode: Self.plain, productID: $0)] } ?? [:],
            slowMoving: Set(slow)
        )
        let plan = try RotationPlanner.plan(Self.request([Self.plain], weeks: 1), catalog: Self.catalog(extra: [bigger]), state: state)
        #expect(plan.slots.map(\.productID) == [expected])
        let points = (published == nil ? 0 : -4) + (slow.contains(expected) ? -1 : 0)
        #expect(plan.total == Double(points))
        #expect(plan.bound == plan.total && plan.optimal)
    }

    /// Two counties of category A and one of B over three weeks: A, B, A.
    @Test(arguments: [["x", "y", "z"], ["z", "x", "y"], ["x", "z", "y"], ["y", "x", "z"]])
    func sameCategoryNotInConsecutiveWeeks(_ order: [String]) throws {
        let codes = ["x": "530101", "y": "530102", "z": "530103"]
        let category: [String: ProductCategory] = ["x": .tea, "y": .tea, "z": .fruit]
        let catalog = RotationCatalog(
            counties: codes.values.map { SF.county($0) },
            suppliers: codes.values.map { SF.supplier("s\($0)", county: $0) },
            products: codes.map { SF.product("p\($0.value)", supplier: "s\($0.value)", county: $0.value, category: category[$0.key]!) }
        )
        let plan = try RotationPlanner.plan(Self.request(order.map { codes[$0]! }, weeks: 3), catalog: catalog)
        #expect(plan.slots.map(\.category) == [.tea, .fruit, .tea])
        #expect(plan.score[.categoryRepeat] == 0)
        #expect(plan.total == 0 && plan.optimal)
    }

    /// When every county sells the same category, the repeat cannot be avoided and is reported.
    @Test func unavoidableRepeatIsCountedOnTheLaterWeek() throws {
        let codes = ["530101", "530102"]
        let catalog = RotationCatalog(
            counties: codes.map { SF.county($0) },
            suppliers: codes.map { SF.supplier("s\($0)", county: $0) },
            products: codes.map { SF.product("p\($0)", supplier: "s\($0)", county: $0, category: .tea) }
        )
        let plan = try RotationPlanner.plan(Self.request(codes, weeks: 2), catalog: catalog)
        #expect(plan.score[.categoryRepeat] == 5)
        #expect(plan.slots.map { $0.points[.categoryRepeat] ?? 0 } == [0, 5])
        #expect(plan.bound == 0 && !plan.optimal)
    }
}
