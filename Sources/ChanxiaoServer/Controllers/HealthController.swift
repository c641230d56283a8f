import ChanxiaoCore
import Hummingbird

/// `/healthz`: the process answers. `/readyz`: it can also reach its database.
struct HealthController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/healthz", .open) { _, _, _ in
            Respond.json([("status", .string("ok"))])
        }
        endpoints.on(.get, "/readyz", .open) { _, _, _ in
            if await dependencies.database.isResponsive() {
                return Respond.json([("status", .string("ready"))])
            }
            throw Problem(.serviceUnavailable, type: "not-ready", title: "Not ready", detail: "the database does not answer")
        }
    }
}
