import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoReports
import ChanxiaoStore
import Foundation
import Hummingbird

/// A buyer's share against its target, the weekly report, the county statistics table and the
/// slow-moving products; and running the weekly job by hand. docs/reports.md defines each figure.
struct ReportController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/buyers/{id}/share", .policy(.read, .report), use: share)
        endpoints.on(.get, "/v1/reports/weekly", .policy(.read, .report), use: weekly)
        endpoints.on(.post, "/v1/reports/weekly/run", .policy(.create, .report), use: runWeekly)
        endpoints.on(.get, "/v1/reports/counties", .policy(.read, .report)) { request, _, caller in
            try await counties(request, caller: caller, csv: false)
        }
        endpoints.on(.get, "/v1/reports/counties.csv", .policy(.read, .report)) { request, _, caller in
            try await counties(request, caller: caller, csv: true)
        }
        endpoints.on(.get, "/v1/reports/slow-moving", .policy(.read, .report), use: slowMoving)
    }

    /// Reports across buyers are for admins and organizers; a buyer token reads only its share.
    private func requireStaff(_ caller: Caller) throws {
        if caller.scope != nil { throw Problem.forbidden("a buyer token may read only its own share; reports are for admins and organizers") }
    }

    private var today: CalendarDate {
        CalendarDate.today(in: dependencies.config.current.zone, now: dependencies.clock.now())
    }

    @Sendable func share(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        var query = ReportQuery(request.queryPairs, allowed: ["from", "to"])
        let (from, to) = query.period(today: today)
        try query.finish()
        let config = dependencies.config.current
        guard caller.scope.map({ $0 == .buyer(id) }) ?? true,
            try await dependencies.database.fetch(Buyer.self, id: id, within: caller.jurisdiction) != nil,
            let share = try await dependencies.database.buyerShare(buyerID: id, from: from, to: to, policy: config.shareTargetPolicy)
        else { throw Problem.notFound("no buyer with id \(id)") }
        let categories: [JSONValue] = share.byCategory.map { item in
            .record([("category", JSONValue(item.category?.rawValue))] + item.figures.jsonFields)
        }
        return Respond.json(
            [
                ("buyer_id", .string(share.buyer.id)), ("buyer_name", .string(share.buyer.name)),
                ("from", .string(from.description)), ("to", .string(to.description)),
            ]
                + share.figures.jsonFields
                + [
                    ("target_source", .string(share.target.source)), ("target_region_code", JSONValue(share.target.regionCode)),
                    ("at_risk", .bool(config.reports.isAtRisk(share.figures))), ("categories", .array(categories)),
                ]
        )
    }

    @Sendable func weekly(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        try requireStaff(caller)
        var query = ReportQuery(request.queryPairs, allowed: ["week", "format", "region"])
        let week = query.week("week")
        let format = query.oneOf("format", ["json", "markdown", "csv"]) ?? "json"
        let region = query.divisionCode("region")
        try query.finish()
        let reportWeek = week ?? IsoWeek(containing: today).adding(weeks: -1)
        let config = dependencies.config.current
        let report = try await dependencies.database.weeklyReport(
            reportWeek,
            policy: config.shareTargetPolicy,
            settings: config.reports,
            zone: config.zone,
            within: try Self.reportJurisdiction(region: region, caller: caller)
        )
        switch format {
        case "markdown":
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/markdown; charset=utf-8",
                    .contentDisposition: "inline; filename=\"weekly-\(reportWeek).md\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: report.markdown(zone: config.zone)))
            )
        case "csv":
            return Respond.csv(ReportCSV.byteOrderMark + report.csv, filename: "weekly-\(reportWeek).csv")
        default:
            return Respond.json(report.json)
        }
    }

    @Sendable func runWeekly(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        // The job closes weeks, records the accepted matches and alerts for the whole country.
        if let jurisdiction = caller.jurisdiction {
            throw Problem.forbidden(
                "the weekly job runs for the whole country; a token bound to \(jurisdiction.regions.joined(separator: ", ")) cannot start it"
            )
        }
        var query = ReportQuery(request.queryPairs, allowed: ["week"])
        let current = IsoWeek(containing: today)
        // The job of a week closes the week before it to all but admins: a week to come would
        // close weeks whose sales are still being recorded.
        let given = query.week("week", notAfter: current)
        try query.finish()
        let week = given ?? current
        let config = dependencies.config.current
        guard
            let summary = try await dependencies.database.runWeekly(
                week,
                settings: WeeklyRunSettings(config: config),
                trigger: "api",
                context: dependencies.writeContext(caller)
            )
        else { throw Problem.conflict("the weekly job of \(week) has already run") }
        return Respond.json(summary.jsonFields, status: .created)
    }

    /// The jurisdiction a report covers: the `region` asked for, which a region-bound organizer
    /// may only narrow its own to; else the caller's.
    static func reportJurisdiction(region: String?, caller: Caller) throws -> Jurisdiction? {
        guard let region else { return caller.jurisdiction }
        if let own = caller.jurisdiction, !own.covers(region) {
            throw Problem.forbidden(
                "region \(region) lies outside this token's regions (\(own.regions.joined(separator: ", ")))",
                errors: [FieldError(field: "region", message: "must lie inside \(own.regions.joined(separator: ", "))")]
            )
        }
        return Jurisdiction(regions: [region])
    }

    func counties(_ request: Request, caller: Caller, csv: Bool) async throws -> Response {
        try requireStaff(caller)
        var query = ReportQuery(request.queryPairs, allowed: ["from", "to", "region"])
        let (from, to) = query.period(today: today)
        let region = query.divisionCode("region")
        try query.finish()
        let table = try await dependencies.database.countyTable(from: from, to: to, region: region, within: caller.principal.jurisdiction)
        if csv { return Respond.csv(table.csv, filename: "counties-\(from)-\(to).csv") }
        return Respond.json(table.json)
    }

    @Sendable func slowMoving(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        try requireStaff(caller)
        try ReportQuery(request.queryPairs, allowed: []).finish()
        let flags = try await dependencies.database.slowMovingFlags()
        return Respond.json([("items", .array(flags.map { .record($0.item.jsonFields + [("since_week", .string($0.since.description))]) }))])
    }
}

extension WeeklyRunSettings {
    /// The weekly job's settings in force.
    public init(config: ChanxiaoConfig) {
        self.init(reports: config.reports, policy: config.shareTargetPolicy, slowMoving: config.matching.slowMoving.rule, zone: config.zone)
    }
}

extension WeeklyRunSummary {
    public var jsonFields: [(name: String, value: JSONValue)] {
        [
            ("week", .string(week.description)), ("report_week", .string(reportWeek.description)), ("sales_recorded", JSONValue(salesRecorded)),
            ("buyers_at_risk", JSONValue(buyersAtRisk)), ("slow_moving", JSONValue(slowMoving)), ("newly_slow_moving", JSONValue(newlySlowMoving)),
            ("figures_refused", .array(refused.map { .string($0.description) })),
        ]
    }
}
