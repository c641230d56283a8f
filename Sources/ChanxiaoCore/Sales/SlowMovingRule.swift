/// When a product counts as slow-moving (滞销): its matched-or-sold volume over the observed
/// recent weeks stayed below `belowShare` of its capacity over them. Matching's scorer, the
/// rotation planner and the weekly slow-moving check all ask this one rule, with volumes from
/// the one store query (`AppDatabase.takenVolumes`).
public struct SlowMovingRule: Sendable, Equatable {
    /// How many weeks before the week in question are looked at.
    public var weeks: Int
    public var belowShare: Double

    public init(weeks: Int, belowShare: Double) {
        self.weeks = weeks
        self.belowShare = belowShare
    }

    /// The volume below which the product is slow-moving; 0 when no week was observed.
    public func threshold(weeklyCapacity: Int, observedWeeks: Int) -> Double {
        belowShare * Double(weeklyCapacity * min(observedWeeks, weeks))
    }

    /// With no observed week (nothing matched or sold yet), no product is slow-moving.
    public func isSlowMoving(weeklyCapacity: Int, takenVolume: Int, observedWeeks: Int) -> Bool {
        min(observedWeeks, weeks) > 0 && Double(takenVolume) < threshold(weeklyCapacity: weeklyCapacity, observedWeeks: observedWeeks)
    }
}
