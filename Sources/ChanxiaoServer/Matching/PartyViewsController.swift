import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoMatching
import ChanxiaoStore
import Hummingbird

/// What each party may see of matching beyond its own matches: a buyer's offerable products
/// and unmet demand with the reasons, and demand in aggregate for suppliers.
struct PartyViewsController: Sendable {
    let dependencies: AppDependencies

    static let weekFilter = FilterSpec(name: "week", type: .week, help: "the ISO week (default: this week)")
    static let categoryFilter = FilterSpec(
        name: "category",
        type: .oneOf(ProductCategory.allCases.map(\.rawValue)),
        help: "only this category"
    )

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/buyers/{id}/offerable-products", .policy(.read, .catalog(.buyer)), use: offerable)
        endpoints.on(.get, "/v1/buyers/{id}/unmet", .policy(.read, .catalog(.buyer)), use: unmet)
        endpoints.on(.get, "/v1/demand-summary", .policy(.read, .demandSummary), use: demandSummary)
    }

    /// The buyer of the path, as this caller may see it: another buyer's is 404, as everywhere.
    private func buyerID(_ context: AppRequestContext, caller: Caller) throws -> String {
        let id = try context.parameters.require("id")
        if let scope = caller.scope, scope != .buyer(id) { throw Problem.notFound("no buyer with id \(id)") }
        return id
    }

    /// The buyer id of the path, 404 unless the caller may see that buyer.
    private func visibleBuyerID(_ context: AppRequestContext, caller: Caller) async throws -> String {
        let id = try buyerID(context, caller: caller)
        try await dependencies.requireHeld(Buyer.self, id: id, by: caller)
        return id
    }

    /// The filters of a view that is not paged: `limit` and `cursor` are refused, not ignored.
    static func unpagedQuery(_ request: Request, filters: [FilterSpec], config: ChanxiaoConfig) throws -> ListQuery {
        if let paging = request.queryPairs.first(where: { $0.0 == "limit" || $0.0 == "cursor" })?.0 {
            throw Problem.badRequest("invalid query parameters", errors: [FieldError(field: paging, message: "this view is not paged")])
        }
        return try request.listQuery(filters: filters, config: config)
    }

    private func week(_ query: ListQuery) -> IsoWeek {
        query.filters["week"]?.text.flatMap { IsoWeek($0) } ?? IsoWeek(containing: dependencies.today)
    }

    /// The certified products matching could propose for the buyer's demands of the week: same
    /// category and unit, and every rule matching applies (docs/matching.md), read-only.
    @Sendable func offerable(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try await visibleBuyerID(context, caller: caller)
        let config = dependencies.config.current
        let query = try request.listQuery(filters: [Self.weekFilter, Self.categoryFilter], config: config)
        let week = week(query)
        guard let candidates = try await dependencies.database.offerCandidates(buyerID: id, week: week) else {
            throw Problem.notFound("no buyer with id \(id)")
        }
        let category = query.filters["category"]?.text
        var offers: [(product: Product, demands: [String])] = []
        for product in candidates.products where category == nil || product.category.rawValue == category {
            if let after = query.afterID, product.id <= after { continue }
            guard let supplier = candidates.suppliers[product.supplierID], let county = candidates.counties[product.countyCode] else { continue }
            let demands = candidates.demands.filter { demand in
                let remaining = demand.weeklyVolume - (candidates.heldByDemand[demand.id] ?? 0)
                return remaining > 0
                    && MatchFilter.firstFailure(
                        product,
                        supplier: supplier,
                        county: county,
                        demand: demand,
                        remaining: remaining,
                        declined: candidates.declined.contains(demand.id + "|" + product.id),
                        week: week,
                        held: candidates.held[product.id] ?? 0,
                        settings: config.matching
                    ) == nil
            }
            if !demands.isEmpty { offers.append((product, demands.map(\.id))) }
            if offers.count > query.limit { break }
        }
        let page = Page(fetched: offers, limit: query.limit, id: \.product.id)
        let items = page.items.map { offer -> [(name: String, value: JSONValue)] in
            let product = offer.product
            let span = product.certifiedSpans.last { $0.covers(week.monday) }
            return [
                ("product_id", .string(product.id)), ("product_name", .string(product.name)),
                ("category", .string(product.category.rawValue)), ("category_name", .string(product.category.chineseName)),
                ("unit", .string(product.unit.rawValue)), ("unit_name", .string(product.unit.chineseName)),
                ("unit_price_fen", JSONValue(product.unitPriceFen)), ("min_order", JSONValue(product.minOrder)),
                ("cold_chain", .bool(product.coldChain)), ("supplier_id", .string(product.supplierID)),
                ("supplier_name", JSONValue(candidates.suppliers[product.supplierID]?.name)), ("county_code", .string(product.countyCode)),
                ("county_name", JSONValue(candidates.counties[product.countyCode]?.name)),
                ("certificate_no", JSONValue(span?.certificateNo)), ("certified_until", JSONValue(span?.through)),
                ("demand_ids", .array(offer.demands.map(JSONValue.string))),
            ]
        }
        return Respond.json([("week", .string(week.description)), ("next_cursor", JSONValue(page.nextCursor))], lists: [("items", items)])
    }

    /// The buyer's demands that the week's latest run did not fill, with the reasons.
    @Sendable func unmet(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try await visibleBuyerID(context, caller: caller)
        let query = try Self.unpagedQuery(request, filters: [Self.weekFilter], config: dependencies.config.current)
        let week = week(query)
        guard try await dependencies.database.fetch(Buyer.self, id: id) != nil else { throw Problem.notFound("no buyer with id \(id)") }
        let found = try await dependencies.database.unmetEntries(buyerID: id, week: week)
        let items = (found?.entries ?? []).map { entry -> JSONValue in
            guard case .object(var members) = entry else { return entry }
            members["explanation"] = .string(UnmetExplanation.text(members))
            return .object(members)
        }
        return Respond.json(
            [
                ("week", .string(week.description)), ("run_id", JSONValue(found?.run.id)),
                ("run_started_at", JSONValue(found.map { Timestamp.string(from: $0.run.startedAt) })),
                ("items", .array(items)),
            ]
        )
    }

    /// Demand of the week in aggregate; a supplier sees the categories it sells in.
    @Sendable func demandSummary(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let query = try Self.unpagedQuery(request, filters: [Self.weekFilter, Self.categoryFilter], config: dependencies.config.current)
        let week = week(query)
        var categories: Set<ProductCategory>? = nil
        if case .supplier(let id)? = caller.principal.ownership {
            categories = try await dependencies.database.categories(ofSupplier: id)
        }
        if let only = query.filters["category"]?.text.flatMap(ProductCategory.init(rawValue:)) {
            categories = (categories ?? [only]).intersection([only])
        }
        let groups = try await dependencies.database.demandAggregates(week: week, categories: categories)
        let items = groups.map { group -> [(name: String, value: JSONValue)] in
            [
                ("category", .string(group.category.rawValue)), ("category_name", .string(group.category.chineseName)),
                ("unit", .string(group.unit.rawValue)), ("unit_name", .string(group.unit.chineseName)),
                ("region_code", .string(group.regionCode)), ("demands", JSONValue(group.demands)),
                ("weekly_volume", JSONValue(group.weeklyVolume)), ("cold_chain_volume", JSONValue(group.coldChainVolume)),
                ("min_price_ceiling_fen", JSONValue(group.minPriceCeilingFen)),
                ("max_price_ceiling_fen", JSONValue(group.maxPriceCeilingFen)),
            ]
        }
        return Respond.json([("week", .string(week.description))], lists: [("items", items)])
    }
}

/// A sentence for an unmet entry, so that a canteen learns why without asking anyone.
enum UnmetExplanation {
    static func text(_ entry: [String: JSONValue]) -> String {
        let unmet = entry["unmet"]?.csvText ?? "?"
        let unit = entry["unit"]?.string ?? ""
        let removed = entry["removed_by_filter"]?.objectValue ?? [:]
        let counts = removed.compactMap { name, value -> (String, Int64)? in
            guard case .int(let count) = value, count > 0, name != MatchFilter.categoryUnit.rawValue else { return nil }
            return (name, count)
        }
        .sorted { ($1.1, $0.0) < ($0.1, $1.0) }
        let why = counts.prefix(3).map { "\($0.1) \($0.1 == 1 ? "product" : "products") \(phrase($0.0))" }.joined(separator: "; ")
        switch entry["reason"]?.string {
        case UnmetReason.noCandidates.rawValue?:
            return "\(unmet) \(unit) unmet: no product of this category and unit passes every rule" + (why.isEmpty ? "." : " (\(why)).")
        case UnmetReason.capacityTakenByOthers.rawValue?:
            return "\(unmet) \(unit) unmet: the products that qualify have no capacity left this week."
        case UnmetReason.supplierCap.rawValue?:
            return "\(unmet) \(unit) unmet: your limit of suppliers per category kept out suppliers with capacity."
        case UnmetReason.minOrder.rawValue?:
            return "\(unmet) \(unit) unmet: what remains is below the minimum order of the products with capacity left."
        default:
            return "\(unmet) \(unit) unmet."
        }
    }

    private static func phrase(_ filter: String) -> String {
        switch MatchFilter(rawValue: filter) {
        case .certified?: "not certified for the week"
        case .supplierBlacklisted?: "from blacklisted suppliers"
        case .countyEligible?: "from counties outside the eligible statuses"
        case .inSeason?: "out of season"
        case .capacityHeld?: "with all capacity taken by accepted matches"
        case .priceCeiling?: "above your price ceiling"
        case .coldChain?: "without cold chain"
        case .minOrder?: "with a minimum order above your volume"
        case .declined?: "declined by you this week"
        case .categoryUnit?, nil: "excluded"
        }
    }
}
