import ChanxiaoCore
import ChanxiaoStore
import Foundation
import Testing

@testable import ChanxiaoWebhookDelivery

/// Group commit: attempts that finish together are written together, and every caller gets
/// its own outcome back.
@Suite struct AttemptRecorderTests {
    @Test func attemptsOfManyConcurrentSendsAreEachRecordedOnce() async throws {
        let fixture = try await DeliveryFixture(settings: { _ in })
        try await fixture.endpoint("hook", url: "https://hooks.example.org/in")
        try await fixture.propose(40)
        let due = try await fixture.database.dueDeliveries(endpointID: "hook", now: fixture.clock.now(), limit: 100)
        #expect(due.count == 40)
        let recorder = AttemptRecorder(database: fixture.database)
        let now = fixture.clock.now()
        let results = await withTaskGroup(of: Result<String?, any Error>.self) { group in
            for delivery in due {
                group.addTask {
                    let record = AttemptRecord(
                        messageID: delivery.messageID,
                        endpointID: "hook",
                        attemptedAt: now,
                        trigger: delivery.trigger,
                        responseStatus: 204,
                        latencyMilliseconds: 3,
                        error: nil,
                        responseBody: nil,
                        delivered: true,
                        nextAttemptAt: nil,
                        generation: delivery.generation
                    )
                    return await recorder.record(AttemptBatch(records: [record], endpointID: "hook", disableAfter: 3600, now: now))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 40)
        #expect(results.allSatisfy { (try? $0.get()) == .some(nil) })
        #expect(try await fixture.database.dueDeliveries(endpointID: "hook", now: now, limit: 100).isEmpty)
        for delivery in due {
            #expect(try await fixture.database.webhookAttempts(messageID: delivery.messageID)?.count == 1)
        }
    }
}
