import ChanxiaoCore
import ChanxiaoServer
import ChanxiaoStore
import HTTPTypes
import Testing

@Suite struct AuthTests {
    static let malformed = ["", "Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-token", "Bearer cx_" + String(repeating: "a", count: 300), "cx_abc"]

    @Test(arguments: malformed)
    func malformedHeadersAreUnauthorized(_ header: String) async throws {
        let app = try await TestApp()
        let response = try await app.send(.get, "/v1/counties", as: .none, headers: [.authorization: header])
        #expect(response.status == .unauthorized)
        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"chanxiao\"") == true)
        #expect(response.isProblem)
    }

    @Test func unknownRevokedAndExpiredTokensAreUnauthorized() async throws {
        let app = try await TestApp()
        let context = WriteContext(actor: "cli:test", role: .admin, now: TestApp.now)
        let unknown = try await app.send(.get, "/v1/counties", as: .none, headers: [.authorization: "Bearer cx_unknownunknownunknown"])
        #expect(unknown.status == .unauthorized)
        #expect(unknown.object["detail"] == .string("unknown token"))
        // Only Bearer: Basic is offered by the calendar feeds alone.
        #expect(unknown.headers[.wwwAuthenticate] == "Bearer realm=\"chanxiao\", error=\"invalid_token\"")

        let (token, secret) = try await app.database.createToken(role: .organizer, context: context)
        #expect(try await app.send(.get, "/v1/counties", as: .none, headers: [.authorization: "Bearer \(secret)"]).status == .ok)
        try await app.database.revokeToken(id: token.id, context: context)
        let revoked = try await app.send(.get, "/v1/counties", as: .none, headers: [.authorization: "Bearer \(secret)"])
        #expect(revoked.status == .unauthorized)
        #expect(revoked.object["detail"] == .string("this token has been revoked"))

        let (_, expiring) = try await app.database.createToken(
            role: .organizer,
            expiresAt: TestApp.now,
            context:
                WriteContext(actor: "cli:test", role: .admin, now: TestApp.now.addingTimeInterval(-60))
        )
        let expired = try await app.send(.get, "/v1/counties", as: .none, headers: [.authorization: "Bearer \(expiring)"])
        #expect(expired.status == .unauthorized)
        #expect(expired.object["detail"]?.string?.hasPrefix("this token expired at") == true)
    }

    @Test func theSchemeIsCaseInsensitive() async throws {
        let app = try await TestApp()
        let response = try await app.send(.get, "/v1/me", as: .none, headers: [.authorization: "bearer \(app.tokens[.admin]!)"])
        #expect(response.status == .ok)
    }

    @Test func writesRecordTheTokenThatMadeThem() async throws {
        let app = try await TestApp()
        _ = try await app.send(.patch, "/v1/demands/dem-a", as: .buyerA, json: #"{"weekly_volume":320}"#)
        let me = try await app.send(.get, "/v1/me", as: .buyerA)
        let audit = try await app.send(.get, "/v1/audit?kind=demand&id=dem-a&limit=1")
        #expect(audit.items.first?["actor"] == me.object["token_id"])
        #expect(audit.items.first?["role"] == .string("buyer"))
        #expect(audit.items.first?["detail"] == .object(["weekly_volume": .object(["from": .int(300), "to": .int(320)])]))
    }
}
