import ChanxiaoCore
import ChanxiaoStore
import ChanxiaoWebhooks
import Foundation
import Synchronization
import Testing

@testable import ChanxiaoWebhookDelivery

/// Receivers that fail in every way a network lets them: time out, reset, close, answer 5xx,
/// 429 or 410, flood, accept late, read slowly, stall mid-response. Each attempt must be
/// recorded with the right outcome and retry plan, and a healthy endpoint taking the same
/// events beside the faulty one must not wait for it.
///
/// A fault that held a send for good would hang its test; the time limit fails it instead.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ReceiverFaultTests {
    static let events = 4
    /// Room for late wake-ups: the full suite keeps both cores busy, and a test that starts with
    /// it has seen its tasks wait many seconds for a thread.
    static let slack = Duration.seconds(20)

    /// The real sender, noting when each send to each URL started and ended, so that "the
    /// healthy endpoint did not wait" is judged by the order of sends rather than by a clock
    /// bound a busy machine could break.
    final class RecordingSender: WebhookSender {
        struct Send: Sendable {
            var url: String
            var started: ContinuousClock.Instant
            var ended: ContinuousClock.Instant?
        }

        let base: any WebhookSender
        private let log = Mutex<[Send]>([])

        init(_ base: any WebhookSender) { self.base = base }

        var sends: [Send] { log.withLock { $0 } }

        func send(_ request: OutgoingRequest, bodyLimit: Int) async -> SendResult {
            let index = log.withLock { log in
                log.append(Send(url: request.url, started: .now))
                return log.count - 1
            }
            let result = await base.send(request, bodyLimit: bodyLimit)
            log.withLock { $0[index].ended = .now }
            return result
        }

        func shutdown() async {}
    }

    /// What one round of delivery left behind.
    struct Round {
        var fixture: DeliveryFixture
        /// The test clock's time of the attempts.
        var attemptedAt: Date
        var started: ContinuousClock.Instant
        var elapsed: Duration
        /// When each healthy event arrived, from the start of the round.
        var healthy: [Duration]
        var sends: [RecordingSender.Send]
        var attempts: [WebhookAttempt]
        var deliveries: [WebhookMessage.Delivery]

        /// The faulty endpoint's deliveries are pending, due again after `seconds`.
        func retried(after seconds: Double) -> Bool {
            deliveries.count == ReceiverFaultTests.events
                && deliveries.allSatisfy {
                    $0.status == .pending && abs(($0.nextAttemptAt ?? .distantPast).timeIntervalSince(attemptedAt) - seconds) < 0.002
                }
        }
    }

    /// Proposes `events` events to the endpoint "faulty" at `url` (given the HTTP receiver's
    /// base) and to "healthy" beside it, delivers them, and returns what was recorded. The
    /// faulty endpoint sorts first, so its sends are started first.
    func round(timeout: Double = 3, _ url: @escaping @Sendable (_ receiverBase: String) -> String) async throws -> Round {
        let receiver = Receiver()
        return try await receiver.serve { base in
            let sender = RecordingSender(DeliveryFixture.sender)
            let fixture = try await DeliveryFixture(settings: { $0.timeoutSeconds = timeout }, sender: sender)
            try await fixture.endpoint("faulty", url: url(base))
            try await fixture.endpoint("healthy", url: base + "/ok")
            try await fixture.propose(Self.events)
            let attemptedAt = fixture.clock.now()
            let start = ContinuousClock.now
            await fixture.service.deliverDue()
            let elapsed = ContinuousClock.now - start
            var attempts: [WebhookAttempt] = []
            var deliveries: [WebhookMessage.Delivery] = []
            for message in try await fixture.messages(.matchProposed) {
                attempts += try await fixture.attempts(message).filter { $0.endpointID == "faulty" }
                deliveries += try #require(try await fixture.database.webhookMessage(id: message.id)).deliveries.filter { $0.endpointID == "faulty" }
            }
            return Round(
                fixture: fixture,
                attemptedAt: attemptedAt,
                started: start,
                elapsed: elapsed,
                healthy: receiver.received(at: "/ok").map { $0.at - start },
                sends: sender.sends,
                attempts: attempts,
                deliveries: deliveries
            )
        }
    }

    /// Every healthy event arrived, and every send to the healthy endpoint started before the
    /// first send to the faulty one ended: the healthy endpoint did not wait for it. For faults
    /// that take a while.
    func expectHealthyNotDelayed(_ round: Round, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(round.healthy.count == Self.events, sourceLocation: sourceLocation)
        let healthy = round.sends.filter { $0.url.hasSuffix("/ok") }
        let faultyEnds = round.sends.filter { !$0.url.hasSuffix("/ok") }.compactMap(\.ended)
        #expect(healthy.count == Self.events, sourceLocation: sourceLocation)
        guard let firstEnd = faultyEnds.min(), let lastStart = healthy.map(\.started).max() else { return }
        #expect(
            lastStart < firstEnd,
            "the last healthy send started \(lastStart - round.started) in, the first faulty one ended \(firstEnd - round.started) in",
            sourceLocation: sourceLocation
        )
    }

    /// Every healthy event arrived, promptly. For faults that fail at once, where there is
    /// nothing to wait for.
    func expectHealthyServed(_ round: Round, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(round.healthy.count == Self.events, sourceLocation: sourceLocation)
        #expect(round.healthy.allSatisfy { $0 < Self.slack }, "healthy arrivals \(round.healthy)", sourceLocation: sourceLocation)
    }

    /// The attempt ended at its timeout: not before, and not long after.
    func expectTimedOut(_ attempt: WebhookAttempt, after timeout: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(attempt.error == "no complete response within \(timeout) s", sourceLocation: sourceLocation)
        let bounds = Int(timeout * 1000) - 100..<Int(timeout * 1000) + Int(Self.slack.components.seconds) * 1000
        #expect(bounds.contains(attempt.latencyMilliseconds), "\(attempt.latencyMilliseconds) ms", sourceLocation: sourceLocation)
    }

    func raw(_ server: RawServer) -> @Sendable (String) -> String {
        let url = "http://127.0.0.1:\(server.port())/hook"
        return { _ in url }
    }

    // MARK: No answer

    @Test func aReceiverThatNeverAnswersTimesOut() async throws {
        try await RawServer.serving(.init(reply: .silence)) { server in
            let round = try await round(timeout: 3, raw(server))
            #expect(round.attempts.count == Self.events)
            for attempt in round.attempts {
                #expect(attempt.responseStatus == nil)
                expectTimedOut(attempt, after: 3)
            }
            #expect(round.retried(after: 10))
            #expect(server.seen.requests.count == Self.events)
            expectHealthyNotDelayed(round)
        }
    }

    @Test func aResetAfterTheRequestIsAFailedAttempt() async throws {
        try await RawServer.serving(.init(reply: .reset)) { server in
            let round = try await round(raw(server))
            #expect(round.attempts.count == Self.events)
            for attempt in round.attempts {
                #expect(attempt.responseStatus == nil)
                #expect(attempt.error == "the endpoint reset the connection")
            }
            #expect(round.retried(after: 10))
            #expect(round.elapsed < Self.slack)
            expectHealthyServed(round)
        }
    }

    @Test func aResetOnAcceptIsAFailedAttempt() async throws {
        try await RawServer.serving(.init(reply: .resetAtOnce)) { server in
            let round = try await round(raw(server))
            #expect(round.attempts.count == Self.events)
            for attempt in round.attempts {
                #expect(attempt.responseStatus == nil)
                let error = attempt.error ?? ""
                #expect(error == "the endpoint reset the connection" || error == "the endpoint closed the connection", "\(error)")
            }
            #expect(round.retried(after: 10))
            #expect(server.seen.requests.isEmpty)
            expectHealthyServed(round)
        }
    }

    @Test func aCloseWithoutAResponseIsAFailedAttempt() async throws {
        try await RawServer.serving(.init(reply: .close)) { server in
            let round = try await round(raw(server))
            #expect(round.attempts.count == Self.events)
            for attempt in round.attempts {
                #expect(attempt.responseStatus == nil)
                #expect(attempt.error == "the endpoint closed the connection")
            }
            #expect(round.retried(after: 10))
            expectHealthyServed(round)
        }
    }

    // MARK: Error statuses

    @Test func a500IsRetriedOnTheSchedule() async throws {
        let round = try await round { $0 + "/error" }
        #expect(round.attempts.count == Self.events)
        for attempt in round.attempts {
            #expect(attempt.responseStatus == 500)
            #expect(attempt.error == "HTTP 500")
            #expect(attempt.responseBody == #"{"error":"internal"}"#)
        }
        #expect(round.retried(after: 10))
        expectHealthyServed(round)
    }

    @Test func a429WithRetryAfterWaitsAsAsked() async throws {
        let round = try await round { $0 + "/busy" }
        #expect(round.attempts.map(\.responseStatus) == Array(repeating: 429, count: Self.events))
        #expect(round.attempts.allSatisfy { $0.error == "HTTP 429" })
        // Retry-After: 120 replaces the schedule's 10 s.
        #expect(round.retried(after: 120))
        expectHealthyServed(round)
    }

    @Test func a429WithoutRetryAfterFollowsTheSchedule() async throws {
        let round = try await round { $0 + "/throttled" }
        #expect(round.attempts.map(\.responseStatus) == Array(repeating: 429, count: Self.events))
        #expect(round.retried(after: 10))
        expectHealthyServed(round)
    }

    @Test func a410FailsTheDeliveriesAndDisablesTheEndpoint() async throws {
        let round = try await round { $0 + "/gone" }
        #expect(round.attempts.map(\.responseStatus) == Array(repeating: 410, count: Self.events))
        #expect(round.deliveries.count == Self.events)
        #expect(round.deliveries.allSatisfy { $0.status == .failed && $0.nextAttemptAt == nil })
        let endpoint = try #require(try await round.fixture.database.webhookEndpoint(id: "faulty"))
        #expect(endpoint.enabled == false)
        #expect(endpoint.disabledReason == "the endpoint answered 410 Gone")
        expectHealthyServed(round)
    }

    // MARK: Bodies

    /// 64 MB offered: the attempt keeps the configured 2048 bytes and closes the connection,
    /// so the server manages to write only what the socket buffers hold.
    @Test func anEnormousBodyIsCutAtTheLimitWithoutBeingRead() async throws {
        let size = 64 << 20
        try await RawServer.serving(.init(reply: .flood(bytes: size))) { server in
            let round = try await round(timeout: 10, raw(server))
            #expect(round.attempts.count == Self.events)
            for attempt in round.attempts {
                #expect(attempt.responseStatus == 200)
                #expect(attempt.error == nil)
                #expect(attempt.responseBody?.utf8.count == WebhookSettings().responseBodyLimitBytes)
                // Well within the timeout: the attempt did not wait for the rest.
                #expect(attempt.latencyMilliseconds < 10_000, "\(attempt.latencyMilliseconds) ms")
            }
            #expect(round.deliveries.allSatisfy { $0.status == .delivered })
            // Wait for the server to notice the closed connections, then count what it wrote.
            for _ in 0..<200 where server.seen.closed < Self.events { try await Task.sleep(for: .milliseconds(10)) }
            #expect(server.seen.closed == Self.events)
            let written = server.seen.bytesOut
            #expect(written < size * Self.events / 8, "the server wrote \(written) bytes")
            expectHealthyServed(round)
        }
    }

    /// The head arrives, then part of the body, then nothing: before the sender bounded the
    /// body by the timeout this send, and its slot, waited forever.
    @Test func aResponseThatStallsMidBodyTimesOut() async throws {
        try await RawServer.serving(.init(reply: .stall(announced: 1000, sent: 100))) { server in
            let round = try await round(timeout: 3, raw(server))
            #expect(round.attempts.count == Self.events)
            for attempt in round.attempts {
                // The status is kept for the record; the attempt still failed.
                #expect(attempt.responseStatus == 200)
                expectTimedOut(attempt, after: 3)
            }
            #expect(round.retried(after: 10))
            expectHealthyNotDelayed(round)
        }
    }

    // MARK: Slow peers

    @Test func aListenerThatAcceptsLateIsWaitedForWithinTheTimeout() async throws {
        try await RawServer.serving(.init(reply: .answer(status: 200), acceptAfter: .milliseconds(2500))) { server in
            let round = try await round(timeout: 8, raw(server))
            #expect(round.attempts.count == Self.events)
            for attempt in round.attempts {
                #expect(attempt.responseStatus == 200)
                #expect(attempt.error == nil)
                // The backlog's wait counted from when the server began listening, a little before the send.
                let wait = Duration.milliseconds(2500) - (round.started - server.listeningSince)
                #expect(.milliseconds(attempt.latencyMilliseconds) >= wait - .milliseconds(50), "\(attempt.latencyMilliseconds) ms")
            }
            #expect(round.deliveries.allSatisfy { $0.status == .delivered })
            expectHealthyNotDelayed(round)
        }
    }

    @Test func aListenerThatNeverAcceptsTimesOut() async throws {
        try await RawServer.serving(.init(reply: .answer(status: 200), acceptAfter: nil)) { server in
            let round = try await round(timeout: 3, raw(server))
            #expect(round.attempts.count == Self.events)
            #expect(round.attempts.allSatisfy { $0.responseStatus == nil })
            for attempt in round.attempts { expectTimedOut(attempt, after: 3) }
            #expect(round.retried(after: 10))
            #expect(server.seen.connections == 0)
            expectHealthyNotDelayed(round)
        }
    }

    /// An https receiver that takes the connection and never answers the TLS handshake.
    @Test func aTLSHandshakeThatNeverCompletesTimesOut() async throws {
        try await RawServer.serving(.init(reply: .silence)) { server in
            let round = try await round(timeout: 3) { _ in "https://127.0.0.1:\(server.port())/hook" }
            #expect(round.attempts.count == Self.events)
            #expect(round.attempts.allSatisfy { $0.responseStatus == nil })
            for attempt in round.attempts { expectTimedOut(attempt, after: 3) }
            #expect(round.retried(after: 10))
            #expect(server.seen.requests.isEmpty)
            expectHealthyNotDelayed(round)
        }
    }

    /// 16 bytes every 20 ms: the request (some 830 bytes) takes about a second to read.
    @Test func aReceiverThatReadsSlowlyIsWaitedForWithinTheTimeout() async throws {
        try await RawServer.serving(.init(reply: .answer(status: 204), readChunk: 16, readPause: .milliseconds(20))) { server in
            let round = try await round(timeout: 10, raw(server))
            #expect(round.attempts.count == Self.events)
            for attempt in round.attempts {
                #expect(attempt.responseStatus == 204)
                #expect(attempt.latencyMilliseconds >= 500, "\(attempt.latencyMilliseconds) ms")
            }
            #expect(round.deliveries.allSatisfy { $0.status == .delivered })
            #expect(server.seen.requests.count == Self.events)
            expectHealthyNotDelayed(round)
        }
    }

    @Test func aReceiverThatReadsTooSlowlyTimesOut() async throws {
        try await RawServer.serving(.init(reply: .answer(status: 204), readChunk: 1, readPause: .milliseconds(50))) { server in
            let round = try await round(timeout: 3, raw(server))
            #expect(round.attempts.count == Self.events)
            #expect(round.attempts.allSatisfy { $0.responseStatus == nil })
            for attempt in round.attempts { expectTimedOut(attempt, after: 3) }
            #expect(round.retried(after: 10))
            expectHealthyNotDelayed(round)
        }
    }

    // MARK: Several faulty endpoints

    /// A sender that holds each send to a path ending in `slowSuffix` for `delay`, counting how
    /// many of those are in flight at once.
    final class OverlapSender: WebhookSender {
        let base: any WebhookSender
        let slowSuffix: String
        let delay: Duration
        private let counts = Mutex((now: 0, most: 0))

        init(_ base: any WebhookSender, slowSuffix: String, delay: Duration) {
            self.base = base
            self.slowSuffix = slowSuffix
            self.delay = delay
        }

        var most: Int { counts.withLock { $0.most } }

        func send(_ request: OutgoingRequest, bodyLimit: Int) async -> SendResult {
            guard request.url.hasSuffix(slowSuffix) else { return await base.send(request, bodyLimit: bodyLimit) }
            counts.withLock {
                $0.now += 1
                $0.most = max($0.most, $0.now)
            }
            defer { counts.withLock { $0.now -= 1 } }
            try? await Task.sleep(for: delay)
            return await base.send(request, bodyLimit: bodyLimit)
        }

        func shutdown() async {}
    }

    /// Failing endpoints resting between retries (served lately, nothing due) keep one slot
    /// each, not a full share: a healthy endpoint with a backlog beside eight of them still
    /// gets its four sends at once.
    @Test func restingFailingEndpointsLeaveTheHealthyOneItsBound() async throws {
        let receiver = Receiver()
        try await receiver.serve { base in
            let sender = OverlapSender(DeliveryFixture.sender, slowSuffix: "/ok", delay: .milliseconds(50))
            let fixture = try await DeliveryFixture(settings: { $0.pollIntervalMilliseconds = 20 }, sender: sender)
            // Port 1 refuses at once: each dead endpoint fails its first attempt and then rests.
            for n in 1...8 { try await fixture.endpoint("dead-\(n)", url: "http://127.0.0.1:1/hook") }
            try await fixture.endpoint("healthy", url: base + "/ok")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await fixture.service.run() }
                try await fixture.propose(1, run: "run-1")
                for _ in 0..<500 {
                    let failing = try await fixture.database.webhookEndpoints(WebhookEndpointQuery()).items.filter { $0.failingSince != nil }.count
                    if failing == 8, receiver.received(at: "/ok").count == 1 { break }
                    try await Task.sleep(for: .milliseconds(20))
                }
                // Disabled, they take no new events, but were served within the last minute.
                for n in 1...8 {
                    _ = try await fixture.database.updateWebhookEndpoint(id: "dead-\(n)", context: fixture.context) { $0.enabled = false }
                }
                try await fixture.propose(24, run: "run-2")
                for _ in 0..<500 where receiver.received(at: "/ok").count < 25 { try await Task.sleep(for: .milliseconds(20)) }
                group.cancelAll()
            }
            #expect(receiver.received(at: "/ok").count == 25)
            #expect(sender.most == 4)
        }
    }

    /// With the default bounds (16 in flight, 4 per endpoint) four endpoints that never answer
    /// could hold every slot, and a healthy endpoint sorting after them would wait for their
    /// timeouts. Shared by `SendSlots`, each slot the healthy one frees comes back to it.
    @Test func fourDeadEndpointsDoNotHoldUpAHealthyOne() async throws {
        // Four each: enough for the dead ones to fill all 16 slots if nothing stopped them.
        let events = 4
        try await RawServer.serving(.init(reply: .silence)) { server in
            let receiver = Receiver()
            try await receiver.serve { base in
                let sender = RecordingSender(DeliveryFixture.sender)
                let fixture = try await DeliveryFixture(settings: { $0.timeoutSeconds = 3 }, sender: sender)
                for n in 1...4 { try await fixture.endpoint("dead-\(n)", url: "http://127.0.0.1:\(server.port())/hook") }
                try await fixture.endpoint("healthy", url: base + "/ok")
                try await fixture.propose(events)
                let start = ContinuousClock.now
                await fixture.service.deliverDue()
                #expect(receiver.received(at: "/ok").count == events)
                // Every healthy send started before the first dead one timed out.
                let healthy = sender.sends.filter { $0.url.hasSuffix("/ok") }.map { $0.started - start }
                let firstEnd = try #require(sender.sends.filter { !$0.url.hasSuffix("/ok") }.compactMap(\.ended).min()) - start
                #expect(healthy.allSatisfy { $0 < firstEnd }, "healthy sends started \(healthy.sorted()), the first dead one ended \(firstEnd)")
            }
        }
    }
}
