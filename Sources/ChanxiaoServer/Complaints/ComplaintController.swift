import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Hummingbird

/// Complaints (投诉举报): anyone with a token files one about a product or a supplier; admins and
/// reviewers (within their regions) investigate, dismiss or uphold them. Who reads which is the
/// store's `ComplaintScope`: staff all, reviewers their regions', everyone else its own.
struct ComplaintController: Sendable {
    let dependencies: AppDependencies

    static let listFilters = [
        FilterSpec(name: "status", type: .oneOf(ComplaintStatus.allCases.map(\.rawValue)), help: "complaints in this state"),
        FilterSpec(name: "subject_kind", type: .oneOf(ComplaintSubjectKind.allCases.map(\.rawValue)), help: "about products or suppliers"),
        FilterSpec(name: "subject_id", type: .identifier, help: "about this product or supplier"),
        FilterSpec(name: "category", type: .oneOf(ComplaintCategory.allCases.map(\.rawValue)), help: "of this category"),
    ]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.post, "/v1/complaints", .policy(.create, .complaint), use: file)
        endpoints.on(.get, "/v1/complaints", .policy(.read, .complaint), use: list)
        endpoints.on(.get, "/v1/complaints/{id}", .policy(.read, .complaint), use: show)
        for action in ComplaintAction.allCases {
            endpoints.on(.post, "/v1/complaints/{id}/\(action.rawValue)", .policy(.update, .complaint)) { request, context, caller in
                try await act(action, request: request, context: context, caller: caller)
            }
        }
    }

    private var bodyLimit: Int { dependencies.config.current.server.maxBodyBytes }

    @Sendable func file(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        var reader = FieldReader(json: try await request.jsonObject(limit: bodyLimit))
        guard let filing = ComplaintFiling.parse(&reader) else { throw ValidationFailure(reader.errors) }
        let record = try await dependencies.database.fileComplaint(filing, context: dependencies.writeContext(caller))
        return Respond.json(Self.present(record, for: ComplaintScope(caller.principal)), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let query = try request.listQuery(filters: Self.listFilters, config: dependencies.config.current)
        let scope = ComplaintScope(caller.principal)
        let page = try await dependencies.database.complaints(Self.filter(query), scope: scope, limit: query.limit, afterID: query.afterID)
        return Respond.list(page.items.map { Self.present($0, for: scope) }, nextCursor: page.nextCursor)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        let scope = ComplaintScope(caller.principal)
        guard let record = try await dependencies.database.complaint(id: id, scope: scope) else {
            throw Problem.notFound("no complaint with id \(id)")
        }
        return Respond.json(Self.present(record, for: scope))
    }

    func act(_ action: ComplaintAction, request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        var reader = FieldReader(json: try await request.jsonObject(limit: bodyLimit, allowEmpty: true))
        guard let decision = ComplaintDecision.parse(&reader, action: action) else { throw ValidationFailure(reader.errors) }
        // Refused here to name the field; the store refuses it too, for every other caller.
        if let remedy = decision.remedy, !remedy.isAllowed(for: caller.principal.role) {
            let role = caller.principal.role
            throw Problem.forbidden(
                "\(role.article) \(role.rawValue) token may not uphold a complaint with action \(remedy.rawValue)",
                errors: [FieldError(field: "action", message: "\(remedy.rawValue) is for admins only")]
            )
        }
        let record = try await dependencies.database.actOnComplaint(
            id: id,
            action: action,
            decision: decision,
            context: dependencies.writeContext(caller)
        )
        return Respond.json(Self.present(record, for: ComplaintScope(caller.principal)))
    }

    static func filter(_ query: ListQuery) -> ComplaintFilter {
        func text(_ name: String) -> String? {
            if case .text(let value)? = query.filters[name] { return value }
            return nil
        }
        return ComplaintFilter(
            status: text("status").flatMap(ComplaintStatus.init(rawValue:)),
            subjectKind: text("subject_kind").flatMap(ComplaintSubjectKind.init(rawValue:)),
            subjectID: text("subject_id"),
            category: text("category").flatMap(ComplaintCategory.init(rawValue:))
        )
    }

    // MARK: Presenting

    /// Staff see who acted; a filer sees what was done to its complaint, and that it filed it.
    static func present(_ record: ComplaintRecord, for scope: ComplaintScope) -> [(name: String, value: JSONValue)] {
        let c = record.complaint
        let history = record.steps.map { step in
            var fields: [(name: String, value: JSONValue)] = [
                ("at", .string(Timestamp.string(from: step.at))), ("action", .string(step.action)),
                ("from", JSONValue(step.from?.rawValue)), ("to", .string(step.to.rawValue)),
            ]
            if scope.isStaff { fields.append(("actor", .string(step.actor))) }
            fields.append(("note", JSONValue(step.note)))
            return JSONValue(fields: fields)
        }
        return [
            ("id", .string(c.id)), ("subject_kind", .string(c.subjectKind.rawValue)), ("subject_id", .string(c.subjectID)),
            ("subject_name", .string(record.subjectName)), ("supplier_id", .string(c.supplierID)), ("supplier_name", .string(record.supplierName)),
            ("county_code", .string(c.countyCode)), ("county_name", .string(record.countyName)), ("category", .string(c.category.rawValue)),
            ("description", .string(c.description)), ("evidence", JSONValue(c.evidence)), ("status", .string(c.status.rawValue)),
            ("filed_by", .string(c.filedBy)), ("resolution", JSONValue(c.resolution)), ("action", JSONValue(c.remedy?.rawValue)),
            ("revoked_certification_ids", .array(c.revokedCertificationIDs.map(JSONValue.string))),
            ("resolved_at", JSONValue(c.resolvedAt.map(Timestamp.string(from:)))), ("history", .array(history)),
            ("created_at", .string(Timestamp.string(from: c.createdAt))), ("updated_at", .string(Timestamp.string(from: c.updatedAt))),
        ]
    }
}
