import Foundation

/// The `data` of `livestream.scheduled`: a session, its host and the products it presents.
public struct LivestreamPayload: EventPayload {
    /// A product presented in the session.
    public struct Product: NestedPayload {
        public var productID: String
        public var productName: String?
        public var supplierID: String?

        public init(productID: String, productName: String?, supplierID: String?) {
            self.productID = productID
            self.productName = productName
            self.supplierID = supplierID
        }

        var object: JSONValue {
            .record([("product_id", .string(productID)), ("product_name", JSONValue(productName)), ("supplier_id", JSONValue(supplierID))])
        }

        init(reading product: PayloadReader) throws(PayloadError) {
            try self.init(
                productID: product.string("product_id"),
                productName: product.string(orNull: "product_name"),
                supplierID: product.string(orNull: "supplier_id")
            )
        }
    }

    public var livestreamID: String
    public var hostID: String
    public var hostName: String?
    public var platform: LivestreamPlatform
    public var title: String?
    public var startsAt: Date
    public var endsAt: Date
    public var products: [Product]
    /// The rotation and featured week it was planned for; nil for a session booked by hand.
    public var rotationID: String?
    public var week: IsoWeek?

    public init(
        livestreamID: String,
        hostID: String,
        hostName: String?,
        platform: LivestreamPlatform,
        title: String?,
        startsAt: Date,
        endsAt: Date,
        products: [Product],
        rotationID: String?,
        week: IsoWeek?
    ) {
        self.livestreamID = livestreamID
        self.hostID = hostID
        self.hostName = hostName
        self.platform = platform
        self.title = title
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.products = products
        self.rotationID = rotationID
        self.week = week
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("livestream_id", .string(livestreamID)), ("host_id", .string(hostID)), ("host_name", JSONValue(hostName)),
            ("platform", JSONValue(code: platform)), ("title", JSONValue(title)),
            ("starts_at", JSONValue(startsAt)), ("ends_at", JSONValue(endsAt)),
            ("products", .array(products.map(\.object))),
            ("rotation_id", JSONValue(rotationID)), ("week", JSONValue(week)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            livestreamID: data.string("livestream_id"),
            hostID: data.string("host_id"),
            hostName: data.string(orNull: "host_name"),
            platform: data.code("platform"),
            title: data.string(orNull: "title"),
            startsAt: data.date("starts_at"),
            endsAt: data.date("ends_at"),
            products: data.objects("products"),
            rotationID: data.string(orNull: "rotation_id"),
            week: data.week(orNull: "week")
        )
    }
}

/// The `data` of `livestream.reminder`: the session as `livestream.scheduled` has it, then the
/// lead time the reminder is sent for and the minutes actually left (less, when it went out late).
public struct LivestreamReminderPayload: EventPayload {
    public var livestream: LivestreamPayload
    /// Which reminder this is (`webhooks.reminder_lead_minutes`: 1440 or 60 by default).
    public var leadMinutes: Int
    public var startsInMinutes: Int

    public init(livestream: LivestreamPayload, leadMinutes: Int, startsInMinutes: Int) {
        self.livestream = livestream
        self.leadMinutes = leadMinutes
        self.startsInMinutes = startsInMinutes
    }

    public var members: [(name: String, value: JSONValue)] {
        livestream.members + [("lead_minutes", JSONValue(leadMinutes)), ("starts_in_minutes", JSONValue(startsInMinutes))]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let session = try LivestreamPayload(data: data)
        let data = PayloadReader(data)
        try self.init(livestream: session, leadMinutes: data.int("lead_minutes"), startsInMinutes: data.int("starts_in_minutes"))
    }
}

/// The `data` of `livestream.cancelled`: the session as `livestream.scheduled` has it, then why
/// it was cancelled and which of its products could still be shown (the hint for planning it
/// again).
public struct LivestreamCancelledPayload: EventPayload {
    public var livestream: LivestreamPayload
    /// Nil when an organizer cancelled it without saying why.
    public var reason: String?
    /// The session's other products that can still be shown; empty when an organizer cancelled it.
    public var stillEligibleProductIDs: [String]

    public init(livestream: LivestreamPayload, reason: String?, stillEligibleProductIDs: [String]) {
        self.livestream = livestream
        self.reason = reason
        self.stillEligibleProductIDs = stillEligibleProductIDs
    }

    public var members: [(name: String, value: JSONValue)] {
        livestream.members + [
            ("reason", JSONValue(reason)), ("still_eligible_product_ids", .array(stillEligibleProductIDs.map(JSONValue.string))),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let session = try LivestreamPayload(data: data)
        let data = PayloadReader(data)
        try self.init(livestream: session, reason: data.string(orNull: "reason"), stillEligibleProductIDs: data.strings("still_eligible_product_ids"))
    }
}
