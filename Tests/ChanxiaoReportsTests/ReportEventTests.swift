import ChanxiaoCore
import ChanxiaoReports
import Foundation
import Testing

/// The report events built from the report types, as the weekly job builds them.
enum ReportEventRecords {
    static let now = Timestamp.date(from: "2020-09-29T01:00:00.412Z") ?? Date(timeIntervalSince1970: 0)
    static let week40 = IsoWeek(year: 2020, week: 40)!

    static func match(_ id: String, product: String, county: String, volume: Int, price: Int, status: MatchStatus, cost: Int) -> Match {
        Match(
            id: id,
            runID: "run_1",
            week: week40,
            demandID: "dem_1",
            buyerID: "buy-sz-education",
            productID: product,
            supplierID: "sup-" + county,
            countyCode: county,
            volume: volume,
            unitPriceFen: price,
            unitCost: cost,
            costBreakdown: [],
            status: status,
            proposedAt: now,
            expiresAt: now.addingTimeInterval(86_400)
        )
    }

    static var alert: QuotaAlert {
        alert(candidates: [
            match("mat_b", product: "prd-451027-1", county: "451027", volume: 90, price: 19_800, status: .accepted, cost: 2),
            match("mat_a", product: "prd-451028-1", county: "451028", volume: 600, price: 1600, status: .proposed, cost: 1),
        ])
    }

    // Small known figures: neither can be refused.
    static func alert(candidates: [Match]) -> QuotaAlert {
        let buyer = Buyer(id: "buy-sz-education", name: "深圳市教育局", kind: .budgetUnit, regionCode: "440300")
        let figures = try! ShareFigures(povertyAmountFen: 1_843_200, totalAmountFen: 15_360_000, target: 0.3)
        return try! QuotaAlert(
            buyer: buyer,
            from: CalendarDate(year: 2020, month: 1, day: 1)!,
            to: CalendarDate(year: 2020, month: 9, day: 27)!,
            figures: figures,
            target: ShareTargetPolicy(kindDefaults: [.budgetUnit: 0.3]).target(for: buyer),
            settings: ReportSettings(),
            candidates: candidates
        )
    }

    static var names: EventNames {
        var names = EventNames()
        names.counties["451028"] = "乐业县"
        names.products["prd-451028-1"] = ("乐业猕猴桃", "kg")
        return names
    }

    static let product = Product(
        id: "prd-451028-1",
        supplierID: "sup-451028-a",
        countyCode: "451028",
        name: "乐业猕猴桃",
        category: .fruit,
        unit: .kg,
        unitPriceFen: 1600,
        weeklyCapacity: 5400
    )

    static var slowMoving: SlowMovingProduct {
        SlowMovingProduct(product: product, week: week40, observedWeeks: 4, takenVolume: 1080, thresholdVolume: 5400)
    }

    static var report: WeeklyReport {
        var figures = WeeklyFigures()
        figures.matched = Volumes([.kg: 21_300, .box: 300])
        figures.accepted = Volumes([.kg: 18_400, .box: 260])
        figures.sold = Volumes([.kg: 40_210])
        figures.salesAmountFen = 131_876_500
        figures.povertyAmountFen = 98_213_400
        let week = IsoWeek(year: 2020, week: 39)!
        return try! WeeklyReport(
            week: week,
            targetFrom: CalendarDate(year: 2020, month: 1, day: 1)!,
            counties: [.init(code: "430822", name: "桑植县", city: nil, figures: figures)],
            networks: [.init(network: "hunan-alliance", buyers: 3, figures: figures, buyersAtRisk: 1)],
            featured: [
                .init(
                    venueID: "ven-hunan-center",
                    venueName: "湖南省消费扶贫示范中心",
                    countyCode: "430822",
                    countyName: "桑植县",
                    productID: "prd-430822-2",
                    productName: "桑植农家米酒"
                )
            ],
            livestreams: [],
            newOutlets: [],
            atRisk: [
                .init(
                    buyerID: "buy-sz-education",
                    buyerName: "深圳市教育局",
                    network: nil,
                    figures: try! ShareFigures(povertyAmountFen: 1, totalAmountFen: 10, target: 0.3)
                )
            ],
            atRiskMargin: 0.05
        )
    }

    static var events: [(label: String, event: Event)] {
        let lonely = alert(candidates: [])
        return [
            ("quota.at_risk", .quotaAtRisk(alert, names: names, at: now)),
            ("quota.at_risk unnamed, no matches", .quotaAtRisk(lonely, names: EventNames(), at: now)),
            (
                "product.slow_moving",
                .productSlowMoving(
                    slowMoving,
                    supplierName: "乐业助农专业合作社",
                    countyName: "乐业县",
                    networks: ["hunan-alliance", "shenzhen-1+10"],
                    buyers: ["buy-1"],
                    at: now
                )
            ),
            ("product.slow_moving unnamed", .productSlowMoving(slowMoving, supplierName: nil, countyName: nil, networks: [], buyers: [], at: now)),
            ("report.weekly", .reportWeekly(report, at: now)),
        ]
    }
}

@Suite("Report events")
struct ReportEventTests {
    /// The bytes each constructor wrote before the payloads were typed (see EventBytesTests).
    static let expected: [(label: String, payload: String)] = [
        (
            "quota.at_risk",
            #"{"type":"quota.at_risk","timestamp":"2020-09-29T01:00:00.412Z","data":{"buyer_id":"buy-sz-education","buyer_name":"深圳市教育局","buyer_kind":"budget_unit","network":null,"from":"2020-01-01","to":"2020-09-27","poverty_amount_fen":1843200,"total_amount_fen":15360000,"share":0.12,"target":0.3,"gap_fen":3949715,"target_source":"kind","margin":0.05,"matches":[{"amount_fen":960000,"county_code":"451028","county_name":"乐业县","match_id":"mat_a","product_id":"prd-451028-1","product_name":"乐业猕猴桃","status":"proposed","supplier_id":"sup-451028","unit":"kg","unit_price_fen":1600,"week":"2020-W40","weekly_volume":600},{"amount_fen":1782000,"county_code":"451027","county_name":null,"match_id":"mat_b","product_id":"prd-451027-1","product_name":null,"status":"accepted","supplier_id":"sup-451027","unit":null,"unit_price_fen":19800,"week":"2020-W40","weekly_volume":90}],"matches_amount_fen":2742000,"matches_close_gap":false}}"#
        ),
        (
            "quota.at_risk unnamed, no matches",
            #"{"type":"quota.at_risk","timestamp":"2020-09-29T01:00:00.412Z","data":{"buyer_id":"buy-sz-education","buyer_name":"深圳市教育局","buyer_kind":"budget_unit","network":null,"from":"2020-01-01","to":"2020-09-27","poverty_amount_fen":1843200,"total_amount_fen":15360000,"share":0.12,"target":0.3,"gap_fen":3949715,"target_source":"kind","margin":0.05,"matches":[],"matches_amount_fen":0,"matches_close_gap":false}}"#
        ),
        (
            "product.slow_moving",
            #"{"type":"product.slow_moving","timestamp":"2020-09-29T01:00:00.412Z","data":{"product_id":"prd-451028-1","product_name":"乐业猕猴桃","category":"fruit","unit":"kg","supplier_id":"sup-451028-a","supplier_name":"乐业助农专业合作社","county_code":"451028","county_name":"乐业县","unit_price_fen":1600,"weekly_capacity":5400,"week":"2020-W40","observed_weeks":4,"taken_volume":1080,"threshold_volume":5400,"networks":["hunan-alliance","shenzhen-1+10"]}}"#
        ),
        (
            "product.slow_moving unnamed",
            #"{"type":"product.slow_moving","timestamp":"2020-09-29T01:00:00.412Z","data":{"product_id":"prd-451028-1","product_name":"乐业猕猴桃","category":"fruit","unit":"kg","supplier_id":"sup-451028-a","supplier_name":null,"county_code":"451028","county_name":null,"unit_price_fen":1600,"weekly_capacity":5400,"week":"2020-W40","observed_weeks":4,"taken_volume":1080,"threshold_volume":5400,"networks":[]}}"#
        ),
        (
            "report.weekly",
            #"{"type":"report.weekly","timestamp":"2020-09-29T01:00:00.412Z","data":{"week":"2020-W39","from":"2020-09-21","to":"2020-09-27","totals":{"accepted_volume":{"box":260,"kg":18400},"livestreams":0,"matched_volume":{"box":300,"kg":21300},"new_outlets":0,"poverty_amount_fen":98213400,"sales_amount_fen":131876500,"sales_volume":{"kg":40210}},"counties":1,"featured":[{"county_name":"桑植县","product_name":"桑植农家米酒","venue_name":"湖南省消费扶贫示范中心"}],"targets_at_risk":1,"links":{"csv":"/v1/reports/weekly?week=2020-W39&format=csv","json":"/v1/reports/weekly?week=2020-W39","markdown":"/v1/reports/weekly?week=2020-W39&format=markdown"},"region":null}}"#
        ),
    ]

    @Test("each report event's payload is written byte for byte as before", arguments: expected)
    func bytes(label: String, payload: String) throws {
        let event = try #require(ReportEventRecords.events.first { $0.label == label }?.event)
        #expect(String(decoding: event.payload, as: UTF8.self) == payload)
    }

    @Test("the table covers every constructed event")
    func coversEveryEvent() {
        #expect(ReportEventRecords.events.map(\.label) == Self.expected.map(\.label))
    }

    @Test("each report event reads back as the payload it was built from", arguments: ReportEventRecords.events.map(\.label))
    func readsBack(label: String) throws {
        let event = try #require(ReportEventRecords.events.first { $0.label == label }?.event)
        let stored = try #require(try JSONValue.parseObject(Data(event.payload))["data"]?.objectValue)
        #expect(try EventData(type: event.type, data: stored) == event.data)
    }

    @Test("matches_amount_fen sums the named matches")
    func matchesAmount() {
        let alert = ReportEventRecords.alert
        #expect(alert.matchesAmountFen == 960_000 + 1_782_000)
        #expect(ReportEventRecords.alert(candidates: []).matchesAmountFen == 0)
    }
}
