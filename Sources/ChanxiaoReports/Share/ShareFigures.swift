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
public struct ShareFigures: Sendable, Equatable {
    public var povertyAmountFen: Int
    public var totalAmountFen: Int
    public var target: Double

    public init(povertyAmountFen: Int, totalAmountFen: Int, target: Double) {
        self.povertyAmountFen = povertyAmountFen
        self.totalAmountFen = totalAmountFen
        self.target = target
    }

    public init(_ lines: some Sequence<ShareLine>, target: Double) {
        var poverty = 0, total = 0
        for line in lines {
            total += line.amountFen
            if line.povertyProduct { poverty += line.amountFen }
        }
        self.init(povertyAmountFen: poverty, totalAmountFen: total, target: target)
    }

    /// Nil when nothing was bought: a share of nothing is not 0%.
    public var share: Double? {
        totalAmountFen > 0 ? Double(povertyAmountFen) / Double(totalAmountFen) : nil
    }

    /// The poverty-product purchases still to add, on top of everything bought so far, for the
    /// share to reach the target: the least x with (p + x) / (t + x) ≥ target. Zero when the
    /// target is met; nil when it cannot be met by adding purchases (a 100% target with
    /// other purchases already made).
    public var gapFen: Int? {
        let p = Double(povertyAmountFen), t = Double(totalAmountFen)
        if p >= target * t { return 0 }
        guard target < 1 else { return nil }
        var gap = Int(((target * t - p) / (1 - target)).rounded(.up))
        // Guard the rounding of large sums: the result must reach the target exactly.
        while Double(povertyAmountFen + gap) < target * Double(totalAmountFen + gap) { gap += 1 }
        return gap
    }

    /// Whether the share trails the target by more than `margin`. Nothing bought is not a risk.
    public func isAtRisk(margin: Double) -> Bool {
        guard let share else { return false }
        return share < target - margin
    }

    /// Figures per category, each against the same target.
    public static func byCategory(_ lines: [ShareLine], target: Double) -> [(category: ProductCategory?, figures: ShareFigures)] {
        let groups = Dictionary(grouping: lines, by: \.category)
        return groups.keys.sorted { ($0?.rawValue ?? "") < ($1?.rawValue ?? "") }.map { ($0, ShareFigures(groups[$0]!, target: target)) }
    }
}
