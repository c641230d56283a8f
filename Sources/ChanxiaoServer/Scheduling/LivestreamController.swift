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
        let body = try await request.jsonObject(limit: config.server.maxBodyBytes)
        let now = dependencies.clock.now()
        var r = FieldReader(json: body)
        let id = r.identifier("id") ?? Identifier.generate(prefix: "liv", at: now)
        let host = r.identifier("host_id", required: true)
        let platform = r.oneOf("platform", required: true, LivestreamPlatform.self)
        let startsAt = r.timestamp("starts_at", required: true)
        let endsAt = r.timestamp("ends_at", required: true)
        let fee = r.int("fee_fen", in: 0...Quantity.valueFen.upperBound) ?? 0
        let products = r.list("product_ids", maxCount: 50, expected: "a product id") { Identifier.problem(with: $0) == nil ? $0 : nil }
        let title = r.string("title", maxLength: 200)
        r.rejectUnknownFields()
        // Said here too (the session rules say it again), so that it is listed beside a missing
        // host or a bad time, which stop the request before the rules are checked.
        if let products, products.isEmpty { r.fail("product_ids", "must name at least one product") }
        guard let host, let platform, let startsAt, let endsAt, let products, !r.hasErrors else { throw ValidationFailure(r.errors) }
        let session = Livestream(id: id, hostID: host, platform: platform, startsAt: startsAt, endsAt: endsAt, feeFen: fee,
                                 productIDs: products.uniqued(), title: title, createdAt: now, updatedAt: now)
        let created = try await dependencies.database.createLivestream(session, settings: config.scheduling.livestreams, zone: config.zone,
                                                                       context: dependencies.writeContext(caller))
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
        let page = try await dependencies.database.livestreams(query)
        return Respond.list(page.items.map(\.fields), nextCursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let (session, reasons) = try await dependencies.database.livestream(id: id) else { throw Problem.notFound("no livestream with id \(id)") }
        return Respond.json(session.fields + [("reasons", .array(reasons.map(JSONValue.string)))])
    }

    @Sendable func cancel(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        let session = try await dependencies.database.cancelLivestream(id: id, context: dependencies.writeContext(caller))
        return Respond.json(session.fields)
    }

    @Sendable func plan(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let config = dependencies.config.current
        let body = try await request.jsonObject(limit: config.server.maxBodyBytes)
        var r = FieldReader(json: body)
        let rotation = r.identifier("rotation_id", required: true)
        let perSlot = r.int("sessions_per_slot", required: true, in: 1...28)
        let duration = r.int("duration_minutes", required: true, in: 15...config.scheduling.livestreams.maxDurationMinutes)
        r.rejectUnknownFields()
        guard let rotation, let perSlot, let duration, !r.hasErrors else { throw ValidationFailure(r.errors) }
        let planID = Identifier.generate(prefix: "lvp", at: dependencies.clock.now())
        let record = try await dependencies.database.planLivestreams(
            rotationID: rotation, sessionsPerSlot: perSlot, durationMinutes: duration, planID: planID,
            sessionID: { n in "\(planID.replacingOccurrences(of: "lvp_", with: "liv_"))-\(String(format: "%03d", n + 1))" },
            settings: config.scheduling.livestreams, zone: config.zone, context: dependencies.writeContext(caller))
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
