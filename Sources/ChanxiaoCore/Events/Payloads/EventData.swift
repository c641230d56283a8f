import Foundation

/// The typed `data` of an event, one case per type: the case is the type, so that the two
/// cannot disagree.
public enum EventData: Sendable, Equatable {
    case matchProposed(MatchPayload)
    case matchAccepted(MatchPayload)
    case matchDeclined(MatchPayload)
    case matchExpired(MatchPayload)
    case matchCancelled(MatchCancelledPayload)
    case rotationPublished(RotationPublishedPayload)
    case slotChanged(SlotChangedPayload)
    case slotWithdrawn(SlotWithdrawnPayload)
    case livestreamScheduled(LivestreamPayload)
    case livestreamReminder(LivestreamReminderPayload)
    case livestreamCancelled(LivestreamCancelledPayload)
    case fairBoothAssigned(BoothAssignedPayload)
    case boothReleased(BoothReleasedPayload)
    case supplierBlacklisted(SupplierBlacklistedPayload)
    case endpointDisabled(EndpointDisabledPayload)
    case quotaAtRisk(QuotaAtRiskPayload)
    case productSlowMoving(ProductSlowMovingPayload)
    case reportWeekly(ReportWeeklyPayload)

    public var type: EventType {
        switch self {
        case .matchProposed: .matchProposed
        case .matchAccepted: .matchAccepted
        case .matchDeclined: .matchDeclined
        case .matchExpired: .matchExpired
        case .matchCancelled: .matchCancelled
        case .rotationPublished: .rotationPublished
        case .slotChanged: .slotChanged
        case .slotWithdrawn: .slotWithdrawn
        case .livestreamScheduled: .livestreamScheduled
        case .livestreamReminder: .livestreamReminder
        case .livestreamCancelled: .livestreamCancelled
        case .fairBoothAssigned: .fairBoothAssigned
        case .boothReleased: .boothReleased
        case .supplierBlacklisted: .supplierBlacklisted
        case .endpointDisabled: .endpointDisabled
        case .quotaAtRisk: .quotaAtRisk
        case .productSlowMoving: .productSlowMoving
        case .reportWeekly: .reportWeekly
        }
    }

    public var payload: any EventPayload {
        switch self {
        case .matchProposed(let payload), .matchAccepted(let payload), .matchDeclined(let payload), .matchExpired(let payload): payload
        case .matchCancelled(let payload): payload
        case .rotationPublished(let payload): payload
        case .slotChanged(let payload): payload
        case .slotWithdrawn(let payload): payload
        case .livestreamScheduled(let payload): payload
        case .livestreamReminder(let payload): payload
        case .livestreamCancelled(let payload): payload
        case .fairBoothAssigned(let payload): payload
        case .boothReleased(let payload): payload
        case .supplierBlacklisted(let payload): payload
        case .endpointDisabled(let payload): payload
        case .quotaAtRisk(let payload): payload
        case .productSlowMoving(let payload): payload
        case .reportWeekly(let payload): payload
        }
    }

    /// The members of `data`, in the order docs/webhooks.md lists them for the type.
    public var members: [(name: String, value: JSONValue)] { payload.members }

    /// Reads the stored `data` of an event of `type`.
    public init(type: EventType, data: [String: JSONValue]) throws(PayloadError) {
        switch type {
        case .matchProposed: self = .matchProposed(try MatchPayload(data: data))
        case .matchAccepted: self = .matchAccepted(try MatchPayload(data: data))
        case .matchDeclined: self = .matchDeclined(try MatchPayload(data: data))
        case .matchExpired: self = .matchExpired(try MatchPayload(data: data))
        case .matchCancelled: self = .matchCancelled(try MatchCancelledPayload(data: data))
        case .rotationPublished: self = .rotationPublished(try RotationPublishedPayload(data: data))
        case .slotChanged: self = .slotChanged(try SlotChangedPayload(data: data))
        case .slotWithdrawn: self = .slotWithdrawn(try SlotWithdrawnPayload(data: data))
        case .livestreamScheduled: self = .livestreamScheduled(try LivestreamPayload(data: data))
        case .livestreamReminder: self = .livestreamReminder(try LivestreamReminderPayload(data: data))
        case .livestreamCancelled: self = .livestreamCancelled(try LivestreamCancelledPayload(data: data))
        case .fairBoothAssigned: self = .fairBoothAssigned(try BoothAssignedPayload(data: data))
        case .boothReleased: self = .boothReleased(try BoothReleasedPayload(data: data))
        case .supplierBlacklisted: self = .supplierBlacklisted(try SupplierBlacklistedPayload(data: data))
        case .endpointDisabled: self = .endpointDisabled(try EndpointDisabledPayload(data: data))
        case .quotaAtRisk: self = .quotaAtRisk(try QuotaAtRiskPayload(data: data))
        case .productSlowMoving: self = .productSlowMoving(try ProductSlowMovingPayload(data: data))
        case .reportWeekly: self = .reportWeekly(try ReportWeeklyPayload(data: data))
        }
    }

    /// A match event of `type`; nil when `type` is not one of the four `match.*` types of the
    /// `MatchPayload` shape (`match.cancelled` adds its reason: `Event.matchCancelled`).
    public init?(match type: EventType, _ payload: MatchPayload) {
        switch type {
        case .matchProposed: self = .matchProposed(payload)
        case .matchAccepted: self = .matchAccepted(payload)
        case .matchDeclined: self = .matchDeclined(payload)
        case .matchExpired: self = .matchExpired(payload)
        default: return nil
        }
    }
}
