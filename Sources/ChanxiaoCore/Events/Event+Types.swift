import Foundation

/// The events of each type, built from the records they announce. Names travel with ids so
/// that a chat robot can write a sentence without calling back.
extension Event {
    /// `match.proposed`, `match.accepted`, `match.declined` or `match.expired`, for the buyer
    /// and the supplier of the match.
    public static func match(_ type: EventType, _ match: Match, names: EventNames, at timestamp: Date) -> Event {
        let data: [(name: String, value: JSONValue)] = [
            ("match_id", .string(match.id)), ("week", .string(match.week.description)), ("status", .string(match.status.rawValue)),
            ("buyer_id", .string(match.buyerID)), ("buyer_name", JSONValue(names.buyers[match.buyerID])),
            ("demand_id", .string(match.demandID)),
            ("product_id", .string(match.productID)), ("product_name", JSONValue(names.products[match.productID]?.name)),
            ("unit", JSONValue(names.products[match.productID]?.unit)),
            ("supplier_id", .string(match.supplierID)), ("supplier_name", JSONValue(names.suppliers[match.supplierID])),
            ("county_code", .string(match.countyCode)), ("county_name", JSONValue(names.counties[match.countyCode])),
            ("weekly_volume", JSONValue(match.volume)), ("unit_price_fen", JSONValue(match.unitPriceFen)),
            ("proposed_at", .string(Timestamp.string(from: match.proposedAt))), ("expires_at", .string(Timestamp.string(from: match.expiresAt))),
            ("decided_at", JSONValue(match.decidedAt.map(Timestamp.string(from:)))),
        ]
        return Event(type: type, timestamp: timestamp, data: data, concerns: [.buyer(match.buyerID), .supplier(match.supplierID)])
    }

    /// `rotation.published`: the whole plan, cut to fit the payload limit.
    public static func rotationPublished(_ rotation: Rotation, venueName: String?, names: EventNames, suppliers: [String: String], at timestamp: Date) -> Event {
        let head: [(name: String, value: JSONValue)] = [
            ("rotation_id", .string(rotation.id)), ("venue_id", .string(rotation.venueID)), ("venue_name", JSONValue(venueName)),
            ("from_week", .string(rotation.fromWeek.description)), ("weeks", JSONValue(rotation.weeks)),
            ("slot_count", JSONValue(rotation.slots.count)),
        ]
        let slots = rotation.slots.map { slotData($0, names: names) }
        return Event(type: .rotationPublished, timestamp: timestamp, data: head + fitted("slots", slots, after: head),
                     concerns: Set(rotation.slots.compactMap { suppliers[$0.productID].map(Owner.supplier) }))
    }

    /// `slot.changed`: the slots of a published rotation after a swap or a replacement, for the
    /// suppliers featured in those weeks before and after.
    public static func slotChanged(rotation: Rotation, venueName: String?, change: String, detail: JSONValue, slots: [FeaturedSlot],
                                   previous: [FeaturedSlot] = [], names: EventNames, suppliers: [String: String], at timestamp: Date) -> Event {
        let head: [(name: String, value: JSONValue)] = [
            ("rotation_id", .string(rotation.id)), ("venue_id", .string(rotation.venueID)), ("venue_name", JSONValue(venueName)),
            ("change", .string(change)), ("detail", detail),
        ]
        return Event(type: .slotChanged, timestamp: timestamp, data: head + fitted("slots", slots.map { slotData($0, names: names) }, after: head),
                     concerns: Set((slots + previous).compactMap { suppliers[$0.productID].map(Owner.supplier) }))
    }

    /// `livestream.scheduled`, or `livestream.reminder` with the lead time it is sent for and
    /// the minutes actually left (less, when the reminder went out late).
    public static func livestream(_ type: EventType, _ session: Livestream, hostName: String?, names: EventNames, suppliers: [String: String],
                                  leadMinutes: Int? = nil, at timestamp: Date) -> Event {
        var data: [(name: String, value: JSONValue)] = [
            ("livestream_id", .string(session.id)), ("host_id", .string(session.hostID)), ("host_name", JSONValue(hostName)),
            ("platform", .string(session.platform.rawValue)), ("title", JSONValue(session.title)),
            ("starts_at", .string(Timestamp.string(from: session.startsAt))), ("ends_at", .string(Timestamp.string(from: session.endsAt))),
            ("products", .array(session.productIDs.map { id in
                .object(["product_id": .string(id), "product_name": JSONValue(names.products[id]?.name), "supplier_id": JSONValue(suppliers[id])])
            })),
            ("rotation_id", JSONValue(session.rotationID)), ("week", JSONValue(session.week?.description)),
        ]
        if let leadMinutes {
            data.append(("lead_minutes", JSONValue(leadMinutes)))
            data.append(("starts_in_minutes", JSONValue(max(0, Int((session.startsAt.timeIntervalSince(timestamp) / 60).rounded())))))
        }
        return Event(type: type, timestamp: timestamp, data: data, concerns: Set(session.productIDs.compactMap { suppliers[$0].map(Owner.supplier) }))
    }

    /// `fair.booth_assigned`: an application's booths after an allocation or a move up the
    /// waiting list.
    public static func boothAssigned(_ application: FairApplication, fairName: String?, names: EventNames, at timestamp: Date) -> Event {
        let data: [(name: String, value: JSONValue)] = [
            ("fair_id", .string(application.fairID)), ("fair_name", JSONValue(fairName)), ("application_id", .string(application.id)),
            ("applicant_kind", .string(application.applicantKind.rawValue)), ("supplier_id", JSONValue(application.supplierID)),
            ("supplier_name", JSONValue(application.supplierID.flatMap { names.suppliers[$0] })),
            ("county_code", .string(application.countyCode)), ("county_name", JSONValue(names.counties[application.countyCode])),
            ("booths", .array(application.booths.map { JSONValue($0) })), ("booths_requested", JSONValue(application.boothsRequested)),
            ("status", .string(application.status.rawValue)),
        ]
        return Event(type: .fairBoothAssigned, timestamp: timestamp, data: data, concerns: Set([application.supplierID.map(Owner.supplier)].compactMap { $0 }))
    }

    /// `supplier.blacklisted`, for the supplier and the buyers with open matches with it.
    public static func supplierBlacklisted(_ supplier: Supplier, countyName: String?, buyers: [String], at timestamp: Date) -> Event {
        let data: [(name: String, value: JSONValue)] = [
            ("supplier_id", .string(supplier.id)), ("supplier_name", .string(supplier.name)),
            ("county_code", .string(supplier.countyCode)), ("county_name", JSONValue(countyName)),
            ("reason", JSONValue(supplier.blacklistReason)), ("blacklisted_on", JSONValue(supplier.blacklistedOn?.description)),
        ]
        return Event(type: .supplierBlacklisted, timestamp: timestamp, data: data,
                     concerns: Set([Owner.supplier(supplier.id)] + buyers.map(Owner.buyer)))
    }

    /// `endpoint.disabled`, for staff endpoints only. The URL shows only its scheme, host and
    /// port: a robot's credential sits in its path or query.
    public static func endpointDisabled(id: String, url: String, description: String, owner: Owner?, reason: String, failingSince: Date?,
                                        at timestamp: Date) -> Event {
        let data: [(name: String, value: JSONValue)] = [
            ("endpoint_id", .string(id)), ("url", .string(WebhookEndpoint.origin(of: url))), ("description", .string(description)),
            ("owner", JSONValue(owner?.text)), ("reason", .string(reason)),
            ("failing_since", JSONValue(failingSince.map(Timestamp.string(from:)))), ("disabled_at", .string(Timestamp.string(from: timestamp))),
        ]
        return Event(type: .endpointDisabled, timestamp: timestamp, data: data, staffOnly: true)
    }

    private static func slotData(_ slot: FeaturedSlot, names: EventNames) -> JSONValue {
        .object(["week": .string(slot.week.description), "county_code": .string(slot.countyCode),
                 "county_name": JSONValue(names.counties[slot.countyCode]), "product_id": .string(slot.productID),
                 "product_name": JSONValue(names.products[slot.productID]?.name), "sequence": JSONValue(slot.sequence)])
    }

    /// `name: items` and `name_truncated`, with as many items as keep the payload under the
    /// limit (a rotation of several years would not fit whole).
    private static func fitted(_ name: String, _ items: [JSONValue], after head: [(name: String, value: JSONValue)]) -> [(name: String, value: JSONValue)] {
        let budget = maxPayloadBytes - JSONWriter.encode(head).count - 512
        var used = 0
        var kept: [JSONValue] = []
        for item in items {
            used += JSONWriter.encode(item).count + 1
            if used > budget { break }
            kept.append(item)
        }
        return [(name, .array(kept)), (name + "_truncated", .bool(kept.count < items.count))]
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
        if text.hasPrefix("buyer:"), text.count > 6 { self = .buyer(String(text.dropFirst(6))) }
        else if text.hasPrefix("supplier:"), text.count > 9 { self = .supplier(String(text.dropFirst(9))) }
        else { return nil }
    }
}
