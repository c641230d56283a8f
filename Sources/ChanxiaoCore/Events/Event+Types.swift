import Foundation

/// The events of each type, built from the records they announce. Names travel with ids so
/// that a chat robot can write a sentence without calling back.
extension Event {
    /// `match.proposed`, `match.accepted`, `match.declined` or `match.expired`, for the buyer
    /// and the supplier of the match. `type` must be one of those four.
    public static func match(_ type: EventType, _ match: Match, names: EventNames, at timestamp: Date) -> Event {
        let payload = MatchPayload(
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
        guard let data = EventData(match: type, payload) else { preconditionFailure("\(type.rawValue) is not a match event type") }
        return Event(data, timestamp: timestamp, concerns: [.buyer(match.buyerID), .supplier(match.supplierID)])
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
        let payload = LivestreamPayload(
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
