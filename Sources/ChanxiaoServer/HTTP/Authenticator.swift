import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Why a request was not authenticated.
struct AuthenticationFailure: Error, Sendable {
    var detail: String
    /// Credentials were presented and are wrong (unknown, malformed, revoked, expired): counted
    /// against the client's address. A request without any is the normal first step of a client
    /// that answers a challenge, and is not.
    var presented: Bool
    /// Whether the route accepts Basic credentials (the calendar feeds): its challenge says so.
    var basicAllowed: Bool

    var problem: Problem { Problem.unauthorized(detail, invalidToken: presented, basic: basicAllowed) }
}

/// Resolves `Authorization: Bearer …` (and, on the calendar feeds, `Basic` with a calendar token
/// as the password) to a principal. Verified tokens are remembered for `auth.token_cache_seconds`
/// (at most a minute), so a busy client costs one database lookup per interval, and a revocation
/// takes effect within that interval.
final class Authenticator: Sendable {
    private struct Entry {
        var token: APIToken
        var checkedAt: Date
    }

    private let dependencies: AppDependencies
    private let cache = Mutex<[String: Entry]>([:])
    private let backoff = AuthBackoff()

    init(dependencies: AppDependencies) {
        self.dependencies = dependencies
    }

    /// Whether the request carries `Bearer <metrics.token>` (compared in constant time).
    func presentsMetricsToken(_ request: Request) -> Bool {
        guard let expected = dependencies.config.current.metrics.token, let header = request.headers[.authorization] else { return false }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return TokenSecret.matches(parts[1].trimmingCharacters(in: .whitespaces), expected: expected)
    }

    /// The principal of the request's token, or the problem to answer. A failed authentication
    /// is counted against the client's address, whose failing requests then back off (429).
    func authenticate(_ request: Request, _ context: AppRequestContext, basic: Bool) async throws -> Principal {
        do {
            return try await principal(for: request, basic: basic)
        } catch let failure as AuthenticationFailure {
            guard failure.presented else { throw failure.problem }
            let auth = dependencies.config.current.auth
            let settings = AuthBackoff.Settings(
                failureLimit: auth.failureLimit,
                windowSeconds: Double(auth.failureWindowSeconds),
                backoffSeconds: Double(auth.backoffSeconds),
                backoffMaxSeconds: Double(auth.backoffMaxSeconds)
            )
            let wait = backoff.recordFailure(from: context.clientAddress ?? "unknown", at: dependencies.clock.now(), settings: settings)
            DaemonMetrics.authFailure(throttled: wait != nil)
            if let wait { throw Problem.tooManyRequests(retryAfter: wait, detail: failure.detail) }
            throw failure.problem
        }
    }

    /// The principal of the request's token. `basic`: the route is a calendar feed, which calendar
    /// apps subscribe to with a user name and password; the password must be a calendar token, so
    /// that a saved subscription never holds a token that can do more.
    private func principal(for request: Request, basic: Bool) async throws -> Principal {
        func failure(_ detail: String, presented: Bool = true) -> AuthenticationFailure {
            AuthenticationFailure(detail: detail, presented: presented, basicAllowed: basic)
        }
        guard let header = request.headers[.authorization] else {
            throw failure(
                basic
                    ? "send a calendar token as the password (Basic), or any token as Bearer <token>"
                    : "send a token in the Authorization header: Bearer <token>",
                presented: false
            )
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let scheme = parts.first?.lowercased() ?? ""
        guard parts.count == 2, scheme == "bearer" || (scheme == "basic" && basic) else {
            throw failure(
                scheme == "basic"
                    ? "Basic credentials are accepted only by the calendar feeds (…/calendar.ics); send Bearer <token>"
                    : "the Authorization header must be: Bearer <token>"
            )
        }
        var secret = parts[1].trimmingCharacters(in: .whitespaces)
        if scheme == "basic" {
            guard let decoded = Data(base64Encoded: secret).map({ String(decoding: $0, as: UTF8.self) }),
                let colon = decoded.firstIndex(of: ":")
            else {
                throw failure("Basic credentials must be base64 of user:token")
            }
            secret = String(decoded[decoded.index(after: colon)...])
        }
        guard secret.hasPrefix(TokenSecret.prefix), secret.utf8.count < 200 else {
            throw failure("malformed token; chanxiao tokens start with \(TokenSecret.prefix)")
        }
        guard let token = try await lookUp(secret) else { throw failure("unknown token") }
        if token.revokedAt != nil { throw failure("this token has been revoked") }
        let now = dependencies.clock.now()
        if let expiresAt = token.expiresAt, now >= expiresAt {
            throw failure("this token expired at \(Timestamp.string(from: expiresAt))")
        }
        if scheme == "basic", token.role != .calendar {
            throw failure(
                "calendar apps subscribe with a calendar token (chanxiao token create --role calendar); "
                    + "\(token.role.article) \(token.role.rawValue) token is sent as Bearer <token> only"
            )
        }
        return token.principal
    }

    /// The token of `secret`, if any; a database error propagates as itself (503 when busy or
    /// unavailable, else 500), never as a 401 and never counted against the client.
    private func lookUp(_ secret: String) async throws -> APIToken? {
        let now = dependencies.clock.now()
        let ttl = Double(dependencies.config.current.auth.tokenCacheSeconds)
        let key = TokenSecret.hash(secret)
        if let cached = cache.withLock({ cache -> APIToken? in
            guard let entry = cache[key], now.timeIntervalSince(entry.checkedAt) < ttl else { return nil }
            return entry.token
        }) {
            return cached
        }
        guard let stored = try await dependencies.database.token(forSecret: secret) else { return nil }
        if ttl > 0 {
            cache.withLock { cache in
                if cache.count > 10_000 { cache.removeAll() }
                cache[key] = Entry(token: stored, checkedAt: now)
            }
        }
        return stored
    }
}
