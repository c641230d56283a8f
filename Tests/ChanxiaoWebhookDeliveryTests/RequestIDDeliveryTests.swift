import ChanxiaoCore
import ChanxiaoRuntime
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Logging
import Synchronization
import Testing

@testable import ChanxiaoWebhookDelivery

/// The request id of the write that emitted a message travels with it: `X-Request-Id` on a
/// standard delivery, `request_id` in the attempt's log lines.
@Suite(.serialized) struct RequestIDDeliveryTests {
    @Test func aStandardDeliveryCarriesTheRequestID() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("hook", url: base + "/ok")
            try await RequestTrace.$id.withValue("req-delivery-1") { try await fixture.propose(1) }
            try await fixture.propose(1, run: "run-2")  // no request id: no header
            let lines = LogLines()
            let service = WebhookDeliveryService(
                database: fixture.database,
                sender: DeliveryFixture.sender,
                clock: fixture.clock,
                logger: lines.logger
            ) { (Self.settings, TimeZone(identifier: "Asia/Shanghai")!) }
            #expect(await service.deliverDue() == 2)
            let received = receiver.received(at: "/ok")
            #expect(received.count == 2)
            let messages = try await fixture.messages(.matchProposed)
            let traced = try #require(messages.first { $0.requestID == "req-delivery-1" })
            let untraced = try #require(messages.first { $0.requestID == nil })
            #expect(received.first { $0.headers["webhook-id"] == traced.id }?.headers["x-request-id"] == "req-delivery-1")
            #expect(received.first { $0.headers["webhook-id"] == untraced.id }.map { $0.headers["x-request-id"] == nil } == true)
            let delivered = lines.entries.filter { $0.message == "webhook delivered" }
            #expect(delivered.count == 2)
            #expect(delivered.compactMap { $0.metadata["request_id"]?.description } == ["req-delivery-1"])
        }
    }

    @Test func aRobotDigestCarriesNoHeaderButLogsEveryID() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("wecom", url: base + "/robot?key=abc", format: .wecom, secret: nil)
            try await RequestTrace.$id.withValue("req-a") { try await fixture.propose(2) }
            try await RequestTrace.$id.withValue("req-b") { try await fixture.propose(1, run: "run-2") }
            let lines = LogLines()
            let service = WebhookDeliveryService(
                database: fixture.database,
                sender: DeliveryFixture.sender,
                clock: fixture.clock,
                logger: lines.logger
            ) { (Self.settings, TimeZone(identifier: "Asia/Shanghai")!) }
            #expect(await service.deliverDue() == 1)
            let request = try #require(receiver.received(at: "/robot").first)
            #expect(request.headers["x-request-id"] == nil)
            let line = try #require(lines.entries.first { $0.message == "webhook delivered" })
            #expect(line.metadata["request_id"]?.description == "req-a,req-b")
        }
    }

    @Test func theMessagesOfAJobCarryItsID() async throws {
        let fixture = try await DeliveryFixture()
        try await fixture.endpoint("hook", url: "http://127.0.0.1:9/ok")
        try await fixture.propose(1)
        fixture.clock.advance(73 * 3600)
        // A job sets the task-local; the store reads it before its write closure.
        let expired = try await RequestTrace.$id.withValue("job-expiry") { try await fixture.database.expireProposals(now: fixture.clock.now()) }
        #expect(expired == 1)
        #expect(try await fixture.messages(.matchExpired).map(\.requestID) == ["job-expiry"])
        #expect(try await fixture.messages(.matchProposed).map(\.requestID) == [nil])
    }

    static var settings: WebhookSettings {
        var settings = WebhookSettings()
        settings.retrySchedule = [10, 20, 40]
        settings.retryJitter = 0
        settings.timeoutSeconds = 60
        settings.allowlist = ["127.0.0.1"]
        return settings
    }
}
