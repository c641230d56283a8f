import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Hummingbird

/// Certifications of poverty products: suppliers apply, reviewers decide within their regions,
/// anyone with a token objects during the notice, and everyone may read the public notice.
struct CertificationController: Sendable {
    let dependencies: AppDependencies

    static let listFilters = [
        FilterSpec(name: "status", type: .oneOf(CertificationStatus.allCases.map(\.rawValue)), help: "the status as of today"),
        FilterSpec(name: "product_id", type: .identifier, help: "one product's certifications"),
        FilterSpec(name: "supplier_id", type: .identifier, help: "one supplier's certifications"),
        FilterSpec(name: "county_code", type: .divisionCode, help: "certifications of products in this region"),
        FilterSpec(name: "certificate_no", type: .text, help: "the certification with this certificate number"),
    ]

    static let publicFilters = [
        FilterSpec(name: "status", type: .oneOf(["notice", "listed", "expired", "revoked"]), help: "the status as of today"),
        FilterSpec(name: "county_code", type: .divisionCode, help: "certifications of products in this region"),
        FilterSpec(name: "certificate_no", type: .text, help: "the certification with this certificate number (the label's)"),
    ]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.post, "/v1/certifications", .policy(.create, .certification), use: apply)
        endpoints.on(.get, "/v1/certifications", .policy(.read, .certification), use: list)
        endpoints.on(.post, "/v1/certifications/import", .policy(.update, .certification), bodies: .csv, use: importList)
        endpoints.on(.get, "/v1/certifications/{id}", .policy(.read, .certification), use: show)
        for action in CertificationAction.allCases {
            endpoints.on(.post, "/v1/certifications/{id}/\(action.rawValue)", .policy(.update, .certification)) { request, context, caller in
                try await act(action, request: request, context: context, caller: caller)
            }
        }
        endpoints.on(.post, "/v1/certifications/{id}/objections", .policy(.create, .certificationObjection), use: object)
        endpoints.on(
            .post,
            "/v1/certifications/{id}/objections/{objection_id}/resolve",
            .policy(.update, .certificationObjection),
            use: resolve
        )
        endpoints.open("/v1/public/certifications", use: publicList)
    }

    private var bodyLimit: Int { dependencies.config.current.server.maxBodyBytes }

    @Sendable func apply(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        var reader = FieldReader(json: try await request.jsonObject(limit: bodyLimit))
        guard let application = CertificationApplication.parse(&reader) else { throw ValidationFailure(reader.errors) }
        let record = try await dependencies.database.applyForCertification(
            application,
            owner: caller.scope,
            context: dependencies.writeContext(caller)
        )
        return Respond.json(present(record, for: caller), status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let query = try request.listQuery(filters: Self.listFilters, config: dependencies.config.current)
        let page = try await dependencies.database.certifications(
            Self.filter(query),
            owner: caller.scope,
            regions: caller.principal.regions,
            today: dependencies.today,
            limit: query.limit,
            afterID: query.afterID
        )
        return Respond.list(page.items.map { present($0, for: caller) }, nextCursor: page.nextCursor)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let record = try await dependencies.database.certification(id: id, owner: caller.scope, regions: caller.principal.regions) else {
            throw Problem.notFound("no certification with id \(id)")
        }
        return Respond.json(present(record, for: caller))
    }

    func act(_ action: CertificationAction, request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        var reader = FieldReader(json: try await request.jsonObject(limit: bodyLimit, allowEmpty: true))
        var input = CertificationActInput(noticeDays: dependencies.config.current.certification.noticeDays)
        switch action {
        case .approve:
            input.decision = CertificationDecision.parse(&reader, today: dependencies.today)
        case .reject, .revoke:
            input.reason = reader.string("reason", required: true, maxLength: 1000)
        case .review, .list:
            break
        }
        reader.rejectUnknownFields()
        if reader.hasErrors { throw ValidationFailure(reader.errors) }
        let record = try await dependencies.database.actOnCertification(
            id: id,
            action: action,
            input: input,
            context: dependencies.writeContext(caller)
        )
        return Respond.json(present(record, for: caller))
    }

    @Sendable func object(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        var reader = FieldReader(json: try await request.jsonObject(limit: bodyLimit))
        let reason = reader.string("reason", required: true, maxLength: 1000)
        reader.rejectUnknownFields()
        guard let reason, !reader.hasErrors else { throw ValidationFailure(reader.errors) }
        let objection = try await dependencies.database.objectToCertification(id: id, reason: reason, context: dependencies.writeContext(caller))
        return Respond.json(Self.present(objection, staff: true), status: .created)
    }

    @Sendable func resolve(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require("id")
        let objectionID = try context.parameters.require("objection_id")
        var reader = FieldReader(json: try await request.jsonObject(limit: bodyLimit))
        let outcome = reader.oneOf("outcome", required: true, ObjectionOutcome.self)
        let note = reader.string("note", required: true, maxLength: 1000)
        reader.rejectUnknownFields()
        guard let outcome, let note, !reader.hasErrors else { throw ValidationFailure(reader.errors) }
        let record = try await dependencies.database.resolveObjection(
            certificationID: id,
            objectionID: objectionID,
            upheld: outcome == .upheld,
            note: note,
            context: dependencies.writeContext(caller)
        )
        return Respond.json(present(record, for: caller))
    }

    @Sendable func importList(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var dryRun = false
        for (name, value) in request.queryPairs {
            guard name == "dry_run" else {
                throw Problem.badRequest("unknown query parameter", errors: [FieldError(field: name, message: "this import accepts only dry_run")])
            }
            guard let flag = Bool(value) else {
                throw Problem.badRequest("invalid dry_run", errors: [FieldError(field: "dry_run", message: "must be true or false")])
            }
            dryRun = flag
        }
        var request = request
        let bytes = try await request.csvBytes(limit: dependencies.config.current.server.maxImportBytes)
        let rows = try OfficialListFile.rows(bytes, today: dependencies.today)
        let report = try await dependencies.database.importOfficialList(rows, dryRun: dryRun, context: dependencies.writeContext(caller))
        let items = report.rows.map { row -> [(name: String, value: JSONValue)] in
            [
                ("row", JSONValue(row.row)), ("product_id", .string(row.productID)), ("certificate_no", .string(row.certificateNo)),
                ("change", .string(row.change.rawValue)), ("certification_id", JSONValue(row.certificationID)),
            ]
        }
        func count(_ change: OfficialListReport.Change) -> JSONValue { JSONValue(report.rows.filter { $0.change == change }.count) }
        return Respond.json(
            [("dry_run", .bool(dryRun)), ("listed", count(.list)), ("renewed", count(.renew)), ("unchanged", count(.unchanged))],
            lists: [("rows", items)]
        )
    }

    @Sendable func publicList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try request.listQuery(filters: Self.publicFilters, config: dependencies.config.current)
        let page = try await dependencies.database.publicCertifications(
            Self.filter(query),
            today: dependencies.today,
            limit: query.limit,
            afterID: query.afterID
        )
        return Respond.list(page.items.map { Self.presentPublic($0, today: dependencies.today) }, nextCursor: page.nextCursor)
    }

    enum ObjectionOutcome: String, CaseIterable, Sendable {
        case upheld, dismissed
    }

    static func filter(_ query: ListQuery) -> CertificationFilter {
        func text(_ name: String) -> String? {
            if case .text(let value)? = query.filters[name] { return value }
            return nil
        }
        return CertificationFilter(
            status: text("status").flatMap(CertificationStatus.init(rawValue:)),
            productID: text("product_id"),
            supplierID: text("supplier_id"),
            countyCode: text("county_code"),
            certificateNo: text("certificate_no")
        )
    }

    // MARK: Presenting

    /// Staff see who acted and who objected; a supplier sees what was done to its application.
    func present(_ record: CertificationRecord, for caller: Caller) -> [(name: String, value: JSONValue)] {
        let staff = caller.scope == nil
        let c = record.certification
        let today = dependencies.today
        return Self.presentPublic(record, today: today) + [
            ("supplier_id", .string(c.supplierID)), ("origin", .string(c.origin.rawValue)),
            ("production_base", .string(c.productionBase)), ("linked_households", JSONValue(c.linkedHouseholds)),
            ("food_safety_docs", .array(c.foodSafetyDocs.map(JSONValue.string))),
            // The evidence is the applicant's word until a reviewer approves it for notice.
            ("evidence_reviewed", .bool(c.origin == .application && [.notice, .listed, .revoked].contains(c.status))),
            ("counts_from", JSONValue(c.span?.from)), ("counts_through", JSONValue(c.span?.through)),
            (
                "objections",
                .array(
                    record.objections.map { JSONValue(fields: Self.present($0, staff: staff)) }
                )
            ),
            (
                "history",
                .array(
                    record.steps.map { step in
                        var fields: [(name: String, value: JSONValue)] = [
                            ("at", .string(Timestamp.string(from: step.at))), ("action", .string(step.action)),
                            ("from", JSONValue(step.from?.rawValue)), ("to", .string(step.to.rawValue)),
                        ]
                        if staff { fields.append(("actor", .string(step.actor))) }
                        fields.append(("note", JSONValue(step.note)))
                        return JSONValue(fields: fields)
                    }
                )
            ),
            ("created_at", .string(Timestamp.string(from: c.createdAt))), ("updated_at", .string(Timestamp.string(from: c.updatedAt))),
        ]
    }

    /// What the public notice shows: the label's facts, no evidence and no applicant's details.
    static func presentPublic(_ record: CertificationRecord, today: CalendarDate) -> [(name: String, value: JSONValue)] {
        let c = record.certification
        return [
            ("id", .string(c.id)), ("certificate_no", JSONValue(c.certificateNo)), ("status", .string(c.status(on: today).rawValue)),
            ("product_id", .string(c.productID)), ("product_name", .string(record.productName)),
            ("supplier_name", .string(record.supplierName)), ("county_code", .string(c.countyCode)),
            ("county_name", .string(record.countyName)), ("authority_code", JSONValue(c.authorityCode)),
            ("authority_name", JSONValue(c.authorityName)), ("level", JSONValue(c.level?.rawValue)), ("valid_from", JSONValue(c.validFrom)),
            ("valid_until", JSONValue(c.validUntil)), ("notice_starts_on", JSONValue(c.noticeStartsOn)),
            ("notice_ends_on", JSONValue(c.noticeEndsOn)), ("listed_on", JSONValue(c.listedOn)), ("ended_on", JSONValue(c.endedOn)),
            ("reason", JSONValue(c.reason)),
        ]
    }

    static func present(_ objection: CertificationObjection, staff: Bool) -> [(name: String, value: JSONValue)] {
        var fields: [(name: String, value: JSONValue)] = [
            ("id", .string(objection.id)), ("certification_id", .string(objection.certificationID)), ("reason", .string(objection.reason)),
            ("status", .string(objection.status.rawValue)), ("resolution", JSONValue(objection.resolution)),
            ("created_at", .string(Timestamp.string(from: objection.createdAt))),
            ("resolved_at", JSONValue(objection.resolvedAt.map(Timestamp.string(from:)))),
        ]
        if staff { fields.insert(("filed_by", .string(objection.filedBy)), at: 3) }
        return fields
    }
}
