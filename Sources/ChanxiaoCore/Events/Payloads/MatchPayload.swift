import Foundation

/// The `data` of `match.proposed`, `match.accepted`, `match.declined` and `match.expired`,
/// which share one shape. Names are nil when the record was gone at the time of the event.
public struct MatchPayload: EventPayload {
    public var matchID: String
    public var week: IsoWeek
    public var status: MatchStatus
    public var buyerID: String
    public var buyerName: String?
    public var demandID: String
    public var productID: String
    public var productName: String?
    /// The product's unit as stored (`kg`, `jin`, …).
    public var unit: String?
    public var supplierID: String
    public var supplierName: String?
    public var countyCode: String
    public var countyName: String?
    public var weeklyVolume: Int
    public var unitPriceFen: Int
    public var proposedAt: Date
    public var expiresAt: Date
    /// Nil for `match.proposed`.
    public var decidedAt: Date?

    public init(
        matchID: String,
        week: IsoWeek,
        status: MatchStatus,
        buyerID: String,
        buyerName: String?,
        demandID: String,
        productID: String,
        productName: String?,
        unit: String?,
        supplierID: String,
        supplierName: String?,
        countyCode: String,
        countyName: String?,
        weeklyVolume: Int,
        unitPriceFen: Int,
        proposedAt: Date,
        expiresAt: Date,
        decidedAt: Date?
    ) {
        self.matchID = matchID
        self.week = week
        self.status = status
        self.buyerID = buyerID
        self.buyerName = buyerName
        self.demandID = demandID
        self.productID = productID
        self.productName = productName
        self.unit = unit
        self.supplierID = supplierID
        self.supplierName = supplierName
        self.countyCode = countyCode
        self.countyName = countyName
        self.weeklyVolume = weeklyVolume
        self.unitPriceFen = unitPriceFen
        self.proposedAt = proposedAt
        self.expiresAt = expiresAt
        self.decidedAt = decidedAt
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("match_id", .string(matchID)), ("week", JSONValue(week)), ("status", JSONValue(code: status)),
            ("buyer_id", .string(buyerID)), ("buyer_name", JSONValue(buyerName)),
            ("demand_id", .string(demandID)),
            ("product_id", .string(productID)), ("product_name", JSONValue(productName)), ("unit", JSONValue(unit)),
            ("supplier_id", .string(supplierID)), ("supplier_name", JSONValue(supplierName)),
            ("county_code", .string(countyCode)), ("county_name", JSONValue(countyName)),
            ("weekly_volume", JSONValue(weeklyVolume)), ("unit_price_fen", JSONValue(unitPriceFen)),
            ("proposed_at", JSONValue(proposedAt)), ("expires_at", JSONValue(expiresAt)),
            ("decided_at", JSONValue(decidedAt)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            matchID: data.string("match_id"),
            week: data.week("week"),
            status: data.code("status"),
            buyerID: data.string("buyer_id"),
            buyerName: data.string(orNull: "buyer_name"),
            demandID: data.string("demand_id"),
            productID: data.string("product_id"),
            productName: data.string(orNull: "product_name"),
            unit: data.string(orNull: "unit"),
            supplierID: data.string("supplier_id"),
            supplierName: data.string(orNull: "supplier_name"),
            countyCode: data.string("county_code"),
            countyName: data.string(orNull: "county_name"),
            weeklyVolume: data.int("weekly_volume"),
            unitPriceFen: data.int("unit_price_fen"),
            proposedAt: data.date("proposed_at"),
            expiresAt: data.date("expires_at"),
            decidedAt: data.date(orNull: "decided_at")
        )
    }
}

/// The `data` of `match.cancelled`: the match as the other `match.*` types have it (with
/// `status` `cancelled`), then why it was withdrawn.
public struct MatchCancelledPayload: EventPayload {
    public var match: MatchPayload
    /// Why: the supplier was blacklisted, the product's certification revoked, a complaint upheld.
    public var reason: String

    public init(match: MatchPayload, reason: String) {
        self.match = match
        self.reason = reason
    }

    public var members: [(name: String, value: JSONValue)] {
        match.members + [("reason", .string(reason))]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let match = try MatchPayload(data: data)
        let data = PayloadReader(data)
        try self.init(match: match, reason: data.string("reason"))
    }
}
