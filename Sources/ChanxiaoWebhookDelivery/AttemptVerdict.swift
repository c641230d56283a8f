import ChanxiaoCore
import ChanxiaoWebhooks
import Foundation

/// What an attempt's result means for its deliveries.
struct AttemptVerdict: Equatable {
    var delivered: Bool
    var error: String?
    /// Seconds the receiver asked to wait (Retry-After, or a robot's rate limit).
    var retryAfter: Double?
    /// Set when the endpoint must be disabled at once (410 Gone).
    var disable: String?

    init(_ result: SendResult, format: WebhookFormat, now: Date) {
        delivered = result.isSuccess
        error = result.error
        retryAfter = result.retryAfter.flatMap { RetryPolicy.parseRetryAfter($0, now: now) }
        disable = result.status == 410 ? "the endpoint answered 410 Gone" : nil
        if delivered, format.isRobot {
            switch RobotRequest.outcome(format: format, body: result.body) {
            case .delivered: break
            case .rejected(let reason):
                delivered = false
                error = reason
            case .rateLimited(let reason):
                delivered = false
                error = reason
                retryAfter = retryAfter ?? 60
            }
        }
        if !delivered, error == nil, let status = result.status {
            error = "HTTP \(status)" + ((300..<400).contains(status) ? ": redirects are not followed" : "")
        }
    }
}
