import ChanxiaoCore
import ChanxiaoScheduling
import Foundation
import GRDB

/// What a change of trust took out of what was planned: counts, for the audit entry.
public struct WithdrawalSummary: Sendable, Equatable {
    public var matchesCancelled = 0
    public var slotsWithdrawn = 0
    public var livestreamsCancelled = 0
    public var boothsReleased = 0

    public var isEmpty: Bool { self == WithdrawalSummary() }

    var detail: JSONValue {
        .object([
            "matches_cancelled": JSONValue(matchesCancelled), "slots_withdrawn": JSONValue(slotsWithdrawn),
            "livestreams_cancelled": JSONValue(livestreamsCancelled), "booths_released": JSONValue(boothsReleased),
        ])
    }
}

extension AppDatabase {
    /// Takes products that can no longer be traded out of everything still ahead, in the
    /// caller's transaction, and tells each party: proposals of this week and later, accepted
    /// matches of weeks not yet begun, featured weeks not yet begun, livestreams not yet
    /// started and booths at fairs not yet opened. Call it after the change (a revoked listing,
    /// a blacklisting) is written; each item is checked against what is now true, so a product
    /// still covered by another listing keeps its place. The past stays as history.
    @discardableResult
    static func withdrawIneligible(
        products productIDs: [String],
        reason: String,
        db: Database,
        context: WriteContext
    ) throws
        -> WithdrawalSummary
    {
        let ids = Array(Set(productIDs)).sorted()
        guard !ids.isEmpty else { return WithdrawalSummary() }
        let (products, suppliers) = try productsAndSuppliers(db, ids: ids)
        let trade = TradeCatalog(products: products, suppliers: suppliers)
        let today = context.today
        var summary = WithdrawalSummary()
        summary.matchesCancelled = try cancelMatches(of: ids, today: today, reason: reason, db: db, context: context) { match in
            trade.isTradable(match.productID, on: max(match.week.monday, today))
        }
        summary.slotsWithdrawn = try withdrawSlots(of: ids, today: today, reason: reason, db: db, context: context) { slot in
            trade.isTradable(slot.productID) { $0.isCertified(from: slot.week.monday, through: slot.week.sunday) }
        }
        summary.livestreamsCancelled = try cancelLivestreams(of: ids, reason: reason, db: db, context: context)
        // Fairs take uncertified products (they only do not count as poverty booths), so only
        // a blacklisting releases booths.
        let blacklisted = Set(products.values.filter { suppliers[$0.supplierID]?.blacklisted ?? true }.map(\.id))
        summary.boothsReleased = try releaseBooths(of: blacklisted, today: today, reason: reason, db: db, context: context)
        return summary
    }

    private static func cancelMatches(
        of ids: [String],
        today: CalendarDate,
        reason: String,
        db: Database,
        context: WriteContext,
        keep: (Match) -> Bool
    ) throws -> Int {
        let thisWeek = IsoWeek(containing: today)
        let matches = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM match WHERE product_id IN \(ids.sqlList)
                AND ((status = 'proposed' AND week >= ?) OR (status = 'accepted' AND week > ?)) ORDER BY id
                """,
            arguments: StatementArguments(ids + [thisWeek.description, thisWeek.description])
        )
        .map(Match.init(row:))
        var cancelled: [Match] = []
        for var match in matches where !keep(match) {
            match.status = .cancelled
            match.decidedAt = context.now
            match.decidedBy = context.actor
            match.cancelReason = reason
            try db.execute(
                sql: "UPDATE match SET status = 'cancelled', decided_at = ?, decided_by = ?, cancel_reason = ? WHERE id = ?",
                arguments: [Timestamp.string(from: context.now), context.actor, reason, match.id]
            )
            cancelled.append(match)
        }
        try Outbox(db, context: context).matchesCancelled(cancelled, reason: reason, db: db)
        return cancelled.count
    }

    private static func withdrawSlots(
        of ids: [String],
        today: CalendarDate,
        reason: String,
        db: Database,
        context: WriteContext,
        keep: (FeaturedSlot) -> Bool
    ) throws -> Int {
        let rotationIDs = try String.fetchAll(
            db,
            sql: """
                SELECT DISTINCT s.rotation_id FROM rotation_slot s JOIN rotation r ON r.id = s.rotation_id
                WHERE s.product_id IN \(ids.sqlList) AND s.week > ? AND s.withdrawn_reason IS NULL ORDER BY s.rotation_id
                """,
            arguments: StatementArguments(ids + [IsoWeek(containing: today).description])
        )
        guard !rotationIDs.isEmpty else { return 0 }
        let wanted = Set(ids)
        let catalog = try rotationCatalog(db)
        var count = 0
        for rotationID in rotationIDs {
            guard let rotation = try Rotation.read(db, id: rotationID),
                let venue = try Stored<Venue>.fetchOne(db, key: rotation.venueID)?.entity
            else { continue }
            for var slot in rotation.slots
            where wanted.contains(slot.productID) && slot.week.monday > today && slot.withdrawnReason == nil && !keep(slot) {
                slot.withdrawnReason = reason
                slot.sequence += 1
                slot.updatedAt = context.now
                try slot.save(db, rotationID: rotationID)
                try db.execute(
                    sql: "INSERT INTO rotation_change (rotation_id, at, actor, kind, detail) VALUES (?, ?, ?, 'withdraw', ?)",
                    arguments: [
                        rotationID, Timestamp.string(from: context.now), context.actor,
                        ColumnValue.text(
                            .object([
                                "week": .string(slot.week.description), "product_id": .string(slot.productID), "reason": .string(reason),
                            ])
                        ),
                    ]
                )
                count += 1
                // A draft is not on anyone's calendar yet: its organizer sees the withdrawal when publishing.
                guard rotation.status == .published else { continue }
                let candidate = bestFeaturable(county: slot.countyCode, week: slot.week, catalog: catalog, venue: venue).map { product in
                    var next = slot
                    next.productID = product.id
                    next.withdrawnReason = nil
                    next.reasons = ["the county's next product that can be featured this week"]
                    return next
                }
                try Outbox(db, context: context).slotWithdrawn(rotation, slot: slot, reason: reason, candidate: candidate, db: db)
            }
        }
        return count
    }

    /// Sessions not yet started that show one of `ids` no longer showable are cancelled; the
    /// others they show (of any supplier) that still may be are the hint.
    private static func cancelLivestreams(of ids: [String], reason: String, db: Database, context: WriteContext) throws -> Int {
        let sessions = try Livestream.fetch(
            db,
            SQL(
                sql: """
                    SELECT * FROM livestream WHERE status = 'scheduled' AND starts_at > ?
                    AND id IN (SELECT livestream_id FROM livestream_product WHERE product_id IN \(ids.sqlList)) ORDER BY starts_at, id
                    """,
                arguments: StatementArguments([Timestamp.string(from: context.now)] + ids)
            )
        )
        let (products, suppliers) = try productsAndSuppliers(db, ids: Array(Set(sessions.flatMap(\.productIDs))))
        let trade = TradeCatalog(products: products, suppliers: suppliers)
        func keep(_ id: String, _ start: Date) -> Bool {
            trade.isTradable(id, on: CalendarDate.today(in: context.zone, now: start))
        }
        var count = 0
        for session in sessions where !session.productIDs.allSatisfy({ keep($0, session.startsAt) }) {
            let stillEligible = session.productIDs.filter { keep($0, session.startsAt) }
            try cancel(session, reason: reason, stillEligible: stillEligible, db: db, context: context)
            count += 1
        }
        return count
    }

    /// Cancels a scheduled session and announces it; it stays listed, and in calendars as cancelled.
    @discardableResult
    static func cancel(_ session: Livestream, reason: String?, stillEligible: [String], db: Database, context: WriteContext) throws -> Livestream {
        var session = session
        session.status = .cancelled
        session.sequence += 1
        session.updatedAt = context.now
        session.cancelReason = reason
        try db.execute(
            sql: "UPDATE livestream SET status = 'cancelled', sequence = ?, updated_at = ?, cancel_reason = ? WHERE id = ?",
            arguments: [session.sequence, Timestamp.string(from: context.now), reason, session.id]
        )
        try audit(db, context, action: "livestream.cancel", id: session.id, detail: .object(["reason": JSONValue(reason)]))
        try Outbox(db, context: context).livestreamCancelled(session, reason: reason, stillEligible: stillEligible, db: db)
        return session
    }

    /// Applications showing a blacklisted supplier's products at fairs not yet opened give back
    /// their booths and become ineligible, as the next allocation would make them; the fair is
    /// allocated again at once, so the waiting list takes the booths (`fair.booth_assigned`).
    private static func releaseBooths(of ids: Set<String>, today: CalendarDate, reason: String, db: Database, context: WriteContext) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let list = ids.sorted()
        let fairIDs = try String.fetchAll(
            db,
            sql: """
                SELECT DISTINCT a.fair_id FROM fair_application a JOIN fair f ON f.id = a.fair_id
                WHERE f.starts_on > ? AND a.status NOT IN ('ineligible', 'withdrawn')
                AND a.id IN (SELECT application_id FROM fair_application_product WHERE product_id IN \(list.sqlList))
                ORDER BY a.fair_id
                """,
            arguments: StatementArguments([today.description] + list)
        )
        var released = 0
        for fairID in fairIDs {
            let fairName = try String.fetchOne(db, sql: "SELECT name FROM fair WHERE id = ?", arguments: [fairID])
            for var application in try FairApplication.fetchAll(db, fairID: fairID)
            where application.status != .ineligible && application.status != .withdrawn && application.productIDs.contains(where: ids.contains) {
                let booths = application.booths
                try db.execute(sql: "DELETE FROM booth WHERE application_id = ?", arguments: [application.id])
                let note = "a supplier of its products is blacklisted; blacklisted suppliers are excluded from every schedule"
                try db.execute(
                    sql: "UPDATE fair_application SET status = 'ineligible', note = ?, updated_at = ? WHERE id = ?",
                    arguments: [note, Timestamp.string(from: context.now), application.id]
                )
                application.status = .ineligible
                application.booths = []
                application.note = note
                released += booths.count
                try Outbox(db, context: context).boothReleased(application, released: booths, reason: reason, fairName: fairName, db: db)
            }
            _ = try allocate(db, fairID: fairID, settings: context.fairs, context: context)
        }
        return released
    }

    /// The county's product that best fills `week` at `venue` (the largest weekly capacity),
    /// among those the featuring rules allow.
    static func bestFeaturable(county: String, week: IsoWeek, catalog: RotationCatalog, venue: Venue) -> Product? {
        (catalog.productsByCounty[county] ?? [])
            .filter { FeatureRules.problem($0, supplier: catalog.suppliers[$0.supplierID], week: week, venue: venue) == nil }
            .max { ($0.weeklyCapacity, $1.id) < ($1.weeklyCapacity, $0.id) }
    }
}
