import ChanxiaoCore

/// A match the buyer could accept (or has accepted for a week to come) that adds poverty-product
/// purchases.
public struct ClosingMatch: Sendable, Equatable {
    public let match: Match
    /// The match's week at its price.
    public let amountFen: Int

    public init(match: Match) throws(FigureOutOfRange) {
        self.match = match
        amountFen = try Figure.product(match.volume, match.unitPriceFen, "amount_fen", of: "match \(match.id)")
    }
}

/// A buyer whose share trails its target at a checkpoint (`ReportSettings.isAtRisk`), with the
/// matches that would close the gap: best first (matching's cost), until their amounts cover
/// the gap or `at_risk.max_matches` is reached.
public struct QuotaAlert: Sendable, Equatable {
    public let buyer: Buyer
    public let from: CalendarDate
    public let to: CalendarDate
    public let figures: ShareFigures
    public let target: ShareTargetPolicy.Resolved
    public let margin: Double
    public let matches: [ClosingMatch]

    /// The named matches' amounts together.
    public let matchesAmountFen: Int

    public init(
        buyer: Buyer,
        from: CalendarDate,
        to: CalendarDate,
        figures: ShareFigures,
        target: ShareTargetPolicy.Resolved,
        settings: ReportSettings,
        candidates: [Match]
    ) throws(FigureOutOfRange) {
        self.buyer = buyer
        self.from = from
        self.to = to
        self.figures = figures
        self.target = target
        margin = settings.atRiskMargin
        matches = try Self.closing(candidates, gap: figures.gapFen, limit: settings.atRiskMaxMatches)
        var total = 0
        for closing in matches { total = try Figure.sum(total, closing.amountFen, "matches_amount_fen", of: "buyer \(buyer.id)") }
        matchesAmountFen = total
    }

    static func closing(_ candidates: [Match], gap: Int?, limit: Int) throws(FigureOutOfRange) -> [ClosingMatch] {
        var chosen: [ClosingMatch] = []
        var covered = 0
        for match in candidates.sorted(by: { ($0.unitCost, $0.id) < ($1.unitCost, $1.id) }) {
            guard chosen.count < limit else { break }
            if let gap, covered >= gap { break }
            let closing = try ClosingMatch(match: match)
            chosen.append(closing)
            // Only compared with the gap: saturating keeps the comparison right.
            covered = min(covered + closing.amountFen, Figure.limit)
        }
        return chosen
    }

    /// Whether the named matches together cover the gap.
    public var matchesCloseGap: Bool {
        guard let gap = figures.gapFen else { return false }
        return matchesAmountFen >= gap
    }
}
