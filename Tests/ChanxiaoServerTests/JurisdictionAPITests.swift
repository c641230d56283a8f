import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Organizers bound to regions (docs/api.md, "Jurisdictions"): a Shenzhen organizer sees
/// Shenzhen's buyers and venues and the counties paired with Shenzhen, and nothing of Chuzhou.
///
/// TestApp: buy-a is in Futian (440304), buy-b in Jiyuan (419001), buy-empty in Chuzhou
/// (341100); county 451026 那坡县 (百色市) is paired with Shenzhen (440300), 341125 定远县 is not.
@Suite struct JurisdictionAPITests {
    /// An organizer token bound to `regions`, as `chanxiao token create --role organizer --region` makes it.
    static func organizer(_ app: TestApp, regions: [String]) async throws -> HTTPFields {
        let token = try await app.database.createToken(
            role: .organizer,
            regions: regions,
            label: "深圳市消费扶贫办",
            context: WriteContext(actor: "cli:test", role: .admin, now: TestApp.now)
        )
        return [.authorization: "Bearer \(token.secret)"]
    }

    @Test func aShenzhenOrganizerDoesNotSeeChuzhousBuyersOrCounties() async throws {
        let app = try await TestApp(schedules: .planned)
        let shenzhen = try await Self.organizer(app, regions: ["440300"])
        func get(_ uri: String) async throws -> TestResponse { try await app.send(.get, uri, as: .none, headers: shenzhen) }

        #expect(try await get("/v1/buyers/buy-a").status == .ok)
        #expect(try await get("/v1/buyers/buy-empty").status == .notFound)
        #expect(try await get("/v1/buyers").items.map { $0["id"] } == [.string("buy-a")])
        #expect(try await get("/v1/demands").items.map { $0["id"] } == [.string("dem-a")])
        // Counties inside Shenzhen or paired with it, and their suppliers and products.
        #expect(try await get("/v1/counties/451026").status == .ok)
        #expect(try await get("/v1/counties/341125").status == .notFound)
        #expect(try await get("/v1/suppliers/sup-b").status == .notFound)
        #expect(try await get("/v1/products").items.allSatisfy { $0["county_code"] == .string("451026") })
        #expect(try await get("/v1/export/buyers").text.contains("buy-empty") == false)
        // Venues, fairs and rotations of Shenzhen's venues stay in view.
        #expect(try await get("/v1/venues/ven-center").status == .ok)
        #expect(try await get("/v1/rotations/\(ScheduleFixture.publishedRotation)").status == .ok)
        #expect(try await get("/v1/fairs/\(ScheduleFixture.fair)/booths").status == .ok)
        // Matches of its buyers; sales of its buyers and its partners' products.
        #expect(try await get("/v1/matches/\(app.matchID)").status == .ok)
        #expect(try await get("/v1/sales").items.allSatisfy { $0["buyer_id"] == .string("buy-a") || $0["county_code"] == .string("451026") })

        // An organizer of Chuzhou sees the opposite.
        let chuzhou = try await Self.organizer(app, regions: ["341100"])
        #expect(try await app.send(.get, "/v1/buyers/buy-empty", as: .none, headers: chuzhou).status == .ok)
        #expect(try await app.send(.get, "/v1/buyers/buy-a", as: .none, headers: chuzhou).status == .notFound)
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)", as: .none, headers: chuzhou).status == .notFound)
        #expect(try await app.send(.get, "/v1/rotations/\(ScheduleFixture.publishedRotation)", as: .none, headers: chuzhou).status == .notFound)
        #expect(try await app.send(.get, "/v1/venues/ven-center/calendar.ics", as: .none, headers: chuzhou).status == .notFound)
        #expect(try await app.send(.get, "/v1/rotations", as: .none, headers: chuzhou).items.isEmpty)
        // Unbound organizers keep the national view.
        #expect(try await app.send(.get, "/v1/buyers", as: .organizer).items.count == 3)
    }

    @Test func aBoundOrganizerWritesOnlyInsideItsRegions() async throws {
        let app = try await TestApp(schedules: .planned)
        let shenzhen = try await Self.organizer(app, regions: ["440300"])
        let inside = try await app.send(
            .post,
            "/v1/venues",
            as: .none,
            json: #"{"id":"ven-luohu","name":"罗湖消费扶贫专柜","kind":"center","region_code":"440303"}"#,
            headers: shenzhen
        )
        #expect(inside.status == .created, "\(inside.text)")
        let outside = try await app.send(
            .post,
            "/v1/venues",
            as: .none,
            json: #"{"id":"ven-beijing","name":"北京消费扶贫馆","kind":"center","region_code":"110105"}"#,
            headers: shenzhen
        )
        #expect(outside.status == .forbidden, "\(outside.text)")
        #expect(try await app.send(.get, "/v1/venues/ven-beijing").status == .notFound)
        // Moving one of its venues out is refused as well, and another's is not there to change.
        let moved = try await app.send(
            .patch,
            "/v1/venues/ven-luohu",
            as: .none,
            json: #"{"region_code":"110105"}"#,
            contentType: "application/merge-patch+json",
            headers: shenzhen
        )
        #expect(moved.status == .forbidden)
        #expect(try await app.send(.get, "/v1/venues/ven-luohu").object["region_code"] == .string("440303"))
        let chuzhou = try await Self.organizer(app, regions: ["341100"])
        let foreign = try await app.send(
            .patch,
            "/v1/venues/ven-luohu",
            as: .none,
            json: #"{"name":"改名"}"#,
            contentType: "application/merge-patch+json",
            headers: chuzhou
        )
        #expect(foreign.status == .notFound)
        #expect(try await app.send(.delete, "/v1/venues/ven-luohu", as: .none, headers: chuzhou).status == .notFound)
        // A file of sales is checked row by row: a Jiyuan buyer's sale of a Chuzhou product is not Shenzhen's.
        let csv = """
            id,buyer_id,product_id,volume,amount_fen,sold_on,channel
            s-sz,buy-a,prd-a,10,8000,2020-09-01,canteen
            s-jy,buy-b,prd-b,10,68000,2020-09-01,union
            """
        let file = try await app.send(.post, "/v1/import/sales", as: .none, body: csv, contentType: "text/csv", headers: shenzhen)
        #expect(file.status == .unprocessableContent, "\(file.text)")
        #expect(file.text.contains("s-jy") && !file.text.contains("s-sz"))
        // Runs and the weekly job are national.
        #expect(try await app.send(.post, "/v1/match-runs", as: .none, json: #"{"dry_run":true}"#, headers: shenzhen).status == .forbidden)
        #expect(try await app.send(.post, "/v1/reports/weekly/run", as: .none, headers: shenzhen).status == .forbidden)
    }

    @Test func reportsCoverTheJurisdictionWithCitySubtotals() async throws {
        let app = try await TestApp(schedules: .planned)
        let shenzhen = try await Self.organizer(app, regions: ["440300"])
        let table = try await app.send(.get, "/v1/reports/counties?from=2020-09-01&to=2020-09-30", as: .none, headers: shenzhen)
        #expect(table.status == .ok, "\(table.text)")
        #expect(table.object["rows"]?.array?.compactMap { $0.objectValue?["county_code"]?.string } == ["451026"])
        let subtotal = table.object["subtotals"]?.array?.first?.objectValue
        #expect(subtotal?["city"] == .string("百色市"))
        #expect(subtotal?["counties"] == .int(1))
        let csv = try await app.send(.get, "/v1/reports/counties.csv?from=2020-09-01&to=2020-09-30", as: .organizer)
        #expect(csv.text.contains("百色市 小计"), "\(csv.text)")
        #expect(csv.text.contains("滁州市 小计"))

        let weekly = try await app.send(.get, "/v1/reports/weekly?week=2020-W36", as: .none, headers: shenzhen)
        #expect(weekly.status == .ok, "\(weekly.text)")
        #expect(weekly.object["regions"] == .array([.string("440300")]))
        #expect(!weekly.text.contains("buy-b"))
        // A narrower region is fine; one outside is refused, naming the parameter.
        #expect(try await app.send(.get, "/v1/reports/weekly?week=2020-W36&region=440304", as: .none, headers: shenzhen).status == .ok)
        let outside = try await app.send(.get, "/v1/reports/weekly?week=2020-W36&region=341100", as: .none, headers: shenzhen)
        #expect(outside.status == .forbidden)
        #expect(outside.errorFields == ["region"])
        // Staff ask for any region.
        let henan = try await app.send(.get, "/v1/reports/weekly?week=2020-W36&region=410000", as: .organizer)
        #expect(henan.object["regions"] == .array([.string("410000")]))
    }

    @Test func aRegionsWeeklyReportGoesToTheEndpointsScopedToIt() async throws {
        let app = try await TestApp()
        let shenzhen = try await Self.organizer(app, regions: ["440300"])
        let scoped = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .none,
            json: #"{"url":"https://hooks.example.org/shenzhen","event_types":["report.weekly"]}"#,
            headers: shenzhen
        )
        #expect(scoped.status == .created, "\(scoped.text)")
        #expect(scoped.object["region"] == .string("440300"))
        let national = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"{"url":"https://hooks.example.org/national","event_types":["report.weekly"]}"#
        )
        #expect(national.object["region"] == .null)
        let wrong = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .none,
            json: #"{"url":"https://hooks.example.org/x","event_types":["report.weekly"],"region":"341100"}"#,
            headers: shenzhen
        )
        #expect(wrong.status == .unprocessableContent)
        #expect(wrong.errorFields == ["region"])

        let run = try await app.send(.post, "/v1/reports/weekly/run?week=2020-W36", as: .organizer)
        #expect(run.status == .created, "\(run.text)")
        var query = WebhookMessageQuery()
        query.type = .reportWeekly
        let messages = try await app.database.webhookMessages(query).items
        #expect(messages.count == 2)
        for message in messages {
            let data = try JSONValue.parseObject(Data(message.payload.utf8))["data"]?.objectValue
            let receivers = message.deliveries.map(\.endpointID)
            if data?["region"] == .string("440300") {
                #expect(receivers == [scoped.object["id"]?.string ?? ""])
                #expect(data?["links"]?.objectValue?["json"]?.string?.hasSuffix("&region=440300") == true)
            } else {
                #expect(data?["region"] == .null)
                #expect(receivers == [national.object["id"]?.string ?? ""])
            }
        }
    }

    /// Other endpoints carry other regions' events: a bound organizer sees only its own
    /// endpoints and the messages sent to them.
    @Test func aBoundOrganizerSeesOnlyItsOwnEndpointsAndTheirMessages() async throws {
        let app = try await TestApp()
        let shenzhen = try await Self.organizer(app, regions: ["440300"])
        #expect(try await app.send(.get, "/v1/webhook-endpoints", as: .none, headers: shenzhen).items.isEmpty)
        #expect(try await app.send(.get, "/v1/webhook-endpoints/whe-staff", as: .none, headers: shenzhen).status == .notFound)
        #expect(try await app.send(.get, "/v1/webhook-messages", as: .none, headers: shenzhen).items.isEmpty)
        #expect(try await app.send(.get, "/v1/webhook-messages/\(app.messageID)", as: .none, headers: shenzhen).status == .notFound)
        #expect(try await app.send(.get, "/v1/webhook-messages/\(app.messageID)/attempts", as: .none, headers: shenzhen).status == .notFound)
        #expect(try await app.send(.post, "/v1/webhook-messages/\(app.messageID)/resend", as: .none, headers: shenzhen).status == .notFound)
        // Unbound organizers read every endpoint and message, as before.
        #expect(try await app.send(.get, "/v1/webhook-messages/\(app.messageID)", as: .organizer).status == .ok)
    }

    /// Rows the condition cannot decide (an outlet of no buyer and no region, a sale of no
    /// county) lie outside, in exports, reads and writes alike.
    @Test func rowsWithoutASideInTheRegionStayOutsideEverywhere() async throws {
        let app = try await TestApp(schedules: .planned)
        let shenzhen = try await Self.organizer(app, regions: ["440300"])
        let outlet = try await app.send(
            .post,
            "/v1/outlets",
            json: #"{"id":"out-laian","name":"来安县消费扶贫专柜","kind":"counter","county_code":"341125","opened_on":"2020-06-03"}"#
        )
        #expect(outlet.status == .created, "\(outlet.text)")
        let listed = try await app.send(.get, "/v1/outlets", as: .none, headers: shenzhen).items.compactMap { $0["id"]?.string }
        let exported = try await app.send(.get, "/v1/export/outlets", as: .none, headers: shenzhen).text
        #expect(listed == ["out-a"])
        #expect(!exported.contains("out-laian"), "\(exported)")
        #expect(try await app.send(.get, "/v1/outlets/out-laian", as: .none, headers: shenzhen).status == .notFound)
        // A livestream of a Chuzhou product is not Shenzhen's to book.
        let session = try await app.send(
            .post,
            "/v1/livestreams",
            as: .none,
            json:
                #"{"id":"liv-outside","host_id":"hst-b","platform":"wechat_channels","starts_at":"2020-09-20T19:00:00+08:00","ends_at":"2020-09-20T20:00:00+08:00","product_ids":["prd-longshan"]}"#,
            headers: shenzhen
        )
        #expect(session.status == .unprocessableContent, "\(session.text)")
        #expect(session.errorFields.contains("product_ids"))
        // A sale between a buyer and a product both outside is refused as such, whatever its amount.
        let sale = try await app.send(
            .post,
            "/v1/sales",
            as: .none,
            json: #"{"buyer_id":"buy-b","product_id":"prd-b","volume":1,"amount_fen":100,"sold_on":"2020-09-01","channel":"union"}"#,
            headers: shenzhen
        )
        #expect(sale.status == .forbidden, "\(sale.text)")
        #expect(!sale.text.contains("price"))
    }

    /// Only the weekly report is attributed to regions: an endpoint scoped to one (a bound
    /// organizer's always is) receives nothing else, rather than every region's events.
    @Test func aRegionScopedEndpointReceivesNoOtherRegionsEvents() async throws {
        let app = try await TestApp()
        let shenzhen = try await Self.organizer(app, regions: ["440300"])
        let endpoint = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .none,
            json: #"{"url":"https://hooks.example.org/sz","event_types":["match.*"]}"#,
            headers: shenzhen
        )
        #expect(endpoint.object["region"] == .string("440300"))
        #expect(try await app.send(.post, "/v1/matches/\(app.matchID)/decline", as: .buyerA).status == .ok)
        var query = WebhookMessageQuery()
        query.type = .matchDeclined
        let message = try #require(try await app.database.webhookMessages(query).items.first)
        #expect(!message.deliveries.map(\.endpointID).contains(endpoint.object["id"]?.string ?? ""))
        // Buyers' and suppliers' endpoints take no region.
        let buyers = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .buyerA,
            json: #"{"url":"https://hooks.example.org/b","event_types":["match.*"],"region":"440300"}"#
        )
        #expect(buyers.status == .unprocessableContent)
        #expect(buyers.errorFields == ["region"])
    }

    @Test func onlyReviewersAndOrganizersAreBoundToRegions() async throws {
        let app = try await TestApp()
        let context = WriteContext(actor: "cli:test", role: .admin, now: TestApp.now)
        await #expect(throws: ValidationFailure.self) {
            _ = try await app.database.createToken(role: .buyer, buyerID: "buy-a", regions: ["440300"], context: context)
        }
        await #expect(throws: ValidationFailure.self) {
            _ = try await app.database.createToken(role: .organizer, regions: ["44030"], context: context)
        }
        let me = try await app.send(.get, "/v1/me", as: .none, headers: try await Self.organizer(app, regions: ["440300", "341100"]))
        #expect(me.text.contains("440300"), "\(me.text)")
    }
}
