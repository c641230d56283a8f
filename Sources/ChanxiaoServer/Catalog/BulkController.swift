import ChanxiaoCore
import ChanxiaoStore
import Hummingbird

/// CSV import (`POST /v1/import/{kind}`, all-or-nothing) and export (`GET /v1/export/{kind}`),
/// in the same format as `chanxiao import` and `chanxiao export`.
struct BulkController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        for kind in CatalogKind.allCases {
            endpoints.on(.post, "/v1/import/\(kind.plural)", .policy(.create, .bulk(kind)), bodies: .csv) { request, _, caller in
                try await importFile(kind, request: request, caller: caller)
            }
            endpoints.on(.get, "/v1/export/\(kind.plural)", .policy(.read, .bulk(kind))) { request, _, caller in
                let unexpected = request.queryPairs.map(\.0)
                if let name = unexpected.first {
                    throw Problem.badRequest("unknown query parameter", errors: [FieldError(field: name, message: "export takes no parameters")])
                }
                return Respond.csv(
                    try await dependencies.database.exportCSV(kind, within: caller.principal.jurisdiction),
                    filename: "\(kind.plural).csv"
                )
            }
        }
    }

    private func importFile(_ kind: CatalogKind, request: Request, caller: Caller) async throws -> Response {
        var mode = ImportMode.insert
        for (name, value) in request.queryPairs {
            guard name == "mode" else {
                throw Problem.badRequest("unknown query parameter", errors: [FieldError(field: name, message: "import accepts only mode")])
            }
            guard let parsed = ImportMode(rawValue: value) else {
                throw Problem.badRequest("invalid mode", errors: [FieldError(field: "mode", message: "must be insert or upsert")])
            }
            mode = parsed
        }
        var request = request
        let bytes = try await request.csvBytes(limit: dependencies.config.current.server.maxImportBytes)
        let summary = try await dependencies.database.importCSV(
            kind,
            bytes: bytes,
            mode: mode,
            parseContext: dependencies.parseContext(),
            context: dependencies.writeContext(caller)
        )
        return Respond.json(summary.fields)
    }
}
