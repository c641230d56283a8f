import Foundation

/// A featured week as `rotation.published` and `slot.changed` carry it.
public struct EventSlot: NestedPayload {
    public var week: IsoWeek
    public var countyCode: String
    public var countyName: String?
    public var productID: String
    public var productName: String?
    /// Raised on every change of the week's county or product (iCalendar SEQUENCE).
    public var sequence: Int

    public init(week: IsoWeek, countyCode: String, countyName: String?, productID: String, productName: String?, sequence: Int) {
        self.week = week
        self.countyCode = countyCode
        self.countyName = countyName
        self.productID = productID
        self.productName = productName
        self.sequence = sequence
    }

    var object: JSONValue {
        .record([
            ("week", JSONValue(week)), ("county_code", .string(countyCode)), ("county_name", JSONValue(countyName)),
            ("product_id", .string(productID)), ("product_name", JSONValue(productName)), ("sequence", JSONValue(sequence)),
        ])
    }

    init(reading slot: PayloadReader) throws(PayloadError) {
        try self.init(
            week: slot.week("week"),
            countyCode: slot.string("county_code"),
            countyName: slot.string(orNull: "county_name"),
            productID: slot.string("product_id"),
            productName: slot.string(orNull: "product_name"),
            sequence: slot.int("sequence")
        )
    }

    /// As many of `slots` as keep a payload whose other members are `head` under
    /// `Event.maxPayloadBytes`, and whether any were cut (a rotation of several years would not
    /// fit whole). The margin leaves room for the envelope and the `slots_truncated` member.
    static func fitted(_ slots: [EventSlot], after head: [(name: String, value: JSONValue)]) -> (slots: [EventSlot], truncated: Bool) {
        let budget = Event.maxPayloadBytes - JSONWriter.encode(head).count - 512
        var used = 0
        var kept: [EventSlot] = []
        for slot in slots {
            used += JSONWriter.encode(slot.object).count + 1
            if used > budget { break }
            kept.append(slot)
        }
        return (kept, kept.count < slots.count)
    }
}

/// A payload whose data is a head of members and then the featured weeks, cut to fit the
/// payload limit: `rotation.published` and `slot.changed`.
public protocol SlotListPayload {
    /// The members before `slots`, in the documented order.
    var head: [(name: String, value: JSONValue)] { get }
    var slots: [EventSlot] { get set }
    var slotsTruncated: Bool { get set }
}

extension SlotListPayload {
    public var members: [(name: String, value: JSONValue)] {
        head + [("slots", .array(slots.map(\.object))), ("slots_truncated", .bool(slotsTruncated))]
    }

    /// Cuts `slots` to what fits the payload limit, and says so in `slotsTruncated`.
    public mutating func fitSlots() {
        let fitted = EventSlot.fitted(slots, after: head)
        slots = fitted.slots
        slotsTruncated = slotsTruncated || fitted.truncated
    }
}

/// The `data` of `rotation.published`: the whole plan, its slots cut to fit the payload limit.
public struct RotationPublishedPayload: EventPayload, SlotListPayload {
    public var rotationID: String
    public var venueID: String
    public var venueName: String?
    public var fromWeek: IsoWeek
    public var weeks: Int
    /// Every featured week, also those cut from `slots`.
    public var slotCount: Int
    public var slots: [EventSlot]
    public var slotsTruncated: Bool

    public init(
        rotationID: String,
        venueID: String,
        venueName: String?,
        fromWeek: IsoWeek,
        weeks: Int,
        slotCount: Int,
        slots: [EventSlot],
        slotsTruncated: Bool
    ) {
        self.rotationID = rotationID
        self.venueID = venueID
        self.venueName = venueName
        self.fromWeek = fromWeek
        self.weeks = weeks
        self.slotCount = slotCount
        self.slots = slots
        self.slotsTruncated = slotsTruncated
    }

    public var head: [(name: String, value: JSONValue)] {
        [
            ("rotation_id", .string(rotationID)), ("venue_id", .string(venueID)), ("venue_name", JSONValue(venueName)),
            ("from_week", JSONValue(fromWeek)), ("weeks", JSONValue(weeks)), ("slot_count", JSONValue(slotCount)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            rotationID: data.string("rotation_id"),
            venueID: data.string("venue_id"),
            venueName: data.string(orNull: "venue_name"),
            fromWeek: data.week("from_week"),
            weeks: data.int("weeks"),
            slotCount: data.int("slot_count"),
            slots: data.objects("slots"),
            slotsTruncated: data.bool("slots_truncated")
        )
    }
}

/// The `data` of `slot.changed`: the weeks of a published rotation after a swap or a
/// replacement, as they are now.
public struct SlotChangedPayload: EventPayload, SlotListPayload {
    /// What was done (`change`), with the audit log's `detail`.
    public enum Change: Sendable, Equatable {
        /// Two weeks exchanged their county and product.
        case swap(IsoWeek, IsoWeek)
        /// One week got another county or product.
        case replace(week: IsoWeek, from: Choice, to: Choice)
    }

    /// A week's county and product, before or after a replacement.
    public struct Choice: Sendable, Equatable {
        public var countyCode: String
        public var productID: String

        public init(countyCode: String, productID: String) {
            self.countyCode = countyCode
            self.productID = productID
        }
    }

    public var rotationID: String
    public var venueID: String
    public var venueName: String?
    public var change: Change
    public var slots: [EventSlot]
    public var slotsTruncated: Bool

    public init(rotationID: String, venueID: String, venueName: String?, change: Change, slots: [EventSlot], slotsTruncated: Bool) {
        self.rotationID = rotationID
        self.venueID = venueID
        self.venueName = venueName
        self.change = change
        self.slots = slots
        self.slotsTruncated = slotsTruncated
    }

    public var head: [(name: String, value: JSONValue)] {
        [
            ("rotation_id", .string(rotationID)), ("venue_id", .string(venueID)), ("venue_name", JSONValue(venueName)),
            ("change", .string(change.kind)), ("detail", change.detail),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            rotationID: data.string("rotation_id"),
            venueID: data.string("venue_id"),
            venueName: data.string(orNull: "venue_name"),
            change: Change(reading: data),
            slots: data.objects("slots"),
            slotsTruncated: data.bool("slots_truncated")
        )
    }
}

extension SlotChangedPayload.Change {
    /// `swap` or `replace`, as the audit log names the change.
    public var kind: String {
        switch self {
        case .swap: "swap"
        case .replace: "replace"
        }
    }

    /// swap: `{"weeks": [a, b]}`; replace: `{"from": {county_code, product_id}, "to": {…}, "week"}`.
    public var detail: JSONValue {
        switch self {
        case .swap(let first, let second):
            .object(["weeks": .array([JSONValue(first), JSONValue(second)])])
        case .replace(let week, let from, let to):
            .object(["week": JSONValue(week), "from": from.object, "to": to.object])
        }
    }

    /// The change the rotation editor recorded as `kind` and `detail` (the audit log's form).
    public init(kind: String, detail: JSONValue) throws(PayloadError) {
        try self.init(reading: PayloadReader(["change": .string(kind), "detail": detail]))
    }

    /// Reads `change` and `detail` of a payload.
    init(reading data: PayloadReader) throws(PayloadError) {
        let kind = try data.string("change")
        let detail = try data.object("detail")
        switch kind {
        case "swap":
            let weeks = try detail.list("weeks", as: "an ISO week (YYYY-Www)") { $0.string.flatMap { IsoWeek($0) } }
            guard weeks.count == 2 else { throw detail.failure("weeks", "must name two weeks, not \(weeks.count)") }
            self = .swap(weeks[0], weeks[1])
        case "replace":
            self = try .replace(
                week: detail.week("week"),
                from: SlotChangedPayload.Choice(reading: detail.object("from")),
                to: SlotChangedPayload.Choice(reading: detail.object("to"))
            )
        default:
            throw data.failure("change", "must be swap or replace, not \"\(kind)\"")
        }
    }
}

extension SlotChangedPayload.Choice {
    var object: JSONValue { .object(["county_code": .string(countyCode), "product_id": .string(productID)]) }

    init(reading choice: PayloadReader) throws(PayloadError) {
        try self.init(countyCode: choice.string("county_code"), productID: choice.string("product_id"))
    }
}

/// The `data` of `rotation.slot_withdrawn`: a featured week of a published rotation withdrawn
/// because its product can no longer be featured, and the planner's next candidate for it.
public struct SlotWithdrawnPayload: EventPayload {
    public var rotationID: String
    public var venueID: String
    public var venueName: String?
    /// The week as it was featured.
    public var slot: EventSlot
    public var reason: String
    /// The same week with a county and product that could replace it; nil when there is none.
    public var candidate: EventSlot?

    public init(rotationID: String, venueID: String, venueName: String?, slot: EventSlot, reason: String, candidate: EventSlot?) {
        self.rotationID = rotationID
        self.venueID = venueID
        self.venueName = venueName
        self.slot = slot
        self.reason = reason
        self.candidate = candidate
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("rotation_id", .string(rotationID)), ("venue_id", .string(venueID)), ("venue_name", JSONValue(venueName)),
            ("slot", slot.object), ("reason", .string(reason)), ("candidate", candidate?.object ?? .null),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            rotationID: data.string("rotation_id"),
            venueID: data.string("venue_id"),
            venueName: data.string(orNull: "venue_name"),
            slot: EventSlot(reading: data.object("slot")),
            reason: data.string("reason"),
            candidate: data.nested(orNull: "candidate")
        )
    }
}
