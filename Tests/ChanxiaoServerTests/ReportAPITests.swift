import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import Logging
import Testing

@Suite struct ReportAPITests {
    @Test func aSaleCountsAsAPovertyProductOnlyWhileTheProductIsCertified() async throws {
        let app = try await TestApp()
        // prd-a is listed until 2030; its certification is revoked on 16 September, so it
        // counted through the 15th, and sales recorded later are judged by their own day.
        app.clock.advance(hours: 24 * 15)
        let revoked = try await app.send(.post, "/v1/certifications/cert-seed-prd-a/revoke", json: #"{"reason":"以次充好"}"#)
        #expect(revoked.status == .ok, "\(revoked.text)")
        #expect(revoked.object["counts_through"] == .string("2020-09-15"))
        app.clock.advance(hours: 24 * 25)
        for (id, day) in [("s-before", "2020-09-15"), ("s-after", "2020-09-16")] {
            let response = try await app.send(
                .post,
                "/v1/sales",
                json: """
                    {"id":"\(id)","buyer_id":"buy-a","product_id":"prd-a","volume":10,"amount_fen":8000,"sold_on":"\(day)","channel":"canteen","poverty_product":true}
                    """
            )
            #expect(response.status == .unprocessableContent, "poverty_product is read-only: \(response.text)")
            let accepted = try await app.send(
                .post,
                "/v1/sales",
                json: """
                    {"id":"\(id)","buyer_id":"buy-a","product_id":"prd-a","volume":10,"amount_fen":8000,"sold_on":"\(day)","channel":"canteen"}
                    """
            )
            #expect(accepted.status == .created, "\(accepted.text)")
        }
        #expect(try await app.send(.get, "/v1/sales/s-before").object["poverty_product"] == .bool(true))
        #expect(try await app.send(.get, "/v1/sales/s-after").object["poverty_product"] == .bool(false))
        #expect(try await app.send(.get, "/v1/sales/s-after").object["category"] == .string("grain_oil"))
        let share = try await app.send(.get, "/v1/buyers/buy-a/share?from=2020-09-01&to=2020-09-30", as: .buyerA).object
        #expect(share["poverty_amount_fen"] == .int(8000))
        #expect(share["total_amount_fen"] == .int(16000))
        #expect(share["share"] == .double(0.5))
        #expect(share["target"] == .double(0.3))
        #expect(share["gap_fen"] == .int(0))
    }

    @Test func badSalesAreRefusedNamingTheField() async throws {
        let app = try await TestApp()
        let cases: [(String, String)] = [
            (#"{"buyer_id":"buy-a","volume":1,"amount_fen":100,"sold_on":"2020-08-30","channel":"other"}"#, "category"),
            (
                #"{"buyer_id":"buy-a","product_id":"prd-a","category":"tea","volume":1,"amount_fen":100,"sold_on":"2020-08-30","channel":"other"}"#,
                "category"
            ),
            (#"{"buyer_id":"buy-a","product_id":"prd-a","volume":1,"amount_fen":-5,"sold_on":"2020-08-30","channel":"other"}"#, "amount_fen"),
            (#"{"buyer_id":"buy-a","product_id":"prd-a","volume":1,"amount_fen":100,"sold_on":"2021-01-01","channel":"other"}"#, "sold_on"),
            (#"{"buyer_id":"buy-a","product_id":"prd-a","volume":1,"amount_fen":100,"sold_on":"2020-08-30","channel":"telepathy"}"#, "channel"),
            (#"{"buyer_id":"buy-zz","category":"tea","volume":1,"amount_fen":100,"sold_on":"2020-08-30","channel":"other"}"#, "buyer_id"),
        ]
        for (body, field) in cases {
            let response = try await app.send(.post, "/v1/sales", json: body)
            #expect(response.status.code == 422 || response.status.code == 400, "\(body): \(response.text)")
            #expect(response.isProblem)
            #expect(response.errorFields.contains(field), "\(body): \(response.text)")
        }
    }

    @Test func aCSVOfSalesIsAllOrNothingAndABuyerMayPostOnlyItsOwn() async throws {
        let app = try await TestApp()
        let bad =
            "buyer_id,product_id,category,volume,amount_fen,sold_on,channel\nbuy-a,prd-a,,10,8000,2020-08-31,canteen\nbuy-a,prd-a,tea,10,8000,2020-08-31,canteen\n"
        let refused = try await app.send(.post, "/v1/sales", as: .buyerA, body: bad, contentType: "text/csv")
        #expect(refused.status == .unprocessableContent, "\(refused.text)")
        #expect(refused.text.contains(#""row":3"#), "\(refused.text)")
        #expect(try await app.send(.get, "/v1/sales?buyer_id=buy-a").items.count == 1, "nothing of the bad file was stored")

        let foreign = "buyer_id,category,volume,amount_fen,sold_on,channel\nbuy-b,fruit,1,100,2020-08-31,union\n"
        #expect(try await app.send(.post, "/v1/sales", as: .buyerA, body: foreign, contentType: "text/csv").status == .forbidden)

        let good =
            "buyer_id,product_id,category,volume,amount_fen,sold_on,channel\nbuy-a,prd-a,,10,8000,2020-08-31,canteen\nbuy-a,,fruit,5,2000,2020-08-31,other\n"
        let created = try await app.send(.post, "/v1/sales", as: .buyerA, body: good, contentType: "text/csv")
        #expect(created.status == .created, "\(created.text)")
        #expect(created.object["created"] == .int(2))
        #expect(try await app.send(.get, "/v1/sales?buyer_id=buy-a&poverty_product=false").items.count == 1)
    }

    @Test func reportQueriesRefuseUnknownAndMalformedParameters() async throws {
        let app = try await TestApp()
        for (uri, field) in [
            ("/v1/reports/weekly?week=2020-37", "week"), ("/v1/reports/weekly?format=pdf", "format"),
            ("/v1/reports/counties.csv?from=2020-09-30&to=2020-09-01", "to"), ("/v1/reports/counties?region=99", "region"),
            ("/v1/buyers/buy-a/share?since=2020-01-01", "since"),
        ] {
            let response = try await app.send(.get, uri)
            #expect(response.status == .badRequest, "\(uri)")
            #expect(response.errorFields == [field], "\(uri): \(response.text)")
        }
    }

    @Test func theCountiesCSVCountsOutletsEventsAndSales() async throws {
        let app = try await TestApp()
        let response = try await app.send(.get, "/v1/reports/counties.csv?from=2020-08-01&to=2020-08-31")
        #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
        let bytes = Array(response.text.utf8)
        #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
        let table = try CSVTable.parse(Array(bytes.dropFirst(3)))
        let napo = try #require(table.records.first { $0.cells["市县"] == "百色市 那坡县" })
        #expect(napo.cells["设立专柜数(个)"] == "1")
        #expect(napo.cells["举办大型产销活动(场)"] == "1")
        #expect(napo.cells["销售扶贫产品(万元)"] == "0.08")  // 800 yuan
        #expect(table.records.last?.cells["市县"] == "合计")
    }

    @Test func theWeeklyJobRunsAtTheConfiguredMomentOnce() async throws {
        // Tuesday 09:00 in Asia/Shanghai is 01:00 UTC; TestApp's clock starts Tuesday 2020-09-01 02:00 UTC.
        let app = try await TestApp { config in
            config.reports.weeklyMoment = WeeklyMoment(weekday: 3, minute: 10 * 60)  // Wednesday 10:00
        }
        let staff = WebhookEndpoint(
            id: "whe-reports",
            url: "https://hooks.example.org/reports",
            eventTypes: ["quota.*", "report.*", "product.*"],
            createdBy: "cli:test",
            createdAt: TestApp.now,
            updatedAt: TestApp.now
        )
        _ = try await app.database.createWebhookEndpoint(
            staff,
            secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            context: WriteContext(actor: "cli:test", role: .admin, now: TestApp.now)
        )
        // buy-b bought only other farm products: 0% against its own 55%.
        #expect(
            try await app.send(
                .post,
                "/v1/sales",
                json: #"{"buyer_id":"buy-b","category":"fruit","volume":1,"amount_fen":5000,"sold_on":"2020-08-31","channel":"union"}"#
            )
            .status == .created
        )
        let scheduler = ReportScheduler(dependencies: app.dependencies, logger: Logger(label: "test"))
        let week = IsoWeek(year: 2020, week: 36)!

        await scheduler.tick()  // Tuesday: not yet
        #expect(try await !app.database.hasWeeklyRun(week))
        app.clock.advance(hours: 24 + 1)  // Wednesday 11:00 local
        await scheduler.tick()
        #expect(try await app.database.hasWeeklyRun(week))
        await scheduler.tick()
        let messages = try await app.send(.get, "/v1/webhook-messages?type=quota.at_risk").items
        // The checkpoint is the Sunday before: 2020-08-31 is in week 36, so nothing is judged yet.
        #expect(messages.isEmpty)
        #expect(try await app.send(.get, "/v1/webhook-messages?type=report.weekly").items.count == 1)

        app.clock.advance(hours: 24 * 7)  // the next Wednesday: the checkpoint is 2020-09-06
        await scheduler.tick()
        await scheduler.tick()
        let alerts = try await app.send(.get, "/v1/webhook-messages?type=quota.at_risk").items
        #expect(alerts.count == 1, "once per week, however often the scheduler wakes")
        #expect(try await app.send(.get, "/v1/webhook-messages?type=report.weekly").items.count == 2)
        let id = try #require(alerts.first?["id"]?.string)
        let payload = try #require(try await app.send(.get, "/v1/webhook-messages/\(id)").object["payload"]?.objectValue?["data"]?.objectValue)
        #expect(payload["buyer_id"] == .string("buy-b"))
        #expect(payload["share"] == .int(0))  // JSON writes a whole 0.0 as 0
        #expect(payload["target"] == .double(0.55))
        #expect(payload["target_source"] == .string("buyer"))
        #expect(payload["gap_fen"] == .int(6112))  // (0 + x) / (5000 + x) ≥ 0.55 → x ≥ 6111.1
        #expect(payload["to"] == .string("2020-09-06"))
    }
}
