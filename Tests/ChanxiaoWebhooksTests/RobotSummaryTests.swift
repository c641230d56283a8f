import ChanxiaoCore
import Foundation
import Testing

@testable import ChanxiaoWebhooks

/// Events built by the real builders of ChanxiaoCore, taken through their stored payload, as
/// the delivery worker sees them.
enum RobotEventFixtures {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let utc = TimeZone(identifier: "UTC")!
    static let now = at("2026-11-16T02:00:00Z")
    static let week47 = IsoWeek(year: 2026, week: 47)!

    static func at(_ text: String) -> Date { Timestamp.date(from: text)! }

    /// The display texts the events carry, so that a hostile variant can replace them all.
    struct Naming: Sendable {
        var buyer = "湖南省直机关食堂", supplier = "保靖县黄金茶合作社", county = "保靖县", otherCounty = "花垣县"
        var product = "黄金茶", otherProduct = "猕猴桃", venue = "长沙消费帮扶馆", host = "李佳", fair = "湖南农博会"
        var title = "湘西好物节", description = "采购群机器人", badSupplier = "某某商贸", reason = "虚报产地"
        var revoked = "产品认证已撤销"

        /// Every text followed by markup, line breaks and a Feishu mention of everyone.
        var hostile: Naming {
            let suffix = "\n**伪造标题**\r\n# 标题\u{2028}- [点我](https://evil.example) <at id=all></at> `x` | y | ~~z~~ \\*"
            var copy = self
            let fields: [WritableKeyPath<Naming, String>] = [
                \.buyer, \.supplier, \.county, \.otherCounty, \.product, \.otherProduct,
                \.venue, \.host, \.fair, \.title, \.description, \.badSupplier, \.reason, \.revoked,
            ]
            for field in fields { copy[keyPath: field] += suffix }
            return copy
        }

        var names: EventNames {
            var names = EventNames()
            names.buyers["buy_canteen"] = buyer
            names.suppliers["sup_baojing"] = supplier
            names.counties["433125"] = county
            names.counties["433124"] = otherCounty
            names.products["prd_tea"] = (product, "jin")
            names.products["prd_kiwi"] = (otherProduct, "kg")
            return names
        }
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
            decidedBy: decidedAt.map { _ in "tok_buy" }
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
            updatedAt: now
        )
    }

    static let rotation = Rotation(
        id: "rot_1",
        venueID: "ven_1",
        fromWeek: week47,
        weeks: 8,
        status: .published,
        cycleLength: 8,
        slots: (0..<8).map(slot),
        blackoutWeeks: [],
        unplaced: [],
        score: [],
        total: 0,
        bound: 0,
        request: .null,
        createdAt: now
    )

    static let livestream = Livestream(
        id: "liv_1",
        hostID: "hst_1",
        platform: .douyin,
        startsAt: at("2026-11-24T11:00:00Z"),
        endsAt: at("2026-11-24T13:00:00Z"),
        productIDs: ["prd_tea", "prd_kiwi"],
        title: "湘西好物节",
        rotationID: "rot_1",
        week: week47.adding(weeks: 1),
        createdAt: now,
        updatedAt: now
    )

    static let suppliersOfProducts = ["prd_tea": "sup_baojing", "prd_kiwi": "sup_huayuan"]

    /// One event of each kind (the reminder at two lead times), labelled for test names.
    static func events(_ naming: Naming = Naming(), names: EventNames? = nil) -> [(label: String, event: Event)] {
        let names = names ?? naming.names
        var session = livestream
        session.title = naming.title
        let application = FairApplication(
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
        var shrunk = application
        shrunk.booths = [12]
        // The planner's candidate for the withdrawn week 48 (花垣县·猕猴桃): the same week, another county and product.
        let candidate = FeaturedSlot(
            week: week47.adding(weeks: 1),
            countyCode: "433125",
            productID: "prd_tea",
            pinned: false,
            reasons: [],
            points: [],
            updatedAt: now
        )
        let bad = Supplier(
            id: "sup_bad",
            name: naming.badSupplier,
            countyCode: "433124",
            kind: .enterprise,
            blacklisted: true,
            blacklistReason: naming.reason,
            blacklistedOn: CalendarDate(year: 2026, month: 11, day: 20)
        )
        return [
            ("match.proposed", Event.match(.matchProposed, match(.proposed), names: names, at: now)),
            ("match.accepted", Event.match(.matchAccepted, match(.accepted, decidedAt: at("2026-11-18T02:30:00Z")), names: names, at: now)),
            ("match.declined", Event.match(.matchDeclined, match(.declined, decidedAt: at("2026-11-18T02:30:00Z")), names: names, at: now)),
            ("match.expired", Event.match(.matchExpired, match(.expired), names: names, at: now)),
            (
                "rotation.published",
                Event.rotationPublished(
                    rotation,
                    venueName: naming.venue,
                    names: names,
                    suppliers: suppliersOfProducts,
                    at: now
                )
            ),
            // A swap and a replacement, as the rotation editor records them.
            (
                "slot.changed",
                Event.slotChanged(
                    rotation: rotation,
                    venueName: naming.venue,
                    change: .swap(week47.adding(weeks: 2), week47.adding(weeks: 3)),
                    slots: [slot(2), slot(3)],
                    names: names,
                    suppliers: suppliersOfProducts,
                    at: now
                )
            ),
            (
                "slot.changed replace",
                Event.slotChanged(
                    rotation: rotation,
                    venueName: naming.venue,
                    change: .replace(
                        week: week47.adding(weeks: 2),
                        from: .init(countyCode: "433124", productID: "prd_kiwi"),
                        to: .init(countyCode: "433125", productID: "prd_tea")
                    ),
                    slots: [slot(2)],
                    names: names,
                    suppliers: suppliersOfProducts,
                    at: now
                )
            ),
            (
                "livestream.scheduled",
                Event.livestream(
                    .livestreamScheduled,
                    session,
                    hostName: naming.host,
                    names: names,
                    suppliers: suppliersOfProducts,
                    at: now
                )
            ),
            (
                "livestream.reminder 60",
                Event.livestream(
                    .livestreamReminder,
                    session,
                    hostName: naming.host,
                    names: names,
                    suppliers: suppliersOfProducts,
                    leadMinutes: 60,
                    at: session.startsAt.addingTimeInterval(-3600)
                )
            ),
            (
                "livestream.reminder 1440",
                Event.livestream(
                    .livestreamReminder,
                    session,
                    hostName: naming.host,
                    names: names,
                    suppliers: suppliersOfProducts,
                    leadMinutes: 1440,
                    at: session.startsAt.addingTimeInterval(-86400)
                )
            ),
            ("fair.booth_assigned", Event.boothAssigned(application, fairName: naming.fair, names: names, at: now)),
            ("supplier.blacklisted", Event.supplierBlacklisted(bad, countyName: naming.otherCounty, buyers: ["buy_canteen"], at: now)),
            (
                "endpoint.disabled",
                Event.endpointDisabled(
                    id: "whk_1",
                    url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY",
                    description: naming.description,
                    owner: nil,
                    reason: "连续失败 50 次",
                    failingSince: at("2026-11-15T01:00:00Z"),
                    at: now
                )
            ),
            // The report events with every member docs/webhooks.md lists (ChanxiaoReports builds them from its reports).
            ("quota.at_risk", Event(.quotaAtRisk(quota), timestamp: now, concerns: [.buyer("buy_1")])),
            ("product.slow_moving", Event(.productSlowMoving(slowMoving), timestamp: now, concerns: [.supplier("sup_1")])),
            ("report.weekly", Event(.reportWeekly(weekly), timestamp: now)),
            // Withdrawals and releases, after the others so that a burst's first kinds stay as they were.
            (
                "match.cancelled",
                Event.matchCancelled(match(.cancelled, decidedAt: at("2026-11-18T02:30:00Z")), reason: naming.reason, names: names, at: now)
            ),
            (
                "rotation.slot_withdrawn",
                Event.slotWithdrawn(
                    rotation: rotation,
                    venueName: naming.venue,
                    slot: slot(1),
                    reason: naming.revoked,
                    candidate: candidate,
                    names: names,
                    suppliers: suppliersOfProducts,
                    at: now
                )
            ),
            (
                "rotation.slot_withdrawn no candidate",
                Event.slotWithdrawn(
                    rotation: rotation,
                    venueName: naming.venue,
                    slot: slot(1),
                    reason: naming.revoked,
                    candidate: nil,
                    names: names,
                    suppliers: suppliersOfProducts,
                    at: now
                )
            ),
            (
                "livestream.cancelled",
                Event.livestreamCancelled(
                    session,
                    hostName: naming.host,
                    names: names,
                    suppliers: suppliersOfProducts,
                    reason: naming.revoked,
                    stillEligible: ["prd_kiwi"],
                    at: now
                )
            ),
            (
                "livestream.cancelled by organizer",
                Event.livestreamCancelled(
                    session,
                    hostName: naming.host,
                    names: names,
                    suppliers: suppliersOfProducts,
                    reason: nil,
                    stillEligible: [],
                    at: now
                )
            ),
            (
                "booth.released",
                Event.boothReleased(shrunk, released: [13], reason: naming.revoked, fairName: naming.fair, names: names, at: now)
            ),
        ]
    }

    static let quota = QuotaAtRiskPayload(
        buyerID: "buy_1",
        buyerName: "长沙市机关食堂",
        buyerKind: .canteen,
        network: nil,
        from: CalendarDate(year: 2026, month: 1, day: 1)!,
        to: CalendarDate(year: 2026, month: 11, day: 15)!,
        povertyAmountFen: 600_000,
        totalAmountFen: 5_000_000,
        share: 0.12,
        target: 0.3,
        gapFen: 1_234_500,
        targetSource: "kind",
        margin: 0.05,
        matches: [
            .init(
                amountFen: 250_000,
                countyCode: "433125",
                countyName: "保靖县",
                matchID: "mat_1",
                productID: "prd_tea",
                productName: "黄金茶",
                status: .proposed,
                supplierID: "sup_baojing",
                unit: "jin",
                unitPriceFen: 1250,
                week: week47.adding(weeks: 1),
                weeklyVolume: 200
            )
        ],
        matchesAmountFen: 250_000,
        matchesCloseGap: false
    )

    static let slowMoving = ProductSlowMovingPayload(
        productID: "prd_1",
        productName: "天等土鸡",
        category: .meatPoultryEgg,
        unit: .kg,
        supplierID: "sup_1",
        supplierName: "天等助农专业合作社",
        countyCode: "451425",
        countyName: "天等县",
        unitPriceFen: 4800,
        weeklyCapacity: 792,
        week: IsoWeek(year: 2020, week: 40)!,
        observedWeeks: 4,
        takenVolume: 156,
        thresholdVolume: 792,
        networks: ["hunan-alliance"]
    )

    static let weekly = ReportWeeklyPayload(
        week: IsoWeek(year: 2020, week: 39)!,
        from: CalendarDate(year: 2020, month: 9, day: 21)!,
        to: CalendarDate(year: 2020, month: 9, day: 27)!,
        totals: .init(
            matchedVolume: [:],
            acceptedVolume: [:],
            salesVolume: [.kg: 400],
            salesAmountFen: 100_000,
            povertyAmountFen: 40_000,
            livestreams: 0,
            newOutlets: 0
        ),
        counties: 1,
        featured: [],
        targetsAtRisk: 1,
        links: .init(
            csv: "/v1/reports/weekly?week=2020-W39&format=csv",
            json: "/v1/reports/weekly?week=2020-W39",
            markdown: "/v1/reports/weekly?week=2020-W39&format=markdown"
        )
    )

    static func robot(_ event: Event) -> RobotEvent {
        RobotEvent(payload: event.payload)!
    }

    /// `count` events cycling through every kind.
    static func burst(_ count: Int) -> [RobotEvent] {
        let all = events().map { robot($0.event) }
        return (0..<count).map { all[$0 % all.count] }
    }
}

@Suite("RobotEvent")
struct RobotEventTests {
    @Test("a stored payload parses back with its type, instant and data")
    func roundTrip() throws {
        for (label, event) in RobotEventFixtures.events() {
            let robot = try #require(RobotEvent(payload: event.payload), "\(label)")
            #expect(robot.type == event.type, "\(label)")
            #expect(robot.timestamp == event.timestamp, "\(label)")
            #expect(robot.data == .success(event.data), "\(label)")
        }
    }

    static let unreadable: [(String, String)] = [
        ("unknown type", #"{"type":"match.teleported","timestamp":"2026-11-16T02:00:00.000Z","data":{}}"#),
        ("no type", #"{"timestamp":"2026-11-16T02:00:00.000Z","data":{}}"#),
        ("bad timestamp", #"{"type":"match.proposed","timestamp":"yesterday","data":{}}"#),
        ("data not an object", #"{"type":"match.proposed","timestamp":"2026-11-16T02:00:00.000Z","data":[1]}"#),
        ("not an object", #"["match.proposed"]"#),
        ("not JSON", "match.proposed"),
        ("empty", ""),
    ]

    @Test("payloads that are not events of a known type give nil", arguments: unreadable)
    func unreadablePayloads(label: String, text: String) {
        #expect(RobotEvent(payload: Array(text.utf8)) == nil, "\(label)")
    }

    @Test("an event without data parses, its data unreadable")
    func missingData() throws {
        let robot = try #require(RobotEvent(payload: Array(#"{"type":"endpoint.disabled","timestamp":"2026-11-16T02:00:00Z"}"#.utf8)))
        #expect(robot.type == .endpointDisabled && robot.data == .failure(PayloadError(member: "endpoint_id", problem: "is missing")))
    }
}

@Suite("RobotSummary")
struct RobotSummaryTests {
    typealias F = RobotEventFixtures

    /// For each event: its title and the facts its summary must show, in Shanghai time.
    static let expectations: [String: (title: String, facts: [String], absent: [String])] = [
        "match.proposed": (
            "新的产销匹配建议",
            [
                "采购方：湖南省直机关食堂", "供应方：保靖县黄金茶合作社", "产品：黄金茶（保靖县）200 斤/周，单价 12.50元/斤",
                "第47周供货，请在 11月20日 18:00 前确认",
            ], []
        ),
        "match.accepted": ("产销匹配已确认", ["采购方：湖南省直机关食堂", "产品：黄金茶（保靖县）200 斤/周，单价 12.50元/斤", "第47周供货，11月18日 10:30 已确认"], []),
        "match.declined": ("产销匹配已拒绝", ["供应方：保靖县黄金茶合作社", "第47周供货，11月18日 10:30 已拒绝"], []),
        "match.expired": ("产销匹配已过期", ["采购方：湖南省直机关食堂", "第47周供货，未在 11月20日 18:00 前确认，已过期"], []),
        "rotation.published": (
            "一县一品轮展计划已发布",
            [
                "场馆：长沙消费帮扶馆", "时间：2026年第47周至2027年第1周（共8周）",
                "安排：第47周 保靖县·黄金茶；第48周 花垣县·猕猴桃；第49周 保靖县·黄金茶；…共8周",
            ], ["第50周"]
        ),
        "slot.changed": (
            "轮展安排有调整",
            [
                "场馆：长沙消费帮扶馆", "变更：第49周与第50周对调",
                "调整后：第49周 保靖县·黄金茶；第50周 花垣县·猕猴桃",
            ], ["…共", "原因"]
        ),
        "slot.changed replace": ("轮展安排有调整", ["场馆：长沙消费帮扶馆", "变更：第49周更换县或产品", "调整后：第49周 保靖县·黄金茶"], []),
        "livestream.scheduled": ("直播带货已排期", ["主题：湘西好物节", "主播：李佳（抖音）", "时间：11月24日 19:00–21:00", "产品：黄金茶、猕猴桃"], []),
        "livestream.reminder 60": ("直播提醒：1小时后开播", ["主播：李佳（抖音）", "时间：11月24日 19:00–21:00"], []),
        "livestream.reminder 1440": ("直播提醒：24小时后开播", ["主播：李佳（抖音）", "时间：11月24日 19:00–21:00"], []),
        "fair.booth_assigned": ("展会展位已分配", ["展会：湖南农博会", "申请方：保靖县黄金茶合作社（保靖县）", "展位：12、13号"], ["申请2个", "状态"]),
        "supplier.blacklisted": (
            "供应商已列入诚信黑名单",
            ["供应商：某某商贸（花垣县）", "原因：虚报产地", "自 2026年11月20日起不再参与匹配和排期"], []
        ),
        "endpoint.disabled": (
            "推送地址已停用", ["地址：采购群机器人（qyapi.weixin.qq.com）", "原因：连续失败 50 次", "自 11月15日 09:00 起推送失败"],
            ["SECRETKEY", "cgi-bin"]
        ),
        "quota.at_risk": (
            "扶贫产品采购占比未达目标",
            [
                "采购单位：长沙市机关食堂", "扶贫产品占比 12.0%，目标 30.0%", "还需采购扶贫产品 12345.00元",
                "可确认：黄金茶（保靖县）200 斤/周",
            ], []
        ),
        "product.slow_moving": (
            "滞销产品预警",
            [
                "产品：天等土鸡（天等县）", "供应方：天等助农专业合作社", "近4周销量 156kg，周产能 792kg",
                "请各中心协同销售（滞销共卖）",
            ], []
        ),
        "report.weekly": ("消费扶贫工作周报", ["周次：2020年第39周", "销售额 1000.00元，其中扶贫产品 400.00元", "未达目标单位 1 个"], []),
        "match.cancelled": (
            "产销匹配已取消",
            [
                "采购方：湖南省直机关食堂", "供应方：保靖县黄金茶合作社", "产品：黄金茶（保靖县）200 斤/周，单价 12.50元/斤",
                "第47周供货，已取消，原因：虚报产地",
            ], []
        ),
        "rotation.slot_withdrawn": (
            "轮展周次已撤下",
            ["场馆：长沙消费帮扶馆", "撤下：第48周 花垣县·猕猴桃", "原因：产品认证已撤销", "可替换为：第48周 保靖县·黄金茶"], ["…共"]
        ),
        "rotation.slot_withdrawn no candidate": (
            "轮展周次已撤下",
            ["场馆：长沙消费帮扶馆", "撤下：第48周 花垣县·猕猴桃", "原因：产品认证已撤销", "暂无可替换的县和产品，请另行安排"], ["可替换为："]
        ),
        "livestream.cancelled": (
            "直播带货已取消",
            ["场次：湘西好物节，11月24日 19:00–21:00", "主播：李佳（抖音）", "原因：产品认证已撤销", "仍可上播：猕猴桃"], ["黄金茶"]
        ),
        "livestream.cancelled by organizer": (
            "直播带货已取消", ["场次：湘西好物节，11月24日 19:00–21:00", "主播：李佳（抖音）", "由主办方取消"], ["原因", "仍可上播"]
        ),
        "booth.released": (
            "展会展位已释放",
            ["展会：湖南农博会", "申请方：保靖县黄金茶合作社（保靖县）", "释放：13号；仍持有：12号", "原因：产品认证已撤销"], ["状态", "申请2个"]
        ),
    ]

    @Test("the table covers every event type")
    func coversEveryType() {
        let covered = Set(F.events().map(\.event.type))
        #expect(covered == Set(EventType.allCases))
        #expect(Set(F.events().map(\.label)) == Set(Self.expectations.keys))
    }

    @Test(
        "each event type renders its title and key facts in Chinese, in one to four lines",
        arguments: F.events().map(\.label)
    )
    func summaries(label: String) throws {
        let event = try #require(F.events().first { $0.label == label }?.event)
        let expected = try #require(Self.expectations[label])
        let summary = RobotSummary.summary(F.robot(event), zone: F.shanghai)
        let lines = summary.markdown.components(separatedBy: "\n")
        #expect(summary.title == expected.title)
        #expect(lines.first == "**\(expected.title)**")
        #expect((2...5).contains(lines.count), "\(summary.markdown)")
        for fact in expected.facts {
            #expect(lines.contains(fact), "\(label): no line \"\(fact)\" in\n\(summary.markdown)")
        }
        for text in expected.absent {
            #expect(!summary.markdown.contains(text), "\(label): \"\(text)\" in\n\(summary.markdown)")
        }
    }

    @Test(
        "without names, ids are shown",
        arguments: [
            ("match.proposed", ["采购方：buy_canteen", "供应方：sup_baojing", "产品：prd_tea（433125）200/周，单价 12.50元"]),
            ("rotation.published", ["安排：第47周 433125·prd_tea；第48周 433124·prd_kiwi；第49周 433125·prd_tea；…共8周"]),
            ("livestream.scheduled", ["产品：prd_tea、prd_kiwi"]),
            ("fair.booth_assigned", ["申请方：sup_baojing（433125）"]),
            ("match.cancelled", ["采购方：buy_canteen", "供应方：sup_baojing", "第47周供货，已取消，原因：虚报产地"]),
            ("rotation.slot_withdrawn", ["撤下：第48周 433124·prd_kiwi", "可替换为：第48周 433125·prd_tea"]),
            ("livestream.cancelled", ["仍可上播：prd_kiwi"]),
            ("booth.released", ["申请方：sup_baojing（433125）", "释放：13号；仍持有：12号"]),
        ]
    )
    func idsWithoutNames(label: String, facts: [String]) throws {
        let event = try #require(F.events(names: EventNames()).first { $0.label == label }?.event)
        let lines = RobotSummary.summary(F.robot(event), zone: F.shanghai).markdown.components(separatedBy: "\n")
        for fact in facts { #expect(lines.contains(fact), "\(label): no line \"\(fact)\" in \(lines)") }
    }

    @Test("times follow the zone given")
    func zone() throws {
        let event = F.robot(F.events()[0].event)
        #expect(RobotSummary.summary(event, zone: F.shanghai).markdown.contains("请在 11月20日 18:00 前确认"))
        #expect(RobotSummary.summary(event, zone: F.utc).markdown.contains("请在 11月20日 10:00 前确认"))
    }

    @Test("hostile names neither add lines nor carry markup", arguments: F.events().map(\.label))
    func hostileNames(label: String) throws {
        let benign = try #require(F.events().first { $0.label == label }?.event)
        let hostile = try #require(F.events(Self.hostileNaming).first { $0.label == label }?.event)
        let plain = RobotSummary.summary(F.robot(benign), zone: F.shanghai).markdown
        let attacked = RobotSummary.summary(F.robot(hostile), zone: F.shanghai).markdown
        let lines = attacked.components(separatedBy: "\n")
        #expect(lines.count == plain.components(separatedBy: "\n").count, "\(attacked)")
        for marker in ["<", ">", "[", "]", "`", "~", "|", "\\", "\r", "\u{2028}"] {
            #expect(!attacked.contains(marker), "\(label): \(marker) in \(attacked)")
        }
        for line in lines.dropFirst() {
            #expect(!line.contains("**") && !line.hasPrefix("#") && !line.hasPrefix("-"), "\(label): \(line)")
        }
        // Each digest line stays one line too.
        let digestLine = RobotSummary.line(F.robot(hostile), zone: F.shanghai)
        #expect(!digestLine.contains("\n") && !digestLine.contains("<"))
    }

    static let hostileNaming = RobotEventFixtures.Naming().hostile

    @Test("a digest of one event is its summary")
    func digestOfOne() {
        let event = F.robot(F.events()[4].event)
        let digest = RobotSummary.digest([event], zone: F.shanghai)
        let summary = RobotSummary.summary(event, zone: F.shanghai)
        #expect(digest.title == summary.title && digest.markdown == summary.markdown)
    }

    @Test("a digest of several events has a heading, the counts by kind and one line per event in order")
    func digestOfFive() {
        let events = F.burst(5)
        let digest = RobotSummary.digest(events, zone: F.shanghai)
        let lines = digest.markdown.components(separatedBy: "\n")
        #expect(digest.title == "产销对接通知（5条）")
        #expect(
            lines == ["**产销对接通知（5条）**", "匹配建议 1条、匹配确认 1条、匹配拒绝 1条、匹配过期 1条、轮展发布 1条"]
                + events.map { "- " + RobotSummary.line($0, zone: F.shanghai) }
        )
        #expect(lines[2] == "- 匹配建议：黄金茶（保靖县）200 斤/周 → 湖南省直机关食堂，11月20日 18:00 前确认")
        #expect(lines[6] == "- 轮展发布：长沙消费帮扶馆，2026年第47周起共8周")
    }

    @Test("a digest of one kind has no counts line")
    func digestOfOneKind() {
        let event = F.robot(F.events()[0].event)
        let lines = RobotSummary.digest([event, event, event], zone: F.shanghai).markdown.components(separatedBy: "\n")
        #expect(lines.count == 4 && lines[0] == "**产销对接通知（3条）**" && lines[1].hasPrefix("- 匹配建议："))
    }

    @Test("a digest of nothing still reads")
    func digestOfNothing() {
        let digest = RobotSummary.digest([], zone: F.shanghai)
        #expect(digest.title == "产销对接通知" && digest.markdown == "**产销对接通知**\n暂无新通知")
    }

    @Test("every kind has a digest line", arguments: F.events().map(\.label))
    func digestLines(label: String) throws {
        let event = try #require(F.events().first { $0.label == label }?.event)
        let line = RobotSummary.line(F.robot(event), zone: F.shanghai)
        let expected: [String: String] = [
            "match.accepted": "匹配确认：黄金茶（保靖县）200 斤/周 → 湖南省直机关食堂",
            "slot.changed": "轮展调整：长沙消费帮扶馆，第49周与第50周对调，第49周 保靖县·黄金茶；第50周 花垣县·猕猴桃",
            "livestream.scheduled": "直播排期：11月24日 19:00，主播李佳（抖音）",
            "livestream.reminder 60": "直播提醒：1小时后开播，11月24日 19:00，主播李佳（抖音）",
            "fair.booth_assigned": "展位分配：湖南农博会，保靖县黄金茶合作社（保靖县），12、13号",
            "supplier.blacklisted": "黑名单：某某商贸（花垣县）",
            "endpoint.disabled": "推送停用：采购群机器人（qyapi.weixin.qq.com）",
            "quota.at_risk": "占比预警：长沙市机关食堂，占比 12.0%，目标 30.0%",
            "product.slow_moving": "滞销预警：天等土鸡（天等县）",
            "report.weekly": "周报：2020年第39周",
            "match.cancelled": "匹配取消：黄金茶（保靖县）200 斤/周 → 湖南省直机关食堂，原因：虚报产地",
            "rotation.slot_withdrawn": "轮展撤下：长沙消费帮扶馆，第48周 花垣县·猕猴桃，原因：产品认证已撤销，可替换为第48周 保靖县·黄金茶",
            "rotation.slot_withdrawn no candidate": "轮展撤下：长沙消费帮扶馆，第48周 花垣县·猕猴桃，原因：产品认证已撤销",
            "livestream.cancelled": "直播取消：11月24日 19:00，主播李佳（抖音），原因：产品认证已撤销，1款产品仍可上播",
            "livestream.cancelled by organizer": "直播取消：11月24日 19:00，主播李佳（抖音）",
            "booth.released": "展位释放：湖南农博会，保靖县黄金茶合作社（保靖县），释放13号，原因：产品认证已撤销",
        ]
        if let text = expected[label] { #expect(line == text) }
        #expect(!line.isEmpty && !line.contains("\n") && line.count < 120, "\(line)")
    }
}

@Suite("RobotText")
struct RobotTextTests {
    @Test(
        "money from fen",
        arguments: [(1250, "12.50元"), (5, "0.05元"), (100, "1.00元"), (0, "0.00元"), (-1250, "-12.50元"), (123_456_789, "1234567.89元")]
    )
    func yuan(fen: Int, text: String) {
        #expect(RobotText.yuan(fen: fen) == text)
    }

    @Test("lead times", arguments: [(60, "1小时后开播"), (1440, "24小时后开播"), (30, "30分钟后开播"), (90, "1小时30分钟后开播"), (0, "即将开播")])
    func lead(minutes: Int, text: String) {
        #expect(RobotText.lead(minutes: minutes) == text)
    }

    @Test("units", arguments: [("kg", "kg"), ("jin", "斤"), ("box", "箱"), ("piece", "件"), ("斤", "斤"), ("<b>", "＜b＞")])
    func unit(raw: String, text: String) {
        #expect(RobotText.unit(raw) == text)
        #expect(RobotText.volume(200, unit: RobotText.unit(raw)) == "200 \(text)/周")
    }

    @Test(
        "week ranges",
        arguments: [
            (47, 6, "2026年第47周至第52周（共6周）"),
            (47, 8, "2026年第47周至2027年第1周（共8周）"),  // 2026 has 53 weeks
            (47, 1, "2026年第47周（共1周）"),
        ]
    )
    func weeks(first: Int, count: Int, text: String) {
        #expect(RobotText.weeks(from: IsoWeek(year: 2026, week: first)!, count: count) == text)
    }

    @Test(
        "time spans in Shanghai",
        arguments: [
            ("2026-11-24T11:00:00Z", "2026-11-24T13:00:00Z", "11月24日 19:00–21:00"),
            ("2026-11-24T15:00:00Z", "2026-11-24T17:30:00Z", "11月24日 23:00 至 11月25日 01:30"),
            ("2026-01-04T23:05:00Z", "2026-01-04T23:05:00Z", "1月5日 07:05"),
        ]
    )
    func spans(start: String, end: String, text: String) {
        #expect(RobotText.span(RobotEventFixtures.at(start), RobotEventFixtures.at(end), zone: RobotEventFixtures.shanghai) == text)
    }

    @Test(
        "user text is neutralised minimally",
        arguments: [
            ("保靖县黄金茶合作社", "保靖县黄金茶合作社"),
            ("buyer_01", "buyer_01"),
            ("A\nB\r\nC\u{2028}D\tE", "A B C D E"),
            ("  前后空白  ", "前后空白"),
            ("**粗体** `代码` [链接](x) <at id=all></at>", "＊＊粗体＊＊ ｀代码｀ ［链接］(x) ＜at id=all＞＜/at＞"),
            ("a|b~c\\d&e", "a｜b～c＼d＆e"),
            ("\u{202E}abc", "abc"),
            (String(repeating: "长", count: 50), String(repeating: "长", count: 39) + "…"),
        ]
    )
    func plain(text: String, expected: String) {
        #expect(RobotText.plain(text) == expected)
    }
}
