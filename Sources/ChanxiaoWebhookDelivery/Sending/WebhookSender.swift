import Foundation

/// One HTTP POST to an endpoint.
public struct OutgoingRequest: Sendable {
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var timeoutSeconds: Double

    public init(url: String, headers: [(name: String, value: String)], body: [UInt8], timeoutSeconds: Double) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

/// What came back from one request. `status` is nil when no response arrived; `error` then
/// says why (refused address, connection error, timeout). Both are set when a response began
/// but did not finish in time.
public struct SendResult: Sendable, Equatable {
    public var status: Int?
    /// The start of the response body, at most the configured limit.
    public var body: [UInt8]
    public var retryAfter: String?
    public var error: String?
    public var latencySeconds: Double

    public init(status: Int?, body: [UInt8] = [], retryAfter: String? = nil, error: String? = nil, latencySeconds: Double) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
        self.error = error
        self.latencySeconds = latencySeconds
    }

    /// A 2xx whose response completed: a head followed by a stalled body is a failure.
    public var isSuccess: Bool { error == nil && status.map { (200..<300).contains($0) } ?? false }
}

/// Sends webhook requests. Behind a protocol so that the worker can be tested with a fake.
public protocol WebhookSender: Sendable {
    func send(_ request: OutgoingRequest, bodyLimit: Int) async -> SendResult
    func shutdown() async
}
