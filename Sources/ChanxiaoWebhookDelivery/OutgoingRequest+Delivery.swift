import ChanxiaoCore
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation

extension OutgoingRequest {
    static let userAgent = "chanxiao/\(ChanxiaoVersion.current) (webhooks)"

    /// The request that delivers `batch` to `endpoint` at `now`: one signed event for a
    /// standard endpoint, one markdown message (a digest when several) for a chat robot.
    /// A standard event carries the `X-Request-Id` of the request that wrote it, when known (a
    /// robot's digest merges several messages, so it carries none).
    /// Nil when a standard endpoint has no secret to sign with.
    static func delivering(_ batch: [DueDelivery], to endpoint: DueEndpoint, now: Date, settings: WebhookSettings, zone: TimeZone) -> OutgoingRequest?
    {
        let format = endpoint.endpoint.format
        var headers: [(name: String, value: String)] = [("content-type", "application/json; charset=utf-8"), ("user-agent", userAgent)]
        switch format {
        case .standard:
            guard let delivery = batch.first, !endpoint.secrets.isEmpty else { return nil }
            let body = Array(delivery.payload.utf8)
            headers += StandardWebhooks.headers(
                secrets: endpoint.secrets,
                id: delivery.messageID,
                timestamp: Int64(now.timeIntervalSince1970.rounded(.down)),
                body: body
            )
            if let requestID = delivery.requestID, RequestTrace.isValid(requestID) { headers.append(("x-request-id", requestID)) }
            return OutgoingRequest(url: endpoint.endpoint.url, headers: headers, body: body, timeoutSeconds: settings.timeoutSeconds)
        case .wecom, .dingtalk, .feishu:
            let events = batch.compactMap { RobotEvent(payload: Array($0.payload.utf8)) }
            let secret = endpoint.secrets.first
            return OutgoingRequest(
                url: RobotRequest.url(format: format, base: endpoint.endpoint.url, secret: secret, now: now),
                headers: headers,
                body: RobotRequest.body(format: format, events: events, secret: secret, now: now, zone: zone),
                timeoutSeconds: settings.timeoutSeconds
            )
        }
    }
}
