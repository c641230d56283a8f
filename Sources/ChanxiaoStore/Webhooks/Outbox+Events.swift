import ChanxiaoCore
import Foundation
import GRDB

/// The events of each kind of change, with the names they carry read in the same transaction.
/// Each returns at once when no endpoint takes the type, so a daemon without webhooks pays
/// nothing for them.
extension Outbox {
    func matches(_ type: EventType, _ matches: [Match], db: Database) throws {
        guard wants(type), !matches.isEmpty else { return }
        let names = try EventNames(
            db,
            buyers: matches.map(\.buyerID),
            suppliers: matches.map(\.supplierID),
            counties: matches.map(\.countyCode),
            products: matches.map(\.productID)
        )
        for match in matches { try emit(.match(type, match, names: names, at: now), db: db) }
    }

    func matchesCancelled(_ matches: [Match], reason: String, db: Database) throws {
        guard wants(.matchCancelled), !matches.isEmpty else { return }
        let names = try EventNames(
            db,
            buyers: matches.map(\.buyerID),
            suppliers: matches.map(\.supplierID),
            counties: matches.map(\.countyCode),
            products: matches.map(\.productID)
        )
        for match in matches { try emit(.matchCancelled(match, reason: reason, names: names, at: now), db: db) }
    }

    func livestreamCancelled(_ session: Livestream, reason: String?, stillEligible: [String], db: Database) throws {
        guard wants(.livestreamCancelled) else { return }
        let names = try EventNames(db, products: session.productIDs)
        let suppliers = try Self.suppliers(of: session.productIDs, db: db)
        let host = try String.fetchOne(db, sql: "SELECT name FROM host WHERE id = ?", arguments: [session.hostID])
        try emit(
            .livestreamCancelled(session, hostName: host, names: names, suppliers: suppliers, reason: reason, stillEligible: stillEligible, at: now),
            db: db
        )
    }

    func slotWithdrawn(_ rotation: Rotation, slot: FeaturedSlot, reason: String, candidate: FeaturedSlot?, db: Database) throws {
        guard wants(.slotWithdrawn) else { return }
        let (names, suppliers, venue) = try slotContext([slot] + (candidate.map { [$0] } ?? []), venueID: rotation.venueID, db: db)
        try emit(
            .slotWithdrawn(
                rotation: rotation,
                venueName: venue,
                slot: slot,
                reason: reason,
                candidate: candidate,
                names: names,
                suppliers: suppliers,
                at: now
            ),
            db: db
        )
    }

    func boothReleased(_ application: FairApplication, released: [Int], reason: String, fairName: String?, db: Database) throws {
        guard wants(.boothReleased), !released.isEmpty else { return }
        let names = try EventNames(db, suppliers: application.supplierID.map { [$0] } ?? [], counties: [application.countyCode])
        try emit(.boothReleased(application, released: released, reason: reason, fairName: fairName, names: names, at: now), db: db)
    }

    func livestreams(_ type: EventType, _ sessions: [Livestream], leadMinutes: Int? = nil, db: Database) throws {
        guard wants(type), !sessions.isEmpty else { return }
        let productIDs = sessions.flatMap(\.productIDs)
        let names = try EventNames(db, products: productIDs)
        let suppliers = try Self.suppliers(of: productIDs, db: db)
        let hosts: [String: String] = try Self.lookup(db, table: "host", ids: sessions.map(\.hostID)) { $0["name"] }
        for session in sessions {
            try emit(
                .livestream(type, session, hostName: hosts[session.hostID], names: names, suppliers: suppliers, leadMinutes: leadMinutes, at: now),
                db: db
            )
        }
    }

    func rotationPublished(_ rotation: Rotation, db: Database) throws {
        guard wants(.rotationPublished) else { return }
        let (names, suppliers, venue) = try slotContext(rotation.slots, venueID: rotation.venueID, db: db)
        try emit(.rotationPublished(rotation, venueName: venue, names: names, suppliers: suppliers, at: now), db: db)
    }

    func slotChanged(_ rotation: Rotation, change: String, detail: JSONValue, slots: [FeaturedSlot], previous: [FeaturedSlot], db: Database) throws {
        guard wants(.slotChanged), !slots.isEmpty else { return }
        let (names, suppliers, venue) = try slotContext(slots + previous, venueID: rotation.venueID, db: db)
        // The editor's change as the event types it: a shape it does not know fails the edit
        // rather than announcing something no reader can read.
        try emit(
            .slotChanged(
                rotation: rotation,
                venueName: venue,
                change: SlotChangedPayload.Change(kind: change, detail: detail),
                slots: slots,
                previous: previous,
                names: names,
                suppliers: suppliers,
                at: now
            ),
            db: db
        )
    }

    func boothsAssigned(_ applications: [FairApplication], db: Database) throws {
        guard wants(.fairBoothAssigned), !applications.isEmpty else { return }
        let names = try EventNames(db, suppliers: applications.compactMap(\.supplierID), counties: applications.map(\.countyCode))
        let fairs: [String: String] = try Self.lookup(db, table: "fair", ids: applications.map(\.fairID)) { $0["name"] }
        for application in applications {
            try emit(.boothAssigned(application, fairName: fairs[application.fairID], names: names, at: now), db: db)
        }
    }

    /// For the supplier and the buyers holding its proposed or accepted matches from last week on.
    func supplierBlacklisted(_ supplier: Supplier, db: Database) throws {
        guard wants(.supplierBlacklisted) else { return }
        let county = try String.fetchOne(db, sql: "SELECT name FROM county WHERE code = ?", arguments: [supplier.countyCode])
        let buyers = try String.fetchAll(
            db,
            sql: """
                SELECT DISTINCT buyer_id FROM match WHERE supplier_id = ? AND status IN ('proposed', 'accepted') AND week >= ? ORDER BY buyer_id
                """,
            arguments: [
                supplier.id, IsoWeek(containing: CalendarDate.today(in: TimeZone(identifier: "UTC")!, now: now)).adding(weeks: -1).description,
            ]
        )
        try emit(.supplierBlacklisted(supplier, countyName: county, buyers: buyers, at: now), db: db)
    }

    private func slotContext(
        _ slots: [FeaturedSlot],
        venueID: String,
        db: Database
    ) throws
        -> (names: EventNames, suppliers: [String: String], venue: String?)
    {
        let names = try EventNames(db, counties: slots.map(\.countyCode), products: slots.map(\.productID))
        let suppliers = try Self.suppliers(of: slots.map(\.productID), db: db)
        let venue = try String.fetchOne(db, sql: "SELECT name FROM venue WHERE id = ?", arguments: [venueID])
        return (names, suppliers, venue)
    }

    /// The supplier of each product.
    static func suppliers(of productIDs: [String], db: Database) throws -> [String: String] {
        try lookup(db, table: "product", ids: productIDs) { $0["supplier_id"] }
    }
}
