import Foundation

public enum RotationStatus: String, Sendable, CaseIterable, Codable {
    /// Proposed, visible to organizers only.
    case draft
    /// Official: on the venue's calendar.
    case published
}

/// One featured week of a rotation as stored.
public struct FeaturedSlot: Sendable, Equatable {
    public var week: IsoWeek
    public var countyCode: String
    public var productID: String
    public var pinned: Bool
    public var reasons: [String]
    /// Soft-constraint points of this slot per term.
    public var points: [(term: String, value: Double)]
    /// Raised on every change of the week's county or product at the venue (iCalendar SEQUENCE).
    public var sequence: Int
    public var updatedAt: Date
    /// Why the week was withdrawn from a published rotation (its product's listing revoked,
    /// its supplier blacklisted); nil while it stands. A replacement clears it.
    public var withdrawnReason: String?

    public init(
        week: IsoWeek,
        countyCode: String,
        productID: String,
        pinned: Bool,
        reasons: [String],
        points: [(term: String, value: Double)],
        sequence: Int = 0,
        updatedAt: Date,
        withdrawnReason: String? = nil
    ) {
        self.week = week
        self.countyCode = countyCode
        self.productID = productID
        self.pinned = pinned
        self.reasons = reasons
        self.points = points
        self.sequence = sequence
        self.updatedAt = updatedAt
        self.withdrawnReason = withdrawnReason
    }

    public static func == (a: FeaturedSlot, b: FeaturedSlot) -> Bool {
        a.week == b.week && a.countyCode == b.countyCode && a.productID == b.productID && a.pinned == b.pinned
            && a.sequence == b.sequence && a.reasons == b.reasons && a.withdrawnReason == b.withdrawnReason
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("week", .string(week.description)), ("starts_on", JSONValue(week.monday)), ("ends_on", JSONValue(week.sunday)),
            ("county_code", .string(countyCode)), ("product_id", .string(productID)), ("pinned", .bool(pinned)),
            ("reasons", .array(reasons.map(JSONValue.string))),
            ("points", JSONValue.points(points)),
            ("sequence", JSONValue(sequence)), ("updated_at", .string(Timestamp.string(from: updatedAt))),
            ("withdrawn_reason", JSONValue(withdrawnReason)),
        ]
    }
}

/// A change to a rotation's slots after it was planned.
public struct RotationChange: Sendable, Equatable {
    public var at: Date
    public var actor: String
    /// `swap` or `replace`.
    public var kind: String
    public var detail: JSONValue

    public init(at: Date, actor: String, kind: String, detail: JSONValue) {
        self.at = at
        self.actor = actor
        self.kind = kind
        self.detail = detail
    }

    public var fields: [(name: String, value: JSONValue)] {
        [("at", .string(Timestamp.string(from: at))), ("actor", .string(actor)), ("kind", .string(kind)), ("detail", detail)]
    }
}

/// A plan of 一县一品一周 at a venue.
public struct Rotation: Sendable, Equatable {
    public var id: String
    public var venueID: String
    public var fromWeek: IsoWeek
    public var weeks: Int
    public var status: RotationStatus
    public var cycleLength: Int
    public var slots: [FeaturedSlot]
    public var blackoutWeeks: [IsoWeek]
    public var unplaced: [(countyCode: String, reason: String)]
    public var score: [(term: String, value: Double)]
    public var total: Double
    public var bound: Double
    /// The request as it was made, so that a plan can be understood and made again.
    public var request: JSONValue
    public var changes: [RotationChange]
    public var createdAt: Date
    public var publishedAt: Date?

    public init(
        id: String,
        venueID: String,
        fromWeek: IsoWeek,
        weeks: Int,
        status: RotationStatus,
        cycleLength: Int,
        slots: [FeaturedSlot],
        blackoutWeeks: [IsoWeek],
        unplaced: [(countyCode: String, reason: String)],
        score: [(term: String, value: Double)],
        total: Double,
        bound: Double,
        request: JSONValue,
        changes: [RotationChange] = [],
        createdAt: Date,
        publishedAt: Date? = nil
    ) {
        self.id = id
        self.venueID = venueID
        self.fromWeek = fromWeek
        self.weeks = weeks
        self.status = status
        self.cycleLength = cycleLength
        self.slots = slots
        self.blackoutWeeks = blackoutWeeks
        self.unplaced = unplaced
        self.score = score
        self.total = total
        self.bound = bound
        self.request = request
        self.changes = changes
        self.createdAt = createdAt
        self.publishedAt = publishedAt
    }

    public static func == (a: Rotation, b: Rotation) -> Bool {
        a.id == b.id && a.status == b.status && a.slots == b.slots && a.changes == b.changes
    }

    public var lastWeek: IsoWeek { fromWeek.adding(weeks: weeks - 1) }

    public var summaryFields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("venue_id", .string(venueID)), ("from_week", .string(fromWeek.description)),
            ("weeks", JSONValue(weeks)), ("status", .string(status.rawValue)), ("cycle_length", JSONValue(cycleLength)),
            ("score", JSONValue.points(score)),
            ("total", .double(total)), ("bound", .double(bound)), ("optimal", .bool(total <= bound)),
            ("created_at", .string(Timestamp.string(from: createdAt))),
            ("published_at", JSONValue(publishedAt.map(Timestamp.string(from:)))),
        ]
    }

    public var fields: [(name: String, value: JSONValue)] {
        summaryFields + [
            ("slots", .array(slots.map { .object(Dictionary(uniqueKeysWithValues: $0.fields)) })),
            ("blackout_weeks", .array(blackoutWeeks.map { .string($0.description) })),
            ("unplaced", .array(unplaced.map { .object(["county_code": .string($0.countyCode), "reason": .string($0.reason)]) })),
            ("changes", .array(changes.map { .object(Dictionary(uniqueKeysWithValues: $0.fields)) })),
            ("request", request),
        ]
    }
}

extension JSONValue {
    /// Soft-constraint points per term as `{"term": value, …}`.
    public static func points(_ points: [(term: String, value: Double)]) -> JSONValue {
        .object(Dictionary(points.map { ($0.term, JSONValue.double($0.value)) }, uniquingKeysWith: { a, _ in a }))
    }
}
