import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import HTTPTypes
import Testing

/// The narrower authentication surfaces: JSON-only state-changing POSTs, the backoff after
/// repeated failed authentications, chat-robot keys shown to their owners only, and the smaller
/// uploads of bound tokens.
@Suite struct AuthSurfaceTests {
    /// What an HTML form on another site can send: none of it reaches a handler.
    @Test(arguments: ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", nil] as [String?])
    func aPOSTNeedsAJSONContentType(_ contentType: String?) async throws {
        let app = try await TestApp()
        let form = try await app.send(
            .post,
            "/v1/matches/\(app.matchID)/accept",
            as: .buyerA,
            body: "",
            contentType: contentType,
            bare: contentType == nil
        )
        #expect(form.status == .unsupportedMediaType)
        #expect(form.isProblem)
        #expect(try await app.send(.get, "/v1/matches/\(app.matchID)", as: .buyerA).object["status"] == .string("proposed"))
        // The same request as JSON goes through, with an empty body.
        #expect(try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA).status == .ok)
    }

    @Test func importsTakeCSVAndCollectionsTakeJSONOrCSV() async throws {
        let app = try await TestApp()
        let json = try await app.send(.post, "/v1/import/counties", json: #"{"code":"450124"}"#)
        #expect(json.status == .unsupportedMediaType)
        #expect(json.object["detail"]?.string?.contains("text/csv") == true)
        let csv = try await app.send(.post, "/v1/counties", body: "code,name,poverty_status\n450124,马山县,national\n", contentType: "text/csv")
        #expect(csv.status == .created)
    }

    /// After `auth.failure_limit` failures an address's failing requests get 429 with a growing
    /// Retry-After, while a good token from the same address is still served; both outcomes are
    /// counted in `chanxiao_auth_failures_total`.
    @Test func repeatedFailuresBackOffWithoutLockingOutGoodTokens() async throws {
        let app = try await TestApp { config in
            config.auth.failureLimit = 3
            config.auth.backoffSeconds = 30
            config.auth.backoffMaxSeconds = 100
        }
        let bad: HTTPFields = [.authorization: "Bearer cx_notatokennotatokennotatoken"]
        for _ in 0..<2 { #expect(try await app.send(.get, "/v1/counties", as: .none, headers: bad).status == .unauthorized) }
        let throttled = try await app.send(.get, "/v1/counties", as: .none, headers: bad)
        #expect(throttled.status == .tooManyRequests)
        #expect(throttled.isProblem)
        #expect(throttled.headers[.retryAfter] == "30")
        #expect(try await app.send(.get, "/v1/counties", as: .none, headers: bad).headers[.retryAfter] == "60")
        #expect(try await app.send(.get, "/v1/counties", as: .none, headers: bad).headers[.retryAfter] == "100")
        #expect(try await app.send(.get, "/v1/counties", as: .organizer).status == .ok)
        // No credentials at all is how a calendar app starts; it is not a failure.
        #expect(try await app.send(.get, "/v1/counties", as: .none).status == .unauthorized)
        app.clock.advance(hours: 1)
        #expect(try await app.send(.get, "/v1/counties", as: .none, headers: bad).status == .unauthorized)
        let metrics = try await app.send(.get, "/metrics")
        #expect(metrics.text.contains(#"chanxiao_auth_failures_total{outcome="throttled"}"#))
        #expect(metrics.text.contains(#"chanxiao_auth_failures_total{outcome="rejected"}"#))
    }

    /// A WeCom robot's key is its URL's query. Its owner and admins see the URL; an organizer
    /// sees the origin and may not change the endpoint; the audit log keeps the origin only.
    @Test func aRobotKeyShowsOnlyToItsOwnerAndAdmins() async throws {
        let app = try await TestApp()
        let url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
        let created = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .buyerA,
            json: #"{"url":"\#(url)","format":"wecom","event_types":["match.*"]}"#
        )
        #expect(created.status == .created)
        #expect(created.object["url"] == .string(url))
        let id = try #require(created.object["id"]?.string)
        #expect(try await app.send(.get, "/v1/webhook-endpoints/\(id)", as: .buyerA).object["url"] == .string(url))
        #expect(try await app.send(.get, "/v1/webhook-endpoints/\(id)", as: .admin).object["url"] == .string(url))
        let seen = try await app.send(.get, "/v1/webhook-endpoints/\(id)", as: .organizer)
        #expect(seen.object["url"] == .string("https://qyapi.weixin.qq.com"))
        let listed = try await app.send(.get, "/v1/webhook-endpoints", as: .organizer).items.first { $0["id"]?.string == id }
        #expect(listed?["url"] == .string("https://qyapi.weixin.qq.com"))
        let change = try await app.send(
            .patch,
            "/v1/webhook-endpoints/\(id)",
            as: .organizer,
            json: #"{"description":"改"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(change.status == .forbidden)
        #expect(try await app.send(.post, "/v1/webhook-endpoints/\(id)/disable", as: .organizer).status == .forbidden)
        #expect(try await app.send(.delete, "/v1/webhook-endpoints/\(id)", as: .organizer).status == .forbidden)
        // An organizer's own endpoint is its to change and to see whole.
        let own = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .organizer,
            json: #"{"url":"https://hooks.example.org/staff?token=s3cret","event_types":["*"]}"#
        )
        let ownID = try #require(own.object["id"]?.string)
        #expect(
            try await app.send(.get, "/v1/webhook-endpoints/\(ownID)", as: .organizer).object["url"]
                == .string("https://hooks.example.org/staff?token=s3cret")
        )
        #expect(try await app.send(.post, "/v1/webhook-endpoints/\(ownID)/disable", as: .organizer).status == .ok)

        let replaced = try await app.send(
            .patch,
            "/v1/webhook-endpoints/\(id)",
            as: .buyerA,
            json: #"{"url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=new-secret-key"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(replaced.status == .ok)
        let audit = try await app.send(.get, "/v1/audit?limit=500")
        #expect(!audit.text.contains("693a91f6"), "the audit log holds a robot key")
        #expect(!audit.text.contains("new-secret-key"), "the audit log holds a robot key")
        #expect(!audit.text.contains("s3cret"), "the audit log holds a URL's credential")
    }

    /// A resend resets deliveries, so an organizer resends only to the endpoints it registered.
    @Test func anOrganizerResendsToItsOwnEndpointsOnly() async throws {
        let app = try await TestApp()
        let own = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .organizer,
            json: #"{"url":"https://hooks.example.org/organizer","event_types":["match.*"]}"#
        )
        let ownID = try #require(own.object["id"]?.string)
        #expect(try await app.send(.post, "/v1/match-runs", as: .organizer, json: #"{"week":"2020-W37"}"#).status == .created)
        let messages = try await app.send(.get, "/v1/webhook-messages?type=match.proposed&limit=500", as: .organizer).items
        let mine = try #require(messages.first { $0["deliveries"]?.objects.contains { $0["endpoint_id"] == .string(ownID) } == true })
        let id = try #require(mine["id"]?.string)
        let resent = try await app.send(.post, "/v1/webhook-messages/\(id)/resend", as: .organizer)
        #expect(resent.status == .accepted, "\(resent.text)")
        let elsewhere = try await app.send(.post, "/v1/webhook-messages/\(id)/resend", as: .organizer, json: #"{"endpoint_id":"whe-staff"}"#)
        #expect(elsewhere.status == .forbidden)
        #expect(try await app.send(.post, "/v1/webhook-messages/\(id)/resend", as: .admin, json: #"{"endpoint_id":"whe-staff"}"#).status == .accepted)
    }

    /// Buyer and supplier tokens record their own week: a smaller file, fewer rows.
    @Test func boundTokensPostSmallerFiles() async throws {
        let app = try await TestApp { config in
            config.importing.boundMaxRows = 2
            config.importing.boundMaxBytes = 2048
        }
        let header = "buyer_id,category,volume,amount_fen,sold_on,channel\n"
        let rows = (0..<3).map { _ in "buy-a,fruit,5,500,2020-09-01,other\n" }.joined()
        let many = try await app.send(.post, "/v1/sales", as: .buyerA, body: header + rows, contentType: "text/csv")
        #expect(many.status == .contentTooLarge)
        #expect(many.object["detail"]?.string?.contains("import.bound_max_rows") == true)
        let long = try await app.send(.post, "/v1/sales", as: .buyerA, body: header + String(repeating: " ", count: 4096), contentType: "text/csv")
        #expect(long.status == .contentTooLarge)
        #expect(long.object["detail"]?.string?.contains("import.bound_max_bytes") == true)
        #expect(
            try await app.send(
                .post,
                "/v1/sales",
                as: .buyerA,
                body: header + rows.split(separator: "\n").prefix(2).joined(separator: "\n"),
                contentType: "text/csv"
            ).status == .created
        )
        // Staff are held to server.max_import_bytes only.
        #expect(try await app.send(.post, "/v1/sales", as: .organizer, body: header + rows, contentType: "text/csv").status == .created)
    }
}
