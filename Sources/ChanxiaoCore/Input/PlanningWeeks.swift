extension IsoWeek {
    /// The weeks a client may match, plan a rotation from or report on. The calendar spans the
    /// years 1 to 9999, matching and the weekly job look up to a year back, a rotation runs up to
    /// two years ahead and a weekly report reads into the week after: within these bounds every
    /// week they reach exists, so a week at either end of the calendar is refused, not a crash.
    public static let plannable = IsoWeek(year: 2, week: 1)!...IsoWeek(year: 9997, week: 52)!

    /// Why `week` cannot be matched, planned or reported on, or nil when it can.
    public static func planningProblem(_ week: IsoWeek) -> String? {
        plannable.contains(week) ? nil : "must be from \(plannable.lowerBound) to \(plannable.upperBound), got \(week)"
    }
}
