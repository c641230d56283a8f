import ChanxiaoConfig
import ChanxiaoCore
import ChanxiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Create, read, list, update (merge-patch) and delete for one catalog kind. Thin: it reads
/// the request, lets the core parse and the store write, and presents the result.
struct CatalogController<E: StoredEntity>: Sendable {
    let dependencies: AppDependencies

    var collectionPath: String { "/v1/\(E.kind.plural)" }
    var itemPath: String { "/v1/\(E.kind.plural)/{\(E.kind.idField)}" }

    func register(on endpoints: EndpointCollection) {
        let resource = Resource.catalog(E.kind)
        endpoints.on(.post, collectionPath, .policy(.create, resource), bodies: .jsonOrCSV, use: create)
        endpoints.on(.get, collectionPath, .policy(.read, resource), use: list)
        endpoints.on(.get, itemPath, .policy(.read, resource), use: get)
        endpoints.on(.patch, itemPath, .policy(.update, resource), use: update)
        endpoints.on(.delete, itemPath, .policy(.delete, resource), use: delete)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        if let type = request.headers[.contentType].flatMap(MediaType.init(from:)), type.type == .text, type.subType == "csv" {
            return try await createFromCSV(&request, caller: caller)
        }
        let config = dependencies.config.current
        var body = try await request.jsonObject(limit: config.server.maxBodyBytes)
        let parseContext = dependencies.parseContext()
        if E.kind.generatesIDs, CatalogKind.leavesIDToServer(body["id"]) {
            body["id"] = .string(E.kind.newID(at: parseContext.now))
        }
        let entity = try E.parse(reader: FieldReader(json: body), context: parseContext).get()
        if let scope = caller.scope, entity.owner != scope {
            throw Problem.forbidden("this token may only create \(E.kind.plural) of its own \(scope.noun)")
        }
        let created = try await dependencies.database.create(entity, context: dependencies.writeContext(caller))
        return Respond.json(
            present(created, config: config),
            status: .created,
            headers: [.location: "\(collectionPath)/\(created.id)"]
        )
    }

    /// A CSV file of new resources, all-or-nothing, in the import format: what a buyer uses to
    /// record a week of purchases. Bound tokens may only create their own resources, and post
    /// smaller files (`import.bound_max_bytes`, `import.bound_max_rows`).
    func createFromCSV(_ request: inout Request, caller: Caller) async throws -> Response {
        let config = dependencies.config.current
        let bound = caller.scope != nil
        let bytes: [UInt8]
        do {
            bytes = try await request.csvBytes(limit: bound ? config.importing.boundMaxBytes : config.server.maxImportBytes)
        } catch is NIOTooManyBytesError where bound {
            throw Problem(
                .contentTooLarge,
                type: "payload-too-large",
                title: "Payload too large",
                detail: "this token may post at most \(config.importing.boundMaxBytes) bytes at once (import.bound_max_bytes)"
            )
        }
        let rows = try CatalogCSV.parse(E.self, bytes: bytes, context: dependencies.parseContext())
        if bound, rows.count > config.importing.boundMaxRows {
            throw Problem(
                .contentTooLarge,
                type: "payload-too-large",
                title: "Payload too large",
                detail: "this token may post at most \(config.importing.boundMaxRows) rows at once (import.bound_max_rows); "
                    + "the file has \(rows.count)"
            )
        }
        if let scope = caller.scope {
            let foreign = rows.filter { $0.entity.owner != scope }.map { row in
                FieldError(
                    field: E.ownerColumn ?? E.kind.idField,
                    message: "this token may only create \(E.kind.plural) of its own \(scope.noun)",
                    row: row.row
                )
            }
            if !foreign.isEmpty { throw Problem.forbidden("this token may only create \(E.kind.plural) of its own \(scope.noun)", errors: foreign) }
        }
        let summary = try await dependencies.database.importEntities(rows, mode: .insert, context: dependencies.writeContext(caller))
        return Respond.json(summary.fields, status: .created)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require(E.kind.idField)
        guard let entity = try await dependencies.database.fetch(E.self, id: id, within: caller.principal.jurisdiction),
            caller.scope.map({ entity.owner == $0 }) ?? true
        else { throw Problem.notFound("no \(E.kind.rawValue) with \(E.kind.idField) \(id)") }
        return Respond.json(present(entity, config: dependencies.config.current))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let config = dependencies.config.current
        var query = try request.listQuery(filters: E.kind.filters, config: config)
        query.owner = caller.scope
        query.jurisdiction = caller.principal.jurisdiction
        let page = try await dependencies.database.list(E.self, query: query)
        return Respond.list(page.items.map { present($0, config: config) }, nextCursor: page.nextCursor)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        var request = request
        let id = try context.parameters.require(E.kind.idField)
        let config = dependencies.config.current
        let patch = try await request.jsonObject(limit: config.server.maxBodyBytes, mergePatch: true)
        let parseContext = dependencies.parseContext()
        let scope = caller.scope
        let updated = try await dependencies.database.update(E.self, id: id, context: dependencies.writeContext(caller)) { existing in
            if let scope, existing.owner != scope {
                throw Problem.forbidden("this \(E.kind.rawValue) belongs to another \(scope.noun)")
            }
            let merged = MergePatch.apply(patch, to: E.mergeBase(existing.writableJSON, patch: patch), writable: Set(E.writableFields))
            let entity = try E.parse(reader: FieldReader(json: merged), context: parseContext).get()
            if let scope, entity.owner != scope {
                throw Problem.forbidden("this token may only assign \(E.kind.plural) to its own \(scope.noun)")
            }
            return entity
        }
        return Respond.json(present(updated, config: config))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext, caller: Caller) async throws -> Response {
        let id = try context.parameters.require(E.kind.idField)
        let scope = caller.scope
        try await dependencies.database.delete(E.self, id: id, context: dependencies.writeContext(caller)) { existing in
            if let scope, existing.owner != scope {
                throw Problem.forbidden("this \(E.kind.rawValue) belongs to another \(scope.noun)")
            }
        }
        return Respond.noContent()
    }

    /// The response form of an entity: its fields, and for buyers the share target in force.
    func present(_ entity: E, config: ChanxiaoConfig) -> [(name: String, value: JSONValue)] {
        var fields = entity.fields
        if let buyer = entity as? Buyer {
            let index = fields.firstIndex { $0.name == "poverty_share_target" }.map { $0 + 1 } ?? fields.count
            fields.insert(("effective_poverty_share_target", .double(config.shareTarget(for: buyer))), at: index)
        }
        return fields
    }
}

extension Owner {
    var noun: String {
        switch self {
        case .none: "owner"
        case .buyer: "buyer"
        case .supplier: "supplier"
        }
    }
}
