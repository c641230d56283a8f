import Foundation
import Testing

@testable import ChanxiaoServer

/// The backoff per client address on its own: when it answers 429 and for how long, and that a
/// flood of addresses never grows it without bound nor frees an address that is backing off.
@Suite struct AuthBackoffTests {
    static let settings = AuthBackoff.Settings(failureLimit: 3, windowSeconds: 60, backoffSeconds: 30, backoffMaxSeconds: 100)
    static let start = Date(timeIntervalSince1970: 1_600_000_000)

    @Test func theLimitStartsTheBackoffAndFailuresDoubleIt() {
        let backoff = AuthBackoff()
        let waits = (0..<6).map { backoff.recordFailure(from: "10.0.0.1", at: Self.start.addingTimeInterval(Double($0)), settings: Self.settings) }
        #expect(waits == [nil, nil, 30, 60, 100, 100])
        // Another address is not held back by this one.
        #expect(backoff.recordFailure(from: "10.0.0.2", at: Self.start, settings: Self.settings) == nil)
        // Once the wait has passed, failures count from zero again.
        #expect(backoff.recordFailure(from: "10.0.0.1", at: Self.start.addingTimeInterval(200), settings: Self.settings) == nil)
    }

    @Test func failuresOutsideTheWindowDoNotAddUp() {
        let backoff = AuthBackoff()
        for minute in 0..<10 {
            #expect(backoff.recordFailure(from: "10.0.0.1", at: Self.start.addingTimeInterval(Double(minute) * 61), settings: Self.settings) == nil)
        }
    }

    @Test func aLimitOfZeroTurnsItOff() {
        let backoff = AuthBackoff()
        var off = Self.settings
        off.failureLimit = 0
        for second in 0..<50 {
            #expect(backoff.recordFailure(from: "10.0.0.1", at: Self.start.addingTimeInterval(Double(second)), settings: off) == nil)
        }
        #expect(backoff.count == 0)
    }

    @Test func aFloodOfAddressesStaysBoundedAndKeepsWhoIsBackingOff() {
        let backoff = AuthBackoff()
        for _ in 0..<3 { _ = backoff.recordFailure(from: "203.0.113.7", at: Self.start, settings: Self.settings) }
        for index in 0..<(3 * AuthBackoff.capacity) {
            _ = backoff.recordFailure(from: "2001:db8::\(String(index, radix: 16))", at: Self.start.addingTimeInterval(1), settings: Self.settings)
            #expect(backoff.count <= AuthBackoff.capacity)
        }
        #expect(backoff.recordFailure(from: "203.0.113.7", at: Self.start.addingTimeInterval(2), settings: Self.settings) == 60)
    }
}
