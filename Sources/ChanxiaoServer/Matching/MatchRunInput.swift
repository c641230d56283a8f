import ChanxiaoCore

/// The body of `POST /v1/match-runs`. Both members are optional, so an empty body runs the
/// coming week.
struct MatchRunInput {
    var week: IsoWeek?
    var dryRun: Bool

    static func parse(_ body: [String: JSONValue]) throws -> MatchRunInput {
        var r = FieldReader(json: body)
        // Within IsoWeek.plannable: matching looks back at the weeks before (slow-moving products).
        let week = r.week("week")
        let dryRun = r.bool("dry_run") ?? false
        r.rejectUnknownFields()
        if r.hasErrors { throw ValidationFailure(r.errors) }
        return MatchRunInput(week: week, dryRun: dryRun)
    }
}
