import Foundation

/// Where a proposal stands. proposed → accepted | declined | expired (not answered in time) |
/// superseded (a newer run for the same week replaced it) | cancelled (its supplier was
/// blacklisted or its product's listing revoked; an accepted match of a week not yet begun is
/// cancelled too).
public enum MatchStatus: String, Sendable, CaseIterable, Codable {
    case proposed, accepted, declined, expired, superseded, cancelled
}

/// A stored match: a weekly volume of one product proposed to one demand, with the effective
/// cost that made it the choice.
public struct Match: Sendable, Equatable {
    public var id: String
    public var runID: String
    public var week: IsoWeek
    public var demandID: String
    public var buyerID: String
    public var productID: String
    public var supplierID: String
    public var countyCode: String
    public var volume: Int
    public var unitPriceFen: Int
    /// The effective cost per unit in hundredths of a fen, and its terms (`price`, `paired`, …).
    public var unitCost: Int
    public var costBreakdown: [(term: String, cost: Int)]
    public var status: MatchStatus
    public var proposedAt: Date
    public var expiresAt: Date
    public var decidedAt: Date?
    public var decidedBy: String?
    /// Why a cancelled match was cancelled.
    public var cancelReason: String?

    public init(
        id: String,
        runID: String,
        week: IsoWeek,
        demandID: String,
        buyerID: String,
        productID: String,
        supplierID: String,
        countyCode: String,
        volume: Int,
        unitPriceFen: Int,
        unitCost: Int,
        costBreakdown: [(term: String, cost: Int)],
        status: MatchStatus = .proposed,
        proposedAt: Date,
        expiresAt: Date,
        decidedAt: Date? = nil,
        decidedBy: String? = nil,
        cancelReason: String? = nil
    ) {
        self.id = id
        self.runID = runID
        self.week = week
        self.demandID = demandID
        self.buyerID = buyerID
        self.productID = productID
        self.supplierID = supplierID
        self.countyCode = countyCode
        self.volume = volume
        self.unitPriceFen = unitPriceFen
        self.unitCost = unitCost
        self.costBreakdown = costBreakdown
        self.status = status
        self.proposedAt = proposedAt
        self.expiresAt = expiresAt
        self.decidedAt = decidedAt
        self.decidedBy = decidedBy
        self.cancelReason = cancelReason
    }

    public static func == (a: Match, b: Match) -> Bool {
        a.fields.map(\.value) == b.fields.map(\.value)
    }

    /// Both the buyer and the supplier may see a match.
    public func isVisible(to owner: Owner) -> Bool {
        owner == .buyer(buyerID) || owner == .supplier(supplierID)
    }

    public var fields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("run_id", .string(runID)), ("week", .string(week.description)), ("demand_id", .string(demandID)),
            ("buyer_id", .string(buyerID)), ("product_id", .string(productID)), ("supplier_id", .string(supplierID)),
            ("county_code", .string(countyCode)), ("weekly_volume", JSONValue(volume)), ("unit_price_fen", JSONValue(unitPriceFen)),
            ("effective_unit_cost_fen", .double(Self.fen(unitCost))),
            ("cost_breakdown_fen", .object(Dictionary(uniqueKeysWithValues: costBreakdown.map { ($0.term, .double(Self.fen($0.cost))) }))),
            ("status", .string(status.rawValue)), ("proposed_at", .string(Timestamp.string(from: proposedAt))),
            ("expires_at", .string(Timestamp.string(from: expiresAt))),
            ("decided_at", JSONValue(decidedAt.map(Timestamp.string(from:)))), ("decided_by", JSONValue(decidedBy)),
            ("cancel_reason", JSONValue(cancelReason)),
        ]
    }

    /// Hundredths of a fen as fen.
    public static func fen(_ hundredths: Int) -> Double {
        Double(hundredths) / 100
    }

    /// A sum of hundredths (matching's objective, in 128 bits) as fen, for display.
    public static func fen(_ hundredths: Int128) -> Double {
        Double(hundredths) / 100
    }
}

/// One run of matching for a week: its figures and, for each demand not fully met, why.
public struct MatchRun: Sendable, Equatable {
    public var id: String
    public var week: IsoWeek
    /// `api`, `cli` or `schedule`.
    public var trigger: String
    /// The token id or `cli:<user>` that started it, or `scheduler`.
    public var actor: String
    /// SHA-256 of the configuration's canonical text when the run started.
    public var configHash: String
    public var startedAt: Date
    public var durationMilliseconds: Int
    public var proposals: Int
    /// Figures of the run (volumes, cost, sizes) as a JSON object.
    public var stats: JSONValue
    /// The demands not fully met, each with its unmet volume and reasons, as a JSON array.
    public var unmet: JSONValue

    public init(
        id: String,
        week: IsoWeek,
        trigger: String,
        actor: String,
        configHash: String,
        startedAt: Date,
        durationMilliseconds: Int,
        proposals: Int,
        stats: JSONValue,
        unmet: JSONValue
    ) {
        self.id = id
        self.week = week
        self.trigger = trigger
        self.actor = actor
        self.configHash = configHash
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.proposals = proposals
        self.stats = stats
        self.unmet = unmet
    }

    /// The run without its unmet list (for lists of runs).
    public var summaryFields: [(name: String, value: JSONValue)] {
        [
            ("id", .string(id)), ("week", .string(week.description)), ("trigger", .string(trigger)), ("actor", .string(actor)),
            ("config_hash", .string(configHash)), ("started_at", .string(Timestamp.string(from: startedAt))),
            ("duration_ms", JSONValue(durationMilliseconds)), ("proposals", JSONValue(proposals)), ("stats", stats),
        ]
    }

    public var fields: [(name: String, value: JSONValue)] {
        summaryFields + [("unmet", unmet)]
    }
}
