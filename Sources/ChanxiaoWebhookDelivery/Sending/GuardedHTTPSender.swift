import AsyncHTTPClient
import ChanxiaoWebhooks
import Foundation
import NIOCore
import Synchronization

/// Sends webhooks with AsyncHTTPClient, guarded against server-side request forgery:
/// - before connecting, the URL's host is read as a literal address or resolved, and refused
///   when any of its addresses is internal (loopback, private, link-local, metadata …) and not
///   allowlisted, with a message that says which;
/// - every new connection is checked again on the address it actually connected to, so a DNS
///   answer that changed in between (rebinding) cannot slip through;
/// - redirects are not followed (a 3xx is a failed attempt) and no proxy is used.
public final class GuardedHTTPSender: WebhookSender {
    private let client: HTTPClient
    private let policy: PolicyBox
    private let resolver = HostResolver()
    private let checkBeforeConnecting: Bool

    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    /// `allowlist` gives the configuration's `webhooks.allowlist` in force; a reloaded list
    /// applies to the next connection.
    public convenience init(allowlist: @escaping @Sendable () -> [String]) throws {
        try self.init(allowlist: allowlist, checkBeforeConnecting: true)
    }

    /// `checkBeforeConnecting` off leaves only the check on the connection: for tests of it.
    init(allowlist: @escaping @Sendable () -> [String], checkBeforeConnecting: Bool) throws {
        self.checkBeforeConnecting = checkBeforeConnecting
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
        // A refused connection must fail the attempt, not be tried again until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.http1_1ConnectionDebugInitializer = check
        configuration.http2ConnectionDebugInitializer = check
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    public func send(_ request: OutgoingRequest, bodyLimit: Int) async -> SendResult {
        let start = ContinuousClock.now
        func elapsed() -> Double {
            let duration = ContinuousClock.now - start
            return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        if checkBeforeConnecting, let refusal = await refusal(for: request.url) {
            return SendResult(status: nil, error: refusal, latencySeconds: elapsed())
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(request.timeoutSeconds * 1000)))
            var kept: [UInt8] = []
            if bodyLimit > 0 {
                for try await buffer in response.body {
                    kept.append(contentsOf: buffer.readableBytesView.prefix(bodyLimit - kept.count))
                    if kept.count >= bodyLimit { break }
                }
            }
            return SendResult(status: Int(response.status.code), body: kept, retryAfter: response.headers.first(name: "retry-after"),
                              latencySeconds: elapsed())
        } catch {
            return SendResult(status: nil, error: Self.describe(error, timeout: request.timeoutSeconds), latencySeconds: elapsed())
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// Why the URL's host may not be called, before any connection is made.
    func refusal(for url: String) async -> String? {
        guard let components = URLComponents(string: url), var host = components.host, !host.isEmpty else {
            return "the URL has no host"
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let policy = self.policy.current
        if IPAddress.parseHost(host) != nil {
            return policy.refusal(forHost: host).map { "refused: " + $0 }
        }
        do {
            let addresses = try await resolver.resolve(host)
            guard !addresses.isEmpty else { return "\(host) resolves to no address" }
            for address in addresses {
                if let refusal = policy.refusal(for: address) { return "refused: \(host) resolves to \(refusal)" }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func describe(_ error: any Error, timeout: Double) -> String {
        if let refused = error as? Refused { return refused.description }
        if let client = error as? HTTPClientError {
            switch client {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "no complete response within \(timeout) s"
            case .remoteConnectionClosed: return "the endpoint closed the connection"
            default: return "\(client)"
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
