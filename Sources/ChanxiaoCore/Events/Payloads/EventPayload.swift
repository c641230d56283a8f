import Foundation

/// The typed `data` of one event type, or of a family of types sharing one shape (the four
/// `match.*` types). It writes its members in the order docs/webhooks.md lists them, and reads
/// itself back from a stored payload, so that a renamed member fails to compile instead of
/// silently dropping text from a robot's message.
public protocol EventPayload: Sendable, Equatable {
    /// The members of `data`, in the documented order. Nested objects are written with their
    /// members sorted, as docs/webhooks.md promises.
    var members: [(name: String, value: JSONValue)] { get }

    /// Reads a stored `data` object, naming the first member that is missing or of the wrong
    /// type. Members that may be null read as nil when null or absent.
    init(data: [String: JSONValue]) throws(PayloadError)
}

/// Why a stored `data` object does not read as its type: the member, by its path in `data`
/// (`slots[2].week`), and what is wrong with it.
public struct PayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var member: String
    public var problem: String

    public init(member: String, problem: String) {
        self.member = member
        self.problem = problem
    }

    public var description: String { "\(member): \(problem)" }
}

/// A nested object of a payload (a slot, a product, a match line): written as a JSON object,
/// whose members are therefore sorted, and read from its own path.
protocol NestedPayload: Sendable, Equatable {
    var object: JSONValue { get }
    init(reading object: PayloadReader) throws(PayloadError)
}
