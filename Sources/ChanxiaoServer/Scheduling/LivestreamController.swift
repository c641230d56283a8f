import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoScheduling
import ChanxiaoStore
import Foundation
import Hummingbird

/// Livestream selling sessions: one at a time, or a plan for every featured week of a rotation.
struct LivestreamController: Sendable {
    let dependencies: AppDependencies

    static let filters = [
        FilterSpec(name: "host_id", type: .identifier, help: "sessions of this host"),
        FilterSpec(name: "rotation_id", type: .identifier, help: "sessions planned for this rotation"),
        FilterSpec(name: "week", type: .week, help: "sessions of this featured week"),
        FilterSpec(name: "status", type: .oneOf(LivestreamStatus.allCases.map(\.rawValue)), help: "scheduled or cancelled"),
    ]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.post, "/v1/livestreams", .policy(.create, .livestream), use: create)
        endpoints.on(.get, "/v1/livestreams", .policy(.read, .livestream), use: list)
        endpoints.on(.get, "/v1/livestreams/{id}", .policy(.read, .livestream), use: get)
        endpoints.on(.post, "/v1/livestreams/{id}/cancel", .policy(.update, .livestream), use: cancel)
        endpoints.on(.post, "/v1/livestream-plans", .policy(.create, .livestream), use: plan)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let config = dependencies.config.current
        let input = try LivestreamInput.parse(try await request.jsonObject(limit: config.server.maxBodyBytes))
        let now = dependencies.clock.now()
        let session = Livestream(
            id: input.id ?? Identifier.generate(prefix: "liv", at: now),
            hostID: input.hostID,
            platform: input.platform,
            startsAt: input.startsAt,
            endsAt: input.endsAt,
            feeFen: input.feeFen,
            productIDs: input.productIDs,
            title: input.title,
            createdAt: now,
            updatedAt: now
        )
        let created = try await dependencies.database.createLivestream(
            session,
            settings: config.scheduling.livestreams,
            zone: config.zone,
            context: dependencies.writeContext(caller)
        )
        return Respond.json(created.fields, status: .created, headers: [.location: "/v1/livestreams/\(created.id)"])
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let config = dependencies.config.current
        let parsed = try request.listQuery(filters: Self.filters, config: config)
        var query = LivestreamQuery()
        query.hostID = parsed.filters["host_id"]?.text
        query.rotationID = parsed.filters["rotation_id"]?.text
        query.week = parsed.filters["week"]?.text.flatMap { IsoWeek($0) }
        query.status = parsed.filters["status"]?.text.flatMap(LivestreamStatus.init(rawValue:))
        query.limit = parsed.limit
        query.afterID = parsed.afterID
        query.jurisdiction = caller.jurisdiction
        let page = try await dependencies.database.livestreams(query)
        return Respond.list(page.items.map(\.fields), nextCursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let (session, reasons) = try await dependencies.database.livestream(id: id) else {
            throw Problem.notFound("no livestream with id \(id)")
        }
        try await dependencies.requireHeld(.livestream, id: id, by: caller, noun: "livestream")
        return Respond.json(session.fields + [("reasons", .array(reasons.map(JSONValue.string)))])
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        try await dependencies.requireHeld(.livestream, id: id, by: caller, noun: "livestream")
        var request = request
        let reason = try await request.optionalReason(limit: dependencies.config.current.server.maxBodyBytes)
        let session = try await dependencies.database.cancelLivestream(id: id, reason: reason, context: dependencies.writeContext(caller))
        return Respond.json(session.fields)
    }

    @Sendable func plan(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let config = dependencies.config.current
        let input = try LivestreamPlanInput.parse(
            try await request.jsonObject(limit: config.server.maxBodyBytes),
            maxDuration: config.scheduling.livestreams.maxDurationMinutes
        )
        if caller.jurisdiction != nil, try await !dependencies.database.holds(caller.jurisdiction, .rotation, id: input.rotationID) {
            throw ValidationFailure(field: "rotation_id", message: "no rotation with id \(input.rotationID)")
        }
        let planID = Identifier.generate(prefix: "lvp", at: dependencies.clock.now())
        let record = try await dependencies.database.planLivestreams(
            rotationID: input.rotationID,
            sessionsPerSlot: input.sessionsPerSlot,
            durationMinutes: input.durationMinutes,
            planID: planID,
            sessionID: { n in "\(planID.replacingOccurrences(of: "lvp_", with: "liv_"))-\(String(format: "%03d", n + 1))" },
            settings: config.scheduling.livestreams,
            zone: config.zone,
            context: dependencies.writeContext(caller)
        )
        let fields: [(name: String, value: JSONValue)] = [
            ("id", .string(record.id)), ("rotation_id", .string(record.rotationID)), ("sessions_per_slot", JSONValue(record.sessionsPerSlot)),
            ("duration_minutes", JSONValue(record.durationMinutes)),
            ("score", JSONValue.points(record.score)),
            ("total", .double(record.total)), ("bound", .double(record.bound)), ("optimal", .bool(record.total <= record.bound)),
            ("created_at", .string(Timestamp.string(from: record.createdAt))),
        ]
        let sessions = record.sessions.map { $0.fields + [("reasons", JSONValue.array((record.reasons[$0.id] ?? []).map(JSONValue.string)))] }
        return Respond.json(fields, lists: [("sessions", sessions)], status: .created)
    }
}
