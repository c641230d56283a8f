import ChanxiaoCore
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation

extension OutgoingRequest {
    static let userAgent = "chanxiao/\(ChanxiaoVersion.current) (webhooks)"

    /// The request that delivers `batch` to `endpoint` at `now`: one signed event for a
    /// standard endpoint, one markdown message (a digest when several) for a chat robot.
    /// Nil when a standard endpoint has no secret to sign with.
    static func delivering(_ batch: [DueDelivery], to endpoint: DueEndpoint, now: Date, settings: WebhookSettings, zone: TimeZone) -> OutgoingRequest? {
        let format = endpoint.endpoint.format
        var headers: [(name: String, value: String)] = [("content-type", "application/json; charset=utf-8"), ("user-agent", userAgent)]
        switch format {
        case .standard:
            guard let delivery = batch.first, !endpoint.secrets.isEmpty else { return nil }
            let body = Array(delivery.payload.utf8)
            headers += StandardWebhooks.headers(secrets: endpoint.secrets, id: delivery.messageID, timestamp: Int64(now.timeIntervalSince1970.rounded(.down)),
                                                body: body)
            return OutgoingRequest(url: endpoint.endpoint.url, headers: headers, body: body, timeoutSeconds: settings.timeoutSeconds)
        case .wecom, .dingtalk, .feishu:
            let events = batch.compactMap { RobotEvent(payload: Array($0.payload.utf8)) }
            let secret = endpoint.secrets.first
            return OutgoingRequest(url: RobotRequest.url(format: format, base: endpoint.endpoint.url, secret: secret, now: now), headers: headers,
                                   body: RobotRequest.body(format: format, events: events, secret: secret, now: now, zone: zone),
                                   timeoutSeconds: settings.timeoutSeconds)
        }
    }
}

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
