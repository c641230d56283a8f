import ChanxiaoCore
import ChanxiaoStore
import Hummingbird

/// `POST /v1/match-runs` runs matching for a week; runs are listed and read back with their
/// figures and the demands they could not meet.
struct MatchRunController: Sendable {
    let dependencies: AppDependencies
    let runner: MatchRunner

    static let filters = [FilterSpec(name: "week", type: .week, help: "runs for this ISO week, e.g. 2020-W38")]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.post, "/v1/match-runs", .policy(.create, .matchRun), use: create)
        endpoints.on(.get, "/v1/match-runs", .policy(.read, .matchRun), use: list)
        endpoints.on(.get, "/v1/match-runs/{id}", .policy(.read, .matchRun), use: get)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let input = try MatchRunInput.parse(try await request.jsonObject(limit: dependencies.config.current.server.maxBodyBytes, allowEmpty: true))
        let week = input.week ?? dependencies.comingWeek()
        let dryRun = input.dryRun
        // A run matches every buyer with every county; its proposals and figures are national.
        if let jurisdiction = caller.jurisdiction {
            throw Problem.forbidden(
                "a run matches the whole country; a token bound to \(jurisdiction.regions.joined(separator: ", ")) cannot start one (ask a national organizer or an admin)"
            )
        }

        let principal = caller.principal
        let outcome = try await runner.run(week: week, dryRun: dryRun, trigger: "api", actor: principal.tokenID, role: principal.role)
        var fields = outcome.run.fields
        fields.insert(("dry_run", .bool(dryRun)), at: 2)
        if dryRun {
            // Nothing is stored: the proposals a real run would make come with the answer.
            let names = try await dependencies.database.matchNames(outcome.matches, reader: nil)
            return Respond.json(fields, lists: [("matches", outcome.matches.map(names.fields(of:)))])
        }
        return Respond.json(fields, status: .created, headers: [.location: "/v1/match-runs/\(outcome.run.id)"])
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let config = dependencies.config.current
        let query = try request.listQuery(filters: Self.filters, config: config)
        let page = try await dependencies.database.matchRuns(
            week: query.filters["week"]?.text.flatMap { IsoWeek($0) },
            limit: query.limit,
            beforeID: query.afterID
        )
        return Respond.list(page.items.map(\.summaryFields), nextCursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        guard var run = try await dependencies.database.matchRun(id: id) else { throw Problem.notFound("no match run with id \(id)") }
        // The figures are the run's; the unmet demands shown are those of the caller's buyers.
        if let jurisdiction = caller.jurisdiction, let entries = run.unmet.array {
            let buyers = try await dependencies.database.buyerIDs(within: jurisdiction)
            run.unmet = .array(entries.filter { $0.objectValue?["buyer_id"]?.string.map(buyers.contains) ?? false })
        }
        return Respond.json(run.fields)
    }
}
