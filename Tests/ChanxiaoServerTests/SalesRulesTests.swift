import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import Testing

/// What buyers record feeds their share figures, so it is checked: volumes and amounts above
/// zero, amounts plausible at the product's price, nothing dated in a reporting week already
/// filed, and who recorded each sale.
@Suite struct SalesRulesTests {
    static func sale(_ fields: String) -> String {
        #"{"buyer_id":"buy-a","product_id":"prd-a","channel":"canteen",\#(fields)}"#
    }

    /// prd-a costs 800 fen a kg; sales.price_factor is 3.
    @Test(
        arguments: [
            (#""volume":10,"amount_fen":8000,"sold_on":"2020-09-01""#, 201, nil),
            (#""volume":10,"amount_fen":2667,"sold_on":"2020-09-01""#, 201, nil),  // 8000 / 3, rounded up
            (#""volume":10,"amount_fen":24000,"sold_on":"2020-09-01""#, 201, nil),
            (#""volume":10,"amount_fen":2666,"sold_on":"2020-09-01""#, 422, "amount_fen"),
            (#""volume":10,"amount_fen":24001,"sold_on":"2020-09-01""#, 422, "amount_fen"),
            (#""volume":0,"amount_fen":8000,"sold_on":"2020-09-01""#, 422, "volume"),
            (#""volume":10,"amount_fen":0,"sold_on":"2020-09-01""#, 422, "amount_fen"),
        ] as [(String, Int, String?)]
    )
    func amountsArePlausibleAtTheProductsPrice(_ c: (fields: String, status: Int, field: String?)) async throws {
        let app = try await TestApp()
        let response = try await app.send(.post, "/v1/sales", as: .buyerA, json: Self.sale(c.fields))
        #expect(Int(response.status.code) == c.status, "\(response.text)")
        if let field = c.field { #expect(response.errorFields == [field]) }
    }

    @Test func theFactorIsConfigurableAndZeroTurnsItOff() async throws {
        let app = try await TestApp { $0.sales.priceFactor = 0 }
        #expect(
            try await app.send(.post, "/v1/sales", as: .buyerA, json: Self.sale(#""volume":10,"amount_fen":1,"sold_on":"2020-09-01""#)).status
                == .created
        )
    }

    @Test func everySaleNamesWhoRecordedIt() async throws {
        let app = try await TestApp()
        let me = try await app.send(.get, "/v1/me", as: .buyerA).object["token_id"]
        let created = try await app.send(.post, "/v1/sales", as: .buyerA, json: Self.sale(#""volume":10,"amount_fen":8000,"sold_on":"2020-09-01""#))
        #expect(created.object["created_by"] == me)
        // An update keeps who recorded it; it is read-only.
        let id = try #require(created.object["id"]?.string)
        let patched = try await app.send(
            .patch,
            "/v1/sales/\(id)",
            as: .organizer,
            json: #"{"note":"发票已开"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(patched.object["created_by"] == me)
        let refused = try await app.send(
            .patch,
            "/v1/sales/\(id)",
            as: .organizer,
            json: #"{"created_by":"someone"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(refused.status.code == 422)
    }

    /// An import of sales leaves an audit entry for each row, besides the import's own.
    @Test func eachImportedSaleIsAudited() async throws {
        let app = try await TestApp()
        let csv =
            "id,buyer_id,product_id,category,volume,amount_fen,sold_on,channel\nsal-1,buy-a,prd-a,,10,8000,2020-09-01,canteen\n"
            + "sal-2,buy-b,,fruit,5,500,2020-09-01,union\n"
        let response = try await app.send(.post, "/v1/import/sales", as: .organizer, body: csv, contentType: "text/csv")
        #expect(response.status == .ok, "\(response.text)")
        for id in ["sal-1", "sal-2"] {
            let entries = try await app.send(.get, "/v1/audit?kind=sale&id=\(id)").items
            #expect(entries.map { $0["action"] } == [.string("sale.create")], "\(id)")
        }
    }

    /// Once the weekly job of a week has run, the weeks before it are closed: buyers and
    /// organizers can no longer record, change or delete sales dated in them; admins correct.
    @Test func aClosedReportingWeekTakesNoMoreSales() async throws {
        let app = try await TestApp()
        // TestApp.now is Tuesday of 2020-W36; its job files 2020-W35 (to Sunday 2020-08-30).
        #expect(try await app.send(.post, "/v1/reports/weekly/run?week=2020-W36", as: .organizer).status == .created)
        let late = try await app.send(.post, "/v1/sales", as: .buyerA, json: Self.sale(#""volume":10,"amount_fen":8000,"sold_on":"2020-08-30""#))
        #expect(late.status.code == 422)
        #expect(late.errorFields == ["sold_on"])
        #expect(late.text.contains("closed reporting week"))
        #expect(
            try await app.send(.post, "/v1/sales", as: .buyerA, json: Self.sale(#""volume":10,"amount_fen":8000,"sold_on":"2020-08-31""#))
                .status == .created
        )
        // sal-a was sold on 2020-08-31, in the open week: moving it into the closed one is refused.
        let moved = try await app.send(
            .patch,
            "/v1/sales/sal-a",
            as: .buyerA,
            json: #"{"sold_on":"2020-08-29"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(moved.status.code == 422)
        #expect(
            try await app.send(.post, "/v1/sales", as: .admin, json: Self.sale(#""volume":10,"amount_fen":8000,"sold_on":"2020-08-30""#))
                .status == .created
        )
        let closed = try await app.send(.get, "/v1/sales?to=2020-08-30").items.compactMap { $0["id"]?.string }
        let id = try #require(closed.first)
        #expect(try await app.send(.delete, "/v1/sales/\(id)", as: .organizer).status.code == 422)
        // An export imported back changes nothing, so closed weeks do not stop it.
        let export = try await app.send(.get, "/v1/export/sales", as: .organizer)
        let back = try await app.send(.post, "/v1/import/sales?mode=upsert", as: .organizer, body: export.text, contentType: "text/csv")
        #expect(back.status == .ok, "\(back.text)")
        #expect(back.object["unchanged"] == back.object["rows"])
        #expect(try await app.send(.delete, "/v1/sales/\(id)", as: .admin).status == .noContent)
    }

    /// The weekly job names a match's sale `sal-<match id>`; a client that took that id first
    /// cannot stop the job, whose sale then gets an id of its own.
    @Test func aSaleIdTakenByAClientDoesNotStopTheWeeklyJob() async throws {
        let app = try await TestApp { $0.reports.salesFromMatches = true }
        #expect(try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA).status == .ok)
        let squatter = try await app.send(
            .post,
            "/v1/sales",
            as: .buyerA,
            json: Self.sale(#""id":"sal-\#(app.matchID)","volume":10,"amount_fen":8000,"sold_on":"2020-09-01""#)
        )
        #expect(squatter.status == .created)
        app.clock.advance(hours: 24 * 7)  // 2020-W37: the job records the sales of 2020-W36's accepted matches
        let run = try await app.send(.post, "/v1/reports/weekly/run?week=2020-W37", as: .organizer)
        #expect(run.status == .created, "\(run.text)")
        #expect(run.object["sales_recorded"] == .int(1))
        let recorded = try await app.send(.get, "/v1/sales?buyer_id=buy-a").items.filter { $0["match_id"] == .string(app.matchID) }
        #expect(recorded.count == 1)
        #expect(recorded.first?["id"] != .string("sal-\(app.matchID)"))
        #expect(recorded.first?["created_by"] != nil)
    }

    /// The weekly job of a week to come would close weeks still being recorded.
    @Test func theWeeklyJobCannotRunForAWeekToCome() async throws {
        let app = try await TestApp()
        let early = try await app.send(.post, "/v1/reports/weekly/run?week=2020-W37", as: .organizer)
        #expect(early.status == .badRequest)
        #expect(early.errorFields == ["week"])
    }
}
