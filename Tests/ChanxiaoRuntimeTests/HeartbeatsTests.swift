import ChanxiaoRuntime
import Synchronization
import Testing

@Suite struct HeartbeatsTests {
    final class FakeClock: Sendable {
        let now = Mutex(ContinuousClock.now)
        func advance(_ duration: Duration) { now.withLock { $0 += duration } }
    }

    @Test("a worker is overdue once its interval plus the grace has passed without a beat")
    func overdue() {
        let clock = FakeClock()
        let heartbeats = Heartbeats { clock.now.withLock { $0 } }
        let delivery = heartbeats.register("delivery", every: .seconds(1))
        let scheduler = heartbeats.register("scheduler", every: .seconds(60))
        #expect(heartbeats.workers == ["delivery", "scheduler"])
        clock.advance(.seconds(30))
        #expect(heartbeats.overdue(grace: .seconds(10)) == ["delivery"])
        delivery.beat()
        #expect(heartbeats.overdue(grace: .seconds(10)).isEmpty)
        clock.advance(.seconds(41))
        #expect(heartbeats.overdue(grace: .seconds(10)) == ["delivery", "scheduler"])
        scheduler.beat(every: .seconds(120))
        delivery.beat()
        clock.advance(.seconds(100))
        #expect(heartbeats.overdue(grace: .seconds(10)) == ["delivery"])
        delivery.end()
        #expect(heartbeats.overdue(grace: .seconds(10)).isEmpty)
        #expect(heartbeats.workers == ["scheduler"])
    }

    @Test("an unwatched heartbeat beats into nothing")
    func unwatched() {
        let heartbeat = Heartbeat.unwatched("tool")
        heartbeat.beat()
        heartbeat.end()
        #expect(heartbeat.worker == "tool")
    }
}
