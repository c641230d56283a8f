import Foundation

/// The `data` of `endpoint.disabled`, for staff endpoints only.
public struct EndpointDisabledPayload: EventPayload {
    public var endpointID: String
    /// The scheme, host and port only (`WebhookEndpoint.origin(of:)`): a robot's key sits in the
    /// path or query, and stays out of the outbox.
    public var url: String
    public var description: String
    /// Nil for a staff endpoint.
    public var owner: Owner?
    public var reason: String
    /// The first failed attempt since the last success; nil when it answered 410 at once.
    public var failingSince: Date?
    public var disabledAt: Date

    public init(endpointID: String, url: String, description: String, owner: Owner?, reason: String, failingSince: Date?, disabledAt: Date) {
        self.endpointID = endpointID
        self.url = url
        self.description = description
        // `Owner.none` is no owner, written as null: one value for it keeps the round trip exact.
        self.owner = owner.flatMap { $0 == Owner.none ? nil : $0 }
        self.reason = reason
        self.failingSince = failingSince
        self.disabledAt = disabledAt
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("endpoint_id", .string(endpointID)), ("url", .string(url)), ("description", .string(description)),
            ("owner", JSONValue(owner?.text)), ("reason", .string(reason)),
            ("failing_since", JSONValue(failingSince)), ("disabled_at", JSONValue(disabledAt)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            endpointID: data.string("endpoint_id"),
            url: data.string("url"),
            description: data.string("description"),
            owner: data.parsed(orNull: "owner", as: "buyer:<id> or supplier:<id>", Owner.init(text:)),
            reason: data.string("reason"),
            failingSince: data.date(orNull: "failing_since"),
            disabledAt: data.date("disabled_at")
        )
    }
}
