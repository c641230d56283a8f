import Foundation

/// The `data` of `quota.at_risk`: a buyer whose poverty-product share trails its target, with
/// the matches that would close the gap. Built by ChanxiaoReports from a `QuotaAlert`.
public struct QuotaAtRiskPayload: EventPayload {
    /// A match the buyer could accept (or has accepted for a week to come).
    public struct MatchLine: NestedPayload {
        /// `weeklyVolume × unitPriceFen`.
        public var amountFen: Int
        public var countyCode: String
        public var countyName: String?
        public var matchID: String
        public var productID: String
        public var productName: String?
        public var status: MatchStatus
        public var supplierID: String
        /// The product's unit as stored (`kg`, `jin`, …).
        public var unit: String?
        public var unitPriceFen: Int
        public var week: IsoWeek
        public var weeklyVolume: Int

        public init(
            amountFen: Int,
            countyCode: String,
            countyName: String?,
            matchID: String,
            productID: String,
            productName: String?,
            status: MatchStatus,
            supplierID: String,
            unit: String?,
            unitPriceFen: Int,
            week: IsoWeek,
            weeklyVolume: Int
        ) {
            self.amountFen = amountFen
            self.countyCode = countyCode
            self.countyName = countyName
            self.matchID = matchID
            self.productID = productID
            self.productName = productName
            self.status = status
            self.supplierID = supplierID
            self.unit = unit
            self.unitPriceFen = unitPriceFen
            self.week = week
            self.weeklyVolume = weeklyVolume
        }

        var object: JSONValue {
            .record([
                ("match_id", .string(matchID)), ("week", JSONValue(week)), ("status", JSONValue(code: status)),
                ("product_id", .string(productID)), ("product_name", JSONValue(productName)),
                ("supplier_id", .string(supplierID)), ("county_code", .string(countyCode)), ("county_name", JSONValue(countyName)),
                ("weekly_volume", JSONValue(weeklyVolume)), ("unit", JSONValue(unit)), ("unit_price_fen", JSONValue(unitPriceFen)),
                ("amount_fen", JSONValue(amountFen)),
            ])
        }

        init(reading line: PayloadReader) throws(PayloadError) {
            try self.init(
                amountFen: line.int("amount_fen"),
                countyCode: line.string("county_code"),
                countyName: line.string(orNull: "county_name"),
                matchID: line.string("match_id"),
                productID: line.string("product_id"),
                productName: line.string(orNull: "product_name"),
                status: line.code("status"),
                supplierID: line.string("supplier_id"),
                unit: line.string(orNull: "unit"),
                unitPriceFen: line.int("unit_price_fen"),
                week: line.week("week"),
                weeklyVolume: line.int("weekly_volume")
            )
        }
    }

    public var buyerID: String
    public var buyerName: String
    public var buyerKind: BuyerKind
    public var network: String?
    /// The period judged: the start of the target period to the checkpoint.
    public var from: CalendarDate
    public var to: CalendarDate
    public var povertyAmountFen: Int
    public var totalAmountFen: Int
    /// Never nil for a buyer at risk (one that bought nothing is not), but the figure it is
    /// copied from may be.
    public var share: Double?
    public var target: Double
    /// Nil when the target is 1 and other purchases were made.
    public var gapFen: Int?
    /// `buyer`, `region` or `kind`.
    public var targetSource: String
    public var margin: Double
    public var matches: [MatchLine]
    public var matchesAmountFen: Int
    public var matchesCloseGap: Bool

    public init(
        buyerID: String,
        buyerName: String,
        buyerKind: BuyerKind,
        network: String?,
        from: CalendarDate,
        to: CalendarDate,
        povertyAmountFen: Int,
        totalAmountFen: Int,
        share: Double?,
        target: Double,
        gapFen: Int?,
        targetSource: String,
        margin: Double,
        matches: [MatchLine],
        matchesAmountFen: Int,
        matchesCloseGap: Bool
    ) {
        self.buyerID = buyerID
        self.buyerName = buyerName
        self.buyerKind = buyerKind
        self.network = network
        self.from = from
        self.to = to
        self.povertyAmountFen = povertyAmountFen
        self.totalAmountFen = totalAmountFen
        self.share = share
        self.target = target
        self.gapFen = gapFen
        self.targetSource = targetSource
        self.margin = margin
        self.matches = matches
        self.matchesAmountFen = matchesAmountFen
        self.matchesCloseGap = matchesCloseGap
    }

    public var members: [(name: String, value: JSONValue)] {
        [
            ("buyer_id", .string(buyerID)), ("buyer_name", .string(buyerName)), ("buyer_kind", JSONValue(code: buyerKind)),
            ("network", JSONValue(network)), ("from", JSONValue(from)), ("to", JSONValue(to)),
            ("poverty_amount_fen", JSONValue(povertyAmountFen)), ("total_amount_fen", JSONValue(totalAmountFen)),
            ("share", JSONValue(share)), ("target", .double(target)), ("gap_fen", JSONValue(gapFen)),
            ("target_source", .string(targetSource)), ("margin", .double(margin)), ("matches", .array(matches.map(\.object))),
            ("matches_amount_fen", JSONValue(matchesAmountFen)), ("matches_close_gap", .bool(matchesCloseGap)),
        ]
    }

    public init(data: [String: JSONValue]) throws(PayloadError) {
        let data = PayloadReader(data)
        try self.init(
            buyerID: data.string("buyer_id"),
            buyerName: data.string("buyer_name"),
            buyerKind: data.code("buyer_kind"),
            network: data.string(orNull: "network"),
            from: data.day("from"),
            to: data.day("to"),
            povertyAmountFen: data.int("poverty_amount_fen"),
            totalAmountFen: data.int("total_amount_fen"),
            share: data.double(orNull: "share"),
            target: data.double("target"),
            gapFen: data.int(orNull: "gap_fen"),
            targetSource: data.string("target_source"),
            margin: data.double("margin"),
            matches: data.objects("matches"),
            matchesAmountFen: data.int("matches_amount_fen"),
            matchesCloseGap: data.bool("matches_close_gap")
        )
    }
}
