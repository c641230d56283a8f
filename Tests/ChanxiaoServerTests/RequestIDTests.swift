import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoServer
import ChanxiaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// Request ids: taken from `X-Request-Id` or made, sent back on every response (problems
/// too), put in the log metadata and stored on the webhook messages a request writes. And no
/// log line ever holds a token or a signing secret.
@Suite struct RequestIDTests {
    static let header = HTTPField.Name("X-Request-Id")!

    @Test func aValidIDComesBack() async throws {
        let app = try await TestApp()
        for id in ["abc-123", "7f3e2a1c.9b:request_ID", String(repeating: "a", count: 128)] {
            let response = try await app.send(.get, "/v1/counties", headers: [Self.header: id])
            #expect(response.status == .ok)
            #expect(response.headers[Self.header] == id)
        }
    }

    @Test func anInvalidOrMissingIDIsReplacedByAFreshOne() async throws {
        let app = try await TestApp()
        var seen: Set<String> = []
        for id in [String(repeating: "a", count: 129), "two words", "", "a;b=c", "中文", "a/b", nil] as [String?] {
            let response = try await app.send(.get, "/v1/counties", headers: id.map { [Self.header: $0] } ?? [:])
            let returned = try #require(response.headers[Self.header])
            #expect(returned != id)
            #expect(returned.hasPrefix("req_") && returned.count == 24, "\(returned)")
            #expect(RequestTrace.isValid(returned))
            seen.insert(returned)
        }
        #expect(seen.count == 7)
    }

    @Test func theValidationRule() {
        #expect(RequestTrace.isValid("a"))
        #expect(RequestTrace.isValid("A.b_c:d-9"))
        #expect(RequestTrace.isValid(String(repeating: "x", count: 128)))
        #expect(!RequestTrace.isValid(String(repeating: "x", count: 129)))
        #expect(!RequestTrace.isValid(""))
        #expect(!RequestTrace.isValid("a b"))
        #expect(!RequestTrace.isValid("a\nb"))
        #expect(!RequestTrace.isValid("a=b"))
        #expect(RequestTrace.generate() != RequestTrace.generate())
    }

    @Test func problemResponsesCarryTheIDToo() async throws {
        let app = try await TestApp()
        let notFound = try await app.send(.get, "/v1/counties/999999", headers: [Self.header: "trace-404"])
        #expect(notFound.status == .notFound)
        #expect(notFound.isProblem)
        #expect(notFound.headers[Self.header] == "trace-404")
        let unauthorized = try await app.send(.get, "/v1/counties", as: .none, headers: [Self.header: "trace-401"])
        #expect(unauthorized.status == .unauthorized)
        #expect(unauthorized.headers[Self.header] == "trace-401")
        let noRoute = try await app.send(.get, "/v1/no-such-thing", headers: [Self.header: "trace-no-route"])
        #expect(noRoute.status == .notFound)
        #expect(noRoute.headers[Self.header] == "trace-no-route")
        let invalid = try await app.send(.post, "/v1/counties", json: #"{"code":"x"}"#)
        #expect(invalid.status.code >= 400 && invalid.status.code < 500)
        #expect(invalid.headers[Self.header]?.hasPrefix("req_") == true)
    }

    @Test func aWriteStoresItsRequestIDOnTheWebhookMessage() async throws {
        let app = try await TestApp()
        let accepted = try await app.send(.post, "/v1/matches/\(app.matchID)/accept", as: .buyerA, headers: [Self.header: "erp-accept-42"])
        #expect(accepted.status == .ok)
        #expect(accepted.headers[Self.header] == "erp-accept-42")
        let listed = try await app.send(.get, "/v1/webhook-messages?type=match.accepted")
        let message = try #require(listed.items.first)
        #expect(message["request_id"] == .string("erp-accept-42"))
        let id = try #require(message["id"]?.string)
        #expect(try await app.send(.get, "/v1/webhook-messages/\(id)").object["request_id"] == .string("erp-accept-42"))
        // The seeded message was written outside any request.
        let seeded = try await app.send(.get, "/v1/webhook-messages/\(app.messageID)")
        #expect(seeded.object["request_id"] == .null)
        // Without a header, the generated id is stored, the same as sent back.
        let endpoint = try await app.send(
            .post,
            "/v1/webhook-endpoints",
            json: #"{"url":"https://erp.example.org/hooks","event_types":["supplier.blacklisted"]}"#
        )
        #expect(endpoint.status == .created, "\(endpoint.text)")
        let blacklisted = try await app.send(
            .patch,
            "/v1/suppliers/sup-b",
            json: #"{"blacklisted":true,"blacklist_reason":"以次充好"}"#,
            contentType: "application/merge-patch+json"
        )
        #expect(blacklisted.status == .ok, "\(blacklisted.text)")
        let generated = try #require(blacklisted.headers[Self.header])
        #expect(generated.hasPrefix("req_"))
        let messages = try await app.send(.get, "/v1/webhook-messages?type=supplier.blacklisted")
        #expect(messages.items.count == 1)
        #expect(messages.items.first?["request_id"] == .string(generated))
    }

    @Test func noTokenOrSecretIsEverLogged() async throws {
        let app = try await TestApp()
        let lines = LogLines()
        let admin = try #require(app.tokens[.admin])
        let buyer = try #require(app.tokens[.buyerA])
        let unknown = TokenSecret.prefix + "ThisIsNotAKnownTokenButStillASecret0123456789"
        let matchID = app.matchID
        let application = Application(router: app.router, logger: lines.logger)
        let webhookSecret = try await application.test(.router) { client -> String? in
            let bearer = { (token: String) -> HTTPFields in [.authorization: "Bearer \(token)"] }
            _ = try await client.execute(uri: "/v1/counties", method: .get, headers: bearer(admin))
            _ = try await client.execute(uri: "/v1/counties/999999", method: .get, headers: bearer(admin))
            _ = try await client.execute(uri: "/v1/counties", method: .get, headers: bearer(unknown))
            _ = try await client.execute(
                uri: "/v1/counties",
                method: .get,
                headers: [.authorization: "Basic " + Data("calendar:\(buyer)".utf8).base64EncodedString()]
            )
            _ = try await client.execute(uri: "/v1/matches/\(matchID)/accept", method: .post, headers: bearer(buyer))
            let created = try await client.execute(
                uri: "/v1/webhook-endpoints",
                method: .post,
                headers: bearer(admin).merging([.contentType: "application/json"]),
                body: ByteBuffer(string: #"{"url":"https://erp.example.org/hooks","event_types":["match.*"]}"#)
            )
            _ = try await client.execute(uri: "/v1/webhook-messages", method: .get, headers: bearer(admin))
            return (try? JSONValue.parseObject(Data(buffer: created.body)))?["secret"]?.string
        }
        let secret = try #require(webhookSecret)
        let entries = lines.entries
        #expect(!entries.isEmpty)
        // Every line of a request carries its id.
        #expect(entries.filter { $0.message == "Request" }.count == 7)
        #expect(entries.filter { $0.message == "Request" }.allSatisfy { $0.metadata["request_id"] != nil })
        let forbidden = [
            admin, buyer, unknown, secret, String(secret.dropFirst("whsec_".count)),
            Data("calendar:\(buyer)".utf8).base64EncodedString(), String(admin.dropFirst(TokenSecret.prefix.count)),
        ]
        for entry in entries {
            let text = entry.text
            for needle in forbidden {
                #expect(!text.contains(needle), "a log line holds a secret: \(text)")
            }
            #expect(!text.lowercased().contains("authorization"), "\(text)")
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
