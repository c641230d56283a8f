import ChanxiaoCore
import Foundation

/// The body of `POST /v1/webhook-endpoints/{id}/recover`: from when failed messages go out again.
struct WebhookRecoveryInput {
    var since: Date

    static func parse(_ body: [String: JSONValue]) throws -> WebhookRecoveryInput {
        var r = FieldReader(json: body)
        let since = r.timestamp("since", required: true)
        r.rejectUnknownFields()
        guard let since, !r.hasErrors else { throw ValidationFailure(r.errors) }
        return WebhookRecoveryInput(since: since)
    }
}

/// The body of `POST /v1/webhook-messages/{id}/resend`: one endpoint, or (empty) every one.
struct WebhookResendInput {
    var endpointID: String?

    static func parse(_ body: [String: JSONValue]) throws -> WebhookResendInput {
        var r = FieldReader(json: body)
        let endpointID = r.identifier("endpoint_id")
        r.rejectUnknownFields()
        if r.hasErrors { throw ValidationFailure(r.errors) }
        return WebhookResendInput(endpointID: endpointID)
    }
}
