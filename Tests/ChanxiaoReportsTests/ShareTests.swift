import ChanxiaoCore
import ChanxiaoReports
import Testing

@Suite struct ShareTests {
    struct ShareCase: Sendable {
        var name: String
        var poverty: Int
        var total: Int
        var target: Double
        var share: Double?
        var gap: Int?
        var atRisk: Bool
    }

    static let shareCases: [ShareCase] = [
        ShareCase(name: "nothing bought", poverty: 0, total: 0, target: 0.3, share: nil, gap: 0, atRisk: false),
        ShareCase(name: "met exactly", poverty: 30, total: 100, target: 0.3, share: 0.3, gap: 0, atRisk: false),
        ShareCase(name: "within the margin", poverty: 26, total: 100, target: 0.3, share: 0.26, gap: 6, atRisk: false),
        // (20 + x) / (100 + x) = 0.3 → x = 10 / 0.7 = 14.28… → 15.
        ShareCase(name: "below by more than the margin", poverty: 20, total: 100, target: 0.3, share: 0.2, gap: 15, atRisk: true),
        ShareCase(name: "only other purchases", poverty: 0, total: 1_000_000, target: 0.5, share: 0, gap: 1_000_000, atRisk: true),
        ShareCase(name: "everything a poverty product", poverty: 500, total: 500, target: 1.0, share: 1, gap: 0, atRisk: false),
        ShareCase(name: "a 100% target cannot be reached by adding", poverty: 90, total: 100, target: 1.0, share: 0.9, gap: nil, atRisk: true),
        ShareCase(name: "a zero target", poverty: 0, total: 100, target: 0, share: 0, gap: 0, atRisk: false),
        ShareCase(
            name: "large sums stay exact",
            poverty: 100_000_000_000,
            total: 1_000_000_000_000,
            target: 0.3,
            share: 0.1,
            gap: 285_714_285_715,
            atRisk: true
        ),
    ]

    @Test(arguments: shareCases)
    func figures(_ c: ShareCase) throws {
        let figures = try ShareFigures(povertyAmountFen: c.poverty, totalAmountFen: c.total, target: c.target)
        #expect(figures.share == c.share, "\(c.name)")
        #expect(figures.gapFen == c.gap, "\(c.name)")
        #expect(figures.isAtRisk(margin: 0.05) == c.atRisk, "\(c.name)")
        if let gap = figures.gapFen, gap > 0 {
            // The gap is the least amount that reaches the target.
            #expect(Double(c.poverty + gap) >= c.target * Double(c.total + gap), "\(c.name)")
            #expect(Double(c.poverty + gap - 1) < c.target * Double(c.total + gap - 1), "\(c.name)")
        }
    }

    @Test func linesSumPerCategoryAndInTotal() throws {
        let lines = [
            ShareLine(category: .grainOil, amountFen: 600, povertyProduct: true),
            ShareLine(category: .grainOil, amountFen: 1400, povertyProduct: false),
            ShareLine(category: .tea, amountFen: 1000, povertyProduct: true),
            ShareLine(category: .vegetables, amountFen: 2000, povertyProduct: false),  // off-catalog: counts in the total only
        ]
        let total = try ShareFigures(lines, target: 0.3)
        #expect(total.povertyAmountFen == 1600)
        #expect(total.totalAmountFen == 5000)
        let byCategory = try ShareFigures.byCategory(lines, target: 0.3)
        #expect(byCategory.map { $0.category } == [.grainOil, .tea, .vegetables])
        #expect(byCategory.map { $0.figures.share } == [0.3, 1.0, 0.0])
    }

    /// Figures that would pass 2^53 − 1 are refused, naming the figure and whose it is, never
    /// rounded or wrapped: sums of purchases, and a gap a target near 100% makes huge.
    @Test(arguments: [
        (
            lines: [
                ShareLine(category: .tea, amountFen: Figure.limit, povertyProduct: true),
                ShareLine(category: .tea, amountFen: 1, povertyProduct: false),
            ],
            target: 0.3, figure: "total_amount_fen"
        ),
        (lines: [ShareLine(category: .tea, amountFen: 1_000_000, povertyProduct: false)], target: 0.999_999_999_999, figure: "gap_fen"),
        (lines: [ShareLine(category: .tea, amountFen: 1_000_000_000_000, povertyProduct: false)], target: 0.9999, figure: "gap_fen"),
    ])
    func figuresBeyondTheLimitAreRefused(_ c: (lines: [ShareLine], target: Double, figure: String)) {
        #expect(throws: FigureOutOfRange(figure: c.figure, subject: "buyer b")) {
            try ShareFigures(c.lines, target: c.target, subject: "buyer b")
        }
    }

    @Test func aGapJustUnderTheLimitIsExact() throws {
        // 0.5 target, nothing certified: the gap equals what was bought.
        let figures = try ShareFigures(povertyAmountFen: 0, totalAmountFen: Figure.limit - 1, target: 0.5)
        #expect(figures.gapFen == Figure.limit - 1)
    }

    @Test(arguments: [
        // (buyer region, kind, own target, expected share, expected source)
        ("440304", BuyerKind.budgetUnit, nil as Double?, 0.25, "region"),  // 440300 budget_unit beats 440000 general
        ("440304", BuyerKind.canteen, nil, 0.2, "region"),  // 440000 general
        ("440305", BuyerKind.budgetUnit, nil, 0.35, "region"),  // the county's own rule is the most specific
        ("450100", BuyerKind.union, nil, 0.5, "kind"),  // no rule: the kind's default
        ("440304", BuyerKind.budgetUnit, 0.4, 0.4, "buyer"),  // the buyer's own target first
    ])
    func targetPrecedence(region: String, kind: BuyerKind, own: Double?, share: Double, source: String) {
        let policy = ShareTargetPolicy(
            kindDefaults: [.union: 0.5, .budgetUnit: 0.3, .canteen: 0.3],
            regional: [
                RegionalShareTarget("440000 0.20")!, RegionalShareTarget("440300 budget_unit 0.25")!, RegionalShareTarget("440305 0.35")!,
            ]
        )
        let buyer = Buyer(id: "b", name: "b", kind: kind, regionCode: region, povertyShareTarget: own)
        let target = policy.target(for: buyer)
        #expect(target.share == share)
        #expect(target.source == source)
    }

    @Test(arguments: ["440300", "440300 canteen", "440300 chef 0.3", "44030 0.3", "440300 1.5", "440300 canteen 0.3 extra"])
    func malformedRegionalTargetsSayWhy(_ text: String) {
        #expect(RegionalShareTarget(text) == nil)
        #expect(RegionalShareTarget.problem(with: text) != nil)
    }

    @Test func targetPeriodsStartOnTheirFirstDay() {
        let day = CalendarDate("2020-08-15")!
        #expect(TargetPeriod.year.start(of: day) == CalendarDate("2020-01-01"))
        #expect(TargetPeriod.quarter.start(of: day) == CalendarDate("2020-07-01"))
        #expect(TargetPeriod.month.start(of: day) == CalendarDate("2020-08-01"))
    }
}

/// Whether a sale counts as a poverty product is decided from the product on the day sold.
@Suite struct SaleResolutionTests {
    static let product = Product(
        id: "prd",
        supplierID: "sup",
        countyCode: "451026",
        name: "那坡大米",
        category: .grainOil,
        unit: .kg,
        unitPriceFen: 800,
        weeklyCapacity: 100,
        certificateNo: "FP1",
        certifiedUntil: CalendarDate("2020-09-15")
    )

    @Test(arguments: [
        ("2020-09-14", nil as String?, true),  // certified that day
        ("2020-09-15", nil, true),  // the last day of the certificate
        ("2020-09-16", nil, false),  // the certificate expired mid-period
        ("2020-09-10", "2020-09-10", false),  // blacklisted that day
        ("2020-09-09", "2020-09-10", true),  // sold before the blacklisting
    ])
    func povertyFlagFollowsTheDay(sold: String, blacklisted: String?, poverty: Bool) {
        var sale = Sale(
            id: "s",
            buyerID: "b",
            productID: "prd",
            category: nil,
            volume: 1,
            amountFen: 800,
            soldOn: CalendarDate(sold)!,
            channel: .canteen
        )
        #expect(sale.resolve(product: Self.product, supplierBlacklistedOn: blacklisted.flatMap { CalendarDate($0) }) == [])
        #expect(sale.povertyProduct == poverty)
        #expect(sale.category == .grainOil)
        #expect(sale.unit == .kg)
        #expect(sale.countyCode == "451026")
    }

    @Test func aProductWithoutCertificateNeverCounts() {
        var uncertified = Self.product
        uncertified.certifiedSpans = []
        var sale = Sale(
            id: "s",
            buyerID: "b",
            productID: "prd",
            category: .grainOil,
            volume: 1,
            amountFen: 800,
            soldOn: CalendarDate("2020-09-01")!,
            channel: .canteen
        )
        _ = sale.resolve(product: uncertified, supplierBlacklistedOn: nil)
        #expect(!sale.povertyProduct)
    }

    @Test func offCatalogPurchasesNeedACategoryAndNeverCount() {
        var sale = Sale(id: "s", buyerID: "b", category: nil, volume: 1, amountFen: 800, soldOn: CalendarDate("2020-09-01")!, channel: .other)
        #expect(sale.resolve(product: nil, supplierBlacklistedOn: nil).map(\.field) == ["category"])
        sale.category = .fruit
        sale.povertyProduct = true  // the client's word is not taken
        #expect(sale.resolve(product: nil, supplierBlacklistedOn: nil) == [])
        #expect(!sale.povertyProduct)
        #expect(sale.countyCode == nil)
    }

    @Test func aCategoryOrUnitThatContradictsTheProductIsRefused() {
        var sale = Sale(
            id: "s",
            buyerID: "b",
            productID: "prd",
            category: .tea,
            unit: .box,
            volume: 1,
            amountFen: 800,
            soldOn: CalendarDate("2020-09-01")!,
            channel: .canteen
        )
        #expect(sale.resolve(product: Self.product, supplierBlacklistedOn: nil).map(\.field) == ["category", "unit"])
    }
}
