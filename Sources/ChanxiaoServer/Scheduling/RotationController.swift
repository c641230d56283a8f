import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoScheduling
import ChanxiaoStore
import Foundation
import Hummingbird

/// 一县一品一周: planning a rotation (a draft), publishing it, and editing its weeks.
/// Buyers and suppliers see published rotations only.
struct RotationController: Sendable {
    let dependencies: AppDependencies

    static let filters = [
        FilterSpec(name: "venue_id", type: .identifier, help: "rotations of this venue"),
        FilterSpec(name: "status", type: .oneOf(RotationStatus.allCases.map(\.rawValue)), help: "draft or published"),
    ]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.post, "/v1/rotations", .policy(.create, .rotation), use: create)
        endpoints.on(.get, "/v1/rotations", .policy(.read, .rotation), use: list)
        endpoints.on(.get, "/v1/rotations/{id}", .policy(.read, .rotation), use: get)
        endpoints.on(.post, "/v1/rotations/{id}/publish", .policy(.update, .rotation), use: publish)
        endpoints.on(.post, "/v1/rotations/{id}/swap", .policy(.update, .rotation), use: swap)
        endpoints.on(.patch, "/v1/rotations/{id}/slots/{week}", .policy(.update, .rotation), use: replace)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let config = dependencies.config.current
        let body = try await request.jsonObject(limit: config.server.maxBodyBytes)
        let input = try RotationPlanInput.parse(body)
        guard let venue = try await dependencies.database.fetch(Venue.self, id: input.venueID, within: caller.jurisdiction) else {
            throw ValidationFailure(field: "venue_id", message: "no venue with id \(input.venueID)")
        }
        let planRequest = RotationRequest(
            venue: venue,
            fromWeek: input.fromWeek,
            weeks: input.weeks,
            countyCodes: input.countyCodes,
            pinned: input.pinned,
            blackoutWeeks: input.blackoutWeeks
        )
        let planning = RotationPlanning(config: config)
        let now = dependencies.clock.now()
        let id = Identifier.generate(prefix: "rot", at: now)
        let rotation = try await dependencies.database.planRotation(
            planRequest,
            requestJSON: .object(body),
            id: id,
            planning: planning,
            context: dependencies.writeContext(caller)
        )
        return Respond.json(rotation.fields, status: .created, headers: [.location: "/v1/rotations/\(rotation.id)"])
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let config = dependencies.config.current
        let query = try request.listQuery(filters: Self.filters, config: config)
        var status = query.filters["status"]?.text.flatMap(RotationStatus.init(rawValue:))
        if !caller.plans {
            if status == .draft { return Respond.list([], nextCursor: nil) }
            status = .published
        }
        let page = try await dependencies.database.rotations(
            venueID: query.filters["venue_id"]?.text,
            status: status,
            limit: query.limit,
            beforeID: query.afterID,
            within: caller.jurisdiction
        )
        return Respond.list(page.items.map(\.summaryFields), nextCursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        Respond.json(try await visibleRotation(context, caller).fields)
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        try await dependencies.requireHeld(.rotation, id: id, by: caller, noun: "rotation")
        let rotation = try await dependencies.database.publishRotation(id: id, context: dependencies.writeContext(caller))
        return Respond.json(rotation.fields)
    }

    @Sendable func swap(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        try await dependencies.requireHeld(.rotation, id: id, by: caller, noun: "rotation")
        let input = try RotationSwapInput.parse(try await request.jsonObject(limit: dependencies.config.current.server.maxBodyBytes))
        let rotation = try await dependencies.database.swapRotationWeeks(
            id: id,
            input.weeks.0,
            input.weeks.1,
            context: dependencies.writeContext(caller)
        )
        return Respond.json(rotation.fields)
    }

    @Sendable func replace(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        try await dependencies.requireHeld(.rotation, id: id, by: caller, noun: "rotation")
        let weekText = try context.parameters.require("week")
        guard let week = IsoWeek(weekText) else {
            throw Problem.badRequest(
                "the week in the path must be an ISO week written YYYY-Www, e.g. 2020-W38",
                errors: [FieldError(field: "week", message: "must be an ISO week written YYYY-Www, e.g. 2020-W38, got '\(weekText.prefix(40))'")]
            )
        }
        let input = try SlotReplacementInput.parse(
            try await request.jsonObject(limit: dependencies.config.current.server.maxBodyBytes, mergePatch: true)
        )
        let rotation = try await dependencies.database.replaceRotationSlot(
            id: id,
            week: week,
            countyCode: input.countyCode,
            productID: input.productID,
            context: dependencies.writeContext(caller)
        )
        return Respond.json(rotation.fields)
    }

    private func visibleRotation(_ context: AppRequestContext, _ caller: Caller) async throws -> Rotation {
        let id = try context.parameters.require("id")
        guard let rotation = try await dependencies.database.rotation(id: id), rotation.status == .published || caller.plans else {
            throw Problem.notFound("no rotation with id \(id)")
        }
        try await dependencies.requireHeld(.rotation, id: id, by: caller, noun: "rotation")
        return rotation
    }
}

extension Caller {
    /// Admins and organizers plan; they see drafts.
    var plans: Bool { principal.role == .admin || principal.role == .organizer }
}
