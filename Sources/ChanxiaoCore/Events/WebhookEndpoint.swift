import Foundation

/// A receiver of events: where to send them, which types, in which format, and for whom.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: String
    public var url: String
    public var format: WebhookFormat
    public var eventTypes: [String]
    public var description: String
    /// The buyer or supplier the endpoint belongs to; nil for staff (admins', organizers')
    /// endpoints, which receive every event of their types.
    public var owner: Owner?
    public var enabled: Bool
    public var disabledReason: String?
    public var disabledAt: Date?
    /// Since when every attempt has failed; nil after a success.
    public var failingSince: Date?
    /// Sends per minute at most, beside the robot platforms' own limits; nil for none.
    public var rateLimitPerMinute: Int?
    /// The region (GB/T 2260) whose weekly report (`report.weekly`) the endpoint receives,
    /// instead of the country's; nil for the country's. Staff endpoints only.
    public var region: String?
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        url: String,
        format: WebhookFormat = .standard,
        eventTypes: [String],
        description: String = "",
        owner: Owner? = nil,
        enabled: Bool = true,
        disabledReason: String? = nil,
        disabledAt: Date? = nil,
        failingSince: Date? = nil,
        rateLimitPerMinute: Int? = nil,
        region: String? = nil,
        createdBy: String,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.url = url
        self.format = format
        self.eventTypes = eventTypes
        self.description = description
        self.owner = owner
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.disabledAt = disabledAt
        self.failingSince = failingSince
        self.rateLimitPerMinute = rateLimitPerMinute
        self.region = region
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var filter: EventTypeFilter { EventTypeFilter(unchecked: eventTypes) }

    /// Whether this endpoint receives `event`.
    public func receives(_ event: Event) -> Bool {
        // A weekly report is of one region or of the country: each endpoint gets the one it asked
        // for. Other events are not attributed to regions, so an endpoint scoped to a region (a
        // region-bound organizer's always is) gets none of them rather than every region's.
        enabled && filter.matches(event.type) && event.isVisible(to: owner)
            && (event.type == .reportWeekly ? event.region == region : region == nil)
    }

    /// The API representation. Secrets are never part of it.
    public var fields: [(name: String, value: JSONValue)] { fields(showingURL: true) }

    /// The API representation, with the URL cut to its origin (`origin(of:)`) unless
    /// `showingURL`: a chat robot's key sits in the path or query of its URL, and only the
    /// endpoint's owner and admins may see it.
    public func fields(showingURL: Bool) -> [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("url", .string(showingURL ? url : Self.origin(of: url))), ("format", .string(format.rawValue)),
            ("event_types", .array(eventTypes.map(JSONValue.string))), ("description", .string(description)),
            ("owner", JSONValue(owner?.text)), ("enabled", .bool(enabled)), ("disabled_reason", JSONValue(disabledReason)),
            ("disabled_at", JSONValue(disabledAt.map(Timestamp.string(from:)))),
            ("failing_since", JSONValue(failingSince.map(Timestamp.string(from:)))),
            ("rate_limit_per_minute", JSONValue(rateLimitPerMinute)), ("region", JSONValue(region)), ("created_by", .string(createdBy)),
            ("created_at", .string(Timestamp.string(from: createdAt))), ("updated_at", .string(Timestamp.string(from: updatedAt))),
        ]
    }

    /// `scheme://host[:port]` of `url`, for places where its path and query (which may hold a
    /// chat robot's key) must not appear.
    public static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return "" }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)\(port)"
    }

    /// Whether `url` can be an endpoint address: absolute http or https with a host, no user
    /// information (credentials belong in the secret, not in a URL that is listed and logged).
    public static func urlProblem(_ url: String) -> String? {
        guard url.utf8.count <= 2048 else { return "must be at most 2048 characters" }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return "must be an absolute http or https URL"
        }
        guard scheme == "http" || scheme == "https" else { return "must use http or https, not \(scheme)" }
        guard let host = components.host, !host.isEmpty else { return "must name a host" }
        guard components.user == nil, components.password == nil else { return "must not carry a user name or password" }
        guard components.fragment == nil else { return "must not have a fragment" }
        return nil
    }
}

/// Where one event stands with one endpoint.
public enum DeliveryStatus: String, Sendable, CaseIterable, Codable {
    case pending, delivered, failed
}

/// An event as stored in the outbox, with how its deliveries stand.
public struct WebhookMessage: Sendable, Equatable {
    public struct Delivery: Sendable, Equatable {
        public var endpointID: String
        public var status: DeliveryStatus
        public var attempts: Int
        public var nextAttemptAt: Date?
        public var lastAttemptAt: Date?
        public var lastError: String?
        public var deliveredAt: Date?

        public init(
            endpointID: String,
            status: DeliveryStatus,
            attempts: Int,
            nextAttemptAt: Date?,
            lastAttemptAt: Date?,
            lastError: String?,
            deliveredAt: Date?
        ) {
            self.endpointID = endpointID
            self.status = status
            self.attempts = attempts
            self.nextAttemptAt = nextAttemptAt
            self.lastAttemptAt = lastAttemptAt
            self.lastError = lastError
            self.deliveredAt = deliveredAt
        }

        public var fields: [(name: String, value: JSONValue)] {
            [
                ("endpoint_id", .string(endpointID)), ("status", .string(status.rawValue)), ("attempts", JSONValue(attempts)),
                ("next_attempt_at", JSONValue(nextAttemptAt.map(Timestamp.string(from:)))),
                ("last_attempt_at", JSONValue(lastAttemptAt.map(Timestamp.string(from:)))), ("last_error", JSONValue(lastError)),
                ("delivered_at", JSONValue(deliveredAt.map(Timestamp.string(from:)))),
            ]
        }
    }

    public var id: String
    public var type: EventType
    public var createdAt: Date
    /// The exact body that is signed and sent.
    public var payload: String
    /// The request (or job) that wrote the message (`X-Request-Id`), nil when none is known.
    public var requestID: String?
    public var deliveries: [Delivery]

    public init(id: String, type: EventType, createdAt: Date, payload: String, requestID: String? = nil, deliveries: [Delivery]) {
        self.id = id
        self.type = type
        self.createdAt = createdAt
        self.payload = payload
        self.requestID = requestID
        self.deliveries = deliveries
    }

    /// Writes the API representation. The payload goes in as stored, so it reads member for
    /// member as it was signed and sent (a parsed-and-rewritten one would come out sorted).
    public func write(to writer: inout JSONWriter) {
        writer.raw(#"{"id":"#)
        writer.string(id)
        writer.raw(#","type":"#)
        writer.string(type.rawValue)
        writer.raw(#","created_at":"#)
        writer.string(Timestamp.string(from: createdAt))
        writer.raw(#","payload":"#)
        if (try? JSONValue.parse(Data(payload.utf8))) != nil { writer.raw(payload) } else { writer.string(payload) }
        writer.raw(#","request_id":"#)
        writer.value(JSONValue(requestID))
        writer.raw(#","deliveries":"#)
        writer.array(deliveries) { $0.object($1.fields) }
        writer.raw("}")
    }
}

/// One try at delivering one event to one endpoint.
public struct WebhookAttempt: Sendable, Equatable {
    public enum Trigger: String, Sendable, CaseIterable {
        /// The first try or a retry on the backoff schedule.
        case scheduled
        /// Asked for through `POST /v1/webhook-messages/{id}/resend`.
        case resend
        /// Asked for through `POST /v1/webhook-endpoints/{id}/recover`.
        case recover
    }

    public var id: Int64
    public var messageID: String
    public var endpointID: String
    public var attemptedAt: Date
    public var trigger: Trigger
    /// The HTTP status, nil when no response came (refused address, timeout, connection error).
    public var responseStatus: Int?
    public var latencyMilliseconds: Int
    public var error: String?
    /// The start of the response body.
    public var responseBody: String?

    public init(
        id: Int64,
        messageID: String,
        endpointID: String,
        attemptedAt: Date,
        trigger: Trigger,
        responseStatus: Int?,
        latencyMilliseconds: Int,
        error: String?,
        responseBody: String?
    ) {
        self.id = id
        self.messageID = messageID
        self.endpointID = endpointID
        self.attemptedAt = attemptedAt
        self.trigger = trigger
        self.responseStatus = responseStatus
        self.latencyMilliseconds = latencyMilliseconds
        self.error = error
        self.responseBody = responseBody
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .int(id)), ("message_id", .string(messageID)), ("endpoint_id", .string(endpointID)),
            ("attempted_at", .string(Timestamp.string(from: attemptedAt))), ("trigger", .string(trigger.rawValue)),
            ("response_status", JSONValue(responseStatus)), ("latency_ms", JSONValue(latencyMilliseconds)),
            ("error", JSONValue(error)), ("response_body", JSONValue(responseBody)),
        ]
    }
}
