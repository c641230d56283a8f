import ChanxiaoCore
import HTTPTypes
import Hummingbird

/// Who may call an endpoint.
public enum AccessRule: Sendable, Equatable {
    /// No token needed (health checks).
    case open
    /// Any valid token.
    case anyToken
    /// Decided by `AccessPolicy` for this operation on this resource.
    case policy(ChanxiaoCore.Operation, Resource)
    /// `/metrics`: the configured `metrics.token`, or a token that may read the daemon.
    case scrape
}

/// One route as the API reference lists it.
public struct Endpoint: Sendable, Hashable {
    public var method: HTTPRequest.Method
    /// In OpenAPI form: `/v1/counties/{code}`.
    public var path: String
    public var rule: AccessRule

    public static func == (lhs: Endpoint, rhs: Endpoint) -> Bool { lhs.method == rhs.method && lhs.path == rhs.path }
    public func hash(into hasher: inout Hasher) { hasher.combine(method.rawValue); hasher.combine(path) }
}

/// What a handler learns about its caller: who it is (nil on open routes) and what it may see.
struct Caller: Sendable {
    var principal: Principal?
    var access: Access

    /// The owner whose resources are visible, or nil when all are.
    var scope: Owner? {
        if case .owned(let owner) = access { return owner }
        return nil
    }
}

/// Registers routes together with their access rules, so that no route exists without a rule
/// and the list of endpoints can be compared with `docs/openapi.yaml` and the role matrix.
final class EndpointCollection {
    let routes = RouteCollection(context: AppRequestContext.self)
    private(set) var endpoints: [Endpoint] = []
    let authenticator: Authenticator

    init(authenticator: Authenticator) {
        self.authenticator = authenticator
    }

    func on(
        _ method: HTTPRequest.Method, _ path: String, _ rule: AccessRule,
        use handler: @escaping @Sendable (Request, AppRequestContext, Caller) async throws -> Response
    ) {
        endpoints.append(Endpoint(method: method, path: path, rule: rule))
        let routerPath = path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }.joined(separator: "/")
        let authenticator = self.authenticator
        routes.on(RouterPath(routerPath), method: method) { request, context in
            let caller: Caller
            switch rule {
            case .open:
                caller = Caller(principal: nil, access: .all)
            case .anyToken:
                caller = Caller(principal: try await authenticator.principal(for: request), access: .all)
            case .policy(let operation, let resource):
                let principal = try await authenticator.principal(for: request)
                let access = AccessPolicy.access(principal, operation, resource)
                if access == .denied {
                    throw Problem.forbidden("\(principal.role == .admin || principal.role == .organizer ? "an" : "a") \(principal.role.rawValue) token may not \(operation.rawValue) \(resource.noun)")
                }
                caller = Caller(principal: principal, access: access)
            case .scrape:
                if authenticator.presentsMetricsToken(request) {
                    caller = Caller(principal: nil, access: .all)
                } else {
                    let principal = try await authenticator.principal(for: request)
                    guard AccessPolicy.access(principal, .read, .daemon) != .denied else {
                        throw Problem.forbidden("a \(principal.role.rawValue) token may not read metrics; use metrics.token or an admin token")
                    }
                    caller = Caller(principal: principal, access: .all)
                }
            }
            return try await handler(request, context, caller)
        }
    }
}

extension Resource {
    var noun: String {
        switch self {
        case .catalog(let kind): kind.plural
        case .reference: "reference data"
        case .bulk(let kind): "\(kind.plural) in bulk"
        case .audit: "the audit log"
        case .matchRun: "match runs"
        case .match: "matches"
        case .rotation: "rotations"
        case .livestream: "livestreams"
        case .fairApplication: "fair applications"
        case .booth: "fair booths"
        case .calendar: "calendars"
        case .webhookEndpoint: "webhook endpoints"
        case .webhookMessage: "webhook messages"
        case .report: "reports"
        case .daemon: "the daemon's configuration and metrics"
        }
    }
}

/// Which methods each path pattern has, for `405 Method Not Allowed` and its `Allow` header.
struct AllowedMethods: Sendable {
    private let patterns: [(segments: [Substring], methods: [HTTPRequest.Method])]

    init(_ endpoints: [Endpoint]) {
        var byPath: [String: [HTTPRequest.Method]] = [:]
        var order: [String] = []
        for endpoint in endpoints {
            if byPath[endpoint.path] == nil { order.append(endpoint.path) }
            byPath[endpoint.path, default: []].append(endpoint.method)
        }
        patterns = order.map { ($0.split(separator: "/"), byPath[$0]!) }
    }

    func forPath(_ path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        for pattern in patterns where pattern.segments.count == segments.count {
            if zip(pattern.segments, segments).allSatisfy({ $0.first == "{" || $0 == $1 }) { return pattern.methods }
        }
        return []
    }
}
