import ChanxiaoCore
import ChanxiaoStore
import Hummingbird

/// `GET /v1/audit`: the audit log, newest first (admins only).
struct AuditController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/audit", .policy(.read, .audit)) { request, _, _ in
            let config = dependencies.config.current
            var kind: CatalogKind?
            var id: String?
            var before: Int64?
            var limit = config.api.defaultPageSize
            var errors: [FieldError] = []
            for (name, value) in request.queryPairs {
                switch name {
                case "kind":
                    kind = CatalogKind(rawValue: value)
                    if kind == nil { errors.append(FieldError(field: name, message: "must be one of: \(CatalogKind.allCases.map(\.rawValue).joined(separator: ", "))")) }
                case "id":
                    if let problem = Identifier.problem(with: value) { errors.append(FieldError(field: name, message: problem)) } else { id = value }
                case "limit":
                    if let value = Int(value), (1...config.api.maxPageSize).contains(value) { limit = value }
                    else { errors.append(FieldError(field: name, message: "must be an integer from 1 to \(config.api.maxPageSize)")) }
                case "cursor":
                    if let decoded = Cursor.decode(value).flatMap({ Int64($0) }) { before = decoded }
                    else { errors.append(FieldError(field: name, message: "is not a cursor returned by this API")) }
                default:
                    errors.append(FieldError(field: name, message: "unknown query parameter; the audit log accepts: kind, id, limit, cursor"))
                }
            }
            if !errors.isEmpty { throw Problem.badRequest("invalid query parameters", errors: errors) }
            let page = try await dependencies.database.auditEntries(kind: kind, id: id, before: before, limit: limit)
            return Respond.list(page.entries.map(\.fields), nextCursor: page.next.map { Cursor.encode(afterID: String($0)) })
        }
    }
}
