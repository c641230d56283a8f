import ChanxiaoCore
import Foundation

/// Typed `data` of every event type, built directly: once with every member that may be null
/// set, and once with none of them (labelled "bare").
enum EventPayloadFixtures {
    static func at(_ text: String) -> Date {
        guard let date = Timestamp.date(from: text) else { fatalError("bad test time \(text)") }
        return date
    }

    static func week(_ text: String) -> IsoWeek {
        guard let week = IsoWeek(text) else { fatalError("bad test week \(text)") }
        return week
    }

    static let now = at("2026-11-16T02:00:00.125Z")

    static func match(_ status: MatchStatus, decidedAt: Date?, names: Bool) -> MatchPayload {
        MatchPayload(
            matchID: "mat_1",
            week: week("2026-W47"),
            status: status,
            buyerID: "buy_canteen",
            buyerName: names ? "湖南省直机关食堂" : nil,
            demandID: "dem_1",
            productID: "prd_tea",
            productName: names ? "黄金茶" : nil,
            unit: names ? "jin" : nil,
            supplierID: "sup_baojing",
            supplierName: names ? "保靖县黄金茶合作社" : nil,
            countyCode: "433125",
            countyName: names ? "保靖县" : nil,
            weeklyVolume: 200,
            unitPriceFen: 1250,
            proposedAt: now,
            expiresAt: at("2026-11-20T10:00:00.000Z"),
            decidedAt: decidedAt
        )
    }

    static let slots = [
        EventSlot(week: week("2026-W47"), countyCode: "433125", countyName: "保靖县", productID: "prd_tea", productName: "黄金茶", sequence: 0),
        EventSlot(week: week("2026-W48"), countyCode: "433124", countyName: nil, productID: "prd_kiwi", productName: nil, sequence: 2),
    ]

    static func session(named: Bool) -> LivestreamPayload {
        LivestreamPayload(
            livestreamID: "liv_1",
            hostID: "hst_1",
            hostName: named ? "李佳" : nil,
            platform: .douyin,
            title: named ? "湘西好物节" : nil,
            startsAt: at("2026-11-24T11:00:00.000Z"),
            endsAt: at("2026-11-24T13:00:00.000Z"),
            products: [.init(productID: "prd_tea", productName: named ? "黄金茶" : nil, supplierID: named ? "sup_baojing" : nil)],
            rotationID: named ? "rot_1" : nil,
            week: named ? week("2026-W48") : nil
        )
    }

    static func quota(named: Bool) -> QuotaAtRiskPayload {
        let line = QuotaAtRiskPayload.MatchLine(
            amountFen: 250_000,
            countyCode: "433125",
            countyName: named ? "保靖县" : nil,
            matchID: "mat_1",
            productID: "prd_tea",
            productName: named ? "黄金茶" : nil,
            status: .proposed,
            supplierID: "sup_baojing",
            unit: named ? "jin" : nil,
            unitPriceFen: 1250,
            week: week("2026-W48"),
            weeklyVolume: 200
        )
        return QuotaAtRiskPayload(
            buyerID: "buy_1",
            buyerName: "长沙市机关食堂",
            buyerKind: .canteen,
            network: named ? "hunan-alliance" : nil,
            from: CalendarDate(year: 2026, month: 1, day: 1) ?? CalendarDate(daysSinceEpoch: 0),
            to: CalendarDate(year: 2026, month: 11, day: 15) ?? CalendarDate(daysSinceEpoch: 0),
            povertyAmountFen: 1_843_200,
            totalAmountFen: 15_360_000,
            share: named ? 0.12 : nil,
            target: 0.3,
            gapFen: named ? 1_234_500 : nil,
            targetSource: "kind",
            margin: 0.05,
            matches: named ? [line, line] : [],
            matchesAmountFen: named ? 500_000 : 0,
            matchesCloseGap: false
        )
    }

    static func slowMoving(named: Bool) -> ProductSlowMovingPayload {
        ProductSlowMovingPayload(
            productID: "prd_1",
            productName: "天等土鸡",
            category: .meatPoultryEgg,
            unit: .kg,
            supplierID: "sup_1",
            supplierName: named ? "天等助农专业合作社" : nil,
            countyCode: "451425",
            countyName: named ? "天等县" : nil,
            unitPriceFen: 4800,
            weeklyCapacity: 792,
            week: week("2020-W40"),
            observedWeeks: 4,
            takenVolume: 156,
            thresholdVolume: 792,
            networks: named ? ["hunan-alliance", "shenzhen-1+10"] : []
        )
    }

    static let weekly = ReportWeeklyPayload(
        week: week("2020-W39"),
        from: week("2020-W39").monday,
        to: week("2020-W39").sunday,
        totals: .init(
            matchedVolume: [.kg: 21_300, .box: 300],
            acceptedVolume: [.kg: 18_400],
            salesVolume: [:],
            salesAmountFen: 100_000,
            povertyAmountFen: 40_000,
            livestreams: 2,
            newOutlets: 0
        ),
        counties: 41,
        featured: [.init(countyName: "桑植县", productName: "桑植农家米酒", venueName: "湖南省消费扶贫示范中心")],
        targetsAtRisk: 1,
        links: .init(
            csv: "/v1/reports/weekly?week=2020-W39&format=csv",
            json: "/v1/reports/weekly?week=2020-W39",
            markdown: "/v1/reports/weekly?week=2020-W39&format=markdown"
        )
    )

    static let all: [(label: String, data: EventData)] = [
        ("match.proposed", .matchProposed(match(.proposed, decidedAt: nil, names: true))),
        ("match.proposed bare", .matchProposed(match(.proposed, decidedAt: nil, names: false))),
        ("match.accepted", .matchAccepted(match(.accepted, decidedAt: at("2026-11-18T02:30:00.007Z"), names: true))),
        ("match.declined", .matchDeclined(match(.declined, decidedAt: now, names: true))),
        ("match.expired", .matchExpired(match(.expired, decidedAt: now, names: false))),
        (
            "match.cancelled",
            .matchCancelled(MatchCancelledPayload(match: match(.cancelled, decidedAt: now, names: true), reason: "供应商已列入诚信黑名单"))
        ),
        ("match.cancelled bare", .matchCancelled(MatchCancelledPayload(match: match(.cancelled, decidedAt: nil, names: false), reason: ""))),
        (
            "rotation.published",
            .rotationPublished(
                RotationPublishedPayload(
                    rotationID: "rot_1",
                    venueID: "ven_1",
                    venueName: "长沙消费帮扶馆",
                    fromWeek: week("2026-W47"),
                    weeks: 8,
                    slotCount: 8,
                    slots: slots,
                    slotsTruncated: true
                )
            )
        ),
        (
            "rotation.published bare",
            .rotationPublished(
                RotationPublishedPayload(
                    rotationID: "rot_1",
                    venueID: "ven_1",
                    venueName: nil,
                    fromWeek: week("2026-W47"),
                    weeks: 0,
                    slotCount: 0,
                    slots: [],
                    slotsTruncated: false
                )
            )
        ),
        (
            "slot.changed swap",
            .slotChanged(
                SlotChangedPayload(
                    rotationID: "rot_1",
                    venueID: "ven_1",
                    venueName: "长沙消费帮扶馆",
                    change: .swap(week("2026-W49"), week("2026-W50")),
                    slots: slots,
                    slotsTruncated: false
                )
            )
        ),
        (
            "slot.changed replace bare",
            .slotChanged(
                SlotChangedPayload(
                    rotationID: "rot_1",
                    venueID: "ven_1",
                    venueName: nil,
                    change: .replace(
                        week: week("2026-W49"),
                        from: .init(countyCode: "433124", productID: "prd_kiwi"),
                        to: .init(countyCode: "433125", productID: "prd_tea")
                    ),
                    slots: [],
                    slotsTruncated: false
                )
            )
        ),
        (
            "rotation.slot_withdrawn",
            .slotWithdrawn(
                SlotWithdrawnPayload(
                    rotationID: "rot_1",
                    venueID: "ven_1",
                    venueName: "长沙消费帮扶馆",
                    slot: slots[1],
                    reason: "产品认证已撤销",
                    candidate: EventSlot(
                        week: week("2026-W48"),
                        countyCode: "433125",
                        countyName: "保靖县",
                        productID: "prd_tea",
                        productName: "黄金茶",
                        sequence: 0
                    )
                )
            )
        ),
        (
            "rotation.slot_withdrawn bare",
            .slotWithdrawn(
                SlotWithdrawnPayload(rotationID: "rot_1", venueID: "ven_1", venueName: nil, slot: slots[1], reason: "产品认证已撤销", candidate: nil)
            )
        ),
        ("livestream.scheduled", .livestreamScheduled(session(named: true))),
        ("livestream.scheduled bare", .livestreamScheduled(session(named: false))),
        (
            "livestream.reminder",
            .livestreamReminder(LivestreamReminderPayload(livestream: session(named: true), leadMinutes: 60, startsInMinutes: 55))
        ),
        (
            "livestream.cancelled",
            .livestreamCancelled(
                LivestreamCancelledPayload(livestream: session(named: true), reason: "产品认证已撤销", stillEligibleProductIDs: ["prd_kiwi", "prd_rice"])
            )
        ),
        (
            "livestream.cancelled bare",
            .livestreamCancelled(LivestreamCancelledPayload(livestream: session(named: false), reason: nil, stillEligibleProductIDs: []))
        ),
        (
            "fair.booth_assigned",
            .fairBoothAssigned(
                BoothAssignedPayload(
                    fairID: "fair_1",
                    fairName: "湖南农博会",
                    applicationID: "app_1",
                    applicantKind: .supplier,
                    supplierID: "sup_baojing",
                    supplierName: "保靖县黄金茶合作社",
                    countyCode: "433125",
                    countyName: "保靖县",
                    booths: [12, 13],
                    boothsRequested: 2,
                    status: .allocated
                )
            )
        ),
        (
            "fair.booth_assigned bare",
            .fairBoothAssigned(
                BoothAssignedPayload(
                    fairID: "fair_1",
                    fairName: nil,
                    applicationID: "app_2",
                    applicantKind: .county,
                    supplierID: nil,
                    supplierName: nil,
                    countyCode: "433124",
                    countyName: nil,
                    booths: [],
                    boothsRequested: 2,
                    status: .waitlisted
                )
            )
        ),
        (
            "booth.released",
            .boothReleased(
                BoothReleasedPayload(
                    fairID: "fair_1",
                    fairName: "湖南农博会",
                    applicationID: "app_1",
                    applicantKind: .supplier,
                    supplierID: "sup_baojing",
                    supplierName: "保靖县黄金茶合作社",
                    countyCode: "433125",
                    countyName: "保靖县",
                    releasedBooths: [13],
                    booths: [12],
                    status: .allocated,
                    reason: "参展产品认证已撤销"
                )
            )
        ),
        (
            "booth.released bare",
            .boothReleased(
                BoothReleasedPayload(
                    fairID: "fair_1",
                    fairName: nil,
                    applicationID: "app_2",
                    applicantKind: .county,
                    supplierID: nil,
                    supplierName: nil,
                    countyCode: "433124",
                    countyName: nil,
                    releasedBooths: [3, 4],
                    booths: [],
                    status: .withdrawn,
                    reason: "released by the organizer"
                )
            )
        ),
        (
            "supplier.blacklisted",
            .supplierBlacklisted(
                SupplierBlacklistedPayload(
                    supplierID: "sup_bad",
                    supplierName: "某某商贸",
                    countyCode: "433124",
                    countyName: "花垣县",
                    reason: "虚报产地",
                    blacklistedOn: CalendarDate(year: 2026, month: 11, day: 20)
                )
            )
        ),
        (
            "supplier.blacklisted bare",
            .supplierBlacklisted(
                SupplierBlacklistedPayload(
                    supplierID: "sup_bad",
                    supplierName: "某某商贸",
                    countyCode: "433124",
                    countyName: nil,
                    reason: nil,
                    blacklistedOn: nil
                )
            )
        ),
        (
            "endpoint.disabled",
            .endpointDisabled(
                EndpointDisabledPayload(
                    endpointID: "whk_1",
                    url: "https://qyapi.weixin.qq.com",
                    description: "采购群机器人",
                    owner: .supplier("sup_baojing"),
                    reason: "连续失败 50 次",
                    failingSince: at("2026-11-15T01:00:00.000Z"),
                    disabledAt: now
                )
            )
        ),
        (
            "endpoint.disabled bare",
            .endpointDisabled(
                EndpointDisabledPayload(
                    endpointID: "whk_2",
                    url: "",
                    description: "",
                    owner: nil,
                    reason: "the endpoint answered 410 Gone",
                    failingSince: nil,
                    disabledAt: now
                )
            )
        ),
        ("quota.at_risk", .quotaAtRisk(quota(named: true))),
        ("quota.at_risk bare", .quotaAtRisk(quota(named: false))),
        ("product.slow_moving", .productSlowMoving(slowMoving(named: true))),
        ("product.slow_moving bare", .productSlowMoving(slowMoving(named: false))),
        ("report.weekly", .reportWeekly(weekly)),
    ]

    static func data(_ label: String) -> EventData {
        guard let data = all.first(where: { $0.label == label })?.data else { fatalError("no fixture \(label)") }
        return data
    }

    /// The stored `data` object of a fixture.
    static func members(_ label: String) -> [String: JSONValue] {
        Dictionary(data(label).members.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
