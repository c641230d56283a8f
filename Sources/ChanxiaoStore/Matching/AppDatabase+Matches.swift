import ChanxiaoCore
import Foundation
import GRDB

/// What accepted and declined matches fix for one week, as matching needs it.
public struct WeekDecisions: Sendable, Equatable {
    public var heldByProduct: [String: Int] = [:]
    public var heldByDemand: [String: Int] = [:]
    public var declined: [(demandID: String, productID: String)] = []
    /// Matched-or-sold volume per product over the weeks before (`AppDatabase.takenVolumes`).
    public var recentByProduct: [String: Int] = [:]
    /// How many of those weeks had a stored match run or a recorded sale.
    public var observedWeeks = 0
    /// Changes whenever a match of the week is accepted or declined; a run stores its result
    /// only if no decision came in while it computed.
    public var version: String = ""

    public static func == (a: WeekDecisions, b: WeekDecisions) -> Bool {
        a.heldByProduct == b.heldByProduct && a.heldByDemand == b.heldByDemand && a.version == b.version
            && a.declined.map { $0.demandID + "|" + $0.productID } == b.declined.map { $0.demandID + "|" + $0.productID }
    }
}

/// Filters of the match list.
public struct MatchQuery: Sendable {
    public var week: IsoWeek?
    public var buyerID: String?
    public var supplierID: String?
    public var demandID: String?
    public var productID: String?
    public var runID: String?
    public var status: MatchStatus?
    /// Restricts the list to matches of this buyer or supplier (for their tokens).
    public var owner: Owner?
    /// A region-bound organizer's: only the matches it holds (`ScopedRecord.match`).
    public var jurisdiction: Jurisdiction?
    public var limit = 50
    public var afterID: String?

    public init() {}
}

extension AppDatabase {
    /// The whole catalog, for a match run.
    public func catalogSnapshot() async throws -> (counties: [County], suppliers: [Supplier], products: [Product], buyers: [Buyer], demands: [Demand])
    {
        try await read { db in
            (
                try Self.all(County.self, db: db), try Self.all(Supplier.self, db: db), try Self.all(Product.self, db: db),
                try Self.all(Buyer.self, db: db), try Self.all(Demand.self, db: db)
            )
        }
    }

    public func weekDecisions(_ week: IsoWeek, recentWeeks: Int) async throws -> WeekDecisions {
        try await read { db in try Self.weekDecisions(week, recentWeeks: recentWeeks, db: db) }
    }

    static func weekDecisions(_ week: IsoWeek, recentWeeks: Int, db: Database) throws -> WeekDecisions {
        var decisions = WeekDecisions()
        let weekText = week.description
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT product_id, demand_id, volume, status FROM match WHERE week = ? AND status IN ('accepted', 'declined')
                ORDER BY id
                """,
            arguments: [weekText]
        ) {
            let status: String = row["status"]
            if status == "accepted" {
                decisions.heldByProduct[row["product_id"], default: 0] += row["volume"] as Int
                decisions.heldByDemand[row["demand_id"], default: 0] += row["volume"] as Int
            } else {
                decisions.declined.append((row["demand_id"], row["product_id"]))
            }
        }
        let taken = try takenVolumes(before: week, weeks: recentWeeks, db: db)
        decisions.recentByProduct = taken.byProduct
        decisions.observedWeeks = taken.observedWeeks
        decisions.version = try decisionsVersion(weekText, db: db)
        return decisions
    }

    private static func decisionsVersion(_ week: String, db: Database) throws -> String {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT COUNT(*) AS decided, MAX(decided_at) AS last FROM match WHERE week = ? AND status IN ('accepted', 'declined')
                """,
            arguments: [week]
        )
        return "\(row?["decided"] as Int? ?? 0):\(row?["last"] as String? ?? "")"
    }

    /// Where the certification history stands: read before a run reads the catalog, and
    /// given back to `recordRun`, which re-checks the products whose listings changed since.
    public func certificationMark() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM certification_step") ?? 0 }
    }

    /// Stores a run and its proposals, superseding the week's earlier proposals, in one
    /// transaction. Refused when accepts or declines for the week came in since the run read
    /// `decisions.version`: the run would not have seen them. Proposals of products that lost
    /// their listing (a certification step after `certificationMark`, which the run read before
    /// the catalog) or whose supplier is blacklisted are not stored: a withdrawal that ran
    /// meanwhile could not reach them. Without a mark, listings are not re-checked: for
    /// proposals not computed from a catalog snapshot (fixtures, benchmarks).
    /// Returns the run and the proposals as stored.
    @discardableResult
    public func recordRun(
        _ run: MatchRun,
        matches: [Match],
        basedOn version: String,
        certificationMark: Int? = nil,
        context: WriteContext
    ) async throws -> (run: MatchRun, matches: [Match]) {
        try await write { db in
            guard try Self.decisionsVersion(run.week.description, db: db) == version else {
                throw StoreError.conflict("matches of \(run.week) were accepted or declined while the run computed; run it again")
            }
            let untradable = try Self.untradable(among: matches, changedAfter: certificationMark, db: db, today: context.today)
            var run = run
            var matches = matches
            matches.removeAll { untradable.contains($0.productID) }
            if case .object(var stats) = run.stats {
                stats["withdrawn_during_run"] = JSONValue(run.proposals - matches.count)
                run.stats = .object(stats)
            }
            run.proposals = matches.count
            try db.execute(
                sql: "UPDATE match SET status = 'superseded', decided_at = ? WHERE week = ? AND status = 'proposed'",
                arguments: [Timestamp.string(from: context.now), run.week.description]
            )
            try run.insert(db)
            try Match.insert(matches, db)
            try Outbox(db, context: context).matches(.matchProposed, matches, db: db)
            try Self.audit(
                db,
                context,
                action: "match_run.create",
                id: run.id,
                detail: .object(["week": .string(run.week.description), "proposals": .int(Int64(matches.count))])
            )
            return (run, matches)
        }
    }

    /// The products among `matches` that may not be traded in the run's week any more: their
    /// listings changed after the certification step `mark`, or their supplier is blacklisted.
    private static func untradable(among matches: [Match], changedAfter mark: Int?, db: Database, today: CalendarDate) throws -> Set<String> {
        guard let week = matches.first?.week else { return [] }
        let proposed = Set(matches.map(\.productID))
        var suspects: Set<String> = []
        if let mark {
            suspects = Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT c.product_id FROM certification_step s JOIN certification c ON c.id = s.certification_id WHERE s.id > ?
                        """,
                    arguments: [mark]
                )
            )
            suspects.formIntersection(proposed)
        }
        let blacklisted = Set(try String.fetchAll(db, sql: "SELECT id FROM supplier WHERE blacklisted = 1"))
        suspects.formUnion(matches.filter { blacklisted.contains($0.supplierID) }.map(\.productID))
        guard !suspects.isEmpty else { return [] }
        let (products, suppliers) = try productsAndSuppliers(db, ids: Array(suspects))
        let trade = TradeCatalog(products: products, suppliers: suppliers)
        let day = max(week.monday, today)
        return suspects.filter { !trade.isTradable($0, on: day) }
    }

    public func matchRun(id: String) async throws -> MatchRun? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM match_run WHERE id = ?", arguments: [id]).map(MatchRun.init(row:))
        }
    }

    /// Runs, newest first (ids sort by time), optionally of one week.
    public func matchRuns(week: IsoWeek?, limit: Int, beforeID: String?) async throws -> Page<MatchRun> {
        try await read { db in
            var conditions: [SQL] = []
            if let week { conditions.append("week = \(week.description)") }
            if let beforeID { conditions.append("id < \(beforeID)") }
            let rows = try SQLRequest<Row>("SELECT * FROM match_run \(SQL.whereClause(conditions)) ORDER BY id DESC LIMIT \(limit + 1)").fetchAll(db)
            return Page(fetched: try rows.map(MatchRun.init(row:)), limit: limit, id: \.id)
        }
    }

    /// Whether matching ran for `week` (started by `trigger`, or by anyone when nil).
    public func hasRun(for week: IsoWeek, trigger: String? = nil) async throws -> Bool {
        try await read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM match_run WHERE week = ? AND (? IS NULL OR trigger = ?))",
                arguments: [week.description, trigger, trigger]
            ) ?? false
        }
    }

    public func match(id: String) async throws -> Match? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM match WHERE id = ?", arguments: [id]).map(Match.init(row:))
        }
    }

    public func matches(_ query: MatchQuery) async throws -> Page<Match> {
        try await read { db in
            var conditions: [SQL] = try Self.condition(query.jurisdiction, .match, db: db).map { [$0] } ?? []
            if let week = query.week { conditions.append("week = \(week.description)") }
            if let buyer = query.buyerID { conditions.append("buyer_id = \(buyer)") }
            if let supplier = query.supplierID { conditions.append("supplier_id = \(supplier)") }
            if let demand = query.demandID { conditions.append("demand_id = \(demand)") }
            if let product = query.productID { conditions.append("product_id = \(product)") }
            if let run = query.runID { conditions.append("run_id = \(run)") }
            if let status = query.status { conditions.append("status = \(status.rawValue)") }
            switch query.owner {
            case .buyer(let id)?: conditions.append("buyer_id = \(id)")
            case .supplier(let id)?: conditions.append("supplier_id = \(id)")
            case .none?: conditions.append("0")
            case nil: break
            }
            if let after = query.afterID { conditions.append("id > \(after)") }
            let matches = try SQLRequest<Row>("SELECT * FROM match \(SQL.whereClause(conditions)) ORDER BY id LIMIT \(query.limit + 1)")
                .fetchAll(db).map(Match.init(row:))
            return Page(fetched: matches, limit: query.limit, id: \.id)
        }
    }

    /// Accepts or declines a proposal. Accepting holds its volume for the week, so it is refused
    /// when the product's capacity or the demand's volume no longer has room (another acceptance
    /// came first). A proposal past its time expires instead. `check` may refuse (ownership).
    public func decide(
        matchID: String,
        accept: Bool,
        context: WriteContext,
        check: @Sendable (Match) throws -> Void = { _ in }
    )
        async throws -> Match
    {
        // An expired proposal is marked so in a committed write, and the refusal comes after it.
        let outcome: Result<Match, StoreError> = try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM match WHERE id = ?", arguments: [matchID]) else {
                throw StoreError.notFound(kind: "match", id: matchID)
            }
            var match = try Match(row: row)
            try check(match)
            guard match.status == .proposed else {
                throw StoreError.conflict("match \(matchID) is \(match.status.rawValue); only proposed matches can be accepted or declined")
            }
            guard context.now < match.expiresAt else {
                try db.execute(
                    sql: "UPDATE match SET status = 'expired', decided_at = ? WHERE id = ?",
                    arguments: [Timestamp.string(from: context.now), matchID]
                )
                match.status = .expired
                match.decidedAt = context.now
                try Outbox(db, context: context).matches(.matchExpired, [match], db: db)
                return .failure(StoreError.conflict("match \(matchID) expired at \(Timestamp.string(from: match.expiresAt))"))
            }
            if accept {
                // What made the proposal eligible must still hold, from today on.
                let monday = max(match.week.monday, context.today)
                if let supplier = try Stored<Supplier>.fetchOne(db, key: match.supplierID)?.entity, supplier.blacklisted {
                    throw StoreError.conflict(
                        "supplier \(supplier.id) was blacklisted on \(supplier.blacklistedOn?.description ?? "an earlier day"); this match can no longer be accepted"
                    )
                }
                if let product = try Stored<Product>.fetchOne(db, key: match.productID)?.entity, !product.isCertified(on: monday) {
                    throw StoreError.conflict(
                        "product \(product.id) is not a certified poverty product on \(monday); this match can no longer be accepted"
                    )
                }
                if let demand = try Stored<Demand>.fetchOne(db, key: match.demandID)?.entity, !demand.isActive(in: match.week) {
                    throw StoreError.conflict("demand \(demand.id) no longer runs in \(match.week); this match can no longer be accepted")
                }
                let week = match.week.description
                let product = try Row.fetchOne(db, sql: "SELECT weekly_capacity FROM product WHERE id = ?", arguments: [match.productID])
                let demand = try Row.fetchOne(db, sql: "SELECT weekly_volume FROM demand WHERE id = ?", arguments: [match.demandID])
                let heldByProduct =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COALESCE(SUM(volume), 0) FROM match WHERE product_id = ? AND week = ? AND status = 'accepted'",
                        arguments: [match.productID, week]
                    ) ?? 0
                let heldByDemand =
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COALESCE(SUM(volume), 0) FROM match WHERE demand_id = ? AND week = ? AND status = 'accepted'",
                        arguments: [match.demandID, week]
                    ) ?? 0
                if let capacity = product?["weekly_capacity"] as Int?, heldByProduct + match.volume > capacity {
                    throw StoreError.conflict(
                        "product \(match.productID) has \(max(0, capacity - heldByProduct)) of \(capacity) left for \(week); this match needs \(match.volume)"
                    )
                }
                if let volume = demand?["weekly_volume"] as Int?, heldByDemand + match.volume > volume {
                    throw StoreError.conflict(
                        "demand \(match.demandID) already has \(heldByDemand) of its \(volume) accepted for \(week); this match adds \(match.volume)"
                    )
                }
            }
            match.status = accept ? .accepted : .declined
            match.decidedAt = context.now
            match.decidedBy = context.actor
            try db.execute(
                sql: "UPDATE match SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?",
                arguments: [match.status.rawValue, Timestamp.string(from: context.now), context.actor, matchID]
            )
            try Outbox(db, context: context).matches(accept ? .matchAccepted : .matchDeclined, [match], db: db)
            try Self.audit(
                db,
                context,
                action: accept ? "match.accept" : "match.decline",
                id: matchID,
                detail: .object([
                    "week": .string(match.week.description), "demand_id": .string(match.demandID),
                    "product_id": .string(match.productID), "volume": .int(Int64(match.volume)),
                ])
            )
            return .success(match)
        }
        return try outcome.get()
    }

    /// Expires proposals past their time, announcing each; returns how many. `requestID` (by
    /// default the caller's `RequestTrace.id`) is recorded on the messages.
    @discardableResult
    public func expireProposals(now: Date, requestID: String? = RequestTrace.id) async throws -> Int {
        try await write { db in
            let stamp = Timestamp.string(from: now)
            let outbox = try Outbox(db, now: now, requestID: requestID)
            var expired: [Match] = []
            if outbox.wants(.matchExpired) {
                expired = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM match WHERE status = 'proposed' AND expires_at <= ? ORDER BY id",
                    arguments: [stamp]
                )
                .map(Match.init(row:))
                for index in expired.indices {
                    expired[index].status = .expired
                    expired[index].decidedAt = now
                }
            }
            try db.execute(
                sql: "UPDATE match SET status = 'expired', decided_at = ? WHERE status = 'proposed' AND expires_at <= ?",
                arguments: [stamp, stamp]
            )
            let count = db.changesCount
            try outbox.matches(.matchExpired, expired, db: db)
            return count
        }
    }
}

extension Array where Element == String {
    /// `(?, ?, …)` for an `IN` clause with one placeholder per element.
    var sqlList: String { "(" + map { _ in "?" }.joined(separator: ", ") + ")" }
}
