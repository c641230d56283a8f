import ChanxiaoCore

/// One purchase as the share sees it.
public struct ShareLine: Sendable, Equatable {
    public var category: ProductCategory?
    public var amountFen: Int
    public var povertyProduct: Bool

    public init(category: ProductCategory?, amountFen: Int, povertyProduct: Bool) {
        self.category = category
        self.amountFen = amountFen
        self.povertyProduct = povertyProduct
    }
}

/// Poverty-product purchases against all farm purchases, and what it takes to reach a target.
/// Every figure is exact and within `Figure.limit`: making one that would not be throws.
public struct ShareFigures: Sendable, Equatable {
    public let povertyAmountFen: Int
    public let totalAmountFen: Int
    public let target: Double
    /// The poverty-product purchases still to add, on top of everything bought so far, for the
    /// share to reach the target: the least x with (p + x) / (t + x) ≥ target. Zero when the
    /// target is met; nil when it cannot be met by adding purchases (a 100% target with
    /// other purchases already made).
    public let gapFen: Int?

    /// `subject` names whose figures these are, for a refusal (`buyer buy-a`).
    public init(povertyAmountFen: Int, totalAmountFen: Int, target: Double, subject: String = "the share") throws(FigureOutOfRange) {
        self.povertyAmountFen = try Figure.checked(povertyAmountFen, "poverty_amount_fen", of: subject)
        self.totalAmountFen = try Figure.checked(totalAmountFen, "total_amount_fen", of: subject)
        self.target = target
        gapFen = try Self.gap(poverty: povertyAmountFen, total: totalAmountFen, target: target, subject: subject)
    }

    public init(_ lines: some Sequence<ShareLine>, target: Double, subject: String = "the share") throws(FigureOutOfRange) {
        var poverty = 0
        var total = 0
        for line in lines {
            total = try Figure.sum(total, line.amountFen, "total_amount_fen", of: subject)
            if line.povertyProduct { poverty = try Figure.sum(poverty, line.amountFen, "poverty_amount_fen", of: subject) }
        }
        try self.init(povertyAmountFen: poverty, totalAmountFen: total, target: target, subject: subject)
    }

    /// Nil when nothing was bought: a share of nothing is not 0%.
    public var share: Double? {
        totalAmountFen > 0 ? Double(povertyAmountFen) / Double(totalAmountFen) : nil
    }

    private static func gap(poverty: Int, total: Int, target: Double, subject: String) throws(FigureOutOfRange) -> Int? {
        // Whether (p + x) / (t + x) reaches the target, exactly as the share is computed. The
        // amounts are figures (< 2^53) and so is x when this is asked, so Doubles hold them.
        func reaches(_ x: Int) -> Bool { Double(poverty + x) >= target * Double(total + x) }
        if reaches(0) { return 0 }
        guard target < 1 else { return nil }
        let estimate = ((target * Double(total) - Double(poverty)) / (1 - target)).rounded(.up)
        guard estimate.isFinite, estimate < Double(Figure.limit) else { throw FigureOutOfRange(figure: "gap_fen", subject: subject) }
        var gap = max(0, Int(estimate))
        // Guard the rounding of large sums: the result must reach the target exactly.
        while !reaches(gap) {
            gap = try Figure.sum(gap, 1, "gap_fen", of: subject)
        }
        return gap
    }

    /// Whether the share trails the target by more than `margin`. Nothing bought is not a risk.
    public func isAtRisk(margin: Double) -> Bool {
        guard let share else { return false }
        return share < target - margin
    }

    /// Figures per category, each against the same target.
    public static func byCategory(
        _ lines: [ShareLine],
        target: Double,
        subject: String = "the share"
    ) throws(FigureOutOfRange)
        -> [(category: ProductCategory?, figures: ShareFigures)]
    {
        let groups = Dictionary(grouping: lines, by: \.category)
        var result: [(category: ProductCategory?, figures: ShareFigures)] = []
        for category in groups.keys.sorted(by: { ($0?.rawValue ?? "") < ($1?.rawValue ?? "") }) {
            result.append(
                (
                    category,
                    try ShareFigures(
                        groups[category] ?? [],
                        target: target,
                        subject: subject + " in category " + (category?.rawValue ?? "none")
                    )
                )
            )
        }
        return result
    }
}
