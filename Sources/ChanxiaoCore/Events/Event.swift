import Foundation

/// The kinds of things chanxiao tells webhook endpoints about. docs/webhooks.md documents the
/// `data` of each, and `EventData` types it.
public enum EventType: String, Sendable, CaseIterable, Codable {
    case matchProposed = "match.proposed"
    case matchAccepted = "match.accepted"
    case matchDeclined = "match.declined"
    case matchExpired = "match.expired"
    case matchCancelled = "match.cancelled"
    case rotationPublished = "rotation.published"
    case slotChanged = "slot.changed"
    case slotWithdrawn = "rotation.slot_withdrawn"
    case livestreamScheduled = "livestream.scheduled"
    case livestreamReminder = "livestream.reminder"
    case livestreamCancelled = "livestream.cancelled"
    case fairBoothAssigned = "fair.booth_assigned"
    case boothReleased = "booth.released"
    case supplierBlacklisted = "supplier.blacklisted"
    case endpointDisabled = "endpoint.disabled"
    case quotaAtRisk = "quota.at_risk"
    case productSlowMoving = "product.slow_moving"
    case reportWeekly = "report.weekly"
}

/// One event for the outbox: written in the transaction of the change it announces.
public struct Event: Sendable {
    /// The typed `data`; its case is the event's type.
    public var data: EventData
    public var timestamp: Date
    /// The buyers and suppliers the event concerns: their endpoints receive it. Endpoints
    /// without an owner (admins', organizers') receive every event of their types.
    public var concerns: Set<Owner>
    /// Only endpoints without an owner receive it (the operational `endpoint.disabled`).
    public var staffOnly: Bool
    /// The region a `report.weekly` covers (nil: the country); endpoints receive the report of
    /// their `region`. Routing only: the payload says it too.
    public var region: String?

    /// The largest payload an event may have; larger lists are cut and say so.
    public static let maxPayloadBytes = 20 * 1024

    public init(_ data: EventData, timestamp: Date, concerns: Set<Owner> = [], staffOnly: Bool = false) {
        self.data = data
        self.timestamp = timestamp
        self.concerns = concerns
        self.staffOnly = staffOnly
    }

    public var type: EventType { data.type }

    /// The delivered body: `{"type": …, "timestamp": RFC 3339, "data": {…}}`.
    public var payload: [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.raw("{\"type\":")
        writer.string(type.rawValue)
        writer.raw(",\"timestamp\":")
        writer.string(Timestamp.string(from: timestamp))
        writer.raw(",\"data\":")
        writer.object(data.members)
        writer.raw("}")
        return writer.bytes
    }

    /// Whether an endpoint owned by `owner` (nil: staff) receives this event.
    public func isVisible(to owner: Owner?) -> Bool {
        Self.isVisible(concerns: concerns, staffOnly: staffOnly, to: owner)
    }

    /// Whether an endpoint owned by `owner` (nil: staff) receives an event with these concerns;
    /// for a stored message, whose data need not be read to tell.
    public static func isVisible(concerns: Set<Owner>, staffOnly: Bool, to owner: Owner?) -> Bool {
        guard let owner else { return true }
        return !staffOnly && concerns.contains(owner)
    }
}

/// Which event types an endpoint subscribes to: exact names (`match.accepted`), prefixes
/// (`match.*`) or everything (`*`).
public struct EventTypeFilter: Sendable, Equatable {
    public let patterns: [String]

    /// Checks each pattern against the catalogue of types, so that a typo is refused rather
    /// than silently matching nothing.
    public static func parse(_ patterns: [String]) -> Result<EventTypeFilter, ValidationFailure> {
        guard !patterns.isEmpty else {
            return .failure(
                ValidationFailure(field: "event_types", message: "must name at least one event type, a prefix such as \"match.*\", or \"*\"")
            )
        }
        for (index, pattern) in patterns.enumerated() {
            let filter = EventTypeFilter(unchecked: [pattern])
            if !EventType.allCases.contains(where: { filter.matches($0) }) {
                let known = EventType.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(
                    ValidationFailure(
                        field: "event_types[\(index)]",
                        message: "\"\(pattern)\" matches no event type; known types: \(known); a prefix ends in \".*\""
                    )
                )
            }
        }
        return .success(EventTypeFilter(unchecked: Array(patterns.uniqued())))
    }

    public init(unchecked patterns: [String]) {
        self.patterns = patterns
    }

    public func matches(_ type: EventType) -> Bool {
        patterns.contains { pattern in
            if pattern == "*" { return true }
            if pattern.hasSuffix(".*") { return type.rawValue.hasPrefix(String(pattern.dropLast(1))) }
            return pattern == type.rawValue
        }
    }
}
