import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoScheduling
import ChanxiaoStore
import Foundation
import Hummingbird

/// Booth applications and allocation for fairs (the fairs themselves are catalog resources).
struct FairController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.post, "/v1/fairs/{id}/applications", .policy(.create, .fairApplication), use: apply)
        endpoints.on(.get, "/v1/fairs/{id}/applications", .policy(.read, .fairApplication), use: applications)
        endpoints.on(.post, "/v1/fairs/{id}/allocate", .policy(.update, .booth), use: allocate)
        endpoints.on(.get, "/v1/fairs/{id}/booths", .policy(.read, .booth), use: booths)
        endpoints.on(.post, "/v1/fairs/{id}/booths/{number}/release", .policy(.update, .booth), use: release)
    }

    @Sendable func apply(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let fairID = try context.parameters.require("id")
        try await dependencies.requireHeld(Fair.self, id: fairID, by: caller)
        let input = try FairApplicationInput.parse(try await request.jsonObject(limit: dependencies.config.current.server.maxBodyBytes))
        if let scope = caller.scope, scope != .supplier(input.supplierID ?? "") {
            throw Problem.forbidden(
                "a supplier token may only apply for its own supplier (applicant_kind supplier, supplier_id \(caller.principal.supplierID ?? ""))"
            )
        }
        let now = dependencies.clock.now()
        let application = FairApplication(
            id: input.id ?? Identifier.generate(prefix: "app", at: now),
            fairID: fairID,
            applicantKind: input.applicantKind,
            countyCode: input.countyCode ?? "",
            supplierID: input.supplierID,
            productIDs: input.productIDs,
            boothsRequested: input.boothsRequested,
            createdAt: now,
            updatedAt: now
        )
        let stored = try await dependencies.database.applyForBooths(application, context: dependencies.writeContext(caller))
        return Respond.json(stored.fields, status: .created)
    }

    @Sendable func applications(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let fairID = try context.parameters.require("id")
        guard try await dependencies.database.fetch(Fair.self, id: fairID, within: caller.jurisdiction) != nil else {
            throw Problem.notFound("no fair with id \(fairID)")
        }
        var items = try await dependencies.database.fairApplications(fairID: fairID)
        if case .supplier(let own)? = caller.scope { items = items.filter { $0.supplierID == own } }
        return Respond.list(items.map(\.fields), nextCursor: nil)
    }

    @Sendable func allocate(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let fairID = try context.parameters.require("id")
        try await dependencies.requireHeld(Fair.self, id: fairID, by: caller)
        let board = try await dependencies.database.allocateBooths(
            fairID: fairID,
            settings: dependencies.config.current.scheduling.fairs,
            context: dependencies.writeContext(caller)
        )
        return Self.present(board)
    }

    @Sendable func booths(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let fairID = try context.parameters.require("id")
        try await dependencies.requireHeld(Fair.self, id: fairID, by: caller)
        guard let board = try await dependencies.database.boothBoard(fairID: fairID, settings: dependencies.config.current.scheduling.fairs) else {
            throw Problem.notFound("no fair with id \(fairID)")
        }
        return Self.present(board)
    }

    @Sendable func release(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let fairID = try context.parameters.require("id")
        try await dependencies.requireHeld(Fair.self, id: fairID, by: caller)
        guard let number = Int(try context.parameters.require("number")), number > 0 else {
            throw Problem.badRequest(
                "the booth number in the path must be a positive integer",
                errors: [FieldError(field: "number", message: "must be a positive integer")]
            )
        }
        var request = request
        let reason = try await request.optionalReason(limit: dependencies.config.current.server.maxBodyBytes)
        let board = try await dependencies.database.releaseBooth(
            fairID: fairID,
            number: number,
            reason: reason,
            settings: dependencies.config.current.scheduling.fairs,
            context: dependencies.writeContext(caller)
        )
        return Self.present(board)
    }

    static func present(_ board: BoothBoard) -> Response {
        let fields: [(name: String, value: JSONValue)] = [
            ("fair_id", .string(board.fair.id)), ("booth_count", JSONValue(board.fair.boothCount)),
            ("assigned", JSONValue(board.booths.count)), ("poverty_share", .double((board.povertyShare * 1000).rounded() / 1000)),
            ("min_poverty_share", .double(board.fair.minPovertyShare)), ("max_booths_per_applicant", JSONValue(board.fair.maxBoothsPerApplicant)),
            ("free_booths", .array(board.freeBooths.map { .int(Int64($0)) })), ("held_for_poverty", JSONValue(board.heldForPoverty)),
        ]
        let booths = board.booths.map { booth -> [(name: String, value: JSONValue)] in
            [
                ("number", JSONValue(booth.number)), ("application_id", .string(booth.application.id)),
                ("county_code", .string(booth.application.countyCode)), ("supplier_id", JSONValue(booth.application.supplierID)),
                ("poverty_products", .bool(booth.poverty)),
            ]
        }
        let waitlist = board.waitlist.enumerated().map { position, entry -> [(name: String, value: JSONValue)] in
            [
                ("position", JSONValue(position + 1)), ("application_id", .string(entry.application.id)),
                ("county_code", .string(entry.application.countyCode)), ("booths_wanted", JSONValue(entry.booths)),
            ]
        }
        return Respond.json(fields, lists: [("booths", booths), ("waitlist", waitlist)])
    }
}
