import Foundation

/// The events of each type, built from the records they announce. Names travel with ids so
/// that a chat robot can write a sentence without calling back.
extension Event {
    /// `match.proposed`, `match.accepted`, `match.declined` or `match.expired`, for the buyer
    /// and the supplier of the match. `type` must be one of those four (`match.cancelled` has
    /// its own constructor, which takes the reason).
    public static func match(_ type: EventType, _ match: Match, names: EventNames, at timestamp: Date) -> Event {
        guard let data = EventData(match: type, MatchPayload(match, names: names)) else {
            preconditionFailure("\(type.rawValue) is not a match event type")
        }
        return Event(data, timestamp: timestamp, concerns: [.buyer(match.buyerID), .supplier(match.supplierID)])
    }

    /// `match.cancelled`: a proposal, or an accepted match whose week has not begun, withdrawn
    /// (its supplier blacklisted, its product's certification revoked, a complaint upheld), for
    /// the buyer and the supplier of the match.
    public static func matchCancelled(_ match: Match, reason: String, names: EventNames, at timestamp: Date) -> Event {
        Event(
            .matchCancelled(MatchCancelledPayload(match: MatchPayload(match, names: names), reason: reason)),
            timestamp: timestamp,
            concerns: [.buyer(match.buyerID), .supplier(match.supplierID)]
        )
    }

    /// `rotation.published`: the whole plan, cut to fit the payload limit.
    public static func rotationPublished(
        _ rotation: Rotation,
        venueName: String?,
        names: EventNames,
        suppliers: [String: String],
        at timestamp: Date
    ) -> Event {
        var payload = RotationPublishedPayload(
            rotationID: rotation.id,
            venueID: rotation.venueID,
            venueName: venueName,
            fromWeek: rotation.fromWeek,
            weeks: rotation.weeks,
            slotCount: rotation.slots.count,
            slots: rotation.slots.map { EventSlot($0, names: names) },
            slotsTruncated: false
        )
        payload.fitSlots()
        return Event(
            .rotationPublished(payload),
            timestamp: timestamp,
            concerns: Set(rotation.slots.compactMap { suppliers[$0.productID].map(Owner.supplier) })
        )
    }

    /// `slot.changed`: the slots of a published rotation after a swap or a replacement, for the
    /// suppliers featured in those weeks before and after.
    public static func slotChanged(
        rotation: Rotation,
        venueName: String?,
        change: SlotChangedPayload.Change,
        slots: [FeaturedSlot],
        previous: [FeaturedSlot] = [],
        names: EventNames,
        suppliers: [String: String],
        at timestamp: Date
    ) -> Event {
        var payload = SlotChangedPayload(
            rotationID: rotation.id,
            venueID: rotation.venueID,
            venueName: venueName,
            change: change,
            slots: slots.map { EventSlot($0, names: names) },
            slotsTruncated: false
        )
        payload.fitSlots()
        return Event(
            .slotChanged(payload),
            timestamp: timestamp,
            concerns: Set((slots + previous).compactMap { suppliers[$0.productID].map(Owner.supplier) })
        )
    }

    /// `rotation.slot_withdrawn`: a featured week of a published rotation withdrawn because its
    /// product can no longer be featured, with the planner's next candidate for that week (nil
    /// when there is none), for the supplier of the withdrawn week's product.
    public static func slotWithdrawn(
        rotation: Rotation,
        venueName: String?,
        slot: FeaturedSlot,
        reason: String,
        candidate: FeaturedSlot?,
        names: EventNames,
        suppliers: [String: String],
        at timestamp: Date
    ) -> Event {
        let payload = SlotWithdrawnPayload(
            rotationID: rotation.id,
            venueID: rotation.venueID,
            venueName: venueName,
            slot: EventSlot(slot, names: names),
            reason: reason,
            candidate: candidate.map { EventSlot($0, names: names) }
        )
        return Event(
            .slotWithdrawn(payload),
            timestamp: timestamp,
            concerns: Set([suppliers[slot.productID].map(Owner.supplier)].compactMap { $0 })
        )
    }

    /// `livestream.scheduled`, or `livestream.reminder` with the lead time it is sent for and
    /// the minutes actually left (less, when the reminder went out late). A reminder must be
    /// given its `leadMinutes`.
    public static func livestream(
        _ type: EventType,
        _ session: Livestream,
        hostName: String?,
        names: EventNames,
        suppliers: [String: String],
        leadMinutes: Int? = nil,
        at timestamp: Date
    ) -> Event {
        let payload = LivestreamPayload(session, hostName: hostName, names: names, suppliers: suppliers)
        let data: EventData
        switch (type, leadMinutes) {
        case (.livestreamScheduled, nil):
            data = .livestreamScheduled(payload)
        case (.livestreamReminder, let leadMinutes?):
            let startsIn = max(0, Int((session.startsAt.timeIntervalSince(timestamp) / 60).rounded()))
            data = .livestreamReminder(LivestreamReminderPayload(livestream: payload, leadMinutes: leadMinutes, startsInMinutes: startsIn))
        default:
            preconditionFailure("\(type.rawValue) with lead minutes \(leadMinutes.map(String.init) ?? "nil") is not a livestream event")
        }
        return Event(data, timestamp: timestamp, concerns: Set(session.productIDs.compactMap { suppliers[$0].map(Owner.supplier) }))
    }

    /// `livestream.cancelled`: a scheduled session cancelled, by an organizer (`reason` nil when
    /// none was given, `stillEligible` empty) or because a product it presents was withdrawn
    /// (`stillEligible`: its other products that can still be shown), for the suppliers of the
    /// session's products.
    public static func livestreamCancelled(
        _ session: Livestream,
        hostName: String?,
        names: EventNames,
        suppliers: [String: String],
        reason: String?,
        stillEligible: [String],
        at timestamp: Date
    ) -> Event {
        let payload = LivestreamCancelledPayload(
            livestream: LivestreamPayload(session, hostName: hostName, names: names, suppliers: suppliers),
            reason: reason,
            stillEligibleProductIDs: stillEligible
        )
        return Event(
            .livestreamCancelled(payload),
            timestamp: timestamp,
            concerns: Set(session.productIDs.compactMap { suppliers[$0].map(Owner.supplier) })
        )
    }

    /// `fair.booth_assigned`: an application's booths after an allocation or a move up the
    /// waiting list.
    public static func boothAssigned(_ application: FairApplication, fairName: String?, names: EventNames, at timestamp: Date) -> Event {
        let payload = BoothAssignedPayload(
            fairID: application.fairID,
            fairName: fairName,
            applicationID: application.id,
            applicantKind: application.applicantKind,
            supplierID: application.supplierID,
            supplierName: application.supplierID.flatMap { names.suppliers[$0] },
            countyCode: application.countyCode,
            countyName: names.counties[application.countyCode],
            booths: application.booths,
            boothsRequested: application.boothsRequested,
            status: application.status
        )
        return Event(
            .fairBoothAssigned(payload),
            timestamp: timestamp,
            concerns: Set([application.supplierID.map(Owner.supplier)].compactMap { $0 })
        )
    }

    /// `booth.released`: booths an application gave back (`released`): released by an organizer,
    /// or taken back because a supplier of the products it shows was blacklisted (or their
    /// certification revoked). `application` is as it is after the release: the booths it still
    /// holds, its status. For the applying supplier (a county's application goes to staff
    /// endpoints only).
    public static func boothReleased(
        _ application: FairApplication,
        released: [Int],
        reason: String,
        fairName: String?,
        names: EventNames,
        at timestamp: Date
    ) -> Event {
        let payload = BoothReleasedPayload(
            fairID: application.fairID,
            fairName: fairName,
            applicationID: application.id,
            applicantKind: application.applicantKind,
            supplierID: application.supplierID,
            supplierName: application.supplierID.flatMap { names.suppliers[$0] },
            countyCode: application.countyCode,
            countyName: names.counties[application.countyCode],
            releasedBooths: released,
            booths: application.booths,
            status: application.status,
            reason: reason
        )
        return Event(
            .boothReleased(payload),
            timestamp: timestamp,
            concerns: Set([application.supplierID.map(Owner.supplier)].compactMap { $0 })
        )
    }

    /// `supplier.blacklisted`, for the supplier and the buyers with open matches with it.
    public static func supplierBlacklisted(_ supplier: Supplier, countyName: String?, buyers: [String], at timestamp: Date) -> Event {
        let payload = SupplierBlacklistedPayload(
            supplierID: supplier.id,
            supplierName: supplier.name,
            countyCode: supplier.countyCode,
            countyName: countyName,
            reason: supplier.blacklistReason,
            blacklistedOn: supplier.blacklistedOn
        )
        return Event(.supplierBlacklisted(payload), timestamp: timestamp, concerns: Set([Owner.supplier(supplier.id)] + buyers.map(Owner.buyer)))
    }

    /// `endpoint.disabled`, for staff endpoints only. The URL shows only its scheme, host and
    /// port: a robot's credential sits in its path or query.
    public static func endpointDisabled(
        id: String,
        url: String,
        description: String,
        owner: Owner?,
        reason: String,
        failingSince: Date?,
        at timestamp: Date
    ) -> Event {
        let payload = EndpointDisabledPayload(
            endpointID: id,
            url: WebhookEndpoint.origin(of: url),
            description: description,
            owner: owner,
            reason: reason,
            failingSince: failingSince,
            disabledAt: timestamp
        )
        return Event(.endpointDisabled(payload), timestamp: timestamp, staffOnly: true)
    }
}

extension MatchPayload {
    /// A match with the names of its buyer, product, supplier and county.
    init(_ match: Match, names: EventNames) {
        self.init(
            matchID: match.id,
            week: match.week,
            status: match.status,
            buyerID: match.buyerID,
            buyerName: names.buyers[match.buyerID],
            demandID: match.demandID,
            productID: match.productID,
            productName: names.products[match.productID]?.name,
            unit: names.products[match.productID]?.unit,
            supplierID: match.supplierID,
            supplierName: names.suppliers[match.supplierID],
            countyCode: match.countyCode,
            countyName: names.counties[match.countyCode],
            weeklyVolume: match.volume,
            unitPriceFen: match.unitPriceFen,
            proposedAt: match.proposedAt,
            expiresAt: match.expiresAt,
            decidedAt: match.decidedAt
        )
    }
}

extension LivestreamPayload {
    /// A session with the name of its host and the names and suppliers of its products.
    init(_ session: Livestream, hostName: String?, names: EventNames, suppliers: [String: String]) {
        self.init(
            livestreamID: session.id,
            hostID: session.hostID,
            hostName: hostName,
            platform: session.platform,
            title: session.title,
            startsAt: session.startsAt,
            endsAt: session.endsAt,
            products: session.productIDs.map { id in
                LivestreamPayload.Product(productID: id, productName: names.products[id]?.name, supplierID: suppliers[id])
            },
            rotationID: session.rotationID,
            week: session.week
        )
    }
}

extension EventSlot {
    /// A featured week with the names of its county and product.
    init(_ slot: FeaturedSlot, names: EventNames) {
        self.init(
            week: slot.week,
            countyCode: slot.countyCode,
            countyName: names.counties[slot.countyCode],
            productID: slot.productID,
            productName: names.products[slot.productID]?.name,
            sequence: slot.sequence
        )
    }
}

/// Display names of the records events mention, looked up once per transaction.
public struct EventNames: Sendable {
    public var buyers: [String: String] = [:]
    public var suppliers: [String: String] = [:]
    public var counties: [String: String] = [:]
    public var products: [String: (name: String, unit: String)] = [:]

    public init() {}
}

extension Owner {
    /// `buyer:ID` or `supplier:ID`, as stored and shown.
    public var text: String? {
        switch self {
        case .none: nil
        case .buyer(let id): "buyer:" + id
        case .supplier(let id): "supplier:" + id
        }
    }

    public init?(text: String) {
        if text.hasPrefix("buyer:"), text.count > 6 {
            self = .buyer(String(text.dropFirst(6)))
        } else if text.hasPrefix("supplier:"), text.count > 9 {
            self = .supplier(String(text.dropFirst(9)))
        } else {
            return nil
        }
    }
}
