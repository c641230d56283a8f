import ChanxiaoWebhooks
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a host name into the addresses a connection to it may reach. The sender judges every
/// one of them before connecting; behind a protocol so that tests can answer for names
/// (internal names, mixed answers, rebinding) without DNS.
public protocol HostResolving: Sendable {
    /// Every address of `host`; an error when it has none or cannot be resolved.
    func resolve(_ host: String) async throws -> [IPAddress]
}

/// Resolves host names to addresses with the system resolver, off the cooperative threads
/// (getaddrinfo blocks).
public struct HostResolver: HostResolving {
    public init() {}

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Cancelling the task stops the wait (the lookup itself runs on until getaddrinfo
    /// returns), so a resolver that hangs cannot hold a send past its deadline.
    public func resolve(_ host: String) async throws -> [IPAddress] {
        let answer = Answer()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard answer.wait(continuation) else { return }
                DispatchQueue.global().async {
                    answer.finish(Result { try Self.lookup(host) })
                }
            }
        } onCancel: {
            answer.finish(.failure(CancellationError()))
        }
    }

    /// One continuation resumed exactly once, by the lookup or by cancellation, whichever
    /// comes first.
    private final class Answer: Sendable {
        private enum State {
            case idle
            case waiting(CheckedContinuation<[IPAddress], any Error>)
            case finished
        }

        private let state = Mutex<State>(.idle)

        /// False when cancelled before the wait began (the continuation is then resumed).
        func wait(_ continuation: CheckedContinuation<[IPAddress], any Error>) -> Bool {
            let cancelled = state.withLock { state -> Bool in
                if case .finished = state { return true }
                state = .waiting(continuation)
                return false
            }
            if cancelled { continuation.resume(throwing: CancellationError()) }
            return !cancelled
        }

        func finish(_ result: Result<[IPAddress], any Error>) {
            let waiting = state.withLock { state -> CheckedContinuation<[IPAddress], any Error>? in
                defer { state = .finished }
                if case .waiting(let continuation) = state { return continuation }
                return nil
            }
            waiting?.resume(with: result)
        }
    }

    static func lookup(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor?.pointee {
            if entry.ai_family == AF_INET, let raw = entry.ai_addr {
                let value = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt32(bigEndian: $0.pointee.sin_addr.s_addr) }
                addresses.append(.v4(value))
            } else if entry.ai_family == AF_INET6, let raw = entry.ai_addr {
                let bytes = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                }
                if let address = IPAddress(v6: bytes) { addresses.append(address) }
            }
            cursor = entry.ai_next
        }
        var seen = Set<IPAddress>()
        return addresses.filter { seen.insert($0).inserted }
    }
}
