import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoStore
import Hummingbird

/// Matches (proposals): listed with filters, read, and accepted or declined by their buyer.
/// Buyers see their own matches, suppliers those of their products.
struct MatchController: Sendable {
    let dependencies: AppDependencies

    static let filters = [
        FilterSpec(name: "week", type: .week, help: "matches for this ISO week"),
        FilterSpec(name: "status", type: .oneOf(MatchStatus.allCases.map(\.rawValue)), help: "proposal status"),
        FilterSpec(name: "buyer_id", type: .identifier, help: "matches of this buyer"),
        FilterSpec(name: "supplier_id", type: .identifier, help: "matches of this supplier's products"),
        FilterSpec(name: "demand_id", type: .identifier, help: "matches of this demand"),
        FilterSpec(name: "product_id", type: .identifier, help: "matches of this product"),
        FilterSpec(name: "run_id", type: .identifier, help: "matches proposed by this run"),
    ]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/matches", .policy(.read, .match), use: list)
        endpoints.on(.get, "/v1/matches.csv", .policy(.read, .match), use: csv)
        endpoints.on(.get, "/v1/matches/{id}", .policy(.read, .match), use: get)
        endpoints.on(.post, "/v1/matches/{id}/accept", .policy(.update, .match)) { request, context, caller in
            try await decide(request, context: context, caller: caller, accept: true)
        }
        endpoints.on(.post, "/v1/matches/{id}/decline", .policy(.update, .match)) { request, context, caller in
            try await decide(request, context: context, caller: caller, accept: false)
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let query = try Self.query(request, config: dependencies.config.current, caller: caller)
        let page = try await dependencies.database.matches(query)
        let names = try await dependencies.database.matchNames(page.items, reader: caller.scope)
        return Respond.list(page.items.map(names.fields(of:)), nextCursor: page.nextCursor)
    }

    /// The list's matches (every page, with the same filters and scope) as CSV with the names,
    /// for a spreadsheet: one row per match, the columns of the JSON members.
    @Sendable func csv(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        if let paging = request.queryPairs.first(where: { $0.0 == "limit" || $0.0 == "cursor" })?.0 {
            throw Problem.badRequest(
                "invalid query parameters",
                errors: [FieldError(field: paging, message: "is not taken here: the export holds every match the filters select")]
            )
        }
        var query = try Self.query(request, config: dependencies.config.current, caller: caller)
        query.limit = 500
        var rows: [[(name: String, value: JSONValue)]] = []
        while true {
            let page = try await dependencies.database.matches(query)
            let names = try await dependencies.database.matchNames(page.items, reader: caller.scope)
            rows += page.items.map(names.fields(of:))
            guard let last = page.items.last, page.nextCursor != nil else { break }
            query.afterID = last.id
        }
        return Respond.csv(MatchCSV.text(rows), filename: "matches.csv")
    }

    static func query(_ request: Request, config: ChanxiaoConfig, caller: Caller) throws -> MatchQuery {
        let parsed = try request.listQuery(filters: Self.filters, config: config)
        var query = MatchQuery()
        query.week = parsed.filters["week"]?.text.flatMap { IsoWeek($0) }
        query.status = parsed.filters["status"]?.text.flatMap(MatchStatus.init(rawValue:))
        query.buyerID = parsed.filters["buyer_id"]?.text
        query.supplierID = parsed.filters["supplier_id"]?.text
        query.demandID = parsed.filters["demand_id"]?.text
        query.productID = parsed.filters["product_id"]?.text
        query.runID = parsed.filters["run_id"]?.text
        query.owner = caller.scope
        query.jurisdiction = caller.jurisdiction
        query.limit = parsed.limit
        query.afterID = parsed.afterID
        return query
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let match = try await dependencies.database.match(id: id), caller.scope.map({ match.isVisible(to: $0) }) ?? true else {
            throw Problem.notFound("no match with id \(id)")
        }
        try await dependencies.requireHeld(.match, id: id, by: caller, noun: "match")
        return Respond.json(try await dependencies.database.matchNames([match], reader: caller.scope).fields(of: match))
    }

    func decide(_ request: Request, context: AppRequestContext, caller: Caller, accept: Bool) async throws -> Response {
        let id = try context.parameters.require("id")
        let scope = caller.scope
        let match = try await dependencies.database.decide(matchID: id, accept: accept, context: dependencies.writeContext(caller)) { match in
            // Writing another's resource is forbidden, as everywhere in the API.
            if let scope, !match.isVisible(to: scope) { throw Problem.forbidden("this match belongs to another buyer") }
        }
        return Respond.json(try await dependencies.database.matchNames([match], reader: scope).fields(of: match))
    }
}
