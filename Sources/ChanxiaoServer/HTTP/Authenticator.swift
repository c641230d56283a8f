import ChanxiaoCore
import ChanxiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Resolves `Authorization: Bearer …` to a principal. Verified tokens are remembered for
/// `auth.token_cache_seconds`, so a busy client costs one database lookup per interval, and a
/// revocation takes effect within that interval.
final class Authenticator: Sendable {
    private struct Entry {
        var token: APIToken
        var checkedAt: Date
    }

    private let dependencies: AppDependencies
    private let cache = Mutex<[String: Entry]>([:])

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

    func principal(for request: Request) async throws -> Principal {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("send a token in the Authorization header: Bearer <token>", invalidToken: false)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, ["bearer", "basic"].contains(parts[0].lowercased()) else {
            throw Problem.unauthorized("the Authorization header must be: Bearer <token>", invalidToken: true)
        }
        var secret = parts[1].trimmingCharacters(in: .whitespaces)
        // Calendar apps subscribe with a user name and password: the token is the password.
        if parts[0].lowercased() == "basic" {
            guard let decoded = Data(base64Encoded: secret).map({ String(decoding: $0, as: UTF8.self) }),
                  let colon = decoded.firstIndex(of: ":") else {
                throw Problem.unauthorized("Basic credentials must be base64 of user:token", invalidToken: true)
            }
            secret = String(decoded[decoded.index(after: colon)...])
        }
        guard secret.hasPrefix(TokenSecret.prefix), secret.utf8.count < 200 else {
            throw Problem.unauthorized("malformed token; chanxiao tokens start with \(TokenSecret.prefix)", invalidToken: true)
        }

        let now = dependencies.clock.now()
        let ttl = Double(dependencies.config.current.auth.tokenCacheSeconds)
        let key = TokenSecret.hash(secret)
        var token = cache.withLock { cache -> APIToken? in
            guard let entry = cache[key], now.timeIntervalSince(entry.checkedAt) < ttl else { return nil }
            return entry.token
        }
        if token == nil {
            token = try await dependencies.database.token(forSecret: secret)
            if let token, ttl > 0 {
                cache.withLock { cache in
                    if cache.count > 10_000 { cache.removeAll() }
                    cache[key] = Entry(token: token, checkedAt: now)
                }
            }
        }
        guard let token else { throw Problem.unauthorized("unknown token", invalidToken: true) }
        if token.revokedAt != nil { throw Problem.unauthorized("this token has been revoked", invalidToken: true) }
        if let expiresAt = token.expiresAt, now >= expiresAt {
            throw Problem.unauthorized("this token expired at \(Timestamp.string(from: expiresAt))", invalidToken: true)
        }
        return token.principal
    }
}
