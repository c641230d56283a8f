import ChanxiaoCore

/// What admins tune in `reports.*` (and `buyers.regional_share_targets`).
public struct ReportSettings: Sendable, Equatable {
    /// Whether the daemon files the weekly report, checks targets and flags slow-moving stock by itself.
    public var weeklyEnabled = true
    /// When: every Tuesday 09:00 (seed 003 §六(三): 每周二报送), in `time_zone`.
    public var weeklyMoment = WeeklyMoment(weekday: 2, minute: 9 * 60)
    /// The span a share target is judged over at a checkpoint: the year, quarter or month so far.
    public var targetPeriod = TargetPeriod.year
    /// A buyer is at risk when its share is more than this below its target.
    public var atRiskMargin = 0.05
    /// Buyers whose farm purchases in the period total less than this are not judged.
    public var atRiskMinTotalFen = 1
    /// How many matches a `quota.at_risk` event names at most.
    public var atRiskMaxMatches = 5
    /// Whether accepted matches become recorded sales once their week is over.
    public var salesFromMatches = false
    /// Buyer networks that receive `product.slow_moving`; empty means every network.
    public var slowMovingNetworks: [String] = []

    public init() {}

    /// The at-risk rule: enough bought to judge, and the share more than the margin below target.
    public func isAtRisk(_ figures: ShareFigures) -> Bool {
        figures.totalAmountFen >= atRiskMinTotalFen && figures.isAtRisk(margin: atRiskMargin)
    }
}

/// The spans share targets are judged over.
public enum TargetPeriod: String, Sendable, CaseIterable {
    case year, quarter, month

    /// The first day of the period containing `date`.
    public func start(of date: CalendarDate) -> CalendarDate {
        switch self {
        case .year: CalendarDate(year: date.year, month: 1, day: 1)!
        case .quarter: CalendarDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1)!
        case .month: CalendarDate(year: date.year, month: date.month, day: 1)!
        }
    }
}
