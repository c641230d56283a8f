import ChanxiaoCore

/// What admins tune in `matching.*` of the configuration. Every preference is a change of the
/// effective unit price, as a share of the price, so that it reads as money: "a paired county's
/// product counts as 10% cheaper".
public struct MatchingSettings: Sendable, Equatable {
    /// Counties whose products count as poverty products (the `county_eligible` filter).
    public var eligibleStatuses: Set<PovertyStatus> = [.national, .provincial, .deep, .lifted]

    /// `price`: the price itself, times `weight`.
    public var price = Term(enabled: true, share: 1.0)
    /// `paired`: products of counties paired with the buyer's region (对口帮扶) count as cheaper.
    public var paired = Term(enabled: true, share: 0.10)
    /// `deep_poverty`: products of deep-poverty counties count as cheaper.
    public var deepPoverty = Term(enabled: true, share: 0.05)
    /// `slow_moving`: products with little of their capacity taken in recent weeks (滞销) count as cheaper.
    public var slowMoving = SlowMoving()
    /// `spread`: a county's volume beyond a share of a category's demand counts as dearer.
    public var spread = Spread()

    public struct Term: Sendable, Equatable {
        public var enabled: Bool
        /// For `price`, the weight of the price; for discounts, the share of the price taken off.
        public var share: Double

        public init(enabled: Bool, share: Double) {
            self.enabled = enabled
            self.share = share
        }
    }

    public struct SlowMoving: Sendable, Equatable {
        public var enabled = true
        public var share = 0.05
        /// How many weeks before the matched week are looked at.
        public var weeks = 4
        /// A product is slow-moving when its matched-or-sold volume over those weeks is below this
        /// share of its capacity over them.
        public var belowShare = 0.25

        public init() {}

        /// The rule these settings make; matching, rotation planning and the weekly check share it.
        public var rule: SlowMovingRule { SlowMovingRule(weeks: weeks, belowShare: belowShare) }

        public func isSlowMoving(weeklyCapacity: Int, recentVolume: Int, observedWeeks: Int) -> Bool {
            rule.isSlowMoving(weeklyCapacity: weeklyCapacity, takenVolume: recentVolume, observedWeeks: observedWeeks)
        }
    }

    /// A convex, piecewise-linear surcharge on a county's volume within one category and unit:
    /// free up to `firstShare` of the group's demand, then `firstSurcharge` of the group's
    /// median price per unit, and `secondSurcharge` beyond `secondShare`.
    public struct Spread: Sendable, Equatable {
        public var enabled = true
        public var firstShare = 0.30
        public var firstSurcharge = 0.05
        public var secondShare = 0.50
        public var secondSurcharge = 0.20

        public init() {}
    }

    public init() {}
}
