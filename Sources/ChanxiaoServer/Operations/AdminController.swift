import ChanxiaoConfig
import ChanxiaoCore
import Hummingbird

/// The daemon's own administration: the configuration in force and reloading it.
struct AdminController: Sendable {
    let dependencies: AppDependencies

    func register(on endpoints: EndpointCollection) {
        endpoints.on(.get, "/v1/admin/config", .policy(.read, .daemon)) { _, _, _ in
            let config = dependencies.config.current
            let pending = try? dependencies.config.pendingRestart()
            return Respond.json([
                ("hash", .string(ConfigDigest.hash(config))),
                ("restart_required", .array((pending ?? []).map(JSONValue.string))),
                ("values", .object(Dictionary(uniqueKeysWithValues: config.effectiveValues.map { ($0.key, JSONValue.string($0.value)) }))),
            ])
        }
        endpoints.on(.post, "/v1/admin/reload", .policy(.update, .daemon)) { _, _, caller in
            let outcome = dependencies.reloader.reload(trigger: "api:\(caller.principal.tokenID)")
            switch outcome {
            case .applied(let change), .unchanged(let change):
                return Respond.json([
                    ("outcome", .string(outcome.name)),
                    ("hash", .string(ConfigDigest.hash(dependencies.config.current))),
                    ("applied", .array(change.applied.map(JSONValue.string))),
                    ("restart_required", .array(change.restartRequired.map(JSONValue.string))),
                ])
            case .rejected(let error):
                throw Problem(
                    .unprocessableContent,
                    type: "config-rejected",
                    title: "Configuration rejected",
                    detail: "the configuration file does not validate; the configuration in force stays",
                    errors: error.issues.map(Self.fieldError)
                )
            }
        }
    }

    /// A configuration problem as a problem+json error: the key is the field; where it came
    /// from (file and line, variable, flag) follows the reason.
    static func fieldError(_ issue: ConfigIssue) -> FieldError {
        FieldError(field: issue.key, message: issue.source.map { "\(issue.message) (\($0))" } ?? issue.message)
    }
}
