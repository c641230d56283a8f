import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import HTTPTypes
import Testing

/// The webhook API: registering endpoints (the secret once), their rules, ownership, and the
/// operations on messages.
@Suite struct WebhookAPITests {
    @Test func registeringReturnsTheSecretOnceAndNeverAgain() async throws {
        let app = try await TestApp()
        let created = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"""
                {"url":"https://erp.example.org/hooks","event_types":["match.*","rotation.published"],"description":"ERP"}
                """#
        )
        #expect(created.status == .created, "\(created.text)")
        let secret = try #require(created.object["secret"]?.string)
        #expect(secret.hasPrefix("whsec_"))
        #expect(StandardWebhooks.key(of: secret)?.count == 32)
        let id = try #require(created.object["id"]?.string)
        #expect(id.hasPrefix("whe_"))
        #expect(created.headers[.location] == "/v1/webhook-endpoints/\(id)")
        let fetched = try await app.send(.get, "/v1/webhook-endpoints/\(id)")
        #expect(fetched.object["secret"] == nil)
        #expect(!fetched.text.contains(secret))
        #expect(fetched.object["event_types"] == .array([.string("match.*"), .string("rotation.published")]))
        let listed = try await app.send(.get, "/v1/webhook-endpoints?limit=100")
        #expect(!listed.text.contains(secret))
        // A new secret, and the old one still signs for the overlap.
        let rotated = try await app.send(.post, "/v1/webhook-endpoints/\(id)/rotate-secret")
        let newSecret = try #require(rotated.object["secret"]?.string)
        #expect(newSecret != secret)
        #expect(try await app.database.signingSecrets(endpointID: id, now: app.clock.now()) == [newSecret, secret])
        // Editing keeps the secrets.
        let patched = try await app.send(
            .patch,
            "/v1/webhook-endpoints/\(id)",
            json: #"{"description":"ERP (prod)"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(patched.status == .ok)
        #expect(try await app.database.signingSecrets(endpointID: id, now: app.clock.now()).count == 2)
    }

    @Test func badFieldsAreEachNamed() async throws {
        let app = try await TestApp()
        let response = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"""
                {"url":"ftp://example.org/x","event_types":["match.*","match.acepted"],"format":"slack","owner":"customer:1","rate_limit_per_minute":0,"colour":"red"}
                """#
        )
        #expect(response.status == .unprocessableContent)
        #expect(Set(response.errorFields) == ["url", "event_types[1]", "format", "owner", "rate_limit_per_minute", "colour"])
        #expect(response.isProblem)
        let missing = try await app.send(.post, "/v1/webhook-endpoints", json: "{}")
        #expect(Set(missing.errorFields) == ["url", "event_types"])
    }

    @Test func internalAddressesAreRefusedUnlessAllowlisted() async throws {
        let app = try await TestApp()
        for url in [
            "http://127.0.0.1:9000/x", "http://[::1]/x", "http://169.254.169.254/latest", "http://2130706433/x", "http://[::ffff:10.0.0.1]/x",
            "http://0x7f.1/x", "http://192.168.1.10/x",
        ] {
            let response = try await app.send(.post, "/v1/webhook-endpoints", json: #"{"url":"\#(url)","event_types":["*"]}"#)
            #expect(response.status == .unprocessableContent, "\(url): \(response.text)")
            #expect(response.errorFields == ["url"], "\(url)")
        }
        let allowed = try await TestApp(configure: { $0.webhooks.allowlist = ["127.0.0.1"] })
        let response = try await allowed.send(.post, "/v1/webhook-endpoints", json: #"{"url":"http://127.0.0.1:9000/x","event_types":["*"]}"#)
        #expect(response.status == .created)
    }

    @Test func buyersKeepTheirOwnEndpointsOnly() async throws {
        let app = try await TestApp()
        let own = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .buyerA,
            json: #"{"url":"https://a.example.org/h","event_types":["match.*"]}"#
        )
        #expect(own.status == .created)
        #expect(own.object["owner"] == .string("buyer:buy-a"))
        let foreign = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            as: .buyerA,
            json: #"{"url":"https://a.example.org/h","event_types":["match.*"],"owner":"buyer:buy-b"}"#
        )
        #expect(foreign.status == .forbidden)
        let listed = try await app.send(.get, "/v1/webhook-endpoints", as: .buyerA)
        #expect(Set(listed.items.compactMap { $0["owner"]?.string }) == ["buyer:buy-a"])
        let moved = try await app.send(
            .patch,
            "/v1/webhook-endpoints/whe-buy-a",
            as: .buyerA,
            json: #"{"owner":"buyer:buy-b"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(moved.status == .unprocessableContent)
        #expect(moved.errorFields == ["owner"])
        // Staff may register for a buyer; an owner that does not exist is refused.
        let missing = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"{"url":"https://x.example.org","event_types":["*"],"owner":"buyer:nobody"}"#
        )
        #expect(missing.status == .unprocessableContent)
        #expect(missing.errorFields == ["owner"])
    }

    @Test func robotsBringTheirPlatformsSecret() async throws {
        let app = try await TestApp()
        let ding = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"""
                {"url":"https://oapi.dingtalk.com/robot/send?access_token=abc","event_types":["livestream.*"],"format":"dingtalk","secret":"SECxyz"}
                """#
        )
        #expect(ding.status == .created)
        #expect(ding.object["secret"] == nil)
        #expect(ding.object["signed"] == .bool(true))
        let id = try #require(ding.object["id"]?.string)
        #expect(try await app.database.signingSecrets(endpointID: id, now: app.clock.now()) == ["SECxyz"])
        let rotate = try await app.send(.post, "/v1/webhook-endpoints/\(id)/rotate-secret")
        #expect(rotate.status == .conflict)
        let format = try await app.send(
            .patch,
            "/v1/webhook-endpoints/\(id)",
            json: #"{"format":"standard"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(format.errorFields.contains("format"))
        let weComSecret = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"""
                {"url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k","event_types":["*"],"format":"wecom","secret":"x"}
                """#
        )
        #expect(weComSecret.errorFields == ["secret"])
        let standardSecret = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"{"url":"https://x.example.org","event_types":["*"],"secret":"mine"}"#
        )
        #expect(standardSecret.errorFields == ["secret"])
    }

    @Test func disablingEnablingAndRecovering() async throws {
        let app = try await TestApp()
        let disabled = try await app.send(.post, "/v1/webhook-endpoints/whe-staff/disable")
        #expect(disabled.object["enabled"] == .bool(false))
        #expect(disabled.object["disabled_reason"]?.string?.contains("disabled by") == true)
        let refused = try await app.send(.post, "/v1/webhook-endpoints/whe-staff/recover", json: #"{"since":"2020-09-01T00:00:00+08:00"}"#)
        #expect(refused.status == .conflict)
        let enabled = try await app.send(.post, "/v1/webhook-endpoints/whe-staff/enable")
        #expect(enabled.object["enabled"] == .bool(true))
        #expect(enabled.object["disabled_reason"] == .null)
        let recovered = try await app.send(.post, "/v1/webhook-endpoints/whe-staff/recover", json: #"{"since":"2020-09-01T00:00:00+08:00"}"#)
        #expect(recovered.status == .accepted)
        #expect(recovered.object["queued"] == .int(0))  // nothing had failed
        let bad = try await app.send(.post, "/v1/webhook-endpoints/whe-staff/recover", json: #"{"since":"yesterday"}"#)
        #expect(bad.errorFields == ["since"])
    }

    @Test func messagesAttemptsAndResending() async throws {
        let app = try await TestApp()
        let listed = try await app.send(.get, "/v1/webhook-messages?type=match.proposed&since=2020-09-01T00:00:00Z")
        #expect(listed.items.map { $0["id"] } == [.string(app.messageID)])
        // The payload reads as it was signed and sent: type, timestamp, data, in that order.
        #expect(listed.text.contains(#""payload":{"type":"match.proposed","timestamp":"#))
        #expect(listed.text.contains(#","data":{"match_id":"#))
        let message = try #require(listed.items.first)
        #expect(message["payload"]?.objectValue?["type"] == .string("match.proposed"))
        #expect(message["deliveries"]?.objects.compactMap { $0["endpoint_id"]?.string } == ["whe-buy-a", "whe-staff", "whe-sup-a"])
        // Buyer A sees its own delivery only.
        let own = try await app.send(.get, "/v1/webhook-messages/\(app.messageID)", as: .buyerA)
        #expect(own.object["deliveries"]?.objects.compactMap { $0["endpoint_id"]?.string } == ["whe-buy-a"])
        #expect(try await app.send(.get, "/v1/webhook-messages", as: .buyerB).items.isEmpty)
        let attempts = try await app.send(.get, "/v1/webhook-messages/\(app.messageID)/attempts")
        #expect(attempts.status == .ok)
        #expect(attempts.items.isEmpty)
        let resent = try await app.send(.post, "/v1/webhook-messages/\(app.messageID)/resend", json: #"{"endpoint_id":"whe-staff"}"#)
        #expect(resent.status == .accepted)
        let wrongType = try await app.send(.post, "/v1/webhook-messages/\(app.messageID)/resend", json: #"{"endpoint_id":"whe-buy-b"}"#)
        #expect(wrongType.errorFields == ["endpoint_id"])
        let badFilter = try await app.send(.get, "/v1/webhook-messages?type=match.maybe&since=today")
        #expect(badFilter.status == .badRequest)
        #expect(Set(badFilter.errorFields) == ["type", "since"])
    }

    @Test func acceptingAMatchWritesItsEventForTheBuyersEndpoint() async throws {
        let app = try await TestApp()
        let accepted = try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA)
        #expect(accepted.status == .ok)
        let messages = try await app.send(.get, "/v1/webhook-messages?type=match.accepted", as: .buyerA)
        #expect(messages.items.count == 1)
        let data = try #require(messages.items.first?["payload"]?.objectValue?["data"]?.objectValue)
        #expect(data["match_id"] == .string(app.matchID))
        #expect(data["buyer_name"] == .string("福田区机关食堂"))
    }
}
