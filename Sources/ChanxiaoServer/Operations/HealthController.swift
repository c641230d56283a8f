import ChanxiaoCore
import Hummingbird

/// `/healthz`: the process answers. `/readyz`: it also does its work — migrations applied,
/// the database writable, every periodic worker coming round in time.
struct HealthController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.open("/healthz") { _, _ in
            Respond.json([("status", .string("ok"))])
        }
        endpoints.open("/readyz") { _, _ in
            let readiness = await dependencies.readiness()
            let checks: [(name: String, value: JSONValue)] = [
                ("migrations", .string(readiness.database.migrated ? "ok" : "pending")),
                ("database_writable", .string(readiness.database.writable ? "ok" : "failing")),
                (
                    "workers",
                    .object(
                        Dictionary(
                            uniqueKeysWithValues: readiness.workers.map {
                                ($0, JSONValue.string(readiness.overdueWorkers.contains($0) ? "overdue" : "ok"))
                            }
                        )
                    )
                ),
            ]
            if readiness.isReady {
                return Respond.json([
                    ("status", .string("ready")), ("checks", JSONValue(fields: checks)),
                ])
            }
            throw Problem(
                .serviceUnavailable,
                type: "not-ready",
                title: "Not ready",
                detail: readiness.problem,
                extensions: ["checks": JSONValue(fields: checks)]
            )
        }
    }
}
