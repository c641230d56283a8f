import ChanxiaoCore
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Testing

@testable import ChanxiaoWebhookDelivery

/// Delivery against a real HTTP receiver on loopback: signing, retries, timeouts, 410,
/// Retry-After, redirects, the address guard, robots, and no head-of-line blocking.
@Suite(.serialized) struct DeliveryTests {
    @Test func aSignedEventArrivesAndIsRecorded() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("hook", url: base + "/ok")
            try await fixture.propose(1)
            #expect(await fixture.service.deliverDue() == 1)
            let request = try #require(receiver.received(at: "/ok").first)
            let message = try #require(try await fixture.messages(.matchProposed).first)
            #expect(request.headers["webhook-id"] == message.id)
            let timestamp = Int64(fixture.clock.now().timeIntervalSince1970)
            #expect(request.headers["webhook-timestamp"] == String(timestamp))
            #expect(
                request.headers["webhook-signature"]
                    == StandardWebhooks.signature(secret: DeliveryFixture.secret, id: message.id, timestamp: timestamp, body: request.body)
            )
            #expect(request.headers["content-type"] == "application/json; charset=utf-8")
            #expect(request.body == Array(message.payload.utf8))
            let stored = try #require(try await fixture.database.webhookMessage(id: message.id))
            #expect(stored.deliveries.first?.status == .delivered)
            let attempts = try await fixture.attempts(message)
            #expect(attempts.map(\.responseStatus) == [204])
            #expect(attempts.first?.error == nil)
        }
    }

    @Test func failuresAreRetriedOnTheScheduleWithTheSameID() async throws {
        let receiver = Receiver()
        receiver.failNext(2)
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("hook", url: base + "/flaky")
            try await fixture.propose(1)
            await fixture.service.deliverDue()
            // Not due again before the first delay of the schedule (10 s).
            fixture.clock.advance(9)
            #expect(await fixture.service.deliverDue() == 0)
            fixture.clock.advance(1)
            #expect(await fixture.service.deliverDue() == 1)
            fixture.clock.advance(19)
            #expect(await fixture.service.deliverDue() == 0)
            fixture.clock.advance(1)
            #expect(await fixture.service.deliverDue() == 1)
            let received = receiver.received(at: "/flaky")
            #expect(received.count == 3)
            #expect(Set(received.compactMap { $0.headers["webhook-id"] }).count == 1)
            #expect(Set(received.compactMap { $0.headers["webhook-timestamp"] }).count == 3)
            let message = try #require(try await fixture.messages().first)
            #expect(try await fixture.attempts(message).map(\.responseStatus) == [500, 500, 200])
            #expect(try await fixture.attempts(message).first?.responseBody == #"{"error":"try later"}"#)
            #expect(try await fixture.database.webhookMessage(id: message.id)?.deliveries.first?.status == .delivered)
            #expect(try await fixture.database.webhookEndpoint(id: "hook")?.failingSince == nil)
        }
    }

    @Test func aTimeoutIsAFailedAttempt() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture(settings: { $0.timeoutSeconds = 0.3 })
            try await fixture.endpoint("hook", url: base + "/slow")
            try await fixture.propose(1)
            await fixture.service.deliverDue()
            let message = try #require(try await fixture.messages().first)
            let attempt = try #require(try await fixture.attempts(message).first)
            #expect(attempt.responseStatus == nil)
            #expect(attempt.error?.contains("no complete response within 0.3 s") == true)
            #expect(try await fixture.database.webhookMessage(id: message.id)?.deliveries.first?.status == .pending)
        }
    }

    @Test func goneDisablesTheEndpointAndTellsStaff() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("hook", url: base + "/gone")
            try await fixture.endpoint("ops", url: base + "/ok", types: ["endpoint.disabled"])
            try await fixture.propose(1)
            await fixture.service.deliverDue()
            #expect(try await fixture.database.webhookEndpoint(id: "hook")?.enabled == false)
            let notice = try #require(receiver.received(at: "/ok").first)
            let payload = try JSONValue.parseObject(Data(notice.body))
            #expect(payload["type"] == .string("endpoint.disabled"))
            #expect(payload["data"]?.objectValue?["reason"] == .string("the endpoint answered 410 Gone"))
        }
    }

    @Test func retryAfterIsHonouredWithinBounds() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture(settings: { $0.retryAfterMaxSeconds = 3600 })
            try await fixture.endpoint("hook", url: base + "/busy")
            try await fixture.propose(1)
            let start = fixture.clock.now()
            await fixture.service.deliverDue()
            let message = try #require(try await fixture.messages().first)
            let delivery = try #require(try await fixture.database.webhookMessage(id: message.id)?.deliveries.first)
            // The receiver asked for 120 s, not the schedule's 10 s.
            #expect(abs((delivery.nextAttemptAt ?? .distantPast).timeIntervalSince(start) - 120) < 0.002)
            #expect(delivery.lastError == "HTTP 429")
        }
    }

    @Test func redirectsAreNotFollowed() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("hook", url: base + "/redirect")
            try await fixture.propose(1)
            await fixture.service.deliverDue()
            #expect(receiver.received(at: "/ok").isEmpty)
            let message = try #require(try await fixture.messages().first)
            #expect(try await fixture.attempts(message).first?.error == "HTTP 302: redirects are not followed")
        }
    }

    @Test func loopbackIsRefusedUnlessAllowlisted() async throws {
        let receiver = Receiver()
        let strict = try GuardedHTTPSender(allowlist: { [] })
        do {
            try await receiver.serve { base in
                let fixture = try await DeliveryFixture(sender: strict)
                let port = base.split(separator: ":").last!
                try await fixture.endpoint("literal", url: base + "/ok")
                try await fixture.endpoint("named", url: "http://localhost:\(port)/ok")
                try await fixture.endpoint("integer", url: "http://2130706433:\(port)/ok")
                try await fixture.propose(1)
                await fixture.service.deliverDue()
                #expect(receiver.received.isEmpty)
                let message = try #require(try await fixture.messages().first)
                let errors = Dictionary(uniqueKeysWithValues: try await fixture.attempts(message).map { ($0.endpointID, $0.error ?? "") })
                #expect(errors["literal"]?.contains("127.0.0.1 is a loopback address") == true)
                #expect(errors["named"]?.contains("localhost resolves to") == true)
                #expect(errors["integer"]?.contains("loopback") == true)
            }
        } catch {
            await strict.shutdown()
            throw error
        }
        await strict.shutdown()
    }

    @Test func theConnectedAddressIsCheckedEvenWhenTheNameLookedSafe() async throws {
        // Without the check before connecting, only the check on the connection stands.
        let receiver = Receiver()
        try await receiver.serve { base in
            let sender = try GuardedHTTPSender(allowlist: { [] }, checkBeforeConnecting: false)
            let result = await sender.send(OutgoingRequest(url: base + "/ok", headers: [], body: Array("{}".utf8), timeoutSeconds: 2), bodyLimit: 100)
            await sender.shutdown()
            #expect(result.status == nil)
            #expect(result.error?.contains("refused to connect") == true)
            #expect(receiver.received.isEmpty)
        }
    }

    @Test func aDeadEndpointDoesNotHoldUpTheOthers() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture(settings: {
                $0.timeoutSeconds = 2.5
                $0.concurrency = 4
                $0.perEndpointConcurrency = 2
            })
            try await fixture.endpoint("dead", url: base + "/slow")
            try await fixture.endpoint("alive", url: base + "/ok")
            try await fixture.propose(4)
            let start = ContinuousClock.now
            await fixture.service.deliverDue()
            let alive = receiver.received(at: "/ok")
            #expect(alive.count == 4)
            // Every event reached the live endpoint before the dead one's first timeout.
            #expect(alive.allSatisfy { $0.at - start < .seconds(2) })
            #expect(receiver.received(at: "/slow").count == 4)
        }
    }

    @Test func aRobotGetsABurstAsOneDigest() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("wecom", url: base + "/robot?key=abc", format: .wecom, secret: nil)
            try await fixture.propose(30)
            #expect(await fixture.service.deliverDue() == 1)
            let request = try #require(receiver.received(at: "/robot").first)
            #expect(request.query == "key=abc")
            let body = try JSONValue.parseObject(Data(request.body))
            #expect(body["msgtype"] == .string("markdown"))
            let content = try #require(body["markdown"]?.objectValue?["content"]?.string)
            #expect(content.contains("30条"))
            let messages = try await fixture.messages()
            #expect(messages.count == 30)
            for message in messages {
                #expect(try await fixture.database.webhookMessage(id: message.id)?.deliveries.first?.status == .delivered)
            }
        }
    }

    @Test func aRobotsErrorCodeIsAFailureAndItsRateLimitWaits() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("wecom", url: base + "/robot-limited?key=abc", format: .wecom, secret: nil)
            try await fixture.propose(1)
            let start = fixture.clock.now()
            await fixture.service.deliverDue()
            let message = try #require(try await fixture.messages().first)
            let delivery = try #require(try await fixture.database.webhookMessage(id: message.id)?.deliveries.first)
            #expect(delivery.status == .pending)
            #expect(delivery.lastError?.contains("45009") == true)
            #expect(abs((delivery.nextAttemptAt ?? .distantPast).timeIntervalSince(start) - 60) < 0.002)
        }
    }

    @Test func dingTalkAndFeishuAreSigned() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture()
            try await fixture.endpoint("ding", url: base + "/robot?access_token=t0k", format: .dingtalk, secret: "SECdemo")
            try await fixture.endpoint("feishu", url: base + "/feishu", format: .feishu, secret: "feishu-demo")
            try await fixture.propose(1)
            await fixture.service.deliverDue()
            let now = fixture.clock.now()
            let ding = try #require(receiver.received(at: "/robot").first)
            let signed = RobotSigning.dingTalk(secret: "SECdemo", timestampMilliseconds: Int64(now.timeIntervalSince1970 * 1000))
            #expect(ding.query == "access_token=t0k&timestamp=\(signed.timestamp)&sign=\(signed.sign)")
            let feishu = try JSONValue.parseObject(Data(try #require(receiver.received(at: "/feishu").first).body))
            let expected = RobotSigning.feishu(secret: "feishu-demo", timestampSeconds: Int64(now.timeIntervalSince1970))
            #expect(feishu["timestamp"] == .string(expected.timestamp))
            #expect(feishu["sign"] == .string(expected.sign))
            for message in try await fixture.messages() {
                #expect(try await fixture.database.webhookMessage(id: message.id)?.deliveries.allSatisfy { $0.status == .delivered } == true)
            }
        }
    }

    @Test func theOutboxSurvivesARestart() async throws {
        let receiver = Receiver()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("chanxiao.sqlite").path
        try await receiver.serve { base in
            let clock = TestClock()
            do {
                // The first daemon records events and stops before sending any.
                let database = try AppDatabase.open(path: path)
                try await DeliveryFixture.seed(database, now: clock.now())
                let first = try await DeliveryFixture(database: database, clock: clock)
                try await first.endpoint("hook", url: base + "/ok")
                try await first.propose(3)
            }
            // A new process on the same file delivers them.
            let second = try await DeliveryFixture(database: try AppDatabase.open(path: path), clock: clock)
            #expect(await second.service.deliverDue() == 3)
            #expect(receiver.received(at: "/ok").count == 3)
        }
    }

    @Test func theServiceDeliversUntilCancelled() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            // run() shuts its sender down when it ends, so this service gets one of its own.
            let fixture = try await DeliveryFixture(
                settings: { $0.pollIntervalMilliseconds = 20 },
                sender: try GuardedHTTPSender(allowlist: { ["127.0.0.1"] })
            )
            try await fixture.endpoint("hook", url: base + "/ok")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await fixture.service.run() }
                try await fixture.propose(2)
                for _ in 0..<200 where receiver.received(at: "/ok").count < 2 { try await Task.sleep(for: .milliseconds(20)) }
                group.cancelAll()
            }
            #expect(receiver.received(at: "/ok").count == 2)
        }
    }

    /// With a poll of a minute, events still go out as soon as their transaction commits.
    @Test func aCommittedEventWakesTheWorker() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let fixture = try await DeliveryFixture(
                settings: { $0.pollIntervalMilliseconds = 60_000 },
                sender: try GuardedHTTPSender(allowlist: { ["127.0.0.1"] })
            )
            try await fixture.endpoint("hook", url: base + "/ok")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await fixture.service.run() }
                // The first poll comes after a minute: whatever arrives before came from a commit.
                try await Task.sleep(for: .milliseconds(200))
                for round in 1...3 {
                    try await fixture.propose(2, run: "run-\(round)")
                    for _ in 0..<500 where receiver.received(at: "/ok").count < 2 * round { try await Task.sleep(for: .milliseconds(20)) }
                    #expect(receiver.received(at: "/ok").count == 2 * round)
                }
                group.cancelAll()
            }
        }
    }
}
