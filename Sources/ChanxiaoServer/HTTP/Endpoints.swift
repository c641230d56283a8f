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
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method.rawValue)
        hasher.combine(path)
    }
}

/// What the handler of an authenticated route learns about its caller: who it is and what it
/// may see.
struct Caller: Sendable {
    var principal: Principal
    var access: Access

    /// The owner whose resources are visible, or nil when all are.
    var scope: Owner? {
        if case .owned(let owner) = access { return owner }
        return nil
    }
}

/// The media types a state-changing POST accepts. A cross-site HTML form can send only
/// `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`, so requiring
/// JSON (or CSV where a route takes files) means no other site can make a browser send one.
enum BodyTypes: Sendable {
    case json
    case jsonOrCSV
    case csv

    func accepts(_ mediaType: MediaType?) -> Bool {
        guard let mediaType else { return false }
        let json = mediaType.type == .application && (mediaType.subType == "json" || mediaType.subType.hasSuffix("+json"))
        let csv = mediaType.type == .text && mediaType.subType == "csv"
        switch self {
        case .json: return json
        case .jsonOrCSV: return json || csv
        case .csv: return csv
        }
    }

    var expected: String {
        switch self {
        case .json: "Content-Type: application/json (an empty body is fine where the route takes none)"
        case .jsonOrCSV: "Content-Type: application/json, or text/csv for a file of rows"
        case .csv: "Content-Type: text/csv; charset=utf-8"
        }
    }
}

/// Registers routes together with their access rules, so that no route exists without a rule
/// and the list of endpoints can be compared with `docs/openapi.yaml` and the role matrix.
final class EndpointCollection {
    let routes = RouteCollection(context: AppRequestContext.self)
    private(set) var endpoints: [Endpoint] = []
    let authenticator: Authenticator

    init(dependencies: AppDependencies) {
        authenticator = Authenticator(dependencies: dependencies)
    }

    /// A GET without a token (health checks). Open routes change nothing, so they are GETs.
    func open(_ path: String, use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        add(.get, path, .open) { request, context in try await handler(request, context) }
    }

    /// `/metrics`: the configured `metrics.token`, or a token that may read the daemon.
    func scrape(_ path: String, use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        let authenticator = self.authenticator
        add(.get, path, .scrape) { request, context in
            if !authenticator.presentsMetricsToken(request) {
                let principal = try await authenticator.authenticate(request, context, basic: false)
                guard AccessPolicy.access(principal, .read, .daemon) != .denied else {
                    throw Problem.forbidden(
                        "\(principal.role.article) \(principal.role.rawValue) token may not read metrics; use metrics.token or an admin token"
                    )
                }
            }
            return try await handler(request, context)
        }
    }

    /// A route for a token: any valid one (`.anyToken`) or one `AccessPolicy` lets do `operation`
    /// on `resource`. A POST, PUT or PATCH must carry one of `bodies`.
    func on(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ rule: AccessRule,
        bodies: BodyTypes = .json,
        use handler: @escaping @Sendable (Request, AppRequestContext, Caller) async throws -> Response
    ) {
        let authenticator = self.authenticator
        add(method, path, rule) { request, context in
            let caller: Caller
            switch rule {
            case .policy(let operation, let resource):
                let principal = try await authenticator.authenticate(request, context, basic: resource == .calendar)
                let access = AccessPolicy.access(principal, operation, resource)
                if access == .denied {
                    throw Problem.forbidden(
                        "\(principal.role.article) \(principal.role.rawValue) token may not \(operation.rawValue) \(resource.noun)"
                    )
                }
                caller = Caller(principal: principal, access: access)
            case .anyToken, .open, .scrape:
                // Open and scrape routes are registered by `open` and `scrape`; here they would
                // still need a token, the safe side.
                caller = Caller(principal: try await authenticator.authenticate(request, context, basic: false), access: .all)
            }
            if [.post, .put, .patch].contains(method), !bodies.accepts(request.headers[.contentType].flatMap(MediaType.init(from:))) {
                let expected = method == .patch ? "Content-Type: application/merge-patch+json or application/json" : bodies.expected
                throw Problem.unsupportedMediaType("a \(method.rawValue) carries \(expected)")
            }
            return try await handler(request, context, caller)
        }
    }

    private func add(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ rule: AccessRule,
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        endpoints.append(Endpoint(method: method, path: path, rule: rule))
        let routerPath = path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : $0 }.joined(separator: "/")
        routes.on(RouterPath(routerPath), method: method, use: handler)
    }
}

extension Role {
    /// "an admin", "a buyer".
    var article: String {
        switch self {
        case .admin, .organizer: "an"
        case .reviewer: "a"
        case .buyer, .supplier, .calendar: "a"
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
        case .certification: "certifications"
        case .certificationObjection: "objections to certifications"
        case .complaint: "complaints"
        case .demandSummary: "demand in aggregate"
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
