import Foundation

/// The wall clock, behind a protocol so that tests can fix "now".
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
