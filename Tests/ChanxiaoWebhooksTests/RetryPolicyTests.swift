import ChanxiaoWebhooks
import Foundation
import Testing

@Suite("RetryPolicy")
struct RetryPolicyTests {
    static let policy = RetryPolicy()

    @Test(
        "the default schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, then give up",
        arguments: [
            (1, 5.0), (2, 300), (3, 1800), (4, 7200), (5, 18000), (6, 36000), (7, 50400), (8, 72000), (9, 86400),
            (0, 5), (-3, 5),  // below 1 counts as the first attempt
        ]
    )
    func schedule(attempt: Int, expected: Double) {
        // random 0.5 is the middle of the jitter band: no jitter.
        #expect(Self.policy.delay(afterAttempt: attempt, retryAfter: nil, random: 0.5) == expected)
    }

    @Test("an exhausted schedule gives up, whatever the server asks", arguments: [10, 11, 1000])
    func exhausted(attempt: Int) {
        #expect(Self.policy.delay(afterAttempt: attempt, retryAfter: nil, random: 0.5) == nil)
        #expect(Self.policy.delay(afterAttempt: attempt, retryAfter: 60, random: 0.5) == nil)
    }

    @Test(
        "jitter spreads the delay by up to 20% either way",
        arguments: [
            (0.0, 240.0), (0.25, 270), (0.5, 300), (0.75, 330), (0.999, 359.88),
            (-1, 240), (7, 360),  // out-of-range randoms are clamped, never making a delay negative
        ]
    )
    func jitter(random: Double, expected: Double) throws {
        let delay = try #require(Self.policy.delay(afterAttempt: 2, retryAfter: nil, random: random))
        #expect(abs(delay - expected) < 1e-9)
    }

    @Test(
        "Retry-After replaces the schedule, clamped, without jitter",
        arguments: [
            (120.0, 120.0), (0, 1), (0.2, 1), (86400, 86400), (1e9, 86400), (.infinity, 86400), (-5, 1),
        ] as [(Double, Double)]
    )
    func retryAfter(seconds: Double, expected: Double) {
        for random in [0.0, 0.5, 0.99] {
            #expect(Self.policy.delay(afterAttempt: 3, retryAfter: seconds, random: random) == expected)
        }
    }

    @Test func customPolicy() {
        let policy = RetryPolicy(schedule: [1, 2], jitter: 0, retryAfterBounds: 10...20)
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 0.9) == 1)
        #expect(policy.delay(afterAttempt: 2, retryAfter: nil, random: 0.1) == 2)
        #expect(policy.delay(afterAttempt: 2, retryAfter: 3, random: 0.1) == 10)
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0.1) == nil)
        #expect(policy.delay(afterAttempt: 1, retryAfter: .nan, random: 0.5) == 1)  // a NaN is no answer
        #expect(RetryPolicy(schedule: []).delay(afterAttempt: 1, retryAfter: nil, random: 0.5) == nil)
    }

    // MARK: Retry-After

    /// 2015-10-21 07:28:00 UTC.
    static let now = Date(timeIntervalSince1970: 1_445_412_480)

    @Test(
        "Retry-After values",
        arguments: [
            ("120", 120.0), ("0", 0), (" 30 ", 30), ("007", 7),
            // IMF-fixdate, in the future, now and in the past.
            ("Wed, 21 Oct 2015 07:28:00 GMT", 0), ("Wed, 21 Oct 2015 07:28:10 GMT", 10),
            ("Wed, 21 Oct 2015 08:28:00 GMT", 3600), ("Thu, 22 Oct 2015 07:28:00 GMT", 86400),
            ("Tue, 20 Oct 2015 07:28:00 GMT", 0), ("Sun, 06 Nov 1994 08:49:37 GMT", 0),
            // Differences of epoch seconds from Python's calendar.timegm.
            ("Fri, 01 Jan 2016 00:00:00 GMT", 6_193_920), ("Mon, 29 Feb 2016 00:00:00 GMT", 11_291_520),
            ("Thu, 01 Jan 2026 00:00:00 GMT", 321_813_120),
            ("Wed, 21 Oct 2015 07:28:60 GMT", 60),  // a leap second
            // The obsolete forms every recipient must accept.
            ("Wednesday, 21-Oct-15 07:29:00 GMT", 60), ("Wed Oct 21 07:30:00 2015", 120), ("Wed Oct  1 07:30:00 2015", 0),
            ("Wednesday, 21-Oct-65 07:28:00 GMT", 1_577_923_200),  // 2065: exactly 50 years ahead, still this century
        ]
    )
    func parse(value: String, expected: Double) {
        #expect(RetryPolicy.parseRetryAfter(value, now: Self.now) == expected)
    }

    @Test("a two-digit year more than 50 years ahead belongs to the last century")
    func rfc850Century() {
        // 2066 would be 51 years ahead of 2015, so "66" is 1966: long past.
        #expect(RetryPolicy.parseRetryAfter("Friday, 21-Oct-66 07:28:00 GMT", now: Self.now) == 0)
    }

    @Test(
        "garbage gives nil",
        arguments: [
            "", " ", "soon", "-5", "+5", "1.5", "1e3", "12 34", "0x10",
            "Wed, 21 Oct 2015 07:28:00 UTC", "Wed, 21 Oct 2015 07:28:00", "Wed, 32 Oct 2015 07:28:00 GMT",
            "Sun, 29 Feb 2015 00:00:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT", "Wed, 21 Oct 2015 24:00:00 GMT",
            "Wed, 21 Oct 2015 07:60:00 GMT", "Wed, 21 Oct 2015 7:28:00 GMT", "Wed, 21 Oct 15 07:28:00 GMT",
            "Wed, +1 Oct 2015 07:28:00 GMT", "Wed, 00 Oct 2015 07:28:00 GMT", "Xyz, 21 Oct 2015 07:28:00 GMT",
            "Wed 21 Oct 2015 07:28:00 GMT", "Wednesday, 21-Oct-2015 07:28:00 GMT", "Wed Oct 21 07:30:00 15",
            "2015-10-21T07:28:00Z",
        ]
    )
    func garbage(value: String) {
        #expect(RetryPolicy.parseRetryAfter(value, now: Self.now) == nil)
    }
}
