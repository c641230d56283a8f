import ChanxiaoCore
import Foundation
import Testing

/// Events built from records by the constructors the outbox calls, with and without the names
/// they look up, and with text that needs escaping.
enum EventRecords {
    static let now = Timestamp.date(from: "2026-11-16T02:00:00.125Z") ?? Date(timeIntervalSince1970: 0)
    static let week47 = IsoWeek(year: 2026, week: 47)!

    static func at(_ text: String) -> Date { Timestamp.date(from: text) ?? now }

    static var names: EventNames {
        var names = EventNames()
        names.buyers["buy_canteen"] = "湖南省直机关食堂"
        names.suppliers["sup_baojing"] = "保靖县黄金茶合作社"
        names.counties["433125"] = "保靖县"
        names.counties["433124"] = "花垣县 \"北\"\n\u{1}"
        names.products["prd_tea"] = ("黄金茶", "jin")
        names.products["prd_kiwi"] = ("猕猴桃\\", "kg")
        return names
    }

    static func match(_ status: MatchStatus, decidedAt: Date? = nil) -> Match {
        Match(
            id: "mat_1",
            runID: "run_1",
            week: week47,
            demandID: "dem_1",
            buyerID: "buy_canteen",
            productID: "prd_tea",
            supplierID: "sup_baojing",
            countyCode: "433125",
            volume: 200,
            unitPriceFen: 1250,
            unitCost: 125_000,
            costBreakdown: [],
            status: status,
            proposedAt: now,
            expiresAt: at("2026-11-20T10:00:00Z"),
            decidedAt: decidedAt,
            decidedBy: nil
        )
    }

    static func slot(_ offset: Int) -> FeaturedSlot {
        FeaturedSlot(
            week: week47.adding(weeks: offset),
            countyCode: offset % 2 == 0 ? "433125" : "433124",
            productID: offset % 2 == 0 ? "prd_tea" : "prd_kiwi",
            pinned: false,
            reasons: [],
            points: [],
            sequence: offset % 3,
            updatedAt: now
        )
    }

    static func rotation(weeks: Int) -> Rotation {
        Rotation(
            id: "rot_1",
            venueID: "ven_1",
            fromWeek: week47,
            weeks: weeks,
            status: .published,
            cycleLength: 8,
            slots: (0..<weeks).map(slot),
            blackoutWeeks: [],
            unplaced: [],
            score: [],
            total: 0,
            bound: 0,
            request: .null,
            createdAt: now
        )
    }

    static let suppliers = ["prd_tea": "sup_baojing", "prd_kiwi": "sup_huayuan"]

    static let session = Livestream(
        id: "liv_1",
        hostID: "hst_1",
        platform: .wechatChannels,
        startsAt: at("2026-11-24T11:00:00Z"),
        endsAt: at("2026-11-24T13:00:00Z"),
        productIDs: ["prd_tea", "prd_kiwi", "prd_gone"],
        title: "湘西好物节",
        rotationID: "rot_1",
        week: week47.adding(weeks: 1),
        createdAt: now,
        updatedAt: now
    )

    static let swap = SlotChangedPayload.Change.swap(week47.adding(weeks: 2), week47.adding(weeks: 3))
    static let replace = SlotChangedPayload.Change.replace(
        week: week47.adding(weeks: 2),
        from: .init(countyCode: "433124", productID: "prd_kiwi"),
        to: .init(countyCode: "433125", productID: "prd_tea")
    )

    /// One event of each shape, labelled.
    static var events: [(label: String, event: Event)] {
        var untitled = session
        untitled.title = nil
        untitled.rotationID = nil
        untitled.week = nil
        let byCounty = FairApplication(
            id: "app_2",
            fairID: "fair_1",
            applicantKind: .county,
            countyCode: "433124",
            productIDs: [],
            boothsRequested: 2,
            status: .waitlisted,
            booths: [3],
            createdAt: now,
            updatedAt: now
        )
        let bySupplier = FairApplication(
            id: "app_1",
            fairID: "fair_1",
            applicantKind: .supplier,
            countyCode: "433125",
            supplierID: "sup_baojing",
            productIDs: ["prd_tea"],
            boothsRequested: 2,
            status: .allocated,
            booths: [12, 13],
            createdAt: now,
            updatedAt: now
        )
        let bad = Supplier(
            id: "sup_bad",
            name: "某某商贸",
            countyCode: "433124",
            kind: .enterprise,
            blacklisted: true,
            blacklistReason: "虚报产地",
            blacklistedOn: CalendarDate(year: 2026, month: 11, day: 20)
        )
        let unexplained = Supplier(id: "sup_bad", name: "某某商贸", countyCode: "433124", kind: .enterprise, blacklisted: true)
        // The planner's candidate for the withdrawn week 48 (prd_kiwi): the same week, another county and product.
        let candidate = FeaturedSlot(
            week: week47.adding(weeks: 1),
            countyCode: "433125",
            productID: "prd_tea",
            pinned: false,
            reasons: [],
            points: [],
            updatedAt: now
        )
        var shrunk = bySupplier
        shrunk.booths = [12]
        var given = byCounty
        given.booths = []
        given.status = .withdrawn
        return [
            ("match.proposed", .match(.matchProposed, match(.proposed), names: names, at: now)),
            ("match.accepted", .match(.matchAccepted, match(.accepted, decidedAt: at("2026-11-18T02:30:00.007Z")), names: names, at: now)),
            ("match.declined unnamed", .match(.matchDeclined, match(.declined, decidedAt: now), names: EventNames(), at: now)),
            ("match.expired", .match(.matchExpired, match(.expired), names: names, at: now)),
            ("rotation.published", .rotationPublished(rotation(weeks: 3), venueName: "长沙消费帮扶馆", names: names, suppliers: suppliers, at: now)),
            ("rotation.published unnamed", .rotationPublished(rotation(weeks: 2), venueName: nil, names: EventNames(), suppliers: [:], at: now)),
            (
                "slot.changed swap",
                .slotChanged(
                    rotation: rotation(weeks: 8),
                    venueName: "长沙消费帮扶馆",
                    change: swap,
                    slots: [slot(2), slot(3)],
                    previous: [slot(3), slot(2)],
                    names: names,
                    suppliers: suppliers,
                    at: now
                )
            ),
            (
                "slot.changed replace",
                .slotChanged(
                    rotation: rotation(weeks: 8),
                    venueName: nil,
                    change: replace,
                    slots: [slot(2)],
                    previous: [slot(1)],
                    names: names,
                    suppliers: suppliers,
                    at: now
                )
            ),
            ("livestream.scheduled", .livestream(.livestreamScheduled, untitled, hostName: nil, names: names, suppliers: suppliers, at: now)),
            (
                "livestream.reminder",
                .livestream(
                    .livestreamReminder,
                    session,
                    hostName: "李佳",
                    names: names,
                    suppliers: suppliers,
                    leadMinutes: 60,
                    at: session.startsAt.addingTimeInterval(-3000)
                )
            ),
            ("fair.booth_assigned county", .boothAssigned(byCounty, fairName: "湖南农博会", names: names, at: now)),
            ("fair.booth_assigned supplier", .boothAssigned(bySupplier, fairName: nil, names: names, at: now)),
            ("supplier.blacklisted", .supplierBlacklisted(bad, countyName: "花垣县", buyers: ["buy_canteen"], at: now)),
            ("supplier.blacklisted bare", .supplierBlacklisted(unexplained, countyName: nil, buyers: [], at: now)),
            (
                "endpoint.disabled",
                .endpointDisabled(
                    id: "whk_1",
                    url: "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=SECRETKEY",
                    description: "采购群机器人",
                    owner: .buyer("buy_canteen"),
                    reason: "连续失败 50 次",
                    failingSince: at("2026-11-15T01:00:00Z"),
                    at: now
                )
            ),
            (
                "endpoint.disabled staff",
                .endpointDisabled(
                    id: "whk_2",
                    url: "not a url",
                    description: "",
                    owner: nil,
                    reason: "the endpoint answered 410 Gone",
                    failingSince: nil,
                    at: now
                )
            ),
            ("match.cancelled", .matchCancelled(match(.cancelled, decidedAt: now), reason: "供应商已列入诚信黑名单", names: names, at: now)),
            (
                "rotation.slot_withdrawn",
                .slotWithdrawn(
                    rotation: rotation(weeks: 8),
                    venueName: "长沙消费帮扶馆",
                    slot: slot(1),
                    reason: "产品认证已撤销",
                    candidate: candidate,
                    names: names,
                    suppliers: suppliers,
                    at: now
                )
            ),
            (
                "rotation.slot_withdrawn no candidate",
                .slotWithdrawn(
                    rotation: rotation(weeks: 8),
                    venueName: nil,
                    slot: slot(1),
                    reason: "产品认证已撤销",
                    candidate: nil,
                    names: EventNames(),
                    suppliers: [:],
                    at: now
                )
            ),
            (
                "livestream.cancelled",
                .livestreamCancelled(
                    session,
                    hostName: "李佳",
                    names: names,
                    suppliers: suppliers,
                    reason: "产品认证已撤销",
                    stillEligible: ["prd_tea"],
                    at: now
                )
            ),
            (
                "livestream.cancelled by organizer",
                .livestreamCancelled(untitled, hostName: nil, names: names, suppliers: suppliers, reason: nil, stillEligible: [], at: now)
            ),
            (
                "booth.released supplier",
                .boothReleased(shrunk, released: [13], reason: "参展产品认证已撤销", fairName: "湖南农博会", names: names, at: now)
            ),
            (
                "booth.released county",
                .boothReleased(given, released: [3], reason: "released by the organizer", fairName: nil, names: names, at: now)
            ),
        ]
    }
}

@Suite("Event bytes")
struct EventBytesTests {
    /// The bytes each constructor wrote before the payloads were typed: the payload is a public
    /// contract, signed and stored, so the typed payloads must write it byte for byte.
    static let expected: [(label: String, payload: String)] = [
        (
            "match.proposed",
            #"{"type":"match.proposed","timestamp":"2026-11-16T02:00:00.125Z","data":{"match_id":"mat_1","week":"2026-W47","status":"proposed","buyer_id":"buy_canteen","buyer_name":"湖南省直机关食堂","demand_id":"dem_1","product_id":"prd_tea","product_name":"黄金茶","unit":"jin","supplier_id":"sup_baojing","supplier_name":"保靖县黄金茶合作社","county_code":"433125","county_name":"保靖县","weekly_volume":200,"unit_price_fen":1250,"proposed_at":"2026-11-16T02:00:00.125Z","expires_at":"2026-11-20T10:00:00.000Z","decided_at":null}}"#
        ),
        (
            "match.accepted",
            #"{"type":"match.accepted","timestamp":"2026-11-16T02:00:00.125Z","data":{"match_id":"mat_1","week":"2026-W47","status":"accepted","buyer_id":"buy_canteen","buyer_name":"湖南省直机关食堂","demand_id":"dem_1","product_id":"prd_tea","product_name":"黄金茶","unit":"jin","supplier_id":"sup_baojing","supplier_name":"保靖县黄金茶合作社","county_code":"433125","county_name":"保靖县","weekly_volume":200,"unit_price_fen":1250,"proposed_at":"2026-11-16T02:00:00.125Z","expires_at":"2026-11-20T10:00:00.000Z","decided_at":"2026-11-18T02:30:00.007Z"}}"#
        ),
        (
            "match.declined unnamed",
            #"{"type":"match.declined","timestamp":"2026-11-16T02:00:00.125Z","data":{"match_id":"mat_1","week":"2026-W47","status":"declined","buyer_id":"buy_canteen","buyer_name":null,"demand_id":"dem_1","product_id":"prd_tea","product_name":null,"unit":null,"supplier_id":"sup_baojing","supplier_name":null,"county_code":"433125","county_name":null,"weekly_volume":200,"unit_price_fen":1250,"proposed_at":"2026-11-16T02:00:00.125Z","expires_at":"2026-11-20T10:00:00.000Z","decided_at":"2026-11-16T02:00:00.125Z"}}"#
        ),
        (
            "match.expired",
            #"{"type":"match.expired","timestamp":"2026-11-16T02:00:00.125Z","data":{"match_id":"mat_1","week":"2026-W47","status":"expired","buyer_id":"buy_canteen","buyer_name":"湖南省直机关食堂","demand_id":"dem_1","product_id":"prd_tea","product_name":"黄金茶","unit":"jin","supplier_id":"sup_baojing","supplier_name":"保靖县黄金茶合作社","county_code":"433125","county_name":"保靖县","weekly_volume":200,"unit_price_fen":1250,"proposed_at":"2026-11-16T02:00:00.125Z","expires_at":"2026-11-20T10:00:00.000Z","decided_at":null}}"#
        ),
        (
            "rotation.published",
            #"{"type":"rotation.published","timestamp":"2026-11-16T02:00:00.125Z","data":{"rotation_id":"rot_1","venue_id":"ven_1","venue_name":"长沙消费帮扶馆","from_week":"2026-W47","weeks":3,"slot_count":3,"slots":[{"county_code":"433125","county_name":"保靖县","product_id":"prd_tea","product_name":"黄金茶","sequence":0,"week":"2026-W47"},{"county_code":"433124","county_name":"花垣县 \"北\"\n\u0001","product_id":"prd_kiwi","product_name":"猕猴桃\\","sequence":1,"week":"2026-W48"},{"county_code":"433125","county_name":"保靖县","product_id":"prd_tea","product_name":"黄金茶","sequence":2,"week":"2026-W49"}],"slots_truncated":false}}"#
        ),
        (
            "rotation.published unnamed",
            #"{"type":"rotation.published","timestamp":"2026-11-16T02:00:00.125Z","data":{"rotation_id":"rot_1","venue_id":"ven_1","venue_name":null,"from_week":"2026-W47","weeks":2,"slot_count":2,"slots":[{"county_code":"433125","county_name":null,"product_id":"prd_tea","product_name":null,"sequence":0,"week":"2026-W47"},{"county_code":"433124","county_name":null,"product_id":"prd_kiwi","product_name":null,"sequence":1,"week":"2026-W48"}],"slots_truncated":false}}"#
        ),
        (
            "slot.changed swap",
            #"{"type":"slot.changed","timestamp":"2026-11-16T02:00:00.125Z","data":{"rotation_id":"rot_1","venue_id":"ven_1","venue_name":"长沙消费帮扶馆","change":"swap","detail":{"weeks":["2026-W49","2026-W50"]},"slots":[{"county_code":"433125","county_name":"保靖县","product_id":"prd_tea","product_name":"黄金茶","sequence":2,"week":"2026-W49"},{"county_code":"433124","county_name":"花垣县 \"北\"\n\u0001","product_id":"prd_kiwi","product_name":"猕猴桃\\","sequence":0,"week":"2026-W50"}],"slots_truncated":false}}"#
        ),
        (
            "slot.changed replace",
            #"{"type":"slot.changed","timestamp":"2026-11-16T02:00:00.125Z","data":{"rotation_id":"rot_1","venue_id":"ven_1","venue_name":null,"change":"replace","detail":{"from":{"county_code":"433124","product_id":"prd_kiwi"},"to":{"county_code":"433125","product_id":"prd_tea"},"week":"2026-W49"},"slots":[{"county_code":"433125","county_name":"保靖县","product_id":"prd_tea","product_name":"黄金茶","sequence":2,"week":"2026-W49"}],"slots_truncated":false}}"#
        ),
        (
            "livestream.scheduled",
            #"{"type":"livestream.scheduled","timestamp":"2026-11-16T02:00:00.125Z","data":{"livestream_id":"liv_1","host_id":"hst_1","host_name":null,"platform":"wechat_channels","title":null,"starts_at":"2026-11-24T11:00:00.000Z","ends_at":"2026-11-24T13:00:00.000Z","products":[{"product_id":"prd_tea","product_name":"黄金茶","supplier_id":"sup_baojing"},{"product_id":"prd_kiwi","product_name":"猕猴桃\\","supplier_id":"sup_huayuan"},{"product_id":"prd_gone","product_name":null,"supplier_id":null}],"rotation_id":null,"week":null}}"#
        ),
        (
            "livestream.reminder",
            #"{"type":"livestream.reminder","timestamp":"2026-11-24T10:10:00.000Z","data":{"livestream_id":"liv_1","host_id":"hst_1","host_name":"李佳","platform":"wechat_channels","title":"湘西好物节","starts_at":"2026-11-24T11:00:00.000Z","ends_at":"2026-11-24T13:00:00.000Z","products":[{"product_id":"prd_tea","product_name":"黄金茶","supplier_id":"sup_baojing"},{"product_id":"prd_kiwi","product_name":"猕猴桃\\","supplier_id":"sup_huayuan"},{"product_id":"prd_gone","product_name":null,"supplier_id":null}],"rotation_id":"rot_1","week":"2026-W48","lead_minutes":60,"starts_in_minutes":50}}"#
        ),
        (
            "fair.booth_assigned county",
            #"{"type":"fair.booth_assigned","timestamp":"2026-11-16T02:00:00.125Z","data":{"fair_id":"fair_1","fair_name":"湖南农博会","application_id":"app_2","applicant_kind":"county","supplier_id":null,"supplier_name":null,"county_code":"433124","county_name":"花垣县 \"北\"\n\u0001","booths":[3],"booths_requested":2,"status":"waitlisted"}}"#
        ),
        (
            "fair.booth_assigned supplier",
            #"{"type":"fair.booth_assigned","timestamp":"2026-11-16T02:00:00.125Z","data":{"fair_id":"fair_1","fair_name":null,"application_id":"app_1","applicant_kind":"supplier","supplier_id":"sup_baojing","supplier_name":"保靖县黄金茶合作社","county_code":"433125","county_name":"保靖县","booths":[12,13],"booths_requested":2,"status":"allocated"}}"#
        ),
        (
            "supplier.blacklisted",
            #"{"type":"supplier.blacklisted","timestamp":"2026-11-16T02:00:00.125Z","data":{"supplier_id":"sup_bad","supplier_name":"某某商贸","county_code":"433124","county_name":"花垣县","reason":"虚报产地","blacklisted_on":"2026-11-20"}}"#
        ),
        (
            "supplier.blacklisted bare",
            #"{"type":"supplier.blacklisted","timestamp":"2026-11-16T02:00:00.125Z","data":{"supplier_id":"sup_bad","supplier_name":"某某商贸","county_code":"433124","county_name":null,"reason":null,"blacklisted_on":null}}"#
        ),
        (
            "endpoint.disabled",
            #"{"type":"endpoint.disabled","timestamp":"2026-11-16T02:00:00.125Z","data":{"endpoint_id":"whk_1","url":"https://qyapi.weixin.qq.com:8443","description":"采购群机器人","owner":"buyer:buy_canteen","reason":"连续失败 50 次","failing_since":"2026-11-15T01:00:00.000Z","disabled_at":"2026-11-16T02:00:00.125Z"}}"#
        ),
        (
            "endpoint.disabled staff",
            #"{"type":"endpoint.disabled","timestamp":"2026-11-16T02:00:00.125Z","data":{"endpoint_id":"whk_2","url":"","description":"","owner":null,"reason":"the endpoint answered 410 Gone","failing_since":null,"disabled_at":"2026-11-16T02:00:00.125Z"}}"#
        ),
        (
            "match.cancelled",
            #"{"type":"match.cancelled","timestamp":"2026-11-16T02:00:00.125Z","data":{"match_id":"mat_1","week":"2026-W47","status":"cancelled","buyer_id":"buy_canteen","buyer_name":"湖南省直机关食堂","demand_id":"dem_1","product_id":"prd_tea","product_name":"黄金茶","unit":"jin","supplier_id":"sup_baojing","supplier_name":"保靖县黄金茶合作社","county_code":"433125","county_name":"保靖县","weekly_volume":200,"unit_price_fen":1250,"proposed_at":"2026-11-16T02:00:00.125Z","expires_at":"2026-11-20T10:00:00.000Z","decided_at":"2026-11-16T02:00:00.125Z","reason":"供应商已列入诚信黑名单"}}"#
        ),
        (
            "rotation.slot_withdrawn",
            #"{"type":"rotation.slot_withdrawn","timestamp":"2026-11-16T02:00:00.125Z","data":{"rotation_id":"rot_1","venue_id":"ven_1","venue_name":"长沙消费帮扶馆","slot":{"county_code":"433124","county_name":"花垣县 \"北\"\n\u0001","product_id":"prd_kiwi","product_name":"猕猴桃\\","sequence":1,"week":"2026-W48"},"reason":"产品认证已撤销","candidate":{"county_code":"433125","county_name":"保靖县","product_id":"prd_tea","product_name":"黄金茶","sequence":0,"week":"2026-W48"}}}"#
        ),
        (
            "rotation.slot_withdrawn no candidate",
            #"{"type":"rotation.slot_withdrawn","timestamp":"2026-11-16T02:00:00.125Z","data":{"rotation_id":"rot_1","venue_id":"ven_1","venue_name":null,"slot":{"county_code":"433124","county_name":null,"product_id":"prd_kiwi","product_name":null,"sequence":1,"week":"2026-W48"},"reason":"产品认证已撤销","candidate":null}}"#
        ),
        (
            "livestream.cancelled",
            #"{"type":"livestream.cancelled","timestamp":"2026-11-16T02:00:00.125Z","data":{"livestream_id":"liv_1","host_id":"hst_1","host_name":"李佳","platform":"wechat_channels","title":"湘西好物节","starts_at":"2026-11-24T11:00:00.000Z","ends_at":"2026-11-24T13:00:00.000Z","products":[{"product_id":"prd_tea","product_name":"黄金茶","supplier_id":"sup_baojing"},{"product_id":"prd_kiwi","product_name":"猕猴桃\\","supplier_id":"sup_huayuan"},{"product_id":"prd_gone","product_name":null,"supplier_id":null}],"rotation_id":"rot_1","week":"2026-W48","reason":"产品认证已撤销","still_eligible_product_ids":["prd_tea"]}}"#
        ),
        (
            "livestream.cancelled by organizer",
            #"{"type":"livestream.cancelled","timestamp":"2026-11-16T02:00:00.125Z","data":{"livestream_id":"liv_1","host_id":"hst_1","host_name":null,"platform":"wechat_channels","title":null,"starts_at":"2026-11-24T11:00:00.000Z","ends_at":"2026-11-24T13:00:00.000Z","products":[{"product_id":"prd_tea","product_name":"黄金茶","supplier_id":"sup_baojing"},{"product_id":"prd_kiwi","product_name":"猕猴桃\\","supplier_id":"sup_huayuan"},{"product_id":"prd_gone","product_name":null,"supplier_id":null}],"rotation_id":null,"week":null,"reason":null,"still_eligible_product_ids":[]}}"#
        ),
        (
            "booth.released supplier",
            #"{"type":"booth.released","timestamp":"2026-11-16T02:00:00.125Z","data":{"fair_id":"fair_1","fair_name":"湖南农博会","application_id":"app_1","applicant_kind":"supplier","supplier_id":"sup_baojing","supplier_name":"保靖县黄金茶合作社","county_code":"433125","county_name":"保靖县","released_booths":[13],"booths":[12],"status":"allocated","reason":"参展产品认证已撤销"}}"#
        ),
        (
            "booth.released county",
            #"{"type":"booth.released","timestamp":"2026-11-16T02:00:00.125Z","data":{"fair_id":"fair_1","fair_name":null,"application_id":"app_2","applicant_kind":"county","supplier_id":null,"supplier_name":null,"county_code":"433124","county_name":"花垣县 \"北\"\n\u0001","released_booths":[3],"booths":[],"status":"withdrawn","reason":"released by the organizer"}}"#
        ),
    ]

    @Test("each type's payload is written byte for byte as before", arguments: expected)
    func bytes(label: String, payload: String) throws {
        let event = try #require(EventRecords.events.first { $0.label == label }?.event)
        #expect(String(decoding: event.payload, as: UTF8.self) == payload)
    }

    @Test("the table covers every constructed event")
    func coversEveryEvent() {
        #expect(EventRecords.events.map(\.label) == Self.expected.map(\.label))
    }

    @Test("the withdrawals and releases concern whom docs/webhooks.md says")
    func concerns() throws {
        func owners(_ label: String) throws -> Set<Owner> {
            try #require(EventRecords.events.first { $0.label == label }?.event).concerns
        }
        #expect(try owners("match.cancelled") == [.buyer("buy_canteen"), .supplier("sup_baojing")])
        // The supplier of the withdrawn week's product only, not the candidate's.
        #expect(try owners("rotation.slot_withdrawn") == [.supplier("sup_huayuan")])
        #expect(try owners("rotation.slot_withdrawn no candidate") == [])
        #expect(try owners("livestream.cancelled") == [.supplier("sup_baojing"), .supplier("sup_huayuan")])
        #expect(try owners("booth.released supplier") == [.supplier("sup_baojing")])
        #expect(try owners("booth.released county") == [])
    }

    @Test("a rotation too long for the payload limit keeps the slots that fit, counts them all and says it was cut")
    func truncatedRotation() throws {
        let event = Event.rotationPublished(
            EventRecords.rotation(weeks: 400),
            venueName: "长沙消费帮扶馆",
            names: EventRecords.names,
            suppliers: EventRecords.suppliers,
            at: EventRecords.now
        )
        #expect(event.payload.count == 20_050 && event.payload.count <= Event.maxPayloadBytes)
        guard case .rotationPublished(let payload) = event.data else {
            Issue.record("not rotation.published")
            return
        }
        #expect(payload.slots.count == 140 && payload.slotCount == 400 && payload.slotsTruncated)
        #expect(event.concerns == [.supplier("sup_baojing"), .supplier("sup_huayuan")])  // every slot's supplier, also those cut
        let data = try JSONValue.parseObject(Data(event.payload))["data"]?.objectValue
        #expect(data?["slots"]?.array?.count == 140 && data?["slots_truncated"] == .bool(true))
    }
}
