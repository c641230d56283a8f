import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import Logging
import Testing

/// The crash that opened the hardening work, and its class: stored values whose products and
/// sums overflowed `Int` (a trap that killed the daemon) or SQLite's 64-bit SUM (a 500).
@Suite struct FigureRangeTests {
    /// A product at 10^9 fen × 10^9 a week, which a supplier token could store before today's
    /// ranges, killed the daemon on the next county table of a year.
    static let hugeProduct = Product(
        id: "prd-huge",
        supplierID: "sup-a",
        countyCode: "451026",
        name: "巨量产品",
        category: .tea,
        unit: .kg,
        unitPriceFen: 1_000_000_000,
        weeklyCapacity: 1_000_000_000,
        certificateNo: "FP-HUGE",
        certifiedUntil: CalendarDate("2030-12-31"),
        createdAt: TestApp.now,
        updatedAt: TestApp.now
    )

    @Test func theAPIRefusesTheProductThatCrashedTheCountyTable() async throws {
        let app = try await TestApp()
        let response = try await app.send(
            .post,
            "/v1/products",
            as: .supplierA,
            json: """
                {"supplier_id":"sup-a","name":"巨量产品","category":"tea","unit":"kg","unit_price_fen":1000000000,"weekly_capacity":1000000000}
                """
        )
        #expect(response.status.code == 422)
        #expect(Set(response.errorFields) == ["unit_price_fen", "weekly_capacity"])
    }

    /// Stored by an earlier version, the same product is safe in every report and job: the county
    /// table refuses the one figure it cannot hold (naming it), the rest answers.
    @Test func aStoredProductBeyondTodaysRangesIsRefusedNotTrappedOn() async throws {
        let app = try await TestApp()
        try await app.database.seedCatalog(
            counties: [],
            suppliers: [],
            products: [Self.hugeProduct],
            buyers: [],
            demands: [],
            marker: "huge",
            context: WriteContext(actor: "cli:test", role: .admin, now: TestApp.now)
        )
        let table = try await app.send(.get, "/v1/reports/counties?from=2020-01-01&to=2020-12-31")
        #expect(table.status.code == 422, "\(table.text)")
        #expect(table.object["type"]?.string == "urn:chanxiao:problem:figure-out-of-range")
        #expect(table.errorFields == ["capacity_amount_fen"])
        #expect(table.object["detail"]?.string?.contains("county 451026") == true)
        #expect(try await app.send(.get, "/v1/reports/counties.csv?from=2020-01-01&to=2020-12-31").status.code == 422)
        // Another region reports; the weekly report and matching never multiply the capacity out.
        #expect(try await app.send(.get, "/v1/reports/counties?from=2020-01-01&to=2020-12-31&region=341125").status == .ok)
        #expect(try await app.send(.get, "/v1/reports/weekly?week=2020-W36").status == .ok)
        // A demand that could take it, stored before today's ranges too: matching leaves the
        // product out (its price is above any ceiling a demand may have now) instead of trapping
        // on its cost × volume.
        try await app.database.seedCatalog(
            counties: [],
            suppliers: [],
            products: [],
            buyers: [],
            demands: [
                Demand(
                    id: "dem-huge",
                    buyerID: "buy-a",
                    category: .tea,
                    unit: .kg,
                    weeklyVolume: 1_000_000_000,
                    maxUnitPriceFen: 1_000_000_000,
                    startsOn: CalendarDate("2020-09-01")!,
                    createdAt: TestApp.now,
                    updatedAt: TestApp.now
                )
            ],
            marker: "huge-demand",
            context: WriteContext(actor: "cli:test", role: .admin, now: TestApp.now)
        )
        let run = try await app.send(.post, "/v1/match-runs", json: #"{"week":"2020-W37","dry_run":true}"#)
        #expect(run.status == .ok, "\(run.text)")
        let unmet = run.object["unmet"]?.objects.first { $0["demand_id"]?.string == "dem-huge" }
        #expect(unmet?["removed_by_filter"]?.objectValue?["price_ceiling"] == .int(1))
    }
}
