import ChanxiaoCore

/// A match the buyer could accept (or has accepted for a week to come) that adds poverty-product
/// purchases.
public struct ClosingMatch: Sendable, Equatable {
    public var match: Match
    public var amountFen: Int { match.volume * match.unitPriceFen }

    public init(match: Match) { self.match = match }
}

/// A buyer whose share trails its target at a checkpoint (`ReportSettings.isAtRisk`), with the
/// matches that would close the gap: best first (matching's cost), until their amounts cover
/// the gap or `at_risk.max_matches` is reached.
public struct QuotaAlert: Sendable, Equatable {
    public var buyer: Buyer
    public var from: CalendarDate
    public var to: CalendarDate
    public var figures: ShareFigures
    public var target: ShareTargetPolicy.Resolved
    public var margin: Double
    public var matches: [ClosingMatch]

    public init(buyer: Buyer, from: CalendarDate, to: CalendarDate, figures: ShareFigures, target: ShareTargetPolicy.Resolved,
                settings: ReportSettings, candidates: [Match]) {
        self.buyer = buyer
        self.from = from
        self.to = to
        self.figures = figures
        self.target = target
        margin = settings.atRiskMargin
        matches = Self.closing(candidates, gap: figures.gapFen, limit: settings.atRiskMaxMatches)
    }

    static func closing(_ candidates: [Match], gap: Int?, limit: Int) -> [ClosingMatch] {
        var chosen: [ClosingMatch] = []
        var covered = 0
        for match in candidates.sorted(by: { ($0.unitCost, $0.id) < ($1.unitCost, $1.id) }) {
            guard chosen.count < limit else { break }
            if let gap, covered >= gap { break }
            let closing = ClosingMatch(match: match)
            chosen.append(closing)
            covered += closing.amountFen
        }
        return chosen
    }

    /// Whether the named matches together cover the gap.
    public var matchesCloseGap: Bool {
        guard let gap = figures.gapFen else { return false }
        return matches.reduce(0) { $0 + $1.amountFen } >= gap
    }

    /// The named matches' amounts together (`matches_amount_fen`).
    public var matchesAmountFen: Int {
        matches.reduce(0) { $0 + $1.amountFen }
    }
}
