import ChanxiaoDemo
import ChanxiaoWebhooks
import Testing

@Suite("RateWindow")
struct RateWindowTests {
    static let weCom = [RateLimit(count: 20, perSeconds: 60)]
    static let feishu = [RateLimit(count: 5, perSeconds: 1), RateLimit(count: 100, perSeconds: 60)]

    @Test func noLimitsNeverWait() {
        var window = RateWindow(limits: [])
        for _ in 0..<10_000 { #expect(window.take(now: 0) == 0) }
    }

    @Test("20 per 60 s: the 21st send waits for the first to leave the window")
    func chatRobot() {
        var window = RateWindow(limits: Self.weCom)
        for _ in 0..<20 { #expect(window.take(now: 0) == 0) }
        #expect(window.take(now: 0) == 60)
        #expect(window.take(now: 0) == 60)  // a refused take records nothing
        #expect(window.take(now: 59.5) == 0.5)
        // At 60 all twenty from t = 0 have left the window: twenty more may go.
        for _ in 0..<20 { #expect(window.take(now: 60) == 0) }
        #expect(window.take(now: 60) == 60)
    }

    @Test("the window slides: what counts is the oldest send still in it")
    func sliding() {
        var window = RateWindow(limits: Self.weCom)
        #expect(window.take(now: 0) == 0)
        for _ in 0..<19 { #expect(window.take(now: 30) == 0) }
        #expect(window.take(now: 59) == 1)
        #expect(window.take(now: 60) == 0)
        #expect(window.take(now: 61) == 29)
        #expect(window.take(now: 90) == 0)
    }

    @Test("Feishu: 5 per second and 100 per minute, both enforced")
    func feishuCombined() {
        var window = RateWindow(limits: Self.feishu)
        for _ in 0..<5 { #expect(window.take(now: 0) == 0) }
        #expect(window.take(now: 0) == 1)
        #expect(window.take(now: 0.25) == 0.75)
        // A greedy sender that sleeps exactly as told: 5 sends each second until 100 in the minute.
        var now = 1.0
        var sent = 5
        while sent < 100 {
            let wait = window.take(now: now)
            if wait == 0 { sent += 1 } else { now += wait }
        }
        #expect(now == 19)
        #expect(window.take(now: 19.5) == 40.5)  // the per-minute limit now binds, not the per-second one
        #expect(window.take(now: 60) == 0)
    }

    @Test("a clock that steps back counts from the latest send")
    func clockStepsBack() {
        var window = RateWindow(limits: [RateLimit(count: 1, perSeconds: 10)])
        #expect(window.take(now: 100) == 0)
        #expect(window.take(now: 95) == 15)
    }

    @Test(
        "invalid limits are ignored rather than blocking forever",
        arguments: [
            RateLimit(count: 0, perSeconds: 60), RateLimit(count: -1, perSeconds: 60),
            RateLimit(count: 5, perSeconds: 0), RateLimit(count: 5, perSeconds: .infinity),
        ]
    )
    func invalidLimit(limit: RateLimit) {
        #expect(!limit.isValid)
        var window = RateWindow(limits: [limit, RateLimit(count: 2, perSeconds: 1)])
        #expect(window.limits == [RateLimit(count: 2, perSeconds: 1)])
        #expect(window.take(now: 0) == 0)
        #expect(window.take(now: 0) == 0)
        #expect(window.take(now: 0) == 1)
    }

    /// Random attempts at random times, checked against a brute-force count of the sends so far:
    /// every take is granted exactly when no limit is full, no window ever holds more than its
    /// count, and the wait a refusal names is exactly the time until a take would be granted.
    @Test(
        "random attempts never exceed any limit",
        arguments: [
            weCom, feishu,
            [RateLimit(count: 3, perSeconds: 0.7), RateLimit(count: 7, perSeconds: 5.3), RateLimit(count: 1, perSeconds: 0.05)],
            [RateLimit(count: 1, perSeconds: 1)],
        ]
    )
    func property(limits: [RateLimit]) {
        var random = SplitMix64(seed: 0x5EED_0000 + UInt64(limits.count))
        var window = RateWindow(limits: limits)
        var sends: [Double] = []
        var now = 0.0
        for _ in 0..<3_000 {
            // Mostly bursts at the same instant, sometimes small or long pauses.
            switch random.next() % 4 {
            case 0: now += Double(random.next() % 1000) / 1000 * 0.2
            case 1: now += Double(random.next() % 1000) / 1000 * 3
            default: break
            }
            let full = limits.contains { limit in sends.filter { $0 + limit.perSeconds > now }.count >= limit.count }
            let probe = window
            let wait = window.take(now: now)
            #expect((wait == 0) == !full, "at \(now)")
            if wait == 0 {
                sends.append(now)
            } else {
                var later = probe
                #expect(later.take(now: now + wait) == 0, "not free after the wait it named")
                if wait > 1e-6 {
                    var earlier = probe
                    #expect(earlier.take(now: now + wait - 1e-6) > 0, "free before the wait it named")
                }
            }
        }
        for limit in limits {
            for start in sends {
                let inWindow = sends.filter { $0 >= start && $0 < start + limit.perSeconds }.count
                #expect(inWindow <= limit.count, "\(inWindow) sends in [\(start), +\(limit.perSeconds))")
            }
        }
        #expect(sends.count > 100)  // the test exercised sending, not just refusals
    }
}
