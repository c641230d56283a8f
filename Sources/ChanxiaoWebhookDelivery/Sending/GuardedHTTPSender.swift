import AsyncHTTPClient
import ChanxiaoCore
import ChanxiaoWebhooks
import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends webhooks with AsyncHTTPClient, guarded against server-side request forgery:
/// - only `http` and `https` URLs are sent (the client would also speak to Unix sockets);
/// - before connecting, the URL's host is read as a literal address or resolved, and refused
///   when any of its addresses is internal (loopback, private, link-local, metadata …) and not
///   allowlisted, with a message that says which;
/// - every new connection is checked again on the address it actually connected to, so a DNS
///   answer that changed in between (rebinding) cannot slip through;
/// - redirects are not followed (a 3xx is a failed attempt) and no proxy is used.
///
/// One attempt, from resolving the host to the last byte of the kept body, is bounded by the
/// request's timeout, so a receiver that answers its head and then stalls cannot hold a send.
public final class GuardedHTTPSender: WebhookSender {
    private let client: HTTPClient
    private let policy: PolicyBox
    private let resolver: any HostResolving
    private let checkBeforeConnecting: Bool

    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// `allowlist` gives the configuration's `webhooks.allowlist` in force; a reloaded list
    /// applies to the next connection. `resolver` answers for host names before connecting
    /// (the connection itself resolves them again, with the system resolver).
    public convenience init(allowlist: @escaping @Sendable () -> [String], resolver: any HostResolving = HostResolver()) throws {
        try self.init(allowlist: allowlist, resolver: resolver, checkBeforeConnecting: true)
    }

    /// `checkBeforeConnecting` off leaves only the check on the connection: for tests of it.
    init(allowlist: @escaping @Sendable () -> [String], resolver: any HostResolving = HostResolver(), checkBeforeConnecting: Bool) throws {
        self.checkBeforeConnecting = checkBeforeConnecting
        self.resolver = resolver
        let box = try PolicyBox(allowlist: allowlist)
        self.policy = box
        let check: @Sendable (Channel) -> EventLoopFuture<Void> = { channel in
            let refusal: String?
            if let text = channel.remoteAddress?.ipAddress, let address = IPAddress.parseHost(text) {
                refusal = box.current.refusal(for: address)
            } else {
                refusal = "the connection has no IP address"
            }
            guard let refusal else { return channel.eventLoop.makeSucceededVoidFuture() }
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(Refused(description: "refused to connect: " + refusal))
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        configuration.proxy = nil
        // A send gives up at its own timeout, but a connection it was waiting for (a TLS
        // handshake that never ends) carries on in the pool until this; unset, that was 30 s.
        configuration.timeout.connect = .seconds(10)
        // A refused connection must fail the attempt, not be tried again until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.http1_1ConnectionDebugInitializer = check
        configuration.http2ConnectionDebugInitializer = check
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func send(_ request: OutgoingRequest, bodyLimit: Int) async -> SendResult {
        let start = ContinuousClock.now
        func elapsed() -> Double { (ContinuousClock.now - start).inSeconds }
        let timeout = request.timeoutSeconds
        let deadline = NIODeadline.now() + .nanoseconds(Int64(max(0, timeout) * 1e9))
        let head = ResponseHead()
        do {
            let outcome = try await Self.within(.seconds(max(0, timeout))) { [self] in
                try await exchange(request, bodyLimit: bodyLimit, deadline: deadline, head: head)
            }
            switch outcome {
            case .refused(let reason):
                return SendResult(status: nil, error: reason, latencySeconds: elapsed())
            case .response(let status, let body, let retryAfter):
                return SendResult(status: status, body: body, retryAfter: retryAfter, latencySeconds: elapsed())
            }
        } catch {
            // A head that came before the failure is kept for the record; the error makes the
            // attempt a failure whatever the status.
            let seen = head.value
            return SendResult(
                status: seen?.status,
                retryAfter: seen?.retryAfter,
                error: Self.describe(error, timeout: timeout),
                latencySeconds: elapsed()
            )
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    private enum Outcome: Sendable {
        case refused(String)
        case response(status: Int, body: [UInt8], retryAfter: String?)
    }

    /// The status and Retry-After of a response whose body is still being read.
    private final class ResponseHead: Sendable {
        private let seen = Mutex<(status: Int, retryAfter: String?)?>(nil)
        var value: (status: Int, retryAfter: String?)? { seen.withLock { $0 } }
        func record(status: Int, retryAfter: String?) { seen.withLock { $0 = (status, retryAfter) } }
    }

    private func exchange(_ request: OutgoingRequest, bodyLimit: Int, deadline: NIODeadline, head: ResponseHead) async throws -> Outcome {
        if let refusal = await refusal(for: request.url, resolvingHost: checkBeforeConnecting) { return .refused(refusal) }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        let response = try await client.execute(outgoing, deadline: deadline)
        let status = Int(response.status.code)
        let retryAfter = response.headers.first(name: "retry-after")
        head.record(status: status, retryAfter: retryAfter)
        // Only the first `bodyLimit` bytes are read; leaving the rest unread closes the
        // connection, so an endless body costs no more than that.
        var kept: [UInt8] = []
        if bodyLimit > 0 {
            for try await buffer in response.body {
                kept.append(contentsOf: buffer.readableBytesView.prefix(bodyLimit - kept.count))
                if kept.count >= bodyLimit { break }
            }
        }
        return .response(status: status, body: kept, retryAfter: retryAfter)
    }

    /// Why the URL may not be called, before any connection is made. The URL is read with the
    /// same parser as the HTTP client's, so both see the same host. With `resolvingHost` off
    /// only the scheme is checked.
    func refusal(for url: String, resolvingHost: Bool = true) async -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased() else { return "refused: not an absolute URL" }
        guard scheme == "http" || scheme == "https" else { return "refused: the scheme \(scheme) is not http or https" }
        guard resolvingHost else { return nil }
        guard var host = parsed.host, !host.isEmpty else { return "refused: the URL has no host" }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let policy = self.policy.current
        if IPAddress.parseHost(host) != nil {
            return policy.refusal(forHost: host).map { "refused: " + $0 }
        }
        let addresses: [IPAddress]
        do {
            addresses = try await resolver.resolve(host)
        } catch is CancellationError {
            return "cancelled while resolving \(host)"
        } catch {
            return "\(error)"
        }
        guard !addresses.isEmpty else { return "refused: \(host) resolves to no address" }
        for address in addresses {
            if let refusal = policy.refusal(for: address) { return "refused: \(host) resolves to \(refusal)" }
        }
        return nil
    }

    struct TimedOut: Error {}

    /// `operation`'s result, or `TimedOut` once `limit` has passed (the operation is then
    /// cancelled; every step of a send gives way to cancellation).
    static func within<Value: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw TimedOut()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    static func describe(_ error: any Error, timeout: Double) -> String {
        if error is TimedOut { return "no complete response within \(timeout) s" }
        if let refused = error as? Refused { return refused.description }
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "no complete response within \(timeout) s"
            case .remoteConnectionClosed: return "the endpoint closed the connection"
            default: return "\(client)"
            }
        }
        // A reset at once closes the channel before the request is written.
        if let channel = error as? ChannelError, case .ioOnClosedChannel = channel { return "the endpoint closed the connection" }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNRESET: return "the endpoint reset the connection"
            case ECONNREFUSED: return "the endpoint refused the connection"
            default: break
            }
        }
        return "\(error)"
    }
}

/// The address policy in force, shared with the connection check: rebuilt when the
/// configured allowlist changes (a list that does not parse leaves the last good one).
final class PolicyBox: Sendable {
    private let allowlist: @Sendable () -> [String]
    private let value: Mutex<(list: [String], policy: AddressPolicy)>

    init(allowlist: @escaping @Sendable () -> [String]) throws {
        self.allowlist = allowlist
        let list = allowlist()
        value = Mutex((list, try AddressPolicy(allowlist: list)))
    }

    var current: AddressPolicy {
        let list = allowlist()
        return value.withLock { cached in
            if cached.list != list, let policy = try? AddressPolicy(allowlist: list) { cached = (list, policy) }
            return cached.policy
        }
    }
}
