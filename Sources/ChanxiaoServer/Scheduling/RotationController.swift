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
        var r = FieldReader(json: body)
        let venueID = r.identifier("venue_id", required: true)
        let fromWeek = r.week("from_week", required: true)
        let weeks = r.int("weeks", required: true, in: 1...RotationRequest.maxWeeks)
        // Left out or null: every eligible county.
        let counties = r.raw("county_codes") == nil ? nil : r.divisionCodeList("county_codes", level: .county)
        let blackout = r.list("blackout_weeks", maxCount: RotationRequest.maxWeeks, expected: "an ISO week written YYYY-Www") { IsoWeek($0) }
        let pins = r.objects("pinned", maxCount: RotationRequest.maxWeeks) { p, _ -> RotationRequest.Pin? in
            let week = p.week("week", required: true)
            let county = p.divisionCode("county_code", required: true, level: .county)
            let product = p.identifier("product_id", required: true)
            guard let week, let county, let product else { return nil }
            return RotationRequest.Pin(week: week, countyCode: county, productID: product)
        }
        r.rejectUnknownFields()
        if counties != nil, counties?.isEmpty == true { r.fail("county_codes", "must name at least one county, or be left out for every eligible county") }
        guard let venueID, let fromWeek, let weeks, let blackout, let pins, !r.hasErrors else { throw ValidationFailure(r.errors) }
        guard let venue = try await dependencies.database.fetch(Venue.self, id: venueID) else {
            throw ValidationFailure(field: "venue_id", message: "no venue with id \(venueID)")
        }
        let planRequest = RotationRequest(venue: venue, fromWeek: fromWeek, weeks: weeks, countyCodes: counties, pinned: pins, blackoutWeeks: blackout)
        let planning = RotationPlanning(config: config)
        let now = dependencies.clock.now()
        let id = Identifier.generate(prefix: "rot", at: now)
        let rotation = try await dependencies.database.planRotation(planRequest, requestJSON: .object(body), id: id, planning: planning,
                                                                    context: dependencies.writeContext(caller))
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
        let page = try await dependencies.database.rotations(venueID: query.filters["venue_id"]?.text, status: status,
                                                             limit: query.limit, beforeID: query.afterID)
        return Respond.list(page.items.map(\.summaryFields), nextCursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        Respond.json(try await visibleRotation(context, caller).fields)
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        let rotation = try await dependencies.database.publishRotation(id: id, context: dependencies.writeContext(caller))
        return Respond.json(rotation.fields)
    }

    @Sendable func swap(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        let body = try await request.jsonObject(limit: dependencies.config.current.server.maxBodyBytes)
        var r = FieldReader(json: body)
        let weeks = r.list("weeks", maxCount: 2, expected: "an ISO week written YYYY-Www") { IsoWeek($0) }
        r.rejectUnknownFields()
        if let weeks, weeks.count != 2 || weeks[0] == weeks[1] { r.fail("weeks", "must name two different weeks of the rotation") }
        guard let weeks, !r.hasErrors else { throw ValidationFailure(r.errors) }
        let rotation = try await dependencies.database.swapRotationWeeks(id: id, weeks[0], weeks[1], context: dependencies.writeContext(caller))
        return Respond.json(rotation.fields)
    }

    @Sendable func replace(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        let weekText = try context.parameters.require("week")
        guard let week = IsoWeek(weekText) else {
            throw Problem.badRequest("the week in the path must be an ISO week written YYYY-Www, e.g. 2020-W38",
                                     errors: [FieldError(field: "week", message: "must be an ISO week written YYYY-Www, e.g. 2020-W38, got '\(weekText.prefix(40))'")])
        }
        let body = try await request.jsonObject(limit: dependencies.config.current.server.maxBodyBytes, mergePatch: true)
        var r = FieldReader(json: body)
        let county = r.divisionCode("county_code", required: true, level: .county)
        let product = r.identifier("product_id")
        r.rejectUnknownFields()
        guard let county, !r.hasErrors else { throw ValidationFailure(r.errors) }
        let rotation = try await dependencies.database.replaceRotationSlot(id: id, week: week, countyCode: county, productID: product,
                                                                           context: dependencies.writeContext(caller))
        return Respond.json(rotation.fields)
    }

    private func visibleRotation(_ context: AppRequestContext, _ caller: Caller) async throws -> Rotation {
        let id = try context.parameters.require("id")
        guard let rotation = try await dependencies.database.rotation(id: id), rotation.status == .published || caller.plans else {
            throw Problem.notFound("no rotation with id \(id)")
        }
        return rotation
    }
}

extension Caller {
    /// Admins and organizers plan; they see drafts.
    var plans: Bool { principal.role == .admin || principal.role == .organizer }
}
