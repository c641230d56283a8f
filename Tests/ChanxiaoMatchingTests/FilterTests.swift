import ChanxiaoCore
import Testing

@testable import ChanxiaoMatching

/// One demand, and for each filter a product that fails exactly that filter. The counts per
/// filter must name each exactly once, and only the clean product is a candidate.
@Suite struct FilterTests {
    static let catalog: MatchingCatalog = {
        let counties = [MF.county("451026", .deep), MF.county("341181", .none)]
        let suppliers = [
            MF.supplier("ok", county: "451026"), MF.supplier("bad", county: "451026", blacklisted: true),
            MF.supplier("rich", county: "341181"),
        ]
        let products = [
            MF.product("clean", supplier: "ok", price: 500, capacity: 10),
            MF.product("tea", supplier: "ok", category: .tea, unit: .box, price: 500, capacity: 10),  // category_unit
            MF.product("bag", supplier: "ok", unit: .bag, price: 500, capacity: 10),  // category_unit
            MF.product("uncertified", supplier: "ok", price: 500, capacity: 10, certified: false),  // certified
            MF.product("blacklisted", supplier: "bad", price: 500, capacity: 10),  // supplier_blacklisted
            MF.product("ineligible", supplier: "rich", price: 500, capacity: 10),  // county_eligible
            MF.product("winter", supplier: "ok", price: 500, capacity: 10, months: [12, 1]),  // in_season
            MF.product("sold-out", supplier: "ok", price: 500, capacity: 10),  // capacity_held
            MF.product("dear", supplier: "ok", price: 900, capacity: 10),  // price_ceiling
            MF.product("warm", supplier: "ok", price: 500, capacity: 10, coldChain: false),  // cold_chain
            MF.product("bulk", supplier: "ok", price: 500, capacity: 100, minOrder: 50, coldChain: true),  // min_order
            MF.product("refused", supplier: "ok", price: 500, capacity: 10, coldChain: true),  // declined
        ].map { product -> Product in
            var product = product
            if ["clean", "uncertified", "blacklisted", "ineligible", "winter", "sold-out", "dear"].contains(product.id) { product.coldChain = true }
            return product
        }
        return MatchingCatalog(
            counties: counties,
            suppliers: suppliers,
            products: products,
            buyers: [MF.buyer("b")],
            demands: [MF.demand("d", buyer: "b", volume: 40, ceiling: 800, coldChain: true)]
        )
    }()

    static let state = WeekState(heldByProduct: ["sold-out": 10], declined: [DemandProduct(demandID: "d", productID: "refused")])

    @Test func eachFilterRemovesItsProduct() throws {
        let result = Matcher.run(catalog: Self.catalog, state: Self.state, week: MF.week)
        #expect(result.allocations.map(\.productID) == ["clean"])
        let outcome = try #require(result.unmet.first)
        #expect(outcome.matched == 10)
        #expect(outcome.unmet == 30)
        #expect(outcome.candidates == 1)
        #expect(outcome.reason == .capacityTakenByOthers)
        #expect(
            outcome.removed == [
                .categoryUnit: 2, .certified: 1, .supplierBlacklisted: 1, .countyEligible: 1, .inSeason: 1, .capacityHeld: 1,
                .priceCeiling: 1, .coldChain: 1, .minOrder: 1, .declined: 1,
            ]
        )
    }

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var change: @Sendable (inout MatchingCatalog, inout WeekState, inout MatchingSettings) -> Void
        var expectedProducts: [String]
    }

    static let cases: [Case] = [
        Case(
            description: "a lifted county becomes ineligible when the status is not listed",
            change: { catalog, _, settings in
                catalog.counties[0].povertyStatus = .lifted
                settings.eligibleStatuses = [.national, .deep]
            },
            expectedProducts: []
        ),
        Case(
            description: "status none becomes eligible when listed",
            change: { _, _, settings in settings.eligibleStatuses.insert(.none) },
            expectedProducts: ["clean", "ineligible"]
        ),
        Case(
            description: "a certificate valid until the week's Monday still counts",
            change: { catalog, _, _ in
                catalog.products[3].certifiedSpans = [CertifiedSpan(certificateNo: "FP", from: nil, through: MF.monday)]
            },
            expectedProducts: ["clean", "uncertified"]
        ),
        Case(
            description: "a listing that starts on the Tuesday does not count for the week",
            change: { catalog, _, _ in
                catalog.products[3].certifiedSpans = [
                    CertifiedSpan(certificateNo: "FP", from: MF.monday.adding(days: 1), through: MF.monday.adding(days: 400))
                ]
            },
            expectedProducts: ["clean"]
        ),
        Case(
            description: "a certificate ending on the Sunday before does not",
            change: { catalog, _, _ in
                catalog.products[3].certifiedSpans = [CertifiedSpan(certificateNo: "FP", from: nil, through: MF.monday.adding(days: -1))]
            },
            expectedProducts: ["clean"]
        ),
        Case(
            description: "September is in season for a September product",
            change: { catalog, _, _ in catalog.products[6].seasonMonths = [9] },
            expectedProducts: ["clean", "winter"]
        ),
        Case(
            description: "a price equal to the ceiling passes",
            change: { catalog, _, _ in catalog.products[8].unitPriceFen = 800 },
            expectedProducts: ["clean", "dear"]
        ),
        Case(
            description: "a demand without cold chain takes warm products",
            change: { catalog, _, _ in catalog.demands[0].coldChain = false },
            expectedProducts: ["clean", "warm"]
        ),
        Case(
            description: "a minimum order equal to the volume passes (and the bulk product, as cheap, covers it all)",
            change: { catalog, _, _ in catalog.products[10].minOrder = 40 },
            expectedProducts: ["bulk"]
        ),
        Case(
            description: "the remaining volume, not the weekly one, meets the minimum order",
            change: { catalog, state, _ in
                catalog.products[10].minOrder = 40
                state.heldByDemand["d"] = 5
            },
            expectedProducts: ["clean"]
        ),
        Case(
            description: "a demand that ended before the week is not matched",
            change: { catalog, _, _ in catalog.demands[0].endsOn = CalendarDate("2020-09-13") },
            expectedProducts: []
        ),
        Case(
            description: "a demand starting on the week's Sunday is matched",
            change: { catalog, _, _ in catalog.demands[0].startsOn = CalendarDate("2020-09-20")! },
            expectedProducts: ["clean"]
        ),
        Case(
            description: "a demand starting after the week is not",
            change: { catalog, _, _ in catalog.demands[0].startsOn = CalendarDate("2020-09-21")! },
            expectedProducts: []
        ),
        Case(
            description: "lifting the blacklisting makes the supplier eligible",
            change: { catalog, _, _ in catalog.suppliers[1].blacklisted = false },
            expectedProducts: ["blacklisted", "clean"]
        ),
    ]

    @Test(arguments: cases)
    func aRuleAtItsEdge(_ testCase: Case) {
        var catalog = Self.catalog
        var state = Self.state
        var settings = MatchingSettings()
        testCase.change(&catalog, &state, &settings)
        let result = Matcher.run(catalog: catalog, state: state, settings: settings, week: MF.week)
        #expect(Set(result.allocations.map(\.productID)) == Set(testCase.expectedProducts))
    }

    @Test func aDemandWithNoCandidatesSaysWhy() throws {
        var catalog = Self.catalog
        catalog.demands[0].maxUnitPriceFen = 100
        let result = Matcher.run(catalog: catalog, state: Self.state, week: MF.week)
        let outcome = try #require(result.unmet.first)
        #expect(outcome.reason == .noCandidates)
        #expect(outcome.candidates == 0)
        #expect(outcome.removed[.priceCeiling] == 5)  // clean, dear, warm, bulk, refused are all dearer than 1 yuan
        #expect(outcome.matched == 0)
    }

    @Test func fullyHeldDemandsAreNotMatchedAgain() {
        var state = Self.state
        state.heldByDemand["d"] = 40
        let result = Matcher.run(catalog: Self.catalog, state: state, week: MF.week)
        #expect(result.allocations.isEmpty)
        #expect(result.unmet.isEmpty)
        #expect(result.stats.heldVolume == 40)
        #expect(result.stats.demands == 0)
    }
}
