import ChanxiaoCore
import ChanxiaoStore
import Hummingbird

/// `GET /v1/audit`: the audit log, newest first (admins only).
struct AuditController: Sendable {
    let dependencies: AppDependencies

    static let filters = [
        FilterSpec(name: "kind", type: .oneOf(CatalogKind.allCases.map(\.rawValue)), help: "entries about this kind of resource"),
        FilterSpec(name: "id", type: .identifier, help: "entries about the resource with this id (or county code)"),
    ]

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/audit", .policy(.read, .audit)) { request, _, _ in
            let config = dependencies.config.current
            let query = try request.listQuery(filters: Self.filters, config: config)
            // Audit cursors carry the last entry's number; a cursor from a catalog list is refused.
            var before: Int64?
            if let after = query.afterID {
                guard let number = Int64(after) else {
                    throw Problem.badRequest(
                        "invalid query parameters",
                        errors: [FieldError(field: "cursor", message: "is not a cursor of the audit log")]
                    )
                }
                before = number
            }
            let page = try await dependencies.database.auditEntries(
                kind: query.filters["kind"]?.text.flatMap(CatalogKind.init(rawValue:)),
                id: query.filters["id"]?.text,
                before: before,
                limit: query.limit
            )
            return Respond.list(page.entries.map(\.fields), nextCursor: page.next.map { Cursor.encode(afterID: String($0)) })
        }
    }
}

extension FilterValue {
    var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}
