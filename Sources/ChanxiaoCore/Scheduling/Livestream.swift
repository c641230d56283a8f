import Foundation

public enum LivestreamStatus: String, Sendable, CaseIterable, Codable {
    case scheduled, cancelled
}

/// One livestream selling session (直播带货): a host presents products on a platform.
public struct Livestream: Sendable, Equatable {
    public var id: String
    public var hostID: String
    public var platform: LivestreamPlatform
    public var startsAt: Date
    public var endsAt: Date
    /// What the host is paid; 0 unless the configuration allows paid livestreaming.
    public var feeFen: Int
    public var productIDs: [String]
    public var title: String?
    /// The rotation and featured week this session promotes, when it came from a plan.
    public var rotationID: String?
    public var week: IsoWeek?
    public var planID: String?
    public var status: LivestreamStatus
    /// Raised on every change, for calendar clients (iCalendar SEQUENCE).
    public var sequence: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// Why a cancelled session was cancelled, when the canceller said.
    public var cancelReason: String?

    public init(
        id: String,
        hostID: String,
        platform: LivestreamPlatform,
        startsAt: Date,
        endsAt: Date,
        feeFen: Int = 0,
        productIDs: [String],
        title: String? = nil,
        rotationID: String? = nil,
        week: IsoWeek? = nil,
        planID: String? = nil,
        status: LivestreamStatus = .scheduled,
        sequence: Int = 0,
        createdAt: Date,
        updatedAt: Date,
        cancelReason: String? = nil
    ) {
        self.id = id
        self.hostID = hostID
        self.platform = platform
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.feeFen = feeFen
        self.productIDs = productIDs
        self.title = title
        self.rotationID = rotationID
        self.week = week
        self.planID = planID
        self.status = status
        self.sequence = sequence
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.cancelReason = cancelReason
    }

    public func overlaps(_ start: Date, _ end: Date) -> Bool { startsAt < end && start < endsAt }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("host_id", .string(hostID)), ("platform", .string(platform.rawValue)),
            ("starts_at", .string(Timestamp.string(from: startsAt))), ("ends_at", .string(Timestamp.string(from: endsAt))),
            ("fee_fen", JSONValue(feeFen)), ("product_ids", .array(productIDs.map(JSONValue.string))), ("title", JSONValue(title)),
            ("rotation_id", JSONValue(rotationID)), ("week", JSONValue(week?.description)), ("plan_id", JSONValue(planID)),
            ("status", .string(status.rawValue)), ("cancel_reason", JSONValue(cancelReason)), ("sequence", JSONValue(sequence)),
            ("created_at", .string(Timestamp.string(from: createdAt))), ("updated_at", .string(Timestamp.string(from: updatedAt))),
        ]
    }
}
