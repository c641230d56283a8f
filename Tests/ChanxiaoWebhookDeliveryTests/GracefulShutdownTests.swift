import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import ChanxiaoWebhookDelivery

/// SIGTERM while a webhook is on the wire: within the bound the send finishes and is
/// recorded; past it the send is cancelled and the delivery stays pending, to be retried —
/// never marked delivered when it was not sent.
@Suite(.serialized) struct GracefulShutdownTests {
    /// A receiver that takes `seconds` to answer 200, unless cancelled first.
    struct SlowSender: WebhookSender {
        let seconds: Double
        let started = SentCount()

        func send(_ request: OutgoingRequest, bodyLimit: Int) async -> SendResult {
            started.increment()
            do {
                try await Task.sleep(for: .seconds(seconds))
                return SendResult(status: 200, latencySeconds: seconds)
            } catch {
                return SendResult(status: nil, error: "cancelled before an answer", latencySeconds: 0)
            }
        }

        func shutdown() async {}
    }

    final class SentCount: Sendable {
        private let value = Mutex(0)
        func increment() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }

    /// Runs the delivery service in a group, waits until the send has started, asks the group
    /// to stop gracefully within `bound`, and returns the message's delivery afterwards.
    func stop(sendTaking seconds: Double, bound: Duration) async throws -> WebhookMessage.Delivery {
        let sender = SlowSender(seconds: seconds)
        let fixture = try await DeliveryFixture(settings: { $0.pollIntervalMilliseconds = 20 }, sender: sender)
        try await fixture.endpoint("hook", url: "https://hooks.example.org/in")
        try await fixture.propose(1)
        var configuration = ServiceGroupConfiguration(services: [fixture.service], logger: Logger(label: "test"))
        configuration.maximumGracefulShutdownDuration = bound
        // A backstop only: on two loaded cores cancelling can take seconds, and a crash here takes every test down.
        configuration.maximumCancellationDuration = .seconds(30)
        let group = ServiceGroup(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for _ in 0..<500 where sender.started.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(sender.started.count == 1)
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
        }
        return try #require(try await fixture.messages(.matchProposed).first?.deliveries.first)
    }

    @Test func aSendInFlightFinishesWithinTheBoundAndIsRecorded() async throws {
        let delivery = try await stop(sendTaking: 0.5, bound: .seconds(10))
        #expect(delivery.status == .delivered)
        #expect(delivery.attempts == 1)
    }

    @Test func aSendCutOffByTheBoundStaysPending() async throws {
        let delivery = try await stop(sendTaking: 30, bound: .milliseconds(300))
        #expect(delivery.status == .pending)
        #expect(delivery.deliveredAt == nil)
    }
}
