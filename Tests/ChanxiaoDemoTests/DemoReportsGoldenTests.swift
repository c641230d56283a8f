import ChanxiaoCore
import ChanxiaoDemo
import ChanxiaoReports
import ChanxiaoStore
import Foundation
import Testing

/// The reports of the demo data, compared with files under Golden/. After a deliberate change,
/// regenerate them with `CHANXIAO_UPDATE_GOLDEN=1 swift test --filter DemoReportsGoldenTests`
/// and review the diff.
@Suite struct DemoReportsGoldenTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let settings = WeeklyRunSettings(
        reports: ReportSettings(),
        policy: ShareTargetPolicy(kindDefaults: BuyerKind.seedShareTargets),
        slowMoving: SlowMovingRule(weeks: 4, belowShare: 0.25),
        zone: zone
    )

    /// The demo catalog and its September records, with the weekly job of 2020-W40 run.
    static func demoDatabase() async throws -> (AppDatabase, WeeklyRunSummary?) {
        let database = try AppDatabase.inMemory()
        let catalog = DemoCatalog.make()
        let reports = DemoReports.make(catalog: catalog)
        let now = Date(timeIntervalSince1970: 1_601_254_800)  // 2020-09-28 09:00 +08:00
        let context = WriteContext(actor: "cli:test", role: .admin, now: now)
        try await database.seedCatalog(
            counties: catalog.counties,
            suppliers: catalog.suppliers,
            products: catalog.products,
            buyers: catalog.buyers,
            demands: catalog.demands,
            sales: reports.sales,
            outlets: reports.outlets,
            events: reports.events,
            marker: "demo",
            context: context
        )
        let summary = try await database.runWeekly(DemoReports.checkWeek, settings: settings, trigger: "test", context: context)
        return (database, summary)
    }

    func compare(_ text: String, golden name: String) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["CHANXIAO_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        // Bytes, not text: reading text would drop the byte-order mark the county table must have.
        let expected = try Data(contentsOf: url)
        #expect(Data(text.utf8) == expected, "\(name) differs from the golden file; regenerate with CHANXIAO_UPDATE_GOLDEN=1 if the change is meant")
    }

    @Test func theWeeklyJobFindsTheLaggingBuyerAndTheSlowProducts() async throws {
        let (database, summary) = try await Self.demoDatabase()
        #expect(summary?.buyersAtRisk == 1)
        #expect(summary?.newlySlowMoving == DemoReports.slowProductCount)
        let share = try #require(
            try await database.buyerShare(
                buyerID: DemoReports.laggingBuyer,
                from: CalendarDate("2020-01-01")!,
                to: CalendarDate("2020-09-27")!,
                policy: Self.settings.policy
            )
        )
        #expect(share.figures.isAtRisk(margin: 0.05))
        #expect(abs((share.figures.share ?? 1) - 0.12) < 0.01)
        // The flags are matching's: the same products, from the same query.
        let flagged = try await database.slowMovingFlags().map(\.item.product.id)
        #expect(flagged.count == DemoReports.slowProductCount)
        #expect(flagged.allSatisfy { $0.hasPrefix("prd-45") })
        #expect(try await database.hasWeeklyRun(DemoReports.checkWeek))
        let again = try await database.runWeekly(
            DemoReports.checkWeek,
            settings: Self.settings,
            trigger: "test",
            context: WriteContext(actor: "cli:test", role: .admin, now: Date())
        )
        #expect(again == nil, "the weekly job runs once per week")
    }

    @Test func weeklyReportMatchesTheGoldenFiles() async throws {
        let (database, _) = try await Self.demoDatabase()
        let report = try await database.weeklyReport(
            IsoWeek(year: 2020, week: 39)!,
            policy: Self.settings.policy,
            settings: Self.settings.reports,
            zone: Self.zone
        )
        try compare(report.markdown(zone: Self.zone), golden: "weekly-2020-W39.md")
        try compare(report.csv, golden: "weekly-2020-W39.csv")
        try compare(String(decoding: JSONWriter.encode(report.json), as: UTF8.self), golden: "weekly-2020-W39.json")
    }

    @Test func countyTableMatchesTheGoldenFileAndItsTotalsAddUp() async throws {
        let (database, _) = try await Self.demoDatabase()
        let table = try await database.countyTable(from: CalendarDate("2020-09-01")!, to: CalendarDate("2020-09-30")!, region: nil)
        try compare(table.csv, golden: "counties-2020-09.csv")
        let parsed = try CSVTable.parse(Array(table.csv.utf8.dropFirst(3)))
        let rows = parsed.records.map { record in CountyTable.header.map { record.cells[$0] ?? "" } }
        // One row per county, one 小计 per city, and 合计.
        #expect(rows.count == DemoCatalog.make().counties.count + table.subtotals.count + 1)
        #expect(rows.filter { $0[1].hasSuffix(" 小计") }.count == table.subtotals.count)
        let total = rows.last!
        #expect(total[1] == "合计")
        let counties = rows.filter { !$0[0].isEmpty }
        for column in [2, 3, 4, 5, 6, 7, 9] {
            #expect(counties.map { Int($0[column])! }.reduce(0, +) == Int(total[column])!, "column \(CountyTable.header[column])")
        }
        let reports = DemoReports.make(catalog: DemoCatalog.make())
        let september = reports.sales.filter { $0.productID != nil && $0.soldOn >= CalendarDate("2020-09-01")! }
        // Every demo product sale is of a certified product; the exact total is the table's.
        #expect(table.totals.povertyAmountFen == september.reduce(0) { $0 + $1.amountFen })
    }
}
